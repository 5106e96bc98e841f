//! The agreements a viewer is a party to, a page at a time (the Agreements tab), their count,
//! and the value ending per month (its chart). The same shape as the offers and
//! opportunities: one branch per role, keyset pages on `(sort keys, id)`, the filter and the
//! narrowing (a status, or the renewal radar's "ending within N days") in SQL. The branch
//! predicates are the SQL form of `domain::visibility::agreement`.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{Key, Shape, Walk, by_counterparty, counterparty_keys};
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
    },
    // The ISV is not shown the end buyer of a recurring opportunity's agreement: the filter
    // must not find it by that buyer.
    Branch {
        role: "isv_account_id = :v AND partner_account_id <> :v",
        searchable: &["id", "partner_account_id", "offer_id", "opportunity_id"],
        counterparty: "partner_account_id",
        amount: "wholesale_total_minor",
        indexed: true,
    },
    Branch {
        role: "buyer_account_id = :v AND partner_account_id <> :v AND isv_account_id <> :v",
        searchable: &["id", "partner_account_id", "offer_id"],
        counterparty: "partner_account_id",
        amount: "total_minor",
        indexed: true,
    },
];

/// An agreement's closed status as the status indexes hold it (migration 0016): 2 replaced,
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
fn rare(n: AgreementNarrow) -> Option<i64> {
    match n {
        AgreementNarrow::Status(AgreementStatus::Replaced) => Some(2),
        AgreementNarrow::Status(AgreementStatus::Cancelled) => Some(1),
        _ => None,
    }
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
    let plain: Vec<String> = narrow.map(narrow_sql).into_iter().collect();
    match sort {
        // Each status in turn (as `f` cycles them), by end date within it; under a status
        // narrow, that status's walk alone.
        Sort::Status => AgreementStatus::ALL
            .iter()
            .enumerate()
            .filter(|(_, s)| match narrow {
                Some(AgreementNarrow::Status(n)) => n == **s,
                Some(AgreementNarrow::EndingWithin(_)) => **s == AgreementStatus::Active,
                None => true,
            })
            .map(|(i, s)| {
                let cond = [narrow_sql(AgreementNarrow::Status(*s))].into_iter().chain(plain.clone()).collect();
                walk(cond, vec![Key::Const(super::order::rank(i)), sql("ends_on")])
            })
            .collect(),
        Sort::Date => vec![walk(plain, vec![sql("ends_on")])],
        Sort::Counterparty | Sort::Amount if narrow.is_some_and(|n| rare(n).is_some()) => {
            let from = format!(
                "(SELECT rowid AS r FROM agreements WHERE {} AND {}) s CROSS JOIN agreements ON agreements.rowid = s.r",
                b.role,
                plain.join(" AND ")
            );
            let keys = match sort {
                Sort::Amount => vec![sql("currency"), sql(b.amount)],
                _ => counterparty_keys(b.counterparty),
            };
            vec![Walk { from, cond: Vec::new(), keys, bound_keys: false }]
        }
        Sort::Counterparty => {
            vec![by_counterparty(
                "agreements",
                b.counterparty,
                narrow.map(|n| walked_narrow_sql(n, "+")).into_iter().collect(),
            )]
        }
        Sort::Amount => vec![walk(
            narrow.map(|n| walked_narrow_sql(n, "+")).into_iter().collect(),
            vec![sql("currency"), sql(b.amount)],
        )],
        _ => vec![walk(narrow.map(|n| walked_narrow_sql(n, "")).into_iter().collect(), vec![sql("created_at")])],
    }
}

/// The SQL of a page (or count) of the agreements `q` and `narrow` describe.
pub(super) fn agreements_sql(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let walks = AGREEMENT_BRANCHES.map(|b| (b, narrowed_walks(&b, q.sort, narrow)));
    page_sql("agreements", &walks, None, q, shape)
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
