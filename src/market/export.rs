//! Export: the one owner of sending a record to AWS as a `StartChangeSet` request. It decides
//! whether the change set creates the record on AWS (made in cppo) or moves AWS's copy to it
//! (imported), and whether `X` may start one at all, by the same check and without building
//! anything; it writes the notes a person should read before submitting, names the file
//! (`<id>.changeset.json`), writes it safely (`outfile`) and gives the `aws` command that
//! submits it. `aws::changeset` writes the JSON. A read: nothing in the file changes.

use std::path::{Path, PathBuf};

use super::{Market, MarketError, MarketResult, outfile};
use crate::aws::ChangeSet;
use crate::aws::changeset as aws;
use crate::domain::sync::AwsSource;
use crate::domain::{AccountId, Offer, Opportunity, RecordId, RuleError};

/// A change set and what a person should know before submitting it.
#[derive(Debug, Clone)]
pub struct Export {
    pub id: RecordId,
    pub change_set: ChangeSet,
    /// Lines to show beside the file: what it holds, what it leaves out.
    pub notes: Vec<String>,
}

/// A change set written into the export folder (the TUI's `X`): what to say of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: RecordId,
    /// The absolute path written.
    pub path: PathBuf,
    pub changes: usize,
    pub notes: Vec<String>,
}

/// The file a record's change set goes to: `<id>.changeset.json`.
pub fn changeset_file(id: &RecordId) -> String {
    format!("{id}.changeset.json")
}

/// The command that submits the change set written at `file`.
pub fn submit_command(file: &str) -> String {
    format!("aws marketplace-catalog start-change-set --cli-input-json file://{file}")
}

/// Where the confirmation of `X` says the file goes, and the command it then gives: the
/// folder the file keeps (`dir`), else the current directory.
pub fn planned_file(id: &RecordId, dir: Option<&str>) -> String {
    let file = changeset_file(id);
    dir.map_or_else(|| file.clone(), |d| Path::new(d).join(&file).display().to_string())
}

impl Export {
    /// The change set as the file holds it.
    pub fn body(&self) -> String {
        self.change_set.to_json() + "\n"
    }

    /// Each change's type, in order.
    pub fn change_types(&self) -> Vec<&'static str> {
        self.change_set.change_set.iter().map(|c| c.change_type).collect()
    }

    /// Writes the change set to `target` (never through a link, into a FIFO or over the open
    /// cppo file): the absolute path written.
    pub fn write(&self, target: &outfile::Target) -> anyhow::Result<PathBuf> {
        outfile::write(target, self.body().as_bytes()).map_err(|e| anyhow::anyhow!("{e}; nothing was exported"))
    }
}

impl Market {
    /// The change set that sends the opportunity or offer `id` to AWS, as `actor` (its ISV
    /// or its partner) holds it; `release` also releases a draft.
    pub fn export(&self, actor: &AccountId, id: &RecordId, release: bool) -> MarketResult<Export> {
        let refuse = |e: aws::ExportError| MarketError::Rule(RuleError::validation(e.0));
        match id {
            RecordId::Offer(oid) => {
                let (rec, _) = self.offer(actor, oid)?;
                let offer = &rec.offer;
                let opportunity = self.opportunity_record(&offer.opportunity_id)?;
                let (change_set, notes) = match self.offer_export_check(actor, offer, &opportunity, release)? {
                    Some(source) => {
                        let changed = source.changed_locally(offer.version);
                        let cs =
                            aws::offer_update(offer, &opportunity, source.held, changed, release).map_err(refuse)?;
                        (cs, vec![updates_note(&source)])
                    }
                    None => {
                        let mut notes = vec![NEW_ID_NOTE.to_owned()];
                        if let Some(agreement) = &offer.replaces {
                            notes.push(replacement_note(agreement));
                        }
                        if !offer.quantities.is_empty() {
                            notes.push(QUANTITIES_NOTE.to_owned());
                        }
                        (aws::offer(offer, &opportunity, release).map_err(refuse)?, notes)
                    }
                };
                Ok(Export { id: id.clone(), change_set, notes })
            }
            RecordId::Opportunity(oid) => {
                let (o, _) = self.opportunity(actor, oid)?;
                let (change_set, notes) = match self.opportunity_export_check(actor, &o, release)? {
                    Some(source) => {
                        let changed = source.changed_locally(o.version);
                        let cs = aws::opportunity_update(&o, source.held, changed, release).map_err(refuse)?;
                        let mut notes = vec![updates_note(&source)];
                        if o.state == crate::domain::OpportunityState::Active
                            && cs.change_set.iter().any(|c| c.change_type == "UpdateAvailability")
                        {
                            notes.push(RELEASED_AVAILABILITY_NOTE.to_owned());
                        }
                        (cs, notes)
                    }
                    None => (aws::opportunity(&o, release).map_err(refuse)?, vec![NEW_ID_NOTE.to_owned()]),
                };
                Ok(Export { id: id.clone(), change_set, notes })
            }
        }
    }

