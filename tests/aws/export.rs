//! Export: the `StartChangeSet` request for an opportunity or an offer, on a real file. Each
//! request is also checked against AWS's request model (`support/aws_model.rs`).

use crate::aws_model;
use crate::common;

use common::*;
use cppo::domain::opportunity::OpportunityKind;
use cppo::domain::{ErrorCode, OpportunityId};
use cppo::market::{Export, MarketError};
use rust_decimal::dec;
use serde_json::{Value, json};

fn rule_code(e: MarketError) -> ErrorCode {
    match e {
        MarketError::Rule(r) => r.code,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

/// The request as the AWS CLI reads it, after checking it against AWS's model.
fn request(export: &Export) -> Value {
    let v: Value = serde_json::from_str(&export.change_set.to_json()).unwrap();
    let problems = aws_model::check_start_change_set(&v);
    assert!(problems.is_empty(), "not a valid StartChangeSet request: {problems:#?}\n{v:#}");
    v
}

fn change_types(v: &Value) -> Vec<&str> {
    v["ChangeSet"].as_array().unwrap().iter().map(|c| c["ChangeType"].as_str().unwrap()).collect()
}

fn details<'a>(v: &'a Value, change_type: &str) -> &'a Value {
    let c = v["ChangeSet"].as_array().unwrap().iter().find(|c| c["ChangeType"] == change_type);
    &c.unwrap_or_else(|| panic!("no {change_type} in {v:#}"))["DetailsDocument"]
}

#[test]
fn a_released_opportunity_exports_its_creation_every_term_and_its_release() {
    let mut f = Fixture::new();
    let mut t = f.terms(OpportunityKind::Recurring, dec!(20));
    t.buyers = vec![id(BUYER), id(OTHER_BUYER)];
    t.net_payment_days = Some(30);
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t, true).unwrap();
    let v = request(&f.market.export(&id(ISV), &record(opp.as_str()), false).unwrap());
    assert_eq!(
        change_types(&v),
        [
            "CreateResaleAuthorization",
            "UpdatePricingTerms",
            "UpdateAvailability",
            "UpdateBuyerTargetingTerms",
            "UpdateLegalTerms",
            "UpdateNetPaymentTerms",
            "ReleaseResaleAuthorization"
        ]
    );
    assert_eq!(v["Catalog"], "AWSMarketplace");
    assert_eq!(
        details(&v, "CreateResaleAuthorization"),
        &json!({"ProductId": f.product.as_str(), "Name": "Acme Insight resale 2027",
                "Description": "Standard channel discount", "ResellerAccountId": PARTNER})
    );
    let pricing = details(&v, "UpdatePricingTerms");
    assert_eq!(pricing["PricingModel"], "Contract");
    let card = &pricing["Terms"][0]["RateCards"][0];
    assert_eq!(card["Selector"], json!({"Type": "Duration", "Value": "P12M"}));
    assert_eq!(card["RateCard"], json!([{"DimensionKey": "users", "Price": "800"}]), "wholesale, not list");
    assert_eq!(details(&v, "UpdateAvailability"), &json!({"AvailabilityEndDate": "2027-06-30"}));
    assert_eq!(
        details(&v, "UpdateBuyerTargetingTerms")["Terms"][0]["PositiveTargeting"]["BuyerAccounts"],
        json!([BUYER, OTHER_BUYER])
    );
    assert_eq!(details(&v, "UpdateNetPaymentTerms")["Terms"][0]["PaymentDuePeriod"], "P30D");
    // Later changes name the created entity.
    for c in &v["ChangeSet"].as_array().unwrap()[1..] {
        assert_eq!(c["Entity"]["Identifier"], "$ResaleAuthorization.Entity.Identifier");
    }
}

#[test]
fn a_one_time_draft_exports_its_offer_quantity_and_is_released_only_when_asked() {
    let mut f = Fixture::new();
    let t = f.terms(OpportunityKind::OneTime, dec!(20));
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t, false).unwrap();
    let draft = request(&f.market.export(&id(ISV), &record(opp.as_str()), false).unwrap());
    assert!(!change_types(&draft).contains(&"ReleaseResaleAuthorization"));
    assert_eq!(
        details(&draft, "UpdateAvailability"),
        &json!({"AvailabilityEndDate": "2027-06-30", "OffersMaxQuantity": 1})
    );
    let released = request(&f.market.export(&id(ISV), &record(opp.as_str()), true).unwrap());
    assert_eq!(change_types(&released).last(), Some(&"ReleaseResaleAuthorization"));
    assert_ne!(draft["ClientRequestToken"], released["ClientRequestToken"]);
}

