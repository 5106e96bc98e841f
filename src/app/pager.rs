//! A table over a list that may hold a million rows: a window of loaded rows (a few pages
//! around the cursor), the total count, and the keyset cursors to page on. The cursor and
//! the scroll position are absolute row numbers; the window follows them.

use crate::market::{Cursor, ListQuery, Page, Sort};

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
    /// Replaces the window, re-reading from its first row (a reload that keeps the place).
    Here,
    /// After the window.
    Append,
    /// Before the window (the page was read in reverse).
    Prepend,
    /// Replaces the window with the last rows (read in reverse).
    Bottom,
}

/// A page request: the query to run and where its rows go.
#[derive(Debug, Clone)]
pub struct Fetch {
    pub generation: u64,
    pub placement: Placement,
    pub query: ListQuery,
    /// The status filter: an index into the tab's statuses (`None`: all).
    pub status: Option<usize>,
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
    /// The status filter: an index into the tab's statuses (`None`: all).
    pub status: Option<usize>,
    /// The table's height at the last `follow`: a first page fills at least two of it.
    height: u16,
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
        }
    }
}

impl<T> Pager<T> {
    fn query(&self, reverse: bool, after: Option<Cursor>, inclusive: bool, limit: usize) -> ListQuery {
        ListQuery {
            sort: self.sort,
            descending: self.descending != reverse,
            filter: (!self.filter.is_empty()).then(|| self.filter.clone()),
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
        self.replacing = matches!(placement, Placement::Top | Placement::Here | Placement::Bottom);
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
        let q = self.query(false, None, false, self.first_page());
        self.fetch(Placement::Top, q)
    }

    /// Re-reads the window where it is (after a change), keeping the cursor's row number.
    /// At the top it re-reads from the top, so that new rows sorted first appear.
    pub fn reload(&mut self) -> Fetch {
        self.generation += 1;
        self.query_id += 1;
        let limit = self.rows.len().max(PAGE);
        if self.base == 0 || self.keys.is_empty() {
            let q = self.query(false, None, false, limit);
            return self.fetch(Placement::Top, q);
        }
        let q = self.query(false, self.keys.first().cloned(), true, limit);
        self.fetch(Placement::Here, q)
    }

    /// Takes a fetched page; returns a follow-up fetch if the cursor needs more rows.
    pub fn receive(&mut self, f: &Fetch, page: Page<T>) -> Option<Fetch> {
        if f.generation != self.generation {
            return None;
        }
        self.pending = false;
        self.replacing = false;
        self.loaded = true;
        let full = page.rows.len() >= f.query.limit;
        let n = page.rows.len() as u64;
        match f.placement {
            Placement::Top | Placement::Here => {
                if f.placement == Placement::Top {
                    self.base = 0;
                    self.from_end = false;
                }
                self.rows = page.rows;
                self.keys = page.keys;
                self.more_before = self.base > 0;
                self.more_after = full;
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
        let exact_base = matches!(f.placement, Placement::Top | Placement::Append);
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
        let target = (self.cursor as i64 + delta).max(0) as u64;
        self.cursor = target;
        self.clamp();
        self.prefetch()
    }

    /// `g`: the first row.
    pub fn top(&mut self) -> Option<Fetch> {
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
