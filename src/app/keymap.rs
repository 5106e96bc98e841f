//! The keymap as data: every binding with the keys that trigger it, where it works and one
//! line of help. The help overlay and the hint bar are generated from this table, so they
//! cannot drift from what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

impl Action {
    /// Does something with the selected record: changes it, writes it out, copies its id.
    /// None of these acts on a row the user did not choose (see `App::act`).
    pub fn uses_selected(self) -> bool {
        matches!(
            self,
            Action::Edit
                | Action::Extend
                | Action::Release
                | Action::End
                | Action::Accept
                | Action::Pay
                | Action::Export
                | Action::Delete
                | Action::Copy
        )
    }

    /// Needs the selected row and its detail on screen: typed before they are, it waits
    /// for them. Those above that read the detail, and opening and making from the row.
    pub fn acts_on_row(self) -> bool {
        (self.uses_selected() && self != Action::Copy) || matches!(self, Action::Open | Action::New)
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
}

pub struct Binding {
    pub keys: &'static [Key],
    /// How the help shows the keys.
    pub label: &'static str,
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
    /// Shown in the one-line hint bar.
    pub hint: Option<&'static str>,
}

use Key::{Char, Code, Ctrl};

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    Binding { keys: &[Char('q'), Ctrl('c')], label: "q  Ctrl-c", action: Action::Quit, scope: Scope::Global, help: "quit (q closes a popup first)", hint: Some("quit") },
    Binding { keys: &[Char('1')], label: "1", action: Action::Partners, scope: Scope::Global, help: "Partners tab", hint: None },
    Binding { keys: &[Char('2')], label: "2", action: Action::Opportunities, scope: Scope::Global, help: "Opportunities tab", hint: None },
    Binding { keys: &[Char('3')], label: "3", action: Action::Offers, scope: Scope::Global, help: "Offers tab", hint: None },
    Binding { keys: &[Code(KeyCode::Tab)], label: "Tab", action: Action::NextTab, scope: Scope::Global, help: "next tab", hint: Some("tabs") },
    Binding { keys: &[Code(KeyCode::BackTab)], label: "Shift-Tab", action: Action::PrevTab, scope: Scope::Global, help: "previous tab", hint: None },
    Binding { keys: &[Char('@')], label: "@", action: Action::SwitchAccount, scope: Scope::Global, help: "act as another account", hint: Some("account") },
    Binding { keys: &[Char('R')], label: "R", action: Action::Reload, scope: Scope::Global, help: "reload from the file", hint: None },
    Binding { keys: &[Char('?')], label: "?", action: Action::Help, scope: Scope::Global, help: "this help", hint: Some("help") },
    Binding { keys: &[Char('j'), Code(KeyCode::Down)], label: "j  Down", action: Action::Down, scope: Scope::Table, help: "next row", hint: None },
    Binding { keys: &[Char('k'), Code(KeyCode::Up)], label: "k  Up", action: Action::Up, scope: Scope::Table, help: "previous row", hint: None },
    Binding { keys: &[Char('g'), Code(KeyCode::Home)], label: "g  Home", action: Action::Top, scope: Scope::Table, help: "first row", hint: None },
    Binding { keys: &[Char('G'), Code(KeyCode::End)], label: "G  End", action: Action::Bottom, scope: Scope::Table, help: "last row", hint: None },
    Binding { keys: &[Ctrl('d'), Code(KeyCode::PageDown)], label: "Ctrl-d  PgDn", action: Action::PageDown, scope: Scope::Table, help: "half a screen down", hint: None },
    Binding { keys: &[Ctrl('u'), Code(KeyCode::PageUp)], label: "Ctrl-u  PgUp", action: Action::PageUp, scope: Scope::Table, help: "half a screen up", hint: None },
    Binding { keys: &[Code(KeyCode::Enter)], label: "Enter", action: Action::Open, scope: Scope::Table, help: "open: a partner's opportunities, an opportunity's offers, an offer's whole detail", hint: Some("open") },
    Binding { keys: &[Code(KeyCode::Esc)], label: "Esc", action: Action::Back, scope: Scope::Table, help: "back: close the detail, up a level, clear the filter", hint: None },
    Binding { keys: &[Char('/')], label: "/", action: Action::Filter, scope: Scope::Table, help: "filter by a name or id the rows show, or a status (Enter keeps, Esc clears)", hint: Some("filter") },
    Binding { keys: &[Char('s')], label: "s", action: Action::Sort, scope: Scope::Table, help: "sort by the next column", hint: Some("sort") },
    Binding { keys: &[Char('S')], label: "S", action: Action::ReverseSort, scope: Scope::Table, help: "reverse the sort", hint: None },
    Binding { keys: &[Char('y')], label: "y", action: Action::Copy, scope: Scope::Table, help: "copy the selected id to the clipboard (OSC 52, if the terminal allows it)", hint: None },
    Binding { keys: &[Char('J')], label: "J", action: Action::DetailDown, scope: Scope::Table, help: "scroll the detail down", hint: None },
    Binding { keys: &[Char('K')], label: "K", action: Action::DetailUp, scope: Scope::Table, help: "scroll the detail up", hint: None },
    Binding { keys: &[Char('t')], label: "t", action: Action::Expiries, scope: Scope::Table, help: "Offers: how many expire each week, the next 13 weeks (again: the detail)", hint: Some("expiries") },
    Binding { keys: &[Char('f')], label: "f", action: Action::StatusFilter, scope: Scope::Table, help: "only one status: the next each time, then all again", hint: None },
    Binding { keys: &[Char('n')], label: "n", action: Action::New, scope: Scope::Table, help: "new: account (Partners), opportunity (ISV), offer (partner)", hint: Some("new") },
    Binding { keys: &[Char('e')], label: "e", action: Action::Edit, scope: Scope::Table, help: "edit the selected draft", hint: Some("edit") },
    Binding { keys: &[Char('E')], label: "E", action: Action::Extend, scope: Scope::Table, help: "extend the selected offer's expiry", hint: Some("extend") },
    Binding { keys: &[Char('r')], label: "r", action: Action::Release, scope: Scope::Table, help: "release the selected draft (confirm)", hint: Some("release") },
    Binding { keys: &[Char('x')], label: "x", action: Action::End, scope: Scope::Table, help: "end the opportunity / cancel the offer (confirm)", hint: Some("end/cancel") },
    Binding { keys: &[Char('a')], label: "a", action: Action::Accept, scope: Scope::Table, help: "accept the offer (buyer, confirm)", hint: Some("accept") },
    Binding { keys: &[Char('p')], label: "p", action: Action::Pay, scope: Scope::Table, help: "pay the next charge (buyer, confirm)", hint: Some("pay") },
    Binding { keys: &[Char('D')], label: "D", action: Action::Delete, scope: Scope::Table, help: "delete the selected draft (confirm)", hint: Some("delete") },
    Binding { keys: &[Char('X')], label: "X", action: Action::Export, scope: Scope::Table, help: "export to AWS: write the change set the aws CLI submits (confirm)", hint: Some("export") },
    Binding { keys: &[Char('v')], label: "v", action: Action::Review, scope: Scope::Table, help: "review queue: what needs you, nearest deadline first", hint: Some("review") },
    Binding { keys: &[Char(' ')], label: "Space", action: Action::Skip, scope: Scope::Review, help: "skip to the next item", hint: Some("skip") },
    Binding { keys: &[Char('b')], label: "b", action: Action::PrevItem, scope: Scope::Review, help: "back to the previous item", hint: Some("back") },
    Binding { keys: &[Code(KeyCode::Esc)], label: "Esc", action: Action::Back, scope: Scope::Review, help: "leave the review queue", hint: Some("leave") },
    Binding { keys: &[Char('d')], label: "d", action: Action::LoadDemo, scope: Scope::Welcome, help: "load the demo marketplace", hint: Some("load demo") },
    Binding { keys: &[Char('n')], label: "n", action: Action::New, scope: Scope::Welcome, help: "add the first account", hint: Some("add an account") },
    Binding { keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)], label: "Tab", action: Action::NextField, scope: Scope::Form, help: "next field", hint: Some("next field") },
    Binding { keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)], label: "Shift-Tab", action: Action::PrevField, scope: Scope::Form, help: "previous", hint: None },
    Binding { keys: &[Code(KeyCode::Enter)], label: "Enter", action: Action::Advance, scope: Scope::Form, help: "next/save", hint: None },
    Binding { keys: &[Code(KeyCode::Left), Code(KeyCode::Right), Char(' ')], label: "← → Space", action: Action::Choose, scope: Scope::Form, help: "choose", hint: None },
    Binding { keys: &[Ctrl('s')], label: "Ctrl-s", action: Action::Save, scope: Scope::Form, help: "save", hint: Some("save") },
    Binding { keys: &[Code(KeyCode::Esc)], label: "Esc", action: Action::Cancel, scope: Scope::Form, help: "cancel", hint: Some("cancel") },
    Binding { keys: &[Ctrl('p')], label: "Ctrl-p", action: Action::OpenPicker, scope: Scope::Form, help: "pick", hint: None },
    Binding { keys: &[Char('y'), Code(KeyCode::Enter)], label: "y / Enter", action: Action::Confirm, scope: Scope::Confirm, help: "confirm", hint: Some("confirm") },
    Binding { keys: &[Char('r')], label: "r", action: Action::ConfirmWithRelease, scope: Scope::Confirm, help: "confirm with the release (export)", hint: None },
    Binding { keys: &[Char('n'), Code(KeyCode::Esc), Char('q')], label: "n / Esc", action: Action::Cancel, scope: Scope::Confirm, help: "go back: change nothing", hint: Some("go back") },
    Binding { keys: &[Code(KeyCode::Down), Ctrl('n')], label: "Down  Ctrl-n", action: Action::Down, scope: Scope::Picker, help: "next match", hint: None },
    Binding { keys: &[Code(KeyCode::Up), Ctrl('p')], label: "Up  Ctrl-p", action: Action::Up, scope: Scope::Picker, help: "previous match", hint: None },
    Binding { keys: &[Code(KeyCode::PageDown)], label: "PgDn", action: Action::PageDown, scope: Scope::Picker, help: "ten matches down", hint: None },
    Binding { keys: &[Code(KeyCode::PageUp)], label: "PgUp", action: Action::PageUp, scope: Scope::Picker, help: "ten matches up", hint: None },
    Binding { keys: &[Code(KeyCode::Enter)], label: "Enter", action: Action::Pick, scope: Scope::Picker, help: "take the match under the cursor", hint: Some("picks") },
    Binding { keys: &[Code(KeyCode::Esc)], label: "Esc", action: Action::Cancel, scope: Scope::Picker, help: "go back, picking nothing", hint: Some("cancels") },
    Binding { keys: &[Char('j'), Code(KeyCode::Down)], label: "j  Down", action: Action::Down, scope: Scope::Help, help: "scroll down", hint: None },
    Binding { keys: &[Char('k'), Code(KeyCode::Up)], label: "k  Up", action: Action::Up, scope: Scope::Help, help: "scroll up", hint: None },
    Binding { keys: &[Char(' '), Code(KeyCode::PageDown)], label: "Space  PgDn", action: Action::PageDown, scope: Scope::Help, help: "scroll a page down", hint: None },
    Binding { keys: &[Code(KeyCode::PageUp)], label: "PgUp", action: Action::PageUp, scope: Scope::Help, help: "scroll a page up", hint: None },
    Binding { keys: &[Char('?'), Code(KeyCode::Esc), Char('q')], label: "? or Esc", action: Action::Cancel, scope: Scope::Help, help: "close", hint: Some("closes") },
    Binding { keys: &[Code(KeyCode::Enter), Code(KeyCode::Esc), Char('q')], label: "Enter or Esc", action: Action::Cancel, scope: Scope::Error, help: "close", hint: Some("closes") },
];

