//! `describe-change-set`: what AWS did with a change set that `cppo export` wrote (botocore's
//! `DescribeChangeSetResponse`; `tests/fixtures/aws/real/` holds AWS's own answers). Its
//! `ChangeSetName` names the record it was exported from (`aws::changeset::Exported`); a
//! `SUCCEEDED` answer gives the id AWS gave the created entity, on the change cppo named
//! `ResaleAuthorization` or `Offer`; a `FAILED` one, each change's errors.
//!
//! The other answers of the same family, which are not AWS's verdict, are told apart here
//! too: `start-change-set`'s (`{ChangeSetId, ChangeSetArn}`: AWS has only received it) and
//! cppo's own request (`{Catalog, ChangeSet, ...}`), each skipped with what to import instead.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::fields::{Got, Obj, Skip, split_identifier};
use super::{Entry, details};
use crate::aws::changeset::Exported;
use crate::domain::account::validate_text;

/// `KIND` of the entries read here.
pub const KIND_CHANGE_SET: &str = "change set";

/// What `describe-change-set` says of a change set.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSetAnswer {
    /// `ChangeSetId`.
    pub id: String,
    /// `ChangeSetName`, as given to `start-change-set`.
    pub name: Option<String>,
    pub status: ChangeSetStatus,
    /// `FailureCode` (`CLIENT_ERROR`, `SERVER_FAULT`) and `FailureDescription`.
    pub failure_code: Option<String>,
    pub failure_description: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    pub changes: Vec<ChangeSummary>,
    /// The cppo record it was exported from, when its name is one of cppo's exports.
    pub exported: Option<Exported>,
}

/// AWS's `Status` of a change set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSetStatus {
    Preparing,
    Applying,
    Succeeded,
    Cancelled,
    Failed,
}

impl ChangeSetStatus {
    /// AWS's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparing => "PREPARING",
            Self::Applying => "APPLYING",
            Self::Succeeded => "SUCCEEDED",
            Self::Cancelled => "CANCELLED",
            Self::Failed => "FAILED",
        }
    }
}

/// One change of the set, as AWS applied (or refused) it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSummary {
    pub change_type: String,
    /// `ChangeName`: AWS repeats the request's (the create change's, for cppo's exports).
    pub change_name: Option<String>,
    /// `Entity.Type` (`ResaleAuthorization@1.0`, `Offer@1.0`).
    pub entity_type: String,
    /// `Entity.Identifier` before its `@`: the entity's AWS id once the change applied.
    pub entity_id: Option<String>,
    /// After the `@`.
    pub revision: Option<String>,
    /// `UpdateAvailability`'s `AvailabilityEndDate`: what AWS then holds.
    pub availability_end: Option<NaiveDate>,
    /// `CreateOfferUsingResaleAuthorization`'s `ResaleAuthorizationId`.
    pub resale_authorization_id: Option<String>,
    /// `ErrorDetailList`.
    pub errors: Vec<ChangeError>,
}

/// One `ErrorDetail`: why AWS refused a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeError {
    pub code: String,
    pub message: String,
}

/// Is `answer` (a top-level object) one of the change set family?
pub(super) fn is_change_set(answer: &Value) -> bool {
    answer.get("ChangeSetId").is_some() || (answer.get("ChangeSet").is_some() && answer.get("Catalog").is_some())
}

/// A `describe-change-set` answer, or one of its family skipped with what to import instead.
pub(super) fn read(answer: &Value) -> Entry {
    let change_set_id = answer.get("ChangeSetId").and_then(Value::as_str).map(str::to_owned);
    let skip = |reason: String| Entry::Skipped { id: change_set_id.clone(), kind: KIND_CHANGE_SET, reason };
    if answer.get("Status").is_none() && answer.get("ChangeSet").is_none() {
        return skip(format!(
            "start-change-set's answer: AWS has only received the change set; once it is done, import \
             `aws marketplace-catalog describe-change-set --catalog AWSMarketplace --change-set-id {}`",
            change_set_id.as_deref().unwrap_or("ID")
        ));
    }
    if change_set_id.is_none() && answer.get("Catalog").is_some() {
        return skip(
            "a StartChangeSet request (what `cppo export` writes), not AWS's answer: submit it with \
             `aws marketplace-catalog start-change-set`, then import describe-change-set's answer"
                .into(),
        );
    }
    describe(answer).unwrap_or_else(|Skip(reason)| skip(reason))
}

