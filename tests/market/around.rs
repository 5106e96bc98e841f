//! Reading a list again around a record, as the TUI does after another program wrote to the
//! file: the record's row number and the rows around it are those a walk of the whole list
//! finds, in every sort, direction, status filter and text filter, on the plain and the
//! trigram paths and for every kind of viewer; a record that left the list is named with
//! why, and the row after it takes its place.

use crate::demo_file;
use crate::drafts;

use cppo::domain::offer::OfferTerms;
use cppo::domain::{AccountId, OfferId, OfferStatus, OpportunityStatus};
use cppo::market::scale::{self, COMMON_NEEDLE, RARE_NEEDLE};
use cppo::market::{Cursor, Gone, ListQuery, Market, Page, Sort, Spot};
use cppo::store::query::{with_candidate_caps, with_near_rows};
use demo_file::today;

const PARTNER: &str = "902174365518"; // Northwind, the demo's busiest partner
const ISV: &str = "418227093615"; // DataPeak
const BUYER: &str = "221078463519"; // Contoso
const OTHER_BUYER: &str = "265193408771"; // Nimbus

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

/// A market on a private copy of the demo file (kept while the directory lives).
fn demo() -> (tempfile::TempDir, Market) {
    let dir = tempfile::tempdir().unwrap();
    let market = demo_file::demo_market(dir.path());
    (dir, market)
}

/// Where a list is read: who, which status, which text, in which order.
#[derive(Debug, Clone, Copy)]
struct List<'a> {
    viewer: &'a str,
    status: Option<OfferStatus>,
    filter: Option<&'a str>,
    sort: Sort,
    descending: bool,
}

impl List<'_> {
    fn query(&self, after: Option<Cursor>, limit: usize) -> ListQuery {
        let filter = self.filter.map(str::to_owned);
        ListQuery { sort: self.sort, descending: self.descending, filter, inclusive: after.is_some(), after, limit }
    }

    /// Every row, page by page: each id with its cursor.
    fn walk(&self, market: &Market) -> Vec<(String, Cursor)> {
        let mut q = self.query(None, 97);
        let mut rows = Vec::new();
        loop {
            let page = market.offers(&id(self.viewer), self.status, &q).unwrap();
            rows.extend(page.rows.iter().map(|r| r.id.to_string()).zip(page.keys.iter().cloned()));
            match page.next {
                Some(c) => (q.after, q.inclusive) = (Some(c), false),
                None => return rows,
            }
        }
    }

    /// The rows around the record at `at`, as a reload of the TUI reads them.
    fn around(&self, market: &Market, at: &Cursor) -> (Vec<String>, Spot) {
        let (page, spot) =
            market.offers_around(&id(self.viewer), self.status, &self.query(Some(at.clone()), 40)).unwrap();
        (ids(&page), spot)
    }
}

fn ids<T: HasId>(page: &Page<T>) -> Vec<String> {
    page.rows.iter().map(HasId::id).collect()
}

trait HasId {
    fn id(&self) -> String;
}
impl HasId for cppo::market::views::OfferView {
    fn id(&self) -> String {
        self.id.to_string()
    }
}
impl HasId for cppo::market::views::OpportunityView {
    fn id(&self) -> String {
        self.id.to_string()
    }
}

/// The page around row `i` of `all` is the walk's rows there, the record at its row number
/// after up to `half` rows.
fn assert_found(all: &[(String, Cursor)], i: usize, half: usize, got: &(Vec<String>, Spot), what: &str) {
    let (rows, spot) = got;
    assert_eq!(spot.gone, None, "{what}: row {i} is there");
    assert_eq!(spot.first_row + spot.at as u64, i as u64, "{what}: row {i}'s number");
    let first = spot.first_row as usize;
    let want: Vec<&String> = all[first..(first + rows.len()).min(all.len())].iter().map(|(id, _)| id).collect();
    assert_eq!(rows.iter().collect::<Vec<_>>(), want, "{what}: the rows around row {i}");
    assert_eq!(spot.at, i.min(half), "{what}: half a page before it, as far as there are rows");
}

