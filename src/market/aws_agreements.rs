//! Agreements from AWS's Agreement API: importing them (part of [`Market::import`]), reading
//! them as each party may see them, and the renewal radar over them and cppo's own.

use chrono::NaiveDate;
use serde_json::json;

use super::import::{Outcome, Refusal, Run, Step};
use super::views::AgreementView;
use super::{Market, MarketError, MarketResult, audit};
use crate::aws::import::{AgreementAnswer, AgreementTerms};
use crate::domain::aws_agreement::{
    self as rules, AwsAgreement, AwsAgreementStatus, AwsCharge, check_agreement_import, link_offer,
};
use crate::domain::radar::{self, Renewal};
use crate::domain::sync::hidden;
use crate::domain::visibility::{self, Audience};
use crate::domain::{AccountId, AgreementId, AgreementStatus, Money, OfferId, Roles, RuleError};
use crate::store::aws_agreements as stored;
use crate::store::events::NewEvent;
use crate::store::{ledger, offers};

/// An imported agreement as one of its parties sees it.
#[derive(Debug, Clone)]
pub struct AwsAgreementView {
    pub id: AgreementId,
    /// AWS's offer id; `offer_imported` says whether the file holds that offer.
    pub offer_id: Option<String>,
    pub offer_imported: bool,
    pub proposer: AccountId,
    pub acceptor: AccountId,
    pub isv: Option<AccountId>,
    pub product_id: Option<String>,
    pub agreement_type: Option<String>,
    pub status: AwsAgreementStatus,
    pub starts_on: Option<NaiveDate>,
    /// `None`: pay-as-you-go.
    pub ends_on: Option<NaiveDate>,
    /// Hidden from the ISV (the buyer's price); `None` too when AWS gave none.
    pub total: Option<Money>,
    pub charges: Vec<AwsCharge>,
    pub seen_as: Audience,
    /// Days to its end when ACTIVE and on the renewal radar's widest window.
    pub days_left: Option<i64>,
    /// What has been done about its renewal, as the viewer may know it.
    pub renewal: Renewal,
}

impl AwsAgreementView {
    fn of(a: &AwsAgreement, audience: Audience, offer_imported: bool, today: NaiveDate, renewal: Renewal) -> Self {
        let amounts = rules::sees_amounts(audience);
        let widest = radar::WINDOWS[radar::WINDOWS.len() - 1];
        Self {
            days_left: radar::days_left_of(a.status == AwsAgreementStatus::Active, a.ends_on(), today, widest),
            renewal,
            id: a.id.clone(),
            offer_id: a.offer_id.clone(),
            offer_imported,
            proposer: a.proposer.clone(),
            acceptor: a.acceptor.clone(),
            isv: a.isv.clone(),
            product_id: a.product_id.clone(),
            agreement_type: a.agreement_type.clone(),
            status: a.status,
            starts_on: a.starts_on(),
            ends_on: a.ends_on(),
            total: a.value.filter(|_| amounts),
            charges: if amounts { a.charges.clone() } else { Vec::new() },
            seen_as: audience,
        }
    }
}

impl AwsAgreementView {
    /// What is scheduled from `today` on: AWS bills each charge of its payment schedule on
    /// its date, and cppo learns of no payment, so a charge is taken as paid once due.
    /// `None` when the viewer sees no amounts or AWS gave no schedule.
    pub fn to_pay(&self, today: NaiveDate) -> Option<Money> {
        let currency = self.charges.first()?.amount.currency();
        let ahead = self.charges.iter().filter(|c| c.due_on >= today);
        Some(ahead.fold(Money::zero(currency), |sum, c| sum.plus(c.amount)))
    }

    /// The next charge AWS will bill: the first due from `today` on.
    pub fn next_charge(&self, today: NaiveDate) -> Option<&AwsCharge> {
        self.charges.iter().find(|c| c.due_on >= today)
    }
}

/// An agreement as a party sees it: cppo's own (made by accepting an offer in cppo) or
/// imported from AWS. A row of the Agreements tab and of the renewal radar.
#[derive(Debug, Clone)]
pub enum AnyAgreement {
    Local(AgreementView),
    Aws(AwsAgreementView),
}

impl AnyAgreement {
    /// One of cppo's own agreements, as its view.
    pub fn local(&self) -> Option<&AgreementView> {
        match self {
            Self::Local(a) => Some(a),
            Self::Aws(_) => None,
        }
    }

