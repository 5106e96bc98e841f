//! The Agreements tab (`4`) and the renewal radar: keys on the tab, the detail opened and
//! closed, filter and status, `w` (ending within), `t` (value ending per month), the review
//! queue's agreements, a charge paid from the tab.

use cppo::app::{Detail, Tab};
use cppo::domain::radar::Renewal;
use cppo::market::AnyAgreement;
use cppo::market::actions::{ReviewKind, ReviewTarget};
use ratatui::crossterm::event::KeyCode;

use super::{BUYER, ISV, PARTNER, demo_as};

/// The partner of AWS's book in `tests/fixtures/aws/`, its agreements, and their day.
const AWS_PARTNER: &str = "420061735518";
const HELD: &str = "agmt-4nd8kq2ws7x1zrenew0000001";
const NOT_HELD: &str = "agmt-7zz0nn3kd1u5qother00000002";
const PAYG: &str = "agmt-9pg4payasyougo0000000003";
const REPLACED: &str = "agmt-1ex5expired00000000000004";

/// AWS's book as its partner imports it with the AWS CLI's answers (the catalog's
/// describe-all, then search-agreements, describe-agreement and get-agreement-terms), seen
/// as `actor` on the fixtures' day (2026-11-30).
fn aws_book_as(actor: &str) -> super::Ui {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cppo.db");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws");
    for args in [
        &["describe-all.json"][..],
        &["agreements/search-agreements.json", "agreements/describe-agreement.json"],
        &["agreements/get-agreement-terms.json", "--id", HELD],
    ] {
        let out = super::env::cppo(dir.path())
            .current_dir(fixtures)
            .args(["--db", db.to_str().unwrap(), "--now", "2026-11-30", "--as", AWS_PARTNER, "import"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    super::open_on(dir, chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 120, 40, Some(actor))
}

/// The ids of the rows the tab holds, of either source.
fn all_ids(ui: &super::Ui) -> Vec<String> {
    let n = ui.app.agreements().total().expect("counted");
    (0..n).filter_map(|i| ui.app.agreements().row(i)).map(|a| a.id().to_string()).collect()
}

/// The agreements on screen, as the app holds them (the first `n` rows).
fn ids(ui: &super::Ui, n: u64) -> Vec<String> {
    (0..n).filter_map(|i| ui.app.agreements().row(i).and_then(AnyAgreement::local)).map(|a| a.id.to_string()).collect()
}

#[test]
fn each_party_sees_its_agreements_on_the_fourth_tab() {
    for (who, seen) in [(PARTNER, 16), (ISV, 15), (BUYER, 6)] {
        let mut ui = demo_as(who);
        ui.key(KeyCode::Char('4'));
        assert_eq!(ui.app.tab(), Tab::Agreements);
        assert_eq!(ui.app.agreements().total(), Some(seen), "as {who}");
        assert!(ui.screen().contains(&format!("4 Agreements ({seen})")), "{}", ui.screen());
        // The ISV sees wholesale, never the buyer's total.
        if who == ISV {
            let a = ui.app.agreements().selected().and_then(AnyAgreement::local).expect("a row");
            assert!(a.total.is_none() && a.wholesale_total.is_some());
        }
    }
}

#[test]
fn enter_opens_the_agreements_charges_payouts_and_offer_and_esc_comes_back() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('4'));
    let id = ui.app.agreements().selected().and_then(AnyAgreement::local).expect("a row").id.clone();
    ui.key(KeyCode::Enter);
    assert!(ui.app.detail_open());
    let screen = ui.screen();
    let Some((_, Detail::Agreement { view, offer, .. })) = ui.app.detail() else { panic!("no agreement detail") };
    assert_eq!(view.id, id);
    assert!(offer.is_some(), "the offer it came from");
    for words in ["Charges", "OVERDUE since 2026-11-16", "Seller of record", "Still to pay", "Events"] {
        assert!(screen.contains(words), "{words}: {screen}");
    }
    ui.key(KeyCode::Esc);
    assert!(!ui.app.detail_open());
    assert_eq!(ui.app.tab(), Tab::Agreements);
    assert_eq!(
        ui.app.agreements().selected().and_then(AnyAgreement::local).map(|a| a.id.clone()),
        Some(id),
        "on the row left"
    );
}

