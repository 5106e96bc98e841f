//! The domain's rules, checked through its public API only: who may do what in which state,
//! DOMAIN.md's money to the cent, expiry at the last millisecond, installments and
//! visibility.

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use cppo::domain::account::{Account, Roles};
use cppo::domain::agreement::{Agreement, AgreementStatus, PayeeRole};
use cppo::domain::clock::{Clock, FixedClock};
use cppo::domain::error::{ErrorCode, RuleError};
use cppo::domain::fees::FeeTable;
use cppo::domain::ids::{AccountId, AgreementId, OfferId, OpportunityId, ProductId};
use cppo::domain::money::Currency;
use cppo::domain::offer::{Offer, OfferState, OfferStatus, OfferTerms};
use cppo::domain::opportunity::{
    Opportunity, OpportunityKind, OpportunityState, OpportunityStatus, OpportunityTerms, WholesaleTerms,
};
use cppo::domain::pricing::{Breakdown, price_offer};
use cppo::domain::product::{Dimension, Duration as ContractDuration, PricingModel, Product, ProductType};
use cppo::domain::visibility::{self, Audience, Fields};
use rust_decimal::{Decimal, dec};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The day every scenario starts on.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// `n` days after [`today`] (negative: before).
fn d(n: i64) -> NaiveDate {
    today() + TimeDelta::days(n)
}

fn account(id: &str, name: &str, roles: Roles) -> Account {
    Account::new(AccountId::parse(id).unwrap(), name, roles, None).unwrap()
}

fn role_isv() -> Roles {
    Roles { isv: true, ..Roles::default() }
}
fn role_partner() -> Roles {
    Roles { partner: true, ..Roles::default() }
}
fn role_buyer() -> Roles {
    Roles { buyer: true, ..Roles::default() }
}

/// Five accounts and one product: 1,000.00 per user for P12M unless told otherwise.
struct World {
    isv: Account,
    partner: Account,
    buyer: Account,
    other_buyer: Account,
    stranger: Account,
    product: Product,
}

fn world() -> World {
    world_with(dec!(1000.00), ProductType::Saas)
}

fn world_with(list_price: Decimal, product_type: ProductType) -> World {
    let isv = account("111111111111", "Acme ISV", role_isv());
    let product = Product::new(
        ProductId::generate(),
        isv.id.clone(),
        "Acme Analytics",
        product_type,
        ContractDuration::P12M,
        vec![Dimension::new("users", "Users", "user", PricingModel::Contract, Some(list_price)).unwrap()],
    )
    .unwrap();
    World {
        isv,
        partner: account("222222222222", "Reseller Ltd", role_partner()),
        buyer: account("333333333333", "Buyer One", role_buyer()),
        other_buyer: account("444444444444", "Buyer Two", role_buyer()),
        stranger: account("555555555555", "Unrelated Inc", role_buyer()),
        product,
    }
}

/// A recurring, untargeted opportunity at 20% off list, ending in 30 days.
fn recurring_terms(w: &World) -> OpportunityTerms {
    OpportunityTerms {
        partner: w.partner.id.clone(),
        name: "Acme via Reseller".into(),
        description: "internal note".into(),
        kind: OpportunityKind::Recurring,
        buyers: vec![],
        currency: Currency::Usd,
        wholesale: WholesaleTerms::Discount(dec!(20)),
        ends_on: Some(d(30)),
        renewal: false,
        installments: vec![],
        grants: vec![],
        net_payment_days: None,
        eula_url: None,
    }
}

/// A one-time opportunity for `w.buyer`, ending on `ends_on`.
fn one_time_terms(w: &World, ends_on: NaiveDate) -> OpportunityTerms {
    OpportunityTerms {
        kind: OpportunityKind::OneTime,
        buyers: vec![w.buyer.id.clone()],
        ends_on: Some(ends_on),
        ..recurring_terms(w)
    }
}

fn draft_opp(w: &World, terms: OpportunityTerms) -> Opportunity {
    Opportunity::draft(OpportunityId::generate(), &w.isv.id, &w.product, &w.partner, terms, today())
        .expect("valid opportunity terms")
}

fn released_opp(w: &World, terms: OpportunityTerms) -> Opportunity {
    let mut o = draft_opp(w, terms);
    o.release(&w.isv.id, today()).expect("the ISV releases its draft");
    o
}

fn offer_terms(buyer: Option<&Account>, expires_on: Option<NaiveDate>, users: u64, markup: Decimal) -> OfferTerms {
    OfferTerms {
        name: "Acme for Buyer One".into(),
        description: "partner note".into(),
        buyer: buyer.map(|b| b.id.clone()),
        markup_pct: markup,
        expires_on,
        quantities: vec![("users".into(), users)],
        duration: None,
    }
}

/// The partner drafts an offer and the "store" counts it on the opportunity.
fn draft_offer(w: &World, opp: &mut Opportunity, terms: OfferTerms, on: NaiveDate) -> Offer {
    let offer = Offer::draft(OfferId::generate(), &w.partner.id, opp, terms, on).expect("the partner drafts an offer");
    opp.offers_created += 1;
    offer
}

fn released_offer(w: &World, opp: &mut Opportunity, terms: OfferTerms, on: NaiveDate) -> Offer {
    let mut offer = draft_offer(w, opp, terms, on);
    offer.release(&w.partner.id, opp, on).expect("the partner releases its draft");
    offer
}

fn breakdown(opp: &Opportunity, offer: &Offer, on: NaiveDate) -> Breakdown {
    price_offer(opp, &offer.quantities, offer.markup_pct, on, FeeTable::embedded())
}

/// `actor` accepts `offer` on `on`, priced as the store would price it.
fn accept(actor: &AccountId, offer: &Offer, opp: &Opportunity, on: NaiveDate) -> Result<Agreement, RuleError> {
    Agreement::accept(AgreementId::generate(), actor, offer, opp, &breakdown(opp, offer, on), on)
}

fn code<T>(r: Result<T, RuleError>) -> Outcome {
    r.map(|_| ()).map_err(|e| e.code)
}

fn usd(s: &str) -> String {
    format!("{s} USD")
}

// ---------------------------------------------------------------------------------------------
// Transition tables
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Actor {
    Isv,
    Partner,
    Buyer,
    Stranger,
}

const ACTORS: [Actor; 4] = [Actor::Isv, Actor::Partner, Actor::Buyer, Actor::Stranger];

impl World {
    fn id(&self, a: Actor) -> &AccountId {
        match a {
            Actor::Isv => &self.isv.id,
            Actor::Partner => &self.partner.id,
            Actor::Buyer => &self.buyer.id,
            Actor::Stranger => &self.stranger.id,
        }
    }
}

/// What a transition returns: done, or refused with a code.
type Outcome = Result<(), ErrorCode>;
/// One expected outcome per actor, in [`ACTORS`] order.
type ByActor = [Outcome; 4];

const OK: Outcome = Ok(());
const DENIED: Outcome = Err(ErrorCode::AccessDenied);
const STATUS: Outcome = Err(ErrorCode::IncompatibleStatus);

#[derive(Debug, Clone, Copy)]
enum OppState {
    Draft,
    Active,
    Restricted,
    Expired,
    Consumed,
}

#[derive(Debug, Clone, Copy)]
enum OppAction {
    Edit,
    Release,
    End,
    CreateOffer,
    Delete,
}

