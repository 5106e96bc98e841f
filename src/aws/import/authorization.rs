//! `ResaleAuthorization@1.0`: describe-entity's `DetailsDocument` and list-entities'
//! `ResaleAuthorizationSummary` (aws-cppo-facts.md sections 1.3.1 and 1.3.2).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::fields::{Got, Obj, Skip, rate_card_duration, summary_product_id};
use super::{Authorization, AuthorizationPrice, AuthorizationSummary, Head, ResellerRole, ScheduledCharge};
use crate::domain::money::{parse_amount, parse_unit_price};
use crate::domain::opportunity::{MAX_RATE_CARDS, RateCard};
use crate::domain::product::Duration;
use crate::domain::{AccountId, Currency, OpportunityId, OpportunityState, PricingModel, ProductId, RuleError};

const CONTRACT: &str = "ResaleConfigurableUpfrontPricingTerm";
const USAGE: &str = "ResaleUsageBasedPricingTerm";
const FIXED: &str = "ResaleFixedUpfrontPricingTerm";
const SCHEDULE: &str = "ResalePaymentScheduleTerm";

/// A product dimension in the authorization's scope.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Dimension {
    key: String,
    name: String,
    unit: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct OfferDetails {
    offer_extended_status: Option<String>,
    offer_created_count: Option<u32>,
}

/// A document of a `BuyerLegalTerm`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LegalDocument {
    #[serde(rename = "Type")]
    kind: String,
    url: Option<String>,
}

/// A contract rate card's `Constraints`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Constraints {
    multiple_dimension_selection: Option<String>,
    quantity_configuration: Option<String>,
}

fn status(s: &str) -> Result<OpportunityState, RuleError> {
    match s {
        "Draft" => Ok(OpportunityState::Draft),
        "Active" => Ok(OpportunityState::Active),
        "Restricted" => Ok(OpportunityState::Restricted),
        other => Err(RuleError::validation(format!(
            "`{other}` is not a resale authorization status: AWS writes Draft, Active or Restricted"
        ))),
    }
}

fn role(s: &str) -> Result<ResellerRole, RuleError> {
    match s {
        "ChannelPartner" => Ok(ResellerRole::ChannelPartner),
        "Distributor" => Ok(ResellerRole::Distributor),
        other => Err(RuleError::validation(format!(
            "`{other}` is not a reseller role: AWS writes ChannelPartner or Distributor"
        ))),
    }
}

/// A `ResaleAuthorizationSummary` entry of a list-entities answer.
pub(super) fn summary(entry: &Obj) -> Got<AuthorizationSummary> {
    let id = entry.parse_req("EntityId", OpportunityId::parse)?;
    let none = Value::Object(Map::new());
    let s = match entry.obj("ResaleAuthorizationSummary")? {
        Some(s) => s,
        None => Obj::new(&none, "ResaleAuthorizationSummary")?,
    };
    Ok(AuthorizationSummary {
        id,
        last_modified: entry.timestamp("LastModifiedDate")?,
        name: s.opt("Name")?.or(entry.opt("Name")?),
        product_id: s.parse("ProductId", summary_product_id)?,
        product_name: s.opt("ProductName")?,
        isv: s.parse("ManufacturerAccountId", AccountId::parse)?,
        isv_name: s.opt("ManufacturerLegalName")?,
        // AWS spells it with a capital `ID` here, and only here.
        partner: s.parse("ResellerAccountID", AccountId::parse)?.or(s.parse("ResellerAccountId", AccountId::parse)?),
        partner_name: s.opt("ResellerLegalName")?,
        status: s.parse("Status", status)?,
        offer_extended_status: s.opt("OfferExtendedStatus")?,
        created_on: s.date("CreatedDate")?,
        ends_on: s.date("AvailabilityEndDate")?,
        role: s.parse("ResellerRole", role)?,
    })
}

