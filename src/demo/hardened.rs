//! The hardened reference organization: the setup AWS documents, done right, with zero
//! posture findings.
//!
//! Where the demo shows what goes wrong, this organization shows what a correct estate looks
//! like, and the tests hold connect-guard to it: a rule that fires here is a false alarm.
//! Every piece follows the AWS documentation it is named after:
//!
//! - nested OUs `Root → Workloads → Prod → Prod-US / Prod-EU`, `Workloads → NonProd`, and
//!   `Security`, with `FullAWSAccess` and `RCPFullAWSAccess` on every node as AWS attaches them;
//! - SAML instances only (connect-identity-management), one replicated pair us-east-1 ↔
//!   us-west-2 with a default traffic distribution group that enables sign-in in both
//!   Regions (setup-connect-global-resiliency);
//! - two independent IdPs per account (Okta and IAM Identity Center: different entity ids and
//!   certificates), assertion encryption required, valid signing certificates;
//! - one federation role per account, trusting both providers for `sts:AssumeRoleWithSAML`
//!   with the `SAML:aud` values of configure-saml: the global and regional sign-in endpoints,
//!   and for the replicated instance the Global Resiliency sign-in pattern; the CDK form
//!   (`sts:TagSession` in the SAML statement) in one account and the Terraform form (a
//!   separate `sts:TagSession` / `sts:SetSourceIdentity` statement) in another;
//! - `connect:GetFederationToken` pinned to the instance in both documented forms
//!   (`instance/<id>/user/${aws:userid}`, and `*` with `connect:InstanceId` for Global
//!   Resiliency);
//! - AWS's best-practice SCP verbatim (security-best-practices: deny `iam:DeleteRole` on the
//!   federation role and `connect:DeleteInstance` on the instances), plus SCPs that keep the
//!   role's policies and the SAML providers unchanged and emergency access to break-glass roles,
//!   each excepting only `BreakGlass*` roles;
//! - break-glass roles allowed `connect:AdminGetEmergencyAccessToken` from one address range
//!   (emergency-admin-login: authentication-profile IP lists do not cover it);
//! - an identity-perimeter RCP on the STS actions that AWS principals sign, which leaves the
//!   unsigned `sts:AssumeRoleWithSAML` of SAML sign-in alone;
//! - a Cognito user pool for agents with deletion protection, SP-initiated SAML sign-in and
//!   an SCP that keeps the pool and its identity providers (user-pool-settings-deletion-
//!   protection, cognito-user-pools-SAML-session-initiation).
//!
//! The snapshot time is fixed (2026-11-01T06:00Z) like the demo's.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::build::{
    InstanceSpec, account, at, connect_regions, default_traffic_distribution_group, deletion_guard,
    document, emergency_access_guard, full_aws_access, identity_perimeter, instance, metadata_xml,
    policy, provider_guardrail, rcp_full_aws_access, role, role_guardrail, saml_provider, scp,
};
use super::certs::{IDENTITY_CENTER, OKTA_PROD};
use crate::snapshot::{
    AccountResources, Iam, Organization, PrivateKeyRef, SCHEMA_VERSION, SamlProvider, ScanMetadata,
    Snapshot,
};

const ORG: &str = "o-cg0hard0001";
const ROOT: &str = "r-hd01";
const OU_WORKLOADS: &str = "ou-hd01-workload";
const OU_PROD: &str = "ou-hd01-prod0001";
const OU_PROD_US: &str = "ou-hd01-produs01";
const OU_PROD_EU: &str = "ou-hd01-prodeu01";
const OU_NONPROD: &str = "ou-hd01-nonprod1";
const OU_SECURITY: &str = "ou-hd01-securit1";

const MANAGEMENT: &str = "700000000001";
const PROD_US: &str = "710000000001";
const PROD_EU: &str = "720000000001";
const TEST: &str = "730000000001";
const SECURITY: &str = "790000000001";

const US_INSTANCE: &str = "a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b";
const EU_INSTANCE: &str = "a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b";
const TEST_INSTANCE: &str = "a1b2c3d4-0003-4e5f-8a9b-0c1d2e3f4a5b";

/// The address range break-glass administrators work from.
const BREAK_GLASS_NETWORK: &str = "198.51.100.0/24";

