//! The TUI without a terminal: key flows through `App` and the store worker on a real demo
//! file, and `TestBackend` snapshots of each screen (fixed clock, seeded ids).

#[path = "../support/aws_cli.rs"]
mod aws_cli;
#[path = "../common/mod.rs"]
mod common;
use common::aws_answers;
#[path = "../support/cppo_screen.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod cppo_screen;
#[path = "../support/demo_file.rs"]
mod demo_file;
#[path = "../support/drafts.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod drafts;
#[path = "../support/env.rs"]
mod env;
#[path = "../support/require.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod require;
#[path = "../support/pty.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod term;

// The TUI's other tests, one module per subject (one test binary links the library once).
mod agreements;
mod cursor;
mod durations;
mod e2e_tmux;
mod form_grants;
mod pty;
mod renewals;
mod small_screens;
mod traps;
mod words;

use chrono::NaiveDate;
use cppo::app::{App, Popup, Tab};
use cppo::domain::{AccountId, FixedClock};
use cppo::market::Market;
use cppo::tui::{Worker, settle};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const PARTNER: &str = "902174365518"; // Northwind Cloud Partners LLC
const ISV: &str = "418227093615"; // DataPeak Analytics, Inc.
const BUYER: &str = "221078463519"; // Contoso Retail Ltd

struct Ui {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    app: App,
    worker: Worker,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(width: u16, height: u16, actor: Option<&str>, demo: bool) -> Ui {
    let dir = tempfile::tempdir().unwrap();
    if demo {
        demo_file::copy_demo(&dir.path().join("cppo.db"));
    }
    open_on(dir, today(), width, height, actor)
}

/// The UI over the file `cppo.db` of `dir` (made or filled by the caller), on `day`.
fn open_on(dir: tempfile::TempDir, day: NaiveDate, width: u16, height: u16, actor: Option<&str>) -> Ui {
    let path = dir.path().join("cppo.db");
    let market = Market::open(&path, Box::new(FixedClock::on(day))).unwrap();
    let worker = Worker::new(market, actor.map(|a| AccountId::parse(a).unwrap()));
    let mut ui = Ui { _dir: dir, path, app: App::new(width, height), worker };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    // The file name differs per run: show a stable one.
    ui.app.set_file_label("/tmp/cppo.db");
    ui
}

fn demo_as(actor: &str) -> Ui {
    open(120, 40, Some(actor), true)
}

impl Ui {
    /// Four slow ticks: the app looks at the file for other programs' writes, as it does
    /// once a second, and reads again what they changed.
    fn poll(&mut self) {
        for _ in 0..4 {
            let fx = self.app.poll();
            settle(&mut self.app, &mut self.worker, fx);
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.key_mod(code, KeyModifiers::NONE);
    }
    fn key_mod(&mut self, code: KeyCode, m: KeyModifiers) {
        let fx = self.app.handle_event(&Event::Key(KeyEvent::new(code, m)));
        settle(&mut self.app, &mut self.worker, fx);
    }
    fn chars(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn ctrl(&mut self, c: char) {
        self.key_mod(KeyCode::Char(c), KeyModifiers::CONTROL);
    }
    fn form_value(&self, key: &cppo::app::form::FieldKey) -> String {
        self.app.form().expect("a form is open").value(key)
    }
    /// Moves the form's focus to `key`.
    fn focus(&mut self, key: cppo::app::form::FieldKey) {
        for _ in 0..40 {
            let f = self.app.form().expect("a form is open");
            if f.fields[f.focus].key == key {
                return;
            }
            self.key(KeyCode::Tab);
        }
        panic!("no field {key:?}");
    }
    fn act_as(&mut self, id: &str) {
        self.key(KeyCode::Char('@'));
        self.chars(id);
        self.key(KeyCode::Enter);
        assert_eq!(self.app.session().unwrap().actor.as_ref().unwrap().id.as_str(), id);
    }
    fn toast(&self) -> String {
        self.app.toast().unwrap_or_default().to_owned()
    }
    fn resize(&mut self, w: u16, h: u16) {
        let fx = self.app.handle_event(&Event::Resize(w, h));
        settle(&mut self.app, &mut self.worker, fx);
    }
    /// Presses a key but keeps its effects: the store has not answered yet.
    fn key_early(&mut self, code: KeyCode, held: &mut Vec<cppo::app::Effect>) {
        held.extend(self.app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE))));
    }
    /// The store answers what was held, in order.
    fn answer(&mut self, held: Vec<cppo::app::Effect>) {
        settle(&mut self.app, &mut self.worker, held);
    }
    fn confirm_title(&self) -> Option<String> {
        match self.app.popup() {
            Some(Popup::Confirm(c)) => Some(c.title.clone()),
            _ => None,
        }
    }
    fn screen(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(self.app.width(), self.app.height())).unwrap();
        t.draw(|f| cppo::ui::render(&self.app, f)).unwrap();
        t.backend().to_string()
    }
}

// ---- key flows -------------------------------------------------------------------------

#[test]
fn an_action_key_typed_right_after_a_filter_acts_on_the_first_filtered_row() {
    let mut ui = demo_as(PARTNER);
    let mut held = Vec::new();
    ui.key_early(KeyCode::Char('/'), &mut held);
    for c in "Adatum".chars() {
        ui.key_early(KeyCode::Char(c), &mut held);
    }
    ui.key_early(KeyCode::Enter, &mut held);
    ui.key_early(KeyCode::Char('x'), &mut held);
    assert_eq!(ui.confirm_title(), None, "x waits for the filtered rows");
    assert_eq!(ui.toast(), "", "no \"select a row first\" while the row is on its way");
    ui.answer(held);
    let row = ui.app.offers().selected().expect("a filtered row").clone();
    assert!(row.name.contains("Adatum") || row.buyer_account_id.is_some(), "{row:?}");
    assert_eq!(ui.confirm_title(), Some(format!("Cancel {}", row.name)), "toast: {}", ui.toast());
}

#[test]
fn an_action_key_typed_before_the_detail_arrives_acts_on_the_row_under_the_cursor() {
    let mut ui = demo_as(PARTNER);
    // Two released offers in a row: the second is the one `j` lands on.
    let at = (0..ui.app.offers().known_len())
        .find(|&i| {
            let ok = |i| ui.app.offers().row(i).is_some_and(|o| o.status.to_string() == "Active");
            ok(i) && ok(i + 1)
        })
        .expect("two active offers in a row");
    for _ in 0..at {
        ui.key(KeyCode::Char('j'));
    }
    let first = ui.app.offers().selected().unwrap().name.clone();
    let mut held = Vec::new();
    ui.key_early(KeyCode::Char('j'), &mut held);
    let second = ui.app.offers().selected().unwrap().name.clone();
    assert_ne!(first, second);
    let hints: Vec<String> = ui.app.hints().iter().map(|b| b.short_label()).collect();
    assert!(!hints.iter().any(|k| k == "x"), "no action of the row before while its detail loads: {hints:?}");
    ui.key_early(KeyCode::Char('x'), &mut held);
    ui.key_early(KeyCode::Char('n'), &mut held);
    ui.answer(held);
    assert_eq!(ui.confirm_title(), None, "n after x declined the confirmation, in order");
    ui.key(KeyCode::Char('x'));
    assert_eq!(ui.confirm_title(), Some(format!("Cancel {second}")));
}

#[test]
fn reload_says_reloaded_once_the_rows_are_in() {
    let mut ui = demo_as(PARTNER);
    let mut held = Vec::new();
    ui.key_early(KeyCode::Char('R'), &mut held);
    assert_eq!(ui.toast(), "", "not before the store answers");
    ui.answer(held);
    assert_eq!(ui.toast(), "Reloaded");
}

#[test]
fn it_opens_on_the_offers_tab_as_the_remembered_partner() {
    let ui = open(120, 40, None, true);
    let s = ui.app.session().unwrap();
    assert_eq!(s.actor.as_ref().unwrap().id.as_str(), PARTNER);
    assert_eq!(ui.app.tab(), Tab::Offers);
    assert_eq!(ui.app.offers().total(), Some(35));
    assert!(ui.app.detail().is_some(), "the selected row's detail is loaded");
}

#[test]
fn number_keys_and_tab_switch_tabs_and_load_them() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    assert_eq!(ui.app.tab(), Tab::Partners);
    assert!(ui.app.partners().loaded && !ui.app.partners().rows.is_empty());
    ui.key(KeyCode::Tab);
    assert_eq!(ui.app.tab(), Tab::Opportunities);
    assert_eq!(ui.app.opportunities().total(), Some(11));
    ui.key(KeyCode::BackTab);
    assert_eq!(ui.app.tab(), Tab::Partners);
    ui.key(KeyCode::BackTab);
    assert_eq!(ui.app.tab(), Tab::Agreements);
    ui.key(KeyCode::BackTab);
    assert_eq!(ui.app.tab(), Tab::Offers);
    ui.key(KeyCode::Char('4'));
    assert_eq!(ui.app.tab(), Tab::Agreements);
    assert!(ui.app.agreements().is_loaded());
}

#[test]
fn the_cursor_moves_and_is_clamped_at_both_ends() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('k'));
    assert_eq!(ui.app.offers().cursor(), 0);
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Down);
    assert_eq!(ui.app.offers().cursor(), 2);
    ui.key(KeyCode::Char('G'));
    assert_eq!(ui.app.offers().cursor(), 34);
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.offers().cursor(), 34);
    ui.key(KeyCode::Char('g'));
    assert_eq!(ui.app.offers().cursor(), 0);
    ui.key_mod(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert!(ui.app.offers().cursor() > 0);
}

