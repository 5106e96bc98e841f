//! The agreements a viewer is a party to, a page at a time (the Agreements tab), their count,
//! and the value ending per month (its chart): cppo's own (`agreements`) and those imported
//! from AWS (`aws_agreements`) in one list. The same shape as the offers and opportunities:
//! one branch per role and table, keyset pages on `(sort keys, id)` over the union of both
//! tables' arms, the filter and the narrowing (a status, or the renewal radar's "ending within
//! N days") in SQL. The branch predicates are the SQL form of `domain::visibility::agreement`
//! and `domain::aws_agreement::audience`; an AWS word narrows and sorts as the status it
//! counts as (`AwsAgreementStatus::kin`).

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{Key, Shape, Walk, union_sql};
use super::{Branch, ListQuery, Page, Params, Sort, count_sql, page_arms, page_of, read_keyed};
use crate::domain::aws_agreement::{AwsAgreement, AwsAgreementStatus};
use crate::domain::radar::CHART_MONTHS;
use crate::domain::{AccountId, Agreement, AgreementId, AgreementStatus, Currency, Money};
use crate::store::codec::date;
use crate::store::{StoreError, StoreResult};

/// A row of the Agreements tab: one of cppo's agreements, or one imported from AWS.
#[derive(Debug, Clone)]
pub enum AgreementRecord {
    Own(Agreement),
    Aws(AwsAgreement),
}

/// What the Agreements tab is narrowed to: one status (`f`), or the renewal radar's ACTIVE
/// agreements ending within so many days (`w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementNarrow {
    Status(AgreementStatus),
    EndingWithin(u32),
}

/// The partner (seller of record), the ISV (manufacturer), the buyer (acceptor): each sees
/// the agreements it is a party to, once. The ISV's amount is the wholesale total.
pub(super) const AGREEMENT_BRANCHES: [Branch; 3] = [
    Branch {
        role: "partner_account_id = :v",
        searchable: &["id", "buyer_account_id", "isv_account_id", "offer_id", "opportunity_id"],
        counterparty: "buyer_account_id",
        amount: "total_minor",
        indexed: true,
        by_kind: false,
    },
    // The ISV is not shown the end buyer of a recurring opportunity's agreement: the filter
    // must not find it by that buyer.
    Branch {
        role: "isv_account_id = :v AND partner_account_id <> :v",
        searchable: &["id", "partner_account_id", "offer_id", "opportunity_id"],
        counterparty: "partner_account_id",
        amount: "wholesale_total_minor",
        indexed: true,
        by_kind: false,
    },
    Branch {
        role: "buyer_account_id = :v AND partner_account_id <> :v AND isv_account_id <> :v",
        searchable: &["id", "partner_account_id", "offer_id"],
        counterparty: "partner_account_id",
        amount: "total_minor",
        indexed: true,
        by_kind: false,
    },
];

/// The SQL form of `Agreement::status` and of the radar (`domain::radar::days_left`), given
/// `:today`.
pub(super) fn narrow_sql(n: AgreementNarrow) -> String {
    match n {
        AgreementNarrow::Status(AgreementStatus::Replaced) => "replaced_by_agreement_id IS NOT NULL".into(),
        AgreementNarrow::Status(AgreementStatus::Cancelled) => {
            "replaced_by_agreement_id IS NULL AND cancelled = 1".into()
        }
        AgreementNarrow::Status(AgreementStatus::Active) => {
            "replaced_by_agreement_id IS NULL AND cancelled = 0 AND ends_on > :today".into()
        }
        AgreementNarrow::Status(AgreementStatus::Expired) => {
            "replaced_by_agreement_id IS NULL AND cancelled = 0 AND ends_on <= :today".into()
        }
        AgreementNarrow::EndingWithin(days) => format!(
            "replaced_by_agreement_id IS NULL AND cancelled = 0 AND ends_on > :today \
             AND ends_on <= date(:today, '+{days} days')"
        ),
    }
}

/// The keys the agreements of a branch sort by; each has an index to walk but the
/// counterparty's name (read per row, as the opportunities do).
pub(super) fn agreement_walks(b: &Branch, sort: Sort) -> Vec<Walk> {
    let on = |keys: Vec<Key>| vec![Walk { from: "agreements".into(), cond: Vec::new(), keys, bound_keys: false }];
    let sql = |s: &str| Key::Sql(s.to_owned());
    match sort {
        Sort::Counterparty => on(vec![
            sql(&format!("coalesce((SELECT name FROM accounts WHERE accounts.id = {}), '')", b.counterparty)),
            sql(b.counterparty),
        ]),
        Sort::Amount => on(vec![sql("currency"), sql(b.amount)]),
        Sort::Date => on(vec![sql("ends_on")]),
        // Each status in turn (as `f` cycles them), by end date within it.
        Sort::Status => AgreementStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| Walk {
                from: "agreements".into(),
                cond: vec![narrow_sql(AgreementNarrow::Status(*s))],
                keys: vec![Key::Const(["0", "1", "2", "3"][i]), sql("ends_on")],
                bound_keys: false,
            })
            .collect(),
        _ => on(vec![sql("created_at")]),
    }
}

