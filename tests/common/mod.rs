//! Shared fixtures: a marketplace on a real temporary file with the worked example's cast.
#![allow(dead_code, reason = "each test binary uses a different part of the fixture")]

use std::path::PathBuf;

use chrono::NaiveDate;
use cppo::domain::offer::OfferTerms;
use cppo::domain::opportunity::{OpportunityKind, OpportunityTerms, WholesaleTerms};
use cppo::domain::product::Duration;
use cppo::domain::{AccountId, Currency, Dimension, FixedClock, OpportunityId, ProductId, ProductType, Roles};
use cppo::market::{ImportOptions, Market, Outcome};
use rust_decimal::Decimal;
use rust_decimal::dec;

#[path = "../support/aws_answers.rs"]
pub mod aws_answers;

pub const ISV: &str = "111111111111";
pub const PARTNER: &str = "222222222222";
pub const BUYER: &str = "333333333333";
pub const OTHER_BUYER: &str = "444444444444";
pub const STRANGER: &str = "555555555555";

pub fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

/// The opportunity or offer `s` names, as an export takes it.
pub fn record(s: &str) -> cppo::domain::RecordId {
    cppo::domain::RecordId::parse(s).unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub const TODAY: &str = "2026-11-26";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub market: Market,
    pub product: ProductId,
}

impl Fixture {
    /// Accounts (ISV, partner, two buyers, a stranger) and a product: 1,000.00 per user, P12M.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cppo.db");
        let mut market = Market::open(&path, Box::new(FixedClock::on(day(TODAY)))).unwrap();
        let roles = |isv, partner, buyer| Roles { isv, partner, buyer };
        for (a, name, r) in [
            (ISV, "Acme Analytics Inc.", roles(true, false, false)),
            (PARTNER, "Northwind Cloud Partners", roles(false, true, false)),
            (BUYER, "Contoso Retail Ltd", roles(false, false, true)),
            (OTHER_BUYER, "Fabrikam Health", roles(false, false, true)),
            (STRANGER, "Initech", roles(false, false, true)),
        ] {
            market.add_account(None, id(a), name, r, None).unwrap();
        }
        let product = market
            .add_product(
                &id(ISV),
                "Acme Insight Platform",
                ProductType::Saas,
                Duration::P12M,
                vec![Dimension::parse_spec("users:user:1000.00").unwrap()],
            )
            .unwrap();
        Fixture { dir, path, market, product }
    }

    pub fn at(&mut self, date: &str) {
        let store = cppo::store::Store::open(&self.path).unwrap();
        self.market = Market::new(store, Box::new(FixedClock::on(day(date))));
    }

    pub fn terms(&self, kind: OpportunityKind, discount: Decimal) -> OpportunityTerms {
        OpportunityTerms {
            partner: id(PARTNER),
            name: "Acme Insight resale 2027".into(),
            description: "Standard channel discount".into(),
            kind,
            buyers: if kind == OpportunityKind::OneTime { vec![id(BUYER)] } else { vec![] },
            currency: Currency::Usd,
            wholesale: WholesaleTerms::Discount(discount),
            ends_on: Some(day("2027-06-30")),
            renewal: false,
            installments: vec![],
            grants: vec![],
            net_payment_days: None,
            eula_url: None,
        }
    }

    /// A released 20% opportunity of `kind`.
    pub fn opportunity(&mut self, kind: OpportunityKind) -> OpportunityId {
        let t = self.terms(kind, dec!(20));
        self.market.create_opportunity(&id(ISV), &self.product, t, true).unwrap()
    }

    /// A released 20% opportunity of `kind` that AWS holds: made in cppo, exported, applied by
    /// AWS and linked to the id AWS gave it, which it now has.
    pub fn aws_opportunity(&mut self, kind: OpportunityKind) -> OpportunityId {
        let opp = self.opportunity(kind);
        self.on_aws(&opp)
    }

    /// `opp`, made in cppo: exported by its ISV, applied by AWS, and linked to the id AWS gave
    /// it (returned) by `import` of AWS's describe-change-set answer.
    pub fn on_aws(&mut self, opp: &OpportunityId) -> OpportunityId {
        let export = self.market.export(&id(ISV), &record(opp.as_str()), false).unwrap();
        let request: serde_json::Value = serde_json::from_str(&export.change_set.to_json()).unwrap();
        let random = opp.as_str().rsplit_once('-').unwrap().1;
        let aws_id = format!("resaleauthz-aws{}", &random[..10]);
        let answer = aws_answers::succeeded(&request, &format!("cs-{random}"), &aws_id);
        let entries = cppo::aws::import::read("answer.json", &answer.to_string()).unwrap();
        let r = self.market.import(&id(ISV), &entries, ImportOptions::default()).unwrap();
        assert_eq!(r.lines[0].outcome, Outcome::Linked(aws_id.clone()), "{r:#?}");
        OpportunityId::parse(&aws_id).unwrap()
    }

    pub fn offer_terms(buyer: &str, markup: Decimal, users: u64) -> OfferTerms {
        OfferTerms {
            name: "Contoso 2027 subscription".into(),
            description: String::new(),
            buyer: Some(id(buyer)),
            markup_pct: markup,
            expires_on: Some(day("2026-12-31")),
            quantities: vec![("users".into(), users)],
            duration: None,
        }
    }

    pub fn counts(&self) -> Vec<(String, i64)> {
        self.market.store().row_counts().unwrap()
    }
}