#[test]
fn the_detail_follows_the_selection() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('j'));
    let selected = ui.app.offers().selected().unwrap().id.clone();
    match ui.app.detail() {
        Some((_, cppo::app::Detail::Offer { view, .. })) => assert_eq!(view.id, selected),
        other => panic!("expected the offer's detail, got {other:?}"),
    }
    ui.key(KeyCode::Enter);
    assert!(ui.app.detail_open());
    ui.key(KeyCode::Esc);
    assert!(!ui.app.detail_open());
}

#[test]
fn a_filter_runs_in_the_store_and_clamps_the_cursor() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('G'));
    ui.key(KeyCode::Char('/'));
    // `j` typed into the filter is text, not a move.
    ui.chars("contoso");
    assert_eq!(ui.app.filter_input().unwrap().value(), "contoso");
    let n = ui.app.offers().total().unwrap();
    assert!(n > 0 && n < 35, "{n}");
    assert!(ui.app.offers().cursor() < n);
    ui.key(KeyCode::Enter);
    assert!(ui.app.filter_input().is_none());
    assert_eq!(ui.app.offers().filter, "contoso");
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.offers().filter, "");
    assert_eq!(ui.app.offers().total(), Some(35));
}

#[test]
fn keys_typed_into_the_filter_are_text() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('/'));
    ui.chars("jqG2?");
    assert_eq!(ui.app.filter_input().unwrap().value(), "jqG2?");
    assert!(!ui.app.quit());
    assert_eq!(ui.app.tab(), Tab::Offers);
    assert!(ui.app.popup().is_none());
    assert_eq!(ui.app.offers().total(), Some(0));
    assert!(ui.screen().contains("No row matches the filter"));
}

#[test]
fn sorting_cycles_columns_and_reverses() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('s'));
    assert_eq!(ui.app.offers().sort, cppo::store::query::Sort::Name);
    let first = ui.app.offers().selected().unwrap().name.clone();
    ui.key(KeyCode::Char('S'));
    let last = ui.app.offers().selected().unwrap().name.clone();
    assert!(first <= last, "{first} / {last}");
    assert_eq!(ui.app.offers().total(), Some(35));
    // The sorted column carries the arrow in the header.
    let header = |ui: &Ui| ui.screen().lines().nth(3).unwrap_or_default().to_owned();
    assert!(header(&ui).contains("Name ↓"), "{}", header(&ui));
    // Then every other column, left to right, each marked in the header and named in the title.
    for (column, title) in [
        ("Buyer ↑", "sort: buyer ↑"),
        ("Buyer total ↑", "sort: buyer total ↑"),
        ("Status ↑", "sort: status ↑"),
        ("Expires on ↑", "sort: expires on ↑"),
    ] {
        ui.key(KeyCode::Char('s'));
        assert_eq!(header(&ui).matches(['↑', '↓']).count(), 1, "{}", header(&ui));
        assert!(header(&ui).contains(column), "{}", header(&ui));
        assert!(ui.screen().contains(title), "{}", ui.screen());
        assert_eq!(ui.app.offers().total(), Some(35), "{column}");
    }
    ui.key(KeyCode::Char('s'));
    assert!(ui.screen().contains("sort: created ↓"), "back to the start: {}", ui.screen());
    assert!(!header(&ui).contains('↑') && !header(&ui).contains('↓'), "{}", header(&ui));
    // By status: drafts first, in the order `f` cycles them; reversed, the cancelled ones.
    use cppo::domain::OfferStatus;
    for _ in 0..4 {
        ui.key(KeyCode::Char('s'));
    }
    assert_eq!(ui.app.offers().selected().unwrap().status, OfferStatus::Draft);
    ui.key(KeyCode::Char('S'));
    assert_eq!(ui.app.offers().selected().unwrap().status, OfferStatus::Cancelled);
    // A long name is cut with an ellipsis, never mid-air.
    ui.resize(80, 24);
    assert!(ui.screen().contains('…'), "{}", ui.screen());
}

#[test]
fn every_opportunity_column_sorts_and_keeps_its_arrow_in_a_narrow_header() {
    let mut ui = open(80, 24, Some(PARTNER), true);
    ui.key(KeyCode::Char('2'));
    let header = |ui: &Ui| ui.screen().lines().nth(3).unwrap_or_default().to_owned();
    // At 80 columns the product is left to the detail: its sort is named in the title only.
    for (label, shown) in [
        ("name", true),
        ("product", false),
        ("counterparty", true),
        ("kind", true),
        ("discount", true),
        ("currency", true),
        ("status", true),
        ("ends on", true),
        ("offers", true),
    ] {
        ui.key(KeyCode::Char('s'));
        assert!(ui.screen().contains(&format!("sort: {label} ↑")), "{label}: {}", ui.screen());
        let arrows = header(&ui).matches('↑').count();
        assert_eq!(arrows, usize::from(shown), "{label}: {}", header(&ui));
        assert_eq!(ui.app.opportunities().total(), Some(11), "{label}");
    }
    ui.key(KeyCode::Char('S'));
    assert!(header(&ui).contains("Off… ↓"), "cut with an ellipsis, the arrow kept: {}", header(&ui));
}

#[test]
fn help_opens_and_closes_and_is_generated_from_the_keymap() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('?'));
    assert!(matches!(ui.app.popup(), Some(Popup::Help(_))));
    // The help scrolls when it is longer than the screen: read it to its end.
    let mut screen = ui.screen();
    for _ in 0..4 {
        ui.key(KeyCode::PageDown);
        screen.push_str(&ui.screen());
    }
    use cppo::app::keymap::Scope;
    // Help is for the current view: the table's keys and the global ones.
    for b in cppo::app::keymap::BINDINGS.iter().filter(|b| matches!(b.scope, Scope::Table | Scope::Global)) {
        assert!(screen.contains(b.help), "help lacks `{}`", b.help);
    }
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.offers().cursor(), 0, "keys do not reach the table under a popup");
    ui.key(KeyCode::Esc);
    assert!(ui.app.popup().is_none());
    ui.key(KeyCode::Char('q'));
    assert!(ui.app.quit());
}

#[test]
fn switching_account_reloads_everything_as_that_account() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('@'));
    let Some(Popup::Accounts(_)) = ui.app.popup() else { panic!("no picker") };
    assert!(ui.screen().contains("18 of 18"), "every account, counted: {}", ui.screen());
    let marked =
        ui.screen().lines().find(|l| l.contains("│▶ ") && l.contains("  9021")).map(str::to_owned).unwrap_or_default();
    assert!(marked.contains("acting now"), "it opens on the acting account: {marked}");
    // Typed letters narrow the list, fuzzily, by name: pick Contoso (the buyer).
    ui.chars("cntso");
    assert!(ui.screen().contains("1 of 18"), "{}", ui.screen());
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.session().unwrap().actor.as_ref().unwrap().id.as_str(), BUYER);
    assert!(ui.app.popup().is_none());
    // A buyer sees only released offers addressed to it, and no wholesale.
    let n = ui.app.offers().total().unwrap();
    assert!(n > 0);
    for i in 0..n {
        let o = ui.app.offers().row(i).unwrap();
        assert_eq!(o.buyer_account_id.as_ref().map(|a| a.as_str()), Some(BUYER));
        assert_ne!(o.status.to_string(), "Draft");
        assert!(o.wholesale_total.is_none() && o.markup_pct.is_none());
    }
    assert_eq!(ui.app.opportunities().total(), Some(0), "buyers see no opportunities");
}

#[test]
fn an_empty_file_opens_the_welcome_screen_and_d_loads_the_demo() {
    let mut ui = open(120, 40, None, false);
    assert!(ui.app.welcome());
    assert!(ui.screen().contains("Welcome to cppo"));
    ui.key(KeyCode::Char('d'));
    assert!(!ui.app.welcome());
    assert_eq!(ui.app.session().unwrap().actor.as_ref().unwrap().id.as_str(), PARTNER);
    assert_eq!(ui.app.offers().total(), Some(35));
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let mut ui = demo_as(PARTNER);
    ui.resize(79, 24);
    assert!(ui.screen().contains("Enlarge the terminal"));
    ui.resize(80, 24);
    assert!(!ui.screen().contains("Enlarge the terminal"));
}

// ---- snapshots -------------------------------------------------------------------------

fn snap(name: &str, ui: &Ui) {
    insta::assert_snapshot!(name, ui.screen());
}

/// The screen with its colours: the text, then each run of cells styled alike other than
/// plainly, as `line col-col: style "text"` (what a terminal with colour shows, and what
/// `NO_COLOR` drops: only the text above it stays).
fn colour_screen(ui: &Ui) -> String {
    use ratatui::style::{Color, Modifier};
    let mut t = Terminal::new(TestBackend::new(ui.app.width(), ui.app.height())).unwrap();
    t.draw(|f| cppo::ui::render(&ui.app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = t.backend().to_string();
    out.push_str("\n-- styles --\n");
    let style_of = |x: u16, y: u16| {
        let c = &buf[(x, y)];
        let mut parts = Vec::new();
        if c.fg != Color::Reset {
            parts.push(format!("fg {:?}", c.fg));
        }
        if c.bg != Color::Reset {
            parts.push(format!("bg {:?}", c.bg));
        }
        if c.modifier != Modifier::empty() {
            parts.push(format!("{:?}", c.modifier));
        }
        parts.join(" ")
    };
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let style = style_of(x, y);
            let start = x;
            let mut text = String::new();
            while x < buf.area.width && style_of(x, y) == style {
                text.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            if !style.is_empty() && !text.trim().is_empty() {
                out.push_str(&format!("{y:2} {start:3}-{:3}: {style} {:?}\n", x - 1, text.trim_end()));
            }
        }
    }
    out
}

fn snap_colour(name: &str, ui: &Ui) {
    insta::assert_snapshot!(name, colour_screen(ui));
}

#[test]
fn snapshots_of_each_tab_for_each_role_at_two_sizes() {
    for (who, actor) in [("partner", PARTNER), ("isv", ISV), ("buyer", BUYER)] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut ui = open(w, h, Some(actor), true);
            for (key, tab) in [('1', "partners"), ('2', "opportunities"), ('3', "offers"), ('4', "agreements")] {
                ui.key(KeyCode::Char(key));
                snap(&format!("{who}_{tab}_{w}x{h}"), &ui);
            }
        }
    }
}

