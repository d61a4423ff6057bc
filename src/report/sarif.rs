//! SARIF 2.1.0 for GitHub code scanning.
//!
//! Findings are about cloud resources named by ARN, not lines in files, and GitHub rejects a
//! result without a physical location (codeql-action#2456) or with a foreign URI scheme
//! (trivy#5003). So each result points at a deterministic, scheme-less *synthetic* path derived
//! from the ARN, `<prefix>/<account>/<region|global>/<service>/<resource-type>/<id…>`, line 1;
//! the ARN itself goes in `logicalLocations` and in the message (GitHub ignores logical
//! locations). Alerts persist across scans through our own `primaryLocationLineHash`
//! ([`Finding::fingerprint`]), which upload-sarif keeps because the path is not a file in the
//! checkout. See `../shared/OUTPUTS.md` §1–2.
//!
//! Coverage findings (`account-not-assessed`) are results too: an account nobody could read is a
//! blind spot a security team must see next to the posture alerts, and the alert closes by
//! itself once the account is assessed again. They are also summarised, with policy and
//! collection errors, in `invocations[0].toolExecutionNotifications`.
//!
//! GitHub's limits are enforced here, never left to the upload: results are sorted by severity,
//! a notification warns above 5,000 (only those are shown), at most 25,000 are written (the least
//! severe are dropped, and a notification says so), and the gzip-compressed file stays under
//! 10 MB (measured with `flate2` when the raw JSON is big enough to matter).
//!
//! The types below model only what we emit (as zizmor's in-tree SARIF crate does): field order
//! as in the spec, no nulls.

use std::collections::BTreeMap;
use std::io::Write as _;

use serde::Serialize;

use crate::engine::{Basis, RuleKind, RuleMetadata};
use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// Results GitHub displays per run; above this a warning notification is added.
pub const SHOWN_RESULTS: usize = 5_000;
/// Results GitHub accepts per run; more are dropped, least severe first.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub's upload limit on the gzip-compressed file.
pub const MAX_GZIP_BYTES: usize = 10 * 1024 * 1024;
/// Tags GitHub shows per rule.
const MAX_TAGS: usize = 10;
/// GitHub truncates longer rule descriptions.
const MAX_DESCRIPTION: usize = 1024;

/// The project's repository; rule documentation links point into it.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// SARIF-specific settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// First segment of every synthetic artifact path (`--sarif-prefix`). Chosen so it cannot
    /// collide with a real directory of the repository the SARIF is uploaded to.
    pub prefix: String,
    /// `runAutomationDetails.id` (`--sarif-category`); GitHub replaces earlier uploads of the
    /// same category, so one per scan slice (e.g. per organization).
    pub category: Option<String>,
    /// Emit waived findings too, with a SARIF suppression (`--sarif-include-waived`).
    pub include_waived: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            prefix: "aws".to_owned(),
            category: None,
            include_waived: false,
        }
    }
}

/// The top-level SARIF log (SARIF §3.13).
#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

/// SARIF §3.14.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails>,
    results: Vec<SarifResult>,
}

/// SARIF §3.18.
#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

/// SARIF §3.19 (`toolComponent`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

/// SARIF §3.49 (`reportingDescriptor`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

/// SARIF §3.11 (`message` / `multiformatMessageString`, text only).
#[derive(Serialize)]
struct Text {
    text: String,
}

/// SARIF §3.12: GitHub shows `markdown` when present.
#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

/// SARIF §3.50.
#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    /// GitHub reads this string to grade alerts: >9.0 critical, 7.0–8.9 high, 4.0–6.9 medium.
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
    /// Where the rule's requirement comes from: `aws` or `hardening`.
    #[serde(rename = "requirement-basis")]
    requirement_basis: &'static str,
    /// The documentation pages that state it.
    #[serde(rename = "requirement-sources", skip_serializing_if = "Vec::is_empty")]
    requirement_sources: Vec<String>,
}

/// SARIF §3.20.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// SARIF §3.58.
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: DescriptorReference,
}