/// Rows to find: the first, the last, and some between.
fn samples(n: usize) -> Vec<usize> {
    let mut at: Vec<usize> = (0..n).step_by(n.div_ceil(4).max(1)).collect();
    at.extend(n.checked_sub(1));
    at
}

/// Rows of `list` found around themselves, counted by walking to them or (past a few rows,
/// as far down a big list) by a whole count.
fn check(market: &Market, list: List<'_>) {
    let all = list.walk(market);
    for i in samples(all.len()) {
        assert_found(&all, i, 20, &list.around(market, &all[i].1), &format!("{list:?}"));
        let far = with_near_rows(3, || list.around(market, &all[i].1));
        assert_found(&all, i, 20, &far, &format!("{list:?}, counted whole"));
    }
}

#[test]
fn every_offer_is_found_at_its_row_number_in_every_list() {
    let (_dir, mut market) = demo();
    scale::add_offers(&mut market, 400, &mut |_, _| {}).unwrap();
    for viewer in [PARTNER, ISV, BUYER] {
        for sort in Sort::FOR_OFFERS {
            for descending in [false, true] {
                let list = List { viewer, status: None, filter: None, sort, descending };
                check(&market, list);
                for status in [OfferStatus::Draft, OfferStatus::Expired] {
                    check(&market, List { status: Some(status), ..list });
                }
                // A filter reads the trigram candidates, or (with tiny caps) walks the sort
                // index: the count before the record takes the same path as its pages.
                for caps in [(8_000, 250_000), (40, 60)] {
                    with_candidate_caps(caps.0, caps.1, || {
                        for needle in [RARE_NEEDLE, COMMON_NEEDLE, "Retail"] {
                            check(&market, List { filter: Some(needle), ..list });
                        }
                    });
                }
            }
        }
    }
}

#[test]
fn every_opportunity_is_found_at_its_row_number() {
    let (_dir, market) = demo();
    for viewer in [PARTNER, ISV] {
        for sort in Sort::FOR_OPPORTUNITIES {
            for descending in [false, true] {
                for (status, filter) in
                    [(None, None), (Some(OpportunityStatus::AuthorizedReusable), None), (None, Some("a"))]
                {
                    let q = |after: Option<Cursor>, limit| ListQuery {
                        sort,
                        descending,
                        filter: filter.map(str::to_owned),
                        inclusive: after.is_some(),
                        after,
                        limit,
                    };
                    let page = market.opportunities(&id(viewer), status, &q(None, 1_000)).unwrap();
                    let all: Vec<(String, Cursor)> = ids(&page).into_iter().zip(page.keys).collect();
                    assert!(!all.is_empty() || status.is_some());
                    for (i, (_, at)) in all.iter().enumerate() {
                        let around =
                            || market.opportunities_around(&id(viewer), status, &q(Some(at.clone()), 8)).unwrap();
                        let what = format!("{viewer} {sort:?} {descending} {status:?} {filter:?}");
                        let (page, spot) = around();
                        assert_found(&all, i, 4, &(ids(&page), spot), &what);
                        let (page, spot) = with_near_rows(2, around);
                        assert_found(&all, i, 4, &(ids(&page), spot), &format!("{what}, counted whole"));
                    }
                }
            }
        }
    }
}

/// A draft of the partner's from one of its opportunities, ready to release.
fn draft(market: &mut Market, name: &str) -> (OfferId, OfferTerms) {
    let (opp, terms) = drafts::contract_draft(market, &id(PARTNER), name, today(), id(BUYER));
    let made = market.create_offer(&id(PARTNER), &opp, terms.clone(), false).unwrap();
    (made, terms)
}

/// Row `i` of `all` left the list: the answer says why, and the row after it (now at row
/// `i`) is where the cursor goes.
fn assert_gone(all: &[(String, Cursor)], i: usize, got: &(Vec<String>, Spot), why: Gone) {
    let (rows, spot) = got;
    assert_eq!(spot.gone, Some(why));
    assert_eq!(spot.first_row + spot.at as u64, i as u64, "the row after it has its number");
    assert_eq!(rows.get(spot.at), all.get(i + 1).map(|(id, _)| id), "the row after it is under the cursor");
    let before: Vec<&String> = all[..i].iter().map(|(id, _)| id).collect();
    assert_eq!(rows[..spot.at].iter().collect::<Vec<_>>(), before[before.len() - spot.at..], "the rows before it stay");
}