/// An opportunity in `state`, and the day to act on it.
fn opportunity_in(w: &World, state: OppState) -> (Opportunity, NaiveDate) {
    let (o, on) = match state {
        OppState::Draft => (draft_opp(w, recurring_terms(w)), today()),
        OppState::Active => (released_opp(w, recurring_terms(w)), today()),
        OppState::Restricted => {
            let mut o = released_opp(w, recurring_terms(w));
            o.end(&w.isv.id, today()).unwrap();
            (o, today())
        }
        OppState::Expired => (released_opp(w, OpportunityTerms { ends_on: Some(d(5)), ..recurring_terms(w) }), d(6)),
        OppState::Consumed => {
            let mut o = released_opp(w, one_time_terms(w, d(30)));
            draft_offer(w, &mut o, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
            (o, today())
        }
    };
    let shown = match state {
        OppState::Draft => OpportunityStatus::Draft,
        OppState::Active => OpportunityStatus::Authorized,
        OppState::Restricted => OpportunityStatus::Deactivated,
        OppState::Expired => OpportunityStatus::Expired,
        OppState::Consumed => OpportunityStatus::AuthorizedConsumed,
    };
    assert_eq!(o.status(on), shown, "fixture for {state:?}");
    (o, on)
}

fn act_on_opportunity(w: &World, action: OppAction, actor: &AccountId, o: &mut Opportunity, on: NaiveDate) -> Outcome {
    match action {
        OppAction::Edit => {
            let terms = OpportunityTerms { name: "Renamed".into(), ..recurring_terms(w) };
            code(o.edit(actor, &w.product, &w.partner, terms, on))
        }
        OppAction::Release => code(o.release(actor, on)),
        OppAction::End => code(o.end(actor, on)),
        OppAction::CreateOffer => {
            let terms = offer_terms(Some(&w.buyer), Some(on + TimeDelta::days(3)), 10, dec!(10));
            code(Offer::draft(OfferId::generate(), actor, o, terms, on))
        }
        OppAction::Delete => code(o.check_delete(actor)),
    }
}

#[test]
fn opportunity_transitions_follow_the_role_and_state_table() {
    use ErrorCode::{Consumed, Expired, IncompatibleResaleAuthorization};
    use OppAction::*;
    let w = world();
    // Expected result for [ISV, partner, buyer, unrelated account].
    let rows: Vec<(OppState, OppAction, ByActor)> = vec![
        (OppState::Draft, Edit, [OK, DENIED, DENIED, DENIED]),
        (OppState::Draft, Release, [OK, DENIED, DENIED, DENIED]),
        (OppState::Draft, End, [STATUS, STATUS, DENIED, DENIED]),
        (OppState::Draft, CreateOffer, [DENIED, STATUS, DENIED, DENIED]),
        (OppState::Draft, Delete, [OK, DENIED, DENIED, DENIED]),
        (OppState::Active, Edit, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Active, Release, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Active, End, [OK, OK, DENIED, DENIED]),
        (OppState::Active, CreateOffer, [DENIED, OK, DENIED, DENIED]),
        (OppState::Active, Delete, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Restricted, Edit, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Restricted, Release, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Restricted, End, [STATUS, STATUS, DENIED, DENIED]),
        (OppState::Restricted, CreateOffer, [DENIED, Err(IncompatibleResaleAuthorization), DENIED, DENIED]),
        (OppState::Restricted, Delete, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Expired, Edit, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Expired, Release, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Expired, End, [STATUS, STATUS, DENIED, DENIED]),
        (OppState::Expired, CreateOffer, [DENIED, Err(Expired), DENIED, DENIED]),
        (OppState::Expired, Delete, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Consumed, Edit, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Consumed, Release, [STATUS, DENIED, DENIED, DENIED]),
        (OppState::Consumed, End, [OK, OK, DENIED, DENIED]),
        (OppState::Consumed, CreateOffer, [DENIED, Err(Consumed), DENIED, DENIED]),
        (OppState::Consumed, Delete, [STATUS, DENIED, DENIED, DENIED]),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (state, action, expected) in rows {
        for (actor, want) in ACTORS.into_iter().zip(expected) {
            let row = format!("{action:?} a {state:?} opportunity as {actor:?}");
            let (mut o, on) = opportunity_in(&w, state);
            let before = o.clone();
            let got = act_on_opportunity(&w, action, w.id(actor), &mut o, on);
            checked += 1;
            if got != want {
                failures.push(format!("{row}: expected {want:?}, got {got:?}"));
            } else if got.is_err() && o != before {
                failures.push(format!("{row}: refused but the opportunity changed"));
            }
        }
    }
    assert_eq!(checked, 100);
    assert!(failures.is_empty(), "{} row(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[derive(Debug, Clone, Copy)]
enum OfferSt {
    Draft,
    Active,
    Accepted,
    Expired,
}

#[derive(Debug, Clone, Copy)]
enum OfferAction {
    Edit,
    Release,
    Extend,
    Cancel,
    Accept,
    Delete,
}

/// A recurring opportunity, an offer for `w.buyer` in `state` made from it, and the day
/// to act on them.
fn offer_in(w: &World, state: OfferSt) -> (Opportunity, Offer, NaiveDate) {
    let mut opp = released_opp(w, recurring_terms(w));
    let (offer, on) = match state {
        OfferSt::Draft => {
            (draft_offer(w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today()), today())
        }
        OfferSt::Active => {
            (released_offer(w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today()), today())
        }
        OfferSt::Accepted => {
            let mut offer =
                released_offer(w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
            let a = accept(&w.buyer.id, &offer, &opp, today()).unwrap();
            offer.agreement_id = Some(a.id);
            (offer, today())
        }
        OfferSt::Expired => {
            (released_offer(w, &mut opp, offer_terms(Some(&w.buyer), Some(d(3)), 10, dec!(10)), today()), d(4))
        }
    };
    let shown = match state {
        OfferSt::Draft => OfferStatus::Draft,
        OfferSt::Active => OfferStatus::Active,
        OfferSt::Accepted => OfferStatus::Accepted,
        OfferSt::Expired => OfferStatus::Expired,
    };
    assert_eq!(offer.status(on), shown, "fixture for {state:?}");
    (opp, offer, on)
}

fn act_on_offer(
    w: &World,
    action: OfferAction,
    actor: &AccountId,
    opp: &Opportunity,
    offer: &mut Offer,
    on: NaiveDate,
) -> Outcome {
    match action {
        OfferAction::Edit => {
            let terms = offer_terms(Some(&w.buyer), Some(on + TimeDelta::days(10)), 20, dec!(12));
            code(offer.edit(actor, opp, terms, on))
        }
        OfferAction::Release => code(offer.release(actor, opp, on)),
        OfferAction::Extend => code(offer.extend(actor, opp, on + TimeDelta::days(20), on)),
        OfferAction::Cancel => code(offer.cancel(actor, on)),
        OfferAction::Accept => code(accept(actor, offer, opp, on)),
        OfferAction::Delete => code(offer.check_delete(actor)),
    }
}

#[test]
fn offer_transitions_follow_the_role_and_state_table() {
    use OfferAction::*;
    let w = world();
    // Expected result for [ISV, partner, buyer, unrelated account].
    let rows: Vec<(OfferSt, OfferAction, ByActor)> = vec![
        (OfferSt::Draft, Edit, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Draft, Release, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Draft, Extend, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Draft, Cancel, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Draft, Accept, [DENIED, DENIED, STATUS, DENIED]),
        (OfferSt::Draft, Delete, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Active, Edit, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Active, Release, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Active, Extend, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Active, Cancel, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Active, Accept, [DENIED, DENIED, OK, DENIED]),
        (OfferSt::Active, Delete, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Accepted, Edit, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Accepted, Release, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Accepted, Extend, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Accepted, Cancel, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Accepted, Accept, [DENIED, DENIED, STATUS, DENIED]),
        (OfferSt::Accepted, Delete, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Expired, Edit, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Expired, Release, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Expired, Extend, [DENIED, OK, DENIED, DENIED]),
        (OfferSt::Expired, Cancel, [DENIED, STATUS, DENIED, DENIED]),
        (OfferSt::Expired, Accept, [DENIED, DENIED, Err(ErrorCode::Expired), DENIED]),
        (OfferSt::Expired, Delete, [DENIED, STATUS, DENIED, DENIED]),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (state, action, expected) in rows {
        for (actor, want) in ACTORS.into_iter().zip(expected) {
            let row = format!("{action:?} a {state:?} offer as {actor:?}");
            let (opp, mut offer, on) = offer_in(&w, state);
            let before = offer.clone();
            let got = act_on_offer(&w, action, w.id(actor), &opp, &mut offer, on);
            checked += 1;
            if got != want {
                failures.push(format!("{row}: expected {want:?}, got {got:?}"));
            } else if got.is_err() && offer != before {
                failures.push(format!("{row}: refused but the offer changed"));
            }
        }
    }
    assert_eq!(checked, 96);
    assert!(failures.is_empty(), "{} row(s) failed:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

#[test]
fn worked_example_prices_and_disburses_to_the_cent() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    assert_eq!(opp.discount_pct, Some(dec!(20)));
    assert_eq!(opp.prices[0].wholesale_price, dec!(800));

    let mut offer = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 100, dec!(10)), today());
    let b = breakdown(&opp, &offer, today());
    assert_eq!(b.lines.len(), 1);
    assert_eq!(b.lines[0].buyer_unit, dec!(880));
    assert_eq!(b.list_total.map(|t| t.display()), Some(usd("100,000.00")));
    assert_eq!(b.wholesale_total.display(), usd("80,000.00"));
    assert_eq!(b.buyer_total.display(), usd("88,000.00"));
    assert_eq!(b.fee_rate_pct, dec!(3.5));
    assert_eq!(b.listing_fee.display(), usd("2,800.00"));
    assert_eq!(b.isv_net.display(), usd("77,200.00"));
    assert_eq!(b.partner_net.display(), usd("8,000.00"));

    let mut a = Agreement::accept(AgreementId::generate(), &w.buyer.id, &offer, &opp, &b, today()).unwrap();
    offer.agreement_id = Some(a.id.clone());
    assert_eq!(offer.status(today()), OfferStatus::Accepted);
    assert_eq!((&a.partner, &a.buyer, &a.isv), (&w.partner.id, &w.buyer.id, &w.isv.id));
    assert_eq!(a.total.display(), usd("88,000.00"));
    assert_eq!(a.wholesale_total.display(), usd("80,000.00"));
    assert_eq!(a.starts_on, today());
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2027, 11, 26).unwrap());
    assert_eq!(a.charges.len(), 1, "one upfront charge");
    assert_eq!(a.charges[0].due_on, today());

    let (idx, [isv, partner]) = a.pay_next(&w.buyer.id, today()).unwrap();
    assert_eq!(idx, 0);
    assert_eq!((isv.role, &isv.payee), (PayeeRole::Isv, &w.isv.id));
    assert_eq!(isv.amount.display(), usd("77,200.00"));
    assert_eq!(isv.listing_fee.map(|f| f.display()), Some(usd("2,800.00")));
    assert_eq!((partner.role, &partner.payee), (PayeeRole::Partner, &w.partner.id));
    assert_eq!(partner.amount.display(), usd("8,000.00"));
    assert_eq!(partner.listing_fee, None);
    assert_eq!(isv.amount.plus(partner.amount).plus(isv.listing_fee.unwrap()), a.total);
    assert_eq!(a.charges[0].paid_on, Some(today()));
    assert_eq!(code(a.pay_next(&w.buyer.id, today())), Err(ErrorCode::NothingDue));
}

#[test]
fn jpy_amounts_round_half_up_to_whole_yen() {
    let w = world_with(dec!(1001), ProductType::Saas);
    let mut opp = released_opp(
        &w,
        OpportunityTerms {
            currency: Currency::Jpy,
            wholesale: WholesaleTerms::Discount(dec!(50)),
            ..recurring_terms(&w)
        },
    );
    // Unit prices keep 6 decimals whatever the currency; totals are whole yen.
    assert_eq!(opp.prices[0].wholesale_price, dec!(500.5));
    let offer = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(10)), today());
    let b = breakdown(&opp, &offer, today());
    assert_eq!(b.currency, Currency::Jpy);
    assert_eq!(b.lines[0].buyer_unit, dec!(550.55));
    assert_eq!(b.wholesale_total.to_plain(), "501"); // 500.5 -> 501
    assert_eq!(b.buyer_total.to_plain(), "551"); // 550.55 -> 551
    assert_eq!(b.listing_fee.to_plain(), "18"); // 501 x 3.5% = 17.535 -> 18
    assert_eq!(b.isv_net.to_plain(), "483");
    assert_eq!(b.partner_net.to_plain(), "50");
    assert_eq!(b.buyer_total.display(), "551 JPY");
    assert_eq!(b.buyer_total.minor_units(), 551);

    let mut a = accept(&w.buyer.id, &offer, &opp, today()).unwrap();
    let (_, [isv, partner]) = a.pay_next(&w.buyer.id, today()).unwrap();
    assert_eq!((isv.amount.to_plain(), partner.amount.to_plain()), ("483".into(), "50".into()));

    // A JPY installment with decimals has no minor unit to land on.
    let err = Opportunity::draft(
        OpportunityId::generate(),
        &w.isv.id,
        &w.product,
        &w.partner,
        OpportunityTerms {
            currency: Currency::Jpy,
            installments: vec![(d(40), dec!(1000.5))],
            grants: vec![("users".into(), 5)],
            ..one_time_terms(&w, d(10))
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
}

#[test]
fn renewal_opportunity_uses_the_renewal_fee_rate_whatever_the_value() {
    let w = world_with(dec!(1000), ProductType::Saas);
    let renewal = OpportunityTerms {
        renewal: true,
        buyers: vec![w.buyer.id.clone()],
        wholesale: WholesaleTerms::Discount(dec!(0)),
        ..recurring_terms(&w)
    };
    let plain = OpportunityTerms { renewal: false, ..renewal.clone() };
    let mut renewal = released_opp(&w, renewal);
    let mut plain = released_opp(&w, plain);
    for qty in [100, 5_000] {
        let r = draft_offer(&w, &mut renewal, offer_terms(Some(&w.buyer), Some(d(10)), qty, dec!(5)), today());
        let p = draft_offer(&w, &mut plain, offer_terms(Some(&w.buyer), Some(d(10)), qty, dec!(5)), today());
        // Renewal 1.5% + 0.5 point for a partner private offer.
        assert_eq!(breakdown(&renewal, &r, today()).fee_rate_pct, dec!(2.0), "renewal, {qty} users");
        assert_ne!(breakdown(&plain, &p, today()).fee_rate_pct, dec!(2.0), "not a renewal, {qty} users");
    }
    let r = draft_offer(&w, &mut renewal, offer_terms(Some(&w.buyer), Some(d(10)), 100, dec!(5)), today());
    let b = breakdown(&renewal, &r, today());
    assert_eq!(b.wholesale_total.display(), usd("100,000.00"));
    assert_eq!(b.listing_fee.display(), usd("2,000.00"));
    assert_eq!(b.isv_net.display(), usd("98,000.00"));
    assert_eq!(b.partner_net.display(), usd("5,000.00"));

    // A renewal names the buyer it renews.
    let mut untargeted = draft_opp(&w, OpportunityTerms { renewal: true, ..recurring_terms(&w) });
    assert_eq!(code(untargeted.release(&w.isv.id, today())), Err(ErrorCode::IncompatibleBuyerTargeting));
}

#[test]
fn fee_tier_is_chosen_on_the_wholesale_contract_value_not_the_buyer_price() {
    let w = world_with(dec!(1000), ProductType::Saas);
    let mut opp =
        released_opp(&w, OpportunityTerms { wholesale: WholesaleTerms::Discount(dec!(0)), ..recurring_terms(&w) });
    let rate = |opp: &mut Opportunity, users: u64, markup: Decimal| {
        let o = draft_offer(&w, opp, offer_terms(Some(&w.buyer), Some(d(10)), users, markup), today());
        breakdown(opp, &o, today()).fee_rate_pct
    };
    assert_eq!(rate(&mut opp, 999, dec!(0)), dec!(3.5)); // 999,000.00 wholesale
    assert_eq!(rate(&mut opp, 1_000, dec!(0)), dec!(2.5)); // 1,000,000.00
    assert_eq!(rate(&mut opp, 9_999, dec!(0)), dec!(2.5));
    assert_eq!(rate(&mut opp, 10_000, dec!(0)), dec!(2.0)); // 10,000,000.00
    // 950,000.00 wholesale sold at 1,045,000.00: still the lowest tier's 3% + 0.5.
    assert_eq!(rate(&mut opp, 950, dec!(10)), dec!(3.5));

    let services = world_with(dec!(1000), ProductType::ProfessionalServices);
    let mut opp = released_opp(&services, recurring_terms(&services));
    assert_eq!(rate(&mut opp, 10, dec!(0)), dec!(3.0));
}

#[test]
fn installments_are_charged_on_their_dates_and_marked_up_per_charge() {
    let w = world();
    let dates = [d(30), d(60), d(90)];
    let mut opp = released_opp(
        &w,
        OpportunityTerms {
            installments: vec![(dates[0], dec!(1000.00)), (dates[1], dec!(333.33)), (dates[2], dec!(0.04))],
            grants: vec![("users".into(), 5)],
            ..one_time_terms(&w, d(10))
        },
    );
    // No quantity is needed: the schedule is the contract value.
    let offer = released_offer(
        &w,
        &mut opp,
        OfferTerms { quantities: vec![], ..offer_terms(None, Some(d(10)), 0, dec!(12.5)) },
        today(),
    );
    assert_eq!(offer.buyer.as_ref(), Some(&w.buyer.id), "a one-time offer goes to the opportunity's buyer");
    let b = breakdown(&opp, &offer, today());
    let plan: Vec<(Option<NaiveDate>, String, String)> =
        b.charges.iter().map(|c| (c.due_on, c.wholesale.to_plain(), c.buyer.to_plain())).collect();
    assert_eq!(
        plan,
        vec![
            (Some(dates[0]), "1000.00".into(), "1125.00".into()),
            (Some(dates[1]), "333.33".into(), "375.00".into()), // 374.99625 -> 375.00
            (Some(dates[2]), "0.04".into(), "0.05".into()),     // 0.045 -> 0.05, half-up
        ]
    );
    assert_eq!(b.wholesale_total.to_plain(), "1333.37");
    // The sum of rounded charges, not round(1333.37 x 1.125) = 1500.04.
    assert_eq!(b.buyer_total.to_plain(), "1500.05");
    // 35.00 + 11.67 (11.66655) + 0.00 (0.0014)
    assert_eq!(b.listing_fee.to_plain(), "46.67");

    let a = accept(&w.buyer.id, &offer, &opp, today()).unwrap();
    let due: Vec<NaiveDate> = a.charges.iter().map(|c| c.due_on).collect();
    assert_eq!(due, dates.to_vec());
    assert_eq!(a.total.to_plain(), "1500.05");
}

#[test]
fn the_contract_value_is_unknown_without_a_quantity_unless_a_schedule_sets_it() {
    let w = world();
    let opp = released_opp(&w, recurring_terms(&w));
    let priced = |q: Vec<(String, u64)>| price_offer(&opp, &q, dec!(10), today(), FeeTable::embedded());
    assert!(!priced(vec![]).value_known, "no quantity: unknown, not zero");
    assert!(!priced(vec![("users".into(), 0)]).value_known);
    let planned = priced(vec![("users".into(), 5)]);
    assert!(planned.value_known);
    assert_eq!(planned.buyer_total.to_plain(), "4400.00");
    let scheduled = released_opp(
        &w,
        OpportunityTerms {
            installments: vec![(d(30), dec!(1000.00))],
            grants: vec![("users".into(), 5)],
            ..one_time_terms(&w, d(10))
        },
    );
    let b = price_offer(&scheduled, &[], dec!(10), today(), FeeTable::embedded());
    assert!(b.value_known, "the schedule is the contract value");
    assert_eq!(b.buyer_total.to_plain(), "1100.00");
}

#[test]
fn pay_next_refuses_a_charge_not_yet_due_and_after_everything_is_paid() {
    let w = world();
    let dates = [d(30), d(60), d(90)];
    let mut opp = released_opp(
        &w,
        OpportunityTerms {
            installments: vec![(dates[0], dec!(1000.00)), (dates[1], dec!(333.33)), (dates[2], dec!(0.04))],
            grants: vec![("users".into(), 5)],
            ..one_time_terms(&w, d(10))
        },
    );
    let offer = released_offer(
        &w,
        &mut opp,
        OfferTerms { quantities: vec![], ..offer_terms(None, Some(d(10)), 0, dec!(12.5)) },
        today(),
    );
    let mut a = accept(&w.buyer.id, &offer, &opp, today()).unwrap();

    assert_eq!(code(a.pay_next(&w.buyer.id, today())), Err(ErrorCode::NothingDue), "nothing due on acceptance");
    assert_eq!(code(a.pay_next(&w.buyer.id, d(29))), Err(ErrorCode::NothingDue), "the day before the first date");
    assert_eq!(code(a.pay_next(&w.partner.id, d(30))), Err(ErrorCode::AccessDenied), "only the buyer pays");

    let (i, [isv, partner]) = a.pay_next(&w.buyer.id, d(30)).unwrap();
    assert_eq!(i, 0);
    assert_eq!((isv.amount.to_plain(), partner.amount.to_plain()), ("965.00".into(), "125.00".into()));
    assert_eq!(isv.listing_fee.unwrap().to_plain(), "35.00");
    assert_eq!(code(a.pay_next(&w.buyer.id, d(30))), Err(ErrorCode::NothingDue), "the next charge is not due yet");

    // Late payments go one charge at a time, in order.
    let (i, [isv, partner]) = a.pay_next(&w.buyer.id, d(95)).unwrap();
    assert_eq!(i, 1);
    assert_eq!((isv.amount.to_plain(), partner.amount.to_plain()), ("321.66".into(), "41.67".into()));
    let (i, [isv, partner]) = a.pay_next(&w.buyer.id, d(95)).unwrap();
    assert_eq!(i, 2);
    assert_eq!((isv.amount.to_plain(), partner.amount.to_plain()), ("0.04".into(), "0.01".into()));
    assert!(a.next_unpaid().is_none());
    assert_eq!(code(a.pay_next(&w.buyer.id, d(400))), Err(ErrorCode::NothingDue), "everything is paid");
    assert_eq!(a.charges.iter().map(|c| c.paid_on).collect::<Vec<_>>(), vec![Some(d(30)), Some(d(95)), Some(d(95))]);
}

#[test]
fn a_cancelled_agreement_charges_nothing_more() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let offer = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 100, dec!(10)), today());
    let mut a = accept(&w.buyer.id, &offer, &opp, today()).unwrap();
    a.cancelled = true;
    assert_eq!(a.status(today()), AgreementStatus::Cancelled);
    assert_eq!(code(a.pay_next(&w.buyer.id, today())), Err(ErrorCode::IncompatibleStatus));
    assert!(a.charges.iter().all(|c| c.paid_on.is_none()));
}