/// The agreements imported from AWS, as `domain::aws_agreement::audience` shows them: the
/// proposer (the partner), the manufacturer (the ISV, which sees no amount), the acceptor
/// (the buyer). An ISV's agreement with no amount sorts as -1.
pub(super) const AWS_BRANCHES: [Branch; 3] = [
    Branch {
        role: "proposer_account_id = :v",
        searchable: &["id", "acceptor_account_id", "isv_account_id", "offer_id", "product_id"],
        counterparty: "acceptor_account_id",
        amount: "value_minor",
        indexed: false,
        by_kind: false,
    },
    Branch {
        role: "isv_account_id = :v AND proposer_account_id <> :v",
        searchable: &["id", "proposer_account_id", "offer_id", "product_id"],
        counterparty: "proposer_account_id",
        amount: "NULL",
        indexed: false,
        by_kind: false,
    },
    Branch {
        role: "acceptor_account_id = :v AND proposer_account_id <> :v AND coalesce(isv_account_id, '') <> :v",
        searchable: &["id", "proposer_account_id", "offer_id", "product_id"],
        counterparty: "proposer_account_id",
        amount: "value_minor",
        indexed: false,
        by_kind: false,
    },
];

/// The words of AWS's statuses that count as `s`, as an SQL list.
fn aws_words(s: AgreementStatus) -> String {
    let words: Vec<String> = AwsAgreementStatus::of_kin(s).map(|w| format!("'{}'", w.as_str())).collect();
    format!("status IN ({})", words.join(", "))
}

/// [`narrow_sql`] for an imported agreement: its AWS word, and the radar's rule
/// (`domain::radar::days_left_of`: ACTIVE, ending today or within the window).
pub(super) fn aws_narrow_sql(n: AgreementNarrow) -> String {
    match n {
        AgreementNarrow::Status(s) => aws_words(s),
        AgreementNarrow::EndingWithin(days) => {
            format!("status = 'ACTIVE' AND ends_on >= :today AND ends_on <= date(:today, '+{days} days')")
        }
    }
}

/// The keys an imported agreement sorts by, the same as cppo's (see [`agreement_walks`]):
/// pay-as-you-go (no end) after every end date, as created = accepted (or imported).
pub(super) fn aws_walks(b: &Branch, sort: Sort) -> Vec<Walk> {
    const ENDS: &str = "coalesce(ends_on, '9999-12-31')";
    let on = |keys: Vec<Key>| vec![Walk { from: "aws_agreements".into(), cond: Vec::new(), keys, bound_keys: false }];
    let sql = |s: &str| Key::Sql(s.to_owned());
    match sort {
        Sort::Counterparty => on(vec![
            sql(&format!("coalesce((SELECT name FROM accounts WHERE accounts.id = {}), '')", b.counterparty)),
            sql(b.counterparty),
        ]),
        Sort::Amount => on(vec![sql("coalesce(currency, '')"), Key::Int(format!("coalesce({}, -1)", b.amount))]),
        Sort::Date => on(vec![sql(ENDS)]),
        Sort::Status => AgreementStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| Walk {
                from: "aws_agreements".into(),
                cond: vec![aws_words(*s)],
                keys: vec![Key::Const(["0", "1", "2", "3"][i]), sql(ENDS)],
                bound_keys: false,
            })
            .collect(),
        _ => on(vec![sql("coalesce(accepted_at, imported_at)")]),
    }
}

/// The SQL of a page (or count) of the agreements `q` and `narrow` describe: the arms of
/// both tables in one union (a page as ids, [`Shape::Ids`], read by id after).
pub(super) fn agreements_sql(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let shape = if shape == Shape::Page { Shape::Ids } else { shape };
    let mut arms = Vec::new();
    let own = AGREEMENT_BRANCHES.map(|b| (b, agreement_walks(&b, q.sort)));
    let keys = page_arms("agreements", &own, narrow.map(narrow_sql).as_deref(), q, shape, &mut arms);
    let aws = AWS_BRANCHES.map(|b| (b, aws_walks(&b, q.sort)));
    page_arms("aws_agreements", &aws, narrow.map(aws_narrow_sql).as_deref(), q, shape, &mut arms);
    union_sql("", arms, keys, q, shape)
}

