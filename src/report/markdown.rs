//! The Markdown summary: the GitHub job summary, and `--format markdown` for PR comments.
//!
//! One renderer for both, so a PR comment shows exactly what the job summary shows. Sections:
//! scope line, counts by severity, account × severity table, the top 25 findings, accounts not
//! assessed, policy errors, the rules evaluated. Bounded to ~900 KiB because GitHub rejects a
//! step summary over 1 MiB (OUTPUTS.md §4).
//!
//! Every string from AWS (account names, ARNs, messages) is untrusted: [`cell`] escapes
//! Markdown and HTML syntax, strips control characters and defuses `@mentions` and autolinks,
//! so a role name cannot ping a team, inject a link or break out of a table cell.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// Findings listed individually; the rest are counted.
pub const TOP_FINDINGS: usize = 25;
/// Accounts, errors and other list entries shown per section.
const MAX_LIST: usize = 50;
/// Summary size budget: GitHub's limit is 1 MiB per step; leave room for other tools.
pub const MAX_BYTES: usize = 900 * 1024;
/// U+2060 WORD JOINER: invisible, and stops GitHub from seeing a mention or an autolink.
const JOINER: char = '\u{2060}';

/// What only a GitHub Actions run knows. Left empty for `--format markdown`, so that output
/// is a pure function of the snapshot (the example reports are drift-checked).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The repository's code scanning alerts for this tool.
    pub code_scanning: Option<String>,
    /// The workflow run, whose artifacts hold the HTML report.
    pub run: Option<String>,
    /// Show how long evaluation took.
    pub show_duration: bool,
}

/// Writes the summary.
pub fn write(
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    context: &Context,
) -> std::io::Result<()> {
    out.write_all(summary(snapshot, result, context).as_bytes())
}

/// The summary as a string of at most [`MAX_BYTES`] bytes.
pub fn summary(snapshot: &Snapshot, result: &ScanResult, context: &Context) -> String {
    let mut md = String::new();
    // Writing to a String cannot fail; results of `writeln!` are ignored deliberately.
    let posture: Vec<&Finding> = result.findings.iter().filter(|f| !f.coverage).collect();
    let gaps: Vec<&Finding> = result.findings.iter().filter(|f| f.coverage).collect();
    let _ = writeln!(
        md,
        "## connect-guard: {} finding{}{}\n",
        posture.len(),
        if posture.len() == 1 { "" } else { "s" },
        if gaps.is_empty() {
            String::new()
        } else {
            format!(", {} not assessed", gaps.len())
        }
    );
    scope(&mut md, snapshot, result, context.show_duration);
    severity_counts(&mut md, &posture);
    baseline(&mut md, result, &posture);
    by_account(&mut md, snapshot, &posture);
    top_findings(&mut md, &posture);
    not_assessed(&mut md, snapshot, &gaps);
    policy_errors(&mut md, result);
    rules(&mut md, result);
    let mut footer = Vec::new();
    if let Some(url) = &context.code_scanning {
        footer.push(format!("[Code scanning alerts]({})", link_target(url)));
    }
    if let Some(url) = &context.run {
        footer.push(format!(
            "[HTML report and other artifacts of this run]({})",
            link_target(url)
        ));
    }
    if !footer.is_empty() {
        let _ = writeln!(md, "{}\n", footer.join(" · "));
    }
    bound(md)
}

fn scope(md: &mut String, snapshot: &Snapshot, result: &ScanResult, show_duration: bool) {
    let org = &snapshot.organization;
    let mut gap_accounts: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.coverage)
        .filter_map(|f| f.account_id.as_deref())
        .collect();
    gap_accounts.sort_unstable();
    gap_accounts.dedup();
    let instances: usize = snapshot
        .accounts
        .values()
        .flat_map(|a| a.connect.values())
        .map(|r| r.instances.len())
        .sum();
    let duration = if show_duration {
        format!(" · evaluated in {} ms", result.duration.as_millis())
    } else {
        String::new()
    };
    let _ = writeln!(
        md,
        "Organization {} (management account {}) · snapshot of {} · {} accounts, {} not fully assessed · {} regions · {} Connect instances · {} rules · connect-guard {}{duration}\n",
        code(&org.id),
        code(&org.management_account_id),
        snapshot
            .scan
            .started_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        org.accounts.len(),
        gap_accounts.len(),
        snapshot.scan.regions.len(),
        instances,
        result.rules.len(),
        env!("CARGO_PKG_VERSION"),
    );
}

