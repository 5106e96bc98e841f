//! One pull's reading of AWS, as the acting account: the resale authorizations it granted
//! (`SELF`) and received (`SHARED`), its offers made from one (a CPPO names its
//! authorization; other offers are left out), each described 20 at a time, then the
//! agreements it proposed, with `DescribeAgreement` and `GetAgreementTerms` for the ACTIVE
//! ones the renewal radar reads. Incremental after the first pull: only what changed after the
//! watermark (AWS's `LastModifiedDate`; an agreement's `lastUpdateTime`). Nothing is written
//! here: the caller imports what this returns, in one transaction, or nothing.
//!
//! The describes run a few at a time, paced (a real first pull is thousands of calls, each a
//! round trip to AWS), and their answers are read in the order asked: the import is the same
//! whatever order AWS answers in. The first error ends the pull; the calls still in flight
//! are dropped with it.

use std::time::Duration;

use aws_sdk_marketplacecatalog::types::OwnershipType;
use chrono::{DateTime, Utc};
use futures_util::future::try_join;
use futures_util::stream::{self, StreamExt};

use super::catalog::{BATCH, Kind, Listed};
use super::{AwsError, Client};
use crate::aws::import::{Entry, read_into};
use crate::aws::pull::Fetched;

/// How many `BatchDescribeEntities` calls a pull keeps in flight, and how far apart it starts
/// them. AWS's quota is per account (shared by everyone pulling or pushing as it): 20
/// `DescribeEntity` requests a second, a permission `BatchDescribeEntities` shares; a pull
/// takes half of that at most, whatever AWS's latency. In flight, four cover a round trip of
/// up to 400 ms at that pace; with faster answers the pace is the limit.
const DESCRIBES_IN_FLIGHT: usize = 4;
const DESCRIBE_EVERY: Duration = Duration::from_millis(100);
/// The same for the ACTIVE agreements, each a `DescribeAgreement` and a `GetAgreementTerms`
/// sent together: AWS allows 5 of each a second per account; a pull takes half.
const AGREEMENTS_IN_FLIGHT: usize = 2;
const AGREEMENT_EVERY: Duration = Duration::from_millis(400);

/// When each of a run of calls may start: the `i`th no sooner than `i` intervals after the
/// first, so that a run never asks faster than its pace (a call that ends late lets the next
/// ones start at once, never more than the in-flight limit).
#[derive(Debug, Clone, Copy)]
struct Pace {
    first: tokio::time::Instant,
    every: Duration,
}

impl Pace {
    fn start(every: Duration) -> Self {
        Self { first: tokio::time::Instant::now(), every }
    }

    async fn turn(self, i: usize) {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        tokio::time::sleep_until(self.first + self.every.saturating_mul(i)).await;
    }
}

/// Where a pull is, for a progress bar or a status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    /// 0 while the total is not known yet (listing).
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Listing,
    Authorizations,
    Offers,
    Agreements,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Self::Listing => "listing what changed on AWS",
            Self::Authorizations => "resale authorizations",
            Self::Offers => "offers",
            Self::Agreements => "agreements",
        }
    }
}

