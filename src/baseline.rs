//! Baselines: what changed since an earlier scan.
//!
//! `--baseline PREVIOUS.json` takes the JSON report of an earlier scan and sorts every
//! finding into new or persisting (by fingerprint: rule, resource, discriminator), and lists
//! the fixed ones. It also remembers the RoleId of every federation role, because a role
//! deleted and re-created under the same name orphans every Connect user; the
//! `federation-role-recreated` rule compares them (`input.baseline.federation_roles`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{BaselineState, Finding, Severity};

/// What the scan is compared with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// Findings of the earlier scan by fingerprint.
    pub findings: BTreeMap<String, FixedFinding>,
    /// RoleId of each federation role at the earlier scan, by role ARN.
    pub federation_roles: BTreeMap<String, String>,
}

/// A finding of the baseline (shown as fixed when it is gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedFinding {
    /// Rule id.
    pub rule_id: String,
    /// Severity at the time.
    pub severity: Severity,
    /// The resource.
    pub resource: String,
    /// The message at the time.
    pub message: String,
    /// The fingerprint.
    pub fingerprint: String,
}

/// A baseline that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Unreadable file.
    #[error("{path}: cannot read baseline: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not a JSON report of a supported version.
    #[error("{path}: not a connect-guard JSON report (version 1): {message}")]
    Format {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

#[derive(Deserialize)]
struct ReportV1 {
    version: u32,
    findings: Vec<FixedFinding>,
    #[serde(default)]
    inventory: Inventory,
}

#[derive(Default, Deserialize)]
struct Inventory {
    #[serde(default)]
    federation_roles: Vec<RoleRecord>,
}

#[derive(Deserialize)]
struct RoleRecord {
    arn: String,
    role_id: String,
}

impl Baseline {
    /// Reads a JSON report written by `connect-guard scan --format json`.
    pub fn from_path(path: &Path) -> Result<Baseline, BaselineError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: name.clone(),
            source,
        })?;
        Baseline::from_json(&text, &name)
    }

    /// Parses a JSON report; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Baseline, BaselineError> {
        let format = |message: String| BaselineError::Format {
            path: origin.to_owned(),
            message,
        };
        let report: ReportV1 = serde_json::from_str(text).map_err(|e| format(e.to_string()))?;
        if report.version != 1 {
            return Err(format(format!("unsupported version {}", report.version)));
        }
        Ok(Baseline {
            findings: report
                .findings
                .into_iter()
                .map(|f| (f.fingerprint.clone(), f))
                .collect(),
            federation_roles: report
                .inventory
                .federation_roles
                .into_iter()
                .map(|r| (r.arn, r.role_id))
                .collect(),
        })
    }

    /// The findings of a scan made now, as the baseline of another (change impact: the
    /// organization before a change is the baseline of the organization after it).
    pub fn from_findings(
        findings: &[Finding],
        federation_roles: BTreeMap<String, String>,
    ) -> Baseline {
        Baseline {
            findings: findings
                .iter()
                .map(|f| {
                    let fingerprint = f.fingerprint();
                    (
                        fingerprint.clone(),
                        FixedFinding {
                            rule_id: f.rule_id.clone(),
                            severity: f.severity,
                            resource: f.resource.clone(),
                            message: f.message.clone(),
                            fingerprint,
                        },
                    )
                })
                .collect(),
            federation_roles,
        }
    }

    /// Marks each finding new or persisting and returns the baseline findings that are gone,
    /// most severe first.
    pub fn classify(&self, findings: &mut [Finding]) -> Vec<FixedFinding> {
        let mut current = BTreeSet::new();
        for finding in findings.iter_mut() {
            let fingerprint = finding.fingerprint();
            finding.baseline_state = Some(if self.findings.contains_key(&fingerprint) {
                BaselineState::Persisting
            } else {
                BaselineState::New
            });
            current.insert(fingerprint);
        }
        let mut fixed: Vec<FixedFinding> = self
            .findings
            .values()
            .filter(|f| !current.contains(&f.fingerprint))
            .cloned()
            .collect();
        fixed.sort_by(|a, b| {
            (std::cmp::Reverse(a.severity), &a.rule_id, &a.resource).cmp(&(
                std::cmp::Reverse(b.severity),
                &b.rule_id,
                &b.resource,
            ))
        });
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_documents() {
        assert!(Baseline::from_json("{}", "b.json").is_err());
        assert!(
            Baseline::from_json(r#"{"version": 2, "findings": []}"#, "b.json")
                .unwrap_err()
                .to_string()
                .contains("unsupported version 2")
        );
        assert!(Baseline::from_json("not json", "b.json").is_err());
    }

    #[test]
    fn reads_findings_and_role_ids() {
        let baseline = Baseline::from_json(
            r#"{"version": 1, "findings": [{"rule_id": "r", "severity": "low", "resource": "arn:x", "message": "m", "fingerprint": "f1"}],
                "inventory": {"federation_roles": [{"arn": "arn:aws:iam::1:role/R", "role_id": "AROA1"}]}}"#,
            "b.json",
        )
        .expect("valid");
        assert!(baseline.findings.contains_key("f1"));
        assert_eq!(baseline.federation_roles["arn:aws:iam::1:role/R"], "AROA1");
    }
}
