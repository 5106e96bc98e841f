//! One rule for a test that needs something a machine may lack (tmux, a pseudo-terminal,
//! Python's botocore): on a developer's machine the test says on stderr that it skipped and
//! why, and passes; under CI the same absence fails it, naming what is missing and how
//! `.ci/run` provides it, so CI cannot go green having run none of these tests.
//!
//! Each test finds its tool itself (it knows how) and hands the result to [`require`];
//! [`decide`] is the rule alone, a pure function of `CI` and that result, proved in
//! `tests/require.rs`. Included with `#[path]` by every test that needs such a tool.

use std::io::Write;

/// Something a test needs that the machine may not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// The `tmux` program, for the end-to-end tests of the real binary.
    Tmux,
    /// A pseudo-terminal (`/dev/ptmx`), for the tests that drive the TUI in one.
    Pty,
    /// Python 3 with the `botocore` package, AWS's own model of the API requests.
    Botocore,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Tmux => "tmux",
            Tool::Pty => "a pseudo-terminal",
            Tool::Botocore => "Python's botocore",
        }
    }

    /// How a CI machine comes to have it (kept in step with `.ci/run`).
    pub fn provided_by(self) -> &'static str {
        match self {
            Tool::Tmux => "`.ci/run` installs it with `apt-get install -y tmux` when tmux is not on PATH",
            Tool::Pty => "`.ci/run` cannot install one: the machine needs /dev/ptmx with devpts mounted",
            Tool::Botocore => {
                "`.ci/run` installs its pinned version with `python3 -m pip install --target target/ci-python` \
                 and puts that directory on PYTHONPATH"
            }
        }
    }
}

/// What a test does about a tool: use it, or skip or fail with the message given.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision<T> {
    Run(T),
    Skip(String),
    Fail(String),
}

/// Whether the value of `CI` (`None` when unset) makes a missing tool a failure: any value
/// but empty, `0` or `false` (in any case), the way CI services set it.
pub fn on_ci(ci: Option<&str>) -> bool {
    ci.map(str::trim).is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// The rule: with the tool `found`, run; without it, `test` skips (`why` is the reason
/// found gives) or, under CI, fails naming the tool and how `.ci/run` provides it.
pub fn decide<T>(ci: Option<&str>, tool: Tool, test: &str, found: Result<T, String>) -> Decision<T> {
    match found {
        Ok(t) => Decision::Run(t),
        Err(why) if on_ci(ci) => Decision::Fail(format!(
            "{test} needs {name}, which is missing here ({why}); under CI a missing tool fails the test \
             instead of skipping it: {how}",
            name = tool.name(),
            how = tool.provided_by(),
        )),
        Err(why) => Decision::Skip(format!("skipped: {test}: {why}")),
    }
}

/// [`decide`] for the running test under this process's `CI`: the tool, or `None` after
/// telling stderr the test skipped; panics under CI (at the caller's line).
#[track_caller]
pub fn require<T>(tool: Tool, found: Result<T, String>) -> Option<T> {
    // libtest names each test's thread after the test, with one test thread or many.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    let ci = std::env::var_os("CI").map(|v| v.to_string_lossy().into_owned());
    match decide(ci.as_deref(), tool, test, found) {
        Decision::Run(t) => Some(t),
        Decision::Skip(message) => {
            // Straight to stderr: libtest captures `eprintln!` of a passing test, and the
            // point is that a plain `cargo test` shows what it did not run.
            let _ = writeln!(std::io::stderr(), "{message}");
            None
        }
        Decision::Fail(message) => panic!("{message}"),
    }
}
