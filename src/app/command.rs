//! The state changes the TUI asks the store worker to run, each one use case of `market`.

use chrono::NaiveDate;

use crate::domain::account::PartnerKind;
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::OpportunityTerms;
use crate::domain::{AccountId, AgreementId, FinancingRequest, OfferId, OpportunityId, ProductId, Roles};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Release a draft opportunity to its partner.
    ReleaseOpportunity(OpportunityId),
    /// End an active opportunity.
    EndOpportunity(OpportunityId),
    /// Release a draft offer to its buyer.
    ReleaseOffer(OfferId),
    /// Cancel a released offer (its expiry moves to yesterday).
    CancelOffer(OfferId),
    /// Delete a draft opportunity or offer for good.
    DeleteOpportunity(OpportunityId),
    DeleteOffer(OfferId),
    /// Move a released offer's expiry later.
    ExtendOffer(OfferId, NaiveDate),
    /// Move an Active opportunity's end date later (its ISV).
    ExtendOpportunity(OpportunityId, NaiveDate),
    /// Accept an offer (buyer).
    AcceptOffer(OfferId),
    /// Pay the next charge of an agreement (buyer).
    PayNext(AgreementId),
    /// Take a step of an agreement's financing (buyer).
    Finance(AgreementId, FinancingRequest),
    /// Create a draft offer from an opportunity.
    CreateOffer {
        opportunity: OpportunityId,
        terms: OfferTerms,
    },
    /// Draft a replacement offer for an ACTIVE agreement (its partner), from an authorization
    /// of the same product; `agreement_ends_on` fixes the new agreement's end.
    CreateReplacementOffer {
        agreement: AgreementId,
        opportunity: OpportunityId,
        terms: OfferTerms,
        agreement_ends_on: Option<NaiveDate>,
    },
    /// Change a draft offer read at `version` (a replacement offer's: with the new
    /// agreement's end date, `Some(None)` for none).
    EditOffer {
        id: OfferId,
        version: i64,
        terms: OfferTerms,
        agreement_ends_on: Option<Option<NaiveDate>>,
    },
    /// Grant a draft opportunity.
    CreateOpportunity {
        product: ProductId,
        terms: OpportunityTerms,
    },
    /// Change a draft opportunity read at `version`.
    EditOpportunity {
        id: OpportunityId,
        version: i64,
        terms: OpportunityTerms,
    },
    /// Add an account.
    AddAccount {
        id: AccountId,
        name: String,
        roles: Roles,
        kind: Option<PartnerKind>,
    },
}

/// What a command that succeeded changed: what the app reads again after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// The accounts: everything is read again, from the session on.
    Accounts,
    /// An opportunity: its tab and the partners' counts.
    Opportunities,
    /// An offer or its agreement: both tabs (an opportunity counts its offers), the
    /// partners' counts and values, the expiries.
    Offers,
}

impl Command {
    pub fn touches(&self) -> Touched {
        match self {
            Command::ReleaseOpportunity(_)
            | Command::EndOpportunity(_)
            | Command::ExtendOpportunity(..)
            | Command::DeleteOpportunity(_)
            | Command::CreateOpportunity { .. }
            | Command::EditOpportunity { .. } => Touched::Opportunities,
            Command::ReleaseOffer(_)
            | Command::CancelOffer(_)
            | Command::DeleteOffer(_)
            | Command::ExtendOffer(..)
            | Command::AcceptOffer(_)
            | Command::PayNext(_)
            | Command::Finance(..)
            | Command::CreateOffer { .. }
            | Command::CreateReplacementOffer { .. }
            | Command::EditOffer { .. } => Touched::Offers,
            Command::AddAccount { .. } => Touched::Accounts,
        }
    }
}
