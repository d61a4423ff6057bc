//! Counting the AWS operations the collector invokes.
//!
//! An SDK interceptor on every client records each operation as the IAM action that
//! authorizes it (`connect:ListInstances`). The counts go into the snapshot
//! (`scan.api_calls`): they show what a scan cost, and a test checks every recorded action
//! against `docs/scanner-iam-policy.json`, so the published least-privilege policy cannot
//! drift from what the code really calls.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Operation and HTTP attempt counts, shared by every client of a scan.
#[derive(Debug, Default)]
struct Counts {
    /// Service (as the SDK names it) → operation → count. Two levels, so that counting a call
    /// looks up borrowed names and allocates only the first time an operation is seen.
    operations: Mutex<BTreeMap<String, BTreeMap<String, u64>>>,
    attempts: AtomicU64,
}

/// A cheaply cloned handle on the counts; it is also the interceptor.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallCounter(Arc<Counts>);

impl CallCounter {
    /// Operation counts keyed by IAM action.
    pub(crate) fn operations(&self) -> BTreeMap<String, u64> {
        let operations = self.0.operations.lock().unwrap_or_else(|p| p.into_inner());
        operations
            .iter()
            .flat_map(|(service, counts)| {
                counts
                    .iter()
                    .map(move |(operation, count)| (iam_action(service, operation), *count))
            })
            .collect()
    }

    /// HTTP attempts, retries included.
    pub(crate) fn attempts(&self) -> u64 {
        self.0.attempts.load(Ordering::Relaxed)
    }
}

/// The IAM action for an SDK operation: the SDK names services `IAM`, `STS`, `Connect`,
/// `Organizations`, whose IAM prefixes are their lower-case forms, and `Cognito Identity
/// Provider`, whose prefix is `cognito-idp`.
pub(crate) fn iam_action(service: &str, operation: &str) -> String {
    match service {
        "Cognito Identity Provider" => format!("cognito-idp:{operation}"),
        _ => format!("{}:{operation}", service.to_ascii_lowercase()),
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "ConnectGuardCallCounter"
    }

    // Once per operation, after the operation's configuration (and its `Metadata`) is in the
    // bag; `read_before_execution` of a client interceptor runs before that.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            let (service, name) = (metadata.service(), metadata.name());
            let mut operations = self.0.operations.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(count) = operations.get_mut(service).and_then(|c| c.get_mut(name)) {
                *count += 1;
            } else {
                operations
                    .entry(service.to_owned())
                    .or_default()
                    .insert(name.to_owned(), 1);
            }
        }
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.attempts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        assert_eq!(
            iam_action("Connect", "ListInstances"),
            "connect:ListInstances"
        );
        assert_eq!(iam_action("IAM", "GetSAMLProvider"), "iam:GetSAMLProvider");
        assert_eq!(
            iam_action("Organizations", "ListRoots"),
            "organizations:ListRoots"
        );
        assert_eq!(
            iam_action("Cognito Identity Provider", "ListUserPools"),
            "cognito-idp:ListUserPools"
        );
    }
}
