//! The agreements a viewer is a party to, a page at a time (the Agreements tab), and the
//! value ending per month (its chart): cppo's own (`agreements`) and those imported from AWS
//! (`aws_agreements`) in one list; their count is `agreement_counts`. The same shape as the
//! offers and opportunities: one branch per role and table, keyset pages on `(sort keys, id)`
//! over the union of both tables' arms, the filter and the narrowing (a status, or the renewal
//! radar's "ending within N days") in SQL. The branch predicates are the SQL form of
//! `domain::visibility::agreement` and `domain::aws_agreement::audience`; an AWS word narrows
//! and sorts as the status it counts as (`AwsAgreementStatus::kin`).
//!
//! At a million offers (a hundred thousand of cppo's agreements) every sort and narrow of
//! cppo's walks an index (migrations 0012 and 0018), and a filter reads its trigram
//! candidates when they are few, as the offers' does (`search`). AWS's agreements, a
//! partner's imported book, are few enough to sort as read.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{Key, Shape, Walk, by_counterparty, by_counterparty_among, counterparty_keys, union_sql, walk_sql};
use super::search::{Access, CAPS, SearchPlan, Searched, candidate_table, candidates_sql};
use super::{Branch, ListQuery, Page, Params, Sort, branch_cond, page_arms, page_of, read_keyed};
use crate::domain::aws_agreement::{AwsAgreement, AwsAgreementStatus};
use crate::domain::radar::CHART_MONTHS;
use crate::domain::{AccountId, Agreement, AgreementId, AgreementStatus, Currency, Money, OfferId};
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

/// What the tab's filter searches (see `search`): the agreement's own id and its offer's id
/// by their trigram tables (made by the first bulk load, `store::bulk`), the parties and the
/// opportunity by the tally of their groups (migration 0018).
pub(super) const AGREEMENTS: Searched = Searched {
    table: "agreements",
    branches: AGREEMENT_BRANCHES,
    tally: "agreement_tally",
    trigrams: [("agreement_search_id", "id"), ("agreement_search_offer", "offer_id")],
    shared: &[AgreementId::PREFIX, OfferId::PREFIX],
};

/// A page reads at most this many of a filter's candidates (`search::CANDIDATES` for the
/// offers): beyond that, walking the sort's index testing each row finds a page sooner
/// (at a million offers: 3,500 candidates read and sorted, 21 ms; the walk, 4.5 ms).
const CANDIDATES: usize = 2_000;

/// An agreement's closed status as the status indexes hold it (migration 0018): 2 replaced,
/// 1 cancelled, 0 neither (ACTIVE or EXPIRED by its end date). One column, so that each
/// status is one range of an index, in end-date order.
pub(super) const CLOSED: &str = "(CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END)";

/// The SQL form of `Agreement::status` and of the radar (`domain::radar::days_left`), given
/// `:today`: each a range of the status indexes (`agreements_*_status`).
pub(super) fn narrow_sql(n: AgreementNarrow) -> String {
    narrow_terms(n, "", "")
}

/// [`narrow_sql`] tested on each row of a walk in another index's order: the unary `+` keeps
/// SQLite from reading the status index's range and sorting it instead, which for a narrow
/// that holds most rows (ACTIVE) reads them all where a walk stops after a page. `closed`:
/// "+" unless the walk's index starts with the closed status (`agreements_*_status_created`),
/// where the end date is then tested in the index.
fn walked_narrow_sql(n: AgreementNarrow, closed: &str) -> String {
    narrow_terms(n, closed, "+")
}

fn narrow_terms(n: AgreementNarrow, closed: &str, ends: &str) -> String {
    let open = format!("{closed}{CLOSED} = 0");
    match n {
        AgreementNarrow::Status(AgreementStatus::Replaced) => format!("{closed}{CLOSED} = 2"),
        AgreementNarrow::Status(AgreementStatus::Cancelled) => format!("{closed}{CLOSED} = 1"),
        AgreementNarrow::Status(AgreementStatus::Active) => format!("{open} AND {ends}ends_on > :today"),
        AgreementNarrow::Status(AgreementStatus::Expired) => format!("{open} AND {ends}ends_on <= :today"),
        AgreementNarrow::EndingWithin(days) => {
            format!("{open} AND {ends}ends_on > :today AND {ends}ends_on <= date(:today, '+{days} days')")
        }
    }
}

/// A status few agreements hold (an agreement is cancelled or replaced by exception).
fn rare(n: AgreementNarrow) -> bool {
    matches!(n, AgreementNarrow::Status(AgreementStatus::Replaced | AgreementStatus::Cancelled))
}

/// The keys the agreements of a branch sort by, each walking an index.
pub(super) fn agreement_walks(b: &Branch, sort: Sort) -> Vec<Walk> {
    narrowed_walks(b, sort, None)
}

