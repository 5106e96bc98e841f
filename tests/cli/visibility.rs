//! Visibility.

use super::*;

#[test]
fn another_buyers_offer_is_not_found_exactly_like_a_missing_one() {
    let Example { env, offer, .. } = worked_example();
    let missing = "offer-ZZZZZZZZZZZZZ";
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "show", &offer], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "show", missing], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace(missing, "<id>"));
    // The same with --json: still one line on stderr, nothing on stdout.
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "show", &offer, "--json"], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "show", missing, "--json"], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace(missing, "<id>"));
}

#[test]
fn each_party_sees_only_its_figures() {
    let Example { env, offer, .. } = worked_example();

    let buyer = env.json(&["--as", BUYER, "offers", "show", &offer]);
    for k in HIDDEN_FROM_BUYER {
        assert!(!keys(&buyer).contains(k), "the buyer sees `{k}`: {buyer}");
    }
    assert!(!keys(&buyer).contains("description"), "descriptions are never shown to buyers: {buyer}");
    assert_eq!(buyer["buyer_total"], "88000.00");
    assert_eq!(buyer["buyer_account_id"], BUYER);
    for line in buyer["lines"].as_array().unwrap() {
        assert!(line.get("wholesale_price").is_none() && line.get("wholesale_total").is_none(), "{line}");
    }

    let isv = env.json(&["--as", ISV, "offers", "show", &offer]);
    for k in HIDDEN_FROM_ISV {
        assert!(!keys(&isv).contains(k), "the ISV sees `{k}`: {isv}");
    }
    assert_eq!(isv["wholesale_total"], "80000.00");
    assert_eq!(isv["listing_fee"], "2800.00");
    assert_eq!(isv["isv_net"], "77200.00");
    // A recurring opportunity: AWS reports the partner as the buyer to the ISV.
    assert_eq!(isv["buyer_account_id"], PARTNER);
    for line in isv["lines"].as_array().unwrap() {
        assert!(line.get("buyer_price").is_none() && line.get("buyer_total").is_none(), "{line}");
    }

    let partner = env.json(&["--as", PARTNER, "offers", "show", &offer]);
    for k in HIDDEN_FROM_BUYER.iter().chain(&HIDDEN_FROM_ISV) {
        assert!(keys(&partner).contains(*k), "the partner lacks `{k}`: {partner}");
    }

    // The same rules hold in lists, and in the human output.
    let list = env.json(&["--as", BUYER, "offers", "list"]);
    for k in HIDDEN_FROM_BUYER {
        assert!(!keys(&list[0]).contains(k), "the buyer's list shows `{k}`");
    }
    let list = env.json(&["--as", ISV, "offers", "list"]);
    for k in HIDDEN_FROM_ISV {
        assert!(!keys(&list[0]).contains(k), "the ISV's list shows `{k}`");
    }
    let table = env.ok(&["--as", BUYER, "offers", "show", &offer]);
    assert!(!table.contains("80,000.00") && !table.contains("Markup") && !table.contains("Listing fee"), "{table}");
    let table = env.ok(&["--as", ISV, "offers", "list"]);
    assert!(!table.contains("88,000.00") && !table.contains("MARKUP"), "{table}");
}

#[test]
fn a_buyer_lists_only_its_released_offers() {
    let Example { env, opp, offer, .. } = worked_example();
    // A draft for the buyer, and a released offer for someone else.
    let draft = draft_offer(&env, &opp, BUYER, "5", "Contoso draft", "users=5");
    let other = add_offer(&env, &opp, OTHER_BUYER, "12.5", "Fabrikam 2027", "users=3");

    assert_eq!(ids(&env.json(&["--as", BUYER, "offers", "list"])), [offer.as_str()]);
    assert_eq!(ids(&env.json(&["--as", OTHER_BUYER, "offers", "list"])), [other.as_str()]);
    let mut isv: Vec<String> = ids(&env.json(&["--as", ISV, "offers", "list"])).into_iter().map(String::from).collect();
    isv.sort();
    let mut want = vec![offer.clone(), other.clone()];
    want.sort();
    assert_eq!(isv, want, "the ISV sees released offers only");
    let partner = env.json(&["--as", PARTNER, "offers", "list"]);
    assert_eq!(partner.as_array().unwrap().len(), 3);
    assert!(ids(&partner).contains(&draft.as_str()));
    let table = env.ok(&["--as", BUYER, "offers", "list"]);
    assert!(table.contains(&offer) && !table.contains(&draft) && !table.contains(&other), "{table}");
}
