//! The demo marketplace on a real temporary file: it loads into an empty file only, shows
//! every status, spans the cast and currencies DOMAIN.md describes, always has something
//! ending this week and agreements on the renewal radar (with replacement offers drafted,
//! released and accepted), and gets the same ids on every load.

use std::path::Path;

use chrono::{NaiveDate, TimeDelta};
use cppo::domain::{AccountId, AgreementId, AgreementStatus, ErrorCode, FixedClock, OfferStatus, OpportunityStatus};
use cppo::market::demo::{self, DemoSummary};
use cppo::market::views::{AccountView, OfferView, OpportunityView};
use cppo::market::{Market, MarketError};
use cppo::store::query::ListQuery;

const TODAY: &str = "2026-11-26";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

fn open(path: &Path) -> Market {
    Market::open(path, Box::new(FixedClock::on(today()))).unwrap()
}

struct Loaded {
    _dir: tempfile::TempDir,
    market: Market,
    summary: DemoSummary,
}

fn loaded() -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let mut market = open(&dir.path().join("demo.db"));
    let summary = demo::load(&mut market).unwrap();
    Loaded { _dir: dir, market, summary }
}

fn all_rows() -> ListQuery {
    ListQuery { limit: 1000, ..ListQuery::default() }
}

fn with_role(m: &Market, role: &str) -> Vec<AccountView> {
    m.accounts().unwrap().into_iter().filter(|a| a.roles.names().contains(&role)).collect()
}

fn account_id(a: &AccountView) -> AccountId {
    a.id.clone()
}

/// Every opportunity, as the ISV that granted it sees it (ISVs see their drafts too).
fn opportunities(m: &Market, status: Option<OpportunityStatus>) -> Vec<OpportunityView> {
    with_role(m, "isv")
        .iter()
        .flat_map(|isv| m.opportunities(&account_id(isv), status, &all_rows()).unwrap().rows)
        .filter(|o| o.seen_as.as_str() == "isv")
        .collect()
}

/// Every offer, as the partner that made it sees it (partners see their drafts too).
fn offers(m: &Market, status: Option<OfferStatus>) -> Vec<OfferView> {
    with_role(m, "partner")
        .iter()
        .flat_map(|p| m.offers(&account_id(p), status, &all_rows()).unwrap().rows)
        .filter(|o| o.seen_as.as_str() == "partner")
        .collect()
}

#[test]
fn the_demo_loads_into_an_empty_file_and_counts_what_it_wrote() {
    let Loaded { market, summary, .. } = loaded();
    assert!(!market.store().is_empty().unwrap());
    assert_eq!(summary.accounts, market.accounts().unwrap().len());
    assert_eq!(summary.products, market.products().unwrap().len());
    assert_eq!(summary.opportunities, opportunities(&market, None).len());
    assert_eq!(summary.offers, offers(&market, None).len());
    assert!(summary.opportunities >= 40);
    assert!(summary.offers >= 80);
    let accepted = offers(&market, Some(OfferStatus::Accepted)).len();
    assert_eq!(summary.agreements, accepted);
    assert_eq!(market.today(), today(), "the clock is back on today");
}

#[test]
fn loading_twice_is_refused_and_leaves_the_file_unchanged() {
    let Loaded { mut market, .. } = loaded();
    let before = market.store().row_counts().unwrap();
    let err = demo::load(&mut market).unwrap_err();
    match &err {
        MarketError::Rule(r) => {
            assert_eq!(r.code, ErrorCode::Validation);
            assert!(r.message.contains("already holds data"), "{}", r.message);
            assert!(r.message.contains("--db"), "{}", r.message);
        }
        other => panic!("expected a rule error, got {other:?}"),
    }
    assert_eq!(market.store().row_counts().unwrap(), before);
}

