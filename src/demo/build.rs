//! Small constructors that keep the demo organization readable.
//!
//! Public so that [`crate::synthetic`] (and tests or examples that need hand-made
//! snapshots) build resources exactly the way the demo does.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use crate::snapshot::{
    AccessKey, Account, CognitoRegion, InlinePolicy, Instance, OrgPolicy, PolicyTarget,
    RegionEnabled, RegionPercentage, Replication, ReplicationStatus, Role, SamlMetadata,
    SamlProvider, Tags, TrafficDistribution, TrafficDistributionGroup, User, UserPool,
    UserPoolProvider,
};

/// A UTC instant; the demo's dates are fixed so its findings never change.
pub fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Tags from `(key, value)` pairs.
pub fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// An organization with all features, one root on which SCPs and RCPs are enabled, the OUs
/// `(id, name, parent)` and `accounts` (their ARNs rewritten for `org_id`), and `policies`.
pub fn organization(
    org_id: &str,
    management: &str,
    root_id: &str,
    ous: &[(&str, &str, &str)],
    mut accounts: Vec<Account>,
    policies: Vec<OrgPolicy>,
) -> crate::snapshot::Organization {
    use crate::snapshot::{OrganizationalUnit, PolicyTypeStatus, Root};

    let prefix = format!("arn:aws:organizations::{management}");
    for account in &mut accounts {
        account.arn = Some(format!("{prefix}:account/{org_id}/{}", account.id));
    }
    let enabled = |kind: &str| PolicyTypeStatus {
        policy_type: kind.to_owned(),
        status: "ENABLED".to_owned(),
    };
    crate::snapshot::Organization {
        id: org_id.to_owned(),
        arn: Some(format!("{prefix}:organization/{org_id}")),
        feature_set: "ALL".to_owned(),
        management_account_id: management.to_owned(),
        roots: vec![Root {
            id: root_id.to_owned(),
            arn: Some(format!("{prefix}:root/{org_id}/{root_id}")),
            name: "Root".to_owned(),
            policy_types: vec![
                enabled("SERVICE_CONTROL_POLICY"),
                enabled("RESOURCE_CONTROL_POLICY"),
            ],
        }],
        ous: ous
            .iter()
            .map(|(id, name, parent)| OrganizationalUnit {
                id: (*id).to_owned(),
                arn: Some(format!("{prefix}:ou/{org_id}/{id}")),
                name: (*name).to_owned(),
                parent_id: (*parent).to_owned(),
            })
            .collect(),
        accounts,
        policies,
    }
}

/// An account whose ancestry is `ancestry` (root first) followed by the account itself.
pub fn account(
    id: &str,
    name: &str,
    state: &str,
    ancestry: &[&str],
    tag_pairs: &[(&str, &str)],
) -> Account {
    Account {
        id: id.to_owned(),
        arn: Some(format!(
            "arn:aws:organizations::100000000001:account/o-cg0demo0001/{id}"
        )),
        name: name.to_owned(),
        email: Some(format!("aws+{name}@example.com")),
        state: state.to_owned(),
        parent_id: ancestry[ancestry.len() - 1].to_owned(),
        joined_method: Some("CREATED".to_owned()),
        ancestry: ancestry
            .iter()
            .map(|s| (*s).to_owned())
            .chain([id.to_owned()])
            .collect(),
        tags: tags(tag_pairs),
    }
}

/// A service control policy attached to `targets` (`(id, type)` pairs).
pub fn scp(
    id: &str,
    name: &str,
    description: &str,
    document: Value,
    targets: &[(&str, &str)],
) -> OrgPolicy {
    policy(
        id,
        name,
        description,
        "SERVICE_CONTROL_POLICY",
        document,
        targets,
    )
}

