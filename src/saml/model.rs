//! What connect-guard reads from a SAML metadata document: the parsed view of a provider.
//!
//! These types are part of the snapshot format ([`crate::snapshot`] re-exports them), but
//! they live here, beside the parser, so that the snapshot can derive them from the raw
//! document when it is loaded without the two modules depending on each other.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Parsed SAML IdP metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SamlMetadata {
    /// `EntityDescriptor@entityID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// `EntityDescriptor@validUntil`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// `IDPSSODescriptor/SingleSignOnService@Location` values.
    #[serde(default)]
    pub sso_endpoints: Vec<String>,
    /// Certificates of `KeyDescriptor`s used for signing (or with no `use`).
    #[serde(default)]
    pub signing_certs: Vec<Certificate>,
    /// Certificates of `KeyDescriptor`s used for encryption.
    #[serde(default)]
    pub encryption_certs: Vec<Certificate>,
    /// Why the document could not be read, when it could not. A provider whose metadata does
    /// not parse is kept, so rules can report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
}

impl SamlMetadata {
    /// True when nothing was read (no document, no error).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An X.509 certificate from SAML metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    #[serde(default)]
    pub issuer: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// `RSA`, `EC`, `Ed25519`, …
    pub key_type: String,
    /// Key size in bits (the modulus for RSA, the curve size for EC).
    pub key_bits: u32,
    /// Signature algorithm, e.g. `sha256WithRSAEncryption`.
    #[serde(default)]
    pub signature_algorithm: String,
    /// Lower-case hex SHA-256 of the DER encoding.
    pub sha256: String,
    /// Why the certificate could not be parsed, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
}