#[test]
fn a_file_with_any_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut market = open(&dir.path().join("one.db"));
    let roles = cppo::domain::Roles { buyer: true, ..Default::default() };
    market.add_account(None, AccountId::parse("123456789012").unwrap(), "Solo Buyer", roles, None).unwrap();
    let before = market.store().row_counts().unwrap();
    assert!(demo::load(&mut market).is_err());
    assert_eq!(market.store().row_counts().unwrap(), before);
}

#[test]
fn every_opportunity_status_is_shown() {
    let Loaded { market, summary, .. } = loaded();
    let mut total = 0;
    for status in OpportunityStatus::ALL {
        let rows = opportunities(&market, Some(status));
        assert!(!rows.is_empty(), "no opportunity is {}", status.label());
        assert!(rows.iter().all(|o| o.status == status), "{status}: {rows:?}");
        let counted: u64 = with_role(&market, "isv")
            .iter()
            .map(|a| market.count_opportunities(&account_id(a), Some(status), None).unwrap())
            .sum();
        assert_eq!(counted as usize, rows.len(), "{status}");
        total += rows.len();
    }
    assert_eq!(total, summary.opportunities);
}

#[test]
fn every_offer_status_is_shown() {
    let Loaded { market, summary, .. } = loaded();
    let mut total = 0;
    for status in OfferStatus::ALL {
        let rows = offers(&market, Some(status));
        assert!(!rows.is_empty(), "no offer is {}", status.label());
        assert!(rows.iter().all(|o| o.status == status), "{status}: {rows:?}");
        let counted: u64 = with_role(&market, "partner")
            .iter()
            .map(|a| market.count_offers(&account_id(a), Some(status), None).unwrap())
            .sum();
        assert_eq!(counted as usize, rows.len(), "{status}");
        total += rows.len();
    }
    assert_eq!(total, summary.offers);
}

#[test]
fn the_cast_has_isvs_partners_with_a_distributor_buyers_and_every_product_type() {
    let Loaded { market, .. } = loaded();
    assert!(with_role(&market, "isv").len() >= 3);
    let partners = with_role(&market, "partner");
    assert!(partners.len() >= 5);
    assert!(partners.iter().any(|p| p.partner_kind.map(|k| k.as_str()) == Some("distributor")));
    assert!(with_role(&market, "buyer").len() >= 8);
    for a in market.accounts().unwrap() {
        assert!(a.id.as_str().len() == 12 && a.id.as_str().bytes().all(|b| b.is_ascii_digit()), "{}", a.id);
    }
    let products = market.products().unwrap();
    assert!(products.len() >= 10);
    for t in ["saas", "ami", "container", "services"] {
        assert!(products.iter().any(|p| p.product_type.as_str() == t), "no {t} product");
    }
    for d in ["P12M", "P24M", "P36M"] {
        assert!(products.iter().any(|p| p.duration == d), "no {d} product");
    }
    assert!(products.iter().flat_map(|p| &p.dimensions).any(|d| d.pricing.as_str() == "usage"));
}

#[test]
fn opportunities_cover_currencies_kinds_targeting_installments_and_renewal() {
    let Loaded { market, .. } = loaded();
    let all = opportunities(&market, None);
    for c in ["USD", "EUR", "JPY"] {
        assert!(all.iter().any(|o| o.currency.code() == c), "no {c} opportunity");
    }
    for o in all.iter().filter(|o| o.currency.code() == "JPY") {
        assert!(o.prices.iter().all(|p| p.wholesale_price.fract().is_zero()), "JPY in whole yen: {:?}", o.prices);
        assert!(o.installments.iter().all(|i| !i.amount.to_plain().contains('.')));
    }
    assert!(all.iter().any(|o| o.kind.as_str() == "recurring" && o.ends_on.is_none()));
    assert!(all.iter().any(|o| o.kind.as_str() == "recurring" && o.ends_on.is_some()));
    assert!(all.iter().any(|o| o.kind.as_str() == "recurring" && !o.buyer_account_ids.is_empty()));
    assert!(all.iter().any(|o| o.kind.as_str() == "one_time"));
    assert!(all.iter().any(|o| !o.installments.is_empty()));
    assert!(all.iter().any(|o| o.renewal && !o.buyer_account_ids.is_empty()));
    assert!(all.iter().any(|o| o.ended_by.as_ref() == Some(&o.isv_account_id)));
    assert!(all.iter().any(|o| o.ended_by.as_ref() == Some(&o.partner_account_id)));
}