/// A describe-entity `DetailsDocument` of a resale authorization.
pub(super) fn describe(head: &Head, doc: &Obj) -> Got<Authorization> {
    let (id, mut notes) = head.id(doc, OpportunityId::parse)?;
    let name = doc.req("Name")?;
    let description = doc.opt("Description")?.unwrap_or_default();
    let product_id = doc.parse_req("ProductId", ProductId::parse)?;
    let isv = doc.parse_req("ManufacturerAccountId", AccountId::parse)?;
    let status = doc.parse_req("Status", status)?;
    let details = doc.opt::<OfferDetails>("OfferDetails")?.unwrap_or_default();
    let rules = Rules::read(doc)?;
    let terms = doc.objs("Terms")?;
    let kinds = terms.iter().map(Obj::kind).collect::<Got<Vec<String>>>()?;
    let pricing = Pricing::read(doc, &terms, &kinds)?;
    notes.extend(pricing.notes);
    let mut a = Authorization {
        id,
        revision: head.revision.clone(),
        last_modified: head.last_modified,
        name,
        description,
        product_id,
        product_name: doc.opt("ProductName")?,
        isv,
        isv_name: doc.opt("ManufacturerLegalName")?,
        partner: rules.partner,
        partner_name: rules.partner_name,
        status,
        pricing_model: pricing.model,
        currency: pricing.currency,
        duration: pricing.duration,
        prices: pricing.prices,
        rate_cards: pricing.rate_cards,
        one_time: rules.one_time,
        ends_on: rules.ends_on,
        buyers: Vec::new(),
        role: rules.role,
        renewal: renewal(doc)?,
        net_payment_days: None,
        eula_url: None,
        offers_created: details.offer_created_count.unwrap_or(0),
        offer_extended_status: details.offer_extended_status,
        created_on: doc.date("CreatedDate")?,
        installments: Vec::new(),
        notes,
    };
    for (term, kind) in terms.iter().zip(&kinds) {
        match kind.as_str() {
            CONTRACT | USAGE | FIXED => {}
            SCHEDULE => a.installments = schedule(term, pricing.currency)?,
            "BuyerLegalTerm" => a.eula_url = eula(term)?,
            "BuyerTargetingTerm" => {
                a.buyers =
                    term.obj("PositiveTargeting")?.map(|t| t.buyers("BuyerAccounts")).transpose()?.unwrap_or_default()
            }
            "ResaleNetPaymentTerm" => a.net_payment_days = term.net_payment_days("PaymentDuePeriod")?,
            // The ISV-partner contract and the latest agreement start: cppo holds neither.
            "ResaleLegalTerm" | "BuyerValidityTerm" => {}
            other => return Err(Skip(format!("{} `{other}` is a term cppo does not know", term.path("Type")))),
        }
    }
    Ok(a)
}

/// A `ResalePaymentScheduleTerm`: 1-60 dated wholesale charges in the pricing's currency.
fn schedule(term: &Obj, currency: Currency) -> Got<Vec<ScheduledCharge>> {
    let code = term.parse_req("CurrencyCode", Currency::parse)?;
    if code != currency {
        return Err(Skip(format!(
            "{} is {code} but the prices are in {currency}: cppo holds one currency per opportunity",
            term.path("CurrencyCode")
        )));
    }
    let rows = term.objs("Schedule")?;
    if rows.is_empty() || rows.len() > 60 {
        return Err(Skip(format!("{} has {} charges: AWS allows 1 to 60", term.path("Schedule"), rows.len())));
    }
    rows.iter()
        .map(|row| {
            let text: String = row.req("ChargeAmount")?;
            let amount = parse_amount(&text, currency, &row.path("ChargeAmount")).map_err(|e| Skip(e.message))?;
            Ok(ScheduledCharge {
                due_on: row.day("ChargeDate")?.ok_or_else(|| row.missing("ChargeDate"))?,
                amount: amount.amount(),
            })
        })
        .collect()
}

