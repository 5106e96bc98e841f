//! The SQLite file: open (WAL, foreign keys, busy timeout, 0600), migrations, row mapping,
//! queries scoped to the acting account, and the audit log. No business rules here.

pub mod aws;
pub mod aws_agreements;
pub mod bulk;
mod codec;
pub mod events;
pub mod financing;
pub mod ledger;
pub mod link;
pub mod offers;
pub mod opportunities;
pub mod parties;
pub mod pulls;
pub mod query;
pub mod review;

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use codec::{NO_DATE, timestamp};
/// The connection type the use cases pass around inside a transaction.
pub use rusqlite::Connection as Conn;

/// The file format's migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_offer_tally.sql"),
    include_str!("migrations/0003_duration_text.sql"),
    include_str!("migrations/0004_unknown_list_prices.sql"),
    include_str!("migrations/0005_aws_sources.sql"),
    include_str!("migrations/0006_sorts_and_months.sql"),
    include_str!("migrations/0007_granted_units.sql"),
    include_str!("migrations/0008_offer_aws_prices.sql"),
    include_str!("migrations/0009_aws_links.sql"),
    include_str!("migrations/0010_rate_cards.sql"),
    include_str!("migrations/0011_aws_agreements.sql"),
    include_str!("migrations/0012_agreement_sorts.sql"),
    include_str!("migrations/0013_replacements.sql"),
    include_str!("migrations/0014_financing.sql"),
    include_str!("migrations/0015_aws_replacements.sql"),
    include_str!("migrations/0016_aws_pulls.sql"),
    include_str!("migrations/0017_cancelled_offers.sql"),
    include_str!("migrations/0018_agreement_walks.sql"),
];

/// Upgrading a file with at least this many offers takes long enough to say so first.
const UPGRADE_NOTICE_ROWS: i64 = 100_000;

/// How long a command waits for another process's write before saying the file is busy.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The schema version this build reads and writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a cppo file (not an SQLite database): pick another file with --db")]
    NotADatabase { path: PathBuf },
    #[error("{path} is not a regular file ({kind}): pick a cppo file with --db")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "{path} was written by a newer cppo (file format {found}, this build reads up to {supported}): upgrade cppo; the file was not changed"
    )]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("{entity} {id} was changed by someone else since you read it: reload and try again")]
    Conflict { entity: &'static str, id: String },
    #[error("the file holds a value cppo cannot read ({0}): it may have been edited by hand")]
    Corrupt(String),
    #[error("the file is busy: another cppo is writing to it; nothing was changed (try again in a moment)")]
    Busy,
    #[error("the file is read-only here: nothing was changed")]
    ReadOnly,
    #[error(
        "the file is damaged ({0}): cppo will not write to it; copy out what is readable with `sqlite3 FILE .recover | sqlite3 NEW.db` and open NEW.db"
    )]
    Damaged(String),
    #[error("cannot open {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// SQLite's busy, read-only and corruption errors get their own words; the rest stays
    /// SQLite's.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
            Some(C::ReadOnly) => StoreError::ReadOnly,
            Some(C::DatabaseCorrupt) => StoreError::Damaged(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An open cppo file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set once SQLite reported the file damaged: no more writes in this run.
    damaged: Option<String>,
}

