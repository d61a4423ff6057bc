//! The bundled demo organization: a realistic contact-center estate with real problems.
//!
//! Ten accounts under `Root → Prod (Prod-US, Prod-EU), NonProd, Sandbox, Security`, Okta,
//! Entra ID and IAM Identity Center SAML providers with real X.509 certificates, Connect
//! instances of all three identity types, a Global Resiliency pair us-east-1 ↔ us-west-2 and
//! an instance in the management account. `contact-prod-us` is the exemplar that passes every
//! rule; the other accounts each break something, so every rule fires somewhere and passes
//! somewhere. The snapshot time is fixed (2026-11-01T06:00Z), so the findings never change.
//!
//! The certificates under `certs/` come from `scripts/gen-demo-certs.py`. Its counterpart,
//! [`hardened`], is an organization set up the way AWS documents it, with no findings.

pub mod build;
pub mod hardened;

use std::collections::BTreeMap;

use serde_json::json;

use build::{
    InstanceSpec, account, at, grant_per_user, instance, metadata_xml, replication, role,
    saml_provider, saml_trust, scp,
};

use crate::snapshot::{
    AccountResources, CollectionError, ConnectRegion, Iam, Organization, SCHEMA_VERSION,
    ScanMetadata, Snapshot,
};

/// The demo's IdP signing certificates (PEM), from `scripts/gen-demo-certs.py`; the synthetic
/// organization reuses them.
pub mod certs {
    /// Okta, RSA 2048, valid until 2030-06-01.
    pub const OKTA_PROD: &str = include_str!("certs/okta-prod.pem");
    /// Entra ID, RSA 2048, expires 2026-11-19 (18 days after the demo snapshot).
    pub const ENTRA_PROD: &str = include_str!("certs/entra-prod.pem");
    /// IAM Identity Center, RSA 2048, valid until 2029-03-01.
    pub const IDENTITY_CENTER: &str = include_str!("certs/identity-center.pem");
    /// Legacy Okta, RSA 2048, expired 2026-10-12.
    pub const OKTA_LEGACY: &str = include_str!("certs/okta-legacy.pem");
    /// Non-production Okta, EC P-256, valid until 2028-09-01.
    pub const OKTA_NONPROD: &str = include_str!("certs/okta-nonprod.pem");
    /// Legacy ADFS, RSA 1024 (weak), valid until 2030-01-01.
    pub const WEAK_1024: &str = include_str!("certs/weak-1024.pem");
}

use certs::{ENTRA_PROD, IDENTITY_CENTER, OKTA_LEGACY, OKTA_NONPROD, OKTA_PROD, WEAK_1024};

const ROOT: &str = "r-cg01";
const ORG_ID: &str = "o-cg0demo0001";
const OU_PROD: &str = "ou-cg01-prod0001";
const OU_PROD_US: &str = "ou-cg01-produs01";
const OU_PROD_EU: &str = "ou-cg01-prodeu01";
const OU_NONPROD: &str = "ou-cg01-nonprod1";
const OU_SANDBOX: &str = "ou-cg01-sandbox1";
const OU_SECURITY: &str = "ou-cg01-securit1";

const MANAGEMENT: &str = "100000000001";
const PROD_US: &str = "200000000001";
const PROD_EU: &str = "200000000002";
const PROD_LEGACY: &str = "200000000003";
const PROD_EU_DR: &str = "200000000004";
const NONPROD: &str = "300000000001";
const UAT: &str = "300000000002";
const SANDBOX: &str = "400000000001";
const SUSPENDED: &str = "400000000002";
const SECURITY: &str = "500000000001";

const ACME_US: &str = "6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6";
const ACME_EU: &str = "0c3d1f2e-7b64-4e0a-8d5c-112233445566";
const ACME_EU_DR: &str = "7e1a9b2c-3d4e-4f5a-8b6c-778899aabbcc";
const LEGACY_IVR: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const HQ: &str = "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a";
const ACME_TEST: &str = "3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7";
const ACME_UAT: &str = "5e6f7a8b-9c0d-4e1f-8a2b-c3d4e5f6a7b8";
const DEV_SANDBOX: &str = "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e";