/// With colour: the tabs, a filtered and sorted table, a detail with its chart, a form with
/// its picker and a confirmation, at 120x40 and 80x24. Each screen's text is also what
/// `NO_COLOR` shows (the plain snapshots cover the rest).
#[test]
fn snapshots_in_colour_at_two_sizes() {
    use cppo::app::form::FieldKey;
    for (w, h) in [(120, 40), (80, 24)] {
        let mut ui = open(w, h, Some(PARTNER), true);
        ui.key(KeyCode::Char('3'));
        snap_colour(&format!("colour_offers_{w}x{h}"), &ui);
        ui.key(KeyCode::Char('f'));
        ui.key(KeyCode::Char('s'));
        ui.key(KeyCode::Char('s'));
        snap_colour(&format!("colour_offers_draft_by_buyer_{w}x{h}"), &ui);
        ui.key(KeyCode::Char('1'));
        snap_colour(&format!("colour_partners_{w}x{h}"), &ui);
        ui.key(KeyCode::Char('2'));
        ui.key(KeyCode::Char('n'));
        ui.chars("Contoso pilot");
        ui.focus(FieldKey::Buyer);
        ui.ctrl('p');
        snap_colour(&format!("colour_offer_form_picker_{w}x{h}"), &ui);
        ui.key(KeyCode::Esc);
        ui.key(KeyCode::Esc);
        assert!(ui.app.form().is_some_and(|f| f.confirm_discard.is_some()), "typed work asks first");
        snap_colour(&format!("colour_quit_form_{w}x{h}"), &ui);
    }
}

#[test]
fn snapshots_of_details_help_and_welcome() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Enter);
    snap("partner_offer_detail_open", &ui);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Enter);
    snap("partner_opportunity_detail_open", &ui);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('?'));
    snap("help_overlay", &ui);
    let welcome = open(120, 40, None, false);
    snap("welcome", &welcome);
    let small = open(80, 24, None, false);
    snap("welcome_80x24", &small);
}

// ---- the whole deal through forms and confirmations --------------------------------------

#[test]
fn x_writes_the_change_set_of_the_selected_draft_with_its_release_when_asked() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(ISV);
    ui.poll(); // the first look takes the file as it is
    // The directory the file keeps (`cppo settings export-dir`), set from another process:
    // the TUI sees it at its next look at the file.
    let out = tempfile::tempdir().unwrap();
    let mut other = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    other.set_export_dir(Some(out.path())).unwrap();
    ui.poll();
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    while ui.form_value(&FieldKey::Partner) != PARTNER {
        ui.key(KeyCode::Right);
    }
    ui.focus(FieldKey::Name);
    ui.chars("Insight export 2027");
    ui.focus(FieldKey::Discount);
    ui.chars("20");
    ui.ctrl('s');
    let id = ui.app.opportunities().selected().unwrap().id.clone();
    let hints: Vec<String> = ui.app.hints().iter().map(|b| b.short_label()).collect();
    assert!(hints.iter().any(|k| k == "X"), "the ISV may export its draft: {hints:?}");
    ui.key(KeyCode::Char('X'));
    assert!(ui.screen().contains("r: released on AWS too"), "{}", ui.screen());
    let Some(Popup::Confirm(c)) = ui.app.popup() else { panic!("no confirmation") };
    let dir = out.path().display().to_string();
    assert!(c.lines[0].contains(&dir), "the question names the folder the file is written to: {:?}", c.lines);
    ui.key(KeyCode::Char('r'));
    assert!(ui.toast().starts_with("Wrote "), "{}", ui.toast());
    let file = out.path().join(format!("{id}.changeset.json"));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let last = v["ChangeSet"].as_array().unwrap().last().unwrap();
    assert_eq!(last["ChangeType"], "ReleaseResaleAuthorization");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "wholesale prices: the owner's alone, as the cppo file is");
    assert_eq!(ui.app.opportunities().selected().unwrap().status.to_string(), "Draft", "nothing changes in cppo");

    // Again: the record's last change set is replaced. A FIFO of that name is refused, not
    // waited on (the store worker would hang on it), and so is a link.
    ui.key(KeyCode::Char('X'));
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().starts_with("Wrote "), "{}", ui.toast());
    std::fs::remove_file(&file).unwrap();
    let c = std::ffi::CString::new(file.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let refused = |ui: &mut Ui, why: &str| {
        ui.key(KeyCode::Char('X'));
        ui.key(KeyCode::Char('y'));
        let Some(Popup::Error(e)) = ui.app.popup() else { panic!("no error: {}", ui.screen()) };
        assert!(e.contains(why) && e.ends_with("nothing was exported"), "{e}");
        ui.key(KeyCode::Esc);
    };
    refused(&mut ui, "is not a regular file (a FIFO, socket or device)");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&ui.path, &file).unwrap();
    refused(&mut ui, "is the cppo file this command has open");
    std::fs::remove_file(&file).unwrap();
    let elsewhere = out.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "mine").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
    refused(&mut ui, "is not a regular file (a symbolic link)");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "mine", "never written through a link");

    // A buyer has nothing to export; the key says why.
    ui.act_as(BUYER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('X'));
    assert!(ui.app.popup().is_none());
    assert!(ui.toast().contains("only the partner"), "{}", ui.toast());
}

/// The ISV's first demo opportunity that exports, and its export as the CLI makes it.
fn an_exportable_opportunity(ui: &Ui) -> (cppo::domain::OpportunityId, cppo::market::Export) {
    let market = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    let isv = AccountId::parse(ISV).unwrap();
    let q = cppo::market::ListQuery { limit: 500, ..Default::default() };
    let rows = market.opportunities(&isv, None, &q).unwrap().rows;
    rows.iter()
        .find_map(|o| market.export(&isv, &o.id.clone().into(), false).ok().map(|e| (o.id.clone(), e)))
        .expect("an opportunity the ISV can export")
}

/// `cppo export ID` as `actor`, on the file the TUI has open: (exit code, stderr).
fn cli_export(ui: &Ui, actor: &str, id: &str) -> (Option<i32>, String) {
    let o = env::cppo(ui._dir.path())
        .arg("--db")
        .arg(&ui.path)
        .args(["--now", &today().to_string(), "--as", actor, "export", id])
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn x_says_the_exports_notes_in_full_when_the_line_holds_them_else_how_many_and_where_to_read_them() {
    let mut ui = demo_as(ISV);
    ui.poll();
    let out = tempfile::tempdir().unwrap();
    let mut other = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    other.set_export_dir(Some(out.path())).unwrap();
    ui.poll();
    let (id, export) = an_exportable_opportunity(&ui);
    assert!(!export.notes.is_empty(), "an export made in cppo says what AWS does with its id");
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('/'));
    ui.chars(id.as_str());
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('X'));
    ui.key(KeyCode::Char('y'));
    // 120 columns do not hold the note: the toast says how many, before the long command.
    let n = export.notes.len();
    let count = format!("; {n} note{}: see cppo export {id}). Submit it: ", if n == 1 { "" } else { "s" });
    assert!(ui.toast().contains(&count), "{}", ui.toast());
    let file = out.path().canonicalize().unwrap().join(format!("{id}.changeset.json"));
    assert!(
        ui.toast()
            .ends_with(&format!("aws marketplace-catalog start-change-set --cli-input-json file://{}", file.display())),
        "the command names the file where it was written: {}",
        ui.toast()
    );
    // The CLI says the same notes.
    let (code, stderr) = cli_export(&ui, ISV, id.as_str());
    assert_eq!(code, Some(0), "{stderr}");
    for note in &export.notes {
        assert!(stderr.contains(&format!("note: {note}")), "{stderr}");
    }
    // A terminal wide enough: every note, in full, on the screen.
    ui.resize(600, 40);
    ui.key(KeyCode::Char('X'));
    ui.key(KeyCode::Char('y'));
    let screen = ui.screen();
    for note in &export.notes {
        assert!(ui.toast().contains(&format!("Note: {note}")), "{}", ui.toast());
        assert!(screen.contains(note.as_str()), "{screen}");
    }
}

#[test]
fn x_on_a_record_that_cannot_export_says_why_in_the_words_of_cppo_export() {
    let mut ui = demo_as(PARTNER);
    // A partner's offer made from an opportunity AWS does not hold yet, and one it cannot
    // export at all (the ISV's opportunity).
    let market = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    let partner = AccountId::parse(PARTNER).unwrap();
    let q = cppo::market::ListQuery { limit: 500, ..Default::default() };
    let offer = market.offers(&partner, None, &q).unwrap().rows[0].id.clone();
    let opportunity = market.opportunities(&partner, None, &q).unwrap().rows[0].id.clone();
    for (tab, id) in [('3', offer.as_str()), ('2', opportunity.as_str())] {
        ui.key(KeyCode::Char(tab));
        ui.key(KeyCode::Char('/'));
        ui.chars(id);
        ui.key(KeyCode::Enter);
        ui.key(KeyCode::Char('X'));
        assert!(ui.app.popup().is_none(), "no confirmation for what cannot be exported");
        let why = ui.toast();
        let (code, stderr) = cli_export(&ui, PARTNER, id);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(stderr, format!("error: {why}\n"), "X says why as `cppo export {id}` does");
        ui.key(KeyCode::Esc);
    }
}

