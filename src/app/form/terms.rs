//! From typed fields to the terms and commands of the use cases.

use rust_decimal::Decimal;

use super::{FieldKey, Form, FormKind};
use crate::app::command::Command;
use crate::domain::account::PartnerKind;
use crate::domain::clock::parse_date;
use crate::domain::money::{parse_discount_pct, parse_markup_pct, parse_unit_price};
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::grants::parse_grants;
use crate::domain::opportunity::{OpportunityTerms, WholesaleTerms};
use crate::domain::pricing::wholesale_unit;
use crate::domain::product::Duration;
use crate::domain::{AccountId, Currency, OpportunityId, ProductId, Roles};

impl Form {
    /// List and wholesale per dimension as typed so far (the opportunity form's panel).
    /// A list price is `None` when unknown (then only an explicit wholesale price prices it).
    pub fn opportunity_prices(&self) -> Vec<(String, Option<Decimal>, Option<Decimal>)> {
        let Some(p) = self.chosen_product() else { return Vec::new() };
        let discount = parse_discount_pct(&self.value(&FieldKey::Discount)).ok();
        p.dimensions
            .iter()
            .map(|d| {
                let wholesale = match discount {
                    Some(pct) => d.list_price.map(|l| wholesale_unit(l, pct, d.pricing)),
                    None => parse_unit_price(&self.value(&FieldKey::Price(d.key.clone())), true, "price").ok(),
                };
                (d.key.clone(), d.list_price, wholesale)
            })
            .collect()
    }

    /// The offer terms typed so far, if every field parses.
    pub fn offer_terms(&self) -> Option<(OpportunityId, OfferTerms)> {
        let o = self.chosen_opportunity()?;
        if self.has_errors() {
            return None;
        }
        let buyer = self.value(&FieldKey::Buyer);
        let expires = self.value(&FieldKey::Expires);
        let terms = OfferTerms {
            name: self.value(&FieldKey::Name),
            description: self.value(&FieldKey::Description),
            buyer: if buyer.is_empty() { None } else { Some(AccountId::parse(&buyer).ok()?) },
            markup_pct: parse_markup_pct(&self.value(&FieldKey::Markup)).ok()?,
            expires_on: if expires.is_empty() { None } else { Some(parse_date(&expires).ok()?) },
            quantities: self
                .fields
                .iter()
                .filter_map(|f| match &f.key {
                    FieldKey::Quantity(k) => Some((k.clone(), f.value().parse().unwrap_or(0))),
                    _ => None,
                })
                .collect(),
            // The field is there only when the opportunity offers several durations.
            duration: match self.fields.iter().find(|f| f.key == FieldKey::Duration) {
                Some(f) => Some(Duration::parse(&f.value()).ok()?),
                None => None,
            },
        };
        Some((o.id.clone(), terms))
    }

    pub(super) fn opportunity_terms(&self) -> Option<(ProductId, OpportunityTerms)> {
        let FormKind::Opportunity { edit, .. } = &self.kind else { return None };
        let carry = edit.as_ref().map(|(_, _, c)| c.clone()).unwrap_or_default();
        let discount = self.value(&FieldKey::Discount);
        let wholesale = if discount.is_empty() {
            WholesaleTerms::Prices(
                self.fields
                    .iter()
                    .filter_map(|f| match &f.key {
                        FieldKey::Price(k) => Some((k.clone(), parse_unit_price(&f.value(), true, "price").ok()?)),
                        _ => None,
                    })
                    .collect(),
            )
        } else {
            WholesaleTerms::Discount(parse_discount_pct(&discount).ok()?)
        };
        let ends = self.value(&FieldKey::EndsOn);
        let terms = OpportunityTerms {
            partner: AccountId::parse(&self.value(&FieldKey::Partner)).ok()?,
            name: self.value(&FieldKey::Name),
            description: self.value(&FieldKey::Description),
            kind: self.kind_chosen(),
            buyers: self
                .value(&FieldKey::Buyers)
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(AccountId::parse)
                .collect::<Result<_, _>>()
                .ok()?,
            currency: Currency::parse(&self.value(&FieldKey::Currency)).ok()?,
            wholesale,
            ends_on: if ends.is_empty() { None } else { Some(parse_date(&ends).ok()?) },
            renewal: self.is_on(&FieldKey::Renewal),
            installments: carry.installments,
            grants: parse_grants(&self.value(&FieldKey::Grants)).ok()?,
            net_payment_days: carry.net_payment_days,
            eula_url: carry.eula_url,
        };
        Some((ProductId::parse(&self.value(&FieldKey::Product)).ok()?, terms))
    }

    /// The command this form saves as, if it is complete.
    pub(super) fn command(&self) -> Option<Command> {
        match &self.kind {
            FormKind::Offer { edit, .. } => {
                let (opportunity, terms) = self.offer_terms()?;
                Some(match edit {
                    Some((id, version)) => Command::EditOffer { id: id.clone(), version: *version, terms },
                    None => Command::CreateOffer { opportunity, terms },
                })
            }
            FormKind::Opportunity { edit, .. } => {
                let (product, terms) = self.opportunity_terms()?;
                Some(match edit {
                    Some((id, version, _)) => Command::EditOpportunity { id: id.clone(), version: *version, terms },
                    None => Command::CreateOpportunity { product, terms },
                })
            }
            FormKind::Extend { offer, .. } => {
                Some(Command::ExtendOffer(offer.clone(), parse_date(&self.value(&FieldKey::Expires)).ok()?))
            }
            FormKind::Account => {
                let partner = self.is_on(&FieldKey::PartnerRole);
                Some(Command::AddAccount {
                    id: AccountId::parse(&self.value(&FieldKey::AccountId)).ok()?,
                    name: self.value(&FieldKey::LegalName),
                    roles: Roles { isv: self.is_on(&FieldKey::Isv), partner, buyer: self.is_on(&FieldKey::BuyerRole) },
                    kind: (partner && self.is_on(&FieldKey::Distributor)).then_some(PartnerKind::Distributor),
                })
            }
        }
    }
}
