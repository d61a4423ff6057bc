//! The snapshot model, version 1: everything connect-guard knows about an organization.
//!
//! A snapshot is plain data with no behaviour. The collector writes it, `scan --snapshot`
//! reads it, and the engine hands it to Rego as `input` (beside the facts derived in
//! [`crate::facts`]). Field names are the wire format: renaming one is a schema change and
//! needs a new [`SCHEMA_VERSION`](super::SCHEMA_VERSION).
//!
//! Every struct denies unknown fields, so a typo in a hand-written snapshot is an error
//! naming the field rather than a silently missing value.

use std::collections::BTreeMap;

use super::JsonText;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::saml::{Certificate, SamlMetadata};

/// Key/value tags as AWS returns them, ordered by key for deterministic output.
pub type Tags = BTreeMap<String, String>;

/// A whole organization at one point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Version of this format; connect-guard refuses versions it does not know.
    pub schema_version: u32,
    /// When, by whom and how the snapshot was taken, and what could not be read.
    pub scan: ScanMetadata,
    /// The organization's structure and its SCPs and RCPs.
    pub organization: Organization,
    /// Resources collected inside each account, keyed by 12-digit account id.
    #[serde(deserialize_with = "super::strict::unique_objects", default)]
    pub accounts: BTreeMap<String, AccountResources>,
}

/// How the snapshot was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanMetadata {
    /// When collection started. Every age (certificate expiry, role age) is computed from
    /// this instant, never from the wall clock, so a snapshot always gives the same findings.
    pub started_at: DateTime<Utc>,
    /// When collection finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// ARN of the principal that collected the snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanner_principal_arn: Option<String>,
    /// Version of the tool that wrote the snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    /// Regions in which Connect was looked for.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Everything that could not be read. Each entry becomes a "not assessed" finding.
    #[serde(default)]
    pub errors: Vec<CollectionError>,
    /// Opt-in regions an account has not enabled: nothing can run there, so they are not
    /// gaps, but they are listed so a reader sees they were not looked at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_regions: Vec<SkippedRegion>,
    /// AWS operations the collector invoked, as IAM actions (`connect:ListInstances`), with
    /// how many times each was called (retries not counted).
    #[serde(
        deserialize_with = "super::strict::unique_keys",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub api_calls: BTreeMap<String, u64>,
}

/// A region that was not collected for one account, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedRegion {
    /// 12-digit account id.
    pub account_id: String,
    /// The region.
    pub region: String,
    /// Why it was skipped.
    pub reason: String,
}

/// One thing the collector could not read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionError {
    /// Account the call was made for; absent for organization-level calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Region of the call; absent for global services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// AWS service, e.g. `sts`, `iam`, `connect`, `organizations`.
    pub service: String,
    /// API operation, e.g. `AssumeRole`.
    pub operation: String,
    /// AWS error code, e.g. `AccessDenied`, or a connect-guard code such as `Timeout`.
    pub code: String,
    /// Human-readable message, with credentials never included.
    pub message: String,
}

/// The organization: its tree and its authorization policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Organization id, `o-` followed by 10 to 32 characters.
    pub id: String,
    /// Organization ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `ALL` or `CONSOLIDATED_BILLING`; SCPs need `ALL`.
    #[serde(default = "default_feature_set")]
    pub feature_set: String,
    /// The management account, where no SCP or RCP applies.
    pub management_account_id: String,
    /// Roots (an organization has one), with the policy types enabled on each.
    pub roots: Vec<Root>,
    /// Every organizational unit.
    #[serde(default)]
    pub ous: Vec<OrganizationalUnit>,
    /// Every account, whatever its state.
    pub accounts: Vec<Account>,
    /// Every SCP and RCP, AWS-managed ones included.
    #[serde(default)]
    pub policies: Vec<OrgPolicy>,
}

fn default_feature_set() -> String {
    "ALL".to_owned()
}

/// An organization root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Root {
    /// Root id, `r-…`.
    pub id: String,
    /// Root ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Root name, usually `Root`.
    #[serde(default = "default_root_name")]
    pub name: String,
    /// Policy types and their status, read from `ListRoots` (not the deprecated
    /// `AvailablePolicyTypes` of `DescribeOrganization`).
    #[serde(default)]
    pub policy_types: Vec<PolicyTypeStatus>,
}

fn default_root_name() -> String {
    "Root".to_owned()
}

/// Whether a policy type is enabled on a root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyTypeStatus {
    /// `SERVICE_CONTROL_POLICY`, `RESOURCE_CONTROL_POLICY`, …
    #[serde(rename = "type")]
    pub policy_type: String,
    /// `ENABLED`, `PENDING_ENABLE` or `PENDING_DISABLE`.
    pub status: String,
}

