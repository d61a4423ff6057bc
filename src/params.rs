//! Rule parameters: the organization-specific knowledge rules need.
//!
//! Which roles are break-glass, which SAML audiences are acceptable, how early to warn about
//! certificate expiry, which instances are production or planned for Global Resiliency. Each
//! has a default that fits a typical organization, can be set with `--param name=value`, and
//! reaches Rego as `data.config.<name>`.

use serde::{Deserialize, Serialize};

/// Every parameter, with its value for this scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// ARN patterns (IAM `ArnLike` wildcards) of the roles allowed emergency access and
    /// SCP exceptions.
    pub break_glass_role_patterns: Vec<String>,
    /// Acceptable `SAML:aud` values (IAM `StringLike` wildcards).
    pub allowed_saml_audiences: Vec<String>,
    /// Warn when an IdP signing certificate expires within this many days.
    pub expiry_warn_days: u32,
    /// Tag key that marks an instance as planned for Global Resiliency.
    pub gr_planned_tag_key: String,
    /// Value of that tag that means "planned".
    pub gr_planned_tag_value: String,
    /// OUs (names or ids) whose instances are all planned for Global Resiliency.
    pub gr_planned_ous: Vec<String>,
    /// Instances (ids or ARNs) planned for Global Resiliency.
    pub gr_planned_instances: Vec<String>,
    /// OUs (names or ids) that hold production accounts; nested OUs count too.
    pub production_ous: Vec<String>,
    /// Tag key that marks an instance (or its account) as production.
    pub production_tag_key: String,
    /// Values of that tag that mean production (compared case-insensitively).
    pub production_tag_values: Vec<String>,
    /// Report an active access key of a provisioning user older than this many days.
    pub access_key_max_age_days: u32,
    /// Report an active access key of a provisioning user unused for this many days.
    pub access_key_unused_days: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            break_glass_role_patterns: vec![
                "arn:aws:iam::*:role/BreakGlass*".to_owned(),
                "arn:aws:iam::*:role/break-glass*".to_owned(),
            ],
            allowed_saml_audiences: vec![
                "https://signin.aws.amazon.com/saml".to_owned(),
                "https://*.signin.aws.amazon.com/saml".to_owned(),
                "https://*.sign-in.connect.aws/saml*".to_owned(),
            ],
            expiry_warn_days: 30,
            gr_planned_tag_key: "gr:planned".to_owned(),
            gr_planned_tag_value: "true".to_owned(),
            gr_planned_ous: Vec::new(),
            gr_planned_instances: Vec::new(),
            production_ous: vec!["Prod".to_owned(), "Production".to_owned()],
            production_tag_key: "environment".to_owned(),
            production_tag_values: vec!["prod".to_owned(), "production".to_owned()],
            access_key_max_age_days: 90,
            access_key_unused_days: 90,
        }
    }
}

/// The kind of value a parameter takes, for parsing `--param` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Number,
    Text,
}

/// Name, kind and one-line description of every parameter (also printed by `--help`).
const DEFINITIONS: &[(&str, Kind, &str)] = &[
    (
        "break_glass_role_patterns",
        Kind::List,
        "role ARN patterns allowed emergency access and SCP exceptions",
    ),
    (
        "allowed_saml_audiences",
        Kind::List,
        "acceptable SAML:aud values (wildcards allowed)",
    ),
    (
        "expiry_warn_days",
        Kind::Number,
        "warn when an IdP signing certificate expires within N days",
    ),
    (
        "gr_planned_tag_key",
        Kind::Text,
        "instance tag key that marks Global Resiliency plans",
    ),
    (
        "gr_planned_tag_value",
        Kind::Text,
        "value of that tag meaning planned",
    ),
    (
        "gr_planned_ous",
        Kind::List,
        "OU names or ids whose instances plan Global Resiliency",
    ),
    (
        "gr_planned_instances",
        Kind::List,
        "instance ids or ARNs that plan Global Resiliency",
    ),
    (
        "production_ous",
        Kind::List,
        "OU names or ids holding production accounts",
    ),
    (
        "production_tag_key",
        Kind::Text,
        "instance or account tag key marking production",
    ),
    (
        "production_tag_values",
        Kind::List,
        "values of that tag meaning production",
    ),
    (
        "access_key_max_age_days",
        Kind::Number,
        "report a provisioning user's active access key older than N days",
    ),
    (
        "access_key_unused_days",
        Kind::Number,
        "report a provisioning user's active access key unused for N days",
    ),
];

