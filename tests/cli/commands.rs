//! Every command, once.

use super::*;

#[test]
fn accounts_add_prints_the_id_and_list_shows_every_account() {
    let env = Env::new();
    add_accounts(&env);
    assert_eq!(env.ok(&["accounts", "add", "555555555555", "--name", "Initech", "--isv", "--buyer"]), "555555555555\n");
    let list = env.json(&["accounts", "list"]);
    assert_eq!(ids(&list), [ISV, PARTNER, BUYER, OTHER_BUYER, "555555555555"]);
    let by_id = |id: &str| list.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(by_id(ISV)["name"], "Acme Analytics Inc.");
    assert_eq!(by_id(ISV)["roles"], json!(["isv"]));
    assert_eq!(by_id(PARTNER)["name"], "Northwind Cloud Partners");
    assert_eq!(by_id(PARTNER)["roles"], json!(["partner"]));
    assert_eq!(by_id(BUYER)["roles"], json!(["buyer"]));
    assert_eq!(by_id("555555555555")["roles"], json!(["isv", "buyer"]));
    for a in list.as_array().unwrap() {
        assert!(a["id"].is_string(), "ids are strings: {a}");
    }
    let table = env.ok(&["accounts", "list"]);
    assert!(table.starts_with("ACCOUNT"), "{table}");
    assert!(table.contains("Initech") && table.contains("isv, buyer"), "{table}");
}

#[test]
fn products_add_prints_the_id_and_list_shows_the_dimensions() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let list = env.json(&["products", "list"]);
    assert_eq!(ids(&list), [product.as_str()]);
    let p = &list[0];
    assert_eq!(p["name"], "Acme Insight");
    assert_eq!(p["product_type"], "saas");
    assert_eq!(p["isv_account_id"], ISV);
    assert_eq!(p["duration"], "P12M");
    assert_eq!(
        p["dimensions"],
        json!([{ "key": "users", "unit": "user", "pricing": "contract", "list_price": "1000.00" }])
    );
    let table = env.ok(&["products", "list"]);
    assert!(table.contains(&product) && table.contains("users 1000.00/user"), "{table}");
}

#[test]
fn opportunities_create_release_show_list_and_end() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = env.create(
        &opportunity_args(&product, "Acme resale 2027", &["--discount", "20", "--description", "internal note"]),
        "resaleauthz-",
        13,
    );
    // A draft: the ISV sees it, the partner does not.
    let draft = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((draft["state"].as_str(), draft["status"].as_str()), (Some("draft"), Some("Draft")));
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "list"]), json!([]));
    env.refused(&["--as", PARTNER, "opportunities", "show", &opp], &["not found", &opp]);

    let out = env.ok(&["--as", ISV, "opportunities", "release", &opp]);
    assert_eq!(out, format!("{opp} released: the partner can now make offers from it (status: Authorized)\n"));

    let o = env.json(&["--as", PARTNER, "opportunities", "show", &opp]);
    assert_eq!(o["id"], opp.as_str());
    assert_eq!(o["name"], "Acme resale 2027");
    assert_eq!(o["product_id"], product.as_str());
    assert_eq!(o["isv_account_id"], ISV);
    assert_eq!(o["partner_account_id"], PARTNER);
    assert_eq!(o["kind"], "recurring");
    assert_eq!(o["buyer_account_ids"], json!([]));
    assert_eq!(o["currency"], "USD");
    assert_eq!(o["discount_pct"], "20");
    assert_eq!(o["state"], "active");
    assert_eq!(o["status"], "Authorized");
    assert_eq!(o["ends_on"], Value::Null);
    assert_eq!(o["offers_created"], 0);
    assert_eq!(
        o["prices"],
        json!([{ "dimension": "users", "pricing": "contract", "list_price": "1000.00", "wholesale_price": "800.00" }])
    );

    let list = env.json(&["--as", PARTNER, "opportunities", "list"]);
    assert_eq!(ids(&list), [opp.as_str()]);
    assert_eq!(ids(&env.json(&["--as", PARTNER, "opportunities", "list", "--status", "authorized"])), [opp.as_str()]);
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "list", "--status", "deactivated"]), json!([]));
    let table = env.ok(&["--as", PARTNER, "opportunities", "list"]);
    assert!(table.starts_with("OPPORTUNITY") && table.contains(&opp) && table.contains("20%"), "{table}");

    // A one-time opportunity with an explicit price, released at once.
    let one = env.create(
        &opportunity_args(
            &product,
            "Contoso only",
            &["--price", "users=750", "--one-time", "--buyer", BUYER, "--until", "2027-06-30", "--release"],
        ),
        "resaleauthz-",
        13,
    );
    let o = env.json(&["--as", ISV, "opportunities", "show", &one]);
    assert_eq!(o["kind"], "one_time");
    assert_eq!(o["buyer_account_ids"], json!([BUYER]));
    assert_eq!(o["discount_pct"], Value::Null);
    assert_eq!(o["ends_on"], "2027-06-30");
    assert_eq!(o["state"], "active");
    assert_eq!(o["prices"][0]["wholesale_price"], "750.00");

    // The partner ends the first one.
    let out = env.ok(&["--as", PARTNER, "opportunities", "end", &opp]);
    assert!(out.starts_with(&format!("{opp} ended")) && out.contains("(status: Deactivated)"), "{out}");
    let o = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((o["state"].as_str(), o["status"].as_str()), (Some("restricted"), Some("Deactivated")));
    assert_eq!(ids(&env.json(&["--as", ISV, "opportunities", "list", "--status", "deactivated"])), [opp.as_str()]);
}

