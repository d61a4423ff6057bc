//! Rule metadata: the constant `metadata := {…}` every rule package declares.
//!
//! regorus ignores OPA's `# METADATA` comments, so metadata is a plain Rego object that the
//! engine evaluates and validates at load time. Unknown keys are errors, so a typo such as
//! `sevrity` fails loudly instead of falling back to a default.

use serde::{Deserialize, Serialize};

use crate::finding::Severity;

/// What a rule declares about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMetadata {
    /// Stable kebab-case id naming the bad state, e.g. `saml-trust-references-missing-provider`.
    pub id: String,
    /// Catalog code grouping rules by area, e.g. `CX-FED-06`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// One-line title.
    pub title: String,
    /// Severity of every finding of the rule.
    pub severity: Severity,
    /// What the rule checks.
    pub description: String,
    /// Why it matters: the outage or breach it prevents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// How to fix a finding.
    pub remediation: String,
    /// Documentation the rule rests on (URLs).
    pub references: Vec<String>,
    /// Extra tags for grouping and SARIF.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `posture` (default) or `coverage`: coverage findings say something could not be
    /// assessed; they make the scan incomplete rather than failed.
    #[serde(default)]
    pub kind: RuleKind,
}

/// Whether a rule judges posture or reports a coverage gap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// The rule judges configuration.
    #[default]
    Posture,
    /// The rule reports that something could not be assessed.
    Coverage,
}

impl RuleMetadata {
    /// Parses and validates metadata evaluated from a rule package.
    pub fn from_json(value: serde_json::Value) -> Result<Self, String> {
        let metadata: RuleMetadata =
            serde_json::from_value(value).map_err(|e| format!("invalid metadata: {e}"))?;
        metadata.validate()?;
        Ok(metadata)
    }

    fn validate(&self) -> Result<(), String> {
        if !is_kebab_case(&self.id) {
            return Err(format!(
                "invalid metadata: id '{}' must be kebab-case (lower-case words joined by '-')",
                self.id
            ));
        }
        for (field, value) in [
            ("title", &self.title),
            ("description", &self.description),
            ("remediation", &self.remediation),
        ] {
            if value.trim().is_empty() {
                return Err(format!("invalid metadata: '{field}' must not be empty"));
            }
        }
        if let Some(code) = &self.code {
            let valid = code.starts_with("CX-")
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(format!(
                    "invalid metadata: code '{code}' must look like CX-AREA-NN"
                ));
            }
        }
        if let Some(bad) = self.references.iter().find(|r| !r.starts_with("https://")) {
            return Err(format!(
                "invalid metadata: reference '{bad}' must be an https:// URL"
            ));
        }
        Ok(())
    }
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> serde_json::Value {
        json!({
            "id": "backup-idp-not-independent", "code": "CX-IDP-02", "title": "t",
            "severity": "medium", "description": "d", "remediation": "r",
            "references": ["https://docs.aws.amazon.com/"]
        })
    }

    #[test]
    fn accepts_valid_metadata() {
        let m = RuleMetadata::from_json(valid()).expect("valid");
        assert_eq!(m.severity, Severity::Medium);
        assert_eq!(m.kind, RuleKind::Posture);
    }

    #[test]
    fn rejects_unknown_keys_bad_ids_and_severities() {
        let mut typo = valid();
        typo["sevrity"] = json!("high");
        assert!(
            RuleMetadata::from_json(typo)
                .unwrap_err()
                .contains("unknown field `sevrity`")
        );
        let mut id = valid();
        id["id"] = json!("Backup_IdP");
        assert!(
            RuleMetadata::from_json(id)
                .unwrap_err()
                .contains("kebab-case")
        );
        let mut severity = valid();
        severity["severity"] = json!("urgent");
        assert!(RuleMetadata::from_json(severity).is_err());
        let mut reference = valid();
        reference["references"] = json!(["javascript:alert(1)"]);
        assert!(RuleMetadata::from_json(reference).is_err());
    }
}
