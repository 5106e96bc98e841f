//! A form's state: its fields (typed text in tui-input, choices, toggles; a searchable
//! `picker` for long lists), checked on every keystroke with the domain's parsers and rules,
//! and what submitting makes (`terms`: the use case's terms and `Command`). Which forms
//! exist, with which fields in which order, is `build`'s. Errors show under their field;
//! submit is blocked while any remain; `Esc` asks before discarding typed input. Rules that
//! span records (buyer targeting, expiry within the opportunity, consumption) are judged by
//! the domain through the live preview the worker computes, and again by the use case on save.

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::Decimal;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::command::Command;
use super::keymap::{self, Action, Scope};
use super::text::forms as t;
use crate::domain::account::{PartnerKind, validate_text};
use crate::domain::agreement::check_end;
use crate::domain::clock::{DateRange, check_not_past};
use crate::domain::input;
use crate::domain::offer::check_expiry_within;
use crate::domain::opportunity::grants::check_grants;
use crate::domain::opportunity::{OpportunityKind, check_buyer_count};
use crate::domain::pricing::Breakdown;
use crate::domain::product::PricingModel;
use crate::domain::{AccountId, AgreementId, OfferId, OpportunityId, Roles};
use crate::market::views::{AccountView, OpportunityView, ProductView};

/// What a field is, for validation and for building the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKey {
    Opportunity,
    Name,
    Buyer,
    Markup,
    Expires,
    Quantity(String),
    /// One of the opportunity's durations (only when it offers several).
    Duration,
    Description,
    Partner,
    Product,
    Kind,
    Currency,
    Discount,
    Price(String),
    EndsOn,
    /// A replacement offer's end date for the agreement it makes.
    AgreementEnds,
    Buyers,
    Renewal,
    /// The units an installment plan grants, `KEY=UNITS, ...` (an edited draft with a plan).
    Grants,
    AccountId,
    LegalName,
    Isv,
    PartnerRole,
    BuyerRole,
    Distributor,
    /// The financing form's financier, months and status.
    Provider,
    Months,
    FinancingStatus,
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text(Input),
    /// `(value, label)` options; Left/Right or Space cycle.
    Choice(Vec<(String, String)>, usize),
    /// Space toggles.
    Toggle(bool),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: FieldKey,
    pub label: String,
    pub kind: FieldKind,
    pub error: Option<String>,
    /// Shown but not editable (e.g. the buyer of a one-time opportunity).
    pub locked: bool,
    pub hint: String,
    /// Typed into: its error shows (an untouched empty field waits for a save attempt).
    pub touched: bool,
}

impl Field {
    fn text(key: FieldKey, label: impl Into<String>, value: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            key,
            label: label.into(),
            kind: FieldKind::Text(Input::new(value.into())),
            error: None,
            locked: false,
            hint: hint.into(),
            touched: false,
        }
    }
    fn choice(key: FieldKey, label: &str, options: Vec<(String, String)>, selected: usize) -> Self {
        Self {
            key,
            label: label.into(),
            kind: FieldKind::Choice(options, selected),
            error: None,
            locked: false,
            hint: t::CHOICE_HINT.into(),
            touched: false,
        }
    }
    fn toggle(key: FieldKey, label: &str, on: bool, hint: &str) -> Self {
        Self {
            key,
            label: label.into(),
            kind: FieldKind::Toggle(on),
            error: None,
            locked: false,
            hint: hint.into(),
            touched: false,
        }
    }
    /// The text typed, the chosen value, or `yes`/`no`.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text(i) => i.value().trim().to_owned(),
            FieldKind::Choice(o, i) => o.get(*i).map(|(v, _)| v.clone()).unwrap_or_default(),
            FieldKind::Toggle(on) => if *on { "yes" } else { "no" }.into(),
        }
    }
    /// What the field shows.
    pub fn display(&self) -> String {
        match &self.kind {
            FieldKind::Text(i) => i.value().to_owned(),
            FieldKind::Choice(o, i) => o.get(*i).map(|(_, l)| format!("‹ {l} ›")).unwrap_or_else(|| t::NONE.into()),
            FieldKind::Toggle(on) => if *on { "[x]" } else { "[ ]" }.into(),
        }
    }
}

