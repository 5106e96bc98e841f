//! Offers and agreements on big files: their tallies (migrations 0002 and 0018) and trigram
//! tables, behind the same paging contract as the plain branch queries of the parent module.

use rusqlite::{Connection, ToSql};

use super::order::{Shape, offer_walks, union_sql, walk_sql};
use super::{Branch, ListQuery, OFFER_BRANCHES, branch_cond, branch_like, column_like, like_pattern};
use crate::domain::{AccountId, OfferStatus};
use crate::store::StoreResult;

/// What a text filter searches: a table, its three branches, the tally of its rows' groups
/// and its two trigram tables, each on one of the table's own text columns.
pub(super) struct Searched {
    pub(super) table: &'static str,
    pub(super) branches: [Branch; 3],
    pub(super) tally: &'static str,
    /// The trigram tables and the column each indexes.
    pub(super) trigrams: [(&'static str, &'static str); 2],
    /// Text every row's own columns hold (an id's prefix): its trigrams narrow nothing, and
    /// the posting list of each holds every row, so a filter's are left out of its query.
    pub(super) shared: &'static [&'static str],
}

/// The offers: the tally of migration 0002, the trigram tables of the first bulk load.
pub(super) const OFFERS: Searched = Searched {
    table: "offers",
    branches: OFFER_BRANCHES,
    tally: "offer_tally",
    trigrams: [("offer_search_id", "id"), ("offer_search_name", "name")],
    shared: &[],
};

impl Searched {
    /// The table's own columns, those the trigram tables index.
    fn own(&self) -> [&'static str; 2] {
        self.trigrams.map(|(_, c)| c)
    }
    /// A row's own columns hold the filter `:f`.
    fn own_like(&self) -> String {
        let any: Vec<String> = self.own().iter().map(|c| format!("{c} LIKE :f ESCAPE '\\'")).collect();
        format!("({})", any.join(" OR "))
    }
}

// ---- Offers (and agreements) on big files: the tally and the trigram tables ----------------
//
// (Written for the offers, which came first; the agreements' tab searches the same way: their
// own columns are the id and the offer's id, their groups (partner, ISV, buyer, opportunity).)
//
// A text filter matches an offer when it occurs in one of the branch's searchable columns.
// Those split in two kinds. The account, product and opportunity columns hold ids from small
// tables (matched by the id or by the name it stands for, see `column_like`), and every (partner, ISV, buyer, product, opportunity, state) combination is a row of
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
pub(super) const TRIGRAM: usize = 3;
/// At most this many of a filter's trigrams are looked up (any subset narrows correctly).
pub(super) const MAX_TRIGRAMS: usize = 8;
/// A page is answered from at most this many candidate rows; beyond that, by a scan.
pub(super) const CANDIDATES: usize = 8_000;
/// A count is made from at most this many candidate rows; beyond that, by a scan.
pub(super) const COUNT_CANDIDATES: usize = 250_000;

thread_local! {
    pub(super) static CAPS: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((CANDIDATES, COUNT_CANDIDATES)) };
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
pub(super) enum Access {
    /// Walk the branch's sort index, testing each row.
    Scan,
    /// Read the trigram candidates and the offers of these opportunities.
    Lookup { opportunities: Vec<String> },
}

#[derive(Debug)]
pub(super) struct SearchPlan {
    /// The FTS5 query: the filter's trigrams, quoted and joined with AND.
    pub(super) fts: Option<String>,
    /// The trigram candidates number at most the cap the plan was made with.
    pub(super) few: bool,
    /// How many trigram candidates there are (up to the cap, plus one).
    pub(super) candidates: usize,
    pub(super) access: [Access; 3],
    /// Per branch, whether any of its tally groups matches the filter by account, product or
    /// opportunity id.
    pub(super) sets: [bool; 3],
}

