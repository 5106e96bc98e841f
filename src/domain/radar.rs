//! The renewal radar: which agreements are ending soon, and what has been done about each
//! (DOMAIN.md, "Renewal radar"). The TUI's view of the Agreements tab, the review queue and
//! the chart of value ending per month all ask here.

use chrono::{Datelike, NaiveDate};

use super::agreement::{Agreement, AgreementStatus};
use super::offer::OfferStatus;

/// The radar's windows, in days: 30 / 60 / 90, and AWS's own "agreement ending" notices at
/// 120 and 180.
pub const WINDOWS: [u32; 5] = [30, 60, 90, 120, 180];

/// The review queue holds the agreements ending within this many days.
pub const REVIEW_DAYS: u32 = 90;

/// How many months the chart of value ending looks ahead (this month first).
pub const CHART_MONTHS: u32 = 12;

/// The window after `days` as `w` cycles them: 30, 60, ... 180, then none (all agreements).
pub fn next_window(days: Option<u32>) -> Option<u32> {
    match days {
        None => Some(WINDOWS[0]),
        Some(d) => WINDOWS.iter().copied().find(|w| *w > d),
    }
}

/// Days from `today` to the agreement's end, when it is ACTIVE and ends within `days` days:
/// on the radar. One of cppo's agreements is ACTIVE up to the day before its end, so this is
/// 1 or more.
pub fn days_left(a: &Agreement, today: NaiveDate, days: u32) -> Option<i64> {
    days_left_of(a.status(today) == AgreementStatus::Active, Some(a.ends_on), today, days)
}

/// The radar's one rule, for any agreement: active as its record says, ending on `ends_on`
/// within `days` days of `today` (an AWS agreement ACTIVE on its last day counts, 0 days
/// left). Pay-as-you-go (no end, `None`) never is on the radar, nor is a past end.
pub fn days_left_of(active: bool, ends_on: Option<NaiveDate>, today: NaiveDate, days: u32) -> Option<i64> {
    let left = (ends_on.filter(|_| active)? - today).num_days();
    (0..=i64::from(days)).contains(&left).then_some(left)
}

/// What has been done about an agreement on the radar: the state of the replacement offer
/// made for it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// No offer replaces it.
    NothingYet,
    /// A replacement offer is a draft.
    Drafted,
    /// A replacement offer is released and not accepted (or has lapsed unaccepted).
    Released,
    /// The buyer accepted the replacement: renewed.
    Renewed,
}

impl Renewal {
    /// The JSON spelling: `none`, `drafted`, `released`, `renewed` (people read
    /// `market::words::renewal`).
    pub fn key(self) -> &'static str {
        match self {
            Self::NothingYet => "none",
            Self::Drafted => "drafted",
            Self::Released => "released",
            Self::Renewed => "renewed",
        }
    }

    /// From the status of the offer that replaces the agreement (`None`: there is none). One
    /// its partner cancelled stands for nothing: the renewal still needs doing.
    pub fn of(replacement: Option<OfferStatus>) -> Self {
        match replacement {
            None | Some(OfferStatus::Cancelled) => Self::NothingYet,
            Some(OfferStatus::Draft) => Self::Drafted,
            Some(OfferStatus::Active | OfferStatus::Expired) => Self::Released,
            Some(OfferStatus::Accepted) => Self::Renewed,
        }
    }

    /// From every offer made to replace the agreement, as `viewer_sees_drafts` may know them
    /// (a partner's draft is its own: the ISV and the buyer learn of a replacement once it is
    /// released): the furthest along wins.
    pub fn of_all(replacements: impl IntoIterator<Item = OfferStatus>, viewer_sees_drafts: bool) -> Self {
        replacements
            .into_iter()
            .filter(|s| viewer_sees_drafts || *s != OfferStatus::Draft)
            .map(|s| Self::of(Some(s)))
            .max_by_key(|r| match r {
                Self::NothingYet => 0,
                Self::Drafted => 1,
                Self::Released => 2,
                Self::Renewed => 3,
            })
            .unwrap_or(Self::NothingYet)
    }
}

