//! X.509 certificates as they appear in SAML metadata.
//!
//! A SAML IdP publishes its signing and encryption certificates as base64 DER inside
//! `ds:X509Certificate`. connect-guard never verifies these certificates (AWS does not either:
//! IAM trusts exactly the keys in the metadata, whatever their issuer), it only reads the
//! properties that rules judge: the validity window, the key type and size, the signature
//! algorithm and a fingerprint that names the certificate in findings.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::time::ASN1Time;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::Certificate;

/// Reads one DER-encoded X.509 certificate.
///
/// The error is one lower-case line saying why the bytes are not a certificate. Trailing
/// bytes after the certificate are an error too: the fingerprint is of the whole input, and
/// a fingerprint over a certificate plus junk would match no other tool's.
pub fn parse_certificate_der(der: &[u8]) -> Result<Certificate, String> {
    if der.is_empty() {
        return Err("empty certificate".to_owned());
    }
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| format!("not an x.509 certificate ({})", nom_error(&e)))?;
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes of trailing data after the certificate",
            rest.len()
        ));
    }
    let validity = cert.validity();
    let spki = cert.public_key();
    let (key_type, key_bits) = key_type_and_bits(spki);
    Ok(Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: to_utc(&validity.not_before)?,
        not_after: to_utc(&validity.not_after)?,
        key_type,
        key_bits,
        signature_algorithm: signature_algorithm_name(
            &cert.signature_algorithm.algorithm.to_id_string(),
        ),
        sha256: sha256_hex(der),
        parse_error: None,
    })
}

/// Reads a certificate from base64 DER, the content of a `ds:X509Certificate` element.
///
/// All whitespace is removed first: metadata wraps the base64 at 64 or 76 columns, with any
/// mix of spaces, tabs and line breaks (including `&#13;` from Windows IdPs).
pub fn parse_certificate_base64(text: &str) -> Result<Certificate, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err("empty certificate".to_owned());
    }
    let der = STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| "invalid base64".to_owned())?;
    parse_certificate_der(&der)
}

/// x509-parser wraps its error in `nom::Err`; the inner error reads better on its own.
fn nom_error(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "truncated".to_owned(),
        x509_parser::nom::Err::Error(inner) | x509_parser::nom::Err::Failure(inner) => {
            inner.to_string().to_lowercase()
        }
    }
}

fn to_utc(time: &ASN1Time) -> Result<DateTime<Utc>, String> {
    // ASN.1 times are whole seconds (GeneralizedTime fractions are not allowed in X.509).
    DateTime::from_timestamp(time.timestamp(), 0)
        .ok_or_else(|| format!("certificate date {} out of range", time.timestamp()))
}

/// Lower-case hex SHA-256, the form `openssl x509 -fingerprint -sha256` prints without colons.
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The key type and its size in bits; 0 bits when the size cannot be told.
fn key_type_and_bits(spki: &SubjectPublicKeyInfo<'_>) -> (String, u32) {
    let oid = spki.algorithm.algorithm.to_id_string();
    match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            // rsaEncryption, or RSASSA-PSS keys (same key, restricted use).
            let bits = match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => unsigned_bit_length(rsa.modulus),
                _ => 0,
            };
            ("RSA".to_owned(), bits)
        }
        "1.2.840.10045.2.1" => {
            // The curve is named by the algorithm parameters; the point length would give
            // 528 for P-521, whose coordinates are padded to 66 bytes.
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            let bits = match curve.as_deref().and_then(curve_bits) {
                Some(bits) => bits,
                None => match spki.parsed() {
                    Ok(PublicKey::EC(point)) => u32::try_from(point.key_size()).unwrap_or(0),
                    _ => 0,
                },
            };
            ("EC".to_owned(), bits)
        }
        "1.3.101.112" => ("Ed25519".to_owned(), 256),
        "1.3.101.113" => ("Ed448".to_owned(), 448),
        "1.2.840.10040.4.1" => {
            // DSA strength is the size of the prime p, found in the parameters; the public
            // value y is usually, but not always, as long.
            let bits = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| dsa_prime_bits(p.data))
                .unwrap_or(0);
            ("DSA".to_owned(), bits)
        }
        _ => (oid, 0),
    }
}

