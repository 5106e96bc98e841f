//! Products and their priced dimensions, owned by one ISV.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::account::validate_text;
use super::error::RuleError;
use super::ids::{AccountId, ProductId};
use super::money::parse_unit_price;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    Saas,
    Ami,
    Container,
    #[serde(rename = "services")]
    ProfessionalServices,
}

impl ProductType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Saas => "saas",
            Self::Ami => "ami",
            Self::Container => "container",
            Self::ProfessionalServices => "services",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Saas => "SaaS",
            Self::Ami => "AMI",
            Self::Container => "Container",
            Self::ProfessionalServices => "Professional services",
        }
    }
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "saas" => Ok(Self::Saas),
            "ami" => Ok(Self::Ami),
            "container" => Ok(Self::Container),
            "services" | "professional_services" | "professional-services" => Ok(Self::ProfessionalServices),
            other => Err(RuleError::validation(format!(
                "`{other}` is not a product type: use saas, ami, container or services"
            ))),
        }
    }
}

/// How a dimension's list price reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingModel {
    /// Per unit for the whole contract duration (e.g. per user for P12M).
    Contract,
    /// Per unit of usage (USD only, up to 8 decimals).
    Usage,
}

impl PricingModel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contract => "contract",
            Self::Usage => "usage",
        }
    }
}

/// The most units of one dimension an offer may carry, or an installment plan grant.
pub const MAX_QUANTITY: u64 = 10_000_000;

/// A contract duration in AWS's ISO-8601 form `P#Y#M#D` (`P12M`, `P1Y6M`, `P450D`), kept
/// as written: `P1Y` and `P12M` are the same length but not the same term on AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

impl Duration {
    pub const P12M: Duration = Duration { years: 0, months: 12, days: 0 };
    /// AWS's longest contract: 60 months (or 1,826 days).
    const MAX_DAYS: u32 = 1_826;

    /// Accepts `^P(\d+Y)?(\d+M)?(\d+D)?$` with at least one part, up to five years in all.
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || {
            RuleError::validation(format!(
                "`{}` is not a contract duration: use years, months and days as AWS writes them \
                 (P12M, P1Y6M, P450D), up to five years",
                s.trim()
            ))
        };
        let mut rest = t.strip_prefix('P').ok_or_else(bad)?;
        let mut d = Duration { years: 0, months: 0, days: 0 };
        for (unit, slot) in [('Y', &mut d.years), ('M', &mut d.months), ('D', &mut d.days)] {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && rest[digits..].starts_with(unit) {
                if digits > 4 {
                    return Err(bad());
                }
                *slot = rest[..digits].parse().map_err(|_| bad())?;
                rest = &rest[digits + 1..];
            }
        }
        if !rest.is_empty() || d.approx_days() == 0 || d.approx_days() > Self::MAX_DAYS {
            return Err(bad());
        }
        Ok(d)
    }

    /// The length in days, counting a month as 30.44 days (for limits, never for dates).
    fn approx_days(self) -> u32 {
        let months = self.years * 12 + self.months;
        months * 3044 / 100 + self.days
    }

    /// Whole months, ignoring days (the old file format's `duration_months`).
    pub fn whole_months(self) -> u32 {
        self.years * 12 + self.months
    }

    /// The day `self` after `start`, or `None` past the calendar.
    pub fn after(self, start: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
        start
            .checked_add_months(chrono::Months::new(self.whole_months()))?
            .checked_add_days(chrono::Days::new(u64::from(self.days)))
    }

    /// In words: "12 months", "1 year 6 months", "450 days".
    pub fn words(self) -> String {
        let part = |n: u32, one: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {one}s")),
        };
        [part(self.years, "year"), part(self.months, "month"), part(self.days, "day")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        for (n, unit) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    /// `^[A-Za-z0-9_.-]{1,100}$`
    pub key: String,
    pub name: String,
    pub unit: String,
    pub pricing: PricingModel,
    /// List price per unit, read in the currency of the opportunity that resells it;
    /// `None` when unknown (a product first met in an AWS resale authorization, which
    /// carries wholesale prices only).
    pub list_price: Option<Decimal>,
}

