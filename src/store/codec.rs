//! Conversions between domain values and their exact column forms.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::StoreError;
use crate::domain::money::{Currency, UNIT_PRICE_STORE_DIGITS};

/// Stands for "no date" in dated columns, so they sort and compare without NULLs.
pub const NO_DATE: &str = "9999-12-31";

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| NO_DATE.to_owned(), date)
}

pub fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("date `{s}`")))
}

pub fn parse_opt_date(s: &str) -> Result<Option<NaiveDate>, StoreError> {
    if s == NO_DATE { Ok(None) } else { parse_date(s).map(Some) }
}

/// A fixed-width UTC timestamp that sorts as text.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A timestamp column (RFC 3339) read back in UTC.
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("timestamp `{s}`")))
}

/// A unit price as INTEGER hundred-millionths.
pub fn price_e8(d: Decimal) -> i64 {
    let mut x = d;
    x.rescale(UNIT_PRICE_STORE_DIGITS);
    i64::try_from(x.mantissa()).expect("unit prices are bounded by the domain")
}

pub fn from_e8(v: i64) -> Decimal {
    Decimal::new(v, UNIT_PRICE_STORE_DIGITS).normalize()
}

pub fn currency(s: &str) -> Result<Currency, StoreError> {
    Currency::parse(s).map_err(|_| StoreError::Corrupt(format!("currency `{s}`")))
}

pub fn decimal(s: &str) -> Result<Decimal, StoreError> {
    s.parse::<Decimal>().map_err(|_| StoreError::Corrupt(format!("number `{s}`")))
}

/// Parses an id column with the domain's parser.
pub fn id<T>(s: String, parse: fn(&str) -> Result<T, crate::domain::RuleError>) -> Result<T, StoreError> {
    parse(&s).map_err(|_| StoreError::Corrupt(format!("id `{s}`")))
}

/// Carries a decoding error out of a rusqlite row closure.
pub fn bad(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// Shorthands for row closures: decode a column with a fallible codec.
pub trait RowExt {
    fn str(&self, col: &str) -> rusqlite::Result<String>;
    fn date(&self, col: &str) -> rusqlite::Result<NaiveDate>;
    fn opt_date(&self, col: &str) -> rusqlite::Result<Option<NaiveDate>>;
    fn currency(&self, col: &str) -> rusqlite::Result<Currency>;
    fn decimal(&self, col: &str) -> rusqlite::Result<Decimal>;
    fn account(&self, col: &str) -> rusqlite::Result<crate::domain::AccountId>;
}

impl RowExt for rusqlite::Row<'_> {
    fn str(&self, col: &str) -> rusqlite::Result<String> {
        self.get(col)
    }
    fn date(&self, col: &str) -> rusqlite::Result<NaiveDate> {
        parse_date(&self.str(col)?).map_err(bad)
    }
    fn opt_date(&self, col: &str) -> rusqlite::Result<Option<NaiveDate>> {
        parse_opt_date(&self.str(col)?).map_err(bad)
    }
    fn currency(&self, col: &str) -> rusqlite::Result<Currency> {
        currency(&self.str(col)?).map_err(bad)
    }
    fn decimal(&self, col: &str) -> rusqlite::Result<Decimal> {
        decimal(&self.str(col)?).map_err(bad)
    }
    fn account(&self, col: &str) -> rusqlite::Result<crate::domain::AccountId> {
        id(self.str(col)?, crate::domain::AccountId::parse).map_err(bad)
    }
}

/// A duration column (`P12M`, `P450D`).
pub fn duration(s: &str) -> super::StoreResult<crate::domain::product::Duration> {
    crate::domain::product::Duration::parse(s).map_err(|_| StoreError::Corrupt(format!("duration `{s}`")))
}
