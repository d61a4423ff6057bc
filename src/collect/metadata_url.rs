//! Fetching SAML metadata from a Cognito identity provider's `MetadataURL`.
//!
//! Cognito returns no metadata document for a provider configured with a URL, so its signing
//! certificates can only be assessed by reading the URL. That means connecting, from wherever
//! the scan runs, to an address taken from account configuration: untrusted input. It is
//! therefore opt-in (`--fetch-saml-metadata-urls`) and narrow:
//! - `https` only, verified against the platform's roots; plain `http` only to a loopback
//!   address (an IdP under test on the same machine);
//! - a plain `GET` with no credentials and no cookies; redirects are not followed;
//! - 10 seconds per URL, at most 1 MiB of UTF-8, each URL fetched once per scan.
//!
//! A failure becomes a collection error naming the URL's host, so the provider is reported as
//! not assessed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::OnceCell;

/// Longest a metadata document may be; real ones are a few kilobytes.
const MAX_BYTES: usize = 1 << 20;
/// Time for one URL, connection and body included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a URL could not be read: an error code and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FetchError {
    /// `InvalidMetadataUrl`, `InsecureMetadataUrl`, `Timeout`, `HttpStatus<n>`, …
    pub(crate) code: String,
    /// What failed, naming the host (never the path or query, which may carry a tenant key).
    pub(crate) message: String,
}

type Outcome = Result<String, FetchError>;

/// Fetches metadata URLs, each at most once per scan.
pub(crate) struct MetadataFetcher {
    client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
    fetched: Mutex<HashMap<String, Arc<OnceCell<Outcome>>>>,
}

impl std::fmt::Debug for MetadataFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetadataFetcher").finish_non_exhaustive()
    }
}

impl MetadataFetcher {
    /// A fetcher trusting the platform's root certificates.
    pub(crate) fn new() -> Result<Self, String> {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| format!("cannot load the platform's root certificates: {e}"))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Self {
            client: Client::builder(TokioExecutor::new()).build(https),
            fetched: Mutex::new(HashMap::new()),
        })
    }

    /// The document at `url`, fetched on first use and shared afterwards.
    pub(crate) async fn fetch(&self, url: &str) -> Outcome {
        let cell = {
            let mut fetched = self.fetched.lock().unwrap_or_else(|p| p.into_inner());
            fetched.entry(url.to_owned()).or_default().clone()
        };
        cell.get_or_init(|| self.fetch_once(url)).await.clone()
    }

    async fn fetch_once(&self, url: &str) -> Outcome {
        let uri = checked_uri(url)?;
        let host = uri.host().unwrap_or_default().to_owned();
        let request = async {
            let response = self.client.get(uri).await.map_err(|e| FetchError {
                code: "ConnectionFailed".to_owned(),
                message: format!("metadata URL on {host} could not be read: {e}"),
            })?;
            let status = response.status();
            if !status.is_success() {
                return Err(FetchError {
                    code: format!("HttpStatus{}", status.as_u16()),
                    message: format!(
                        "metadata URL on {host} answered {status}{}",
                        if status.is_redirection() {
                            " (redirects are not followed)"
                        } else {
                            ""
                        }
                    ),
                });
            }
            let body = Limited::new(response.into_body(), MAX_BYTES)
                .collect()
                .await
                .map_err(|e| FetchError {
                    code: "MetadataTooLarge".to_owned(),
                    message: format!("metadata URL on {host}: {e} (limit {MAX_BYTES} bytes)"),
                })?
                .to_bytes();
            String::from_utf8(body.to_vec()).map_err(|_| FetchError {
                code: "InvalidMetadata".to_owned(),
                message: format!("metadata URL on {host} returned a document that is not UTF-8"),
            })
        };
        tokio::time::timeout(TIMEOUT, request)
            .await
            .unwrap_or_else(|_| {
                Err(FetchError {
                    code: "Timeout".to_owned(),
                    message: format!(
                        "metadata URL on {host} did not answer within {} s",
                        TIMEOUT.as_secs()
                    ),
                })
            })
    }
}

