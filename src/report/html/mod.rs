//! The HTML report: one self-contained file a security team can open, forward and archive.
//!
//! Every string from AWS is attacker-controlled (account and OU names, tags, instance
//! aliases, policy text, SAML metadata), so the page is built to stay inert whatever it holds:
//!
//! - the template (`reports/templates/report.html`) is compiled by askama, which escapes
//!   every interpolation for HTML; nothing untrusted goes through `|safe`;
//! - the data the script needs travels in a `<script type="application/json">` island with
//!   `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, so no value can close the
//!   element; the script reads it with `JSON.parse` and renders with `textContent` only;
//! - a Content-Security-Policy meta tag, first in `<head>`, allows exactly one script and one
//!   style by their SHA-256 hashes (computed here from the embedded assets) and nothing else:
//!   no network, no inline handlers, no `style=""`, no forms, no `<base>`;
//! - the only links are to the AWS console, built from validated ARN parts behind a fixed
//!   `https://console.aws.amazon.com/` prefix and percent-encoded.
//!
//! The findings table and every section are rendered server-side, so the report reads
//! without JavaScript; the script only filters and searches. The output is deterministic: the
//! only time in it is the snapshot's.

use askama::Template;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::facts::InstanceFacts;
use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

mod chains;
mod findings;
mod inert;
mod overview;

use chains::{InstanceView, instance_view};
use findings::{FindingView, RuleView, data, finding_views, rule_views};
pub use inert::{console_link, content_security_policy, csp_hash, script_json};
use overview::{OuGroup, Scope, Summary, ou_groups, scope, summary};

/// The report's only script, embedded verbatim and allowed by its hash.
pub const SCRIPT: &str = include_str!("../../../reports/assets/report.js");
/// The report's only style sheet, embedded verbatim and allowed by its hash.
pub const STYLE: &str = include_str!("../../../reports/assets/report.css");

/// Every console link starts with this; nothing else in the report points outside it.
pub const CONSOLE: &str = "https://console.aws.amazon.com/";

/// How much of a large organization the page shows in full. A 10,000-account organization
/// has tens of thousands of findings: rendered with their details, a page of hundreds of MB
/// that no browser opens comfortably. The summary, account matrix and rules catalog always
/// count everything; beyond these limits the page lists the most severe findings and the
/// instances with broken chains first, and says how many it leaves to the JSON and SARIF
/// reports.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Findings listed (most severe first).
    pub findings: usize,
    /// Instance cards shown (broken chains first).
    pub instances: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            findings: 5_000,
            instances: 1_000,
        }
    }
}

/// Writes the report of `result` for `snapshot`. The identity chains are described from the
/// scan's facts and judged by its findings only.
pub fn write(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
) -> std::io::Result<()> {
    // Straight into the writer: the page of a large organization is tens of megabytes, and
    // a string grown to that size was copied and faulted in again at every doubling.
    page(snapshot, result, Limits::default()).write_into(out)
}

/// Renders the report to a string.
pub fn render(snapshot: &Snapshot, result: &ScanResult) -> Result<String, askama::Error> {
    render_within(snapshot, result, Limits::default())
}

/// Renders the report, listing at most what `limits` allow.
pub fn render_within(
    snapshot: &Snapshot,
    result: &ScanResult,
    limits: Limits,
) -> Result<String, askama::Error> {
    page(snapshot, result, limits).render()
}

/// The page to render, with the phase timing the benchmarks read.
fn page(snapshot: &Snapshot, result: &ScanResult, limits: Limits) -> Page {
    let page = Page::build(snapshot, result, limits);
    crate::timings::mark("html: page built");
    page
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Pass/fail of one link of an identity chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// Not applicable or informational.
    Info,
    /// Fine.
    Pass,
    /// Needs attention soon (expiring, undecidable).
    Warn,
    /// Broken.
    Fail,
}

