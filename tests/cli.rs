//! The command line end to end: exit codes, bad inputs, reports.

mod common;

use common::{connect_guard, demo_json, scan, write_json};
use serde_json::json;

/// A demo snapshot with its collection errors removed: a complete scan.
fn complete_demo(dir: &std::path::Path) -> std::path::PathBuf {
    let mut demo = demo_json();
    demo["scan"]["errors"] = json!([]);
    write_json(dir, "complete.json", &demo)
}

#[test]
fn demo_scan_reports_findings_and_an_incomplete_scan() {
    let (code, stdout, stderr) = scan(&["--demo"]);
    assert_eq!(code, 4, "findings and not-assessed accounts: {stderr}");
    assert!(stdout.contains("CRITICAL saml-trust-references-missing-provider (1)\nRole trust names a SAML provider that does not exist"), "{stdout}");
    assert!(
        stdout.contains("scan incomplete: 2 not assessed"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
    assert!(stderr.is_empty(), "{stderr}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 100,
            "line wider than 100 columns: {line}"
        );
    }
}

#[test]
fn exit_codes_follow_fail_on_and_completeness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let complete = complete_demo(dir.path());
    let complete = complete.to_str().expect("utf-8");
    assert_eq!(scan(&["--snapshot", complete]).0, 1);
    assert_eq!(scan(&["--snapshot", complete, "--fail-on", "none"]).0, 0);
    assert_eq!(scan(&["--demo", "--fail-on", "none"]).0, 3);
    assert_eq!(scan(&["--demo", "--fail-on", "critical"]).0, 4);
}

#[test]
fn output_is_deterministic() {
    let first = scan(&["--demo", "--format", "json"]).1;
    let second = scan(&["--demo", "--format", "json"]).1;
    assert_eq!(first, second);
}

