//! From typed fields to the terms and commands of the use cases: the fields' text goes to the
//! domain's one parser of typed terms ([`crate::domain::input`]), which the CLI's flags use
//! too; its error for a field shows beside that field.

use rust_decimal::Decimal;

use super::{Carry, Extending, FieldKey, Form, FormKind};
use crate::app::command::Command;
use crate::domain::account::PartnerKind;
use crate::domain::input::{self, Entry, Field as TermField, FieldError, OfferText, OpportunityText};
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::OpportunityTerms;
use crate::domain::pricing::wholesale_unit;
use crate::domain::product::PricingModel;
use crate::domain::{AccountId, FinancingRequest, FinancingStatus, OpportunityId, ProductId, Roles};

/// The terms' field a form field types, if it types one.
pub(super) fn term_field(key: &FieldKey) -> Option<TermField> {
    Some(match key {
        FieldKey::Buyer => TermField::Buyer,
        FieldKey::Markup => TermField::Markup,
        FieldKey::Expires => TermField::Expires,
        FieldKey::Quantity(k) => TermField::Quantity(k.clone()),
        FieldKey::Duration => TermField::Duration,
        FieldKey::Partner => TermField::Partner,
        FieldKey::Buyers => TermField::Buyers,
        FieldKey::Currency => TermField::Currency,
        FieldKey::Discount => TermField::Discount,
        FieldKey::Price(k) => TermField::Price(k.clone()),
        FieldKey::EndsOn => TermField::EndsOn,
        FieldKey::AgreementEnds => TermField::AgreementEndsOn,
        FieldKey::Grants => TermField::Grants,
        FieldKey::Provider => TermField::Provider,
        FieldKey::Months => TermField::Months,
        _ => return None,
    })
}

impl Form {
    /// List and wholesale per dimension as typed so far (the opportunity form's panel).
    /// A list price is `None` when unknown (then only an explicit wholesale price prices it).
    pub fn opportunity_prices(&self) -> Vec<(String, Option<Decimal>, Option<Decimal>)> {
        let Some(p) = self.chosen_product() else { return Vec::new() };
        let discount = input::discount(&self.value(&FieldKey::Discount)).ok();
        p.dimensions
            .iter()
            .map(|d| {
                let wholesale = match discount {
                    Some(pct) => d.list_price.map(|l| wholesale_unit(l, pct, d.pricing)),
                    None => input::price(&d.key, &self.value(&FieldKey::Price(d.key.clone()))).ok(),
                };
                (d.key.clone(), d.list_price, wholesale)
            })
            .collect()
    }

    /// A field's text, `None` when blank.
    fn typed(&self, key: &FieldKey) -> Option<String> {
        Some(self.value(key)).filter(|v| !v.is_empty())
    }

    /// The offer form's fields as typed.
    fn offer_text(&self) -> OfferText {
        OfferText {
            name: self.value(&FieldKey::Name),
            description: self.value(&FieldKey::Description),
            buyer: self.typed(&FieldKey::Buyer),
            markup: self.value(&FieldKey::Markup),
            expires: self.typed(&FieldKey::Expires),
            quantities: self
                .fields
                .iter()
                .filter_map(|f| match &f.key {
                    FieldKey::Quantity(k) => Some(Entry::Keyed(k.clone(), f.value())),
                    _ => None,
                })
                .collect(),
            // The field is there only when the opportunity offers several durations.
            duration: self.has(&FieldKey::Duration).then(|| self.value(&FieldKey::Duration)),
        }
    }

    /// Whether dimension `key` is one an installment plan grants (a contract dimension while
    /// the form has grants): the plan prices it, never a price typed.
    pub(super) fn priced_by_plan(&self, key: &str) -> bool {
        self.has(&FieldKey::Grants)
            && self
                .chosen_product()
                .is_some_and(|p| p.dimensions.iter().any(|d| d.key == key && d.pricing == PricingModel::Contract))
    }

