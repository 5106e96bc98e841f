//! The forms' words: titles, each field's label and hint, the errors and messages a form
//! shows, and the panel beside it (the opportunity's terms, the offer's live price).

use chrono::NaiveDate;

// Titles.
pub fn new_offer_from(opportunity: &str) -> String {
    format!("New offer from {opportunity} (draft)")
}
pub const NEW_OFFER: &str = "New offer (draft)";
pub fn finance(agreement: &str) -> String {
    format!("Finance {agreement}")
}
pub fn edit_draft(id: &str) -> String {
    format!("Edit {id} (draft)")
}
pub const GRANT_OPPORTUNITY: &str = "Grant an opportunity (draft)";
pub fn extend(name: &str) -> String {
    format!("Extend {name}")
}
pub const ADD_ACCOUNT: &str = "Add an account";
/// The partner's replacement offer for its agreement.
pub fn replace_agreement(agreement: &str) -> String {
    format!("Replacement offer for {agreement} (draft)")
}
/// The ISV's renewal authorization for an agreement that is ending.
pub fn renew_agreement(agreement: &str) -> String {
    format!("Renewal authorization for {agreement} (draft)")
}
/// The renewal authorization's name, prefilled.
pub fn renewal_name(agreement: &str) -> String {
    format!("Renewal {agreement}")
}
/// The renewal authorization's description, prefilled.
pub fn renewal_description(agreement: &str) -> String {
    format!("Renews {agreement}")
}

// Field labels.
pub const OPPORTUNITY: &str = "Opportunity";
pub const NAME: &str = "Name";
pub const BUYER_ACCOUNT: &str = "Buyer account";
pub const MARKUP: &str = "Markup %";
pub const EXPIRES_ON: &str = "Expires on";
pub const DESCRIPTION: &str = "Description";
pub const DURATION: &str = "Duration";
pub fn quantity(dimension: &str) -> String {
    format!("Quantity {dimension}")
}
pub const PARTNER: &str = "Partner";
pub const PRODUCT: &str = "Product";
pub const KIND: &str = "Kind";
pub const CURRENCY: &str = "Currency";
pub const DISCOUNT: &str = "Discount %";
pub fn wholesale(dimension: &str) -> String {
    format!("Wholesale {dimension}")
}
pub const ENDS_ON: &str = "Ends on";
pub const AGREEMENT_ENDS: &str = "Agreement ends";
pub const BUYERS: &str = "Buyers";
pub const RENEWAL: &str = "Renewal";
pub const GRANTS: &str = "Grants";
pub const NEW_EXPIRY: &str = "New expiry";
pub const NEW_END_DATE: &str = "New end date";
pub const FINANCIER: &str = "Financier";
pub const FINANCIER_HINT: &str = "the financier's name, 1-100 characters";
pub const MONTHS: &str = "Months";
pub const MONTHS_HINT: &str = "repayment months, 1-60";
pub const FINANCING_STATUS: &str = "Status";
pub const ACCOUNT_ID: &str = "Account id";
pub const LEGAL_NAME: &str = "Legal name";
pub const ISV: &str = "ISV";
pub const DISTRIBUTOR: &str = "Distributor";
pub const BUYER: &str = "Buyer";

