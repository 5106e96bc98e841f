//! TUI state and logic, synchronous and free of I/O: keys and store answers come in,
//! the state changes, and `Effect`s (requests for the store worker) go out.
//!
//! Layers take keys in this order: popup > form > filter field > review > table > global.

pub mod command;
mod flows;
pub mod form;
pub mod keymap;
pub mod lists;
mod model;
pub mod pager;

pub use model::{Confirm, Detail, DetailKey, Effect, Msg, Popup, Review, Session};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::{AccountId, ProductId};
use crate::market::Sort;
use crate::market::views::{OfferView, OpportunityView};
use keymap::{Action, Scope};
use pager::Pager;

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Partners,
    Opportunities,
    Offers,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Partners, Tab::Opportunities, Tab::Offers];
    pub fn title(self) -> &'static str {
        match self {
            Tab::Partners => "Partners",
            Tab::Opportunities => "Opportunities",
            Tab::Offers => "Offers",
        }
    }
    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Terminal sizes below this show "enlarge the terminal".
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// How the screen is cut: title, tab bar and hint bar take a line each; the rest is the
/// table (with its border and header) over the detail pane.
pub mod layout {
    /// `(table height, detail height)` of a body `h` lines tall.
    pub fn body_split(h: u16, detail_open: bool) -> (u16, u16) {
        if detail_open {
            return (0, h);
        }
        let table = (h * 11 / 20).max(6).min(h);
        (table, h - table)
    }
    /// Lines of chrome around the body.
    pub const CHROME: u16 = 3;
    /// Rows of data the table shows in a terminal `height` lines tall.
    pub fn table_rows(height: u16, detail_open: bool) -> u16 {
        let (t, _) = body_split(height.saturating_sub(CHROME), detail_open);
        t.saturating_sub(3)
    }
}

pub struct App {
    pub session: Option<Session>,
    pub tab: Tab,
    pub partners: lists::PartnerList,
    pub opportunities: Pager<OpportunityView>,
    pub offers: Pager<OfferView>,
    pub detail: Option<(DetailKey, Detail)>,
    /// The detail fills the body (Enter).
    pub detail_open: bool,
    /// The filter being typed, while `/` is active.
    pub filter_input: Option<Input>,
    pub popup: Option<Popup>,
    pub form: Option<form::Form>,
    pub review: Option<Review>,
    /// A short notice and how many ticks it stays; `warn` for refusals.
    pub toast: Option<(String, u8)>,
    pub toast_warn: bool,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    /// A long operation is running (the demo load).
    pub busy: Option<String>,
    /// Keys typed while the row they act on was still on its way (a page or its detail),
    /// replayed in order once it is in: an action key always acts on the row on screen.
    pub waiting_keys: std::collections::VecDeque<KeyEvent>,
    /// `R` was pressed: `Some(false)` until the session is read again, `Some(true)` until the
    /// rows and detail are in; then the toast says "Reloaded".
    reloading: Option<bool>,
}

impl App {
    pub fn new(width: u16, height: u16) -> Self {
        Self {
            session: None,
            tab: Tab::Offers,
            partners: lists::PartnerList::default(),
            opportunities: Pager::default(),
            offers: Pager::default(),
            detail: None,
            detail_open: false,
            filter_input: None,
            popup: None,
            form: None,
            review: None,
            toast: None,
            toast_warn: false,
            width,
            height,
            quit: false,
            busy: None,
            waiting_keys: std::collections::VecDeque::new(),
            reloading: None,
        }
    }

    /// What to do at start: load the session (the first frame is drawn before it arrives).
    pub fn start(&self) -> Vec<Effect> {
        vec![Effect::LoadSession]
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn welcome(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.empty)
    }

    /// The name of an account, if known.
    pub fn account_name(&self, id: &AccountId) -> Option<&str> {
        self.session.as_ref()?.accounts.iter().find(|a| a.id == *id).map(|a| a.name.as_str())
    }

    pub fn product_name(&self, id: &ProductId) -> Option<&str> {
        self.session.as_ref()?.products.iter().find(|p| p.id == *id).map(|p| p.name.as_str())
    }

