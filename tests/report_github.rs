//! GitHub Actions output: annotations parsed back with a port of the runner's parser, the job
//! summary, step outputs, the action's script end to end, and `action.yml` against its schema.

mod common;
#[path = "common/sarif.rs"]
mod sarif_check;

use std::collections::BTreeMap;
use std::path::Path;

use common::{connect_guard, scan};

/// A workflow command as the runner sees it.
#[derive(Debug, PartialEq)]
struct Command {
    name: String,
    properties: BTreeMap<String, String>,
    data: String,
}

/// Port of `ActionCommand.TryParseV2` (actions/runner `src/Runner.Common/ActionCommand.cs`):
/// the header ends at the *next* `::`; properties split on `,`, then on the first `=`;
/// unescaping replaces `%0D`, `%0A` (`%3A`, `%2C` in properties) and `%25` last.
fn parse(line: &str) -> Option<Command> {
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (name, properties) = match info.find(' ') {
        Some(space) => (&info[..space], info[space + 1..].trim()),
        None => (info, ""),
    };
    let mut parsed = BTreeMap::new();
    for pair in properties.split(',').filter(|p| !p.is_empty()) {
        if let Some((key, value)) = pair.split_once('=')
            && !key.is_empty()
        {
            parsed.insert(key.to_owned(), unescape(value, true));
        }
    }
    Some(Command {
        name: name.to_owned(),
        properties: parsed,
        data: unescape(data, false),
    })
}

fn unescape(text: &str, property: bool) -> String {
    let mut text = text.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        text = text.replace("%3A", ":").replace("%2C", ",");
    }
    text.replace("%25", "%")
}

/// Every command in `output`, checking that no line the runner would execute is unexpected.
fn commands(output: &str) -> Vec<Command> {
    output.lines().filter_map(parse).collect()
}

/// Parses a `$GITHUB_OUTPUT` file: `name=value` lines and `name<<DELIM` … `DELIM` blocks.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut outputs = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for body in lines.by_ref() {
                if body == delimiter {
                    break;
                }
                value.push(body);
            }
            outputs.insert(name.to_owned(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_owned(), value.to_owned());
        }
    }
    outputs
}

#[test]
fn demo_annotations_respect_limits_and_order() {
    let (code, stdout, _) = scan(&["--demo", "--format", "github"]);
    assert_eq!(code, 4);
    let commands = commands(&stdout);
    assert_eq!(
        commands.len(),
        stdout.lines().count(),
        "only commands: {stdout}"
    );
    let errors: Vec<&Command> = commands.iter().filter(|c| c.name == "error").collect();
    let warnings = commands.iter().filter(|c| c.name == "warning").count();
    assert_eq!(errors.len(), 10);
    assert_eq!(warnings, 10);
    // Critical first, then high; by account within a severity.
    assert_eq!(
        errors[0].properties["title"],
        "[saml-trust-references-missing-provider] Role trust names a SAML provider that does not exist"
    );
    assert!(
        errors[0].data.starts_with(
            "arn:aws:iam::200000000002:role/ConnectFederation (200000000002/global): role ConnectFederation trusts"
        ),
        "{}",
        errors[0].data
    );
    let last = commands.last().expect("a notice");
    assert_eq!(last.name, "notice");
    assert_eq!(
        last.data,
        "34 more findings — see the job summary, code scanning alerts or the HTML report"
    );
}

#[test]
fn hostile_strings_cannot_inject_workflow_commands() {
    let rule = r#"package rules.custom.hostile

import rego.v1

metadata := {"id": "hostile-strings", "title": "Title: with, colons: and, commas::error::x", "severity": "critical",
             "description": "d", "remediation": "r", "references": [],
             "basis": "hardening", "beyond_aws": "test rule"}

deny contains {"resource": "arn:aws:iam::123456789012:role/x\n::error::injected-resource", "account_id": "123456789012", "message": "100% bad\r\n::error::injected\n::add-mask::secret\u001b[31m :: a,b:c @team [x](javascript:alert(1)) <script>|"} if true
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("hostile.rego"), rule).expect("writes");
    let (_, stdout, stderr) = scan(&[
        "--demo",
        "--format",
        "github",
        "--policies",
        dir.path().to_str().expect("utf-8"),
    ]);
    let commands = commands(&stdout);
    assert_eq!(commands.len(), stdout.lines().count(), "{stdout}");
    assert!(
        !commands.iter().any(|c| c.name == "add-mask"),
        "{stdout} {stderr}"
    );
    let hostile: Vec<&Command> = commands
        .iter()
        .filter(|c| {
            c.properties
                .get("title")
                .is_some_and(|t| t.starts_with("[hostile-strings]"))
        })
        .collect();
    assert_eq!(hostile.len(), 1, "{stdout}");
    let command = hostile[0];
    assert_eq!(command.name, "error");
    assert_eq!(
        command.properties["title"],
        "[hostile-strings] Title: with, colons: and, commas::error::x"
    );
    assert_eq!(
        command.data,
        "arn:aws:iam::123456789012:role/x\n::error::injected-resource (123456789012/global): 100% bad\r\n::error::injected\n::add-mask::secret [31m :: a,b:c @team [x](javascript:alert(1)) <script>|"
    );
}

