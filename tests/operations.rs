//! Operating connect-guard over time: configuration, waivers, baselines, thresholds.

mod common;

use common::{connect_guard, demo_json, scan, write_json};
use serde_json::json;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes");
    path.to_str().expect("utf-8").to_owned()
}

fn json_scan(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = scan(&all);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        stderr,
    )
}

fn findings_of<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .collect()
}

#[test]
fn a_typo_in_a_config_key_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write(
        dir.path(),
        "connect-guard.toml",
        "[output]\nformat = \"table\"\nfial-on = \"high\"\n",
    );
    let (code, _, stderr) = scan(&["--demo", "--config", &config]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("connect-guard.toml:3: unknown field `fial-on`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `fail-on`?"), "{stderr}");
}

#[test]
fn config_sets_defaults_and_flags_override_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = demo_json();
    demo["scan"]["errors"] = json!([]);
    let snapshot = write_json(dir.path(), "complete.json", &demo);
    let snapshot = snapshot.to_str().expect("utf-8");
    let config = write(
        dir.path(),
        "c.toml",
        "[output]\nfail-on = \"critical\"\n[rules]\ndisable = [\"flow-logging-disabled\"]\n[rules.severity]\n\"federation-trust-not-saml-only\" = \"low\"\n",
    );
    let (code, report, stderr) = json_scan(&["--snapshot", snapshot, "--config", &config]);
    assert_eq!(code, 1, "critical findings remain: {stderr}");
    assert!(
        findings_of(&report, "flow-logging-disabled").is_empty(),
        "disabled rule"
    );
    assert_eq!(
        findings_of(&report, "federation-trust-not-saml-only")[0]["severity"],
        "low"
    );
    assert_eq!(report["summary"]["rules_evaluated"], 43);
    let (code, _, _) = json_scan(&[
        "--snapshot",
        snapshot,
        "--config",
        &config,
        "--fail-on",
        "none",
    ]);
    assert_eq!(code, 0, "the flag overrides the file");
    let bad = write(
        dir.path(),
        "bad.toml",
        "[rules]\ndisable = [\"no-such-rule\"]\n",
    );
    let (code, _, stderr) = scan(&["--demo", "--config", &bad]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown rule id 'no-such-rule'"),
        "{stderr}"
    );
}

#[test]
fn waivers_apply_expire_and_go_unused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The demo snapshot is taken on 2026-11-01.
    let waivers = write(
        dir.path(),
        "waivers.toml",
        r#"
[[waivers]]
rule = "flow-logging-disabled"
resource = "arn:aws:connect:*:300000000001:instance/*"
reason = "test instance"
expires = 2026-12-31
owner = "cx-platform"

[[waivers]]
rule = "federation-trust-not-saml-only"
account = "300000000001"
reason = "automation, until the pipeline role lands"
expires = 2026-10-31

[[waivers]]
rule = "production-instance-not-saml"
ou = "Sandbox"
reason = "nothing matches this"
expires = 2027-06-30
"#,
    );
    let (code, report, stderr) = json_scan(&["--demo", "--waivers", &waivers]);
    assert_eq!(code, 4);
    let logging = findings_of(&report, "flow-logging-disabled");
    assert_eq!(logging[0]["waiver"]["reason"], "test instance");
    let trust = findings_of(&report, "federation-trust-not-saml-only");
    assert!(
        trust[0]["waiver"].is_null(),
        "a waiver that expired yesterday stops applying"
    );
    let statuses: Vec<&str> = report["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .map(|w| w["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["applied", "expired", "unused"]);
    assert_eq!(report["summary"]["waived"], 1);
    assert!(
        stderr.contains(
            "warning: waiver for rule 'federation-trust-not-saml-only' (expires 2026-10-31) expired"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("warning: waiver for rule 'production-instance-not-saml' (expires 2027-06-30) matched no finding"), "{stderr}");
}

#[test]
fn waived_findings_do_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let waivers = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\nrule = \"flow-logging-disabled\"\naccount = \"300000000001\"\nreason = \"r\"\nexpires = 2027-01-01\n",
    );
    // Only low findings at or above `low` are flow-logging and a few others; use the
    // severity override to make flow logging the only critical finding.
    let config = write(
        dir.path(),
        "c.toml",
        "[rules]\nenable = [\"flow-logging-disabled\"]\n",
    );
    let (code, _, _) = json_scan(&["--demo", "--config", &config, "--fail-on", "low"]);
    assert_eq!(code, 1);
    let (code, _, _) = json_scan(&[
        "--demo",
        "--config",
        &config,
        "--fail-on",
        "low",
        "--waivers",
        &waivers,
    ]);
    assert_eq!(code, 0);
}

