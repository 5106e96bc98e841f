//! The keymap as data: every binding with the keys that trigger it, where it works and one
//! line of help, and every action with what kind of thing it is. The help overlay, the hint
//! bars and the README's key table are generated from it: a key's printed name is derived
//! from the key itself ([`Key::name`]), never typed beside it, so none of them can drift from
//! what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::market::actions::Verb;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave cppo (from a popup: close it first).
    Quit,
    /// Show the Partners tab.
    Partners,
    /// Show the Opportunities tab.
    Opportunities,
    /// Show the Offers tab.
    Offers,
    /// Show the Agreements tab.
    Agreements,
    /// Agreements: the renewal radar, ending within 30 / 60 / 90 / 120 / 180 days, then all.
    Radar,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Cursor down one row.
    Down,
    /// Cursor up one row.
    Up,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Half a screen down.
    PageDown,
    /// Half a screen up.
    PageUp,
    /// Open the selected row's detail.
    Open,
    /// Back one level: close the popup or detail, clear the filter.
    Back,
    /// Filter the table by text.
    Filter,
    /// Sort by the next column.
    Sort,
    /// Reverse the sort.
    ReverseSort,
    /// Narrow the table to one status, the next one each time (then all again).
    StatusFilter,
    /// Offers: the next weeks of expiries in place of the detail, or the detail again.
    Expiries,
    /// Copy the selected record's id to the clipboard (OSC 52).
    Copy,
    /// Scroll the detail pane.
    DetailDown,
    DetailUp,
    /// Act as another account.
    SwitchAccount,
    /// Reload everything from the file.
    Reload,
    /// This help.
    Help,
    /// Load the demo marketplace (welcome screen).
    LoadDemo,
    /// New: account (Partners), opportunity (ISV) or offer (partner).
    New,
    /// Edit the selected draft.
    Edit,
    /// Move the selected offer's expiry later.
    Extend,
    /// Release the selected draft.
    Release,
    /// End the opportunity or cancel the offer.
    End,
    /// Accept the offer (buyer).
    Accept,
    /// Pay the next charge (buyer).
    Pay,
    /// Finance the agreement through a third-party financier (buyer).
    Finance,
    /// Write the AWS change set of the selected opportunity or offer (confirm).
    Export,
    /// Delete the selected draft (confirm).
    Delete,
    /// The review queue: what needs the acting account, one by one.
    Review,
    /// Skip to the next review item.
    Skip,
    /// Back to the previous review item.
    PrevItem,
    /// Popups: do what the confirmation says.
    Confirm,
    /// The export confirmation: with the release.
    ConfirmWithRelease,
    /// Popups and forms: close without doing anything (a form with typed work asks first).
    Cancel,
    /// Pickers: take the match under the cursor.
    Pick,
    /// Forms: pick the field's value from a searchable list.
    OpenPicker,
    /// Forms: the next field, the previous one.
    NextField,
    PrevField,
    /// Forms: the next field, or save on the last one (Enter).
    Advance,
    /// Forms: save (the domain judges it).
    Save,
    /// Forms: the next choice, or a toggle (the field takes the key).
    Choose,
}

/// What an action is, the one place the app asks (instead of a `match` per question).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Moves around the tables; the review queue holds the cursor, so these mean nothing there.
    Navigation,
    /// Asks the selected record for a verb: the detail carries the domain's verdict on it.
    /// `End` asks for [`Verb::End`] on an opportunity and [`Verb::Cancel`] on an offer.
    Verb(Verb),
    /// Reads the selected record without changing it (copies its id).
    ReadsSelected,
    /// Opens the selected row: navigation that needs the row and its detail on screen.
    Opens,
    /// Makes something from the selected row: needs the row and its detail on screen.
    FromRow,
    /// Anything else: tabs, popups, forms, the session.
    Other,
}

