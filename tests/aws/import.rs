//! Import: AWS CLI output (`list-entities`, `describe-entity`, arrays and JSON Lines of them)
//! read into entries, against every file of `tests/fixtures/aws/`. An entity cppo cannot
//! represent is skipped with its reason while the rest of the input still reads; input that
//! is not such output is an error naming the place and what was expected.

use chrono::{NaiveDate, TimeZone, Utc};
use cppo::aws::import::{
    Authorization, AuthorizationPrice, AuthorizationSummary, Buyer, ChangeError, ChangeSetAnswer, ChangeSetStatus,
    Entry, MAX_ENTITIES, MAX_VALUES, Offer, OfferSummary, ReadError, ResellerRole, read, read_into,
};
use cppo::domain::product::Duration;
use cppo::domain::{AccountId, Currency, OfferState, OpportunityState, PricingModel};
use rust_decimal::dec;

macro_rules! fixture {
    ($name:literal) => {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws/", $name))
            .expect(concat!("fixture ", $name))
    };
}

fn entries(name: &str, text: &str) -> Vec<Entry> {
    read(name, text).unwrap_or_else(|e| panic!("{name} should read: {e}"))
}

fn error(name: &str, text: &str) -> ReadError {
    match read(name, text) {
        Ok(entries) => panic!("{name} should not read, got {entries:#?}"),
        Err(e) => e,
    }
}

fn authorization(name: &str, text: &str) -> Authorization {
    match entries(name, text).as_slice() {
        [Entry::Authorization(a)] => a.clone(),
        other => panic!("{name}: expected one resale authorization, got {other:#?}"),
    }
}

fn offer(name: &str, text: &str) -> Offer {
    match entries(name, text).as_slice() {
        [Entry::Offer(o)] => o.clone(),
        other => panic!("{name}: expected one offer, got {other:#?}"),
    }
}

/// The single entry of `text`, which must be skipped: its id, kind and reason.
fn skipped(name: &str, text: &str) -> (Option<String>, &'static str, String) {
    match entries(name, text).as_slice() {
        [Entry::Skipped { id, kind, reason }] => (id.clone(), kind, reason.clone()),
        other => panic!("{name}: expected one skipped entry, got {other:#?}"),
    }
}

fn authorization_summaries(entries: &[Entry]) -> Vec<&AuthorizationSummary> {
    entries
        .iter()
        .map(|e| match e {
            Entry::AuthorizationSummary(s) => s,
            other => panic!("expected a resale authorization summary, got {other:#?}"),
        })
        .collect()
}

