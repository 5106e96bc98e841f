//! The detail pane: its labels, headings and lines, and the charts drawn in it (a partner's
//! months) or in its place (`t`, the coming expiries).

use chrono::NaiveDate;

pub const TITLE: &str = " Detail ";

// Labels, left of a value.
pub const ACCOUNT: &str = "Account";
pub const ROLE: &str = "Role";
pub const AGREEMENTS: &str = "Agreements";
pub const ACCEPTED_VALUE: &str = "Accepted value";
pub const OPPORTUNITY: &str = "Opportunity";
pub const OFFER: &str = "Offer";
pub const STATUS: &str = "Status";
pub const PRODUCT: &str = "Product";
pub const ISV: &str = "ISV";
pub const PARTNER: &str = "Partner";
pub const SELLER_OF_RECORD: &str = "Seller of record";
pub const BUYER: &str = "Buyer";
/// The buyer an ISV of a recurring opportunity is not told (the CLI says the same).
pub const BUYER_NOT_DISCLOSED: &str = crate::market::words::BUYER_NOT_DISCLOSED;
pub const BUYERS: &str = "Buyers";
pub const ALSO_TO: &str = "Also to";
pub const KIND: &str = "Kind";
pub const ENDS_ON: &str = "Ends on";
pub const EXPIRES_ON: &str = "Expires on";
pub const DURATION: &str = "Duration";
pub const DISCOUNT: &str = "Discount";
pub const RENEWAL: &str = "Renewal";
pub const ENDED_BY: &str = "Ended by";
pub const DESCRIPTION: &str = "Description";
pub const SOURCE: &str = "Source";
pub const WHOLESALE_TOTAL: &str = "Wholesale total";
pub const BUYER_TOTAL: &str = "Buyer total";
pub const LISTING_FEE: &str = "Listing fee";
pub const ISV_RECEIVES: &str = "ISV receives";
pub const PARTNER_RECEIVES: &str = "Partner receives";
pub const MARKUP: &str = "Markup";
pub const FEE_RATE: &str = "Fee rate";
/// A replacement offer's agreement to replace, and the end it gives the new agreement.
pub const REPLACES: &str = "Replaces";
pub const AGREEMENT_ENDS: &str = "Agreement ends";
pub fn replaces_value(agreement: &str) -> String {
    format!("{agreement} (accepting makes it Replaced)")
}
/// Detail labels of a change set AWS refused (a FAILED describe-change-set answer).
pub const AWS_REFUSED: &str = "AWS refused";
pub const AWS_PUSH: &str = "Pushing to AWS";
pub const LAST_PUSH: &str = "Last push";
pub const AWS_ERROR: &str = "AWS error";

// Values.
/// An opportunity's kind: `Recurring, USD for 12 months`.
pub fn kind(kind: &str, currency: &str, duration: &str) -> String {
    format!("{kind}, {currency} for {duration}")
}
pub fn product(name: &str, product_type: &str) -> String {
    format!("{name} ({product_type})")
}
pub const CUSTOM_PRICES: &str = "custom wholesale prices";
pub const RENEWAL_YES: &str = "yes (lower listing fee)";
/// A cancelled offer's status, with the day: `Cancelled by the partner on 2026-11-20`.
pub fn cancelled(status: &str, day: NaiveDate) -> String {
    format!("{status} by the partner on {day}")
}
/// A duration in words and in ISO 8601: `12 months (P12M)`.
pub fn duration(words: &str, iso: &str) -> String {
    format!("{words} ({iso})")
}
pub fn percent(pct: &str) -> String {
    format!("{pct}%")
}

// Headings and their lines.
pub const OPPORTUNITIES: &str = "Opportunities";
pub const OFFERS: &str = "Offers";
pub const CHARGES_ON_ACCEPTANCE: &str = "Charges on acceptance";
pub fn due(d: NaiveDate) -> String {
    format!("due {d}")
}
pub fn agreement(id: &str, status: &str, starts: NaiveDate, ends: NaiveDate) -> String {
    format!("Agreement {id} · {status} · {starts} to {ends}")
}
/// The heading of an agreement imported from AWS: AWS's status word, marked as AWS's, and its
/// term (`ends` `None`: pay-as-you-go).
pub fn aws_agreement(id: &str, status: &str, starts: Option<NaiveDate>, ends: Option<NaiveDate>) -> String {
    let starts = starts.map_or_else(String::new, |d| format!("{d} "));
    let ends = ends.map_or_else(|| "pay-as-you-go".to_owned(), |d| format!("to {d}"));
    format!("Agreement {id} · {status} (AWS) · {starts}{ends}")
}
pub const AGREEMENT_VALUE: &str = "value";
pub const UNPAID: &str = "unpaid";
pub fn paid(d: NaiveDate) -> String {
    format!("paid {d}")
}
/// A charge the agreement's replacement cancelled unpaid.
pub fn charge_cancelled(d: NaiveDate) -> String {
    format!("cancelled {d}")
}
/// The links of a replacement, under an agreement's heading.
pub fn replaces_line(agreement: &str) -> String {
    format!("  replaces {agreement}")
}
pub fn replaced_by_line(agreement: &str) -> String {
    format!("  replaced by {agreement}")
}
pub const YOUR_DISBURSEMENTS: &str = "Your disbursements";
/// The sellers' whole view of a funded financing.
pub const PAID_BY_FINANCIER: &str = "  Paid by a financier";
pub fn financed_by(provider: &str) -> String {
    format!("  Financed by {provider} · ")
}
pub fn repay_in(payments: usize) -> String {
    format!("  You repay in {payments} monthly payments:")
}
/// Payments `from` to `to` of a repayment plan (`1-16`, or `24` alone).
pub fn payments(from: usize, to: usize) -> String {
    if from == to { format!("{from}") } else { format!("{from}-{to}") }
}
/// After an ISV's disbursement: ` (after a USD 12.00 listing fee)`.
pub fn after_fee(fee: &str) -> String {
    format!(" (after a {fee} listing fee)")
}
// Price table headers.
pub const QTY: &str = "Qty";
pub const BUYER_PRICE: &str = "Buyer price";
/// A dimension and how it is priced: `users (contract)`.
pub fn dimension(key: &str, pricing: &str) -> String {
    format!("{key} ({pricing})")
}
pub fn granted(units: u64) -> String {
    format!("  {units} units granted")
}
/// A usage dimension's quantity: the buyer pays what is used.
pub const USAGE: &str = "usage";
pub const RATE_CARDS: &str = "Rate cards (wholesale, by duration)";
pub const INSTALLMENTS: &str = "Installments (wholesale)";
pub fn offers_made(n: u32) -> String {
    format!("Offers made ({n})")
}
/// An imported line whose buyer price is not wholesale x markup.
pub fn aws_buyer_price(dimension: &str, aws: &str, computed: &str) -> String {
    format!("  {dimension}: the buyer price is AWS's, {aws}; wholesale x markup gives {computed}")
}
pub fn paid_in_charges(n: usize) -> String {
    format!("  The lines price the whole term; it is paid in {n} charges on the dates listed below.")
}