#[test]
fn zero_discount_keeps_an_eight_decimal_usage_list_price() {
    let isv = account("111111111111", "Acme ISV", role_isv());
    let partner = account("222222222222", "Reseller Ltd", role_partner());
    let usage = Dimension::parse_spec("calls:call:7.12841650:usage").unwrap();
    assert_eq!(usage.list_price, Some(dec!(7.1284165)), "DOMAIN.md allows 8 decimals for usage prices");
    let product = Product::new(
        ProductId::generate(),
        isv.id.clone(),
        "Metered API",
        ProductType::Saas,
        ContractDuration::P12M,
        vec![usage],
    )
    .unwrap();
    let w = World { isv, partner, product, ..world() };
    let opp = draft_opp(&w, OpportunityTerms { wholesale: WholesaleTerms::Discount(dec!(0)), ..recurring_terms(&w) });
    // wholesale = list x (1 - 0/100) = list; never above list (explicit prices above list are
    // refused with INCOMPATIBLE_PRICING_TERM).
    assert!(Some(opp.prices[0].wholesale_price) <= opp.prices[0].list_price, "{:?}", opp.prices[0]);
    assert_eq!(opp.prices[0].wholesale_price, dec!(7.1284165));
}

#[test]
fn markup_below_zero_or_beyond_nine_decimals_is_refused() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    for markup in [dec!(-0.000000001), dec!(1.0000000001), dec!(10000.1)] {
        let r = Offer::draft(
            OfferId::generate(),
            &w.partner.id,
            &opp,
            offer_terms(Some(&w.buyer), Some(d(10)), 1, markup),
            today(),
        );
        assert_eq!(code(r), Err(ErrorCode::Validation), "markup {markup}");
    }
    let o = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 7, dec!(33.333333333)), today());
    let b = breakdown(&opp, &o, today());
    assert_eq!(b.lines[0].buyer_unit, dec!(1066.666667)); // round6(800 x 1.33333333333)
    assert_eq!(b.buyer_total.to_plain(), "7466.67");
    assert!(b.buyer_total >= b.wholesale_total);
}

