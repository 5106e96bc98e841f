//! The one way tests run the real binary: hermetically. A run sees none of the user's
//! environment that cppo reads (no `CPPO_*`, no forced colour) and has its own home (HOME
//! and the XDG directories in a temporary directory), so it cannot read or write the real
//! home's remembered account, logs or exports. Everything that starts `cppo` (assert_cmd,
//! a plain `Command`, a pseudo-terminal's `CommandBuilder`) takes its variables from here.
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_cppo");

/// Variables a test run drops: the user's own defaults for `--db`, `--as` and `--now`, the
/// log switch, forced colour, and the AWS credentials the TUI looks for (with them, its `X`
/// pushes to AWS instead of writing a file; a test that wants AWS sets the fake's own).
pub const DROPPED: [&str; 12] = [
    "CPPO_DB",
    "CPPO_AS",
    "CPPO_NOW",
    "CPPO_LOG",
    "CLICOLOR_FORCE",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
];

/// Variables a test run sets to its own home: HOME and every XDG base directory cppo may use.
pub fn homed(home: &Path) -> [(&'static str, OsString); 4] {
    ["HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"].map(|k| (k, home.as_os_str().to_owned()))
}

/// `cppo` with nothing of the user's environment, `home` as its home and no colour (a
/// terminal test that reads colours sets its own variables from [`DROPPED`] and [`homed`]);
/// no arguments yet.
pub fn cppo(home: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(BIN);
    for var in DROPPED {
        c.env_remove(var);
    }
    c.envs(homed(home)).env("NO_COLOR", "1");
    c
}

/// What one run printed, and how it exited.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    fn of(o: std::process::Output) -> Self {
        Out {
            code: o.status.code().expect("cppo exited by a signal"),
            stdout: String::from_utf8(o.stdout).expect("cppo printed UTF-8"),
            stderr: String::from_utf8(o.stderr).expect("cppo printed UTF-8"),
        }
    }
}

/// One temporary directory holding the cppo file and standing in for the home.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    /// A new, empty place: the file (`cppo.db`) does not exist yet.
    pub fn new() -> Self {
        Self::named("cppo.db")
    }

    /// The same with the file named `file` in the directory.
    pub fn named(file: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join(file);
        Self { dir, db }
    }

    /// The directory, for files beside the cppo file.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cppo --db FILE --now NOW` as a plain `std::process::Command`, for the runs that need
    /// their own standard streams (a closed pipe, a full disk, a process to kill).
    pub fn std_command(&self, now: &str) -> std::process::Command {
        let mut c = cppo(self.dir.path());
        c.arg("--db").arg(&self.db).args(["--now", now]);
        c
    }

    /// The same through assert_cmd (stdin, timeouts, asserts).
    pub fn command(&self, now: &str) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_command(now))
    }

    /// Runs `cppo --db FILE --now NOW ARGS` in `cwd` with `stdin`.
    pub fn output_in(&self, cwd: &Path, now: &str, args: &[&str], stdin: &str) -> Out {
        Out::of(self.command(now).current_dir(cwd).args(args).write_stdin(stdin).output().expect("run cppo"))
    }

    /// Runs `cppo --db FILE --now NOW ARGS` with nothing on stdin, in the directory.
    pub fn output(&self, now: &str, args: &[&str]) -> Out {
        self.output_in(self.dir.path(), now, args, "")
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}
