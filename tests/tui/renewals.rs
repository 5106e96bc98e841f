//! `n` on the Agreements tab (issue 20): the partner's replacement offer (the offer form with
//! the agreement's buyer fixed, the authorizations that may replace it, the new agreement's
//! end date, the live breakdown), saved with its link to the agreement; the ISV's renewal
//! authorization, prefilled from the agreement; anyone else reads the domain's reason.

use cppo::app::form::FieldKey;
use cppo::domain::visibility::Audience;
use cppo::market::AnyAgreement;
use ratatui::crossterm::event::KeyCode;

use super::{BUYER, ISV, PARTNER, Ui, demo_as, snap};

/// The Agreements tab as `who`, on the radar's 90-day view (soonest ending first).
fn ending_as(who: &str) -> Ui {
    let mut ui = demo_as(who);
    ui.key(KeyCode::Char('4'));
    for _ in 0..3 {
        ui.key(KeyCode::Char('w'));
    }
    assert!(ui.screen().contains("ending within 90 days"), "{}", ui.screen());
    ui
}

/// Moves down the tab to the first agreement `n` opens a form on; its id.
fn first_that_opens_a_form(ui: &mut Ui) -> cppo::domain::AgreementId {
    let n = ui.app.agreements().total().expect("counted");
    for _ in 0..n {
        let id = ui.app.agreements().selected().and_then(AnyAgreement::local).expect("a row").id.clone();
        ui.key(KeyCode::Char('n'));
        if ui.app.form().is_some() {
            return id;
        }
        ui.key(KeyCode::Char('j'));
    }
    panic!("no agreement on the radar opens a form: {}", ui.toast());
}

#[test]
fn the_partner_makes_a_replacement_offer_from_the_tab_and_it_is_saved_with_the_link() {
    let mut ui = ending_as(PARTNER);
    let agreement = first_that_opens_a_form(&mut ui);
    let old = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().clone();
    let form = ui.app.form().unwrap();
    assert_eq!(form.title, format!("Replacement offer for {agreement} (draft)"));
    let buyer = form.fields.iter().find(|f| f.key == FieldKey::Buyer).expect("a buyer field");
    assert!(buyer.locked, "the agreement's buyer is fixed");
    assert_eq!(buyer.value(), old.buyer_account_id.as_str());
    // Every authorization offered is of the agreement's product.
    let cppo::app::form::FormKind::Offer { opportunities, .. } = &form.kind else { panic!("an offer form") };
    assert!(!opportunities.is_empty());
    assert!(opportunities.iter().all(|o| o.product_id == old.product_id), "{opportunities:?}");

    ui.focus(FieldKey::Name);
    ui.chars("Renewal 2028");
    ui.focus(FieldKey::Markup);
    ui.chars("8");
    ui.focus(FieldKey::Expires);
    ui.chars("2026-12-20");
    ui.focus(FieldKey::AgreementEnds);
    ui.chars("2027-0");
    assert!(ui.screen().contains("YYYY-MM-DD"), "a half-typed date is refused under the field");
    ui.chars("1-01");
    let f = ui.app.form().unwrap();
    let error = f.fields.iter().find(|x| x.key == FieldKey::AgreementEnds).unwrap().error.clone();
    assert!(error.is_none(), "{error:?}");
    let quantities: Vec<FieldKey> =
        f.fields.iter().filter(|x| matches!(x.key, FieldKey::Quantity(_))).map(|x| x.key.clone()).collect();
    for q in quantities {
        ui.focus(q);
        ui.chars("10");
    }
    let f = ui.app.form().unwrap();
    assert!(matches!(f.preview, Some(Ok(_))), "the live breakdown: {:?}", f.preview);
    snap("replacement_offer_form", &ui);
    ui.ctrl('s');
    assert!(ui.app.form().is_none(), "saved: {:?}", ui.app.form().map(|f| f.message.clone()));
    assert!(ui.toast().starts_with("Created draft replacement offer"), "{}", ui.toast());
    let offer = ui.app.offers().selected().expect("the cursor on the new offer").clone();
    assert_eq!(offer.replaces.as_ref(), Some(&agreement));
    assert_eq!(offer.agreement_ends_on.map(|d| d.to_string()).as_deref(), Some("2027-01-01"));
    assert_eq!(offer.buyer_account_id.as_ref(), Some(&old.buyer_account_id));
    // `e` edits the draft, its new agreement's end date with it.
    ui.key(KeyCode::Char('e'));
    let f = ui.app.form().unwrap_or_else(|| panic!("no edit form: {}", ui.toast()));
    let ends = f.fields.iter().find(|x| x.key == FieldKey::AgreementEnds).expect("the end date field");
    assert_eq!(ends.value(), "2027-01-01");
    assert!(f.fields.iter().find(|x| x.key == FieldKey::Buyer).is_some_and(|b| b.locked), "the buyer stays fixed");
    ui.focus(FieldKey::AgreementEnds);
    for _ in 0..10 {
        ui.key(KeyCode::Backspace);
    }
    ui.chars("2027-03-31");
    ui.ctrl('s');
    assert!(ui.app.form().is_none(), "saved: {:?}", ui.app.form().map(|f| f.message.clone()));
    let offer = ui.app.offers().selected().expect("the cursor on the offer").clone();
    assert_eq!(offer.agreement_ends_on.map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
    // The radar says so.
    ui.key(KeyCode::Char('4'));
    let row = (0..ui.app.agreements().total().unwrap())
        .filter_map(|i| ui.app.agreements().row(i).and_then(AnyAgreement::local))
        .find(|a| a.id == agreement)
        .expect("still on the radar")
        .clone();
    assert_eq!(row.renewal, cppo::domain::radar::Renewal::Drafted);
}

#[test]
fn the_isv_gets_the_renewal_authorization_prefilled_from_the_agreement() {
    let mut ui = ending_as(ISV);
    let agreement = first_that_opens_a_form(&mut ui);
    let a = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().clone();
    assert_eq!(a.seen_as, Audience::Isv);
    let value = |ui: &Ui, k: FieldKey| ui.form_value(&k);
    assert_eq!(ui.app.form().unwrap().title, format!("Renewal authorization for {agreement} (draft)"));
    assert_eq!(value(&ui, FieldKey::Partner), a.partner_account_id.as_str());
    assert_eq!(value(&ui, FieldKey::Product), a.product_id.as_str());
    assert_eq!(value(&ui, FieldKey::Kind), "one_time");
    assert_eq!(value(&ui, FieldKey::Renewal), "yes");
    assert_eq!(value(&ui, FieldKey::EndsOn), a.ends_on.to_string());
    if a.buyer_account_id != a.partner_account_id {
        assert_eq!(value(&ui, FieldKey::Buyers), a.buyer_account_id.as_str());
    }
    snap("renewal_authorization_form", &ui);
}

#[test]
fn a_buyers_n_on_an_agreement_is_refused_with_the_reason() {
    let mut ui = demo_as(BUYER);
    ui.key(KeyCode::Char('4'));
    let a = ui.app.agreements().selected().and_then(AnyAgreement::local).expect("a row").clone();
    let hints: Vec<String> = ui.app.hints().iter().map(|b| b.short_label()).collect();
    assert!(!hints.iter().any(|k| k == "n"), "no n among the buyer's hints: {hints:?}");
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_none());
    let expected = format!("only {}, the partner who proposed {}, may replace it", a.partner_account_id, a.id);
    assert_eq!(ui.toast(), expected);
    assert!(ui.app.toast_warn());
}