/// An SCP or RCP attached to `targets` (`(id, type)` pairs).
pub fn policy(
    id: &str,
    name: &str,
    description: &str,
    policy_type: &str,
    document: Value,
    targets: &[(&str, &str)],
) -> OrgPolicy {
    // AWS counts the characters of the document as saved; the demo saves compact JSON.
    let size_chars = document.to_string().chars().count();
    OrgPolicy {
        id: id.to_owned(),
        arn: Some(format!(
            "arn:aws:organizations::100000000001:policy/o-cg0demo0001/{}/{id}",
            if policy_type == "SERVICE_CONTROL_POLICY" {
                "service_control_policy"
            } else {
                "resource_control_policy"
            }
        )),
        name: name.to_owned(),
        description: Some(description.to_owned()),
        policy_type: policy_type.to_owned(),
        aws_managed: id.starts_with("p-FullAWSAccess") || id.starts_with("p-RCPFullAWSAccess"),
        document,
        size_chars,
        targets: targets
            .iter()
            .map(|(target, kind)| PolicyTarget {
                id: (*target).to_owned(),
                target_type: (*kind).to_owned(),
                name: None,
            })
            .collect(),
        tags: Tags::new(),
    }
}

/// `FullAWSAccess`, attached to `targets` as Organizations attaches it when SCPs are enabled.
pub fn full_aws_access(targets: &[(&str, &str)]) -> OrgPolicy {
    scp(
        "p-FullAWSAccess",
        "FullAWSAccess",
        "Allows access to every operation",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        targets,
    )
}

/// `RCPFullAWSAccess`, attached to `targets` as Organizations attaches it when RCPs are enabled.
pub fn rcp_full_aws_access(targets: &[(&str, &str)]) -> OrgPolicy {
    policy(
        "p-RCPFullAWSAccess",
        "RCPFullAWSAccess",
        "Allows access to every resource",
        "RESOURCE_CONTROL_POLICY",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
        targets,
    )
}

/// The document of AWS's best-practice SCP (Amazon Connect security best practices): deny
/// `iam:DeleteRole` on the `ConnectFederation` role, and `instance_actions` (AWS's SCP names
/// `connect:DeleteInstance`) on `instances`.
pub fn deletion_guard(instance_actions: Value, instances: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "AmazonConnectRoleDenyDeletion", "Effect": "Deny", "Action": ["iam:DeleteRole"],
         "Resource": ["arn:aws:iam::*:role/ConnectFederation"]},
        {"Sid": "AmazonConnectInstanceDenyDeletion", "Effect": "Deny", "Action": instance_actions,
         "Resource": instances}]})
}

/// A Deny of changes to the `ConnectFederation` role's trust and policies, except for the
/// principals `exception` (a condition) lets through.
pub fn role_guardrail(exception: &Value) -> Value {
    json!({"Sid": "ProtectFederationRole", "Effect": "Deny",
        "Action": ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
                   "iam:AttachRolePolicy", "iam:DetachRolePolicy"],
        "Resource": "arn:aws:iam::*:role/ConnectFederation", "Condition": exception})
}

/// A Deny of deleting or replacing SAML providers, except for the principals `exception`
/// lets through.
pub fn provider_guardrail(exception: &Value) -> Value {
    json!({"Sid": "ProtectSamlProviders", "Effect": "Deny",
        "Action": ["iam:DeleteSAMLProvider", "iam:UpdateSAMLProvider"],
        "Resource": "arn:aws:iam::*:saml-provider/*", "Condition": exception})
}

/// A Deny of deleting a Cognito user pool or deleting or replacing its identity providers,
/// except for the principals `exception` lets through.
pub fn user_pool_guardrail(exception: &Value) -> Value {
    json!({"Sid": "ProtectUserPools", "Effect": "Deny",
        "Action": ["cognito-idp:DeleteUserPool", "cognito-idp:DeleteIdentityProvider",
                   "cognito-idp:UpdateIdentityProvider"],
        "Resource": "arn:aws:cognito-idp:*:*:userpool/*", "Condition": exception})
}

