//! `cppo pull` and `cppo push` against a fake AWS on 127.0.0.1 (`tests/support/fake_aws.rs`),
//! through the real binary and the real AWS SDK: `AWS_ENDPOINT_URL` points the SDK at the
//! fake, static credentials in the environment sign as an account (`AKID` + its 12 digits),
//! and nothing reaches the internet (no instance metadata either). The fake serves the
//! fixtures' documents, pages two at a time, and fails as it is told.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::aws_cli::fixture;
use crate::env::{Env, Out};
use crate::fake_aws::{FakeAws, Outcome};

const ISV: &str = "590183746201";
pub(super) const PARTNER: &str = "420061735518";
pub(super) const CONTOSO: &str = "381904526617";
pub(super) const TODAY: &str = "2026-11-30";
pub(super) const CONTRACT_RA: &str = "resaleauthz-5tq8wz2kd7n3c";
const DRAFT_OFFER: &str = "offer-9rk3zt6mw1p4c";
const RELEASED_OFFER: &str = "offer-4nd8kq2ws7x1z";
const AGREEMENT: &str = "agmt-4nd8kq2ws7x1zrenew0000001";

/// The AWS SDK's variables a run must not take from the machine it runs on.
pub(super) const AWS_VARS: [&str; 16] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_DISABLED",
];

/// The partner's book on AWS: the fixtures' authorizations, its two offers, an agreement.
pub(super) fn book() -> FakeAws {
    let fake = FakeAws::start();
    for name in [
        "describe-ra-contract.json",
        "describe-ra-one-time-no-buyer.json",
        "describe-ra-usage.json",
        "describe-ra-restricted.json",
        "describe-offer-draft.json",
        "describe-offer-released.json",
    ] {
        fake.put(serde_json::from_str(&fixture(name)).unwrap());
    }
    let describe: Value = serde_json::from_str(&fixture("agreements/describe-agreement.json")).unwrap();
    let terms: Value = serde_json::from_str(&fixture("agreements/get-agreement-terms.json")).unwrap();
    fake.put_agreement(describe, Some(terms));
    fake
}

/// `cppo --as ACCOUNT ARGS` with the fake as AWS and `account`'s static credentials (none
/// when `account` is empty).
pub(super) fn command(env: &Env, fake: &FakeAws, account: &str, args: &[&str]) -> std::process::Command {
    let mut c = env.std_command(TODAY);
    for v in AWS_VARS {
        c.env_remove(v);
    }
    c.env("AWS_ENDPOINT_URL", &fake.url).env("AWS_EC2_METADATA_DISABLED", "true").env("AWS_MAX_ATTEMPTS", "3");
    if !account.is_empty() {
        c.env("AWS_ACCESS_KEY_ID", format!("AKID{account}")).env("AWS_SECRET_ACCESS_KEY", "fake-secret-key");
        c.args(["--as", account]);
    }
    c.args(args);
    c
}

pub(super) fn run(env: &Env, fake: &FakeAws, account: &str, args: &[&str]) -> Out {
    let o = command(env, fake, account, args).output().expect("run cppo");
    Out {
        code: o.status.code().expect("cppo exited by a signal"),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

pub(super) fn ok_json(env: &Env, fake: &FakeAws, account: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let o = run(env, fake, account, &a);
    assert_eq!(o.code, 0, "cppo {a:?}: {o:?}");
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("cppo {a:?}: not JSON ({e}): {}", o.stdout))
}

/// Each entity's (id, outcome) in an import's or a pull's JSON report.
pub(super) fn outcomes(report: &Value) -> Vec<(String, String)> {
    report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap_or("-").to_owned(), e["outcome"].as_str().unwrap().to_owned()))
        .collect()
}

fn outcome_of(report: &Value, id: &str) -> String {
    outcomes(report).into_iter().find(|(i, _)| i == id).map(|(_, o)| o).unwrap_or_else(|| panic!("{id}: {report:#}"))
}

/// Every row of every table of the file, to prove that a run wrote nothing.
pub(super) fn dump(env: &Env) -> Vec<String> {
    if !env.db.exists() {
        return Vec::new();
    }
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rows = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
            rows.push(format!("{t}: {}", cells.join(" | ")));
        }
    }
    rows
}

/// The partner's draft offer to Contoso from `opportunity`: its markup, expiry and quantity.
fn draft_offer(
    env: &Env,
    fake: &FakeAws,
    opportunity: &str,
    name: &str,
    [markup, expires, quantity]: [&str; 3],
) -> Out {
    let args = ["offers", "create", "--opportunity", opportunity, "--buyer", CONTOSO, "--markup", markup];
    run(env, fake, PARTNER, &[&args[..], &["--expires", expires, "--name", name, "--quantity", quantity]].concat())
}

