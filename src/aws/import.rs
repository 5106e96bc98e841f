//! Import: what the AWS CLI prints about resale authorizations and CPPOs, read into plain
//! values for cppo to store. Pure parsing and mapping: no I/O, no SQL.
//!
//! [`read`] accepts, told apart by their shape:
//! - a `marketplace-catalog list-entities` answer, `{"EntitySummaryList": [...], "NextToken"?}`,
//!   whose entries carry a `ResaleAuthorizationSummary` or an `OfferSummary`;
//! - a `marketplace-catalog describe-entity` answer, `{"EntityType", "EntityIdentifier":
//!   "<id>@<revision>", "LastModifiedDate", "DetailsDocument"}` (or the older `Details`, the
//!   same document as a string) of a `ResaleAuthorization@1.0` or an `Offer@1.0`;
//! - a `marketplace-catalog batch-describe-entities` answer, `{"EntityDetails": {id: <a
//!   describe-entity answer>}, "Errors": {id: {ErrorCode, ErrorMessage}}}`: each entity as
//!   describe-entity's, each error an entity skipped with AWS's code and message;
//! - a `marketplace-catalog describe-change-set` answer (`change_set`): what AWS did with a
//!   change set `cppo export` wrote;
//! - the Agreement API's `search-agreements`, `describe-agreement` and `get-agreement-terms`
//!   answers (`agreement`);
//! - a JSON array of such answers, and JSON Lines (or any sequence) of them;
//! - in any of these, `/* */` and `//` comments and trailing commas, as AWS's documentation
//!   writes its examples (`jsonc`).
//!
//! The shapes are AWS's Catalog API model and documentation (`reference/aws-cppo-facts.md`
//! sections 1.3, 1.4 and 5, `reference/aws-interop.md`); `tests/fixtures/aws/` holds one of
//! each. A file that is not JSON or not one of these shapes is a [`ReadError`]. Inside a good
//! file, an entity cppo cannot represent (another entity type, several durations, an
//! installment plan) or whose fields are not what AWS writes becomes [`Entry::Skipped`] with
//! the reason, and the rest of the file still reads: every field cppo uses is checked, none is
//! guessed. The input is read one entity at a time (`stream`), and one run takes at most
//! [`MAX_ENTITIES`] entities of at most [`MAX_VALUES`] JSON values each: beyond that it is a
//! [`ReadError`], so that no input makes an import slow or large.

mod agreement;
mod authorization;
mod change_set;
mod fields;
mod jsonc;
mod mapping;
mod offer;
mod stream;

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

pub use self::agreement::{AgreementAnswer, AgreementTerms, KIND_AGREEMENT};
pub use self::change_set::{ChangeError, ChangeSetAnswer, ChangeSetStatus, ChangeSummary, KIND_CHANGE_SET};
use self::fields::{Got, Obj, Skip, kind_of, split_identifier};
pub use self::mapping::USAGE_DURATION;
use super::{OFFER, RESALE_AUTHORIZATION};
use crate::domain::account::validate_text;
use crate::domain::product::Duration;
use crate::domain::{
    AccountId, Currency, OfferId, OfferState, OpportunityId, OpportunityState, PricingModel, ProductId,
};

/// One entity found in the input, in the input's order.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A resale authorization in full (`describe-entity`).
    Authorization(Authorization),
    /// A resale authorization as `list-entities` summarizes it.
    AuthorizationSummary(AuthorizationSummary),
    /// A CPPO in full (`describe-entity`).
    Offer(Offer),
    /// A CPPO as `list-entities` summarizes it.
    OfferSummary(OfferSummary),
    /// What AWS did with a change set (`describe-change-set`).
    ChangeSet(ChangeSetAnswer),
    /// An agreement (`search-agreements`, `describe-agreement`).
    Agreement(AgreementAnswer),
    /// An agreement's payment schedule (`get-agreement-terms`).
    AgreementTerms(AgreementTerms),
    /// An entity cppo does not import, and why; `kind` is "resale authorization", "offer",
    /// "change set", "agreement" or "entity" (another type), `id` AWS's id as written, when
    /// there is one.
    Skipped { id: Option<String>, kind: &'static str, reason: String },
}

