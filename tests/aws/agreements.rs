//! Agreements from AWS's Agreement API (issue 20): the reader on each answer's shape
//! (search-agreements with its nextToken, describe-agreement, get-agreement-terms; both
//! timestamp forms; a null end time), and through the CLI on a temporary file: import, list
//! and show with AWS's status word, the renewal radar (`--ending-within`), and who may import.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{NaiveDate, TimeZone, Utc};
use cppo::aws::import::{Entry, read};
use cppo::domain::aws_agreement::AwsAgreementStatus;
use serde_json::Value;

const PARTNER: &str = "420061735518";
const ISV: &str = "590183746201";
const BUYER: &str = "381904526617";
const STRANGER: &str = "999999999999";
const TODAY: &str = "2026-11-30";
const HELD: &str = "agmt-4nd8kq2ws7x1zrenew0000001";
const NOT_HELD: &str = "agmt-7zz0nn3kd1u5qother00000002";
const PAYG: &str = "agmt-9pg4payasyougo0000000003";
const REPLACED: &str = "agmt-1ex5expired00000000000004";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws").join(name)
}

fn read_fixture(name: &str) -> Vec<Entry> {
    read(name, &std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

// ---- the reader ----

#[test]
fn search_agreements_reads_each_summary_with_both_timestamp_forms_and_a_null_end() {
    let entries = read_fixture("agreements/search-agreements.json");
    assert_eq!(entries.len(), 4);
    let Entry::Agreement(answer) = &entries[0] else { panic!("{:?}", entries[0]) };
    let a = &answer.agreement;
    assert_eq!(a.id.as_str(), HELD);
    assert_eq!(a.offer_id.as_deref(), Some("offer-4nd8kq2ws7x1z"));
    assert_eq!((a.proposer.as_str(), a.acceptor.as_str()), (PARTNER, BUYER));
    assert_eq!(a.status, AwsAgreementStatus::Active);
    assert_eq!(a.product_id.as_deref(), Some("prod-7fk2qv9xw3m4a"));
    // `...594Z`: fractions with Z.
    let z = Utc.with_ymd_and_hms(2026, 12, 20, 18, 2, 11).unwrap() + chrono::Duration::milliseconds(594);
    assert_eq!(a.ends_at, Some(z));
    assert_eq!(a.value, None, "a summary carries no estimatedCharges");
    // The page says more follow: each of its agreements notes it.
    assert!(answer.notes.iter().any(|n| n.contains("nextToken")), "{:?}", answer.notes);

    let Entry::Agreement(b) = &entries[1] else { panic!("{:?}", entries[1]) };
    // `...232000-08:00`: microseconds and an offset, kept in UTC (the next day there).
    let end = b.agreement.ends_at.unwrap();
    assert_eq!(end.date_naive(), NaiveDate::from_ymd_opt(2027, 2, 16).unwrap());
    assert_eq!(end.to_rfc3339(), "2027-02-16T07:59:59.232+00:00");

    let Entry::Agreement(c) = &entries[2] else { panic!("{:?}", entries[2]) };
    assert_eq!(c.agreement.ends_at, None, "pay-as-you-go");
    let Entry::Agreement(d) = &entries[3] else { panic!("{:?}", entries[3]) };
    assert_eq!(d.agreement.status, AwsAgreementStatus::Replaced);
}

#[test]
fn describe_agreement_reads_its_estimated_charges() {
    let entries = read_fixture("agreements/describe-agreement.json");
    let [Entry::Agreement(answer)] = entries.as_slice() else { panic!("{entries:?}") };
    let a = &answer.agreement;
    assert_eq!(a.value.map(|v| v.to_plain()), Some("96000.00".into()));
    assert_eq!(a.value.unwrap().currency().code(), "USD");
    assert!(answer.notes.is_empty());
}

#[test]
fn agreement_terms_need_their_agreement_named() {
    let text = std::fs::read_to_string(fixture("agreements/get-agreement-terms.json")).unwrap();
    let entries = read("terms.json", &text).unwrap();
    let [Entry::Skipped { reason, .. }] = entries.as_slice() else { panic!("{entries:?}") };
    assert!(reason.contains("--id agmt-"), "{reason}");

    let mut entries = Vec::new();
    cppo::aws::import::read_bare("terms.json", &text, HELD, &mut entries).unwrap();
    let [Entry::AgreementTerms(t)] = entries.as_slice() else { panic!("{entries:?}") };
    assert_eq!(t.id.as_str(), HELD);
    let days: Vec<String> = t.charges.iter().map(|c| format!("{} {}", c.due_on, c.amount.to_plain())).collect();
    // The third charge's midnight at -07:00 is 07:00 UTC the same day.
    assert_eq!(days, ["2025-12-20 32000.00", "2026-04-20 32000.00", "2026-08-20 32000.00"]);
}

#[test]
fn a_bad_agreement_is_skipped_with_its_field_named() {
    let doc = r#"{"agreementViewSummaries": [
        {"agreementId": "agmt-aaaaaaaaaaaaaaaaaaaaaaaaa", "status": "PAUSED",
         "proposer": {"accountId": "420061735518"}, "acceptor": {"accountId": "381904526617"}},
        {"agreementId": "agmt-bbbbbbbbbbbbbbbbbbbbbbbbb", "status": "ACTIVE", "endTime": "2026-01-01",
         "proposer": {"accountId": "420061735518"}, "acceptor": {"accountId": "381904526617"}},
        {"agreementId": "agmt-ccccccccccccccccccccccccc", "status": "ACTIVE",
         "acceptor": {"accountId": "381904526617"}}
    ]}"#;
    let reasons: Vec<String> = read("s.json", doc)
        .unwrap()
        .into_iter()
        .map(|e| match e {
            Entry::Skipped { reason, .. } => reason,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(reasons[0].contains("`PAUSED` is not one of AWS's agreement statuses"), "{}", reasons[0]);
    assert!(reasons[1].contains("agreementViewSummaries[1].endTime"), "{}", reasons[1]);
    assert!(reasons[2].contains("agreementViewSummaries[2].proposer is missing"), "{}", reasons[2]);
}

#[test]
fn awss_own_sample_response_is_not_json_and_says_where() {
    let name = "agreements/real/awsdoc-searchagreements-sample-response.jsonc";
    let e = read(name, &std::fs::read_to_string(fixture(name)).unwrap()).unwrap_err();
    assert_eq!(e.line, 11, "{e}");
    assert!(e.message.contains("not valid JSON"), "{e}");
}

// ---- through the CLI ----

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Env {
    /// A file holding AWS's catalog book as its partner imported it (the offer
    /// offer-4nd8kq2ws7x1z to 381904526617, from the ISV 590183746201).
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let env = Self { db: dir.path().join("cppo.db"), _dir: dir };
        let out = env.run(PARTNER, &["import", fixture("describe-all.json").to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        env
    }

    fn run(&self, actor: &str, args: &[&str]) -> Out {
        let o = Command::cargo_bin("cppo")
            .unwrap()
            .env_clear()
            .env("HOME", self.db.parent().unwrap())
            .args(["--db", self.db.to_str().unwrap(), "--now", TODAY, "--as", actor])
            .args(args)
            .output()
            .unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn json(&self, actor: &str, args: &[&str]) -> Value {
        let out = self.run(actor, &[args, &["--json"]].concat());
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    }

    /// Imports search + describe + terms as the partner.
    fn import_agreements(&self) -> Value {
        let search = fixture("agreements/search-agreements.json");
        let describe = fixture("agreements/describe-agreement.json");
        let report = self.json(PARTNER, &["import", search.to_str().unwrap(), describe.to_str().unwrap()]);
        let terms = fixture("agreements/get-agreement-terms.json");
        let t = self.json(PARTNER, &["import", terms.to_str().unwrap(), "--id", HELD]);
        assert_eq!(t["entities"][0]["outcome"], "updated", "{t:#}");
        report
    }
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect()
}

#[test]
fn agreements_import_from_search_describe_and_terms_whether_or_not_their_offer_is_held() {
    let env = Env::new();
    let report = env.import_agreements();
    let lines = report["entities"].as_array().unwrap();
    let outcome = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap();
    assert_eq!(outcome(NOT_HELD)["outcome"], "created");
    assert_eq!(outcome(NOT_HELD)["kind"], "agreement");
    let notes = outcome(NOT_HELD)["notes"].to_string();
    assert!(notes.contains("offer not imported: offer-3mq8zn1vb6x2k is not in cppo"), "{notes}");
    assert!(outcome(PAYG)["notes"].to_string().contains("pay-as-you-go"), "{:#}", outcome(PAYG));

    let held = env.json(PARTNER, &["agreements", "show", HELD]);
    assert_eq!(held["source"], "aws");
    assert_eq!(held["status"], "ACTIVE");
    assert_eq!(held["offer_imported"], true);
    assert_eq!(held["isv_account_id"], ISV, "the ISV comes through the held offer");
    assert_eq!(held["buyer_account_id"], BUYER);
    assert_eq!(held["starts_on"], "2025-12-20");
    assert_eq!(held["ends_on"], "2026-12-20");
    assert_eq!(held["total"], "96000.00", "describe-agreement's value stays after the summary");
    assert_eq!(held["charges"].as_array().unwrap().len(), 3);
    assert_eq!(held["charges"][1]["amount"], "32000.00");

    let other = env.json(PARTNER, &["agreements", "show", NOT_HELD]);
    assert_eq!((other["offer_imported"].clone(), other["isv_account_id"].clone()), (false.into(), Value::Null));
    assert_eq!(other["charges"], serde_json::json!([]), "no terms imported: no charges");
    let payg = env.json(PARTNER, &["agreements", "show", PAYG]);
    assert_eq!((payg["ends_on"].clone(), payg["pay_as_you_go"].clone()), (Value::Null, true.into()));
    assert_eq!(env.json(PARTNER, &["agreements", "show", REPLACED])["status"], "REPLACED");

    // The text list: AWS's status in the words every status is shown in (the JSON keeps
    // AWS's), the offer not imported, pay-as-you-go.
    let text = env.run(PARTNER, &["agreements", "list"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("Replaced") && !text.stdout.contains("REPLACED"), "{}", text.stdout);
    assert!(text.stdout.contains("offer-3mq8zn1vb6x2k (offer not imported)"), "{}", text.stdout);
    assert!(text.stdout.contains("pay-as-you-go"), "{}", text.stdout);
    let show = env.run(PARTNER, &["agreements", "show", HELD]);
    assert!(show.stdout.contains("Active (AWS)") && show.stdout.contains("2026-08-20"), "{}", show.stdout);

    // The ISV sees the agreement of its offer, without the buyer's price; the buyer sees it all.
    let isv = env.json(ISV, &["agreements", "show", HELD]);
    assert_eq!((isv["seen_as"].clone(), isv.get("total").cloned()), ("isv".into(), None));
    assert_eq!(isv["charges"], serde_json::json!([]));
    assert_eq!(env.json(BUYER, &["agreements", "show", HELD])["total"], "96000.00");
    assert_eq!(ids(&env.json(ISV, &["agreements", "list"])), [HELD]);

    // Importing the same answers again changes nothing.
    let again = env.json(PARTNER, &["import", fixture("agreements/search-agreements.json").to_str().unwrap()]);
    assert!(again["entities"].as_array().unwrap().iter().all(|l| l["outcome"] == "unchanged"), "{again:#}");
}

#[test]
fn the_radar_lists_active_agreements_ending_within_the_window_soonest_first() {
    let env = Env::new();
    env.import_agreements();
    // HELD ends 2026-12-20 (20 days); NOT_HELD 2027-02-16 UTC (78 days); PAYG never;
    // REPLACED is not active.
    let within_30 = env.json(PARTNER, &["agreements", "list", "--ending-within", "30"]);
    assert_eq!(ids(&within_30), [HELD]);
    assert_eq!(within_30[0]["ends_in_days"], 20);
    assert_eq!(within_30[0]["renewal"], "none");
    assert_eq!(within_30[0]["status"], "ACTIVE");
    let within_90 = env.json(PARTNER, &["agreements", "list", "--ending-within", "90"]);
    assert_eq!(ids(&within_90), [HELD, NOT_HELD]);
    assert_eq!(within_90[1]["ends_in_days"], 78);

    let text = env.run(PARTNER, &["agreements", "list", "--ending-within", "90"]);
    let rows: Vec<&str> = text.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", text.stdout);
    assert!(
        rows[0].contains(HELD) && rows[0].contains("20 days") && rows[0].contains("no replacement offer yet"),
        "{}",
        rows[0]
    );

    let bad = env.run(PARTNER, &["agreements", "list", "--ending-within", "ninety"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn another_accounts_agreement_is_skipped_and_a_held_one_stays_hidden() {
    let env = Env::new();
    let search = fixture("agreements/search-agreements-other-party.json");
    let out = env.run(PARTNER, &["import", search.to_str().unwrap()]);
    assert_eq!(out.code, 3, "skipped: {}", out.stderr);
    assert!(out.stdout.contains("skipped") && out.stdout.contains("not a party of"), "{}", out.stdout);
    let list = env.json(PARTNER, &["agreements", "list"]);
    assert_eq!(list, serde_json::json!([]), "nothing was written");

    env.import_agreements();
    // A stranger's input naming itself as the held agreement's proposer: the stored record decides.
    let forged = std::fs::read_to_string(fixture("agreements/search-agreements.json"))
        .unwrap()
        .replace(&format!("\"accountId\": \"{PARTNER}\""), &format!("\"accountId\": \"{STRANGER}\""));
    let path = env.db.parent().unwrap().join("forged.json");
    std::fs::write(&path, forged).unwrap();
    let out = env.run(STRANGER, &["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.code, 3, "skipped: {}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let held = report["entities"].as_array().unwrap().iter().find(|l| l["id"] == HELD).unwrap();
    assert_eq!(held["outcome"], "skipped", "{held:#}");
    assert!(held["reason"].as_str().unwrap().contains("another account's record"), "{held:#}");
    let shown = env.run(STRANGER, &["agreements", "show", HELD]);
    assert_eq!(shown.code, 1, "{}", shown.stdout);
    assert_eq!(env.json(PARTNER, &["agreements", "show", HELD])["partner_account_id"], PARTNER);
}

#[test]
fn an_imported_agreement_is_not_financed_in_cppo_and_its_party_hears_why() {
    let env = Env::new();
    env.import_agreements();
    let args = ["agreements", "finance", HELD, "--provider", "Fincap Lending", "--months", "12"];
    let refused = env.run(BUYER, &args);
    assert_eq!((refused.code, refused.stdout.as_str()), (1, ""));
    assert!(refused.stderr.contains("imported from AWS, which bills it"), "{}", refused.stderr);
    // Someone who is not a party hears only "not found", as for any agreement it may not see.
    let stranger = env.run("999999999999", &args);
    assert_eq!(stranger.code, 1);
    assert!(stranger.stderr.contains("does not exist") || stranger.stderr.contains("not found"), "{}", stranger.stderr);
    assert!(env.json(BUYER, &["agreements", "show", HELD]).get("financing").is_none());
}

#[test]
fn the_partner_replaces_an_agreement_aws_holds_and_its_buyer_accepts_on_aws() {
    let env = Env::new();
    env.import_agreements();
    let replace = |actor: &str, agreement: &str| {
        env.run(
            actor,
            &[
                "offers",
                "create",
                "--replaces",
                agreement,
                "--opportunity",
                "resaleauthz-5tq8wz2kd7n3c",
                "--markup",
                "8",
                "--expires",
                "2026-12-18",
                "--ends",
                "2027-12-20",
                "--name",
                "Insights renewal 2027",
                "--quantity",
                "seats=80",
                "--release",
            ],
        )
    };
    // Only Active, only by its proposer, as AWS checks.
    let replaced = replace(PARTNER, REPLACED);
    assert_eq!(replaced.code, 1, "{}", replaced.stdout);
    assert!(replaced.stderr.contains("is Replaced: only an Active agreement can be replaced"), "{}", replaced.stderr);
    let by_isv = replace(ISV, HELD);
    assert_ne!(by_isv.code, 0);
    assert!(by_isv.stderr.contains("only 420061735518, the partner who proposed"), "{}", by_isv.stderr);
    // The partner's: the buyer is the agreement's, the product the one its offer sells.
    let made = replace(PARTNER, HELD);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let offer = made.stdout.trim().to_owned();
    let shown = env.json(PARTNER, &["offers", "show", &offer]);
    assert_eq!(
        (shown["buyer_account_id"].as_str(), shown["replaces_agreement_id"].as_str()),
        (Some(BUYER), Some(HELD)),
        "{shown:#}"
    );
    // The radar says it is released, to the partner and to the buyer.
    for who in [PARTNER, BUYER] {
        let radar = env.json(who, &["agreements", "list", "--ending-within", "30"]);
        assert_eq!((radar[0]["id"].as_str(), radar[0]["renewal"].as_str()), (Some(HELD), Some("released")), "{who}");
    }
    // Its export names AWS's agreement, the one AWS replaces.
    let out = env.db.parent().unwrap().join("renewal.json");
    let export = env.run(PARTNER, &["export", &offer, "--out", out.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let cs: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(cs["ChangeSet"][0]["ChangeType"], "CreateReplacementOfferUsingResaleAuthorization");
    assert_eq!(cs["ChangeSet"][0]["DetailsDocument"]["AgreementId"], HELD);
    // The buyer accepts it on AWS, not here: AWS makes the new agreement.
    let accept = env.run(BUYER, &["offers", "accept", &offer]);
    assert_eq!(accept.code, 1, "{}", accept.stdout);
    assert!(accept.stderr.contains("the buyer accepts it on AWS"), "{}", accept.stderr);
    assert_eq!(env.json(BUYER, &["agreements", "show", HELD])["status"], "ACTIVE", "nothing written");
}
