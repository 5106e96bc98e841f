//! Replacement offers (AWS `CreateReplacementOfferUsingResaleAuthorization`) and the
//! replacing they do: what AWS checks before a partner may replace an ACTIVE agreement, the
//! drafting of one (its buyer the agreement's, an optional end date for the new agreement),
//! and what accepting one does to the old agreement (REPLACED, unpaid charges cancelled,
//! paid ones stay paid, each linked to the other). This module uses `offer` and `agreement`,
//! never the reverse: the end-date check is the agreement's (`agreement::check_end`), the
//! fixed buyer the offer's own edit rule. The renewal authorization an ISV grants for it is an
//! ordinary one-time opportunity with the renewal flag (`opportunity`): who may grant one, and
//! for which agreement, is here; its prefill lives with the form.

use chrono::NaiveDate;

use super::agreement::{Agreement, AgreementStatus, check_end};
use super::aws_agreement::{AwsAgreement, AwsAgreementStatus};
use super::error::{ErrorCode, RuleError};
use super::ids::{AccountId, AgreementId, OfferId, ProductId};
use super::offer::{Offer, OfferTerms};
use super::opportunity::Opportunity;
use super::radar;

/// An agreement a replacement offer may replace, as AWS's checks need it: cppo's own or one
/// imported from AWS (the partner's real book: AWS takes the replacement for it).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: &'a AgreementId,
    /// Its proposer: the partner, who alone may replace it.
    pub partner: &'a AccountId,
    pub buyer: &'a AccountId,
    /// Its status as people read it (cppo's, or AWS's own word, written as every status is).
    pub status: &'static str,
    pub active: bool,
}

impl<'a> Target<'a> {
    /// One of cppo's agreements, as it stands `today`.
    pub fn own(a: &'a Agreement, today: NaiveDate) -> Self {
        let status = a.status(today);
        Self {
            id: &a.id,
            partner: &a.partner,
            buyer: &a.buyer,
            status: status.label(),
            active: status == AgreementStatus::Active,
        }
    }

    /// An agreement imported from AWS, as AWS last said.
    pub fn aws(a: &'a AwsAgreement) -> Self {
        Self {
            id: &a.id,
            partner: &a.proposer,
            buyer: &a.acceptor,
            status: a.status.label(),
            active: a.status == AwsAgreementStatus::Active,
        }
    }
}

/// The agreement a replacement offer replaces, with the product it sells (cppo's agreement
/// names its opportunity, whose product it is; AWS's names the product).
#[derive(Debug, Clone, Copy)]
pub struct Replaced<'a> {
    pub agreement: Target<'a>,
    pub product: &'a ProductId,
}

/// `actor` may replace `agreement` today: it is ACTIVE and `actor` proposed it (AWS lets
/// only the agreement's proposer replace it).
pub fn check_replaceable(actor: &AccountId, agreement: Target<'_>) -> Result<(), RuleError> {
    if actor != agreement.partner {
        return Err(RuleError::denied(format!(
            "only {}, the partner who proposed {}, may replace it",
            agreement.partner, agreement.id
        )));
    }
    if agreement.active {
        return Ok(());
    }
    Err(RuleError::status(format!(
        "{} is {}: only an Active agreement can be replaced",
        agreement.id, agreement.status
    )))
}

/// A replacement offer for an agreement AWS holds is accepted on AWS: AWS makes the new
/// agreement and marks the old one REPLACED, and the next import of the agreements brings
/// both. cppo accepts only replacements of its own agreements.
pub fn check_accepted_here(offer: &Offer, replaced_on_aws: bool) -> Result<(), RuleError> {
    match &offer.replaces {
        Some(old) if replaced_on_aws => Err(RuleError::status(format!(
            "{} replaces {old}, an agreement AWS holds: the buyer accepts it on AWS, and importing the \
             agreements again brings the new one",
            offer.id
        ))),
        _ => Ok(()),
    }
}

