//! Several duration rate cards on one opportunity (issue 18): the domain's rules, pure.
//! The opportunity is priced for one duration by `for_duration`; every rate card prices the
//! contract dimensions of the first; an offer picks one of its durations, and the agreement
//! lasts that long.

use chrono::NaiveDate;
use cppo::domain::account::{Account, Roles};
use cppo::domain::agreement::Agreement;
use cppo::domain::error::ErrorCode;
use cppo::domain::fees::FeeTable;
use cppo::domain::ids::{AccountId, AgreementId, OfferId, OpportunityId, ProductId};
use cppo::domain::money::Currency;
use cppo::domain::offer::{Offer, OfferTerms};
use cppo::domain::opportunity::{Opportunity, OpportunityKind, OpportunityTerms, RateCard, WholesaleTerms};
use cppo::domain::pricing::price_offer;
use cppo::domain::product::{Dimension, Duration, PricingModel, Product, ProductType};
use rust_decimal::{Decimal, dec};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn p36m() -> Duration {
    Duration::parse("P36M").unwrap()
}

fn account(id: &str, roles: Roles) -> Account {
    Account::new(AccountId::parse(id).unwrap(), "Some account", roles, None).unwrap()
}

struct World {
    isv: Account,
    partner: Account,
    buyer: Account,
    product: Product,
}

fn world() -> World {
    let isv = account("111111111111", Roles { isv: true, ..Roles::default() });
    let product = Product::new(
        ProductId::generate(),
        isv.id.clone(),
        "Acme Analytics",
        ProductType::Saas,
        Duration::P12M,
        vec![
            Dimension::new("users", "Users", "user", PricingModel::Contract, None).unwrap(),
            Dimension::new("admins", "Admins", "user", PricingModel::Contract, None).unwrap(),
            Dimension::new("api", "API calls", "call", PricingModel::Usage, None).unwrap(),
        ],
    )
    .unwrap();
    World {
        isv,
        partner: account("222222222222", Roles { partner: true, ..Roles::default() }),
        buyer: account("333333333333", Roles { buyer: true, ..Roles::default() }),
        product,
    }
}

/// An Active opportunity: P12M users 1200, admins 300 (and usage at 0.01), then a P36M card
/// at users 3240, admins 810.
fn two_durations(w: &World) -> Opportunity {
    let terms = OpportunityTerms {
        partner: w.partner.id.clone(),
        name: "Acme 1 or 3 years".into(),
        description: String::new(),
        kind: OpportunityKind::Recurring,
        buyers: vec![],
        currency: Currency::Usd,
        wholesale: WholesaleTerms::Prices(vec![
            ("users".into(), dec!(1200)),
            ("admins".into(), dec!(300)),
            ("api".into(), dec!(0.01)),
        ]),
        ends_on: None,
        renewal: false,
        installments: vec![],
        grants: vec![],
        net_payment_days: None,
        eula_url: None,
    };
    let mut o = Opportunity::draft(OpportunityId::generate(), &w.isv.id, &w.product, &w.partner, terms, today())
        .expect("valid terms");
    o.release(&w.isv.id, today()).unwrap();
    o.rate_cards =
        vec![RateCard { duration: p36m(), prices: vec![("users".into(), dec!(3240)), ("admins".into(), dec!(810))] }];
    o
}

fn offer_terms(w: &World, duration: Option<Duration>) -> OfferTerms {
    OfferTerms {
        name: "Buyer One, three years".into(),
        description: String::new(),
        buyer: Some(w.buyer.id.clone()),
        markup_pct: dec!(10),
        expires_on: Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
        quantities: vec![("users".into(), 2)],
        duration,
    }
}

fn wholesale(o: &Opportunity, key: &str) -> Decimal {
    o.price_of(key).unwrap().wholesale_price
}

