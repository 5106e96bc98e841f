//! Printing: `show`'s detail blocks for people (each account's name beside its id), what a
//! command did, the views themselves as JSON. The `list` tables are in `lists`.

use super::json as cj;
use super::lists::{self, Names};
use super::stdout::{json, opt_date, print};
use super::table::{Align, Table, fields};
use crate::domain::error::one_line;
use crate::domain::financing::plan_words;
use crate::domain::money::group_thousands;
use crate::domain::money::unit_price_display;
use crate::domain::{Agreement, FinancingStatus, PricingModel};
use crate::market::AwsAgreementView;
use crate::market::demo::DemoSummary;
use crate::market::scale::ScaleSummary;
use crate::market::views::{AgreementView, DisbursementView, Figure, FinancingView, OfferView, OpportunityView};
use crate::market::words;

use Align::{Left, Right};

/// Accounts separated by commas, each with its name beside its id.
fn joined(ids: &[crate::domain::AccountId], names: &Names) -> String {
    ids.iter().map(|id| names.text(id)).collect::<Vec<_>>().join(", ")
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

pub fn opportunity(o: &OpportunityView, offers_made: &[OfferView], names: &Names, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::opportunity(o));
    }
    let mut pairs = vec![
        ("Opportunity", o.id.to_string()),
        ("Name", o.name.clone()),
        ("Status", o.status.to_string()),
        ("Product", format!("{} ({})", o.product_id, o.product_type)),
        ("ISV", names.text(&o.isv_account_id)),
        ("Partner", names.text(&o.partner_account_id)),
        ("Kind", o.kind.label().into()),
        ("Buyers", if o.buyer_account_ids.is_empty() { "any".into() } else { joined(&o.buyer_account_ids, names) }),
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
        out.push_str(&lists::offers_table(offers_made, names).render());
    }
    print(out)
}

/// The change set AWS refused for a record, and each of its errors, under the other fields.
fn refusal(pairs: &mut Vec<(&'static str, String)>, r: Option<&crate::market::views::AwsRefusalView>) {
    let Some(r) = r else { return };
    pairs.push(("AWS refused", format!("{}: the record stays in cppo as it is", r.words())));
    pairs.extend(r.errors.iter().map(|e| ("AWS error", e.clone())));
}

pub fn offer(o: &OfferView, names: &Names, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::offer(o));
    }
    let cur = o.currency;
    let mut pairs = vec![
        ("Offer", o.id.to_string()),
        ("Name", o.name.clone()),
        ("Status", o.status.to_string()),
        ("Opportunity", o.opportunity_id.to_string()),
        ("Product", o.product_id.to_string()),
        ("Partner", names.text(&o.partner_account_id)),
        (
            "Buyer",
            match &o.buyer_account_id {
                _ if !o.buyer_disclosed => words::BUYER_NOT_DISCLOSED.into(),
                Some(b) => names.text(b),
                None => "(not set)".into(),
            },
        ),
        ("Expires on", opt_date(o.expires_on)),
        ("Duration", format!("{} ({})", o.duration_words, o.duration)),
    ];
    if !o.other_buyer_accounts.is_empty() {
        pairs.insert(7, ("Also to", joined(&o.other_buyer_accounts, names)));
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
    add("Replaces", o.replaces.as_ref().map(|a| format!("{a} (accepting this offer makes it Replaced)")));
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

/// One imported agreement and its charges (from AWS's payment schedule).
pub fn aws_agreement(a: &AwsAgreementView, names: &Names, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::aws_agreement(a));
    }
    let mut pairs = vec![
        ("Agreement", a.id.to_string()),
        ("Status", format!("{} (AWS)", a.status)),
        ("Offer", lists::aws_offer(a)),
        ("Buyer", names.text(&a.acceptor)),
        ("Partner", names.text(&a.proposer)),
        ("ISV", a.isv.as_ref().map_or_else(|| "unknown (offer not imported)".into(), |i| names.text(i))),
        ("Term", format!("{} to {}", a.starts_on.map_or_else(|| "?".into(), |d| d.to_string()), lists::aws_ends(a))),
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

pub fn agreement(a: &AgreementView, mine: &[DisbursementView], names: &Names, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::agreement(a));
    }
    let mut pairs = vec![
        ("Agreement", a.id.to_string()),
        ("Status", a.status.to_string()),
        ("Offer", a.offer_id.to_string()),
        ("Opportunity", a.opportunity_id.to_string()),
        ("Buyer", if a.buyer_disclosed { names.text(&a.buyer_account_id) } else { words::BUYER_NOT_DISCLOSED.into() }),
        ("Partner", names.text(&a.partner_account_id)),
        ("ISV", names.text(&a.isv_account_id)),
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
        let buyer = [(a.id.clone(), (a.buyer_account_id.clone(), a.buyer_disclosed))].into();
        out.push_str(&lists::disbursements_table(mine, &buyer, names).render());
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
pub fn financed(a: &AgreementView, names: &Names, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(&cj::agreement(a));
    }
    // Only the buyer finances, and the buyer sees its financing: anything else shows as
    // the agreement does.
    let Some(FinancingView::Full { provider, status, amount, plan, .. }) = &a.financing else {
        return agreement(a, &[], names, false);
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
