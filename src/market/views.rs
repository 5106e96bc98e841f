//! What an account is shown: records with the fields `domain::visibility` allows, in the
//! shape of the JSON contract (DESIGN.md "CLI"). Absent fields are absent, not null.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::money::unit_price_text as unit;
use crate::domain::pricing::Breakdown;
use crate::domain::visibility::{Audience, Fields};
use crate::domain::{Account, Agreement, Currency, Disbursement, Money, Opportunity, OpportunityKind, Product};
use crate::store::offers::OfferRecord;

fn money(m: Money) -> String {
    m.to_plain()
}

fn pct(d: Decimal) -> String {
    d.normalize().to_string()
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub roles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_kind: Option<&'static str>,
}

impl AccountView {
    pub fn of(a: &Account) -> Self {
        Self {
            id: a.id.to_string(),
            name: a.name.clone(),
            roles: a.roles.names(),
            partner_kind: a.partner_kind.map(|k| k.as_str()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    pub key: String,
    pub unit: String,
    pub pricing: &'static str,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductView {
    pub id: String,
    pub name: String,
    pub product_type: &'static str,
    pub isv_account_id: String,
    pub duration: String,
    pub dimensions: Vec<DimensionView>,
}

impl ProductView {
    pub fn of(p: &Product) -> Self {
        Self {
            id: p.id.to_string(),
            name: p.title.clone(),
            product_type: p.product_type.as_str(),
            isv_account_id: p.isv.to_string(),
            duration: p.duration.to_string(),
            dimensions: p
                .dimensions
                .iter()
                .map(|d| DimensionView {
                    key: d.key.clone(),
                    unit: d.unit.clone(),
                    pricing: d.pricing.as_str(),
                    list_price: d.list_price.map(|p| unit(p, Currency::Usd)),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PriceView {
    pub dimension: String,
    pub pricing: &'static str,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<String>,
    pub wholesale_price: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstallmentView {
    pub due_on: NaiveDate,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpportunityView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub product_id: String,
    pub product_type: &'static str,
    pub isv_account_id: String,
    pub partner_account_id: String,
    pub kind: &'static str,
    pub buyer_account_ids: Vec<String>,
    pub currency: &'static str,
    pub discount_pct: Option<String>,
    pub duration: String,
    /// The duration in words ("12 months", "450 days"), for people.
    #[serde(skip)]
    pub duration_words: String,
    pub state: &'static str,
    pub status: &'static str,
    pub ends_on: Option<NaiveDate>,
    pub renewal: bool,
    pub offers_created: u32,
    pub prices: Vec<PriceView>,
    pub installments: Vec<InstallmentView>,
    pub net_payment_days: Option<u32>,
    pub eula: String,
    pub ended_by: Option<String>,
    pub created_on: NaiveDate,
    pub version: i64,
    /// In which capacity the viewer sees it.
    pub seen_as: &'static str,
    /// Where it came from on AWS, when imported (detail views).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsSourceView>,
}

/// An imported record's origin on AWS Marketplace.
#[derive(Debug, Clone, Serialize)]
pub struct AwsSourceView {
    pub revision: Option<String>,
    pub last_modified: Option<String>,
    pub imported_at: String,
    /// Changed in cppo since its import (an export would send the difference).
    pub changed_locally: bool,
}

impl AwsSourceView {
    pub fn of(s: &crate::domain::sync::AwsSource, version: i64) -> Self {
        Self {
            revision: s.revision.clone(),
            last_modified: s.last_modified.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            imported_at: s.imported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            changed_locally: s.changed_locally(version),
        }
    }

    /// One line for people: "AWS Marketplace, revision 7, imported 2026-11-30 09:00 UTC".
    pub fn words(&self) -> String {
        let mut w = "AWS Marketplace".to_owned();
        if let Some(r) = &self.revision {
            w.push_str(&format!(", revision {r}"));
        }
        w.push_str(&format!(", imported {}", self.imported_at));
        if self.changed_locally {
            w.push_str("; changed in cppo since (export to send it)");
        }
        w
    }
}

impl OpportunityView {
    pub fn of(o: &Opportunity, audience: Audience, today: NaiveDate) -> Self {
        Self {
            id: o.id.to_string(),
            name: o.name.clone(),
            description: o.description.clone(),
            product_id: o.product_id.to_string(),
            product_type: o.product_type.as_str(),
            isv_account_id: o.isv.to_string(),
            partner_account_id: o.partner.to_string(),
            kind: o.kind.as_str(),
            buyer_account_ids: o.buyers.iter().map(ToString::to_string).collect(),
            currency: o.currency.code(),
            discount_pct: o.discount_pct.map(pct),
            duration: o.duration.to_string(),
            duration_words: o.duration.words(),
            state: o.state.as_str(),
            status: o.status(today).label(),
            ends_on: o.ends_on,
            renewal: o.renewal,
            offers_created: o.offers_created,
            prices: o
                .prices
                .iter()
                .map(|p| PriceView {
                    dimension: p.dimension.clone(),
                    pricing: p.pricing.as_str(),
                    list_price: p.list_price.map(|l| unit(l, o.currency)),
                    wholesale_price: unit(p.wholesale_price, o.currency),
                })
                .collect(),
            installments: o
                .installments
                .iter()
                .map(|i| InstallmentView { due_on: i.due_on, amount: money(i.amount) })
                .collect(),
            net_payment_days: o.net_payment_days,
            eula: o.eula_url.clone().unwrap_or_else(|| "Standard Contract for AWS Marketplace".into()),
            ended_by: o.ended_by.as_ref().map(ToString::to_string),
            created_on: o.created_on,
            version: o.version,
            seen_as: audience.as_str(),
            aws: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub dimension: String,
    pub pricing: &'static str,
    pub quantity: u64,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale_total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_total: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedChargeView {
    /// `None`: charged when the buyer accepts.
    pub due_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferView {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub opportunity_id: String,
    pub product_id: String,
    pub isv_account_id: String,
    pub partner_account_id: String,
    pub buyer_account_id: Option<String>,
    pub currency: &'static str,
    pub state: &'static str,
    pub status: &'static str,
    pub expires_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup_pct: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale_total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_fee_rate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_fee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isv_net: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_net: Option<String>,
    pub agreement_id: Option<String>,
    pub created_on: NaiveDate,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineView>,
    /// What acceptance would charge, and when (detail views).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub charge_plan: Vec<PlannedChargeView>,
    pub version: i64,
    pub seen_as: &'static str,
    /// The buyer's other AWS accounts the offer also targets (when the viewer sees the buyer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_buyer_accounts: Vec<String>,
    /// Where it came from on AWS, when imported (detail views).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsSourceView>,
}

impl OfferView {
    /// An offer as `audience` sees it; `breakdown` adds the per-line prices (detail views).
    pub fn of(rec: &OfferRecord, audience: Audience, today: NaiveDate, breakdown: Option<&Breakdown>) -> Self {
        let f = Fields::for_offer(audience, rec.kind);
        let o = &rec.offer;
        let fig = &rec.figures;
        let show = |on: bool, m: Money| on.then(|| money(m));
        let buyer_shown =
            if f.end_buyer { o.buyer.as_ref().map(ToString::to_string) } else { Some(o.partner.to_string()) };
        let lines = breakdown
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| LineView {
                        dimension: l.dimension.clone(),
                        pricing: l.pricing.as_str(),
                        quantity: l.quantity,
                        list_price: l.list_unit.map(|u| unit(u, o.currency)),
                        wholesale_price: f.wholesale.then(|| unit(l.wholesale_unit, o.currency)),
                        buyer_price: f.buyer_price.then(|| unit(l.buyer_unit, o.currency)),
                        wholesale_total: show(f.wholesale, l.wholesale_total),
                        buyer_total: show(f.buyer_price, l.buyer_total),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let charge_plan = breakdown
            .map(|b| {
                b.charges
                    .iter()
                    .map(|c| PlannedChargeView {
                        due_on: c.due_on,
                        amount: show(f.buyer_price, c.buyer),
                        wholesale: show(f.wholesale, c.wholesale),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            id: o.id.to_string(),
            name: o.name.clone(),
            description: f.description.then(|| o.description.clone()),
            opportunity_id: o.opportunity_id.to_string(),
            product_id: o.product_id.to_string(),
            isv_account_id: o.isv.to_string(),
            partner_account_id: o.partner.to_string(),
            buyer_account_id: buyer_shown,
            currency: o.currency.code(),
            state: o.state.as_str(),
            status: o.status(today).label(),
            expires_on: o.expires_on,
            markup_pct: f.markup.then(|| pct(o.markup_pct)),
            wholesale_total: show(f.wholesale, fig.wholesale_total),
            buyer_total: show(f.buyer_price, fig.buyer_total),
            listing_fee_rate: f.fee.then(|| pct(fig.fee_rate_pct)),
            listing_fee: show(f.fee, fig.listing_fee),
            isv_net: show(f.isv_net, fig.isv_net()),
            partner_net: show(f.partner_net, fig.partner_net()),
            agreement_id: o.agreement_id.as_ref().map(ToString::to_string),
            created_on: o.created_on,
            lines,
            charge_plan,
            version: o.version,
            seen_as: audience.as_str(),
            other_buyer_accounts: if f.end_buyer {
                o.buyer_accounts.iter().map(ToString::to_string).collect()
            } else {
                Vec::new()
            },
            aws: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChargeView {
    pub id: String,
    pub due_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale: Option<String>,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    pub id: String,
    pub offer_id: String,
    pub opportunity_id: String,
    pub buyer_account_id: String,
    pub partner_account_id: String,
    pub isv_account_id: String,
    pub currency: &'static str,
    pub status: &'static str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wholesale_total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_fee_rate: Option<String>,
    pub charges: Vec<ChargeView>,
    pub seen_as: &'static str,
}

impl AgreementView {
    pub fn of(a: &Agreement, audience: Audience, kind: OpportunityKind, today: NaiveDate) -> Self {
        let f = Fields::for_offer(audience, kind);
        Self {
            id: a.id.to_string(),
            offer_id: a.offer_id.to_string(),
            opportunity_id: a.opportunity_id.to_string(),
            buyer_account_id: if f.end_buyer { a.buyer.to_string() } else { a.partner.to_string() },
            partner_account_id: a.partner.to_string(),
            isv_account_id: a.isv.to_string(),
            currency: a.currency.code(),
            status: a.status(today).as_str(),
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            total: f.buyer_price.then(|| money(a.total)),
            wholesale_total: f.wholesale.then(|| money(a.wholesale_total)),
            listing_fee_rate: f.fee.then(|| pct(a.fee_rate_pct)),
            charges: a
                .charges
                .iter()
                .map(|c| ChargeView {
                    id: c.id.to_string(),
                    due_on: c.due_on,
                    amount: f.buyer_price.then(|| money(c.amount)),
                    wholesale: f.wholesale.then(|| money(c.wholesale)),
                    paid_on: c.paid_on,
                })
                .collect(),
            seen_as: audience.as_str(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DisbursementView {
    pub id: String,
    pub agreement_id: String,
    pub charge_id: String,
    pub payee_account_id: String,
    pub role: &'static str,
    pub amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_fee: Option<String>,
    pub currency: &'static str,
    pub paid_on: NaiveDate,
}

impl DisbursementView {
    pub fn of(d: &Disbursement) -> Self {
        Self {
            id: d.id.to_string(),
            agreement_id: d.agreement_id.to_string(),
            charge_id: d.charge_id.to_string(),
            payee_account_id: d.payee.to_string(),
            role: d.role.as_str(),
            amount: money(d.amount),
            listing_fee: d.listing_fee.map(money),
            currency: d.amount.currency().code(),
            paid_on: d.paid_on,
        }
    }
}
