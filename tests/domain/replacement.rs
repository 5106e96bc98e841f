//! Replacement offers in the domain: what AWS checks before a partner may replace an
//! agreement (each refusal with its reason), the buyer it keeps, the new agreement's end
//! date, and what accepting it does to the old agreement.

use chrono::{NaiveDate, TimeDelta};
use cppo::domain::account::{Account, Roles};
use cppo::domain::agreement::{Agreement, AgreementStatus};
use cppo::domain::aws_agreement::{AwsAgreement, AwsAgreementStatus};
use cppo::domain::error::{ErrorCode, RuleError};
use cppo::domain::fees::FeeTable;
use cppo::domain::ids::{AccountId, AgreementId, OfferId, OpportunityId, ProductId};
use cppo::domain::money::Currency;
use cppo::domain::offer::{Offer, OfferTerms};
use cppo::domain::opportunity::{Opportunity, OpportunityKind, OpportunityTerms, WholesaleTerms};
use cppo::domain::pricing::price_offer;
use cppo::domain::product::{Dimension, Duration, PricingModel, Product, ProductType};
use cppo::domain::replacement::{Replaced, Target, check_accepted_here};
use rust_decimal::dec;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn d(n: i64) -> NaiveDate {
    today() + TimeDelta::days(n)
}

fn acct(id: &str, isv: bool, partner: bool, buyer: bool) -> Account {
    Account::new(AccountId::parse(id).unwrap(), "Someone", Roles { isv, partner, buyer }, None).unwrap()
}

struct World {
    isv: Account,
    partner: Account,
    other_partner: Account,
    buyer: Account,
    other_buyer: Account,
    product: Product,
    other_product: Product,
}

fn product(isv: &Account) -> Product {
    let dim = Dimension::new("users", "Users", "user", PricingModel::Contract, Some(dec!(1000.00))).unwrap();
    Product::new(ProductId::generate(), isv.id.clone(), "Acme Analytics", ProductType::Saas, Duration::P12M, vec![dim])
        .unwrap()
}

fn world() -> World {
    let isv = acct("111111111111", true, false, false);
    World {
        product: product(&isv),
        other_product: product(&isv),
        isv,
        partner: acct("222222222222", false, true, false),
        other_partner: acct("666666666666", false, true, false),
        buyer: acct("333333333333", false, false, true),
        other_buyer: acct("444444444444", false, false, true),
    }
}

/// A released authorization of `product` to `partner`: recurring and open to any buyer, or
/// one-time for `buyer` (a renewal authorization).
fn authorization(w: &World, product: &Product, partner: &Account, buyer: Option<&Account>) -> Opportunity {
    let terms = OpportunityTerms {
        partner: partner.id.clone(),
        name: "Acme via Reseller".into(),
        description: String::new(),
        kind: if buyer.is_some() { OpportunityKind::OneTime } else { OpportunityKind::Recurring },
        buyers: buyer.map(|b| vec![b.id.clone()]).unwrap_or_default(),
        currency: Currency::Usd,
        wholesale: WholesaleTerms::Discount(dec!(20)),
        ends_on: Some(d(200)),
        renewal: buyer.is_some(),
        installments: vec![],
        grants: vec![],
        net_payment_days: None,
        eula_url: None,
    };
    let mut o = Opportunity::draft(OpportunityId::generate(), &w.isv.id, product, partner, terms, today()).unwrap();
    o.release(&w.isv.id, today()).unwrap();
    o
}

fn terms(buyer: Option<&Account>) -> OfferTerms {
    OfferTerms {
        name: "Renewal 2028".into(),
        description: String::new(),
        buyer: buyer.map(|b| b.id.clone()),
        markup_pct: dec!(10),
        expires_on: Some(d(30)),
        quantities: vec![("users".into(), 100)],
        duration: None,
    }
}