/// Sizes of the named curves an IdP might use.
fn curve_bits(oid: &str) -> Option<u32> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => 256,   // P-256 / prime256v1
        "1.3.132.0.34" => 384,          // P-384
        "1.3.132.0.35" => 521,          // P-521
        "1.3.132.0.10" => 256,          // secp256k1
        "1.2.840.10045.3.1.1" => 192,   // P-192
        "1.3.132.0.33" => 224,          // P-224
        "1.3.36.3.3.2.8.1.1.7" => 256,  // brainpoolP256r1
        "1.3.36.3.3.2.8.1.1.11" => 384, // brainpoolP384r1
        "1.3.36.3.3.2.8.1.1.13" => 512, // brainpoolP512r1
        _ => return None,
    })
}

/// Bit length of the first INTEGER of the DSA parameters `SEQUENCE { p, q, g }` content.
fn dsa_prime_bits(sequence_content: &[u8]) -> Option<u32> {
    let (_, p) = x509_parser::der_parser::der::parse_der_integer(sequence_content).ok()?;
    let bytes = p.as_slice().ok()?;
    Some(unsigned_bit_length(bytes))
}

/// Bit length of a big-endian unsigned integer. DER prefixes a zero byte when the top bit is
/// set (so the value is not negative); that byte, and any other leading zeros, do not count.
fn unsigned_bit_length(bytes: &[u8]) -> u32 {
    let Some(start) = bytes.iter().position(|b| *b != 0) else {
        return 0;
    };
    let significant = &bytes[start..];
    let top_bits = 8 - significant[0].leading_zeros();
    let rest_bits = (significant.len() - 1).saturating_mul(8);
    u32::try_from(rest_bits)
        .unwrap_or(u32::MAX)
        .saturating_add(top_bits)
}

