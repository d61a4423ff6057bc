//! Facts about the SCPs themselves: misspelled actions, size and attachment limits.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::iam::{ActionCatalog, ActionSpec, ActionStatus, PolicyDocument};
use crate::snapshot::Organization;

/// AWS's limit on an SCP or RCP document, in characters.
pub const POLICY_SIZE_LIMIT: usize = 5_120;

/// AWS's limit on SCPs directly attached to one root, OU or account.
pub const ATTACHMENT_LIMIT: usize = 5;

/// What rules need to know about one SCP or RCP.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFacts {
    /// Policy id.
    pub id: String,
    /// Policy ARN.
    pub arn: String,
    /// Policy name.
    pub name: String,
    /// `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`.
    pub policy_type: String,
    /// True for AWS-managed policies.
    pub aws_managed: bool,
    /// Document size in characters, and AWS's limit.
    pub size_chars: usize,
    /// The size limit (5,120 characters).
    pub size_limit: usize,
    /// Why the document does not parse, when it does not.
    pub parse_error: Option<String>,
    /// Action names that no AWS service defines.
    pub unknown_actions: Vec<UnknownAction>,
    /// Ids of the targets it is attached to.
    pub targets: Vec<String>,
}

/// An action name in a policy that the action catalog does not know.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownAction {
    /// Statement position, from 0.
    pub statement_index: usize,
    /// Statement id.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The action as written.
    pub action: String,
    /// `unknown_action` or `unknown_service` or `malformed`.
    pub problem: String,
    /// The closest real action, when one is close.
    pub suggestion: Option<String>,
}

/// SCPs directly attached to one target, against the limit.
#[derive(Debug, Clone, Serialize)]
pub struct TargetFacts {
    /// Root, OU or account id.
    pub id: String,
    /// ARN of the target, when known.
    pub arn: Option<String>,
    /// Name of the target.
    pub name: String,
    /// Number of SCPs directly attached.
    pub scp_count: usize,
    /// The limit (5).
    pub scp_limit: usize,
}

pub(crate) fn policy_facts(org: &Organization) -> BTreeMap<String, PolicyFacts> {
    let catalog = ActionCatalog::builtin();
    org.policies
        .iter()
        .map(|policy| {
            let (parse_error, unknown_actions) = match PolicyDocument::parse(&policy.document) {
                Err(e) => (Some(e.to_string()), Vec::new()),
                Ok(document) => (None, unknown_actions(&document, catalog)),
            };
            let facts = PolicyFacts {
                id: policy.id.clone(),
                arn: policy.arn.clone().unwrap_or_else(|| {
                    format!(
                        "arn:aws:organizations::{}:policy/{}/{}",
                        org.management_account_id, org.id, policy.id
                    )
                }),
                name: policy.name.clone(),
                policy_type: policy.policy_type.clone(),
                aws_managed: policy.aws_managed,
                size_chars: policy.size_chars,
                size_limit: POLICY_SIZE_LIMIT,
                parse_error,
                unknown_actions,
                targets: policy.targets.iter().map(|t| t.id.clone()).collect(),
            };
            (policy.id.clone(), facts)
        })
        .collect()
}

fn unknown_actions(document: &PolicyDocument, catalog: &ActionCatalog) -> Vec<UnknownAction> {
    let mut found = Vec::new();
    for statement in &document.statements {
        let actions = match &statement.action {
            ActionSpec::Action(list) | ActionSpec::NotAction(list) => list,
        };
        for action in actions {
            let problem = match catalog.status(action) {
                ActionStatus::Known => continue,
                ActionStatus::UnknownAction => "unknown_action",
                ActionStatus::UnknownService => "unknown_service",
                ActionStatus::Malformed => "malformed",
            };
            found.push(UnknownAction {
                statement_index: statement.index,
                sid: statement.sid.clone(),
                effect: format!("{:?}", statement.effect),
                action: action.clone(),
                problem: problem.to_owned(),
                suggestion: catalog.suggest(action),
            });
        }
    }
    found
}

pub(crate) fn target_facts(org: &Organization) -> BTreeMap<String, TargetFacts> {
    let mut targets: BTreeMap<String, TargetFacts> = BTreeMap::new();
    let names = org
        .roots
        .iter()
        .map(|r| (r.id.as_str(), (r.name.as_str(), r.arn.clone())))
        .chain(
            org.ous
                .iter()
                .map(|o| (o.id.as_str(), (o.name.as_str(), o.arn.clone()))),
        )
        .chain(
            org.accounts
                .iter()
                .map(|a| (a.id.as_str(), (a.name.as_str(), a.arn.clone()))),
        )
        .collect::<BTreeMap<_, _>>();
    for policy in org
        .policies
        .iter()
        .filter(|p| p.policy_type == "SERVICE_CONTROL_POLICY")
    {
        for target in &policy.targets {
            let (name, arn) = names
                .get(target.id.as_str())
                .cloned()
                .unwrap_or((target.id.as_str(), None));
            targets
                .entry(target.id.clone())
                .or_insert_with(|| TargetFacts {
                    id: target.id.clone(),
                    arn,
                    name: name.to_owned(),
                    scp_count: 0,
                    scp_limit: ATTACHMENT_LIMIT,
                })
                .scp_count += 1;
        }
    }
    targets
}
