//! Scanning CloudFormation templates and CDK cloud assemblies before they deploy
//! (`scan --iac`): the same rules, findings located at the template line, SARIF that GitHub
//! annotates a pull request with, and values only a deployment decides reported as not
//! assessed.

mod common;
#[path = "common/sarif.rs"]
mod sarif_check;

use serde_json::Value;

use common::scan;

const FIXTURES: &str = "tests/fixtures/iac";

fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json", "--no-github"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = scan(&all);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (code, report)
}

/// Whether a test tool scripts/test.sh installs is there. Where the script set `required`,
/// a missing tool fails the test instead of skipping it.
fn installed(tool: &std::path::Path, required: &str) -> bool {
    if tool.exists() {
        return true;
    }
    assert!(
        std::env::var_os(required).is_none(),
        "{} is required but not installed",
        tool.display()
    );
    eprintln!(
        "note: {} not installed; run scripts/test.sh to install it",
        tool.display()
    );
    false
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .collect()
}

#[test]
fn a_template_done_right_has_no_findings() {
    let (code, report) = scan_json(&["--iac", &format!("{FIXTURES}/contact-center.yaml")]);
    assert_eq!(code, 0, "{report}");
    assert!(findings(&report).is_empty(), "{report}");
    let total = common::builtin_rules().rules.len() as u64;
    let evaluated = report["summary"]["rules_evaluated"]
        .as_u64()
        .expect("count");
    // Twelve rules need the organization's SCPs and RCPs, which a template does not carry.
    assert_eq!(evaluated, total - 12, "{report}");
}

