//! The JSON contract of DESIGN.md ("CLI"), one snapshot per entity and audience, taken from
//! the real binary on the demo file (its ids are seeded, its clock fixed): a change to the
//! contract shows here as a snapshot diff, on purpose or not at all.

use crate::demo_file;
use crate::env;

use demo_file::TODAY;
use env::Env;

const PARTNER: &str = "902174365518";
const ISV: &str = "418227093615";
const BUYER: &str = "221078463519";

fn cppo(env: &Env, args: &[&str]) -> String {
    let o = env.output(TODAY, args);
    assert_eq!(o.code, 0, "cppo {args:?}: {}", o.stderr);
    o.stdout
}

fn first(json: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_array().and_then(|a| a.first()).cloned().unwrap_or(v)
}

#[test]
fn every_entity_keeps_its_json_shape_for_every_audience() {
    let d = &Env::new();
    demo_file::copy_demo(&d.db);
    let snap = |name: &str, v: &serde_json::Value| {
        insta::assert_snapshot!(name, serde_json::to_string_pretty(v).unwrap());
    };
    snap("json_account", &first(&cppo(d, &["--json", "accounts", "list"])));
    snap("json_product", &first(&cppo(d, &["--json", "products", "list"])));
    let opportunity = first(&cppo(d, &["--as", PARTNER, "--json", "opportunities", "list", "--status", "reusable"]));
    snap("json_opportunity_row_partner", &opportunity);
    let id = opportunity["id"].as_str().unwrap();
    snap("json_opportunity_partner", &first(&cppo(d, &["--as", PARTNER, "--json", "opportunities", "show", id])));
    snap("json_opportunity_isv", &first(&cppo(d, &["--as", ISV, "--json", "opportunities", "show", id])));
    let offer = first(&cppo(d, &["--as", PARTNER, "--json", "offers", "list", "--status", "accepted"]));
    snap("json_offer_row_partner", &offer);
    let id = offer["id"].as_str().unwrap();
    snap("json_offer_partner", &first(&cppo(d, &["--as", PARTNER, "--json", "offers", "show", id])));
    snap("json_offer_isv", &first(&cppo(d, &["--as", ISV, "--json", "offers", "show", id])));
    snap("json_offer_buyer", &first(&cppo(d, &["--as", BUYER, "--json", "offers", "show", id])));
    let agreement = offer["agreement_id"].as_str().unwrap();
    for (who, account) in [("partner", PARTNER), ("isv", ISV), ("buyer", BUYER)] {
        let v = first(&cppo(d, &["--as", account, "--json", "agreements", "show", agreement]));
        snap(&format!("json_agreement_{who}"), &v);
    }
    snap("json_disbursement", &first(&cppo(d, &["--as", PARTNER, "--json", "disbursements", "list"])));
    snap("json_event", &first(&cppo(d, &["--as", PARTNER, "--json", "events", "list"])));
}
