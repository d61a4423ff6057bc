//! The answer to a chain question, and how a draft is rendered into one: the outcome, the
//! deciding statements, the exceptions and a sentence saying why.

use schemars::JsonSchema;
use serde::Serialize;

use super::draft::{Allows, ById, Denies, Draft, Exemption, Located};
use super::{ChainEvaluator, PolicyKind};
use crate::iam::document::Condition;

/// The outcome of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Denied, explicitly or because the Allow chain is broken.
    Denied,
    /// Denied for every principal except those named by the exception sets.
    DeniedExcept,
    /// The policies do not deny the request.
    NotDenied,
    /// Depends on request-context keys that are not known.
    Unknown,
}

/// The answer to a [`ChainQuestion`](super::ChainQuestion).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct ChainDecision {
    /// The outcome.
    pub decision: Decision,
    /// One sentence saying why.
    pub reason: String,
    /// The statements that decided (outright Denies, Denies with exceptions, or the
    /// statements that could not be decided).
    pub deciding: Vec<StatementRef>,
    /// For `denied_except`: one set per denying statement. A principal escapes the denial
    /// only if it escapes every set; within a set the conditions are alternatives.
    pub exception_sets: Vec<ExceptionSet>,
    /// For `unknown`: the context keys that could not be decided.
    pub unknown_keys: Vec<String>,
    /// Whether every level of the chain allows the request.
    pub allow_path: AllowPath,
}

/// A statement of an SCP or RCP where it is attached.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct StatementRef {
    /// Policy id.
    pub policy_id: String,
    /// Policy name.
    pub policy_name: String,
    /// Statement `Sid`.
    pub sid: Option<String>,
    /// Position of the statement in the document, from 0.
    pub statement_index: usize,
    /// The root, OU or account the policy is attached to.
    pub target_id: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    pub target_type: String,
}

/// The exceptions of one Deny statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct ExceptionSet {
    /// The Deny statement.
    pub statement: StatementRef,
    /// Its principal conditions; a principal for which any one of them is false escapes.
    pub conditions: Vec<ExceptionCondition>,
}

/// One exception condition, as written in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct ExceptionCondition {
    /// Condition key, e.g. `aws:PrincipalArn`.
    pub key: String,
    /// Operator, e.g. `ArnNotLike`.
    pub operator: String,
    /// Values, e.g. break-glass role ARN patterns.
    pub values: Vec<String>,
}

/// The Allow side of the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct AllowPath {
    /// Every node has an Allow that certainly matches (vacuously true when SCPs do not
    /// apply at all).
    pub complete: bool,
    /// Nodes where no Allow matches (implicit deny).
    pub missing_at: Vec<String>,
    /// Nodes whose only matching Allows depend on unknown conditions.
    pub unknown_at: Vec<String>,
}

impl ChainEvaluator {
    /// The decision a draft stands for, its reasons spelled out.
    pub(super) fn render(&self, draft: &Draft<'_>) -> ChainDecision {
        let label = self.kind.abbreviation();
        match draft {
            Draft::Exempt(Exemption::NotEnabled) => {
                exempt(format!("{label}s are not enabled on the root"))
            }
            Draft::Exempt(Exemption::ManagementAccount) => exempt(match self.kind {
                PolicyKind::ServiceControl => "SCPs do not apply to the management account".into(),
                PolicyKind::ResourceControl => {
                    "RCPs do not apply to resources in the management account".into()
                }
            }),
            Draft::Exempt(Exemption::ServiceLinkedRole) => {
                exempt(format!("{label}s do not apply to service-linked roles"))
            }
            Draft::Exempt(Exemption::NotCovered(service)) => {
                exempt(format!("RCPs do not apply to {service} actions"))
            }
            Draft::Exempt(Exemption::CoverageUnknown(service)) => undecided(format!(
                "connect-guard does not know whether RCPs apply to {service} actions"
            )),
            Draft::Exempt(Exemption::NotInSnapshot(account_id)) => undecided(format!(
                "account {account_id} is not in the organization snapshot"
            )),
            Draft::Judged {
                action,
                denies,
                allows,
            } => aggregate(label, action, denies, allows),
        }
    }
}

fn exception_set(statement: &Located<'_>, conditions: &[ById<'_, Condition>]) -> ExceptionSet {
    ExceptionSet {
        statement: statement.reference(),
        conditions: conditions
            .iter()
            .map(|ById(condition)| ExceptionCondition {
                key: condition.key.clone(),
                operator: condition.operator.clone(),
                values: condition.values.clone(),
            })
            .collect(),
    }
}