/// Reads the record a page row names: its id and its table.
fn read_record(conn: &Connection, id: &str, source: &str) -> StoreResult<AgreementRecord> {
    let id = AgreementId::parse(id).map_err(|e| StoreError::Corrupt(format!("agreement id `{id}`: {e}")))?;
    let gone = || StoreError::Corrupt(format!("agreement {id} listed and then not found"));
    Ok(match source {
        "aws_agreements" => AgreementRecord::Aws(crate::store::aws_agreements::get(conn, &id)?.ok_or_else(gone)?),
        _ => AgreementRecord::Own(crate::store::ledger::get(conn, &id)?.ok_or_else(gone)?),
    })
}

/// A page of the agreements `viewer` is a party to, cppo's and AWS's, with their charges.
pub fn agreements_page(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    q: &ListQuery,
) -> StoreResult<Page<AgreementRecord>> {
    let Some(sql) = agreements_sql(narrow, q, Shape::Page) else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
    let params = Params::new(&sql, viewer, today, q);
    let keyed = read_keyed(
        conn,
        &sql,
        &params,
        |r| Ok((r.get::<_, String>("id")?, r.get::<_, String>("source")?)),
        |r| r.0.clone(),
    )?;
    let keys = keyed.iter().map(|(k, _)| k.clone()).collect();
    let rows =
        keyed.into_iter().map(|(_, (id, source))| read_record(conn, &id, &source)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

/// How many agreements the tab shows under `narrow` and `filter`, of both tables.
pub fn count_agreements(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    filter: Option<&str>,
) -> StoreResult<u64> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let mut n = 0;
    for (table, branches, cond) in [
        ("agreements", &AGREEMENT_BRANCHES, narrow.map(narrow_sql)),
        ("aws_agreements", &AWS_BRANCHES, narrow.map(aws_narrow_sql)),
    ] {
        let sql = count_sql(table, branches, cond.as_deref(), filter.is_some());
        let params = Params::new(&sql, viewer, today, &q);
        n += conn.prepare_cached(&sql)?.query_row(params.as_refs().as_slice(), |r| r.get::<_, i64>(0))? as u64;
    }
    Ok(n)
}

/// The value of the ACTIVE agreements `viewer` is a party to that end in each of the next
/// [`CHART_MONTHS`] months (this month first), per currency: what the viewer sees of each
/// (the ISV the wholesale total, the others the buyer's).
pub fn value_ending_by_month(conn: &Connection, viewer: &AccountId, today: NaiveDate) -> StoreResult<Vec<Vec<Money>>> {
    let mut out: Vec<Vec<Money>> = vec![Vec::new(); CHART_MONTHS as usize];
    let end = today.checked_add_months(chrono::Months::new(CHART_MONTHS)).unwrap_or(today);
    let own = AGREEMENT_BRANCHES.iter().map(|b| {
        format!(
            "SELECT ends_on, currency, sum({}) FROM agreements WHERE {} AND cancelled = 0
               AND replaced_by_agreement_id IS NULL AND ends_on > ?2 AND ends_on < ?3
             GROUP BY substr(ends_on, 1, 7), currency",
            b.amount,
            b.role.replace(":v", "?1"),
        )
    });
    // An imported agreement ACTIVE on its last day still ends within the chart; one whose value
    // the viewer does not see (the ISV) or AWS did not give adds nothing.
    let aws = AWS_BRANCHES.iter().filter(|b| b.amount != "NULL").map(|b| {
        format!(
            "SELECT ends_on, currency, sum({}) FROM aws_agreements WHERE {} AND status = 'ACTIVE'
               AND {} IS NOT NULL AND ends_on >= ?2 AND ends_on < ?3 GROUP BY substr(ends_on, 1, 7), currency",
            b.amount,
            b.role.replace(":v", "?1"),
            b.amount,
        )
    });
    for sql in own.chain(aws) {
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params![viewer.as_str(), date(today), date(end)])?;
        while let Some(r) = rows.next()? {
            let (on, currency, minor): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let (Ok(on), Ok(currency)) = (crate::store::codec::parse_date(&on), Currency::parse(&currency)) else {
                continue;
            };
            let Some(slot) = crate::domain::radar::chart_month(on, today).and_then(|m| out.get_mut(m)) else {
                continue;
            };
            let add = Money::from_minor(minor, currency);
            match slot.iter_mut().find(|m| m.currency() == currency) {
                Some(m) => *m = m.plus(add),
                None => slot.push(add),
            }
        }
    }
    Ok(out)
}
