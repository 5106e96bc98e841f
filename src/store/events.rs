//! The audit log: one row per state change, written in the change's own transaction, with
//! the accounts allowed to read it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::StoreResult;
use super::codec::timestamp;
use crate::domain::AccountId;

/// One audited change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub details: serde_json::Value,
}

/// What a use case appends.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub actor: &'a AccountId,
    pub entity: &'static str,
    pub entity_id: &'a str,
    pub action: &'static str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub details: serde_json::Value,
    /// The accounts that may read this event (the actor always may).
    pub audience: Vec<&'a AccountId>,
}

pub fn append(conn: &Connection, e: &NewEvent<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO events(at, actor, entity, entity_id, action, from_state, to_state, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            timestamp(now),
            e.actor.as_str(),
            e.entity,
            e.entity_id,
            e.action,
            e.from_state,
            e.to_state,
            e.details.to_string()
        ],
    )?;
    let seq = conn.last_insert_rowid();
    let mut st = conn.prepare_cached("INSERT OR IGNORE INTO event_audience(event_seq, account_id) VALUES (?1, ?2)")?;
    st.execute(params![seq, e.actor.as_str()])?;
    for a in &e.audience {
        st.execute(params![seq, a.as_str()])?;
    }
    Ok(seq)
}

/// The events `viewer` may read, oldest first, optionally about one entity.
pub fn list(conn: &Connection, viewer: &AccountId, entity_id: Option<&str>, limit: usize) -> StoreResult<Vec<Event>> {
    let mut st = conn.prepare_cached(
        "SELECT e.seq, e.at, e.actor, e.entity, e.entity_id, e.action, e.from_state, e.to_state, e.details
         FROM event_audience a JOIN events e ON e.seq = a.event_seq
         WHERE a.account_id = ?1 AND (?2 IS NULL OR e.entity_id = ?2)
         ORDER BY e.seq LIMIT ?3",
    )?;
    let rows = st
        .query_map(params![viewer.as_str(), entity_id, limit as i64], |r| {
            let details: String = r.get(8)?;
            Ok(Event {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                from_state: r.get(6)?,
                to_state: r.get(7)?,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