fn severity_counts(md: &mut String, findings: &[&Finding]) {
    let _ = writeln!(
        md,
        "| Critical | High | Medium | Low |\n|---:|---:|---:|---:|"
    );
    let counts: Vec<String> = Severity::ALL_DESC
        .iter()
        .map(|s| {
            findings
                .iter()
                .filter(|f| f.severity == *s)
                .count()
                .to_string()
        })
        .collect();
    let _ = writeln!(md, "| {} |\n", counts.join(" | "));
}

fn by_account(md: &mut String, snapshot: &Snapshot, findings: &[&Finding]) {
    if findings.is_empty() {
        return;
    }
    let mut rows: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for f in findings {
        let row = rows
            .entry(f.account_id.as_deref().unwrap_or("-"))
            .or_default();
        row[3 - f.severity as usize] += 1;
    }
    let mut rows: Vec<(&str, [usize; 4])> = rows.into_iter().collect();
    // Worst accounts first: by count per severity, most severe first.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = writeln!(
        md,
        "### By account\n\n| Account | OU | Critical | High | Medium | Low |\n|---|---|---:|---:|---:|---:|"
    );
    for (account, counts) in rows.iter().take(MAX_LIST * 4) {
        let info = snapshot
            .organization
            .accounts
            .iter()
            .find(|a| a.id == *account);
        let label = match info {
            Some(a) => format!("{} {}", cell(&a.name), code(account)),
            None => code(account),
        };
        let ou = findings
            .iter()
            .find(|f| f.account_id.as_deref() == Some(account))
            .and_then(|f| f.ou_path.as_deref())
            .unwrap_or("-");
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} | {} |",
            cell(ou),
            counts[0],
            counts[1],
            counts[2],
            counts[3]
        );
    }
    if rows.len() > MAX_LIST * 4 {
        let _ = writeln!(md, "\n…and {} more accounts.", rows.len() - MAX_LIST * 4);
    }
    md.push('\n');
}

/// New, persisting and fixed findings when the scan was compared with a baseline, and the
/// number of waived findings.
fn baseline(md: &mut String, result: &ScanResult, findings: &[&Finding]) {
    let waived = findings.iter().filter(|f| f.waiver.is_some()).count();
    if waived > 0 {
        let _ = writeln!(
            md,
            "{waived} finding(s) are waived: accepted until their waiver expires.\n"
        );
    }
    let Some(fixed) = &result.fixed else {
        return;
    };
    let new: Vec<&&Finding> = findings
        .iter()
        .filter(|f| f.baseline_state == Some(crate::finding::BaselineState::New))
        .collect();
    let _ = writeln!(
        md,
        "### Since the baseline\n\n{} new, {} persisting, {} fixed.\n",
        new.len(),
        findings.len() - new.len(),
        fixed.len()
    );
    let impact = super::impact(result);
    for rule in &impact {
        let _ = writeln!(md, "- {}", cell(rule));
    }
    if !impact.is_empty() {
        md.push('\n');
    }
    for f in new.iter().take(TOP_FINDINGS) {
        let _ = writeln!(
            md,
            "- new: {} {} {}",
            f.severity,
            code(&f.rule_id),
            code(&f.resource)
        );
    }
    for f in fixed.iter().take(TOP_FINDINGS) {
        let _ = writeln!(
            md,
            "- fixed: {} {} {}",
            f.severity,
            code(&f.rule_id),
            code(&f.resource)
        );
    }
    if !new.is_empty() || !fixed.is_empty() {
        md.push('\n');
    }
}

fn top_findings(md: &mut String, findings: &[&Finding]) {
    if findings.is_empty() {
        let _ = writeln!(md, "No findings.\n");
        return;
    }
    let shown = findings.len().min(TOP_FINDINGS);
    let _ = writeln!(
        md,
        "### Top findings ({shown} of {})\n\n| Severity | Rule | Account | Region | Resource | Finding |\n|---|---|---|---|---|---|",
        findings.len()
    );
    for f in findings.iter().take(TOP_FINDINGS) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            f.severity,
            code(&f.rule_id),
            code(f.account_id.as_deref().unwrap_or("-")),
            f.region
                .as_deref()
                .map(code)
                .unwrap_or_else(|| "global".to_owned()),
            resource_cell(f),
            cell(&f.message)
        );
    }
    md.push('\n');
}

/// The resource, and where a template declares it.
fn resource_cell(f: &Finding) -> String {
    match &f.location {
        Some(l) => format!(
            "{} ({})",
            code(&f.resource),
            code(&format!("{}:{}", l.path, l.line))
        ),
        None => code(&f.resource),
    }
}

