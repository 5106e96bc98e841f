//! Export: a `StartChangeSet` request (the input of `aws marketplace-catalog
//! start-change-set --cli-input-json file://FILE`) that creates on AWS what cppo holds.
//!
//! An opportunity becomes `CreateResaleAuthorization` and one update per term it has
//! (pricing, an installment plan's payment schedule, availability and offer quantity, buyer
//! targeting, legal terms, renewal, net payment terms), then `ReleaseResaleAuthorization`;
//! several durations are one rate card each. An offer becomes
//! `CreateOfferUsingResaleAuthorization`, `UpdateMarkup`, `UpdateTargeting`,
//! `UpdateAvailability`, `UpdateValidityTerms` (the duration picked, when its opportunity
//! offers several), then `ReleaseOffer`. A replacement offer starts with
//! `CreateReplacementOfferUsingResaleAuthorization` (its agreement), sends no targeting (AWS
//! fixes it to the agreement's buyer) and its agreement end date as `UpdateValidityTerms`. Later
//! changes name the created entity `$Name.Entity.Identifier`.

use serde::Serialize;
use serde_json::{Value, json};

use super::{OFFER, RESALE_AUTHORIZATION};
use crate::domain::product::PricingModel;
use crate::domain::sync::Held;
use crate::domain::{Offer, OfferState, Opportunity, OpportunityKind, OpportunityState};

/// Why a record cannot be exported (yet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExportError(pub String);

