//! `cppo demo --scale`'s agreements: about one released synthetic offer in
//! `scale::ACCEPTED_ONE_IN` is accepted, each accepted offer has exactly its agreement, made
//! the way the rules allow (by its expiry, not before the offer, not after today, the
//! upfront charge paid that day with its two disbursements), and the Agreements tab pages
//! through all of them, for each party, in every sort and on the radar, as a plain scan
//! counts them.
//!
//! On the file with the demo and its synthetic offers, built once per run
//! (`tests/support/demo_file.rs`).

use std::collections::HashSet;

use cppo::domain::AgreementStatus;
use cppo::market::Market;
use cppo::market::scale::ACCEPTED_ONE_IN;
use cppo::store::query::{AgreementNarrow, ListQuery, Sort};
use rusqlite::params;

use crate::demo_file::{self, SCALED_OFFERS, TODAY};

const PARTNER: &str = "902174365518"; // Northwind, the demo's busiest partner
const ISV: &str = "418227093615"; // DataPeak
const BUYER: &str = "221078463519"; // Contoso

/// The agreements' sorts on the tab.
const SORTS: [Sort; 5] = [Sort::Created, Sort::Counterparty, Sort::Amount, Sort::Status, Sort::Date];

fn count(m: &Market, sql: &str, p: impl rusqlite::Params) -> u64 {
    m.store().conn().query_row(sql, p, |r| r.get::<_, i64>(0)).unwrap() as u64
}

/// The synthetic offers are those the demo did not make: the rows after the demo's.
fn demo_offers(m: &Market) -> u64 {
    count(m, "SELECT count(*) FROM offers", []) - SCALED_OFFERS
}

#[test]
fn about_one_released_synthetic_offer_in_eight_is_accepted_with_its_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_file::scaled_market(dir.path());
    let first = demo_offers(&m) as i64 + 1;
    let released = count(&m, "SELECT count(*) FROM offers WHERE rowid >= ?1 AND state = 'released'", [first]);
    let accepted = count(&m, "SELECT count(*) FROM offers WHERE rowid >= ?1 AND agreement_id IS NOT NULL", [first]);
    let (low, high) = (released / (ACCEPTED_ONE_IN * 3 / 2), released / (ACCEPTED_ONE_IN * 2 / 3));
    assert!((low..=high).contains(&accepted), "{accepted} of {released} released offers accepted");
    // Each accepted offer has its agreement, and every agreement an accepted offer.
    let linked = count(
        &m,
        "SELECT count(*) FROM offers o JOIN agreements a ON a.id = o.agreement_id AND a.offer_id = o.id
         WHERE o.rowid >= ?1",
        [first],
    );
    assert_eq!(linked, accepted);
    let orphans = count(
        &m,
        "SELECT count(*) FROM agreements a LEFT JOIN offers o ON o.agreement_id = a.id WHERE o.id IS NULL",
        [],
    );
    assert_eq!(orphans, 0);
    // Accepted by the offer's buyer, for its parties, from the day it was made to its expiry,
    // never after today; the agreement lasts the offer's duration.
    let misfits = count(
        &m,
        "SELECT count(*) FROM offers o JOIN agreements a ON a.offer_id = o.id
         WHERE o.rowid >= ?1 AND (a.buyer_account_id IS NOT o.buyer_account_id
            OR a.partner_account_id != o.partner_account_id OR a.isv_account_id != o.isv_account_id
            OR a.starts_on < o.created_on OR a.starts_on > o.expires_on OR a.starts_on > ?2
            OR a.ends_on <= a.starts_on OR a.total_minor != o.buyer_total_minor
            OR a.wholesale_total_minor != o.wholesale_total_minor)",
        params![first, TODAY],
    );
    assert_eq!(misfits, 0);
    // The upfront charge is paid on the day of acceptance, the ISV and the partner disbursed.
    let synthetic = "SELECT a.id FROM agreements a JOIN offers o ON a.offer_id = o.id WHERE o.rowid >= ?1";
    let unpaid_upfront = count(
        &m,
        &format!(
            "SELECT count(*) FROM charges c JOIN agreements a ON a.id = c.agreement_id
             WHERE a.id IN ({synthetic}) AND c.seq = 0 AND c.due_on = a.starts_on
               AND (c.paid_on IS NOT a.starts_on
                    OR (SELECT count(*) FROM disbursements d WHERE d.charge_id = c.id) != 2)"
        ),
        [first],
    );
    assert_eq!(unpaid_upfront, 0);
    // Their ends spread from the past through the radar's windows to the years ahead.
    let ends = |cond: &str| {
        count(
            &m,
            &format!("SELECT count(*) FROM agreements WHERE id IN ({synthetic}) AND {cond}"),
            params![first, TODAY],
        )
    };
    assert!(ends("ends_on <= ?2") > 0, "some have EXPIRED");
    assert!(ends("ends_on > ?2 AND ends_on <= date(?2, '+90 days')") > 0, "some are on the radar");
    assert!(ends("ends_on > date(?2, '+365 days')") > 0, "some run for years");
}

