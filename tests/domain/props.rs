//! Property tests of the domain: money always adds up to the cent (or yen), and no random
//! sequence of actions by random accounts reaches a state DOMAIN.md forbids.

use chrono::{NaiveDate, TimeDelta};
use cppo::domain::account::{Account, Roles};
use cppo::domain::agreement::Agreement;
use cppo::domain::error::ErrorCode;
use cppo::domain::fees::FeeTable;
use cppo::domain::ids::{AccountId, AgreementId, OfferId, OpportunityId, ProductId};
use cppo::domain::money::{Currency, Money};
use cppo::domain::offer::{Offer, OfferState, OfferStatus, OfferTerms};
use cppo::domain::opportunity::{Opportunity, OpportunityKind, OpportunityState, OpportunityTerms, WholesaleTerms};
use cppo::domain::pricing::{Breakdown, price_offer, split_charge};
use cppo::domain::product::{Dimension, Duration as ContractDuration, PricingModel, Product, ProductType};
use cppo::domain::visibility::{self, Audience};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::{Decimal, RoundingStrategy, dec};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn config(cases: u32) -> Config {
    // No regression files: this suite only owns its two test files.
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn account(id: &str, roles: Roles) -> Account {
    Account::new(AccountId::parse(id).unwrap(), &format!("Account {id}"), roles, None).unwrap()
}

/// Half-up rounding, written out here so the test does not reuse the code it checks.
fn half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

fn sum(items: impl Iterator<Item = Money>, currency: Currency) -> Money {
    items.fold(Money::zero(currency), Money::plus)
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/// A decimal in `0..=max` with up to `max_scale` decimals.
fn decimal_upto(max: i64, max_scale: u32) -> impl Strategy<Value = Decimal> {
    (0..=max_scale).prop_flat_map(move |scale| (0..=max * 10i64.pow(scale)).prop_map(move |m| Decimal::new(m, scale)))
}

fn list_price() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(dec!(0)),
        Just(dec!(0.000001)),
        Just(dec!(1000000)),
        decimal_upto(1_000_000, 6),
        decimal_upto(1_000, 6),
        decimal_upto(1, 6),
    ]
}

fn discount_pct() -> impl Strategy<Value = Decimal> {
    prop_oneof![Just(dec!(0)), Just(dec!(100)), decimal_upto(100, 6)]
}

fn markup_pct() -> impl Strategy<Value = Decimal> {
    prop_oneof![Just(dec!(0)), Just(dec!(1000)), decimal_upto(1_000, 9), decimal_upto(5, 9)]
}

/// Installment amounts as integer minor units (cents, or yen for JPY).
fn installment_units() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), 0..=1_000i64, 0..=100_000_000i64]
}

struct Priced {
    opportunity: Opportunity,
    offer: Offer,
    breakdown: Breakdown,
}

