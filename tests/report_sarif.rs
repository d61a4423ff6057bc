//! SARIF output: the official schema, GitHub's rules, limits and hostile input.

mod common;
#[path = "common/sarif.rs"]
mod sarif_check;

use std::io::Read as _;
use std::time::Duration;

use common::scan;
use connect_guard::engine::{Basis, PolicySet, RuleKind, RuleMetadata, Source};
use connect_guard::finding::{Finding, Severity};
use connect_guard::report::sarif::{self, MAX_GZIP_BYTES, MAX_RESULTS};
use connect_guard::scan::ScanResult;
use sarif_check::assert_valid;

fn demo_sarif(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--demo", "--format", "sarif"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = scan(&args);
    assert_eq!(code, 4, "{stderr}");
    serde_json::from_str(&stdout).expect("SARIF is JSON")
}

#[test]
fn demo_sarif_is_valid_and_complete() {
    let sarif = demo_sarif(&["--sarif-category", "org/o-cg0demo0001"]);
    assert_valid(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "org/o-cg0demo0001");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "connect-guard");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    // Every evaluated rule is declared, fired or not.
    let set = PolicySet::load(true, &[]).expect("policies");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), set.rules.len());
    let missing = &rules
        .iter()
        .find(|r| r["id"] == "saml-trust-references-missing-provider")
        .expect("declared");
    assert_eq!(missing["defaultConfiguration"]["level"], "error");
    assert_eq!(missing["properties"]["security-severity"], "9.5");
    let tags = missing["properties"]["tags"].as_array().expect("tags");
    for tag in ["security", "aws", "amazon-connect"] {
        assert!(tags.iter().any(|t| t == tag), "{tag} in {tags:?}");
    }
    let markdown = missing["help"]["markdown"].as_str().expect("markdown");
    assert!(markdown.contains("**Remediation.**"), "{markdown}");
    assert!(
        markdown.contains("/docs/rules/saml-trust-references-missing-provider.md)"),
        "{markdown}"
    );

    let results = run["results"].as_array().expect("results");
    let (_, json, _) = scan(&["--demo", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(results.len(), json["findings"].as_array().expect("f").len());
    let first = &results[0];
    assert_eq!(first["level"], "error");
    let arn = first["properties"]["aws/arn"].as_str().expect("arn");
    assert!(
        first["message"]["text"]
            .as_str()
            .expect("text")
            .contains(arn)
    );
    let location = &first["locations"][0];
    assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], arn);
    assert_eq!(location["logicalLocations"][0]["kind"], "resource");
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "aws/300000000001/us-west-2/cognito-idp/userpool/us-west-2_AcmeTest1"
    );
    assert_eq!(
        first["partialFingerprints"]["primaryLocationLineHash"],
        format!(
            "{}:1",
            json["findings"][0]["fingerprint"].as_str().expect("fp")
        )
    );
    assert_eq!(first["properties"]["aws/accountId"], "300000000001");
    assert_eq!(first["properties"]["aws/ouPath"], "Root/NonProd");

    // Results are sorted by severity, most severe first.
    let order = ["error", "warning", "note"];
    let levels: Vec<usize> = results
        .iter()
        .map(|r| order.iter().position(|l| r["level"] == *l).expect("level"))
        .collect();
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");

    // The not-assessed accounts are results and notifications.
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "account-not-assessed")
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let ids: Vec<&str> = notes
        .iter()
        .filter_map(|n| n["descriptor"]["id"].as_str())
        .collect();
    assert_eq!(ids.iter().filter(|i| **i == "not-assessed").count(), 2);
    // Collection errors are already covered by the not-assessed results.
    assert_eq!(ids.iter().filter(|i| **i == "collection-error").count(), 0);
}

