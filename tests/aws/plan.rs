//! An installment plan made in cppo, through the command line on a real file: the ISV grants
//! it with its units (`--grant`), exports it as AWS's sample sells one (a fixed upfront price
//! of 0 with the units granted, the payment schedule, availability with one offer), links it
//! to the id AWS gave it; the partner's offer on it exports from that id and links too; and
//! AWS's describe-entity documents of both (written from the exports, as AWS would answer)
//! import without a duplicate, keeping the plan's dates, amounts and units. Every export is
//! checked against AWS's request model, and botocore's where it is installed.

use crate::aws_answers;
use crate::aws_cli;
use crate::aws_model;
use crate::require;

use require::{Tool, require};
use serde_json::{Value, json};

const ISV: &str = "111111111111";
const PARTNER: &str = "222222222222";
const BUYER: &str = "333333333333";
const RA_AWS: &str = "resaleauthz-5pl4nx8kd2m7q";
const OFFER_AWS: &str = "offer-6gr4nt8ws2k9p";

/// The command line on one file, "today" 2026-11-26, in the file's own folder (where the
/// exports and answers are written).
struct Cli(aws_cli::Cli);

impl Cli {
    /// The three parties, and a product sold by contract (users) and by usage (API calls).
    fn new() -> (Self, String) {
        let cli = Self(aws_cli::Cli::new());
        for (account, name, role) in [
            (ISV, "Acme Analytics Inc.", "--isv"),
            (PARTNER, "Northwind Cloud Partners", "--partner"),
            (BUYER, "Contoso Retail Ltd", "--buyer"),
        ] {
            cli.ok(&["accounts", "add", account, "--name", name, role]);
        }
        let product = cli.ok(&[
            "--as",
            ISV,
            "products",
            "add",
            "--name",
            "Acme Insight",
            "--type",
            "saas",
            "--dimension",
            "users:user:1000.00",
            "--dimension",
            "calls:call:0.01:usage",
            "--duration",
            "P12M",
        ]);
        (cli, product.trim().to_owned())
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.0.run_in(self.0.dir.path(), "2026-11-26", args, "")
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "cppo {args:?}: {err}");
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(&[args, &["--json"]].concat())).unwrap()
    }

    fn write(&self, name: &str, v: &Value) -> String {
        std::fs::write(self.0.dir.path().join(name), v.to_string()).unwrap();
        name.to_owned()
    }

    /// An export written by cppo, checked against AWS's request model.
    fn read(&self, name: &str) -> Value {
        let v = serde_json::from_str(&std::fs::read_to_string(self.0.dir.path().join(name)).unwrap()).unwrap();
        assert_eq!(aws_model::check_start_change_set(&v), Vec::<String>::new(), "{v:#}");
        v
    }

    /// The ISV grants the partner a one-time plan for the buyer: 40 users for two charges,
    /// API calls at 0.008; `extra` adds to (or replaces) the options.
    fn grant_plan(&self, product: &str, extra: &[&str]) -> (i32, String, String) {
        let base = [
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            product,
            "--name",
            "Acme Insight, two payments",
            "--one-time",
            "--buyer",
            BUYER,
            "--until",
            "2026-12-31",
            "--installment",
            "2027-01-15=40000",
            "--installment",
            "2027-07-15=40000.50",
            "--price",
            "calls=0.008",
        ];
        self.run(&[&base[..], extra].concat())
    }
}

fn change<'a>(request: &'a Value, change_type: &str) -> &'a Value {
    let c = request["ChangeSet"].as_array().unwrap().iter().find(|c| c["ChangeType"] == change_type);
    &c.unwrap_or_else(|| panic!("no {change_type} in {request:#}"))["DetailsDocument"]
}

fn change_types(request: &Value) -> Vec<&str> {
    request["ChangeSet"].as_array().unwrap().iter().map(|c| c["ChangeType"].as_str().unwrap()).collect()
}

/// The plan as `opportunities show --json` gives it: (prices, installments).
fn plan(v: &Value) -> (Value, Value) {
    (v["prices"].clone(), v["installments"].clone())
}

fn granted_prices() -> Value {
    json!([
        {"dimension": "users", "pricing": "contract", "list_price": "1000.00", "wholesale_price": "0.00", "granted_units": 40},
        {"dimension": "calls", "pricing": "usage", "list_price": "0.01", "wholesale_price": "0.008"},
    ])
}

fn schedule() -> Value {
    json!([{"due_on": "2027-01-15", "amount": "40000.00"}, {"due_on": "2027-07-15", "amount": "40000.50"}])
}