impl Entry {
    /// AWS's id of the entity (`resaleauthz-…`, `offer-…`), when known; for a change set,
    /// the id of the record cppo exported it from, or else the change set's.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::ChangeSet(c) => Some(c.exported.as_ref().map_or(c.id.as_str(), |e| e.id.as_str())),
            Self::Authorization(a) => Some(a.id.as_str()),
            Self::AuthorizationSummary(a) => Some(a.id.as_str()),
            Self::Offer(o) => Some(o.id.as_str()),
            Self::OfferSummary(o) => Some(o.id.as_str()),
            Self::Agreement(a) => Some(a.agreement.id.as_str()),
            Self::AgreementTerms(t) => Some(t.id.as_str()),
            Self::Skipped { id, .. } => id.as_deref(),
        }
    }
}

/// A `ResaleAuthorization@1.0` (cppo: an opportunity) as `describe-entity` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorization {
    pub id: OpportunityId,
    /// After the `@` of `EntityIdentifier`.
    pub revision: Option<String>,
    pub last_modified: Option<DateTime<Utc>>,
    pub name: String,
    /// Empty when AWS has none.
    pub description: String,
    pub product_id: ProductId,
    pub product_name: Option<String>,
    /// The ISV (AWS: manufacturer).
    pub isv: AccountId,
    pub isv_name: Option<String>,
    /// The channel partner (AWS: reseller, `PartnerTargetingRule`).
    pub partner: AccountId,
    pub partner_name: Option<String>,
    pub status: OpportunityState,
    pub pricing_model: PricingModel,
    pub currency: Currency,
    /// The contract duration of the first rate card; `None` for usage pricing alone.
    pub duration: Option<Duration>,
    /// Wholesale prices (the first rate card's, and usage's), in the terms' order.
    pub prices: Vec<AuthorizationPrice>,
    /// The contract rate cards of the other durations, in AWS's order.
    pub rate_cards: Vec<crate::domain::opportunity::RateCard>,
    /// `OffersMaxQuantity` 1: a single offer may be made.
    pub one_time: bool,
    /// The UTC day of `AvailabilityEndDate`; `None`: no end.
    pub ends_on: Option<NaiveDate>,
    /// `BuyerTargetingTerm`; empty: any buyer.
    pub buyers: Vec<Buyer>,
    /// `PartnerTargetingRule`'s `ResellerRole`, when AWS gives it.
    pub role: Option<ResellerRole>,
    /// `PreExistingBuyerAgreement` is set (the authorization renews an agreement).
    pub renewal: bool,
    pub net_payment_days: Option<u32>,
    /// A `CustomEula`'s URL; `None` for the standard EULA.
    pub eula_url: Option<String>,
    pub offers_created: u32,
    /// `Not Started`, `Completed-Usable`, `Completed-Used`.
    pub offer_extended_status: Option<String>,
    pub created_on: Option<NaiveDate>,
    /// `ResalePaymentScheduleTerm`: the wholesale installments, by date; empty without one.
    pub installments: Vec<ScheduledCharge>,
    /// What the reader took where AWS's document contradicts itself or leaves a gap (ids
    /// that disagree, a rate card's key not among `Dimensions`): said beside the import.
    pub notes: Vec<String>,
}

/// One dated charge of a payment schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledCharge {
    /// The UTC day of `ChargeDate` (a timestamp in describe-entity, a date in change sets).
    pub due_on: NaiveDate,
    pub amount: Decimal,
}