/// Under the pane when its lines do not all fit; `before` lines are scrolled past, `after`
/// lines are still below.
pub fn more_lines(before: u16, after: u16) -> String {
    let lines = |n: u16| if n == 1 { "1 more line".to_owned() } else { format!("{n} more lines") };
    match (before, after) {
        (0, b) => format!(" {}: J scrolls ", lines(b)),
        (_, 0) => " K scrolls back ".to_owned(),
        (_, b) => format!(" {}: J / K scroll ", lines(b)),
    }
}

// Charts.
pub const OFFERS_PER_MONTH: &str = "Offers made per month ";
/// `span`: `Jan 2026 to Jun 2026`.
pub fn months_span(first: &str, last: &str) -> String {
    format!("{first} to {last}")
}
pub fn offers_made_in(span: &str, all: u64, most: u64) -> String {
    format!("{span}: {all} in all, at most {most} in a month")
}
pub const NO_VALUE_ACCEPTED: &str = "No value accepted in these months";
pub fn value_per_month(currency: &str) -> String {
    format!("Accepted value per month, {currency}")
}
pub const OTHER_CURRENCIES: &str = " (other currencies: see the totals)";
pub fn expiring(total: u64, weeks: usize) -> String {
    format!(" Expiring: {total} Active offers in the next {weeks} weeks (t: the detail again) ")
}
pub const COUNTING: &str = "Counting…";

// An agreement's detail (the Agreements tab).
pub const AGREEMENT: &str = "Agreement";
pub const STARTS_ON: &str = "Starts on";
pub const TOTAL: &str = "Total";
pub const TO_PAY: &str = "Still to pay";
pub const NEXT_CHARGE: &str = "Next charge";
pub const RENEWAL_RADAR: &str = "Renewal";
pub const CHARGES: &str = "Charges";
pub const EVENTS: &str = "Events";
/// The offer an agreement came from, when the viewer may not see it.
pub const OFFER_NOT_SHOWN: &str = "(not shown to you)";
/// An imported agreement's offer that the file does not hold.
pub const OFFER_NOT_IMPORTED: &str = "(offer not imported)";
/// The status line of an agreement imported from AWS: AWS's own word.
pub fn aws_status(word: &str) -> String {
    format!("{word} (AWS)")
}
/// The heading of an imported agreement's payment schedule.
pub const AWS_SCHEDULE: &str = "Payment schedule (AWS bills each on its date)";
/// A charge of AWS's schedule whose date has passed, and one still ahead (the date is
/// beside it).
pub const BILLED: &str = "billed";
pub const SCHEDULED: &str = "scheduled";
/// Why an imported agreement has no keys that change it.
pub const AWS_HOLDS_IT: &str =
    "Imported from AWS: AWS changes it (paid, renewed, ended); import its answer again to see the change.";
/// A charge not paid and past its day.
pub fn overdue(d: NaiveDate) -> String {
    format!("OVERDUE since {d}")
}
/// The next charge: `12,000.00 USD due 2026-03-01`.
pub fn next_charge(amount: &str, d: NaiveDate) -> String {
    format!("{amount} due {d}")
}
pub const NOTHING_DUE: &str = "nothing more to pay";
/// One audit event: `2026-01-02 accept by 222222222222 -> Active`.
pub fn event(at: &str, action: &str, actor: &str, to: Option<&str>) -> String {
    match to {
        Some(to) => format!("  {at}  {action} by {actor} → {to}"),
        None => format!("  {at}  {action} by {actor}"),
    }
}
pub fn value_ending(currency: &str) -> String {
    format!("Value ending per month, {currency} (t: the detail again)")
}