fn account(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn duration(s: &str) -> Duration {
    Duration::parse(s).unwrap()
}

fn contoso() -> Vec<Buyer> {
    [("381904526617", "Contoso Ltd"), ("381904526618", "Contoso Ltd (EU)"), ("381904526619", "Contoso Ltd (Labs)")]
        .into_iter()
        .map(|(a, n)| Buyer { account: account(a), legal_name: Some(n.into()) })
        .collect()
}

fn contoso_accounts() -> Vec<Buyer> {
    contoso().into_iter().map(|b| Buyer { legal_name: None, ..b }).collect()
}

#[test]
fn a_described_contract_resale_authorization_reads_every_field() {
    let a = authorization("describe-ra-contract.json", &fixture!("describe-ra-contract.json"));
    assert_eq!(a.id.as_str(), "resaleauthz-5tq8wz2kd7n3c");
    assert_eq!(a.revision.as_deref(), Some("4"));
    assert_eq!(a.last_modified, Some(Utc.with_ymd_and_hms(2026, 10, 5, 14, 2, 11).unwrap()));
    assert_eq!(a.name, "Insights via Northwind 2027");
    assert_eq!(a.description, "Annual Insights contract for Contoso, wholesale to Northwind");
    assert_eq!(a.product_id.as_str(), "prod-7fk2qv9xw3m4a");
    assert_eq!(a.product_name.as_deref(), Some("Brightwave Insights"));
    assert_eq!(a.isv, account("590183746201"));
    assert_eq!(a.isv_name.as_deref(), Some("Brightwave Analytics, Inc."));
    assert_eq!(a.partner, account("420061735518"));
    assert_eq!(a.partner_name.as_deref(), Some("Northwind Cloud Resale LLC"));
    assert_eq!(a.status, OpportunityState::Active);
    assert_eq!(a.pricing_model, PricingModel::Contract);
    assert_eq!(a.currency, Currency::Usd);
    assert_eq!(a.duration, Some(Duration::P12M));
    assert_eq!(
        a.prices,
        vec![
            AuthorizationPrice {
                key: "seats".into(),
                name: "Analyst seats".into(),
                unit: "Users".into(),
                usage: false,
                price: dec!(1200.00),
                granted: None
            },
            AuthorizationPrice {
                key: "admin_seats".into(),
                name: "Admin seats".into(),
                unit: "Users".into(),
                usage: false,
                price: dec!(300.00),
                granted: None
            },
        ]
    );
    assert!(!a.one_time);
    assert_eq!(a.ends_on, Some(date(2027, 6, 30)));
    assert_eq!(a.buyers, contoso());
    assert!(!a.renewal, "PreExistingBuyerAgreement \"Unknown\" is no renewal");
    assert_eq!(a.net_payment_days, Some(30));
    assert_eq!(a.eula_url, None, "StandardEula");
    assert_eq!(a.offers_created, 2);
    assert_eq!(a.offer_extended_status.as_deref(), Some("Completed-Usable"));
    assert_eq!(a.created_on, Some(date(2026, 9, 2)));
}

#[test]
fn a_one_time_authorization_without_buyers_reads_in_euros_for_450_days() {
    let a = authorization("describe-ra-one-time-no-buyer.json", &fixture!("describe-ra-one-time-no-buyer.json"));
    assert!(a.one_time, "OffersMaxQuantity 1");
    assert!(a.buyers.is_empty(), "no BuyerTargetingTerm: any buyer");
    assert_eq!(a.currency, Currency::Eur);
    assert_eq!(a.duration, Some(duration("P450D")));
    assert_eq!(a.duration.unwrap().words(), "450 days");
    assert_eq!(a.prices.len(), 1);
    assert_eq!(a.prices[0].price, dec!(1350.50));
    assert_eq!(a.ends_on, Some(date(2027, 3, 31)));
    assert_eq!(a.offers_created, 0);
    assert_eq!(a.offer_extended_status.as_deref(), Some("Not Started"));
    assert_eq!(a.net_payment_days, None);
}

#[test]
fn a_usage_authorization_has_eight_decimal_prices_no_duration_and_no_end() {
    let a = authorization("describe-ra-usage.json", &fixture!("describe-ra-usage.json"));
    assert_eq!(a.pricing_model, PricingModel::Usage);
    assert_eq!(a.currency, Currency::Usd);
    assert_eq!(a.duration, None);
    assert_eq!(a.ends_on, None, "AvailabilityRule Usage Unlimited");
    assert!(!a.one_time);
    let prices: Vec<_> = a.prices.iter().map(|p| (p.key.as_str(), p.unit.as_str(), p.usage, p.price)).collect();
    assert_eq!(prices, [("api_calls", "Requests", true, dec!(0.000125)), ("gb_scanned", "GB", true, dec!(0.045))]);
    assert_eq!(a.prices[0].price.to_string(), "0.00012500", "the scale AWS wrote is kept");
}

#[test]
fn a_restricted_authorization_reads_as_restricted() {
    let a = authorization("describe-ra-restricted.json", &fixture!("describe-ra-restricted.json"));
    assert_eq!(a.id.as_str(), "resaleauthz-6wj2pt8ds4k9f");
    assert_eq!(a.status, OpportunityState::Restricted);
    assert_eq!(a.revision.as_deref(), Some("6"));
    assert_eq!(a.prices.iter().map(|p| p.price).collect::<Vec<_>>(), [dec!(900.00), dec!(200.00)]);
    assert!(a.buyers.is_empty());
    assert_eq!(a.ends_on, Some(date(2027, 5, 31)));
}

#[test]
fn a_resale_authorization_with_two_duration_rate_cards_reads_both_in_awss_order() {
    for (name, text, other, seats) in [
        ("describe-ra-multi-duration.json", fixture!("describe-ra-multi-duration.json"), "P24M", dec!(2280)),
        ("describe-ra-p12m-p36m.json", fixture!("describe-ra-p12m-p36m.json"), "P36M", dec!(3240)),
    ] {
        let a = authorization(name, &text);
        assert_eq!(a.duration, Some(Duration::P12M), "{name}");
        let first: Vec<_> = a.prices.iter().map(|p| (p.key.as_str(), p.price)).collect();
        assert_eq!(first, [("seats", dec!(1200)), ("admin_seats", dec!(300))], "{name}");
        assert_eq!(a.rate_cards.len(), 1, "{name}");
        assert_eq!(a.rate_cards[0].duration, duration(other));
        assert_eq!(a.rate_cards[0].prices[0], ("seats".to_owned(), seats));
    }
}

#[test]
fn rate_cards_aws_forbids_are_skipped_with_the_reason() {
    let text = fixture!("describe-ra-p12m-p36m.json");
    let (_, _, reason) = skipped("twice.json", &text.replace("\"P36M\"", "\"P12M\""));
    assert_eq!(reason, "DetailsDocument.Terms[0].RateCards has two rate cards for P12M: AWS allows one each");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cards = v["DetailsDocument"]["Terms"][0]["RateCards"].as_array_mut().unwrap();
    for months in [1, 2, 3, 4] {
        let mut card = cards[1].clone();
        card["Selector"]["Value"] = serde_json::json!(format!("P{months}M"));
        cards.push(card);
    }
    let (_, _, reason) = skipped("six.json", &v.to_string());
    assert_eq!(reason, "DetailsDocument.Terms[0].RateCards holds 6 rate cards: AWS allows at most 5");
}

#[test]
fn an_installment_plan_reads_its_granted_units_for_p1y6m_and_its_three_charges() {
    let a = authorization("describe-ra-installments.json", &fixture!("describe-ra-installments.json"));
    assert_eq!(a.id.as_str(), "resaleauthz-9hb3mx6rp2v8k");
    assert_eq!(a.duration, Some(duration("P1Y6M")));
    assert_eq!(a.pricing_model, PricingModel::Contract);
    assert_eq!(a.currency, Currency::Usd);
    assert_eq!(a.prices.len(), 1);
    let seats = &a.prices[0];
    assert_eq!((seats.key.as_str(), seats.price, seats.granted, seats.usage), ("seats", dec!(0), Some(50), false));
    let charges: Vec<(NaiveDate, rust_decimal::Decimal)> =
        a.installments.iter().map(|c| (c.due_on, c.amount)).collect();
    assert_eq!(
        charges,
        [(date(2027, 2, 15), dec!(30000.00)), (date(2027, 8, 15), dec!(30000.00)), (date(2028, 2, 15), dec!(30000.00))]
    );
    assert!(a.one_time);
    // A fixed price other than 0 is not one cppo holds (AWS requires 0 with a schedule).
    let text = fixture!("describe-ra-installments.json").replace("\"Price\": \"0.00\"", "\"Price\": \"10.00\"");
    assert!(skipped("ra.json", &text).2.contains("a fixed upfront price of 0"), "{:?}", skipped("ra.json", &text));
}

#[test]
fn a_rate_card_of_p1y6m_reads_as_one_year_and_six_months() {
    let text = fixture!("describe-ra-contract.json").replace("\"P12M\"", "\"P1Y6M\"");
    let a = authorization("p1y6m.json", &text);
    assert_eq!(a.duration, Some(Duration { years: 1, months: 6, days: 0 }));
    assert_eq!(a.duration.unwrap().to_string(), "P1Y6M");
}

#[test]
fn a_pre_existing_buyer_agreement_object_is_a_renewal_and_a_custom_eula_keeps_its_url() {
    let text = fixture!("describe-ra-contract.json")
        .replace(
            r#""PreExistingBuyerAgreement": "Unknown""#,
            r#""PreExistingBuyerAgreement": {"AcquisitionChannel": "AwsMarketplace", "PricingModel": "Contract"}"#,
        )
        .replace(
            r#""Type": "StandardEula""#,
            r#""Type": "CustomEula", "Url": "https://s3.amazonaws.com/brightwave-legal/eula.pdf""#,
        );
    let a = authorization("renewal.json", &text);
    assert!(a.renewal);
    assert_eq!(a.eula_url.as_deref(), Some("https://s3.amazonaws.com/brightwave-legal/eula.pdf"));
}

#[test]
fn the_described_offers_read_markup_buyers_expiry_duration_and_buyer_prices() {
    let draft = offer("describe-offer-draft.json", &fixture!("describe-offer-draft.json"));
    assert_eq!(draft.id.as_str(), "offer-9rk3zt6mw1p4c");
    assert_eq!(draft.revision.as_deref(), Some("2"));
    assert_eq!(draft.state, OfferState::Draft);
    assert_eq!(draft.name, "Insights for Contoso, expansion");
    assert_eq!(draft.description, "Added seats for Contoso Labs, not yet released");
    assert_eq!(draft.product_id.as_str(), "prod-7fk2qv9xw3m4a");
    assert_eq!(draft.resale_authorization_id.as_str(), "resaleauthz-5tq8wz2kd7n3c");
    assert_eq!(draft.markup_pct, Some(dec!(10.0)));
    assert_eq!(draft.buyers, contoso_accounts());
    assert_eq!(draft.expires_on, Some(date(2027, 1, 31)));
    assert_eq!(draft.agreement_duration, Some(Duration::P12M));
    assert_eq!(draft.net_payment_days, Some(30));
    assert_eq!(draft.currency, Some(Currency::Usd));
    let prices: Vec<_> = draft.buyer_prices.iter().map(|p| (p.key.as_str(), p.duration, p.usage, p.price)).collect();
    assert_eq!(
        prices,
        [
            ("seats", Some(Duration::P12M), false, dec!(1320.00)),
            ("admin_seats", Some(Duration::P12M), false, dec!(330.00))
        ]
    );

    let released = offer("describe-offer-released.json", &fixture!("describe-offer-released.json"));
    assert_eq!(released.id.as_str(), "offer-4nd8kq2ws7x1z");
    assert_eq!(released.state, OfferState::Released);
    assert_eq!(released.expires_on, Some(date(2026, 12, 31)));
    assert_eq!(released.last_modified, Some(Utc.with_ymd_and_hms(2026, 10, 5, 14, 2, 11).unwrap()));
}

#[test]
fn an_offers_buyer_prices_are_its_authorizations_wholesale_prices_times_the_markup() {
    let a = authorization("describe-ra-contract.json", &fixture!("describe-ra-contract.json"));
    let o = offer("describe-offer-released.json", &fixture!("describe-offer-released.json"));
    let factor = dec!(1) + o.markup_pct.unwrap() / dec!(100);
    for (wholesale, buyer) in a.prices.iter().zip(&o.buyer_prices) {
        assert_eq!(wholesale.key, buyer.key);
        assert_eq!(wholesale.price * factor, buyer.price);
    }
}

#[test]
fn offer_buyer_accounts_may_be_strings_or_aws_account_id_objects() {
    let text = fixture!("describe-offer-draft.json")
        .replace(r#""381904526617","#, r#"{"AwsAccountId": "381904526617", "LegalName": "Contoso Ltd"},"#);
    let o = offer("objects.json", &text);
    assert_eq!(o.buyers[0], Buyer { account: account("381904526617"), legal_name: Some("Contoso Ltd".into()) });
    assert_eq!(o.buyers[1..], contoso_accounts()[1..]);
}

#[test]
fn the_first_list_page_reads_six_summaries_with_their_statuses_and_dates() {
    let text = fixture!("list-resale-authorizations.json");
    assert!(text.contains("\"NextToken\""));
    let entries = entries("list-resale-authorizations.json", &text);
    let s = authorization_summaries(&entries);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "resaleauthz-4kx8bq2lr5t7m",
            "resaleauthz-8ce4nf1yj6q2p",
            "resaleauthz-5tq8wz2kd7n3c",
            "resaleauthz-9hb3mx6rp2v8k",
            "resaleauthz-6wj2pt8ds4k9f",
            "resaleauthz-2pd6vs9wf3h8n",
        ]
    );
    use OpportunityState::*;
    assert_eq!(
        s.iter().map(|s| s.status).collect::<Vec<_>>(),
        [Draft, Active, Active, Active, Restricted, Active].map(Some)
    );
    let extended: Vec<_> = s.iter().map(|s| s.offer_extended_status.as_deref().unwrap()).collect();
    assert_eq!(
        extended,
        ["Not Started", "Not Started", "Completed-Usable", "Completed-Used", "Not Started", "Not Started"]
    );
    let ends: Vec<_> = s.iter().map(|s| s.ends_on).collect();
    assert_eq!(
        ends,
        [
            None,
            Some(date(2027, 3, 31)),
            Some(date(2027, 6, 30)),
            Some(date(2027, 1, 31)),
            Some(date(2027, 5, 31)),
            Some(date(2026, 6, 30))
        ]
    );
    let draft = s[0];
    assert_eq!(draft.name.as_deref(), Some("Insights Q1 2027 (draft)"));
    assert_eq!(draft.product_id.as_deref(), Some("prod-7fk2qv9xw3m4a"));
    assert_eq!(draft.product_name.as_deref(), Some("Brightwave Insights"));
    assert_eq!(draft.isv, Some(account("590183746201")));
    assert_eq!(draft.isv_name.as_deref(), Some("Brightwave Analytics, Inc."));
    assert_eq!(draft.partner, Some(account("420061735518")), "from ResellerAccountID, capital ID");
    assert_eq!(draft.partner_name.as_deref(), Some("Northwind Cloud Resale LLC"));
    assert_eq!(draft.created_on, Some(date(2026, 11, 24)));
    assert_eq!(draft.last_modified, Some(Utc.with_ymd_and_hms(2026, 11, 24, 10, 15, 2).unwrap()));
    assert_eq!(draft.role, Some(ResellerRole::ChannelPartner));
}