/// Builds a product, an opportunity and an offer through the public constructors, and prices
/// the offer.
fn priced(
    currency: Currency,
    lines: &[(Decimal, u64)],
    usage_list: Option<Decimal>,
    discount: Decimal,
    markup: Decimal,
    schedule: Option<&[i64]>,
) -> Result<Priced, TestCaseError> {
    let isv = account("111111111111", Roles { isv: true, ..Roles::default() });
    let partner = account("222222222222", Roles { partner: true, ..Roles::default() });
    let buyer = AccountId::parse("333333333333").unwrap();
    let mut dims: Vec<Dimension> = lines
        .iter()
        .enumerate()
        .map(|(i, (list, _))| {
            Dimension::new(&format!("d{i}"), "Seats", "seat", PricingModel::Contract, Some(*list)).unwrap()
        })
        .collect();
    // Usage pricing exists in USD only.
    if let (Some(list), Currency::Usd) = (usage_list, currency) {
        dims.push(Dimension::new("calls", "API calls", "call", PricingModel::Usage, Some(list)).unwrap());
    }
    let product =
        Product::new(ProductId::generate(), isv.id.clone(), "Product", ProductType::Saas, ContractDuration::P12M, dims)
            .unwrap();
    let installments: Vec<(NaiveDate, Decimal)> = schedule
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(k, units)| (today() + TimeDelta::days(2 + 30 * k as i64), Decimal::new(*units, currency.minor_digits())))
        .collect();
    let one_time = schedule.is_some();
    // An installment plan grants the units it sells (at least one each); without one the
    // partner plans them.
    let units = |q: u64| if one_time { q.max(1) } else { q };
    let terms = OpportunityTerms {
        partner: partner.id.clone(),
        name: "Opportunity".into(),
        description: String::new(),
        kind: if one_time { OpportunityKind::OneTime } else { OpportunityKind::Recurring },
        buyers: if one_time { vec![buyer.clone()] } else { vec![] },
        currency,
        wholesale: WholesaleTerms::Discount(discount),
        ends_on: one_time.then(|| today() + TimeDelta::days(1)),
        renewal: false,
        installments,
        grants: if one_time {
            lines.iter().enumerate().map(|(i, (_, q))| (format!("d{i}"), units(*q))).collect()
        } else {
            vec![]
        },
        net_payment_days: None,
        eula_url: None,
    };
    let mut opportunity = Opportunity::draft(OpportunityId::generate(), &isv.id, &product, &partner, terms, today())
        .map_err(|e| TestCaseError::fail(format!("draft opportunity: {e}")))?;
    opportunity.release(&isv.id, today()).map_err(|e| TestCaseError::fail(format!("release opportunity: {e}")))?;
    let offer_terms = OfferTerms {
        name: "Offer".into(),
        description: String::new(),
        buyer: Some(buyer),
        markup_pct: markup,
        expires_on: Some(today() + TimeDelta::days(1)),
        quantities: lines.iter().enumerate().map(|(i, (_, q))| (format!("d{i}"), units(*q))).collect(),
        duration: None,
    };
    let offer = Offer::draft(OfferId::generate(), &partner.id, &opportunity, offer_terms, today())
        .map_err(|e| TestCaseError::fail(format!("draft offer: {e}")))?;
    opportunity.offers_created += 1;
    let breakdown = price_offer(&opportunity, &offer.quantities, offer.markup_pct, today(), FeeTable::embedded());
    Ok(Priced { opportunity, offer, breakdown })
}

/// Every amount of a breakdown, with its name.
fn amounts(b: &Breakdown) -> Vec<Money> {
    let mut v = vec![b.wholesale_total, b.buyer_total, b.listing_fee, b.isv_net, b.partner_net];
    v.extend(b.list_total);
    for l in &b.lines {
        v.extend([l.wholesale_total, l.buyer_total]);
        v.extend(l.list_total);
    }
    for c in &b.charges {
        v.extend([c.wholesale, c.buyer]);
    }
    v
}

