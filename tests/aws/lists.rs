//! What imported records look like in the lists, through the command line: the records AWS
//! summarised without details (`list-entities`), in the text lists and in `--json`, with
//! the status cppo derives; offers with no quantities, whose totals are unknown rather than
//! zero; and AWS's own buyer prices where they differ from wholesale x markup.

use crate::aws_cli;

use aws_cli::Cli;
use serde_json::Value;

const AWS_ISV: &str = "590183746201";
const AWS_PARTNER: &str = "420061735518";
const CONTRACT_RA: &str = "resaleauthz-5tq8wz2kd7n3c";
const EXPIRED_RA: &str = "resaleauthz-2pd6vs9wf3h8n";
const DRAFT_RA: &str = "resaleauthz-4kx8bq2lr5t7m";
const RELEASED_OFFER: &str = "offer-4nd8kq2ws7x1z";
const DRAFT_OFFER: &str = "offer-9rk3zt6mw1p4c";
const USAGE_OFFER: &str = "offer-7yh2ct5bn8j3e";

/// The JSON a successful run printed.
fn json_of(run: aws_cli::Run) -> Value {
    let (code, out, err) = run;
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The element of a JSON list with `id`.
fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("no {id} in {list:#}"))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect()
}

/// The partner imports the authorizations' summaries, the contract one's details and the
/// offers' summaries: every offer is known by its summary only.
fn summaries_only() -> Cli {
    let cli = Cli::new();
    let (code, _, err) = cli.run(&[
        "--as",
        AWS_PARTNER,
        "import",
        "list-resale-authorizations.json",
        "describe-ra-contract.json",
        "list-offers.json",
    ]);
    assert_eq!(code, 0, "{err}");
    cli
}

#[test]
fn offers_list_json_holds_the_offers_known_by_their_summary_only() {
    let cli = summaries_only();
    let list = json_of(cli.run(&["--json", "offers", "list"]));
    assert_eq!(ids(&list), [RELEASED_OFFER, USAGE_OFFER, DRAFT_OFFER], "{list:#}");
    let released = by_id(&list, RELEASED_OFFER);
    assert_eq!(released["summary_only"], true);
    assert_eq!(released["aws_status"], "Released");
    assert_eq!(released["state"], "released");
    assert_eq!(released["status"], "Active");
    assert_eq!(released["name"], "Insights for Contoso 2027");
    assert_eq!(released["expires_on"], "2026-12-31");
    assert_eq!(released["opportunity_id"], CONTRACT_RA);
    assert_eq!(released["product_id"], "prod-7fk2qv9xw3m4a");
    assert_eq!(released["isv_account_id"], AWS_ISV);
    assert_eq!(released["partner_account_id"], AWS_PARTNER);
    // Its authorization is not held: the parties are unknown, not made up.
    let usage = by_id(&list, USAGE_OFFER);
    assert_eq!((&usage["isv_account_id"], &usage["partner_account_id"]), (&Value::Null, &Value::Null));
    assert_eq!(by_id(&list, DRAFT_OFFER)["status"], "Draft");
}

#[test]
fn opportunities_list_json_holds_summaries_after_the_held_records() {
    let cli = summaries_only();
    let list = json_of(cli.run(&["--json", "opportunities", "list"]));
    assert_eq!(ids(&list)[0], CONTRACT_RA, "the held record first: {list:#}");
    assert_eq!(by_id(&list, CONTRACT_RA)["summary_only"], false);
    let expired = by_id(&list, EXPIRED_RA);
    assert_eq!(expired["summary_only"], true);
    assert_eq!((&expired["aws_status"], &expired["status"]), (&"Active".into(), &"Expired".into()));
    assert_eq!(expired["ends_on"], "2026-06-30");
    assert_eq!(expired["isv_account_id"], AWS_ISV);
    assert_eq!(by_id(&list, "resaleauthz-6wj2pt8ds4k9f")["status"], "Deactivated");
    // The status filter applies to summaries as to held records.
    let list = json_of(cli.run(&["--json", "opportunities", "list", "--status", "expired"]));
    assert_eq!(ids(&list), [EXPIRED_RA]);
}