// ---------------------------------------------------------------------------------------------
// Opportunity lifecycle
// ---------------------------------------------------------------------------------------------

#[test]
fn one_time_opportunity_is_consumed_by_its_first_offer() {
    let w = world();
    let mut opp = released_opp(&w, one_time_terms(&w, d(30)));
    assert_eq!(opp.status(today()), OpportunityStatus::Authorized);
    // Created, never released: AWS counts offers created, not accepted.
    let first = draft_offer(&w, &mut opp, offer_terms(None, Some(d(10)), 5, dec!(0)), today());
    assert_eq!(first.state, OfferState::Draft);
    assert_eq!(opp.offers_created, 1);
    assert!(opp.is_consumed());
    assert_eq!(opp.status(today()), OpportunityStatus::AuthorizedConsumed);
    let second = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &opp,
        offer_terms(Some(&w.buyer), Some(d(10)), 5, dec!(0)),
        today(),
    );
    assert_eq!(code(second), Err(ErrorCode::Consumed));
    // The one offer it has can still be released.
    let mut first = first;
    first.release(&w.partner.id, &opp, today()).unwrap();
}

#[test]
fn recurring_opportunity_allows_any_number_of_offers_to_any_buyer() {
    let w = world();
    let mut opp = released_opp(&w, OpportunityTerms { ends_on: None, ..recurring_terms(&w) });
    assert_eq!(opp.status(today()), OpportunityStatus::Authorized);
    for (i, buyer) in [&w.buyer, &w.other_buyer, &w.buyer, &w.stranger].into_iter().enumerate() {
        let o = released_offer(&w, &mut opp, offer_terms(Some(buyer), Some(d(400)), 1, dec!(1)), today());
        assert_eq!(o.buyer.as_ref(), Some(&buyer.id), "offer {i}");
    }
    assert_eq!(opp.offers_created, 4);
    assert_eq!(opp.status(today()), OpportunityStatus::AuthorizedReusable);
    assert_eq!(opp.status(d(3650)), OpportunityStatus::AuthorizedReusable, "no end date: indefinitely");
}

