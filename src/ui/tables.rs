//! The table of the current tab. Only the visible window of rows is built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::format;
use super::text;
use super::theme::{self, THEME};
use crate::app::pager::Pager;
use crate::app::{App, Tab};
use crate::domain::clock::{OFFER_ATTENTION_DAYS, OPPORTUNITY_ATTENTION_DAYS, within};
use crate::domain::visibility::Audience;
use crate::domain::{AccountId, OfferStatus, OpportunityStatus, ProductId};
use crate::market::Sort;
use crate::market::views::Figure;
use theme::Tone;

/// A column: header, width, whether it is right-aligned, and the sort arrow when the rows
/// are sorted by it.
struct Col {
    title: &'static str,
    width: Constraint,
    right: bool,
    /// What sorts the rows by this column (`s` cycles them).
    sort: Option<Sort>,
    arrow: &'static str,
    /// The header in words, where it is abbreviated (the title's "sort: ..." says it).
    words: Option<&'static str>,
}

const fn col(title: &'static str, width: Constraint, right: bool) -> Col {
    Col { title, width, right, sort: None, arrow: "", words: None }
}

impl Col {
    const fn sorts(mut self, sort: Sort) -> Col {
        self.sort = Some(sort);
        self
    }
    const fn in_words(mut self, words: &'static str) -> Col {
        self.words = Some(words);
        self
    }
}

/// Marks the columns the rows are sorted by (none for "created", which the title names).
fn mark_sort(cols: &mut [Col], sort: Sort, descending: bool) {
    for c in cols.iter_mut().filter(|c| c.sort == Some(sort)) {
        c.arrow = if descending { " ↓" } else { " ↑" };
    }
}

/// One cell's text, how it aligns and its style; [`draw`] fits it to its column.
struct Text {
    text: String,
    right: bool,
    style: Style,
}

fn cell(text: String, right: bool, style: Style) -> Text {
    Text { text, right, style }
}

/// A row not read yet.
fn pending() -> Vec<Text> {
    vec![cell("…".into(), false, THEME.muted)]
}

/// `text` in its column: cut with `…` when wider. Right-aligned cells are figures and are
/// never cut: their columns are sized to hold them.
fn fit(text: String, width: u16, right: bool) -> String {
    if right || text.width() <= usize::from(width) { text } else { format::fit_cols(&text, usize::from(width)) }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    match app.tab {
        Tab::Partners => partners(app, frame, area),
        Tab::Opportunities => opportunities(app, frame, area),
        Tab::Offers => offers(app, frame, area),
    }
}

/// The sort as the title names it: by the header of its column, when shown.
fn sort_label(cols: &[Col], sort: Sort) -> String {
    let shown: Vec<String> =
        cols.iter().filter(|c| c.sort == Some(sort)).map(|c| c.words.unwrap_or(c.title).to_lowercase()).collect();
    if shown.is_empty() { sort.label().to_owned() } else { shown.join(" / ") }
}

fn block_title(
    app: &App,
    tab: Tab,
    count: String,
    cols: &[Col],
    sort: Option<(Sort, bool)>,
    position: String,
) -> Line<'static> {
    let mut spans = vec![Span::styled(format!(" {} ({count}) ", tab.title()), THEME.header)];
    if let Some(d) = app.drilled_from() {
        spans.push(Span::styled(format!("of {} (Esc: back to {}) ", d.what, d.from.title()), THEME.key));
    }
    let filter = app.current_filter();
    if !filter.is_empty() {
        spans.push(Span::styled(format!("filter: \"{filter}\" "), THEME.warn));
    }
    if let Some(status) = app.list(tab).status_label() {
        spans.push(Span::styled(format!("status: {status} "), THEME.warn));
    }
    if let Some((s, desc)) = sort {
        spans.push(Span::styled(
            format!("sort: {} {} ", sort_label(cols, s), if desc { "↓" } else { "↑" }),
            THEME.muted,
        ));
    }
    spans.push(Span::styled(position, THEME.muted));
    let summary_only = app.session.as_ref().map_or(0, |s| match tab {
        Tab::Opportunities => s.summary_only.0,
        Tab::Offers => s.summary_only.1,
        Tab::Partners => 0,
    });
    if summary_only > 0 {
        spans.push(Span::styled(
            format!(" {summary_only} more by AWS summary only: import their describe-entity "),
            THEME.warn,
        ));
    }
    Line::from(spans)
}

