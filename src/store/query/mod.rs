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
use crate::domain::{AccountId, OfferStatus, Opportunity, OpportunityStatus};

mod agreement_counts;
mod agreements;
mod lists;
mod locate;
mod order;
mod relationships;
mod search;

pub use agreement_counts::{count_agreements, start_count_agreements};
pub use agreements::{AgreementNarrow, AgreementRecord, agreements_page, value_ending_by_month};
pub use lists::{agreements, disbursements, offers_of_opportunity};
pub use locate::{Gone, Position, locate_agreement, locate_offer, locate_opportunity, with_near_rows};
use order::{Shape, Walk, union_sql, walk_sql};
pub use relationships::{MonthTally, Relationship, relationship_months, relationships};
pub use search::with_candidate_caps;
use search::{
    Access, CAPS, OFFERS, SearchPlan, offer_search_page_sql, scan_chunk_sql, scan_count_sql, search_chunk_sql,
    search_tally_sql, tally_count_sql,
};

/// Where the next page starts: the last row's sort keys (one or two, as its sort orders by)
/// and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub keys: Vec<String>,
    pub id: String,
}

/// What a list is sorted by: its creation time or one of the columns its table shows. The
/// partner's and the ISV's offers walk an index for each (migration 0006); the rest are few
/// enough to sort as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Creation time (the default).
    #[default]
    Created,
    Name,
    /// The product's title (opportunities).
    Product,
    /// The other party's name: the partner or ISV of an opportunity, the buyer of an offer (the
    /// seller, to a buyer; the partner, to an ISV not shown the end buyer).
    Counterparty,
    /// One-time or recurring (opportunities).
    Kind,
    /// The discount (opportunities); a custom price list first.
    Discount,
    /// The currency (opportunities).
    Currency,
    /// The total the viewer sees, by currency (offers): wholesale to the ISV, the buyer's
    /// total to the others.
    Amount,
    /// The status, in the order `f` cycles them; by date within a status.
    Status,
    /// The end date (opportunities) or expiry (offers).
    Date,
    /// How many offers were made (opportunities).
    Offers,
}

impl Sort {
    /// The sorts the opportunities list takes (`--sort`).
    pub const FOR_OPPORTUNITIES: [Sort; 10] = [
        Sort::Created,
        Sort::Name,
        Sort::Product,
        Sort::Counterparty,
        Sort::Kind,
        Sort::Discount,
        Sort::Currency,
        Sort::Status,
        Sort::Date,
        Sort::Offers,
    ];
    /// The sorts the offers list takes (`--sort`).
    pub const FOR_OFFERS: [Sort; 6] =
        [Sort::Created, Sort::Name, Sort::Counterparty, Sort::Amount, Sort::Status, Sort::Date];
    pub fn label(self) -> &'static str {
        match self {
            Sort::Created => "created",
            Sort::Name => "name",
            Sort::Product => "product",
            Sort::Counterparty => "counterparty",
            Sort::Kind => "kind",
            Sort::Discount => "discount",
            Sort::Currency => "currency",
            Sort::Amount => "amount",
            Sort::Status => "status",
            Sort::Date => "date",
            Sort::Offers => "offers",
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
    /// The account the viewer sees on the other side (the tables' counterparty column).
    counterparty: &'static str,
    /// The total the viewer sees (offers).
    amount: &'static str,
    /// Every sort of this branch has an index to walk (the partner's and the ISV's offers).
    indexed: bool,
    /// The index of its counterparty holds the opportunity's kind before the account (the
    /// ISV's offers): a counterparty sort walks it once per kind.
    by_kind: bool,
}

/// The opportunity's kind as the tables write it (`one-time`, `recurring`).
const KIND_SHOWN: &str = "replace(kind, '_', '-')";

const OPPORTUNITY_BRANCHES: [Branch; 2] = [
    Branch {
        role: "isv_account_id = :v",
        searchable: &["id", "name", "partner_account_id", "product_id", KIND_SHOWN],
        counterparty: "partner_account_id",
        amount: "",
        indexed: false,
        by_kind: false,
    },
    Branch {
        role: "partner_account_id = :v AND state <> 'draft' AND isv_account_id <> :v",
        searchable: &["id", "name", "isv_account_id", "product_id", KIND_SHOWN],
        counterparty: "isv_account_id",
        amount: "",
        indexed: false,
        by_kind: false,
    },
];

const OFFER_BRANCHES: [Branch; 3] = [
    Branch {
        role: "partner_account_id = :v",
        searchable: &["id", "name", "buyer_account_id", "isv_account_id", "product_id", "opportunity_id"],
        counterparty: "buyer_account_id",
        amount: "buyer_total_minor",
        indexed: true,
        by_kind: false,
    },
    // The ISV sees the end buyer of one-time opportunities only: the filter must not reveal it.
    Branch {
        role: "isv_account_id = :v AND state = 'released' AND partner_account_id <> :v",
        searchable: &["id", "name", "partner_account_id", "product_id", "opportunity_id"],
        // The partner (the reseller), whatever the kind: the end buyer of a recurring
        // opportunity's offer is not disclosed to the ISV.
        counterparty: "partner_account_id",
        amount: "wholesale_total_minor",
        indexed: true,
        by_kind: true,
    },
    Branch {
        role: "buyer_account_id = :v AND state = 'released' AND partner_account_id <> :v AND isv_account_id <> :v",
        searchable: &["id", "name", "partner_account_id", "product_id"],
        counterparty: "partner_account_id",
        amount: "buyer_total_minor",
        indexed: false,
        by_kind: false,
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
        counterparty: "partner_account_id",
        amount: "buyer_total_minor",
        indexed: false,
        by_kind: false,
    },
];

/// Is `viewer` one of the other buyer accounts of some offer?
fn has_offer_accounts(conn: &Connection, viewer: &AccountId) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM offer_accounts WHERE account_id = ?1)")?
        .query_row([viewer.as_str()], |r| r.get(0))?)
}

