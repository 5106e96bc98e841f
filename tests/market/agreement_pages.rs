//! The Agreements tab's pages on the scaled demo, for each party: in every sort, both ways,
//! under every status and radar narrow and under filters of each kind, page after page, the
//! same agreements in the same order as the domain's status rule, the sort's keys and the
//! filter's columns give when applied to every agreement the party is in (the queries walk a
//! different index for each, or read the filter's candidates: see `store::query::agreements`),
//! and the counts as many. Some agreements are marked cancelled or replaced first, so that
//! those statuses fill several pages too.

use std::cmp::Ordering;
use std::collections::HashMap;

use cppo::domain::{AccountId, AgreementStatus};
use cppo::market::Market;
use cppo::store::query::{AgreementNarrow, ListQuery, Sort, with_candidate_caps, with_count_chunks};

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
    /// What the filter may find it by, for this viewer: its id, the other parties' ids and
    /// names, its offer's id, its opportunity's id and name (the ISV is not shown the end
    /// buyer of a partner's agreement, nor the buyer the ISV or the opportunity).
    texts: Vec<String>,
}

/// Every agreement `viewer` is a party to, with its keys and its status by the domain's rule.
fn rows(m: &Market, viewer: &str) -> Vec<Row> {
    rows_on(m, viewer, today())
}

