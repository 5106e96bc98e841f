//! Lists scoped to the acting account, answered a page at a time.
//!
//! Each list is a union of one branch per role the viewer may hold (ISV, partner, buyer),
//! each branch on its own index, walked with keyset pagination on `(sort column, id)`:
//! never OFFSET, never a whole-table load, and never a filter applied after the fact.
//! The branch predicates are the SQL form of `domain::visibility`.

use chrono::NaiveDate;
use rusqlite::{Connection, ToSql};

use super::StoreResult;
use super::codec::date;
use super::offers::{self, OfferRecord};
use super::opportunities;
use crate::domain::{AccountId, Agreement, Disbursement, OfferStatus, Opportunity, OpportunityStatus};

/// Where the next page starts: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: String,
}

/// The sortable columns (each backed by an index per role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Creation time (the default).
    #[default]
    Created,
    Name,
    /// The end date (opportunities) or expiry (offers); undated rows last.
    Date,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Created, Sort::Name, Sort::Date];
    pub fn label(self) -> &'static str {
        match self {
            Sort::Created => "created",
            Sort::Name => "name",
            Sort::Date => "date",
        }
    }
}

/// One page request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub sort: Sort,
    pub descending: bool,
    /// Text typed by the user; matched anywhere in id, name, accounts and product.
    pub filter: Option<String>,
    pub after: Option<Cursor>,
    /// Include the row at `after` itself (a reload that keeps the same first row).
    pub inclusive: bool,
    pub limit: usize,
}

/// A page of rows, the cursor of its first row (to page backwards from it) and the cursor
/// of the next page, if more rows follow.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// The keyset cursor of each row, to page on from any of them.
    pub keys: Vec<Cursor>,
    pub first: Option<Cursor>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// The same page with its rows mapped (rows mapped to `None` are dropped, with their key).
    pub fn map<U>(self, mut f: impl FnMut(T) -> Option<U>) -> Page<U> {
        let (rows, keys) = self.rows.into_iter().zip(self.keys).filter_map(|(r, k)| f(r).map(|u| (u, k))).unzip();
        Page { rows, keys, first: self.first, next: self.next }
    }
}

#[derive(Clone, Copy)]
struct Branch {
    role: &'static str,
    /// Columns the filter may look at in this branch.
    searchable: &'static [&'static str],
}

const OPPORTUNITY_BRANCHES: [Branch; 2] = [
    Branch { role: "isv_account_id = :v", searchable: &["id", "name", "partner_account_id", "product_id"] },
    Branch {
        role: "partner_account_id = :v AND state <> 'draft' AND isv_account_id <> :v",
        searchable: &["id", "name", "isv_account_id", "product_id"],
    },
];

const OFFER_BRANCHES: [Branch; 3] = [
    Branch {
        role: "partner_account_id = :v",
        searchable: &["id", "name", "buyer_account_id", "isv_account_id", "product_id", "opportunity_id"],
    },
    // The ISV sees the end buyer of one-time opportunities only: the filter must not reveal it.
    Branch {
        role: "isv_account_id = :v AND state = 'released' AND partner_account_id <> :v",
        searchable: &["id", "name", "partner_account_id", "product_id", "opportunity_id"],
    },
    Branch {
        role: "buyer_account_id = :v AND state = 'released' AND partner_account_id <> :v AND isv_account_id <> :v",
        searchable: &["id", "name", "partner_account_id", "product_id"],
    },
];

/// [`OFFER_BRANCHES`] and the offers that target the viewer as one of the buyer's other
/// accounts (`offer_accounts`, imported offers only). Used only for a viewer that has such
/// offers, with the plain scans: a buyer's few offers need neither the tally nor the trigrams.
const OFFER_BRANCHES_WITH_ACCOUNTS: [Branch; 4] = [
    OFFER_BRANCHES[0],
    OFFER_BRANCHES[1],
    OFFER_BRANCHES[2],
    Branch {
        role: "id IN (SELECT offer_id FROM offer_accounts WHERE account_id = :v) AND buyer_account_id <> :v
               AND state = 'released' AND partner_account_id <> :v AND isv_account_id <> :v",
        searchable: &["id", "name", "partner_account_id", "product_id"],
    },
];

/// Is `viewer` one of the other buyer accounts of some offer?
fn has_offer_accounts(conn: &Connection, viewer: &AccountId) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM offer_accounts WHERE account_id = ?1)")?
        .query_row([viewer.as_str()], |r| r.get(0))?)
}