/// The wholesale pricing: one currency, the first contract duration's prices (and usage
/// prices) and the rate cards of its other durations.
struct Pricing {
    model: PricingModel,
    currency: Currency,
    duration: Option<Duration>,
    prices: Vec<AuthorizationPrice>,
    rate_cards: Vec<RateCard>,
    /// The keys priced but not among `Dimensions`, each noted once.
    notes: Vec<String>,
}

impl Pricing {
    fn read(doc: &Obj, terms: &[Obj], kinds: &[String]) -> Got<Self> {
        let dimensions = doc.opt::<Vec<Dimension>>("Dimensions")?.unwrap_or_default();
        let (mut currency, mut duration, mut prices) = (None::<Currency>, None, Vec::new());
        let mut rate_cards: Vec<RateCard> = Vec::new();
        for (term, kind) in terms.iter().zip(kinds) {
            let usage = match kind.as_str() {
                CONTRACT | FIXED => false,
                USAGE => true,
                _ => continue,
            };
            let code = term.parse_req("CurrencyCode", Currency::parse)?;
            if let Some(first) = currency
                && first != code
            {
                return Err(Skip(format!(
                    "{} is {code} but another pricing term is in {first}: cppo holds one currency per opportunity",
                    term.path("CurrencyCode")
                )));
            }
            currency = Some(code);
            if kind == FIXED {
                let fixed = fixed_upfront(term, &dimensions)?;
                if let Some(d) = duration.filter(|d| *d != fixed.0 || !rate_cards.is_empty()) {
                    return Err(Skip(format!(
                        "{} is {} beside a rate card for {d}: cppo holds granted units for one duration alone",
                        term.path("Duration"),
                        fixed.0
                    )));
                }
                duration = Some(fixed.0);
                prices.extend(fixed.1);
                continue;
            }
            let cards = term.objs("RateCards")?;
            if usage {
                if cards.len() != 1 {
                    return Err(Skip(format!(
                        "{} has {} rate cards: AWS writes one",
                        term.path("RateCards"),
                        cards.len()
                    )));
                }
                for item in cards[0].objs("RateCard")? {
                    prices.push(price(&item, usage, &dimensions)?);
                }
                continue;
            }
            let durations = durations(term, &cards)?;
            if let Some(d) = duration
                && durations != [d]
            {
                return Err(Skip(format!(
                    "{} has rate cards beside a fixed upfront price for {d}: cppo holds granted units for one duration alone",
                    term.path("RateCards")
                )));
            }
            duration = durations.first().copied();
            for (i, (card, d)) in cards.iter().zip(&durations).enumerate() {
                let items = card.objs("RateCard")?;
                if i == 0 {
                    for item in &items {
                        prices.push(price(item, usage, &dimensions)?);
                    }
                } else {
                    let prices = items
                        .iter()
                        .map(|item| price(item, usage, &dimensions).map(|p| (p.key, p.price)))
                        .collect::<Got<Vec<_>>>()?;
                    rate_cards.push(RateCard { duration: *d, prices });
                }
            }
        }
        let Some(currency) = currency else {
            return Err(Skip(format!(
                "no pricing term ({CONTRACT}, {FIXED} or {USAGE}) in DetailsDocument.Terms: nothing to resell yet"
            )));
        };
        if prices.is_empty() {
            return Err(Skip("the pricing terms' rate cards hold no price".into()));
        }
        let model = match (doc.opt::<String>("PricingModel")?.as_deref(), duration) {
            (Some("Contract"), Some(_)) | (None, Some(_)) => PricingModel::Contract,
            (Some("Usage"), None) | (None, None) => PricingModel::Usage,
            (Some(m @ ("Contract" | "Usage")), _) => {
                return Err(Skip(format!(
                    "DetailsDocument.PricingModel is {m} but the terms say otherwise: {}",
                    if duration.is_some() { "a contract rate card" } else { "no contract rate card" }
                )));
            }
            (Some(other), _) => {
                return Err(Skip(format!(
                    "DetailsDocument.PricingModel `{other}`: cppo holds Contract or Usage pricing"
                )));
            }
        };
        let mut notes = Vec::new();
        for p in &prices {
            let note = unlisted_note(&p.key);
            if !dimensions.iter().any(|d| d.key == p.key) && !notes.contains(&note) {
                notes.push(note);
            }
        }
        Ok(Self { model, currency, duration, prices, rate_cards, notes })
    }
}