    /// The scopes whose keys work now (for the hint bar and the help).
    pub fn scopes(&self) -> Vec<Scope> {
        if self.welcome() {
            vec![Scope::Welcome, Scope::Global]
        } else if self.review.is_some() {
            vec![Scope::Review, Scope::Table, Scope::Global]
        } else {
            vec![Scope::Table, Scope::Global]
        }
    }

    fn table_rows(&self) -> u16 {
        layout::table_rows(self.height, self.detail_open)
    }

    /// A terminal event.
    pub fn handle_event(&mut self, ev: &Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => self.handle_key(k),
            Event::Resize(w, h) => {
                self.width = *w;
                self.height = *h;
                self.follow();
                Vec::new()
            }
            Event::Paste(text) => {
                if self.popup.is_none()
                    && let Some(form) = &mut self.form
                {
                    let ev = form.paste(text);
                    return self.form_event(ev);
                }
                if let Some(input) = &mut self.filter_input {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    return self.apply_filter();
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The slow tick: toasts fade.
    pub fn tick(&mut self) -> bool {
        match &mut self.toast {
            Some((_, n)) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.toast = None;
                true
            }
            None => false,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        if !self.waiting_keys.is_empty() {
            // Ctrl-c never waits; Esc drops the keys that were waiting and goes on as usual.
            // Anything else (`q` included) waits its turn behind them.
            if is_ctrl_c(key) {
                self.quit = true;
                return Vec::new();
            }
            if key.code != KeyCode::Esc {
                self.waiting_keys.push_back(*key);
                return Vec::new();
            }
            self.waiting_keys.clear();
        }
        if self.must_wait(key) {
            self.waiting_keys.push_back(*key);
            return Vec::new();
        }
        self.dispatch_key(key)
    }

    /// Whether `key` acts on the selected row while that row is not settled yet.
    fn must_wait(&self, key: &KeyEvent) -> bool {
        if self.popup.is_some() || self.form.is_some() || self.filter_input.is_some() || self.busy.is_some() {
            return false;
        }
        let acts_on_row = matches!(
            keymap::lookup(key, &self.scopes()),
            Some(
                Action::Open
                    | Action::New
                    | Action::Edit
                    | Action::Extend
                    | Action::Release
                    | Action::End
                    | Action::Accept
                    | Action::Pay
                    | Action::Export
            )
        );
        acts_on_row && !self.settled()
    }

    /// The row under the cursor is the one on screen for good, and its detail is in (or
    /// there is no row): an action key can be judged on it.
    pub fn settled(&self) -> bool {
        let Some(session) = &self.session else { return false };
        if session.empty {
            return true;
        }
        let rows = self.review.is_some() || self.list(self.tab).is_settled();
        rows && self.selected_key().is_none_or(|k| self.detail.as_ref().is_some_and(|(d, _)| *d == k))
    }

    /// Replays the keys that waited, as far as the state now allows.
    fn replay_waiting_keys(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        while let Some(key) = self.waiting_keys.front().copied() {
            if self.must_wait(&key) {
                break;
            }
            self.waiting_keys.pop_front();
            fx.extend(self.dispatch_key(&key));
        }
        fx
    }

    fn dispatch_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        // Ctrl-c quits from everywhere; a form with typed work asks first.
        if is_ctrl_c(key) && (self.popup.is_some() || self.filter_input.is_some()) {
            self.popup = None;
            self.filter_input = None;
            let ev = self.form.as_mut().map_or(form::FormEvent::Quit, |f| f.quit());
            return self.form_event(ev);
        }
        if let Some(popup) = self.popup.take() {
            return self.popup_key(popup, key);
        }
        if let Some(form) = &mut self.form {
            let ev = form.handle_key(key);
            return self.form_event(ev);
        }
        if self.filter_input.is_some() {
            return self.filter_key(key);
        }
        if self.busy.is_some() {
            return match keymap::lookup(key, &[Scope::Global]) {
                Some(Action::Quit) => self.act(Action::Quit),
                _ => Vec::new(),
            };
        }
        match keymap::lookup(key, &self.scopes()) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    fn popup_key(&mut self, popup: Popup, key: &KeyEvent) -> Vec<Effect> {
        let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'))
            || (key.code == KeyCode::Char('?') && matches!(popup, Popup::Help(_)));
        if close {
            return Vec::new();
        }
        match popup {
            Popup::Accounts { cursor } => {
                let n = self.session.as_ref().map_or(0, |s| s.accounts.len());
                let cursor = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => (cursor + 1).min(n.saturating_sub(1)),
                    KeyCode::Char('k') | KeyCode::Up => cursor.saturating_sub(1),
                    KeyCode::Char('g') | KeyCode::Home => 0,
                    KeyCode::Char('G') | KeyCode::End => n.saturating_sub(1),
                    KeyCode::Enter => {
                        let id = self.session.as_ref().and_then(|s| s.accounts.get(cursor)).map(|a| a.id.clone());
                        return id.map(Effect::SwitchActor).into_iter().collect();
                    }
                    _ => cursor,
                };
                self.popup = Some(Popup::Accounts { cursor });
                Vec::new()
            }
            Popup::Help(scroll) => {
                let scroll = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1),
                    KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => scroll.saturating_add(10),
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    _ => scroll,
                };
                self.popup = Some(Popup::Help(scroll));
                Vec::new()
            }
            Popup::Error(_) if key.code == KeyCode::Enter => Vec::new(),
            Popup::Confirm(c) => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => {
                    self.busy = Some(format!("{}…", c.title));
                    vec![Effect::Run(c.command)]
                }
                KeyCode::Char('r') if c.with_release.is_some() => {
                    self.busy = Some(format!("{}…", c.title));
                    vec![Effect::Run(c.with_release.expect("checked by the guard"))]
                }
                KeyCode::Char('n') => Vec::new(),
                _ => {
                    self.popup = Some(Popup::Confirm(c));
                    Vec::new()
                }
            },
            other => {
                self.popup = Some(other);
                Vec::new()
            }
        }
    }

    fn filter_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Enter => {
                self.filter_input = None;
                Vec::new()
            }
            KeyCode::Esc => {
                self.filter_input = None;
                self.set_filter(String::new())
            }
            _ => {
                let input = self.filter_input.as_mut().expect("checked by the caller");
                if input.handle_event(&Event::Key(*key)).is_some_and(|c| c.value) {
                    return self.apply_filter();
                }
                Vec::new()
            }
        }
    }

    fn apply_filter(&mut self) -> Vec<Effect> {
        let text = self.filter_input.as_ref().map(|i| i.value().trim().to_owned()).unwrap_or_default();
        self.set_filter(text)
    }

    fn set_filter(&mut self, text: String) -> Vec<Effect> {
        let tab = self.tab;
        if self.list_mut(tab).set_filter(text) { self.reset_tab(tab) } else { Vec::new() }
    }
}