fn sort_column(sort: Sort, date_col: &'static str) -> &'static str {
    match sort {
        Sort::Created => "created_at",
        Sort::Name => "name",
        Sort::Date => date_col,
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Builds the scoped, filtered, keyset-paged union for one table.
fn page_sql(table: &str, branches: &[Branch], status: Option<&str>, q: &ListQuery, col: &str) -> String {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let cmp = if q.descending { "<" } else { ">" };
    let mut arms = Vec::new();
    for b in branches {
        let mut cond = vec![b.role.to_owned()];
        if let Some(s) = status {
            cond.push(s.to_owned());
        }
        if q.filter.is_some() {
            let any: Vec<String> = b.searchable.iter().map(|c| format!("{c} LIKE :f ESCAPE '\\'")).collect();
            cond.push(format!("({})", any.join(" OR ")));
        }
        if q.after.is_some() {
            let eq = if q.inclusive { "=" } else { "" };
            cond.push(format!("({col}, id) {cmp}{eq} (:k, :id)"));
        }
        arms.push(format!(
            "SELECT * FROM (SELECT * FROM {table} WHERE {} ORDER BY {col} {dir}, id {dir} LIMIT :limit)",
            cond.join(" AND ")
        ));
    }
    format!("{} ORDER BY {col} {dir}, id {dir} LIMIT :limit", arms.join(" UNION ALL "))
}

fn count_sql(table: &str, branches: &[Branch], status: Option<&str>, filter: bool) -> String {
    let arms: Vec<String> = branches
        .iter()
        .map(|b| {
            let mut cond = vec![b.role.to_owned()];
            if let Some(s) = status {
                cond.push(s.to_owned());
            }
            if filter {
                let any: Vec<String> = b.searchable.iter().map(|c| format!("{c} LIKE :f ESCAPE '\\'")).collect();
                cond.push(format!("({})", any.join(" OR ")));
            }
            format!("(SELECT count(*) FROM {table} WHERE {})", cond.join(" AND "))
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
}

/// The SQL form of `OpportunityStatus`, given `:today`.
fn opportunity_status_sql(s: OpportunityStatus) -> &'static str {
    match s {
        OpportunityStatus::Draft => "state = 'draft'",
        OpportunityStatus::Deactivated => "state = 'restricted'",
        OpportunityStatus::Expired => "state = 'active' AND ends_on < :today",
        OpportunityStatus::AuthorizedConsumed => {
            "state = 'active' AND ends_on >= :today AND kind = 'one_time' AND offers_created > 0"
        }
        OpportunityStatus::AuthorizedReusable => {
            "state = 'active' AND ends_on >= :today AND kind = 'recurring' AND offers_created > 0"
        }
        OpportunityStatus::Authorized => "state = 'active' AND ends_on >= :today AND offers_created = 0",
    }
}

/// The SQL form of `OfferStatus`, given `:today`.
fn offer_status_sql(s: OfferStatus) -> &'static str {
    match s {
        OfferStatus::Draft => "state = 'draft'",
        OfferStatus::Accepted => "state = 'released' AND agreement_id IS NOT NULL",
        OfferStatus::Expired => "state = 'released' AND agreement_id IS NULL AND expires_on < :today",
        OfferStatus::Active => "state = 'released' AND agreement_id IS NULL AND expires_on >= :today",
    }
}

struct Params {
    named: Vec<(&'static str, Box<dyn ToSql>)>,
}

impl Params {
    fn new(sql: &str, viewer: &AccountId, today: NaiveDate, q: &ListQuery) -> Self {
        let mut named: Vec<(&'static str, Box<dyn ToSql>)> = vec![(":v", Box::new(viewer.as_str().to_owned()))];
        if sql.contains(":today") {
            named.push((":today", Box::new(date(today))));
        }
        if let Some(f) = &q.filter {
            named.push((":f", Box::new(like_pattern(f))));
        }
        if let Some(c) = q.after.as_ref().filter(|_| sql.contains(":k")) {
            named.push((":k", Box::new(c.key.clone())));
            named.push((":id", Box::new(c.id.clone())));
        }
        if sql.contains(":limit") {
            named.push((":limit", Box::new(q.limit.max(1) as i64)));
        }
        Self { named }
    }
    /// Adds the trigram query and each lookup branch's opportunities, if the SQL uses them.
    fn with_search(mut self, sql: &str, plan: &SearchPlan) -> Self {
        if let Some(m) = plan.fts.as_ref().filter(|_| sql.contains(":m")) {
            self.named.push((":m", Box::new(m.clone())));
        }
        for (i, access) in plan.access.iter().enumerate() {
            let name = [":o0", ":o1", ":o2"][i];
            if let Access::Lookup { opportunities } = access
                && sql.contains(name)
            {
                self.named.push((name, Box::new(serde_json::Value::from(opportunities.clone()).to_string())));
            }
        }
        self
    }
    fn as_refs(&self) -> Vec<(&str, &dyn ToSql)> {
        self.named.iter().map(|(k, v)| (*k, v.as_ref())).collect()
    }
}

fn cursor_of(key: String, id: &str) -> Cursor {
    Cursor { key, id: id.to_owned() }
}

fn page_of<T>(rows: Vec<T>, keys: Vec<Cursor>, q: &ListQuery) -> Page<T> {
    let first = keys.first().cloned();
    let next = if keys.len() >= q.limit.max(1) { keys.last().cloned() } else { None };
    Page { rows, keys, first, next }
}

/// A page of the opportunities `viewer` may see.
pub fn opportunities(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OpportunityStatus>,
    q: &ListQuery,
) -> StoreResult<Page<Opportunity>> {
    let col = sort_column(q.sort, "ends_on");
    let sql = page_sql("opportunities", &OPPORTUNITY_BRANCHES, status.map(opportunity_status_sql), q, col);
    let params = Params::new(&sql, viewer, today, q);
    let mut st = conn.prepare_cached(&sql)?;
    let mut keyed = Vec::new();
    let mut rows = st.query(params.as_refs().as_slice())?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(col)?;
        keyed.push((key, opportunities::row(r)?));
    }
    let keys: Vec<Cursor> = keyed.iter().map(|(k, o)| cursor_of(k.clone(), o.id.as_str())).collect();
    let rows = keyed.into_iter().map(|(_, o)| opportunities::complete(conn, o)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

pub fn count_opportunities(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OpportunityStatus>,
    filter: Option<&str>,
) -> StoreResult<u64> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let sql = count_sql("opportunities", &OPPORTUNITY_BRANCHES, status.map(opportunity_status_sql), filter.is_some());
    let params = Params::new(&sql, viewer, today, &q);
    Ok(conn.prepare_cached(&sql)?.query_row(params.as_refs().as_slice(), |r| r.get::<_, i64>(0))? as u64)
}

/// A page of the offers `viewer` may see.
pub fn offers(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    q: &ListQuery,
) -> StoreResult<Page<OfferRecord>> {
    let col = sort_column(q.sort, "expires_on");
    let status_sql = status.map(offer_status_sql);
    let (sql, plan) = match q.filter.as_deref() {
        _ if has_offer_accounts(conn, viewer)? => {
            (page_sql("offers", &OFFER_BRANCHES_WITH_ACCOUNTS, status_sql, q, col), None)
        }
        Some(f) => {
            let plan = SearchPlan::new(conn, viewer, f, CAPS.with(|c| c.get().0))?;
            (offer_search_page_sql(&plan, status_sql, q, col), Some(plan))
        }
        None => (page_sql("offers", &OFFER_BRANCHES, status_sql, q, col), None),
    };
    let mut params = Params::new(&sql, viewer, today, q);
    if let Some(plan) = &plan {
        params = params.with_search(&sql, plan);
    }
    let mut st = conn.prepare_cached(&sql)?;
    let mut keyed = Vec::new();
    let mut rows = st.query(params.as_refs().as_slice())?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(col)?;
        keyed.push((key, offers::row(r)?));
    }
    let keys: Vec<Cursor> = keyed.iter().map(|(k, o)| cursor_of(k.clone(), o.offer.id.as_str())).collect();
    let rows = keyed.into_iter().map(|(_, o)| offers::complete(conn, o)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

pub fn count_offers(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    filter: Option<&str>,
) -> StoreResult<u64> {
    let mut job = start_count_offers(conn, viewer, today, status, filter)?;
    while !job.is_done() {
        job.step(conn)?;
    }
    Ok(job.so_far())
}

/// Starts counting the offers `viewer` may see: answered at once when that is cheap (the
/// tally, a few trigram candidates, the id and name indexes), else a chunk of rows at a time
/// (see [`CountJob`]).
pub fn start_count_offers(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    filter: Option<&str>,
) -> StoreResult<CountJob> {
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    if has_offer_accounts(conn, viewer)? {
        let sql = count_sql("offers", &OFFER_BRANCHES_WITH_ACCOUNTS, status.map(offer_status_sql), filter.is_some());
        let n = conn
            .prepare_cached(&sql)?
            .query_row(Params::new(&sql, viewer, today, &q).as_refs().as_slice(), |r| r.get::<_, i64>(0))?;
        return Ok(CountJob::exact(n as u64));
    }
    // The tally knows the state of each group, not the derived status.
    let tally_state = match status {
        None => Some(""),
        Some(OfferStatus::Draft) => Some("state = 'draft'"),
        Some(_) => None,
    };
    let one_shot = |sql: &str, params: Params| -> StoreResult<CountJob> {
        let n = conn.prepare_cached(sql)?.query_row(params.as_refs().as_slice(), |r| r.get::<_, i64>(0))?;
        Ok(CountJob::exact(n as u64))
    };
    match (tally_state, filter) {
        (Some(state), None) => {
            let sql = tally_count_sql(state);
            one_shot(&sql, Params::new(&sql, viewer, today, &q))
        }
        (Some(state), Some(f)) => {
            let plan = SearchPlan::new(conn, viewer, f, CAPS.with(|c| c.get().1))?;
            let (above, chunk) = CHUNKS.with(|c| c.get());
            let lookup = plan.fts.is_some() && plan.few;
            let index_only = !plan.sets.iter().any(|s| *s) && above > 0;
            if index_only && !lookup {
                let sql = scan_count_sql(state, &plan);
                return one_shot(&sql, Params::new(&sql, viewer, today, &q));
            }
            let last: i64 = conn.query_row("SELECT coalesce(max(rowid), 0) FROM offers", [], |r| r.get(0))?;
            if !lookup {
                let sql = scan_chunk_sql(state);
                let params = Params::new(&sql, viewer, today, &q);
                return Ok(CountJob::chunked(0, sql, params, last, chunk));
            }
            // The matching tally groups at once, then the trigram candidates outside them by
            // rowid range: all in one step when they are few.
            let sql = search_tally_sql(state);
            let base = conn
                .prepare_cached(&sql)?
                .query_row(Params::new(&sql, viewer, today, &q).as_refs().as_slice(), |r| r.get::<_, i64>(0))?;
            let sql = search_chunk_sql(state);
            let params = Params::new(&sql, viewer, today, &q).with_search(&sql, &plan);
            let few = plan.candidates <= above;
            let mut job = CountJob::chunked(base as u64, sql, params, last, if few { last.max(1) } else { chunk });
            if few {
                job.step(conn)?;
            }
            Ok(job)
        }
        (None, _) => {
            let sql = count_sql("offers", &OFFER_BRANCHES, status.map(offer_status_sql), filter.is_some());
            one_shot(&sql, Params::new(&sql, viewer, today, &q))
        }
    }
}

/// A count of offers, done at once or a range of rowids per [`CountJob::step`]. Between
/// steps, what it has counted is a lower bound of the total: a screen shows it at once
/// ("12,000+") and answers other requests while the count goes on.
pub struct CountJob {
    counted: u64,
    chunks: Option<Chunks>,
}

struct Chunks {
    sql: String,
    params: Params,
    /// The first rowid not counted yet, the last to count, and how many a step counts.
    next: i64,
    last: i64,
    span: i64,
}

/// A filter with more trigram candidates than this is counted in chunks.
const CHUNKED_ABOVE: usize = 20_000;
/// Rowids counted per step: 6-8 ms of reading on a 2-core VM, the longest a page request
/// waits behind a running count (smaller steps make the whole count slower).
const COUNT_CHUNK: i64 = 16_384;

thread_local! {
    static CHUNKS: std::cell::Cell<(usize, i64)> = const { std::cell::Cell::new((CHUNKED_ABOVE, COUNT_CHUNK)) };
}

/// Runs `f` with counts chunked above `above` trigram candidates, `chunk` rowids a step, on
/// this thread, so that tests on small files take the paths big files take.
#[doc(hidden)]
pub fn with_count_chunks<T>(above: usize, chunk: i64, f: impl FnOnce() -> T) -> T {
    let before = CHUNKS.with(|c| c.replace((above, chunk.max(1))));
    let out = f();
    CHUNKS.with(|c| c.set(before));
    out
}

impl CountJob {
    /// A count already known.
    pub fn exact(n: u64) -> Self {
        Self { counted: n, chunks: None }
    }
    fn chunked(base: u64, sql: String, params: Params, last: i64, span: i64) -> Self {
        Self { counted: base, chunks: Some(Chunks { sql, params, next: 1, last, span }) }
    }
    /// The count so far: the total once [`is_done`](Self::is_done), a lower bound before.
    pub fn so_far(&self) -> u64 {
        self.counted
    }
    pub fn is_done(&self) -> bool {
        self.chunks.as_ref().is_none_or(|c| c.next > c.last)
    }
    /// Counts the next range of rows.
    pub fn step(&mut self, conn: &Connection) -> StoreResult<()> {
        let Some(c) = self.chunks.as_mut().filter(|c| c.next <= c.last) else { return Ok(()) };
        let hi = c.next.saturating_add(c.span - 1);
        let mut named = c.params.as_refs();
        named.push((":lo", &c.next as &dyn ToSql));
        named.push((":hi", &hi as &dyn ToSql));
        let n: i64 = conn.prepare_cached(&c.sql)?.query_row(named.as_slice(), |r| r.get(0))?;
        self.counted += n as u64;
        c.next = hi.saturating_add(1);
        Ok(())
    }
}

impl std::fmt::Debug for CountJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountJob").field("counted", &self.counted).field("done", &self.is_done()).finish()
    }
}

// ---- Offers on big files: the tally (migration 0002) and the trigram tables --------------
//
// A text filter matches an offer when it occurs in one of the branch's searchable columns.
// Those split in two kinds. The account, product and opportunity columns hold ids from small
// tables, and every (partner, ISV, buyer, product, opportunity, state) combination is a row of
// `offer_tally` with its offer count: which of them match, and how many offers that makes, is
// a sum over a few hundred rows. The offer's own id and name are different for every offer:
// the trigram indexes give the rows that hold all of the filter's trigrams (a superset of the
// matches), and the LIKE of before decides. So each branch is either
// - looked up: its candidates (trigram hits, plus the offers of the opportunities whose tally
//   groups match) are read by rowid, tested with the branch's LIKE, sorted and cut; or
// - scanned, when the candidates are many: its sort index is walked in order and each row
//   tested with the LIKE; with that many matches a page fills after a short walk.
// A count adds the matching tally groups to the id and name matches outside them, read from
// the candidates; only a short filter (under three characters) or one matching a large share
// of the rows still tests every row in scope. A file without trigram tables (they come with
// the first bulk load, see `store::bulk`) scans for every filter, as small files can afford.

/// Filters of at least this many characters use the trigram indexes.
const TRIGRAM: usize = 3;
/// At most this many of a filter's trigrams are looked up (any subset narrows correctly).
const MAX_TRIGRAMS: usize = 8;
/// A page is answered from at most this many candidate rows; beyond that, by a scan.
const CANDIDATES: usize = 8_000;
/// A count is made from at most this many candidate rows; beyond that, by a scan.
const COUNT_CANDIDATES: usize = 250_000;

thread_local! {
    static CAPS: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((CANDIDATES, COUNT_CANDIDATES)) };
}

/// Runs `f` with the page and count candidate caps set to `page` and `count` on this thread,
/// so that tests on small files take the paths big files take.
#[doc(hidden)]
pub fn with_candidate_caps<T>(page: usize, count: usize, f: impl FnOnce() -> T) -> T {
    let before = CAPS.with(|c| c.replace((page, count)));
    let out = f();
    CAPS.with(|c| c.set(before));
    out
}

/// How one branch of an offers query finds its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Access {
    /// Walk the branch's sort index, testing each row.
    Scan,
    /// Read the trigram candidates and the offers of these opportunities.
    Lookup { opportunities: Vec<String> },
}

#[derive(Debug)]
struct SearchPlan {
    /// The FTS5 query: the filter's trigrams, quoted and joined with AND.
    fts: Option<String>,
    /// The trigram candidates number at most the cap the plan was made with.
    few: bool,
    /// How many trigram candidates there are (up to the cap, plus one).
    candidates: usize,
    access: [Access; 3],
    /// Per branch, whether any of its tally groups matches the filter by account, product or
    /// opportunity id.
    sets: [bool; 3],
}

impl SearchPlan {
    fn new(conn: &Connection, viewer: &AccountId, filter: &str, cap: usize) -> StoreResult<Self> {
        let fts = if super::bulk::has_search(conn)? { trigram_query(filter) } else { None };
        let candidates = match &fts {
            Some(m) => {
                let n: i64 = conn
                    .prepare_cached(
                        "SELECT (SELECT count(*) FROM (SELECT 1 FROM offer_search_id WHERE offer_search_id MATCH ?1 LIMIT ?2))
                              + (SELECT count(*) FROM (SELECT 1 FROM offer_search_name WHERE offer_search_name MATCH ?1 LIMIT ?2))",
                    )?
                    .query_row(rusqlite::params![m, cap as i64 + 1], |r| r.get(0))?;
                n as usize
            }
            None => usize::MAX,
        };
        let few = candidates <= cap;
        let pattern = like_pattern(filter);
        let mut access = [Access::Scan, Access::Scan, Access::Scan];
        let mut sets = [false; 3];
        for (i, b) in OFFER_BRANCHES.iter().enumerate() {
            // The opportunities of the branch's tally groups that the filter matches, and how
            // many offers those opportunities hold in all (what reading them costs).
            let sql = format!(
                "SELECT opportunity_id, (SELECT sum(n) FROM offer_tally a WHERE a.opportunity_id = g.opportunity_id)
                 FROM (SELECT DISTINCT opportunity_id FROM offer_tally WHERE {} AND {}) g",
                b.role,
                sets_sql(b)
            );
            let mut st = conn.prepare_cached(&sql)?;
            let rows = st
                .query_map(&[(":v", &viewer.as_str() as &dyn ToSql), (":f", &pattern as &dyn ToSql)], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0)))
                })?;
            let mut opportunities = Vec::new();
            let mut cost = 0i64;
            for row in rows {
                let (o, n) = row?;
                opportunities.push(o);
                cost += n;
            }
            sets[i] = !opportunities.is_empty();
            if few && cost as usize <= cap {
                access[i] = Access::Lookup { opportunities };
            }
        }
        Ok(Self { fts, few, candidates, access, sets })
    }
}