impl Action {
    pub fn kind(self) -> Kind {
        use Action as A;
        match self {
            A::Down
            | A::Up
            | A::Top
            | A::Bottom
            | A::PageDown
            | A::PageUp
            | A::Filter
            | A::Sort
            | A::ReverseSort
            | A::Review => Kind::Navigation,
            A::Open => Kind::Opens,
            A::New => Kind::FromRow,
            A::Edit => Kind::Verb(Verb::Edit),
            A::Extend => Kind::Verb(Verb::Extend),
            A::Release => Kind::Verb(Verb::Release),
            A::End => Kind::Verb(Verb::End),
            A::Accept => Kind::Verb(Verb::Accept),
            A::Pay => Kind::Verb(Verb::Pay),
            A::Finance => Kind::Verb(Verb::Finance),
            A::Export => Kind::Verb(Verb::Export),
            A::Delete => Kind::Verb(Verb::Delete),
            A::Copy => Kind::ReadsSelected,
            A::Quit
            | A::Partners
            | A::Opportunities
            | A::Offers
            | A::Agreements
            | A::Radar
            | A::NextTab
            | A::PrevTab
            | A::Back
            | A::StatusFilter
            | A::Expiries
            | A::DetailDown
            | A::DetailUp
            | A::SwitchAccount
            | A::Reload
            | A::Help
            | A::LoadDemo
            | A::Skip
            | A::PrevItem
            | A::Confirm
            | A::ConfirmWithRelease
            | A::Cancel
            | A::Pick
            | A::OpenPicker
            | A::NextField
            | A::PrevField
            | A::Advance
            | A::Save
            | A::Choose => Kind::Other,
        }
    }

    /// The verb it asks the selected record for, if it is one.
    pub fn verb(self) -> Option<Verb> {
        match self.kind() {
            Kind::Verb(v) => Some(v),
            _ => None,
        }
    }

    /// Does something with the selected record: changes it, writes it out, copies its id.
    /// None of these acts on a row the user did not choose (see `App::act`).
    pub fn uses_selected(self) -> bool {
        matches!(self.kind(), Kind::Verb(_) | Kind::ReadsSelected)
    }

    /// Needs the selected row and its detail on screen: typed before they are, it waits
    /// for them. The verbs (they read the detail's verdict), and opening and making from the row.
    pub fn acts_on_row(self) -> bool {
        matches!(self.kind(), Kind::Verb(_) | Kind::Opens | Kind::FromRow)
    }

    /// Moves around the tables: means nothing in the review queue.
    pub fn is_navigation(self) -> bool {
        matches!(self.kind(), Kind::Navigation | Kind::Opens)
    }
}

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere (outside text fields and popups).
    Global,
    /// On a table.
    Table,
    /// On the welcome screen of an empty file.
    Welcome,
    /// Stepping through the review queue.
    Review,
    /// A form (text fields take the other keys).
    Form,
    /// A confirmation popup.
    Confirm,
    /// "Discard what you typed?", asked by `Esc` in a form with typed text: a second `Esc`
    /// leaves.
    Discard,
    /// A searchable list: `@`, and a form field's values (typed keys narrow it).
    Picker,
    /// The help overlay.
    Help,
    /// An error popup.
    Error,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Table => "Tables",
            Scope::Welcome => "Welcome screen",
            Scope::Review => "Review queue",
            Scope::Form => "Forms",
            Scope::Confirm => "Confirmations",
            Scope::Discard => "Leaving a form with typed text",
            Scope::Picker => "Pickers (type to narrow)",
            Scope::Help => "Help",
            Scope::Error => "Errors",
        }
    }
}

/// A key as the keymap spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    pub fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => ev.code == code,
        }
    }

    /// How help, hints and the README print the key.
    pub fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Code(code) => match code {
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Up => "Up".into(),
                KeyCode::Down => "Down".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                other => other.to_string(),
            },
        }
    }
}

/// Keys printed together: `j / Down`.
fn names(keys: &[Key]) -> String {
    keys.iter().map(|k| k.name()).collect::<Vec<_>>().join(" / ")
}

pub struct Binding {
    /// The keys, the one a hint names first.
    pub keys: &'static [Key],
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
    /// Shown in the one-line hint bar.
    pub hint: Option<&'static str>,
    /// How many of `keys` the short label names (hints and the form's key line); help
    /// names them all.
    pub short: usize,
}

impl Binding {
    const fn new(keys: &'static [Key], action: Action, scope: Scope, help: &'static str) -> Self {
        Self { keys, action, scope, help, hint: None, short: 1 }
    }

    /// Shown in the hint bar as `hint`.
    const fn hint(self, hint: &'static str) -> Self {
        Self { hint: Some(hint), ..self }
    }

    /// The short label names the first `n` keys (by default the first alone).
    const fn naming(self, n: usize) -> Self {
        Self { short: n, ..self }
    }

    /// Every key, as help prints them: `q / Ctrl-c`.
    pub fn label(&self) -> String {
        names(self.keys)
    }

    /// The keys hints name: `q`, `y / Enter`.
    pub fn short_label(&self) -> String {
        names(&self.keys[..self.short.min(self.keys.len())])
    }

