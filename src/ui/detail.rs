//! The detail pane of the selected row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::format;
use super::theme::{THEME, Tone};
use crate::app::text::{self, detail as t};
use crate::app::{App, Detail};
use crate::domain::money::unit_price_display;
use crate::domain::visibility::Audience;
use crate::domain::{AccountId, PricingModel, ProductId};
use crate::market::views::{AwsRefusalView, Figure, OfferView, OpportunityView};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

fn field(label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{label:<18}"), THEME.label), Span::raw(value.into())])
}

/// A field of accounts (`id name` each): on one line when they fit the pane (as wide as
/// the screen), else each on a line of its own, wrapped under itself where the pane ends:
/// a name beside its id is never cut.
fn accounts_field(app: &App, label: &str, accounts: impl IntoIterator<Item = String>) -> Vec<Line<'static>> {
    let width = value_width(app);
    let accounts: Vec<String> = accounts.into_iter().collect();
    if accounts.is_empty() {
        return Vec::new();
    }
    let one_line = accounts.join(", ");
    if one_line.width() <= width {
        return vec![field(label, one_line)];
    }
    let mut lines = Vec::new();
    for account in accounts {
        lines.extend(wrapped_field(app, if lines.is_empty() { label } else { "" }, &account, Style::default()));
    }
    lines
}

/// How wide a field's value may be: the pane (as wide as the screen) less its label.
fn value_width(app: &App) -> usize {
    usize::from(app.width().saturating_sub(2)).saturating_sub(18)
}

/// A field whose value wraps under itself where the pane ends (the label on its first line).
fn wrapped_field(app: &App, label: &str, value: &str, style: Style) -> Vec<Line<'static>> {
    format::wrap(value, value_width(app))
        .into_iter()
        .enumerate()
        .map(|(i, part)| styled_field(if i == 0 { label } else { "" }, part, style))
        .collect()
}

fn styled_field(label: &str, value: impl Into<String>, style: Style) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{label:<18}"), THEME.label), Span::styled(value.into(), style)])
}

/// A push of the record on its way to AWS, else how its last push of this run ended; then
/// the change set AWS refused for it with each error AWS gave (the record stays as it is in
/// cppo until a later answer).
fn push_and_refusal(app: &App, id: &str, r: Option<&AwsRefusalView>) -> Vec<Line<'static>> {
    let mut l = match (app.pushing(), app.last_push()) {
        (Some(p), _) if p.id.as_str() == id => vec![styled_field(t::AWS_PUSH, p.status.clone(), THEME.warn)],
        (_, Some(end)) if end.ids.iter().any(|i| i == id) => {
            let style = if end.ok { THEME.ok } else { THEME.warn };
            let mut l = Vec::new();
            for line in &end.lines {
                l.extend(wrapped_field(app, if l.is_empty() { t::LAST_PUSH } else { "" }, line, style));
            }
            l
        }
        _ => Vec::new(),
    };
    let Some(r) = r else { return l };
    l.push(styled_field(t::AWS_REFUSED, r.words(), THEME.error));
    l.extend(r.errors.iter().map(|e| styled_field(t::AWS_ERROR, e.clone(), THEME.error)));
    l
}