/// The buyer's ACTIVE agreement with the partner, made by accepting an ordinary offer, with
/// its two charges: the first paid, the second due in 60 days (an installment plan is not
/// needed: the second charge is added as the store would read it back).
fn agreement(w: &World) -> (Opportunity, Agreement) {
    let mut opp = authorization(w, &w.product, &w.partner, None);
    let mut offer = Offer::draft(OfferId::generate(), &w.partner.id, &opp, terms(Some(&w.buyer)), today()).unwrap();
    opp.offers_created += 1;
    offer.release(&w.partner.id, &opp, today()).unwrap();
    let b = price_offer(&opp, &offer.quantities, offer.markup_pct, today(), FeeTable::embedded());
    let mut a = Agreement::accept(AgreementId::generate(), &w.buyer.id, &offer, &opp, &b, today()).unwrap();
    a.pay_next(&w.buyer.id, today()).unwrap();
    let mut second = a.charges[0].clone();
    second.id = cppo::domain::ChargeId::generate();
    second.due_on = d(60);
    second.paid_on = None;
    a.charges.push(second);
    (opp, a)
}

fn replacement(
    w: &World,
    actor: &Account,
    opp: &Opportunity,
    old: &Agreement,
    t: OfferTerms,
    ends: Option<NaiveDate>,
    on: NaiveDate,
) -> Result<Offer, RuleError> {
    let replaced = Replaced { agreement: Target::own(old, on), product: &w.product.id };
    Offer::draft_replacement(OfferId::generate(), &actor.id, opp, replaced, t, ends, on)
}

fn code<T>(r: Result<T, RuleError>) -> ErrorCode {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code,
    }
}

#[test]
fn a_replacement_offer_takes_the_agreements_buyer_and_its_end_date() {
    let w = world();
    let (_, old) = agreement(&w);
    let renewal = authorization(&w, &w.product, &w.partner, Some(&w.buyer));
    let offer = replacement(&w, &w.partner, &renewal, &old, terms(None), Some(d(400)), today()).unwrap();
    assert_eq!(offer.buyer.as_ref(), Some(&w.buyer.id));
    assert_eq!(offer.replaces.as_ref(), Some(&old.id));
    assert_eq!(offer.agreement_ends_on, Some(d(400)));
    // A recurring authorization open to every buyer serves as well; typing the same buyer is fine.
    let recurring = authorization(&w, &w.product, &w.partner, None);
    assert!(replacement(&w, &w.partner, &recurring, &old, terms(Some(&w.buyer)), None, today()).is_ok());
}

