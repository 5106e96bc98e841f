//! Price breakdowns: list -> wholesale -> buyer price per line, the charge plan, the
//! listing fee and what each side receives. Rounding happens here and nowhere else.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::RuleError;
use super::fees::{FeeBasis, FeeTable};
use super::money::{Currency, MAX_AMOUNT, Money, markup_factor, round_minor};
use super::opportunity::Opportunity;
use super::product::PricingModel;
// Priced here per line; the unit arithmetic is its own module because the opportunity
// (which this module reads) needs it too, and callers know it by these names.
pub use super::unit_price::{buyer_unit, wholesale_unit};

/// A scheduled charge marked up: `round_minor(wholesale x (1 + markup/100))`.
pub fn buyer_charge(wholesale: Money, markup_pct: Decimal) -> Money {
    Money::new(wholesale.amount() * markup_factor(markup_pct), wholesale.currency())
}

/// The listing fee on a wholesale amount: `round_minor(W x rate)`.
pub fn listing_fee(wholesale: Money, rate_pct: Decimal) -> Money {
    Money::new(
        round_minor(wholesale.amount() * rate_pct / Decimal::ONE_HUNDRED, wholesale.currency()),
        wholesale.currency(),
    )
}

/// What the ISV receives of a wholesale amount: `W - fee`.
pub fn isv_net(wholesale: Money, fee: Money) -> Money {
    wholesale.minus(fee)
}

/// What the partner keeps of what the buyer pays: `C - W`.
pub fn partner_net(buyer: Money, wholesale: Money) -> Money {
    buyer.minus(wholesale)
}

/// Whether an offer's contract value is known. It is not when the opportunity sells by
/// contract, no installment schedule fixes the value, and no quantity is planned: AWS lets
/// the buyer pick units when accepting, so an imported offer has none, and a total of zero
/// would be made up. A usage-only offer's contract value is zero, and known.
pub fn value_known(has_contract: bool, has_installments: bool, any_quantity: bool) -> bool {
    !has_contract || has_installments || any_quantity
}

/// A buyer unit price AWS gave an imported offer's dimension that differs from cppo's
/// [`buyer_unit`] (AWS rounds its own way): the offer is priced with AWS's while cppo still
/// computes `computed` for it. A new markup or wholesale price brings cppo's own back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsBuyerPrice {
    pub dimension: String,
    pub aws: Decimal,
    pub computed: Decimal,
}

/// One priced dimension of an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    pub dimension: String,
    pub pricing: PricingModel,
    /// Units bought (contract pricing); usage dimensions are billed as used, quantity 0.
    pub quantity: u64,
    /// `None` when the list price is unknown.
    pub list_unit: Option<Decimal>,
    pub wholesale_unit: Decimal,
    pub buyer_unit: Decimal,
    /// What wholesale x markup gives, when `buyer_unit` is AWS's different price.
    pub buyer_unit_by_markup: Option<Decimal>,
    /// `None` when a list price is unknown.
    pub list_total: Option<Money>,
    pub wholesale_total: Money,
    pub buyer_total: Money,
}

/// One charge of the plan: its wholesale part `W` and what the buyer pays `C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCharge {
    /// `None`: due when the buyer accepts (the upfront charge).
    pub due_on: Option<NaiveDate>,
    pub wholesale: Money,
    pub buyer: Money,
}

/// Everything the offer form and the offer detail show about money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub currency: Currency,
    pub markup_pct: Decimal,
    pub lines: Vec<PriceLine>,
    /// `None` when any line's list price is unknown.
    pub list_total: Option<Money>,
    pub wholesale_total: Money,
    pub buyer_total: Money,
    pub charges: Vec<PlannedCharge>,
    pub fee_rate_pct: Decimal,
    pub listing_fee: Money,
    pub isv_net: Money,
    pub partner_net: Money,
    /// False when no quantity prices the contract ([`value_known`]): the totals, the fee and
    /// the nets above are zeros that stand for "unknown" and must not be shown as amounts.
    pub value_known: bool,
}

/// Prices an offer of `quantities` at `markup_pct` on `opportunity`, with the fee table in
/// force on `on` (the day of acceptance, or today for a preview).
///
/// With an installment schedule the contract value is the schedule's sum; otherwise it is
/// the sum of the contract lines, charged once at acceptance.
pub fn price_offer(
    opportunity: &Opportunity,
    quantities: &[(String, u64)],
    markup_pct: Decimal,
    on: NaiveDate,
    fees: &FeeTable,
) -> Breakdown {
    price_offer_with(opportunity, quantities, markup_pct, &[], on, fees)
}