/// SARIF §3.52 (`reportingDescriptorReference`).
#[derive(Serialize)]
struct DescriptorReference {
    id: &'static str,
}

/// SARIF §3.17 (`runAutomationDetails`).
#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

/// SARIF §3.27.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: PartialFingerprints,
    /// SARIF §3.27.24: `new` or `unchanged` when the scan was compared with a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// SARIF §3.27.23: a waived finding, emitted only with `include_waived`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: BTreeMap<&'static str, String>,
}

/// SARIF §3.35.
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

/// SARIF §3.28.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation>,
}

/// SARIF §3.29.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

/// SARIF §3.4.
#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

/// SARIF §3.30: GitHub requires `startLine`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

/// SARIF §3.33.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

/// SARIF §3.27.17: the only fingerprint GitHub uses.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PartialFingerprints {
    primary_location_line_hash: String,
}

/// The rule-level `defaultConfiguration.level` and result `level`.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity`, mid-band per grade (Trivy's values).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

/// Link to a rule's documentation page in the project's repository.
pub fn rule_doc_url(id: &str) -> String {
    format!("{REPOSITORY}/blob/main/docs/rules/{id}.md")
}

/// Warnings for the terminal about GitHub's limits, empty when the SARIF fits them all.
pub fn limit_warnings(result: &ScanResult) -> Vec<String> {
    let total = result.findings.len();
    let mut warnings = Vec::new();
    if total > MAX_RESULTS {
        warnings.push(format!(
            "SARIF: {total} findings exceed GitHub's limit of {MAX_RESULTS} results per run; the {} least severe were left out (the JSON report has them all)",
            total - MAX_RESULTS
        ));
    } else if total > SHOWN_RESULTS {
        warnings.push(format!(
            "SARIF: {total} findings; GitHub shows only the {SHOWN_RESULTS} most severe"
        ));
    }
    warnings
}

/// Writes the SARIF log as pretty JSON with a trailing newline.
pub fn write(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    options: &Options,
) -> std::io::Result<()> {
    let bytes = render(snapshot, result, options)?;
    out.write_all(&bytes)
}

/// The serialized log, cut down until it fits GitHub's compressed size limit.
fn render(snapshot: &Snapshot, result: &ScanResult, options: &Options) -> std::io::Result<Vec<u8>> {
    // Findings arrive sorted most severe first (`Finding::sort_key`); keep that order so
    // truncation always drops the least severe.
    let mut keep = result.findings.len().min(MAX_RESULTS);
    loop {
        let log = build(snapshot, result, options, keep);
        let mut bytes = serde_json::to_vec_pretty(&log)?;
        bytes.push(b'\n');
        // Deflate never grows JSON by more than a few bytes per 16 KiB block, so a raw file
        // under 9.5 MB cannot exceed 10 MB compressed; only compress when it could matter.
        if bytes.len() <= MAX_GZIP_BYTES * 95 / 100 || keep == 0 {
            return Ok(bytes);
        }
        let compressed = gzip_len(&bytes)?;
        if compressed <= MAX_GZIP_BYTES {
            return Ok(bytes);
        }
        // Shrink proportionally, with a margin, rather than one result at a time.
        let ratio = MAX_GZIP_BYTES as f64 / compressed as f64 * 0.9;
        keep = ((keep as f64) * ratio) as usize;
    }
}

/// Size of `bytes` gzip-compressed at the default level, as upload-sarif compresses it.
fn gzip_len(bytes: &[u8]) -> std::io::Result<usize> {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 8), Default::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn build(snapshot: &Snapshot, result: &ScanResult, options: &Options, keep: usize) -> Log {
    let rule_index: BTreeMap<&str, usize> = result
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results = result
        .findings
        .iter()
        .take(keep)
        // GitHub ignores suppressions and would open an alert for a waived finding, so waived
        // findings are left out unless asked for (OUTPUTS.md §1).
        .filter(|f| options.include_waived || f.waiver.is_none())
        .filter_map(|f| {
            Some(sarif_result(
                f,
                *rule_index.get(f.rule_id.as_str())?,
                options,
            ))
        })
        .collect();
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "connect-guard",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: REPOSITORY,
                    rules: result.rules.iter().map(rule).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: result.policy_errors.is_empty(),
                tool_execution_notifications: notifications(snapshot, result, keep),
            }],
            automation_details: options
                .category
                .as_ref()
                .filter(|c| !c.trim().is_empty())
                .map(|c| AutomationDetails { id: c.clone() }),
            results,
        }],
    }
}