#[test]
fn agreements_have_paid_and_unpaid_charges_and_payouts() {
    let Loaded { market, .. } = loaded();
    let accounts = market.accounts().unwrap();
    let paid: usize = accounts.iter().map(|a| market.disbursements(&account_id(a), None).unwrap().len()).sum();
    assert!(paid > 0, "some disbursement exists");
    let agreements: Vec<_> = with_role(&market, "buyer")
        .iter()
        .flat_map(|b| market.agreements(&account_id(b)).unwrap())
        .filter(|a| a.seen_as.as_str() == "buyer")
        .collect();
    let charges: Vec<_> = agreements.iter().flat_map(|a| &a.charges).collect();
    assert!(charges.iter().any(|c| c.paid_on.is_some()));
    assert!(charges.iter().any(|c| c.paid_on.is_none() && c.due_on > today()), "a future installment");
    assert!(charges.iter().any(|c| c.paid_on.is_none() && c.due_on <= today()), "a charge due and unpaid");
    // Only a financier pays a charge before it is due: it pays every open one when funded.
    let financed = |a: &cppo::market::views::AgreementView| a.financing.as_ref().is_some_and(|f| f.is_funded());
    assert!(agreements.iter().any(financed), "an agreement financed by a third party");
    let mut early = agreements.iter().filter(|a| a.charges.iter().any(|c| c.paid_on.is_some_and(|p| p < c.due_on)));
    assert!(early.all(financed), "a charge paid early without a financier");
    for c in ["USD", "EUR", "JPY"] {
        assert!(agreements.iter().any(|a| a.currency.code() == c), "no {c} agreement");
    }
}

#[test]
fn something_ends_this_week() {
    let Loaded { market, .. } = loaded();
    let week = today()..=today() + TimeDelta::days(7);
    let opp = opportunities(&market, None)
        .into_iter()
        .any(|o| o.status.label().starts_with("Authorized") && o.ends_on.is_some_and(|d| week.contains(&d)));
    assert!(opp, "an opportunity ends within 7 days");
    let offer =
        offers(&market, Some(OfferStatus::Active)).into_iter().any(|o| o.expires_on.is_some_and(|d| week.contains(&d)));
    assert!(offer, "an active offer expires within 7 days");
}

#[test]
fn the_same_demo_gets_the_same_ids_in_two_files() {
    let (a, b) = (loaded(), loaded());
    let ids = |m: &Market| {
        let mut v: Vec<String> = opportunities(m, None).into_iter().map(|o| o.id.to_string()).collect();
        v.extend(offers(m, None).into_iter().map(|o| o.id.to_string()));
        v.extend(m.products().unwrap().into_iter().map(|p| p.id.to_string()));
        for buyer in with_role(m, "buyer") {
            let mine = m.agreements(&account_id(&buyer)).unwrap().into_iter().filter(|a| a.seen_as.as_str() == "buyer");
            v.extend(mine.map(|a| a.id.to_string()));
        }
        v.sort();
        v
    };
    let first = ids(&a.market);
    assert_eq!(first.len(), a.summary.opportunities + a.summary.offers + a.summary.products + a.summary.agreements);
    assert_eq!(first, ids(&b.market));
    assert_eq!(a.summary, b.summary);
}

