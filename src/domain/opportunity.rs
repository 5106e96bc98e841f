//! Opportunities (AWS: resale authorizations): granted by an ISV to one partner.
//!
//! Stored states `Draft -> Active -> Restricted`; the status people see is derived
//! (see [`Opportunity::status`]).

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::account::{Account, validate_text};
use super::clock::{DateRange, check_not_past, is_past_end};
use super::error::{ErrorCode, RuleError};
use super::ids::{AccountId, OpportunityId, ProductId};
use super::money::{Currency, Money};
use super::product::{Duration, PricingModel, Product, ProductType};

pub mod grants;
mod prices;

pub use prices::{WholesalePrice, WholesaleTerms};
use prices::{check_price, wholesale_prices};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpportunityKind {
    /// Any number of offers until the end date, or indefinitely.
    Recurring,
    /// One offer, for one named buyer (AWS `OffersMaxQuantity = 1`).
    OneTime,
}

impl OpportunityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recurring => "recurring",
            Self::OneTime => "one_time",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Recurring => "recurring",
            Self::OneTime => "one-time",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "recurring" => Some(Self::Recurring),
            "one_time" => Some(Self::OneTime),
            _ => None,
        }
    }
}

/// The stored state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpportunityState {
    Draft,
    Active,
    Restricted,
}

impl OpportunityState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Restricted => "restricted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "active" => Some(Self::Active),
            "restricted" => Some(Self::Restricted),
            _ => None,
        }
    }
}

/// The status people see, derived from the state, the date and the offers made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpportunityStatus {
    Draft,
    Deactivated,
    Expired,
    AuthorizedConsumed,
    AuthorizedReusable,
    Authorized,
}

impl OpportunityStatus {
    pub const ALL: [Self; 6] = [
        Self::Draft,
        Self::Authorized,
        Self::AuthorizedReusable,
        Self::AuthorizedConsumed,
        Self::Expired,
        Self::Deactivated,
    ];
    /// The one word people see for it, everywhere (tables, details, the CLI, JSON): its
    /// `--status` spelling, capitalised. Consumed: a one-time opportunity with its offer;
    /// Reusable: a recurring one with offers made; Authorized: released, no offer yet.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Deactivated => "Deactivated",
            Self::Expired => "Expired",
            Self::AuthorizedConsumed => "Consumed",
            Self::AuthorizedReusable => "Reusable",
            Self::Authorized => "Authorized",
        }
    }
    /// The `--status` spelling: `draft`, `authorized`, `reusable`, `consumed`, `expired`, `deactivated`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Deactivated => "deactivated",
            Self::Expired => "expired",
            Self::AuthorizedConsumed => "consumed",
            Self::AuthorizedReusable => "reusable",
            Self::Authorized => "authorized",
        }
    }
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|st| st.key() == t || st.label().to_ascii_lowercase() == t).ok_or_else(|| {
            RuleError::validation(format!(
                "`{}` is not an opportunity status: use draft, authorized, reusable, consumed, expired or deactivated",
                s.trim()
            ))
        })
    }
}

impl fmt::Display for OpportunityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// One dated charge of an installment schedule, at wholesale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installment {
    pub due_on: NaiveDate,
    pub amount: Money,
}

/// A contract rate card for another duration than the opportunity's first (AWS: a
/// `ResaleConfigurableUpfrontPricingTerm` may hold up to 5, one per duration): the wholesale
/// price of each contract dimension for that duration. Usage prices do not depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateCard {
    pub duration: Duration,
    /// `(dimension key, wholesale unit price)`, one per contract dimension of the first card.
    pub prices: Vec<(String, Decimal)>,
}

/// The most contract rate cards (durations) AWS lets one authorization hold.
pub const MAX_RATE_CARDS: usize = 5;

/// Net payment terms AWS allows.
pub const NET_PAYMENT_DAYS: [u32; 6] = [15, 30, 45, 60, 90, 120];

