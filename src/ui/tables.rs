//! The table of the current tab. Only the visible window of rows is built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::format;
use super::theme::{self, THEME};
use crate::app::pager::Pager;
use crate::app::text;
use crate::app::{App, Tab};
use crate::domain::clock::{OFFER_ATTENTION_DAYS, OPPORTUNITY_ATTENTION_DAYS, within};
use crate::domain::visibility::Audience;
use crate::domain::{AccountId, Money, OfferStatus, ProductId};
use crate::market::views::{Figure, OfferView, OpportunityView};
use crate::market::{AnyAgreement, RelationshipView, Sort};
use theme::Tone;

/// What a tab's columns are drawn for: the width of the screen and the rows on it.
struct Ctx {
    /// 120 columns or more: longer words, the product column.
    wide: bool,
    /// Wide enough for the ids column.
    ids: bool,
    today: Option<chrono::NaiveDate>,
    /// Offers: the rows shown hold ones seen as the ISV (wholesale, the partner named), as
    /// another (buyer's total), as the buyer (the seller is named), as the partner (the buyer
    /// is named).
    isv_rows: bool,
    other_rows: bool,
    buyer_rows: bool,
    partner_rows: bool,
    /// Partners: the width of the widest accepted value.
    value_width: u16,
}

impl Ctx {
    fn new(app: &App, area: Rect) -> Self {
        Self {
            wide: area.width >= 120,
            ids: false,
            today: app.session().as_ref().map(|s| s.today),
            isv_rows: false,
            other_rows: false,
            buyer_rows: false,
            partner_rows: false,
            value_width: 0,
        }
    }
}

/// One column of a tab, whole: its header, width, alignment, what sorts by it, when it
/// shows and its cell. A column is added, moved or changed here and nowhere else.
struct Column<R> {
    title: fn(&Ctx) -> &'static str,
    width: fn(&Ctx) -> Constraint,
    right: bool,
    /// What sorts the rows by this column (`s` cycles them, in the columns' order).
    sort: Option<Sort>,
    /// The header in words, where it is abbreviated (the title's "sort: ..." says it).
    words: Option<&'static str>,
    shown: fn(&Ctx) -> bool,
    cell: fn(&App, &Ctx, &R) -> Text,
}

fn always(_: &Ctx) -> bool {
    true
}

impl<R> Column<R> {
    /// A left-aligned column that sorts by nothing and always shows.
    const fn new(
        title: fn(&Ctx) -> &'static str,
        width: fn(&Ctx) -> Constraint,
        cell: fn(&App, &Ctx, &R) -> Text,
    ) -> Self {
        Self { title, width, right: false, sort: None, words: None, shown: always, cell }
    }
    /// Right-aligned (a figure).
    const fn right(self) -> Self {
        Self { right: true, ..self }
    }
    const fn sorts(self, sort: Sort) -> Self {
        Self { sort: Some(sort), ..self }
    }
    const fn in_words(self, words: &'static str) -> Self {
        Self { words: Some(words), ..self }
    }
    const fn shown(self, shown: fn(&Ctx) -> bool) -> Self {
        Self { shown, ..self }
    }
}

/// A column as drawn: its header and the sort arrow when the rows are sorted by it.
struct Col {
    title: &'static str,
    width: Constraint,
    right: bool,
    sort: Option<Sort>,
    arrow: &'static str,
    words: Option<&'static str>,
}

