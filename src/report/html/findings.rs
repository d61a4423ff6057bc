//! The findings list, the rules catalog and the data the page's script filters by.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::inert::console_link;
use super::{account_label, severity_label, short_resource};
use crate::engine::{RuleKind, RuleMetadata};
use crate::facts::Facts;
use crate::finding::{Finding, Severity};
use crate::scan::ScanResult;

/// Evidence longer than this is cut in the HTML (the JSON report keeps all of it), so one
/// huge policy document cannot make the page unusable.
const EVIDENCE_LIMIT: usize = 20_000;

pub(super) struct FindingView {
    pub(super) index: usize,
    pub(super) fingerprint: String,
    pub(super) severity: &'static str,
    pub(super) severity_label: &'static str,
    pub(super) rule_id: String,
    pub(super) code: String,
    pub(super) title: String,
    pub(super) account: String,
    pub(super) ou: String,
    pub(super) region: String,
    pub(super) resource: String,
    pub(super) resource_short: String,
    pub(super) message: String,
    pub(super) evidence: Option<String>,
    pub(super) remediation: String,
    pub(super) rationale: Option<String>,
    pub(super) link: Option<String>,
    pub(super) coverage: bool,
    /// `new` or `persisting` when compared with a baseline, empty otherwise.
    pub(super) baseline: &'static str,
    /// `until <date>: <reason>` when a waiver accepts the finding.
    pub(super) waiver: Option<String>,
}

pub(super) struct RuleView {
    pub(super) id: String,
    pub(super) code: String,
    pub(super) title: String,
    pub(super) severity: &'static str,
    pub(super) severity_label: &'static str,
    pub(super) coverage: bool,
    pub(super) description: String,
    pub(super) rationale: Option<String>,
    pub(super) remediation: String,
    pub(super) basis: &'static str,
    pub(super) sources: Vec<crate::engine::Source>,
    pub(super) beyond_aws: Option<String>,
    pub(super) references: Vec<String>,
    pub(super) count: usize,
}

/// What the script needs, in the same order as the rendered rows.
#[derive(Serialize)]
pub(super) struct Data {
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

pub(super) fn finding_views(result: &ScanResult, limit: usize) -> Vec<FindingView> {
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

pub(super) fn rule_views(rules: &[RuleMetadata], findings: &[Finding]) -> Vec<RuleView> {
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

pub(super) fn data(result: &ScanResult, facts: &Facts, limit: usize) -> Data {
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
