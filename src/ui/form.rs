//! Forms: fields with inline errors on the left (a list taller than the pane scrolls with
//! the focus, marked where fields lie out of sight), the live breakdown on the right.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::format::wrap;
use super::popups::centered;
use super::theme::THEME;
use crate::app::form::{FieldKind, Form, FormKind};
use crate::app::keymap::{self, Action, Scope};
use crate::app::text::{self, forms as t};
use crate::domain::Money;
use crate::domain::pricing::Breakdown;

/// Label columns: the longest label after a 2-column marker, and a space; at most half
/// the pane (and 26), so that values keep room on a narrow screen. A longer label pushes
/// its own value over instead of being cut.
fn label_width(form: &Form, pane: u16) -> usize {
    let longest = form.fields.iter().map(|f| f.label.width()).max().unwrap_or(0);
    let most = usize::from(pane / 2).saturating_sub(2).clamp(12, 26);
    2 + longest.clamp(12, most) + 1
}

pub fn render(form: &Form, frame: &mut Frame, area: Rect) {
    let small = matches!(form.kind, FormKind::Extend { .. } | FormKind::Finance { .. } | FormKind::Account);
    let rect = if small { centered(area, 76, (form.fields.len() as u16) * 2 + 7) } else { area };
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Line::from(vec![Span::styled(format!(" {} ", form.title), THEME.header)]))
        .title_bottom(Line::styled(format!(" {} ", keymap::hint_line(Scope::Form, " · ")), THEME.muted))
        .border_style(THEME.focus_border);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [left, right] = if small {
        [inner, Rect::default()]
    } else {
        Layout::horizontal([Constraint::Percentage(52), Constraint::Fill(1)]).areas(inner)
    };
    fields(form, frame, left);
    if right.width > 0 {
        let width = right.width.saturating_sub(2) as usize;
        let lines = match &form.kind {
            FormKind::Offer { .. } => offer_panel(form, width),
            FormKind::Opportunity { .. } => opportunity_panel(form, width),
            _ => Vec::new(),
        };
        panel(form, lines, frame, right);
    }
    if let Some(p) = &form.picker {
        super::popups::picker(p, frame, area);
    }
    let question = match (&form.confirm_save, form.confirm_discard) {
        (Some(q), _) => Some((q.as_str(), Scope::Confirm)),
        (None, Some(crate::app::form::Discard::Close)) => Some((text::DISCARD_QUESTION, Scope::Discard)),
        (None, Some(crate::app::form::Discard::Quit)) => Some((text::QUIT_QUESTION, Scope::Confirm)),
        (None, None) => None,
    };
    if let Some((question, scope)) = question {
        let question = format!("{question}  {}", keymap::hint_line(scope, " · "));
        let r = centered(area, question.chars().count() as u16 + 4, 3);
        frame.render_widget(Clear, r);
        frame.render_widget(Paragraph::new(question).centered().block(Block::bordered().border_style(THEME.warn)), r);
    }
}

/// The pane beside the fields: its lines (already wrapped to it, so their count is the
/// height they take), scrolled as far as the form says, with a mark on its border while
/// lines lie above or below.
fn panel(form: &Form, lines: Vec<Line<'static>>, frame: &mut Frame, area: Rect) {
    let mut block = Block::bordered().border_style(THEME.border);
    let height = block.inner(area).height;
    let max = (lines.len() as u16).saturating_sub(height);
    form.panel_scroll_max.set(max);
    let scroll = form.panel_scroll.min(max);
    if max > 0 {
        let down = keymap::key_for(Action::PageDown, Scope::Form);
        let up = keymap::key_for(Action::PageUp, Scope::Form);
        let more = t::panel_more(scroll, max - scroll, &down, &up);
        block = block.title_bottom(Line::styled(more, THEME.muted).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), area);
}

/// `text` wrapped to `width`, every line in `style`.
fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    wrap(text, width).into_iter().map(|l| Line::styled(l, style)).collect()
}

