//! The buyer's financing of an agreement: one row per agreement, written with a version
//! check like every record that changes. No rules here (they are `domain::financing`'s).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{bad, id, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::{AgreementId, Currency, Financing, FinancingStatus, Money};

/// The financing of agreement `agreement` (in its `currency`), if the buyer applied for one.
pub fn get(conn: &Connection, agreement: &AgreementId, currency: Currency) -> StoreResult<Option<Financing>> {
    let mut st = conn.prepare_cached(
        "SELECT agreement_id, provider, months, status, amount_minor, version FROM financings WHERE agreement_id = ?1",
    )?;
    Ok(st
        .query_row([agreement.as_str()], |r| {
            let status: String = r.get("status")?;
            Ok(Financing {
                agreement_id: id(r.get("agreement_id")?, AgreementId::parse).map_err(bad)?,
                provider: r.get("provider")?,
                months: r.get("months")?,
                status: FinancingStatus::parse(&status)
                    .ok_or_else(|| bad(StoreError::Corrupt(format!("financing status `{status}`"))))?,
                amount: Money::from_minor(r.get("amount_minor")?, currency),
                version: r.get("version")?,
            })
        })
        .optional()?)
}

/// Writes `f` as the agreement's financing: a new row, or the one read at `f.version`
/// (someone else's change meanwhile is a conflict). `f.version` moves on.
pub fn put(conn: &Connection, f: &mut Financing, is_new: bool, now: DateTime<Utc>) -> StoreResult<()> {
    let row = params![
        f.agreement_id.as_str(),
        f.provider,
        f.months,
        f.status.as_str(),
        f.amount.minor_units(),
        timestamp(now),
        f.version
    ];
    let n = if is_new {
        conn.execute(
            "INSERT INTO financings(agreement_id, provider, months, status, amount_minor, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(agreement_id) DO NOTHING",
            row,
        )?
    } else {
        conn.execute(
            "UPDATE financings SET provider = ?2, months = ?3, status = ?4, amount_minor = ?5, updated_at = ?6,
                version = version + 1
             WHERE agreement_id = ?1 AND version = ?7",
            row,
        )?
    };
    if n == 0 {
        return Err(StoreError::Conflict { entity: "financing", id: f.agreement_id.to_string() });
    }
    if !is_new {
        f.version += 1;
    }
    Ok(())
}