/// A wholesale price of one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationPrice {
    pub key: String,
    /// From the authorization's `Dimensions`.
    pub name: String,
    pub unit: String,
    /// From `ResaleUsageBasedPricingTerm` (per unit used) rather than the contract's rate card.
    pub usage: bool,
    pub price: Decimal,
    /// The units a `ResaleFixedUpfrontPricingTerm` grants (its `MaxQuantity`): the fixed
    /// price, paid by the schedule, buys this many; `None` on a rate card.
    pub granted: Option<u64>,
}

/// A buyer's AWS account, with its legal name where AWS gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    pub account: AccountId,
    pub legal_name: Option<String>,
}

/// AWS's `ResellerRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResellerRole {
    ChannelPartner,
    Distributor,
}

/// A resale authorization as `list-entities` summarizes it: every member but the id may be
/// missing (AWS's model makes them all optional).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizationSummary {
    pub id: OpportunityId,
    pub last_modified: Option<DateTime<Utc>>,
    pub name: Option<String>,
    /// As AWS writes it: a `prod-` id, or the `product-` form of some summaries.
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    pub isv: Option<AccountId>,
    pub isv_name: Option<String>,
    pub partner: Option<AccountId>,
    pub partner_name: Option<String>,
    pub status: Option<OpportunityState>,
    pub offer_extended_status: Option<String>,
    pub created_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub role: Option<ResellerRole>,
}

/// An `Offer@1.0` made from a resale authorization (a CPPO) as `describe-entity` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub id: OfferId,
    pub revision: Option<String>,
    pub last_modified: Option<DateTime<Utc>>,
    /// Empty when AWS has none (a draft may have no name yet).
    pub name: String,
    pub description: String,
    pub state: OfferState,
    pub product_id: ProductId,
    pub resale_authorization_id: OpportunityId,
    /// `MarkupPercentage`; `None` before the partner sets it.
    pub markup_pct: Option<Decimal>,
    /// `TargetingRule`'s buyer accounts; empty: no buyer targeted yet.
    pub buyers: Vec<Buyer>,
    /// The UTC day of `AvailabilityEndDate`.
    pub expires_on: Option<NaiveDate>,
    /// `ValidityTerm`'s `AgreementDuration`.
    pub agreement_duration: Option<Duration>,
    pub net_payment_days: Option<u32>,
    /// The currency of the buyer prices.
    pub currency: Option<Currency>,
    /// The buyer's prices (markup applied), for information: wholesale prices come from the
    /// authorization, never from these divided by the markup.
    pub buyer_prices: Vec<OfferPrice>,
    /// As [`Authorization::notes`].
    pub notes: Vec<String>,
}

/// A buyer price of one dimension (for one duration, for contract pricing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferPrice {
    pub key: String,
    pub duration: Option<Duration>,
    pub usage: bool,
    pub price: Decimal,
}

/// An offer as `list-entities` summarizes it: every member but the id may be missing.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferSummary {
    pub id: OfferId,
    pub last_modified: Option<DateTime<Utc>>,
    pub name: Option<String>,
    /// As [`AuthorizationSummary::product_id`].
    pub product_id: Option<String>,
    /// `None` for an offer not made from a resale authorization.
    pub resale_authorization_id: Option<OpportunityId>,
    pub state: Option<OfferState>,
    pub released_at: Option<DateTime<Utc>>,
    pub expires_on: Option<NaiveDate>,
    pub buyers: Vec<AccountId>,
}