impl SearchPlan {
    pub(super) fn new(
        conn: &Connection,
        s: &Searched,
        viewer: &AccountId,
        filter: &str,
        cap: usize,
    ) -> StoreResult<Self> {
        Self::beside(conn, s, viewer, filter, cap, false)
    }

    /// The plan of a list sorted by its counterparty, whose rows with a counterparty the
    /// filter matches are walked apart (see `agreements::by_counterparty_found`): each
    /// branch's tally groups are matched on its other columns only.
    pub(super) fn beside_counterparty(
        conn: &Connection,
        s: &Searched,
        viewer: &AccountId,
        filter: &str,
        cap: usize,
    ) -> StoreResult<Self> {
        Self::beside(conn, s, viewer, filter, cap, true)
    }

    fn beside(
        conn: &Connection,
        s: &Searched,
        viewer: &AccountId,
        filter: &str,
        cap: usize,
        counterparty: bool,
    ) -> StoreResult<Self> {
        let fts = if has_trigrams(conn, s)? { trigram_query(filter, s.shared) } else { None };
        let candidates = match &fts {
            Some(m) => {
                let [(a, _), (b, _)] = s.trigrams;
                let n: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT (SELECT count(*) FROM (SELECT 1 FROM {a} WHERE {a} MATCH ?1 LIMIT ?2))
                              + (SELECT count(*) FROM (SELECT 1 FROM {b} WHERE {b} MATCH ?1 LIMIT ?2))"
                    ))?
                    .query_row(rusqlite::params![m, cap as i64 + 1], |r| r.get(0))?;
                n as usize
            }
            None => usize::MAX,
        };
        let few = candidates <= cap;
        let pattern = like_pattern(filter);
        let mut access = [Access::Scan, Access::Scan, Access::Scan];
        let mut sets = [false; 3];
        for (i, b) in s.branches.iter().enumerate() {
            // The opportunities of the branch's tally groups that the filter matches, and how
            // many rows those opportunities hold in all (what reading them costs).
            let mut opportunities = Vec::new();
            let mut cost = 0i64;
            let matched = sets_beside(s, b, if counterparty { b.counterparty } else { "" });
            // A branch with no such column (the buyer's, beside its counterparty) has none.
            if matched != NO_SETS {
                let sql = format!(
                    "SELECT opportunity_id, (SELECT sum(n) FROM {tally} a WHERE a.opportunity_id = g.opportunity_id)
                     FROM (SELECT DISTINCT opportunity_id FROM {tally} WHERE {} AND {matched}) g",
                    b.role,
                    tally = s.tally,
                );
                let mut st = conn.prepare_cached(&sql)?;
                let rows = st
                    .query_map(&[(":v", &viewer.as_str() as &dyn ToSql), (":f", &pattern as &dyn ToSql)], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0)))
                    })?;
                for row in rows {
                    let (o, n) = row?;
                    opportunities.push(o);
                    cost += n;
                }
            }
            sets[i] = !opportunities.is_empty();
            if few && cost as usize <= cap {
                access[i] = Access::Lookup { opportunities };
            }
        }
        Ok(Self { fts, few, candidates, access, sets })
    }
}

/// Does the file have `s`'s trigram tables? (They come with the first bulk load.)
fn has_trigrams(conn: &Connection, s: &Searched) -> StoreResult<bool> {
    let [(a, _), (b, _)] = s.trigrams;
    crate::store::bulk::has_tables(conn, [a, b])
}