    /// The binding with its help, by its short label, as a key line lists it: `Tab next field`.
    pub fn entry(&self) -> String {
        format!("{} {}", self.short_label(), self.help)
    }
}

use Binding as B;
use Key::{Char, Code, Ctrl};

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    B::new(&[Char('q'), Ctrl('c')], Action::Quit, Scope::Global, "quit (q closes a popup first)").hint("quit"),
    B::new(&[Char('1')], Action::Partners, Scope::Global, "Partners tab"),
    B::new(&[Char('2')], Action::Opportunities, Scope::Global, "Opportunities tab"),
    B::new(&[Char('3')], Action::Offers, Scope::Global, "Offers tab"),
    B::new(&[Char('4')], Action::Agreements, Scope::Global, "Agreements tab"),
    B::new(&[Code(KeyCode::Tab)], Action::NextTab, Scope::Global, "next tab").hint("tabs"),
    B::new(&[Code(KeyCode::BackTab)], Action::PrevTab, Scope::Global, "previous tab"),
    B::new(&[Char('@')], Action::SwitchAccount, Scope::Global, "act as another account").hint("account"),
    B::new(&[Char('R')], Action::Reload, Scope::Global, "reload from the file"),
    B::new(&[Char('?')], Action::Help, Scope::Global, "this help").hint("help"),
    B::new(&[Char('j'), Code(KeyCode::Down)], Action::Down, Scope::Table, "next row"),
    B::new(&[Char('k'), Code(KeyCode::Up)], Action::Up, Scope::Table, "previous row"),
    B::new(&[Char('g'), Code(KeyCode::Home)], Action::Top, Scope::Table, "first row"),
    B::new(&[Char('G'), Code(KeyCode::End)], Action::Bottom, Scope::Table, "last row"),
    B::new(&[Ctrl('d'), Code(KeyCode::PageDown)], Action::PageDown, Scope::Table, "half a screen down"),
    B::new(&[Ctrl('u'), Code(KeyCode::PageUp)], Action::PageUp, Scope::Table, "half a screen up"),
    B::new(&[Code(KeyCode::Enter)], Action::Open, Scope::Table, "open: a partner's opportunities, an opportunity's offers, an offer's whole detail").hint("open"),
    B::new(&[Code(KeyCode::Esc)], Action::Back, Scope::Table, "back: close the detail, up a level, clear the filter"),
    B::new(&[Char('/')], Action::Filter, Scope::Table, "filter by a name or id the rows show, or a status (Enter keeps, Esc clears)").hint("filter"),
    B::new(&[Char('s')], Action::Sort, Scope::Table, "sort by the next column").hint("sort"),
    B::new(&[Char('S')], Action::ReverseSort, Scope::Table, "reverse the sort"),
    B::new(&[Char('y')], Action::Copy, Scope::Table, "copy the selected id to the clipboard (OSC 52, if the terminal allows it)"),
    B::new(&[Char('J')], Action::DetailDown, Scope::Table, "scroll the detail down"),
    B::new(&[Char('K')], Action::DetailUp, Scope::Table, "scroll the detail up"),
    B::new(&[Char('t')], Action::Expiries, Scope::Table, "chart for the detail: Offers expiring per week, Agreements ending per month (value)").hint("chart"),
    B::new(&[Char('w')], Action::Radar, Scope::Table, "Agreements: the renewal radar, ending within 30/60/90/120/180 days, then all").hint("ending"),
    B::new(&[Char('f')], Action::StatusFilter, Scope::Table, "only one status: the next each time, then all again"),
    B::new(&[Char('n')], Action::New, Scope::Table, "new: account, opportunity or renewal (ISV), offer or replacement (partner)").hint("new"),
    B::new(&[Char('e')], Action::Edit, Scope::Table, "edit the selected draft").hint("edit"),
    B::new(&[Char('E')], Action::Extend, Scope::Table, "extend: a released offer's expiry, an opportunity's end date (ISV); confirm").hint("extend"),
    B::new(&[Char('r')], Action::Release, Scope::Table, "release the selected draft (confirm)").hint("release"),
    B::new(&[Char('x')], Action::End, Scope::Table, "end the opportunity / cancel the offer (confirm)").hint("end/cancel"),
    B::new(&[Char('a')], Action::Accept, Scope::Table, "accept the offer (buyer, confirm)").hint("accept"),
    B::new(&[Char('p')], Action::Pay, Scope::Table, "pay the next charge (buyer, confirm)").hint("pay"),
    B::new(&[Char('F')], Action::Finance, Scope::Table, "finance the agreement through a financier, or record its answer (buyer)").hint("finance"),
    B::new(&[Char('D')], Action::Delete, Scope::Table, "delete the selected draft (confirm)").hint("delete"),
    B::new(&[Char('X')], Action::Export, Scope::Table, "export to AWS: write the change set the aws CLI submits (confirm)").hint("export"),
    B::new(&[Char('v')], Action::Review, Scope::Table, "review queue: what needs you, nearest deadline first").hint("review"),
    B::new(&[Char(' ')], Action::Skip, Scope::Review, "skip to the next item").hint("skip"),
    B::new(&[Char('b')], Action::PrevItem, Scope::Review, "back to the previous item").hint("back"),
    B::new(&[Code(KeyCode::Esc)], Action::Back, Scope::Review, "leave the review queue").hint("leave"),
    B::new(&[Char('d')], Action::LoadDemo, Scope::Welcome, "load the demo marketplace").hint("load demo"),
    B::new(&[Char('n')], Action::New, Scope::Welcome, "add the first account").hint("add an account"),
    B::new(&[Code(KeyCode::Tab), Code(KeyCode::Down)], Action::NextField, Scope::Form, "next field").hint("next field"),
    B::new(&[Code(KeyCode::BackTab), Code(KeyCode::Up)], Action::PrevField, Scope::Form, "previous"),
    B::new(&[Code(KeyCode::Enter)], Action::Advance, Scope::Form, "next/save"),
    B::new(&[Code(KeyCode::Left), Code(KeyCode::Right), Char(' ')], Action::Choose, Scope::Form, "choose").naming(3),
    B::new(&[Ctrl('s')], Action::Save, Scope::Form, "save").hint("save"),
    B::new(&[Code(KeyCode::Esc)], Action::Cancel, Scope::Form, "cancel").hint("cancel"),
    B::new(&[Ctrl('p')], Action::OpenPicker, Scope::Form, "pick"),
    B::new(&[Code(KeyCode::PageDown)], Action::PageDown, Scope::Form, "scroll the price pane down"),
    B::new(&[Code(KeyCode::PageUp)], Action::PageUp, Scope::Form, "scroll the price pane up"),
    B::new(&[Char('y'), Code(KeyCode::Enter)], Action::Confirm, Scope::Confirm, "confirm").naming(2).hint("confirm"),
    B::new(&[Char('r')], Action::ConfirmWithRelease, Scope::Confirm, "confirm with the release (export)"),
    B::new(&[Code(KeyCode::Esc), Char('y'), Code(KeyCode::Enter)], Action::Confirm, Scope::Discard, "leave the form, losing what was typed (Esc Esc leaves at once)").naming(2).hint("leave"),
    B::new(&[Char('n')], Action::Cancel, Scope::Discard, "back to the form, as typed").hint("back to the form"),
    B::new(&[Char('n'), Code(KeyCode::Esc), Char('q')], Action::Cancel, Scope::Confirm, "go back: change nothing").naming(2).hint("go back"),
    B::new(&[Code(KeyCode::Down), Ctrl('n')], Action::Down, Scope::Picker, "next match"),
    B::new(&[Code(KeyCode::Up), Ctrl('p')], Action::Up, Scope::Picker, "previous match"),
    B::new(&[Code(KeyCode::PageDown)], Action::PageDown, Scope::Picker, "ten matches down"),
    B::new(&[Code(KeyCode::PageUp)], Action::PageUp, Scope::Picker, "ten matches up"),
    B::new(&[Code(KeyCode::Enter)], Action::Pick, Scope::Picker, "take the match under the cursor").hint("picks"),
    B::new(&[Code(KeyCode::Esc)], Action::Cancel, Scope::Picker, "go back, picking nothing").hint("cancels"),
    B::new(&[Char('j'), Code(KeyCode::Down)], Action::Down, Scope::Help, "scroll down"),
    B::new(&[Char('k'), Code(KeyCode::Up)], Action::Up, Scope::Help, "scroll up"),
    B::new(&[Char(' '), Code(KeyCode::PageDown)], Action::PageDown, Scope::Help, "scroll a page down"),
    B::new(&[Code(KeyCode::PageUp)], Action::PageUp, Scope::Help, "scroll a page up"),
    B::new(&[Char('g'), Code(KeyCode::Home)], Action::Top, Scope::Help, "to the top"),
    B::new(&[Char('G'), Code(KeyCode::End)], Action::Bottom, Scope::Help, "to the end"),
    B::new(&[Char('?'), Code(KeyCode::Esc), Char('q')], Action::Cancel, Scope::Help, "close").naming(2).hint("closes"),
    B::new(&[Code(KeyCode::Enter), Code(KeyCode::Esc), Char('q')], Action::Cancel, Scope::Error, "close").naming(2).hint("closes"),
];