impl App {
    fn act(&mut self, action: Action) -> Vec<Effect> {
        let half = i64::from((self.table_rows() / 2).max(1));
        if self.review.is_some() && Self::is_navigation(action) {
            return Vec::new();
        }
        match action {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Partners => self.switch_tab(Tab::Partners),
            Action::Opportunities => self.switch_tab(Tab::Opportunities),
            Action::Offers => self.switch_tab(Tab::Offers),
            Action::NextTab => self.switch_tab(Tab::ALL[(self.tab.index() + 1) % 3]),
            Action::PrevTab => self.switch_tab(Tab::ALL[(self.tab.index() + 2) % 3]),
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(half),
            Action::PageUp => self.move_by(-half),
            Action::Top => self.jump(true),
            Action::Bottom => self.jump(false),
            Action::Open => {
                if self.has_selection() {
                    self.detail_open = true;
                    self.follow();
                }
                Vec::new()
            }
            Action::Back => {
                if self.review.is_some() {
                    self.review = None;
                    self.detail = None;
                    return self.select_effects();
                }
                if self.detail_open {
                    self.detail_open = false;
                    self.follow();
                    Vec::new()
                } else if !self.current_filter().is_empty() {
                    self.set_filter(String::new())
                } else {
                    Vec::new()
                }
            }
            Action::Filter => {
                self.detail_open = false;
                self.filter_input = Some(Input::new(self.current_filter().to_owned()));
                Vec::new()
            }
            Action::Sort | Action::ReverseSort => {
                let tab = self.tab;
                let Some(p) = self.pager_sort(tab) else { return Vec::new() };
                if action == Action::Sort {
                    let i = Sort::ALL.iter().position(|s| *s == *p.0).unwrap_or(0);
                    *p.0 = Sort::ALL[(i + 1) % Sort::ALL.len()];
                    *p.1 = *p.0 == Sort::Created;
                } else {
                    *p.1 = !*p.1;
                }
                self.reset_tab(tab)
            }
            Action::SwitchAccount => {
                let cursor = self
                    .session
                    .as_ref()
                    .and_then(|s| s.accounts.iter().position(|a| Some(&a.id) == s.actor.as_ref().map(|x| &x.id)))
                    .unwrap_or(0);
                self.popup = Some(Popup::Accounts { cursor });
                Vec::new()
            }
            Action::Reload => {
                self.reloading = Some(false);
                self.partners.loaded = false;
                vec![Effect::LoadSession]
            }
            Action::Help => {
                self.popup = Some(Popup::Help(0));
                Vec::new()
            }
            Action::LoadDemo => {
                self.busy = Some("Loading the demo marketplace…".into());
                vec![Effect::LoadDemo]
            }
            Action::New => self.new_record(),
            Action::Edit => self.edit_selected(),
            Action::Extend => self.extend_selected(),
            Action::Release | Action::End | Action::Accept | Action::Pay | Action::Export => {
                self.confirm_selected(action)
            }
            Action::Review => vec![Effect::LoadReview],
            Action::Skip => self.review_step(),
        }
    }

