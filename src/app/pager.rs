//! A table over a list that may hold a million rows: a window of loaded rows (a few pages
//! around the cursor), the total count, and the keyset cursors to page on. The cursor and
//! the scroll position are absolute row numbers; the window follows them.

use crate::domain::ids::search_text;
use crate::domain::{AgreementStatus, OfferStatus, OpportunityStatus};
use crate::market::{AgreementNarrow, Cursor, Gone, ListQuery, Page, Sort, Spot};

/// Rows fetched per request.
pub const PAGE: usize = 200;
/// Rows fetched first when the window is replaced (a new query, `g`, `G`): a screenful, so
/// that it shows at once; the prefetch brings a full page right after.
pub const FIRST_PAGE: usize = 64;
/// Rows kept around the cursor; beyond this the far end is dropped.
pub const WINDOW: usize = 3 * PAGE;

/// Where a fetched page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Replaces the window, starting at row 0.
    Top,
    /// Replaces the window with the rows around the record under the cursor (the query's
    /// `after`), found again by its id wherever it now sorts, or around where it stood if it
    /// is gone: a reload that keeps the cursor on its record. Answered with a [`Spot`].
    Around,
    /// After the window.
    Append,
    /// Before the window (the page was read in reverse).
    Prepend,
    /// Replaces the window with the last rows (read in reverse).
    Bottom,
}

/// A tab narrowed to one status (`f`), as the status itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Opportunity(OpportunityStatus),
    Offer(OfferStatus),
    /// The Agreements tab: a status (`f`) or the renewal radar's window (`w`).
    Agreement(AgreementNarrow),
}

impl StatusFilter {
    pub fn label(self) -> &'static str {
        match self {
            Self::Opportunity(s) => s.label(),
            Self::Offer(s) => s.label(),
            Self::Agreement(AgreementNarrow::Status(s)) => s.label(),
            Self::Agreement(AgreementNarrow::EndingWithin(days)) => super::text::tables::ending_within(days),
        }
    }
    pub fn opportunity(filter: Option<Self>) -> Option<OpportunityStatus> {
        match filter {
            Some(Self::Opportunity(s)) => Some(s),
            _ => None,
        }
    }
    pub fn agreement(filter: Option<Self>) -> Option<AgreementNarrow> {
        match filter {
            Some(Self::Agreement(n)) => Some(n),
            _ => None,
        }
    }
    /// The statuses `f` cycles through on the Agreements tab.
    pub fn agreement_statuses() -> Vec<Self> {
        AgreementStatus::ALL.into_iter().map(|s| Self::Agreement(AgreementNarrow::Status(s))).collect()
    }
    pub fn offer(filter: Option<Self>) -> Option<OfferStatus> {
        match filter {
            Some(Self::Offer(s)) => Some(s),
            _ => None,
        }
    }
}

/// A page request: the query to run and where its rows go.
#[derive(Debug, Clone)]
pub struct Fetch {
    pub generation: u64,
    pub placement: Placement,
    pub query: ListQuery,
    /// The status filter (`None`: all).
    pub status: Option<StatusFilter>,
}

#[derive(Debug, Clone)]
pub struct Pager<T> {
    rows: Vec<T>,
    keys: Vec<Cursor>,
    /// Absolute index of `rows[0]`.
    base: u64,
    total: Option<u64>,
    /// While the count goes on: how many rows it has found so far.
    at_least: Option<u64>,
    /// The window was read from the end (`G`): its row numbers count back from the total.
    from_end: bool,
    cursor: u64,
    scroll: u64,
    more_before: bool,
    more_after: bool,
    pending: bool,
    /// A fetch that replaces the window is on its way: the rows shown are about to go.
    replacing: bool,
    loaded: bool,
    /// Bumped by every request that replaces the window, so that answers to older requests
    /// are dropped.
    pub generation: u64,
    /// Bumped when the query itself changes (filter, sort, account, reload): a count belongs
    /// to a query, and `g` or `G` do not make it stale.
    pub query_id: u64,
    pub sort: Sort,
    pub descending: bool,
    pub filter: String,
    /// The status filter (`None`: all).
    pub status: Option<StatusFilter>,
    /// The table's height at the last `follow`: a first page fills at least two of it.
    height: u16,
    /// The record the cursor was on left the list when another program wrote to the file:
    /// its id and why. The row under the cursor is then another one, which no action key
    /// takes until the user moves the cursor.
    gone: Option<(String, Gone)>,
    /// `gone` was set by the last page and not said yet.
    gone_unsaid: bool,
    /// The next reload follows a write by another program (see [`Pager::notice_gone`]),
    /// and then the generation of that reload.
    notice_next: bool,
    notice_generation: Option<u64>,
}

