//! The demo marketplace (`cppo demo`): `assets/demo.json` replayed through the real use
//! cases, in date order, with the clock set to each event's day. Every record therefore has
//! a history the rules allowed: expired things expired by the calendar, charges were paid on
//! or after their due date, and nothing here writes SQL.
//!
//! Dates in the file are day offsets from "today", so the demo always has something ending
//! this week. Ids are generated from a fixed seed, so two loads give the same ids.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Deserialize;

use crate::domain::account::PartnerKind;
use crate::domain::ids::seed_ids;
use crate::domain::money::{parse_amount, parse_discount_pct, parse_markup_pct, parse_unit_price};
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::{OpportunityKind, OpportunityTerms, WholesaleTerms};
use crate::domain::product::Duration;
use crate::domain::{
    AccountId, AgreementId, Currency, Dimension, ErrorCode, FixedClock, OfferId, OpportunityId, PricingModel,
    ProductId, ProductType, Roles, RuleError,
};
use crate::domain::{FinancingRequest, FinancingStatus};
use crate::market::{Market, MarketError, MarketResult};

/// The demo, shipped in the binary.
pub const DEMO_JSON: &str = include_str!("../../../assets/demo.json");

/// The seed of the demo's ids: the same demo always gets the same ids.
pub const DEMO_SEED: u64 = 20261126;

/// What `load` wrote, and the partner it left as the remembered acting account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: usize,
    pub products: usize,
    pub opportunities: usize,
    pub offers: usize,
    pub agreements: usize,
    pub actor: AccountId,
}

/// Loads the demo into an empty file and leaves the busiest partner as the acting account.
/// Refuses a file that already holds data. The clock ends where it started ("today").
/// One transaction: a demo interrupted midway leaves the file as it was.
pub fn load(market: &mut Market) -> MarketResult<DemoSummary> {
    market.all_or_nothing(|m| load_json(m, DEMO_JSON))
}

fn load_json(market: &mut Market, json: &str) -> MarketResult<DemoSummary> {
    if !market.store().is_empty()? {
        return Err(RuleError::validation(format!(
            "the file {} already holds data: `cppo demo` loads into an empty file; use --db with a new path",
            market.store().path().display()
        ))
        .into());
    }
    let demo: Demo =
        serde_json::from_str(json).map_err(|e| RuleError::validation(format!("{FILE} is not a valid demo: {e}")))?;
    let original = market.now();
    // The replay moves the clock through history; the caller's own clock (a running one in
    // the TUI) comes back afterwards, not a copy frozen at the start.
    let callers = market.set_clock(Box::new(FixedClock(original)));
    let result = {
        let _seeded = SeededIds::start(DEMO_SEED);
        Replay::new(&demo, original).run(market)
    };
    market.set_clock(callers);
    result
}

/// Seeds the id generator until dropped, even if the replay fails or panics.
struct SeededIds;

impl SeededIds {
    fn start(seed: u64) -> Self {
        seed_ids(Some(seed));
        SeededIds
    }
}

impl Drop for SeededIds {
    fn drop(&mut self) {
        seed_ids(None);
    }
}

/// A day relative to today: -30 is thirty days ago.
type Day = i64;