    /// The TUI's `X`: writes the change set of `id` to `<id>.changeset.json` in the folder
    /// the file keeps (`cppo settings export-dir`), else the current one. The same record's
    /// last change set is replaced (a repeated export), but never the open file, a link, a
    /// FIFO or a folder that happens to bear the name.
    pub fn export_to_folder(&self, actor: &AccountId, id: &RecordId, release: bool) -> anyhow::Result<Written> {
        let export = self.export(actor, id, release)?;
        let dir = match self.export_dir()? {
            Some(d) => d,
            None => std::env::current_dir().map_err(|e| anyhow::anyhow!("no current directory: {e}"))?,
        };
        let path = dir.join(changeset_file(id));
        let target = outfile::Target { path: &path, force: true, database: self.store().path() };
        let path = export.write(&target)?;
        let changes = export.change_set.change_set.len();
        Ok(Written { id: export.id, path, changes, notes: export.notes })
    }

    /// `X` on opportunity `o`: `Ok` if `viewer` may export it (as it is, or with its release),
    /// else why not, in the words `cppo export` refuses with. Nothing is built.
    pub(super) fn opportunity_export_verdict(&self, viewer: &AccountId, o: &Opportunity) -> Result<(), String> {
        let check = |release| self.opportunity_export_check(viewer, o, release).map(drop);
        check(false).or_else(|e| check(true).map_err(|_| e)).map_err(|e| e.to_string())
    }

    /// `X` on `offer` (made from `opportunity`), as [`Self::opportunity_export_verdict`].
    pub(super) fn offer_export_verdict(
        &self,
        viewer: &AccountId,
        offer: &Offer,
        opportunity: &Opportunity,
    ) -> Result<(), String> {
        let check = |release| self.offer_export_check(viewer, offer, opportunity, release).map(drop);
        check(false).or_else(|e| check(true).map_err(|_| e)).map_err(|e| e.to_string())
    }

    /// Whether `actor` may export `o` now, and how: `None` creates it on AWS, `Some` updates
    /// the copy AWS held at its import. The export's first step and `X`'s verdict.
    fn opportunity_export_check(
        &self,
        actor: &AccountId,
        o: &Opportunity,
        release: bool,
    ) -> MarketResult<Option<AwsSource>> {
        o.check_export(actor, release, self.today())?;
        let source = self.aws_source(o.id.as_str())?;
        match &source {
            Some(s) => aws::check_opportunity_update(o, s.held, s.changed_locally(o.version), release),
            None => aws::check_opportunity(o),
        }
        .map_err(|e| RuleError::validation(e.0))?;
        Ok(source)
    }

    /// Whether `actor` may export `offer` now, and how, as [`Self::opportunity_export_check`]:
    /// an offer made in cppo also needs AWS to hold its `opportunity` (imported, or linked).
    fn offer_export_check(
        &self,
        actor: &AccountId,
        offer: &Offer,
        opportunity: &Opportunity,
        release: bool,
    ) -> MarketResult<Option<AwsSource>> {
        offer.check_export(actor, opportunity, release, self.today())?;
        let source = self.aws_source(offer.id.as_str())?;
        match &source {
            Some(s) => aws::check_offer_update(offer, s.held, s.changed_locally(offer.version), release),
            None => {
                let origin = self.aws_source(opportunity.id.as_str())?;
                crate::domain::sync::check_offer_export_origin(opportunity, origin.as_ref())?;
                aws::check_offer(offer)
            }
        }
        .map_err(|e| RuleError::validation(e.0))?;
        Ok(source)
    }
}

/// What a person should know about the id of a record new to AWS.
const NEW_ID_NOTE: &str = "AWS gives what it creates its own id: once the change set SUCCEEDED, import its \
    describe-change-set answer (cppo import), and the record takes that id";

/// A released authorization's new end date: AWS's documents disagree on whether it may move
/// (aws-cppo-facts.md: "after release the authorization cannot be modified"; its change
/// table lists UpdateAvailability), so the user hears what to do if AWS refuses.
const RELEASED_AVAILABILITY_NOTE: &str = "the authorization is released: if AWS answers INCOMPATIBLE_STATUS \
    (it may refuse to change a released authorization), grant a new one with the later end date and end this one";

/// Why an offer's planned quantities are not in its change set.
const QUANTITIES_NOTE: &str =
    "quantities are not sent: AWS lets the buyer choose units when accepting; yours stay in cppo";

/// What a replacement offer's change set needs AWS to hold, and what it leaves to AWS.
fn replacement_note(agreement: &crate::domain::AgreementId) -> String {
    format!(
        "replaces agreement {agreement}: AWS must hold it under that id (as imported from search-agreements), \
         ACTIVE and proposed by you; AWS fixes the buyer to its acceptor, so no targeting is sent"
    )
}

/// What an update of a record imported from AWS acts on.
fn updates_note(source: &AwsSource) -> String {
    let revision = source.revision.as_deref().map_or_else(String::new, |r| format!(" (revision {r})"));
    format!(
        "updates the entity AWS holds{revision}, as imported {}: import it again after AWS applies the changes",
        source.imported_at.format("%Y-%m-%d %H:%M UTC")
    )
}
