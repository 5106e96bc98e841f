//! "Today" comes from one clock that tests and the CLI can set.

use chrono::{DateTime, NaiveDate, Utc};

use super::error::RuleError;

/// The only source of the current time for every rule.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The UTC calendar date of `now`; expiry is decided on it.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant (`--now`, tests, what-if).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// Midday UTC of `date`, so that the date is "today" whatever the reader's zone.
    pub fn on(date: NaiveDate) -> Self {
        Self(date.and_hms_opt(12, 0, 0).expect("noon exists").and_utc())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Parses `--now`: `YYYY-MM-DD` (noon UTC) or RFC 3339.
pub fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(FixedClock::on(d).0);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD or RFC 3339 (2026-11-26T09:00:00Z)"))
}

/// An opportunity ending within this many days (today included) needs attention.
pub const OPPORTUNITY_ATTENTION_DAYS: i64 = 30;
/// A released offer expiring within this many days needs its partner.
pub const OFFER_ATTENTION_DAYS: i64 = 7;

/// `end` is today or within `days` days: the one test behind every "soon" (the review
/// queue, the warnings in the tables, "in 5 days").
pub fn within(end: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    end.is_some_and(|e| (0..=days).contains(&(e - today).num_days()))
}

/// The last day cppo holds as a date: the calendar's last, 9999-12-31, stands for "no date"
/// in the file (so that dated columns sort without NULLs).
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 30).expect("a valid date");

/// Parses a calendar date typed by a person.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| match no_such_day(t) {
        Some(why) => format!("`{t}` is no such day: {why}"),
        None => format!("`{t}` is not a date: use YYYY-MM-DD"),
    })?;
    check_storable(d).map_err(|e| e.message)?;
    Ok(d)
}

/// Why a well-formed `YYYY-MM-DD` names no day (`2026-02-30`, `2026-13-01`); `None` when it
/// is not of that form.
fn no_such_day(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1..=12).contains(&m) {
        return Some("months run from 01 to 12".into());
    }
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
    let days = (next - first).num_days();
    let month = chrono::Month::try_from(m as u8).ok()?.name();
    Some(format!("{month} {y} has {days} days"))
}

/// A date after [`LAST_DAY`] would read back as "no date": refused.
pub fn check_storable(d: NaiveDate) -> Result<(), RuleError> {
    if d > LAST_DAY {
        return Err(RuleError::validation(format!(
            "{d} is past the last day cppo holds ({LAST_DAY}): leave the date out for \"no end\", or pick an earlier day"
        )));
    }
    Ok(())
}

/// A date typed for the future (an end date, an expiry) may be today but not earlier, nor
/// past [`LAST_DAY`].
pub fn check_not_past(what: &str, d: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
    if d < today {
        return Err(RuleError::validation(format!("{what} {d} is in the past: pick today ({today}) or later")));
    }
    check_storable(d)
}

/// The days a date may be moved to: `from` on, up to `until` when something bounds it (an
/// offer's opportunity's end, an opportunity's first installment). What an extension shows
/// before anything is typed, and judges what is typed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl DateRange {
    /// A range whose first day is after its last holds no day: nothing can be picked.
    pub fn is_empty(&self) -> bool {
        self.until.is_some_and(|u| u < self.from)
    }

    /// `d` is within the range; if not, what to pick instead. `what` names the date.
    pub fn check(&self, what: &str, d: NaiveDate) -> Result<(), RuleError> {
        if d < self.from {
            return Err(RuleError::validation(format!("{what} {d} is too early: pick {} or later", self.from)));
        }
        if let Some(until) = self.until.filter(|u| d > *u) {
            return Err(RuleError::validation(format!("{what} {d} is too late: pick {until} or earlier")));
        }
        Ok(())
    }
}

/// The first day an extension may pick: the day after the date it extends, and not before
/// today.
pub fn day_after(current: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    current.and_then(|d| d.succ_opt()).unwrap_or(today).max(today)
}

/// True once "today" is after `end`: an end date holds until 23:59:59.999 UTC that day
/// (the AWS availability rule), since "today" is the UTC date of the clock's instant.
pub fn is_past_end(end: NaiveDate, today: NaiveDate) -> bool {
    today > end
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_well_formed_date_that_names_no_day_says_so() {
        assert_eq!(
            super::parse_date("2026-02-30").unwrap_err(),
            "`2026-02-30` is no such day: February 2026 has 28 days"
        );
        assert_eq!(
            super::parse_date("2028-02-30").unwrap_err(),
            "`2028-02-30` is no such day: February 2028 has 29 days"
        );
        assert_eq!(
            super::parse_date("2026-13-01").unwrap_err(),
            "`2026-13-01` is no such day: months run from 01 to 12"
        );
        assert_eq!(super::parse_date("next week").unwrap_err(), "`next week` is not a date: use YYYY-MM-DD");
        assert!(super::parse_date("2026-02-28").is_ok());
    }

    use super::*;
    use chrono::TimeZone;

    #[test]
    fn end_date_holds_until_the_last_millisecond_of_the_day() {
        let end = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let last = Utc.with_ymd_and_hms(2026, 3, 31, 23, 59, 59).unwrap() + chrono::Duration::milliseconds(999);
        assert!(!is_past_end(end, FixedClock(last).today()));
        assert!(is_past_end(end, FixedClock(last + chrono::Duration::milliseconds(1)).today()));
    }

    #[test]
    fn now_accepts_a_date_or_rfc3339_and_refuses_words() {
        assert_eq!(parse_now("2026-01-02").unwrap().to_rfc3339(), "2026-01-02T12:00:00+00:00");
        assert_eq!(parse_now("2026-01-02T23:00:00-02:00").unwrap().date_naive().to_string(), "2026-01-03");
        assert!(parse_now("tomorrow").unwrap_err().contains("YYYY-MM-DD"));
    }
}
