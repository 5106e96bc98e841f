//! The TUI's cursor keeps its record, not its row number, when another program writes to
//! the file (an import, a second cppo): rows written before it move it down with its record;
//! a record deleted elsewhere, or whose status leaves the list's filter, is said in words
//! and no action key acts on the row that took its place until the user moves the cursor.
//! Headless: keys through `App`, effects through the store worker, on a real demo file.

use crate::demo_file;
use crate::drafts;

use chrono::NaiveDate;
use cppo::app::{App, DetailKey, Popup};
use cppo::domain::offer::OfferTerms;
use cppo::domain::{AccountId, FixedClock, OfferId, OfferStatus};
use cppo::market::Market;
use cppo::tui::{Worker, settle};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const PARTNER: &str = "902174365518"; // Northwind Cloud Partners LLC

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn me() -> AccountId {
    AccountId::parse(PARTNER).unwrap()
}

/// The TUI on a demo file, acting as the partner, and another program on the same file.
struct Ui {
    _dir: tempfile::TempDir,
    app: App,
    worker: Worker,
    other: Market,
    /// Seconds past noon on the other program's clock: each of its writes is newer.
    ticks: i64,
}

impl Ui {
    fn open() -> Ui {
        let dir = tempfile::tempdir().unwrap();
        let path = demo_file::copy_demo(&dir.path().join("cppo.db"));
        let market = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
        let other = Market::open(&path, Box::new(FixedClock::on(today()))).unwrap();
        let mut ui = Ui { _dir: dir, app: App::new(120, 40), worker: Worker::new(market, Some(me())), other, ticks: 0 };
        let fx = ui.app.start();
        settle(&mut ui.app, &mut ui.worker, fx);
        ui.app.set_file_label("/tmp/cppo.db");
        ui.poll(); // the first look takes the file as it is
        ui
    }
    fn key(&mut self, c: char) {
        let fx = self.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        settle(&mut self.app, &mut self.worker, fx);
    }
    /// A second of slow ticks: the TUI looks whether another program wrote to the file.
    fn poll(&mut self) {
        for _ in 0..4 {
            let fx = self.app.poll();
            settle(&mut self.app, &mut self.worker, fx);
        }
    }
    fn selected(&self) -> OfferId {
        self.app.offers().selected().expect("a row under the cursor").id.clone()
    }
    /// Moves the cursor to `offer`, from the top.
    fn select(&mut self, offer: &OfferId) {
        self.key('g');
        for _ in 0..200 {
            if self.selected() == *offer {
                return;
            }
            self.key('j');
        }
        panic!("{offer} is not in the list");
    }
    fn toast(&self) -> String {
        self.app.toast().unwrap_or_default().to_owned()
    }
    fn detail_of(&self) -> Option<DetailKey> {
        self.app.detail().map(|(k, _)| k.clone())
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
    /// The other program's clock, a second later than at its last write.
    fn tick(&mut self) {
        self.ticks += 1;
        let at = FixedClock::on(today()).0 + chrono::TimeDelta::seconds(self.ticks);
        self.other.set_clock(Box::new(FixedClock(at)));
    }
    /// A draft the other program makes, ready to release: the newest offer.
    fn draft_elsewhere(&mut self, name: &str) -> OfferId {
        self.tick();
        let buyer = AccountId::parse("221078463519").unwrap();
        let (opp, terms) = drafts::contract_draft(&self.other, &me(), name, today(), buyer);
        self.other.create_offer(&me(), &opp, terms, false).unwrap()
    }
}

#[test]
fn rows_written_before_the_cursor_move_it_down_with_its_record() {
    let mut ui = Ui::open();
    // The third draft of the list (newest first), its detail shown.
    let on = ui.draft_elsewhere("Watched draft");
    ui.draft_elsewhere("Newer draft");
    ui.draft_elsewhere("Newest draft");
    ui.poll();
    ui.select(&on);
    assert_eq!(ui.app.offers().cursor(), 2);
    let before = ui.app.offers().total().unwrap();
    // An import, say: 2,000 offers in one transaction, all newer, all sorted before it.
    ui.tick();
    let opp = ui.other.offer_targets(&me()).unwrap().remove(0);
    ui.other
        .all_or_nothing(|m| {
            for i in 0..2_000 {
                let terms = OfferTerms {
                    name: format!("Imported #{i}"),
                    description: String::new(),
                    buyer: opp.buyer_account_ids.first().cloned(),
                    markup_pct: rust_decimal::Decimal::TEN,
                    expires_on: None,
                    quantities: Vec::new(),
                    duration: None,
                };
                m.create_offer(&me(), &opp.id, terms, false)?;
            }
            Ok(())
        })
        .unwrap();
    ui.poll();
    assert!(ui.toast().contains("The file changed"), "{}", ui.toast());
    assert_eq!(ui.app.offers().total(), Some(before + 2_000));
    assert_eq!(ui.selected(), on, "the cursor stayed on its record");
    assert_eq!(ui.app.offers().cursor(), 2_002, "at the record's new row number");
    assert_eq!(ui.detail_of(), Some(DetailKey::Offer(on.clone())), "the detail is the record's");
    let screen = ui.screen();
    let total = before + 2_000;
    assert!(screen.contains(&format!("2,003/{},{:03}", total / 1_000, total % 1_000)), "{screen}");
    let line = screen.lines().find(|l| l.contains('▶')).expect("a highlighted row");
    assert!(line.contains("Watched draft"), "the highlight is on the record: {line}");
    // Above it, the two newer drafts, then the rows the import wrote, to scroll up to.
    for _ in 0..3 {
        ui.key('k');
    }
    assert!(ui.app.offers().selected().unwrap().name.starts_with("Imported #"));
    for _ in 0..3 {
        ui.key('j');
    }
    // An action key acts on the record under the cursor.
    ui.key('D');
    assert_eq!(ui.confirm_title(), Some("Delete Watched draft".into()));
}

#[test]
fn a_record_deleted_elsewhere_is_said_and_no_action_key_acts_until_the_cursor_moves() {
    let mut ui = Ui::open();
    let next = ui.draft_elsewhere("Older draft");
    let gone = ui.draft_elsewhere("Doomed draft");
    ui.poll();
    ui.select(&gone);
    let row = ui.app.offers().cursor();
    ui.other.delete_offer(&me(), &gone).unwrap();
    ui.poll();
    assert_eq!(ui.toast(), format!("{gone} was deleted by another program"));
    assert_eq!(ui.selected(), next, "the row after it took its place");
    assert_eq!(ui.app.offers().cursor(), row);
    assert_eq!(ui.detail_of(), Some(DetailKey::Offer(next.clone())), "the detail says which row it is");
    // No key acts on the row the user did not choose: each says why.
    for key in ['D', 'r', 'e', 'x', 'X', 'E', 'y'] {
        ui.key(key);
        assert!(ui.app.popup().is_none() && ui.app.form().is_none(), "{key} acted");
        assert!(
            ui.toast().starts_with(&format!("{gone} was deleted by another program; move the cursor")),
            "{key}: {}",
            ui.toast()
        );
    }
    let hints: Vec<&str> = ui.app.hints().iter().filter_map(|b| b.hint).collect();
    assert!(!hints.contains(&"delete") && !hints.contains(&"release"), "{hints:?}");
    // Once the user moves, the keys act again, on the row they chose.
    ui.key('j');
    ui.key('k');
    assert_eq!(ui.selected(), next);
    ui.key('D');
    assert_eq!(ui.confirm_title(), Some("Delete Older draft".into()));
}

#[test]
fn a_draft_released_elsewhere_leaves_the_draft_list_and_says_so() {
    let mut ui = Ui::open();
    let next = ui.draft_elsewhere("Second draft");
    let released = ui.draft_elsewhere("First draft");
    ui.poll();
    ui.key('f');
    assert_eq!(ui.app.offers().status, Some(cppo::app::StatusFilter::Offer(OfferStatus::Draft)));
    ui.select(&released);
    let row = ui.app.offers().cursor();
    ui.other.release_offer(&me(), &released).unwrap();
    ui.poll();
    assert_eq!(ui.toast(), format!("{released} is no longer Draft: this list shows Draft only"));
    assert_eq!(ui.selected(), next);
    assert_eq!(ui.app.offers().cursor(), row);
    // The ids and the file made here are random: the snapshot names them.
    ui.app.set_file_label("/tmp/cppo.db");
    let screen =
        ui.screen().replace(released.as_str(), "offer-RELEASEDxxxxx").replace(next.as_str(), "offer-NEXTxxxxxxxxx");
    insta::assert_snapshot!("offers_record_left_the_filter", screen);
    ui.key('r');
    assert!(ui.app.popup().is_none(), "r released another draft");
    // Once the notice fades, the hint bar offers no key that acts on the row.
    while ui.app.toast().is_some() {
        ui.app.tick();
    }
    let hints = ui.screen().lines().nth(39).unwrap_or_default().to_owned();
    assert!(hints.contains("quit") && !hints.contains("release") && !hints.contains("delete"), "{hints}");
    // Another tab and back: still held, and said again.
    ui.key('2');
    ui.key('3');
    assert!(ui.toast().starts_with(&format!("{released} is no longer Draft")), "{}", ui.toast());
    ui.key('r');
    assert!(ui.app.popup().is_none());
}

#[test]
fn a_record_deleted_by_this_cppo_moves_the_cursor_on_without_holding_the_keys() {
    let mut ui = Ui::open();
    let next = ui.draft_elsewhere("Older draft");
    let gone = ui.draft_elsewhere("Deleted here");
    ui.poll();
    ui.select(&gone);
    ui.key('D');
    ui.key('y');
    assert_eq!(ui.toast(), format!("Deleted draft {gone}"));
    assert_eq!(ui.selected(), next);
    ui.key('D');
    assert_eq!(ui.confirm_title(), Some("Delete Older draft".into()));
}
