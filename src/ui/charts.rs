//! Charts: a relationship's months (Partners detail), the coming weeks of expiries (`t`). Bars and sparklines are drawn with
//! block characters, so they read without colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::theme::THEME;
use crate::app::text::detail as t;
use crate::domain::{Currency, Money};
use crate::market::MonthView;

/// Offers made per month (a sparkline) and value accepted per month (bars, in the currency
/// with the most accepted months; the others are in the totals above).
pub fn relationship(months: &[MonthView], totals: &[Money], frame: &mut Frame, area: Rect) {
    let [offers_label, offers, _, value_label, value] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let made: Vec<u64> = months.iter().map(|m| m.offers).collect();
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) => {
            t::months_span(&a.month.format("%b %Y").to_string(), &b.month.format("%b %Y").to_string())
        }
        _ => String::new(),
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            ratatui::text::Span::styled(t::OFFERS_PER_MONTH, THEME.header),
            ratatui::text::Span::styled(
                t::offers_made_in(&span, made.iter().sum::<u64>(), *made.iter().max().unwrap_or(&0)),
                THEME.muted,
            ),
        ])),
        offers_label,
    );
    // Each month as wide as its bar below, so the two charts line up.
    let slots = months.len().max(1) as u16;
    let bar_width = (area.width / slots).saturating_sub(1).clamp(3, 8);
    let aligned: Vec<u64> =
        made.iter().flat_map(|&n| std::iter::repeat_n(n, usize::from(bar_width)).chain(std::iter::once(0))).collect();
    frame.render_widget(Sparkline::default().data(&aligned).style(THEME.money), offers);
    let Some(currency) = main_currency(months, totals) else {
        frame.render_widget(Paragraph::new(Line::styled(t::NO_VALUE_ACCEPTED, THEME.muted)), value_label);
        return;
    };
    let amounts: Vec<Decimal> = months
        .iter()
        .map(|m| m.accepted.iter().find(|a| a.currency() == currency).map_or(Decimal::ZERO, |a| a.amount()))
        .collect();
    let others = totals.len() > 1;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            ratatui::text::Span::styled(t::value_per_month(&currency.to_string()), THEME.header),
            ratatui::text::Span::styled(if others { t::OTHER_CURRENCIES } else { "" }, THEME.muted),
        ])),
        value_label,
    );
    let bars: Vec<Bar> = months
        .iter()
        .zip(&amounts)
        .map(|(m, a)| {
            Bar::default()
                .value(a.round().to_u64().unwrap_or(0))
                .text_value(if a.is_zero() { String::new() } else { compact(*a) })
                .label(Line::raw(m.month.format("%b").to_string()))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(THEME.money)
            .value_style(THEME.selected),
        value,
    );
}

/// How many Active offers expire in each of the coming weeks, one bar a week, labelled with
/// the week's first day; in place of the detail (`t`).
pub fn expiries(weeks: &[u64], today: Option<chrono::NaiveDate>, frame: &mut Frame, area: Rect) {
    let total: u64 = weeks.iter().sum();
    let title = t::expiring(total, weeks.len());
    let block = Block::bordered().title(ratatui::text::Span::styled(title, THEME.header)).border_style(THEME.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (Some(today), false) = (today, weeks.is_empty()) else {
        frame.render_widget(Paragraph::new(Line::styled(t::COUNTING, THEME.muted)), inner);
        return;
    };
    let slots = weeks.len().max(1) as u16;
    let bars: Vec<Bar> = weeks
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let start = today + chrono::Days::new(i as u64 * 7);
            Bar::default()
                .value(n)
                .text_value(if n == 0 { String::new() } else { n.to_string() })
                .label(Line::raw(start.format("%m-%d").to_string()))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width((inner.width / slots).saturating_sub(1).clamp(3, 8))
            .bar_gap(1)
            .bar_style(THEME.warn)
            .value_style(THEME.selected),
        inner,
    );
}

/// The value of the ACTIVE agreements ending in each of the next twelve months, one bar a
/// month, in the currency with the most value ending; in place of the detail (`t` on the
/// Agreements tab).
pub fn value_ending(months: &[Vec<Money>], today: Option<chrono::NaiveDate>, frame: &mut Frame, area: Rect) {
    let mut currencies: Vec<(Currency, Decimal)> = Vec::new();
    for m in months.iter().flatten() {
        match currencies.iter_mut().find(|(c, _)| *c == m.currency()) {
            Some((_, sum)) => *sum += m.amount(),
            None => currencies.push((m.currency(), m.amount())),
        }
    }
    let main = currencies.iter().fold(None::<(Currency, Decimal)>, |best, &(c, v)| match best {
        Some((_, b)) if b >= v => best,
        _ => Some((c, v)),
    });
    let title = match main {
        Some((c, _)) => format!(" {} ", t::value_ending(c.code())),
        None => crate::app::text::tables::VALUE_ENDING.to_owned(),
    };
    let block = Block::bordered().title(ratatui::text::Span::styled(title, THEME.header)).border_style(THEME.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (Some(today), Some((currency, _))) = (today, main) else {
        let words = if months.is_empty() { t::COUNTING } else { crate::app::text::tables::NOTHING_ENDING };
        frame.render_widget(Paragraph::new(Line::styled(words, THEME.muted)), inner);
        return;
    };
    let slots = months.len().max(1) as u16;
    let bars: Vec<Bar> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let value = m.iter().find(|v| v.currency() == currency).map_or(Decimal::ZERO, |v| v.amount());
            let month = today.checked_add_months(chrono::Months::new(i as u32)).unwrap_or(today);
            Bar::default()
                .value(u64::try_from(value.trunc().mantissa()).unwrap_or(0))
                .text_value(if value.is_zero() { String::new() } else { compact(value) })
                .label(Line::raw(month.format("%b").to_string()))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width((inner.width / slots).saturating_sub(1).clamp(3, 8))
            .bar_gap(1)
            .bar_style(THEME.money)
            .value_style(THEME.selected),
        inner,
    );
}

/// The currency accepted in the most months (the first of the totals on a tie).
fn main_currency(months: &[MonthView], totals: &[Money]) -> Option<Currency> {
    let months_in = |c: Currency| months.iter().filter(|m| m.accepted.iter().any(|a| a.currency() == c)).count();
    let mut best: Option<(Currency, usize)> = None;
    for c in totals.iter().map(|m| m.currency()) {
        let n = months_in(c);
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((c, n));
        }
    }
    best.map(|(c, _)| c)
}

/// An amount in a bar's few columns: `950`, `88k`, `1.2M`.
fn compact(a: Decimal) -> String {
    let v = a.round();
    if v < Decimal::ONE_THOUSAND {
        v.to_string()
    } else if v < Decimal::from(1_000_000) {
        format!("{}k", (v / Decimal::ONE_THOUSAND).trunc())
    } else {
        format!("{}M", (v / Decimal::from(1_000_000)).round_dp(1).normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::compact;
    use rust_decimal::dec;

    #[test]
    fn amounts_fit_a_bar() {
        assert_eq!(compact(dec!(950.4)), "950");
        assert_eq!(compact(dec!(88000)), "88k");
        assert_eq!(compact(dec!(1234567.89)), "1.2M");
    }
}
