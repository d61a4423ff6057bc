//! IAM in one account: SAML providers with parsed metadata, roles with decoded trust, inline
//! and attached policies, and users and groups with theirs.
//!
//! Calls per account: `ListSAMLProviders` (not paginated), one `GetSAMLProvider` per
//! provider, and `GetAccountAuthorizationDetails` with the `Role`, `User`, `Group` and
//! `LocalManagedPolicy` filters: the fewest calls that return every role's trust policy,
//! inline documents, attached policy ARNs, boundary, tags and last use, every user's and
//! group's policies and memberships, plus the customer-managed policies with their default
//! versions (DOMAIN.md §2.2). Accounts with users add the credential report
//! ([`super::credentials`]). AWS-managed policies are not in that answer; their
//! documents are the same in every account, so [`ManagedPolicyCache`] fetches each one once
//! per scan (`GetPolicy` + `GetPolicyVersion`) and shares it across accounts.
//!
//! IAM returns policy documents URL-encoded (RFC 3986) and the SDK does not decode them;
//! emulators sometimes return them raw. [`decode_policy_document`] accepts both.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use aws_sdk_iam::Client;
use aws_sdk_iam::types::EntityType;
use tokio::sync::OnceCell;

use super::errors::CallSite;
use super::{Recorder, to_chrono};
use crate::saml::parse_metadata;
use crate::snapshot::{
    Group, Iam, InlinePolicy, JsonText, PrivateKeyRef, Role, SamlMetadata, SamlProvider, Tags, User,
};

/// Largest page `GetAccountAuthorizationDetails` accepts; bigger pages mean fewer calls.
const GAAD_PAGE_SIZE: i32 = 1000;

/// A policy document as IAM returned it, decoded: JSON first, percent-decoded JSON second.
///
/// Trying JSON first matters: a raw JSON document containing `%` (in a condition value, say)
/// must not be percent-decoded. An encoded document never parses as JSON, because it starts
/// with `%7B`.
pub fn decode_policy_document(raw: &str) -> Result<JsonText, String> {
    if let Ok(value) = serde_json::from_str(raw) {
        return Ok(value);
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|e| format!("policy document is not valid UTF-8 after URL-decoding: {e}"))?;
    serde_json::from_str(&decoded)
        .map_err(|e| format!("policy document is neither JSON nor URL-encoded JSON: {e}"))
}

/// A fetched document, or the error code and message of the failed fetch.
type Fetched = Result<JsonText, (String, String)>;

/// Documents of AWS-managed policies, fetched once per scan and shared by every account.
#[derive(Debug, Default)]
pub(crate) struct ManagedPolicyCache {
    cells: Mutex<HashMap<String, Arc<OnceCell<Fetched>>>>,
}

impl ManagedPolicyCache {
    /// The default-version document of the AWS-managed policy `arn`, fetched with `client`
    /// the first time any account asks. A failure is cached too (as code and message), so a
    /// missing policy costs one call, and every account that needs it records the gap.
    async fn get(&self, client: &Client, arn: &str) -> Result<JsonText, (String, String)> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|p| p.into_inner());
            cells.entry(arn.to_owned()).or_default().clone()
        };
        cell.get_or_init(|| fetch_managed_policy(client, arn))
            .await
            .clone()
    }
}

async fn fetch_managed_policy(client: &Client, arn: &str) -> Result<JsonText, (String, String)> {
    let policy = client
        .get_policy()
        .policy_arn(arn)
        .send()
        .await
        .map_err(|e| with_operation("GetPolicy", super::errors::classify(&e)))?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .unwrap_or("v1")
        .to_owned();
    let output = client
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(|e| with_operation("GetPolicyVersion", super::errors::classify(&e)))?;
    let raw = output
        .policy_version()
        .and_then(|v| v.document())
        .unwrap_or_default();
    decode_policy_document(raw).map_err(|m| {
        with_operation(
            "GetPolicyVersion",
            ("MalformedPolicyDocument".to_owned(), m),
        )
    })
}

/// Prefixes the code with the operation that failed, so the cached error says which call.
fn with_operation(operation: &str, (code, message): (String, String)) -> (String, String) {
    (format!("{operation}:{code}"), message)
}

/// Collects IAM for `account_id` with a client holding that account's credentials.
pub(crate) async fn collect_iam(
    client: &Client,
    account_id: &str,
    cache: &ManagedPolicyCache,
    recorder: &Recorder,
) -> Iam {
    let saml_providers = saml_providers(client, account_id, recorder).await;
    let Authorization {
        roles,
        mut users,
        groups,
        local_policies: mut managed_policies,
    } = authorization(client, account_id, recorder).await;
    super::credentials::apply_credential_report(client, account_id, &mut users, recorder).await;

    // AWS-managed policies attached to some role, user or group: from the scan-wide cache.
    let aws_managed: std::collections::BTreeSet<&str> = roles
        .iter()
        .flat_map(|r| r.attached.iter())
        .chain(users.iter().flat_map(|u| u.attached.iter()))
        .chain(groups.iter().flat_map(|g| g.attached.iter()))
        .map(String::as_str)
        .filter(|arn| is_aws_managed(arn))
        .collect();
    for arn in aws_managed {
        match cache.get(client, arn).await {
            Ok(document) => {
                managed_policies.insert(arn.to_owned(), document);
            }
            Err((code, message)) => {
                let (operation, code) = match code.split_once(':') {
                    Some(("GetPolicy", code)) => ("GetPolicy", code),
                    Some((_, code)) => ("GetPolicyVersion", code),
                    None => ("GetPolicyVersion", code.as_str()),
                };
                recorder.record(
                    CallSite::global(Some(account_id), "iam", operation)
                        .error(code, &format!("{arn}: {message}")),
                );
            }
        }
    }

    Iam {
        saml_providers,
        roles,
        managed_policies,
        users,
        groups,
    }
}

