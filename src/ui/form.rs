//! Forms: fields with inline errors on the left, the live breakdown on the right.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::format::wrap;
use super::popups::centered;
use super::theme::THEME;
use crate::app::form::{FieldKind, Form, FormKind};
use crate::app::keymap::{self, Scope};
use crate::app::text::{self, forms as t};
use crate::domain::Money;
use crate::domain::pricing::Breakdown;

/// Label columns: the longest label (at most 26) after a 2-column marker, and a space.
fn label_width(form: &Form) -> usize {
    let longest = form.fields.iter().map(|f| f.label.width()).max().unwrap_or(0);
    2 + longest.clamp(12, 26) + 1
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
        let lines = match &form.kind {
            FormKind::Offer { .. } => offer_panel(form, right.width.saturating_sub(2) as usize),
            FormKind::Opportunity { .. } => opportunity_panel(form),
            _ => Vec::new(),
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::bordered().border_style(THEME.border)),
            right,
        );
    }
    if let Some(p) = &form.picker {
        super::popups::picker(p, frame, area);
    }
    let question = match (&form.confirm_save, form.confirm_discard) {
        (Some(q), _) => Some(q.as_str()),
        (None, Some(crate::app::form::Discard::Close)) => Some(text::DISCARD_QUESTION),
        (None, Some(crate::app::form::Discard::Quit)) => Some(text::QUIT_QUESTION),
        (None, None) => None,
    };
    if let Some(question) = question {
        let question = format!("{question}  {}", keymap::hint_line(Scope::Confirm, " · "));
        let r = centered(area, question.chars().count() as u16 + 4, 3);
        frame.render_widget(Clear, r);
        frame.render_widget(Paragraph::new(question).centered().block(Block::bordered().border_style(THEME.warn)), r);
    }
}

fn fields(form: &Form, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    let label = label_width(form);
    let width = area.width.saturating_sub(label as u16 + 1) as usize;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused { THEME.key } else { THEME.label };
        let value_style = if f.locked {
            THEME.muted
        } else if focused {
            THEME.selected
        } else {
            ratatui::style::Style::new()
        };
        let shown = match &f.kind {
            FieldKind::Text(input) => {
                let scroll = input.visual_scroll(width.max(1));
                if focused && !f.locked {
                    cursor = Some((
                        area.x + label as u16 + (input.visual_cursor() - scroll) as u16,
                        area.y + lines.len() as u16,
                    ));
                }
                super::format::visible_cols(input.value(), scroll, width)
            }
            _ => super::format::visible_cols(&f.display(), 0, width),
        };
        // The names of the accounts an id field holds, after what was typed.
        let echo = form.echo(f).map(|n| format!("  {n}")).unwrap_or_default();
        let echo = super::format::visible_cols(&echo, 0, width.saturating_sub(shown.width()));
        let pad = if matches!(f.kind, FieldKind::Text(_)) && focused {
            width.saturating_sub(shown.width() + echo.width())
        } else {
            0
        };
        lines.push(Line::from(vec![
            // The focused field's marker needs no colour (NO_COLOR drops the reverse video).
            Span::styled(if focused { "▶ " } else { "  " }, THEME.marker),
            Span::styled(format!("{} ", super::format::fit_cols(&f.label, label - 3)), label_style),
            Span::styled(format!("{shown}{}", " ".repeat(pad)), value_style),
            Span::styled(echo, THEME.muted),
            Span::styled(if f.locked { t::LOCKED } else { "" }, THEME.muted),
        ]));
        if let Some(e) = f.error.as_ref().filter(|_| form.shows_error(f)) {
            for (k, chunk) in wrap(e, (area.width as usize).saturating_sub(4)).into_iter().enumerate() {
                lines.push(Line::styled(format!("  {} {chunk}", if k == 0 { "↳" } else { " " }), THEME.error));
            }
        }
    }
    lines.push(Line::raw(""));
    // The focused field's help and the form's message, wrapped to the pane.
    let pane = usize::from(area.width);
    if let Some(f) = form.fields.get(form.focus)
        && !f.hint.is_empty()
    {
        lines.extend(wrap(&format!("{}: {}", f.label, f.hint), pane).into_iter().map(|l| Line::styled(l, THEME.muted)));
    }
    if let Some(m) = &form.message {
        lines.extend(wrap(m, pane).into_iter().map(|l| Line::styled(l, THEME.error)));
    }
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(pos) = cursor
        && form.confirm_discard.is_none()
        && form.confirm_save.is_none()
    {
        frame.set_cursor_position(pos);
    }
}

/// A label and an amount on one line, the amount right-aligned to `width`.
fn row(label: String, m: Money, width: usize) -> Line<'static> {
    let amount = m.display();
    let pad = width.saturating_sub(label.chars().count() + amount.chars().count()).max(1);
    Line::from(vec![Span::styled(label, THEME.label), Span::raw(" ".repeat(pad)), Span::styled(amount, THEME.money)])
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
        None => l.push(Line::styled(t::FILL_IN, THEME.muted)),
        Some(Err(why)) => {
            l.push(Line::styled(t::CANT_OFFER, THEME.error));
            l.push(Line::styled(why.clone(), THEME.error));
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
        l.push(Line::styled(
            t::line_prices(
                line.quantity,
                &unit(line.buyer_unit),
                &line.list_unit.map_or_else(|| text::UNKNOWN.into(), unit),
                &unit(line.wholesale_unit),
            ),
            THEME.muted,
        ));
    }
    l.push(Line::raw(""));
    if !b.value_known {
        // No quantity typed: the totals are unknown, not zero.
        l.push(Line::styled(t::totals_unknown(), THEME.muted));
        l.push(Line::styled(t::TYPE_A_QUANTITY, THEME.muted));
        return l;
    }
    match b.list_total {
        Some(total) => l.push(row(t::LIST_TOTAL.into(), total, width)),
        None => l.push(Line::styled(t::LIST_UNKNOWN, THEME.muted)),
    }
    l.push(row(t::WHOLESALE_TOTAL.into(), b.wholesale_total, width));
    l.push(row(t::markup_row(&b.markup_pct.normalize().to_string()), b.partner_net, width));
    l.push(row(t::BUYER_PAYS.into(), b.buyer_total, width));
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

fn opportunity_panel(form: &Form) -> Vec<Line<'static>> {
    let cur = crate::domain::Currency::parse(&form.value(&crate::app::form::FieldKey::Currency))
        .unwrap_or(crate::domain::Currency::Usd);
    let unit = |d: rust_decimal::Decimal| crate::domain::money::unit_price_display(d, cur);
    let mut l = vec![
        Line::styled(t::WHOLESALE_PER_DIMENSION, THEME.header),
        Line::styled(format!("{:<16}{:>18}{:>18}", text::DIMENSION, text::LIST, text::WHOLESALE), THEME.label),
    ];
    for (dim, list, wholesale) in form.opportunity_prices() {
        l.push(Line::from(vec![
            Span::raw(format!("{dim:<16}")),
            Span::styled(format!("{:>18}", list.map_or_else(|| text::UNKNOWN.into(), unit)), THEME.money),
            Span::styled(format!("{:>18}", wholesale.map_or_else(|| "-".into(), unit)), THEME.money),
        ]));
    }
    l.push(Line::raw(""));
    l.push(Line::styled(t::SAVED_AS_DRAFT, THEME.muted));
    l
}