/// A `StartChangeSet` request, serialized exactly as the AWS CLI reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeSet {
    pub catalog: &'static str,
    pub change_set: Vec<Change>,
    pub change_set_name: String,
    /// Derived from the record and its version: submitting the same state twice is one
    /// request to AWS.
    pub client_request_token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Change {
    pub change_type: &'static str,
    pub entity: Entity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_name: Option<&'static str>,
    pub details_document: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Entity {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

/// The change names of the created entities, and how later changes refer to them; AWS's
/// `describe-change-set` answer gives the created entity's id under the same name.
pub const RA_NAME: &str = "ResaleAuthorization";
pub const OFFER_NAME: &str = "Offer";

impl ChangeSet {
    /// `verb`: "create" for a record new to AWS, "update" for one AWS holds already.
    fn new(id: &str, version: i64, verb: &str, release: bool, changes: Vec<Change>) -> Result<Self, ExportError> {
        if changes.len() > 20 {
            return Err(ExportError(format!("{id} needs {} changes; AWS takes at most 20 in one set", changes.len())));
        }
        let what = if release { format!("{verb} and release") } else { verb.to_owned() };
        Ok(Self {
            catalog: "AWSMarketplace",
            change_set: changes,
            change_set_name: format!("cppo {what} {id} v{version}"),
            client_request_token: request_token(id, version, release),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a change set is plain JSON")
    }
}

/// The record a change set was exported from, read back from its `ChangeSetName` (which
/// AWS's `describe-change-set` answer repeats): `cppo create resaleauthz-… v3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The record's id in cppo when it was exported.
    pub id: String,
    pub version: i64,
    /// It created the entity on AWS (a record made in cppo), rather than updated AWS's.
    pub creates: bool,
}

impl Exported {
    /// The export that [`ChangeSet::new`] named `name`, if it is one of cppo's.
    pub fn from_name(name: &str) -> Option<Self> {
        let rest = name.strip_prefix("cppo ")?;
        let (verb, rest) = ["create and release ", "create ", "update and release ", "update "]
            .iter()
            .find_map(|v| rest.strip_prefix(v).map(|r| (*v, r)))?;
        let (id, version) = rest.rsplit_once(" v")?;
        if id.is_empty() || id.contains(char::is_whitespace) {
            return None;
        }
        let version = version.parse::<i64>().ok().filter(|v| *v >= 0 && version.bytes().all(|b| b.is_ascii_digit()))?;
        Some(Self { id: id.to_owned(), version, creates: verb.starts_with("create") })
    }
}

/// AWS's idempotency token for a record's version (with its release or not): the same
/// export twice gives the same token, so a second submission is the same request. At most
/// 36 characters, the older API reference's limit (the current model allows 64): the id's
/// random part (13 characters, unique enough within one seller's records) stands for it.
fn request_token(id: &str, version: i64, release: bool) -> String {
    let (kind, random) = match id.rsplit_once('-') {
        Some((kind, random)) => (kind.chars().next().unwrap_or('x'), random),
        None => ('x', id),
    };
    let token = format!("cppo-{kind}-{random}-v{version}{}", if release { "-r" } else { "" });
    if token.len() <= 36 {
        return token;
    }
    // An id of another form: its FNV-1a hash, stable across runs and builds.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("cppo-{hash:016x}-v{version}{}", if release { "-r" } else { "" })
}

fn create(kind: &'static str, name: &'static str, change_type: &'static str, details: Value) -> Change {
    Change {
        change_type,
        entity: Entity { kind, identifier: None },
        change_name: Some(name),
        details_document: details,
    }
}

/// The entity later changes act on: the one the set creates (by its change name), or one
/// AWS holds already (by its id).
#[derive(Debug, Clone, Copy)]
enum Target<'a> {
    Created(&'static str),
    Existing(&'a str),
}

fn update(kind: &'static str, target: Target<'_>, change_type: &'static str, details: Value) -> Change {
    let identifier = Some(match target {
        Target::Created(name) => format!("${name}.Entity.Identifier"),
        Target::Existing(id) => id.to_owned(),
    });
    Change { change_type, entity: Entity { kind, identifier }, change_name: None, details_document: details }
}

/// A decimal as AWS writes prices and percentages: plain digits, no exponent, no trailing
/// zeros (`1275`, `0.125`).
fn decimal(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

/// Whether AWS has changes that create `o` as cppo holds it; if not, why.
pub fn check_opportunity(o: &Opportunity) -> Result<(), ExportError> {
    if !o.installments.is_empty() && o.grants().is_empty() {
        let fix = if o.state == OpportunityState::Draft {
            format!("edit the draft to name them (cppo opportunities edit {} --grant KEY=UNITS)", o.id)
        } else {
            "its released terms are frozen: end it and grant a new opportunity with --installment and --grant \
             KEY=UNITS"
                .to_owned()
        };
        return Err(ExportError(format!(
            "{} has an installment plan without granted units: AWS wants it as a fixed upfront price with the \
             units granted (ResaleFixedUpfrontPricingTerm); {fix}",
            o.id
        )));
    }
    // AWS refuses a payment schedule without both (INCOMPATIBLE_TERMS); release asks the same.
    if !o.installments.is_empty() && (o.kind != OpportunityKind::OneTime || o.ends_on.is_none()) {
        return Err(ExportError(format!(
            "{} has an installment plan: AWS takes one on a one-time opportunity with an end date only; edit the \
             draft",
            o.id
        )));
    }
    if o.state == OpportunityState::Restricted {
        let why = if o.ended_by.as_ref() == Some(&o.isv) {
            "creating it on AWS only to restrict it would give the partner nothing"
        } else {
            "it was ended by its partner, and AWS has no change type for that (only the ISV restricts a resale \
             authorization), so it stays cppo's own record"
        };
        return Err(ExportError(format!("{} is ended: {why}", o.id)));
    }
    Ok(())
}

/// Whether AWS has changes that create `offer` as cppo holds it; if not, why.
pub fn check_offer(offer: &Offer) -> Result<(), ExportError> {
    if offer.agreement_id.is_some() {
        return Err(ExportError(format!(
            "{} is accepted: its agreement is AWS's record, there is nothing to create",
            offer.id
        )));
    }
    Ok(())
}

/// The changes that create `o` on AWS as its ISV holds it; `release` adds the release (an
/// opportunity already released in cppo is always released). See [`check_opportunity`].
pub fn opportunity(o: &Opportunity, release: bool) -> Result<ChangeSet, ExportError> {
    check_opportunity(o)?;
    let release = release || o.state != OpportunityState::Draft;
    let mut create_details = json!({
        "ProductId": o.product_id.as_str(),
        "Name": o.name,
        "ResellerAccountId": o.partner.as_str(),
    });
    if !o.description.is_empty() {
        create_details["Description"] = json!(o.description);
    }
    let mut changes = vec![create(RESALE_AUTHORIZATION, RA_NAME, "CreateResaleAuthorization", create_details)];
    changes.extend(opportunity_terms(o, Target::Created(RA_NAME), false));
    if release {
        changes.push(update(RESALE_AUTHORIZATION, Target::Created(RA_NAME), "ReleaseResaleAuthorization", json!({})));
    }
    ChangeSet::new(o.id.as_str(), o.version, "create", release, changes)
}

/// One update change per term `o` has: pricing, availability and offer quantity, buyer
/// targeting, legal terms, renewal, net payment terms; with `information`, its name and
/// description too (an entity AWS holds already).
fn opportunity_terms(o: &Opportunity, target: Target<'_>, information: bool) -> Vec<Change> {
    let ra = |change_type, details| update(RESALE_AUTHORIZATION, target, change_type, details);
    let mut changes = Vec::new();
    let rates = |model: PricingModel| -> Vec<Value> {
        o.prices
            .iter()
            .filter(|p| p.pricing == model)
            .map(|p| json!({"DimensionKey": p.dimension, "Price": decimal(p.wholesale_price)}))
            .collect()
    };
    let (contract, usage) = (rates(PricingModel::Contract), rates(PricingModel::Usage));
    let grants: Vec<Value> = o.grants().iter().map(|(k, n)| json!({"DimensionKey": k, "MaxQuantity": n})).collect();
    let mut terms = Vec::new();
    if !grants.is_empty() {
        // An installment plan: the granted units cost 0 upfront; the schedule carries the value.
        terms.push(json!({
            "Type": "ResaleFixedUpfrontPricingTerm",
            "CurrencyCode": o.currency.code(),
            "Price": "0.00",
            "Duration": o.duration.to_string(),
            "Grants": grants,
        }));
    } else if !contract.is_empty() {
        let card = |duration: String, rates: Vec<Value>| {
            json!({
                "Selector": {"Type": "Duration", "Value": duration},
                "RateCard": rates,
                "Constraints": {"MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"},
            })
        };
        let mut cards = vec![card(o.duration.to_string(), contract.clone())];
        cards.extend(o.rate_cards.iter().map(|c| {
            let rates = c.prices.iter().map(|(k, p)| json!({"DimensionKey": k, "Price": decimal(*p)})).collect();
            card(c.duration.to_string(), rates)
        }));
        terms.push(json!({
            "Type": "ResaleConfigurableUpfrontPricingTerm",
            "CurrencyCode": o.currency.code(),
            "RateCards": cards,
        }));
    }
    if !usage.is_empty() {
        terms.push(json!({
            "Type": "ResaleUsageBasedPricingTerm",
            "CurrencyCode": o.currency.code(),
            "RateCards": [{"RateCard": usage}],
        }));
    }
    let model = if contract.is_empty() && grants.is_empty() { "Usage" } else { "Contract" };
    changes.push(ra("UpdatePricingTerms", json!({"PricingModel": model, "Terms": terms})));
    if !o.installments.is_empty() {
        let schedule: Vec<Value> = o
            .installments
            .iter()
            .map(|i| json!({"ChargeDate": i.due_on.to_string(), "ChargeAmount": format!("{:.2}", i.amount.amount())}))
            .collect();
        changes.push(ra(
            "UpdatePaymentScheduleTerms",
            json!({"Terms": [{"Type": "ResalePaymentScheduleTerm", "CurrencyCode": o.currency.code(), "Schedule": schedule}]}),
        ));
    }

    let mut availability = serde_json::Map::new();
    if let Some(end) = o.ends_on {
        availability.insert("AvailabilityEndDate".into(), json!(end.to_string()));
    }
    if o.kind == OpportunityKind::OneTime {
        availability.insert("OffersMaxQuantity".into(), json!(1));
    }
    if !availability.is_empty() {
        changes.push(ra("UpdateAvailability", Value::Object(availability)));
    }
    if !o.buyers.is_empty() {
        let accounts: Vec<&str> = o.buyers.iter().map(|b| b.as_str()).collect();
        changes.push(ra(
            "UpdateBuyerTargetingTerms",
            json!({"Terms": [{"Type": "BuyerTargetingTerm", "PositiveTargeting": {"BuyerAccounts": accounts}}]}),
        ));
    }
    let eula = match &o.eula_url {
        Some(url) => json!({"Type": "CustomEula", "Url": url}),
        None => json!({"Type": "StandardEula"}),
    };
    changes.push(ra("UpdateLegalTerms", json!({"Terms": [{"Type": "BuyerLegalTerm", "Documents": [eula]}]})));
    let mut info = serde_json::Map::new();
    if information {
        info.insert("Name".into(), json!(o.name));
        if !o.description.is_empty() {
            info.insert("Description".into(), json!(o.description));
        }
    }
    if o.renewal {
        info.insert(
            "PreExistingBuyerAgreement".into(),
            json!({"AcquisitionChannel": "AwsMarketplace", "PricingModel": model}),
        );
    }
    if !info.is_empty() {
        changes.push(ra("UpdateInformation", Value::Object(info)));
    }
    if let Some(days) = o.net_payment_days {
        changes.push(ra(
            "UpdateNetPaymentTerms",
            json!({"Terms": [{"Type": "ResaleNetPaymentTerm", "PaymentDuePeriod": format!("P{days}D")}]}),
        ));
    }
    changes
}

/// What an update of a resale authorization AWS holds sends, decided before any JSON is
/// written: the check behind `X` and the export's first step (see [`check_opportunity_update`]).
#[derive(Debug, Default)]
struct OpportunityUpdate {
    restrict: bool,
    /// Every term, name and description: a draft on AWS changed in cppo since.
    terms: bool,
    end: Option<chrono::NaiveDate>,
    release: bool,
}

/// What moves the resale authorization AWS holds (as `held` says, imported at `o`'s version
/// minus its local changes: `changed`) to `o` as its ISV holds it now: a draft changed in
/// cppo sends every term; an end date moved, `UpdateAvailability`; an opportunity ended by its
/// ISV, `RestrictResaleAuthorization`; a release, the release. Nothing to send is refused.
fn plan_opportunity_update(
    o: &Opportunity,
    held: Held,
    changed: bool,
    release: bool,
) -> Result<OpportunityUpdate, ExportError> {
    let Held::Opportunity { state: aws_state, ends_on: aws_end } = held else {
        return Err(ExportError(format!("{} was imported as an offer", o.id)));
    };
    let mut plan = OpportunityUpdate::default();
    if o.state == OpportunityState::Restricted {
        if aws_state != OpportunityState::Restricted {
            if o.ended_by.as_ref() != Some(&o.isv) {
                return Err(ExportError(format!(
                    "{} was ended by its partner: AWS has no change type for that (only the ISV restricts a resale \
                     authorization), so it stays cppo's own record",
                    o.id
                )));
            }
            plan.restrict = true;
        }
    } else {
        if aws_state == OpportunityState::Draft && changed {
            check_opportunity(o)?;
            plan.terms = true;
        } else if o.ends_on != aws_end {
            let Some(end) = o.ends_on else {
                return Err(ExportError(format!(
                    "{} has no end date in cppo but ends on {} on AWS: AWS cannot take an end date away",
                    o.id,
                    aws_end.map_or_else(String::new, |d| d.to_string())
                )));
            };
            plan.end = Some(end);
        }
        plan.release = aws_state == OpportunityState::Draft && (release || o.state == OpportunityState::Active);
    }
    nothing_to_send(o.id.as_str(), plan.restrict || plan.terms || plan.end.is_some() || plan.release)?;
    Ok(plan)
}

/// Whether AWS's copy of `o` has something to take (see [`opportunity_update`]); if not, why.
/// Cheap: no change is built.
pub fn check_opportunity_update(o: &Opportunity, held: Held, changed: bool, release: bool) -> Result<(), ExportError> {
    plan_opportunity_update(o, held, changed, release).map(drop)
}

/// The changes that move the resale authorization AWS holds to `o` as its ISV holds it now
/// (what [`plan_opportunity_update`] decides).
pub fn opportunity_update(o: &Opportunity, held: Held, changed: bool, release: bool) -> Result<ChangeSet, ExportError> {
    let plan = plan_opportunity_update(o, held, changed, release)?;
    let target = Target::Existing(o.id.as_str());
    let ra = |change_type, details| update(RESALE_AUTHORIZATION, target, change_type, details);
    let mut changes = Vec::new();
    if plan.restrict {
        changes.push(ra("RestrictResaleAuthorization", json!({})));
    }
    if plan.terms {
        changes.extend(opportunity_terms(o, target, true));
    }
    if let Some(end) = plan.end {
        changes.push(ra("UpdateAvailability", json!({"AvailabilityEndDate": end.to_string()})));
    }
    if plan.release {
        changes.push(ra("ReleaseResaleAuthorization", json!({})));
    }
    ChangeSet::new(o.id.as_str(), o.version, "update", plan.release, changes)
}

/// An update with no change (`any` false) is refused: AWS holds it as it is.
fn nothing_to_send(id: &str, any: bool) -> Result<(), ExportError> {
    if !any {
        return Err(ExportError(format!(
            "nothing to send: {id} is as AWS held it at its last import (import it again if AWS changed since)"
        )));
    }
    Ok(())
}

/// The changes that create `offer` on AWS from its opportunity, which must be on AWS
/// already (its id is AWS's). The planned quantities are not sent: AWS lets the buyer pick
/// units at acceptance, and no change type carries them.
pub fn offer(offer: &Offer, opportunity: &Opportunity, release: bool) -> Result<ChangeSet, ExportError> {
    check_offer(offer)?;
    let release = release || offer.state == OfferState::Released;
    let target = Target::Created(OFFER_NAME);
    let mut create_details = json!({"ResaleAuthorizationId": offer.opportunity_id.as_str()});
    let create_type = match &offer.replaces {
        Some(agreement) => {
            create_details["AgreementId"] = json!(agreement.as_str());
            "CreateReplacementOfferUsingResaleAuthorization"
        }
        None => "CreateOfferUsingResaleAuthorization",
    };
    if !offer.name.is_empty() {
        create_details["Name"] = json!(offer.name);
    }
    if !offer.description.is_empty() {
        create_details["Description"] = json!(offer.description);
    }
    let mut changes = vec![create(OFFER, OFFER_NAME, create_type, create_details)];
    changes.extend(offer_terms(offer, opportunity, target));
    if release {
        changes.push(update(OFFER, target, "ReleaseOffer", json!({})));
    }
    ChangeSet::new(offer.id.as_str(), offer.version, "create", release, changes)
}

/// The markup, the buyer's accounts, the expiry of `offer`, and its duration when its
/// `opportunity` offers several (AWS otherwise takes the one there is). A replacement offer
/// sends no targeting (AWS fixes it to the agreement's buyer and refuses a change) and its
/// agreement end date, when it has one, in place of the duration.
fn offer_terms(offer: &Offer, opportunity: &Opportunity, target: Target<'_>) -> Vec<Change> {
    let change = |change_type, details| update(OFFER, target, change_type, details);
    let mut changes = vec![change("UpdateMarkup", json!({"Percentage": decimal(offer.markup_pct)}))];
    if let Some(buyer) = offer.buyer.as_ref().filter(|_| offer.replaces.is_none()) {
        let accounts: Vec<&str> = std::iter::once(buyer).chain(&offer.buyer_accounts).map(|a| a.as_str()).collect();
        changes.push(change("UpdateTargeting", json!({"PositiveTargeting": {"BuyerAccounts": accounts}})));
    }
    if let Some(expires) = offer.expires_on {
        changes.push(change("UpdateAvailability", json!({"AvailabilityEndDate": expires.to_string()})));
    }
    if let Some(end) = offer.agreement_ends_on {
        changes.push(change(
            "UpdateValidityTerms",
            json!({"Terms": [{"Type": "ValidityTerm", "AgreementEndDate": end.to_string()}]}),
        ));
    } else if !opportunity.rate_cards.is_empty() {
        changes.push(change(
            "UpdateValidityTerms",
            json!({"Terms": [{"Type": "ValidityTerm", "AgreementDuration": offer.duration.to_string()}]}),
        ));
    }
    changes
}

/// What an update of an offer AWS holds sends, decided before any JSON is written.
#[derive(Debug, Default)]
struct OfferUpdate {
    /// Its name, description and every term: a draft on AWS changed in cppo since.
    terms: bool,
    expiry: Option<chrono::NaiveDate>,
    release: bool,
}

/// What moves the offer AWS holds (as `held` says) to `offer` as its partner holds it now: a
/// draft changed in cppo sends its name, description and every term; an expiry moved
/// (extended, or cancelled: yesterday), `UpdateAvailability`; a release, `ReleaseOffer`.
/// Nothing to send is refused.
fn plan_offer_update(offer: &Offer, held: Held, changed: bool, release: bool) -> Result<OfferUpdate, ExportError> {
    check_offer(offer)?;
    let Held::Offer { state: aws_state, expires_on: aws_expiry } = held else {
        return Err(ExportError(format!("{} was imported as an opportunity", offer.id)));
    };
    let terms = aws_state == OfferState::Draft && changed;
    let plan = OfferUpdate {
        terms,
        expiry: if terms || offer.expires_on == aws_expiry { None } else { offer.expires_on },
        release: aws_state == OfferState::Draft && (release || offer.state == OfferState::Released),
    };
    nothing_to_send(offer.id.as_str(), plan.terms || plan.expiry.is_some() || plan.release)?;
    Ok(plan)
}

/// Whether AWS's copy of `offer` has something to take (see [`offer_update`]); if not, why.
/// Cheap: no change is built.
pub fn check_offer_update(offer: &Offer, held: Held, changed: bool, release: bool) -> Result<(), ExportError> {
    plan_offer_update(offer, held, changed, release).map(drop)
}

/// The changes that move the offer AWS holds to `offer` as its partner holds it now (what
/// [`plan_offer_update`] decides).
pub fn offer_update(
    offer: &Offer,
    opportunity: &Opportunity,
    held: Held,
    changed: bool,
    release: bool,
) -> Result<ChangeSet, ExportError> {
    let plan = plan_offer_update(offer, held, changed, release)?;
    let target = Target::Existing(offer.id.as_str());
    let mut changes = Vec::new();
    if plan.terms {
        let mut info = serde_json::Map::new();
        if !offer.name.is_empty() {
            info.insert("Name".into(), json!(offer.name));
        }
        if !offer.description.is_empty() {
            info.insert("Description".into(), json!(offer.description));
        }
        if !info.is_empty() {
            changes.push(update(OFFER, target, "UpdateInformation", Value::Object(info)));
        }
        changes.extend(offer_terms(offer, opportunity, target));
    }
    if let Some(expires) = plan.expiry {
        changes.push(update(OFFER, target, "UpdateAvailability", json!({"AvailabilityEndDate": expires.to_string()})));
    }
    if plan.release {
        changes.push(update(OFFER, target, "ReleaseOffer", json!({})));
    }
    ChangeSet::new(offer.id.as_str(), offer.version, "update", plan.release, changes)
}

/// The field of a cppo record that a change type sends, for AWS's errors about it: shown
/// beside that field.
pub fn field_of(change_type: &str) -> &'static str {
    match change_type {
        "CreateResaleAuthorization" => "product and partner",
        "CreateOfferUsingResaleAuthorization" => "opportunity",
        "CreateReplacementOfferUsingResaleAuthorization" => "replaced agreement",
        "UpdateMarkup" => "markup",
        "UpdateTargeting" | "UpdateBuyerTargetingTerms" => "buyers",
        "UpdateAvailability" => "availability end date",
        "UpdateValidityTerms" => "duration",
        "UpdateInformation" => "name, description and renewal",
        "UpdatePricingTerms" => "prices",
        "UpdatePaymentScheduleTerms" => "installments",
        "UpdateLegalTerms" => "EULA and reseller contract",
        "UpdateNetPaymentTerms" => "net payment term",
        "UpdateBuyerValidityTerms" => "latest agreement start",
        "ReleaseOffer" | "ReleaseResaleAuthorization" => "release",
        "RestrictResaleAuthorization" => "status",
        _ => "the change set",
    }
}
