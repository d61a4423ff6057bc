//! The live collector: an organization's Connect identity posture read with the AWS SDK.
//!
//! [`collect`] reads, from the caller's account (the management account or a delegated
//! administrator), the organization tree and its SCPs and RCPs (`organizations`); then for
//! every in-scope ACTIVE account it assumes the scanner role (`sts`) and reads IAM
//! (`iam`) and Connect in every region (`connect`), each a module of its own. The result is
//! a [`Snapshot`], the same thing `scan --snapshot` reads.
//!
//! # Partial failure is data
//!
//! Apart from the first calls (no credentials, not an organization administrator), nothing
//! stops a collection. A role that cannot be assumed, a suspended account, a region that
//! refuses, an operation the endpoint does not implement, throttling past the retries: each
//! becomes a [`CollectionError`] in `scan.errors`, the collection goes on, and the
//! `account-not-assessed` rule turns each one into a finding and the scan into an incomplete
//! one (exit code 3 or 4).
//!
//! # Concurrency
//!
//! Accounts run in parallel up to `--concurrency`; within an account IAM and every region run
//! at the same time; Connect calls additionally share a smaller scan-wide semaphore because
//! Connect's request rates are low. The SDK's adaptive retry mode slows down on throttling,
//! and connect and read timeouts make an unreachable endpoint cost seconds.
//!
//! # Secrets
//!
//! Assumed-role credentials exist only inside SDK credential providers. Nothing in the
//! snapshot, the progress output or an error message is derived from them; error messages
//! are additionally passed through [`errors::redact`].

mod calls;
mod cognito;
mod connect;
mod credentials;
pub mod errors;
mod http;
mod iam;
mod integrity;
mod metadata_url;
mod organizations;
mod progress;
mod sts;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub use connect::DEFAULT_REGIONS;
pub use iam::decode_policy_document;
pub use progress::ProgressMode;
pub use sts::SESSION_NAME;

use crate::snapshot::{
    Account, AccountResources, CollectionError, SCHEMA_VERSION, ScanMetadata, SkippedRegion,
    Snapshot, Tags,
};
use calls::CallCounter;
use errors::CallSite;

/// Default member role: the one Organizations creates in accounts it creates.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// Default number of accounts collected at the same time.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How long to wait for a TCP/TLS connection before the attempt counts as failed.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long to wait for the first byte of a response.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound on one call including its retries.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// Attempts per call (the first plus retries) for throttling and transient errors.
const MAX_ATTEMPTS: u32 = 5;
/// Longest wait between two attempts; keeps a dead endpoint from costing minutes.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Named profile of the shared AWS config files (`--profile`).
    pub profile: Option<String>,
    /// Home region for STS and the SDK (`--region`); the SDK's chain, then `us-east-1`, when
    /// absent.
    pub region: Option<String>,
    /// Role assumed in member accounts.
    pub role_name: String,
    /// External id required by the member role's trust policy, if any.
    pub external_id: Option<String>,
    /// Regions to look for Connect in; [`DEFAULT_REGIONS`] when empty.
    pub regions: Vec<String>,
    /// Only accounts under this OU (or root).
    pub ou: Option<String>,
    /// Only these accounts (when not empty).
    pub accounts: Vec<String>,
    /// Never these accounts.
    pub exclude_accounts: Vec<String>,
    /// Accounts collected at the same time.
    pub concurrency: usize,
    /// Connect calls in flight across the scan; half the account concurrency (at least 2)
    /// when `None`.
    pub connect_concurrency: Option<usize>,
    /// Fetch the metadata of Cognito SAML providers configured with a `MetadataURL`
    /// (`--fetch-saml-metadata-urls`); off by default, because the URL is account data.
    pub fetch_saml_metadata_urls: bool,
    /// Progress output.
    pub progress: ProgressMode,
}

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            role_name: DEFAULT_ROLE_NAME.to_owned(),
            external_id: None,
            regions: Vec::new(),
            ou: None,
            accounts: Vec::new(),
            exclude_accounts: Vec::new(),
            concurrency: DEFAULT_CONCURRENCY,
            connect_concurrency: None,
            fetch_saml_metadata_urls: false,
            progress: ProgressMode::Auto,
        }
    }
}