/// A priced key that `Dimensions` does not list (AWS's own example prices four such keys).
fn unlisted_note(key: &str) -> String {
    format!("`{key}` is priced but not among DetailsDocument.Dimensions: named `{key}`, unit `{UNLISTED_UNIT}`")
}

/// The unit of a dimension AWS prices without describing it.
const UNLISTED_UNIT: &str = "units";

/// The name and unit of `key`: from `Dimensions`, or, when AWS prices a key it does not list
/// there, the key itself and [`UNLISTED_UNIT`] (noted by [`Pricing::read`]).
fn named(key: &str, dimensions: &[Dimension]) -> (String, String) {
    match dimensions.iter().find(|d| d.key == key) {
        Some(d) => (d.name.clone(), d.unit.clone()),
        None => (key.to_owned(), UNLISTED_UNIT.to_owned()),
    }
}

/// A `ResaleFixedUpfrontPricingTerm`: its duration, and a price of 0 per unit for each of
/// its `Grants` (the units granted). AWS requires the fixed price to be 0 with a payment
/// schedule, which then carries the whole contract value; cppo holds no other fixed price.
fn fixed_upfront(term: &Obj, dimensions: &[Dimension]) -> Got<(Duration, Vec<AuthorizationPrice>)> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Grant {
        dimension_key: String,
        max_quantity: u64,
    }
    let duration = term.parse_req("Duration", Duration::parse)?;
    let text: String = term.req("Price")?;
    let price = parse_unit_price(&text, false, &term.path("Price")).map_err(|e| Skip(e.message))?;
    if !price.is_zero() {
        return Err(Skip(format!(
            "{} is {text}: cppo holds a fixed upfront price of 0 paid by a payment schedule, as AWS requires with one",
            term.path("Price")
        )));
    }
    let grants = term.opt::<Vec<Grant>>("Grants")?.unwrap_or_default();
    if grants.is_empty() {
        return Err(Skip(format!("{} grants no units", term.path("Grants"))));
    }
    let prices = grants
        .into_iter()
        .map(|g| {
            let (name, unit) = named(&g.dimension_key, dimensions);
            AuthorizationPrice {
                key: g.dimension_key,
                name,
                unit,
                usage: false,
                price: price.normalize(),
                granted: Some(g.max_quantity),
            }
        })
        .collect();
    Ok((duration, prices))
}

/// The durations of a contract term's rate cards, in AWS's order: 1 to 5, each once (as AWS
/// requires), each letting the buyer pick dimensions and quantities (as cppo's export writes
/// them). That every card prices the same dimensions is the domain's rule.
fn durations(term: &Obj, cards: &[Obj]) -> Got<Vec<Duration>> {
    let mut durations = Vec::new();
    for card in cards {
        let d = rate_card_duration(card)?.ok_or_else(|| card.missing("Selector"))?;
        durations.push(d);
        let Some(c) = card.opt::<Constraints>("Constraints")? else { continue };
        for (name, value) in [
            ("MultipleDimensionSelection", c.multiple_dimension_selection),
            ("QuantityConfiguration", c.quantity_configuration),
        ] {
            if let Some(v) = value.filter(|v| v != "Allowed") {
                return Err(Skip(format!(
                    "{}.{name} is `{v}`: cppo's contract prices let the buyer choose (Allowed)",
                    card.path("Constraints")
                )));
            }
        }
    }
    if durations.is_empty() {
        return Err(Skip(format!("{} holds no rate card", term.path("RateCards"))));
    }
    if durations.len() > MAX_RATE_CARDS {
        return Err(Skip(format!(
            "{} holds {} rate cards: AWS allows at most {MAX_RATE_CARDS}",
            term.path("RateCards"),
            durations.len()
        )));
    }
    for (i, d) in durations.iter().enumerate() {
        if durations[..i].contains(d) {
            return Err(Skip(format!("{} has two rate cards for {d}: AWS allows one each", term.path("RateCards"))));
        }
    }
    Ok(durations)
}

