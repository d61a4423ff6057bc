//! Helpers the SAML tests share: fixtures are PEM files, the product reads base64 and DER.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

/// The base64 lines of a PEM, as metadata carries them.
pub(super) fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// PEM to DER: the product never sees PEM.
pub(super) fn pem_to_der(pem: &str) -> Vec<u8> {
    STANDARD
        .decode(pem_body(pem).replace('\n', "").trim())
        .expect("fixture PEM is base64")
}

/// An RFC 3339 instant.
pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("fixture instant is RFC 3339")
        .with_timezone(&Utc)
}
