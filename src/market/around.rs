//! Reading a list again around the record its cursor was on: when the file changes under
//! the TUI, its cursor stays on that record, wherever it now sorts, and is told when the
//! record has left the list (and why).

use super::views::{OfferView, OpportunityView};
use super::{Market, MarketResult};
use crate::domain::{AccountId, OfferStatus, OpportunityStatus};
use crate::store::query::{self, Cursor, ListQuery, Page, Position};

pub use crate::store::query::Gone;

/// Where a page read around a record stands in its list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// The row number of the page's first row.
    pub first_row: u64,
    /// The page's row that is the record; if the record is gone, the row that now stands
    /// where it stood (the page's length when none does).
    pub at: usize,
    /// Why the record is not in the list any more (`None`: it is, at `at`).
    pub gone: Option<Gone>,
}

impl Market {
    /// The opportunities around the one at `q.after` (its id and the keys it had): up to
    /// `q.limit / 2` rows before it and `q.limit` rows from it, in the list `q` and `status`
    /// describe.
    pub fn opportunities_around(
        &self,
        viewer: &AccountId,
        status: Option<OpportunityStatus>,
        q: &ListQuery,
    ) -> MarketResult<(Page<OpportunityView>, Spot)> {
        let position = query::locate_opportunity(self.conn(), viewer, self.today(), status, q)?;
        around(q, position, |q| self.opportunities(viewer, status, q))
    }

    /// The offers around the one at `q.after`, as
    /// [`opportunities_around`](Self::opportunities_around) reads the opportunities.
    pub fn offers_around(
        &self,
        viewer: &AccountId,
        status: Option<OfferStatus>,
        q: &ListQuery,
    ) -> MarketResult<(Page<OfferView>, Spot)> {
        let position = query::locate_offer(self.conn(), viewer, self.today(), status, q)?;
        around(q, position, |q| self.offers(viewer, status, q))
    }

    /// The agreements around the one at `q.after`, as
    /// [`opportunities_around`](Self::opportunities_around) reads the opportunities.
    pub fn agreements_around(
        &self,
        viewer: &AccountId,
        narrow: Option<query::AgreementNarrow>,
        q: &ListQuery,
    ) -> MarketResult<(Page<super::AnyAgreement>, Spot)> {
        let position = query::locate_agreement(self.conn(), viewer, self.today(), narrow, q)?;
        around(q, position, |q| self.agreements_page(viewer, narrow, q))
    }
}

/// The rows before `position` (read backwards) and from it, as one page.
fn around<T>(
    q: &ListQuery,
    position: Position,
    read: impl Fn(&ListQuery) -> MarketResult<Page<T>>,
) -> MarketResult<(Page<T>, Spot)> {
    let Some(from) = position.from else {
        let page = read(&ListQuery { after: None, inclusive: false, ..q.clone() })?;
        return Ok((page, Spot { first_row: 0, at: 0, gone: None }));
    };
    let back = ListQuery {
        descending: !q.descending,
        after: Some(from.clone()),
        inclusive: false,
        limit: q.limit / 2,
        ..q.clone()
    };
    let before = read(&back)?;
    let after = read(&ListQuery { after: Some(from), inclusive: true, ..q.clone() })?;
    let at = before.rows.len();
    let mut rows: Vec<T> = before.rows.into_iter().rev().collect();
    let mut keys: Vec<Cursor> = before.keys.into_iter().rev().collect();
    rows.extend(after.rows);
    keys.extend(after.keys);
    let spot = Spot { first_row: position.row.saturating_sub(at as u64), at, gone: position.gone };
    Ok((Page { first: keys.first().cloned(), rows, keys, next: after.next }, spot))
}
