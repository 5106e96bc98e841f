//! What can go wrong talking to AWS, each as one line a person can act on. The SDK's errors
//! are mapped here and nowhere else; no message carries a credential (the SDK's own never
//! do, and none is built from one).

use std::error::Error as StdError;

use aws_sdk_marketplacecatalog::error::{ProvideErrorMetadata, SdkError};

/// The region where AWS Marketplace's Catalog and Agreement APIs answer.
pub const DEFAULT_REGION: &str = "us-east-1";

/// One failure of a call to AWS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwsError {
    #[error("no AWS credentials found{}: run `aws configure` (or `aws sso login`), or pass --profile NAME", profile_words(.profile))]
    NoCredentials { profile: Option<String> },
    #[error("the AWS SSO session{} has expired: run `aws sso login{}` and try again", profile_words(.profile), profile_flag(.profile))]
    SsoExpired { profile: Option<String> },
    #[error("AWS credentials{} could not be loaded: {detail}", profile_words(.profile))]
    Credentials { profile: Option<String>, detail: String },
    #[error(
        "AWS refused these credentials ({code}): they are wrong or expired; refresh them (`aws configure`, `aws sso login`) and try again"
    )]
    BadCredentials { code: String },
    #[error(
        "AWS denied {permission} to these credentials: add it to the IAM policy of the user or role (AWS said: {message})"
    )]
    AccessDenied { permission: String, message: String },
    #[error("AWS kept throttling {operation} after the SDK's retries with backoff: wait a minute and try again")]
    Throttled { operation: String },
    #[error("cannot reach AWS ({detail}): check the network connection (or AWS_ENDPOINT_URL) and try again")]
    Network { detail: String },
    #[error("AWS Marketplace's API does not answer in region `{region}`: leave out --region (it is {DEFAULT_REGION})")]
    BadRegion { region: String },
    #[error(
        "an entity of this change set is locked by another change set still running on AWS ({message}): wait for it to end (the Requests page of the AWS Marketplace Management Portal shows it), then push again"
    )]
    InUse { message: String },
    #[error("AWS refused {operation} ({code}): {message}")]
    Refused { operation: String, code: String, message: String },
}

fn profile_words(profile: &Option<String>) -> String {
    profile.as_deref().map_or_else(String::new, |p| format!(" for profile `{p}`"))
}

fn profile_flag(profile: &Option<String>) -> String {
    profile.as_deref().map_or_else(String::new, |p| format!(" --profile {p}"))
}

/// Every message of an error and its sources, joined: the SDK nests the reason deep.
pub fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut words = vec![e.to_string()];
    let mut at = e.source();
    while let Some(s) = at {
        let w = s.to_string();
        if !words.iter().any(|seen| seen.contains(&w)) {
            words.push(w);
        }
        at = s.source();
    }
    crate::domain::error::one_line(&words.join(": "))
}

/// Where a call went: its operation (for the IAM permission an access denial names) and the
/// client's region and profile (for the messages about them).
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub operation: &'static str,
    pub region: &'a str,
    pub profile: Option<&'a str>,
}

