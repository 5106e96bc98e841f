//! Issue 22, "Screens that hide what matters": at 80x24 every confirmation shows its key
//! line, the offer form's breakdown can be scrolled to its end, a choice shows enough to tell
//! it from the others, the title bar keeps the date, a picker names an id once, help wraps
//! its descriptions and `G` reaches its end; money and the sort label take the terminal's
//! own foreground.

use ratatui::crossterm::event::KeyCode;

use super::{PARTNER, Ui, open, snap};

/// The demo as the partner at 80x24, on the Offers tab.
fn small_partner() -> Ui {
    let mut ui = open(80, 24, Some(PARTNER), true);
    ui.key(KeyCode::Char('3'));
    ui
}

/// Moves the Offers cursor to the first row whose status reads `status`.
fn to_first(ui: &mut Ui, status: &str) {
    for _ in 0..ui.app.offers().known_len() {
        if ui.app.offers().selected().is_some_and(|o| o.status.to_string() == status) {
            return;
        }
        ui.key(KeyCode::Char('j'));
    }
    panic!("no {status} offer");
}

#[test]
fn a_confirmation_at_80x24_shows_all_its_lines_and_its_keys() {
    let mut ui = small_partner();
    to_first(&mut ui, "Draft");
    ui.key(KeyCode::Char('D'));
    let screen = ui.screen();
    assert!(ui.confirm_title().is_some_and(|t| t.starts_with("Delete ")), "{screen}");
    assert!(screen.contains("y / Enter confirm"), "the key line shows:\n{screen}");
    assert!(screen.contains("The audit log keeps that it existed."), "the last line shows:\n{screen}");
    snap("confirm_delete_80x24", &ui);
    ui.key(KeyCode::Char('n'));
    ui.key(KeyCode::Char('r'));
    let screen = ui.screen();
    assert!(screen.contains("y / Enter confirm") && screen.contains("New status: Active"), "{screen}");
}

#[test]
fn the_title_bar_at_80_columns_keeps_the_date_and_cuts_the_name_instead() {
    let ui = small_partner();
    let screen = ui.screen();
    let title = screen.lines().next().unwrap();
    assert!(title.contains("today 2026-11-26"), "{title}");
    assert!(title.contains("as 902174365518 Northwind") && title.contains("(partner)"), "{title}");
}
