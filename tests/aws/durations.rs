//! An authorization of two duration rate cards (P12M and P36M), through the command line on
//! a real file as a partner meets it: imported whole, an offer made for P36M and priced by its
//! card, exported with `UpdateValidityTerms` (every export checked against AWS's request model,
//! and botocore's where installed), linked by AWS's describe-change-set answer, and AWS's copy
//! of the offer imported again without a duplicate, still for P36M.

use crate::aws_answers;
use crate::aws_cli;
use crate::aws_model;
use crate::require;

use aws_cli::{Cli, fixture};
use require::{Tool, require};
use serde_json::{Value, json};

const RA: &str = "resaleauthz-4tq8wn2kc6p3d";
const PRODUCT: &str = "prod-7fk2qv9xw3m4a";
const PARTNER: &str = "420061735518";
const BUYER: &str = "381904526617";
const OFFER_AWS: &str = "offer-5kq9dw2mz7t4h";

struct Run(Cli);

impl Run {
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.0.run_in(self.0.dir.path(), "2026-11-30", args, "")
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "cppo {args:?}: {err}");
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.0.dir.path().join(name), text).unwrap();
        name.to_owned()
    }

    /// A change set cppo wrote, checked against AWS's request model.
    fn request(&self, name: &str) -> Value {
        let v = serde_json::from_str(&std::fs::read_to_string(self.0.dir.path().join(name)).unwrap()).unwrap();
        assert_eq!(aws_model::check_start_change_set(&v), Vec::<String>::new(), "{v:#}");
        v
    }

    fn create_offer(&self, duration: &str) -> (i32, String, String) {
        self.run(&[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            RA,
            "--buyer",
            BUYER,
            "--markup",
            "10",
            "--expires",
            "2027-01-15",
            "--name",
            "Contoso three years",
            "--quantity",
            "seats=2",
            "--duration",
            duration,
        ])
    }
}

