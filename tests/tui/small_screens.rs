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

/// Each run of text drawn in a fixed black, grey or white on no background of its own, as
/// `line: colour "text"`: the terminal's theme picks the background, and a light one hides
/// white and light grey, a dark one black and dark grey.
fn fixed_shades(ui: &Ui) -> Vec<String> {
    use ratatui::style::Color;
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(ui.app.width(), ui.app.height())).unwrap();
    t.draw(|f| cppo::ui::render(&ui.app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let shade = |x: u16, y: u16| {
        let c = &buf[(x, y)];
        let fixed = matches!(c.fg, Color::Black | Color::DarkGray | Color::Gray | Color::White);
        (fixed && c.bg == Color::Reset && !c.symbol().trim().is_empty()).then_some(c.fg)
    };
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let Some(fg) = shade(x, y) else {
                x += 1;
                continue;
            };
            let mut text = String::new();
            while x < buf.area.width && buf[(x, y)].fg == fg {
                text.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            found.push(format!("{y}: {fg:?} {:?}", text.trim()));
        }
    }
    found
}

#[test]
fn no_word_takes_a_fixed_grey_that_a_light_or_a_dark_theme_hides() {
    let mut screens = Vec::new();
    let mut ui = small_partner();
    screens.push(("the Offers tab and an offer's detail", fixed_shades(&ui)));
    ui.key(KeyCode::Char('t'));
    screens.push(("the expiries chart", fixed_shades(&ui)));
    ui.key(KeyCode::Char('4'));
    screens.push(("the Agreements tab", fixed_shades(&ui)));
    ui.key(KeyCode::Char('?'));
    screens.push(("help", fixed_shades(&ui)));
    let ui = priced_offer_form();
    screens.push(("the priced offer form", fixed_shades(&ui)));
    let mut ui = open(80, 24, Some(super::ISV), true);
    ui.key(KeyCode::Char('2'));
    screens.push(("the ISV's Opportunities tab", fixed_shades(&ui)));
    ui.key(KeyCode::Char('n'));
    screens.push(("the opportunity form", fixed_shades(&ui)));
    for (screen, shades) in screens {
        assert!(shades.is_empty(), "{screen}: {shades:#?}");
    }
}

/// The ISV's opportunity form at `w`x`h` for a product of 24 dimensions (a wholesale price
/// field each), added to the demo: taller than the screen at 80x24 and at 120x40.
fn opportunity_form_of_24_dimensions(w: u16, h: u16) -> Ui {
    use cppo::app::form::FieldKey;
    let dir = tempfile::tempdir().unwrap();
    let db = super::demo_file::copy_demo(&dir.path().join("cppo.db"));
    let mut add = super::env::cppo(dir.path());
    add.arg("--db").arg(&db).args(["--as", super::ISV, "products", "add", "--name", "DataPeak Everything Suite"]);
    add.args(["--type", "saas"]);
    for i in 1..=24 {
        add.args(["--dimension", &format!("metric_{i:02}:seat:100")]);
    }
    let out = add.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut ui = super::open_on(dir, super::today(), w, h, Some(super::ISV));
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Product);
    for _ in 0..5 {
        if ui.app.form().unwrap().fields.len() > 30 {
            break;
        }
        ui.key(KeyCode::Right);
    }
    assert!(ui.app.form().unwrap().fields.len() > 30, "the product of 24 dimensions is chosen:\n{}", ui.screen());
    ui
}

/// The focused field's label, as its line begins on screen.
fn focused_line(ui: &Ui) -> String {
    let form = ui.app.form().expect("a form");
    format!("▶ {}", form.fields[form.focus].label)
}

#[test]
fn a_form_taller_than_the_screen_scrolls_its_fields_to_keep_the_focused_one_in_sight() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut ui = opportunity_form_of_24_dimensions(w, h);
        let n = ui.app.form().unwrap().fields.len();
        let screen = ui.screen();
        assert!(screen.contains(&focused_line(&ui)), "{w}x{h}:\n{screen}");
        assert!(screen.contains("more fields below"), "{w}x{h}: a mark says there is more:\n{screen}");
        for _ in 0..n {
            ui.key(KeyCode::Tab);
            let screen = ui.screen();
            assert!(screen.contains(&focused_line(&ui)), "{w}x{h}: {} is in sight:\n{screen}", focused_line(&ui));
        }
        ui.focus(cppo::app::form::FieldKey::Description);
        let screen = ui.screen();
        assert!(screen.contains("▶ Description") && screen.contains("more fields above"), "{w}x{h}:\n{screen}");
        assert!(!screen.contains("more fields below"), "{w}x{h}: the last field is the end:\n{screen}");
        snap(&format!("opportunity_form_last_field_{w}x{h}"), &ui);
        // The list moves only when the focus would leave it: one field up, it stays.
        let above = |s: &str| s.lines().find(|l| l.contains("more fields above")).map(str::to_owned);
        ui.key(KeyCode::BackTab);
        assert_eq!(above(&ui.screen()), above(&screen), "{w}x{h}:\n{}", ui.screen());
        ui.key(KeyCode::Tab);
        // Back up: the focus stays in sight, up to the first field and the top of the list.
        for _ in 0..n - 1 {
            ui.key(KeyCode::BackTab);
            let screen = ui.screen();
            assert!(screen.contains(&focused_line(&ui)), "{w}x{h}: {} is in sight:\n{screen}", focused_line(&ui));
        }
        assert_eq!(ui.app.form().unwrap().focus, 0);
        assert!(!ui.screen().contains("more fields above"), "{w}x{h}:\n{}", ui.screen());
    }
}

#[test]
fn at_80_columns_a_buyers_name_beside_its_id_is_shown_whole() {
    use cppo::app::form::FieldKey;
    // The offer form: the name of the buyer typed goes under the id when it does not fit.
    let mut ui = open(80, 24, Some(PARTNER), true);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Buyer);
    ui.chars(super::BUYER);
    let screen = ui.screen();
    // The fields' pane: the 42 columns left of the price pane (the opportunity's terms
    // there may name the buyer too).
    let fields: String = screen.lines().map(|l| l.chars().take(42).collect::<String>() + "\n").collect();
    assert!(fields.contains("Contoso Retail Ltd"), "the buyer's name is whole:\n{screen}");
    snap("offer_form_buyer_named_80x24", &ui);
    // An opportunity's detail: each buyer named, none cut at the pane's edge.
    let mut ui = open(80, 24, Some("347810256693"), true); // Bluefin Consulting Group
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('/'));
    ui.chars("X41tio");
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("675432109887 Tailspin Logistics Corp."), "{screen}");
    assert!(screen.contains("830917264352 Woodgrove Bank"), "the second buyer is not cut:\n{screen}");
    snap("opportunity_detail_two_buyers_80x24", &ui);
}
