//! An import obeys the same authority as a command: who may write a record is decided from
//! the record the file holds, never from the input. Each test is an attack that once worked
//! (issue 17): a file with the demo plus AWS's book imported by its partner, then AWS-shaped
//! input written by someone else.

mod common;

use chrono::NaiveDate;
use common::id;
use cppo::aws::import::{Entry, read};
use cppo::domain::{FixedClock, OfferId, OpportunityId};
use cppo::market::{ImportOptions, ImportReport, Market, Outcome, demo};
use serde_json::{Value, json};

const AWS_PARTNER: &str = "420061735518";
const AWS_ISV: &str = "590183746201";
/// Demo partners and ISV, strangers to AWS's book.
const NORTHWIND: &str = "902174365518";
const BLUEFIN: &str = "347810256693";
const DATAPEAK: &str = "418227093615";
const CONTOSO: &str = "381904526617";
const CONTRACT_RA: &str = "resaleauthz-5tq8wz2kd7n3c";
const RELEASED_OFFER: &str = "offer-4nd8kq2ws7x1z";
const DRAFT_OFFER: &str = "offer-9rk3zt6mw1p4c";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/aws/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn entries(doc: &Value) -> Vec<Entry> {
    read("input.json", &doc.to_string()).unwrap()
}

/// The demo, and AWS's book imported by its partner.
fn book() -> (tempfile::TempDir, Market) {
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock::on(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    let mut m = Market::open(&dir.path().join("cppo.db"), Box::new(clock)).unwrap();
    demo::load(&mut m).unwrap();
    let r = m.import(&id(AWS_PARTNER), &entries(&fixture("describe-all.json")), ImportOptions::default()).unwrap();
    assert!(r.count("created") >= 6, "{r:#?}");
    (dir, m)
}

fn import(m: &mut Market, actor: &str, doc: &Value, force: bool, dry_run: bool) -> ImportReport {
    let opts = ImportOptions { force, dry_run, ..ImportOptions::default() };
    m.import(&id(actor), &entries(doc), opts).unwrap()
}

/// The one line's reason, which must be a skip.
fn skipped(r: &ImportReport) -> String {
    assert_eq!(r.lines.len(), 1, "{r:#?}");
    match &r.lines[0].outcome {
        Outcome::Skipped(why) => why.clone(),
        other => panic!("expected a skip, got {other:?}"),
    }
}

fn hidden(id: &str) -> String {
    format!("{id} is another account's record in this file: only its ISV or its partner imports it")
}

/// Every row of every table, to prove that a refused import wrote nothing.
fn dump(m: &Market) -> Vec<String> {
    let conn = m.store().conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// A resale authorization as AWS describes it: AWS's contract fixture, as entity `ra` of `isv`
/// to `partner` on `product`, priced per 12 months at `prices`, targeting no buyer.
fn authorization(ra: &str, isv: &str, partner: &str, product: &str, prices: &[(&str, &str)]) -> Value {
    let mut d = fixture("describe-ra-contract.json");
    d["EntityIdentifier"] = json!(format!("{ra}@9"));
    let doc = &mut d["DetailsDocument"];
    doc["ProductId"] = json!(product);
    doc["ManufacturerAccountId"] = json!(isv);
    doc["Rules"][1]["ResellerAccountId"] = json!(partner);
    doc["Dimensions"] =
        prices.iter().map(|(k, _)| json!({"Name": k, "Key": k, "Unit": "Units", "Types": ["Entitled"]})).collect();
    doc["Terms"][0]["RateCards"][0]["RateCard"] =
        prices.iter().map(|(k, p)| json!({"DimensionKey": k, "Price": p})).collect();
    doc["Terms"].as_array_mut().unwrap().retain(|t| t["Type"] != "BuyerTargetingTerm");
    d
}

/// A demo opportunity made in cppo, Active, recurring, in USD, priced by contract: (id, ISV, partner, product,
/// its dimension keys).
fn made_in_cppo(m: &Market, partner_not: &str) -> (String, String, String, String, Vec<String>) {
    let conn = m.store().conn();
    let (id, isv, partner, product): (String, String, String, String) = conn
        .query_row(
            "SELECT id, isv_account_id, partner_account_id, product_id FROM opportunities
             WHERE state = 'active' AND kind = 'recurring' AND currency = 'USD' AND partner_account_id != ?1
               AND id NOT IN (SELECT entity_id FROM aws_sources)
               AND id NOT IN (SELECT opportunity_id FROM opportunity_prices WHERE pricing = 'usage')
             ORDER BY id LIMIT 1",
            [partner_not],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let keys = conn
        .prepare("SELECT dimension_key FROM opportunity_prices WHERE opportunity_id = ?1 ORDER BY position")
        .unwrap()
        .query_map([&id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (id, isv, partner, product, keys)
}

#[test]
fn a_partner_cannot_take_over_another_partners_authorization() {
    let (_dir, mut m) = book();
    let before = dump(&m);
    let mut doc = fixture("describe-ra-contract.json");
    doc["DetailsDocument"]["Rules"][1]["ResellerAccountId"] = json!(NORTHWIND);
    doc["DetailsDocument"]["Terms"][0]["RateCards"][0]["RateCard"][0]["Price"] = json!("1.00");
    for force in [false, true] {
        let r = import(&mut m, NORTHWIND, &doc, force, false);
        assert_eq!(skipped(&r), hidden(CONTRACT_RA));
    }
    assert_eq!(dump(&m), before, "nothing written");
    let ra = OpportunityId::parse(CONTRACT_RA).unwrap();
    assert!(m.opportunity(&id(NORTHWIND), &ra).is_err(), "the thief still sees nothing");
    let (held, _) = m.opportunity(&id(AWS_PARTNER), &ra).unwrap();
    assert_eq!(held.partner, id(AWS_PARTNER));

    // An opportunity made in cppo, with its offers, is no easier to take, --force or not.
    let (opp, isv, partner, product, keys) = made_in_cppo(&m, NORTHWIND);
    let prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "1.00")).collect();
    let doc = authorization(&opp, &isv, NORTHWIND, &product, &prices);
    for force in [false, true] {
        assert_eq!(skipped(&import(&mut m, NORTHWIND, &doc, force, false)), hidden(&opp));
    }
    // Its own partner may not hand it to another partner either.
    let doc = authorization(&opp, &isv, NORTHWIND, &product, &prices);
    let why = skipped(&import(&mut m, &partner, &doc, true, false));
    assert!(why.contains(&format!("its partner is {partner} in cppo, and the input names {NORTHWIND}")), "{why}");
    assert_eq!(dump(&m), before, "nothing written");
}

#[test]
fn a_partner_cannot_rewrite_another_partners_offer() {
    let (_dir, mut m) = book();
    let before = dump(&m);
    let mut doc = fixture("describe-offer-released.json");
    let d = &mut doc["DetailsDocument"];
    d["Name"] = json!("Rewritten");
    d["MarkupPercentage"] = json!("90");
    d["Rules"][0]["PositiveTargeting"]["BuyerAccounts"] = json!(["706512394855"]);
    for actor in [NORTHWIND, AWS_ISV, CONTOSO] {
        for force in [false, true] {
            let why = skipped(&import(&mut m, actor, &doc, force, false));
            if actor == NORTHWIND {
                assert_eq!(why, hidden(RELEASED_OFFER));
            } else {
                // The ISV and the buyer see the released offer, and may not import it.
                assert!(why.contains(&format!("only its partner ({AWS_PARTNER}) imports {RELEASED_OFFER}")), "{why}");
            }
        }
    }
    assert_eq!(dump(&m), before, "nothing written");
    // The buyer the thief named still cannot accept it.
    assert!(m.accept_offer(&id("706512394855"), &OfferId::parse(RELEASED_OFFER).unwrap()).is_err());
}

#[test]
fn an_isv_cannot_reprice_another_isvs_authorization() {
    let (_dir, mut m) = book();
    let before = dump(&m);
    let product: String = m
        .store()
        .conn()
        .query_row("SELECT id FROM products WHERE isv_account_id = ?1 ORDER BY id LIMIT 1", [DATAPEAK], |r| r.get(0))
        .unwrap();
    let key: String = m
        .store()
        .conn()
        .query_row("SELECT key FROM dimensions WHERE product_id = ?1 ORDER BY position LIMIT 1", [&product], |r| {
            r.get(0)
        })
        .unwrap();
    let doc = authorization(CONTRACT_RA, DATAPEAK, AWS_PARTNER, &product, &[(&key, "1.00")]);
    for force in [false, true] {
        assert_eq!(skipped(&import(&mut m, DATAPEAK, &doc, force, false)), hidden(CONTRACT_RA));
    }
    assert_eq!(dump(&m), before, "nothing written");
}

#[test]
fn a_partner_cannot_rename_or_extend_another_isvs_product() {
    let (_dir, mut m) = book();
    let before = dump(&m);
    // The ISV's catalog in cppo (made with list prices): no authorization, no new dimension,
    // no new name comes from anyone else's import.
    let (_, isv, _, product, keys) = made_in_cppo(&m, NORTHWIND);
    let mut prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "1.00")).collect();
    let mut doc = authorization("resaleauthz-0fakeplanted0", &isv, AWS_PARTNER, &product, &prices);
    doc["DetailsDocument"]["ProductName"] = json!("HACKED NAME");
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, true, false));
    assert!(why.contains("catalog of its ISV") && why.contains(&isv), "{why}");
    prices.push(("hacked", "1.00"));
    let doc = authorization("resaleauthz-0fakeplanted0", &isv, AWS_PARTNER, &product, &prices);
    assert!(skipped(&import(&mut m, AWS_PARTNER, &doc, true, false)).contains("catalog of its ISV"));
    assert_eq!(dump(&m), before, "nothing written");

    // A product learned from AWS: its ISV renames it and adds dimensions; its partner may
    // import authorizations on it, but neither rename nor extend it.
    let aws_product = "prod-7fk2qv9xw3m4a";
    let title = |m: &Market| m.product(&cppo::domain::ProductId::parse(aws_product).unwrap()).unwrap().title;
    let was = title(&m);
    let mut doc = authorization("resaleauthz-0newpartner00", AWS_ISV, AWS_PARTNER, aws_product, &[("seats", "5.00")]);
    doc["DetailsDocument"]["ProductName"] = json!("HACKED NAME");
    let r = import(&mut m, AWS_PARTNER, &doc, false, false);
    assert_eq!(r.lines[0].outcome, Outcome::Created, "{r:#?}");
    assert!(r.lines[0].notes.iter().any(|n| n.contains("product name kept")), "{r:#?}");
    assert_eq!(title(&m), was);
    let doc = authorization("resaleauthz-0newdimension", AWS_ISV, AWS_PARTNER, aws_product, &[("hacked", "5.00")]);
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, false, false));
    assert!(why.contains("has no dimension `hacked`, and only its ISV"), "{why}");
    let mut doc = authorization("resaleauthz-0newdimension", AWS_ISV, AWS_PARTNER, aws_product, &[("extra", "5.00")]);
    doc["DetailsDocument"]["ProductName"] = json!("Brightwave Insights 2");
    let r = import(&mut m, AWS_ISV, &doc, false, false);
    assert_eq!(r.lines[0].outcome, Outcome::Created, "{r:#?}");
    assert_eq!(title(&m), "Brightwave Insights 2");
}

