//! Records made in cppo and the entities AWS created from their exports: moving a record to
//! AWS's id ([`rekey_opportunity`], [`rekey_offer`]), the links from the ids they had
//! (`aws_links`), and the change sets AWS refused for a record (`aws_refusals`).
//!
//! A linked record takes AWS's id rather than keeping its own beside a link: every later
//! answer of AWS (describe-entity, an offer's `ResaleAuthorizationId`, list-entities) names
//! it by that id, so the importer, the export, the lists and the TUI need no translation,
//! and what cppo shows is what AWS's console shows.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{bad, parse_timestamp, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::sync::{AwsError, AwsLink, AwsRefusal};
use crate::domain::{OfferId, OpportunityId};

/// Moves the opportunity `from` and everything that names it (its prices, buyers,
/// installments, rate cards, the offers made from it and their agreements, its audit events) to the id
/// `to`, which the file must not hold. Inside the caller's transaction; foreign keys are
/// checked at its commit, once every row has moved.
pub fn rekey_opportunity(conn: &Connection, from: &OpportunityId, to: &OpportunityId) -> StoreResult<()> {
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    for sql in [
        "UPDATE opportunities SET id = ?2 WHERE id = ?1",
        "UPDATE opportunity_prices SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE opportunity_buyers SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE opportunity_installments SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE opportunity_rate_cards SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE offers SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE agreements SET opportunity_id = ?2 WHERE opportunity_id = ?1",
        "UPDATE events SET entity_id = ?2 WHERE entity_id = ?1 AND entity = 'opportunity'",
    ] {
        conn.prepare_cached(sql)?.execute(params![from.as_str(), to.as_str()])?;
    }
    Ok(())
}

/// Moves the offer `from` and everything that names it (its lines, its buyer's other
/// accounts, its agreement, its audit events) to the id `to`, as [`rekey_opportunity`].
pub fn rekey_offer(conn: &Connection, from: &OfferId, to: &OfferId) -> StoreResult<()> {
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    for sql in [
        "UPDATE offers SET id = ?2 WHERE id = ?1",
        "UPDATE offer_lines SET offer_id = ?2 WHERE offer_id = ?1",
        "UPDATE offer_accounts SET offer_id = ?2 WHERE offer_id = ?1",
        "UPDATE agreements SET offer_id = ?2 WHERE offer_id = ?1",
        "UPDATE events SET entity_id = ?2 WHERE entity_id = ?1 AND entity = 'offer'",
    ] {
        conn.prepare_cached(sql)?.execute(params![from.as_str(), to.as_str()])?;
    }
    Ok(())
}

/// Records that the record made in cppo as `link.local_id` is now `link.aws_id`.
pub fn set_link(conn: &Connection, entity: &str, link: &AwsLink) -> StoreResult<()> {
    conn.execute(
        "INSERT OR REPLACE INTO aws_links(local_id, aws_id, entity, change_set_id, linked_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![link.local_id, link.aws_id, entity, link.change_set_id, timestamp(link.linked_at)],
    )?;
    Ok(())
}

/// What the record made in cppo as `local_id` became, if it was linked.
pub fn link_from(conn: &Connection, local_id: &str) -> StoreResult<Option<AwsLink>> {
    Ok(conn.query_row("SELECT * FROM aws_links WHERE local_id = ?1", [local_id], link_row).optional()?)
}

/// How the record `aws_id` was linked, if it was made in cppo.
pub fn link_to(conn: &Connection, aws_id: &str) -> StoreResult<Option<AwsLink>> {
    Ok(conn
        .query_row("SELECT * FROM aws_links WHERE aws_id = ?1 ORDER BY linked_at DESC LIMIT 1", [aws_id], link_row)
        .optional()?)
}

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AwsLink> {
    Ok(AwsLink {
        local_id: r.get("local_id")?,
        aws_id: r.get("aws_id")?,
        change_set_id: r.get("change_set_id")?,
        linked_at: parse_timestamp(&r.get::<_, String>("linked_at")?).map_err(bad)?,
    })
}

/// Records (or replaces) the change set AWS refused for the record `id`.
pub fn set_refusal(conn: &Connection, id: &str, r: &AwsRefusal) -> StoreResult<()> {
    let errors = serde_json::to_string(&r.errors).expect("errors are plain JSON");
    conn.execute(
        "INSERT OR REPLACE INTO aws_refusals(entity_id, change_set_id, change_set_name, version, failure_code,
            failure, ended_at, errors, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            r.change_set_id,
            r.change_set_name,
            r.version,
            r.failure_code,
            r.failure,
            r.ended_at.map(timestamp),
            errors,
            timestamp(r.recorded_at),
        ],
    )?;
    Ok(())
}

/// The change set AWS last refused for the record `id`, if it is still shown.
pub fn refusal(conn: &Connection, id: &str) -> StoreResult<Option<AwsRefusal>> {
    Ok(conn.query_row("SELECT * FROM aws_refusals WHERE entity_id = ?1", [id], refusal_row).optional()?)
}

fn refusal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AwsRefusal> {
    let errors: String = r.get("errors")?;
    let errors: Vec<AwsError> = serde_json::from_str(&errors)
        .map_err(|_| bad(StoreError::Corrupt("the errors of a refused change set".into())))?;
    Ok(AwsRefusal {
        change_set_id: r.get("change_set_id")?,
        change_set_name: r.get("change_set_name")?,
        version: r.get("version")?,
        failure_code: r.get("failure_code")?,
        failure: r.get("failure")?,
        ended_at: r.get::<_, Option<String>>("ended_at")?.map(|s| parse_timestamp(&s)).transpose().map_err(bad)?,
        errors,
        recorded_at: parse_timestamp(&r.get::<_, String>("recorded_at")?).map_err(bad)?,
    })
}

/// Forgets the refusal shown beside the record `id` (a later answer for it came). True if
/// there was one.
pub fn drop_refusal(conn: &Connection, id: &str) -> StoreResult<bool> {
    Ok(conn.execute("DELETE FROM aws_refusals WHERE entity_id = ?1", [id])? > 0)
}