#[test]
fn shown_opportunity_status_follows_the_documented_priority() {
    let w = world();
    let mut o = draft_opp(&w, one_time_terms(&w, d(5)));
    assert_eq!(o.status(d(100)), OpportunityStatus::Draft, "Draft beats everything");
    o.release(&w.isv.id, today()).unwrap();
    assert_eq!(o.status(today()), OpportunityStatus::Authorized);
    draft_offer(&w, &mut o, offer_terms(None, Some(d(5)), 1, dec!(0)), today());
    assert_eq!(o.status(today()), OpportunityStatus::AuthorizedConsumed);
    assert_eq!(o.status(d(5)), OpportunityStatus::AuthorizedConsumed, "the end date itself is still valid");
    assert_eq!(o.status(d(6)), OpportunityStatus::Expired, "Expired beats consumed");
    o.end(&w.partner.id, d(5)).unwrap();
    assert_eq!(o.status(d(6)), OpportunityStatus::Deactivated, "Deactivated beats Expired");
}

#[test]
fn releasing_an_opportunity_activates_it_and_freezes_its_terms() {
    let w = world();
    let mut o = draft_opp(&w, recurring_terms(&w));
    assert_eq!(o.state, OpportunityState::Draft);
    let renamed = OpportunityTerms { name: "New name".into(), ..recurring_terms(&w) };
    o.edit(&w.isv.id, &w.product, &w.partner, renamed.clone(), today()).unwrap();
    assert_eq!(o.name, "New name");
    o.release(&w.isv.id, today()).unwrap();
    assert_eq!(o.state, OpportunityState::Active);
    let frozen = o.clone();
    let err = o.edit(&w.isv.id, &w.product, &w.partner, recurring_terms(&w), today()).unwrap_err();
    assert_eq!(err.code, ErrorCode::IncompatibleStatus);
    assert_eq!(o, frozen);
}

#[test]
fn one_time_release_requires_its_buyer_and_end_date() {
    let w = world();
    let mut no_buyer = draft_opp(&w, OpportunityTerms { buyers: vec![], ..one_time_terms(&w, d(10)) });
    assert_eq!(code(no_buyer.release(&w.isv.id, today())), Err(ErrorCode::IncompatibleBuyerTargeting));
    let mut no_end = draft_opp(&w, OpportunityTerms { ends_on: None, ..one_time_terms(&w, d(10)) });
    assert_eq!(code(no_end.release(&w.isv.id, today())), Err(ErrorCode::MissingMandatoryTerms));
    // Two buyers for a one-time opportunity are refused up front.
    let two = Opportunity::draft(
        OpportunityId::generate(),
        &w.isv.id,
        &w.product,
        &w.partner,
        OpportunityTerms { buyers: vec![w.buyer.id.clone(), w.other_buyer.id.clone()], ..one_time_terms(&w, d(10)) },
        today(),
    );
    assert_eq!(code(two), Err(ErrorCode::IncompatibleBuyerTargeting));
    // A draft left past its end date cannot be released.
    let mut late = draft_opp(&w, one_time_terms(&w, d(2)));
    assert_eq!(code(late.release(&w.isv.id, d(3))), Err(ErrorCode::Expired));
    assert_eq!(late.state, OpportunityState::Draft);
}

#[test]
fn an_unknown_list_price_is_never_invented_a_discount_cannot_price_it_an_explicit_price_can() {
    let mut w = world();
    w.product.dimensions[0].list_price = None;
    let by_discount =
        Opportunity::draft(OpportunityId::generate(), &w.isv.id, &w.product, &w.partner, recurring_terms(&w), today());
    let err = by_discount.unwrap_err();
    assert_eq!(err.code, ErrorCode::MissingMandatoryTerms);
    assert!(err.message.contains("list price of `users` is unknown"), "{}", err.message);
    let mut opp = released_opp(
        &w,
        OpportunityTerms {
            wholesale: WholesaleTerms::Prices(vec![("users".into(), dec!(800))]),
            ..recurring_terms(&w)
        },
    );
    assert_eq!(opp.prices[0].list_price, None);
    let offer = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 100, dec!(10)), today());
    let b = breakdown(&opp, &offer, today());
    assert_eq!(b.lines[0].list_unit, None);
    assert_eq!(b.list_total, None, "no list total from an unknown list price");
    assert_eq!(b.wholesale_total.display(), "80,000.00 USD");
    assert_eq!(b.buyer_total.display(), "88,000.00 USD");
}

#[test]
fn a_one_time_opportunity_from_aws_without_a_buyer_takes_one_offer_for_any_buyer() {
    let w = world();
    // Made in cppo, release still asks for the buyer; AWS allows a one-time authorization
    // that names none, and an import holds it as AWS does: Active, no buyer.
    let mut opp = draft_opp(&w, OpportunityTerms { buyers: vec![], ..one_time_terms(&w, d(30)) });
    assert_eq!(code(opp.clone().release(&w.isv.id, today())), Err(ErrorCode::IncompatibleBuyerTargeting));
    opp.state = OpportunityState::Active;
    assert_eq!(opp.check_buyer(&w.stranger.id), Ok(()), "any buyer may receive its single offer");
    let offer = released_offer(&w, &mut opp, offer_terms(Some(&w.other_buyer), Some(d(10)), 10, dec!(10)), today());
    assert_eq!(offer.buyer.as_ref(), Some(&w.other_buyer.id));
    assert_eq!(opp.status(today()), OpportunityStatus::AuthorizedConsumed);
    let second = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &opp,
        offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(0)),
        today(),
    );
    assert_eq!(code(second), Err(ErrorCode::Consumed));
}

#[test]
fn either_the_isv_or_the_partner_may_end_and_who_ended_is_recorded() {
    let w = world();
    for (who, id) in [("isv", &w.isv.id), ("partner", &w.partner.id)] {
        let mut o = released_opp(&w, recurring_terms(&w));
        o.end(id, today()).unwrap();
        assert_eq!(o.state, OpportunityState::Restricted, "{who}");
        assert_eq!(o.ended_by.as_ref(), Some(id), "{who}");
        assert_eq!(o.status(today()), OpportunityStatus::Deactivated, "{who}");
        assert_eq!(code(o.end(id, today())), Err(ErrorCode::IncompatibleStatus), "irreversible, {who}");
    }
}

