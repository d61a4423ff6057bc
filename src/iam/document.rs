//! Parsing IAM policy documents (identity, trust and SCP documents alike).
//!
//! The grammar is "IAM JSON policy element reference" / "Grammar of the IAM JSON policy
//! language". We are lenient where AWS is (no `Version`, no `Sid`, a single statement object
//! instead of a list, scalar instead of list values, numbers and booleans as condition
//! values) and strict where a mistake would change a decision: `Effect` must be `Allow` or
//! `Deny`, a statement needs exactly one of `Action`/`NotAction`, at most one of
//! `Resource`/`NotResource` and `Principal`/`NotPrincipal`, and unknown elements are refused
//! (AWS refuses them too, so a snapshot containing one was not written by AWS).
//!
//! Errors are one lower-case line; statements are numbered from 1 in messages, while
//! [`Statement::index`] counts from 0.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use super::condition::{Evaluation, RequestContext, Tristate, evaluate_all_with};
use super::variables::{Resolved, resolve};
use super::wildcard::{action_matches, arn_matches, arn_tokens};

/// The policy language version that introduced policy variables.
pub(super) const CURRENT_VERSION: &str = "2012-10-17";

/// Why a policy document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyParseError {
    /// The document is not a JSON object.
    #[error("policy document must be a JSON object")]
    NotAnObject,
    /// A top-level element is wrong.
    #[error("{0}")]
    Document(String),
    /// A statement is wrong; `number` counts from 1.
    #[error("statement {number}: {problem}")]
    Statement {
        /// Position of the statement, from 1.
        number: usize,
        /// What is wrong, one lower-case phrase.
        problem: String,
    },
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PolicyDocument {
    /// `Version`, when present (`2012-10-17` in practice).
    pub version: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub enum ActionSpec {
    /// The statement covers these action patterns.
    Action(Vec<String>),
    /// The statement covers every action except these patterns.
    NotAction(Vec<String>),
}

/// `Resource`, `NotResource`, or neither (trust policies have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub enum ResourceSpec {
    /// The statement covers these ARN patterns.
    Resource(Vec<String>),
    /// The statement covers every resource except these patterns.
    NotResource(Vec<String>),
    /// No resource element: the statement covers the resource it is attached to.
    Absent,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub enum PrincipalSpec {
    /// The statement applies to these principals.
    Principal(Principals),
    /// The statement applies to every principal except these.
    NotPrincipal(Principals),
}

/// The principals of a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Principals {
    /// `"Principal": "*"`: everyone.
    pub any: bool,
    /// By type (`AWS`, `Federated`, `Service`, `CanonicalUser`), values as written.
    pub by_type: BTreeMap<String, Vec<String>>,
}

/// Set operator in front of a condition operator ("Set operators for multivalued context
/// keys").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum SetQualifier {
    /// No set operator.
    None,
    /// `ForAnyValue:`.
    ForAnyValue,
    /// `ForAllValues:`.
    ForAllValues,
}

/// One key of one operator of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Condition {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// The condition key as written, e.g. `aws:PrincipalArn`.
    pub key: String,
    /// The values, numbers and booleans turned into strings.
    pub values: Vec<String>,
}

impl Condition {
    /// The set operator, if any.
    pub fn set_qualifier(&self) -> SetQualifier {
        match self.operator.split_once(':') {
            Some((q, _)) if q.eq_ignore_ascii_case("ForAnyValue") => SetQualifier::ForAnyValue,
            Some((q, _)) if q.eq_ignore_ascii_case("ForAllValues") => SetQualifier::ForAllValues,
            _ => SetQualifier::None,
        }
    }

    /// The operator without set operator and `IfExists`, e.g. `StringLike`. An unknown
    /// prefix is kept, so the operator stays unknown.
    pub fn base_operator(&self) -> &str {
        let op = match self.set_qualifier() {
            SetQualifier::None => self.operator.as_str(),
            _ => self
                .operator
                .split_once(':')
                .map_or(self.operator.as_str(), |(_, rest)| rest),
        };
        strip_if_exists(op).unwrap_or(op)
    }

    /// True when the operator ends with `IfExists`.
    pub fn if_exists(&self) -> bool {
        strip_if_exists(&self.operator).is_some()
    }
}

