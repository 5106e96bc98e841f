//! What an account is shown: records with the fields `domain::visibility` allows, in the
//! shape of the JSON contract (DESIGN.md "CLI"). Absent fields are absent, not null.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::account::PartnerKind;
use crate::domain::pricing::Breakdown;
use crate::domain::visibility::{self, Audience, Fields, FinancingSight};
use crate::domain::{
    Account, AccountId, Agreement, AgreementId, AgreementStatus, ChargeId, Currency, Disbursement, OfferId, OfferState,
    OfferStatus, OpportunityId, OpportunityState, OpportunityStatus, PricingModel, ProductId, ProductType, Roles,
};
use crate::domain::{Financing, FinancingStatus, Money, Opportunity, OpportunityKind, Product};
use crate::store::offers::OfferRecord;

fn pct(d: Decimal) -> Decimal {
    d.normalize()
}

#[derive(Debug, Clone)]
pub struct AccountView {
    pub id: AccountId,
    pub name: String,
    pub roles: Roles,
    pub partner_kind: Option<PartnerKind>,
}

impl AccountView {
    pub fn of(a: &Account) -> Self {
        Self { id: a.id.clone(), name: a.name.clone(), roles: a.roles, partner_kind: a.partner_kind }
    }
}

#[derive(Debug, Clone)]
pub struct DimensionView {
    pub key: String,
    pub unit: String,
    pub pricing: PricingModel,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct ProductView {
    pub id: ProductId,
    pub name: String,
    pub product_type: ProductType,
    pub isv_account_id: AccountId,
    pub duration: String,
    pub dimensions: Vec<DimensionView>,
}

impl ProductView {
    pub fn of(p: &Product) -> Self {
        Self {
            id: p.id.clone(),
            name: p.title.clone(),
            product_type: p.product_type,
            isv_account_id: p.isv.clone(),
            duration: p.duration.to_string(),
            dimensions: p
                .dimensions
                .iter()
                .map(|d| DimensionView {
                    key: d.key.clone(),
                    unit: d.unit.clone(),
                    pricing: d.pricing,
                    list_price: d.list_price,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PriceView {
    pub dimension: String,
    pub pricing: PricingModel,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<Decimal>,
    pub wholesale_price: Decimal,
    /// The units a fixed upfront price grants (an installment plan from AWS): every offer
    /// buys these.
    pub granted_units: Option<u64>,
}

/// The contract prices of one duration an opportunity offers.
#[derive(Debug, Clone)]
pub struct RateCardView {
    pub duration: String,
    /// "36 months", for people.
    pub duration_words: String,
    /// `(dimension, wholesale unit price)` of each contract dimension.
    pub prices: Vec<(String, Decimal)>,
}

#[derive(Debug, Clone)]
pub struct InstallmentView {
    pub due_on: NaiveDate,
    pub amount: Money,
}

#[derive(Debug, Clone)]
pub struct OpportunityView {
    pub id: OpportunityId,
    pub name: String,
    pub description: String,
    pub product_id: ProductId,
    pub product_type: ProductType,
    pub isv_account_id: AccountId,
    pub partner_account_id: AccountId,
    pub kind: OpportunityKind,
    pub buyer_account_ids: Vec<AccountId>,
    pub currency: Currency,
    pub discount_pct: Option<Decimal>,
    pub duration: String,
    /// The duration in words ("12 months", "450 days"), for people.
    pub duration_words: String,
    pub state: OpportunityState,
    pub status: OpportunityStatus,
    pub ends_on: Option<NaiveDate>,
    pub renewal: bool,
    pub offers_created: u32,
    pub prices: Vec<PriceView>,
    /// Every duration it offers with its contract prices, the first first; empty when it
    /// offers one (then `duration` and `prices` say it all).
    pub rate_cards: Vec<RateCardView>,
    pub installments: Vec<InstallmentView>,
    pub net_payment_days: Option<u32>,
    pub eula: String,
    /// A custom EULA's URL; `None` for the standard contract (what `eula` says in words).
    pub eula_url: Option<String>,
    pub ended_by: Option<AccountId>,
    pub created_on: NaiveDate,
    pub version: i64,
    /// In which capacity the viewer sees it.
    pub seen_as: Audience,
    /// Where it came from on AWS, when imported (detail views).
    pub aws: Option<AwsSourceView>,
    /// The change set AWS refused for it, shown to its exporter (detail views).
    pub aws_refusal: Option<AwsRefusalView>,
    /// The opportunity itself (its ISV and its partner see every term): what the offer form
    /// prices an offer from, without asking the store.
    pub terms: Box<Opportunity>,
}

/// An imported record's origin on AWS Marketplace.
#[derive(Debug, Clone)]
pub struct AwsSourceView {
    pub revision: Option<String>,
    pub last_modified: Option<String>,
    pub imported_at: String,
    /// Changed in cppo since its import (an export would send the difference).
    pub changed_locally: bool,
    /// Made in cppo: its id then, for a record linked to the entity its export created.
    pub made_as: Option<String>,
}

impl AwsSourceView {
    pub fn of(s: &crate::domain::sync::AwsSource, version: i64) -> Self {
        Self {
            // Escaped: a file written before revisions obeyed the text rules may hold any bytes.
            revision: s.revision.as_deref().map(crate::domain::error::one_line),
            last_modified: s.last_modified.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            imported_at: s.imported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            changed_locally: s.changed_locally(version),
            made_as: None,
        }
    }

    /// One line for people: "AWS Marketplace, revision 7, imported 2026-11-30 09:00 UTC".
    pub fn words(&self) -> String {
        let mut w = "AWS Marketplace".to_owned();
        if let Some(r) = &self.revision {
            w.push_str(&format!(", revision {r}"));
        }
        match &self.made_as {
            Some(id) => w.push_str(&format!(", linked {} (made in cppo as {id})", self.imported_at)),
            None => w.push_str(&format!(", imported {}", self.imported_at)),
        }
        if self.changed_locally {
            w.push_str("; changed in cppo since (export to send it)");
        }
        w
    }
}

/// A change set AWS refused (FAILED) for a record, as AWS explained it.
#[derive(Debug, Clone)]
pub struct AwsRefusalView {
    pub change_set_id: String,
    /// The record's version it was exported from.
    pub version: i64,
    pub failure_code: Option<String>,
    pub recorded_at: String,
    /// One line per error: `ChangeType: CODE message`, escaped (they echo AWS's answer).
    pub errors: Vec<String>,
}

impl AwsRefusalView {
    pub fn of(r: &crate::domain::sync::AwsRefusal) -> Self {
        use crate::domain::error::one_line;
        let errors = r
            .errors
            .iter()
            .map(|e| match e.change_type.as_str() {
                "" => one_line(&format!("{} {}", e.code, e.message)),
                t => one_line(&format!("{t}: {} {}", e.code, e.message)),
            })
            .collect();
        Self {
            change_set_id: one_line(&r.change_set_id),
            version: r.version,
            failure_code: r.failure_code.as_deref().map(one_line),
            recorded_at: r.recorded_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            errors,
        }
    }

    /// One line for people, after "AWS refused": "change set X (CLIENT_ERROR) of version 2,
    /// 2026-11-30 09:00 UTC".
    pub fn words(&self) -> String {
        let code = self.failure_code.as_deref().map_or_else(String::new, |c| format!(" ({c})"));
        format!("change set {}{code} of version {}, {}", self.change_set_id, self.version, self.recorded_at)
    }
}

impl OpportunityView {
    pub fn of(o: &Opportunity, audience: Audience, today: NaiveDate) -> Self {
        Self {
            id: o.id.clone(),
            name: o.name.clone(),
            description: o.description.clone(),
            product_id: o.product_id.clone(),
            product_type: o.product_type,
            isv_account_id: o.isv.clone(),
            partner_account_id: o.partner.clone(),
            kind: o.kind,
            buyer_account_ids: o.buyers.clone(),
            currency: o.currency,
            discount_pct: o.discount_pct.map(pct),
            duration: o.duration.to_string(),
            duration_words: o.duration.words(),
            state: o.state,
            status: o.status(today),
            ends_on: o.ends_on,
            renewal: o.renewal,
            offers_created: o.offers_created,
            prices: o
                .prices
                .iter()
                .map(|p| PriceView {
                    dimension: p.dimension.clone(),
                    pricing: p.pricing,
                    list_price: p.list_price,
                    wholesale_price: p.wholesale_price,
                    granted_units: p.granted_units,
                })
                .collect(),
            rate_cards: rate_cards(o),
            installments: o
                .installments
                .iter()
                .map(|i| InstallmentView { due_on: i.due_on, amount: i.amount })
                .collect(),
            net_payment_days: o.net_payment_days,
            eula: o.eula_url.clone().unwrap_or_else(|| "Standard Contract for AWS Marketplace".into()),
            eula_url: o.eula_url.clone(),
            ended_by: o.ended_by.clone(),
            created_on: o.created_on,
            version: o.version,
            seen_as: audience,
            aws: None,
            aws_refusal: None,
            terms: Box::new(o.clone()),
        }
    }
}

/// Every rate card of `o` when it offers several durations.
fn rate_cards(o: &Opportunity) -> Vec<RateCardView> {
    if o.rate_cards.is_empty() {
        return Vec::new();
    }
    o.durations()
        .into_iter()
        .filter_map(|d| o.for_duration(d).ok())
        .map(|priced| RateCardView {
            duration: priced.duration.to_string(),
            duration_words: priced.duration.words(),
            prices: priced
                .prices
                .iter()
                .filter(|p| p.pricing == PricingModel::Contract)
                .map(|p| (p.dimension.clone(), p.wholesale_price))
                .collect(),
        })
        .collect()
}

/// An amount of an offer's contract value: known, or not until its quantities are planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Known(Money),
    /// The offer sells by contract and plans no quantity (AWS lets the buyer pick units when
    /// accepting): there is no contract value yet (JSON `null`).
    Unplanned,
}

impl Figure {
    /// The amount, when known.
    pub fn known(self) -> Option<Money> {
        match self {
            Self::Known(m) => Some(m),
            Self::Unplanned => None,
        }
    }

    /// For people: the amount with its currency, or that no quantity is planned yet.
    pub fn text(self) -> String {
        self.known().map_or_else(|| super::words::NO_QUANTITIES.to_owned(), |m| m.display())
    }

    /// [`text`](Self::text) for a table's money column.
    pub fn short(self) -> String {
        self.known().map_or_else(|| super::words::NO_QUANTITIES_SHORT.to_owned(), |m| m.display())
    }
}

#[derive(Debug, Clone)]
pub struct LineView {
    pub dimension: String,
    pub pricing: PricingModel,
    pub quantity: u64,
    /// `None` when unknown (JSON `null`).
    pub list_price: Option<Decimal>,
    pub wholesale_price: Option<Decimal>,
    pub buyer_price: Option<Decimal>,
    /// When `buyer_price` is AWS's own (it differs from wholesale x markup): what cppo
    /// computes (shown to the partner alone).
    pub buyer_price_by_markup: Option<Decimal>,
    pub wholesale_total: Option<Figure>,
    pub buyer_total: Option<Figure>,
}

#[derive(Debug, Clone)]
pub struct PlannedChargeView {
    /// `None`: charged when the buyer accepts.
    pub due_on: Option<NaiveDate>,
    pub amount: Option<Money>,
    pub wholesale: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct OfferView {
    pub id: OfferId,
    pub name: String,
    pub description: Option<String>,
    pub opportunity_id: OpportunityId,
    pub product_id: ProductId,
    pub isv_account_id: AccountId,
    pub partner_account_id: AccountId,
    /// The end buyer; the partner where the viewer is not told the end buyer
    /// (`buyer_disclosed`), as AWS reports it.
    pub buyer_account_id: Option<AccountId>,
    /// False for the ISV of a recurring opportunity's offer: AWS does not disclose the end
    /// buyer to it (`buyer_account_id` then holds the partner). People read "not disclosed".
    pub buyer_disclosed: bool,
    pub currency: Currency,
    pub state: OfferState,
    pub status: OfferStatus,
    pub expires_on: Option<NaiveDate>,
    /// The contract duration the offer was made for (the agreement's length).
    pub duration: String,
    /// The duration in words ("36 months"), for people.
    pub duration_words: String,
    pub markup_pct: Option<Decimal>,
    /// The contract value and its parts; `None`: not the viewer's to see.
    pub wholesale_total: Option<Figure>,
    pub buyer_total: Option<Figure>,
    pub listing_fee_rate: Option<Decimal>,
    pub listing_fee: Option<Figure>,
    pub isv_net: Option<Figure>,
    pub partner_net: Option<Figure>,
    /// A quantity is planned for at least one dimension (imported offers have none).
    pub quantities_planned: bool,
    pub agreement_id: Option<AgreementId>,
    /// A replacement offer: the agreement its acceptance replaces.
    pub replaces: Option<AgreementId>,
    /// A replacement offer's end date for its new agreement (none: its duration).
    pub agreement_ends_on: Option<NaiveDate>,
    /// The day its partner cancelled it (its status is then Cancelled).
    pub cancelled_on: Option<NaiveDate>,
    pub created_on: NaiveDate,
    pub lines: Vec<LineView>,
    /// What acceptance would charge, and when (detail views); none while the value is unknown.
    pub charge_plan: Vec<PlannedChargeView>,
    pub version: i64,
    pub seen_as: Audience,
    /// The buyer's other AWS accounts the offer also targets (when the viewer sees the buyer).
    pub other_buyer_accounts: Vec<AccountId>,
    /// Where it came from on AWS, when imported (detail views).
    pub aws: Option<AwsSourceView>,
    /// The change set AWS refused for it, shown to its exporter (detail views).
    pub aws_refusal: Option<AwsRefusalView>,
}

impl OfferView {
    /// An offer as `audience` sees it; `breakdown` adds the per-line prices (detail views).
    pub fn of(rec: &OfferRecord, audience: Audience, today: NaiveDate, breakdown: Option<&Breakdown>) -> Self {
        let f = Fields::for_offer(audience, rec.kind);
        let o = &rec.offer;
        let fig = &rec.figures;
        let show = |on: bool, m: Money| on.then_some(m);
        // A figure of the contract value: unknown, not zero, while no quantity prices it.
        let figure =
            |on: bool, m: Money, known: bool| on.then_some(if known { Figure::Known(m) } else { Figure::Unplanned });
        let buyer_shown = if f.end_buyer { o.buyer.clone() } else { Some(o.partner.clone()) };
        let lines = breakdown
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| LineView {
                        dimension: l.dimension.clone(),
                        pricing: l.pricing,
                        quantity: l.quantity,
                        list_price: l.list_unit,
                        wholesale_price: f.wholesale.then_some(l.wholesale_unit),
                        buyer_price: f.buyer_price.then_some(l.buyer_unit),
                        // The partner's business, as its markup is: to the buyer, AWS's price is the price.
                        buyer_price_by_markup: l.buyer_unit_by_markup.filter(|_| f.buyer_price && f.markup),
                        wholesale_total: figure(f.wholesale, l.wholesale_total, b.value_known),
                        buyer_total: figure(f.buyer_price, l.buyer_total, b.value_known),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let charge_plan = breakdown
            .filter(|b| b.value_known)
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
            id: o.id.clone(),
            name: o.name.clone(),
            description: f.description.then(|| o.description.clone()),
            opportunity_id: o.opportunity_id.clone(),
            product_id: o.product_id.clone(),
            isv_account_id: o.isv.clone(),
            partner_account_id: o.partner.clone(),
            buyer_account_id: buyer_shown,
            buyer_disclosed: f.end_buyer,
            currency: o.currency,
            state: o.state,
            status: o.status(today),
            expires_on: o.expires_on,
            duration: o.duration.to_string(),
            duration_words: o.duration.words(),
            markup_pct: f.markup.then(|| pct(o.markup_pct)),
            wholesale_total: figure(f.wholesale, fig.wholesale_total, fig.value_known),
            buyer_total: figure(f.buyer_price, fig.buyer_total, fig.value_known),
            listing_fee_rate: f.fee.then(|| pct(fig.fee_rate_pct)),
            listing_fee: figure(f.fee, fig.listing_fee, fig.value_known),
            isv_net: figure(f.isv_net, fig.isv_net(), fig.value_known),
            partner_net: figure(f.partner_net, fig.partner_net(), fig.value_known),
            quantities_planned: o.quantities.iter().any(|(_, q)| *q > 0),
            agreement_id: o.agreement_id.clone(),
            replaces: o.replaces.clone(),
            agreement_ends_on: o.agreement_ends_on,
            cancelled_on: o.cancelled_on,
            created_on: o.created_on,
            lines,
            charge_plan,
            version: o.version,
            seen_as: audience,
            other_buyer_accounts: if f.end_buyer { o.buyer_accounts.clone() } else { Vec::new() },
            aws: None,
            aws_refusal: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ChargeView {
    pub id: ChargeId,
    pub due_on: NaiveDate,
    pub amount: Option<Money>,
    pub wholesale: Option<Money>,
    pub paid_on: Option<NaiveDate>,
    /// Cancelled unpaid when the agreement was replaced: nobody pays it.
    pub cancelled_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct AgreementView {
    pub id: AgreementId,
    pub offer_id: OfferId,
    pub opportunity_id: OpportunityId,
    /// The end buyer; the partner where the viewer is not told the end buyer
    /// (`buyer_disclosed`), as AWS reports it.
    pub buyer_account_id: AccountId,
    /// False for the ISV of a recurring opportunity's agreement (see [`OfferView`]).
    pub buyer_disclosed: bool,
    pub partner_account_id: AccountId,
    pub isv_account_id: AccountId,
    pub currency: Currency,
    pub status: AgreementStatus,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub total: Option<Money>,
    pub wholesale_total: Option<Money>,
    pub listing_fee_rate: Option<Decimal>,
    pub charges: Vec<ChargeView>,
    /// The agreement this one replaced (it came from a replacement offer).
    pub replaces: Option<AgreementId>,
    /// The agreement that replaced this one (it is REPLACED).
    pub replaced_by: Option<AgreementId>,
    /// The buyer's financing as the viewer may see it ([`AgreementView::with_financing`]).
    pub financing: Option<FinancingView>,
    pub seen_as: Audience,
    /// The product sold (its opportunity's).
    pub product_id: ProductId,
    /// Days to its end when ACTIVE and on the renewal radar's widest window.
    pub days_left: Option<i64>,
    /// What has been done about its renewal.
    pub renewal: crate::domain::radar::Renewal,
}

/// An agreement's financing, as `visibility::financing` lets its viewer see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinancingView {
    /// The buyer's own: the financier, the status, what it pays and the repayments.
    Full { provider: String, status: FinancingStatus, months: u32, amount: Money, plan: Vec<Money> },
    /// The sellers', once funded: a financier paid the charges.
    PaidByFinancier,
}

impl FinancingView {
    /// A financier paid the agreement's charges.
    pub fn is_funded(&self) -> bool {
        matches!(self, Self::PaidByFinancier | Self::Full { status: FinancingStatus::Funded, .. })
    }
}

impl AgreementView {
    /// `a` as `audience` sees it; `kind` and `product` are its opportunity's; `renewal` what
    /// has been done about it, as `audience` may know it.
    pub fn of(
        a: &Agreement,
        audience: Audience,
        kind: OpportunityKind,
        product: &ProductId,
        renewal: crate::domain::radar::Renewal,
        today: NaiveDate,
    ) -> Self {
        use crate::domain::radar;
        let f = Fields::for_offer(audience, kind);
        let widest = radar::WINDOWS[radar::WINDOWS.len() - 1];
        Self {
            product_id: product.clone(),
            days_left: radar::days_left(a, today, widest),
            renewal,
            id: a.id.clone(),
            offer_id: a.offer_id.clone(),
            opportunity_id: a.opportunity_id.clone(),
            buyer_account_id: if f.end_buyer { a.buyer.clone() } else { a.partner.clone() },
            buyer_disclosed: f.end_buyer,
            partner_account_id: a.partner.clone(),
            isv_account_id: a.isv.clone(),
            currency: a.currency,
            status: a.status(today),
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            total: f.buyer_price.then_some(a.total),
            wholesale_total: f.wholesale.then_some(a.wholesale_total),
            listing_fee_rate: f.fee.then(|| pct(a.fee_rate_pct)),
            charges: a
                .charges
                .iter()
                .map(|c| ChargeView {
                    id: c.id.clone(),
                    due_on: c.due_on,
                    amount: f.buyer_price.then_some(c.amount),
                    wholesale: f.wholesale.then_some(c.wholesale),
                    paid_on: c.paid_on,
                    cancelled_on: c.cancelled_on,
                })
                .collect(),
            replaces: a.replaces.clone(),
            replaced_by: a.replaced_by.clone(),
            financing: None,
            seen_as: audience,
        }
    }

    /// The view with the agreement's financing `f`, as far as the viewer may see it.
    pub fn with_financing(mut self, f: Option<&Financing>) -> Self {
        self.financing = f.and_then(|f| match visibility::financing(self.seen_as, f) {
            FinancingSight::Full => Some(FinancingView::Full {
                provider: f.provider.clone(),
                status: f.status,
                months: f.months,
                amount: f.amount,
                plan: f.plan(),
            }),
            FinancingSight::PaidByFinancier => Some(FinancingView::PaidByFinancier),
            FinancingSight::Nothing => None,
        });
        self
    }
}

impl AgreementView {
    /// What is still to pay: the unpaid charges (`None` when the viewer sees no amounts).
    pub fn to_pay(&self) -> Option<Money> {
        let mut unpaid = self.charges.iter().filter(|c| c.paid_on.is_none());
        let amount = |c: &ChargeView| if self.seen_as == Audience::Isv { c.wholesale } else { c.amount };
        let zero = Money::zero(self.currency);
        unpaid.try_fold(zero, |sum, c| amount(c).map(|m| sum.plus(m)))
    }
    /// The next charge not paid yet.
    pub fn next_charge(&self) -> Option<&ChargeView> {
        self.charges.iter().find(|c| c.paid_on.is_none())
    }
    /// The total the viewer sees: wholesale to the ISV, the buyer's to the others.
    pub fn shown_total(&self) -> Option<Money> {
        if self.seen_as == Audience::Isv { self.wholesale_total } else { self.total }
    }
}

#[derive(Debug, Clone)]
pub struct DisbursementView {
    pub id: crate::domain::DisbursementId,
    pub agreement_id: AgreementId,
    pub charge_id: ChargeId,
    pub payee_account_id: AccountId,
    pub role: &'static str,
    pub amount: Money,
    pub listing_fee: Option<Money>,
    pub currency: Currency,
    pub paid_on: NaiveDate,
}

impl DisbursementView {
    pub fn of(d: &Disbursement) -> Self {
        Self {
            id: d.id.clone(),
            agreement_id: d.agreement_id.clone(),
            charge_id: d.charge_id.clone(),
            payee_account_id: d.payee.clone(),
            role: d.role.as_str(),
            amount: d.amount,
            listing_fee: d.listing_fee,
            currency: d.amount.currency(),
            paid_on: d.paid_on,
        }
    }
}