fn heading(s: &str) -> Line<'static> {
    Line::from(Span::styled(s.to_owned(), THEME.header))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // A partner's fields and charts stay at the top; the rest (`lines`) scrolls.
    let mut head: Vec<Line> = Vec::new();
    let mut charts = None;
    let (title, lines) = match app.detail() {
        None => (t::TITLE.to_owned(), vec![Line::styled(format!(" {}", text::NO_SELECTION), THEME.muted)]),
        Some((_, Detail::Partner { row, months, opportunities, offers })) => {
            let mut l = accounts_field(app, t::ACCOUNT, [format!("{} {}", row.account_id, row.name)]);
            l.extend([field(t::ROLE, row.role.as_str()), field(t::AGREEMENTS, row.agreements.to_string())]);
            if !row.accepted.is_empty() {
                let v: Vec<String> = row.accepted.iter().map(|m| m.display()).collect();
                l.push(styled_field(t::ACCEPTED_VALUE, v.join(" + "), THEME.money));
            }
            head = l;
            charts = Some((months, &row.accepted));
            let mut l = Vec::new();
            if !opportunities.is_empty() {
                l.push(Line::raw(""));
                l.push(heading(t::OPPORTUNITIES));
                l.extend(opportunities.iter().map(|o| opportunity_line(app, o)));
            }
            if !offers.is_empty() {
                l.push(Line::raw(""));
                l.push(heading(t::OFFERS));
                l.extend(offers.iter().map(|o| offer_line(app, o)));
            }
            (format!(" {} ", row.name), l)
        }
        Some((_, Detail::Agreement { view, offer, disbursements, events, .. })) => {
            let title = format!(" {} {} ", t::AGREEMENT, view.id);
            (title, super::agreement::lines(app, view, offer.as_deref(), disbursements, events))
        }
        Some((_, Detail::AwsAgreement { view, offer, events, .. })) => {
            let title = format!(" {} {} ", t::AGREEMENT, view.id);
            (title, super::agreement::aws_lines(app, view, offer.as_deref(), events))
        }
        Some((_, Detail::Opportunity { view, offers, .. })) => {
            (format!(" {} ", view.name), opportunity(app, view, offers))
        }
        Some((_, Detail::Offer { view, agreement, aws_agreements, disbursements, .. })) => {
            let mut l = offer(app, view);
            if agreement.is_none() && !view.charge_plan.is_empty() {
                l.push(Line::raw(""));
                l.push(heading(t::CHARGES_ON_ACCEPTANCE));
                for c in &view.charge_plan {
                    let when = c.due_on.map_or_else(|| text::AT_ACCEPTANCE.to_owned(), t::due);
                    let amount = c.amount.or(c.wholesale).map_or_else(|| "-".into(), |m| m.display());
                    l.push(Line::from(vec![
                        Span::raw(format!("  {when:<16}")),
                        Span::styled(format!("{amount:>18}"), THEME.money),
                    ]));
                }
            }
            if let Some(a) = agreement {
                l.push(Line::raw(""));
                l.push(heading(&t::agreement(a.id.as_str(), &a.status.to_string(), a.starts_on, a.ends_on)));
                if let Some(old) = &a.replaces {
                    l.push(Line::raw(t::replaces_line(old.as_str())));
                }
                if let Some(new) = &a.replaced_by {
                    l.push(Line::raw(t::replaced_by_line(new.as_str())));
                }
                for c in &a.charges {
                    let amount = c.amount.or(c.wholesale).map_or_else(|| "-".into(), |m| m.display());
                    let (paid, style) = match (c.paid_on, c.cancelled_on) {
                        (Some(d), _) => (t::paid(d), THEME.ok),
                        (None, Some(d)) => (t::charge_cancelled(d), THEME.muted),
                        (None, None) => (t::UNPAID.to_owned(), THEME.warn),
                    };
                    l.push(Line::from(vec![
                        Span::raw(format!("  {}  ", t::due(c.due_on))),
                        Span::styled(format!("{amount:>18}"), THEME.money),
                        Span::styled(format!("  {paid}"), style),
                    ]));
                }
                l.extend(super::agreement::financing(a.financing.as_ref()));
            }
            for a in aws_agreements {
                l.push(Line::raw(""));
                l.push(heading(&t::aws_agreement(a.id.as_str(), a.status.label(), a.starts_on, a.ends_on)));
                if let Some(total) = a.total {
                    l.push(Line::from(vec![
                        Span::raw(format!("  {}  ", t::AGREEMENT_VALUE)),
                        Span::styled(total.display(), THEME.money),
                    ]));
                }
                for c in &a.charges {
                    l.push(Line::from(vec![
                        Span::raw(format!("  {}  ", t::due(c.due_on))),
                        Span::styled(format!("{:>18}", c.amount.display()), THEME.money),
                    ]));
                }
            }
            if !disbursements.is_empty() {
                l.push(Line::raw(""));
                l.push(heading(t::YOUR_DISBURSEMENTS));
                for d in disbursements {
                    let fee = d.listing_fee.map_or_else(String::new, |f| t::after_fee(&f.display()));
                    l.push(Line::raw(format!("  {}  {}{fee}", d.paid_on, d.amount.display())));
                }
            }
            (format!(" {} ", view.name), l)
        }
    };
    let mut block =
        Block::bordered().title(title).border_style(if app.detail_open() { THEME.focus_border } else { THEME.border });
    let inner = block.inner(area);
    // The charts take what the fields leave, up to 12 rows; under 8 they would not read.
    let room = inner.height.saturating_sub(head.len() as u16 + 1).min(12);
    let chart_h = if charts.is_some() && room >= 8 { room } else { 0 };
    let [top, chart_area, body] = Layout::vertical([
        Constraint::Length(head.len() as u16 + u16::from(chart_h > 0)),
        Constraint::Length(chart_h),
        Constraint::Fill(1),
    ])
    .areas(inner);
    // Lines are cut to the pane, not wrapped, so their count is the height they take.
    let max = (lines.len() as u16).saturating_sub(body.height);
    app.detail_scroll_max().set(max);
    let scroll = app.detail_scroll().min(max);
    if max > 0 {
        let below = max - scroll;
        let more = t::more_lines(scroll, below);
        block = block.title_bottom(Line::styled(more, THEME.muted).right_aligned());
    }
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(head), top);
    if let (Some((months, totals)), true) = (charts, chart_h > 0) {
        super::charts::relationship(months, totals, frame, chart_area);
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
}

