//! Printing: aligned tables and detail blocks for people, the views themselves as JSON.

use serde::Serialize;

use super::json as cj;
use super::table::{Align, Table, fields};
use crate::domain::account::PartnerKind;
use crate::domain::error::one_line;
use crate::domain::financing::plan_words;
use crate::domain::money::group_thousands;
use crate::domain::money::{unit_price_display, unit_price_text};
use crate::domain::{Agreement, Currency, FinancingStatus, PricingModel};
use crate::market::demo::DemoSummary;
use crate::market::scale::ScaleSummary;
use crate::market::views::{
    AccountView, AgreementView, DisbursementView, Figure, FinancingView, OfferView, OpportunityView, ProductView,
};
use crate::market::{AnyAgreement, AwsAgreementView, Event, RadarRow, SummaryView};

use Align::{Left, Right};

/// Standard output would not take what a command printed: a reader that closed the pipe
/// (`| head -1`), a full disk (`> /dev/full`).
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct StdoutError(pub std::io::Error);

/// The reader of standard output closed it before the end: not a failure (see the module
/// doc of `cli`).
pub fn closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StdoutError>().is_some_and(|StdoutError(io)| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Pushes out what standard output still holds, so that its failure is seen here rather
/// than lost at exit.
pub fn flush() -> anyhow::Result<()> {
    use std::io::Write as _;
    Ok(std::io::stdout().flush().map_err(StdoutError)?)
}

pub(super) fn json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    Ok(say!("{}", serde_json::to_string_pretty(v)?)?)
}

fn print(s: String) -> anyhow::Result<()> {
    use std::io::Write as _;
    Ok(std::io::stdout().lock().write_all(s.as_bytes()).map_err(StdoutError)?)
}

/// Ids separated by commas.
fn joined<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}

pub fn demo(s: &DemoSummary, scaled: Option<&ScaleSummary>, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let mut v = serde_json::json!({
            "accounts": s.accounts, "products": s.products, "opportunities": s.opportunities,
            "offers": s.offers, "agreements": s.agreements, "actor": s.actor.as_str(),
        });
        if let Some(x) = scaled {
            v["synthetic_offers"] = serde_json::json!({
                "offers": x.offers, "released": x.released, "drafts": x.drafts,
                "agreements": x.agreements, "partner": x.partner.as_str(), "partner_offers": x.partner_offers,
                "partner_agreements": x.partner_agreements,
            });
        }
        return json(&v);
    }
    say!(
        "Loaded the demo marketplace: {} accounts, {} products, {} opportunities, {} offers, {} agreements.",
        s.accounts,
        s.products,
        s.opportunities,
        s.offers,
        s.agreements
    )?;
    if let Some(x) = scaled {
        say!(
            "Added {} synthetic offers ({} released, {} drafts, {} accepted), {} of them by partner {} ({} accepted).",
            group_thousands(&x.offers.to_string()),
            group_thousands(&x.released.to_string()),
            group_thousands(&x.drafts.to_string()),
            group_thousands(&x.agreements.to_string()),
            group_thousands(&x.partner_offers.to_string()),
            x.partner,
            group_thousands(&x.partner_agreements.to_string()),
        )?;
    }
    say!("Acting as partner {} from now on; try `cppo offers list` or just `cppo`.", s.actor)?;
    Ok(())
}

/// A progress bar on stderr with the rate and the time left (indicatif); hidden when
/// stderr is not a terminal, so scripts read only the result.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn new(label: String) -> Self {
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template(
            "[{bar:20}] {percent:>3}%  {msg}: {human_pos}/{human_len}, {per_sec}, about {eta} left",
        )
        .expect("a valid template")
        .progress_chars("#>-");
        bar.set_style(style);
        bar.set_message(label);
        Self(bar)
    }

    /// What is being counted now.
    pub fn label(&mut self, label: &str) {
        if self.0.message() != label {
            self.0.set_message(label.to_owned());
        }
    }

    /// `done` of `total` units of work.
    pub fn show(&mut self, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
    }

    /// Takes the bar off the screen.
    pub fn finish(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn accounts(rows: &[AccountView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::list(rows, cj::account));
    }
    let mut t = Table::new(&[("ACCOUNT", Left), ("NAME", Left), ("ROLES", Left)]);
    for a in rows {
        let mut roles = a.roles.names().join(", ");
        if a.partner_kind == Some(PartnerKind::Distributor) {
            roles.push_str(" (distributor)");
        }
        t.row(vec![Some(a.id.to_string()), Some(a.name.clone()), Some(roles)]);
    }
    print(t.render())
}

