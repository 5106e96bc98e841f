//! TUI state and logic, synchronous and free of I/O: keys and store answers come in,
//! the state changes, and `Effect`s (requests for the store worker) go out.
//!
//! Layers take keys in this order: popup > form > filter field > review > table > global.

pub mod command;
mod confirm;
pub mod drill;
mod flows;
pub mod form;
pub mod keymap;
mod keys;
pub mod lists;
mod messages;
mod model;
mod mouse;
mod outcome;
pub mod pager;
mod paste;
mod remote;
mod review;
pub mod text;
mod verbs;

pub use model::{
    Confirm, Detail, DetailKey, EXPIRY_WEEKS, Effect, Msg, Popup, PushEnd, Review, Session, TerminalEffect,
};
pub use pager::StatusFilter;
pub use remote::Pushing;

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::Input;

use crate::domain::{AccountId, ProductId};
use crate::market::AnyAgreement;
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
    Agreements,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Partners, Tab::Opportunities, Tab::Offers, Tab::Agreements];
    pub fn title(self) -> &'static str {
        match self {
            Tab::Partners => text::tables::PARTNERS,
            Tab::Opportunities => text::tables::OPPORTUNITIES,
            Tab::Offers => text::tables::OFFERS,
            Tab::Agreements => text::tables::AGREEMENTS,
        }
    }
    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
    /// What `s` cycles through on this tab: creation, then its columns left to right (a
    /// test in `ui::tables` holds this to the columns drawn).
    pub fn sorts(self) -> &'static [Sort] {
        match self {
            Tab::Partners => &[],
            Tab::Opportunities => &[
                Sort::Created,
                Sort::Name,
                Sort::Product,
                Sort::Counterparty,
                Sort::Kind,
                Sort::Discount,
                Sort::Currency,
                Sort::Status,
                Sort::Date,
                Sort::Offers,
            ],
            Tab::Offers => &[Sort::Created, Sort::Name, Sort::Counterparty, Sort::Amount, Sort::Status, Sort::Date],
            Tab::Agreements => &[Sort::Created, Sort::Counterparty, Sort::Date, Sort::Status, Sort::Amount],
        }
    }
}

/// Terminal sizes below this show "enlarge the terminal".
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub mod layout;

/// The tabs: which one is shown, their lists, and the levels entered with `Enter`.
pub(crate) struct Tabs {
    pub(crate) tab: Tab,
    pub(crate) partners: lists::PartnerList,
    pub(crate) opportunities: Pager<OpportunityView>,
    pub(crate) offers: Pager<OfferView>,
    pub(crate) agreements: Pager<AnyAgreement>,
    /// The levels entered with `Enter` (partner → opportunities → offers), `Esc` goes back.
    pub(crate) drill: Vec<drill::Drill>,
    /// Each tab's filters and sort of the accounts that acted before (`@`), in tab order.
    pub(crate) kept: std::collections::HashMap<AccountId, Vec<lists::ListView>>,
}

/// The detail pane beside (or, opened, instead of) the table.
pub(crate) struct Pane {
    pub(crate) detail: Option<(DetailKey, Detail)>,
    /// The detail fills the body (Enter).
    pub(crate) open: bool,
    /// Lines of the detail scrolled past (`J` / `K`); back to 0 for another record.
    pub(crate) scroll: u16,
    /// How far the detail can scroll, as last drawn: the drawing knows how many lines it
    /// has (a `Cell`, as gitui keeps its scroll bounds), the keys stop there.
    pub(crate) scroll_max: std::cell::Cell<u16>,
    /// `t` on the Offers tab: the Active offers expiring in each of the next weeks, shown in
    /// place of the detail (`Some(empty)` until the counts are in).
    pub(crate) expiries: Option<Vec<u64>>,
    /// `t` on the Agreements tab: the value ending in each of the next twelve months, per
    /// currency, in place of the detail (`Some(empty)` until it is in).
    pub(crate) ending: Option<Vec<Vec<crate::domain::Money>>>,
}