proptest! {
    #![proptest_config(config(256))]

    /// At the extremes (the largest unit price, quantity and markup, in every currency) a
    /// breakdown is either within what the file holds, every amount non-negative and stored
    /// exactly in minor units, or refused by `check_amounts` naming the limit; never wrapped.
    #[test]
    fn amounts_at_the_extremes_fit_the_file_or_are_refused(
        currency in prop::sample::select(Currency::ALL.to_vec()),
        price in prop_oneof![Just(cppo::domain::money::MAX_UNIT_PRICE), decimal_upto(100_000_000, 2)],
        quantity in prop_oneof![Just(cppo::domain::offer::MAX_QUANTITY), 1u64..=cppo::domain::offer::MAX_QUANTITY],
        markup in prop_oneof![Just(cppo::domain::money::MAX_MARKUP_PCT), decimal_upto(10_000, 2)],
        lines in 1usize..=3,
    ) {
        let price = if currency == Currency::Jpy { price.trunc() } else { price };
        let p = priced(currency, &vec![(price, quantity); lines], None, Decimal::ZERO, markup, None)?;
        let max = cppo::domain::money::MAX_AMOUNT;
        match p.breakdown.check_amounts() {
            Ok(()) => {
                for m in amounts(&p.breakdown) {
                    prop_assert!(m.amount() >= Decimal::ZERO && m.amount() <= max, "{m:?}");
                    prop_assert_eq!(Money::from_minor(m.minor_units(), currency), m);
                }
            }
            Err(e) => {
                prop_assert!(amounts(&p.breakdown).iter().any(|m| m.amount() > max), "refused within limits: {e}");
                prop_assert!(e.message.contains("more than cppo can hold"), "{}", e.message);
            }
        }
    }

    #[test]
    fn every_charge_splits_exactly_and_the_buyer_never_pays_below_wholesale(
        currency in prop::sample::select(Currency::ALL.to_vec()),
        lines in prop::collection::vec((list_price(), prop_oneof![0u64..=10, 0u64..=10_000]), 1..=3),
        usage_list in prop::option::of(decimal_upto(10, 8)),
        discount in discount_pct(),
        markup in markup_pct(),
        schedule in prop::option::of(prop::collection::vec(installment_units(), 1..=6)),
    ) {
        let Priced { opportunity, mut offer, breakdown: b } =
            priced(currency, &lines, usage_list, discount, markup, schedule.as_deref())?;
        let minor = currency.minor_digits();
        let factor = Decimal::ONE + markup / Decimal::ONE_HUNDRED;
        prop_assert_eq!(b.currency, currency);

        // Unit prices and line totals, per DOMAIN.md's formulas.
        for line in &b.lines {
            let q = Decimal::from(line.quantity);
            // Unit prices keep 6 decimals; usage rates keep 8.
            let digits = if line.pricing == PricingModel::Usage { 8 } else { 6 };
            // An installment plan's granted units cost 0: its schedule carries the value.
            let discounted = half_up(line.list_unit.unwrap() * (Decimal::ONE - discount / Decimal::ONE_HUNDRED), digits);
            let granted = schedule.is_some() && line.pricing == PricingModel::Contract;
            prop_assert_eq!(line.wholesale_unit, if granted { Decimal::ZERO } else { discounted });
            prop_assert_eq!(line.buyer_unit, half_up(line.wholesale_unit * factor, digits));
            prop_assert!(Some(line.wholesale_unit) <= line.list_unit, "{:?}", line);
            prop_assert!(line.buyer_unit >= line.wholesale_unit, "buyer unit below wholesale: {:?}", line);
            prop_assert!(line.buyer_total >= line.wholesale_total, "buyer line below wholesale: {:?}", line);
            prop_assert_eq!(line.wholesale_total.amount(), half_up(q * line.wholesale_unit, minor));
            prop_assert_eq!(line.buyer_total.amount(), half_up(q * line.buyer_unit, minor));
            if line.pricing == PricingModel::Usage {
                prop_assert_eq!(line.quantity, 0);
            }
        }

        // The charge plan.
        match &schedule {
            None => {
                prop_assert_eq!(b.charges.len(), 1);
                prop_assert_eq!(b.charges[0].due_on, None);
                prop_assert_eq!(b.charges[0].wholesale, sum(b.lines.iter().map(|l| l.wholesale_total), currency));
                prop_assert_eq!(b.charges[0].buyer, sum(b.lines.iter().map(|l| l.buyer_total), currency));
            }
            Some(units) => {
                prop_assert_eq!(b.charges.len(), units.len());
                for (c, u) in b.charges.iter().zip(units) {
                    prop_assert_eq!(c.wholesale.minor_units(), *u);
                    prop_assert_eq!(c.buyer.amount(), half_up(c.wholesale.amount() * factor, minor));
                    prop_assert!(c.due_on.is_some());
                }
            }
        }

        // Every charge splits into fee + ISV + partner == what the buyer pays, exactly.
        let mut fees = Money::zero(currency);
        for c in &b.charges {
            prop_assert!(c.buyer >= c.wholesale, "charge below wholesale: {:?}", c);
            prop_assert_eq!(c.buyer.amount().scale(), minor);
            let s = split_charge(c.buyer, c.wholesale, b.fee_rate_pct);
            prop_assert_eq!(s.isv.plus(s.partner).plus(s.listing_fee), c.buyer, "{:?} of {:?}", s, c);
            prop_assert_eq!(s.listing_fee.amount(), half_up(c.wholesale.amount() * b.fee_rate_pct / Decimal::ONE_HUNDRED, minor));
            prop_assert!(s.listing_fee.amount() >= Decimal::ZERO && s.isv.amount() >= Decimal::ZERO && s.partner.amount() >= Decimal::ZERO, "{:?}", s);
            fees = fees.plus(s.listing_fee);
        }

        // Totals are the sums of the charges.
        prop_assert_eq!(b.wholesale_total, sum(b.charges.iter().map(|c| c.wholesale), currency));
        prop_assert_eq!(b.buyer_total, sum(b.charges.iter().map(|c| c.buyer), currency));
        prop_assert_eq!(b.listing_fee, fees);
        prop_assert_eq!(b.isv_net.plus(b.partner_net).plus(b.listing_fee), b.buyer_total);
        prop_assert!(b.buyer_total >= b.wholesale_total);

        // The tier follows the wholesale contract value (SaaS, not a renewal), plus 0.5 point.
        let w = b.wholesale_total.amount();
        let tier = if w < dec!(1000000) { dec!(3.5) } else if w < dec!(10000000) { dec!(2.5) } else { dec!(2.0) };
        prop_assert_eq!(b.fee_rate_pct, tier);

        // Accept and pay everything: the disbursements and fees add up to the contract value.
        let buyer = offer.buyer.clone().unwrap();
        let sells_something = schedule.is_some() || offer.quantities.iter().any(|(_, q)| *q > 0);
        let partner = offer.partner.clone();
        let released = offer.release(&partner, &opportunity, today());
        if !sells_something {
            prop_assert_eq!(released.map_err(|e| e.code), Err(ErrorCode::MissingMandatoryTerms));
            return Ok(());
        }
        prop_assert!(released.is_ok(), "{:?}", released);
        let mut a = Agreement::accept(AgreementId::generate(), &buyer, &offer, &opportunity, &b, today())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(a.total, b.buyer_total);
        let far = today() + TimeDelta::days(3650);
        let (mut paid, mut isv_sum, mut partner_sum, mut fee_sum) =
            (0, Money::zero(currency), Money::zero(currency), Money::zero(currency));
        loop {
            match a.pay_next(&buyer, far) {
                Ok((idx, [isv, partner])) => {
                    prop_assert_eq!(idx, paid);
                    let fee = isv.listing_fee.unwrap();
                    prop_assert_eq!(isv.amount.plus(partner.amount).plus(fee), a.charges[idx].amount);
                    isv_sum = isv_sum.plus(isv.amount);
                    partner_sum = partner_sum.plus(partner.amount);
                    fee_sum = fee_sum.plus(fee);
                    paid += 1;
                }
                Err(e) => {
                    prop_assert_eq!(e.code, ErrorCode::NothingDue);
                    break;
                }
            }
        }
        prop_assert_eq!(paid, b.charges.len());
        prop_assert_eq!(isv_sum, b.isv_net);
        prop_assert_eq!(partner_sum, b.partner_net);
        prop_assert_eq!(fee_sum, b.listing_fee);
        prop_assert_eq!(isv_sum.plus(partner_sum).plus(fee_sum), a.total);
    }
}

