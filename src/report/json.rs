//! The JSON report, format version 1.
//!
//! A frozen wire type, separate from internal types: fields may be added, never renamed or
//! removed, without bumping `version`. Consumers (dashboards, baselines, `jq` scripts) rely
//! on it. The format is described in `docs/json-report.md`.

use std::collections::BTreeMap;
use std::io::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::finding::Severity;
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// The report format version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    snapshot: SnapshotInfo<'a>,
    summary: Summary,
    findings: Vec<FindingV1<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Vec<FixedV1<'a>>>,
    waivers: Vec<WaiverReportV1<'a>>,
    errors: Vec<ErrorV1<'a>>,
    inventory: Inventory<'a>,
}

/// What a later scan needs to compare with this one.
#[derive(Serialize)]
struct Inventory<'a> {
    federation_roles: Vec<RoleRecord<'a>>,
}

#[derive(Serialize)]
struct RoleRecord<'a> {
    arn: &'a str,
    role_id: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct SnapshotInfo<'a> {
    organization_id: &'a str,
    management_account_id: &'a str,
    taken_at: String,
    accounts: usize,
    regions: &'a [String],
    instances: usize,
}

#[derive(Serialize)]
struct Summary {
    total: usize,
    by_severity: BTreeMap<&'static str, usize>,
    rules_evaluated: usize,
    incomplete: bool,
    policy_errors: usize,
    waived: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<usize>,
}

#[derive(Serialize)]
struct FindingV1<'a> {
    rule_id: &'a str,
    code: Option<&'a str>,
    severity: &'static str,
    title: &'a str,
    resource: &'a str,
    account_id: Option<&'a str>,
    account_name: Option<&'a str>,
    region: Option<&'a str>,
    ou_path: Option<&'a str>,
    message: &'a str,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    discriminator: Option<&'a str>,
    coverage: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<WaiverV1<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a regorus::Value>,
    /// Where the resource is declared, for findings on templates (added in 0.2; additive).
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LocationV1<'a>>,
}

/// A template file and line.
#[derive(Serialize)]
struct LocationV1<'a> {
    path: &'a str,
    line: usize,
    logical_id: &'a str,
}

/// A baseline finding that is gone.
#[derive(Serialize)]
struct FixedV1<'a> {
    rule_id: &'a str,
    severity: &'static str,
    resource: &'a str,
    message: &'a str,
    fingerprint: &'a str,
}

/// A waiver as configured.
#[derive(Serialize)]
struct WaiverV1<'a> {
    rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ou: Option<&'a str>,
    reason: &'a str,
    /// `YYYY-MM-DD`.
    expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
}

impl<'a> From<&'a crate::waiver::Waiver> for WaiverV1<'a> {
    fn from(w: &'a crate::waiver::Waiver) -> Self {
        WaiverV1 {
            rule: &w.rule,
            resource: w.resource.as_deref(),
            account: w.account.as_deref(),
            ou: w.ou.as_deref(),
            reason: &w.reason,
            expires: w.expires.format("%Y-%m-%d").to_string(),
            owner: w.owner.as_deref(),
            ticket: w.ticket.as_deref(),
        }
    }
}

/// A waiver and what became of it.
#[derive(Serialize)]
struct WaiverReportV1<'a> {
    #[serde(flatten)]
    waiver: WaiverV1<'a>,
    /// `applied`, `expired` or `unused`.
    status: &'static str,
    findings: usize,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum ErrorV1<'a> {
    Policy {
        path: &'a str,
        line: Option<u32>,
        message: &'a str,
    },
    Collection {
        account_id: Option<&'a str>,
        region: Option<&'a str>,
        service: &'a str,
        operation: &'a str,
        code: &'a str,
        message: &'a str,
    },
}