#[test]
fn baselines_classify_new_persisting_and_fixed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, baseline, _) = json_scan(&["--demo"]);
    let baseline_path = write_json(dir.path(), "baseline.json", &baseline);
    let baseline_path = baseline_path.to_str().expect("utf-8");

    // Fix one finding (flow logs on acme-test) and add one (flow logs off on acme-us).
    let mut demo = demo_json();
    let test = &mut demo["accounts"]["300000000001"]["connect"]["us-west-2"]["instances"][0];
    test["attributes"]["CONTACTFLOW_LOGS"] = json!("true");
    let us = &mut demo["accounts"]["200000000001"]["connect"]["us-east-1"]["instances"][0];
    us["attributes"]["CONTACTFLOW_LOGS"] = json!("false");
    let snapshot = write_json(dir.path(), "today.json", &demo);

    let (code, report, stderr) = json_scan(&[
        "--snapshot",
        snapshot.to_str().expect("utf-8"),
        "--baseline",
        baseline_path,
    ]);
    assert_eq!(code, 4, "{stderr}");
    let total = report["findings"].as_array().expect("findings").len();
    let new: Vec<_> = report["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["baseline_state"] == "new")
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["rule_id"], "flow-logging-disabled");
    assert!(
        new[0]["resource"]
            .as_str()
            .expect("arn")
            .contains(":200000000001:")
    );
    let fixed = report["fixed"].as_array().expect("fixed");
    assert_eq!(fixed.len(), 1);
    assert!(
        fixed[0]["resource"]
            .as_str()
            .expect("arn")
            .contains(":300000000001:")
    );
    assert_eq!(report["summary"]["new"], 1);
    assert_eq!(report["summary"]["fixed"], 1);
    let persisting = report["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["baseline_state"] == "persisting")
        .count();
    assert_eq!(persisting, total - 1);

    // Only the new finding counts with --fail-on-new; it is low, so --fail-on medium passes.
    let (code, _, _) = json_scan(&[
        "--snapshot",
        snapshot.to_str().expect("utf-8"),
        "--baseline",
        baseline_path,
        "--fail-on-new",
        "--fail-on",
        "medium",
    ]);
    assert_eq!(
        code, 3,
        "no new finding at medium or above; the scan is still incomplete"
    );
    let (code, _, _) = json_scan(&[
        "--snapshot",
        snapshot.to_str().expect("utf-8"),
        "--baseline",
        baseline_path,
        "--fail-on-new",
        "--fail-on",
        "low",
    ]);
    assert_eq!(code, 4);

    let (table_code, table, _) = scan(&[
        "--snapshot",
        snapshot.to_str().expect("utf-8"),
        "--baseline",
        baseline_path,
    ]);
    assert_eq!(table_code, 4);
    assert!(table.contains("since the baseline: 1 new,"), "{table}");
    assert_eq!(table.matches("[new] ").count(), 1, "{table}");
    assert!(
        table.contains("fixed: flow-logging-disabled arn:aws:connect:us-west-2:300000000001"),
        "{table}"
    );
}

#[test]
fn a_recreated_federation_role_is_detected_against_the_baseline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, baseline, _) = json_scan(&["--demo"]);
    let roles = baseline["inventory"]["federation_roles"]
        .as_array()
        .expect("inventory");
    assert!(roles.iter().any(
        |r| r["arn"] == "arn:aws:iam::200000000001:role/ConnectFederation"
            && r["role_id"] == "AROAPRODUSFEDERATION1"
    ));
    let baseline_path = write_json(dir.path(), "baseline.json", &baseline);

    let mut demo = demo_json();
    let roles = demo["accounts"]["200000000001"]["iam"]["roles"]
        .as_array_mut()
        .expect("roles");
    let role = roles
        .iter_mut()
        .find(|r| r["name"] == "ConnectFederation")
        .expect("role");
    role["id"] = json!("AROAPRODUSFEDERATION9");
    let snapshot = write_json(dir.path(), "today.json", &demo);
    let (_, report, _) = json_scan(&[
        "--snapshot",
        snapshot.to_str().expect("utf-8"),
        "--baseline",
        baseline_path.to_str().expect("utf-8"),
    ]);
    let recreated = findings_of(&report, "federation-role-recreated");
    let hit = recreated
        .iter()
        .find(|f| f["resource"] == "arn:aws:iam::200000000001:role/ConnectFederation")
        .expect("detected");
    assert!(
        hit["message"]
            .as_str()
            .expect("msg")
            .contains("from AROAPRODUSFEDERATION1 (baseline) to AROAPRODUSFEDERATION9")
    );
    assert_eq!(hit["baseline_state"], "new");
}

