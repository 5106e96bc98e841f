//! Agreements, their charges, and disbursements.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{RowExt, bad, date, id, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::agreement::PayeeRole;
use crate::domain::{
    Agreement, AgreementId, Charge, ChargeId, Disbursement, DisbursementId, Money, OfferId, OpportunityId,
};

/// Writes a new agreement and its charges (prepared once per connection: `demo --scale`
/// writes many in one transaction).
pub fn insert(conn: &Connection, a: &Agreement, now: DateTime<Utc>) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO agreements(id, offer_id, opportunity_id, isv_account_id, partner_account_id, buyer_account_id,
            currency, starts_on, ends_on, total_minor, wholesale_total_minor, fee_rate_pct, cancelled, created_at, version,
            replaces_agreement_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        a.id.as_str(),
        a.offer_id.as_str(),
        a.opportunity_id.as_str(),
        a.isv.as_str(),
        a.partner.as_str(),
        a.buyer.as_str(),
        a.currency.code(),
        date(a.starts_on),
        date(a.ends_on),
        a.total.minor_units(),
        a.wholesale_total.minor_units(),
        a.fee_rate_pct.to_string(),
        a.cancelled,
        timestamp(now),
        a.version,
        a.replaces.as_ref().map(|r| r.as_str()),
    ])?;
    let mut st = conn.prepare_cached(
        "INSERT INTO charges(id, agreement_id, seq, due_on, amount_minor, wholesale_minor, paid_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, c) in (0i64..).zip(a.charges.iter()) {
        st.execute(params![
            c.id.as_str(),
            a.id.as_str(),
            i,
            date(c.due_on),
            c.amount.minor_units(),
            c.wholesale.minor_units(),
            c.paid_on.map(date)
        ])?;
    }
    Ok(())
}

/// Records that `a` was replaced (its `replaced_by`, and the charges at `cancelled`
/// cancelled), if nobody changed it meanwhile.
pub fn mark_replaced(conn: &Connection, a: &mut Agreement, cancelled: &[usize]) -> StoreResult<()> {
    let n = conn.execute(
        "UPDATE agreements SET replaced_by_agreement_id = ?3, version = version + 1
         WHERE id = ?1 AND version = ?2 AND replaced_by_agreement_id IS NULL",
        params![a.id.as_str(), a.version, a.replaced_by.as_ref().map(|r| r.as_str())],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "agreement", id: a.id.to_string() });
    }
    let mut st = conn.prepare_cached(
        "UPDATE charges SET cancelled_on = ?2, version = version + 1 WHERE id = ?1 AND paid_on IS NULL",
    )?;
    for &i in cancelled {
        let c = &a.charges[i];
        if st.execute(params![c.id.as_str(), c.cancelled_on.map(date)])? == 0 {
            return Err(StoreError::Conflict { entity: "charge", id: c.id.to_string() });
        }
    }
    a.version += 1;
    Ok(())
}

/// Records a charge as paid, if nobody paid it meanwhile.
pub fn mark_paid(conn: &Connection, a: &mut Agreement, index: usize) -> StoreResult<()> {
    let c = &a.charges[index];
    let n = conn.execute(
        "UPDATE charges SET paid_on = ?2, version = version + 1 WHERE id = ?1 AND paid_on IS NULL AND cancelled_on IS NULL",
        params![c.id.as_str(), c.paid_on.map(date)],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "charge", id: c.id.to_string() });
    }
    let n = conn.execute(
        "UPDATE agreements SET version = version + 1 WHERE id = ?1 AND version = ?2",
        params![a.id.as_str(), a.version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "agreement", id: a.id.to_string() });
    }
    a.version += 1;
    Ok(())
}

