//! SAML provider facts: when each provider stops working, and who trusts it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::DecisionRef;
use crate::snapshot::{SamlMetadata, SamlProvider};

/// What rules need to know about a SAML provider.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderFacts {
    /// Account of the provider.
    pub account_id: String,
    /// Provider ARN.
    pub arn: String,
    /// Provider name.
    pub name: String,
    /// `entityID` from the metadata.
    pub entity_id: Option<String>,
    /// Why the metadata could not be read, when it could not.
    pub parse_error: Option<String>,
    /// SHA-256 fingerprints of the signing certificates, sorted.
    pub signing_fingerprints: Vec<String>,
    /// Key type and size of each signing certificate (`RSA` 2048, `EC` 256, …).
    pub signing_keys: Vec<SigningKey>,
    /// When the provider stops working: the earliest of the latest signing certificate's
    /// `notAfter`, the metadata `validUntil` and IAM's `ValidUntil`.
    pub expires_at: Option<DateTime<Utc>>,
    /// Which of those three decided `expires_at`.
    pub expiry_source: Option<String>,
    /// Whole days from the snapshot time to `expires_at` (negative once expired).
    pub days_until_expiry: Option<i64>,
    /// True when `expires_at` is at or before the snapshot time.
    pub expired: bool,
    /// ARNs of the roles whose trust names this provider.
    pub trusted_by: Vec<String>,
    /// `Required` or `Allowed`, when IAM reports it.
    pub assertion_encryption_mode: Option<String>,
    /// Number of private keys for decrypting assertions.
    pub private_key_count: usize,
    /// SCP decisions for deleting or replacing the provider (trusted providers only).
    pub scp: BTreeMap<String, DecisionRef>,
}

/// The public key of a signing certificate.
#[derive(Debug, Clone, Serialize)]
pub struct SigningKey {
    /// `RSA`, `EC`, `Ed25519`, …
    pub key_type: String,
    /// Key size in bits (RSA modulus, EC curve).
    pub key_bits: u32,
}

pub(crate) fn provider_facts(
    account_id: &str,
    provider: &SamlProvider,
    now: DateTime<Utc>,
) -> ProviderFacts {
    let metadata = &provider.metadata;
    let mut fingerprints: Vec<String> = metadata
        .signing_certs
        .iter()
        .map(|c| c.sha256.clone())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    let earliest = Expiry::of(metadata, provider.valid_until, now);
    ProviderFacts {
        account_id: account_id.to_owned(),
        arn: provider.arn.clone(),
        name: provider.name.clone(),
        entity_id: metadata.entity_id.clone(),
        parse_error: metadata.parse_error.clone(),
        signing_fingerprints: fingerprints,
        signing_keys: metadata
            .signing_certs
            .iter()
            .map(|c| SigningKey {
                key_type: c.key_type.clone(),
                key_bits: c.key_bits,
            })
            .collect(),
        expires_at: earliest.expires_at,
        expiry_source: earliest.expiry_source,
        days_until_expiry: earliest.days_until_expiry,
        expired: earliest.expired,
        trusted_by: Vec::new(),
        assertion_encryption_mode: provider.assertion_encryption_mode.clone(),
        private_key_count: provider.private_keys.len(),
        scp: BTreeMap::new(),
    }
}

/// When a SAML provider stops working, from its metadata (and the service's own expiry
/// date, where it keeps one).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Expiry {
    /// The earliest of the latest signing certificate's `notAfter`, the metadata
    /// `validUntil` and the service's date.
    pub expires_at: Option<DateTime<Utc>>,
    /// Which of those decided `expires_at`.
    pub expiry_source: Option<String>,
    /// Whole days from the snapshot time to `expires_at` (negative once expired).
    pub days_until_expiry: Option<i64>,
    /// True when `expires_at` is at or before the snapshot time.
    pub expired: bool,
}

impl Expiry {
    /// The expiry of `metadata`, with IAM's `ValidUntil` when the provider is IAM's.
    pub(crate) fn of(
        metadata: &SamlMetadata,
        iam_valid_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Expiry {
        // A rotation publishes two signing certificates; logins keep working until the newer
        // one expires, so the latest notAfter is what counts (DOMAIN.md CX-IDP-01).
        let latest_cert = metadata
            .signing_certs
            .iter()
            .map(|c| c.not_after)
            .max()
            .map(|t| (t, "signing certificate notAfter"));
        let candidates = [
            latest_cert,
            metadata.valid_until.map(|t| (t, "metadata validUntil")),
            iam_valid_until.map(|t| (t, "IAM ValidUntil")),
        ];
        let earliest = candidates.into_iter().flatten().min_by_key(|(t, _)| *t);
        Expiry {
            expires_at: earliest.map(|(t, _)| t),
            expiry_source: earliest.map(|(_, s)| s.to_owned()),
            days_until_expiry: earliest.map(|(t, _)| (t - now).num_days()),
            expired: earliest.is_some_and(|(t, _)| t <= now),
        }
    }
}