/// A policy document of `statements`.
pub fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// An SCP document denying emergency access (both action names) except for the principals
/// `exception` lets through.
pub fn emergency_access_guard(exception: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "EmergencyAccessBreakGlassOnly", "Effect": "Deny",
        "Action": ["connect:AdminGetEmergencyAccessToken", "connect:GetFederationTokens"],
        "Resource": "*", "Condition": exception}]})
}

/// The identity-perimeter RCP document of AWS's data-perimeter examples: deny `actions` to
/// principals outside organization `org_id`, unless an AWS service calls.
pub fn identity_perimeter(org_id: &str, actions: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": actions,
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id},
                      "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]})
}

/// IdP metadata as Okta, Entra ID and IAM Identity Center publish it.
pub fn metadata_xml(entity_id: &str, sso_url: &str, certificates_pem: &[&str]) -> String {
    let key_descriptors: String = certificates_pem
        .iter()
        .map(|pem| {
            let base64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            format!(
                "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"{entity_id}\">\
<md:IDPSSODescriptor WantAuthnRequestsSigned=\"false\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
{key_descriptors}\
<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>\
<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"{sso_url}\"/>\
<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"{sso_url}\"/>\
</md:IDPSSODescriptor></md:EntityDescriptor>"
    )
}

/// A SAML provider whose metadata is parsed from `document`.
pub fn saml_provider(
    account_id: &str,
    name: &str,
    created: DateTime<Utc>,
    document: String,
) -> SamlProvider {
    let metadata = crate::saml::parse_metadata(&document);
    saml_provider_parsed(account_id, name, created, document, metadata)
}

/// A SAML provider whose `document` was already parsed into `metadata`.
///
/// Parsing (XML and X.509) costs far more than building the rest of a provider, so
/// generators that upload the same document to many accounts parse it once and clone.
pub fn saml_provider_parsed(
    account_id: &str,
    name: &str,
    created: DateTime<Utc>,
    document: String,
    metadata: SamlMetadata,
) -> SamlProvider {
    SamlProvider {
        arn: format!("arn:aws:iam::{account_id}:saml-provider/{name}"),
        name: name.to_owned(),
        create_date: Some(created),
        valid_until: None,
        uuid: None,
        assertion_encryption_mode: Some("Allowed".to_owned()),
        private_keys: Vec::new(),
        tags: Tags::new(),
        metadata,
        metadata_document: Some(document),
    }
}

/// The trust policy IAM's SAML wizard writes, for several providers.
pub fn saml_trust(account_id: &str, providers: &[&str], audiences: Option<&[&str]>) -> Value {
    let federated: Vec<String> = providers
        .iter()
        .map(|p| format!("arn:aws:iam::{account_id}:saml-provider/{p}"))
        .collect();
    let mut statement = json!({
        "Sid": "FederateFromIdP",
        "Effect": "Allow",
        "Principal": {"Federated": federated},
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
    });
    if let Some(audiences) = audiences {
        statement["Condition"] = json!({"StringEquals": {"SAML:aud": audiences}});
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// A role with a trust policy and inline policies (`(name, document)` pairs).
pub fn role(
    account_id: &str,
    name: &str,
    role_id: &str,
    created: DateTime<Utc>,
    trust: Value,
    inline: &[(&str, Value)],
) -> Role {
    Role {
        name: name.to_owned(),
        id: role_id.to_owned(),
        arn: format!("arn:aws:iam::{account_id}:role/{name}"),
        path: "/".to_owned(),
        create_date: Some(created),
        max_session_duration: Some(43_200),
        trust: trust.into(),
        inline: inline
            .iter()
            .map(|(policy, document)| crate::snapshot::InlinePolicy {
                name: (*policy).to_owned(),
                document: document.into(),
            })
            .collect(),
        attached: Vec::new(),
        boundary: None,
        tags: Tags::new(),
        last_used: None,
    }
}

/// The documented per-instance federation grant (`instance/<id>/user/${aws:userid}`).
pub fn grant_per_user(instances: &[(&str, &str, &str)]) -> Value {
    let resources: Vec<String> = instances
        .iter()
        .map(|(region, account, id)| {
            format!("arn:aws:connect:{region}:{account}:instance/{id}/user/${{aws:userid}}")
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "FederateIntoConnect", "Effect": "Allow",
        "Action": "connect:GetFederationToken", "Resource": resources}]})
}

/// What differs between Connect instances.
pub struct InstanceSpec<'a> {
    /// Account of the instance.
    pub account_id: &'a str,
    /// Region of the instance.
    pub region: &'a str,
    /// Instance id.
    pub id: &'a str,
    /// Instance alias.
    pub alias: &'a str,
    /// Identity management type.
    pub identity: &'a str,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Instance tags.
    pub tags: &'a [(&'a str, &'a str)],
}

/// An active Connect instance with the usual attributes.
pub fn instance(spec: &InstanceSpec<'_>) -> Instance {
    let attributes: BTreeMap<String, String> = [
        ("INBOUND_CALLS", "true"),
        ("OUTBOUND_CALLS", "true"),
        ("CONTACTFLOW_LOGS", "true"),
        ("CONTACT_LENS", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    Instance {
        id: spec.id.to_owned(),
        arn: format!(
            "arn:aws:connect:{}:{}:instance/{}",
            spec.region, spec.account_id, spec.id
        ),
        alias: Some(spec.alias.to_owned()),
        identity_management_type: spec.identity.to_owned(),
        status: "ACTIVE".to_owned(),
        status_reason: None,
        access_url: Some(format!("https://{}.my.connect.aws", spec.alias)),
        service_role: Some(format!(
            "arn:aws:iam::{}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{}",
            spec.account_id,
            spec.id.split('-').next().unwrap_or(spec.id)
        )),
        created_time: Some(spec.created),
        tags: tags(spec.tags),
        attributes,
        replication: None,
        traffic_distribution_groups: Vec::new(),
    }
}

/// The default traffic distribution group of a replicated instance, as replication creates
/// it: telephony all in the source Region, sign-in enabled in both.
pub fn default_traffic_distribution_group(
    account_id: &str,
    source_region: &str,
    replica_region: &str,
    name: &str,
) -> TrafficDistributionGroup {
    let id = format!("tdg-{name}");
    TrafficDistributionGroup {
        arn: format!(
            "arn:aws:connect:{source_region}:{account_id}:traffic-distribution-group/{id}"
        ),
        id,
        name: name.to_owned(),
        status: "ACTIVE".to_owned(),
        is_default: true,
        distribution: TrafficDistribution {
            telephony: [(source_region, 100), (replica_region, 0)]
                .map(|(region, percentage)| RegionPercentage {
                    region: region.to_owned(),
                    percentage,
                })
                .to_vec(),
            sign_in: [source_region, replica_region]
                .map(|region| RegionEnabled {
                    region: region.to_owned(),
                    enabled: true,
                })
                .to_vec(),
            agent: Vec::new(),
        },
        user_ids: Vec::new(),
    }
}

/// Connect resources of an account: instances by Region.
pub fn connect_regions(
    instances: Vec<(&str, Vec<Instance>)>,
) -> BTreeMap<String, crate::snapshot::ConnectRegion> {
    instances
        .into_iter()
        .map(|(region, instances)| {
            (
                region.to_owned(),
                crate::snapshot::ConnectRegion { instances },
            )
        })
        .collect()
}

/// A Global Resiliency replication from `source_region` to `replica_region`.
pub fn replication(
    source_region: &str,
    id: &str,
    replica_region: &str,
    status: &str,
) -> Replication {
    Replication {
        source_region: source_region.to_owned(),
        global_sign_in_endpoint: Some(format!("https://{id}.{source_region}.sign-in.connect.aws")),
        statuses: vec![ReplicationStatus {
            region: replica_region.to_owned(),
            status: status.to_owned(),
            reason: None,
        }],
    }
}

/// The IAM user an IdP's provisioning integration signs its Connect API calls with, with one
/// inline policy.
pub fn provisioning_user(
    account_id: &str,
    name: &str,
    created: DateTime<Utc>,
    policy: Value,
    password_enabled: bool,
    access_keys: Vec<AccessKey>,
) -> User {
    User {
        name: name.to_owned(),
        id: format!("AIDA{}", account_id),
        arn: format!("arn:aws:iam::{account_id}:user/{name}"),
        path: "/".to_owned(),
        create_date: Some(created),
        inline: vec![InlinePolicy {
            name: "connect-provisioning".to_owned(),
            document: policy.into(),
        }],
        attached: Vec::new(),
        groups: Vec::new(),
        password_enabled: Some(password_enabled),
        password_last_used: None,
        access_keys,
    }
}

/// An access key's metadata.
pub fn access_key(
    active: bool,
    created: DateTime<Utc>,
    last_used: Option<DateTime<Utc>>,
) -> AccessKey {
    AccessKey {
        status: if active { "Active" } else { "Inactive" }.to_owned(),
        created: Some(created),
        last_used,
        last_used_service: last_used.map(|_| "connect".to_owned()),
    }
}

/// The provisioning policy Okta's Amazon Connect integration needs, limited to one instance.
pub fn scoped_provisioning_policy(region: &str, account_id: &str, instance_id: &str) -> Value {
    let instance = format!("arn:aws:connect:{region}:{account_id}:instance/{instance_id}");
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "ProvisionAgents", "Effect": "Allow",
        "Action": ["connect:CreateUser", "connect:DeleteUser", "connect:DescribeUser",
                   "connect:ListUsers", "connect:UpdateUserIdentityInfo",
                   "connect:UpdateUserSecurityProfiles", "connect:UpdateUserRoutingProfile",
                   "connect:UpdateUserPhoneConfig", "connect:ListSecurityProfiles",
                   "connect:ListRoutingProfiles"],
        "Resource": [instance.clone(), format!("{instance}/*")]}]})
}