/// The id (on a wide pane) and the name of a listed record, the name as wide as the pane
/// leaves after the `fixed` columns of the rest of its line.
fn id_and_name(app: &App, id: &str, id_width: usize, name: &str, fixed: usize) -> String {
    let width = usize::from(app.width().saturating_sub(2));
    let ids = width >= 100;
    let used = fixed + if ids { id_width + 1 } else { 0 };
    let name_width = width.saturating_sub(used + 3).clamp(16, 60);
    let name = format::fit_cols(name, name_width);
    if ids { format!("  {id:<id_width$} {name} ") } else { format!("  {name} ") }
}

fn opportunity_line(app: &App, o: &OpportunityView) -> Line<'static> {
    let today = app.session().as_ref().map(|s| s.today);
    Line::from(vec![
        Span::raw(id_and_name(app, o.id.as_str(), 26, &o.name, 22 + 23)),
        Span::styled(format!("{:<22}", o.status), o.status.style()),
        Span::raw(format::date_soon(o.ends_on, today, text::INDEFINITE)),
    ])
}

fn offer_line(app: &App, o: &OfferView) -> Line<'static> {
    let today = app.session().as_ref().map(|s| s.today);
    let total = o.buyer_total.or(o.wholesale_total);
    let style = if total == Some(Figure::Unplanned) { THEME.muted } else { THEME.money };
    let total = total.map_or_else(|| "-".into(), Figure::short);
    Line::from(vec![
        Span::raw(id_and_name(app, o.id.as_str(), 20, &o.name, 19 + 9 + 23)),
        Span::styled(format!("{total:>18} "), style),
        // `Cancelled` and a space.
        Span::styled(format!("{:<10}", o.status), o.status.style()),
        Span::raw(format::date_soon(o.expires_on, today, "-")),
    ])
}

fn product(app: &App, id: &ProductId) -> String {
    app.product_name(id).map_or_else(|| id.to_string(), str::to_owned)
}

