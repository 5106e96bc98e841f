//! Unit prices: list -> wholesale (the opportunity's discount) -> buyer (the offer's
//! markup), each rounded for its dimension's pricing model. Pure arithmetic on a unit:
//! the opportunity prices its dimensions with it and `pricing` its offers' lines, so it
//! depends on neither.

use rust_decimal::Decimal;

use super::money::{USAGE_PRICE_DIGITS, markup_factor, round_unit};
use super::product::PricingModel;

/// Rounds a unit price: 6 decimals, or 8 for usage pricing (AWS's precision for usage
/// rates; at 6 a 0% discount could round an 8-decimal list price up, above itself).
pub fn round_unit_for(d: Decimal, pricing: PricingModel) -> Decimal {
    match pricing {
        PricingModel::Contract => round_unit(d),
        PricingModel::Usage => {
            d.round_dp_with_strategy(USAGE_PRICE_DIGITS, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }
    }
}

/// `round6(list x (1 - discount/100))` (round8 for usage pricing).
pub fn wholesale_unit(list: Decimal, discount_pct: Decimal, pricing: PricingModel) -> Decimal {
    round_unit_for(list * (Decimal::ONE - discount_pct / Decimal::ONE_HUNDRED), pricing)
}

/// `round6(wholesale x (1 + markup/100))` (round8 for usage pricing).
pub fn buyer_unit(wholesale: Decimal, markup_pct: Decimal, pricing: PricingModel) -> Decimal {
    round_unit_for(wholesale * markup_factor(markup_pct), pricing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn unit_prices_round_half_up_at_six_decimals() {
        use PricingModel::{Contract, Usage};
        assert_eq!(wholesale_unit(dec!(1000), dec!(20), Contract), dec!(800));
        assert_eq!(wholesale_unit(dec!(0.000003), dec!(50), Contract), dec!(0.000002));
        assert_eq!(buyer_unit(dec!(10), dec!(33.3333333), Contract), dec!(13.333333));
        assert_eq!(buyer_unit(dec!(300), dec!(5), Contract), dec!(315));
        assert_eq!(wholesale_unit(dec!(7.1284165), dec!(0), Usage), dec!(7.1284165));
        assert_eq!(buyer_unit(dec!(0.00012345), dec!(10), Usage), dec!(0.0001358));
    }
}
