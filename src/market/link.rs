//! An import's `describe-change-set` answers: what AWS did with a change set `cppo export`
//! wrote, applied to the record it was exported from (its `ChangeSetName` names it).
//!
//! - `SUCCEEDED`, for a record made in cppo: the record takes the id AWS gave the entity it
//!   created (its rows, its offers and its history move to it, `store::link`), and from then
//!   on is an imported record: AWS holds what the change set sent, as of the version it was
//!   exported from, so a later describe-entity of it imports as `unchanged` (or `updated`)
//!   and an edit since the export is "changed in cppo since". A change set that released
//!   the entity (`--release`) releases the record too, as AWS holds it.
//! - `FAILED`: the record stays as it is, and AWS's errors are kept beside it (`show`, the
//!   TUI's detail pane) until a later answer for it.
//! - `SUCCEEDED` for an update of AWS's entity: an earlier refusal is cleared.
//!
//! Only the account that exports the record links it (its ISV an opportunity, its partner an
//! offer): the same authority as an import of the entity, decided by the stored record.

use serde_json::json;

use super::import::{CHANGE_SET, ImportLine, OFFER, OPPORTUNITY, Outcome, Refusal, Run, Step};
use super::offers::event as offer_event;
use super::opportunities::event as opportunity_event;
use super::views::{AwsRefusalView, AwsSourceView};
use super::{Market, MarketResult};
use crate::aws::changeset::{Exported, OFFER_NAME, RA_NAME};
use crate::aws::import::{ChangeSetAnswer, ChangeSetStatus, ChangeSummary};
use crate::aws::{OFFER as OFFER_TYPE, RESALE_AUTHORIZATION};
use crate::domain::sync::{
    AwsError, AwsLink, AwsRefusal, AwsSource, Held, check_linkable, check_offer_holder, check_offer_link,
    check_opportunity_holder, check_opportunity_link, hidden,
};
use crate::domain::{AccountId, OfferId, OfferState, OpportunityId, OpportunityState, RuleError};
use crate::store::events::NewEvent;
use crate::store::{aws as sources, link, offers, opportunities};

fn skip<T>(why: String) -> MarketResult<Step<T>> {
    Ok(Err(Refusal::Skip(why)))
}