#[test]
fn the_last_list_page_without_a_next_token_reads_its_two_summaries() {
    let text = fixture!("list-resale-authorizations-page2.json");
    assert!(!text.contains("NextToken"));
    let entries = entries("list-resale-authorizations-page2.json", &text);
    let ids: Vec<&str> = authorization_summaries(&entries).iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["resaleauthz-3vr7hk5mz9b1d", "resaleauthz-1ga5ye3nc7u0x"]);
}

#[test]
fn the_offer_list_reads_a_draft_and_two_released_offers() {
    let entries = entries("list-offers.json", &fixture!("list-offers.json"));
    let offers: Vec<&OfferSummary> = entries
        .iter()
        .map(|e| match e {
            Entry::OfferSummary(o) => o,
            other => panic!("expected an offer summary, got {other:#?}"),
        })
        .collect();
    let rows: Vec<_> = offers.iter().map(|o| (o.id.as_str(), o.state, o.expires_on)).collect();
    assert_eq!(
        rows,
        [
            ("offer-9rk3zt6mw1p4c", Some(OfferState::Draft), Some(date(2027, 1, 31))),
            ("offer-4nd8kq2ws7x1z", Some(OfferState::Released), Some(date(2026, 12, 31))),
            ("offer-7yh2ct5bn8j3e", Some(OfferState::Released), Some(date(2027, 2, 28))),
        ]
    );
    assert_eq!(offers[0].released_at, None);
    assert_eq!(offers[1].released_at, Some(Utc.with_ymd_and_hms(2026, 10, 5, 14, 2, 11).unwrap()));
    assert_eq!(offers[0].buyers, contoso_accounts().into_iter().map(|b| b.account).collect::<Vec<_>>());
    assert_eq!(offers[2].buyers, [account("706512394855")]);
    assert_eq!(offers[2].resale_authorization_id.as_ref().map(|r| r.as_str()), Some("resaleauthz-3vr7hk5mz9b1d"));
    assert_eq!(offers[0].name.as_deref(), Some("Insights for Contoso, expansion"));
}