#[derive(Deserialize)]
struct Demo {
    accounts: Vec<AccountRec>,
    products: Vec<ProductRec>,
    opportunities: Vec<OpportunityRec>,
    offers: Vec<OfferRec>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Role {
    Isv,
    Partner,
    Buyer,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountRec {
    key: String,
    id: String,
    name: String,
    roles: Vec<Role>,
    #[serde(default)]
    partner_kind: Option<PartnerKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductRec {
    key: String,
    isv: String,
    title: String,
    #[serde(rename = "type")]
    product_type: String,
    duration: String,
    listed: Day,
    dimensions: Vec<DimensionRec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionRec {
    key: String,
    name: String,
    unit: String,
    list_price: String,
    #[serde(default)]
    usage: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpportunityRec {
    key: String,
    product: String,
    partner: String,
    name: String,
    #[serde(default)]
    description: String,
    kind: String,
    #[serde(default)]
    buyers: Vec<String>,
    currency: String,
    /// Either a discount off every list price...
    #[serde(default)]
    discount: Option<String>,
    /// ...or a wholesale price per dimension key.
    #[serde(default)]
    prices: BTreeMap<String, String>,
    #[serde(default)]
    installments: Vec<InstallmentRec>,
    /// The units an installment plan grants per contract dimension (they then cost 0: the
    /// schedule carries the value, and a discount or prices price the usage dimensions).
    #[serde(default)]
    grants: BTreeMap<String, u64>,
    #[serde(default)]
    renewal: bool,
    #[serde(default)]
    net_payment_days: Option<u32>,
    #[serde(default)]
    eula_url: Option<String>,
    created: Day,
    /// Absent: still a Draft.
    #[serde(default)]
    released: Option<Day>,
    ends: Option<Day>,
    #[serde(default)]
    ended: Option<EndRec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstallmentRec {
    due: Day,
    amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndRec {
    on: Day,
    by: Side,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Side {
    Isv,
    Partner,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferRec {
    key: String,
    opportunity: String,
    buyer: String,
    name: String,
    #[serde(default)]
    description: String,
    markup: String,
    quantities: BTreeMap<String, u64>,
    created: Day,
    /// Absent: still a Draft.
    #[serde(default)]
    released: Option<Day>,
    expires: Day,
    #[serde(default)]
    extended: Vec<ExtendRec>,
    #[serde(default)]
    cancelled: Option<Day>,
    #[serde(default)]
    accepted: Option<Day>,
    /// One day per charge paid, in order.
    #[serde(default)]
    paid: Vec<Day>,
    /// The key of the offer whose agreement this one replaces (a replacement offer: its
    /// buyer must be that agreement's, and it is drafted after that agreement exists).
    #[serde(default)]
    replaces: Option<String>,
    /// A replacement offer's end date for the new agreement (absent: the duration's).
    #[serde(default)]
    agreement_ends: Option<Day>,
    /// The buyer's financing of the agreement, step by step.
    #[serde(default)]
    financing: Option<FinancingRec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FinancingRec {
    provider: String,
    months: u32,
    steps: Vec<FinancingStepRec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FinancingStepRec {
    on: Day,
    /// `offered`, `approved`, `declined` or `funded`.
    status: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendRec {
    on: Day,
    to: Day,
}

/// One thing that happened. The variants are in the order things happen within a day.
enum Step<'a> {
    ListProduct(&'a ProductRec),
    CreateOpportunity(&'a OpportunityRec),
    ReleaseOpportunity(&'a OpportunityRec),
    CreateOffer(&'a OfferRec),
    ReleaseOffer(&'a OfferRec),
    ExtendOffer(&'a OfferRec, Day),
    AcceptOffer(&'a OfferRec),
    PayCharge(&'a OfferRec),
    /// A step of the buyer's financing of the offer's agreement.
    Finance(&'a OfferRec, &'a FinancingRec, &'a FinancingStepRec),
    CancelOffer(&'a OfferRec),
    EndOpportunity(&'a OpportunityRec, Side),
}

impl Step<'_> {
    fn order_in_day(&self) -> u8 {
        match self {
            Step::ListProduct(_) => 0,
            Step::CreateOpportunity(_) => 1,
            Step::ReleaseOpportunity(_) => 2,
            Step::CreateOffer(_) => 3,
            Step::ReleaseOffer(_) => 4,
            Step::ExtendOffer(..) => 5,
            Step::AcceptOffer(_) => 6,
            Step::PayCharge(_) => 7,
            Step::Finance(..) => 8,
            Step::CancelOffer(_) => 9,
            Step::EndOpportunity(..) => 10,
        }
    }

    fn describe(&self) -> String {
        match self {
            Step::ListProduct(p) => format!("product `{}`: list", p.key),
            Step::CreateOpportunity(o) => format!("opportunity `{}`: create", o.key),
            Step::ReleaseOpportunity(o) => format!("opportunity `{}`: release", o.key),
            Step::EndOpportunity(o, _) => format!("opportunity `{}`: end", o.key),
            Step::CreateOffer(o) => format!("offer `{}`: create", o.key),
            Step::ReleaseOffer(o) => format!("offer `{}`: release", o.key),
            Step::ExtendOffer(o, to) => format!("offer `{}`: extend to day {to}", o.key),
            Step::AcceptOffer(o) => format!("offer `{}`: accept", o.key),
            Step::PayCharge(o) => format!("offer `{}`: pay a charge", o.key),
            Step::Finance(o, _, s) => format!("offer `{}`: financing {}", o.key, s.status),
            Step::CancelOffer(o) => format!("offer `{}`: cancel", o.key),
        }
    }
}

const FILE: &str = "assets/demo.json";

fn invalid(message: impl Into<String>) -> MarketError {
    RuleError::validation(format!("{FILE}: {}", message.into())).into()
}

/// Names the demo record a refusal came from (the file is ours: a refusal is a bug in it).
fn in_context(e: MarketError, day: Day, what: &str) -> MarketError {
    let (code, message) = match e {
        MarketError::Rule(r) => {
            let message = r.message.strip_prefix(FILE).and_then(|m| m.strip_prefix(": ")).unwrap_or(&r.message);
            (r.code, message.to_owned())
        }
        MarketError::NotFound { what: w, id } => (ErrorCode::Validation, format!("{w} {id} not found")),
        other => return other,
    };
    RuleError::new(code, format!("{FILE}, {what} on day {day}: {message}")).into()
}

/// The ids made so far, by the file's local keys.
struct Replay<'a> {
    demo: &'a Demo,
    today: NaiveDate,
    original: DateTime<Utc>,
    accounts: HashMap<&'a str, AccountId>,
    products: HashMap<&'a str, ProductId>,
    opportunities: HashMap<&'a str, (OpportunityId, &'a OpportunityRec)>,
    offers: HashMap<&'a str, OfferId>,
    agreements: HashMap<&'a str, AgreementId>,
}

impl<'a> Replay<'a> {
    fn new(demo: &'a Demo, original: DateTime<Utc>) -> Self {
        Self {
            demo,
            today: original.date_naive(),
            original,
            accounts: HashMap::new(),
            products: HashMap::new(),
            opportunities: HashMap::new(),
            offers: HashMap::new(),
            agreements: HashMap::new(),
        }
    }

    fn run(mut self, market: &mut Market) -> MarketResult<DemoSummary> {
        let steps = self.timeline()?;
        let first_day = steps.first().map_or(0, |(d, _)| *d);
        let _ = market.set_clock(Box::new(FixedClock(self.instant(first_day, 0)?)));
        self.add_accounts(market)?;
        let (mut day, mut nth) = (first_day, 0);
        for (d, step) in &steps {
            if *d == day {
                nth += 1;
            } else {
                (day, nth) = (*d, 0);
            }
            let _ = market.set_clock(Box::new(FixedClock(self.instant(day, nth)?)));
            self.apply(market, step).map_err(|e| in_context(e, day, &step.describe()))?;
        }
        let actor = self.busiest_partner()?;
        market.remember_actor(&actor)?;
        Ok(DemoSummary {
            accounts: self.accounts.len(),
            products: self.products.len(),
            opportunities: self.opportunities.len(),
            offers: self.offers.len(),
            agreements: self.agreements.len(),
            actor,
        })
    }

    /// Every event of the file, in the order it happened (the file's order breaks ties).
    fn timeline(&self) -> MarketResult<Vec<(Day, Step<'a>)>> {
        let d = self.demo;
        let mut steps: Vec<(Day, Step<'a>)> = Vec::new();
        for p in &d.products {
            steps.push((p.listed, Step::ListProduct(p)));
        }
        for o in &d.opportunities {
            steps.push((o.created, Step::CreateOpportunity(o)));
            if let Some(r) = o.released.filter(|r| *r != o.created) {
                steps.push((r, Step::ReleaseOpportunity(o)));
            }
            if let Some(e) = &o.ended {
                steps.push((e.on, Step::EndOpportunity(o, e.by)));
            }
        }
        for o in &d.offers {
            steps.push((o.created, Step::CreateOffer(o)));
            if let Some(r) = o.released.filter(|r| *r != o.created) {
                steps.push((r, Step::ReleaseOffer(o)));
            }
            for x in &o.extended {
                steps.push((x.on, Step::ExtendOffer(o, x.to)));
            }
            if let Some(c) = o.cancelled {
                steps.push((c, Step::CancelOffer(o)));
            }
            if let Some(a) = o.accepted {
                steps.push((a, Step::AcceptOffer(o)));
            }
            for p in &o.paid {
                steps.push((*p, Step::PayCharge(o)));
            }
            if let Some(f) = &o.financing {
                for s in &f.steps {
                    steps.push((s.on, Step::Finance(o, f, s)));
                }
            }
        }
        if let Some((day, step)) = steps.iter().find(|(day, _)| *day > 0) {
            return Err(invalid(format!(
                "{} is on day {day}, in the future: what happened must be on day 0 (today) or earlier",
                step.describe()
            )));
        }
        steps.sort_by_key(|(day, step)| (*day, step.order_in_day()));
        Ok(steps)
    }

    fn date(&self, day: Day) -> MarketResult<NaiveDate> {
        self.today
            .checked_add_signed(TimeDelta::days(day))
            .ok_or_else(|| invalid(format!("day {day} is off the calendar")))
    }

    /// The `nth` event of `day` happens at 08:00 UTC plus `nth` minutes, so that creation
    /// times follow the history; today's never lie after the real "now".
    fn instant(&self, day: Day, nth: i64) -> MarketResult<DateTime<Utc>> {
        let start = self.date(day)?.and_hms_opt(8, 0, 0).expect("08:00 exists").and_utc();
        let t = start + TimeDelta::minutes(nth.min(15 * 60));
        Ok(if day == 0 { t.min(self.original) } else { t })
    }

    fn account(&self, key: &str) -> MarketResult<AccountId> {
        self.accounts.get(key).cloned().ok_or_else(|| invalid(format!("no account has the key `{key}`")))
    }

    fn opportunity(&self, key: &str) -> MarketResult<&(OpportunityId, &'a OpportunityRec)> {
        self.opportunities.get(key).ok_or_else(|| invalid(format!("opportunity `{key}` does not exist yet")))
    }

    fn offer(&self, o: &OfferRec) -> MarketResult<(OfferId, AccountId)> {
        let id = self.offers.get(o.key.as_str()).cloned().ok_or_else(|| invalid("the offer does not exist yet"))?;
        let (_, opp) = self.opportunity(&o.opportunity)?;
        Ok((id, self.account(&opp.partner)?))
    }

    fn add_accounts(&mut self, market: &mut Market) -> MarketResult<()> {
        let demo = self.demo;
        for a in &demo.accounts {
            let id = AccountId::parse(&a.id)?;
            let roles = Roles {
                isv: a.roles.contains(&Role::Isv),
                partner: a.roles.contains(&Role::Partner),
                buyer: a.roles.contains(&Role::Buyer),
            };
            market.add_account(None, id.clone(), &a.name, roles, a.partner_kind)?;
            if self.accounts.insert(&a.key, id).is_some() {
                return Err(invalid(format!("two accounts have the key `{}`", a.key)));
            }
        }
        Ok(())
    }

    fn apply(&mut self, market: &mut Market, step: &Step<'a>) -> MarketResult<()> {
        match *step {
            Step::ListProduct(p) => {
                let dimensions = p.dimensions.iter().map(dimension).collect::<Result<Vec<_>, _>>()?;
                let id = market.add_product(
                    &self.account(&p.isv)?,
                    &p.title,
                    ProductType::parse(&p.product_type)?,
                    Duration::parse(&p.duration)?,
                    dimensions,
                )?;
                if self.products.insert(&p.key, id).is_some() {
                    return Err(invalid("two products have this key"));
                }
            }
            Step::CreateOpportunity(o) => {
                let product = self
                    .products
                    .get(o.product.as_str())
                    .ok_or_else(|| invalid(format!("no product has the key `{}`", o.product)))?;
                let isv = market.product(product)?.isv;
                let terms = self.opportunity_terms(o)?;
                let id = market.create_opportunity(&isv, product, terms, o.released == Some(o.created))?;
                if self.opportunities.insert(&o.key, (id, o)).is_some() {
                    return Err(invalid("two opportunities have this key"));
                }
            }
            Step::ReleaseOpportunity(o) => {
                let (id, isv) = self.opportunity_and_isv(market, &o.key)?;
                market.release_opportunity(&isv, &id)?;
            }
            Step::EndOpportunity(o, by) => {
                let (id, isv) = self.opportunity_and_isv(market, &o.key)?;
                let actor = match by {
                    Side::Isv => isv,
                    Side::Partner => self.account(&o.partner)?,
                };
                market.end_opportunity(&actor, &id)?;
            }
            Step::CreateOffer(o) => {
                let (opp_id, opp) = self.opportunity(&o.opportunity)?.clone();
                let partner = self.account(&opp.partner)?;
                let terms = OfferTerms {
                    name: o.name.clone(),
                    description: o.description.clone(),
                    buyer: Some(self.account(&o.buyer)?),
                    markup_pct: parse_markup_pct(&o.markup)?,
                    expires_on: Some(self.date(o.expires)?),
                    quantities: o.quantities.iter().map(|(k, q)| (k.clone(), *q)).collect(),
                    duration: None,
                };
                let release = o.released == Some(o.created);
                let id = match &o.replaces {
                    None => market.create_offer(&partner, &opp_id, terms, release)?,
                    Some(old) => {
                        let agreement = self
                            .agreements
                            .get(old.as_str())
                            .ok_or_else(|| invalid(format!("offer `{old}` has no agreement yet to replace")))?;
                        let ends = o.agreement_ends.map(|d| self.date(d)).transpose()?;
                        market.create_replacement_offer(&partner, agreement, &opp_id, terms, ends, release)?
                    }
                };
                if self.offers.insert(&o.key, id).is_some() {
                    return Err(invalid("two offers have this key"));
                }
            }
            Step::ReleaseOffer(o) => {
                let (id, partner) = self.offer(o)?;
                market.release_offer(&partner, &id)?;
            }
            Step::ExtendOffer(o, to) => {
                let (id, partner) = self.offer(o)?;
                market.extend_offer(&partner, &id, self.date(to)?)?;
            }
            Step::CancelOffer(o) => {
                let (id, partner) = self.offer(o)?;
                market.cancel_offer(&partner, &id)?;
            }
            Step::AcceptOffer(o) => {
                let (id, _) = self.offer(o)?;
                let agreement = market.accept_offer(&self.account(&o.buyer)?, &id)?;
                self.agreements.insert(&o.key, agreement);
            }
            Step::PayCharge(o) => {
                let agreement =
                    self.agreements.get(o.key.as_str()).ok_or_else(|| invalid("paid before it was accepted"))?;
                market.pay_next_charge(&self.account(&o.buyer)?, agreement)?;
            }
            Step::Finance(o, f, s) => {
                let agreement =
                    self.agreements.get(o.key.as_str()).ok_or_else(|| invalid("financed before it was accepted"))?;
                let req = FinancingRequest {
                    provider: f.provider.clone(),
                    months: f.months,
                    status: FinancingStatus::parse(&s.status)
                        .ok_or_else(|| invalid(format!("`{}` is not a financing status", s.status)))?,
                };
                market.finance_agreement(&self.account(&o.buyer)?, agreement, &req)?;
            }
        }
        Ok(())
    }

    fn opportunity_and_isv(&self, market: &Market, key: &str) -> MarketResult<(OpportunityId, AccountId)> {
        let (id, o) = self.opportunity(key)?;
        let product = self
            .products
            .get(o.product.as_str())
            .ok_or_else(|| invalid(format!("no product has the key `{}`", o.product)))?;
        Ok((id.clone(), market.product(product)?.isv))
    }

    fn opportunity_terms(&self, o: &OpportunityRec) -> MarketResult<OpportunityTerms> {
        let currency = Currency::parse(&o.currency)?;
        let kind = OpportunityKind::parse(&o.kind).ok_or_else(|| invalid("kind is `recurring` or `one_time`"))?;
        let wholesale = match (&o.discount, o.prices.is_empty()) {
            (Some(d), true) => WholesaleTerms::Discount(parse_discount_pct(d)?),
            (None, false) => WholesaleTerms::Prices(
                o.prices
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), parse_unit_price(v, true, &format!("wholesale price of `{k}`"))?)))
                    .collect::<Result<_, RuleError>>()?,
            ),
            // Every dimension granted: nothing left to price.
            (None, true) if !o.grants.is_empty() => WholesaleTerms::Prices(Vec::new()),
            _ => return Err(invalid(format!("opportunity `{}` needs a discount or prices, not both", o.key))),
        };
        let installments = o
            .installments
            .iter()
            .map(|i| Ok((self.date(i.due)?, parse_amount(&i.amount, currency, "installment")?.amount())))
            .collect::<MarketResult<_>>()?;
        Ok(OpportunityTerms {
            partner: self.account(&o.partner)?,
            name: o.name.clone(),
            description: o.description.clone(),
            kind,
            buyers: o.buyers.iter().map(|b| self.account(b)).collect::<MarketResult<_>>()?,
            currency,
            wholesale,
            ends_on: o.ends.map(|d| self.date(d)).transpose()?,
            renewal: o.renewal,
            installments,
            grants: o.grants.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            net_payment_days: o.net_payment_days,
            eula_url: o.eula_url.clone(),
        })
    }

    /// The partner with the most offers (the first one listed on a tie).
    fn busiest_partner(&self) -> MarketResult<AccountId> {
        let mut best: Option<(&str, usize)> = None;
        for a in self.demo.accounts.iter().filter(|a| a.roles.contains(&Role::Partner)) {
            let n = self
                .demo
                .offers
                .iter()
                .filter(|o| self.opportunities.get(o.opportunity.as_str()).is_some_and(|(_, opp)| opp.partner == a.key))
                .count();
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((&a.key, n));
            }
        }
        let (key, _) = best.ok_or_else(|| invalid("the demo needs a partner to act as"))?;
        self.account(key)
    }
}

fn dimension(d: &DimensionRec) -> Result<Dimension, RuleError> {
    let pricing = if d.usage { PricingModel::Usage } else { PricingModel::Contract };
    let price = parse_unit_price(&d.list_price, d.usage, &format!("list price of `{}`", d.key))?;
    Dimension::new(&d.key, &d.name, &d.unit, pricing, Some(price))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OfferId;
    use crate::store::Store;

    const BROKEN: &str = r#"{
      "accounts": [
        {"key": "isv", "id": "111111111111", "name": "Acme", "roles": ["isv"]},
        {"key": "partner", "id": "222222222222", "name": "Northwind", "roles": ["partner"]},
        {"key": "buyer", "id": "333333333333", "name": "Contoso", "roles": ["buyer"]}
      ],
      "products": [{"key": "p", "isv": "isv", "title": "Acme", "type": "saas", "duration": "P12M", "listed": -20,
                    "dimensions": [{"key": "users", "name": "User", "unit": "user", "list_price": "100.00"}]}],
      "opportunities": [{"key": "o", "product": "p", "partner": "partner", "name": "Acme resale",
                         "kind": "recurring", "currency": "USD", "discount": "10", "created": -10, "released": -10,
                         "ends": null}],
      "offers": [{"key": "late", "opportunity": "o", "buyer": "buyer", "name": "Too late", "markup": "5",
                  "quantities": {"users": 3}, "created": -9, "released": -9, "expires": -8, "accepted": -2}]
    }"#;

    fn market() -> Market {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        Market::new(Store::open_in_memory().unwrap(), Box::new(FixedClock::on(today)))
    }

    #[test]
    fn a_refused_step_names_its_record_and_day_and_leaves_ids_random_and_the_clock_on_today() {
        let mut m = market();
        let today = m.today();
        let err = load_json(&mut m, BROKEN).unwrap_err();
        let MarketError::Rule(r) = err else { panic!("expected a rule error, got {err:?}") };
        assert_eq!(r.code, ErrorCode::Expired);
        assert!(r.message.starts_with("assets/demo.json, offer `late`: accept on day -2: "), "{}", r.message);
        assert_eq!(m.today(), today);
        // Still seeded, the id after a second identical failure would repeat.
        let after_first = OfferId::generate();
        assert!(load_json(&mut market(), BROKEN).is_err());
        assert_ne!(OfferId::generate(), after_first, "ids are random again after a failed load");
    }

    #[test]
    fn history_in_the_future_is_refused_before_anything_is_written() {
        let mut market = market();
        let json = BROKEN.replace(r#""accepted": -2"#, r#""accepted": 3"#);
        let err = load_json(&mut market, &json).unwrap_err().to_string();
        assert!(err.contains("offer `late`: accept is on day 3, in the future"), "{err}");
        assert!(market.store().is_empty().unwrap());
    }
}
