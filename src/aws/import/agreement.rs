//! The Agreement API's answers, as the AWS CLI prints them (`aws marketplace-agreement`):
//! - `search-agreements`: `{"agreementViewSummaries": [...], "nextToken"?}`, one
//!   [`Entry::Agreement`] per summary (the `nextToken` says more pages exist: a note, not an
//!   error; the AWS CLI follows it unless `--no-paginate`);
//! - `describe-agreement`: one agreement, with its `estimatedCharges`;
//! - `get-agreement-terms`: `{"acceptedTerms": [...], "nextToken"?}`, which does not name its
//!   agreement: `--id agmt-...` names it (as for a bare `DetailsDocument`), or an
//!   `agreementId` member beside `acceptedTerms`. Its `paymentScheduleTerm` gives the charges.
//!
//! Shapes: botocore's `marketplace-agreement` model (2020-03-01) and AWS's API reference.
//! Timestamps come as RFC 3339 with `Z` or an offset, with or without fractions (kept in
//! UTC), or, from `--cli-timestamp-format none`-like tools, as epoch seconds.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Entry;
use super::fields::{Got, Obj, Skip, kind_of};
use crate::domain::aws_agreement::{AwsAgreement, AwsAgreementStatus, AwsCharge};
use crate::domain::money::parse_amount;
use crate::domain::{AccountId, AgreementId, Currency};

/// What [`Entry::Skipped`] calls an agreement.
pub const KIND_AGREEMENT: &str = "agreement";

/// An agreement as `search-agreements` or `describe-agreement` shows it: the record as AWS
/// holds it (no manufacturer, charges or version yet: the import adds what the file knows;
/// a summary never carries `estimatedCharges`, so its `value` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementAnswer {
    pub agreement: AwsAgreement,
    /// What the reader noted (a `nextToken` left unfollowed).
    pub notes: Vec<String>,
}

/// The terms AWS's get-agreement-terms gave for one agreement: its payment schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementTerms {
    pub id: AgreementId,
    /// The schedule's charges, by date; empty when the terms have no payment schedule.
    pub charges: Vec<AwsCharge>,
    pub notes: Vec<String>,
}

/// Is `answer` a describe-agreement answer?
pub fn is_describe(answer: &Value) -> bool {
    answer.get("agreementId").is_some() && answer.get("acceptedTerms").is_none()
}

/// Is `answer` a get-agreement-terms answer?
pub fn is_terms(answer: &Value) -> bool {
    answer.get("acceptedTerms").is_some()
}

/// The note for a page that says more follow.
pub fn next_token_note(token: &Value) -> Option<String> {
    token.as_str().filter(|t| !t.is_empty()).map(|_| {
        "the answer has a nextToken: AWS holds more pages; run the AWS CLI without --no-paginate (or pass --starting-token) and import them too".to_owned()
    })
}

/// One entry of `agreementViewSummaries`.
pub fn summary(index: usize, item: &Value, notes: &[String]) -> Entry {
    let at = format!("agreementViewSummaries[{index}]");
    read(item, &at, notes)
}

/// A describe-agreement answer.
pub fn describe(answer: &Value) -> Entry {
    read(answer, "", &[])
}