#[test]
fn cli_a_plan_granted_in_cppo_shows_its_units_and_exports_as_fixed_upfront_price_schedule_and_availability() {
    let (cli, product) = Cli::new();
    let (code, out, err) = cli.grant_plan(&product, &["--grant", "users=40"]);
    assert_eq!(code, 0, "{err}");
    let ra = out.trim().to_owned();
    let show = cli.ok(&["--as", ISV, "opportunities", "show", &ra]);
    assert!(show.contains("users      contract  1,000.00 USD   0.00 USD  40 units"), "{show}");
    assert_eq!(plan(&cli.json(&["--as", ISV, "opportunities", "show", &ra])), (granted_prices(), schedule()));

    cli.ok(&["--as", ISV, "export", &ra, "--release", "--out", "ra.json"]);
    let request = cli.read("ra.json");
    assert_eq!(
        change_types(&request),
        [
            "CreateResaleAuthorization",
            "UpdatePricingTerms",
            "UpdatePaymentScheduleTerms",
            "UpdateAvailability",
            "UpdateBuyerTargetingTerms",
            "UpdateLegalTerms",
            "ReleaseResaleAuthorization"
        ]
    );
    assert_eq!(
        change(&request, "UpdatePricingTerms"),
        &json!({"PricingModel": "Contract", "Terms": [
            {"Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": "0.00", "Duration": "P12M",
             "Grants": [{"DimensionKey": "users", "MaxQuantity": 40}]},
            {"Type": "ResaleUsageBasedPricingTerm", "CurrencyCode": "USD",
             "RateCards": [{"RateCard": [{"DimensionKey": "calls", "Price": "0.008"}]}]}]})
    );
    assert_eq!(
        change(&request, "UpdatePaymentScheduleTerms"),
        &json!({"Terms": [{"Type": "ResalePaymentScheduleTerm", "CurrencyCode": "USD", "Schedule": [
            {"ChargeDate": "2027-01-15", "ChargeAmount": "40000.00"},
            {"ChargeDate": "2027-07-15", "ChargeAmount": "40000.50"}]}]})
    );
    assert_eq!(
        change(&request, "UpdateAvailability"),
        &json!({"AvailabilityEndDate": "2026-12-31", "OffersMaxQuantity": 1})
    );
    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&[request])) else { return };
    assert!(ok, "botocore rejected the export:\n{text}");
}