    /// Keys that move around the tables: they mean nothing in the review queue.
    pub(super) fn is_navigation(action: Action) -> bool {
        matches!(
            action,
            Action::Down
                | Action::Up
                | Action::Top
                | Action::Bottom
                | Action::PageDown
                | Action::PageUp
                | Action::Open
                | Action::Filter
                | Action::Sort
                | Action::ReverseSort
                | Action::Review
        )
    }

    fn pager_sort(&mut self, tab: Tab) -> Option<(&mut Sort, &mut bool)> {
        self.list_mut(tab).sort_mut()
    }

    pub fn current_filter(&self) -> &str {
        self.list(self.tab).filter()
    }

    fn has_selection(&self) -> bool {
        self.list(self.tab).has_selection()
    }

    fn switch_tab(&mut self, tab: Tab) -> Vec<Effect> {
        if tab == self.tab {
            return Vec::new();
        }
        self.tab = tab;
        self.detail_open = false;
        self.detail = None;
        let mut fx = Vec::new();
        if !self.list(tab).is_loaded() {
            fx.extend(self.reset_tab(tab));
        }
        fx.extend(self.select_effects());
        fx
    }

    /// Starts a tab over from its first row (new filter, sort or account).
    fn reset_tab(&mut self, tab: Tab) -> Vec<Effect> {
        if self.session.is_none() {
            return Vec::new();
        }
        self.refetch(tab, true)
    }

    /// Re-reads a tab: from its first row (`fresh`) or where it is (after a change).
    fn refetch(&mut self, tab: Tab, fresh: bool) -> Vec<Effect> {
        self.list_mut(tab).refetch(fresh)
    }

    fn move_by(&mut self, delta: i64) -> Vec<Effect> {
        let tab = self.tab;
        let mut fx: Vec<Effect> = self.list_mut(tab).move_by(delta).into_iter().collect();
        self.follow();
        fx.extend(self.select_effects());
        fx
    }

    fn jump(&mut self, top: bool) -> Vec<Effect> {
        let tab = self.tab;
        let mut fx: Vec<Effect> = self.list_mut(tab).jump(top).into_iter().collect();
        self.follow();
        fx.extend(self.select_effects());
        fx
    }