// Field hints, under the focused field.
/// Every choice field's.
pub const CHOICE_HINT: &str = "← → to choose, or type to search the list";
pub fn name_hint(max: usize) -> String {
    format!("1-{max} characters")
}
pub const BUYER_HINT: &str = "12 digits, or type a name (Ctrl-p lists them); required to release";
pub const ONE_TIME_BUYER_HINT: &str = "the one-time opportunity's buyer";
/// The renewal's buyer, when the ISV does not see the agreement's (a recurring deal's).
pub const RENEWAL_BUYER_HINT: &str = "the agreement's buyer (not shown to you on a recurring deal): ask the partner";
pub const REPLACED_BUYER_HINT: &str = "the agreement's buyer: a replacement offer keeps it";
/// The new agreement's end date, beside the old one's.
pub fn agreement_ends_hint(old_end: Option<NaiveDate>) -> String {
    match old_end {
        Some(d) => format!("YYYY-MM-DD, the new agreement's end (the old one ends {d}); blank: the offer's duration"),
        None => {
            "YYYY-MM-DD, the new agreement's end (the old one is pay-as-you-go); blank: the offer's duration".into()
        }
    }
}
/// The new agreement's end date, editing a draft replacement offer.
pub const AGREEMENT_ENDS_EDIT_HINT: &str = "YYYY-MM-DD, the new agreement's end; blank: the offer's duration";
/// The buyer of an offer from an opportunity for named buyers.
pub fn one_of_buyers(ids: &str) -> String {
    format!("one of {ids} (type a name or Ctrl-p to pick)")
}
pub const MARKUP_HINT: &str = "0 or more, up to 9 decimals";
pub const EXPIRES_HINT: &str = "YYYY-MM-DD; the buyer may accept until then";
pub const DATE_HINT: &str = "YYYY-MM-DD";
pub const OFFER_DESCRIPTION_HINT: &str = "optional, never shown to the buyer";
/// A quantity's: its wholesale unit price for the duration chosen.
pub fn wholesale_hint(price: &str) -> String {
    format!("wholesale {price}")
}
/// The grants field's hint: what a grant does to the other prices.
pub const GRANTS_HINT: &str = "units the installment plan grants, KEY=UNITS comma-separated (contract dimensions): \
                               they cost 0 and the schedule carries the value, so a discount or prices apply to usage \
                               dimensions only";
pub const DISCOUNT_HINT: &str = "off every list price; blank: a price per dimension";
pub const ENDS_ON_HINT: &str = "YYYY-MM-DD; blank: indefinite (recurring only)";
pub const BUYERS_HINT: &str = "account ids, comma-separated (type a name or Ctrl-p to add one); one-time: exactly one";
pub const RENEWAL_HINT: &str = "Space: the buyer renews an existing agreement";
pub const OPPORTUNITY_DESCRIPTION_HINT: &str = "optional, never shown to buyers";
/// A dimension's wholesale price field: `list 1.50 per user`.
pub fn list_per_unit(list: &str, unit: &str) -> String {
    format!("list {list} per {unit}")
}
/// A new expiry must follow the current one (`None`: the offer has none).
/// Under an extension's date, before anything is typed: what it is now and what it may be.
pub fn extension_hint(current: Option<NaiveDate>, range: crate::domain::clock::DateRange) -> String {
    let now = current.map_or_else(|| "none".into(), |d| d.to_string());
    match range.until {
        _ if range.is_empty() => format!("YYYY-MM-DD; now {now}: no later day is allowed"),
        Some(until) => format!("YYYY-MM-DD; now {now}: pick {} to {until}", range.from),
        None => format!("YYYY-MM-DD; now {now}: pick {} or later", range.from),
    }
}
pub const ACCOUNT_ID_HINT: &str = "12 digits, or as the AWS console shows them: 1234-5678-9012";
pub const LEGAL_NAME_HINT: &str = "1-255 characters";
pub const ISV_HINT: &str = "Space: sells products, grants opportunities";
pub const PARTNER_HINT: &str = "Space: resells through private offers";
pub const DISTRIBUTOR_HINT: &str = "Space: the partner is a distributor";
pub const BUYER_ROLE_HINT: &str = "Space: accepts offers";

// What a field shows.
/// A choice with no option.
pub const NONE: &str = "(none)";
/// After a field the form filled and keeps (a one-time opportunity's buyer).
pub const LOCKED: &str = "  (locked)";

// Errors beside a field.
pub const NO_PARTNER: &str = "no partner account exists yet: add one on the Partners tab (n)";
pub const NO_PRODUCT: &str = "you list no product yet: add one with `cppo products add`";
pub const NO_OPPORTUNITY: &str = "no opportunity can take an offer now";
pub const PRICED_BY_PLAN: &str = "the installment plan prices it (0, the schedule carries the value): leave it blank";

/// What a field is called inside the domain's error about it (`name must be ...`).
pub mod in_errors {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const LEGAL_NAME: &str = "legal name";
    pub const EXPIRY: &str = "expiry";
    pub const END_DATE: &str = "end date";
}

