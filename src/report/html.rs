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

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::{RuleKind, RuleMetadata};
use crate::facts::{
    EMERGENCY_ACCESS_ACTIONS, Facts, INSTANCE_DELETION_ACTIONS, InstanceFacts,
    ROLE_TAMPERING_ACTIONS, RoleFacts,
};
use crate::finding::{Finding, Severity};
use crate::iam::{ChainDecision, Decision};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;
use crate::verdict::{Judge, Rules, Verdict};

/// The report's only script, embedded verbatim and allowed by its hash.
pub const SCRIPT: &str = include_str!("../../reports/assets/report.js");
/// The report's only style sheet, embedded verbatim and allowed by its hash.
pub const STYLE: &str = include_str!("../../reports/assets/report.css");

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

/// Evidence longer than this is cut in the HTML (the JSON report keeps all of it), so one
/// huge policy document cannot make the page unusable.
const EVIDENCE_LIMIT: usize = 20_000;

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

/// The CSP source for an inline element: `'sha256-<base64 of the body's SHA-256>'`.
pub fn csp_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of the report.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; \
         form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` become JSON `\u` escapes,
/// so neither `</script>` nor `<!--` can appear, and `JSON.parse` restores them.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut safe = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// The AWS console page of a resource, or None when the ARN is not one we link or any part of
/// it does not look like what AWS issues. Built only from parsed parts, each percent-encoded,
/// behind the fixed [`CONSOLE`] prefix.
pub fn console_link(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", "aws", service, region, account, resource] = parts[..] else {
        return None;
    };
    let account_ok = account.is_empty() || is_account_id(account);
    if !account_ok {
        return None;
    }
    match service {
        "connect" => {
            let id = resource.strip_prefix("instance/")?;
            (is_token(id) && is_region(region)).then(|| {
                format!(
                    "{CONSOLE}connect/v2/app/instances/{}?region={}",
                    encode(id),
                    encode(region)
                )
            })
        }
        "iam" => {
            if let Some(path) = resource.strip_prefix("role/") {
                let name = path.rsplit('/').next().filter(|n| !n.is_empty())?;
                Some(format!("{CONSOLE}iam/home#/roles/details/{}", encode(name)))
            } else if resource.starts_with("saml-provider/") {
                Some(format!(
                    "{CONSOLE}iam/home#/identity_providers/details/SAML/{}",
                    encode(arn)
                ))
            } else {
                None
            }
        }
        "organizations" => {
            let id = resource.strip_prefix("account/")?.rsplit('/').next()?;
            is_account_id(id)
                .then(|| format!("{CONSOLE}organizations/v2/home/accounts/{}", encode(id)))
        }
        _ => None,
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

struct Scope {
    org_id: String,
    org_link: Option<String>,
    management: String,
    snapshot_iso: String,
    snapshot_time: String,
    collection_seconds: Option<i64>,
    scanner: Option<String>,
    snapshot_tool: Option<String>,
    regions: Vec<String>,
    accounts_total: usize,
    accounts_assessed: usize,
    accounts_partial: usize,
    accounts_not_assessed: usize,
    instances: usize,
    rules: usize,
    gaps: Vec<Gap>,
}

/// An account (or the organization) that was not fully assessed, and why.
struct Gap {
    account: String,
    status: &'static str,
    status_label: &'static str,
    region: String,
    call: String,
    code: String,
    message: String,
}

struct Summary {
    total: usize,
    posture: usize,
    coverage: usize,
    cards: Vec<SeverityCard>,
    /// Segments of the stacked severity bar, widths in SVG user units out of 1000.
    bar: Vec<BarSegment>,
    rules_failing: usize,
    rules_total: usize,
    instances_failing: usize,
    instances_total: usize,
    top: Vec<FindingRef>,
}

struct SeverityCard {
    key: &'static str,
    label: &'static str,
    count: usize,
}

struct BarSegment {
    key: &'static str,
    x: usize,
    width: usize,
}

/// A severity column of the account matrix.
struct CountCell {
    key: &'static str,
    count: usize,
}

fn cells(counts: [usize; 4]) -> Vec<CountCell> {
    Severity::ALL_DESC
        .iter()
        .map(|s| CountCell {
            key: s.as_str(),
            count: counts[severity_index(*s)],
        })
        .collect()
}

struct OuGroup {
    path: String,
    counts: [usize; 4],
    cells: Vec<CountCell>,
    total: usize,
    accounts: Vec<AccountRow>,
}

struct AccountRow {
    id: String,
    name: String,
    state: String,
    management: bool,
    coverage: &'static str,
    coverage_label: &'static str,
    cells: Vec<CountCell>,
    total: usize,
    link: Option<String>,
}

struct FindingRef {
    fingerprint: String,
    severity: &'static str,
    severity_label: &'static str,
    title: String,
    resource: String,
}

struct InstanceView {
    title: String,
    id: String,
    arn: String,
    link: Option<String>,
    account: String,
    ou: String,
    region: String,
    status: String,
    production: Option<String>,
    gr_planned: Option<String>,
    replicated: bool,
    overall: Status,
    findings: Vec<FindingRef>,
    identity_type: String,
    identity_status: Status,
    identity_note: String,
    saml: bool,
    providers: Vec<ProviderView>,
    providers_note: Option<Note>,
    providers_status: Status,
    roles: Vec<RoleView>,
    roles_status: Status,
    protections: Vec<Protection>,
    protections_status: Status,
}

/// A status with one sentence, where a chain link has nothing to list.
struct Note {
    status: Status,
    text: String,
}

struct ProviderView {
    name: String,
    arn: String,
    link: Option<String>,
    entity_id: Option<String>,
    expires: Option<String>,
    expires_iso: Option<String>,
    days: Option<i64>,
    source: Option<String>,
    status: Status,
    note: String,
    findings: Vec<FindingRef>,
}

struct RoleView {
    name: String,
    arn: String,
    link: Option<String>,
    trust: Vec<String>,
    grants: Vec<String>,
    status: Status,
    findings: Vec<FindingRef>,
}

struct Protection {
    name: &'static str,
    actions: String,
    status: Status,
    decision: String,
    reason: String,
}

struct FindingView {
    index: usize,
    fingerprint: String,
    severity: &'static str,
    severity_label: &'static str,
    rule_id: String,
    code: String,
    title: String,
    account: String,
    ou: String,
    region: String,
    resource: String,
    resource_short: String,
    message: String,
    evidence: Option<String>,
    remediation: String,
    rationale: Option<String>,
    link: Option<String>,
    coverage: bool,
    /// `new` or `persisting` when compared with a baseline, empty otherwise.
    baseline: &'static str,
    /// `until <date>: <reason>` when a waiver accepts the finding.
    waiver: Option<String>,
}

struct RuleView {
    id: String,
    code: String,
    title: String,
    severity: &'static str,
    severity_label: &'static str,
    coverage: bool,
    description: String,
    rationale: Option<String>,
    remediation: String,
    basis: &'static str,
    sources: Vec<crate::engine::Source>,
    beyond_aws: Option<String>,
    references: Vec<String>,
    count: usize,
}

/// What the script needs, in the same order as the rendered rows.
#[derive(Serialize)]
struct Data {
    severities: Vec<Choice>,
    rules: Vec<Choice>,
    accounts: Vec<Choice>,
    ous: Vec<Choice>,
    findings: Vec<FindingData>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct FindingData {
    severity: &'static str,
    rule: String,
    account: String,
    ou: String,
    /// Lower-case text the search box matches against.
    text: String,
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

/// Coverage of an account: (css class, label). An account without collected resources was not
/// assessed, whatever the reason (suspended, role not assumable); the gaps table says why.
fn coverage(snapshot: &Snapshot, id: &str) -> (&'static str, &'static str) {
    let errors = snapshot
        .scan
        .errors
        .iter()
        .any(|e| e.account_id.as_deref() == Some(id));
    let collected = snapshot.accounts.contains_key(id);
    match (collected, errors) {
        (true, false) => ("pass", "assessed"),
        (true, true) => ("warn", "partial"),
        (false, _) => ("fail", "not assessed"),
    }
}

fn scope(snapshot: &Snapshot, facts: &Facts, result: &ScanResult) -> Scope {
    let org = &snapshot.organization;
    let mut assessed = 0;
    let mut partial = 0;
    let mut not_assessed = 0;
    for account in facts.accounts.values() {
        match coverage(snapshot, &account.id).0 {
            "pass" => assessed += 1,
            "warn" => partial += 1,
            _ => not_assessed += 1,
        }
    }
    let gaps = facts
        .not_assessed
        .iter()
        .map(|gap| {
            let e = &gap.error;
            let (status, status_label) = match &e.account_id {
                Some(id) => coverage(snapshot, id),
                None => ("fail", "organization"),
            };
            Gap {
                account: match &e.account_id {
                    Some(id) => account_label(gap.account_name.as_deref(), id),
                    None => "Organization".to_owned(),
                },
                status,
                status_label,
                region: e.region.clone().unwrap_or_else(|| "all".to_owned()),
                call: format!("{}:{}", e.service, e.operation),
                code: e.code.clone(),
                message: e.message.clone(),
            }
        })
        .collect();
    let management = facts
        .accounts
        .get(&org.management_account_id)
        .map(|a| account_label(Some(&a.name), &a.id))
        .unwrap_or_else(|| org.management_account_id.clone());
    Scope {
        org_id: org.id.clone(),
        org_link: org
            .id
            .starts_with("o-")
            .then(|| format!("{CONSOLE}organizations/v2/home/accounts"))
            .filter(|_| is_token(&org.id)),
        management,
        snapshot_iso: iso(snapshot.scan.started_at),
        snapshot_time: time(snapshot.scan.started_at),
        collection_seconds: snapshot
            .scan
            .finished_at
            .map(|f| (f - snapshot.scan.started_at).num_seconds()),
        scanner: snapshot.scan.scanner_principal_arn.clone(),
        snapshot_tool: snapshot.scan.tool_version.clone(),
        regions: snapshot.scan.regions.clone(),
        accounts_total: facts.accounts.len(),
        accounts_assessed: assessed,
        accounts_partial: partial,
        accounts_not_assessed: not_assessed,
        instances: facts.instances.len(),
        rules: result.rules.len(),
        gaps,
    }
}

fn summary(result: &ScanResult, instances: &[InstanceView]) -> Summary {
    let mut counts = [0usize; 4];
    for f in &result.findings {
        counts[severity_index(f.severity)] += 1;
    }
    let total = result.findings.len();
    let cards: Vec<SeverityCard> = Severity::ALL_DESC
        .iter()
        .map(|s| SeverityCard {
            key: s.as_str(),
            label: severity_label(*s),
            count: counts[severity_index(*s)],
        })
        .collect();
    let mut bar = Vec::new();
    let mut x = 0;
    for card in &cards {
        if card.count == 0 {
            continue;
        }
        let width = card.count * 1000 / total.max(1);
        bar.push(BarSegment {
            key: card.key,
            x,
            width,
        });
        x += width;
    }
    // Integer division leaves a few units; give them to the last segment so the bar is full.
    if let Some(last) = bar.last_mut() {
        last.width += 1000 - x;
    }
    let failing: BTreeSet<&str> = result.findings.iter().map(|f| f.rule_id.as_str()).collect();
    Summary {
        total,
        posture: result.findings.iter().filter(|f| !f.coverage).count(),
        coverage: result.findings.iter().filter(|f| f.coverage).count(),
        cards,
        bar,
        rules_failing: failing.len(),
        rules_total: result.rules.len(),
        instances_failing: instances
            .iter()
            .filter(|i| i.overall == Status::Fail)
            .count(),
        instances_total: instances.len(),
        top: result
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Critical)
            .take(8)
            .map(finding_ref)
            .collect(),
    }
}

fn ou_groups(facts: &Facts, snapshot: &Snapshot, result: &ScanResult) -> Vec<OuGroup> {
    let mut groups: BTreeMap<&str, OuGroup> = BTreeMap::new();
    for account in facts.accounts.values() {
        let mut counts = [0usize; 4];
        for &position in result.index.in_account(&account.id) {
            counts[severity_index(result.findings[position].severity)] += 1;
        }
        let (coverage, coverage_label) = coverage(snapshot, &account.id);
        let group = groups
            .entry(account.ou_path.as_str())
            .or_insert_with(|| OuGroup {
                path: account.ou_path.clone(),
                counts: [0; 4],
                cells: Vec::new(),
                total: 0,
                accounts: Vec::new(),
            });
        for (sum, n) in group.counts.iter_mut().zip(counts) {
            *sum += n;
        }
        group.total += counts.iter().sum::<usize>();
        group.accounts.push(AccountRow {
            id: account.id.clone(),
            name: account.name.clone(),
            state: account.state.clone(),
            management: account.is_management,
            coverage,
            coverage_label,
            total: counts.iter().sum(),
            cells: cells(counts),
            link: console_link(&account.arn),
        });
    }
    let mut groups: Vec<OuGroup> = groups.into_values().collect();
    for group in &mut groups {
        group.cells = cells(group.counts);
        group
            .accounts
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }
    groups
}

fn scp_label(decision: Decision) -> &'static str {
    match decision {
        Decision::Denied => "denied",
        Decision::DeniedExcept => "denied except exempted principals",
        Decision::NotDenied => "not denied",
        Decision::Unknown => "undecided",
    }
}

/// Rules whose findings on an instance break its identity type.
const IDENTITY_RULES: &[&str] = &[
    "production-instance-not-saml",
    "gr-planned-instance-not-saml",
];
/// Rules whose findings on an instance concern its set of identity providers.
const PROVIDER_SET_RULES: &[&str] = &["backup-idp-not-independent"];
/// Rules whose findings on an instance concern its federation roles.
const ROLE_SET_RULES: &[&str] = &["federation-role-missing-or-duplicated"];
/// Findings on an instance in the management account, where no SCP protects anything.
const MANAGEMENT_RULE: &str = "connect-instance-in-management-account";
const DELETION_RULES: &[&str] = &["instance-deletion-not-denied-by-scp"];
const EMERGENCY_RULES: &[&str] = &[
    "emergency-access-not-restricted",
    "break-glass-path-missing",
];
const TAMPERING_RULES: &[&str] = &["federation-role-tampering-not-denied-by-scp"];

/// The status of a chain link, as the findings on it say. High and critical findings break
/// it; medium and low ones and waived findings ask for attention.
fn status(verdict: Verdict) -> Status {
    match verdict {
        Verdict::NotEvaluated => Status::Info,
        Verdict::Pass => Status::Pass,
        Verdict::Waived(_) => Status::Warn,
        Verdict::Fail(severity) if severity >= Severity::High => Status::Fail,
        Verdict::Fail(_) => Status::Warn,
    }
}

/// A protection: what the SCP analysis decided (description) and how the rules judged it.
fn protection(
    name: &'static str,
    actions: &[&str],
    decisions: &[&ChainDecision],
    verdict: Verdict,
    management: bool,
) -> Protection {
    let actions = actions.join(", ");
    // The least protective decision describes the link.
    let worst = decisions.iter().max_by_key(|d| match d.decision {
        Decision::Denied => 0,
        Decision::DeniedExcept => 1,
        Decision::Unknown => 2,
        Decision::NotDenied => 3,
    });
    let (decision, reason) = match worst {
        _ if management => (
            "not denied".to_owned(),
            "SCPs never apply to the management account.".to_owned(),
        ),
        None => (
            "not evaluated".to_owned(),
            "Nothing to protect here.".to_owned(),
        ),
        Some(d) => (scp_label(d.decision).to_owned(), d.reason.clone()),
    };
    Protection {
        name,
        actions,
        // Nothing was asked (no federation role to protect, say): not applicable, not a pass.
        status: if worst.is_none() && !management {
            Status::Info
        } else {
            status(verdict)
        },
        decision,
        reason,
    }
}

fn instance_view(instance: &InstanceFacts, facts: &Facts, judge: &Judge<'_>) -> InstanceView {
    let refs = |arn: &str| -> Vec<FindingRef> {
        judge.findings(arn, Rules::All).map(finding_ref).collect()
    };
    let arn = instance.arn.as_str();
    let account = facts.accounts.get(&instance.account_id);
    let saml = instance.identity_management_type == "SAML";
    let identity_verdict = judge.verdict([arn], Rules::Only(IDENTITY_RULES));
    let identity_status = match identity_verdict {
        Verdict::Pass | Verdict::NotEvaluated if !saml => Status::Info,
        verdict => status(verdict),
    };
    let identity_note = if saml {
        "Agents sign in through a SAML identity provider."
    } else if matches!(identity_verdict, Verdict::Fail(_) | Verdict::Waived(_)) {
        "No SAML federation on a production or Global Resiliency instance; the type is fixed at \
         creation."
    } else {
        "No SAML federation; the chain below does not apply."
    }
    .to_owned();

    let roles: Vec<&RoleFacts> = instance
        .federation_roles
        .iter()
        .filter_map(|arn| facts.roles.get(arn))
        .collect();
    let role_arns: Vec<&str> = roles.iter().map(|r| r.arn.as_str()).collect();
    let providers: Vec<ProviderView> = instance
        .trusted_providers
        .iter()
        .map(|provider| provider_view(provider, facts, judge, &roles))
        .collect();
    let role_set = status(judge.verdict([arn], Rules::Only(ROLE_SET_RULES)));
    let provider_set = status(judge.verdict([arn], Rules::Only(PROVIDER_SET_RULES)));
    let providers_note = if !saml {
        Some(Note {
            status: Status::Info,
            text: "Not applicable to this identity type.".to_owned(),
        })
    } else if roles.is_empty() {
        Some(Note {
            status: role_set,
            text: "No role both trusts a SAML provider and may call \
                   connect:GetFederationToken for this instance, so nobody can federate into it."
                .to_owned(),
        })
    } else {
        None
    };
    let role_views: Vec<RoleView> = roles
        .iter()
        .map(|r| {
            role_view(
                r,
                refs(&r.arn),
                status(judge.verdict([r.arn.as_str()], Rules::All)),
            )
        })
        .collect();

    let management = instance.in_management_account;
    let decisions = |actions: &[&str]| -> Vec<&ChainDecision> {
        actions
            .iter()
            .filter_map(|a| instance.scp.get(*a))
            .filter_map(|id| facts.scp_decisions.get(id))
            .collect()
    };
    let role_decisions: Vec<&ChainDecision> = roles
        .iter()
        .flat_map(|r| ROLE_TAMPERING_ACTIONS.iter().filter_map(|a| r.scp.get(*a)))
        .filter_map(|id| facts.scp_decisions.get(id))
        .collect();
    // In the management account no SCP protects anything, and one rule says so for all three
    // protections; elsewhere each protection has its own rules.
    let protection_verdict = |resources: &[&str], rules: &[&str]| {
        if management {
            judge.verdict([arn], Rules::Only(&[MANAGEMENT_RULE]))
        } else {
            judge.verdict(resources.iter().copied(), Rules::Only(rules))
        }
    };
    let mut emergency = protection(
        "Emergency access",
        &EMERGENCY_ACCESS_ACTIONS,
        &decisions(&EMERGENCY_ACCESS_ACTIONS),
        protection_verdict(&[arn], EMERGENCY_RULES),
        management,
    );
    if !saml {
        // Emergency access is the sign-in that bypasses a SAML identity provider; no rule
        // judges it on other identity types.
        emergency.status = Status::Info;
        emergency.reason = "Emergency access exists for SAML instances only.".to_owned();
    }
    let mut protections = vec![
        protection(
            "Instance deletion",
            &INSTANCE_DELETION_ACTIONS,
            &decisions(&INSTANCE_DELETION_ACTIONS),
            protection_verdict(&[arn], DELETION_RULES),
            management,
        ),
        emergency,
    ];
    let mut tampering = protection(
        "Federation role tampering",
        &ROLE_TAMPERING_ACTIONS,
        &role_decisions,
        protection_verdict(&role_arns, TAMPERING_RULES),
        management && !roles.is_empty(),
    );
    if roles.is_empty() {
        tampering.reason = "No federation role to protect.".to_owned();
    }
    protections.push(tampering);

    let providers_status = if !saml {
        Status::Info
    } else {
        providers
            .iter()
            .map(|p| p.status)
            .chain(providers_note.iter().map(|n| n.status))
            .chain([provider_set])
            .max()
            .unwrap_or(Status::Info)
    };
    let roles_status = if !saml {
        Status::Info
    } else {
        role_views
            .iter()
            .map(|r| r.status)
            .chain([role_set])
            .max()
            .unwrap_or(Status::Pass)
    };
    let protections_status = protections
        .iter()
        .map(|p| p.status)
        .max()
        .unwrap_or(Status::Info);
    let findings = refs(arn);
    let overall = [
        identity_status,
        providers_status,
        roles_status,
        protections_status,
        status(judge.verdict([arn], Rules::All)),
    ]
    .into_iter()
    .max()
    .unwrap_or(Status::Info);
    InstanceView {
        title: instance
            .alias
            .clone()
            .unwrap_or_else(|| instance.id.clone()),
        id: instance.id.clone(),
        arn: instance.arn.clone(),
        link: console_link(&instance.arn),
        account: account_label(account.map(|a| a.name.as_str()), &instance.account_id),
        ou: account.map(|a| a.ou_path.clone()).unwrap_or_default(),
        region: instance.region.clone(),
        status: instance.status.clone(),
        production: instance.production_reason.clone(),
        gr_planned: instance.gr_planned_reason.clone(),
        replicated: instance.replicated,
        overall: if overall == Status::Info {
            Status::Pass
        } else {
            overall
        },
        findings,
        identity_type: instance.identity_management_type.clone(),
        identity_status,
        identity_note,
        saml,
        providers,
        providers_note,
        providers_status,
        roles: role_views,
        roles_status,
        protections,
        protections_status,
    }
}

/// A trusted provider: described from the facts, judged by the findings on it (or, for a
/// provider that does not exist, by the findings on the roles that trust it).
fn provider_view(
    arn: &str,
    facts: &Facts,
    judge: &Judge<'_>,
    roles: &[&RoleFacts],
) -> ProviderView {
    let findings: Vec<FindingRef> = judge.findings(arn, Rules::All).map(finding_ref).collect();
    let name = arn.rsplit('/').next().unwrap_or(arn).to_owned();
    let Some(p) = facts.saml_providers.get(arn) else {
        let trusting = roles
            .iter()
            .filter(|r| r.missing_providers.iter().any(|m| m == arn))
            .map(|r| r.arn.as_str());
        return ProviderView {
            name,
            arn: arn.to_owned(),
            link: None,
            entity_id: None,
            expires: None,
            expires_iso: None,
            days: None,
            source: None,
            status: status(judge.verdict(
                trusting,
                Rules::Only(&["saml-trust-references-missing-provider"]),
            )),
            note: "Trusted by a federation role but does not exist in the account.".to_owned(),
            findings,
        };
    };
    let note = match (&p.parse_error, p.days_until_expiry) {
        (Some(error), _) => format!("Metadata unreadable: {error}"),
        (None, _) if p.expired => "Expired: sign-in fails.".to_owned(),
        (None, Some(1)) => "Signing certificate valid for 1 more day.".to_owned(),
        (None, Some(days)) => format!("Signing certificate valid for {days} more days."),
        (None, None) => "No expiry could be determined.".to_owned(),
    };
    ProviderView {
        name: p.name.clone(),
        arn: p.arn.clone(),
        link: console_link(&p.arn),
        entity_id: p.entity_id.clone(),
        expires: p.expires_at.map(time),
        expires_iso: p.expires_at.map(iso),
        days: p.days_until_expiry,
        source: p.expiry_source.clone(),
        status: status(judge.verdict([arn], Rules::All)),
        note,
        findings,
    }
}

fn role_view(role: &RoleFacts, findings: Vec<FindingRef>, status: Status) -> RoleView {
    let mut trust = Vec::new();
    if let Some(error) = &role.trust.parse_error {
        trust.push(format!("Trust policy unreadable: {error}"));
    }
    for statement in &role.trust.saml_statements {
        let audiences: Vec<String> = statement
            .audience_conditions
            .iter()
            .map(|c| format!("{} SAML:aud {}", c.operator, c.values.join(", ")))
            .collect();
        trust.push(format!(
            "Statement {}: sts:AssumeRoleWithSAML; {}",
            statement
                .sid
                .clone()
                .unwrap_or_else(|| format!("#{}", statement.index)),
            if audiences.is_empty() {
                "no SAML:aud condition".to_owned()
            } else {
                audiences.join("; ")
            }
        ));
    }
    for provider in &role.trust.saml_providers {
        let missing = role.missing_providers.contains(provider);
        trust.push(format!(
            "Trusts {provider}{}",
            if missing { " (missing)" } else { "" }
        ));
    }
    for other in &role.trust.other_grants {
        trust.push(format!(
            "Also trusts {} (statement {})",
            other.principal,
            other
                .sid
                .clone()
                .unwrap_or_else(|| format!("#{}", other.index))
        ));
    }
    let grants = role
        .federation_grants
        .iter()
        .map(|g| {
            format!(
                "{} in {}: {} on {} ({}{})",
                g.sid.clone().unwrap_or_else(|| format!("#{}", g.index)),
                g.policy,
                g.actions.join(", "),
                g.resources.join(", "),
                g.form.replace('_', " "),
                if g.broad_action {
                    ", wildcard action"
                } else {
                    ""
                }
            )
        })
        .collect();
    RoleView {
        name: role.name.clone(),
        arn: role.arn.clone(),
        link: console_link(&role.arn),
        trust,
        grants,
        status,
        findings,
    }
}

fn finding_views(result: &ScanResult, limit: usize) -> Vec<FindingView> {
    let rules: BTreeMap<&str, &RuleMetadata> =
        result.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    result
        .findings
        .iter()
        .take(limit)
        .enumerate()
        .map(|(index, f)| {
            let rule = rules.get(f.rule_id.as_str());
            FindingView {
                index,
                fingerprint: f.fingerprint(),
                severity: f.severity.as_str(),
                severity_label: severity_label(f.severity),
                rule_id: f.rule_id.clone(),
                code: f.code.clone().unwrap_or_default(),
                title: f.title.clone(),
                account: match &f.account_id {
                    Some(id) => account_label(f.account_name.as_deref(), id),
                    None => String::new(),
                },
                ou: f.ou_path.clone().unwrap_or_default(),
                region: f.region.clone().unwrap_or_default(),
                resource: f.resource.clone(),
                resource_short: short_resource(&f.resource),
                message: f.message.clone(),
                evidence: f.details.as_ref().map(evidence),
                remediation: rule.map(|r| r.remediation.clone()).unwrap_or_default(),
                rationale: rule.and_then(|r| r.rationale.clone()),
                link: console_link(&f.resource),
                coverage: f.coverage,
                baseline: match f.baseline_state {
                    Some(crate::finding::BaselineState::New) => "new",
                    Some(crate::finding::BaselineState::Persisting) => "persisting",
                    None => "",
                },
                waiver: f.waiver.as_ref().map(|w| {
                    let owner = w
                        .owner
                        .as_deref()
                        .map(|o| format!(" (owner {o})"))
                        .unwrap_or_default();
                    format!("until {}: {}{owner}", w.expires, w.reason)
                }),
            }
        })
        .collect()
}

fn evidence(details: &regorus::Value) -> String {
    let pretty = serde_json::to_string_pretty(details).unwrap_or_default();
    if pretty.len() <= EVIDENCE_LIMIT {
        return pretty;
    }
    let mut cut = EVIDENCE_LIMIT;
    while !pretty.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}\n… ({} more characters in the JSON report)",
        &pretty[..cut],
        pretty.len() - cut
    )
}

fn rule_views(rules: &[RuleMetadata], findings: &[Finding]) -> Vec<RuleView> {
    let mut views: Vec<RuleView> = rules
        .iter()
        .map(|r| RuleView {
            id: r.id.clone(),
            code: r.code.clone().unwrap_or_default(),
            title: r.title.clone(),
            severity: r.severity.as_str(),
            severity_label: severity_label(r.severity),
            coverage: r.kind == RuleKind::Coverage,
            description: r.description.clone(),
            rationale: r.rationale.clone(),
            remediation: r.remediation.clone(),
            basis: r.basis.label(),
            sources: r.sources.clone(),
            beyond_aws: r.beyond_aws.clone(),
            references: r.references.clone(),
            count: findings.iter().filter(|f| f.rule_id == r.id).count(),
        })
        .collect();
    // Most severe first, then by catalog code, so the catalog reads like the findings.
    views.sort_by(|a, b| {
        (std::cmp::Reverse(severity_rank(a.severity)), &a.code, &a.id).cmp(&(
            std::cmp::Reverse(severity_rank(b.severity)),
            &b.code,
            &b.id,
        ))
    });
    views
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 3,
        "high" => 2,
        "medium" => 1,
        _ => 0,
    }
}

fn data(result: &ScanResult, facts: &Facts, limit: usize) -> Data {
    let severities = Severity::ALL_DESC
        .iter()
        .filter(|s| result.findings.iter().any(|f| f.severity == **s))
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: severity_label(*s).to_owned(),
        })
        .collect();
    let mut rules: BTreeMap<&str, String> = BTreeMap::new();
    let mut accounts: BTreeMap<&str, String> = BTreeMap::new();
    let mut ous: BTreeSet<&str> = BTreeSet::new();
    for f in &result.findings {
        rules.insert(
            &f.rule_id,
            match &f.code {
                Some(code) => format!("{code} {}", f.rule_id),
                None => f.rule_id.clone(),
            },
        );
        if let Some(id) = &f.account_id {
            let name = facts.accounts.get(id).map(|a| a.name.as_str());
            accounts.insert(id, account_label(name, id));
        }
        if let Some(ou) = &f.ou_path {
            ous.insert(ou);
        }
    }
    let mut accounts: Vec<Choice> = accounts
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_owned(),
            label,
        })
        .collect();
    accounts.sort_by(|a, b| a.label.cmp(&b.label));
    Data {
        severities,
        rules: rules
            .into_iter()
            .map(|(value, label)| Choice {
                value: value.to_owned(),
                label,
            })
            .collect(),
        accounts,
        ous: ous
            .into_iter()
            .map(|ou| Choice {
                value: ou.to_owned(),
                label: ou.to_owned(),
            })
            .collect(),
        findings: result
            .findings
            .iter()
            .take(limit)
            .map(|f| FindingData {
                severity: f.severity.as_str(),
                rule: f.rule_id.clone(),
                account: f.account_id.clone().unwrap_or_default(),
                ou: f.ou_path.clone().unwrap_or_default(),
                text: [
                    f.rule_id.as_str(),
                    f.code.as_deref().unwrap_or(""),
                    &f.title,
                    f.account_id.as_deref().unwrap_or(""),
                    f.account_name.as_deref().unwrap_or(""),
                    f.ou_path.as_deref().unwrap_or(""),
                    f.region.as_deref().unwrap_or(""),
                    &f.resource,
                    &f.message,
                ]
                .join("\n")
                .to_lowercase(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::engine::PolicySet;

    fn demo_report() -> String {
        let snapshot = crate::demo::snapshot();
        let params = crate::params::Params::default();
        let policies = PolicySet::load(true, &[]).expect("builtin policies load");
        let result = crate::scan::scan(
            &snapshot,
            &params,
            &policies,
            &crate::scan::ScanOptions::default(),
        );
        render(&snapshot, &result).expect("renders")
    }

    /// The body of the first `<open>…</tag>` element, and how many such elements there are.
    fn element_body<'a>(html: &'a str, open: &str, close: &str) -> (&'a str, usize) {
        let count = html.matches(open).count();
        let start = html.find(open).expect("element present") + open.len();
        let end = start + html[start..].find(close).expect("element closed");
        (&html[start..end], count)
    }

    /// Every start tag outside the three raw-text elements, as (name, attributes).
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut tags = Vec::new();
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            if rest.starts_with('/') || rest.starts_with('!') {
                continue;
            }
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = rest[..name_end].to_ascii_lowercase();
            let mut attrs = Vec::new();
            let mut s = &rest[name_end..];
            loop {
                s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
                if s.starts_with('>') || s.is_empty() {
                    break;
                }
                let key_end = s
                    .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                    .unwrap_or(s.len());
                let key = s[..key_end].to_ascii_lowercase();
                s = &s[key_end..];
                let mut value = String::new();
                if let Some(after) = s.strip_prefix('=') {
                    let quote = after.chars().next().expect("value");
                    assert!(quote == '"', "unquoted attribute {key} in <{name}>");
                    let end = after[1..].find('"').expect("closing quote");
                    value = after[1..=end].to_owned();
                    s = &after[end + 2..];
                }
                attrs.push((key, value));
            }
            // Skip the bodies of raw-text elements: they are checked separately.
            if name == "script" || name == "style" || name == "title" {
                let close = format!("</{name}>");
                let end = rest.find(&close).expect("raw text element closed");
                rest = &rest[end..];
            }
            tags.push((name, attrs));
        }
        tags
    }

    #[test]
    fn csp_hashes_match_the_only_script_and_style() {
        let html = demo_report();
        let head = &html[html.find("<head>").expect("head") + 6..];
        assert!(
            head.trim_start()
                .starts_with("<meta http-equiv=\"Content-Security-Policy\""),
            "the CSP meta must come first in <head>"
        );
        let csp_start = html.find("content=\"").expect("csp content") + 9;
        let csp = html[csp_start..csp_start + html[csp_start..].find('"').expect("end")]
            .replace("&#39;", "'");
        assert_eq!(csp, content_security_policy());
        assert!(csp.starts_with("default-src 'none';"));

        let (script, scripts) = element_body(&html, "<script>", "</script>");
        let (style, styles) = element_body(&html, "<style>", "</style>");
        assert_eq!(scripts, 1, "exactly one executable script");
        assert_eq!(styles, 1, "exactly one style element");
        assert_eq!(
            html.matches("<script").count(),
            2,
            "the script and the data"
        );
        assert!(csp.contains(&format!("script-src {};", csp_hash(script))));
        assert!(csp.contains(&format!("style-src {};", csp_hash(style))));
        assert!(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"));
    }

    #[test]
    fn no_external_resources_handlers_or_inline_styles() {
        let html = demo_report();
        let tags = tags(&html);
        assert!(tags.len() > 500, "parsed {} tags", tags.len());
        let mut console_links = 0;
        for (name, attrs) in &tags {
            assert!(
                !matches!(
                    name.as_str(),
                    "link" | "iframe" | "object" | "embed" | "base" | "form" | "img"
                ),
                "<{name}> has no place in the report"
            );
            for (key, value) in attrs {
                assert!(!key.starts_with("on"), "inline handler {key} on <{name}>");
                assert!(key != "style", "inline style on <{name}>");
                if key == "src" {
                    panic!("<{name} src={value}>: the report loads nothing");
                }
                if key == "href" {
                    if value.starts_with('#') {
                        continue;
                    }
                    assert!(
                        value.starts_with(CONSOLE),
                        "<{name} href={value}> leaves the report"
                    );
                    console_links += 1;
                    let rel = attrs
                        .iter()
                        .find(|(k, _)| k == "rel")
                        .map(|(_, v)| v.as_str());
                    assert_eq!(rel, Some("noopener noreferrer"), "{value}");
                }
            }
        }
        assert!(console_links > 20, "{console_links} console links");
        // The assets may not reach outside either.
        assert!(!STYLE.contains("url("), "the style sheet loads nothing");
        assert!(!STYLE.contains("@import"));
    }

    #[test]
    fn assets_cannot_break_out_and_never_write_html() {
        for asset in [SCRIPT, STYLE] {
            let lower = asset.to_ascii_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("</style"));
            assert!(!lower.contains("<!--"));
        }
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "Function(",
            "setAttribute('on",
        ] {
            assert!(!SCRIPT.contains(sink), "report.js uses {sink}");
        }
    }

    #[test]
    fn json_island_escapes_markup() {
        let hostile = serde_json::json!({"a": "</script><script>alert(1)</script><!-- & -->"});
        let safe = script_json(&hostile);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, hostile);
    }

    #[test]
    fn console_links_come_only_from_well_formed_arns() {
        assert_eq!(
            console_link("arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57")
                .as_deref(),
            Some(
                "https://console.aws.amazon.com/connect/v2/app/instances/6f0b4c1e-2a57?region=us-east-1"
            )
        );
        assert_eq!(
            console_link("arn:aws:iam::200000000001:role/path/Con nect\"<x>").as_deref(),
            Some("https://console.aws.amazon.com/iam/home#/roles/details/Con%20nect%22%3Cx%3E")
        );
        assert_eq!(
            console_link("arn:aws:iam::200000000001:saml-provider/Okta").as_deref(),
            Some(
                "https://console.aws.amazon.com/iam/home#/identity_providers/details/SAML/\
                 arn%3Aaws%3Aiam%3A%3A200000000001%3Asaml-provider%2FOkta"
            )
        );
        for bad in [
            "javascript:alert(1)",
            "arn:aws:connect:us-east-1\"><script>:200000000001:instance/x",
            "arn:aws:connect:us-east-1:200000000001:instance/../../evil",
            "arn:aws:iam::12:role/x",
            "arn:aws-cn:iam::200000000001:role/x",
            "arn:aws:s3:::bucket",
        ] {
            assert_eq!(console_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn report_is_deterministic() {
        assert_eq!(demo_report(), demo_report());
    }

    /// The chain is judged by the findings alone: a rule's finding breaks a link at high
    /// severity, asks for attention when overridden to low or waived, and a disabled rule
    /// leaves the link unjudged, never passed.
    #[test]
    fn chain_links_follow_the_findings() {
        const RULE: &str = "instance-deletion-not-denied-by-scp";
        let snapshot = crate::demo::snapshot();
        let params = crate::params::Params::default();
        let all = PolicySet::load(true, &[]).expect("builtin policies load");
        let deletion = |policies: &PolicySet, options: &crate::scan::ScanOptions<'_>| {
            let result = crate::scan::scan(&snapshot, &params, policies, options);
            let arn = result
                .findings
                .iter()
                .find(|f| f.rule_id == RULE)
                .map(|f| f.resource.clone())
                .unwrap_or_else(|| "arn:aws:connect:us-west-2:300000000001:instance/3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7".to_owned());
            let instance = &result.facts.instances[&arn];
            let view = instance_view(instance, &result.facts, &result.judge());
            view.protections[0].status
        };
        let default = crate::scan::ScanOptions::default();
        assert_eq!(deletion(&all, &default), Status::Fail);

        let low = BTreeMap::from([(RULE.to_owned(), Severity::Low)]);
        let overridden = crate::scan::ScanOptions {
            severity_overrides: &low,
            ..default.clone()
        };
        assert_eq!(deletion(&all, &overridden), Status::Warn);

        let waiver: crate::finding::Waiver = toml::from_str(&format!(
            "rule = \"{RULE}\"\nreason = \"accepted\"\nexpires = \"2999-12-31\""
        ))
        .expect("waiver");
        let waivers = [waiver];
        let waived = crate::scan::ScanOptions {
            waivers: &waivers,
            ..default.clone()
        };
        assert_eq!(deletion(&all, &waived), Status::Warn);

        let mut without = PolicySet::load(true, &[]).expect("builtin policies load");
        without.rules.retain(|r| r.metadata.id != RULE);
        assert_eq!(deletion(&without, &default), Status::Info);
    }

    /// A large organization's page lists the most severe findings and the broken chains
    /// first, and says how many it leaves out; the summary still counts everything.
    #[test]
    fn large_organizations_are_listed_within_limits() {
        let snapshot = crate::demo::snapshot();
        let policies = PolicySet::load(true, &[]).expect("builtin policies load");
        let result = crate::scan::scan(
            &snapshot,
            &crate::params::Params::default(),
            &policies,
            &crate::scan::ScanOptions::default(),
        );
        let total = result.findings.len();
        let limits = Limits {
            findings: 5,
            instances: 2,
        };
        let html = render_within(&snapshot, &result, limits).expect("renders");
        assert_eq!(html.matches("<details class=\"finding").count(), 5);
        assert!(html.contains(&format!(
            "Listing the 5 most severe findings; {} more are in the JSON and SARIF reports.",
            total - 5
        )));
        assert!(html.contains(&format!("<strong>{total}</strong> findings")));
        let page = Page::build(&snapshot, &result, limits);
        assert_eq!(page.instances.len(), 2);
        assert!(page.instances.iter().all(|i| i.overall == Status::Fail));
        assert_eq!(page.instances_hidden, page.summary.instances_total - 2);
        // The most severe first: the listed findings are the first of the sorted list.
        let listed: Vec<&str> = page
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let first: Vec<String> = result.findings[..5]
            .iter()
            .map(|f| f.fingerprint())
            .collect();
        assert_eq!(listed, first);
        assert_eq!(page.findings[0].severity, "critical");
        // Within the default limits the demo is listed whole.
        let whole = render(&snapshot, &result).expect("renders");
        assert_eq!(whole.matches("<details class=\"finding").count(), total);
        assert!(!whole.contains("more are in the JSON"));
    }
}
