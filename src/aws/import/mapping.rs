//! What an imported entity becomes in cppo's domain: pure functions from the values
//! [`super::read`] returns (and what cppo already holds of the same ids) to the domain's
//! types, which then judge them (`check_imported`). Nothing is guessed: what AWS does not say
//! is taken from the record cppo already holds, or left unknown.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Authorization, Offer as AwsOffer};
use crate::domain::Money;
use crate::domain::offer::with_granted_units;
use crate::domain::opportunity::{Installment, WholesalePrice};
use crate::domain::pricing::{AwsBuyerPrice, buyer_unit};
use crate::domain::product::Duration;
use crate::domain::{
    Dimension, Offer, Opportunity, OpportunityKind, OpportunityState, PricingModel, Product, ProductType, RuleError,
};

/// The agreement length cppo assumes for an authorization priced by usage alone, whose
/// document carries no duration (the offer's `ValidityTerm` does), when cppo holds none.
pub const USAGE_DURATION: Duration = Duration { years: 0, months: 12, days: 0 };

impl Authorization {
    /// The product the authorization resells: `held` (what cppo has) with the dimensions it
    /// lacks added, list prices unknown; or a new product of `product_type` (AWS's
    /// authorization does not say the type).
    pub fn product(&self, held: Option<&Product>, product_type: ProductType) -> Result<Product, RuleError> {
        if let Some(p) = held
            && p.isv != self.isv
        {
            return Err(RuleError::validation(format!(
                "its product {} belongs to ISV {} in cppo, not to {}",
                p.id, p.isv, self.isv
            )));
        }
        let mut dimensions = held.map(|p| p.dimensions.clone()).unwrap_or_default();
        for p in &self.prices {
            if dimensions.iter().all(|d| d.key != p.key) {
                let pricing = if p.usage { PricingModel::Usage } else { PricingModel::Contract };
                dimensions.push(Dimension::new(&p.key, &p.name, &p.unit, pricing, None)?);
            }
        }
        let title = match (held, &self.product_name) {
            (_, Some(name)) if !name.trim().is_empty() => name.clone(),
            (Some(p), _) => p.title.clone(),
            (None, _) => self.product_id.to_string(),
        };
        let duration = held.map(|p| p.duration).or(self.duration).unwrap_or(USAGE_DURATION);
        let product_type = held.map_or(product_type, |p| p.product_type);
        Product::new(self.product_id.clone(), self.isv.clone(), &title, product_type, duration, dimensions)
    }

    /// The opportunity the authorization is, on `product` (from [`Self::product`]), over
    /// `held`, the same opportunity as cppo holds it (its version, and what AWS does not say:
    /// its creation day, its duration when priced by usage alone). Checked by the domain.
    pub fn opportunity(
        &self,
        product: &Product,
        held: Option<&Opportunity>,
        today: NaiveDate,
    ) -> Result<Opportunity, RuleError> {
        let prices = self
            .prices
            .iter()
            .map(|p| WholesalePrice {
                dimension: p.key.clone(),
                pricing: if p.usage { PricingModel::Usage } else { PricingModel::Contract },
                list_price: product.dimension(&p.key).and_then(|d| d.list_price),
                wholesale_price: p.price,
                granted_units: p.granted,
            })
            .collect();
        let o = Opportunity {
            id: self.id.clone(),
            isv: self.isv.clone(),
            partner: self.partner.clone(),
            product_id: self.product_id.clone(),
            product_type: product.product_type,
            name: self.name.clone(),
            description: self.description.clone(),
            kind: if self.one_time { OpportunityKind::OneTime } else { OpportunityKind::Recurring },
            buyers: self.buyers.iter().map(|b| b.account.clone()).collect(),
            currency: self.currency,
            // AWS records prices, not the discount they were made with: the one cppo holds
            // stays while the prices are the ones it made.
            discount_pct: held.filter(|h| h.prices == prices).and_then(|h| h.discount_pct),
            prices,
            duration: self.duration.or(held.map(|h| h.duration)).unwrap_or(product.duration),
            rate_cards: self.rate_cards.clone(),
            ends_on: self.ends_on,
            renewal: self.renewal,
            installments: self
                .installments
                .iter()
                .map(|c| Installment { due_on: c.due_on, amount: Money::new(c.amount, self.currency) })
                .collect(),
            net_payment_days: self.net_payment_days,
            eula_url: self.eula_url.clone(),
            state: self.status,
            // Only the ISV restricts an authorization on AWS.
            ended_by: (self.status == OpportunityState::Restricted).then(|| self.isv.clone()),
            // AWS counts the offers made on AWS; cppo also counts its own, not exported yet.
            // The count never goes down on import: a one-time opportunity stays used.
            offers_created: held.map_or(self.offers_created, |h| h.offers_created.max(self.offers_created)),
            // The day the record came into the file, which never moves (the store does not
            // rewrite it): AWS's creation day for an import, the day cppo drafted it for one
            // pushed later, which AWS then says it made on the day of the push.
            created_on: held.map(|h| h.created_on).or(self.created_on).unwrap_or(today),
            version: held.map_or(0, |h| h.version),
        };
        o.check_imported(product)?;
        Ok(o)
    }
}

