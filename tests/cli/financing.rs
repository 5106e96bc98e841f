//! Customer financing through the CLI: `agreements finance` as the buyer, each status move,
//! refused moves that write nothing, and what the sellers see.

use super::*;

/// DOMAIN's worked example accepted but not paid: its one 88,000.00 USD charge is open.
fn accepted() -> (Env, String) {
    let (env, _, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    (env, agreement)
}

fn finance<'a>(agreement: &'a str, provider: &'a str, status: &'a str) -> Vec<&'a str> {
    vec![
        "--as",
        BUYER,
        "agreements",
        "finance",
        agreement,
        "--provider",
        provider,
        "--months",
        "12",
        "--status",
        status,
    ]
}

#[test]
fn financing_moves_offered_approved_funded_and_the_financier_pays_every_open_charge() {
    let (env, agreement) = accepted();
    let out =
        env.ok(&["--as", BUYER, "agreements", "finance", &agreement, "--provider", "Fincap Lending", "--months", "12"]);
    assert!(out.starts_with(&format!("Financing of {agreement} by Fincap Lending: offered.")), "{out}");
    assert!(out.contains("12 monthly payments: 1-8 of 7,333.33 USD, 9-12 of 7,333.34 USD"), "{out}");
    let v = env.json(&finance(&agreement, "Fincap Lending", "approved"));
    assert_eq!(v["financing"]["status"], "approved");
    assert_eq!(v["charges"][0]["paid_on"], Value::Null, "approval pays nothing");
    assert!(env.json(&["--as", ISV, "disbursements", "list"]).as_array().unwrap().is_empty());

    let v = env.json(&finance(&agreement, "Fincap Lending", "funded"));
    let f = &v["financing"];
    assert_eq!(
        (f["provider"].as_str(), f["status"].as_str(), f["months"].as_u64()),
        (Some("Fincap Lending"), Some("funded"), Some(12))
    );
    assert_eq!(f["amount"], "88000.00");
    let payments: Vec<&str> = f["payments"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(payments.len(), 12);
    assert_eq!(payments.last(), Some(&"7333.34"));
    assert_eq!(v["paid_by_financier"], true);
    assert_eq!(v["charges"][0]["paid_on"], TODAY, "the financier paid the charge");
    // The ISV and the partner are disbursed as for any payment (DOMAIN's worked example).
    let isv = env.json(&["--as", ISV, "disbursements", "list"]);
    assert_eq!((isv[0]["amount"].as_str(), isv[0]["listing_fee"].as_str()), (Some("77200.00"), Some("2800.00")));
    assert_eq!(env.json(&["--as", PARTNER, "disbursements", "list"])[0]["amount"], "8000.00");
    env.refused(&["--as", BUYER, "agreements", "pay", &agreement], &["every charge", "is paid"]);
}

#[test]
fn refused_financing_moves_say_why_and_write_nothing() {
    let (env, agreement) = accepted();
    env.ok(&finance(&agreement, "Fincap Lending", "approved"));
    env.refused(&finance(&agreement, "Fincap Lending", "offered"), &["is approved", "cannot become offered"]);
    env.refused(&finance(&agreement, "Fincap Lending", "approved"), &["already approved"]);
    env.refused(&finance(&agreement, "Other Bank", "funded"), &["financed by Fincap Lending", "decline that first"]);
    env.refused(
        &["--as", PARTNER, "agreements", "finance", &agreement, "--provider", "X", "--months", "3"],
        &["only the buyer"],
    );
    env.refused(
        &["--as", ISV, "agreements", "finance", &agreement, "--provider", "X", "--months", "3"],
        &["only the buyer"],
    );
    env.refused(
        &["--as", OTHER_BUYER, "agreements", "finance", &agreement, "--provider", "X", "--months", "3"],
        &["not found"],
    );
    env.refused(
        &["--as", BUYER, "agreements", "finance", &agreement, "--provider", "X", "--months", "61"],
        &["--months", "1 to 60"],
    );
    env.refused(
        &["--as", BUYER, "agreements", "finance", &agreement, "--provider", "X", "--months", "1e3"],
        &["--months", "whole number"],
    );
    env.refused(
        &["--as", BUYER, "agreements", "finance", &agreement, "--provider", " ", "--months", "3"],
        &["financier's name"],
    );
    env.usage_error(&finance(&agreement, "Fincap Lending", "paid"), &["possible values"]);
    env.ok(&finance(&agreement, "Fincap Lending", "funded"));
    env.refused(&finance(&agreement, "Fincap Lending", "declined"), &["is funded", "cannot become declined"]);
    env.refused(&finance(&agreement, "Other Bank", "offered"), &["financed by Fincap Lending"]);
}

#[test]
fn a_paid_or_expired_agreement_cannot_be_financed() {
    let Example { env, agreement, .. } = worked_example();
    env.refused(&finance(&agreement, "Fincap Lending", "offered"), &["every charge", "nothing to finance"]);
    let (env, agreement) = accepted();
    env.refused_at("2027-12-01", &finance(&agreement, "Fincap Lending", "offered"), &["is Expired", "only an Active"]);
}

#[test]
fn declined_changes_nothing_and_the_buyer_may_apply_again() {
    let (env, agreement) = accepted();
    env.ok(&finance(&agreement, "Fincap Lending", "offered"));
    let out = env.ok(&finance(&agreement, "Fincap Lending", "declined"));
    assert!(out.contains("declined") && out.contains("Nothing was paid"), "{out}");
    let v = env.json(&["--as", BUYER, "agreements", "show", &agreement]);
    assert_eq!(v["charges"][0]["paid_on"], Value::Null);
    assert_eq!(v["financing"]["status"], "declined");
    assert!(v.get("paid_by_financier").is_none());
    assert!(env.json(&["--as", PARTNER, "disbursements", "list"]).as_array().unwrap().is_empty());
    // A declined application is closed: the next one may go to another financier.
    let v = env.json(&finance(&agreement, "Other Bank", "approved"));
    assert_eq!(
        (v["financing"]["provider"].as_str(), v["financing"]["status"].as_str()),
        (Some("Other Bank"), Some("approved"))
    );
}

#[test]
fn the_sellers_see_only_that_a_financier_paid() {
    let (env, agreement) = accepted();
    env.ok(&finance(&agreement, "Fincap Lending", "approved"));
    for seller in [ISV, PARTNER] {
        let v = env.json(&["--as", seller, "agreements", "show", &agreement]);
        assert!(v.get("financing").is_none() && v.get("paid_by_financier").is_none(), "{seller}: {v}");
    }
    env.ok(&finance(&agreement, "Fincap Lending", "funded"));
    for seller in [ISV, PARTNER] {
        let v = env.json(&["--as", seller, "agreements", "show", &agreement]);
        assert!(v.get("financing").is_none(), "{seller} sees the financing: {v}");
        assert_eq!(v["paid_by_financier"], true);
        let text = env.ok(&["--as", seller, "agreements", "show", &agreement]);
        assert!(text.contains("Paid by:") && text.contains("a financier"), "{text}");
        for shown in [
            text,
            env.ok(&["--as", seller, "agreements", "list", "--json"]),
            env.ok(&["--as", seller, "events", "list", "--json"]),
        ] {
            assert!(!shown.contains("Fincap") && !shown.contains("\"months\""), "{seller} sees the financier: {shown}");
        }
    }
    let text = env.ok(&["--as", BUYER, "agreements", "show", &agreement]);
    assert!(text.contains("Fincap Lending, funded, 88,000.00 USD") && text.contains("12 monthly payments"), "{text}");
}
