//! The Catalog API's calls (REST-JSON, `catalog.marketplace`): entities listed page by page
//! and described 20 at a time, one entity described, a change set started and described.
//! Each answer is turned back into the JSON the AWS CLI prints for it.

use aws_sdk_marketplacecatalog::types::{
    Change, Entity, EntityRequest, EntityTypeFilters, Intent, OfferFilters, OfferLastModifiedDateFilter,
    OfferLastModifiedDateFilterDateRange, OwnershipType, ResaleAuthorizationFilters,
    ResaleAuthorizationLastModifiedDateFilter, ResaleAuthorizationLastModifiedDateFilterDateRange,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::document::{from_json, to_json};
use super::{AwsError, Client};
use crate::aws::ChangeSet;
use crate::aws::pull::filter_date;

pub(super) const CATALOG: &str = "AWSMarketplace";
/// The most `ListEntities` answers in one page, and `BatchDescribeEntities` describes in one call.
const PAGE: i32 = 50;
pub(super) const BATCH: usize = 20;

/// One entity as `ListEntities` lists it: what a pull needs to decide whether to describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    pub id: String,
    pub last_modified: Option<DateTime<Utc>>,
    /// An offer's authorization (a CPPO has one; any other offer has none).
    pub resale_authorization_id: Option<String>,
}

/// Which entities to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    ResaleAuthorization,
    Offer,
}

impl Client {
    /// Every entity of `kind` that `ownership` gives (SELF: the account's own; SHARED: shared
    /// with it, as a partner receives authorizations) changed after `since`, all pages, each
    /// page given to `page` as it comes.
    pub(super) async fn list(
        &self,
        kind: Kind,
        ownership: OwnershipType,
        since: Option<DateTime<Utc>>,
        page: &mut dyn FnMut(&[Listed]),
    ) -> Result<(), AwsError> {
        let call = self.call("ListEntities");
        let filters = since.map(|s| {
            let after = filter_date(s);
            match kind {
                Kind::ResaleAuthorization => EntityTypeFilters::ResaleAuthorizationFilters(
                    ResaleAuthorizationFilters::builder()
                        .last_modified_date(
                            ResaleAuthorizationLastModifiedDateFilter::builder()
                                .date_range(
                                    ResaleAuthorizationLastModifiedDateFilterDateRange::builder()
                                        .after_value(after)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                ),
                Kind::Offer => EntityTypeFilters::OfferFilters(
                    OfferFilters::builder()
                        .last_modified_date(
                            OfferLastModifiedDateFilter::builder()
                                .date_range(OfferLastModifiedDateFilterDateRange::builder().after_value(after).build())
                                .build(),
                        )
                        .build(),
                ),
            }
        });
        let entity_type = match kind {
            Kind::ResaleAuthorization => "ResaleAuthorization",
            Kind::Offer => "Offer",
        };
        let mut token: Option<String> = None;
        loop {
            let answer = self
                .catalog
                .list_entities()
                .catalog(CATALOG)
                .entity_type(entity_type)
                .ownership_type(ownership.clone())
                .set_entity_type_filters(filters.clone())
                .max_results(PAGE)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| call.error(e))?;
            let mut listed = Vec::new();
            for s in answer.entity_summary_list() {
                let Some(id) = s.entity_id() else { continue };
                listed.push(Listed {
                    id: id.to_owned(),
                    last_modified: s.last_modified_date().and_then(parse_time),
                    resale_authorization_id: s
                        .offer_summary()
                        .and_then(|o| o.resale_authorization_id())
                        .map(str::to_owned),
                });
            }
            page(&listed);
            match answer.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(()),
            }
        }
    }