#[test]
fn grant_offer_release_accept_and_pay_all_in_the_tui() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(ISV);

    // The ISV grants an opportunity to Northwind and releases it.
    ui.key(KeyCode::Char('2'));
    let before = ui.app.opportunities().total().unwrap();
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_some(), "n opens the grant form");
    while ui.form_value(&FieldKey::Partner) != PARTNER {
        ui.key(KeyCode::Right);
    }
    ui.focus(FieldKey::Name);
    ui.chars("Insight pilot 2027");
    ui.focus(FieldKey::Discount);
    ui.chars("20");
    ui.focus(FieldKey::EndsOn);
    ui.chars("2027-03-31");
    ui.ctrl('s');
    assert!(ui.app.form().is_none(), "saved: {:?}", ui.app.popup());
    assert!(ui.toast().contains("Granted draft opportunity"), "{}", ui.toast());
    assert_eq!(ui.app.opportunities().total(), Some(before + 1));
    assert_eq!(ui.app.opportunities().selected().unwrap().name, "Insight pilot 2027");
    ui.key(KeyCode::Char('r'));
    assert!(matches!(ui.app.popup(), Some(Popup::Confirm(_))), "r asks first");
    assert!(ui.screen().contains("Its terms are frozen once released"));
    ui.key(KeyCode::Char('y'));
    assert_eq!(ui.app.opportunities().selected().unwrap().status.to_string(), "Authorized");

    // The partner makes an offer from it and releases it.
    ui.act_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    assert_eq!(ui.app.opportunities().selected().unwrap().name, "Insight pilot 2027");
    ui.key(KeyCode::Char('n'));
    let form = ui.app.form().expect("n opens the offer form");
    let order: Vec<&FieldKey> = form.fields.iter().map(|f| &f.key).take(4).collect();
    assert_eq!(order, [&FieldKey::Name, &FieldKey::Buyer, &FieldKey::Markup, &FieldKey::Expires], "field order");
    ui.chars("Contoso pilot");
    ui.key(KeyCode::Tab);
    ui.chars(BUYER);
    ui.key(KeyCode::Tab);
    ui.chars("10");
    ui.key(KeyCode::Tab);
    ui.chars("2026-12-31");
    let quantity = ui.app.form().unwrap().fields.iter().find_map(|f| match &f.key {
        FieldKey::Quantity(k) => Some(k.clone()),
        _ => None,
    });
    ui.focus(FieldKey::Quantity(quantity.expect("a contract dimension")));
    ui.chars("100");
    let preview = ui.app.form().unwrap().preview.clone().expect("a live breakdown").expect("priced");
    assert!(preview.buyer_total.amount() > preview.wholesale_total.amount());
    assert!(ui.screen().contains("Partner receives"));
    ui.ctrl('s');
    assert!(ui.toast().contains("Created draft offer"), "{}", ui.toast());
    ui.key(KeyCode::Char('3'));
    let offer = ui.app.offers().selected().unwrap().clone();
    assert_eq!((offer.name.as_str(), offer.status.label()), ("Contoso pilot", "Draft"));
    ui.key(KeyCode::Char('r'));
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.offers().selected().unwrap().status.to_string(), "Active");

    // The buyer accepts and pays.
    ui.act_as(BUYER);
    ui.key(KeyCode::Char('3'));
    assert_eq!(ui.app.offers().selected().unwrap().id, offer.id);
    ui.key(KeyCode::Char('a'));
    assert!(ui.screen().contains("You agree to pay"));
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().contains("agreement"), "{}", ui.toast());
    assert_eq!(ui.app.offers().selected().unwrap().status.to_string(), "Accepted");
    ui.key(KeyCode::Char('p'));
    assert!(ui.screen().contains("seller of record"));
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().starts_with("Paid"), "{}", ui.toast());

    // The disbursements appear for the ISV and the partner, and they add up.
    let market = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    let (_, view) = market.offer(&AccountId::parse(PARTNER).unwrap(), &offer.id).unwrap();
    let agreement = view.agreement_id.clone().unwrap();
    let isv = market.disbursements(&AccountId::parse(ISV).unwrap(), Some(&agreement)).unwrap();
    let partner = market.disbursements(&AccountId::parse(PARTNER).unwrap(), Some(&agreement)).unwrap();
    assert_eq!(isv.len(), 1);
    assert_eq!(partner.len(), 1);
    assert_eq!(Some(isv[0].amount), view.isv_net.and_then(|f| f.known()));
    assert_eq!(Some(partner[0].amount), view.partner_net.and_then(|f| f.known()));
}

#[test]
fn an_action_the_domain_refuses_says_why_instead_of_asking() {
    let mut ui = demo_as(BUYER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('r'));
    assert!(ui.app.popup().is_none());
    assert!(ui.toast().contains("only the partner"), "{}", ui.toast());
    assert!(ui.app.toast_warn());
}

#[test]
fn a_failed_save_keeps_what_was_typed() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    ui.key(KeyCode::Char('n'));
    // An account that already exists: the use case refuses it on save.
    ui.chars(ISV);
    ui.key(KeyCode::Tab);
    ui.chars("Duplicate Inc.");
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Char(' '));
    ui.ctrl('s');
    // A rule refused it: the form says why on its own line, no modal error.
    assert!(ui.app.popup().is_none(), "{:?}", ui.app.popup());
    let message = ui.app.form().unwrap().message.clone().unwrap_or_default();
    assert!(message.starts_with("Can't save:") && message.contains("already exists"), "{message}");
    assert!(ui.screen().contains("already exists"), "{}", ui.screen());
    assert_eq!(ui.form_value(&FieldKey::LegalName), "Duplicate Inc.");
    ui.key(KeyCode::Esc);
    assert_eq!(
        ui.app.form().unwrap().confirm_discard,
        Some(cppo::app::form::Discard::Close),
        "Esc asks before discarding typed input"
    );
    ui.key(KeyCode::Char('y'));
    assert!(ui.app.form().is_none());
}

#[test]
fn the_review_queue_steps_through_what_needs_the_partner() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('v'));
    let r = ui.app.review().expect("the queue opens");
    let n = r.queue.items.len();
    assert!(n >= 3, "{n}");
    let dues: Vec<_> = r.queue.items.iter().map(|i| i.due).collect();
    let mut sorted = dues.clone();
    sorted.sort_by_key(|d| d.unwrap_or(NaiveDate::MAX));
    assert_eq!(dues, sorted, "nearest deadline first");
    assert!(ui.screen().contains(&format!("1 of {n}")));
    ui.key(KeyCode::Char(' '));
    assert_eq!(ui.app.review().unwrap().index, 1);
    assert!(ui.screen().contains(&format!("2 of {n}")));
    insta::assert_snapshot!("review_queue", ui.screen());
    // A count per kind in the title, and b goes back.
    let counts: usize = ui.app.review().unwrap().queue.counts().iter().map(|(_, n)| n).sum();
    assert_eq!(counts, n);
    assert!(ui.screen().contains("Review queue, nearest deadline first: "), "{}", ui.screen());
    ui.key(KeyCode::Char('b'));
    assert_eq!(ui.app.review().unwrap().index, 0);
    ui.key(KeyCode::Esc);
    assert!(ui.app.review().is_none());
}

#[test]
fn snapshots_of_forms_and_confirmations() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    snap("offer_form_empty", &ui);
    ui.chars("x");
    ui.key(KeyCode::Tab);
    ui.chars("12345");
    ui.key(KeyCode::Tab);
    ui.chars("1e3");
    snap("offer_form_errors", &ui);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('y'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Contoso runtime pilot");
    ui.key(KeyCode::Tab);
    ui.chars(BUYER);
    ui.key(KeyCode::Tab);
    ui.chars("12.5");
    ui.key(KeyCode::Tab);
    ui.chars("2026-12-20");
    ui.key(KeyCode::Tab);
    ui.chars("40");
    snap("offer_form_filled", &ui);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('y'));

    let mut isv = demo_as(ISV);
    isv.key(KeyCode::Char('2'));
    isv.key(KeyCode::Char('n'));
    snap("opportunity_form_empty", &isv);
    isv.focus(FieldKey::Name);
    isv.chars("Insight pilot");
    isv.focus(FieldKey::Discount);
    isv.chars("150");
    snap("opportunity_form_errors", &isv);
    isv.key(KeyCode::Backspace);
    isv.key(KeyCode::Backspace);
    isv.key(KeyCode::Backspace);
    isv.chars("20");
    isv.focus(FieldKey::EndsOn);
    isv.chars("2027-03-31");
    snap("opportunity_form_filled", &isv);

    let mut p = demo_as(PARTNER);
    p.key(KeyCode::Char('1'));
    p.key(KeyCode::Char('n'));
    snap("account_form_empty", &p);
    p.chars("123456789012");
    p.key(KeyCode::Tab);
    p.chars("Fourth Coffee Partners");
    p.key(KeyCode::Tab);
    p.key(KeyCode::Tab);
    p.key(KeyCode::Char(' '));
    p.key(KeyCode::Tab);
    p.key(KeyCode::Char(' '));
    snap("account_form_filled", &p);

    // The ISV's confirmations: release a draft opportunity, end an active one.
    let mut i = demo_as(ISV);
    i.key(KeyCode::Char('2'));
    while i.app.opportunities().selected().unwrap().status.to_string() != "Draft" {
        i.key(KeyCode::Char('j'));
    }
    i.key(KeyCode::Char('r'));
    snap("confirm_release_opportunity", &i);
    i.key(KeyCode::Esc);
    while i.app.opportunities().selected().unwrap().status.to_string() != "Reusable" {
        i.key(KeyCode::Char('j'));
    }
    i.key(KeyCode::Char('x'));
    snap("confirm_end_opportunity", &i);

    // Each confirmation: release (draft offer), cancel (active offer), extend form.
    let mut c = demo_as(PARTNER);
    c.key(KeyCode::Char('r'));
    snap("confirm_release_offer", &c);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('j'));
    c.key(KeyCode::Char('j'));
    c.key(KeyCode::Char('x'));
    snap("confirm_cancel_offer", &c);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('E'));
    snap("extend_form", &c);
    let mut b = demo_as(BUYER);
    b.key(KeyCode::Char('v'));
    b.key(KeyCode::Char('p'));
    snap("confirm_pay_charge", &b);
    let mut a = demo_as("143589067221"); // Litware, with an offer awaiting acceptance
    while a.app.offers().selected().unwrap().status.to_string() != "Active" {
        a.key(KeyCode::Char('j'));
    }
    a.key(KeyCode::Char('a'));
    assert!(matches!(a.app.popup(), Some(Popup::Confirm(_))));
    snap("confirm_accept_offer", &a);
}