/// What the ISV types when granting or editing a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityTerms {
    pub partner: AccountId,
    pub name: String,
    pub description: String,
    pub kind: OpportunityKind,
    pub buyers: Vec<AccountId>,
    pub currency: Currency,
    pub wholesale: WholesaleTerms,
    pub ends_on: Option<NaiveDate>,
    pub renewal: bool,
    pub installments: Vec<(NaiveDate, Decimal)>,
    /// The units an installment plan grants per contract dimension (AWS's `Grants`): those
    /// dimensions then cost 0 and the schedule carries the value; the wholesale terms price
    /// the usage dimensions only. See [`grants`].
    pub grants: Vec<(String, u64)>,
    pub net_payment_days: Option<u32>,
    /// `None`: the Standard Contract for AWS Marketplace; else an https URL.
    pub eula_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opportunity {
    pub id: OpportunityId,
    pub isv: AccountId,
    pub partner: AccountId,
    pub product_id: ProductId,
    pub product_type: ProductType,
    pub name: String,
    pub description: String,
    pub kind: OpportunityKind,
    pub buyers: Vec<AccountId>,
    pub currency: Currency,
    pub discount_pct: Option<Decimal>,
    pub prices: Vec<WholesalePrice>,
    /// The first contract duration; `prices` are its rate card.
    pub duration: Duration,
    /// The rate cards of its other durations, in AWS's order (imported authorizations only);
    /// [`Self::for_duration`] prices the opportunity for one of them.
    pub rate_cards: Vec<RateCard>,
    pub ends_on: Option<NaiveDate>,
    pub renewal: bool,
    pub installments: Vec<Installment>,
    pub net_payment_days: Option<u32>,
    pub eula_url: Option<String>,
    pub state: OpportunityState,
    pub ended_by: Option<AccountId>,
    pub offers_created: u32,
    pub created_on: NaiveDate,
    pub version: i64,
}

impl Opportunity {
    /// The ISV grants a new opportunity: a Draft, invisible to the partner.
    pub fn draft(
        id: OpportunityId,
        actor: &AccountId,
        product: &Product,
        partner: &Account,
        terms: OpportunityTerms,
        today: NaiveDate,
    ) -> Result<Self, RuleError> {
        let mut o = Opportunity {
            id,
            isv: product.isv.clone(),
            partner: partner.id.clone(),
            product_id: product.id.clone(),
            product_type: product.product_type,
            name: String::new(),
            description: String::new(),
            kind: terms.kind,
            buyers: Vec::new(),
            currency: terms.currency,
            discount_pct: None,
            prices: Vec::new(),
            duration: product.duration,
            rate_cards: Vec::new(),
            ends_on: None,
            renewal: false,
            installments: Vec::new(),
            net_payment_days: None,
            eula_url: None,
            state: OpportunityState::Draft,
            ended_by: None,
            offers_created: 0,
            created_on: today,
            version: 0,
        };
        o.apply_terms(actor, product, partner, terms, today)?;
        Ok(o)
    }

    /// The ISV edits a draft. Released terms are frozen.
    pub fn edit(
        &mut self,
        actor: &AccountId,
        product: &Product,
        partner: &Account,
        terms: OpportunityTerms,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        self.check_editable(actor, today)?;
        let mut next = self.clone();
        next.apply_terms(actor, product, partner, terms, today)?;
        *self = next;
        Ok(())
    }

    /// Only the ISV edits, and only a Draft: released terms are frozen.
    pub fn check_editable(&self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        self.require_isv(actor, "edit")?;
        if self.state != OpportunityState::Draft {
            return Err(RuleError::status(format!(
                "{} is {}: released terms are frozen; end it and grant a new one to change them",
                self.id,
                self.status(today).label()
            )));
        }
        Ok(())
    }