#[test]
fn the_filter_and_the_status_narrow_the_agreements_in_the_store() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('4'));
    ui.key(KeyCode::Char('/'));
    ui.chars("Woodgrove");
    ui.key(KeyCode::Enter);
    let n = ui.app.agreements().total().expect("counted");
    assert!(n > 0 && n < 16, "{n}");
    let woodgrove =
        ui.app.session().unwrap().accounts.iter().find(|a| a.name.contains("Woodgrove")).unwrap().id.clone();
    for i in 0..n {
        assert_eq!(ui.app.agreements().row(i).and_then(AnyAgreement::local).unwrap().buyer_account_id, woodgrove);
    }
    ui.key(KeyCode::Esc);
    assert_eq!(ui.app.agreements().total(), Some(16));
    ui.key(KeyCode::Char('f'));
    assert_eq!(ui.app.agreements().total(), Some(14), "ACTIVE");
    assert!(ui.screen().contains("status: Active"));
    ui.key(KeyCode::Char('f'));
    assert_eq!(ui.app.agreements().total(), Some(1), "EXPIRED");
    assert_eq!(ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().status.as_str(), "EXPIRED");
}

#[test]
fn w_shows_the_agreements_ending_soonest_first_with_what_was_done() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('4'));
    let mut counts = Vec::new();
    for days in [30, 60, 90, 120, 180] {
        ui.key(KeyCode::Char('w'));
        assert!(ui.screen().contains(&format!("ending within {days} days")), "{}", ui.screen());
        let n = ui.app.agreements().total().expect("counted");
        let rows: Vec<_> =
            (0..n).map(|i| ui.app.agreements().row(i).and_then(AnyAgreement::local).unwrap().clone()).collect();
        for a in &rows {
            assert!(a.days_left.is_some_and(|d| d <= days), "{} ends {}", a.id, a.ends_on);
        }
        assert!(rows.windows(2).all(|w| w[0].ends_on <= w[1].ends_on), "soonest first");
        counts.push(n);
    }
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(counts[2] >= 1, "the demo has agreements ending within 90 days: {counts:?}");
    // The sixth press shows them all again.
    ui.key(KeyCode::Char('w'));
    assert_eq!(ui.app.agreements().total(), Some(16));
    // The radar's words, in the detail of one that ends soon: the demo's soonest has a
    // replacement drafted; within 90 days others have one released, or nothing yet.
    for _ in 0..3 {
        ui.key(KeyCode::Char('w'));
    }
    let a = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().clone();
    let days = a.days_left.unwrap();
    assert!(ui.screen().contains(&format!("ends in {days} days; replacement offer drafted")), "{}", ui.screen());
    assert_eq!(ids(&ui, 1), vec![a.id.to_string()]);
    let n = ui.app.agreements().total().expect("counted");
    let done: Vec<_> =
        (0..n).map(|i| ui.app.agreements().row(i).and_then(AnyAgreement::local).unwrap().renewal).collect();
    for r in [Renewal::Drafted, Renewal::Released, Renewal::NothingYet] {
        assert!(done.contains(&r), "{r:?} among {done:?}");
    }
}

#[test]
fn the_review_queue_lists_the_agreements_ending_within_90_days() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('v'));
    let q = ui.app.review().expect("the queue opens").queue.clone();
    let renew: Vec<_> = q.items.iter().filter(|i| i.kind == ReviewKind::Renew).collect();
    assert!(!renew.is_empty());
    let words = [Renewal::NothingYet, Renewal::Drafted, Renewal::Released].map(cppo::market::words::renewal);
    for i in &renew {
        assert!(i.why.starts_with("ends in ") && words.iter().any(|w| i.why.ends_with(w)), "{}", i.why);
        assert!(matches!(i.target, ReviewTarget::Agreement(_)));
    }
    for w in words {
        assert!(renew.iter().any(|i| i.why.ends_with(w)), "an agreement to renew with {w}");
    }
    assert!(ui.screen().contains("to renew"), "{}", ui.screen());
    // Stepping to one shows the agreement's detail.
    let at = q.items.iter().position(|i| i.kind == ReviewKind::Renew).unwrap();
    for _ in 0..at {
        ui.key(KeyCode::Char(' '));
    }
    assert!(matches!(ui.app.detail(), Some((_, Detail::Agreement { .. }))));
}

