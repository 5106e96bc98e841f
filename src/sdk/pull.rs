//! One pull's reading of AWS, as the acting account: the resale authorizations it granted
//! (`SELF`) and received (`SHARED`), its offers made from one (a CPPO names its
//! authorization; other offers are left out), each described 20 at a time, then the
//! agreements it proposed, with `DescribeAgreement` and `GetAgreementTerms` for the ACTIVE
//! ones the renewal radar reads. Incremental after the first pull: only what changed after the
//! watermark (AWS's `LastModifiedDate`; an agreement's `lastUpdateTime`). Nothing is written
//! here: the caller imports what this returns, in one transaction, or nothing.
//!
//! The describes start while the listing goes on, run a few at a time, paced (a real first
//! pull is thousands of calls, each a round trip to AWS), and their answers are read in the
//! order asked: the import is the same whatever order AWS answers in. The first error ends
//! the pull; the calls still in flight, and the listing, are dropped with it.

use std::cell::RefCell;
use std::collections::HashSet;
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
    /// Reads everything changed on AWS after `since` (everything when `None`). The entities
    /// are described while the listing goes on (a batch as soon as it has [`BATCH`] ids of
    /// one kind), so that a first pull's thousand list calls and its thousands of describes
    /// overlap; the authorizations still come before the offers in what it returns.
    pub async fn fetch(
        &self,
        since: Option<DateTime<Utc>>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Fetched, AwsError> {
        let progress = RefCell::new(progress);
        let tell =
            |stage: Stage, done: usize, total: usize| progress_of(&mut **progress.borrow_mut(), stage, done, total);
        let listing = RefCell::new(Listing::default());
        let (batches, mut ready) = tokio::sync::mpsc::unbounded_channel::<(Stage, Vec<String>)>();
        let lister = async {
            let mut seen = HashSet::new();
            let mut batch: Vec<String> = Vec::new();
            let mut listed = 0usize;
            let runs = [
                (Kind::ResaleAuthorization, OwnershipType::SelfValue),
                (Kind::ResaleAuthorization, OwnershipType::Shared),
                (Kind::Offer, OwnershipType::SelfValue),
            ];
            for (i, (kind, ownership)) in runs.iter().cloned().enumerate() {
                let stage = if kind == Kind::Offer { Stage::Offers } else { Stage::Authorizations };
                let mut fill = |page: &[Listed]| {
                    let mut l = listing.borrow_mut();
                    for entity in page {
                        listed += 1;
                        l.latest = l.latest.max(entity.last_modified);
                        if kind == Kind::Offer && entity.resale_authorization_id.is_none() {
                            l.left_out += 1;
                        } else if seen.insert(entity.id.clone()) {
                            l.count(stage, 1);
                            batch.push(entity.id.clone());
                            if batch.len() == BATCH {
                                let _ = batches.send((stage, std::mem::take(&mut batch)));
                            }
                        }
                    }
                    drop(l);
                    tell(Stage::Listing, listed, 0);
                };
                self.list(kind, ownership, since, &mut fill).await?;
                // A batch holds one kind: the authorizations' last one goes before any offer.
                if runs.get(i + 1).map(|(k, _)| *k) != Some(kind) && !batch.is_empty() {
                    let _ = batches.send((stage, std::mem::take(&mut batch)));
                }
            }
            listing.borrow_mut().done = true;
            // The sender goes with this block: the describes end once the last batch is read.
            drop(batches);
            Ok::<(), AwsError>(())
        };
        let describer = async {
            let pace = Pace::start(DESCRIBE_EVERY);
            let queued = stream::poll_fn(|cx| ready.poll_recv(cx));
            let mut answers = queued
                .enumerate()
                .map(|(i, (stage, ids))| async move {
                    pace.turn(i).await;
                    self.describe_batch(&ids).await.map(|answer| (stage, ids.len(), answer))
                })
                .buffered(DESCRIBES_IN_FLIGHT);
            let mut entries = Vec::new();
            let mut described = Listing::default();
            while let Some(answer) = answers.next().await {
                let (stage, n, answer) = answer?;
                read_answer("BatchDescribeEntities", &answer, &mut entries)?;
                described.count(stage, n);
                // While the listing goes on, its count is the one told; then each kind's.
                let l = listing.borrow();
                if l.done {
                    let (done, total) = (described.of(stage), l.of(stage));
                    drop(l);
                    tell(stage, done, total);
                }
            }
            Ok::<Vec<Entry>, AwsError>(entries)
        };
        let ((), entries) = try_join(lister, describer).await?;
        let l = listing.into_inner();
        let mut fetched = Fetched { entries, latest: l.latest, left_out: l.left_out, ..Fetched::default() };
        fetched.counts.authorizations = l.authorizations;
        fetched.counts.offers = l.offers;
        let progress = progress.into_inner();
        fetched.counts.agreements = self.agreements(since, &mut fetched.entries, progress).await?;
        Ok(fetched)
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

/// What the listing found so far (and, counted the same way, what was described).
#[derive(Debug, Default)]
struct Listing {
    authorizations: usize,
    offers: usize,
    /// Offers not made from a resale authorization (not CPPOs): listed, not described.
    left_out: usize,
    latest: Option<DateTime<Utc>>,
    done: bool,
}

impl Listing {
    fn count(&mut self, stage: Stage, n: usize) {
        match stage {
            Stage::Offers => self.offers += n,
            _ => self.authorizations += n,
        }
    }

    fn of(&self, stage: Stage) -> usize {
        match stage {
            Stage::Offers => self.offers,
            _ => self.authorizations,
        }
    }
}
