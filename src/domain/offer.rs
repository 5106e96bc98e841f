//! Private offers: made by a partner from an opportunity it received, for exactly one buyer.
//!
//! Stored states `Draft -> Released`; after release only the expiry date moves (extend,
//! or cancel = expiry moved to the past, the day of the cancel kept). The status people see
//! is derived.

use std::fmt;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::account::validate_text;
use super::clock::{DateRange, check_not_past, is_past_end};
use super::error::{ErrorCode, RuleError};
use super::ids::{AccountId, AgreementId, OfferId, OpportunityId, ProductId};
use super::money::{Currency, MAX_MARKUP_PCT};
use super::opportunity::{Opportunity, OpportunityKind};
use super::product::{Duration, PricingModel};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferState {
    Draft,
    Released,
}

impl OfferState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Released => "released",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "released" => Some(Self::Released),
            _ => None,
        }
    }
}

/// What an offer is now, as people see it. Cancelled and Expired are different facts: the
/// partner withdrew it, or the buyer let it lapse (an offer imported from AWS past its end
/// is Expired: AWS does not say why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferStatus {
    Draft,
    Active,
    Accepted,
    Expired,
    Cancelled,
}

impl OfferStatus {
    /// In the order `f` cycles them and a status sort lists them.
    pub const ALL: [Self; 5] = [Self::Draft, Self::Active, Self::Accepted, Self::Expired, Self::Cancelled];
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Active => "Active",
            Self::Accepted => "Accepted",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Accepted => "accepted",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|st| st.key() == t).ok_or_else(|| {
            RuleError::validation(format!(
                "`{}` is not an offer status: use draft, active, accepted, expired or cancelled",
                s.trim()
            ))
        })
    }
}

impl fmt::Display for OfferStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

// The cap on units is the dimension's (grants obey it too); offers' callers know it here.
pub use super::product::MAX_QUANTITY;
/// The longest name an offer made in cppo may have, in characters.
pub const NAME_MAX: usize = 150;

/// What the partner types when creating or editing a draft offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferTerms {
    pub name: String,
    pub description: String,
    /// Optional in a draft; required to release. Filled in for a one-time opportunity.
    pub buyer: Option<AccountId>,
    pub markup_pct: Decimal,
    pub expires_on: Option<NaiveDate>,
    pub quantities: Vec<(String, u64)>,
    /// One of the opportunity's durations; `None`: its first.
    pub duration: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: OfferId,
    pub opportunity_id: OpportunityId,
    pub product_id: ProductId,
    pub isv: AccountId,
    pub partner: AccountId,
    pub buyer: Option<AccountId>,
    /// The buyer's other AWS accounts the offer also targets (AWS: up to 25 accounts in all,
    /// `buyer` first); each sees the offer as its buyer. Only imported offers have them.
    pub buyer_accounts: Vec<AccountId>,
    pub name: String,
    pub description: String,
    pub markup_pct: Decimal,
    pub expires_on: Option<NaiveDate>,
    pub quantities: Vec<(String, u64)>,
    /// The contract duration the partner picked among the opportunity's: the agreement's
    /// length, and the rate card that prices it ([`Opportunity::for_duration`]).
    pub duration: Duration,
    /// AWS's buyer prices that differ from wholesale x markup (imported offers only).
    pub aws_buyer_prices: Vec<super::pricing::AwsBuyerPrice>,
    pub currency: Currency,
    pub state: OfferState,
    pub agreement_id: Option<AgreementId>,
    /// A replacement offer: the ACTIVE agreement its acceptance replaces (its buyer is that
    /// agreement's and cannot change). See `replacement`.
    pub replaces: Option<AgreementId>,
    /// A replacement offer's end date for the agreement it makes (AWS `AgreementEndDate`);
    /// `None`: the agreement lasts `duration` from its acceptance.
    pub agreement_ends_on: Option<NaiveDate>,
    /// The day the partner cancelled it (its expiry then moved to the day before); an
    /// extension clears it.
    pub cancelled_on: Option<NaiveDate>,
    pub created_on: NaiveDate,
    pub version: i64,
}

impl Offer {
    /// The partner creates a draft from an Active, unexpired, unconsumed opportunity it
    /// received. The caller counts the offer on the opportunity (`offers_created += 1`).
    pub fn draft(
        id: OfferId,
        actor: &AccountId,
        opportunity: &Opportunity,
        terms: OfferTerms,
        today: NaiveDate,
    ) -> Result<Self, RuleError> {
        opportunity.check_offer_allowed(actor, terms.buyer.as_ref(), today)?;
        let mut offer = Self::blank(id, opportunity, today);
        offer.apply_terms(opportunity, terms, today)?;
        Ok(offer)
    }

