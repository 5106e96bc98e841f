//! The fixed words the drawing shows: the app's name, loading and empty states, the filter
//! prompt, popup titles and questions, the welcome screen. Not every sentence of the TUI
//! yet: the app's own (toasts, confirm popups' consequences, form errors, hints from the
//! keymap) and the words of tables and the detail pane live beside the code that makes them.

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
pub const DISCARD_QUESTION: &str = "Discard what you typed?";
pub const QUIT_QUESTION: &str = "Quit and lose what you typed?";
/// Under the offer form's totals while no quantity is typed.
pub const TYPE_A_QUANTITY: &str = "Type a quantity to price the offer.";
/// Detail labels of a change set AWS refused (a FAILED describe-change-set answer).
pub const AWS_REFUSED: &str = "AWS refused";
pub const AWS_ERROR: &str = "AWS error";

/// A popup's title with the keys that close it, from the keymap: ` Keys (? or Esc closes) `.
pub fn titled(title: &str, scope: crate::app::keymap::Scope) -> String {
    format!(" {title} ({}) ", crate::app::keymap::hint_line(scope, " · "))
}
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