/// Which form, with what it needs to build its command.
#[derive(Debug, Clone)]
pub enum FormKind {
    /// A new offer (`edit`: the draft being changed and the version read; `replaces`: the
    /// agreement a replacement offer replaces, its buyer fixed).
    Offer {
        opportunities: Vec<OpportunityView>,
        edit: Option<(OfferId, i64)>,
        replaces: Option<AgreementId>,
    },
    /// A new opportunity (`edit`: the draft, its version and the terms the form does not show).
    Opportunity {
        partners: Vec<AccountView>,
        products: Vec<ProductView>,
        edit: Option<(OpportunityId, i64, Carry)>,
    },
    /// A later date for a released offer's expiry or an Active opportunity's end (`E`).
    Extend {
        target: Extending,
        /// The offer's buyer, or the opportunity's partner: who the new date is for.
        party: String,
        current: Option<NaiveDate>,
        /// The days the domain allows, shown before anything is typed.
        range: DateRange,
    },
    /// A step of an agreement's financing (buyer).
    Finance {
        agreement: AgreementId,
    },
    Account,
}

/// What `E` extends, by its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extending {
    Offer(OfferId, String),
    Opportunity(OpportunityId, String),
}

impl Extending {
    pub fn name(&self) -> &str {
        match self {
            Extending::Offer(_, n) | Extending::Opportunity(_, n) => n,
        }
    }
    /// The field its new date is typed in.
    pub fn field(&self) -> FieldKey {
        match self {
            Extending::Offer(..) => FieldKey::Expires,
            Extending::Opportunity(..) => FieldKey::EndsOn,
        }
    }
}

/// Terms of an edited opportunity that the form keeps as they were.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    pub installments: Vec<(NaiveDate, Decimal)>,
    pub net_payment_days: Option<u32>,
    pub eula_url: Option<String>,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    /// A value changed (the offer form asks for a new preview).
    Edited,
    /// Close the form.
    Cancel,
    /// Quit cppo (Ctrl-c; asked first when something was typed).
    Quit,
    /// Save: run this command.
    Submit(Box<Command>),
}

/// A markup above this many percent is asked about before saving: more likely a typo (`1000`
/// for `10.00`) than a price.
pub const LARGE_MARKUP_PCT: Decimal = Decimal::ONE_HUNDRED;

/// Lines of the price pane one PgDn / PgUp scrolls: most of what an 80x24 screen shows of it.
const PANEL_STEP: u16 = 8;

/// What follows a yes to "Discard what you typed?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discard {
    Close,
    Quit,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was typed: `Esc` asks first.
    pub touched: bool,
    /// A save was tried: every error shows.
    pub submitted: bool,
    /// "Discard what you typed?" is showing: before closing the form, or before quitting.
    pub confirm_discard: Option<Discard>,
    /// "Save anyway?": the save waits for a yes to this question (a markup over
    /// [`LARGE_MARKUP_PCT`]).
    pub confirm_save: Option<String>,
    /// A message for the whole form (submit blocked).
    pub message: Option<String>,
    /// The offer form's live breakdown, or the domain's reason it can't be priced.
    pub preview: Option<Result<Breakdown, String>>,
    pub today: NaiveDate,
    /// The searchable list over the focused field (`Ctrl-p`, or a name typed in an account field).
    pub picker: Option<Picker>,
    /// The accounts of the file: the buyers to pick from, and the names shown beside ids.
    pub accounts: Vec<AccountView>,
    /// Lines of the price pane scrolled past (PgDn / PgUp), for a breakdown taller than the
    /// screen.
    pub panel_scroll: u16,
    /// How far the pane can scroll, as last drawn (the drawing knows its lines, as the
    /// detail pane's bound).
    pub panel_scroll_max: std::cell::Cell<u16>,
    /// The first line of the field list shown, as last drawn: a list taller than its pane
    /// scrolls only as far as keeps the focused field in sight (the drawing knows the
    /// lines; ratatui's `ListState` keeps its offset the same way).
    pub fields_top: std::cell::Cell<u16>,
}

mod build;
pub mod picker;
mod terms;

pub use picker::{PickEvent, PickOption, Picker};

impl Form {
    pub(super) fn new(kind: FormKind, title: String, fields: Vec<Field>, today: NaiveDate) -> Self {
        let mut f = Self {
            kind,
            title,
            fields,
            focus: 0,
            touched: false,
            submitted: false,
            confirm_discard: None,
            confirm_save: None,
            message: None,
            preview: None,
            today,
            picker: None,
            accounts: Vec::new(),
            panel_scroll: 0,
            panel_scroll_max: std::cell::Cell::new(0),
            fields_top: std::cell::Cell::new(0),
        };
        f.focus = f.fields.iter().position(|x| !x.locked).unwrap_or(0);
        f.validate();
        f
    }

