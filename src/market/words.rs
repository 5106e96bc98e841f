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