// The form's message line.
pub const FIX_FIELDS: &str = "Fix the fields marked in red first.";
pub fn cant_save(reason: &str) -> String {
    format!("Can't save: {reason}")
}
/// The record changed under the form: it cannot be saved as it was read.
pub fn cant_save_stale(reason: &str) -> String {
    format!("Can't save: {reason} (Esc closes the form; the rows are read again)")
}
pub const INCOMPLETE: &str = "Some fields are incomplete.";
pub const NO_LIST: &str = "This field has no list to pick from: type its value.";
/// Asked before saving an offer whose markup more than doubles the wholesale.
pub fn large_markup(pct: &str) -> String {
    format!("A markup of {pct}%: the buyer pays over twice the wholesale. Save anyway?")
}

// The picker a field opens (Ctrl-p).
/// `label`: the field's label, as it reads in a sentence.
pub fn pick_the(label: &str) -> String {
    format!("Pick the {}", label.to_lowercase())
}
/// Beside a buyer the opportunity names.
pub const ALLOWED_BY_OPPORTUNITY: &str = "allowed by the opportunity";

// The panel beside the offer form: the opportunity's terms, then the price.
pub const OPPORTUNITY_TERMS: &str = "Opportunity terms";
pub const TERM_KIND: &str = "Kind";
pub const TERM_BUYERS: &str = "Buyers";
pub const TERM_DISCOUNT: &str = "Discount";
pub const TERM_DURATION: &str = "Duration";
pub const TERM_ENDS_ON: &str = "Ends on";
pub const PRICE_PER_DIMENSION: &str = "a wholesale price per dimension";
/// Durations the opportunity offers, in words: `12 months or 24 months: the offer picks one`.
pub fn durations_to_pick(durations: &[String]) -> String {
    format!("{}: the offer picks one", durations.join(" or "))
}
pub fn ends_by(d: NaiveDate) -> String {
    format!("{d} (the offer expires by then)")
}
pub const PRICE_BREAKDOWN: &str = "Price breakdown";
/// Under the offer form's price pane when its lines do not all fit: `before` lines are
/// scrolled past, `after` are still below; `down` and `up` the keys that scroll it.
pub fn panel_more(before: u16, after: u16, down: &str, up: &str) -> String {
    let lines = |n: u16| if n == 1 { "1 more line".to_owned() } else { format!("{n} more lines") };
    match (before, after) {
        (0, b) => format!(" {}: {down} scrolls ", lines(b)),
        (_, 0) => format!(" {up} scrolls back "),
        (_, b) => format!(" {}: {down} / {up} scroll ", lines(b)),
    }
}
/// Above a form's field list scrolled down: how many fields it hides.
pub fn fields_above(n: usize) -> String {
    if n == 1 { "↑ 1 more field above".to_owned() } else { format!("↑ {n} more fields above") }
}
/// Under a form's field list that goes on: how many fields lie below.
pub fn fields_below(n: usize) -> String {
    if n == 1 { "↓ 1 more field below".to_owned() } else { format!("↓ {n} more fields below") }
}
pub const FILL_IN: &str = "Fill in the fields to see the prices.";
pub const CANT_OFFER: &str = "Can't be offered as typed:";
/// Under a dimension's buyer total: `  10 x buyer 1.65 (list 2.00, wholesale 1.50)`.
pub fn line_prices(quantity: u64, buyer: &str, list: &str, wholesale: &str) -> String {
    format!("  {quantity} x buyer {buyer} (list {list}, wholesale {wholesale})")
}
pub fn totals_unknown() -> String {
    format!("Totals: {}", crate::market::words::NO_QUANTITIES)
}
/// Under the offer form's totals while no quantity is typed.
pub const TYPE_A_QUANTITY: &str = "Type a quantity to price the offer.";
pub const LIST_TOTAL: &str = "List";
pub const LIST_UNKNOWN: &str = "List: unknown (the product's list price is not known)";
pub const WHOLESALE_TOTAL: &str = "Wholesale";
pub fn markup_row(pct: &str) -> String {
    format!("Markup {pct}%")
}
pub const BUYER_PAYS: &str = "Buyer pays";
pub fn listing_fee_row(pct: &str) -> String {
    format!("Listing fee {pct}%")
}
pub const ISV_RECEIVES: &str = "ISV receives";
pub const PARTNER_RECEIVES: &str = "Partner receives";
pub const CHARGES: &str = "Charges";

// The panel beside the opportunity form.
pub const WHOLESALE_PER_DIMENSION: &str = "Wholesale per dimension";
pub const SAVED_AS_DRAFT: &str = "Saved as a Draft: the partner sees it once you release it (r).";
