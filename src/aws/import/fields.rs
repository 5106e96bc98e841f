//! Reading AWS's JSON one field at a time, so that every problem names its field
//! (`DetailsDocument.Terms[0].RateCards[0].RateCard[1].Price`), and the value forms AWS
//! writes: RFC 3339 timestamps (`Z` or an offset, fractions or not, kept in UTC), `id@revision` identifiers, `P30D` periods.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::Buyer;
use crate::domain::{AccountId, RuleError};

/// Why one entity cannot be imported: the reason of an [`super::Entry::Skipped`].
#[derive(Debug)]
pub struct Skip(pub String);

pub type Got<T> = Result<T, Skip>;

/// A JSON object and where it sits in its entity (`""` for the entity itself).
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    pub fn new(value: &'a Value, path: &str) -> Got<Self> {
        match value {
            Value::Object(map) => Ok(Self { map, path: path.to_owned() }),
            other => Err(Skip(format!("{path} is {}, not an object", kind_of(other)))),
        }
    }

    /// The path of `key` in this object, as problems name it.
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// The value at `key`; `null` counts as absent, as AWS's optional members do.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn opt<T: DeserializeOwned>(&self, key: &str) -> Got<Option<T>> {
        self.get(key).map(|v| T::deserialize(v).map_err(|e| Skip(format!("{}: {e}", self.path(key))))).transpose()
    }

    pub fn req<T: DeserializeOwned>(&self, key: &str) -> Got<T> {
        self.opt(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn missing(&self, key: &str) -> Skip {
        Skip(format!("{} is missing", self.path(key)))
    }

    /// A string checked by a domain parser (`ProductId::parse`, `Currency::parse`, ...).
    pub fn parse<T>(&self, key: &str, parse: impl FnOnce(&str) -> Result<T, RuleError>) -> Got<Option<T>> {
        let Some(s) = self.opt::<String>(key)? else { return Ok(None) };
        parse(&s).map(Some).map_err(|e| Skip(format!("{}: {e}", self.path(key))))
    }

    pub fn parse_req<T>(&self, key: &str, parse: impl FnOnce(&str) -> Result<T, RuleError>) -> Got<T> {
        self.parse(key, parse)?.ok_or_else(|| self.missing(key))
    }

    pub fn obj(&self, key: &str) -> Got<Option<Obj<'a>>> {
        self.get(key).map(|v| Obj::new(v, &self.path(key))).transpose()
    }

    /// The objects of the list at `key`; none when it is absent.
    pub fn objs(&self, key: &str) -> Got<Vec<Obj<'a>>> {
        let path = self.path(key);
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                items.iter().enumerate().map(|(i, v)| Obj::new(v, &format!("{path}[{i}]"))).collect()
            }
            Some(other) => Err(Skip(format!("{path} is {}, not a list", kind_of(other)))),
        }
    }

    /// The `Type` of a member of a `Terms` or `Rules` union.
    pub fn kind(&self) -> Got<String> {
        self.req("Type")
    }

    /// A timestamp as AWS writes them: RFC 3339 in UTC, with the `Z` (fractions allowed).
    /// One without a zone is refused: its day could be the day before or after.
    pub fn timestamp(&self, key: &str) -> Got<Option<DateTime<Utc>>> {
        let Some(s) = self.opt::<String>(key)? else { return Ok(None) };
        // AWS writes `Z` with or without fractions; agreements carry offsets (`-08:00`).
        match DateTime::parse_from_rfc3339(&s) {
            Ok(t) => Ok(Some(t.with_timezone(&Utc))),
            Err(_) => Err(Skip(format!(
                "{} `{s}` is not a timestamp as AWS writes them: YYYY-MM-DDThh:mm:ss[.fff] with `Z` or an offset",
                self.path(key)
            ))),
        }
    }

    /// The UTC day of a timestamp (`AvailabilityEndDate`, `CreatedDate`).
    pub fn date(&self, key: &str) -> Got<Option<NaiveDate>> {
        Ok(self.timestamp(key)?.map(|t| t.date_naive()))
    }

    /// A day as a change set writes it (`2026-12-31`, as cppo's exports send it) or as an
    /// entity does (a timestamp: its UTC day; a payment schedule's `ChargeDate`).
    pub fn day(&self, key: &str) -> Got<Option<NaiveDate>> {
        let Some(s) = self.opt::<String>(key)? else { return Ok(None) };
        if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            && s.len() == 10
        {
            return Ok(Some(d));
        }
        self.date(key).map_err(|_| {
            Skip(format!("{} `{s}` is neither a date (YYYY-MM-DD) nor a timestamp as AWS writes them", self.path(key)))
        })
    }

    /// Buyer accounts: 12-digit strings (change types, summaries, offers) or
    /// `{AwsAccountId, LegalName?}` objects (resale authorizations).
    pub fn buyers(&self, key: &str) -> Got<Vec<Buyer>> {
        let path = self.path(key);
        let items = match self.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(Skip(format!("{path} is {}, not a list of accounts", kind_of(other)))),
        };
        let buyer = |(i, item): (usize, &'a Value)| {
            let at = format!("{path}[{i}]");
            match item {
                Value::String(s) => AccountId::parse(s)
                    .map(|account| Buyer { account, legal_name: None })
                    .map_err(|e| Skip(format!("{at}: {e}"))),
                Value::Object(_) => {
                    let o = Obj::new(item, &at)?;
                    Ok(Buyer {
                        account: o.parse_req("AwsAccountId", AccountId::parse)?,
                        legal_name: o.opt("LegalName")?,
                    })
                }
                other => {
                    Err(Skip(format!("{at} is {}, not an account id or {{AwsAccountId, LegalName}}", kind_of(other))))
                }
            }
        };
        items.iter().enumerate().map(buyer).collect()
    }

    /// `PaymentDuePeriod` in days: one of AWS's `P15D`, `P30D`, `P45D`, `P60D`, `P90D`, `P120D`.
    pub fn net_payment_days(&self, key: &str) -> Got<Option<u32>> {
        let Some(s) = self.opt::<String>(key)? else { return Ok(None) };
        let days = s.strip_prefix('P').and_then(|r| r.strip_suffix('D')).and_then(|d| d.parse::<u32>().ok());
        match days {
            Some(d) if crate::domain::opportunity::NET_PAYMENT_DAYS.contains(&d) => Ok(Some(d)),
            _ => Err(Skip(format!(
                "{} `{s}` is not a net payment period AWS allows: P15D, P30D, P45D, P60D, P90D or P120D",
                self.path(key)
            ))),
        }
    }
}

