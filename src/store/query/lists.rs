//! Unpaged lists: a detail pane's offers, an account's agreements and payments.

use rusqlite::{Connection, ToSql};

use crate::domain::{AccountId, Agreement, Disbursement};
use crate::store::StoreResult;
use crate::store::offers::{self, OfferRecord};

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
    let rows = st.query_map([viewer.as_str()], crate::store::ledger::row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|a| crate::store::ledger::complete(conn, a)).collect()
}

/// The disbursements paid to `viewer`, oldest first; optionally of one agreement.
pub fn disbursements(
    conn: &Connection,
    viewer: &AccountId,
    agreement: Option<&crate::domain::AgreementId>,
) -> StoreResult<Vec<Disbursement>> {
    // One agreement's are read by its index (the `+` keeps SQLite off the payee's, whose
    // order it would rather use): otherwise every payment of a busy partner is read for each
    // detail pane, 0.1 s at a million offers.
    let mut st = match agreement {
        Some(_) => conn.prepare_cached(
            "SELECT * FROM disbursements WHERE agreement_id = ?2 AND +payee_account_id = ?1
             ORDER BY paid_on, created_at, id",
        )?,
        None => conn.prepare_cached(
            "SELECT * FROM disbursements WHERE payee_account_id = ?1 AND ?2 IS NULL ORDER BY paid_on, created_at, id",
        )?,
    };
    let rows = st
        .query_map(
            rusqlite::params![viewer.as_str(), agreement.map(|a| a.as_str())],
            crate::store::ledger::disbursement_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