/// What lies over the tables and takes the keys first.
pub(crate) struct Overlays {
    pub(crate) popup: Option<Popup>,
    pub(crate) form: Option<form::Form>,
    /// The filter being typed, while `/` is active.
    pub(crate) filter: Option<Input>,
    /// Stepping through the review queue (`v`).
    pub(crate) review: Option<Review>,
    /// A form asked of the store (`n`: the offer form's opportunities, a replacement's
    /// targets) is on its way: keys wait for it, not the table under it; Esc takes it back.
    pub(crate) form_coming: bool,
    /// How far the help can scroll, as last drawn (the drawing knows its wrapped lines).
    pub(crate) help_scroll_max: std::cell::Cell<u16>,
}

/// The notice at the bottom: its text and how many ticks it stays; `warn` for refusals.
pub(crate) struct Toast {
    pub(crate) text: Option<(String, u8)>,
    pub(crate) warn: bool,
}

/// The TUI's state: no I/O here. Its rooms are private; the drawing and the tests read them
/// through the accessors below, and only keys, store answers and ticks change them.
pub struct App {
    session: Option<Session>,
    tabs: Tabs,
    pane: Pane,
    over: Overlays,
    toast: Toast,
    /// Slow ticks since the file was last checked for other writers.
    polls: u8,
    width: u16,
    height: u16,
    quit: bool,
    /// A long operation is running (the demo load).
    busy: Option<String>,
    /// Keys typed while the row they act on was still on its way (a page or its detail),
    /// replayed in order once it is in: an action key always acts on the row on screen.
    waiting_keys: std::collections::VecDeque<KeyEvent>,
    /// `R` was pressed: `Some(false)` until the session is read again, `Some(true)` until the
    /// rows and detail are in; then the toast says "Reloaded".
    reloading: Option<bool>,
    /// What the terminal is to do, in order, until the loop takes it.
    terminal: Vec<TerminalEffect>,
    /// A pull from AWS is running (`P`): its progress, for the bottom line.
    pulling: Option<String>,
    /// A push to AWS is running (`X`): its record and status, for the bottom line and detail.
    pushing: Option<Pushing>,
    /// How the last push of this run ended, for its record's detail.
    last_push: Option<PushEnd>,
}

impl App {
    pub fn new(width: u16, height: u16) -> Self {
        Self {
            session: None,
            tabs: Tabs {
                tab: Tab::Offers,
                partners: lists::PartnerList::default(),
                opportunities: Pager::default(),
                offers: Pager::default(),
                agreements: Pager::default(),
                drill: Vec::new(),
                kept: std::collections::HashMap::new(),
            },
            pane: Pane {
                detail: None,
                open: false,
                scroll: 0,
                scroll_max: std::cell::Cell::new(0),
                expiries: None,
                ending: None,
            },
            over: Overlays {
                popup: None,
                form: None,
                filter: None,
                review: None,
                form_coming: false,
                help_scroll_max: std::cell::Cell::new(0),
            },
            toast: Toast { text: None, warn: false },
            polls: 0,
            width,
            height,
            quit: false,
            busy: None,
            waiting_keys: std::collections::VecDeque::new(),
            reloading: None,
            terminal: Vec::new(),
            pulling: None,
            pushing: None,
            last_push: None,
        }
    }