#[test]
fn ending_an_opportunity_leaves_offers_already_made_and_agreements_untouched() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let open = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    let mut taken = released_offer(&w, &mut opp, offer_terms(Some(&w.other_buyer), Some(d(10)), 10, dec!(10)), today());
    let agreement = accept(&w.other_buyer.id, &taken, &opp, today()).unwrap();
    taken.agreement_id = Some(agreement.id.clone());

    opp.end(&w.isv.id, d(1)).unwrap();
    assert_eq!(open.status(d(1)), OfferStatus::Active);
    assert_eq!(agreement.status(d(1)), AgreementStatus::Active);
    // The offer stands: its buyer can still accept it.
    let late = accept(&w.buyer.id, &open, &opp, d(1)).unwrap();
    assert_eq!(late.buyer, w.buyer.id);
    // But no new offer comes out of it.
    let r = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &opp,
        offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(0)),
        d(1),
    );
    assert_eq!(code(r), Err(ErrorCode::IncompatibleResaleAuthorization));
}

// ---------------------------------------------------------------------------------------------
// Offer lifecycle
// ---------------------------------------------------------------------------------------------

#[test]
fn offer_buyer_must_be_the_one_time_or_targeted_buyer() {
    let w = world();
    let mut one_time = released_opp(&w, one_time_terms(&w, d(30)));
    let r = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &one_time,
        offer_terms(Some(&w.other_buyer), Some(d(10)), 1, dec!(0)),
        today(),
    );
    assert_eq!(code(r), Err(ErrorCode::IncompatibleResaleAuthorization));
    assert_eq!(one_time.offers_created, 0);
    let o = draft_offer(&w, &mut one_time, offer_terms(None, Some(d(10)), 1, dec!(0)), today());
    assert_eq!(o.buyer.as_ref(), Some(&w.buyer.id), "filled in from the one-time opportunity");

    let targeted = released_opp(&w, OpportunityTerms { buyers: vec![w.other_buyer.id.clone()], ..recurring_terms(&w) });
    let r = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &targeted,
        offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(0)),
        today(),
    );
    assert_eq!(code(r), Err(ErrorCode::IncompatibleResaleAuthorization));

    // The partner cannot sell to itself.
    let open = released_opp(&w, recurring_terms(&w));
    let r = Offer::draft(
        OfferId::generate(),
        &w.partner.id,
        &open,
        offer_terms(Some(&w.partner), Some(d(10)), 1, dec!(0)),
        today(),
    );
    assert_eq!(code(r), Err(ErrorCode::Validation));
}

#[test]
fn offer_expiry_must_fall_between_today_and_the_opportunity_end() {
    let w = world();
    let opp = released_opp(&w, recurring_terms(&w)); // ends d(30)
    let draft = |exp| {
        code(Offer::draft(
            OfferId::generate(),
            &w.partner.id,
            &opp,
            offer_terms(Some(&w.buyer), Some(exp), 1, dec!(0)),
            today(),
        ))
    };
    assert_eq!(draft(d(-1)), Err(ErrorCode::Validation));
    assert_eq!(draft(today()), Ok(()));
    assert_eq!(draft(d(30)), Ok(()));
    assert_eq!(draft(d(31)), Err(ErrorCode::IncompatibleResaleAuthorization));

    let mut opp = opp;
    let mut o = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(0)), today());
    assert_eq!(code(o.extend(&w.partner.id, &opp, d(31), today())), Err(ErrorCode::IncompatibleResaleAuthorization));
    assert_eq!(code(o.extend(&w.partner.id, &opp, d(10), today())), Err(ErrorCode::Validation), "not later");
    assert_eq!(o.expires_on, Some(d(10)));
}

#[test]
fn releasing_an_offer_requires_a_name_a_buyer_an_expiry_and_something_to_sell() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let cases: Vec<(&str, OfferTerms, ErrorCode)> = vec![
        (
            "no name",
            OfferTerms { name: "  ".into(), ..offer_terms(Some(&w.buyer), Some(d(10)), 1, dec!(0)) },
            ErrorCode::MissingMandatoryTerms,
        ),
        ("no buyer", offer_terms(None, Some(d(10)), 1, dec!(0)), ErrorCode::MissingBuyerAccounts),
        ("no expiry", offer_terms(Some(&w.buyer), None, 1, dec!(0)), ErrorCode::MissingAvailabilityEndDate),
        ("zero quantity", offer_terms(Some(&w.buyer), Some(d(10)), 0, dec!(0)), ErrorCode::MissingMandatoryTerms),
    ];
    for (what, terms, want) in cases {
        let mut o = draft_offer(&w, &mut opp, terms, today());
        assert_eq!(code(o.release(&w.partner.id, &opp, today())), Err(want), "{what}");
        assert_eq!(o.state, OfferState::Draft, "{what}");
    }
    // A draft whose expiry has since passed cannot be released either.
    let mut stale = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(2)), 1, dec!(0)), today());
    assert_eq!(code(stale.release(&w.partner.id, &opp, d(3))), Err(ErrorCode::Validation));
    assert_eq!(stale.state, OfferState::Draft);
}

#[test]
fn cancel_moves_the_expiry_to_yesterday_and_extend_revives_the_offer() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let mut o = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    o.cancel(&w.partner.id, d(2)).unwrap();
    assert_eq!(o.expires_on, Some(d(1)));
    // Withdrawn by the partner: Cancelled, told apart from an offer the buyer let lapse.
    assert_eq!((o.status(d(2)), o.cancelled_on), (OfferStatus::Cancelled, Some(d(2))));
    assert_eq!(o.status(d(30)), OfferStatus::Cancelled, "still Cancelled once its expiry is long past");
    assert_eq!(code(accept(&w.buyer.id, &o, &opp, d(2))), Err(ErrorCode::IncompatibleStatus));
    assert_eq!(code(o.clone().cancel(&w.partner.id, d(3))), Err(ErrorCode::IncompatibleStatus), "already Cancelled");
    o.extend(&w.partner.id, &opp, d(20), d(2)).unwrap();
    assert_eq!((o.status(d(2)), o.cancelled_on), (OfferStatus::Active, None));
    let a = accept(&w.buyer.id, &o, &opp, d(2)).unwrap();
    assert_eq!(a.starts_on, d(2));
}

#[test]
fn offer_stays_acceptable_until_the_last_millisecond_of_its_expiry_date() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let expires_on = d(10);
    let o = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(expires_on), 10, dec!(10)), today());
    let last = Utc.from_utc_datetime(&expires_on.and_hms_milli_opt(23, 59, 59, 999).unwrap());
    let at_last = FixedClock(last);
    let just_after = FixedClock(last + TimeDelta::milliseconds(1));

    assert_eq!(o.status(at_last.today()), OfferStatus::Active);
    let a = accept(&w.buyer.id, &o, &opp, at_last.today()).unwrap();
    assert_eq!(a.starts_on, expires_on);

    assert_eq!(o.status(just_after.today()), OfferStatus::Expired);
    assert_eq!(code(accept(&w.buyer.id, &o, &opp, just_after.today())), Err(ErrorCode::Expired));
}

#[test]
fn opportunity_can_be_used_until_the_last_millisecond_of_its_end_date() {
    let w = world();
    let ends_on = d(10);
    let opp = released_opp(&w, OpportunityTerms { ends_on: Some(ends_on), ..recurring_terms(&w) });
    let last = Utc.from_utc_datetime(&ends_on.and_hms_milli_opt(23, 59, 59, 999).unwrap());
    let at_last = FixedClock(last);
    let just_after = FixedClock(last + TimeDelta::milliseconds(1));
    let make = |clock: &FixedClock| {
        Offer::draft(
            OfferId::generate(),
            &w.partner.id,
            &opp,
            offer_terms(Some(&w.buyer), Some(ends_on), 1, dec!(0)),
            clock.today(),
        )
    };
    assert_eq!(opp.status(at_last.today()), OpportunityStatus::Authorized);
    assert!(make(&at_last).is_ok());
    assert_eq!(opp.status(just_after.today()), OpportunityStatus::Expired);
    assert_eq!(code(make(&just_after)), Err(ErrorCode::Expired));
    let mut opp = opp;
    assert_eq!(code(opp.end(&w.isv.id, just_after.today())), Err(ErrorCode::IncompatibleStatus));
}

