//! Findings and severities: what a scan reports.
//!
//! A [`Finding`] is a rule's `deny` object joined with the rule's metadata and with where the
//! resource sits in the organization (account name, OU path). Findings sort by severity, then
//! rule, account and resource, so every output is deterministic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hygiene; fix when convenient.
    Low,
    /// A weakness that needs another failure to hurt.
    Medium,
    /// A direct path to an outage or a breach.
    High,
    /// An outage or breach that is one step away or already happening.
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL_DESC: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// The lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity '{other}' (expected critical, high, medium or low)"
            )),
        }
    }
}

/// One problem with one resource, found by one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable kebab-case rule id.
    pub rule_id: String,
    /// Catalog code such as `CX-FED-06`.
    pub code: Option<String>,
    /// The rule's severity.
    pub severity: Severity,
    /// The rule's title.
    pub title: String,
    /// ARN of the resource the finding is about.
    pub resource: String,
    /// Account the resource is in.
    pub account_id: Option<String>,
    /// Account name, from Organizations.
    pub account_name: Option<String>,
    /// Region, for regional resources.
    pub region: Option<String>,
    /// OU path from the root, e.g. `Root/Prod/Prod-US`.
    pub ou_path: Option<String>,
    /// What is wrong, in one or two sentences naming the resource.
    pub message: String,
    /// Separates several findings of one rule on one resource; part of the fingerprint.
    pub discriminator: Option<String>,
    /// Evidence: the facts the rule used.
    pub details: Option<serde_json::Value>,
    /// True when the finding is about coverage (something was not assessed), not posture.
    pub coverage: bool,
    /// The waiver that accepts this finding, if one does.
    pub waiver: Option<crate::waiver::Waiver>,
    /// `new` or `persisting` when the scan was compared with a baseline.
    pub baseline_state: Option<BaselineState>,
}

/// Whether a finding was already in the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline.
    New,
    /// In the baseline too.
    Persisting,
}

impl Finding {
    /// True when the finding counts toward `--fail-on`: a posture finding that is not waived.
    pub fn counts(&self) -> bool {
        !self.coverage && self.waiver.is_none()
    }
}

impl Finding {
    /// Key that orders findings: most severe first, then rule, account, resource, message.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.severity),
            &self.rule_id,
            &self.account_id,
            &self.resource,
            &self.discriminator,
            &self.message,
        )
    }

    /// A stable identity for the finding across scans: rule, resource and discriminator.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(b"v1|");
        hasher.update(self.rule_id.as_bytes());
        hasher.update(b"|");
        hasher.update(self.resource.as_bytes());
        hasher.update(b"|");
        hasher.update(self.discriminator.as_deref().unwrap_or("").as_bytes());
        let digest = hasher.finalize();
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Medium > Severity::Low);
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!("severe".parse::<Severity>().is_err());
    }
}
