//! What each confirmation asks and says will happen: its title (a verb and the record's
//! name) and its lines, the consequence in the person's words.

use chrono::NaiveDate;

use crate::market::words;

/// A confirmation popup's title: ` Release Acme 2026? `.
pub fn popup_title(title: &str) -> String {
    format!(" {title}? ")
}

pub fn release(name: &str) -> String {
    format!("Release {name}")
}
pub fn end(name: &str) -> String {
    format!("End {name}")
}
pub fn cancel(name: &str) -> String {
    format!("Cancel {name}")
}
pub fn accept(name: &str) -> String {
    format!("Accept {name}")
}
pub fn pay(amount: &str) -> String {
    format!("Pay {amount}")
}
pub fn export(name: &str) -> String {
    format!("Export {name}")
}
pub fn delete(name: &str) -> String {
    format!("Delete {name}")
}
pub fn extend(name: &str) -> String {
    format!("Extend {name}")
}

/// A record's status after the change: `New status: Active`.
pub fn new_status(status: &str) -> String {
    format!("New status: {status}")
}
/// An amount or a date cppo does not know.
pub const NONE: &str = "-";

// Releasing an opportunity.
pub fn partner_will_see(partner: &str) -> String {
    format!("{partner} will see it and can make offers from it.")
}
pub const TERMS_FROZEN: &str = "Its terms are frozen once released.";
/// `until`: the opportunity's end, if it has one.
pub fn authorized(until: Option<NaiveDate>) -> String {
    let status = crate::domain::OpportunityStatus::Authorized.label();
    new_status(&format!("{status}{}", until.map_or_else(String::new, |d| format!(" until {d}"))))
}

// Ending an opportunity.
pub const NO_NEW_OFFER: &str = "No new offer can be made from it. This cannot be undone.";
/// What ending leaves as it was, in words for the count: none, one, or several offers.
pub fn offers_stay(n: u32) -> String {
    match n {
        0 => "No offer was made from it.".to_owned(),
        1 => "The offer already made and its agreement, if any, stay as they are.".to_owned(),
        n => format!("The {n} offers already made and their agreements stay as they are."),
    }
}

// Releasing an offer.
/// The buyer when the offer names none.
pub const THE_BUYER: &str = "The buyer";
pub fn buyer_can_accept(buyer: &str, until: &str) -> String {
    format!("{buyer} can accept it until {until} 23:59:59 UTC.")
}
pub fn buyer_pays(total: &str) -> String {
    format!("The buyer pays {total}; its terms are frozen once released.")
}

// Cancelling an offer.
pub fn expiry_moves() -> String {
    format!("Its expiry moves to yesterday: {}.", words::OFFER_CANCELLED)
}
pub const EXTEND_AGAIN: &str = "You can extend it again later (E).";

// Extending an offer or an opportunity (`E`).
pub fn expiry_moves_to(from: Option<NaiveDate>, to: NaiveDate) -> String {
    format!("Its expiry moves from {} to {to}.", from.map_or_else(|| NONE.into(), |d| d.to_string()))
}
pub fn end_moves_to(from: Option<NaiveDate>, to: NaiveDate) -> String {
    format!("Its end date moves from {} to {to}.", from.map_or_else(|| NONE.into(), |d| d.to_string()))
}
pub fn partner_may_offer(partner: &str, until: NaiveDate) -> String {
    format!("{partner} can make offers from it until {until}.")
}
pub const EXPORT_SENDS_END: &str = "X then writes the change set that sends the new date to AWS.";

// Accepting an offer.
pub fn from_seller(partner: &str) -> String {
    format!("From {partner} (seller of record).")
}
pub const TOTAL_UNKNOWN: &str = "No quantities are planned: its total is unknown; the agreement starts today.";
pub fn agree_to_pay(total: &str) -> String {
    format!("You agree to pay {total} in total; the agreement starts today.")
}
/// One planned charge: `  charge USD 100.00 on 2026-07-01`; `due`: `None` on acceptance.
pub fn charge(amount: &str, due: Option<NaiveDate>) -> String {
    let when = due.map_or_else(|| "today, on acceptance".into(), |d| format!("on {d}"));
    format!("  charge {amount} {when}")
}

// Paying a charge.
pub fn charge_due(due: &str, agreement: &str) -> String {
    format!("The charge due {due} of agreement {agreement}.")
}
pub fn goes_to(partner: &str) -> String {
    format!("It goes to {partner} (seller of record) through AWS Marketplace,")
}
pub const PAYS_THE_PARTIES: &str =
    "which pays the ISV its wholesale part, less the listing fee, and the partner its markup.";

// Deleting a draft.
pub const OPPORTUNITY_GOES: &str = "The draft goes for good: its partner never saw it.";
pub const OFFER_GOES: &str = "The draft goes for good: its buyer never saw it.";
pub const ONE_OFFER_LESS: &str = "Its opportunity counts one offer less (a one-time one can take an offer again).";
pub const AUDIT_KEEPS: &str = "The audit log keeps that it existed.";

// Exporting a change set (`X`).
/// `dir`: the export folder, `None` for the current directory.
pub fn writes(file: &str, dir: Option<&str>) -> String {
    format!("Writes {file} in {}: the change set that", dir.unwrap_or("the current directory"))
}
pub const MOVES_AWS_COPY: &str = "moves AWS's copy to what cppo holds (only what changed). Nothing changes in cppo.";
pub const CREATES_ON_AWS: &str = "creates it on AWS Marketplace. Nothing changes in cppo.";
pub fn then(command: &str) -> String {
    format!("Then: {command}")
}
/// The two answers of a draft's export.
pub const DRAFT_OR_RELEASED: &str = "y: as a draft on AWS    r: released on AWS too";
