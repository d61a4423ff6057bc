//! The JSON report, format version 1.
//!
//! A frozen wire type, separate from internal types: fields may be added, never renamed or
//! removed, without bumping `version`. Consumers (dashboards, baselines, `jq` scripts) rely
//! on it. The format is described in `docs/json-report.md`.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// The report format version.
pub const VERSION: u32 = 1;

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
    write_in_windows(out, snapshot, result, FINDINGS_PER_PIECE)
}

/// Findings rendered as one piece on the pool.
const FINDINGS_PER_PIECE: usize = 1024;

/// Pieces rendered before they are written: enough to keep every core busy, few enough that
/// the rendered text in memory stays a few megabytes however many findings there are.
const PIECES_PER_WINDOW: usize = 16;

/// [`write`], with the findings rendered `per_piece` at a time.
///
/// The report is what serde_json's pretty printer would write of the report object (its
/// members in this order, which is part of the format), but the findings (tens of megabytes
/// at 10,000 accounts, 110 ms on one core) are rendered in pieces on the pool and written in
/// order. A test checks the result is byte for byte serde_json's pretty print of itself.
fn write_in_windows(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    per_piece: usize,
) -> std::io::Result<()> {
    let mut by_severity: BTreeMap<&'static str, usize> =
        Severity::ALL_DESC.iter().map(|s| (s.as_str(), 0)).collect();
    for finding in &result.findings {
        *by_severity.entry(finding.severity.as_str()).or_default() += 1;
    }
    let org = &snapshot.organization;
    // serde_json writes token by token; a buffer of its own type keeps those small writes
    // inlined instead of a call through `dyn Write` each.
    let mut report = Members::new(std::io::BufWriter::with_capacity(1 << 20, &mut *out));
    report.member("version", &VERSION)?;
    report.member(
        "tool",
        &Tool {
            name: "connect-guard",
            version: env!("CARGO_PKG_VERSION"),
        },
    )?;
    report.member(
        "snapshot",
        &SnapshotInfo {
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
    )?;
    report.member(
        "summary",
        &Summary {
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
    )?;
    report.findings("findings", &result.findings, per_piece)?;
    if let Some(fixed) = &result.fixed {
        let fixed: Vec<FixedV1<'_>> = fixed
            .iter()
            .map(|f| FixedV1 {
                rule_id: &f.rule_id,
                severity: f.severity.as_str(),
                resource: &f.resource,
                message: &f.message,
                fingerprint: &f.fingerprint,
            })
            .collect();
        report.member("fixed", &fixed)?;
    }
    let waivers: Vec<WaiverReportV1<'_>> = result
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
        .collect();
    report.member("waivers", &waivers)?;
    let errors: Vec<ErrorV1<'_>> = result
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
        .collect();
    report.member("errors", &errors)?;
    report.member(
        "inventory",
        &Inventory {
            federation_roles: result
                .federation_roles
                .iter()
                .map(|(arn, role_id)| RoleRecord { arn, role_id })
                .collect(),
        },
    )?;
    report.end()
}

/// A finding as the report has it.
fn finding_v1(f: &Finding) -> FindingV1<'_> {
    FindingV1 {
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
    }
}

/// The top-level object of a pretty-printed JSON document, written one member at a time.
struct Members<W: std::io::Write> {
    out: W,
    first: bool,
}

impl<W: std::io::Write> Members<W> {
    fn new(out: W) -> Self {
        Members { out, first: true }
    }

    /// `"name": ` on a new line, after the separator from the previous member.
    fn key(&mut self, name: &str) -> std::io::Result<()> {
        let separator: &[u8] = if self.first { b"{\n  " } else { b",\n  " };
        self.first = false;
        self.out.write_all(separator)?;
        serde_json::to_writer(&mut self.out, name)?;
        self.out.write_all(b": ")
    }

    /// A member whose value is small.
    fn member<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> std::io::Result<()> {
        self.key(name)?;
        self.out.write_all(&pretty_member(value)?)
    }

    /// The findings: pieces of `per_piece` rendered on the pool, a window of them at a
    /// time, and written in order.
    fn findings(
        &mut self,
        name: &str,
        findings: &[Finding],
        per_piece: usize,
    ) -> std::io::Result<()> {
        self.key(name)?;
        if findings.is_empty() {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        let per_piece = per_piece.max(1);
        for (index, window) in findings
            .chunks(per_piece.saturating_mul(PIECES_PER_WINDOW))
            .enumerate()
        {
            let pieces: Vec<Vec<u8>> = window
                .par_chunks(per_piece)
                .map(|piece| {
                    // Each finding's fingerprint is a SHA-256: computed on the pool too.
                    let piece: Vec<FindingV1<'_>> = piece.iter().map(finding_v1).collect();
                    pretty_elements(&piece)
                })
                .collect::<std::io::Result<_>>()?;
            for (offset, piece) in pieces.iter().enumerate() {
                if index > 0 || offset > 0 {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(piece)?;
            }
        }
        self.out.write_all(b"\n  ]")
    }

    /// Closes the object, ends the line and flushes.
    fn end(mut self) -> std::io::Result<()> {
        self.out
            .write_all(if self.first { b"{}\n" } else { b"\n}\n" })?;
        self.out.flush()
    }
}

/// `value` pretty-printed as the value of a top-level member: serde_json's pretty print of
/// `[value]` without its first and last lines, so every line of the value carries the
/// indentation of one level deep.
fn pretty_member<T: Serialize + ?Sized>(value: &T) -> std::io::Result<Vec<u8>> {
    unwrap_pretty(serde_json::to_vec_pretty(&[value])?, b"[\n  ", b"\n]")
}

/// Non-empty `items` as the elements of an array that is a top-level member: serde_json's
/// pretty print of `[items]` without the lines of both arrays' brackets. Each element comes
/// after a newline, commas between them, ready to be joined with a comma to the elements
/// before it.
fn pretty_elements<T: Serialize>(items: &[T]) -> std::io::Result<Vec<u8>> {
    debug_assert!(!items.is_empty(), "an empty array prints as []");
    unwrap_pretty(serde_json::to_vec_pretty(&[items])?, b"[\n  [", b"\n  ]\n]")
}

/// `text` without `prefix` and `suffix`, which the caller knows it has.
fn unwrap_pretty(mut text: Vec<u8>, prefix: &[u8], suffix: &[u8]) -> std::io::Result<Vec<u8>> {
    if !(text.starts_with(prefix)
        && text.ends_with(suffix)
        && text.len() >= prefix.len() + suffix.len())
    {
        return Err(std::io::Error::other("unexpected pretty-printed JSON"));
    }
    text.truncate(text.len() - suffix.len());
    text.drain(..prefix.len());
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::Baseline;
    use crate::engine::PolicySet;
    use crate::scan::{ScanOptions, scan};

    fn report(snapshot: &Snapshot, result: &ScanResult, per_piece: usize) -> String {
        let mut out = Vec::new();
        write_in_windows(&mut out, snapshot, result, per_piece).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    /// The report is byte for byte what serde_json's pretty printer writes of its content
    /// (its maps keep their order), and the same however the findings are cut in pieces.
    fn assert_one_pretty_print(snapshot: &Snapshot, result: &ScanResult) {
        let whole = report(snapshot, result, usize::MAX);
        let value: serde_json::Value = serde_json::from_str(&whole).expect("JSON");
        let reprinted = serde_json::to_string_pretty(&value).expect("printed") + "\n";
        assert!(
            whole == reprinted,
            "not serde_json's pretty print:\n{whole}"
        );
        // One finding per piece spans several windows; three per piece leaves a short last
        // piece.
        for per_piece in [1, 3, FINDINGS_PER_PIECE] {
            assert!(
                report(snapshot, result, per_piece) == whole,
                "{per_piece} findings per piece write another report"
            );
        }
    }

    #[test]
    fn findings_written_in_pieces_make_one_pretty_print() {
        let policies = PolicySet::load(true, &[]).expect("built-in policies");
        let params = crate::params::Params::default();
        let demo = crate::demo::snapshot();
        let result = scan(&demo, &params, &policies, &ScanOptions::default());
        assert!(
            result.findings.len() > PIECES_PER_WINDOW * 3,
            "the demo's findings fill several windows of one-finding pieces"
        );
        assert_one_pretty_print(&demo, &result);

        // No findings, and the demo's as fixed ones: the empty array and the optional member.
        let baseline = Baseline::from_findings(&result.findings, Default::default());
        let hardened = crate::demo::hardened::snapshot();
        let options = ScanOptions {
            baseline: Some(&baseline),
            ..ScanOptions::default()
        };
        let fixed = scan(&hardened, &params, &policies, &options);
        assert!(fixed.findings.is_empty() && fixed.fixed.as_ref().is_some_and(|f| !f.is_empty()));
        let text = report(&hardened, &fixed, FINDINGS_PER_PIECE);
        assert!(text.contains("\n  \"findings\": [],\n") && text.contains("\n  \"fixed\": [\n"));
        assert_one_pretty_print(&hardened, &fixed);
    }
}
