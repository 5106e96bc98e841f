//! A change set sent to AWS and followed to its end: `StartChangeSet` with the export's
//! `ClientRequestToken` (so that a push tried again is the same request to AWS, which answers
//! with the same change set), then `DescribeChangeSet` polled with backoff until it is
//! SUCCEEDED, FAILED or CANCELLED, each status told as it comes. What the answer means for
//! the record (linked, or AWS's errors kept beside it) is `market`'s, through the import.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{AwsError, Client};
use crate::aws::ChangeSet;
use crate::aws::import::{Entry, read};

/// The first wait between two looks at a running change set, and the longest.
const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// The request token of a validation: another request than the change set it checks (AWS
/// refuses a token reused with other parameters).
pub fn validation_token(token: &str) -> String {
    format!("{token}-check")
}

/// How a push ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Pushed {
    pub change_set_id: String,
    /// AWS's `describe-change-set` answer, as the AWS CLI prints it.
    pub answer: Value,
    /// It, read as an import reads it.
    pub entry: Entry,
    /// The status AWS gave last.
    pub status: String,
}

/// Why a push stopped before AWS ended its change set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PushError {
    #[error("{0}")]
    Aws(AwsError),
    /// Started, and still running when the wait ended (or a look at it failed).
    #[error(
        "change set {change_set_id} is on AWS ({status}) and cppo stopped following it: {why}; run the same push again \
         later: the same request token gives the same change set, and its end is then recorded"
    )]
    Unfinished { change_set_id: String, status: String, why: String },
}

impl Client {
    /// Sends `cs` and follows it until it ends or `until` passes; `status` is told each
    /// status AWS gives (once per change).
    pub async fn push(
        &self,
        cs: &ChangeSet,
        validate: bool,
        until: DateTime<Utc>,
        status: &mut dyn FnMut(&str, &str),
    ) -> Result<Pushed, PushError> {
        let token = if validate { validation_token(&cs.client_request_token) } else { cs.client_request_token.clone() };
        let id = self.start_change_set(cs, &token, validate).await.map_err(PushError::Aws)?;
        let mut wait = FIRST_WAIT;
        let mut last = String::new();
        loop {
            let answer = match self.describe_change_set(&id).await {
                Ok(a) => a,
                Err(e) => {
                    return Err(PushError::Unfinished {
                        change_set_id: id,
                        status: if last.is_empty() { "started".into() } else { last },
                        why: e.to_string(),
                    });
                }
            };
            let now = answer["Status"].as_str().unwrap_or("UNKNOWN").to_owned();
            if now != last {
                status(&id, &now);
                last.clone_from(&now);
            }
            if matches!(now.as_str(), "SUCCEEDED" | "FAILED" | "CANCELLED") {
                let entry = read("DescribeChangeSet", &answer.to_string())
                    .ok()
                    .and_then(|mut e| (e.len() == 1).then(|| e.remove(0)))
                    .ok_or_else(|| {
                        PushError::Aws(AwsError::Refused {
                            operation: "DescribeChangeSet".into(),
                            code: "UnreadableAnswer".into(),
                            message: format!("AWS's answer about change set {id} is not one change set"),
                        })
                    })?;
                return Ok(Pushed { change_set_id: id, answer, entry, status: now });
            }
            if Utc::now() + wait > until {
                return Err(PushError::Unfinished {
                    change_set_id: id,
                    status: now,
                    why: "AWS is still working on it".into(),
                });
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LONGEST_WAIT);
        }
    }
}