/// The input is not JSON, or not AWS CLI output of a shape cppo reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}, column {column}: {message}")]
pub struct ReadError {
    /// The file name given to [`read`].
    pub file: String,
    /// 1-based, in the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

const EXPECTED: &str = "expected AWS CLI output of `marketplace-catalog list-entities` \
    ({\"EntitySummaryList\": [...]}), `describe-entity` ({\"EntityType\": ..., \"DetailsDocument\": {...}}), \
    `batch-describe-entities` ({\"EntityDetails\": {...}}) or `describe-change-set` ({\"ChangeSetId\": ..., \"ChangeSet\": [...]}), \
    or of `marketplace-agreement search-agreements` ({\"agreementViewSummaries\": [...]}), `describe-agreement` ({\"agreementId\": ...}) \
    or `get-agreement-terms` ({\"acceptedTerms\": [...]}), alone, in a JSON array or one per line";

/// The most entities one import reads (all its inputs together): far more than a partner's
/// book, and what keeps a run's memory bounded (a 32 MiB input holds up to 11 million
/// entities as `{}`).
pub const MAX_ENTITIES: usize = 100_000;

/// The most JSON values one entity may hold: AWS's largest describe-entity answers hold a
/// few hundred.
pub const MAX_VALUES: usize = 100_000;

/// The entities of `text`, AWS CLI output; `source` names it in errors. Whitespace alone is
/// no entity.
pub fn read(source: &str, text: &str) -> Result<Vec<Entry>, ReadError> {
    let mut entries = Vec::new();
    read_into(source, text, &mut entries)?;
    Ok(entries)
}

/// [`read`], adding to `entries` (those of the run's other inputs): more than
/// [`MAX_ENTITIES`] in all is a [`ReadError`].
pub fn read_into(source: &str, text: &str, entries: &mut Vec<Entry>) -> Result<(), ReadError> {
    read_with(source, text, None, entries).map(drop)
}

/// [`read_into`] for a file that is one bare `DetailsDocument` (AWS's describe-entity answer
/// without its envelope, as AWS's own samples save it), naming it `id`: its type follows from
/// the id's prefix; or one `get-agreement-terms` answer, which does not name its agreement:
/// `id` does. Anything else in `text` is a [`ReadError`].
pub fn read_bare(source: &str, text: &str, id: &str, entries: &mut Vec<Entry>) -> Result<(), ReadError> {
    let before = entries.len();
    let bare = read_with(source, text, Some(id), entries)?;
    let held = entries.len() - before;
    let message = match (bare, held) {
        (1, 1) => return Ok(()),
        (0, _) => format!(
            "--id {id} names the entity of a bare DetailsDocument or the agreement of a get-agreement-terms answer, but this input has neither: drop --id"
        ),
        _ => format!(
            "--id {id} names one bare DetailsDocument or get-agreement-terms answer, but this input holds {held} entities: give it alone"
        ),
    };
    Err(ReadError { file: source.to_owned(), line: 1, column: 1, message })
}

/// Reads `text` into `entries`, naming a bare `DetailsDocument` `bare_id`; how many bare
/// documents it held.
fn read_with(source: &str, text: &str, bare_id: Option<&str>, entries: &mut Vec<Entry>) -> Result<usize, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // AWS's documentation writes comments and trailing commas into its JSON.
    let text = &*jsonc::blank(text);
    // A first pass finds where each document ends without building anything; the second
    // reads it entity by entity.
    let mut documents = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut sink = stream::Sink { entries, bare_id, bare: 0 };
    loop {
        let rest = &text[documents.byte_offset()..];
        let start = text.len() - rest.trim_start().len();
        match documents.next() {
            None => return Ok(sink.bare),
            Some(Err(e)) => return Err(not_json(source, &e, (e.line(), e.column()))),
            Some(Ok(_)) => {
                let document = &text[start..documents.byte_offset()];
                let mut de = serde_json::Deserializer::from_str(document);
                serde::de::DeserializeSeed::deserialize(stream::Answer::document(&mut sink), &mut de).map_err(|e| {
                    let (line, column) = position(text, start);
                    if e.is_data() {
                        ReadError { file: source.to_owned(), line, column, message: without_position(&e) }
                    } else {
                        // Found only when building values (a number out of range): where, in the file.
                        let at = if e.line() == 1 {
                            (line, column + e.column() - 1)
                        } else {
                            (line + e.line() - 1, e.column())
                        };
                        not_json(source, &e, at)
                    }
                })?;
            }
        }
    }
}