fn ids(env: &Env, fake: &FakeAws, account: &str, list: &[&str]) -> Vec<String> {
    let v = ok_json(env, fake, account, list);
    v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_first_pull_into_an_empty_file_brings_the_partners_book_through_every_page() {
    let (env, fake) = (Env::new(), book());
    fake.throttle("ListEntities", 1); // retried by the SDK with backoff
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(r["since"], Value::Null, "{r:#}");
    assert_eq!(r["read"], json!({"resale_authorizations": 4, "offers": 2, "agreements": 1, "offers_not_cppo": 0}));
    for id in [CONTRACT_RA, DRAFT_OFFER, RELEASED_OFFER, AGREEMENT] {
        assert_eq!(outcome_of(&r, id), "created", "{id}: {r:#}");
    }
    assert!(r["watermark"].as_str().is_some_and(|w| w.starts_with("2026-11-27T16:40:00")), "{r:#}");
    // Pages of two: both listings of authorizations, the offers', and the batches.
    let ops = fake.operations();
    assert!(ops.iter().filter(|o| *o == "ListEntities").count() >= 5, "{ops:?}");
    assert_eq!(fake.bodies("BatchDescribeEntities").len(), 2, "four authorizations and two offers in batches of 20");
    assert!(ops.contains(&"DescribeAgreement".to_owned()) && ops.contains(&"GetAgreementTerms".to_owned()));

    let offers = ids(&env, &fake, PARTNER, &["offers", "list"]);
    assert!(offers.contains(&DRAFT_OFFER.to_owned()) && offers.contains(&RELEASED_OFFER.to_owned()), "{offers:?}");
    let agreement = ok_json(&env, &fake, PARTNER, &["agreements", "show", AGREEMENT]);
    assert_eq!(agreement["status"], "ACTIVE", "{agreement:#}");
}

#[test]
fn the_next_pull_reads_only_what_changed_since_the_last_one() {
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    let before = fake.bodies("BatchDescribeEntities").len();

    // Nothing changed on AWS: every listing asks from the watermark, nothing is described.
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert!(r["since"].as_str().is_some_and(|s| s.starts_with("2026-11-27T16:40:00")), "{r:#}");
    let lists = fake.bodies("ListEntities");
    let last = lists.last().unwrap();
    assert_eq!(
        last["EntityTypeFilters"]["OfferFilters"]["LastModifiedDate"]["DateRange"]["AfterValue"],
        "2026-11-27T16:40:00Z"
    );
    let described: Vec<Value> = fake.bodies("BatchDescribeEntities")[before..].to_vec();
    let again: Vec<&str> = described
        .iter()
        .flat_map(|b| b["EntityRequestList"].as_array().unwrap().iter().map(|e| e["EntityId"].as_str().unwrap()))
        .collect();
    assert_eq!(again, [DRAFT_OFFER], "only the entity modified at the watermark itself is read again");
    assert_eq!(outcome_of(&r, DRAFT_OFFER), "unchanged");

    // The ISV extends the contract authorization on AWS: the next pull reads it alone.
    fake.modify(CONTRACT_RA, "2026-11-29T09:00:00Z", |d| {
        let rule = d["Rules"].as_array_mut().unwrap().iter_mut().find(|r| r["Type"] == "AvailabilityRule").unwrap();
        rule["AvailabilityEndDate"] = json!("2027-12-31T23:59:59Z");
    });
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(outcome_of(&r, CONTRACT_RA), "updated", "{r:#}");
    assert_eq!(r["read"]["resale_authorizations"], 1, "{r:#}");
    let opp = ok_json(&env, &fake, PARTNER, &["opportunities", "show", CONTRACT_RA]);
    assert_eq!(opp["ends_on"], "2027-12-31", "{opp:#}");

    // --full reads everything again, and changes nothing.
    let r = ok_json(&env, &fake, PARTNER, &["pull", "--full"]);
    assert_eq!(r["since"], Value::Null);
    assert_eq!(r["read"]["resale_authorizations"], 4);
    assert!(outcomes(&r).iter().all(|(_, o)| o == "unchanged"), "{r:#}");
}

#[test]
fn a_dry_run_pull_stores_nothing_and_leaves_the_watermark() {
    let (env, fake) = (Env::new(), book());
    let r = ok_json(&env, &fake, PARTNER, &["pull", "--dry-run"]);
    assert_eq!(r["dry_run"], true);
    assert_eq!(outcome_of(&r, CONTRACT_RA), "created");
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(r["since"], Value::Null, "the dry run moved no watermark: {r:#}");
    assert_eq!(outcome_of(&r, CONTRACT_RA), "created");
}

#[test]
fn a_pull_killed_midway_stores_nothing_and_the_next_one_does_it_all() {
    let (env, fake) = (Env::new(), book());
    // A first, small pull, so that the file and a watermark exist.
    let first = FakeAws::start();
    first.put(serde_json::from_str(&fixture("describe-ra-restricted.json")).unwrap());
    ok_json(&env, &first, PARTNER, &["pull"]);
    let before = dump(&env);

    fake.stall_from(4); // the listings answer, then AWS goes quiet
    let mut child = command(&env, &fake, PARTNER, &["pull", "--full"]).spawn().unwrap();
    let start = Instant::now();
    while fake.operations().len() < 3 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(dump(&env), before, "a pull cut short writes nothing");

    fake.stall_from(usize::MAX);
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    for id in [CONTRACT_RA, DRAFT_OFFER, RELEASED_OFFER] {
        assert_eq!(outcome_of(&r, id), "created", "{id}: {r:#}");
    }
}

#[test]
fn a_network_failure_mid_pull_is_one_line_and_stores_nothing() {
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    fake.modify(CONTRACT_RA, "2026-11-29T09:00:00Z", |d| d["Name"] = json!("Renamed on AWS"));
    let before = dump(&env);
    fake.drop_from(fake.operations().len() + 3);
    let o = run(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stderr.lines().count(), 1, "{o:?}");
    assert!(o.stderr.starts_with("error: cannot reach AWS"), "{o:?}");
    assert!(
        o.stderr.contains("nothing was stored, and the next pull starts where the last stored one left off"),
        "{o:?}"
    );
    assert_eq!(dump(&env), before);
}

/// Runs a pull that must fail: its one line on stderr, and nothing written.
pub(super) fn refused_pull(env: &Env, fake: &FakeAws, account: &str, args: &[&str]) -> String {
    let before = dump(env);
    let mut a = vec!["pull"];
    a.extend_from_slice(args);
    let o = run(env, fake, account, &a);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stdout, "", "{o:?}");
    assert_eq!(o.stderr.lines().count(), 1, "one line: {o:?}");
    assert!(!o.stderr.contains("fake-secret-key"), "a credential printed: {o:?}");
    assert_eq!(dump(env), before, "{a:?} wrote");
    o.stderr
}