/// The key that asks for `action` in `scope`, as hints name it (`PgDn`); empty if none.
pub fn key_for(action: Action, scope: Scope) -> String {
    bindings(scope).find(|b| b.action == action).map(Binding::short_label).unwrap_or_default()
}

/// The action bound to `ev` in any of `scopes`, first match wins.
pub fn lookup(ev: &KeyEvent, scopes: &[Scope]) -> Option<Action> {
    BINDINGS.iter().find(|b| scopes.contains(&b.scope) && b.keys.iter().any(|k| k.matches(ev))).map(|b| b.action)
}

/// The bindings of one scope, for the help overlay.
pub fn bindings(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope == scope)
}

/// Every scope, in the order help and the README list them.
pub const SCOPES: [Scope; 10] = [
    Scope::Table,
    Scope::Global,
    Scope::Review,
    Scope::Welcome,
    Scope::Form,
    Scope::Picker,
    Scope::Confirm,
    Scope::Discard,
    Scope::Help,
    Scope::Error,
];

/// The README's key table: every binding of every scope, as help prints it.
pub fn markdown_table() -> String {
    let mut out = String::from("| where | keys | does |\n|---|---|---|\n");
    for scope in SCOPES {
        for (i, b) in bindings(scope).enumerate() {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.name().replace('|', "\\|"))).collect();
            let place = if i == 0 { scope.title() } else { "" };
            out.push_str(&format!("| {place} | {} | {} |\n", keys.join(" "), b.help));
        }
    }
    out
}