/// Does `value` look like a `DetailsDocument` on its own (no envelope): a product's terms or
/// rules, and no `EntityType`?
fn is_bare_details(value: &Value) -> bool {
    value.get("EntityType").is_none()
        && value.get("ProductId").is_some()
        && (value.get("Terms").is_some() || value.get("Rules").is_some())
}

/// A bare `DetailsDocument`: described as `id`'s entity (its type told by the prefix), or,
/// without an id, skipped saying how to name it.
fn bare_details(doc: Value, id: Option<&str>) -> Entry {
    let offer = doc.get("ResaleAuthorizationId").is_some();
    let Some(id) = id else {
        let (kind, prefix) = if offer { (KIND_OFFER, OfferId::PREFIX) } else { (KIND_RA, OpportunityId::PREFIX) };
        let doc_id = doc.get("Id").and_then(Value::as_str).map(str::to_owned);
        return Entry::Skipped {
            id: doc_id,
            kind,
            reason: format!("a bare DetailsDocument has no id: name it with --id {prefix}..."),
        };
    };
    let entity_type = match kind_of_id(id) {
        KIND_RA => RESALE_AUTHORIZATION,
        KIND_OFFER => OFFER,
        _ => {
            return Entry::Skipped {
                id: Some(id.to_owned()),
                kind: KIND_OTHER,
                reason: format!(
                    "--id {id}: name a resale authorization ({}...) or an offer ({}...)",
                    OpportunityId::PREFIX,
                    OfferId::PREFIX
                ),
            };
        }
    };
    let answer = serde_json::json!({"EntityType": entity_type, "EntityIdentifier": id, "DetailsDocument": doc});
    describe(&answer)
}

/// serde_json's message without its " at line L column C".
fn without_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full).to_owned()
}

/// Not JSON, at `(line, column)` of the file.
fn not_json(source: &str, e: &serde_json::Error, (line, column): (usize, usize)) -> ReadError {
    let what = without_position(e);
    let message = if e.is_eof() {
        format!("the JSON stops in the middle ({what}): is the file cut short?")
    } else {
        format!("not valid JSON: {what}")
    };
    ReadError { file: source.to_owned(), line, column, message }
}

/// The 1-based line and column (in characters) of byte `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// What a value that is not an answer looks like.
fn shape(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "an empty object".into(),
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().take(6).map(String::as_str).collect();
            let more = if map.len() > keys.len() { ", ..." } else { "" };
            format!("an object with {}{more}", keys.join(", "))
        }
        other => kind_of(other).into(),
    }
}

const KIND_RA: &str = "resale authorization";
const KIND_OFFER: &str = "offer";
const KIND_OTHER: &str = "entity";

/// One entry of a list-entities answer's `EntitySummaryList`.
fn summary(index: usize, item: &Value) -> Entry {
    let id = item.get("EntityId").and_then(Value::as_str).map(str::to_owned);
    let entity_type = item.get("EntityType").and_then(Value::as_str);
    let kind = match entity_type {
        Some("ResaleAuthorization") => KIND_RA,
        Some("Offer") => KIND_OFFER,
        _ => KIND_OTHER,
    };
    let read = || -> Got<Entry> {
        let entry = Obj::new(item, "")
            .map_err(|_| Skip(format!("EntitySummaryList[{index}] is {}, not an object", kind_of(item))))?;
        match entry.req::<String>("EntityType")?.as_str() {
            "ResaleAuthorization" => authorization::summary(&entry).map(Entry::AuthorizationSummary),
            "Offer" => offer::summary(&entry).map(Entry::OfferSummary),
            other => Err(Skip(format!("{other} is not a resale authorization or an offer"))),
        }
    };
    read().unwrap_or_else(|Skip(reason)| Entry::Skipped { id, kind, reason })
}

/// The kind of entity an id names, by its prefix (for an entity of which AWS gave the id only).
fn kind_of_id(id: &str) -> &'static str {
    if id.starts_with("resaleauthz-") {
        KIND_RA
    } else if id.starts_with("offer-") {
        KIND_OFFER
    } else {
        KIND_OTHER
    }
}

