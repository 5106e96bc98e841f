//! Agreements: made when a buyer accepts an offer; their charges and the disbursements a
//! paid charge produces.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::{ErrorCode, RuleError};
use super::ids::{AccountId, AgreementId, ChargeId, DisbursementId, OfferId, OpportunityId};
use super::money::{Currency, Money};
use super::offer::Offer;
use super::opportunity::Opportunity;
use super::pricing::{Breakdown, split_charge};

/// An agreement end date fixed in advance (a replacement offer's): after today, and a date
/// the file can hold.
pub fn check_end(end: NaiveDate, today: NaiveDate) -> Result<NaiveDate, RuleError> {
    if end <= today {
        return Err(RuleError::validation(format!(
            "the new agreement's end date {end} is not after today ({today}): pick a later date"
        )));
    }
    super::clock::check_storable(end)?;
    Ok(end)
}

/// The stored status; `Expired` is derived from the end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementStatus {
    Active,
    Expired,
    Cancelled,
    /// A replacement offer was accepted: the agreement it made took this one's place.
    Replaced,
}

impl AgreementStatus {
    /// In the order `f` cycles them and a status sort lists them.
    pub const ALL: [Self; 4] = [Self::Active, Self::Expired, Self::Cancelled, Self::Replaced];
    /// AWS's word, the JSON contract's and the file's.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Expired => "EXPIRED",
            Self::Cancelled => "CANCELLED",
            Self::Replaced => "REPLACED",
        }
    }
    /// The word people see, written as every other status is (`Active`, as an offer's).
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
            Self::Replaced => "Replaced",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "EXPIRED" => Some(Self::Expired),
            "CANCELLED" => Some(Self::Cancelled),
            "REPLACED" => Some(Self::Replaced),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: ChargeId,
    pub due_on: NaiveDate,
    /// What the buyer pays (`C`).
    pub amount: Money,
    /// The ISV's part of it (`W`).
    pub wholesale: Money,
    pub paid_on: Option<NaiveDate>,
    /// Set when the agreement was replaced before this charge was paid: nobody pays it.
    pub cancelled_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayeeRole {
    Isv,
    Partner,
}

impl PayeeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Isv => "isv",
            Self::Partner => "partner",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "isv" => Some(Self::Isv),
            "partner" => Some(Self::Partner),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disbursement {
    pub id: DisbursementId,
    pub agreement_id: AgreementId,
    pub charge_id: ChargeId,
    pub payee: AccountId,
    pub role: PayeeRole,
    pub amount: Money,
    /// Kept from the ISV's part (ISV rows only).
    pub listing_fee: Option<Money>,
    pub paid_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: AgreementId,
    pub offer_id: OfferId,
    pub opportunity_id: OpportunityId,
    /// Proposer: the partner, seller of record.
    pub partner: AccountId,
    /// Acceptor.
    pub buyer: AccountId,
    /// Manufacturer.
    pub isv: AccountId,
    pub currency: Currency,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The buyer's total contract value.
    pub total: Money,
    pub wholesale_total: Money,
    /// Listing-fee rate in percent, fixed at acceptance.
    pub fee_rate_pct: Decimal,
    pub cancelled: bool,
    /// The agreement this one replaced (it came from a replacement offer).
    pub replaces: Option<AgreementId>,
    /// The agreement that replaced this one: it is REPLACED.
    pub replaced_by: Option<AgreementId>,
    pub charges: Vec<Charge>,
    pub version: i64,
}

impl Agreement {
    /// The buyer accepts `offer`: an agreement starting today for the offer's duration (one
    /// of the opportunity's), charged upfront today or on the installment dates.
    pub fn accept(
        id: AgreementId,
        actor: &AccountId,
        offer: &Offer,
        opportunity: &Opportunity,
        breakdown: &Breakdown,
        today: NaiveDate,
    ) -> Result<Self, RuleError> {
        offer.check_accept(actor, today)?;
        opportunity.for_duration(offer.duration)?;
        // A replacement offer may fix the new agreement's end date; otherwise it lasts the
        // offer's duration from today.
        let ends_on = match offer.agreement_ends_on {
            Some(end) => check_end(end, today)?,
            None => offer
                .duration
                .after(today)
                .ok_or_else(|| RuleError::validation("the agreement would end past the calendar"))?,
        };
        let charges = breakdown
            .charges
            .iter()
            .map(|c| Charge {
                id: ChargeId::generate(),
                due_on: c.due_on.unwrap_or(today).max(today),
                amount: c.buyer,
                wholesale: c.wholesale,
                paid_on: None,
                cancelled_on: None,
            })
            .collect();
        Ok(Self {
            id,
            offer_id: offer.id.clone(),
            opportunity_id: opportunity.id.clone(),
            partner: offer.partner.clone(),
            buyer: actor.clone(),
            isv: offer.isv.clone(),
            currency: offer.currency,
            starts_on: today,
            ends_on,
            total: breakdown.buyer_total,
            wholesale_total: breakdown.wholesale_total,
            fee_rate_pct: breakdown.fee_rate_pct,
            cancelled: false,
            replaces: offer.replaces.clone(),
            replaced_by: None,
            charges,
            version: 0,
        })
    }

