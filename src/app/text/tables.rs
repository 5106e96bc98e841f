//! The tables' words: tab titles, the parts of a table's title, and the words inside cells.
//! Column headers stay in each column's description (`ui/tables.rs`), their one owner.

pub const PARTNERS: &str = "Partners";
pub const OPPORTUNITIES: &str = "Opportunities";
pub const OFFERS: &str = "Offers";

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
/// Statuses that fit a narrow column.
pub const REUSABLE: &str = "Reusable";
pub const CONSUMED: &str = "Consumed";
