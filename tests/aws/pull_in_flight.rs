//! A pull's describes with several calls in flight (`sdk::pull`): a bigger book than
//! `pull`'s, so that `BatchDescribeEntities` runs in several batches and the ACTIVE
//! agreements in several calls, and the fake keeps the first answers waiting so that later
//! ones come back first. What comes out must be what an import of the same documents from
//! files gives, in the same order; a throttled call is retried; a denied one stores nothing.

use std::time::Duration;

use serde_json::{Value, json};

use super::pull::{PARTNER, dump, ok_json, outcomes, refused_pull, run};
use crate::aws_cli::fixture;
use crate::env::Env;
use crate::fake_aws::FakeAws;

const AUTHORIZATIONS: usize = 30;
const OFFERS_EACH: usize = 3;
const AGREEMENTS: usize = 6;

fn doc(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

fn authorization_id(i: usize) -> String {
    format!("resaleauthz-f{i:012}")
}

fn offer_id(i: usize) -> String {
    format!("offer-f{i:012}")
}

/// The documents of the book, as `describe-entity`, `describe-agreement` and
/// `get-agreement-terms` answer: the fixtures' contract authorization granted to the partner
/// [`AUTHORIZATIONS`] times, [`OFFERS_EACH`] released offers on each, and an ACTIVE
/// agreement on each of the first [`AGREEMENTS`] offers. In the order a pull lists them.
fn documents() -> Vec<Value> {
    let (ra, offer) = (doc("describe-ra-contract.json"), doc("describe-offer-released.json"));
    let (agreement, terms) = (doc("agreements/describe-agreement.json"), doc("agreements/get-agreement-terms.json"));
    let mut docs = Vec::new();
    for i in 0..AUTHORIZATIONS {
        let mut d = ra.clone();
        let id = authorization_id(i);
        d["EntityIdentifier"] = json!(format!("{id}@1"));
        d["EntityArn"] =
            json!(format!("arn:aws:aws-marketplace:us-east-1:590183746201:AWSMarketplace/ResaleAuthorization/{id}"));
        d["DetailsDocument"]["Name"] = json!(format!("Authorization {i}"));
        d["DetailsDocument"]["OfferDetails"]["OfferCreatedCount"] = json!(0);
        docs.push(d);
    }
    for i in 0..AUTHORIZATIONS * OFFERS_EACH {
        let mut d = offer.clone();
        let id = offer_id(i);
        d["EntityIdentifier"] = json!(format!("{id}@1"));
        d["EntityArn"] = json!(format!("arn:aws:aws-marketplace:us-east-1:420061735518:AWSMarketplace/Offer/{id}"));
        d["DetailsDocument"]["Id"] = json!(id);
        d["DetailsDocument"]["Name"] = json!(format!("Offer {i}"));
        d["DetailsDocument"]["ResaleAuthorizationId"] = json!(authorization_id(i / OFFERS_EACH));
        docs.push(d);
    }
    for i in 0..AGREEMENTS {
        let id = format!("agmt-f{i:024}");
        let mut a = agreement.clone();
        a["agreementId"] = json!(id);
        a["proposalSummary"]["offerId"] = json!(offer_id(i));
        let mut t = terms.clone();
        t["agreementId"] = json!(id);
        docs.push(a);
        docs.push(t);
    }
    docs
}

/// A fake AWS holding [`documents`], paging 50 entities a list call as AWS does.
fn big_book() -> FakeAws {
    let fake = FakeAws::start();
    fake.page_size(50);
    let docs = documents();
    for d in docs.iter().filter(|d| d.get("EntityType").is_some()) {
        fake.put(d.clone());
    }
    for pair in docs.iter().filter(|d| d.get("EntityType").is_none()).collect::<Vec<_>>().chunks(2) {
        fake.put_agreement(pair[0].clone(), Some(pair[1].clone()));
    }
    fake
}

/// What the partner's file holds: its opportunities, offers and agreements as `list --json`
/// prints them.
fn records(env: &Env, fake: &FakeAws) -> Vec<Value> {
    ["opportunities", "offers", "agreements"].iter().map(|l| ok_json(env, fake, PARTNER, &[l, "list"])).collect()
}

/// The same documents imported from one file in the order a pull reads them, the way a
/// pull's answers were read one after another: the pull's records and its report's order.
fn imported(fake: &FakeAws) -> (Vec<Value>, Vec<(String, String)>) {
    let env = Env::new();
    let file = env.path().join("book.jsonl");
    let lines: Vec<String> = documents().iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let report = ok_json(&env, fake, PARTNER, &["import", file.to_str().unwrap()]);
    (records(&env, fake), outcomes(&report))
}

#[test]
fn a_pull_with_describes_in_flight_stores_what_an_import_of_the_same_documents_does_in_its_order() {
    let (env, fake) = (Env::new(), big_book());
    // The first answers of each kind wait: later calls, sent meanwhile, are answered first.
    fake.slow("BatchDescribeEntities", 1, Duration::from_secs(1));
    fake.slow("DescribeAgreement", 1, Duration::from_secs(1));
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert_eq!(
        r["read"],
        json!({"resale_authorizations": AUTHORIZATIONS, "offers": AUTHORIZATIONS * OFFERS_EACH,
               "agreements": AGREEMENTS, "offers_not_cppo": 0}),
        "{r:#}"
    );
    let batches = fake.bodies("BatchDescribeEntities").len();
    assert_eq!(batches, 2 + 5, "30 authorizations and 90 offers, 20 a batch");
    let most = fake.most_in_flight();
    assert!((2..=4).contains(&most), "several describes in flight, never more than four: {most}");

    let (records_imported, order_imported) = imported(&fake);
    assert_eq!(outcomes(&r), order_imported, "the same entries in the same order as the file's");
    assert!(outcomes(&r).iter().all(|(_, o)| o == "created"), "{r:#}");
    assert_eq!(records(&env, &fake), records_imported);
}

#[test]
fn a_describe_throttled_midway_is_retried_and_the_pull_is_whole() {
    let (env, fake) = (Env::new(), big_book());
    fake.throttle_from("BatchDescribeEntities", 4, 2);
    fake.throttle_from("GetAgreementTerms", 3, 1);
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    assert!(fake.bodies("BatchDescribeEntities").len() > 2 + 5, "throttled calls were asked again");
    let (records_imported, order_imported) = imported(&fake);
    assert_eq!(outcomes(&r), order_imported);
    assert_eq!(records(&env, &fake), records_imported);
}

#[test]
fn a_describe_denied_among_several_in_flight_stores_nothing() {
    let (env, fake) = (Env::new(), big_book());
    // A file that already holds a pull, so that "nothing stored" is a file left as it was.
    let first = FakeAws::start();
    first.put(doc("describe-ra-restricted.json"));
    ok_json(&env, &first, PARTNER, &["pull"]);

    fake.slow("BatchDescribeEntities", 1, Duration::from_millis(500));
    fake.deny_from("BatchDescribeEntities", 3);
    let e = refused_pull(&env, &fake, PARTNER, &["--full"]);
    assert!(e.contains("AWS denied aws-marketplace:BatchDescribeEntities to these credentials"), "{e}");
    assert!(e.contains("nothing was stored"), "{e}");

    let fake = big_book();
    fake.deny_from("DescribeAgreement", 2);
    let before = dump(&env);
    let o = run(&env, &fake, PARTNER, &["pull", "--full"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("aws-marketplace:DescribeAgreement"), "{o:?}");
    assert_eq!(dump(&env), before, "an agreement denied stores none of the pull");
}

#[test]
fn the_describes_start_while_the_listing_goes_on() {
    let (env, fake) = (Env::new(), big_book());
    // Ten entities a page and a round trip for each request: 3 pages of authorizations,
    // then 9 of offers, during which the authorizations' batches are described.
    fake.page_size(10);
    fake.latency(Duration::from_millis(20));
    let r = ok_json(&env, &fake, PARTNER, &["pull"]);
    let ops = fake.operations();
    let first_describe = ops.iter().position(|o| o == "BatchDescribeEntities").expect("a describe");
    let last_list = ops.iter().rposition(|o| o == "ListEntities").expect("a list");
    assert!(first_describe < last_list, "the describes waited for the whole listing: {ops:?}");
    // And still the same entries in the same order as the file's, in whole batches of a kind.
    let (records_imported, order_imported) = imported(&fake);
    assert_eq!(outcomes(&r), order_imported);
    assert_eq!(records(&env, &fake), records_imported);
    assert_eq!(fake.bodies("BatchDescribeEntities").len(), 2 + 5, "{ops:?}");
}
