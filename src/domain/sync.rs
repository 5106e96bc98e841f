//! Records exchanged with AWS Marketplace: where an imported record came from, what AWS
//! held of it, and the rules of importing (who may import what; when an import may write
//! over a record). The shapes of AWS's JSON live in `aws`; this is what cppo decides.

use chrono::{DateTime, NaiveDate, Utc};

use super::error::{ErrorCode, RuleError};
use super::ids::AccountId;
use super::offer::OfferState;
use super::opportunity::OpportunityState;

/// What AWS held of a record when it was last imported: the state and end date that an
/// export compares with the local record to send only what moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Opportunity { state: OpportunityState, ends_on: Option<NaiveDate> },
    Offer { state: OfferState, expires_on: Option<NaiveDate> },
}

/// Where an imported opportunity or offer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsSource {
    /// AWS's revision of the entity (after the `@` of `EntityIdentifier`), when the input had it.
    pub revision: Option<String>,
    pub last_modified: Option<DateTime<Utc>>,
    pub imported_at: DateTime<Utc>,
    /// The record's local version right after the import.
    pub local_version: i64,
    pub held: Held,
}

impl AwsSource {
    /// The record changed in cppo since it was imported (and was not exported since).
    pub fn changed_locally(&self, version: i64) -> bool {
        version != self.local_version
    }
}

/// Only the ISV or the partner of an authorization (or of the offer made from it) imports
/// it: a third account would take someone else's book into its file.
pub fn check_importer(actor: &AccountId, isv: &AccountId, partner: &AccountId) -> Result<(), RuleError> {
    if actor != isv && actor != partner {
        return Err(RuleError::denied(format!(
            "you ({actor}) are neither its ISV ({isv}) nor its partner ({partner}): import it as one of them with --as"
        )));
    }
    Ok(())
}

/// A record that came from AWS is deleted there, not in cppo alone (the next import would
/// bring it back).
pub fn check_local_delete(id: &str, source: Option<&AwsSource>) -> Result<(), RuleError> {
    if source.is_some() {
        return Err(RuleError::status(format!("{id} came from AWS Marketplace: delete it there, then import again")));
    }
    Ok(())
}

/// May an import write over the local record at `version`? Not when it changed in cppo since
/// its last import, or was made in cppo (`source` none), unless `force`.
pub fn check_overwrite(id: &str, version: i64, source: Option<&AwsSource>, force: bool) -> Result<(), RuleError> {
    if force {
        return Ok(());
    }
    match source {
        None => Err(RuleError::new(
            ErrorCode::IncompatibleStatus,
            format!("conflict: {id} was made in cppo, not imported: --force writes AWS's version over it"),
        )),
        Some(s) if s.changed_locally(version) => Err(RuleError::new(
            ErrorCode::IncompatibleStatus,
            format!(
                "conflict: {id} changed in cppo since its import (version {version}, imported as {}): export it, or --force to take AWS's version",
                s.local_version
            ),
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(local_version: i64) -> AwsSource {
        AwsSource {
            revision: Some("7".into()),
            last_modified: None,
            imported_at: DateTime::UNIX_EPOCH,
            local_version,
            held: Held::Offer { state: OfferState::Released, expires_on: None },
        }
    }

    #[test]
    fn only_the_isv_or_the_partner_imports() {
        let (isv, partner, other) = (
            AccountId::parse("111111111111").unwrap(),
            AccountId::parse("222222222222").unwrap(),
            AccountId::parse("333333333333").unwrap(),
        );
        assert!(check_importer(&isv, &isv, &partner).is_ok());
        assert!(check_importer(&partner, &isv, &partner).is_ok());
        let e = check_importer(&other, &isv, &partner).unwrap_err();
        assert_eq!(e.code, ErrorCode::AccessDenied);
        assert!(e.message.contains("--as"), "{}", e.message);
    }

    #[test]
    fn an_import_writes_over_an_unchanged_record_only() {
        assert!(check_overwrite("offer-x", 3, Some(&source(3)), false).is_ok());
        let changed = check_overwrite("offer-x", 4, Some(&source(3)), false).unwrap_err();
        assert!(changed.message.starts_with("conflict: offer-x changed in cppo"), "{}", changed.message);
        let local = check_overwrite("offer-x", 0, None, false).unwrap_err();
        assert!(local.message.contains("made in cppo"), "{}", local.message);
        assert!(check_overwrite("offer-x", 4, Some(&source(3)), true).is_ok());
        assert!(check_overwrite("offer-x", 0, None, true).is_ok());
    }
}
