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

/// A contract duration such as `P12M` (AWS ISO-8601), kept in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    pub months: u32,
}

impl Duration {
    pub const P12M: Duration = Duration { months: 12 };

    /// Accepts `PnM` and `PnY`, 1 to 60 months (AWS's longest contract).
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || {
            RuleError::validation(format!("`{}` is not a contract duration: use P1M to P60M, or P1Y to P5Y", s.trim()))
        };
        let body = t.strip_prefix('P').ok_or_else(bad)?;
        let (n, unit) = body.split_at(body.len().saturating_sub(1));
        let n: u32 = if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && n.len() <= 3 {
            n.parse().map_err(|_| bad())?
        } else {
            return Err(bad());
        };
        let months = match unit {
            "M" => n,
            "Y" => n * 12,
            _ => return Err(bad()),
        };
        if !(1..=60).contains(&months) {
            return Err(bad());
        }
        Ok(Self { months })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}M", self.months)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    /// `^[A-Za-z0-9_.-]{1,100}$`
    pub key: String,
    pub name: String,
    pub unit: String,
    pub pricing: PricingModel,
    /// List price per unit, read in the currency of the opportunity that resells it.
    pub list_price: Decimal,
}

impl Dimension {
    pub fn new(
        key: &str,
        name: &str,
        unit: &str,
        pricing: PricingModel,
        list_price: Decimal,
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
        Self::new(key, key, unit, pricing, price)
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
    fn durations_read_months_and_years() {
        assert_eq!(Duration::parse("P12M").unwrap().months, 12);
        assert_eq!(Duration::parse("p3y").unwrap().months, 36);
        for bad in ["12M", "P0M", "P61M", "PM", "P12D", "P-1M", ""] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Duration::parse("P2Y").unwrap().to_string(), "P24M");
    }

    #[test]
    fn dimension_specs_parse_and_refuse_clearly() {
        let d = Dimension::parse_spec("users:user:1000.00").unwrap();
        assert_eq!((d.key.as_str(), d.unit.as_str(), d.list_price), ("users", "user", dec!(1000.00)));
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