#[test]
fn a_summary_only_offer_past_its_expiry_is_expired_in_text_and_json() {
    let cli = summaries_only();
    let (code, out, err) = cli.run_on("2027-01-05", &["offers", "list"], "");
    assert_eq!(code, 0, "{err}");
    let line = out.lines().find(|l| l.starts_with(RELEASED_OFFER)).unwrap_or_else(|| panic!("{out}"));
    let words: Vec<&str> = line.split("  ").map(str::trim).filter(|w| !w.is_empty()).collect();
    assert_eq!(words, [RELEASED_OFFER, "Insights for Contoso 2027", "Expired", "Released", "2026-12-31"]);
    assert!(out.contains("STATUS   AWS STATUS  EXPIRES ON"), "{out}");

    let list = json_of(cli.run_on("2027-01-05", &["--json", "offers", "list", "--status", "expired"], ""));
    assert_eq!(ids(&list), [RELEASED_OFFER]);
    assert_eq!((&list[0]["status"], &list[0]["aws_status"]), (&"Expired".into(), &"Released".into()));
    let (_, out, _) = cli.run_on("2027-01-05", &["offers", "list", "--status", "active"], "");
    assert!(!out.contains(RELEASED_OFFER) && out.contains(USAGE_OFFER), "{out}");
}

#[test]
fn the_other_party_sees_a_summary_only_as_it_would_see_the_record() {
    // The ISV does not see its partner's draft offer, by its summary or otherwise.
    let cli = summaries_only();
    let list = json_of(cli.run(&["--as", AWS_ISV, "--json", "offers", "list"]));
    assert_eq!(ids(&list), [RELEASED_OFFER], "{list:#}");
    let (_, out, _) = cli.run(&["--as", AWS_ISV, "offers", "list"]);
    assert!(!out.contains(DRAFT_OFFER), "{out}");

    // The partner does not see the ISV's draft authorization; the ISV that imported it does.
    let cli = Cli::new();
    let (code, _, err) = cli.run(&["--as", AWS_ISV, "import", "list-resale-authorizations.json"]);
    assert_eq!(code, 0, "{err}");
    let mine = json_of(cli.run(&["--as", AWS_ISV, "--json", "opportunities", "list"]));
    assert!(ids(&mine).contains(&DRAFT_RA), "{mine:#}");
    let theirs = json_of(cli.run(&["--as", AWS_PARTNER, "--json", "opportunities", "list"]));
    assert!(!ids(&theirs).contains(&DRAFT_RA) && ids(&theirs).contains(&EXPIRED_RA), "{theirs:#}");
    let (_, out, _) = cli.run(&["--as", AWS_PARTNER, "opportunities", "list"]);
    assert!(!out.contains(DRAFT_RA), "{out}");
}

// ---- Offers with no quantities: the totals are unknown, not zero ----------------------

/// The partner imports the describe-entity answers: two offers with no quantities (AWS lets
/// the buyer pick units when accepting).
fn described() -> Cli {
    let cli = Cli::new();
    let (code, _, err) = cli.run(&["--as", AWS_PARTNER, "import", "describe-all.json"]);
    assert_eq!(code, 0, "{err}");
    cli
}

#[test]
fn an_offer_with_no_quantities_has_unknown_totals_in_json_never_zeros() {
    let cli = described();
    let list = json_of(cli.run(&["--json", "offers", "list"]));
    let offer = by_id(&list, RELEASED_OFFER);
    for key in ["wholesale_total", "buyer_total", "listing_fee", "isv_net", "partner_net"] {
        assert_eq!(offer.get(key), Some(&Value::Null), "{key} in {offer:#}");
    }
    assert_eq!(offer["quantities_planned"], false);
    let shown = json_of(cli.run(&["--json", "offers", "show", RELEASED_OFFER]));
    assert_eq!((&shown["buyer_total"], &shown["quantities_planned"]), (&Value::Null, &false.into()));
    assert!(shown.get("charge_plan").is_none(), "no charge can be planned yet: {shown:#}");
    assert!(shown["lines"].as_array().unwrap().iter().all(|l| l["buyer_total"].is_null()), "{shown:#}");
    // The ISV sees its figures the same way: unknown, still not a figure it may not see.
    let isv = json_of(cli.run(&["--as", AWS_ISV, "--json", "offers", "list"]));
    let offer = by_id(&isv, RELEASED_OFFER);
    assert_eq!(offer.get("wholesale_total"), Some(&Value::Null));
    assert!(offer.get("buyer_total").is_none(), "the buyer's price is not the ISV's to see: {offer:#}");
}