/// Why a collection could not even start. Everything after the first organization calls is
/// recorded in the snapshot instead.
#[derive(Debug, thiserror::Error)]
pub enum CollectFailure {
    /// No usable credentials, or STS refused them.
    #[error("cannot identify the caller: sts GetCallerIdentity failed with {code}: {message}")]
    Credentials {
        /// AWS or connect-guard error code.
        code: String,
        /// What went wrong.
        message: String,
    },
    /// The caller's account is not part of an organization.
    #[error("account {account_id} is not a member of an AWS Organization")]
    NotInOrganization {
        /// The caller's account.
        account_id: String,
    },
    /// The caller is neither the management account nor a delegated administrator.
    #[error(
        "account {account_id} is neither the organization's management account{} nor a delegated administrator allowed to read it: organizations {operation} failed with {code}",
        management_account_id.as_deref().map(|m| format!(" ({m})")).unwrap_or_default()
    )]
    NotAdministrator {
        /// The caller's account.
        account_id: String,
        /// The management account, when known.
        management_account_id: Option<String>,
        /// The refused operation.
        operation: String,
        /// The AWS error code.
        code: String,
    },
    /// The caller is in the management account, but its own IAM permissions (or an
    /// identity policy boundary) refuse the organization reads.
    #[error(
        "{principal_arn} in the management account may not read the organization: organizations {operation} failed with {code}"
    )]
    NotPermitted {
        /// The caller's ARN.
        principal_arn: String,
        /// The refused operation.
        operation: String,
        /// The AWS error code.
        code: String,
    },
    /// Another failure of the first organization calls.
    #[error(
        "cannot read the organization: organizations {operation} failed with {code}: {message}"
    )]
    Organization {
        /// The failed operation.
        operation: String,
        /// The AWS error code.
        code: String,
        /// What went wrong.
        message: String,
    },
    /// `--ou` or `--account` names something the organization does not have.
    #[error("{0}")]
    Scope(String),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
}

impl CollectFailure {
    /// A hint on how to fix it.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::Credentials { .. } => Some(
                "configure AWS credentials (environment, `aws sso login --profile NAME` with --profile NAME, \
                 or a role), and check AWS_REGION / --region"
                    .to_owned(),
            ),
            Self::NotInOrganization { .. } | Self::NotAdministrator { .. } => Some(
                "run connect-guard with credentials of the organization's management account or of a \
                 delegated administrator for AWS Organizations (see \"Live scans\" in the README)"
                    .to_owned(),
            ),
            Self::NotPermitted { .. } => Some(
                "give the caller the Organizations read actions of docs/scanner-iam-policy.json"
                    .to_owned(),
            ),
            Self::Scope(_) => Some("list the organization's OUs and accounts with `aws organizations list-accounts`".to_owned()),
            Self::Organization { .. } | Self::Runtime(_) => None,
        }
    }
}

/// Errors recorded while collecting, shared by every task.
#[derive(Debug, Default)]
pub(crate) struct Recorder(Mutex<Vec<CollectionError>>);

impl Recorder {
    /// Records one gap.
    pub(crate) fn record(&self, error: CollectionError) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(error);
    }

    /// How many gaps were recorded for `account_id`.
    fn count_for(&self, account_id: &str) -> usize {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|e| e.account_id.as_deref() == Some(account_id))
            .count()
    }

    fn take(&self) -> Vec<CollectionError> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// An SDK timestamp as a chrono one; `None` when out of chrono's range.
pub(crate) fn to_chrono(time: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp(time.secs(), time.subsec_nanos())
}

/// Collects a snapshot of the organization, blocking the calling thread.
///
/// One thread drives every request: the collector waits on the network, and its own work per
/// call (signing, parsing, a few hundred microseconds) is far below what one core can do at
/// the request rates AWS allows. A multi-threaded runtime only added cross-thread wake-ups,
/// measurably more CPU time per call (docs/benchmarks.md, collector section).
pub fn collect(options: &CollectOptions) -> Result<Snapshot, CollectFailure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CollectFailure::Runtime(e.to_string()))?;
    runtime.block_on(collect_async(options.clone()))
}