#[test]
fn t_charts_the_value_ending_per_month_and_again_shows_the_detail() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('4'));
    ui.key(KeyCode::Char('t'));
    let months = ui.app.value_ending().expect("asked");
    assert_eq!(months.len(), 12);
    assert!(months.iter().any(|m| !m.is_empty()), "the demo has value ending within a year");
    assert!(ui.screen().contains("Value ending per month, USD"), "{}", ui.screen());
    ui.key(KeyCode::Char('t'));
    assert!(ui.app.value_ending().is_none());
}

#[test]
fn the_buyer_pays_an_overdue_charge_from_the_agreements_tab() {
    let mut ui = demo_as(BUYER);
    ui.key(KeyCode::Char('4'));
    let owing = (0..6)
        .find(|i| ui.app.agreements().row(*i).and_then(AnyAgreement::local).is_some_and(|a| a.next_charge().is_some()))
        .unwrap();
    for _ in 0..owing {
        ui.key(KeyCode::Char('j'));
    }
    let before = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().clone();
    ui.key(KeyCode::Char('p'));
    assert!(ui.confirm_title().is_some(), "a confirmation first");
    ui.key(KeyCode::Char('y'));
    let after = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap();
    assert_eq!(after.id, before.id, "the cursor stays on the agreement");
    assert!(after.to_pay() < before.to_pay(), "{:?} -> {:?}", before.to_pay(), after.to_pay());
}

#[test]
fn the_buyer_finances_an_agreement_from_the_agreements_tab_and_sees_its_plan() {
    let mut ui = demo_as(BUYER);
    ui.key(KeyCode::Char('4'));
    let owing = (0..10)
        .find(|i| ui.app.agreements().row(*i).and_then(AnyAgreement::local).is_some_and(|a| a.next_charge().is_some()))
        .unwrap();
    for _ in 0..owing {
        ui.key(KeyCode::Char('j'));
    }
    let id = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap().id.clone();
    ui.key(KeyCode::Char('F'));
    assert!(ui.app.form().is_some(), "F opens the financing form on the tab");
    ui.chars("Fincap Lending");
    ui.focus(cppo::app::form::FieldKey::FinancingStatus);
    for _ in 0..3 {
        ui.key(KeyCode::Right);
    }
    ui.ctrl('s');
    assert!(ui.toast().contains("Fincap Lending paid"), "{}", ui.toast());
    let after = ui.app.agreements().selected().and_then(AnyAgreement::local).unwrap();
    assert_eq!(after.id, id, "the cursor stays on the agreement");
    assert!(after.next_charge().is_none(), "the financier paid every charge");
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("Financed by Fincap Lending") && screen.contains("monthly payments"), "{screen}");
}