/// `arn:aws:iam::aws:policy/…` (in any partition).
fn is_aws_managed(arn: &str) -> bool {
    arn.split(':').nth(4) == Some("aws")
}

async fn saml_providers(
    client: &Client,
    account_id: &str,
    recorder: &Recorder,
) -> Vec<SamlProvider> {
    let site = CallSite::global(Some(account_id), "iam", "ListSAMLProviders");
    let list = match client.list_saml_providers().send().await {
        Ok(output) => output.saml_provider_list().to_vec(),
        Err(e) => {
            recorder.record(site.sdk_error(&e));
            return Vec::new();
        }
    };
    let mut providers = Vec::with_capacity(list.len());
    for entry in list {
        let Some(arn) = entry.arn().map(str::to_owned) else {
            continue;
        };
        let name = arn.rsplit('/').next().unwrap_or_default().to_owned();
        let mut provider = SamlProvider {
            name,
            create_date: entry.create_date().and_then(to_chrono),
            valid_until: entry.valid_until().and_then(to_chrono),
            uuid: None,
            assertion_encryption_mode: None,
            private_keys: Vec::new(),
            tags: Tags::new(),
            metadata_document: None,
            metadata: SamlMetadata::default(),
            arn,
        };
        let site = CallSite::global(Some(account_id), "iam", "GetSAMLProvider");
        match client
            .get_saml_provider()
            .saml_provider_arn(&provider.arn)
            .send()
            .await
        {
            Ok(output) => {
                provider.uuid = output.saml_provider_uuid().map(str::to_owned);
                provider.create_date = output
                    .create_date()
                    .and_then(to_chrono)
                    .or(provider.create_date);
                provider.valid_until = output
                    .valid_until()
                    .and_then(to_chrono)
                    .or(provider.valid_until);
                provider.assertion_encryption_mode = output
                    .assertion_encryption_mode()
                    .map(|m| m.as_str().to_owned());
                // Only key ids and dates: IAM never returns the private keys themselves.
                provider.private_keys = output
                    .private_key_list()
                    .iter()
                    .map(|k| PrivateKeyRef {
                        key_id: k.key_id().unwrap_or_default().to_owned(),
                        timestamp: k.timestamp().and_then(to_chrono),
                    })
                    .collect();
                provider.tags = output
                    .tags()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().to_owned()))
                    .collect();
                if let Some(document) = output.saml_metadata_document() {
                    // A parse failure lands in `metadata.parse_error`, never here.
                    provider.metadata = parse_metadata(document);
                    provider.metadata_document = Some(document.to_owned());
                }
            }
            Err(e) => {
                let error = site.sdk_error(&e);
                provider.metadata.parse_error = Some(format!(
                    "metadata not read: GetSAMLProvider failed with {}",
                    error.code
                ));
                recorder.record(error);
            }
        }
        providers.push(provider);
    }
    providers.sort_by(|a, b| a.arn.cmp(&b.arn));
    providers
}

/// What `GetAccountAuthorizationDetails` says about an account.
struct Authorization {
    roles: Vec<Role>,
    users: Vec<User>,
    groups: Vec<Group>,
    /// Default-version documents of the customer-managed policies something here uses.
    local_policies: BTreeMap<String, JsonText>,
}