/// The FTS5 query for `text`: up to [`MAX_TRIGRAMS`] of its trigrams, each a quoted string,
/// joined with AND; `None` if it is shorter than a trigram.
fn trigram_query(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < TRIGRAM {
        return None;
    }
    let count = chars.len() - TRIGRAM + 1;
    let picks: Vec<usize> = if count <= MAX_TRIGRAMS {
        (0..count).collect()
    } else {
        (0..MAX_TRIGRAMS).map(|i| i * (count - 1) / (MAX_TRIGRAMS - 1)).collect()
    };
    let mut terms: Vec<String> = Vec::new();
    for i in picks {
        let t: String = chars[i..i + TRIGRAM].iter().collect();
        let quoted = format!("\"{}\"", t.replace('"', "\"\""));
        if !terms.contains(&quoted) {
            terms.push(quoted);
        }
    }
    Some(terms.join(" AND "))
}

/// The branch's searchable columns other than the offer's own id and name, as a LIKE test
/// that reads the same on `offers` and on `offer_tally` (where a missing buyer is '').
fn sets_sql(b: &Branch) -> String {
    let any: Vec<String> = b
        .searchable
        .iter()
        .filter(|c| !matches!(**c, "id" | "name"))
        .map(|c| format!("coalesce({c}, '') LIKE :f ESCAPE '\\'"))
        .collect();
    if any.is_empty() { "0".to_owned() } else { format!("({})", any.join(" OR ")) }
}