/// The demo organization as a snapshot.
pub fn snapshot() -> Snapshot {
    Snapshot {
        schema_version: SCHEMA_VERSION,
        scan: ScanMetadata {
            started_at: at(2026, 11, 1) + chrono::Duration::hours(6),
            finished_at: Some(
                at(2026, 11, 1) + chrono::Duration::hours(6) + chrono::Duration::seconds(42),
            ),
            scanner_principal_arn: Some(format!(
                "arn:aws:sts::{MANAGEMENT}:assumed-role/ConnectGuardScanner/connect-guard"
            )),
            tool_version: Some("demo".to_owned()),
            regions: [
                "ap-northeast-2",
                "ap-southeast-2",
                "ca-central-1",
                "eu-central-1",
                "eu-west-2",
                "us-east-1",
                "us-west-2",
            ]
            .map(str::to_owned)
            .to_vec(),
            errors: vec![
                CollectionError {
                    account_id: Some(SUSPENDED.to_owned()),
                    region: None,
                    service: "sts".to_owned(),
                    operation: "AssumeRole".to_owned(),
                    code: "AccountSuspended".to_owned(),
                    message: "account is SUSPENDED; its role cannot be assumed".to_owned(),
                },
                CollectionError {
                    account_id: Some(SANDBOX.to_owned()),
                    region: Some("ap-northeast-2".to_owned()),
                    service: "connect".to_owned(),
                    operation: "ListInstances".to_owned(),
                    code: "ThrottlingException".to_owned(),
                    message: "rate exceeded after 5 attempts".to_owned(),
                },
            ],
            skipped_regions: Vec::new(),
            api_calls: Default::default(),
        },
        organization: organization(),
        accounts: accounts(),
    }
}