#[test]
fn agreement_lasts_the_opportunity_duration_and_outlives_its_offer() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let mut o = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    let a = accept(&w.buyer.id, &o, &opp, d(3)).unwrap();
    o.agreement_id = Some(a.id.clone());
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2027, 11, 29).unwrap());
    // The offer's expiry passing changes nothing for the agreement or the offer's status.
    assert_eq!(o.status(d(11)), OfferStatus::Accepted);
    assert_eq!(a.status(d(11)), AgreementStatus::Active);
    assert_eq!(a.status(a.ends_on - TimeDelta::days(1)), AgreementStatus::Active);
    assert_eq!(a.status(a.ends_on), AgreementStatus::Expired);
}

// ---------------------------------------------------------------------------------------------
// Visibility
// ---------------------------------------------------------------------------------------------

const KINDS: [OpportunityKind; 2] = [OpportunityKind::Recurring, OpportunityKind::OneTime];

#[test]
fn buyer_never_sees_wholesale_markup_fees_or_payouts() {
    for kind in KINDS {
        let f = Fields::for_offer(Audience::Buyer, kind);
        assert!(!f.wholesale && !f.markup && !f.fee && !f.isv_net && !f.partner_net, "{kind:?}: {f:?}");
        assert!(!f.description, "{kind:?}: internal descriptions are never shown to buyers");
        assert!(f.buyer_price, "{kind:?}: the buyer sees what it pays");
    }
}

#[test]
fn isv_never_sees_the_markup_or_the_buyer_price() {
    for kind in KINDS {
        let f = Fields::for_offer(Audience::Isv, kind);
        assert!(!f.markup && !f.buyer_price && !f.partner_net, "{kind:?}: {f:?}");
        assert!(f.wholesale && f.fee && f.isv_net, "{kind:?}: its own wholesale figures, fee and payout");
    }
}

#[test]
fn isv_sees_the_real_end_buyer_only_for_one_time_opportunities() {
    assert!(!Fields::for_offer(Audience::Isv, OpportunityKind::Recurring).end_buyer);
    assert!(Fields::for_offer(Audience::Isv, OpportunityKind::OneTime).end_buyer);
}

#[test]
fn partner_sees_every_figure_of_its_offers() {
    for kind in KINDS {
        let f = Fields::for_offer(Audience::Partner, kind);
        assert_eq!(
            f,
            Fields {
                wholesale: true,
                buyer_price: true,
                markup: true,
                fee: true,
                isv_net: true,
                partner_net: true,
                end_buyer: true,
                description: true
            },
            "{kind:?}"
        );
    }
}

#[test]
fn partner_drafts_are_invisible_to_the_isv_and_the_buyer() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let mut o = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    assert_eq!(visibility::offer(&w.partner.id, &o), Some(Audience::Partner));
    assert_eq!(visibility::offer(&w.isv.id, &o), None);
    assert_eq!(visibility::offer(&w.buyer.id, &o), None);
    o.release(&w.partner.id, &opp, today()).unwrap();
    assert_eq!(visibility::offer(&w.partner.id, &o), Some(Audience::Partner));
    assert_eq!(visibility::offer(&w.isv.id, &o), Some(Audience::Isv));
    assert_eq!(visibility::offer(&w.buyer.id, &o), Some(Audience::Buyer));
}

/// The readers of a record's events are exactly the accounts that see it, in each state.
#[test]
fn the_readers_of_a_records_events_are_the_accounts_that_see_it() {
    let w = world();
    let everyone = [&w.isv.id, &w.partner.id, &w.buyer.id, &w.other_buyer.id, &w.stranger.id];
    let check_opp = |opp: &cppo::domain::Opportunity| {
        for v in everyone {
            let reads = visibility::opportunity_readers(opp).contains(&v);
            assert_eq!(reads, visibility::opportunity(v, opp).is_some(), "{v} on a {:?} opportunity", opp.state);
        }
    };
    let check_offer = |o: &cppo::domain::Offer| {
        for v in everyone {
            let reads = visibility::offer_readers(o).contains(&v);
            assert_eq!(reads, visibility::offer(v, o).is_some(), "{v} on a {:?} offer", o.state);
        }
    };
    let mut draft = draft_opp(&w, recurring_terms(&w));
    check_opp(&draft);
    draft.release(&w.isv.id, today()).unwrap();
    check_opp(&draft);
    let mut opp = released_opp(&w, recurring_terms(&w));
    let mut o = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    check_offer(&o);
    o.release(&w.partner.id, &opp, today()).unwrap();
    check_offer(&o);
}

#[test]
fn another_buyer_sees_nothing_of_an_offer_or_agreement_not_addressed_to_it() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let mut o = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 10, dec!(10)), today());
    let outsiders = [&w.other_buyer.id, &w.stranger.id];
    for v in outsiders {
        assert_eq!(visibility::offer(v, &o), None, "draft, {v}");
    }
    o.release(&w.partner.id, &opp, today()).unwrap();
    let a = accept(&w.buyer.id, &o, &opp, today()).unwrap();
    o.agreement_id = Some(a.id.clone());
    for v in outsiders {
        assert_eq!(visibility::offer(v, &o), None, "accepted offer, {v}");
        assert_eq!(visibility::agreement(v, &a), None, "agreement, {v}");
        assert_eq!(visibility::opportunity(v, &opp), None, "opportunity, {v}");
    }
    assert_eq!(visibility::agreement(&w.buyer.id, &a), Some(Audience::Buyer));
    assert_eq!(visibility::agreement(&w.partner.id, &a), Some(Audience::Partner));
    assert_eq!(visibility::agreement(&w.isv.id, &a), Some(Audience::Isv));
}

#[test]
fn opportunities_are_seen_by_the_isv_always_by_the_partner_once_released_and_never_by_buyers() {
    let w = world();
    let mut o = draft_opp(&w, one_time_terms(&w, d(10)));
    assert_eq!(visibility::opportunity(&w.isv.id, &o), Some(Audience::Isv));
    assert_eq!(visibility::opportunity(&w.partner.id, &o), None, "a Draft is invisible to the partner");
    o.release(&w.isv.id, today()).unwrap();
    assert_eq!(visibility::opportunity(&w.partner.id, &o), Some(Audience::Partner));
    assert_eq!(visibility::opportunity(&w.buyer.id, &o), None, "not even its named buyer");
    o.end(&w.isv.id, today()).unwrap();
    assert_eq!(visibility::opportunity(&w.isv.id, &o), Some(Audience::Isv));
    assert_eq!(visibility::opportunity(&w.partner.id, &o), Some(Audience::Partner), "Deactivated stays visible");
}

#[test]
fn disbursements_are_seen_by_their_payee_only() {
    let w = world();
    let mut opp = released_opp(&w, recurring_terms(&w));
    let o = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(10)), 100, dec!(10)), today());
    let mut a = accept(&w.buyer.id, &o, &opp, today()).unwrap();
    let (_, [isv, partner]) = a.pay_next(&w.buyer.id, today()).unwrap();
    assert!(visibility::disbursement(&w.isv.id, &isv));
    assert!(!visibility::disbursement(&w.partner.id, &isv));
    assert!(!visibility::disbursement(&w.buyer.id, &isv));
    assert!(visibility::disbursement(&w.partner.id, &partner));
    assert!(!visibility::disbursement(&w.isv.id, &partner));
    assert!(!visibility::disbursement(&w.buyer.id, &partner));
}

// ---- Import authority: the stored record decides -------------------------------------

mod import_authority {
    use super::*;
    use cppo::domain::sync::{
        SummaryParties, check_new_authorization_on, check_offer_import, check_offer_origin, check_opportunity_import,
        check_summary_import, hidden, product_after_import,
    };