#[test]
fn no_account_overwrites_a_summary_it_does_not_hold() {
    let (_dir, mut m) = book();
    let list = fixture("list-resale-authorizations.json");
    let r = import(&mut m, AWS_PARTNER, &list, false, false);
    assert!(r.count("created") >= 1, "{r:#?}");
    let before = dump(&m);
    let summary_id = "resaleauthz-4kx8bq2lr5t7m";
    let mut entry = list["EntitySummaryList"][0].clone();
    assert_eq!(entry["EntityId"], summary_id);
    entry["ResaleAuthorizationSummary"]["Name"] = json!("Overwritten");
    entry["ResaleAuthorizationSummary"]["ResellerAccountID"] = json!(CONTOSO);
    let doc = json!({"EntitySummaryList": [entry]});
    for actor in [CONTOSO, NORTHWIND] {
        for force in [false, true] {
            assert_eq!(skipped(&import(&mut m, actor, &doc, force, false)), hidden(summary_id));
        }
    }
    // Its own partner may not move it to another partner.
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, false, false));
    assert!(why.contains(&format!("its partner is {AWS_PARTNER} in cppo")), "{why}");
    assert_eq!(dump(&m), before, "nothing written");
    // Nor may a stranger import its details under parties of its own.
    let doc = authorization(summary_id, AWS_ISV, NORTHWIND, "prod-7fk2qv9xw3m4a", &[("seats", "1.00")]);
    assert_eq!(skipped(&import(&mut m, NORTHWIND, &doc, true, false)), hidden(summary_id));
    assert_eq!(dump(&m), before, "nothing written");
}

