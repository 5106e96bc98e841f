//! AWS's `describe-change-set` answers to the change sets cppo exports, written from AWS's
//! documented shape (botocore's `DescribeChangeSetResponse`) as AWS's own answers show it
//! (`tests/fixtures/aws/real/refcode-postman-describechangeset-ra-create-succeeded.json`):
//! every change repeated with its `Details` string and `DetailsDocument`, `Entity.Identifier`
//! resolved to the created entity's id with its revision, `ErrorDetailList`, and the
//! `ChangeName` of the change that had one.
#![allow(dead_code, reason = "each test binary uses a different part of it")]

use serde_json::{Value, json};

/// The answer for `request` (a `StartChangeSet` of cppo's) once AWS applied it: the entity
/// the set creates (or, for an update, the one it names) is `aws_id`, at revision 1.
pub fn succeeded(request: &Value, change_set_id: &str, aws_id: &str) -> Value {
    answer(request, change_set_id, "SUCCEEDED", Some(aws_id), &[])
}

/// The answer for `request` once AWS refused it: `errors` are `(change type, code, message)`,
/// each on the first change of that type.
pub fn failed(request: &Value, change_set_id: &str, errors: &[(&str, &str, &str)]) -> Value {
    answer(request, change_set_id, "FAILED", None, errors)
}

fn answer(
    request: &Value,
    change_set_id: &str,
    status: &str,
    aws_id: Option<&str>,
    errors: &[(&str, &str, &str)],
) -> Value {
    let changes: Vec<Value> = request["ChangeSet"]
        .as_array()
        .expect("a StartChangeSet request")
        .iter()
        .map(|c| {
            let identifier = match (c["Entity"]["Identifier"].as_str(), aws_id) {
                (Some(i), Some(id)) if i.starts_with('$') => Some(format!("{id}@1")),
                (None, Some(id)) => Some(format!("{id}@1")),
                (Some(i), _) if !i.starts_with('$') => Some(i.to_owned()),
                _ => None,
            };
            let mut entity = json!({"Type": c["Entity"]["Type"]});
            if let Some(i) = identifier {
                entity["Identifier"] = json!(i);
            }
            let mut change = json!({
                "ChangeType": c["ChangeType"],
                "Entity": entity,
                "Details": c["DetailsDocument"].to_string(),
                "DetailsDocument": c["DetailsDocument"],
                "ErrorDetailList": [],
            });
            if let Some(name) = c.get("ChangeName") {
                change["ChangeName"] = name.clone();
            }
            change
        })
        .collect();
    let mut changes = changes;
    for (change_type, code, message) in errors {
        let c = changes
            .iter_mut()
            .find(|c| c["ChangeType"] == *change_type)
            .unwrap_or_else(|| panic!("no {change_type} in the request"));
        c["ErrorDetailList"].as_array_mut().unwrap().push(json!({"ErrorCode": code, "ErrorMessage": message}));
    }
    let mut v = json!({
        "ChangeSetId": change_set_id,
        "ChangeSetArn": format!("arn:aws:aws-marketplace:us-east-1:111111111111:AWSMarketplace/ChangeSet/{change_set_id}"),
        "ChangeSetName": request["ChangeSetName"],
        "Intent": "APPLY",
        "StartTime": "2026-11-26T09:12:03Z",
        "EndTime": "2026-11-26T09:14:41Z",
        "Status": status,
        "ChangeSet": changes,
    });
    if status == "FAILED" {
        v["FailureCode"] = json!("CLIENT_ERROR");
        v["FailureDescription"] = json!("Change set preparation has failed. For details see 'ErrorDetailList'.");
    }
    v
}

/// The `describe-entity` answer AWS would give for what `request` (a `StartChangeSet` of
/// cppo's) creates, as entity `id` of `owner` (the ISV or the partner), with the product's
/// dimensions as AWS knows them.
pub fn described(request: &Value, id: &str, owner: &str, dimensions: &[(&str, &str)]) -> Value {
    let mut doc = serde_json::Map::new();
    let mut terms = Vec::new();
    let mut rules = Vec::new();
    let mut entity_type = "";
    for change in request["ChangeSet"].as_array().unwrap() {
        let d = change["DetailsDocument"].as_object().unwrap().clone();
        match change["ChangeType"].as_str().unwrap() {
            "CreateResaleAuthorization" => {
                entity_type = "ResaleAuthorization@1.0";
                doc.insert("Status".into(), json!("Draft"));
                doc.insert("ManufacturerAccountId".into(), json!(owner));
                let partner = d["ResellerAccountId"].clone();
                rules.push(json!({"Type": "PartnerTargetingRule", "ResellerAccountId": partner}));
                doc.insert(
                    "Dimensions".into(),
                    dimensions
                        .iter()
                        .map(|(k, u)| json!({"Key": k, "Name": k, "Unit": u, "Types": ["Entitled"]}))
                        .collect(),
                );
                doc.extend(d.into_iter().filter(|(k, _)| k != "ResellerAccountId"));
            }
            "CreateOfferUsingResaleAuthorization" => {
                entity_type = "Offer@1.0";
                doc.insert("State".into(), json!("Draft"));
                doc.extend(d);
            }
            "UpdatePricingTerms" => {
                doc.insert("PricingModel".into(), d["PricingModel"].clone());
                terms.extend(d["Terms"].as_array().unwrap().iter().cloned());
            }
            "UpdateLegalTerms"
            | "UpdateBuyerTargetingTerms"
            | "UpdateNetPaymentTerms"
            | "UpdatePaymentScheduleTerms"
            | "UpdateValidityTerms" => {
                terms.extend(d["Terms"].as_array().unwrap().iter().cloned());
            }
            "UpdateAvailability" => {
                let mut rule = json!({"Type": "AvailabilityRule"});
                if let Some(end) = d.get("AvailabilityEndDate") {
                    rule["AvailabilityEndDate"] = json!(format!("{}T23:59:59Z", end.as_str().unwrap()));
                }
                if let Some(n) = d.get("OffersMaxQuantity") {
                    rule["OffersMaxQuantity"] = n.clone();
                }
                rules.push(rule);
            }
            "UpdateMarkup" => {
                doc.insert("MarkupPercentage".into(), d["Percentage"].clone());
            }
            "UpdateTargeting" => {
                rules.push(json!({"Type": "TargetingRule", "PositiveTargeting": d["PositiveTargeting"]}))
            }
            "UpdateInformation" => doc.extend(d),
            "ReleaseResaleAuthorization" => {
                doc.insert("Status".into(), json!("Active"));
            }
            "ReleaseOffer" => {
                doc.insert("State".into(), json!("Released"));
            }
            other => panic!("no AWS counterpart written for {other}"),
        }
    }
    if entity_type == "Offer@1.0" {
        doc.insert("Id".into(), json!(id));
    }
    doc.insert("Terms".into(), Value::Array(terms));
    doc.insert("Rules".into(), Value::Array(rules));
    json!({"EntityType": entity_type, "EntityIdentifier": format!("{id}@1"), "DetailsDocument": doc})
}