/// The branch's filter as `page_sql` writes it: any searchable column LIKE the text.
fn like_sql(b: &Branch) -> String {
    let any: Vec<String> = b.searchable.iter().map(|c| format!("{c} LIKE :f ESCAPE '\\'")).collect();
    format!("({})", any.join(" OR "))
}

/// The trigram candidates, and each lookup branch's (`c0`..`c2`): those plus the offers of
/// its matching opportunities.
fn candidates_sql(plan: &SearchPlan) -> String {
    let mut ctes = vec![
        "t(r) AS MATERIALIZED (SELECT rowid FROM offer_search_id WHERE offer_search_id MATCH :m
                               UNION SELECT rowid FROM offer_search_name WHERE offer_search_name MATCH :m)"
            .to_owned(),
    ];
    for (i, a) in plan.access.iter().enumerate() {
        if let Access::Lookup { opportunities } = a
            && !opportunities.is_empty()
        {
            ctes.push(format!(
                "c{i}(r) AS MATERIALIZED (SELECT r FROM t UNION SELECT rowid FROM offers
                                          WHERE opportunity_id IN (SELECT value FROM json_each(:o{i})))"
            ));
        }
    }
    format!("WITH {}", ctes.join(", "))
}

fn candidate_table(plan: &SearchPlan, i: usize) -> String {
    match &plan.access[i] {
        Access::Lookup { opportunities } if !opportunities.is_empty() => format!("c{i}"),
        _ => "t".to_owned(),
    }
}

