//! The use cases on a real temporary SQLite file: the worked example end to end, refusals
//! that leave the file untouched, optimistic versions, visibility, and opening odd files.

use crate::common;
use crate::demo_file;

use common::*;
use cppo::domain::opportunity::OpportunityKind;
use cppo::domain::{ErrorCode, OfferStatus, OpportunityStatus};
use cppo::market::MarketError;
use cppo::store::query::{ListQuery, Sort};
use cppo::store::{SCHEMA_VERSION, Store, StoreError};
use rust_decimal::dec;

fn rule_code(e: MarketError) -> ErrorCode {
    match e {
        MarketError::Rule(r) => r.code,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn the_worked_example_pays_77200_to_the_isv_and_8000_to_the_partner() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 100), true).unwrap();
    let (_, view) = f.market.offer(&id(PARTNER), &offer).unwrap();
    assert_eq!(view.wholesale_total.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("80000.00"));
    assert_eq!(view.buyer_total.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("88000.00"));
    assert_eq!(view.listing_fee_rate.map(|d| d.to_string()).as_deref(), Some("3.5"));
    assert_eq!(view.listing_fee.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("2800.00"));
    assert_eq!(view.isv_net.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("77200.00"));
    assert_eq!(view.partner_net.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("8000.00"));

    let agreement = f.market.accept_offer(&id(BUYER), &offer).unwrap();
    let paid_to_buyer = f.market.pay_next_charge(&id(BUYER), &agreement).unwrap();
    assert!(paid_to_buyer.is_empty(), "the buyer receives nothing");
    let isv = f.market.disbursements(&id(ISV), None).unwrap();
    let partner = f.market.disbursements(&id(PARTNER), None).unwrap();
    assert_eq!(isv.len(), 1);
    assert_eq!(isv[0].amount.to_plain(), "77200.00");
    assert_eq!(isv[0].listing_fee.map(|m| m.to_plain()).as_deref(), Some("2800.00"));
    assert_eq!(partner.len(), 1);
    assert_eq!(partner[0].amount.to_plain(), "8000.00");
    assert_eq!(partner[0].listing_fee, None);
    assert!(f.market.disbursements(&id(BUYER), None).unwrap().is_empty());

    let (_, offer_view) = f.market.offer(&id(BUYER), &offer).unwrap();
    assert_eq!(offer_view.status.to_string(), "Accepted");
    let err = f.market.pay_next_charge(&id(BUYER), &agreement).unwrap_err();
    assert_eq!(rule_code(err), ErrorCode::NothingDue);
}

#[test]
fn every_change_writes_its_audit_event_in_the_same_transaction() {
    let mut f = Fixture::new();
    let before = f.market.events(&id(ISV), None).unwrap().len();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let events = f.market.events(&id(ISV), Some(opp.as_str())).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "create");
    assert_eq!(events[0].to_state.as_deref(), Some("active"));
    assert_eq!(f.market.events(&id(ISV), None).unwrap().len(), before + 1);
    f.market.end_opportunity(&id(PARTNER), &opp).unwrap();
    let events = f.market.events(&id(PARTNER), Some(opp.as_str())).unwrap();
    assert_eq!(events.last().unwrap().action, "end");
    assert_eq!(events.last().unwrap().actor, PARTNER);
    assert!(f.market.events(&id(BUYER), Some(opp.as_str())).unwrap().is_empty(), "buyers never see opportunities");
}

#[test]
fn a_refused_use_case_leaves_the_file_unchanged() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::OneTime);
    f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(5), 10), false).unwrap();
    let before = f.counts();
    // A second offer from a consumed one-time opportunity.
    let err = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(5), 10), false).unwrap_err();
    assert_eq!(rule_code(err), ErrorCode::Consumed);
    // The ISV may not make offers.
    assert!(f.market.create_offer(&id(ISV), &opp, Fixture::offer_terms(BUYER, dec!(5), 10), false).is_err());
    // Ending a draft-free active opportunity as a stranger: not visible, so not found.
    let err = f.market.end_opportunity(&id(STRANGER), &opp).unwrap_err();
    assert!(matches!(err, MarketError::NotFound { .. }), "{err:?}");
    assert_eq!(f.counts(), before);
}