/// The hardened reference organization as a snapshot.
pub fn snapshot() -> Snapshot {
    let started = at(2026, 11, 1) + chrono::Duration::hours(6);
    Snapshot {
        schema_version: SCHEMA_VERSION,
        scan: ScanMetadata {
            started_at: started,
            finished_at: Some(started + chrono::Duration::seconds(19)),
            scanner_principal_arn: Some(format!(
                "arn:aws:sts::{MANAGEMENT}:assumed-role/ConnectGuardScanner/connect-guard"
            )),
            tool_version: Some("demo".to_owned()),
            regions: ["eu-central-1", "eu-west-2", "us-east-1", "us-west-2"]
                .map(str::to_owned)
                .to_vec(),
            errors: Vec::new(),
            skipped_regions: Vec::new(),
            api_calls: Default::default(),
        },
        organization: organization(),
        accounts: BTreeMap::from([
            (MANAGEMENT.to_owned(), AccountResources::default()),
            (PROD_US.to_owned(), prod_us()),
            (PROD_EU.to_owned(), prod_eu()),
            (TEST.to_owned(), test()),
            (SECURITY.to_owned(), AccountResources::default()),
        ]),
    }
}

/// Every instance ARN, for the deletion SCP.
fn instance_arns() -> Vec<String> {
    [
        ("us-east-1", PROD_US, US_INSTANCE),
        ("us-west-2", PROD_US, US_INSTANCE),
        ("eu-central-1", PROD_EU, EU_INSTANCE),
        ("us-east-1", TEST, TEST_INSTANCE),
    ]
    .iter()
    .map(|(region, account, id)| format!("arn:aws:connect:{region}:{account}:instance/{id}"))
    .collect()
}

fn organization() -> Organization {
    super::build::organization(
        ORG,
        MANAGEMENT,
        ROOT,
        &[
            (OU_WORKLOADS, "Workloads", ROOT),
            (OU_PROD, "Prod", OU_WORKLOADS),
            (OU_PROD_US, "Prod-US", OU_PROD),
            (OU_PROD_EU, "Prod-EU", OU_PROD),
            (OU_NONPROD, "NonProd", OU_WORKLOADS),
            (OU_SECURITY, "Security", ROOT),
        ],
        vec![
            account(MANAGEMENT, "management", "ACTIVE", &[ROOT], &[]),
            account(
                PROD_US,
                "contact-prod-us",
                "ACTIVE",
                &[ROOT, OU_WORKLOADS, OU_PROD, OU_PROD_US],
                &[],
            ),
            account(
                PROD_EU,
                "contact-prod-eu",
                "ACTIVE",
                &[ROOT, OU_WORKLOADS, OU_PROD, OU_PROD_EU],
                &[],
            ),
            account(
                TEST,
                "contact-test",
                "ACTIVE",
                &[ROOT, OU_WORKLOADS, OU_NONPROD],
                &[],
            ),
            account(
                SECURITY,
                "security-tooling",
                "ACTIVE",
                &[ROOT, OU_SECURITY],
                &[],
            ),
        ],
        policies(),
    )
}

fn policies() -> Vec<crate::snapshot::OrgPolicy> {
    let every_node: Vec<(&str, &str)> = [(ROOT, "ROOT")]
        .into_iter()
        .chain(
            [
                OU_WORKLOADS,
                OU_PROD,
                OU_PROD_US,
                OU_PROD_EU,
                OU_NONPROD,
                OU_SECURITY,
            ]
            .map(|ou| (ou, "ORGANIZATIONAL_UNIT")),
        )
        .chain([MANAGEMENT, PROD_US, PROD_EU, TEST, SECURITY].map(|a| (a, "ACCOUNT")))
        .collect();
    let workloads = [(OU_WORKLOADS, "ORGANIZATIONAL_UNIT")];
    let break_glass_only =
        json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass*"}});
    let policies = vec![
        full_aws_access(&every_node),
        rcp_full_aws_access(&every_node),
        // AWS's best-practice SCP as the Connect administrator guide prints it, filled in.
        scp(
            "p-hd01denydel",
            "connect-deny-deletion",
            "AWS best practice: deny deletion of the Connect instances and their federation role",
            deletion_guard(json!(["connect:DeleteInstance"]), json!(instance_arns())),
            &workloads,
        ),
        scp(
            "p-hd01fedguard",
            "federation-guardrails",
            "Only break-glass roles may change the federation role, the SAML providers or the agents' user pool",
            document(vec![
                role_guardrail(&break_glass_only),
                provider_guardrail(&break_glass_only),
                super::build::user_pool_guardrail(&break_glass_only),
            ]),
            &workloads,
        ),
        scp(
            "p-hd01emerg",
            "emergency-access-break-glass",
            "Emergency access to Connect only for break-glass roles",
            emergency_access_guard(break_glass_only.clone()),
            &workloads,
        ),
        // The identity perimeter of AWS's data-perimeter examples, on the STS actions an AWS
        // principal signs; SAML sign-in has no AWS principal and is not among them.
        policy(
            "p-hd01perim",
            "identity-perimeter",
            "Only principals of the organization may use STS and S3 resources",
            "RESOURCE_CONTROL_POLICY",
            identity_perimeter(
                ORG,
                json!([
                    "s3:*",
                    "sts:AssumeRole",
                    "sts:DecodeAuthorizationMessage",
                    "sts:GetAccessKeyInfo",
                    "sts:GetFederationToken",
                    "sts:GetSessionToken"
                ]),
            ),
            &workloads,
        ),
    ];
    // The builders name the demo's organization in policy ARNs.
    let demo_prefix = "::100000000001:policy/o-cg0demo0001/";
    let prefix = format!("::{MANAGEMENT}:policy/{ORG}/");
    policies
        .into_iter()
        .map(|mut p| {
            p.arn = p.arn.map(|arn| arn.replace(demo_prefix, &prefix));
            p
        })
        .collect()
}