/// One `{DimensionKey, Price}` of a rate card, named from the authorization's `Dimensions`.
fn price(item: &Obj, usage: bool, dimensions: &[Dimension]) -> Got<AuthorizationPrice> {
    let key: String = item.req("DimensionKey")?;
    let text: String = item.req("Price")?;
    let price = parse_unit_price(&text, usage, &item.path("Price")).map_err(|e| Skip(e.message))?;
    let (name, unit) = named(&key, dimensions);
    Ok(AuthorizationPrice { key, name, unit, usage, price, granted: None })
}

/// `AvailabilityRule` and `PartnerTargetingRule`.
struct Rules {
    partner: AccountId,
    partner_name: Option<String>,
    /// AWS puts `ResellerRole` in the `PartnerTargetingRule` (its BatchDescribeEntities example).
    role: Option<ResellerRole>,
    one_time: bool,
    ends_on: Option<NaiveDate>,
}

impl Rules {
    fn read(doc: &Obj) -> Got<Self> {
        let (mut partner, mut one_time, mut ends_on, mut role) = (None, false, None, None);
        for rule in doc.objs("Rules")? {
            match rule.kind()?.as_str() {
                "AvailabilityRule" => {
                    ends_on = rule.date("AvailabilityEndDate")?;
                    one_time = match rule.opt::<u32>("OffersMaxQuantity")? {
                        None => false,
                        Some(1) => true,
                        Some(n) => {
                            return Err(Skip(format!("{} is {n}: AWS allows only 1", rule.path("OffersMaxQuantity"))));
                        }
                    };
                }
                "PartnerTargetingRule" => {
                    let account = rule.parse_req("ResellerAccountId", AccountId::parse)?;
                    partner = Some((account, rule.opt("ResellerLegalName")?));
                    role = rule.parse("ResellerRole", self::role)?;
                }
                other => return Err(Skip(format!("{} `{other}` is a rule cppo does not know", rule.path("Type")))),
            }
        }
        let Some((partner, partner_name)) = partner else {
            return Err(Skip("DetailsDocument.Rules has no PartnerTargetingRule: the partner is unknown".into()));
        };
        Ok(Self { partner, partner_name, role, one_time, ends_on })
    }
}

/// `PreExistingBuyerAgreement`: an object when set; describe-entity shows "Unknown" when not.
fn renewal(doc: &Obj) -> Got<bool> {
    match doc.get("PreExistingBuyerAgreement") {
        None => Ok(false),
        Some(Value::String(s)) if s == "Unknown" => Ok(false),
        Some(Value::Object(_)) => Ok(true),
        Some(other) => Err(Skip(format!(
            "{} is {other}: AWS writes \"Unknown\" or {{AcquisitionChannel, PricingModel}}",
            doc.path("PreExistingBuyerAgreement")
        ))),
    }
}

/// A `BuyerLegalTerm`: the standard EULA (`None`) or a custom EULA's URL.
fn eula(term: &Obj) -> Got<Option<String>> {
    let documents = term.opt::<Vec<LegalDocument>>("Documents")?.unwrap_or_default();
    let path = term.path("Documents");
    match documents.as_slice() {
        [] => Ok(None),
        [d] => match (d.kind.as_str(), &d.url) {
            ("StandardEula", _) => Ok(None),
            ("CustomEula", Some(url)) => Ok(Some(url.clone())),
            ("CustomEula", None) => Err(Skip(format!("{path}[0] is a CustomEula without its Url"))),
            (other, _) => {
                Err(Skip(format!("{path}[0] is {other}: cppo records the standard EULA or a custom EULA's URL")))
            }
        },
        many => Err(Skip(format!("{path} holds {} documents: cppo records one EULA", many.len()))),
    }
}