/// One entity of a batch-describe-entities answer's `EntityDetails`, under its `key`: a
/// describe-entity answer, whose `EntityIdentifier` (when there is one) names the same id.
fn batch_entity(key: &str, mut value: Value) -> Entry {
    let skip = |reason: String| Entry::Skipped { id: Some(key.to_owned()), kind: kind_of_id(key), reason };
    let Value::Object(members) = &mut value else {
        return skip(format!("EntityDetails.{key} is {}, not an object", kind_of(&value)));
    };
    if members.get("EntityIdentifier").is_none_or(Value::is_null) {
        members.insert("EntityIdentifier".into(), Value::String(key.to_owned()));
    }
    let entry = describe(&value);
    match entry.id() {
        Some(id) if id != key => skip(format!("EntityDetails names it `{key}` but its EntityIdentifier names `{id}`")),
        _ => entry,
    }
}

/// One entry of a batch-describe-entities answer's `Errors`: AWS could not describe `key`.
fn batch_error(key: &str, value: &Value) -> Entry {
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
    let reason = match (text("ErrorCode"), text("ErrorMessage")) {
        (Some(code), Some(message)) => format!("{code} {message}"),
        (Some(code), None) => code,
        (None, Some(message)) => message,
        (None, None) => format!("Errors.{key}: AWS could not describe it (no ErrorCode, no ErrorMessage)"),
    };
    Entry::Skipped { id: Some(key.to_owned()), kind: kind_of_id(key), reason }
}

/// What a describe-entity answer says around its `DetailsDocument`.
struct Head {
    /// `EntityIdentifier` before the `@`, unchecked.
    id: Option<String>,
    revision: Option<String>,
    last_modified: Option<DateTime<Utc>>,
    /// The id at the end of `EntityArn` (`…/Offer/offer-…`), unchecked.
    arn_id: Option<String>,
    /// What reading the envelope noted (`Details` and `DetailsDocument` that disagree).
    notes: Vec<String>,
}

impl Head {
    fn read(top: &Obj) -> Got<Self> {
        let identifier = top.opt::<String>("EntityIdentifier")?;
        let (id, revision) = match identifier.as_deref().map(split_identifier) {
            Some((id, revision)) => (Some(id.to_owned()), revision),
            None => (None, None),
        };
        // Shown beside the record ("revision 7") and kept in the file: the text rules of a
        // name, within AWS's 255 characters of an identifier.
        let revision = revision
            .map(|r| validate_text("its revision (after the @)", r, 1, 255))
            .transpose()
            .map_err(|e| Skip(format!("EntityIdentifier: {e}")))?;
        let arn_id = top.opt::<String>("EntityArn")?.and_then(|arn| arn.rsplit('/').next().map(str::to_owned));
        Ok(Self { id, revision, last_modified: top.timestamp("LastModifiedDate")?, arn_id, notes: Vec::new() })
    }

    /// The entity's id: `EntityIdentifier`'s, or the document's `Id` when there is none.
    /// AWS's own answers carry a `DetailsDocument.Id` (and an `EntityArn`) that differ from
    /// `EntityIdentifier` (every offer in tests/fixtures/aws/real/): `EntityIdentifier` is the
    /// id AWS answers to, so it is taken, and each disagreement is noted.
    fn id<T>(&self, doc: &Obj, parse: fn(&str) -> Result<T, crate::domain::RuleError>) -> Got<(T, Vec<String>)> {
        let in_doc = doc.opt::<String>("Id")?;
        let mut notes = self.notes.clone();
        let id = match (&self.id, &in_doc) {
            (Some(a), _) => parse(a).map_err(|e| Skip(format!("EntityIdentifier: {e}")))?,
            (None, Some(b)) => parse(b).map_err(|e| Skip(format!("{}: {e}", doc.path("Id"))))?,
            (None, None) => {
                return Err(Skip("no EntityIdentifier and no DetailsDocument.Id: the entity has no id".into()));
            }
        };
        if let Some(taken) = &self.id {
            let path = doc.path("Id");
            for (said, by) in [(in_doc.as_deref(), path.as_str()), (self.arn_id.as_deref(), "EntityArn")] {
                if let Some(said) = said.filter(|s| s != taken) {
                    notes.push(format!("{by} says {said}, EntityIdentifier's {taken} was taken"));
                }
            }
        }
        Ok((id, notes))
    }
}

