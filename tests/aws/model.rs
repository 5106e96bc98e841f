//! The `StartChangeSet` validator in `support/aws_model.rs`: AWS's documented example changes
//! and two realistic requests pass, a table of broken variants each fails naming its problem,
//! and botocore's own model accepts the realistic requests (skipped where botocore is not
//! installed, failed under CI: `support/require.rs`).

use crate::aws_model;
use crate::require;

use std::path::Path;

use aws_model::{botocore_check, check_start_change_set};
use require::{Tool, require};
use serde_json::{Value, json};

/// The example changes of aws-cppo-facts.md §3.2 (resale authorization), one per line, as written there.
const RA_EXAMPLES: &str = r#"
{"ChangeType":"CreateResaleAuthorization","ChangeName":"RA","Entity":{"Type":"ResaleAuthorization@1.0"},"DetailsDocument":{"ProductId":"prod-1111111111111","Name":"AcmeQ3","Description":"Acme resale","ResellerAccountId":"111111111111"}}
{"ChangeType":"UpdatePricingTerms","Entity":{"Type":"ResaleAuthorization@1.0","Identifier":"$RA.Entity.Identifier"},"DetailsDocument":{"PricingModel":"Contract","Terms":[{"Type":"ResaleConfigurableUpfrontPricingTerm","CurrencyCode":"USD","RateCards":[{"Selector":{"Type":"Duration","Value":"P12M"},"RateCard":[{"DimensionKey":"t2.small","Price":"150"}],"Constraints":{"MultipleDimensionSelection":"Allowed","QuantityConfiguration":"Allowed"}}]}]}}
{"ChangeType":"UpdatePricingTerms","DetailsDocument":{"PricingModel":"Contract","Terms":[{"Type":"ResaleFixedUpfrontPricingTerm","CurrencyCode":"USD","Price":"0.00","Duration":"P12M","Grants":[{"DimensionKey":"Users","MaxQuantity":10}]}]}}
{"ChangeType":"UpdatePricingTerms","DetailsDocument":{"PricingModel":"Usage","Terms":[{"Type":"ResaleUsageBasedPricingTerm","CurrencyCode":"USD","RateCards":[{"RateCard":[{"DimensionKey":"m3.large","Price":"0.10"}]}]}]}}
{"ChangeType":"UpdatePaymentScheduleTerms","DetailsDocument":{"Terms":[{"Type":"ResalePaymentScheduleTerm","CurrencyCode":"USD","Schedule":[{"ChargeDate":"2026-09-01","ChargeAmount":"200.00"},{"ChargeDate":"2026-12-01","ChargeAmount":"250.00"}]}]}}
{"ChangeType":"UpdateAvailability","DetailsDocument":{"AvailabilityEndDate":"2026-06-30","OffersMaxQuantity":1}}
{"ChangeType":"UpdateBuyerTargetingTerms","DetailsDocument":{"Terms":[{"Type":"BuyerTargetingTerm","PositiveTargeting":{"BuyerAccounts":["222222222222"]}}]}}
{"ChangeType":"UpdateBuyerValidityTerms","DetailsDocument":{"Terms":[{"Type":"BuyerValidityTerm","MaximumAgreementStartDate":"2027-05-31"}]}}
{"ChangeType":"UpdateLegalTerms","DetailsDocument":{"Terms":[{"Type":"BuyerLegalTerm","Documents":[{"Type":"CustomEula","Url":"https://s3.amazonaws.com/bucket/eula.pdf"}]},{"Type":"ResaleLegalTerm","Documents":[{"Type":"StandardResellerContract"}]}]}}
{"ChangeType":"UpdateNetPaymentTerms","DetailsDocument":{"Terms":[{"Type":"ResaleNetPaymentTerm","PaymentDuePeriod":"P60D"}]}}
{"ChangeType":"UpdateInformation","DetailsDocument":{"Name":"AcmeRenewal","PreExistingBuyerAgreement":{"AcquisitionChannel":"AwsMarketplace","PricingModel":"Contract"}}}
{"ChangeType":"ReleaseResaleAuthorization","DetailsDocument":{}}
{"ChangeType":"RestrictResaleAuthorization","DetailsDocument":{}}
"#;