impl Run<'_> {
    /// A `describe-change-set` answer.
    pub(super) fn change_set(&mut self, cs: &ChangeSetAnswer, line: &mut ImportLine) -> MarketResult<Step<Outcome>> {
        line.kind = CHANGE_SET;
        line.what = format!("change set {} ({})", cs.id, cs.status.as_str());
        let Some(exported) = &cs.exported else {
            return skip(format!(
                "change set {} ({}) was not written by `cppo export` (its name is {}): cppo links only the records it exported",
                cs.id,
                cs.status.as_str(),
                cs.name.as_deref().map_or_else(|| "missing".to_owned(), |n| format!("`{n}`")),
            ));
        };
        match cs.status {
            ChangeSetStatus::Preparing | ChangeSetStatus::Applying => {
                return skip(format!(
                    "AWS is still working on change set {} ({}): import its describe-change-set answer again once it SUCCEEDED or FAILED",
                    cs.id,
                    cs.status.as_str()
                ));
            }
            ChangeSetStatus::Cancelled => {
                return skip(format!(
                    "change set {} was cancelled: AWS applied nothing, and {} stays as it is",
                    cs.id, exported.id
                ));
            }
            ChangeSetStatus::Succeeded | ChangeSetStatus::Failed => {}
        }
        if let Ok(id) = OpportunityId::parse(&exported.id) {
            line.kind = OPPORTUNITY;
            self.opportunity_answer(cs, exported, &id, line)
        } else if let Ok(id) = OfferId::parse(&exported.id) {
            line.kind = OFFER;
            self.offer_answer(cs, exported, &id, line)
        } else {
            skip(format!("change set {} names `{}`, neither an opportunity nor an offer", cs.id, exported.id))
        }
    }

    fn opportunity_answer(
        &mut self,
        cs: &ChangeSetAnswer,
        exported: &Exported,
        id: &OpportunityId,
        line: &mut ImportLine,
    ) -> MarketResult<Step<Outcome>> {
        let Some(held) = opportunities::get(self.tx, id)? else { return self.linked_before(cs, exported) };
        if let Err(e) = check_opportunity_link(self.actor, &held) {
            return Ok(Err(e.into()));
        }
        line.what = format!("\"{}\": change set {} ({})", held.name, cs.id, cs.status.as_str());
        let source = sources::source(self.tx, id.as_str())?;
        if cs.status == ChangeSetStatus::Failed || !exported.creates {
            return self.verdict(id.as_str(), held.version, source.as_ref(), cs, exported);
        }
        if let Err(e) = check_linkable(id.as_str(), held.version, source.as_ref(), exported.version) {
            return Ok(Err(e.into()));
        }
        let created = match created(cs, RA_NAME, "CreateResaleAuthorization", RESALE_AUTHORIZATION) {
            Ok(c) => c,
            Err(why) => return skip(why),
        };
        let aws_id = match OpportunityId::parse(created.entity_id.as_deref().unwrap_or_default()) {
            Ok(a) => a,
            Err(e) => return skip(format!("AWS's id for it: {}", e.message)),
        };
        if let Some(why) = self.taken(aws_id.as_str(), id.as_str())? {
            return skip(why);
        }
        if let Err(e) = self.summary_authority(aws_id.as_str(), Some(&held.isv), Some(&held.partner))? {
            return Ok(Err(e.into()));
        }
        let released = applied(cs, "ReleaseResaleAuthorization");
        let aws = Held::Opportunity {
            state: if released { OpportunityState::Active } else { OpportunityState::Draft },
            ends_on: availability_end(cs),
        };
        link::rekey_opportunity(self.tx, id, &aws_id)?;
        let mut o = held;
        o.id = aws_id.clone();
        let from = o.state;
        let mut local_version = exported.version;
        // AWS released it, as the change set asked (`push --release`, `export --release`):
        // so is cppo's record, and AWS's copy of it then imports as unchanged.
        if released && o.state == OpportunityState::Draft {
            o.state = OpportunityState::Active;
            opportunities::update(self.tx, &mut o)?;
            local_version += 1;
        }
        let e = opportunity_event(self.actor, &o, "link", Some(from));
        self.link(id.as_str(), aws_id.as_str(), created, cs, local_version, aws, e)?;
        line.what = format!("\"{}\": now {aws_id}, the id AWS gave it (change set {})", o.name, cs.id);
        Ok(Ok(Outcome::Linked(aws_id.to_string())))
    }

    fn offer_answer(
        &mut self,
        cs: &ChangeSetAnswer,
        exported: &Exported,
        id: &OfferId,
        line: &mut ImportLine,
    ) -> MarketResult<Step<Outcome>> {
        let Some(held) = offers::get(self.tx, id)? else { return self.linked_before(cs, exported) };
        if let Err(e) = check_offer_link(self.actor, &held.offer) {
            return Ok(Err(e.into()));
        }
        line.what = format!("\"{}\": change set {} ({})", held.offer.name, cs.id, cs.status.as_str());
        let source = sources::source(self.tx, id.as_str())?;
        if cs.status == ChangeSetStatus::Failed || !exported.creates {
            return self.verdict(id.as_str(), held.offer.version, source.as_ref(), cs, exported);
        }
        if let Err(e) = check_linkable(id.as_str(), held.offer.version, source.as_ref(), exported.version) {
            return Ok(Err(e.into()));
        }
        let created = match created(cs, OFFER_NAME, "CreateOfferUsingResaleAuthorization", OFFER_TYPE) {
            Ok(c) => c,
            Err(why) => return skip(why),
        };
        let opportunity = &held.offer.opportunity_id;
        if sources::source(self.tx, opportunity.as_str())?.is_none() {
            return skip(format!(
                "its opportunity {opportunity} is not AWS's in this file yet: import the answer to its export first"
            ));
        }
        if let Some(ra) = &created.resale_authorization_id
            && ra != opportunity.as_str()
        {
            return skip(format!(
                "AWS made the offer of change set {} from {ra}, and cppo's is made from {opportunity}: it is not this file's offer",
                cs.id
            ));
        }
        let aws_id = match OfferId::parse(created.entity_id.as_deref().unwrap_or_default()) {
            Ok(a) => a,
            Err(e) => return skip(format!("AWS's id for it: {}", e.message)),
        };
        if let Some(why) = self.taken(aws_id.as_str(), id.as_str())? {
            return skip(why);
        }
        let (isv, partner) = (held.offer.isv.clone(), held.offer.partner.clone());
        if let Err(e) = self.summary_authority(aws_id.as_str(), Some(&isv), Some(&partner))? {
            return Ok(Err(e.into()));
        }
        let released = applied(cs, "ReleaseOffer");
        let aws = Held::Offer {
            state: if released { OfferState::Released } else { OfferState::Draft },
            expires_on: availability_end(cs),
        };
        link::rekey_offer(self.tx, id, &aws_id)?;
        let mut o = held.offer;
        o.id = aws_id.clone();
        let from = o.state;
        let mut local_version = exported.version;
        // As for an opportunity: AWS released it, so is cppo's record.
        if released && o.state == OfferState::Draft {
            o.state = OfferState::Released;
            offers::update(self.tx, &mut o, &held.figures)?;
            local_version += 1;
        }
        let e = offer_event(self.actor, &o, "link", Some(from));
        self.link(id.as_str(), aws_id.as_str(), created, cs, local_version, aws, e)?;
        line.what = format!("\"{}\": now {aws_id}, the id AWS gave it (change set {})", o.name, cs.id);
        Ok(Ok(Outcome::Linked(aws_id.to_string())))
    }

    /// The record exported as `exported.id` is not in the file by that id: linked already
    /// (the same answer again is `unchanged`), or not there at all.
    fn linked_before(&mut self, cs: &ChangeSetAnswer, exported: &Exported) -> MarketResult<Step<Outcome>> {
        let local = exported.id.as_str();
        let Some(l) = link::link_from(self.tx, local)? else {
            return skip(format!("{local} is not in this file: import the answer into the file it was exported from"));
        };
        // Only an account that holds the record learns what became of it.
        let holds = if let Ok(id) = OpportunityId::parse(&l.aws_id) {
            opportunities::get(self.tx, &id)?.is_some_and(|o| check_opportunity_holder(self.actor, &o).is_ok())
        } else if let Ok(id) = OfferId::parse(&l.aws_id) {
            offers::get(self.tx, &id)?.is_some_and(|o| check_offer_holder(self.actor, &o.offer).is_ok())
        } else {
            false
        };
        if !holds {
            return Ok(Err(hidden(local).into()));
        }
        let created = created_id(cs);
        Ok(match (cs.status, created) {
            (ChangeSetStatus::Succeeded, Some(id)) if id == l.aws_id => Ok(Outcome::Unchanged),
            (ChangeSetStatus::Succeeded, Some(id)) => Err(Refusal::Skip(format!(
                "{local} is linked to {} already (change set {}); this change set created {id}, a second copy on AWS",
                l.aws_id, l.change_set_id
            ))),
            _ => Err(Refusal::Skip(format!(
                "{local} is {} since change set {}: this answer about an earlier export no longer concerns it",
                l.aws_id, l.change_set_id
            ))),
        })
    }

    /// Why AWS's id `aws_id` cannot take the record `local`, if it cannot: it is a record of
    /// the file already.
    fn taken(&self, aws_id: &str, local: &str) -> MarketResult<Option<String>> {
        let held = match (OpportunityId::parse(aws_id), OfferId::parse(aws_id)) {
            (Ok(id), _) => opportunities::get(self.tx, &id)?.is_some(),
            (_, Ok(id)) => offers::get(self.tx, &id)?.is_some(),
            _ => false,
        };
        Ok(held.then(|| {
            format!(
                "AWS's id {aws_id} is a record of this file already (its describe-entity was imported before this answer): \
                 cppo cannot link {local} to it"
            )
        }))
    }

    /// Makes the record, moved to `aws_id`, an imported one: AWS holds `aws` of it as of
    /// `local_version` (the version it was exported from, one more if the link released it);
    /// its summary (if one was imported) and any refusal go.
    #[expect(clippy::too_many_arguments, reason = "one record's link: each argument is one of its facts")]
    fn link(
        &self,
        local: &str,
        aws_id: &str,
        created: &ChangeSummary,
        cs: &ChangeSetAnswer,
        local_version: i64,
        aws: Held,
        mut e: NewEvent<'_>,
    ) -> MarketResult<()> {
        let source = AwsSource {
            revision: created.revision.clone(),
            last_modified: cs.ended_at,
            imported_at: self.now,
            local_version,
            held: aws,
        };
        sources::set_source(self.tx, aws_id, &source)?;
        sources::drop_summary(self.tx, aws_id)?;
        link::drop_refusal(self.tx, local)?;
        let l = AwsLink {
            local_id: local.to_owned(),
            aws_id: aws_id.to_owned(),
            change_set_id: cs.id.clone(),
            linked_at: self.now,
        };
        link::set_link(self.tx, e.entity, &l)?;
        e.details["former_id"] = json!(local);
        e.details["change_set"] = json!(cs.id);
        e.details["revision"] = json!(created.revision);
        super::audit(self.tx, e, self.now)
    }

    /// A FAILED answer (its errors are kept beside the record), or a SUCCEEDED update of
    /// AWS's entity (an earlier refusal is cleared).
    fn verdict(
        &mut self,
        id: &str,
        version: i64,
        source: Option<&AwsSource>,
        cs: &ChangeSetAnswer,
        exported: &Exported,
    ) -> MarketResult<Step<Outcome>> {
        if exported.version > version {
            return Ok(Err(RuleError::validation(format!(
                "the change set was exported from version {} of {id}, and cppo holds version {version}: it is not this file's record",
                exported.version
            ))
            .into()));
        }
        if cs.status == ChangeSetStatus::Succeeded {
            if source.is_none() {
                return skip(format!(
                    "change set {} updated {id} on AWS, and cppo holds {id} as made in cppo: it is not this file's record",
                    cs.id
                ));
            }
            return Ok(Ok(if link::drop_refusal(self.tx, id)? { Outcome::Updated } else { Outcome::Unchanged }));
        }
        if link::refusal(self.tx, id)?.is_some_and(|r| r.change_set_id == cs.id) {
            return Ok(Ok(Outcome::Unchanged));
        }
        let mut errors: Vec<AwsError> = cs
            .changes
            .iter()
            .flat_map(|c| {
                c.errors.iter().map(|e| AwsError {
                    change_type: c.change_type.clone(),
                    code: e.code.clone(),
                    message: e.message.clone(),
                })
            })
            .collect();
        if errors.is_empty() {
            // A set refused whole (a server fault): its own code and description are the error.
            errors.push(AwsError {
                change_type: String::new(),
                code: cs.failure_code.clone().unwrap_or_else(|| "FAILED".into()),
                message: cs.failure_description.clone().unwrap_or_else(|| "AWS gave no reason".into()),
            });
        }
        let refusal = AwsRefusal {
            change_set_id: cs.id.clone(),
            change_set_name: cs.name.clone(),
            version: exported.version,
            failure_code: cs.failure_code.clone(),
            failure: cs.failure_description.clone(),
            ended_at: cs.ended_at,
            errors,
            recorded_at: self.now,
        };
        link::set_refusal(self.tx, id, &refusal)?;
        let entity = if OpportunityId::parse(id).is_ok() { OPPORTUNITY } else { OFFER };
        // Read by the account that exported it alone (the actor): AWS's messages are its own.
        let e = NewEvent {
            actor: self.actor,
            entity,
            entity_id: id,
            action: "export_failed",
            from_state: None,
            to_state: None,
            details: json!({"change_set": cs.id, "version": exported.version, "failure_code": cs.failure_code,
                            "errors": refusal.errors.len()}),
            audience: Vec::new(),
        };
        super::audit(self.tx, e, self.now)?;
        Ok(Ok(Outcome::Failed(refusal_words(&refusal))))
    }
}