fn fields(form: &Form, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    // Each field's lines (its row, what continues under it, its error), first to past-last.
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(form.fields.len());
    // The text cursor: its column and the line it is on.
    let mut cursor = None;
    let column = label_width(form, area.width);
    for (i, f) in form.fields.iter().enumerate() {
        let start = lines.len();
        let focused = i == form.focus;
        let label = column.max(2 + f.label.width() + 1);
        let width = area.width.saturating_sub(label as u16 + 1) as usize;
        let label_style = if focused { THEME.key } else { THEME.label };
        let value_style = if f.locked {
            THEME.muted
        } else if focused {
            THEME.selected
        } else {
            ratatui::style::Style::new()
        };
        // A choice is never cut (two products may share the first words): what does not fit
        // continues under itself.
        let mut below = Vec::new();
        let shown = match &f.kind {
            FieldKind::Choice(..) => {
                let mut parts = wrap(&f.display(), width).into_iter();
                let first = parts.next().unwrap_or_default();
                below = parts.collect();
                first
            }
            FieldKind::Text(input) => {
                let scroll = input.visual_scroll(width.max(1));
                if focused && !f.locked {
                    cursor = Some((area.x + label as u16 + (input.visual_cursor() - scroll) as u16, lines.len()));
                }
                super::format::visible_cols(input.value(), scroll, width)
            }
            _ => super::format::visible_cols(&f.display(), 0, width),
        };
        // The names of the accounts an id field holds, after what was typed, or under it
        // when they do not fit beside it: a name is never cut.
        let names = form.echo(f).unwrap_or_default();
        let (echo, names_below) = if shown.width() + 2 + names.width() <= width || names.is_empty() {
            (if names.is_empty() { names } else { format!("  {names}") }, Vec::new())
        } else {
            (String::new(), wrap(&names, width))
        };
        let pad = if matches!(f.kind, FieldKind::Text(_)) && focused {
            width.saturating_sub(shown.width() + echo.width())
        } else {
            0
        };
        lines.push(Line::from(vec![
            // The focused field's marker needs neither colour nor reverse video.
            Span::styled(if focused { "▶ " } else { "  " }, THEME.marker),
            Span::styled(format!("{} ", super::format::fit_cols(&f.label, label - 3)), label_style),
            Span::styled(format!("{shown}{}", " ".repeat(pad)), value_style),
            Span::styled(echo, THEME.muted),
            Span::styled(if f.locked { t::LOCKED } else { "" }, THEME.muted),
        ]));
        for part in below {
            lines.push(Line::from(vec![Span::raw(" ".repeat(label)), Span::styled(part, value_style)]));
        }
        for part in names_below {
            lines.push(Line::from(vec![Span::raw(" ".repeat(label)), Span::styled(part, THEME.muted)]));
        }
        if let Some(e) = f.error.as_ref().filter(|_| form.shows_error(f)) {
            for (k, chunk) in wrap(e, (area.width as usize).saturating_sub(4)).into_iter().enumerate() {
                lines.push(Line::styled(format!("  {} {chunk}", if k == 0 { "↳" } else { " " }), THEME.error));
            }
        }
        spans.push((start, lines.len()));
    }
    // The focused field's help and the form's message, wrapped to the pane, after a blank.
    let pane = usize::from(area.width);
    let mut tail = vec![Line::raw("")];
    if let Some(f) = form.fields.get(form.focus)
        && !f.hint.is_empty()
    {
        tail.extend(wrap(&format!("{}: {}", f.label, f.hint), pane).into_iter().map(|l| Line::styled(l, THEME.muted)));
    }
    if let Some(m) = &form.message {
        tail.extend(wrap(m, pane).into_iter().map(|l| Line::styled(l, THEME.error)));
    }
    let height = usize::from(area.height);
    let cursor_pos;
    if lines.len() + tail.len() <= height {
        form.fields_top.set(0);
        cursor_pos = cursor.map(|(x, l)| (x, area.y + l as u16));
        lines.extend(tail);
        frame.render_widget(Paragraph::new(lines), area);
    } else {
        // Too tall: the help and the message keep the bottom (at most half the pane), and
        // the field list scrolls above them, marked where fields lie out of sight.
        let tail_h = tail.len().min(height / 2);
        let list = Window::follow(
            usize::from(form.fields_top.get()),
            spans.get(form.focus).copied().unwrap_or_default(),
            lines.len(),
            height - tail_h,
        );
        form.fields_top.set(list.top as u16);
        let hidden_above = spans.iter().filter(|(start, _)| *start < list.top).count();
        let hidden_below = spans.iter().filter(|(_, end)| *end > list.top + list.rows).count();
        let mut shown: Vec<Line> = Vec::with_capacity(height);
        if list.up {
            shown.push(Line::styled(t::fields_above(hidden_above), THEME.muted));
        }
        let first_y = area.y + shown.len() as u16;
        cursor_pos = cursor
            .filter(|(_, l)| (list.top..list.top + list.rows).contains(l))
            .map(|(x, l)| (x, first_y + (l - list.top) as u16));
        shown.extend(lines.into_iter().skip(list.top).take(list.rows));
        if list.down {
            shown.push(Line::styled(t::fields_below(hidden_below), THEME.muted));
        }
        shown.resize(height - tail_h, Line::raw(""));
        shown.extend(tail.into_iter().take(tail_h));
        frame.render_widget(Paragraph::new(shown), area);
    }
    if let Some(pos) = cursor_pos
        && form.confirm_discard.is_none()
        && form.confirm_save.is_none()
    {
        frame.set_cursor_position(pos);
    }
}

