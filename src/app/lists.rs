//! One list state for the three tabs: what every tab's list answers, whatever its rows.
//! The Opportunities and Offers tabs page through the store ([`Pager`]); the Partners tab
//! holds its few rows whole ([`PartnerList`]). `App` asks [`App::list`] for the current
//! tab's list instead of matching on the tab.

use super::model::{DetailKey, Effect};
use super::pager::StatusFilter;
use super::pager::{Fetch, Pager};
use super::{App, Tab};
use crate::domain::ids::search_text;
use crate::domain::{AccountId, OfferStatus, OpportunityStatus};
use crate::market::AnyAgreement;
use crate::market::views::{OfferView, OpportunityView};
use crate::market::{Gone, RelationshipView, Sort};

/// What every tab's list does.
pub trait TabList {
    /// Rows have been read since the last reset.
    fn is_loaded(&self) -> bool;
    /// The row under the cursor is on screen for good (no read on its way that replaces it).
    fn is_settled(&self) -> bool;
    fn filter(&self) -> &str;
    /// Sets the filter; false when it did not change.
    fn set_filter(&mut self, text: String) -> bool;
    /// The sort and its direction, for the lists that sort.
    fn sort_mut(&mut self) -> Option<(&mut Sort, &mut bool)>;
    /// The detail the selected row opens.
    fn selected_key(&self) -> Option<DetailKey>;
    /// The requests that read the list again: from its first row (`fresh`) or where it is.
    fn refetch(&mut self, fresh: bool) -> Vec<Effect>;
    /// Moves the cursor; a page to read when it leaves what is loaded.
    fn move_by(&mut self, delta: i64) -> Option<Effect>;
    /// To the first or the last row.
    fn jump(&mut self, top: bool) -> Option<Effect>;
    /// A row count from the store (the lists that count in the store).
    fn receive_count(&mut self, _query_id: u64, _total: u64, _exact: bool) {}
    /// The next status filter (all, then each status in turn); false for a list without.
    fn cycle_status(&mut self) -> bool {
        false
    }
    /// The status the list is narrowed to.
    fn status_label(&self) -> Option<&'static str> {
        None
    }
    /// The status the list is narrowed to.
    fn status(&self) -> Option<StatusFilter> {
        None
    }
    fn set_status(&mut self, _status: Option<StatusFilter>) {}
    /// The next reload follows a write by another program: a record gone from under the
    /// cursor is to be said, and holds the action keys until the cursor moves.
    fn notice_gone(&mut self) {}
    /// The record the cursor was on has left the list (another program wrote): what
    /// happened, in words; until the cursor moves.
    fn gone_note(&self) -> Option<String> {
        None
    }
    /// [`gone_note`](Self::gone_note), once: when the page that found it is in.
    fn gone_news(&mut self) -> Option<String> {
        None
    }
    /// A filter that is a status's name (`draft`, `Expired`) becomes that status filter, as
    /// `f` sets it; true if it did.
    fn status_from_filter(&mut self) -> bool {
        false
    }
}

/// A row type that a [`Pager`] pages through: its tab, its read request, its detail.
pub trait PagedRow {
    const TAB: Tab;
    /// The statuses its list can be narrowed to (`f` cycles through them).
    fn statuses() -> Vec<StatusFilter>;
    fn fetch(f: Fetch) -> Effect;
    fn key(&self) -> DetailKey;
}

impl PagedRow for OpportunityView {
    const TAB: Tab = Tab::Opportunities;
    fn statuses() -> Vec<StatusFilter> {
        OpportunityStatus::ALL.into_iter().map(StatusFilter::Opportunity).collect()
    }
    fn fetch(f: Fetch) -> Effect {
        Effect::FetchOpportunities(f)
    }
    fn key(&self) -> DetailKey {
        DetailKey::Opportunity(self.id.clone())
    }
}

impl PagedRow for OfferView {
    const TAB: Tab = Tab::Offers;
    fn statuses() -> Vec<StatusFilter> {
        OfferStatus::ALL.into_iter().map(StatusFilter::Offer).collect()
    }
    fn fetch(f: Fetch) -> Effect {
        Effect::FetchOffers(f)
    }
    fn key(&self) -> DetailKey {
        DetailKey::Offer(self.id.clone())
    }
}

impl PagedRow for AnyAgreement {
    const TAB: Tab = Tab::Agreements;
    fn statuses() -> Vec<StatusFilter> {
        StatusFilter::agreement_statuses()
    }
    fn fetch(f: Fetch) -> Effect {
        Effect::FetchAgreements(f)
    }
    fn key(&self) -> DetailKey {
        DetailKey::Agreement(self.id().clone())
    }
}