impl<T> Default for Pager<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            keys: Vec::new(),
            base: 0,
            total: None,
            at_least: None,
            from_end: false,
            cursor: 0,
            scroll: 0,
            more_before: false,
            more_after: false,
            pending: false,
            replacing: false,
            loaded: false,
            generation: 0,
            query_id: 0,
            sort: Sort::Created,
            descending: true,
            filter: String::new(),
            status: None,
            height: 0,
            gone: None,
            gone_unsaid: false,
            notice_next: false,
            notice_generation: None,
        }
    }
}

impl<T> Pager<T> {
    fn query(&self, reverse: bool, after: Option<Cursor>, inclusive: bool, limit: usize) -> ListQuery {
        ListQuery {
            sort: self.sort,
            descending: self.descending != reverse,
            filter: (!self.filter.is_empty()).then(|| search_text(&self.filter)),
            after,
            inclusive,
            limit,
        }
    }

    /// The size of a page that replaces the window.
    fn first_page(&self) -> usize {
        FIRST_PAGE.max(2 * usize::from(self.height)).min(PAGE)
    }

    fn fetch(&mut self, placement: Placement, query: ListQuery) -> Fetch {
        self.pending = true;
        self.replacing = matches!(placement, Placement::Top | Placement::Around | Placement::Bottom);
        Fetch { generation: self.generation, placement, query, status: self.status }
    }

    /// Starts over from the top (new filter, sort or account): a new generation.
    pub fn reset(&mut self) -> Fetch {
        self.generation += 1;
        self.query_id += 1;
        self.rows.clear();
        self.keys.clear();
        self.base = 0;
        self.cursor = 0;
        self.scroll = 0;
        self.total = None;
        self.at_least = None;
        self.loaded = false;
        self.moved();
        self.notice_next = false;
        self.notice_generation = None;
        let q = self.query(false, None, false, self.first_page());
        self.fetch(Placement::Top, q)
    }

    /// Re-reads the list (after a change) around the record under the cursor: the cursor
    /// stays on that record, wherever it now sorts, at the same line of the screen if it can.
    pub fn reload(&mut self) -> Fetch {
        self.generation += 1;
        self.query_id += 1;
        self.notice_generation = std::mem::take(&mut self.notice_next).then_some(self.generation);
        let Some(at) = self.selected_cursor() else {
            let q = self.query(false, None, false, PAGE);
            return self.fetch(Placement::Top, q);
        };
        let q = self.query(false, Some(at), true, PAGE);
        self.fetch(Placement::Around, q)
    }

    /// The next reload follows a write by another program: if the record under the cursor
    /// has left the list, [`gone`](Self::gone) says so until the cursor moves.
    pub fn notice_gone(&mut self) {
        self.notice_next = true;
    }

    /// The keyset cursor of the row under the cursor.
    fn selected_cursor(&self) -> Option<Cursor> {
        self.cursor.checked_sub(self.base).and_then(|k| self.keys.get(k as usize)).cloned()
    }

    /// The user moved the cursor: the row under it is their choice again.
    fn moved(&mut self) {
        self.gone = None;
        self.gone_unsaid = false;
    }

    /// Takes a fetched page; returns a follow-up fetch if the cursor needs more rows.
    pub fn receive(&mut self, f: &Fetch, page: Page<T>) -> Option<Fetch> {
        self.receive_at(f, page, None)
    }

