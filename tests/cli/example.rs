//! The worked example, end to end.

use super::*;

#[test]
fn worked_example_pays_the_isv_and_the_partner() {
    let Example { env, product, opp, offer, agreement } = worked_example();

    let partner_view = env.json(&["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!(partner_view["product_id"], product.as_str());
    assert_eq!(partner_view["opportunity_id"], opp.as_str());
    assert_eq!(partner_view["agreement_id"], agreement.as_str());
    assert_eq!(partner_view["wholesale_total"], "80000.00");
    assert_eq!(partner_view["buyer_total"], "88000.00");
    assert_eq!(partner_view["listing_fee"], "2800.00");
    assert_eq!(partner_view["isv_net"], "77200.00");
    assert_eq!(partner_view["partner_net"], "8000.00");
    assert_eq!(partner_view["status"], "Accepted");

    let isv = env.json(&["--as", ISV, "disbursements", "list"]);
    assert_eq!(isv.as_array().unwrap().len(), 1, "{isv}");
    assert_eq!(isv[0]["agreement_id"], agreement.as_str());
    assert_eq!(isv[0]["payee_account_id"], ISV);
    assert_eq!(isv[0]["role"], "isv");
    assert_eq!(isv[0]["amount"], "77200.00");
    assert_eq!(isv[0]["listing_fee"], "2800.00");
    assert_eq!(isv[0]["currency"], "USD");

    let partner = env.json(&["--as", PARTNER, "disbursements", "list"]);
    assert_eq!(partner.as_array().unwrap().len(), 1, "{partner}");
    assert_eq!(partner[0]["role"], "partner");
    assert_eq!(partner[0]["amount"], "8000.00");

    // Paying again is refused: every charge is paid.
    env.refused(&["--as", BUYER, "agreements", "pay", &agreement], &["paid", &agreement]);
}
