//! The Agreements tab (`4`) in the pty benchmark, on the same running cppo as the Offers
//! tab's keys (`benches/pty.rs`), each figure from writing a key to the output that shows
//! its effect:
//!
//! - `4` from the Offers tab to the Agreements table with its rows (`3` back, untimed);
//! - `j` / `k` / `G` / `g`, as on the Offers tab;
//! - `s`: each sort in turn (buyer, ends on, status, total, back to creation), to the table
//!   titled with it, its first row selected, rows loaded;
//! - `f`: each status in turn (ACTIVE, EXPIRED, CANCELLED, REPLACED, then all), to the table
//!   titled with it with its rows (or its count of 0), then to the exact count;
//! - `w`: each window of the renewal radar (30, 60, 90, 120, 180 days, then all), the same;
//! - filter: `/` (untimed), then a needle one key at a time, each key to the table titled
//!   with that prefix and its rows, the last also to the exact count: a rare needle (the
//!   first 12 characters of one agreement's id) and a common one (a buyer's name, about one
//!   agreement in nine).

use std::path::Path;
use std::time::Duration;

use super::cppo_screen::{filter_field_is, hint_bar, shows_table, tab_is, table};
use super::{COUNT_TIMEOUT, KEY_TIMEOUT, Series, Table, current_table, fewer, pred, press, press_untimed};
use crate::pty::Term;

/// The common needle: a buyer's name.
pub const COMMON: &str = "Woodgrove";

const SORTS: [&str; 5] = ["buyer ↑", "ends on ↑", "status ↑", "total ↑", "created ↓"];
const STATUSES: [Option<&str>; 5] = [Some("ACTIVE"), Some("EXPIRED"), Some("CANCELLED"), Some("REPLACED"), None];
const WINDOWS: [Option<&str>; 6] = [
    Some("ending within 30 days"),
    Some("ending within 60 days"),
    Some("ending within 90 days"),
    Some("ending within 120 days"),
    Some("ending within 180 days"),
    None,
];

/// The rare needle: the first 12 characters of the acting account's middle agreement (in
/// the order they were written), which no other agreement shares.
pub fn rare_needle(db: &Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the file for a needle");
    let id: String = conn
        .query_row(
            "WITH mine AS (SELECT id, rowid AS r FROM agreements
                           WHERE partner_account_id = (SELECT value FROM settings WHERE key = ?1))
             SELECT id FROM mine ORDER BY r LIMIT 1 OFFSET (SELECT count(*) / 2 FROM mine)",
            [cppo::market::LAST_ACTOR],
            |r| r.get(0),
        )
        .expect("the acting partner has agreements");
    id.chars().take(12).collect()
}

fn agreements(s: &vt100::Screen) -> Option<Table> {
    table(s).filter(|t| t.name == "Agreements")
}

