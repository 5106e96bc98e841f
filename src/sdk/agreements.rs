//! The Agreement API's calls (JSON 1.0, `agreement-marketplace`): the account's agreements as
//! their proposer, page by page, one agreement described, and its accepted terms. Each answer
//! is turned back into the JSON the AWS CLI prints (`aws marketplace-agreement ...`).

use aws_sdk_marketplaceagreement::types::{
    AcceptedTerm, AgreementViewSummary, Filter, PaymentScheduleTerm, ProposalSummary,
};
use aws_smithy_types::DateTime as SdkTime;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{AwsError, Client};

const CATALOG: &str = "AWSMarketplace";
const PAGE: i32 = 50;

/// One agreement as `SearchAgreements` lists it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub id: String,
    pub active: bool,
    pub last_update: Option<DateTime<Utc>>,
    /// As one entry of `agreementViewSummaries`.
    pub summary: Value,
}

impl Client {
    /// Every purchase agreement the account proposed (a partner's CPPOs, an ISV's direct
    /// offers), all pages; `page` is told how many so far.
    pub(super) async fn search_agreements(&self, page: &mut dyn FnMut(usize)) -> Result<Vec<Found>, AwsError> {
        let call = self.call("SearchAgreements");
        let filter = |name: &str, value: &str| Filter::builder().name(name).values(value).build();
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let answer = self
                .agreement
                .search_agreements()
                .catalog(CATALOG)
                .filters(filter("PartyType", "Proposer"))
                .filters(filter("AgreementType", "PurchaseAgreement"))
                .max_results(PAGE)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| call.error(e))?;
            for s in answer.agreement_view_summaries() {
                let Some(id) = s.agreement_id() else { continue };
                found.push(Found {
                    id: id.to_owned(),
                    active: s.status().is_some_and(|st| st.as_str() == "ACTIVE"),
                    last_update: s.last_update_time().and_then(time),
                    summary: summary(s),
                });
            }
            page(found.len());
            match answer.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(found),
            }
        }
    }

    /// A `describe-agreement` answer.
    pub(super) async fn describe_agreement(&self, id: &str) -> Result<Value, AwsError> {
        let call = self.call("DescribeAgreement");
        let d = self.agreement.describe_agreement().agreement_id(id).send().await.map_err(|e| call.error(e))?;
        let mut v = json!({
            "agreementId": d.agreement_id(),
            "acceptor": {"accountId": d.acceptor().and_then(|a| a.account_id())},
            "proposer": {"accountId": d.proposer().and_then(|p| p.account_id())},
            "startTime": d.start_time().and_then(text),
            "endTime": d.end_time().and_then(text),
            "acceptanceTime": d.acceptance_time().and_then(text),
            "agreementType": d.agreement_type(),
            "status": d.status().map(|s| s.as_str()),
        });
        if let Some(p) = d.proposal_summary() {
            v["proposalSummary"] = proposal(p);
        }
        if let Some(c) = d.estimated_charges() {
            v["estimatedCharges"] = json!({"currencyCode": c.currency_code(), "agreementValue": c.agreement_value()});
        }
        Ok(v)
    }

    /// A `get-agreement-terms` answer (every page), naming its agreement.
    pub(super) async fn agreement_terms(&self, id: &str) -> Result<Value, AwsError> {
        let call = self.call("GetAgreementTerms");
        let mut terms = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let answer = self
                .agreement
                .get_agreement_terms()
                .agreement_id(id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| call.error(e))?;
            terms.extend(answer.accepted_terms().iter().filter_map(schedule));
            match answer.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(json!({"agreementId": id, "acceptedTerms": terms})),
            }
        }
    }
}

/// The payment schedule among the accepted terms, the one term cppo reads.
fn schedule(term: &AcceptedTerm) -> Option<Value> {
    let AcceptedTerm::PaymentScheduleTerm(t) = term else { return None };
    Some(json!({"paymentScheduleTerm": payment_schedule(t)}))
}

fn payment_schedule(t: &PaymentScheduleTerm) -> Value {
    let rows: Vec<Value> = t
        .schedule()
        .iter()
        .map(|r| json!({"chargeDate": r.charge_date().and_then(text), "chargeAmount": r.charge_amount()}))
        .collect();
    json!({"type": "PaymentScheduleTerm", "currencyCode": t.currency_code(), "schedule": rows})
}

fn summary(s: &AgreementViewSummary) -> Value {
    let mut v = json!({
        "agreementId": s.agreement_id(),
        "acceptanceTime": s.acceptance_time().and_then(text),
        "startTime": s.start_time().and_then(text),
        "endTime": s.end_time().and_then(text),
        "agreementType": s.agreement_type(),
        "acceptor": {"accountId": s.acceptor().and_then(|a| a.account_id())},
        "proposer": {"accountId": s.proposer().and_then(|p| p.account_id())},
        "status": s.status().map(|st| st.as_str()),
    });
    if let Some(p) = s.proposal_summary() {
        v["proposalSummary"] = proposal(p);
    }
    v
}

fn proposal(p: &ProposalSummary) -> Value {
    let resources: Vec<Value> = p.resources().iter().map(|r| json!({"id": r.id(), "type": r.r#type()})).collect();
    json!({"resources": resources, "offerId": p.offer_id()})
}

fn time(t: &SdkTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// An SDK time as RFC 3339 text in UTC, as the AWS CLI prints it.
fn text(t: &SdkTime) -> Option<String> {
    time(t).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}