pub fn products(rows: &[ProductView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::list(rows, cj::product));
    }
    let mut t = Table::new(&[
        ("PRODUCT", Left),
        ("NAME", Left),
        ("TYPE", Left),
        ("ISV", Left),
        ("DURATION", Left),
        ("DIMENSIONS", Left),
    ]);
    for p in rows {
        let dims: Vec<String> = p
            .dimensions
            .iter()
            .map(|d| {
                let list = d.list_price.map_or_else(|| "unknown".into(), |p| unit_price_text(p, Currency::Usd));
                format!("{} {list}/{}", d.key, d.unit)
            })
            .collect();
        t.row(vec![
            Some(p.id.to_string()),
            Some(p.name.clone()),
            Some(p.product_type.to_string()),
            Some(p.isv_account_id.to_string()),
            Some(p.duration.clone()),
            Some(dims.join(", ")),
        ]);
    }
    print(t.render())
}

/// The opportunities, then those known by their AWS summary only (in JSON, one array).
pub fn opportunities(rows: &[OpportunityView], known: &[SummaryView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&with_summaries(cj::list(rows, cj::opportunity), known, cj::opportunity_summary));
    }
    let mut t = Table::new(&[
        ("OPPORTUNITY", Left),
        ("NAME", Left),
        ("PRODUCT", Left),
        ("ISV", Left),
        ("PARTNER", Left),
        ("KIND", Left),
        ("DISCOUNT", Right),
        ("CUR", Left),
        ("STATUS", Left),
        ("ENDS ON", Left),
        ("OFFERS", Right),
    ]);
    for o in rows {
        t.row(vec![
            Some(o.id.to_string()),
            Some(o.name.clone()),
            Some(o.product_id.to_string()),
            Some(o.isv_account_id.to_string()),
            Some(o.partner_account_id.to_string()),
            Some(o.kind.label().into()),
            Some(o.discount_pct.as_ref().map_or_else(|| "custom".into(), |d| format!("{d}%"))),
            Some(o.currency.code().into()),
            Some(o.status.to_string()),
            Some(opt_date(o.ends_on)),
            Some(o.offers_created.to_string()),
        ]);
    }
    print(t.render())?;
    summaries(known, "ENDS ON")
}

