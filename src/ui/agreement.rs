//! An agreement's detail (the Agreements tab): who, what, when, its money, its charges with
//! paid / due / overdue, its financing as the viewer may see it (also drawn in an offer's
//! detail), what the viewer was paid of it, its events.

use ratatui::text::{Line, Span};

use super::theme::{THEME, Tone};
use crate::app::App;
use crate::app::text::{self, detail as t};
use crate::domain::financing::plan_runs;
use crate::domain::visibility::Audience;
use crate::domain::{AccountId, AgreementStatus, FinancingStatus};
use crate::market::views::{AgreementView, DisbursementView, FinancingView, OfferView};
use crate::market::{AwsAgreementView, Event};

/// An account's name and id; the id once when the account has no name of its own (an
/// import names an account it does not know by its id).
fn name(app: &App, id: &AccountId) -> String {
    match app.account_name(id) {
        Some(n) if n != id.as_str() => format!("{n} ({id})"),
        _ => id.to_string(),
    }
}

fn field(label: &str, value: String) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{label:<18}"), THEME.label), Span::raw(value)])
}

/// The first lines of either kind of agreement: its id, its status, and where it stands on
/// the renewal radar (days left, what has been done), when it is on it.
fn head(
    id: &crate::domain::AgreementId,
    status: String,
    style: ratatui::style::Style,
    radar: Option<(i64, crate::domain::radar::Renewal)>,
) -> Vec<Line<'static>> {
    let mut l = vec![
        field(t::AGREEMENT, id.to_string()),
        Line::from(vec![Span::styled(format!("{:<18}", t::STATUS), THEME.label), Span::styled(status, style)]),
    ];
    if let Some((days, renewal)) = radar {
        l.push(Line::from(vec![
            Span::styled(format!("{:<18}", t::RENEWAL_RADAR), THEME.label),
            Span::styled(text::tables::ending(days, renewal), THEME.warn),
        ]));
    }
    l
}

/// Its audit events the viewer may read, under their heading.
fn event_lines(events: &[Event]) -> Vec<Line<'static>> {
    if events.is_empty() {
        return Vec::new();
    }
    let mut l = vec![Line::raw(""), Line::styled(t::EVENTS, THEME.header)];
    for e in events {
        let at = e.at.get(..10).unwrap_or(&e.at);
        // The log keeps AWS's word (`ACTIVE`); shown as every status is.
        let to = e
            .to_state
            .as_deref()
            .map(|s| AgreementStatus::parse(s).map_or_else(|| s.to_owned(), |st| st.label().to_owned()));
        l.push(Line::styled(t::event(at, &e.action, &e.actor, to.as_deref()), THEME.muted));
    }
    l
}

/// The lines of the detail.
pub fn lines(
    app: &App,
    a: &AgreementView,
    offer: Option<&OfferView>,
    disbursements: &[DisbursementView],
    events: &[Event],
) -> Vec<Line<'static>> {
    let today = app.session().map(|s| s.today);
    let money = |m: Option<crate::domain::Money>| m.map_or_else(|| "-".to_owned(), |m| m.display());
    let mut l = head(&a.id, a.status.label().to_owned(), a.status.style(), a.days_left.map(|d| (d, a.renewal)));
    // AWS does not disclose the end buyer of a recurring opportunity's agreement to its ISV.
    if a.buyer_disclosed {
        l.push(field(t::BUYER, name(app, &a.buyer_account_id)));
    } else {
        l.push(Line::from(vec![
            Span::styled(format!("{:<18}", t::BUYER), THEME.label),
            Span::styled(t::BUYER_NOT_DISCLOSED, THEME.muted),
        ]));
    }
    l.push(field(t::SELLER_OF_RECORD, name(app, &a.partner_account_id)));
    if a.seen_as != Audience::Isv {
        l.push(field(t::ISV, name(app, &a.isv_account_id)));
    }
    l.push(field(t::PRODUCT, app.product_name(&a.product_id).map_or_else(|| a.product_id.to_string(), str::to_owned)));
    let offer_text = match offer {
        Some(o) => format!("{} ({})", o.name, o.id),
        None => format!("{} {}", a.offer_id, t::OFFER_NOT_SHOWN),
    };
    l.push(field(t::OFFER, offer_text));
    l.push(field(t::STARTS_ON, a.starts_on.to_string()));
    l.push(field(t::ENDS_ON, a.ends_on.to_string()));
    let total_label = if a.seen_as == Audience::Isv { t::WHOLESALE_TOTAL } else { t::TOTAL };
    l.push(Line::from(vec![
        Span::styled(format!("{total_label:<18}"), THEME.label),
        Span::styled(money(a.shown_total()), THEME.total),
    ]));
    l.push(Line::from(vec![
        Span::styled(format!("{:<18}", t::TO_PAY), THEME.label),
        Span::styled(money(a.to_pay()), THEME.money),
    ]));
    let next = a.next_charge().map_or_else(
        || t::NOTHING_DUE.to_owned(),
        |c| {
            let amount = if a.seen_as == Audience::Isv { c.wholesale } else { c.amount };
            t::next_charge(&money(amount), c.due_on)
        },
    );
    l.push(field(t::NEXT_CHARGE, next));
    if !a.charges.is_empty() {
        l.push(Line::raw(""));
        l.push(Line::styled(t::CHARGES, THEME.header));
        for c in &a.charges {
            let amount = if a.seen_as == Audience::Isv { c.wholesale } else { c.amount };
            let (word, style) = match (c.paid_on, today) {
                (Some(d), _) => (t::paid(d), THEME.ok),
                (None, Some(today)) if c.due_on < today => (t::overdue(c.due_on), THEME.error),
                (None, _) => (t::due(c.due_on), THEME.warn),
            };
            l.push(Line::from(vec![
                Span::raw(format!("  {}  ", c.due_on)),
                Span::styled(format!("{:>18}", money(amount)), THEME.money),
                Span::styled(format!("  {word}"), style),
            ]));
        }
    }
    l.extend(financing(a.financing.as_ref()));
    if !disbursements.is_empty() {
        l.push(Line::raw(""));
        l.push(Line::styled(t::YOUR_DISBURSEMENTS, THEME.header));
        for d in disbursements {
            let fee = d.listing_fee.map_or_else(String::new, |f| t::after_fee(&f.display()));
            l.push(Line::raw(format!("  {}  {}{fee}", d.paid_on, d.amount.display())));
        }
    }
    l.extend(event_lines(events));
    l
}