    /// Takes a fetched page and, for [`Placement::Around`], where it stands.
    pub fn receive_at(&mut self, f: &Fetch, page: Page<T>, spot: Option<Spot>) -> Option<Fetch> {
        if f.generation != self.generation {
            return None;
        }
        self.pending = false;
        self.replacing = false;
        self.loaded = true;
        let full = page.rows.len() >= f.query.limit;
        let n = page.rows.len() as u64;
        match f.placement {
            Placement::Top => {
                self.base = 0;
                self.from_end = false;
                self.rows = page.rows;
                self.keys = page.keys;
                self.more_before = false;
                self.more_after = full;
            }
            Placement::Around => {
                let spot = spot.unwrap_or(Spot { first_row: 0, at: 0, gone: None });
                // The record keeps its line on the screen (`follow` then clamps), unless the
                // screen showed the top and still can: new rows sorted first show there.
                let line = self.cursor.saturating_sub(self.scroll);
                let top = self.scroll == 0;
                self.more_after = page.next.is_some();
                self.rows = page.rows;
                self.keys = page.keys;
                self.base = spot.first_row;
                self.from_end = false;
                self.more_before = self.base > 0;
                self.cursor = self.base + spot.at as u64;
                let on_first_screen = self.cursor < u64::from(self.height.max(1));
                self.scroll = if top && on_first_screen { 0 } else { self.cursor.saturating_sub(line) };
                // The count on its way is of the new rows: one too small for them is stale.
                if self.total.is_some_and(|t| t < self.base + self.rows.len() as u64) {
                    self.total = None;
                }
                if let (Some(why), Some(was)) = (spot.gone, &f.query.after)
                    && self.notice_generation == Some(f.generation)
                {
                    self.gone = Some((was.id.clone(), why));
                    self.gone_unsaid = true;
                }
            }
            Placement::Append => {
                self.rows.extend(page.rows);
                self.keys.extend(page.keys);
                self.more_after = full;
                let excess = self.rows.len().saturating_sub(WINDOW);
                if excess > 0 && (self.cursor - self.base) as usize > excess {
                    self.rows.drain(..excess);
                    self.keys.drain(..excess);
                    self.base += excess as u64;
                    self.more_before = true;
                }
            }
            Placement::Prepend => {
                let mut rows = page.rows;
                let mut keys = page.keys;
                rows.reverse();
                keys.reverse();
                self.base = if full { self.base.saturating_sub(n) } else { 0 };
                rows.append(&mut self.rows);
                keys.append(&mut self.keys);
                self.rows = rows;
                self.keys = keys;
                self.more_before = full && self.base > 0;
                let excess = self.rows.len().saturating_sub(WINDOW);
                if excess > 0 && self.cursor < self.base + (self.rows.len() - excess) as u64 {
                    self.rows.truncate(self.rows.len() - excess);
                    self.keys.truncate(self.keys.len() - excess);
                    self.more_after = true;
                }
            }
            Placement::Bottom => {
                let mut rows = page.rows;
                let mut keys = page.keys;
                rows.reverse();
                keys.reverse();
                let total = self.total.or(self.at_least).unwrap_or(n).max(n);
                self.base = total - n;
                self.from_end = self.total.is_none();
                self.rows = rows;
                self.keys = keys;
                self.more_before = self.base > 0;
                self.more_after = false;
                self.cursor = self.base + n.saturating_sub(1);
            }
        }
        // Reaching the end tells the exact count, where the window's start is known for sure.
        let exact_base = matches!(f.placement, Placement::Top | Placement::Append | Placement::Around);
        if exact_base && !self.more_after && self.total.is_some_and(|t| t != self.base + self.rows.len() as u64) {
            self.total = Some(self.base + self.rows.len() as u64);
        }
        self.clamp();
        self.prefetch()
    }

    /// Takes the count of rows matching the current query: the total once `exact`, else a
    /// lower bound found so far.
    pub fn receive_count(&mut self, query_id: u64, total: u64, exact: bool) {
        if query_id != self.query_id {
            return;
        }
        if !exact {
            self.at_least = Some(total);
            return;
        }
        // A window read from the end before the total was known numbered its rows from a
        // guess: renumber them from the real end.
        if self.from_end && !self.more_after && !self.rows.is_empty() {
            let base = total.saturating_sub(self.rows.len() as u64);
            self.cursor = self.cursor - self.base + base;
            self.scroll = (self.scroll + base).saturating_sub(self.base);
            self.base = base;
            self.more_before = base > 0;
        }
        self.from_end = false;
        self.total = Some(total);
        self.at_least = None;
        self.clamp();
    }

