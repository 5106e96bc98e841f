//! Issue 22's words and ids in the TUI: account ids as the console shows them, Cancelled as
//! its own status, the ISV's labels, one word per state, validation in its time and place.

use super::*;

#[test]
fn an_account_id_pasted_as_the_console_shows_it_picks_and_filters_its_account() {
    let mut ui = demo_as(PARTNER);
    // `@` with the buyer's id grouped by dashes: the one account.
    ui.key(KeyCode::Char('@'));
    ui.chars("2210-7846-3519");
    assert!(ui.screen().contains("1 of 18"), "{}", ui.screen());
    ui.key(KeyCode::Esc);
    // `/` with the id grouped by spaces: the offers to that buyer, as with its 12 digits.
    ui.key(KeyCode::Char('/'));
    ui.chars(BUYER);
    ui.key(KeyCode::Enter);
    let by_digits = ui.app.offers().total().unwrap();
    assert!(by_digits > 0);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('/'));
    ui.chars("2210 7846 3519");
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.offers().total(), Some(by_digits));
}
