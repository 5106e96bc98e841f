//! The agreements a viewer is a party to, a page at a time (the Agreements tab), their count,
//! and the value ending per month (its chart). The same shape as the offers and
//! opportunities: one branch per role, keyset pages on `(sort keys, id)`, the filter and the
//! narrowing (a status, or the renewal radar's "ending within N days") in SQL. The branch
//! predicates are the SQL form of `domain::visibility::agreement`.
//!
//! At a million offers (a hundred thousand agreements) every sort and narrow walks an index
//! (migrations 0012 and 0016), a filter reads its trigram candidates when they are few, as
//! the offers' does (`search`), and a count comes from the tally, the status indexes or the
//! candidates, or else a chunk of rows at a time.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{Key, Shape, Walk, by_counterparty, by_counterparty_among, counterparty_keys, union_sql, walk_sql};
use super::search::{
    Access, CAPS, SearchPlan, Searched, candidate_table, candidates_sql, scan_chunk_sql, search_chunk_sql,
    search_tally_sql, tally_count_sql,
};
use super::{
    Branch, CHUNKS, CountJob, ListQuery, Page, Params, Sort, branch_cond, count_sql, page_of, page_sql, read_keyed,
};
use crate::domain::radar::CHART_MONTHS;
use crate::domain::{AccountId, Agreement, AgreementId, AgreementStatus, Currency, Money, OfferId};
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