impl AwsOffer {
    /// The offer this is, made from `opportunity`, over `held`, the same offer as cppo holds
    /// it (its version, its agreement, and the quantities the partner planned: AWS has none,
    /// the buyer picks them when accepting). A markup not set yet is 0%. Checked by the domain.
    pub fn offer(&self, opportunity: &Opportunity, held: Option<&Offer>, today: NaiveDate) -> Result<Offer, RuleError> {
        if let Some(c) = self.currency
            && c != opportunity.currency
        {
            return Err(RuleError::validation(format!(
                "its prices are in {c}, its resale authorization's in {}",
                opportunity.currency
            )));
        }
        let mut accounts = self.buyers.iter().map(|b| b.account.clone());
        let markup_pct = self.markup_pct.unwrap_or(Decimal::ZERO).normalize();
        let duration = self.duration(opportunity)?;
        let o = Offer {
            id: self.id.clone(),
            opportunity_id: self.resale_authorization_id.clone(),
            product_id: self.product_id.clone(),
            isv: opportunity.isv.clone(),
            partner: opportunity.partner.clone(),
            buyer: accounts.next(),
            buyer_accounts: accounts.collect(),
            name: self.name.clone(),
            description: self.description.clone(),
            markup_pct,
            expires_on: self.expires_on,
            // The partner's planned units (AWS has none), or those the authorization grants.
            quantities: with_granted_units(opportunity, held.map(|h| h.quantities.clone()).unwrap_or_default()),
            duration,
            aws_buyer_prices: self.buyer_prices_kept(&opportunity.for_duration(duration)?, markup_pct),
            currency: opportunity.currency,
            state: self.state,
            agreement_id: held.and_then(|h| h.agreement_id.clone()),
            replaces: None,
            agreement_ends_on: None,
            // Cancelled in cppo, it stays so unless AWS holds a later expiry (it was extended
            // there since): AWS itself does not say why an offer ended.
            cancelled_on: held.filter(|h| self.expires_on <= h.expires_on).and_then(|h| h.cancelled_on),
            created_on: held.map_or(today, |h| h.created_on),
            version: held.map_or(0, |h| h.version),
        };
        o.check_imported(opportunity)?;
        Ok(o)
    }

    /// The duration the offer was made for: its `ValidityTerm`'s `AgreementDuration`, else the
    /// one duration of its own contract rate cards, else (AWS copied every card of the
    /// authorization, or the offer has none) the authorization's first. One the authorization
    /// does not offer is refused.
    pub fn duration(&self, opportunity: &Opportunity) -> Result<Duration, RuleError> {
        let mut own: Vec<Duration> = Vec::new();
        for d in self.buyer_prices.iter().filter(|p| !p.usage).filter_map(|p| p.duration) {
            if !own.contains(&d) {
                own.push(d);
            }
        }
        let duration = match (self.agreement_duration, own.as_slice()) {
            (Some(d), _) => d,
            (None, [d]) => *d,
            _ => opportunity.duration,
        };
        opportunity.for_duration(duration).map_err(|e| {
            RuleError::new(
                crate::domain::ErrorCode::IncompatibleResaleAuthorization,
                format!("its duration: {}", e.message),
            )
        })?;
        Ok(duration)
    }

    /// AWS's buyer prices on the offer's own rate card (the authorization's duration, or
    /// usage) that differ from wholesale x `markup_pct` as cppo computes it: AWS rounds its
    /// own way, and its price is the one the buyer sees, so it is kept. One below the
    /// wholesale price is not a rounding and is not kept (a buyer price never is).
    pub fn buyer_prices_kept(&self, opportunity: &Opportunity, markup_pct: Decimal) -> Vec<AwsBuyerPrice> {
        let mut kept: Vec<AwsBuyerPrice> = Vec::new();
        for p in &self.buyer_prices {
            let Some(w) = opportunity.price_of(&p.key) else { continue };
            let own_card = if p.usage {
                w.pricing == PricingModel::Usage
            } else {
                w.pricing == PricingModel::Contract && p.duration.is_none_or(|d| d == opportunity.duration)
            };
            let computed = buyer_unit(w.wholesale_price, markup_pct, w.pricing);
            if own_card
                && p.price != computed
                && p.price >= w.wholesale_price
                && kept.iter().all(|k| k.dimension != p.key)
            {
                kept.push(AwsBuyerPrice { dimension: p.key.clone(), aws: p.price, computed });
            }
        }
        kept
    }
}