/// The SDK configuration of the caller: default credential chain (environment, profiles
/// including SSO, web identity, container and instance roles), endpoint overrides
/// (`AWS_ENDPOINT_URL` and per-service variants) as the SDK reads them, adaptive retry and
/// timeouts.
async fn load_config(options: &CollectOptions) -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http::ValidateOnce::shared(http_client))
        .retry_config(retry_config())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        // Stalled-stream protection guards long downloads by measuring the throughput of
        // every body poll. The collector reads only small XML/JSON responses, each bounded by
        // the read and operation timeouts above, so it added per-request work (3–4 % of
        // connect-guard's CPU samples against the emulator) and protected nothing.
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    // Without --region the loader's own chain decides (environment, profile, IMDS); it must
    // be the loader's, because only it carries the HTTP client configured above.
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        // Organizations and IAM are global; any commercial region signs for them.
        return config
            .to_builder()
            .region(Region::from_static("us-east-1"))
            .build();
    }
    config
}

/// Adaptive retry: exponential backoff with jitter, plus client-side rate limiting that slows
/// down as soon as AWS throttles, so a scan of hundreds of accounts settles at the rate the
/// service allows instead of failing.
pub(crate) fn retry_config() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_max_backoff(MAX_BACKOFF)
}

/// Everything the account tasks share.
#[derive(Debug)]
struct Shared {
    base: SdkConfig,
    caller_account: String,
    options: CollectOptions,
    regions: Vec<String>,
    counter: CallCounter,
    managed: iam::ManagedPolicyCache,
    metadata_urls: cognito::UrlFetching,
    connect_permits: Semaphore,
    recorder: Recorder,
    skipped: Mutex<Vec<SkippedRegion>>,
    org: aws_sdk_organizations::Client,
    sts: aws_sdk_sts::Client,
    progress: progress::Progress,
}

fn sts_client(config: &SdkConfig, counter: &CallCounter) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(config)
            .interceptor(counter.clone())
            .interceptor(integrity::CompleteBodies)
            .build(),
    )
}

fn organizations_client(
    config: &SdkConfig,
    counter: &CallCounter,
) -> aws_sdk_organizations::Client {
    aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(config)
            .interceptor(counter.clone())
            .interceptor(integrity::CompleteBodies)
            .build(),
    )
}

fn iam_client(config: &SdkConfig, counter: &CallCounter) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::config::Builder::from(config)
            .interceptor(counter.clone())
            .interceptor(integrity::CompleteBodies)
            .build(),
    )
}