/// Every key of the Agreements tab, starting from (and ending on) the Offers tab.
pub fn measure(term: &mut Term, times: &mut Series, reps: usize, rare: &str) {
    for _ in 0..fewer(reps) {
        let shown = pred(|s| tab_is(s, "4 Agreements") && shows_table(s, "Agreements"));
        times.push("Agreements: `4` → rows", press(term, "4", b"4", vec![shown], KEY_TIMEOUT)[0]);
        press_untimed(term, "3 back to Offers", b"3", |s| tab_is(s, "3 Offers") && shows_table(s, "Offers"));
    }
    press_untimed(term, "4", b"4", |s| agreements(s).is_some_and(|t| t.shows_rows() && t.exact_count().is_some()));
    // The selected agreement's detail comes after the rows and may resize the table: the
    // moves compare a table with the one before them.
    term.wait_idle(Duration::from_millis(300), COUNT_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("  Agreements: 4 done");
    moves(term, times, reps);
    for _ in 0..fewer(reps) {
        for sort in SORTS {
            let sorted = pred(move |s| {
                agreements(s)
                    .is_some_and(|t| t.sort.as_deref() == Some(sort) && t.position == Some(1) && t.shows_rows())
            });
            times.push(
                &format!("Agreements: `s` → sort by {sort}"),
                press(term, "s", b"s", vec![sorted], KEY_TIMEOUT)[0],
            );
        }
    }
    eprintln!("  Agreements: s done");
    for _ in 0..fewer(reps) {
        narrows(term, times, "f", &STATUSES);
        narrows(term, times, "w", &WINDOWS);
    }
    eprintln!("  Agreements: f w done");
    for needle in [rare.to_owned(), COMMON.to_owned()] {
        let needle: &'static str = Box::leak(needle.into_boxed_str());
        for _ in 0..fewer(reps) {
            filter(term, times, needle);
        }
        eprintln!("  Agreements: filter {needle} done");
    }
    press_untimed(term, "3 back to Offers", b"3", |s| tab_is(s, "3 Offers") && shows_table(s, "Offers"));
}

/// `j` and `k` (`reps` each), then `G` and `g` in turns.
fn moves(term: &mut Term, times: &mut Series, reps: usize) {
    for (key, bytes) in [("j", b"j"), ("k", b"k")] {
        for _ in 0..reps {
            let before = current_table(term, key);
            let moved = pred(move |s| {
                agreements(s)
                    .is_some_and(|t| if key == "j" { t.moved_down_from(&before) } else { t.moved_up_from(&before) })
            });
            times.push(&format!("Agreements: `{key}`"), press(term, key, bytes, vec![moved], KEY_TIMEOUT)[0]);
        }
    }
    for _ in 0..reps {
        let bottom = pred(|s| agreements(s).is_some_and(|t| t.at_bottom()));
        times.push("Agreements: `G`", press(term, "G", b"G", vec![bottom], KEY_TIMEOUT)[0]);
        let top = pred(|s| agreements(s).is_some_and(|t| t.at_top()));
        times.push("Agreements: `g`", press(term, "g", b"g", vec![top], KEY_TIMEOUT)[0]);
    }
    eprintln!("  Agreements: j k G g done");
}

/// `key` pressed once per label of `labels`: to the table titled with it and its rows (or
/// an exact count of 0), then to its exact count.
fn narrows(term: &mut Term, times: &mut Series, key: &'static str, labels: &[Option<&'static str>]) {
    for &label in labels {
        let titled = move |t: &Table| t.status.as_deref() == label;
        let rows =
            pred(move |s| agreements(s).is_some_and(|t| titled(&t) && (t.shows_rows() || t.exact_count() == Some(0))));
        let counted = pred(move |s| agreements(s).is_some_and(|t| titled(&t) && t.exact_count().is_some()));
        let t = press(term, key, key.as_bytes(), vec![rows, counted], COUNT_TIMEOUT);
        let what = label.unwrap_or("all");
        times.push(&format!("Agreements: `{key}` → {what}: rows"), t[0]);
        times.push(&format!("Agreements: `{key}` → {what}: exact count"), t[1]);
    }
}

/// `/`, `needle` typed one key at a time, then `Esc`.
fn filter(term: &mut Term, times: &mut Series, needle: &'static str) {
    press_untimed(term, "/", b"/", |s| filter_field_is(s, ""));
    let each = format!("Agreements: filter `{needle}`: each key → rows");
    for (i, c) in needle.char_indices() {
        let prefix: &'static str = &needle[..i + c.len_utf8()];
        let rows = pred(move |s| {
            filter_field_is(s, prefix)
                && agreements(s).is_some_and(|t| {
                    t.filter.as_deref() == Some(prefix)
                        && (t.shows_rows() || t.message.as_deref() == Some(cppo::app::text::NO_MATCH))
                })
        });
        let mut preds = vec![rows];
        let last = prefix == needle;
        if last {
            preds.push(pred(move |s| {
                agreements(s).is_some_and(|t| t.filter.as_deref() == Some(needle) && t.exact_count().is_some())
            }));
        }
        let what = format!("filter key {c:?} of {needle}");
        let t = press(term, &what, c.to_string().as_bytes(), preds, if last { COUNT_TIMEOUT } else { KEY_TIMEOUT });
        times.push(&each, t[0]);
        if last {
            times.push(&format!("Agreements: filter `{needle}`: last key → exact count"), t[1]);
        }
    }
    let found = current_table(term, "Esc").exact_count().unwrap_or(0);
    assert!(found > 0, "the filter `{needle}` finds agreements:\n{}", term.text());
    press_untimed(term, "Esc clearing the filter", b"\x1b", |s| {
        !hint_bar(s).starts_with(cppo::app::text::FILTER_PROMPT)
            && agreements(s).is_some_and(|t| t.filter.is_none() && t.shows_rows())
    });
}
