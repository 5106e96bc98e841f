//! Every AWS-authored document of `tests/fixtures/aws/real/` (kept byte for byte; SOURCES.md
//! says where each comes from and what it must import as), imported on a fresh file as the
//! account that is its ISV or partner, and checked as a user meets it: `import --json`, then
//! `show --json` / `list --json`. A document cppo cannot import is asserted to skip with its
//! exact reason.

use crate::aws_cli;

use aws_cli::Cli;
use serde_json::{Value, json};

/// Every file of the folder, so that a new one needs a test here.
const FIXTURES: [&str; 20] = [
    "awsdoc-batchdescribe-resale-authorizations.json",
    "awsdoc-batchdescribe-saas-with-errors.jsonc",
    "awsdoc-describe-cppo-details-object.json",
    "awsdoc-describe-cppo-draft-no-state.json",
    "awsdoc-describe-ra-commented.jsonc",
    "awsdoc-describechangeset-cppo-create-succeeded.json",
    "awsdoc-describechangeset-ra-create-succeeded.json",
    "awssample-describechangeset-failed-client-error.json",
    "refcode-postman-describe-cppo-offer-markup.json",
    "refcode-postman-describe-private-offer-not-cppo.json",
    "refcode-postman-describe-ra-installments-detailsdocument.json",
    "refcode-postman-describechangeset-nulls.json",
    "refcode-postman-describechangeset-ra-create-succeeded.json",
    "refcode-postman-describechangeset-ra-pricing-installments-succeeded.json",
    "refcode-postman-describechangeset-ra-release-succeeded.json",
    "refcode-postman-describechangeset-ra-restrict-succeeded.json",
    "refcode-postman-list-offers-all.json",
    "refcode-postman-list-offers-private-filter.json",
    "refcode-postman-list-resale-authorizations.json",
    "refcode-startchangeset-request-ra-installments.json",
];

#[test]
fn every_real_document_has_a_test_here() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws/real");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| f.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "SOURCES.md")
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES);
}

/// `cppo --as ACCOUNT import --json ARGS` (files under `real/`), which must run: exit 0, or
/// 3 exactly when it skipped an entity or left one in conflict.
fn import(cli: &Cli, account: &str, args: &[&str]) -> Value {
    let mut all = vec!["--as", account, "import", "--json"];
    all.extend(args);
    let (code, out, err) = cli.run(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let refused = v["totals"]["skipped"].as_u64().unwrap() + v["totals"]["conflict"].as_u64().unwrap();
    assert_eq!(code, if refused > 0 { 3 } else { 0 }, "{err}");
    v
}

/// `cppo --as ACCOUNT ARGS --json`.
fn json(cli: &Cli, account: &str, args: &[&str]) -> Value {
    let mut all = vec!["--as", account];
    all.extend(args);
    all.push("--json");
    let (code, out, err) = cli.run(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// A fresh file holding `account` (as ISV and partner), for inputs that do not name it.
fn with_account(account: &str) -> Cli {
    let cli = Cli::new();
    let (code, _, err) = cli.run(&["accounts", "add", account, "--name", "Seller", "--isv", "--partner"]);
    assert_eq!(code, 0, "{err}");
    cli
}

/// Each entity's (id, outcome, reason).
fn outcomes(report: &Value) -> Vec<(Value, String, Value)> {
    report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].clone(), e["outcome"].as_str().unwrap().to_owned(), e["reason"].clone()))
        .collect()
}

fn skipped(id: Option<&str>, reason: &str) -> (Value, String, Value) {
    (json!(id), "skipped".into(), json!(reason))
}

/// AWS's syntax samples put an installment plan (a P180D fixed upfront term with its grant
/// and schedule) beside a P24M per-unit rate card; cppo holds an installment plan for one
/// duration alone (a decision: both at once is a syntax sample's, not a seller's).
const SEVERAL_DURATIONS: &str =
    "Duration is P180D beside a rate card for P24M: cppo holds granted units for one duration alone";

