//! Creating, editing, releasing, extending and cancelling private offers; reading them.

use chrono::NaiveDate;
use serde_json::json;

use super::opportunities::load_visible as load_opportunity;
use super::views::{OfferView, OpportunityView};
use super::{Market, MarketError, MarketResult, audit};
use crate::domain::fees::FeeTable;
use crate::domain::offer::OfferTerms;
use crate::domain::pricing::{Breakdown, price_offer_with};
use crate::domain::replacement::{Replaced, Target, check_authorization, check_replaceable};
use crate::domain::{
    AccountId, AgreementId, Offer, OfferId, OfferState, OfferStatus, Opportunity, OpportunityId, RuleError, visibility,
};
use crate::store::events::NewEvent;
use crate::store::offers::{self, OfferFigures, OfferRecord};
use crate::store::query::AgreementRecord;
use crate::store::query::{self, CountJob, ListQuery, Page};
use crate::store::{Conn, opportunities};

/// Prices `offer` on `opportunity` as priced for the offer's duration, with the fee table in
/// force `on`; refused when the opportunity no longer offers that duration.
pub(super) fn breakdown(opportunity: &Opportunity, offer: &Offer, on: NaiveDate) -> Result<Breakdown, RuleError> {
    Ok(price_offer_with(
        &opportunity.for_duration(offer.duration)?,
        &offer.quantities,
        offer.markup_pct,
        &offer.aws_buyer_prices,
        on,
        FeeTable::embedded(),
    ))
}

/// [`breakdown`] for what is about to be written: every amount within what the file holds.
pub(super) fn priced(opportunity: &Opportunity, offer: &Offer, on: NaiveDate) -> Result<Breakdown, RuleError> {
    let b = breakdown(opportunity, offer, on)?;
    b.check_amounts()?;
    Ok(b)
}