pub fn opportunity(o: &OpportunityView, offers_made: &[OfferView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::opportunity(o));
    }
    let mut pairs = vec![
        ("Opportunity", o.id.to_string()),
        ("Name", o.name.clone()),
        ("Status", format!("{} (stored state: {})", o.status, o.state)),
        ("Product", format!("{} ({})", o.product_id, o.product_type)),
        ("ISV", o.isv_account_id.to_string()),
        ("Partner", o.partner_account_id.to_string()),
        ("Kind", o.kind.label().into()),
        ("Buyers", if o.buyer_account_ids.is_empty() { "any".into() } else { joined(&o.buyer_account_ids) }),
        ("Currency", o.currency.code().into()),
        ("Discount", o.discount_pct.as_ref().map_or_else(|| "custom prices".into(), |d| format!("{d}%"))),
        ("Duration", format!("{} ({})", o.duration_words, o.duration)),
        ("Ends on", o.ends_on.map_or_else(|| "indefinite".into(), |d| d.to_string())),
        ("Renewal", if o.renewal { "yes" } else { "no" }.into()),
        ("EULA", o.eula.clone()),
        ("Offers made", o.offers_created.to_string()),
    ];
    if let Some(days) = o.net_payment_days {
        pairs.push(("Net terms", format!("{days} days")));
    }
    if let Some(by) = &o.ended_by {
        pairs.push(("Ended by", by.to_string()));
    }
    if !o.description.is_empty() {
        pairs.push(("Description", o.description.clone()));
    }
    if let Some(aws) = &o.aws {
        pairs.push(("Source", aws.words()));
    }
    refusal(&mut pairs, o.aws_refusal.as_ref());
    let mut out = fields(&pairs);
    let granted = o.prices.iter().any(|p| p.granted_units.is_some());
    let mut columns = vec![("DIMENSION", Left), ("PRICING", Left), ("LIST", Right), ("WHOLESALE", Right)];
    if granted {
        columns.push(("GRANTED", Right));
    }
    let mut t = Table::new(&columns);
    for p in &o.prices {
        let mut row = vec![
            Some(p.dimension.clone()),
            Some(p.pricing.to_string()),
            Some(p.list_price.map_or_else(|| "unknown".into(), |l| unit_price_display(l, o.currency))),
            Some(unit_price_display(p.wholesale_price, o.currency)),
        ];
        if granted {
            row.push(p.granted_units.map(|n| format!("{n} units")));
        }
        t.row(row);
    }
    out.push('\n');
    out.push_str(&t.render());
    if !o.rate_cards.is_empty() {
        let mut t = Table::new(&[("RATE CARD", Left), ("DIMENSION", Left), ("WHOLESALE", Right)]);
        for c in &o.rate_cards {
            for (d, p) in &c.prices {
                t.row(vec![
                    Some(format!("{} ({})", c.duration_words, c.duration)),
                    Some(d.clone()),
                    Some(unit_price_display(*p, o.currency)),
                ]);
            }
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !o.installments.is_empty() {
        let mut t = Table::new(&[("INSTALLMENT DUE", Left), ("WHOLESALE", Right)]);
        for i in &o.installments {
            t.row(vec![Some(i.due_on.to_string()), Some(i.amount.display())]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !offers_made.is_empty() {
        out.push('\n');
        out.push_str(&offers_table(offers_made));
    }
    print(out)
}

/// The change set AWS refused for a record, and each of its errors, under the other fields.
fn refusal(pairs: &mut Vec<(&'static str, String)>, r: Option<&crate::market::views::AwsRefusalView>) {
    let Some(r) = r else { return };
    pairs.push(("AWS refused", format!("{}: the record stays in cppo as it is", r.words())));
    pairs.extend(r.errors.iter().map(|e| ("AWS error", e.clone())));
}

fn offers_table(rows: &[OfferView]) -> String {
    let mut t = Table::new(&[
        ("OFFER", Left),
        ("NAME", Left),
        ("BUYER", Left),
        ("STATUS", Left),
        ("EXPIRES ON", Left),
        ("MARKUP", Right),
        ("WHOLESALE", Right),
        ("BUYER TOTAL", Right),
    ]);
    for o in rows {
        t.row(vec![
            Some(o.id.to_string()),
            Some(o.name.clone()),
            Some(o.buyer_account_id.as_ref().map_or_else(|| "-".into(), ToString::to_string)),
            Some(o.status.to_string()),
            Some(opt_date(o.expires_on)),
            o.markup_pct.map(|m| format!("{m}%")),
            o.wholesale_total.map(Figure::short),
            o.buyer_total.map(Figure::short),
        ]);
    }
    t.render()
}

/// The offers, then those known by their AWS summary only (in JSON, one array).
pub fn offers(rows: &[OfferView], known: &[SummaryView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&with_summaries(cj::list(rows, cj::offer), known, cj::offer_summary));
    }
    print(offers_table(rows))?;
    summaries(known, "EXPIRES ON")
}

/// A JSON list with the summaries after the records (a script reads `summary_only`).
fn with_summaries(
    mut list: serde_json::Value,
    known: &[SummaryView],
    one: fn(&SummaryView) -> serde_json::Value,
) -> serde_json::Value {
    if let serde_json::Value::Array(items) = &mut list {
        items.extend(known.iter().map(one));
    }
    list
}

pub fn offer(o: &OfferView, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::offer(o));
    }
    let cur = o.currency;
    let mut pairs = vec![
        ("Offer", o.id.to_string()),
        ("Name", o.name.clone()),
        ("Status", format!("{} (stored state: {})", o.status, o.state)),
        ("Opportunity", o.opportunity_id.to_string()),
        ("Product", o.product_id.to_string()),
        ("Partner", o.partner_account_id.to_string()),
        ("Buyer", o.buyer_account_id.as_ref().map_or_else(|| "(not set)".into(), ToString::to_string)),
        ("Expires on", opt_date(o.expires_on)),
        ("Duration", format!("{} ({})", o.duration_words, o.duration)),
    ];
    if !o.other_buyer_accounts.is_empty() {
        pairs.insert(7, ("Also to", joined(&o.other_buyer_accounts)));
    }
    let contract = o.lines.iter().any(|l| l.pricing == PricingModel::Contract);
    let unplanned = [o.wholesale_total, o.buyer_total].contains(&Some(Figure::Unplanned));
    if contract && !o.quantities_planned {
        pairs.push((
            "Quantities",
            if unplanned {
                "none planned: AWS lets the buyer pick units when accepting, so the totals are unknown until the partner plans them".into()
            } else {
                "none planned: the installment schedule sets the value".into()
            },
        ));
    }
    let mut add = |k: &'static str, v: Option<String>| pairs.extend(v.map(|v| (k, v)));
    add("Markup", o.markup_pct.map(|m| format!("{m}%")));
    add("Wholesale total", o.wholesale_total.map(Figure::text));
    add("Buyer total", o.buyer_total.map(Figure::text));
    add("Listing fee", o.listing_fee.map(Figure::text));
    add("Fee rate", o.listing_fee_rate.map(|m| format!("{m}%")));
    add("ISV receives", o.isv_net.map(Figure::text));
    add("Partner receives", o.partner_net.map(Figure::text));
    add("Agreement", o.agreement_id.as_ref().map(ToString::to_string));
    add("Replaces", o.replaces.as_ref().map(|a| format!("{a} (accepting this offer makes it REPLACED)")));
    add("Agreement ends", o.agreement_ends_on.map(|d| d.to_string()));
    add("Description", o.description.clone().filter(|d| !d.is_empty()));
    add("Source", o.aws.as_ref().map(|a| a.words()));
    refusal(&mut pairs, o.aws_refusal.as_ref());
    let mut out = fields(&pairs);
    let mut t = Table::new(&[
        ("DIMENSION", Left),
        ("QTY", Right),
        ("LIST", Right),
        ("WHOLESALE", Right),
        ("BUYER PRICE", Right),
        ("WHOLESALE TOTAL", Right),
        ("BUYER TOTAL", Right),
    ]);
    // Unplanned, a line has no quantity and no total: "-", not a made-up zero.
    let line_total = |f: Figure| f.known().map_or_else(|| "-".into(), |m| m.display());
    for l in &o.lines {
        let qty = match l.pricing {
            PricingModel::Usage => "usage".into(),
            PricingModel::Contract if unplanned => "-".into(),
            PricingModel::Contract => l.quantity.to_string(),
        };
        t.row(vec![
            Some(l.dimension.clone()),
            Some(qty),
            Some(l.list_price.map_or_else(|| "unknown".into(), |p| unit_price_display(p, cur))),
            l.wholesale_price.map(|p| unit_price_display(p, cur)),
            l.buyer_price.map(|p| unit_price_display(p, cur)),
            l.wholesale_total.map(line_total),
            l.buyer_total.map(line_total),
        ]);
    }
    out.push('\n');
    out.push_str(&t.render());
    for l in &o.lines {
        if let (Some(aws), Some(computed)) = (l.buyer_price, l.buyer_price_by_markup) {
            out.push_str(&format!(
                "{}: the buyer price is AWS's, {}; wholesale x markup gives {}\n",
                l.dimension,
                unit_price_display(aws, cur),
                unit_price_display(computed, cur)
            ));
        }
    }
    print(out)
}

/// cppo's own agreements, then those imported from AWS (soonest end first).
pub fn agreements(rows: &[AgreementView], imported: &[AwsAgreementView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let mut all = cj::list(rows, cj::agreement);
        if let serde_json::Value::Array(items) = &mut all {
            items.extend(imported.iter().map(cj::aws_agreement));
        }
        return json(&all);
    }
    let mut t = Table::new(&[
        ("AGREEMENT", Left),
        ("OFFER", Left),
        ("BUYER", Left),
        ("PARTNER", Left),
        ("STATUS", Left),
        ("STARTS", Left),
        ("ENDS", Left),
        ("TOTAL", Right),
        ("WHOLESALE", Right),
        ("PAID", Right),
    ]);
    for a in rows {
        let paid = a.charges.iter().filter(|c| c.paid_on.is_some()).count();
        t.row(vec![
            Some(a.id.to_string()),
            Some(a.offer_id.to_string()),
            Some(a.buyer_account_id.to_string()),
            Some(a.partner_account_id.to_string()),
            Some(a.status.to_string()),
            Some(a.starts_on.to_string()),
            Some(a.ends_on.to_string()),
            a.total.map(|m| m.display()),
            a.wholesale_total.map(|m| m.display()),
            Some(format!("{paid}/{}", a.charges.len())),
        ]);
    }
    for a in imported {
        t.row(vec![
            Some(a.id.to_string()),
            Some(aws_offer(a)),
            Some(a.acceptor.to_string()),
            Some(a.proposer.to_string()),
            Some(a.status.to_string()),
            a.starts_on.map(|d| d.to_string()),
            Some(aws_ends(a)),
            a.total.map(|m| m.display()),
            None,
            None,
        ]);
    }
    print(t.render())
}

/// An imported agreement's offer, saying when the file does not hold it.
fn aws_offer(a: &AwsAgreementView) -> String {
    match (&a.offer_id, a.offer_imported) {
        (Some(id), true) => id.clone(),
        (Some(id), false) => format!("{} (offer not imported)", one_line(id)),
        (None, _) => "(offer not imported)".into(),
    }
}

/// An imported agreement's end: its day, or pay-as-you-go.
fn aws_ends(a: &AwsAgreementView) -> String {
    a.ends_on.map_or_else(|| "pay-as-you-go".to_owned(), |d| d.to_string())
}

/// One imported agreement and its charges (from AWS's payment schedule).
pub fn aws_agreement(a: &AwsAgreementView, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::aws_agreement(a));
    }
    let mut pairs = vec![
        ("Agreement", a.id.to_string()),
        ("Status", format!("{} (AWS)", a.status)),
        ("Offer", aws_offer(a)),
        ("Buyer", a.acceptor.to_string()),
        ("Partner", a.proposer.to_string()),
        ("ISV", a.isv.as_ref().map_or_else(|| "unknown (offer not imported)".into(), ToString::to_string)),
        ("Term", format!("{} to {}", a.starts_on.map_or_else(|| "?".into(), |d| d.to_string()), aws_ends(a))),
    ];
    if let Some(p) = &a.product_id {
        pairs.push(("Product", one_line(p)));
    }
    if let Some(t) = &a.total {
        pairs.push(("Total", t.display()));
    }
    let mut out = fields(&pairs);
    out.push('\n');
    if a.charges.is_empty() {
        out.push_str("No charges: AWS's terms give no payment schedule (or none was imported).\n");
    } else {
        let mut t = Table::new(&[("DUE ON", Left), ("AMOUNT", Right)]);
        for c in &a.charges {
            t.row(vec![Some(c.due_on.to_string()), Some(c.amount.display())]);
        }
        out.push_str(&t.render());
    }
    print(out)
}