#[test]
fn the_remembered_actor_is_the_busiest_partner() {
    let Loaded { market, summary, .. } = loaded();
    assert_eq!(market.last_actor().unwrap(), Some(summary.actor.clone()));
    assert!(market.account(&summary.actor).unwrap().roles.partner);
    let mine = market.count_offers(&summary.actor, None, None).unwrap();
    for p in with_role(&market, "partner") {
        assert!(market.count_offers(&account_id(&p), None, None).unwrap() <= mine, "{} made more offers", p.name);
    }
}

#[test]
fn the_demo_gives_the_callers_running_clock_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut market = Market::open(&dir.path().join("x.db"), Box::new(cppo::domain::SystemClock)).unwrap();
    demo::load(&mut market).unwrap();
    let first = market.now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(market.now() > first, "today froze at the moment the demo started");
}

/// Every sort of the Opportunities tab, both ways, a few rows a page: every row once, in the
/// order of the column the tab shows, for each account that sees opportunities.
#[test]
fn opportunities_sort_by_every_column_across_pages() {
    use cppo::market::Sort;
    let l = loaded();
    let m = &l.market;
    let names: std::collections::HashMap<AccountId, String> =
        m.accounts().unwrap().into_iter().map(|a| (a.id, a.name)).collect();
    let titles: std::collections::HashMap<String, String> =
        m.products().unwrap().into_iter().map(|p| (p.id.to_string(), p.name)).collect();
    let rank = |s: OpportunityStatus| OpportunityStatus::ALL.iter().position(|x| *x == s).unwrap();
    for viewer in with_role(m, "isv").iter().chain(with_role(m, "partner").iter()).map(account_id) {
        let all = m.opportunities(&viewer, None, &all_rows()).unwrap().rows;
        for sort in Sort::FOR_OPPORTUNITIES {
            for descending in [false, true] {
                let mut q = ListQuery { limit: 3, sort, descending, ..ListQuery::default() };
                let mut got = Vec::new();
                loop {
                    let page = m.opportunities(&viewer, None, &q).unwrap();
                    got.extend(page.rows);
                    match page.next {
                        Some(c) => q.after = Some(c),
                        None => break,
                    }
                }
                let ids: Vec<String> = got.iter().map(|o| o.id.to_string()).collect();
                let mut want: Vec<String> = all.iter().map(|o| o.id.to_string()).collect();
                let mut sorted_ids = ids.clone();
                sorted_ids.sort();
                want.sort();
                assert_eq!(sorted_ids, want, "{sort:?} as {viewer}: every row once");
                // What the column shows, as it sorts (then the id).
                let key = |o: &OpportunityView| -> (i64, String, String) {
                    let other = if o.seen_as.as_str() == "isv" { &o.partner_account_id } else { &o.isv_account_id };
                    let ends = o.ends_on.map_or_else(|| cppo::store::NO_DATE.to_owned(), |d| d.to_string());
                    let (n, text) = match sort {
                        Sort::Name => (0, o.name.clone()),
                        Sort::Product => (0, titles[&o.product_id.to_string()].clone()),
                        Sort::Counterparty => (0, format!("{}\u{1f}{other}", names[other])),
                        Sort::Kind => (0, o.kind.label().replace('-', "_")),
                        Sort::Discount => (
                            o.discount_pct.map_or(-1, |d| (d * rust_decimal::dec!(1000)).trunc().try_into().unwrap()),
                            String::new(),
                        ),
                        Sort::Currency => (0, o.currency.code().to_owned()),
                        Sort::Status => (rank(o.status) as i64, ends),
                        Sort::Date => (0, ends),
                        Sort::Offers => (i64::from(o.offers_created), String::new()),
                        _ => (0, String::new()),
                    };
                    (n, text, o.id.to_string())
                };
                if sort == Sort::Created {
                    continue;
                }
                let keys: Vec<_> = got.iter().map(key).collect();
                let ordered = if descending { keys.iter().rev().is_sorted() } else { keys.is_sorted() };
                assert!(ordered, "{sort:?} (descending: {descending}) as {viewer}: {keys:?}");
            }
        }
    }
}

