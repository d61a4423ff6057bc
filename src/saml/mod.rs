//! SAML IdP metadata and the X.509 certificates in it.
//!
//! IAM stores each SAML provider's metadata document verbatim; connect-guard reads it here,
//! in Rust rather than Rego, because XML and DER parsing have no place in a policy language.
//! The result is [`SamlMetadata`], part of the snapshot, which rules
//! judge: expiring or expired signing certificates, weak keys, SHA-1 signatures, metadata that
//! does not parse.

pub mod certificate;
pub mod metadata;
mod model;
#[cfg(test)]
mod test_pem;

pub use certificate::{parse_certificate_base64, parse_certificate_der};
pub use metadata::{MAX_DEPTH, MAX_DOCUMENT_CHARS, MAX_KEYS, parse_metadata};
pub use model::{Certificate, SamlMetadata};
