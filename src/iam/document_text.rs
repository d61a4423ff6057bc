//! Policy documents read straight from their JSON text into [`PolicyDocument`].
//!
//! A large organization's snapshot holds tens of thousands of trust, inline and managed
//! policies. Building a `serde_json::Value` tree of each and then walking it
//! ([`PolicyDocument::parse`]) allocated a map for every object and was a tenth of a scan's
//! CPU at 10,000 accounts (docs/benchmarks.md). The reader here visits the text once and
//! builds the typed form directly.
//!
//! It accepts only what [`PolicyDocument::parse`] accepts, and reads it the same way. Anything
//! it is not sure of (a repeated key, where the tree would keep the last value; a condition
//! value that is a fraction, whose text the tree would normalise; any element of the wrong
//! kind) makes it give up, and [`PolicyDocument::parse_text`] then parses the tree, which also
//! explains what is wrong with the same words as before. A property test checks the two agree
//! on arbitrary policy-shaped documents.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::document::{
    ActionSpec, CURRENT_VERSION, Condition, Effect, PolicyDocument, PolicyParseError,
    PrincipalSpec, Principals, ResourceSpec, Statement,
};

impl PolicyDocument {
    /// Parses a policy document from its JSON text; the same result (and the same error) as
    /// [`PolicyDocument::parse`] of the text's `serde_json::Value`.
    pub fn parse_text(text: &str) -> Result<Self, PolicyParseError> {
        if let Some(document) = read_typed(text) {
            return Ok(document);
        }
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| PolicyParseError::Document(format!("not a JSON document: {e}")))?;
        Self::parse(&value)
    }
}

/// The document when the typed reader is sure of it, `None` when the tree must decide.
pub(super) fn read_typed(text: &str) -> Option<PolicyDocument> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document: Document = from_object(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(document.into_policy())
}

/// A struct read from a JSON object only: serde's derived structs also read a list of their
/// fields' values in order, which no policy grammar allows.
fn from_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_map(V(std::marker::PhantomData))
}

/// The top level, as the text has it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(rename = "Version", default, deserialize_with = "present")]
    version: Option<String>,
    /// Any value; `PolicyDocument::parse` does not look at it either.
    #[serde(rename = "Id", default)]
    _id: Option<IgnoredAny>,
    #[serde(rename = "Statement")]
    statement: OneOrMany<RawStatement>,
}

impl Document {
    fn into_policy(self) -> PolicyDocument {
        let policy_variables = self.version.as_deref() == Some(CURRENT_VERSION);
        let statements = self
            .statement
            .0
            .into_iter()
            .enumerate()
            .map(|(index, s)| Statement {
                index,
                sid: s.sid,
                effect: s.effect.0,
                action: s.action,
                resource: s.resource,
                principal: s.principal,
                conditions: s.conditions,
                policy_variables,
            })
            .collect();
        PolicyDocument {
            version: self.version,
            statements,
        }
    }
}

/// One statement, its element pairs (`Action`/`NotAction`…) already checked.
struct RawStatement {
    sid: Option<String>,
    effect: EffectText,
    action: ActionSpec,
    resource: ResourceSpec,
    principal: Option<PrincipalSpec>,
    conditions: Vec<Condition>,
}

impl<'de> Deserialize<'de> for RawStatement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Elements {
            #[serde(rename = "Sid", default, deserialize_with = "present")]
            sid: Option<String>,
            #[serde(rename = "Effect")]
            effect: EffectText,
            #[serde(rename = "Action", default, deserialize_with = "present")]
            action: Option<Strings>,
            #[serde(rename = "NotAction", default, deserialize_with = "present")]
            not_action: Option<Strings>,
            #[serde(rename = "Resource", default, deserialize_with = "present")]
            resource: Option<Strings>,
            #[serde(rename = "NotResource", default, deserialize_with = "present")]
            not_resource: Option<Strings>,
            #[serde(rename = "Principal", default, deserialize_with = "present")]
            principal: Option<PrincipalsText>,
            #[serde(rename = "NotPrincipal", default, deserialize_with = "present")]
            not_principal: Option<PrincipalsText>,
            #[serde(rename = "Condition", default, deserialize_with = "present")]
            condition: Option<Conditions>,
        }
        let e: Elements = from_object(deserializer)?;
        let action = match (e.action, e.not_action) {
            (Some(a), None) => ActionSpec::Action(a.0),
            (None, Some(a)) => ActionSpec::NotAction(a.0),
            _ => return Err(de::Error::custom("action elements")),
        };
        let resource = match (e.resource, e.not_resource) {
            (Some(r), None) => ResourceSpec::Resource(r.0),
            (None, Some(r)) => ResourceSpec::NotResource(r.0),
            (None, None) => ResourceSpec::Absent,
            (Some(_), Some(_)) => return Err(de::Error::custom("resource elements")),
        };
        let principal = match (e.principal, e.not_principal) {
            (Some(p), None) => Some(PrincipalSpec::Principal(p.0)),
            (None, Some(p)) => Some(PrincipalSpec::NotPrincipal(p.0)),
            (None, None) => None,
            (Some(_), Some(_)) => return Err(de::Error::custom("principal elements")),
        };
        Ok(RawStatement {
            sid: e.sid,
            effect: e.effect,
            action,
            resource,
            principal,
            conditions: e.condition.map(|c| c.0).unwrap_or_default(),
        })
    }
}

