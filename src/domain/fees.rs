//! The listing-fee table: effective-dated data embedded from `assets/fees.json`.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::product::ProductType;

#[derive(Debug, Clone, Deserialize)]
pub struct Tier {
    /// The tier applies while the wholesale contract value is below this; `null`: no bound.
    pub below: Option<Decimal>,
    pub rate_pct: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeeSchedule {
    pub effective_from: NaiveDate,
    pub private_offer_tiers: Vec<Tier>,
    pub renewal_rate_pct: Decimal,
    pub professional_services_rate_pct: Decimal,
    pub partner_private_offer_surcharge_pct: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeeTable {
    pub schedules: Vec<FeeSchedule>,
}

/// What decides a listing fee.
#[derive(Debug, Clone, Copy)]
pub struct FeeBasis {
    /// The day the agreement is made.
    pub on: NaiveDate,
    pub product_type: ProductType,
    pub renewal: bool,
    /// The agreement's wholesale contract value, in its own currency.
    pub wholesale_value: Decimal,
}

impl FeeTable {
    /// The table shipped in the binary.
    pub fn embedded() -> &'static FeeTable {
        static TABLE: OnceLock<FeeTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t: FeeTable =
                serde_json::from_str(include_str!("../../assets/fees.json")).expect("assets/fees.json is valid");
            t.schedules.sort_by_key(|s| s.effective_from);
            t
        })
    }

    /// The schedule in force on `day`; before the first one, the first one.
    pub fn schedule_on(&self, day: NaiveDate) -> &FeeSchedule {
        self.schedules
            .iter()
            .rev()
            .find(|s| s.effective_from <= day)
            .or_else(|| self.schedules.first())
            .expect("the fee table has a schedule")
    }

    /// The listing-fee rate in percent for a partner private offer:
    /// professional services 2.5%, else any renewal 1.5%, else the tier of the wholesale
    /// contract value; plus 0.5 point because a partner made the offer.
    pub fn rate_pct(&self, basis: FeeBasis) -> Decimal {
        let s = self.schedule_on(basis.on);
        let base = if basis.product_type == ProductType::ProfessionalServices {
            s.professional_services_rate_pct
        } else if basis.renewal {
            s.renewal_rate_pct
        } else {
            s.private_offer_tiers
                .iter()
                .find(|t| t.below.is_none_or(|b| basis.wholesale_value < b))
                .map(|t| t.rate_pct)
                .expect("the last tier has no bound")
        };
        base + s.partner_private_offer_surcharge_pct
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn rate(value: Decimal, renewal: bool, ty: ProductType) -> Decimal {
        FeeTable::embedded().rate_pct(FeeBasis {
            on: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            product_type: ty,
            renewal,
            wholesale_value: value,
        })
    }

    #[test]
    fn tiers_switch_exactly_at_one_and_ten_million() {
        assert_eq!(rate(dec!(999999.99), false, ProductType::Saas), dec!(3.5));
        assert_eq!(rate(dec!(1000000.00), false, ProductType::Saas), dec!(2.5));
        assert_eq!(rate(dec!(9999999.99), false, ProductType::Ami), dec!(2.5));
        assert_eq!(rate(dec!(10000000.00), false, ProductType::Container), dec!(2.0));
    }

    #[test]
    fn renewals_and_services_have_their_own_rate() {
        assert_eq!(rate(dec!(500), true, ProductType::Saas), dec!(2.0));
        assert_eq!(rate(dec!(50000000), true, ProductType::Saas), dec!(2.0));
        assert_eq!(rate(dec!(500), false, ProductType::ProfessionalServices), dec!(3.0));
    }

    #[test]
    fn a_date_before_the_table_uses_the_first_schedule() {
        let t = FeeTable::embedded();
        let s = t.schedule_on(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        assert_eq!(s.effective_from, NaiveDate::from_ymd_opt(2024, 1, 5).unwrap());
    }
}
