//! The JSON contract (DESIGN.md "CLI"), written in one place from the typed views:
//! `tests/cli/json_contract.rs` holds a snapshot per entity and audience. A figure the viewer
//! may not see is absent; a value that does not exist (no end date, an unknown list price,
//! the totals of an offer that plans no quantity yet) is `null`.

use serde_json::{Map, Value, json};

use rust_decimal::Decimal;

use crate::domain::money::unit_price_text;
use crate::domain::{Currency, Money};
use crate::market::views::{
    AccountView, AgreementView, AwsRefusalView, AwsSourceView, DisbursementView, Figure, FinancingView, OfferView,
    OpportunityView, ProductView,
};
use crate::market::{AnyAgreement, AwsAgreementView, Event, RadarRow, SummaryStatus, SummaryView};

/// An object under construction: `set` always writes, `opt` only when there is a value.
struct Obj(Map<String, Value>);

impl Obj {
    fn new() -> Self {
        Self(Map::new())
    }
    fn set(mut self, key: &str, v: impl Into<Value>) -> Self {
        self.0.insert(key.to_owned(), v.into());
        self
    }
    fn opt<T: Into<Value>>(self, key: &str, v: Option<T>) -> Self {
        match v {
            Some(v) => self.set(key, v),
            None => self,
        }
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn text(d: impl ToString) -> Value {
    Value::String(d.to_string())
}

fn opt_text(d: Option<impl ToString>) -> Value {
    d.map_or(Value::Null, text)
}

fn money(m: Money) -> Value {
    Value::String(m.to_plain())
}

/// An amount of the contract value: `null` while no quantity prices it.
fn figure(f: Figure) -> Value {
    f.known().map_or(Value::Null, money)
}

/// A unit price: at least the currency's minor digits (`1434.375`, `1500.00`).
fn unit(d: Decimal, currency: Currency) -> Value {
    Value::String(unit_price_text(d, currency))
}

fn pct(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

fn texts<T: std::fmt::Display>(items: &[T]) -> Value {
    Value::Array(items.iter().map(text).collect())
}

pub fn account(a: &AccountView) -> Value {
    Obj::new()
        .set("id", text(&a.id))
        .set("name", a.name.clone())
        .set("roles", json!(a.roles.names()))
        .opt("partner_kind", a.partner_kind.map(text))
        .done()
}

pub fn product(p: &ProductView) -> Value {
    let dimensions: Vec<Value> = p
        .dimensions
        .iter()
        .map(|d| {
            let list = d.list_price.map(|p| unit(p, Currency::Usd));
            json!({"key": d.key, "unit": d.unit, "pricing": text(d.pricing), "list_price": list})
        })
        .collect();
    json!({
        "id": text(&p.id), "name": p.name, "product_type": text(p.product_type),
        "isv_account_id": text(&p.isv_account_id), "duration": p.duration, "dimensions": dimensions,
    })
}

fn aws(a: &AwsSourceView) -> Value {
    json!({
        "revision": a.revision, "last_modified": a.last_modified, "imported_at": a.imported_at,
        "changed_locally": a.changed_locally, "made_as": a.made_as,
    })
}

fn aws_refusal(r: &AwsRefusalView) -> Value {
    json!({
        "change_set_id": r.change_set_id, "version": r.version, "failure_code": r.failure_code,
        "recorded_at": r.recorded_at, "errors": r.errors,
    })
}

pub fn opportunity(o: &OpportunityView) -> Value {
    let prices: Vec<Value> = o
        .prices
        .iter()
        .map(|p| {
            let mut price = json!({
                "dimension": p.dimension, "pricing": text(p.pricing),
                "list_price": p.list_price.map(|l| unit(l, o.currency)),
                "wholesale_price": unit(p.wholesale_price, o.currency),
            });
            // Only an installment plan from AWS grants units.
            if let Some(n) = p.granted_units {
                price["granted_units"] = json!(n);
            }
            price
        })
        .collect();
    let installments: Vec<Value> =
        o.installments.iter().map(|i| json!({"due_on": text(i.due_on), "amount": money(i.amount)})).collect();
    let rate_cards: Vec<Value> = o
        .rate_cards
        .iter()
        .map(|c| {
            let prices: Vec<Value> = c
                .prices
                .iter()
                .map(|(d, p)| json!({"dimension": d, "wholesale_price": unit(*p, o.currency)}))
                .collect();
            json!({"duration": c.duration, "prices": prices})
        })
        .collect();
    Obj::new()
        .set("id", text(&o.id))
        .set("name", o.name.clone())
        .set("description", o.description.clone())
        .set("product_id", text(&o.product_id))
        .set("product_type", text(o.product_type))
        .set("isv_account_id", text(&o.isv_account_id))
        .set("partner_account_id", text(&o.partner_account_id))
        .set("kind", text(o.kind))
        .set("buyer_account_ids", texts(&o.buyer_account_ids))
        .set("currency", o.currency.code())
        .set("discount_pct", o.discount_pct.map(pct))
        .set("duration", o.duration.clone())
        .set("state", text(o.state))
        .set("status", text(o.status))
        .set("ends_on", opt_text(o.ends_on))
        .set("renewal", o.renewal)
        .set("offers_created", o.offers_created)
        .set("prices", prices)
        // Only an opportunity of several durations has them (the first first).
        .opt("rate_cards", (!rate_cards.is_empty()).then_some(rate_cards))
        .set("installments", installments)
        .set("net_payment_days", o.net_payment_days)
        .set("eula", o.eula.clone())
        .set("ended_by", opt_text(o.ended_by.as_ref()))
        .set("created_on", text(o.created_on))
        .set("version", o.version)
        .set("seen_as", text(o.seen_as))
        .opt("aws", o.aws.as_ref().map(aws))
        .set("summary_only", false)
        .opt("aws_refusal", o.aws_refusal.as_ref().map(aws_refusal))
        .done()
}

pub fn offer(o: &OfferView) -> Value {
    let lines: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            Obj::new()
                .set("dimension", l.dimension.clone())
                .set("pricing", text(l.pricing))
                .set("quantity", l.quantity)
                .set("list_price", l.list_price.map(|d| unit(d, o.currency)))
                .opt("wholesale_price", l.wholesale_price.map(|d| unit(d, o.currency)))
                .opt("buyer_price", l.buyer_price.map(|d| unit(d, o.currency)))
                .opt("buyer_price_by_markup", l.buyer_price_by_markup.map(|d| unit(d, o.currency)))
                .opt("wholesale_total", l.wholesale_total.map(figure))
                .opt("buyer_total", l.buyer_total.map(figure))
                .done()
        })
        .collect();
    let plan: Vec<Value> = o
        .charge_plan
        .iter()
        .map(|c| {
            Obj::new()
                .set("due_on", opt_text(c.due_on))
                .opt("amount", c.amount.map(money))
                .opt("wholesale", c.wholesale.map(money))
                .done()
        })
        .collect();
    Obj::new()
        .set("id", text(&o.id))
        .set("name", o.name.clone())
        .opt("description", o.description.clone())
        .set("opportunity_id", text(&o.opportunity_id))
        .set("product_id", text(&o.product_id))
        .set("isv_account_id", text(&o.isv_account_id))
        .set("partner_account_id", text(&o.partner_account_id))
        .set("buyer_account_id", opt_text(o.buyer_account_id.as_ref()))
        .set("currency", o.currency.code())
        .set("state", text(o.state))
        .set("status", text(o.status))
        .set("expires_on", opt_text(o.expires_on))
        .opt("cancelled_on", o.cancelled_on.map(text))
        .set("duration", o.duration.clone())
        .opt("markup_pct", o.markup_pct.map(pct))
        .opt("wholesale_total", o.wholesale_total.map(figure))
        .opt("buyer_total", o.buyer_total.map(figure))
        .opt("listing_fee_rate", o.listing_fee_rate.map(pct))
        .opt("listing_fee", o.listing_fee.map(figure))
        .opt("isv_net", o.isv_net.map(figure))
        .opt("partner_net", o.partner_net.map(figure))
        .set("quantities_planned", o.quantities_planned)
        .set("agreement_id", opt_text(o.agreement_id.as_ref()))
        .opt("replaces_agreement_id", o.replaces.as_ref().map(text))
        .opt("agreement_ends_on", o.agreement_ends_on.map(text))
        .set("created_on", text(o.created_on))
        .opt("lines", (!lines.is_empty()).then_some(lines))
        .opt("charge_plan", (!plan.is_empty()).then_some(plan))
        .set("version", o.version)
        .set("seen_as", text(o.seen_as))
        .opt("other_buyer_accounts", (!o.other_buyer_accounts.is_empty()).then(|| texts(&o.other_buyer_accounts)))
        .opt("aws", o.aws.as_ref().map(aws))
        .set("summary_only", false)
        .opt("aws_refusal", o.aws_refusal.as_ref().map(aws_refusal))
        .done()
}

/// The keys a summary shares with a held record (`null` where the summary did not say),
/// then its own: `summary_only: true` and `aws_status`, AWS's word.
fn summary(s: &SummaryView, end_key: &str, offer: bool) -> Value {
    let mut o = Obj::new()
        .set("id", s.id.clone())
        .set("name", s.name.clone())
        .set("product_id", s.product_id.clone())
        .set("isv_account_id", opt_text(s.isv_account_id.as_ref()))
        .set("partner_account_id", opt_text(s.partner_account_id.as_ref()));
    if offer {
        o = o.set("opportunity_id", s.opportunity_id.clone());
    }
    o.set("state", s.state)
        .set("status", s.status.map(SummaryStatus::label))
        .set(end_key, opt_text(s.ends_on))
        .set("summary_only", true)
        .set("aws_status", s.aws_status.clone())
        .done()
}

pub fn opportunity_summary(s: &SummaryView) -> Value {
    summary(s, "ends_on", false)
}

pub fn offer_summary(s: &SummaryView) -> Value {
    summary(s, "expires_on", true)
}

pub fn agreement(a: &AgreementView) -> Value {
    let charges: Vec<Value> = a
        .charges
        .iter()
        .map(|c| {
            Obj::new()
                .set("id", text(&c.id))
                .set("due_on", text(c.due_on))
                .opt("amount", c.amount.map(money))
                .opt("wholesale", c.wholesale.map(money))
                .set("paid_on", opt_text(c.paid_on))
                .opt("cancelled_on", c.cancelled_on.map(text))
                .done()
        })
        .collect();
    Obj::new()
        .set("id", text(&a.id))
        .set("offer_id", text(&a.offer_id))
        .set("opportunity_id", text(&a.opportunity_id))
        .set("buyer_account_id", text(&a.buyer_account_id))
        .set("partner_account_id", text(&a.partner_account_id))
        .set("isv_account_id", text(&a.isv_account_id))
        .set("currency", a.currency.code())
        .set("status", a.status.as_str())
        .set("starts_on", text(a.starts_on))
        .set("ends_on", text(a.ends_on))
        .opt("total", a.total.map(money))
        .opt("wholesale_total", a.wholesale_total.map(money))
        .opt("listing_fee_rate", a.listing_fee_rate.map(pct))
        .set("charges", charges)
        .opt("replaces_agreement_id", a.replaces.as_ref().map(text))
        .opt("replaced_by_agreement_id", a.replaced_by.as_ref().map(text))
        .opt("financing", financing(a))
        .opt("paid_by_financier", a.financing.as_ref().map(|f| f.is_funded()).filter(|f| *f))
        .set("seen_as", text(a.seen_as))
        .done()
}

/// The buyer's financing (the financier, the status, the plan); the sellers see only
/// `paid_by_financier`.
fn financing(a: &AgreementView) -> Option<Value> {
    let Some(FinancingView::Full { provider, status, months, amount, plan }) = &a.financing else { return None };
    Some(
        Obj::new()
            .set("provider", provider.as_str())
            .set("status", text(status))
            .set("months", *months)
            .set("amount", money(*amount))
            .set("payments", plan.iter().map(|m| money(*m)).collect::<Vec<_>>())
            .done(),
    )
}

/// An agreement imported from AWS: the keys of cppo's own where they apply (AWS's status
/// word as both `state` and `status`; `ends_on` null for pay-as-you-go), `source: "aws"`, and
/// `offer_imported`: whether the file holds its offer.
pub fn aws_agreement(a: &AwsAgreementView) -> Value {
    let charges: Vec<Value> = a
        .charges
        .iter()
        .map(|c| {
            Obj::new().set("due_on", text(c.due_on)).set("amount", money(c.amount)).set("paid_on", Value::Null).done()
        })
        .collect();
    let currency = a.total.map(|t| t.currency()).or_else(|| a.charges.first().map(|c| c.amount.currency()));
    Obj::new()
        .set("id", text(&a.id))
        .set("source", "aws")
        .set("offer_id", opt_text(a.offer_id.as_ref()))
        .set("offer_imported", a.offer_imported)
        .set("opportunity_id", Value::Null)
        .set("buyer_account_id", text(&a.acceptor))
        .set("partner_account_id", text(&a.proposer))
        .set("isv_account_id", opt_text(a.isv.as_ref()))
        .set("product_id", opt_text(a.product_id.as_ref()))
        .set("agreement_type", opt_text(a.agreement_type.as_ref()))
        .set("currency", opt_text(currency.map(|c| c.code())))
        .set("state", a.status.as_str())
        .set("status", a.status.as_str())
        .set("starts_on", opt_text(a.starts_on))
        .set("ends_on", opt_text(a.ends_on))
        .set("pay_as_you_go", a.ends_on.is_none())
        .opt("total", a.total.map(money))
        .set("charges", charges)
        .set("seen_as", text(a.seen_as))
        .done()
}

/// A row of the renewal radar: its agreement's object, with `ends_in_days` and `renewal`.
pub fn radar(r: &RadarRow) -> Value {
    let mut v = match &r.agreement {
        AnyAgreement::Local(a) => agreement(a),
        AnyAgreement::Aws(a) => aws_agreement(a),
    };
    if let Value::Object(m) = &mut v {
        m.insert("ends_in_days".into(), json!(r.days_left));
        m.insert("renewal".into(), json!(r.renewal().key()));
    }
    v
}

pub fn disbursement(d: &DisbursementView) -> Value {
    Obj::new()
        .set("id", text(&d.id))
        .set("agreement_id", text(&d.agreement_id))
        .set("charge_id", text(&d.charge_id))
        .set("payee_account_id", text(&d.payee_account_id))
        .set("role", d.role)
        .set("amount", money(d.amount))
        .opt("listing_fee", d.listing_fee.map(money))
        .set("currency", d.currency.code())
        .set("paid_on", text(d.paid_on))
        .done()
}

pub fn event(e: &Event) -> Value {
    json!({
        "seq": e.seq, "at": e.at, "actor": e.actor, "entity": e.entity, "entity_id": e.entity_id,
        "action": e.action, "from_state": e.from_state, "to_state": e.to_state, "details": e.details,
    })
}

/// Many of one kind, as a JSON array.
pub fn list<T>(rows: &[T], one: fn(&T) -> Value) -> Value {
    Value::Array(rows.iter().map(one).collect())
}
