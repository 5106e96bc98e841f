//! One semantic theme: widgets ask for a role (`selected`, `muted`, `money`...), never a colour.

use crate::domain::{AgreementStatus, OfferStatus, OpportunityStatus};
use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub title: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub header: Style,
    pub selected: Style,
    /// The selected row's marker (bold: visible without colour).
    pub marker: Style,
    pub muted: Style,
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
    pub label: Style,
}

pub const THEME: Theme = Theme {
    title: Style::new().fg(Color::Black).bg(Color::Cyan),
    tab: Style::new().fg(Color::Gray),
    tab_active: Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
    header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    marker: Style::new().add_modifier(Modifier::BOLD),
    muted: Style::new().fg(Color::DarkGray),
    border: Style::new().fg(Color::DarkGray),
    focus_border: Style::new().fg(Color::Cyan),
    key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    money: Style::new().fg(Color::Reset),
    total: Style::new().fg(Color::Reset).add_modifier(Modifier::BOLD),
    title_note: Style::new().fg(Color::Reset),
    ok: Style::new().fg(Color::Green),
    warn: Style::new().fg(Color::Yellow),
    error: Style::new().fg(Color::Red),
    info: Style::new().fg(Color::Cyan),
    label: Style::new().fg(Color::Gray),
};

/// The colour of a shown status (opportunities and offers).
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