/// The operator without its `IfExists` suffix, when it has one (and something before it).
fn strip_if_exists(op: &str) -> Option<&str> {
    let cut = op.len().checked_sub("IfExists".len())?;
    let (base, suffix) = (op.get(..cut)?, op.get(cut..)?);
    (suffix.eq_ignore_ascii_case("IfExists") && !base.is_empty() && !base.ends_with(':'))
        .then_some(base)
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Statement {
    /// Position in the document, from 0.
    pub index: usize,
    /// `Sid`, when present.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action` or `NotAction`.
    pub action: ActionSpec,
    /// `Resource`, `NotResource`, or neither.
    pub resource: ResourceSpec,
    /// `Principal` or `NotPrincipal`, when present.
    pub principal: Option<PrincipalSpec>,
    /// `Condition`, flattened to one entry per operator and key, in document order.
    pub conditions: Vec<Condition>,
    /// Whether `${…}` policy variables are substituted: only when the document's `Version`
    /// is `2012-10-17`. A missing `Version` means `2008-10-17`, where "variables such as
    /// `${aws:username}` aren't recognized as variables and are instead treated as literal
    /// strings" ("IAM JSON policy elements: Version").
    pub policy_variables: bool,
}

impl Statement {
    /// Does the statement cover `action`? Honours `NotAction` ("IAM JSON policy elements:
    /// NotAction": everything except the listed actions).
    pub fn matches_action(&self, action: &str) -> bool {
        match &self.action {
            ActionSpec::Action(patterns) => patterns.iter().any(|p| action_matches(p, action)),
            ActionSpec::NotAction(patterns) => !patterns.iter().any(|p| action_matches(p, action)),
        }
    }

    /// Does the statement cover `arn`? Honours `NotResource`; no resource element covers
    /// everything. True only when the answer does not depend on a policy variable; use
    /// [`Self::resource_match`] with a context for those.
    pub fn matches_resource(&self, arn: &str) -> bool {
        self.resource_match(arn, &RequestContext::new())
            .value
            .is_true()
    }

    /// Three-valued resource match, resolving policy variables (`${aws:userid}`) in the
    /// patterns from `context` ("IAM policy elements: Variables and tags").
    pub fn resource_match(&self, arn: &str, context: &RequestContext) -> Evaluation {
        let (patterns, negated) = match &self.resource {
            ResourceSpec::Absent => return Evaluation::known(true),
            ResourceSpec::Resource(p) => (p, false),
            ResourceSpec::NotResource(p) => (p, true),
        };
        let mut unknown_keys = Vec::new();
        let positive = Tristate::any(patterns.iter().map(|pattern| {
            if !self.policy_variables || !pattern.contains("${") {
                return Tristate::from_bool(arn_matches(pattern, arn));
            }
            match resolve(pattern, context) {
                Resolved::Value(tokens) => Tristate::from_bool(arn_tokens(&tokens, arn)),
                Resolved::NoValue => Tristate::False,
                Resolved::Unknown(key) => {
                    unknown_keys.push(key);
                    Tristate::Unknown
                }
            }
        }));
        let value = if negated { positive.not() } else { positive };
        if value != Tristate::Unknown {
            unknown_keys.clear();
        }
        unknown_keys.sort();
        unknown_keys.dedup();
        Evaluation {
            value,
            unknown_keys,
        }
    }

    /// Three-valued AND of the statement's conditions, honouring [`Self::policy_variables`].
    pub fn condition_match(&self, context: &RequestContext) -> Evaluation {
        evaluate_all_with(&self.conditions, context, self.policy_variables)
    }

    /// The `Sid` in quotes, or `statement N` (from 1) when there is none; for messages.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("statement {sid:?}"),
            _ => format!("statement {}", self.index + 1),
        }
    }
}