    #[test]
    fn only_the_isv_or_the_partner_that_sees_an_opportunity_imports_it_and_never_moves_it() {
        let w = world();
        let draft = draft_opp(&w, recurring_terms(&w));
        // The partner does not see the ISV's draft: a hidden record, said as nothing but taken.
        assert_eq!(check_opportunity_import(&w.partner.id, &draft, &draft, false), Err(hidden(draft.id.as_str())));
        assert!(check_opportunity_import(&w.isv.id, &draft, &draft, false).is_ok());
        let held = released_opp(&w, recurring_terms(&w));
        assert!(check_opportunity_import(&w.partner.id, &held, &held, false).is_ok());
        assert_eq!(check_opportunity_import(&w.stranger.id, &held, &held, false), Err(hidden(held.id.as_str())));
        // Neither may move it to another partner, ISV or product.
        let moved = Opportunity { partner: w.stranger.id.clone(), ..held.clone() };
        let e = check_opportunity_import(&w.isv.id, &held, &moved, false).unwrap_err();
        assert!(e.message.contains("its partner is 222222222222 in cppo"), "{}", e.message);
        let moved = Opportunity { product_id: ProductId::generate(), ..held.clone() };
        assert!(
            check_opportunity_import(&w.partner.id, &held, &moved, false).unwrap_err().message.contains("its product")
        );
        // Never back to Draft: the partner would hide its own authorization from itself.
        let back = Opportunity { state: OpportunityState::Draft, ..held.clone() };
        let e = check_opportunity_import(&w.partner.id, &held, &back, false).unwrap_err();
        assert!(e.message.contains("never moves a record back"), "{}", e.message);
        let ended = Opportunity { state: OpportunityState::Restricted, ..held.clone() };
        assert!(check_opportunity_import(&w.partner.id, &held, &ended, false).is_ok());
        // Once agreements stand on it, its terms stay as they were made; its state may move.
        assert!(check_opportunity_import(&w.isv.id, &held, &ended, true).is_ok());
        let mut repriced = held.clone();
        repriced.prices[0].wholesale_price = dec!(1);
        assert!(check_opportunity_import(&w.isv.id, &held, &repriced, false).is_ok());
        let e = check_opportunity_import(&w.isv.id, &held, &repriced, true).unwrap_err();
        assert!(e.message.contains("agreements stand on"), "{}", e.message);
    }

    #[test]
    fn only_the_partner_imports_its_offer_and_an_accepted_one_stands() {
        let w = world();
        let mut opp = released_opp(&w, recurring_terms(&w));
        let offer = released_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(20)), 10, dec!(10)), today());
        assert!(check_offer_origin(&w.partner.id, &opp).is_ok());
        assert_eq!(check_offer_origin(&w.isv.id, &opp).unwrap_err().code, ErrorCode::AccessDenied);
        assert_eq!(check_offer_origin(&w.stranger.id, &opp), Err(hidden(opp.id.as_str())));
        assert!(check_offer_import(&w.partner.id, &offer, &offer).is_ok());
        // The ISV and the buyer see it, and are told whose it is; a stranger learns nothing.
        for who in [&w.isv.id, &w.buyer.id] {
            let e = check_offer_import(who, &offer, &offer).unwrap_err();
            assert!(e.message.starts_with("only its partner (222222222222)"), "{}", e.message);
        }
        assert_eq!(check_offer_import(&w.stranger.id, &offer, &offer), Err(hidden(offer.id.as_str())));
        let unreleased = Offer { state: OfferState::Draft, ..offer.clone() };
        assert_eq!(
            check_offer_import(&w.partner.id, &offer, &unreleased).unwrap_err().code,
            ErrorCode::IncompatibleStatus
        );
        let rebought = Offer { buyer: Some(w.other_buyer.id.clone()), ..offer.clone() };
        assert!(check_offer_import(&w.partner.id, &offer, &rebought).unwrap_err().message.contains("its buyer is"));
        let accepted = Offer { agreement_id: Some(AgreementId::generate()), ..offer.clone() };
        assert!(check_offer_import(&w.partner.id, &accepted, &accepted).is_ok(), "the same version is no change");
        let repriced = Offer { markup_pct: dec!(90), ..accepted.clone() };
        let e = check_offer_import(&w.partner.id, &accepted, &repriced).unwrap_err();
        assert_eq!(e.code, ErrorCode::IncompatibleStatus);
    }

    #[test]
    fn a_product_changes_only_by_its_isv_and_its_catalog_takes_authorizations_only_from_it() {
        let w = world();
        let renamed = Product { title: "HACKED NAME".into(), ..w.product.clone() };
        assert_eq!(product_after_import(&w.isv.id, &w.product, renamed.clone(), false).unwrap().title, "HACKED NAME");
        assert_eq!(product_after_import(&w.partner.id, &w.product, renamed, false).unwrap(), w.product);
        let mut extended = w.product.clone();
        extended.dimensions.push(Dimension::new("extra", "Extra", "unit", PricingModel::Contract, None).unwrap());
        let e = product_after_import(&w.partner.id, &w.product, extended.clone(), false).unwrap_err();
        assert!(e.message.contains("no dimension `extra`"), "{}", e.message);
        assert!(product_after_import(&w.isv.id, &w.product, extended, false).is_ok());
        // Made in cppo (list prices known): the ISV's catalog.
        assert!(check_new_authorization_on(&w.isv.id, &w.product).is_ok());
        assert_eq!(check_new_authorization_on(&w.partner.id, &w.product).unwrap_err().code, ErrorCode::AccessDenied);
        let mut learned = w.product.clone();
        learned.dimensions[0].list_price = None;
        assert!(check_new_authorization_on(&w.partner.id, &learned).is_ok(), "learned from AWS");
    }

    #[test]
    fn a_summary_is_its_named_parties_who_see_it_or_else_nobodys() {
        let w = world();
        let (isv, partner, stranger) = (&w.isv.id, &w.partner.id, &w.stranger.id);
        let id = "resaleauthz-x";
        let named = SummaryParties { id, isv: Some(isv), partner: Some(partner), imported_by: partner, visible: true };
        assert!(check_summary_import(isv, id, Some(named), Some(isv), Some(partner)).is_ok());
        // A third account: refused by its own input first, learning nothing of the summary.
        let e = check_summary_import(stranger, id, Some(named), Some(isv), Some(partner)).unwrap_err();
        assert!(e.message.contains("neither its ISV"), "{}", e.message);
        assert_eq!(check_summary_import(stranger, id, Some(named), Some(isv), Some(stranger)), Err(hidden(id)));
        assert!(check_summary_import(partner, id, Some(named), Some(isv), Some(stranger)).is_err(), "never moves it");
        let missing = check_summary_import(partner, id, Some(named), None, Some(partner)).unwrap_err();
        assert!(missing.message.contains("names none"), "{}", missing.message);
        // A party that does not see it (the partner of a draft) neither reads nor writes it.
        let draft = SummaryParties { visible: false, ..named };
        assert_eq!(check_summary_import(partner, id, Some(draft), Some(isv), Some(partner)), Err(hidden(id)));
        // Naming no one, it is nobody's: its importer rewrites it, a record naming the actor
        // replaces it, and no third account writes a record naming others through it.
        let bare = SummaryParties { id: "offer-x", isv: None, partner: None, imported_by: stranger, visible: true };
        assert!(check_summary_import(stranger, "offer-x", Some(bare), None, None).is_ok());
        assert_eq!(check_summary_import(partner, "offer-x", Some(bare), None, None), Err(hidden("offer-x")));
        assert!(check_summary_import(partner, "offer-x", Some(bare), Some(isv), Some(partner)).is_ok());
        assert!(check_summary_import(stranger, "offer-x", Some(bare), Some(isv), Some(partner)).is_err());
    }

    #[test]
    fn an_imported_price_obeys_the_commands_price_rule() {
        let w = world();
        let held = released_opp(&w, recurring_terms(&w));
        let mut above = held.clone();
        above.prices[0].wholesale_price = dec!(1000.01);
        assert!(above.check_imported(&w.product).unwrap_err().message.contains("above its list price"));
        let mut usage = held.clone();
        usage.prices[0].pricing = PricingModel::Usage;
        assert_eq!(usage.check_imported(&w.product).unwrap_err().code, ErrorCode::IncompatiblePricingTerm);
        assert!(held.check_imported(&w.product).is_ok());
        // An offer never outlives its authorization's end date, imported or not.
        let mut opp = held.clone();
        let mut offer = draft_offer(&w, &mut opp, offer_terms(Some(&w.buyer), Some(d(20)), 10, dec!(10)), today());
        offer.expires_on = Some(d(31));
        assert_eq!(offer.check_imported(&opp).unwrap_err().code, ErrorCode::IncompatibleResaleAuthorization);
    }
}
