//! The SQLite file: open (WAL, foreign keys, busy timeout, 0600), migrations, row mapping,
//! queries scoped to the acting account, and the audit log. No business rules here.

pub mod aws;
pub mod bulk;
mod codec;
pub mod events;
pub mod ledger;
pub mod offers;
pub mod opportunities;
pub mod parties;
pub mod query;
pub mod review;

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

pub use codec::{NO_DATE, timestamp};

const MIGRATION_LIST: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_initial.sql")),
    M::up(include_str!("migrations/0002_offer_tally.sql")),
    M::up(include_str!("migrations/0003_duration_text.sql")),
    M::up(include_str!("migrations/0004_unknown_list_prices.sql")),
    M::up(include_str!("migrations/0005_aws_sources.sql")),
];
const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// The schema version this build reads and writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATION_LIST.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a cppo file (not an SQLite database): pick another file with --db")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} was written by a newer cppo (file format {found}, this build reads up to {supported}): upgrade cppo; the file was not changed"
    )]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("{entity} {id} was changed by someone else since you read it: reload and try again")]
    Conflict { entity: &'static str, id: String },
    #[error("the file holds a value cppo cannot read ({0}): it may have been edited by hand")]
    Corrupt(String),
    #[error("cannot open {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An open cppo file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens `path`, creating it (mode 0600, WAL) if it does not exist, and migrates it to
    /// the latest schema. A file from a newer cppo or a non-SQLite file is refused untouched.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let created = !path.exists();
        if created {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            let mut opts = OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            opts.open(path).map_err(io)?;
        } else {
            check_header(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| classify(e, path))?;
        let mut store = Store { conn, path: path.to_owned() };
        store.prepare(created)?;
        Ok(store)
    }

    /// A private in-memory store (tests, previews).
    pub fn open_in_memory() -> StoreResult<Store> {
        let mut store = Store { conn: Connection::open_in_memory()?, path: PathBuf::from(":memory:") };
        store.prepare(true)?;
        Ok(store)
    }

    fn prepare(&mut self, created: bool) -> StoreResult<()> {
        let path = self.path.clone();
        self.conn.busy_timeout(std::time::Duration::from_millis(5000))?;
        let found: i64 =
            self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| classify(e, &path))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path, found, supported: SCHEMA_VERSION });
        }
        if created {
            self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
        }
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        MIGRATIONS.to_latest(&mut self.conn)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: it commits if `f` returns Ok and
    /// rolls back otherwise, so a refused change leaves the file as it was.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one transaction and rolls it back whatever `f` returns: what `f` would
    /// write, without writing it (a dry run).
    pub fn rehearse<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
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
        _ => StoreError::Sqlite(e),
    }
}