/// One searchable column tested against the filter `:f`. An id column also matches by the
/// name it stands for, as the tables show names: `Retail` finds the offers to Contoso Retail
/// Ltd. Accounts, products and opportunities are small next to offers, and the subquery does
/// not depend on the row, so SQLite runs it once per statement.
fn column_like(c: &str) -> String {
    let like = format!("{c} LIKE :f ESCAPE '\\'");
    let (table, name) = if c.ends_with("_account_id") {
        ("accounts", "name")
    } else if c == "product_id" {
        ("products", "title")
    } else if c == "opportunity_id" {
        ("opportunities", "name")
    } else {
        return like;
    };
    format!("({like} OR {c} IN (SELECT id FROM {table} WHERE {name} LIKE :f ESCAPE '\\'))")
}

/// The branch's filter: any of its searchable columns matches.
fn branch_like(b: &Branch) -> String {
    let any: Vec<String> = b.searchable.iter().map(|c| column_like(c)).collect();
    format!("({})", any.join(" OR "))
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

/// The branch's own conditions: its role, the status filter and the text filter.
fn branch_cond(b: &Branch, status: Option<&str>, filter: bool) -> Vec<String> {
    let mut cond = vec![b.role.to_owned()];
    cond.extend(status.map(str::to_owned));
    if filter {
        cond.push(branch_like(b));
    }
    cond
}

/// Builds the scoped, filtered, keyset-paged union of `walks` (per branch) for one table, or
/// its count; `None` when no walk has rows after the cursor. `status`: a condition every
/// branch adds (the status filter's).
fn page_sql(
    table: &str,
    walks: &[(Branch, Vec<Walk>)],
    status: Option<&str>,
    q: &ListQuery,
    shape: Shape,
) -> Option<String> {
    let mut arms = Vec::new();
    let keys = page_arms(table, walks, status, q, shape, &mut arms);
    union_sql("", arms, keys, q, shape)
}

/// The arms of [`page_sql`] for one table, added to `arms`; returns how many keys they sort
/// by (so that a list drawn from several tables unions the arms of each).
fn page_arms(
    table: &str,
    walks: &[(Branch, Vec<Walk>)],
    status: Option<&str>,
    q: &ListQuery,
    shape: Shape,
    arms: &mut Vec<String>,
) -> usize {
    let mut keys = 0;
    for (b, walks) in walks {
        for w in walks {
            keys = w.keys.len();
            arms.extend(walk_sql(table, w, branch_cond(b, status, q.filter.is_some()), q, shape));
        }
    }
    keys
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
                cond.push(branch_like(b));
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

/// The SQL form of `OfferStatus`, given `:today`: each a range of the status indexes
/// (`offers_*_status`, whose third column is whether the offer was accepted and fourth whether
/// it was cancelled; a draft is neither, an accepted offer never cancelled: said anyway, so
/// that each status is one range of the index, in expiry order).
fn offer_status_sql(s: OfferStatus) -> &'static str {
    match s {
        OfferStatus::Draft => "state = 'draft' AND (agreement_id IS NOT NULL) = 0 AND (cancelled_on IS NOT NULL) = 0",
        OfferStatus::Accepted => {
            "state = 'released' AND (agreement_id IS NOT NULL) = 1 AND (cancelled_on IS NOT NULL) = 0"
        }
        OfferStatus::Cancelled => {
            "state = 'released' AND (agreement_id IS NOT NULL) = 0 AND (cancelled_on IS NOT NULL) = 1"
        }
        OfferStatus::Expired => {
            "state = 'released' AND (agreement_id IS NOT NULL) = 0 AND (cancelled_on IS NOT NULL) = 0 AND expires_on < :today"
        }
        OfferStatus::Active => {
            "state = 'released' AND (agreement_id IS NOT NULL) = 0 AND (cancelled_on IS NOT NULL) = 0 AND expires_on >= :today"
        }
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
        if let Some(c) = q.after.as_ref().filter(|_| sql.contains(":id")) {
            for (name, value) in order::KEY_NAMES.iter().zip(&c.keys) {
                if sql.contains(name) {
                    named.push((name, Box::new(value.to_owned())));
                }
            }
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
    let Some(sql) = opportunities_sql(status.map(opportunity_status_sql), q, Shape::Page) else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
    let params = Params::new(&sql, viewer, today, q);
    let keyed = read_keyed(conn, &sql, &params, opportunities::row, |o| o.id.as_str().to_owned())?;
    let keys: Vec<Cursor> = keyed.iter().map(|(k, _)| k.clone()).collect();
    let rows = keyed.into_iter().map(|(_, o)| opportunities::complete(conn, o)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

/// The SQL of a query of the opportunities (`status`: a condition each branch adds).
fn opportunities_sql(status: Option<&str>, q: &ListQuery, shape: Shape) -> Option<String> {
    let walks = OPPORTUNITY_BRANCHES.map(|b| (b, order::opportunity_walks(&b, q.sort)));
    page_sql("opportunities", &walks, status, q, shape)
}

/// Runs a page query: each row with its cursor (its keys `k0..` and its id).
fn read_keyed<T>(
    conn: &Connection,
    sql: &str,
    params: &Params,
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    id: impl Fn(&T) -> String,
) -> StoreResult<Vec<(Cursor, T)>> {
    let mut st = conn.prepare_cached(sql)?;
    let keys: Vec<usize> = order::KEY_NAMES.iter().filter_map(|k| st.column_index(&k[1..]).ok()).collect();
    let mut out = Vec::new();
    let mut rows = st.query(params.as_refs().as_slice())?;
    while let Some(r) = rows.next()? {
        let mut parts = Vec::with_capacity(keys.len());
        for &i in &keys {
            parts.push(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ => String::new(),
            });
        }
        let record = row(r)?;
        out.push((Cursor { keys: parts, id: id(&record) }, record));
    }
    Ok(out)
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

/// The Active offers `viewer` may see that expire in each of the `weeks` weeks from `today`
/// on (week 0 holds today and the six days after it).
pub fn expiry_weeks(conn: &Connection, viewer: &AccountId, today: NaiveDate, weeks: u32) -> StoreResult<Vec<u64>> {
    let branches: &[Branch] =
        if has_offer_accounts(conn, viewer)? { &OFFER_BRANCHES_WITH_ACCOUNTS } else { &OFFER_BRANCHES };
    let end = today + chrono::Days::new(u64::from(weeks) * 7);
    let mut out = vec![0u64; weeks as usize];
    for b in branches {
        let sql = format!(
            "SELECT CAST((julianday(expires_on) - julianday(?2)) / 7 AS INTEGER), count(*) FROM offers
             WHERE {} AND {} AND expires_on < ?3 GROUP BY 1",
            b.role.replace(":v", "?1"),
            offer_status_sql(OfferStatus::Active).replace(":today", "?2"),
        );
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params![viewer.as_str(), date(today), date(end)])?;
        while let Some(r) = rows.next()? {
            let (week, n): (i64, i64) = (r.get(0)?, r.get(1)?);
            if let Some(slot) = usize::try_from(week).ok().and_then(|w| out.get_mut(w)) {
                *slot += n as u64;
            }
        }
    }
    Ok(out)
}

/// A page of the offers `viewer` may see.
pub fn offers(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    q: &ListQuery,
) -> StoreResult<Page<OfferRecord>> {
    let (Some(sql), params) = offers_sql(conn, viewer, today, status, q, Shape::Page)? else {
        return Ok(page_of(Vec::new(), Vec::new(), q));
    };
    let keyed = read_keyed(conn, &sql, &params, offers::row, |o| o.offer.id.as_str().to_owned())?;
    let keys: Vec<Cursor> = keyed.iter().map(|(k, _)| k.clone()).collect();
    let rows = keyed.into_iter().map(|(_, o)| offers::complete(conn, o)).collect::<StoreResult<_>>()?;
    Ok(page_of(rows, keys, q))
}

/// The SQL of a query of the offers `viewer` may see (a page, or a count), and its
/// parameters: the same path for both, so that a count walks the rows a page would.
fn offers_sql(
    conn: &Connection,
    viewer: &AccountId,
    today: NaiveDate,
    status: Option<OfferStatus>,
    q: &ListQuery,
    shape: Shape,
) -> StoreResult<(Option<String>, Params)> {
    // A status sort walks each status in turn: the status filter keeps one of them.
    let statuses: Vec<OfferStatus> = status.map_or_else(|| OfferStatus::ALL.to_vec(), |s| vec![s]);
    let status_sql = status.filter(|_| q.sort != Sort::Status).map(offer_status_sql);
    let walks = |branches: &[Branch], indexed: bool| -> Vec<(Branch, Vec<Walk>)> {
        branches
            .iter()
            .map(|b| (*b, order::offer_walks(b, q.sort, "offers", indexed && b.indexed, &statuses)))
            .collect()
    };
    let (sql, plan) = match q.filter.as_deref() {
        _ if has_offer_accounts(conn, viewer)? => {
            (page_sql("offers", &walks(&OFFER_BRANCHES_WITH_ACCOUNTS, false), status_sql, q, shape), None)
        }
        Some(f) => {
            // A whole count reads as many candidates as counting the list does (a walk far
            // down a sort index tests more rows than that); a page, or a count near the cursor,
            // as many as a page does.
            let cap = CAPS.with(|c| if shape == Shape::Count { c.get().1 } else { c.get().0 });
            let plan = SearchPlan::new(conn, &OFFERS, viewer, f, cap)?;
            (offer_search_page_sql(&plan, status_sql, &statuses, q, shape), Some(plan))
        }
        None => (page_sql("offers", &walks(&OFFER_BRANCHES, true), status_sql, q, shape), None),
    };
    let Some(sql) = sql else { return Ok((None, Params { named: Vec::new() })) };
    let mut params = Params::new(&sql, viewer, today, q);
    if let Some(plan) = &plan {
        params = params.with_search(&sql, plan);
    }
    Ok((Some(sql), params))
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
            let sql = tally_count_sql(&OFFERS, state);
            one_shot(&sql, Params::new(&sql, viewer, today, &q))
        }
        (Some(state), Some(f)) => {
            let plan = SearchPlan::new(conn, &OFFERS, viewer, f, CAPS.with(|c| c.get().1))?;
            let (above, chunk) = CHUNKS.with(|c| c.get());
            let lookup = plan.fts.is_some() && plan.few;
            let index_only = !plan.sets.iter().any(|s| *s) && above > 0;
            if index_only && !lookup {
                let sql = scan_count_sql(state, &plan);
                return one_shot(&sql, Params::new(&sql, viewer, today, &q));
            }
            let last: i64 = conn.query_row("SELECT coalesce(max(rowid), 0) FROM offers", [], |r| r.get(0))?;
            if !lookup {
                let sql = scan_chunk_sql(&OFFERS, state);
                let params = Params::new(&sql, viewer, today, &q);
                return Ok(CountJob::chunked(0, sql, params, last, chunk));
            }
            // The matching tally groups at once, then the trigram candidates outside them by
            // rowid range: all in one step when they are few.
            let sql = search_tally_sql(&OFFERS, state);
            let base = conn
                .prepare_cached(&sql)?
                .query_row(Params::new(&sql, viewer, today, &q).as_refs().as_slice(), |r| r.get::<_, i64>(0))?;
            let sql = search_chunk_sql(&OFFERS, state);
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
    /// The same count with `n` more rows counted.
    fn plus(mut self, n: u64) -> Self {
        self.counted += n;
        self
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
