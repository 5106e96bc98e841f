//! Finding a list's record again after the file changed under it: whether the list still
//! holds it, where it sorts now and how many rows come before it, or why it is gone.
//!
//! Each answer is a query of the list itself (the same branches, walks and conditions as its
//! pages), narrowed to one id or counted from a keyset position: never a scan in Rust, never
//! OFFSET.

use std::cell::Cell;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::order::{self, Shape, Walk};
use super::{
    Branch, Cursor, ListQuery, OFFER_BRANCHES, OFFER_BRANCHES_WITH_ACCOUNTS, OPPORTUNITY_BRANCHES, Params, Sort,
    has_offer_accounts, offer_status_sql, offers_sql, opportunities_sql, opportunity_status_sql, page_sql, read_keyed,
};
use crate::domain::{AccountId, OfferStatus, OpportunityStatus};
use crate::store::StoreResult;

/// Why a list no longer holds a record it held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// No such record any more.
    Deleted,
    /// It is there, but the viewer may no longer see it.
    Hidden,
    /// Its status is no longer the one the list is narrowed to.
    Status,
    /// It no longer matches the list's text filter.
    Filter,
}

/// Where a list stands at a record (the query's `after`): the row to read from and its row
/// number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// How many rows of the list come before `from`.
    pub row: u64,
    /// The record's cursor as it sorts now; if it is gone, the cursor it had, where the row
    /// after it now stands. `None`: the top.
    pub from: Option<Cursor>,
    /// Why the record is not in the list any more (`None`: it is, at `from`).
    pub gone: Option<Gone>,
}

/// Where the opportunity at `q.after` (its id, and its keys when last read) stands in the
/// list `q` and `status` describe.
pub fn locate_opportunity(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OpportunityStatus>,
    q: &ListQuery,
) -> StoreResult<Position> {
    let listed = |with_status: bool, filter: Option<&str>| -> StoreResult<Option<Cursor>> {
        let walks = OPPORTUNITY_BRANCHES.map(|b| (b, order::opportunity_walks(&b, q.sort)));
        let cond = only("opportunities", status.filter(|_| with_status).map(opportunity_status_sql));
        find(conn, viewer, today, "opportunities", &walks, &cond, q, filter)
    };
    let count = |from: &ListQuery, shape: Shape| -> StoreResult<(u64, u64)> {
        let Some(sql) = opportunities_sql(status.map(opportunity_status_sql), from, shape) else {
            return Ok((0, 0));
        };
        run_count(conn, &sql, Params::new(&sql, viewer, today, from))
    };
    locate(conn, "opportunities", status.is_some(), q, listed, count)
}

/// Where the offer at `q.after` (its id, and its keys when last read) stands in the list `q`
/// and `status` describe.
pub fn locate_offer(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    q: &ListQuery,
) -> StoreResult<Position> {
    let accounts = has_offer_accounts(conn, viewer)?;
    // The plain branch queries, narrowed to the id: the rows (and keys) the trigram path of
    // a filtered list pages through, without reading its candidates.
    let listed = |with_status: bool, filter: Option<&str>| -> StoreResult<Option<Cursor>> {
        let status = status.filter(|_| with_status);
        let statuses: Vec<OfferStatus> = status.map_or_else(|| OfferStatus::ALL.to_vec(), |s| vec![s]);
        let branches: &[Branch] = if accounts { &OFFER_BRANCHES_WITH_ACCOUNTS } else { &OFFER_BRANCHES };
        let walks: Vec<(Branch, Vec<Walk>)> = branches
            .iter()
            .map(|b| (*b, order::offer_walks(b, q.sort, "offers", !accounts && b.indexed, &statuses)))
            .collect();
        let cond = only("offers", status.filter(|_| q.sort != Sort::Status).map(offer_status_sql));
        find(conn, viewer, today, "offers", &walks, &cond, q, filter)
    };
    let count = |from: &ListQuery, shape: Shape| -> StoreResult<(u64, u64)> {
        match offers_sql(conn, viewer, today, status, from, shape)? {
            (Some(sql), params) => run_count(conn, &sql, params),
            (None, _) => Ok((0, 0)),
        }
    };
    locate(conn, "offers", status.is_some(), q, listed, count)
}

/// What both lists do: the record as the list holds it now, else why not; then the rows
/// before it (or before where it stood, where the row after it now is). `listed(with the
/// status filter, text filter)`: the record's cursor in the list so narrowed, if it is there.
fn locate(
    conn: &Connection,
    table: &str,
    narrowed: bool,
    q: &ListQuery,
    listed: impl Fn(bool, Option<&str>) -> StoreResult<Option<Cursor>>,
    count: impl Fn(&ListQuery, Shape) -> StoreResult<(u64, u64)>,
) -> StoreResult<Position> {
    let Some(was) = &q.after else { return Ok(Position { row: 0, from: None, gone: None }) };
    let (from, gone) = match listed(true, q.filter.as_deref())? {
        Some(now) => (now, None),
        None => {
            let exists: bool = conn
                .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))?
                .query_row([was.id.as_str()], |r| r.get(0))?;
            let why = if !exists {
                Gone::Deleted
            } else if listed(false, None)?.is_none() {
                Gone::Hidden
            } else if narrowed && listed(true, None)?.is_none() {
                Gone::Status
            } else {
                Gone::Filter
            };
            (was.clone(), Some(why))
        }
    };
    // Read backwards from it, the rows after it are those before it in the list. Near the
    // top, walking there as a page would is quickest; further down, a whole count is (on a
    // million offers: a status filter's range instead of its sort index, 0.2 s instead of
    // 1 s at row 100,000; a dense text filter's candidates, 0.4 s instead of 1.4 s).
    let back = ListQuery { descending: !q.descending, after: Some(from.clone()), inclusive: false, ..q.clone() };
    let (mut row, most) = count(&back, Shape::CountNear)?;
    if most >= NEAR.with(Cell::get) {
        row = count(&back, Shape::Count)?.0;
    }
    Ok(Position { row, from: Some(from), gone })
}