    /// A draft of `opportunity` with no terms yet.
    pub(super) fn blank(id: OfferId, opportunity: &Opportunity, today: NaiveDate) -> Self {
        Offer {
            id,
            opportunity_id: opportunity.id.clone(),
            product_id: opportunity.product_id.clone(),
            isv: opportunity.isv.clone(),
            partner: opportunity.partner.clone(),
            buyer: None,
            buyer_accounts: Vec::new(),
            name: String::new(),
            description: String::new(),
            markup_pct: Decimal::ZERO,
            expires_on: None,
            quantities: Vec::new(),
            duration: opportunity.duration,
            aws_buyer_prices: Vec::new(),
            currency: opportunity.currency,
            state: OfferState::Draft,
            agreement_id: None,
            replaces: None,
            agreement_ends_on: None,
            cancelled_on: None,
            created_on: today,
            version: 0,
        }
    }

    /// What an offer of `terms` on `opportunity` would cost, judged as the partner types it:
    /// the terms as a new draft (`new`) or as the edit of one would be judged, then priced
    /// with the fee table in force today, every amount within what the file holds. The offer
    /// form shows this on every key, without asking the store.
    pub fn preview(
        actor: &AccountId,
        opportunity: &Opportunity,
        terms: OfferTerms,
        today: NaiveDate,
        new: bool,
    ) -> Result<super::pricing::Breakdown, RuleError> {
        if new {
            opportunity.check_offer_allowed(actor, terms.buyer.as_ref(), today)?;
        }
        let mut offer = Self::blank(OfferId::generate(), opportunity, today);
        offer.require_partner(actor, "price")?;
        offer.apply_terms(opportunity, terms, today)?;
        let b = super::pricing::price_offer(
            &opportunity.for_duration(offer.duration)?,
            &offer.quantities,
            offer.markup_pct,
            today,
            super::fees::FeeTable::embedded(),
        );
        b.check_amounts()?;
        Ok(b)
    }

    /// The partner edits its draft; everything may change.
    pub fn edit(
        &mut self,
        actor: &AccountId,
        opportunity: &Opportunity,
        terms: OfferTerms,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        self.check_editable(actor, today)?;
        let mut next = self.clone();
        next.apply_terms(opportunity, terms, today)?;
        *self = next;
        Ok(())
    }

    /// The terms as the partner would type them again (an edit that changes nothing).
    pub fn terms(&self) -> OfferTerms {
        OfferTerms {
            name: self.name.clone(),
            description: self.description.clone(),
            buyer: self.buyer.clone(),
            markup_pct: self.markup_pct,
            expires_on: self.expires_on,
            quantities: self.quantities.clone(),
            duration: Some(self.duration),
        }
    }

    /// Only the partner edits, and only a Draft.
    pub fn check_editable(&self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        self.require_partner(actor, "edit")?;
        if self.state != OfferState::Draft {
            return Err(RuleError::status(format!(
                "{} is {}: only Draft offers can be edited; use `offers extend` to move its expiry",
                self.id,
                self.status(today).label()
            )));
        }
        Ok(())
    }

