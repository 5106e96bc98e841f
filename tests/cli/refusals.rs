//! Refusals: exit 1, one line on stderr, nothing on stdout, nothing written.

use super::*;

#[test]
fn an_accepted_offer_can_be_neither_extended_nor_cancelled_nor_released() {
    let Example { env, offer, .. } = worked_example();
    env.refused(&["--as", PARTNER, "offers", "cancel", &offer], &[&offer, "Accepted", "cancelled"]);
    env.refused(
        &["--as", PARTNER, "offers", "extend", &offer, "--expires", "2027-06-30"],
        &[&offer, "Accepted", "extended"],
    );
    env.refused(&["--as", PARTNER, "offers", "release", &offer], &[&offer, "only Draft offers can be released"]);
    env.refused(&["--as", BUYER, "offers", "accept", &offer], &[&offer, "already Accepted"]);
}

#[test]
fn releasing_a_released_offer_is_refused() {
    let (env, _, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    env.refused(&["--as", PARTNER, "offers", "release", &offer], &[&offer, "Active", "only Draft"]);
    // Only the partner may move it.
    env.refused(&["--as", ISV, "offers", "cancel", &offer], &["only the partner", PARTNER]);
}

#[test]
fn bad_input_is_refused() {
    let (env, product, opp) = with_opportunity();
    let create = |buyer, markup, qty| offer_args(&opp, Some(buyer), markup, "x", qty);
    env.refused(&create(BUYER, "1e3", "users=1"), &["markup", "`1e3`", "not a number"]);
    env.refused(&create(BUYER, "1_000", "users=1"), &["markup", "`1_000`"]);
    env.refused(&create(BUYER, "1000000000", "users=1"), &["markup"]);
    env.refused(&create("33333333333", "10", "users=1"), &["`33333333333`", "not an AWS account id", "12 digits"]);
    env.refused(&create("555555555555", "10", "users=1"), &["555555555555", "not found"]);
    env.refused(&create(BUYER, "10", "seats=1"), &["`seats`", "not a dimension", "users"]);
    env.refused(&create(BUYER, "10", "users=many"), &["--quantity", "`many`"]);
    env.refused(&["accounts", "add", "12345", "--name", "Short", "--buyer"], &["`12345`", "12 digits"]);
    env.refused(&["accounts", "add", BUYER, "--name", "Again", "--buyer"], &[BUYER, "already exists"]);
    env.refused(&["--as", BUYER, "offers", "show", "offer-12_3"], &["`offer-12_3`", "not an offer id"]);
    env.refused(
        &["--as", BUYER, "products", "add", "--name", "Nope", "--type", "saas", "--dimension", "users:user:1.00"],
        &["not an ISV"],
    );
    env.refused(&opportunity_args(&product, "x", &["--discount", "1e1"]), &["`1e1`"]);
    env.refused(&["--as", PARTNER, "offers", "list", "--status", "bogus"], &["`bogus`", "not an offer status"]);
    env.refused_at("yesterday", &["--as", PARTNER, "offers", "list"], &["--now"]);
}

#[test]
fn a_bad_quantity_is_refused_naming_its_flag_and_the_cap() {
    let (env, _, opp) = with_opportunity();
    let create = |qty| offer_args(&opp, Some(BUYER), "10", "x", qty);
    env.refused(&create("users=x"), &["--quantity users=x: `x` is not a whole number of units"]);
    env.refused(&create("users=+5"), &["--quantity users=+5: `+5` is not a whole number of units"]);
    env.refused(
        &create("users=10000001"),
        &["--quantity users=10000001: `10000001` is too large: at most 10000000 units"],
    );
    // More digits than a u64 holds: too large as well, not "not a number".
    env.refused(
        &create("users=99999999999999999999999"),
        &["--quantity users=99999999999999999999999: `", "too large"],
    );
    env.refused(&create("users"), &["--quantity users: use KEY=N"]);
}

#[test]
fn every_refused_term_names_its_flag() {
    let (env, product, opp) = with_opportunity();
    env.refused(&offer_args(&opp, Some(BUYER), "1e3", "x", "users=1"), &["--markup: markup % `1e3` is not a number"]);
    env.refused(&offer_args(&opp, Some("12345"), "10", "x", "users=1"), &["--buyer: `12345` is not an AWS account id"]);
    env.refused(
        &opportunity_args(&product, "x", &["--discount", "150"]),
        &["--discount: discount % `150` is too large"],
    );
    env.refused(
        &opportunity_args(&product, "x", &["--price", "users=abc"]),
        &["--price users=abc: wholesale price of `users` `abc` is not a number"],
    );
    env.refused(
        &opportunity_args(&product, "x", &["--discount", "10", "--until", "2026-02-30"]),
        &["--until: `2026-02-30` is no such day"],
    );
}

#[test]
fn unknown_acting_account_is_refused_with_the_list_of_accounts() {
    let env = Env::new();
    add_accounts(&env);
    let line = env.refused(&["--as", "999999999999", "offers", "list"], &["999999999999", "does not exist"]);
    for (id, name) in [
        (ISV, "Acme Analytics Inc."),
        (PARTNER, "Northwind Cloud Partners"),
        (BUYER, "Contoso Retail Ltd"),
        (OTHER_BUYER, "Fabrikam Health"),
    ] {
        assert!(line.contains(id) && line.contains(name), "{line}");
    }
    env.refused(&["--as", "99", "offers", "list"], &["`99`", "12 digits"]);
}

#[test]
fn first_run_without_acting_account_is_refused_and_writes_nothing() {
    let env = Env::new();
    assert!(!env.db.exists());
    let o = env.run(&["offers", "list"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stdout, "");
    assert_one_line(&o.stderr, &["offers", "list"]);
    assert!(o.stderr.contains("no acting account") && o.stderr.contains("--as"), "{}", o.stderr);
    assert!(o.stderr.contains("accounts add"), "it says how to start: {}", o.stderr);
    for (table, (n, _)) in env.dump() {
        assert_eq!(n, 0, "table {table} has rows after a refused first run");
    }
    // Still nothing remembered, still refused.
    env.refused(&["agreements", "list"], &["no acting account"]);
}

#[test]
fn a_one_time_opportunity_makes_one_offer() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = env.create(
        &opportunity_args(
            &product,
            "Contoso only",
            &["--discount", "20", "--one-time", "--buyer", BUYER, "--until", "2027-03-31", "--release"],
        ),
        "resaleauthz-",
        13,
    );
    let first = offer_args(&opp, None, "10", "First", "users=100");
    let offer = env.create(&first, "offer-", 13);
    // The buyer was filled in from the opportunity.
    assert_eq!(env.json(&["offers", "show", &offer])["buyer_account_id"], BUYER);
    let o = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((o["status"].as_str(), o["offers_created"].as_i64()), (Some("Consumed"), Some(1)));
    let second = offer_args(&opp, None, "10", "Second", "users=100");
    env.refused(&second, &[&opp, "one-time", "already has its offer"]);
    // Deleting the draft frees the opportunity for another offer.
    assert_eq!(env.ok(&["--as", PARTNER, "offers", "delete", &offer]), format!("{offer} deleted\n"));
    let o = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!(o["offers_created"].as_i64(), Some(0));
    env.create(&second, "offer-", 13);
}

#[test]
fn only_drafts_are_deleted_and_only_by_their_maker() {
    let (env, product, opp) = with_opportunity();
    // A released offer and a released opportunity are ended, not deleted.
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    env.refused(&["--as", PARTNER, "offers", "delete", &offer], &[&offer, "only drafts can be deleted", "cancel"]);
    env.refused(&["--as", ISV, "opportunities", "delete", &opp], &[&opp, "only drafts can be deleted", "end"]);
    // A draft offer is the partner's alone: the ISV does not even see it.
    let draft = draft_offer(&env, &opp, BUYER, "10", "Draft", "users=1");
    env.refused(&["--as", ISV, "offers", "delete", &draft], &["not found"]);
    assert_eq!(env.ok(&["--as", PARTNER, "offers", "delete", &draft]), format!("{draft} deleted\n"));
    env.refused(&["--as", PARTNER, "offers", "show", &draft], &["not found"]);
    // A draft opportunity: only its ISV deletes it.
    let draft_opp = env.create(&opportunity_args(&product, "Draft", &["--discount", "5"]), "resaleauthz-", 13);
    assert_eq!(env.ok(&["--as", ISV, "opportunities", "delete", &draft_opp]), format!("{draft_opp} deleted\n"));
    env.refused(&["--as", ISV, "opportunities", "show", &draft_opp], &["not found"]);
    // The audit log keeps both.
    let events = env.ok(&["--as", ISV, "events", "list"]);
    assert!(events.contains(&draft_opp) && events.contains("delete"), "{events}");
    let events = env.ok(&["--as", PARTNER, "events", "list"]);
    assert!(events.contains(&draft), "{events}");
}

#[test]
fn a_buyer_cannot_accept_another_buyers_offer() {
    let (env, _, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "accept", &offer], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "accept", "offer-AAAAAAAAAAAAA"], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace("offer-AAAAAAAAAAAAA", "<id>"));
    assert_eq!(theirs, format!("error: offer {offer} not found\n"));
}

