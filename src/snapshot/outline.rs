//! The top level of a snapshot file, read in one pass that hands each account's text on as
//! soon as it has been read past (the fast path of [`super::Snapshot::from_json_str`]).
//!
//! Anything unexpected (an unknown or repeated field, a repeated account id, a missing
//! version) is an error here without explanation: the caller then takes the strict parse,
//! which explains it with a line and column.

use std::collections::HashSet;
use std::fmt;
use std::sync::mpsc::Sender;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The snapshot's version and scan metadata, unparsed; the organization and the accounts
/// are sent on as [`Part`]s.
pub(super) struct Outline<'a> {
    pub schema_version: u32,
    pub scan: &'a RawValue,
}

/// A part of the snapshot to parse on the pool, as soon as the pass has read past it.
pub(super) enum Part<'a> {
    /// The organization's text.
    Organization(&'a str),
    /// An account's id and the text of its resources.
    Account(String, &'a str),
}

impl<'a> Part<'a> {
    /// The part's unparsed text.
    pub(super) fn text(&self) -> &'a str {
        match self {
            Part::Organization(text) | Part::Account(_, text) => text,
        }
    }
}

/// Reads an [`Outline`]; the organization and every account go to `parts`.
pub(super) struct Seed<'s, 'a> {
    pub parts: &'s Sender<Part<'a>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = Outline<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = Outline<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a connect-guard snapshot")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut schema_version = None;
        let mut scan = None;
        let mut organization = false;
        let mut accounts = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema_version" if schema_version.is_none() => {
                    schema_version = Some(map.next_value::<u32>()?);
                }
                "scan" if scan.is_none() => scan = Some(map.next_value::<&'de RawValue>()?),
                "organization" if !organization => {
                    organization = true;
                    let raw = map.next_value::<&'de RawValue>()?;
                    // The receiver outlives the pass; if it is gone the parts are not needed.
                    let _ = self.parts.send(Part::Organization(raw.get()));
                }
                "accounts" if !accounts => {
                    accounts = true;
                    map.next_value_seed(Accounts { parts: self.parts })?;
                }
                _ => return Err(de::Error::custom("unexpected field")),
            }
        }
        // A snapshot without an organization sends none, which the receiver notices.
        let missing = |field| de::Error::custom(format!("missing {field}"));
        Ok(Outline {
            schema_version: schema_version.ok_or_else(|| missing("schema_version"))?,
            scan: scan.ok_or_else(|| missing("scan"))?,
        })
    }
}

/// The `accounts` object: each entry is sent on as soon as it is read.
struct Accounts<'s, 'a> {
    parts: &'s Sender<Part<'a>>,
}

impl<'de> DeserializeSeed<'de> for Accounts<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Accounts<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("accounts by id")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut seen = HashSet::new();
        while let Some(id) = map.next_key::<String>()? {
            let raw = map.next_value::<&'de RawValue>()?;
            if !seen.insert(id.clone()) {
                return Err(de::Error::custom("repeated account id"));
            }
            // The receiver outlives the pass; if it is gone the accounts are not needed.
            let _ = self.parts.send(Part::Account(id, raw.get()));
        }
        Ok(())
    }
}
