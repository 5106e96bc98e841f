//! The real binary in a pseudo-terminal while `P` pulls from an AWS that does not answer:
//! the pull says so on the bottom line, and the keys, and the pages they ask for, go on as
//! ever (the pull's network part runs on a thread of its own, not on the store worker).
//! Skipped, with a message, where no pty can be opened.

use std::time::Duration;

use portable_pty::CommandBuilder;

use super::pull::{AWS_VARS, PARTNER, TODAY, book, ok_json};
use crate::cppo_screen::{shows_table, tab_is};
use crate::env::{self, Env};
use crate::require::{Tool, require};
use crate::term::{Pred, Term};

/// Far above any slow machine, far below the fake's minute of silence.
const DEADLINE: Duration = Duration::from_secs(20);

fn pred(f: impl FnMut(&vt100::Screen) -> bool + Send + 'static) -> Pred {
    Box::new(f)
}

fn bottom_line(s: &vt100::Screen) -> String {
    s.contents().lines().last().unwrap_or_default().trim().to_owned()
}

#[test]
fn keys_and_pages_go_on_while_a_pull_waits_for_aws() {
    let Some(mut term) = require(Tool::Pty, Term::open(120, 40)) else { return };
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    // From the TUI's first request on, AWS takes the call and says nothing for a minute.
    fake.stall_from(fake.requests() + 1);

    let mut cmd = CommandBuilder::new(env::BIN);
    cmd.args(["--db", env.db.to_str().expect("utf-8 temp path"), "--now", TODAY, "--as", PARTNER]);
    for var in env::DROPPED.iter().chain(AWS_VARS.iter()) {
        cmd.env_remove(var);
    }
    for (var, value) in env::homed(env.dir.path()) {
        cmd.env(var, value);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("AWS_ENDPOINT_URL", &fake.url);
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    cmd.env("AWS_ACCESS_KEY_ID", format!("AKID{PARTNER}"));
    cmd.env("AWS_SECRET_ACCESS_KEY", "fake-secret-key");
    cmd.cwd(env.dir.path());

    let offers = pred(|s| tab_is(s, "3 Offers") && shows_table(s, "Offers"));
    term.spawn(cmd, vec![offers], DEADLINE).unwrap_or_else(|e| panic!("the Offers tab never showed: {e}"));
    term.press(b"P", vec![pred(|s| bottom_line(s).starts_with("Pulling from AWS"))], DEADLINE)
        .unwrap_or_else(|e| panic!("P said nothing of the pull: {e}"));
    // Another tab's page comes from the store worker while the pull waits on AWS.
    let opportunities = pred(|s| tab_is(s, "2 Opportunities") && shows_table(s, "Opportunities"));
    term.press(b"2", vec![opportunities], DEADLINE)
        .unwrap_or_else(|e| panic!("`2` did not show the Opportunities tab during the pull: {e}"));
    let line = term.with_screen(bottom_line);
    assert!(line.starts_with("Pulling from AWS"), "the pull still runs: {line}");
    term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
    let code = term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("`q` during a pull did not quit: {e}"));
    assert_eq!(code, 0, "screen:\n{}", term.text());
}