/// The renewal radar: agreements ending soonest first, with what has been done about each.
pub fn radar(rows: &[RadarRow], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::list(rows, cj::radar));
    }
    let mut t = Table::new(&[
        ("AGREEMENT", Left),
        ("BUYER", Left),
        ("PARTNER", Left),
        ("ENDS", Left),
        ("IN", Right),
        ("STATUS", Left),
        ("TOTAL", Right),
        ("RENEWAL", Left),
    ]);
    for r in rows {
        let (buyer, partner, status, total) = match &r.agreement {
            AnyAgreement::Local(a) => {
                (a.buyer_account_id.to_string(), a.partner_account_id.to_string(), a.status.to_string(), a.total)
            }
            AnyAgreement::Aws(a) => {
                (a.acceptor.to_string(), a.proposer.to_string(), format!("{} (AWS)", a.status), a.total)
            }
        };
        let days = if r.days_left == 1 { "1 day".to_owned() } else { format!("{} days", r.days_left) };
        t.row(vec![
            Some(r.id().to_string()),
            Some(buyer),
            Some(partner),
            Some(r.ends_on.to_string()),
            Some(days),
            Some(status),
            total.map(|m| m.display()),
            Some(crate::market::words::renewal(r.renewal).into()),
        ]);
    }
    print(t.render())
}