/// Cognito resources of an account: one user pool in `region`.
pub fn cognito_region(region: &str, pool: UserPool) -> BTreeMap<String, CognitoRegion> {
    BTreeMap::from([(
        region.to_owned(),
        CognitoRegion {
            user_pools: vec![pool],
        },
    )])
}

/// A Cognito user pool `<region>_<suffix>` with `providers`.
pub fn user_pool(
    region: &str,
    account_id: &str,
    suffix: &str,
    name: &str,
    deletion_protection: bool,
    created: DateTime<Utc>,
    providers: Vec<UserPoolProvider>,
) -> UserPool {
    let id = format!("{region}_{suffix}");
    UserPool {
        arn: format!("arn:aws:cognito-idp:{region}:{account_id}:userpool/{id}"),
        id,
        name: name.to_owned(),
        deletion_protection: Some(
            if deletion_protection {
                "ACTIVE"
            } else {
                "INACTIVE"
            }
            .to_owned(),
        ),
        creation_date: Some(created),
        identity_providers: providers,
    }
}

/// A SAML identity provider of a user pool whose metadata was uploaded as a file.
pub fn pool_saml_provider(name: &str, document: String, idp_initiated: bool) -> UserPoolProvider {
    UserPoolProvider {
        name: name.to_owned(),
        provider_type: "SAML".to_owned(),
        last_modified_date: None,
        idp_initiated: Some(idp_initiated),
        idp_sign_out: Some(false),
        encrypted_responses: None,
        request_signing_algorithm: None,
        metadata_url: None,
        metadata: crate::saml::parse_metadata(&document),
        metadata_document: Some(document),
        metadata_source: Some("file".to_owned()),
    }
}