#[test]
fn json_report_v1_shape() {
    let (_, stdout, _) = scan(&["--demo", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "connect-guard");
    assert_eq!(report["snapshot"]["organization_id"], "o-cg0demo0001");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(report["summary"]["total"], findings.len());
    assert_eq!(report["summary"]["incomplete"], true);
    for finding in findings {
        for key in [
            "rule_id",
            "severity",
            "title",
            "resource",
            "message",
            "fingerprint",
        ] {
            assert!(finding[key].is_string(), "{key} missing in {finding}");
        }
    }
    let collection_errors = report["errors"].as_array().expect("errors");
    assert_eq!(collection_errors.len(), 2);
    assert!(collection_errors.iter().all(|e| e["kind"] == "collection"));
}

#[test]
fn report_files_match_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.json");
    let (_, stdout, _) = scan(&[
        "--demo",
        "--format",
        "json",
        "--report",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(std::fs::read_to_string(&path).expect("written"), stdout);
    let (code, _, stderr) = scan(&["--demo", "--report", "report.pdf"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unsupported report extension '.pdf'"),
        "{stderr}"
    );
}

/// Each bad input: exit code 2, one `error:` line naming what failed, no panic.
fn assert_input_error(args: &[&str], expected: &str) -> String {
    let (code, stdout, stderr) = scan(args);
    assert_eq!(code, 2, "{args:?}: stdout {stdout} stderr {stderr}");
    assert!(
        stderr.contains(expected),
        "{args:?}: expected {expected:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

/// Hostile or broken snapshot files: every one is refused with a short one-line error.
#[test]
fn duplicate_keys_non_objects_and_oversized_input_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = serde_json::to_string(&demo_json()).expect("serializes");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("writes");
        path.display().to_string()
    };
    let demo_value: serde_json::Value = serde_json::from_str(&demo).expect("JSON");
    let first = demo_value["accounts"]
        .as_object()
        .and_then(|a| a.keys().next().cloned())
        .expect("an account");
    // A second entry for the same account would silently replace the first.
    let twice = demo.replacen(
        "\"accounts\":{",
        &format!("\"accounts\":{{\"{first}\":{{}},"),
        1,
    );
    // A tag given twice would flip its value.
    let tag = demo.replacen(
        "\"cost-center\":\"cx\"",
        "\"cost-center\":\"cx\",\"cost-center\":\"other\"",
        1,
    );
    assert_ne!(tag, demo);
    let mut empty = demo_value.clone();
    empty["accounts"][&first] = serde_json::json!([]);
    let mut huge = demo_value.clone();
    huge["organization"]["policies"][0]["size_chars"] = serde_json::json!("A".repeat(2_000_000));
    let cases = [
        (
            write("twice.json", &twice),
            format!("duplicate key \"{first}\" at line 1"),
        ),
        (
            write("tag.json", &tag),
            "duplicate key \"cost-center\" at line 1".to_owned(),
        ),
        (
            write("empty.json", &empty.to_string()),
            "invalid type: sequence, expected an object".to_owned(),
        ),
        (
            write("array.json", &format!("[{demo}]")),
            "expected a JSON object at the top level, found an array".to_owned(),
        ),
        (
            write("huge.json", &huge.to_string()),
            "characters left out".to_owned(),
        ),
    ];
    for (path, expected) in cases {
        let (code, stdout, stderr) = scan(&["--snapshot", &path]);
        assert_eq!(code, 2, "{path}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains(&expected),
            "{path}: {expected:?} in {stderr}"
        );
        assert!(
            stderr.len() < 1_000,
            "{path}: {} bytes of error",
            stderr.len()
        );
        assert_eq!(
            stderr.lines().count(),
            2,
            "{path}: error and help: {stderr}"
        );
    }
    // /dev/zero never ends: the read stops at the limit.
    let output = connect_guard()
        .args(["scan", "--snapshot", "/dev/zero"])
        .env("CONNECT_GUARD_MAX_SNAPSHOT_BYTES", "1000000")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .starts_with("error: /dev/zero: snapshot is larger than 1000000 bytes"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bad_snapshots_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_json = dir.path().join("not.json");
    std::fs::write(&not_json, "{ this is not json").expect("writes");
    assert_input_error(
        &["--snapshot", not_json.to_str().expect("utf-8")],
        "snapshot is not valid JSON",
    );

    let mut future = demo_json();
    future["schema_version"] = json!(7);
    let future = write_json(dir.path(), "future.json", &future);
    assert_input_error(
        &["--snapshot", future.to_str().expect("utf-8")],
        "unsupported snapshot schema_version 7 (this build reads version 1)",
    );

    let mut missing = demo_json();
    missing["organization"]
        .as_object_mut()
        .expect("object")
        .remove("management_account_id");
    let missing = write_json(dir.path(), "missing.json", &missing);
    assert_input_error(
        &["--snapshot", missing.to_str().expect("utf-8")],
        "missing field `management_account_id`",
    );

    assert_input_error(
        &["--snapshot", "/nonexistent/snapshot.json"],
        "cannot read snapshot",
    );
}

#[test]
fn invalid_params_are_errors_with_help() {
    let (code, _, stderr) = scan(&["--demo", "--param", "expiry-warn-dayz=3"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "error: unknown parameter 'expiry-warn-dayz' (did you mean 'expiry-warn-days'?)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("help: "), "{stderr}");
    assert_input_error(
        &["--demo", "--param", "expiry-warn-days=soon"],
        "not a whole number",
    );
    assert_input_error(&["--demo", "--param", "nonsense"], "expected name=value");
}

#[test]
fn params_change_results() {
    let (_, default, _) = scan(&["--demo", "--format", "json"]);
    let (_, narrow, _) = scan(&[
        "--demo",
        "--format",
        "json",
        "--param",
        "expiry-warn-days=5",
    ]);
    assert!(default.contains("\"idp-signing-cert-expiring\""));
    assert!(!narrow.contains("\"idp-signing-cert-expiring\""));
}

fn policy_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("writes");
    }
    dir
}

const METADATA: &str = r#"metadata := {"id": "custom-rule", "title": "t", "severity": "low", "description": "d", "remediation": "r", "references": [], "basis": "hardening", "beyond_aws": "test rule"}"#;

#[test]
fn broken_custom_policies_are_reported_and_other_rules_still_run() {
    let cases = [
        ("syntax.rego", "package rules.custom.syntax\n\nimport rego.v1\n\ndeny contains x if {\n  x := \n}\n".to_owned(), "syntax.rego:"),
        (
            "shape.rego",
            format!("package rules.custom.shape\n\nimport rego.v1\n\n{METADATA}\n\ndeny contains \"just a string\" if true\n"),
            "shape.rego:7: `deny` returned an object of the wrong shape",
        ),
        (
            "loop.rego",
            format!("package rules.custom.loop\n\nimport rego.v1\n\n{METADATA}\n\ndeny contains {{\"resource\": \"arn:x\", \"message\": sprintf(\"%d\", [n])}} if {{\n  n := count([x | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); x := i * j])\n}}\n"),
            "loop.rego:7: rule exceeded its time limit of 500 ms",
        ),
        (
            "metadata.rego",
            "package rules.custom.metadata\n\nimport rego.v1\n\nmetadata := {\"id\": \"x\", \"sevrity\": \"low\"}\n\ndeny contains 1 if false\n".to_owned(),
            "metadata.rego:5: invalid metadata: unknown field `sevrity`",
        ),
        (
            "untraced.rego",
            "package rules.custom.untraced\n\nimport rego.v1\n\nmetadata := {\"id\": \"untraced\", \"title\": \"t\", \"severity\": \"low\", \"description\": \"d\", \"remediation\": \"r\", \"basis\": \"aws\"}\n\ndeny contains 1 if false\n".to_owned(),
            "untraced.rego:5: invalid metadata: basis 'aws' needs at least one source on docs.aws.amazon.com or aws.amazon.com",
        ),
        (
            "recursion.rego",
            format!("package rules.custom.recursion\n\nimport rego.v1\n\n{METADATA}\n\nf(n) := f(n + 1)\n\ndeny contains {{\"resource\": \"arn:x\", \"message\": \"m\"}} if f(1) > 0\n"),
            "recursion.rego:7: recursive function (rules.custom.recursion.f → rules.custom.recursion.f)",
        ),
        (
            "mutual.rego",
            format!("package rules.custom.mutual\n\nimport rego.v1\n\n{METADATA}\n\ng(x) := h(x)\n\nh(x) := g(x)\n\ndeny contains {{\"resource\": \"arn:x\", \"message\": \"m\"}} if g(1) > 0\n"),
            "mutual.rego:7: recursive function (rules.custom.mutual.g → rules.custom.mutual.h → rules.custom.mutual.g)",
        ),
        (
            "slow_metadata.rego",
            "package rules.custom.slow_metadata\n\nimport rego.v1\n\nmetadata := m if {\n  count([x | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); x := i * j]) > 0\n  m := {\"id\": \"slow\"}\n}\n\ndeny contains 1 if false\n".to_owned(),
            "slow_metadata.rego:5: metadata took longer than 5000 ms to evaluate",
        ),
    ];
    for (name, text, expected) in cases {
        let dir = policy_dir(&[(name, text.as_str())]);
        let started = std::time::Instant::now();
        let stdout = assert_input_error(
            &[
                "--demo",
                "--policies",
                dir.path().to_str().expect("utf-8"),
                "--rule-timeout",
                "0.5",
            ],
            expected,
        );
        assert!(
            // Without the limit the loop runs for hours; the bound is loose for busy machines.
            started.elapsed().as_secs() < 60,
            "{name}: the time limit held"
        );
        assert!(
            stdout.contains("saml-trust-references-missing-provider"),
            "{name}: other rules still report"
        );
        assert!(stdout.contains("policy error"), "{name}: {stdout}");
    }
}

#[test]
fn out_of_range_rule_timeouts_are_input_errors() {
    for value in ["1e20", "inf", "NaN", "0", "-0.5", "86401", "ten"] {
        let (code, stdout, stderr) = scan(&["--demo", &format!("--rule-timeout={value}")]);
        assert_eq!(code, 2, "{value}: {stderr}");
        assert!(stdout.is_empty(), "{value}");
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{value}' for '--rule-timeout"
            )),
            "{value}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{value}: {stderr}");
    }
}

#[test]
fn a_recursive_library_is_one_error_and_the_rules_that_need_it_do_not_run() {
    let dir = policy_dir(&[(
        "lib.rego",
        "package lib.custom\n\nimport rego.v1\n\nloop(x) := loop(x)\n",
    )]);
    let (code, _, stderr) = scan(&["--demo", "--policies", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("recursive function (lib.custom.loop → lib.custom.loop)"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
}

#[test]
fn a_looping_policy_test_fails_after_the_time_limit() {
    let dir = policy_dir(&[(
        "slow_test.rego",
        "package custom_test\n\nimport rego.v1\n\ntest_slow if {\n  count([x | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); x := i * j]) > 0\n}\n\ntest_fast if true\n",
    )]);
    let started = std::time::Instant::now();
    let output = connect_guard()
        .args(["policy", "test", dir.path().to_str().expect("utf-8")])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("custom_test.test_slow: took longer than 10000 ms"),
        "{stdout}"
    );
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
    assert!(started.elapsed().as_secs() < 120);
}

#[test]
fn a_valid_custom_rule_adds_findings() {
    let rule = r#"package rules.custom.instances_without_alias

import rego.v1

metadata := {"id": "instance-alias-has-legacy-prefix", "title": "Instance alias starts with acme-legacy", "severity": "low",
             "description": "d", "remediation": "r", "references": [], "basis": "hardening", "beyond_aws": "test rule"}

deny contains {"resource": arn, "message": sprintf("instance %s has a legacy alias", [i.alias]), "details": evidence} if {
	some arn, i in input.derived.instances
	startswith(i.alias, "acme-legacy")
	iam.action_matches("connect:*", "connect:DeleteInstance")
	iam.scp_decision(i.account_id, "connect:DeleteInstance", arn).decision == "not_denied"
	iam.rcp_decision(i.account_id, "connect:DeleteInstance", arn).reason == "RCPs do not apply to connect actions"
}

evidence := {"zones": {"b", "a"}, "count": 2, "ratio": 0.5, "nested": {"z": [1, null], "a": true}}
"#;
    let dir = policy_dir(&[("custom.rego", rule)]);
    let (code, stdout, stderr) = scan(&[
        "--demo",
        "--format",
        "json",
        "--policies",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 4, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let custom: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "instance-alias-has-legacy-prefix")
        .collect();
    assert_eq!(custom.len(), 1, "{custom:?}");
    assert_eq!(custom[0]["account_name"], "contact-prod-legacy");
    assert_eq!(custom[0]["region"], "us-east-1");
    // Evidence as JSON: a set becomes a sorted array, keys come sorted, numbers stay numbers.
    assert_eq!(
        custom[0]["details"],
        serde_json::json!({
            "count": 2,
            "nested": {"a": true, "z": [1, null]},
            "ratio": 0.5,
            "zones": ["a", "b"],
        })
    );
    let text = serde_json::to_string(&custom[0]["details"]).expect("serializes");
    assert!(
        text.starts_with(r#"{"count":2,"nested":{"a":true,"z":[1,null]},"ratio":0.5"#),
        "{text}"
    );
}

#[test]
fn rules_list_and_explain() {
    let output = connect_guard()
        .args(["rules", "list", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(rules.as_array().expect("list").len() >= 14);

    let output = connect_guard()
        .args(["rules", "explain", "backup-idp-not-independent"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let explained = String::from_utf8_lossy(&output.stdout);
    assert!(explained.contains("## Remediation"));
    assert!(
        explained.contains("## Requirement source\n\nconnect-guard's own hardening recommendation"),
        "{explained}"
    );

    // An AWS-backed rule names the page and what it states.
    let output = connect_guard()
        .args(["rules", "explain", "instance-deletion-not-denied-by-scp"])
        .output()
        .expect("runs");
    let explained = String::from_utf8_lossy(&output.stdout);
    assert!(
        explained.contains(
            "AWS documentation states this requirement:\n\n- <https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html>: "
        ),
        "{explained}"
    );
    let listed = rules
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["id"] == "instance-deletion-not-denied-by-scp")
        .expect("listed");
    assert_eq!(listed["basis"], "aws");
    assert!(listed["sources"][0]["states"].is_string());

    let output = connect_guard()
        .args(["rules", "explain", "backup-idp-not-independant"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: unknown rule id 'backup-idp-not-independant'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean 'backup-idp-not-independent'?"),
        "{stderr}"
    );
}

#[test]
fn policy_test_runs_the_builtin_tests_and_reports_failures() {
    let output = connect_guard()
        .args(["policy", "test"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.trim_end().ends_with(" 0 failed"), "{stdout}");

    let dir = policy_dir(&[(
        "always_test.rego",
        "package custom_test\n\nimport rego.v1\n\ntest_passes if true\n\ntest_fails if {\n  1 == 2\n}\n",
    )]);
    let output = connect_guard()
        .args(["policy", "test"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("always_test.rego:7 custom_test.test_fails: undefined"),
        "{stdout}"
    );
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let output = connect_guard().arg("schema").output().expect("runs");
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/snapshot.v1.json"
    ))
    .expect("committed");
    assert_eq!(String::from_utf8_lossy(&output.stdout), committed);
}

#[test]
fn input_command_prints_snapshot_and_facts() {
    let output = connect_guard()
        .args(["input", "--demo", "--param", "production-ous=NoSuchOu"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let input: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(input["schema_version"], 1);
    let instances = input["derived"]["instances"]
        .as_object()
        .expect("instances keyed by ARN");
    assert!(instances.len() >= 8);
    // Parameters change the facts: with no production OU, only tags make production.
    let legacy = &instances["arn:aws:connect:us-east-1:200000000003:instance/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"];
    assert_eq!(
        legacy["production_reason"],
        "instance has tag environment=prod"
    );
}
