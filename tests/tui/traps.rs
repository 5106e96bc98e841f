//! Issue 22, "Actions that trap": Esc Esc leaves a form with typed text; a multi-line paste
//! keeps its words apart; a picker's bottom line names the picker's keys; `@` keeps each
//! account's own filter, status and sort; `E` shows the offer and the dates it may take and
//! confirms; the ISV extends an opportunity.

use cppo::app::form::FieldKey;
use ratatui::crossterm::event::{Event, KeyCode};

use super::{ISV, PARTNER, Ui, demo_as, snap};

/// The last line of the screen: the hint bar.
fn bottom_line(ui: &Ui) -> String {
    ui.screen().lines().last().unwrap_or_default().to_owned()
}

#[test]
fn esc_esc_leaves_a_form_with_typed_text_and_later_keys_act_on_the_table() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Pilot");
    ui.key(KeyCode::Esc);
    assert!(ui.screen().contains("Discard what you typed?  Esc / y leave · n back to the form"), "{}", ui.screen());
    ui.key(KeyCode::Esc);
    assert!(ui.app.form().is_none(), "the second Esc leaves");
    ui.key(KeyCode::Char('3'));
    assert_eq!(ui.app.tab(), cppo::app::Tab::Offers, "a key after it acts on the tables, not a field");
    // `n` to the question still goes back to the form, as typed.
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Pilot");
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('n'));
    assert_eq!(ui.form_value(&FieldKey::Name), "Pilot");
}

#[test]
fn a_pasted_text_of_several_lines_keeps_its_words_apart() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Description);
    let fx = ui.app.handle_event(&Event::Paste("Pilot for the\nretail team,\r\nfirst year\n".into()));
    cppo::tui::settle(&mut ui.app, &mut ui.worker, fx);
    assert_eq!(ui.form_value(&FieldKey::Description), "Pilot for the retail team, first year");
}

#[test]
fn a_pickers_bottom_line_names_the_pickers_keys() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('@'));
    let line = bottom_line(&ui);
    assert!(line.contains("Enter take the match") && line.contains("Esc go back"), "{line}");
    assert!(!line.contains("filter"), "no table key: {line}");
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Buyer);
    ui.ctrl('p');
    let line = bottom_line(&ui);
    assert!(line.contains("Enter take the match") && !line.contains("Tab next field"), "{line}");
    snap("picker_bottom_line", &ui);
}

#[test]
fn each_account_keeps_its_own_filters_and_sort_across_at() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('f'));
    ui.key(KeyCode::Char('f'));
    ui.key(KeyCode::Char('s'));
    ui.key(KeyCode::Char('/'));
    ui.chars("Woodgrove");
    ui.key(KeyCode::Enter);
    let partners_view = ui.screen().lines().nth(2).unwrap().to_owned();
    assert!(partners_view.contains("status:") && partners_view.contains("Woodgrove"), "{partners_view}");
    ui.act_as(super::BUYER);
    let title = ui.screen().lines().nth(2).unwrap().to_owned();
    assert!(!title.contains("status:") && !title.contains("Woodgrove") && title.contains("sort: created"), "{title}");
    let all = ui.app.offers().total();
    assert!(all.is_some_and(|n| n >= 3), "the buyer sees every offer addressed to it: {all:?}");
    // The buyer narrows its own list; back as the partner, the partner's is as it left it.
    ui.key(KeyCode::Char('f'));
    let buyers_view = ui.screen().lines().nth(2).unwrap().to_owned();
    assert!(buyers_view.contains("status:"), "{buyers_view}");
    ui.act_as(PARTNER);
    assert_eq!(ui.screen().lines().nth(2).unwrap(), partners_view);
    ui.act_as(super::BUYER);
    assert_eq!(ui.screen().lines().nth(2).unwrap(), buyers_view);
}

#[test]
fn e_names_the_offer_shows_the_days_allowed_and_asks_before_it_moves_the_expiry() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    for _ in 0..ui.app.offers().known_len() {
        if ui.app.offers().selected().is_some_and(|o| o.status.to_string() == "Active") {
            break;
        }
        ui.key(KeyCode::Char('j'));
    }
    let offer = ui.app.offers().selected().expect("an Active offer").clone();
    let expires = offer.expires_on.expect("an expiry");
    ui.key(KeyCode::Char('E'));
    let form = ui.app.form().expect("the extend form");
    assert_eq!(form.title, format!("Extend {}", offer.name));
    let hint = &form.fields[0].hint;
    let next = expires.succ_opt().unwrap();
    assert!(hint.contains(&format!("now {expires}")) && hint.contains(&format!("pick {next}")), "{hint}");
    assert!(ui.screen().contains(&format!("now {expires}")), "shown before anything is typed");
    ui.chars(&expires.to_string());
    assert!(ui.screen().contains(&format!("pick {next}")), "a day not allowed says which are");
    for _ in 0..10 {
        ui.key(KeyCode::Backspace);
    }
    let to = expires + chrono::TimeDelta::days(7);
    ui.chars(&to.to_string());
    ui.key(KeyCode::Enter);
    assert_eq!(ui.confirm_title(), Some(format!("Extend {}", offer.name)), "Enter asks first");
    let screen = ui.screen();
    assert!(screen.contains(&format!("Its expiry moves from {expires} to {to}.")), "{screen}");
    snap("confirm_extend_offer", &ui);
    ui.key(KeyCode::Char('n'));
    assert_eq!(ui.form_value(&FieldKey::Expires), to.to_string(), "n goes back to the form as typed");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('y'));
    assert!(ui.app.form().is_none(), "{}", ui.toast());
    assert_eq!(ui.app.offers().selected().unwrap().expires_on, Some(to));
}