impl Market {
    /// The partner creates a Draft offer from an opportunity it received (and releases it
    /// at once with `release`). A one-time opportunity is consumed by this.
    pub fn create_offer(
        &mut self,
        actor: &AccountId,
        opportunity_id: &OpportunityId,
        terms: OfferTerms,
        release: bool,
    ) -> MarketResult<OfferId> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut opp = load_opportunity(tx, actor, opportunity_id)?;
            if let Some(b) = &terms.buyer {
                crate::store::parties::account(tx, b)?.ok_or_else(|| MarketError::not_found("buyer account", b))?;
            }
            let mut offer = Offer::draft(OfferId::generate(), actor, &opp, terms, today)?;
            if release {
                offer.release(actor, &opp, today)?;
            }
            opp.offers_created += 1;
            opportunities::update(tx, &mut opp)?;
            let figures = OfferFigures::of(&priced(&opp, &offer, today)?);
            offers::insert(tx, &offer, opp.kind, &figures, now)?;
            audit(tx, event(actor, &offer, "create", None), now)?;
            Ok(offer.id)
        })
    }

    /// The partner drafts a replacement offer for its ACTIVE agreement `agreement` from
    /// `opportunity` (an Active authorization of the same product that allows the
    /// agreement's buyer), released at once with `release`; `agreement_ends_on` fixes the new
    /// agreement's end. The buyer is the agreement's.
    pub fn create_replacement_offer(
        &mut self,
        actor: &AccountId,
        agreement: &AgreementId,
        opportunity_id: &OpportunityId,
        terms: OfferTerms,
        agreement_ends_on: Option<NaiveDate>,
        release: bool,
    ) -> MarketResult<OfferId> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let (replaced, product) = load_replaceable(tx, actor, agreement)?;
            let mut opp = load_opportunity(tx, actor, opportunity_id)?;
            let replaced = Replaced { agreement: target(&replaced, today), product: &product };
            let mut offer =
                Offer::draft_replacement(OfferId::generate(), actor, &opp, replaced, terms, agreement_ends_on, today)?;
            if release {
                offer.release(actor, &opp, today)?;
            }
            opp.offers_created += 1;
            opportunities::update(tx, &mut opp)?;
            let figures = OfferFigures::of(&priced(&opp, &offer, today)?);
            offers::insert(tx, &offer, opp.kind, &figures, now)?;
            let mut e = event(actor, &offer, "create", None);
            e.details["replaces"] = json!(agreement.as_str());
            e.details["agreement_ends_on"] = json!(offer.agreement_ends_on);
            audit(tx, e, now)?;
            Ok(offer.id)
        })
    }

    /// What the partner needs to replace its agreement `agreement`: the agreement's buyer and
    /// end, and every authorization it may make the replacement offer from today, by name
    /// (the domain's [`check_authorization`] decides: Active, same product, allowing the
    /// buyer). Refused with the domain's reason when the agreement cannot be replaced.
    pub fn replacement_targets(
        &self,
        partner: &AccountId,
        agreement: &AgreementId,
    ) -> MarketResult<ReplacementTargets> {
        let today = self.today();
        let (a, product) = load_replaceable(self.conn(), partner, agreement)?;
        let replaced = Replaced { agreement: target(&a, today), product: &product };
        check_replaceable(partner, replaced.agreement)?;
        let opportunities =
            self.received_where(partner, |o| check_authorization(partner, o, replaced, today).is_ok())?;
        let ends_on = match &a {
            AgreementRecord::Own(a) => Some(a.ends_on),
            AgreementRecord::Aws(a) => a.ends_on(),
        };
        Ok(ReplacementTargets {
            agreement: agreement.clone(),
            buyer: replaced.agreement.buyer.clone(),
            ends_on,
            opportunities,
        })
    }

    /// The partner edits its draft; `expected_version` guards against a concurrent change.
    pub fn edit_offer(
        &mut self,
        actor: &AccountId,
        id: &OfferId,
        terms: OfferTerms,
        expected_version: Option<i64>,
    ) -> MarketResult<()> {
        self.edit_offer_with(actor, id, terms, None, expected_version)
    }

    /// The partner edits its draft replacement offer, terms and the new agreement's end date
    /// (`None`: the offer's duration from acceptance) in one write.
    pub fn edit_replacement_offer(
        &mut self,
        actor: &AccountId,
        id: &OfferId,
        terms: OfferTerms,
        agreement_ends_on: Option<NaiveDate>,
        expected_version: Option<i64>,
    ) -> MarketResult<()> {
        self.edit_offer_with(actor, id, terms, Some(agreement_ends_on), expected_version)
    }

    fn edit_offer_with(
        &mut self,
        actor: &AccountId,
        id: &OfferId,
        terms: OfferTerms,
        agreement_ends_on: Option<Option<NaiveDate>>,
        expected_version: Option<i64>,
    ) -> MarketResult<()> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut rec = load_visible(tx, actor, id)?;
            if let Some(v) = expected_version {
                rec.offer.version = v;
            }
            let opp = opportunities::get(tx, &rec.offer.opportunity_id)?
                .ok_or_else(|| MarketError::not_found("opportunity", &rec.offer.opportunity_id))?;
            if let Some(b) = &terms.buyer {
                crate::store::parties::account(tx, b)?.ok_or_else(|| MarketError::not_found("buyer account", b))?;
            }
            rec.offer.edit(actor, &opp, terms, today)?;
            if let Some(end) = agreement_ends_on {
                rec.offer.set_agreement_end(actor, end, today)?;
            }
            let figures = OfferFigures::of(&priced(&opp, &rec.offer, today)?);
            offers::update(tx, &mut rec.offer, &figures)?;
            audit(tx, event(actor, &rec.offer, "edit", Some(OfferState::Draft)), now)
        })
    }

    /// The partner releases its draft; a replacement offer only while its agreement can
    /// still be replaced (ACTIVE).
    pub fn release_offer(&mut self, actor: &AccountId, id: &OfferId) -> MarketResult<()> {
        let today = self.today();
        let replaced = match load_visible(self.conn(), actor, id)?.offer.replaces {
            Some(a) => Some(load_replaceable(self.conn(), actor, &a)?.0),
            None => None,
        };
        self.transition_offer(actor, id, "release", |o, opp, a, today_| {
            if let Some(r) = &replaced {
                check_replaceable(a, target(r, today))?;
            }
            o.release(a, opp, today_)
        })
    }

    /// The partner deletes its draft for good (the audit log keeps that it existed). A draft
    /// counted on its opportunity stops counting: a one-time opportunity can take an offer again.
    pub fn delete_offer(&mut self, actor: &AccountId, id: &OfferId) -> MarketResult<()> {
        let now = self.now();
        self.store.write(|tx| {
            let rec = load_visible(tx, actor, id)?;
            rec.offer.check_delete(actor)?;
            crate::domain::sync::check_local_delete(id.as_str(), crate::store::aws::source(tx, id.as_str())?.as_ref())?;
            let mut opp = opportunities::get(tx, &rec.offer.opportunity_id)?
                .ok_or_else(|| MarketError::not_found("opportunity", &rec.offer.opportunity_id))?;
            offers::delete(tx, &rec.offer)?;
            opp.offer_deleted();
            opportunities::update(tx, &mut opp)?;
            let mut e = event(actor, &rec.offer, "delete", Some(OfferState::Draft));
            e.to_state = None;
            audit(tx, e, now)
        })
    }

    /// Moves a released offer's expiry later.
    pub fn extend_offer(&mut self, actor: &AccountId, id: &OfferId, to: NaiveDate) -> MarketResult<()> {
        self.transition_offer(actor, id, "extend", |o, opp, a, today| o.extend(a, opp, to, today))
    }

    /// Ends a released offer now (its expiry moves to yesterday).
    pub fn cancel_offer(&mut self, actor: &AccountId, id: &OfferId) -> MarketResult<()> {
        self.transition_offer(actor, id, "cancel", |o, _, a, today| o.cancel(a, today))
    }

    fn transition_offer(
        &mut self,
        actor: &AccountId,
        id: &OfferId,
        action: &'static str,
        f: impl FnOnce(&mut Offer, &Opportunity, &AccountId, NaiveDate) -> Result<(), RuleError>,
    ) -> MarketResult<()> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut rec = load_visible(tx, actor, id)?;
            let opp = opportunities::get(tx, &rec.offer.opportunity_id)?
                .ok_or_else(|| MarketError::not_found("opportunity", &rec.offer.opportunity_id))?;
            let from = rec.offer.state;
            f(&mut rec.offer, &opp, actor, today)?;
            offers::update(tx, &mut rec.offer, &rec.figures)?;
            let mut e = event(actor, &rec.offer, action, Some(from));
            e.details["expires_on"] = json!(rec.offer.expires_on);
            audit(tx, e, now)
        })
    }

    /// One offer as `viewer` may see it, with its per-line prices.
    pub fn offer(&self, viewer: &AccountId, id: &OfferId) -> MarketResult<(OfferRecord, OfferView)> {
        let today = self.today();
        let rec = load_visible(self.conn(), viewer, id)?;
        let audience = visibility::offer(viewer, &rec.offer).expect("load_visible checked");
        let opp = opportunities::get(self.conn(), &rec.offer.opportunity_id)?
            .ok_or_else(|| MarketError::not_found("opportunity", &rec.offer.opportunity_id))?;
        let on = self.accepted_on(&rec)?.unwrap_or(today);
        // An offer whose duration its opportunity no longer offers is shown without lines.
        let b = breakdown(&opp, &rec.offer, on).ok();
        let mut view = OfferView::of(&rec, audience, today, b.as_ref());
        (view.aws, view.aws_refusal) =
            self.aws_views(viewer, &rec.offer.partner, rec.offer.id.as_str(), rec.offer.version)?;
        Ok((rec, view))
    }

    fn accepted_on(&self, rec: &OfferRecord) -> MarketResult<Option<NaiveDate>> {
        Ok(match &rec.offer.agreement_id {
            Some(a) => crate::store::ledger::get(self.conn(), a)?.map(|a| a.starts_on),
            None => None,
        })
    }

    /// A page of the offers `viewer` may see.
    pub fn offers(
        &self,
        viewer: &AccountId,
        status: Option<OfferStatus>,
        q: &ListQuery,
    ) -> MarketResult<Page<OfferView>> {
        let today = self.today();
        let page = query::offers(self.conn(), viewer, today, status, q)?;
        Ok(page.map(|r| visibility::offer(viewer, &r.offer).map(|a| OfferView::of(&r, a, today, None))))
    }

    /// How many of the Active offers `viewer` may see expire in each of the next `weeks`
    /// weeks (week 0 starts today).
    pub fn expiry_weeks(&self, viewer: &AccountId, weeks: u32) -> MarketResult<Vec<u64>> {
        Ok(query::expiry_weeks(self.conn(), viewer, self.today(), weeks)?)
    }

    pub fn count_offers(
        &self,
        viewer: &AccountId,
        status: Option<OfferStatus>,
        filter: Option<&str>,
    ) -> MarketResult<u64> {
        Ok(query::count_offers(self.conn(), viewer, self.today(), status, filter)?)
    }

    /// Starts the same count as [`count_offers`](Self::count_offers), to be finished a chunk
    /// at a time with [`count_step`](Self::count_step) when it is long.
    pub fn start_count_offers(
        &self,
        viewer: &AccountId,
        status: Option<OfferStatus>,
        filter: Option<&str>,
    ) -> MarketResult<CountJob> {
        Ok(query::start_count_offers(self.conn(), viewer, self.today(), status, filter)?)
    }

    /// Counts the next chunk of a long count.
    pub fn count_step(&self, job: &mut CountJob) -> MarketResult<()> {
        Ok(job.step(self.conn())?)
    }

    /// The offers made from one opportunity that `viewer` may see.
    pub fn offers_of_opportunity(&self, viewer: &AccountId, id: &OpportunityId) -> MarketResult<Vec<OfferView>> {
        let today = self.today();
        Ok(query::offers_of_opportunity(self.conn(), viewer, id)?
            .iter()
            .filter_map(|r| visibility::offer(viewer, &r.offer).map(|a| OfferView::of(r, a, today, None)))
            .collect())
    }
}