/// One line of hints for `scope`, generated from the bindings that have one: `Tab next
/// field · Ctrl-s save`, joined by `sep`.
pub fn hint_line(scope: Scope, sep: &str) -> String {
    bindings(scope).filter_map(|b| b.hint.map(|h| format!("{} {h}", b.short_label()))).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_is_listed_and_every_key_has_a_name() {
        for b in BINDINGS {
            // A scope missing from SCOPES would vanish from the README's table.
            assert!(SCOPES.contains(&b.scope), "{:?} is not in SCOPES", b.scope);
            for k in b.keys {
                assert!(!k.name().is_empty() && !k.name().contains("Code"), "{k:?} prints as {}", k.name());
            }
        }
        assert_eq!(Binding::new(&[Char('q'), Ctrl('c')], Action::Quit, Scope::Global, "").label(), "q / Ctrl-c");
        assert_eq!(Binding::new(&[Char('q'), Ctrl('c')], Action::Quit, Scope::Global, "").short_label(), "q");
    }

    #[test]
    fn an_action_is_classified_once() {
        assert!(Action::Edit.uses_selected() && Action::Edit.acts_on_row());
        assert!(Action::Copy.uses_selected() && !Action::Copy.acts_on_row());
        assert!(Action::Open.is_navigation() && Action::Open.acts_on_row() && !Action::Open.uses_selected());
        assert!(Action::New.acts_on_row() && !Action::New.is_navigation());
        assert_eq!(Action::End.verb(), Some(Verb::End));
        assert_eq!(Action::Quit.kind(), Kind::Other);
    }

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for scope in SCOPES {
            let keys: Vec<Key> = bindings(scope).flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[..i].contains(k), "{k:?} is bound twice in {scope:?}");
            }
        }
    }

    #[test]
    fn popup_and_form_hints_come_from_the_bindings() {
        assert_eq!(hint_line(Scope::Confirm, "    "), "y / Enter confirm    n / Esc go back");
        assert_eq!(hint_line(Scope::Form, " · "), "Tab next field · Ctrl-s save · Esc cancel");
        assert_eq!(hint_line(Scope::Picker, " · "), "Enter picks · Esc cancels");
        assert_eq!(hint_line(Scope::Help, " · "), "? / Esc closes");
        assert_eq!(hint_line(Scope::Discard, " · "), "Esc / y leave · n back to the form");
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        for scope in [Scope::Form, Scope::Confirm, Scope::Picker, Scope::Help, Scope::Error] {
            assert_eq!(lookup(&esc, &[scope]), Some(Action::Cancel), "Esc cancels in {scope:?}");
        }
        assert_eq!(lookup(&esc, &[Scope::Discard]), Some(Action::Confirm), "Esc Esc leaves a form");
    }
}
