//! The `list` commands' output: aligned tables for people with each account's name beside
//! its id, the same tables as CSV (`--csv`) for a spreadsheet, or the views as JSON (ids
//! only: the contract). `show`'s detail blocks are in `output`.

use std::collections::HashMap;

use super::json as cj;
use super::stdout::{json, opt_date, print};
use super::table::{Align, Cell, Table};
use crate::domain::account::PartnerKind;
use crate::domain::error::one_line;
use crate::domain::money::unit_price_text;
use crate::domain::visibility::Audience;
use crate::domain::{AccountId, AgreementId, Currency};
use crate::market::actions::{ReviewQueue, ReviewTarget};
use crate::market::views::{
    AccountView, AgreementView, DisbursementView, Figure, OfferView, OpportunityView, ProductView,
};
use crate::market::{AnyAgreement, AwsAgreementView, Event, RadarRow, SummaryView, words};

use Align::{Left, Right};

/// How a list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned table.
    Text,
    /// The views, as the JSON contract writes them.
    Json,
    /// The table as CSV.
    Csv,
}

/// The names of the file's accounts, to print beside their ids (accounts are a public
/// listing: every account sees them).
pub struct Names(HashMap<AccountId, String>);

impl Names {
    pub fn of(accounts: &[AccountView]) -> Self {
        Self(accounts.iter().map(|a| (a.id.clone(), a.name.clone())).collect())
    }

    /// An account as a cell: its id, its name beside it.
    pub fn party(&self, id: &AccountId) -> Cell {
        Cell::Party { id: id.to_string(), name: self.0.get(id).cloned() }
    }

    /// An account in a line of text: `333333333333 Contoso Retail Ltd` (the id alone when the
    /// file knows no other name for it).
    pub fn text(&self, id: &AccountId) -> String {
        match self.0.get(id) {
            Some(n) if n != id.as_str() => format!("{id} {n}"),
            _ => id.to_string(),
        }
    }
}

/// Prints `t` as `format` says (JSON is the caller's).
fn emit(t: &Table, format: Format) -> anyhow::Result<()> {
    print(if format == Format::Csv { t.csv() } else { t.render() })
}

fn text(s: impl ToString) -> Option<Cell> {
    Some(Cell::Text(s.to_string()))
}

/// An amount of the contract value: unknown while no quantity prices it.
fn figure(f: Figure) -> Cell {
    match f.known() {
        Some(m) => Cell::Money(m),
        None => Cell::Text(f.short()),
    }
}

/// The buyer as the viewer may know it: the ISV of a recurring opportunity is not told.
fn buyer(names: &Names, id: &AccountId, disclosed: bool) -> Cell {
    if disclosed { names.party(id) } else { Cell::Text(words::BUYER_NOT_DISCLOSED_SHORT.into()) }
}

pub fn accounts(rows: &[AccountView], format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
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
    emit(&t, format)
}

pub fn products(rows: &[ProductView], names: &Names, format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
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
        t.cells(vec![
            text(&p.id),
            text(&p.name),
            text(p.product_type),
            Some(names.party(&p.isv_account_id)),
            text(&p.duration),
            text(dims.join(", ")),
        ]);
    }
    emit(&t, format)
}

/// The opportunities, then those known by their AWS summary only (in JSON, one array).
pub fn opportunities(
    rows: &[OpportunityView],
    known: &[SummaryView],
    names: &Names,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
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
        t.cells(vec![
            text(&o.id),
            text(&o.name),
            text(&o.product_id),
            Some(names.party(&o.isv_account_id)),
            Some(names.party(&o.partner_account_id)),
            text(o.kind.label()),
            text(o.discount_pct.as_ref().map_or_else(|| "custom".into(), |d| format!("{d}%"))),
            text(o.currency.code()),
            text(o.status),
            text(opt_date(o.ends_on)),
            text(o.offers_created),
        ]);
    }
    emit(&t, format)?;
    summaries(known, "ENDS ON", format)
}