    fn follow(&mut self) {
        let rows = self.table_rows();
        self.opportunities.follow(rows);
        self.offers.follow(rows);
    }

    /// The key of the selected row's detail.
    pub fn selected_key(&self) -> Option<DetailKey> {
        if let Some(r) = &self.review {
            return r.current().map(|i| match &i.target {
                crate::market::actions::ReviewTarget::Opportunity(id) => DetailKey::Opportunity(id.clone()),
                crate::market::actions::ReviewTarget::Offer(id) => DetailKey::Offer(id.clone()),
            });
        }
        self.list(self.tab).selected_key()
    }

    /// Asks for the selected row's detail unless the pane already shows it.
    fn select_effects(&mut self) -> Vec<Effect> {
        let key = self.selected_key();
        match (&key, &self.detail) {
            (Some(k), Some((shown, _))) if k == shown => Vec::new(),
            (Some(k), _) => vec![Effect::LoadDetail(k.clone())],
            (None, _) => {
                self.detail = None;
                Vec::new()
            }
        }
    }

    /// An answer from the store worker.
    pub fn handle_msg(&mut self, msg: Msg) -> Vec<Effect> {
        if matches!(msg, Msg::Error(_)) {
            // The row the waiting keys were for cannot come: the error says why.
            self.waiting_keys.clear();
            self.reloading = None;
        }
        if matches!(msg, Msg::Session(_)) && self.reloading.is_some() {
            self.reloading = Some(true);
        }
        let mut fx = self.apply_msg(msg);
        if self.reloading == Some(true) && self.settled() {
            self.reloading = None;
            self.toast = Some(("Reloaded".into(), 8));
            self.toast_warn = false;
        }
        fx.extend(self.replay_waiting_keys());
        fx
    }

    fn apply_msg(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Session(s) => {
                let id = |s: &Session| s.actor.as_ref().map(|a| a.id.clone());
                let switched = self.session.as_ref().is_none_or(|old| id(old) != id(&s) || old.empty);
                self.busy = None;
                self.session = Some(*s);
                if switched {
                    self.detail = None;
                    self.detail_open = false;
                }
                if self.welcome() {
                    return Vec::new();
                }
                let mut fx = vec![self.partners.load()];
                for tab in [Tab::Opportunities, Tab::Offers] {
                    fx.extend(self.refetch(tab, switched));
                }
                fx
            }
            Msg::Opportunities(f, page) => {
                let more = self.opportunities.receive(&f, page);
                self.after_page(Tab::Opportunities, more.map(Effect::FetchOpportunities))
            }
            Msg::Offers(f, page) => {
                let more = self.offers.receive(&f, page);
                self.after_page(Tab::Offers, more.map(Effect::FetchOffers))
            }
            Msg::Count { tab, query_id, total, exact } => {
                self.list_mut(tab).receive_count(query_id, total, exact);
                self.follow();
                Vec::new()
            }
            Msg::Partners(rows) => {
                self.partners.receive(rows);
                if self.tab == Tab::Partners { self.select_effects() } else { Vec::new() }
            }
            Msg::Detail(key, detail) => {
                if self.selected_key().as_ref() == Some(&key) {
                    self.detail = Some((key, *detail));
                }
                Vec::new()
            }
            Msg::Toast(text) => {
                self.say(text, false);
                Vec::new()
            }
            Msg::Error(text) => {
                self.busy = None;
                self.popup = Some(Popup::Error(crate::domain::error::one_line(&text)));
                Vec::new()
            }
            Msg::Done(text) => self.done(text),
            Msg::OfferTargets(targets) => self.open_offer_form(targets),
            Msg::Review(items) => self.start_review(items),
        }
    }

    fn after_page(&mut self, tab: Tab, more: Option<Effect>) -> Vec<Effect> {
        self.follow();
        let mut fx: Vec<Effect> = more.into_iter().collect();
        if self.tab == tab {
            fx.extend(self.select_effects());
        }
        fx
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
}