/// Every agreement `viewer`'s tab shows under `narrow` in `sort`, a page of `limit` at a time.
fn walk(m: &Market, viewer: &str, narrow: Option<AgreementNarrow>, sort: Sort, descending: bool) -> Vec<String> {
    let viewer = viewer.parse().unwrap();
    let mut q = ListQuery { sort, descending, limit: 97, ..ListQuery::default() };
    let mut ids = Vec::new();
    loop {
        let page = m.agreements_page(&viewer, narrow, &q).unwrap();
        ids.extend(page.rows.iter().map(|a| a.id().to_string()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => return ids,
        }
    }
}

#[test]
fn the_agreements_tab_pages_through_every_agreement_of_each_party_in_every_sort() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_file::scaled_market(dir.path());
    let first = demo_offers(&m) as i64 + 1;
    for (viewer, column) in [(PARTNER, "partner_account_id"), (ISV, "isv_account_id"), (BUYER, "buyer_account_id")] {
        let all = count(&m, &format!("SELECT count(*) FROM agreements WHERE {column} = ?1"), [viewer]);
        let synthetic = count(
            &m,
            &format!(
                "SELECT count(*) FROM agreements a JOIN offers o ON o.id = a.offer_id
                 WHERE a.{column} = ?1 AND o.rowid >= ?2"
            ),
            params![viewer, first],
        );
        assert!(synthetic > 10, "{viewer} has the scale's agreements: {synthetic} of {all}");
        assert_eq!(m.count_agreements(&viewer.parse().unwrap(), None, None).unwrap(), all, "{viewer}");
        for sort in SORTS {
            for descending in [false, true] {
                let ids = walk(&m, viewer, None, sort, descending);
                let distinct: HashSet<_> = ids.iter().collect();
                assert_eq!((ids.len() as u64, distinct.len()), (all, ids.len()), "{viewer} by {sort:?} {descending}");
            }
        }
    }
    // The radar's 90 days and the ACTIVE status, as a plain scan finds them.
    let p: cppo::domain::AccountId = PARTNER.parse().unwrap();
    let ending = count(
        &m,
        "SELECT count(*) FROM agreements WHERE partner_account_id = ?1 AND replaced_by_agreement_id IS NULL
            AND NOT cancelled AND ends_on > ?2 AND ends_on <= date(?2, '+90 days')",
        params![PARTNER, TODAY],
    );
    let radar = walk(&m, PARTNER, Some(AgreementNarrow::EndingWithin(90)), Sort::Created, false);
    assert_eq!(radar.len() as u64, ending);
    assert_eq!(m.count_agreements(&p, Some(AgreementNarrow::EndingWithin(90)), None).unwrap(), ending);
    let active = count(
        &m,
        "SELECT count(*) FROM agreements WHERE partner_account_id = ?1 AND replaced_by_agreement_id IS NULL
            AND NOT cancelled AND ends_on > ?2",
        params![PARTNER, TODAY],
    );
    let narrow = Some(AgreementNarrow::Status(AgreementStatus::Active));
    assert_eq!(walk(&m, PARTNER, narrow, Sort::Date, true).len() as u64, active);
}
