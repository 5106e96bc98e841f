//! Why a record the viewer asked for is not there: made in cppo and since linked to the id
//! AWS gave it, known by its `list-entities` summary only (import its details), or not found
//! at all. The loaders of opportunities and offers ask; an import names summaries the same way.

use crate::domain::sync::AwsLink;
use crate::domain::{AccountId, OfferId, OpportunityId, RuleError, visibility};
use crate::store::Conn as Connection;
use crate::store::aws as sources;
use crate::store::{link, offers, opportunities};

use super::{MarketError, MarketResult};

/// "Not found" for an opportunity or offer `viewer` cannot load, unless `viewer` knows it by
/// its `list-entities` summary only: then it says so, and what to import.
pub(super) fn not_found(conn: &Connection, viewer: &AccountId, what: &'static str, id: &str) -> MarketError {
    match linked_to(conn, viewer, id) {
        Ok(Some(l)) => {
            return MarketError::Rule(RuleError::status(format!(
                "{id} was made in cppo and is now {}, the id AWS gave it (linked {}): use that id",
                l.aws_id,
                l.linked_at.format("%Y-%m-%d %H:%M UTC")
            )));
        }
        Ok(None) => {}
        Err(e) => return e,
    }
    match sources::summary(conn, id) {
        Ok(Some(s)) if s.visible_to(viewer) => MarketError::Rule(RuleError::status(format!(
            "{id} {} is known by its summary only: import its describe-entity for its terms \
             (aws marketplace-catalog describe-entity --catalog AWSMarketplace --entity-id {id})",
            summary_what(s.name.as_deref(), s.status.as_deref())
        ))),
        Ok(_) => MarketError::not_found(what, id),
        Err(e) => e.into(),
    }
}

/// What the record made in cppo as `id` became, if it was linked to AWS's id and `viewer`
/// sees it (anyone else learns nothing).
fn linked_to(conn: &Connection, viewer: &AccountId, id: &str) -> MarketResult<Option<AwsLink>> {
    let Some(l) = link::link_from(conn, id)? else { return Ok(None) };
    let sees = if let Ok(aws) = OpportunityId::parse(&l.aws_id) {
        opportunities::get(conn, &aws)?.is_some_and(|o| visibility::opportunity(viewer, &o).is_some())
    } else if let Ok(aws) = OfferId::parse(&l.aws_id) {
        offers::get(conn, &aws)?.is_some_and(|o| visibility::offer(viewer, &o.offer).is_some())
    } else {
        false
    };
    Ok(sees.then_some(l))
}

/// A summarised record as a line names it: `"Name" (Status)`.
pub(super) fn summary_what(name: Option<&str>, status: Option<&str>) -> String {
    format!("\"{}\" ({})", name.unwrap_or("no name"), status.unwrap_or("status unknown"))
}
