//! A pull from AWS: what one run fetched (the same entries `import` reads from AWS CLI
//! output, so that a pull goes through the same import as files), and the rule that moves
//! the watermark an incremental pull starts from. Pure: the SDK calls live in `crate::sdk`.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

use super::import::Entry;

/// How far behind the start of a pull the next one looks again: the local clock and AWS's may
/// disagree by this much, and an entity modified while a pull lists is read again by the next
/// (and imports as `unchanged` if the first pull had it).
pub const OVERLAP: TimeDelta = TimeDelta::minutes(5);

/// What one pull fetched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    /// Authorizations first, then offers, then agreements and their terms.
    pub entries: Vec<Entry>,
    pub counts: Counts,
    /// Offers listed that are not made from a resale authorization (not CPPOs): not fetched.
    pub left_out: usize,
    /// The latest `LastModifiedDate` among the entities listed.
    pub latest: Option<DateTime<Utc>>,
}

/// How many entities of each kind a pull described.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub authorizations: usize,
    pub offers: usize,
    pub agreements: usize,
}

/// The watermark once a pull that started at `started` (the local clock) is stored: the
/// latest `LastModifiedDate` it saw, but never past its start less [`OVERLAP`] (an entity
/// changed during the pull may have been listed before its change), and never behind the
/// `previous` watermark. Whole seconds, as AWS's date filters take them.
pub fn next_watermark(
    previous: Option<DateTime<Utc>>,
    latest: Option<DateTime<Utc>>,
    started: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let bound = started - OVERLAP;
    let seen = latest.map(|l| l.min(bound));
    match (previous, seen) {
        (Some(p), Some(s)) => Some(p.max(s)),
        (p, s) => p.or(s),
    }
    .map(|w| w.trunc_subsecs(0))
}

/// The text AWS's `LastModifiedDate` filters take: `2026-11-30T12:00:00Z`.
pub fn filter_date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_watermark_is_the_latest_change_seen_but_never_past_the_start_less_the_overlap() {
        let started = at("2026-11-30T12:00:00Z");
        assert_eq!(
            next_watermark(None, Some(at("2026-11-01T08:00:00.250Z")), started),
            Some(at("2026-11-01T08:00:00Z"))
        );
        assert_eq!(next_watermark(None, Some(at("2026-11-30T11:59:00Z")), started), Some(at("2026-11-30T11:55:00Z")));
        assert_eq!(
            next_watermark(Some(at("2026-11-02T00:00:00Z")), Some(at("2026-11-01T00:00:00Z")), started),
            Some(at("2026-11-02T00:00:00Z"))
        );
        assert_eq!(next_watermark(Some(at("2026-11-02T00:00:00Z")), None, started), Some(at("2026-11-02T00:00:00Z")));
        assert_eq!(next_watermark(None, None, started), None);
        assert_eq!(filter_date(at("2026-11-02T03:04:05.678Z")), "2026-11-02T03:04:05Z");
    }
}