#[test]
fn a_stale_version_is_refused_instead_of_overwriting() {
    let mut f = Fixture::new();
    let t = f.terms(OpportunityKind::Recurring, dec!(20));
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t.clone(), false).unwrap();
    let (_, seen) = f.market.opportunity(&id(ISV), &opp).unwrap();
    let mut first = t.clone();
    first.name = "First edit".into();
    f.market.edit_opportunity(&id(ISV), &opp, first, Some(seen.version)).unwrap();
    let before = f.counts();
    let mut second = t;
    second.name = "Second edit from a stale screen".into();
    let err = f.market.edit_opportunity(&id(ISV), &opp, second, Some(seen.version)).unwrap_err();
    assert!(matches!(err, MarketError::Store(StoreError::Conflict { .. })), "{err:?}");
    assert!(err.to_string().contains("changed by someone else"), "{err}");
    assert_eq!(f.market.opportunity(&id(ISV), &opp).unwrap().1.name, "First edit");
    assert_eq!(f.counts(), before);
}

#[test]
fn every_entity_round_trips_through_the_file() {
    let mut f = Fixture::new();
    let mut t = f.terms(OpportunityKind::OneTime, dec!(12.5));
    t.installments = vec![(day("2027-07-15"), dec!(1000.50)), (day("2028-01-15"), dec!(2000))];
    t.grants = vec![("users".into(), 3)];
    t.net_payment_days = Some(30);
    t.eula_url = Some("https://example.com/eula.pdf".into());
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t, true).unwrap();
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(7.125), 3), true).unwrap();
    let agreement = f.market.accept_offer(&id(BUYER), &offer).unwrap();

    // Reopen the file from scratch and read everything back.
    f.at(TODAY);
    let (o, view) = f.market.opportunity(&id(ISV), &opp).unwrap();
    // The plan grants the users: they cost 0, and no discount prices anything.
    assert_eq!(o.discount_pct, None);
    assert_eq!((o.prices[0].wholesale_price, o.prices[0].granted_units), (dec!(0), Some(3)));
    assert_eq!(o.installments.len(), 2);
    assert_eq!(o.installments[0].amount.to_plain(), "1000.50");
    assert_eq!(o.net_payment_days, Some(30));
    assert_eq!(o.eula_url.as_deref(), Some("https://example.com/eula.pdf"));
    assert_eq!(o.buyers, vec![id(BUYER)]);
    assert_eq!(view.status.to_string(), "Consumed");
    let (rec, _) = f.market.offer(&id(PARTNER), &offer).unwrap();
    assert_eq!(rec.offer.markup_pct, dec!(7.125));
    assert_eq!(rec.offer.quantities, vec![("users".to_string(), 3)]);
    assert_eq!(rec.offer.agreement_id.as_ref(), Some(&agreement));
    // Installments marked up per charge: 1000.50 x 1.07125 = 1071.785... -> 1071.79.
    let (a, _) = f.market.agreement(&id(BUYER), &agreement).unwrap();
    assert_eq!(a.charges.len(), 2);
    assert_eq!(a.charges[0].amount.to_plain(), "1071.79");
    assert_eq!(a.charges[0].due_on, day("2027-07-15"));
    assert_eq!(a.total.to_plain(), "3214.29");
    assert_eq!(a.ends_on, day("2027-11-26"));
}

