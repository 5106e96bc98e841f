//! `cargo bench --bench pty`: what a person sees. The release binary runs in a 160x45
//! pseudo-terminal (`cppo --db FILE`, the TUI), a thread parses its output with `vt100`, and
//! each figure is the time from writing a key to reading the chunk of output that made the
//! expected screen hold (see `tests/support/pty.rs`; never a fixed sleep). Keys come with
//! random gaps of 30-250 ms, so that the event loop has time to go idle between them.
//!
//! The file opens acting as the partner Northwind, on the Offers tab. Measured, per size:
//!
//! - first frame: from the spawn to the first output on the alternate screen (`any`), and to
//!   the Offers table drawn with its loaded rows and one selected (`rows`); a fresh process
//!   each time, quit with `q`, untimed;
//! - `j` / `k`: the position in the title moves by one and either the highlighted row moved
//!   by one over the same rows, or the rows scrolled by one under it with a new row;
//! - `G` / `g`: the highlight on the last / first row, the position at the end / `1`, the
//!   rows loaded (no `…` placeholder);
//! - `Tab` to the Partners table drawn with its rows, `Shift-Tab` back to the Offers table
//!   exactly as it was;
//! - `?`: the help popup drawn from its titled top border to its bottom border (`Esc`
//!   closes it, untimed);
//! - `s`: each sort of the Offers tab in turn (name, buyer, buyer total, status, expiry,
//!   back to creation), to the table titled with it, its first row selected, rows loaded;
//! - filter: `/` (untimed), then a needle typed one key at a time: for each key, the time
//!   to the table titled with that prefix drawn with its loaded rows (or the no-match
//!   message) and the field echoing it; after the last key, also to the first count in the
//!   title (a lower bound like `10,000+…` or exact) and to the exact count; `Esc` clears it,
//!   untimed. A rare needle (one offer) and a common one (about one in six);
//! - peak memory: VmHWM of the cppo process, read just before `q`.
//!
//! The floor: when `less` is on PATH, the same rows (the offers the partner sees, newest
//! first, as CSV) in `less -S` in the same terminal: first frame, `j`, `k`, `G`, `g`, and a
//! search (`/needle` typed untimed, then `Enter` to the matching line on screen). Each cppo
//! figure with a counterpart is also shown as a ratio to less's.
//!
//! The files are the cached `cppo demo --scale N` files of `benches/tui.rs`
//! (`target/tmp/cppo-bench/`), built when missing. `CPPO_BENCH_SIZES` (default
//! `1000,1000000`) picks the sizes, `CPPO_BENCH_REPS` (default 100) the presses per key;
//! first frames and filters run a fifth as often.

#[path = "../tests/support/cppo_screen.rs"]
mod cppo_screen;
#[path = "../tests/support/pty.rs"]
#[allow(dead_code, reason = "shared with tests/tui/pty.rs, which uses the rest")]
mod pty;
#[path = "support/scale_file.rs"]
mod scale_file;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cppo::market::scale::{COMMON_NEEDLE, RARE_NEEDLE};
use cppo_screen::{Table, help_open, shows_table, tab_is, table};
use portable_pty::CommandBuilder;
use pty::{Pred, Term};
use rand::Rng;

const COLS: u16 = 160;
const CSV_NAME: &str = "offers.csv";
const ROWS: u16 = 45;
/// The longest a key may take before the run fails.
const KEY_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest a count may take.
const COUNT_TIMEOUT: Duration = Duration::from_secs(600);

