//! One semantic theme: widgets ask for a role (`selected`, `muted`, `money`...), never a colour.
//!
//! The terminal's theme picks the background, light or dark, so no text takes a fixed
//! black, grey or white of its own (a light background hides white and light grey, a dark
//! one black and dark grey): text is the terminal's own foreground (`Reset`), set apart by
//! bold, dim or reverse video where it must be, or a colour of the palette (the palette is
//! made for its background); a fixed black is only drawn on a fixed background.

use crate::domain::{AgreementStatus, OfferStatus, OpportunityStatus};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    /// The title bar: black on cyan, the background its own.
    pub title: Style,
    /// A tab that is not shown: the terminal's own foreground (the shown one is bold on
    /// yellow, and bold alone without colour).
    pub tab: Style,
    pub tab_active: Style,
    pub header: Style,
    pub selected: Style,
    /// The selected row's marker (bold: visible without colour).
    pub marker: Style,
    /// Hints and what matters less: dim, the terminal's foreground made fainter on either
    /// background (not dark grey, which a dark theme's background can swallow).
    pub muted: Style,
    /// A pane that does not have the focus: dim, as `muted`.
    pub border: Style,
    pub focus_border: Style,
    pub key: Style,
    /// Amounts: the terminal's own foreground, readable on a dark or a light theme.
    pub money: Style,
    /// The amount a screen is about (what the buyer pays, an agreement's total): bold.
    pub total: Style,
    /// What a table's title says beside its name (the sort, the position): the terminal's
    /// own foreground, as the rows.
    pub title_note: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub info: Style,
    /// A field's name before its value: the terminal's own foreground (not light grey).
    pub label: Style,
}

pub const THEME: Theme = Theme {
    title: Style::new().fg(Color::Black).bg(Color::Cyan),
    tab: Style::new().fg(Color::Reset),
    tab_active: Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
    header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    marker: Style::new().add_modifier(Modifier::BOLD),
    muted: Style::new().fg(Color::Reset).add_modifier(Modifier::DIM),
    border: Style::new().fg(Color::Reset).add_modifier(Modifier::DIM),
    focus_border: Style::new().fg(Color::Cyan),
    key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    money: Style::new().fg(Color::Reset),
    total: Style::new().fg(Color::Reset).add_modifier(Modifier::BOLD),
    title_note: Style::new().fg(Color::Reset),
    ok: Style::new().fg(Color::Green),
    warn: Style::new().fg(Color::Yellow),
    error: Style::new().fg(Color::Red),
    info: Style::new().fg(Color::Cyan),
    label: Style::new().fg(Color::Reset),
};

/// The frame without colour, for `NO_COLOR`: every cell in the terminal's own colours, its
/// bold, dim and reverse video kept (the selected row, the shown tab, what is muted). The
/// terminal is then told no colour at all: crossterm's own `NO_COLOR` writes an empty
/// `ESC [ m` for each colour, which resets those attributes too.
pub fn without_colour(buf: &mut Buffer) {
    for cell in &mut buf.content {
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

/// The colour of a status, by what it means for the viewer: usable (ok), done (info),
/// running out (warn), ended (error), not yet (muted).
pub trait Tone {
    fn style(&self) -> Style;
}

impl Tone for OpportunityStatus {
    fn style(&self) -> Style {
        match self {
            Self::Authorized | Self::AuthorizedReusable => THEME.ok,
            Self::AuthorizedConsumed => THEME.info,
            Self::Expired => THEME.warn,
            Self::Deactivated => THEME.error,
            Self::Draft => THEME.muted,
        }
    }
}

impl Tone for OfferStatus {
    fn style(&self) -> Style {
        match self {
            Self::Active => THEME.ok,
            Self::Accepted => THEME.info,
            Self::Expired => THEME.warn,
            // As a cancelled agreement: one word, one tone.
            Self::Cancelled => THEME.error,
            Self::Draft => THEME.muted,
        }
    }
}

impl Tone for AgreementStatus {
    fn style(&self) -> Style {
        match self {
            Self::Active => THEME.ok,
            Self::Expired => THEME.warn,
            Self::Cancelled => THEME.error,
            Self::Replaced => THEME.muted,
        }
    }
}