/// A `--param` that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// Not of the form `name=value`.
    #[error("invalid parameter '{0}': expected name=value")]
    Syntax(String),
    /// No parameter has this name.
    #[error("unknown parameter '{name}'{}", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    Unknown {
        /// The name given.
        name: String,
        /// The closest valid name, if one is close.
        suggestion: Option<String>,
    },
    /// The value does not fit the parameter.
    #[error("invalid value for parameter '{name}': {reason}")]
    Value {
        /// The parameter.
        name: String,
        /// Why the value is wrong.
        reason: String,
    },
}

impl Params {
    /// A one-line-per-parameter description, for `--help` and the docs.
    pub fn describe() -> String {
        let defaults = serde_json::to_value(Params::default()).unwrap_or_default();
        DEFINITIONS
            .iter()
            .map(|(name, _, text)| {
                let default = defaults
                    .get(name)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                format!("  {}: {text} (default {default})", name.replace('_', "-"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Applies `name=value` assignments on top of the defaults. Names may be written with
    /// `-` or `_`. Lists take a JSON array or comma-separated values.
    pub fn from_assignments<S: AsRef<str>>(assignments: &[S]) -> Result<Params, ParamError> {
        let mut value = serde_json::to_value(Params::default()).unwrap_or_default();
        for assignment in assignments {
            let assignment = assignment.as_ref();
            let (raw_name, raw_value) = assignment
                .split_once('=')
                .ok_or_else(|| ParamError::Syntax(assignment.to_owned()))?;
            let name = raw_name.trim().replace('-', "_");
            let kind = DEFINITIONS
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, k, _)| *k)
                .ok_or_else(|| ParamError::Unknown {
                    suggestion: closest(&name).map(|s| s.replace('_', "-")),
                    name: raw_name.trim().to_owned(),
                })?;
            let parsed =
                parse_value(kind, raw_value.trim()).map_err(|reason| ParamError::Value {
                    name: name.replace('_', "-"),
                    reason,
                })?;
            value[&name] = parsed;
        }
        serde_json::from_value(value).map_err(|e| ParamError::Value {
            name: "?".to_owned(),
            reason: e.to_string(),
        })
    }
}

fn parse_value(kind: Kind, text: &str) -> Result<serde_json::Value, String> {
    match kind {
        Kind::Number => text
            .parse::<u32>()
            .map(serde_json::Value::from)
            .map_err(|_| format!("'{text}' is not a whole number of days")),
        Kind::Text => Ok(serde_json::Value::from(text)),
        Kind::List if text.starts_with('[') => {
            let list: Vec<String> = serde_json::from_str(text)
                .map_err(|e| format!("not a JSON array of strings: {e}"))?;
            Ok(serde_json::Value::from(list))
        }
        Kind::List => Ok(serde_json::Value::from(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        )),
    }
}

/// The parameter name nearest to `name`, when it is close enough to be a typo.
fn closest(name: &str) -> Option<&'static str> {
    crate::suggest::closest(name, DEFINITIONS.iter().map(|(n, _, _)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_override_defaults() {
        let params = Params::from_assignments(&[
            "expiry-warn-days=45",
            "break_glass_role_patterns=arn:aws:iam::*:role/Emergency*, arn:aws:iam::*:role/BG",
            r#"production-ous=["Live"]"#,
        ])
        .expect("valid params");
        assert_eq!(params.expiry_warn_days, 45);
        assert_eq!(
            params.break_glass_role_patterns,
            ["arn:aws:iam::*:role/Emergency*", "arn:aws:iam::*:role/BG"]
        );
        assert_eq!(params.production_ous, ["Live"]);
        assert_eq!(params.production_tag_key, "environment");
    }

    #[test]
    fn bad_assignments_are_errors() {
        assert_eq!(
            Params::from_assignments(&["expiry-warn-days"]),
            Err(ParamError::Syntax("expiry-warn-days".into()))
        );
        let unknown = Params::from_assignments(&["expiry-warn-dayz=3"]).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown parameter 'expiry-warn-dayz' (did you mean 'expiry-warn-days'?)"
        );
        let value = Params::from_assignments(&["expiry-warn-days=soon"]).unwrap_err();
        assert!(value.to_string().contains("not a whole number"), "{value}");
        assert!(Params::from_assignments(&["production-ous=[1,2]"]).is_err());
    }

    #[test]
    fn every_definition_is_a_field() {
        let fields = serde_json::to_value(Params::default()).expect("serializes");
        let fields = fields.as_object().expect("object");
        assert_eq!(fields.len(), DEFINITIONS.len());
        for (name, _, _) in DEFINITIONS {
            assert!(fields.contains_key(*name), "{name}");
        }
    }
}
