//! Maps read strictly: a key given twice, or an account that is not an object, is an error.
//!
//! serde keeps the last of two equal keys in a map without a word, so a snapshot with the
//! same account twice would lose the first account's resources, and a tag given twice would
//! flip its value. Both are refused here, with the key; serde_json adds the line and column.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// The longest stretch of a key quoted in an error; keys come from the snapshot.
const QUOTED: usize = 80;

/// A map whose keys are all different.
pub(crate) fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(UniqueKeys(PhantomData))
}

struct UniqueKeys<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueKeys<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key \"{}\"",
                    quoted(&key)
                )));
            }
            let value = map.next_value()?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// A map of objects whose keys are all different: `[]` or `"x"` where an object belongs is
/// an error rather than an empty value (serde reads a struct from a sequence too).
pub(crate) fn unique_objects<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let map: BTreeMap<String, ObjectOnly<V>> = unique_keys(deserializer)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// `T` read from a JSON object only.
pub(crate) struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Only<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Only<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_any(Only(PhantomData))
            .map(ObjectOnly)
    }
}

/// At most [`QUOTED`] characters of `text`, so a huge key cannot flood an error message.
pub(crate) fn quoted(text: &str) -> String {
    if text.chars().count() <= QUOTED {
        return text.escape_debug().to_string();
    }
    let head: String = text.chars().take(QUOTED).collect();
    format!("{}…", head.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Doc {
        #[serde(deserialize_with = "unique_keys", default)]
        tags: BTreeMap<String, String>,
        #[serde(deserialize_with = "unique_objects", default)]
        items: BTreeMap<String, Item>,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    struct Item {
        #[serde(default)]
        n: u32,
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_line() {
        let error = serde_json::from_str::<Doc>("{\"tags\": {\"a\": \"1\",\n \"a\": \"2\"}}")
            .expect_err("duplicate");
        assert_eq!(error.to_string(), "duplicate key \"a\" at line 2 column 4");
        let doc: Doc =
            serde_json::from_str("{\"tags\": {\"a\": \"1\", \"b\": \"2\"}}").expect("unique");
        assert_eq!(doc.tags.len(), 2);
        let error = serde_json::from_str::<Doc>("{\"items\": {\"x\": {}, \"x\": {\"n\": 1}}}")
            .expect_err("duplicate");
        assert!(
            error.to_string().starts_with("duplicate key \"x\""),
            "{error}"
        );
    }

    #[test]
    fn an_item_must_be_an_object() {
        let error =
            serde_json::from_str::<Doc>("{\"items\": {\"x\": []}}").expect_err("not an object");
        assert!(error.to_string().contains("expected an object"), "{error}");
        let doc: Doc = serde_json::from_str("{\"items\": {\"x\": {\"n\": 3}}}").expect("object");
        assert_eq!(doc.items["x"].n, 3);
    }

    #[test]
    fn long_keys_are_cut() {
        let key = "k".repeat(10_000);
        let text = format!("{{\"tags\": {{\"{key}\": \"1\", \"{key}\": \"2\"}}}}");
        let error = serde_json::from_str::<Doc>(&text).expect_err("duplicate");
        assert!(error.to_string().len() < 200, "{}", error.to_string().len());
    }
}