    fn apply_terms(
        &mut self,
        actor: &AccountId,
        product: &Product,
        partner: &Account,
        t: OpportunityTerms,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        if *actor != product.isv {
            return Err(RuleError::denied(format!(
                "only {}, the ISV that owns {}, may grant opportunities for it",
                product.isv, product.id
            )));
        }
        if !partner.roles.partner {
            return Err(RuleError::validation(format!(
                "{} ({}) is not a partner: grant opportunities to an account with the partner role",
                partner.id, partner.name
            )));
        }
        if partner.id == product.isv {
            return Err(RuleError::validation("an ISV cannot grant an opportunity to itself"));
        }
        if t.partner != partner.id {
            return Err(RuleError::validation("the partner given does not match the terms"));
        }
        let name = validate_text("opportunity name", &t.name, 1, NAME_MAX)?;
        let description = validate_text("description", &t.description, 0, 255)?;
        check_buyer_count(t.kind, t.buyers.len())?;
        for (i, b) in t.buyers.iter().enumerate() {
            if t.buyers[..i].contains(b) {
                return Err(RuleError::validation(format!("buyer {b} is listed twice")));
            }
        }
        if product.dimensions.iter().any(|d| d.pricing == PricingModel::Usage) && t.currency != Currency::Usd {
            return Err(RuleError::new(
                ErrorCode::IncompatiblePricingTerm,
                format!("{} has usage pricing, which AWS allows in USD only", product.title),
            ));
        }
        let granted = grants::granted_prices(product, &t.grants, !t.installments.is_empty())?;
        let (discount_pct, mut prices) = wholesale_prices(product, &t.wholesale, !granted.is_empty())?;
        prices.extend(granted);
        prices.sort_by_key(|p| product.dimensions.iter().position(|d| d.key == p.dimension));
        if let Some(end) = t.ends_on {
            check_not_past("end date", end, today)?;
        }
        if let Some(days) = t.net_payment_days
            && !NET_PAYMENT_DAYS.contains(&days)
        {
            return Err(RuleError::validation(format!(
                "net payment term of {days} days is not allowed: use 15, 30, 45, 60, 90 or 120"
            )));
        }
        if let Some(url) = &t.eula_url
            && (!url.starts_with("https://") || url.len() < 12 || url.contains(char::is_whitespace))
        {
            return Err(RuleError::validation(format!("custom EULA `{url}` must be an https:// URL")));
        }
        let installments = installments(&t.installments, t.currency, today)?;
        self.name = name;
        self.description = description;
        self.partner = partner.id.clone();
        self.kind = t.kind;
        self.buyers = t.buyers;
        self.currency = t.currency;
        self.discount_pct = discount_pct;
        self.prices = prices;
        self.ends_on = t.ends_on;
        self.renewal = t.renewal;
        self.installments = installments;
        self.net_payment_days = t.net_payment_days;
        self.eula_url = t.eula_url;
        Ok(())
    }

    /// The ISV releases a draft: it becomes Active and visible to the partner.
    pub fn release(&mut self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        self.require_isv(actor, "release")?;
        if self.state != OpportunityState::Draft {
            return Err(RuleError::status(format!(
                "{} is {}: only Draft opportunities can be released",
                self.id,
                self.status(today).label()
            )));
        }
        let missing = |m: &str| RuleError::new(ErrorCode::MissingMandatoryTerms, m.to_owned());
        if self.kind == OpportunityKind::OneTime {
            if self.buyers.is_empty() {
                return Err(RuleError::new(
                    ErrorCode::IncompatibleBuyerTargeting,
                    "a one-time opportunity needs its buyer: edit the draft and name one",
                ));
            }
            if self.ends_on.is_none() {
                return Err(missing("a one-time opportunity needs an end date: edit the draft and set one"));
            }
        }
        if self.renewal && self.buyers.is_empty() {
            return Err(RuleError::new(
                ErrorCode::IncompatibleBuyerTargeting,
                "a renewal needs the buyer it renews: edit the draft and target at least one buyer",
            ));
        }
        if self.prices.is_empty() {
            return Err(missing("provide a wholesale price for every dimension"));
        }
        if let Some(end) = self.ends_on
            && end < today
        {
            return Err(RuleError::new(
                ErrorCode::Expired,
                format!("end date {end} has passed: edit the draft and move it to today or later"),
            ));
        }
        if let Some(first) = self.installments.first() {
            if self.kind != OpportunityKind::OneTime {
                return Err(RuleError::new(
                    ErrorCode::IncompatiblePricingTerm,
                    "an installment schedule needs a one-time opportunity",
                ));
            }
            if first.due_on <= today {
                return Err(RuleError::validation(format!(
                    "installment due {} is not in the future: edit the schedule",
                    first.due_on
                )));
            }
            if self.ends_on.is_some_and(|e| e >= first.due_on) {
                return Err(RuleError::new(
                    ErrorCode::IncompatiblePricingTerm,
                    "the end date must come before the first installment",
                ));
            }
        }
        self.state = OpportunityState::Active;
        Ok(())
    }