fn describe(answer: &Value) -> Got<Entry> {
    let top = Obj::new(answer, "")?;
    let id: String = top.req("ChangeSetId")?;
    let name = top.opt::<String>("ChangeSetName")?.map(|n| text("ChangeSetName", n, 100)).transpose()?;
    let status = match top.req::<String>("Status")?.as_str() {
        "PREPARING" => ChangeSetStatus::Preparing,
        "APPLYING" => ChangeSetStatus::Applying,
        "SUCCEEDED" => ChangeSetStatus::Succeeded,
        "CANCELLED" => ChangeSetStatus::Cancelled,
        "FAILED" => ChangeSetStatus::Failed,
        other => {
            return Err(Skip(format!(
                "Status `{other}` is not a change set status: AWS writes PREPARING, APPLYING, SUCCEEDED, CANCELLED or FAILED"
            )));
        }
    };
    let changes = top.objs("ChangeSet")?;
    if changes.len() > 20 {
        return Err(Skip(format!("ChangeSet holds {} changes: AWS takes at most 20", changes.len())));
    }
    // The details matter only for what AWS applied: a refused set's may be anything.
    let applied = status == ChangeSetStatus::Succeeded;
    let answer = ChangeSetAnswer {
        exported: name.as_deref().and_then(Exported::from_name),
        id: text("ChangeSetId", id, 255)?,
        name,
        status,
        failure_code: top.opt::<String>("FailureCode")?.map(|c| text("FailureCode", c, 72)).transpose()?,
        failure_description: top
            .opt::<String>("FailureDescription")?
            .map(|d| text("FailureDescription", d, 2048))
            .transpose()?,
        ended_at: if applied { top.timestamp("EndTime")? } else { top.timestamp("EndTime").unwrap_or(None) },
        changes: changes.iter().map(|c| change(c, applied)).collect::<Got<_>>()?,
    };
    Ok(Entry::ChangeSet(answer))
}

/// Text of the answer kept in the file and shown: a name's rules (no control characters),
/// within AWS's length for it.
fn text(path: &str, s: String, most: usize) -> Got<String> {
    validate_text(path, &s, 1, most).map_err(|e| Skip(e.message))
}

fn change(c: &Obj, applied: bool) -> Got<ChangeSummary> {
    let change_type: String = c.req("ChangeType")?;
    let entity = c.obj("Entity")?.ok_or_else(|| c.missing("Entity"))?;
    let (entity_id, revision) = match entity.opt::<String>("Identifier")? {
        Some(identifier) => {
            let (id, revision) = split_identifier(&identifier);
            let path = entity.path("Identifier");
            let revision = revision.map(|r| text(&format!("{path}'s revision (after the @)"), r.to_owned(), 255));
            (Some(text(&path, id.to_owned(), 255)?), revision.transpose()?)
        }
        None => (None, None),
    };
    let mut summary = ChangeSummary {
        change_name: c.opt("ChangeName")?,
        entity_type: entity.req("Type")?,
        entity_id,
        revision,
        availability_end: None,
        resale_authorization_id: None,
        errors: c
            .objs("ErrorDetailList")?
            .iter()
            .map(|e| {
                Ok(ChangeError {
                    code: text(&e.path("ErrorCode"), e.req("ErrorCode")?, 72)?,
                    message: text(&e.path("ErrorMessage"), e.req("ErrorMessage")?, 2048)?,
                })
            })
            .collect::<Got<_>>()?,
        change_type,
    };
    if applied && matches!(summary.change_type.as_str(), "UpdateAvailability" | "CreateOfferUsingResaleAuthorization") {
        // A change's Details and DetailsDocument that disagree need no note: only these two
        // members are read, for the link.
        let doc = details(c, &mut Vec::new())
            .map_err(|Skip(why)| Skip(format!("its {} change: {why}", summary.change_type)))?;
        let doc = Obj::new(&doc, &c.path("DetailsDocument"))?;
        summary.availability_end = doc.day("AvailabilityEndDate")?;
        summary.resale_authorization_id = doc.opt("ResaleAuthorizationId")?;
    }
    Ok(summary)
}
