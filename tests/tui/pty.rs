//! The real binary in a pseudo-terminal: a key pressed after the event loop has gone idle
//! takes effect at once, not on the loop's slow tick.
//!
//! The tick is stretched to 10 minutes with `CPPO_TICK_MS`; each key is pressed after a
//! second without output and must show within 20 s. An event loop that only notices keys
//! on its tick once idle fails here. Skipped, with a message, where no pty can be opened;
//! failed there under CI (`support/require.rs`).

use crate::cppo_screen;
use crate::demo_file;
use crate::env;
use crate::require;
use crate::term as pty;

use std::path::Path;
use std::time::Duration;

use cppo_screen::{shows_table, tab_is, table};
use demo_file::TODAY;
use portable_pty::CommandBuilder;
use pty::{Pred, Term};
use require::{Tool, require};

/// Far below the 10-minute tick, far above any slow machine.
const DEADLINE: Duration = Duration::from_secs(20);
/// Output-free time after which the event loop counts as idle.
const IDLE: Duration = Duration::from_secs(1);

/// A private copy of the demo file in `dir`.
fn demo_file(dir: &Path) -> std::path::PathBuf {
    demo_file::copy_demo(&dir.join("demo.db"))
}

/// The TUI on `db`, hermetic as `tests/support/env.rs` has it, but in colour: the screen
/// readers find the active tab by its background.
fn tui(dir: &Path, db: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env::BIN);
    cmd.args(["--db", db.to_str().expect("utf-8 temp path"), "--now", TODAY]);
    for var in env::DROPPED {
        cmd.env_remove(var);
    }
    for (var, value) in env::homed(dir) {
        cmd.env(var, value);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("CPPO_TICK_MS", "600000");
    cmd.cwd(dir);
    cmd
}

/// A 120x40 pseudo-terminal, or `None` (the test skips) where none can be opened.
#[track_caller]
fn terminal() -> Option<Term> {
    require(Tool::Pty, Term::open(120, 40))
}

fn pred(f: impl FnMut(&vt100::Screen) -> bool + Send + 'static) -> Pred {
    Box::new(f)
}

#[test]
fn keys_pressed_after_the_loop_went_idle_take_effect_at_once() {
    let Some(mut term) = terminal() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_file(dir.path());

    let first = pred(|s| cppo_screen::active_tab(s) == "3 Offers (35)" && shows_table(s, "Offers"));
    term.spawn(tui(dir.path(), &db), vec![first], DEADLINE)
        .unwrap_or_else(|e| panic!("the Offers tab never showed its 35 offers: {e}"));

    term.wait_idle(IDLE, DEADLINE).unwrap_or_else(|e| panic!("{e}"));
    let opportunities = pred(|s| tab_is(s, "2 Opportunities") && shows_table(s, "Opportunities"));
    let took = term.press(b"2", vec![opportunities], DEADLINE).unwrap_or_else(|e| {
        panic!("`2` pressed after {IDLE:?} idle did not show the Opportunities tab within {DEADLINE:?}: {e}")
    });
    eprintln!("`2` after idle: {:?}", took[0]);

    term.wait_idle(IDLE, DEADLINE).unwrap_or_else(|e| panic!("{e}"));
    let before = term.with_screen(table).expect("the Opportunities table");
    assert_eq!(before.selected(), Some(0), "the first row is selected: {before:?}");
    let down = pred(move |s| table(s).is_some_and(|t| t.moved_down_from(&before)));
    let took = term.press(b"j", vec![down], DEADLINE).unwrap_or_else(|e| {
        panic!("`j` pressed after {IDLE:?} idle did not move the highlight within {DEADLINE:?}: {e}")
    });
    eprintln!("`j` after idle: {:?}", took[0]);

    term.wait_idle(IDLE, DEADLINE).unwrap_or_else(|e| panic!("{e}"));
    term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
    let code = term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("`q` after idle did not quit: {e}"));
    assert_eq!(code, 0, "cppo exits with status 0; screen:\n{}", term.text());
}

/// The terminal is as a shell wants it: main screen, cursor shown, bracketed paste off,
/// cooked line discipline.
fn restored(term: &Term) -> Result<(), String> {
    let (alternate, hidden, paste) = term.with_screen(|s| (s.alternate_screen(), s.hide_cursor(), s.bracketed_paste()));
    let cooked = term.cooked();
    if alternate || hidden || paste || cooked == Some(false) {
        return Err(format!(
            "alternate screen {alternate}, cursor hidden {hidden}, bracketed paste {paste}, cooked {cooked:?}"
        ));
    }
    Ok(())
}

