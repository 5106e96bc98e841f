//! `pull` and `push`: AWS reached directly rather than through files, with the same import
//! and the same export. AWS itself is behind [`Marketplace`], which the SDK adapter
//! (`crate::sdk`) implements: this layer decides what to ask and what to store, never how.
//!
//! - A pull reads what changed on AWS since the acting account's watermark (everything with
//!   `full`), then imports it in one transaction that also moves the watermark: a pull cut
//!   short (Ctrl-c, the network) stores nothing, and the next one starts from where the last
//!   stored pull left off.
//! - A push sends the change set `export` writes (its `ClientRequestToken` too), follows it
//!   to its end ([`send`]: the network, nothing written), and imports AWS's answer
//!   ([`Market::record_push`]) as `import` does a `describe-change-set` file: on
//!   SUCCEEDED the record is linked to AWS's id and AWS's copy is pulled; on FAILED the record
//!   stays as it was, with AWS's errors beside it. A validation (`Intent: VALIDATE`) changes
//!   nothing, here or on AWS.

use chrono::{DateTime, Utc};

use super::{ImportOptions, ImportReport, Market, MarketError, Outcome};
use crate::aws::ChangeSet;
use crate::aws::changeset::field_of;
use crate::aws::import::{ChangeSetStatus, Entry};
use crate::aws::pull::{Counts, Fetched, next_watermark};
use crate::domain::error::one_line;
use crate::domain::{AccountId, ProductType, RecordId};
use crate::store::pulls::{self, LastPull};

/// AWS, as a pull and a push need it. Each error is one line a person can act on.
pub trait Marketplace {
    /// Everything changed on AWS after `since` (everything with `None`); `progress` is told
    /// (what, done, total) as it goes, total 0 while unknown.
    fn fetch(
        &mut self,
        since: Option<DateTime<Utc>>,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Fetched, RemoteError>;
    /// Sends `cs` (as a validation only, with `validate`) and follows it to its end, telling
    /// `status` each status AWS gives; AWS's final `describe-change-set` answer.
    fn push(&mut self, cs: &ChangeSet, validate: bool, status: &mut dyn FnMut(&str)) -> Result<Entry, RemoteError>;
    /// One entity as AWS holds it now (`describe-entity`).
    fn describe(&mut self, id: &str) -> Result<Vec<Entry>, RemoteError>;
}

/// AWS could not be asked, or did not answer: why, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RemoteError(pub String);

/// How a pull runs.
#[derive(Debug, Clone, Copy)]
pub struct PullOptions {
    /// Read everything again, not only what changed since the last pull.
    pub full: bool,
    /// Show what would change; store nothing (and leave the watermark).
    pub dry_run: bool,
    pub product_type: ProductType,
}

impl Default for PullOptions {
    fn default() -> Self {
        Self { full: false, dry_run: false, product_type: ProductType::Saas }
    }
}

/// Where a pull starts: what it asks AWS for, and when it began asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullStart {
    /// Only what changed after this (`None`: everything).
    pub since: Option<DateTime<Utc>>,
    /// When the fetch began, by the local clock: the watermark never passes it.
    pub started: DateTime<Utc>,
}

/// What a pull read and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullReport {
    pub import: ImportReport,
    pub counts: Counts,
    /// Offers that are not CPPOs (made from no resale authorization), left out.
    pub left_out: usize,
    /// Where it started: `None`, everything.
    pub since: Option<DateTime<Utc>>,
    /// Where the next pull starts (as it was, after a dry run).
    pub watermark: Option<DateTime<Utc>>,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub change_set_id: String,
    /// AWS's last word: SUCCEEDED, FAILED or CANCELLED.
    pub status: String,
    pub validated: bool,
    /// Each error AWS gave: (change type, code, message).
    pub errors: Vec<(String, String, String)>,
    /// What the answer did to the record (none for a validation).
    pub import: Option<ImportReport>,
    /// The record's id now (AWS's, once a push created it).
    pub record: String,
    /// AWS's copy, pulled after a push that succeeded.
    pub pulled: Option<ImportReport>,
}

impl PushReport {
    /// Each error AWS gave, beside the field of the record it concerns:
    /// `markup: INCOMPATIBLE_MARKUP Markup can't be updated (UpdateMarkup)`.
    pub fn error_lines(&self) -> Vec<String> {
        let line = |(change_type, code, message): &(String, String, String)| {
            format!("{}: {code} {} ({change_type})", field_of(change_type), one_line(message))
        };
        self.errors.iter().map(line).collect()
    }
}

/// A pull's or a push's failure: AWS's, or the file's (a refusal, as any command's).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Market(#[from] MarketError),
}

impl Market {
    /// `actor`'s last stored pull, if any.
    pub fn last_pull(&self, actor: &AccountId) -> super::MarketResult<Option<LastPull>> {
        Ok(pulls::last(self.conn(), actor)?)
    }

