//! Rule metadata: the constant `metadata := {…}` every rule package declares.
//!
//! regorus ignores OPA's `# METADATA` comments, so metadata is a plain Rego object that the
//! engine evaluates and validates at load time. Unknown keys are errors, so a typo such as
//! `sevrity` fails loudly instead of falling back to a default.
//!
//! Every rule says where its requirement comes from (`basis`): either AWS documentation that
//! states it (`"aws"`, with `sources` naming the page and the fact it states), or a hardening
//! recommendation of the rule's author that goes beyond AWS guidance (`"hardening"`, with
//! `beyond_aws` saying so). A finding a security team cannot trace is a finding it will not act on.

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
    /// Where the requirement comes from.
    pub basis: Basis,
    /// Documentation pages and the fact each states. An `aws` rule names at least one AWS page.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// What the rule demands beyond the AWS documentation it cites, and why. Required for a
    /// `hardening` rule; optional for an `aws` rule that goes further than its sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_aws: Option<String>,
    /// Further reading (URLs) that states no requirement of the rule.
    #[serde(default)]
    pub references: Vec<String>,
    /// Extra tags for grouping and SARIF.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `posture` (default) or `coverage`: coverage findings say something could not be
    /// assessed; they make the scan incomplete rather than failed.
    #[serde(default)]
    pub kind: RuleKind,
}

/// Where a rule's requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// AWS documentation states the requirement; `sources` name the pages.
    Aws,
    /// The rule author's own hardening recommendation beyond AWS guidance; `beyond_aws` says
    /// what goes beyond it and why.
    Hardening,
}

impl Basis {
    /// The value as written in metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Aws => "aws",
            Basis::Hardening => "hardening",
        }
    }

    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Aws => "AWS documentation",
            Basis::Hardening => "Hardening recommendation beyond AWS guidance",
        }
    }
}

/// One documentation page and the fact it states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The page, an `https://` URL.
    pub url: String,
    /// What the page states that backs the rule: a short faithful paraphrase or quote.
    pub states: String,
}

impl Source {
    /// True when the page is AWS documentation: `aws.amazon.com` or one of its sub-domains,
    /// such as `docs.aws.amazon.com`.
    pub fn is_aws(&self) -> bool {
        url_host(&self.url)
            .is_some_and(|host| host == "aws.amazon.com" || host.ends_with(".aws.amazon.com"))
    }
}

