//! The tables' words: tab titles, the parts of a table's title, and the words inside cells.
//! Column headers stay in each column's description (`ui/tables.rs`), their one owner.

pub const PARTNERS: &str = "Partners";
pub const OPPORTUNITIES: &str = "Opportunities";
pub const OFFERS: &str = "Offers";
pub const AGREEMENTS: &str = "Agreements";
/// The buyer an ISV of a recurring opportunity is not told, in a cell.
pub const BUYER_NOT_DISCLOSED: &str = crate::market::words::BUYER_NOT_DISCLOSED_SHORT;

/// The renewal radar's view of the Agreements tab, in its title (a window of `domain::radar`).
pub fn ending_within(days: u32) -> &'static str {
    match days {
        30 => "ending within 30 days",
        60 => "ending within 60 days",
        90 => "ending within 90 days",
        120 => "ending within 120 days",
        _ => "ending within 180 days",
    }
}
/// What an agreement on the radar has had done about it, or its days left.
pub use crate::market::words::{ending, renewal};
/// The chart of value ending per month, its title.
pub const VALUE_ENDING: &str = " Value ending per month (next 12) ";
/// No agreement of the viewer ends in the next twelve months.
pub const NOTHING_ENDING: &str = "No Active agreement ends in the next 12 months.";

/// In a table's title after a drill (Enter on a partner): `of Acme (Esc: back to Partners) `.
pub fn drilled(what: &str, from: &str) -> String {
    format!("of {what} (Esc: back to {from}) ")
}
pub fn filtered(filter: &str) -> String {
    format!("filter: \"{filter}\" ")
}
pub fn status(status: &str) -> String {
    format!("status: {status} ")
}
/// `arrow`: ↑ or ↓, the order.
pub fn sorted(by: &str, arrow: &str) -> String {
    format!("sort: {by} {arrow} ")
}
/// Records AWS listed whose full description was never imported.
pub fn summary_only(n: usize) -> String {
    format!(" {n} more by AWS summary only: import their describe-entity ")
}

/// An opportunity with a price per dimension, not a discount.
pub const CUSTOM: &str = "custom";
/// An agreement with no end (imported from AWS): pay-as-you-go.
pub const PAY_AS_YOU_GO: &str = "pay-as-you-go";
