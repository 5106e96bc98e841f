//! The CPPO domain: pure types and rules. No SQL, no terminal, no I/O.
//!
//! Everything a user may do is decided here: who may act, in which state, with which
//! numbers. `store` persists what this module produces; `market` sequences the two.

/// Serializes an enum as the text of one of its methods (`as_str` or `label`): the JSON
/// contract's words, written once, by the type itself.
macro_rules! serialize_as {
    ($ty:ty, $method:ident) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$method())
            }
        }
    };
}

pub mod account;
pub mod agreement;
pub mod aws_agreement;
pub mod clock;
pub mod error;
pub mod fees;
pub mod financing;
pub mod ids;
pub mod input;
pub mod money;
pub mod offer;
pub mod opportunity;
pub mod pricing;
pub mod product;
pub mod radar;
pub mod replacement;
pub mod sync;
pub mod unit_price;
pub mod visibility;

/// Shows an enum as its contract word (`as_str`), for tables and messages.
macro_rules! display_as {
    ($ty:ty, $method:ident) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.$method())
            }
        }
    };
}

display_as!(OpportunityKind, as_str);
display_as!(OpportunityState, as_str);
display_as!(OfferState, as_str);
// Statuses show as people read them; their JSON is AWS's word (`serialize_as!` below).
display_as!(AgreementStatus, label);
display_as!(FinancingStatus, as_str);
display_as!(aws_agreement::AwsAgreementStatus, label);
display_as!(visibility::Audience, as_str);
display_as!(ProductType, as_str);
display_as!(PricingModel, as_str);
display_as!(account::PartnerKind, as_str);

serialize_as!(OpportunityKind, as_str);
serialize_as!(OpportunityState, as_str);
serialize_as!(OpportunityStatus, label);
serialize_as!(OfferState, as_str);
serialize_as!(OfferStatus, label);
serialize_as!(AgreementStatus, as_str);
serialize_as!(FinancingStatus, as_str);
serialize_as!(aws_agreement::AwsAgreementStatus, as_str);
serialize_as!(visibility::Audience, as_str);

pub use account::{Account, Roles};
pub use agreement::{Agreement, AgreementStatus, Charge, Disbursement, PayeeRole};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ErrorCode, RuleError};
pub use financing::{Financing, FinancingRequest, FinancingStatus};
pub use ids::{AccountId, AgreementId, ChargeId, DisbursementId, OfferId, OpportunityId, ProductId, RecordId};
pub use money::{Currency, Money};
pub use offer::{Offer, OfferState, OfferStatus};
pub use opportunity::{Opportunity, OpportunityKind, OpportunityState, OpportunityStatus};
pub use product::{Dimension, PricingModel, Product, ProductType};