/// The example changes of aws-cppo-facts.md §3.3 (CPPO), one per line, as written there.
const OFFER_EXAMPLES: &str = r#"
{"ChangeType":"CreateOfferUsingResaleAuthorization","ChangeName":"CPPO","Entity":{"Type":"Offer@1.0"},"DetailsDocument":{"ResaleAuthorizationId":"resaleauthz-1111111111111","Name":"Acme for Globex","Description":"Q3 deal"}}
{"ChangeType":"UpdateMarkup","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{"Percentage":"5.0"}}
{"ChangeType":"UpdateTargeting","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{"PositiveTargeting":{"BuyerAccounts":["222222222222"]}}}
{"ChangeType":"UpdateAvailability","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{"AvailabilityEndDate":"2026-07-31"}}
{"ChangeType":"UpdateValidityTerms","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{"Terms":[{"Type":"ValidityTerm","AgreementDuration":"P450D"}]}}
{"ChangeType":"UpdateLegalTerms","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"CustomEula","Url":"https://s3.amazonaws.com/bucket/custom-eula.pdf"}]}]}}
{"ChangeType":"UpdatePaymentScheduleTerms","Entity":{"Type":"Offer@1.0","Identifier":"offer-1111111111111"},"DetailsDocument":{"Terms":[{"Type":"PaymentScheduleTerm","Schedule":[{"ChargeDate":"2026-12-01","ChargeAmount":"220.00"},{"ChargeDate":"2027-03-01","ChargeAmount":"275.00"}]}]}}
{"ChangeType":"UpdateNetPaymentTerms","Entity":{"Type":"Offer@1.0","Identifier":"offer-1111111111111"},"DetailsDocument":{"Terms":[{"Type":"NetPaymentTerm","PaymentDuePeriod":"P30D"}]}}
{"ChangeType":"CreateReplacementOfferUsingResaleAuthorization","ChangeName":"Repl","Entity":{"Type":"Offer@1.0"},"DetailsDocument":{"AgreementId":"agmt-1111111111111111111111111","ResaleAuthorizationId":"resaleauthz-1111111111111"}}
{"ChangeType":"ReleaseOffer","Entity":{"Type":"Offer@1.0","Identifier":"$CPPO.Entity.Identifier"},"DetailsDocument":{}}
"#;

fn examples(text: &str) -> Vec<Value> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("example is JSON")).collect()
}

fn request(changes: Vec<Value>) -> Value {
    json!({"Catalog": "AWSMarketplace", "ChangeSet": changes})
}

/// An example in the smallest valid request: the doc's default entity when it names none, and
/// the create change it refers to when its identifier is a `$<ChangeName>` reference.
fn wrap_example(mut change: Value, default_entity: &Value, creates: &[Value]) -> Value {
    if change.get("Entity").is_none() {
        change["Entity"] = default_entity.clone();
    }
    let identifier = change["Entity"]["Identifier"].as_str().unwrap_or_default().to_string();
    let mut changes: Vec<Value> = creates
        .iter()
        .filter(|c| identifier == format!("${}.Entity.Identifier", c["ChangeName"].as_str().unwrap_or_default()))
        .cloned()
        .collect();
    changes.push(change);
    request(changes)
}

fn assert_valid(what: &str, v: &Value) {
    let errors = check_start_change_set(v);
    assert!(errors.is_empty(), "{what} should be valid, got:\n{}\n{v:#}", errors.join("\n"));
}

#[test]
fn every_documented_example_change_passes() {
    let ra_entity = json!({"Type": "ResaleAuthorization@1.0", "Identifier": "resaleauthz-1111111111111"});
    let ra = examples(RA_EXAMPLES);
    assert_eq!(ra.len(), 13);
    for change in &ra {
        assert_valid(&change.to_string(), &wrap_example(change.clone(), &ra_entity, &ra[..1]));
    }
    let offer_entity = json!({"Type": "Offer@1.0", "Identifier": "offer-1111111111111"});
    let offers = examples(OFFER_EXAMPLES);
    assert_eq!(offers.len(), 10);
    for change in &offers {
        assert_valid(&change.to_string(), &wrap_example(change.clone(), &offer_entity, &offers[..1]));
    }
}

/// An ISV's whole resale authorization in one change set: create, describe, price, limit,
/// target, legal terms, net terms, release.
fn realistic_ra_request() -> Value {
    let ra = json!({"Type": "ResaleAuthorization@1.0", "Identifier": "$RA.Entity.Identifier"});
    json!({
        "Catalog": "AWSMarketplace",
        "ChangeSetName": "cppo: authorize Northwind Resale for Widgets Pro",
        "ClientRequestToken": "cppo-opp-7c1e9a40-0001",
        "Intent": "APPLY",
        "ChangeSet": [
            {"ChangeType": "CreateResaleAuthorization", "ChangeName": "RA",
             "Entity": {"Type": "ResaleAuthorization@1.0"},
             "DetailsDocument": {"ProductId": "prod-7fk2qv9xw3m4a", "Name": "Widgets Pro via Northwind 2026",
                                 "Description": "Annual contract for Contoso, wholesale", "ResellerAccountId": "420061735518"}},
            {"ChangeType": "UpdateInformation", "Entity": ra,
             "DetailsDocument": {"PreExistingBuyerAgreement": {"AcquisitionChannel": "AwsMarketplace", "PricingModel": "Contract"}}},
            {"ChangeType": "UpdatePricingTerms", "Entity": ra,
             "DetailsDocument": {"PricingModel": "Contract", "Terms": [
                 {"Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD", "RateCards": [
                     {"Selector": {"Type": "Duration", "Value": "P12M"},
                      "RateCard": [{"DimensionKey": "seats", "Price": "1200.00"}, {"DimensionKey": "admin_seats", "Price": "300.00"}],
                      "Constraints": {"MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"}}]}]}},
            {"ChangeType": "UpdateAvailability", "Entity": ra,
             "DetailsDocument": {"AvailabilityEndDate": "2027-06-30", "OffersMaxQuantity": 1}},
            {"ChangeType": "UpdateBuyerTargetingTerms", "Entity": ra,
             "DetailsDocument": {"Terms": [{"Type": "BuyerTargetingTerm",
                                            "PositiveTargeting": {"BuyerAccounts": ["381904526617", "381904526618"]}}]}},
            {"ChangeType": "UpdateLegalTerms", "Entity": ra,
             "DetailsDocument": {"Terms": [
                 {"Type": "BuyerLegalTerm", "Documents": [{"Type": "StandardEula"}]},
                 {"Type": "ResaleLegalTerm", "Documents": [{"Type": "CustomResellerContract",
                                                            "Url": "https://s3.amazonaws.com/widgets-legal/northwind-resale.pdf"}]}]}},
            {"ChangeType": "UpdateNetPaymentTerms", "Entity": ra,
             "DetailsDocument": {"Terms": [{"Type": "ResaleNetPaymentTerm", "PaymentDuePeriod": "P30D"}]}},
            {"ChangeType": "ReleaseResaleAuthorization", "Entity": ra, "DetailsDocument": {}}
        ]
    })
}

/// A channel partner's whole CPPO in one change set, from a released authorization.
fn realistic_offer_request() -> Value {
    let offer = json!({"Type": "Offer@1.0", "Identifier": "$CPPO.Entity.Identifier"});
    json!({
        "Catalog": "AWSMarketplace",
        "ChangeSetName": "cppo: offer Widgets Pro to Contoso",
        "ClientRequestToken": "cppo-offer-2b8d55e1-0001",
        "ChangeSetTags": [{"Key": "created-by", "Value": "cppo"}],
        "ChangeSet": [
            {"ChangeType": "CreateOfferUsingResaleAuthorization", "ChangeName": "CPPO",
             "Entity": {"Type": "Offer@1.0"},
             "DetailsDocument": {"ResaleAuthorizationId": "resaleauthz-5tq8wz2kd7n3c", "Name": "Widgets Pro for Contoso",
                                 "Description": "12-month contract, 10% partner markup"}},
            {"ChangeType": "UpdateMarkup", "Entity": offer, "DetailsDocument": {"Percentage": "10.0"}},
            {"ChangeType": "UpdateTargeting", "Entity": offer,
             "DetailsDocument": {"PositiveTargeting": {"BuyerAccounts": ["381904526617", "381904526618", "381904526619"]}}},
            {"ChangeType": "UpdateLegalTerms", "Entity": offer,
             "DetailsDocument": {"Terms": [{"Type": "LegalTerm", "Documents": [{"Type": "StandardEula", "Version": "2022-07-14"}]}]}},
            {"ChangeType": "UpdateValidityTerms", "Entity": offer,
             "DetailsDocument": {"Terms": [{"Type": "ValidityTerm", "AgreementDuration": "P12M"}]}},
            {"ChangeType": "UpdateNetPaymentTerms", "Entity": offer,
             "DetailsDocument": {"Terms": [{"Type": "NetPaymentTerm", "PaymentDuePeriod": "P30D"}]}},
            {"ChangeType": "UpdateAvailability", "Entity": offer, "DetailsDocument": {"AvailabilityEndDate": "2027-01-31"}},
            {"ChangeType": "ReleaseOffer", "Entity": offer, "DetailsDocument": {}}
        ]
    })
}

/// An authorization with an installment plan (fixed upfront term at 0 and a payment schedule)
/// on an existing draft, with its details given as a `Details` JSON string for one change.
fn installments_request() -> Value {
    let ra = json!({"Type": "ResaleAuthorization@1.0", "Identifier": "resaleauthz-9hb3mx6rp2v8k"});
    let pricing = json!({"PricingModel": "Contract", "Terms": [{"Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "EUR",
        "Price": "0.00", "Duration": "P1Y6M", "Grants": [{"DimensionKey": "seats", "MaxQuantity": 50}]}]});
    json!({
        "Catalog": "AWSMarketplace",
        "ChangeSet": [
            {"ChangeType": "UpdatePricingTerms", "Entity": ra, "Details": pricing.to_string()},
            {"ChangeType": "UpdatePaymentScheduleTerms", "Entity": ra,
             "DetailsDocument": {"Terms": [{"Type": "ResalePaymentScheduleTerm", "CurrencyCode": "EUR", "Schedule": [
                 {"ChargeDate": "2027-02-15", "ChargeAmount": "10000.00"},
                 {"ChargeDate": "2027-08-15", "ChargeAmount": "10000.00"},
                 {"ChargeDate": "2028-02-15", "ChargeAmount": "5000.5"}]}]}},
            {"ChangeType": "UpdateAvailability", "Entity": ra,
             "DetailsDocument": {"AvailabilityEndDate": "2027-01-31", "OffersMaxQuantity": 1}},
            {"ChangeType": "UpdateLegalTerms", "Entity": ra,
             "DetailsDocument": {"Terms": [{"Type": "BuyerLegalTerm", "Documents": [{"Type": "EnterpriseEula"}]}]}},
            {"ChangeType": "ReleaseResaleAuthorization", "Entity": ra, "DetailsDocument": {}}
        ]
    })
}

#[test]
fn realistic_requests_pass() {
    assert_valid("the realistic resale authorization request", &realistic_ra_request());
    assert_valid("the realistic offer request", &realistic_offer_request());
    assert_valid("the installments request", &installments_request());
}

#[test]
fn messages_name_the_path_and_the_rule() {
    let mut v = realistic_offer_request();
    v["ChangeSet"][1]["DetailsDocument"]["Percentage"] = json!("5.x");
    assert_eq!(
        check_start_change_set(&v),
        [r#"ChangeSet[1].DetailsDocument.Percentage: "5.x" does not match ^(\d*\.)?\d{1,9}$"#]
    );
    let mut v = realistic_ra_request();
    v["ChangeSet"][0]["DetailsDocument"]["ResellerAccountId"] = json!("42006173551");
    assert_eq!(
        check_start_change_set(&v),
        [
            r#"ChangeSet[0].DetailsDocument.ResellerAccountId: "42006173551" does not match ^\d{12}$ (a 12-digit AWS account id)"#
        ]
    );
    assert_eq!(check_start_change_set(&json!([])), ["(request): expected an object, found an array"]);
}

enum Base {
    Ra,
    Offer,
    Installments,
}

type Breakage = (&'static str, Base, fn(&mut Value), &'static str);

/// Changes at `ChangeSet[i]` of the base request.
fn at(v: &mut Value, i: usize) -> &mut Value {
    &mut v["ChangeSet"][i]
}

fn dd(v: &mut Value, i: usize) -> &mut Value {
    &mut v["ChangeSet"][i]["DetailsDocument"]
}

fn push(v: &mut Value, change: Value) {
    v["ChangeSet"].as_array_mut().expect("ChangeSet is an array").push(change);
}

const BROKEN: &[Breakage] = &[
    (
        "21 changes",
        Base::Ra,
        |v| {
            let extra = at(v, 1).clone();
            let list = v["ChangeSet"].as_array_mut().expect("array");
            while list.len() < 21 {
                list.insert(1, extra.clone());
            }
        },
        "ChangeSet: has 21 items; allowed 1-20",
    ),
    ("empty change set", Base::Ra, |v| v["ChangeSet"] = json!([]), "ChangeSet: has 0 items; allowed 1-20"),
    (
        "missing Catalog",
        Base::Ra,
        |v| {
            v.as_object_mut().expect("object").remove("Catalog");
        },
        "(request): missing required member Catalog",
    ),
    (
        "wrong Catalog",
        Base::Offer,
        |v| v["Catalog"] = json!("AWSMarketplaceTest"),
        "Catalog: \"AWSMarketplaceTest\" must be",
    ),
    ("unknown top-level member", Base::Ra, |v| v["DryRun"] = json!(true), "(request): unknown member DryRun"),
    ("unknown change member", Base::Ra, |v| at(v, 2)["Comment"] = json!("x"), "ChangeSet[2]: unknown member Comment"),
    (
        "bad ChangeSetName",
        Base::Ra,
        |v| v["ChangeSetName"] = json!("deal #1!"),
        "ChangeSetName: \"deal #1!\" does not match",
    ),
    (
        "ChangeSetName too long",
        Base::Ra,
        |v| v["ChangeSetName"] = json!("n".repeat(101)),
        "has 101 characters; allowed 1-100",
    ),
    (
        "token with a space",
        Base::Offer,
        |v| v["ClientRequestToken"] = json!("a b"),
        "ClientRequestToken: \"a b\" does not match ^[!-~]+$",
    ),
    ("bad Intent", Base::Offer, |v| v["Intent"] = json!("DRYRUN"), "Intent: \"DRYRUN\" is not one of VALIDATE, APPLY"),
    (
        "tag without a Value",
        Base::Offer,
        |v| v["ChangeSetTags"] = json!([{"Key": "k"}]),
        "ChangeSetTags[0]: missing required member Value",
    ),
    (
        "reference to a later ChangeName",
        Base::Ra,
        |v| {
            at(v, 1)["Entity"]["Identifier"] = json!("$Later.Entity.Identifier");
            at(v, 3)["ChangeName"] = json!("Later");
        },
        "ChangeSet[1].Entity.Identifier: \"$Later.Entity.Identifier\" refers to ChangeSet[3], which is not earlier",
    ),
    (
        "reference to an unknown ChangeName",
        Base::Offer,
        |v| at(v, 2)["Entity"]["Identifier"] = json!("$Nope.Entity.Identifier"),
        "refers to no ChangeName in the set",
    ),
    (
        "malformed reference",
        Base::Offer,
        |v| at(v, 2)["Entity"]["Identifier"] = json!("$CPPO.Identifier"),
        "is neither an identifier nor a $<ChangeName>.Entity.Identifier reference",
    ),
    (
        "reference to another entity type",
        Base::Offer,
        |v| {
            let mut ra_create = realistic_ra_request()["ChangeSet"][0].clone();
            ra_create["ChangeName"] = json!("RA");
            v["ChangeSet"].as_array_mut().expect("array").insert(0, ra_create);
            at(v, 2)["Entity"]["Identifier"] = json!("$RA.Entity.Identifier");
        },
        "refers to a change on a ResaleAuthorization@1.0 entity, not on Offer@1.0",
    ),
    (
        "bad Identifier",
        Base::Installments,
        |v| at(v, 2)["Entity"]["Identifier"] = json!("resaleauthz 1"),
        "does not match ^[\\w\\-@]+$",
    ),
    (
        "account id with 11 digits",
        Base::Ra,
        |v| dd(v, 0)["ResellerAccountId"] = json!("42006173551"),
        "ChangeSet[0].DetailsDocument.ResellerAccountId: \"42006173551\" does not match ^\\d{12}$",
    ),
    (
        "account id as a number",
        Base::Ra,
        |v| dd(v, 4)["Terms"][0]["PositiveTargeting"]["BuyerAccounts"][0] = json!(381904526617_u64),
        "BuyerAccounts[0]: expected a 12-digit account id string, found a number",
    ),
    (
        "26 buyer accounts",
        Base::Offer,
        |v| {
            dd(v, 2)["PositiveTargeting"]["BuyerAccounts"] =
                (0..26).map(|i| json!(format!("3819045266{i:02}"))).collect();
        },
        "BuyerAccounts: has 26 items; allowed 1-25",
    ),
    (
        "duplicate buyer account",
        Base::Ra,
        |v| dd(v, 4)["Terms"][0]["PositiveTargeting"]["BuyerAccounts"][1] = json!("381904526617"),
        "is listed twice",
    ),
    (
        "date 2026-02-30",
        Base::Ra,
        |v| dd(v, 3)["AvailabilityEndDate"] = json!("2026-02-30"),
        "ChangeSet[3].DetailsDocument.AvailabilityEndDate: \"2026-02-30\" is not a calendar date",
    ),
    (
        "date with a time",
        Base::Offer,
        |v| dd(v, 6)["AvailabilityEndDate"] = json!("2026-11-30T23:59:59Z"),
        "is not a calendar date",
    ),
    (
        "markup with 10 decimals",
        Base::Offer,
        |v| dd(v, 1)["Percentage"] = json!("5.1234567890"),
        "ChangeSet[1].DetailsDocument.Percentage: \"5.1234567890\" does not match ^(\\d*\\.)?\\d{1,9}$",
    ),
    (
        "markup as a number",
        Base::Offer,
        |v| dd(v, 1)["Percentage"] = json!(5.0),
        "Percentage: expected a string, found a number",
    ),
    (
        "release not last",
        Base::Ra,
        |v| {
            let list = v["ChangeSet"].as_array_mut().expect("array");
            list.swap(6, 7);
        },
        "ChangeSet[7]: targets an entity released by ChangeSet[6]; the release must be its last change",
    ),
    (
        "release not last, by id",
        Base::Installments,
        |v| {
            push(
                v,
                json!({"ChangeType": "UpdateNetPaymentTerms",
        "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "resaleauthz-9hb3mx6rp2v8k"},
        "DetailsDocument": {"Terms": []}}),
            )
        },
        "the release must be its last change",
    ),
    (
        "duplicate change type on one entity",
        Base::Offer,
        |v| {
            let again = at(v, 6).clone();
            v["ChangeSet"].as_array_mut().expect("array").insert(7, again);
        },
        "ChangeSet[7]: UpdateAvailability targets the same entity twice in one change set",
    ),
    (
        "custom EULA without Url",
        Base::Ra,
        |v| dd(v, 5)["Terms"][0]["Documents"][0] = json!({"Type": "CustomEula"}),
        "ChangeSet[5].DetailsDocument.Terms[0].Documents[0]: a CustomEula needs a Url",
    ),
    (
        "standard EULA with Url",
        Base::Offer,
        |v| dd(v, 3)["Terms"][0]["Documents"][0]["Url"] = json!("https://example.com/e.pdf"),
        "Documents[0].Url: a StandardEula must not have a Url",
    ),
    (
        "standard reseller contract with Url",
        Base::Ra,
        |v| {
            dd(v, 5)["Terms"][1]["Documents"][0] =
                json!({"Type": "StandardResellerContract", "Url": "https://example.com/r.pdf"});
        },
        "a StandardResellerContract must not have a Url",
    ),
    (
        "legal terms without a BuyerLegalTerm",
        Base::Ra,
        |v| {
            dd(v, 5)["Terms"].as_array_mut().expect("array").remove(0);
        },
        "Terms: needs a BuyerLegalTerm",
    ),
    (
        "unknown EULA version",
        Base::Offer,
        |v| dd(v, 3)["Terms"][0]["Documents"][0]["Version"] = json!("2024-01-01"),
        "Version: \"2024-01-01\" is not one of",
    ),
    (
        "OffersMaxQuantity 2",
        Base::Ra,
        |v| dd(v, 3)["OffersMaxQuantity"] = json!(2),
        "ChangeSet[3].DetailsDocument.OffersMaxQuantity: 2 is not allowed; the only value is 1",
    ),
    (
        "empty availability",
        Base::Ra,
        |v| *dd(v, 3) = json!({}),
        "needs at least one of AvailabilityEndDate, OffersMaxQuantity",
    ),
    (
        "Details and DetailsDocument",
        Base::Ra,
        |v| at(v, 3)["Details"] = json!("{}"),
        "ChangeSet[3]: has both Details and DetailsDocument; give exactly one",
    ),
    (
        "no details at all",
        Base::Ra,
        |v| {
            at(v, 7).as_object_mut().expect("object").remove("DetailsDocument");
        },
        "ChangeSet[7]: missing DetailsDocument (or Details)",
    ),
    (
        "Details that is not JSON",
        Base::Installments,
        |v| at(v, 0)["Details"] = json!("{\"PricingModel\":"),
        "ChangeSet[0].Details: is not JSON",
    ),
    (
        "Details string with a bad term",
        Base::Installments,
        |v| {
            at(v, 0)["Details"] = json!(at(v, 0)["Details"].as_str().expect("string").replace("P1Y6M", "18 months"));
        },
        "ChangeSet[0].Details.Terms[0].Duration: \"18 months\" does not match",
    ),
    (
        "DetailsDocument as a string",
        Base::Offer,
        |v| *dd(v, 1) = json!("{\"Percentage\":\"5\"}"),
        "ChangeSet[1].DetailsDocument: expected an object, found a string",
    ),
    (
        "create with an Identifier",
        Base::Ra,
        |v| at(v, 0)["Entity"]["Identifier"] = json!("resaleauthz-5tq8wz2kd7n3c"),
        "a CreateResaleAuthorization change has no Identifier",
    ),
    (
        "create without a ChangeName",
        Base::Offer,
        |v| {
            at(v, 0).as_object_mut().expect("object").remove("ChangeName");
        },
        "ChangeSet[0]: a CreateOfferUsingResaleAuthorization change needs a ChangeName",
    ),
    (
        "update without an Identifier",
        Base::Installments,
        |v| {
            at(v, 1)["Entity"].as_object_mut().expect("object").remove("Identifier");
        },
        "ChangeSet[1].Entity: missing Identifier (required by UpdatePaymentScheduleTerms)",
    ),
    (
        "missing Entity.Type",
        Base::Installments,
        |v| {
            at(v, 1)["Entity"].as_object_mut().expect("object").remove("Type");
        },
        "ChangeSet[1].Entity: missing required member Type",
    ),
    (
        "unsupported entity type",
        Base::Offer,
        |v| at(v, 1)["Entity"]["Type"] = json!("SaaSProduct@1.0"),
        "ChangeSet[1].Entity.Type: \"SaaSProduct@1.0\" is not one of ResaleAuthorization@1.0, Offer@1.0",
    ),
    (
        "change type of the other entity",
        Base::Ra,
        |v| at(v, 1)["ChangeType"] = json!("UpdateMarkup"),
        "ChangeSet[1].ChangeType: \"UpdateMarkup\" is not a change type of ResaleAuthorization@1.0",
    ),
    (
        "lower-case change type",
        Base::Ra,
        |v| at(v, 1)["ChangeType"] = json!("updateInformation"),
        "does not match ^[A-Z][\\w]*$",
    ),
    (
        "ChangeName with a digit",
        Base::Ra,
        |v| at(v, 2)["ChangeName"] = json!("Step2"),
        "ChangeSet[2].ChangeName: \"Step2\" does not match ^[a-zA-Z]+$",
    ),
    (
        "duplicate ChangeName",
        Base::Ra,
        |v| at(v, 2)["ChangeName"] = json!("RA"),
        "\"RA\" is already the name of ChangeSet[0]",
    ),
    (
        "product id too short",
        Base::Ra,
        |v| dd(v, 0)["ProductId"] = json!("prod-123"),
        "ProductId: \"prod-123\" does not match ^prod-[a-zA-Z0-9]{13}$",
    ),
    (
        "resale authorization id with 5 characters",
        Base::Offer,
        |v| dd(v, 0)["ResaleAuthorizationId"] = json!("resaleauthz-ab12c"),
        "does not match ^resaleauthz-[a-zA-Z0-9]{13}$",
    ),
    (
        "RA name of 101 characters",
        Base::Ra,
        |v| dd(v, 0)["Name"] = json!("n".repeat(101)),
        "Name: \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"… has 101 characters; allowed 1-100",
    ),
    (
        "offer name of 151 characters",
        Base::Offer,
        |v| dd(v, 0)["Name"] = json!("n".repeat(151)),
        "has 151 characters; allowed 1-150",
    ),
    (
        "description of 256 characters",
        Base::Ra,
        |v| dd(v, 0)["Description"] = json!("d".repeat(256)),
        "has 256 characters; allowed 1-255",
    ),
    ("name starting with a space", Base::Ra, |v| dd(v, 0)["Name"] = json!(" Widgets"), "starts with a space"),
    (
        "missing required ProductId",
        Base::Ra,
        |v| {
            dd(v, 0).as_object_mut().expect("object").remove("ProductId");
        },
        "ChangeSet[0].DetailsDocument: missing required member ProductId",
    ),
    (
        "unknown details member",
        Base::Offer,
        |v| dd(v, 0)["Markup"] = json!("10"),
        "ChangeSet[0].DetailsDocument: unknown member Markup",
    ),
    (
        "release with details",
        Base::Ra,
        |v| *dd(v, 7) = json!({"Force": true}),
        "ChangeSet[7].DetailsDocument: unknown member Force (none: it must be {})",
    ),
    (
        "restrict with details",
        Base::Installments,
        |v| {
            at(v, 4)["ChangeType"] = json!("RestrictResaleAuthorization");
            *dd(v, 4) = json!({"Reason": "x"});
        },
        "ChangeSet[4].DetailsDocument: unknown member Reason",
    ),
    (
        "price with a letter",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["RateCards"][0]["RateCard"][0]["Price"] = json!("12.x"),
        "RateCard[0].Price: \"12.x\" does not match ^\\d+(\\.\\d+)?$",
    ),
    (
        "price as a number",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["RateCards"][0]["RateCard"][0]["Price"] = json!(1200),
        "RateCard[0].Price: expected a string, found a number 1200",
    ),
    (
        "duration without a unit",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["RateCards"][0]["Selector"]["Value"] = json!("P12"),
        "Selector.Value: \"P12\" does not match ^P(\\d+Y)?(\\d+M)?(\\d+D)?$",
    ),
    (
        "selector that is not a duration",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["RateCards"][0]["Selector"]["Type"] = json!("Quantity"),
        "Selector.Type: \"Quantity\" is not one of Duration",
    ),
    (
        "six rate cards",
        Base::Ra,
        |v| {
            let card = dd(v, 2)["Terms"][0]["RateCards"][0].clone();
            dd(v, 2)["Terms"][0]["RateCards"] = (1..=6)
                .map(|n| {
                    let mut c = card.clone();
                    c["Selector"]["Value"] = json!(format!("P{}M", 12 * n));
                    c
                })
                .collect();
        },
        "RateCards: has 6 items; allowed 1-5",
    ),
    (
        "duplicate selector",
        Base::Ra,
        |v| {
            let card = dd(v, 2)["Terms"][0]["RateCards"][0].clone();
            dd(v, 2)["Terms"][0]["RateCards"] = json!([card.clone(), card]);
        },
        "RateCards[1].Selector.Value: \"P12M\" is the selector of an earlier rate card",
    ),
    (
        "rate cards pricing different dimensions",
        Base::Ra,
        |v| {
            let mut card = dd(v, 2)["Terms"][0]["RateCards"][0].clone();
            card["Selector"]["Value"] = json!("P24M");
            card["RateCard"].as_array_mut().expect("array").pop();
            dd(v, 2)["Terms"][0]["RateCards"].as_array_mut().expect("array").push(card);
        },
        "RateCards[1].RateCard: prices other dimensions than the first rate card",
    ),
    (
        "dimension priced twice",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["RateCards"][0]["RateCard"][1]["DimensionKey"] = json!("seats"),
        "\"seats\" is priced twice",
    ),
    (
        "bad constraint value",
        Base::Ra,
        |v| {
            dd(v, 2)["Terms"][0]["RateCards"][0]["Constraints"]["QuantityConfiguration"] = json!("Yes");
        },
        "QuantityConfiguration: \"Yes\" is not one of Allowed, Disallowed",
    ),
    (
        "unknown currency",
        Base::Ra,
        |v| dd(v, 2)["Terms"][0]["CurrencyCode"] = json!("CHF"),
        "CurrencyCode: \"CHF\" is not one of",
    ),
    (
        "usage rates in EUR",
        Base::Ra,
        |v| {
            *dd(v, 2) = json!({"PricingModel": "Usage", "Terms": [{"Type": "ResaleUsageBasedPricingTerm", "CurrencyCode": "EUR",
            "RateCards": [{"RateCard": [{"DimensionKey": "api_calls", "Price": "0.00012500"}]}]}]});
        },
        "CurrencyCode: \"EUR\" is not one of USD",
    ),
    (
        "usage model with an upfront term",
        Base::Ra,
        |v| dd(v, 2)["PricingModel"] = json!("Usage"),
        "PricingModel Usage needs a ResaleUsageBasedPricingTerm",
    ),
    (
        "unknown pricing model",
        Base::Ra,
        |v| dd(v, 2)["PricingModel"] = json!("Byol"),
        "PricingModel: \"Byol\" is not one of Usage, Contract, Free",
    ),
    (
        "two terms of one type",
        Base::Ra,
        |v| {
            let term = dd(v, 2)["Terms"][0].clone();
            dd(v, 2)["Terms"].as_array_mut().expect("array").push(term);
        },
        "Terms[1]: a second ResaleConfigurableUpfrontPricingTerm",
    ),
    (
        "term of the wrong change type",
        Base::Ra,
        |v| dd(v, 6)["Terms"][0]["Type"] = json!("NetPaymentTerm"),
        "Terms[0].Type: \"NetPaymentTerm\" is not one of ResaleNetPaymentTerm",
    ),
    (
        "net payment P31D",
        Base::Offer,
        |v| dd(v, 5)["Terms"][0]["PaymentDuePeriod"] = json!("P31D"),
        "PaymentDuePeriod: \"P31D\" is not one of P15D, P30D, P45D, P60D, P90D, P120D",
    ),
    (
        "non-zero fixed price on an authorization",
        Base::Installments,
        |v| {
            at(v, 0)["Details"] = json!(at(v, 0)["Details"].as_str().expect("string").replace("0.00", "25000.00"));
        },
        "Price: must be 0 on a resale authorization",
    ),
    (
        "grant of 0 units",
        Base::Installments,
        |v| {
            at(v, 0)["Details"] = json!(at(v, 0)["Details"].as_str().expect("string").replace("50", "0"));
        },
        "MaxQuantity: 0 is less than 1",
    ),
    (
        "duplicate charge date",
        Base::Installments,
        |v| dd(v, 1)["Terms"][0]["Schedule"][1]["ChargeDate"] = json!("2027-02-15"),
        "Schedule[1].ChargeDate: \"2027-02-15\" is the date of an earlier charge",
    ),
    (
        "61 installments",
        Base::Installments,
        |v| {
            dd(v, 1)["Terms"][0]["Schedule"] = (0..61)
                .map(|i| json!({"ChargeDate": format!("{}-{:02}-01", 2027 + i / 12, i % 12 + 1), "ChargeAmount": "1"}))
                .collect();
        },
        "Schedule: has 61 items; allowed 1-60",
    ),
    (
        "charge amount with 3 decimals",
        Base::Installments,
        |v| dd(v, 1)["Terms"][0]["Schedule"][0]["ChargeAmount"] = json!("1.005"),
        "ChargeAmount: \"1.005\" does not match",
    ),
    (
        "schedule without currency",
        Base::Installments,
        |v| {
            dd(v, 1)["Terms"][0].as_object_mut().expect("object").remove("CurrencyCode");
        },
        "Terms[0]: missing required member CurrencyCode",
    ),
    (
        "validity with duration and start",
        Base::Offer,
        |v| dd(v, 4)["Terms"][0]["AgreementStartDate"] = json!("2026-07-01"),
        "AgreementDuration cannot be combined with a start or end date",
    ),
    (
        "validity ending before it starts",
        Base::Offer,
        |v| {
            dd(v, 4)["Terms"][0] =
                json!({"Type": "ValidityTerm", "AgreementStartDate": "2026-07-01", "AgreementEndDate": "2026-06-30"});
        },
        "AgreementEndDate: \"2026-06-30\" is before AgreementStartDate",
    ),
    (
        "offer pricing with a configurable term",
        Base::Offer,
        |v| {
            push(
                v,
                json!({"ChangeType": "UpdatePricingTerms", "Entity": {"Type": "Offer@1.0", "Identifier": "offer-4nd8kq2ws7x1z"},
            "DetailsDocument": {"PricingModel": "Contract", "Terms": [{"Type": "ConfigurableUpfrontPricingTerm"}]}}),
            );
        },
        "Terms[0].Type: \"ConfigurableUpfrontPricingTerm\" is not one of FixedUpfrontPricingTerm",
    ),
    (
        "country code in lower case",
        Base::Offer,
        |v| dd(v, 2)["PositiveTargeting"]["CountryCodes"] = json!(["us"]),
        "CountryCodes[0]: \"us\" is not an ISO 3166-1 alpha-2 code",
    ),
];

#[test]
fn every_broken_variant_fails_naming_its_problem() {
    let mut failures = Vec::new();
    for (name, base, breakit, expected) in BROKEN {
        let mut v = match base {
            Base::Ra => realistic_ra_request(),
            Base::Offer => realistic_offer_request(),
            Base::Installments => installments_request(),
        };
        breakit(&mut v);
        let errors = check_start_change_set(&v);
        if !errors.iter().any(|e| e.contains(expected)) {
            failures.push(format!("{name}: expected a message containing {expected:?}, got {errors:#?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} broken variants:\n{}", failures.len(), BROKEN.len(), failures.join("\n"));
}

#[test]
fn botocore_accepts_the_realistic_requests() {
    let checked = botocore_check(&[realistic_ra_request(), realistic_offer_request(), installments_request()]);
    let Some((ok, text)) = require(Tool::Botocore, checked) else { return };
    assert!(ok, "botocore rejected a realistic request:\n{text}");
    println!("{text}");
}

#[test]
fn botocore_rejects_a_broken_envelope() {
    let mut v = realistic_offer_request();
    v.as_object_mut().expect("object").remove("Catalog");
    v["DryRun"] = json!(true);
    let Some((ok, text)) = require(Tool::Botocore, botocore_check(&[v])) else { return };
    println!("{text}");
    assert!(!ok, "botocore accepted a request without Catalog:\n{text}");
    assert!(text.contains("Catalog") && text.contains("DryRun"), "botocore's message names neither problem:\n{text}");
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// Every string member named `key` anywhere in `v`.
fn strings_named<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match x.as_str() {
                    Some(s) if k == key => out.push(s),
                    _ => strings_named(x, key, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| strings_named(x, key, out)),
        _ => {}
    }
}

const GOOD_FIXTURES: &[&str] = &[
    "list-resale-authorizations.json",
    "list-resale-authorizations-page2.json",
    "list-offers.json",
    "describe-ra-contract.json",
    "describe-ra-one-time-no-buyer.json",
    "describe-ra-usage.json",
    "describe-ra-installments.json",
    "describe-ra-restricted.json",
    "describe-ra-multi-duration.json",
    "describe-ra-p12m-p36m.json",
    "describe-offer-draft.json",
    "describe-offer-released.json",
    "describe-all.json",
];

#[test]
fn fixtures_are_json_with_aws_forms() {
    let id = |s: &str, prefix: &str| {
        s.strip_prefix(prefix).is_some_and(|r| r.len() == 13 && r.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    let account = |s: &str| s.len() == 12 && s.chars().all(|c| c.is_ascii_digit());
    for name in GOOD_FIXTURES {
        let v = fixture(name);
        let mut found = Vec::new();
        for key in ["ProductId", "ResaleAuthorizationId", "EntityId", "Id"] {
            strings_named(&v, key, &mut found);
        }
        for s in found {
            let ok = ["prod-", "resaleauthz-", "offer-"].iter().any(|p| id(s, p))
                || s.starts_with("term-")
                || s.starts_with("rule-");
            assert!(ok, "{name}: id {s:?}");
        }
        let mut accounts = Vec::new();
        for key in ["ManufacturerAccountId", "ResellerAccountID", "ResellerAccountId", "AwsAccountId"] {
            strings_named(&v, key, &mut accounts);
        }
        for a in accounts {
            assert!(account(a), "{name}: account {a:?}");
        }
        let mut dates = Vec::new();
        for key in ["AvailabilityEndDate", "LastModifiedDate", "ReleaseDate"] {
            strings_named(&v, key, &mut dates);
        }
        for d in dates {
            assert!(d.len() == 20 && d.ends_with('Z') && d.as_bytes()[10] == b'T', "{name}: timestamp {d:?}");
        }
    }
    let all = fixture("describe-all.json");
    let all = all.as_array().expect("describe-all.json is an array");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws/describe-all.jsonl");
    let lines: Vec<Value> = std::fs::read_to_string(path)
        .expect("read describe-all.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON document"))
        .collect();
    assert_eq!(&lines, all, "describe-all.jsonl and describe-all.json hold the same documents");
    for name in ["describe-ra-contract.json", "describe-offer-draft.json", "describe-offer-released.json"] {
        assert!(all.contains(&fixture(name)), "describe-all.json holds {name}");
    }
    let truncated =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws/bad/truncated.json"))
            .expect("read bad/truncated.json");
    assert!(serde_json::from_str::<Value>(&truncated).is_err(), "bad/truncated.json must not parse");
    for name in
        ["bad/wrong-types.json", "bad/unknown-entity-type.json", "bad/bad-ids.json", "bad/date-without-zone.json"]
    {
        fixture(name);
    }
}

/// The offers' buyer prices are the contract authorization's wholesale prices times 1.10,
/// and they target accounts the authorization targets.
#[test]
fn offer_fixtures_agree_with_their_authorization() {
    let ra = fixture("describe-ra-contract.json");
    let ra_id =
        ra["EntityIdentifier"].as_str().and_then(|s| s.split('@').next()).expect("EntityIdentifier id@revision");
    let cents = |p: &Value| -> u64 {
        let s = p.as_str().expect("price string");
        let (i, f) = s.split_once('.').unwrap_or((s, "0"));
        i.parse::<u64>().expect("integer part") * 100 + format!("{f:0<2}")[..2].parse::<u64>().expect("cents")
    };
    let card = |doc: &Value| -> Vec<(String, u64)> {
        doc["DetailsDocument"]["Terms"][0]["RateCards"][0]["RateCard"]
            .as_array()
            .expect("rate card")
            .iter()
            .map(|r| (r["DimensionKey"].as_str().expect("key").to_string(), cents(&r["Price"])))
            .collect()
    };
    let ra_buyers: Vec<&str> = ra["DetailsDocument"]["Terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter(|t| t["Type"] == "BuyerTargetingTerm")
        .flat_map(|t| t["PositiveTargeting"]["BuyerAccounts"].as_array().expect("accounts"))
        .map(|a| a["AwsAccountId"].as_str().expect("account"))
        .collect();
    for name in ["describe-offer-draft.json", "describe-offer-released.json"] {
        let offer = fixture(name);
        let d = &offer["DetailsDocument"];
        assert_eq!(d["ResaleAuthorizationId"], ra_id, "{name}");
        assert_eq!(d["ProductId"], ra["DetailsDocument"]["ProductId"], "{name}");
        assert_eq!(d["MarkupPercentage"], "10.0", "{name}");
        let expected: Vec<(String, u64)> = card(&ra).into_iter().map(|(k, c)| (k, c * 110 / 100)).collect();
        assert_eq!(card(&offer), expected, "{name}: buyer prices are wholesale x 1.10");
        for a in d["Rules"][0]["PositiveTargeting"]["BuyerAccounts"].as_array().expect("offer accounts") {
            assert!(ra_buyers.contains(&a.as_str().expect("account string")), "{name}: {a} is not a buyer of the RA");
        }
    }
}