#[test]
fn the_first_account_can_be_added_from_the_welcome_screen() {
    let mut ui = open(120, 40, None, false);
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_some());
    assert!(ui.screen().contains("Add an account"));
    ui.chars("123456789012");
    ui.key(KeyCode::Tab);
    ui.chars("Acme Analytics");
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Char(' '));
    ui.ctrl('s');
    assert!(ui.app.form().is_none(), "{:?}", ui.app.popup());
    assert!(!ui.app.welcome());
    let s = ui.app.session().unwrap();
    let actor = s.actor.as_ref().unwrap();
    assert_eq!((actor.id.as_str(), actor.roles.names()), ("123456789012", vec!["isv"]));
}

#[test]
fn imported_records_show_their_source_and_summaries_are_counted_in_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cppo.db");
    let mut market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
    let fixtures = format!("{}/tests/fixtures/aws", env!("CARGO_MANIFEST_DIR"));
    let mut entries = Vec::new();
    for name in ["list-resale-authorizations.json", "describe-ra-contract.json"] {
        let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
        entries.extend(cppo::aws::import::read(name, &text).unwrap());
    }
    let partner = AccountId::parse("420061735518").unwrap();
    market.import(&partner, &entries, cppo::market::ImportOptions::default()).unwrap();
    let worker = Worker::new(market, Some(partner));
    let mut ui = Ui { _dir: dir, path, app: App::new(120, 40), worker };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    ui.key(KeyCode::Char('2'));
    let screen = ui.screen();
    assert!(screen.contains("5 more by AWS summary only: import their describe-entity"), "{screen}");
    assert!(screen.contains("Source            AWS Marketplace, revision 4, imported"), "{screen}");
}

#[test]
fn a_change_set_aws_refused_shows_its_errors_in_the_detail_pane_and_x_says_why_an_offer_waits() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file::copy_demo(&dir.path().join("cppo.db"));
    let mut market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
    let (isv, partner) = (AccountId::parse(ISV).unwrap(), AccountId::parse(PARTNER).unwrap());
    // One of the ISV's opportunities, exported; AWS refuses the change set.
    let q = cppo::market::ListQuery { limit: 500, ..Default::default() };
    let rows = market.opportunities(&isv, None, &q).unwrap().rows;
    let (opp, request) = rows
        .iter()
        .find_map(|o| market.export(&isv, &o.id.clone().into(), false).ok().map(|e| (o.id.clone(), e)))
        .expect("an opportunity the ISV can export");
    let request: serde_json::Value = serde_json::from_str(&request.change_set.to_json()).unwrap();
    let refused = aws_answers::failed(&request, "cs-tui1", &[("UpdateLegalTerms", "INVALID_EULA", "The EULA is gone")]);
    let entries = cppo::aws::import::read("failed.json", &refused.to_string()).unwrap();
    let r = market.import(&isv, &entries, cppo::market::ImportOptions::default()).unwrap();
    assert_eq!(r.lines[0].outcome.label(), "failed", "{r:#?}");
    // A partner's offer made from an opportunity AWS does not hold: X waits for it.
    let offers = market.offers(&partner, None, &q).unwrap().rows;
    let waiting = offers
        .iter()
        .find(|o| {
            let (rec, _) = market.offer(&partner, &o.id).unwrap();
            let opp = market.opportunity_record(&rec.offer.opportunity_id).unwrap();
            let actions = market.offer_actions(&partner, &rec.offer, &opp, None);
            actions.iter().any(|(v, r)| {
                *v == cppo::market::actions::Verb::Export
                    && r.as_ref().is_err_and(|e| e.contains("AWS does not hold it yet"))
            })
        })
        .map(|o| o.id.clone())
        .expect("an offer waiting for its opportunity");
    let worker = Worker::new(market, Some(isv));
    let mut ui = Ui { _dir: dir, path, app: App::new(160, 40), worker };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('/'));
    ui.chars(opp.as_str());
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("AWS refused       change set cs-tui1 (CLIENT_ERROR)"), "{screen}");
    assert!(screen.contains("AWS error         UpdateLegalTerms: INVALID_EULA The EULA is gone"), "{screen}");

    ui.act_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('/'));
    ui.chars(waiting.as_str());
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('X'));
    assert!(ui.app.popup().is_none());
    assert!(ui.toast().contains("was made in cppo and AWS does not hold it yet"), "{}", ui.toast());
}

#[test]
fn ctrl_c_quits_from_everywhere_asking_first_only_when_typed_work_would_be_lost() {
    // The help, the account picker, the filter prompt and a confirmation: quit at once.
    for open in [
        &[KeyCode::Char('?')][..],
        &[KeyCode::Char('@')],
        &[KeyCode::Char('/')],
        &[KeyCode::Char('3'), KeyCode::Char('x')],
    ] {
        let mut ui = demo_as(PARTNER);
        for k in open {
            ui.key(*k);
        }
        ui.ctrl('c');
        assert!(ui.app.quit(), "Ctrl-c after {open:?} did not quit");
    }
    // An untouched form: at once.
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('n'));
    ui.ctrl('c');
    assert!(ui.app.quit());
    // A form with typed work: asks; `n` goes back with the work kept; Ctrl-c again quits.
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    ui.key(KeyCode::Char('n'));
    ui.chars("123412341234");
    ui.ctrl('c');
    assert!(!ui.app.quit());
    assert!(ui.screen().contains("Quit and lose what you typed?"), "{}", ui.screen());
    ui.key(KeyCode::Char('n'));
    assert!(!ui.app.quit());
    assert!(ui.app.form().unwrap().confirm_discard.is_none());
    ui.ctrl('c');
    ui.ctrl('c');
    assert!(ui.app.quit());
}

#[test]
fn an_account_on_both_sides_sees_each_figure_under_its_own_header() {
    // Nimbus is the ISV of fifteen offers and the buyer of one.
    let mut ui = demo_as("265193408771");
    ui.key(KeyCode::Char('3'));
    let screen = ui.screen();
    assert!(screen.contains("Wholesale") && screen.contains("Buyer total"), "{screen}");
    let buyer_row = screen.lines().find(|l| l.contains("69,795.00")).expect("the offer Nimbus buys");
    let header = screen.lines().find(|l| l.contains("Buyer total")).unwrap();
    let (col, at) = (header.find("Buyer total").unwrap(), buyer_row.find("69,795.00").unwrap());
    assert!(at + "69,795.00 USD".len() >= col && at < col + 18, "not under Buyer total:\n{header}\n{buyer_row}");
}

#[test]
fn the_offer_form_prices_every_key_itself_without_asking_the_store() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Contoso runtime pilot");
    ui.focus(FieldKey::Buyer);
    ui.chars(BUYER);
    ui.focus(FieldKey::Expires);
    ui.chars("2026-12-20");
    ui.focus(FieldKey::Markup);
    // Each key of the markup and the quantity: no effect for the worker, a fresh price.
    for c in "12.5".chars() {
        let fx = ui.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        assert!(fx.is_empty(), "typing asked the store: {fx:?}");
    }
    let form = ui.app.form().unwrap();
    let preview = form.preview.as_ref().expect("a preview").as_ref().expect("priced");
    assert_eq!(preview.markup_pct, rust_decimal::dec!(12.5));
    // A refusal of the domain shows in the form, also without the store.
    ui.focus(FieldKey::Buyer);
    for _ in 0..12 {
        ui.key(KeyCode::Backspace);
    }
    for c in PARTNER.chars() {
        let fx = ui.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        assert!(fx.is_empty());
    }
    let form = ui.app.form().unwrap();
    assert!(matches!(form.preview, Some(Err(ref why)) if why.contains("is not among them")), "{:?}", form.preview);
}

#[test]
fn a_bad_quantity_shows_its_error_beside_the_field_instead_of_pricing_zero() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('n'));
    ui.chars("Contoso runtime pilot");
    ui.focus(FieldKey::Buyer);
    ui.chars(BUYER);
    ui.focus(FieldKey::Expires);
    ui.chars("2026-12-20");
    ui.focus(FieldKey::Markup);
    ui.chars("10");
    let key = ui.app.form().unwrap().fields.iter().find_map(|f| match &f.key {
        FieldKey::Quantity(k) => Some(k.clone()),
        _ => None,
    });
    let key = FieldKey::Quantity(key.expect("a contract dimension"));
    ui.focus(key.clone());
    ui.chars("100");
    let priced = |ui: &Ui| ui.app.form().unwrap().preview.clone();
    assert!(matches!(priced(&ui), Some(Ok(ref b)) if b.wholesale_total.amount() > rust_decimal::Decimal::ZERO));
    let error = |ui: &Ui| ui.app.form().unwrap().fields.iter().find(|f| f.key == key).unwrap().error.clone();
    // Over the cap, and over what a u64 holds (24 digits): too large, not "not a number".
    let (over, huge) = ("0".repeat(6), "0".repeat(21));
    for (typed, says) in [
        ("x", "`100x` is not a whole number of units".to_owned()),
        (over.as_str(), "`100000000` is too large: at most 10000000 units".to_owned()),
        (huge.as_str(), format!("`100{huge}` is too large: at most 10000000 units")),
    ] {
        ui.chars(typed);
        assert_eq!(error(&ui), Some(says.clone()));
        assert_eq!(priced(&ui), None, "{typed}: no price for terms that do not parse");
        let head = says.split(':').next().unwrap();
        assert!(ui.screen().contains(&format!("↳ {head}")), "the error shows beside the field:\n{}", ui.screen());
        ui.ctrl('s');
        assert!(ui.app.form().is_some(), "{typed}: not saved");
        for _ in 0..typed.len() {
            ui.key(KeyCode::Backspace);
        }
    }
    assert_eq!(error(&ui), None);
    assert!(matches!(priced(&ui), Some(Ok(_))));
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small_to_show_them() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    let before = ui.app.offers().selected().map(|o| (o.id.clone(), o.status));
    ui.app.handle_event(&Event::Resize(60, 20));
    assert!(ui.screen().contains("Enlarge the terminal"));
    // `x` then `y` would cancel the selected offer unseen.
    for k in ['j', 'x', 'y', 'r', 'y'] {
        ui.key(KeyCode::Char(k));
    }
    assert!(ui.app.popup().is_none() && !ui.app.quit());
    ui.app.handle_event(&Event::Resize(120, 40));
    assert_eq!(ui.app.offers().selected().map(|o| (o.id.clone(), o.status)), before, "nothing moved or changed");
    ui.app.handle_event(&Event::Resize(60, 20));
    ui.key(KeyCode::Char('q'));
    assert!(ui.app.quit(), "q still quits");
}