fn charges_table(a: &AgreementView) -> String {
    let mut t =
        Table::new(&[("CHARGE", Left), ("DUE ON", Left), ("AMOUNT", Right), ("WHOLESALE", Right), ("PAID ON", Left)]);
    for c in &a.charges {
        t.row(vec![
            Some(c.id.to_string()),
            Some(c.due_on.to_string()),
            c.amount.map(|m| m.display()),
            c.wholesale.map(|m| m.display()),
            Some(match c.cancelled_on {
                Some(d) => format!("cancelled {d}"),
                None => opt_date(c.paid_on),
            }),
        ]);
    }
    t.render()
}

pub fn agreement(a: &AgreementView, mine: &[DisbursementView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::agreement(a));
    }
    let mut pairs = vec![
        ("Agreement", a.id.to_string()),
        ("Status", a.status.to_string()),
        ("Offer", a.offer_id.to_string()),
        ("Opportunity", a.opportunity_id.to_string()),
        ("Buyer", a.buyer_account_id.to_string()),
        ("Partner", a.partner_account_id.to_string()),
        ("ISV", a.isv_account_id.to_string()),
        ("Term", format!("{} to {}", a.starts_on, a.ends_on)),
    ];
    if let Some(t) = &a.total {
        pairs.push(("Total", t.display()));
    }
    if let Some(t) = &a.wholesale_total {
        pairs.push(("Wholesale total", t.display()));
    }
    if let Some(r) = &a.listing_fee_rate {
        pairs.push(("Fee rate", format!("{r}%")));
    }
    if let Some(old) = &a.replaces {
        pairs.push(("Replaces", old.to_string()));
    }
    if let Some(new) = &a.replaced_by {
        pairs.push(("Replaced by", new.to_string()));
    }
    match &a.financing {
        Some(FinancingView::Full { provider, status, amount, plan, .. }) => {
            pairs.push(("Financing", format!("{provider}, {status}, {amount}")));
            pairs.push(("Repayments", plan_words(plan)));
        }
        Some(FinancingView::PaidByFinancier) => pairs.push(("Paid by", "a financier".into())),
        None => {}
    }
    let mut out = fields(&pairs);
    out.push('\n');
    out.push_str(&charges_table(a));
    if !mine.is_empty() {
        out.push('\n');
        out.push_str(&disbursements_table(mine));
    }
    print(out)
}