/// `page_sql` for a filtered offers query, each branch looked up or scanned per `plan`.
fn offer_search_page_sql(plan: &SearchPlan, status: Option<&str>, q: &ListQuery, col: &str) -> String {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let cmp = if q.descending { "<" } else { ">" };
    let mut arms = Vec::new();
    for (i, b) in OFFER_BRANCHES.iter().enumerate() {
        let mut cond = vec![b.role.to_owned()];
        cond.extend(status.map(str::to_owned));
        cond.push(like_sql(b));
        if q.after.is_some() {
            let eq = if q.inclusive { "=" } else { "" };
            cond.push(format!("({col}, id) {cmp}{eq} (:k, :id)"));
        }
        let from = match plan.access[i] {
            Access::Scan => "offers".to_owned(),
            Access::Lookup { .. } => format!("{} CROSS JOIN offers ON offers.rowid = r", candidate_table(plan, i)),
        };
        arms.push(format!(
            "SELECT * FROM (SELECT offers.* FROM {from} WHERE {} ORDER BY {col} {dir}, id {dir} LIMIT :limit)",
            cond.join(" AND ")
        ));
    }
    let with = if plan.access.iter().any(|a| matches!(a, Access::Lookup { .. })) {
        candidates_sql(plan)
    } else {
        String::new()
    };
    format!("{with} {} ORDER BY {col} {dir}, id {dir} LIMIT :limit", arms.join(" UNION ALL "))
}