/// The lines of an agreement imported from AWS: its parties, AWS's status word, its term
/// (pay-as-you-go when it has no end), its value and payment schedule as the viewer may see
/// them (AWS bills each charge on its date), its events.
pub fn aws_lines(app: &App, a: &AwsAgreementView, offer: Option<&OfferView>, events: &[Event]) -> Vec<Line<'static>> {
    let today = app.session().map(|s| s.today);
    let money = |m: Option<crate::domain::Money>| m.map_or_else(|| "-".to_owned(), |m| m.display());
    let status = t::aws_status(a.status.label());
    let mut l = head(&a.id, status, a.status.kin().style(), a.days_left.map(|d| (d, a.renewal)));
    l.push(field(t::BUYER, name(app, &a.acceptor)));
    l.push(field(t::SELLER_OF_RECORD, name(app, &a.proposer)));
    if let Some(isv) = a.isv.as_ref().filter(|_| a.seen_as != Audience::Isv) {
        l.push(field(t::ISV, name(app, isv)));
    }
    let product = a.product_id.as_deref().map_or_else(
        || "-".to_owned(),
        |p| {
            let held = crate::domain::ProductId::parse(p).ok().and_then(|id| app.product_name(&id).map(str::to_owned));
            held.map_or_else(|| p.to_owned(), |n| format!("{n} ({p})"))
        },
    );
    l.push(field(t::PRODUCT, product));
    let offer_text = match (offer, a.offer_id.as_deref()) {
        (Some(o), _) => format!("{} ({})", o.name, o.id),
        (None, Some(id)) if a.offer_imported => format!("{id} {}", t::OFFER_NOT_SHOWN),
        (None, Some(id)) => format!("{id} {}", t::OFFER_NOT_IMPORTED),
        (None, None) => "-".to_owned(),
    };
    l.push(field(t::OFFER, offer_text));
    l.push(field(t::STARTS_ON, a.starts_on.map_or_else(|| "-".to_owned(), |d| d.to_string())));
    l.push(field(t::ENDS_ON, a.ends_on.map_or_else(|| text::tables::PAY_AS_YOU_GO.to_owned(), |d| d.to_string())));
    if a.seen_as != Audience::Isv {
        l.push(Line::from(vec![
            Span::styled(format!("{:<18}", t::TOTAL), THEME.label),
            Span::styled(money(a.total), THEME.money),
        ]));
        if let Some(today) = today {
            l.push(Line::from(vec![
                Span::styled(format!("{:<18}", t::TO_PAY), THEME.label),
                Span::styled(money(a.to_pay(today)), THEME.money),
            ]));
            let next = a
                .next_charge(today)
                .map_or_else(|| t::NOTHING_DUE.to_owned(), |c| t::next_charge(&c.amount.display(), c.due_on));
            l.push(field(t::NEXT_CHARGE, next));
        }
    }
    if !a.charges.is_empty() {
        l.push(Line::raw(""));
        l.push(Line::styled(t::AWS_SCHEDULE, THEME.header));
        for c in &a.charges {
            let (word, style) = match today {
                Some(today) if c.due_on < today => (t::BILLED, THEME.ok),
                _ => (t::SCHEDULED, THEME.warn),
            };
            l.push(Line::from(vec![
                Span::raw(format!("  {}  ", c.due_on)),
                Span::styled(format!("{:>18}", c.amount.display()), THEME.money),
                Span::styled(format!("  {word}"), style),
            ]));
        }
    }
    l.push(Line::raw(""));
    l.push(Line::styled(t::AWS_HOLDS_IT, THEME.muted));
    l.extend(event_lines(events));
    l
}

/// The agreement's financing as its viewer may see it: the buyer's financier, status,
/// amount and repayments; the sellers' "paid by a financier".
pub(super) fn financing(f: Option<&FinancingView>) -> Vec<Line<'static>> {
    match f {
        None => Vec::new(),
        Some(FinancingView::PaidByFinancier) => vec![Line::styled(t::PAID_BY_FINANCIER, THEME.ok)],
        Some(FinancingView::Full { provider, status, amount, plan, .. }) => {
            let mut l = vec![Line::from(vec![
                Span::raw(t::financed_by(provider)),
                Span::styled(status.as_str(), if *status == FinancingStatus::Declined { THEME.warn } else { THEME.ok }),
                Span::raw(" · "),
                Span::styled(amount.display(), THEME.money),
            ])];
            if *status == FinancingStatus::Declined {
                return l;
            }
            l.push(Line::raw(t::repay_in(plan.len())));
            for (from, to, m) in plan_runs(plan) {
                l.push(Line::from(vec![
                    Span::raw(format!("    {:<8}", t::payments(from, to))),
                    Span::styled(format!("{:>18}", m.display()), THEME.money),
                ]));
            }
            l
        }
    }
}
