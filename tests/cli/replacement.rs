//! Replacement offers through the command line: an ACTIVE agreement, the ISV's renewal
//! authorization, the partner's replacement offer (`offers create --replaces`), the buyer's
//! acceptance, and the old agreement REPLACED with its unpaid charge cancelled.

use super::*;

/// The day the first installment falls due (installments are in the future when planned):
/// every step after the plan happens then.
const LATER: &str = "2026-11-27";

/// Runs `args` on [`LATER`], which must succeed; its stdout, trimmed.
fn ok_later(env: &Env, args: &[&str]) -> String {
    let o = env.run_at(LATER, args);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""), "cppo {args:?}: {o:?}");
    o.stdout.trim_end().to_owned()
}

fn json_later(env: &Env, args: &[&str]) -> Value {
    let out = ok_later(env, &[args, &["--json"]].concat());
    serde_json::from_str(&out).unwrap()
}

/// An agreement of `BUYER` on an installment plan (40,000.00 tomorrow, 40,000.00 in six
/// months, at wholesale; 10% markup), accepted today, its first charge paid tomorrow
/// ([`LATER`]): `(env, product, agreement)`.
fn agreement_half_paid() -> (Env, String, String) {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let plan = [
        "--one-time",
        "--buyer",
        BUYER,
        "--until",
        TODAY,
        "--installment",
        "2026-11-27=40000.00",
        "--installment",
        "2027-05-26=40000.00",
        "--grant",
        "users=100",
        "--release",
    ];
    let opp = env.create(&opportunity_args(&product, "Acme plan 2027", &plan), "resaleauthz-", 13);
    let offer = env.create(
        &["--as", PARTNER, "offers", "create", "--opportunity", &opp, "--markup", "10"]
            .into_iter()
            .chain(["--expires", TODAY, "--name", "Contoso 2027", "--release"])
            .collect::<Vec<_>>(),
        "offer-",
        13,
    );
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    ok_later(&env, &["--as", BUYER, "agreements", "pay", &agreement]);
    (env, product, agreement)
}

/// The ISV's one-time renewal authorization for `BUYER` on `product`, released.
fn renewal_authorization(env: &Env, product: &str) -> String {
    let terms = ["--one-time", "--buyer", BUYER, "--until", "2027-03-31", "--discount", "25", "--renewal", "--release"];
    ok_later(env, &opportunity_args(product, "Acme renewal Contoso", &terms))
}

