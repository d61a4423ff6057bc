//! STS: who is calling, and credentials for each member account.
//!
//! Member accounts are read through a role assumed from the caller's credentials
//! (`--role-name`, `OrganizationAccountAccessRole` by default) with the session name
//! `connect-guard`, so CloudTrail in every member shows who looked. The credentials live only
//! in memory, inside the SDK's credential provider of the member's clients; they are never
//! logged, written or put in an error.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::Client;
use aws_types::SdkConfig;

use super::errors::{CallSite, code_of, is_access_denied};
use crate::snapshot::CollectionError;

/// Session name of every assumed-role session; visible in member CloudTrail logs.
pub const SESSION_NAME: &str = "connect-guard";

/// The caller, as `GetCallerIdentity` reports it.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The caller's account.
    pub(crate) account_id: String,
    /// The caller's ARN (an assumed-role ARN for SSO and CI sessions).
    pub(crate) arn: String,
}

/// Asks STS who the caller is. Failing here means there are no usable credentials.
pub(crate) async fn caller_identity(client: &Client) -> Result<Caller, CollectionError> {
    let site = CallSite::global(None, "sts", "GetCallerIdentity");
    let output = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| site.sdk_error(&e))?;
    Ok(Caller {
        account_id: output.account().unwrap_or_default().to_owned(),
        arn: output.arn().unwrap_or_default().to_owned(),
    })
}

/// The ARN of `role_name` in `account_id`. A name may carry a path (`scanners/ConnectGuard`).
pub(crate) fn role_arn(account_id: &str, role_name: &str) -> String {
    format!(
        "arn:aws:iam::{account_id}:role/{}",
        role_name.trim_start_matches('/')
    )
}

/// Assumes `role_name` in `account_id` and returns an [`SdkConfig`] carrying the session's
/// credentials, to build that account's clients from.
pub(crate) async fn assume_role(
    client: &Client,
    base: &SdkConfig,
    account_id: &str,
    role_name: &str,
    external_id: Option<&str>,
) -> Result<SdkConfig, CollectionError> {
    let site = CallSite::global(Some(account_id), "sts", "AssumeRole");
    let arn = role_arn(account_id, role_name);
    let output = client
        .assume_role()
        .role_arn(&arn)
        .role_session_name(SESSION_NAME)
        .set_external_id(external_id.map(str::to_owned))
        .send()
        .await
        .map_err(|e| {
            let mut error = site.sdk_error(&e);
            if code_of(&e).is_some_and(is_access_denied) {
                // The AWS message names the caller; say what to fix as well.
                error.message = format!(
                    "cannot assume {arn}: the role is missing or does not trust the scanner ({})",
                    error.message
                );
            }
            error
        })?;
    let Some(credentials) = output.credentials() else {
        return Err(site.error("MissingCredentials", "AssumeRole returned no credentials"));
    };
    let expiry = SystemTime::try_from(*credentials.expiration()).ok();
    let credentials = Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        Some(credentials.session_token().to_owned()),
        expiry,
        "connect-guard-assume-role",
    );
    Ok(base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert_eq!(
            role_arn("111122223333", "OrganizationAccountAccessRole"),
            "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"
        );
        assert_eq!(
            role_arn("111122223333", "/scanners/ConnectGuard"),
            "arn:aws:iam::111122223333:role/scanners/ConnectGuard"
        );
    }
}
