//! The TUI without a terminal: key flows through `App` and the store worker on a real demo
//! file, and `TestBackend` snapshots of each screen (fixed clock, seeded ids).

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
    app: App,
    worker: Worker,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(width: u16, height: u16, actor: Option<&str>, demo: bool) -> Ui {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cppo.db");
    let mut market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
    if demo {
        cppo::market::demo::load(&mut market).unwrap();
    }
    let worker = Worker::new(market, actor.map(|a| AccountId::parse(a).unwrap()));
    let mut ui = Ui { _dir: dir, app: App::new(width, height), worker };
    let fx = ui.app.start();
    settle(&mut ui.app, &mut ui.worker, fx);
    // The file name differs per run: show a stable one.
    if let Some(s) = &mut ui.app.session {
        s.file = "/tmp/cppo.db".into();
    }
    ui
}

fn demo_as(actor: &str) -> Ui {
    open(120, 40, Some(actor), true)
}

impl Ui {
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
    fn resize(&mut self, w: u16, h: u16) {
        let fx = self.app.handle_event(&Event::Resize(w, h));
        settle(&mut self.app, &mut self.worker, fx);
    }
    fn screen(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(self.app.width, self.app.height)).unwrap();
        t.draw(|f| cppo::ui::render(&self.app, f)).unwrap();
        t.backend().to_string()
    }
}

// ---- key flows -------------------------------------------------------------------------

#[test]
fn it_opens_on_the_offers_tab_as_the_remembered_partner() {
    let ui = open(120, 40, None, true);
    let s = ui.app.session.as_ref().unwrap();
    assert_eq!(s.actor.id, PARTNER);
    assert_eq!(ui.app.tab, Tab::Offers);
    assert_eq!(ui.app.offers.total(), Some(29));
    assert!(ui.app.detail.is_some(), "the selected row's detail is loaded");
}

#[test]
fn number_keys_and_tab_switch_tabs_and_load_them() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('1'));
    assert_eq!(ui.app.tab, Tab::Partners);
    assert!(ui.app.partners_loaded && !ui.app.partners.is_empty());
    ui.key(KeyCode::Tab);
    assert_eq!(ui.app.tab, Tab::Opportunities);
    assert_eq!(ui.app.opportunities.total(), Some(11));
    ui.key(KeyCode::BackTab);
    assert_eq!(ui.app.tab, Tab::Partners);
    ui.key(KeyCode::BackTab);
    assert_eq!(ui.app.tab, Tab::Offers);
}

#[test]
fn the_cursor_moves_and_is_clamped_at_both_ends() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('k'));
    assert_eq!(ui.app.offers.cursor(), 0);
    ui.key(KeyCode::Char('j'));
    ui.key(KeyCode::Down);
    assert_eq!(ui.app.offers.cursor(), 2);
    ui.key(KeyCode::Char('G'));
    assert_eq!(ui.app.offers.cursor(), 28);
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.offers.cursor(), 28);
    ui.key(KeyCode::Char('g'));
    assert_eq!(ui.app.offers.cursor(), 0);
    ui.key_mod(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert!(ui.app.offers.cursor() > 0);
}

#[test]
fn the_detail_follows_the_selection() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('j'));
    let selected = ui.app.offers.selected().unwrap().id.clone();
    match &ui.app.detail {
        Some((_, cppo::app::Detail::Offer { view, .. })) => assert_eq!(view.id, selected),
        other => panic!("expected the offer's detail, got {other:?}"),
    }
    ui.key(KeyCode::Enter);
    assert!(ui.app.detail_open);
    ui.key(KeyCode::Esc);
    assert!(!ui.app.detail_open);
}

#[test]
fn a_filter_runs_in_the_store_and_clamps_the_cursor() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('G'));
    ui.key(KeyCode::Char('/'));
    // `j` typed into the filter is text, not a move.
    ui.chars("contoso");
    assert_eq!(ui.app.filter_input.as_ref().unwrap().value(), "contoso");
    let n = ui.app.offers.total().unwrap();
    assert!(n > 0 && n < 29, "{n}");
    assert!(ui.app.offers.cursor() < n);
    ui.key(KeyCode::Enter);
    assert!(ui.app.filter_input.is_none());
    assert_eq!(ui.app.offers.filter, "contoso");
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.offers.filter, "");
    assert_eq!(ui.app.offers.total(), Some(29));
}

