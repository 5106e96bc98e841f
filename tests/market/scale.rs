//! `cppo demo --scale`: the synthetic offers are valid, counted and found by `/` exactly as a
//! plain scan would find them, through the tally and the trigram tables, for every kind of
//! viewer; and the CLI lists them.
//!
//! The file with the demo and its 2,000 synthetic offers is built once per run and copied
//! (`tests/support/demo_file.rs`); the load's other path, in memory, is checked the same way
//! on 400, since what it builds in place does not change with the count.

use crate::demo_file;
use crate::env;

use std::collections::{BTreeSet, HashMap};

use cppo::domain::{AccountId, FixedClock, OfferStatus};
use cppo::market::Market;
use cppo::market::scale::{self, COMMON_NEEDLE, RARE_NEEDLE};
use cppo::store::Store;
use cppo::store::query::{ListQuery, Sort, with_candidate_caps, with_count_chunks};
use demo_file::{SCALED_OFFERS, TODAY, today};

/// Synthetic offers on the in-memory path.
const IN_MEMORY: u64 = 500;
const PARTNER: &str = "902174365518"; // Northwind, the demo's busiest partner
const OTHER_PARTNER: &str = "614923087402"; // Apex
const ISV: &str = "418227093615"; // DataPeak
const ISV_AND_BUYER: &str = "265193408771"; // Nimbus
const BUYER: &str = "221078463519"; // Contoso

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

/// The demo and `n` synthetic offers in memory (the file's are built once, the same way,
/// by `demo_file`).
fn scaled_in_memory(n: u64) -> Market {
    let mut market = Market::new(Store::open_in_memory().unwrap(), Box::new(FixedClock::on(today())));
    cppo::market::demo::load(&mut market).unwrap();
    let mut last = 0;
    let s = scale::add_offers(&mut market, n, &mut |done, total| {
        assert!(done >= last && done <= total, "progress moves forward");
        last = done;
    })
    .unwrap();
    assert_eq!((s.offers, s.released + s.drafts), (n, n));
    assert!(s.partner_offers > n * 8 / 10, "the busiest partner gets the bulk: {s:?}");
    assert_eq!(s.partner.as_str(), PARTNER);
    market
}

/// One offer row as a plain scan sees it.
struct Row {
    id: String,
    name: String,
    partner: String,
    isv: String,
    buyer: Option<String>,
    product: String,
    opportunity: String,
    released: bool,
    /// The names the ids stand for: partner, ISV, buyer, product, opportunity.
    partner_name: String,
    isv_name: String,
    buyer_name: Option<String>,
    product_name: String,
    opportunity_name: String,
    /// What the sorts read.
    created_at: String,
    expires_on: String,
    currency: String,
    buyer_total: i64,
    wholesale_total: i64,
    accepted: bool,
    cancelled: bool,
}

