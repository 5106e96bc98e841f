//! Text a person types, turned into offer and opportunity terms: the one parser the CLI's
//! flags and the TUI's forms share. Each field's parser refuses with a [`FieldError`] that
//! names the field; the CLI puts its flag before the message (`--quantity users=x: ...`), a
//! form shows the message beside the field. Every limit a single field carries (the
//! quantity cap, the decimals of a price or a markup, a storable date) is applied here, so
//! both front ends refuse the same text the same way.
//!
//! Owns the grammar of each field only. Rules that weigh several fields or records (buyer
//! targeting, a grant on a contract dimension, an expiry within the opportunity) stay with
//! the domain's records and run on the parsed terms.

mod terms;

pub use terms::{OfferText, OpportunityText};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::clock::parse_date;
use crate::domain::error::RuleError;
use crate::domain::ids::AccountId;
use crate::domain::money::{Currency, parse_amount, parse_discount_pct, parse_markup_pct, parse_unit_price};
use crate::domain::offer::MAX_QUANTITY;
use crate::domain::product::Duration;

/// A field of the terms, as the CLI's flag and the form's field both name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The offer's one buyer account.
    Buyer,
    Markup,
    /// The offer's expiry, or a new one for a released offer.
    Expires,
    /// The units of one contract dimension (its key; empty when the entry named none).
    Quantity(String),
    /// One of the opportunity's durations.
    Duration,
    Partner,
    /// The accounts an opportunity targets.
    Buyers,
    Currency,
    Discount,
    /// The wholesale price of one dimension (its key; empty when the entry named none).
    Price(String),
    /// The opportunity's availability end date.
    EndsOn,
    /// A replacement offer's end date for the agreement it makes.
    AgreementEndsOn,
    /// One dated charge of an installment schedule.
    Installment,
    Grants,
    /// The months a buyer repays its financier over.
    Months,
    /// The financier's name.
    Provider,
}

/// A field's text did not parse: which field, the entry as typed when the field is one of
/// several `KEY=VALUE` entries, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: Field,
    /// The whole `KEY=VALUE` entry of a repeated flag (`users=x`), for the CLI to quote.
    pub entry: Option<String>,
    pub message: String,
}

impl FieldError {
    fn new(field: Field, message: impl Into<String>) -> Self {
        Self { field, entry: None, message: message.into() }
    }
    fn rule(field: Field) -> impl FnOnce(RuleError) -> Self {
        move |e| Self::new(field, e.message)
    }
    fn at(mut self, entry: &Entry) -> Self {
        if let Entry::Pair(text) = entry {
            self.entry = Some(text.clone());
        }
        self
    }
}

/// One `KEY=VALUE` entry: a repeated flag's whole text (`users=100`), or a form field's key
/// and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Pair(String),
    Keyed(String, String),
}

impl Entry {
    /// The key and the value (trimmed); a pair needs both, `shape` says how to write it.
    fn split(&self, field: impl Fn(&str) -> Field, shape: &str) -> Result<(&str, &str), FieldError> {
        match self {
            Entry::Keyed(k, v) => Ok((k.trim(), v.trim())),
            Entry::Pair(text) => text
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| {
                    let key = text.split_once('=').map_or("", |(k, _)| k.trim());
                    FieldError::new(field(key), format!("use {shape}")).at(self)
                }),
        }
    }
}

/// A markup in percent (`10`, `10%`).
pub fn markup(text: &str) -> Result<Decimal, FieldError> {
    parse_markup_pct(text).map_err(FieldError::rule(Field::Markup))
}

/// A discount in percent (`20`, `12.5%`).
pub fn discount(text: &str) -> Result<Decimal, FieldError> {
    parse_discount_pct(text).map_err(FieldError::rule(Field::Discount))
}

/// The wholesale price of dimension `key`.
pub fn price(key: &str, text: &str) -> Result<Decimal, FieldError> {
    parse_unit_price(text, true, &format!("wholesale price of `{key}`"))
        .map_err(FieldError::rule(Field::Price(key.into())))
}

/// `KEY=AMOUNT`: a dimension's wholesale price.
pub fn price_entry(entry: &Entry) -> Result<(String, Decimal), FieldError> {
    let (k, v) = entry.split(|k| Field::Price(k.into()), "KEY=AMOUNT")?;
    Ok((k.to_owned(), price(k, v).map_err(|e| e.at(entry))?))
}

/// A calendar date (`YYYY-MM-DD`) for `field`.
pub fn date(field: Field, text: &str) -> Result<NaiveDate, FieldError> {
    parse_date(text).map_err(|m| FieldError::new(field, m))
}