fn organization() -> Organization {
    build::organization(
        ORG_ID,
        MANAGEMENT,
        ROOT,
        &[
            (OU_PROD, "Prod", ROOT),
            (OU_PROD_US, "Prod-US", OU_PROD),
            (OU_PROD_EU, "Prod-EU", OU_PROD),
            (OU_NONPROD, "NonProd", ROOT),
            (OU_SANDBOX, "Sandbox", ROOT),
            (OU_SECURITY, "Security", ROOT),
        ],
        vec![
            account(MANAGEMENT, "management", "ACTIVE", &[ROOT], &[]),
            account(
                PROD_US,
                "contact-prod-us",
                "ACTIVE",
                &[ROOT, OU_PROD, OU_PROD_US],
                &[("cost-center", "cx")],
            ),
            account(
                PROD_EU,
                "contact-prod-eu",
                "ACTIVE",
                &[ROOT, OU_PROD, OU_PROD_EU],
                &[],
            ),
            account(
                PROD_LEGACY,
                "contact-prod-legacy",
                "ACTIVE",
                &[ROOT, OU_PROD, OU_PROD_US],
                &[],
            ),
            account(
                PROD_EU_DR,
                "contact-prod-eu-dr",
                "ACTIVE",
                &[ROOT, OU_PROD, OU_PROD_EU],
                &[],
            ),
            account(NONPROD, "contact-test", "ACTIVE", &[ROOT, OU_NONPROD], &[]),
            account(UAT, "contact-uat", "ACTIVE", &[ROOT, OU_NONPROD], &[]),
            account(SANDBOX, "sandbox-dev", "ACTIVE", &[ROOT, OU_SANDBOX], &[]),
            account(
                SUSPENDED,
                "sandbox-old",
                "SUSPENDED",
                &[ROOT, OU_SANDBOX],
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
                OU_PROD,
                OU_PROD_US,
                OU_PROD_EU,
                OU_NONPROD,
                OU_SANDBOX,
                OU_SECURITY,
            ]
            .map(|ou| (ou, "ORGANIZATIONAL_UNIT")),
        )
        .chain(
            [
                MANAGEMENT,
                PROD_US,
                PROD_EU,
                PROD_LEGACY,
                PROD_EU_DR,
                NONPROD,
                UAT,
                SANDBOX,
                SUSPENDED,
                SECURITY,
            ]
            .map(|a| (a, "ACCOUNT")),
        )
        .collect();
    // The Sandbox OU replaced FullAWSAccess with an allow list that forgot Connect federation.
    let full_access_nodes: Vec<(&str, &str)> = every_node
        .iter()
        .copied()
        .filter(|(id, _)| *id != OU_SANDBOX)
        .collect();
    let break_glass_only =
        json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass*"}});
    vec![
        build::full_aws_access(&full_access_nodes),
        scp(
            "p-cg01sbxallow",
            "sandbox-allow-list",
            "Services developers may use in sandbox accounts",
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "AllowListedServices", "Effect": "Allow",
                "Action": ["connect:Describe*", "connect:List*", "connect:Create*", "connect:Update*", "connect:Delete*",
                           "connect:Admin*", "sts:*", "iam:*", "s3:*", "logs:*", "lambda:*", "lex:*"],
                "Resource": "*"}]}),
            &[(OU_SANDBOX, "ORGANIZATIONAL_UNIT")],
        ),
        build::rcp_full_aws_access(&every_node),
        // AWS's best-practice SCP (security-best-practices page), filled in for contact-prod-us.
        scp(
            "p-cg01denydel",
            "connect-deny-deletion",
            "AWS best practice: deny deletion of the Connect instance and its federation role",
            build::deletion_guard(
                json!(["connect:DeleteInstance"]),
                json!([
                    format!("arn:aws:connect:us-east-1:{PROD_US}:instance/{ACME_US}"),
                    format!("arn:aws:connect:us-west-2:{PROD_US}:instance/{ACME_US}")
                ]),
            ),
            &[(OU_PROD_US, "ORGANIZATIONAL_UNIT")],
        ),
        // The same SCP copied from the Okta contact-center guide (seed 004), filled in when only
        // the disaster-recovery instance existed: acme-eu, created later, is not named.
        scp(
            "p-cg01oktadel",
            "okta-guide-deny-deletion",
            "Deny deletion of the Connect instance and role (copied from the Okta SSO guide)",
            build::deletion_guard(
                json!(["connect:DeleteInstance"]),
                json!([format!(
                    "arn:aws:connect:eu-west-2:{PROD_EU_DR}:instance/{ACME_EU_DR}"
                )]),
            ),
            &[(OU_PROD_EU, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01fedguard",
            "federation-role-guardrails",
            "Only break-glass roles may change the Connect federation role",
            build::document(vec![
                build::role_guardrail(&break_glass_only),
                build::provider_guardrail(&break_glass_only),
                build::user_pool_guardrail(&break_glass_only),
            ]),
            &[(OU_PROD, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01emerg",
            "emergency-access-break-glass",
            "Emergency access to Connect only for break-glass roles",
            build::emergency_access_guard(
                json!({"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass*"]}}),
            ),
            &[(OU_PROD, "ORGANIZATIONAL_UNIT")],
        ),
        // A misspelled action (DeleteInstances) denies nothing, and the old DestroyInstance name
        // (harmless, but no protection) does not make up for it; the emergency exception is any role.
        scp(
            "p-cg01nonprod",
            "nonprod-guardrails",
            "Guardrails for test accounts",
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyInstanceDeletion", "Effect": "Deny", "Action": ["connect:DeleteInstances", "connect:DestroyInstance"], "Resource": "*"},
                {"Sid": "LimitEmergencyAccess", "Effect": "Deny", "Action": "connect:AdminGetEmergencyAccessToken", "Resource": "*",
                 "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}}]}),
            &[(OU_NONPROD, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01region",
            "sandbox-region-guard",
            "Sandbox accounts may only use ap-southeast-2 and global services",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "DenyOtherRegions", "Effect": "Deny",
                "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"], "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-southeast-2", "us-east-1"]}}}]}),
            &[(OU_SANDBOX, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01noroot",
            "deny-root-user",
            "The root user of production accounts may do nothing",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]}),
            &[(OU_PROD_US, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01trail",
            "protect-cloudtrail",
            "Audit trails cannot be stopped or deleted",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
                "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"], "Resource": "*"}]}),
            &[(OU_PROD_US, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01imds",
            "require-imdsv2",
            "EC2 instances must use IMDSv2",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances",
                "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"StringNotEquals": {"ec2:MetadataHttpTokens": "required"}}}]}),
            &[(OU_PROD_US, "ORGANIZATIONAL_UNIT")],
        ),
        // The identity perimeter as AWS's data-perimeter examples write it: STS actions that an
        // AWS principal signs, so SAML sign-in (unsigned, with no principal) is unaffected.
        build::policy(
            "p-cg01rcpprod",
            "identity-perimeter",
            "Only principals of the organization may use production S3 and STS resources",
            "RESOURCE_CONTROL_POLICY",
            build::identity_perimeter(
                ORG_ID,
                json!([
                    "s3:*",
                    "sts:AssumeRole",
                    "sts:DecodeAuthorizationMessage",
                    "sts:GetAccessKeyInfo",
                    "sts:GetFederationToken",
                    "sts:GetSessionToken"
                ]),
            ),
            &[(OU_PROD, "ORGANIZATIONAL_UNIT")],
        ),
        // The same perimeter written with "sts:*": it also denies AssumeRoleWithSAML, whose
        // request has no aws:PrincipalOrgID, so nobody can sign in to the test instance.
        build::policy(
            "p-cg01rcpnonp",
            "identity-perimeter-nonprod",
            "Only principals of the organization may use test S3 and STS resources",
            "RESOURCE_CONTROL_POLICY",
            build::identity_perimeter(ORG_ID, json!(["s3:*", "sts:*"])),
            &[(OU_NONPROD, "ORGANIZATIONAL_UNIT")],
        ),
        scp(
            "p-cg01noleave",
            "deny-leave-organization",
            "Accounts cannot leave the organization",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
            &[(ROOT, "ROOT")],
        ),
    ]
}