impl Dimension {
    pub fn new(
        key: &str,
        name: &str,
        unit: &str,
        pricing: PricingModel,
        list_price: Option<Decimal>,
    ) -> Result<Self, RuleError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)) {
            return Err(RuleError::validation(format!(
                "`{key}` is not a dimension key: use 1-100 letters, digits, `_`, `.` or `-`"
            )));
        }
        Ok(Self {
            key: key.to_owned(),
            name: validate_text("dimension name", name, 1, 100)?,
            unit: validate_text("dimension unit", unit, 1, 50)?,
            pricing,
            list_price,
        })
    }

    /// Parses the CLI's `KEY:UNIT:LIST_PRICE[:usage]`.
    pub fn parse_spec(spec: &str) -> Result<Self, RuleError> {
        let parts: Vec<&str> = spec.split(':').collect();
        let bad = || {
            RuleError::validation(format!(
                "`{spec}` is not a dimension: use KEY:UNIT:LIST_PRICE, e.g. users:user:1000.00 (add :usage for usage pricing)"
            ))
        };
        let (key, unit, price, pricing) = match parts.as_slice() {
            [k, u, p] => (*k, *u, *p, PricingModel::Contract),
            [k, u, p, m] if m.eq_ignore_ascii_case("usage") => (*k, *u, *p, PricingModel::Usage),
            [k, u, p, m] if m.eq_ignore_ascii_case("contract") => (*k, *u, *p, PricingModel::Contract),
            _ => return Err(bad()),
        };
        let price = parse_unit_price(price, pricing == PricingModel::Usage, &format!("list price of `{key}`"))?;
        Self::new(key, key, unit, pricing, Some(price))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub isv: AccountId,
    pub title: String,
    pub product_type: ProductType,
    /// Contract duration offered for this product (contract pricing).
    pub duration: Duration,
    pub dimensions: Vec<Dimension>,
}

impl Product {
    pub fn new(
        id: ProductId,
        isv: AccountId,
        title: &str,
        product_type: ProductType,
        duration: Duration,
        dimensions: Vec<Dimension>,
    ) -> Result<Self, RuleError> {
        let title = validate_text("product name", title, 1, 255)?;
        if dimensions.is_empty() {
            return Err(RuleError::validation(
                "a product needs at least one dimension: --dimension KEY:UNIT:LIST_PRICE",
            ));
        }
        if dimensions.len() > 200 {
            return Err(RuleError::validation("a product has at most 200 dimensions"));
        }
        for (i, d) in dimensions.iter().enumerate() {
            if dimensions[..i].iter().any(|e| e.key == d.key) {
                return Err(RuleError::validation(format!("dimension `{}` is listed twice", d.key)));
            }
        }
        Ok(Self { id, isv, title, product_type, duration, dimensions })
    }

    pub fn dimension(&self, key: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn durations_read_years_months_and_days_as_aws_writes_them() {
        assert_eq!(Duration::parse("P12M").unwrap(), Duration::P12M);
        assert_eq!(Duration::parse("p3y").unwrap().whole_months(), 36);
        for (s, words) in
            [("P450D", "450 days"), ("P1Y6M", "1 year 6 months"), ("P2Y", "2 years"), ("P1M1D", "1 month 1 day")]
        {
            let d = Duration::parse(s).unwrap();
            assert_eq!(d.to_string(), s, "kept as written");
            assert_eq!(d.words(), words);
        }
        for bad in ["12M", "P0M", "P61M", "P6Y", "PM", "P", "P1827D", "P12D3M", "P-1M", "P1.5Y", "P12MX", "P12345D", ""]
        {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(Duration::parse("P1M1D").unwrap().after(start), chrono::NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(Duration::parse("P450D").unwrap().after(start), chrono::NaiveDate::from_ymd_opt(2027, 4, 26));
    }

    #[test]
    fn dimension_specs_parse_and_refuse_clearly() {
        let d = Dimension::parse_spec("users:user:1000.00").unwrap();
        assert_eq!((d.key.as_str(), d.unit.as_str(), d.list_price), ("users", "user", Some(dec!(1000.00))));
        let u = Dimension::parse_spec("api_calls:call:0.00012345:usage").unwrap();
        assert_eq!(u.pricing, PricingModel::Usage);
        assert!(Dimension::parse_spec("users:user").unwrap_err().message.contains("KEY:UNIT:LIST_PRICE"));
        assert!(Dimension::parse_spec("bad key:user:1").is_err());
        assert!(Dimension::parse_spec("users:user:1e3").unwrap_err().message.contains("not a number"));
    }

    #[test]
    fn a_product_refuses_duplicate_dimensions() {
        let d = Dimension::parse_spec("users:user:10").unwrap();
        let err = Product::new(
            ProductId::generate(),
            AccountId::parse("111111111111").unwrap(),
            "Acme",
            ProductType::Saas,
            Duration::P12M,
            vec![d.clone(), d],
        )
        .unwrap_err();
        assert!(err.message.contains("twice"));
    }
}
