//! Customer financing's rules (`domain::financing`): the repayment plan adds up exactly and
//! stays even, and no sequence of the buyer's steps pays an agreement twice, moves a
//! funded financing, or lets anyone but the buyer act.

use chrono::NaiveDate;
use cppo::domain::agreement::{Agreement, Charge};
use cppo::domain::financing::{Financing, FinancingRequest, FinancingStatus, MAX_MONTHS, repayment_plan};
use cppo::domain::ids::{AccountId, AgreementId, ChargeId, OfferId, OpportunityId};
use cppo::domain::money::{Currency, Money};
use cppo::domain::visibility::{self, Audience, FinancingSight};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn acct(id: &str) -> AccountId {
    AccountId::parse(id).unwrap()
}

/// An ACTIVE agreement of `buyer` with charges of `amounts` (minor units), none paid.
fn agreement(amounts: &[i64], currency: Currency) -> Agreement {
    let start = today();
    Agreement {
        id: AgreementId::generate(),
        offer_id: OfferId::generate(),
        opportunity_id: OpportunityId::generate(),
        partner: acct("222222222222"),
        buyer: acct("333333333333"),
        isv: acct("111111111111"),
        currency,
        starts_on: start,
        ends_on: NaiveDate::from_ymd_opt(2029, 11, 26).unwrap(),
        total: Money::from_minor(amounts.iter().sum(), currency),
        wholesale_total: Money::from_minor(amounts.iter().map(|a| a * 9 / 10).sum(), currency),
        fee_rate_pct: Decimal::new(35, 1),
        cancelled: false,
        charges: amounts
            .iter()
            .enumerate()
            .map(|(i, a)| Charge {
                id: ChargeId::generate(),
                due_on: start + chrono::Days::new(365 * i as u64),
                amount: Money::from_minor(*a, currency),
                wholesale: Money::from_minor(a * 9 / 10, currency),
                paid_on: None,
                cancelled_on: None,
            })
            .collect(),
        replaces: None,
        replaced_by: None,
        version: 0,
    }
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL.to_vec())
}

fn status() -> impl Strategy<Value = FinancingStatus> {
    prop::sample::select(FinancingStatus::ALL.to_vec())
}

