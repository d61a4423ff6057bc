//! The hardened reference organization: set up the way AWS documents it, it scans clean, and
//! it scans clean for the right reason.
//!
//! Zero findings alone would also be the result of rules that never look at anything. So
//! every rule also gets one realistic mistake made to the hardened organization, and must
//! fire on it: each rule is shown to be judging this organization and finding it sound.

use std::collections::BTreeSet;

use serde_json::json;

use connect_guard::scan::ScanOptions;
use connect_guard::snapshot::{
    CollectionError, Instance, OrgPolicy, Role, SamlProvider, Snapshot, User, UserPool,
    UserPoolProvider,
};

const MANAGEMENT: &str = "700000000001";
const PROD_US: &str = "710000000001";
const PROD_EU: &str = "720000000001";
const TEST: &str = "730000000001";

mod common;

use common::{builtin_rules as builtin, scan_in_process as scan_with};

#[test]
fn the_hardened_organization_has_no_findings() {
    let set = builtin();
    let snapshot = connect_guard::demo::hardened::snapshot();
    let result = scan_with(&set, &snapshot, &ScanOptions::default());
    let findings: Vec<String> = result
        .findings
        .iter()
        .map(|f| format!("{} {}: {}", f.rule_id, f.resource, f.message))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    // What the organization holds, so that "no findings" is not "nothing to look at".
    let instances: usize = snapshot
        .accounts
        .values()
        .flat_map(|r| r.connect.values())
        .map(|r| r.instances.len())
        .sum();
    assert_eq!(instances, 4, "three SAML instances and one replica");
    assert!(snapshot.organization.ous.len() >= 5);
}

#[test]
fn the_hardened_organization_scans_clean_from_the_command_line() {
    let output = common::connect_guard()
        .args(["scan", "--demo", "hardened", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["findings"], json!([]));
    // `demo hardened` prints the same organization as a snapshot.
    let printed = common::connect_guard()
        .args(["demo", "hardened"])
        .output()
        .expect("runs");
    assert_eq!(printed.status.code(), Some(0));
    let snapshot = Snapshot::from_json_str(
        std::str::from_utf8(&printed.stdout).expect("UTF-8"),
        "stdout",
    )
    .expect("a snapshot");
    assert_eq!(snapshot, connect_guard::demo::hardened::snapshot());
}

fn role<'a>(s: &'a mut Snapshot, account: &str, name: &str) -> &'a mut Role {
    s.accounts
        .get_mut(account)
        .and_then(|r| r.iam.roles.iter_mut().find(|r| r.name == name))
        .expect("role")
}

fn provider<'a>(s: &'a mut Snapshot, account: &str, name: &str) -> &'a mut SamlProvider {
    s.accounts
        .get_mut(account)
        .and_then(|r| r.iam.saml_providers.iter_mut().find(|p| p.name == name))
        .expect("provider")
}

fn instance<'a>(s: &'a mut Snapshot, account: &str, region: &str) -> &'a mut Instance {
    s.accounts
        .get_mut(account)
        .and_then(|r| r.connect.get_mut(region))
        .and_then(|r| r.instances.first_mut())
        .expect("instance")
}

fn policy<'a>(s: &'a mut Snapshot, id: &str) -> &'a mut OrgPolicy {
    s.organization
        .policies
        .iter_mut()
        .find(|p| p.id == id)
        .expect("policy")
}

fn provisioning_user(s: &mut Snapshot) -> &mut User {
    s.accounts
        .get_mut(PROD_US)
        .and_then(|r| r.iam.users.first_mut())
        .expect("provisioning user")
}

fn user_pool(s: &mut Snapshot) -> &mut UserPool {
    s.accounts
        .get_mut(PROD_US)
        .and_then(|r| r.cognito.get_mut("us-east-1"))
        .and_then(|r| r.user_pools.first_mut())
        .expect("agents' user pool")
}

/// The pool's Okta provider with metadata carrying `certificate` instead.
fn pool_provider(certificate: &str) -> UserPoolProvider {
    let document = connect_guard::demo::build::metadata_xml(
        "http://www.okta.com/exkexamplecognito",
        "https://example.okta.com/app/cognito/exkexamplecognito/sso/saml",
        &[certificate],
    );
    connect_guard::demo::build::pool_saml_provider("Okta", document, false)
}

