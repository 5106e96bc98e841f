//! What each change means, in the words the CLI and the TUI both print after it: one owner
//! for each consequence a person reads.

/// After an opportunity is released.
pub const OPPORTUNITY_RELEASED: &str = "the partner can now make offers from it";
/// After an opportunity is ended.
pub const OPPORTUNITY_ENDED: &str = "no new offers; offers and agreements already made stay";
/// After an offer is released.
pub const OFFER_RELEASED: &str = "released to its buyer";
/// After an offer is cancelled.
pub const OFFER_CANCELLED: &str = "the buyer can no longer accept it";
/// An offer's contract value (and its parts) while no quantity prices it: AWS lets the buyer
/// pick units when accepting, so an imported offer has none. Never a made-up zero.
pub const NO_QUANTITIES: &str = "— (no quantities yet)";
/// The same, in a table's money column (18 columns wide in the TUI).
pub const NO_QUANTITIES_SHORT: &str = "no quantities";

/// Where the end buyer would be, to an ISV of a recurring opportunity: AWS tells it the
/// partner, not the buyer the partner sells to.
pub const BUYER_NOT_DISCLOSED: &str = "not disclosed by AWS (the partner resells to it)";
/// The same, in a table's column.
pub const BUYER_NOT_DISCLOSED_SHORT: &str = "undisclosed";

/// A charge a buyer owes the partner, in the review queue: `Charge of 12,000.00 USD owed by
/// Contoso Retail Ltd`.
pub fn owed_by(amount: &str, buyer: &str) -> String {
    format!("Charge of {amount} owed by {buyer}")
}

/// Why it is there: `OVERDUE since 2026-11-16 (agreement agmt-...): ask the buyer to pay`.
pub fn overdue_since(due: chrono::NaiveDate, agreement: &str) -> String {
    format!("OVERDUE since {due} (agreement {agreement}): ask the buyer to pay")
}

/// What has been done about an agreement on the renewal radar.
pub fn renewal(r: crate::domain::radar::Renewal) -> &'static str {
    use crate::domain::radar::Renewal;
    match r {
        Renewal::NothingYet => "no replacement offer yet",
        Renewal::Drafted => "replacement offer drafted",
        Renewal::Released => "replacement offer released, not accepted",
        Renewal::Renewed => "renewed",
    }
}

/// An agreement on the radar, in the review queue and the detail: `ends in 23 days; no
/// replacement offer yet`.
pub fn ending(days_left: i64, r: crate::domain::radar::Renewal) -> String {
    let when = if days_left == 1 { "ends tomorrow".to_owned() } else { format!("ends in {days_left} days") };
    format!("{when}; {}", renewal(r))
}
