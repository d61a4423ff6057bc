//! Amazon Cognito user pools and their SAML identity providers in one region of one account.
//!
//! Calls: `ListUserPools` (pages of 60); per pool `ListIdentityProviders` (pages of 60); then,
//! only for a pool with a SAML provider, `DescribeUserPool` (deletion protection, ARN) and one
//! `DescribeIdentityProvider` per SAML provider (its settings and metadata). Pools without a
//! SAML provider are kept with their id and name only: connect-guard assesses SAML
//! federation, and an account may hold hundreds of application user pools.
//!
//! Nothing is kept from the details of OIDC and social providers: they hold client secrets
//! and private keys. Of a SAML provider's details only the named settings below are kept.
//!
//! With `--fetch-saml-metadata-urls`, the metadata of a SAML provider that Cognito reads from
//! a `MetadataURL` is fetched as well ([`super::metadata_url`]).
//!
//! A region whose `ListUserPools` fails is left out of the account's `cognito` map and the
//! failure is recorded, so it reads as "not assessed", never as "no user pools".

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{IdentityProviderTypeType, UserPoolDescriptionType};

use super::errors::{CallSite, code_of};
use super::metadata_url::{FetchError, MetadataFetcher};
use super::{Recorder, to_chrono};
use crate::saml::parse_metadata;
use crate::snapshot::{CognitoRegion, UserPool, UserPoolProvider};

/// Largest page `ListUserPools` and `ListIdentityProviders` accept.
const PAGE_SIZE: i32 = 60;

/// What happened in one region.
#[derive(Debug)]
pub(crate) enum RegionOutcome {
    /// The region was read (possibly with per-pool gaps, recorded separately).
    Read(CognitoRegion),
    /// An opt-in region the account has not enabled (Connect's outcome in the same region
    /// records it among the skipped regions).
    NotEnabled,
    /// `ListUserPools` failed; the error is recorded.
    Failed,
}

/// How metadata URLs are read: `None` when they are not fetched (the default), or the
/// fetcher, or why it could not be built.
pub(crate) type UrlFetching = Option<Result<MetadataFetcher, FetchError>>;

/// Collects the user pools in `region` for `account_id`.
pub(crate) async fn collect_region(
    client: &Client,
    account_id: &str,
    region: &str,
    fetching: &UrlFetching,
    recorder: &Recorder,
) -> RegionOutcome {
    let site = CallSite::regional(account_id, region, "cognito-idp", "ListUserPools");
    let mut summaries: Vec<UserPoolDescriptionType> = Vec::new();
    let mut pages = client
        .list_user_pools()
        .max_results(PAGE_SIZE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => summaries.extend(page.user_pools().iter().cloned()),
            Err(e) => {
                let code = code_of(&e).unwrap_or_default();
                if super::connect::opt_in_refusal(region, code, "ListUserPools").is_some() {
                    return RegionOutcome::NotEnabled;
                }
                recorder.record(site.sdk_error(&e));
                return RegionOutcome::Failed;
            }
        }
    }

    let mut user_pools = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let Some(id) = summary.id() else { continue };
        let pool = UserPool {
            arn: user_pool_arn(region, account_id, id),
            id: id.to_owned(),
            name: summary.name().unwrap_or_default().to_owned(),
            deletion_protection: None,
            creation_date: summary.creation_date().and_then(to_chrono),
            identity_providers: Vec::new(),
        };
        user_pools.push(collect_pool(client, account_id, region, pool, fetching, recorder).await);
    }
    user_pools.sort_by(|a, b| a.id.cmp(&b.id));
    RegionOutcome::Read(CognitoRegion { user_pools })
}

/// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`; `ListUserPools` does not
/// return the ARN, and `DescribeUserPool` is only called for pools with a SAML provider.
fn user_pool_arn(region: &str, account_id: &str, id: &str) -> String {
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:cognito-idp:{region}:{account_id}:userpool/{id}")
}

