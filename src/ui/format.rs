//! Formatting for the screen: money, dates, counts.

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::domain::money::group_thousands;

/// `1000000` -> `1,000,000`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// `2026-12-01 (in 5 days)` when it needs attention (within
/// [`OPPORTUNITY_ATTENTION_DAYS`] of today).
pub fn date_soon(d: Option<NaiveDate>, today: Option<NaiveDate>, none: &str) -> String {
    use crate::domain::clock::{OPPORTUNITY_ATTENTION_DAYS, within};
    let Some(d) = d else { return none.to_owned() };
    let Some(t) = today.filter(|t| within(Some(d), *t, OPPORTUNITY_ATTENTION_DAYS)) else { return d.to_string() };
    crate::app::text::date_soon(d, (d - t).num_days())
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}

/// A unit price with at least the currency's minor digits: `1,434.375`, `1,500.00`.
pub fn unit(d: rust_decimal::Decimal, currency: crate::domain::Currency) -> String {
    group_thousands(&crate::domain::money::unit_price_text(d, currency))
}

/// The part of `s` a text field shows: `skip` display columns scrolled past (tui-input's
/// `visual_scroll`), then at most `width` columns. Wide characters count two, as the
/// terminal draws them; one cut in half is left out.
pub fn visible_cols(s: &str, skip: usize, width: usize) -> String {
    let mut out = String::new();
    let (mut at, mut used) = (0, 0);
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if at < skip {
            at += w;
            continue;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out
}

/// `s` in exactly `width` display columns: cut with `…` when wider, padded when narrower.
pub fn fit_cols(s: &str, width: usize) -> String {
    if s.width() <= width {
        return format!("{s}{}", " ".repeat(width - s.width()));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out.push_str(&" ".repeat(width.saturating_sub(used + 1)));
    out
}

/// Splits `s` into lines of at most `width` columns (10 at least), at spaces where
/// possible; a word wider than a line is cut across lines, never left to run off the edge.
/// Leading spaces indent every line.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let body = s.trim_start_matches(' ');
    let indent = " ".repeat((s.len() - body.len()).min(width / 2));
    let mut out = vec![indent.clone()];
    for word in body.split(' ') {
        let cur = out.last_mut().expect("one line at least");
        if cur.len() > indent.len() && cur.width() + 1 + word.width() > width {
            out.push(indent.clone());
        } else if cur.len() > indent.len() {
            cur.push(' ');
        }
        for c in word.chars() {
            let cur = out.last_mut().expect("one line at least");
            if cur.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > width {
                out.push(indent.clone());
            }
            out.last_mut().expect("one line at least").push(c);
        }
    }
    out
}
