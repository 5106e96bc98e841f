//! Export: what cppo holds, as the `StartChangeSet` request that creates it on AWS, or, for
//! a record imported from AWS, that moves AWS's copy to it (`aws::changeset`). A read:
//! nothing in the file changes.

use super::{Market, MarketError, MarketResult};
use crate::aws::ChangeSet;
use crate::domain::sync::Held;
use crate::domain::{AccountId, OfferId, OpportunityId, RuleError};

/// A change set and what a person should know before submitting it.
#[derive(Debug, Clone)]
pub struct Export {
    pub id: String,
    pub change_set: ChangeSet,
    /// Lines to show beside the file: what it holds, what it leaves out.
    pub notes: Vec<String>,
}

impl Market {
    /// The change set that creates the opportunity or offer `id` on AWS, as `actor` (its
    /// ISV or its partner) holds it; `release` also releases a draft.
    pub fn export(&self, actor: &AccountId, id: &str, release: bool) -> MarketResult<Export> {
        let today = self.today();
        let refuse = |e: crate::aws::ExportError| MarketError::Rule(RuleError::validation(e.0));
        if let Ok(oid) = OfferId::parse(id) {
            let (rec, _) = self.offer(actor, &oid)?;
            let opportunity = self.opportunity_record(&rec.offer.opportunity_id)?;
            rec.offer.check_export(actor, &opportunity, release, today)?;
            if let Some(source) = self.aws_source(oid.as_str())? {
                let changed = source.changed_locally(rec.offer.version);
                let change_set =
                    crate::aws::changeset::offer_update(&rec.offer, &opportunity, source.held, changed, release)
                        .map_err(refuse)?;
                return Ok(Export { id: oid.to_string(), change_set, notes: vec![updates_note(&source)] });
            }
            self.check_offer_origin(&opportunity)?;
            let mut notes = vec![NEW_ID_NOTE.to_owned()];
            let change_set = crate::aws::changeset::offer(&rec.offer, &opportunity, release).map_err(refuse)?;
            if !rec.offer.quantities.is_empty() {
                notes.push(
                    "quantities are not sent: AWS lets the buyer choose units when accepting; yours stay in cppo"
                        .into(),
                );
            }
            return Ok(Export { id: oid.to_string(), change_set, notes });
        }
        let oid = OpportunityId::parse(id).map_err(|_| {
            MarketError::Rule(RuleError::validation(format!(
                "`{id}` is neither an opportunity (resaleauthz-...) nor an offer (offer-...)"
            )))
        })?;
        let (o, _) = self.opportunity(actor, &oid)?;
        o.check_export(actor, release, today)?;
        if let Some(source) = self.aws_source(oid.as_str())? {
            let changed = source.changed_locally(o.version);
            let change_set =
                crate::aws::changeset::opportunity_update(&o, source.held, changed, release).map_err(refuse)?;
            return Ok(Export { id: oid.to_string(), change_set, notes: vec![updates_note(&source)] });
        }
        let change_set = crate::aws::changeset::opportunity(&o, release).map_err(refuse)?;
        let notes = vec![NEW_ID_NOTE.to_owned()];
        Ok(Export { id: oid.to_string(), change_set, notes })
    }
}

/// What a person should know about the id of a record new to AWS.
const NEW_ID_NOTE: &str = "AWS gives what it creates its own id: once the change set SUCCEEDED, import its \
    describe-change-set answer (cppo import), and the record takes that id";

impl Market {
    /// An offer made in cppo exports once AWS holds its `opportunity` (imported, or linked).
    pub(super) fn check_offer_origin(&self, opportunity: &crate::domain::Opportunity) -> MarketResult<()> {
        let source = self.aws_source(opportunity.id.as_str())?;
        Ok(crate::domain::sync::check_offer_export_origin(opportunity, source.as_ref())?)
    }

    /// Whether `X` has something to write for record `id` at `version`: `build` is given what
    /// AWS held at its import and whether it changed in cppo since, or `None` for a record
    /// made in cppo.
    pub(super) fn export_verdict(
        &self,
        id: &str,
        version: i64,
        build: impl FnOnce(Option<(Held, bool)>) -> Result<(), crate::aws::ExportError>,
    ) -> Result<(), String> {
        let source = self.aws_source(id).map_err(|e| e.to_string())?;
        build(source.map(|s| (s.held, s.changed_locally(version)))).map_err(|e| e.0)
    }
}

/// What an update of a record imported from AWS acts on.
fn updates_note(source: &crate::domain::sync::AwsSource) -> String {
    let revision = source.revision.as_deref().map_or_else(String::new, |r| format!(" (revision {r})"));
    format!(
        "updates the entity AWS holds{revision}, as imported {}: import it again after AWS applies the changes",
        source.imported_at.format("%Y-%m-%d %H:%M UTC")
    )
}
