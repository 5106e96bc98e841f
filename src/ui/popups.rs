//! Overlays: help (generated from the keymap), the account picker, errors, a busy notice.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text;
use super::theme::THEME;
use crate::app::App;
use crate::app::keymap::{self, Scope};

/// A scope's hints as key-styled spans: `y / Enter confirm    n / Esc cancel`.
fn hint_spans(scope: Scope) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, b) in keymap::bindings(scope).filter(|b| b.hint.is_some()).enumerate() {
        if i > 0 {
            spans.push(Span::raw("    "));
        }
        spans.push(Span::styled(b.label, THEME.key));
        spans.push(Span::raw(format!(" {}", b.hint.unwrap_or_default())));
    }
    Line::from(spans)
}

/// A `w` x `h` rectangle in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

fn scope_lines(scope: Scope) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(scope.title(), THEME.header)];
    for b in keymap::bindings(scope) {
        lines.push(Line::from(vec![Span::styled(format!("  {:<14}", b.label), THEME.key), Span::raw(b.help)]));
    }
    lines.push(Line::raw(""));
    lines
}

/// The keys of the current view, generated from the keymap: two columns when they fit,
/// else one column that scrolls (j / k).
pub fn help(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let mut scopes = app.scopes();
    scopes.sort_by_key(|s| *s != Scope::Table);
    let (first, rest) = scopes.split_first().map_or((None, &[][..]), |(f, r)| (Some(*f), r));
    let left: Vec<Line> = first.map(scope_lines).unwrap_or_default();
    let right: Vec<Line> = rest.iter().flat_map(|s| scope_lines(*s)).collect();
    let width = |ls: &[Line]| ls.iter().map(|l| l.width() as u16).max().unwrap_or(0);
    let (lw, rw) = (width(&left), width(&right));
    let title = Block::bordered().title(text::titled(text::HELP_TITLE, Scope::Help)).border_style(THEME.focus_border);
    if lw + rw + 7 <= area.width {
        let h = (left.len().max(right.len()) as u16 + 2).min(area.height);
        let rect = centered(area, lw + rw + 7, h);
        frame.render_widget(Clear, rect);
        let inner = title.inner(rect);
        frame.render_widget(title, rect);
        let [l, r] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(lw + 3),
            ratatui::layout::Constraint::Fill(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
        return;
    }
    let lines: Vec<Line> = left.into_iter().chain(right).collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, lw.max(rw) + 4, h);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(h);
    frame.render_widget(Clear, rect);
    let title = title.title_bottom(Line::styled(" j / k scroll ", THEME.muted));
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max_scroll), 0)).block(title), rect);
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
            let me = if s.actor.as_ref().is_some_and(|x| x.id == a.id) { "● " } else { "  " };
            let line = Line::raw(format!("{me}{}  {:<40} {}", a.id, a.name, a.roles.names().join(", ")));
            if i == cursor { line.style(THEME.selected) } else { line }
        })
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered().title(text::titled(text::ACCOUNTS_TITLE, Scope::Picker)).border_style(THEME.focus_border),
        ),
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
            .block(Block::bordered().title(text::titled(text::ERROR_TITLE, Scope::Error)).border_style(THEME.error)),
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

pub fn confirm(c: &crate::app::Confirm, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = c.lines.iter().map(|l| Line::raw(l.clone())).collect();
    lines.push(Line::raw(""));
    lines.push(hint_spans(Scope::Confirm));
    let w = lines.iter().map(|l| l.width() as u16).max().unwrap_or(40).max(c.title.len() as u16 + 4) + 4;
    let rect = centered(area, w, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" {}? ", c.title)).border_style(THEME.warn)),
        rect,
    );
}
