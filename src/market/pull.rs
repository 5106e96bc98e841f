//! `pull` and `push`: AWS reached directly rather than through files, with the same import
//! and the same export. AWS itself is behind [`Marketplace`], which the SDK adapter
//! (`crate::sdk`) implements: this layer decides what to ask and what to store, never how.
//!
//! - A pull reads what changed on AWS since the acting account's watermark (everything with
//!   `full`), then imports it in one transaction that also moves the watermark: a pull cut
//!   short (Ctrl-c, the network) stores nothing, and the next one starts from where the last
//!   stored pull left off.
//! - A push sends the change set `export` writes (its `ClientRequestToken` too), follows it
//!   to its end, and imports AWS's answer as `import` does a `describe-change-set` file: on
//!   SUCCEEDED the record is linked to AWS's id and AWS's copy is pulled; on FAILED the record
//!   stays as it was, with AWS's errors beside it. A validation (`Intent: VALIDATE`) changes
//!   nothing, here or on AWS.

use chrono::{DateTime, Utc};

use super::{ImportOptions, ImportReport, Market, MarketError, Outcome};
use crate::aws::ChangeSet;
use crate::aws::import::{ChangeSetStatus, Entry};
use crate::aws::pull::{Counts, Fetched, next_watermark};
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
        let previous = self.last_pull(actor)?.and_then(|p| p.watermark);
        let since = if opts.full { None } else { previous };
        // The local clock, not `--now`: the overlap guards against AWS's clock, a real one.
        let started = Utc::now();
        let fetched = aws.fetch(since, progress).map_err(|e| {
            RemoteError(format!("{e}; nothing was stored, and the next pull starts where the last stored one left off"))
        })?;
        let watermark = next_watermark(previous, fetched.latest, started);
        let import_opts = ImportOptions { dry_run: opts.dry_run, force: false, product_type: opts.product_type };
        let pulled_at = self.now();
        let import = self.import_then(actor, &fetched.entries, import_opts, |tx| {
            Ok(pulls::set(tx, actor, &LastPull { watermark, pulled_at })?)
        })?;
        Ok(PullReport {
            import,
            counts: fetched.counts,
            left_out: fetched.left_out,
            since,
            watermark: if opts.dry_run { previous } else { watermark },
        })
    }

    /// Sends the change set `export` makes of `id` to AWS and records its end (see the
    /// module's words).
    pub fn push(
        &mut self,
        actor: &AccountId,
        id: &RecordId,
        release: bool,
        validate: bool,
        aws: &mut dyn Marketplace,
        status: &mut dyn FnMut(&str),
    ) -> Result<PushReport, SyncError> {
        let export = self.export(actor, id, release)?;
        let entry = aws.push(&export.change_set, validate, status)?;
        let Entry::ChangeSet(answer) = &entry else {
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
        let succeeded = answer.status == ChangeSetStatus::Succeeded;
        let import = self.import(actor, std::slice::from_ref(&entry), ImportOptions::default())?;
        if let Some(Outcome::Linked(aws_id)) = import.lines.first().map(|l| &l.outcome) {
            report.record.clone_from(aws_id);
        }
        report.import = Some(import);
        if succeeded && self.aws_source(&report.record)?.is_some() {
            let copy = aws.describe(&report.record).map_err(|e| {
                RemoteError(format!(
                    "change set {} SUCCEEDED and {} is linked; reading AWS's copy failed: {e}; `cppo pull` brings it",
                    report.change_set_id, report.record
                ))
            })?;
            report.pulled = Some(self.import(actor, &copy, ImportOptions::default())?);
        }
        Ok(report)
    }
}
