//! Findings and severities: what a scan reports.
//!
//! A [`Finding`] is a rule's `deny` object joined with the rule's metadata and with where the
//! resource sits in the organization (account name, OU path). Findings sort by severity, then
//! rule, account and resource, so every output is deterministic.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

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
    /// Evidence: the facts the rule used, as the engine's values (they serialize as JSON).
    pub details: Option<regorus::Value>,
    /// True when the finding is about coverage (something was not assessed), not posture.
    pub coverage: bool,
    /// The waiver that accepts this finding, if one does.
    pub waiver: Option<Waiver>,
    /// `new` or `persisting` when the scan was compared with a baseline.
    pub baseline_state: Option<BaselineState>,
    /// Where the resource is declared, when the scan read templates.
    pub location: Option<SourceLocation>,
}

/// Where a resource is declared in infrastructure as code: the template and the line of its
/// logical id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLocation {
    /// The template's path as given (or found under a given directory), with `/` separators.
    pub path: String,
    /// 1-based line of the resource's logical id.
    pub line: usize,
    /// The resource's logical id.
    pub logical_id: String,
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
        hex::encode(&digest[..16])
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

/// One accepted risk (matched against findings and reported by [`crate::waiver`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Waiver {
    /// The rule id it waives.
    pub rule: String,
    /// ARN pattern of the waived resources (IAM `ArnLike` wildcards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Account id of the waived resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// OU (id or name) whose accounts, at any depth, are waived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
    /// Why the risk is accepted.
    pub reason: String,
    /// The last day the waiver applies (inclusive).
    #[serde(deserialize_with = "date")]
    pub expires: NaiveDate,
    /// Who owns the risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Where it is tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// TOML dates (`2026-12-31`) and strings (`"2026-12-31"`) are both accepted.
fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let value = toml::Value::deserialize(deserializer)?;
    let text = match &value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a date, got {}",
                other.type_str()
            )));
        }
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
        serde::de::Error::custom(format!("invalid date '{text}', expected YYYY-MM-DD"))
    })
}

impl Waiver {
    /// Checks what serde cannot: a reason and a scope.
    pub fn validate(&self) -> Result<(), String> {
        if self.reason.trim().is_empty() {
            return Err(format!("waiver for rule '{}' needs a reason", self.rule));
        }
        if self.resource.is_none() && self.account.is_none() && self.ou.is_none() {
            return Err(format!(
                "waiver for rule '{}' needs a scope (resource, account or ou); to turn a rule off everywhere use [rules] disable",
                self.rule
            ));
        }
        Ok(())
    }
}