    fn clamp(&mut self) {
        let last = self.known_len().saturating_sub(1);
        self.cursor = self.cursor.min(last);
        // The cursor can only rest on a loaded row.
        if !self.rows.is_empty() {
            self.cursor = self.cursor.clamp(self.base, self.base + self.rows.len() as u64 - 1);
        } else {
            self.cursor = 0;
        }
    }

    /// Asks for the next page early, so that `j` never waits for the store.
    fn prefetch(&mut self) -> Option<Fetch> {
        if self.pending || self.rows.is_empty() {
            return None;
        }
        let pos = (self.cursor - self.base) as usize;
        if self.more_after && self.rows.len() - pos <= PAGE / 2 {
            let q = self.query(false, self.keys.last().cloned(), false, PAGE);
            return Some(self.fetch(Placement::Append, q));
        }
        if self.more_before && pos < PAGE / 2 {
            let q = self.query(true, self.keys.first().cloned(), false, PAGE);
            return Some(self.fetch(Placement::Prepend, q));
        }
        None
    }

    /// Moves the cursor by `delta` rows (as far as the loaded rows allow).
    pub fn move_by(&mut self, delta: i64) -> Option<Fetch> {
        self.moved();
        let target = (self.cursor as i64 + delta).max(0) as u64;
        self.cursor = target;
        self.clamp();
        self.prefetch()
    }

    /// `g`: the first row.
    pub fn top(&mut self) -> Option<Fetch> {
        self.moved();
        if self.base == 0 {
            self.cursor = 0;
            self.scroll = 0;
            return self.prefetch();
        }
        self.generation += 1;
        let q = self.query(false, None, false, self.first_page());
        self.cursor = 0;
        self.scroll = 0;
        Some(self.fetch(Placement::Top, q))
    }

    /// `G`: the last row.
    pub fn bottom(&mut self) -> Option<Fetch> {
        self.moved();
        if !self.more_after {
            self.cursor = self.base + (self.rows.len() as u64).saturating_sub(1);
            return self.prefetch();
        }
        self.generation += 1;
        let q = self.query(true, None, false, self.first_page());
        Some(self.fetch(Placement::Bottom, q))
    }

    /// Keeps the cursor inside a viewport of `height` rows.
    pub fn follow(&mut self, height: u16) {
        self.height = height;
        let h = u64::from(height.max(1));
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + h {
            self.scroll = self.cursor + 1 - h;
        }
        let max_scroll = self.known_len().saturating_sub(h);
        self.scroll = self.scroll.min(max_scroll);
    }