proptest! {
    #![proptest_config(config(512))]

    /// The payments sum to the amount exactly, and no two differ by more than one minor unit.
    #[test]
    fn repayments_sum_to_the_amount_and_stay_within_one_minor_unit(
        minor in 0i64..=100_000_000_000_000,
        months in 1..=MAX_MONTHS,
        currency in currency(),
    ) {
        let amount = Money::from_minor(minor, currency);
        let plan = repayment_plan(amount, months);
        prop_assert_eq!(plan.len(), months as usize);
        prop_assert_eq!(plan.iter().map(Money::minor_units).sum::<i64>(), minor);
        let lo = plan.iter().map(Money::minor_units).min().unwrap();
        let hi = plan.iter().map(Money::minor_units).max().unwrap();
        prop_assert!(hi - lo <= 1, "{lo}..{hi}");
        // The rounding goes to the end: the payments never fall.
        prop_assert!(plan.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(plan.iter().all(|m| m.currency() == currency));
    }

    /// Random steps by random accounts: only the buyer acts; a live application moves only
    /// along offered -> approved -> funded or to declined; funding pays every open charge
    /// once, and its disbursements add up to what was open; nothing moves a funded one.
    #[test]
    fn no_sequence_of_steps_breaks_the_financing_rules(
        amounts in prop::collection::vec(1i64..10_000_000, 1..5),
        currency in currency(),
        steps in prop::collection::vec((0usize..3, 0usize..2, status(), 1..=MAX_MONTHS), 1..12),
    ) {
        let mut a = agreement(&amounts, currency);
        let open_total: i64 = amounts.iter().sum();
        let actors = [a.buyer.clone(), a.partner.clone(), a.isv.clone()];
        let mut current: Option<Financing> = None;
        let mut disbursed = 0i64;
        for (who, provider, to, months) in steps {
            let req = FinancingRequest { provider: ["Fincap", "Other Bank"][provider].into(), months, status: to };
            let before = current.clone();
            let r = Financing::step(current.as_ref(), &a, &actors[who], &req, false, today());
            if who != 0 {
                prop_assert!(r.is_err(), "a seller financed");
                continue;
            }
            let live = before.as_ref().filter(|f| f.status != FinancingStatus::Declined);
            let f = match r {
                Ok(f) => f,
                Err(e) => {
                    // Refused only for a live application (a backward move, the same
                    // status, another financier, a funded one) or nothing left to pay.
                    let paid = a.charges.iter().all(|c| c.paid_on.is_some());
                    prop_assert!(live.is_some() || paid, "refused a first application: {}", e.message);
                    continue;
                }
            };
            if let Some(l) = live {
                prop_assert!(l.status.may_move_to(to), "{:?} -> {:?}", l.status, to);
                prop_assert_eq!(&l.provider, &req.provider);
            }
            if f.status == FinancingStatus::Funded {
                prop_assert_eq!(f.amount.minor_units(), open_total, "funded more or less than was open");
                for (_, ds) in a.pay_open_by_financier(today()) {
                    disbursed += ds.iter().map(|d| d.amount.minor_units()).sum::<i64>()
                        + ds[0].listing_fee.map_or(0, |m| m.minor_units());
                }
            }
            current = Some(f);
        }
        if current.as_ref().is_some_and(|f| f.status == FinancingStatus::Funded) {
            prop_assert!(a.charges.iter().all(|c| c.paid_on == Some(today())));
            prop_assert_eq!(disbursed, open_total, "the disbursements and the fee add up to the charges");
        } else {
            prop_assert!(a.charges.iter().all(|c| c.paid_on.is_none()), "paid without funding");
            prop_assert_eq!(disbursed, 0);
        }
    }
}

#[test]
fn an_agreement_imported_from_aws_is_not_financed_here() {
    let a = agreement(&[10_000], Currency::Usd);
    let req = FinancingRequest { provider: "Fincap".into(), months: 12, status: FinancingStatus::Offered };
    let e = Financing::step(None, &a, &a.buyer, &req, true, today()).unwrap_err();
    assert!(e.message.contains("imported from AWS"), "{}", e.message);
}

#[test]
fn a_cancelled_agreement_is_not_financed() {
    let mut a = agreement(&[10_000], Currency::Usd);
    a.cancelled = true;
    let req = FinancingRequest { provider: "Fincap".into(), months: 12, status: FinancingStatus::Offered };
    let e = Financing::step(None, &a, &a.buyer, &req, false, today()).unwrap_err();
    assert!(e.message.contains("Cancelled"), "{}", e.message);
}

#[test]
fn funding_pays_charges_not_yet_due() {
    let mut a = agreement(&[10_000, 20_000, 30_000], Currency::Eur);
    let req = FinancingRequest { provider: "Fincap".into(), months: 6, status: FinancingStatus::Funded };
    let f = Financing::step(None, &a, &a.buyer.clone(), &req, false, today()).unwrap();
    assert_eq!(f.amount, Money::from_minor(60_000, Currency::Eur));
    assert_eq!(a.pay_open_by_financier(today()).len(), 3);
    assert!(a.charges.iter().all(|c| c.paid_on == Some(today())));
}

#[test]
fn the_sellers_see_a_financing_only_once_funded_and_then_only_that_a_financier_paid() {
    let a = agreement(&[10_000], Currency::Usd);
    let mut f = Financing {
        agreement_id: a.id.clone(),
        provider: "Fincap".into(),
        months: 12,
        status: FinancingStatus::Approved,
        amount: a.total,
        version: 0,
    };
    assert_eq!(visibility::financing(Audience::Buyer, &f), FinancingSight::Full);
    assert_eq!(visibility::financing(Audience::Partner, &f), FinancingSight::Nothing);
    assert_eq!(visibility::financing(Audience::Isv, &f), FinancingSight::Nothing);
    f.status = FinancingStatus::Funded;
    assert_eq!(visibility::financing(Audience::Partner, &f), FinancingSight::PaidByFinancier);
    assert_eq!(visibility::financing(Audience::Isv, &f), FinancingSight::PaidByFinancier);
    assert_eq!(visibility::financing(Audience::Buyer, &f), FinancingSight::Full);
}

#[test]
fn a_replaced_agreement_is_not_financed() {
    let mut a = agreement(&[10_000, 20_000], Currency::Usd);
    a.replaced_by = Some(AgreementId::generate());
    a.charges[1].cancelled_on = Some(today());
    let req = FinancingRequest { provider: "Fincap".into(), months: 12, status: FinancingStatus::Offered };
    let e = Financing::step(None, &a, &a.buyer, &req, false, today()).unwrap_err();
    assert!(e.message.contains("Replaced"), "{}", e.message);
}