#[test]
fn for_duration_gives_the_opportunity_priced_by_that_rate_card() {
    let w = world();
    let o = two_durations(&w);
    assert_eq!(o.durations(), [Duration::P12M, p36m()]);
    let first = o.for_duration(Duration::P12M).unwrap();
    assert_eq!(
        (first.duration, wholesale(&first, "users"), wholesale(&first, "admins")),
        (Duration::P12M, dec!(1200), dec!(300))
    );
    let three = o.for_duration(p36m()).unwrap();
    assert_eq!(
        (three.duration, wholesale(&three, "users"), wholesale(&three, "admins")),
        (p36m(), dec!(3240), dec!(810))
    );
    assert_eq!(wholesale(&three, "api"), dec!(0.01), "usage prices do not depend on the duration");
    assert!(three.rate_cards.is_empty() && three.durations() == [p36m()]);
    let err = o.for_duration(Duration::parse("P24M").unwrap()).unwrap_err();
    assert_eq!(err.message, format!("P24M is not a duration of {}: it offers P12M, P36M", o.id));
}

#[test]
fn every_rate_card_prices_the_contract_dimensions_of_the_first() {
    let w = world();
    let mut o = two_durations(&w);
    o.check_imported(&w.product).unwrap();
    o.rate_cards[0].prices.pop();
    let err = o.check_imported(&w.product).unwrap_err();
    assert_eq!(err.code, ErrorCode::IncompatiblePricingTerm);
    assert_eq!(
        err.message,
        "the P36M rate card prices users but the P12M one prices admins, users: AWS requires the same dimensions for \
         every duration"
    );
    let mut o = two_durations(&w);
    o.rate_cards[0].prices.push(("api".into(), dec!(0.02)));
    assert!(
        o.check_imported(&w.product).unwrap_err().message.starts_with("the P36M rate card prices admins, api, users")
    );
    let mut o = two_durations(&w);
    o.rate_cards.push(RateCard { duration: Duration::P12M, prices: o.rate_cards[0].prices.clone() });
    assert_eq!(o.check_imported(&w.product).unwrap_err().message, "two rate cards are for P12M");
    let mut o = two_durations(&w);
    for months in 1..=4 {
        let d = Duration::parse(&format!("P{months}M")).unwrap();
        o.rate_cards.push(RateCard { duration: d, prices: o.rate_cards[0].prices.clone() });
    }
    assert_eq!(o.check_imported(&w.product).unwrap_err().message, "6 duration rate cards: AWS allows at most 5");
}

#[test]
fn an_offer_takes_a_duration_the_opportunity_offers_and_is_priced_by_it() {
    let w = world();
    let o = two_durations(&w);
    let err = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &o,
        offer_terms(&w, Some(Duration::parse("P24M").unwrap())),
        today(),
    )
    .unwrap_err();
    assert!(err.message.starts_with("P24M is not a duration of"), "{}", err.message);
    let first = Offer::draft(OfferId::generate(), &w.partner.id, &o, offer_terms(&w, None), today()).unwrap();
    assert_eq!(first.duration, Duration::P12M, "none given: the first");
    let mut offer =
        Offer::draft(OfferId::generate(), &w.partner.id, &o, offer_terms(&w, Some(p36m())), today()).unwrap();
    assert_eq!(offer.duration, p36m());
    let b = Offer::preview(&w.partner.id, &o, offer_terms(&w, Some(p36m())), today(), true).unwrap();
    assert_eq!(b.wholesale_total.amount(), dec!(6480));
    assert_eq!(b.buyer_total.amount(), dec!(7128));
    // An edit moves it back to the first duration, and its prices with it.
    offer.edit(&w.partner.id, &o, offer_terms(&w, Some(Duration::P12M)), today()).unwrap();
    assert_eq!(offer.duration, Duration::P12M);
}

#[test]
fn the_agreement_lasts_the_offers_duration() {
    let w = world();
    let o = two_durations(&w);
    let mut offer =
        Offer::draft(OfferId::generate(), &w.partner.id, &o, offer_terms(&w, Some(p36m())), today()).unwrap();
    offer.release(&w.partner.id, &o, today()).unwrap();
    let priced = o.for_duration(offer.duration).unwrap();
    let b = price_offer(&priced, &offer.quantities, offer.markup_pct, today(), FeeTable::embedded());
    let a = Agreement::accept(AgreementId::generate(), &w.buyer.id, &offer, &o, &b, today()).unwrap();
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2029, 11, 26).unwrap());
    assert_eq!(a.total.amount(), dec!(7128));
}