fn accounts() -> BTreeMap<String, AccountResources> {
    let mut accounts = BTreeMap::new();
    accounts.insert(MANAGEMENT.to_owned(), management());
    accounts.insert(PROD_US.to_owned(), prod_us());
    accounts.insert(PROD_EU.to_owned(), prod_eu());
    accounts.insert(PROD_LEGACY.to_owned(), prod_legacy());
    accounts.insert(PROD_EU_DR.to_owned(), prod_eu_dr());
    accounts.insert(NONPROD.to_owned(), nonprod());
    accounts.insert(UAT.to_owned(), uat());
    accounts.insert(SANDBOX.to_owned(), sandbox());
    accounts.insert(SECURITY.to_owned(), AccountResources::default());
    accounts
}

fn one_region(
    region: &str,
    instances: Vec<crate::snapshot::Instance>,
) -> BTreeMap<String, ConnectRegion> {
    BTreeMap::from([(region.to_owned(), ConnectRegion { instances })])
}

fn okta_prod(account_id: &str) -> crate::snapshot::SamlProvider {
    saml_provider(
        account_id,
        "Okta",
        at(2025, 6, 2),
        metadata_xml(
            "http://www.okta.com/exk1acmeprod0001",
            "https://acme.okta.com/app/amazon_aws_connect/exk1acmeprod0001/sso/saml",
            &[OKTA_PROD],
        ),
    )
}

fn break_glass_role(account_id: &str, source_ip: bool) -> crate::snapshot::Role {
    let mut statement = json!({"Effect": "Allow",
        "Action": ["connect:AdminGetEmergencyAccessToken", "connect:DescribeInstance", "connect:ListInstances", "ds:DescribeDirectories"],
        "Resource": "*"});
    if source_ip {
        statement["Condition"] = json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}});
    }
    role(
        account_id,
        "BreakGlassAdmin",
        &format!("AROABREAKGLASS{account_id}"),
        at(2024, 2, 1),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{SECURITY}:root")}, "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
        &[(
            "emergency",
            json!({"Version": "2012-10-17", "Statement": [statement]}),
        )],
    )
}