    /// The ISV or the partner ends an Active opportunity (irreversible). Offers already made
    /// and agreements are untouched.
    pub fn end(&mut self, actor: &AccountId, today: NaiveDate) -> Result<(), RuleError> {
        if *actor != self.isv && *actor != self.partner {
            return Err(RuleError::denied(format!(
                "only the ISV ({}) or the partner ({}) may end {}",
                self.isv, self.partner, self.id
            )));
        }
        match self.status(today) {
            OpportunityStatus::Draft => {
                Err(RuleError::status(format!("{} is a Draft: release it first, or leave it unreleased", self.id)))
            }
            OpportunityStatus::Deactivated => Err(RuleError::status(format!("{} is already Deactivated", self.id))),
            OpportunityStatus::Expired => {
                Err(RuleError::status(format!("{} is Expired: an expired opportunity cannot be ended", self.id)))
            }
            _ => {
                self.state = OpportunityState::Restricted;
                self.ended_by = Some(actor.clone());
                Ok(())
            }
        }
    }

    /// The ISV moves an Active opportunity's end date later (AWS's `UpdateAvailability` on
    /// the resale authorization): the partner may make offers from it until then. An
    /// expired, ended or indefinite one cannot be extended; a draft is edited instead; the
    /// end stays before the first installment of a plan.
    pub fn extend(&mut self, actor: &AccountId, to: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
        self.require_isv(actor, "extend")?;
        match self.status(today) {
            OpportunityStatus::Draft => {
                return Err(RuleError::status(format!(
                    "{} is a Draft: edit the draft to change its end date",
                    self.id
                )));
            }
            OpportunityStatus::Deactivated => {
                return Err(RuleError::status(format!("{} was ended (Deactivated): it cannot be extended", self.id)));
            }
            OpportunityStatus::Expired => {
                return Err(RuleError::new(
                    ErrorCode::Expired,
                    format!("{} is Expired: an expired opportunity cannot be extended; grant a new one", self.id),
                ));
            }
            _ => {}
        }
        let Some(current) = self.ends_on else {
            return Err(RuleError::validation(format!(
                "{} has no end date: it stays authorized until it is ended",
                self.id
            )));
        };
        if to <= current {
            return Err(RuleError::validation(format!(
                "{to} is not after the current end date {current}: extend moves it later (x ends the opportunity)"
            )));
        }
        check_not_past("end date", to, today)?;
        if let Some(first) = self.installments.first()
            && to >= first.due_on
        {
            return Err(RuleError::new(
                ErrorCode::IncompatiblePricingTerm,
                format!(
                    "the end date must come before the first installment, due {}: pick an earlier day",
                    first.due_on
                ),
            ));
        }
        self.ends_on = Some(to);
        Ok(())
    }

    /// The days [`Self::extend`] may move the end date to: after the current end (today at
    /// the earliest), before the first installment of a plan.
    pub fn extension_range(&self, today: NaiveDate) -> DateRange {
        let until = self.installments.first().and_then(|i| i.due_on.pred_opt());
        DateRange { from: super::clock::day_after(self.ends_on, today), until }
    }

    /// May `actor` create an offer for `buyer` from this opportunity today?
    pub fn check_offer_allowed(
        &self,
        actor: &AccountId,
        buyer: Option<&AccountId>,
        today: NaiveDate,
    ) -> Result<(), RuleError> {
        if *actor != self.partner {
            return Err(RuleError::denied(format!(
                "only {}, the partner it was granted to, may make offers from {}",
                self.partner, self.id
            )));
        }
        self.check_usable(today)?;
        if self.is_consumed() {
            return Err(RuleError::new(
                ErrorCode::Consumed,
                format!("{} is one-time and already has its offer (Consumed)", self.id),
            ));
        }
        if let Some(b) = buyer {
            self.check_buyer(b)?;
        }
        Ok(())
    }

    /// Active and not past its end date.
    pub fn check_usable(&self, today: NaiveDate) -> Result<(), RuleError> {
        match self.state {
            OpportunityState::Draft => {
                Err(RuleError::status(format!("{} is a Draft: the ISV has not released it", self.id)))
            }
            OpportunityState::Restricted => Err(RuleError::new(
                ErrorCode::IncompatibleResaleAuthorization,
                format!("{} was ended (Deactivated): it can no longer be used for offers", self.id),
            )),
            OpportunityState::Active if self.is_expired(today) => Err(RuleError::new(
                ErrorCode::Expired,
                format!(
                    "{} expired on {}: it can no longer be used for offers",
                    self.id,
                    self.ends_on.expect("expired has a date")
                ),
            )),
            OpportunityState::Active => Ok(()),
        }
    }

