//! A replacement offer's export: `CreateReplacementOfferUsingResaleAuthorization` with its
//! agreement, the offer's terms without targeting (AWS fixes the buyer), the new agreement's
//! end date as `UpdateValidityTerms`, and `ReleaseOffer` when asked; checked against AWS's
//! request model, and botocore's where installed.

use crate::{aws_model, common, require};

use common::*;
use cppo::domain::opportunity::OpportunityKind;
use cppo::domain::{AgreementId, OpportunityId};
use require::{Tool, require};
use rust_decimal::dec;
use serde_json::{Value, json};

/// The buyer's agreement made from an ordinary offer, and an authorization of the same
/// product that AWS holds, for the replacement: `(agreement, authorization)`.
fn agreement_and_renewal(f: &mut Fixture) -> (AgreementId, OpportunityId) {
    let opp = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 100), true).unwrap();
    let agreement = f.market.accept_offer(&id(BUYER), &offer).unwrap();
    (agreement, f.aws_opportunity(OpportunityKind::Recurring))
}

fn request(v: &str) -> Value {
    let v: Value = serde_json::from_str(v).unwrap();
    let problems = aws_model::check_start_change_set(&v);
    assert!(problems.is_empty(), "not a valid StartChangeSet request: {problems:#?}\n{v:#}");
    v
}

#[test]
fn a_replacement_offer_exports_its_agreement_terms_and_end_date_but_no_targeting() {
    let mut f = Fixture::new();
    let (agreement, renewal) = agreement_and_renewal(&mut f);
    let terms = Fixture::offer_terms(BUYER, dec!(8), 120);
    let offer = f
        .market
        .create_replacement_offer(&id(PARTNER), &agreement, &renewal, terms, Some(day("2028-01-31")), false)
        .unwrap();
    let export = f.market.export(&id(PARTNER), &record(offer.as_str()), true).unwrap();
    let v = request(&export.change_set.to_json());
    let changes = v["ChangeSet"].as_array().unwrap();
    let types: Vec<&str> = changes.iter().map(|c| c["ChangeType"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "CreateReplacementOfferUsingResaleAuthorization",
            "UpdateMarkup",
            "UpdateAvailability",
            "UpdateValidityTerms",
            "ReleaseOffer"
        ]
    );
    assert_eq!(
        changes[0]["DetailsDocument"],
        json!({
            "ResaleAuthorizationId": renewal.as_str(),
            "AgreementId": agreement.as_str(),
            "Name": "Contoso 2027 subscription",
        })
    );
    assert_eq!(
        changes[3]["DetailsDocument"],
        json!({"Terms": [{"Type": "ValidityTerm", "AgreementEndDate": "2028-01-31"}]})
    );
    assert!(export.notes.iter().any(|n| n.contains(&format!("replaces agreement {agreement}"))), "{:?}", export.notes);

    // Without --release a draft stays a draft on AWS; without an end date, no validity term
    // (one rate card: AWS takes its duration).
    let plain = f
        .market
        .create_replacement_offer(
            &id(PARTNER),
            &agreement,
            &renewal,
            Fixture::offer_terms(BUYER, dec!(8), 120),
            None,
            false,
        )
        .unwrap();
    let draft = request(&f.market.export(&id(PARTNER), &record(plain.as_str()), false).unwrap().change_set.to_json());
    let types: Vec<&str> =
        draft["ChangeSet"].as_array().unwrap().iter().map(|c| c["ChangeType"].as_str().unwrap()).collect();
    assert_eq!(types, ["CreateReplacementOfferUsingResaleAuthorization", "UpdateMarkup", "UpdateAvailability"]);

    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&[v, draft])) else { return };
    assert!(ok, "botocore rejected a replacement offer's export:\n{text}");
}
