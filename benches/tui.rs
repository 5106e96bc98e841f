//! `cargo bench --bench tui`: the TUI at 1,000 and 1,000,000 offers, in process and without a
//! terminal, the way the event loop drives it: keys go through `App::handle_key`, the effects
//! through `Worker::handle` (synchronously, in order), the answers back through
//! `App::handle_msg` until nothing is pending, and the frame is drawn with `ui::render` on a
//! 120x40 `TestBackend`.
//!
//! - first frame: open the file (Market + Worker), run `App::start()` and what follows until
//!   the first page of the Offers tab is in, draw it;
//! - `j`, `G`: one key to its frame (`g` puts the cursor back on top before each `G`, untimed);
//! - filter: `/`, then a needle typed one key at a time: each key to the frame with its rows
//!   (the app asks for the page before the count), and to the frame with the count too; a
//!   rare needle (one offer) and a common one (about one offer in six); `Esc` clears it;
//! - reload: another program wrote (`Msg::FileChanged`, as the loop sends it when the file's
//!   `data_version` moves) to the frame that shows the cursor's record again, found by its id;
//!   the cursor near the top (row 100) and on the last row;
//! - peak memory: VmHWM of the process that measured one size (the file is built by another).
//!
//! The files are built once with `cppo demo --scale N` into `target/tmp/cppo-bench/` and kept.
//! `CPPO_BENCH_SIZES=1000` limits the sizes; `CPPO_BENCH_REPS` sets the repetitions.

#[path = "support/scale_file.rs"]
mod scale_file;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cppo::app::{App, Effect, Msg};
use cppo::domain::SystemClock;
use cppo::market::Market;
use cppo::market::scale::{COMMON_NEEDLE, RARE_NEEDLE};
use cppo::tui::Worker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn main() {
    if let Ok(spec) = std::env::var("CPPO_BENCH_ONE") {
        let (n, path) = spec.split_once(':').expect("N:PATH");
        measure(n.parse().expect("N"), Path::new(path));
        return;
    }
    let sizes: Vec<u64> = std::env::var("CPPO_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("CPPO_BENCH_SIZES: numbers separated by commas"))
        .collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cppo-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let mut lines = Vec::new();
    for &n in &sizes {
        let (path, build) = scale_file::ensure(&dir, n);
        let size = file_size(&path);
        // Each size is measured by a fresh process, so that its peak memory is its own.
        let out = Command::new(std::env::current_exe().expect("bench exe"))
            .env("CPPO_BENCH_ONE", format!("{n}:{}", path.display()))
            .output()
            .expect("run the measuring process");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "measuring {n} offers failed");
        let result = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        lines.push(format!("{result} | {:.0} MB | {build}", size as f64 / 1e6));
    }
    println!();
    println!("TUI benchmark: 120x40 TestBackend, release build; times are median / p95 over the repetitions");
    println!(
        "| offers | first frame | j | G | reload after another program's write: cursor at row 100 · on the last row | \
         filter `{RARE_NEEDLE}` (rare), to the rows: each key · last key | to the count | \
         filter `{COMMON_NEEDLE}` (common), to the rows: each key · last key | to the count | peak memory (VmHWM) | file | build |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for l in lines {
        println!("{l}");
    }
}

fn file_size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// The TUI on one file: an app, its worker, the effects not run yet and a terminal.
struct Tui {
    app: App,
    worker: Worker,
    pending: std::collections::VecDeque<Effect>,
    term: Terminal<TestBackend>,
}

impl Tui {
    /// Runs `effects` (after those pending) and what follows them until nothing is pending,
    /// or (with `until`) until it holds; then draws.
    fn settle(&mut self, effects: Vec<Effect>, until: Option<&dyn Fn(&App) -> bool>) {
        self.pending.extend(effects);
        while let Some(e) = self.pending.pop_front() {
            let msgs = self.worker.handle(e).expect("the store answers");
            for m in msgs {
                let more = self.app.handle_msg(m);
                self.pending.extend(more);
            }
            if until.is_some_and(|f| f(&self.app)) {
                break;
            }
        }
        self.draw();
    }

    fn draw(&mut self) {
        self.term.draw(|f| cppo::ui::render(&self.app, f)).expect("draw");
    }

    /// One key to its frame.
    fn key(&mut self, code: KeyCode) -> Duration {
        let t = Instant::now();
        let fx = self.app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
        self.settle(fx, None);
        t.elapsed()
    }