/// The OpenSSL name of a signature algorithm, or its OID when it has none here.
fn signature_algorithm_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "2.16.840.1.101.3.4.3.1" => "dsa_with_SHA224",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        _ => return oid.to_owned(),
    };
    name.to_owned()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test should stop at the first surprise"
)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::saml::test_pem::{at, pem_body, pem_to_der};

    struct Expected {
        pem: &'static str,
        subject: &'static str,
        not_before: &'static str,
        not_after: &'static str,
        key_type: &'static str,
        key_bits: u32,
        signature_algorithm: &'static str,
        sha256: &'static str,
    }

    // Fingerprints from `openssl x509 -noout -fingerprint -sha256 -in <file>`, lower-cased and
    // without colons, computed when the certificates were generated. Regenerating the demo
    // certificates (scripts/gen-demo-certs.py) changes them; the dates stay.
    const DEMO: &[Expected] = &[
        Expected {
            pem: include_str!("../demo/certs/okta-prod.pem"),
            subject: "CN=okta-prod.example.okta.com",
            not_before: "2025-06-01T00:00:00Z",
            not_after: "2030-06-01T00:00:00Z",
            key_type: "RSA",
            key_bits: 2048,
            signature_algorithm: "sha256WithRSAEncryption",
            sha256: "26d0c2358e5e5661eaaa956b3a9f6f0769e284eea93d0e99d25869dc6888a308",
        },
        Expected {
            pem: include_str!("../demo/certs/entra-prod.pem"),
            subject: "CN=Microsoft Azure Federated SSO Certificate",
            not_before: "2023-11-19T00:00:00Z",
            not_after: "2026-11-19T00:00:00Z",
            key_type: "RSA",
            key_bits: 2048,
            signature_algorithm: "sha256WithRSAEncryption",
            sha256: "57ca984ff8ed00fdac96ab4890a8fee5c5af7fbb6e03396c0083b18f930dfb9b",
        },
        Expected {
            pem: include_str!("../demo/certs/identity-center.pem"),
            subject: "CN=IAM Identity Center",
            not_before: "2024-03-01T00:00:00Z",
            not_after: "2029-03-01T00:00:00Z",
            key_type: "RSA",
            key_bits: 2048,
            signature_algorithm: "sha256WithRSAEncryption",
            sha256: "d5ca1b8081c765ad3336ba43a574cd2ae8dcd7ba94aa3865d8b621ecf316c55e",
        },
        Expected {
            pem: include_str!("../demo/certs/okta-legacy.pem"),
            subject: "CN=okta-legacy.example.okta.com",
            not_before: "2021-10-12T00:00:00Z",
            not_after: "2026-10-12T00:00:00Z",
            key_type: "RSA",
            key_bits: 2048,
            signature_algorithm: "sha256WithRSAEncryption",
            sha256: "98547e401a02f4f91eece7cd43e7b5a91abe77692734131313966e2286cf0de3",
        },
        Expected {
            pem: include_str!("../demo/certs/weak-1024.pem"),
            subject: "CN=legacy-adfs.example.com",
            not_before: "2025-01-01T00:00:00Z",
            not_after: "2030-01-01T00:00:00Z",
            key_type: "RSA",
            key_bits: 1024,
            signature_algorithm: "sha256WithRSAEncryption",
            sha256: "5088b89e524e328a67259dfad43a1f572d57fb2a71cb913761ee40d076b6370b",
        },
        Expected {
            pem: include_str!("../demo/certs/okta-nonprod.pem"),
            subject: "CN=okta-nonprod.example.okta.com",
            not_before: "2025-09-01T00:00:00Z",
            not_after: "2028-09-01T00:00:00Z",
            key_type: "EC",
            key_bits: 256,
            signature_algorithm: "ecdsa-with-SHA256",
            sha256: "e5ed900f5bbf88ac3df0a74c23711452e551b8f64707e6dae451954f58c95769",
        },
    ];

    #[test]
    fn demo_certificates_parse_with_expected_properties() {
        for e in DEMO {
            let cert = parse_certificate_der(&pem_to_der(e.pem)).unwrap();
            assert_eq!(cert.subject, e.subject);
            // Self-signed: the issuer is the subject.
            assert_eq!(cert.issuer, e.subject);
            assert_eq!(cert.not_before, at(e.not_before), "{}", e.subject);
            assert_eq!(cert.not_after, at(e.not_after), "{}", e.subject);
            assert_eq!(cert.key_type, e.key_type, "{}", e.subject);
            assert_eq!(cert.key_bits, e.key_bits, "{}", e.subject);
            assert_eq!(cert.signature_algorithm, e.signature_algorithm);
            assert_eq!(cert.sha256, e.sha256, "{}", e.subject);
            assert_eq!(cert.parse_error, None);
        }
    }

    #[test]
    fn base64_with_any_whitespace_parses_like_der() {
        for e in DEMO {
            let wrapped = pem_body(e.pem).replace('\n', "\r\n\t  ");
            let from_base64 = parse_certificate_base64(&format!("\n  {wrapped}\n")).unwrap();
            assert_eq!(
                from_base64,
                parse_certificate_der(&pem_to_der(e.pem)).unwrap()
            );
        }
    }

    // Certificates made with `openssl req -x509` (Ed25519; P-384 with SHA-384; P-521 with
    // SHA-512; DSA 2048 with SHA-256; RSA 3072 with SHA-1) to cover the key types the demo
    // does not use. Dates and fingerprints are from
    // `openssl x509 -noout -dates -fingerprint -sha256`.
    const ED25519: &str = "-----BEGIN CERTIFICATE-----