/// A scoped count from the tally alone (no text filter), `state` a condition or "".
fn tally_count_sql(state: &str) -> String {
    let arms: Vec<String> = OFFER_BRANCHES
        .iter()
        .map(|b| {
            let mut cond = vec![b.role.to_owned()];
            if !state.is_empty() {
                cond.push(state.to_owned());
            }
            format!("(SELECT coalesce(sum(n), 0) FROM offer_tally WHERE {})", cond.join(" AND "))
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
}

/// ` AND <state>`, or nothing for "any state".
fn and_state(state: &str) -> String {
    if state.is_empty() { String::new() } else { format!(" AND {state}") }
}

/// A filtered scoped count is the matching tally groups (this) plus the trigram candidates
/// outside them whose id or name matches ([`search_chunk_sql`]; the three branches never
/// overlap).
fn search_tally_sql(state: &str) -> String {
    let state = and_state(state);
    let tally: Vec<String> = OFFER_BRANCHES
        .iter()
        .map(|b| format!("(SELECT coalesce(sum(n), 0) FROM offer_tally WHERE {}{state} AND {})", b.role, sets_sql(b)))
        .collect();
    format!("SELECT {}", tally.join(" + "))
}

/// The trigram candidates with rowids in `:lo..=:hi`, outside the matching tally groups,
/// whose id or name matches.
fn search_chunk_sql(state: &str) -> String {
    let state = and_state(state);
    let outside: Vec<String> =
        OFFER_BRANCHES.iter().map(|b| format!("({}{state} AND NOT {})", b.role, sets_sql(b))).collect();
    format!(
        "WITH t(r) AS MATERIALIZED (
             SELECT rowid FROM offer_search_id WHERE offer_search_id MATCH :m AND rowid BETWEEN :lo AND :hi
             UNION SELECT rowid FROM offer_search_name WHERE offer_search_name MATCH :m AND rowid BETWEEN :lo AND :hi)
         SELECT count(*) FROM t CROSS JOIN offers ON offers.rowid = r
         WHERE (id LIKE :f ESCAPE '\\' OR name LIKE :f ESCAPE '\\') AND ({})",
        outside.join(" OR ")
    )
}

/// A filtered scoped count of the offers with rowids in `:lo..=:hi`, testing each row (the
/// three branches never overlap). `NOT INDEXED` keeps SQLite on the rowid range: with the
/// branches' indexes it would walk a whole branch for each chunk (1.3 s instead of 12 ms).
fn scan_chunk_sql(state: &str) -> String {
    let state = and_state(state);
    let arms: Vec<String> = OFFER_BRANCHES.iter().map(|b| format!("({}{state} AND {})", b.role, like_sql(b))).collect();
    format!("SELECT count(*) FROM offers NOT INDEXED WHERE rowid BETWEEN :lo AND :hi AND ({})", arms.join(" OR "))
}

/// A filtered scoped count that tests every row in scope: for a branch where no tally group
/// matches, only the id and name (which the branch's name index holds, so the table itself
/// is not read).
fn scan_count_sql(state: &str, plan: &SearchPlan) -> String {
    let state = and_state(state);
    let arms: Vec<String> = OFFER_BRANCHES
        .iter()
        .zip(plan.sets)
        .map(|(b, sets)| {
            let test = if sets { like_sql(b) } else { "(id LIKE :f ESCAPE '\\' OR name LIKE :f ESCAPE '\\')".into() };
            format!("(SELECT count(*) FROM offers WHERE {}{state} AND {test})", b.role)
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
}

/// The offers made from one opportunity that `viewer` may see (a detail pane).
pub fn offers_of_opportunity(
    conn: &Connection,
    viewer: &AccountId,
    opportunity: &crate::domain::OpportunityId,
) -> StoreResult<Vec<OfferRecord>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM offers WHERE opportunity_id = :o
           AND (partner_account_id = :v OR (state = 'released' AND (isv_account_id = :v OR buyer_account_id = :v
                OR id IN (SELECT offer_id FROM offer_accounts WHERE account_id = :v))))
         ORDER BY created_at, id",
    )?;
    let rows = st
        .query_map(&[(":o", &opportunity.as_str() as &dyn ToSql), (":v", &viewer.as_str())], offers::row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|r| offers::complete(conn, r)).collect()
}

/// The agreements `viewer` is a party to, newest first.
pub fn agreements(conn: &Connection, viewer: &AccountId) -> StoreResult<Vec<Agreement>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM agreements WHERE isv_account_id = ?1
         UNION SELECT * FROM agreements WHERE partner_account_id = ?1
         UNION SELECT * FROM agreements WHERE buyer_account_id = ?1
         ORDER BY created_at DESC, id DESC",
    )?;
    let rows = st.query_map([viewer.as_str()], super::ledger::row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|a| super::ledger::complete(conn, a)).collect()
}

