//! The one HTTP client every AWS client of a scan shares.
//!
//! A collection builds a few SDK clients per account (IAM, and Connect once per region, each
//! with that account's credentials): over 800 for 200 accounts. The SDK validates the HTTP
//! client each time a client is built, and the hyper client answers that by building a whole
//! HTTPS connector, root certificate store included, only to drop it: "so that native certs
//! load at client initialization time" (aws-smithy-http-client 1.5,
//! `HyperClient::validate_base_client_config`). Requests never use those connectors; they use
//! the one cached per timeout setting. Profiled against the emulator, those throw-away
//! connectors were the largest avoidable share of connect-guard's own CPU time (see the
//! collector section of docs/benchmarks.md). [`ValidateOnce`] lets the first client do the
//! check, which still surfaces a broken TLS setup before the first request, and skips it for
//! the rest.

use std::sync::atomic::{AtomicBool, Ordering};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::config_bag::ConfigBag;

/// An [`HttpClient`] that passes everything to `inner`, except that it validates the base
/// client configuration only for the first SDK client built with it.
#[derive(Debug)]
pub(crate) struct ValidateOnce {
    inner: SharedHttpClient,
    validated: AtomicBool,
}

impl ValidateOnce {
    /// `inner`, shared, validated once.
    pub(crate) fn shared(inner: SharedHttpClient) -> SharedHttpClient {
        Self {
            inner,
            validated: AtomicBool::new(false),
        }
        .into_shared()
    }
}

impl HttpClient for ValidateOnce {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.inner.http_connector(settings, components)
    }

    fn validate_base_client_config(
        &self,
        runtime_components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        if self.validated.load(Ordering::Acquire) {
            return Ok(());
        }
        self.inner
            .validate_base_client_config(runtime_components, cfg)?;
        self.validated.store(true, Ordering::Release);
        Ok(())
    }

    fn validate_final_config(
        &self,
        runtime_components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_final_config(runtime_components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// Counts validations; connectors are never asked for in this test.
    #[derive(Debug, Default)]
    struct Counting(Arc<AtomicUsize>);

    impl HttpClient for Counting {
        fn http_connector(
            &self,
            _: &HttpConnectorSettings,
            _: &RuntimeComponents,
        ) -> SharedHttpConnector {
            unreachable!("not used by this test")
        }

        fn validate_base_client_config(
            &self,
            _: &RuntimeComponentsBuilder,
            _: &ConfigBag,
        ) -> Result<(), BoxError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    #[test]
    fn validates_once_for_many_clients() {
        let count = Arc::new(AtomicUsize::new(0));
        let client = ValidateOnce::shared(Counting(count.clone()).into_shared());
        let builder = RuntimeComponentsBuilder::new("test");
        for _ in 0..5 {
            client
                .validate_base_client_config(&builder, &ConfigBag::base())
                .expect("valid");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}
