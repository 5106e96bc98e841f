//! A searchable list that fills one form field: type to narrow it (fuzzy, with the matcher
//! helix uses, over names and ids alike), best match first; the order given breaks ties, so
//! the accounts an opportunity allows come before the rest.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Field, FieldKey, FieldKind, Form, FormEvent, FormKind};
use crate::app::keymap::{self, Action, Scope};
use crate::market::views::AccountView;

/// One thing to pick: the value the field takes, what the list shows, and a note (why it
/// is offered first, its roles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    pub value: String,
    pub label: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Picker {
    /// The field it fills (an index into the form's fields).
    pub field: usize,
    pub title: String,
    pub query: Input,
    pub options: Vec<PickOption>,
    /// The options the query matches, best first (indexes into `options`).
    pub matches: Vec<usize>,
    pub cursor: usize,
    /// The pick is added to a comma-separated list rather than replacing the value.
    pub append: bool,
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickEvent {
    Nothing,
    Cancel,
    Pick(String),
}

impl Picker {
    pub fn new(field: usize, title: String, options: Vec<PickOption>, append: bool, query: &str) -> Self {
        let mut p =
            Self { field, title, query: Input::new(query.to_owned()), options, matches: Vec::new(), cursor: 0, append };
        p.narrow();
        p
    }

    /// The cursor on the option of `value`, if it is listed (`@` opens on the acting account).
    pub fn on(mut self, value: &str) -> Self {
        if let Some(at) = self.matches.iter().position(|&i| self.options[i].value == value) {
            self.cursor = at;
        }
        self
    }

    /// The option under the cursor.
    pub fn selected(&self) -> Option<&PickOption> {
        self.matches.get(self.cursor).map(|&i| &self.options[i])
    }

    fn narrow(&mut self) {
        let query = crate::domain::ids::search_text(self.query.value());
        let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, u32)> = self
            .options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let hay = format!("{} {} {}", o.label, o.value, o.note);
                pattern.score(Utf32Str::new(&hay, &mut buf), &mut matcher).map(|s| (i, s))
            })
            .collect();
        // Stable: equal scores keep the order given.
        scored.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
        self.matches = scored.into_iter().map(|(i, _)| i).collect();
        self.cursor = 0;
    }

    /// Pasted text narrows the list as typed text does.
    pub fn paste(&mut self, text: &str) {
        for c in crate::app::paste::pasted_line(text).chars() {
            self.query.handle(tui_input::InputRequest::InsertChar(c));
        }
        self.narrow();
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> PickEvent {
        let last = self.matches.len().saturating_sub(1);
        match keymap::lookup(key, &[Scope::Picker]) {
            Some(Action::Cancel) => return PickEvent::Cancel,
            Some(Action::Pick) => {
                return self.selected().map_or(PickEvent::Nothing, |o| PickEvent::Pick(o.value.clone()));
            }
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(last),
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::PageDown) => self.cursor = (self.cursor + 10).min(last),
            Some(Action::PageUp) => self.cursor = self.cursor.saturating_sub(10),
            _ => {
                if self.query.handle_event(&Event::Key(*key)).is_some_and(|c| c.value) {
                    self.narrow();
                }
            }
        }
        PickEvent::Nothing
    }
}

impl Form {
    /// Gives the form the file's accounts (buyers to pick, names beside ids).
    pub fn with_accounts(mut self, accounts: &[AccountView]) -> Self {
        self.accounts = accounts.to_vec();
        self
    }

    /// The name of account `id`, if the form knows it.
    pub fn account_name(&self, id: &str) -> Option<&str> {
        self.accounts.iter().find(|a| a.id.as_str() == id).map(|a| a.name.as_str())
    }

