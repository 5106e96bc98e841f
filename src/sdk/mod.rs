//! The AWS SDK for Rust, as cppo's adapter to AWS Marketplace: the client (aws-config's
//! standard credential chain, `--profile`, `--region`), the Catalog API calls a pull and a
//! push make (`catalog`), the Agreement API's (`agreements`), a whole pull (`pull`) and a
//! change set sent and followed (`push`). Every answer becomes the JSON the AWS CLI prints,
//! read by `aws::import` as a file would be, so that a pull imports exactly as files do.
//!
//! I/O lives here and in no layer below; `market` never calls AWS (its use cases take what
//! this fetched), and the domain knows nothing of the SDK. Credentials stay inside the SDK:
//! nothing here stores, prints or formats them. `AWS_ENDPOINT_URL` (and the per-service
//! `AWS_ENDPOINT_URL_MARKETPLACE_CATALOG`, ...) point the SDK elsewhere, as the tests do.

mod agreements;
mod catalog;
mod document;
pub mod error;
pub mod pull;
pub mod push;

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;

use crate::market::{Marketplace, RemoteError};
pub use error::{AwsError, DEFAULT_REGION};
use error::{Call, chain, credentials_failure};

/// Where to reach AWS, and as whom.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// A profile of `~/.aws/config` (`--profile`); else `AWS_PROFILE`, else the default.
    pub profile: Option<String>,
    /// `--region`; else [`DEFAULT_REGION`], where AWS Marketplace's APIs answer, whatever region
    /// the profile names for other services.
    pub region: Option<String>,
}

/// A client of both of AWS Marketplace's APIs, with its credentials resolved.
#[derive(Debug, Clone)]
pub struct Client {
    catalog: aws_sdk_marketplacecatalog::Client,
    agreement: aws_sdk_marketplaceagreement::Client,
    region: String,
    profile: Option<String>,
}

impl Client {
    /// Loads the configuration and resolves the credentials once, so that a missing or
    /// expired one is said before anything is asked of AWS.
    pub async fn connect(settings: &Settings) -> Result<Self, AwsError> {
        let region = settings.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned());
        if !region_shaped(&region) {
            return Err(AwsError::BadRegion { region });
        }
        let profile = settings.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        // rustls with ring: no C toolchain beyond what ring builds, and no cmake.
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(10))
            .operation_attempt_timeout(Duration::from_secs(60))
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new(region.clone()))
            .http_client(http)
            .timeout_config(timeouts);
        if let Some(p) = &settings.profile {
            loader = loader.profile_name(p);
        }
        let config = loader.load().await;
        let Some(provider) = config.credentials_provider() else {
            return Err(AwsError::NoCredentials { profile });
        };
        if let Err(e) = provider.provide_credentials().await {
            return Err(credentials_error(&e, profile));
        }
        Ok(Self {
            catalog: aws_sdk_marketplacecatalog::Client::new(&config),
            agreement: aws_sdk_marketplaceagreement::Client::new(&config),
            region,
            profile,
        })
    }

    /// The context of a call of `operation`, for its errors.
    fn call(&self, operation: &'static str) -> Call<'_> {
        Call { operation, region: &self.region, profile: self.profile.as_deref() }
    }
}

