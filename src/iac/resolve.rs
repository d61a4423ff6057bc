//! Evaluating CloudFormation intrinsic functions where the template alone decides them.
//!
//! `Ref` and `Fn::GetAtt` of the template's own resources, parameters with a default, the
//! pseudo parameters, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
//! `Fn::If` and the condition functions are evaluated. What only a deployment knows (a
//! parameter without a default, `Fn::ImportValue`, `Fn::GetAZs`, an attribute the template
//! cannot know) is [`Unresolved`], with the reason: the resource holding it is then reported
//! as not assessed instead of being judged on a guess.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::template::Template;

/// Why a value cannot be known before deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unresolved(pub(crate) String);

/// What `Ref` and `Fn::GetAtt` return for one resource.
#[derive(Debug, Clone, Default)]
pub(crate) struct Handles {
    /// The value of `Ref`.
    pub(crate) reference: Option<String>,
    /// `Fn::GetAtt` values by attribute name.
    pub(crate) attributes: BTreeMap<String, String>,
}

/// The template being evaluated and where it will be deployed.
pub(crate) struct Context<'a> {
    pub(crate) template: &'a Template,
    pub(crate) account_id: &'a str,
    pub(crate) region: &'a str,
    pub(crate) stack_name: &'a str,
    /// `Ref`/`Fn::GetAtt` values of the template's resources, by logical id.
    pub(crate) handles: &'a BTreeMap<String, Handles>,
}

type Outcome = Result<Option<Value>, Unresolved>;