MIIBczCCASWgAwIBAgIUFw74O6WupkZEVlwLkAoxHkE9ELUwBQYDK2VwMC8xFTAT
BgNVBAMMDGVkMjU1MTkudGVzdDEWMBQGA1UECgwNRXhhbXBsZSwgSW5jLjAeFw0y
NjExMjMwNzEwNDNaFw0yNzExMjMwNzEwNDNaMC8xFTATBgNVBAMMDGVkMjU1MTku
dGVzdDEWMBQGA1UECgwNRXhhbXBsZSwgSW5jLjAqMAUGAytlcAMhAMjSWoUTPl/D
UMhwk2W68/kTQcBOvEFT7hwYJtgjxoLro1MwUTAdBgNVHQ4EFgQUbunJbE8YOiUR
g2tpp+hzZJs5nQEwHwYDVR0jBBgwFoAUbunJbE8YOiURg2tpp+hzZJs5nQEwDwYD
VR0TAQH/BAUwAwEB/zAFBgMrZXADQQCt4o7RMP/FFwtgaEhOl9sFR5fQ8uQaGlZe
nPstGQdODBhe2z7Ethm1zTrVgr9qOA/Ux7x/SGoW+QNU3nfUWbIH
-----END CERTIFICATE-----";
    const P384: &str = "-----BEGIN CERTIFICATE-----
MIIBujCCAUCgAwIBAgIUe3mrWMkS8weJi+PBetZ4ROlDk4cwCgYIKoZIzj0EAwMw
FDESMBAGA1UEAwwJcDM4NC50ZXN0MB4XDTI2MTEyMzA3MTA0M1oXDTI3MTEyMzA3
MTA0M1owFDESMBAGA1UEAwwJcDM4NC50ZXN0MHYwEAYHKoZIzj0CAQYFK4EEACID
YgAE//tIGWBSb3Yubp1SU6PHF2MEeQ+X6AY8Ydv1KNdyg0LnzwD4x3Q0Fx4ik/g/
NFqXSfJtPP7Bh88mWRnZO2+MBmcXAkcTwZeRG12HQpXfIuBkPAg0fSEcp+mr1NiG
+ZiZo1MwUTAdBgNVHQ4EFgQUuRIoIFaZeUQR1d/kmR6+u4pSK48wHwYDVR0jBBgw
FoAUuRIoIFaZeUQR1d/kmR6+u4pSK48wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjO
PQQDAwNoADBlAjAfeitvff+IXJR9Wq1TjBpDp4NNlatetZLpHQf87SBYt/JCMUbz
8tS0KWroA2e6NswCMQDor/oD543olQmZX+EzR6JV4RgwTrfQLQ1jtSO+P/B4Bnk0
zejP6vP7rcAhz0DVfJo=
-----END CERTIFICATE-----";
    const P521: &str = "-----BEGIN CERTIFICATE-----
MIICBTCCAWagAwIBAgIUQX5WMUcEyg7ZHcVMG+G/glxsKUAwCgYIKoZIzj0EAwQw
FDESMBAGA1UEAwwJcDUyMS50ZXN0MB4XDTI2MTEyMzA3MTA0M1oXDTI3MTEyMzA3
MTA0M1owFDESMBAGA1UEAwwJcDUyMS50ZXN0MIGbMBAGByqGSM49AgEGBSuBBAAj
A4GGAAQAJ2AlZ0n5cGK1KeP7zGwgvMXIuA4+nIUJxHs38RGVRzWELI1ed0sMdxJy
LLiJ43kFiuoriP/axNuh1tzb1CSNWOABoC9qessuhheE1UJlRlt7K8tc6IFRsASu
ogvBnZZFdbWRqQ5hstHpVl4R/OcTIxGLxStmnFZm/HbUO+8U9a+3u/ajUzBRMB0G
A1UdDgQWBBT95tJguRahOdh7lnVLrN1XXG5xTDAfBgNVHSMEGDAWgBT95tJguRah
Odh7lnVLrN1XXG5xTDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMEA4GMADCB
iAJCAb3xkSzzPaFR16h7o2K/VON5J8cSkNwOUtsoSirWyhOIIoEoABRTh2lhkxop
tTkmoDiKJrV6SCWegeI4Q0EQOLRcAkIAi/PR/2V9tE9EOsc+JdFTVQlRHNequtLU
lTI1qu+JXybJftX6X63Np7NPO98qp7+AXz17S8ITcArde8oWUSIM7Bk=
-----END CERTIFICATE-----";
    const DSA2048: &str = "-----BEGIN CERTIFICATE-----
