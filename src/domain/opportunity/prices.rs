//! An opportunity's wholesale prices: one per dimension, from the ISV's terms (a discount
//! off every list price, or a price per dimension) and the rules each price obeys, given or
//! imported. The opportunity calls these; they know the product, not the opportunity.

use rust_decimal::Decimal;

use crate::domain::error::{ErrorCode, RuleError};
use crate::domain::money::{UNIT_PRICE_DIGITS, USAGE_PRICE_DIGITS};
use crate::domain::product::{Dimension, PricingModel, Product};
use crate::domain::unit_price::wholesale_unit;

/// The wholesale price of one dimension, stored as an absolute amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholesalePrice {
    pub dimension: String,
    pub pricing: PricingModel,
    /// `None` when the product's list price is unknown.
    pub list_price: Option<Decimal>,
    pub wholesale_price: Decimal,
    /// The units a fixed upfront price grants (AWS's `Grants`, imported with an installment
    /// plan): every offer buys exactly these, paid by the schedule. `None`: the partner plans
    /// the quantity.
    pub granted_units: Option<u64>,
}

/// How the ISV states wholesale prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WholesaleTerms {
    /// A discount off every list price, in percent.
    Discount(Decimal),
    /// An explicit wholesale price per dimension key.
    Prices(Vec<(String, Decimal)>),
}

/// The wholesale prices `terms` give `product`'s dimensions; with `granted` (an installment
/// plan that grants units), its usage dimensions only: the grants price the contract ones.
pub(super) fn wholesale_prices(
    product: &Product,
    terms: &WholesaleTerms,
    granted: bool,
) -> Result<(Option<Decimal>, Vec<WholesalePrice>), RuleError> {
    let priced = |d: &&Dimension| !granted || d.pricing == PricingModel::Usage;
    match terms {
        WholesaleTerms::Discount(pct) => {
            if *pct < Decimal::ZERO || *pct > Decimal::ONE_HUNDRED {
                return Err(RuleError::validation(format!("discount {pct}% must be between 0 and 100")));
            }
            let prices: Vec<WholesalePrice> = product
                .dimensions
                .iter()
                .filter(priced)
                .map(|d| {
                    let list = d.list_price.ok_or_else(|| {
                        RuleError::new(
                            ErrorCode::MissingMandatoryTerms,
                            format!(
                                "the list price of `{}` is unknown, so a discount cannot price it: give its wholesale \
                                 price (--price {}=AMOUNT)",
                                d.key, d.key
                            ),
                        )
                    })?;
                    Ok(WholesalePrice {
                        dimension: d.key.clone(),
                        pricing: d.pricing,
                        list_price: Some(list),
                        wholesale_price: wholesale_unit(list, *pct, d.pricing),
                        granted_units: None,
                    })
                })
                .collect::<Result<_, RuleError>>()?;
            // A discount that prices nothing (every dimension granted) is not kept.
            Ok((if prices.is_empty() { None } else { Some(pct.normalize()) }, prices))
        }
        WholesaleTerms::Prices(given) => {
            for (k, _) in given {
                if granted && product.dimension(k).is_some_and(|d| d.pricing == PricingModel::Contract) {
                    return Err(RuleError::new(
                        ErrorCode::IncompatiblePricingTerm,
                        format!(
                            "`{k}` is priced by the installment plan (its granted units cost 0, the schedule carries \
                             the value): give prices for usage dimensions only"
                        ),
                    ));
                }
                if product.dimension(k).is_none() {
                    let keys: Vec<&str> = product.dimensions.iter().map(|d| d.key.as_str()).collect();
                    return Err(RuleError::validation(format!(
                        "{} has no dimension `{k}`: its dimensions are {}",
                        product.id,
                        keys.join(", ")
                    )));
                }
            }
            let mut prices = Vec::with_capacity(product.dimensions.len());
            for d in product.dimensions.iter().filter(priced) {
                let mut matching = given.iter().filter(|(k, _)| *k == d.key);
                let Some((_, price)) = matching.next() else {
                    return Err(RuleError::new(
                        ErrorCode::MissingMandatoryTerms,
                        format!("no wholesale price for `{}`: give --price {}=AMOUNT or a --discount", d.key, d.key),
                    ));
                };
                if matching.next().is_some() {
                    return Err(RuleError::validation(format!("`{}` is priced twice", d.key)));
                }
                check_price(d, *price)?;
                prices.push(WholesalePrice {
                    dimension: d.key.clone(),
                    pricing: d.pricing,
                    list_price: d.list_price,
                    wholesale_price: *price,
                    granted_units: None,
                });
            }
            Ok((None, prices))
        }
    }
}

/// A wholesale price of dimension `d`, given or imported: not negative, not above its list
/// price (when known), and no more decimals than its pricing keeps.
pub(super) fn check_price(d: &Dimension, price: Decimal) -> Result<(), RuleError> {
    if price < Decimal::ZERO {
        return Err(RuleError::validation(format!("the wholesale price of `{}` is negative", d.key)));
    }
    if let Some(list) = d.list_price
        && price > list
    {
        return Err(RuleError::new(
            ErrorCode::IncompatiblePricingTerm,
            format!("wholesale {price} for `{}` is above its list price {list}", d.key),
        ));
    }
    let digits = match d.pricing {
        PricingModel::Contract => UNIT_PRICE_DIGITS,
        PricingModel::Usage => USAGE_PRICE_DIGITS,
    };
    if price.normalize().scale() > digits {
        return Err(RuleError::validation(format!("wholesale for `{}` has more than {digits} decimals", d.key)));
    }
    Ok(())
}