/// An organizational unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationalUnit {
    /// OU id, `ou-…`.
    pub id: String,
    /// OU ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// OU name.
    pub name: String,
    /// Id of the parent root or OU.
    pub parent_id: String,
}

/// A member (or the management) account as Organizations lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// 12-digit account id.
    pub id: String,
    /// Account ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Account name.
    pub name: String,
    /// Account e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED` or `PENDING_ACTIVATION`.
    pub state: String,
    /// Id of the parent root or OU.
    pub parent_id: String,
    /// `CREATED` or `INVITED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_method: Option<String>,
    /// Chain of ids from the root down to the account itself:
    /// `[root, ou_1, …, ou_n, account]`. SCPs attached anywhere on it apply.
    pub ancestry: Vec<String>,
    /// Account tags.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub tags: Tags,
}

/// An SCP or RCP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgPolicy {
    /// Policy id, `p-…`.
    pub id: String,
    /// Policy ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Policy name.
    pub name: String,
    /// Policy description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`.
    #[serde(rename = "type")]
    pub policy_type: String,
    /// True for AWS-managed policies such as `FullAWSAccess`.
    #[serde(default)]
    pub aws_managed: bool,
    /// The policy document, parsed from the `Content` string.
    pub document: serde_json::Value,
    /// Length of `Content` in characters, as AWS counts it against the 5,120 limit.
    pub size_chars: usize,
    /// Roots, OUs and accounts the policy is attached to directly.
    #[serde(default)]
    pub targets: Vec<PolicyTarget>,
    /// Policy tags.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub tags: Tags,
}

/// A direct attachment of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyTarget {
    /// Id of the root, OU or account.
    pub id: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    #[serde(rename = "type")]
    pub target_type: String,
    /// Name of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Resources collected inside one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountResources {
    /// IAM SAML providers, roles and the managed policies they use.
    #[serde(default)]
    pub iam: Iam,
    /// Amazon Connect, keyed by region.
    #[serde(deserialize_with = "super::strict::unique_objects", default)]
    pub connect: BTreeMap<String, ConnectRegion>,
    /// Amazon Cognito user pools, keyed by region. A region missing here was not read
    /// (snapshots from before Cognito was collected have none).
    #[serde(
        deserialize_with = "super::strict::unique_objects",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub cognito: BTreeMap<String, CognitoRegion>,
}

/// IAM resources of one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Iam {
    /// SAML identity providers.
    #[serde(default)]
    pub saml_providers: Vec<SamlProvider>,
    /// Roles, with decoded trust, inline and attached policies.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Default-version documents of the managed policies attached to roles, users and
    /// groups, keyed by ARN.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub managed_policies: BTreeMap<String, JsonText>,
    /// IAM users, with their policies and the metadata of their credentials (dates and
    /// status only: no secret, no access key id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<User>,
    /// IAM groups that users belong to, with their policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

/// An IAM user: a long-lived identity, such as the one an IdP's provisioning integration
/// signs its Amazon Connect API calls with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// User name.
    pub name: String,
    /// `UserId` (`AIDA…`).
    pub id: String,
    /// User ARN.
    pub arn: String,
    /// User path, `/` by default.
    #[serde(default = "default_path")]
    pub path: String,
    /// When the user was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_date: Option<DateTime<Utc>>,
    /// Inline policies, decoded and parsed.
    #[serde(default)]
    pub inline: Vec<InlinePolicy>,
    /// ARNs of attached managed policies; documents are in [`Iam::managed_policies`].
    #[serde(default)]
    pub attached: Vec<String>,
    /// Names of the groups the user is in (see [`Iam::groups`]).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Whether the user has a console password; absent when the credential report could
    /// not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_enabled: Option<bool>,
    /// When the console password was last used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_last_used: Option<DateTime<Utc>>,
    /// Access keys: status and dates, in the credential report's order.
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
}

/// The metadata of one access key of an IAM user, identified by its place (1 or 2, as the
/// credential report numbers them).
///
/// Neither the secret nor the key id is collected: a snapshot holds nothing shaped like an
/// access key id, so a leak of the scanner's own credentials into one is caught mechanically
/// (the end-to-end tests scan every snapshot for that shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// `Active` or `Inactive`.
    pub status: String,
    /// When the key was created (the credential report's `last_rotated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<Utc>>,
    /// When the key last signed a request; absent when it never did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<DateTime<Utc>>,
    /// The service the key was last used with (`connect`, `iam`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_service: Option<String>,
}