/// Okta and IAM Identity Center for one account: independent IdPs, encryption required.
fn identity_providers(account_id: &str, tenant: &str) -> Vec<SamlProvider> {
    let okta = saml_provider(
        account_id,
        "Okta",
        at(2025, 6, 2),
        metadata_xml(
            &format!("http://www.okta.com/exk1{tenant}"),
            &format!("https://example.okta.com/app/amazon_aws_connect/exk1{tenant}/sso/saml"),
            &[OKTA_PROD],
        ),
    );
    let identity_center = saml_provider(
        account_id,
        "IdentityCenter",
        at(2025, 6, 2),
        metadata_xml(
            &format!("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/{tenant}"),
            &format!("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/{tenant}"),
            &[IDENTITY_CENTER],
        ),
    );
    [okta, identity_center]
        .into_iter()
        .map(|mut provider| {
            provider.assertion_encryption_mode = Some("Required".to_owned());
            provider.private_keys = vec![PrivateKeyRef {
                key_id: format!("{}-key-2025", provider.name.to_ascii_lowercase()),
                timestamp: Some(at(2025, 6, 2)),
            }];
            provider
        })
        .collect()
}

fn providers(account_id: &str) -> Vec<String> {
    ["Okta", "IdentityCenter"]
        .map(|name| format!("arn:aws:iam::{account_id}:saml-provider/{name}"))
        .to_vec()
}

/// A break-glass role, assumed from the security account with MFA, allowed emergency access
/// (with its dependent actions) from the break-glass network only.
fn break_glass_role(account_id: &str) -> crate::snapshot::Role {
    role(
        account_id,
        "BreakGlassAdmin",
        &format!("AROABREAKGLASS{account_id}"),
        at(2025, 1, 10),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{SECURITY}:root")}, "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
        &[(
            "emergency-access",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["connect:AdminGetEmergencyAccessToken", "connect:DescribeInstance",
                           "connect:ListInstances", "ds:DescribeDirectories"],
                "Resource": "*",
                "Condition": {"IpAddress": {"aws:SourceIp": BREAK_GLASS_NETWORK}}}]}),
        )],
    )
}

/// The federation role.
fn federation_role(
    account_id: &str,
    role_id: &str,
    trust: Value,
    grant: Value,
) -> crate::snapshot::Role {
    role(
        account_id,
        "ConnectFederation",
        role_id,
        // Created after the instances, in the documented order.
        at(2025, 6, 3),
        trust,
        &[("federate", grant)],
    )
}

fn production_instance(
    account_id: &str,
    region: &str,
    id: &str,
    alias: &str,
) -> crate::snapshot::Instance {
    instance(&InstanceSpec {
        account_id,
        region,
        id,
        alias,
        identity: "SAML",
        created: at(2025, 6, 1),
        tags: &[("environment", "prod")],
    })
}

