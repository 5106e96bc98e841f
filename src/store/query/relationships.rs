//! The Partners tab: the viewer's counterparties in each of its roles, with what passed
//! between them.

use rusqlite::Connection;

use crate::domain::AccountId;
use crate::store::StoreResult;

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
                account: crate::store::codec::id(account, AccountId::parse)?,
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
                        account: crate::store::codec::id(account, AccountId::parse)?,
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

/// What passed between the viewer and one counterparty in one month (`YYYY-MM`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthTally {
    pub month: String,
    /// Offers made between them that the viewer may see.
    pub offers: u64,
    /// Accepted value per currency, in minor units, as [`Relationship::accepted`] counts it.
    pub accepted: Vec<(String, i64)>,
}

/// Month by month from `from` (a `YYYY-MM-DD` day) on: the offers made between `viewer` and
/// `account` in `role` (as [`Relationship::role`]) and the value accepted. Months without
/// either are left out. The offers are summed from `offer_months`; the agreements walk one
/// index range, the viewer's since `from`.
pub fn relationship_months(
    conn: &Connection,
    viewer: &AccountId,
    account: &AccountId,
    role: &str,
    from: &str,
) -> StoreResult<Vec<MonthTally>> {
    let (offers, accepted) = match role {
        "partner" => (
            "isv_account_id = ?1 AND state = 'released' AND partner_account_id = ?2",
            "isv_account_id = ?1 AND partner_account_id = ?2",
        ),
        "isv" => ("partner_account_id = ?1 AND isv_account_id = ?2", "partner_account_id = ?1 AND isv_account_id = ?2"),
        _ => (
            "buyer_account_id = ?1 AND state = 'released' AND partner_account_id = ?2",
            "buyer_account_id = ?1 AND partner_account_id = ?2",
        ),
    };
    let value = if role == "partner" { "wholesale_total_minor" } else { "total_minor" };
    let args = rusqlite::params![viewer.as_str(), account.as_str(), from];
    let mut months: std::collections::BTreeMap<String, MonthTally> = Default::default();
    // The offers from `offer_months` (migration 0006): a few rows per month, not the offers.
    let sql = format!("SELECT month, sum(n) FROM offer_months WHERE {offers} AND month >= substr(?3, 1, 7) GROUP BY 1");
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(args)?;
    while let Some(r) = rows.next()? {
        let month: String = r.get(0)?;
        months.entry(month.clone()).or_insert_with(|| MonthTally { month, ..MonthTally::default() }).offers =
            r.get::<_, i64>(1)? as u64;
    }
    let sql = format!(
        "SELECT substr(created_at, 1, 7), currency, sum({value}) FROM agreements
         WHERE {accepted} AND created_at >= ?3 GROUP BY 1, 2 ORDER BY 2"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(args)?;
    while let Some(r) = rows.next()? {
        let month: String = r.get(0)?;
        months
            .entry(month.clone())
            .or_insert_with(|| MonthTally { month, ..MonthTally::default() })
            .accepted
            .push((r.get(1)?, r.get(2)?));
    }
    Ok(months.into_values().collect())
}