    /// A one-time or targeted opportunity only sells to its buyers.
    pub fn check_buyer(&self, buyer: &AccountId) -> Result<(), RuleError> {
        if !self.buyers.is_empty() && !self.buyers.contains(buyer) {
            let list: Vec<&str> = self.buyers.iter().map(AccountId::as_str).collect();
            return Err(RuleError::new(
                ErrorCode::IncompatibleResaleAuthorization,
                format!("{} may only be offered to {}; {buyer} is not among them", self.id, list.join(", ")),
            ));
        }
        Ok(())
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.ends_on.is_some_and(|end| is_past_end(end, today))
    }

    pub fn is_consumed(&self) -> bool {
        self.kind == OpportunityKind::OneTime && self.offers_created >= 1
    }

    /// Draft; Deactivated; Expired; Consumed; Reusable; Authorized.
    pub fn status(&self, today: NaiveDate) -> OpportunityStatus {
        match self.state {
            OpportunityState::Draft => OpportunityStatus::Draft,
            OpportunityState::Restricted => OpportunityStatus::Deactivated,
            OpportunityState::Active if self.is_expired(today) => OpportunityStatus::Expired,
            OpportunityState::Active if self.is_consumed() => OpportunityStatus::AuthorizedConsumed,
            OpportunityState::Active if self.offers_created > 0 => OpportunityStatus::AuthorizedReusable,
            OpportunityState::Active => OpportunityStatus::Authorized,
        }
    }

    /// The contract durations it offers, the first first.
    pub fn durations(&self) -> Vec<Duration> {
        std::iter::once(self.duration).chain(self.rate_cards.iter().map(|c| c.duration)).collect()
    }

    /// The opportunity as priced for `duration`, one it offers: that duration and its rate
    /// card's contract prices in place of the first's (usage prices stay), no other card.
    /// Every offer is priced and every agreement made through this.
    pub fn for_duration(&self, duration: Duration) -> Result<Opportunity, RuleError> {
        let mut o = self.clone();
        o.rate_cards.clear();
        if duration == self.duration {
            return Ok(o);
        }
        let Some(card) = self.rate_cards.iter().find(|c| c.duration == duration) else {
            let offered: Vec<String> = self.durations().iter().map(Duration::to_string).collect();
            return Err(RuleError::validation(format!(
                "{} is not a duration of {}: it offers {}",
                duration,
                self.id,
                offered.join(", ")
            )));
        };
        o.duration = duration;
        for p in o.prices.iter_mut().filter(|p| p.pricing == PricingModel::Contract) {
            if let Some((_, price)) = card.prices.iter().find(|(k, _)| *k == p.dimension) {
                p.wholesale_price = *price;
            }
        }
        Ok(o)
    }

    /// Its other rate cards as AWS allows them: at most [`MAX_RATE_CARDS`] durations in all,
    /// each once, each pricing exactly the contract dimensions of the first; none beside
    /// granted units or an installment plan (those hold one duration).
    pub fn check_rate_cards(&self, product: &Product) -> Result<(), RuleError> {
        if self.rate_cards.is_empty() {
            return Ok(());
        }
        let bad = |m: String| RuleError::new(ErrorCode::IncompatiblePricingTerm, m);
        let durations = self.durations();
        if durations.len() > MAX_RATE_CARDS {
            return Err(bad(format!("{} duration rate cards: AWS allows at most {MAX_RATE_CARDS}", durations.len())));
        }
        for (i, d) in durations.iter().enumerate() {
            if durations[..i].contains(d) {
                return Err(bad(format!("two rate cards are for {d}")));
            }
        }
        if !self.installments.is_empty() || self.prices.iter().any(|p| p.granted_units.is_some()) {
            return Err(bad("an installment plan or granted units hold one duration, not several rate cards".into()));
        }
        let mut first: Vec<&str> =
            self.prices.iter().filter(|p| p.pricing == PricingModel::Contract).map(|p| p.dimension.as_str()).collect();
        first.sort_unstable();
        for card in &self.rate_cards {
            let mut keys: Vec<&str> = card.prices.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            if keys != first {
                return Err(bad(format!(
                    "the {} rate card prices {} but the {} one prices {}: AWS requires the same dimensions for every duration",
                    card.duration,
                    keys.join(", "),
                    self.duration,
                    first.join(", ")
                )));
            }
            for (key, price) in &card.prices {
                let d = product
                    .dimension(key)
                    .ok_or_else(|| RuleError::validation(format!("{} has no dimension `{key}`", product.id)))?;
                check_price(d, *price)?;
            }
        }
        Ok(())
    }