#[test]
fn an_offer_with_no_quantities_says_so_in_the_text_list_and_its_detail() {
    let cli = described();
    let (_, out, _) = cli.run(&["offers", "list"]);
    let row = out.lines().find(|l| l.starts_with(RELEASED_OFFER)).unwrap_or_else(|| panic!("{out}"));
    assert!(row.ends_with("no quantities  no quantities"), "{row}");
    assert!(!out.contains("0.00"), "{out}");
    let (_, out, _) = cli.run(&["offers", "show", RELEASED_OFFER]);
    assert!(out.contains("Buyer total:      — (no quantities yet)"), "{out}");
    assert!(out.contains("Partner receives: — (no quantities yet)"), "{out}");
    assert!(out.contains("Quantities:       none planned: AWS lets the buyer pick units"), "{out}");
    let seats = out.lines().find(|l| l.starts_with("seats")).unwrap();
    let cells: Vec<&str> = seats.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(cells, ["seats", "-", "unknown", "1,200.00 USD", "1,320.00 USD", "-", "-"], "{out}");
}

#[test]
fn a_planned_quantity_makes_the_totals_known_and_the_amount_sort_puts_unknown_first() {
    let cli = described();
    let (code, planned, err) = cli.run(&[
        "offers",
        "create",
        "--opportunity",
        CONTRACT_RA,
        "--buyer",
        "381904526617",
        "--markup",
        "10",
        "--expires",
        "2026-12-20",
        "--name",
        "Planned",
        "--quantity",
        "seats=2",
    ]);
    assert_eq!(code, 0, "{err}");
    let planned = planned.trim();
    let shown = json_of(cli.run(&["--json", "offers", "show", planned]));
    assert_eq!((&shown["buyer_total"], &shown["quantities_planned"]), (&"2640.00".into(), &true.into()));
    // Unknown totals are stored as zeros: they sort as the smallest amount, first going up
    // and last going down, after any real zero.
    let up = json_of(cli.run(&["--json", "offers", "list", "--sort", "amount"]));
    assert_eq!(ids(&up).last(), Some(&planned), "{up:#}");
    assert!(up[0]["buyer_total"].is_null(), "{up:#}");
    let down = json_of(cli.run(&["--json", "offers", "list", "--sort", "amount", "--desc"]));
    assert_eq!(ids(&down)[0], planned);
}

#[test]
fn a_usage_only_offer_keeps_its_zero_contract_value() {
    let cli = described();
    let (code, usage, err) = cli.run(&[
        "offers",
        "create",
        "--opportunity",
        "resaleauthz-3vr7hk5mz9b1d",
        "--buyer",
        "381904526617",
        "--markup",
        "5",
        "--expires",
        "2026-12-20",
        "--name",
        "Usage",
    ]);
    assert_eq!(code, 0, "{err}");
    let shown = json_of(cli.run(&["--json", "offers", "show", usage.trim()]));
    assert_eq!((&shown["buyer_total"], &shown["wholesale_total"]), (&"0.00".into(), &"0.00".into()));
    let (_, out, _) = cli.run(&["offers", "show", usage.trim()]);
    assert!(out.contains("Buyer total:      0.00 USD") && !out.contains("Quantities:"), "{out}");
}