/// Roles, users and groups, and the default-version documents of the customer-managed
/// policies attached to them.
async fn authorization(client: &Client, account_id: &str, recorder: &Recorder) -> Authorization {
    let site = CallSite::global(Some(account_id), "iam", "GetAccountAuthorizationDetails");
    let mut pages = client
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::LocalManagedPolicy)
        .max_items(GAAD_PAGE_SIZE)
        .into_paginator()
        .send();
    let mut roles = Vec::new();
    let mut users = Vec::new();
    let mut groups = Vec::new();
    let mut local_policies: BTreeMap<String, JsonText> = BTreeMap::new();
    let document_error = |what: String, message: String| {
        recorder.record(site.error("MalformedPolicyDocument", &format!("{what}: {message}")));
    };
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                // A partial role list would hide roles: record it; what was read is kept.
                recorder.record(site.sdk_error(&e));
                break;
            }
        };
        for detail in page.role_detail_list() {
            let arn = detail.arn().unwrap_or_default().to_owned();
            let trust = match decode_policy_document(
                detail.assume_role_policy_document().unwrap_or("{}"),
            ) {
                Ok(value) => value,
                Err(message) => {
                    document_error(format!("{arn} trust policy"), message);
                    JsonText::default()
                }
            };
            let inline = inline_policies(&arn, detail.role_policy_list(), &document_error);
            roles.push(Role {
                name: detail.role_name().unwrap_or_default().to_owned(),
                id: detail.role_id().unwrap_or_default().to_owned(),
                path: detail.path().unwrap_or("/").to_owned(),
                create_date: detail.create_date().and_then(to_chrono),
                // Not in GetAccountAuthorizationDetails; one GetRole per role would cost more
                // than the rules need it.
                max_session_duration: None,
                trust,
                inline,
                attached: attached_arns(detail.attached_managed_policies()),
                boundary: detail
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(str::to_owned),
                tags: detail
                    .tags()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().to_owned()))
                    .collect(),
                last_used: detail
                    .role_last_used()
                    .and_then(|u| u.last_used_date())
                    .and_then(to_chrono),
                arn,
            });
        }
        for detail in page.user_detail_list() {
            let arn = detail.arn().unwrap_or_default().to_owned();
            let inline = inline_policies(&arn, detail.user_policy_list(), &document_error);
            users.push(User {
                name: detail.user_name().unwrap_or_default().to_owned(),
                id: detail.user_id().unwrap_or_default().to_owned(),
                path: detail.path().unwrap_or("/").to_owned(),
                create_date: detail.create_date().and_then(to_chrono),
                inline,
                attached: attached_arns(detail.attached_managed_policies()),
                groups: detail.group_list().to_vec(),
                // From the credential report, read next.
                password_enabled: None,
                password_last_used: None,
                access_keys: Vec::new(),
                arn,
            });
        }
        for detail in page.group_detail_list() {
            let arn = detail.arn().unwrap_or_default().to_owned();
            let inline = inline_policies(&arn, detail.group_policy_list(), &document_error);
            groups.push(Group {
                name: detail.group_name().unwrap_or_default().to_owned(),
                inline,
                attached: attached_arns(detail.attached_managed_policies()),
                arn,
            });
        }
        for policy in page.policies() {
            let Some(arn) = policy.arn() else { continue };
            let Some(version) = policy
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
            else {
                continue;
            };
            match decode_policy_document(version.document().unwrap_or("{}")) {
                Ok(document) => {
                    local_policies.insert(arn.to_owned(), document);
                }
                Err(message) => document_error(format!("{arn} default version"), message),
            }
        }
    }
    roles.sort_by(|a, b| a.arn.cmp(&b.arn));
    users.sort_by(|a, b| a.arn.cmp(&b.arn));
    groups.sort_by(|a, b| a.arn.cmp(&b.arn));

    // Keep the documents of policies something uses; the rest affect nobody.
    let attached: std::collections::BTreeSet<&String> = roles
        .iter()
        .flat_map(|r| r.attached.iter().chain(r.boundary.iter()))
        .chain(users.iter().flat_map(|u| u.attached.iter()))
        .chain(groups.iter().flat_map(|g| g.attached.iter()))
        .collect();
    local_policies.retain(|arn, _| attached.contains(arn));
    Authorization {
        roles,
        users,
        groups,
        local_policies,
    }
}

/// Inline policies of `owner`, decoded; a document that does not decode is reported.
fn inline_policies(
    owner: &str,
    list: &[aws_sdk_iam::types::PolicyDetail],
    document_error: &dyn Fn(String, String),
) -> Vec<InlinePolicy> {
    list.iter()
        .filter_map(|p| {
            let name = p.policy_name().unwrap_or_default().to_owned();
            match decode_policy_document(p.policy_document().unwrap_or("{}")) {
                Ok(document) => Some(InlinePolicy { name, document }),
                Err(message) => {
                    document_error(format!("{owner} inline policy {name}"), message);
                    None
                }
            }
        })
        .collect()
}

fn attached_arns(list: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<String> {
    list.iter()
        .filter_map(|p| p.policy_arn().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_raw_and_encoded_documents() {
        let raw = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a%b"}]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Aa%25b%22%7D%5D%7D";
        let expected = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a%b"}]});
        assert_eq!(decode_policy_document(raw), Ok(expected.clone().into()));
        assert_eq!(decode_policy_document(encoded), Ok(expected.into()));
        // `+` is a literal plus in RFC 3986 encoding, not a space.
        assert_eq!(
            decode_policy_document("%7B%22a%22%3A%22x+y%22%7D"),
            Ok(json!({"a": "x+y"}).into())
        );
        assert!(decode_policy_document("not json").is_err());
        assert!(decode_policy_document("%FF%FE").is_err());
    }

    #[test]
    fn aws_managed_arns() {
        assert!(is_aws_managed(
            "arn:aws:iam::aws:policy/AmazonConnect_FullAccess"
        ));
        assert!(is_aws_managed(
            "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"
        ));
        assert!(!is_aws_managed("arn:aws:iam::111122223333:policy/Mine"));
    }
}
