//! Records known by their `list-entities` summary only (AWS gave no details yet), as the
//! lists show them beside the records cppo holds: the same fields where the summary gives
//! them, AWS's word for the state, and the status derived as for a held record.

use chrono::NaiveDate;

use super::{Market, MarketResult};
use crate::domain::sync::{summary_offer_status, summary_opportunity_status};
use crate::domain::visibility::SummaryState;
use crate::domain::{AccountId, OfferStatus, OpportunityStatus};
use crate::store::aws::Summary;

/// A summarised opportunity or offer, as its viewer sees it. `None`: the summary did not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryView {
    pub id: String,
    pub name: Option<String>,
    pub product_id: Option<String>,
    pub isv_account_id: Option<AccountId>,
    pub partner_account_id: Option<AccountId>,
    /// An offer's resale authorization.
    pub opportunity_id: Option<String>,
    /// An opportunity's end date, an offer's expiry.
    pub ends_on: Option<NaiveDate>,
    /// AWS's word for its state, as AWS wrote it (`Released`, `Restricted`).
    pub aws_status: Option<String>,
    /// cppo's stored state for it (`released`), when AWS's word is one cppo knows.
    pub state: Option<&'static str>,
    /// What cppo shows, derived from the state and the end date as for a held record.
    pub status: Option<SummaryStatus>,
}

/// The status a summary shows, of its kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryStatus {
    Opportunity(OpportunityStatus),
    Offer(OfferStatus),
}

impl SummaryStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Opportunity(s) => s.label(),
            Self::Offer(s) => s.label(),
        }
    }
}

impl SummaryView {
    fn of(s: Summary, today: NaiveDate) -> Self {
        let (state, status) = match s.state() {
            SummaryState::Opportunity(st) => (
                st.map(|st| st.as_str()),
                st.map(|st| SummaryStatus::Opportunity(summary_opportunity_status(st, s.ends_on, today))),
            ),
            SummaryState::Offer(st) => (
                st.map(|st| st.as_str()),
                st.map(|st| SummaryStatus::Offer(summary_offer_status(st, s.ends_on, today))),
            ),
        };
        Self {
            id: s.id,
            name: s.name,
            product_id: s.product_id,
            isv_account_id: s.isv,
            partner_account_id: s.partner,
            opportunity_id: s.opportunity_id,
            ends_on: s.ends_on,
            aws_status: s.status,
            state,
            status,
        }
    }
}

impl Market {
    /// The opportunities `viewer` knows by their summary only, by id; with `status`, those
    /// showing it (one whose state AWS did not give shows none).
    pub fn opportunity_summaries(
        &self,
        viewer: &AccountId,
        status: Option<OpportunityStatus>,
    ) -> MarketResult<Vec<SummaryView>> {
        self.summary_views(viewer, "opportunity", status.map(SummaryStatus::Opportunity))
    }

    /// The offers `viewer` knows by their summary only, by id; with `status`, those showing it.
    pub fn offer_summaries(&self, viewer: &AccountId, status: Option<OfferStatus>) -> MarketResult<Vec<SummaryView>> {
        self.summary_views(viewer, "offer", status.map(SummaryStatus::Offer))
    }

    fn summary_views(
        &self,
        viewer: &AccountId,
        entity: &str,
        status: Option<SummaryStatus>,
    ) -> MarketResult<Vec<SummaryView>> {
        let today = self.today();
        Ok(self
            .summaries(viewer)?
            .into_iter()
            .filter(|s| s.entity == entity)
            .map(|s| SummaryView::of(s, today))
            .filter(|v| status.is_none() || v.status == status)
            .collect())
    }
}