impl Store {
    /// Opens `path`, creating it (mode 0600, WAL) if it does not exist, and migrates it to
    /// the latest schema. A file from a newer cppo, a non-SQLite file or anything that is not
    /// a regular file is refused untouched. Several processes may open the same new path at
    /// once: one creates and migrates it, under the write lock; the others wait and find it
    /// ready.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Self::open_noting(path, &mut |_| {})
    }

    /// [`open`](Self::open), telling `notice` before an upgrade of the file format that will
    /// take a while (new indexes over many offers: seconds at a million), once the write lock
    /// is held and just before it starts.
    pub fn open_noting(path: &Path, notice: &mut dyn FnMut(&str)) -> StoreResult<Store> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let fresh = match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                let kind = if m.is_dir() { "a directory" } else { "a FIFO, socket or device" };
                return Err(StoreError::NotAFile { path: path.to_owned(), kind });
            }
            Ok(m) => {
                check_header(path)?;
                m.len() == 0
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                let mut opts = OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                match opts.open(path) {
                    Ok(_) => true,
                    // Another process created it first: open what it made.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::metadata(path).map_err(io)?.len() == 0
                    }
                    Err(e) => return Err(io(e)),
                }
            }
            Err(e) => return Err(io(e)),
        };
        // An empty file is a new one: private like any other (a racing creator's, or one
        // made by hand).
        #[cfg(unix)]
        if fresh {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| classify(e, path))?;
        let mut store = Store { conn, path: path.to_owned(), damaged: None };
        // Switching to WAL and migrating take locks that SQLite may refuse at once (without
        // its busy wait) while other processes open the same new file: try again a while.
        let deadline = std::time::Instant::now() + BUSY_WAIT;
        loop {
            match store.prepare(notice) {
                Err(StoreError::Busy) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(5 + u64::from(std::process::id() % 20)));
                }
                other => return other.map(|()| store),
            }
        }
    }

    /// A private in-memory store (tests, previews).
    pub fn open_in_memory() -> StoreResult<Store> {
        let mut store = Store { conn: Connection::open_in_memory()?, path: PathBuf::from(":memory:"), damaged: None };
        store.prepare(&mut |_| {})?;
        Ok(store)
    }

    fn prepare(&mut self, notice: &mut dyn FnMut(&str)) -> StoreResult<()> {
        self.conn.busy_timeout(BUSY_WAIT)?;
        let found = self.user_version()?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.ensure_wal()?;
        if found < SCHEMA_VERSION {
            self.migrate(notice)?;
        }
        Ok(())
    }

    /// The file format, refused when newer than this build's.
    fn user_version(&self) -> StoreResult<i64> {
        let found: i64 =
            self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| classify(e, &self.path))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found, supported: SCHEMA_VERSION });
        }
        Ok(found)
    }

    /// Puts the file in WAL mode if it is not (new, or left in rollback-journal mode by an
    /// interrupted bulk load); a file this process may not write stays as it is.
    fn ensure_wal(&mut self) -> StoreResult<()> {
        if self.path.as_os_str() == ":memory:" {
            return Ok(());
        }
        let mode: String = self.conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        match self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            Ok(_) => Ok(()),
            Err(e) => match StoreError::from(e) {
                StoreError::ReadOnly => Ok(()),
                other => Err(other),
            },
        }
    }

    /// Applies the migrations this file lacks, under the write lock, reading the version
    /// again once the lock is held: a process that waited finds the work done.
    fn migrate(&mut self, notice: &mut dyn FnMut(&str)) -> StoreResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found, supported: SCHEMA_VERSION });
        }
        if (1..SCHEMA_VERSION).contains(&found) {
            let offers: i64 = tx.query_row("SELECT coalesce(max(rowid), 0) FROM offers", [], |r| r.get(0))?;
            if offers >= UPGRADE_NOTICE_ROWS {
                notice(&format!(
                    "Upgrading {} to file format {SCHEMA_VERSION} ({} offers), once: about 15 seconds a million offers.",
                    self.path.display(),
                    crate::domain::money::group_thousands(&offers.to_string())
                ));
            }
        }
        for sql in &MIGRATIONS[found as usize..] {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        // An upgrade of a big file writes hundreds of megabytes to the WAL: copy them into the
        // file now and empty it (best effort: a reader elsewhere may hold it).
        if found > 0 {
            let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's `data_version`: it changes when another connection (another cppo, the CLI)
    /// commits to the file, never for this one's own writes. Reading it costs no I/O.
    pub fn data_version(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: it commits if `f` returns Ok and
    /// rolls back otherwise, so a refused change leaves the file as it was.
    ///
    /// Inside [`Store::batch`], it is a savepoint of the batch's transaction instead.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        if let Some(why) = &self.damaged {
            return Err(StoreError::Damaged(why.clone()).into());
        }
        if !self.conn.is_autocommit() {
            let sp = self.conn.savepoint().map_err(StoreError::from)?;
            let out = f(&sp)?;
            sp.commit().map_err(StoreError::from)?;
            return Ok(out);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Opens one `BEGIN IMMEDIATE` transaction that every [`Store::write`] joins until
    /// [`Store::end_batch`]: many use cases land together or not at all (the demo).
    pub fn begin_batch(&mut self) -> StoreResult<()> {
        if let Some(why) = &self.damaged {
            return Err(StoreError::Damaged(why.clone()));
        }
        Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    /// Commits the batch (`commit`), or rolls it back.
    pub fn end_batch(&mut self, commit: bool) -> StoreResult<()> {
        Ok(self.conn.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })?)
    }

    /// Refuses every later write of this run: SQLite found the file damaged.
    pub fn mark_damaged(&mut self, why: &str) {
        self.damaged.get_or_insert_with(|| why.to_owned());
    }

    /// Runs `f` in one transaction and rolls it back whatever `f` returns: what `f` would
    /// write, without writing it (a dry run).
    pub fn rehearse<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let out = f(&tx);
        tx.rollback().map_err(StoreError::from)?;
        out
    }

    /// Reads a setting (e.g. the remembered acting account).
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok::<_, StoreError>(())
        })
    }

    pub fn clear_setting(&mut self, key: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
            Ok::<_, StoreError>(())
        })
    }

    /// True when the file has no account yet (the welcome screen, `demo`).
    pub fn is_empty(&self) -> StoreResult<bool> {
        Ok(self.conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))?)
    }

    /// Row counts of every table (for tests and `events` checks).
    pub fn row_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for t in [
            "accounts",
            "products",
            "dimensions",
            "opportunities",
            "opportunity_prices",
            "opportunity_buyers",
            "opportunity_installments",
            "offers",
            "offer_lines",
            "agreements",
            "charges",
            "disbursements",
            "events",
            "event_audience",
            "aws_sources",
            "aws_summaries",
            "offer_accounts",
            "offer_aws_prices",
            "aws_links",
            "aws_refusals",
            "offer_replacements",
            "financings",
        ] {
            let n: i64 = self.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
            out.push((t.to_owned(), n));
        }
        Ok(out)
    }
}

/// An existing file must start with the SQLite header (an empty file is a new one).
fn check_header(path: &Path) -> StoreResult<()> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|source| StoreError::Io { path: path.to_owned(), source })?;
    let n = f.read(&mut head).map_err(|source| StoreError::Io { path: path.to_owned(), source })?;
    if n == 0 || (n == 16 && head == *b"SQLite format 3\0") {
        Ok(())
    } else {
        Err(StoreError::NotADatabase { path: path.to_owned() })
    }
}

fn classify(e: rusqlite::Error, path: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.to_owned() },
        _ => e.into(),
    }
}