/// The exemplar: SAML, replicated, two independent IdPs, one scoped role, SCP-protected.
fn prod_us() -> AccountResources {
    let identity_center = saml_provider(
        PROD_US,
        "IdentityCenter",
        at(2024, 3, 2),
        metadata_xml(
            "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy1hY21l",
            "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy1hY21l",
            &[IDENTITY_CENTER],
        ),
    );
    let federation = role(
        PROD_US,
        "ConnectFederation",
        "AROAPRODUSFEDERATION1",
        at(2024, 3, 5),
        gr_trust(),
        // Global Resiliency needs the connect:InstanceId form of the grant.
        &[(
            "federate",
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "FederateIntoConnect", "Effect": "Allow",
            "Action": "connect:GetFederationToken", "Resource": "*",
            "Condition": {"StringEquals": {"connect:InstanceId": ACME_US}}}]}),
        )],
    );
    let tags = [("environment", "prod"), ("gr:planned", "true")];
    let mut source = instance(&InstanceSpec {
        account_id: PROD_US,
        region: "us-east-1",
        id: ACME_US,
        alias: "acme-us",
        identity: "SAML",
        created: at(2024, 3, 10),
        tags: &tags,
    });
    source.replication = Some(replication(
        "us-east-1",
        ACME_US,
        "us-west-2",
        "INSTANCE_REPLICATION_COMPLETE",
    ));
    source.traffic_distribution_groups = vec![build::default_traffic_distribution_group(
        PROD_US,
        "us-east-1",
        "us-west-2",
        "acme-default",
    )];
    let mut replica = instance(&InstanceSpec {
        account_id: PROD_US,
        region: "us-west-2",
        id: ACME_US,
        alias: "acme-us",
        identity: "SAML",
        created: at(2024, 9, 1),
        tags: &tags,
    });
    replica.replication = source.replication.clone();
    AccountResources {
        iam: Iam {
            saml_providers: vec![encrypted(okta_prod(PROD_US)), encrypted(identity_center)],
            roles: vec![federation, break_glass_role(PROD_US, true)],
            managed_policies: BTreeMap::new(),
            users: vec![build::provisioning_user(
                PROD_US,
                "okta-provisioning",
                at(2024, 3, 6),
                build::scoped_provisioning_policy("us-east-1", PROD_US, ACME_US),
                false,
                vec![build::access_key(
                    true,
                    at(2026, 9, 15),
                    Some(at(2026, 10, 31)),
                )],
            )],
            groups: Vec::new(),
        },
        connect: build::connect_regions(vec![
            ("us-east-1", vec![source]),
            ("us-west-2", vec![replica]),
        ]),
        // Agents of the Cognito-federated contact center: SP-initiated, protected, current.
        cognito: build::cognito_region(
            "us-east-1",
            build::user_pool(
                "us-east-1",
                PROD_US,
                "AcmeAgnt1",
                "acme-agents",
                true,
                at(2025, 6, 3),
                vec![build::pool_saml_provider(
                    "Okta",
                    metadata_xml(
                        "http://www.okta.com/exk1acmecognito1",
                        "https://acme.okta.com/app/cognito/exk1acmecognito1/sso/saml",
                        &[OKTA_PROD],
                    ),
                    false,
                )],
            ),
        ),
    }
}

/// The trust of a replicated instance: global and regional ACS endpoints, and the Global
/// Resiliency sign-in endpoint pattern (StringLike, since it is a pattern).
fn gr_trust() -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{
    "Sid": "FederateFromIdP", "Effect": "Allow",
    "Principal": {"Federated": [format!("arn:aws:iam::{PROD_US}:saml-provider/Okta"),
                                format!("arn:aws:iam::{PROD_US}:saml-provider/IdentityCenter")]},
    "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
    "Condition": {"StringLike": {"SAML:aud": [
        "https://signin.aws.amazon.com/saml",
        "https://us-east-1.signin.aws.amazon.com/saml",
        "https://us-west-2.signin.aws.amazon.com/saml",
        format!("https://{ACME_US}.us-east-1.sign-in.connect.aws/saml*"),
    ]}}}]})
}

