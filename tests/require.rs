//! The rule of `support/require.rs` for a test whose tool is missing: skipped with its reason
//! on a developer's machine, failed under CI naming the tool and how `.ci/run` provides it.
//! The decision is proved as a function of `CI` and the tool's presence, without hiding any
//! tool; then once end to end, in a child run of this binary, as `cargo test` shows it.

#[path = "support/require.rs"]
mod require;

use std::process::Command;

use require::{Decision, Tool, decide, on_ci, require};

const TOOLS: [Tool; 3] = [Tool::Tmux, Tool::Pty, Tool::Botocore];
const NOT_CI: [Option<&str>; 6] = [None, Some(""), Some("0"), Some("false"), Some("FALSE"), Some(" false ")];
const CI: [Option<&str>; 4] = [Some("true"), Some("1"), Some("yes"), Some("woodpecker")];

fn missing() -> Result<(), String> {
    Err("hidden by the test".into())
}

#[test]
fn ci_is_any_value_but_empty_zero_or_false() {
    for ci in NOT_CI {
        assert!(!on_ci(ci), "{ci:?}");
    }
    for ci in CI {
        assert!(on_ci(ci), "{ci:?}");
    }
}

#[test]
fn a_tool_that_is_there_runs_whatever_ci_says() {
    for tool in TOOLS {
        for ci in NOT_CI.into_iter().chain(CI) {
            assert_eq!(decide(ci, tool, "t", Ok(7)), Decision::Run(7), "{tool:?} with CI={ci:?}");
        }
    }
}

#[test]
fn a_missing_tool_off_ci_skips_naming_the_test_and_why() {
    for tool in TOOLS {
        for ci in NOT_CI {
            assert_eq!(
                decide(ci, tool, "the_tui_quits", missing()),
                Decision::Skip("skipped: the_tui_quits: hidden by the test".into()),
                "{tool:?} with CI={ci:?}"
            );
        }
    }
}

#[test]
fn a_missing_tool_under_ci_fails_naming_the_tool_why_and_how_ci_run_provides_it() {
    for tool in TOOLS {
        for ci in CI {
            let Decision::Fail(message) = decide(ci, tool, "the_tui_quits", missing()) else {
                panic!("{tool:?} with CI={ci:?} did not fail");
            };
            for part in ["the_tui_quits needs ", tool.name(), "hidden by the test", tool.provided_by()] {
                assert!(message.contains(part), "{tool:?}: {part:?} not in {message:?}");
            }
        }
    }
    assert!(Tool::Tmux.provided_by().contains("apt-get install -y tmux"));
    assert!(
        Tool::Botocore.provided_by().contains("pip install") && Tool::Botocore.provided_by().contains("PYTHONPATH")
    );
}

/// Not a test of its own: the child run below. Set apart by the variable so that
/// `--include-ignored` passes through it.
#[test]
#[ignore = "run as a child process by a_plain_run_prints_the_skip_and_a_ci_run_fails"]
fn child_missing_tmux() {
    if std::env::var_os("CPPO_REQUIRE_CHILD").is_none() {
        return;
    }
    let Some(()) = require(Tool::Tmux, missing()) else { return };
    panic!("require gave a missing tool to the test");
}

/// This binary, running only `child_missing_tmux`, with `CI` as given; output captured the
/// way `cargo test` captures it (no `--nocapture`).
fn child(ci: Option<&str>) -> (bool, String, String) {
    let mut cmd = Command::new(std::env::current_exe().expect("this test binary"));
    cmd.args(["--exact", "child_missing_tmux", "--ignored"]).env("CPPO_REQUIRE_CHILD", "1");
    match ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    let out = cmd.output().expect("run the child");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn a_plain_run_prints_the_skip_and_a_ci_run_fails() {
    let (ok, stdout, stderr) = child(None);
    assert!(ok, "without CI the test passes:\n{stdout}{stderr}");
    assert!(
        stderr.contains("skipped: child_missing_tmux: hidden by the test"),
        "not shown past the capture:\n{stderr}"
    );

    let (ok, stdout, stderr) = child(Some("true"));
    assert!(!ok, "under CI the test fails:\n{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("child_missing_tmux needs tmux, which is missing here (hidden by the test)"), "{all}");
    assert!(all.contains("apt-get install -y tmux"), "{all}");
    assert!(!stderr.contains("skipped:"), "{stderr}");
}
