//! The top of the page: the scan's scope and coverage gaps, the severity summary and the
//! account matrix grouped by OU.

use std::collections::{BTreeMap, BTreeSet};

use super::inert::{console_link, is_token};
use super::{
    CONSOLE, FindingRef, InstanceView, Status, account_label, finding_ref, iso, severity_index,
    severity_label, time,
};
use crate::facts::Facts;
use crate::finding::Severity;
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

pub(super) struct Scope {
    pub(super) org_id: String,
    pub(super) org_link: Option<String>,
    pub(super) management: String,
    pub(super) snapshot_iso: String,
    pub(super) snapshot_time: String,
    pub(super) collection_seconds: Option<i64>,
    pub(super) scanner: Option<String>,
    pub(super) snapshot_tool: Option<String>,
    pub(super) regions: Vec<String>,
    pub(super) accounts_total: usize,
    pub(super) accounts_assessed: usize,
    pub(super) accounts_partial: usize,
    pub(super) accounts_not_assessed: usize,
    pub(super) instances: usize,
    pub(super) rules: usize,
    pub(super) gaps: Vec<Gap>,
}

/// An account (or the organization) that was not fully assessed, and why.
pub(super) struct Gap {
    pub(super) account: String,
    pub(super) status: &'static str,
    pub(super) status_label: &'static str,
    pub(super) region: String,
    pub(super) call: String,
    pub(super) code: String,
    pub(super) message: String,
}

pub(super) struct Summary {
    pub(super) total: usize,
    pub(super) posture: usize,
    pub(super) coverage: usize,
    pub(super) cards: Vec<SeverityCard>,
    /// Segments of the stacked severity bar, widths in SVG user units out of 1000.
    pub(super) bar: Vec<BarSegment>,
    pub(super) rules_failing: usize,
    pub(super) rules_total: usize,
    pub(super) instances_failing: usize,
    pub(super) instances_total: usize,
    pub(super) top: Vec<FindingRef>,
}

pub(super) struct SeverityCard {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) count: usize,
}

pub(super) struct BarSegment {
    pub(super) key: &'static str,
    pub(super) x: usize,
    pub(super) width: usize,
}

/// A severity column of the account matrix.
pub(super) struct CountCell {
    pub(super) key: &'static str,
    pub(super) count: usize,
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

pub(super) struct OuGroup {
    pub(super) path: String,
    pub(super) counts: [usize; 4],
    pub(super) cells: Vec<CountCell>,
    pub(super) total: usize,
    pub(super) accounts: Vec<AccountRow>,
}

pub(super) struct AccountRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) state: String,
    pub(super) management: bool,
    pub(super) coverage: &'static str,
    pub(super) coverage_label: &'static str,
    pub(super) cells: Vec<CountCell>,
    pub(super) total: usize,
    pub(super) link: Option<String>,
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

pub(super) fn scope(snapshot: &Snapshot, facts: &Facts, result: &ScanResult) -> Scope {
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

pub(super) fn summary(result: &ScanResult, instances: &[InstanceView]) -> Summary {
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

pub(super) fn ou_groups(facts: &Facts, snapshot: &Snapshot, result: &ScanResult) -> Vec<OuGroup> {
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
