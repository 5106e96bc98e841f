//! The flags of `offers create`, `opportunities create` and `opportunities edit` handed to
//! the domain's one parser of typed terms ([`crate::domain::input`]); a field it refuses is
//! reported with its flag first (`--quantity users=x: ...`).

use anyhow::anyhow;

use super::args::{OfferCreate, OpportunityCreate, OpportunityEdit};
use crate::domain::input::{self, Entry, Field, FieldError, OfferText, OpportunityText};
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::{OpportunityKind, OpportunityTerms, WholesaleTerms};
use chrono::NaiveDate;

use crate::domain::{AgreementId, Currency, Opportunity};

/// The flag that types `field`.
fn flag(field: &Field) -> &'static str {
    match field {
        Field::Buyer | Field::Buyers => "--buyer",
        Field::Markup => "--markup",
        Field::Expires => "--expires",
        Field::Quantity(_) => "--quantity",
        Field::Duration => "--duration",
        Field::Partner => "--partner",
        Field::Currency => "--currency",
        Field::Discount => "--discount",
        Field::Price(_) => "--price",
        Field::EndsOn => "--until",
        Field::AgreementEndsOn => "--ends",
        Field::Installment => "--installment",
        Field::Grants => "--grant",
        Field::Months => "--months",
        Field::Provider => "--provider",
    }
}

/// A refused field as one line: its flag (and the entry, for a repeated `KEY=VALUE` flag),
/// then why.
pub fn refused(e: FieldError) -> anyhow::Error {
    match &e.entry {
        Some(entry) => anyhow!("{} {entry}: {}", flag(&e.field), e.message),
        None => anyhow!("{}: {}", flag(&e.field), e.message),
    }
}

fn pairs(given: &[String]) -> Vec<Entry> {
    given.iter().map(|s| Entry::Pair(s.clone())).collect()
}

/// The terms `offers create` types.
pub fn offer(c: &OfferCreate) -> anyhow::Result<OfferTerms> {
    OfferText {
        name: c.name.clone(),
        description: c.description.clone(),
        buyer: c.buyer.clone(),
        markup: c.markup.clone(),
        expires: Some(c.expires.clone()),
        quantities: pairs(&c.quantity),
        duration: c.duration.clone(),
    }
    .parse()
    .map_err(refused)
}

/// What `offers create --replaces AGREEMENT [--ends DATE]` types: the agreement it
/// replaces and the new agreement's end date; `None` for an ordinary offer (clap refuses
/// `--ends` without `--replaces`).
pub fn replacement(c: &OfferCreate) -> anyhow::Result<Option<(AgreementId, Option<NaiveDate>)>> {
    let ends = c.ends.as_deref().map(|d| input::date(Field::AgreementEndsOn, d)).transpose().map_err(refused)?;
    c.replaces.as_deref().map(|a| Ok((AgreementId::parse(a)?, ends))).transpose()
}

/// The terms `opportunities create` types.
pub fn opportunity(c: &OpportunityCreate) -> anyhow::Result<OpportunityTerms> {
    OpportunityText {
        partner: c.partner.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        kind: if c.one_time { OpportunityKind::OneTime } else { OpportunityKind::Recurring },
        buyers: c.buyer.clone(),
        currency: c.currency.clone(),
        // Every dimension granted: no --discount or --price (clap asks for one otherwise).
        discount: c.discount.clone(),
        prices: pairs(&c.price),
        ends_on: c.until.clone(),
        renewal: c.renewal,
        installments: pairs(&c.installment),
        grants: c.grant.clone(),
        net_payment_days: c.net_terms,
        eula_url: c.eula.clone(),
    }
    .parse()
    .map_err(refused)
}

/// The draft's terms with what `opportunities edit` gives replacing them.
pub fn opportunity_edit(o: &Opportunity, e: &OpportunityEdit) -> anyhow::Result<OpportunityTerms> {
    let mut terms = o.terms();
    if let Some(name) = &e.name {
        terms.name = name.clone();
    }
    if let Some(d) = &e.description {
        terms.description = d.clone();
    }
    if let Some(until) = &e.until {
        terms.ends_on = Some(input::date(Field::EndsOn, until).map_err(refused)?);
    }
    if !e.installment.is_empty() {
        terms.installments = installments(&e.installment, o.currency)?;
    }
    if !e.grant.is_empty() {
        terms.grants =
            e.grant.iter().map(|g| input::grants(g)).collect::<Result<Vec<_>, _>>().map_err(refused)?.concat();
        // Granted dimensions take the plan's price: the ones typed before go.
        if let WholesaleTerms::Prices(p) = &mut terms.wholesale {
            p.retain(|(k, _)| !terms.grants.iter().any(|(g, _)| g == k));
        }
    }
    if let Some(d) = &e.discount {
        terms.wholesale = WholesaleTerms::Discount(input::discount(d).map_err(refused)?);
    } else if !e.price.is_empty() {
        let prices = pairs(&e.price).iter().map(input::price_entry).collect::<Result<_, _>>().map_err(refused)?;
        terms.wholesale = WholesaleTerms::Prices(prices);
    }
    Ok(terms)
}

fn installments(
    given: &[String],
    currency: Currency,
) -> anyhow::Result<Vec<(chrono::NaiveDate, rust_decimal::Decimal)>> {
    pairs(given).iter().map(|i| input::installment(i, currency)).collect::<Result<_, _>>().map_err(refused)
}