/// The month index (0 = `today`'s month) an agreement ending on `ends_on` falls in, if
/// within the chart's [`CHART_MONTHS`] months.
pub fn chart_month(ends_on: NaiveDate, today: NaiveDate) -> Option<usize> {
    let months = (ends_on.year() - today.year()) * 12 + ends_on.month() as i32 - today.month() as i32;
    usize::try_from(months).ok().filter(|m| *m < CHART_MONTHS as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_agreement_on_the_radar() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let on = |d: u64| Some(today + chrono::Days::new(d));
        assert_eq!(days_left_of(true, on(23), today, 30), Some(23));
        assert_eq!(days_left_of(true, on(0), today, 30), Some(0), "an AWS agreement ACTIVE on its last day");
        assert_eq!(days_left_of(true, on(31), today, 30), None);
        assert_eq!(days_left_of(false, on(10), today, 90), None, "not active");
        assert_eq!(days_left_of(true, None, today, 180), None, "pay-as-you-go");
        assert_eq!(days_left_of(true, Some(today - chrono::Days::new(1)), today, 30), None, "past");
    }

    #[test]
    fn the_furthest_replacement_wins_and_drafts_are_the_partners_alone() {
        use OfferStatus::*;
        assert_eq!(Renewal::of_all([Draft, Active], true), Renewal::Released);
        assert_eq!(Renewal::of_all([Expired, Accepted, Draft], true), Renewal::Renewed);
        assert_eq!(Renewal::of_all([Draft], true), Renewal::Drafted);
        assert_eq!(Renewal::of_all([Draft], false), Renewal::NothingYet, "the ISV and the buyer see no draft");
        assert_eq!(Renewal::of_all([], true), Renewal::NothingYet);
        assert_eq!(Renewal::of_all([Cancelled], true), Renewal::NothingYet, "withdrawn: nothing stands");
        assert_eq!(Renewal::of_all([Cancelled, Draft], true), Renewal::Drafted);
    }
    use crate::domain::{AccountId, AgreementId, Currency, Money, OfferId, OpportunityId};
    use rust_decimal::Decimal;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ending(on: &str) -> Agreement {
        let usd = |n: i64| Money::new(Decimal::new(n, 0), Currency::parse("USD").unwrap());
        Agreement {
            id: AgreementId::generate(),
            offer_id: OfferId::generate(),
            opportunity_id: OpportunityId::generate(),
            partner: AccountId::parse("222222222222").unwrap(),
            buyer: AccountId::parse("333333333333").unwrap(),
            isv: AccountId::parse("111111111111").unwrap(),
            currency: Currency::parse("USD").unwrap(),
            starts_on: day("2025-01-01"),
            ends_on: day(on),
            total: usd(100),
            wholesale_total: usd(80),
            fee_rate_pct: Decimal::new(3, 0),
            cancelled: false,
            charges: Vec::new(),
            replaces: None,
            replaced_by: None,
            version: 0,
        }
    }

    #[test]
    fn an_active_agreement_is_on_the_radar_within_its_window() {
        let today = day("2026-01-01");
        assert_eq!(days_left(&ending("2026-01-24"), today, 30), Some(23));
        assert_eq!(days_left(&ending("2026-01-31"), today, 30), Some(30));
        assert_eq!(days_left(&ending("2026-02-01"), today, 30), None);
        assert_eq!(days_left(&ending("2026-02-01"), today, 60), Some(31));
        // Ended today: EXPIRED, off the radar.
        assert_eq!(days_left(&ending("2026-01-01"), today, 30), None);
        let cancelled = Agreement { cancelled: true, ..ending("2026-01-10") };
        assert_eq!(days_left(&cancelled, today, 30), None);
    }

    #[test]
    fn the_windows_cycle_then_show_all() {
        let mut seen = Vec::new();
        let mut w = None;
        for _ in 0..6 {
            w = next_window(w);
            seen.push(w);
        }
        assert_eq!(seen, [Some(30), Some(60), Some(90), Some(120), Some(180), None]);
    }

    #[test]
    fn the_replacement_offer_says_what_was_done() {
        assert_eq!(Renewal::of(None), Renewal::NothingYet);
        assert_eq!(Renewal::of(Some(OfferStatus::Draft)), Renewal::Drafted);
        assert_eq!(Renewal::of(Some(OfferStatus::Active)), Renewal::Released);
        assert_eq!(Renewal::of(Some(OfferStatus::Accepted)), Renewal::Renewed);
    }

    #[test]
    fn months_of_the_chart_count_from_this_month() {
        let today = day("2026-11-20");
        assert_eq!(chart_month(day("2026-11-30"), today), Some(0));
        assert_eq!(chart_month(day("2027-01-01"), today), Some(2));
        assert_eq!(chart_month(day("2027-10-31"), today), Some(11));
        assert_eq!(chart_month(day("2027-11-01"), today), None);
        assert_eq!(chart_month(day("2026-10-31"), today), None);
    }
}