#[test]
fn installments_are_paid_only_once_due() {
    let mut f = Fixture::new();
    let mut t = f.terms(OpportunityKind::OneTime, dec!(0));
    t.installments = vec![(day("2027-07-15"), dec!(100)), (day("2027-10-15"), dec!(100))];
    t.grants = vec![("users".into(), 1)];
    let opp = f.market.create_opportunity(&id(ISV), &f.product, t, true).unwrap();
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 1), true).unwrap();
    let agreement = f.market.accept_offer(&id(BUYER), &offer).unwrap();
    let err = f.market.pay_next_charge(&id(BUYER), &agreement).unwrap_err();
    assert!(err.to_string().contains("due on 2027-07-15"), "{err}");
    f.at("2027-07-15");
    f.market.pay_next_charge(&id(BUYER), &agreement).unwrap();
    let isv = f.market.disbursements(&id(ISV), None).unwrap();
    // fee 3.5% of 100.00 = 3.50
    assert_eq!(
        (isv[0].amount.to_plain().as_str(), isv[0].listing_fee.map(|m| m.to_plain()).as_deref()),
        ("96.50", Some("3.50"))
    );
    assert_eq!(f.market.disbursements(&id(PARTNER), None).unwrap()[0].amount.to_plain(), "10.00");
}

#[test]
fn buyers_see_only_their_released_offers_and_never_wholesale() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let mine = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), true).unwrap();
    let theirs =
        f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(OTHER_BUYER, dec!(10), 5), true).unwrap();
    let draft = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();

    let q = ListQuery { limit: 50, ..ListQuery::default() };
    let seen = f.market.offers(&id(BUYER), None, &q).unwrap().rows;
    assert_eq!(seen.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), vec![mine.as_str()]);
    let v = &seen[0];
    assert!(v.wholesale_total.is_none() && v.listing_fee.is_none() && v.isv_net.is_none() && v.partner_net.is_none());
    assert_eq!(v.buyer_total.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("4400.00"));
    let json = cppo::cli::json::offer(v);
    for key in ["wholesale_total", "markup_pct", "listing_fee", "listing_fee_rate", "isv_net", "partner_net"] {
        assert!(json.get(key).is_none(), "buyer JSON has {key}");
    }
    for hidden in [&theirs, &draft] {
        let err = f.market.offer(&id(BUYER), hidden).unwrap_err();
        assert!(matches!(err, MarketError::NotFound { .. }));
    }
    assert_eq!(f.market.count_offers(&id(BUYER), None, None).unwrap(), 1);
}

#[test]
fn the_isv_sees_wholesale_but_not_markup_and_the_partner_as_buyer_of_recurring_offers() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), true).unwrap();
    let draft = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    let (_, v) = f.market.offer(&id(ISV), &offer).unwrap();
    assert_eq!(v.wholesale_total.and_then(|f| f.known()).map(|m| m.to_plain()).as_deref(), Some("4000.00"));
    assert!(v.markup_pct.is_none() && v.buyer_total.is_none() && v.partner_net.is_none());
    assert_eq!(v.buyer_account_id.as_ref().map(|a| a.as_str()), Some(PARTNER));
    assert!(v.lines.iter().all(|l| l.buyer_price.is_none() && l.wholesale_price.is_some()));
    assert!(matches!(f.market.offer(&id(ISV), &draft).unwrap_err(), MarketError::NotFound { .. }));
    // Filtering by the hidden buyer's id must not reveal the offer to the ISV.
    let q = ListQuery { limit: 50, filter: Some(BUYER.into()), ..ListQuery::default() };
    assert!(f.market.offers(&id(ISV), None, &q).unwrap().rows.is_empty());
    assert_eq!(f.market.offers(&id(PARTNER), None, &q).unwrap().rows.len(), 2);
}

#[test]
fn partners_do_not_see_draft_opportunities() {
    let mut f = Fixture::new();
    let t = f.terms(OpportunityKind::Recurring, dec!(20));
    let draft = f.market.create_opportunity(&id(ISV), &f.product, t, false).unwrap();
    assert!(matches!(f.market.opportunity(&id(PARTNER), &draft).unwrap_err(), MarketError::NotFound { .. }));
    assert_eq!(f.market.count_opportunities(&id(PARTNER), None, None).unwrap(), 0);
    f.market.release_opportunity(&id(ISV), &draft).unwrap();
    assert_eq!(f.market.count_opportunities(&id(PARTNER), None, None).unwrap(), 1);
}