/// The disbursements paid to `viewer`, oldest first; optionally of one agreement.
pub fn disbursements(
    conn: &Connection,
    viewer: &AccountId,
    agreement: Option<&crate::domain::AgreementId>,
) -> StoreResult<Vec<Disbursement>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM disbursements WHERE payee_account_id = ?1 AND (?2 IS NULL OR agreement_id = ?2)
         ORDER BY paid_on, created_at, id",
    )?;
    let rows = st
        .query_map(rusqlite::params![viewer.as_str(), agreement.map(|a| a.as_str())], super::ledger::disbursement_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One counterparty of the viewer, with what they have together (the Partners tab).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub account: AccountId,
    /// What the counterparty is to the viewer: `partner` (viewer is its ISV), `isv` (viewer is
    /// its partner) or `seller` (viewer buys from it).
    pub role: &'static str,
    /// Opportunities between them (`None` for a buyer's sellers).
    pub opportunities: Option<u64>,
    pub offers: u64,
    pub agreements: u64,
    /// Accepted contract value per currency, in minor units: wholesale for an ISV, buyer
    /// price for a partner or a buyer.
    pub accepted: Vec<(String, i64)>,
}

/// The viewer's counterparties in each of its roles.
pub fn relationships(conn: &Connection, viewer: &AccountId) -> StoreResult<Vec<Relationship>> {
    let v = viewer.as_str();
    let mut out: Vec<Relationship> = Vec::new();
    let mut add = |sql_counts: &str, sql_value: &str, role: &'static str, with_opps: bool| -> StoreResult<()> {
        let start = out.len();
        let mut st = conn.prepare_cached(sql_counts)?;
        let mut rows = st.query([v])?;
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            out.push(Relationship {
                account: super::codec::id(account, AccountId::parse)?,
                role,
                opportunities: with_opps.then(|| r.get::<_, i64>(1)).transpose()?.map(|n| n as u64),
                offers: r.get::<_, i64>(2)? as u64,
                agreements: 0,
                accepted: Vec::new(),
            });
        }
        let mut st = conn.prepare_cached(sql_value)?;
        let mut rows = st.query([v])?;
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            let idx = match out[start..].iter().position(|x| x.account.as_str() == account) {
                Some(i) => start + i,
                None => {
                    out.push(Relationship {
                        account: super::codec::id(account, AccountId::parse)?,
                        role,
                        opportunities: with_opps.then_some(0),
                        offers: 0,
                        agreements: 0,
                        accepted: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            out[idx].agreements += r.get::<_, i64>(2)? as u64;
            out[idx].accepted.push((r.get(1)?, r.get(3)?));
        }
        Ok(())
    };
    add(
        "SELECT partner_account_id, count(*), sum(offers_created) FROM opportunities
         WHERE isv_account_id = ?1 GROUP BY partner_account_id",
        "SELECT partner_account_id, currency, count(*), sum(wholesale_total_minor) FROM agreements
         WHERE isv_account_id = ?1 GROUP BY partner_account_id, currency ORDER BY currency",
        "partner",
        true,
    )?;
    add(
        "SELECT isv_account_id, count(*), sum(offers_created) FROM opportunities
         WHERE partner_account_id = ?1 AND state <> 'draft' GROUP BY isv_account_id",
        "SELECT isv_account_id, currency, count(*), sum(total_minor) FROM agreements
         WHERE partner_account_id = ?1 GROUP BY isv_account_id, currency ORDER BY currency",
        "isv",
        true,
    )?;
    add(
        "SELECT partner_account_id, 0, count(*) FROM offers
         WHERE buyer_account_id = ?1 AND state = 'released' GROUP BY partner_account_id",
        "SELECT partner_account_id, currency, count(*), sum(total_minor) FROM agreements
         WHERE buyer_account_id = ?1 GROUP BY partner_account_id, currency ORDER BY currency",
        "seller",
        false,
    )?;
    Ok(out)
}