/// An IAM group and its policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group name.
    pub name: String,
    /// Group ARN.
    pub arn: String,
    /// Inline policies, decoded and parsed.
    #[serde(default)]
    pub inline: Vec<InlinePolicy>,
    /// ARNs of attached managed policies.
    #[serde(default)]
    pub attached: Vec<String>,
}

/// An IAM SAML identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SamlProvider {
    /// Provider ARN, `arn:aws:iam::<account>:saml-provider/<name>`.
    pub arn: String,
    /// Provider name (the last ARN segment).
    pub name: String,
    /// When the provider was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_date: Option<DateTime<Utc>>,
    /// `ValidUntil` as IAM reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// `SAMLProviderUUID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// `Required` or `Allowed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion_encryption_mode: Option<String>,
    /// Ids and dates of the private keys used to decrypt assertions (never the keys).
    #[serde(default)]
    pub private_keys: Vec<PrivateKeyRef>,
    /// Provider tags.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub tags: Tags,
    /// The SAML metadata document exactly as IAM returned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_document: Option<String>,
    /// What connect-guard read from the metadata document.
    #[serde(default)]
    pub metadata: SamlMetadata,
}

/// Reference to a private key of a SAML provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivateKeyRef {
    /// Key id.
    pub key_id: String,
    /// When the key was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// `RoleId` (`AROA…`); it changes when a role is deleted and re-created.
    pub id: String,
    /// Role ARN.
    pub arn: String,
    /// Role path, `/` by default; `/aws-service-role/` marks service-linked roles.
    #[serde(default = "default_path")]
    pub path: String,
    /// When the role was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_date: Option<DateTime<Utc>>,
    /// Maximum session duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u32>,
    /// The trust policy, URL-decoded and parsed.
    pub trust: JsonText,
    /// Inline policies, decoded and parsed.
    #[serde(default)]
    pub inline: Vec<InlinePolicy>,
    /// ARNs of attached managed policies; documents are in [`Iam::managed_policies`].
    #[serde(default)]
    pub attached: Vec<String>,
    /// ARN of the permissions boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    /// Role tags.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub tags: Tags,
    /// When the role was last used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<DateTime<Utc>>,
}

fn default_path() -> String {
    "/".to_owned()
}

/// An inline policy of a role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicy {
    /// Policy name.
    pub name: String,
    /// The policy document.
    pub document: JsonText,
}

/// Amazon Connect in one region of one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectRegion {
    /// Instances in the region (a replica shares its source's instance id).
    #[serde(default)]
    pub instances: Vec<Instance>,
}

/// An Amazon Connect instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Instance id (a UUID).
    pub id: String,
    /// Instance ARN, `arn:aws:connect:<region>:<account>:instance/<id>`.
    pub arn: String,
    /// Instance alias; Global Resiliency needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// `SAML`, `CONNECT_MANAGED` or `EXISTING_DIRECTORY`; fixed at creation.
    pub identity_management_type: String,
    /// `CREATION_IN_PROGRESS`, `ACTIVE` or `CREATION_FAILED`.
    pub status: String,
    /// Why the status is what it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The instance access URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_url: Option<String>,
    /// ARN of the instance's service-linked role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_role: Option<String>,
    /// When the instance was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<DateTime<Utc>>,
    /// Instance tags.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub tags: Tags,
    /// Instance attributes by type, e.g. `CONTACTFLOW_LOGS` → `true`.
    #[serde(deserialize_with = "super::strict::unique_keys", default)]
    pub attributes: BTreeMap<String, String>,
    /// Global Resiliency replication, when the instance is replicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<Replication>,
    /// Traffic distribution groups of the instance.
    #[serde(default)]
    pub traffic_distribution_groups: Vec<TrafficDistributionGroup>,
}

/// `DescribeInstance.ReplicationConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    /// Region of the source instance.
    pub source_region: String,
    /// Global sign-in endpoint used for agent failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_sign_in_endpoint: Option<String>,
    /// Replication status per region.
    #[serde(default)]
    pub statuses: Vec<ReplicationStatus>,
}

/// Replication status in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplicationStatus {
    /// The region.
    pub region: String,
    /// E.g. `INSTANCE_REPLICATION_COMPLETE`.
    pub status: String,
    /// Why, when AWS says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A traffic distribution group and its distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrafficDistributionGroup {
    /// Group id.
    pub id: String,
    /// Group ARN.
    pub arn: String,
    /// Group name.
    pub name: String,
    /// E.g. `ACTIVE`.
    pub status: String,
    /// The default group is the only one with a sign-in configuration.
    pub is_default: bool,
    /// How traffic and sign-in are distributed across regions.
    #[serde(default)]
    pub distribution: TrafficDistribution,
    /// Ids of users associated with the group.
    #[serde(default)]
    pub user_ids: Vec<String>,
}