pub fn paid(a: &Agreement, view: &AgreementView, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::agreement(view));
    }
    let last = a.charges.iter().rfind(|c| c.paid_on.is_some()).expect("a charge was just paid");
    say!("Paid {} of {} (charge {}, due {}).", last.amount.display(), a.id, last.id, last.due_on)?;
    match a.next_unpaid() {
        Some(next) => say!("Next charge: {} due on {}.", next.amount.display(), next.due_on)?,
        None => say!("Every charge of this agreement is paid.")?,
    }
    Ok(())
}

/// The buyer's financing step: what stands now, and what the financier paid.
pub fn financed(a: &AgreementView, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::agreement(a));
    }
    // Only the buyer finances, and the buyer sees its financing: anything else shows as
    // the agreement does.
    let Some(FinancingView::Full { provider, status, amount, plan, .. }) = &a.financing else {
        return agreement(a, &[], false);
    };
    say!("Financing of {} by {provider}: {status}.", a.id)?;
    match status {
        FinancingStatus::Declined => say!("Nothing was paid; the charges stay yours to pay.")?,
        FinancingStatus::Funded => {
            say!("{provider} paid {amount}: every charge of the agreement is paid.")?;
            say!("You repay {provider} in {}.", plan_words(plan))?;
        }
        _ => say!("Once funded, {provider} pays {amount}; you repay it in {}.", plan_words(plan))?,
    }
    Ok(())
}

