//! Agreements that AWS Marketplace holds and cppo learned by import (the Agreement API's
//! `search-agreements`, `describe-agreement` and `get-agreement-terms`): AWS's status words
//! kept as they are, who may import one, and the renewal radar's rule for them and for
//! cppo's own agreements. cppo never changes an imported agreement: AWS does, and the next
//! import brings it.

use chrono::{DateTime, NaiveDate, Utc};

use super::agreement::AgreementStatus;
use super::error::RuleError;
use super::ids::{AccountId, AgreementId};
use super::money::{Currency, Money};
use super::offer::Offer;
use super::sync::hidden;
use super::visibility::Audience;

/// AWS's `AgreementStatus`, every word of its model, as AWS writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwsAgreementStatus {
    Active,
    Archived,
    Cancelled,
    Expired,
    Renewed,
    Replaced,
    RolledBack,
    Superseded,
    Terminated,
}

impl AwsAgreementStatus {
    pub const ALL: [Self; 9] = [
        Self::Active,
        Self::Archived,
        Self::Cancelled,
        Self::Expired,
        Self::Renewed,
        Self::Replaced,
        Self::RolledBack,
        Self::Superseded,
        Self::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Archived => "ARCHIVED",
            Self::Cancelled => "CANCELLED",
            Self::Expired => "EXPIRED",
            Self::Renewed => "RENEWED",
            Self::Replaced => "REPLACED",
            Self::RolledBack => "ROLLED_BACK",
            Self::Superseded => "SUPERSEDED",
            Self::Terminated => "TERMINATED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The word people see, written as every other status is (`Rolled back` for
    /// `ROLLED_BACK`); the JSON keeps AWS's.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Archived => "Archived",
            Self::Cancelled => "Cancelled",
            Self::Expired => "Expired",
            Self::Renewed => "Renewed",
            Self::Replaced => "Replaced",
            Self::RolledBack => "Rolled back",
            Self::Superseded => "Superseded",
            Self::Terminated => "Terminated",
        }
    }

    /// The status of cppo's own agreements this word counts as, where the Agreements tab
    /// narrows (`f`) or sorts by status: ended at its term (EXPIRED, ARCHIVED), ended before
    /// it (CANCELLED, TERMINATED, ROLLED_BACK), another agreement in its place (REPLACED,
    /// RENEWED, SUPERSEDED). The word itself is what every screen shows.
    pub fn kin(self) -> AgreementStatus {
        match self {
            Self::Active => AgreementStatus::Active,
            Self::Expired | Self::Archived => AgreementStatus::Expired,
            Self::Cancelled | Self::Terminated | Self::RolledBack => AgreementStatus::Cancelled,
            Self::Replaced | Self::Renewed | Self::Superseded => AgreementStatus::Replaced,
        }
    }

    /// The words that count as `status` (see [`kin`](Self::kin)).
    pub fn of_kin(status: AgreementStatus) -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(move |s| s.kin() == status)
    }
}

/// One dated charge of an imported agreement's payment schedule (`paymentScheduleTerm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCharge {
    /// The UTC day of `chargeDate`.
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// An agreement as AWS holds it. Keyed by AWS's `agreementId`; its offer is AWS's
/// `proposalSummary.offerId`, which the file may not hold ("offer not imported").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsAgreement {
    pub id: AgreementId,
    /// AWS's offer id as written; `None` when AWS gave none.
    pub offer_id: Option<String>,
    /// The seller of record (for a CPPO, the partner).
    pub proposer: AccountId,
    /// The buyer.
    pub acceptor: AccountId,
    /// The manufacturer, known through the offer when the file holds it.
    pub isv: Option<AccountId>,
    /// `proposalSummary.resources[0]`: the product's id and type as AWS writes them.
    pub product_id: Option<String>,
    pub product_type: Option<String>,
    /// `PurchaseAgreement`, ...
    pub agreement_type: Option<String>,
    pub status: AwsAgreementStatus,
    pub accepted_at: Option<DateTime<Utc>>,
    pub starts_at: Option<DateTime<Utc>>,
    /// `None`: pay-as-you-go (no end; never on the renewal radar).
    pub ends_at: Option<DateTime<Utc>>,
    /// `estimatedCharges` (describe-agreement only).
    pub value: Option<Money>,
    /// From get-agreement-terms' payment schedule; empty without one.
    pub charges: Vec<AwsCharge>,
    pub version: i64,
}

impl AwsAgreement {
    /// The UTC day it ends; `None` for pay-as-you-go.
    pub fn ends_on(&self) -> Option<NaiveDate> {
        self.ends_at.map(|t| t.date_naive())
    }

    pub fn starts_on(&self) -> Option<NaiveDate> {
        self.starts_at.map(|t| t.date_naive())
    }

    /// The currency of its value or its charges, when AWS said.
    pub fn currency(&self) -> Option<Currency> {
        self.value.map(|v| v.currency()).or_else(|| self.charges.first().map(|c| c.amount.currency()))
    }

    /// Is `viewer` one of its parties: proposer, acceptor or (via the offer) manufacturer?
    pub fn is_party(&self, viewer: &AccountId) -> bool {
        *viewer == self.proposer || *viewer == self.acceptor || self.isv.as_ref() == Some(viewer)
    }
}