#[test]
fn the_isv_extends_an_opportunity_ending_soon_from_the_review_queue() {
    let mut ui = demo_as(ISV);
    ui.key(KeyCode::Char('v'));
    // Step to the first opportunity that ends soon.
    for _ in 0..20 {
        if ui.app.review().and_then(|r| r.current()).is_some_and(|i| i.why.starts_with("ends within")) {
            break;
        }
        ui.key(KeyCode::Char(' '));
    }
    let item = ui.app.review().and_then(|r| r.current()).expect("an opportunity ending soon").clone();
    assert!(ui.app.hints().iter().any(|b| b.short_label() == "E"), "the queue's item has something to do");
    let cppo::market::actions::ReviewTarget::Opportunity(id) = item.target.clone() else { panic!("{item:?}") };
    let due = item.due.expect("its end");
    ui.key(KeyCode::Char('E'));
    let to = due + chrono::TimeDelta::days(90);
    ui.chars(&to.to_string());
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains(&format!("Its end date moves from {due} to {to}.")), "{screen}");
    assert!(screen.contains("can make offers from it until"), "{screen}");
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().contains(&format!("Extended {id} to {to}")), "{}", ui.toast());
    let mut m = cppo::market::Market::open(&ui.path, Box::new(cppo::domain::FixedClock::on(super::today()))).unwrap();
    let (o, _) = m.opportunity(&cppo::domain::AccountId::parse(ISV).unwrap(), &id).unwrap();
    assert_eq!(o.ends_on, Some(to));
    let _ = &mut m;
}

/// `n` on the Offers tab, its opportunities held back: the store has not answered yet.
fn offer_form_on_its_way(ui: &mut Ui, held: &mut Vec<cppo::app::Effect>) {
    ui.key(KeyCode::Char('3'));
    ui.key_early(KeyCode::Char('n'), held);
    assert!(held.iter().any(|e| matches!(e, cppo::app::Effect::LoadOfferTargets)), "{held:?}");
    assert!(ui.app.form().is_none(), "the form waits for its opportunities");
}

#[test]
fn keys_typed_while_a_form_is_on_its_way_go_to_the_form_not_the_table_under_it() {
    let mut ui = demo_as(PARTNER);
    let mut held = Vec::new();
    offer_form_on_its_way(&mut ui, &mut held);
    assert!(ui.app.offers().selected().is_some_and(|o| o.status.to_string() == "Draft"), "D would delete this one");
    ui.key_early(KeyCode::Char('D'), &mut held);
    assert_eq!(ui.confirm_title(), None, "D does not reach the table");
    let line = bottom_line(&ui);
    assert!(line.contains("Opening the form") && line.contains("Esc"), "the wait is said: {line}");
    ui.answer(held);
    assert_eq!(ui.confirm_title(), None, "no delete confirmation over the form");
    let form = ui.app.form().expect("the new-offer form");
    assert!(form.picker.is_some(), "D went to the form: typed on its opportunity, it opens the list narrowed by it");
    // Typed ahead into the fields, the text lands where it was meant.
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Esc);
    assert!(ui.app.form().is_none());
    let mut held = Vec::new();
    ui.key_early(KeyCode::Char('n'), &mut held);
    ui.key_early(KeyCode::Tab, &mut held);
    for c in "Pilot".chars() {
        ui.key_early(KeyCode::Char(c), &mut held);
    }
    ui.answer(held);
    assert_eq!(ui.form_value(&FieldKey::Name), "Pilot");
}

#[test]
fn esc_while_a_form_is_on_its_way_takes_the_form_back() {
    let mut ui = demo_as(PARTNER);
    let mut held = Vec::new();
    offer_form_on_its_way(&mut ui, &mut held);
    ui.key_early(KeyCode::Char('j'), &mut held);
    ui.key_early(KeyCode::Esc, &mut held);
    ui.answer(held);
    assert!(ui.app.form().is_none(), "the form does not open after Esc");
    assert_eq!(ui.app.offers().cursor(), 0, "the j typed for the form is dropped with it");
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.offers().cursor(), 1, "later keys act on the table");
}

#[test]
fn keys_typed_for_a_form_that_does_not_come_are_dropped_and_the_reason_shown() {
    let mut ui = demo_as(PARTNER);
    let mut held = Vec::new();
    offer_form_on_its_way(&mut ui, &mut held);
    ui.key_early(KeyCode::Char('D'), &mut held);
    // The store answers: no opportunity to make an offer from.
    let fx = ui.app.handle_msg(cppo::app::Msg::OfferTargets(Vec::new()));
    cppo::tui::settle(&mut ui.app, &mut ui.worker, fx);
    assert!(ui.app.form().is_none());
    assert_eq!(ui.confirm_title(), None, "D is not replayed on the table");
    assert!(!ui.toast().is_empty(), "the reason shows");
}