fn rows(market: &Market) -> Vec<Row> {
    let conn = market.store().conn();
    let mut st = conn
        .prepare(
            "SELECT o.id, o.name, o.partner_account_id, o.isv_account_id, o.buyer_account_id, o.product_id,
                    o.opportunity_id, o.state,
                    (SELECT name FROM accounts WHERE id = o.partner_account_id),
                    (SELECT name FROM accounts WHERE id = o.isv_account_id),
                    (SELECT name FROM accounts WHERE id = o.buyer_account_id),
                    (SELECT title FROM products WHERE id = o.product_id),
                    (SELECT name FROM opportunities WHERE id = o.opportunity_id),
                    o.created_at, o.expires_on, o.currency, o.buyer_total_minor, o.wholesale_total_minor,
                    o.agreement_id IS NOT NULL, o.cancelled_on IS NOT NULL
             FROM offers o",
        )
        .unwrap();
    st.query_map([], |r| {
        Ok(Row {
            id: r.get(0)?,
            name: r.get(1)?,
            partner: r.get(2)?,
            isv: r.get(3)?,
            buyer: r.get(4)?,
            product: r.get(5)?,
            opportunity: r.get(6)?,
            released: r.get::<_, String>(7)? == "released",
            partner_name: r.get(8)?,
            isv_name: r.get(9)?,
            buyer_name: r.get(10)?,
            product_name: r.get(11)?,
            opportunity_name: r.get(12)?,
            created_at: r.get(13)?,
            expires_on: r.get(14)?,
            currency: r.get(15)?,
            buyer_total: r.get(16)?,
            wholesale_total: r.get(17)?,
            accepted: r.get(18)?,
            cancelled: r.get(19)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The offers `viewer` may see that `filter` matches, by brute force: the partner sees its
/// own; the ISV its released ones, never matched on the buyer; a buyer its released ones,
/// never matched on the ISV or the opportunity. An account, product or opportunity matches by
/// its id or its name. Matching is LIKE's: ASCII case-insensitive.
fn oracle(all: &[Row], viewer: &str, filter: Option<&str>) -> BTreeSet<String> {
    let has = |s: &str, f: &str| s.to_ascii_lowercase().contains(&f.to_ascii_lowercase());
    all.iter()
        .filter(|r| {
            let fields: Vec<&str> = if r.partner == viewer {
                let mut v = vec![
                    r.id.as_str(),
                    &r.name,
                    &r.isv,
                    &r.isv_name,
                    &r.product,
                    &r.product_name,
                    &r.opportunity,
                    &r.opportunity_name,
                ];
                v.extend(r.buyer.as_deref());
                v.extend(r.buyer_name.as_deref());
                v
            } else if r.isv == viewer {
                if !r.released {
                    return false;
                }
                vec![
                    &r.id,
                    &r.name,
                    &r.partner,
                    &r.partner_name,
                    &r.product,
                    &r.product_name,
                    &r.opportunity,
                    &r.opportunity_name,
                ]
            } else if r.buyer.as_deref() == Some(viewer) && r.released {
                vec![&r.id, &r.name, &r.partner, &r.partner_name, &r.product, &r.product_name]
            } else {
                return false;
            };
            filter.is_none_or(|f| fields.iter().any(|x| has(x, f)))
        })
        .map(|r| r.id.clone())
        .collect()
}

/// One part of a sort key, as SQLite compares them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Int(i64),
    Text(String),
}

/// Each account's name by its id, as the rows give them.
fn account_names(all: &[Row]) -> HashMap<&str, &str> {
    let mut names = HashMap::new();
    for x in all {
        let pairs = [(&x.partner, &x.partner_name), (&x.isv, &x.isv_name)];
        for (i, n) in pairs.into_iter().chain(x.buyer.as_ref().zip(x.buyer_name.as_ref())) {
            names.entry(i.as_str()).or_insert(n.as_str());
        }
    }
    names
}

/// What `sort` orders `r` by, as `viewer` sees it (then the id), by brute force (`names`:
/// [`account_names`]).
fn sort_key(names: &HashMap<&str, &str>, r: &Row, viewer: &str, sort: Sort) -> (Vec<Part>, String) {
    let text = |s: &str| Part::Text(s.to_owned());
    let name = |id: &str| names.get(id).map(|n| (*n).to_owned());
    let as_isv = r.partner != viewer && r.isv == viewer;
    let key = match sort {
        Sort::Name => vec![text(&r.name)],
        Sort::Date => vec![text(&r.expires_on)],
        Sort::Counterparty => {
            // The partner sees the buyer; the ISV (and a buyer) the partner.
            let shown = if r.partner == viewer { r.buyer.clone() } else { Some(r.partner.clone()) };
            let shown = shown.unwrap_or_default();
            vec![Part::Text(name(&shown).unwrap_or_default()), Part::Text(shown)]
        }
        Sort::Amount => vec![text(&r.currency), Part::Int(if as_isv { r.wholesale_total } else { r.buyer_total })],
        Sort::Status => {
            let rank = if !r.released {
                0
            } else if r.accepted {
                2
            } else if r.cancelled {
                4
            } else if r.expires_on.as_str() < TODAY {
                3
            } else {
                1
            };
            vec![Part::Int(rank), text(&r.expires_on)]
        }
        _ => vec![text(&r.created_at)],
    };
    (key, r.id.clone())
}

/// `got` is in `sort`'s order for `viewer`.
fn assert_sorted(all: &[Row], got: &[String], viewer: &str, sort: Sort, descending: bool, what: &str) {
    let by_id: HashMap<&str, &Row> = all.iter().map(|r| (r.id.as_str(), r)).collect();
    let names = account_names(all);
    let keys: Vec<_> = got.iter().map(|i| sort_key(&names, by_id[i.as_str()], viewer, sort)).collect();
    let ordered = if descending { keys.iter().rev().is_sorted() } else { keys.is_sorted() };
    assert!(ordered, "{what} as {viewer}: pages in {sort:?} order (descending: {descending})");
}

/// Every page of `viewer`'s offers under `filter`, walked with the keyset cursor.
fn walk(market: &Market, viewer: &str, filter: Option<&str>, sort: Sort, descending: bool) -> Vec<String> {
    walk_by(market, viewer, filter, sort, descending, 450)
}

fn walk_by(
    market: &Market,
    viewer: &str,
    filter: Option<&str>,
    sort: Sort,
    descending: bool,
    limit: usize,
) -> Vec<String> {
    let mut q = ListQuery { limit, sort, descending, filter: filter.map(str::to_owned), ..ListQuery::default() };
    let mut ids = Vec::new();
    loop {
        let page = market.offers(&id(viewer), None, &q).unwrap();
        ids.extend(page.rows.into_iter().map(|r| r.id.to_string()));
        match page.next {
            Some(c) => q.after = Some(c),
            None => return ids,
        }
    }
}

/// Needles of each kind: in names, in offer ids, in account, product and opportunity ids,
/// short ones, LIKE's wildcards taken literally, and none at all.
fn needles(all: &[Row], n: u64) -> Vec<String> {
    let synthetic = all.iter().find(|r| r.name.ends_with(&format!("#{}", n / 2))).expect("a synthetic offer");
    let demo_opportunity = all.iter().find(|r| !r.name.contains('#')).expect("a demo offer").opportunity.clone();
    vec![
        RARE_NEEDLE.to_owned(),
        RARE_NEEDLE.to_uppercase(),
        COMMON_NEEDLE.to_owned(),
        "renewal #1".to_owned(),
        synthetic.id[8..13].to_owned(),
        synthetic.id.to_lowercase(),
        synthetic.opportunity.clone(),
        demo_opportunity,
        synthetic.product[5..10].to_owned(),
        BUYER.to_owned(),
        "2210".to_owned(),
        ISV[..6].to_owned(),
        "q".to_owned(),
        "Re".to_owned(),
        "offer-".to_owned(),
        "%".to_owned(),
        "_x".to_owned(),
        "zzqqzz".to_owned(),
        // Names the tables show in place of ids: a buyer's, an ISV's, a product's.
        "Retail".to_owned(),
        "Health".to_owned(),
        "shield".to_owned(),
        "kubernetes".to_owned(),
    ]
}

/// `offer_months` holds exactly what counting the offers by month gives.
fn check_months(market: &Market) {
    let conn = market.store().conn();
    let differ: i64 = conn
        .query_row(
            "SELECT count(*) FROM (
                 SELECT * FROM (SELECT partner_account_id, isv_account_id, coalesce(buyer_account_id, ''), state,
                                       substr(created_at, 1, 7), count(*) FROM offers GROUP BY 1, 2, 3, 4, 5)
                 EXCEPT SELECT * FROM offer_months
                 UNION ALL
                 SELECT * FROM offer_months
                 EXCEPT SELECT * FROM (SELECT partner_account_id, isv_account_id, coalesce(buyer_account_id, ''), state,
                                              substr(created_at, 1, 7), count(*) FROM offers GROUP BY 1, 2, 3, 4, 5))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(differ, 0, "offer_months agrees with the offers");
}

/// Every list and count of `market` (the demo's 86 offers and `n` synthetic ones) against
/// the plain scan.
fn check_filters(market: &Market, n: u64) {
    check_months(market);
    let all = rows(market);
    assert_eq!(all.len() as u64, 86 + n);
    let names: HashMap<&str, &str> = all.iter().map(|r| (r.id.as_str(), r.name.as_str())).collect();
    for viewer in [PARTNER, OTHER_PARTNER, ISV, ISV_AND_BUYER, BUYER] {
        let want = oracle(&all, viewer, None);
        // Every sort of the Offers tab, both ways, across pages, with no filter and under each
        // status filter.
        for sort in Sort::FOR_OFFERS {
            for descending in [false, true] {
                let got = walk_by(market, viewer, None, sort, descending, 97);
                assert_eq!(got.len(), want.len(), "{sort:?} as {viewer}: every row once");
                assert_eq!(got.iter().cloned().collect::<BTreeSet<_>>(), want, "{sort:?} as {viewer}");
                assert_sorted(&all, &got, viewer, sort, descending, "no filter");
                for status in OfferStatus::ALL {
                    let mut q = ListQuery { limit: 53, sort, descending, ..ListQuery::default() };
                    let mut n = 0;
                    loop {
                        let page = market.offers(&id(viewer), Some(status), &q).unwrap();
                        n += page.rows.len();
                        assert!(page.rows.iter().all(|o| o.status == status), "{sort:?}, {status:?} as {viewer}");
                        match page.next {
                            Some(c) => q.after = Some(c),
                            None => break,
                        }
                    }
                    let counted = market.count_offers(&id(viewer), Some(status), None).unwrap();
                    assert_eq!(n as u64, counted, "{sort:?}, {status:?} as {viewer}: the pages hold the count");
                }
            }
        }
        assert_eq!(market.count_offers(&id(viewer), None, None).unwrap(), want.len() as u64, "{viewer}");
        let drafts = all.iter().filter(|r| r.partner == viewer && !r.released).count() as u64;
        assert_eq!(market.count_offers(&id(viewer), Some(OfferStatus::Draft), None).unwrap(), drafts, "{viewer}");
        // With the usual caps most filters here read candidates; with tiny ones, they scan.
        // Chunked counts (`(0, 7)`: every filtered count, seven rowids a step) add up to the same.
        // What each needle finds does not depend on the caps: the scan runs once per needle.
        let wants: Vec<(String, BTreeSet<String>)> =
            needles(&all, n).into_iter().map(|needle| (needle.clone(), oracle(&all, viewer, Some(&needle)))).collect();
        for (page_cap, count_cap, chunks) in [(8_000, 250_000, None), (40, 60, None), (8_000, 250_000, Some((0, 7)))] {
            let caps = || {
                for (j, (needle, want)) in wants.iter().enumerate() {
                    let count = market.count_offers(&id(viewer), None, Some(needle)).unwrap();
                    assert_eq!(count, want.len() as u64, "count of `{needle}` as {viewer}, caps {page_cap}");
                    // Two sorts per needle, one each way, turning through the sorts from one
                    // needle to the next: every sort and direction is walked under several
                    // needles of each kind, without walking every needle in every sort.
                    let sorts = Sort::FOR_OFFERS;
                    let picked = if chunks.is_some() { 0 } else { 2 };
                    for i in (0..picked).map(|k| (2 * j + k) % sorts.len()) {
                        let sort = sorts[i];
                        let descending = (i + j) % 2 == 0;
                        let got = walk(market, viewer, Some(needle), sort, descending);
                        let set: BTreeSet<String> = got.iter().cloned().collect();
                        assert_eq!(set.len(), got.len(), "`{needle}` as {viewer}: a row twice");
                        assert_eq!(&set, want, "`{needle}` as {viewer}, {sort:?}, caps {page_cap}");
                        assert_sorted(&all, &got, viewer, sort, descending, &format!("`{needle}`"));
                    }
                }
            };
            with_candidate_caps(page_cap, count_cap, || match chunks {
                Some((above, chunk)) => with_count_chunks(above, chunk, caps),
                None => caps(),
            });
        }
    }
    let rare = oracle(&all, PARTNER, Some(RARE_NEEDLE));
    assert_eq!(rare.len(), 1, "the rare needle names one offer");
    // The name needles find offers whose own id and name do not hold them.
    for needle in ["Retail", "Shield"] {
        let found = oracle(&all, PARTNER, Some(needle));
        assert!(found.iter().any(|i| !names[i.as_str()].contains(needle)), "`{needle}` matches by a name");
    }
}

#[test]
fn on_a_file_the_filter_and_the_counts_match_a_plain_scan() {
    let dir = tempfile::tempdir().unwrap();
    let market = demo_file::scaled_market(dir.path());
    check_filters(&market, SCALED_OFFERS);
    // The file opens again with the same answers (the trigram tables were copied in).
    drop(market);
    let again = Market::open(&dir.path().join("scaled.db"), Box::new(FixedClock::on(today()))).unwrap();
    let q = ListQuery { limit: 10, filter: Some(RARE_NEEDLE.into()), ..ListQuery::default() };
    assert_eq!(again.offers(&id(PARTNER), None, &q).unwrap().rows.len(), 1);
}

#[test]
fn in_memory_the_same() {
    check_filters(&scaled_in_memory(IN_MEMORY), IN_MEMORY);
}

#[test]
fn later_writes_keep_the_tally_and_the_search_in_step() {
    use cppo::domain::offer::OfferTerms;
    let dir = tempfile::tempdir().unwrap();
    let mut market = demo_file::scaled_market(dir.path());
    let opportunity = {
        let conn = market.store().conn();
        let o: String = conn
            .query_row(
                "SELECT opportunity_id FROM offers WHERE partner_account_id = ?1 AND opportunity_kind = 'recurring'
                 GROUP BY 1 ORDER BY max(created_at) DESC LIMIT 1",
                [PARTNER],
                |r| r.get(0),
            )
            .unwrap();
        cppo::domain::OpportunityId::parse(&o).unwrap()
    };
    let (opp, _) = market.opportunity(&id(PARTNER), &opportunity).unwrap();
    let dimension = opp.prices.iter().find(|p| p.pricing == cppo::domain::PricingModel::Contract).unwrap();
    let buyer = opp.buyers.first().map_or(BUYER, |b| b.as_str()).to_owned();
    let terms = OfferTerms {
        name: "Zanzibar pilot".into(),
        description: String::new(),
        buyer: Some(id(&buyer)),
        markup_pct: rust_decimal::Decimal::ONE,
        expires_on: Some(today() + chrono::TimeDelta::days(2)),
        quantities: vec![(dimension.dimension.clone(), 3)],
        duration: None,
    };
    let before = market.count_offers(&id(PARTNER), None, None).unwrap();
    // A draft made and deleted leaves the counts as they were.
    let doomed = market.create_offer(&id(PARTNER), &opportunity, terms.clone(), false).unwrap();
    market.delete_offer(&id(PARTNER), &doomed).unwrap();
    check_months(&market);
    let offer = market.create_offer(&id(PARTNER), &opportunity, terms, false).unwrap();
    assert_eq!(market.count_offers(&id(PARTNER), None, None).unwrap(), before + 1);
    assert_eq!(market.count_offers(&id(PARTNER), None, Some("anzibar")).unwrap(), 1);
    assert_eq!(market.count_offers(&id(&buyer), None, Some("anzibar")).unwrap(), 0, "a draft is the partner's");
    market.release_offer(&id(PARTNER), &offer).unwrap();
    assert_eq!(market.count_offers(&id(&buyer), None, Some("anzibar")).unwrap(), 1);
    check_filters_partly(&market, "anzibar");
    check_months(&market);
}

fn check_filters_partly(market: &Market, needle: &str) {
    let all = rows(market);
    for viewer in [PARTNER, BUYER, ISV] {
        let want = oracle(&all, viewer, Some(needle));
        assert_eq!(walk(market, viewer, Some(needle), Sort::Created, true).into_iter().collect::<BTreeSet<_>>(), want);
    }
}

#[test]
fn the_cli_builds_and_lists_a_scaled_file() {
    let env = env::Env::new();
    let out = env.output(TODAY, &["demo", "--scale", "300"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Added 300 synthetic offers"), "{}", out.stdout);
    let out = env.output(TODAY, &["offers", "list", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let synthetic = listed.iter().filter(|o| o["name"].as_str().is_some_and(|n| n.contains('#'))).count();
    assert!(synthetic > 200, "the partner lists its synthetic offers: {synthetic}");
    assert!(listed.iter().all(|o| o["partner_account_id"] == PARTNER));

    // `--scale` needs a number; 0 is the demo alone.
    let other = env::Env::new();
    let out = other.output(TODAY, &["demo", "--scale"]);
    assert_eq!(out.code, 2, "{out:?}");
    let out = other.output(TODAY, &["demo", "--scale", "0", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["offers"], 86);
    assert!(summary.get("synthetic_offers").is_none());
}