#[test]
fn sigterm_sighup_and_a_panic_leave_the_terminal_restored_and_ctrl_z_suspends_cleanly() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = demo_file(dir.path());
    for how in ["SIGTERM", "SIGHUP", "panic", "Ctrl-z"] {
        let Some(mut term) = terminal() else { return };
        let mut cmd = tui(dir.path(), &db);
        if how == "panic" {
            cmd.env("CPPO_TEST_PANIC", "1");
            term.spawn(cmd, vec![], DEADLINE).unwrap_or_else(|e| panic!("{e}"));
            let code = term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("{how}: {e}"));
            assert_eq!(code, 101, "{how}: a panic exits 101");
            restored(&term).unwrap_or_else(|e| panic!("{how}: {e}"));
            continue;
        }
        term.spawn(cmd, vec![pred(|s| s.alternate_screen() && s.contents().contains("Opportunities"))], DEADLINE)
            .unwrap_or_else(|e| panic!("{how}: {e}"));
        let pid = term.pid().expect("a child") as libc::pid_t;
        match how {
            "SIGTERM" | "SIGHUP" => {
                let sig = if how == "SIGTERM" { libc::SIGTERM } else { libc::SIGHUP };
                // SAFETY: signals the child this test started.
                unsafe { libc::kill(pid, sig) };
                let code = term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("{how}: {e}"));
                assert_eq!(code, 0, "{how}: ends like q");
                restored(&term).unwrap_or_else(|e| panic!("{how}: {e}"));
            }
            _ => {
                term.send(b"\x1a").unwrap_or_else(|e| panic!("{e}"));
                term.wait_for("the shell's screen", DEADLINE, |s| !s.alternate_screen() && !s.hide_cursor())
                    .unwrap_or_else(|e| panic!("Ctrl-z: {e}"));
                restored(&term).unwrap_or_else(|e| panic!("Ctrl-z, suspended: {e}"));
                // As a shell's `fg` does, resume it once it has stopped: it restores the
                // terminal first, and a SIGCONT before its stop would be lost (a busy machine
                // showed that race).
                let stopped = || {
                    std::fs::read_to_string(format!("/proc/{pid}/stat"))
                        .is_ok_and(|s| s.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('T')))
                };
                if std::path::Path::new("/proc/self/stat").exists() {
                    let since = std::time::Instant::now();
                    while !stopped() && since.elapsed() < DEADLINE {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    assert!(stopped(), "Ctrl-z: the process stopped");
                }
                // SAFETY: resumes the child this test started.
                unsafe { libc::kill(pid, libc::SIGCONT) };
                term.wait_for("the TUI again", DEADLINE, |s| {
                    s.alternate_screen() && s.contents().contains("Opportunities")
                })
                .unwrap_or_else(|e| panic!("fg: {e}"));
                term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("q: {e}")), 0);
                restored(&term).unwrap_or_else(|e| panic!("after fg and q: {e}"));
            }
        }
    }
}

#[test]
fn the_tui_says_the_whole_reason_it_cannot_open_a_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = demo_file(dir.path());
    let c = rusqlite::Connection::open(&db).expect("open the demo file");
    c.pragma_update(None, "user_version", 99).expect("set a newer format");
    drop(c);
    let Some(mut term) = terminal() else { return };
    term.spawn(tui(dir.path(), &db), vec![], DEADLINE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("{e}")), 1);
    // The reader thread may still hold the last bytes when the exit is seen: wait for them.
    let says = |s: &str| s.contains("cannot open") && s.contains("was written by a newer cppo (file format 99");
    let until = std::time::Instant::now() + DEADLINE;
    while !says(&term.text()) && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let screen = term.text();
    assert!(says(&screen), "{screen}");
}

#[test]
fn a_log_directory_that_cannot_be_made_is_a_notice_not_a_panic() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = demo_file(dir.path());
    // The state directory would be under a regular file: it cannot be created.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, b"x").expect("write a file");
    let Some(mut term) = terminal() else { return };
    let mut cmd = tui(dir.path(), &db);
    cmd.env("XDG_STATE_HOME", blocker.join("state"));
    cmd.env("XDG_DATA_HOME", blocker.join("data"));
    cmd.env("HOME", blocker.join("home"));
    term.spawn(cmd, vec![pred(|s| s.contents().contains("No log file this time"))], DEADLINE)
        .unwrap_or_else(|e| panic!("{e}"));
    term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("{e}")), 0);
}

/// The cells of screen row `y` that `keep` picks, as text.
fn cells(screen: &vt100::Screen, y: u16, keep: impl Fn(&vt100::Cell) -> bool) -> String {
    let (_, cols) = screen.size();
    (0..cols.get())
        .filter_map(|x| screen.cell(y, x))
        .filter(|c| keep(c))
        .map(|c| if c.has_contents() { c.contents() } else { " " })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[test]
fn with_no_color_the_screen_keeps_its_bold_dim_and_reverse_video() {
    let Some(mut term) = terminal() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_file(dir.path());
    let mut cmd = tui(dir.path(), &db);
    cmd.env("NO_COLOR", "1");
    // The selected row's name shows, and something is drawn in reverse video.
    let shown = pred(|s| {
        s.contents().contains("Woodgrove - Sentinel EDR branch add-on")
            && (0..40).any(|y| !cells(s, y, vt100::Cell::inverse).is_empty())
    });
    if let Err(e) = term.spawn(cmd, vec![shown], DEADLINE) {
        panic!("no reverse video with NO_COLOR (it carries the selected row): {e}\n{}", term.text());
    }
    term.wait_idle(IDLE, DEADLINE).unwrap_or_else(|e| panic!("{e}"));
    let (tab, selected, draft, coloured) = term.with_screen(|s| {
        let row = (0..40).find(|&y| cppo_screen::line(s, y).contains("▶ Woodgrove")).expect("the selected row");
        let coloured = (0..40)
            .flat_map(|y| (0..120).map(move |x| (y, x)))
            .filter_map(|(y, x)| s.cell(y, x))
            .filter(|c| c.fgcolor() != vt100::Color::Default || c.bgcolor() != vt100::Color::Default)
            .count();
        (cells(s, 1, vt100::Cell::bold), cells(s, row, vt100::Cell::inverse), cells(s, row, vt100::Cell::dim), coloured)
    });
    assert_eq!(tab, "3 Offers (35)", "the active tab is bold");
    assert!(selected.contains("Woodgrove - Sentinel EDR branch add-on"), "the selected row is reversed: {selected}");
    assert_eq!(draft, "Draft", "a draft's status is dim");
    assert_eq!(coloured, 0, "no colour at all");
    term.send(b"q").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(term.wait_exit(DEADLINE).unwrap_or_else(|e| panic!("{e}")), 0);
}
