//! An import obeys the same authority as a command: who may write a record is decided from
//! the record the file holds, never from the input. Each test is an attack that once worked
//! (issue 17): a file with the demo plus AWS's book imported by its partner, then AWS-shaped
//! input written by someone else.

use crate::common;
use crate::demo_file;

use chrono::NaiveDate;
use common::id;
use cppo::aws::import::{Entry, read};
use cppo::domain::{FixedClock, OfferId, OpportunityId};
use cppo::market::{ImportOptions, ImportReport, Market, Outcome};
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
    let path = demo_file::copy_demo_on("2026-11-30", &dir.path().join("cppo.db"));
    let mut m = Market::open(&path, Box::new(clock)).unwrap();
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
                let cells: Vec<String> = (0..n).map(|i| cell(r.get_ref(i).unwrap())).collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// The first column of `sql`'s rows.
fn column(m: &Market, sql: &str) -> Vec<String> {
    let conn = m.store().conn();
    let mut st = conn.prepare(sql).unwrap();
    st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn cell(v: rusqlite::types::ValueRef<'_>) -> String {
    match v {
        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        other => format!("{other:?}"),
    }
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
    for force in [false, true] {
        // Named by the input, it learns nothing of the summary; not named, its own input refuses it.
        assert_eq!(skipped(&import(&mut m, CONTOSO, &doc, force, false)), hidden(summary_id));
        assert!(skipped(&import(&mut m, NORTHWIND, &doc, force, false)).contains("neither its ISV"));
    }
    // Its ISV may not move it to another partner.
    let why = skipped(&import(&mut m, AWS_ISV, &doc, false, false));
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
    // An offer made from an authorization another account knows by its summary only: the
    // summary is not mentioned to anyone else.
    let list = fixture("list-resale-authorizations.json");
    import(&mut m, AWS_PARTNER, &list, false, false);
    let mut offer = fixture("describe-offer-released.json");
    offer["EntityIdentifier"] = json!("offer-0fromsummary0@1");
    offer["DetailsDocument"]["Id"] = json!("offer-0fromsummary0");
    offer["DetailsDocument"]["ResaleAuthorizationId"] = json!("resaleauthz-4kx8bq2lr5t7m");
    let why = skipped(&import(&mut m, BLUEFIN, &offer, false, true));
    assert_eq!(
        why,
        "its resale authorization resaleauthz-4kx8bq2lr5t7m is not in cppo: import its describe-entity first"
    );
    let why = skipped(&import(&mut m, AWS_PARTNER, &offer, false, true));
    assert!(why.contains("known by its summary only"), "{why}");
    // The partner's draft offer is hidden from the ISV, which sees only released offers.
    let why = skipped(&import(&mut m, AWS_ISV, &fixture("describe-offer-draft.json"), false, true));
    assert_eq!(why, hidden(DRAFT_OFFER));
}

// ---- The property: an import never changes what the actor does not hold ----------------

mod property {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};

    /// One AWS entity of a random input, each field an index into what the file holds (or a
    /// fresh value), so that inputs aim at real records as an attacker's would.
    #[derive(Debug, Clone)]
    enum Doc {
        /// `coherent`: its ISV, partner and product are those the file holds for its id (or, for
        /// a new id, the product's ISV and the actor), as AWS's own answer would name them.
        Authorization {
            id: usize,
            isv: usize,
            partner: usize,
            product: usize,
            price: usize,
            extra: bool,
            status: usize,
            coherent: bool,
        },
        Offer {
            id: usize,
            ra: usize,
            buyer: usize,
            markup: usize,
            released: bool,
            expiry: usize,
        },
        Summary {
            id: usize,
            isv: usize,
            partner: usize,
            name: usize,
        },
    }

    fn doc() -> impl Strategy<Value = Doc> {
        let i = || 0usize..64;
        prop_oneof![
            3 => (i(), i(), i(), i(), 0usize..3, any::<bool>(), 0usize..3, 0..4).prop_map(
                |(id, isv, partner, product, price, extra, status, coherent)| Doc::Authorization {
                    id,
                    isv,
                    partner,
                    product,
                    price,
                    extra,
                    status,
                    coherent: coherent > 0
                }
            ),
            2 => (i(), i(), i(), 0usize..3, any::<bool>(), 0usize..3)
                .prop_map(|(id, ra, buyer, markup, released, expiry)| Doc::Offer { id, ra, buyer, markup, released, expiry }),
            1 => (i(), i(), i(), 0usize..2).prop_map(|(id, isv, partner, name)| Doc::Summary { id, isv, partner, name }),
        ]
    }

    /// What the file holds, to aim at: all of it, and what the acting account holds (most
    /// picks aim there, so that allowed writes happen as often as refused ones).
    struct Targets {
        actor: String,
        accounts: Vec<String>,
        opportunities: Vec<String>,
        offers: Vec<String>,
        /// (product id, its dimension keys)
        products: Vec<(String, Vec<String>)>,
        /// Each opportunity's (ISV, partner, product), and each product's ISV.
        held: std::collections::HashMap<String, (String, String, String)>,
        /// Each offer's authorization.
        made_from: std::collections::HashMap<String, String>,
        isv_of: std::collections::HashMap<String, String>,
        mine: Mine,
    }

    #[derive(Default)]
    struct Mine {
        opportunities: Vec<String>,
        offers: Vec<String>,
        products: Vec<(String, Vec<String>)>,
    }

    impl Targets {
        /// Aims at `actor`'s own records too.
        fn for_actor(&mut self, m: &Market, actor: &str) {
            self.actor = actor.to_owned();
            let opportunities = column(
                m,
                &format!(
                    "SELECT id FROM opportunities WHERE '{actor}' IN (isv_account_id, partner_account_id) ORDER BY id"
                ),
            );
            let products = column(
                m,
                &format!(
                    "SELECT DISTINCT product_id FROM opportunities WHERE '{actor}' IN (isv_account_id, partner_account_id)
                     UNION SELECT id FROM products WHERE isv_account_id = '{actor}' ORDER BY 1"
                ),
            );
            self.mine = Mine {
                opportunities,
                offers: column(m, &format!("SELECT id FROM offers WHERE partner_account_id = '{actor}' ORDER BY id")),
                products: self.products.iter().filter(|(p, _)| products.contains(p)).cloned().collect(),
            };
        }

        fn of(m: &Market) -> Self {
            let mut opportunities = column(m, "SELECT id FROM opportunities ORDER BY id");
            opportunities.extend(column(m, "SELECT entity_id FROM aws_summaries WHERE entity = 'opportunity'"));
            opportunities.extend(["resaleauthz-0fresh0000001".into(), "resaleauthz-0fresh0000002".into()]);
            let mut offers = column(m, "SELECT id FROM offers ORDER BY id");
            offers.extend(["offer-0fresh0000001".into(), "offer-0fresh0000002".into()]);
            let products = column(m, "SELECT id FROM products ORDER BY id")
                .into_iter()
                .map(|p| {
                    let keys =
                        column(m, &format!("SELECT key FROM dimensions WHERE product_id = '{p}' ORDER BY position"));
                    (p, keys)
                })
                .collect();
            let accounts = column(m, "SELECT id FROM accounts ORDER BY id");
            let conn = m.store().conn();
            let mut st =
                conn.prepare("SELECT id, isv_account_id, partner_account_id, product_id FROM opportunities").unwrap();
            let held = st
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut st = conn.prepare("SELECT id, isv_account_id FROM products").unwrap();
            let isv_of = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
            let mut st = conn.prepare("SELECT id, opportunity_id FROM offers").unwrap();
            let made_from =
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
            let mine = Mine::default();
            Self { actor: String::new(), accounts, opportunities, offers, products, held, made_from, isv_of, mine }
        }

        fn pick(list: &[String], i: usize) -> &str {
            &list[i % list.len()]
        }

        /// Below 48 (of 64), one of `mine` (when there is one); else one of `all`.
        fn aim<'a, T>(mine: &'a [T], all: &'a [T], i: usize) -> &'a T {
            if i < 48 && !mine.is_empty() { &mine[i % mine.len()] } else { &all[i % all.len()] }
        }

        fn json(&self, d: &Doc) -> Value {
            // Below 24, the acting account itself.
            let account = |i| if i < 24 { self.actor.as_str() } else { Self::pick(&self.accounts, i) };
            match *d {
                Doc::Authorization { id, isv, partner, product, price, extra, status, coherent } => {
                    let ra = Self::aim(&self.mine.opportunities, &self.opportunities, id);
                    let (mut product, mut keys) = Self::aim(&self.mine.products, &self.products, product).clone();
                    let (mut isv, mut partner) = (account(isv).to_owned(), account(partner).to_owned());
                    if coherent {
                        match self.held.get(ra) {
                            Some((i, p, prod)) => (isv, partner, product) = (i.clone(), p.clone(), prod.clone()),
                            None => isv = self.isv_of[&product].clone(),
                        }
                        keys = self.products.iter().find(|(p, _)| *p == product).unwrap().1.clone();
                    }
                    let price = ["1.00", "5.00", "99999999.00"][price];
                    let mut prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), price)).collect();
                    if extra {
                        prices.push(("planted", price));
                    }
                    let mut doc = authorization(ra, &isv, &partner, &product, &prices);
                    doc["DetailsDocument"]["Status"] = json!(["Draft", "Active", "Restricted"][status]);
                    doc["DetailsDocument"]["ProductName"] = json!("HACKED NAME");
                    doc
                }
                Doc::Offer { id, ra, buyer, markup, released, expiry } => {
                    let mut doc = fixture("describe-offer-released.json");
                    let offer = Self::aim(&self.mine.offers, &self.offers, id);
                    doc["EntityIdentifier"] = json!(format!("{offer}@7"));
                    let dd = &mut doc["DetailsDocument"];
                    dd["Id"] = json!(offer);
                    // Half the time, the authorization the file holds it from.
                    let ra = match self.made_from.get(offer) {
                        Some(held) if ra % 2 == 0 => held.as_str(),
                        _ => Self::aim(&self.mine.opportunities, &self.opportunities, ra),
                    };
                    dd["ResaleAuthorizationId"] = json!(ra);
                    if let Some((_, _, product)) = self.held.get(ra) {
                        dd["ProductId"] = json!(product);
                    }
                    dd["State"] = json!(if released { "Released" } else { "Draft" });
                    dd["MarkupPercentage"] = json!(["0", "10.5", "90"][markup]);
                    dd["Rules"][0]["PositiveTargeting"]["BuyerAccounts"] = json!([account(buyer)]);
                    let end = ["2026-12-31", "2027-06-30", "2031-01-01"][expiry];
                    dd["Rules"][1]["AvailabilityEndDate"] = json!(format!("{end}T23:59:59Z"));
                    doc
                }
                Doc::Summary { id, isv, partner, name } => {
                    let ra = Self::aim(&self.mine.opportunities, &self.opportunities, id);
                    let name = ["Overwritten", "Another"][name];
                    json!({"EntitySummaryList": [{
                        "Name": "x", "EntityType": "ResaleAuthorization", "EntityId": ra,
                        "ResaleAuthorizationSummary": {
                            "Name": name,
                            "ManufacturerAccountId": account(isv),
                            "ResellerAccountID": account(partner),
                            "Status": "Active"
                        }
                    }]})
                }
            }
        }
    }

    /// Every row the actor holds no authority over: opportunities it neither granted nor
    /// received released, offers it did not make, products of other ISVs, summaries of
    /// other parties, agreements, and the names of accounts known by name.
    ///
    /// `held` is the `(opportunities, offers)` the actor did not hold before the import: an
    /// import that moved one of its own out of its hands would show here as a change.
    fn not_held_by(m: &Market, actor: &str, held: &(String, String)) -> Vec<String> {
        let (opps, offers) = held;
        let queries = [
            format!("SELECT * FROM opportunities WHERE id IN ({opps})"),
            format!("SELECT * FROM opportunity_prices WHERE opportunity_id IN ({opps})"),
            format!("SELECT * FROM opportunity_buyers WHERE opportunity_id IN ({opps})"),
            format!("SELECT * FROM offers WHERE id IN ({offers})"),
            format!("SELECT * FROM offer_lines WHERE offer_id IN ({offers})"),
            format!("SELECT * FROM offer_accounts WHERE offer_id IN ({offers})"),
            format!("SELECT * FROM offer_aws_prices WHERE offer_id IN ({offers})"),
            format!("SELECT * FROM aws_sources WHERE entity_id IN ({opps}) OR entity_id IN ({offers})"),
            format!("SELECT * FROM products WHERE isv_account_id != '{actor}'"),
            format!(
                "SELECT * FROM dimensions WHERE product_id IN (SELECT id FROM products WHERE isv_account_id != '{actor}')"
            ),
            format!(
                "SELECT * FROM aws_summaries WHERE NOT (isv_account_id IS '{actor}' OR partner_account_id IS '{actor}'
                   OR (isv_account_id IS NULL AND partner_account_id IS NULL AND imported_by = '{actor}'))"
            ),
            "SELECT * FROM agreements".into(),
            "SELECT * FROM charges".into(),
            "SELECT id, name FROM accounts WHERE name != id".into(),
        ];
        let conn = m.store().conn();
        let mut out = Vec::new();
        for q in queries {
            let mut st = conn.prepare(&format!("{q} ORDER BY 1, 2")).unwrap();
            let n = st.column_count();
            let rows = st
                .query_map([], |r| Ok((0..n).map(|i| cell(r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    /// The ids, as SQL lists, of the opportunities and offers `actor` does not hold: those it
    /// neither granted nor received released, those it did not make.
    fn not_held_ids(m: &Market, actor: &str) -> (String, String) {
        let list = |sql: String| {
            let ids: Vec<String> = column(m, &sql).iter().map(|i| format!("'{i}'")).collect();
            ids.join(", ")
        };
        (
            list(format!(
                "SELECT id FROM opportunities
                 WHERE NOT (isv_account_id = '{actor}' OR (partner_account_id = '{actor}' AND state != 'draft'))"
            )),
            list(format!("SELECT id FROM offers WHERE partner_account_id != '{actor}'")),
        )
    }

    /// Ids of every opportunity, offer and summary, with the accounts they name.
    fn parties(m: &Market) -> Vec<(String, String, String)> {
        let conn = m.store().conn();
        let mut st = conn
            .prepare(
                "SELECT id, isv_account_id, partner_account_id FROM opportunities
                 UNION ALL SELECT id, isv_account_id, partner_account_id FROM offers
                 UNION ALL SELECT entity_id, coalesce(isv_account_id, imported_by), coalesce(partner_account_id, imported_by)
                   FROM aws_summaries ORDER BY 1",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn no_import_changes_what_the_actor_does_not_hold() {
        let (dir, m) = book();
        let template = dir.path().join("template.db");
        m.store().conn().execute("VACUUM INTO ?1", [template.to_str().unwrap()]).unwrap();
        let targets = std::cell::RefCell::new(Targets::of(&m));
        drop(m);
        // The accounts with the most to hold first: AWS's book, the demo's busiest.
        let mut actors: Vec<String> =
            [AWS_PARTNER, AWS_ISV, NORTHWIND, DATAPEAK, BLUEFIN, CONTOSO].map(String::from).into();
        actors.extend(targets.borrow().accounts.iter().cloned());
        let written = std::cell::Cell::new(0);
        let strategy = (0usize..64, prop::collection::vec(doc(), 1..5), any::<bool>(), any::<bool>());
        let mut runner = TestRunner::new(Config { cases: 128, failure_persistence: None, ..Config::default() });
        runner
            .run(&strategy, |(actor, docs, force, dry_run)| {
                let path = dir.path().join("case.db");
                std::fs::copy(&template, &path).unwrap();
                let clock = FixedClock::on(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
                let mut m = Market::open(&path, Box::new(clock)).unwrap();
                let actor = actors[if actor < 32 { actor % 6 } else { actor % actors.len() }].clone();
                targets.borrow_mut().for_actor(&m, &actor);
                let input: Vec<Entry> = docs.iter().flat_map(|d| entries(&targets.borrow().json(d))).collect();
                let held = not_held_ids(&m, &actor);
                let before = (not_held_by(&m, &actor, &held), parties(&m));
                let opts = ImportOptions { force, dry_run, ..ImportOptions::default() };
                let report = m.import(&id(&actor), &input, opts);
                let after = (not_held_by(&m, &actor, &held), parties(&m));
                written.set(written.get() + report.as_ref().map_or(0, |r| r.count("created") + r.count("updated")));
                drop(m);
                std::fs::remove_file(&path).ok();
                let gone: Vec<&String> = before.0.iter().filter(|r| !after.0.contains(r)).take(3).collect();
                let came: Vec<&String> = after.0.iter().filter(|r| !before.0.contains(r)).take(3).collect();
                prop_assert!(
                    gone.is_empty() && came.is_empty(),
                    "{} changed what it does not hold:\nbefore {:#?}\nafter {:#?}\n{:#?}",
                    actor,
                    gone,
                    came,
                    report
                );
                // What is new names the actor as a party.
                for new in after.1.iter().filter(|p| !before.1.iter().any(|b| b.0 == p.0)) {
                    prop_assert!(new.1 == actor || new.2 == actor, "{:?} created by {}", new, actor);
                }
                Ok::<(), TestCaseError>(())
            })
            .unwrap();
        let written = written.get();
        // About one case in six writes (most aim at what the actor may not touch): at least
        // one of 128 always does, so the property is never proved on refusals alone.
        assert!(written >= 1, "the inputs must also write what the actor holds: {written} records written");
    }
}

// ---- A review's attacks: summaries naming no one, a hidden authorization, agreements ----

#[test]
fn a_summary_naming_no_one_gives_no_one_a_record_naming_others() {
    let (_dir, mut m) = book();
    let id = "resaleauthz-aaaaaaaaaaaaa";
    let bare = json!({"EntitySummaryList": [{"EntityType": "ResaleAuthorization", "EntityId": id,
        "ResaleAuthorizationSummary": {"Name": "x"}}]});
    assert_eq!(import(&mut m, BLUEFIN, &bare, false, false).lines[0].outcome, Outcome::Created);
    let before = dump(&m);
    // Its importer may not make it a record of two other accounts.
    let doc = authorization(id, AWS_ISV, AWS_PARTNER, "prod-7fk2qv9xw3m4a", &[("seats", "1.00")]);
    let why = skipped(&import(&mut m, BLUEFIN, &doc, true, false));
    assert!(why.contains("neither its ISV"), "{why}");
    assert_eq!(dump(&m), before, "nothing written");
    // Nor squat the id: the partner the record names replaces the bare summary.
    let r = import(&mut m, AWS_PARTNER, &doc, false, false);
    assert_eq!(r.lines[0].outcome, Outcome::Created, "{r:#?}");
}

#[test]
fn an_offer_summary_planted_by_a_buyer_does_not_block_the_partners_offer() {
    let (_dir, mut m) = book();
    let id = "offer-zzzzzzzzzzzzz";
    let planted = json!({"EntitySummaryList": [{"EntityType": "Offer", "EntityId": id,
        "OfferSummary": {"Name": "mine now", "ResaleAuthorizationId": "resaleauthz-0000000000000"}}]});
    import(&mut m, CONTOSO, &planted, false, false);
    let mut offer = fixture("describe-offer-draft.json");
    offer["EntityIdentifier"] = json!(format!("{id}@1"));
    offer["DetailsDocument"]["Id"] = json!(id);
    let r = import(&mut m, AWS_PARTNER, &offer, false, false);
    assert_eq!(r.lines[0].outcome, Outcome::Created, "{r:#?}");
}

#[test]
fn an_offer_pointed_at_a_hidden_authorization_learns_nothing_of_it() {
    let (_dir, mut m) = book();
    let conn = m.store().conn();
    let (offer, product): (String, String) = conn
        .query_row(
            "SELECT id, product_id FROM offers WHERE partner_account_id = ?1 AND agreement_id IS NULL ORDER BY id LIMIT 1",
            [NORTHWIND],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let hidden_ra: String = conn
        .query_row(
            "SELECT id FROM opportunities WHERE ?1 NOT IN (isv_account_id, partner_account_id) AND currency = 'JPY'
             ORDER BY id LIMIT 1",
            [NORTHWIND],
            |r| r.get(0),
        )
        .unwrap();
    let mut doc = fixture("describe-offer-released.json");
    doc["EntityIdentifier"] = json!(format!("{offer}@3"));
    doc["DetailsDocument"]["Id"] = json!(offer);
    doc["DetailsDocument"]["ProductId"] = json!(product);
    doc["DetailsDocument"]["ResaleAuthorizationId"] = json!(hidden_ra);
    let why = skipped(&import(&mut m, NORTHWIND, &doc, true, true));
    assert!(why.starts_with("its resale authorization is resaleauthz-"), "{why}");
    assert!(!why.contains("JPY") && !why.contains(" is for prod-"), "{why}");
}

#[test]
fn terms_that_agreements_stand_on_are_never_rewritten_even_forced() {
    let (_dir, mut m) = book();
    let conn = m.store().conn();
    let (opp, isv, partner, product): (String, String, String, String) = conn
        .query_row(
            "SELECT o.id, o.isv_account_id, o.partner_account_id, o.product_id FROM opportunities o
             WHERE o.currency = 'USD' AND o.kind = 'recurring'
               AND EXISTS (SELECT 1 FROM offers f WHERE f.opportunity_id = o.id AND f.agreement_id IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM opportunity_prices p WHERE p.opportunity_id = o.id AND p.pricing = 'usage')
             ORDER BY o.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let keys: Vec<String> = column(
        &m,
        &format!("SELECT dimension_key FROM opportunity_prices WHERE opportunity_id = '{opp}' ORDER BY position"),
    );
    let before = dump(&m);
    let prices: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "1.00")).collect();
    let doc = authorization(&opp, &isv, &partner, &product, &prices);
    for actor in [&isv, &partner] {
        let why = skipped(&import(&mut m, actor, &doc, true, false));
        assert!(why.contains("agreements stand on"), "{why}");
    }
    assert_eq!(dump(&m), before, "nothing written");
}
