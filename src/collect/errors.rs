//! Turning AWS SDK errors into [`CollectionError`]s, the snapshot's record of what could not be
//! read.
//!
//! Every failed call becomes data: the account and region it was made for, the service and
//! operation, the AWS error code and a one-line message. The SDK's own `Display` output is not
//! used verbatim: it nests the whole error chain, and although AWS error messages do not carry
//! credentials, the message is passed through [`redact`] anyway so that a key id or session
//! token that ever showed up in an error (a proxy echoing headers, say) never reaches the
//! snapshot, a log or a report.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::CollectionError;

/// Longest message kept in a [`CollectionError`]; AWS messages are short, HTML error pages
/// from a misconfigured endpoint are not.
const MAX_MESSAGE_CHARS: usize = 300;

/// Where a call was made: the account and region it was for, and what it was.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallSite<'a> {
    /// Account the call was made for; `None` for organization-level calls.
    pub(crate) account_id: Option<&'a str>,
    /// Region of the call; `None` for global services (IAM, Organizations).
    pub(crate) region: Option<&'a str>,
    /// Lower-case service name as in IAM actions: `sts`, `iam`, `connect`, `organizations`.
    pub(crate) service: &'static str,
    /// API operation, e.g. `AssumeRole`.
    pub(crate) operation: &'static str,
}

impl<'a> CallSite<'a> {
    /// A call for `account_id` (or the organization when `None`) to a global service.
    pub(crate) fn global(
        account_id: Option<&'a str>,
        service: &'static str,
        operation: &'static str,
    ) -> Self {
        Self {
            account_id,
            region: None,
            service,
            operation,
        }
    }

    /// A regional call for `account_id`.
    pub(crate) fn regional(
        account_id: &'a str,
        region: &'a str,
        service: &'static str,
        operation: &'static str,
    ) -> Self {
        Self {
            account_id: Some(account_id),
            region: Some(region),
            service,
            operation,
        }
    }

    /// A [`CollectionError`] at this call site with a connect-guard code and message.
    pub(crate) fn error(&self, code: &str, message: &str) -> CollectionError {
        CollectionError {
            account_id: self.account_id.map(str::to_owned),
            region: self.region.map(str::to_owned),
            service: self.service.to_owned(),
            operation: self.operation.to_owned(),
            code: code.to_owned(),
            message: clean_message(message),
        }
    }

    /// The [`CollectionError`] for an SDK error at this call site.
    pub(crate) fn sdk_error<E>(&self, error: &SdkError<E, HttpResponse>) -> CollectionError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let (code, message) = classify(error);
        self.error(&code, &message)
    }
}

/// The error code and message of an SDK error.
///
/// Service errors keep AWS's code. Errors without one get a connect-guard code that says
/// what happened: `Timeout`, `ConnectionError`, `UnsupportedOperation` (an HTTP 404 without an
/// AWS error body: the endpoint does not implement the operation, as emulators answer), or
/// `HTTP<status>`.
pub(crate) fn classify<E>(error: &SdkError<E, HttpResponse>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let err = context.err();
            let message = err
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("HTTP {status}"));
            match err.code() {
                Some(code) => (code.to_owned(), message),
                None if status == 404 => (
                    "UnsupportedOperation".to_owned(),
                    "the endpoint does not implement this operation (HTTP 404)".to_owned(),
                ),
                None => (format!("HTTP{status}"), message),
            }
        }
        SdkError::TimeoutError(_) => ("Timeout".to_owned(), "the operation timed out".to_owned()),
        SdkError::DispatchFailure(failure) => {
            let code = if failure.is_timeout() {
                "Timeout"
            } else if failure.is_io() {
                "ConnectionError"
            } else {
                "DispatchFailure"
            };
            (code.to_owned(), DisplayErrorContext(error).to_string())
        }
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            let code = if status == 404 {
                "UnsupportedOperation".to_owned()
            } else {
                "InvalidResponse".to_owned()
            };
            (
                code,
                format!(
                    "HTTP {status}: the response could not be read: {}",
                    DisplayErrorContext(error)
                ),
            )
        }
        SdkError::ConstructionFailure(_) => (
            "ConstructionFailure".to_owned(),
            DisplayErrorContext(error).to_string(),
        ),
        _ => ("Unknown".to_owned(), DisplayErrorContext(error).to_string()),
    }
}