/// The eight describe files, in the order of `describe-all.json`.
fn singles() -> Vec<Entry> {
    [
        ("describe-ra-contract.json", fixture!("describe-ra-contract.json")),
        ("describe-ra-one-time-no-buyer.json", fixture!("describe-ra-one-time-no-buyer.json")),
        ("describe-ra-usage.json", fixture!("describe-ra-usage.json")),
        ("describe-ra-installments.json", fixture!("describe-ra-installments.json")),
        ("describe-ra-restricted.json", fixture!("describe-ra-restricted.json")),
        ("describe-ra-multi-duration.json", fixture!("describe-ra-multi-duration.json")),
        ("describe-ra-p12m-p36m.json", fixture!("describe-ra-p12m-p36m.json")),
        ("describe-offer-draft.json", fixture!("describe-offer-draft.json")),
        ("describe-offer-released.json", fixture!("describe-offer-released.json")),
    ]
    .iter()
    .flat_map(|(name, text)| entries(name, text))
    .collect()
}

#[test]
fn the_array_and_the_json_lines_give_the_same_entries_as_the_single_files() {
    let singles = singles();
    assert_eq!(singles.len(), 9);
    let kinds: Vec<&str> = singles
        .iter()
        .map(|e| match e {
            Entry::Authorization(_) => "ra",
            Entry::Offer(_) => "offer",
            Entry::Skipped { .. } => "skipped",
            other => panic!("unexpected {other:#?}"),
        })
        .collect();
    assert_eq!(kinds, ["ra", "ra", "ra", "ra", "ra", "ra", "ra", "offer", "offer"]);
    // describe-all holds every describe document but the P12M/P36M one.
    let all: Vec<Entry> = singles.iter().filter(|e| e.id() != Some("resaleauthz-4tq8wn2kc6p3d")).cloned().collect();
    assert_eq!(entries("describe-all.json", &fixture!("describe-all.json")), all);
    assert_eq!(entries("describe-all.jsonl", &fixture!("describe-all.jsonl")), all);
}

#[test]
fn an_old_cli_s_details_string_reads_like_the_details_document() {
    let v: serde_json::Value = serde_json::from_str(&fixture!("describe-ra-contract.json")).unwrap();
    let mut old = v.clone();
    let document = old.as_object_mut().unwrap().remove("DetailsDocument").unwrap();
    old["Details"] = serde_json::Value::String(document.to_string());
    assert_eq!(entries("old.json", &old.to_string()), entries("new.json", &v.to_string()));
}

#[test]
fn a_truncated_file_is_an_error_with_its_line_and_column() {
    let text = fixture!("bad/truncated.json");
    let e = error("truncated.json", &text);
    assert_eq!(e.file, "truncated.json");
    assert_eq!(e.line, text.lines().count(), "the last line, where the JSON stops");
    assert_eq!(e.column, text.lines().last().unwrap().len());
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("truncated.json: line {}, column {}: ", e.line, e.column)), "{shown}");
    assert!(shown.contains("the JSON stops in the middle") && shown.contains("cut short"), "{shown}");
}

#[test]
fn a_broken_line_of_json_lines_is_an_error_naming_that_line_of_the_file() {
    let text: Vec<String> = fixture!("describe-all.jsonl").lines().map(str::to_owned).collect();
    let mut broken = text.clone();
    broken[2] = "{\"EntityType\": \"ResaleAuthorization@1.0\", oops}".into();
    let e = error("all.jsonl", &broken.join("\n"));
    assert_eq!((e.line, e.column), (3, 43), "{e}");
    assert!(e.to_string().starts_with("all.jsonl: line 3, column 43: not valid JSON: key must be a string"), "{e}");
}

