//! Extensions (issue 22): the ISV moves an Active opportunity's end date later, within the
//! range the domain gives (after the current end, before a plan's first installment); an
//! offer's extension range runs from after its expiry to its opportunity's end. What the
//! range offers is exactly what the transition accepts.

use chrono::{NaiveDate, TimeDelta};
use cppo::domain::account::{Account, Roles};
use cppo::domain::clock::DateRange;
use cppo::domain::error::ErrorCode;
use cppo::domain::ids::{AccountId, OfferId, OpportunityId, ProductId};
use cppo::domain::money::Currency;
use cppo::domain::offer::{Offer, OfferTerms, extension_range};
use cppo::domain::opportunity::{Opportunity, OpportunityKind, OpportunityStatus, OpportunityTerms, WholesaleTerms};
use cppo::domain::product::{Dimension, Duration, PricingModel, Product, ProductType};
use rust_decimal::dec;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn d(n: i64) -> NaiveDate {
    today() + TimeDelta::days(n)
}

fn acct(id: &str, roles: Roles) -> Account {
    Account::new(AccountId::parse(id).unwrap(), "Someone", roles, None).unwrap()
}

struct World {
    isv: Account,
    partner: Account,
    buyer: Account,
    product: Product,
}

fn world() -> World {
    let isv = acct("111111111111", Roles { isv: true, ..Roles::default() });
    let product = Product::new(
        ProductId::generate(),
        isv.id.clone(),
        "Acme Analytics",
        ProductType::Saas,
        Duration::P12M,
        vec![Dimension::new("users", "Users", "user", PricingModel::Contract, Some(dec!(1000.00))).unwrap()],
    )
    .unwrap();
    World {
        isv,
        partner: acct("222222222222", Roles { partner: true, ..Roles::default() }),
        buyer: acct("333333333333", Roles { buyer: true, ..Roles::default() }),
        product,
    }
}

fn terms(w: &World, ends_on: Option<NaiveDate>) -> OpportunityTerms {
    OpportunityTerms {
        partner: w.partner.id.clone(),
        name: "Acme via Reseller".into(),
        description: String::new(),
        kind: OpportunityKind::Recurring,
        buyers: vec![],
        currency: Currency::Usd,
        wholesale: WholesaleTerms::Discount(dec!(20)),
        ends_on,
        renewal: false,
        installments: vec![],
        grants: vec![],
        net_payment_days: None,
        eula_url: None,
    }
}

fn draft(w: &World, t: OpportunityTerms) -> Opportunity {
    Opportunity::draft(OpportunityId::generate(), &w.isv.id, &w.product, &w.partner, t, today()).unwrap()
}

fn released(w: &World, t: OpportunityTerms) -> Opportunity {
    let mut o = draft(w, t);
    o.release(&w.isv.id, today()).unwrap();
    o
}

fn code(r: Result<(), cppo::domain::RuleError>) -> Result<(), ErrorCode> {
    r.map_err(|e| e.code)
}

#[test]
fn the_isv_extends_an_active_opportunity_and_its_partner_may_offer_until_then() {
    let w = world();
    let mut o = released(&w, terms(&w, Some(d(10))));
    assert_eq!(o.extension_range(today()), DateRange { from: d(11), until: None });
    o.extend(&w.isv.id, d(100), today()).unwrap();
    assert_eq!(o.ends_on, Some(d(100)));
    assert!(o.check_offer_allowed(&w.partner.id, None, d(50)).is_ok(), "usable past the old end");
    assert_eq!(o.status(d(50)), OpportunityStatus::Authorized);
}

#[test]
fn an_extension_is_refused_to_the_partner_and_on_a_draft_an_ended_an_expired_or_an_indefinite_one() {
    let w = world();
    let mut o = released(&w, terms(&w, Some(d(10))));
    assert_eq!(code(o.clone().extend(&w.partner.id, d(20), today())), Err(ErrorCode::AccessDenied));
    assert_eq!(code(o.clone().extend(&w.buyer.id, d(20), today())), Err(ErrorCode::AccessDenied));
    assert_eq!(
        code(draft(&w, terms(&w, Some(d(10)))).extend(&w.isv.id, d(20), today())),
        Err(ErrorCode::IncompatibleStatus)
    );
    assert_eq!(code(o.clone().extend(&w.isv.id, d(20), d(11))), Err(ErrorCode::Expired), "past its end");
    let mut ended = o.clone();
    ended.end(&w.isv.id, today()).unwrap();
    assert_eq!(code(ended.extend(&w.isv.id, d(20), today())), Err(ErrorCode::IncompatibleStatus));
    let indefinite = released(&w, terms(&w, None)).extend(&w.isv.id, d(20), today()).unwrap_err();
    assert!(indefinite.message.contains("has no end date"), "{}", indefinite.message);
    let same = o.extend(&w.isv.id, d(10), today()).unwrap_err();
    assert!(same.message.contains("is not after the current end date"), "{}", same.message);
}

#[test]
fn the_range_is_what_extend_accepts_and_a_plan_keeps_the_end_before_its_first_installment() {
    let w = world();
    let planned = OpportunityTerms {
        kind: OpportunityKind::OneTime,
        buyers: vec![w.buyer.id.clone()],
        installments: vec![(d(40), dec!(1000.00))],
        grants: vec![("users".into(), 5)],
        ..terms(&w, Some(d(10)))
    };
    let o = released(&w, planned);
    let range = o.extension_range(today());
    assert_eq!(range, DateRange { from: d(11), until: Some(d(39)) });
    for (day, ok) in [(range.from, true), (d(39), true), (d(10), false), (d(40), false)] {
        assert_eq!(o.clone().extend(&w.isv.id, day, today()).is_ok(), ok, "{day}");
        assert_eq!(range.check("end date", day).is_ok(), ok, "the range says the same of {day}");
    }
    let late = o.clone().extend(&w.isv.id, d(40), today()).unwrap_err();
    assert_eq!(late.code, ErrorCode::IncompatiblePricingTerm);
}

#[test]
fn an_offers_extension_range_runs_from_after_its_expiry_to_its_opportunitys_end() {
    let w = world();
    let opp = released(&w, terms(&w, Some(d(60))));
    let t = OfferTerms {
        name: "Acme for Buyer One".into(),
        description: String::new(),
        buyer: Some(w.buyer.id.clone()),
        markup_pct: dec!(10),
        expires_on: Some(d(10)),
        quantities: vec![("users".into(), 10)],
        duration: None,
    };
    let mut offer = Offer::draft(OfferId::generate(), &w.partner.id, &opp, t, today()).unwrap();
    offer.release(&w.partner.id, &opp, today()).unwrap();
    let range = extension_range(offer.expires_on, opp.ends_on, today());
    assert_eq!(range, DateRange { from: d(11), until: Some(d(60)) });
    assert!(offer.clone().extend(&w.partner.id, &opp, d(60), today()).is_ok());
    assert!(offer.clone().extend(&w.partner.id, &opp, d(61), today()).is_err());
    assert!(offer.extend(&w.partner.id, &opp, d(10), today()).is_err());
    // An expired offer extends from today.
    assert_eq!(extension_range(Some(d(-5)), None, today()).from, today());
}