#[test]
fn offers_create_show_list_release_extend_cancel_accept() {
    let (env, product, opp) = with_opportunity();
    let offer = draft_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let o = env.json(&["offers", "show", &offer]);
    assert_eq!(o["id"], offer.as_str());
    assert_eq!(o["name"], "Contoso 2027");
    assert_eq!(o["opportunity_id"], opp.as_str());
    assert_eq!(o["product_id"], product.as_str());
    assert_eq!(o["isv_account_id"], ISV);
    assert_eq!(o["partner_account_id"], PARTNER);
    assert_eq!(o["buyer_account_id"], BUYER);
    assert_eq!(o["currency"], "USD");
    assert_eq!((o["state"].as_str(), o["status"].as_str()), (Some("draft"), Some("Draft")));
    assert_eq!(o["expires_on"], "2026-12-31");
    assert_eq!(o["markup_pct"], "10");
    assert_eq!(o["wholesale_total"], "80000.00");
    assert_eq!(o["buyer_total"], "88000.00");
    assert_eq!(o["listing_fee_rate"], "3.5");
    assert_eq!(o["listing_fee"], "2800.00");
    assert_eq!(o["isv_net"], "77200.00");
    assert_eq!(o["partner_net"], "8000.00");
    // Drafts are the partner's own: neither the buyer nor the ISV sees one.
    env.refused(&["--as", BUYER, "offers", "show", &offer], &["not found"]);
    env.refused(&["--as", ISV, "offers", "show", &offer], &["not found"]);
    assert_eq!(env.json(&["--as", BUYER, "offers", "list"]), json!([]));

    let out = env.ok(&["--as", PARTNER, "offers", "release", &offer]);
    assert_eq!(out, format!("{offer} released to its buyer (status: Active, expires on 2026-12-31)\n"));
    let list = env.json(&["offers", "list"]);
    assert_eq!(ids(&list), [offer.as_str()]);
    assert_eq!((list[0]["state"].as_str(), list[0]["status"].as_str()), (Some("released"), Some("Active")));
    assert_eq!(list[0]["buyer_total"], "88000.00");
    assert_eq!(ids(&env.json(&["offers", "list", "--status", "active"])), [offer.as_str()]);
    assert_eq!(env.json(&["offers", "list", "--status", "draft"]), json!([]));

    let out = env.ok(&["offers", "extend", &offer, "--expires", "2027-01-31"]);
    assert_eq!(out, format!("{offer} extended (status: Active, expires on 2027-01-31)\n"));
    assert_eq!(env.json(&["offers", "show", &offer])["expires_on"], "2027-01-31");

    // Cancelled is its own status, not Expired: the partner withdrew it.
    let out = env.ok(&["offers", "cancel", &offer]);
    assert_eq!(out, format!("{offer} cancelled (status: Cancelled, expires on 2026-11-25)\n"));
    let o = env.json(&["offers", "show", &offer]);
    assert_eq!((o["status"].as_str(), o["expires_on"].as_str()), (Some("Cancelled"), Some("2026-11-25")));
    assert_eq!(o["cancelled_on"], TODAY);
    env.refused(&["--as", BUYER, "offers", "accept", &offer], &["was cancelled by the partner on 2026-11-26"]);

    // Extending a cancelled offer makes it Active again; then the buyer accepts it.
    env.ok(&["--as", PARTNER, "offers", "extend", &offer, "--expires", "2026-12-15"]);
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    let o = env.json(&["--as", BUYER, "offers", "show", &offer]);
    assert_eq!(o["status"], "Accepted");
    assert_eq!(o["agreement_id"], agreement.as_str());
    let table = env.ok(&["--as", BUYER, "offers", "show", &offer]);
    assert!(table.contains("Buyer total:") && table.contains("88,000.00 USD"), "{table}");
    assert!(!table.to_lowercase().contains("wholesale") && !table.contains("Markup"), "{table}");
}