fn replacement_args<'a>(agreement: &'a str, opp: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--as", PARTNER, "offers", "create", "--replaces", agreement, "--opportunity", opp];
    args.extend(["--markup", "8", "--expires", "2026-12-31", "--name", "Contoso renewal", "--quantity", "users=120"]);
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_replacement_offer_accepted_replaces_the_agreement_and_cancels_what_is_unpaid() {
    let (env, product, old) = agreement_half_paid();
    let renewal = renewal_authorization(&env, &product);
    let offer = ok_later(&env, &replacement_args(&old, &renewal, &["--ends", "2028-01-31", "--release"]));

    let shown = json_later(&env, &["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!(shown["replaces_agreement_id"], old.as_str());
    assert_eq!(shown["agreement_ends_on"], "2028-01-31");
    assert_eq!(shown["buyer_account_id"], BUYER, "the agreement's buyer, never typed");
    // The renewal listing fee: 1.5% plus 0.5 point for a partner offer.
    assert_eq!(shown["listing_fee_rate"], "2");
    let text = ok_later(&env, &["--as", PARTNER, "offers", "show", &offer]);
    assert!(text.contains("Replaces") && text.contains(&old), "{text}");

    let new = ok_later(&env, &["--as", BUYER, "offers", "accept", &offer]);
    let before = json_later(&env, &["--as", BUYER, "agreements", "show", &old]);
    assert_eq!(before["status"], "REPLACED");
    assert_eq!(before["replaced_by_agreement_id"], new.as_str());
    let charges = before["charges"].as_array().unwrap();
    assert_eq!(charges[0]["paid_on"], LATER, "what was paid stays paid");
    assert!(charges[0].get("cancelled_on").is_none());
    assert_eq!((&charges[1]["paid_on"], &charges[1]["cancelled_on"]), (&Value::Null, &json!(LATER)));

    let made = json_later(&env, &["--as", BUYER, "agreements", "show", &new]);
    assert_eq!(made["status"], "ACTIVE");
    assert_eq!(made["replaces_agreement_id"], old.as_str());
    assert_eq!((made["starts_on"].as_str(), made["ends_on"].as_str()), (Some(LATER), Some("2028-01-31")));
    // The ISV sees both links too.
    assert_eq!(json_later(&env, &["--as", ISV, "agreements", "show", &old])["replaced_by_agreement_id"], new.as_str());
    let table = ok_later(&env, &["--as", BUYER, "agreements", "show", &old]);
    assert!(table.contains("Replaced by") && table.contains(&format!("cancelled {LATER}")), "{table}");

    // Nothing more is charged on the old agreement; its payouts stay (one payment, two rows).
    env.refused_at(LATER, &["--as", BUYER, "agreements", "pay", &old], &["Replaced", &new]);
    let paid = json_later(&env, &["--as", ISV, "disbursements", "list"]);
    assert_eq!(paid.as_array().unwrap().len(), 1, "{paid}");
    assert_eq!(paid[0]["agreement_id"], old.as_str());
    let events = json_later(&env, &["--as", PARTNER, "events", "list", "--entity", &old]);
    let replaced = events.as_array().unwrap().iter().find(|e| e["action"] == "replace").expect("a replace event");
    assert_eq!((replaced["from_state"].as_str(), replaced["to_state"].as_str()), (Some("ACTIVE"), Some("REPLACED")));
}

#[test]
fn a_replacement_offer_is_refused_with_awss_reason_and_writes_nothing() {
    let (env, product, old) = agreement_half_paid();
    let renewal = renewal_authorization(&env, &product);
    // Only the partner who proposed it; the buyer is the agreement's.
    let mut as_isv = replacement_args(&old, &renewal, &[]);
    as_isv[1] = ISV;
    env.refused_at(LATER, &as_isv, &["only", PARTNER]);
    env.refused_at(LATER, &replacement_args(&old, &renewal, &["--buyer", OTHER_BUYER]), &["its buyer cannot change"]);
    // An authorization for another buyer does not allow the agreement's.
    let theirs = ok_later(
        &env,
        &opportunity_args(
            &product,
            "Acme for Fabrikam",
            &["--one-time", "--buyer", OTHER_BUYER, "--until", "2027-03-31", "--discount", "25", "--release"],
        ),
    );
    env.refused_at(LATER, &replacement_args(&old, &theirs, &[]), &[BUYER, "not among them"]);
    env.refused_at(LATER, &replacement_args(&old, &renewal, &["--ends", LATER]), &["not after today"]);
    // --ends belongs to a replacement offer.
    env.usage_error(
        &["--as", PARTNER, "offers", "create", "--opportunity", &renewal, "--markup", "8", "--expires", "2026-12-31"]
            .into_iter()
            .chain(["--name", "n", "--ends", "2028-01-31"])
            .collect::<Vec<_>>(),
        &["--replaces"],
    );
    // An agreement past its end is EXPIRED: nothing to replace.
    env.refused_at("2027-11-27", &replacement_args(&old, &renewal, &[]), &["Expired", "only an Active agreement"]);
}

#[test]
fn a_replaced_agreements_cancelled_charge_is_not_in_the_buyers_review_queue() {
    let (env, product, old) = agreement_half_paid();
    let renewal = renewal_authorization(&env, &product);
    let offer = ok_later(&env, &replacement_args(&old, &renewal, &["--release"]));
    ok_later(&env, &["--as", BUYER, "offers", "accept", &offer]);
    // The cancelled charge falls due on 2027-05-26: the buyer's queue there holds only the
    // new agreement's charges, never the cancelled one.
    let store = cppo::store::Store::open(&env.db).unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2027, 5, 27).unwrap();
    let market = cppo::market::Market::new(store, Box::new(cppo::domain::FixedClock::on(on)));
    let queue = market.review_queue(&cppo::domain::AccountId::parse(BUYER).unwrap()).unwrap();
    let whys: Vec<String> = queue.items.iter().map(|i| i.why.clone()).collect();
    assert!(whys.iter().any(|w| w.contains("OVERDUE")), "the new agreement's charge: {whys:?}");
    assert!(whys.iter().all(|w| !w.contains(&old)), "{whys:?}");
}

/// The radar says what has been done about an agreement: a replacement drafted (to its
/// partner alone: a partner's draft is its own), released, then renewed (off the radar, as the
/// agreement is REPLACED).
#[test]
fn the_radar_follows_the_replacement_offer_and_hides_the_partners_draft() {
    let (env, product, old) = agreement_half_paid();
    let renewal = renewal_authorization(&env, &product);
    let radar = |who: &str| {
        let rows = json_later(&env, &["--as", who, "agreements", "list", "--ending-within", "3650"]);
        let row = rows.as_array().unwrap().iter().find(|r| r["id"] == old.as_str()).cloned();
        row.map(|r| r["renewal"].as_str().unwrap().to_owned())
    };
    assert_eq!(radar(PARTNER).as_deref(), Some("none"));
    let offer = ok_later(&env, &replacement_args(&old, &renewal, &["--ends", "2028-01-31"]));
    assert_eq!(radar(PARTNER).as_deref(), Some("drafted"));
    assert_eq!(radar(BUYER).as_deref(), Some("none"), "the buyer learns of no draft");
    assert_eq!(radar(ISV).as_deref(), Some("none"), "nor does the ISV");
    ok_later(&env, &["--as", PARTNER, "offers", "release", &offer]);
    assert_eq!(radar(BUYER).as_deref(), Some("released"));
    assert!(
        ok_later(&env, &["--as", PARTNER, "agreements", "list", "--ending-within", "3650"])
            .contains("replacement offer released, not accepted")
    );
    ok_later(&env, &["--as", BUYER, "offers", "accept", &offer]);
    assert_eq!(radar(PARTNER), None, "REPLACED: off the radar");
}