impl Context<'_> {
    /// `value` with its intrinsics evaluated; `None` for `AWS::NoValue`.
    pub(crate) fn resolve(&self, value: &Value) -> Outcome {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let (name, argument) = map.iter().next().expect("one entry");
                match name.as_str() {
                    "Ref" => self.reference(argument),
                    "Fn::GetAtt" => self.get_att(argument).map(Some),
                    "Fn::Sub" => self.sub(argument).map(|s| Some(Value::String(s))),
                    "Fn::Join" => self.join(argument).map(|s| Some(Value::String(s))),
                    "Fn::Select" => self.select(argument),
                    "Fn::Split" => self.split(argument).map(Some),
                    "Fn::If" => self.if_(argument),
                    "Fn::FindInMap" => self.find_in_map(argument).map(Some),
                    "Fn::Base64" => self.resolve(argument),
                    super::terraform::UNKNOWN => Err(Unresolved(
                        argument
                            .as_str()
                            .unwrap_or("the value is known only after apply")
                            .to_owned(),
                    )),
                    "Fn::ImportValue" => Err(Unresolved(
                        "Fn::ImportValue: the value is exported by another stack".to_owned(),
                    )),
                    other if other.starts_with("Fn::") => Err(Unresolved(format!(
                        "{other} is evaluated only at deployment"
                    ))),
                    _ => self.object(map),
                }
            }
            Value::Object(map) => self.object(map),
            Value::Array(items) => {
                let mut resolved = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(value) = self.resolve(item)? {
                        resolved.push(value);
                    }
                }
                Ok(Some(Value::Array(resolved)))
            }
            other => Ok(Some(other.clone())),
        }
    }

    fn object(&self, map: &Map<String, Value>) -> Outcome {
        let mut resolved = Map::new();
        for (key, value) in map {
            if let Some(value) = self.resolve(value)? {
                resolved.insert(key.clone(), value);
            }
        }
        Ok(Some(Value::Object(resolved)))
    }

    /// A value that must be there (not `AWS::NoValue`).
    fn required(&self, value: &Value, what: &str) -> Result<Value, Unresolved> {
        self.resolve(value)?
            .ok_or_else(|| Unresolved(format!("{what} is AWS::NoValue")))
    }

    fn string(&self, value: &Value, what: &str) -> Result<String, Unresolved> {
        match self.required(value, what)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(Unresolved(format!("{what} is not a string"))),
        }
    }

    fn reference(&self, name: &Value) -> Outcome {
        let Value::String(name) = name else {
            return Err(Unresolved("Ref names no string".to_owned()));
        };
        let pseudo = match name.as_str() {
            "AWS::NoValue" => return Ok(None),
            "AWS::AccountId" => Some(self.account_id.to_owned()),
            "AWS::Region" => Some(self.region.to_owned()),
            "AWS::Partition" => Some(partition(self.region).to_owned()),
            "AWS::StackName" => Some(self.stack_name.to_owned()),
            "AWS::URLSuffix" => Some("amazonaws.com".to_owned()),
            other if other.starts_with("AWS::") => {
                return Err(Unresolved(format!("{other} is known only at deployment")));
            }
            _ => None,
        };
        if let Some(value) = pseudo {
            return Ok(Some(Value::String(value)));
        }
        if let Some(parameter) = self.template.parameters.get(name) {
            let Some(default) = parameter.get("Default") else {
                return Err(Unresolved(format!("parameter {name} has no default")));
            };
            let is_list = parameter
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            return Ok(Some(match (is_list, default) {
                (true, Value::String(s)) => Value::Array(
                    s.split(',')
                        .map(|p| Value::String(p.trim().to_owned()))
                        .collect(),
                ),
                (_, other) => other.clone(),
            }));
        }
        match self.handles.get(name) {
            Some(Handles {
                reference: Some(value),
                ..
            }) => Ok(Some(Value::String(value.clone()))),
            Some(_) => Err(Unresolved(format!(
                "Ref {name}: the value is known only after deployment"
            ))),
            None => Err(Unresolved(format!(
                "Ref {name}: no such parameter or resource"
            ))),
        }
    }

    fn get_att(&self, argument: &Value) -> Result<Value, Unresolved> {
        let (resource, attribute) = match argument {
            Value::Array(parts) if parts.len() == 2 => (
                self.string(&parts[0], "Fn::GetAtt resource")?,
                self.string(&parts[1], "Fn::GetAtt attribute")?,
            ),
            Value::String(dotted) => match dotted.split_once('.') {
                Some((r, a)) => (r.to_owned(), a.to_owned()),
                None => {
                    return Err(Unresolved(format!(
                        "Fn::GetAtt {dotted} names no attribute"
                    )));
                }
            },
            _ => {
                return Err(Unresolved(
                    "Fn::GetAtt takes [resource, attribute]".to_owned(),
                ));
            }
        };
        self.attribute(&resource, &attribute).map(Value::String)
    }

    fn attribute(&self, resource: &str, attribute: &str) -> Result<String, Unresolved> {
        self.handles
            .get(resource)
            .and_then(|h| h.attributes.get(attribute))
            .cloned()
            .ok_or_else(|| {
                Unresolved(format!(
                    "{resource}.{attribute} is known only after deployment"
                ))
            })
    }

    fn sub(&self, argument: &Value) -> Result<String, Unresolved> {
        let (text, variables) = match argument {
            Value::String(text) => (text.clone(), Map::new()),
            Value::Array(parts) if parts.len() == 2 => {
                let text = self.string(&parts[0], "Fn::Sub string")?;
                let variables = match self.required(&parts[1], "Fn::Sub variables")? {
                    Value::Object(map) => map,
                    _ => return Err(Unresolved("Fn::Sub variables are not a mapping".to_owned())),
                };
                (text, variables)
            }
            _ => return Err(Unresolved("Fn::Sub takes a string".to_owned())),
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| Unresolved("Fn::Sub has an unclosed ${".to_owned()))?;
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(value) = variables.get(name) {
                match value {
                    Value::String(s) => out.push_str(s),
                    other => out.push_str(&other.to_string()),
                }
            } else if let Some((resource, attribute)) = name.split_once('.') {
                out.push_str(&self.attribute(resource, attribute)?);
            } else {
                let value = self.string(
                    &Value::Object(Map::from_iter([(
                        "Ref".to_owned(),
                        Value::String(name.to_owned()),
                    )])),
                    name,
                )?;
                out.push_str(&value);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn join(&self, argument: &Value) -> Result<String, Unresolved> {
        let Value::Array(parts) = argument else {
            return Err(Unresolved("Fn::Join takes [delimiter, list]".to_owned()));
        };
        let [delimiter, list] = parts.as_slice() else {
            return Err(Unresolved("Fn::Join takes [delimiter, list]".to_owned()));
        };
        let delimiter = self.string(delimiter, "Fn::Join delimiter")?;
        let Value::Array(items) = self.required(list, "Fn::Join list")? else {
            return Err(Unresolved("Fn::Join list is not a list".to_owned()));
        };
        let strings: Vec<String> = items
            .iter()
            .map(|item| self.string(item, "Fn::Join item"))
            .collect::<Result<_, _>>()?;
        Ok(strings.join(&delimiter))
    }

    fn select(&self, argument: &Value) -> Outcome {
        let Value::Array(parts) = argument else {
            return Err(Unresolved("Fn::Select takes [index, list]".to_owned()));
        };
        let [index, list] = parts.as_slice() else {
            return Err(Unresolved("Fn::Select takes [index, list]".to_owned()));
        };
        let index: usize = self
            .string(index, "Fn::Select index")?
            .parse()
            .map_err(|_| Unresolved("Fn::Select index is not a number".to_owned()))?;
        let Value::Array(items) = self.required(list, "Fn::Select list")? else {
            return Err(Unresolved("Fn::Select list is not a list".to_owned()));
        };
        items
            .get(index)
            .cloned()
            .map(Some)
            .ok_or_else(|| Unresolved(format!("Fn::Select index {index} is out of range")))
    }

    fn split(&self, argument: &Value) -> Result<Value, Unresolved> {
        let Value::Array(parts) = argument else {
            return Err(Unresolved("Fn::Split takes [delimiter, string]".to_owned()));
        };
        let [delimiter, text] = parts.as_slice() else {
            return Err(Unresolved("Fn::Split takes [delimiter, string]".to_owned()));
        };
        let delimiter = self.string(delimiter, "Fn::Split delimiter")?;
        let text = self.string(text, "Fn::Split string")?;
        Ok(Value::Array(
            text.split(delimiter.as_str())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ))
    }

    fn if_(&self, argument: &Value) -> Outcome {
        let Value::Array(parts) = argument else {
            return Err(Unresolved(
                "Fn::If takes [condition, then, else]".to_owned(),
            ));
        };
        let [condition, then, otherwise] = parts.as_slice() else {
            return Err(Unresolved(
                "Fn::If takes [condition, then, else]".to_owned(),
            ));
        };
        let Value::String(condition) = condition else {
            return Err(Unresolved("Fn::If names no condition".to_owned()));
        };
        if self.condition(condition)? {
            self.resolve(then)
        } else {
            self.resolve(otherwise)
        }
    }

    fn find_in_map(&self, argument: &Value) -> Result<Value, Unresolved> {
        let Value::Array(parts) = argument else {
            return Err(Unresolved("Fn::FindInMap takes [map, key, key]".to_owned()));
        };
        let [map, first, second] = parts.as_slice() else {
            return Err(Unresolved("Fn::FindInMap takes [map, key, key]".to_owned()));
        };
        let (map, first, second) = (
            self.string(map, "Fn::FindInMap map")?,
            self.string(first, "Fn::FindInMap key")?,
            self.string(second, "Fn::FindInMap key")?,
        );
        self.template
            .mappings
            .get(&map)
            .and_then(|m| m.get(&first))
            .and_then(|m| m.get(&second))
            .cloned()
            .ok_or_else(|| {
                Unresolved(format!(
                    "Fn::FindInMap {map}.{first}.{second} is not in Mappings"
                ))
            })
    }

    /// Evaluates the template condition `name`.
    pub(crate) fn condition(&self, name: &str) -> Result<bool, Unresolved> {
        let definition = self
            .template
            .conditions
            .get(name)
            .ok_or_else(|| Unresolved(format!("condition {name} is not defined")))?;
        self.condition_value(definition, 0)
    }

    fn condition_value(&self, value: &Value, depth: usize) -> Result<bool, Unresolved> {
        if depth > 32 {
            return Err(Unresolved("conditions nest too deeply".to_owned()));
        }
        let Some((name, argument)) = value
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.iter().next())
        else {
            return match value {
                Value::Bool(b) => Ok(*b),
                _ => Err(Unresolved(
                    "a condition is not a condition function".to_owned(),
                )),
            };
        };
        let list = |what: &str| -> Result<&Vec<Value>, Unresolved> {
            argument
                .as_array()
                .ok_or_else(|| Unresolved(format!("{what} takes a list")))
        };
        match name.as_str() {
            "Fn::Equals" => {
                let items = list("Fn::Equals")?;
                let [a, b] = items.as_slice() else {
                    return Err(Unresolved("Fn::Equals takes two values".to_owned()));
                };
                Ok(
                    self.required(a, "Fn::Equals value")?
                        == self.required(b, "Fn::Equals value")?,
                )
            }
            "Fn::And" => {
                let mut all = true;
                for item in list("Fn::And")? {
                    all &= self.condition_value(item, depth + 1)?;
                }
                Ok(all)
            }
            "Fn::Or" => {
                let mut any = false;
                for item in list("Fn::Or")? {
                    any |= self.condition_value(item, depth + 1)?;
                }
                Ok(any)
            }
            "Fn::Not" => {
                let items = list("Fn::Not")?;
                let [item] = items.as_slice() else {
                    return Err(Unresolved("Fn::Not takes one condition".to_owned()));
                };
                Ok(!self.condition_value(item, depth + 1)?)
            }
            "Condition" => {
                let name = argument
                    .as_str()
                    .ok_or_else(|| Unresolved("Condition names no condition".to_owned()))?;
                let definition = self
                    .template
                    .conditions
                    .get(name)
                    .ok_or_else(|| Unresolved(format!("condition {name} is not defined")))?;
                self.condition_value(definition, depth + 1)
            }
            other => Err(Unresolved(format!("{other} is not a condition function"))),
        }
    }
}

