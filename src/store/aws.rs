//! What cppo keeps of its exchanges with AWS Marketplace: where imported records came from
//! (`aws_sources`) and the summaries of entities whose details were never imported
//! (`aws_summaries`).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{RowExt, bad, date, opt_date, parse_date, parse_timestamp, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::sync::{AwsSource, Held};
use crate::domain::visibility;
use crate::domain::visibility::SummaryState;
use crate::domain::{AccountId, OfferState, OpportunityState};

/// Where the opportunity or offer `id` came from, if it was imported.
pub fn source(conn: &Connection, id: &str) -> StoreResult<Option<AwsSource>> {
    Ok(conn.query_row("SELECT * FROM aws_sources WHERE entity_id = ?1", [id], source_row).optional()?)
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AwsSource> {
    let corrupt = |what: String| bad(StoreError::Corrupt(what));
    let (entity, state): (String, String) = (r.get("entity")?, r.get("aws_state")?);
    let end = r.opt_date("aws_end")?;
    let held = match entity.as_str() {
        "opportunity" => Held::Opportunity {
            state: OpportunityState::parse(&state).ok_or_else(|| corrupt(format!("AWS state `{state}`")))?,
            ends_on: end,
        },
        "offer" => Held::Offer {
            state: OfferState::parse(&state).ok_or_else(|| corrupt(format!("AWS state `{state}`")))?,
            expires_on: end,
        },
        other => return Err(corrupt(format!("AWS entity `{other}`"))),
    };
    Ok(AwsSource {
        revision: r.get("revision")?,
        last_modified: opt_timestamp(r.get("last_modified")?).map_err(bad)?,
        imported_at: opt_timestamp(Some(r.get("imported_at")?)).map_err(bad)?.unwrap_or_default(),
        local_version: r.get("local_version")?,
        held,
    })
}

fn opt_timestamp(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.as_deref().map(parse_timestamp).transpose()
}

/// Records (or replaces) where `id` came from.
pub fn set_source(conn: &Connection, id: &str, s: &AwsSource) -> StoreResult<()> {
    let (entity, state, end) = match s.held {
        Held::Opportunity { state, ends_on } => ("opportunity", state.as_str(), ends_on),
        Held::Offer { state, expires_on } => ("offer", state.as_str(), expires_on),
    };
    conn.execute(
        "INSERT OR REPLACE INTO aws_sources(entity_id, entity, revision, last_modified, imported_at, local_version,
            aws_state, aws_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            entity,
            s.revision,
            s.last_modified.map(timestamp),
            timestamp(s.imported_at),
            s.local_version,
            state,
            opt_date(end),
        ],
    )?;
    Ok(())
}

/// What `list-entities` said of an entity whose details cppo does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    /// "opportunity" or "offer".
    pub entity: &'static str,
    pub name: Option<String>,
    /// AWS's word for its state (`Active`, `Restricted`, `Released`...).
    pub status: Option<String>,
    pub product_id: Option<String>,
    pub isv: Option<AccountId>,
    pub partner: Option<AccountId>,
    /// For an offer: the resale authorization it was made from.
    pub opportunity_id: Option<String>,
    pub ends_on: Option<NaiveDate>,
    pub last_modified: Option<DateTime<Utc>>,
    pub imported_by: AccountId,
}

impl Summary {
    /// What the summary says of the entity's state.
    pub fn state(&self) -> SummaryState {
        SummaryState::of_aws(self.entity, self.status.as_deref())
    }

    /// The importing account sees it, and the parties it names as they would see the record
    /// (`domain::visibility::summary`).
    pub fn visible_to(&self, viewer: &AccountId) -> bool {
        visibility::summary(viewer, &self.imported_by, self.isv.as_ref(), self.partner.as_ref(), self.state())
    }
}

pub fn summary(conn: &Connection, id: &str) -> StoreResult<Option<Summary>> {
    Ok(conn.query_row("SELECT * FROM aws_summaries WHERE entity_id = ?1", [id], summary_row).optional()?)
}

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Summary> {
    let entity: String = r.get("entity")?;
    let account = |col: &str| -> rusqlite::Result<Option<AccountId>> {
        r.get::<_, Option<String>>(col)?
            .map(|s| AccountId::parse(&s).map_err(|_| bad(StoreError::Corrupt(format!("account `{s}`")))))
            .transpose()
    };
    Ok(Summary {
        id: r.get("entity_id")?,
        entity: if entity == "offer" { "offer" } else { "opportunity" },
        name: r.get("name")?,
        status: r.get("status")?,
        product_id: r.get("product_id")?,
        isv: account("isv_account_id")?,
        partner: account("partner_account_id")?,
        opportunity_id: r.get("opportunity_id")?,
        ends_on: r.get::<_, Option<String>>("ends_on")?.map(|s| parse_date(&s)).transpose().map_err(bad)?,
        last_modified: opt_timestamp(r.get("last_modified")?).map_err(bad)?,
        imported_by: r.account("imported_by")?,
    })
}

/// Records (or replaces) a summary.
pub fn set_summary(conn: &Connection, s: &Summary, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT OR REPLACE INTO aws_summaries(entity_id, entity, name, status, product_id, isv_account_id,
            partner_account_id, opportunity_id, ends_on, last_modified, imported_by, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            s.id,
            s.entity,
            s.name,
            s.status,
            s.product_id,
            s.isv.as_ref().map(AccountId::as_str),
            s.partner.as_ref().map(AccountId::as_str),
            s.opportunity_id,
            s.ends_on.map(date),
            s.last_modified.map(timestamp),
            s.imported_by.as_str(),
            timestamp(now),
        ],
    )?;
    Ok(())
}

/// Forgets the summary of `id` (its details arrived).
pub fn drop_summary(conn: &Connection, id: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM aws_summaries WHERE entity_id = ?1", [id])?;
    Ok(())
}

/// The summaries `viewer` may see (it imported them, or is a party they name and sees the
/// record as it stands), by id. Summaries are few (one per entity `list-entities` named):
/// those naming the viewer are read, and the domain's rule picks the visible ones.
pub fn summaries(conn: &Connection, viewer: &AccountId) -> StoreResult<Vec<Summary>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM aws_summaries
         WHERE imported_by = ?1 OR isv_account_id = ?1 OR partner_account_id = ?1 ORDER BY entity, entity_id",
    )?;
    let rows = st.query_map([viewer.as_str()], summary_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows.into_iter().filter(|s| s.visible_to(viewer)).collect())
}