pub(crate) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Agreement> {
    let currency = r.currency("currency")?;
    Ok(Agreement {
        id: id(r.get("id")?, AgreementId::parse).map_err(bad)?,
        offer_id: id(r.get("offer_id")?, OfferId::parse).map_err(bad)?,
        opportunity_id: id(r.get("opportunity_id")?, OpportunityId::parse).map_err(bad)?,
        partner: r.account("partner_account_id")?,
        buyer: r.account("buyer_account_id")?,
        isv: r.account("isv_account_id")?,
        currency,
        starts_on: r.date("starts_on")?,
        ends_on: r.date("ends_on")?,
        total: Money::from_minor(r.get("total_minor")?, currency),
        wholesale_total: Money::from_minor(r.get("wholesale_total_minor")?, currency),
        fee_rate_pct: r.decimal("fee_rate_pct")?,
        cancelled: r.get("cancelled")?,
        replaces: opt_id(r, "replaces_agreement_id")?,
        replaced_by: opt_id(r, "replaced_by_agreement_id")?,
        charges: Vec::new(),
        version: r.get("version")?,
    })
}

fn opt_id(r: &rusqlite::Row<'_>, col: &str) -> rusqlite::Result<Option<AgreementId>> {
    r.get::<_, Option<String>>(col)?.map(|s| id(s, AgreementId::parse).map_err(bad)).transpose()
}

pub(crate) fn complete(conn: &Connection, mut a: Agreement) -> StoreResult<Agreement> {
    let currency = a.currency;
    let mut st = conn.prepare_cached(
        "SELECT id, due_on, amount_minor, wholesale_minor, paid_on, cancelled_on FROM charges WHERE agreement_id = ?1 ORDER BY seq",
    )?;
    a.charges = st
        .query_map([a.id.as_str()], |r| {
            Ok(Charge {
                id: id(r.get("id")?, ChargeId::parse).map_err(bad)?,
                due_on: r.date("due_on")?,
                amount: Money::from_minor(r.get("amount_minor")?, currency),
                wholesale: Money::from_minor(r.get("wholesale_minor")?, currency),
                paid_on: match r.get::<_, Option<String>>("paid_on")? {
                    Some(s) => Some(super::codec::parse_date(&s).map_err(bad)?),
                    None => None,
                },
                cancelled_on: match r.get::<_, Option<String>>("cancelled_on")? {
                    Some(s) => Some(super::codec::parse_date(&s).map_err(bad)?),
                    None => None,
                },
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(a)
}

/// Any agreement by id, unscoped.
pub fn get(conn: &Connection, id: &AgreementId) -> StoreResult<Option<Agreement>> {
    match conn.query_row("SELECT * FROM agreements WHERE id = ?1", [id.as_str()], row).optional()? {
        Some(a) => Ok(Some(complete(conn, a)?)),
        None => Ok(None),
    }
}

/// Charge `index` of `a` is paid: marked so, with what it disburses (the buyer paying, or a
/// financier paying for it).
pub fn record_payment(
    conn: &Connection,
    a: &mut Agreement,
    index: usize,
    disbursements: &[Disbursement],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    mark_paid(conn, a, index)?;
    disbursements.iter().try_for_each(|d| insert_disbursement(conn, d, now))
}

pub fn insert_disbursement(conn: &Connection, d: &Disbursement, now: DateTime<Utc>) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO disbursements(id, agreement_id, charge_id, payee_account_id, role, amount_minor,
            listing_fee_minor, currency, paid_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        d.id.as_str(),
        d.agreement_id.as_str(),
        d.charge_id.as_str(),
        d.payee.as_str(),
        d.role.as_str(),
        d.amount.minor_units(),
        d.listing_fee.map(|f| f.minor_units()),
        d.amount.currency().code(),
        date(d.paid_on),
        timestamp(now),
    ])?;
    Ok(())
}

pub(super) fn disbursement_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Disbursement> {
    let currency = r.currency("currency")?;
    let role: String = r.get("role")?;
    Ok(Disbursement {
        id: id(r.get("id")?, DisbursementId::parse).map_err(bad)?,
        agreement_id: id(r.get("agreement_id")?, AgreementId::parse).map_err(bad)?,
        charge_id: id(r.get("charge_id")?, ChargeId::parse).map_err(bad)?,
        payee: r.account("payee_account_id")?,
        role: PayeeRole::parse(&role).ok_or_else(|| bad(StoreError::Corrupt(format!("role `{role}`"))))?,
        amount: Money::from_minor(r.get("amount_minor")?, currency),
        listing_fee: r.get::<_, Option<i64>>("listing_fee_minor")?.map(|m| Money::from_minor(m, currency)),
        paid_on: r.date("paid_on")?,
    })
}
