//! What the TUI says after a key or a store answer: toasts on the hint line, the "busy"
//! popup's line, refusals of a key, and the news that a record left the list. The store
//! worker's toasts (`tui/worker.rs`) are here too: they are the TUI's sentences, written
//! where the change is made.

use chrono::NaiveDate;

use crate::market::words;

// Busy, while the store works.
pub const SAVING: &str = "Saving…";
pub const LOADING_DEMO: &str = "Loading the demo marketplace…";
/// While a confirmed change runs: `Release Acme 2026…`.
pub fn busy(title: &str) -> String {
    format!("{title}…")
}

// Toasts.
pub const RELOADED: &str = "Reloaded";
pub const CHOOSE_ACCOUNT: &str = "Choose the account you act as (the file remembers it)";
pub const FILE_CHANGED: &str = "The file changed (another cppo or the CLI wrote to it): read again";
pub fn copied(id: &str) -> String {
    format!("Copied {id} (through the terminal: OSC 52)")
}
pub const NOTHING_NEEDS_YOU: &str = "Nothing needs you right now";
pub const FIRST_ITEM: &str = "This is the first item";
pub const REVIEW_DONE: &str = "Review done: you went through every item";
/// The acting account's id, in a message the store wrote about it.
pub const YOU: &str = "you";
/// No log this run: the TUI still runs.
pub fn no_log_file(dir: &str, why: &str) -> String {
    format!("No log file this time: {dir} cannot be written ({why})")
}

// Keys refused where they do nothing.
pub const EXPIRIES_ON_OFFERS: &str = "t shows when offers expire: on the Offers tab (3)";
pub const NO_STATUSES: &str = "The Partners tab has no statuses: f works on Opportunities, Offers and Agreements";
pub const NO_AUTHORIZATION_FOR_REPLACEMENT: &str = "No authorization can replace this agreement now: none of its \
     product is Active, unexpired, unused and open to its buyer (ask the ISV for a renewal authorization)";
pub const RADAR_ON_AGREEMENTS: &str = "w shows the agreements ending soon: on the Agreements tab (4)";
pub const SELECT_A_RECORD: &str = "select an opportunity or an offer first";
pub const NOT_AVAILABLE: &str = "not available for this record";
pub const ONLY_ISVS_GRANT: &str = "Only ISVs grant opportunities; a partner makes offers from a received one";
pub const ONLY_PARTNERS_OFFER: &str = "Only partners make offers";
/// On the bottom line while a form's records are on their way (`n`): the keys typed wait
/// for it; `esc` the key that takes it back.
pub fn form_coming(esc: &str) -> String {
    format!("Opening the form… keys typed now go to it · {esc} never mind")
}
pub const NO_OPPORTUNITY_FOR_OFFER: &str =
    "No opportunity can take an offer now: none is authorized, unexpired and unused";

// The account picker (`@`).
pub const ACT_AS: &str = "Act as";
/// Beside the account that acts now.
pub fn acting_now(roles: &str) -> String {
    format!("{roles} · acting now")
}

// A record that left the list under the cursor.
pub fn deleted_elsewhere(id: &str) -> String {
    format!("{id} was deleted by another program")
}
pub fn hidden_now(id: &str) -> String {
    format!("{id} is no longer visible to you (another program changed it)")
}
pub fn left_status(id: &str, status: &str) -> String {
    format!("{id} is no longer {status}: this list shows {status} only")
}
pub fn left_filter(id: &str, filter: &str) -> String {
    format!("{id} no longer matches the filter \"{filter}\"")
}
/// A key that acts on the selected row, pressed while the row there is not the one chosen.
pub fn move_first(gone: &str) -> String {
    format!("{gone}; move the cursor (j, k) to choose the row to act on")
}

// An export written (`X`).
/// `changes`: how many changes the change set holds.
pub fn changes(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}
pub fn wrote(path: &str, changes: &str, submit: &str) -> String {
    format!("Wrote {path} ({changes}). Submit it: {submit}")
}
pub fn note(note: &str) -> String {
    format!("Note: {note}")
}
/// Between the sentences of the export's line.
pub const SENTENCES: &str = ". ";
/// The export's line when its notes do not fit: how many, and where to read them.
pub fn wrote_with_notes(path: &str, changes: &str, notes: usize, id: &str, submit: &str) -> String {
    let s = if notes == 1 { "" } else { "s" };
    format!("Wrote {path} ({changes}; {notes} note{s}: see cppo export {id}). Submit it: {submit}")
}

