//! Agreements imported from AWS (`aws_agreements`, `aws_agreement_charges`): written whole by
//! an import, read by id or as the agreements an account is a party to.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{RowExt, bad, id, parse_timestamp, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::aws_agreement::{AwsAgreement, AwsAgreementStatus, AwsCharge};
use crate::domain::{AccountId, AgreementId, Money};

/// Writes `a` (new, or over the held one at `a.version`, which moves on by one), with its
/// charges, as imported by `by`.
pub fn set(conn: &Connection, a: &mut AwsAgreement, by: &AccountId, now: DateTime<Utc>, new: bool) -> StoreResult<()> {
    let value = a.value.map(|v| v.minor_units());
    let currency = a.currency().map(|c| c.code());
    let args = params![
        a.id.as_str(),
        a.offer_id,
        a.proposer.as_str(),
        a.acceptor.as_str(),
        a.isv.as_ref().map(AccountId::as_str),
        a.product_id,
        a.product_type,
        a.agreement_type,
        a.status.as_str(),
        a.accepted_at.map(timestamp),
        a.starts_at.map(timestamp),
        a.ends_at.map(timestamp),
        a.ends_on().map(super::codec::date),
        currency,
        value,
        by.as_str(),
        timestamp(now),
        a.version,
    ];
    if new {
        conn.execute(
            "INSERT INTO aws_agreements(id, offer_id, proposer_account_id, acceptor_account_id, isv_account_id,
                product_id, product_type, agreement_type, status, accepted_at, starts_at, ends_at, ends_on, currency,
                value_minor, imported_by, imported_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            args,
        )?;
    } else {
        let n = conn.execute(
            "UPDATE aws_agreements SET offer_id = ?2, proposer_account_id = ?3, acceptor_account_id = ?4,
                isv_account_id = ?5, product_id = ?6, product_type = ?7, agreement_type = ?8, status = ?9,
                accepted_at = ?10, starts_at = ?11, ends_at = ?12, ends_on = ?13, currency = ?14, value_minor = ?15,
                imported_by = ?16, imported_at = ?17, version = version + 1
             WHERE id = ?1 AND version = ?18",
            args,
        )?;
        if n == 0 {
            return Err(StoreError::Conflict { entity: "agreement", id: a.id.to_string() });
        }
        a.version += 1;
        conn.execute("DELETE FROM aws_agreement_charges WHERE agreement_id = ?1", [a.id.as_str()])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT INTO aws_agreement_charges(agreement_id, seq, due_on, amount_minor, currency) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, c) in (0i64..).zip(&a.charges) {
        st.execute(params![
            a.id.as_str(),
            i,
            super::codec::date(c.due_on),
            c.amount.minor_units(),
            c.amount.currency().code()
        ])?;
    }
    Ok(())
}

fn time(r: &rusqlite::Row<'_>, col: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    r.get::<_, Option<String>>(col)?.map(|s| parse_timestamp(&s).map_err(bad)).transpose()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AwsAgreement> {
    let status: String = r.get("status")?;
    let value = match (r.get::<_, Option<String>>("currency")?, r.get::<_, Option<i64>>("value_minor")?) {
        (Some(c), Some(v)) => Some(Money::from_minor(v, super::codec::currency(&c).map_err(bad)?)),
        _ => None,
    };
    Ok(AwsAgreement {
        id: id(r.get("id")?, AgreementId::parse).map_err(bad)?,
        offer_id: r.get("offer_id")?,
        proposer: r.account("proposer_account_id")?,
        acceptor: r.account("acceptor_account_id")?,
        isv: r.get::<_, Option<String>>("isv_account_id")?.map(|s| id(s, AccountId::parse).map_err(bad)).transpose()?,
        product_id: r.get("product_id")?,
        product_type: r.get("product_type")?,
        agreement_type: r.get("agreement_type")?,
        status: AwsAgreementStatus::parse(&status)
            .ok_or_else(|| bad(StoreError::Corrupt(format!("agreement status `{status}`"))))?,
        accepted_at: time(r, "accepted_at")?,
        starts_at: time(r, "starts_at")?,
        ends_at: time(r, "ends_at")?,
        value,
        charges: Vec::new(),
        version: r.get("version")?,
    })
}

fn complete(conn: &Connection, mut a: AwsAgreement) -> StoreResult<AwsAgreement> {
    let mut st = conn.prepare_cached(
        "SELECT due_on, amount_minor, currency FROM aws_agreement_charges WHERE agreement_id = ?1 ORDER BY seq",
    )?;
    a.charges = st
        .query_map([a.id.as_str()], |r| {
            Ok(AwsCharge {
                due_on: r.date("due_on")?,
                amount: Money::from_minor(r.get("amount_minor")?, r.currency("currency")?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(a)
}

/// Any imported agreement by id, unscoped.
pub fn get(conn: &Connection, id: &AgreementId) -> StoreResult<Option<AwsAgreement>> {
    match conn.query_row("SELECT * FROM aws_agreements WHERE id = ?1", [id.as_str()], row).optional()? {
        Some(a) => Ok(Some(complete(conn, a)?)),
        None => Ok(None),
    }
}

/// The imported agreements `viewer` is a party to, soonest end first (pay-as-you-go last).
pub fn of_party(conn: &Connection, viewer: &AccountId) -> StoreResult<Vec<AwsAgreement>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM aws_agreements
         WHERE proposer_account_id = ?1 OR acceptor_account_id = ?1 OR isv_account_id = ?1
         ORDER BY ends_on IS NULL, ends_on, id",
    )?;
    let rows: Vec<AwsAgreement> = st.query_map([viewer.as_str()], row)?.collect::<Result<_, _>>()?;
    rows.into_iter().map(|a| complete(conn, a)).collect()
}

/// The imported agreements of the offer `offer_id` (AWS's id), unscoped.
pub fn of_offer(conn: &Connection, offer_id: &str) -> StoreResult<Vec<AwsAgreement>> {
    let mut st = conn.prepare_cached("SELECT * FROM aws_agreements WHERE offer_id = ?1 ORDER BY id")?;
    let rows: Vec<AwsAgreement> = st.query_map([offer_id], row)?.collect::<Result<_, _>>()?;
    rows.into_iter().map(|a| complete(conn, a)).collect()
}
