//! Drawing only: `render(&App, &mut Frame)`. Nothing here changes the app or reads the file.

mod agreement;
mod charts;
mod detail;
mod form;
mod format;
mod popups;
mod tables;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::keymap::{Action, Scope};
use crate::app::text;
use crate::app::{App, Popup, Review, Tab, layout};
use theme::THEME;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if app.too_small() {
        let msg = text::too_small(area.width, area.height);
        let y = area.height / 2;
        frame.render_widget(
            Paragraph::new(msg).wrap(Wrap { trim: true }).centered(),
            Rect::new(area.x, area.y + y.saturating_sub(1), area.width, 3.min(area.height)),
        );
        return;
    }
    let [title, tabs, body, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)])
            .areas(area);
    title_bar(app, frame, title);
    if app.welcome() {
        welcome(frame, body);
        if let Some(f) = app.form() {
            form::render(f, frame, body);
        }
    } else {
        tab_bar(app, frame, tabs);
        if let Some(r) = app.review() {
            review(app, r, frame, body);
        } else {
            let (table_h, _) = layout::body_split(body.height, app.detail_open());
            let [table_area, detail_area] =
                Layout::vertical([Constraint::Length(table_h), Constraint::Fill(1)]).areas(body);
            if table_h > 0 {
                tables::render(app, frame, table_area);
            }
            match (app.expiries(), app.tab()) {
                _ if detail_area.height == 0 => {}
                (Some(weeks), Tab::Offers) => {
                    let today = app.session().as_ref().map(|s| s.today);
                    charts::expiries(weeks, today, frame, detail_area);
                }
                (_, Tab::Agreements) if app.value_ending().is_some() => {
                    let today = app.session().as_ref().map(|s| s.today);
                    charts::value_ending(app.value_ending().unwrap_or_default(), today, frame, detail_area);
                }
                _ => detail::render(app, frame, detail_area),
            }
        }
        if let Some(f) = app.form() {
            form::render(f, frame, body);
        }
    }
    hint_bar(app, frame, hints);
    match app.popup() {
        Some(Popup::Help(scroll)) => popups::help(app, *scroll, frame, area),
        Some(Popup::Accounts(p)) => popups::picker(p, frame, area),
        Some(Popup::Error(msg)) => popups::error(msg, frame, area),
        Some(Popup::Confirm(c)) => popups::confirm(c, frame, area),
        None => {}
    }
    if let Some(busy) = app.busy() {
        popups::busy(busy, frame, area);
    }
}

fn title_bar(app: &App, frame: &mut Frame, area: Rect) {
    let line = match app.session() {
        Some(s) => {
            // The date always shows: the account's name gives way first (its id and roles
            // stay); the file, last on the line, is cut where the line ends, or left out
            // when not even a few characters of it would show.
            let width = usize::from(area.width);
            let room = width.saturating_sub(text::title_bar("", s.today, "").width());
            let who = match &s.actor {
                Some(a) => {
                    let roles = a.roles.names().join(", ");
                    let name_room = room.saturating_sub(text::acting_as(a.id.as_str(), "", &roles).width());
                    let name = if a.name.width() > name_room {
                        format::fit_cols(&a.name, name_room).trim_end().to_owned()
                    } else {
                        a.name.clone()
                    };
                    text::acting_as(a.id.as_str(), &name, &roles)
                }
                None if s.empty => text::NO_ACCOUNT_YET.to_owned(),
                None => text::NOBODY_ACTS.to_owned(),
            };
            let who = if who.width() > room { format::fit_cols(&who, room) } else { who };
            let fits = text::title_bar(&who, s.today, "x".repeat(8).as_str()).width() <= width;
            text::title_bar(&who, s.today, if fits { &s.file } else { "" })
        }
        None => text::title_bar_loading(),
    };
    frame.render_widget(Paragraph::new(line).style(THEME.title), area);
}