    pub fn status(&self, today: NaiveDate) -> AgreementStatus {
        if self.replaced_by.is_some() {
            AgreementStatus::Replaced
        } else if self.cancelled {
            AgreementStatus::Cancelled
        } else if today >= self.ends_on {
            AgreementStatus::Expired
        } else {
            AgreementStatus::Active
        }
    }

    /// The next charge still to be paid (a cancelled charge is not).
    pub fn next_unpaid(&self) -> Option<&Charge> {
        self.charges.iter().find(|c| c.paid_on.is_none() && c.cancelled_on.is_none())
    }

    /// The buyer pays the next charge that is due; returns its index and the two
    /// disbursements (ISV: wholesale less the listing fee; partner: the markup).
    pub fn pay_next(&mut self, actor: &AccountId, today: NaiveDate) -> Result<(usize, [Disbursement; 2]), RuleError> {
        if *actor != self.buyer {
            return Err(RuleError::denied(format!("only the buyer ({}) pays {}", self.buyer, self.id)));
        }
        if self.cancelled {
            return Err(RuleError::status(format!("{} is Cancelled: nothing more is charged", self.id)));
        }
        if let Some(by) = &self.replaced_by {
            return Err(RuleError::status(format!(
                "{} is Replaced by {by}: nothing more is charged on it; pay {by} instead",
                self.id
            )));
        }
        let Some(idx) = self.charges.iter().position(|c| c.paid_on.is_none() && c.cancelled_on.is_none()) else {
            return Err(RuleError::new(ErrorCode::NothingDue, format!("every charge of {} is paid", self.id)));
        };
        let charge = &self.charges[idx];
        if charge.due_on > today {
            return Err(RuleError::new(
                ErrorCode::NothingDue,
                format!("the next charge of {} is due on {}: nothing is due yet", self.id, charge.due_on),
            ));
        }
        Ok((idx, self.settle(idx, today)))
    }

    /// A financier pays every charge still to pay, due or not (the buyer's financing was
    /// funded): each charge's index and its two disbursements, as for a payment.
    pub fn pay_open_by_financier(&mut self, today: NaiveDate) -> Vec<(usize, [Disbursement; 2])> {
        let open: Vec<usize> = (0..self.charges.len())
            .filter(|&i| self.charges[i].paid_on.is_none() && self.charges[i].cancelled_on.is_none())
            .collect();
        open.into_iter().map(|i| (i, self.settle(i, today))).collect()
    }

    /// Marks charge `idx` paid today and splits it: the ISV's wholesale less the listing
    /// fee, the partner's markup.
    fn settle(&mut self, idx: usize, today: NaiveDate) -> [Disbursement; 2] {
        let charge = &mut self.charges[idx];
        charge.paid_on = Some(today);
        let split = split_charge(charge.amount, charge.wholesale, self.fee_rate_pct);
        let isv = Disbursement {
            id: DisbursementId::generate(),
            agreement_id: self.id.clone(),
            charge_id: charge.id.clone(),
            payee: self.isv.clone(),
            role: PayeeRole::Isv,
            amount: split.isv,
            listing_fee: Some(split.listing_fee),
            paid_on: today,
        };
        let partner = Disbursement {
            id: DisbursementId::generate(),
            agreement_id: self.id.clone(),
            charge_id: charge.id.clone(),
            payee: self.partner.clone(),
            role: PayeeRole::Partner,
            amount: split.partner,
            listing_fee: None,
            paid_on: today,
        };
        [isv, partner]
    }
}
