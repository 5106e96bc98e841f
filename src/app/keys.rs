//! Keys: what waits for its row or its form, then who takes each key (popup > form > filter field >
//! review > table > global).

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::form::PickEvent;
use super::keymap::{self, Action, Scope};
use super::{App, Effect, Popup, form};
use crate::domain::AccountId;

impl App {
    pub fn handle_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        // While "Enlarge the terminal" hides everything, a key could act on a row nobody
        // sees: only quitting works.
        if self.too_small() {
            if is_ctrl_c(key) || keymap::lookup(key, &[Scope::Global]) == Some(Action::Quit) {
                self.quit = true;
            }
            return Vec::new();
        }
        if self.over.form_coming && keymap::lookup(key, &[Scope::Form]) == Some(Action::Cancel) {
            // Esc takes back the form on its way, and the keys typed for it.
            self.over.form_coming = false;
            self.waiting_keys.clear();
            return Vec::new();
        }
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

    /// Whether `key` waits: for the form on its way (all but Ctrl-c), or, acting on the
    /// selected row, for that row to settle.
    fn must_wait(&self, key: &KeyEvent) -> bool {
        if self.over.form_coming {
            return !is_ctrl_c(key);
        }
        if self.over.popup.is_some() || self.over.form.is_some() || self.over.filter.is_some() || self.busy.is_some() {
            return false;
        }
        let acts_on_row = keymap::lookup(key, &self.scopes()).is_some_and(Action::acts_on_row);
        acts_on_row && !self.settled()
    }

    /// Replays the keys that waited, as far as the state now allows.
    pub(super) fn replay_waiting_keys(&mut self) -> Vec<Effect> {
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
        if is_ctrl_c(key) && (self.over.popup.is_some() || self.over.filter.is_some()) {
            self.over.popup = None;
            self.over.filter = None;
            let ev = self.over.form.as_mut().map_or(form::FormEvent::Quit, |f| f.quit());
            return self.form_event(ev);
        }
        if let Some(popup) = self.over.popup.take() {
            return self.popup_key(popup, key);
        }
        if let Some(form) = &mut self.over.form {
            let ev = form.handle_key(key);
            return self.form_event(ev);
        }
        if self.over.filter.is_some() {
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

    /// A key for the popup on top, through its keymap scope.
    fn popup_key(&mut self, popup: Popup, key: &KeyEvent) -> Vec<Effect> {
        let scope = match popup {
            Popup::Help(_) => Scope::Help,
            Popup::Confirm(_) => Scope::Confirm,
            Popup::Accounts(_) => Scope::Picker,
            Popup::Error(_) => Scope::Error,
        };
        let action = keymap::lookup(key, &[scope]);
        if action == Some(Action::Cancel) {
            return Vec::new();
        }
        match (popup, action) {
            (Popup::Accounts(mut picker), _) => match picker.handle_key(key) {
                PickEvent::Pick(id) => match AccountId::parse(&id) {
                    Ok(id) => vec![Effect::SwitchActor(id)],
                    Err(_) => Vec::new(),
                },
                PickEvent::Cancel => Vec::new(),
                PickEvent::Nothing => {
                    self.over.popup = Some(Popup::Accounts(picker));
                    Vec::new()
                }
            },
            (Popup::Help(scroll), action) => {
                // No further than the drawing found lines for.
                let max = self.over.help_scroll_max.get();
                let scroll = match action {
                    Some(Action::Down) => scroll.saturating_add(1),
                    Some(Action::Up) => scroll.saturating_sub(1),
                    Some(Action::PageDown) => scroll.saturating_add(10),
                    Some(Action::PageUp) => scroll.saturating_sub(10),
                    Some(Action::Top) => 0,
                    Some(Action::Bottom) => max,
                    _ => scroll,
                }
                .min(max);
                self.over.popup = Some(Popup::Help(scroll));
                Vec::new()
            }
            // A push runs in the background; everything else holds the keys until it is done.
            (Popup::Confirm(c), Some(Action::Confirm)) if matches!(c.effect, Effect::Push { .. }) => {
                self.start_push(c.effect)
            }
            (Popup::Confirm(c), Some(Action::ConfirmWithRelease))
                if matches!(c.with_release, Some(Effect::Push { .. })) =>
            {
                self.start_push(c.with_release.expect("checked by the guard"))
            }
            (Popup::Confirm(c), Some(Action::Confirm)) => {
                self.busy = Some(super::text::notices::busy(&c.title));
                vec![c.effect]
            }
            (Popup::Confirm(c), Some(Action::ConfirmWithRelease)) if c.with_release.is_some() => {
                self.busy = Some(super::text::notices::busy(&c.title));
                vec![c.with_release.expect("checked by the guard")]
            }
            (other, _) => {
                self.over.popup = Some(other);
                Vec::new()
            }
        }
    }

    fn filter_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Enter => {
                self.over.filter = None;
                let tab = self.tabs.tab;
                if self.list_mut(tab).status_from_filter() { self.reset_tab(tab) } else { Vec::new() }
            }
            KeyCode::Esc => {
                self.over.filter = None;
                self.set_filter(String::new())
            }
            _ => {
                let input = self.over.filter.as_mut().expect("checked by the caller");
                if input.handle_event(&Event::Key(*key)).is_some_and(|c| c.value) {
                    return self.apply_filter();
                }
                Vec::new()
            }
        }
    }

    pub(super) fn apply_filter(&mut self) -> Vec<Effect> {
        let text = self.over.filter.as_ref().map(|i| i.value().trim().to_owned()).unwrap_or_default();
        self.set_filter(text)
    }

    pub(super) fn set_filter(&mut self, text: String) -> Vec<Effect> {
        let tab = self.tabs.tab;
        if self.list_mut(tab).set_filter(text) { self.reset_tab(tab) } else { Vec::new() }
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
}
