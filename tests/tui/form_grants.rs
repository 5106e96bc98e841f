//! The opportunity form's grants field (TUI, app level): an edited draft with an installment
//! plan shows the units it grants next to the plan the form keeps; each keystroke is judged
//! by the domain's grant rule, a bad entry shows its error under the field and blocks the
//! save, and a good one saves the draft with its grants.

use crate::common;

use common::*;
use cppo::app::command::Command;
use cppo::app::form::{FieldKey, Form, FormEvent};
use cppo::domain::opportunity::OpportunityKind;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::dec;

fn press(f: &mut Form, code: KeyCode) -> FormEvent {
    f.handle_key(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(f: &mut Form, s: &str) {
    for c in s.chars() {
        press(f, KeyCode::Char(c));
    }
}

fn save(f: &mut Form) -> FormEvent {
    f.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

/// The edit form of a draft one-time plan granting 40 users, focused on its grants field.
fn grants_form(f: &mut Fixture) -> Form {
    let mut t = f.terms(OpportunityKind::OneTime, dec!(20));
    t.installments = vec![(day("2027-07-15"), dec!(40000)), (day("2028-01-15"), dec!(40000))];
    t.grants = vec![("users".into(), 40)];
    let draft = f.market.create_opportunity(&id(ISV), &f.product, t, false).unwrap();
    let (_, view) = f.market.opportunity(&id(ISV), &draft).unwrap();
    let (accounts, products) = (f.market.accounts().unwrap(), f.market.products().unwrap());
    let mut form = Form::edit_opportunity(&view, &accounts, &products, day(TODAY));
    form.focus = form.fields.iter().position(|x| x.key == FieldKey::Grants).expect("a grants field");
    form
}

#[test]
fn an_edited_plan_shows_its_grants_judges_each_keystroke_and_saves_them() {
    let mut f = Fixture::new();
    let mut form = grants_form(&mut f);
    let field = &form.fields[form.focus];
    assert_eq!((field.label.as_str(), field.value().as_str()), ("Grants", "users=40"));
    assert!(field.hint.contains("a discount or prices apply to usage dimensions only"), "{}", field.hint);
    assert!(!form.has_errors(), "{:?}", form.fields.iter().filter_map(|x| x.error.clone()).collect::<Vec<_>>());

    // A dimension the product does not have: the error shows under the field, the save waits.
    for _ in 0.."users=40".len() {
        press(&mut form, KeyCode::Backspace);
    }
    typed(&mut form, "seats=40");
    let field = &form.fields[form.focus];
    let error = field.error.clone().unwrap_or_default();
    assert!(error.contains("has no dimension `seats` to grant: grant one of users"), "{error}");
    assert!(form.shows_error(field));
    assert_eq!(save(&mut form), FormEvent::Nothing);
    assert_eq!(form.message.as_deref(), Some("Fix the fields marked in red first."));
    // Not a grant at all; then no units.
    for _ in 0.."seats=40".len() {
        press(&mut form, KeyCode::Backspace);
    }
    typed(&mut form, "users");
    let f0 = &form.fields[form.focus];
    assert!(f0.error.as_ref().unwrap().contains("is not a grant: use KEY=UNITS"), "{:?} {:?}", f0.key, f0.error);
    typed(&mut form, "=0");
    assert_eq!(form.fields[form.focus].error.as_deref(), Some("`users` granted 0 units: grant 1 to 10000000"));
    // Cleared: a plan on contract pricing needs its grant.
    for _ in 0.."users=0".len() {
        press(&mut form, KeyCode::Backspace);
    }
    assert!(form.fields[form.focus].error.as_ref().unwrap().contains("grant at least one of users"));

    typed(&mut form, "users=45");
    assert!(!form.has_errors());
    match save(&mut form) {
        FormEvent::Submit(c) => match *c {
            Command::EditOpportunity { terms, .. } => {
                assert_eq!(terms.grants, [("users".to_owned(), 45)]);
                assert_eq!(terms.installments.len(), 2, "the plan is kept");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_draft_without_a_plan_has_no_grants_field() {
    let mut f = Fixture::new();
    let t = f.terms(OpportunityKind::Recurring, dec!(20));
    let draft = f.market.create_opportunity(&id(ISV), &f.product, t, false).unwrap();
    let (_, view) = f.market.opportunity(&id(ISV), &draft).unwrap();
    let form = Form::edit_opportunity(&view, &f.market.accounts().unwrap(), &f.market.products().unwrap(), day(TODAY));
    assert!(form.fields.iter().all(|x| x.key != FieldKey::Grants));
}