fn opportunity(app: &App, o: &OpportunityView, offers: &[OfferView]) -> Vec<Line<'static>> {
    let today = app.session().as_ref().map(|s| s.today);
    let name = |id: &AccountId| app.account_name(id).map_or_else(|| id.to_string(), |n| format!("{id} {n}"));
    let mut l = vec![
        field(t::OPPORTUNITY, o.id.to_string()),
        styled_field(t::STATUS, o.status.label(), o.status.style()),
        field(t::PRODUCT, t::product(&product(app, &o.product_id), &o.product_type.to_string())),
    ];
    l.extend(accounts_field(app, t::ISV, [name(&o.isv_account_id)]));
    l.extend(accounts_field(app, t::PARTNER, [name(&o.partner_account_id)]));
    l.push(field(t::KIND, t::kind(o.kind.label(), &o.currency.to_string(), &o.duration_words)));
    if o.buyer_account_ids.is_empty() {
        l.push(field(t::BUYERS, text::ANY_BUYER));
    } else {
        l.extend(accounts_field(app, t::BUYERS, o.buyer_account_ids.iter().map(name)));
    }
    l.extend([
        field(t::ENDS_ON, format::date_soon(o.ends_on, today, text::INDEFINITE)),
        field(
            t::DISCOUNT,
            o.discount_pct.as_ref().map_or_else(|| t::CUSTOM_PRICES.into(), |d| text::off_list(&d.to_string())),
        ),
    ]);
    if o.renewal {
        l.push(field(t::RENEWAL, t::RENEWAL_YES));
    }
    if let Some(by) = &o.ended_by {
        l.extend(accounts_field(app, t::ENDED_BY, [name(by)]));
    }
    if !o.description.is_empty() {
        l.push(field(t::DESCRIPTION, o.description.clone()));
    }
    if let Some(aws) = &o.aws {
        l.push(field(t::SOURCE, aws.words()));
    }
    l.extend(push_and_refusal(app, o.id.as_str(), o.aws_refusal.as_ref()));
    l.push(Line::raw(""));
    l.push(heading(&format!("{:<24}{:>20}{:>20}", text::DIMENSION, text::LIST, text::WHOLESALE)));
    for p in &o.prices {
        l.push(Line::from(vec![
            Span::raw(format!("{:<24}", t::dimension(&p.dimension, &p.pricing.to_string()))),
            Span::styled(
                format!(
                    "{:>20}",
                    p.list_price.map_or_else(|| text::UNKNOWN.into(), |l| unit_price_display(l, o.currency))
                ),
                THEME.money,
            ),
            Span::styled(format!("{:>20}", unit_price_display(p.wholesale_price, o.currency)), THEME.money),
            Span::raw(p.granted_units.map_or_else(String::new, t::granted)),
        ]));
    }
    if !o.rate_cards.is_empty() {
        l.push(Line::raw(""));
        l.push(heading(t::RATE_CARDS));
        for c in &o.rate_cards {
            let prices: Vec<String> =
                c.prices.iter().map(|(d, p)| format!("{d} {}", unit_price_display(*p, o.currency))).collect();
            l.push(Line::raw(format!(
                "  {:<20}{}",
                t::duration(&c.duration_words, &c.duration.to_string()),
                prices.join(", ")
            )));
        }
    }
    if !o.installments.is_empty() {
        l.push(Line::raw(""));
        l.push(heading(t::INSTALLMENTS));
        for i in &o.installments {
            l.push(Line::raw(format!("  {}  {}", i.due_on, i.amount.display())));
        }
    }
    l.push(Line::raw(""));
    l.push(heading(&t::offers_made(o.offers_created)));
    l.extend(offers.iter().map(|of| offer_line(app, of)));
    l
}

