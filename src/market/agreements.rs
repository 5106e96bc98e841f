//! Accepting offers, paying charges, and reading agreements and disbursements.

use serde_json::json;

use super::offers::{load_visible as load_offer, priced};
use super::views::{AgreementView, DisbursementView};
use super::{Market, MarketError, MarketResult, audit};
use std::collections::HashMap;

use super::aws_agreements::AnyAgreement;
use crate::domain::radar::Renewal;
use crate::domain::visibility::Audience;
use crate::domain::{
    AccountId, Agreement, AgreementId, OfferId, OpportunityId, OpportunityKind, ProductId, visibility,
};
use crate::store::events::NewEvent;
use crate::store::offers::{self, OfferFigures};
use crate::store::query::{AgreementNarrow, AgreementRecord, CountJob, ListQuery, Page};
use crate::store::{ledger, opportunities, query};

/// Does `offer` replace an agreement AWS holds (imported, not cppo's)?
pub(super) fn replaced_on_aws(conn: &crate::store::Conn, offer: &crate::domain::Offer) -> MarketResult<bool> {
    match &offer.replaces {
        Some(old) => Ok(crate::store::aws_agreements::get(conn, old)?.is_some()),
        None => Ok(false),
    }
}

impl Market {
    /// The buyer accepts an Active offer addressed to it: an agreement with its charges.
    pub fn accept_offer(&mut self, actor: &AccountId, id: &OfferId) -> MarketResult<AgreementId> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut rec = load_offer(tx, actor, id)?;
            let opp = opportunities::get(tx, &rec.offer.opportunity_id)?
                .ok_or_else(|| MarketError::not_found("opportunity", &rec.offer.opportunity_id))?;
            let b = priced(&opp, &rec.offer, today)?;
            crate::domain::replacement::check_accepted_here(&rec.offer, replaced_on_aws(tx, &rec.offer)?)?;
            let agreement = Agreement::accept(AgreementId::generate(), actor, &rec.offer, &opp, &b, today)?;
            // A replacement offer's agreement takes the old one's place, in the same write.
            let replaced = match &agreement.replaces {
                Some(old) => {
                    let mut old = ledger::get(tx, old)?.ok_or_else(|| MarketError::not_found("agreement", old))?;
                    let cancelled = old.replace_with(&agreement, today)?;
                    Some((old, cancelled))
                }
                None => None,
            };
            ledger::insert(tx, &agreement, now)?;
            if let Some((mut old, cancelled)) = replaced {
                ledger::mark_replaced(tx, &mut old, &cancelled)?;
                audit(
                    tx,
                    NewEvent {
                        actor,
                        entity: "agreement",
                        entity_id: old.id.as_str(),
                        action: "replace",
                        from_state: Some("ACTIVE"),
                        to_state: Some("REPLACED"),
                        details: json!({
                            "replaced_by": agreement.id.as_str(),
                            "offer_id": id.as_str(),
                            "charges_cancelled": cancelled.len(),
                        }),
                        audience: visibility::agreement_readers(&old),
                    },
                    now,
                )?;
            }
            rec.offer.agreement_id = Some(agreement.id.clone());
            offers::update(tx, &mut rec.offer, &OfferFigures::of(&b))?;
            let mut details =
                json!({ "offer_id": id.as_str(), "starts_on": agreement.starts_on, "ends_on": agreement.ends_on });
            if let Some(old) = &agreement.replaces {
                details["replaces"] = json!(old.as_str());
            }
            audit(
                tx,
                NewEvent {
                    actor,
                    entity: "agreement",
                    entity_id: agreement.id.as_str(),
                    action: "accept",
                    from_state: None,
                    to_state: Some("ACTIVE"),
                    details,
                    audience: visibility::agreement_readers(&agreement),
                },
                now,
            )?;
            Ok(agreement.id)
        })
    }

    /// The buyer pays the next due charge; the ISV and the partner are disbursed at once.
    pub fn pay_next_charge(&mut self, actor: &AccountId, id: &AgreementId) -> MarketResult<Vec<DisbursementView>> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut a = ledger::get(tx, id)?
                .filter(|a| visibility::agreement(actor, a).is_some())
                .ok_or_else(|| MarketError::not_found("agreement", id))?;
            let (idx, disbursements) = a.pay_next(actor, today)?;
            ledger::record_payment(tx, &mut a, idx, &disbursements, now)?;
            let charge = &a.charges[idx];
            audit(
                tx,
                NewEvent {
                    actor,
                    entity: "agreement",
                    entity_id: a.id.as_str(),
                    action: "pay",
                    from_state: None,
                    to_state: None,
                    details: json!({ "charge_id": charge.id.as_str(), "due_on": charge.due_on }),
                    audience: visibility::agreement_readers(&a),
                },
                now,
            )?;
            Ok(disbursements.iter().filter(|d| d.payee == *actor).map(DisbursementView::of).collect())
        })
    }

    /// The agreements `viewer` is a party to, as it may see them.
    pub fn agreements(&self, viewer: &AccountId) -> MarketResult<Vec<AgreementView>> {
        let today = self.today();
        query::agreements(self.conn(), viewer)?
            .iter()
            .filter_map(|a| visibility::agreement(viewer, a).map(|aud| (a, aud)))
            .map(|(a, aud)| {
                let (kind, product) = self.kind_of(a)?;
                let renewal = self.renewal_of(&a.id, aud == Audience::Partner)?;
                Ok(AgreementView::of(a, aud, kind, &product, renewal, today)
                    .with_financing(self.financing_of(a)?.as_ref()))
            })
            .collect()
    }

    /// A page of the Agreements tab: the agreements `viewer` is a party to, cppo's own and
    /// those imported from AWS, as it may see them.
    pub fn agreements_page(
        &self,
        viewer: &AccountId,
        narrow: Option<AgreementNarrow>,
        q: &ListQuery,
    ) -> MarketResult<Page<AnyAgreement>> {
        let today = self.today();
        let page = query::agreements_page(self.conn(), viewer, today, narrow, q)?;
        let mut kinds: HashMap<OpportunityId, (OpportunityKind, ProductId)> = HashMap::new();
        let mut views = Vec::with_capacity(page.rows.len());
        for r in &page.rows {
            let a = match r {
                AgreementRecord::Own(a) => a,
                AgreementRecord::Aws(a) => {
                    let view = crate::domain::aws_agreement::audience(viewer, a).map(|aud| self.aws_view(a, aud));
                    views.push(view.transpose()?.map(AnyAgreement::Aws));
                    continue;
                }
            };
            let Some(aud) = visibility::agreement(viewer, a) else {
                views.push(None);
                continue;
            };
            let (kind, product) = match kinds.get(&a.opportunity_id) {
                Some(k) => k.clone(),
                None => {
                    let k = self.kind_of(a)?;
                    kinds.insert(a.opportunity_id.clone(), k.clone());
                    k
                }
            };
            let renewal = self.renewal_of(&a.id, aud == Audience::Partner)?;
            views.push(Some(AnyAgreement::Local(AgreementView::of(a, aud, kind, &product, renewal, today))));
        }
        let mut views = views.into_iter();
        Ok(page.map(|_| views.next().flatten()))
    }

    /// How many agreements the tab shows under `narrow` and `filter`.
    pub fn count_agreements(
        &self,
        viewer: &AccountId,
        narrow: Option<AgreementNarrow>,
        filter: Option<&str>,
    ) -> MarketResult<u64> {
        Ok(query::count_agreements(self.conn(), viewer, self.today(), narrow, filter)?)
    }

    /// Starts the same count as [`count_agreements`](Self::count_agreements), to be finished
    /// a chunk at a time with [`count_step`](Self::count_step) when it is long.
    pub fn start_count_agreements(
        &self,
        viewer: &AccountId,
        narrow: Option<AgreementNarrow>,
        filter: Option<&str>,
    ) -> MarketResult<CountJob> {
        Ok(query::start_count_agreements(self.conn(), viewer, self.today(), narrow, filter)?)
    }

    /// The value of `viewer`'s ACTIVE agreements ending in each of the next twelve months.
    pub fn value_ending_by_month(&self, viewer: &AccountId) -> MarketResult<Vec<Vec<crate::domain::Money>>> {
        Ok(query::value_ending_by_month(self.conn(), viewer, self.today())?)
    }

    pub fn agreement(&self, viewer: &AccountId, id: &AgreementId) -> MarketResult<(Agreement, AgreementView)> {
        let a = ledger::get(self.conn(), id)?.ok_or_else(|| MarketError::not_found("agreement", id))?;
        let aud = visibility::agreement(viewer, &a).ok_or_else(|| MarketError::not_found("agreement", id))?;
        let (kind, product) = self.kind_of(&a)?;
        let renewal = self.renewal_of(&a.id, aud == Audience::Partner)?;
        let view = AgreementView::of(&a, aud, kind, &product, renewal, self.today())
            .with_financing(self.financing_of(&a)?.as_ref());
        Ok((a, view))
    }

    /// What has been done about agreement `id` on the renewal radar: the furthest offer made
    /// to replace it, a partner's drafts counted for the partner alone (`partner`).
    pub(super) fn renewal_of(&self, id: &AgreementId, partner: bool) -> MarketResult<Renewal> {
        let today = self.today();
        let mut statuses = Vec::new();
        for offer in crate::store::offers::replacing(self.conn(), id)? {
            if let Some(rec) = crate::store::offers::get(self.conn(), &offer)? {
                statuses.push(rec.offer.status(today));
            }
        }
        Ok(Renewal::of_all(statuses, partner))
    }

    /// The kind and product of the opportunity `a` was sold under.
    fn kind_of(&self, a: &Agreement) -> MarketResult<(OpportunityKind, ProductId)> {
        let o = opportunities::get(self.conn(), &a.opportunity_id)?
            .ok_or_else(|| MarketError::not_found("opportunity", &a.opportunity_id))?;
        Ok((o.kind, o.product_id))
    }

    /// The disbursements paid to `viewer`, optionally of one agreement.
    pub fn disbursements(
        &self,
        viewer: &AccountId,
        agreement: Option<&AgreementId>,
    ) -> MarketResult<Vec<DisbursementView>> {
        Ok(query::disbursements(self.conn(), viewer, agreement)?.iter().map(DisbursementView::of).collect())
    }
}