    // What the drawing, the loop and the tests read.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }
    /// The file's name as the title bar shows it (tests fix it for stable snapshots).
    pub fn set_file_label(&mut self, label: &str) {
        if let Some(s) = &mut self.session {
            s.file = label.to_owned();
        }
    }
    pub fn tab(&self) -> Tab {
        self.tabs.tab
    }
    pub fn partners(&self) -> &lists::PartnerList {
        &self.tabs.partners
    }
    pub fn opportunities(&self) -> &Pager<OpportunityView> {
        &self.tabs.opportunities
    }
    pub fn offers(&self) -> &Pager<OfferView> {
        &self.tabs.offers
    }
    pub fn agreements(&self) -> &Pager<AnyAgreement> {
        &self.tabs.agreements
    }
    pub fn detail(&self) -> Option<&(DetailKey, Detail)> {
        self.pane.detail.as_ref()
    }
    pub fn detail_open(&self) -> bool {
        self.pane.open
    }
    pub fn detail_scroll(&self) -> u16 {
        self.pane.scroll
    }
    /// Set by the drawing, which knows how many lines the help has at this width.
    pub fn help_scroll_max(&self) -> &std::cell::Cell<u16> {
        &self.over.help_scroll_max
    }
    /// Set by the drawing, which knows how many lines the detail has.
    pub fn detail_scroll_max(&self) -> &std::cell::Cell<u16> {
        &self.pane.scroll_max
    }
    pub fn expiries(&self) -> Option<&[u64]> {
        self.pane.expiries.as_deref()
    }
    /// The chart of value ending per month (`t` on the Agreements tab), once asked.
    pub fn value_ending(&self) -> Option<&[Vec<crate::domain::Money>]> {
        self.pane.ending.as_deref()
    }
    pub fn popup(&self) -> Option<&Popup> {
        self.over.popup.as_ref()
    }
    pub fn form(&self) -> Option<&form::Form> {
        self.over.form.as_ref()
    }
    /// A form asked for is on its way (the keys typed wait for it).
    pub fn form_coming(&self) -> bool {
        self.over.form_coming
    }
    pub fn filter_input(&self) -> Option<&Input> {
        self.over.filter.as_ref()
    }
    pub fn review(&self) -> Option<&Review> {
        self.over.review.as_ref()
    }
    pub fn toast(&self) -> Option<&str> {
        self.toast.text.as_ref().map(|(t, _)| t.as_str())
    }
    pub fn toast_warn(&self) -> bool {
        self.toast.warn
    }
    pub fn width(&self) -> u16 {
        self.width
    }
    pub fn height(&self) -> u16 {
        self.height
    }
    /// The person asked to leave.
    pub fn quit(&self) -> bool {
        self.quit
    }
    pub fn busy(&self) -> Option<&str> {
        self.busy.as_deref()
    }
    /// A running pull's progress (`P`).
    pub fn pulling(&self) -> Option<&str> {
        self.pulling.as_deref()
    }

    /// The push running in the background, if any.
    pub fn pushing(&self) -> Option<&Pushing> {
        self.pushing.as_ref()
    }

    /// How the last push of this run ended.
    pub fn last_push(&self) -> Option<&PushEnd> {
        self.last_push.as_ref()
    }

    // Who acts, and on which day.
    pub(super) fn today(&self) -> chrono::NaiveDate {
        self.session.as_ref().map_or_else(|| chrono::Utc::now().date_naive(), |s| s.today)
    }

    pub(super) fn me(&self) -> Option<AccountId> {
        self.session.as_ref()?.actor.as_ref().map(|a| a.id.clone())
    }

    /// The acting account's roles (none before the session is in).
    pub(super) fn roles(&self) -> crate::domain::Roles {
        self.session.as_ref().and_then(|s| s.actor.as_ref()).map(|a| a.roles).unwrap_or_default()
    }

