//! A scan: snapshot in, findings out.
//!
//! Derives facts, evaluates every rule, then joins each raw `deny` object with its rule's
//! metadata and with where the resource sits in the organization.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::extensions::ExtensionContext;
use crate::engine::{EvalOptions, PolicySet, RuleKind, RuleMetadata, SourceError, evaluate};
use crate::facts::Facts;
use crate::finding::Finding;
use crate::params::Params;
use crate::snapshot::Snapshot;

/// Everything a report needs about one scan.
#[derive(Debug)]
pub struct ScanResult {
    /// Findings, sorted most severe first.
    pub findings: Vec<Finding>,
    /// Policies that failed to load or evaluate.
    pub policy_errors: Vec<SourceError>,
    /// Metadata of every rule that was evaluated, sorted by id (SARIF declares them all).
    pub rules: Vec<RuleMetadata>,
    /// How long evaluation took (facts and rules).
    pub duration: Duration,
}

impl ScanResult {
    /// True when some account, region or service could not be assessed.
    pub fn incomplete(&self) -> bool {
        self.findings.iter().any(|f| f.coverage)
    }
}

/// Evaluates `policies` against `snapshot`.
pub fn scan(
    snapshot: &Snapshot,
    params: &Params,
    policies: &PolicySet,
    rule_timeout: Duration,
) -> ScanResult {
    let started = Instant::now();
    let facts = Facts::derive(snapshot, params);
    let input = rego_input(snapshot, &facts);
    let config = regorus::Value::from(serde_json::to_value(params).unwrap_or_default());
    let options = EvalOptions {
        rule_timeout,
        extensions: Some(Arc::new(ExtensionContext::new(&snapshot.organization))),
    };
    let evaluation = evaluate(policies, input, config, &options);

    let mut findings: Vec<Finding> = evaluation
        .findings
        .into_iter()
        .map(|(index, raw)| {
            let rule = &policies.rules[index];
            let account_id = raw.account_id.or_else(|| arn_part(&raw.resource, 4));
            let account = account_id.as_ref().and_then(|id| facts.accounts.get(id));
            Finding {
                rule_id: rule.metadata.id.clone(),
                code: rule.metadata.code.clone(),
                severity: rule.metadata.severity,
                title: rule.metadata.title.clone(),
                region: raw.region.or_else(|| arn_part(&raw.resource, 3)),
                account_name: account.map(|a| a.name.clone()),
                ou_path: account.map(|a| a.ou_path.clone()),
                account_id,
                resource: raw.resource,
                message: raw.message,
                discriminator: raw.discriminator,
                details: raw.details,
                coverage: rule.metadata.kind == RuleKind::Coverage,
            }
        })
        .collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut policy_errors = policies.errors.clone();
    policy_errors.extend(evaluation.errors);
    policy_errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    ScanResult {
        findings,
        policy_errors,
        rules: policies.rules.iter().map(|r| r.metadata.clone()).collect(),
        duration: started.elapsed(),
    }
}

/// The Rego `input`: the snapshot with the derived facts under `derived`.
pub fn rego_input(snapshot: &Snapshot, facts: &Facts) -> regorus::Value {
    // Splice the two serializations instead of building an intermediate serde_json tree;
    // regorus's own parser interns repeated keys, which keeps large organizations small.
    let snapshot_json = serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".to_owned());
    let facts_json = serde_json::to_string(facts).unwrap_or_else(|_| "{}".to_owned());
    let body = snapshot_json.strip_prefix('{').unwrap_or("}");
    let separator = if body.trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    let combined = format!("{{\"derived\":{facts_json}{separator}{body}");
    regorus::Value::from_json_str(&combined).unwrap_or(regorus::Value::Null)
}

/// Part `index` (0-based, colon-separated) of an ARN, when it is non-empty.
fn arn_part(arn: &str, index: usize) -> Option<String> {
    if !arn.starts_with("arn:") {
        return None;
    }
    arn.splitn(6, ':')
        .nth(index)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}