/// What the credential chain's failure means for the person.
fn credentials_error(e: &CredentialsError, profile: Option<String>) -> AwsError {
    let detail = chain(e);
    if let CredentialsError::CredentialsNotLoaded(_) = e
        && !detail.to_lowercase().contains("sso")
    {
        return AwsError::NoCredentials { profile };
    }
    if let CredentialsError::ProviderTimedOut(_) = e {
        return AwsError::Network { detail: "the credential provider did not answer in time".into() };
    }
    credentials_failure(&detail, profile.clone()).unwrap_or(AwsError::Credentials { profile, detail })
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`: AWS's region names.
fn region_shaped(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether credentials look configured, decided without asking anyone: the variables and
/// files of the standard credential chain (static keys, a profile, web identity, a container
/// role, `~/.aws/credentials` or `~/.aws/config`). Cheap, so the TUI asks it when it loads
/// the session and `X` never waits on the network before the person confirms. An instance
/// role alone is not seen (finding it is a network call): `cppo push` still uses it.
pub fn credentials_configured() -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let vars = [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];
    if vars.into_iter().any(set) {
        return true;
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let file = |var: &str, name: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
            .is_some_and(|p| p.is_file())
    };
    file("AWS_SHARED_CREDENTIALS_FILE", "credentials") || file("AWS_CONFIG_FILE", "config")
}

/// Whether the machine says it is an EC2 instance (its firmware, or an explicit metadata
/// endpoint), where an instance role may hold credentials that only a network call finds.
/// Elsewhere the TUI never makes that call: `cppo push` still tries the whole chain.
pub fn maybe_on_ec2() -> bool {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if var("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return false;
    }
    if var("AWS_EC2_METADATA_SERVICE_ENDPOINT").is_some() {
        return true;
    }
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    read("/sys/devices/virtual/dmi/id/sys_vendor").trim() == "Amazon EC2"
        || read("/sys/devices/virtual/dmi/id/board_vendor").trim() == "Amazon EC2"
        || read("/sys/hypervisor/uuid").starts_with("ec2")
}

/// Whether the whole credential chain gives credentials now, as `cppo push` would find them
/// (for an instance role, a call to the instance's metadata service).
pub fn credentials_resolve(settings: &Settings) -> bool {
    runtime().is_ok_and(|rt| rt.block_on(Client::connect(settings)).is_ok())
}

/// A runtime for one command's calls (the CLI's; the TUI runs its own on a thread).
pub fn runtime() -> Result<tokio::runtime::Runtime, AwsError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AwsError::Network { detail: format!("no async runtime: {e}") })
}

/// The SDK behind `market`'s [`Marketplace`]: a client and the runtime its calls run on.
pub struct Aws {
    client: Client,
    runtime: tokio::runtime::Runtime,
    /// How long a push follows its change set before leaving it to a later push.
    pub wait: Duration,
}

impl Aws {
    /// Connects as [`Client::connect`] does.
    pub fn connect(settings: &Settings) -> Result<Self, AwsError> {
        let runtime = runtime()?;
        let client = runtime.block_on(Client::connect(settings))?;
        Ok(Self { client, runtime, wait: Duration::from_secs(20 * 60) })
    }
}

impl Marketplace for Aws {
    fn fetch(
        &mut self,
        since: Option<chrono::DateTime<chrono::Utc>>,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<crate::aws::pull::Fetched, RemoteError> {
        let mut told = |p: pull::Progress| progress(p.stage.label(), p.done, p.total);
        self.runtime.block_on(self.client.fetch(since, &mut told)).map_err(|e| RemoteError(e.to_string()))
    }

    fn push(
        &mut self,
        cs: &crate::aws::ChangeSet,
        validate: bool,
        status: &mut dyn FnMut(&str),
    ) -> Result<crate::aws::import::Entry, RemoteError> {
        let until = chrono::Utc::now() + self.wait;
        let mut told = |id: &str, s: &str| status(&format!("change set {id}: {s}"));
        self.runtime
            .block_on(self.client.push(cs, validate, until, &mut told))
            .map(|p| p.entry)
            .map_err(|e| RemoteError(e.to_string()))
    }

    fn describe(&mut self, id: &str) -> Result<Vec<crate::aws::import::Entry>, RemoteError> {
        let answer = self.runtime.block_on(self.client.describe_entity(id)).map_err(|e| RemoteError(e.to_string()))?;
        crate::aws::import::read("DescribeEntity", &answer.to_string()).map_err(|e| RemoteError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::region_shaped;

    #[test]
    fn region_names_have_aws_shape() {
        for good in ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5"] {
            assert!(region_shaped(good), "{good}");
        }
        for bad in ["", "us-east", "useast1", "US-EAST-1", "us-east-1a", "us--1", "moon"] {
            assert!(!region_shaped(bad), "{bad}");
        }
    }
}