/// May `actor` import AWS's version `next` of an agreement, over `held` if the file has it?
/// Issue 17's rule: a held agreement is judged by the stored record (its parties, which an
/// import never changes); a new one by the parties the input names (proposer, acceptor) and
/// the ISV of its offer when the file holds it. Any other account learns nothing of a held one.
pub fn check_agreement_import(
    actor: &AccountId,
    held: Option<&AwsAgreement>,
    next: &AwsAgreement,
) -> Result<(), RuleError> {
    let Some(held) = held else {
        if next.is_party(actor) {
            return Ok(());
        }
        return Err(RuleError::denied(format!(
            "you ({actor}) are not a party of {}: its proposer is {} and its acceptor {}; import it as one of them with --as",
            next.id, next.proposer, next.acceptor
        )));
    };
    if !held.is_party(actor) {
        return Err(hidden(held.id.as_str()));
    }
    for (what, h, n) in [("proposer", &held.proposer, &next.proposer), ("acceptor", &held.acceptor, &next.acceptor)] {
        if h != n {
            return Err(RuleError::validation(format!(
                "its {what} is {h} in cppo, and the input names {n}: an import never changes it"
            )));
        }
    }
    Ok(())
}

/// How `viewer` sees an imported agreement: as its proposer (the partner), its manufacturer
/// (the ISV) or its acceptor (the buyer); `None` when it is not a party.
pub fn audience(viewer: &AccountId, a: &AwsAgreement) -> Option<Audience> {
    if *viewer == a.proposer {
        Some(Audience::Partner)
    } else if a.isv.as_ref() == Some(viewer) {
        Some(Audience::Isv)
    } else if *viewer == a.acceptor {
        Some(Audience::Buyer)
    } else {
        None
    }
}

/// Does `audience` see an imported agreement's amounts (its value, its charges)? They are the
/// buyer's price: the partner's business and the buyer's, never the ISV's (as for cppo's own).
pub fn sees_amounts(audience: Audience) -> bool {
    audience != Audience::Isv
}

/// Links `next` to the offer the file holds under its `offerId`: the offer's ISV becomes its
/// manufacturer. An offer whose partner or buyer is not the agreement's is not its offer:
/// refused, so that no input gives an ISV sight of someone else's agreement.
pub fn link_offer(next: &mut AwsAgreement, offer: &Offer) -> Result<(), RuleError> {
    if offer.partner != next.proposer {
        return Err(RuleError::validation(format!(
            "its offer {} is {}'s in cppo, and AWS names {} as its proposer: not the same offer",
            offer.id, offer.partner, next.proposer
        )));
    }
    let addressed = offer.buyer.iter().chain(&offer.buyer_accounts).any(|b| *b == next.acceptor);
    if let Some(buyer) = offer.buyer.as_ref().filter(|_| !addressed) {
        return Err(RuleError::validation(format!(
            "its offer {} is addressed to {buyer} in cppo, and AWS names {} as its acceptor: not the same offer",
            offer.id, next.acceptor
        )));
    }
    next.isv = Some(offer.isv.clone());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acct(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn agreement() -> AwsAgreement {
        AwsAgreement {
            id: AgreementId::parse("agmt-1111111111111111111111111").unwrap(),
            offer_id: Some("offer-abc".into()),
            proposer: acct("222222222222"),
            acceptor: acct("333333333333"),
            isv: None,
            product_id: None,
            product_type: None,
            agreement_type: Some("PurchaseAgreement".into()),
            status: AwsAgreementStatus::Active,
            accepted_at: None,
            starts_at: None,
            ends_at: None,
            value: None,
            charges: Vec::new(),
            version: 0,
        }
    }

    #[test]
    fn every_aws_status_word_reads_back() {
        for s in AwsAgreementStatus::ALL {
            assert_eq!(AwsAgreementStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AwsAgreementStatus::parse("Active"), None);
    }

    #[test]
    fn every_aws_word_counts_as_one_of_cppos_statuses() {
        use AgreementStatus as S;
        for s in AwsAgreementStatus::ALL {
            assert!(AwsAgreementStatus::of_kin(s.kin()).any(|w| w == s), "{}", s.as_str());
        }
        let words = |k: S| AwsAgreementStatus::of_kin(k).map(|s| s.as_str()).collect::<Vec<_>>();
        assert_eq!(words(S::Active), ["ACTIVE"]);
        assert_eq!(words(S::Expired), ["ARCHIVED", "EXPIRED"]);
        assert_eq!(words(S::Cancelled), ["CANCELLED", "ROLLED_BACK", "TERMINATED"]);
        assert_eq!(words(S::Replaced), ["RENEWED", "REPLACED", "SUPERSEDED"]);
    }

    #[test]
    fn only_a_party_imports_an_agreement() {
        let a = agreement();
        assert!(check_agreement_import(&acct("222222222222"), None, &a).is_ok());
        assert!(check_agreement_import(&acct("333333333333"), None, &a).is_ok());
        let e = check_agreement_import(&acct("444444444444"), None, &a).unwrap_err();
        assert!(e.message.contains("--as"), "{}", e.message);
        let with_isv = AwsAgreement { isv: Some(acct("111111111111")), ..a.clone() };
        assert!(check_agreement_import(&acct("111111111111"), None, &with_isv).is_ok());
    }

    #[test]
    fn a_held_agreement_is_judged_by_the_stored_record() {
        let held = agreement();
        // The input naming the outsider as proposer does not make it a party.
        let next = AwsAgreement { proposer: acct("444444444444"), ..held.clone() };
        let e = check_agreement_import(&acct("444444444444"), Some(&held), &next).unwrap_err();
        assert!(e.message.contains("another account's record"), "{}", e.message);
        let e = check_agreement_import(&acct("222222222222"), Some(&held), &next).unwrap_err();
        assert!(e.message.contains("never changes"), "{}", e.message);
        assert!(check_agreement_import(&acct("333333333333"), Some(&held), &held).is_ok());
    }
}