impl PolicyDocument {
    /// Parses a policy document.
    pub fn parse(value: &Value) -> Result<Self, PolicyParseError> {
        let object = value.as_object().ok_or(PolicyParseError::NotAnObject)?;
        let doc_err = |m: &str| PolicyParseError::Document(m.to_owned());
        for key in object.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(PolicyParseError::Document(format!(
                    "unknown top-level element {key:?}"
                )));
            }
        }
        let version = match object.get("Version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(_) => return Err(doc_err("\"Version\" must be a string")),
        };
        let raw = match object.get("Statement") {
            None => return Err(doc_err("policy document has no \"Statement\"")),
            Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
            Some(single @ Value::Object(_)) => vec![single],
            Some(_) => return Err(doc_err("\"Statement\" must be an object or a list")),
        };
        let policy_variables = version.as_deref() == Some(CURRENT_VERSION);
        let statements = raw
            .into_iter()
            .enumerate()
            .map(|(index, value)| {
                parse_statement(index, value, policy_variables).map_err(|problem| {
                    PolicyParseError::Statement {
                        number: index + 1,
                        problem,
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            version,
            statements,
        })
    }
}

fn parse_statement(
    index: usize,
    value: &Value,
    policy_variables: bool,
) -> Result<Statement, String> {
    let object = value.as_object().ok_or("must be a JSON object")?;
    for key in object.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Principal"
                | "NotPrincipal"
                | "Condition"
        ) {
            return Err(format!("unknown element {key:?}"));
        }
    }
    let sid = match object.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("\"Sid\" must be a string".to_owned()),
    };
    let effect = match object.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err("\"Effect\" must be \"Allow\" or \"Deny\"".to_owned()),
    };
    let action = match (object.get("Action"), object.get("NotAction")) {
        (Some(v), None) => ActionSpec::Action(string_list(v, "Action")?),
        (None, Some(v)) => ActionSpec::NotAction(string_list(v, "NotAction")?),
        (Some(_), Some(_)) => return Err("has both \"Action\" and \"NotAction\"".to_owned()),
        (None, None) => return Err("needs \"Action\" or \"NotAction\"".to_owned()),
    };
    let resource = match (object.get("Resource"), object.get("NotResource")) {
        (Some(v), None) => ResourceSpec::Resource(string_list(v, "Resource")?),
        (None, Some(v)) => ResourceSpec::NotResource(string_list(v, "NotResource")?),
        (Some(_), Some(_)) => return Err("has both \"Resource\" and \"NotResource\"".to_owned()),
        (None, None) => ResourceSpec::Absent,
    };
    let principal = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(v), None) => Some(PrincipalSpec::Principal(principals(v, "Principal")?)),
        (None, Some(v)) => Some(PrincipalSpec::NotPrincipal(principals(v, "NotPrincipal")?)),
        (Some(_), Some(_)) => {
            return Err("has both \"Principal\" and \"NotPrincipal\"".to_owned());
        }
        (None, None) => None,
    };
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(v) => conditions(v)?,
    };
    Ok(Statement {
        index,
        sid,
        effect,
        action,
        resource,
        principal,
        conditions,
        policy_variables,
    })
}

/// A string or a list of strings.
fn string_list(value: &Value, element: &str) -> Result<Vec<String>, String> {
    string_list_of(value, || format!("{element:?}"))
}