/// Assertion encryption required, with one private key.
fn encrypted(mut provider: crate::snapshot::SamlProvider) -> crate::snapshot::SamlProvider {
    provider.assertion_encryption_mode = Some("Required".to_owned());
    provider.private_keys = vec![crate::snapshot::PrivateKeyRef {
        key_id: format!("{}-key-2025", provider.name.to_ascii_lowercase()),
        timestamp: Some(at(2025, 6, 2)),
    }];
    provider
}

/// Entra ID expiring in 18 days, a deleted Okta backup still trusted, no SAML:aud, a role
/// re-created after the instance, a tool role that can mint Connect sessions, and a failed
/// replication.
fn prod_eu() -> AccountResources {
    let entra = saml_provider(
        PROD_EU,
        "EntraID",
        at(2023, 11, 20),
        metadata_xml(
            "https://sts.windows.net/5b1f8e2a-93c4-4d6e-b7a1-2f0c9d8e7a61/",
            "https://login.microsoftonline.com/5b1f8e2a-93c4-4d6e-b7a1-2f0c9d8e7a61/saml2",
            &[ENTRA_PROD],
        ),
    );
    let federation = role(
        PROD_EU,
        "ConnectFederation",
        "AROAPRODEUFEDERATION2",
        at(2024, 5, 20),
        saml_trust(PROD_EU, &["EntraID", "OktaBackup"], None),
        &[(
            "federate",
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "FederateIntoConnect", "Effect": "Allow",
            "Action": "connect:GetFederationToken", "Resource": "*",
            "Condition": {"StringEquals": {"connect:InstanceId": ACME_EU}}}]}),
        )],
    );
    // Read-only tooling with AmazonConnectReadOnlyAccess-style `connect:Get*`, which includes
    // connect:GetFederationToken.
    let supervisor_tools = role(
        PROD_EU,
        "SupervisorTools",
        "AROAPRODEUSUPERVISOR1",
        at(2025, 2, 1),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PROD_EU}:root")}, "Action": "sts:AssumeRole"}]}),
        &[(
            "connect-read",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["connect:Describe*", "connect:Get*", "connect:List*"], "Resource": "*"}]}),
        )],
    );
    let mut acme_eu = instance(&InstanceSpec {
        account_id: PROD_EU,
        region: "eu-central-1",
        id: ACME_EU,
        alias: "acme-eu",
        identity: "SAML",
        created: at(2023, 12, 1),
        tags: &[("environment", "prod")],
    });
    acme_eu.replication = Some(replication(
        "eu-central-1",
        ACME_EU,
        "eu-west-2",
        "INSTANCE_REPLICATION_FAILED",
    ));
    AccountResources {
        iam: Iam {
            saml_providers: vec![entra],
            roles: vec![
                federation,
                break_glass_role(PROD_EU, false),
                supervisor_tools,
            ],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: one_region("eu-central-1", vec![acme_eu]),
        cognito: BTreeMap::new(),
    }
}

/// A production instance created with CONNECT_MANAGED that is meant to join Global Resiliency.
fn prod_legacy() -> AccountResources {
    AccountResources {
        iam: Iam::default(),
        connect: one_region(
            "us-east-1",
            vec![instance(&InstanceSpec {
                account_id: PROD_LEGACY,
                region: "us-east-1",
                id: LEGACY_IVR,
                alias: "acme-legacy-ivr",
                identity: "CONNECT_MANAGED",
                created: at(2021, 5, 4),
                tags: &[("environment", "prod"), ("gr:planned", "true")],
            })],
        ),
        cognito: BTreeMap::new(),
    }
}