/// Lists the pool's identity providers and, when one is SAML, describes the pool and each
/// SAML provider. Each failure is recorded; what was read is kept.
async fn collect_pool(
    client: &Client,
    account_id: &str,
    region: &str,
    mut pool: UserPool,
    fetching: &UrlFetching,
    recorder: &Recorder,
) -> UserPool {
    let site = |operation| CallSite::regional(account_id, region, "cognito-idp", operation);

    let mut pages = client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .max_results(PAGE_SIZE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => pool
                .identity_providers
                .extend(page.providers().iter().map(|p| {
                    let mut provider = UserPoolProvider::new(
                        p.provider_name().unwrap_or_default(),
                        p.provider_type().map(|t| t.as_str()).unwrap_or_default(),
                    );
                    provider.last_modified_date = p.last_modified_date().and_then(to_chrono);
                    provider
                })),
            Err(e) => {
                recorder.record(site("ListIdentityProviders").sdk_error(&e));
                break;
            }
        }
    }
    pool.identity_providers.sort_by(|a, b| a.name.cmp(&b.name));
    let saml = IdentityProviderTypeType::Saml.as_str();
    if !pool
        .identity_providers
        .iter()
        .any(|p| p.provider_type == saml)
    {
        return pool;
    }

    match client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
    {
        Ok(output) => {
            if let Some(detail) = output.user_pool() {
                if let Some(arn) = detail.arn() {
                    pool.arn = arn.to_owned();
                }
                pool.deletion_protection =
                    detail.deletion_protection().map(|d| d.as_str().to_owned());
                pool.creation_date = detail
                    .creation_date()
                    .and_then(to_chrono)
                    .or(pool.creation_date);
            }
        }
        Err(e) => recorder.record(site("DescribeUserPool").sdk_error(&e)),
    }

    for provider in &mut pool.identity_providers {
        if provider.provider_type != saml {
            continue;
        }
        let described = client
            .describe_identity_provider()
            .user_pool_id(&pool.id)
            .provider_name(&provider.name)
            .send()
            .await;
        match described {
            Ok(output) => {
                if let Some(details) = output
                    .identity_provider()
                    .and_then(|p| p.provider_details())
                {
                    provider.apply_saml_details(|key| details.get(key).map(String::as_str));
                }
            }
            Err(e) => {
                let error = site("DescribeIdentityProvider").sdk_error(&e);
                provider.metadata.parse_error = Some(format!(
                    "metadata not read: DescribeIdentityProvider failed with {}",
                    error.code
                ));
                recorder.record(error);
            }
        }
        if let (Some(fetching), Some(url)) = (fetching, provider.metadata_url.clone())
            && provider.metadata_document.is_none()
            && provider.metadata.parse_error.is_none()
        {
            let fetched = match fetching {
                Ok(fetcher) => fetcher.fetch(&url).await,
                Err(error) => Err(error.clone()),
            };
            match fetched {
                Ok(document) => {
                    provider.metadata = parse_metadata(&document);
                    provider.metadata_document = Some(document);
                    provider.metadata_source = Some("url".to_owned());
                }
                Err(error) => {
                    provider.metadata.parse_error =
                        Some(format!("metadata not read: {}", error.message));
                    recorder.record(site("MetadataURL").error(&error.code, &error.message));
                }
            }
        }
    }
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_follow_the_partition_of_the_region() {
        assert_eq!(
            user_pool_arn("eu-west-2", "111122223333", "eu-west-2_Ab1"),
            "arn:aws:cognito-idp:eu-west-2:111122223333:userpool/eu-west-2_Ab1"
        );
        assert!(user_pool_arn("us-gov-west-1", "1", "x").starts_with("arn:aws-us-gov:"));
        assert!(user_pool_arn("cn-north-1", "1", "x").starts_with("arn:aws-cn:"));
    }

    #[test]
    fn only_the_documented_saml_settings_are_kept() {
        let mut provider = UserPoolProvider::new("Okta", "SAML");
        let details = [
            ("IDPInit", "TRUE"),
            ("IDPSignout", "false"),
            ("MetadataURL", "https://idp.example.com/metadata"),
            ("ActiveEncryptionCertificate", "MIIC-not-kept"),
            ("client_secret", "never-kept"),
        ];
        provider.apply_saml_details(|key| details.iter().find(|(k, _)| *k == key).map(|(_, v)| *v));
        assert_eq!(provider.idp_initiated, Some(true));
        assert_eq!(provider.idp_sign_out, Some(false));
        assert_eq!(provider.encrypted_responses, None);
        assert_eq!(
            provider.metadata_url.as_deref(),
            Some("https://idp.example.com/metadata")
        );
        assert_eq!(provider.metadata_document, None);
        let stored = serde_json::to_string(&provider).expect("serializes");
        assert!(
            !stored.contains("never-kept") && !stored.contains("MIIC"),
            "{stored}"
        );
    }
}