/// A summary's `ProductId`: a product id, or the `product-` form AWS's list-entities writes
/// for offers whose describe-entity says `prod-` (its ListAllOffers sample); a summary holds it
/// as text for display only, so it is kept as AWS wrote it.
pub fn summary_product_id(s: &str) -> Result<String, RuleError> {
    match crate::domain::ProductId::parse(s) {
        Ok(id) => Ok(id.to_string()),
        Err(_) if crate::domain::ids::prefixed_id_rule(s.trim(), "product-") => Ok(s.trim().to_owned()),
        Err(e) => Err(e),
    }
}

/// `resaleauthz-…@4` -> (`resaleauthz-…`, `4`).
pub fn split_identifier(s: &str) -> (&str, Option<&str>) {
    match s.split_once('@') {
        Some((id, revision)) => (id, Some(revision)),
        None => (s, None),
    }
}

/// What a JSON value is, for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A contract rate card's `Selector`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Selector {
    #[serde(rename = "Type")]
    kind: String,
    value: String,
}

/// The duration a rate card prices (`Selector {Type: "Duration", Value: "P12M"}`); `None`
/// for a rate card without a selector (usage pricing).
pub fn rate_card_duration(card: &Obj) -> Got<Option<crate::domain::product::Duration>> {
    let Some(selector) = card.opt::<Selector>("Selector")? else { return Ok(None) };
    let path = card.path("Selector");
    if selector.kind != "Duration" {
        return Err(Skip(format!("{path} selects by `{}`: cppo reads rate cards by Duration", selector.kind)));
    }
    crate::domain::product::Duration::parse(&selector.value).map(Some).map_err(|e| Skip(format!("{path}.Value: {e}")))
}
