//! What needs the acting account's attention (the review queue), each list bounded.

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::StoreResult;
use super::codec::{RowExt, date};
use super::offers::{self, OfferRecord};
use super::opportunities;
use crate::domain::clock::{OFFER_ATTENTION_DAYS, OPPORTUNITY_ATTENTION_DAYS};
use crate::domain::{AccountId, AgreementId, Money, OfferId, Opportunity};

/// At most this many items of each kind.
pub const LIMIT: i64 = 500;

fn plus(today: NaiveDate, days: i64) -> String {
    date(today.checked_add_days(Days::new(days.unsigned_abs())).unwrap_or(today))
}

/// The ISV's drafts, opportunities ending within [`OPPORTUNITY_ATTENTION_DAYS`], and unused
/// one-time ones.
pub fn isv_opportunities(conn: &Connection, isv: &AccountId, today: NaiveDate) -> StoreResult<Vec<Opportunity>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM opportunities WHERE isv_account_id = ?1 AND (
            state = 'draft'
            OR (state = 'active' AND ends_on >= ?2 AND ends_on <= ?3)
            OR (state = 'active' AND kind = 'one_time' AND offers_created = 0 AND ends_on >= ?2))
         ORDER BY ends_on, id LIMIT ?4",
    )?;
    let rows = st
        .query_map(
            params![isv.as_str(), date(today), plus(today, OPPORTUNITY_ATTENTION_DAYS), LIMIT],
            opportunities::row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|o| opportunities::complete(conn, o)).collect()
}

/// The partner's received opportunities ending within 30 days with no offer yet.
pub fn partner_opportunities(
    conn: &Connection,
    partner: &AccountId,
    today: NaiveDate,
) -> StoreResult<Vec<Opportunity>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM opportunities WHERE partner_account_id = ?1 AND state = 'active'
           AND offers_created = 0 AND ends_on >= ?2 AND ends_on <= ?3
         ORDER BY ends_on, id LIMIT ?4",
    )?;
    let rows = st
        .query_map(
            params![partner.as_str(), date(today), plus(today, OPPORTUNITY_ATTENTION_DAYS), LIMIT],
            opportunities::row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|o| opportunities::complete(conn, o)).collect()
}

/// The partner's draft offers and released ones expiring within [`OFFER_ATTENTION_DAYS`], not
/// accepted.
pub fn partner_offers(conn: &Connection, partner: &AccountId, today: NaiveDate) -> StoreResult<Vec<OfferRecord>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM (SELECT * FROM offers WHERE partner_account_id = ?1 AND state = 'draft' ORDER BY expires_on LIMIT ?4)
         UNION ALL
         SELECT * FROM (SELECT * FROM offers WHERE partner_account_id = ?1 AND state = 'released' AND agreement_id IS NULL
                          AND expires_on >= ?2 AND expires_on <= ?3 ORDER BY expires_on LIMIT ?4)",
    )?;
    let rows = st
        .query_map(params![partner.as_str(), date(today), plus(today, OFFER_ATTENTION_DAYS), LIMIT], offers::row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|r| offers::complete(conn, r)).collect()
}

/// Offers awaiting the buyer's acceptance.
pub fn buyer_offers(conn: &Connection, buyer: &AccountId, today: NaiveDate) -> StoreResult<Vec<OfferRecord>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM offers WHERE buyer_account_id = ?1 AND state = 'released' AND agreement_id IS NULL
           AND expires_on >= ?2 AND partner_account_id <> ?1 AND isv_account_id <> ?1
         ORDER BY expires_on, id LIMIT ?3",
    )?;
    let rows =
        st.query_map(params![buyer.as_str(), date(today), LIMIT], offers::row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|r| offers::complete(conn, r)).collect()
}

/// A charge the buyer owes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCharge {
    pub agreement_id: AgreementId,
    pub offer_id: OfferId,
    pub buyer: AccountId,
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// The buyer's unpaid charges due today or earlier (the next one of each agreement).
pub fn buyer_charges(conn: &Connection, buyer: &AccountId, today: NaiveDate) -> StoreResult<Vec<DueCharge>> {
    unpaid_charges(conn, "buyer_account_id", buyer, date(today))
}

/// The charges the buyers of the partner's agreements have not paid by their due day: the
/// first such of each agreement (the partner, the seller of record, follows them up).
pub fn partner_overdue_charges(
    conn: &Connection,
    partner: &AccountId,
    today: NaiveDate,
) -> StoreResult<Vec<DueCharge>> {
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    unpaid_charges(conn, "partner_account_id", partner, date(yesterday))
}

/// The unpaid charges due on `until` or earlier of the agreements whose `party` column is
/// `account`, the first of each agreement, soonest first.
fn unpaid_charges(
    conn: &Connection,
    party: &'static str,
    account: &AccountId,
    until: String,
) -> StoreResult<Vec<DueCharge>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT a.id AS agreement_id, a.offer_id AS offer_id, a.buyer_account_id AS buyer, a.currency AS currency,
                min(c.due_on) AS due_on, c.amount_minor AS amount_minor
         FROM agreements a JOIN charges c ON c.agreement_id = a.id
         WHERE a.{party} = ?1 AND a.cancelled = 0 AND a.replaced_by_agreement_id IS NULL
               AND c.paid_on IS NULL AND c.cancelled_on IS NULL AND c.due_on <= ?2
         GROUP BY a.id ORDER BY due_on LIMIT ?3"
    ))?;
    let rows = st
        .query_map(params![account.as_str(), until, LIMIT], |r| {
            let currency = r.currency("currency")?;
            Ok(DueCharge {
                agreement_id: super::codec::id(r.get("agreement_id")?, AgreementId::parse)
                    .map_err(super::codec::bad)?,
                offer_id: super::codec::id(r.get("offer_id")?, OfferId::parse).map_err(super::codec::bad)?,
                buyer: r.account("buyer")?,
                due_on: r.date("due_on")?,
                amount: Money::from_minor(r.get("amount_minor")?, currency),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