impl Call<'_> {
    /// The one line for `e`, an SDK error of this call.
    pub fn error<E, R>(&self, e: SdkError<E, R>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + 'static,
        R: std::fmt::Debug + 'static,
    {
        let profile = self.profile.map(str::to_owned);
        match &e {
            SdkError::ServiceError(s) => {
                let err = s.err();
                let code = err.code().unwrap_or("Unknown").to_owned();
                let message = err.message().unwrap_or("no message").to_owned();
                self.service(code, message)
            }
            SdkError::TimeoutError(_) => AwsError::Network { detail: "AWS did not answer in time".into() },
            SdkError::DispatchFailure(d) => {
                let detail = chain(&e);
                if let Some(why) = credentials_failure(&detail, profile.clone()) {
                    return why;
                }
                if d.is_io() && dns_failure(&detail) && self.region != DEFAULT_REGION {
                    return AwsError::BadRegion { region: self.region.to_owned() };
                }
                AwsError::Network { detail: short(&detail) }
            }
            SdkError::ConstructionFailure(_) | SdkError::ResponseError(_) => {
                let detail = chain(&e);
                credentials_failure(&detail, profile).unwrap_or_else(|| AwsError::Refused {
                    operation: self.operation.to_owned(),
                    code: "SdkError".into(),
                    message: short(&detail),
                })
            }
            _ => AwsError::Refused {
                operation: self.operation.to_owned(),
                code: "SdkError".into(),
                message: short(&chain(&e)),
            },
        }
    }

    /// An error AWS answered with: its code and message.
    pub fn service(&self, code: String, message: String) -> AwsError {
        match code.as_str() {
            "AccessDeniedException" | "AccessDenied" => {
                AwsError::AccessDenied { permission: format!("aws-marketplace:{}", self.operation), message }
            }
            "ThrottlingException" | "TooManyRequestsException" | "Throttling" => {
                AwsError::Throttled { operation: self.operation.to_owned() }
            }
            "ResourceInUseException" => AwsError::InUse { message },
            "UnrecognizedClientException" | "InvalidClientTokenId" | "ExpiredTokenException" => {
                AwsError::BadCredentials { code }
            }
            "InvalidSignatureException" | "SignatureDoesNotMatch" if message.to_lowercase().contains("region") => {
                AwsError::BadRegion { region: self.region.to_owned() }
            }
            _ => AwsError::Refused { operation: self.operation.to_owned(), code, message },
        }
    }
}

/// The credentials' own failure, read from the SDK's words (it reports them as a failed
/// dispatch or construction), if this is one.
pub fn credentials_failure(detail: &str, profile: Option<String>) -> Option<AwsError> {
    let lower = detail.to_lowercase();
    if lower.contains("sso") && lower.contains("expired") {
        return Some(AwsError::SsoExpired { profile });
    }
    if lower.contains("no credentials")
        || lower.contains("credentials not loaded")
        || lower.contains("credentialsnotloaded")
    {
        return Some(AwsError::NoCredentials { profile });
    }
    if lower.contains("credential") && (lower.contains("provider") || lower.contains("profile")) {
        return Some(AwsError::Credentials { profile, detail: short(detail) });
    }
    None
}

fn dns_failure(detail: &str) -> bool {
    let lower = detail.to_lowercase();
    lower.contains("dns") || lower.contains("lookup address") || lower.contains("name or service not known")
}

/// At most a line's worth of the SDK's words.
fn short(detail: &str) -> String {
    const MAX: usize = 300;
    if detail.chars().count() <= MAX {
        return detail.to_owned();
    }
    let cut: String = detail.chars().take(MAX).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call<'static> {
        Call { operation: "ListEntities", region: DEFAULT_REGION, profile: None }
    }

    #[test]
    fn an_access_denial_names_the_permission_to_add() {
        let e = call().service("AccessDeniedException".into(), "User is not authorized".into());
        assert_eq!(
            e.to_string(),
            "AWS denied aws-marketplace:ListEntities to these credentials: add it to the IAM policy of the user or role (AWS said: User is not authorized)"
        );
    }

    #[test]
    fn an_expired_sso_token_says_to_log_in_again() {
        let e = credentials_failure("the SSO token has expired and cannot be refreshed", Some("work".into()));
        assert_eq!(e, Some(AwsError::SsoExpired { profile: Some("work".into()) }));
        assert!(e.unwrap().to_string().contains("aws sso login --profile work"));
    }

    #[test]
    fn a_signature_scoped_to_another_region_is_a_bad_region() {
        let c = Call { operation: "ListEntities", region: "eu-west-9", profile: None };
        let e = c.service("InvalidSignatureException".into(), "Credential should be scoped to a valid region.".into());
        assert_eq!(e, AwsError::BadRegion { region: "eu-west-9".into() });
    }
}