#[test]
fn markdown_summary_is_escaped_and_complete() {
    let (code, stdout, _) = scan(&["--demo", "--format", "markdown"]);
    assert_eq!(code, 4);
    for expected in [
        "## connect-guard: 62 findings, 2 not assessed",
        "Organization `o-cg0demo0001`",
        "| Critical | High | Medium | Low |",
        "| 5 | 27 | 19 | 11 |",
        "### By account",
        "### Top findings (25 of 62)",
        "### Not assessed",
        "<details><summary>44 rules evaluated</summary>",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in {stdout}");
    }
    assert!(
        !stdout.contains("evaluated in"),
        "deterministic without GitHub"
    );

    let rule = r#"package rules.custom.hostile

import rego.v1

metadata := {"id": "hostile-strings", "title": "t", "severity": "critical",
             "description": "d", "remediation": "r", "references": [],
             "basis": "hardening", "beyond_aws": "test rule"}

deny contains {"resource": "arn:aws:iam::123456789012:role/x", "message": "a | b\n| injected | row |<img src=x onerror=alert(1)>[l](https://evil.example) @org/team `x`"} if true
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("hostile.rego"), rule).expect("writes");
    let (_, stdout, _) = scan(&[
        "--demo",
        "--format",
        "markdown",
        "--policies",
        dir.path().to_str().expect("utf-8"),
    ]);
    let row = stdout
        .lines()
        .find(|l| l.contains("hostile-strings") && l.contains("a \\| b"))
        .expect("hostile row");
    assert!(!stdout.contains("\n| injected"), "{stdout}");
    assert!(row.contains("\\<img src=x onerror=alert(1)\\>"), "{row}");
    assert!(
        row.contains("\\[l\\](https:\u{2060}//evil.example)"),
        "{row}"
    );
    assert!(row.contains("@\u{2060}org/team"), "{row}");
    // The row keeps exactly 6 cells: 7 unescaped pipes.
    let pipes = row
        .match_indices('|')
        .filter(|(i, _)| !row[..*i].ends_with('\\'))
        .count();
    assert_eq!(pipes, 7, "{row}");
}

fn github_env(dir: &Path) -> Vec<(&'static str, String)> {
    let file = |name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, "").expect("writes");
        path.display().to_string()
    };
    let runner_temp = dir.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).expect("mkdir");
    vec![
        ("GITHUB_ACTIONS", "true".to_owned()),
        ("GITHUB_OUTPUT", file("output")),
        ("GITHUB_STEP_SUMMARY", file("summary")),
        ("GITHUB_ENV", file("env")),
        ("GITHUB_PATH", file("path")),
        ("GITHUB_SERVER_URL", "https://github.com".to_owned()),
        ("GITHUB_REPOSITORY", "acme/aws-posture".to_owned()),
        ("GITHUB_RUN_ID", "42".to_owned()),
        ("GITHUB_WORKSPACE", dir.display().to_string()),
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR").to_owned()),
        ("RUNNER_TEMP", runner_temp.display().to_string()),
        ("RUNNER_OS", "Linux".to_owned()),
    ]
}

#[test]
fn github_actions_environment_adds_annotations_summary_and_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sarif = dir.path().join("out.sarif");
    let mut command = connect_guard();
    command.args(["scan", "--demo", "--report", sarif.to_str().expect("utf-8")]);
    for (key, value) in github_env(dir.path()) {
        command.env(key, value);
    }
    let output = command.output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("CRITICAL saml-trust-references-missing-provider"));
    assert_eq!(
        commands(&stdout)
            .iter()
            .filter(|c| c.name == "error")
            .count(),
        10
    );
    let summary = std::fs::read_to_string(dir.path().join("summary")).expect("summary");
    assert!(summary.contains("evaluated in"), "{summary}");
    assert!(
        summary.contains("(https://github.com/acme/aws-posture/security/code-scanning?query=tool%3Aconnect-guard)"),
        "{summary}"
    );
    let outputs = parse_outputs(&std::fs::read_to_string(dir.path().join("output")).expect("o"));
    assert_eq!(outputs["findings"], "62");
    assert_eq!(outputs["sarif-file"], sarif.display().to_string());

    // A machine-readable stdout stays clean: annotations go to stderr instead.
    let mut command = connect_guard();
    command.args(["scan", "--demo", "--format", "json"]);
    for (key, value) in github_env(dir.path()) {
        command.env(key, value);
    }
    let output = command.output().expect("runs");
    serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("stdout is JSON");
    assert!(String::from_utf8_lossy(&output.stderr).contains("::error title="));

    // --no-github turns it all off.
    let mut command = connect_guard();
    command.args(["scan", "--demo", "--no-github"]);
    let env = github_env(dir.path());
    for (key, value) in &env {
        command.env(key, value);
    }
    let output = command.output().expect("runs");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("::error"));
    assert!(
        std::fs::read_to_string(dir.path().join("summary"))
            .expect("s")
            .is_empty()
    );
}