#[test]
fn agreements_imported_from_aws_join_the_tab_the_radar_the_chart_and_the_review_queue() {
    let mut ui = aws_book_as(AWS_PARTNER);
    ui.key(KeyCode::Char('4'));
    assert_eq!(ui.app.agreements().total(), Some(4));
    let screen = ui.screen();
    for words in ["Replaced", "pay-as-you-go", "Active", "96,000.00 USD"] {
        assert!(screen.contains(words), "{words}: {screen}");
    }
    // The radar: AWS's status decides (the REPLACED one and the pay-as-you-go one never show),
    // soonest first, as many as the count says.
    ui.key(KeyCode::Char('w'));
    assert_eq!(all_ids(&ui), [HELD], "30 days");
    assert!(ui.screen().contains("in 20 days"), "{}", ui.screen());
    ui.key(KeyCode::Char('w'));
    ui.key(KeyCode::Char('w'));
    assert_eq!(all_ids(&ui), [HELD, NOT_HELD], "90 days");
    // The detail: AWS's word, its schedule (billed once past), where the change comes from.
    ui.key(KeyCode::Enter);
    let Some((_, Detail::AwsAgreement { view, offer, .. })) = ui.app.detail() else {
        panic!("no AWS agreement detail")
    };
    assert_eq!(view.id.as_str(), HELD);
    assert!(offer.is_some(), "its offer is in the file");
    let screen = ui.screen();
    for words in [
        "Active (AWS)",
        "ends in 20 days; no replacement offer yet",
        "Payment schedule",
        "2025-12-20       32,000.00 USD  billed",
        "Imported from AWS",
    ] {
        assert!(screen.contains(words), "{words}: {screen}");
    }
    ui.key(KeyCode::Esc);
    // Paying is AWS's business: `p` says so, and writes nothing.
    ui.key(KeyCode::Char('p'));
    assert!(ui.screen().contains("AWS holds this agreement"), "{}", ui.screen());
    // `f` narrows by the status each AWS word counts as.
    ui.key(KeyCode::Char('w'));
    ui.key(KeyCode::Char('w'));
    ui.key(KeyCode::Char('w'));
    assert_eq!(ui.app.agreements().total(), Some(4), "all again");
    let mut by_status = Vec::new();
    for _ in 0..4 {
        ui.key(KeyCode::Char('f'));
        by_status.push(all_ids(&ui).len());
    }
    assert_eq!(by_status, [3, 0, 0, 1], "ACTIVE, EXPIRED, CANCELLED, REPLACED");
    assert_eq!(all_ids(&ui), [REPLACED]);
    ui.key(KeyCode::Char('f'));
    // Sorted by end date, pay-as-you-go last.
    while ui.app.agreements().sort != cppo::market::Sort::Date {
        ui.key(KeyCode::Char('s'));
    }
    let mut by_end = all_ids(&ui);
    if ui.app.agreements().descending {
        by_end.reverse();
    }
    assert_eq!(by_end, [REPLACED, HELD, NOT_HELD, PAYG], "by end date, pay-as-you-go last");
    // The chart: the held agreement's value ends in December (November is the first month).
    ui.key(KeyCode::Char('t'));
    let months = ui.app.value_ending().expect("asked");
    assert!(months[0].is_empty(), "{months:?}");
    assert_eq!(months[1].iter().map(|m| m.display()).collect::<Vec<_>>(), ["96,000.00 USD"], "{months:?}");
    ui.key(KeyCode::Char('t'));
    // The review queue: the held agreement is to renew.
    ui.key(KeyCode::Char('v'));
    let q = ui.app.review().expect("the queue opens").queue.clone();
    let renew: Vec<_> = q.items.iter().filter(|i| i.kind == ReviewKind::Renew).collect();
    assert_eq!(renew.len(), 2, "{renew:?}");
    assert!(renew.iter().any(|i| matches!(&i.target, ReviewTarget::Agreement(id) if id.as_str() == HELD)));
}

#[test]
fn n_on_an_agreement_aws_holds_opens_its_partners_replacement_form() {
    let mut ui = aws_book_as(AWS_PARTNER);
    ui.key(KeyCode::Char('4'));
    ui.key(KeyCode::Char('w'));
    assert_eq!(all_ids(&ui), [HELD]);
    ui.key(KeyCode::Char('n'));
    let form = ui.app.form().unwrap_or_else(|| panic!("no form: {}", ui.toast()));
    assert_eq!(form.title, format!("Replacement offer for {HELD} (draft)"));
    let buyer = form.fields.iter().find(|f| f.key == cppo::app::form::FieldKey::Buyer).expect("a buyer field");
    assert!(buyer.locked && buyer.value() == "381904526617", "the agreement's buyer, fixed");
    let cppo::app::form::FormKind::Offer { opportunities, .. } = &form.kind else { panic!("an offer form") };
    let names: Vec<&str> = opportunities.iter().map(|o| o.id.as_str()).collect();
    assert!(names.contains(&"resaleauthz-5tq8wz2kd7n3c"), "the authorizations of its product: {names:?}");
    // Its buyer hears why not.
    let mut buyer = aws_book_as("381904526617");
    buyer.key(KeyCode::Char('4'));
    buyer.key(KeyCode::Char('n'));
    assert!(buyer.app.form().is_none());
    assert!(buyer.toast().contains("the partner who proposed"), "{}", buyer.toast());
    // `p` on the offer AWS made that agreement from says where it is paid.
    buyer.key(KeyCode::Char('3'));
    buyer.key(KeyCode::Char('/'));
    buyer.chars("offer-4nd8kq2ws7x1z");
    buyer.key(KeyCode::Enter);
    buyer.key(KeyCode::Char('p'));
    assert!(buyer.toast().contains("AWS holds this agreement"), "{}", buyer.screen());
}