/// What the tab's filter searches (see `search`): the agreement's own id and its offer's id
/// by their trigram tables, the parties and the opportunity by the tally of their groups.
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
    match sort {
        Sort::Status => status_walks(narrow, "agreements"),
        Sort::Date => vec![walk(narrow.map(narrow_sql).into_iter().collect(), vec![sql("ends_on")])],
        Sort::Counterparty | Sort::Amount if narrow.is_some_and(|n| rare(n).is_some()) => {
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

/// The SQL of a page (or count) of the agreements `q` and `narrow` describe, each branch
/// walking its indexes (a filter tested on each row walked).
pub(super) fn agreements_sql(narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let walks = AGREEMENT_BRANCHES.map(|b| (b, narrowed_walks(&b, q.sort, narrow)));
    page_sql("agreements", &walks, None, q, shape)
}

/// The SQL of a query of the agreements `viewer` is a party to (a page, or a count), and its
/// parameters: with a filter, each branch walks its indexes testing each row, or reads the
/// filter's few candidates and sorts them (see `search`), whichever reads fewer rows.
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
            (search_sql(&plan, narrow, q, shape), Some(plan))
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

/// [`agreements_sql`] for a filtered query, each branch looked up or walked per `plan`.
fn search_sql(plan: &SearchPlan, narrow: Option<AgreementNarrow>, q: &ListQuery, shape: Shape) -> Option<String> {
    let mut arms = Vec::new();
    let mut keys = 0;
    for (i, b) in AGREEMENT_BRANCHES.iter().enumerate() {
        let lookup = || format!("{} CROSS JOIN agreements ON agreements.rowid = r", candidate_table(plan, i));
        let walks = match plan.access[i] {
            _ if q.sort == Sort::Counterparty && narrow.is_none_or(|n| rare(n).is_none()) => {
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
    union_sql(&with, arms, keys, q, shape)
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

/// A page of the agreements `viewer` is a party to, with their charges.
pub fn agreements_page(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    q: &ListQuery,
) -> StoreResult<Page<Agreement>> {
    let (Some(sql), params) = agreements_query(conn, viewer, today, narrow, q, Shape::Page)? else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
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
    let mut job = start_count_agreements(conn, viewer, today, narrow, filter)?;
    while !job.is_done() {
        job.step(conn)?;
    }
    Ok(job.so_far())
}

/// Starts counting the agreements the tab shows: answered at once from the tally (no
/// filter, or one whose trigram candidates are few), the status indexes (a narrow) or the
/// candidates (a narrow and a filter with few); else a chunk of rows at a time (a short
/// filter, or one most agreements match), as the offers' count does.
pub fn start_count_agreements(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    filter: Option<&str>,
) -> StoreResult<CountJob> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let one_shot = |sql: &str, params: Params| -> StoreResult<CountJob> {
        let n: Option<i64> = conn.prepare_cached(sql)?.query_row(params.as_refs().as_slice(), |r| r.get(0))?;
        Ok(CountJob::exact(n.unwrap_or(0) as u64))
    };
    let narrow_sql = narrow.map(narrow_sql).unwrap_or_default();
    let Some(f) = filter else {
        let sql = match narrow {
            None => tally_count_sql(&AGREEMENTS, ""),
            Some(AgreementNarrow::Status(AgreementStatus::Active)) => active_count_sql(),
            Some(_) => count_sql("agreements", &AGREEMENT_BRANCHES, Some(&narrow_sql), false),
        };
        return one_shot(&sql, Params::new(&sql, viewer, today, &q));
    };
    let plan = SearchPlan::new(conn, &AGREEMENTS, viewer, f, CAPS.with(|c| c.get().1))?;
    let (above, chunk) = CHUNKS.with(|c| c.get());
    let last: i64 = conn.query_row("SELECT coalesce(max(rowid), 0) FROM agreements", [], |r| r.get(0))?;
    let lookup = plan.fts.is_some() && plan.few;
    if lookup && narrow.is_none() {
        // The matching tally groups at once, then the trigram candidates outside them by
        // rowid range: all in one step when they are few.
        let sql = search_tally_sql(&AGREEMENTS, "");
        let base = one_shot(&sql, Params::new(&sql, viewer, today, &q))?.so_far();
        let sql = search_chunk_sql(&AGREEMENTS, "");
        let params = Params::new(&sql, viewer, today, &q).with_search(&sql, &plan);
        let few = plan.candidates <= above;
        let mut job = CountJob::chunked(base, sql, params, last, if few { last.max(1) } else { chunk });
        if few {
            job.step(conn)?;
        }
        return Ok(job);
    }
    if lookup && plan.access.iter().all(|a| matches!(a, Access::Lookup { .. })) {
        // Under a narrow the tally cannot tell (it holds no status): the candidates are few
        // enough to test each.
        if let Some(sql) = search_sql(&plan, narrow, &q, Shape::Count) {
            return one_shot(&sql, Params::new(&sql, viewer, today, &q).with_search(&sql, &plan));
        }
        return Ok(CountJob::exact(0));
    }
    let sql = scan_chunk_sql(&AGREEMENTS, &narrow_sql);
    let params = Params::new(&sql, viewer, today, &q);
    Ok(CountJob::chunked(0, sql, params, last, chunk))
}

/// The count of the ACTIVE agreements, reading at most half of each branch's: most of a
/// party's agreements are ACTIVE, or most are EXPIRED. Where the EXPIRED are the fewer
/// (counted up to half the branch's total, which the tally holds), the ACTIVE are what the
/// total leaves after them and the cancelled and replaced (a few ranges of the status index
/// instead of one that holds nearly all); else they are counted as they are.
fn active_count_sql() -> String {
    let expired = narrow_sql(AgreementNarrow::Status(AgreementStatus::Expired));
    let active = narrow_sql(AgreementNarrow::Status(AgreementStatus::Active));
    let arms: Vec<String> = AGREEMENT_BRANCHES
        .iter()
        .map(|b| {
            let role = b.role;
            let total = format!("(SELECT coalesce(sum(n), 0) FROM agreement_tally WHERE {role})");
            format!(
                "(SELECT CASE WHEN expired * 2 <= total THEN total - closed - expired
                              ELSE (SELECT count(*) FROM agreements WHERE {role} AND {active}) END
                  FROM (SELECT {total} AS total,
                               (SELECT count(*) FROM agreements WHERE {role} AND {CLOSED} > 0) AS closed,
                               (SELECT count(*) FROM (SELECT 1 FROM agreements WHERE {role} AND {expired}
                                                      LIMIT {total} / 2 + 1)) AS expired))"
            )
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
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