impl<T: PagedRow> TabList for Pager<T> {
    fn is_loaded(&self) -> bool {
        Pager::is_loaded(self)
    }
    fn is_settled(&self) -> bool {
        Pager::is_settled(self)
    }
    fn filter(&self) -> &str {
        &self.filter
    }
    fn set_filter(&mut self, text: String) -> bool {
        let changed = self.filter != text;
        self.filter = text;
        changed
    }
    fn sort_mut(&mut self) -> Option<(&mut Sort, &mut bool)> {
        Some((&mut self.sort, &mut self.descending))
    }
    fn selected_key(&self) -> Option<DetailKey> {
        self.selected().map(T::key)
    }
    fn refetch(&mut self, fresh: bool) -> Vec<Effect> {
        let f = if fresh { self.reset() } else { self.reload() };
        let filter = (!self.filter.is_empty()).then(|| search_text(&self.filter));
        // The rows first: the count may take longer at a million rows (the worker then
        // counts a chunk at a time between other requests).
        vec![T::fetch(f), Effect::Count { tab: T::TAB, query_id: self.query_id, filter, status: self.status }]
    }
    fn move_by(&mut self, delta: i64) -> Option<Effect> {
        Pager::move_by(self, delta).map(T::fetch)
    }
    fn jump(&mut self, top: bool) -> Option<Effect> {
        let f = if top { self.top() } else { self.bottom() };
        f.map(T::fetch)
    }
    fn receive_count(&mut self, query_id: u64, total: u64, exact: bool) {
        Pager::receive_count(self, query_id, total, exact);
    }
    fn cycle_status(&mut self) -> bool {
        let all = T::statuses();
        self.status = match self.status.and_then(|s| all.iter().position(|a| *a == s)) {
            None => all.first().copied(),
            Some(i) => all.get(i + 1).copied(),
        };
        true
    }
    fn status_label(&self) -> Option<&'static str> {
        self.status.map(StatusFilter::label)
    }
    fn status(&self) -> Option<StatusFilter> {
        self.status
    }
    fn set_status(&mut self, status: Option<StatusFilter>) {
        self.status = status;
    }
    fn notice_gone(&mut self) {
        Pager::notice_gone(self);
    }
    fn gone_note(&self) -> Option<String> {
        self.gone().map(|(id, why)| gone_words(id, why, self.status_label(), &self.filter))
    }
    fn gone_news(&mut self) -> Option<String> {
        let (id, why) = Pager::gone_news(self)?;
        let id = id.to_owned();
        Some(gone_words(&id, why, self.status_label(), &self.filter))
    }
    fn status_from_filter(&mut self) -> bool {
        let Some(s) = T::statuses().into_iter().find(|s| s.label().eq_ignore_ascii_case(self.filter.trim())) else {
            return false;
        };
        self.status = Some(s);
        self.filter.clear();
        true
    }
}

/// Why the record `id` left a list narrowed to `status` and `filter`, in words.
fn gone_words(id: &str, why: Gone, status: Option<&str>, filter: &str) -> String {
    use super::text::notices as t;
    match (why, status) {
        (Gone::Deleted, _) => t::deleted_elsewhere(id),
        (Gone::Hidden, _) => t::hidden_now(id),
        (Gone::Status, Some(status)) => t::left_status(id, status),
        (Gone::Status | Gone::Filter, _) => t::left_filter(id, filter),
    }
}

/// The Partners tab: the acting account's counterparties, all of them at once.
#[derive(Debug, Default)]
pub struct PartnerList {
    pub rows: Vec<RelationshipView>,
    pub cursor: usize,
    pub loaded: bool,
    pub filter: String,
}

impl PartnerList {
    pub fn selected(&self) -> Option<&RelationshipView> {
        self.rows.get(self.cursor)
    }

    /// The rows read. Read again in place (not for a new filter or account), the cursor
    /// stays on its counterparty if it is still there, else on its row number.
    pub fn receive(&mut self, rows: Vec<RelationshipView>) {
        let on = self.selected().filter(|_| self.loaded).map(|r| (r.account_id.clone(), r.role));
        self.rows = rows;
        self.loaded = true;
        let kept = on.and_then(|(a, role)| self.rows.iter().position(|r| r.account_id == a && r.role == role));
        self.cursor = kept.unwrap_or(self.cursor).min(self.rows.len().saturating_sub(1));
    }