MIIEYDCCBA2gAwIBAgIUAMIlXJtWlqTcbCe/SRKq34LBgbUwCwYJYIZIAWUDBAMC
MBMxETAPBgNVBAMMCGRzYS50ZXN0MB4XDTI2MTEyMzA3MTg0NFoXDTI3MTEyMzA3
MTg0NFowEzERMA8GA1UEAwwIZHNhLnRlc3QwggNCMIICNQYHKoZIzjgEATCCAigC
ggEBAMv5B/foWPCGpoA4GhGTihis9J0uV9HqJNzaR26IhhIo907cPdf4+J/tZ+OL
x/xitmipMsXiT6CyVfwX7yY+RZBquaf/MhLxzSRDQHNqsnoq6pdjG1pt+eBtVY0r
Au0DXPK5UkK0wfloKkt9ug7FLU2ZiHEa8h1AXUPnTvY2KMX3nYfVeaqi1fQLgMi8
dH+lux78obdoRYSd5gZZKa2fprZmOyHAAUrvejoj3aWJ3N+i1h4X2qvX+E5Mr1/k
gT9G7YguzU2rYY6JSn9xT8A9pB7MU+w2sEvUIjMI4gadZIDVbsAYKcI/rQ0DuZvZ
5ozRl3+Y42JqxbYBh7W5p1C0dhsCHQDF60YqdUBFNBr5RjOo7p1FdQtHO/7j6FCq
4tOBAoIBAEk2Te+QG4wtiZMAilAduRFaYkCg9t3RF/ThvH7cgaOrSrxUHIWgjbZ0
1GqtF5trN1L6rzG0XPzyNKRzQUnOQUS7TM/st0P/PGj62nzovq/Jgu/yry58zAQD
DSZ60C6Frsc8ybAc+bCot3BWei74ULQ+UHUT2yAoTH/daEllyBgOQTWas0xweOpj
7Xnd5ViewPkFkT81Jo4yal6RopDzXmb4pGP2E+5vIOd9XeHM3UrWLxfQFxTBxffR
40D8+kLLrkYXbQr48YEP2h7Dm6qEpAgQs8gXbjBmFRAGxaPggBPnWZTlCaSdWQe9
McuL6KyMeE6NWdPfHJ++RM3BHQyEsA4DggEFAAKCAQAg03a305I8mS8OYlLbWvpp
f5WiQoyfgJrTlJDt76TxKZqDwnJ8pwZy/1MpJGeSA13EI9aCXkL26/APWg3M1CO/
ua1gnPMQvoDgpWyemj1dLfygxvwGUbhCz/ftn6kLwNYXN8R2olgYfWGsvkRg1R4d
BNVXtbTA4RrA/y6pgvZlzRJEVRBF0Lao4XuzKKbn9Q5yGleAJGJbm1lTyhYqNfQn
2VS5bK/3dm/YrdVU9tyt0qaTCwKlKHTjJzimsz3EAuP8ZBa0DUVeXyVJayHnOiW3
yN2kTEru8IxcROOzzpq0Fl2QL+qkItppqMt+4IHaiTDFOSWrSCjMXuQlBDELI6YA
o1MwUTAdBgNVHQ4EFgQUbwuG+EWxUtPh4mgZAcKiFlno9PMwHwYDVR0jBBgwFoAU
bwuG+EWxUtPh4mgZAcKiFlno9PMwDwYDVR0TAQH/BAUwAwEB/zALBglghkgBZQME
AwIDQAAwPQIdAK/rBCRNpiFXDOi88Ct8X3/OKJT4EAXGDVVGXS4CHE7nFde/UyVw
f3lwCve2vsKeM1qJa56KupvOCUg=
-----END CERTIFICATE-----";
    const SHA1_RSA3072: &str = "-----BEGIN CERTIFICATE-----