fn draw(
    frame: &mut Frame,
    area: Rect,
    title: Line<'static>,
    cols: &[Col],
    rows: Vec<Vec<Text>>,
    selected: Option<usize>,
    empty: &str,
) {
    let block = Block::bordered().title(title).border_style(THEME.focus_border);
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(format!(" {empty}")).style(THEME.muted).block(block), area);
        return;
    }
    // The widths the table will give its columns: the block's inside less the marker gutter.
    let inner = block.inner(area);
    let widths = Layout::horizontal(cols.iter().map(|c| c.width))
        .spacing(1)
        .split(Rect { width: inner.width.saturating_sub(2), ..inner });
    // A header wider than its column is cut with `…`, keeping the sort arrow.
    let header = Row::new(cols.iter().zip(widths.iter()).map(|(c, r)| {
        let width = usize::from(r.width);
        let text = if c.title.width() + c.arrow.width() <= width {
            format!("{}{}", c.title, c.arrow)
        } else {
            let room = width.saturating_sub(c.arrow.width());
            format!("{}{}", format::fit_cols(c.title, room).trim_end(), c.arrow)
        };
        let line = Line::from(text);
        Cell::from(if c.right { line.right_aligned() } else { line }).style(THEME.header)
    }));
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|cells| {
            Row::new(cells.into_iter().zip(widths.iter()).map(|(t, r)| {
                let line = Line::from(fit(t.text, r.width, t.right));
                Cell::from(if t.right { line.right_aligned() } else { line }).style(t.style)
            }))
        })
        .collect();
    let table = Table::new(rows, cols.iter().map(|c| c.width))
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(THEME.selected)
        // A marker that needs no colour: with NO_COLOR the terminal drops the reverse video
        // (crossterm's reset after a suppressed colour cancels it), the marker stays.
        .highlight_symbol(Line::styled("▶ ", THEME.marker))
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
}

/// The visible rows of a pager: `(absolute index, row)`; unloaded rows show as "…".
fn window<T>(p: &Pager<T>, height: u16) -> Vec<(u64, Option<&T>)> {
    let end = (p.scroll() + u64::from(height)).min(p.known_len());
    (p.scroll()..end).map(|i| (i, p.row(i))).collect()
}

fn position<T>(p: &Pager<T>) -> String {
    if p.known_len() == 0 { String::new() } else { format!("{}/{} ", format::count(p.cursor() + 1), p.count_label()) }
}

fn empty_text<T>(app: &App, p: &Pager<T>) -> &'static str {
    if !p.is_loaded() {
        text::LOADING
    } else if app.current_filter().is_empty() {
        text::NOTHING_HERE
    } else {
        text::NO_MATCH
    }
}

fn partners(app: &App, frame: &mut Frame, area: Rect) {
    let values: Vec<String> = app
        .partners
        .rows
        .iter()
        .map(|r| {
            if r.accepted.is_empty() {
                "-".to_owned()
            } else {
                r.accepted.iter().map(|m| m.display()).collect::<Vec<_>>().join(" + ")
            }
        })
        .collect();
    // Wide enough for every figure: money is never cut.
    let value_width = values.iter().map(|v| v.width()).max().unwrap_or(0).max("Accepted value".len()) as u16;
    let cols = [
        col("Account", Constraint::Length(12), false),
        col("Legal name", Constraint::Fill(2), false),
        col("Role", Constraint::Length(8), false),
        col("Opportunities", Constraint::Length(13), true),
        col("Offers", Constraint::Length(8), true),
        col("Accepted value", Constraint::Length(value_width), true),
    ];
    let rows: Vec<Vec<Text>> = app
        .partners
        .rows
        .iter()
        .zip(values)
        .map(|(r, value)| {
            vec![
                cell(r.account_id.to_string(), false, Style::new()),
                cell(r.name.clone(), false, Style::new()),
                cell(r.role.as_str().to_owned(), false, THEME.label),
                cell(r.opportunities.map_or_else(|| "-".into(), |n| n.to_string()), true, Style::new()),
                cell(r.offers.to_string(), true, Style::new()),
                cell(value, true, THEME.money),
            ]
        })
        .collect();
    let height = area.height.saturating_sub(3) as usize;
    let offset = app.partners.cursor.saturating_sub(height.saturating_sub(1));
    let visible: Vec<Vec<Text>> = rows.into_iter().skip(offset).take(height).collect();
    let pos = if app.partners.rows.is_empty() {
        String::new()
    } else {
        format!("{}/{} ", app.partners.cursor + 1, app.partners.rows.len())
    };
    let title = block_title(app, Tab::Partners, app.partners.rows.len().to_string(), &[], None, pos);
    let empty = if !app.partners.loaded {
        text::LOADING
    } else if app.current_filter().is_empty() {
        text::NOTHING_HERE
    } else {
        text::NO_MATCH
    };
    let selected = (!app.partners.rows.is_empty()).then(|| app.partners.cursor - offset);
    draw(frame, area, title, &cols, visible, selected, empty);
}