// ---------------------------------------------------------------------------------------------
// Random action sequences
// ---------------------------------------------------------------------------------------------

const ISV: usize = 0;
const PARTNER: usize = 1;
const BUYER1: usize = 2;
const BUYER2: usize = 3;
const STRANGER: usize = 4;
const ACCOUNTS: usize = 5;
/// In an `Accept`, stands for the offer's own buyer.
const ADDRESSEE: usize = ACCOUNTS;

/// Index of the recurring and of the one-time opportunity.
const RECURRING: usize = 0;
const ONE_TIME: usize = 1;

#[derive(Debug, Clone)]
enum Action {
    CreateOffer { actor: usize, opp: usize, buyer: Option<usize>, expires_in: Option<i64>, qty: u64 },
    Release { actor: usize, offer: usize },
    Cancel { actor: usize, offer: usize },
    Extend { actor: usize, offer: usize, days: i64 },
    Accept { actor: usize, offer: usize },
    EndOpportunity { actor: usize, opp: usize },
    AdvanceDays(i64),
}

/// Any of the five accounts.
fn anyone() -> impl Strategy<Value = usize> {
    0..ACCOUNTS
}

/// Mostly the partner (so that offers get made and released), sometimes anyone.
fn mostly_partner() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(PARTNER), 2 => anyone()]
}

/// Mostly the offer's own buyer (resolved when the action runs), sometimes anyone.
fn mostly_addressee() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(ADDRESSEE), 2 => anyone()]
}