#[test]
fn json_of_another_shape_is_an_error_saying_what_was_expected() {
    let e = error("other.json", "\n\n  {\"Foo\": 1, \"Bar\": [2]}\n");
    assert_eq!((e.line, e.column), (3, 3));
    assert!(e.message.starts_with("expected AWS CLI output of `marketplace-catalog list-entities`"), "{e}");
    assert!(e.message.ends_with("found an object with Bar, Foo"), "{e}");

    let e = error("numbers.json", "[1, 2]");
    assert!(e.message.starts_with("item 1 of the array: expected AWS CLI output"), "{e}");
    assert!(e.message.ends_with("found a number"), "{e}");

    let lines = format!("{}\n\"a string\"\n", fixture!("describe-all.jsonl").lines().next().unwrap());
    let e = error("mixed.jsonl", &lines);
    assert_eq!(e.line, 2);
    assert!(e.message.ends_with("found a string"), "{e}");

    let e = error("list.json", r#"{"EntitySummaryList": {}}"#);
    assert!(e.message.starts_with("EntitySummaryList is an object, not a list"), "{e}");
}

/// A list-entities answer of `n` empty summaries (each an entity cppo skips).
fn empty_summaries(n: usize) -> String {
    format!("{{\"EntitySummaryList\": [{}]}}", vec!["{}"; n].join(","))
}

#[test]
fn more_entities_than_one_import_takes_are_an_error_not_a_slow_import() {
    assert_eq!(entries("most.json", &empty_summaries(MAX_ENTITIES)).len(), MAX_ENTITIES);
    let e = error("more.json", &empty_summaries(MAX_ENTITIES + 1));
    assert!(e.message.starts_with("more than 100,000 entities: import them in parts"), "{e}");
    // The bound is the run's: inputs read one after another add up.
    let mut run = Vec::new();
    read_into("first.json", &empty_summaries(MAX_ENTITIES - 1), &mut run).unwrap();
    read_into("second.json", &fixture!("describe-ra-contract.json"), &mut run).unwrap();
    let e = read_into("third.json", &fixture!("describe-offer-draft.json"), &mut run).unwrap_err();
    assert_eq!(e.file, "third.json");
    assert!(e.message.starts_with("more than 100,000 entities"), "{e}");
}

#[test]
fn an_entity_of_more_json_values_than_aws_writes_is_an_error() {
    let mut doc: serde_json::Value = serde_json::from_str(&fixture!("describe-offer-draft.json")).unwrap();
    doc["DetailsDocument"]["Terms"] = serde_json::Value::Array(vec![serde_json::json!(0); MAX_VALUES]);
    let e = error("huge.json", &format!("\n{doc}"));
    assert_eq!((e.line, e.column), (2, 1), "{e}");
    assert!(e.message.starts_with("an entity of more than 100,000 JSON values"), "{e}");
    // The same within one summary of a list.
    let list = serde_json::json!({"EntitySummaryList": [{"EntityType": "Offer", "Junk": vec![0; MAX_VALUES]}]});
    assert!(error("list.json", &list.to_string()).message.contains("more than 100,000 JSON values"));
}

#[test]
fn an_empty_file_gives_nothing() {
    assert_eq!(read("empty.json", ""), Ok(vec![]));
    assert_eq!(read("blank.jsonl", " \n\t\n\n"), Ok(vec![]));
    assert_eq!(read("list.json", r#"{"EntitySummaryList": []}"#), Ok(vec![]));
}

#[test]
fn a_name_that_is_a_number_skips_the_authorization_naming_the_field() {
    let (id, kind, reason) = skipped("wrong-types.json", &fixture!("bad/wrong-types.json"));
    assert_eq!(id.as_deref(), Some("resaleauthz-5tq8wz2kd7n3c"));
    assert_eq!(kind, "resale authorization");
    assert_eq!(reason, "DetailsDocument.Name: invalid type: integer `2027`, expected a string");
}

#[test]
fn a_price_that_is_a_number_skips_the_authorization_naming_the_field() {
    let text = fixture!("bad/wrong-types.json").replace(r#""Name": 2027"#, r#""Name": "Insights 2027""#);
    let (_, _, reason) = skipped("wrong-types.json", &text);
    assert_eq!(
        reason,
        "DetailsDocument.Terms[0].RateCards[0].RateCard[0].Price: invalid type: floating point `1200.0`, expected a string"
    );
}

#[test]
fn a_price_with_an_exponent_or_too_many_decimals_is_skipped_not_rounded() {
    let text = fixture!("describe-ra-contract.json").replace(r#""1200.00""#, r#""1.2e3""#);
    let (_, _, reason) = skipped("exponent.json", &text);
    assert!(
        reason.starts_with("DetailsDocument.Terms[0].RateCards[0].RateCard[0].Price `1.2e3` is not a number"),
        "{reason}"
    );
    let text = fixture!("describe-ra-contract.json").replace(r#""1200.00""#, r#""1200.0000001""#);
    let (_, _, reason) = skipped("decimals.json", &text);
    assert!(reason.contains("has 7 decimals: at most 6 are allowed"), "{reason}");
}

#[test]
fn an_unknown_entity_type_is_skipped_as_not_a_resale_authorization_or_an_offer() {
    let (id, kind, reason) = skipped("unknown-entity-type.json", &fixture!("bad/unknown-entity-type.json"));
    assert_eq!(id.as_deref(), Some("prod-5ue8hw3ka6r2y"));
    assert_eq!(kind, "entity");
    assert_eq!(reason, "ContainerProduct@1.0 is not a resale authorization or an offer");
}

#[test]
fn an_entity_id_of_the_wrong_form_skips_the_summary_naming_the_field() {
    let (id, kind, reason) = skipped("bad-ids.json", &fixture!("bad/bad-ids.json"));
    assert_eq!(id.as_deref(), Some("resaleauthz-ab_12c"), "the id as AWS wrote it");
    assert_eq!(kind, "resale authorization");
    assert!(reason.starts_with("EntityId: `resaleauthz-ab_12c` is not an opportunity id"), "{reason}");
}

#[test]
fn an_eleven_digit_reseller_account_skips_the_summary_naming_the_field() {
    let text = fixture!("bad/bad-ids.json").replace("resaleauthz-ab_12c", "resaleauthz-5tq8wz2kd7n3c");
    let (id, _, reason) = skipped("bad-ids.json", &text);
    assert_eq!(id.as_deref(), Some("resaleauthz-5tq8wz2kd7n3c"));
    assert!(
        reason.starts_with("ResaleAuthorizationSummary.ResellerAccountID: `42006173551` is not an AWS account id"),
        "{reason}"
    );
}

#[test]
fn an_end_date_without_a_zone_skips_the_authorization_naming_the_field() {
    let (id, _, reason) = skipped("date-without-zone.json", &fixture!("bad/date-without-zone.json"));
    assert_eq!(id.as_deref(), Some("resaleauthz-5tq8wz2kd7n3c"));
    assert_eq!(
        reason,
        "DetailsDocument.Rules[0].AvailabilityEndDate `2027-06-30T23:59:59` is not a timestamp as AWS writes them: \
         YYYY-MM-DDThh:mm:ss[.fff] with `Z` or an offset"
    );
}

#[test]
fn timestamps_take_fractions_and_offsets_and_are_kept_in_utc() {
    let with = |end: &str, modified: &str| {
        let text = fixture!("describe-ra-contract.json")
            .replace("2027-06-30T23:59:59Z", end)
            .replace("2026-10-05T14:02:11Z", modified);
        authorization("ra.json", &text)
    };
    let a = with("2027-06-30T23:59:59.999Z", "2026-10-05T14:02:11.594Z");
    assert_eq!(a.ends_on, Some(date(2027, 6, 30)));
    assert_eq!(a.last_modified.unwrap().to_rfc3339(), "2026-10-05T14:02:11.594+00:00");
    // An offset is moved to UTC: 23:59:59 at -08:00 is the next day in UTC.
    let a = with("2027-06-30T23:59:59-08:00", "2026-10-05T06:02:11.232000-08:00");
    assert_eq!(a.ends_on, Some(date(2027, 7, 1)));
    assert_eq!(a.last_modified.unwrap().to_rfc3339(), "2026-10-05T14:02:11.232+00:00");
    let a = with("2027-06-30T23:59:59+00:00", "2026-10-05T14:02:11+00:00");
    assert_eq!(a.ends_on, Some(date(2027, 6, 30)));
}

#[test]
fn details_as_an_object_or_a_string_read_as_the_details_document() {
    let mut doc: serde_json::Value = serde_json::from_str(&fixture!("describe-ra-contract.json")).unwrap();
    let details = doc.as_object_mut().unwrap().remove("DetailsDocument").unwrap();
    let expected = authorization("ra.json", &fixture!("describe-ra-contract.json"));
    doc["Details"] = details.clone();
    assert_eq!(authorization("object.json", &doc.to_string()), expected);
    doc["Details"] = serde_json::Value::String(details.to_string());
    assert_eq!(authorization("string.json", &doc.to_string()), expected);
    doc["Details"] = serde_json::json!(7);
    assert_eq!(skipped("number.json", &doc.to_string()).2, "Details is a number, not a JSON document");
}

#[test]
fn a_draft_offer_without_a_state_reads_as_a_draft() {
    let mut doc: serde_json::Value = serde_json::from_str(&fixture!("describe-offer-draft.json")).unwrap();
    doc["DetailsDocument"].as_object_mut().unwrap().remove("State");
    assert_eq!(offer("draft.json", &doc.to_string()).state, OfferState::Draft);
}

#[test]
fn skipped_entities_leave_the_rest_of_an_array_to_read() {
    let text = format!(
        "[{}, {}, {}, {}, {}]",
        fixture!("bad/wrong-types.json"),
        fixture!("describe-ra-contract.json"),
        fixture!("bad/unknown-entity-type.json"),
        fixture!("bad/date-without-zone.json"),
        fixture!("describe-offer-released.json"),
    );
    let entries = entries("mixed.json", &text);
    let ids: Vec<(Option<&str>, bool)> = entries.iter().map(|e| (e.id(), matches!(e, Entry::Skipped { .. }))).collect();
    assert_eq!(
        ids,
        [
            (Some("resaleauthz-5tq8wz2kd7n3c"), true),
            (Some("resaleauthz-5tq8wz2kd7n3c"), false),
            (Some("prod-5ue8hw3ka6r2y"), true),
            (Some("resaleauthz-5tq8wz2kd7n3c"), true),
            (Some("offer-4nd8kq2ws7x1z"), false),
        ]
    );
}

#[test]
fn a_bad_summary_leaves_the_rest_of_its_page_and_of_the_json_lines_to_read() {
    let bad: serde_json::Value = serde_json::from_str(&fixture!("bad/bad-ids.json")).unwrap();
    let mut page: serde_json::Value = serde_json::from_str(&fixture!("list-resale-authorizations-page2.json")).unwrap();
    page["EntitySummaryList"].as_array_mut().unwrap().insert(1, bad["EntitySummaryList"][0].clone());
    page["EntitySummaryList"].as_array_mut().unwrap().push(serde_json::json!("not an entry"));
    let unknown: serde_json::Value = serde_json::from_str(&fixture!("bad/unknown-entity-type.json")).unwrap();
    let text = format!("{page}\n\n{unknown}\n{}\n", serde_json::to_string(&page["EntitySummaryList"][0]).unwrap());
    // The last line is a bare summary entry, not an answer: that is the file's error.
    let e = error("pages.jsonl", &text);
    assert_eq!(e.line, 4);
    let text = format!("{page}\n\n{unknown}\n");
    let entries = entries("pages.jsonl", &text);
    let rows: Vec<(Option<&str>, bool)> =
        entries.iter().map(|e| (e.id(), matches!(e, Entry::Skipped { .. }))).collect();
    assert_eq!(
        rows,
        [
            (Some("resaleauthz-3vr7hk5mz9b1d"), false),
            (Some("resaleauthz-ab_12c"), true),
            (Some("resaleauthz-1ga5ye3nc7u0x"), false),
            (None, true),
            (Some("prod-5ue8hw3ka6r2y"), true),
        ]
    );
    let Entry::Skipped { reason, kind, .. } = &entries[3] else { unreachable!() };
    assert_eq!((*kind, reason.as_str()), ("entity", "EntitySummaryList[3] is a string, not an object"));
}

#[test]
fn a_summary_missing_every_optional_member_still_reads_with_nones() {
    let text = r#"{"EntitySummaryList": [
        {"EntityType": "ResaleAuthorization", "EntityId": "resaleauthz-5tq8wz2kd7n3c"},
        {"EntityType": "ResaleAuthorization", "EntityId": "resaleauthz-5tq8wz2kd7n3c", "ResaleAuthorizationSummary": {}},
        {"EntityType": "Offer", "EntityId": "offer-4nd8kq2ws7x1z", "OfferSummary": {"Name": null}}
    ]}"#;
    let entries = entries("sparse.json", text);
    let Entry::AuthorizationSummary(s) = &entries[0] else { panic!("{entries:#?}") };
    assert_eq!(s.id.as_str(), "resaleauthz-5tq8wz2kd7n3c");
    assert_eq!((s.name.as_deref(), s.status, s.partner.as_ref(), s.ends_on, s.role), (None, None, None, None, None));
    assert_eq!(entries[1], entries[0]);
    let Entry::OfferSummary(o) = &entries[2] else { panic!("{entries:#?}") };
    assert_eq!((o.name.as_deref(), o.state, o.expires_on), (None, None, None));
    assert!(o.buyers.is_empty());
}

#[test]
fn an_offer_not_made_from_a_resale_authorization_is_skipped() {
    let text =
        fixture!("describe-offer-draft.json").replace(r#""ResaleAuthorizationId": "resaleauthz-5tq8wz2kd7n3c","#, "");
    let (id, kind, reason) = skipped("direct.json", &text);
    assert_eq!((id.as_deref(), kind), (Some("offer-9rk3zt6mw1p4c"), "offer"));
    assert!(reason.starts_with("DetailsDocument.ResaleAuthorizationId is missing"), "{reason}");
}

#[test]
fn a_markup_with_ten_decimals_is_skipped_and_nine_read_exactly() {
    let nine = fixture!("describe-offer-draft.json").replace(r#""10.0""#, r#""10.123456789""#);
    assert_eq!(offer("nine.json", &nine).markup_pct, Some(dec!(10.123456789)));
    let ten = fixture!("describe-offer-draft.json").replace(r#""10.0""#, r#""10.1234567891""#);
    let (_, _, reason) = skipped("ten.json", &ten);
    assert!(
        reason.starts_with("DetailsDocument.MarkupPercentage: markup % `10.1234567891` has 10 decimals"),
        "{reason}"
    );
}

#[test]
fn a_revision_follows_the_text_rules_of_a_name() {
    let with = |revision: &str| {
        fixture!("describe-offer-draft.json").replace(
            r#""offer-9rk3zt6mw1p4c@2""#,
            &serde_json::to_string(&format!("offer-9rk3zt6mw1p4c@{revision}")).unwrap(),
        )
    };
    assert_eq!(offer("spaced.json", &with(" 7 ")).revision.as_deref(), Some("7"));
    let (id, _, reason) = skipped("clear.json", &with("\u{1b}[2J"));
    assert_eq!(id.as_deref(), Some("offer-9rk3zt6mw1p4c"));
    assert_eq!(reason, "EntityIdentifier: its revision (after the @) contains a control character");
    let (_, _, reason) = skipped("long.json", &with(&"7".repeat(10_000)));
    assert_eq!(
        reason,
        "EntityIdentifier: its revision (after the @) is 10000 characters long: at most 255 are allowed"
    );
    let (_, _, reason) = skipped("empty.json", &with(""));
    assert!(reason.starts_with("EntityIdentifier: its revision (after the @) is empty"), "{reason}");
}

#[test]
fn identifiers_that_disagree_take_the_entity_identifier_and_say_so() {
    let text = fixture!("describe-offer-draft.json")
        .replace(r#""Id": "offer-9rk3zt6mw1p4c""#, r#""Id": "offer-4nd8kq2ws7x1z""#);
    let o = offer("disagree.json", &text);
    assert_eq!(o.id.as_str(), "offer-9rk3zt6mw1p4c");
    assert_eq!(
        o.notes,
        ["DetailsDocument.Id says offer-4nd8kq2ws7x1z, EntityIdentifier's offer-9rk3zt6mw1p4c was taken"]
    );
    // Without an EntityIdentifier, the document's Id is the id, and nothing disagrees.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().remove("EntityIdentifier");
    let o = offer("no-identifier.json", &v.to_string());
    assert_eq!((o.id.as_str(), o.notes.len()), ("offer-4nd8kq2ws7x1z", 0));
}

#[test]
fn every_fixture_reads_or_fails_as_described_in_the_fixture_readme() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws");
    let mut files = Vec::new();
    for sub in ["", "/bad"] {
        for f in std::fs::read_dir(format!("{dir}{sub}")).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_some_and(|e| e == "json" || e == "jsonl") {
                files.push(path);
            }
        }
    }
    assert_eq!(files.len(), 19, "a new fixture needs a test here: {files:#?}");
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let result = read(name, &std::fs::read_to_string(&path).unwrap());
        match name {
            "truncated.json" => assert!(result.is_err()),
            _ => assert!(result.is_ok_and(|e| !e.is_empty()), "{name}"),
        }
    }
}

// ---- AWS's own answers (tests/fixtures/aws/real/), batch-describe-entities, change sets ---

macro_rules! real {
    ($name:literal) => {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws/real/", $name))
            .expect(concat!("fixture real/", $name))
    };
}

fn change_set(name: &str, text: &str) -> ChangeSetAnswer {
    match entries(name, text).as_slice() {
        [Entry::ChangeSet(c)] => c.clone(),
        other => panic!("{name}: expected one change set, got {other:#?}"),
    }
}

#[test]
fn awss_answer_to_a_created_resale_authorization_reads_its_id_revision_and_changes() {
    let c = change_set("ra.json", &real!("refcode-postman-describechangeset-ra-create-succeeded.json"));
    assert_eq!((c.id.as_str(), c.status), ("test_ChangeSetId", ChangeSetStatus::Succeeded));
    assert_eq!(c.name.as_deref(), Some("Submitted by 111111111111"));
    assert_eq!(c.exported, None, "AWS's default name: not one of cppo's exports");
    assert_eq!(c.ended_at, Some(Utc.with_ymd_and_hms(2024, 10, 7, 20, 49, 19).unwrap()));
    let types: Vec<&str> = c.changes.iter().map(|c| c.change_type.as_str()).collect();
    assert_eq!(types, ["CreateResaleAuthorization", "UpdateAvailability", "UpdateLegalTerms", "UpdateInformation"]);
    let create = &c.changes[0];
    assert_eq!(create.change_name.as_deref(), Some("MyCreateResaleAuthorizationChange"));
    assert_eq!(create.entity_type, "ResaleAuthorization@1.0");
    assert_eq!((create.entity_id.as_deref(), create.revision.as_deref()), (Some("resaleauthz-1234567890"), Some("1")));
    assert_eq!(c.changes[1].change_name, None, "only the first change has a name");
    assert_eq!(c.changes[1].availability_end, Some(date(2024, 12, 12)), "a date, as change sets write it");
    assert!(c.changes.iter().all(|c| c.errors.is_empty()));
}

#[test]
fn awss_documented_answers_read_without_names_revisions_or_end_times() {
    let c = change_set("cppo.json", &real!("awsdoc-describechangeset-cppo-create-succeeded.json"));
    let create = &c.changes[0];
    assert_eq!(create.change_type, "CreateOfferUsingResaleAuthorization");
    assert_eq!((create.entity_id.as_deref(), create.revision.as_deref()), (Some("offer-123456789"), None));
    assert_eq!(create.resale_authorization_id.as_deref(), Some("resaleauthz-123456789"));
    assert_eq!(create.change_name, None);
    let c = change_set("ra.json", &real!("awsdoc-describechangeset-ra-create-succeeded.json"));
    assert_eq!(c.changes[0].entity_id.as_deref(), Some("resaleauthz-123456789"));
    // Every member AWS sends as null is absent; keys in any order.
    let c = change_set("nulls.json", &real!("refcode-postman-describechangeset-nulls.json"));
    assert_eq!((c.status, c.ended_at, c.failure_code.as_deref()), (ChangeSetStatus::Succeeded, None, None));
    assert_eq!(c.changes[1].entity_id.as_deref(), Some("offer-1234567890"));
    for text in [
        real!("refcode-postman-describechangeset-ra-pricing-installments-succeeded.json"),
        real!("refcode-postman-describechangeset-ra-release-succeeded.json"),
        real!("refcode-postman-describechangeset-ra-restrict-succeeded.json"),
    ] {
        assert_eq!(change_set("other.json", &text).status, ChangeSetStatus::Succeeded);
    }
}

#[test]
fn a_failed_answer_reads_each_changes_errors_whatever_its_placeholders() {
    let c = change_set("failed.json", &real!("awssample-describechangeset-failed-client-error.json"));
    assert_eq!(c.status, ChangeSetStatus::Failed);
    assert_eq!(c.failure_code.as_deref(), Some("CLIENT_ERROR"));
    assert!(c.failure_description.as_deref().unwrap().starts_with("Change set preparation has failed"));
    // "EndTime": "..." and "Details": "..." are AWS's placeholders: a refusal needs neither.
    assert_eq!(c.ended_at, None);
    assert_eq!(
        c.changes[0].errors,
        [ChangeError { code: "SAMPLE_ERROR_CODE".into(), message: "Sample description of error".into() }]
    );
}

#[test]
fn a_change_set_answer_that_breaks_awss_rules_is_skipped_with_the_reason() {
    let mut v: serde_json::Value =
        serde_json::from_str(&real!("refcode-postman-describechangeset-ra-create-succeeded.json")).unwrap();
    v["Status"] = serde_json::json!("DONE");
    let (id, kind, reason) = skipped("status.json", &v.to_string());
    assert_eq!((id.as_deref(), kind), (Some("test_ChangeSetId"), "change set"));
    assert!(reason.contains("`DONE` is not a change set status"), "{reason}");
    v["Status"] = serde_json::json!("SUCCEEDED");
    v["ChangeSet"][1]["DetailsDocument"]["AvailabilityEndDate"] = serde_json::json!("12/12/2024");
    let (_, _, reason) = skipped("end.json", &v.to_string());
    assert!(reason.contains("AvailabilityEndDate `12/12/2024` is neither a date"), "{reason}");
    v["ChangeSet"][1]["DetailsDocument"]["AvailabilityEndDate"] = serde_json::json!("2024-12-12");
    v["ChangeSet"][0]["ErrorDetailList"] = serde_json::json!([{"ErrorCode": "X", "ErrorMessage": "\u{1b}[2J"}]);
    let (_, _, reason) = skipped("control.json", &v.to_string());
    assert!(reason.contains("control character"), "{reason}");
}

#[test]
fn a_start_change_set_answer_and_cppos_own_request_are_skipped_saying_what_to_import() {
    let (id, kind, reason) = skipped("start.json", r#"{"ChangeSetId": "cs-1", "ChangeSetArn": "arn:x"}"#);
    assert_eq!((id.as_deref(), kind), (Some("cs-1"), "change set"));
    assert!(reason.contains("describe-change-set --catalog AWSMarketplace --change-set-id cs-1"), "{reason}");
    let request = real!("refcode-startchangeset-request-ra-installments.json");
    let (id, _, reason) = skipped("request.json", &request);
    assert_eq!(id, None);
    assert!(reason.starts_with("a StartChangeSet request"), "{reason}");
}

#[test]
fn batch_describe_entities_reads_each_entity_and_skips_each_error_with_awss_code_and_message() {
    let mut contract: serde_json::Value = serde_json::from_str(&fixture!("describe-ra-contract.json")).unwrap();
    contract.as_object_mut().unwrap().remove("EntityIdentifier"); // the key names it
    let batch = serde_json::json!({
        "EntityDetails": {"resaleauthz-5tq8wz2kd7n3c": contract},
        "Errors": {"offer-4nd8kq2ws7x1z": {"ErrorCode": "ResourceNotFound",
                                           "ErrorMessage": "Requested entity 'offer-4nd8kq2ws7x1z' does not exist."}},
    });
    let got = entries("batch.json", &batch.to_string());
    assert!(matches!(&got[0], Entry::Authorization(a) if a.id.as_str() == "resaleauthz-5tq8wz2kd7n3c"), "{got:#?}");
    let Entry::Skipped { id, kind, reason } = &got[1] else { panic!("{got:#?}") };
    assert_eq!((id.as_deref(), *kind), (Some("offer-4nd8kq2ws7x1z"), "offer"));
    assert_eq!(reason, "ResourceNotFound Requested entity 'offer-4nd8kq2ws7x1z' does not exist.");
    // A key and an EntityIdentifier that disagree skip the entity; `Errors: null` is no error.
    let batch = serde_json::json!({
        "EntityDetails": {"resaleauthz-1ga5ye3nc7u0x": serde_json::from_str::<serde_json::Value>(
            &fixture!("describe-ra-contract.json")).unwrap()},
        "Errors": null,
    });
    let (_, _, reason) = skipped("disagree.json", &batch.to_string());
    assert_eq!(
        reason,
        "EntityDetails names it `resaleauthz-1ga5ye3nc7u0x` but its EntityIdentifier names `resaleauthz-5tq8wz2kd7n3c`"
    );
    let e = error("list.json", r#"{"EntityDetails": []}"#);
    assert!(e.message.starts_with("EntityDetails is a list, not an object keyed by entity id"), "{e}");
}

#[test]
fn awss_documented_batch_answer_reads_both_authorizations_and_skips_what_cppo_cannot_hold() {
    let got = entries("batch.json", &real!("awsdoc-batchdescribe-resale-authorizations.json"));
    let ids: Vec<_> =
        got.iter().map(|e| (e.id(), matches!(e, Entry::Skipped { kind: "resale authorization", .. }))).collect();
    // AWS's example ids read; its terms price P24M and P180D, and cppo holds one duration.
    assert_eq!(ids, [(Some("resaleauthz-example123"), true), (Some("resaleauthz-example456"), true)]);
}

#[test]
fn a_reseller_role_in_the_partner_targeting_rule_is_read() {
    let text = fixture!("describe-ra-contract.json").replace(
        r#""ResellerAccountId": "420061735518","#,
        r#""ResellerAccountId": "420061735518", "ResellerRole": "Distributor","#,
    );
    assert_eq!(authorization("distributor.json", &text).role, Some(ResellerRole::Distributor));
    assert_eq!(authorization("none.json", &fixture!("describe-ra-contract.json")).role, None);
    let text = text.replace(r#""ResellerRole": "Distributor""#, r#""ResellerRole": "Wholesaler""#);
    let (_, _, reason) = skipped("bad-role.json", &text);
    assert!(reason.contains("`Wholesaler` is not a reseller role"), "{reason}");
}

#[test]
fn comments_and_trailing_commas_as_awss_documentation_writes_them_read_and_other_errors_keep_their_place() {
    let text = fixture!("describe-ra-contract.json");
    let commented = text.replacen("{", "{ /* AWS's comment,\n over two lines */ // and another\n", 1).replacen(
        "\"EntityType\"",
        "\"Comment\": \"a // inside a string /* is text */\",\n  \"EntityType\"",
        1,
    );
    let trailing = format!("[{},\n]\n", commented.trim_end());
    assert_eq!(entries("commented.jsonc", &trailing), entries("plain.json", &text));
    // A syntax error after a comment is reported where it is in the file.
    let e = error("bad.jsonc", "{ /* one\n two */ \"EntityType\": ,\n}");
    assert_eq!((e.line, e.column, e.message.as_str()), (2, 23, "not valid JSON: expected value"));
    let e = error("hash.jsonc", "# not AWS's\n{}");
    assert_eq!((e.line, e.column), (1, 1));
}

#[test]
fn a_rate_card_key_not_among_the_dimensions_is_priced_under_its_key_with_a_note() {
    let text = fixture!("describe-ra-contract.json").replace(r#""Key": "admin_seats""#, r#""Key": "other_seats""#);
    let a = authorization("unlisted.json", &text);
    let p = a.prices.iter().find(|p| p.key == "admin_seats").expect("admin_seats still priced");
    assert_eq!((p.name.as_str(), p.unit.as_str()), ("admin_seats", "units"));
    assert_eq!(
        a.notes,
        ["`admin_seats` is priced but not among DetailsDocument.Dimensions: named `admin_seats`, unit `units`"]
    );
}

#[test]
fn a_details_string_that_disagrees_with_the_details_document_is_noted_and_the_document_taken() {
    let mut v: serde_json::Value = serde_json::from_str(&fixture!("describe-offer-draft.json")).unwrap();
    let mut details = v["DetailsDocument"].clone();
    details["ProductId"] = serde_json::json!("product-111111111111");
    v["Details"] = serde_json::json!(details.to_string());
    let o = offer("both.json", &v.to_string());
    assert_eq!(o.product_id.as_str(), v["DetailsDocument"]["ProductId"].as_str().unwrap());
    assert_eq!(
        o.notes,
        [format!(
            "Details says ProductId `product-111111111111` (DetailsDocument: `{}`): DetailsDocument was taken",
            o.product_id
        )]
    );
    // The same document twice: nothing to say.
    v["Details"] = serde_json::json!(v["DetailsDocument"].to_string());
    assert!(offer("same.json", &v.to_string()).notes.is_empty());
}
