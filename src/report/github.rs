//! GitHub Actions output: annotations, the job summary and step outputs.
//!
//! - **Annotations** (`--format github`, or added when `GITHUB_ACTIONS=true`): workflow
//!   commands for the most severe findings, within GitHub's per-step limits of 10 errors and 10
//!   warnings: ≤10 `::error` (critical, high), ≤10 `::warning` (medium), ≤10 `::notice` (low),
//!   by severity then account, then one `::notice` counting the rest.
//! - **Job summary**: the [`markdown`] summary appended to
//!   `$GITHUB_STEP_SUMMARY`.
//! - **Step outputs** appended to `$GITHUB_OUTPUT` in the `name<<DELIMITER` form with a random
//!   delimiter, so no value can end the heredoc and forge another output.
//!
//! The runner executes any stdout (or stderr) line that starts with `::`, so every string from
//! AWS is stripped of control characters (no line can be forged) and escaped per the runner's
//! rules (`ActionCommand.cs`): data `%` → `%25`, CR → `%0D`, LF → `%0A`; properties also
//! `:` → `%3A`, `,` → `%2C`. `%` goes first, as `@actions/core` does. OUTPUTS.md §3–4.

use std::hash::{BuildHasher as _, Hasher as _};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Format;
use super::markdown::{self, Context};
use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// Annotations of one kind GitHub shows per step (the documented limit is for errors and
/// warnings; notices get the same budget to keep logs short).
pub const PER_KIND: usize = 10;
/// Longest annotation message, in characters; details live in the other reports.
const MAX_MESSAGE: usize = 400;

/// Whether the GitHub output is requested or implied by the environment.
pub fn enabled(format: Format, no_github: bool) -> bool {
    format == Format::Github
        || (!no_github && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"))
}

/// Writes the annotations, one workflow command per line.
pub fn write(out: &mut dyn std::io::Write, result: &ScanResult) -> std::io::Result<()> {
    for line in annotations(result) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The workflow commands for `result`.
pub fn annotations(result: &ScanResult) -> Vec<String> {
    let mut lines = Vec::new();
    // Policy errors first: a rule that did not run hides findings, which matters more than
    // any single finding. They point at the policy file, which may be in the repository.
    for error in result.policy_errors.iter().take(PER_KIND) {
        let mut properties = vec![("file", error.path.clone())];
        if let Some(line) = error.line {
            properties.push(("line", line.to_string()));
        }
        properties.push(("title", "connect-guard policy error".to_owned()));
        lines.push(command("error", &properties, &error.message));
    }
    let mut findings: Vec<&Finding> = result.findings.iter().collect();
    findings.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            &a.account_id,
            &a.rule_id,
            &a.resource,
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                &b.account_id,
                &b.rule_id,
                &b.resource,
            ))
    });
    let mut shown = 0;
    for (kind, budget) in [
        ("error", PER_KIND.saturating_sub(lines.len())),
        ("warning", PER_KIND),
        ("notice", PER_KIND),
    ] {
        for f in findings
            .iter()
            .filter(|f| kind_of(f.severity) == kind)
            .take(budget)
        {
            // A resource declared in a template is annotated on its line, so the annotation
            // shows on the pull request's diff.
            let mut properties = Vec::with_capacity(3);
            if let Some(location) = &f.location {
                properties.push(("file", location.path.clone()));
                properties.push(("line", location.line.to_string()));
            }
            properties.push(("title", format!("[{}] {}", f.rule_id, f.title)));
            lines.push(command(kind, &properties, &annotation_message(f)));
            shown += 1;
        }
    }
    let rest = result.findings.len() - shown;
    if rest > 0 {
        lines.push(command(
            "notice",
            &[("title", "connect-guard".to_owned())],
            &format!(
                "{rest} more finding{} — see the job summary, code scanning alerts or the HTML report",
                if rest == 1 { "" } else { "s" }
            ),
        ));
    }
    lines
}

fn kind_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// `<ARN> (<account>/<region>): <message>`, at most [`MAX_MESSAGE`] characters.
fn annotation_message(f: &Finding) -> String {
    let text = format!(
        "{} ({}/{}): {}",
        f.resource,
        f.account_id.as_deref().unwrap_or("-"),
        f.region.as_deref().unwrap_or("global"),
        f.message
    );
    if text.chars().count() <= MAX_MESSAGE {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_MESSAGE - 1).collect();
    cut.push('…');
    cut
}

/// One workflow command line: `::kind key=value,…::data`, everything escaped.
pub fn command(kind: &str, properties: &[(&str, String)], data: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let separator = if properties.is_empty() { "" } else { " " };
    format!(
        "::{kind}{separator}{}::{}",
        properties.join(","),
        escape_data(data)
    )
}

/// Escapes a command's data: `%`, CR, LF. Other control characters are stripped.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.push(' '),
            c if crate::untrusted::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The `GITHUB_*` variables the runner provides.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `$GITHUB_STEP_SUMMARY`: the job summary file.
    pub step_summary: Option<PathBuf>,
    /// `$GITHUB_OUTPUT`: the step outputs file.
    pub output: Option<PathBuf>,
    /// `$GITHUB_SERVER_URL`/`$GITHUB_REPOSITORY`, for links.
    pub repository_url: Option<String>,
    /// `$GITHUB_RUN_ID`, for the link to the run's artifacts.
    pub run_id: Option<String>,
}

