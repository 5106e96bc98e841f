//! Overlays: help (generated from the keymap), the account picker, errors, a busy notice.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text;
use super::theme::THEME;
use crate::app::App;
use crate::app::keymap::{self, Scope};

/// A `w` x `h` rectangle in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

pub fn help(app: &App, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    let mut scopes = app.scopes();
    scopes.sort_by_key(|s| *s != Scope::Table);
    for scope in scopes {
        lines.push(Line::styled(scope.title(), THEME.header));
        for b in keymap::bindings(scope) {
            lines.push(Line::from(vec![Span::styled(format!("  {:<16}", b.label), THEME.key), Span::raw(b.help)]));
        }
        lines.push(Line::raw(""));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let w = lines.iter().map(|l| l.width() as u16).max().unwrap_or(40) + 4;
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(text::HELP_TITLE).border_style(THEME.focus_border)),
        rect,
    );
}

pub fn accounts(app: &App, cursor: usize, frame: &mut Frame, area: Rect) {
    let Some(s) = &app.session else { return };
    let h = (s.accounts.len() as u16 + 2).min(area.height.saturating_sub(4)).max(3);
    let rect = centered(area, 76, h);
    let visible = h.saturating_sub(2) as usize;
    let offset = cursor.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = s
        .accounts
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, a)| {
            let me = if a.id == s.actor.id { "● " } else { "  " };
            let line = Line::raw(format!("{me}{}  {:<40} {}", a.id, a.name, a.roles.join(", ")));
            if i == cursor { line.style(THEME.selected) } else { line }
        })
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(text::ACCOUNTS_TITLE).border_style(THEME.focus_border)),
        rect,
    );
}

pub fn error(msg: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 70, 7);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(msg.to_owned())
            .style(THEME.error)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(text::ERROR_TITLE).border_style(THEME.error)),
        rect,
    );
}

pub fn busy(msg: &str, frame: &mut Frame, area: Rect) {
    let rect = centered(area, (msg.chars().count() as u16 + 6).min(area.width), 3);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(msg.to_owned()).centered().block(Block::bordered().border_style(THEME.focus_border)),
        rect,
    );
}
