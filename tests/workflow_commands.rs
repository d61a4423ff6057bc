//! No string from AWS can form a GitHub Actions workflow command, in any output format.
//!
//! A hostile copy of the demo organization carries command payloads in every name, alias,
//! description, tag and message; it is scanned under `GITHUB_ACTIONS=true` in every stdout
//! format, and what the process writes to stdout and stderr is fed to a model of the runner's
//! command parser. The only commands it may find are connect-guard's own: its annotations
//! (each titled `[rule-id] …`, or the closing count) and its own stop-commands fence.

mod common;

use std::path::Path;

use serde_json::Value;

use common::{connect_guard, demo_json, write_json};

/// What a member account could put in a name.
const PAYLOAD: &str = "x\n::error::forged %0A::warning::two ##[add-mask]secret \u{1b}[31m \u{202e}evil\r\n  ::stop-commands::pause\n##[error]legacy";

/// A command the runner would execute.
#[derive(Debug, Clone, PartialEq)]
struct Command {
    name: String,
    properties: String,
    data: String,
}

/// The runner's parser (actions/runner `ActionCommand.TryParseV2` and the legacy
/// `TryParse`, with `stop-commands`), made stricter: any command name counts, registered or
/// not.
#[derive(Default)]
struct Runner {
    stopped_by: Option<String>,
    commands: Vec<Command>,
}

impl Runner {
    fn feed(&mut self, text: &str) {
        for line in text.split('\n') {
            let line = line.trim_end_matches('\r');
            let trimmed = line.trim_start();
            if let Some(token) = &self.stopped_by {
                if trimmed == format!("::{token}::") {
                    self.stopped_by = None;
                }
                continue;
            }
            let command = if let Some(rest) = trimmed.strip_prefix("::")
                && let Some(end) = rest.find("::")
            {
                let (info, data) = (&rest[..end], &rest[end + 2..]);
                let (name, properties) = info.split_once(' ').unwrap_or((info, ""));
                Some(Command {
                    name: name.to_owned(),
                    properties: properties.to_owned(),
                    data: data.to_owned(),
                })
            } else if let Some(start) = line.find("##[")
                && let Some(end) = line[start..].find(']')
            {
                let info = &line[start + 3..start + end];
                let (name, properties) = info.split_once(' ').unwrap_or((info, ""));
                Some(Command {
                    name: name.to_owned(),
                    properties: properties.to_owned(),
                    data: line[start + end + 1..].to_owned(),
                })
            } else {
                None
            };
            if let Some(command) = command {
                if command.name == "stop-commands" {
                    self.stopped_by = Some(command.data.clone());
                }
                self.commands.push(command);
            }
        }
    }
}

/// Appends the payload to every string a member account or the organization chooses.
fn poison(value: &mut Value, key: Option<&str>) {
    const CHOSEN: [&str; 7] = [
        "name",
        "alias",
        "description",
        "email",
        "message",
        "entity_id",
        "subject",
    ];
    match value {
        Value::Object(fields) => {
            let tags = key == Some("tags");
            for (k, v) in fields.iter_mut() {
                if tags && let Value::String(s) = v {
                    s.push_str(PAYLOAD);
                } else {
                    poison(v, Some(k));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key)),
        Value::String(s) if key.is_some_and(|k| CHOSEN.contains(&k)) => s.push_str(PAYLOAD),
        _ => {}
    }
}

fn github_env(dir: &Path) -> Vec<(&'static str, String)> {
    let file = |name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, "").expect("writes");
        path.display().to_string()
    };
    vec![
        ("GITHUB_ACTIONS", "true".to_owned()),
        ("GITHUB_OUTPUT", file("output")),
        ("GITHUB_STEP_SUMMARY", file("summary")),
        ("GITHUB_REPOSITORY", "acme/aws-posture".to_owned()),
        ("GITHUB_SERVER_URL", "https://github.com".to_owned()),
        ("GITHUB_RUN_ID", "42".to_owned()),
    ]
}

#[test]
fn hostile_names_form_no_commands_in_any_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = demo_json();
    poison(&mut demo, None);
    assert!(demo.to_string().matches("::error::forged").count() > 50);
    let snapshot = write_json(dir.path(), "hostile.json", &demo);
    let rules: Vec<String> = connect_guard_rule_ids();
    for format in ["table", "json", "sarif", "markdown", "github", "html"] {
        let mut command = connect_guard();
        command
            .args(["scan", "--format", format, "--snapshot"])
            .arg(&snapshot);
        for (key, value) in github_env(dir.path()) {
            command.env(key, value);
        }
        let output = command.output().expect("runs");
        assert_eq!(output.status.code(), Some(4), "{format}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.contains("forged") || format == "github",
            "{format}: the hostile text is shown, not dropped"
        );
        // The runner reads the two streams apart; either may come first.
        for streams in [[&stdout, &stderr], [&stderr, &stdout]] {
            let mut runner = Runner::default();
            for stream in streams {
                runner.feed(stream);
            }
            let mut fences = 0;
            for command in &runner.commands {
                match command.name.as_str() {
                    "error" | "warning" | "notice" => {
                        let own = command.properties.starts_with("title=[")
                            && rules
                                .iter()
                                .any(|r| command.properties.starts_with(&format!("title=[{r}]")))
                            || (command.properties == "title=connect-guard"
                                && command.data.contains("more findings"));
                        assert!(own, "{format}: forged {command:?}");
                    }
                    "stop-commands" => {
                        assert!(
                            command.data.starts_with("connect-guard-") && command.data.len() == 46,
                            "{format}: forged {command:?}"
                        );
                        fences += 1;
                    }
                    _ => panic!("{format}: forged {command:?}"),
                }
            }
            assert!(fences <= 1, "{format}");
            let annotations = runner.commands.iter().filter(|c| c.name == "error").count();
            assert!(
                annotations > 0,
                "{format}: connect-guard's own annotations still work"
            );
        }
        if matches!(format, "json" | "sarif") {
            let parsed: Value = serde_json::from_str(&stdout).expect("still JSON");
            assert!(
                parsed.to_string().contains("##[add-mask]secret"),
                "{format}: same data"
            );
        }
    }
}

fn connect_guard_rule_ids() -> Vec<String> {
    common::builtin_rules()
        .rules
        .iter()
        .map(|r| r.metadata.id.clone())
        .collect()
}
