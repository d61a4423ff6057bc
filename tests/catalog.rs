//! The rule catalog: every built-in rule is valid, tested, documented, and shows in the demo.

use std::collections::BTreeSet;

use connect_guard::engine::{PolicySet, SourceKind};
use connect_guard::params::Params;
use connect_guard::scan::{ScanOptions, ScanResult, scan};
use connect_guard::snapshot::Snapshot;

fn builtin() -> PolicySet {
    let set = PolicySet::load(true, &[]).expect("builtin policies load");
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    set
}

/// Scans `snapshot` with the built-in rules and default parameters; no rule may fail.
fn scan_builtin(set: &PolicySet, snapshot: &Snapshot) -> ScanResult {
    let result = scan(snapshot, &Params::default(), set, &ScanOptions::default());
    assert!(
        result.policy_errors.is_empty(),
        "{:?}",
        result.policy_errors
    );
    result
}

#[test]
fn rule_ids_are_unique_kebab_case_and_sorted() {
    let set = builtin();
    let ids: Vec<&str> = set.rules.iter().map(|r| r.metadata.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len());
    assert!(ids.len() >= 30, "{ids:?}");
    for rule in &set.rules {
        let expected_package = rule.metadata.id.replace('-', "_");
        assert!(
            rule.source
                .package
                .ends_with(&format!(".{expected_package}")),
            "{}: package {} should end with the id in snake case",
            rule.source.path,
            rule.source.package
        );
        assert!(
            rule.source.path.starts_with("policies/"),
            "{}",
            rule.source.path
        );
    }
}

#[test]
fn every_rule_has_a_test_file_beside_it() {
    let set = builtin();
    let tests: BTreeSet<&str> = set.tests.iter().map(|t| t.path.as_str()).collect();
    for rule in &set.rules {
        let test = rule.source.path.replace(".rego", "_test.rego");
        assert!(
            tests.contains(test.as_str()),
            "{} has no {test}",
            rule.source.path
        );
        let text = &set
            .tests
            .iter()
            .find(|t| t.path == test)
            .expect("present")
            .text;
        assert!(text.contains("test_deny_"), "{test} has no test_deny_ case");
        assert!(
            text.contains("test_allow_"),
            "{test} has no test_allow_ case"
        );
    }
    assert!(set.libraries.iter().all(|l| l.kind == SourceKind::Library));
}

/// For each rule, a resource of the demo organization where it must fire and one where it
/// must not: every rule both fires and passes somewhere in the demo.
const DEMO_CASES: &[(&str, &str, &str)] = &[
    (
        "production-instance-not-saml",
        "arn:aws:connect:us-east-1:200000000003:instance/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "gr-planned-instance-not-saml",
        "arn:aws:connect:us-east-1:200000000003:instance/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "connect-instance-in-management-account",
        "arn:aws:connect:us-east-1:100000000001:instance/1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "instance-deletion-not-denied-by-scp",
        "arn:aws:connect:eu-central-1:200000000002:instance/0c3d1f2e-7b64-4e0a-8d5c-112233445566",
        "arn:aws:connect:us-west-2:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "federation-role-tampering-not-denied-by-scp",
        "arn:aws:iam::300000000001:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "emergency-access-not-restricted",
        "arn:aws:connect:us-west-2:300000000001:instance/3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "federation-trust-not-saml-only",
        "arn:aws:iam::300000000001:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "saml-audience-condition-invalid",
        "arn:aws:iam::200000000002:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "saml-trust-references-missing-provider",
        "arn:aws:iam::200000000002:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "federation-grant-not-instance-scoped",
        "arn:aws:iam::300000000001:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "idp-signing-cert-expired",
        "arn:aws:iam::300000000002:saml-provider/OktaLegacy",
        "arn:aws:iam::200000000001:saml-provider/Okta",
    ),
    (
        "idp-signing-cert-expiring",
        "arn:aws:iam::200000000002:saml-provider/EntraID",
        "arn:aws:iam::200000000001:saml-provider/IdentityCenter",
    ),
    (
        "backup-idp-not-independent",
        "arn:aws:connect:eu-west-2:200000000004:instance/7e1a9b2c-3d4e-4f5a-8b6c-778899aabbcc",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "federation-allow-path-missing",
        "arn:aws:connect:ap-southeast-2:400000000001:instance/8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "saml-sign-in-denied-by-rcp",
        "arn:aws:iam::300000000001:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "saml-provider-deletion-not-denied-by-scp",
        "arn:aws:iam::300000000001:saml-provider/OktaNonProd",
        "arn:aws:iam::200000000001:saml-provider/Okta",
    ),
    (
        "scp-exception-not-break-glass",
        "arn:aws:organizations::100000000001:policy/o-cg0demo0001/service_control_policy/p-cg01nonprod",
        "arn:aws:organizations::100000000001:policy/o-cg0demo0001/service_control_policy/p-cg01emerg",
    ),
    (
        "emergency-access-without-source-ip",
        "arn:aws:iam::200000000002:role/BreakGlassAdmin",
        "arn:aws:iam::200000000001:role/BreakGlassAdmin",
    ),
    (
        "break-glass-path-missing",
        "arn:aws:connect:eu-west-2:200000000004:instance/7e1a9b2c-3d4e-4f5a-8b6c-778899aabbcc",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "gr-planned-instance-not-eligible",
        "arn:aws:connect:ap-southeast-2:400000000001:instance/8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "replication-unhealthy",
        "arn:aws:connect:eu-central-1:200000000002:instance/0c3d1f2e-7b64-4e0a-8d5c-112233445566",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "sign-in-distribution-misconfigured",
        "arn:aws:connect:eu-central-1:200000000002:instance/0c3d1f2e-7b64-4e0a-8d5c-112233445566",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "gr-federation-audience-missing",
        "arn:aws:iam::200000000002:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "federation-role-missing-or-duplicated",
        "arn:aws:connect:ap-southeast-2:400000000001:instance/8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "saml-audience-global-endpoint-only",
        "arn:aws:iam::300000000001:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "federation-token-grantable-by-other-principal",
        "arn:aws:iam::200000000002:role/SupervisorTools",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "federation-role-recreated",
        "arn:aws:iam::200000000002:role/ConnectFederation",
        "arn:aws:iam::200000000001:role/ConnectFederation",
    ),
    (
        "saml-provider-metadata-weak",
        "arn:aws:iam::300000000002:saml-provider/LegacyADFS",
        "arn:aws:iam::300000000001:saml-provider/OktaNonProd",
    ),
    (
        "saml-assertion-encryption-not-required",
        "arn:aws:iam::200000000002:saml-provider/EntraID",
        "arn:aws:iam::200000000001:saml-provider/Okta",
    ),
    (
        "flow-logging-disabled",
        "arn:aws:connect:us-west-2:300000000001:instance/3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7",
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6",
    ),
    (
        "scp-names-nonexistent-action",
        "arn:aws:organizations::100000000001:policy/o-cg0demo0001/service_control_policy/p-cg01nonprod",
        "arn:aws:organizations::100000000001:policy/o-cg0demo0001/service_control_policy/p-cg01denydel",
    ),
    (
        "scp-near-size-or-count-limit",
        "arn:aws:organizations::100000000001:ou/o-cg0demo0001/ou-cg01-produs01",
        "arn:aws:organizations::100000000001:ou/o-cg0demo0001/ou-cg01-prod0001",
    ),
    (
        "account-not-assessed",
        "arn:aws:organizations::100000000001:account/o-cg0demo0001/400000000002",
        "arn:aws:organizations::100000000001:account/o-cg0demo0001/200000000001",
    ),
];