#[test]
fn action_script_runs_against_the_demo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("summary.md");
    let json = dir.path().join("report.json");
    let mut command = common::action_scan();
    command
        .env("INPUT_DEMO", "true")
        .env("INPUT_FAIL_ON", "high")
        .env("INPUT_SARIF_CATEGORY", "org/o-cg0demo0001")
        .env("INPUT_PARAMS", "expiry-warn-days=45\n\n")
        .env("INPUT_MARKDOWN_REPORT", &md)
        .env("INPUT_JSON_REPORT", &json);
    for (key, value) in github_env(dir.path()) {
        command.env(key, value);
    }
    let output = command.output().expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stdout}\n{stderr}");

    let commands = commands(&stdout);
    assert_eq!(commands.iter().filter(|c| c.name == "error").count(), 10);
    assert_eq!(commands.iter().filter(|c| c.name == "warning").count(), 10);
    assert!(
        commands
            .last()
            .is_some_and(|c| c.data.starts_with("34 more findings"))
    );

    let summary = std::fs::read_to_string(dir.path().join("summary")).expect("summary");
    assert!(
        summary.contains("## connect-guard: 62 findings, 2 not assessed"),
        "{summary}"
    );
    assert!(summary.contains("### Top findings"), "{summary}");
    assert!(summary.contains("actions/runs/42"), "{summary}");

    let outputs = parse_outputs(&std::fs::read_to_string(dir.path().join("output")).expect("o"));
    assert_eq!(outputs["findings"], "62");
    assert_eq!(outputs["highest-severity"], "critical");
    assert_eq!(outputs["not-assessed"], "2");
    assert_eq!(outputs["exit-code"], "4");
    let counts: serde_json::Value = serde_json::from_str(&outputs["counts"]).expect("JSON");
    assert_eq!(counts["critical"], 5);
    assert_eq!(counts["not-assessed"], 2);
    assert_eq!(outputs["markdown-report"], md.display().to_string());
    assert_eq!(outputs["json-report"], json.display().to_string());
    let sarif_path = &outputs["sarif-file"];
    assert!(sarif_path.starts_with(&dir.path().join("runner-temp").display().to_string()));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif_path).expect("sarif")).expect("JSON");
    sarif_check::assert_valid(&sarif);
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "org/o-cg0demo0001"
    );
    assert!(
        std::fs::read_to_string(&md)
            .expect("md")
            .starts_with("## connect-guard")
    );
}

#[test]
fn action_script_rejects_bad_inputs_with_an_annotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (key, value, expected) in [
        ("INPUT_FAIL_ON", "high; rm -rf /", "fail-on must be"),
        (
            "INPUT_SNAPSHOT",
            "/nonexistent.json",
            "snapshot file not found",
        ),
    ] {
        let mut command = common::action_scan();
        command.env(key, value);
        for (key, value) in github_env(dir.path()) {
            command.env(key, value);
        }
        let output = command.output().expect("bash runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(2), "{stdout}");
        let commands = commands(&stdout);
        assert_eq!(commands.len(), 1, "{stdout}");
        assert_eq!(commands[0].name, "error");
        assert!(commands[0].data.contains(expected), "{stdout}");
    }
}

#[test]
fn action_yml_is_valid_and_pins_actions_by_sha() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("action.yml");
    let action: serde_json::Value = serde_norway::from_str(&text).expect("YAML");
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/github-action.schema.json")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&action)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "expression inside run: {run}");
        }
    }
    for line in text.lines().filter(|l| l.trim_start().starts_with("uses:")) {
        let reference = line.split('@').nth(1).unwrap_or("");
        let (sha, comment) = reference.split_once(" # v").unwrap_or(("", ""));
        assert!(
            sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()) && !comment.is_empty(),
            "not pinned by SHA with a version comment: {line}"
        );
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("upload-sarif step");
    assert!(
        upload["if"]
            .as_str()
            .is_some_and(|c| c.contains("always()"))
    );
    assert!(upload["with"]["category"].is_string());
    // Every input reaches the scan step through env.
    let scan_env = steps
        .iter()
        .find(|s| s["id"] == "scan")
        .map(|s| s["env"].to_string())
        .expect("scan step");
    for input in action["inputs"].as_object().expect("inputs").keys() {
        if input == "upload-sarif" || input == "artifact-name" {
            continue;
        }
        assert!(
            scan_env.contains(&format!("inputs.{input} }}}}")),
            "input {input} not passed to the scan step"
        );
    }
}