/// The same Okta metadata uploaded twice under two names is no backup.
fn prod_eu_dr() -> AccountResources {
    let mut copy = okta_prod(PROD_EU_DR);
    copy.name = "OktaSecondary".to_owned();
    copy.arn = format!("arn:aws:iam::{PROD_EU_DR}:saml-provider/OktaSecondary");
    let federation = role(
        PROD_EU_DR,
        "ConnectFederation",
        "AROAPRODEUDRFEDERAT1",
        at(2025, 6, 3),
        saml_trust(
            PROD_EU_DR,
            &["Okta", "OktaSecondary"],
            Some(&[
                "https://signin.aws.amazon.com/saml",
                "https://eu-west-2.signin.aws.amazon.com/saml",
            ]),
        ),
        &[(
            "federate",
            grant_per_user(&[("eu-west-2", PROD_EU_DR, ACME_EU_DR)]),
        )],
    );
    AccountResources {
        iam: Iam {
            saml_providers: vec![okta_prod(PROD_EU_DR), copy],
            roles: vec![federation],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: one_region(
            "eu-west-2",
            vec![instance(&InstanceSpec {
                account_id: PROD_EU_DR,
                region: "eu-west-2",
                id: ACME_EU_DR,
                alias: "acme-eu-dr",
                identity: "SAML",
                created: at(2025, 6, 10),
                tags: &[("environment", "prod")],
            })],
        ),
        cognito: BTreeMap::new(),
    }
}

/// The head-office instance nobody moved out of the management account.
fn management() -> AccountResources {
    AccountResources {
        iam: Iam::default(),
        connect: one_region(
            "us-east-1",
            vec![instance(&InstanceSpec {
                account_id: MANAGEMENT,
                region: "us-east-1",
                id: HQ,
                alias: "acme-hq",
                identity: "CONNECT_MANAGED",
                created: at(2020, 1, 15),
                tags: &[("environment", "prod")],
            })],
        ),
        cognito: BTreeMap::new(),
    }
}

/// A test instance whose role anyone in the account can assume, with an unscoped grant.
fn nonprod() -> AccountResources {
    let okta = saml_provider(
        NONPROD,
        "OktaNonProd",
        at(2025, 9, 2),
        metadata_xml(
            "http://www.okta.com/exk1acmetest0001",
            "https://acme-test.okta.com/app/amazon_aws_connect/exk1acmetest0001/sso/saml",
            &[OKTA_NONPROD],
        ),
    );
    let mut trust = saml_trust(
        NONPROD,
        &["OktaNonProd"],
        Some(&["https://signin.aws.amazon.com/saml"]),
    );
    if let Some(statements) = trust["Statement"].as_array_mut() {
        statements.push(json!({"Sid": "LetTestAutomationIn", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{NONPROD}:root")}, "Action": "sts:AssumeRole"}));
    }
    let federation = role(
        NONPROD,
        "ConnectFederation",
        "AROANONPRODFEDERATN1",
        at(2025, 9, 3),
        trust,
        &[(
            "federate",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:GetFederationToken", "Resource": "*"}]}),
        )],
    );
    let mut acme_test = instance(&InstanceSpec {
        account_id: NONPROD,
        region: "us-west-2",
        id: ACME_TEST,
        alias: "acme-test",
        identity: "SAML",
        created: at(2025, 9, 5),
        tags: &[("environment", "test")],
    });
    acme_test
        .attributes
        .insert("CONTACTFLOW_LOGS".to_owned(), "false".to_owned());
    AccountResources {
        iam: Iam {
            saml_providers: vec![okta],
            roles: vec![federation],
            managed_policies: BTreeMap::new(),
            // Set up by hand for the test instance: every Connect action on every resource,
            // a console password, a key from last year and a second one never used.
            users: vec![build::provisioning_user(
                NONPROD,
                "okta-provisioning",
                at(2025, 9, 4),
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:*", "Resource": "*"}]}),
                true,
                vec![
                    build::access_key(true, at(2025, 9, 4), Some(at(2026, 10, 31))),
                    build::access_key(true, at(2026, 2, 1), None),
                ],
            )],
            groups: Vec::new(),
        },
        connect: one_region("us-west-2", vec![acme_test]),
        // The test agents' user pool, built by hand: no deletion protection, IdP-initiated
        // sign-in for the Okta tile, the legacy Okta certificate and an Entra ID one that
        // expires in 18 days, and no SCP over the NonProd OU that protects it.
        cognito: build::cognito_region(
            "us-west-2",
            build::user_pool(
                "us-west-2",
                NONPROD,
                "AcmeTest1",
                "acme-test-agents",
                false,
                at(2025, 9, 6),
                vec![
                    build::pool_saml_provider(
                        "EntraID",
                        metadata_xml(
                            "https://sts.windows.net/acme-test/",
                            "https://login.microsoftonline.com/acme-test/saml2",
                            &[ENTRA_PROD],
                        ),
                        false,
                    ),
                    build::pool_saml_provider(
                        "OktaLegacy",
                        metadata_xml(
                            "http://www.okta.com/exk0legacy00001",
                            "https://acme-legacy.okta.com/app/cognito/exk0legacy00001/sso/saml",
                            &[OKTA_LEGACY],
                        ),
                        true,
                    ),
                ],
            ),
        ),
    }
}

/// A directory-backed UAT instance, an expired legacy Okta provider and a weak-key ADFS one.
fn uat() -> AccountResources {
    let legacy = saml_provider(
        UAT,
        "OktaLegacy",
        at(2021, 10, 13),
        metadata_xml(
            "http://www.okta.com/exk0legacy00001",
            "https://acme-legacy.okta.com/app/amazon_aws/exk0legacy00001/sso/saml",
            &[OKTA_LEGACY],
        ),
    );
    let adfs = saml_provider(
        UAT,
        "LegacyADFS",
        at(2025, 1, 2),
        metadata_xml(
            "http://legacy-adfs.example.com/adfs/services/trust",
            "https://legacy-adfs.example.com/adfs/ls/",
            &[WEAK_1024],
        ),
    );
    let reporting = role(
        UAT,
        "ReportingSSO",
        "AROAUATREPORTINGSSO1",
        at(2021, 10, 14),
        saml_trust(
            UAT,
            &["OktaLegacy"],
            Some(&["https://signin.aws.amazon.com/saml"]),
        ),
        &[(
            "read-reports",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-uat-reports/*"}]}),
        )],
    );
    AccountResources {
        iam: Iam {
            saml_providers: vec![legacy, adfs],
            roles: vec![reporting],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: one_region(
            "ca-central-1",
            vec![instance(&InstanceSpec {
                account_id: UAT,
                region: "ca-central-1",
                id: ACME_UAT,
                alias: "acme-uat",
                identity: "EXISTING_DIRECTORY",
                created: at(2022, 2, 1),
                tags: &[("environment", "uat")],
            })],
        ),
        cognito: BTreeMap::new(),
    }
}

/// A developer sandbox whose trust accepts an audience nobody approved.
fn sandbox() -> AccountResources {
    let federation = role(
        SANDBOX,
        "ConnectFederation",
        "AROASANDBOXFEDERATN1",
        at(2025, 7, 1),
        saml_trust(
            SANDBOX,
            &["Okta"],
            Some(&[
                "https://signin.aws.amazon.com/saml",
                "https://idp-test.example.net/acs",
            ]),
        ),
        &[(
            "federate",
            grant_per_user(&[("ap-southeast-2", SANDBOX, DEV_SANDBOX)]),
        )],
    );
    // A second role for the same instance: users are bound to one role, so this splits them.
    let second = role(
        SANDBOX,
        "ConnectFederationV2",
        "AROASANDBOXFEDERATN2",
        at(2025, 8, 1),
        saml_trust(
            SANDBOX,
            &["Okta"],
            Some(&[
                "https://signin.aws.amazon.com/saml",
                "https://ap-southeast-2.signin.aws.amazon.com/saml",
            ]),
        ),
        &[(
            "federate",
            grant_per_user(&[("ap-southeast-2", SANDBOX, DEV_SANDBOX)]),
        )],
    );
    AccountResources {
        iam: Iam {
            saml_providers: vec![okta_prod(SANDBOX)],
            roles: vec![federation, second],
            managed_policies: BTreeMap::new(),
            users: Vec::new(),
            groups: Vec::new(),
        },
        connect: one_region(
            "ap-southeast-2",
            vec![instance(&InstanceSpec {
                account_id: SANDBOX,
                region: "ap-southeast-2",
                id: DEV_SANDBOX,
                alias: "acme-dev",
                identity: "SAML",
                created: at(2025, 7, 2),
                tags: &[("environment", "dev"), ("gr:planned", "true")],
            })],
        ),
        cognito: BTreeMap::new(),
    }
}