#[test]
fn prefix_is_configurable_and_fingerprints_are_stable() {
    let a = demo_sarif(&["--sarif-prefix", "cloud/aws"]);
    let b = demo_sarif(&[]);
    assert_valid(&a);
    let uri = |s: &serde_json::Value| {
        s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .to_owned()
    };
    assert!(
        uri(&a).starts_with("cloud/aws/300000000001/"),
        "{}",
        uri(&a)
    );
    assert!(uri(&b).starts_with("aws/300000000001/"));
    let fingerprints = |s: &serde_json::Value| -> Vec<serde_json::Value> {
        s["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fingerprints(&a), fingerprints(&b));
    assert!(b["runs"][0].get("automationDetails").is_none());
}

#[test]
fn policy_errors_are_notifications_and_reports_still_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("broken.rego"),
        "package rules.custom.broken\n\nimport rego.v1\n\ndeny contains x if {\n  x := \n}\n",
    )
    .expect("writes");
    let sarif_path = dir.path().join("out.sarif.json");
    let md_path = dir.path().join("out.md");
    let (code, _, stderr) = scan(&[
        "--demo",
        "--policies",
        dir.path().to_str().expect("utf-8"),
        "--report",
        sarif_path.to_str().expect("utf-8"),
        "--report",
        md_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 2, "{stderr}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).expect("written"))
            .expect("JSON");
    assert_valid(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["descriptor"]["id"] == "policy-error"
                && n["level"] == "error"
                && n["message"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("broken.rego")))
    );
    let md = std::fs::read_to_string(&md_path).expect("written");
    assert!(md.contains("### Policy errors"), "{md}");
}

fn rule(id: &str, severity: Severity) -> RuleMetadata {
    RuleMetadata {
        id: id.to_owned(),
        code: Some("CX-TEST-01".to_owned()),
        title: format!("{id} title"),
        severity,
        description: "d".to_owned(),
        rationale: None,
        remediation: "r".to_owned(),
        basis: Basis::Aws,
        sources: vec![Source {
            url: "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html"
                .to_owned(),
            states: "s".to_owned(),
        }],
        beyond_aws: None,
        references: vec![],
        tags: (0..20).map(|i| format!("extra-{i}")).collect(),
        kind: RuleKind::Posture,
    }
}

/// `count` synthetic findings, `per_severity` of each severity from critical down, with
/// `message_len` characters of hard-to-compress text each.
fn synthetic(count: usize, message_len: usize) -> ScanResult {
    let severities = Severity::ALL_DESC;
    let rules: Vec<RuleMetadata> = severities
        .iter()
        .map(|s| rule(&format!("synthetic-{s}"), *s))
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let findings = (0..count)
        .map(|i| {
            let severity = severities[i * severities.len() / count];
            let message: String = (0..message_len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from(b'a' + (seed % 26) as u8)
                })
                .collect();
            Finding {
                rule_id: format!("synthetic-{severity}"),
                code: None,
                severity,
                title: "t".to_owned(),
                resource: format!("arn:aws:iam::{:012}:role/r{i}", i % 1000),
                account_id: Some(format!("{:012}", i % 1000)),
                account_name: None,
                region: None,
                ou_path: Some("Root".to_owned()),
                message,
                discriminator: None,
                details: None,
                coverage: false,
                waiver: None,
                baseline_state: None,
                location: None,
            }
        })
        .collect();
    ScanResult {
        findings,
        policy_errors: vec![],
        rules,
        duration: Duration::ZERO,
        waivers: vec![],
        fixed: None,
        federation_roles: vec![],
        // SARIF reads neither; a report that does would need them built from the findings.
        facts: Default::default(),
        index: Default::default(),
        completed_rules: vec![],
        input: Default::default(),
    }
}

fn render(result: &ScanResult) -> (Vec<u8>, serde_json::Value) {
    let snapshot = connect_guard::demo::snapshot();
    let mut out = Vec::new();
    sarif::write(&mut out, &snapshot, result, &sarif::Options::default()).expect("writes");
    let value = serde_json::from_slice(&out).expect("JSON");
    (out, value)
}

fn notification_ids(sarif: &serde_json::Value) -> Vec<String> {
    sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(|n| n["descriptor"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn more_than_25000_findings_are_truncated_by_severity() {
    let result = synthetic(30_000, 20);
    let (_, sarif) = render(&result);
    assert_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), MAX_RESULTS);
    // 7,500 per severity: critical, high and medium all kept, 2,500 low kept.
    let low = results.iter().filter(|r| r["level"] == "note").count();
    assert_eq!(low, 2_500);
    let ids = notification_ids(&sarif);
    assert!(ids.contains(&"results-truncated".to_owned()), "{ids:?}");
    assert!(
        ids.contains(&"results-over-display-limit".to_owned()),
        "{ids:?}"
    );
    let warnings = sarif::limit_warnings(&result);
    assert!(
        warnings[0].contains("exceed GitHub's limit"),
        "{warnings:?}"
    );
    // Rules carry at most ten tags even when they declare more.
    let tags = sarif["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"]
        .as_array()
        .expect("tags");
    assert_eq!(tags.len(), 10);
}

#[test]
fn files_over_10_mb_compressed_are_cut_down() {
    // 20,000 findings with 1 KB of random letters each: ~20 MB that gzip cannot shrink to 10.
    let result = synthetic(20_000, 1_000);
    let (bytes, sarif) = render(&result);
    let mut encoder = flate2::read::GzEncoder::new(&bytes[..], flate2::Compression::default());
    let mut compressed = Vec::new();
    encoder.read_to_end(&mut compressed).expect("gzip");
    assert!(compressed.len() <= MAX_GZIP_BYTES, "{}", compressed.len());
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(
        results.len() < 20_000 && results.len() > 5_000,
        "{}",
        results.len()
    );
    assert_eq!(results[0]["level"], "error", "the most severe are kept");
    assert!(notification_ids(&sarif).contains(&"results-truncated".to_owned()));
    assert_valid(&sarif);
}

/// A custom rule whose findings carry hostile strings still yields valid, escaped SARIF.
#[test]
fn hostile_strings_stay_data() {
    let rule = r#"package rules.custom.hostile

import rego.v1

metadata := {"id": "hostile-strings", "title": "Title: with, colons: and, commas", "severity": "low",
             "description": "d", "remediation": "r", "references": [],
             "basis": "hardening", "beyond_aws": "test rule"}

deny contains {"resource": "arn:aws:iam::123456789012:role/../a b%2F<script>", "message": "bad\n::error::injected 100% <img src=x onerror=alert(1)> `code` | [x](javascript:alert(1))"} if true
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("hostile.rego"), rule).expect("writes");
    let (_, stdout, stderr) = scan(&[
        "--demo",
        "--format",
        "sarif",
        "--policies",
        dir.path().to_str().expect("utf-8"),
    ]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_valid(&sarif);
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "hostile-strings")
        .expect("hostile finding")
        .clone();
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "aws/123456789012/global/iam/role/%2E%2E/a%20b%252F%3Cscript%3E",
        "{stderr}"
    );
}
