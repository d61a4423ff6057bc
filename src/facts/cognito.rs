//! Cognito user pool facts: the pools that federate contact-center users through a SAML
//! identity provider, when those providers stop working, and what protects the pools.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::DecisionRef;
use super::providers::Expiry;
use crate::snapshot::{UserPool, UserPoolProvider};

/// Actions whose denial protects a user pool and its IdP configuration from deletion and
/// replacement (CX-COG-05). All three authorize on the user pool's ARN.
pub const USER_POOL_TAMPERING_ACTIONS: [&str; 3] = [
    "cognito-idp:DeleteUserPool",
    "cognito-idp:DeleteIdentityProvider",
    "cognito-idp:UpdateIdentityProvider",
];

/// What rules need to know about a user pool with at least one SAML identity provider.
#[derive(Debug, Clone, Serialize)]
pub struct UserPoolFacts {
    /// Account of the pool.
    pub account_id: String,
    /// Region of the pool.
    pub region: String,
    /// User pool id.
    pub id: String,
    /// User pool ARN.
    pub arn: String,
    /// User pool name.
    pub name: String,
    /// `ACTIVE` or `INACTIVE`; `None` when `DescribeUserPool` could not be read (the
    /// collection error says so).
    pub deletion_protection: Option<String>,
    /// True when the pool's account holds an Amazon Connect instance: the pool is taken to
    /// federate contact-center users, and the Cognito rules assess it. An account's
    /// application user pools are left alone where no contact center runs.
    pub contact_center: bool,
    /// The pool's SAML identity providers, by name order.
    pub saml_providers: Vec<PoolProviderFacts>,
    /// SCP decisions for [`USER_POOL_TAMPERING_ACTIONS`] on the pool.
    pub scp: BTreeMap<String, DecisionRef>,
}

/// A SAML identity provider of a user pool.
#[derive(Debug, Clone, Serialize)]
pub struct PoolProviderFacts {
    /// Provider name.
    pub name: String,
    /// `IDPInit`: the pool accepts IdP-initiated (unsolicited) assertions. `None` when the
    /// provider's details could not be read.
    pub idp_initiated: Option<bool>,
    /// `file` (`MetadataFile`) or `url` (fetched from `MetadataURL` by the collector);
    /// `None` when connect-guard has no metadata document for the provider.
    pub metadata_source: Option<String>,
    /// `MetadataURL`, when Cognito reads the metadata from a URL.
    pub metadata_url: Option<String>,
    /// Why the provider's expiry is unknown, when it is.
    pub expiry_unknown: Option<String>,
    /// `entityID` from the metadata.
    pub entity_id: Option<String>,
    /// When the provider stops working.
    #[serde(flatten)]
    pub expiry: Expiry,
}

/// The facts of `pool`, or `None` when it has no SAML identity provider.
pub(crate) fn user_pool_facts(
    account_id: &str,
    region: &str,
    pool: &UserPool,
    contact_center: bool,
    now: DateTime<Utc>,
) -> Option<UserPoolFacts> {
    let saml_providers: Vec<PoolProviderFacts> = pool
        .identity_providers
        .iter()
        .filter(|p| p.provider_type == "SAML")
        .map(|p| provider_facts(p, now))
        .collect();
    if saml_providers.is_empty() {
        return None;
    }
    Some(UserPoolFacts {
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        id: pool.id.clone(),
        arn: pool.arn.clone(),
        name: pool.name.clone(),
        deletion_protection: pool.deletion_protection.clone(),
        contact_center,
        saml_providers,
        scp: BTreeMap::new(),
    })
}

fn provider_facts(provider: &UserPoolProvider, now: DateTime<Utc>) -> PoolProviderFacts {
    let metadata = &provider.metadata;
    let expiry = Expiry::of(metadata, None, now);
    let expiry_unknown = if expiry.expires_at.is_some() {
        None
    } else if let Some(error) = &metadata.parse_error {
        Some(format!("its metadata could not be read: {error}"))
    } else if provider.metadata_document.is_none() {
        Some(match &provider.metadata_url {
            Some(url) => format!(
                "Cognito reads its metadata from {url}, which was not fetched \
                 (collect with --fetch-saml-metadata-urls to assess it)"
            ),
            None => "no metadata document was collected".to_owned(),
        })
    } else {
        Some("its metadata has no signing certificate".to_owned())
    };
    PoolProviderFacts {
        name: provider.name.clone(),
        idp_initiated: provider.idp_initiated,
        metadata_source: provider.metadata_source.clone(),
        metadata_url: provider.metadata_url.clone(),
        expiry_unknown,
        entity_id: metadata.entity_id.clone(),
        expiry,
    }
}
