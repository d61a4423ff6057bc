//! The terminal table: findings grouped by severity, then a summary line.
//!
//! Laid out for 100 columns when the output is not a terminal (CI logs), the terminal width
//! otherwise. Colour only when asked for (a TTY without `NO_COLOR`). Every string from AWS is
//! stripped of control characters first.

use comfy_table::{Cell, ContentArrangement, Table, presets};

use super::sanitize;
use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

const PLAIN_WIDTH: u16 = 100;

/// Writes the findings, one table per rule (most severe rules first), then the summary.
pub fn write(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    color: bool,
) -> std::io::Result<()> {
    // Findings are sorted by severity then rule, so each rule's findings are contiguous.
    for group in result.findings.chunk_by(|a, b| a.rule_id == b.rule_id) {
        let first = &group[0];
        let severity = first.severity.as_str().to_uppercase();
        let (rule, title) = (&first.rule_id, sanitize(&first.title));
        let count = group.len();
        if color {
            let code = ansi(first.severity);
            writeln!(
                out,
                "\x1b[1;{code}m{severity}\x1b[0m \x1b[1m{rule}\x1b[0m ({count})\n{title}"
            )?;
        } else {
            writeln!(out, "{severity} {rule} ({count})\n{title}")?;
        }
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(["Account", "Resource", "Finding"]);
        if !color {
            table.force_no_tty().set_width(PLAIN_WIDTH);
        } else if table.width().is_none() {
            table.set_width(PLAIN_WIDTH);
        }
        for finding in group {
            table.add_row([
                Cell::new(account_label(finding)),
                Cell::new({
                    let resource = sanitize(&short_resource(
                        &finding.resource,
                        finding.region.as_deref(),
                    ));
                    match &finding.location {
                        // The template line on a line of its own, where editors find it.
                        Some(l) => format!("{resource}\n{}:{}", sanitize(&l.path), l.line),
                        None => resource,
                    }
                }),
                Cell::new(sanitize(&annotated_message(finding))),
            ]);
        }
        writeln!(out, "{table}\n")?;
    }
    for error in &result.policy_errors {
        writeln!(out, "policy error: {}", sanitize(&error.to_string()))?;
    }
    writeln!(out, "{}", summary_line(snapshot, result))
}

/// The message, with `[new]` for findings new since the baseline and the waiver, if any.
fn annotated_message(finding: &Finding) -> String {
    let mut text = String::new();
    if finding.baseline_state == Some(crate::finding::BaselineState::New) {
        text.push_str("[new] ");
    }
    text.push_str(&finding.message);
    if let Some(waiver) = &finding.waiver {
        text.push_str(&format!(
            " [waived until {}: {}]",
            waiver.expires, waiver.reason
        ));
    }
    text
}

/// `Prod-US (222233334444)`.
fn account_label(finding: &Finding) -> String {
    match (&finding.account_name, &finding.account_id) {
        (Some(name), Some(id)) => format!("{} ({id})", sanitize(name)),
        (None, Some(id)) => id.clone(),
        _ => "-".to_owned(),
    }
}

/// The resource part of an ARN (after the fifth colon), prefixed with its region; the full
/// ARN stays in the JSON, SARIF and HTML reports.
fn short_resource(arn: &str, region: Option<&str>) -> String {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    match region {
        Some(region) => format!("{region} {resource}"),
        None => resource.to_owned(),
    }
}

/// `12 findings (2 critical, 5 high, 3 medium, 2 low) in 9 of 10 accounts, 14 rules evaluated`,
/// then a line per kind of gap.
pub fn summary_line(snapshot: &Snapshot, result: &ScanResult) -> String {
    let counts: Vec<String> = Severity::ALL_DESC
        .iter()
        .map(|s| {
            format!(
                "{} {s}",
                result.findings.iter().filter(|f| f.severity == *s).count()
            )
        })
        .collect();
    let mut accounts: Vec<&str> = result
        .findings
        .iter()
        .filter_map(|f| f.account_id.as_deref())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    let mut line = format!(
        "{} findings ({}) in {} of {} accounts, {} rules evaluated",
        result.findings.len(),
        counts.join(", "),
        accounts.len(),
        snapshot.organization.accounts.len(),
        result.rules.len(),
    );
    let waived = result
        .findings
        .iter()
        .filter(|f| f.waiver.is_some())
        .count();
    if waived > 0 {
        line.push_str(&format!("\n{waived} waived (they do not fail the run)"));
    }
    if let Some(fixed) = &result.fixed {
        let new = result
            .findings
            .iter()
            .filter(|f| f.baseline_state == Some(crate::finding::BaselineState::New))
            .count();
        line.push_str(&format!(
            "\nsince the baseline: {new} new, {} persisting, {} fixed",
            result.findings.len() - new,
            fixed.len()
        ));
        for rule in super::impact(result) {
            line.push_str(&format!("\n  {rule}"));
        }
        for f in fixed.iter().take(10) {
            line.push_str(&format!(
                "\n  fixed: {} {}",
                f.rule_id,
                sanitize(&f.resource)
            ));
        }
    }
    let gaps = result.findings.iter().filter(|f| f.coverage).count();
    if gaps > 0 {
        line.push_str(&format!(
            "\nscan incomplete: {gaps} not assessed (see account-not-assessed)"
        ));
    }
    if !result.policy_errors.is_empty() {
        line.push_str(&format!("\n{} policy errors", result.policy_errors.len()));
    }
    line
}

fn ansi(severity: Severity) -> u8 {
    match severity {
        Severity::Critical => 35,
        Severity::High => 31,
        Severity::Medium => 33,
        Severity::Low => 36,
    }
}