#[test]
fn keys_typed_into_the_filter_are_text() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('/'));
    ui.chars("jqG2?");
    assert_eq!(ui.app.filter_input.as_ref().unwrap().value(), "jqG2?");
    assert!(!ui.app.quit);
    assert_eq!(ui.app.tab, Tab::Offers);
    assert!(ui.app.popup.is_none());
    assert_eq!(ui.app.offers.total(), Some(0));
    assert!(ui.screen().contains("No row matches the filter"));
}

#[test]
fn sorting_cycles_columns_and_reverses() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('s'));
    assert_eq!(ui.app.offers.sort, cppo::store::query::Sort::Name);
    let first = ui.app.offers.selected().unwrap().name.clone();
    ui.key(KeyCode::Char('S'));
    let last = ui.app.offers.selected().unwrap().name.clone();
    assert!(first <= last, "{first} / {last}");
    assert_eq!(ui.app.offers.total(), Some(29));
}

#[test]
fn help_opens_and_closes_and_is_generated_from_the_keymap() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('?'));
    assert!(matches!(ui.app.popup, Some(Popup::Help)));
    let screen = ui.screen();
    for b in cppo::app::keymap::BINDINGS.iter().filter(|b| b.scope != cppo::app::keymap::Scope::Welcome) {
        assert!(screen.contains(b.help), "help lacks `{}`", b.help);
    }
    ui.key(KeyCode::Char('j'));
    assert_eq!(ui.app.offers.cursor(), 0, "keys do not reach the table under a popup");
    ui.key(KeyCode::Esc);
    assert!(ui.app.popup.is_none());
    ui.key(KeyCode::Char('q'));
    assert!(ui.app.quit);
}

#[test]
fn switching_account_reloads_everything_as_that_account() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('@'));
    let Some(Popup::Accounts { .. }) = ui.app.popup else { panic!("no picker") };
    // The picker lists accounts by id; pick Contoso (the buyer).
    let pos = ui.app.session.as_ref().unwrap().accounts.iter().position(|a| a.id == BUYER).unwrap();
    ui.key(KeyCode::Char('g'));
    for _ in 0..pos {
        ui.key(KeyCode::Char('j'));
    }
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.session.as_ref().unwrap().actor.id, BUYER);
    assert!(ui.app.popup.is_none());
    // A buyer sees only released offers addressed to it, and no wholesale.
    let n = ui.app.offers.total().unwrap();
    assert!(n > 0);
    for i in 0..n {
        let o = ui.app.offers.row(i).unwrap();
        assert_eq!(o.buyer_account_id.as_deref(), Some(BUYER));
        assert_ne!(o.status, "Draft");
        assert!(o.wholesale_total.is_none() && o.markup_pct.is_none());
    }
    assert_eq!(ui.app.opportunities.total(), Some(0), "buyers see no opportunities");
}

#[test]
fn an_empty_file_opens_the_welcome_screen_and_d_loads_the_demo() {
    let mut ui = open(120, 40, None, false);
    assert!(ui.app.welcome());
    assert!(ui.screen().contains("Welcome to cppo"));
    ui.key(KeyCode::Char('d'));
    assert!(!ui.app.welcome());
    assert_eq!(ui.app.session.as_ref().unwrap().actor.id, PARTNER);
    assert_eq!(ui.app.offers.total(), Some(29));
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

#[test]
fn snapshots_of_each_tab_for_each_role_at_two_sizes() {
    for (who, actor) in [("partner", PARTNER), ("isv", ISV), ("buyer", BUYER)] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut ui = open(w, h, Some(actor), true);
            for (key, tab) in [('1', "partners"), ('2', "opportunities"), ('3', "offers")] {
                ui.key(KeyCode::Char(key));
                snap(&format!("{who}_{tab}_{w}x{h}"), &ui);
            }
        }
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