/// The lines of a scrolled field list on screen: from `top`, `rows` of them, under a mark
/// when `up` (lines above) and over one when `down` (lines below).
#[derive(Debug, PartialEq, Eq)]
struct Window {
    top: usize,
    rows: usize,
    up: bool,
    down: bool,
}

impl Window {
    /// The window of `room` rows over `total` lines from `top`: a row for each mark needed.
    fn at(top: usize, total: usize, room: usize) -> Self {
        let up = top > 0;
        let down = total.saturating_sub(top) > room.saturating_sub(usize::from(up));
        Self { top, rows: room.saturating_sub(usize::from(up) + usize::from(down)), up, down }
    }

    /// The window nearest to `top` (the last one drawn) that shows the focused field's
    /// lines `focus` (first, past-last), as much of it as fits from its first line: the
    /// list moves only when the focus leaves it, and never leaves rows empty at its end.
    fn follow(top: usize, focus: (usize, usize), total: usize, room: usize) -> Self {
        let (first, end) = focus;
        let mut top = top.min(first);
        while top < first && end > top + Self::at(top, total, room).rows {
            top += 1;
        }
        let reaches_the_end = |top: usize| top + Self::at(top, total, room).rows >= total;
        while top > 0 && reaches_the_end(top - 1) {
            top -= 1;
        }
        Self::at(top, total, room)
    }
}

/// A label and an amount on one line, the amount right-aligned to `width`.
fn row(label: String, m: Money, width: usize) -> Line<'static> {
    styled_row(label, m, width, THEME.money)
}

/// [`row`] with the amount in `style` (bold for the one the form is about).
fn styled_row(label: String, m: Money, width: usize, style: Style) -> Line<'static> {
    let amount = m.display();
    let pad = width.saturating_sub(label.chars().count() + amount.chars().count()).max(1);
    Line::from(vec![Span::styled(label, THEME.label), Span::raw(" ".repeat(pad)), Span::styled(amount, style)])
}

/// The chosen opportunity's terms, which bound what the offer may say.
fn opportunity_terms(form: &Form, width: usize) -> Vec<Line<'static>> {
    let Some(o) = form.chosen_opportunity() else { return Vec::new() };
    // A label, then its value wrapped under itself.
    let mut lines = vec![Line::styled(t::OPPORTUNITY_TERMS, THEME.header)];
    let mut term = |label: &str, value: String| {
        for (i, part) in wrap(&value, width.saturating_sub(11)).into_iter().enumerate() {
            let label = if i == 0 { format!("{label:<11}") } else { " ".repeat(11) };
            lines.push(Line::from(vec![Span::styled(label, THEME.label), Span::raw(part)]));
        }
    };
    let buyers = if o.buyer_account_ids.is_empty() {
        text::ANY_BUYER.to_owned()
    } else {
        let name = |id: &crate::domain::AccountId| form.account_name(id.as_str()).unwrap_or(id.as_str()).to_owned();
        o.buyer_account_ids.iter().map(name).collect::<Vec<_>>().join(", ")
    };
    let discount =
        o.discount_pct.map_or_else(|| t::PRICE_PER_DIMENSION.into(), |d| text::off_list(&d.normalize().to_string()));
    term(t::TERM_KIND, format!("{}, {}", o.kind.label(), o.currency));
    term(t::TERM_BUYERS, buyers);
    term(t::TERM_DISCOUNT, discount);
    let durations: Vec<String> = o.terms.durations().iter().map(|d| d.words()).collect();
    term(
        t::TERM_DURATION,
        match durations.as_slice() {
            [_] | [] => o.duration_words.clone(),
            several => t::durations_to_pick(several),
        },
    );
    term(t::TERM_ENDS_ON, o.ends_on.map_or_else(|| text::INDEFINITE.into(), t::ends_by));
    lines.push(Line::raw(""));
    lines
}

fn offer_panel(form: &Form, width: usize) -> Vec<Line<'static>> {
    let mut l = opportunity_terms(form, width);
    l.push(Line::styled(t::PRICE_BREAKDOWN, THEME.header));
    match &form.preview {
        None => l.extend(wrapped(t::FILL_IN, width, THEME.muted)),
        Some(Err(why)) => {
            l.extend(wrapped(t::CANT_OFFER, width, THEME.error));
            l.extend(wrapped(why, width, THEME.error));
        }
        Some(Ok(b)) => l.extend(breakdown(b, width)),
    }
    l
}