#[test]
fn a_bad_baseline_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "b.json", "{\"version\": 7, \"findings\": []}");
    let (code, _, stderr) = scan(&["--demo", "--baseline", &path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unsupported version 7"), "{stderr}");
}

#[test]
fn init_writes_the_documented_example() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("connect-guard.toml");
    let status = connect_guard()
        .args(["init", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(status.status.success());
    assert_eq!(
        std::fs::read_to_string(&out).expect("written"),
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/connect-guard.example.toml"
        ))
        .expect("doc")
    );
    let again = connect_guard()
        .args(["init", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("help: pass --force"));
    // The example works as a scan configuration.
    let (code, _, stderr) = scan(&["--demo", "--config", out.to_str().expect("utf-8")]);
    assert!(code == 4 || code == 1, "{stderr}");
}

#[test]
fn merging_shards_gives_the_same_findings_as_the_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = demo_json();
    let accounts: Vec<String> = demo["accounts"]
        .as_object()
        .expect("accounts")
        .keys()
        .cloned()
        .collect();
    let mut paths = Vec::new();
    for shard in 0..2 {
        let mut part = demo.clone();
        let keep: Vec<&String> = accounts
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == shard)
            .map(|(_, a)| a)
            .collect();
        part["accounts"]
            .as_object_mut()
            .expect("accounts")
            .retain(|id, _| keep.contains(&id));
        part["scan"]["errors"]
            .as_array_mut()
            .expect("errors")
            .retain(|e| {
                e["account_id"].as_str().is_none_or(|id| {
                    keep.iter().any(|k| k.as_str() == id) || !accounts.iter().any(|a| a == id)
                })
            });
        paths.push(write_json(dir.path(), &format!("shard{shard}.json"), &part));
    }
    // The suspended account has no resources, so its error stays with the first shard only.
    let merged = dir.path().join("org.json");
    let output = connect_guard()
        .arg("merge")
        .args(&paths)
        .arg("--out")
        .arg(&merged)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (_, whole, _) = json_scan(&["--demo"]);
    let (_, from_shards, _) = json_scan(&["--snapshot", merged.to_str().expect("utf-8")]);
    assert_eq!(whole["findings"], from_shards["findings"]);

    let again = connect_guard()
        .arg("merge")
        .args([&paths[0], &paths[0]])
        .arg("--out")
        .arg(&merged)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("is in both"),
        "overlapping shards are refused"
    );
}

#[test]
fn sarif_leaves_out_waived_findings_and_marks_baseline_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let waivers = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\nrule = \"flow-logging-disabled\"\naccount = \"300000000001\"\nreason = \"r\"\nexpires = 2027-01-01\n",
    );
    let (_, baseline, _) = json_scan(&["--demo"]);
    let baseline = write_json(dir.path(), "b.json", &baseline);
    let run = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "--demo",
            "--format",
            "sarif",
            "--waivers",
            &waivers,
            "--baseline",
            baseline.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&scan(&args).1).expect("SARIF")
    };
    let default = run(&[]);
    let results = default["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .all(|r| r["ruleId"] != "flow-logging-disabled"),
        "waived findings are left out"
    );
    assert!(results.iter().all(|r| r["baselineState"] == "unchanged"));
    let with_waived = run(&["--sarif-include-waived"]);
    let waived: Vec<_> = with_waived["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "flow-logging-disabled")
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["suppressions"][0]["status"], "accepted");
}

#[test]
fn html_and_markdown_show_waivers_and_baseline_groups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let waivers = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\nrule = \"flow-logging-disabled\"\naccount = \"300000000001\"\nreason = \"until the release\"\nexpires = 2027-01-01\n",
    );
    let (_, baseline, _) = json_scan(&["--demo"]);
    let mut baseline = baseline;
    // Pretend the baseline had one finding that is gone now.
    baseline["findings"].as_array_mut().expect("findings").push(json!({
        "rule_id": "flow-logging-disabled", "severity": "low", "resource": "arn:aws:connect:us-east-1:200000000001:instance/gone",
        "message": "m", "fingerprint": "0000"}));
    let baseline = write_json(dir.path(), "b.json", &baseline);
    let html = dir.path().join("r.html");
    let md = dir.path().join("r.md");
    let (code, _, stderr) = scan(&[
        "--demo",
        "--waivers",
        &waivers,
        "--baseline",
        baseline.to_str().expect("utf-8"),
        "--report",
        html.to_str().expect("utf-8"),
        "--report",
        md.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 4, "{stderr}");
    let html = std::fs::read_to_string(html).expect("html");
    assert!(html.contains("<span class=\"chip\">waived</span>"));
    assert!(html.contains("until 2027-01-01: until the release"));
    assert!(html.contains("Fixed since the baseline (1)"));
    assert!(html.contains("<span class=\"chip\">persisting</span>"));
    let md = std::fs::read_to_string(md).expect("md");
    assert!(md.contains("### Since the baseline"), "{md}");
    assert!(md.contains("0 new,") && md.contains("1 fixed."), "{md}");
    assert!(md.contains("1 finding(s) are waived"), "{md}");
}