    pub(super) fn apply_terms(
        &mut self,
        opportunity: &Opportunity,
        t: OfferTerms,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        let name = validate_text("offer name", &t.name, 0, NAME_MAX)?;
        let description = validate_text("description", &t.description, 0, 255)?;
        let buyer = match (opportunity.kind, t.buyer) {
            // A replacement offer's buyer is its agreement's, set when it was drafted.
            (_, b) if self.replaces.is_some() => self.fixed_buyer(b)?,
            (OpportunityKind::OneTime, None) => opportunity.buyers.first().cloned(),
            (_, b) => b,
        };
        if let Some(b) = &buyer {
            opportunity.check_buyer(b)?;
            if *b == self.partner || *b == self.isv {
                return Err(RuleError::validation(
                    "the buyer must be another account than the partner and the ISV of the product",
                ));
            }
        }
        if t.markup_pct < Decimal::ZERO || t.markup_pct > MAX_MARKUP_PCT || t.markup_pct.normalize().scale() > 9 {
            return Err(RuleError::validation(format!(
                "markup {}% must be 0 or more (at most {MAX_MARKUP_PCT}) with at most 9 decimals: the buyer never pays less than wholesale",
                t.markup_pct
            )));
        }
        if let Some(exp) = t.expires_on {
            check_expiry(opportunity, exp, today)?;
        }
        let duration = t.duration.unwrap_or(opportunity.duration);
        opportunity.for_duration(duration)?;
        for (i, (key, qty)) in t.quantities.iter().enumerate() {
            match opportunity.price_of(key) {
                None => {
                    let keys: Vec<&str> = opportunity.prices.iter().map(|p| p.dimension.as_str()).collect();
                    return Err(RuleError::validation(format!(
                        "`{key}` is not a dimension of this opportunity: use one of {}",
                        keys.join(", ")
                    )));
                }
                Some(p) if p.pricing == PricingModel::Usage => {
                    return Err(RuleError::validation(format!("`{key}` is billed by usage: it takes no quantity")));
                }
                Some(p) if p.granted_units.is_some_and(|g| g != *qty) => {
                    return Err(RuleError::validation(format!(
                        "`{key}` comes as {} units, granted by the authorization for its fixed price: every offer buys exactly those",
                        p.granted_units.unwrap_or_default()
                    )));
                }
                Some(_) => {}
            }
            if *qty > MAX_QUANTITY {
                return Err(RuleError::validation(format!(
                    "quantity {qty} of `{key}` is too large: at most {MAX_QUANTITY}"
                )));
            }
            if t.quantities[..i].iter().any(|(k, _)| k == key) {
                return Err(RuleError::validation(format!("`{key}` has two quantities")));
            }
        }
        self.name = name;
        self.description = description;
        self.buyer = buyer;
        self.markup_pct = t.markup_pct.normalize();
        self.expires_on = t.expires_on;
        self.quantities = with_granted_units(opportunity, t.quantities);
        self.duration = duration;
        Ok(())
    }

    /// The partner releases its draft to the buyer.
    pub fn release(&mut self, actor: &AccountId, opportunity: &Opportunity, today: NaiveDate) -> Result<(), RuleError> {
        self.require_partner(actor, "release")?;
        if self.state != OfferState::Draft {
            return Err(RuleError::status(format!(
                "{} is {}: only Draft offers can be released",
                self.id,
                self.status(today).label()
            )));
        }
        if self.name.is_empty() {
            return Err(RuleError::new(ErrorCode::MissingMandatoryTerms, "the offer needs a name: edit the draft"));
        }
        let Some(buyer) = &self.buyer else {
            return Err(RuleError::new(
                ErrorCode::MissingBuyerAccounts,
                "the offer needs its buyer account: edit the draft",
            ));
        };
        opportunity.check_buyer(buyer)?;
        let Some(exp) = self.expires_on else {
            return Err(RuleError::new(
                ErrorCode::MissingAvailabilityEndDate,
                "the offer needs an expiry date: edit the draft",
            ));
        };
        opportunity.check_usable(today)?;
        check_expiry(opportunity, exp, today)?;
        let has_contract = opportunity.prices.iter().any(|p| p.pricing == PricingModel::Contract);
        let any_quantity = self.quantities.iter().any(|(_, q)| *q > 0);
        if !super::pricing::value_known(has_contract, !opportunity.installments.is_empty(), any_quantity) {
            return Err(RuleError::new(
                ErrorCode::MissingMandatoryTerms,
                "the offer sells nothing: give a quantity for at least one dimension",
            ));
        }
        self.state = OfferState::Released;
        Ok(())
    }

    /// The partner moves a released offer's expiry later: an expired or cancelled one becomes
    /// Active again.
    pub fn extend(
        &mut self,
        actor: &AccountId,
        opportunity: &Opportunity,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        self.require_partner(actor, "extend")?;
        self.require_open_release("extended", today)?;
        check_later_expiry(self.expires_on, to)?;
        // Offers already made stay as they are when an opportunity ends or expires, but
        // none gets new availability from it.
        opportunity.check_usable(today)?;
        check_expiry(opportunity, to, today)?;
        self.expires_on = Some(to);
        self.cancelled_on = None;
        Ok(())
    }

    /// The partner cancels a released offer: its expiry moves to yesterday, as AWS's portal
    /// does, and the day is kept (it is Cancelled, not Expired). Agreements already made are
    /// untouched (an accepted offer cannot be cancelled).
    pub fn cancel(&mut self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        self.require_partner(actor, "cancel")?;
        self.require_open_release("cancelled", today)?;
        match self.status(today) {
            OfferStatus::Expired => {
                return Err(RuleError::status(format!(
                    "{} is already Expired: the buyer can no longer accept it",
                    self.id
                )));
            }
            OfferStatus::Cancelled => return Err(RuleError::status(format!("{} is already Cancelled", self.id))),
            _ => {}
        }
        self.expires_on = Some(today.checked_sub_days(Days::new(1)).expect("a day before today exists"));
        self.cancelled_on = Some(today);
        Ok(())
    }

