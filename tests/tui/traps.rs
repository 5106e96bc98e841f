//! Issue 22, "Actions that trap": Esc Esc leaves a form with typed text; a multi-line paste
//! keeps its words apart; a picker's bottom line names the picker's keys; `@` keeps each
//! account's own filter, status and sort; `E` shows the offer and the dates it may take and
//! confirms; the ISV extends an opportunity.

use cppo::app::form::FieldKey;
use ratatui::crossterm::event::{Event, KeyCode};

use super::{PARTNER, Ui, demo_as, snap};

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