fn counterparty(app: &App, id: &AccountId) -> String {
    app.account_name(id).map_or_else(|| id.to_string(), str::to_owned)
}

fn product(app: &App, id: &ProductId) -> String {
    app.product_name(id).map_or_else(|| id.to_string(), str::to_owned)
}

fn opportunities(app: &App, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 120;
    let ids = area.width >= 160;
    let today = app.session.as_ref().map(|s| s.today);
    let mut cols = Vec::new();
    if ids {
        cols.push(col("Opportunity", Constraint::Length(25), false));
    }
    // Under 120 columns the product gives way to the name (the detail shows it).
    cols.push(col("Name", Constraint::Fill(4), false).sorts(Sort::Name));
    if wide {
        cols.push(col("Product", Constraint::Fill(2), false).sorts(Sort::Product));
    }
    cols.extend([
        col("Counterparty", Constraint::Fill(2), false).sorts(Sort::Counterparty),
        col("Kind", Constraint::Length(9), false).sorts(Sort::Kind),
        col("Disc.", Constraint::Length(6), true).sorts(Sort::Discount).in_words("discount"),
    ]);
    cols.push(col("Cur", Constraint::Length(3), false).sorts(Sort::Currency).in_words("currency"));
    cols.extend([
        col("Status", Constraint::Length(if wide { 21 } else { 12 }), false).sorts(Sort::Status),
        col("Ends on", Constraint::Length(if wide { 23 } else { 10 }), false).sorts(Sort::Date),
        col("Offers", Constraint::Length(6), true).sorts(Sort::Offers),
    ]);
    let p = &app.opportunities;
    let height = area.height.saturating_sub(3);
    let rows: Vec<Vec<Text>> = window(p, height)
        .into_iter()
        .map(|(_, o)| {
            let Some(o) = o else { return pending() };
            let other = if o.seen_as == Audience::Isv { &o.partner_account_id } else { &o.isv_account_id };
            let mut cells = Vec::new();
            if ids {
                cells.push(cell(o.id.to_string(), false, THEME.muted));
            }
            let status = if wide { o.status.label() } else { short_status(o.status) };
            cells.push(cell(o.name.clone(), false, Style::new()));
            if wide {
                cells.push(cell(product(app, &o.product_id), false, Style::new()));
            }
            cells.extend([
                cell(counterparty(app, other), false, Style::new()),
                cell(o.kind.label().into(), false, THEME.label),
                cell(o.discount_pct.as_ref().map_or_else(|| "custom".into(), |d| format!("{d}%")), true, Style::new()),
            ]);
            cells.push(cell(o.currency.code().into(), false, THEME.label));
            let ends =
                if wide { format::date_soon(o.ends_on, today, "indefinite") } else { format::opt_date(o.ends_on) };
            let soon = today.is_some_and(|t| within(o.ends_on, t, OPPORTUNITY_ATTENTION_DAYS));
            cells.extend([
                cell(status.into(), false, o.status.style()),
                cell(ends, false, if soon { THEME.warn } else { Style::new() }),
                cell(o.offers_created.to_string(), true, Style::new()),
            ]);
            cells
        })
        .collect();
    mark_sort(&mut cols, p.sort, p.descending);
    let title = block_title(app, Tab::Opportunities, p.count_label(), &cols, Some((p.sort, p.descending)), position(p));
    let selected = p.selected().map(|_| (p.cursor() - p.scroll()) as usize);
    draw(frame, area, title, &cols, rows, selected, empty_text(app, p));
}