/// The change of `cs` that created the entity: the one cppo named `name` (AWS repeats the
/// name), or, in an answer without names, the one of `change_type`.
fn created<'a>(
    cs: &'a ChangeSetAnswer,
    name: &str,
    change_type: &str,
    entity_type: &str,
) -> Result<&'a ChangeSummary, String> {
    let change = cs
        .changes
        .iter()
        .find(|c| c.change_name.as_deref() == Some(name))
        .or_else(|| cs.changes.iter().find(|c| c.change_name.is_none() && c.change_type == change_type));
    let Some(change) = change else {
        return Err(format!(
            "change set {} has no change named {name} ({change_type}): it created nothing cppo can link",
            cs.id
        ));
    };
    if change.entity_type != entity_type {
        return Err(format!(
            "change set {}'s {name} change is of a {}, not a {entity_type}",
            cs.id, change.entity_type
        ));
    }
    if change.entity_id.is_none() {
        return Err(format!("change set {} gives no Entity.Identifier for what its {name} change created", cs.id));
    }
    Ok(change)
}

/// The id of the entity `cs` created, by either of cppo's create changes.
fn created_id(cs: &ChangeSetAnswer) -> Option<String> {
    created(cs, RA_NAME, "CreateResaleAuthorization", RESALE_AUTHORIZATION)
        .or_else(|_| created(cs, OFFER_NAME, "CreateOfferUsingResaleAuthorization", OFFER_TYPE))
        .ok()
        .and_then(|c| c.entity_id.clone())
}