    /// What the terminal is to do since the last call (copy to the clipboard).
    pub fn take_terminal_effects(&mut self) -> Vec<TerminalEffect> {
        std::mem::take(&mut self.terminal)
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
        } else if self.over.review.is_some() {
            vec![Scope::Review, Scope::Table, Scope::Global]
        } else {
            vec![Scope::Table, Scope::Global]
        }
    }

    fn table_rows(&self) -> u16 {
        layout::table_rows(self.height, self.pane.open)
    }

    /// A terminal event.
    pub fn handle_event(&mut self, ev: &Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => self.handle_key(k),
            Event::Mouse(m) => self.mouse(m),
            Event::Resize(w, h) => {
                self.width = *w;
                self.height = *h;
                self.follow();
                Vec::new()
            }
            Event::Paste(text) => {
                if let Some(Popup::Accounts(picker)) = &mut self.over.popup {
                    picker.paste(text);
                    return Vec::new();
                }
                if self.over.popup.is_none()
                    && let Some(form) = &mut self.over.form
                {
                    let ev = form.paste(text);
                    return self.form_event(ev);
                }
                if let Some(input) = &mut self.over.filter {
                    for c in paste::pasted_line(text).chars() {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    return self.apply_filter();
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Three lines of the detail down or up, no further than it goes.
    fn scroll_detail(&mut self, down: bool) {
        self.pane.scroll = if down {
            (self.pane.scroll + 3).min(self.pane.scroll_max.get())
        } else {
            self.pane.scroll.saturating_sub(3)
        };
    }

    /// Every fourth slow tick (a second by default): has another program written to the
    /// file? Not while a form, a popup or a long operation is up.
    pub fn poll(&mut self) -> Vec<Effect> {
        self.polls = (self.polls + 1) % 4;
        let idle = self.over.form.is_none() && self.over.popup.is_none() && self.busy.is_none();
        if self.polls == 0 && idle && self.session.as_ref().is_some_and(|s| !s.empty) {
            vec![Effect::CheckFile]
        } else {
            Vec::new()
        }
    }

    /// The slow tick: toasts fade.
    pub fn tick(&mut self) -> bool {
        match &mut self.toast.text {
            Some((_, n)) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.toast.text = None;
                true
            }
            None => false,
        }
    }

    /// The row under the cursor is the one on screen for good, and its detail is in (or
    /// there is no row): an action key can be judged on it.
    pub fn settled(&self) -> bool {
        let Some(session) = &self.session else { return false };
        if session.empty {
            return true;
        }
        let rows = self.over.review.is_some() || self.list(self.tabs.tab).is_settled();
        rows && self.selected_key().is_none_or(|k| self.pane.detail.as_ref().is_some_and(|(d, _)| *d == k))
    }
}

impl App {
    fn act(&mut self, action: Action) -> Vec<Effect> {
        let half = i64::from((self.table_rows() / 2).max(1));
        if self.over.review.is_some() && action.is_navigation() {
            return Vec::new();
        }
        // The record under the cursor left the list: the row there now is not what the user
        // chose, and no key acts on it until they move.
        if action.uses_selected()
            && self.over.review.is_none()
            && let Some(note) = self.list(self.tabs.tab).gone_note()
        {
            self.say(text::notices::move_first(&note), true);
            return Vec::new();
        }
        match action {
            // Quitting during a push leaves AWS's answer unrecorded: said once, then done.
            Action::Quit => {
                match &mut self.pushing {
                    Some(p) if !p.quit_asked => {
                        p.quit_asked = true;
                        self.say(text::notices::QUIT_DURING_PUSH.into(), true);
                    }
                    _ => self.quit = true,
                }
                Vec::new()
            }
            Action::Partners => self.switch_tab(Tab::Partners),
            Action::Opportunities => self.switch_tab(Tab::Opportunities),
            Action::Offers => self.switch_tab(Tab::Offers),
            Action::Agreements => self.switch_tab(Tab::Agreements),
            Action::NextTab => self.switch_tab(Tab::ALL[(self.tabs.tab.index() + 1) % Tab::ALL.len()]),
            Action::PrevTab => self.switch_tab(Tab::ALL[(self.tabs.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]),
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(half),
            Action::PageUp => self.move_by(-half),
            Action::Top => self.jump(true),
            Action::Bottom => self.jump(false),
            Action::Open => self.drill_down(),
            Action::Back => {
                if self.over.review.is_some() {
                    self.over.review = None;
                    self.pane.detail = None;
                    return self.select_effects();
                }
                if self.pane.open {
                    self.pane.open = false;
                    self.follow();
                    Vec::new()
                } else if let Some(fx) = self.drill_up() {
                    fx
                } else if !self.current_filter().is_empty() {
                    self.set_filter(String::new())
                } else {
                    Vec::new()
                }
            }
            Action::Filter => {
                self.pane.open = false;
                self.over.filter = Some(Input::new(self.current_filter().to_owned()));
                Vec::new()
            }
            Action::Copy => {
                let id = match self.selected_key() {
                    Some(DetailKey::Offer(id)) => id.to_string(),
                    Some(DetailKey::Opportunity(id)) => id.to_string(),
                    Some(DetailKey::Agreement(id)) => id.to_string(),
                    Some(DetailKey::Partner { account, .. }) => account.to_string(),
                    None => return Vec::new(),
                };
                self.say(text::notices::copied(&id), false);
                self.terminal.push(TerminalEffect::Copy(id));
                Vec::new()
            }
            Action::DetailDown | Action::DetailUp => {
                self.scroll_detail(action == Action::DetailDown);
                Vec::new()
            }
            Action::Expiries if self.tabs.tab == Tab::Agreements => {
                if self.pane.ending.take().is_some() {
                    return Vec::new();
                }
                self.pane.ending = Some(Vec::new());
                self.pane.open = false;
                vec![Effect::LoadValueEnding]
            }
            Action::Radar => {
                if self.tabs.tab != Tab::Agreements {
                    self.say(text::notices::RADAR_ON_AGREEMENTS.into(), true);
                    return Vec::new();
                }
                let p = &mut self.tabs.agreements;
                let now = match StatusFilter::agreement(p.status) {
                    Some(crate::market::AgreementNarrow::EndingWithin(d)) => Some(d),
                    _ => None,
                };
                let next = crate::domain::radar::next_window(now);
                p.status = next.map(|d| StatusFilter::Agreement(crate::market::AgreementNarrow::EndingWithin(d)));
                // The radar lists the soonest first.
                if next.is_some() {
                    p.sort = Sort::Date;
                    p.descending = false;
                }
                self.reset_tab(Tab::Agreements)
            }
            Action::Expiries => {
                if self.tabs.tab != Tab::Offers {
                    self.say(text::notices::EXPIRIES_ON_OFFERS.into(), true);
                    return Vec::new();
                }
                if self.pane.expiries.take().is_some() {
                    return Vec::new();
                }
                self.pane.expiries = Some(Vec::new());
                self.pane.open = false;
                vec![Effect::LoadExpiries]
            }
            Action::StatusFilter => {
                let tab = self.tabs.tab;
                if !self.list_mut(tab).cycle_status() {
                    self.say(text::notices::NO_STATUSES.into(), true);
                    return Vec::new();
                }
                self.reset_tab(tab)
            }
            Action::Sort | Action::ReverseSort => {
                let tab = self.tabs.tab;
                let sorts = tab.sorts();
                let Some(p) = self.pager_sort(tab) else { return Vec::new() };
                if action == Action::Sort {
                    let i = sorts.iter().position(|s| *s == *p.0).unwrap_or(0);
                    *p.0 = sorts[(i + 1) % sorts.len()];
                    *p.1 = *p.0 == Sort::Created;
                } else {
                    *p.1 = !*p.1;
                }
                self.reset_tab(tab)
            }
            Action::SwitchAccount => {
                let Some(s) = &self.session else { return Vec::new() };
                let options = s
                    .accounts
                    .iter()
                    .map(|a| {
                        let now = s.actor.as_ref().is_some_and(|x| x.id == a.id);
                        let roles = a.roles.names().join(", ");
                        let note = if now { text::notices::acting_now(&roles) } else { roles };
                        form::PickOption { value: a.id.to_string(), label: a.name.clone(), note }
                    })
                    .collect();
                let acting = s.actor.as_ref().map(|a| a.id.to_string()).unwrap_or_default();
                let picker = form::Picker::new(0, text::notices::ACT_AS.into(), options, false, "").on(&acting);
                self.over.popup = Some(Popup::Accounts(Box::new(picker)));
                Vec::new()
            }
            Action::Reload => {
                self.reloading = Some(false);
                self.tabs.partners.loaded = false;
                self.notice_gone();
                vec![Effect::LoadSession]
            }
            Action::Help => {
                self.over.popup = Some(Popup::Help(0));
                Vec::new()
            }
            Action::LoadDemo => {
                self.busy = Some(text::notices::LOADING_DEMO.into());
                vec![Effect::LoadDemo]
            }
            Action::New => self.new_record(),
            Action::Edit => self.edit_selected(),
            Action::Extend => self.extend_selected(),
            Action::Finance => self.finance_selected(),
            Action::Release | Action::End | Action::Accept | Action::Pay | Action::Export | Action::Delete => {
                self.confirm_selected(action)
            }
            Action::Review => vec![Effect::LoadReview],
            Action::Pull => self.pull(),
            Action::Skip => self.review_step(),
            Action::PrevItem => self.review_back(),
            // The popup and form actions are dispatched where those take their keys.
            Action::Confirm
            | Action::ConfirmWithRelease
            | Action::Cancel
            | Action::Pick
            | Action::OpenPicker
            | Action::NextField
            | Action::PrevField
            | Action::Advance
            | Action::Save
            | Action::Choose => Vec::new(),
        }
    }

    fn pager_sort(&mut self, tab: Tab) -> Option<(&mut Sort, &mut bool)> {
        self.list_mut(tab).sort_mut()
    }

    pub fn current_filter(&self) -> &str {
        self.list(self.tabs.tab).filter()
    }

    fn switch_tab(&mut self, tab: Tab) -> Vec<Effect> {
        if tab == self.tabs.tab {
            return Vec::new();
        }
        self.tabs.tab = tab;
        self.pane.open = false;
        self.pane.detail = None;
        if let Some(note) = self.list(tab).gone_note() {
            self.say(note, true);
        }
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
        let tab = self.tabs.tab;
        let mut fx: Vec<Effect> = self.list_mut(tab).move_by(delta).into_iter().collect();
        self.follow();
        fx.extend(self.select_effects());
        fx
    }

    fn jump(&mut self, top: bool) -> Vec<Effect> {
        let tab = self.tabs.tab;
        let mut fx: Vec<Effect> = self.list_mut(tab).jump(top).into_iter().collect();
        self.follow();
        fx.extend(self.select_effects());
        fx
    }

    fn follow(&mut self) {
        let rows = self.table_rows();
        self.tabs.opportunities.follow(rows);
        self.tabs.offers.follow(rows);
        self.tabs.agreements.follow(rows);
    }

    /// The key of the selected row's detail.
    pub fn selected_key(&self) -> Option<DetailKey> {
        if let Some(r) = &self.over.review {
            return r.current().map(|i| match &i.target {
                crate::market::actions::ReviewTarget::Opportunity(id) => DetailKey::Opportunity(id.clone()),
                crate::market::actions::ReviewTarget::Offer(id) => DetailKey::Offer(id.clone()),
                crate::market::actions::ReviewTarget::Agreement(id) => DetailKey::Agreement(id.clone()),
            });
        }
        self.list(self.tabs.tab).selected_key()
    }

    /// Asks for the selected row's detail unless the pane already shows it.
    fn select_effects(&mut self) -> Vec<Effect> {
        let key = self.selected_key();
        match (&key, &self.pane.detail) {
            (Some(k), Some((shown, _))) if k == shown => Vec::new(),
            (Some(k), _) => vec![Effect::LoadDetail(k.clone())],
            (None, _) => {
                self.pane.detail = None;
                Vec::new()
            }
        }
    }
}