/// Which offer: 0 is the latest one made, 1 the one before, and so on (wrapping around).
fn which_offer() -> impl Strategy<Value = usize> {
    prop_oneof![2 => Just(0usize), 2 => 0usize..8]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        5 => (
            mostly_partner(),
            0usize..2,
            prop::option::weighted(
                0.9,
                prop_oneof![3 => Just(BUYER1), 2 => Just(BUYER2), 1 => Just(STRANGER), 1 => Just(PARTNER)]
            ),
            prop::option::weighted(0.9, -1i64..=9),
            0u64..=3,
        )
            .prop_map(|(actor, opp, buyer, expires_in, qty)| Action::CreateOffer { actor, opp, buyer, expires_in, qty }),
        5 => (mostly_partner(), which_offer()).prop_map(|(actor, offer)| Action::Release { actor, offer }),
        1 => (mostly_partner(), which_offer()).prop_map(|(actor, offer)| Action::Cancel { actor, offer }),
        1 => (mostly_partner(), which_offer(), 0i64..=5)
            .prop_map(|(actor, offer, days)| Action::Extend { actor, offer, days }),
        5 => (mostly_addressee(), which_offer()).prop_map(|(actor, offer)| Action::Accept { actor, offer }),
        1 => (anyone(), 0usize..2).prop_map(|(actor, opp)| Action::EndOpportunity { actor, opp }),
        2 => (1i64..=2).prop_map(Action::AdvanceDays),
    ]
}

/// The "store": plain vectors, changed only the way a store would after a rule said yes.
struct Sim {
    accounts: Vec<Account>,
    today: NaiveDate,
    step: usize,
    opps: Vec<Opportunity>,
    /// The step at which each opportunity was ended.
    ended_at: Vec<Option<usize>>,
    offers: Vec<Offer>,
    /// The step at which each offer was created.
    created_at: Vec<usize>,
    agreements: Vec<Agreement>,
    /// How many actions the rules accepted.
    done: usize,
}