    pub fn load(&self) -> Effect {
        Effect::LoadPartners { filter: (!self.filter.is_empty()).then(|| search_text(&self.filter)) }
    }
}

impl TabList for PartnerList {
    fn is_loaded(&self) -> bool {
        self.loaded
    }
    fn is_settled(&self) -> bool {
        self.loaded
    }
    fn filter(&self) -> &str {
        &self.filter
    }
    fn set_filter(&mut self, text: String) -> bool {
        // Always read again: the rows come from the store already filtered.
        self.cursor = 0;
        self.filter = text;
        self.loaded = false;
        true
    }
    fn sort_mut(&mut self) -> Option<(&mut Sort, &mut bool)> {
        None
    }
    fn selected_key(&self) -> Option<DetailKey> {
        self.selected().map(|r| DetailKey::Partner { account: r.account_id.clone(), role: r.role })
    }
    fn refetch(&mut self, fresh: bool) -> Vec<Effect> {
        self.loaded &= !fresh;
        vec![self.load()]
    }
    fn move_by(&mut self, delta: i64) -> Option<Effect> {
        let last = self.rows.len().saturating_sub(1) as i64;
        self.cursor = (self.cursor as i64 + delta).clamp(0, last) as usize;
        None
    }
    fn jump(&mut self, top: bool) -> Option<Effect> {
        self.cursor = if top { 0 } else { self.rows.len().saturating_sub(1) };
        None
    }
}

impl App {
    /// The list of `tab`.
    pub fn list(&self, tab: Tab) -> &dyn TabList {
        match tab {
            Tab::Partners => &self.tabs.partners,
            Tab::Opportunities => &self.tabs.opportunities,
            Tab::Offers => &self.tabs.offers,
            Tab::Agreements => &self.tabs.agreements,
        }
    }

    /// A tab's label in the tab bar: ` 3 Offers (1,234) `.
    pub fn tab_label(&self, tab: Tab) -> String {
        let count = match tab {
            Tab::Partners if self.tabs.partners.loaded => self.tabs.partners.rows.len().to_string(),
            Tab::Partners => "…".into(),
            Tab::Opportunities => self.tabs.opportunities.count_label(),
            Tab::Offers => self.tabs.offers.count_label(),
            Tab::Agreements => self.tabs.agreements.count_label(),
        };
        let i = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
        format!(" {} {} ({count}) ", i + 1, tab.title())
    }

    pub(super) fn list_mut(&mut self, tab: Tab) -> &mut dyn TabList {
        match tab {
            Tab::Partners => &mut self.tabs.partners,
            Tab::Opportunities => &mut self.tabs.opportunities,
            Tab::Offers => &mut self.tabs.offers,
            Tab::Agreements => &mut self.tabs.agreements,
        }
    }
}

/// What `@` keeps of one tab for an account while another acts: its text filter, its
/// status filter and its sort.
#[derive(Debug, Clone)]
pub(crate) struct ListView {
    filter: String,
    status: Option<StatusFilter>,
    sort: Option<(Sort, bool)>,
}

impl ListView {
    fn of(list: &mut dyn TabList) -> Self {
        Self { filter: list.filter().to_owned(), status: list.status(), sort: list.sort_mut().map(|(s, d)| (*s, *d)) }
    }

    /// A tab as it first opens: no filter, no status, the first sort.
    fn fresh() -> Self {
        let p = Pager::<OfferView>::default();
        Self { filter: String::new(), status: None, sort: Some((p.sort, p.descending)) }
    }

    fn put(self, list: &mut dyn TabList) {
        list.set_filter(self.filter);
        list.set_status(self.status);
        if let (Some((sort, descending)), Some((s, d))) = (self.sort, list.sort_mut()) {
            (*s, *d) = (sort, descending);
        }
    }
}

impl App {
    /// `@`: the account that acted (`from`) keeps its tables' filters and sorts; the one
    /// that acts now (`to`) gets its own back, or starts unfiltered. A buyer never sees
    /// another account's `Expired` filter hide the offer waiting for it.
    pub(super) fn trade_views(&mut self, from: Option<AccountId>, to: Option<&AccountId>) {
        if let Some(from) = from {
            let views = Tab::ALL.iter().map(|t| ListView::of(self.list_mut(*t))).collect();
            self.tabs.kept.insert(from, views);
        }
        let views = to.and_then(|id| self.tabs.kept.remove(id)).unwrap_or_else(|| vec![ListView::fresh(); 4]);
        for (tab, view) in Tab::ALL.into_iter().zip(views) {
            view.put(self.list_mut(tab));
        }
    }
}