/// The walks of a branch for `sort` under `narrow`, each carrying the narrow in the form its
/// index wants. By end date (and by status: by end date within each) the status index holds
/// every narrow as a range in order, and by creation the index of each closed status in
/// creation order does, testing the end date in the index: the EXPIRED agreements are the
/// oldest, and a walk of the newest would read every ACTIVE one first. By amount or
/// counterparty (which the end date does not follow), a narrow most rows pass walks the
/// sort's index testing each row, and a rare status reads its few rows from the status index
/// and sorts them, where a walk in order would read the whole branch to find none.
fn narrowed_walks(b: &Branch, sort: Sort, narrow: Option<AgreementNarrow>) -> Vec<Walk> {
    let sql = |s: &str| Key::Sql(s.to_owned());
    let walk = |cond: Vec<String>, keys: Vec<Key>| Walk { from: "agreements".into(), cond, keys, bound_keys: false };
    match sort {
        Sort::Status => status_walks(narrow, "agreements"),
        Sort::Date => vec![walk(narrow.map(narrow_sql).into_iter().collect(), vec![sql("ends_on")])],
        Sort::Counterparty | Sort::Amount if narrow.is_some_and(rare) => {
            let cond = narrow.map(narrow_sql).unwrap_or_default();
            let from = format!(
                "(SELECT rowid AS r FROM agreements WHERE {} AND {cond}) s CROSS JOIN agreements
                 ON agreements.rowid = s.r",
                b.role
            );
            candidate_walks(b, sort, None, &from)
        }
        Sort::Counterparty => {
            let cond = narrow.map(|n| walked_narrow_sql(n, "+")).into_iter().collect();
            vec![by_counterparty("agreements", b.counterparty, cond)]
        }
        Sort::Amount => vec![walk(
            narrow.map(|n| walked_narrow_sql(n, "+")).into_iter().collect(),
            vec![sql("currency"), sql(b.amount)],
        )],
        _ => vec![walk(narrow.map(|n| walked_narrow_sql(n, "")).into_iter().collect(), vec![sql("created_at")])],
    }
}

/// Each status in turn (as `f` cycles them), by end date within it, reading `from`; under a
/// narrow, the walk of the status it keeps alone.
fn status_walks(narrow: Option<AgreementNarrow>, from: &str) -> Vec<Walk> {
    AgreementStatus::ALL
        .iter()
        .enumerate()
        .filter(|(_, s)| match narrow {
            Some(AgreementNarrow::Status(n)) => n == **s,
            Some(AgreementNarrow::EndingWithin(_)) => **s == AgreementStatus::Active,
            None => true,
        })
        .map(|(i, s)| Walk {
            from: from.to_owned(),
            // The narrow implies the status it keeps.
            cond: vec![narrow_sql(narrow.unwrap_or(AgreementNarrow::Status(*s)))],
            keys: vec![Key::Const(super::order::rank(i)), Key::Sql("ends_on".into())],
            bound_keys: false,
        })
        .collect()
}

/// The walks of a branch over candidate rows (`from`, which joins them to `agreements`):
/// few enough to sort as read, so each key is read per row and the narrow tested as written.
fn candidate_walks(b: &Branch, sort: Sort, narrow: Option<AgreementNarrow>, from: &str) -> Vec<Walk> {
    let sql = |s: &str| Key::Sql(s.to_owned());
    let keys = match sort {
        Sort::Status => return status_walks(narrow, from),
        Sort::Date => vec![sql("ends_on")],
        Sort::Counterparty => counterparty_keys(b.counterparty),
        Sort::Amount => vec![sql("currency"), sql(b.amount)],
        _ => vec![sql("created_at")],
    };
    vec![Walk { from: from.to_owned(), cond: narrow.map(narrow_sql).into_iter().collect(), keys, bound_keys: false }]
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
                keys: vec![Key::Const(super::order::rank(i)), sql(ENDS)],
                bound_keys: false,
            })
            .collect(),
        _ => on(vec![sql("coalesce(accepted_at, imported_at)")]),
    }
}

/// The SQL of a page (or count) of the agreements `q` and `narrow` describe, with no filter:
/// the arms of both tables in one union (a page as ids, [`Shape::Ids`], read by id after),
/// each of cppo's branches walking its indexes.
pub(super) fn agreements_sql(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let shape = if shape == Shape::Page { Shape::Ids } else { shape };
    let mut arms = Vec::new();
    let own = AGREEMENT_BRANCHES.map(|b| (b, narrowed_walks(&b, q.sort, narrow)));
    let keys = page_arms("agreements", &own, None, q, shape, &mut arms);
    aws_arms(narrow, q, shape, &mut arms);
    union_sql("", arms, keys, q, shape)
}

