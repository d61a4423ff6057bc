//! JSON documents kept as the text they were read from.
//!
//! A large organization's snapshot holds tens of thousands of IAM policy documents (trust,
//! inline and managed policies). The facts read each once into its typed form
//! ([`crate::iam::PolicyDocument::parse_text`]) and nothing else looks at them during a scan,
//! so building a `serde_json::Value` tree of each on load cost CPU and memory for nothing:
//! at 10,000 accounts a tenth of the scan's CPU and about 100 MB (docs/benchmarks.md).
//!
//! On the outside a [`JsonText`] is the value it holds: it is written, compared and described
//! in the JSON schema as that value, so snapshots read and write exactly as before.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// Any JSON value, kept as its (validated) text until someone asks for the value.
#[derive(Clone)]
pub struct JsonText(Box<RawValue>);

impl JsonText {
    /// The JSON text as it was read (its whitespace included).
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The value the text holds.
    pub fn value(&self) -> Value {
        // The text was validated when it was read or made, so it parses; a document nested
        // deeper than serde_json's recursion limit could not have been read either.
        serde_json::from_str(self.text()).unwrap_or(Value::Null)
    }

    /// Changes the value (for tools and tests that derive one snapshot from another).
    pub fn edit(&mut self, change: impl FnOnce(&mut Value)) {
        let mut value = self.value();
        change(&mut value);
        *self = JsonText::from(&value);
    }
}

impl From<&Value> for JsonText {
    fn from(value: &Value) -> Self {
        // A `Value` always serializes: its map keys are strings.
        JsonText(serde_json::value::to_raw_value(value).unwrap_or_else(|_| null()))
    }
}

impl From<Value> for JsonText {
    fn from(value: Value) -> Self {
        JsonText::from(&value)
    }
}

/// The text `null`.
fn null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

impl Default for JsonText {
    fn default() -> Self {
        JsonText(null())
    }
}

impl PartialEq for JsonText {
    /// Equal when the values are: whitespace and the order of object keys do not count.
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text() || self.value() == other.value()
    }
}

impl fmt::Debug for JsonText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JsonText").field(&self.text()).finish()
    }
}

impl Serialize for JsonText {
    /// As the value, so a snapshot is written (and pretty-printed) as before.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(JsonText)
    }
}

impl JsonSchema for JsonText {
    fn inline_schema() -> bool {
        Value::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        Value::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Value::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_writes_as_the_value_it_holds() {
        let text = "{ \"b\": [1, 2.5, null],\n  \"a\": {\"x\": \"\\u00e9\"} }";
        let kept: JsonText = serde_json::from_str(text).unwrap();
        assert_eq!(kept.text(), text);
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(kept.value(), value);
        assert_eq!(
            serde_json::to_string_pretty(&kept).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(serde_json::to_value(&kept).unwrap(), value);
    }

    #[test]
    fn equal_when_the_values_are() {
        let spaced: JsonText = serde_json::from_str("{ \"a\": 1, \"b\": 2 }").unwrap();
        assert_eq!(spaced, JsonText::from(json!({"b": 2, "a": 1})));
        assert_ne!(spaced, JsonText::from(json!({"a": 1})));
    }

    #[test]
    fn an_edit_changes_the_value() {
        let mut kept = JsonText::from(json!({"Statement": [{"Effect": "Allow"}]}));
        kept.edit(|v| v["Statement"][0]["Effect"] = json!("Deny"));
        assert_eq!(kept.value(), json!({"Statement": [{"Effect": "Deny"}]}));
    }

    #[test]
    fn invalid_json_is_refused_when_read() {
        assert!(serde_json::from_str::<JsonText>("{\"a\": }").is_err());
        assert!(serde_json::from_value::<JsonText>(json!([1, {"x": true}])).is_ok());
    }

    #[test]
    fn the_schema_is_the_values() {
        assert_eq!(
            schemars::schema_for!(JsonText),
            schemars::schema_for!(Value)
        );
    }
}