/// Loads an agreement the viewer may see; "not found" otherwise.
pub(super) fn load_agreement(
    conn: &Conn,
    viewer: &AccountId,
    id: &AgreementId,
) -> MarketResult<crate::domain::Agreement> {
    crate::store::ledger::get(conn, id)?
        .filter(|a| visibility::agreement(viewer, a).is_some())
        .ok_or_else(|| MarketError::not_found("agreement", id))
}

/// The agreement `id` that `viewer` may see, cppo's or imported from AWS, to replace, with
/// the product it sells: its opportunity's, or the one AWS names (else its offer's, when the
/// file holds it).
pub(super) fn load_replaceable(
    conn: &Conn,
    viewer: &AccountId,
    id: &AgreementId,
) -> MarketResult<(AgreementRecord, crate::domain::ProductId)> {
    if let Some(a) = crate::store::aws_agreements::get(conn, id)? {
        if crate::domain::aws_agreement::audience(viewer, &a).is_none() {
            return Err(MarketError::not_found("agreement", id));
        }
        let named = a.product_id.as_deref().and_then(|p| crate::domain::ProductId::parse(p).ok());
        let of_offer = match a.offer_id.as_deref().and_then(|o| OfferId::parse(o).ok()) {
            Some(o) => match offers::get(conn, &o)? {
                Some(rec) => opportunities::get(conn, &rec.offer.opportunity_id)?.map(|opp| opp.product_id),
                None => None,
            },
            None => None,
        };
        let product = named.or(of_offer).ok_or_else(|| {
            RuleError::validation(format!(
                "AWS names no product for {id} and cppo does not hold its offer: import its describe-agreement \
                 answer, which names it"
            ))
        })?;
        return Ok((AgreementRecord::Aws(a), product));
    }
    let a = load_agreement(conn, viewer, id)?;
    let product = opportunities::get(conn, &a.opportunity_id)?
        .ok_or_else(|| MarketError::not_found("opportunity", &a.opportunity_id))?
        .product_id;
    Ok((AgreementRecord::Own(a), product))
}