/// [`string_list`] for an element whose name is only built when it is wrong: a principal
/// type's name joins two words, and every statement of every policy names one.
fn string_list_of(value: &Value, element: impl Fn() -> String) -> Result<Vec<String>, String> {
    let bad = || format!("{} must be a string or a list of strings", element());
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

fn principals(value: &Value, element: &str) -> Result<Principals, String> {
    match value {
        Value::String(s) if s == "*" => Ok(Principals {
            any: true,
            by_type: BTreeMap::new(),
        }),
        Value::Object(map) => {
            let mut by_type = BTreeMap::new();
            for (kind, ids) in map {
                if !matches!(
                    kind.as_str(),
                    "AWS" | "Federated" | "Service" | "CanonicalUser"
                ) {
                    return Err(format!("{element:?} has unknown principal type {kind:?}"));
                }
                by_type.insert(
                    kind.clone(),
                    string_list_of(ids, || format!("{:?}", format!("{element}.{kind}")))?,
                );
            }
            Ok(Principals {
                any: false,
                by_type,
            })
        }
        _ => Err(format!("{element:?} must be \"*\" or an object")),
    }
}

fn conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let operators: &Map<String, Value> =
        value.as_object().ok_or("\"Condition\" must be an object")?;
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let keys = keys
            .as_object()
            .ok_or_else(|| format!("condition operator {operator:?} must map keys to values"))?;
        for (key, values) in keys {
            let scalar = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            let bad = || {
                format!("condition {operator} {key:?}: values must be strings, numbers or booleans")
            };
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .map(|i| scalar(i).ok_or_else(bad))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![scalar(other).ok_or_else(bad)?],
            };
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> PolicyDocument {
        match PolicyDocument::parse(&v) {
            Ok(doc) => doc,
            Err(e) => panic!("parse failed: {e}"),
        }
    }

    #[test]
    fn parses_full_statement() {
        let doc = parse(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "Trust",
                "Effect": "Allow",
                "Principal": {"Federated": ["arn:aws:iam::1:saml-provider/Okta", "arn:aws:iam::1:saml-provider/Entra"]},
                "Action": "sts:AssumeRoleWithSAML",
                "Condition": {
                    "StringEquals": {"SAML:aud": ["https://signin.aws.amazon.com/saml"]},
                    "NumericLessThan": {"n": 5},
                    "Bool": {"aws:SecureTransport": true}
                }
            }]
        }));
        assert_eq!(doc.version.as_deref(), Some("2012-10-17"));
        let s = &doc.statements[0];
        assert_eq!(s.index, 0);
        assert_eq!(s.sid.as_deref(), Some("Trust"));
        assert_eq!(s.effect, Effect::Allow);
        assert_eq!(s.resource, ResourceSpec::Absent);
        let Some(PrincipalSpec::Principal(p)) = &s.principal else {
            panic!("principal expected");
        };
        assert!(!p.any);
        assert_eq!(p.by_type["Federated"].len(), 2);
        assert_eq!(s.conditions.len(), 3);
        assert_eq!(s.conditions[1].values, vec!["5".to_owned()]);
        assert_eq!(s.conditions[2].values, vec!["true".to_owned()]);
        assert!(s.matches_resource("anything"));
    }

    #[test]
    fn lenient_forms() {
        let doc = parse(
            json!({"Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:role/Keep", "Principal": "*"}}),
        );
        assert_eq!(doc.version, None);
        let s = &doc.statements[0];
        assert_eq!(s.sid, None);
        assert_eq!(s.action, ActionSpec::NotAction(vec!["iam:*".to_owned()]));
        assert!(matches!(&s.principal, Some(PrincipalSpec::Principal(p)) if p.any));
        assert_eq!(s.label(), "statement 1");
    }

    #[test]
    fn errors() {
        let ok = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
        let cases = [
            (json!([]), "policy document must be a JSON object"),
            (json!({}), "policy document has no \"Statement\""),
            (
                json!({"Statement": 3}),
                "\"Statement\" must be an object or a list",
            ),
            (
                json!({"Version": 1, "Statement": []}),
                "\"Version\" must be a string",
            ),
            (
                json!({"Statment": []}),
                "unknown top-level element \"Statment\"",
            ),
            (
                json!({"Statement": [ok, {"Effect": "allow", "Action": "*"}]}),
                "statement 2: \"Effect\" must be \"Allow\" or \"Deny\"",
            ),
            (
                json!({"Statement": [{"Effect": "Deny"}]}),
                "statement 1: needs \"Action\" or \"NotAction\"",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": "*", "NotAction": "x"}]}),
                "statement 1: has both \"Action\" and \"NotAction\"",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": [1]}]}),
                "statement 1: \"Action\" must be a string or a list of strings",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": "*", "Principal": {"Bogus": "x"}}]}),
                "statement 1: \"Principal\" has unknown principal type \"Bogus\"",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": "*", "Condition": {"StringEquals": {"k": {"x": 1}}}}]}),
                "statement 1: condition StringEquals \"k\": values must be strings, numbers or booleans",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": "*", "Condition": []}]}),
                "statement 1: \"Condition\" must be an object",
            ),
            (
                json!({"Statement": [{"Effect": "Deny", "Action": "*", "Extra": 1}]}),
                "statement 1: unknown element \"Extra\"",
            ),
        ];
        for (doc, want) in cases {
            match PolicyDocument::parse(&doc) {
                Ok(_) => panic!("expected error {want}"),
                Err(e) => assert_eq!(e.to_string(), want),
            }
        }
    }

    #[test]
    fn operator_parts() {
        let c = |op: &str| Condition {
            operator: op.to_owned(),
            key: "k".to_owned(),
            values: vec![],
        };
        let cases = [
            ("StringEquals", SetQualifier::None, "StringEquals", false),
            ("StringLikeIfExists", SetQualifier::None, "StringLike", true),
            (
                "ForAnyValue:StringLike",
                SetQualifier::ForAnyValue,
                "StringLike",
                false,
            ),
            (
                "ForAllValues:ArnNotLikeIfExists",
                SetQualifier::ForAllValues,
                "ArnNotLike",
                true,
            ),
            ("IfExists", SetQualifier::None, "IfExists", false),
            ("Weird:Null", SetQualifier::None, "Weird:Null", false),
        ];
        for (op, q, base, if_exists) in cases {
            let cond = c(op);
            assert_eq!(cond.set_qualifier(), q, "{op}");
            assert_eq!(cond.base_operator(), base, "{op}");
            assert_eq!(cond.if_exists(), if_exists, "{op}");
        }
    }

    #[test]
    fn action_and_resource_matching() {
        let doc = parse(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": ["connect:Get*", "iam:*"], "Resource": "*"},
            {"Effect": "Deny", "Action": "connect:*", "NotResource": "arn:aws:connect:*:*:instance/keep-*"},
            {"Effect": "Allow", "Action": "CONNECT:GetFederationToken", "Resource": "arn:aws:connect:us-east-1:1:instance/i/user/${aws:userid}"}
        ]}));
        let [allow_not, deny_not, fed] = &doc.statements[..] else {
            panic!("three statements");
        };
        // NotAction Allow: everything except the listed actions.
        assert!(allow_not.matches_action("connect:DeleteInstance"));
        assert!(allow_not.matches_action("connect:AdminGetEmergencyAccessToken"));
        assert!(!allow_not.matches_action("connect:GetFederationTokens"));
        assert!(!allow_not.matches_action("IAM:DeleteRole"));
        // NotResource Deny: every resource except the listed ones (case-sensitive).
        assert!(deny_not.matches_resource("arn:aws:connect:us-east-1:1:instance/prod"));
        assert!(!deny_not.matches_resource("arn:aws:connect:us-east-1:1:instance/keep-1"));
        assert!(deny_not.matches_resource("arn:aws:connect:us-east-1:1:instance/KEEP-1"));
        // Actions are case-insensitive, resources are not.
        assert!(fed.matches_action("connect:getfederationtoken"));
        let arn = "arn:aws:connect:us-east-1:1:instance/i/user/AROA1:jdoe";
        assert!(!fed.matches_resource(arn));
        assert_eq!(
            fed.resource_match(arn, &RequestContext::new()).value,
            Tristate::Unknown
        );
        let ctx = RequestContext::new().with("aws:userid", ["AROA1:jdoe"]);
        assert_eq!(fed.resource_match(arn, &ctx).value, Tristate::True);
        let ctx = RequestContext::new().with("aws:userid", ["AROA1:other"]);
        assert_eq!(fed.resource_match(arn, &ctx).value, Tristate::False);
    }

    #[test]
    fn old_version_treats_variables_as_literals() {
        let statement = json!({"Effect": "Allow", "Action": "connect:GetFederationToken",
            "Resource": "arn:aws:connect:us-east-1:1:instance/i/user/${aws:userid}",
            "Condition": {"StringEquals": {"aws:username": "${aws:userid}"}}});
        let ctx = RequestContext::new()
            .with("aws:userid", ["AROA1:jdoe"])
            .with("aws:username", ["${aws:userid}"]);
        let arn = "arn:aws:connect:us-east-1:1:instance/i/user/AROA1:jdoe";
        let literal = "arn:aws:connect:us-east-1:1:instance/i/user/${aws:userid}";
        let cases = [
            (
                json!({"Version": "2012-10-17", "Statement": statement.clone()}),
                true,
                Tristate::True,
                Tristate::False,
                Tristate::False,
            ),
            (
                json!({"Version": "2008-10-17", "Statement": statement.clone()}),
                false,
                Tristate::False,
                Tristate::True,
                Tristate::True,
            ),
            (
                json!({"Statement": statement}),
                false,
                Tristate::False,
                Tristate::True,
                Tristate::True,
            ),
        ];
        for (doc, vars, on_arn, on_literal, cond) in cases {
            let doc = parse(doc);
            let s = &doc.statements[0];
            assert_eq!(s.policy_variables, vars);
            assert_eq!(s.resource_match(arn, &ctx).value, on_arn);
            assert_eq!(s.resource_match(literal, &ctx).value, on_literal);
            assert_eq!(s.condition_match(&ctx).value, cond);
        }
    }
}
