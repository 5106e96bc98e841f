//! The use cases. Each write is one `BEGIN IMMEDIATE` transaction that loads what it needs,
//! asks `domain` whether the change is allowed, writes it and appends its audit event, so
//! the change and its event land together or not at all. Reads return views already
//! shaped by `domain::visibility`; a record the acting account may not see is "not found",
//! exactly like one that does not exist.

pub mod actions;
mod agreements;
mod around;
mod aws_agreements;
mod export;
mod financing;
mod import;
mod link;
mod missing;
mod offers;
mod opportunities;
pub mod outfile;
mod parties;
mod pull;
mod seed;
mod summaries;
pub mod views;
pub mod words;

pub use seed::{demo, scale};

use std::path::Path;

use crate::store::Conn as Connection;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{AccountId, Clock, RuleError};
use crate::store::events::{self, NewEvent};
use crate::store::{Store, StoreError};

pub use crate::aws::pull::Fetched;
pub use crate::store::aws::Summary;
pub use crate::store::events::Event;
pub use crate::store::query::{AgreementNarrow, CountJob, Cursor, ListQuery, Page, Sort};
pub use around::{Gone, Spot};
pub use aws_agreements::{AnyAgreement, AwsAgreementView, RadarRow};
pub use export::{Export, Written, changeset_file, planned_file, submit_command};
pub use import::{ImportLine, ImportOptions, ImportReport, Outcome, Tally};
pub use offers::ReplacementTargets;
pub use parties::{Counterparty, MonthView, RelationshipView};
pub use pull::{Marketplace, PullOptions, PullReport, PullStart, PushReport, RemoteError, Sent, SyncError, send};
pub use summaries::{SummaryStatus, SummaryView};

/// Why a change was refused, when it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A rule of the domain.
    Rule,
    /// No such record, or one the acting account may not see.
    NotFound,
    /// Another writer changed the record since it was read.
    Stale,
}

#[derive(Debug, thiserror::Error)]
pub enum MarketError {
    /// A rule of the domain refused.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// No such record, or one the acting account may not see.
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MarketError {
    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        MarketError::NotFound { what, id: id.to_string() }
    }
    /// A refusal the user can act on (a rule of the domain, a record it may not see, a record
    /// changed by another writer since it was read), not a failure of the file.
    pub fn is_refusal(&self) -> bool {
        self.refusal().is_some()
    }

    /// What kind of refusal this is; `None` for a failure of the file.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            MarketError::Rule(_) => Some(Refusal::Rule),
            MarketError::NotFound { .. } => Some(Refusal::NotFound),
            MarketError::Store(StoreError::Conflict { .. }) => Some(Refusal::Stale),
            MarketError::Store(_) => None,
        }
    }

    /// SQLite found the file damaged: why (a session then refuses every later write).
    pub fn damaged(&self) -> Option<&str> {
        match self {
            MarketError::Store(StoreError::Damaged(why)) => Some(why),
            _ => None,
        }
    }

    /// The AWS-style code of a refusal, for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            MarketError::Rule(r) => r.code.as_str(),
            MarketError::NotFound { .. } => "NOT_FOUND",
            MarketError::Store(StoreError::Conflict { .. }) => "CONFLICT",
            MarketError::Store(StoreError::Busy) => "BUSY",
            MarketError::Store(StoreError::Damaged(_)) => "DAMAGED",
            MarketError::Store(_) => "STORE",
        }
    }
}

pub type MarketResult<T> = Result<T, MarketError>;

/// The marketplace on one file, seen through one clock.
pub struct Market {
    store: Store,
    clock: Box<dyn Clock>,
}

/// Settings key of the remembered acting account.
pub const LAST_ACTOR: &str = "last_actor";
/// Settings key of the directory the TUI's `X` writes change sets to.
pub const EXPORT_DIR: &str = "export_dir";

