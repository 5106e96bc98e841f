//! Who sees what. One place decides which records, and which of their fields, an account
//! may see; the store's scoped queries implement the same predicates in SQL, and a test
//! checks the two agree.

use super::agreement::{Agreement, Disbursement};
use super::financing::{Financing, FinancingStatus};
use super::ids::AccountId;
use super::offer::{Offer, OfferState};
use super::opportunity::{Opportunity, OpportunityKind, OpportunityState};

/// In which capacity the viewer sees a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Isv,
    Partner,
    Buyer,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Isv => "isv",
            Self::Partner => "partner",
            Self::Buyer => "buyer",
        }
    }
}

/// The fields of an offer or agreement the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    /// Wholesale prices and totals.
    pub wholesale: bool,
    /// The buyer's price.
    pub buyer_price: bool,
    /// The partner's markup (the partner's own business: never the ISV's or the buyer's).
    pub markup: bool,
    /// Listing-fee rate and amount.
    pub fee: bool,
    pub isv_net: bool,
    pub partner_net: bool,
    /// The real end buyer (else the partner stands in as the buyer, as AWS reports it).
    pub end_buyer: bool,
    /// Internal descriptions (never shown to buyers).
    pub description: bool,
}

impl Fields {
    /// What each audience sees of an offer made from an opportunity of `kind`.
    pub fn for_offer(audience: Audience, kind: OpportunityKind) -> Self {
        match audience {
            Audience::Partner => Fields {
                wholesale: true,
                buyer_price: true,
                markup: true,
                fee: true,
                isv_net: true,
                partner_net: true,
                end_buyer: true,
                description: true,
            },
            Audience::Isv => Fields {
                wholesale: true,
                buyer_price: false,
                markup: false,
                fee: true,
                isv_net: true,
                partner_net: false,
                end_buyer: kind == OpportunityKind::OneTime,
                description: true,
            },
            Audience::Buyer => Fields {
                wholesale: false,
                buyer_price: true,
                markup: false,
                fee: false,
                isv_net: false,
                partner_net: false,
                end_buyer: true,
                description: false,
            },
        }
    }
}

/// The ISV sees every opportunity it granted; the partner those granted to it, except
/// drafts; buyers never see opportunities.
pub fn opportunity(viewer: &AccountId, o: &Opportunity) -> Option<Audience> {
    if *viewer == o.isv {
        Some(Audience::Isv)
    } else if *viewer == o.partner && o.state != OpportunityState::Draft {
        Some(Audience::Partner)
    } else {
        None
    }
}

/// The partner sees every offer it made; the ISV and the buyer only released ones (and
/// the buyer only its own).
pub fn offer(viewer: &AccountId, o: &Offer) -> Option<Audience> {
    if *viewer == o.partner {
        Some(Audience::Partner)
    } else if o.state == OfferState::Draft {
        None
    } else if *viewer == o.isv {
        Some(Audience::Isv)
    } else if o.buyer.as_ref() == Some(viewer) || o.buyer_accounts.contains(viewer) {
        Some(Audience::Buyer)
    } else {
        None
    }
}

/// Every account that sees `o` as it stands ([`opportunity`] says `Some` for each): the
/// readers of its events.
pub fn opportunity_readers(o: &Opportunity) -> Vec<&AccountId> {
    let mut readers = vec![&o.isv];
    if o.state != OpportunityState::Draft {
        readers.push(&o.partner);
    }
    readers
}

/// Every account that sees `o` as it stands ([`offer`] says `Some` for each): the readers
/// of its events.
pub fn offer_readers(o: &Offer) -> Vec<&AccountId> {
    let mut readers = vec![&o.partner];
    if o.state != OfferState::Draft {
        readers.push(&o.isv);
        readers.extend(o.buyer.iter().chain(&o.buyer_accounts));
    }
    readers
}

/// What a `list-entities` summary says of the state of a record cppo holds no details of
/// (`None`: the summary did not say, or said a word cppo does not know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryState {
    Opportunity(Option<OpportunityState>),
    Offer(Option<OfferState>),
}

impl SummaryState {
    /// From AWS's word (`Draft`, `Active`, `Restricted`; `Released`) for an `entity` of
    /// "opportunity" or "offer".
    pub fn of_aws(entity: &str, word: Option<&str>) -> Self {
        let word = word.map(str::to_ascii_lowercase);
        match entity {
            "offer" => Self::Offer(word.as_deref().and_then(OfferState::parse)),
            _ => Self::Opportunity(word.as_deref().and_then(OpportunityState::parse)),
        }
    }
}

/// A record known by its `list-entities` summary only: the account that imported it sees
/// it, and the parties it names see it as they would the record: the ISV an offer once
/// released, the partner an opportunity once out of draft (a state the summary did not
/// give counts as a draft). Buyers see no summaries.
pub fn summary(
    viewer: &AccountId,
    imported_by: &AccountId,
    isv: Option<&AccountId>,
    partner: Option<&AccountId>,
    state: SummaryState,
) -> bool {
    if viewer == imported_by {
        return true;
    }
    match state {
        SummaryState::Opportunity(s) => {
            isv == Some(viewer) || (partner == Some(viewer) && s.is_some_and(|s| s != OpportunityState::Draft))
        }
        SummaryState::Offer(s) => partner == Some(viewer) || (isv == Some(viewer) && s == Some(OfferState::Released)),
    }
}

/// Every account that sees agreement `a` (its three parties): the readers of its events.
pub fn agreement_readers(a: &Agreement) -> Vec<&AccountId> {
    vec![&a.isv, &a.partner, &a.buyer]
}

/// The three parties of an agreement see it.
pub fn agreement(viewer: &AccountId, a: &Agreement) -> Option<Audience> {
    if *viewer == a.partner {
        Some(Audience::Partner)
    } else if *viewer == a.isv {
        Some(Audience::Isv)
    } else if *viewer == a.buyer {
        Some(Audience::Buyer)
    } else {
        None
    }
}

/// A disbursement is seen by its payee only.
pub fn disbursement(viewer: &AccountId, d: &Disbursement) -> bool {
    *viewer == d.payee
}

/// What a party of an agreement sees of its financing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinancingSight {
    /// The financier, the status, the amount and the repayment plan: the buyer's own
    /// business.
    Full,
    /// Only that a financier paid the charges (the sellers, once it is funded).
    PaidByFinancier,
    /// Nothing: an application not funded is none of the sellers' business.
    Nothing,
}

/// The buyer sees its financing; the ISV and the partner see only that a financier paid,
/// once one has.
pub fn financing(audience: Audience, f: &Financing) -> FinancingSight {
    match (audience, f.status) {
        (Audience::Buyer, _) => FinancingSight::Full,
        (_, FinancingStatus::Funded) => FinancingSight::PaidByFinancier,
        _ => FinancingSight::Nothing,
    }
}
