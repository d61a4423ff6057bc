//! Snapshots: the model, and reading and writing it.
//!
//! Loading is strict. A file that is not JSON, has no or an unknown `schema_version`, or
//! misses a required field is refused with one line naming what is wrong, because a
//! half-read snapshot would turn into silent passes.

mod json_text;
mod model;
mod outline;
mod read;
mod split;
mod strict;

use std::path::Path;

pub use json_text::JsonText;
pub use model::*;

/// The environment variable that sets [`max_bytes`].
pub const MAX_BYTES_ENV: &str = "CONNECT_GUARD_MAX_SNAPSHOT_BYTES";

/// The largest snapshot file read by default: 4 GiB, thirty times a 10,000-account
/// organization's 133 MB.
pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;

/// The largest snapshot file read: [`MAX_BYTES_ENV`] when it holds a number, otherwise
/// [`DEFAULT_MAX_BYTES`].
pub fn max_bytes() -> u64 {
    std::env::var(MAX_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_BYTES)
}

/// An error message cut to its start and end (where serde_json puts the line and column):
/// a hostile snapshot can hold a value of hundreds of megabytes, and errors quote values.
fn bounded(message: &str) -> String {
    const HEAD: usize = 200;
    const TAIL: usize = 60;
    let count = message.chars().count();
    if count <= HEAD + TAIL + 20 {
        return message.to_owned();
    }
    let head: String = message.chars().take(HEAD).collect();
    let tail: String = message.chars().skip(count - TAIL).collect();
    format!(
        "{head}… ({} characters left out) …{tail}",
        count - HEAD - TAIL
    )
}

/// The snapshot format this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a snapshot could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read snapshot: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not JSON at all.
    #[error("{path}: snapshot is not valid JSON: {}", bounded(&source.to_string()))]
    NotJson {
        /// The file.
        path: String,
        /// The parser error, with line and column.
        source: serde_json::Error,
    },
    /// `schema_version` is missing or not one this build knows.
    #[error(
        "{path}: unsupported snapshot schema_version {} (this build reads version {SCHEMA_VERSION})",
        bounded(found)
    )]
    UnsupportedVersion {
        /// The file.
        path: String,
        /// What the file says, or `missing`.
        found: String,
    },
    /// JSON, right version, wrong shape.
    #[error("{path}: invalid snapshot: {}", bounded(&source.to_string()))]
    Invalid {
        /// The file.
        path: String,
        /// The deserializer error, naming the field, line and column.
        source: serde_json::Error,
    },
    /// The file is larger than connect-guard reads.
    #[error(
        "{path}: snapshot is larger than {limit} bytes, the most connect-guard reads (set {MAX_BYTES_ENV} to raise it)"
    )]
    TooLarge {
        /// The file.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The top level is not a JSON object.
    #[error("{path}: invalid snapshot: expected a JSON object at the top level, found {found}")]
    NotAnObject {
        /// The file.
        path: String,
        /// What was found instead.
        found: &'static str,
    },
    /// The snapshot contradicts itself (e.g. an account whose ancestry is empty).
    #[error("{path}: inconsistent snapshot: {message}")]
    Inconsistent {
        /// The file.
        path: String,
        /// What is inconsistent.
        message: String,
    },
}