fn cognito_client(
    config: &SdkConfig,
    counter: &CallCounter,
    region: &str,
) -> aws_sdk_cognitoidentityprovider::Client {
    aws_sdk_cognitoidentityprovider::Client::from_conf(
        aws_sdk_cognitoidentityprovider::config::Builder::from(config)
            .region(Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .interceptor(integrity::CompleteBodies)
            .build(),
    )
}

fn connect_client(
    config: &SdkConfig,
    counter: &CallCounter,
    region: &str,
) -> aws_sdk_connect::Client {
    aws_sdk_connect::Client::from_conf(
        aws_sdk_connect::config::Builder::from(config)
            .region(Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .interceptor(integrity::CompleteBodies)
            .build(),
    )
}

async fn collect_async(options: CollectOptions) -> Result<Snapshot, CollectFailure> {
    let started_at = Utc::now();
    let progress = progress::Progress::new(options.progress);
    let base = load_config(&options).await;
    let counter = CallCounter::default();
    let sts = sts_client(&base, &counter);
    let org = organizations_client(&base, &counter);

    progress.stage("identifying the caller");
    let caller = sts::caller_identity(&sts)
        .await
        .map_err(|e| CollectFailure::Credentials {
            code: e.code,
            message: e.message,
        })?;

    progress.stage("reading the organization");
    let recorder = Recorder::default();
    let mut organization =
        organizations::collect_organization(&org, &recorder, options.concurrency)
            .await
            .map_err(|failure| caller_failure(failure, &caller))?;

    let in_scope = scope(
        &organization.accounts,
        &organization.ous,
        &organization.roots,
        &options,
    )?;
    organization.accounts.retain(|a| in_scope.contains(&a.id));

    let regions = if options.regions.is_empty() {
        DEFAULT_REGIONS.iter().map(|r| (*r).to_owned()).collect()
    } else {
        let mut regions = options.regions.clone();
        regions.sort();
        regions.dedup();
        regions
    };
    let concurrency = options.concurrency.max(1);
    let connect_permits = options
        .connect_concurrency
        .unwrap_or((concurrency / 2).max(2))
        .max(1);
    progress.start_accounts(organization.accounts.len(), regions.len(), concurrency);

    let metadata_urls = options.fetch_saml_metadata_urls.then(|| {
        metadata_url::MetadataFetcher::new().map_err(|message| metadata_url::FetchError {
            code: "TlsSetupFailed".to_owned(),
            message,
        })
    });
    let shared = Arc::new(Shared {
        base,
        caller_account: caller.account_id.clone(),
        options,
        regions,
        counter,
        managed: iam::ManagedPolicyCache::default(),
        metadata_urls,
        connect_permits: Semaphore::new(connect_permits),
        recorder,
        skipped: Mutex::new(Vec::new()),
        org,
        sts,
        progress,
    });

    let account_permits = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    for account in organization.accounts.clone() {
        let shared = shared.clone();
        let permits = account_permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.ok();
            let id = account.id.clone();
            let collected = collect_account(&shared, &account).await;
            shared.progress.account_done(
                &account.id,
                &account.name,
                shared.recorder.count_for(&account.id),
            );
            (id, collected)
        });
    }
    let mut accounts = BTreeMap::new();
    let mut tags: BTreeMap<String, Tags> = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((id, (resources, account_tags))) => {
                tags.insert(id.clone(), account_tags);
                if let Some(resources) = resources {
                    accounts.insert(id, resources);
                }
            }
            // A panicking task is a bug, but it must not lose the account silently.
            Err(join_error) => shared.recorder.record(
                CallSite::global(None, "sts", "AssumeRole")
                    .error("InternalError", &join_error.to_string()),
            ),
        }
    }
    for account in &mut organization.accounts {
        if let Some(t) = tags.remove(&account.id) {
            account.tags = t;
        }
    }

    let mut errors = shared.recorder.take();
    errors.sort();
    errors.dedup();
    let mut skipped_regions =
        std::mem::take(&mut *shared.skipped.lock().unwrap_or_else(|p| p.into_inner()));
    skipped_regions.sort();
    let api_calls = shared.counter.operations();
    let total_calls: u64 = api_calls.values().sum();
    shared.progress.finish(&format!(
        "collected {} accounts with {total_calls} API calls ({} HTTP attempts); {} not assessed",
        organization.accounts.len(),
        shared.counter.attempts(),
        errors.len()
    ));

    Ok(Snapshot {
        schema_version: SCHEMA_VERSION,
        scan: ScanMetadata {
            started_at,
            finished_at: Some(Utc::now()),
            scanner_principal_arn: Some(caller.arn),
            tool_version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            regions: shared.regions.clone(),
            errors,
            skipped_regions,
            api_calls,
        },
        organization,
        accounts,
    })
}

/// Why `caller` could not read the organization, in the words the user needs: not in an
/// organization, not an administrator of it, or (in the management account itself) missing
/// IAM permissions, which no delegated-administrator setup would fix.
fn caller_failure(failure: organizations::OrgFailure, caller: &sts::Caller) -> CollectFailure {
    match failure {
        organizations::OrgFailure::NotInOrganization => CollectFailure::NotInOrganization {
            account_id: caller.account_id.clone(),
        },
        organizations::OrgFailure::NotAdministrator {
            error,
            management_account_id,
        } if management_account_id.as_deref() == Some(caller.account_id.as_str()) => {
            CollectFailure::NotPermitted {
                principal_arn: caller.arn.clone(),
                operation: error.operation,
                code: error.code,
            }
        }
        organizations::OrgFailure::NotAdministrator {
            error,
            management_account_id,
        } => CollectFailure::NotAdministrator {
            account_id: caller.account_id.clone(),
            management_account_id,
            operation: error.operation,
            code: error.code,
        },
        organizations::OrgFailure::Other(error) => CollectFailure::Organization {
            operation: error.operation,
            code: error.code,
            message: error.message,
        },
    }
}

