//! The command line over AWS CLI output, as a user runs it: a temporary file, the fixtures'
//! day (2026-11-30), and `tests/fixtures/aws/` as the working directory, so that a fixture
//! is named as a user names a file.
#![allow(dead_code, reason = "each test binary uses a different part")]

use super::env::Env;

/// The text of the fixture `name` of `tests/fixtures/aws/`.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/aws/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// The shared hermetic [`Env`] (`tests/support/env.rs`, included by the test binary as
/// `env`), run from the fixtures' directory on the fixtures' day.
pub struct Cli(Env);

impl std::ops::Deref for Cli {
    type Target = Env;
    fn deref(&self) -> &Env {
        &self.0
    }
}

/// (exit code, stdout, stderr)
pub type Run = (i32, String, String);

impl Cli {
    pub fn new() -> Self {
        Self(Env::new())
    }

    /// `cppo --db FILE --now 2026-11-30 ARGS` with `stdin`.
    pub fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        self.run_on("2026-11-30", args, stdin)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "")
    }

    /// The same on another day.
    pub fn run_on(&self, now: &str, args: &[&str], stdin: &str) -> Run {
        let fixtures = std::path::PathBuf::from(format!("{}/tests/fixtures/aws", env!("CARGO_MANIFEST_DIR")));
        self.run_in(&fixtures, now, args, stdin)
    }

    /// `cppo --db FILE --now NOW ARGS` with `stdin`, working in `cwd`.
    pub fn run_in(&self, cwd: &std::path::Path, now: &str, args: &[&str], stdin: &str) -> Run {
        let o = self.0.output_in(cwd, now, args, stdin);
        (o.code, o.stdout, o.stderr)
    }

    /// How many accounts, opportunities and offers the file holds (0 when it has none yet).
    pub fn held(&self) -> (i64, i64, i64) {
        let Ok(conn) = rusqlite::Connection::open(&self.db) else { return (0, 0, 0) };
        let n = |t: &str| conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap_or(0);
        (n("accounts"), n("opportunities"), n("offers"))
    }
}