/// An element that is present: `null` is refused (the tree parse calls it the wrong kind),
/// where `Option`'s own reading would take it for absent.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A statement object or a list of them.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a list")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `"Allow"` or `"Deny"`, from a string only.
struct EffectText(Effect);

impl<'de> Deserialize<'de> for EffectText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = EffectText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"Allow\" or \"Deny\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match v {
                    "Allow" => Ok(EffectText(Effect::Allow)),
                    "Deny" => Ok(EffectText(Effect::Deny)),
                    _ => Err(E::custom("effect")),
                }
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A string or a list of strings.
struct Strings(Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Strings(vec![v.to_owned()]))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Strings(vec![v]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(Strings(items))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `"*"` or an object of principal types.
struct PrincipalsText(Principals);

impl<'de> Deserialize<'de> for PrincipalsText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PrincipalsText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"*\" or an object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == "*" {
                    Ok(PrincipalsText(Principals {
                        any: true,
                        by_type: BTreeMap::new(),
                    }))
                } else {
                    Err(E::custom("principal"))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut by_type = BTreeMap::new();
                while let Some(kind) = map.next_key::<String>()? {
                    if !matches!(
                        kind.as_str(),
                        "AWS" | "Federated" | "Service" | "CanonicalUser"
                    ) {
                        return Err(de::Error::custom("principal type"));
                    }
                    let ids = map.next_value::<Strings>()?.0;
                    if by_type.insert(kind, ids).is_some() {
                        return Err(de::Error::custom("repeated principal type"));
                    }
                }
                Ok(PrincipalsText(Principals {
                    any: false,
                    by_type,
                }))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A `Condition` block, flattened in document order.
struct Conditions(Vec<Condition>);

impl<'de> Deserialize<'de> for Conditions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Conditions;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                let mut operators: Vec<String> = Vec::new();
                while let Some(operator) = map.next_key::<String>()? {
                    if operators.contains(&operator) {
                        return Err(de::Error::custom("repeated operator"));
                    }
                    map.next_value_seed(OperatorKeys {
                        operator: &operator,
                        out: &mut out,
                    })?;
                    operators.push(operator);
                }
                Ok(Conditions(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The keys of one condition operator, appended to `out`.
struct OperatorKeys<'a> {
    operator: &'a str,
    out: &'a mut Vec<Condition>,
}

impl<'de> DeserializeSeed<'de> for OperatorKeys<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OperatorKeys<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = self.out.len();
        while let Some(key) = map.next_key::<String>()? {
            if self.out[first..].iter().any(|c| c.key == key) {
                return Err(de::Error::custom("repeated condition key"));
            }
            let values = map.next_value_seed(Scalars { list: true })?;
            self.out.push(Condition {
                operator: self.operator.to_owned(),
                key,
                values,
            });
        }
        Ok(())
    }
}

/// A condition value, or a list of them where `list` allows: strings, whole numbers and
/// booleans, as text. A fraction is refused: the tree keeps serde_json's reading of it (`1e2`
/// becomes `100.0`), which the tree parse then writes out.
struct Scalars {
    list: bool,
}

