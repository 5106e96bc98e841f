//! Overlays: help (generated from the keymap), pickers, errors, a busy notice.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::theme::THEME;
use crate::app::App;
use crate::app::form::Picker;
use crate::app::keymap::{self, Action, Scope};
use crate::app::text;

/// A scope's hints as key-styled spans: `y / Enter confirm    n / Esc cancel`.
fn hint_spans(scope: Scope) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, b) in keymap::bindings(scope).filter(|b| b.hint.is_some()).enumerate() {
        if i > 0 {
            spans.push(Span::raw("    "));
        }
        spans.push(Span::styled(b.short_label(), THEME.key));
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

/// The keys of `scope` under its title, the keys in a column `width` wide, each help
/// wrapped to `wrap_at` columns under itself.
fn scope_lines(scope: Scope, width: usize, wrap_at: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(scope.title(), THEME.header)];
    for b in keymap::bindings(scope) {
        for (i, part) in super::format::wrap(b.help, wrap_at).into_iter().enumerate() {
            let keys = if i == 0 { b.label() } else { String::new() };
            lines.push(Line::from(vec![Span::styled(format!("  {keys:<width$}  "), THEME.key), Span::raw(part)]));
        }
    }
    lines.push(Line::raw(""));
    lines
}

/// The keys of the current view, generated from the keymap: two columns when they fit,
/// else one column, its help wrapped to the screen, that scrolls (j / k, g / G).
pub fn help(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let mut scopes = app.scopes();
    scopes.sort_by_key(|s| *s != Scope::Table);
    let (first, rest) = scopes.split_first().map_or((None, &[][..]), |(f, r)| (Some(*f), r));
    let keys = scopes.iter().flat_map(|s| keymap::bindings(*s)).map(|b| b.label().chars().count()).max().unwrap_or(0);
    let left: Vec<Line> = first.map(|s| scope_lines(s, keys, usize::MAX)).unwrap_or_default();
    let right: Vec<Line> = rest.iter().flat_map(|s| scope_lines(*s, keys, usize::MAX)).collect();
    let width = |ls: &[Line]| ls.iter().map(|l| l.width() as u16).max().unwrap_or(0);
    let (lw, rw) = (width(&left), width(&right));
    let title = Block::bordered().title(text::titled(text::HELP_TITLE, Scope::Help)).border_style(THEME.focus_border);
    if lw + rw + 7 <= area.width {
        app.help_scroll_max().set(0);
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
    let w = (lw.max(rw) + 4).min(area.width);
    // What the help column has beside the keys' column and its margins.
    let room = usize::from(w.saturating_sub(2)).saturating_sub(keys + 4);
    let lines: Vec<Line> = scopes.iter().flat_map(|s| scope_lines(*s, keys, room)).collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, w, h);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(h);
    app.help_scroll_max().set(max_scroll);
    frame.render_widget(Clear, rect);
    let scrolls = text::popup_scrolls(
        &keymap::key_for(Action::Down, Scope::Help),
        &keymap::key_for(Action::Up, Scope::Help),
        &keymap::key_for(Action::Top, Scope::Help),
        &keymap::key_for(Action::Bottom, Scope::Help),
    );
    let title = title.title_bottom(Line::styled(scrolls, THEME.muted));
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max_scroll), 0)).block(title), rect);
}

/// A picker: what was typed, how many of the options match, and the matches, best first,
/// the one under the cursor marked. Used by `@` and by a form's field lists.
pub fn picker(p: &Picker, frame: &mut Frame, area: Rect) {
    let h = (p.matches.len() as u16 + 4).clamp(6, area.height.saturating_sub(2).max(6));
    let rect = centered(area, 90, h);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(text::titled(&p.title, Scope::Picker)).border_style(THEME.focus_border);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let count = text::picker_count(p.matches.len(), p.options.len());
    let query_width = (inner.width as usize).saturating_sub(count.len() + 4);
    let scroll = p.query.visual_scroll(query_width.max(1));
    let typed: String = super::format::visible_cols(p.query.value(), scroll, query_width);
    let pad = (inner.width as usize).saturating_sub(2 + typed.chars().count() + count.len());
    let mut lines = vec![
        Line::from(vec![
            Span::styled("> ", THEME.key),
            Span::raw(typed),
            Span::raw(" ".repeat(pad)),
            Span::styled(count, THEME.muted),
        ]),
        Line::raw(""),
    ];
    let visible = (inner.height as usize).saturating_sub(2);
    let offset = p.cursor.saturating_sub(visible.saturating_sub(1));
    // A label that names its value already (a partner's `Name 123456789012`) shows it once.
    let value =
        |o: &crate::app::form::PickOption| if o.label.contains(&o.value) { String::new() } else { o.value.clone() };
    let values = p.options.iter().map(|o| value(o).width()).max().unwrap_or(0);
    let room = usize::from(inner.width).saturating_sub(2 + values + 4);
    let label_width = p.options.iter().map(|o| o.label.width()).max().unwrap_or(0).min(room.max(20));
    for (row, &i) in p.matches.iter().enumerate().skip(offset).take(visible) {
        let o = &p.options[i];
        let label = super::format::fit_cols(&o.label, label_width);
        let text = format!("{label}  {:<values$}  {}", value(o), o.note).trim_end().to_owned();
        lines.push(if row == p.cursor {
            Line::from(vec![Span::styled("▶ ", THEME.marker), Span::styled(text, THEME.selected)])
        } else {
            Line::raw(format!("  {text}"))
        });
    }
    if p.matches.is_empty() {
        lines.push(Line::styled(text::PICKER_NO_MATCH, THEME.muted));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + 2 + (p.query.visual_cursor().saturating_sub(scroll)) as u16;
    frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y));
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

/// A confirmation: its lines wrapped to the screen, the keys on its last line. However
/// little room there is, the key line stays: text that does not fit is cut above it.
pub fn confirm(c: &crate::app::Confirm, frame: &mut Frame, area: Rect) {
    let keys = hint_spans(Scope::Confirm);
    let title = text::confirm::popup_title(&c.title);
    let widest = c.lines.iter().map(|l| l.width()).chain([keys.width(), c.title.width() + 4]).max().unwrap_or(40);
    let w = (widest as u16 + 4).min(area.width);
    let inner_w = usize::from(w.saturating_sub(2));
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .flat_map(|l| if l.is_empty() { vec![String::new()] } else { super::format::wrap(l, inner_w) })
        .map(Line::raw)
        .collect();
    lines.push(Line::raw(""));
    let rect = centered(area, w, lines.len() as u16 + 3);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title).border_style(THEME.warn);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, key_line] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(Paragraph::new(keys), key_line);
}