fn tab_bar(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    // The labels come from the app, which also knows where a click lands.
    for t in Tab::ALL {
        spans.push(Span::styled(app.tab_label(t), if t == app.tab() { THEME.tab_active } else { THEME.tab }));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn hint_bar(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(input) = app.filter_input() {
        let width = area.width.saturating_sub((text::FILTER_PROMPT.len() + text::FILTER_HELP.len() + 3) as u16);
        let scroll = input.visual_scroll(width as usize);
        let line = Line::from(vec![
            Span::styled(text::FILTER_PROMPT, THEME.key),
            Span::raw(format::visible_cols(input.value(), scroll, width as usize)),
            Span::raw("   "),
            Span::styled(text::FILTER_HELP, THEME.muted),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x + text::FILTER_PROMPT.len() as u16 + (input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    // The keys typed now wait for the form on its way: the line says so.
    if app.form_coming() {
        let esc = crate::app::keymap::key_for(Action::Cancel, Scope::Form);
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", text::notices::form_coming(&esc)), THEME.muted)),
            area,
        );
        return;
    }
    if let Some(toast) = app.toast() {
        let style = if app.toast_warn() { THEME.warn } else { THEME.ok };
        frame.render_widget(Paragraph::new(Line::from(Span::styled(format!(" {toast}"), style))), area);
        return;
    }
    // A pull and a push run in the background: their progress holds the line until they end.
    let push = app.pushing().map(|p| text::notices::pushing(p.id.as_str(), &p.status));
    let progress: Vec<String> = app.pulling().map(str::to_owned).into_iter().chain(push).collect();
    if !progress.is_empty() && app.popup().is_none() && app.form().is_none() {
        let line = format!(" {}", progress.join(" · "));
        frame.render_widget(Paragraph::new(Line::from(Span::styled(line, THEME.muted))), area);
        return;
    }
    // Whatever is on top takes the keys, and the line names them: a popup's (a picker's,
    // a confirmation's), a form's own picker's, else the form's.
    let on_top = match (app.popup(), app.form()) {
        (Some(Popup::Accounts(_)), _) => Some(Scope::Picker),
        (Some(Popup::Confirm(_)), _) => Some(Scope::Confirm),
        (Some(Popup::Help(_)), _) => Some(Scope::Help),
        (Some(Popup::Error(_)), _) => Some(Scope::Error),
        (None, Some(f)) if f.picker.is_some() => Some(Scope::Picker),
        (None, Some(_)) => Some(Scope::Form),
        (None, None) => None,
    };
    if let Some(scope) = on_top {
        // Whole entries only, as many as fit; over a popup the keys it hints come first
        // (Enter and Esc before the arrows). The form's border has its hinted keys already.
        // `r` confirms an export with its release, and nothing else.
        let with_release = matches!(app.popup(), Some(Popup::Confirm(c)) if c.with_release.is_some());
        let mut bindings: Vec<_> = crate::app::keymap::bindings(scope)
            .filter(|b| b.action != Action::ConfirmWithRelease || with_release)
            .collect();
        if scope != Scope::Form {
            bindings.sort_by_key(|b| b.hint.is_none());
        }
        let mut line = String::new();
        for entry in bindings.iter().map(|b| b.entry()) {
            let next = if line.is_empty() { format!(" {entry}") } else { format!("{line} · {entry}") };
            if next.width() > usize::from(area.width) {
                break;
            }
            line = next;
        }
        frame.render_widget(Paragraph::new(Line::styled(line, THEME.muted)), area);
        return;
    }
    // What does not fit goes from the end, but help and the account switch stay: help
    // lists the rest.
    let mut hints: Vec<(String, &str, Action)> =
        app.hints().into_iter().map(|b| (b.short_label(), b.hint.unwrap_or_default(), b.action)).collect();
    let width = |h: &[(String, &str, Action)]| {
        1 + h.iter().map(|(k, w, _)| k.chars().count() + w.chars().count() + 3).sum::<usize>()
    };
    while width(&hints) > usize::from(area.width) && hints.len() > 1 {
        let drop = hints.iter().rposition(|(_, _, a)| !matches!(a, Action::Help | Action::SwitchAccount)).unwrap_or(0);
        hints.remove(drop);
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, what, _) in hints {
        spans.push(Span::styled(key, THEME.key));
        spans.push(Span::styled(format!(" {what}  "), THEME.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn welcome(frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = text::WELCOME.iter().map(|l| Line::raw(*l)).collect();
    let h = (lines.len() as u16 + 4).min(area.height);
    let w = 84.min(area.width);
    let rect = popups::centered(area, w, h);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(text::WELCOME_TITLE)
                .border_style(THEME.focus_border)
                .padding(ratatui::widgets::Padding::uniform(1)),
        ),
        rect,
    );
}

/// The review queue: where we are, why this item is here, then its detail.
fn review(app: &App, r: &Review, frame: &mut Frame, area: Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let line = match r.current() {
        Some(item) => Line::from(vec![
            Span::styled(text::review_position(r.index + 1, r.queue.items.len()), THEME.tab_active),
            Span::raw(format!("  {}  ", item.title)),
            Span::styled(item.why.clone(), if item.overdue { THEME.error } else { THEME.warn }),
            Span::styled(item.due.map_or_else(String::new, text::review_due), THEME.muted),
        ]),
        None => Line::raw(""),
    };
    let counts: Vec<String> = r.queue.counts().iter().map(|(k, n)| text::review_count(*n, k.label())).collect();
    let title = text::review_title(&counts.join(" · "), r.queue.capped);
    frame.render_widget(
        Paragraph::new(line).block(Block::bordered().title(title).border_style(THEME.focus_border)),
        head,
    );
    detail::render(app, frame, body);
}