/// A replicated SAML instance (Global Resiliency), federated through the CDK form of the
/// trust: `sts:TagSession` in the SAML statement, the Global Resiliency audience beside the
/// global and regional ones, and the `connect:InstanceId` form of the grant.
fn prod_us() -> AccountResources {
    let trust = json!({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": providers(PROD_US)},
    "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
    "Condition": {"StringLike": {"SAML:aud": [
        "https://signin.aws.amazon.com/saml",
        "https://us-east-1.signin.aws.amazon.com/saml",
        "https://us-west-2.signin.aws.amazon.com/saml",
        format!("https://{US_INSTANCE}.us-east-1.sign-in.connect.aws/saml*"),
    ]}}}]});
    let grant = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "connect:GetFederationToken", "Resource": "*",
        "Condition": {"StringEquals": {"connect:InstanceId": US_INSTANCE}}}]});
    let replication = super::build::replication(
        "us-east-1",
        US_INSTANCE,
        "us-west-2",
        "INSTANCE_REPLICATION_COMPLETE",
    );
    let mut source = production_instance(PROD_US, "us-east-1", US_INSTANCE, "example-us");
    source.replication = Some(replication.clone());
    source.traffic_distribution_groups = vec![default_traffic_distribution_group(
        PROD_US,
        "us-east-1",
        "us-west-2",
        "example-default",
    )];
    let mut replica = production_instance(PROD_US, "us-west-2", US_INSTANCE, "example-us");
    replica.replication = Some(replication);
    AccountResources {
        iam: Iam {
            saml_providers: identity_providers(PROD_US, "exampleprodus"),
            roles: vec![
                federation_role(PROD_US, "AROAHARDENEDPRODUS01", trust, grant),
                break_glass_role(PROD_US),
            ],
            managed_policies: BTreeMap::new(),
            // The IdP's provisioning user: one instance, one key rotated within 90 days and
            // in use, no console password.
            users: vec![super::build::provisioning_user(
                PROD_US,
                "idp-provisioning",
                at(2024, 1, 10),
                super::build::scoped_provisioning_policy("us-east-1", PROD_US, US_INSTANCE),
                false,
                vec![super::build::access_key(
                    true,
                    at(2026, 9, 20),
                    Some(at(2026, 10, 31)),
                )],
            )],
            groups: Vec::new(),
        },
        connect: connect_regions(vec![
            ("us-east-1", vec![source]),
            ("us-west-2", vec![replica]),
        ]),
        // Agents federated through a Cognito user pool (user-pool-settings-deletion-protection,
        // cognito-user-pools-SAML-session-initiation): deletion protection on, SP-initiated
        // sign-in only, current metadata.
        cognito: super::build::cognito_region(
            "us-east-1",
            super::build::user_pool(
                "us-east-1",
                PROD_US,
                "ExmplAgt1",
                "example-agents",
                true,
                at(2024, 1, 11),
                vec![super::build::pool_saml_provider(
                    "Okta",
                    metadata_xml(
                        "http://www.okta.com/exkexamplecognito",
                        "https://example.okta.com/app/cognito/exkexamplecognito/sso/saml",
                        &[OKTA_PROD],
                    ),
                    false,
                )],
            ),
        ),
    }
}

/// The trust IAM's SAML wizard writes, with the regional audience configure-saml recommends;
/// the session-tag and source-identity permissions in a statement of their own, as Terraform
/// modules write them.
fn documented_trust(account_id: &str, region: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": providers(account_id)},
         "Action": "sts:AssumeRoleWithSAML",
         "Condition": {"StringEquals": {"SAML:aud": [
             "https://signin.aws.amazon.com/saml",
             format!("https://{region}.signin.aws.amazon.com/saml"),
         ]}}},
        {"Effect": "Allow", "Principal": {"Federated": providers(account_id)},
         "Action": ["sts:TagSession", "sts:SetSourceIdentity"]}]})
}

/// The per-user grant of the Connect administrator guide.
fn per_user_grant(region: &str, account_id: &str, instance_id: &str) -> Value {
    super::build::grant_per_user(&[(region, account_id, instance_id)])
}

/// A production SAML instance in Frankfurt, without replication.
fn prod_eu() -> AccountResources {
    AccountResources {
        iam: Iam {
            saml_providers: identity_providers(PROD_EU, "exampleprodeu"),
            roles: vec![
                federation_role(
                    PROD_EU,
                    "AROAHARDENEDPRODEU01",
                    documented_trust(PROD_EU, "eu-central-1"),
                    per_user_grant("eu-central-1", PROD_EU, EU_INSTANCE),
                ),
                break_glass_role(PROD_EU),
            ],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: connect_regions(vec![(
            "eu-central-1",
            vec![production_instance(
                PROD_EU,
                "eu-central-1",
                EU_INSTANCE,
                "example-eu",
            )],
        )]),
        cognito: BTreeMap::new(),
    }
}

/// A test instance, federated the same way as production.
fn test() -> AccountResources {
    let instance = instance(&InstanceSpec {
        account_id: TEST,
        region: "us-east-1",
        id: TEST_INSTANCE,
        alias: "example-test",
        identity: "SAML",
        created: at(2025, 6, 1),
        tags: &[("environment", "test")],
    });
    AccountResources {
        iam: Iam {
            saml_providers: identity_providers(TEST, "exampletest"),
            roles: vec![
                federation_role(
                    TEST,
                    "AROAHARDENEDTEST0001",
                    documented_trust(TEST, "us-east-1"),
                    per_user_grant("us-east-1", TEST, TEST_INSTANCE),
                ),
                break_glass_role(TEST),
            ],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: connect_regions(vec![("us-east-1", vec![instance])]),
        cognito: BTreeMap::new(),
    }
}