fn disbursements_table(rows: &[DisbursementView]) -> String {
    let mut t = Table::new(&[
        ("DISBURSEMENT", Left),
        ("AGREEMENT", Left),
        ("ROLE", Left),
        ("AMOUNT", Right),
        ("LISTING FEE", Right),
        ("PAID ON", Left),
    ]);
    for d in rows {
        t.row(vec![
            Some(d.id.to_string()),
            Some(d.agreement_id.to_string()),
            Some(d.role.into()),
            Some(d.amount.display()),
            d.listing_fee.map(|m| m.display()),
            Some(d.paid_on.to_string()),
        ]);
    }
    t.render()
}

pub fn disbursements(rows: &[DisbursementView], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::list(rows, cj::disbursement));
    }
    print(disbursements_table(rows))
}

pub fn events(rows: &[Event], as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::list(rows, cj::event));
    }
    let mut t = Table::new(&[
        ("#", Right),
        ("AT", Left),
        ("ACTOR", Left),
        ("ENTITY", Left),
        ("ID", Left),
        ("ACTION", Left),
        ("STATE", Left),
    ]);
    for e in rows {
        let state = match (&e.from_state, &e.to_state) {
            (Some(f), Some(t)) if f != t => format!("{f} -> {t}"),
            (_, Some(t)) => t.clone(),
            _ => String::new(),
        };
        t.row(vec![
            Some(e.seq.to_string()),
            Some(e.at.chars().take(19).collect()),
            Some(e.actor.clone()),
            Some(e.entity.clone()),
            Some(e.entity_id.clone()),
            Some(e.action.clone()),
            Some(state),
        ]);
    }
    print(t.render())
}

/// A change set: to a file (then where it went and the `aws` command, on stderr) or to stdout.
pub fn export(export: &crate::market::Export, out: Option<&crate::market::outfile::Target>) -> anyhow::Result<()> {
    let changes = export.change_types();
    let target = match out {
        Some(target) => {
            let written = export.write(target)?;
            note!("wrote {}", written.display());
            target.path.display().to_string()
        }
        None => {
            print(export.body())?;
            "FILE".to_owned()
        }
    };
    let plural = if changes.len() == 1 { "" } else { "s" };
    note!("{}: {} change{plural} ({})", export.id, changes.len(), changes.join(", "));
    for n in &export.notes {
        note!("note: {n}");
    }
    note!("submit: {}", crate::market::submit_command(&target));
    note!(
        "then:   aws marketplace-catalog describe-change-set --catalog AWSMarketplace --change-set-id ID > answer.json"
    );
    note!("        cppo import answer.json   (once it SUCCEEDED or FAILED: links the record, or shows AWS's errors)");
    Ok(())
}

pub fn import(r: &crate::market::ImportReport, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&import_json(r));
    }
    import_lines(r)
}