/// The offers table: the buyer (the partner's and the ISV's rows; `undisclosed` where AWS
/// does not tell the ISV), the partner (the ISV's and the buyer's rows: the reseller, the
/// seller of record), and each figure the viewer may see.
pub fn offers_table(rows: &[OfferView], names: &Names) -> Table {
    let mut t = Table::new(&[
        ("OFFER", Left),
        ("NAME", Left),
        ("BUYER", Left),
        ("PARTNER", Left),
        ("STATUS", Left),
        ("EXPIRES ON", Left),
        ("MARKUP", Right),
        ("WHOLESALE", Right),
        ("BUYER TOTAL", Right),
    ]);
    for o in rows {
        let shown_buyer = o.buyer_account_id.as_ref().map(|b| buyer(names, b, o.buyer_disclosed));
        t.cells(vec![
            text(&o.id),
            text(&o.name),
            Some(shown_buyer.unwrap_or_else(|| "-".into())),
            (o.seen_as != Audience::Partner).then(|| names.party(&o.partner_account_id)),
            text(o.status),
            text(opt_date(o.expires_on)),
            o.markup_pct.map(|m| Cell::Text(format!("{m}%"))),
            o.wholesale_total.map(figure),
            o.buyer_total.map(figure),
        ]);
    }
    t
}

/// The offers, then those known by their AWS summary only (in JSON, one array).
pub fn offers(rows: &[OfferView], known: &[SummaryView], names: &Names, format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
        return json(&with_summaries(cj::list(rows, cj::offer), known, cj::offer_summary));
    }
    emit(&offers_table(rows, names), format)?;
    summaries(known, "EXPIRES ON", format)
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

/// cppo's own agreements, then those imported from AWS (soonest end first).
pub fn agreements(
    rows: &[AgreementView],
    imported: &[AwsAgreementView],
    names: &Names,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
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
        t.cells(vec![
            text(&a.id),
            text(&a.offer_id),
            Some(buyer(names, &a.buyer_account_id, a.buyer_disclosed)),
            Some(names.party(&a.partner_account_id)),
            text(a.status),
            text(a.starts_on),
            text(a.ends_on),
            a.total.map(Cell::Money),
            a.wholesale_total.map(Cell::Money),
            text(format!("{paid}/{}", a.charges.len())),
        ]);
    }
    for a in imported {
        t.cells(vec![
            text(&a.id),
            text(aws_offer(a)),
            Some(names.party(&a.acceptor)),
            Some(names.party(&a.proposer)),
            text(format!("{} (AWS)", a.status)),
            a.starts_on.and_then(text),
            text(aws_ends(a)),
            a.total.map(Cell::Money),
            None,
            None,
        ]);
    }
    emit(&t, format)
}

/// An imported agreement's offer, saying when the file does not hold it.
pub fn aws_offer(a: &AwsAgreementView) -> String {
    match (&a.offer_id, a.offer_imported) {
        (Some(id), true) => id.clone(),
        (Some(id), false) => format!("{} (offer not imported)", one_line(id)),
        (None, _) => "(offer not imported)".into(),
    }
}

/// An imported agreement's end: its day, or pay-as-you-go.
pub fn aws_ends(a: &AwsAgreementView) -> String {
    a.ends_on.map_or_else(|| "pay-as-you-go".to_owned(), |d| d.to_string())
}

/// The renewal radar: agreements ending soonest first, with what has been done about each.
pub fn radar(rows: &[RadarRow], names: &Names, format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
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
        let (shown_buyer, partner, status, total) = match &r.agreement {
            AnyAgreement::Local(a) => (
                buyer(names, &a.buyer_account_id, a.buyer_disclosed),
                names.party(&a.partner_account_id),
                a.status.to_string(),
                a.total,
            ),
            AnyAgreement::Aws(a) => {
                (names.party(&a.acceptor), names.party(&a.proposer), format!("{} (AWS)", a.status), a.total)
            }
        };
        let days = if r.days_left == 1 { "1 day".to_owned() } else { format!("{} days", r.days_left) };
        t.cells(vec![
            text(r.id()),
            Some(shown_buyer),
            Some(partner),
            text(r.ends_on),
            text(days),
            text(status),
            total.map(Cell::Money),
            text(words::renewal(r.renewal())),
        ]);
    }
    emit(&t, format)
}