#[test]
fn the_selected_row_has_a_marker_that_needs_no_colour() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('j'));
    let screen = ui.screen();
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains('▶')).collect();
    assert_eq!(marked.len(), 1, "one marked row:\n{screen}");
    let selected = ui.app.offers().selected().unwrap();
    assert!(marked[0].contains(&selected.name[..20]), "the marker is on the selected row: {}", marked[0]);
}

#[test]
fn a_record_made_in_a_form_is_under_the_cursor_whatever_the_sort_and_filter_were() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('s')); // another sort than "created"
    ui.key(KeyCode::Char('/'));
    ui.chars("Litware");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Name);
    ui.chars("Zebra pilot for Contoso");
    ui.focus(FieldKey::Buyer);
    ui.chars(BUYER);
    ui.focus(FieldKey::Markup);
    ui.chars("10");
    ui.focus(FieldKey::Expires);
    ui.chars("2026-11-30");
    let quantity = ui.app.form().unwrap().fields.iter().find_map(|f| match &f.key {
        FieldKey::Quantity(k) => Some(k.clone()),
        _ => None,
    });
    ui.focus(FieldKey::Quantity(quantity.expect("a contract dimension")));
    ui.chars("5");
    ui.ctrl('s');
    assert!(ui.toast().starts_with("Created draft offer"), "{}", ui.toast());
    assert_eq!(ui.app.tab(), Tab::Offers);
    let selected = ui.app.offers().selected().expect("a selected row");
    assert_eq!(selected.name, "Zebra pilot for Contoso");
    assert!(ui.toast().contains(selected.id.as_str()), "the toast names the row under the cursor");
    // `r` acts on it.
    ui.key(KeyCode::Char('r'));
    assert!(ui.screen().contains("Release Zebra pilot for Contoso?"), "{}", ui.screen());
}

#[test]
fn f_narrows_a_table_to_one_status_at_a_time_with_the_filter() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    let all = ui.app.offers().total().unwrap();
    let mut seen = 0;
    for status in ["Draft", "Active", "Accepted", "Expired", "Cancelled"] {
        ui.key(KeyCode::Char('f'));
        assert!(ui.screen().contains(&format!("status: {status}")), "{}", ui.screen());
        let n = ui.app.offers().total().unwrap();
        for i in 0..n {
            assert_eq!(ui.app.offers().row(i).unwrap().status.label(), status);
        }
        seen += n;
    }
    assert_eq!(seen, all, "the statuses split the offers");
    ui.key(KeyCode::Char('f'));
    assert_eq!(ui.app.offers().total(), Some(all), "then all again");
    assert!(!ui.screen().contains("status:"));
    // With a text filter: both hold.
    ui.key(KeyCode::Char('/'));
    ui.chars("Contoso");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('f'));
    ui.key(KeyCode::Char('f'));
    let n = ui.app.offers().total().unwrap();
    for i in 0..n {
        let o = ui.app.offers().row(i).unwrap();
        assert_eq!(o.status.label(), "Active");
    }
    assert!(ui.screen().contains("filter: \"Contoso\"") && ui.screen().contains("status: Active"));
}

#[test]
fn d_deletes_a_draft_after_asking_and_says_why_not_on_a_released_one() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('f')); // Draft
    let drafts = ui.app.offers().total().unwrap();
    assert!(drafts > 0, "the demo has draft offers");
    let name = ui.app.offers().selected().unwrap().name.clone();
    ui.key(KeyCode::Char('D'));
    assert_eq!(ui.confirm_title(), Some(format!("Delete {name}")));
    assert!(ui.screen().contains(&format!("Delete {name}?")), "{}", ui.screen());
    ui.key(KeyCode::Char('n'));
    assert_eq!(ui.app.offers().total(), Some(drafts), "n keeps it");
    ui.key(KeyCode::Char('D'));
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().starts_with("Deleted draft"), "{}", ui.toast());
    assert_eq!(ui.app.offers().total(), Some(drafts - 1));
    // A released offer is cancelled, not deleted: the key says why instead of asking.
    ui.key(KeyCode::Char('f')); // Active
    ui.key(KeyCode::Char('D'));
    assert_eq!(ui.confirm_title(), None);
    assert!(ui.screen().contains("only drafts can be deleted"), "{}", ui.screen());
}

#[test]
fn slash_finds_rows_by_the_names_the_table_shows_and_a_status_word_becomes_the_status_filter() {
    const CONTOSO: &str = "221078463519"; // Contoso Retail Ltd
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('/'));
    ui.chars("retail ltd");
    ui.key(KeyCode::Enter);
    let n = ui.app.offers().total().unwrap();
    assert!(n > 0, "the buyer's name finds its offers");
    for i in 0..n {
        let o = ui.app.offers().row(i).unwrap();
        assert_eq!(o.buyer_account_id.as_ref().map(|a| a.as_str()), Some(CONTOSO), "{}", o.name);
    }
    // An ISV's name, and a product's title.
    for name in ["Shield Security", "Endpoint Detection"] {
        ui.key(KeyCode::Esc);
        ui.key(KeyCode::Char('/'));
        ui.chars(name);
        ui.key(KeyCode::Enter);
        let n = ui.app.offers().total().unwrap();
        assert!(n > 0, "{name}: {}", ui.screen());
        assert!((0..n).any(|i| !ui.app.offers().row(i).unwrap().name.contains(name)), "{name} matched by a name");
    }
    // On Opportunities, the kind as shown.
    ui.key(KeyCode::Char('2'));
    ui.key(KeyCode::Char('/'));
    ui.chars("one-time");
    ui.key(KeyCode::Enter);
    let n = ui.app.opportunities().total().unwrap();
    assert!(n > 0);
    for i in 0..n {
        assert_eq!(ui.app.opportunities().row(i).unwrap().kind, cppo::domain::OpportunityKind::OneTime);
    }
    // A status's name is the status filter `f` sets.
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('/'));
    ui.chars("draft");
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("status: Draft") && !screen.contains("filter:"), "{screen}");
    let n = ui.app.offers().total().unwrap();
    assert!(n > 0);
    for i in 0..n {
        assert_eq!(ui.app.offers().row(i).unwrap().status.label(), "Draft");
    }
}

#[test]
fn an_offer_is_made_with_pickers_without_typing_an_account_id() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_some(), "{}", ui.screen());
    // The opportunity: a choice, searched by typing.
    ui.focus(FieldKey::Opportunity);
    ui.chars("runtime");
    assert!(ui.screen().contains("Pick the opportunity"), "{}", ui.screen());
    ui.key(KeyCode::Enter);
    assert!(ui.app.form().unwrap().picker.is_none());
    let chosen = ui.app.form().unwrap().chosen_opportunity().unwrap().clone();
    assert_eq!(chosen.id.as_str(), ui.form_value(&FieldKey::Opportunity));
    ui.focus(FieldKey::Name);
    ui.chars("Picked pilot");
    // The buyer: a name typed where the id goes opens the list of buyers.
    ui.focus(FieldKey::Buyer);
    ui.chars("contoso");
    let screen = ui.screen();
    assert!(screen.contains("Pick the buyer account") && screen.contains("Contoso Retail Ltd"), "{screen}");
    snap("picker_buyer", &ui);
    ui.key(KeyCode::Enter);
    assert_eq!(ui.form_value(&FieldKey::Buyer), BUYER);
    let screen = ui.screen();
    let line = screen.lines().find(|l| l.contains("Buyer account ")).unwrap();
    assert!(line.contains(BUYER) && line.contains("Contoso Retail Ltd"), "the name beside the id: {screen}");
    // Esc in a picker goes back to the form, keeping the value.
    ui.ctrl('p');
    assert!(ui.app.form().unwrap().picker.is_some());
    ui.key(KeyCode::Esc);
    assert!(ui.app.form().is_some() && ui.app.form().unwrap().picker.is_none());
    assert_eq!(ui.form_value(&FieldKey::Buyer), BUYER);
}