#[test]
fn an_expired_offer_cannot_be_accepted() {
    let (env, _, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    // The last day still counts; the day after does not.
    env.refused_at("2027-01-01", &["--as", BUYER, "offers", "accept", &offer], &[&offer, "expired on 2026-12-31"]);
    let o = env.run_at("2027-01-01", &["--as", BUYER, "offers", "show", &offer, "--json"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(serde_json::from_str::<Value>(&o.stdout).unwrap()["status"], "Expired");
    let o = env.run_at("2026-12-31T23:59:59Z", &["--as", BUYER, "offers", "accept", &offer]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(is_id(o.stdout.trim_end(), "agmt-", 25), "{o:?}");
}

#[test]
fn usage_errors_exit_2() {
    let (env, product, opp) = with_opportunity();
    env.usage_error(&["--as", PARTNER, "offers", "list", "--bogus"], &["--bogus"]);
    env.usage_error(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            BUYER,
            "--expires",
            "2026-12-31",
            "--name",
            "x",
        ],
        &["--markup"],
    );
    env.usage_error(&["accounts", "add", "555555555555", "--name", "No role"], &["--isv"]);
    env.usage_error(
        &["--as", ISV, "opportunities", "create", "--partner", PARTNER, "--product", &product, "--name", "x"],
        &["--discount"],
    );
    env.usage_error(&["offers", "frobnicate"], &["frobnicate"]);
}

#[test]
fn export_of_an_id_of_neither_kind_is_refused() {
    let (env, product, _) = with_opportunity();
    env.refused(
        &["--as", ISV, "export", &product],
        &[&format!("`{product}` is neither an opportunity (resaleauthz-...) nor an offer (offer-...)")],
    );
    env.refused(&["--as", ISV, "export", "resaleauthz-1234567890123"], &["resaleauthz-1234567890123", "not found"]);
}