/// How many rows before a record are counted by walking to it as a page would, per walk
/// of the list, before a whole count takes over.
const NEAR_ROWS: u64 = 2_000;

thread_local! {
    static NEAR: Cell<u64> = const { Cell::new(NEAR_ROWS) };
}

/// Runs `f` with counts near a record stopping after `rows` rows, on this thread, so that
/// tests on small files take the paths big files take.
#[doc(hidden)]
pub fn with_near_rows<T>(rows: u64, f: impl FnOnce() -> T) -> T {
    let before = NEAR.with(|c| c.replace(rows.max(1)));
    let out = f();
    NEAR.with(|c| c.set(before));
    out
}

/// The condition that narrows a list to the record `:target`, with the status filter's.
fn only(table: &str, status: Option<&str>) -> String {
    let id = format!("{table}.id = :target");
    match status {
        Some(s) => format!("{id} AND {s}"),
        None => id,
    }
}

/// The cursor of the record `q.after` names in the list of `walks` under `cond` and
/// `filter`, if the list holds it.
#[expect(clippy::too_many_arguments, reason = "the parts of one list query, as page_sql takes them")]
fn find(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    table: &str,
    walks: &[(Branch, Vec<Walk>)],
    cond: &str,
    q: &ListQuery,
    filter: Option<&str>,
) -> StoreResult<Option<Cursor>> {
    let Some(id) = q.after.as_ref().map(|c| c.id.clone()) else { return Ok(None) };
    let one = ListQuery { filter: filter.map(str::to_owned), after: None, inclusive: false, limit: 1, ..q.clone() };
    let Some(sql) = page_sql(table, walks, Some(cond), &one, Shape::Page) else { return Ok(None) };
    let mut params = Params::new(&sql, viewer, today, &one);
    params.named.push((":target", Box::new(id)));
    let keyed = read_keyed(conn, &sql, &params, |r| r.get::<_, String>("id"), String::clone)?;
    Ok(keyed.into_iter().next().map(|(cursor, _)| cursor))
}

/// Runs a count (see [`Shape`]): the rows counted, and the most any walk counted.
fn run_count(conn: &Connection, sql: &str, mut params: Params) -> StoreResult<(u64, u64)> {
    if sql.contains(":near") {
        params.named.push((":near", Box::new(NEAR.with(Cell::get) as i64)));
    }
    let (n, most): (Option<i64>, Option<i64>) =
        conn.prepare_cached(sql)?.query_row(params.as_refs().as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((n.unwrap_or(0) as u64, most.unwrap_or(0) as u64))
}

/// Where the agreement at `q.after` stands in the list `q` and `narrow` describe: one of
/// cppo's or one imported from AWS.
pub fn locate_agreement(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    narrow: Option<super::AgreementNarrow>,
    q: &ListQuery,
) -> StoreResult<Position> {
    use super::agreements::{
        AGREEMENT_BRANCHES, AWS_BRANCHES, agreement_walks, agreements_query, aws_narrow_sql, aws_walks, narrow_sql,
    };
    let listed = |with_narrow: bool, filter: Option<&str>| -> StoreResult<Option<Cursor>> {
        let narrow = narrow.filter(|_| with_narrow);
        let walks = AGREEMENT_BRANCHES.map(|b| (b, agreement_walks(&b, q.sort)));
        let cond = only("agreements", narrow.map(narrow_sql).as_deref());
        if let Some(c) = find(conn, viewer, today, "agreements", &walks, &cond, q, filter)? {
            return Ok(Some(c));
        }
        let walks = AWS_BRANCHES.map(|b| (b, aws_walks(&b, q.sort)));
        let cond = only("aws_agreements", narrow.map(aws_narrow_sql).as_deref());
        find(conn, viewer, today, "aws_agreements", &walks, &cond, q, filter)
    };
    let count = |from: &ListQuery, shape: Shape| -> StoreResult<(u64, u64)> {
        match agreements_query(conn, viewer, today, narrow, from, shape)? {
            (Some(sql), params) => run_count(conn, &sql, params),
            (None, _) => Ok((0, 0)),
        }
    };
    let both = "(SELECT id FROM agreements UNION ALL SELECT id FROM aws_agreements)";
    locate(conn, both, narrow.is_some(), q, listed, count)
}
