//! The units an installment plan grants, as AWS sells such a plan: a fixed upfront price of
//! 0 (`ResaleFixedUpfrontPricingTerm` with its `Grants`) whose value the payment schedule
//! carries. An opportunity made in cppo names them the way an imported one holds them: each
//! granted contract dimension at a wholesale price of 0 with its `granted_units`; its other
//! contract dimensions are not sold; usage dimensions keep their prices.
//!
//! Owns the grant rules only; the schedule's own rules (dates, amounts) are the
//! opportunity's.

use super::WholesalePrice;
use crate::domain::error::{ErrorCode, RuleError};
use crate::domain::product::{MAX_QUANTITY, PricingModel, Product};
use rust_decimal::Decimal;

/// The granted prices (in the product's order) that `grants` make, given whether the terms
/// have an installment schedule. Installments on a product with contract dimensions need at
/// least one grant; grants need installments; a grant names a contract dimension of the
/// product once, with 1 unit or more.
pub fn granted_prices(
    product: &Product,
    grants: &[(String, u64)],
    has_installments: bool,
) -> Result<Vec<WholesalePrice>, RuleError> {
    let dims: Vec<(&str, PricingModel)> = product.dimensions.iter().map(|d| (d.key.as_str(), d.pricing)).collect();
    check_grants(product.id.as_str(), &dims, grants, has_installments)?;
    Ok(product
        .dimensions
        .iter()
        .filter_map(|d| {
            let (_, units) = grants.iter().find(|(k, _)| *k == d.key)?;
            Some(WholesalePrice {
                dimension: d.key.clone(),
                pricing: d.pricing,
                list_price: d.list_price,
                wholesale_price: Decimal::ZERO,
                granted_units: Some(*units),
            })
        })
        .collect())
}

/// The grant rules of [`granted_prices`] on a product's `(key, pricing)` dimensions: what the
/// opportunity form judges as the ISV types.
pub fn check_grants(
    product_id: &str,
    dims: &[(&str, PricingModel)],
    grants: &[(String, u64)],
    has_installments: bool,
) -> Result<(), RuleError> {
    let contract: Vec<&str> = dims.iter().filter(|(_, p)| *p == PricingModel::Contract).map(|(k, _)| *k).collect();
    if grants.is_empty() {
        if has_installments && !contract.is_empty() {
            return Err(RuleError::new(
                ErrorCode::MissingMandatoryTerms,
                format!(
                    "an installment plan grants the units its schedule pays for, as AWS sells it: grant at least one \
                     of {} (--grant KEY=UNITS)",
                    contract.join(", ")
                ),
            ));
        }
        return Ok(());
    }
    if !has_installments {
        return Err(RuleError::new(
            ErrorCode::IncompatiblePricingTerm,
            "granted units are paid by an installment schedule: add the installments, or drop the grants",
        ));
    }
    for (i, (key, units)) in grants.iter().enumerate() {
        match dims.iter().find(|(k, _)| k == key) {
            None => {
                return Err(RuleError::validation(format!(
                    "{product_id} has no dimension `{key}` to grant: grant one of {}",
                    contract.join(", ")
                )));
            }
            Some((_, PricingModel::Usage)) => {
                return Err(RuleError::new(
                    ErrorCode::IncompatiblePricingTerm,
                    format!(
                        "`{key}` is billed by usage: only contract dimensions are granted ({})",
                        contract.join(", ")
                    ),
                ));
            }
            Some(_) => {}
        }
        if *units == 0 || *units > MAX_QUANTITY {
            return Err(RuleError::validation(format!("`{key}` granted {units} units: grant 1 to {MAX_QUANTITY}")));
        }
        if grants[..i].iter().any(|(k, _)| k == key) {
            return Err(RuleError::validation(format!("`{key}` is granted twice")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountId;
    use crate::domain::ids::ProductId;
    use crate::domain::product::{Dimension, Duration, ProductType};
    use rust_decimal::dec;

    /// Users and admins by contract, API calls by usage.
    fn product() -> Product {
        Product::new(
            ProductId::parse("prod-abcdefghij123").unwrap(),
            AccountId::parse("111111111111").unwrap(),
            "Acme Insight",
            ProductType::Saas,
            Duration::P12M,
            vec![
                Dimension::new("users", "Users", "user", PricingModel::Contract, Some(dec!(1000))).unwrap(),
                Dimension::new("admins", "Admins", "admin", PricingModel::Contract, Some(dec!(300))).unwrap(),
                Dimension::new("calls", "API calls", "call", PricingModel::Usage, Some(dec!(0.01))).unwrap(),
            ],
        )
        .unwrap()
    }

    fn grants(g: &[(&str, u64)]) -> Vec<(String, u64)> {
        g.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    }

    fn refusal(g: &[(&str, u64)], installments: bool) -> String {
        granted_prices(&product(), &grants(g), installments).unwrap_err().message
    }

    #[test]
    fn granted_dimensions_cost_nothing_and_carry_their_units_in_the_products_order() {
        let prices = granted_prices(&product(), &grants(&[("admins", 2), ("users", 50)]), true).unwrap();
        let got: Vec<_> =
            prices.iter().map(|p| (p.dimension.as_str(), p.wholesale_price, p.granted_units, p.list_price)).collect();
        assert_eq!(
            got,
            [("users", dec!(0), Some(50), Some(dec!(1000))), ("admins", dec!(0), Some(2), Some(dec!(300)))]
        );
    }

    #[test]
    fn installments_on_a_product_with_contract_dimensions_need_a_grant() {
        let why = refusal(&[], true);
        assert!(why.contains("grant at least one of users, admins (--grant KEY=UNITS)"), "{why}");
        assert!(granted_prices(&product(), &[], false).unwrap().is_empty(), "no plan, no grant: as before");
        let usage_only = Product { dimensions: product().dimensions.split_off(2), ..product() };
        assert!(granted_prices(&usage_only, &[], true).unwrap().is_empty(), "nothing to grant");
    }

    #[test]
    fn grants_need_installments() {
        assert!(refusal(&[("users", 5)], false).starts_with("granted units are paid by an installment schedule"));
    }

    #[test]
    fn a_grant_names_a_contract_dimension_once_with_at_least_one_unit() {
        assert!(
            refusal(&[("seats", 5)], true).contains("has no dimension `seats` to grant: grant one of users, admins")
        );
        assert!(refusal(&[("calls", 5)], true).starts_with("`calls` is billed by usage"));
        assert_eq!(refusal(&[("users", 0)], true), "`users` granted 0 units: grant 1 to 10000000");
        assert_eq!(refusal(&[("users", 5), ("users", 6)], true), "`users` is granted twice");
    }
}