/// The arms of AWS's agreements, added to `arms`.
fn aws_arms(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape, arms: &mut Vec<String>) {
    let aws = AWS_BRANCHES.map(|b| (b, aws_walks(&b, q.sort)));
    page_arms("aws_agreements", &aws, narrow.map(aws_narrow_sql).as_deref(), q, shape, arms);
}

/// The SQL of a query of the agreements `viewer` is a party to (a page, or a count), and its
/// parameters: with a filter, each of cppo's branches walks its indexes testing each row, or
/// reads the filter's few candidates and sorts them (see `search`), whichever reads fewer.
pub(super) fn agreements_query(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    q: &ListQuery,
    shape: Shape,
) -> StoreResult<(Option<String>, Params)> {
    let (sql, plan) = match q.filter.as_deref() {
        Some(f) => {
            let cap = CAPS.with(|c| if shape == Shape::Count { c.get().1 } else { c.get().0.min(CANDIDATES) });
            let plan = if q.sort == Sort::Counterparty {
                SearchPlan::beside_counterparty(conn, &AGREEMENTS, viewer, f, cap)?
            } else {
                SearchPlan::new(conn, &AGREEMENTS, viewer, f, cap)?
            };
            let shape = if shape == Shape::Page { Shape::Ids } else { shape };
            let mut arms = Vec::new();
            let (keys, with) = own_search_arms(&plan, narrow, q, shape, &mut arms);
            aws_arms(narrow, q, shape, &mut arms);
            (union_sql(&with, arms, keys, q, shape), Some(plan))
        }
        None => (agreements_sql(narrow, q, shape), None),
    };
    let Some(sql) = sql else { return Ok((None, Params { named: Vec::new() })) };
    let mut params = Params::new(&sql, viewer, today, q);
    if let Some(plan) = &plan {
        params = params.with_search(&sql, plan);
    }
    Ok((Some(sql), params))
}

/// The arms of cppo's agreements under a filter, each branch looked up or walked per `plan`,
/// added to `arms`; how many keys they sort by, and the `WITH` of their candidates.
pub(super) fn own_search_arms(
    plan: &SearchPlan,
    narrow: Option<AgreementNarrow>,
    q: &ListQuery,
    shape: Shape,
    arms: &mut Vec<String>,
) -> (usize, String) {
    let mut keys = 0;
    for (i, b) in AGREEMENT_BRANCHES.iter().enumerate() {
        let lookup = || format!("{} CROSS JOIN agreements ON agreements.rowid = r", candidate_table(plan, i));
        let walks = match plan.access[i] {
            _ if q.sort == Sort::Counterparty && !narrow.is_some_and(rare) => {
                by_counterparty_found(b, narrow, matches!(plan.access[i], Access::Lookup { .. }).then(lookup))
            }
            Access::Scan => narrowed_walks(b, q.sort, narrow),
            Access::Lookup { .. } => candidate_walks(b, q.sort, narrow, &lookup()),
        };
        for w in walks {
            keys = w.keys.len();
            arms.extend(walk_sql("agreements", &w, branch_cond(b, None, true), q, shape));
        }
    }
    let with = if plan.access.iter().any(|a| matches!(a, Access::Lookup { .. })) {
        candidates_sql(&AGREEMENTS, plan)
    } else {
        String::new()
    };
    (keys, with)
}

/// An account the filter `:f` matches, by its id or its name.
const ACCOUNT_FOUND: &str = "(id LIKE :f ESCAPE '\\' OR name LIKE :f ESCAPE '\\')";

/// A filtered branch sorted by its counterparty, in two parts, as the filter and the order
/// go together: sorted by the buyer, `Woodgrove` finds the agreements of accounts late in
/// name order, and a walk of every account's would read all the others first. The
/// agreements of the counterparties the filter matches are walked by those accounts alone
/// (each of them matches); the others, found by another column, are read from `lookup` (the
/// filter's candidates beside the counterparty, when few) or walked by the other accounts.
fn by_counterparty_found(b: &Branch, narrow: Option<AgreementNarrow>, lookup: Option<String>) -> Vec<Walk> {
    let walked: Vec<String> = narrow.map(|n| walked_narrow_sql(n, "+")).into_iter().collect();
    let found = by_counterparty_among("agreements", b.counterparty, ACCOUNT_FOUND, walked.clone());
    let others = match lookup {
        Some(from) => {
            let mut walks = candidate_walks(b, Sort::Counterparty, narrow, &from);
            for w in &mut walks {
                w.cond.push(format!("{} NOT IN (SELECT id FROM accounts WHERE {ACCOUNT_FOUND})", b.counterparty));
            }
            walks
        }
        None => vec![by_counterparty_among("agreements", b.counterparty, &format!("NOT {ACCOUNT_FOUND}"), walked)],
    };
    [found].into_iter().chain(others).collect()
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
    let (Some(sql), params) = agreements_query(conn, viewer, today, narrow, q, Shape::Page)? else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
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
