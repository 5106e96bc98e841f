//! Records exchanged with AWS Marketplace: where an imported record came from, what AWS
//! held of it, and the rules of importing (who may import what; when an import may write
//! over a record). The shapes of AWS's JSON live in `aws`; this is what cppo decides.

use chrono::{DateTime, NaiveDate, Utc};

use super::clock::is_past_end;
use super::error::{ErrorCode, RuleError};
use super::ids::AccountId;
use super::offer::{Offer, OfferState, OfferStatus};
use super::opportunity::{Opportunity, OpportunityState, OpportunityStatus};
use super::product::Product;
use super::visibility;

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

/// A record made in cppo that now stands for the entity AWS created from its export: it took
/// AWS's id, and `local_id` was its id in cppo before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsLink {
    pub local_id: String,
    pub aws_id: String,
    /// The `describe-change-set` answer that gave AWS's id.
    pub change_set_id: String,
    pub linked_at: DateTime<Utc>,
}

/// A change set AWS refused (FAILED) for a record: why, as AWS said it, shown beside the record
/// until a later answer for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRefusal {
    pub change_set_id: String,
    pub change_set_name: Option<String>,
    /// The record's version the change set was exported from.
    pub version: i64,
    /// `FailureCode` (`CLIENT_ERROR`, `SERVER_FAULT`) and `FailureDescription`.
    pub failure_code: Option<String>,
    pub failure: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    pub errors: Vec<AwsError>,
    pub recorded_at: DateTime<Utc>,
}

/// One error of a refused change, as AWS wrote it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AwsError {
    pub change_type: String,
    pub code: String,
    pub message: String,
}

/// May `actor` link the stored opportunity `held` to the entity AWS created from its export?
/// Only the account that exports it: its ISV. Any account that does not see it learns nothing.
pub fn check_opportunity_link(actor: &AccountId, held: &Opportunity) -> Result<(), RuleError> {
    check_opportunity_holder(actor, held)?;
    if *actor != held.isv {
        return Err(RuleError::denied(format!(
            "only its ISV ({}) links {} to AWS: it is the ISV's export",
            held.isv, held.id
        )));
    }
    Ok(())
}

/// May `actor` link the stored offer `held`? Only its partner, who exports it.
pub fn check_offer_link(actor: &AccountId, held: &Offer) -> Result<(), RuleError> {
    check_offer_holder(actor, held)
}

/// May the record `id` at `version`, made in cppo (`source` none), take the entity AWS created
/// from its export of `exported` (a version)? Not a record AWS holds already, and not a change
/// set of a version the record never had (another file's).
pub fn check_linkable(id: &str, version: i64, source: Option<&AwsSource>, exported: i64) -> Result<(), RuleError> {
    if source.is_some() {
        return Err(RuleError::status(format!(
            "{id} came from AWS Marketplace: it has AWS's id already, there is nothing to link"
        )));
    }
    if exported > version {
        return Err(RuleError::validation(format!(
            "the change set was exported from version {exported} of {id}, and cppo holds version {version}: it is not this file's record"
        )));
    }
    Ok(())
}

/// An offer made in cppo is exported once AWS holds its opportunity (`opportunity_source`:
/// imported, or linked to the entity its export created): AWS creates the offer from the
/// resale authorization's AWS id, which a record made in cppo does not have until then.
pub fn check_offer_export_origin(
    opportunity: &Opportunity,
    opportunity_source: Option<&AwsSource>,
) -> Result<(), RuleError> {
    if opportunity_source.is_none() {
        let id = &opportunity.id;
        return Err(RuleError::status(format!(
            "its opportunity {id} was made in cppo and AWS does not hold it yet: export {id} (as its ISV), \
             submit it, and import its describe-change-set answer; the offer then exports with AWS's id"
        )));
    }
    Ok(())
}