/// The FTS5 query for `text`: up to [`MAX_TRIGRAMS`] of its trigrams, each a quoted string,
/// joined with AND, leaving out those found in one of the `shared` texts; `None` if it has
/// no other trigram (it is shorter than one, or every row holds all of them).
pub(super) fn trigram_query(text: &str, shared: &[&str]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < TRIGRAM {
        return None;
    }
    let common = |t: &str| shared.iter().any(|s| s.to_lowercase().contains(&t.to_lowercase()));
    let trigrams: Vec<String> =
        chars.windows(TRIGRAM).map(|w| w.iter().collect::<String>()).filter(|t| !common(t)).collect();
    let count = trigrams.len();
    if count == 0 {
        return None;
    }
    let picks: Vec<usize> = if count <= MAX_TRIGRAMS {
        (0..count).collect()
    } else {
        (0..MAX_TRIGRAMS).map(|i| i * (count - 1) / (MAX_TRIGRAMS - 1)).collect()
    };
    let mut terms: Vec<String> = Vec::new();
    for i in picks {
        let quoted = format!("\"{}\"", trigrams[i].replace('"', "\"\""));
        if !terms.contains(&quoted) {
            terms.push(quoted);
        }
    }
    Some(terms.join(" AND "))
}

/// The branch's searchable columns other than the row's own (the offer's id and name), as a
/// LIKE test that reads the same on the table and on its tally (where a missing buyer is '').
pub(super) fn sets_sql(s: &Searched, b: &Branch) -> String {
    sets_beside(s, b, "")
}

/// What [`sets_sql`] is for a branch whose columns are all the row's own: false.
const NO_SETS: &str = "0";

/// [`sets_sql`] without the column `beside`.
fn sets_beside(s: &Searched, b: &Branch, beside: &str) -> String {
    let own = s.own();
    let any: Vec<String> = b
        .searchable
        .iter()
        .filter(|c| !own.contains(c) && **c != beside)
        .map(|c| format!("coalesce({}, 0)", column_like(c)))
        .collect();
    if any.is_empty() { NO_SETS.to_owned() } else { format!("({})", any.join(" OR ")) }
}

/// The trigram candidates, and each lookup branch's (`c0`..`c2`): those plus the offers of
/// its matching opportunities.
pub(super) fn candidates_sql(s: &Searched, plan: &SearchPlan) -> String {
    let [(a, _), (b, _)] = s.trigrams;
    let mut ctes = vec![format!(
        "t(r) AS MATERIALIZED (SELECT rowid FROM {a} WHERE {a} MATCH :m UNION SELECT rowid FROM {b} WHERE {b} MATCH :m)"
    )];
    for (i, a) in plan.access.iter().enumerate() {
        if let Access::Lookup { opportunities } = a
            && !opportunities.is_empty()
        {
            ctes.push(format!(
                "c{i}(r) AS MATERIALIZED (SELECT r FROM t UNION SELECT rowid FROM {}
                                          WHERE opportunity_id IN (SELECT value FROM json_each(:o{i})))",
                s.table
            ));
        }
    }
    format!("WITH {}", ctes.join(", "))
}

pub(super) fn candidate_table(plan: &SearchPlan, i: usize) -> String {
    match &plan.access[i] {
        Access::Lookup { opportunities } if !opportunities.is_empty() => format!("c{i}"),
        _ => "t".to_owned(),
    }
}

/// `page_sql` for a filtered offers query, each branch looked up or scanned per `plan`
/// (`statuses`: those a status sort walks).
pub(super) fn offer_search_page_sql(
    plan: &SearchPlan,
    status: Option<&str>,
    statuses: &[OfferStatus],
    q: &ListQuery,
    shape: Shape,
) -> Option<String> {
    let mut arms = Vec::new();
    let mut keys = 0;
    for (i, b) in OFFER_BRANCHES.iter().enumerate() {
        let (from, indexed) = match plan.access[i] {
            Access::Scan => ("offers".to_owned(), b.indexed),
            Access::Lookup { .. } => {
                (format!("{} CROSS JOIN offers ON offers.rowid = r", candidate_table(plan, i)), false)
            }
        };
        for w in offer_walks(b, q.sort, &from, indexed, statuses) {
            keys = w.keys.len();
            arms.extend(walk_sql("offers", &w, branch_cond(b, status, true), q, shape));
        }
    }
    let with = if plan.access.iter().any(|a| matches!(a, Access::Lookup { .. })) {
        candidates_sql(&OFFERS, plan)
    } else {
        String::new()
    };
    union_sql(&with, arms, keys, q, shape)
}