fn offer(app: &App, o: &OfferView) -> Vec<Line<'static>> {
    let today = app.session().as_ref().map(|s| s.today);
    let name = |id: &AccountId| app.account_name(id).map_or_else(|| id.to_string(), |n| format!("{id} {n}"));
    let cur = o.currency;
    let mut l = vec![
        field(t::OFFER, o.id.to_string()),
        styled_field(
            t::STATUS,
            match o.cancelled_on {
                Some(day) => t::cancelled(o.status.label(), day),
                None => o.status.label().to_owned(),
            },
            o.status.style(),
        ),
    ];
    match &o.buyer_account_id {
        _ if !o.buyer_disclosed => l.push(styled_field(t::BUYER, t::BUYER_NOT_DISCLOSED, THEME.muted)),
        Some(b) => l.extend(accounts_field(app, t::BUYER, [name(b)])),
        None => l.push(field(t::BUYER, text::NOT_SET)),
    }
    // Other buyers the offer is also open to, right under its buyer.
    l.extend(accounts_field(app, t::ALSO_TO, o.other_buyer_accounts.iter().map(name)));
    // A buyer deals with the partner, the seller of record; the opportunity behind the
    // offer is between the partner and the ISV.
    if o.seen_as == Audience::Buyer {
        l.extend(accounts_field(app, t::SELLER_OF_RECORD, [name(&o.partner_account_id)]));
    } else {
        l.extend(accounts_field(app, t::PARTNER, [name(&o.partner_account_id)]));
        l.push(field(t::OPPORTUNITY, o.opportunity_id.to_string()));
    }
    l.extend([
        field(t::PRODUCT, product(app, &o.product_id)),
        field(t::EXPIRES_ON, format::date_soon(o.expires_on, today, "-")),
        field(t::DURATION, t::duration(&o.duration_words, &o.duration.to_string())),
    ]);
    if let Some(old) = &o.replaces {
        l.push(field(t::REPLACES, t::replaces_value(old.as_str())));
    }
    if let Some(end) = o.agreement_ends_on {
        l.push(field(t::AGREEMENT_ENDS, end.to_string()));
    }
    if let Some(aws) = &o.aws {
        l.push(field(t::SOURCE, aws.words()));
    }
    l.extend(push_and_refusal(app, o.id.as_str(), o.aws_refusal.as_ref()));
    let mut m = |label: &str, v: Option<Figure>| {
        if let Some(v) = v {
            l.push(styled_field(label, v.text(), if v == Figure::Unplanned { THEME.muted } else { THEME.money }));
        }
    };
    m(t::WHOLESALE_TOTAL, o.wholesale_total);
    m(t::BUYER_TOTAL, o.buyer_total);
    m(t::LISTING_FEE, o.listing_fee);
    m(t::ISV_RECEIVES, o.isv_net);
    m(t::PARTNER_RECEIVES, o.partner_net);
    if let Some(mk) = &o.markup_pct {
        l.push(field(t::MARKUP, t::percent(&mk.to_string())));
    }
    if let Some(r) = &o.listing_fee_rate {
        l.push(field(t::FEE_RATE, t::percent(&r.to_string())));
    }
    let unplanned = [o.wholesale_total, o.buyer_total].contains(&Some(Figure::Unplanned));
    if !o.lines.is_empty() {
        // Columns the viewer may not see are left out, not shown as blanks.
        let wholesale = o.lines.iter().any(|x| x.wholesale_price.is_some());
        let buyer = o.lines.iter().any(|x| x.buyer_price.is_some());
        let mut head = format!("{:<16}{:>8}{:>18}", text::DIMENSION, t::QTY, text::LIST);
        if wholesale {
            head.push_str(&format!("{:>18}", text::WHOLESALE));
        }
        if buyer {
            head.push_str(&format!("{:>18}", t::BUYER_PRICE));
        }
        l.push(Line::raw(""));
        l.push(heading(&head));
        for line in &o.lines {
            let qty = match line.pricing {
                PricingModel::Usage => t::USAGE.to_owned(),
                // No quantity planned: not a zero the buyer would buy.
                PricingModel::Contract if unplanned => "-".to_owned(),
                PricingModel::Contract => line.quantity.to_string(),
            };
            let opt = |v: Option<Decimal>| v.map_or_else(|| "-".into(), |x| unit_price_display(x, cur));
            let mut text = format!(
                "{} {:>8}{:>18}",
                format::fit_cols(&line.dimension, 15),
                qty,
                line.list_price.map_or_else(|| text::UNKNOWN.into(), |p| unit_price_display(p, cur))
            );
            if wholesale {
                text.push_str(&format!("{:>18}", opt(line.wholesale_price)));
            }
            if buyer {
                text.push_str(&format!("{:>18}", opt(line.buyer_price)));
            }
            l.push(Line::raw(text));
        }
        for line in &o.lines {
            if let (Some(aws), Some(computed)) = (line.buyer_price, line.buyer_price_by_markup) {
                l.push(Line::styled(
                    t::aws_buyer_price(
                        &line.dimension,
                        &unit_price_display(aws, cur),
                        &unit_price_display(computed, cur),
                    ),
                    THEME.muted,
                ));
            }
        }
        if o.charge_plan.len() > 1 {
            l.push(Line::styled(t::paid_in_charges(o.charge_plan.len()), THEME.muted));
        }
    }
    l
}