fn read(value: &Value, at: &str, notes: &[String]) -> Entry {
    let id = value.get("agreementId").and_then(Value::as_str).map(str::to_owned);
    let got = || -> Got<AgreementAnswer> {
        let o = Obj::new(value, at)?;
        let party = |key: &str| -> Got<AccountId> {
            let p = o.obj(key)?.ok_or_else(|| o.missing(key))?;
            p.parse_req("accountId", AccountId::parse)
        };
        let status_word = o.req::<String>("status")?;
        let status = AwsAgreementStatus::parse(&status_word).ok_or_else(|| {
            Skip(format!("{} `{status_word}` is not one of AWS's agreement statuses", o.path("status")))
        })?;
        let proposal = o.obj("proposalSummary")?;
        let (mut offer_id, mut product_id, mut product_type) = (None, None, None);
        if let Some(p) = &proposal {
            offer_id = p.opt::<String>("offerId")?.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            if let Some(r) = p.objs("resources")?.first() {
                product_id = r.opt::<String>("id")?;
                product_type = r.opt::<String>("type")?;
            }
        }
        let value = match o.obj("estimatedCharges")? {
            Some(c) => match (c.parse("currencyCode", Currency::parse)?, c.opt::<String>("agreementValue")?) {
                (Some(currency), Some(v)) => {
                    Some(parse_amount(&v, currency, &c.path("agreementValue")).map_err(|e| Skip(e.message))?)
                }
                _ => None,
            },
            None => None,
        };
        let agreement = AwsAgreement {
            id: o.parse_req("agreementId", AgreementId::parse)?,
            offer_id,
            proposer: party("proposer")?,
            acceptor: party("acceptor")?,
            isv: None,
            product_id,
            product_type,
            agreement_type: o.opt("agreementType")?,
            status,
            accepted_at: time(&o, "acceptanceTime")?,
            starts_at: time(&o, "startTime")?,
            ends_at: time(&o, "endTime")?,
            value,
            charges: Vec::new(),
            version: 0,
        };
        Ok(AgreementAnswer { agreement, notes: notes.to_vec() })
    };
    got().map_or_else(|Skip(reason)| Entry::Skipped { id, kind: KIND_AGREEMENT, reason }, Entry::Agreement)
}

/// A get-agreement-terms answer, for the agreement `id` (`--id`), or the `agreementId` beside
/// its terms.
pub fn terms(answer: &Value, id: Option<&str>) -> Entry {
    let given = answer.get("agreementId").and_then(Value::as_str).or(id).map(str::to_owned);
    let got = || -> Got<AgreementTerms> {
        let o = Obj::new(answer, "")?;
        let Some(id) = &given else {
            return Err(Skip(
                "a get-agreement-terms answer does not name its agreement: name it with --id agmt-...".into(),
            ));
        };
        let id = AgreementId::parse(id).map_err(|e| Skip(format!("--id: {e}")))?;
        let mut notes: Vec<String> = answer.get("nextToken").and_then(next_token_note).into_iter().collect();
        let mut charges = Vec::new();
        for term in o.objs("acceptedTerms")? {
            let Some(schedule) = term.obj("paymentScheduleTerm")? else { continue };
            if !charges.is_empty() {
                notes.push("several payment schedules: their charges are taken together".into());
            }
            let currency = schedule.parse_req("currencyCode", Currency::parse)?;
            for row in schedule.objs("schedule")? {
                let amount = row.req::<String>("chargeAmount")?;
                let amount = parse_amount(&amount, currency, &row.path("chargeAmount")).map_err(|e| Skip(e.message))?;
                let due = time(&row, "chargeDate")?.ok_or_else(|| row.missing("chargeDate"))?;
                charges.push(AwsCharge { due_on: due.date_naive(), amount });
            }
        }
        if charges.windows(2).any(|w| w[0].amount.currency() != w[1].amount.currency()) {
            return Err(Skip("its payment schedules are in different currencies: cppo holds one".into()));
        }
        charges.sort_by_key(|c| c.due_on);
        Ok(AgreementTerms { id, charges, notes })
    };
    got().map_or_else(
        |Skip(reason)| Entry::Skipped { id: given.clone(), kind: KIND_AGREEMENT, reason },
        Entry::AgreementTerms,
    )
}

/// A timestamp of the Agreement API: RFC 3339 text (as the AWS CLI prints it) or epoch
/// seconds (as the raw API sends it).
fn time(o: &Obj, key: &str) -> Got<Option<DateTime<Utc>>> {
    match o.get(key) {
        None | Some(Value::String(_)) => o.timestamp(key),
        Some(Value::Number(n)) => {
            let text = n.to_string();
            let (secs, frac) = text.split_once('.').unwrap_or((&text, ""));
            let nanos = format!("{frac:0<9}").get(..9).and_then(|f| f.parse::<u32>().ok());
            secs.parse::<i64>()
                .ok()
                .zip(nanos)
                .and_then(|(s, n)| DateTime::from_timestamp(s, n))
                .map(Some)
                .ok_or_else(|| Skip(format!("{} `{text}` is not a time AWS writes", o.path(key))))
        }
        Some(other) => Err(Skip(format!("{} is {}, not a timestamp", o.path(key), kind_of(other)))),
    }
}