/// `url` as a URI connect-guard is willing to fetch: `https`, or `http` to a loopback host.
fn checked_uri(url: &str) -> Result<hyper::Uri, FetchError> {
    let invalid = |why: &str| FetchError {
        code: "InvalidMetadataUrl".to_owned(),
        message: format!("metadata URL {why}"),
    };
    let uri: hyper::Uri = url.parse().map_err(|_| invalid("does not parse"))?;
    let host = uri.host().ok_or_else(|| invalid("has no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => Err(FetchError {
            code: "InsecureMetadataUrl".to_owned(),
            message: format!(
                "metadata URL on {host} uses plain http; connect-guard fetches https only \
                 (http only from a loopback address)"
            ),
        }),
        _ => Err(invalid("is neither https nor http")),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn only_https_or_loopback_http_is_fetched() {
        assert!(checked_uri("https://acme.okta.com/app/x/sso/saml/metadata").is_ok());
        assert!(checked_uri("http://127.0.0.1:8080/metadata").is_ok());
        assert!(checked_uri("http://[::1]:8080/metadata").is_ok());
        assert!(checked_uri("http://localhost/metadata").is_ok());
        for (url, code) in [
            ("http://acme.okta.com/metadata", "InsecureMetadataUrl"),
            (
                "http://169.254.169.254/latest/meta-data/",
                "InsecureMetadataUrl",
            ),
            ("file:///etc/passwd", "InvalidMetadataUrl"),
            ("ftp://idp.example.com/metadata", "InvalidMetadataUrl"),
            ("not a url", "InvalidMetadataUrl"),
        ] {
            assert_eq!(
                checked_uri(url).map(|_| ()).map_err(|e| e.code),
                Err(code.to_owned()),
                "{url}"
            );
        }
    }

    /// A one-shot HTTP server on loopback answering every connection with `response`; the
    /// number of connections it saw is returned by the handle.
    async fn serve(response: &'static str) -> (String, tokio::task::JoinHandle<usize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("http://{}/metadata", listener.local_addr().expect("addr"));
        let handle = tokio::spawn(async move {
            let mut served = 0;
            while let Ok(Ok((mut socket, _))) =
                tokio::time::timeout(Duration::from_millis(500), listener.accept()).await
            {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
                served += 1;
            }
            served
        });
        (url, handle)
    }

    #[tokio::test]
    async fn a_document_is_fetched_once_per_url() {
        let (url, server) = serve(
            "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\n<md:metadata/>",
        )
        .await;
        let fetcher = MetadataFetcher::new().expect("fetcher");
        assert_eq!(fetcher.fetch(&url).await, Ok("<md:metadata/>".to_owned()));
        assert_eq!(fetcher.fetch(&url).await, Ok("<md:metadata/>".to_owned()));
        assert_eq!(server.await.expect("server"), 1, "fetched once");
    }

    #[tokio::test]
    async fn redirects_and_errors_are_reported_not_followed() {
        let (url, _server) = serve(
            "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        let fetcher = MetadataFetcher::new().expect("fetcher");
        let error = fetcher.fetch(&url).await.expect_err("not followed");
        assert_eq!(error.code, "HttpStatus302");
        assert!(
            error.message.contains("redirects are not followed"),
            "{error:?}"
        );
        assert!(!error.message.contains("/metadata"), "no path: {error:?}");
    }

    #[tokio::test]
    async fn an_oversized_document_is_refused() {
        static HUGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let body = HUGE.get_or_init(|| {
            let body = "x".repeat(MAX_BYTES + 1);
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        });
        let (url, _server) = serve(body.as_str()).await;
        let fetcher = MetadataFetcher::new().expect("fetcher");
        let error = fetcher.fetch(&url).await.expect_err("too large");
        assert_eq!(error.code, "MetadataTooLarge");
    }
}