fn prices(card: &Value) -> Vec<(String, String)> {
    card["prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["dimension"].as_str().unwrap().to_owned(), p["wholesale_price"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn a_two_rate_card_offer_for_p36m_is_priced_exported_linked_and_reimported_without_a_duplicate() {
    let cli = Run(Cli::new());
    let ra_file = cli.write("ra.json", &fixture("describe-ra-p12m-p36m.json"));
    let out = cli.ok(&["--as", PARTNER, "import", &ra_file]);
    assert!(out.contains(&format!("created    {RA}")), "{out}");
    cli.ok(&["accounts", "add", BUYER, "--name", "Contoso Retail Ltd", "--buyer"]);

    // The opportunity shows both durations with their prices, the first first.
    let o = cli.json(&["--as", PARTNER, "opportunities", "show", RA, "--json"]);
    assert_eq!(o["duration"], "P12M");
    let cards = o["rate_cards"].as_array().unwrap();
    assert_eq!(cards.iter().map(|c| c["duration"].as_str().unwrap()).collect::<Vec<_>>(), ["P12M", "P36M"]);
    let pair = |d: &str, p: &str| (d.to_owned(), p.to_owned());
    assert_eq!(prices(&cards[0]), [pair("seats", "1200.00"), pair("admin_seats", "300.00")]);
    assert_eq!(prices(&cards[1]), [pair("seats", "3240.00"), pair("admin_seats", "810.00")]);
    let show = cli.ok(&["--as", PARTNER, "opportunities", "show", RA]);
    assert!(show.contains("36 months (P36M)  seats") && show.contains("3,240.00"), "{show}");

    // A duration it does not offer is refused, in one line, naming those it does.
    let (code, out, err) = cli.create_offer("P24M");
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.trim_end().ends_with(&format!("P24M is not a duration of {RA}: it offers P12M, P36M")), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(cli.0.held().2, 0, "nothing written");

    let (code, out, err) = cli.create_offer("P36M");
    assert_eq!(code, 0, "{err}");
    let local = out.trim().to_owned();
    let offer = cli.json(&["--as", PARTNER, "offers", "show", &local, "--json"]);
    assert_eq!(offer["duration"], "P36M");
    assert_eq!((offer["wholesale_total"].as_str(), offer["buyer_total"].as_str()), (Some("6480.00"), Some("7128.00")));
    assert_eq!(offer["lines"][0]["wholesale_price"], "3240.00");
    let text = cli.ok(&["--as", PARTNER, "offers", "show", &local]);
    assert!(text.contains("Duration") && text.contains("36 months (P36M)"), "{text}");

    // Its export names the duration.
    cli.ok(&["--as", PARTNER, "export", &local, "--release", "--out", "offer.json"]);
    let request = cli.request("offer.json");
    let validity: Vec<&Value> =
        request["ChangeSet"].as_array().unwrap().iter().filter(|c| c["ChangeType"] == "UpdateValidityTerms").collect();
    assert_eq!(validity.len(), 1, "{request:#}");
    assert_eq!(
        validity[0]["DetailsDocument"],
        json!({"Terms": [{"Type": "ValidityTerm", "AgreementDuration": "P36M"}]})
    );

    // AWS applied it: the offer takes AWS's id.
    let answer = aws_answers::succeeded(&request, "cs-dur1", OFFER_AWS);
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("answer.json", &answer.to_string())]);
    assert!(out.contains(&format!("now {OFFER_AWS}")), "{out}");

    // AWS's copy of the offer: its ValidityTerm and the P36M card of buyer prices.
    let mut copy = aws_answers::described(&request, OFFER_AWS, PARTNER, &[]);
    copy["DetailsDocument"]["ProductId"] = json!(PRODUCT);
    copy["DetailsDocument"]["Terms"].as_array_mut().unwrap().push(json!({
        "Type": "ConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
        "RateCards": [{"Selector": {"Type": "Duration", "Value": "P36M"},
                       "RateCard": [{"DimensionKey": "seats", "Price": "3564.00"},
                                    {"DimensionKey": "admin_seats", "Price": "891.00"}]}]
    }));
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("copy.json", &copy.to_string())]);
    assert!(out.contains(OFFER_AWS) && out.contains("0 created"), "{out}");
    let list = cli.json(&["--as", PARTNER, "offers", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "no duplicate: {list}");
    let held = cli.json(&["--as", PARTNER, "offers", "show", OFFER_AWS, "--json"]);
    assert_eq!((held["duration"].as_str(), held["wholesale_total"].as_str()), (Some("P36M"), Some("6480.00")));

    // The buyer accepts: a three-year agreement.
    let agreement = cli.ok(&["--as", BUYER, "offers", "accept", OFFER_AWS]).trim().to_owned();
    let a = cli.json(&["--as", BUYER, "agreements", "show", &agreement, "--json"]);
    assert_eq!((a["starts_on"].as_str(), a["ends_on"].as_str()), (Some("2026-11-30"), Some("2029-11-30")));

    // The ISV's authorization, as an export writes it: one rate card per duration.
    let market = cppo::market::Market::open(&cli.0.db, Box::new(cppo::domain::FixedClock::on(day()))).unwrap();
    let o = market.opportunity_record(&cppo::domain::OpportunityId::parse(RA).unwrap()).unwrap();
    let ra_request: Value =
        serde_json::from_str(&cppo::aws::changeset::opportunity(&o, false).unwrap().to_json()).unwrap();
    assert_eq!(aws_model::check_start_change_set(&ra_request), Vec::<String>::new(), "{ra_request:#}");
    let pricing = ra_request["ChangeSet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ChangeType"] == "UpdatePricingTerms")
        .unwrap()["DetailsDocument"]["Terms"][0]["RateCards"]
        .clone();
    let selectors: Vec<&str> =
        pricing.as_array().unwrap().iter().map(|c| c["Selector"]["Value"].as_str().unwrap()).collect();
    assert_eq!(selectors, ["P12M", "P36M"]);
    assert_eq!(
        pricing[1]["RateCard"],
        json!([{"DimensionKey": "seats", "Price": "3240"}, {"DimensionKey": "admin_seats", "Price": "810"}])
    );
    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&[request, ra_request])) else { return };
    assert!(ok, "botocore rejected an export:\n{text}");
}

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}
