//! The rule catalog: every built-in rule is valid, tested, documented, and shows in the demo.

use std::collections::BTreeSet;

use connect_guard::engine::{PolicySet, SourceKind};
use connect_guard::params::Params;
use connect_guard::scan::{ScanOptions, ScanResult};
use connect_guard::snapshot::Snapshot;

mod common;

use common::builtin_rules as builtin;

/// Scans `snapshot` with the built-in rules and default parameters; no rule may fail.
fn scan_builtin(set: &PolicySet, snapshot: &Snapshot) -> ScanResult {
    common::scan_in_process(set, snapshot, &ScanOptions::default())
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
        "cognito-idp-signing-cert-expired",
        "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1",
        "arn:aws:cognito-idp:us-east-1:200000000001:userpool/us-east-1_AcmeAgnt1",
    ),
    (
        "cognito-idp-signing-cert-expiring",
        "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1",
        "arn:aws:cognito-idp:us-east-1:200000000001:userpool/us-east-1_AcmeAgnt1",
    ),
    (
        "cognito-idp-initiated-sign-in",
        "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1",
        "arn:aws:cognito-idp:us-east-1:200000000001:userpool/us-east-1_AcmeAgnt1",
    ),
    (
        "cognito-user-pool-deletion-protection-off",
        "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1",
        "arn:aws:cognito-idp:us-east-1:200000000001:userpool/us-east-1_AcmeAgnt1",
    ),
    (
        "cognito-user-pool-not-denied-by-scp",
        "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1",
        "arn:aws:cognito-idp:us-east-1:200000000001:userpool/us-east-1_AcmeAgnt1",
    ),
    (
        "provisioning-access-key-too-old",
        "arn:aws:iam::300000000001:user/okta-provisioning",
        "arn:aws:iam::200000000001:user/okta-provisioning",
    ),
    (
        "provisioning-access-key-unused",
        "arn:aws:iam::300000000001:user/okta-provisioning",
        "arn:aws:iam::200000000001:user/okta-provisioning",
    ),
    (
        "provisioning-user-multiple-active-keys",
        "arn:aws:iam::300000000001:user/okta-provisioning",
        "arn:aws:iam::200000000001:user/okta-provisioning",
    ),
    (
        "provisioning-user-console-password",
        "arn:aws:iam::300000000001:user/okta-provisioning",
        "arn:aws:iam::200000000001:user/okta-provisioning",
    ),
    (
        "provisioning-permissions-not-instance-scoped",
        "arn:aws:iam::300000000001:user/okta-provisioning",
        "arn:aws:iam::200000000001:user/okta-provisioning",
    ),
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

/// Rules that need an earlier scan to compare with, shown on the demo scanned against
/// `examples/demo-baseline.json` (an earlier scan of the demo in which the Prod-EU federation
/// role had another RoleId): (rule, fires on, passes on).
const DEMO_BASELINE_CASES: &[(&str, &str, &str)] = &[(
    "federation-role-recreated",
    "arn:aws:iam::200000000002:role/ConnectFederation",
    "arn:aws:iam::200000000001:role/ConnectFederation",
)];

/// Rules that cannot both fire and pass in one organization, with the reason. Their
/// `_test.rego` files show them firing and passing, and `demo_with_scps_disabled_on_the_root`
/// shows the root rule firing on the demo with SCPs disabled.
const NOT_IN_DEMO: &[(&str, &str)] = &[(
    "scp-policy-type-disabled",
    "an organization has one root; the demo's enables SCPs so that every SCP rule can show",
)];

fn has_rule(result: &ScanResult, rule: &str) -> bool {
    result.findings.iter().any(|f| f.rule_id == rule)
}

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
    let baseline = connect_guard::baseline::Baseline::from_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/demo-baseline.json"
    )))
    .expect("the demo baseline reads");
    let compared = common::scan_in_process(
        &set,
        &snapshot,
        &ScanOptions {
            baseline: Some(&baseline),
            ..ScanOptions::default()
        },
    );
    for (rule, fires, passes) in DEMO_BASELINE_CASES {
        let has = |resource: &str| {
            compared
                .findings
                .iter()
                .any(|f| f.rule_id == *rule && f.resource == resource)
        };
        assert!(
            !self::has_rule(&result, rule),
            "{rule} needs a baseline to fire"
        );
        assert!(
            has(fires),
            "{rule} should fire on {fires} against the baseline"
        );
        assert!(
            !has(passes),
            "{rule} should pass on {passes} against the baseline"
        );
    }
    let covered: BTreeSet<&str> = DEMO_CASES
        .iter()
        .chain(DEMO_BASELINE_CASES)
        .map(|(rule, _, _)| *rule)
        .collect();
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

/// The raw metadata document is the source of truth: a snapshot whose parsed view of a
/// provider was cleared or edited (by another tool, an older version, or by hand) is read
/// with the view derived again from the document, so no certificate finding is lost or
/// invented.
#[test]
fn parsed_saml_metadata_is_derived_from_the_raw_document_on_load() {
    let set = builtin();
    let expiring = "arn:aws:iam::200000000002:saml-provider/EntraID";
    let mut snapshot = connect_guard::demo::snapshot();
    let original = scan_builtin(&set, &snapshot);
    snapshot
        .accounts
        .get_mut("200000000002")
        .and_then(|r| r.iam.saml_providers.iter_mut().find(|p| p.arn == expiring))
        .expect("the demo's EntraID provider")
        .metadata = Default::default();
    // Contradict the document elsewhere too: a certificate that never expires.
    let forged = snapshot
        .accounts
        .values_mut()
        .flat_map(|r| r.iam.saml_providers.iter_mut())
        .find(|p| p.name == "OktaLegacy")
        .expect("the demo's expired provider");
    for cert in &mut forged.metadata.signing_certs {
        cert.not_after = chrono::DateTime::<chrono::Utc>::MAX_UTC;
    }
    let reloaded = Snapshot::from_json_str(&snapshot.to_json_pretty(), "edited.json")
        .expect("the edited snapshot loads");
    assert_eq!(reloaded, connect_guard::demo::snapshot());
    let rescanned = scan_builtin(&set, &reloaded);
    let ids = |r: &ScanResult| -> BTreeSet<String> {
        r.findings
            .iter()
            .map(|f| format!("{} {}", f.rule_id, f.resource))
            .collect()
    };
    assert_eq!(ids(&rescanned), ids(&original));
    assert!(ids(&rescanned).contains(&format!("idp-signing-cert-expiring {expiring}")));
}