/// A new record: only an account the input names as its ISV or partner imports it (a third
/// account would take someone else's book into its file). A record the file already holds is
/// judged by the stored record instead ([`check_opportunity_import`], [`check_offer_import`]).
pub fn check_importer(actor: &AccountId, isv: &AccountId, partner: &AccountId) -> Result<(), RuleError> {
    if actor != isv && actor != partner {
        return Err(RuleError::denied(format!(
            "you ({actor}) are neither its ISV ({isv}) nor its partner ({partner}): import it as one of them with --as"
        )));
    }
    Ok(())
}

/// The refusal for a stored record the acting account may not see: it says that the id is
/// taken and nothing of the record (not who holds it, not whether it was made in cppo).
pub fn hidden(id: &str) -> RuleError {
    RuleError::denied(format!("{id} is another account's record in this file: only its ISV or its partner imports it"))
}

/// May `actor` import AWS's version `next` of the stored opportunity `held`? Only the accounts
/// that see it and hold it: its ISV (an authorization it granted) or its partner (one it
/// received, once released). An import never moves it to another ISV, partner or product,
/// and, once agreements stand on it (`agreements`), never changes the terms they were made
/// on, `--force` included: only its state, end date, offer count, name and description.
pub fn check_opportunity_import(
    actor: &AccountId,
    held: &Opportunity,
    next: &Opportunity,
    agreements: bool,
) -> Result<(), RuleError> {
    check_opportunity_holder(actor, held)?;
    unchanged_party("ISV", &held.isv, &next.isv)?;
    unchanged_party("partner", &held.partner, &next.partner)?;
    unchanged_party("product", &held.product_id, &next.product_id)?;
    if agreements {
        let terms = |o: &Opportunity| Opportunity {
            state: held.state,
            ended_by: held.ended_by.clone(),
            ends_on: held.ends_on,
            offers_created: held.offers_created,
            name: held.name.clone(),
            description: held.description.clone(),
            version: held.version,
            ..o.clone()
        };
        if terms(next) != terms(held) {
            return Err(RuleError::status(format!(
                "agreements stand on {}: cppo never rewrites the terms they were made on, --force included \
                 (an import may still move its state, end date, name and description)",
                held.id
            )));
        }
    }
    let rank = |s: OpportunityState| match s {
        OpportunityState::Draft => 0,
        OpportunityState::Active => 1,
        OpportunityState::Restricted => 2,
    };
    if rank(next.state) < rank(held.state) {
        return Err(no_way_back(held.id.as_str(), held.state.as_str(), next.state.as_str()));
    }
    Ok(())
}

/// An authorization goes Draft, Active, Restricted and an offer Draft, Released, never back:
/// an input that says otherwise is not AWS's newer version of the record.
fn no_way_back(id: &str, held: &str, next: &str) -> RuleError {
    RuleError::status(format!(
        "{id} is {held} in cppo and the input says {next}: AWS never moves a record back, so the input is not its newer version"
    ))
}

/// Does `actor` hold the stored opportunity `held`: its ISV, or its partner once released
/// (the accounts that see it)? Any other account learns nothing of it.
pub fn check_opportunity_holder(actor: &AccountId, held: &Opportunity) -> Result<(), RuleError> {
    if visibility::opportunity(actor, held).is_none() {
        return Err(hidden(held.id.as_str()));
    }
    Ok(())
}