impl Sim {
    fn new() -> Self {
        let roles = [
            Roles { isv: true, ..Roles::default() },
            Roles { partner: true, ..Roles::default() },
            Roles { buyer: true, ..Roles::default() },
            Roles { buyer: true, ..Roles::default() },
            Roles { buyer: true, ..Roles::default() },
        ];
        let accounts: Vec<Account> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| account(&format!("{}", 100_000_000_000u64 * (i as u64 + 1)), *r))
            .collect();
        let product = Product::new(
            ProductId::generate(),
            accounts[ISV].id.clone(),
            "Product",
            ProductType::Saas,
            ContractDuration::P12M,
            vec![Dimension::new("users", "Users", "user", PricingModel::Contract, Some(dec!(1000))).unwrap()],
        )
        .unwrap();
        let terms = |kind, buyers: Vec<AccountId>, ends_in: i64| OpportunityTerms {
            partner: accounts[PARTNER].id.clone(),
            name: "Opportunity".into(),
            description: String::new(),
            kind,
            buyers,
            currency: Currency::Usd,
            wholesale: WholesaleTerms::Discount(dec!(20)),
            ends_on: Some(today() + TimeDelta::days(ends_in)),
            renewal: false,
            installments: vec![],
            grants: vec![],
            net_payment_days: None,
            eula_url: None,
        };
        let opps: Vec<Opportunity> = [
            terms(OpportunityKind::Recurring, vec![], 12),
            terms(OpportunityKind::OneTime, vec![accounts[BUYER1].id.clone()], 8),
        ]
        .into_iter()
        .map(|t| {
            let mut o = Opportunity::draft(
                OpportunityId::generate(),
                &accounts[ISV].id,
                &product,
                &accounts[PARTNER],
                t,
                today(),
            )
            .unwrap();
            o.release(&accounts[ISV].id, today()).unwrap();
            o
        })
        .collect();
        Sim {
            accounts,
            today: today(),
            step: 0,
            opps,
            ended_at: vec![None, None],
            offers: vec![],
            created_at: vec![],
            agreements: vec![],
            done: 0,
        }
    }

    fn id(&self, who: usize) -> &AccountId {
        &self.accounts[who].id
    }

    fn opp_of(&self, offer: &Offer) -> usize {
        self.opps.iter().position(|o| o.id == offer.opportunity_id).expect("every offer has its opportunity")
    }

    /// `true` when the opportunity can give an offer today (a reference model of the rule).
    fn opp_usable(&self, i: usize) -> bool {
        let o = &self.opps[i];
        o.state == OpportunityState::Active && o.ends_on.is_none_or(|e| self.today <= e)
    }

    fn expiry_fits(&self, opp: usize, exp: NaiveDate) -> bool {
        exp >= self.today && self.opps[opp].ends_on.is_none_or(|end| exp <= end)
    }

    fn apply(&mut self, action: &Action) -> Result<(), TestCaseError> {
        self.step += 1;
        let today = self.today;
        match *action {
            Action::AdvanceDays(n) => {
                self.today = today + TimeDelta::days(n);
            }
            Action::CreateOffer { actor, opp, buyer, expires_in, qty } => {
                let o = &self.opps[opp];
                let expires_on = expires_in.map(|n| today + TimeDelta::days(n));
                let buyer_ok = match buyer {
                    None => true,
                    Some(b) => b != PARTNER && (o.kind == OpportunityKind::Recurring || b == BUYER1),
                };
                let expected = actor == PARTNER
                    && self.opp_usable(opp)
                    && !(o.kind == OpportunityKind::OneTime && o.offers_created > 0)
                    && buyer_ok
                    && expires_on.is_none_or(|e| self.expiry_fits(opp, e));
                let terms = OfferTerms {
                    name: "Offer".into(),
                    description: String::new(),
                    buyer: buyer.map(|b| self.id(b).clone()),
                    markup_pct: dec!(7.5),
                    expires_on,
                    quantities: vec![("users".into(), qty)],
                    duration: None,
                };
                let r = Offer::draft(OfferId::generate(), self.id(actor), o, terms, today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if let Ok(offer) = r {
                    // Never from an ended, expired or consumed opportunity.
                    prop_assert_eq!(o.state, OpportunityState::Active);
                    prop_assert!(!o.is_expired(today) && !o.is_consumed());
                    prop_assert_eq!(offer.state, OfferState::Draft);
                    if o.kind == OpportunityKind::OneTime {
                        prop_assert_eq!(offer.buyer.as_ref(), Some(self.id(BUYER1)));
                    }
                    self.opps[opp].offers_created += 1;
                    self.offers.push(offer);
                    self.created_at.push(self.step);
                    self.done += 1;
                }
            }
            Action::Release { actor, offer } => {
                let Some(i) = self.pick(offer) else { return Ok(()) };
                let of = &self.offers[i];
                let opp = self.opp_of(of);
                let expected = actor == PARTNER
                    && of.state == OfferState::Draft
                    && of.buyer.is_some()
                    && of.expires_on.is_some_and(|e| self.expiry_fits(opp, e))
                    && self.opp_usable(opp)
                    && of.quantities.iter().any(|(_, q)| *q > 0);
                let mut next = of.clone();
                let r = next.release(self.id(actor), &self.opps[opp], today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if r.is_ok() {
                    prop_assert_eq!(next.state, OfferState::Released);
                    self.offers[i] = next;
                    self.done += 1;
                } else {
                    prop_assert_eq!(&next, &self.offers[i], "a refused release changed the offer");
                }
            }
            Action::Cancel { actor, offer } => {
                let Some(i) = self.pick(offer) else { return Ok(()) };
                let of = &self.offers[i];
                let open = of.state == OfferState::Released
                    && of.agreement_id.is_none()
                    && of.expires_on.is_some_and(|e| today <= e);
                let expected = actor == PARTNER && open;
                let mut next = of.clone();
                let r = next.cancel(self.id(actor), today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if r.is_ok() {
                    // Withdrawn, not lapsed: its own status.
                    prop_assert_eq!(next.status(today), OfferStatus::Cancelled);
                    self.offers[i] = next;
                    self.done += 1;
                }
            }
            Action::Extend { actor, offer, days } => {
                let Some(i) = self.pick(offer) else { return Ok(()) };
                let of = &self.offers[i];
                let opp = self.opp_of(of);
                let Some(cur) = of.expires_on else { return Ok(()) };
                let to = cur + TimeDelta::days(days);
                // Offers keep what they have when their opportunity ends or expires, but get
                // no new availability from it.
                let usable = self.opps[opp].state == OpportunityState::Active
                    && self.opps[opp].ends_on.is_none_or(|e| today <= e);
                let expected = actor == PARTNER
                    && of.state == OfferState::Released
                    && of.agreement_id.is_none()
                    && to > cur
                    && usable
                    && self.expiry_fits(opp, to);
                let mut next = of.clone();
                let r = next.extend(self.id(actor), &self.opps[opp], to, today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if r.is_ok() {
                    prop_assert_eq!(next.expires_on, Some(to));
                    self.offers[i] = next;
                    self.done += 1;
                }
            }
            Action::Accept { actor, offer } => {
                let Some(i) = self.pick(offer) else { return Ok(()) };
                let of = &self.offers[i];
                let actor = if actor == ADDRESSEE {
                    of.buyer.as_ref().and_then(|b| self.accounts.iter().position(|a| a.id == *b)).unwrap_or(STRANGER)
                } else {
                    actor
                };
                let opp = &self.opps[self.opp_of(of)];
                let expected = of.buyer.as_ref() == Some(self.id(actor))
                    && of.state == OfferState::Released
                    && of.agreement_id.is_none()
                    && of.expires_on.is_some_and(|e| today <= e);
                let b = price_offer(opp, &of.quantities, of.markup_pct, today, FeeTable::embedded());
                let r = Agreement::accept(AgreementId::generate(), self.id(actor), of, opp, &b, today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if let Ok(a) = r {
                    // Never an expired or draft offer; the agreement's buyer is the offer's.
                    prop_assert_eq!(of.status(today), OfferStatus::Active);
                    prop_assert_eq!(Some(&a.buyer), of.buyer.as_ref());
                    prop_assert_eq!(&a.offer_id, &of.id);
                    self.offers[i].agreement_id = Some(a.id.clone());
                    self.agreements.push(a);
                    self.done += 1;
                }
            }
            Action::EndOpportunity { actor, opp } => {
                let expected = (actor == ISV || actor == PARTNER) && self.opp_usable(opp);
                let mut next = self.opps[opp].clone();
                let r = next.end(self.id(actor), today);
                prop_assert_eq!(r.is_ok(), expected, "{:?}: {:?}", action, r);
                if r.is_ok() {
                    prop_assert_eq!(next.state, OpportunityState::Restricted);
                    prop_assert_eq!(next.ended_by.as_ref(), Some(self.id(actor)));
                    self.opps[opp] = next;
                    self.ended_at[opp] = Some(self.step);
                    self.done += 1;
                }
            }
        }
        self.check_invariants()
    }

    /// The `n`-th most recent offer, wrapping around.
    fn pick(&self, n: usize) -> Option<usize> {
        let len = self.offers.len();
        (len > 0).then(|| len - 1 - n % len)
    }

    fn check_invariants(&self) -> Result<(), TestCaseError> {
        let today = self.today;
        // Offers counted on their opportunity; never two from the one-time one.
        for (i, o) in self.opps.iter().enumerate() {
            let made = self.offers.iter().filter(|of| of.opportunity_id == o.id).count();
            prop_assert_eq!(o.offers_created as usize, made, "opportunity {}", i);
            if o.kind == OpportunityKind::OneTime {
                prop_assert!(made <= 1, "{} offers from a one-time opportunity", made);
            }
            // Buyers never see opportunities.
            for b in [BUYER1, BUYER2, STRANGER] {
                prop_assert_eq!(visibility::opportunity(self.id(b), o), None);
            }
        }
        for (i, of) in self.offers.iter().enumerate() {
            let opp_i = self.opp_of(of);
            let opp = &self.opps[opp_i];
            // Made before its opportunity was ended, and within its end date.
            if let Some(ended) = self.ended_at[opp_i] {
                prop_assert!(self.created_at[i] < ended, "offer {} made after its opportunity was ended", i);
            }
            if let Some(end) = opp.ends_on {
                prop_assert!(of.created_on <= end, "offer {} made after its opportunity expired", i);
                if let Some(exp) = of.expires_on {
                    prop_assert!(exp <= end, "offer {} outlives its opportunity", i);
                }
            }
            prop_assert_ne!(of.buyer.as_ref(), Some(self.id(PARTNER)));
            if !opp.buyers.is_empty()
                && let Some(b) = &of.buyer
            {
                prop_assert!(opp.buyers.contains(b));
            }
            // Visibility: each buyer sees only released offers addressed to it; drafts are
            // the partner's own.
            prop_assert_eq!(visibility::offer(self.id(PARTNER), of), Some(Audience::Partner));
            let released = of.state == OfferState::Released;
            prop_assert_eq!(visibility::offer(self.id(ISV), of), released.then_some(Audience::Isv));
            for b in [BUYER1, BUYER2, STRANGER] {
                let addressed = of.buyer.as_ref() == Some(self.id(b));
                prop_assert_eq!(
                    visibility::offer(self.id(b), of),
                    (released && addressed).then_some(Audience::Buyer),
                    "offer {} seen by account {}",
                    i,
                    b
                );
            }
            // An offer is Accepted exactly when one agreement points to it.
            let agreements: Vec<&Agreement> = self.agreements.iter().filter(|a| a.offer_id == of.id).collect();
            prop_assert!(agreements.len() <= 1, "offer {} accepted {} times", i, agreements.len());
            prop_assert_eq!(of.agreement_id.as_ref(), agreements.first().map(|a| &a.id));
            prop_assert_eq!(of.status(today) == OfferStatus::Accepted, agreements.len() == 1);
        }
        for a in &self.agreements {
            let of = self.offers.iter().find(|o| o.id == a.offer_id).expect("agreement has its offer");
            prop_assert_eq!(Some(&a.buyer), of.buyer.as_ref(), "agreement buyer differs from the offer's");
            prop_assert_eq!((&a.partner, &a.isv), (&of.partner, &of.isv));
            prop_assert_eq!(of.state, OfferState::Released);
            prop_assert!(of.expires_on.is_some_and(|e| a.starts_on <= e), "accepted after expiry");
            prop_assert!(a.starts_on >= of.created_on);
            for v in 0..ACCOUNTS {
                let party = [&a.isv, &a.partner, &a.buyer].contains(&self.id(v));
                prop_assert_eq!(visibility::agreement(self.id(v), a).is_some(), party);
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn random_action_sequences_never_reach_a_forbidden_state(
        actions in prop::collection::vec(action(), 1..=30),
    ) {
        let mut sim = Sim::new();
        for action in &actions {
            sim.apply(action)?;
        }
    }
}

/// The generator is only useful if sequences get far: over many seeds, offers are made,
/// released, accepted and opportunities ended and consumed.
#[test]
fn random_sequences_reach_every_interesting_state() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(action(), 30);
    let (mut agreements, mut consumed, mut reused, mut ended, mut expired_offers, mut expired_opps, mut done) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut cancelled_offers = 0;
    for _ in 0..128 {
        let actions = strategy.new_tree(&mut runner).unwrap().current();
        let mut sim = Sim::new();
        for a in &actions {
            sim.apply(a).unwrap();
        }
        agreements += sim.agreements.len();
        consumed += usize::from(sim.opps[ONE_TIME].offers_created == 1);
        reused += usize::from(sim.opps[RECURRING].offers_created > 1);
        done += sim.done;
        ended += sim.ended_at.iter().flatten().count();
        expired_offers += sim.offers.iter().filter(|o| o.status(sim.today) == OfferStatus::Expired).count();
        cancelled_offers += sim.offers.iter().filter(|o| o.status(sim.today) == OfferStatus::Cancelled).count();
        expired_opps += sim.opps.iter().filter(|o| o.is_expired(sim.today)).count();
    }
    println!(
        "agreements {agreements}, consumed {consumed}, reused {reused}, ended {ended}, \
         expired offers {expired_offers}, cancelled offers {cancelled_offers}, expired opportunities {expired_opps}, \
         accepted actions {done}"
    );
    assert!(agreements > 30, "agreements: {agreements}");
    assert!(consumed > 25, "consumed one-time opportunities: {consumed}");
    assert!(reused > 30, "recurring opportunities with several offers: {reused}");
    assert!(ended > 30, "ended opportunities: {ended}");
    assert!(expired_offers > 8, "expired offers: {expired_offers}");
    assert!(cancelled_offers > 3, "cancelled offers: {cancelled_offers}");
    assert!(expired_opps > 5, "expired opportunities: {expired_opps}");
}
