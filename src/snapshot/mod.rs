//! Snapshots: the model, and reading and writing it.
//!
//! Loading is strict. A file that is not JSON, has no or an unknown `schema_version`, or
//! misses a required field is refused with one line naming what is wrong, because a
//! half-read snapshot would turn into silent passes.

mod model;

use std::path::Path;

pub use model::*;

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
    #[error("{path}: snapshot is not valid JSON: {source}")]
    NotJson {
        /// The file.
        path: String,
        /// The parser error, with line and column.
        source: serde_json::Error,
    },
    /// `schema_version` is missing or not one this build knows.
    #[error(
        "{path}: unsupported snapshot schema_version {found} (this build reads version {SCHEMA_VERSION})"
    )]
    UnsupportedVersion {
        /// The file.
        path: String,
        /// What the file says, or `missing`.
        found: String,
    },
    /// JSON, right version, wrong shape.
    #[error("{path}: invalid snapshot: {source}")]
    Invalid {
        /// The file.
        path: String,
        /// The deserializer error, naming the field, line and column.
        source: serde_json::Error,
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
    pub fn from_path(path: &Path) -> Result<Self, SnapshotError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Io {
            path: name.clone(),
            source,
        })?;
        Self::from_json_str(&text, &name)
    }

    /// Parses and validates a snapshot; `origin` names the source in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Self, SnapshotError> {
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
        let known: std::collections::BTreeSet<&str> = self
            .organization
            .accounts
            .iter()
            .map(|a| a.id.as_str())
            .collect();
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