    /// Whether `field`'s error shows now: once typed into or saved, or at once for text
    /// already there. A toggle always has a value (`no`), so it waits like an empty field: a
    /// new account's form does not open on "needs at least one role".
    pub fn shows_error(&self, field: &Field) -> bool {
        let given = match field.kind {
            FieldKind::Toggle(_) => false,
            _ => !field.value().is_empty(),
        };
        field.error.is_some() && (field.touched || self.submitted || given)
    }

    pub(super) fn set(&mut self, key: FieldKey, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            match &mut f.kind {
                FieldKind::Text(i) => *i = Input::new(value.to_owned()),
                FieldKind::Choice(o, idx) => {
                    if let Some(i) = o.iter().position(|(v, _)| v == value) {
                        *idx = i;
                    }
                }
                FieldKind::Toggle(on) => *on = value == "yes",
            }
        }
        if key == FieldKey::Product {
            self.sync_product();
        }
    }

    /// A toggle's state (false for any other field).
    pub fn is_on(&self, key: &FieldKey) -> bool {
        self.fields.iter().any(|f| f.key == *key && matches!(f.kind, FieldKind::Toggle(true)))
    }

    /// The opportunity kind chosen (the Kind field holds `OpportunityKind::as_str`).
    pub(super) fn kind_chosen(&self) -> OpportunityKind {
        OpportunityKind::parse(&self.value(&FieldKey::Kind)).unwrap_or(OpportunityKind::Recurring)
    }

    pub fn value(&self, key: &FieldKey) -> String {
        self.fields.iter().find(|f| f.key == *key).map(Field::value).unwrap_or_default()
    }

    pub(super) fn has(&self, key: &FieldKey) -> bool {
        self.fields.iter().any(|f| f.key == *key)
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Checks every field: its text by the domain's parser of typed terms (the CLI's), then
    /// the domain's rules a field can be judged by alone.
    pub fn validate(&mut self) {
        let today = self.today;
        let kind = self.kind_chosen();
        let parsed = self.parse_errors();
        // The account form's roles, judged by the domain (the error shows on the ISV toggle).
        let roles = self.has(&FieldKey::Isv).then(|| {
            let on = |k: FieldKey| self.is_on(&k);
            let roles =
                Roles { isv: on(FieldKey::Isv), partner: on(FieldKey::PartnerRole), buyer: on(FieldKey::BuyerRole) };
            roles.check(on(FieldKey::Distributor).then_some(PartnerKind::Distributor)).err().map(|e| e.message)
        });
        let extension = match &self.kind {
            FormKind::Extend { range, .. } => Some(*range),
            _ => None,
        };
        let in_range = |what: &str, d| extension.map_or(Ok(()), |r| r.check(what, d));
        // An offer expires by its opportunity's end: said under the expiry, as it is typed.
        let opportunity_ends = self.chosen_opportunity().and_then(|o| o.ends_on);
        // The grants typed (an edited plan), judged by the domain's rule on the chosen product.
        let grants = self.has(&FieldKey::Grants).then(|| {
            let product = self.value(&FieldKey::Product);
            let dims: Vec<(String, PricingModel)> = self
                .chosen_product()
                .map(|p| p.dimensions.iter().map(|d| (d.key.clone(), d.pricing)).collect())
                .unwrap_or_default();
            let dims: Vec<(&str, PricingModel)> = dims.iter().map(|(k, p)| (k.as_str(), *p)).collect();
            let has_installments = matches!(&self.kind, FormKind::Opportunity { edit: Some((_, _, c)), .. }
                if !c.installments.is_empty());
            input::grants(&self.value(&FieldKey::Grants))
                .ok()
                .and_then(|g| check_grants(&product, &dims, &g, has_installments).err())
                .map(|e| e.message)
        });
        let by_plan: Vec<bool> =
            self.fields.iter().map(|f| matches!(&f.key, FieldKey::Price(k) if self.priced_by_plan(k))).collect();
        let empty_choice = |f: &Field| matches!(&f.kind, FieldKind::Choice(o, _) if o.is_empty());
        for (f, by_plan) in self.fields.iter_mut().zip(by_plan) {
            let v = f.value();
            let err = |r: Result<(), String>| r.err();
            let refused =
                terms::term_field(&f.key).and_then(|t| parsed.iter().find(|e| e.field == t)).map(|e| e.message.clone());
            f.error = match &f.key {
                FieldKey::Opportunity | FieldKey::Partner | FieldKey::Product if empty_choice(f) => Some(match f.key {
                    FieldKey::Partner => t::NO_PARTNER.into(),
                    FieldKey::Product => t::NO_PRODUCT.into(),
                    _ => t::NO_OPPORTUNITY.into(),
                }),
                _ if refused.is_some() => refused,
                FieldKey::Name => {
                    let max = match self.kind {
                        FormKind::Opportunity { .. } => crate::domain::opportunity::NAME_MAX,
                        _ => crate::domain::offer::NAME_MAX,
                    };
                    err(validate_text(t::in_errors::NAME, &v, 1, max).map(|_| ()).map_err(|e| e.message))
                }
                FieldKey::Description => {
                    err(validate_text(t::in_errors::DESCRIPTION, &v, 0, 255).map(|_| ()).map_err(|e| e.message))
                }
                FieldKey::LegalName => {
                    err(validate_text(t::in_errors::LEGAL_NAME, &v, 1, 255).map(|_| ()).map_err(|e| e.message))
                }
                FieldKey::AccountId => err(AccountId::parse(&v).map(|_| ()).map_err(|e| e.message)),
                FieldKey::Expires => input::date(input::Field::Expires, &v).ok().and_then(|d| {
                    err(check_not_past(t::in_errors::EXPIRY, d, today)
                        .and_then(|_| in_range(t::in_errors::EXPIRY, d))
                        .and_then(|()| check_expiry_within(opportunity_ends, d, today))
                        .map_err(|e| e.message))
                }),
                FieldKey::EndsOn => input::date(input::Field::EndsOn, &v).ok().and_then(|d| {
                    err(check_not_past(t::in_errors::END_DATE, d, today)
                        .and_then(|_| in_range(t::in_errors::END_DATE, d))
                        .map_err(|e| e.message))
                }),
                // Blank: the offer's duration from acceptance.
                FieldKey::AgreementEnds if v.is_empty() => None,
                FieldKey::AgreementEnds => match input::date(input::Field::AgreementEndsOn, &v) {
                    Ok(d) => err(check_end(d, today).map(|_| ()).map_err(|e| e.message)),
                    Err(e) => Some(e.message),
                },
                // A plan's contract dimensions are granted or not sold: never priced by hand.
                FieldKey::Price(_) if by_plan => (!v.is_empty()).then(|| t::PRICED_BY_PLAN.into()),
                FieldKey::Grants => grants.clone().flatten(),
                FieldKey::Buyers => input::buyers(&v)
                    .ok()
                    .and_then(|ids| err(check_buyer_count(kind, ids.len()).map_err(|e| e.message))),
                FieldKey::Isv => roles.clone().flatten(),
                _ => None,
            };
        }
    }

    pub(super) fn submit(&mut self) -> FormEvent {
        self.submitted = true;
        self.validate();
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            self.message = Some(t::FIX_FIELDS.into());
            return FormEvent::Nothing;
        }
        if let Some(Err(reason)) = &self.preview {
            self.message = Some(t::cant_save(reason));
            return FormEvent::Nothing;
        }
        if matches!(self.kind, FormKind::Offer { .. })
            && let Ok(m) = input::markup(&self.value(&FieldKey::Markup))
            && m > LARGE_MARKUP_PCT
        {
            self.confirm_save = Some(t::large_markup(&m.normalize().to_string()));
            return FormEvent::Nothing;
        }
        self.save()
    }

    /// Saves what passed the checks of [`Form::submit`].
    fn save(&mut self) -> FormEvent {
        match self.command() {
            Some(c) => FormEvent::Submit(Box::new(c)),
            None => {
                self.message = Some(t::INCOMPLETE.into());
                FormEvent::Nothing
            }
        }
    }

    pub(super) fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        for step in 1..=n {
            let i = if forward { (self.focus + step) % n } else { (self.focus + n - step) % n };
            if !self.fields[i].locked {
                self.focus = i;
                return;
            }
        }
    }

    /// A key typed while the form is open.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let ctrl_c = ctrl && key.code == KeyCode::Char('c');
        if self.confirm_save.is_some() {
            self.confirm_save = None;
            return match keymap::lookup(key, &[Scope::Confirm]) {
                Some(Action::Confirm) => self.save(),
                _ if ctrl_c => self.quit(),
                _ => FormEvent::Nothing,
            };
        }
        if let Some(then) = self.confirm_discard {
            // Closing asks with Esc's own scope (a second Esc leaves); quitting, as any
            // confirmation (Esc goes back).
            let scope = if then == Discard::Close { Scope::Discard } else { Scope::Confirm };
            return match keymap::lookup(key, &[scope]) {
                Some(Action::Confirm) if then == Discard::Close => FormEvent::Cancel,
                Some(Action::Confirm) => FormEvent::Quit,
                _ if ctrl_c => FormEvent::Quit,
                _ => {
                    self.confirm_discard = None;
                    FormEvent::Nothing
                }
            };
        }
        if ctrl_c {
            return self.quit();
        }
        if let Some(picker) = &mut self.picker {
            return match picker.handle_key(key) {
                PickEvent::Nothing => FormEvent::Nothing,
                PickEvent::Cancel => {
                    self.picker = None;
                    FormEvent::Nothing
                }
                PickEvent::Pick(value) => self.pick(value),
            };
        }
        match keymap::lookup(key, &[Scope::Form]) {
            Some(Action::Cancel) if self.touched => {
                self.confirm_discard = Some(Discard::Close);
                return FormEvent::Nothing;
            }
            Some(Action::Cancel) => return FormEvent::Cancel,
            Some(Action::Save) => return self.submit(),
            Some(Action::OpenPicker) => {
                if !self.open_picker("") {
                    self.message = Some(t::NO_LIST.into());
                }
                return FormEvent::Nothing;
            }
            Some(Action::PageDown) => {
                self.panel_scroll = (self.panel_scroll + PANEL_STEP).min(self.panel_scroll_max.get());
                return FormEvent::Nothing;
            }
            Some(Action::PageUp) => {
                self.panel_scroll = self.panel_scroll.saturating_sub(PANEL_STEP);
                return FormEvent::Nothing;
            }
            Some(Action::NextField) => {
                self.move_focus(true);
                return FormEvent::Nothing;
            }
            Some(Action::PrevField) => {
                self.move_focus(false);
                return FormEvent::Nothing;
            }
            Some(Action::Advance) => {
                let last = self.fields.iter().rposition(|f| !f.locked).unwrap_or(0);
                if self.focus >= last {
                    return self.submit();
                }
                self.move_focus(true);
                return FormEvent::Nothing;
            }
            _ => {}
        }
        let Some(field) = self.fields.get(self.focus) else { return FormEvent::Nothing };
        if field.locked {
            return FormEvent::Nothing;
        }
        // A name typed where an id or a choice goes opens the list, narrowed by it.
        if let KeyCode::Char(c) = key.code
            && !ctrl
            && c != ' '
            && (matches!(field.kind, FieldKind::Choice(..))
                || (matches!(field.key, FieldKey::Buyer | FieldKey::Buyers) && c.is_alphabetic()))
            && self.open_picker(&c.to_string())
        {
            return FormEvent::Nothing;
        }
        let Some(field) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        let changed = match &mut field.kind {
            FieldKind::Text(input) => input.handle_event(&Event::Key(*key)).is_some_and(|c| c.value),
            FieldKind::Choice(options, i) if !options.is_empty() => match key.code {
                KeyCode::Left => {
                    *i = (*i + options.len() - 1) % options.len();
                    true
                }
                KeyCode::Right | KeyCode::Char(' ') => {
                    *i = (*i + 1) % options.len();
                    true
                }
                _ => false,
            },
            FieldKind::Toggle(on) if key.code == KeyCode::Char(' ') => {
                *on = !*on;
                true
            }
            _ => false,
        };
        if !changed {
            return FormEvent::Nothing;
        }
        self.changed(self.focus)
    }

    /// Field `i` was typed into or picked: the form follows (a new opportunity's quantities,
    /// a new product's prices) and judges again.
    pub(super) fn changed(&mut self, i: usize) -> FormEvent {
        self.touched = true;
        self.fields[i].touched = true;
        self.message = None;
        match self.fields[i].key {
            FieldKey::Opportunity => self.sync_opportunity(&[]),
            FieldKey::Product => self.sync_product(),
            FieldKey::Duration => {
                self.sync_quantity_hints();
                self.validate();
            }
            _ => self.validate(),
        }
        FormEvent::Edited
    }

    /// Ctrl-c: quit, asking first when something was typed.
    pub fn quit(&mut self) -> FormEvent {
        if self.touched {
            self.confirm_discard = Some(Discard::Quit);
            FormEvent::Nothing
        } else {
            FormEvent::Quit
        }
    }

    /// Pastes text into the focused text field.
    pub fn paste(&mut self, text: &str) -> FormEvent {
        if let Some(picker) = &mut self.picker {
            picker.paste(text);
            return FormEvent::Nothing;
        }
        let Some(Field { kind: FieldKind::Text(input), locked: false, .. }) = self.fields.get_mut(self.focus) else {
            return FormEvent::Nothing;
        };
        for c in crate::app::paste::pasted_line(text).chars() {
            input.handle(tui_input::InputRequest::InsertChar(c));
        }
        self.fields[self.focus].touched = true;
        self.touched = true;
        self.validate();
        FormEvent::Edited
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.handle_key(&key(KeyCode::Char(c)));
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn account_form_validates_each_keystroke_and_blocks_submit() {
        let mut f = Form::account(today());
        typed(&mut f, "12345");
        assert!(f.fields[0].error.as_ref().unwrap().contains("12 digits"));
        assert_eq!(f.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormEvent::Nothing);
        assert!(f.message.is_some());
        typed(&mut f, "6789012");
        assert!(f.fields[0].error.is_none());
        f.handle_key(&key(KeyCode::Tab));
        typed(&mut f, "Acme");
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Char(' ')));
        match f.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)) {
            FormEvent::Submit(c) if matches!(*c, Command::AddAccount { .. }) => {
                let Command::AddAccount { id, name, roles, .. } = *c else { unreachable!() };
                assert_eq!((id.as_str(), name.as_str(), roles.isv, roles.buyer), ("123456789012", "Acme", true, false));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn esc_asks_before_discarding_typed_input() {
        let mut f = Form::account(today());
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Cancel, "nothing typed: closes at once");
        let mut f = Form::account(today());
        typed(&mut f, "1");
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Nothing);
        assert_eq!(f.confirm_discard, Some(Discard::Close));
        assert_eq!(f.handle_key(&key(KeyCode::Char('n'))), FormEvent::Nothing);
        assert!(f.confirm_discard.is_none());
        assert_eq!(f.fields[0].value(), "1", "what was typed is kept");
        f.handle_key(&key(KeyCode::Esc));
        assert_eq!(f.handle_key(&key(KeyCode::Char('y'))), FormEvent::Cancel);
    }

    #[test]
    fn esc_esc_leaves_a_form_with_typed_text() {
        let mut f = Form::account(today());
        typed(&mut f, "1");
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Nothing, "the first asks");
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Cancel, "the second leaves");
        // Ctrl-c's question is any confirmation's: Esc goes back to the form.
        let mut f = Form::account(today());
        typed(&mut f, "1");
        f.handle_key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(f.confirm_discard, Some(Discard::Quit));
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Nothing);
        assert!(f.confirm_discard.is_none());
    }

    #[test]
    fn extend_needs_a_later_date() {
        let id = OfferId::parse("offer-abcdefghij123").unwrap();
        let current = Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        let range = crate::domain::offer::extension_range(current, None, today());
        let mut f = Form::extend(Extending::Offer(id, "Pilot".into()), String::new(), current, range, today());
        assert_eq!(f.title, "Extend Pilot");
        assert!(f.fields[0].hint.contains("now 2026-12-31") && f.fields[0].hint.contains("2027-01-01"));
        typed(&mut f, "2026-12-30");
        assert!(f.fields[0].error.as_ref().unwrap().contains("pick 2027-01-01 or later"), "{:?}", f.fields[0].error);
        for _ in 0..2 {
            f.handle_key(&key(KeyCode::Backspace));
        }
        typed(&mut f, "31");
        f.handle_key(&key(KeyCode::Backspace));
        f.handle_key(&key(KeyCode::Backspace));
        typed(&mut f, "01");
        assert!(f.fields[0].error.is_some());
        let range = crate::domain::offer::extension_range(None, None, today());
        let target = Extending::Offer(OfferId::parse("offer-abcdefghij123").unwrap(), "Pilot".into());
        let mut g = Form::extend(target, String::new(), None, range, today());
        typed(&mut g, "2027-01-15");
        assert!(
            matches!(g.handle_key(&key(KeyCode::Enter)), FormEvent::Submit(c) if matches!(*c, Command::ExtendOffer(_, _)))
        );
    }
}