/// [`price_offer`] with the buyer prices AWS gave the offer where they differ from cppo's:
/// each prices its dimension while cppo still computes what it did at the import.
pub fn price_offer_with(
    opportunity: &Opportunity,
    quantities: &[(String, u64)],
    markup_pct: Decimal,
    aws_prices: &[AwsBuyerPrice],
    on: NaiveDate,
    fees: &FeeTable,
) -> Breakdown {
    let currency = opportunity.currency;
    let lines: Vec<PriceLine> = opportunity
        .prices
        .iter()
        .map(|p| {
            let quantity = match p.pricing {
                PricingModel::Contract => quantities.iter().find(|(k, _)| *k == p.dimension).map_or(0, |(_, q)| *q),
                PricingModel::Usage => 0,
            };
            let computed = buyer_unit(p.wholesale_price, markup_pct, p.pricing);
            let aws = aws_prices.iter().find(|a| a.dimension == p.dimension && a.computed == computed).map(|a| a.aws);
            let buyer = aws.unwrap_or(computed);
            let q = Decimal::from(quantity);
            PriceLine {
                dimension: p.dimension.clone(),
                pricing: p.pricing,
                quantity,
                list_unit: p.list_price,
                wholesale_unit: p.wholesale_price,
                buyer_unit: buyer,
                buyer_unit_by_markup: aws.map(|_| computed),
                list_total: p.list_price.map(|l| Money::new(q * l, currency)),
                wholesale_total: Money::new(q * p.wholesale_price, currency),
                buyer_total: Money::new(q * buyer, currency),
            }
        })
        .collect();
    let sum = |f: fn(&PriceLine) -> Money| lines.iter().map(f).fold(Money::zero(currency), Money::plus);
    let list_total = lines.iter().try_fold(Money::zero(currency), |acc, l| l.list_total.map(|t| acc.plus(t)));
    let charges: Vec<PlannedCharge> = if opportunity.installments.is_empty() {
        vec![PlannedCharge { due_on: None, wholesale: sum(|l| l.wholesale_total), buyer: sum(|l| l.buyer_total) }]
    } else {
        opportunity
            .installments
            .iter()
            .map(|i| PlannedCharge {
                due_on: Some(i.due_on),
                wholesale: i.amount,
                buyer: buyer_charge(i.amount, markup_pct),
            })
            .collect()
    };
    let wholesale_total = charges.iter().map(|c| c.wholesale).fold(Money::zero(currency), Money::plus);
    let buyer_total = charges.iter().map(|c| c.buyer).fold(Money::zero(currency), Money::plus);
    let fee_rate_pct = fees.rate_pct(FeeBasis {
        on,
        product_type: opportunity.product_type,
        renewal: opportunity.renewal,
        wholesale_value: wholesale_total.amount(),
    });
    let listing_fee =
        charges.iter().map(|c| listing_fee(c.wholesale, fee_rate_pct)).fold(Money::zero(currency), Money::plus);
    let has_contract = lines.iter().any(|l| l.pricing == PricingModel::Contract);
    let any_quantity = lines.iter().any(|l| l.quantity > 0);
    Breakdown {
        value_known: value_known(has_contract, !opportunity.installments.is_empty(), any_quantity),
        currency,
        markup_pct,
        lines,
        list_total,
        wholesale_total,
        buyer_total,
        isv_net: isv_net(wholesale_total, listing_fee),
        partner_net: partner_net(buyer_total, wholesale_total),
        charges,
        fee_rate_pct,
        listing_fee,
    }
}

impl Breakdown {
    /// Every amount fits what cppo holds: at most [`MAX_AMOUNT`] and not negative. A huge
    /// price times a huge quantity times a huge markup is refused here, with the limit
    /// named, never stored wrapped.
    pub fn check_amounts(&self) -> Result<(), RuleError> {
        let too_large = |what: &str, m: Money| {
            RuleError::validation(format!(
                "the {what} would be {}: more than cppo can hold ({}); lower the quantities or the markup",
                m.display(),
                Money::new(MAX_AMOUNT, self.currency).display()
            ))
        };
        let mut amounts: Vec<(&str, Money)> = vec![
            ("wholesale total", self.wholesale_total),
            ("buyer total", self.buyer_total),
            ("listing fee", self.listing_fee),
            ("ISV's net", self.isv_net),
            ("partner's net", self.partner_net),
        ];
        amounts.extend(self.list_total.map(|t| ("list total", t)));
        for l in &self.lines {
            amounts.push(("wholesale total of a line", l.wholesale_total));
            amounts.push(("buyer total of a line", l.buyer_total));
            amounts.extend(l.list_total.map(|t| ("list total of a line", t)));
        }
        for c in &self.charges {
            amounts.push(("charge", c.buyer));
            amounts.push(("wholesale part of a charge", c.wholesale));
        }
        for (what, m) in amounts {
            if m.amount().abs() > MAX_AMOUNT {
                return Err(too_large(what, m));
            }
            if m.amount().is_sign_negative() && !m.amount().is_zero() {
                return Err(RuleError::validation(format!("the {what} would be negative ({})", m.display())));
            }
        }
        Ok(())
    }
}

/// How one paid charge `C` with wholesale part `W` is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub listing_fee: Money,
    pub isv: Money,
    pub partner: Money,
}

/// `fee = round_minor(W x rate)`, ISV `W - fee`, partner `C - W`: the three sum to `C`.
pub fn split_charge(buyer: Money, wholesale: Money, rate_pct: Decimal) -> Split {
    let fee = listing_fee(wholesale, rate_pct);
    Split { listing_fee: fee, isv: isv_net(wholesale, fee), partner: partner_net(buyer, wholesale) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_paid_charge_splits_into_fee_isv_and_partner_exactly() {
        let c = Money::new(dec!(88000), Currency::Usd);
        let w = Money::new(dec!(80000), Currency::Usd);
        let s = split_charge(c, w, dec!(3.5));
        assert_eq!(s.listing_fee.to_plain(), "2800.00");
        assert_eq!(s.isv.to_plain(), "77200.00");
        assert_eq!(s.partner.to_plain(), "8000.00");
    }

    #[test]
    fn jpy_fees_round_to_whole_yen() {
        let w = Money::new(dec!(123457), Currency::Jpy);
        let s = split_charge(Money::new(dec!(135803), Currency::Jpy), w, dec!(3.5));
        // 123,457 x 3.5% = 4,320.995 -> 4,321
        assert_eq!(s.listing_fee.to_plain(), "4321");
        assert_eq!(s.isv.to_plain(), "119136");
        assert_eq!(s.partner.to_plain(), "12346");
    }
}