    /// Up to [`BATCH`] entities described in one call: a `batch-describe-entities` answer.
    pub(super) async fn describe_batch(&self, ids: &[String]) -> Result<Value, AwsError> {
        let call = self.call("BatchDescribeEntities");
        let requests = ids
            .iter()
            .map(|id| EntityRequest::builder().catalog(CATALOG).entity_id(id).build())
            .collect::<Result<Vec<_>, _>>();
        let requests = requests.map_err(|e| AwsError::Refused {
            operation: call.operation.into(),
            code: "BuildError".into(),
            message: e.to_string(),
        })?;
        let answer = self
            .catalog
            .batch_describe_entities()
            .set_entity_request_list(Some(requests))
            .send()
            .await
            .map_err(|e| call.error(e))?;
        let details: Map<String, Value> = answer
            .entity_details()
            .map(|m| {
                m.iter()
                    .map(|(id, d)| {
                        let mut v = json!({
                            "EntityType": d.entity_type(),
                            "EntityArn": d.entity_arn(),
                            "EntityIdentifier": d.entity_identifier(),
                            "LastModifiedDate": d.last_modified_date(),
                        });
                        if let Some(doc) = d.details_document() {
                            v["DetailsDocument"] = to_json(doc);
                        }
                        (id.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let errors: Map<String, Value> = answer
            .errors()
            .map(|m| {
                m.iter()
                    .map(|(id, e)| {
                        (id.clone(), json!({"ErrorCode": e.error_code(), "ErrorMessage": e.error_message()}))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(json!({"EntityDetails": details, "Errors": errors}))
    }

    /// One entity: a `describe-entity` answer.
    pub async fn describe_entity(&self, id: &str) -> Result<Value, AwsError> {
        let call = self.call("DescribeEntity");
        let d =
            self.catalog.describe_entity().catalog(CATALOG).entity_id(id).send().await.map_err(|e| call.error(e))?;
        let mut v = json!({
            "EntityType": d.entity_type(),
            "EntityIdentifier": d.entity_identifier(),
            "EntityArn": d.entity_arn(),
            "LastModifiedDate": d.last_modified_date(),
        });
        match (d.details_document(), d.details()) {
            (Some(doc), _) => v["DetailsDocument"] = to_json(doc),
            (None, Some(text)) => v["Details"] = json!(text),
            (None, None) => {}
        }
        Ok(v)
    }

    /// Sends `cs` as it is (`validate`: with `Intent: VALIDATE`, which changes nothing on
    /// AWS); AWS's id of the change set.
    pub async fn start_change_set(&self, cs: &ChangeSet, token: &str, validate: bool) -> Result<String, AwsError> {
        let call = self.call("StartChangeSet");
        let built = |e: aws_sdk_marketplacecatalog::error::BuildError| AwsError::Refused {
            operation: call.operation.into(),
            code: "BuildError".into(),
            message: e.to_string(),
        };
        let mut changes = Vec::with_capacity(cs.change_set.len());
        for c in &cs.change_set {
            let entity = Entity::builder()
                .r#type(c.entity.kind)
                .set_identifier(c.entity.identifier.clone())
                .build()
                .map_err(built)?;
            let change = Change::builder()
                .change_type(c.change_type)
                .entity(entity)
                .set_change_name(c.change_name.map(str::to_owned))
                .details_document(from_json(&c.details_document))
                .build()
                .map_err(built)?;
            changes.push(change);
        }
        let answer = self
            .catalog
            .start_change_set()
            .catalog(cs.catalog)
            .set_change_set(Some(changes))
            .change_set_name(&cs.change_set_name)
            .client_request_token(token)
            .intent(if validate { Intent::Validate } else { Intent::Apply })
            .send()
            .await
            .map_err(|e| call.error(e))?;
        answer.change_set_id().map(str::to_owned).ok_or_else(|| AwsError::Refused {
            operation: call.operation.into(),
            code: "NoChangeSetId".into(),
            message: "AWS's answer gave no ChangeSetId".into(),
        })
    }

    /// What AWS did with a change set so far: a `describe-change-set` answer.
    pub async fn describe_change_set(&self, id: &str) -> Result<Value, AwsError> {
        let call = self.call("DescribeChangeSet");
        let d = self
            .catalog
            .describe_change_set()
            .catalog(CATALOG)
            .change_set_id(id)
            .send()
            .await
            .map_err(|e| call.error(e))?;
        let changes: Vec<Value> = d
            .change_set()
            .iter()
            .map(|c| {
                let errors: Vec<Value> = c
                    .error_detail_list()
                    .iter()
                    .map(|e| json!({"ErrorCode": e.error_code(), "ErrorMessage": e.error_message()}))
                    .collect();
                let mut v = json!({
                    "ChangeType": c.change_type(),
                    "Entity": c.entity().map(|e| json!({"Type": e.r#type(), "Identifier": e.identifier()})),
                    "ErrorDetailList": errors,
                });
                if let Some(name) = c.change_name() {
                    v["ChangeName"] = json!(name);
                }
                if let Some(doc) = c.details_document() {
                    v["DetailsDocument"] = to_json(doc);
                } else if let Some(text) = c.details() {
                    v["Details"] = json!(text);
                }
                v
            })
            .collect();
        let mut v = json!({
            "ChangeSetId": d.change_set_id(),
            "ChangeSetArn": d.change_set_arn(),
            "ChangeSetName": d.change_set_name(),
            "StartTime": d.start_time(),
            "EndTime": d.end_time(),
            "Status": d.status().map(|s| s.as_str()),
            "ChangeSet": changes,
        });
        if let Some(code) = d.failure_code() {
            v["FailureCode"] = json!(code.as_str());
        }
        if let Some(text) = d.failure_description() {
            v["FailureDescription"] = json!(text);
        }
        Ok(v)
    }
}

/// AWS's `LastModifiedDate`, `2026-11-30T12:00:00Z` (or with fractions).
pub(super) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}