#[test]
fn agreements_disbursements_and_events() {
    let Example { env, opp, offer, agreement, .. } = worked_example();

    let list = env.json(&["--as", BUYER, "agreements", "list"]);
    assert_eq!(ids(&list), [agreement.as_str()]);
    let a = env.json(&["--as", BUYER, "agreements", "show", &agreement]);
    assert_eq!(a, list[0]);
    assert_eq!(a["offer_id"], offer.as_str());
    assert_eq!(a["opportunity_id"], opp.as_str());
    assert_eq!(a["buyer_account_id"], BUYER);
    assert_eq!(a["partner_account_id"], PARTNER);
    assert_eq!(a["isv_account_id"], ISV);
    assert_eq!(a["currency"], "USD");
    assert_eq!(a["status"], "ACTIVE");
    assert_eq!(a["starts_on"], TODAY);
    assert_eq!(a["ends_on"], "2027-11-26");
    assert_eq!(a["total"], "88000.00");
    let charges = a["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 1);
    assert!(is_id(charges[0]["id"].as_str().unwrap(), "chrg-", 13), "{a}");
    assert_eq!(charges[0]["due_on"], TODAY);
    assert_eq!(charges[0]["amount"], "88000.00");
    assert_eq!(charges[0]["paid_on"], TODAY);
    assert!(!keys(&a).contains("wholesale_total") && !keys(&a).contains("listing_fee_rate"), "{a}");

    // The partner sees everything; the ISV of a recurring opportunity sees the partner
    // as the buyer and no buyer price.
    let p = env.json(&["--as", PARTNER, "agreements", "show", &agreement]);
    assert_eq!((p["total"].as_str(), p["buyer_account_id"].as_str()), (Some("88000.00"), Some(BUYER)));
    let i = env.json(&["--as", ISV, "agreements", "show", &agreement]);
    assert_eq!(i["buyer_account_id"], PARTNER);
    assert!(!keys(&i).contains("total"), "{i}");
    assert_eq!(i["charges"][0]["paid_on"], TODAY);
    assert!(i["charges"][0].get("amount").is_none(), "{i}");
    env.refused(&["--as", OTHER_BUYER, "agreements", "show", &agreement], &["not found"]);
    let table = env.ok(&["--as", BUYER, "agreements", "list"]);
    assert!(table.starts_with("AGREEMENT") && table.contains("1/1"), "{table}");

    // Disbursements: each payee sees its own; the buyer none.
    assert_eq!(env.json(&["--as", BUYER, "disbursements", "list"]), json!([]));
    let d = env.json(&["--as", PARTNER, "disbursements", "list"]);
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert!(is_id(d[0]["id"].as_str().unwrap(), "disb-", 13), "{d}");
    assert_eq!(d[0]["agreement_id"], agreement.as_str());
    assert_eq!(d[0]["charge_id"], charges[0]["id"]);
    assert_eq!(d[0]["payee_account_id"], PARTNER);
    assert_eq!(d[0]["role"], "partner");
    assert_eq!(d[0]["currency"], "USD");
    assert_eq!(d[0]["paid_on"], TODAY);
    assert!(d[0].get("listing_fee").is_none(), "{d}");
    let table = env.ok(&["--as", ISV, "disbursements", "list"]);
    assert!(table.contains("77,200.00 USD") && table.contains("2,800.00 USD"), "{table}");

    // Events: the buyer reads the offer's release (not its draft), the partner both.
    let e = env.json(&["--as", BUYER, "events", "list", "--entity", &offer]);
    let actions: Vec<&str> = e.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["release"]);
    assert_eq!(e[0]["actor"], PARTNER);
    assert_eq!(e[0]["entity"], "offer");
    assert_eq!(e[0]["entity_id"], offer.as_str());
    assert_eq!((e[0]["from_state"].as_str(), e[0]["to_state"].as_str()), (Some("draft"), Some("released")));
    assert!(e[0]["at"].as_str().unwrap().starts_with(TODAY), "{e}");
    let e = env.json(&["--as", PARTNER, "events", "list", "--entity", &offer]);
    let actions: Vec<&str> = e.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "release"]);
    let all = env.json(&["--as", BUYER, "events", "list"]);
    let seen: BTreeSet<&str> = all.as_array().unwrap().iter().map(|e| e["entity_id"].as_str().unwrap()).collect();
    assert!(seen.contains(agreement.as_str()) && seen.contains(offer.as_str()), "{all}");
    assert!(!seen.contains(opp.as_str()), "the buyer never sees opportunities: {all}");
    let table = env.ok(&["--as", BUYER, "events", "list"]);
    assert!(table.contains("accept") && table.contains("pay"), "{table}");
}

