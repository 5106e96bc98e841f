//! The real binary in a pseudo-terminal while `P` pulls from, or `X` pushes to, an AWS that
//! does not answer: each says so on the bottom line, and the keys, and the pages they ask
//! for, go on as ever (the network part runs on a thread of its own, not on the store
//! worker). Skipped, with a message, where no pty can be opened (a failure under `CI=true`).

use std::time::Duration;

use portable_pty::CommandBuilder;

use super::pull::{AWS_VARS, PARTNER, TODAY, book, ok_json};
use super::tui::draft_offer;
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

/// The TUI as the partner on `env`'s file, its static credentials set and the fake as AWS.
fn tui(env: &Env, fake: &crate::fake_aws::FakeAws) -> CommandBuilder {
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
    cmd
}

/// `2` shows the Opportunities tab (a page the store worker reads), `q` then quits (a
/// second `q` when `twice`).
fn other_tab_then_quit(term: &mut Term, still: &str, twice: bool) {
    let opportunities = pred(|s| tab_is(s, "2 Opportunities") && shows_table(s, "Opportunities"));
    term.press(b"2", vec![opportunities], DEADLINE)
        .unwrap_or_else(|e| panic!("`2` did not show the Opportunities tab meanwhile: {e}"));
    let line = term.with_screen(bottom_line);
    assert!(line.starts_with(still), "it still runs: {line}");
    if twice {
        term.press(b"q", vec![pred(|s| bottom_line(s).starts_with("A push is running: q again quits"))], DEADLINE)
            .unwrap_or_else(|e| panic!("the first q did not warn: {e}"));
    }
    term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
    let code = term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("`q` meanwhile did not quit: {e}"));
    assert_eq!(code, 0, "screen:\n{}", term.text());
}

#[test]
fn keys_and_pages_go_on_while_a_pull_waits_for_aws() {
    let Some(mut term) = require(Tool::Pty, Term::open(120, 40)) else { return };
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    // From the TUI's first request on, AWS takes the call and says nothing for a minute.
    fake.stall_from(fake.requests() + 1);

    let offers = pred(|s| tab_is(s, "3 Offers") && shows_table(s, "Offers"));
    term.spawn(tui(&env, &fake), vec![offers], DEADLINE).unwrap_or_else(|e| panic!("the Offers tab never showed: {e}"));
    term.press(b"P", vec![pred(|s| bottom_line(s).starts_with("Pulling from AWS"))], DEADLINE)
        .unwrap_or_else(|e| panic!("P said nothing of the pull: {e}"));
    other_tab_then_quit(&mut term, "Pulling from AWS", false);
}

#[test]
fn keys_and_pages_go_on_while_a_push_waits_for_aws() {
    let Some(mut term) = require(Tool::Pty, Term::open(120, 40)) else { return };
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    let id = draft_offer(&env, &fake, "Pushed while AWS is silent");
    fake.stall_from(fake.requests() + 1);

    let offers = pred(|s| tab_is(s, "3 Offers") && shows_table(s, "Offers"));
    term.spawn(tui(&env, &fake), vec![offers], DEADLINE).unwrap_or_else(|e| panic!("the Offers tab never showed: {e}"));
    term.press(b"/Pushed while", vec![pred(|s| s.contents().contains("3 Offers (1)"))], DEADLINE)
        .unwrap_or_else(|e| panic!("the filter did not find the draft: {e}"));
    term.send(b"\r").unwrap_or_else(|e| panic!("{e}"));
    term.press(b"X", vec![pred(|s| s.contents().contains("Push Pushed while AWS is silent to AWS"))], DEADLINE)
        .unwrap_or_else(|e| panic!("X did not ask to push: {e}"));
    let pushing = format!("Pushing {id} to AWS");
    let want = pushing.clone();
    term.press(b"y", vec![pred(move |s| bottom_line(s).starts_with(&want))], DEADLINE)
        .unwrap_or_else(|e| panic!("the push said nothing on the bottom line: {e}"));
    other_tab_then_quit(&mut term, &pushing, true);
}