#[test]
fn the_bare_details_document_of_awss_sample_imports_named_with_its_id() {
    let file = "real/refcode-postman-describe-ra-installments-detailsdocument.json";
    let cli = Cli::new();
    let report = import(&cli, "045694257970", &[file]);
    assert_eq!(
        outcomes(&report),
        [skipped(None, "a bare DetailsDocument has no id: name it with --id resaleauthz-...")]
    );
    assert_eq!(cli.held(), (0, 0, 0));

    let report = import(&cli, "045694257970", &["--id", "resaleauthz-1234567890", file]);
    assert_eq!(outcomes(&report), [(json!("resaleauthz-1234567890"), "created".into(), Value::Null)]);
    let ra = json(&cli, "045694257970", &["opportunities", "show", "resaleauthz-1234567890"]);
    for (key, want) in [
        ("name", json!("DemoResaleAuthorization")),
        ("description", json!("Demo Resale Authorization Description")),
        ("product_id", json!("prod-1234567890")),
        ("isv_account_id", json!("045694257970")),
        ("partner_account_id", json!("205695857470")),
        ("state", json!("active")),
        ("kind", json!("one_time")),
        ("ends_on", json!("2024-12-12")),
        ("created_on", json!("2024-10-07")),
        ("offers_created", json!(0)),
        ("buyer_account_ids", json!([])),
        ("currency", json!("USD")),
        ("duration", json!("P12M")),
        ("renewal", json!(false)),
        ("eula", json!("Standard Contract for AWS Marketplace")),
        (
            "installments",
            json!([{"amount": "30.00", "due_on": "2025-01-01"}, {"amount": "30.00", "due_on": "2025-01-15"}]),
        ),
    ] {
        assert_eq!(ra[key], want, "{key}");
    }
    let prices: Vec<(&str, &str, Value)> = ra["prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["dimension"].as_str().unwrap(), p["wholesale_price"].as_str().unwrap(), p["granted_units"].clone()))
        .collect();
    assert_eq!(
        prices,
        [
            ("dimension_1_id", "0.00", json!(22000)),
            ("dimension_2_id", "0.00", json!(22000)),
            ("dimension_3_id", "0.00", json!(22000)),
            ("metered_1_id", "0.001", Value::Null),
            ("metered_2_id", "0.001", Value::Null),
            ("metered_3_id", "0.001", Value::Null),
        ]
    );
    let names: Vec<(Value, Value)> = json(&cli, "045694257970", &["accounts", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].clone(), a["name"].clone()))
        .collect();
    assert_eq!(
        names,
        [
            (json!("045694257970"), json!("Test Company-tasriami")),
            (json!("205695857470"), json!("AWSMP CP Test Account"))
        ]
    );
    // The partner sees it too.
    let seen = json(&cli, "205695857470", &["opportunities", "show", "resaleauthz-1234567890"]);
    assert_eq!(seen["seen_as"], "partner");
}

#[test]
fn an_id_for_anything_but_one_bare_document_is_refused_and_nothing_written() {
    let cli = Cli::new();
    let bare = "real/refcode-postman-describe-ra-installments-detailsdocument.json";
    let (code, _, err) = cli.run(&["--as", "045694257970", "import", "--id", "resaleauthz-1234567890", bare, bare]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "--id resaleauthz-1234567890 names the entity of one bare DetailsDocument: give a single file (2 given)"
        ),
        "{err}"
    );
    let (code, _, err) = cli.run(&[
        "--as",
        "123456789012",
        "import",
        "--id",
        "resaleauthz-123456789",
        "real/awsdoc-describe-ra-commented.jsonc",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("names the entity of a bare DetailsDocument or the agreement of a get-agreement-terms answer, but this input has neither: drop --id"), "{err}");
    assert_eq!(cli.held(), (0, 0, 0));
}

#[test]
fn awss_commented_authorization_reads_and_stops_only_at_its_two_durations() {
    // The comments no longer stop the read; the P24M rate card beside the P180D
    // installment plan does.
    let cli = Cli::new();
    let report = import(&cli, "123456789012", &["real/awsdoc-describe-ra-commented.jsonc"]);
    assert_eq!(
        outcomes(&report),
        [skipped(Some("resaleauthz-123456789"), &format!("DetailsDocument.Terms[3].{SEVERAL_DURATIONS}"))]
    );
}

