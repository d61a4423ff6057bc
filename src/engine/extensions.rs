//! Functions registered with regorus so policies can ask IAM questions correctly.
//!
//! | Function | Answer |
//! |---|---|
//! | `iam.action_matches(pattern, action)` | IAM action wildcard match (case-insensitive; `*`/`?`) |
//! | `iam.arn_like(pattern, arn)` | IAM `ArnLike` match (per ARN segment, case-sensitive) |
//! | `iam.string_like(pattern, value)` | IAM `StringLike` match |
//! | `iam.scp_decision(account_id, action, resource)` | the SCP chain's decision for an ordinary principal of the account (see below) |
//! | `iam.scp_decision_for(account_id, action, resource, principal_arn)` | the same for one principal |
//! | `iam.rcp_decision(account_id, action, resource)` | the RCP chain's decision for an unnamed principal on a resource of the account |
//! | `iam.rcp_decision_for(account_id, action, resource, principal_arn)` | the same for one principal |
//! | `text.english_list(items)` | `"a, b and c"` from an array (or set) of strings, for messages |
//!
//! Without a principal, the question is about an *ordinary* principal: a role or user that no
//! principal condition singles out. A Deny whose principal condition selects named principals
//! (`StringLike aws:PrincipalArn arn:aws:iam::*:root`) does not count; a Deny that excepts
//! named principals (`ArnNotLike aws:PrincipalArn …BreakGlass*`) gives `denied_except` with
//! those exceptions. Ask `…_for` with a role ARN to decide for that role. A principal whose
//! account is in the organization carries its `aws:PrincipalOrgID`.
//!
//! Rego's own `glob.match` lets `*` cross `:` in regorus, so it must not be used for IAM
//! matching (ENGINE.md §3). Decisions are objects: `{"decision": "denied" | "denied_except" |
//! "not_denied" | "unknown", "reason", "deciding", "exception_sets", "unknown_keys",
//! "allow_path"}`; see `docs/policy-functions.md`.

use std::sync::Arc;

use anyhow::{Context as _, bail};
use regorus::Value;

use crate::iam::{
    ChainEvaluator, ChainQuestion, PolicyKind, RequestContext, action_matches, arn_matches,
    string_like,
};
use crate::snapshot::Organization;

/// What the registered functions need from the scan: the organization's SCPs and RCPs.
pub struct ExtensionContext {
    scp: Option<ChainEvaluator>,
    rcp: Option<ChainEvaluator>,
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
            scp: Some(ChainEvaluator::scp(organization)),
            rcp: Some(ChainEvaluator::rcp(organization)),
        }
    }

    /// Functions with no organization behind them (policy tests): SCP and RCP questions
    /// fail.
    pub fn empty() -> Self {
        Self {
            scp: None,
            rcp: None,
        }
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
    // Messages of tens of thousands of findings list actions or providers; as a Rego
    // function (`lib.names.list`) this cost more than the rest of the message.
    engine.add_extension(
        "text.english_list".into(),
        1,
        Box::new(|args: Vec<Value>| english_list(args.first()).map(Value::from)),
    )?;
    let context = context
        .cloned()
        .unwrap_or_else(|| Arc::new(ExtensionContext::empty()));
    for kind in [PolicyKind::ServiceControl, PolicyKind::ResourceControl] {
        let prefix = match kind {
            PolicyKind::ServiceControl => "iam.scp_decision",
            PolicyKind::ResourceControl => "iam.rcp_decision",
        };
        let for_any = Arc::clone(&context);
        engine.add_extension(
            prefix.into(),
            3,
            Box::new(move |args: Vec<Value>| chain_decision(&for_any, kind, &args, None)),
        )?;
        let for_one = Arc::clone(&context);
        let name = format!("{prefix}_for");
        engine.add_extension(
            name.clone(),
            4,
            Box::new(move |args: Vec<Value>| {
                let principal = string_arg(&args, 3, &name)?.to_owned();
                chain_decision(&for_one, kind, &args, Some(&principal))
            }),
        )?;
    }
    Ok(())
}

/// `"a"`, `"a and b"`, `"a, b and c"`; `""` for no items.
fn english_list(items: Option<&Value>) -> anyhow::Result<String> {
    let items: Vec<&str> = match items {
        Some(Value::Array(items)) => items.iter().map(item_text).collect::<Option<_>>(),
        Some(Value::Set(items)) => items.iter().map(item_text).collect::<Option<_>>(),
        _ => bail!("text.english_list: argument 1 must be an array of strings"),
    }
    .context("text.english_list: every item must be a string")?;
    Ok(match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    })
}

fn item_text(item: &Value) -> Option<&str> {
    match item {
        Value::String(text) => Some(text.as_ref()),
        _ => None,
    }
}

fn chain_decision(
    context: &ExtensionContext,
    kind: PolicyKind,
    args: &[Value],
    principal: Option<&str>,
) -> anyhow::Result<Value> {
    let (name, evaluator) = match (kind, principal) {
        (PolicyKind::ServiceControl, None) => ("iam.scp_decision", &context.scp),
        (PolicyKind::ServiceControl, Some(_)) => ("iam.scp_decision_for", &context.scp),
        (PolicyKind::ResourceControl, None) => ("iam.rcp_decision", &context.rcp),
        (PolicyKind::ResourceControl, Some(_)) => ("iam.rcp_decision_for", &context.rcp),
    };
    let Some(evaluator) = evaluator else {
        bail!("{name}: no organization is loaded (mock it in tests with `with {name} as …`)");
    };
    let request = RequestContext::new();
    let question = ChainQuestion {
        account_id: string_arg(args, 0, name)?,
        action: string_arg(args, 1, name)?,
        resource: string_arg(args, 2, name)?,
        principal_arn: principal,
        context: &request,
    };
    let decision = evaluator.decide(&question);
    Ok(Value::from(serde_json::to_value(decision)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> String {
        let value = Value::from(items.iter().map(|s| Value::from(*s)).collect::<Vec<_>>());
        english_list(Some(&value)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn english_list_joins_with_commas_and_a_final_and() {
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn english_list_refuses_what_is_not_a_list_of_strings() {
        let numbers = Value::from(vec![Value::from(1u64)]);
        let error = english_list(Some(&numbers)).unwrap_err().to_string();
        assert!(error.contains("every item must be a string"), "{error}");
        let error = english_list(Some(&Value::from("a")))
            .unwrap_err()
            .to_string();
        assert!(error.contains("must be an array of strings"), "{error}");
    }
}
