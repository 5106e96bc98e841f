//! How many agreements the Agreements tab shows under a narrow and a filter: cppo's counted
//! from the tally, the status indexes or the filter's candidates when that is cheap, else a
//! chunk of rows at a time ([`CountJob`]); AWS's, a partner's imported book, as they are.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::agreements::{
    AGREEMENT_BRANCHES, AGREEMENTS, AWS_BRANCHES, AgreementNarrow, CLOSED, aws_narrow_sql, narrow_sql, own_search_arms,
};
use super::order::{Shape, union_sql};
use super::search::{Access, CAPS, SearchPlan, scan_chunk_sql, search_chunk_sql, search_tally_sql, tally_count_sql};
use super::{CHUNKS, CountJob, ListQuery, Params, count_sql};
use crate::domain::{AccountId, AgreementStatus};
use crate::store::StoreResult;

/// Rowids counted per step (the offers' count steps through 16,384): an agreement's filter
/// tests five columns where an offer's tests two, and a step of 16,384 agreements took up to
/// 11 ms at a million offers, which the next key's page waits for; this many, under 4 ms.
const COUNT_CHUNK: i64 = 4_096;

/// How many agreements the tab shows under `narrow` and `filter`, of both tables.
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

/// Starts counting the agreements the tab shows: AWS's at once, and cppo's (see
/// [`start_count_own`]).
pub fn start_count_agreements(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<AgreementNarrow>,
    filter: Option<&str>,
) -> StoreResult<CountJob> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let sql = count_sql("aws_agreements", &AWS_BRANCHES, narrow.map(aws_narrow_sql).as_deref(), filter.is_some());
    let params = Params::new(&sql, viewer, today, &q);
    let aws: i64 = conn.prepare_cached(&sql)?.query_row(params.as_refs().as_slice(), |r| r.get(0))?;
    Ok(start_count_own(conn, viewer, today, narrow, filter)?.plus(aws as u64))
}

/// Starts counting cppo's agreements the tab shows: answered at once from the tally (no
/// filter, or one whose trigram candidates are few), the status indexes (a narrow) or the
/// candidates (a narrow and a filter with few); else a chunk of rows at a time (a short
/// filter, or one most agreements match), as the offers' count does.
fn start_count_own(
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
    let chunk = chunk.min(COUNT_CHUNK);
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
        let mut arms = Vec::new();
        let (keys, with) = own_search_arms(&plan, narrow, &q, Shape::Count, &mut arms);
        if let Some(sql) = union_sql(&with, arms, keys, &q, Shape::Count) {
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