fn main() {
    let sizes: Vec<u64> = std::env::var("CPPO_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("CPPO_BENCH_SIZES: numbers separated by commas"))
        .collect();
    let reps = reps();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cppo-bench");
    std::fs::create_dir_all(&dir).expect("create the bench dir");
    let less = find_on_path("less");
    if less.is_none() {
        eprintln!("less is not on PATH: no floor");
    }
    let mut reports = Vec::new();
    for &n in &sizes {
        let path = scale_file::ensure(&dir, n).0;
        let home = tempfile::tempdir().expect("temp home");
        eprintln!("{} offers: cppo", group(n));
        let cppo = measure_cppo(&path, home.path(), reps);
        let less = less.as_deref().map(|less| {
            eprintln!("{} offers: less", group(n));
            measure_less(less, &path, home.path(), reps)
        });
        reports.push(Report { n, cppo, less });
    }
    print_reports(&reports, reps);
}

fn reps() -> usize {
    std::env::var("CPPO_BENCH_REPS").ok().and_then(|s| s.parse().ok()).filter(|&r| r > 0).unwrap_or(100)
}

/// First frames and filters (each a fresh process, or eight keys and a count) run a fifth
/// as often as single keys.
fn fewer(reps: usize) -> usize {
    (reps / 5).max(3)
}

// ---------------------------------------------------------------------------------------
// Files

/// The offers the acting account sees (as the Offers tab scopes them), newest first, as
/// CSV lines with a header: what `less` shows.
fn offers_csv(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the file for the CSV");
    let actor: String = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [cppo::market::LAST_ACTOR], |r| r.get(0))
        .expect("the file remembers an acting account");
    let mut stmt = conn
        .prepare(
            "SELECT id, name, COALESCE(buyer_account_id, ''), state, expires_on FROM offers
             WHERE partner_account_id = ?1
                OR (isv_account_id = ?1 AND state = 'released')
                OR (buyer_account_id = ?1 AND state = 'released')
             ORDER BY created_at DESC, id DESC",
        )
        .expect("prepare the CSV query");
    let rows = stmt
        .query_map([&actor], |r| Ok((0..5).map(|i| r.get::<_, String>(i)).collect::<Result<Vec<_>, _>>()))
        .expect("run the CSV query");
    let mut lines = vec!["id,name,buyer,status,expires_on".to_owned()];
    for row in rows {
        let fields = row.and_then(|r| r).expect("read an offer for the CSV");
        lines.push(fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
    }
    lines
}

fn csv_field(f: &str) -> String {
    if f.contains([',', '"']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_owned() }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

// ---------------------------------------------------------------------------------------
// Driving a terminal

/// Named series of timings, in the order measured.
#[derive(Default)]
struct Series(Vec<(String, Vec<Duration>)>);

impl Series {
    fn push(&mut self, key: &str, d: Duration) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => v.push(d),
            None => self.0.push((key.to_owned(), vec![d])),
        }
    }
    fn get(&self, key: &str) -> Option<&[Duration]> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &v[..])
    }
}

/// The result of one program on one file.
struct Run {
    times: Series,
    peak_kib: Option<u64>,
}

fn pred(f: impl FnMut(&vt100::Screen) -> bool + Send + 'static) -> Pred {
    Box::new(f)
}

/// A random pause of 30-250 ms before a key, as a person leaves; long enough for the
/// program to go idle.
fn gap() {
    std::thread::sleep(Duration::from_millis(rand::rng().random_range(30..=250)));
}

fn open_term() -> Term {
    Term::open(COLS, ROWS).unwrap_or_else(|e| panic!("{e}"))
}