/// `GetTrafficDistribution`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrafficDistribution {
    /// Telephony share per region.
    #[serde(default)]
    pub telephony: Vec<RegionPercentage>,
    /// Sign-in enablement per region.
    #[serde(default)]
    pub sign_in: Vec<RegionEnabled>,
    /// Agent share per region.
    #[serde(default)]
    pub agent: Vec<RegionPercentage>,
}

/// A region's share of traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionPercentage {
    /// The region.
    pub region: String,
    /// Percentage, 0 to 100.
    pub percentage: u32,
}

/// Whether sign-in is enabled in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionEnabled {
    /// The region.
    pub region: String,
    /// Sign-in enabled.
    pub enabled: bool,
}

/// Amazon Cognito in one region of one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CognitoRegion {
    /// User pools in the region.
    #[serde(default)]
    pub user_pools: Vec<UserPool>,
}

/// A Cognito user pool and its third-party identity providers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPool {
    /// User pool id, `<region>_<suffix>`.
    pub id: String,
    /// User pool ARN, `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`.
    pub arn: String,
    /// User pool name.
    pub name: String,
    /// `ACTIVE` or `INACTIVE`; absent when `DescribeUserPool` could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    /// When the user pool was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<DateTime<Utc>>,
    /// Third-party identity providers of the pool.
    #[serde(default)]
    pub identity_providers: Vec<UserPoolProvider>,
}

/// A third-party identity provider of a user pool.
///
/// Only the settings of SAML providers are kept. The details of OIDC and social providers
/// hold client secrets and private keys, so nothing but their name and type is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPoolProvider {
    /// Provider name, as the pool's app clients name it.
    pub name: String,
    /// `SAML`, `OIDC`, `Google`, `Facebook`, `LoginWithAmazon` or `SignInWithApple`.
    pub provider_type: String,
    /// When the provider was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<DateTime<Utc>>,
    /// SAML: `IDPInit`, whether the pool accepts IdP-initiated (unsolicited) assertions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_initiated: Option<bool>,
    /// SAML: `IDPSignout`, whether sign-out is sent to the IdP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_sign_out: Option<bool>,
    /// SAML: `EncryptedResponses`, whether assertions must be encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_responses: Option<bool>,
    /// SAML: `RequestSigningAlgorithm` of the pool's authentication requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_signing_algorithm: Option<String>,
    /// SAML: `MetadataURL`, where Cognito reads the IdP's metadata from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_url: Option<String>,
    /// SAML: the metadata document: `MetadataFile` as Cognito returned it, or the document
    /// fetched from `metadata_url` when the collector was asked to fetch metadata URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_document: Option<String>,
    /// SAML: where `metadata_document` came from, `file` or `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_source: Option<String>,
    /// SAML: what connect-guard read from the metadata document.
    #[serde(default, skip_serializing_if = "SamlMetadata::is_empty")]
    pub metadata: SamlMetadata,
}

impl UserPoolProvider {
    /// A provider with nothing known but its name and type.
    pub fn new(name: impl Into<String>, provider_type: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            provider_type: provider_type.into(),
            last_modified_date: None,
            idp_initiated: None,
            idp_sign_out: None,
            encrypted_responses: None,
            request_signing_algorithm: None,
            metadata_url: None,
            metadata_document: None,
            metadata_source: None,
            metadata: SamlMetadata::default(),
        }
    }

    /// Copies the documented SAML settings out of a provider's `ProviderDetails` (and nothing
    /// else: the details of other provider types hold secrets). `detail` looks a key up.
    pub fn apply_saml_details<'a>(&mut self, detail: impl Fn(&str) -> Option<&'a str>) {
        let flag = |key| detail(key).map(|v| v.eq_ignore_ascii_case("true"));
        self.idp_initiated = flag("IDPInit");
        self.idp_sign_out = flag("IDPSignout");
        self.encrypted_responses = flag("EncryptedResponses");
        self.request_signing_algorithm = detail("RequestSigningAlgorithm").map(str::to_owned);
        self.metadata_url = detail("MetadataURL").map(str::to_owned);
        if let Some(document) = detail("MetadataFile") {
            // A parse failure lands in `metadata.parse_error`, never here.
            self.metadata = crate::saml::parse_metadata(document);
            self.metadata_document = Some(document.to_owned());
            self.metadata_source = Some("file".to_owned());
        }
    }
}
