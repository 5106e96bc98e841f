//! The real binary in a real terminal (tmux): the tab bar appears, tabs switch, `q` quits
//! with status 0 and the terminal is restored. Skipped, with a message, where tmux is absent;
//! failed there under CI (`support/require.rs`).

use crate::demo_file;
use crate::env;
use crate::require;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use require::{Tool, require};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "app"])
    }
    /// Polls the screen until `pred` holds (never a fixed sleep).
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend_from_slice(keys);
        self.run(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// `Ok` where tmux runs, else why not.
fn tmux() -> Result<(), String> {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!("`tmux -V` failed: {}", String::from_utf8_lossy(&o.stderr).trim())),
        Err(e) => Err(format!("cannot run tmux: {e}")),
    }
}

#[test]
fn the_tui_opens_switches_tabs_quits_cleanly_and_restores_the_terminal() {
    let Some(()) = require(Tool::Tmux, tmux()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file::copy_demo(&dir.path().join("demo.db"));

    let t = Tmux { socket: dir.path().join("tmux.sock").display().to_string() };
    let shell = format!(
        "env -i HOME={home} XDG_STATE_HOME={home} XDG_DATA_HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color PS1='$ ' bash --norc --noprofile",
        home = dir.path().display()
    );
    t.run(&["new-session", "-d", "-s", "app", "-x", "120", "-y", "40", &shell]);
    t.wait_for("the shell prompt", |s| s.contains('$'));
    let cmd = format!("{} --db {} --now 2026-11-26; echo EXIT=$?", env::BIN, db.display());
    t.keys(&[&cmd, "Enter"]);

    let s = t.wait_for("the tab bar", |s| s.contains("3 Offers (29)") && s.contains("Northwind"));
    assert!(s.contains("1 Partners (3)") && s.contains("2 Opportunities (11)"), "{s}");
    assert_eq!(t.run(&["display", "-p", "-t", "app", "#{alternate_on}"]).trim(), "1");

    t.keys(&["2"]);
    t.wait_for("the Opportunities table", |s| s.contains("┌ Opportunities (11)"));
    t.keys(&["?"]);
    t.wait_for("the help", |s| s.contains("Keys (? / Esc closes)"));
    t.keys(&["q"]);
    t.wait_for("the help to close", |s| !s.contains("Keys (? / Esc closes)"));
    t.keys(&["q"]);
    // The typed command line also says `EXIT=`: wait for the line the shell prints.
    let s = t.wait_for("the exit status", |s| s.lines().any(|l| l.starts_with("EXIT=")));
    assert!(s.lines().any(|l| l == "EXIT=0"), "{s}");
    assert_eq!(t.run(&["display", "-p", "-t", "app", "#{alternate_on}"]).trim(), "0", "the alternate screen was left");
    t.keys(&[
        "printf 'MODE:%s\\n' \"$(stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo|isig)' | tr '\\n' ' ')\"",
        "Enter",
    ]);
    let mode = |s: &str| s.lines().find(|l| l.starts_with("MODE:")).map(str::to_owned);
    let s = t.wait_for("stty", |s| mode(s).is_some());
    let line = mode(&s).unwrap();
    for flag in ["isig", "icanon", "echo"] {
        assert!(line.split_whitespace().any(|w| w.trim_start_matches("MODE:") == flag), "{flag} is off: {line}");
    }
}

#[test]
fn without_a_terminal_the_tui_explains_itself_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = env::cppo(dir.path()).args(["--db", db.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

/// Runs the CLI on `db` and returns its JSON output.
fn cli_json(dir: &Path, db: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--db", db.to_str().unwrap(), "--now", "2026-11-26", "--json"];
    all.extend_from_slice(args);
    let out = env::cppo(dir).args(&all).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Opens the TUI as `actor` in a fresh tmux session and waits for its tab bar.
fn open_tui(dir: &Path, db: &Path, actor: &str) -> Tmux {
    let t = Tmux { socket: dir.join(format!("tmux-{actor}.sock")).display().to_string() };
    let cmd = format!(
        "env NO_COLOR=1 HOME={home} XDG_STATE_HOME={home} XDG_DATA_HOME={home} {bin} --db {db} --now 2026-11-26 --as {actor}",
        home = dir.display(),
        bin = env::BIN,
        db = db.display()
    );
    t.run(&["new-session", "-d", "-s", "app", "-x", "120", "-y", "40", &cmd]);
    t.wait_for("the tab bar", |s| s.contains("3 Offers (") && s.contains(actor));
    t
}

#[test]
fn each_role_creates_finds_and_acts_on_a_record_with_pickers_and_no_colour() {
    let Some(()) = require(Tool::Tmux, tmux()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file::copy_demo(&dir.path().join("demo.db"));
    const ISV: &str = "418227093615"; // DataPeak
    const PARTNER: &str = "347810256693"; // Bluefin
    const BUYER: &str = "221078463519"; // Contoso

    // The ISV grants Bluefin an opportunity, picking the partner and the product by name.
    let t = open_tui(dir.path(), &db, ISV);
    t.keys(&["2"]);
    t.wait_for("the Opportunities table", |s| s.contains("┌ Opportunities ("));
    t.keys(&["n"]);
    t.wait_for("the opportunity form", |s| s.contains("Grant an opportunity"));
    t.keys(&["-l", "bluefin"]);
    t.wait_for("the partner picker", |s| s.contains("Pick the partner") && s.contains("Bluefin"));
    t.keys(&["Enter"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "insight platform"]);
    t.wait_for("the product picker", |s| s.contains("Pick the product"));
    t.keys(&["Enter"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "Picked e2e grant"]);
    t.keys(&["Tab", "Tab", "Tab"]);
    t.keys(&["-l", "15"]);
    t.keys(&["C-s"]);
    t.wait_for("the saved toast", |s| s.contains("Granted draft opportunity"));
    // Found by a word it shows, then released.
    t.keys(&["/"]);
    t.keys(&["-l", "e2e grant"]);
    t.keys(&["Enter"]);
    t.wait_for("the filtered row", |s| s.contains("Opportunities (1)") && s.contains("Picked e2e grant"));
    t.keys(&["r"]);
    t.wait_for("the confirmation", |s| s.contains("Release Picked e2e grant?"));
    t.keys(&["y"]);
    t.wait_for("the release", |s| s.contains("15% USD Authorized"));
    t.keys(&["q"]);
    drop(t);

    // Bluefin makes an offer from it, picking the opportunity and the buyer by name.
    let t = open_tui(dir.path(), &db, PARTNER);
    t.keys(&["3"]);
    t.keys(&["n"]);
    t.wait_for("the offer form", |s| s.contains("New offer"));
    t.keys(&["-l", "e2e grant"]);
    t.wait_for("the opportunity picker", |s| s.contains("Pick the opportunity"));
    t.keys(&["Enter"]);
    t.wait_for("its terms", |s| s.contains("Opportunity terms") && s.contains("15% off list"));
    t.keys(&["Tab"]);
    t.keys(&["-l", "Picked e2e offer"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "contoso"]);
    t.wait_for("the buyer picker", |s| s.contains("Pick the buyer account") && s.contains("Contoso Retail Ltd"));
    t.keys(&["Enter"]);
    t.wait_for("the buyer's name beside its id", |s| {
        s.lines().any(|l| l.contains(BUYER) && l.contains("Contoso Retail Ltd") && l.contains("Buyer account"))
            && !s.contains("one-time opportunity's buyer")
    });
    t.keys(&["Tab"]);
    t.keys(&["-l", "10%"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "2026-12-31"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "5"]);
    t.wait_for("the live breakdown", |s| s.contains("Partner receives"));
    t.keys(&["C-s"]);
    t.wait_for("the saved toast", |s| s.contains("Created draft offer"));
    t.keys(&["r"]);
    t.wait_for("the confirmation", |s| s.contains("Release Picked e2e offer?"));
    t.keys(&["y"]);
    t.wait_for("the release", |s| s.contains("released to its buyer"));
    t.keys(&["q"]);
    drop(t);

    // Contoso finds it by its seller's name and accepts it.
    let t = open_tui(dir.path(), &db, BUYER);
    t.keys(&["/"]);
    t.keys(&["-l", "bluefin"]);
    t.keys(&["Enter"]);
    t.wait_for("the offer, found by its seller", |s| s.contains("Picked e2e offer") && s.contains("Seller"));
    t.keys(&["a"]);
    t.wait_for("the confirmation", |s| s.contains("You agree to pay"));
    t.keys(&["y"]);
    t.wait_for("the agreement", |s| s.contains("agreement agmt-"));
    t.keys(&["q"]);
    drop(t);

    let offers = cli_json(dir.path(), &db, &["--as", BUYER, "offers", "list"]);
    let offer = offers.as_array().unwrap().iter().find(|o| o["name"] == "Picked e2e offer").expect("the offer");
    assert_eq!(offer["status"], "Accepted");
    assert_eq!(offer["buyer_account_id"], BUYER);
}