#[test]
fn each_mistake_is_reported_at_its_template_line() {
    let path = format!("{FIXTURES}/mistakes.yaml");
    let (code, report) = scan_json(&["--iac", &path]);
    assert_eq!(code, 1, "findings, complete: {report}");
    let at = |rule: &str| -> (String, u64, String) {
        let f = findings(&report)
            .into_iter()
            .find(|f| f["rule_id"] == rule)
            .unwrap_or_else(|| panic!("{rule} not reported: {report}"));
        let location = &f["location"];
        (
            location["path"].as_str().unwrap_or_default().to_owned(),
            location["line"].as_u64().unwrap_or_default(),
            location["logical_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    };
    for (rule, line, logical_id) in [
        ("production-instance-not-saml", 6, "AgentsInstance"),
        ("flow-logging-disabled", 6, "AgentsInstance"),
        ("idp-signing-cert-expired", 19, "LegacyOkta"),
        (
            "saml-trust-references-missing-provider",
            26,
            "DanglingFederation",
        ),
        (
            "federation-grant-not-instance-scoped",
            26,
            "DanglingFederation",
        ),
    ] {
        assert_eq!(
            at(rule),
            (path.clone(), line, logical_id.to_owned()),
            "{rule}"
        );
    }
    // The line really is the resource's.
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert_eq!(text.lines().nth(5), Some("  AgentsInstance:"));
}

#[test]
fn values_only_a_deployment_decides_are_not_assessed() {
    let (code, report) = scan_json(&["--iac", &format!("{FIXTURES}/unresolved.yaml")]);
    assert_eq!(code, 3, "incomplete, nothing judged on a guess: {report}");
    let findings = findings(&report);
    assert_eq!(findings.len(), 1, "{report}");
    let gap = findings[0];
    assert_eq!(gap["rule_id"], "account-not-assessed");
    let message = gap["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("resource Instance (tests/fixtures/iac/unresolved.yaml:10)")
            && message.contains("parameter IdentityType has no default"),
        "{message}"
    );
}

#[test]
fn a_cdk_cloud_assembly_deploys_where_its_environment_says() {
    let (_, report) = scan_json(&["--iac", &format!("{FIXTURES}/cdk.out")]);
    let findings = findings(&report);
    assert_eq!(findings.len(), 1, "{report}");
    let f = findings[0];
    assert_eq!(f["rule_id"], "gr-planned-instance-not-saml");
    assert_eq!(f["account_id"], "210987654321");
    assert_eq!(f["region"], "eu-west-2");
    assert_eq!(
        f["location"]["path"],
        "tests/fixtures/iac/cdk.out/ContactCenterEu.template.json"
    );
    assert_eq!(f["location"]["line"], 3);
}

#[test]
fn a_directory_is_searched_for_templates() {
    let (_, report) = scan_json(&["--iac", FIXTURES]);
    let paths: std::collections::BTreeSet<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(
        paths.contains("tests/fixtures/iac/mistakes.yaml"),
        "{paths:?}"
    );
    assert!(
        paths.contains("tests/fixtures/iac/cdk.out/ContactCenterEu.template.json"),
        "{paths:?}"
    );
}

#[test]
fn sarif_points_github_at_the_template_line() {
    let (code, stdout, stderr) = scan(&[
        "--iac",
        &format!("{FIXTURES}/mistakes.yaml"),
        "--format",
        "sarif",
        "--no-github",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let sarif: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    sarif_check::assert_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let instance = results
        .iter()
        .find(|r| r["ruleId"] == "production-instance-not-saml")
        .expect("reported");
    let physical = &instance["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "tests/fixtures/iac/mistakes.yaml"
    );
    assert_eq!(physical["region"]["startLine"], 6);

    // An absolute path inside the working directory (the checkout) is made relative, as code
    // scanning requires.
    let absolute = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join("mistakes.yaml");
    let (_, report) = scan_json(&["--iac", absolute.to_str().expect("utf-8")]);
    assert_eq!(
        findings(&report)[0]["location"]["path"],
        "tests/fixtures/iac/mistakes.yaml"
    );
}

#[test]
fn markdown_and_table_show_file_and_line() {
    let path = format!("{FIXTURES}/mistakes.yaml");
    let (_, markdown, _) = scan(&["--iac", &path, "--format", "markdown", "--no-github"]);
    assert!(
        markdown.contains("(`tests/fixtures/iac/mistakes.yaml:6`)"),
        "{markdown}"
    );
    let (_, table, _) = scan(&["--iac", &path, "--no-github"]);
    assert!(table.contains("mistakes.yaml:6"), "{table}");
}

#[test]
fn broken_templates_fail_with_one_line_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "Resources:\n  Instance: [unclosed\n").expect("writes");
    let missing = dir.path().join("missing.yaml");
    for (path, expected) in [
        (&broken, "not a CloudFormation template: invalid YAML"),
        (&missing, "cannot read"),
    ] {
        let (code, stdout, stderr) = scan(&["--iac", path.to_str().expect("utf-8"), "--no-github"]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains(expected)
                && first.contains(path.file_name().and_then(|n| n.to_str()).unwrap_or("?")),
            "{stderr}"
        );
    }
    let empty = tempfile::tempdir().expect("tempdir");
    let (code, _, stderr) = scan(&["--iac", empty.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no CloudFormation template found"),
        "{stderr}"
    );
}

/// The fixtures are valid CloudFormation as cfn-lint (AWS's linter) reads it: the templates
/// connect-guard is tested on are ones CloudFormation would accept. scripts/test.sh installs
/// cfn-lint into .venv and sets CONNECT_GUARD_REQUIRE_CFN_LINT, so this cannot skip there.
#[test]
fn the_fixtures_pass_cfn_lint() {
    let cfn_lint = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/cfn-lint");
    if !installed(&cfn_lint, "CONNECT_GUARD_REQUIRE_CFN_LINT") {
        return;
    }
    let output = std::process::Command::new(&cfn_lint)
        .args([
            "--format",
            "parseable",
            "--",
            "tests/fixtures/iac/contact-center.yaml",
            "tests/fixtures/iac/mistakes.yaml",
            "tests/fixtures/iac/unresolved.yaml",
            "tests/fixtures/iac/scp-change.yaml",
            "tests/fixtures/iac/cdk.out/ContactCenterEu.template.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cfn-lint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Errors (E) fail; warnings and informational notes do not.
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(":E")).collect();
    assert!(
        errors.is_empty(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The action, as the pull-request workflow example calls it, scans templates: the `iac`
/// input reaches `scan --iac`, the SARIF file points at the template line, and the example
/// workflow is what its documentation says.
#[test]
fn the_action_scans_templates_of_a_pull_request() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    // The action's scan step, run from the checkout as the runner runs it.
    let action = |inputs: &[(&str, &str)]| {
        common::action_scan()
            .current_dir(root)
            .env("RUNNER_TEMP", dir.path())
            .envs(inputs.iter().copied())
            .output()
            .expect("bash runs")
    };
    let output = action(&[
        (
            "INPUT_IAC",
            "tests/fixtures/iac/mistakes.yaml\n  tests/fixtures/iac/cdk.out  \n",
        ),
        ("INPUT_FAIL_ON", "high"),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "findings at high: {stderr}");
    let sarif_path = dir.path().join("connect-guard/connect-guard.sarif");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).expect("SARIF written"))
            .expect("JSON");
    let uris: std::collections::BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains("tests/fixtures/iac/mistakes.yaml"),
        "{uris:?}"
    );
    assert!(
        uris.contains("tests/fixtures/iac/cdk.out/ContactCenterEu.template.json"),
        "{uris:?}"
    );

    // A path that is not there is an input error naming it.
    let missing = action(&[("INPUT_IAC", "infra/does-not-exist.yaml")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stdout).contains("iac path not found"));

    let workflow: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(root.join("docs/workflows/pull-request.yml")).expect("example"),
    )
    .expect("the example is YAML");
    assert!(
        workflow["on"]["pull_request"].is_mapping(),
        "runs on pull requests"
    );
    let steps = workflow["jobs"]["templates"]["steps"]
        .as_sequence()
        .expect("steps");
    let scan = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("connect-guard/connect-guard@"))
        })
        .expect("the example uses the action");
    assert!(
        scan["with"]["iac"]
            .as_str()
            .is_some_and(|i| i.contains("cdk.out"))
    );
    assert_eq!(
        workflow["jobs"]["templates"]["permissions"]["security-events"],
        "write"
    );
}

/// Change impact: a template laid over a collected organization. An SCP edit that drops
/// `connect:DeleteInstance` shows every instance it exposes as a new finding, the run fails
/// on new findings only, and the same template without the mistake changes nothing.
#[test]
fn an_scp_change_shows_every_instance_it_exposes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = common::write_json(dir.path(), "org.json", &common::demo_json());
    let snapshot = snapshot.to_str().expect("utf-8");
    let change = format!("{FIXTURES}/scp-change.yaml");
    let (code, report) = scan_json(&[
        "--snapshot",
        snapshot,
        "--iac",
        &change,
        "--fail-on",
        "high",
        "--fail-on-new",
    ]);
    assert_eq!(
        code, 4,
        "new high findings, and the demo's coverage gaps: {report}"
    );
    let new: Vec<(&str, &str)> = findings(&report)
        .into_iter()
        .filter(|f| f["baseline_state"] == "new")
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default(),
                f["resource"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // The demo's SCP protects acme-us in both Regions of its Global Resiliency pair.
    assert_eq!(
        new,
        [
            (
                "instance-deletion-not-denied-by-scp",
                "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6"
            ),
            (
                "instance-deletion-not-denied-by-scp",
                "arn:aws:connect:us-west-2:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6"
            ),
        ]
    );
    assert!(
        report["fixed"].as_array().is_some_and(Vec::is_empty),
        "{report}"
    );

    // The markdown report leads with what the change does.
    let (_, markdown, _) = scan(&[
        "--snapshot",
        snapshot,
        "--iac",
        &change,
        "--format",
        "markdown",
        "--no-github",
    ]);
    assert!(
        markdown.contains("+2 instance-deletion-not-denied-by-scp (2 resources in 1 account)"),
        "{markdown}"
    );

    // The same SCP as deployed (DeleteInstance still denied) changes nothing.
    let unchanged = std::fs::read_to_string(&change)
        .expect("fixture")
        .replace(
            "              - iam:DeleteRole\n            Resource:\n              - arn:aws:iam::*:role/ConnectFederation\n",
            "              - iam:DeleteRole\n            Resource:\n              - arn:aws:iam::*:role/ConnectFederation\n          - Sid: AmazonConnectInstanceDenyDeletion\n            Effect: Deny\n            Action:\n              - connect:DeleteInstance\n            Resource:\n              - arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6\n              - arn:aws:connect:us-west-2:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6\n",
        );
    let unchanged_path = dir.path().join("unchanged.yaml");
    std::fs::write(&unchanged_path, unchanged).expect("writes");
    let (code, report) = scan_json(&[
        "--snapshot",
        snapshot,
        "--iac",
        unchanged_path.to_str().expect("utf-8"),
        "--fail-on",
        "high",
        "--fail-on-new",
    ]);
    assert!(
        !findings(&report)
            .iter()
            .any(|f| f["baseline_state"] == "new"),
        "{report}"
    );
    assert_eq!(
        code, 3,
        "nothing new fails; the demo's coverage gaps remain: {report}"
    );
}

/// A planned resource that updates a collected one keeps its identity (no re-created role,
/// the instance's real ARN) and is located in the template; a template for an account the
/// organization does not have is refused.
#[test]
fn an_updated_resource_is_the_collected_one_at_its_template_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = common::write_json(dir.path(), "org.json", &common::demo_json());
    let snapshot = snapshot.to_str().expect("utf-8");
    let template = dir.path().join("prod-us.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Agents:\n    Type: AWS::Connect::Instance\n    Properties:\n      \
         IdentityManagementType: SAML\n      InstanceAlias: acme-us\n      Attributes:\n        \
         InboundCalls: true\n        OutboundCalls: true\n        ContactflowLogs: false\n",
    )
    .expect("writes");
    let template = template.to_str().expect("utf-8");
    let (_, report) = scan_json(&[
        "--snapshot",
        snapshot,
        "--iac",
        template,
        "--iac-account",
        "200000000001",
    ]);
    let new: Vec<&Value> = findings(&report)
        .into_iter()
        .filter(|f| f["baseline_state"] == "new")
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["rule_id"], "flow-logging-disabled");
    assert_eq!(
        new[0]["resource"],
        "arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57-4d1b-9c3e-a1b2c3d4e5f6"
    );
    assert_eq!(new[0]["location"]["line"], 2);
    assert!(
        !findings(&report)
            .iter()
            .any(|f| f["rule_id"] == "federation-role-recreated")
    );

    let (code, _, stderr) = scan(&["--snapshot", snapshot, "--iac", template, "--no-github"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("account 123456789012, which is not in organization o-cg0demo0001"),
        "{stderr}"
    );
}