#[test]
fn awss_batch_of_two_authorizations_reads_both_ids_and_stops_at_their_two_durations() {
    let cli = Cli::new();
    let report = import(&cli, "123456789012", &["real/awsdoc-batchdescribe-resale-authorizations.json"]);
    let reason = format!("DetailsDocument.Terms[2].{SEVERAL_DURATIONS}");
    assert_eq!(
        outcomes(&report),
        [skipped(Some("resaleauthz-example123"), &reason), skipped(Some("resaleauthz-example456"), &reason)]
    );
}

#[test]
fn awss_batch_with_a_trailing_comma_reads_and_skips_the_product_and_the_error() {
    let cli = Cli::new();
    let report = import(&cli, "123456789012", &["real/awsdoc-batchdescribe-saas-with-errors.jsonc"]);
    assert_eq!(
        outcomes(&report),
        [
            skipped(Some("example-123-abcd"), "SaaSProduct@1.0 is not a resale authorization or an offer"),
            skipped(Some("example-456-abcd"), "ResourceNotFound Requested entity 'example-456-abcd' does not exist."),
        ]
    );
}

#[test]
fn awss_cppo_describes_take_the_entity_identifier_and_wait_for_their_authorization() {
    for (file, partner, id, ra) in [
        (
            "refcode-postman-describe-cppo-offer-markup.json",
            "111111111111",
            "offer-1234567890",
            "resaleauthz-111111111111",
        ),
        ("awsdoc-describe-cppo-draft-no-state.json", "444555666777", "offer-a5EXAMPLEwzpu", "resaleauthz-123456789"),
        ("awsdoc-describe-cppo-details-object.json", "446235747164", "offer-a5oEXAMPLEzpu", "resaleauthz-123456789"),
    ] {
        let cli = with_account(partner);
        let report = import(&cli, partner, &[&format!("real/{file}")]);
        let reason = format!("its resale authorization {ra} is not in cppo: import its describe-entity first");
        assert_eq!(outcomes(&report), [skipped(Some(id), &reason)], "{file}");
        assert_eq!(cli.held().2, 0);
    }
}

#[test]
fn awss_direct_private_offer_is_skipped_as_not_a_cppo() {
    let cli = with_account("111111111111");
    let report = import(&cli, "111111111111", &["real/refcode-postman-describe-private-offer-not-cppo.json"]);
    assert_eq!(
        outcomes(&report),
        [skipped(
            Some("offer-1234567890"),
            "DetailsDocument.ResaleAuthorizationId is missing: an offer not made from a resale authorization is not a channel partner offer"
        )]
    );
}

#[test]
fn awss_list_of_authorizations_imports_both_summaries_whatever_their_ids() {
    let cli = Cli::new();
    let report = import(&cli, "111111111111", &["real/refcode-postman-list-resale-authorizations.json"]);
    let created = |id: &str| (json!(id), "created".to_owned(), Value::Null);
    assert_eq!(
        outcomes(&report),
        [created("resaleauthz-resaleauthz-111111111111"), created("resaleauthz-222222222222")]
    );
    let list = json(&cli, "111111111111", &["opportunities", "list"]);
    let rows: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            json!([
                o["id"],
                o["name"],
                o["aws_status"],
                o["product_id"],
                o["isv_account_id"],
                o["partner_account_id"],
                o["ends_on"],
                o["summary_only"]
            ])
        })
        .collect();
    let row = |id: &str, name: &str| {
        json!([id, name, "Active", "prod-11111111111", "111111111111", "222222222222", "2099-12-31", true])
    };
    assert_eq!(
        rows,
        [
            row("resaleauthz-222222222222", "ResaleAgreementTwinkleTesting"),
            row("resaleauthz-resaleauthz-111111111111", "test")
        ]
    );
    let accounts = json(&cli, "111111111111", &["accounts", "list"]);
    assert_eq!(accounts[0]["name"], "ChannelCP.Inc");
    assert_eq!(accounts[1]["name"], "ChannelISV.Inc");
}