#[test]
fn cli_bad_grants_are_refused_in_one_line_and_write_nothing() {
    let (cli, product) = Cli::new();
    let held = cli.0.held();
    for (extra, says) in [
        (&["--grant", "users=0"][..], "`users` granted 0 units: grant 1 to 10000000"),
        (&["--grant", "users=ten"], "--grant: `users=ten` is not a grant: use KEY=UNITS, e.g. users=50"),
        (&["--grant", "calls=5"], "`calls` is billed by usage: only contract dimensions are granted (users)"),
        (&["--grant", "seats=5"], "has no dimension `seats` to grant: grant one of users"),
        (&[], "an installment plan grants the units its schedule pays for, as AWS sells it: grant at least one"),
        (
            &["--grant", "users=40", "--price", "users=10", "--price", "calls=0.008"],
            "`users` is priced by the installment plan",
        ),
    ] {
        let (code, out, err) = cli.grant_plan(&product, extra);
        assert_eq!((code, out.as_str()), (1, ""), "{extra:?}: {err}");
        assert!(err.contains(says) && err.trim_end().lines().count() == 1, "{extra:?}: {err}");
    }
    // Grants without installments.
    let (code, _, err) = cli.run(&[
        "--as",
        ISV,
        "opportunities",
        "create",
        "--partner",
        PARTNER,
        "--product",
        &product,
        "--name",
        "No plan",
        "--discount",
        "20",
        "--grant",
        "users=5",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("granted units are paid by an installment schedule"), "{err}");
    assert_eq!(cli.0.held(), held, "nothing written");
}

#[test]
fn cli_edit_replaces_a_drafts_grants_and_keeps_the_rest() {
    let (cli, product) = Cli::new();
    let (code, out, err) = cli.grant_plan(&product, &["--grant", "users=40"]);
    assert_eq!(code, 0, "{err}");
    let ra = out.trim().to_owned();
    let out = cli.ok(&["--as", ISV, "opportunities", "edit", &ra, "--grant", "users=45"]);
    assert!(out.contains(&format!("{ra} edited (status: Draft)")), "{out}");
    let v = cli.json(&["--as", ISV, "opportunities", "show", &ra]);
    assert_eq!(v["prices"][0]["granted_units"], 45);
    assert_eq!((v["prices"][1]["wholesale_price"].clone(), v["installments"].clone()), (json!("0.008"), schedule()));
    let (code, _, err) = cli.run(&["--as", ISV, "opportunities", "edit", &ra, "--grant", "calls=1"]);
    assert_eq!(code, 1);
    assert!(err.contains("`calls` is billed by usage"), "{err}");
    assert_eq!(cli.json(&["--as", ISV, "opportunities", "show", &ra])["prices"][0]["granted_units"], 45);
}

#[test]
fn cli_the_round_trip_plan_and_offer_exported_linked_and_reimported_without_a_duplicate_keeping_the_plan() {
    let (cli, product) = Cli::new();
    let (code, out, err) = cli.grant_plan(&product, &["--grant", "users=40", "--release"]);
    assert_eq!(code, 0, "{err}");
    let local = out.trim().to_owned();
    cli.ok(&["--as", ISV, "export", &local, "--out", "ra.json"]);
    let ra = cli.read("ra.json");
    let out =
        cli.ok(&["--as", ISV, "import", &cli.write("ra-ok.json", &aws_answers::succeeded(&ra, "cs-0001", RA_AWS))]);
    assert!(out.contains(&format!("now {RA_AWS}")), "{out}");

    // The partner's offer: the granted units, the markup on every charge.
    let offer = cli
        .ok(&[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            RA_AWS,
            "--buyer",
            BUYER,
            "--markup",
            "10",
            "--expires",
            "2026-12-20",
            "--name",
            "Contoso, two payments",
        ])
        .trim()
        .to_owned();
    let v = cli.json(&["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!((v["wholesale_total"].clone(), v["buyer_total"].clone()), (json!("80000.50"), json!("88000.55")));
    cli.ok(&["--as", PARTNER, "export", &offer, "--release", "--out", "offer.json"]);
    let offer_request = cli.read("offer.json");
    assert_eq!(change(&offer_request, "CreateOfferUsingResaleAuthorization")["ResaleAuthorizationId"], RA_AWS);
    assert_eq!(change(&offer_request, "UpdateMarkup"), &json!({"Percentage": "10"}));
    let answer = aws_answers::succeeded(&offer_request, "cs-0002", OFFER_AWS);
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("offer-ok.json", &answer)]);
    assert!(out.contains(&format!("now {OFFER_AWS}")), "{out}");

    // AWS's copies: the authorization as the export made it, its one offer made; the offer
    // released, with the plan AWS copies onto it, every charge marked up.
    let mut ra_copy = aws_answers::described(&ra, RA_AWS, ISV, &[("users", "user"), ("calls", "call")]);
    ra_copy["DetailsDocument"]["OfferDetails"] = json!({"OfferCreatedCount": 1});
    let out = cli.ok(&["--as", ISV, "import", &cli.write("ra-copy.json", &ra_copy)]);
    assert!(out.contains(&format!("unchanged  {RA_AWS}")), "{out}");
    let mut offer_copy = aws_answers::described(&offer_request, OFFER_AWS, PARTNER, &[]);
    offer_copy["DetailsDocument"]["ProductId"] = json!(product);
    offer_copy["DetailsDocument"]["Terms"] = json!([
        {"Type": "FixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": "0.00", "Duration": "P12M",
         "Grants": [{"DimensionKey": "users", "MaxQuantity": 40}]},
        {"Type": "PaymentScheduleTerm", "CurrencyCode": "USD", "Schedule": [
            {"ChargeDate": "2027-01-15", "ChargeAmount": "44000.00"},
            {"ChargeDate": "2027-07-15", "ChargeAmount": "44000.55"}]},
    ]);
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("offer-copy.json", &offer_copy)]);
    assert!(out.contains(&format!("unchanged  {OFFER_AWS}")), "released when linked, as exported: {out}");

    let count = |what: &str| cli.json(&["--as", PARTNER, what, "list"]).as_array().unwrap().len();
    assert_eq!((count("opportunities"), count("offers")), (1, 1), "no duplicate");
    let opp = cli.json(&["--as", ISV, "opportunities", "show", RA_AWS]);
    assert_eq!(plan(&opp), (granted_prices(), schedule()), "the plan as made");
    assert_eq!(opp["status"], "Consumed");
    let v = cli.json(&["--as", PARTNER, "offers", "show", OFFER_AWS]);
    assert_eq!((v["status"].clone(), v["buyer_total"].clone()), (json!("Active"), json!("88000.55")));
    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&[ra, offer_request])) else { return };
    assert!(ok, "botocore rejected an export:\n{text}");
}