/// The outcomes of import's entities and their totals, in the order it prints them.
fn import_totals(r: &crate::market::ImportReport) -> [(&'static str, usize); 7] {
    [
        ("created", r.count("created")),
        ("updated", r.count("updated")),
        ("unchanged", r.count("unchanged")),
        ("skipped", r.count("skipped")),
        ("conflict", r.count("conflict")),
        ("linked", r.count("linked")),
        ("failed", r.count("failed")),
    ]
}

/// An import's report as `--json` prints it.
pub fn import_json(r: &crate::market::ImportReport) -> serde_json::Value {
    {
        let totals = import_totals(r);
        let lines: Vec<_> = r
            .lines
            .iter()
            .map(|l| {
                let linked_to = match &l.outcome {
                    crate::market::Outcome::Linked(aws_id) => Some(aws_id.as_str()),
                    _ => None,
                };
                serde_json::json!({
                    "id": l.id, "kind": l.kind, "outcome": l.outcome.label(), "reason": l.outcome.reason(),
                    "summary_only": l.summary_only, "notes": l.notes, "linked_to": linked_to,
                })
            })
            .collect();
        let mut t = serde_json::Map::new();
        for (k, n) in totals {
            t.insert(k.to_owned(), n.into());
        }
        serde_json::json!({
            "dry_run": r.dry_run, "entities": lines, "totals": t,
            "accounts": {"created": r.accounts.created, "updated": r.accounts.updated},
            "products": {"created": r.products.created, "updated": r.products.updated},
        })
    }
}

/// An import's report as a person reads it: a line per entity, then the totals.
pub fn import_lines(r: &crate::market::ImportReport) -> anyhow::Result<()> {
    let totals = import_totals(r);
    let width = r.lines.iter().filter_map(|l| l.id.as_ref().map(String::len)).max().unwrap_or(0).max(2);
    // Ids and reasons echo the input as it was: its control characters are shown escaped,
    // never sent to the terminal.
    for l in &r.lines {
        let id = one_line(l.id.as_deref().unwrap_or("(no id)"));
        let mut line = format!("{:<9}  {id:<width$}  {} {}", l.outcome.label(), l.kind, one_line(&l.what));
        if l.summary_only {
            line.push_str(" - summary only: import describe-entity for its terms");
        }
        if let Some(reason) = l.outcome.reason() {
            line = format!("{:<9}  {id:<width$}  {}: {}", l.outcome.label(), l.kind, one_line(reason));
        }
        say!("{}", line.trim_end())?;
        for n in &l.notes {
            say!("{:<9}  {:<width$}  note: {}", "", "", one_line(n))?;
        }
    }
    let plural = |k: &str, n: usize| if k == "conflict" && n != 1 { "conflicts".to_owned() } else { k.to_owned() };
    // Links and refusals come with describe-change-set answers only: counted when there are some.
    let counts: Vec<String> = totals
        .iter()
        .filter(|(k, n)| *n > 0 || !matches!(*k, "linked" | "failed"))
        .map(|(k, n)| format!("{n} {}", plural(k, *n)))
        .collect();
    let tally = |what: &str, t: crate::market::Tally| {
        (t.created + t.updated > 0).then(|| format!("; {what}: {} created, {} updated", t.created, t.updated))
    };
    say!(
        "{} {}: {}{}{}",
        r.lines.len(),
        if r.lines.len() == 1 { "entity" } else { "entities" },
        counts.join(", "),
        tally("accounts", r.accounts).unwrap_or_default(),
        tally("products", r.products).unwrap_or_default(),
    )?;
    if r.dry_run {
        say!("dry run: nothing was written")?;
    } else if !r.changed() && r.count("unchanged") > 0 {
        say!("nothing changed: the file already holds this")?;
    }
    Ok(())
}

/// Entities known by their `list-entities` summary only, under a list: the status cppo
/// derives (a released offer past its expiry is Expired) beside AWS's word.
fn summaries(known: &[SummaryView], end: &'static str) -> anyhow::Result<()> {
    if known.is_empty() {
        return Ok(());
    }
    say!("\nKnown by their AWS summary only (import describe-entity for their terms):")?;
    let mut t = Table::new(&[("ID", Left), ("NAME", Left), ("STATUS", Left), ("AWS STATUS", Left), (end, Left)]);
    for s in known {
        t.row(vec![
            Some(s.id.to_string()),
            Some(s.name.clone().unwrap_or_else(|| "-".into())),
            Some(s.status.map_or("-", |st| st.label()).to_owned()),
            Some(s.aws_status.clone().unwrap_or_else(|| "-".into())),
            Some(opt_date(s.ends_on)),
        ]);
    }
    print(t.render())
}