    /// The names of the accounts a field's value lists, to show beside the ids.
    pub fn echo(&self, field: &Field) -> Option<String> {
        if !matches!(field.key, FieldKey::Buyer | FieldKey::Buyers) {
            return None;
        }
        let names: Vec<&str> = field
            .value()
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .filter_map(|v| self.account_name(v))
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// Opens the list for the focused field, narrowed by `query`; false if it has none.
    pub(super) fn open_picker(&mut self, query: &str) -> bool {
        let Some(f) = self.fields.get(self.focus).filter(|f| !f.locked) else { return false };
        let (options, append) = match (&f.kind, &f.key) {
            (FieldKind::Choice(o, _), _) => (
                o.iter().map(|(v, l)| PickOption { value: v.clone(), label: l.clone(), note: String::new() }).collect(),
                false,
            ),
            (_, FieldKey::Buyer) => (self.buyer_options(), false),
            (_, FieldKey::Buyers) => (self.buyer_options(), true),
            _ => return false,
        };
        if options.is_empty() {
            return false;
        }
        let title = crate::app::text::forms::pick_the(&f.label);
        self.picker = Some(Picker::new(self.focus, title, options, append, query));
        true
    }

    /// The buyers to offer: those the opportunity allows when it names some (no other is
    /// accepted), else every account with the buyer role.
    fn buyer_options(&self) -> Vec<PickOption> {
        let allowed = match (&self.kind, self.chosen_opportunity()) {
            (FormKind::Offer { .. }, Some(o)) => o.buyer_account_ids.clone(),
            _ => Vec::new(),
        };
        if !allowed.is_empty() {
            return allowed
                .iter()
                .map(|id| PickOption {
                    value: id.to_string(),
                    label: self.account_name(id.as_str()).unwrap_or("").to_owned(),
                    note: crate::app::text::forms::ALLOWED_BY_OPPORTUNITY.into(),
                })
                .collect();
        }
        self.accounts
            .iter()
            .filter(|a| a.roles.buyer)
            .map(|a| PickOption { value: a.id.to_string(), label: a.name.clone(), note: a.roles.names().join(", ") })
            .collect()
    }

    /// Puts the picked value in its field, as if typed.
    pub(super) fn pick(&mut self, value: String) -> FormEvent {
        let Some(picker) = self.picker.take() else { return FormEvent::Nothing };
        let Some(field) = self.fields.get_mut(picker.field) else { return FormEvent::Nothing };
        match &mut field.kind {
            FieldKind::Choice(options, i) => {
                if let Some(at) = options.iter().position(|(v, _)| *v == value) {
                    *i = at;
                }
            }
            FieldKind::Text(input) if picker.append => {
                let mut ids: Vec<String> =
                    input.value().split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
                if !ids.contains(&value) {
                    ids.push(value);
                }
                *input = Input::new(ids.join(", "));
            }
            FieldKind::Text(input) => *input = Input::new(value),
            FieldKind::Toggle(_) => {}
        }
        self.changed(picker.field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn opt(value: &str, label: &str) -> PickOption {
        PickOption { value: value.into(), label: label.into(), note: String::new() }
    }

    fn typed(p: &mut Picker, s: &str) {
        for c in s.chars() {
            p.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn typing_narrows_by_name_or_id_fuzzily_and_enter_picks_the_best() {
        let options = vec![
            opt("221078463519", "Contoso Retail Ltd"),
            opt("498316720045", "Fabrikam Health Systems"),
            opt("830917264352", "Woodgrove Bank"),
        ];
        let mut p = Picker::new(0, "Buyer".into(), options, false, "");
        assert_eq!(p.matches, vec![0, 1, 2], "nothing typed: all, in the order given");
        typed(&mut p, "fbrkm");
        assert_eq!(p.selected().map(|o| o.label.as_str()), Some("Fabrikam Health Systems"));
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(p.handle_key(&enter), PickEvent::Pick("498316720045".into()));
        let mut p = Picker::new(0, "Buyer".into(), p.options.clone(), false, "8309");
        assert_eq!(p.matches, vec![2], "by id");
        typed(&mut p, "zzz");
        assert!(p.matches.is_empty());
        assert_eq!(p.handle_key(&enter), PickEvent::Nothing, "nothing to pick");
    }

    #[test]
    fn arrows_move_within_the_matches_and_esc_cancels() {
        let options = vec![opt("1", "a one"), opt("2", "a two"), opt("3", "a three")];
        let mut p = Picker::new(0, "X".into(), options, false, "");
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        p.handle_key(&key(KeyCode::Down));
        p.handle_key(&key(KeyCode::Down));
        p.handle_key(&key(KeyCode::Down));
        assert_eq!(p.cursor, 2, "held at the last");
        p.handle_key(&KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
        assert_eq!(p.cursor, 1);
        assert_eq!(p.handle_key(&key(KeyCode::Esc)), PickEvent::Cancel);
    }
}