/// Writes the report as pretty JSON with a trailing newline.
pub fn write(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
) -> std::io::Result<()> {
    let mut by_severity: BTreeMap<&'static str, usize> =
        Severity::ALL_DESC.iter().map(|s| (s.as_str(), 0)).collect();
    for finding in &result.findings {
        *by_severity.entry(finding.severity.as_str()).or_default() += 1;
    }
    let org = &snapshot.organization;
    let report = Report {
        version: VERSION,
        tool: Tool {
            name: "connect-guard",
            version: env!("CARGO_PKG_VERSION"),
        },
        snapshot: SnapshotInfo {
            organization_id: &org.id,
            management_account_id: &org.management_account_id,
            taken_at: snapshot
                .scan
                .started_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            accounts: org.accounts.len(),
            regions: &snapshot.scan.regions,
            instances: snapshot
                .accounts
                .values()
                .flat_map(|a| a.connect.values())
                .map(|r| r.instances.len())
                .sum(),
        },
        summary: Summary {
            total: result.findings.len(),
            by_severity,
            rules_evaluated: result.rules.len(),
            incomplete: result.incomplete(),
            policy_errors: result.policy_errors.len(),
            waived: result
                .findings
                .iter()
                .filter(|f| f.waiver.is_some())
                .count(),
            new: result.fixed.as_ref().map(|_| {
                result
                    .findings
                    .iter()
                    .filter(|f| f.baseline_state == Some(crate::finding::BaselineState::New))
                    .count()
            }),
            fixed: result.fixed.as_ref().map(Vec::len),
        },
        // Each finding's fingerprint is a SHA-256: computed on the pool.
        findings: result
            .findings
            .par_iter()
            .map(|f| FindingV1 {
                rule_id: &f.rule_id,
                code: f.code.as_deref(),
                severity: f.severity.as_str(),
                title: &f.title,
                resource: &f.resource,
                account_id: f.account_id.as_deref(),
                account_name: f.account_name.as_deref(),
                region: f.region.as_deref(),
                ou_path: f.ou_path.as_deref(),
                message: &f.message,
                fingerprint: f.fingerprint(),
                discriminator: f.discriminator.as_deref(),
                coverage: f.coverage,
                baseline_state: f.baseline_state.map(|state| match state {
                    crate::finding::BaselineState::New => "new",
                    crate::finding::BaselineState::Persisting => "persisting",
                }),
                waiver: f.waiver.as_ref().map(WaiverV1::from),
                details: f.details.as_ref(),
                location: f.location.as_ref().map(|l| LocationV1 {
                    path: &l.path,
                    line: l.line,
                    logical_id: &l.logical_id,
                }),
            })
            .collect(),
        fixed: result.fixed.as_ref().map(|fixed| {
            fixed
                .iter()
                .map(|f| FixedV1 {
                    rule_id: &f.rule_id,
                    severity: f.severity.as_str(),
                    resource: &f.resource,
                    message: &f.message,
                    fingerprint: &f.fingerprint,
                })
                .collect()
        }),
        waivers: result
            .waivers
            .iter()
            .map(|w| WaiverReportV1 {
                waiver: WaiverV1::from(&w.waiver),
                status: match w.status {
                    crate::waiver::WaiverStatus::Applied => "applied",
                    crate::waiver::WaiverStatus::Expired => "expired",
                    crate::waiver::WaiverStatus::Unused => "unused",
                },
                findings: w.findings,
            })
            .collect(),
        inventory: Inventory {
            federation_roles: result
                .federation_roles
                .iter()
                .map(|(arn, role_id)| RoleRecord { arn, role_id })
                .collect(),
        },
        errors: result
            .policy_errors
            .iter()
            .map(|e| ErrorV1::Policy {
                path: &e.path,
                line: e.line,
                message: &e.message,
            })
            .chain(snapshot.scan.errors.iter().map(|e| ErrorV1::Collection {
                account_id: e.account_id.as_deref(),
                region: e.region.as_deref(),
                service: &e.service,
                operation: &e.operation,
                code: &e.code,
                message: &e.message,
            }))
            .collect(),
    };
    // serde_json writes token by token; a buffer of its own type keeps those small writes
    // inlined instead of a call through `dyn Write` each (tens of megabytes at 10,000 accounts).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, &report)?;
    writeln!(buffered)?;
    buffered.flush()
}