fn rule(m: &RuleMetadata) -> Rule {
    let url = rule_doc_url(&m.id);
    let mut full = m.description.trim().to_owned();
    if let Some(rationale) = &m.rationale {
        full = format!("{full} {}", rationale.trim());
    }
    let mut text = format!(
        "{}\n\nRemediation: {}\n\nDocumentation: {url}",
        full,
        m.remediation.trim()
    );
    let mut markdown = format!("{}\n\n", m.description.trim());
    if let Some(rationale) = &m.rationale {
        markdown.push_str(&format!("**Why it matters.** {}\n\n", rationale.trim()));
    }
    markdown.push_str(&format!("**Remediation.** {}\n\n", m.remediation.trim()));
    match m.basis {
        Basis::Aws => markdown.push_str("**Requirement source.** AWS documentation:\n\n"),
        Basis::Hardening => markdown.push_str(
            "**Requirement source.** A hardening recommendation beyond what AWS documentation \
             requires.\n\n",
        ),
    }
    text.push_str(&format!("\nRequirement basis: {}", m.basis.label()));
    for source in &m.sources {
        markdown.push_str(&format!("- <{}>: {}\n", source.url, source.states.trim()));
        text.push_str(&format!(
            "\nSource: {} ({})",
            source.url,
            source.states.trim()
        ));
    }
    if let Some(beyond) = &m.beyond_aws {
        if !m.sources.is_empty() {
            markdown.push('\n');
        }
        markdown.push_str(&format!("**Beyond AWS guidance.** {}\n", beyond.trim()));
        text.push_str(&format!("\nBeyond AWS guidance: {}", beyond.trim()));
    }
    markdown.push('\n');
    if !m.references.is_empty() {
        markdown.push_str("**References.**\n\n");
        for reference in &m.references {
            markdown.push_str(&format!("- <{reference}>\n"));
            text.push_str(&format!("\nReference: {reference}"));
        }
        markdown.push('\n');
    }
    markdown.push_str(&format!(
        "[Rule documentation: `{}`]({url})",
        m.code.as_deref().unwrap_or(&m.id)
    ));
    Rule {
        id: m.id.clone(),
        name: pascal_case(&m.id),
        short_description: Text {
            text: truncate(m.title.trim(), MAX_DESCRIPTION),
        },
        full_description: Text {
            text: truncate(&full, MAX_DESCRIPTION),
        },
        help: Help { text, markdown },
        help_uri: url,
        default_configuration: Configuration {
            level: level(m.severity),
        },
        properties: RuleProperties {
            tags: tags(m),
            security_severity: security_severity(m.severity),
            precision: "high",
            requirement_basis: m.basis.as_str(),
            requirement_sources: m.sources.iter().map(|s| s.url.clone()).collect(),
        },
    }
}

/// `security` (which `security-severity` needs), the catalog code and its area, `aws`,
/// `amazon-connect`, `coverage` for coverage rules, then the rule's own tags; at most ten, the
/// number GitHub shows.
fn tags(m: &RuleMetadata) -> Vec<String> {
    let mut tags = vec!["security".to_owned()];
    if let Some(code) = &m.code {
        tags.push(code.clone());
    }
    tags.extend(["aws".to_owned(), "amazon-connect".to_owned()]);
    if m.kind == RuleKind::Coverage {
        tags.push("coverage".to_owned());
    }
    for tag in &m.tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    tags.truncate(MAX_TAGS);
    tags
}