/// A name holding any character (here U+001F, written by hand into the file) pages like any
/// other: the cursor keeps each sort key whole.
#[test]
fn counterparty_sorts_page_through_names_holding_control_characters() {
    use cppo::market::Sort;
    let l = loaded();
    let m = &l.market;
    let partner = AccountId::parse("902174365518").unwrap();
    let (buyer, n): (String, i64) = m
        .store()
        .conn()
        .query_row(
            "SELECT buyer_account_id, count(*) FROM offers WHERE partner_account_id = ?1 AND buyer_account_id IS NOT NULL
             GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [partner.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(n >= 3, "a buyer with a few offers: {n}");
    m.store().conn().execute("UPDATE accounts SET name = 'Con' || char(31) || 'toso' WHERE id = ?1", [&buyer]).unwrap();
    let all = m.offers(&partner, None, &all_rows()).unwrap().rows.len();
    for descending in [false, true] {
        let mut q = ListQuery { limit: 2, sort: Sort::Counterparty, descending, ..ListQuery::default() };
        let mut seen = Vec::new();
        for _ in 0..all {
            let page = m.offers(&partner, None, &q).unwrap();
            seen.extend(page.rows.into_iter().map(|o| o.id.to_string()));
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        let distinct: std::collections::BTreeSet<_> = seen.iter().collect();
        assert_eq!((seen.len(), distinct.len()), (all, all), "every offer once (descending: {descending})");
    }
}

#[test]
fn the_partners_radar_has_agreements_ending_within_30_60_and_90_days() {
    let Loaded { market, summary, .. } = loaded();
    let radar = market.radar(&summary.actor, 90).unwrap();
    for (from, to) in [(1, 30), (31, 60), (61, 90)] {
        assert!(
            radar.iter().any(|r| (from..=to).contains(&r.days_left)),
            "an agreement of the acting partner ends in {from}-{to} days"
        );
    }
}

#[test]
fn replacement_offers_are_drafted_released_and_accepted_for_the_partners_agreements() {
    let Loaded { market, summary, .. } = loaded();
    let partner = &summary.actor;
    let agreements = market.agreements(partner).unwrap();
    let ending = |id: &AgreementId| {
        agreements.iter().find(|a| a.id == *id).is_some_and(|a| a.days_left.is_some_and(|d| d <= 90))
    };
    let replacements: Vec<_> =
        market.offers(partner, None, &all_rows()).unwrap().rows.into_iter().filter(|o| o.replaces.is_some()).collect();
    let drafted = replacements.iter().find(|o| o.status == OfferStatus::Draft).expect("a replacement drafted");
    assert!(
        ending(drafted.replaces.as_ref().unwrap()),
        "the drafted replacement is for an agreement ending within 90 days"
    );
    let released = replacements.iter().find(|o| o.status == OfferStatus::Active).expect("a replacement released");
    assert!(
        ending(released.replaces.as_ref().unwrap()),
        "the released replacement is for an agreement ending within 90 days"
    );
    assert!(released.agreement_ends_on.is_some(), "the released replacement sets the new agreement's end");
    let accepted = replacements.iter().find(|o| o.status == OfferStatus::Accepted).expect("a replacement accepted");
    let old = agreements.iter().find(|a| Some(&a.id) == accepted.replaces.as_ref()).expect("the replaced agreement");
    assert_eq!(old.status, AgreementStatus::Replaced);
    let new = agreements.iter().find(|a| a.offer_id == accepted.id).expect("the new agreement");
    assert_eq!(old.replaced_by.as_ref(), Some(&new.id));
    assert_eq!(new.replaces.as_ref(), Some(&old.id));
    assert!(old.charges.iter().any(|c| c.paid_on.is_some()), "what was paid on the old one stays paid");
}