#[test]
fn status_filters_run_in_sql_and_match_the_derived_status() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let active = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(1), 1), true).unwrap();
    let cancelled = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(1), 1), true).unwrap();
    f.market.cancel_offer(&id(PARTNER), &cancelled).unwrap();
    f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(1), 1), false).unwrap();
    let q = ListQuery { limit: 50, ..ListQuery::default() };
    // The cancelled offer is Cancelled, not Expired: nothing expired here.
    let statuses =
        [(OfferStatus::Active, 1), (OfferStatus::Cancelled, 1), (OfferStatus::Expired, 0), (OfferStatus::Draft, 1)];
    for (status, expect) in statuses {
        let rows = f.market.offers(&id(PARTNER), Some(status), &q).unwrap().rows;
        assert_eq!(rows.len(), expect, "{status:?}");
        assert!(rows.iter().all(|r| r.status == status));
    }
    assert_eq!(f.market.offers(&id(PARTNER), Some(OfferStatus::Active), &q).unwrap().rows[0].id, active.as_str());
    assert_eq!(f.market.offers(&id(PARTNER), Some(OfferStatus::Cancelled), &q).unwrap().rows[0].id, cancelled.as_str());
    assert_eq!(f.market.count_offers(&id(PARTNER), Some(OfferStatus::Cancelled), None).unwrap(), 1);
    // Sorted by status, each in its own range: draft, active, then cancelled last.
    let by_status = ListQuery { sort: Sort::Status, ..q.clone() };
    let order: Vec<OfferStatus> =
        f.market.offers(&id(PARTNER), None, &by_status).unwrap().rows.iter().map(|r| r.status).collect();
    assert_eq!(order, [OfferStatus::Draft, OfferStatus::Active, OfferStatus::Cancelled]);
    let reusable = f.market.opportunities(&id(ISV), Some(OpportunityStatus::AuthorizedReusable), &q).unwrap().rows;
    assert_eq!(reusable.len(), 1);
    // After the end date the opportunity reads Expired, in SQL and in the domain alike.
    f.at("2027-07-01");
    let expired = f.market.opportunities(&id(ISV), Some(OpportunityStatus::Expired), &q).unwrap().rows;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].status.to_string(), "Expired");
}