impl Snapshot {
    /// Reads and validates a snapshot file.
    ///
    /// At most [`max_bytes`] are read, so a wrong path such as `/dev/zero` or a runaway
    /// file is an error instead of exhausting memory.
    pub fn from_path(path: &Path) -> Result<Self, SnapshotError> {
        let name = path.display().to_string();
        let io = |source| SnapshotError::Io {
            path: name.clone(),
            source,
        };
        let limit = max_bytes();
        let file = std::fs::File::open(path).map_err(io)?;
        let bytes = read::read_all(file, limit).map_err(|e| match e {
            read::ReadError::TooLarge => SnapshotError::TooLarge {
                path: name.clone(),
                limit,
            },
            read::ReadError::Io(source) => io(source),
        })?;
        crate::timings::mark("snapshot: read");
        let text = String::from_utf8(bytes).map_err(|e| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
            ))
        })?;
        Self::from_json_str(&text, &name)
    }

    /// Parses and validates a snapshot; `origin` names the source in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Self, SnapshotError> {
        let mut snapshot = match Self::parse_in_parallel(text) {
            Some(snapshot) => {
                snapshot.check_consistency(origin)?;
                snapshot
            }
            None => Self::parse_checked(text, origin)?,
        };
        snapshot.derive_saml_metadata();
        Ok(snapshot)
    }

    /// Re-reads every SAML provider's parsed metadata from its raw `metadata_document`: the
    /// IAM SAML providers and the SAML identity providers of Cognito user pools.
    ///
    /// The raw document is the source of truth: a snapshot written by another tool or an
    /// older version, or edited by hand, may carry a stale or empty parsed view, and every
    /// certificate finding rests on it. A provider without a raw document keeps what the
    /// snapshot says. Each distinct document is parsed once: in an organization the same
    /// IdP metadata is usually uploaded to every account.
    pub fn derive_saml_metadata(&mut self) {
        use rayon::prelude::*;
        use rustc_hash::FxHashMap;

        let mut slots: Vec<(&str, &mut crate::saml::SamlMetadata)> = Vec::new();
        for resources in self.accounts.values_mut() {
            let iam = resources
                .iam
                .saml_providers
                .iter_mut()
                .filter_map(|p| Some((p.metadata_document.as_deref()?, &mut p.metadata)));
            let cognito = resources
                .cognito
                .values_mut()
                .flat_map(|region| &mut region.user_pools)
                .flat_map(|pool| &mut pool.identity_providers)
                .filter_map(|p| Some((p.metadata_document.as_deref()?, &mut p.metadata)));
            slots.extend(iam.chain(cognito));
        }
        if slots.is_empty() {
            return;
        }
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let assignment: Vec<usize> = slots
            .iter()
            .map(|(document, _)| {
                *index.entry(document).or_insert_with(|| {
                    distinct.push(document);
                    distinct.len() - 1
                })
            })
            .collect();
        let parsed: Vec<crate::saml::SamlMetadata> = distinct
            .par_iter()
            .map(|document| crate::saml::parse_metadata(document))
            .collect();
        // On the pool: each slot drops the view the file carried and copies the parsed one,
        // tens of thousands of small allocations in a large organization.
        slots
            .into_par_iter()
            .zip(assignment)
            .for_each(|((_, metadata), i)| *metadata = parsed[i].clone());
    }

    /// The fast path for a well-formed snapshot: cut into its accounts where it is laid out
    /// as connect-guard writes it, otherwise the outline once; the accounts are parsed on
    /// every core. `None` for anything unexpected, which [`Self::parse_checked`] then
    /// explains with a line and column.
    fn parse_in_parallel(text: &str) -> Option<Self> {
        use rayon::prelude::*;
        use serde::de::DeserializeSeed as _;
        use std::collections::BTreeMap;

        // A file laid out as connect-guard writes it is cut into its accounts on every core.
        if let Some(cut) = split::cut(text) {
            let (head, accounts) = rayon::join(
                || serde_json::from_str::<Snapshot>(&cut.head).ok(),
                || cut.accounts::<AccountResources>(),
            );
            crate::timings::mark("snapshot: accounts cut and parsed");
            let mut snapshot = head.filter(|s| s.schema_version == SCHEMA_VERSION)?;
            for (id, resources) in accounts? {
                // A repeated account id is explained by the strict parse.
                snapshot
                    .accounts
                    .insert(id, resources)
                    .is_none()
                    .then_some(())?;
            }
            return Some(snapshot);
        }

        // The outline is one sequential pass over the whole file; the organization and each
        // account are handed to the pool as soon as the pass has read past them, so the other
        // core parses them while the pass goes on instead of waiting for its end.
        enum Parsed {
            Organization(Box<Organization>),
            Account(String, AccountResources),
        }
        let (sender, receiver) = std::sync::mpsc::channel::<outline::Part<'_>>();
        let (outline, parts) = rayon::join(
            move || {
                let mut input = serde_json::Deserializer::from_str(text);
                let outline = outline::Seed { parts: &sender }
                    .deserialize(&mut input)
                    .ok()?;
                input.end().ok()?;
                Some(outline)
            },
            move || {
                receiver
                    .into_iter()
                    .par_bridge()
                    .map(|part| {
                        // A part that is not an object takes the strict parse, which refuses it.
                        part.text().starts_with('{').then_some(())?;
                        Some(match part {
                            outline::Part::Organization(raw) => {
                                Parsed::Organization(serde_json::from_str(raw).ok()?)
                            }
                            outline::Part::Account(id, raw) => {
                                Parsed::Account(id, serde_json::from_str(raw).ok()?)
                            }
                        })
                    })
                    .collect::<Option<Vec<Parsed>>>()
            },
        );
        let outline = outline?;
        crate::timings::mark("snapshot: outline");
        if outline.schema_version != SCHEMA_VERSION {
            return None;
        }
        let mut organization = None;
        let mut accounts = BTreeMap::new();
        for part in parts? {
            match part {
                Parsed::Organization(parsed) => organization = Some(*parsed),
                Parsed::Account(id, resources) => {
                    accounts.insert(id, resources);
                }
            }
        }
        Some(Snapshot {
            schema_version: outline.schema_version,
            scan: serde_json::from_str(outline.scan.get()).ok()?,
            organization: organization?,
            accounts,
        })
    }

    /// Parses with every check in order, so a broken snapshot gets the most useful error.
    fn parse_checked(text: &str, origin: &str) -> Result<Self, SnapshotError> {
        // serde reads a struct from an array too, and would then complain about whatever
        // follows; say what is really wrong.
        let found = match text.trim_start().as_bytes().first() {
            Some(b'{') => None,
            Some(b'[') => Some("an array"),
            Some(b'"') => Some("a string"),
            Some(b't' | b'f') => Some("a boolean"),
            Some(b'n') => Some("null"),
            Some(b'-' | b'0'..=b'9') => Some("a number"),
            Some(_) => None,
            None => Some("nothing"),
        };
        if let Some(found) = found {
            return Err(SnapshotError::NotAnObject {
                path: origin.to_owned(),
                found,
            });
        }
        // Two passes: the version is checked before the shape, so a snapshot from a newer
        // connect-guard says "unsupported version" instead of "unknown field".
        // The probe skips everything but the version without building a tree: a snapshot of
        // a large organization is hundreds of MB.
        #[derive(serde::Deserialize)]
        struct VersionProbe {
            schema_version: Option<serde_json::Value>,
        }
        let probe = match serde_json::from_str::<VersionProbe>(text) {
            Ok(probe) => probe.schema_version,
            // Valid JSON but not an object: no version to read.
            Err(e) if e.classify() == serde_json::error::Category::Data => None,
            Err(source) => {
                return Err(SnapshotError::NotJson {
                    path: origin.to_owned(),
                    source,
                });
            }
        };
        let version = probe.as_ref();
        if version.and_then(serde_json::Value::as_u64) != Some(u64::from(SCHEMA_VERSION)) {
            return Err(SnapshotError::UnsupportedVersion {
                path: origin.to_owned(),
                found: version.map_or_else(|| "missing".to_owned(), ToString::to_string),
            });
        }
        // Deserialize from the text so errors carry line and column.
        let snapshot: Snapshot =
            serde_json::from_str(text).map_err(|source| SnapshotError::Invalid {
                path: origin.to_owned(),
                source,
            })?;
        snapshot.check_consistency(origin)?;
        Ok(snapshot)
    }

    /// Writes the snapshot as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The JSON Schema of this format.
    pub fn json_schema() -> serde_json::Value {
        let schema = schemars::schema_for!(Snapshot);
        serde_json::to_value(schema).unwrap_or_default()
    }

    fn check_consistency(&self, origin: &str) -> Result<(), SnapshotError> {
        let fail = |message: String| SnapshotError::Inconsistent {
            path: origin.to_owned(),
            message,
        };
        for account in &self.organization.accounts {
            if account.ancestry.last() != Some(&account.id) {
                return Err(fail(format!(
                    "account {} has an ancestry that does not end with the account itself",
                    account.id
                )));
            }
        }
        let mut known = std::collections::BTreeSet::new();
        for account in &self.organization.accounts {
            if !known.insert(account.id.as_str()) {
                return Err(fail(format!(
                    "account {} is listed twice in the organization",
                    strict::quoted(&account.id)
                )));
            }
        }
        if let Some(id) = self.accounts.keys().find(|id| !known.contains(id.as_str())) {
            return Err(fail(format!(
                "resources are listed for account {id}, which is not in the organization"
            )));
        }
        Ok(())
    }

    /// The organization's account entry with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.organization.accounts.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_and_checked_parsing_agree() {
        for snapshot in [
            crate::demo::snapshot(),
            crate::synthetic::organization(40, 5),
        ] {
            // As connect-guard writes snapshots (cut into accounts), and laid out otherwise
            // (the outline pass).
            for text in [
                snapshot.to_json_pretty(),
                serde_json::to_string(&snapshot).unwrap(),
            ] {
                let fast = Snapshot::parse_in_parallel(&text).expect("well-formed");
                assert_eq!(fast, Snapshot::parse_checked(&text, "x").unwrap());
                assert_eq!(fast, snapshot);
            }
        }
    }

    #[test]
    fn a_broken_account_is_explained_with_its_line() {
        let mut value = serde_json::to_value(crate::demo::snapshot()).unwrap();
        let (_, account) = value["accounts"]
            .as_object_mut()
            .unwrap()
            .iter_mut()
            .next()
            .unwrap();
        account["surprise"] = serde_json::Value::Bool(true);
        let text = serde_json::to_string_pretty(&value).unwrap();
        assert!(Snapshot::parse_in_parallel(&text).is_none());
        let error = Snapshot::from_json_str(&text, "org.json")
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown field `surprise`"), "{error}");
        assert!(error.contains("line "), "{error}");
    }

    #[test]
    fn the_fast_path_leaves_every_irregular_top_level_to_the_strict_parse() {
        let text = crate::demo::snapshot().to_json_pretty();
        let id = crate::demo::snapshot()
            .accounts
            .keys()
            .next()
            .cloned()
            .unwrap();
        let irregular = [
            // A repeated account id (serde_json keeps the last one silently).
            text.replacen(
                "\"accounts\": {",
                &format!("\"accounts\": {{\n    \"{id}\": {{}},"),
                1,
            ),
            // An unknown or a repeated top-level field, a missing version, trailing text.
            text.replacen("{", "{\n  \"surprise\": 1,", 1),
            text.replacen("{", "{\n  \"scan\": {},", 1),
            text.replacen("\"schema_version\"", "\"schema_versions\"", 1),
            format!("{text} []"),
            // Two organizations (the organization is parsed apart from the outline).
            text.replacen("{", "{\n  \"organization\": {},", 1),
            // No organization.
            {
                let mut value = serde_json::to_value(crate::demo::snapshot()).unwrap();
                value.as_object_mut().unwrap().remove("organization");
                serde_json::to_string(&value).unwrap()
            },
        ];
        for text in irregular {
            assert!(Snapshot::parse_in_parallel(&text).is_none(), "{text:.200}");
            assert!(Snapshot::from_json_str(&text, "org.json").is_err());
        }
        // Without accounts at all: an organization with nothing collected yet.
        let mut value = serde_json::to_value(crate::demo::snapshot()).unwrap();
        value.as_object_mut().unwrap().remove("accounts");
        let text = serde_json::to_string(&value).unwrap();
        let fast = Snapshot::parse_in_parallel(&text).expect("accounts are optional");
        assert!(fast.accounts.is_empty());
        assert_eq!(fast, Snapshot::parse_checked(&text, "x").unwrap());
    }
}