#[test]
fn the_offer_form_reads_what_people_type_and_asks_about_a_huge_markup() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Name);
    ui.chars("Typo check");
    ui.focus(FieldKey::Buyer);
    ui.chars("contoso");
    ui.key(KeyCode::Enter);
    ui.focus(FieldKey::Expires);
    ui.chars("2026-02-30");
    assert!(ui.screen().contains("no such day: February 2026 has 28 days"), "{}", ui.screen());
    for _ in 0.."2026-02-30".len() {
        ui.key(KeyCode::Backspace);
    }
    ui.chars("2026-12-20");
    let quantity = ui.app.form().unwrap().fields.iter().find_map(|f| match &f.key {
        FieldKey::Quantity(k) => Some(k.clone()),
        _ => None,
    });
    ui.focus(FieldKey::Quantity(quantity.expect("a contract dimension")));
    ui.chars("3");
    ui.focus(FieldKey::Markup);
    ui.chars("250%");
    assert!(ui.app.form().unwrap().fields.iter().all(|f| f.error.is_none()), "`250%` reads as 250");
    ui.ctrl('s');
    assert!(ui.screen().contains("A markup of 250%") && ui.screen().contains("Save anyway?"), "{}", ui.screen());
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_some_and(|f| f.confirm_save.is_none()), "n goes back to the form");
    ui.ctrl('s');
    ui.key(KeyCode::Char('y'));
    assert!(ui.toast().starts_with("Created draft offer"), "{}", ui.toast());
}

#[test]
fn t_shows_the_coming_weeks_of_expiries_in_place_of_the_detail() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    ui.key(KeyCode::Char('t'));
    assert!(ui.toast().contains("on the Offers tab"), "{}", ui.toast());
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('t'));
    let weeks = ui.app.expiries().expect("shown").to_vec();
    assert_eq!(weeks.len(), 13);
    // The oracle: the Active offers on the tab expiring within 91 days of today.
    let today = today();
    let n = ui.app.offers().total().unwrap();
    let mut want = vec![0u64; 13];
    for i in 0..n {
        let o = ui.app.offers().row(i).unwrap();
        if let (cppo::domain::OfferStatus::Active, Some(e)) = (o.status, o.expires_on) {
            let days = (e - today).num_days();
            if (0..91).contains(&days) {
                want[(days / 7) as usize] += 1;
            }
        }
    }
    assert_eq!(weeks, want);
    let total: u64 = want.iter().sum();
    assert!(total > 0, "the demo has offers expiring soon");
    assert!(ui.screen().contains(&format!("Expiring: {total} Active offers in the next 13 weeks")), "{}", ui.screen());
    snap("offers_expiries", &ui);
    ui.key(KeyCode::Char('t'));
    assert!(ui.app.expiries().is_none() && !ui.screen().contains("Expiring:"));
}

#[test]
fn the_detail_scrolls_with_j_and_k_and_says_how_much_more_there_is() {
    let mut ui = demo_as(PARTNER);
    ui.resize(80, 24);
    ui.key(KeyCode::Char('3'));
    let bottom = |ui: &Ui| ui.screen().lines().rev().nth(1).unwrap_or_default().to_owned();
    assert!(bottom(&ui).contains("more lines: J scrolls"), "{}", ui.screen());
    let before = ui.screen();
    ui.key(KeyCode::Char('J'));
    assert_eq!(ui.app.detail_scroll(), 3);
    assert_ne!(ui.screen(), before, "the detail moved");
    for _ in 0..50 {
        ui.key(KeyCode::Char('J'));
    }
    assert!(bottom(&ui).contains("K scrolls back"), "{}", ui.screen());
    let max = ui.app.detail_scroll();
    ui.key(KeyCode::Char('K'));
    assert_eq!(ui.app.detail_scroll(), max - 3, "no dead presses past the end");
    // Another record starts at its top.
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.detail_scroll(), 0);
}

#[test]
fn a_write_by_another_program_is_noticed_and_the_cursor_stays_on_its_record() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Char('j'));
    let on = ui.app.offers().selected().unwrap().id.clone();
    let before = ui.app.offers().total().unwrap();
    ui.poll(); // the first look takes the file as it is
    assert!(!ui.toast().contains("The file changed"));
    // Another program (the CLI, say) makes an offer: the newest, first in the table.
    let mut other = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    let me = AccountId::parse(PARTNER).unwrap();
    let opp = other.offer_targets(&me).unwrap().remove(0);
    let terms = cppo::domain::offer::OfferTerms {
        name: "Made elsewhere".into(),
        description: String::new(),
        buyer: opp.buyer_account_ids.first().cloned(),
        markup_pct: rust_decimal::Decimal::TEN,
        expires_on: None,
        quantities: Vec::new(),
        duration: None,
    };
    other.create_offer(&me, &opp.id, terms, false).unwrap();
    ui.poll();
    assert!(ui.toast().contains("The file changed"), "{}", ui.toast());
    assert_eq!(ui.app.offers().total(), Some(before + 1), "the new offer is counted");
    assert_eq!(ui.app.offers().selected().unwrap().id, on, "the cursor stayed on its record");
    assert!(ui.app.offers().find(|o| o.name == "Made elsewhere").is_some());
}

#[test]
fn enter_drills_down_from_a_partner_to_its_opportunities_to_their_offers_and_esc_comes_back() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    ui.key(KeyCode::Char('j'));
    let partner = ui.app.partners().rows[ui.app.partners().cursor].clone();
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.tab(), Tab::Opportunities);
    assert!(ui.screen().contains(&format!("of {} (Esc: back to Partners)", partner.name)), "{}", ui.screen());
    let n = ui.app.opportunities().total().unwrap();
    assert!(n > 0);
    for i in 0..n {
        assert_eq!(ui.app.opportunities().row(i).unwrap().isv_account_id, partner.account_id);
    }
    ui.key(KeyCode::Char('j'));
    let opp = ui.app.opportunities().selected().unwrap().clone();
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.tab(), Tab::Offers);
    for i in 0..ui.app.offers().total().unwrap() {
        assert_eq!(ui.app.offers().row(i).unwrap().opportunity_id, opp.id);
    }
    // Back up, level by level, to the rows left.
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.tab(), Tab::Opportunities);
    assert_eq!(ui.app.opportunities().selected().unwrap().id, opp.id);
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.tab(), Tab::Partners);
    assert_eq!(ui.app.partners().rows[ui.app.partners().cursor].account_id, partner.account_id);
    // The lists are as they were.
    assert!(ui.app.opportunities().filter.is_empty() && ui.app.offers().filter.is_empty());
    assert!(!ui.screen().contains("Esc: back"));
}

#[test]
fn a_cancelled_offer_is_told_apart_from_an_expired_one() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('f'));
    ui.key(KeyCode::Char('f')); // Active
    let id = ui.app.offers().selected().unwrap().id.clone();
    ui.key(KeyCode::Char('x'));
    ui.key(KeyCode::Char('y'));
    ui.key(KeyCode::Char('f')); // Accepted
    ui.key(KeyCode::Char('f')); // Expired: the cancelled one is not among them
    assert!(ui.screen().contains("status: Expired"), "{}", ui.screen());
    assert!(ui.app.offers().find(|o| o.id == id).is_none(), "the buyer let it lapse: not the cancelled one");
    ui.key(KeyCode::Char('f')); // Cancelled: its own status
    assert!(ui.screen().contains("status: Cancelled"), "{}", ui.screen());
    let at = ui.app.offers().find(|o| o.id == id).expect("the cancelled offer reads Cancelled");
    for _ in 0..at {
        ui.key(KeyCode::Char('j'));
    }
    assert!(ui.screen().contains("Cancelled by the partner on 2026-11-26"), "{}", ui.screen());
}

#[test]
fn without_colour_the_selected_row_the_focused_field_and_the_picker_cursor_still_show() {
    // The screen text is what NO_COLOR leaves: no reverse video, only characters.
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    assert_eq!(ui.screen().matches("│▶ ").count(), 1, "one marked row: {}", ui.screen());
    ui.key(KeyCode::Char('n'));
    let focused: Vec<String> = ui.screen().lines().filter(|l| l.contains("│▶ ")).map(str::to_owned).collect();
    assert_eq!(focused.len(), 1, "one marked field: {focused:?}");
    ui.key(KeyCode::Tab);
    let focused2: Vec<String> = ui.screen().lines().filter(|l| l.contains("│▶ ")).map(str::to_owned).collect();
    assert_ne!(focused, focused2, "the marker follows the focus");
    ui.ctrl('p');
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('@'));
    assert!(ui.screen().contains("│▶ "), "the picker's cursor: {}", ui.screen());
}

#[test]
fn wide_characters_in_a_form_scroll_to_what_was_typed_last() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    ui.key(KeyCode::Char('n'));
    ui.key(KeyCode::Tab); // the legal name
    let name = "東京クラウド販売株式会社".repeat(5) + "末尾";
    ui.chars(&name);
    let screen = ui.screen();
    let line = screen.lines().find(|l| l.contains("▶ Legal name")).expect("the focused field");
    assert!(line.contains("末尾"), "the end of what was typed shows: {screen}");
    // The text ends inside the field, the popup's frame right after: nothing spills over.
    assert!(line.contains("末尾 │"), "{line}");
}

#[test]
fn y_copies_the_selected_id_through_the_terminal() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    let id = ui.app.offers().selected().unwrap().id.to_string();
    let fx = ui.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)));
    assert_eq!(ui.app.take_terminal_effects(), vec![cppo::app::TerminalEffect::Copy(id.clone())]);
    assert!(ui.app.take_terminal_effects().is_empty(), "taken once");
    settle(&mut ui.app, &mut ui.worker, fx);
    assert!(ui.toast().starts_with(&format!("Copied {id}")), "{}", ui.toast());
}