fn sarif_result(f: &Finding, rule_index: usize, options: &Options) -> SarifResult {
    let mut properties = BTreeMap::new();
    let optional = [
        ("aws/accountId", &f.account_id),
        ("aws/region", &f.region),
        ("aws/ouPath", &f.ou_path),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            properties.insert(key, value.clone());
        }
    }
    properties.insert("aws/arn", f.resource.clone());
    let message = f.message.trim();
    let message = if message.is_empty() {
        &f.title
    } else {
        message
    };
    SarifResult {
        rule_id: f.rule_id.clone(),
        rule_index,
        level: level(f.severity),
        message: Text {
            text: format!(
                "{} (resource: {})",
                message.trim_end_matches('.'),
                f.resource
            ),
        },
        locations: vec![Location {
            // A resource declared in a template is annotated where it is declared, so GitHub
            // shows the alert on the pull request's diff; others get a stable path per ARN.
            physical_location: match &f.location {
                Some(location) => PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: template_uri(&location.path),
                    },
                    region: Region {
                        start_line: u32::try_from(location.line).unwrap_or(1).max(1),
                    },
                },
                None => PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: artifact_path(&options.prefix, &f.resource),
                    },
                    region: Region { start_line: 1 },
                },
            },
            logical_locations: vec![LogicalLocation {
                name: f
                    .resource
                    .splitn(6, ':')
                    .nth(5)
                    .unwrap_or(&f.resource)
                    .to_owned(),
                fully_qualified_name: f.resource.clone(),
                kind: "resource",
            }],
        }],
        partial_fingerprints: PartialFingerprints {
            primary_location_line_hash: format!("{}:1", f.fingerprint()),
        },
        baseline_state: f.baseline_state.map(|state| match state {
            crate::finding::BaselineState::New => "new",
            crate::finding::BaselineState::Persisting => "unchanged",
        }),
        suppressions: f
            .waiver
            .iter()
            .map(|w| Suppression {
                kind: "external",
                status: "accepted",
                justification: format!("{} (until {})", w.reason, w.expires),
            })
            .collect(),
        properties,
    }
}

fn notifications(snapshot: &Snapshot, result: &ScanResult, keep: usize) -> Vec<Notification> {
    let mut notes = Vec::new();
    let total = result.findings.len();
    if keep < total {
        let lowest = result.findings[keep].severity;
        notes.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{total} findings exceed what GitHub code scanning accepts (25,000 results per run, 10 MB compressed); {} findings of severity {lowest} and below were left out of this file. The JSON report lists them all.",
                    total - keep
                ),
            },
            descriptor: DescriptorReference {
                id: "results-truncated",
            },
        });
    }
    if keep > SHOWN_RESULTS {
        notes.push(Notification {
            level: "warning",
            message: Text {
                text: format!("{keep} results: GitHub shows only the {SHOWN_RESULTS} most severe"),
            },
            descriptor: DescriptorReference {
                id: "results-over-display-limit",
            },
        });
    }
    for error in &result.policy_errors {
        notes.push(Notification {
            level: "error",
            message: Text {
                text: non_empty(error.to_string(), "policy error"),
            },
            descriptor: DescriptorReference { id: "policy-error" },
        });
    }
    for f in result.findings.iter().filter(|f| f.coverage) {
        notes.push(Notification {
            level: "warning",
            message: Text {
                text: non_empty(
                    format!("{} ({})", f.message.trim(), f.resource),
                    "not assessed",
                ),
            },
            descriptor: DescriptorReference { id: "not-assessed" },
        });
    }
    // The coverage rule turns every collection error into a not-assessed finding; list the raw
    // errors only when no coverage rule ran (e.g. `--no-builtin-rules`), so gaps never vanish.
    let coverage_ran = result.rules.iter().any(|r| r.kind == RuleKind::Coverage);
    for e in snapshot.scan.errors.iter().filter(|_| !coverage_ran) {
        notes.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "collection error in account {} region {}: {}:{} {}: {}",
                    e.account_id.as_deref().unwrap_or("-"),
                    e.region.as_deref().unwrap_or("global"),
                    e.service,
                    e.operation,
                    e.code,
                    e.message
                ),
            },
            descriptor: DescriptorReference {
                id: "collection-error",
            },
        });
    }
    notes
}