#[test]
fn every_error_a_user_can_act_on_is_one_line_and_writes_nothing() {
    let (env, fake) = (Env::new(), book());
    // No credentials anywhere (and no instance role: the metadata service is off).
    let e = refused_pull(&env, &fake, "", &["--as", PARTNER]);
    assert!(e.contains("no AWS credentials found: run `aws configure`"), "{e}");
    assert!(e.contains("--profile"), "{e}");

    // An SSO profile whose session has expired.
    let aws = env.path().join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile work]\nsso_session = corp\nsso_account_id = 420061735518\nsso_role_name = Seller\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    // The cache file is named after the SHA-1 of the session's name, as the AWS CLI writes it.
    std::fs::write(
        aws.join("sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        r#"{"accessToken": "expired", "expiresAt": "2020-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}"#,
    )
    .unwrap();
    let e = refused_pull(&env, &fake, "", &["--as", PARTNER, "--profile", "work"]);
    assert!(e.contains("profile `work`"), "{e}");
    // The same profile named before the command, where the TUI takes it (`cppo --profile work`).
    let o = run(&env, &fake, "", &["--profile", "work", "--as", PARTNER, "pull"]);
    assert!(o.code == 1 && o.stderr.contains("profile `work`"), "{o:?}");

    // Access denied names the permission to add.
    fake.deny("ListEntities");
    let e = refused_pull(&env, &fake, PARTNER, &[]);
    assert!(e.contains("AWS denied aws-marketplace:ListEntities to these credentials"), "{e}");
    let fake = book();
    fake.deny("SearchAgreements");
    let e = refused_pull(&env, &fake, PARTNER, &[]);
    assert!(e.contains("aws-marketplace:SearchAgreements"), "{e}");

    // Throttling that persists past the SDK's retries with backoff.
    let fake = book();
    fake.throttle("BatchDescribeEntities", 100);
    let e = refused_pull(&env, &fake, PARTNER, &[]);
    assert!(e.contains("AWS kept throttling BatchDescribeEntities"), "{e}");

    // A region AWS Marketplace does not answer in, and one that is no region at all.
    let fake = book();
    let e = refused_pull(&env, &fake, PARTNER, &["--region", "eu-west-9"]);
    assert!(e.contains("does not answer in region `eu-west-9`"), "{e}");
    let e = refused_pull(&env, &fake, PARTNER, &["--region", "moon"]);
    assert!(e.contains("region `moon`"), "{e}");
    // Before the command too; the command's own wins.
    let o = run(&env, &fake, PARTNER, &["--region", "moon", "pull"]);
    assert!(o.code == 1 && o.stderr.contains("region `moon`"), "{o:?}");
    let answering = book();
    let o = run(&env, &answering, PARTNER, &["--region", "moon", "pull", "--region", "us-east-1", "--dry-run"]);
    assert_eq!(o.code, 0, "{o:?}");

    // No network: nothing listens where AWS should be.
    let gone = FakeAws::start();
    let url = gone.url.clone();
    drop(gone);
    let mut c = command(&env, &fake, PARTNER, &["pull"]);
    c.env("AWS_ENDPOINT_URL", &url);
    let o = c.output().unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.starts_with("error: cannot reach AWS"), "{e}");
    assert!(fake.operations().is_empty(), "nothing reached the book's AWS");
}

