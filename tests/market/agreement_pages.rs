//! The Agreements tab's pages on the scaled demo, for each party: in every sort, both ways,
//! under every status and radar narrow, page after page, the same agreements in the same
//! order as the domain's status rule and the sort's keys give when applied to every
//! agreement the party is in (the queries walk a different index for each, see
//! `store::query::agreements`). Some agreements are marked cancelled or replaced first, so
//! that those statuses fill several pages too.

use std::cmp::Ordering;
use std::collections::HashMap;

use cppo::domain::{AccountId, AgreementStatus};
use cppo::market::Market;
use cppo::store::query::{AgreementNarrow, ListQuery, Sort};

use crate::demo_file::{self, today};

const PARTNER: &str = "902174365518"; // Northwind, the demo's busiest partner
const ISV: &str = "418227093615"; // DataPeak
const BUYER: &str = "221078463519"; // Contoso

const SORTS: [Sort; 5] = [Sort::Created, Sort::Counterparty, Sort::Amount, Sort::Status, Sort::Date];

/// What an agreement sorts by, as the tab shows it to one viewer.
struct Row {
    id: String,
    created_at: String,
    ends_on: String,
    currency: String,
    /// The total the viewer sees: wholesale to the ISV, the buyer's to the others.
    amount: i64,
    /// The other party's name and id: the buyer to the partner, the partner to the others.
    counterparty: (String, String),
    status: AgreementStatus,
    /// Days to its end, if it is on the radar within 180 days.
    days_left: Option<i64>,
}

/// Every agreement `viewer` is a party to, with its keys and its status by the domain's rule.
fn rows(m: &Market, viewer: &str) -> Vec<Row> {
    let conn = m.store().conn();
    let names: HashMap<String, String> = conn
        .prepare("SELECT id, name FROM accounts")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut st = conn
        .prepare(
            "SELECT id, created_at, ends_on, currency, total_minor, wholesale_total_minor, partner_account_id,
                    isv_account_id, buyer_account_id
             FROM agreements WHERE ?1 IN (partner_account_id, isv_account_id, buyer_account_id)",
        )
        .unwrap();
    let read = st
        .query_map([viewer], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    let me: AccountId = viewer.parse().unwrap();
    read.into_iter()
        .map(|(id, created_at, ends_on, currency, total, wholesale, partner, isv, buyer)| {
            let (a, _) = m.agreement(&me, &id.parse().unwrap()).unwrap();
            let isv_only = isv == viewer && partner != viewer;
            let other = if partner == viewer { buyer } else { partner };
            Row {
                id,
                created_at,
                ends_on,
                currency,
                amount: if isv_only { wholesale } else { total },
                counterparty: (names[&other].clone(), other),
                status: a.status(today()),
                days_left: cppo::domain::radar::days_left(&a, today(), 180),
            }
        })
        .collect()
}

fn passes(r: &Row, narrow: Option<AgreementNarrow>) -> bool {
    match narrow {
        None => true,
        Some(AgreementNarrow::Status(s)) => r.status == s,
        Some(AgreementNarrow::EndingWithin(days)) => r.days_left.is_some_and(|d| d <= i64::from(days)),
    }
}

fn order(a: &Row, b: &Row, sort: Sort) -> Ordering {
    let rank = |r: &Row| AgreementStatus::ALL.iter().position(|s| *s == r.status);
    match sort {
        Sort::Created => a.created_at.cmp(&b.created_at),
        Sort::Date => a.ends_on.cmp(&b.ends_on),
        Sort::Amount => (&a.currency, a.amount).cmp(&(&b.currency, b.amount)),
        Sort::Counterparty => a.counterparty.cmp(&b.counterparty),
        Sort::Status => (rank(a), &a.ends_on).cmp(&(rank(b), &b.ends_on)),
        _ => unreachable!("not a sort of the Agreements tab"),
    }
    .then_with(|| a.id.cmp(&b.id))
}

/// The ids the tab shows, `limit` at a time.
fn paged(m: &Market, viewer: &str, narrow: Option<AgreementNarrow>, sort: Sort, descending: bool) -> Vec<String> {
    let viewer = viewer.parse().unwrap();
    let mut q = ListQuery { sort, descending, limit: 13, ..ListQuery::default() };
    let mut ids = Vec::new();
    loop {
        let page = m.agreements_page(&viewer, narrow, &q).unwrap();
        ids.extend(page.rows.iter().map(|a| a.id.to_string()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => return ids,
        }
    }
}

/// The scaled demo with one agreement in five marked cancelled and one in seven replaced by
/// the next one (a buyer's cancellation and an accepted replacement, as far as the lists go).
fn market(dir: &std::path::Path) -> Market {
    let m = demo_file::scaled_market(dir);
    m.store()
        .conn()
        .execute_batch(
            "UPDATE agreements SET cancelled = 1 WHERE rowid % 5 = 1;
             UPDATE agreements SET replaced_by_agreement_id =
                 (SELECT n.id FROM agreements n WHERE n.rowid > agreements.rowid ORDER BY n.rowid LIMIT 1)
             WHERE rowid % 7 = 3;",
        )
        .unwrap();
    m
}

fn narrows() -> Vec<Option<AgreementNarrow>> {
    let statuses = AgreementStatus::ALL.map(|s| Some(AgreementNarrow::Status(s)));
    let windows = [30, 90, 180].map(|d| Some(AgreementNarrow::EndingWithin(d)));
    [None].into_iter().chain(statuses).chain(windows).collect()
}

#[test]
fn every_sort_and_narrow_pages_in_the_order_the_rules_give() {
    let dir = tempfile::tempdir().unwrap();
    let m = market(dir.path());
    for viewer in [PARTNER, ISV, BUYER] {
        let all = rows(&m, viewer);
        let me: AccountId = viewer.parse().unwrap();
        for narrow in narrows() {
            let mut kept: Vec<&Row> = all.iter().filter(|r| passes(r, narrow)).collect();
            assert_eq!(m.count_agreements(&me, narrow, None).unwrap(), kept.len() as u64, "{viewer} {narrow:?}");
            if viewer == PARTNER && !matches!(narrow, Some(AgreementNarrow::EndingWithin(_))) {
                assert!(kept.len() > 13, "{viewer} {narrow:?}: more than a page ({})", kept.len());
            }
            for sort in SORTS {
                kept.sort_by(|a, b| order(a, b, sort));
                let expected: Vec<String> = kept.iter().map(|r| r.id.clone()).collect();
                assert_eq!(paged(&m, viewer, narrow, sort, false), expected, "{viewer} {narrow:?} {sort:?} up");
                let reversed: Vec<String> = expected.iter().rev().cloned().collect();
                assert_eq!(paged(&m, viewer, narrow, sort, true), reversed, "{viewer} {narrow:?} {sort:?} down");
            }
        }
    }
}