/// A status that fits a narrow column.
fn short_status(s: OpportunityStatus) -> &'static str {
    match s {
        OpportunityStatus::AuthorizedReusable => "Reusable",
        OpportunityStatus::AuthorizedConsumed => "Consumed",
        other => other.label(),
    }
}

fn offers(app: &App, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 120;
    let ids = area.width >= 140;
    let today = app.session.as_ref().map(|s| s.today);
    let p = &app.offers;
    let height = area.height.saturating_sub(3);
    let visible = window(p, height);
    // Each figure under the header of what it is: an ISV sees wholesale, the partner and the
    // buyer the buyer's total. An account on both sides of the rows shown gets both columns.
    let isv_rows = visible.iter().filter(|(_, o)| o.is_some_and(|o| o.seen_as == Audience::Isv)).count();
    let other_rows = visible.iter().filter(|(_, o)| o.is_some_and(|o| o.seen_as != Audience::Isv)).count();
    let (wholesale_col, buyer_col) = (isv_rows > 0, other_rows > 0 || isv_rows == 0);
    let mut cols = Vec::new();
    if ids {
        cols.push(col("Offer", Constraint::Length(19), false));
    }
    // A buyer's rows name the seller of record (the partner), not the buyer itself.
    let buyer_rows = visible.iter().filter(|(_, o)| o.is_some_and(|o| o.seen_as == Audience::Buyer)).count();
    let party = match (buyer_rows, isv_rows + other_rows - buyer_rows) {
        (0, _) => "Buyer",
        (_, 0) => "Seller",
        _ => "Buyer / seller",
    };
    cols.extend([
        col("Name", Constraint::Fill(2), false).sorts(Sort::Name),
        col(party, Constraint::Fill(1), false).sorts(Sort::Counterparty),
    ]);
    if wholesale_col {
        cols.push(col("Wholesale", Constraint::Length(18), true).sorts(Sort::Amount));
    }
    if buyer_col {
        cols.push(col("Buyer total", Constraint::Length(18), true).sorts(Sort::Amount));
    }
    cols.extend([
        col("Status", Constraint::Length(8), false).sorts(Sort::Status),
        col("Expires on", Constraint::Length(if wide { 23 } else { 10 }), false).sorts(Sort::Date),
    ]);
    let rows: Vec<Vec<Text>> = visible
        .into_iter()
        .map(|(_, o)| {
            let Some(o) = o else { return pending() };
            let mut cells = Vec::new();
            if ids {
                cells.push(cell(o.id.to_string(), false, THEME.muted));
            }
            let buyer = if o.seen_as == Audience::Buyer {
                counterparty(app, &o.partner_account_id)
            } else {
                o.buyer_account_id.as_ref().map_or_else(|| "(not set)".into(), |b| counterparty(app, b))
            };
            cells.extend([cell(o.name.clone(), false, Style::new()), cell(buyer, false, Style::new())]);
            // A total no quantity prices yet reads as such, muted: never a made-up zero.
            let money = |m: Option<Figure>| {
                let style = if m == Some(Figure::Unplanned) { THEME.muted } else { THEME.money };
                (m.map_or_else(|| "-".into(), Figure::short), style)
            };
            let isv = o.seen_as == Audience::Isv;
            let expires =
                if wide { format::date_soon(o.expires_on, today, "-") } else { format::opt_date(o.expires_on) };
            let soon =
                o.status == OfferStatus::Active && today.is_some_and(|t| within(o.expires_on, t, OFFER_ATTENTION_DAYS));
            let none = (String::new(), THEME.money);
            if wholesale_col {
                let (text, style) = if isv { money(o.wholesale_total) } else { none.clone() };
                cells.push(cell(text, true, style));
            }
            if buyer_col {
                let (text, style) = if isv { none } else { money(o.buyer_total) };
                cells.push(cell(text, true, style));
            }
            cells.extend([
                cell(o.status.label().into(), false, o.status.style()),
                cell(expires, false, if soon { THEME.warn } else { Style::new() }),
            ]);
            cells
        })
        .collect();
    mark_sort(&mut cols, p.sort, p.descending);
    let title = block_title(app, Tab::Offers, p.count_label(), &cols, Some((p.sort, p.descending)), position(p));
    let selected = p.selected().map(|_| (p.cursor() - p.scroll()) as usize);
    draw(frame, area, title, &cols, rows, selected, empty_text(app, p));
}