impl Market {
    pub fn new(store: Store, clock: Box<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub fn open(path: &Path, clock: Box<dyn Clock>) -> MarketResult<Self> {
        Ok(Self::new(Store::open(path)?, clock))
    }

    /// [`open`](Self::open), telling `notice` before a long upgrade (see [`Store::open_noting`]).
    pub fn open_noting(path: &Path, clock: Box<dyn Clock>, notice: &mut dyn FnMut(&str)) -> MarketResult<Self> {
        Ok(Self::new(Store::open_noting(path, notice)?, clock))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Replaces the clock (the demo replays history; the TUI's what-if date); returns the
    /// one it replaces.
    pub fn set_clock(&mut self, clock: Box<dyn Clock>) -> Box<dyn Clock> {
        std::mem::replace(&mut self.clock, clock)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    fn conn(&self) -> &Connection {
        self.store.conn()
    }

    /// Changes whenever another program commits to the file (see [`Store::data_version`]).
    pub fn data_version(&self) -> MarketResult<i64> {
        Ok(self.store.data_version()?)
    }

    /// Runs `f` as one transaction: every use case it calls lands, or none does.
    pub fn all_or_nothing<T>(&mut self, f: impl FnOnce(&mut Market) -> MarketResult<T>) -> MarketResult<T> {
        self.store.begin_batch()?;
        let out = f(self);
        match &out {
            Ok(_) => self.store.end_batch(true)?,
            Err(_) => self.store.end_batch(false)?,
        }
        out
    }

    /// Refuses every later write of this session: the file is damaged.
    pub fn mark_damaged(&mut self, why: &str) {
        self.store.mark_damaged(why);
    }

    /// The account remembered as the last one acted as, if it still exists.
    pub fn last_actor(&self) -> MarketResult<Option<AccountId>> {
        let Some(s) = self.store.setting(LAST_ACTOR)? else { return Ok(None) };
        match AccountId::parse(&s) {
            Ok(id) if crate::store::parties::account(self.conn(), &id)?.is_some() => Ok(Some(id)),
            _ => Ok(None),
        }
    }

    /// Who acts when no one is named: the account the file remembers, else the file's only
    /// account. With several and none remembered, nobody: acting as one the person did not
    /// choose could write as the wrong party, so the CLI refuses and the TUI asks.
    pub fn default_actor(&self) -> MarketResult<Option<AccountId>> {
        if let Some(id) = self.last_actor()? {
            return Ok(Some(id));
        }
        let accounts = self.accounts()?;
        Ok(match accounts.as_slice() {
            [only] => Some(only.id.clone()),
            _ => None,
        })
    }

    /// `id` acts from now on: it must exist, and the file remembers it for next time (the
    /// one way every front end switches accounts).
    pub fn act_as(&mut self, id: &AccountId) -> MarketResult<crate::domain::Account> {
        let account = self.account(id)?;
        self.remember_actor(id)?;
        Ok(account)
    }

    /// Remembers `id` as the acting account for next time. Only a change is written, and a
    /// file this process may not write now (read-only, busy) stays as it is, quietly: a read
    /// never fails for it.
    pub fn remember_actor(&mut self, id: &AccountId) -> MarketResult<()> {
        if self.store.setting(LAST_ACTOR)?.as_deref() == Some(id.as_str()) {
            return Ok(());
        }
        match self.store.set_setting(LAST_ACTOR, id.as_str()) {
            Ok(()) | Err(StoreError::ReadOnly | StoreError::Busy) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The directory the TUI's `X` writes change sets to, when the file sets one.
    pub fn export_dir(&self) -> MarketResult<Option<std::path::PathBuf>> {
        Ok(self.store.setting(EXPORT_DIR)?.map(std::path::PathBuf::from))
    }

    /// Sets (or, with `None`, clears) the directory the TUI's `X` writes change sets to; it
    /// must be an existing directory, kept as an absolute path.
    pub fn set_export_dir(&mut self, dir: Option<&Path>) -> MarketResult<()> {
        let Some(dir) = dir else {
            return Ok(self.store.clear_setting(EXPORT_DIR)?);
        };
        let abs = std::fs::canonicalize(dir)
            .ok()
            .filter(|d| d.is_dir())
            .ok_or_else(|| RuleError::validation(format!("{} is not an existing directory", dir.display())))?;
        let text =
            abs.to_str().ok_or_else(|| RuleError::validation(format!("{} is not a UTF-8 path", abs.display())))?;
        Ok(self.store.set_setting(EXPORT_DIR, text)?)
    }

    /// The audit events `viewer` may read, oldest first.
    pub fn events(&self, viewer: &AccountId, entity_id: Option<&str>) -> MarketResult<Vec<Event>> {
        Ok(events::list(self.conn(), viewer, entity_id, 10_000)?)
    }
}

/// Appends `e` with the transaction's time.
fn audit(conn: &Connection, e: NewEvent<'_>, now: DateTime<Utc>) -> MarketResult<()> {
    events::append(conn, &e, now)?;
    Ok(())
}