/// Presses `bytes` after a gap and returns the time to each predicate.
fn press(term: &mut Term, what: &str, bytes: &[u8], preds: Vec<Pred>, timeout: Duration) -> Vec<Duration> {
    gap();
    term.press(bytes, preds, timeout).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Presses `bytes` after a gap and waits, untimed, for `done`.
fn press_untimed(term: &mut Term, what: &str, bytes: &[u8], done: impl FnMut(&vt100::Screen) -> bool) {
    gap();
    term.send(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    term.wait_for(what, KEY_TIMEOUT, done).unwrap_or_else(|e| panic!("{e}"));
}

/// VmHWM of process `pid`, in KiB.
fn peak_kib(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reads the peak memory, quits with `q` and waits for the exit.
fn quit(term: &mut Term) -> Option<u64> {
    let peak = peak_kib(term.pid());
    term.send(b"q").unwrap_or_else(|e| panic!("q: {e}"));
    term.wait_exit(KEY_TIMEOUT).unwrap_or_else(|e| panic!("q: {e}"));
    peak
}

// ---------------------------------------------------------------------------------------
// cppo

fn cppo_command(db: &Path, home: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cppo"));
    cmd.args(["--db", db.to_str().expect("utf-8 path")]);
    for var in ["CPPO_DB", "CPPO_AS", "CPPO_NOW", "CPPO_LOG", "CPPO_TICK_MS"] {
        cmd.env_remove(var);
    }
    for var in ["HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"] {
        cmd.env(var, home);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(home);
    cmd
}

/// The Offers tab drawn with its loaded rows.
fn offers_shown(s: &vt100::Screen) -> bool {
    tab_is(s, "3 Offers") && shows_table(s, "Offers")
}

fn current_table(term: &Term, what: &str) -> Table {
    term.with_screen(table).unwrap_or_else(|| panic!("no table on screen before {what}:\n{}", term.text()))
}

fn measure_cppo(db: &Path, home: &Path, reps: usize) -> Run {
    let mut times = Series::default();
    for _ in 0..fewer(reps) {
        let mut term = open_term();
        let any = pred(|s| s.alternate_screen() && !s.contents().trim().is_empty());
        let t = term
            .spawn(cppo_command(db, home), vec![any, pred(offers_shown)], COUNT_TIMEOUT)
            .unwrap_or_else(|e| panic!("cppo's first frame: {e}"));
        times.push("first frame (any)", t[0]);
        times.push("first frame (rows)", t[1]);
        quit(&mut term);
    }
    eprintln!("  first frames done");

    let mut term = open_term();
    term.spawn(cppo_command(db, home), vec![pred(offers_shown)], COUNT_TIMEOUT)
        .unwrap_or_else(|e| panic!("cppo's first frame: {e}"));
    term.wait_for("the exact count of the Offers tab", COUNT_TIMEOUT, |s| {
        table(s).is_some_and(|t| t.exact_count().is_some() && t.shows_rows())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    term.wait_idle(Duration::from_millis(300), COUNT_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    cppo_moves(&mut term, &mut times, reps);
    cppo_tabs_and_help(&mut term, &mut times, reps);
    cppo_sorts(&mut term, &mut times, reps);
    for needle in [RARE_NEEDLE, COMMON_NEEDLE] {
        for _ in 0..fewer(reps) {
            cppo_filter(&mut term, &mut times, needle);
        }
        eprintln!("  filter {needle} done");
    }
    let peak_kib = quit(&mut term);
    Run { times, peak_kib }
}

/// `j` and `k` (`reps` each, down then back up), then `G` and `g` in turns.
fn cppo_moves(term: &mut Term, times: &mut Series, reps: usize) {
    for (key, bytes) in [("j", b"j"), ("k", b"k")] {
        for _ in 0..reps {
            let before = current_table(term, key);
            let moved = pred(move |s| {
                table(s).is_some_and(|t| if key == "j" { t.moved_down_from(&before) } else { t.moved_up_from(&before) })
            });
            times.push(key, press(term, key, bytes, vec![moved], KEY_TIMEOUT)[0]);
        }
        eprintln!("  {key} done");
    }
    for _ in 0..reps {
        let bottom = pred(|s| table(s).is_some_and(|t| t.name == "Offers" && t.at_bottom()));
        times.push("G", press(term, "G", b"G", vec![bottom], KEY_TIMEOUT)[0]);
        let top = pred(|s| table(s).is_some_and(|t| t.name == "Offers" && t.at_top()));
        times.push("g", press(term, "g", b"g", vec![top], KEY_TIMEOUT)[0]);
    }
    eprintln!("  G g done");
}

/// `Tab` to Partners and `Shift-Tab` back, then `?` (and `Esc`, untimed).
fn cppo_tabs_and_help(term: &mut Term, times: &mut Series, reps: usize) {
    for _ in 0..reps {
        let offers = current_table(term, "Tab");
        let partners = pred(|s| tab_is(s, "1 Partners") && shows_table(s, "Partners"));
        times.push("Tab", press(term, "Tab", b"\t", vec![partners], KEY_TIMEOUT)[0]);
        let back = pred(move |s| tab_is(s, "3 Offers") && table(s).is_some_and(|t| t == offers));
        times.push("Shift-Tab", press(term, "Shift-Tab", b"\x1b[Z", vec![back], KEY_TIMEOUT)[0]);
    }
    eprintln!("  Tab Shift-Tab done");
    for _ in 0..reps {
        let offers = current_table(term, "?");
        times.push("?", press(term, "?", b"?", vec![pred(help_open)], KEY_TIMEOUT)[0]);
        press_untimed(term, "Esc closing the help", b"\x1b", move |s| {
            !help_open(s) && table(s).is_some_and(|t| t == offers)
        });
    }
    eprintln!("  ? done");
}

/// `s` through every sort of the Offers tab and back to creation, `fewer(reps)` rounds: each
/// press to the table titled with the new sort, its first row selected and its rows loaded.
fn cppo_sorts(term: &mut Term, times: &mut Series, reps: usize) {
    const SORTS: [&str; 6] = ["name ↑", "buyer ↑", "buyer total ↑", "status ↑", "expires on ↑", "created ↓"];
    for _ in 0..fewer(reps) {
        for sort in SORTS {
            let sorted = pred(move |s| {
                table(s).is_some_and(|t| {
                    t.name == "Offers" && t.sort.as_deref() == Some(sort) && t.position == Some(1) && t.shows_rows()
                })
            });
            times.push(&format!("`s` → sort by {sort}"), press(term, "s", b"s", vec![sorted], KEY_TIMEOUT)[0]);
        }
    }
    eprintln!("  s done");
}

/// `/`, `needle` typed one key at a time, then `Esc`.
fn cppo_filter(term: &mut Term, times: &mut Series, needle: &'static str) {
    press_untimed(term, "/", b"/", |s| cppo_screen::filter_field_is(s, ""));
    let each = format!("filter `{needle}`: each key → rows");
    for (i, c) in needle.char_indices() {
        let prefix: &'static str = &needle[..i + c.len_utf8()];
        let rows = pred(move |s| {
            cppo_screen::filter_field_is(s, prefix)
                && table(s).is_some_and(|t| {
                    t.filter.as_deref() == Some(prefix)
                        && (t.shows_rows() || t.message.as_deref() == Some(cppo::app::text::NO_MATCH))
                })
        });
        let mut preds = vec![rows];
        let last = prefix == needle;
        if last {
            let filtered = move |t: &Table| t.filter.as_deref() == Some(needle);
            preds.push(pred(move |s| table(s).is_some_and(|t| filtered(&t) && t.count_known())));
            preds.push(pred(move |s| table(s).is_some_and(|t| filtered(&t) && t.exact_count().is_some())));
        }
        let what = format!("filter key {c:?} of {needle}");
        let t = press(term, &what, c.to_string().as_bytes(), preds, if last { COUNT_TIMEOUT } else { KEY_TIMEOUT });
        times.push(&each, t[0]);
        if last {
            times.push(&format!("filter `{needle}`: last key → rows"), t[0]);
            times.push(&format!("filter `{needle}`: last key → first count"), t[1]);
            times.push(&format!("filter `{needle}`: last key → exact count"), t[2]);
        }
    }
    let found = current_table(term, "Esc").exact_count().unwrap_or(0);
    assert!(found > 0, "the filter `{needle}` finds offers:\n{}", term.text());
    press_untimed(term, "Esc clearing the filter", b"\x1b", |s| {
        !cppo_screen::hint_bar(s).starts_with(cppo::app::text::FILTER_PROMPT)
            && table(s).is_some_and(|t| t.filter.is_none() && t.name == "Offers" && t.shows_rows())
    });
}

// ---------------------------------------------------------------------------------------
// less

/// `less -S offers.csv` in `home` (a relative name, so that the first prompt, the file's
/// name, does not start with `/` like a search being typed).
fn less_command(less: &Path, home: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(less);
    cmd.args(["-S", CSV_NAME]);
    for var in ["LESS", "LESSOPEN", "LESSCLOSE", "LESSKEY"] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    cmd.env("LESSHISTFILE", "-");
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(home);
    cmd
}

/// The CSV lines from `top` fill the screen (a `~` past the end) and the prompt is back
/// on the last row (not a `/` search being typed).
fn less_at(lines: &[String], top: usize) -> impl FnMut(&vt100::Screen) -> bool + Send + 'static {
    // Enough of each line to tell it apart (the id comes first), kept short of the width.
    let expected: Vec<String> = (0..usize::from(ROWS - 1))
        .map(|y| lines.get(top + y).map_or_else(|| "~".to_owned(), |l| l.chars().take(100).collect()))
        .collect();
    move |s| {
        let prompt = cppo_screen::line(s, ROWS - 1);
        let prompt = prompt.trim();
        !prompt.is_empty()
            && !prompt.starts_with('/')
            && expected.iter().enumerate().all(|(y, e)| cppo_screen::line(s, y as u16).starts_with(e.as_str()))
    }
}

fn measure_less(less: &Path, db: &Path, home: &Path, reps: usize) -> Run {
    let lines = offers_csv(db);
    let csv = home.join(CSV_NAME);
    std::fs::write(&csv, lines.join("\n") + "\n").expect("write the CSV");
    let last_top = lines.len().saturating_sub(usize::from(ROWS - 1));
    let mut times = Series::default();
    for _ in 0..fewer(reps) {
        let mut term = open_term();
        let t = term
            .spawn(less_command(less, home), vec![pred(less_at(&lines, 0))], KEY_TIMEOUT)
            .unwrap_or_else(|e| panic!("less's first frame: {e}"));
        times.push("first frame (rows)", t[0]);
        quit(&mut term);
    }
    let mut term = open_term();
    term.spawn(less_command(less, home), vec![pred(less_at(&lines, 0))], KEY_TIMEOUT)
        .unwrap_or_else(|e| panic!("less's first frame: {e}"));
    let mut top = 0;
    for _ in 0..reps.min(last_top) {
        top += 1;
        times.push("j", press(&mut term, "less j", b"j", vec![pred(less_at(&lines, top))], KEY_TIMEOUT)[0]);
    }
    while top > 0 {
        top -= 1;
        times.push("k", press(&mut term, "less k", b"k", vec![pred(less_at(&lines, top))], KEY_TIMEOUT)[0]);
    }
    for _ in 0..reps {
        times.push("G", press(&mut term, "less G", b"G", vec![pred(less_at(&lines, last_top))], KEY_TIMEOUT)[0]);
        times.push("g", press(&mut term, "less g", b"g", vec![pred(less_at(&lines, 0))], KEY_TIMEOUT)[0]);
    }
    eprintln!("  j k G g done");
    for needle in [RARE_NEEDLE, COMMON_NEEDLE] {
        // Less puts the first matching line at the top (or shows the last screen).
        let hit = lines.iter().skip(1).position(|l| l.contains(needle)).map(|i| i + 1);
        let hit = hit.unwrap_or_else(|| panic!("no line of the CSV holds {needle}"));
        for _ in 0..fewer(reps) {
            press_untimed(&mut term, "typing a less search", format!("/{needle}").as_bytes(), |s| {
                cppo_screen::line(s, ROWS - 1).trim_end() == format!("/{needle}")
            });
            let found = pred(less_at(&lines, hit.min(last_top)));
            times
                .push(&format!("/{needle} Enter"), press(&mut term, "less search", b"\r", vec![found], KEY_TIMEOUT)[0]);
            press_untimed(&mut term, "less g", b"g", less_at(&lines, 0));
        }
        eprintln!("  search {needle} done");
    }
    let peak_kib = quit(&mut term);
    Run { times, peak_kib }
}

// ---------------------------------------------------------------------------------------
// Report

struct Report {
    n: u64,
    cppo: Run,
    less: Option<Run>,
}

/// The less series a cppo series compares with.
fn less_counterpart(key: &str) -> Option<String> {
    match key {
        "first frame (rows)" | "j" | "k" | "G" | "g" => Some(key.to_owned()),
        _ => [RARE_NEEDLE, COMMON_NEEDLE]
            .into_iter()
            .find(|n| key == format!("filter `{n}`: last key → rows"))
            .map(|n| format!("/{n} Enter")),
    }
}

/// Median, p95 and p99 in milliseconds (nearest rank).
fn quantiles(samples: &[Duration]) -> [f64; 3] {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    [at(0.5), at(0.95), at(0.99)]
}

fn fmt_q(q: [f64; 3]) -> String {
    format!("{:.1} / {:.1} / {:.1}", q[0], q[1], q[2])
}

fn print_reports(reports: &[Report], reps: usize) {
    println!();
    println!(
        "PTY benchmark: release `cppo` in a {COLS}x{ROWS} pseudo-terminal; time from writing a key to reading \
         the output that shows its effect; {reps} presses per key ({} first frames and filters); gaps of 30-250 ms",
        fewer(reps)
    );
    println!();
    println!(
        "| offers | key | n | cppo median / p95 / p99 ms | less: key | less median / p95 / p99 ms | cppo ÷ less, median · p99 |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in reports {
        for (key, samples) in &r.cppo.times.0 {
            let q = quantiles(samples);
            let floor = less_counterpart(key)
                .and_then(|k| r.less.as_ref().and_then(|l| l.times.get(&k)).map(|s| (k, quantiles(s))));
            let (less_key, less_q, ratio) = match floor {
                Some((k, lq)) => (format!("`{k}`"), fmt_q(lq), format!("{:.1}× · {:.1}×", q[0] / lq[0], q[2] / lq[2])),
                None => (String::new(), String::new(), String::new()),
            };
            println!("| {} | {key} | {} | {} | {less_key} | {less_q} | {ratio} |", group(r.n), samples.len(), fmt_q(q));
        }
    }
    println!();
    println!("| offers | cppo peak memory (VmHWM) | less peak memory (VmHWM) |");
    println!("|---|---|---|");
    for r in reports {
        let mb = |k: Option<u64>| k.map_or_else(|| "?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
        println!("| {} | {} | {} |", group(r.n), mb(r.cppo.peak_kib), mb(r.less.as_ref().and_then(|l| l.peak_kib)));
    }
}

fn group(n: u64) -> String {
    cppo::domain::money::group_thousands(&n.to_string())
}