/// The units of dimension `key`: a whole number, at most [`MAX_QUANTITY`]. A form's blank
/// quantity field plans none (0).
pub fn quantity(key: &str, text: &str) -> Result<u64, FieldError> {
    let t = text.trim();
    let field = || Field::Quantity(key.into());
    if t.is_empty() {
        return Ok(0);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(field(), format!("`{t}` is not a whole number of units")));
    }
    match t.parse::<u64>() {
        Ok(n) if n <= MAX_QUANTITY => Ok(n),
        // Digits too many for a u64 are too large as well, not "not a number".
        _ => Err(FieldError::new(field(), format!("`{t}` is too large: at most {MAX_QUANTITY} units"))),
    }
}

/// `KEY=N`: the units of one dimension.
pub fn quantity_entry(entry: &Entry) -> Result<(String, u64), FieldError> {
    let (k, n) = entry.split(|k| Field::Quantity(k.into()), "KEY=N")?;
    Ok((k.to_owned(), quantity(k, n).map_err(|e| e.at(entry))?))
}

/// `DATE=AMOUNT`: one charge of an installment schedule, in `currency`.
pub fn installment(entry: &Entry, currency: Currency) -> Result<(NaiveDate, Decimal), FieldError> {
    let (d, a) = entry.split(|_| Field::Installment, "DATE=AMOUNT")?;
    let date = date(Field::Installment, d).map_err(|e| e.at(entry))?;
    let amount = parse_amount(a, currency, "installment").map_err(|e| FieldError::new(Field::Installment, e.message));
    Ok((date, amount.map_err(|e| e.at(entry))?.amount()))
}

/// Grants as people type them: `KEY=UNITS` entries, comma-separated (`users=50, admins=2`):
/// one `--grant` of the CLI, or the form's field. Blank: none. Which dimensions may be
/// granted, and how many units, is the grant rule's ([`super::opportunity::grants`]).
pub fn grants(text: &str) -> Result<Vec<(String, u64)>, FieldError> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let bad =
                || FieldError::new(Field::Grants, format!("`{entry}` is not a grant: use KEY=UNITS, e.g. users=50"));
            let (key, units) = entry.split_once('=').ok_or_else(bad)?;
            let (key, units) = (key.trim(), units.trim());
            if key.is_empty() || units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let units = units.parse::<u64>().map_err(|_| {
                FieldError::new(Field::Grants, format!("`{key}` granted {units} units: grant 1 to {MAX_QUANTITY}"))
            })?;
            Ok((key.to_owned(), units))
        })
        .collect()
}

/// An AWS account id for `field`.
pub fn account(field: Field, text: &str) -> Result<AccountId, FieldError> {
    AccountId::parse(text).map_err(FieldError::rule(field))
}

/// Buyer accounts, separated by commas or spaces (one `--buyer` may list several). Three
/// groups of four digits in a row are one id as the console shows it (`1234 5678 9012`).
pub fn buyers(text: &str) -> Result<Vec<AccountId>, FieldError> {
    let words: Vec<&str> = text.split([',', ' ']).filter(|s| !s.is_empty()).collect();
    let group = |w: &&str| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    let mut ids = Vec::new();
    let mut rest = words.as_slice();
    while let Some(first) = rest.first() {
        let grouped = rest.len() >= 3 && rest[..3].iter().all(group);
        let taken = if grouped { rest[..3].join(" ") } else { (*first).to_owned() };
        ids.push(account(Field::Buyers, &taken)?);
        rest = &rest[if grouped { 3 } else { 1 }..];
    }
    Ok(ids)
}

/// Repayment months: a whole number, 1 to [`MAX_MONTHS`](crate::domain::financing::MAX_MONTHS).
pub fn months(text: &str) -> Result<u32, FieldError> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(Field::Months, format!("`{t}` is not a whole number of months")));
    }
    let n = t.parse::<u32>().unwrap_or(u32::MAX);
    crate::domain::financing::check_months(n).map_err(FieldError::rule(Field::Months))?;
    Ok(n)
}

/// A financier's name: one line of 1 to 100 characters, trimmed.
pub fn provider(text: &str) -> Result<String, FieldError> {
    let req = crate::domain::FinancingRequest {
        provider: text.into(),
        months: 1,
        status: crate::domain::FinancingStatus::Offered,
    };
    req.check().map_err(FieldError::rule(Field::Provider))?;
    Ok(text.trim().to_owned())
}

/// A currency code.
pub fn currency(text: &str) -> Result<Currency, FieldError> {
    Currency::parse(text).map_err(FieldError::rule(Field::Currency))
}

/// A contract duration (`P12M`).
pub fn duration(text: &str) -> Result<Duration, FieldError> {
    Duration::parse(text).map_err(FieldError::rule(Field::Duration))
}

/// Gathers every field's error while the terms are read, so that a form marks each field at
/// once and the CLI reports the first.
#[derive(Debug, Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
    fn take_all<T>(&mut self, rs: impl IntoIterator<Item = Result<T, FieldError>>) -> Option<Vec<T>> {
        let before = self.0.len();
        let ok: Vec<T> = rs.into_iter().filter_map(|r| self.take(r)).collect();
        (self.0.len() == before).then_some(ok)
    }
}

#[cfg(test)]
mod tests;