fn not_assessed(md: &mut String, snapshot: &Snapshot, gaps: &[&Finding]) {
    if gaps.is_empty() && snapshot.scan.errors.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "### Not assessed\n\nThese were not checked; they are neither passes nor failures.\n"
    );
    for f in gaps.iter().take(MAX_LIST) {
        let account = match (&f.account_name, &f.account_id) {
            (Some(name), Some(id)) => format!("{} {}", cell(name), code(id)),
            (None, Some(id)) => code(id),
            _ => code(&f.resource),
        };
        let _ = writeln!(md, "- {account}: {}", cell(&f.message));
    }
    if gaps.len() > MAX_LIST {
        let _ = writeln!(md, "- …and {} more", gaps.len() - MAX_LIST);
    }
    md.push('\n');
}

fn policy_errors(md: &mut String, result: &ScanResult) {
    if result.policy_errors.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "### Policy errors\n\nThese rules failed to load or evaluate; their findings are missing.\n"
    );
    for error in result.policy_errors.iter().take(MAX_LIST) {
        let _ = writeln!(md, "- {}", cell(&error.to_string()));
    }
    if result.policy_errors.len() > MAX_LIST {
        let _ = writeln!(md, "- …and {} more", result.policy_errors.len() - MAX_LIST);
    }
    md.push('\n');
}

fn rules(md: &mut String, result: &ScanResult) {
    let _ = writeln!(
        md,
        "<details><summary>{} rules evaluated</summary>\n\n| Rule | Code | Severity | Findings |\n|---|---|---|---:|",
        result.rules.len()
    );
    for rule in &result.rules {
        let count = result
            .findings
            .iter()
            .filter(|f| f.rule_id == rule.id)
            .count();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {count} |",
            code(&rule.id),
            cell(rule.code.as_deref().unwrap_or("")),
            rule.severity
        );
    }
    let _ = writeln!(md, "\n</details>\n");
}

/// Cuts `md` at a line boundary to fit [`MAX_BYTES`], with a note saying so.
fn bound(mut md: String) -> String {
    const NOTE: &str =
        "\n\n*Summary truncated to fit GitHub's size limit; see the SARIF, JSON or HTML report.*\n";
    if md.len() <= MAX_BYTES {
        return md;
    }
    let mut cut = MAX_BYTES - NOTE.len();
    while !md.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = md[..cut].rfind('\n').unwrap_or(cut);
    md.truncate(cut);
    md.push_str(NOTE);
    md
}

/// Escapes untrusted text for a Markdown table cell or list item: control characters and
/// newlines become spaces; Markdown and HTML punctuation is backslash-escaped (so `|` cannot
/// end the cell, `<` cannot open a tag, `[`/`]` cannot make a link, `` ` `` cannot open code);
/// `@` and `://`/`www.` get an invisible word joiner so GitHub neither mentions nor autolinks.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_control() => out.push(' '),
            // `$` opens GitHub math; `(`/`)` need no escape once `[`/`]` cannot start a link.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '@' => {
                out.push('@');
                out.push(JOINER);
            }
            ':' if chars.peek() == Some(&'/') => {
                out.push(':');
                out.push(JOINER);
            }
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case("www")) =>
            {
                out.push(JOINER);
                out.push('.');
            }
            c => out.push(c),
        }
    }
    out
}

/// Identifiers (ARNs, account ids, rule ids) as code spans, which GitHub neither links nor
/// mentions; anything with characters outside the ARN alphabet falls back to [`cell`].
pub fn code(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ':' | '/' | '-' | '_' | '.' | '+' | '=' | ',' | '@' | '*' | '#'
                )
        });
    if plain {
        format!("`{text}`")
    } else {
        cell(text)
    }
}

/// A URL we build ourselves from `GITHUB_*` variables, kept safe inside `(…)`.
fn link_target(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '(' | ')' | '<' | '>'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_tables_or_inject_markup() {
        let escaped =
            cell("a|b`c<img src=x onerror=y>[l](javascript:x)\n@team https://e.x www.e.x");
        assert!(!escaped.contains('\n'));
        for bad in ["|", "`", "<", ">", "[", "]"] {
            assert_eq!(
                escaped.matches(bad).count(),
                escaped.matches(&format!("\\{bad}")).count(),
                "unescaped {bad} in {escaped}"
            );
        }
        assert!(escaped.contains("@\u{2060}team"));
        assert!(escaped.contains("https:\u{2060}//"));
        assert!(escaped.contains("www\u{2060}."));
    }

    #[test]
    fn identifiers_become_code_spans_only_when_plain() {
        assert_eq!(code("arn:aws:iam::1:role/x"), "`arn:aws:iam::1:role/x`");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn long_summaries_are_bounded() {
        let long = "line\n".repeat(MAX_BYTES);
        let bounded = bound(long);
        assert!(bounded.len() <= MAX_BYTES);
        assert!(bounded.ends_with("see the SARIF, JSON or HTML report.*\n"));
    }
}
