//! The agreements a viewer is a party to, a page at a time (the Agreements tab), their count,
//! and the value ending per month (its chart). The same shape as the offers and
//! opportunities: one branch per role, keyset pages on `(sort keys, id)`, the filter and the
//! narrowing (a status, or the renewal radar's "ending within N days") in SQL. The branch
//! predicates are the SQL form of `domain::visibility::agreement`.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{Key, Shape, Walk};
use super::{Branch, ListQuery, Page, Params, Sort, count_sql, page_of, page_sql, read_keyed};
use crate::domain::radar::CHART_MONTHS;
use crate::domain::{AccountId, Agreement, AgreementStatus, Currency, Money};
use crate::store::StoreResult;
use crate::store::codec::date;

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

/// The SQL of a page (or count) of the agreements `q` and `narrow` describe.
pub(super) fn agreements_sql(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let walks = AGREEMENT_BRANCHES.map(|b| (b, agreement_walks(&b, q.sort)));
    let cond = narrow.map(narrow_sql);
    page_sql("agreements", &walks, cond.as_deref(), q, shape)
}

/// A page of the agreements `viewer` is a party to, with their charges.
pub fn agreements_page(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    q: &ListQuery,
) -> StoreResult<Page<Agreement>> {
    let Some(sql) = agreements_sql(narrow, q, Shape::Page) else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
    let params = Params::new(&sql, viewer, today, q);
    let keyed = read_keyed(conn, &sql, &params, crate::store::ledger::row, |a| a.id.as_str().to_owned())?;
    let keys = keyed.iter().map(|(k, _)| k.clone()).collect();
    let rows = keyed.into_iter().map(|(_, a)| crate::store::ledger::complete(conn, a)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

/// How many agreements the tab shows under `narrow` and `filter`.
pub fn count_agreements(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    filter: Option<&str>,
) -> StoreResult<u64> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let cond = narrow.map(narrow_sql);
    let sql = count_sql("agreements", &AGREEMENT_BRANCHES, cond.as_deref(), filter.is_some());
    let params = Params::new(&sql, viewer, today, &q);
    Ok(conn.prepare_cached(&sql)?.query_row(params.as_refs().as_slice(), |r| r.get::<_, i64>(0))? as u64)
}

/// The value of the ACTIVE agreements `viewer` is a party to that end in each of the next
/// [`CHART_MONTHS`] months (this month first), per currency: what the viewer sees of each
/// (the ISV the wholesale total, the others the buyer's).
pub fn value_ending_by_month(conn: &Connection, viewer: &AccountId, today: NaiveDate) -> StoreResult<Vec<Vec<Money>>> {
    let mut out: Vec<Vec<Money>> = vec![Vec::new(); CHART_MONTHS as usize];
    let end = today.checked_add_months(chrono::Months::new(CHART_MONTHS)).unwrap_or(today);
    for b in &AGREEMENT_BRANCHES {
        let sql = format!(
            "SELECT ends_on, currency, sum({}) FROM agreements WHERE {} AND cancelled = 0 AND ends_on > ?2
               AND ends_on < ?3 GROUP BY substr(ends_on, 1, 7), currency",
            b.amount,
            b.role.replace(":v", "?1"),
        );
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