    pub fn price_of(&self, dimension: &str) -> Option<&WholesalePrice> {
        self.prices.iter().find(|p| p.dimension == dimension)
    }

    /// The units its installment plan grants, per contract dimension (empty: none).
    pub fn grants(&self) -> Vec<(String, u64)> {
        self.prices.iter().filter_map(|p| p.granted_units.map(|n| (p.dimension.clone(), n))).collect()
    }

    /// The terms it holds, as the ISV would type them to make it again: what an edit that
    /// changes some of them starts from. A granted dimension's price is the plan's, not typed.
    pub fn terms(&self) -> OpportunityTerms {
        OpportunityTerms {
            partner: self.partner.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            kind: self.kind,
            buyers: self.buyers.clone(),
            currency: self.currency,
            wholesale: match self.discount_pct {
                Some(pct) => WholesaleTerms::Discount(pct),
                None => WholesaleTerms::Prices(
                    self.prices
                        .iter()
                        .filter(|p| p.granted_units.is_none())
                        .map(|p| (p.dimension.clone(), p.wholesale_price))
                        .collect(),
                ),
            },
            ends_on: self.ends_on,
            renewal: self.renewal,
            installments: self.installments.iter().map(|i| (i.due_on, i.amount.amount())).collect(),
            grants: self.grants(),
            net_payment_days: self.net_payment_days,
            eula_url: self.eula_url.clone(),
        }
    }

    /// Only the ISV sends its opportunity to AWS; with `release`, a draft must be complete
    /// enough to release today.
    pub fn check_export(&self, actor: &AccountId, release: bool, today: NaiveDate) -> Result<(), RuleError> {
        self.require_isv(actor, "export")?;
        if release && self.state == OpportunityState::Draft {
            self.clone().release(actor, today)?;
        }
        Ok(())
    }

    /// What an opportunity read from AWS must hold for cppo to keep it (the rules AWS itself
    /// enforces, relaxed where real data needs it: a one-time authorization may name no buyer
    /// or several accounts of one buyer; a name may be as long as AWS allows).
    /// Its prices obey the same rules as a command's on `product` (see [`check_price`]).
    pub fn check_imported(&self, product: &Product) -> Result<(), RuleError> {
        validate_text("name", &self.name, 1, 255)?;
        validate_text("description", &self.description, 0, 5000)?;
        if self.isv == self.partner {
            // Who sees what, and who may change it, follows from which of the two an account
            // is (DOMAIN.md, Visibility): one account as both cannot be told apart.
            return Err(RuleError::validation(format!(
                "the ISV and the partner are the same account ({}): cppo holds an authorization one account grants to another",
                self.isv
            )));
        }
        check_buyer_count(OpportunityKind::Recurring, self.buyers.len())?;
        for (i, b) in self.buyers.iter().enumerate() {
            if self.buyers[..i].contains(b) {
                return Err(RuleError::validation(format!("buyer {b} is listed twice")));
            }
            if *b == self.isv || *b == self.partner {
                return Err(RuleError::validation(format!("buyer {b} is the ISV or the partner")));
            }
        }
        if self.prices.is_empty() {
            return Err(RuleError::new(ErrorCode::MissingMandatoryTerms, "no wholesale price"));
        }
        for (i, p) in self.prices.iter().enumerate() {
            if self.prices[..i].iter().any(|q| q.dimension == p.dimension) {
                return Err(RuleError::validation(format!("dimension `{}` has two prices", p.dimension)));
            }
            let Some(d) = product.dimension(&p.dimension) else {
                return Err(RuleError::validation(format!("{} has no dimension `{}`", product.id, p.dimension)));
            };
            if p.pricing != d.pricing {
                return Err(RuleError::new(
                    ErrorCode::IncompatiblePricingTerm,
                    format!(
                        "`{}` is priced by {} on AWS, but {} prices it by {}",
                        p.dimension,
                        p.pricing.as_str(),
                        product.id,
                        d.pricing.as_str()
                    ),
                ));
            }
            check_price(d, p.wholesale_price)?;
            if p.pricing == PricingModel::Usage && self.currency != Currency::Usd {
                return Err(RuleError::new(
                    ErrorCode::IncompatiblePricingTerm,
                    format!(
                        "`{}` is priced by usage in {}: AWS allows usage pricing in USD only",
                        p.dimension, self.currency
                    ),
                ));
            }
        }
        self.check_rate_cards(product)?;
        if let Some(days) = self.net_payment_days
            && !NET_PAYMENT_DAYS.contains(&days)
        {
            return Err(RuleError::validation(format!(
                "a net payment term of {days} days is not one cppo knows (15, 30, 45, 60, 90 or 120)"
            )));
        }
        // AWS's schedule, past dates included (an imported plan may be under way).
        if self.installments.len() > 60 {
            return Err(RuleError::validation(format!(
                "{} installments: AWS allows at most 60",
                self.installments.len()
            )));
        }
        for (i, c) in self.installments.iter().enumerate() {
            if self.installments[..i].iter().any(|d| d.due_on == c.due_on) {
                return Err(RuleError::validation(format!("two installments fall on {}", c.due_on)));
            }
            if c.amount.amount().is_sign_negative()
                || c.amount.amount().normalize().scale() > self.currency.minor_digits()
            {
                return Err(RuleError::validation(format!("installment {} is not an amount", c.amount.display())));
            }
        }
        if let Some(url) = &self.eula_url
            && !url.starts_with("https://")
        {
            return Err(RuleError::validation(format!("custom EULA `{url}` is not an https:// URL")));
        }
        Ok(())
    }