fn remove_policy(s: &mut Snapshot, id: &str) {
    s.organization.policies.retain(|p| p.id != id);
}

fn set_time(s: &mut Snapshot, year: i32, month: u32, day: u32) {
    s.scan.started_at = connect_guard::demo::build::at(year, month, day);
}

type Mistake = fn(&mut Snapshot);

/// One realistic mistake per rule.
const MISTAKES: &[(&str, Mistake)] = &[
    ("cognito-idp-signing-cert-expired", |s| {
        user_pool(s).identity_providers[0] = pool_provider(connect_guard::demo::certs::OKTA_LEGACY);
    }),
    ("cognito-idp-signing-cert-expiring", |s| {
        user_pool(s).identity_providers[0] = pool_provider(connect_guard::demo::certs::ENTRA_PROD);
    }),
    ("cognito-idp-initiated-sign-in", |s| {
        user_pool(s).identity_providers[0].idp_initiated = Some(true);
    }),
    ("cognito-user-pool-deletion-protection-off", |s| {
        user_pool(s).deletion_protection = Some("INACTIVE".to_owned());
    }),
    ("cognito-user-pool-not-denied-by-scp", |s| {
        let guardrails = &mut policy(s, "p-hd01fedguard").document["Statement"];
        if let Some(statements) = guardrails.as_array_mut() {
            statements.retain(|st| st["Sid"] != "ProtectUserPools");
        }
    }),
    ("provisioning-access-key-too-old", |s| {
        provisioning_user(s).access_keys[0].created =
            Some(connect_guard::demo::build::at(2025, 6, 1));
    }),
    ("provisioning-access-key-unused", |s| {
        let key = &mut provisioning_user(s).access_keys[0];
        key.last_used = Some(connect_guard::demo::build::at(2026, 7, 1));
        key.created = Some(connect_guard::demo::build::at(2026, 6, 1));
    }),
    ("provisioning-user-multiple-active-keys", |s| {
        let user = provisioning_user(s);
        let second = user.access_keys[0].clone();
        user.access_keys.push(second);
    }),
    ("provisioning-user-console-password", |s| {
        provisioning_user(s).password_enabled = Some(true);
    }),
    ("provisioning-permissions-not-instance-scoped", |s| {
        provisioning_user(s).inline[0]
            .document
            .edit(|d| d["Statement"][0]["Resource"] = json!("*"));
    }),
    ("account-not-assessed", |s| {
        s.scan.errors.push(CollectionError {
            account_id: Some(PROD_EU.to_owned()),
            region: None,
            service: "sts".to_owned(),
            operation: "AssumeRole".to_owned(),
            code: "AccessDenied".to_owned(),
            message: "not authorized to perform sts:AssumeRole".to_owned(),
        });
    }),
    ("break-glass-path-missing", |s| {
        s.accounts
            .get_mut(PROD_EU)
            .expect("account")
            .iam
            .roles
            .retain(|r| r.name != "BreakGlassAdmin");
    }),
    ("emergency-access-not-restricted", |s| {
        remove_policy(s, "p-hd01emerg")
    }),
    ("emergency-access-without-source-ip", |s| {
        role(s, PROD_EU, "BreakGlassAdmin").inline[0]
            .document
            .edit(|d| {
                d["Statement"][0]
                    .as_object_mut()
                    .expect("statement")
                    .remove("Condition");
            });
    }),
    ("federation-grant-not-instance-scoped", |s| {
        role(s, PROD_EU, "ConnectFederation").inline[0]
            .document
            .edit(|d| d["Statement"][0]["Resource"] = json!("*"));
    }),
    ("federation-role-missing-or-duplicated", |s| {
        let mut second = role(s, PROD_EU, "ConnectFederation").clone();
        second.name = "ConnectFederationBackup".to_owned();
        second.id = "AROAHARDENEDPRODEU02".to_owned();
        second.arn = format!("arn:aws:iam::{PROD_EU}:role/ConnectFederationBackup");
        s.accounts
            .get_mut(PROD_EU)
            .expect("account")
            .iam
            .roles
            .push(second);
    }),
    ("federation-token-grantable-by-other-principal", |s| {
        let mut tools = role(s, PROD_EU, "BreakGlassAdmin").clone();
        tools.name = "SupervisorTools".to_owned();
        tools.id = "AROAHARDENEDTOOLS001".to_owned();
        tools.arn = format!("arn:aws:iam::{PROD_EU}:role/SupervisorTools");
        tools.inline[0].document = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["connect:Describe*", "connect:Get*", "connect:List*"], "Resource": "*"}]}).into();
        s.accounts
            .get_mut(PROD_EU)
            .expect("account")
            .iam
            .roles
            .push(tools);
    }),
    ("federation-trust-not-saml-only", |s| {
        role(s, PROD_EU, "ConnectFederation").trust.edit(|d| {
            d["Statement"]
                .as_array_mut()
                .expect("statements")
                .push(json!({"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"AWS": format!("arn:aws:iam::{PROD_EU}:root")}}));
        });
    }),
    ("saml-audience-condition-invalid", |s| {
        role(s, PROD_EU, "ConnectFederation").trust.edit(|d| {
            d["Statement"][0]
                .as_object_mut()
                .expect("statement")
                .remove("Condition");
        });
    }),
    ("saml-audience-global-endpoint-only", |s| {
        role(s, PROD_EU, "ConnectFederation").trust.edit(|d| {
            d["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] =
                json!("https://signin.aws.amazon.com/saml");
        });
    }),
    ("saml-trust-references-missing-provider", |s| {
        s.accounts
            .get_mut(PROD_EU)
            .expect("account")
            .iam
            .saml_providers
            .retain(|p| p.name != "IdentityCenter");
    }),
    ("backup-idp-not-independent", |s| {
        // The same Okta metadata uploaded twice is not a backup.
        let okta = provider(s, PROD_EU, "Okta").clone();
        let backup = provider(s, PROD_EU, "IdentityCenter");
        backup.metadata = okta.metadata;
        backup.metadata_document = okta.metadata_document;
    }),
    ("idp-signing-cert-expired", |s| set_time(s, 2030, 7, 1)),
    ("idp-signing-cert-expiring", |s| set_time(s, 2029, 2, 15)),
    ("saml-assertion-encryption-not-required", |s| {
        let okta = provider(s, PROD_EU, "Okta");
        okta.assertion_encryption_mode = Some("Allowed".to_owned());
        okta.private_keys.clear();
    }),
    ("saml-provider-metadata-weak", |s| {
        let document = connect_guard::demo::build::metadata_xml(
            "http://adfs.example.com/adfs/services/trust",
            "https://adfs.example.com/adfs/ls/",
            &[connect_guard::demo::certs::WEAK_1024],
        );
        let okta = provider(s, PROD_EU, "Okta");
        okta.metadata = connect_guard::saml::parse_metadata(&document);
        okta.metadata_document = Some(document);
    }),
    ("gr-planned-instance-not-eligible", |s| {
        let eu = instance(s, PROD_EU, "eu-central-1");
        eu.tags.insert("gr:planned".to_owned(), "true".to_owned());
        eu.alias = None;
    }),
    ("gr-planned-instance-not-saml", |s| {
        let test = instance(s, TEST, "us-east-1");
        test.tags.insert("gr:planned".to_owned(), "true".to_owned());
        test.identity_management_type = "CONNECT_MANAGED".to_owned();
    }),
    ("production-instance-not-saml", |s| {
        instance(s, PROD_EU, "eu-central-1").identity_management_type =
            "CONNECT_MANAGED".to_owned();
    }),
    ("flow-logging-disabled", |s| {
        instance(s, PROD_EU, "eu-central-1")
            .attributes
            .insert("CONTACTFLOW_LOGS".to_owned(), "false".to_owned());
    }),
    ("connect-instance-in-management-account", |s| {
        let mut hq = instance(s, TEST, "us-east-1").clone();
        hq.arn = hq.arn.replace(TEST, MANAGEMENT);
        s.accounts
            .get_mut(MANAGEMENT)
            .expect("account")
            .connect
            .entry("us-east-1".to_owned())
            .or_default()
            .instances
            .push(hq);
    }),
    ("federation-allow-path-missing", |s| {
        policy(s, "p-FullAWSAccess")
            .targets
            .retain(|t| t.id != "ou-hd01-prodeu01");
    }),
    ("saml-sign-in-denied-by-rcp", |s| {
        policy(s, "p-hd01perim").document["Statement"][0]["Action"] = json!(["s3:*", "sts:*"]);
    }),
    ("scp-policy-type-disabled", |s| {
        s.organization.roots[0]
            .policy_types
            .retain(|t| t.policy_type != "SERVICE_CONTROL_POLICY");
    }),
    ("gr-federation-audience-missing", |s| {
        role(s, PROD_US, "ConnectFederation").trust.edit(|d| {
            let audiences = &mut d["Statement"][0]["Condition"]["StringLike"]["SAML:aud"];
            audiences.as_array_mut().expect("audiences").retain(|a| {
                !a.as_str()
                    .unwrap_or_default()
                    .contains("sign-in.connect.aws")
            });
        });
    }),
    ("replication-unhealthy", |s| {
        let source = instance(s, PROD_US, "us-east-1");
        if let Some(replication) = &mut source.replication {
            replication.statuses[0].status = "INSTANCE_REPLICATION_FAILED".to_owned();
        }
    }),
    ("sign-in-distribution-misconfigured", |s| {
        for region in &mut instance(s, PROD_US, "us-east-1").traffic_distribution_groups[0]
            .distribution
            .sign_in
        {
            region.enabled = false;
        }
    }),
    ("federation-role-tampering-not-denied-by-scp", |s| {
        remove_policy(s, "p-hd01fedguard")
    }),
    ("instance-deletion-not-denied-by-scp", |s| {
        // The removed name alone protects nothing.
        policy(s, "p-hd01denydel").document["Statement"][1]["Action"] =
            json!(["connect:DestroyInstance"]);
    }),
    ("saml-provider-deletion-not-denied-by-scp", |s| {
        policy(s, "p-hd01fedguard").document["Statement"]
            .as_array_mut()
            .expect("statements")
            .truncate(1);
    }),
    ("scp-exception-not-break-glass", |s| {
        policy(s, "p-hd01emerg").document["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"] =
            json!("arn:aws:iam::*:role/*");
    }),
    ("scp-names-nonexistent-action", |s| {
        policy(s, "p-hd01denydel").document["Statement"][1]["Action"] =
            json!(["connect:DeleteInstance", "connect:DeleteInstances"]);
    }),
    ("scp-near-size-or-count-limit", |s| {
        let extra = connect_guard::demo::build::scp(
            "p-hd01noleave",
            "deny-leave-organization",
            "Accounts cannot leave the organization",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
            &[("ou-hd01-workload", "ORGANIZATIONAL_UNIT")],
        );
        s.organization.policies.push(extra);
    }),
];

/// Rules judged against an earlier scan: the mistake is a federation role re-created since.
const BASELINE_MISTAKES: &[&str] = &["federation-role-recreated"];

#[test]
fn every_rule_fires_on_one_mistake_made_to_the_hardened_organization() {
    let set = builtin();
    let covered: BTreeSet<&str> = MISTAKES
        .iter()
        .map(|(rule, _)| *rule)
        .chain(BASELINE_MISTAKES.iter().copied())
        .collect();
    let rules: BTreeSet<&str> = set.rules.iter().map(|r| r.metadata.id.as_str()).collect();
    assert_eq!(covered, rules, "one mistake per built-in rule");
    let mut silent = Vec::new();
    for (rule, mistake) in MISTAKES {
        let mut snapshot = connect_guard::demo::hardened::snapshot();
        mistake(&mut snapshot);
        let result = scan_with(&set, &snapshot, &ScanOptions::default());
        if !result.findings.iter().any(|f| f.rule_id == *rule) {
            silent.push(*rule);
        }
    }
    assert!(
        silent.is_empty(),
        "rules silent on their mistake: {silent:?}"
    );

    // A baseline from before the Prod-EU federation role was deleted and re-created.
    let baseline = connect_guard::baseline::Baseline::from_json(
        &json!({"version": 1, "findings": [], "inventory": {"federation_roles": [
            {"arn": format!("arn:aws:iam::{PROD_EU}:role/ConnectFederation"), "role_id": "AROAHARDENEDPRODEU00"}]}})
        .to_string(),
        "baseline",
    )
    .expect("baseline");
    let snapshot = connect_guard::demo::hardened::snapshot();
    let result = scan_with(
        &set,
        &snapshot,
        &ScanOptions {
            baseline: Some(&baseline),
            ..ScanOptions::default()
        },
    );
    let fired: Vec<&str> = result.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(fired, BASELINE_MISTAKES, "{fired:?}");
}
