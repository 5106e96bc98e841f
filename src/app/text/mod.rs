//! Every sentence and phrase the TUI shows, in one place: a newcomer changing one touches
//! only this module. Fixed text is a `const`; text with values is a small `fn` that returns
//! the whole sentence, so the words and their punctuation stay together here while the
//! drawing (`ui`) keeps the layout (padding, widths, colours).
//!
//! One file per room of the screen:
//! - this file: the frame around everything (title bar, empty states, filter line, popups,
//!   the review queue's bar) and the welcome screen;
//! - [`tables`]: tab titles, table titles and the words inside cells;
//! - [`detail`]: the detail pane's labels and lines, and the charts drawn in its place;
//! - [`forms`]: form titles, field labels and hints, the forms' messages and the live price;
//! - [`confirm`]: what each confirmation asks and says will happen;
//! - [`notices`]: toasts, refusals, "busy" lines: what the app says after a key or an answer.
//!
//! Left with their one owner, not here: a table column's header (its column description in
//! `ui/tables.rs`, beside its width, cell and sort), a key's printed name and help (its binding
//! in `app/keymap.rs`), and the words the CLI prints too (`market::words`, referenced from
//! here, never copied).

pub mod confirm;
pub mod detail;
pub mod forms;
pub mod notices;
pub mod tables;

use chrono::NaiveDate;

pub const APP: &str = "cppo";
pub const LOADING: &str = "Loading…";
pub const NOTHING_HERE: &str = "Nothing here yet.";
pub const NO_MATCH: &str = "No row matches the filter. Esc clears it.";
pub const NO_SELECTION: &str = "Select a row to see its detail.";
pub const TOO_SMALL: &str = "Enlarge the terminal: cppo needs at least 80x24";
pub const FILTER_PROMPT: &str = "Filter: ";
pub const FILTER_HELP: &str = "Enter keeps the filter · Esc clears it";
pub const HELP_TITLE: &str = "Keys";
pub const ERROR_TITLE: &str = "Something went wrong";

/// The whole screen when it is smaller than cppo needs.
pub fn too_small(width: u16, height: u16) -> String {
    format!("{TOO_SMALL} (now {width}x{height}).")
}

/// The title bar: who acts, today, the file (left out when empty: no room for it).
pub fn title_bar(who: &str, today: NaiveDate, file: &str) -> String {
    if file.is_empty() {
        format!(" {APP}  │ {who}  │ today {today}")
    } else {
        format!(" {APP}  │ {who}  │ today {today}  │ {file}")
    }
}
/// The title bar before the session is read.
pub fn title_bar_loading() -> String {
    format!(" {APP}  │ {LOADING}")
}
/// Who acts, in the title bar: `as 123456789012 Acme (isv, partner)`.
pub fn acting_as(id: &str, name: &str, roles: &str) -> String {
    format!("as {id} {name} ({roles})")
}
pub const NO_ACCOUNT_YET: &str = "no account yet";
pub const NOBODY_ACTS: &str = "nobody acts yet: @ picks an account";

/// A date within the attention window: `2026-12-01 (in 5 days)`.
pub fn date_soon(d: NaiveDate, days: i64) -> String {
    match days {
        0 => format!("{d} (today)"),
        1 => format!("{d} (tomorrow)"),
        n => format!("{d} (in {n} days)"),
    }
}

/// A popup's title with the keys that close it, from the keymap: ` Keys (? or Esc closes) `.
pub fn titled(title: &str, scope: super::keymap::Scope) -> String {
    format!(" {title} ({}) ", super::keymap::hint_line(scope, " · "))
}
/// Under a popup whose text is longer than it: ` j / k scroll · g / G top / end `.
pub fn popup_scrolls(down: &str, up: &str, top: &str, end: &str) -> String {
    format!(" {down} / {up} scroll · {top} / {end} top / end ")
}
/// A picker's count: `3 of 12`.
pub fn picker_count(matching: usize, all: usize) -> String {
    format!("{matching} of {all}")
}
pub const PICKER_NO_MATCH: &str = "  Nothing matches: fewer letters, or Esc";
pub const DISCARD_QUESTION: &str = "Discard what you typed?";
pub const QUIT_QUESTION: &str = "Quit and lose what you typed?";

/// The review queue's bar: `2 of 7`.
pub fn review_position(at: usize, of: usize) -> String {
    format!(" {at} of {of} ")
}
/// After a review item's reason, when it has a deadline.
pub fn review_due(d: NaiveDate) -> String {
    format!("  · due {d}")
}
/// One count of the review queue's title: `3 offers to accept`.
pub fn review_count(n: usize, what: &str) -> String {
    format!("{n} {what}")
}
/// The review queue's title; `capped` when it holds fewer items than need the account.
pub fn review_title(counts: &str, capped: bool) -> String {
    let more = if capped { " · more than listed: act on these, then v again" } else { "" };
    format!(" Review queue, nearest deadline first: {counts}{more} ")
}

// Words several rooms share (tables, detail, forms).
/// A date with no end.
pub const INDEFINITE: &str = "indefinite";
/// An offer with no buyer yet.
pub const NOT_SET: &str = "(not set)";
/// An opportunity open to every buyer.
pub const ANY_BUYER: &str = "any buyer";
/// A discount: `10% off list`.
pub fn off_list(pct: &str) -> String {
    format!("{pct}% off list")
}
/// A price cppo does not know (a product's list price AWS did not give).
pub const UNKNOWN: &str = "unknown";
/// When the first charge falls due.
pub const AT_ACCEPTANCE: &str = "at acceptance";
/// Headers of a table of prices.
pub const DIMENSION: &str = "Dimension";
pub const LIST: &str = "List";
pub const WHOLESALE: &str = "Wholesale";

pub const WELCOME_TITLE: &str = " Welcome to cppo ";
pub const WELCOME: &[&str] = &[
    "cppo manages AWS Marketplace resale opportunities and partner private offers",
    "on a local file. This file is empty.",
    "",
    "Press d to load the demo marketplace: ISVs, partners, buyers, products,",
    "opportunities, offers and agreements, with dates around today.",
    "",
    "Or press n to add your first account (or, from a shell:",
    "  cppo accounts add 123456789012 --name \"Acme Analytics\" --isv).",
    "",
    "Press ? for every key, q to quit.",
];
