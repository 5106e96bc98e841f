//! The offer form on an opportunity of two durations (issue 18), at the app level: a Duration
//! choice cycled with the form's choice keys, and the terms it makes name the one chosen.

use crate::aws_cli;

use chrono::NaiveDate;
use cppo::app::form::{FieldKey, Form};
use cppo::domain::product::Duration;
use cppo::domain::{AccountId, FixedClock, OpportunityId};
use cppo::market::{ImportOptions, Market};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const RA: &str = "resaleauthz-4tq8wn2kc6p3d";
const PARTNER: &str = "420061735518";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn form_on(market: &Market) -> Form {
    let (_, view) =
        market.opportunity(&AccountId::parse(PARTNER).unwrap(), &OpportunityId::parse(RA).unwrap()).unwrap();
    Form::new_offer(vec![view], today())
}

#[test]
fn the_offer_form_asks_for_a_duration_only_when_the_opportunity_offers_several() {
    let dir = tempfile::tempdir().unwrap();
    let mut market = Market::open(&dir.path().join("cppo.db"), Box::new(FixedClock::on(today()))).unwrap();
    let entries = cppo::aws::import::read("ra.json", &aws_cli::fixture("describe-ra-p12m-p36m.json")).unwrap();
    market.import(&AccountId::parse(PARTNER).unwrap(), &entries, ImportOptions::default()).unwrap();

    let mut form = form_on(&market);
    let at = form.fields.iter().position(|f| f.key == FieldKey::Duration).expect("a Duration field");
    assert_eq!(form.fields[at].display(), "‹ 12 months (P12M) ›");
    assert!(matches!(form.fields[at + 1].key, FieldKey::Quantity(_)), "before the quantities");
    // Each quantity's hint is its wholesale price for the duration chosen.
    assert_eq!(form.fields[at + 1].hint, "wholesale 1,200.00 USD");
    form.focus = at;
    form.handle_key(&KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
    assert_eq!(form.value(&FieldKey::Duration), "P36M");
    assert_eq!(form.fields[at + 1].hint, "wholesale 3,240.00 USD");
    for (key, text) in [(FieldKey::Name, "Contoso three years"), (FieldKey::Markup, "10")] {
        form.focus = form.fields.iter().position(|f| f.key == key).unwrap();
        form.paste(text);
    }
    let (_, terms) = form.offer_terms().expect("terms");
    assert_eq!(terms.duration, Some(Duration::parse("P36M").unwrap()));

    // The contract authorization of one duration: no such field.
    let entries = cppo::aws::import::read("c.json", &aws_cli::fixture("describe-ra-contract.json")).unwrap();
    market.import(&AccountId::parse(PARTNER).unwrap(), &entries, ImportOptions::default()).unwrap();
    let id = OpportunityId::parse("resaleauthz-5tq8wz2kd7n3c").unwrap();
    let (_, view) = market.opportunity(&AccountId::parse(PARTNER).unwrap(), &id).unwrap();
    let form = Form::new_offer(vec![view], today());
    assert!(form.fields.iter().all(|f| f.key != FieldKey::Duration));
}