MIIECTCCAnGgAwIBAgIUIyIr1mgP+CLLFYtNILcedn/5rAEwDQYJKoZIhvcNAQEF
BQAwFDESMBAGA1UEAwwJc2hhMS50ZXN0MB4XDTI2MTEyMzA3MTA0NFoXDTI3MTEy
MzA3MTA0NFowFDESMBAGA1UEAwwJc2hhMS50ZXN0MIIBojANBgkqhkiG9w0BAQEF
AAOCAY8AMIIBigKCAYEA56indqIu0lPvBROI1RjDC+Oq9C7OcNK/nbz8lUfn/6xE
xAMfY6pU07RrFAxNmG38zNLEoMJroiXtgmi0CM3kjQ0Hj4tzpA6JiIbBmH2OMqhC
qToO2L64ANeLgFwxQOlGKwSk+i3VxOaBWElGXoqOq7MMqT+nxL6nRd4sU8+oB3n/
U0mfPm9CA4GkmMz1MAUp7eXiO5N6ZQDmy0JyA4E06ZViI/Rvzs//tWKViijTBlHC
Qgef+/I8O05XsR0I89FFRus13knbdRuFmXNdAJi5WwBiENbdAVffjg19lDM/pBJc
HGharHhQjlHRkHzG+7zADBVt+3t+rRLIjyJwE/jQNJMtyvUvHQyj0aDSlWxKRuel
r1ggMwAuBEXqx50ac5Oo1r/JYYHeylRnlDoOnBlPuM/MRG22cUps3PPde7/yApvU
2aZB4dP3WvZQx8vWivov6idWQSkhgMrIqzmKL7t9ZoxKMSuk6dZM/GzpBcSEzmBP
b7egXXnmFwUqpui22GhbAgMBAAGjUzBRMB0GA1UdDgQWBBQJykAWTaYTOZ2XsFn9
VyD+lzOHmjAfBgNVHSMEGDAWgBQJykAWTaYTOZ2XsFn9VyD+lzOHmjAPBgNVHRMB
Af8EBTADAQH/MA0GCSqGSIb3DQEBBQUAA4IBgQA7RNDRIirAWcGgaCg8okjeb7Ry
rLW2MwDOYTwtU7UVd9aTzWkBs7l3S7kvl5Fxbnz4vz4X3LLxWoUzgUHlJrr02Zsc
FW7GwC6QmfPiFYtU4kLShSy1Pow9pKRWZqHuQjQY+J9j48rQQUpsLP1RBW4YjHhR
ksMbhOdWnWgRN+8N1QZYhlBVNYv7xJVOKsaSK5oY+LLUnSkrgOn8h3dcKwGSxjXD
OnFkCxmy7LCGnLusJ06YBQNMe3jVNuw1dkFupijm9FSEa/7WxSyvozH+qtsUgkDR
4TEYDIPtIlCyv0LYoJDRmPf0zGGZsFTv1YdHhtrTofOgNgW5kHJMuRtB6TEwQwOC
elh2RtOEDP+C1ZB568Tgz7Al9toy5k29avsSpJRhnC+TGkgZnSekys65BUdwESXT
hxUNzUAzThbxuuv9vbNn2Fav3v3pABTGh1QvyI00m+v5N/dMVMiiDG1x9ke2b2fD
voP4wabkP5UxG4EhouHPL89pyp7TYWENMBDosOw=
-----END CERTIFICATE-----";

    #[test]
    fn other_key_types_and_algorithms() {
        let cases = [
            (
                ED25519,
                "Ed25519",
                256,
                "ED25519",
                "bbe707492332efda02648d48b3d71ca07cb68ff5c611d4596f30f3c7bc3c0342",
            ),
            (
                P384,
                "EC",
                384,
                "ecdsa-with-SHA384",
                "bee9e285be73bc98b867e234af6542019311ecb28eeb9721d583f931f62a081d",
            ),
            (
                P521,
                "EC",
                521,
                "ecdsa-with-SHA512",
                "3c07db2305b33a0379c6a50ccdf2bb2f61cc11d4a4d282ccaf941d4e2f061459",
            ),
            (
                SHA1_RSA3072,
                "RSA",
                3072,
                "sha1WithRSAEncryption",
                "f0a504d835e81058ffc393485d7928ab8410f5558318343d76462e6e075b1aa1",
            ),
            (
                DSA2048,
                "DSA",
                2048,
                "dsa_with_SHA256",
                "9dd0a34f79e48b1b1765425118ab73169c4de47ba2ab90ef4c755c270002267b",
            ),
        ];
        for (pem, key_type, key_bits, algorithm, sha256) in cases {
            let cert = parse_certificate_der(&pem_to_der(pem)).unwrap();
            assert_eq!(cert.key_type, key_type);
            assert_eq!(cert.key_bits, key_bits, "{key_type}");
            assert_eq!(cert.signature_algorithm, algorithm);
            assert_eq!(cert.sha256, sha256);
        }
        let ed = parse_certificate_der(&pem_to_der(ED25519)).unwrap();
        // x509-parser's Display joins attributes with ", " and does not escape a comma inside
        // a value (RFC 4514 would write `Example\, Inc.`); names are for people, not parsing.
        assert_eq!(ed.subject, "CN=ed25519.test, O=Example, Inc.");
        assert_eq!(ed.not_before, at("2026-11-23T07:10:43Z"));
        assert_eq!(ed.not_after, at("2027-11-23T07:10:43Z"));
    }

    #[test]
    fn not_a_certificate() {
        assert_eq!(
            parse_certificate_der(&[]).unwrap_err(),
            "empty certificate".to_owned()
        );
        let err = parse_certificate_der(b"hello").unwrap_err();
        assert!(err.starts_with("not an x.509 certificate"), "{err}");
        assert_eq!(
            parse_certificate_base64("not base64!").unwrap_err(),
            "invalid base64"
        );
        assert_eq!(
            parse_certificate_base64(" \n ").unwrap_err(),
            "empty certificate"
        );
    }

    #[test]
    fn truncated_and_trailing_der_are_errors() {
        let der = pem_to_der(DEMO[0].pem);
        let err = parse_certificate_der(&der[..der.len() - 10]).unwrap_err();
        assert!(err.starts_with("not an x.509 certificate"), "{err}");
        let mut longer = der.clone();
        longer.extend_from_slice(&[0, 0]);
        assert_eq!(
            parse_certificate_der(&longer).unwrap_err(),
            "2 bytes of trailing data after the certificate"
        );
    }

    #[test]
    fn bit_length_ignores_leading_zeros() {
        assert_eq!(unsigned_bit_length(&[]), 0);
        assert_eq!(unsigned_bit_length(&[0, 0]), 0);
        assert_eq!(unsigned_bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bit_length(&[0x01, 0xff]), 9);
    }

    #[test]
    fn unknown_signature_algorithm_falls_back_to_oid() {
        assert_eq!(signature_algorithm_name("1.2.3.4"), "1.2.3.4");
        assert_eq!(
            signature_algorithm_name("1.2.840.113549.1.1.5"),
            "sha1WithRSAEncryption"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(der in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_certificate_der(&der);
        }

        #[test]
        fn corrupted_certificates_never_panic(
            which in 0usize..6,
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
            cut in any::<usize>(),
        ) {
            let mut der = pem_to_der(DEMO[which].pem);
            for (at, byte) in flips {
                let at = at % der.len();
                der[at] ^= byte;
            }
            let _ = parse_certificate_der(&der);
            let _ = parse_certificate_der(&der[..cut % (der.len() + 1)]);
        }
    }
}