    pub fn id(&self) -> &AgreementId {
        match self {
            Self::Local(a) => &a.id,
            Self::Aws(a) => &a.id,
        }
    }

    /// The buyer as the viewer is shown it (the partner, to the ISV of a recurring deal).
    pub fn buyer(&self) -> &AccountId {
        match self {
            Self::Local(a) => &a.buyer_account_id,
            Self::Aws(a) => &a.acceptor,
        }
    }

    /// The seller of record: the partner that proposed it.
    pub fn seller(&self) -> &AccountId {
        match self {
            Self::Local(a) => &a.partner_account_id,
            Self::Aws(a) => &a.proposer,
        }
    }

    /// The product's id as the record holds it (AWS's may name a product cppo does not hold).
    pub fn product_id(&self) -> Option<&str> {
        match self {
            Self::Local(a) => Some(a.product_id.as_str()),
            Self::Aws(a) => a.product_id.as_deref(),
        }
    }

    /// The offer's id, if any was named.
    pub fn offer_id(&self) -> Option<&str> {
        match self {
            Self::Local(a) => Some(a.offer_id.as_str()),
            Self::Aws(a) => a.offer_id.as_deref(),
        }
    }

    pub fn starts_on(&self) -> Option<NaiveDate> {
        match self {
            Self::Local(a) => Some(a.starts_on),
            Self::Aws(a) => a.starts_on,
        }
    }

    /// `None`: pay-as-you-go (an imported agreement with no end).
    pub fn ends_on(&self) -> Option<NaiveDate> {
        match self {
            Self::Local(a) => Some(a.ends_on),
            Self::Aws(a) => a.ends_on,
        }
    }

    /// The status as people read it: cppo's, or AWS's own word, each written as every
    /// status is (`Active`, `Rolled back`).
    pub fn status_word(&self) -> &'static str {
        match self {
            Self::Local(a) => a.status.label(),
            Self::Aws(a) => a.status.label(),
        }
    }

    /// Whether the viewer is told the buyer: not the ISV of cppo's agreement made from a
    /// recurring opportunity (AWS tells it the partner).
    pub fn buyer_disclosed(&self) -> bool {
        match self {
            Self::Local(a) => a.buyer_disclosed,
            Self::Aws(_) => true,
        }
    }

    /// The status of cppo's it counts as (AWS's words: `AwsAgreementStatus::kin`).
    pub fn status(&self) -> AgreementStatus {
        match self {
            Self::Local(a) => a.status,
            Self::Aws(a) => a.status.kin(),
        }
    }

    /// The total the viewer sees (wholesale to the ISV of cppo's; nothing of AWS's to it).
    pub fn shown_total(&self) -> Option<Money> {
        match self {
            Self::Local(a) => a.shown_total(),
            Self::Aws(a) => a.total,
        }
    }

    /// What is still to pay on `today`.
    pub fn to_pay(&self, today: NaiveDate) -> Option<Money> {
        match self {
            Self::Local(a) => a.to_pay(),
            Self::Aws(a) => a.to_pay(today),
        }
    }

    /// The day of the next charge not paid yet, on `today`.
    pub fn next_charge_on(&self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Local(a) => a.next_charge().filter(|_| a.status != AgreementStatus::Cancelled).map(|c| c.due_on),
            Self::Aws(a) => a.next_charge(today).map(|c| c.due_on),
        }
    }

    /// Days to its end when ACTIVE and on the radar's widest window.
    pub fn days_left(&self) -> Option<i64> {
        match self {
            Self::Local(a) => a.days_left,
            Self::Aws(a) => a.days_left,
        }
    }

    pub fn renewal(&self) -> Renewal {
        match self {
            Self::Local(a) => a.renewal,
            Self::Aws(a) => a.renewal,
        }
    }
}

/// One row of the radar.
#[derive(Debug, Clone)]
pub struct RadarRow {
    pub agreement: AnyAgreement,
    pub ends_on: NaiveDate,
    pub days_left: i64,
}

impl RadarRow {
    pub fn id(&self) -> &AgreementId {
        self.agreement.id()
    }

    /// What has been done about it: the furthest replacement offer the viewer may know of.
    pub fn renewal(&self) -> Renewal {
        self.agreement.renewal()
    }
}

