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
    let sql = page_sql("offers", &OFFER_BRANCHES, status.map(offer_status_sql), q, col);
    let params = Params::new(&sql, viewer, today, q);
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
    let q = ListQuery { filter: filter.map(str::to_owned), ..ListQuery::default() };
    let sql = count_sql("offers", &OFFER_BRANCHES, status.map(offer_status_sql), filter.is_some());
    let params = Params::new(&sql, viewer, today, &q);
    Ok(conn.prepare_cached(&sql)?.query_row(params.as_refs().as_slice(), |r| r.get::<_, i64>(0))? as u64)
}

/// The offers made from one opportunity that `viewer` may see (a detail pane).
pub fn offers_of_opportunity(
    conn: &Connection,
    viewer: &AccountId,
    opportunity: &crate::domain::OpportunityId,
) -> StoreResult<Vec<OfferRecord>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM offers WHERE opportunity_id = :o
           AND (partner_account_id = :v OR (state = 'released' AND (isv_account_id = :v OR buyer_account_id = :v)))
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
