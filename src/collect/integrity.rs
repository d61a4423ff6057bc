//! Refuses AWS responses that arrived cut short or malformed.
//!
//! The SDK's XML parser (IAM and STS speak `awsQuery`) reads what it gets: a body cut in the
//! middle of `GetAccountAuthorizationDetails` parses into fewer roles, a cut
//! `GetSAMLProvider` into a truncated metadata document, a cut `ListSAMLProviders` into a
//! provider that does not exist. Each would become data, and then a false finding. Every
//! response is therefore checked after it is read and before the attempt completes: the body
//! must be as long as `Content-Length` says, and a complete XML or JSON document. A response
//! that is not becomes a response error, which the SDK's retry classifiers treat as transient;
//! when the retries run out, the collector records a collection error and the account or
//! region is reported as not assessed.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextMut;
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// The interceptor; add it to every SDK client of a collection.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CompleteBodies;

/// Why a response body cannot be trusted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum Incomplete {
    /// Fewer (or more) bytes than `Content-Length`.
    #[error("response body has {got} bytes, Content-Length says {expected}")]
    Length {
        /// What arrived.
        got: usize,
        /// What the header announced.
        expected: usize,
    },
    /// Not a complete document.
    #[error("response body is not a complete {kind} document: {reason}")]
    Malformed {
        /// `XML` or `JSON`.
        kind: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl Intercept for CompleteBodies {
    fn name(&self) -> &'static str {
        "ConnectGuardCompleteBodies"
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Only answers the SDK would read as data; an error answer is an error already.
        let Some(response) = context.response().filter(|r| r.status().is_success()) else {
            return Ok(());
        };
        let Some(body) = response.body().bytes() else {
            // Not read into memory (a connection error, or nothing to deserialize).
            return Ok(());
        };
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<usize>().ok());
        if let Err(problem) = check(body, declared)
            && let Some(outcome) = context.output_or_error_mut()
        {
            *outcome = Err(OrchestratorError::response(Box::new(problem)));
        }
        Ok(())
    }
}

/// Checks a response body against its `Content-Length` and its own syntax. An empty body is
/// complete (some operations answer with none).
pub(crate) fn check(body: &[u8], content_length: Option<usize>) -> Result<(), Incomplete> {
    if let Some(expected) = content_length
        && expected != body.len()
    {
        return Err(Incomplete::Length {
            got: body.len(),
            expected,
        });
    }
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| body[i]) {
        None => Ok(()),
        Some(b'<') => complete_xml(body).map_err(|reason| Incomplete::Malformed {
            kind: "XML",
            reason,
        }),
        Some(_) => serde_json::from_slice::<serde::de::IgnoredAny>(body)
            .map(|_| ())
            .map_err(|e| Incomplete::Malformed {
                kind: "JSON",
                reason: e.to_string(),
            }),
    }
}

/// Whether `body` is one complete XML element tree: every start tag closed, nothing cut.
fn complete_xml(body: &[u8]) -> Result<(), String> {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(_)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Empty(_)) if depth == 0 => roots += 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        buffer.clear();
    }
    match (depth, roots) {
        (0, 1) => Ok(()),
        (0, _) => Err(format!("{roots} root elements")),
        (open, _) => Err(format!("{open} elements left open")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<?xml version=\"1.0\"?>\n<ListSAMLProvidersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListSAMLProvidersResult><SAMLProviderList><member><Arn>arn:aws:iam::1:saml-provider/Okta</Arn></member></SAMLProviderList></ListSAMLProvidersResult></ListSAMLProvidersResponse>\n";

    #[test]
    fn complete_bodies_pass() {
        assert_eq!(check(XML.as_bytes(), Some(XML.len())), Ok(()));
        assert_eq!(check(b"{\"Roots\": []}", None), Ok(()));
        assert_eq!(check(b"", Some(0)), Ok(()));
    }

    #[test]
    fn every_cut_of_an_xml_body_is_caught() {
        for cut in 1..XML.trim_end().len() {
            let body = &XML.as_bytes()[..cut];
            assert!(
                check(body, None).is_err(),
                "cut at {cut}: {:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_cut_json_body_and_a_short_length_are_caught() {
        let json = b"{\"Accounts\": [{\"Id\": \"111122223333\"}], \"NextToken\": \"x\"}";
        for cut in 1..json.len() {
            assert!(check(&json[..cut], None).is_err(), "cut at {cut}");
        }
        assert_eq!(
            check(json, Some(json.len() + 10)),
            Err(Incomplete::Length {
                got: json.len(),
                expected: json.len() + 10
            })
        );
    }
}
