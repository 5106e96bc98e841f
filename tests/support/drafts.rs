//! A draft offer a partner may make today: for tests that need offers written while they
//! watch (the TUI's reloads, the store's row numbers).

use chrono::NaiveDate;
use cppo::domain::offer::OfferTerms;
use cppo::domain::{AccountId, OpportunityId, OpportunityKind, PricingModel};
use cppo::market::Market;

/// One of `partner`'s recurring, contract-priced opportunities, and terms for a draft from
/// it: its first buyer (else `buyer`), 2 units of its first contract dimension, 1% markup,
/// expiring 30 days after `today`.
pub fn contract_draft(
    market: &Market,
    partner: &AccountId,
    name: &str,
    today: NaiveDate,
    buyer: AccountId,
) -> (OpportunityId, OfferTerms) {
    let opp = market
        .offer_targets(partner)
        .unwrap()
        .into_iter()
        .find(|o| o.kind == OpportunityKind::Recurring && o.prices.iter().any(|p| p.pricing == PricingModel::Contract))
        .expect("a recurring opportunity with contract pricing");
    let dimension = opp.prices.iter().find(|p| p.pricing == PricingModel::Contract).unwrap().dimension.clone();
    let terms = OfferTerms {
        name: name.into(),
        description: String::new(),
        buyer: Some(opp.buyer_account_ids.first().cloned().unwrap_or(buyer)),
        markup_pct: rust_decimal::Decimal::ONE,
        expires_on: Some(today + chrono::TimeDelta::days(30)),
        quantities: vec![(dimension, 2)],
        duration: None,
    };
    (opp.id, terms)
}
