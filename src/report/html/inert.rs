//! What keeps the page inert whatever it holds: the Content-Security-Policy and its hashes,
//! JSON that cannot close its `<script>` element, and console links built only from
//! validated ARN parts.

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{CONSOLE, SCRIPT, STYLE};
use crate::report::percent_encode;

/// The CSP source for an inline element: `'sha256-<base64 of the body's SHA-256>'`.
pub fn csp_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of the report.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; \
         form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` become JSON `\u` escapes,
/// so neither `</script>` nor `<!--` can appear, and `JSON.parse` restores them.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut safe = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// The AWS console page of a resource, or None when the ARN is not one we link or any part of
/// it does not look like what AWS issues. Built only from parsed parts, each percent-encoded,
/// behind the fixed [`CONSOLE`] prefix.
pub fn console_link(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", "aws", service, region, account, resource] = parts[..] else {
        return None;
    };
    let account_ok = account.is_empty() || is_account_id(account);
    if !account_ok {
        return None;
    }
    match service {
        "connect" => {
            let id = resource.strip_prefix("instance/")?;
            (is_token(id) && is_region(region)).then(|| {
                format!(
                    "{CONSOLE}connect/v2/app/instances/{}?region={}",
                    percent_encode(id),
                    percent_encode(region)
                )
            })
        }
        "iam" => {
            if let Some(path) = resource.strip_prefix("role/") {
                let name = path.rsplit('/').next().filter(|n| !n.is_empty())?;
                Some(format!(
                    "{CONSOLE}iam/home#/roles/details/{}",
                    percent_encode(name)
                ))
            } else if resource.starts_with("saml-provider/") {
                Some(format!(
                    "{CONSOLE}iam/home#/identity_providers/details/SAML/{}",
                    percent_encode(arn)
                ))
            } else {
                None
            }
        }
        "organizations" => {
            let id = resource.strip_prefix("account/")?.rsplit('/').next()?;
            is_account_id(id).then(|| {
                format!(
                    "{CONSOLE}organizations/v2/home/accounts/{}",
                    percent_encode(id)
                )
            })
        }
        _ => None,
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