/// The ids of the accounts to collect, after `--ou`, `--account` and `--exclude-account`.
fn scope(
    accounts: &[Account],
    ous: &[crate::snapshot::OrganizationalUnit],
    roots: &[crate::snapshot::Root],
    options: &CollectOptions,
) -> Result<BTreeSet<String>, CollectFailure> {
    if let Some(ou) = &options.ou
        && !ous.iter().any(|o| &o.id == ou)
        && !roots.iter().any(|r| &r.id == ou)
    {
        return Err(CollectFailure::Scope(format!(
            "--ou {ou}: no such organizational unit or root in the organization"
        )));
    }
    let known: BTreeSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    let unknown: Vec<&str> = options
        .accounts
        .iter()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        return Err(CollectFailure::Scope(format!(
            "--account {}: not in the organization",
            unknown.join(", ")
        )));
    }
    Ok(accounts
        .iter()
        .filter(|a| options.ou.as_ref().is_none_or(|ou| a.ancestry.contains(ou)))
        .filter(|a| options.accounts.is_empty() || options.accounts.contains(&a.id))
        .filter(|a| !options.exclude_accounts.contains(&a.id))
        .map(|a| a.id.clone())
        .collect())
}

/// One account: its tags, then, if it is ACTIVE and its credentials can be had, IAM and
/// Connect in every region at once.
async fn collect_account(
    shared: &Arc<Shared>,
    account: &Account,
) -> (Option<AccountResources>, Tags) {
    let tags = match organizations::list_tags(&shared.org, &account.id).await {
        Ok(tags) => tags,
        Err(mut error) => {
            error.account_id = Some(account.id.clone());
            shared.recorder.record(error);
            Tags::new()
        }
    };

    if account.state != "ACTIVE" {
        // Roles cannot be assumed in suspended or closing accounts; say so rather than try.
        shared.recorder.record(
            CallSite::global(Some(&account.id), "sts", "AssumeRole").error(
                &format!("Account{}", pascal_case(&account.state)),
                &format!(
                    "account is {}; its role cannot be assumed and its resources were not read",
                    account.state
                ),
            ),
        );
        return (None, tags);
    }

    let config = if account.id == shared.caller_account {
        shared.base.clone()
    } else {
        match sts::assume_role(
            &shared.sts,
            &shared.base,
            &account.id,
            &shared.options.role_name,
            shared.options.external_id.as_deref(),
        )
        .await
        {
            Ok(config) => config,
            Err(error) => {
                shared.recorder.record(error);
                return (None, tags);
            }
        }
    };

    let iam_client = iam_client(&config, &shared.counter);
    let iam_future = iam::collect_iam(&iam_client, &account.id, &shared.managed, &shared.recorder);

    let mut regions = JoinSet::new();
    for region in shared.regions.clone() {
        let connect = connect_client(&config, &shared.counter, &region);
        let cognito = cognito_client(&config, &shared.counter, &region);
        let account_id = account.id.clone();
        let shared = shared.clone();
        regions.spawn(async move {
            let connect = connect::collect_region(
                &connect,
                &account_id,
                &region,
                &shared.connect_permits,
                &shared.recorder,
            );
            let cognito = cognito::collect_region(
                &cognito,
                &account_id,
                &region,
                &shared.metadata_urls,
                &shared.recorder,
            );
            let (connect, cognito) = tokio::join!(connect, cognito);
            (region, connect, cognito)
        });
    }
    let regions_future = async {
        let mut resources = AccountResources::default();
        let skip = |region: &str, reason: String| {
            shared
                .skipped
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(SkippedRegion {
                    account_id: account.id.clone(),
                    region: region.to_owned(),
                    reason,
                });
        };
        while let Some(joined) = regions.join_next().await {
            let (region, connect, cognito) = match joined {
                Ok(outcomes) => outcomes,
                Err(join_error) => {
                    shared.recorder.record(
                        CallSite::global(Some(&account.id), "connect", "ListInstances")
                            .error("InternalError", &join_error.to_string()),
                    );
                    continue;
                }
            };
            match connect {
                connect::RegionOutcome::Read(data) => {
                    resources.connect.insert(region.clone(), data);
                }
                connect::RegionOutcome::NotEnabled(reason) => skip(&region, reason),
                connect::RegionOutcome::Failed => {}
            }
            match cognito {
                cognito::RegionOutcome::Read(data) => {
                    resources.cognito.insert(region, data);
                }
                // One entry per region is enough: Connect's refusal already said it.
                cognito::RegionOutcome::NotEnabled | cognito::RegionOutcome::Failed => {}
            }
        }
        resources
    };
    let (iam, resources) = tokio::join!(iam_future, regions_future);
    (Some(AccountResources { iam, ..resources }), tags)
}

/// `PENDING_CLOSURE` → `PendingClosure`, for error codes such as `AccountSuspended`.
fn pascal_case(state: &str) -> String {
    state
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect()
}
