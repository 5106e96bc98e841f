//! Where each account's last pull from AWS left off (`aws_pulls`): the watermark the next
//! incremental pull starts from, and when the last pull was stored.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::codec::{parse_timestamp, timestamp};
use crate::domain::AccountId;

/// An account's last stored pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastPull {
    /// `None`: the pull saw nothing changed yet.
    pub watermark: Option<DateTime<Utc>>,
    pub pulled_at: DateTime<Utc>,
}

pub fn last(conn: &Connection, account: &AccountId) -> StoreResult<Option<LastPull>> {
    let row: Option<(Option<String>, String)> = conn
        .query_row("SELECT watermark, pulled_at FROM aws_pulls WHERE account_id = ?1", [account.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    row.map(|(w, at)| {
        Ok(LastPull { watermark: w.as_deref().map(parse_timestamp).transpose()?, pulled_at: parse_timestamp(&at)? })
    })
    .transpose()
}

/// Records a stored pull, inside the transaction that stored it.
pub fn set(conn: &Connection, account: &AccountId, pull: &LastPull) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO aws_pulls(account_id, watermark, pulled_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(account_id) DO UPDATE SET watermark = excluded.watermark, pulled_at = excluded.pulled_at",
        params![account.as_str(), pull.watermark.map(timestamp), timestamp(pull.pulled_at)],
    )?;
    Ok(())
}