/// The AWS error code of an SDK error, if it is a service error with one.
pub(crate) fn code_of<E>(error: &SdkError<E, HttpResponse>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    error.as_service_error().and_then(|e| e.code())
}

/// Is `code` one of the ways AWS says "you may not"?
pub(crate) fn is_access_denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation"
    )
}

/// One line, at most [`MAX_MESSAGE_CHARS`] characters, with anything that looks like a
/// credential removed.
fn clean_message(message: &str) -> String {
    let one_line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let redacted = redact(&one_line);
    if redacted.chars().count() > MAX_MESSAGE_CHARS {
        let mut cut: String = redacted.chars().take(MAX_MESSAGE_CHARS).collect();
        cut.push('…');
        cut
    } else {
        redacted
    }
}

/// Replaces AWS access key ids (`AKIA…`, `ASIA…`), and the value after any
/// `X-Amz-Security-Token`, `SessionToken`, `SecretAccessKey` or `Signature=` marker, with
/// `[redacted]`.
pub fn redact(text: &str) -> String {
    const MARKERS: [&str; 5] = [
        "x-amz-security-token",
        "sessiontoken",
        "secretaccesskey",
        "aws_secret_access_key",
        "signature=",
    ];
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // An access key id: AKIA/ASIA followed by 16 upper-case letters or digits.
        if i + 20 <= chars.len()
            && (starts_with(&chars[i..], "AKIA") || starts_with(&chars[i..], "ASIA"))
            && chars[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
        {
            out.push_str("[redacted]");
            i += 20;
            continue;
        }
        if let Some(marker) = MARKERS
            .iter()
            .find(|m| starts_with_ignore_case(&chars[i..], m))
        {
            out.extend(&chars[i..i + marker.len()]);
            i += marker.len();
            // Keep the separator (`=`, `:`, quotes, spaces), then drop the value.
            while i < chars.len() && matches!(chars[i], '=' | ':' | '"' | '\'' | ' ') {
                out.push(chars[i]);
                i += 1;
            }
            if i < chars.len() && !chars[i].is_whitespace() {
                out.push_str("[redacted]");
            }
            while i < chars.len() && !matches!(chars[i], ' ' | '"' | '\'' | ',' | '&' | ';' | '<') {
                i += 1;
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    prefix.chars().count() <= chars.len() && prefix.chars().zip(chars).all(|(p, c)| p == *c)
}

fn starts_with_ignore_case(chars: &[char], prefix: &str) -> bool {
    prefix.chars().count() <= chars.len()
        && prefix
            .chars()
            .zip(chars)
            .all(|(p, c)| p.eq_ignore_ascii_case(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_key_ids_and_tokens() {
        let text = "denied for AKIAIOSFODNN7EXAMPLE with X-Amz-Security-Token=FwoGZXIvYXdzEJr//abc&x=1 \
                    and SecretAccessKey: wJalrXUtnFEMI/K7MDENG done";
        let out = redact(text);
        assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
        assert!(!out.contains("FwoGZXIvYXdzEJr"), "{out}");
        assert!(!out.contains("wJalrXUtnFEMI"), "{out}");
        assert!(out.contains("done"), "{out}");
        assert!(out.contains("&x=1"), "{out}");
    }

    #[test]
    fn keeps_ordinary_text() {
        let text = "User: arn:aws:sts::111122223333:assumed-role/x/y is not authorized to perform: sts:AssumeRole";
        assert_eq!(redact(text), text);
        assert_eq!(redact("ASIA"), "ASIA");
        assert_eq!(redact(""), "");
    }

    #[test]
    fn messages_are_one_short_line() {
        let long = "x\n".repeat(1000);
        let site = CallSite::global(None, "iam", "GetSAMLProvider");
        let error = site.error("Code", &long);
        assert!(!error.message.contains('\n'));
        assert!(error.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }
}