/// A scoped count from the tally alone (no text filter), `state` a condition or "".
pub(super) fn tally_count_sql(s: &Searched, state: &str) -> String {
    let arms: Vec<String> = s
        .branches
        .iter()
        .map(|b| {
            let mut cond = vec![b.role.to_owned()];
            if !state.is_empty() {
                cond.push(state.to_owned());
            }
            format!("(SELECT coalesce(sum(n), 0) FROM {} WHERE {})", s.tally, cond.join(" AND "))
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
}

/// ` AND <state>`, or nothing for "any state".
pub(super) fn and_state(state: &str) -> String {
    if state.is_empty() { String::new() } else { format!(" AND {state}") }
}

/// A filtered scoped count is the matching tally groups (this) plus the trigram candidates
/// outside them whose own columns match ([`search_chunk_sql`]; the three branches never
/// overlap).
pub(super) fn search_tally_sql(s: &Searched, state: &str) -> String {
    let state = and_state(state);
    let tally: Vec<String> = s
        .branches
        .iter()
        .map(|b| {
            format!("(SELECT coalesce(sum(n), 0) FROM {} WHERE {}{state} AND {})", s.tally, b.role, sets_sql(s, b))
        })
        .collect();
    format!("SELECT {}", tally.join(" + "))
}

/// The trigram candidates with rowids in `:lo..=:hi`, outside the matching tally groups,
/// whose own columns match.
pub(super) fn search_chunk_sql(s: &Searched, state: &str) -> String {
    let state = and_state(state);
    let outside: Vec<String> =
        s.branches.iter().map(|b| format!("({}{state} AND NOT {})", b.role, sets_sql(s, b))).collect();
    let [(a, _), (b, _)] = s.trigrams;
    format!(
        "WITH t(r) AS MATERIALIZED (
             SELECT rowid FROM {a} WHERE {a} MATCH :m AND rowid BETWEEN :lo AND :hi
             UNION SELECT rowid FROM {b} WHERE {b} MATCH :m AND rowid BETWEEN :lo AND :hi)
         SELECT count(*) FROM t CROSS JOIN {table} ON {table}.rowid = r
         WHERE {own} AND ({})",
        outside.join(" OR "),
        table = s.table,
        own = s.own_like(),
    )
}

/// A filtered scoped count of the rows with rowids in `:lo..=:hi`, testing each row (the
/// three branches never overlap). `NOT INDEXED` keeps SQLite on the rowid range: with the
/// branches' indexes it would walk a whole branch for each chunk (1.3 s instead of 12 ms).
pub(super) fn scan_chunk_sql(s: &Searched, state: &str) -> String {
    let state = and_state(state);
    let arms: Vec<String> = s.branches.iter().map(|b| format!("({}{state} AND {})", b.role, branch_like(b))).collect();
    format!("SELECT count(*) FROM {} NOT INDEXED WHERE rowid BETWEEN :lo AND :hi AND ({})", s.table, arms.join(" OR "))
}

/// A filtered scoped count of the offers that tests every row in scope: for a branch where
/// no tally group matches, only the id and name (which the branch's name index holds, so
/// the table itself is not read).
pub(super) fn scan_count_sql(state: &str, plan: &SearchPlan) -> String {
    let state = and_state(state);
    let arms: Vec<String> = OFFER_BRANCHES
        .iter()
        .zip(plan.sets)
        .map(|(b, sets)| {
            let test = if sets { branch_like(b) } else { OFFERS.own_like() };
            format!("(SELECT count(*) FROM offers WHERE {}{state} AND {test})", b.role)
        })
        .collect();
    format!("SELECT {}", arms.join(" + "))
}