#[test]
fn lists_sort_by_any_column_they_show_either_way() {
    let env = Env::new();
    env.ok(&["demo"]);
    let northwind = "902174365518";
    let list = |args: &[&str]| {
        let mut a = vec!["--as", northwind, "offers", "list"];
        a.extend_from_slice(args);
        env.json(&a).as_array().unwrap().clone()
    };
    let all = list(&[]);
    // By amount, largest first: by currency, then the buyer's total.
    let by_amount = list(&["--sort", "amount", "--desc"]);
    assert_eq!(by_amount.len(), all.len());
    let key = |o: &Value| {
        let total: rust_decimal::Decimal = o["buyer_total"].as_str().unwrap().parse().unwrap();
        (o["currency"].as_str().unwrap().to_owned(), total)
    };
    let keys: Vec<_> = by_amount.iter().map(key).collect();
    assert!(keys.iter().rev().is_sorted(), "{keys:?}");
    // By buyer (an alias of counterparty), by expiry (of date), by status.
    for (word, field) in [("buyer", "buyer_account_id"), ("expires", "expires_on"), ("status", "status")] {
        let rows = list(&["--sort", word]);
        assert_eq!(rows.len(), all.len(), "--sort {word}");
        assert_ne!(ids(&Value::from(rows.clone())), ids(&Value::from(all.clone())), "--sort {word} orders otherwise");
        if word == "expires" {
            let dates: Vec<&str> = rows.iter().map(|o| o[field].as_str().unwrap()).collect();
            assert!(dates.is_sorted(), "{dates:?}");
        }
    }
    let status = list(&["--sort", "status"]);
    assert_eq!(status[0]["status"], "Draft", "drafts first, as `f` cycles the statuses");
    // Opportunities sort by their own columns; a column a list does not have is refused, naming those it has.
    let opps = env.json(&["--as", northwind, "opportunities", "list", "--sort", "ends", "--desc"]);
    let ends: Vec<&str> = opps.as_array().unwrap().iter().map(|o| o["ends_on"].as_str().unwrap_or("9999")).collect();
    assert!(ends.iter().rev().is_sorted(), "{ends:?}");
    env.refused(&["--as", northwind, "opportunities", "list", "--sort", "amount"], &["no column `amount`", "discount"]);
    env.refused(&["--as", northwind, "offers", "list", "--sort", "kind"], &["no column `kind`", "amount"]);
}