/// May `actor` import AWS's version `next` of the stored offer `held`? Only its partner, who
/// made it; never to another authorization, product or buyer; and an accepted offer stands as
/// its agreement was made (`--force` included): cppo never rewrites it.
pub fn check_offer_import(actor: &AccountId, held: &Offer, next: &Offer) -> Result<(), RuleError> {
    check_offer_holder(actor, held)?;
    unchanged_party("resale authorization", &held.opportunity_id, &next.opportunity_id)?;
    unchanged_party("product", &held.product_id, &next.product_id)?;
    unchanged_party("ISV", &held.isv, &next.isv)?;
    unchanged_party("partner", &held.partner, &next.partner)?;
    if held.state == OfferState::Released && next.state == OfferState::Draft {
        return Err(no_way_back(held.id.as_str(), held.state.as_str(), next.state.as_str()));
    }
    if let Some(buyer) = &held.buyer
        && next.buyer.as_ref() != Some(buyer)
    {
        return Err(RuleError::validation(format!(
            "its buyer is {buyer} in cppo, and AWS's names {}: an import never changes an offer's buyer",
            next.buyer.as_ref().map_or("none", AccountId::as_str)
        )));
    }
    if let Some(agreement) = &held.agreement_id
        && held != next
    {
        return Err(RuleError::status(format!(
            "{} is accepted (agreement {agreement}): cppo never rewrites an accepted offer, --force included",
            held.id
        )));
    }
    Ok(())
}

/// AWS's version of the stored offer `held` names the authorization `made_from`: the same as
/// cppo's, or a refusal (checked before anything of that authorization is read).
pub fn check_offer_made_from(held: &Offer, made_from: &super::ids::OpportunityId) -> Result<(), RuleError> {
    unchanged_party("resale authorization", &held.opportunity_id, made_from)
}

/// Is `actor` the partner of the stored offer `held`, the one account that imports it? An
/// account that does not see it learns nothing of it.
pub fn check_offer_holder(actor: &AccountId, held: &Offer) -> Result<(), RuleError> {
    if visibility::offer(actor, held).is_none() {
        return Err(hidden(held.id.as_str()));
    }
    if *actor != held.partner {
        return Err(RuleError::denied(format!(
            "only its partner ({}) imports {}: an offer is the partner's record",
            held.partner, held.id
        )));
    }
    Ok(())
}

/// May `actor` import an offer made from the stored `opportunity`, new to the file? Only the
/// partner it was granted to makes offers from it.
pub fn check_offer_origin(actor: &AccountId, opportunity: &Opportunity) -> Result<(), RuleError> {
    if visibility::opportunity(actor, opportunity).is_none() {
        return Err(hidden(opportunity.id.as_str()));
    }
    if *actor != opportunity.partner {
        return Err(RuleError::denied(format!(
            "only {}, the partner {} was granted to, imports the offers made from it",
            opportunity.partner, opportunity.id
        )));
    }
    Ok(())
}

/// The product an import by `actor` leaves: AWS's version `next` from its ISV; from anyone
/// else, the product as held, which the input may not extend (a dimension only its ISV adds).
/// With `new_authorization`, the import also adds an authorization to it
/// ([`check_new_authorization_on`]).
pub fn product_after_import(
    actor: &AccountId,
    held: &Product,
    next: Product,
    new_authorization: bool,
) -> Result<Product, RuleError> {
    unchanged_party("ISV", &held.isv, &next.isv)?;
    if new_authorization {
        check_new_authorization_on(actor, held)?;
    }
    if *actor == held.isv {
        return Ok(next);
    }
    if let Some(d) = next.dimensions.iter().find(|d| held.dimension(&d.key).is_none()) {
        return Err(RuleError::denied(format!(
            "{} has no dimension `{}`, and only its ISV ({}) adds one: import this as the ISV first",
            held.id, d.key, held.isv
        )));
    }
    Ok(held.clone())
}

/// May `actor` import an authorization new to the file on the stored `product`? A product
/// with list prices is its ISV's own catalog, made in cppo (AWS's authorizations carry no list
/// prices): only that ISV adds authorizations to it. A product learned from AWS takes the
/// authorizations its parties import.
pub fn check_new_authorization_on(actor: &AccountId, product: &Product) -> Result<(), RuleError> {
    if *actor != product.isv && product.dimensions.iter().any(|d| d.list_price.is_some()) {
        return Err(RuleError::denied(format!(
            "{} is the catalog of its ISV ({}) in this file: only that ISV imports authorizations for it",
            product.id, product.isv
        )));
    }
    Ok(())
}

