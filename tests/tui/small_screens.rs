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

/// The partner's offer form at 80x24 from the selected opportunity, priced: a name, a
/// buyer, a markup, an expiry and a quantity of each dimension.
fn priced_offer_form() -> Ui {
    use cppo::app::form::FieldKey;
    let mut ui = open(80, 24, Some(PARTNER), true);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Contoso pilot");
    ui.focus(FieldKey::Buyer);
    ui.chars(super::BUYER);
    ui.focus(FieldKey::Markup);
    ui.chars("10");
    ui.focus(FieldKey::Expires);
    ui.chars("2026-12-20");
    let quantities: Vec<FieldKey> = ui
        .app
        .form()
        .unwrap()
        .fields
        .iter()
        .filter(|f| matches!(f.key, FieldKey::Quantity(_)))
        .map(|f| f.key.clone())
        .collect();
    for q in quantities {
        ui.focus(q);
        ui.chars("10");
    }
    assert!(ui.app.form().unwrap().preview.as_ref().is_some_and(|p| p.is_ok()), "priced");
    ui
}

#[test]
fn the_offer_forms_breakdown_at_80x24_says_there_is_more_and_pgdn_scrolls_to_its_end() {
    let mut ui = priced_offer_form();
    let screen = ui.screen();
    assert!(!screen.contains("Partner receives"), "the end is below at first:\n{screen}");
    assert!(screen.contains("more lines: PgDn scrolls"), "a mark says there is more:\n{screen}");
    for _ in 0..10 {
        ui.key(KeyCode::PageDown);
    }
    let screen = ui.screen();
    for row in ["Buyer pays", "Listing fee", "ISV receives", "Partner receives"] {
        assert!(screen.contains(row), "{row} is reached:\n{screen}");
    }
    assert!(screen.contains("PgUp scrolls back"), "{screen}");
    snap("offer_form_breakdown_scrolled_80x24", &ui);
    assert!(ui.app.form().is_some(), "PgDn is no text: the form stays, its fields as typed");
    ui.key(KeyCode::PageUp);
    ui.key(KeyCode::PageUp);
    ui.key(KeyCode::PageUp);
    assert!(ui.screen().contains("Opportunity terms"), "PgUp comes back to the top");
}

#[test]
fn a_choice_at_80x24_shows_its_whole_value_and_the_partner_picker_names_each_id_once() {
    use cppo::app::form::FieldKey;
    let mut ui = open(80, 24, Some(super::ISV), true);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    let screen = ui.screen();
    // Two products begin "DataPeak I": the one chosen is told from the other.
    assert!(screen.contains("Implementation") && screen.contains("Services ›"), "{screen}");
    assert!(screen.contains("Rheinwerk") && screen.contains("IT-Beratung GmbH ›"), "{screen}");
    snap("opportunity_form_80x24", &ui);
    ui.focus(FieldKey::Partner);
    ui.ctrl('p');
    let screen = ui.screen();
    let row = screen.lines().find(|l| l.contains("Sakura Cloud Integration")).expect("Sakura is listed");
    assert_eq!(row.matches("756201938864").count(), 1, "the id once, whole: {row}");
    snap("partner_picker_80x24", &ui);
}

#[test]
fn help_at_80_columns_wraps_its_descriptions_and_g_reaches_its_end() {
    let mut ui = small_partner();
    ui.key(KeyCode::Char('?'));
    let first = ui.screen();
    assert!(first.contains("an offer's whole") || first.contains("whole detail"), "{first}");
    for line in first.lines() {
        assert!(!line.contains("(Enter keep│"), "a description is cut: {line}");
    }
    ui.key(KeyCode::Char('G'));
    let end = ui.screen();
    assert!(end.contains("this help"), "G shows the last binding:\n{end}");
    assert!(end.contains("OSC 52, if the terminal allows") || end.contains("reload from the file"), "{end}");
    snap("help_end_80x24", &ui);
    // At the end, one k is one line up (no scrolling back through lines that are not there).
    let Some(cppo::app::Popup::Help(at_end)) = ui.app.popup().cloned() else { panic!("help is open") };
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Char('k'));
    let Some(cppo::app::Popup::Help(after)) = ui.app.popup().cloned() else { panic!("help is open") };
    assert_eq!(after + 1, at_end);
    ui.key(KeyCode::Char('g'));
    assert_eq!(ui.screen(), first, "g goes back to the top");
}

/// The foreground of the first cell where `needle` is drawn.
fn fg_of(ui: &Ui, needle: &str) -> ratatui::style::Color {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(ui.app.width(), ui.app.height())).unwrap();
    t.draw(|f| cppo::ui::render(&ui.app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    for y in 0..buf.area.height {
        let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_owned()).collect();
        if let Some(at) = row.find(needle) {
            let x = row[..at].chars().count() as u16;
            return buf[(x, y)].fg;
        }
    }
    panic!("{needle} is not on screen");
}

#[test]
fn money_and_the_sort_label_take_the_terminals_own_foreground() {
    use ratatui::style::Color;
    let ui = small_partner();
    let amount = ui.app.offers().row(1).unwrap().buyer_total.expect("a total").text();
    assert_eq!(fg_of(&ui, &amount), Color::Reset, "money is not bright white: it vanishes on a light theme");
    assert_eq!(fg_of(&ui, "sort: created"), Color::Reset, "the sort label is not dim grey");
}