/// The partition of a region.
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Template {
        super::super::template::parse(
            "Parameters:\n  Env: {Type: String, Default: prod}\n  Secret: {Type: String}\n  \
             Zones: {Type: CommaDelimitedList, Default: 'a, b'}\n\
             Mappings:\n  Audience: {prod: {url: 'https://signin.aws.amazon.com/saml'}}\n\
             Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Condition IsProd]\n\
             Resources:\n  Provider: {Type: AWS::IAM::SAMLProvider}\n",
        )
        .expect("template")
    }

    fn context<'a>(template: &'a Template, handles: &'a BTreeMap<String, Handles>) -> Context<'a> {
        Context {
            template,
            account_id: "111122223333",
            region: "eu-west-2",
            stack_name: "contact-center",
            handles,
        }
    }

    #[test]
    fn what_the_template_decides_is_evaluated() {
        let template = template();
        let handles = BTreeMap::from([(
            "Provider".to_owned(),
            Handles {
                reference: Some("arn:aws:iam::111122223333:saml-provider/Okta".to_owned()),
                attributes: BTreeMap::from([(
                    "Arn".to_owned(),
                    "arn:aws:iam::111122223333:saml-provider/Okta".to_owned(),
                )]),
            },
        )]);
        let context = context(&template, &handles);
        let cases = [
            (json!({"Ref": "Env"}), json!("prod")),
            (json!({"Ref": "Zones"}), json!(["a", "b"])),
            (
                json!({"Ref": "Provider"}),
                json!("arn:aws:iam::111122223333:saml-provider/Okta"),
            ),
            (
                json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Env}-${!Literal}"}),
                json!("arn:aws:iam::111122223333:role/prod-${Literal}"),
            ),
            (
                json!({"Fn::Sub": "${Provider.Arn}"}),
                json!("arn:aws:iam::111122223333:saml-provider/Okta"),
            ),
            (
                json!({"Fn::Sub": ["${X}/*", {"X": {"Ref": "AWS::Region"}}]}),
                json!("eu-west-2/*"),
            ),
            (
                json!({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}),
                json!("a-prod"),
            ),
            (
                json!({"Fn::Select": [1, {"Fn::Split": [",", "x,y"]}]}),
                json!("y"),
            ),
            (
                json!({"Fn::FindInMap": ["Audience", {"Ref": "Env"}, "url"]}),
                json!("https://signin.aws.amazon.com/saml"),
            ),
            (json!({"Fn::If": ["NotProd", "no", "yes"]}), json!("yes")),
            (
                json!({"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Ref": "AWS::NoValue"}]}),
                json!({"b": [1]}),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(context.resolve(&input), Ok(Some(expected)), "{input}");
        }
    }

    #[test]
    fn what_only_a_deployment_knows_is_unresolved_with_the_reason() {
        let template = template();
        let handles = BTreeMap::new();
        let context = context(&template, &handles);
        for (input, reason) in [
            (json!({"Ref": "Secret"}), "parameter Secret has no default"),
            (
                json!({"Fn::ImportValue": "shared-idp"}),
                "exported by another stack",
            ),
            (
                json!({"Fn::GetAtt": ["Instance", "Arn"]}),
                "Instance.Arn is known only after deployment",
            ),
            (
                json!({"Fn::GetAZs": ""}),
                "Fn::GetAZs is evaluated only at deployment",
            ),
            (
                json!({"Ref": "AWS::NotificationARNs"}),
                "known only at deployment",
            ),
        ] {
            let Err(Unresolved(message)) = context.resolve(&input) else {
                panic!("{input} resolved");
            };
            assert!(message.contains(reason), "{input}: {message}");
        }
    }
}