impl<'de> DeserializeSeed<'de> for Scalars {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<String>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scalars {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, whole number or boolean, or a list of them")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        if !self.list {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Scalars { list: false })? {
            items.extend(item);
        }
        Ok(items)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
        Ok(vec![v.to_owned()])
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<String>, E> {
        Ok(vec![v])
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed reader's answer, the tree's, and that they agree.
    fn both(
        text: &str,
    ) -> (
        Option<PolicyDocument>,
        Result<PolicyDocument, PolicyParseError>,
    ) {
        let tree = PolicyDocument::parse(&serde_json::from_str(text).unwrap());
        assert_eq!(PolicyDocument::parse_text(text), tree, "{text}");
        (read_typed(text), tree)
    }

    #[test]
    fn well_formed_documents_are_read_without_the_tree() {
        for text in [
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow",
                "Principal":{"Federated":["arn:aws:iam::1:saml-provider/Okta","arn:aws:iam::1:saml-provider/Entra"]},
                "Action":"sts:AssumeRoleWithSAML",
                "Condition":{"StringEquals":{"SAML:aud":["https://signin.aws.amazon.com/saml"],"b":true},
                             "NumericLessThan":{"n":5,"m":[-3,"x"]}}}]}"#,
            r#"{"Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"*","NotPrincipal":{"AWS":"arn:aws:iam::1:root"}}}"#,
            r#"{"Version":"2008-10-17","Id":{"any":[1,null]},"Statement":[]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":[],"Principal":"*","Condition":{}}]}"#,
        ] {
            let (typed, tree) = both(text);
            assert_eq!(typed.as_ref(), Some(tree.as_ref().unwrap()), "{text}");
        }
    }

    #[test]
    fn the_condition_order_is_the_documents() {
        let (typed, _) = both(
            r#"{"Statement":{"Effect":"Allow","Action":"a","Condition":{"Z":{"k2":"1","k1":"2"},"A":{"k":"3"}}}}"#,
        );
        let conditions: Vec<(String, String)> = typed.unwrap().statements[0]
            .conditions
            .iter()
            .map(|c| (c.operator.clone(), c.key.clone()))
            .collect();
        let expected = [("Z", "k2"), ("Z", "k1"), ("A", "k")];
        assert_eq!(
            conditions,
            expected.map(|(o, k)| (o.to_owned(), k.to_owned()))
        );
    }

    #[test]
    fn what_the_reader_is_unsure_of_the_tree_decides() {
        for text in [
            // Repeated keys: the tree keeps the last value.
            r#"{"Statement":{"Effect":"Deny","Effect":"Allow","Action":"a"}}"#,
            r#"{"Statement":[],"Statement":{"Effect":"Allow","Action":"a"}}"#,
            r#"{"Statement":{"Effect":"Allow","Action":"a","Condition":{"S":{"k":"1"},"S":{"k":"2"}}}}"#,
            r#"{"Statement":{"Effect":"Allow","Action":"a","Condition":{"S":{"k":"1","k":"2"}}}}"#,
            r#"{"Statement":{"Effect":"Allow","Action":"a","Principal":{"AWS":"x","AWS":"y"}}}"#,
            // Fractions and exponents: the tree's number text.
            r#"{"Statement":{"Effect":"Allow","Action":"a","Condition":{"N":{"n":[1.50,1e2,-0]}}}}"#,
        ] {
            let (typed, tree) = both(text);
            assert!(typed.is_none(), "{text}");
            assert!(tree.is_ok(), "{text}");
        }
    }

    #[test]
    fn wrong_documents_get_the_trees_error() {
        for text in [
            r#"[]"#,
            r#"{"Version":null,"Statement":[]}"#,
            r#"{"Statement":[],"Extra":1}"#,
            r#"{"Version":"2012-10-17"}"#,
            r#"{"Statement":"x"}"#,
            r#"{"Statement":[{"Effect":{"Allow":null},"Action":"a"}]}"#,
            r#"{"Statement":[{"Effect":"allow","Action":"a"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b"}]}"#,
            r#"{"Statement":[{"Effect":"Allow"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":[1]}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Resource":"r","NotResource":"r"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Principal":"x"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Principal":{"Group":"x"}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Principal":"*","NotPrincipal":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":[]}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"S":"v"}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"S":{"k":null}}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"S":{"k":[["v"]]}}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Sid":7}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"a","Unknown":7}]}"#,
            // serde reads a struct from the list of its values too; a policy has no such form.
            r#"["", null, []]"#,
            r#"{"Statement":[["Allow","Deny"]]}"#,
        ] {
            let (typed, tree) = both(text);
            assert!(typed.is_none(), "{text}");
            assert!(tree.is_err(), "{text}");
        }
    }
}
