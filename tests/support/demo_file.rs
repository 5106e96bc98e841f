//! The demo marketplace (and the demo with synthetic offers added, `cppo demo --scale`)
//! built once per test binary and copied for each test: loading the demo costs far more
//! than copying its file, and dozens of tests start from it. The built files live in a
//! temporary directory kept for the whole process; each test gets a private copy, so a test
//! that writes changes only its own file.
//!
//! A copy is the same file `cppo --db FILE --now 2026-11-26 demo` writes: the same library
//! call (`market::demo::load`) on a clock fixed at noon of that day, the ids seeded.
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use cppo::domain::FixedClock;
use cppo::market::Market;

/// The day the demo is loaded on, and the tests' "today".
pub const TODAY: &str = "2026-11-26";

/// [`TODAY`] as a date.
pub fn today() -> NaiveDate {
    date(TODAY)
}

fn date(day: &str) -> NaiveDate {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date")
}

/// How many synthetic offers [`scaled`] adds to the demo.
pub const SCALED_OFFERS: u64 = 2_000;

/// One built file, kept until the process ends.
struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

/// Builds a file named `name` with `fill` on a market open on it, then folds its write-ahead
/// log into the file, so the file alone is the whole database and a plain copy is faithful.
fn build(name: &str, day: &str, fill: impl FnOnce(&mut Market)) -> Built {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    let mut market = Market::open(&path, Box::new(FixedClock::on(date(day)))).expect("open a new file");
    fill(&mut market);
    drop(market);
    let conn = rusqlite::Connection::open(&path).expect("reopen the built file");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0)).expect("checkpoint");
    drop(conn);
    let wal = path.with_file_name(format!("{name}-wal"));
    assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0), "the log was folded into {name}");
    Built { _dir: dir, path }
}

fn demo_built() -> &'static Path {
    static DEMO: OnceLock<Built> = OnceLock::new();
    &DEMO.get_or_init(|| build("demo.db", TODAY, |m| drop(cppo::market::demo::load(m).expect("load the demo")))).path
}

/// The demo loaded on `day` (its dates follow the day it is loaded on), built once per day.
fn demo_built_on(day: &'static str) -> PathBuf {
    static DAYS: Mutex<BTreeMap<&str, Built>> = Mutex::new(BTreeMap::new());
    if day == TODAY {
        return demo_built().to_owned();
    }
    let mut days = DAYS.lock().unwrap_or_else(|p| p.into_inner());
    let built = days
        .entry(day)
        .or_insert_with(|| build("demo.db", day, |m| drop(cppo::market::demo::load(m).expect("load the demo"))));
    built.path.clone()
}

fn scaled_built() -> &'static Path {
    static SCALED: OnceLock<Built> = OnceLock::new();
    &SCALED
        .get_or_init(|| {
            build("scaled.db", TODAY, |m| {
                cppo::market::demo::load(m).expect("load the demo");
                cppo::market::scale::add_offers(m, SCALED_OFFERS, &mut |_, _| {}).expect("add synthetic offers");
            })
        })
        .path
}

/// Writes a private copy of the demo file at `to` (its directory must exist); returns `to`.
pub fn copy_demo(to: &Path) -> PathBuf {
    std::fs::copy(demo_built(), to).expect("copy the demo file");
    to.to_owned()
}

/// Writes a private copy of the demo loaded on `day` (`YYYY-MM-DD`) at `to`; returns `to`.
pub fn copy_demo_on(day: &'static str, to: &Path) -> PathBuf {
    std::fs::copy(demo_built_on(day), to).expect("copy the demo file");
    to.to_owned()
}

/// Writes a private copy of the demo with [`SCALED_OFFERS`] synthetic offers at `to`.
pub fn copy_scaled(to: &Path) -> PathBuf {
    std::fs::copy(scaled_built(), to).expect("copy the scaled demo file");
    to.to_owned()
}

/// A market on a private copy of the demo file in `dir`, its clock fixed on [`TODAY`].
pub fn demo_market(dir: &Path) -> Market {
    let path = copy_demo(&dir.join("demo.db"));
    Market::open(&path, Box::new(FixedClock::on(today()))).expect("open the demo copy")
}

/// A market on a private copy of the scaled demo file in `dir`, its clock fixed on [`TODAY`].
pub fn scaled_market(dir: &Path) -> Market {
    let path = copy_scaled(&dir.join("scaled.db"));
    Market::open(&path, Box::new(FixedClock::on(today()))).expect("open the scaled copy")
}