// What the store worker says after a change.
pub fn now_acting_as(id: &str, name: &str) -> String {
    format!("Now acting as {id} {name}")
}
pub fn demo_loaded(offers: usize, opportunities: usize, actor: &str) -> String {
    format!("Demo loaded: {offers} offers, {opportunities} opportunities. Acting as {actor}")
}
pub fn added_account(id: &str, name: &str) -> String {
    format!("Added account {id} {name}")
}
pub const ADD_AN_ACCOUNT_FIRST: &str = "add an account first: no one acts yet";
pub fn released_opportunity(id: &str) -> String {
    format!("Released {id}: {}", words::OPPORTUNITY_RELEASED)
}
pub fn ended_opportunity(id: &str) -> String {
    format!("Ended {id}: {}", words::OPPORTUNITY_ENDED)
}
pub fn released_offer(id: &str) -> String {
    format!("{id} {}", words::OFFER_RELEASED)
}
pub fn cancelled_offer(id: &str) -> String {
    format!("Cancelled {id}: {}", words::OFFER_CANCELLED)
}
pub fn deleted_draft(id: &str) -> String {
    format!("Deleted draft {id}")
}
pub fn extended(id: &str, to: NaiveDate) -> String {
    format!("Extended {id} to {to}")
}
pub fn accepted(id: &str, agreement: &str) -> String {
    format!("Accepted {id}: agreement {agreement} starts today")
}
pub fn paid(amount: &str, agreement: &str) -> String {
    format!("Paid {amount} on {agreement}")
}
pub fn financing(agreement: &str, provider: &str, status: &str) -> String {
    format!("Financing of {agreement} by {provider}: {status}")
}
pub fn funded(agreement: &str, provider: &str, amount: &str) -> String {
    format!("{provider} paid {amount} on {agreement}: every charge is paid")
}
pub fn created_offer(id: &str) -> String {
    format!("Created draft offer {id}: release it with r when it is ready")
}
pub fn created_replacement(id: &str, agreement: &str) -> String {
    format!("Created draft replacement offer {id} for {agreement}: release it with r when it is ready")
}
pub fn granted_opportunity(id: &str) -> String {
    format!("Granted draft opportunity {id}: release it with r when it is ready")
}
pub fn saved(id: &str) -> String {
    format!("Saved {id}")
}

// AWS reached directly (`P`, and `X` with credentials).
pub const PULL_RUNNING: &str = "A pull from AWS is running: its progress is on the bottom line";
pub fn pulling(what: &str, done: u64, total: u64) -> String {
    match total {
        0 => format!("Pulling from AWS: {what}, {done} so far"),
        _ => format!("Pulling from AWS: {what} {done}/{total}"),
    }
}
pub fn pulled(authorizations: usize, offers: usize, agreements: usize, changed: usize, refused: usize) -> String {
    let refused = if refused > 0 { format!(", {refused} not imported (cppo pull lists why)") } else { String::new() };
    format!(
        "Pulled from AWS: {authorizations} resale authorizations, {offers} offers, {agreements} agreements; \
         {changed} changed here{refused}"
    )
}
pub fn pull_failed(why: &str) -> String {
    format!("Pull from AWS failed: {why}")
}
pub const PUSH_RUNNING: &str = "A push to AWS is running: X again once it ends";
pub const QUIT_DURING_PUSH: &str = "A push is running: q again quits (AWS goes on; X again later records its end)";
pub const PUSH_SENDING: &str = "sending the change set";
pub const PUSH_CHECKING: &str = "checking the change set";
pub const PUSH_RECORDING: &str = "recording AWS's answer";
pub fn pushing(id: &str, status: &str) -> String {
    format!("Pushing {id} to AWS: {status}")
}
pub fn pushed(id: &str, change_set: &str, status: &str) -> String {
    format!("{id} pushed: change set {change_set} {status}")
}
pub fn now_aws_id(id: &str, aws_id: &str) -> String {
    format!("{id} is now {aws_id}, the id AWS gave it")
}
pub fn push_failed(id: &str, why: &str) -> String {
    format!("Push of {id} to AWS failed: {why}")
}