impl Market {
    /// The imported agreements `viewer` is a party to, soonest end first.
    pub fn aws_agreements(&self, viewer: &AccountId) -> MarketResult<Vec<AwsAgreementView>> {
        stored::of_party(self.conn(), viewer)?
            .iter()
            .filter_map(|a| rules::audience(viewer, a).map(|aud| (a, aud)))
            .map(|(a, aud)| self.aws_view(a, aud))
            .collect()
    }

    /// One imported agreement, if `viewer` is a party to it.
    pub fn aws_agreement(&self, viewer: &AccountId, id: &AgreementId) -> MarketResult<Option<AwsAgreementView>> {
        let Some(a) = stored::get(self.conn(), id)? else { return Ok(None) };
        let aud = rules::audience(viewer, &a).ok_or_else(|| MarketError::not_found("agreement", id))?;
        Ok(Some(self.aws_view(&a, aud)?))
    }

    /// The imported agreements of the offer `offer` that `viewer` may see (an offer's detail).
    pub fn aws_agreements_of_offer(&self, viewer: &AccountId, offer: &OfferId) -> MarketResult<Vec<AwsAgreementView>> {
        stored::of_offer(self.conn(), offer.as_str())?
            .iter()
            .filter_map(|a| rules::audience(viewer, a).map(|aud| (a, aud)))
            .map(|(a, aud)| self.aws_view(a, aud))
            .collect()
    }

    /// `a` as `audience` sees it, with what has been done about its renewal.
    pub(super) fn aws_view(&self, a: &AwsAgreement, audience: Audience) -> MarketResult<AwsAgreementView> {
        let renewal = self.renewal_of(&a.id, audience == Audience::Partner)?;
        Ok(AwsAgreementView::of(a, audience, self.offer_held(a)?, self.today(), renewal))
    }

    /// The renewal radar: the active agreements `viewer` is a party to, cppo's own and
    /// imported, ending within `days` days, soonest first.
    pub fn radar(&self, viewer: &AccountId, days: u32) -> MarketResult<Vec<RadarRow>> {
        let today = self.today();
        let local = self.agreements(viewer)?.into_iter().map(AnyAgreement::Local);
        let aws = self.aws_agreements(viewer)?.into_iter().map(AnyAgreement::Aws);
        let mut rows: Vec<RadarRow> = local
            .chain(aws)
            .filter_map(|a| {
                let active = a.status() == AgreementStatus::Active;
                let days_left = radar::days_left_of(active, a.ends_on(), today, days)?;
                Some(RadarRow { ends_on: a.ends_on()?, agreement: a, days_left })
            })
            .collect();
        rows.sort_by(|a, b| a.ends_on.cmp(&b.ends_on).then_with(|| a.id().cmp(b.id())));
        Ok(rows)
    }

    fn offer_held(&self, a: &AwsAgreement) -> MarketResult<bool> {
        let Some(id) = a.offer_id.as_deref().and_then(|s| OfferId::parse(s).ok()) else { return Ok(false) };
        Ok(offers::get(self.conn(), &id)?.is_some())
    }
}

