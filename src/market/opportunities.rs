//! Granting, editing, releasing, extending and ending opportunities; reading them as an
//! account may.

use serde_json::json;

use super::views::OpportunityView;
use super::{Market, MarketError, MarketResult, audit};
use crate::domain::opportunity::OpportunityTerms;
use crate::domain::{
    AccountId, Opportunity, OpportunityId, OpportunityState, OpportunityStatus, ProductId, visibility,
};
use crate::store::events::NewEvent;
use crate::store::query::{self, ListQuery, Page};
use crate::store::{Conn, opportunities, parties};

impl Market {
    /// The ISV grants a Draft opportunity (and releases it at once with `release`).
    pub fn create_opportunity(
        &mut self,
        actor: &AccountId,
        product_id: &ProductId,
        terms: OpportunityTerms,
        release: bool,
    ) -> MarketResult<OpportunityId> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let product =
                parties::product(tx, product_id)?.ok_or_else(|| MarketError::not_found("product", product_id))?;
            let partner = parties::account(tx, &terms.partner)?
                .ok_or_else(|| MarketError::not_found("partner account", &terms.partner))?;
            for b in &terms.buyers {
                parties::account(tx, b)?.ok_or_else(|| MarketError::not_found("buyer account", b))?;
            }
            let mut o = Opportunity::draft(OpportunityId::generate(), actor, &product, &partner, terms, today)?;
            if release {
                o.release(actor, today)?;
            }
            opportunities::insert(tx, &o, now)?;
            audit(tx, event(actor, &o, "create", None), now)?;
            Ok(o.id)
        })
    }

    /// The ISV edits a draft. `expected_version` (what the editor read) guards against
    /// overwriting a concurrent change.
    pub fn edit_opportunity(
        &mut self,
        actor: &AccountId,
        id: &OpportunityId,
        terms: OpportunityTerms,
        expected_version: Option<i64>,
    ) -> MarketResult<()> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut o = load_visible(tx, actor, id)?;
            if let Some(v) = expected_version {
                o.version = v;
            }
            let product =
                parties::product(tx, &o.product_id)?.ok_or_else(|| MarketError::not_found("product", &o.product_id))?;
            let partner = parties::account(tx, &terms.partner)?
                .ok_or_else(|| MarketError::not_found("partner account", &terms.partner))?;
            for b in &terms.buyers {
                parties::account(tx, b)?.ok_or_else(|| MarketError::not_found("buyer account", b))?;
            }
            o.edit(actor, &product, &partner, terms, today)?;
            opportunities::update(tx, &mut o)?;
            audit(tx, event(actor, &o, "edit", Some(OpportunityState::Draft)), now)
        })
    }

    /// The ISV deletes its draft for good (the audit log keeps that it existed).
    pub fn delete_opportunity(&mut self, actor: &AccountId, id: &OpportunityId) -> MarketResult<()> {
        let now = self.now();
        self.store.write(|tx| {
            let o = load_visible(tx, actor, id)?;
            o.check_delete(actor)?;
            crate::domain::sync::check_local_delete(id.as_str(), crate::store::aws::source(tx, id.as_str())?.as_ref())?;
            opportunities::delete(tx, &o)?;
            let mut e = event(actor, &o, "delete", Some(OpportunityState::Draft));
            e.to_state = None;
            audit(tx, e, now)
        })
    }

    pub fn release_opportunity(&mut self, actor: &AccountId, id: &OpportunityId) -> MarketResult<()> {
        self.transition_opportunity(actor, id, "release", |o, a, today| o.release(a, today))
    }

    /// The ISV or the partner ends an Active opportunity.
    pub fn end_opportunity(&mut self, actor: &AccountId, id: &OpportunityId) -> MarketResult<()> {
        self.transition_opportunity(actor, id, "end", |o, a, today| o.end(a, today))
    }

    /// The ISV moves an Active opportunity's end date later; the audit event records the new
    /// date (an export sends it to AWS as `UpdateAvailability`).
    pub fn extend_opportunity(
        &mut self,
        actor: &AccountId,
        id: &OpportunityId,
        to: chrono::NaiveDate,
    ) -> MarketResult<()> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut o = load_visible(tx, actor, id)?;
            let (from, before) = (o.state, o.ends_on);
            o.extend(actor, to, today)?;
            opportunities::update(tx, &mut o)?;
            let mut e = event(actor, &o, "extend", Some(from));
            e.details["ends_on"] = json!(o.ends_on);
            e.details["ends_on_before"] = json!(before);
            audit(tx, e, now)
        })
    }

    fn transition_opportunity(
        &mut self,
        actor: &AccountId,
        id: &OpportunityId,
        action: &'static str,
        f: impl FnOnce(&mut Opportunity, &AccountId, chrono::NaiveDate) -> Result<(), crate::domain::RuleError>,
    ) -> MarketResult<()> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let mut o = load_visible(tx, actor, id)?;
            let from = o.state;
            f(&mut o, actor, today)?;
            opportunities::update(tx, &mut o)?;
            audit(tx, event(actor, &o, action, Some(from)), now)
        })
    }

    /// One opportunity, as `viewer` may see it.
    pub fn opportunity(&self, viewer: &AccountId, id: &OpportunityId) -> MarketResult<(Opportunity, OpportunityView)> {
        let o = load_visible(self.conn(), viewer, id)?;
        let audience = visibility::opportunity(viewer, &o).expect("load_visible checked");
        let mut view = OpportunityView::of(&o, audience, self.today());
        (view.aws, view.aws_refusal) = self.aws_views(viewer, &o.isv, o.id.as_str(), o.version)?;
        Ok((o, view))
    }

    /// The opportunity behind an offer the caller may already see (to judge the offer's
    /// actions): unscoped, never shown as such.
    pub fn opportunity_record(&self, id: &OpportunityId) -> MarketResult<Opportunity> {
        opportunities::get(self.conn(), id)?.ok_or_else(|| MarketError::not_found("opportunity", id))
    }

    /// A page of the opportunities `viewer` granted or received.
    pub fn opportunities(
        &self,
        viewer: &AccountId,
        status: Option<OpportunityStatus>,
        q: &ListQuery,
    ) -> MarketResult<Page<OpportunityView>> {
        let today = self.today();
        let page = query::opportunities(self.conn(), viewer, today, status, q)?;
        Ok(page.map(|o| visibility::opportunity(viewer, &o).map(|a| OpportunityView::of(&o, a, today))))
    }

    /// Every opportunity `partner` may make an offer from today, by name: the domain's
    /// [`Opportunity::check_offer_allowed`] decides, for all of them (no page limit).
    pub fn offer_targets(&self, partner: &AccountId) -> MarketResult<Vec<OpportunityView>> {
        let today = self.today();
        self.received_where(partner, |o| o.check_offer_allowed(partner, None, today).is_ok())
    }

    /// Every opportunity `partner` received that `keep` accepts, by name (no page limit).
    pub(super) fn received_where(
        &self,
        partner: &AccountId,
        keep: impl Fn(&Opportunity) -> bool,
    ) -> MarketResult<Vec<OpportunityView>> {
        let today = self.today();
        let mut q = ListQuery { limit: 500, sort: query::Sort::Name, ..ListQuery::default() };
        let mut out = Vec::new();
        loop {
            let page = query::opportunities(self.conn(), partner, today, None, &q)?;
            for o in &page.rows {
                if keep(o)
                    && let Some(a) = visibility::opportunity(partner, o)
                {
                    out.push(OpportunityView::of(o, a, today));
                }
            }
            match page.next {
                Some(c) => q.after = Some(c),
                None => return Ok(out),
            }
        }
    }

    pub fn count_opportunities(
        &self,
        viewer: &AccountId,
        status: Option<OpportunityStatus>,
        filter: Option<&str>,
    ) -> MarketResult<u64> {
        Ok(query::count_opportunities(self.conn(), viewer, self.today(), status, filter)?)
    }
}

/// Loads an opportunity the viewer may see; "not found" otherwise.
pub(super) fn load_visible(conn: &Conn, viewer: &AccountId, id: &OpportunityId) -> MarketResult<Opportunity> {
    opportunities::get(conn, id)?
        .filter(|o| visibility::opportunity(viewer, o).is_some())
        .ok_or_else(|| super::missing::not_found(conn, viewer, "opportunity", id.as_str()))
}

pub(super) fn event<'a>(
    actor: &'a AccountId,
    o: &'a Opportunity,
    action: &'static str,
    from: Option<OpportunityState>,
) -> NewEvent<'a> {
    NewEvent {
        actor,
        entity: "opportunity",
        entity_id: o.id.as_str(),
        action,
        from_state: from.map(OpportunityState::as_str),
        to_state: Some(o.state.as_str()),
        details: json!({ "name": o.name, "partner": o.partner.as_str(), "kind": o.kind.as_str() }),
        audience: visibility::opportunity_readers(o),
    }
}