/// The replacement rules' view of either kind of agreement.
pub(super) fn target(a: &AgreementRecord, today: NaiveDate) -> Target<'_> {
    match a {
        AgreementRecord::Own(a) => Target::own(a, today),
        AgreementRecord::Aws(a) => Target::aws(a),
    }
}

/// The agreement a replacement offer would replace, as the partner's form needs it, and the
/// authorizations it may be made from.
#[derive(Debug, Clone)]
pub struct ReplacementTargets {
    pub agreement: AgreementId,
    /// The agreement's buyer: the replacement offer's, fixed.
    pub buyer: AccountId,
    /// The old agreement's end (`None`: an AWS agreement with no end, pay-as-you-go).
    pub ends_on: Option<NaiveDate>,
    pub opportunities: Vec<OpportunityView>,
}

/// Loads an offer the viewer may see; "not found" otherwise.
pub(super) fn load_visible(conn: &Conn, viewer: &AccountId, id: &OfferId) -> MarketResult<OfferRecord> {
    offers::get(conn, id)?
        .filter(|r| visibility::offer(viewer, &r.offer).is_some())
        .ok_or_else(|| super::missing::not_found(conn, viewer, "offer", id.as_str()))
}

pub(super) fn event<'a>(
    actor: &'a AccountId,
    o: &'a Offer,
    action: &'static str,
    from: Option<OfferState>,
) -> NewEvent<'a> {
    NewEvent {
        actor,
        entity: "offer",
        entity_id: o.id.as_str(),
        action,
        from_state: from.map(OfferState::as_str),
        to_state: Some(o.state.as_str()),
        // No opportunity id: the buyer reads these events and never sees opportunities.
        details: json!({ "name": o.name }),
        audience: visibility::offer_readers(o),
    }
}