#[test]
fn an_accepted_offer_is_never_rewritten_even_forced() {
    let (_dir, mut m) = book();
    let offer = OfferId::parse(RELEASED_OFFER).unwrap();
    m.accept_offer(&id(CONTOSO), &offer).unwrap();
    let before = dump(&m);
    let mut doc = fixture("describe-offer-released.json");
    doc["DetailsDocument"]["MarkupPercentage"] = json!("50");
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, true, false));
    assert!(why.contains("is accepted (agreement agmt-") && why.contains("--force included"), "{why}");
    doc["DetailsDocument"]["Rules"][0]["PositiveTargeting"]["BuyerAccounts"] = json!(["381904526618"]);
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, true, false));
    assert!(why.contains("its buyer is 381904526617 in cppo"), "{why}");
    assert_eq!(dump(&m), before, "nothing written");
    // AWS's same version is still unchanged, not refused.
    let r = import(&mut m, AWS_PARTNER, &fixture("describe-offer-released.json"), false, false);
    assert_eq!(r.lines[0].outcome, Outcome::Unchanged, "{r:#?}");
}

#[test]
fn an_imported_record_passes_the_rules_a_command_obeys() {
    let (_dir, mut m) = book();
    let before = dump(&m);
    // Wholesale above the list price of the ISV's own catalog.
    let (_, isv, partner, product, keys) = made_in_cppo(&m, NORTHWIND);
    let prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "99999999.00")).collect();
    let doc = authorization("resaleauthz-0abovelist000", &isv, &partner, &product, &prices);
    let why = skipped(&import(&mut m, &isv, &doc, false, false));
    assert!(why.contains("is above its list price"), "{why}");
    // A usage price on a dimension the product prices by contract.
    let mut doc = fixture("describe-ra-usage.json");
    doc["EntityIdentifier"] = json!("resaleauthz-0usageonseats@1");
    let d = &mut doc["DetailsDocument"];
    d["ProductId"] = json!("prod-7fk2qv9xw3m4a");
    d["Dimensions"] = json!([{"Name": "Seats", "Key": "seats", "Unit": "Users", "Types": ["ExternallyMetered"]}]);
    d["Terms"][0]["RateCards"][0]["RateCard"] = json!([{"DimensionKey": "seats", "Price": "0.00012500"}]);
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, false, false));
    assert!(why.contains("`seats` is priced by usage on AWS") && why.contains("by contract"), "{why}");
    // An offer that expires after its authorization ends (2027-06-30).
    let mut doc = fixture("describe-offer-draft.json");
    doc["EntityIdentifier"] = json!("offer-0lateexpiry00@1");
    doc["DetailsDocument"]["Id"] = json!("offer-0lateexpiry00");
    let rules = doc["DetailsDocument"]["Rules"].as_array_mut().unwrap();
    rules.retain(|r| r["Type"] != "AvailabilityRule");
    rules.push(json!({"Type": "AvailabilityRule", "AvailabilityEndDate": "2027-12-31T23:59:59Z"}));
    let why = skipped(&import(&mut m, AWS_PARTNER, &doc, false, false));
    assert!(why.contains("it expires 2027-12-31, after its resale authorization's end date 2027-06-30"), "{why}");
    assert_eq!(dump(&m), before, "nothing written");
}

#[test]
fn a_dry_run_says_nothing_of_records_the_actor_cannot_see() {
    let (_dir, mut m) = book();
    // Made in cppo or imported, another account's record reads the same, dry or not, and
    // never as "created" or a conflict.
    let (opp, isv, _, product, keys) = made_in_cppo(&m, BLUEFIN);
    let prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "1.00")).collect();
    let mine = authorization(&opp, &isv, BLUEFIN, &product, &prices);
    let aws = authorization(CONTRACT_RA, AWS_ISV, BLUEFIN, "prod-7fk2qv9xw3m4a", &[("seats", "1.00")]);
    for dry_run in [true, false] {
        for force in [false, true] {
            assert_eq!(skipped(&import(&mut m, BLUEFIN, &mine, force, dry_run)), hidden(&opp));
            assert_eq!(skipped(&import(&mut m, BLUEFIN, &aws, force, dry_run)), hidden(CONTRACT_RA));
        }
    }
    // The partner's draft offer is hidden from the ISV, which sees only released offers.
    let why = skipped(&import(&mut m, AWS_ISV, &fixture("describe-offer-draft.json"), false, true));
    assert_eq!(why, hidden(DRAFT_OFFER));
}