    /// The buyer may accept: released, addressed to it, unexpired, not yet accepted.
    pub fn check_accept(&self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        // Any of the buyer's accounts the offer targets accepts it, as AWS lets them.
        if self.buyer.as_ref() != Some(actor) && !self.buyer_accounts.contains(actor) {
            return Err(RuleError::denied(format!("{} is not addressed to {actor}", self.id)));
        }
        match self.status(today) {
            OfferStatus::Active => Ok(()),
            OfferStatus::Draft => Err(RuleError::status(format!("{} is a Draft", self.id))),
            OfferStatus::Accepted => Err(RuleError::status(format!("{} is already Accepted", self.id))),
            OfferStatus::Expired => Err(RuleError::new(
                ErrorCode::Expired,
                format!(
                    "{} expired on {}: ask the partner to extend it",
                    self.id,
                    self.expires_on.map_or_else(|| "-".into(), |d| d.to_string())
                ),
            )),
            OfferStatus::Cancelled => Err(RuleError::status(format!(
                "{} was cancelled by the partner on {}: ask the partner for a new offer",
                self.id,
                self.cancelled_on.map_or_else(|| "-".into(), |d| d.to_string())
            ))),
        }
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires_on.is_some_and(|e| is_past_end(e, today))
    }

    /// Draft; Accepted (an agreement exists); Cancelled (by its partner); Expired; Active.
    pub fn status(&self, today: NaiveDate) -> OfferStatus {
        match self.state {
            OfferState::Draft => OfferStatus::Draft,
            OfferState::Released if self.agreement_id.is_some() => OfferStatus::Accepted,
            OfferState::Released if self.cancelled_on.is_some() => OfferStatus::Cancelled,
            OfferState::Released if self.is_expired(today) => OfferStatus::Expired,
            OfferState::Released => OfferStatus::Active,
        }
    }

    /// Only the partner sends its offer to AWS; with `release`, a draft must be complete
    /// enough to release today.
    pub fn check_export(
        &self,
        actor: &AccountId,
        opportunity: &Opportunity,
        release: bool,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        self.require_partner(actor, "export")?;
        if release && self.state == OfferState::Draft {
            self.clone().release(actor, opportunity, today)?;
        }
        Ok(())
    }

    /// What an offer read from AWS must hold for cppo to keep it: it fits the opportunity it
    /// was made from (product, currency, buyers) and AWS's own limits (names, markup, up to
    /// 25 accounts of one buyer). Its expiry is AWS's, so it may be past; like a command's,
    /// it is not after the opportunity's end date (AWS refuses such an offer too).
    pub fn check_imported(&self, opportunity: &Opportunity) -> Result<(), RuleError> {
        validate_text("offer name", &self.name, 0, 255)?;
        validate_text("description", &self.description, 0, 5000)?;
        let incompatible = |m: String| RuleError::new(ErrorCode::IncompatibleResaleAuthorization, m);
        if self.opportunity_id != opportunity.id || self.product_id != opportunity.product_id {
            return Err(incompatible(format!(
                "it is for {} on {}, but {} is for {}",
                self.product_id, self.opportunity_id, opportunity.id, opportunity.product_id
            )));
        }
        if self.currency != opportunity.currency {
            return Err(incompatible(format!(
                "its prices are in {}, its resale authorization's in {}",
                self.currency, opportunity.currency
            )));
        }
        opportunity.for_duration(self.duration).map_err(|e| incompatible(e.message))?;
        if self.markup_pct < Decimal::ZERO
            || self.markup_pct > MAX_MARKUP_PCT
            || self.markup_pct.normalize().scale() > 9
        {
            return Err(RuleError::validation(format!(
                "markup {}% is outside 0 to {MAX_MARKUP_PCT}, or has more than 9 decimals",
                self.markup_pct
            )));
        }
        if let (Some(exp), Some(end)) = (self.expires_on, opportunity.ends_on)
            && exp > end
        {
            return Err(incompatible(format!("it expires {exp}, after its resale authorization's end date {end}")));
        }
        let accounts: Vec<&AccountId> = self.buyer.iter().chain(&self.buyer_accounts).collect();
        if accounts.len() > 25 {
            return Err(RuleError::new(
                ErrorCode::IncompatibleBuyerTargeting,
                format!("{} buyer accounts: AWS allows at most 25", accounts.len()),
            ));
        }
        for (i, b) in accounts.iter().enumerate() {
            if accounts[..i].contains(b) {
                return Err(RuleError::validation(format!("buyer account {b} is listed twice")));
            }
            if **b == self.partner || **b == self.isv {
                return Err(RuleError::validation(format!("buyer account {b} is the partner or the ISV")));
            }
            opportunity.check_buyer(b)?;
        }
        if self.buyer.is_none() && !self.buyer_accounts.is_empty() {
            return Err(RuleError::validation("the first buyer account is missing"));
        }
        if self.state != OfferState::Draft && self.buyer.is_none() {
            return Err(RuleError::new(ErrorCode::MissingBuyerAccounts, "it is released but targets no buyer"));
        }
        Ok(())
    }