/// A describe-entity answer.
fn describe(value: &Value) -> Entry {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let id = text(value.get("EntityIdentifier"))
        .map(|s| split_identifier(&s).0.to_owned())
        .or_else(|| text(value.get("DetailsDocument").and_then(|d| d.get("Id"))));
    let kind = match value.get("EntityType").and_then(Value::as_str) {
        Some(RESALE_AUTHORIZATION) => KIND_RA,
        Some(OFFER) => KIND_OFFER,
        _ => KIND_OTHER,
    };
    let read = || -> Got<Entry> {
        let top = Obj::new(value, "")?;
        let entity_type = top.req::<String>("EntityType")?;
        let mut head = Head::read(&top)?;
        let details = details(&top, &mut head.notes)?;
        let doc = Obj::new(&details, "DetailsDocument")?;
        match entity_type.as_str() {
            RESALE_AUTHORIZATION => authorization::describe(&head, &doc).map(Entry::Authorization),
            OFFER => offer::describe(&head, &doc).map(Entry::Offer),
            other => Err(Skip(format!("{other} is not a resale authorization or an offer"))),
        }
    };
    read().unwrap_or_else(|Skip(reason)| Entry::Skipped { id, kind, reason })
}

/// `DetailsDocument`, or the older `Details`: the same document as a string, or (as some
/// tools print it) as an object. When both are there and disagree (AWS's own answers do),
/// `DetailsDocument`, the structured one, is taken and the members that differ are noted.
fn details<'a>(top: &Obj<'a>, notes: &mut Vec<String>) -> Got<Cow<'a, Value>> {
    if let Some(doc) = top.get("DetailsDocument") {
        if let Some(Value::String(text)) = top.get("Details") {
            match serde_json::from_str::<Value>(text) {
                Ok(other) => notes.extend(disagreement(doc, &other)),
                Err(_) => notes.push("Details is not a JSON document: DetailsDocument was taken".into()),
            }
        }
        return Ok(Cow::Borrowed(doc));
    }
    match top.get("Details") {
        Some(doc @ Value::Object(_)) => Ok(Cow::Borrowed(doc)),
        Some(Value::String(details)) => serde_json::from_str(details)
            .map(Cow::Owned)
            .map_err(|e| Skip(format!("Details is not a JSON document: {e}"))),
        Some(other) => Err(Skip(format!("Details is {}, not a JSON document", kind_of(other)))),
        None => Err(top.missing("DetailsDocument")),
    }
}

/// What `Details` says otherwise than `DetailsDocument`, member by member: a note, if any.
fn disagreement(doc: &Value, details: &Value) -> Option<String> {
    let (Value::Object(doc), Value::Object(details)) = (doc, details) else {
        return Some("Details is not an object: DetailsDocument was taken".into());
    };
    let said = |v: Option<&Value>| match v {
        Some(Value::String(s)) => format!("`{s}`"),
        Some(Value::Null) | None => "nothing".into(),
        Some(_) => "other terms".into(),
    };
    let differ: Vec<String> = doc
        .keys()
        .chain(details.keys().filter(|k| !doc.contains_key(*k)))
        .filter(|k| doc.get(*k) != details.get(*k))
        .map(|k| format!("{k} {} (DetailsDocument: {})", said(details.get(k)), said(doc.get(k))))
        .collect();
    (!differ.is_empty()).then(|| format!("Details says {}: DetailsDocument was taken", differ.join(", ")))
}