#[test]
fn an_imported_legal_name_with_a_control_character_is_refused_naming_the_account() {
    let env = Env::new();
    let fixture = std::fs::read_to_string("tests/fixtures/aws/list-resale-authorizations.json").unwrap();
    let reseller = "420061735518";
    // First known by id alone (no legal name in the input), then by a name holding U+001F.
    let mut without: Value = serde_json::from_str(&fixture).unwrap();
    for e in without["EntitySummaryList"].as_array_mut().unwrap() {
        e["ResaleAuthorizationSummary"].as_object_mut().unwrap().remove("ResellerLegalName");
    }
    let first = env.dir.path().join("first.json");
    std::fs::write(&first, without.to_string()).unwrap();
    env.ok(&["--as", reseller, "import", first.to_str().unwrap()]);
    let second = env.dir.path().join("second.json");
    let renamed = fixture
        .replace("Northwind Cloud Resale LLC", "North\\u001fwind")
        .replace("2026-11-24T10:15:02Z", "2026-11-25T10:15:02Z");
    std::fs::write(&second, renamed).unwrap();
    env.refused(
        &["--as", reseller, "import", second.to_str().unwrap()],
        &["account 420061735518", "control character"],
    );
}

#[test]
fn the_isv_extends_an_opportunity_and_every_refusal_writes_nothing() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = env.create(
        &opportunity_args(&product, "Acme until January", &["--discount", "20", "--until", "2027-01-15", "--release"]),
        "resaleauthz-",
        13,
    );
    let out = env.ok(&["--as", ISV, "opportunities", "extend", &opp, "--until", "2027-06-30"]);
    assert_eq!(out, format!("{opp} extended to 2027-06-30 (status: Authorized)\n"));
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "show", &opp])["ends_on"], "2027-06-30");
    let events = env.ok(&["--as", ISV, "events", "list", "--entity", &opp]);
    assert!(events.contains("extend"), "the audit log has it: {events}");
    // The partner sees it and may offer until then, but may not extend it.
    env.refused(&["--as", PARTNER, "opportunities", "extend", &opp, "--until", "2027-07-31"], &["only the ISV"]);
    env.refused(
        &["--as", ISV, "opportunities", "extend", &opp, "--until", "2027-06-30"],
        &["is not after the current end date 2027-06-30"],
    );
    env.refused(&["--as", ISV, "opportunities", "extend", &opp, "--until", "2027-02-30"], &["--until", "no such day"]);
    env.refused_at(
        "2027-07-01",
        &["--as", ISV, "opportunities", "extend", &opp, "--until", "2027-12-31"],
        &["Expired"],
    );
    let indefinite = add_opportunity(&env, &product);
    env.refused(&["--as", ISV, "opportunities", "extend", &indefinite, "--until", "2027-12-31"], &["has no end date"]);
    env.usage_error(&["--as", ISV, "opportunities", "extend", &opp], &["--until"]);
}