    /// Only the partner deletes its offer, and only a Draft: a released offer is the
    /// buyer's to see (cancel it instead).
    pub fn check_delete(&self, actor: &AccountId) -> Result<(), RuleError> {
        self.require_partner(actor, "delete")?;
        if self.state != OfferState::Draft {
            return Err(RuleError::status(format!(
                "{} is released: only drafts can be deleted; cancel it instead (x)",
                self.id
            )));
        }
        Ok(())
    }

    /// The buyer a replacement offer keeps: its agreement's. Typing the same one again is
    /// fine; another is refused (AWS fixes a replacement offer's targeting to the acceptor).
    fn fixed_buyer(&self, typed: Option<AccountId>) -> Result<Option<AccountId>, RuleError> {
        match typed {
            Some(b) if self.buyer.as_ref() != Some(&b) => Err(RuleError::new(
                ErrorCode::IncompatibleBuyerTargeting,
                format!(
                    "{} replaces an agreement of {}: its buyer cannot change (not {b})",
                    self.id,
                    self.buyer.as_ref().map_or("-", AccountId::as_str)
                ),
            )),
            _ => Ok(self.buyer.clone()),
        }
    }

    fn require_partner(&self, actor: &AccountId, verb: &str) -> Result<(), RuleError> {
        if *actor != self.partner {
            return Err(RuleError::denied(format!("only the partner ({}) may {verb} {}", self.partner, self.id)));
        }
        Ok(())
    }

    fn require_open_release(&self, verb: &str, today: NaiveDate) -> Result<(), RuleError> {
        match self.status(today) {
            OfferStatus::Draft => Err(RuleError::status(format!(
                "{} is a Draft: only released offers can be {verb}; edit the draft instead",
                self.id
            ))),
            OfferStatus::Accepted => Err(RuleError::status(format!(
                "{} is Accepted: its agreement stands and the offer can no longer be {verb}",
                self.id
            ))),
            _ => Ok(()),
        }
    }
}

/// `quantities`, with the units the opportunity grants for its fixed price in place of any
/// typed for those dimensions (in the opportunity's order, then the rest as typed).
pub fn with_granted_units(opportunity: &Opportunity, quantities: Vec<(String, u64)>) -> Vec<(String, u64)> {
    let granted = opportunity.grants();
    if granted.is_empty() {
        return quantities;
    }
    let typed: Vec<(String, u64)> =
        quantities.into_iter().filter(|(k, _)| !granted.iter().any(|(g, _)| g == k)).collect();
    granted.into_iter().chain(typed).collect()
}

/// The days [`Offer::extend`] may move an offer expiring on `current` to: after its expiry
/// (today at the earliest), up to the end of its opportunity (`opportunity_end`).
pub fn extension_range(current: Option<NaiveDate>, opportunity_end: Option<NaiveDate>, today: NaiveDate) -> DateRange {
    DateRange { from: super::clock::day_after(current, today), until: opportunity_end }
}

/// An extension moves the expiry later; cancel is the way to end an offer.
pub fn check_later_expiry(current: Option<NaiveDate>, to: NaiveDate) -> Result<(), RuleError> {
    if let Some(cur) = current
        && to <= cur
    {
        return Err(RuleError::validation(format!(
            "{to} is not after the current expiry {cur}: extend moves it later (use cancel to end the offer)"
        )));
    }
    Ok(())
}

/// An expiry is today or later, and not after the opportunity's own end date.
fn check_expiry(opportunity: &Opportunity, exp: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
    check_expiry_within(opportunity.ends_on, exp, today)
}

/// An expiry is today or later, and not after `ends_on`, the end date of the opportunity the
/// offer is made from (the offer form judges the field by it as it is typed).
pub fn check_expiry_within(ends_on: Option<NaiveDate>, exp: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
    check_not_past("expiry", exp, today)?;
    if let Some(end) = ends_on
        && exp > end
    {
        return Err(RuleError::new(
            ErrorCode::IncompatibleResaleAuthorization,
            format!("expiry {exp} is after the opportunity's end date {end}: pick {end} or earlier"),
        ));
    }
    Ok(())
}
