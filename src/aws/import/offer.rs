//! `Offer@1.0` made from a resale authorization (a CPPO): describe-entity's
//! `DetailsDocument` and list-entities' `OfferSummary` (aws-cppo-facts.md section 1.4).

use serde_json::{Map, Value};

use super::fields::{Got, Obj, Skip, rate_card_duration, summary_product_id};
use super::{Head, Offer, OfferPrice, OfferSummary};
use crate::domain::money::{MAX_AMOUNT, parse_decimal, parse_markup_pct};
use crate::domain::product::Duration;
use crate::domain::{Currency, OfferId, OfferState, OpportunityId, ProductId, RuleError};

/// Decimals a buyer price may have: the markup (up to 9 decimals) applied to a unit price.
const BUYER_PRICE_DIGITS: u32 = 16;

fn state(s: &str) -> Result<OfferState, RuleError> {
    match s {
        "Draft" => Ok(OfferState::Draft),
        "Released" => Ok(OfferState::Released),
        other => Err(RuleError::validation(format!("`{other}` is not an offer state: AWS writes Draft or Released"))),
    }
}

/// An `OfferSummary` entry of a list-entities answer.
pub(super) fn summary(entry: &Obj) -> Got<OfferSummary> {
    let id = entry.parse_req("EntityId", OfferId::parse)?;
    let none = Value::Object(Map::new());
    let s = match entry.obj("OfferSummary")? {
        Some(s) => s,
        None => Obj::new(&none, "OfferSummary")?,
    };
    Ok(OfferSummary {
        id,
        last_modified: entry.timestamp("LastModifiedDate")?,
        name: s.opt("Name")?.or(entry.opt("Name")?),
        product_id: s.parse("ProductId", summary_product_id)?,
        resale_authorization_id: s.parse("ResaleAuthorizationId", OpportunityId::parse)?,
        state: s.parse("State", state)?,
        released_at: s.timestamp("ReleaseDate")?,
        expires_on: s.date("AvailabilityEndDate")?,
        buyers: s.buyers("BuyerAccounts")?.into_iter().map(|b| b.account).collect(),
    })
}

/// A describe-entity `DetailsDocument` of an offer.
pub(super) fn describe(head: &Head, doc: &Obj) -> Got<Offer> {
    let (id, notes) = head.id(doc, OfferId::parse)?;
    let name = doc.opt("Name")?.unwrap_or_default();
    let description = doc.opt("Description")?.unwrap_or_default();
    // A draft made through the API may carry no `State` yet.
    let state = doc.parse("State", state)?.unwrap_or(OfferState::Draft);
    let product_id = doc.parse_req("ProductId", ProductId::parse)?;
    let Some(resale_authorization_id) = doc.parse("ResaleAuthorizationId", OpportunityId::parse)? else {
        return Err(Skip(format!(
            "{} is missing: an offer not made from a resale authorization is not a channel partner offer",
            doc.path("ResaleAuthorizationId")
        )));
    };
    let mut offer = Offer {
        id,
        revision: head.revision.clone(),
        last_modified: head.last_modified,
        name,
        description,
        state,
        product_id,
        resale_authorization_id,
        markup_pct: doc.parse("MarkupPercentage", parse_markup_pct)?,
        buyers: Vec::new(),
        expires_on: None,
        agreement_duration: None,
        net_payment_days: None,
        currency: None,
        buyer_prices: Vec::new(),
        notes,
    };
    for term in doc.objs("Terms")? {
        match term.kind()?.as_str() {
            "ConfigurableUpfrontPricingTerm" => buyer_prices(&term, false, &mut offer)?,
            "UsageBasedPricingTerm" => buyer_prices(&term, true, &mut offer)?,
            "ValidityTerm" => offer.agreement_duration = term.parse("AgreementDuration", Duration::parse)?,
            "NetPaymentTerm" => offer.net_payment_days = term.net_payment_days("PaymentDuePeriod")?,
            // Legal, renewal, support terms and installment plans are the authorization's,
            // copied onto the offer: cppo reads them there.
            _ => {}
        }
    }
    for rule in doc.objs("Rules")? {
        match rule.kind()?.as_str() {
            "TargetingRule" => {
                offer.buyers =
                    rule.obj("PositiveTargeting")?.map(|t| t.buyers("BuyerAccounts")).transpose()?.unwrap_or_default()
            }
            "AvailabilityRule" => offer.expires_on = rule.date("AvailabilityEndDate")?,
            _ => {}
        }
    }
    Ok(offer)
}

/// The buyer prices of a pricing term, for information.
fn buyer_prices(term: &Obj, usage: bool, offer: &mut Offer) -> Got<()> {
    let currency = term.parse_req("CurrencyCode", Currency::parse)?;
    if let Some(first) = offer.currency
        && first != currency
    {
        return Err(Skip(format!(
            "{} is {currency} but another pricing term is in {first}",
            term.path("CurrencyCode")
        )));
    }
    offer.currency = Some(currency);
    for card in term.objs("RateCards")? {
        let duration = rate_card_duration(&card)?;
        for item in card.objs("RateCard")? {
            let key = item.req("DimensionKey")?;
            let text: String = item.req("Price")?;
            let price = parse_decimal(&text, BUYER_PRICE_DIGITS, MAX_AMOUNT, &item.path("Price"))
                .map_err(|e| Skip(e.message))?;
            offer.buyer_prices.push(OfferPrice { key, duration, usage, price });
        }
    }
    Ok(())
}