fn non_empty(text: String, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}

/// The synthetic artifact path of a resource:
/// `<prefix>/<account>/<region|global>/<service>/<resource-type>/<id…>`.
///
/// Deterministic (alerts keep their path across scans), scheme-less and relative (GitHub
/// rejects other schemes), every segment percent-encoded so no `:` or `..` survives. Resources
/// outside the standard `aws` partition get the partition as an extra segment after the prefix
/// (`aws/aws-cn/…`; account ids are digits, so the two shapes cannot collide). Anything that is
/// not an ARN goes under `<prefix>/_/`.
pub fn artifact_path(prefix: &str, arn: &str) -> String {
    let prefix = prefix.trim_matches('/');
    let mut segments: Vec<String> = prefix
        .split('/')
        .filter(|s| !s.is_empty())
        .map(encode_segment)
        .collect();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, region, account, resource] => {
            if *partition != "aws" {
                segments.push(encode_segment(partition));
            }
            segments.push(encode_segment(if account.is_empty() {
                "_"
            } else {
                account
            }));
            segments.push(encode_segment(if region.is_empty() {
                "global"
            } else {
                region
            }));
            segments.push(encode_segment(service));
            // `type/id/…` or `type:id` (both forms exist); an id-only resource has no type.
            let (kind, id) = match resource.find(['/', ':']) {
                Some(at) => (&resource[..at], &resource[at + 1..]),
                None => ("_", *resource),
            };
            segments.push(encode_segment(kind));
            segments.extend(id.split('/').map(encode_segment));
        }
        _ => {
            segments.push("_".to_owned());
            segments.push(encode_segment(arn));
        }
    }
    segments.join("/")
}

/// A template path as a relative URI reference: each segment percent-encoded, `/` kept.
fn template_uri(path: &str) -> String {
    path.split('/')
        .map(super::percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes everything but RFC 3986 unreserved characters; empty, `.` and `..`
/// segments become `_`, `%2E`, `%2E%2E` so no path normalisation can move the location.
fn encode_segment(segment: &str) -> String {
    match segment {
        "" => return "_".to_owned(),
        "." => return "%2E".to_owned(),
        ".." => return "%2E%2E".to_owned(),
        _ => {}
    }
    super::percent_encode(segment)
}

/// `saml-trust-references-missing-provider` → `SamlTrustReferencesMissingProvider`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// At most `max` characters, ending in `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_paths_are_deterministic_and_scheme_less() {
        let cases = [
            (
                "arn:aws:connect:us-east-1:200000000003:instance/9a8b",
                "aws/200000000003/us-east-1/connect/instance/9a8b",
            ),
            (
                "arn:aws:iam::300000000001:role/path/ConnectFederation",
                "aws/300000000001/global/iam/role/path/ConnectFederation",
            ),
            (
                "arn:aws-cn:iam::300000000001:saml-provider/Okta",
                "aws/aws-cn/300000000001/global/iam/saml-provider/Okta",
            ),
            (
                "arn:aws:lambda:eu-west-1:1:function:f:1",
                "aws/1/eu-west-1/lambda/function/f%3A1",
            ),
            ("arn:aws:s3:::bucket", "aws/_/global/s3/_/bucket"),
            (
                "arn:aws:iam::1:role/../x y",
                "aws/1/global/iam/role/%2E%2E/x%20y",
            ),
            ("not an arn", "aws/_/not%20an%20arn"),
        ];
        for (arn, path) in cases {
            assert_eq!(artifact_path("aws", arn), path, "{arn}");
        }
        assert_eq!(
            artifact_path("/cloud/", "arn:aws:s3:::b"),
            "cloud/_/global/s3/_/b"
        );
    }

    #[test]
    fn severities_map_to_levels_and_scores() {
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(security_severity(Severity::Critical), "9.5");
        assert_eq!(
            pascal_case("idp-signing-cert-expired"),
            "IdpSigningCertExpired"
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