impl Status {
    fn class(self) -> &'static str {
        match self {
            Status::Info => "info",
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Status::Info => "n/a",
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// The page as the template renders it: the top (`overview`), the identity chains
/// (`chains`), then the findings and the rules catalog (`findings`).
#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    csp: String,
    style: &'static str,
    script: &'static str,
    data_json: String,
    tool_version: &'static str,
    scope: Scope,
    summary: Summary,
    ou_groups: Vec<OuGroup>,
    instances: Vec<InstanceView>,
    /// Instances beyond [`Limits::instances`], not shown.
    instances_hidden: usize,
    findings: Vec<FindingView>,
    /// Findings beyond [`Limits::findings`], not listed.
    findings_hidden: usize,
    /// Baseline findings that are gone (`--baseline`), as `rule: resource`.
    fixed: Option<Vec<String>>,
    rules: Vec<RuleView>,
    policy_errors: Vec<String>,
}

/// A finding as the summary and the chain cards point to it.
struct FindingRef {
    fingerprint: String,
    severity: &'static str,
    severity_label: &'static str,
    title: String,
    resource: String,
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Critical => 0,
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
    }
}

fn finding_ref(f: &Finding) -> FindingRef {
    FindingRef {
        fingerprint: f.fingerprint(),
        severity: f.severity.as_str(),
        severity_label: severity_label(f.severity),
        title: f.title.clone(),
        resource: short_resource(&f.resource),
    }
}

/// The resource part of an ARN (after the fifth colon); the full ARN is shown beside it.
fn short_resource(arn: &str) -> String {
    arn.splitn(6, ':').nth(5).unwrap_or(arn).to_owned()
}

fn account_label(name: Option<&str>, id: &str) -> String {
    match name {
        Some(name) => format!("{name} ({id})"),
        None => id.to_owned(),
    }
}

impl Page {
    fn build(snapshot: &Snapshot, result: &ScanResult, limits: Limits) -> Page {
        let facts = &result.facts;
        // The sections are independent views of one scan: a large organization's are built
        // side by side (10,000 instance views, 5,000 findings and the script's data each
        // took tens of milliseconds or more on one thread).
        let ((mut instances, findings), (data_json, (ou_groups, rules))) = rayon::join(
            || {
                rayon::join(
                    || {
                        let judge = result.judge();
                        let all: Vec<&InstanceFacts> = facts.instances.values().collect();
                        all.par_iter()
                            .map(|i| instance_view(i, facts, &judge))
                            .collect::<Vec<InstanceView>>()
                    },
                    || finding_views(result, limits.findings),
                )
            },
            || {
                rayon::join(
                    || script_json(&data(result, facts, limits.findings)),
                    || {
                        rayon::join(
                            || ou_groups(facts, snapshot, result),
                            || rule_views(&result.rules, &result.findings),
                        )
                    },
                )
            },
        );
        let summary = summary(result, &instances);
        let instances_hidden = instances.len().saturating_sub(limits.instances);
        if instances_hidden > 0 {
            // Broken chains first (stable: organization order within a status).
            instances.sort_by_key(|i| std::cmp::Reverse(i.overall));
            instances.truncate(limits.instances);
        }
        // In organization order, like the account matrix above them.
        instances.sort_by(|a, b| {
            (&a.ou, &a.account, &a.title, &a.region).cmp(&(&b.ou, &b.account, &b.title, &b.region))
        });
        let findings_hidden = result.findings.len() - findings.len();
        Page {
            csp: content_security_policy(),
            style: STYLE,
            script: SCRIPT,
            data_json,
            tool_version: env!("CARGO_PKG_VERSION"),
            scope: scope(snapshot, facts, result),
            summary,
            ou_groups,
            instances,
            instances_hidden,
            findings,
            findings_hidden,
            fixed: result.fixed.as_ref().map(|fixed| {
                fixed
                    .iter()
                    .map(|f| format!("{}: {}", f.rule_id, f.resource))
                    .collect()
            }),
            rules,
            policy_errors: result
                .policy_errors
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