impl Run<'_> {
    /// An agreement from search-agreements or describe-agreement.
    pub(super) fn agreement(
        &mut self,
        answer: &AgreementAnswer,
        notes: &mut Vec<String>,
    ) -> MarketResult<Step<Outcome>> {
        let a = &answer.agreement;
        if ledger::get(self.tx, &a.id)?.is_some() {
            return Ok(Err(Refusal::Skip(format!(
                "{} is an agreement made in cppo: an import never writes over it",
                a.id
            ))));
        }
        let held = stored::get(self.tx, &a.id)?;
        // What the file knows beside AWS's answer: the manufacturer, the charges (terms), the
        // version; a summary never carries the value, so what describe-agreement gave stays.
        let mut next = AwsAgreement {
            isv: held.as_ref().and_then(|h| h.isv.clone()),
            value: a.value.or_else(|| held.as_ref().and_then(|h| h.value)),
            charges: held.as_ref().map(|h| h.charges.clone()).unwrap_or_default(),
            version: held.as_ref().map_or(0, |h| h.version),
            ..a.clone()
        };
        let offer = match a.offer_id.as_deref().and_then(|s| OfferId::parse(s).ok()) {
            Some(id) => offers::get(self.tx, &id)?,
            None => None,
        };
        // The stored record decides first: an account that is not its party learns nothing,
        // not even whose its offer is.
        if let Some(h) = &held
            && let Err(e) = check_agreement_import(self.actor, Some(h), &next)
        {
            return Ok(Err(e.into()));
        }
        if let Some(rec) = &offer
            && let Err(e) = link_offer(&mut next, &rec.offer)
        {
            let seen = visibility::offer(self.actor, &rec.offer).is_some();
            return Ok(Err(if seen { e } else { hidden(rec.offer.id.as_str()) }.into()));
        }
        if held.is_none()
            && let Err(e) = check_agreement_import(self.actor, None, &next)
        {
            return Ok(Err(e.into()));
        }
        if let Err(e) = same_currency(&next) {
            return Ok(Err(e.into()));
        }
        if offer.is_none() {
            notes.push(match &a.offer_id {
                Some(id) => format!("offer not imported: {id} is not in cppo"),
                None => "offer not imported: AWS names no offer".into(),
            });
        }
        if a.ends_at.is_none() {
            notes.push("no end time: pay-as-you-go, never on the renewal radar".into());
        }
        let outcome = match &held {
            Some(h) if *h == next => return Ok(Ok(Outcome::Unchanged)),
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        };
        self.write_agreement(&mut next, held.as_ref().map(|h| h.status), held.is_none())?;
        Ok(Ok(outcome))
    }

    /// The payment schedule of an agreement the file holds (get-agreement-terms).
    pub(super) fn agreement_terms(
        &mut self,
        t: &AgreementTerms,
        notes: &mut Vec<String>,
    ) -> MarketResult<Step<Outcome>> {
        let Some(held) = stored::get(self.tx, &t.id)? else {
            let why = if ledger::get(self.tx, &t.id)?.is_some() {
                format!("{} is an agreement made in cppo: its charges are cppo's", t.id)
            } else {
                format!(
                    "agreement {} is not in cppo: import its search-agreements or describe-agreement answer first",
                    t.id
                )
            };
            return Ok(Err(Refusal::Skip(why)));
        };
        if !held.is_party(self.actor) {
            return Ok(Err(hidden(held.id.as_str()).into()));
        }
        let next = AwsAgreement { charges: t.charges.clone(), ..held.clone() };
        if let Err(e) = same_currency(&next) {
            return Ok(Err(e.into()));
        }
        if t.charges.is_empty() {
            notes.push("no payment schedule in its terms: no charges".into());
        }
        if next == held {
            return Ok(Ok(Outcome::Unchanged));
        }
        let mut next = next;
        self.write_agreement(&mut next, Some(held.status), false)?;
        Ok(Ok(Outcome::Updated))
    }

    fn write_agreement(
        &mut self,
        a: &mut AwsAgreement,
        from: Option<AwsAgreementStatus>,
        new: bool,
    ) -> MarketResult<()> {
        self.account(&a.proposer, None, Roles { partner: true, ..Roles::default() }, None)?;
        self.account(&a.acceptor, None, Roles { buyer: true, ..Roles::default() }, None)?;
        stored::set(self.tx, a, self.actor, self.now, new)?;
        let audience: Vec<&AccountId> =
            [Some(&a.proposer), Some(&a.acceptor), a.isv.as_ref()].into_iter().flatten().collect();
        audit(
            self.tx,
            NewEvent {
                actor: self.actor,
                entity: "agreement",
                entity_id: a.id.as_str(),
                action: "import",
                from_state: from.map(AwsAgreementStatus::as_str),
                to_state: Some(a.status.as_str()),
                details: json!({ "source": "aws", "offer_id": a.offer_id, "ends_on": a.ends_on() }),
                audience,
            },
            self.now,
        )
    }
}

/// Its value and its charges in one currency, as cppo holds one per agreement.
fn same_currency(a: &AwsAgreement) -> Result<(), RuleError> {
    match (a.value, a.charges.first()) {
        (Some(v), Some(c)) if v.currency() != c.amount.currency() => Err(RuleError::validation(format!(
            "its value is in {} and its payment schedule in {}: cppo holds one currency per agreement",
            v.currency().code(),
            c.amount.currency().code()
        ))),
        _ => Ok(()),
    }
}