impl Client {
    /// Reads everything changed on AWS after `since` (everything when `None`).
    pub async fn fetch(
        &self,
        since: Option<DateTime<Utc>>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Fetched, AwsError> {
        let mut listed = 0usize;
        let mut listing = |n: usize| progress_of(progress, Stage::Listing, n, 0);
        let mut authorizations = Vec::new();
        for ownership in [OwnershipType::SelfValue, OwnershipType::Shared] {
            let base = listed;
            let found = self
                .list(Kind::ResaleAuthorization, ownership, since, &mut |n| {
                    listed = base + n;
                    listing(listed);
                })
                .await?;
            authorizations.extend(found);
        }
        let base = listed;
        let offers = self
            .list(Kind::Offer, OwnershipType::SelfValue, since, &mut |n| {
                listing(base + n);
            })
            .await?;
        let latest = authorizations.iter().chain(&offers).filter_map(|l| l.last_modified).max();
        dedupe(&mut authorizations);
        let (offers, others): (Vec<Listed>, Vec<Listed>) =
            offers.into_iter().partition(|o| o.resale_authorization_id.is_some());
        let mut offers = offers;
        dedupe(&mut offers);

        let mut fetched = Fetched { latest, left_out: others.len(), ..Fetched::default() };
        fetched.counts.authorizations = authorizations.len();
        self.describe_all(&authorizations, Stage::Authorizations, &mut fetched.entries, progress).await?;
        fetched.counts.offers = offers.len();
        self.describe_all(&offers, Stage::Offers, &mut fetched.entries, progress).await?;
        fetched.counts.agreements = self.agreements(since, &mut fetched.entries, progress).await?;
        Ok(fetched)
    }

    /// Describes `listed` in batches, [`DESCRIBES_IN_FLIGHT`] at a time, reading each answer
    /// as an import reads a file, in the order listed.
    async fn describe_all(
        &self,
        listed: &[Listed],
        stage: Stage,
        entries: &mut Vec<Entry>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), AwsError> {
        let total = listed.len();
        progress_of(progress, stage, 0, total);
        let ids: Vec<String> = listed.iter().map(|l| l.id.clone()).collect();
        let pace = Pace::start(DESCRIBE_EVERY);
        let mut answers = stream::iter(ids.chunks(BATCH).enumerate())
            .map(|(i, chunk)| async move {
                pace.turn(i).await;
                self.describe_batch(chunk).await.map(|answer| (chunk.len(), answer))
            })
            .buffered(DESCRIBES_IN_FLIGHT);
        let mut done = 0;
        while let Some(answer) = answers.next().await {
            let (n, answer) = answer?;
            read_answer("BatchDescribeEntities", &answer, entries)?;
            done += n;
            progress_of(progress, stage, done, total);
        }
        Ok(())
    }

    /// The agreements: every summary (their statuses move), and for the ACTIVE ones changed
    /// since the last pull, their value and payment schedule. How many were found.
    async fn agreements(
        &self,
        since: Option<DateTime<Utc>>,
        entries: &mut Vec<Entry>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<usize, AwsError> {
        let found = self.search_agreements(&mut |n| progress_of(progress, Stage::Listing, n, 0)).await?;
        let detailed =
            |f: &super::agreements::Found| f.active && since.is_none_or(|s| f.last_update.is_none_or(|u| u > s));
        let total = found.len();
        progress_of(progress, Stage::Agreements, 0, total);
        let summaries: Vec<serde_json::Value> =
            found.iter().filter(|f| !detailed(f)).map(|f| f.summary.clone()).collect();
        if !summaries.is_empty() {
            let page = serde_json::json!({ "agreementViewSummaries": summaries });
            read_answer("SearchAgreements", &page, entries)?;
        }
        let mut done = summaries.len();
        let pace = Pace::start(AGREEMENT_EVERY);
        let mut answers = stream::iter(found.iter().filter(|f| detailed(f)).enumerate())
            .map(|(i, f)| async move {
                pace.turn(i).await;
                try_join(self.describe_agreement(&f.id), self.agreement_terms(&f.id)).await
            })
            .buffered(AGREEMENTS_IN_FLIGHT);
        while let Some(answer) = answers.next().await {
            let (agreement, terms) = answer?;
            read_answer("DescribeAgreement", &agreement, entries)?;
            read_answer("GetAgreementTerms", &terms, entries)?;
            done += 1;
            progress_of(progress, Stage::Agreements, done, total);
        }
        Ok(total)
    }
}

/// Reads one answer (as the AWS CLI prints it) into `entries`. AWS's answer not being what
/// its model says is a refusal of the whole pull, as a file that is not AWS's would be.
fn read_answer(operation: &str, answer: &serde_json::Value, entries: &mut Vec<Entry>) -> Result<(), AwsError> {
    read_into(operation, &answer.to_string(), entries).map_err(|e| AwsError::Refused {
        operation: operation.to_owned(),
        code: "UnreadableAnswer".into(),
        message: e.to_string(),
    })
}

fn progress_of(progress: &mut dyn FnMut(Progress), stage: Stage, done: usize, total: usize) {
    progress(Progress { stage, done: done as u64, total: total as u64 });
}

/// One entry per id (an authorization both granted and received is listed twice).
fn dedupe(listed: &mut Vec<Listed>) {
    let mut seen = std::collections::HashSet::new();
    listed.retain(|l| seen.insert(l.id.clone()));
}