#[test]
fn the_mouse_clicks_tabs_and_rows_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut ui = demo_as(PARTNER);
    let mouse = |ui: &mut Ui, kind: MouseEventKind, column: u16, row: u16| {
        let ev = Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE });
        let fx = ui.app.handle_event(&ev);
        settle(&mut ui.app, &mut ui.worker, fx);
    };
    // Click "2 Opportunities" where the tab bar draws it.
    let screen = ui.screen();
    let bar = screen.lines().nth(1).unwrap().trim_matches('"');
    let x = bar.find("2 Opportunities").unwrap() as u16;
    mouse(&mut ui, MouseEventKind::Down(MouseButton::Left), x + 2, 1);
    assert_eq!(ui.app.tab(), Tab::Opportunities);
    // Click the third row of the table.
    mouse(&mut ui, MouseEventKind::Down(MouseButton::Left), 10, 6);
    assert_eq!(ui.app.opportunities().cursor(), 2);
    let third = ui.app.opportunities().selected().unwrap().name.clone();
    let clicked = ui.screen().lines().nth(6).unwrap().to_owned();
    assert!(clicked.contains("▶") && clicked.contains(&third.chars().take(10).collect::<String>()), "{clicked}");
    // The wheel moves the cursor three rows at a time.
    mouse(&mut ui, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(ui.app.opportunities().cursor(), 5);
    mouse(&mut ui, MouseEventKind::ScrollUp, 10, 10);
    assert_eq!(ui.app.opportunities().cursor(), 2);
}

/// The README's key table is the keymap's: a key added, moved or reworded there changes the
/// README in the same commit (`CPPO_BLESS=1 cargo test --test tui readme` writes it).
#[test]
fn the_readme_key_table_is_generated_from_the_keymap() {
    const START: &str = "<!-- keys: generated from src/app/keymap.rs -->\n";
    const END: &str = "<!-- /keys -->";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let from = readme.find(START).expect("the README marks its key table") + START.len();
    let to = from + readme[from..].find(END).expect("the key table's end marker");
    let table = cppo::app::keymap::markdown_table();
    if std::env::var_os("CPPO_BLESS").is_some() {
        std::fs::write(&path, format!("{}{table}{}", &readme[..from], &readme[to..])).unwrap();
        return;
    }
    assert_eq!(
        readme[from..to],
        table,
        "the README's key table differs from the keymap: run CPPO_BLESS=1 cargo test --test tui readme"
    );
}

/// A save made stale by another program says so on the form's line (the refusal travels as
/// its kind, not found in its text), and a save reads again what it touched, not the session.
#[test]
fn a_stale_save_says_so_in_the_form_and_a_save_reads_again_only_what_it_touched() {
    use cppo::app::Effect;
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('f')); // Draft
    let id = ui.app.offers().selected().unwrap().id.clone();
    ui.key(KeyCode::Char('e'));
    assert!(ui.app.form().is_some(), "the draft's form: {}", ui.screen());
    // Another program saves the same draft first.
    let mut other = Market::open(&ui.path, Box::new(FixedClock::on(today()))).unwrap();
    let me = AccountId::parse(PARTNER).unwrap();
    let (rec, _) = other.offer(&me, &id).unwrap();
    let mut terms = rec.offer.terms();
    terms.name = "Saved elsewhere".into();
    other.edit_offer(&me, &id, terms, None).unwrap();
    ui.focus(FieldKey::Name);
    ui.chars(" (mine)");
    ui.ctrl('s');
    let message = ui.app.form().map(|f| f.message.clone().unwrap_or_default()).unwrap_or_default();
    assert!(message.contains("Esc closes the form"), "{message}");

    // A save of an offer reads the tabs and partners again, not the session.
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('y'));
    let fx = ui.app.handle_msg(cppo::app::Msg::Done("Saved".into(), cppo::app::command::Touched::Offers));
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadSession)), "{fx:?}");
    for wanted in ["FetchOffers", "FetchOpportunities", "LoadPartners"] {
        assert!(fx.iter().any(|e| format!("{e:?}").starts_with(wanted)), "no {wanted} in {fx:?}");
    }
    let fx = ui.app.handle_msg(cppo::app::Msg::Done("Added".into(), cppo::app::command::Touched::Accounts));
    assert!(matches!(fx.as_slice(), [Effect::LoadSession]), "{fx:?}");
}

/// Several accounts and none remembered: the TUI asks who acts instead of taking the first
/// (the CLI refuses in that case, by the same rule).
#[test]
fn with_several_accounts_and_none_remembered_the_tui_asks_who_acts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cppo.db");
    let mut market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
    let roles = |isv, partner| cppo::domain::Roles { isv, partner, buyer: false };
    market.add_account(None, AccountId::parse(ISV).unwrap(), "Acme Analytics Inc.", roles(true, false), None).unwrap();
    market.add_account(None, AccountId::parse(PARTNER).unwrap(), "Northwind", roles(false, true), None).unwrap();
    assert_eq!(market.default_actor().unwrap(), None);
    let mut ui = Ui { _dir: dir, path, app: App::new(120, 40), worker: Worker::new(market, None) };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    assert!(matches!(ui.app.popup(), Some(Popup::Accounts(_))), "{}", ui.screen());
    assert!(ui.screen().contains("nobody acts yet"), "{}", ui.screen());
    ui.chars("Northwind");
    ui.key(KeyCode::Enter);
    let actor = ui.app.session().and_then(|s| s.actor.as_ref()).map(|a| a.id.to_string());
    assert_eq!(actor.as_deref(), Some(PARTNER));
}

// ---- customer financing ------------------------------------------------------------------

/// Moves the Offers tab's cursor to the offer named `name`.
fn select_offer(ui: &mut Ui, name: &str) {
    ui.key(KeyCode::Char('3'));
    for _ in 0..100 {
        if ui.app.offers().selected().is_some_and(|o| o.name == name) {
            return;
        }
        ui.key(KeyCode::Char('j'));
    }
    panic!("no offer named {name}");
}

#[test]
fn the_offer_detail_shows_the_buyer_its_financing_and_the_partner_only_that_a_financier_paid() {
    // The demo's Contoso agreement financed by Ridgeline Capital.
    let financed = "Contoso - Sentinel EDR, three annual payments";
    let mut buyer = demo_as(BUYER);
    select_offer(&mut buyer, financed);
    buyer.key(KeyCode::Enter);
    let screen = buyer.screen();
    assert!(screen.contains("Financed by Ridgeline Capital") && screen.contains("24 monthly payments"), "{screen}");
    snap("buyer_financed_offer_detail", &buyer);
    let mut partner = demo_as(PARTNER);
    select_offer(&mut partner, financed);
    partner.key(KeyCode::Enter);
    let screen = partner.screen();
    assert!(screen.contains("Paid by a financier") && !screen.contains("Ridgeline"), "{screen}");
    snap("partner_financed_offer_detail", &partner);
    partner.key(KeyCode::Char('F'));
    assert!(partner.app.form().is_none(), "the partner does not finance");
    assert!(partner.toast().contains("only the buyer"), "{}", partner.toast());
}

#[test]
fn the_buyer_finances_an_agreement_from_the_offer_detail_step_by_step() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(BUYER);
    // Accepted ten days ago, its one charge not paid yet.
    select_offer(&mut ui, "Contoso - DataPeak Insight expansion");
    assert!(ui.app.hints().iter().any(|b| b.action == cppo::app::keymap::Action::Finance), "F is offered");
    ui.key(KeyCode::Char('F'));
    assert!(ui.app.form().is_some(), "F opens the financing form");
    snap("finance_form", &ui);
    ui.chars("Fincap Lending");
    ui.ctrl('s');
    assert!(ui.app.form().is_none(), "saved: {:?}", ui.app.popup());
    assert!(ui.toast().contains("by Fincap Lending: offered"), "{}", ui.toast());
    // Again: the form holds the financier and proposes the next status.
    ui.key(KeyCode::Char('F'));
    assert_eq!(ui.form_value(&FieldKey::Provider), "Fincap Lending");
    assert_eq!(ui.form_value(&FieldKey::FinancingStatus), "approved");
    ui.focus(FieldKey::FinancingStatus);
    ui.key(KeyCode::Right);
    assert_eq!(ui.form_value(&FieldKey::FinancingStatus), "declined");
    ui.key(KeyCode::Right);
    assert_eq!(ui.form_value(&FieldKey::FinancingStatus), "funded");
    ui.ctrl('s');
    assert!(ui.toast().contains("Fincap Lending paid"), "{}", ui.toast());
    ui.key(KeyCode::Enter);
    assert!(ui.screen().contains("Financed by Fincap Lending"), "{}", ui.screen());
    // Funded is final: F says why.
    ui.key(KeyCode::Char('F'));
    assert!(ui.app.form().is_none());
    assert!(ui.toast().contains("already funded"), "{}", ui.toast());
}

#[test]
fn an_offers_detail_shows_the_agreement_imported_from_aws_with_its_aws_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cppo.db");
    let mut market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
    let partner = AccountId::parse("420061735518").unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws/");
    let read = |name: &str| std::fs::read_to_string(format!("{fixtures}{name}")).unwrap();
    let mut entries = cppo::aws::import::read("all.json", &read("describe-all.json")).unwrap();
    entries.extend(cppo::aws::import::read("s.json", &read("agreements/search-agreements.json")).unwrap());
    entries.extend(cppo::aws::import::read("d.json", &read("agreements/describe-agreement.json")).unwrap());
    cppo::aws::import::read_bare(
        "t.json",
        &read("agreements/get-agreement-terms.json"),
        "agmt-4nd8kq2ws7x1zrenew0000001",
        &mut entries,
    )
    .unwrap();
    let r = market.import(&partner, &entries, cppo::market::ImportOptions::default()).unwrap();
    assert_eq!(r.count("skipped"), 0, "{r:#?}");
    let worker = Worker::new(market, Some(partner));
    let mut ui = Ui { _dir: dir, path, app: App::new(160, 120), worker };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    ui.key(KeyCode::Char('3'));
    ui.key(KeyCode::Char('/'));
    ui.chars("offer-4nd8kq2ws7x1z");
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(
        screen.contains("Agreement agmt-4nd8kq2ws7x1zrenew0000001 · Active (AWS) · 2025-12-20 to 2026-12-20"),
        "{screen}"
    );
    assert!(screen.contains("due 2026-08-20"), "{screen}");
}