    /// Reads what changed on AWS since `actor`'s last pull and imports it as `actor`, with
    /// the watermark, in one transaction.
    pub fn pull(
        &mut self,
        actor: &AccountId,
        aws: &mut dyn Marketplace,
        opts: PullOptions,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<PullReport, SyncError> {
        let start = self.pull_start(actor, opts.full)?;
        let fetched = aws.fetch(start.since, progress).map_err(|e| {
            RemoteError(format!("{e}; nothing was stored, and the next pull starts where the last stored one left off"))
        })?;
        self.store_pull(actor, &start, &fetched, opts)
    }

    /// Where a pull of `actor` starts: the first half of [`Self::pull`], for a caller that
    /// fetches elsewhere (the TUI, on a thread of its own).
    pub fn pull_start(&self, actor: &AccountId, full: bool) -> super::MarketResult<PullStart> {
        let previous = self.last_pull(actor)?.and_then(|p| p.watermark);
        // The local clock, not `--now`: the overlap guards against AWS's clock, a real one.
        Ok(PullStart { since: if full { None } else { previous }, started: Utc::now() })
    }

    /// The second half of [`Self::pull`]: imports what was fetched from `start` on, and
    /// moves the watermark, in one transaction.
    pub fn store_pull(
        &mut self,
        actor: &AccountId,
        start: &PullStart,
        fetched: &Fetched,
        opts: PullOptions,
    ) -> Result<PullReport, SyncError> {
        // Read again: another pull may have been stored while this one fetched.
        let previous = self.last_pull(actor)?.and_then(|p| p.watermark);
        let watermark = next_watermark(previous, fetched.latest, start.started);
        let import_opts = ImportOptions { dry_run: opts.dry_run, force: false, product_type: opts.product_type };
        let pulled_at = self.now();
        let import = self.import_then(actor, &fetched.entries, import_opts, |tx| {
            Ok(pulls::set(tx, actor, &LastPull { watermark, pulled_at })?)
        })?;
        Ok(PullReport {
            import,
            counts: fetched.counts,
            left_out: fetched.left_out,
            since: start.since,
            watermark: if opts.dry_run { previous } else { watermark },
        })
    }

    /// The last part of a push (after [`Self::export`] and [`send`], which may run elsewhere:
    /// the TUI's on a thread of its own): imports AWS's answer (the record linked, or AWS's
    /// errors kept beside it) and, once linked, AWS's copy. Nothing for a validation.
    pub fn record_push(
        &mut self,
        actor: &AccountId,
        id: &RecordId,
        validate: bool,
        sent: &Sent,
    ) -> Result<PushReport, SyncError> {
        let Entry::ChangeSet(answer) = &sent.answer else {
            return Err(RemoteError("AWS's answer about the change set is not a change set".into()).into());
        };
        let errors: Vec<(String, String, String)> = answer
            .changes
            .iter()
            .flat_map(|c| c.errors.iter().map(|e| (c.change_type.clone(), e.code.clone(), e.message.clone())))
            .collect();
        let mut report = PushReport {
            change_set_id: answer.id.clone(),
            status: answer.status.as_str().to_owned(),
            validated: validate,
            errors,
            import: None,
            record: id.to_string(),
            pulled: None,
        };
        if validate {
            return Ok(report);
        }
        let import = self.import(actor, std::slice::from_ref(&sent.answer), ImportOptions::default())?;
        if let Some(Outcome::Linked(aws_id)) = import.lines.first().map(|l| &l.outcome) {
            report.record.clone_from(aws_id);
        }
        report.import = Some(import);
        if answer.status == ChangeSetStatus::Succeeded && self.aws_source(&report.record)?.is_some() {
            let copy = sent.copy.as_ref().map_err(|e| {
                RemoteError(format!(
                    "change set {} SUCCEEDED and {} is linked; reading AWS's copy failed: {e}; `cppo pull` brings it",
                    report.change_set_id, report.record
                ))
            })?;
            report.pulled = Some(self.import(actor, copy, ImportOptions::default())?);
        }
        Ok(report)
    }
}

/// What AWS made of a change set sent to it: its last `describe-change-set` answer and, once
/// it SUCCEEDED, AWS's copy of each entity it changed (or why reading it failed).
#[derive(Debug, Clone)]
pub struct Sent {
    pub answer: Entry,
    pub copy: Result<Vec<Entry>, RemoteError>,
}

/// The network half of a push: sends `cs` and follows it to its end, then reads AWS's copy of
/// what it changed. Writes nothing, so it may run away from the file (the TUI's thread).
pub fn send(
    aws: &mut dyn Marketplace,
    cs: &ChangeSet,
    validate: bool,
    status: &mut dyn FnMut(&str),
) -> Result<Sent, RemoteError> {
    let answer = aws.push(cs, validate, status)?;
    let changed: Vec<String> = match &answer {
        Entry::ChangeSet(a) if !validate && a.status == ChangeSetStatus::Succeeded => {
            let mut ids: Vec<String> = Vec::new();
            let entities = a
                .changes
                .iter()
                .filter(|c| c.entity_type.starts_with("Offer") || c.entity_type.starts_with("ResaleAuthorization"));
            for id in entities.filter_map(|c| c.entity_id.as_ref()) {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            ids
        }
        _ => Vec::new(),
    };
    let mut copy = Vec::new();
    for id in &changed {
        match aws.describe(id) {
            Ok(entries) => copy.extend(entries),
            Err(e) => return Ok(Sent { answer, copy: Err(e) }),
        }
    }
    Ok(Sent { answer, copy: Ok(copy) })
}