/// Rules that cannot both fire and pass in one organization, with the reason. Their
/// `_test.rego` files show them firing and passing, and `demo_with_scps_disabled_on_the_root`
/// shows the root rule firing on the demo with SCPs disabled.
const NOT_IN_DEMO: &[(&str, &str)] = &[(
    "scp-policy-type-disabled",
    "an organization has one root; the demo's enables SCPs so that every SCP rule can show",
)];

#[test]
fn every_rule_fires_and_passes_in_the_demo() {
    let set = builtin();
    let snapshot = connect_guard::demo::snapshot();
    let result = scan_builtin(&set, &snapshot);
    let has = |rule: &str, resource: &str| {
        result
            .findings
            .iter()
            .any(|f| f.rule_id == rule && f.resource == resource)
    };
    for (rule, fires, passes) in DEMO_CASES {
        assert!(has(rule, fires), "{rule} should fire on {fires}");
        assert!(!has(rule, passes), "{rule} should pass on {passes}");
    }
    let covered: BTreeSet<&str> = DEMO_CASES.iter().map(|(rule, _, _)| *rule).collect();
    for rule in &set.rules {
        let id = rule.metadata.id.as_str();
        if let Some((_, why)) = NOT_IN_DEMO.iter().find(|(r, _)| *r == id) {
            assert!(
                !result.findings.iter().any(|f| f.rule_id == id),
                "{id}: {why}"
            );
            continue;
        }
        assert!(covered.contains(id), "{id} has no demo case");
    }
}

#[test]
fn demo_and_fixtures_validate_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/snapshot.v1.json")).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let demo = serde_json::to_value(connect_guard::demo::snapshot()).expect("serializes");
    let errors: Vec<String> = validator
        .iter_errors(&demo)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let minimal: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/minimal.json")).expect("fixture is JSON");
    assert!(validator.is_valid(&minimal));
}

/// The rule the demo cannot show firing, shown on the demo with SCPs disabled on its root
/// (the type removed, or still listed but `PENDING_DISABLE`): it fires on the root, and the
/// instance whose deletion the demo's SCPs protect is reported unprotected, because the SCP
/// evaluation no longer applies any SCP.
#[test]
fn demo_with_scps_disabled_on_the_root() {
    let set = builtin();
    let disable: [fn(&mut connect_guard::snapshot::Root); 2] = [
        |root| {
            root.policy_types
                .retain(|t| t.policy_type != "SERVICE_CONTROL_POLICY")
        },
        |root| {
            for t in &mut root.policy_types {
                if t.policy_type == "SERVICE_CONTROL_POLICY" {
                    t.status = "PENDING_DISABLE".to_owned();
                }
            }
        },
    ];
    let (_, _, protected_instance) = DEMO_CASES
        .iter()
        .find(|(rule, _, _)| *rule == "instance-deletion-not-denied-by-scp")
        .expect("demo case");
    for change in disable {
        let mut snapshot = connect_guard::demo::snapshot();
        let root_id = snapshot.organization.roots[0].id.clone();
        change(&mut snapshot.organization.roots[0]);
        let result = scan_builtin(&set, &snapshot);
        let fired: Vec<_> = result
            .findings
            .iter()
            .filter(|f| f.rule_id == "scp-policy-type-disabled")
            .collect();
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert!(
            fired[0].resource.ends_with(&root_id),
            "{}",
            fired[0].resource
        );
        assert!(fired[0].message.contains("SCPs are not enabled"));
        assert!(
            result
                .findings
                .iter()
                .any(|f| f.rule_id == "instance-deletion-not-denied-by-scp"
                    && f.resource == *protected_instance),
            "with SCPs disabled, {protected_instance} is no longer protected"
        );
    }
}