#[test]
fn the_same_state_gives_the_same_token_and_an_edit_a_new_one() {
    let mut f = Fixture::new();
    let t = f.terms(OpportunityKind::Recurring, dec!(20));
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t.clone(), false).unwrap();
    let token = |f: &Fixture| {
        request(&f.market.export(&id(ISV), &record(opp.as_str()), false).unwrap())["ClientRequestToken"].clone()
    };
    let first = token(&f);
    assert_eq!(token(&f), first, "exporting twice is one request to AWS");
    let mut edited = t;
    edited.name = "Acme Insight resale 2027 (edited)".into();
    f.market.edit_opportunity(&id(ISV), &opp, edited, None).unwrap();
    assert_ne!(token(&f), first);
    // Within the 36 characters of AWS's older API reference, for an offer's release too.
    let random = opp.as_str().rsplit_once('-').unwrap().1;
    assert_eq!(token(&f), format!("cppo-r-{random}-v1"));
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), false);
    assert!(offer.is_err(), "a draft opportunity takes no offer");
    f.market.release_opportunity(&id(ISV), &opp).unwrap();
    let opp = f.on_aws(&opp);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    let released = request(&f.market.export(&id(PARTNER), &record(offer.as_str()), true).unwrap());
    let t = released["ClientRequestToken"].as_str().unwrap();
    assert!(t.len() <= 36 && t.starts_with("cppo-o-") && t.ends_with("-v0-r"), "{t}");
}

#[test]
fn only_the_isv_exports_an_opportunity_and_only_the_partner_an_offer() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 100), true).unwrap();
    assert_eq!(
        rule_code(f.market.export(&id(PARTNER), &record(opp.as_str()), false).unwrap_err()),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        rule_code(f.market.export(&id(ISV), &record(offer.as_str()), false).unwrap_err()),
        ErrorCode::AccessDenied
    );
    assert!(matches!(f.market.export(&id(BUYER), &record(opp.as_str()), false), Err(MarketError::NotFound { .. })));
    assert!(matches!(
        f.market.export(&id(STRANGER), &record(offer.as_str()), false),
        Err(MarketError::NotFound { .. })
    ));
}

#[test]
fn an_offer_exports_markup_targeting_expiry_and_release_but_not_its_quantities() {
    let mut f = Fixture::new();
    let opp = f.aws_opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(12.5), 100), false).unwrap();
    let export = f.market.export(&id(PARTNER), &record(offer.as_str()), true).unwrap();
    let v = request(&export);
    assert_eq!(
        change_types(&v),
        [
            "CreateOfferUsingResaleAuthorization",
            "UpdateMarkup",
            "UpdateTargeting",
            "UpdateAvailability",
            "ReleaseOffer"
        ]
    );
    assert_eq!(details(&v, "CreateOfferUsingResaleAuthorization")["ResaleAuthorizationId"], opp.as_str());
    assert_eq!(details(&v, "UpdateMarkup"), &json!({"Percentage": "12.5"}));
    assert_eq!(details(&v, "UpdateTargeting"), &json!({"PositiveTargeting": {"BuyerAccounts": [BUYER]}}));
    assert_eq!(details(&v, "UpdateAvailability"), &json!({"AvailabilityEndDate": "2026-12-31"}));
    assert!(export.notes.iter().any(|n| n.contains("quantities are not sent")), "{:?}", export.notes);
}

#[test]
fn a_draft_that_cannot_be_released_is_not_exported_with_its_release() {
    let mut f = Fixture::new();
    let opp = f.aws_opportunity(OpportunityKind::Recurring);
    let mut terms = Fixture::offer_terms(BUYER, dec!(10), 100);
    terms.buyer = None;
    let offer = f.market.create_offer(&id(PARTNER), &opp, terms, false).unwrap();
    let err = f.market.export(&id(PARTNER), &record(offer.as_str()), true).unwrap_err();
    assert!(err.to_string().contains("buyer"), "{err}");
    let v = request(&f.market.export(&id(PARTNER), &record(offer.as_str()), false).unwrap());
    assert!(!change_types(&v).contains(&"UpdateTargeting"), "no buyer yet, no targeting");
}

#[test]
fn what_aws_has_no_change_for_is_refused_with_the_reason() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    f.market.end_opportunity(&id(PARTNER), &opp).unwrap();
    let err = f.market.export(&id(ISV), &record(opp.as_str()), false).unwrap_err();
    assert!(err.to_string().contains("ended by its partner"), "{err}");

    let ended_by_isv = f.opportunity(OpportunityKind::Recurring);
    f.market.end_opportunity(&id(ISV), &ended_by_isv).unwrap();
    let err = f.market.export(&id(ISV), &record(ended_by_isv.as_str()), false).unwrap_err();
    assert!(err.to_string().contains("only to restrict it"), "{err}");

    let accepted = f.aws_opportunity(OpportunityKind::Recurring);
    let offer =
        f.market.create_offer(&id(PARTNER), &accepted, Fixture::offer_terms(BUYER, dec!(10), 100), true).unwrap();
    f.market.accept_offer(&id(BUYER), &offer).unwrap();
    assert!(
        f.market.export(&id(PARTNER), &record(offer.as_str()), false).unwrap_err().to_string().contains("accepted")
    );
}