    /// The opportunity form's fields as typed; the terms it does not show come from `carry`.
    fn opportunity_text(&self) -> OpportunityText {
        let carry = match &self.kind {
            FormKind::Opportunity { edit: Some((_, _, c)), .. } => c.clone(),
            _ => Carry::default(),
        };
        OpportunityText {
            partner: self.value(&FieldKey::Partner),
            name: self.value(&FieldKey::Name),
            description: self.value(&FieldKey::Description),
            kind: self.kind_chosen(),
            buyers: vec![self.value(&FieldKey::Buyers)],
            currency: self.value(&FieldKey::Currency),
            discount: self.typed(&FieldKey::Discount),
            prices: self
                .fields
                .iter()
                .filter_map(|f| match &f.key {
                    FieldKey::Price(k) if !self.priced_by_plan(k) => Some(Entry::Keyed(k.clone(), f.value())),
                    _ => None,
                })
                .collect(),
            ends_on: self.typed(&FieldKey::EndsOn),
            renewal: self.is_on(&FieldKey::Renewal),
            // Carried as they were (parsed terms, below).
            installments: Vec::new(),
            grants: vec![self.value(&FieldKey::Grants)],
            net_payment_days: carry.net_payment_days,
            eula_url: carry.eula_url,
        }
    }

    /// Every field whose text the parser refuses, for [`Form::validate`].
    pub(super) fn parse_errors(&self) -> Vec<FieldError> {
        let errors = match &self.kind {
            FormKind::Offer { .. } => self.offer_text().parse_all().err(),
            FormKind::Opportunity { .. } => self.opportunity_text().parse_all().err(),
            FormKind::Extend { target, .. } => {
                let field = if target.field() == FieldKey::Expires { TermField::Expires } else { TermField::EndsOn };
                input::date(field, &self.value(&target.field())).err().map(|e| vec![e])
            }
            FormKind::Finance { .. } => {
                let errors: Vec<FieldError> = [
                    input::provider(&self.value(&FieldKey::Provider)).err(),
                    input::months(&self.value(&FieldKey::Months)).err(),
                ]
                .into_iter()
                .flatten()
                .collect();
                Some(errors)
            }
            FormKind::Account => None,
        };
        errors.unwrap_or_default()
    }

    /// The offer terms typed so far, if every field passes.
    pub fn offer_terms(&self) -> Option<(OpportunityId, OfferTerms)> {
        let o = self.chosen_opportunity()?;
        if self.has_errors() {
            return None;
        }
        Some((o.id.clone(), self.offer_text().parse().ok()?))
    }

    pub(super) fn opportunity_terms(&self) -> Option<(ProductId, OpportunityTerms)> {
        let FormKind::Opportunity { edit, .. } = &self.kind else { return None };
        let mut terms = self.opportunity_text().parse().ok()?;
        if let Some((_, _, carry)) = edit {
            terms.installments = carry.installments.clone();
        }
        Some((ProductId::parse(&self.value(&FieldKey::Product)).ok()?, terms))
    }

    /// The command this form saves as, if it is complete.
    pub(super) fn command(&self) -> Option<Command> {
        match &self.kind {
            FormKind::Offer { edit, replaces, .. } => {
                let (opportunity, terms) = self.offer_terms()?;
                let agreement_ends_on = self
                    .typed(&FieldKey::AgreementEnds)
                    .map(|v| input::date(TermField::AgreementEndsOn, &v))
                    .transpose()
                    .ok()?;
                Some(match (edit, replaces) {
                    (Some((id, version)), replaces) => Command::EditOffer {
                        id: id.clone(),
                        version: *version,
                        terms,
                        agreement_ends_on: replaces.as_ref().map(|_| agreement_ends_on),
                    },
                    (None, Some(agreement)) => Command::CreateReplacementOffer {
                        agreement: agreement.clone(),
                        opportunity,
                        terms,
                        agreement_ends_on,
                    },
                    (None, None) => Command::CreateOffer { opportunity, terms },
                })
            }
            FormKind::Opportunity { edit, .. } => {
                let (product, terms) = self.opportunity_terms()?;
                Some(match edit {
                    Some((id, version, _)) => Command::EditOpportunity { id: id.clone(), version: *version, terms },
                    None => Command::CreateOpportunity { product, terms },
                })
            }
            FormKind::Extend { target: Extending::Offer(id, _), .. } => Some(Command::ExtendOffer(
                id.clone(),
                input::date(TermField::Expires, &self.value(&FieldKey::Expires)).ok()?,
            )),
            FormKind::Extend { target: Extending::Opportunity(id, _), .. } => Some(Command::ExtendOpportunity(
                id.clone(),
                input::date(TermField::EndsOn, &self.value(&FieldKey::EndsOn)).ok()?,
            )),
            FormKind::Finance { agreement } => Some(Command::Finance(
                agreement.clone(),
                FinancingRequest {
                    provider: input::provider(&self.value(&FieldKey::Provider)).ok()?,
                    months: input::months(&self.value(&FieldKey::Months)).ok()?,
                    status: FinancingStatus::parse(&self.value(&FieldKey::FinancingStatus))?,
                },
            )),
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