/// The action bound to `ev` in any of `scopes`, first match wins.
pub fn lookup(ev: &KeyEvent, scopes: &[Scope]) -> Option<Action> {
    BINDINGS.iter().find(|b| scopes.contains(&b.scope) && b.keys.iter().any(|k| k.matches(ev))).map(|b| b.action)
}

/// The bindings of one scope, for the help overlay.
pub fn bindings(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope == scope)
}

/// The whole of `scope` in one line, from every binding's help: `Tab next field · ...`.
pub fn help_line(scope: Scope, sep: &str) -> String {
    help_entries(scope).join(sep)
}

/// Each binding of `scope` with its help: `Tab next field`.
pub fn help_entries(scope: Scope) -> Vec<String> {
    bindings(scope).map(|b| format!("{} {}", b.label, b.help)).collect()
}

/// One line of hints for `scope`, generated from the bindings that have one: `Tab next
/// field · Ctrl-s save`, joined by `sep`.
pub fn hint_line(scope: Scope, sep: &str) -> String {
    bindings(scope).filter_map(|b| b.hint.map(|h| format!("{} {h}", b.label))).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCOPES: [Scope; 9] = [
        Scope::Global,
        Scope::Table,
        Scope::Welcome,
        Scope::Review,
        Scope::Form,
        Scope::Confirm,
        Scope::Picker,
        Scope::Help,
        Scope::Error,
    ];

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
        assert_eq!(hint_line(Scope::Help, " · "), "? or Esc closes");
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        for scope in [Scope::Form, Scope::Confirm, Scope::Picker, Scope::Help, Scope::Error] {
            assert_eq!(lookup(&esc, &[scope]), Some(Action::Cancel), "Esc cancels in {scope:?}");
        }
    }
}