/// The payouts table: each with the agreement's buyer as the viewer may know it
/// (`buyers`: the viewer's agreements, by id).
pub fn disbursements_table(
    rows: &[DisbursementView],
    buyers: &HashMap<AgreementId, (AccountId, bool)>,
    names: &Names,
) -> Table {
    let mut t = Table::new(&[
        ("DISBURSEMENT", Left),
        ("AGREEMENT", Left),
        ("BUYER", Left),
        ("ROLE", Left),
        ("AMOUNT", Right),
        ("LISTING FEE", Right),
        ("PAID ON", Left),
    ]);
    for d in rows {
        t.cells(vec![
            text(&d.id),
            text(&d.agreement_id),
            buyers.get(&d.agreement_id).map(|(b, disclosed)| buyer(names, b, *disclosed)),
            text(d.role),
            Some(Cell::Money(d.amount)),
            d.listing_fee.map(Cell::Money),
            text(d.paid_on),
        ]);
    }
    t
}

pub fn disbursements(
    rows: &[DisbursementView],
    agreements: &[AgreementView],
    names: &Names,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        return json(&cj::list(rows, cj::disbursement));
    }
    let buyers = agreements.iter().map(|a| (a.id.clone(), (a.buyer_account_id.clone(), a.buyer_disclosed))).collect();
    emit(&disbursements_table(rows, &buyers, names), format)
}

pub fn events(rows: &[Event], names: &Names, format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
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
        let actor = AccountId::parse(&e.actor).map_or_else(|_| Cell::Text(e.actor.clone()), |id| names.party(&id));
        t.cells(vec![
            text(e.seq),
            text(e.at.chars().take(19).collect::<String>()),
            Some(actor),
            text(&e.entity),
            text(&e.entity_id),
            text(&e.action),
            text(state),
        ]);
    }
    emit(&t, format)
}

/// Entities known by their `list-entities` summary only, under a list: the status cppo
/// derives (a released offer past its expiry is Expired) beside AWS's word. A CSV holds
/// one table: they are counted on standard error instead.
fn summaries(known: &[SummaryView], end: &'static str, format: Format) -> anyhow::Result<()> {
    if known.is_empty() {
        return Ok(());
    }
    if format == Format::Csv {
        note!(
            "note: {} more known by their AWS summary only are not in the CSV (import their describe-entity, or see --json)",
            known.len()
        );
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

/// The review queue (`cppo review`): what needs the acting account, nearest deadline first,
/// each with the record it is about. A queue cut at its limit says so on standard error.
pub fn review(q: &ReviewQueue, format: Format) -> anyhow::Result<()> {
    let record = |t: &ReviewTarget| match t {
        ReviewTarget::Opportunity(id) => ("opportunity", id.to_string()),
        ReviewTarget::Offer(id) => ("offer", id.to_string()),
        ReviewTarget::Agreement(id) => ("agreement", id.to_string()),
    };
    if q.capped {
        note!("note: some kinds have more items than the queue lists: the nearest deadlines of each are shown");
    }
    if format == Format::Json {
        let items: Vec<serde_json::Value> = q
            .items
            .iter()
            .map(|i| {
                let (kind, id) = record(&i.target);
                serde_json::json!({
                    "kind": i.kind.key(), "record_type": kind, "record_id": id, "title": i.title,
                    "why": i.why, "due_on": i.due.map(|d| d.to_string()), "overdue": i.overdue,
                })
            })
            .collect();
        return json(&items);
    }
    if q.items.is_empty() && format == Format::Text {
        return Ok(say!("Nothing needs you now.")?);
    }
    let mut t = Table::new(&[("DUE", Left), ("KIND", Left), ("RECORD", Left), ("WHAT", Left), ("WHY", Left)]);
    for i in &q.items {
        t.cells(vec![
            text(opt_date(i.due)),
            text(i.kind.key()),
            text(record(&i.target).1),
            text(&i.title),
            text(&i.why),
        ]);
    }
    emit(&t, format)
}