/// `actor` may grant the partner a renewal authorization for `agreement` today (the ISV's
/// side of a replacement offer): it is the agreement's ISV, and the agreement is ACTIVE and
/// ending (on the renewal radar's widest window, [`radar::WINDOWS`]).
pub fn check_renewal_grant(actor: &AccountId, agreement: &Agreement, today: NaiveDate) -> Result<(), RuleError> {
    if *actor != agreement.isv {
        return Err(RuleError::denied(format!(
            "only {}, the ISV of {}'s product, grants a renewal authorization for it",
            agreement.isv, agreement.id
        )));
    }
    let widest = radar::WINDOWS[radar::WINDOWS.len() - 1];
    match agreement.status(today) {
        AgreementStatus::Active if radar::days_left(agreement, today, widest).is_some() => Ok(()),
        AgreementStatus::Active => Err(RuleError::status(format!(
            "{} ends on {}, not within {widest} days: a renewal is granted for an agreement that is ending",
            agreement.id, agreement.ends_on
        ))),
        status => Err(RuleError::status(format!(
            "{} is {status}: only an Active agreement that is ending is renewed",
            agreement.id
        ))),
    }
}

/// `opportunity` can make a replacement offer for `replaced`: received by `actor`, Active,
/// unexpired and unconsumed, of the same product, and allowing the agreement's buyer.
pub fn check_authorization(
    actor: &AccountId,
    opportunity: &Opportunity,
    replaced: Replaced<'_>,
    today: NaiveDate,
) -> Result<(), RuleError> {
    if opportunity.product_id != *replaced.product {
        return Err(RuleError::new(
            ErrorCode::IncompatibleResaleAuthorization,
            format!(
                "{} is for {}, but {} is for {}: pick an authorization of the same product",
                opportunity.id, opportunity.product_id, replaced.agreement.id, replaced.product
            ),
        ));
    }
    opportunity.check_offer_allowed(actor, Some(replaced.agreement.buyer), today)
}

impl Offer {
    /// The partner drafts a replacement offer for `replaced` from `opportunity`: the buyer is
    /// the agreement's, the product the same; `agreement_ends_on` (optional) fixes the new
    /// agreement's end. The caller counts the offer on the opportunity, as for any draft.
    pub fn draft_replacement(
        id: OfferId,
        actor: &AccountId,
        opportunity: &Opportunity,
        replaced: Replaced<'_>,
        terms: OfferTerms,
        agreement_ends_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, RuleError> {
        check_replaceable(actor, replaced.agreement)?;
        check_authorization(actor, opportunity, replaced, today)?;
        let mut offer = Self::blank(id, opportunity, today);
        offer.replaces = Some(replaced.agreement.id.clone());
        offer.buyer = Some(replaced.agreement.buyer.clone());
        offer.apply_terms(opportunity, terms, today)?;
        offer.agreement_ends_on = agreement_ends_on.map(|d| check_end(d, today)).transpose()?;
        Ok(offer)
    }

    /// The partner moves its draft replacement offer's end date for the new agreement.
    pub fn set_agreement_end(
        &mut self,
        actor: &AccountId,
        end: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        self.check_editable(actor, today)?;
        if self.replaces.is_none() && end.is_some() {
            return Err(RuleError::validation(format!(
                "{} replaces no agreement: only a replacement offer sets its agreement's end date",
                self.id
            )));
        }
        self.agreement_ends_on = end.map(|d| check_end(d, today)).transpose()?;
        Ok(())
    }
}

impl Agreement {
    /// `new` (made by accepting a replacement offer for this agreement) takes this one's
    /// place: it becomes REPLACED, its unpaid charges are cancelled today (what was paid
    /// stays paid), and it links to `new`. Returns the indexes of the charges cancelled.
    pub fn replace_with(&mut self, new: &Agreement, today: NaiveDate) -> Result<Vec<usize>, RuleError> {
        if new.replaces.as_ref() != Some(&self.id) {
            return Err(RuleError::validation(format!("{} does not replace {}", new.id, self.id)));
        }
        check_replaceable(&new.partner, Target::own(self, today))?;
        if new.buyer != self.buyer {
            return Err(RuleError::new(
                ErrorCode::IncompatibleBuyerTargeting,
                format!("{} is {}'s agreement, not {}'s", self.id, self.buyer, new.buyer),
            ));
        }
        let mut cancelled = Vec::new();
        for (i, c) in self.charges.iter_mut().enumerate() {
            if c.paid_on.is_none() && c.cancelled_on.is_none() {
                c.cancelled_on = Some(today);
                cancelled.push(i);
            }
        }
        self.replaced_by = Some(new.id.clone());
        Ok(cancelled)
    }
}
