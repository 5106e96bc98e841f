//! The CPPO domain: pure types and rules. No SQL, no terminal, no I/O.
//!
//! Everything a user may do is decided here: who may act, in which state, with which
//! numbers. `store` persists what this module produces; `market` sequences the two.

pub mod account;
pub mod agreement;
pub mod clock;
pub mod error;
pub mod fees;
pub mod ids;
pub mod money;
pub mod offer;
pub mod opportunity;
pub mod pricing;
pub mod product;
pub mod sync;
pub mod visibility;

pub use account::{Account, Roles};
pub use agreement::{Agreement, AgreementStatus, Charge, Disbursement, PayeeRole};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ErrorCode, RuleError};
pub use ids::{AccountId, AgreementId, ChargeId, DisbursementId, OfferId, OpportunityId, ProductId};
pub use money::{Currency, Money};
pub use offer::{Offer, OfferState, OfferStatus};
pub use opportunity::{Opportunity, OpportunityKind, OpportunityState, OpportunityStatus};
pub use product::{Dimension, PricingModel, Product, ProductType};