/// AWS's best-practice SCP, exactly as the seed documents print it
/// (`tests/fixtures/aws-best-practice-scp.json`, placeholders filled in), protects the
/// instance from deletion and the federation role from deletion. It denies
/// `connect:DeleteInstance` only: the old `connect:DestroyInstance` is not an IAM action.
#[test]
fn the_aws_best_practice_scp_verbatim_protects_instance_and_role() {
    const NONPROD: &str = "300000000001";
    let instance = format!(
        "arn:aws:connect:us-west-2:{NONPROD}:instance/3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7"
    );
    let role = format!("arn:aws:iam::{NONPROD}:role/ConnectFederation");
    let verbatim = include_str!("fixtures/aws-best-practice-scp.json");
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/004_827a524cfe562ca1.txt");
    if let Ok(text) = std::fs::read_to_string(&seed) {
        assert!(
            text.contains(verbatim.trim()),
            "the fixture is the seed's SCP"
        );
    }
    let filled = verbatim
        .replace("***Amazon Connect user role***", "ConnectFederation")
        .replace("***Amazon Connect instance ARN***", &instance);
    let document: serde_json::Value = serde_json::from_str(&filled).expect("the SCP is JSON");

    let set = builtin();
    let params = Params::default();
    let mut snapshot = connect_guard::demo::snapshot();
    let decision = |snapshot: &Snapshot| {
        let facts = connect_guard::facts::Facts::derive(snapshot, &params);
        let of = |id: &connect_guard::facts::DecisionRef| facts.scp_decisions[id].decision;
        (
            of(&facts.instances[&instance].scp["connect:DeleteInstance"]),
            of(&facts.roles[&role].scp["iam:DeleteRole"]),
        )
    };
    use connect_guard::iam::Decision;
    assert_eq!(
        decision(&snapshot),
        (Decision::NotDenied, Decision::NotDenied),
        "the demo's NonProd account starts unprotected"
    );
    snapshot
        .organization
        .policies
        .push(connect_guard::demo::build::scp(
            "p-awsbestpract",
            "aws-best-practice",
            "Amazon Connect security best practices SCP",
            document,
            &[(NONPROD, "ACCOUNT")],
        ));
    assert_eq!(decision(&snapshot), (Decision::Denied, Decision::Denied));
    let result = scan_builtin(&set, &snapshot);
    assert!(
        !result
            .findings
            .iter()
            .any(|f| f.rule_id == "instance-deletion-not-denied-by-scp" && f.resource == instance),
        "the instance is protected"
    );
    // The old action name left in an SCP is not called a misspelling.
    assert!(
        !result
            .findings
            .iter()
            .any(|f| f.rule_id == "scp-names-nonexistent-action"
                && f.message.contains("DestroyInstance")),
        "connect:DestroyInstance is harmless"
    );
}

/// A contact-center user pool whose SAML provider reads its metadata from a URL that was not
/// fetched: its certificates are reported as not assessed (and the scan as incomplete), never
/// as passing; the same provider outside a contact-center account is left alone.
#[test]
fn unfetched_metadata_urls_are_not_assessed_never_passing() {
    let set = builtin();
    let pool_arn = "arn:aws:cognito-idp:us-west-2:300000000001:userpool/us-west-2_AcmeTest1";
    let mut snapshot = connect_guard::demo::snapshot();
    let nonprod = snapshot.accounts.get_mut("300000000001").expect("nonprod");
    let pool = &mut nonprod
        .cognito
        .get_mut("us-west-2")
        .expect("region")
        .user_pools[0];
    for provider in &mut pool.identity_providers {
        provider.metadata_document = None;
        provider.metadata_source = None;
        provider.metadata = Default::default();
        provider.metadata_url = Some(format!(
            "https://idp.example.com/{}/metadata?tenant=secret",
            provider.name
        ));
    }
    let result = scan_builtin(&set, &snapshot);
    let gaps: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.rule_id == "account-not-assessed" && f.resource == pool_arn)
        .collect();
    assert_eq!(gaps.len(), 2, "one per provider: {gaps:?}");
    assert!(gaps.iter().all(|f| f.message.contains("idp.example.com")
        && f.message.contains("--fetch-saml-metadata-urls")
        && !f.message.contains("tenant=secret")));
    assert!(!has_rule(&result, "cognito-idp-signing-cert-expired"));
    assert!(result.incomplete());

    // Without a Connect instance in the account, the pool is not a contact-center pool.
    snapshot
        .accounts
        .get_mut("300000000001")
        .expect("nonprod")
        .connect
        .clear();
    let result = scan_builtin(&set, &snapshot);
    assert!(
        !result.findings.iter().any(|f| f.resource == pool_arn),
        "{:?}",
        result
            .findings
            .iter()
            .filter(|f| f.resource == pool_arn)
            .collect::<Vec<_>>()
    );
}