/// The status a summarised opportunity shows, derived as a held one's is (past its end date
/// it is Expired, whatever AWS's word); how many offers were made AWS's summary does not
/// say, so an Active one is plain Authorized.
pub fn summary_opportunity_status(
    state: OpportunityState,
    ends_on: Option<NaiveDate>,
    today: NaiveDate,
) -> OpportunityStatus {
    match state {
        OpportunityState::Draft => OpportunityStatus::Draft,
        OpportunityState::Restricted => OpportunityStatus::Deactivated,
        OpportunityState::Active if ends_on.is_some_and(|e| is_past_end(e, today)) => OpportunityStatus::Expired,
        OpportunityState::Active => OpportunityStatus::Authorized,
    }
}

/// The status a summarised offer shows, derived as a held one's is: a Released offer past
/// its expiry is Expired (AWS's summary still says `Released`); whether it was accepted the
/// summary does not say, so a released one in date is Active.
pub fn summary_offer_status(state: OfferState, expires_on: Option<NaiveDate>, today: NaiveDate) -> OfferStatus {
    match state {
        OfferState::Draft => OfferStatus::Draft,
        OfferState::Released if expires_on.is_some_and(|e| is_past_end(e, today)) => OfferStatus::Expired,
        OfferState::Released => OfferStatus::Active,
    }
}

/// What the file holds of a `list-entities` summary: the parties it names, who imported it,
/// and whether the acting account sees it ([`visibility::summary`]).
#[derive(Debug, Clone, Copy)]
pub struct SummaryParties<'a> {
    pub id: &'a str,
    pub isv: Option<&'a AccountId>,
    pub partner: Option<&'a AccountId>,
    pub imported_by: &'a AccountId,
    pub visible: bool,
}

/// May `actor` write `id` (a summary, or the record its details make) naming `next_isv` and
/// `next_partner`, over the summary `held` if the file has one?
/// - The input's parties: the actor is among those it names (a third account never writes a
///   record naming others).
/// - A held summary naming parties is theirs, and only those of them who see it write it; the
///   parties never change, nor go missing. One naming none is nobody's: its importer rewrites
///   it, and a record naming the actor replaces it (no one squats an id).
pub fn check_summary_import(
    actor: &AccountId,
    id: &str,
    held: Option<SummaryParties<'_>>,
    next_isv: Option<&AccountId>,
    next_partner: Option<&AccountId>,
) -> Result<(), RuleError> {
    let named: Vec<&AccountId> = next_isv.into_iter().chain(next_partner).collect();
    match (next_isv, next_partner) {
        (Some(isv), Some(partner)) => check_importer(actor, isv, partner)?,
        (Some(one), None) | (None, Some(one)) if one != actor => {
            return Err(RuleError::denied(format!("it names {one}, not you ({actor}): import it as {one} with --as")));
        }
        _ => {}
    }
    let Some(held) = held else { return Ok(()) };
    let holders: Vec<&AccountId> = held.isv.into_iter().chain(held.partner).collect();
    let holds = if holders.is_empty() {
        if named.is_empty() { actor == held.imported_by } else { named.contains(&actor) }
    } else {
        held.visible && holders.contains(&actor)
    };
    if !holds {
        return Err(hidden(id));
    }
    for (what, h, n) in [("ISV", held.isv, next_isv), ("partner", held.partner, next_partner)] {
        match (h, n) {
            (Some(h), Some(n)) => unchanged_party(what, h, n)?,
            (Some(h), None) => {
                return Err(RuleError::validation(format!(
                    "its {what} is {h} in cppo, and the input names none: an import never changes it"
                )));
            }
            (None, _) => {}
        }
    }
    Ok(())
}

/// A party of a stored record and the one AWS's version names: the same, or a refusal.
fn unchanged_party<T: PartialEq + std::fmt::Display>(what: &str, held: &T, next: &T) -> Result<(), RuleError> {
    if held != next {
        return Err(RuleError::validation(format!(
            "its {what} is {held} in cppo, and the input names {next}: an import never changes it"
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