#[test]
fn a_partners_offer_made_from_a_pulled_authorization_is_pushed_linked_and_pulled_back_as_the_same_record() {
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    let out = draft_offer(&env, &fake, CONTRACT_RA, "Contoso analytics", ["10", "2027-01-31", "seats=20"]);
    assert_eq!(out.code, 0, "{out:?}");
    let local = out.stdout.trim().to_owned();

    let r = ok_json(&env, &fake, PARTNER, &["push", &local, "--release"]);
    assert_eq!(r["status"], "SUCCEEDED", "{r:#}");
    let aws_id = r["record"].as_str().unwrap().to_owned();
    assert!(aws_id.starts_with("offer-fake"), "linked to AWS's id: {r:#}");
    let start = &fake.bodies("StartChangeSet")[0];
    assert_eq!(
        start["ClientRequestToken"].as_str().unwrap(),
        format!("cppo-o-{}-v0-r", local.trim_start_matches("offer-"))
    );
    assert_eq!(outcome_of(&r["pulled"], &aws_id), "unchanged", "AWS's copy read back, released as cppo's: {r:#}");

    let offer = ok_json(&env, &fake, PARTNER, &["offers", "show", &aws_id]);
    assert_eq!(offer["state"], "released", "{offer:#}");
    // The next pull finds AWS's copy as the same record: no duplicate.
    let before = ids(&env, &fake, PARTNER, &["offers", "list"]);
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(outcome_of(&r, &aws_id), "unchanged", "{r:#}");
    assert_eq!(ids(&env, &fake, PARTNER, &["offers", "list"]), before);
    assert!(!before.contains(&local));

    // The same push again is the same request to AWS: nothing new is created.
    let again = run(&env, &fake, PARTNER, &["push", &aws_id]);
    assert_ne!(again.code, 0, "nothing left to send: {again:?}");
    assert_eq!(fake.bodies("StartChangeSet").len(), 1);
}