/// A one-time opportunity whose plan of two charges grants 40 users (its end date before the
/// first charge, as AWS requires).
fn installment_plan(f: &Fixture) -> cppo::domain::opportunity::OpportunityTerms {
    let mut t = f.terms(OpportunityKind::OneTime, dec!(20));
    t.ends_on = Some(day("2027-01-10"));
    t.installments = vec![(day("2027-01-15"), dec!(40000)), (day("2027-04-15"), dec!(40000.5))];
    t.grants = vec![("users".into(), 40)];
    t
}

#[test]
fn an_installment_plan_exports_as_awss_fixed_upfront_price_with_its_grants_its_schedule_and_one_offer() {
    let mut f = Fixture::new();
    let plan = f.market.create_opportunity(&id(ISV), &f.product, installment_plan(&f), false).unwrap();
    let v = request(&f.market.export(&id(ISV), &record(plan.as_str()), true).unwrap());
    // AWS's sample order: pricing, schedule, availability; the release last.
    assert_eq!(
        change_types(&v),
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
        details(&v, "UpdatePricingTerms"),
        &json!({"PricingModel": "Contract", "Terms": [{"Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "USD",
            "Price": "0.00", "Duration": "P12M", "Grants": [{"DimensionKey": "users", "MaxQuantity": 40}]}]})
    );
    assert_eq!(
        details(&v, "UpdatePaymentScheduleTerms"),
        &json!({"Terms": [{"Type": "ResalePaymentScheduleTerm", "CurrencyCode": "USD", "Schedule": [
            {"ChargeDate": "2027-01-15", "ChargeAmount": "40000.00"},
            {"ChargeDate": "2027-04-15", "ChargeAmount": "40000.50"}]}]})
    );
    assert_eq!(
        details(&v, "UpdateAvailability"),
        &json!({"AvailabilityEndDate": "2027-01-10", "OffersMaxQuantity": 1})
    );
}

#[test]
fn an_installment_plan_without_granted_units_stays_offerable_and_its_export_says_how_to_grant_them() {
    let mut f = Fixture::new();
    let draft = f.market.create_opportunity(&id(ISV), &f.product, installment_plan(&f), false).unwrap();
    let released = f.market.create_opportunity(&id(ISV), &f.product, installment_plan(&f), true).unwrap();
    // As a file written before grants holds such a plan: per-unit prices, no units granted.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute("UPDATE opportunity_prices SET granted_units = NULL, wholesale_price_e8 = 80000000000", []).unwrap();
    drop(conn);
    let (o, _) = f.market.opportunity(&id(ISV), &released).unwrap();
    assert_eq!((o.installments.len(), o.grants().len(), o.prices[0].wholesale_price), (2, 0, dec!(800)));

    let err = f.market.export(&id(ISV), &record(draft.as_str()), false).unwrap_err().to_string();
    assert!(err.contains("has an installment plan without granted units"), "{err}");
    assert!(err.contains(&format!("edit the draft to name them (cppo opportunities edit {draft} --grant KEY=UNITS)")));
    let err = f.market.export(&id(ISV), &record(released.as_str()), false).unwrap_err().to_string();
    assert!(
        err.contains("released terms are frozen: end it and grant a new opportunity with --installment and --grant")
    );
    // Its partner still makes its offer, priced per unit as before.
    let offer = f.market.create_offer(&id(PARTNER), &released, Fixture::offer_terms(BUYER, dec!(10), 5), true);
    assert!(offer.is_ok(), "{offer:?}");

    // The draft, given its grants, exports.
    let mut t = installment_plan(&f);
    t.grants = vec![("users".into(), 40)];
    f.market.edit_opportunity(&id(ISV), &draft, t, None).unwrap();
    assert!(f.market.export(&id(ISV), &record(draft.as_str()), false).is_ok());
}

#[test]
fn an_id_of_neither_kind_is_refused() {
    let f = Fixture::new();
    let err = cppo::domain::RecordId::parse("prod-1234567890123").unwrap_err();
    assert!(err.to_string().contains("neither an opportunity"), "{err}");
    assert!(OpportunityId::parse("resaleauthz-1234567890123").is_ok());
    assert!(matches!(
        f.market.export(&id(ISV), &record("resaleauthz-1234567890123"), false),
        Err(MarketError::NotFound { .. })
    ));
}