fn aggregate(label: &str, action: &str, denies: &Denies<'_>, allows: &Allows<'_>) -> ChainDecision {
    let owned = |nodes: &[&str]| nodes.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    let mut decision = ChainDecision {
        decision: Decision::NotDenied,
        reason: String::new(),
        deciding: Vec::new(),
        exception_sets: Vec::new(),
        unknown_keys: Vec::new(),
        allow_path: AllowPath {
            complete: allows.missing_at.is_empty() && allows.unknown_at.is_empty(),
            missing_at: owned(&allows.missing_at),
            unknown_at: owned(&allows.unknown_at),
        },
    };
    if !denies.outright.is_empty() {
        decision.decision = Decision::Denied;
        decision.deciding = denies.outright.iter().map(Located::reference).collect();
        decision.reason = format!(
            "denied by {}{}",
            describe(label, &decision.deciding[0]),
            more(denies.outright.len())
        );
    } else if let Some(node) = allows.missing_at.first() {
        decision.decision = Decision::Denied;
        decision.reason = format!("no {label} at {node} allows {action}");
    } else if !denies.except.is_empty() {
        decision.decision = Decision::DeniedExcept;
        decision.exception_sets = denies
            .except
            .iter()
            .map(|(statement, conditions)| exception_set(statement, conditions))
            .collect();
        let first = &decision.exception_sets[0];
        decision.reason = format!(
            "denied by {} except for principals with {}{}",
            describe(label, &first.statement),
            describe_exceptions(&first.conditions),
            more(denies.except.len())
        );
        decision.deciding = decision
            .exception_sets
            .iter()
            .map(|s| s.statement.clone())
            .collect();
    } else if !denies.undecided.is_empty() || !allows.open.is_empty() {
        decision.decision = Decision::Unknown;
        let mut keys: Vec<String> = denies
            .undecided
            .iter()
            .chain(&allows.open)
            .flat_map(|(_, k)| k.iter().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        decision.deciding = denies
            .undecided
            .iter()
            .chain(&allows.open)
            .map(|(r, _)| r.reference())
            .collect();
        decision.reason = match denies.undecided.first() {
            Some((_, k)) => format!(
                "{} may deny it, depending on {}",
                describe(label, &decision.deciding[0]),
                k.join(", ")
            ),
            None => format!(
                "whether an {label} at {} allows {action} depends on {}",
                decision.allow_path.unknown_at.join(", "),
                keys.join(", ")
            ),
        };
        decision.unknown_keys = keys;
    } else {
        decision.reason =
            format!("no {label} denies {action} and every level of the chain allows it");
    }
    decision
}

/// An unknown decision that no statement caused.
fn undecided(reason: String) -> ChainDecision {
    ChainDecision {
        decision: Decision::Unknown,
        reason,
        deciding: Vec::new(),
        exception_sets: Vec::new(),
        unknown_keys: Vec::new(),
        allow_path: AllowPath::default(),
    }
}

/// A not-denied decision for a request the policies do not apply to.
fn exempt(reason: String) -> ChainDecision {
    ChainDecision {
        decision: Decision::NotDenied,
        reason,
        deciding: Vec::new(),
        exception_sets: Vec::new(),
        unknown_keys: Vec::new(),
        allow_path: AllowPath {
            complete: true,
            missing_at: Vec::new(),
            unknown_at: Vec::new(),
        },
    }
}

/// `statement "Sid" of SCP "name" (p-id) attached to target`.
fn describe(label: &str, r: &StatementRef) -> String {
    let statement = match &r.sid {
        Some(sid) if !sid.is_empty() => format!("statement {sid:?}"),
        _ => format!("statement {}", r.statement_index + 1),
    };
    format!(
        "{statement} of {label} {:?} ({}) attached to {}",
        r.policy_name, r.policy_id, r.target_id
    )
}

fn describe_exceptions(conditions: &[ExceptionCondition]) -> String {
    conditions
        .iter()
        .map(|c| {
            if c.key.eq_ignore_ascii_case("aws:PrincipalIsAWSService") {
                "aws:PrincipalIsAWSService true".to_owned()
            } else {
                format!("{} matching {}", c.key, c.values.join(" or "))
            }
        })
        .collect::<Vec<_>>()
        .join(", or ")
}

fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more statement)".to_owned(),
        n => format!(" (and {} more statements)", n - 1),
    }
}