#[test]
fn only_the_partner_who_proposed_the_agreement_replaces_it() {
    let w = world();
    let (_, old) = agreement(&w);
    let theirs = authorization(&w, &w.product, &w.other_partner, None);
    let e = replacement(&w, &w.other_partner, &theirs, &old, terms(None), None, today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(e.message.contains("who proposed"), "{e}");
}

#[test]
fn an_agreement_that_is_not_active_cannot_be_replaced() {
    let w = world();
    let (_, mut old) = agreement(&w);
    let opp = authorization(&w, &w.product, &w.partner, None);
    // Expired at its end date.
    let at_end = old.ends_on;
    let e = replacement(&w, &w.partner, &opp, &old, terms(None), None, at_end).unwrap_err();
    assert_eq!(e.code, ErrorCode::IncompatibleStatus);
    assert!(e.message.contains("Expired"), "{e}");
    old.cancelled = true;
    let e = replacement(&w, &w.partner, &opp, &old, terms(None), None, today()).unwrap_err();
    assert!(e.message.contains("Cancelled") && e.message.contains("only an Active agreement"), "{e}");
}

#[test]
fn the_authorization_must_be_of_the_same_product_and_allow_the_buyer() {
    let w = world();
    let (_, old) = agreement(&w);
    let other_product = authorization(&w, &w.other_product, &w.partner, None);
    let e = replacement(&w, &w.partner, &other_product, &old, terms(None), None, today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::IncompatibleResaleAuthorization);
    assert!(e.message.contains("same product"), "{e}");
    let for_another = authorization(&w, &w.product, &w.partner, Some(&w.other_buyer));
    let e = replacement(&w, &w.partner, &for_another, &old, terms(None), None, today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::IncompatibleResaleAuthorization);
    assert!(e.message.contains(w.buyer.id.as_str()), "{e}");
}

#[test]
fn the_authorization_must_be_active_and_unconsumed() {
    let w = world();
    let (_, old) = agreement(&w);
    let mut used = authorization(&w, &w.product, &w.partner, Some(&w.buyer));
    used.offers_created = 1;
    assert_eq!(code(replacement(&w, &w.partner, &used, &old, terms(None), None, today())), ErrorCode::Consumed);
    let mut ended = authorization(&w, &w.product, &w.partner, None);
    ended.end(&w.isv.id, today()).unwrap();
    // Ended (Restricted): AWS's INCOMPATIBLE_RESALE_AUTHORIZATION.
    assert_eq!(
        code(replacement(&w, &w.partner, &ended, &old, terms(None), None, today())),
        ErrorCode::IncompatibleResaleAuthorization
    );
}

#[test]
fn the_buyer_of_a_replacement_offer_cannot_change() {
    let w = world();
    let (_, old) = agreement(&w);
    let opp = authorization(&w, &w.product, &w.partner, None);
    let e = replacement(&w, &w.partner, &opp, &old, terms(Some(&w.other_buyer)), None, today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::IncompatibleBuyerTargeting);
    let mut offer = replacement(&w, &w.partner, &opp, &old, terms(None), None, today()).unwrap();
    let e = offer.edit(&w.partner.id, &opp, terms(Some(&w.other_buyer)), today()).unwrap_err();
    assert!(e.message.contains("its buyer cannot change"), "{e}");
    assert_eq!(offer.buyer.as_ref(), Some(&w.buyer.id));
}

#[test]
fn the_new_agreements_end_date_must_be_after_today() {
    let w = world();
    let (_, old) = agreement(&w);
    let opp = authorization(&w, &w.product, &w.partner, None);
    let e = replacement(&w, &w.partner, &opp, &old, terms(None), Some(today()), today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("not after today"), "{e}");
    // Only a replacement offer has one.
    let mut plain = Offer::draft(OfferId::generate(), &w.partner.id, &opp, terms(Some(&w.buyer)), today()).unwrap();
    assert!(plain.set_agreement_end(&w.partner.id, Some(d(400)), today()).is_err());
}

#[test]
fn accepting_a_replacement_offer_replaces_the_agreement_and_cancels_its_unpaid_charges() {
    let w = world();
    let (_, mut old) = agreement(&w);
    let renewal = authorization(&w, &w.product, &w.partner, Some(&w.buyer));
    let mut offer = replacement(&w, &w.partner, &renewal, &old, terms(None), Some(d(500)), today()).unwrap();
    offer.release(&w.partner.id, &renewal, today()).unwrap();
    let on = d(10);
    let b = price_offer(&renewal, &offer.quantities, offer.markup_pct, on, FeeTable::embedded());
    let new = Agreement::accept(AgreementId::generate(), &w.buyer.id, &offer, &renewal, &b, on).unwrap();
    assert_eq!((new.starts_on, new.ends_on), (on, d(500)));
    assert_eq!(new.replaces.as_ref(), Some(&old.id));
    // A renewal pays the renewal listing fee (1.5%, plus 0.5 point for a partner offer).
    assert_eq!(new.fee_rate_pct, dec!(2.0));

    let cancelled = old.replace_with(&new, on).unwrap();
    assert_eq!(cancelled, vec![1]);
    assert_eq!(old.status(on), AgreementStatus::Replaced);
    assert_eq!(old.replaced_by.as_ref(), Some(&new.id));
    assert_eq!(old.charges[0].paid_on, Some(today()), "what was paid stays paid");
    assert_eq!((old.charges[1].paid_on, old.charges[1].cancelled_on), (None, Some(on)));
    assert!(old.next_unpaid().is_none());
    let e = old.pay_next(&w.buyer.id, d(60)).unwrap_err();
    assert!(e.message.contains("Replaced"), "{e}");
    // Replaced once: a second replacement of it is refused.
    assert_eq!(code(old.replace_with(&new, on)), ErrorCode::IncompatibleStatus);
}

#[test]
fn only_the_isv_grants_a_renewal_and_only_for_an_active_agreement_that_is_ending() {
    use cppo::domain::replacement::check_renewal_grant;
    let w = world();
    let (_, mut old) = agreement(&w);
    let ends = old.ends_on;
    // A year away at first: not on the radar yet.
    let e = check_renewal_grant(&w.isv.id, &old, today()).unwrap_err();
    assert_eq!(e.code, ErrorCode::IncompatibleStatus);
    assert!(e.message.contains("not within 180 days"), "{e}");
    let soon = ends - TimeDelta::days(90);
    assert!(check_renewal_grant(&w.isv.id, &old, soon).is_ok());
    let e = check_renewal_grant(&w.partner.id, &old, soon).unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(e.message.contains("only 111111111111, the ISV"), "{e}");
    old.cancelled = true;
    let e = check_renewal_grant(&w.isv.id, &old, soon).unwrap_err();
    assert!(e.message.contains("Cancelled"), "{e}");
}

/// The agreement `old` as AWS would hold it after an import: its id, proposer, acceptor.
fn on_aws(old: &Agreement, status: AwsAgreementStatus) -> AwsAgreement {
    AwsAgreement {
        id: AgreementId::parse("agmt-4nd8kq2ws7x1zrenew0000001").unwrap(),
        offer_id: None,
        proposer: old.partner.clone(),
        acceptor: old.buyer.clone(),
        isv: None,
        product_id: None,
        product_type: None,
        agreement_type: Some("PurchaseAgreement".into()),
        status,
        accepted_at: None,
        starts_at: None,
        ends_at: None,
        value: None,
        charges: Vec::new(),
        version: 0,
    }
}

#[test]
fn an_agreement_aws_holds_is_replaced_by_the_same_rules_and_accepted_on_aws() {
    let w = world();
    let (_, old) = agreement(&w);
    let renewal = authorization(&w, &w.product, &w.partner, Some(&w.buyer));
    let draft = |a: &AwsAgreement, actor: &Account| {
        let replaced = Replaced { agreement: Target::aws(a), product: &w.product.id };
        Offer::draft_replacement(OfferId::generate(), &actor.id, &renewal, replaced, terms(None), None, today())
    };
    let active = on_aws(&old, AwsAgreementStatus::Active);
    let offer = draft(&active, &w.partner).unwrap();
    assert_eq!((offer.buyer.as_ref(), offer.replaces.as_ref()), (Some(&w.buyer.id), Some(&active.id)));
    // AWS's own word decides; only its proposer replaces it.
    for status in [AwsAgreementStatus::Terminated, AwsAgreementStatus::Renewed, AwsAgreementStatus::Expired] {
        let e = draft(&on_aws(&old, status), &w.partner).unwrap_err();
        assert_eq!(e.code, ErrorCode::IncompatibleStatus);
        assert!(e.message.contains(status.label()) && e.message.contains("only an Active agreement"), "{e}");
    }
    assert_eq!(code(draft(&active, &w.other_partner)), ErrorCode::AccessDenied);
    // Its buyer accepts it on AWS; a replacement of cppo's own agreement is accepted here.
    let e = check_accepted_here(&offer, true).unwrap_err();
    assert!(e.message.contains("accepts it on AWS"), "{e}");
    assert!(check_accepted_here(&offer, false).is_ok());
}