/// The imported offers in the TUI's Offers tab at `width` x `height`: the table, then the
/// first offer's detail opened.
fn tui_offers(width: u16, height: u16) -> (String, String) {
    use cppo::app::App;
    use cppo::tui::{Worker, settle};
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let clock = cppo::domain::FixedClock::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    let mut market = cppo::market::Market::open(&dir.path().join("cppo.db"), Box::new(clock)).unwrap();
    let partner = cppo::domain::AccountId::parse(AWS_PARTNER).unwrap();
    let entries = cppo::aws::import::read("describe-all.json", &aws_cli::fixture("describe-all.json")).unwrap();
    market.import(&partner, &entries, cppo::market::ImportOptions::default()).unwrap();
    let mut worker = Worker::new(market, Some(partner));
    let mut app = App::new(width, height);
    let fx = app.start();
    settle(&mut app, &mut worker, fx);
    app.set_file_label("/tmp/cppo.db");
    let screen = |app: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
        t.draw(|f| cppo::ui::render(app, f)).unwrap();
        t.backend().to_string()
    };
    let mut screens = Vec::new();
    for key in [KeyCode::Char('3'), KeyCode::Enter] {
        let fx = app.handle_event(&Event::Key(KeyEvent::new(key, KeyModifiers::NONE)));
        settle(&mut app, &mut worker, fx);
        screens.push(screen(&app));
    }
    let detail = screens.pop().unwrap();
    (screens.pop().unwrap(), detail)
}

#[test]
fn the_tui_shows_no_quantities_in_the_total_column_at_80_and_120_columns() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (table, _) = tui_offers(w, h);
        // Names are cut to the column at 80: their beginnings.
        for name in ["Insights for Contoso 2", "Insights for Contoso, "] {
            let row = table.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}:\n{table}"));
            assert!(row.contains("no quantities"), "{w}x{h}: {row}\n{table}");
        }
        assert!(!table.contains("0.00 USD"), "{w}x{h}:\n{table}");
        insta::assert_snapshot!(format!("imported_offers_{w}x{h}"), table);
    }
    let (_, detail) = tui_offers(80, 24);
    assert!(detail.contains("Buyer total       — (no quantities yet)"), "{detail}");
    insta::assert_snapshot!("imported_offer_detail_80x24", detail);
}

// ---- AWS's own buyer prices ---------------------------------------------------------

/// describe-offer-draft.json with AWS's price of `seats` at `price` (cppo computes 1320.00
/// from the wholesale 1200.00 and the 10% markup).
fn draft_priced_by_aws(price: &str) -> String {
    priced_by_aws("describe-offer-draft.json", price)
}

fn priced_by_aws(fixture: &str, price: &str) -> String {
    let mut doc: Value = serde_json::from_str(&aws_cli::fixture(fixture)).unwrap();
    let card = &mut doc["DetailsDocument"]["Terms"][0]["RateCards"][0]["RateCard"];
    assert_eq!(card[0]["DimensionKey"], "seats");
    card[0]["Price"] = price.into();
    doc.to_string()
}

/// The partner imports the contract authorization, then the draft offer AWS prices `seats`
/// at 1320.01.
fn aws_priced() -> Cli {
    let cli = Cli::new();
    let (code, _, err) = cli.run(&["--as", AWS_PARTNER, "import", "describe-ra-contract.json"]);
    assert_eq!(code, 0, "{err}");
    cli
}

fn line<'a>(offer: &'a Value, dimension: &str) -> &'a Value {
    offer["lines"].as_array().unwrap().iter().find(|l| l["dimension"] == dimension).unwrap()
}

