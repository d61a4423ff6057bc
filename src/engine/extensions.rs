//! Functions registered with regorus so policies can ask IAM questions correctly.
//!
//! | Function | Answer |
//! |---|---|
//! | `iam.action_matches(pattern, action)` | IAM action wildcard match (case-insensitive; `*`/`?`) |
//! | `iam.arn_like(pattern, arn)` | IAM `ArnLike` match (per ARN segment, case-sensitive) |
//! | `iam.string_like(pattern, value)` | IAM `StringLike` match |
//! | `iam.scp_decision(account_id, action, resource)` | the SCP chain's decision for any principal of the account |
//! | `iam.scp_decision_for(account_id, action, resource, principal_arn)` | the same for one principal |
//!
//! Rego's own `glob.match` lets `*` cross `:` in regorus, so it must not be used for IAM
//! matching (ENGINE.md §3). Decisions are objects: `{"decision": "denied" | "denied_except" |
//! "not_denied" | "unknown", "reason", "deciding", "exception_sets", "unknown_keys",
//! "allow_path"}`; see `docs/policy-functions.md`.

use std::sync::Arc;

use anyhow::{Context as _, bail};
use regorus::Value;

use crate::iam::{
    RequestContext, ScpEvaluator, ScpQuestion, action_matches, arn_matches, string_like,
};
use crate::snapshot::Organization;

/// What the registered functions need from the scan: the organization's SCPs.
pub struct ExtensionContext {
    scp: Option<ScpEvaluator>,
}

impl std::fmt::Debug for ExtensionContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtensionContext").finish_non_exhaustive()
    }
}

impl ExtensionContext {
    /// Functions answering for this organization.
    pub fn new(organization: &Organization) -> Self {
        Self {
            scp: Some(ScpEvaluator::new(organization)),
        }
    }

    /// Functions with no organization behind them (policy tests): SCP questions fail.
    pub fn empty() -> Self {
        Self { scp: None }
    }
}

fn string_arg<'a>(args: &'a [Value], index: usize, function: &str) -> anyhow::Result<&'a str> {
    args.get(index)
        .and_then(|v| v.as_string().ok())
        .map(|s| s.as_ref())
        .with_context(|| format!("{function}: argument {} must be a string", index + 1))
}

/// Registers every function on `engine`.
pub fn register(
    engine: &mut regorus::Engine,
    context: Option<&Arc<ExtensionContext>>,
) -> anyhow::Result<()> {
    engine.add_extension(
        "iam.action_matches".into(),
        2,
        Box::new(|args: Vec<Value>| {
            Ok(Value::from(action_matches(
                string_arg(&args, 0, "iam.action_matches")?,
                string_arg(&args, 1, "iam.action_matches")?,
            )))
        }),
    )?;
    engine.add_extension(
        "iam.arn_like".into(),
        2,
        Box::new(|args: Vec<Value>| {
            Ok(Value::from(arn_matches(
                string_arg(&args, 0, "iam.arn_like")?,
                string_arg(&args, 1, "iam.arn_like")?,
            )))
        }),
    )?;
    engine.add_extension(
        "iam.string_like".into(),
        2,
        Box::new(|args: Vec<Value>| {
            Ok(Value::from(string_like(
                string_arg(&args, 0, "iam.string_like")?,
                string_arg(&args, 1, "iam.string_like")?,
                false,
            )))
        }),
    )?;
    let context = context
        .cloned()
        .unwrap_or_else(|| Arc::new(ExtensionContext::empty()));
    let for_any = Arc::clone(&context);
    engine.add_extension(
        "iam.scp_decision".into(),
        3,
        Box::new(move |args: Vec<Value>| scp_decision(&for_any, &args, None)),
    )?;
    engine.add_extension(
        "iam.scp_decision_for".into(),
        4,
        Box::new(move |args: Vec<Value>| {
            let principal = string_arg(&args, 3, "iam.scp_decision_for")?.to_owned();
            scp_decision(&context, &args, Some(&principal))
        }),
    )?;
    Ok(())
}

fn scp_decision(
    context: &ExtensionContext,
    args: &[Value],
    principal: Option<&str>,
) -> anyhow::Result<Value> {
    let name = if principal.is_some() {
        "iam.scp_decision_for"
    } else {
        "iam.scp_decision"
    };
    let Some(evaluator) = &context.scp else {
        bail!(
            "{name}: no organization is loaded (mock it in tests with `with iam.scp_decision as …`)"
        );
    };
    let request = RequestContext::new();
    let question = ScpQuestion {
        account_id: string_arg(args, 0, name)?,
        action: string_arg(args, 1, name)?,
        resource: string_arg(args, 2, name)?,
        principal_arn: principal,
        context: &request,
    };
    let decision = evaluator.decide(&question);
    Ok(Value::from(serde_json::to_value(decision)?))
}