/// `cs` applied a change of `change_type` (a release).
fn applied(cs: &ChangeSetAnswer, change_type: &str) -> bool {
    cs.changes.iter().any(|c| c.change_type == change_type)
}

/// The end date `cs` set (its last `UpdateAvailability`), if it set one.
fn availability_end(cs: &ChangeSetAnswer) -> Option<chrono::NaiveDate> {
    cs.changes.iter().rev().find(|c| c.change_type == "UpdateAvailability").and_then(|c| c.availability_end)
}

/// One line: what AWS said.
pub(super) fn refusal_words(r: &AwsRefusal) -> String {
    let errors: Vec<String> = r
        .errors
        .iter()
        .map(|e| {
            if e.change_type.is_empty() {
                format!("{} {}", e.code, e.message)
            } else {
                format!("{}: {} {}", e.change_type, e.code, e.message)
            }
        })
        .collect();
    let code = r.failure_code.as_deref().map_or_else(String::new, |c| format!(" ({c})"));
    format!(
        "AWS refused change set {}{code} of version {}: {}; it stays in cppo as it is, with these errors beside it",
        r.change_set_id,
        r.version,
        errors.join("; ")
    )
}

impl Market {
    /// What a detail view shows of record `id` (at `version`) on AWS: where it came from, and
    /// to `viewer` if it is the record's `exporter` (the ISV of an opportunity, the partner of
    /// an offer), the change set AWS last refused for it.
    pub(super) fn aws_views(
        &self,
        viewer: &AccountId,
        exporter: &AccountId,
        id: &str,
        version: i64,
    ) -> MarketResult<(Option<AwsSourceView>, Option<AwsRefusalView>)> {
        let source = match self.aws_source(id)? {
            Some(s) => {
                let mut view = AwsSourceView::of(&s, version);
                view.made_as = link::link_to(self.conn(), id)?.map(|l| crate::domain::error::one_line(&l.local_id));
                Some(view)
            }
            None => None,
        };
        let refusal =
            if viewer == exporter { link::refusal(self.conn(), id)?.map(|r| AwsRefusalView::of(&r)) } else { None };
        Ok((source, refusal))
    }
}