#[test]
fn an_aws_buyer_price_off_wholesale_x_markup_is_kept_and_the_import_says_so() {
    let cli = aws_priced();
    let (code, out, err) = cli.run_with(&["import", "-"], &draft_priced_by_aws("1320.01"));
    assert_eq!(code, 0, "{err}");
    let note =
        "note: AWS prices `seats` at 1320.01, cppo computes 1320.00 from wholesale x markup: AWS's price is kept";
    assert!(out.contains(note), "{out}");
    assert!(!out.contains("`admin_seats`"), "AWS and cppo agree on admin_seats: {out}");

    let shown = json_of(cli.run(&["--json", "offers", "show", DRAFT_OFFER]));
    let seats = line(&shown, "seats");
    assert_eq!((&seats["buyer_price"], &seats["buyer_price_by_markup"]), (&"1320.01".into(), &"1320.00".into()));
    assert_eq!(seats["wholesale_price"], "1200.00");
    assert!(line(&shown, "admin_seats").get("buyer_price_by_markup").is_none(), "{shown:#}");
    let (_, text, _) = cli.run(&["offers", "show", DRAFT_OFFER]);
    assert!(
        text.contains("seats: the buyer price is AWS's, 1,320.01 USD; wholesale x markup gives 1,320.00 USD"),
        "{text}"
    );

    // Kept as AWS wrote it: the same input again changes nothing.
    let (_, out, _) = cli.run_with(&["import", "-"], &draft_priced_by_aws("1320.01"));
    assert!(out.contains("1 entity: 0 created, 0 updated, 1 unchanged"), "{out}");
    // AWS's price moving back to cppo's is an update, and the offer is cppo's price again.
    let (_, out, _) = cli.run_with(&["import", "-"], &draft_priced_by_aws("1320.00"));
    assert!(out.contains("0 created, 1 updated") && !out.contains("is kept"), "{out}");
    let shown = json_of(cli.run(&["--json", "offers", "show", DRAFT_OFFER]));
    assert!(line(&shown, "seats").get("buyer_price_by_markup").is_none(), "{shown:#}");

    // The buyer sees AWS's price as the price, with nothing about the markup.
    let (code, _, err) = cli.run_with(&["import", "-"], &priced_by_aws("describe-offer-released.json", "1320.01"));
    assert_eq!(code, 0, "{err}");
    let seen = json_of(cli.run(&["--as", "381904526617", "--json", "offers", "show", RELEASED_OFFER]));
    let seats = line(&seen, "seats");
    assert_eq!(seats["buyer_price"], "1320.01");
    assert!(seats.get("buyer_price_by_markup").is_none(), "{seen:#}");
}

#[test]
fn aws_buyer_price_prices_the_offer_until_the_markup_changes() {
    use cppo::domain::offer::OfferTerms;
    use cppo::domain::{AccountId, OfferId};
    use rust_decimal::dec;
    let cli = aws_priced();
    let (code, _, err) = cli.run_with(&["import", "-"], &draft_priced_by_aws("1320.01"));
    assert_eq!(code, 0, "{err}");
    let clock = cppo::domain::FixedClock::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    let mut market = cppo::market::Market::open(&cli.db, Box::new(clock)).unwrap();
    let (partner, id) = (AccountId::parse(AWS_PARTNER).unwrap(), OfferId::parse(DRAFT_OFFER).unwrap());
    let (rec, _) = market.offer(&partner, &id).unwrap();
    let terms = |markup| OfferTerms {
        name: rec.offer.name.clone(),
        description: rec.offer.description.clone(),
        buyer: rec.offer.buyer.clone(),
        markup_pct: markup,
        expires_on: rec.offer.expires_on,
        quantities: vec![("seats".into(), 10)],
        duration: None,
    };
    market.edit_offer(&partner, &id, terms(dec!(10)), None).unwrap();
    let total = |m: &cppo::market::Market| {
        let v = m.offer(&partner, &id).unwrap().1;
        (v.buyer_total.and_then(|f| f.known()).unwrap().to_plain(), v.lines[0].buyer_price.unwrap().to_string())
    };
    // 10 x AWS's 1320.01, not 10 x 1320.00; in the list too (the stored figures).
    assert_eq!(total(&market), ("13200.10".into(), "1320.01".into()));
    let list = json_of(cli.run(&["--json", "offers", "list"]));
    assert_eq!(by_id(&list, DRAFT_OFFER)["buyer_total"], "13200.10");
    // A new markup is a new price: cppo's own, 1200.00 x 1.2.
    market.edit_offer(&partner, &id, terms(dec!(20)), None).unwrap();
    assert_eq!(total(&market), ("14400.00".into(), "1440.00".into()));
}