fn rows_on(m: &Market, viewer: &str, day: chrono::NaiveDate) -> Vec<Row> {
    let conn = m.store().conn();
    let names: HashMap<String, String> = conn
        .prepare("SELECT id, name FROM accounts")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let opportunities: HashMap<String, String> = conn
        .prepare("SELECT id, name FROM opportunities")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut st = conn
        .prepare(
            "SELECT id, created_at, ends_on, currency, total_minor, wholesale_total_minor, partner_account_id,
                    isv_account_id, buyer_account_id, offer_id, opportunity_id
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
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    let me: AccountId = viewer.parse().unwrap();
    read.into_iter()
        .map(|(id, created_at, ends_on, currency, total, wholesale, partner, isv, buyer, offer, opportunity)| {
            let (a, _) = m.agreement(&me, &id.parse().unwrap()).unwrap();
            let isv_only = isv == viewer && partner != viewer;
            let account = |a: &String| [a.clone(), names[a].clone()];
            let mut texts = vec![id.clone(), offer];
            if partner == viewer {
                texts.extend(account(&buyer));
                texts.extend(account(&isv));
            } else {
                texts.extend(account(&partner));
            }
            if partner == viewer || isv_only {
                texts.extend([opportunity.clone(), opportunities[&opportunity].clone()]);
            }
            let other = if partner == viewer { buyer } else { partner };
            Row {
                id,
                created_at,
                ends_on,
                currency,
                amount: if isv_only { wholesale } else { total },
                counterparty: (names[&other].clone(), other),
                status: a.status(day),
                days_left: cppo::domain::radar::days_left(&a, day, 180),
                texts,
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

/// SQLite's LIKE: the filter anywhere in one of the texts, ASCII letters in either case.
fn found(r: &Row, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| r.texts.iter().any(|t| t.to_ascii_lowercase().contains(&f.to_ascii_lowercase())))
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

/// The ids the tab shows, 13 at a time.
fn paged(m: &Market, viewer: &str, narrow: Option<AgreementNarrow>, sort: Sort, descending: bool) -> Vec<String> {
    filtered(m, viewer, narrow, None, sort, descending)
}

fn filtered(
    m: &Market,
    viewer: &str,
    narrow: Option<AgreementNarrow>,
    filter: Option<&str>,
    sort: Sort,
    descending: bool,
) -> Vec<String> {
    let viewer = viewer.parse().unwrap();
    let filter = filter.map(str::to_owned);
    let mut q = ListQuery { sort, descending, filter, limit: 13, ..ListQuery::default() };
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

/// Filters of each kind for `viewer`'s agreements: a piece of one agreement's id (past the
/// `agmt-` every id shares) and of one's offer id, a word of the other party's name, a piece
/// of an opportunity's name, the prefix every id shares, filters too short for trigrams, and
/// one nothing holds.
fn needles(all: &[Row]) -> Vec<String> {
    let mid = &all[all.len() / 2];
    let mut needles = vec![mid.id[7..14].to_owned(), mid.texts[1][8..14].to_owned()];
    needles.push(mid.counterparty.0.split(' ').next().unwrap().to_owned());
    if let Some(opportunity) = mid.texts.get(7).or(mid.texts.get(5)) {
        let chars: Vec<char> = opportunity.chars().collect();
        needles.push(chars[2..chars.len().min(9)].iter().collect());
    }
    needles.extend(["agmt-", "a", "Re", "zqzqz"].map(str::to_owned));
    needles
}

#[test]
fn each_status_counts_as_many_when_most_agreements_have_expired() {
    let dir = tempfile::tempdir().unwrap();
    drop(market(dir.path()));
    // Three years on, most of the agreements have ended: the ACTIVE are counted as they are,
    // not as what the EXPIRED leave (see `active_count_sql`).
    let later = chrono::NaiveDate::from_ymd_opt(2029, 11, 26).unwrap();
    let m = Market::open(&dir.path().join("scaled.db"), Box::new(cppo::domain::FixedClock::on(later))).unwrap();
    for viewer in [PARTNER, ISV, BUYER] {
        let all = rows_on(&m, viewer, later);
        let me: AccountId = viewer.parse().unwrap();
        let of = |s: AgreementStatus| all.iter().filter(|r| r.status == s).count() as u64;
        assert!(of(AgreementStatus::Expired) > of(AgreementStatus::Active), "{viewer}: most have ended");
        for s in AgreementStatus::ALL {
            assert_eq!(
                m.count_agreements(&me, Some(AgreementNarrow::Status(s)), None).unwrap(),
                of(s),
                "{viewer} {s:?}"
            );
        }
    }
}

#[test]
fn filters_page_and_count_as_the_rows_hold_them_by_every_path() {
    let dir = tempfile::tempdir().unwrap();
    let m = market(dir.path());
    let narrows = [
        None,
        Some(AgreementNarrow::Status(AgreementStatus::Active)),
        Some(AgreementNarrow::Status(AgreementStatus::Cancelled)),
        Some(AgreementNarrow::EndingWithin(90)),
    ];
    for viewer in [PARTNER, ISV, BUYER] {
        let all = rows(&m, viewer);
        let me: AccountId = viewer.parse().unwrap();
        let needles = needles(&all);
        // The usual caps (a rare filter reads its candidates, the tally counts the parties'
        // matches); tiny ones (every filter walks the indexes); counts in chunks of 7 rowids.
        for (page_cap, count_cap, chunks) in [(8_000, 250_000, None), (3, 5, None), (8_000, 250_000, Some((0, 7)))] {
            let check = || {
                for (j, needle) in needles.iter().enumerate() {
                    for (k, narrow) in narrows.iter().enumerate() {
                        let mut kept: Vec<&Row> =
                            all.iter().filter(|r| passes(r, *narrow) && found(r, Some(needle))).collect();
                        let counted = m.count_agreements(&me, *narrow, Some(needle)).unwrap();
                        assert_eq!(counted, kept.len() as u64, "{viewer} `{needle}` {narrow:?} caps {page_cap}");
                        if chunks.is_some() {
                            continue;
                        }
                        // One sort per needle and narrow, turning through the sorts and ways.
                        let sort = SORTS[(j + k) % SORTS.len()];
                        let descending = (j + k / 2) % 2 == 0;
                        kept.sort_by(|a, b| order(a, b, sort));
                        let mut expected: Vec<String> = kept.iter().map(|r| r.id.clone()).collect();
                        if descending {
                            expected.reverse();
                        }
                        let got = filtered(&m, viewer, *narrow, Some(needle), sort, descending);
                        assert_eq!(got, expected, "{viewer} `{needle}` {narrow:?} {sort:?} caps {page_cap}");
                    }
                }
            };
            with_candidate_caps(page_cap, count_cap, || match chunks {
                Some((above, chunk)) => with_count_chunks(above, chunk, check),
                None => check(),
            });
        }
        // Each kind of needle finds some of the partner's agreements (else it proves little).
        if viewer == PARTNER {
            for needle in &needles[..4] {
                assert!(all.iter().any(|r| found(r, Some(needle))), "`{needle}` finds some");
            }
        }
    }
}

#[test]
fn an_accepted_offer_is_counted_and_found_by_its_ids_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = demo_file::scaled_market(dir.path());
    let (offer, buyer): (String, String) = m
        .store()
        .conn()
        .query_row(
            "SELECT id, buyer_account_id FROM offers WHERE partner_account_id = ?1 AND state = 'released'
               AND agreement_id IS NULL AND expires_on >= ?2 ORDER BY created_at DESC LIMIT 1",
            [PARTNER, demo_file::TODAY],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let me: AccountId = PARTNER.parse().unwrap();
    let active = Some(AgreementNarrow::Status(AgreementStatus::Active));
    let before = (m.count_agreements(&me, None, None).unwrap(), m.count_agreements(&me, active, None).unwrap());
    let id = m.accept_offer(&buyer.parse().unwrap(), &offer.parse().unwrap()).unwrap().to_string();
    let after = (m.count_agreements(&me, None, None).unwrap(), m.count_agreements(&me, active, None).unwrap());
    assert_eq!(after, (before.0 + 1, before.1 + 1));
    // By a piece of its id and of its offer's, through the trigram tables and past them.
    for needle in [&id[9..17], &offer[7..15]] {
        for caps in [(8_000, 250_000), (3, 5)] {
            with_candidate_caps(caps.0, caps.1, || {
                assert_eq!(m.count_agreements(&me, None, Some(needle)).unwrap(), 1, "`{needle}` {caps:?}");
                assert_eq!(filtered(&m, PARTNER, active, Some(needle), Sort::Created, true), vec![id.clone()]);
            });
        }
    }
}