#[test]
fn keyset_pages_walk_every_row_once_in_order() {
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    for i in 0..23 {
        let mut t = Fixture::offer_terms(BUYER, dec!(1), 1);
        t.name = format!("Offer {i:02}");
        f.market.create_offer(&id(PARTNER), &opp, t, true).unwrap();
    }
    for descending in [false, true] {
        let mut q = ListQuery { limit: 5, sort: Sort::Name, descending, ..ListQuery::default() };
        let mut names = Vec::new();
        loop {
            let page = f.market.offers(&id(PARTNER), None, &q).unwrap();
            names.extend(page.rows.into_iter().map(|r| r.name));
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        let mut expected: Vec<String> = (0..23).map(|i| format!("Offer {i:02}")).collect();
        if descending {
            expected.reverse();
        }
        assert_eq!(names, expected);
    }
}

#[test]
fn a_file_from_a_newer_cppo_is_refused_and_not_modified() {
    let f = Fixture::new();
    let path = f.path.clone();
    drop(f.market);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("a newer file is refused");
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
    assert!(err.to_string().contains("newer cppo"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_sqlite_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list: milk, eggs, a private offer\n").unwrap();
    let err = Store::open(&path).err().expect("a text file is refused");
    assert!(err.to_string().contains("not a cppo file"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "shopping list: milk, eggs, a private offer\n");
}

#[test]
fn a_new_file_is_private_and_in_wal_mode() {
    let f = Fixture::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&f.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mode: String = f.market.store().conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = f.market.store().conn().pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn migrations_run_from_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/new.db");
    let store = Store::open(&path).unwrap();
    let v: i64 = store.conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert!(store.is_empty().unwrap());
    drop(store);
    // Reopening an up-to-date file changes nothing.
    let store = Store::open(&path).unwrap();
    assert!(store.row_counts().unwrap().iter().all(|(_, n)| *n == 0));
}

#[test]
fn a_file_of_format_2_gets_its_durations_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/0001_initial.sql")).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/0002_offer_tally.sql")).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts(id, name, is_isv, is_partner, is_buyer, created_at)
                 VALUES ('111111111111', 'Acme', 1, 0, 0, '2026-01-01T00:00:00Z');
             INSERT INTO products(id, isv_account_id, title, product_type, duration_months, created_at)
                 VALUES ('prod-AAAAAAAAAAAAA', '111111111111', 'Old', 'saas', 24, '2026-01-01T00:00:00Z');
             INSERT INTO dimensions(product_id, position, key, name, unit, pricing, list_price_e8)
                 VALUES ('prod-AAAAAAAAAAAAA', 0, 'users', 'users', 'user', 'contract', 100000000000);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let market = cppo::market::Market::open(&path, Box::new(cppo::domain::FixedClock::on(day(TODAY)))).unwrap();
    let product = market.product(&cppo::domain::ProductId::parse("prod-AAAAAAAAAAAAA").unwrap()).unwrap();
    assert_eq!(product.duration.to_string(), "P24M");
    assert_eq!(product.duration.words(), "24 months");
}

#[test]
fn upgrading_a_big_file_says_so_first_and_sorts_it_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file::copy_demo(&dir.path().join("v5.db"));
    // What opening `path` says before upgrading it.
    let open_noting = |path: &std::path::Path| {
        let mut said = None;
        let market =
            cppo::market::Market::open_noting(path, Box::new(cppo::domain::FixedClock::on(day(TODAY))), &mut |n| {
                said = Some(n.to_owned())
            })
            .unwrap();
        (market, said)
    };
    assert_eq!(open_noting(&path).1, None, "a current file");
    // The demo's cancelled offers, with their days: the upgrade finds them in the audit log.
    let cancelled = |path: &std::path::Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut st =
            conn.prepare("SELECT id, cancelled_on FROM offers WHERE cancelled_on IS NOT NULL ORDER BY id").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let cancelled_before = cancelled(&path);
    assert_eq!(cancelled_before.len(), 13, "the demo cancels 13 offers");
    // A file of format 5 whose offers reach rowid 150,000 (a big file, as its rowids tell):
    // what migrations 0006 to 0018 made, undone.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND name IN
                      ('accounts_name', 'offers_partner_buyer', 'offers_isv_partner',
                       'offers_partner_total', 'offers_isv_wholesale', 'offers_partner_status', 'offers_isv_status')",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(names.len(), 7, "migration 0006's indexes (0019 drops offers_isv_buyer): {names:?}");
        for n in names {
            conn.execute_batch(&format!("DROP INDEX {n}")).unwrap();
        }
        conn.execute_batch(
            "DROP INDEX agreements_partner_buyer; DROP INDEX agreements_isv_partner; DROP INDEX agreements_buyer_partner;
             DROP INDEX agreements_partner_status; DROP INDEX agreements_isv_status; DROP INDEX agreements_buyer_status;
             DROP INDEX agreements_partner_status_created; DROP INDEX agreements_isv_status_created;
             DROP INDEX agreements_buyer_status_created; DROP INDEX agreements_opportunity;
             DROP TRIGGER agreement_tally_insert; DROP TRIGGER agreement_tally_delete; DROP TRIGGER agreement_tally_update;
             DROP TABLE agreement_tally;
             DROP TRIGGER offer_months_insert; DROP TRIGGER offer_months_delete; DROP TRIGGER offer_months_update;
             DROP TABLE offer_months; DROP TABLE offer_aws_prices; DROP TABLE aws_links; DROP TABLE aws_refusals;
             DROP TABLE opportunity_rate_cards; ALTER TABLE offers DROP COLUMN duration;
             DROP TABLE aws_agreement_charges; DROP TABLE aws_agreements; DROP TABLE financings;
             DROP TABLE offer_replacements; ALTER TABLE agreements DROP COLUMN replaces_agreement_id;
             ALTER TABLE agreements DROP COLUMN replaced_by_agreement_id; ALTER TABLE charges DROP COLUMN cancelled_on;
             DROP INDEX agreements_partner_ends; DROP INDEX agreements_isv_ends; DROP INDEX agreements_buyer_ends;
             DROP INDEX agreements_partner_total; DROP INDEX agreements_isv_total; DROP INDEX agreements_buyer_total;
             ALTER TABLE opportunity_prices DROP COLUMN granted_units; DROP TABLE aws_pulls;
             ALTER TABLE offers DROP COLUMN cancelled_on;
             UPDATE offers SET rowid = 150000 WHERE rowid = (SELECT max(rowid) FROM offers); PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let (upgraded, notice) = open_noting(&path);
    let notice = notice.expect("a notice");
    let format = format!("file format {SCHEMA_VERSION}");
    assert!(notice.contains(&format) && notice.contains("150,000 offers"), "{notice}");
    drop(upgraded);
    let (market, again) = open_noting(&path);
    assert_eq!(again, None, "upgraded once");
    assert_eq!(cancelled(&path), cancelled_before, "Cancelled, as before the upgrade");
    let q = ListQuery { limit: 100, sort: Sort::Counterparty, ..ListQuery::default() };
    let page = market.offers(&id("902174365518"), None, &q).unwrap();
    assert!(!page.rows.is_empty());
    // Its offers hold no duration: each is for its opportunity's first, the only one there was.
    let stored: i64 = market.store().conn().query_row("SELECT count(duration) FROM offers", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 0);
    for o in &page.rows {
        assert_eq!(o.duration, market.opportunity_record(&o.opportunity_id).unwrap().duration.to_string());
    }
    // The agreements' tally is made from the agreements the file holds.
    let conn = market.store().conn();
    let tallied: i64 = conn.query_row("SELECT sum(n) FROM agreement_tally", [], |r| r.get(0)).unwrap();
    let agreements: i64 = conn.query_row("SELECT count(*) FROM agreements", [], |r| r.get(0)).unwrap();
    assert_eq!(tallied, agreements);
    let (agreement, partner): (String, String) = conn
        .query_row("SELECT id, partner_account_id FROM agreements LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let found = market.count_agreements(&id(&partner), None, Some(&agreement[6..20])).unwrap();
    assert_eq!(found, 1, "the agreement found by a piece of its id");
    let months: i64 = market.store().conn().query_row("SELECT sum(n) FROM offer_months", [], |r| r.get(0)).unwrap();
    let offers: i64 = market.store().conn().query_row("SELECT count(*) FROM offers", [], |r| r.get(0)).unwrap();
    assert_eq!(months, offers, "the months table is filled from the offers");
    let wal = std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the upgrade's pages are checkpointed into the file");
}

#[test]
fn an_unknown_list_price_is_stored_as_unknown_and_shown_as_null() {
    use cppo::domain::opportunity::WholesaleTerms;
    use cppo::domain::{Dimension, PricingModel, ProductType};
    let mut f = Fixture::new();
    let dims = vec![Dimension::new("nodes", "Nodes", "node", PricingModel::Contract, None).unwrap()];
    let product = f
        .market
        .add_product(&id(ISV), "Imported product", ProductType::Container, cppo::domain::product::Duration::P12M, dims)
        .unwrap();
    let stored = f.market.product(&product).unwrap();
    assert_eq!(stored.dimensions[0].list_price, None);
    let view = f.market.products().unwrap().into_iter().find(|p| p.id == product.as_str()).unwrap();
    assert_eq!(cppo::cli::json::product(&view)["dimensions"][0]["list_price"], serde_json::Value::Null);

    let mut terms = f.terms(OpportunityKind::Recurring, dec!(0));
    terms.wholesale = WholesaleTerms::Prices(vec![("nodes".into(), dec!(450))]);
    let opp = f.market.create_opportunity(&id(ISV), &product, terms, true).unwrap();
    let (o, view) = f.market.opportunity(&id(PARTNER), &opp).unwrap();
    assert_eq!(o.prices[0].list_price, None);
    assert_eq!(view.prices[0].list_price, None);
    assert_eq!(view.prices[0].wholesale_price, rust_decimal::dec!(450));
}

#[test]
fn a_relationship_month_by_month_counts_the_offers_and_the_value_each_side_sees() {
    use cppo::market::Counterparty;
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let terms = |expires: &str| cppo::domain::offer::OfferTerms {
        expires_on: Some(day(expires)),
        ..Fixture::offer_terms(BUYER, dec!(10), 100)
    };
    f.market.create_offer(&id(PARTNER), &opp, terms("2026-12-31"), true).unwrap();
    f.at("2026-12-05");
    let accepted = f.market.create_offer(&id(PARTNER), &opp, terms("2026-12-31"), true).unwrap();
    f.market.accept_offer(&id(BUYER), &accepted).unwrap();
    f.market.create_offer(&id(PARTNER), &opp, terms("2026-12-31"), false).unwrap(); // a draft
    f.at("2027-01-20");
    f.market.create_offer(&id(PARTNER), &opp, terms("2027-02-28"), true).unwrap();
    let months = |viewer: &str, account: &str, role| {
        let m = f.market.relationship_months(&id(viewer), &id(account), role, 12).unwrap();
        assert_eq!(m.len(), 12);
        assert_eq!((m[0].month, m[11].month), (day("2026-02-01"), day("2027-01-01")), "twelve months to this one");
        m[9..]
            .iter()
            .map(|m| (m.offers, m.accepted.iter().map(|a| a.display()).collect::<Vec<_>>().join(" + ")))
            .collect::<Vec<_>>()
    };
    let none = String::new;
    // The ISV sees released offers and wholesale; the partner every offer and the buyer's
    // price; the buyer the released offers to it.
    assert_eq!(
        months(ISV, PARTNER, Counterparty::Partner),
        vec![(1, none()), (1, "80,000.00 USD".into()), (1, none())]
    );
    assert_eq!(months(PARTNER, ISV, Counterparty::Isv), vec![(1, none()), (2, "88,000.00 USD".into()), (1, none())]);
    assert_eq!(
        months(BUYER, PARTNER, Counterparty::Seller),
        vec![(1, none()), (1, "88,000.00 USD".into()), (1, none())]
    );
}

#[test]
fn the_review_queue_lists_only_what_can_be_done_now_and_marks_overdue_charges() {
    use cppo::market::actions::ReviewKind;
    let mut f = Fixture::new();
    let opp = f.opportunity(OpportunityKind::Recurring);
    let draft = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    let offer = f.market.create_offer(&id(PARTNER), &opp, Fixture::offer_terms(BUYER, dec!(10), 5), true).unwrap();
    let kinds = |f: &Fixture, who: &str| {
        let q = f.market.review_queue(&id(who)).unwrap();
        assert!(!q.capped);
        q.items.iter().map(|i| (i.kind, i.overdue, i.why.clone())).collect::<Vec<_>>()
    };
    assert!(kinds(&f, PARTNER).iter().any(|(k, _, _)| *k == ReviewKind::Release), "the draft can be released");
    f.market.accept_offer(&id(BUYER), &offer).unwrap();
    // Past the draft's expiry, it can no longer be released: it leaves the queue.
    f.at("2027-01-05");
    assert!(f.market.offer(&id(PARTNER), &draft).is_ok());
    assert!(!kinds(&f, PARTNER).iter().any(|(k, _, _)| *k == ReviewKind::Release), "{:?}", kinds(&f, PARTNER));
    // The buyer's charge, due on acceptance and unpaid since, is overdue.
    let buyer = kinds(&f, BUYER);
    let charge = buyer.iter().find(|(k, _, _)| *k == ReviewKind::Pay).expect("the charge to pay");
    assert!(charge.1 && charge.2.starts_with("OVERDUE since 2026-11-26"), "{charge:?}");
}