    /// Another program wrote: the time to the frame that shows the cursor's record again.
    fn reload(&mut self) -> Duration {
        let id = self.app.offers().selected().map(|o| o.id.clone());
        let t = Instant::now();
        let fx = self.app.handle_msg(Msg::FileChanged);
        self.settle(fx, None);
        let took = t.elapsed();
        assert_eq!(self.app.offers().selected().map(|o| o.id.clone()), id, "the cursor keeps its record");
        took
    }

    /// One filter key: the time to the frame that shows its rows (the app asks for the
    /// page before the count), and to the frame with the count too.
    fn filter_key(&mut self, code: KeyCode) -> (Duration, Duration) {
        let t = Instant::now();
        let fx = self.app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
        let generation = self.app.offers().generation;
        let shown = move |app: &App| app.offers().generation == generation && app.offers().is_loaded();
        self.settle(fx, Some(&shown));
        let rows = t.elapsed();
        self.settle(Vec::new(), None);
        (rows, t.elapsed())
    }
}

/// Opens the file and times the first frame.
fn open(path: &Path) -> (Tui, Duration) {
    let t = Instant::now();
    let market = Market::open(path, Box::new(SystemClock)).expect("open the file");
    let mut tui = Tui {
        app: App::new(WIDTH, HEIGHT),
        worker: Worker::new(market, None),
        pending: Default::default(),
        term: Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal"),
    };
    let fx = tui.app.start();
    tui.settle(fx, Some(&|app: &App| app.offers().is_loaded()));
    let first = t.elapsed();
    // The count and what the first page asked for next (the detail pane), untimed.
    tui.settle(Vec::new(), None);
    assert!(tui.app.offers().total().is_some_and(|n| n > 0), "the Offers tab is empty");
    (tui, first)
}

fn reps(default: usize) -> usize {
    std::env::var("CPPO_BENCH_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// Measures one file and prints one table row on stdout.
fn measure(n: u64, path: &Path) {
    let mut first = Vec::new();
    for _ in 0..reps(7) {
        let (_tui, t) = open(path);
        first.push(t);
    }
    let (mut tui, _) = open(path);
    assert_eq!(tui.app.tab(), cppo::app::Tab::Offers, "the TUI opens on the Offers tab");

    let mut j = Vec::new();
    for _ in 0..reps(7) * 10 {
        j.push(tui.key(KeyCode::Char('j')));
    }
    let mut g = Vec::new();
    for _ in 0..reps(7) {
        tui.key(KeyCode::Char('g'));
        g.push(tui.key(KeyCode::Char('G')));
        assert!(tui.app.offers().cursor() + 1 == tui.app.offers().total().unwrap_or(0), "G reaches the last row");
    }
    tui.key(KeyCode::Char('g'));

    let (mut near, mut last) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        tui.key(KeyCode::Char('j'));
    }
    for _ in 0..reps(7) {
        near.push(tui.reload());
    }
    tui.key(KeyCode::Char('G'));
    for _ in 0..reps(7) {
        last.push(tui.reload());
    }
    tui.key(KeyCode::Char('g'));

    let mut filters = Vec::new();
    for needle in [RARE_NEEDLE, COMMON_NEEDLE] {
        let (mut rows_each, mut rows_last, mut count_each, mut count_last) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..reps(7) {
            tui.key(KeyCode::Char('/'));
            for c in needle.chars() {
                let (rows, count) = tui.filter_key(KeyCode::Char(c));
                rows_each.push(rows);
                count_each.push(count);
                if tui.app.offers().filter == needle {
                    rows_last.push(rows);
                    count_last.push(count);
                }
            }
            let found = tui.app.offers().total().unwrap_or(0);
            assert!(found > 0, "the filter `{needle}` finds its offers");
            tui.key(KeyCode::Esc);
        }
        filters.push(format!(
            "{} · {} | {} · {}",
            stats(&rows_each),
            stats(&rows_last),
            stats(&count_each),
            stats(&count_last)
        ));
    }

    println!(
        "| {} | {} | {} | {} | {} · {} | {} | {} | {:.1} MB",
        group(n),
        stats(&first),
        stats(&j),
        stats(&g),
        stats(&near),
        stats(&last),
        filters[0],
        filters[1],
        peak_kib() as f64 / 1024.0
    );
}

/// "median / p95" in milliseconds.
fn stats(samples: &[Duration]) -> String {
    let mut v: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!("{:.2} / {:.2} ms", at(0.5), at(0.95))
}

fn group(n: u64) -> String {
    cppo::domain::money::group_thousands(&n.to_string())
}

/// VmHWM of this process, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}