impl Environment {
    /// Reads the runner's variables; empty ones count as absent.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let repository_url = match (var("GITHUB_SERVER_URL"), var("GITHUB_REPOSITORY")) {
            (Some(server), Some(repo)) => Some(format!("{}/{repo}", server.trim_end_matches('/'))),
            _ => None,
        };
        Self {
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
            repository_url,
            run_id: var("GITHUB_RUN_ID"),
        }
    }
}

/// Appends the job summary and the step outputs, when the runner provides their files.
/// `reports` are the files written in this run, whose paths become outputs.
pub fn publish(
    env: &Environment,
    snapshot: &Snapshot,
    result: &ScanResult,
    reports: &[(PathBuf, Format)],
) -> std::io::Result<()> {
    if let Some(path) = &env.step_summary {
        let context = Context {
            code_scanning: env
                .repository_url
                .as_ref()
                .map(|repo| format!("{repo}/security/code-scanning?query=tool%3Aconnect-guard")),
            run: match (&env.repository_url, &env.run_id) {
                (Some(repo), Some(id)) => Some(format!("{repo}/actions/runs/{id}")),
                _ => None,
            },
            show_duration: true,
        };
        append(
            path,
            markdown::summary(snapshot, result, &context).as_bytes(),
        )?;
    }
    if let Some(path) = &env.output {
        let mut text = String::new();
        for (name, value) in outputs(result, reports) {
            text.push_str(&output_entry(name, &value));
        }
        append(path, text.as_bytes())?;
    }
    Ok(())
}

/// The step outputs: `findings`, `highest-severity`, `counts` (JSON), `not-assessed`, and the
/// path of each report written (`sarif-file`, `html-report`, `markdown-report`, `json-report`).
pub fn outputs(result: &ScanResult, reports: &[(PathBuf, Format)]) -> Vec<(&'static str, String)> {
    let posture: Vec<&Finding> = result.findings.iter().filter(|f| !f.coverage).collect();
    let mut counts = serde_json::Map::new();
    for severity in Severity::ALL_DESC {
        let n = posture.iter().filter(|f| f.severity == severity).count();
        counts.insert(severity.as_str().to_owned(), n.into());
    }
    let gaps = result.findings.len() - posture.len();
    counts.insert("not-assessed".to_owned(), gaps.into());
    counts.insert(
        "policy-errors".to_owned(),
        result.policy_errors.len().into(),
    );
    let highest = posture
        .iter()
        .map(|f| f.severity)
        .max()
        .map_or("none", Severity::as_str);
    let mut outputs = vec![
        ("findings", posture.len().to_string()),
        ("highest-severity", highest.to_owned()),
        ("not-assessed", gaps.to_string()),
        ("counts", serde_json::Value::Object(counts).to_string()),
    ];
    for (path, format) in reports {
        let name = match format {
            Format::Sarif => "sarif-file",
            Format::Markdown => "markdown-report",
            Format::Json => "json-report",
            // Table and GitHub are not files worth an output; HTML is handled below.
            _ => continue,
        };
        if !outputs.iter().any(|(n, _)| *n == name) {
            outputs.push((name, path.display().to_string()));
        }
    }
    // The HTML format lives on its own branch; recognise its reports by extension so this
    // output appears as soon as it is merged.
    if let Some((path, _)) = reports.iter().find(|(p, _)| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html"))
    }) {
        outputs.push(("html-report", path.display().to_string()));
    }
    outputs
}

/// One `name<<DELIMITER` … `DELIMITER` entry, with a delimiter that is not in the value.
pub fn output_entry(name: &str, value: &str) -> String {
    let mut delimiter = random_delimiter();
    while value.contains(&delimiter) {
        delimiter = random_delimiter();
    }
    format!("{name}<<{delimiter}\n{value}\n{delimiter}\n")
}

/// `ghadelimiter_<128 random bits>`, as `@actions/core` does with a UUID. The bits come from
/// std's per-process random hasher keys, which are seeded from the OS.
fn random_delimiter() -> String {
    let mut hex = String::from("ghadelimiter_");
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0);
        hex.push_str(&format!("{:016x}", hasher.finish()));
    }
    hex
}

fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a\r\nb::c,d:e"), "50%25 a%0D%0Ab::c,d:e");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("a\u{1b}[31m"), "a [31m");
        assert_eq!(
            command(
                "error",
                &[("title", "[r] t: x, y".to_owned())],
                "m\n::error::x"
            ),
            "::error title=[r] t%3A x%2C y::m%0A::error::x"
        );
    }

    #[test]
    fn delimiters_are_random_and_never_in_the_value() {
        let a = random_delimiter();
        assert_ne!(a, random_delimiter());
        let entry = output_entry("x", &a);
        let delimiter = entry
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("x<<"))
            .expect("heredoc");
        assert_ne!(delimiter, a);
        assert!(entry.ends_with(&format!("\n{delimiter}\n")));
    }
}