    /// An offer made from it was deleted as a draft: it counts one offer less, and a one-time
    /// opportunity can take an offer again.
    pub fn offer_deleted(&mut self) {
        self.offers_created = self.offers_created.saturating_sub(1);
    }

    /// Only the ISV deletes its opportunity, and only a Draft (the partner never saw it):
    /// a released one is ended instead.
    pub fn check_delete(&self, actor: &AccountId) -> Result<(), RuleError> {
        self.require_isv(actor, "delete")?;
        if self.state != OpportunityState::Draft {
            return Err(RuleError::status(format!(
                "{} is released: only drafts can be deleted; end it instead (x)",
                self.id
            )));
        }
        Ok(())
    }

    fn require_isv(&self, actor: &AccountId, verb: &str) -> Result<(), RuleError> {
        if *actor != self.isv {
            return Err(RuleError::denied(format!("only the ISV ({}) may {verb} {}", self.isv, self.id)));
        }
        Ok(())
    }
}

/// The longest name an opportunity made in cppo may have, in characters.
pub const NAME_MAX: usize = 100;

/// Up to 25 targeted buyers; a one-time opportunity names at most one (release needs it).
pub fn check_buyer_count(kind: OpportunityKind, n: usize) -> Result<(), RuleError> {
    if n > 25 {
        return Err(RuleError::new(
            ErrorCode::IncompatibleBuyerTargeting,
            format!("{n} buyers targeted: at most 25 are allowed"),
        ));
    }
    if kind == OpportunityKind::OneTime && n > 1 {
        return Err(RuleError::new(
            ErrorCode::IncompatibleBuyerTargeting,
            "a one-time opportunity is for exactly one buyer",
        ));
    }
    Ok(())
}

fn installments(
    given: &[(NaiveDate, Decimal)],
    currency: Currency,
    today: NaiveDate,
) -> Result<Vec<Installment>, RuleError> {
    if given.len() > 60 {
        return Err(RuleError::validation(format!("{} installments: at most 60 are allowed", given.len())));
    }
    let mut out: Vec<Installment> = Vec::with_capacity(given.len());
    for (due_on, amount) in given {
        if *due_on <= today {
            return Err(RuleError::validation(format!("installment date {due_on} must be in the future")));
        }
        if out.iter().any(|i| i.due_on == *due_on) {
            return Err(RuleError::validation(format!("two installments fall on {due_on}: dates must be unique")));
        }
        if *amount < Decimal::ZERO || amount.normalize().scale() > currency.minor_digits() {
            return Err(RuleError::validation(format!(
                "installment {amount} must be 0 or more with at most {} decimals",
                currency.minor_digits()
            )));
        }
        out.push(Installment { due_on: *due_on, amount: Money::new(*amount, currency) });
    }
    out.sort_by_key(|i| i.due_on);
    Ok(out)
}