/// A CDK app (tests/cdk-app) synthesized by the real CDK CLI and aws-cdk-lib, then scanned:
/// the stack's environment places the findings, the L2 constructs' references (the SAML
/// provider in the role's trust, the instance ARN in the grant) resolve, and the two mistakes
/// the app carries are found at their lines of the synthesized template.
#[test]
fn a_synthesized_cdk_app_is_scanned() {
    let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cdk-app");
    let cdk = app.join("node_modules/.bin/cdk");
    if !installed(&cdk, "CONNECT_GUARD_REQUIRE_CDK") {
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let synth = std::process::Command::new(&cdk)
        .args(["synth", "--quiet", "--no-notices", "--output"])
        .arg(out.path())
        .current_dir(&app)
        // Offline: no version check, no telemetry.
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .expect("cdk synth runs");
    assert!(
        synth.status.success(),
        "cdk synth: {}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let (_, report) = scan_json(&["--iac", out.path().to_str().expect("utf-8")]);
    let template = out.path().join("ContactCenterProd.template.json");
    let text = std::fs::read_to_string(&template).expect("synthesized template");
    let found = |rule: &str| -> &Value {
        findings(&report)
            .into_iter()
            .find(|f| f["rule_id"] == rule)
            .unwrap_or_else(|| panic!("{rule} not reported: {report}"))
    };
    for (rule, logical_prefix) in [
        ("production-instance-not-saml", "Agents"),
        ("cognito-idp-initiated-sign-in", "AgentPool"),
    ] {
        let f = found(rule);
        assert_eq!(f["account_id"], "210987654321", "{f}");
        assert_eq!(f["region"], "us-east-1", "{f}");
        assert_eq!(
            f["location"]["path"],
            template.to_str().expect("utf-8").replace('\\', "/")
        );
        let logical_id = f["location"]["logical_id"].as_str().unwrap_or_default();
        assert!(logical_id.starts_with(logical_prefix), "{f}");
        let line = f["location"]["line"].as_u64().expect("line") as usize;
        assert!(
            text.lines()
                .nth(line - 1)
                .is_some_and(|l| l.contains(logical_id)),
            "line {line} of the template declares {logical_id}"
        );
    }
    // The role's trust names the provider through Ref, its grant the instance through
    // GetAtt: both resolve, so neither is missing nor unscoped.
    for rule in [
        "saml-trust-references-missing-provider",
        "federation-grant-not-instance-scoped",
        "account-not-assessed",
    ] {
        assert!(
            !findings(&report).iter().any(|f| f["rule_id"] == rule),
            "{rule}: {report}"
        );
    }
}

/// A Terraform plan (`terraform show -json`, written to the documented format beside its
/// configuration): the same rules, located at the `resource` block in the `.tf` file, the
/// provider's region, references the configuration resolves (the identity provider's user
/// pool), and a value known only after apply reported with the attribute it is.
#[test]
fn a_terraform_plan_is_scanned_at_its_resource_blocks() {
    let (code, report) = scan_json(&["--iac", &format!("{FIXTURES}/terraform/plan.json")]);
    assert_eq!(code, 4, "findings and a resource not assessed: {report}");
    let located = |rule: &str| -> (String, u64, String) {
        let f = findings(&report)
            .into_iter()
            .find(|f| f["rule_id"] == rule)
            .unwrap_or_else(|| panic!("{rule} not reported: {report}"));
        assert_eq!(f["region"], "eu-west-2", "{f}");
        (
            f["location"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            f["location"]["line"].as_u64().unwrap_or_default(),
            f["location"]["logical_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    };
    let main = "tests/fixtures/iac/terraform/main.tf".to_owned();
    let text = std::fs::read_to_string(&main).expect("main.tf");
    for (rule, address) in [
        (
            "production-instance-not-saml",
            "aws_connect_instance.agents",
        ),
        (
            "cognito-idp-initiated-sign-in",
            "aws_cognito_user_pool.agents",
        ),
        (
            "cognito-user-pool-deletion-protection-off",
            "aws_cognito_user_pool.agents",
        ),
    ] {
        let (path, line, logical_id) = located(rule);
        assert_eq!(
            (path.as_str(), logical_id.as_str()),
            (main.as_str(), address)
        );
        let (kind, name) = address.split_once('.').expect("address");
        assert_eq!(
            text.lines().nth(line as usize - 1),
            Some(format!("resource \"{kind}\" \"{name}\" {{").as_str()),
            "{rule}"
        );
    }
    let gap = findings(&report)
        .into_iter()
        .find(|f| f["rule_id"] == "account-not-assessed")
        .expect("the role is not assessed");
    let message = gap["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("terraform aws_iam_role was not resolved")
            && message
                .contains("aws_iam_role.federation (tests/fixtures/iac/terraform/main.tf:34)")
            && message.contains("assume_role_policy is known only after apply"),
        "{message}"
    );
}

/// In a GitHub job, the annotations of template findings carry the file and line, so they
/// appear on the pull request's diff.
#[test]
fn github_annotations_point_at_the_template_line() {
    let (_, stdout, _) = scan(&[
        "--iac",
        &format!("{FIXTURES}/mistakes.yaml"),
        "--format",
        "github",
    ]);
    assert!(
        stdout.lines().any(|l| l.starts_with(
            "::error file=tests/fixtures/iac/mistakes.yaml,line=6,title=[production-instance-not-saml]"
        )),
        "{stdout}"
    );
}

/// `--fail-on-new` with templates alone would compare with nothing and never fail: refused.
#[test]
fn fail_on_new_needs_a_baseline() {
    let (code, _, stderr) = scan(&[
        "--iac",
        &format!("{FIXTURES}/mistakes.yaml"),
        "--fail-on-new",
        "--no-github",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--fail-on-new needs something to compare with"),
        "{stderr}"
    );
}

/// A nested stack's resources live in another template: the stack is reported as not
/// assessed rather than read as having nothing in it.
#[test]
fn a_nested_stack_is_not_assessed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = dir.path().join("parent.yaml");
    std::fs::write(
        &parent,
        "Resources:\n  ContactCenter:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      \
         TemplateURL: https://s3.amazonaws.com/acme-templates/contact-center.yaml\n",
    )
    .expect("writes");
    let (code, report) = scan_json(&["--iac", parent.to_str().expect("utf-8")]);
    assert_eq!(code, 3, "{report}");
    let message = findings(&report)[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("cloudformation AWS::CloudFormation::Stack was not resolved")
            && message.contains("nested stack"),
        "{message}"
    );
}
