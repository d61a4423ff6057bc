//! Rust values straight into regorus values, without a JSON text in between.
//!
//! The Rego input of a large organization is tens of MB: writing it as JSON and parsing it
//! back cost more than half a second at 10,000 accounts. [`to_value`] is a serde serializer
//! that builds the engine's [`regorus::Value`] directly and shares one string for each field
//! name, so every object of a kind does not allocate its own copies of the same keys. The
//! result equals what `regorus::Value::from_json_str(serde_json::to_string(x))` gives (a test
//! checks that on the demo organization).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Display;

use regorus::Value;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::ser;

/// Why a value could not be converted: a map key that is not a string, number or boolean,
/// which JSON cannot hold either.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(String);

impl ser::Error for ValueError {
    fn custom<T: Display>(msg: T) -> Self {
        ValueError(msg.to_string())
    }
}

/// Converts any serializable value into a regorus value, as its JSON form would parse.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    value.serialize(Serializer::default())
}

/// [`to_value`] of a struct without the named top-level fields, so a caller can convert
/// its largest fields separately (in parallel) and insert them: the struct's own field list
/// stays the only one.
pub fn to_value_without<T: Serialize + ?Sized>(
    value: &T,
    skip: &'static [&'static str],
) -> Result<Value, ValueError> {
    value.serialize(Serializer { skip })
}

/// [`to_value`] of a map with string keys, its entries converted on the pool: the largest
/// maps of a large organization's facts hold tens of thousands of entries, and converting
/// one of them on a single thread left the other core idle at the end of the Rego input.
pub fn map_to_value_on_pool<V: Serialize + Sync>(
    map: &BTreeMap<String, V>,
) -> Result<Value, ValueError> {
    use rayon::prelude::*;
    let entries = map
        .par_iter()
        .map(|(key, value)| Ok((Value::from(key.as_str()), to_value(value)?)))
        .collect::<Result<Vec<_>, ValueError>>()?;
    // The entries arrive in key order, which `BTreeMap` builds from in one pass.
    Ok(Value::from(entries.into_iter().collect::<BTreeMap<_, _>>()))
}

thread_local! {
    /// Field names seen on this thread; struct fields are `&'static str`, so the table stays
    /// as small as the set of field names in the model.
    static FIELD_NAMES: RefCell<FxHashMap<&'static str, Value>> = RefCell::new(FxHashMap::default());
}

/// The shared key value for a struct field name.
fn field_name(name: &'static str) -> Value {
    FIELD_NAMES.with(|names| {
        names
            .borrow_mut()
            .entry(name)
            .or_insert_with(|| Value::from(name))
            .clone()
    })
}

/// Builds values; `skip` names struct fields left out, at the top level only.
#[derive(Default)]
struct Serializer {
    skip: &'static [&'static str],
}

impl ser::Serializer for Serializer {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, ValueError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ValueError> {
        Ok(Value::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ValueError> {
        // Like serde_json, which writes non-finite numbers as null.
        Ok(Value::from(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ValueError> {
        Ok(Value::from(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ValueError> {
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(field_name(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        let mut map = BTreeMap::new();
        map.insert(field_name(variant), value.serialize(Serializer::default())?);
        Ok(Value::from(map))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, ValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: SeqBuilder(Vec::with_capacity(len)),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder::default())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder {
            skip: self.skip,
            ..MapBuilder::default()
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: MapBuilder::default(),
        })
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<Value, ValueError> {
        Ok(Value::from(value.to_string()))
    }
}

/// The elements of an array being built.
struct SeqBuilder(Vec<Value>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.0.push(value.serialize(Serializer::default())?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::from(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        ser::SerializeSeq::end(self)
    }
}

/// The entries of an object being built; a key waits here for its value.
#[derive(Default)]
struct MapBuilder {
    entries: BTreeMap<Value, Value>,
    key: Option<Value>,
    /// Struct fields not to convert.
    skip: &'static [&'static str],
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        match key.serialize(Serializer::default())? {
            key @ Value::String(_) => {
                self.key = Some(key);
                Ok(())
            }
            // serde_json writes number and boolean keys as strings.
            key @ (Value::Number(_) | Value::Bool(_)) => {
                self.key = Some(Value::from(key.to_string()));
                Ok(())
            }
            other => Err(ValueError(format!("map key must be a string, got {other}"))),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ValueError("map value without a key".to_owned()))?;
        self.entries
            .insert(key, value.serialize(Serializer::default())?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::from(self.entries))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        if !self.skip.contains(&key) {
            self.entries
                .insert(field_name(key), value.serialize(Serializer::default())?);
        }
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::from(self.entries))
    }
}

/// An externally tagged enum variant: `{"Variant": <inner>}`, as serde_json writes it.
struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl<B> VariantBuilder<B> {
    fn wrap(variant: &'static str, inner: Value) -> Value {
        let mut map = BTreeMap::new();
        map.insert(field_name(variant), inner);
        Value::from(map)
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(Self::wrap(self.variant, inner))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(Self::wrap(self.variant, inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the JSON text round trip gives.
    fn via_text<T: Serialize>(value: &T) -> Value {
        Value::from_json_str(&serde_json::to_string(value).unwrap()).unwrap()
    }

    #[test]
    fn equals_the_json_round_trip() {
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(i32, String),
            Struct { x: Option<f64> },
        }
        #[derive(Serialize)]
        struct Sample {
            text: &'static str,
            signed: i64,
            float: f64,
            missing: Option<u32>,
            list: Vec<Shape>,
            map: BTreeMap<String, bool>,
            pair: (char, ()),
        }
        let sample = Sample {
            text: "a\u{1F600}\"",
            signed: -7,
            float: 2.5,
            missing: None,
            list: vec![
                Shape::Unit,
                Shape::Newtype(3),
                Shape::Tuple(-1, "t".to_owned()),
                Shape::Struct { x: Some(0.25) },
            ],
            map: [("k".to_owned(), true)].into_iter().collect(),
            pair: ('c', ()),
        };
        assert_eq!(to_value(&sample).unwrap(), via_text(&sample));
    }

    #[test]
    fn the_demo_organization_converts_as_its_json_does() {
        let snapshot = crate::demo::snapshot();
        let facts = crate::facts::Facts::derive(&snapshot, &crate::params::Params::default());
        assert_eq!(to_value(&snapshot).unwrap(), via_text(&snapshot));
        assert_eq!(to_value(&facts).unwrap(), via_text(&facts));
    }

    #[test]
    fn a_map_converted_on_the_pool_equals_one_converted_whole() {
        let map: BTreeMap<String, Vec<u32>> = (0..5_000)
            .map(|i| (format!("k{i}"), vec![i, i * 2]))
            .collect();
        assert_eq!(map_to_value_on_pool(&map).unwrap(), via_text(&map));
        let empty: BTreeMap<String, u8> = BTreeMap::new();
        assert_eq!(map_to_value_on_pool(&empty).unwrap(), via_text(&empty));
    }

    #[test]
    fn number_keys_become_strings_and_others_are_refused() {
        let numbers: BTreeMap<u8, u8> = [(1, 2)].into_iter().collect();
        assert_eq!(to_value(&numbers).unwrap(), via_text(&numbers));
        let lists: BTreeMap<Vec<u8>, u8> = [(vec![1], 2)].into_iter().collect();
        assert!(to_value(&lists).is_err());
        assert!(
            serde_json::to_string(&lists).is_err(),
            "JSON refuses them too"
        );
    }
}