/// The columns of `all` shown in `cx`, with their cells for `rows` (`None`: not read yet).
fn lay_out<R>(
    app: &App,
    cx: &Ctx,
    all: &[Column<R>],
    rows: &[Option<&R>],
    sort: Option<(Sort, bool)>,
) -> (Vec<Col>, Vec<Vec<Text>>) {
    let shown: Vec<&Column<R>> = all.iter().filter(|c| (c.shown)(cx)).collect();
    let cols = shown
        .iter()
        .map(|c| {
            let arrow = match (c.sort, sort) {
                (Some(s), Some((by, descending))) if s == by => {
                    if descending {
                        " ↓"
                    } else {
                        " ↑"
                    }
                }
                _ => "",
            };
            Col { title: (c.title)(cx), width: (c.width)(cx), right: c.right, sort: c.sort, arrow, words: c.words }
        })
        .collect();
    let cells = rows
        .iter()
        .map(|r| match r {
            Some(r) => shown.iter().map(|c| (c.cell)(app, cx, r)).collect(),
            None => pending(),
        })
        .collect();
    (cols, cells)
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
    match app.tab() {
        Tab::Partners => partners(app, frame, area),
        Tab::Opportunities => opportunities(app, frame, area),
        Tab::Offers => offers(app, frame, area),
        Tab::Agreements => agreements(app, frame, area),
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
        spans.push(Span::styled(text::tables::drilled(&d.what, d.from.title()), THEME.key));
    }
    let filter = app.current_filter();
    if !filter.is_empty() {
        spans.push(Span::styled(text::tables::filtered(filter), THEME.warn));
    }
    if let Some(status) = app.list(tab).status_label() {
        spans.push(Span::styled(text::tables::status(status), THEME.warn));
    }
    if let Some((s, desc)) = sort {
        let sorted = text::tables::sorted(&sort_label(cols, s), if desc { "↓" } else { "↑" });
        spans.push(Span::styled(sorted, THEME.title_note));
    }
    spans.push(Span::styled(position, THEME.title_note));
    let summary_only = app.session().as_ref().map_or(0, |s| match tab {
        Tab::Opportunities => s.summary_only.0,
        Tab::Offers => s.summary_only.1,
        Tab::Partners | Tab::Agreements => 0,
    });
    if summary_only > 0 {
        spans.push(Span::styled(text::tables::summary_only(summary_only), THEME.warn));
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
        // A marker that needs neither colour nor reverse video (a terminal may not show it).
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

/// What a partner row's accepted value reads.
fn accepted(r: &RelationshipView) -> String {
    if r.accepted.is_empty() {
        "-".to_owned()
    } else {
        r.accepted.iter().map(|m| m.display()).collect::<Vec<_>>().join(" + ")
    }
}

/// The Partners tab's columns.
const PARTNER_COLUMNS: [Column<RelationshipView>; 6] = [
    Column::<RelationshipView>::new(
        |_| "Account",
        |_| Constraint::Length(12),
        |_, _, r| plain(r.account_id.to_string()),
    ),
    Column::<RelationshipView>::new(|_| "Legal name", |_| Constraint::Fill(2), |_, _, r| plain(r.name.clone())),
    Column::<RelationshipView>::new(
        |_| "Role",
        |_| Constraint::Length(8),
        |_, _, r| cell(r.role.as_str().to_owned(), false, THEME.label),
    ),
    Column::<RelationshipView>::new(
        |_| "Opportunities",
        |_| Constraint::Length(13),
        |_, _, r| cell(r.opportunities.map_or_else(|| "-".into(), |n| n.to_string()), true, Style::new()),
    )
    .right(),
    Column::<RelationshipView>::new(
        |_| "Offers",
        |_| Constraint::Length(8),
        |_, _, r| cell(r.offers.to_string(), true, Style::new()),
    )
    .right(),
    // Wide enough for every figure: money is never cut.
    Column::<RelationshipView>::new(
        |_| ACCEPTED_VALUE,
        |cx| Constraint::Length(cx.value_width),
        |_, _, r| cell(accepted(r), true, THEME.money),
    )
    .right(),
];

/// The Partners tab's last header, which also sets the least width of its column.
const ACCEPTED_VALUE: &str = "Accepted value";

fn partners(app: &App, frame: &mut Frame, area: Rect) {
    let all = &app.partners().rows;
    let value_width = all.iter().map(|r| accepted(r).width()).max().unwrap_or(0).max(ACCEPTED_VALUE.len()) as u16;
    let cx = Ctx { value_width, ..Ctx::new(app, area) };
    let height = area.height.saturating_sub(3) as usize;
    let offset = app.partners().cursor.saturating_sub(height.saturating_sub(1));
    let visible: Vec<Option<&RelationshipView>> = all.iter().skip(offset).take(height).map(Some).collect();
    let (cols, rows) = lay_out(app, &cx, &PARTNER_COLUMNS, &visible, None);
    let pos = if all.is_empty() { String::new() } else { format!("{}/{} ", app.partners().cursor + 1, all.len()) };
    let title = block_title(app, Tab::Partners, all.len().to_string(), &[], None, pos);
    let empty = if !app.partners().loaded {
        text::LOADING
    } else if app.current_filter().is_empty() {
        text::NOTHING_HERE
    } else {
        text::NO_MATCH
    };
    let selected = (!all.is_empty()).then(|| app.partners().cursor - offset);
    draw(frame, area, title, &cols, rows, selected, empty);
}

fn counterparty(app: &App, id: &AccountId) -> String {
    app.account_name(id).map_or_else(|| id.to_string(), str::to_owned)
}

fn product(app: &App, id: &ProductId) -> String {
    app.product_name(id).map_or_else(|| id.to_string(), str::to_owned)
}

fn plain(text: String) -> Text {
    cell(text, false, Style::new())
}

fn ends_on(cx: &Ctx, date: Option<chrono::NaiveDate>, none: &str, attention_days: i64, attention: bool) -> Text {
    let text = if cx.wide { format::date_soon(date, cx.today, none) } else { format::opt_date(date) };
    let soon = attention && cx.today.is_some_and(|t| within(date, t, attention_days));
    cell(text, false, if soon { THEME.warn } else { Style::new() })
}

/// The Opportunities tab's columns. Under 120 columns the product gives way to the name
/// (the detail shows it).
const OPPORTUNITY_COLUMNS: [Column<OpportunityView>; 10] = [
    Column::<OpportunityView>::new(
        |_| "Opportunity",
        |_| Constraint::Length(25),
        |_, _, o| cell(o.id.to_string(), false, THEME.muted),
    )
    .shown(|cx| cx.ids),
    Column::<OpportunityView>::new(|_| "Name", |_| Constraint::Fill(4), |_, _, o| plain(o.name.clone()))
        .sorts(Sort::Name),
    Column::<OpportunityView>::new(
        |_| "Product",
        |_| Constraint::Fill(2),
        |app, _, o| plain(product(app, &o.product_id)),
    )
    .sorts(Sort::Product)
    .shown(|cx| cx.wide),
    Column::<OpportunityView>::new(
        |_| "Counterparty",
        |_| Constraint::Fill(2),
        |app, _, o| {
            let other = if o.seen_as == Audience::Isv { &o.partner_account_id } else { &o.isv_account_id };
            plain(counterparty(app, other))
        },
    )
    .sorts(Sort::Counterparty),
    Column::<OpportunityView>::new(
        |_| "Kind",
        |_| Constraint::Length(9),
        |_, _, o| cell(o.kind.label().into(), false, THEME.label),
    )
    .sorts(Sort::Kind),
    Column::<OpportunityView>::new(
        |_| "Disc.",
        |_| Constraint::Length(6),
        |_, _, o| {
            cell(
                o.discount_pct.as_ref().map_or_else(|| text::tables::CUSTOM.into(), |d| format!("{d}%")),
                true,
                Style::new(),
            )
        },
    )
    .right()
    .sorts(Sort::Discount)
    .in_words("discount"),
    Column::<OpportunityView>::new(
        |_| "Cur",
        |_| Constraint::Length(3),
        |_, _, o| cell(o.currency.code().into(), false, THEME.label),
    )
    .sorts(Sort::Currency)
    .in_words("currency"),
    // One word per status, the same at every width (`Deactivated`, the longest).
    Column::<OpportunityView>::new(
        |_| "Status",
        |_| Constraint::Length(11),
        |_, _, o| cell(o.status.label().into(), false, o.status.style()),
    )
    .sorts(Sort::Status),
    Column::<OpportunityView>::new(
        |_| "Ends on",
        |cx| Constraint::Length(if cx.wide { 23 } else { 10 }),
        |_, cx, o| ends_on(cx, o.ends_on, text::INDEFINITE, OPPORTUNITY_ATTENTION_DAYS, true),
    )
    .sorts(Sort::Date),
    Column::<OpportunityView>::new(
        |_| "Offers",
        |_| Constraint::Length(6),
        |_, _, o| cell(o.offers_created.to_string(), true, Style::new()),
    )
    .right()
    .sorts(Sort::Offers),
];

fn opportunities(app: &App, frame: &mut Frame, area: Rect) {
    let p = app.opportunities();
    let cx = Ctx { ids: area.width >= 160, ..Ctx::new(app, area) };
    let rows: Vec<Option<&OpportunityView>> =
        window(p, area.height.saturating_sub(3)).into_iter().map(|(_, o)| o).collect();
    let (cols, rows) = lay_out(app, &cx, &OPPORTUNITY_COLUMNS, &rows, Some((p.sort, p.descending)));
    let title = block_title(app, Tab::Opportunities, p.count_label(), &cols, Some((p.sort, p.descending)), position(p));
    let selected = p.selected().map(|_| (p.cursor() - p.scroll()) as usize);
    draw(frame, area, title, &cols, rows, selected, empty_text(app, p));
}

/// The Offers tab's columns. Each figure is under the header of what it is: an ISV sees
/// wholesale, the partner and the buyer the buyer's total; an account on both sides of the
/// rows shown gets both columns. A buyer's rows name the seller of record (the partner).
const OFFER_COLUMNS: [Column<OfferView>; 7] = [
    Column::<OfferView>::new(
        |_| "Offer",
        |_| Constraint::Length(19),
        |_, _, o| cell(o.id.to_string(), false, THEME.muted),
    )
    .shown(|cx| cx.ids),
    Column::<OfferView>::new(|_| "Name", |_| Constraint::Fill(2), |_, _, o| plain(o.name.clone())).sorts(Sort::Name),
    // The other side, named for what it holds: the partner's rows name the buyer, the ISV's
    // the partner (AWS does not tell an ISV the end buyer of a recurring opportunity's offer;
    // the detail shows a one-time one's), the buyer's the seller of record.
    Column::<OfferView>::new(
        |cx| match (cx.partner_rows, cx.isv_rows, cx.buyer_rows) {
            (true, false, false) | (false, false, false) => "Buyer",
            (false, true, false) => "Partner",
            (false, false, true) => "Seller",
            (true, true, false) => "Buyer / partner",
            (true, _, true) => "Buyer / seller",
            (false, true, true) => "Partner / seller",
        },
        |_| Constraint::Fill(1),
        |app, _, o| {
            plain(match o.seen_as {
                Audience::Partner => {
                    o.buyer_account_id.as_ref().map_or_else(|| text::NOT_SET.into(), |b| counterparty(app, b))
                }
                Audience::Isv | Audience::Buyer => counterparty(app, &o.partner_account_id),
            })
        },
    )
    .sorts(Sort::Counterparty),
    Column::<OfferView>::new(
        |_| "Wholesale",
        |_| Constraint::Length(18),
        |_, _, o| {
            if o.seen_as == Audience::Isv { money(o.wholesale_total) } else { cell(String::new(), true, THEME.money) }
        },
    )
    .right()
    .sorts(Sort::Amount)
    .shown(|cx| cx.isv_rows),
    Column::<OfferView>::new(
        |_| "Buyer total",
        |_| Constraint::Length(18),
        |_, _, o| {
            if o.seen_as == Audience::Isv { cell(String::new(), true, THEME.money) } else { money(o.buyer_total) }
        },
    )
    .right()
    .sorts(Sort::Amount)
    .shown(|cx| cx.other_rows || !cx.isv_rows),
    Column::<OfferView>::new(
        |_| "Status",
        // `Cancelled`, the longest.
        |_| Constraint::Length(9),
        |_, _, o| cell(o.status.label().into(), false, o.status.style()),
    )
    .sorts(Sort::Status),
    Column::<OfferView>::new(
        |_| "Expires on",
        |cx| Constraint::Length(if cx.wide { 23 } else { 10 }),
        |_, cx, o| ends_on(cx, o.expires_on, "-", OFFER_ATTENTION_DAYS, o.status == OfferStatus::Active),
    )
    .sorts(Sort::Date),
];

/// A total, muted when no quantity prices it yet: never a made-up zero.
fn money(m: Option<Figure>) -> Text {
    let style = if m == Some(Figure::Unplanned) { THEME.muted } else { THEME.money };
    cell(m.map_or_else(|| "-".into(), Figure::short), true, style)
}

fn offers(app: &App, frame: &mut Frame, area: Rect) {
    let p = app.offers();
    let rows: Vec<Option<&OfferView>> = window(p, area.height.saturating_sub(3)).into_iter().map(|(_, o)| o).collect();
    let seen = |f: fn(Audience) -> bool| rows.iter().flatten().any(|o| f(o.seen_as));
    let cx = Ctx {
        ids: area.width >= 140,
        isv_rows: seen(|a| a == Audience::Isv),
        other_rows: seen(|a| a != Audience::Isv),
        buyer_rows: seen(|a| a == Audience::Buyer),
        partner_rows: seen(|a| a == Audience::Partner),
        ..Ctx::new(app, area)
    };
    let (cols, rows) = lay_out(app, &cx, &OFFER_COLUMNS, &rows, Some((p.sort, p.descending)));
    let title = block_title(app, Tab::Offers, p.count_label(), &cols, Some((p.sort, p.descending)), position(p));
    let selected = p.selected().map(|_| (p.cursor() - p.scroll()) as usize);
    draw(frame, area, title, &cols, rows, selected, empty_text(app, p));
}

/// An amount of the Agreements tab (`-` where the viewer sees none).
fn amount(m: Option<Money>) -> Text {
    cell(m.map_or_else(|| "-".into(), |m| m.display()), true, THEME.money)
}

/// The product of an agreement: its name when cppo holds it, else the id as the record
/// writes it (AWS's may name a product cppo does not hold).
fn agreement_product(app: &App, a: &AnyAgreement) -> String {
    let Some(id) = a.product_id() else { return "-".into() };
    ProductId::parse(id).ok().and_then(|p| app.product_name(&p).map(str::to_owned)).unwrap_or_else(|| id.to_owned())
}

/// The Agreements tab's columns: buyer (acceptor), seller of record (the partner), product,
/// offer, start and end, status, total and what is still to pay, next charge. Under 160
/// columns the agreement, the offer and the start give way, under 120 the product and what
/// is still to pay (the detail shows them all). An ISV sees wholesale amounts, and the
/// partner as the buyer of a recurring opportunity's agreement (as AWS reports it). An
/// agreement imported from AWS shows AWS's status word, no end when pay-as-you-go, and as
/// still to pay what its payment schedule bills from today on.
const AGREEMENT_COLUMNS: [Column<AnyAgreement>; 11] = [
    Column::<AnyAgreement>::new(
        |_| "Agreement",
        |_| Constraint::Length(30),
        |_, _, a| cell(a.id().to_string(), false, THEME.muted),
    )
    .shown(|cx| cx.ids),
    Column::<AnyAgreement>::new(
        |_| "Buyer",
        |_| Constraint::Fill(2),
        |app, _, a| {
            if a.buyer_disclosed() {
                plain(counterparty(app, a.buyer()))
            } else {
                cell(text::tables::BUYER_NOT_DISCLOSED.into(), false, THEME.muted)
            }
        },
    )
    .sorts(Sort::Counterparty),
    Column::<AnyAgreement>::new(
        |_| "Seller",
        |_| Constraint::Fill(2),
        |app, _, a| plain(counterparty(app, a.seller())),
    )
    .in_words("seller of record"),
    Column::<AnyAgreement>::new(|_| "Product", |_| Constraint::Fill(2), |app, _, a| plain(agreement_product(app, a)))
        .shown(|cx| cx.wide),
    Column::<AnyAgreement>::new(
        |_| "Offer",
        |_| Constraint::Length(19),
        |_, _, a| cell(a.offer_id().unwrap_or("-").to_owned(), false, THEME.muted),
    )
    .shown(|cx| cx.ids),
    Column::<AnyAgreement>::new(
        |_| "Starts on",
        |_| Constraint::Length(10),
        |_, _, a| plain(format::opt_date(a.starts_on())),
    )
    .shown(|cx| cx.ids),
    Column::<AnyAgreement>::new(
        |_| "Ends on",
        |cx| Constraint::Length(if cx.wide { 23 } else { 10 }),
        |_, cx, a| {
            let radar = i64::from(crate::domain::radar::REVIEW_DAYS);
            match a.days_left() {
                Some(_) => ends_on(cx, a.ends_on(), text::tables::PAY_AS_YOU_GO, radar, true),
                // Not on the radar (ended, replaced): its date alone, never "in N days".
                None => plain(a.ends_on().map_or_else(|| text::tables::PAY_AS_YOU_GO.to_owned(), |d| d.to_string())),
            }
        },
    )
    .sorts(Sort::Date),
    Column::<AnyAgreement>::new(
        |_| "Status",
        |_| Constraint::Length(11),
        |_, _, a| cell(a.status_word().into(), false, a.status().style()),
    )
    .sorts(Sort::Status),
    Column::<AnyAgreement>::new(|_| "Total", |_| Constraint::Length(18), |_, _, a| amount(a.shown_total()))
        .right()
        .sorts(Sort::Amount),
    Column::<AnyAgreement>::new(
        |_| "To pay",
        |_| Constraint::Length(18),
        |_, cx, a| amount(cx.today.and_then(|t| a.to_pay(t))),
    )
    .right()
    .in_words("still to pay")
    .shown(|cx| cx.wide),
    Column::<AnyAgreement>::new(
        |_| "Next charge",
        |_| Constraint::Length(11),
        |_, cx, a| match cx.today.and_then(|t| a.next_charge_on(t).map(|d| (d, d < t))) {
            Some((d, overdue)) => cell(d.to_string(), false, if overdue { THEME.error } else { Style::new() }),
            None => cell("-".into(), false, THEME.muted),
        },
    ),
];

fn agreements(app: &App, frame: &mut Frame, area: Rect) {
    let p = app.agreements();
    let cx = Ctx { ids: area.width >= 160, ..Ctx::new(app, area) };
    let rows: Vec<Option<&AnyAgreement>> =
        window(p, area.height.saturating_sub(3)).into_iter().map(|(_, a)| a).collect();
    let (cols, rows) = lay_out(app, &cx, &AGREEMENT_COLUMNS, &rows, Some((p.sort, p.descending)));
    let title = block_title(app, Tab::Agreements, p.count_label(), &cols, Some((p.sort, p.descending)), position(p));
    let selected = p.selected().map(|_| (p.cursor() - p.scroll()) as usize);
    draw(frame, area, title, &cols, rows, selected, empty_text(app, p));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `s` cycles through on a tab: creation, then each column's sort left to right.
    fn sorts_of<R>(all: &[Column<R>]) -> Vec<Sort> {
        let mut sorts = vec![Sort::Created];
        for s in all.iter().filter_map(|c| c.sort) {
            if !sorts.contains(&s) {
                sorts.push(s);
            }
        }
        sorts
    }

    /// `s` (in the app) cycles through the sorts in the order of the columns drawn here.
    #[test]
    fn the_sort_keys_cycle_in_the_order_of_the_columns() {
        assert_eq!(Tab::Opportunities.sorts(), sorts_of(&OPPORTUNITY_COLUMNS).as_slice());
        assert_eq!(Tab::Offers.sorts(), sorts_of(&OFFER_COLUMNS).as_slice());
        assert_eq!(Tab::Agreements.sorts(), sorts_of(&AGREEMENT_COLUMNS).as_slice());
        assert!(Tab::Partners.sorts().is_empty());
    }
}
