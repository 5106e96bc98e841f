//! The Agreements tab's list over both tables: cppo's own agreements and those imported from
//! AWS page, sort, narrow, count and locate as one list, each row once.

use std::collections::HashSet;

use cppo::domain::{AccountId, AgreementStatus, FixedClock};
use cppo::market::Market;
use cppo::store::query::{AgreementNarrow, ListQuery, Sort};

const PARTNER: &str = "420061735518";
const BUYER: &str = "381904526617";
const HELD: &str = "agmt-4nd8kq2ws7x1zrenew0000001";
const NOT_HELD: &str = "agmt-7zz0nn3kd1u5qother00000002";
const PAYG: &str = "agmt-9pg4payasyougo0000000003";
const REPLACED: &str = "agmt-1ex5expired00000000000004";

/// AWS's book imported by its partner (cppo's own agreements beside them are the demo's, in
/// `tests/tui/agreements.rs` and `scale_agreements`).
fn book(dir: &std::path::Path) -> Market {
    let db = dir.join("cppo.db");
    let run = |actor: &str, args: &[&str]| {
        let out = crate::env::cppo(dir)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws"))
            .args(["--db", db.to_str().unwrap(), "--now", "2026-11-30", "--as", actor])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(
        PARTNER,
        &["import", "describe-all.json", "agreements/search-agreements.json", "agreements/describe-agreement.json"],
    );
    run(PARTNER, &["import", "agreements/get-agreement-terms.json", "--id", HELD]);
    Market::open(&db, Box::new(FixedClock::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()))).unwrap()
}

fn walk(m: &Market, viewer: &AccountId, narrow: Option<AgreementNarrow>, sort: Sort, descending: bool) -> Vec<String> {
    let mut q = ListQuery { sort, descending, limit: 1, ..ListQuery::default() };
    let mut ids = Vec::new();
    loop {
        let page = m.agreements_page(viewer, narrow, &q).unwrap();
        ids.extend(page.rows.iter().map(|a| a.id().to_string()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => return ids,
        }
    }
}

#[test]
fn imported_agreements_page_sort_narrow_and_count_with_cppos_own() {
    let dir = tempfile::tempdir().unwrap();
    let m = book(dir.path());
    let partner: AccountId = PARTNER.parse().unwrap();
    let all: HashSet<String> = [HELD, NOT_HELD, PAYG, REPLACED].map(String::from).into();
    assert_eq!(m.count_agreements(&partner, None, None).unwrap(), 4);
    for sort in [Sort::Created, Sort::Counterparty, Sort::Amount, Sort::Status, Sort::Date] {
        for descending in [false, true] {
            let ids = walk(&m, &partner, None, sort, descending);
            assert_eq!(ids.len(), 4, "{sort:?} {descending}: {ids:?}");
            assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), all, "{sort:?} {descending}");
        }
    }
    assert_eq!(walk(&m, &partner, None, Sort::Date, false), [REPLACED, HELD, NOT_HELD, PAYG]);
    // The status sort: ACTIVE first (by end date, pay-as-you-go last), then AWS's REPLACED.
    assert_eq!(walk(&m, &partner, None, Sort::Status, false), [HELD, NOT_HELD, PAYG, REPLACED]);
    let narrowed = |n: AgreementNarrow| {
        let ids = walk(&m, &partner, Some(n), Sort::Date, false);
        assert_eq!(m.count_agreements(&partner, Some(n), None).unwrap(), ids.len() as u64, "{n:?}");
        ids
    };
    assert_eq!(narrowed(AgreementNarrow::Status(AgreementStatus::Active)), [HELD, NOT_HELD, PAYG]);
    assert_eq!(narrowed(AgreementNarrow::Status(AgreementStatus::Replaced)), [REPLACED]);
    assert!(narrowed(AgreementNarrow::Status(AgreementStatus::Expired)).is_empty());
    assert_eq!(narrowed(AgreementNarrow::EndingWithin(30)), [HELD]);
    assert_eq!(narrowed(AgreementNarrow::EndingWithin(90)), [HELD, NOT_HELD]);
    // The filter finds them by id and by the buyer's id.
    let q = ListQuery { filter: Some("payasyougo".into()), limit: 10, ..ListQuery::default() };
    let found: Vec<String> =
        m.agreements_page(&partner, None, &q).unwrap().rows.iter().map(|a| a.id().to_string()).collect();
    assert_eq!(found, [PAYG]);
    assert_eq!(m.count_agreements(&partner, None, Some("payasyougo")).unwrap(), 1);
    // The buyer of the held one sees it, and only what it is a party to.
    let buyer: AccountId = BUYER.parse().unwrap();
    assert_eq!(walk(&m, &buyer, None, Sort::Created, false), [HELD]);
}
