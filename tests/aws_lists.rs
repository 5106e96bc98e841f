//! What imported records look like in the lists, through the command line: the records AWS
//! summarised without details (`list-entities`), in the text lists and in `--json`, with
//! the status cppo derives; offers with no quantities, whose totals are unknown rather than
//! zero; and AWS's own buyer prices where they differ from wholesale x markup.

#[path = "support/aws_cli.rs"]
mod aws_cli;

use aws_cli::Cli;
use serde_json::Value;

const AWS_ISV: &str = "590183746201";
const AWS_PARTNER: &str = "420061735518";
const CONTRACT_RA: &str = "resaleauthz-5tq8wz2kd7n3c";
const EXPIRED_RA: &str = "resaleauthz-2pd6vs9wf3h8n";
const DRAFT_RA: &str = "resaleauthz-4kx8bq2lr5t7m";
const RELEASED_OFFER: &str = "offer-4nd8kq2ws7x1z";
const DRAFT_OFFER: &str = "offer-9rk3zt6mw1p4c";
const USAGE_OFFER: &str = "offer-7yh2ct5bn8j3e";

/// The JSON a successful run printed.
fn json_of(run: aws_cli::Run) -> Value {
    let (code, out, err) = run;
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The element of a JSON list with `id`.
fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("no {id} in {list:#}"))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect()
}

/// The partner imports the authorizations' summaries, the contract one's details and the
/// offers' summaries: every offer is known by its summary only.
fn summaries_only() -> Cli {
    let cli = Cli::new();
    let (code, _, err) = cli.run(&[
        "--as",
        AWS_PARTNER,
        "import",
        "list-resale-authorizations.json",
        "describe-ra-contract.json",
        "list-offers.json",
    ]);
    assert_eq!(code, 0, "{err}");
    cli
}

#[test]
fn offers_list_json_holds_the_offers_known_by_their_summary_only() {
    let cli = summaries_only();
    let list = json_of(cli.run(&["--json", "offers", "list"]));
    assert_eq!(ids(&list), [RELEASED_OFFER, USAGE_OFFER, DRAFT_OFFER], "{list:#}");
    let released = by_id(&list, RELEASED_OFFER);
    assert_eq!(released["summary_only"], true);
    assert_eq!(released["aws_status"], "Released");
    assert_eq!(released["state"], "released");
    assert_eq!(released["status"], "Active");
    assert_eq!(released["name"], "Insights for Contoso 2027");
    assert_eq!(released["expires_on"], "2026-12-31");
    assert_eq!(released["opportunity_id"], CONTRACT_RA);
    assert_eq!(released["product_id"], "prod-7fk2qv9xw3m4a");
    assert_eq!(released["isv_account_id"], AWS_ISV);
    assert_eq!(released["partner_account_id"], AWS_PARTNER);
    // Its authorization is not held: the parties are unknown, not made up.
    let usage = by_id(&list, USAGE_OFFER);
    assert_eq!((&usage["isv_account_id"], &usage["partner_account_id"]), (&Value::Null, &Value::Null));
    assert_eq!(by_id(&list, DRAFT_OFFER)["status"], "Draft");
}

#[test]
fn opportunities_list_json_holds_summaries_after_the_held_records() {
    let cli = summaries_only();
    let list = json_of(cli.run(&["--json", "opportunities", "list"]));
    assert_eq!(ids(&list)[0], CONTRACT_RA, "the held record first: {list:#}");
    assert_eq!(by_id(&list, CONTRACT_RA)["summary_only"], false);
    let expired = by_id(&list, EXPIRED_RA);
    assert_eq!(expired["summary_only"], true);
    assert_eq!((&expired["aws_status"], &expired["status"]), (&"Active".into(), &"Expired".into()));
    assert_eq!(expired["ends_on"], "2026-06-30");
    assert_eq!(expired["isv_account_id"], AWS_ISV);
    assert_eq!(by_id(&list, "resaleauthz-6wj2pt8ds4k9f")["status"], "Deactivated");
    // The status filter applies to summaries as to held records.
    let list = json_of(cli.run(&["--json", "opportunities", "list", "--status", "expired"]));
    assert_eq!(ids(&list), [EXPIRED_RA]);
}

#[test]
fn a_summary_only_offer_past_its_expiry_is_expired_in_text_and_json() {
    let cli = summaries_only();
    let (code, out, err) = cli.run_on("2027-01-05", &["offers", "list"], "");
    assert_eq!(code, 0, "{err}");
    let line = out.lines().find(|l| l.starts_with(RELEASED_OFFER)).unwrap_or_else(|| panic!("{out}"));
    let words: Vec<&str> = line.split("  ").map(str::trim).filter(|w| !w.is_empty()).collect();
    assert_eq!(words, [RELEASED_OFFER, "Insights for Contoso 2027", "Expired", "Released", "2026-12-31"]);
    assert!(out.contains("STATUS   AWS STATUS  EXPIRES ON"), "{out}");

    let list = json_of(cli.run_on("2027-01-05", &["--json", "offers", "list", "--status", "expired"], ""));
    assert_eq!(ids(&list), [RELEASED_OFFER]);
    assert_eq!((&list[0]["status"], &list[0]["aws_status"]), (&"Expired".into(), &"Released".into()));
    let (_, out, _) = cli.run_on("2027-01-05", &["offers", "list", "--status", "active"], "");
    assert!(!out.contains(RELEASED_OFFER) && out.contains(USAGE_OFFER), "{out}");
}

#[test]
fn the_other_party_sees_a_summary_only_as_it_would_see_the_record() {
    // The ISV does not see its partner's draft offer, by its summary or otherwise.
    let cli = summaries_only();
    let list = json_of(cli.run(&["--as", AWS_ISV, "--json", "offers", "list"]));
    assert_eq!(ids(&list), [RELEASED_OFFER], "{list:#}");
    let (_, out, _) = cli.run(&["--as", AWS_ISV, "offers", "list"]);
    assert!(!out.contains(DRAFT_OFFER), "{out}");

    // The partner does not see the ISV's draft authorization; the ISV that imported it does.
    let cli = Cli::new();
    let (code, _, err) = cli.run(&["--as", AWS_ISV, "import", "list-resale-authorizations.json"]);
    assert_eq!(code, 0, "{err}");
    let mine = json_of(cli.run(&["--as", AWS_ISV, "--json", "opportunities", "list"]));
    assert!(ids(&mine).contains(&DRAFT_RA), "{mine:#}");
    let theirs = json_of(cli.run(&["--as", AWS_PARTNER, "--json", "opportunities", "list"]));
    assert!(!ids(&theirs).contains(&DRAFT_RA) && ids(&theirs).contains(&EXPIRED_RA), "{theirs:#}");
    let (_, out, _) = cli.run(&["--as", AWS_PARTNER, "opportunities", "list"]);
    assert!(!out.contains(DRAFT_RA), "{out}");
}