fn position(all: &[(String, Cursor)], offer: &OfferId) -> usize {
    all.iter().position(|(id, _)| id == offer.as_str()).expect("listed")
}

#[test]
fn a_deleted_record_is_said_deleted_and_the_row_after_it_takes_its_place() {
    let (_dir, mut market) = demo();
    let (gone, _) = draft(&mut market, "Mid-alphabet draft");
    draft(&mut market, "Mid-alphabet draft, the next");
    let list = List { viewer: PARTNER, status: None, filter: None, sort: Sort::Name, descending: false };
    let all = list.walk(&market);
    let i = position(&all, &gone);
    market.delete_offer(&id(PARTNER), &gone).unwrap();
    assert_gone(&all, i, &list.around(&market, &all[i].1), Gone::Deleted);
}

#[test]
fn a_record_out_of_the_status_filter_or_the_text_filter_is_said_so() {
    let (_dir, mut market) = demo();
    let (released, _) = draft(&mut market, "Zanzibar pilot");
    let (renamed, terms) = draft(&mut market, "Zanzibar renewal");
    draft(&mut market, "Zanzibar follow-up");
    let drafts =
        List { viewer: PARTNER, status: Some(OfferStatus::Draft), filter: None, sort: Sort::Created, descending: true };
    let named = List { status: None, filter: Some("Zanzibar"), ..drafts };
    let (all_drafts, all_named) = (drafts.walk(&market), named.walk(&market));
    market.release_offer(&id(PARTNER), &released).unwrap();
    let i = position(&all_drafts, &released);
    assert_gone(&all_drafts, i, &drafts.around(&market, &all_drafts[i].1), Gone::Status);
    // Still among the offers named so: it is found there, where it was.
    let i = position(&all_named, &released);
    assert_found(&all_named, i, 20, &named.around(&market, &all_named[i].1), "released, still named Zanzibar");

    let terms = OfferTerms { name: "Mombasa renewal".into(), ..terms };
    market.edit_offer(&id(PARTNER), &renamed, terms, None).unwrap();
    let i = position(&all_named, &renamed);
    assert_gone(&all_named, i, &named.around(&market, &all_named[i].1), Gone::Filter);
}

#[test]
fn a_record_the_viewer_may_no_longer_see_is_said_so() {
    let (_dir, market) = demo();
    let list = List { viewer: BUYER, status: None, filter: None, sort: Sort::Created, descending: true };
    let all = list.walk(&market);
    assert!(all.len() > 2);
    // Nothing in cppo readdresses a released offer; another program writing the file might.
    let conn = market.store().conn();
    conn.execute("UPDATE offers SET buyer_account_id = ?1 WHERE id = ?2", [OTHER_BUYER, all[1].0.as_str()]).unwrap();
    assert_gone(&all, 1, &list.around(&market, &all[1].1), Gone::Hidden);
}

#[test]
fn a_renamed_record_is_found_where_it_now_sorts() {
    let (_dir, mut market) = demo();
    let (moved, terms) = draft(&mut market, "Aardvark pilot");
    let list = List { viewer: PARTNER, status: None, filter: None, sort: Sort::Name, descending: false };
    let before = list.walk(&market);
    let was = position(&before, &moved);
    assert_eq!(was, 0, "first by name");
    market.edit_offer(&id(PARTNER), &moved, OfferTerms { name: "Zzyzx pilot".into(), ..terms }, None).unwrap();
    let after = list.walk(&market);
    let now = position(&after, &moved);
    assert_eq!(now, after.len() - 1, "last by name");
    // Read around where it was (its old keys), it is found at its new place.
    assert_found(&after, now, 20, &list.around(&market, &before[was].1), "renamed");
}
