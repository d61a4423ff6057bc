#!/usr/bin/env python3
"""Generate the self-signed X.509 certificates of the connect-guard demo organization.

The demo organization's snapshot is taken at 2026-11-01T06:00:00Z, and each certificate's
validity window is chosen relative to that instant so that the demo shows every
certificate rule: a healthy certificate, one expiring in 18 days, one already expired,
a 1024-bit RSA key, and an EC key.

Run from the repository root (the output directory is found relative to this script, so
any working directory works):

    python3 scripts/gen-demo-certs.py

It needs Python 3.11 or later and the `cryptography` package. It (over)writes
`src/demo/certs/*.pem`. Keys are random and live only in memory: no private key is ever
written, so regenerating changes every fingerprint (and the tests that pin them must be
updated), but never the dates, subjects or key sizes.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "demo" / "certs"


def utc(text: str) -> dt.datetime:
    """Parse an ISO 8601 `...Z` instant into an aware UTC datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class Spec:
    """One demo certificate: file name, subject common name, key and validity window."""

    file: str
    common_name: str
    key: str  # "rsa2048", "rsa1024" or "p256"
    not_before: str
    not_after: str


# Snapshot time: 2026-11-01T06:00:00Z.
SPECS = [
    Spec("okta-prod.pem", "okta-prod.example.okta.com", "rsa2048",
         "2025-06-01T00:00:00Z", "2030-06-01T00:00:00Z"),
    # Expires 18 days after the snapshot.
    Spec("entra-prod.pem", "Microsoft Azure Federated SSO Certificate", "rsa2048",
         "2023-11-19T00:00:00Z", "2026-11-19T00:00:00Z"),
    Spec("identity-center.pem", "IAM Identity Center", "rsa2048",
         "2024-03-01T00:00:00Z", "2029-03-01T00:00:00Z"),
    # Expired 20 days before the snapshot.
    Spec("okta-legacy.pem", "okta-legacy.example.okta.com", "rsa2048",
         "2021-10-12T00:00:00Z", "2026-10-12T00:00:00Z"),
    # Valid dates, weak key.
    Spec("weak-1024.pem", "legacy-adfs.example.com", "rsa1024",
         "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    Spec("okta-nonprod.pem", "okta-nonprod.example.okta.com", "p256",
         "2025-09-01T00:00:00Z", "2028-09-01T00:00:00Z"),
]


def make_key(kind: str):
    """Create a fresh in-memory private key of the given kind."""
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "rsa1024":
        # `cryptography` still generates 1024-bit RSA keys; that weakness is the point.
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key kind {kind!r}")


def make_cert(spec: Spec) -> x509.Certificate:
    """Build and self-sign one certificate with SHA-256."""
    key = make_key(spec.key)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, spec.common_name)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(utc(spec.not_before))
        .not_valid_after(utc(spec.not_after))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for spec in SPECS:
        cert = make_cert(spec)
        path = OUT_DIR / spec.file
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        fingerprint = cert.fingerprint(hashes.SHA256()).hex()
        print(f"{path.relative_to(OUT_DIR.parent.parent.parent)}  sha256={fingerprint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