    /// The count, or what is known of it while counting.
    pub fn known_len(&self) -> u64 {
        self.total.unwrap_or_else(|| self.at_least.unwrap_or(0).max(self.base + self.rows.len() as u64))
    }
    /// The exact count, once known.
    pub fn total(&self) -> Option<u64> {
        self.total
    }
    /// While counting: the rows found so far (a lower bound of the total).
    pub fn at_least(&self) -> Option<u64> {
        self.at_least.filter(|_| self.total.is_none())
    }
    /// The count as titles show it: `1,234` once known, `1,200+…` while the count goes on
    /// (what it has found so far), `…` before.
    pub fn count_label(&self) -> String {
        let count = |n: u64| crate::domain::money::group_thousands(&n.to_string());
        match (self.total(), self.at_least()) {
            (Some(n), _) => count(n),
            (None, Some(n)) => format!("{}+…", count(n)),
            (None, None) => "…".into(),
        }
    }
    /// The rows on screen are those of the current query, and none is about to be replaced
    /// (a new filter, sort, reload, `g` or `G` on its way): the row under the cursor is the
    /// one a key acts on.
    pub fn is_settled(&self) -> bool {
        self.loaded && !self.replacing
    }
    pub fn cursor(&self) -> u64 {
        self.cursor
    }
    pub fn scroll(&self) -> u64 {
        self.scroll
    }
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }
    pub fn selected(&self) -> Option<&T> {
        self.row(self.cursor)
    }
    /// The record the cursor was on, gone from the list since (another program wrote), and
    /// why; until the cursor moves.
    pub fn gone(&self) -> Option<(&str, Gone)> {
        self.gone.as_ref().map(|(id, why)| (id.as_str(), *why))
    }
    /// [`gone`](Self::gone), the first time it is asked after the page that found it.
    pub fn gone_news(&mut self) -> Option<(&str, Gone)> {
        if !std::mem::take(&mut self.gone_unsaid) {
            return None;
        }
        self.gone()
    }
    /// The absolute index of the first loaded row that `f` picks.
    pub fn find(&self, f: impl Fn(&T) -> bool) -> Option<u64> {
        self.rows.iter().position(f).map(|k| self.base + k as u64)
    }
    /// The row at absolute index `i`, if loaded.
    pub fn row(&self, i: u64) -> Option<&T> {
        i.checked_sub(self.base).and_then(|k| self.rows.get(k as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(from: u64, n: u64, limit: usize, reverse: bool) -> Page<u64> {
        let rows: Vec<u64> = if reverse { (from + 1 - n..=from).rev().collect() } else { (from..from + n).collect() };
        let keys = rows.iter().map(|r| Cursor { keys: vec![format!("{r:08}")], id: r.to_string() }).collect::<Vec<_>>();
        let next = (rows.len() >= limit).then(|| keys.last().cloned()).flatten();
        Page { first: keys.first().cloned(), rows, keys, next }
    }

    #[test]
    fn scrolling_down_prefetches_and_keeps_a_bounded_window() {
        let mut p: Pager<u64> = Pager::default();
        let f = p.reset();
        p.receive_count(p.query_id, 10_000, true);
        let mut next = p.receive(&f, page(0, PAGE as u64, PAGE, false));
        let mut loaded_to = PAGE as u64;
        for _ in 0..2_000 {
            if let Some(f) = next.take() {
                assert_eq!(f.placement, Placement::Append);
                next = p.receive(&f, page(loaded_to, PAGE as u64, PAGE, false));
                loaded_to += PAGE as u64;
            }
            if let Some(f) = p.move_by(1) {
                next = Some(f);
            }
            assert_eq!(p.selected(), Some(&p.cursor()), "the selected row is the cursor's row");
            assert!(p.rows.len() <= WINDOW + PAGE);
        }
        assert_eq!(p.cursor(), 2_000);
    }

    #[test]
    fn bottom_jumps_to_the_last_row_and_scrolling_up_pages_backwards() {
        let mut p: Pager<u64> = Pager::default();
        let f = p.reset();
        p.receive_count(p.query_id, 1_000_000, true);
        p.receive(&f, page(0, PAGE as u64, PAGE, false));
        let f = p.bottom().expect("the end is not loaded");
        assert_eq!(f.placement, Placement::Bottom);
        assert!(f.query.descending != p.descending);
        assert!(p.receive(&f, page(999_999, PAGE as u64, PAGE, true)).is_none());
        assert_eq!(p.cursor(), 999_999);
        assert_eq!(p.selected(), Some(&999_999));
        let f = p.move_by(-(PAGE as i64 / 2)).expect("needs the rows before");
        assert_eq!(f.placement, Placement::Prepend);
        p.receive(&f, page(999_999 - PAGE as u64, PAGE as u64, PAGE, true));
        assert_eq!(p.selected(), Some(&p.cursor()));
        p.move_by(-150);
        assert_eq!(p.selected(), Some(&p.cursor()));
    }

    #[test]
    fn answers_to_an_older_query_are_ignored() {
        let mut p: Pager<u64> = Pager::default();
        let old = p.reset();
        let new = p.reset();
        assert!(p.receive(&old, page(0, 5, PAGE, false)).is_none());
        assert!(!p.is_loaded());
        p.receive(&new, page(100, 3, PAGE, false));
        assert_eq!(p.known_len(), 3);
        assert_eq!(p.selected(), Some(&100));
    }

    /// A window of rows `0..200` with the cursor on row 5, the fifth line of the screen.
    fn on_row_five() -> Pager<u64> {
        let mut p: Pager<u64> = Pager::default();
        let f = p.reset();
        p.receive_count(p.query_id, 10_000, true);
        p.receive(&f, page(0, PAGE as u64, PAGE, false));
        p.move_by(5);
        p.follow(20);
        p
    }

    /// The answer to a reload around the record: `first_row..first_row + n`, the record at `at`.
    fn around(p: &mut Pager<u64>, f: &Fetch, first_row: u64, at: usize, gone: Option<Gone>) -> Option<Fetch> {
        let mut rows = page(first_row, PAGE as u64 + at as u64, PAGE, false);
        rows.next = rows.keys.last().cloned();
        p.receive_at(f, rows, Some(Spot { first_row, at, gone }))
    }

    #[test]
    fn a_reload_keeps_the_cursor_on_its_record_wherever_it_now_sorts() {
        let mut p = on_row_five();
        let f = p.reload();
        assert_eq!(f.placement, Placement::Around);
        assert_eq!(f.query.after.as_ref().map(|c| c.id.as_str()), Some("5"), "read around the record");
        assert!(f.query.inclusive);
        assert!(!p.is_settled(), "keys wait for the rows around it");
        // 10,000 rows were written before it: it is row 10,005 now, the 101st of the page.
        assert!(around(&mut p, &f, 9_905, 100, None).is_none());
        assert_eq!(p.cursor(), 10_005);
        assert_eq!(p.selected(), Some(&10_005));
        p.follow(20);
        assert_eq!(p.scroll(), 10_000, "on the same line of the screen");
        assert!(p.gone().is_none());
        // The count from before the write is stale: the rows read say there are more.
        assert!(p.known_len() > 10_005);
    }

    #[test]
    fn a_record_gone_after_another_programs_write_is_said_once_and_holds_until_the_cursor_moves() {
        let mut p = on_row_five();
        // After a write of its own (no notice asked), a row gone is not news.
        let f = p.reload();
        around(&mut p, &f, 0, 5, Some(Gone::Deleted));
        assert!(p.gone().is_none());
        p.notice_gone();
        let f = p.reload();
        around(&mut p, &f, 0, 5, Some(Gone::Deleted));
        assert_eq!(p.cursor(), 5, "on the row that now stands where it stood");
        assert_eq!(p.gone(), Some(("5", Gone::Deleted)));
        assert_eq!(p.gone_news(), Some(("5", Gone::Deleted)));
        assert_eq!(p.gone_news(), None, "said once");
        assert!(p.gone().is_some(), "still held");
        // A reload that finds the row under the cursor keeps it held.
        let f = p.reload();
        around(&mut p, &f, 0, 5, None);
        assert!(p.gone().is_some());
        p.move_by(0);
        assert!(p.gone().is_none(), "the user chose the row");
    }

    #[test]
    fn a_notice_belongs_to_its_reload_only() {
        let mut p = on_row_five();
        p.notice_gone();
        let stale = p.reload();
        // `G` replaces the window before the reload answers: its answer is dropped...
        let end = p.bottom().expect("the end is not loaded");
        assert!(around(&mut p, &stale, 0, 5, Some(Gone::Filter)).is_none());
        assert!(p.gone().is_none());
        p.receive(&end, page(9_999, PAGE as u64, PAGE, true));
        assert_eq!(p.cursor(), 9_999);
        // ...and a later reload after a write of cppo's own is not noticed.
        let f = p.reload();
        around(&mut p, &f, 0, 0, Some(Gone::Status));
        assert!(p.gone().is_none());
    }

    #[test]
    fn the_cursor_is_clamped_when_the_list_shrinks() {
        let mut p: Pager<u64> = Pager::default();
        let f = p.reset();
        p.receive(&f, page(0, 50, PAGE, false));
        p.move_by(40);
        let f = p.reset();
        p.receive(&f, page(0, 3, PAGE, false));
        assert_eq!(p.cursor(), 0);
        p.move_by(10);
        assert_eq!(p.cursor(), 2);
        p.follow(10);
        assert_eq!(p.scroll(), 0);
    }
}