#[test]
fn awss_lists_of_offers_import_their_summaries_with_the_product_ids_aws_wrote() {
    for (file, rows) in [
        (
            "refcode-postman-list-offers-all.json",
            json!([
                [
                    "offer-0987654321",
                    "CAPI Integ Test Product (AMI Discount) Test Offer",
                    "resaleauthz-222222222222",
                    "product-222222222222",
                    "2025-07-01",
                    "Expired"
                ],
                [
                    "offer-1234567890",
                    "CAPI Integ Test Product (SAAS) Test Offer",
                    "resaleauthz-111111111111",
                    "product-111111111111",
                    "2025-07-01",
                    "Expired"
                ],
            ]),
        ),
        (
            "refcode-postman-list-offers-private-filter.json",
            json!([
                [
                    "offer-0987654321",
                    "CAPI-ABO-contract-fps",
                    "resaleauthz-1111111111111",
                    "product-111111111111",
                    "2025-07-01",
                    "Expired"
                ],
                [
                    "offer-1234567890",
                    "CAPI Integ Test Product (AMI Custom Price) Test Offer",
                    "resaleauthz-1111111111111",
                    "product-111111111111",
                    "2040-12-25",
                    "Active"
                ],
            ]),
        ),
    ] {
        let cli = with_account("111111111111");
        let report = import(&cli, "111111111111", &[&format!("real/{file}")]);
        assert!(outcomes(&report).iter().all(|(_, o, _)| o == "created"), "{file}: {report}");
        let list = json(&cli, "111111111111", &["offers", "list"]);
        let got: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|o| json!([o["id"], o["name"], o["opportunity_id"], o["product_id"], o["expires_on"], o["status"]]))
            .collect();
        assert_eq!(json!(got), rows, "{file}");
        assert!(list.as_array().unwrap().iter().all(|o| o["aws_status"] == "Released" && o["summary_only"] == true));
    }
}

#[test]
fn awss_change_set_answers_read_and_are_skipped_as_not_cppos_exports() {
    let not_ours = |id: &str, status: &str, name: &str| {
        format!(
            "change set {id} ({status}) was not written by `cppo export` (its name is `{name}`): cppo links only the records it exported"
        )
    };
    for (file, id, status, name) in [
        (
            "awsdoc-describechangeset-cppo-create-succeeded.json",
            "example123456789012abcdef",
            "SUCCEEDED",
            "Submitted by 123456789012",
        ),
        (
            "awsdoc-describechangeset-ra-create-succeeded.json",
            "example123456789012abcdef",
            "SUCCEEDED",
            "Submitted by 123456789012",
        ),
        (
            "awssample-describechangeset-failed-client-error.json",
            "<CHANGE_SET_ID>",
            "FAILED",
            "Submitted by <AWS_ACCOUNT_ID>",
        ),
        ("refcode-postman-describechangeset-nulls.json", "test_ChangeSetId", "SUCCEEDED", "Submitted by 111111111111"),
        (
            "refcode-postman-describechangeset-ra-create-succeeded.json",
            "test_ChangeSetId",
            "SUCCEEDED",
            "Submitted by 111111111111",
        ),
        (
            "refcode-postman-describechangeset-ra-pricing-installments-succeeded.json",
            "test_ChangeSetId",
            "SUCCEEDED",
            "Submitted by 111111111111",
        ),
        (
            "refcode-postman-describechangeset-ra-release-succeeded.json",
            "test_ChangeSetId",
            "SUCCEEDED",
            "Submitted by 111111111111",
        ),
        (
            "refcode-postman-describechangeset-ra-restrict-succeeded.json",
            "test_ChangeSetId",
            "SUCCEEDED",
            "Submitted by 111111111111",
        ),
    ] {
        let cli = with_account("111111111111");
        let report = import(&cli, "111111111111", &[&format!("real/{file}")]);
        assert_eq!(outcomes(&report), [skipped(Some(id), &not_ours(id, status, name))], "{file}");
    }
    let cli = with_account("111111111111");
    let report = import(&cli, "111111111111", &["real/refcode-startchangeset-request-ra-installments.json"]);
    assert_eq!(
        outcomes(&report),
        [skipped(
            None,
            "a StartChangeSet request (what `cppo export` writes), not AWS's answer: submit it with `aws marketplace-catalog start-change-set`, then import describe-change-set's answer"
        )]
    );
}