#[test]
fn an_isvs_new_opportunity_and_a_partners_offer_on_it_are_pushed_and_a_colleagues_pull_sees_them() {
    let (env, fake) = (Env::new(), book());
    fake.dimensions(&[("seats", "Users"), ("admin_seats", "Users")]);
    ok_json(&env, &fake, ISV, &["pull"]);
    let out = run(
        &env,
        &fake,
        ISV,
        &[
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            "prod-7fk2qv9xw3m4a",
            "--name",
            "Northwind 2027",
            "--price",
            "seats=1000",
            "--price",
            "admin_seats=250",
            "--until",
            "2027-06-30",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let local = out.stdout.trim().to_owned();
    let r = ok_json(&env, &fake, ISV, &["push", &local, "--release"]);
    assert_eq!(r["status"], "SUCCEEDED", "{r:#}");
    let ra = r["record"].as_str().unwrap().to_owned();
    assert!(ra.starts_with("resaleauthz-fake"), "{r:#}");
    assert_eq!(outcome_of(&r["pulled"], &ra), "unchanged", "AWS's copy is the same record, released: {r:#}");
    let opportunities = ids(&env, &fake, ISV, &["opportunities", "list"]);
    assert!(opportunities.contains(&ra) && !opportunities.contains(&local), "{opportunities:?}");

    // The partner, in its own file, pulls it and makes an offer on it.
    let colleague = Env::new();
    let r = ok_json(&colleague, &fake, PARTNER, &["pull"]);
    assert_eq!(outcome_of(&r, &ra), "created", "{r:#}");
    let out = draft_offer(&colleague, &fake, &ra, "Contoso 2027", ["5", "2027-02-28", "seats=5"]);
    assert_eq!(out.code, 0, "{out:?}");
    let r = ok_json(&colleague, &fake, PARTNER, &["push", out.stdout.trim(), "--release"]);
    assert_eq!(r["status"], "SUCCEEDED", "{r:#}");
    let offer = r["record"].as_str().unwrap().to_owned();

    // The ISV's next pull sees nothing of the partner's offer (AWS shows it the partner's
    // offers not), and the partner's next pull holds each record once.
    let r = ok_json(&colleague, &fake, PARTNER, &["pull"]);
    assert_eq!(outcome_of(&r, &offer), "unchanged", "{r:#}");
    let offers = ids(&colleague, &fake, PARTNER, &["offers", "list"]);
    assert_eq!(offers.iter().filter(|o| **o == offer).count(), 1, "{offers:?}");
}

#[test]
fn a_push_aws_refuses_shows_each_error_beside_its_field_and_leaves_the_record_as_it_was() {
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    let out = draft_offer(&env, &fake, CONTRACT_RA, "Refused", ["10", "2027-01-31", "seats=5"]);
    let local = out.stdout.trim().to_owned();
    let before = ok_json(&env, &fake, PARTNER, &["offers", "show", &local]);
    fake.next_change_set(Outcome::Fail(vec![(
        "UpdateMarkup".into(),
        "INCOMPATIBLE_MARKUP".into(),
        "Markup can't be updated for this offer.".into(),
    )]));
    let o = run(&env, &fake, PARTNER, &["push", &local, "--release"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains("markup: INCOMPATIBLE_MARKUP Markup can't be updated for this offer. (UpdateMarkup)"),
        "{o:?}"
    );
    assert!(o.stderr.contains("PREPARING") && o.stderr.contains("FAILED"), "each status as it comes: {o:?}");
    assert!(o.stderr.lines().last().unwrap().contains("it stays in cppo as it was"), "{o:?}");
    let after = ok_json(&env, &fake, PARTNER, &["offers", "show", &local]);
    assert_eq!(after["state"], before["state"]);
    assert_eq!(after["markup_pct"], before["markup_pct"]);
    assert!(after.to_string().contains("INCOMPATIBLE_MARKUP"), "AWS's error kept beside the offer: {after:#}");
}

#[test]
fn a_validation_changes_nothing_and_a_locked_entity_is_one_line() {
    let (env, fake) = (Env::new(), book());
    ok_json(&env, &fake, PARTNER, &["pull"]);
    let out = draft_offer(&env, &fake, CONTRACT_RA, "Checked", ["10", "2027-01-31", "seats=5"]);
    let local = out.stdout.trim().to_owned();
    let before = dump(&env);
    let r = ok_json(&env, &fake, PARTNER, &["push", &local, "--release", "--validate"]);
    assert_eq!(r["status"], "SUCCEEDED", "{r:#}");
    assert_eq!(r["validated"], true);
    assert_eq!(r["record"], local.as_str());
    assert_eq!(fake.bodies("StartChangeSet")[0]["Intent"], "VALIDATE");
    assert!(fake.bodies("StartChangeSet")[0]["ClientRequestToken"].as_str().unwrap().ends_with("-check"));
    assert_eq!(dump(&env), before, "a validation writes nothing");
    assert_eq!(fake.ids().iter().filter(|i| i.starts_with("offer-fake")).count(), 0, "nor creates anything on AWS");

    // Pushed as a draft, then another change set holds it: ResourceInUseException.
    let r = ok_json(&env, &fake, PARTNER, &["push", &local]);
    let aws_id = r["record"].as_str().unwrap().to_owned();
    fake.lock(&aws_id);
    let before = dump(&env);
    let o = run(&env, &fake, PARTNER, &["push", &aws_id, "--release"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stderr.lines().count(), 1, "{o:?}");
    assert!(o.stderr.contains("locked by another change set"), "{o:?}");
    assert_eq!(dump(&env), before);
}