/// The host of an `https://` URL, lower-cased; `None` for other schemes or URLs with user
/// information (`https://aws.amazon.com@evil.example/` names the host `evil.example`).
fn url_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return None;
    }
    let host = authority.split(':').next().unwrap_or_default();
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
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
        self.validate_basis()
    }

    /// The basis must be traceable: an `aws` rule names an AWS page and what it states; a
    /// `hardening` rule says what it asks beyond AWS guidance.
    fn validate_basis(&self) -> Result<(), String> {
        for source in &self.sources {
            if url_host(&source.url).is_none() {
                return Err(format!(
                    "invalid metadata: source url '{}' must be an https:// URL",
                    source.url
                ));
            }
            if source.states.trim().is_empty() {
                return Err(format!(
                    "invalid metadata: source '{}' must say what the page states ('states')",
                    source.url
                ));
            }
        }
        let beyond = self.beyond_aws.as_deref().map(str::trim);
        if beyond == Some("") {
            return Err("invalid metadata: 'beyond_aws' must not be empty".to_owned());
        }
        match self.basis {
            Basis::Aws if !self.sources.iter().any(Source::is_aws) => Err(
                "invalid metadata: basis 'aws' needs at least one source on docs.aws.amazon.com \
                 or aws.amazon.com ('sources': [{\"url\": …, \"states\": …}])"
                    .to_owned(),
            ),
            Basis::Hardening if beyond.is_none() => Err(
                "invalid metadata: basis 'hardening' needs 'beyond_aws' saying what the rule \
                 asks beyond AWS guidance and why"
                    .to_owned(),
            ),
            _ => Ok(()),
        }
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
            "basis": "aws",
            "sources": [{"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
                         "states": "Create only one role for federation."}]
        })
    }

    fn error(value: serde_json::Value) -> String {
        RuleMetadata::from_json(value).expect_err("metadata must be rejected")
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

    #[test]
    fn rejects_a_rule_without_basis_or_sources() {
        let mut no_basis = valid();
        no_basis.as_object_mut().expect("object").remove("basis");
        assert!(error(no_basis).contains("missing field `basis`"));

        let mut no_sources = valid();
        no_sources
            .as_object_mut()
            .expect("object")
            .remove("sources");
        assert!(error(no_sources).contains("basis 'aws' needs at least one source"));

        let mut empty = valid();
        empty["sources"] = json!([]);
        assert!(error(empty).contains("basis 'aws' needs at least one source"));

        let mut unknown = valid();
        unknown["basis"] = json!("folklore");
        assert!(error(unknown).contains("unknown variant `folklore`"));
    }

    #[test]
    fn an_aws_basis_needs_an_aws_page_that_says_something() {
        let mut blog = valid();
        blog["sources"] = json!([{"url": "https://example.com/aws-tips", "states": "s"}]);
        assert!(error(blog).contains("docs.aws.amazon.com"));

        // User information in the authority names another host.
        let mut disguised = valid();
        disguised["sources"] =
            json!([{"url": "https://docs.aws.amazon.com@evil.example/x", "states": "s"}]);
        assert!(error(disguised).contains("must be an https:// URL"));

        let mut lookalike = valid();
        lookalike["sources"] =
            json!([{"url": "https://docs.aws.amazon.com.evil.example/", "states": "s"}]);
        assert!(error(lookalike).contains("docs.aws.amazon.com"));

        let mut silent = valid();
        silent["sources"][0]["states"] = json!("  ");
        assert!(error(silent).contains("must say what the page states"));

        let mut plain = valid();
        plain["sources"][0]["url"] = json!("http://docs.aws.amazon.com/x");
        assert!(error(plain).contains("must be an https:// URL"));

        let mut typo = valid();
        typo["sources"][0]["says"] = json!("x");
        assert!(error(typo).contains("unknown field `says`"));

        // The AWS blog is AWS's own word too.
        let mut blog = valid();
        blog["sources"] =
            json!([{"url": "https://aws.amazon.com/blogs/contact-center/x/", "states": "s"}]);
        assert!(RuleMetadata::from_json(blog).is_ok());
    }

    #[test]
    fn a_hardening_rule_must_say_what_goes_beyond_aws() {
        let mut hardening = valid();
        hardening["basis"] = json!("hardening");
        hardening.as_object_mut().expect("object").remove("sources");
        assert!(error(hardening.clone()).contains("basis 'hardening' needs 'beyond_aws'"));
        hardening["beyond_aws"] = json!(" ");
        assert!(error(hardening.clone()).contains("'beyond_aws' must not be empty"));
        hardening["beyond_aws"] = json!("AWS does not require a second IdP.");
        let m = RuleMetadata::from_json(hardening).expect("valid hardening rule");
        assert_eq!(m.basis, Basis::Hardening);
        assert!(m.sources.is_empty());
    }
}

#[cfg(test)]
mod builtin_tests {
    use super::*;
    use crate::engine::PolicySet;

    #[test]
    fn every_builtin_rule_traces_its_requirement() {
        let set = PolicySet::load(true, &[]).expect("built-in policies load");
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        assert_eq!(set.rules.len(), 44, "every built-in rule is reviewed");
        for rule in &set.rules {
            let m = &rule.metadata;
            match m.basis {
                Basis::Aws => assert!(
                    m.sources.iter().any(Source::is_aws),
                    "{} names no AWS page",
                    m.id
                ),
                Basis::Hardening => assert!(
                    m.beyond_aws
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty()),
                    "{} does not say what goes beyond AWS guidance",
                    m.id
                ),
            }
            // Every page is cited once per rule, with what it states.
            let mut urls: Vec<_> = m.sources.iter().map(|s| (&s.url, &s.states)).collect();
            urls.sort();
            urls.dedup();
            assert_eq!(urls.len(), m.sources.len(), "{} repeats a source", m.id);
        }
    }

    #[test]
    fn no_rule_text_demands_the_removed_destroy_instance_action() {
        let set = PolicySet::load(true, &[]).expect("built-in policies load");
        for rule in &set.rules {
            let m = &rule.metadata;
            for (field, text) in [
                ("description", &m.description),
                ("remediation", &m.remediation),
            ] {
                assert!(
                    !text.contains("DestroyInstance"),
                    "{}: {field} still names connect:DestroyInstance",
                    m.id
                );
            }
        }
    }
}
