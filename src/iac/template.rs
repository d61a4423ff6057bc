//! Reading a CloudFormation template, JSON or YAML, into one JSON form.
//!
//! YAML templates may use the short-form intrinsic functions (`!Ref Name`, `!Sub "…"`,
//! `!GetAtt Res.Attr`, `!If [...]`, …). They are rewritten to the long form CloudFormation
//! documents (`{"Ref": "Name"}`, `{"Fn::Sub": "…"}`, `{"Fn::GetAtt": ["Res", "Attr"]}`), so
//! the rest of connect-guard sees one shape whatever the file format.

use serde_json::{Map, Value};
use serde_norway::value::TaggedValue;

/// A parsed template: its sections, with intrinsics in long form.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// `Parameters`, by logical name.
    pub(crate) parameters: Map<String, Value>,
    /// `Mappings`.
    pub(crate) mappings: Map<String, Value>,
    /// `Conditions`, by name.
    pub(crate) conditions: Map<String, Value>,
    /// `Resources`, by logical id.
    pub(crate) resources: Map<String, Value>,
}

/// The largest template CloudFormation accepts (a template in S3: 1 MB).
const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// Deepest `[`/`{` nesting accepted in YAML: the YAML parser takes time quadratic in it
/// before its own recursion limit (128) applies, so a hostile file is refused up front.
const MAX_FLOW_DEPTH: usize = 128;

/// Parses `text` (JSON when it starts with `{`, YAML otherwise). The error is one line.
pub(crate) fn parse(text: &str) -> Result<Template, String> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(format!(
            "{} bytes, over CloudFormation's template limit of {MAX_TEMPLATE_BYTES}",
            text.len()
        ));
    }
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).map_err(|e| format!("invalid JSON: {e}"))?
    } else {
        if flow_depth(text) > MAX_FLOW_DEPTH {
            return Err(format!(
                "invalid YAML: nested deeper than {MAX_FLOW_DEPTH} levels"
            ));
        }
        let yaml: serde_norway::Value =
            serde_norway::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
        from_yaml(yaml)?
    };
    let Value::Object(mut sections) = value else {
        return Err("a template is a mapping of sections".to_owned());
    };
    let mut section = |name: &str| -> Result<Map<String, Value>, String> {
        match sections.remove(name) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(_) => Err(format!("the {name} section is not a mapping")),
        }
    };
    let template = Template {
        parameters: section("Parameters")?,
        mappings: section("Mappings")?,
        conditions: section("Conditions")?,
        resources: section("Resources")?,
    };
    if template.resources.is_empty() {
        return Err("the template has no Resources section".to_owned());
    }
    Ok(template)
}

/// The deepest nesting of `[` and `{` outside quoted scalars (a linear upper bound of what
/// the YAML parser will nest).
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0usize, None);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// YAML to JSON, with tags turned into long-form intrinsics.
fn from_yaml(value: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?)
        }
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                map.insert(key, from_yaml(value)?);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => intrinsic(*tagged)?,
    })
}

/// `!Name value` as `{"Fn::Name": value}`, with the forms CloudFormation gives `!Ref`,
/// `!Condition` and the dotted `!GetAtt`.
fn intrinsic(tagged: TaggedValue) -> Result<Value, String> {
    let name = tagged.tag.to_string();
    let name = name.trim_start_matches('!');
    let value = from_yaml(tagged.value)?;
    let (key, value) = match name {
        "Ref" => ("Ref".to_owned(), value),
        "Condition" => ("Condition".to_owned(), value),
        "GetAtt" => {
            let value = match value {
                Value::String(dotted) => {
                    let (resource, attribute) = dotted
                        .split_once('.')
                        .ok_or_else(|| format!("!GetAtt {dotted} names no attribute"))?;
                    Value::Array(vec![resource.into(), attribute.into()])
                }
                other => other,
            };
            ("Fn::GetAtt".to_owned(), value)
        }
        "Base64" | "Cidr" | "FindInMap" | "GetAZs" | "ImportValue" | "Join" | "Select"
        | "Split" | "Sub" | "Transform" | "And" | "Equals" | "If" | "Not" | "Or"
        | "ToJsonString" | "Length" => (format!("Fn::{name}"), value),
        other => return Err(format!("unknown intrinsic function !{other}")),
    };
    Ok(Value::Object(Map::from_iter([(key, value)])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_form_intrinsics_become_the_long_form() {
        let template = parse(
            "Parameters:\n  Env: {Type: String, Default: prod}\n\
             Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      \
             RoleName: !Sub 'connect-${Env}'\n      Path: !If [IsProd, /prod/, !Ref AWS::NoValue]\n      \
             Arn: !GetAtt Instance.Arn\n      Joined: !Join ['', [a, !Ref Env]]\n",
        )
        .expect("parses");
        let properties = &template.resources["Role"]["Properties"];
        assert_eq!(properties["RoleName"], json!({"Fn::Sub": "connect-${Env}"}));
        assert_eq!(
            properties["Path"],
            json!({"Fn::If": ["IsProd", "/prod/", {"Ref": "AWS::NoValue"}]})
        );
        assert_eq!(
            properties["Arn"],
            json!({"Fn::GetAtt": ["Instance", "Arn"]})
        );
        assert_eq!(
            properties["Joined"],
            json!({"Fn::Join": ["", ["a", {"Ref": "Env"}]]})
        );
        assert_eq!(template.parameters["Env"]["Default"], "prod");
    }

    #[test]
    fn what_is_not_a_template_is_refused_in_one_line() {
        for (text, expected) in [
            ("{\"Resources\": ", "invalid JSON"),
            ("Resources: [", "invalid YAML"),
            ("- a\n- b\n", "a template is a mapping"),
            (
                "AWSTemplateFormatVersion: '2010-09-09'\n",
                "no Resources section",
            ),
            (
                "Resources:\n  X: !Bogus y\n",
                "unknown intrinsic function !Bogus",
            ),
        ] {
            let error = parse(text).expect_err(text);
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(!error.contains('\n'), "one line: {error}");
        }
        // Hostile files are refused at once, not parsed for minutes.
        let deep = format!(
            "Resources: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let huge = format!("Resources: {{}}\n#{}\n", "x".repeat(1_000_001));
        for (text, expected) in [
            (deep.as_str(), "nested deeper than 128 levels"),
            (huge.as_str(), "over CloudFormation's template limit"),
        ] {
            let started = std::time::Instant::now();
            let error = parse(text).expect_err("refused");
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(!error.contains('\n'), "one line: {error}");
        }
    }
}