fn breakdown(b: &Breakdown, width: usize) -> Vec<Line<'static>> {
    let mut l = Vec::new();
    for line in &b.lines {
        if line.quantity == 0 && line.pricing == crate::domain::PricingModel::Contract {
            continue;
        }
        let unit = |d: rust_decimal::Decimal| super::format::unit(d, b.currency);
        l.push(row(line.dimension.clone(), line.buyer_total, width));
        l.extend(wrapped(
            &t::line_prices(
                line.quantity,
                &unit(line.buyer_unit),
                &line.list_unit.map_or_else(|| text::UNKNOWN.into(), unit),
                &unit(line.wholesale_unit),
            ),
            width,
            THEME.muted,
        ));
    }
    l.push(Line::raw(""));
    if !b.value_known {
        // No quantity typed: the totals are unknown, not zero.
        l.extend(wrapped(&t::totals_unknown(), width, THEME.muted));
        l.extend(wrapped(t::TYPE_A_QUANTITY, width, THEME.muted));
        return l;
    }
    match b.list_total {
        Some(total) => l.push(row(t::LIST_TOTAL.into(), total, width)),
        None => l.extend(wrapped(t::LIST_UNKNOWN, width, THEME.muted)),
    }
    l.push(row(t::WHOLESALE_TOTAL.into(), b.wholesale_total, width));
    l.push(row(t::markup_row(&b.markup_pct.normalize().to_string()), b.partner_net, width));
    l.push(styled_row(t::BUYER_PAYS.into(), b.buyer_total, width, THEME.total));
    l.push(row(t::listing_fee_row(&b.fee_rate_pct.normalize().to_string()), b.listing_fee, width));
    l.push(row(t::ISV_RECEIVES.into(), b.isv_net, width));
    l.push(row(t::PARTNER_RECEIVES.into(), b.partner_net, width));
    if b.charges.len() > 1 {
        l.push(Line::raw(""));
        l.push(Line::styled(t::CHARGES, THEME.header));
        for c in &b.charges {
            let when = c.due_on.map_or_else(|| text::AT_ACCEPTANCE.into(), |d| d.to_string());
            l.push(row(format!("  {when}"), c.buyer, width));
        }
    }
    l
}

/// The wholesale price of each dimension as typed, beside its list price: one row each
/// when the pane is wide enough, else the dimension on a line and its prices under it.
fn opportunity_panel(form: &Form, width: usize) -> Vec<Line<'static>> {
    let cur = crate::domain::Currency::parse(&form.value(&crate::app::form::FieldKey::Currency))
        .unwrap_or(crate::domain::Currency::Usd);
    let unit = |d: rust_decimal::Decimal| crate::domain::money::unit_price_display(d, cur);
    let rows: Vec<(String, String, String)> = form
        .opportunity_prices()
        .into_iter()
        .map(|(dim, list, wholesale)| {
            (dim, list.map_or_else(|| text::UNKNOWN.into(), unit), wholesale.map_or_else(|| "-".into(), unit))
        })
        .collect();
    let amount = rows
        .iter()
        .flat_map(|(_, l, w)| [l.width(), w.width()])
        .chain([text::LIST.width(), text::WHOLESALE.width()])
        .max()
        .unwrap_or(0)
        + 2;
    let dim = rows.iter().map(|(d, _, _)| d.width()).chain([text::DIMENSION.width()]).max().unwrap_or(0) + 1;
    let one_row = dim + 2 * amount <= width;
    // The amounts sit at the pane's right edge, as the offer's breakdown has them.
    let first = width.saturating_sub(2 * amount);
    let mut l = vec![
        Line::styled(t::WHOLESALE_PER_DIMENSION, THEME.header),
        Line::styled(
            format!(
                "{:<first$}{:>amount$}{:>amount$}",
                if one_row { text::DIMENSION } else { "" },
                text::LIST,
                text::WHOLESALE
            ),
            THEME.label,
        ),
    ];
    for (d, list, wholesale) in rows {
        let lead = if one_row {
            format!("{d:<first$}")
        } else {
            l.push(Line::raw(d));
            " ".repeat(first)
        };
        l.push(Line::from(vec![
            Span::raw(lead),
            Span::styled(format!("{list:>amount$}"), THEME.money),
            Span::styled(format!("{wholesale:>amount$}"), THEME.money),
        ]));
    }
    l.push(Line::raw(""));
    l.extend(wrapped(t::SAVED_AS_DRAFT, width, THEME.muted));
    l
}
