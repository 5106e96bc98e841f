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
