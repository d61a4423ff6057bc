//! Organization policy chain evaluation: would the service control policies (SCPs) or the
//! resource control policies (RCPs) of an organization deny a request?
//!
//! "SCP evaluation", "RCP evaluation" (Organizations user guide) and DOMAIN.md §4 give the
//! rules, which are the same for both kinds:
//!
//! - The chain is an account's ancestry, root → OUs → account. Policies apply at each node
//!   they are attached to. For SCPs the account is the **principal's**; for RCPs it is the
//!   account that owns the **resource**.
//! - **Deny**: an explicit Deny that matches at *any* node denies.
//! - **Allow**: at *every* node at least one attached policy must Allow the request; a node
//!   with none is an implicit deny (typically `FullAWSAccess` detached from an OU; AWS never
//!   lets `RCPFullAWSAccess` be detached, so for RCPs this only shows in hand-made snapshots).
//! - Neither kind applies when its policy type is not enabled on the root, nor in the
//!   management account. SCPs do not restrict service-linked roles ("Tasks and entities not
//!   restricted by SCPs"), and RCPs do not restrict what service-linked roles do.
//! - RCPs cover only the services listed in "List of AWS services that support RCPs"; a
//!   question about another service is answered *not denied* when the service is known not to
//!   be covered (Connect and IAM, DOMAIN.md §4.4) and *unknown* when connect-guard cannot tell.
//!
//! The evaluator answers questions about requests that have not happened, usually without
//! naming the principal. A Deny whose only open conditions say "unless the principal is
//! one of these" (`ArnNotLike aws:PrincipalArn`, `StringNotEquals aws:PrincipalTag/…`,
//! `StringNotEqualsIfExists aws:PrincipalOrgID`, …) is the break-glass or perimeter pattern:
//! it denies everyone *except* matching principals. Those are reported as
//! [`Decision::DeniedExcept`] with the exception patterns, rather than as unknown. Any other
//! condition that cannot be decided makes the answer [`Decision::Unknown`], with the keys that
//! would decide it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::Serialize;

use super::condition::{Evaluation, RequestContext, Tristate, evaluate_with};
use super::document::{Condition, Effect, PolicyDocument, Statement};
use crate::snapshot::Organization;

/// The Organizations policy type of SCPs.
const SCP_TYPE: &str = "SERVICE_CONTROL_POLICY";
/// The Organizations policy type of RCPs.
const RCP_TYPE: &str = "RESOURCE_CONTROL_POLICY";

/// Services whose actions RCPs restrict, by IAM service prefix: the core of "List of AWS
/// services that support RCPs" (Organizations user guide) and DOMAIN.md §4.4. AWS adds
/// services over time; a service missing here gets an *unknown* answer, never a guess.
const RCP_SERVICES: &[&str] = &[
    "aoss",
    "cognito-identity",
    "cognito-idp",
    "dynamodb",
    "ecr",
    "kms",
    "logs",
    "s3",
    "s3tables",
    "secretsmanager",
    "signin",
    "sqs",
    "sts",
];

/// Services RCPs are documented not to restrict (DOMAIN.md §4.4): an RCP can never protect a
/// Connect instance or an IAM role.
const NOT_RCP_SERVICES: &[&str] = &["connect", "iam", "organizations"];

/// Which organization policies a [`ChainEvaluator`] evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyKind {
    /// Service control policies: limit what principals of member accounts may do.
    ServiceControl,
    /// Resource control policies: limit what anyone may do to resources of member accounts.
    ResourceControl,
}

impl PolicyKind {
    /// The Organizations policy type, e.g. `SERVICE_CONTROL_POLICY`.
    pub fn policy_type(self) -> &'static str {
        match self {
            Self::ServiceControl => SCP_TYPE,
            Self::ResourceControl => RCP_TYPE,
        }
    }

    /// `SCP` or `RCP`, as reasons name them.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Self::ServiceControl => "SCP",
            Self::ResourceControl => "RCP",
        }
    }
}

/// Whether RCPs restrict the actions of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RcpCoverage {
    Covered,
    NotCovered,
    Unknown,
}

fn rcp_coverage(action: &str) -> RcpCoverage {
    let service = action.split(':').next().unwrap_or_default();
    let is = |list: &[&str]| list.iter().any(|s| s.eq_ignore_ascii_case(service));
    if is(RCP_SERVICES) {
        RcpCoverage::Covered
    } else if is(NOT_RCP_SERVICES) {
        RcpCoverage::NotCovered
    } else {
        RcpCoverage::Unknown
    }
}

/// The SCPs or the RCPs of one organization, parsed once, ready to answer
/// [`ChainQuestion`]s.
#[derive(Debug, Clone)]
pub struct ChainEvaluator {
    kind: PolicyKind,
    /// Valid policies of the kind, sorted by id.
    policies: Vec<ParsedScp>,
    /// Target id → attachments, sorted by policy id. Hash maps for the two lookups every
    /// decision makes, once per node of the chain.
    attachments: FxHashMap<String, Vec<Attachment>>,
    /// Policies whose document did not parse: (policy id, error).
    invalid: Vec<(String, String)>,
    management_account_id: String,
    /// The organization id, the value of `aws:PrincipalOrgID` for principals of its accounts.
    organization_id: String,
    /// Account id → `[root, ou…, account]`.
    ancestry: FxHashMap<String, Vec<String>>,
    /// Root id → whether the policy type is enabled on it.
    enabled: BTreeMap<String, bool>,
}

#[derive(Debug, Clone)]
struct ParsedScp {
    id: String,
    name: String,
    document: PolicyDocument,
}

#[derive(Debug, Clone)]
struct Attachment {
    policy: usize,
    target_type: String,
}

/// A policy attached directly to a target, as returned by [`ChainEvaluator::policies_at`].
#[derive(Debug, Clone, Copy)]
pub struct AttachedPolicy<'a> {
    /// Policy id, `p-…`.
    pub policy_id: &'a str,
    /// Policy name.
    pub policy_name: &'a str,
    /// `ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    pub target_type: &'a str,
    /// The parsed document.
    pub document: &'a PolicyDocument,
}

/// A request to decide.
#[derive(Debug, Clone, Copy)]
pub struct ChainQuestion<'a> {
    /// The account whose chain applies: for SCPs the account the request is made in (the
    /// principal's), for RCPs the account that owns the resource.
    pub account_id: &'a str,
    /// The IAM action, e.g. `connect:DeleteInstance`.
    pub action: &'a str,
    /// The resource ARN. A value that is not an ARN (such as `*`) only matches statements
    /// whose `Resource` is `*`, so ask with the real ARN where there is one.
    pub resource: &'a str,
    /// The principal making the call (its `aws:PrincipalArn`, i.e. the role ARN for a role
    /// session); None means "any principal that is not specially exempted".
    pub principal_arn: Option<&'a str>,
    /// Extra known request-context values (e.g. `aws:RequestedRegion`).
    pub context: &'a RequestContext,
}

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

/// The answer to a [`ChainQuestion`].
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
    /// Parses every SCP of `org` once.
    pub fn scp(org: &Organization) -> Self {
        Self::new(org, PolicyKind::ServiceControl)
    }

    /// Parses every RCP of `org` once.
    pub fn rcp(org: &Organization) -> Self {
        Self::new(org, PolicyKind::ResourceControl)
    }

    /// Parses every policy of `kind` in `org` once.
    pub fn new(org: &Organization, kind: PolicyKind) -> Self {
        let mut scps: Vec<_> = org
            .policies
            .iter()
            .filter(|p| p.policy_type == kind.policy_type())
            .collect();
        scps.sort_by(|a, b| a.id.cmp(&b.id));
        let mut policies = Vec::new();
        let mut invalid = Vec::new();
        let mut attachments: FxHashMap<String, Vec<Attachment>> = FxHashMap::default();
        for scp in scps {
            match PolicyDocument::parse(&scp.document) {
                Ok(document) => {
                    for target in &scp.targets {
                        attachments
                            .entry(target.id.clone())
                            .or_default()
                            .push(Attachment {
                                policy: policies.len(),
                                target_type: target.target_type.clone(),
                            });
                    }
                    policies.push(ParsedScp {
                        id: scp.id.clone(),
                        name: scp.name.clone(),
                        document,
                    });
                }
                Err(e) => invalid.push((scp.id.clone(), e.to_string())),
            }
        }
        // Both kinds need "all features", and the type enabled on the root (from ListRoots).
        let all_features = org.feature_set.eq_ignore_ascii_case("ALL");
        let enabled = org
            .roots
            .iter()
            .map(|root| {
                let on = root
                    .policy_types
                    .iter()
                    .any(|t| t.policy_type == kind.policy_type() && t.status == "ENABLED");
                (root.id.clone(), all_features && on)
            })
            .collect();
        Self {
            kind,
            policies,
            attachments,
            invalid,
            management_account_id: org.management_account_id.clone(),
            organization_id: org.id.clone(),
            ancestry: org
                .accounts
                .iter()
                .map(|a| (a.id.clone(), a.ancestry.clone()))
                .collect(),
            enabled,
        }
    }

    /// The kind of policies this evaluator answers for.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// Policies whose document could not be parsed, as (policy id, error); they contribute
    /// nothing to decisions.
    pub fn invalid_policies(&self) -> &[(String, String)] {
        &self.invalid
    }

    /// The valid policies attached directly to `target_id`, by policy id.
    pub fn policies_at<'a>(&'a self, target_id: &str) -> impl Iterator<Item = AttachedPolicy<'a>> {
        self.attachments
            .get(target_id)
            .into_iter()
            .flatten()
            .filter_map(|att| {
                self.policies.get(att.policy).map(|p| AttachedPolicy {
                    policy_id: &p.id,
                    policy_name: &p.name,
                    target_type: &att.target_type,
                    document: &p.document,
                })
            })
    }

    /// Decides whether the policies deny the request.
    pub fn decide(&self, question: &ChainQuestion<'_>) -> ChainDecision {
        let mut index = StatementIndex::default();
        self.render(&self.draft(question, question.action, &mut None, &mut index))
    }

    /// [`Self::decide`] for each of `actions` in place of the question's own action, in order.
    ///
    /// The request context the question implies does not depend on the action, so it is
    /// worked out once for all of them: the facts ask several actions of every resource of a
    /// large organization, and building the context was a third of each decision's cost.
    pub fn decide_each(
        &self,
        question: &ChainQuestion<'_>,
        actions: &[&str],
    ) -> Vec<ChainDecision> {
        let mut context = None;
        let mut index = StatementIndex::default();
        actions
            .iter()
            .map(|action| self.render(&self.draft(question, action, &mut context, &mut index)))
            .collect()
    }

    /// What decides `question` asked about `action` (the question's own action is not read),
    /// with the question's effective context built at most once into `context` (which must
    /// have been built, if at all, for a question differing only in its action), and the
    /// statements naming the action looked up in `index`.
    fn draft<'e>(
        &'e self,
        question: &ChainQuestion<'_>,
        action: &'e str,
        context: &mut Option<RequestContext>,
        index: &mut StatementIndex<'e>,
    ) -> Draft<'e> {
        let ancestry = self.ancestry.get(question.account_id);
        let root = ancestry
            .and_then(|a| a.first())
            .or_else(|| self.enabled.keys().next());
        if !root.is_some_and(|r| self.enabled.get(r).copied().unwrap_or(false)) {
            return Draft::Exempt(Exemption::NotEnabled);
        }
        if question.account_id == self.management_account_id {
            return Draft::Exempt(Exemption::ManagementAccount);
        }
        if question
            .principal_arn
            .is_some_and(|arn| arn.contains(":role/aws-service-role/"))
        {
            return Draft::Exempt(Exemption::ServiceLinkedRole);
        }
        if self.kind == PolicyKind::ResourceControl {
            let service = action.split(':').next().unwrap_or_default();
            match rcp_coverage(action) {
                RcpCoverage::Covered => {}
                RcpCoverage::NotCovered => return Draft::Exempt(Exemption::NotCovered(service)),
                RcpCoverage::Unknown => return Draft::Exempt(Exemption::CoverageUnknown(service)),
            }
        }
        let Some(chain) = ancestry.filter(|a| !a.is_empty()) else {
            return Draft::Exempt(Exemption::NotInSnapshot(question.account_id.to_owned()));
        };
        let context = context.get_or_insert_with(|| self.effective_context(question));
        Draft::Judged {
            action,
            denies: self.deny_pass(
                chain,
                action,
                question.principal_arn,
                question.resource,
                context,
                index,
            ),
            allows: self.allow_pass(chain, action, question.resource, context, index),
        }
    }

    /// The decision a draft stands for, its reasons spelled out.
    fn render(&self, draft: &Draft<'_>) -> ChainDecision {
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

    /// The question's context plus what the question itself implies: its account, principal
    /// and resource, never its action ([`Self::decide_each`] relies on that).
    fn effective_context(&self, question: &ChainQuestion<'_>) -> RequestContext {
        let mut context = question.context.clone();
        let mut imply = |key: &str, value: &str| {
            if !context.is_known(key) {
                context.set(key, [value]);
            }
        };
        // "aws:PrincipalOrgID" is the organization of the principal's account; it is known
        // whenever that account is one of ours (for an SCP it always is).
        let principal_account = match self.kind {
            PolicyKind::ServiceControl => Some(question.account_id),
            PolicyKind::ResourceControl => {
                imply("aws:ResourceAccount", question.account_id);
                // The principal's account is the fifth ARN segment of its ARN.
                question
                    .principal_arn
                    .and_then(|arn| arn.split(':').nth(4))
                    .filter(|a| !a.is_empty())
            }
        };
        if let Some(account) = principal_account {
            imply("aws:PrincipalAccount", account);
            let in_organization =
                account == self.management_account_id || self.ancestry.contains_key(account);
            if in_organization && !self.organization_id.is_empty() {
                imply("aws:PrincipalOrgID", &self.organization_id);
            }
        }
        if let Some(arn) = question.principal_arn {
            imply("aws:PrincipalArn", arn);
        }
        // A regional resource is called through that region's endpoint ("aws:RequestedRegion").
        let parts: Vec<&str> = question.resource.splitn(6, ':').collect();
        if let [arn, _, _, region, _, _] = parts[..]
            && arn == "arn"
            && !region.is_empty()
        {
            imply("aws:RequestedRegion", region);
        }
        context
    }

    /// The statements of the policies attached to `node` whose `Action` or `NotAction`
    /// covers `action`, of either effect, in attachment (policy id) and statement order.
    ///
    /// Found once per attachment list and action, then read from `index`: the facts ask the
    /// same few actions at the same few OUs hundreds of thousands of times, and matching
    /// every statement's action patterns for each question was a quarter of the walk.
    /// The entries point at the node of the chain that first asked; callers substitute
    /// their own (each account's chain is a list of its own, with equal names).
    fn naming<'i, 'e>(
        &'e self,
        node: &'e String,
        action: &'e str,
        index: &'i mut StatementIndex<'e>,
    ) -> &'i [Located<'e>] {
        let Some(attachments) = self.attachments.get(node) else {
            return &[];
        };
        index
            .naming
            .entry((ById(attachments), ById(action)))
            .or_insert_with(|| {
                attachments
                    .iter()
                    .filter_map(|att| self.policies.get(att.policy).map(|p| (att, p)))
                    .flat_map(|(attachment, policy)| {
                        policy
                            .document
                            .statements
                            .iter()
                            .filter(|statement| statement.matches_action(action))
                            .map(move |statement| Located {
                                node,
                                attachment,
                                policy,
                                statement,
                            })
                    })
                    .collect()
            })
    }

    fn deny_pass<'e>(
        &'e self,
        chain: &'e [String],
        action: &'e str,
        principal_arn: Option<&str>,
        resource: &str,
        context: &RequestContext,
        index: &mut StatementIndex<'e>,
    ) -> Denies<'e> {
        let mut out = Denies::default();
        for node in chain {
            for &entry in self.naming(node, action, index) {
                let located = Located { node, ..entry };
                let statement = located.statement;
                if statement.effect != Effect::Deny {
                    continue;
                }
                let resource = statement.resource_match(resource, context);
                if resource.value.is_false() {
                    continue;
                }
                let mut open_keys = resource.unknown_keys;
                let mut undecided = resource.value == Tristate::Unknown;
                let mut exceptions = Vec::new();
                let mut applies = true;
                for condition in &statement.conditions {
                    let eval = evaluate_with(condition, context, statement.policy_variables);
                    match eval.value {
                        Tristate::True => {}
                        Tristate::False => applies = false,
                        // "Deny only for these principals" (e.g. StringLike aws:PrincipalArn
                        // arn:aws:iam::*:root): for the question "is any ordinary principal
                        // denied?" the statement does not apply; asked about one principal,
                        // the condition is decided from its ARN above.
                        Tristate::Unknown
                            if principal_arn.is_none()
                                && principal_condition(condition)
                                    == Some(PrincipalCondition::Selector) =>
                        {
                            applies = false;
                        }
                        Tristate::Unknown
                            if principal_arn.is_none()
                                && principal_condition(condition)
                                    == Some(PrincipalCondition::Exception) =>
                        {
                            exceptions.push(ById(condition));
                        }
                        Tristate::Unknown => {
                            undecided = true;
                            open_keys.extend(eval.unknown_keys);
                        }
                    }
                }
                if !applies {
                    continue;
                }
                if undecided {
                    out.undecided.push((located, open_keys));
                } else if exceptions.is_empty() {
                    out.outright.push(located);
                } else {
                    out.except.push((located, exceptions));
                }
            }
        }
        out
    }

    fn allow_pass<'e>(
        &'e self,
        chain: &'e [String],
        action: &'e str,
        resource: &str,
        context: &RequestContext,
        index: &mut StatementIndex<'e>,
    ) -> Allows<'e> {
        let mut out = Allows::default();
        for node in chain {
            let mut node_value = Tristate::False;
            let mut open = Vec::new();
            let statements = self
                .naming(node, action, index)
                .iter()
                .filter(|l| l.statement.effect == Effect::Allow)
                .map(|located| Located { node, ..*located });
            for located in statements {
                let statement = located.statement;
                let eval: Evaluation = statement
                    .resource_match(resource, context)
                    .and(statement.condition_match(context));
                node_value = node_value.or(eval.value);
                if eval.value == Tristate::Unknown {
                    open.push((located, eval.unknown_keys));
                }
            }
            match node_value {
                Tristate::True => {}
                Tristate::False => out.missing_at.push(node),
                Tristate::Unknown => {
                    out.unknown_at.push(node);
                    out.open.extend(open);
                }
            }
        }
        out
    }
}

/// What decides a question, pointing into the evaluator instead of copying out of it.
///
/// Everything a [`ChainDecision`] says is rendered from its draft, so questions with equal
/// drafts have equal decisions: a large organization asks some 150,000 questions that have a
/// few hundred distinct answers, and a [`DecisionCache`] renders each distinct one once
/// (spelling out reasons and copying statement references was half of a decision's cost).
#[derive(PartialEq, Eq, Hash)]
enum Draft<'e> {
    /// The policies do not apply, or cannot be evaluated, for a reason of the question's.
    Exempt(Exemption<'e>),
    /// The statements that apply to the action.
    Judged {
        action: &'e str,
        denies: Denies<'e>,
        allows: Allows<'e>,
    },
}

/// Why the policies are not evaluated for a question.
#[derive(PartialEq, Eq, Hash)]
enum Exemption<'e> {
    /// The policy type is not enabled on the root.
    NotEnabled,
    /// The account is the organization's management account.
    ManagementAccount,
    /// The principal is a service-linked role.
    ServiceLinkedRole,
    /// RCPs do not cover this service.
    NotCovered(&'e str),
    /// Whether RCPs cover this service is not known.
    CoverageUnknown(&'e str),
    /// The account is not in the organization snapshot.
    NotInSnapshot(String),
}

/// Renders each distinct way questions to one evaluator are decided once.
///
/// `store` turns a newly rendered decision into what the caller keeps (the facts keep it
/// shared, with its hash); asking again hands out a clone of that.
pub struct DecisionCache<'e, T> {
    evaluator: &'e ChainEvaluator,
    rendered: FxHashMap<Draft<'e>, T>,
    index: StatementIndex<'e>,
}

/// The statements naming each action at each attachment list asked about, as
/// [`ChainEvaluator::naming`] finds them.
#[derive(Default)]
struct StatementIndex<'e> {
    /// Keyed by the action's address, not its text: the facts ask with the same constant
    /// strings again and again, and an action spelled at two addresses is merely indexed
    /// twice.
    naming: FxHashMap<Naming<'e>, Vec<Located<'e>>>,
}

/// An attachment list and an action, both by address.
type Naming<'e> = (ById<'e, Vec<Attachment>>, ById<'e, str>);

impl<'e, T: Clone> DecisionCache<'e, T> {
    /// An empty cache for questions to `evaluator`.
    pub fn new(evaluator: &'e ChainEvaluator) -> Self {
        Self {
            evaluator,
            rendered: FxHashMap::default(),
            index: StatementIndex::default(),
        }
    }

    /// [`ChainEvaluator::decide_each`], each decision passed through `store` the first time
    /// it is met.
    pub fn decide_each(
        &mut self,
        question: &ChainQuestion<'_>,
        actions: &[&'e str],
        mut store: impl FnMut(ChainDecision) -> T,
    ) -> Vec<T> {
        let evaluator = self.evaluator;
        let mut context = None;
        actions
            .iter()
            .map(|action| {
                let draft = evaluator.draft(question, action, &mut context, &mut self.index);
                if let Some(kept) = self.rendered.get(&draft) {
                    return kept.clone();
                }
                let kept = store(evaluator.render(&draft));
                self.rendered.insert(draft, kept.clone());
                kept
            })
            .collect()
    }
}

/// A statement where it applies: the node of the chain and the attachment it came through.
///
/// Compared by identity: the attachment (which names the node and the policy) and the
/// statement are each stored once in the evaluator.
#[derive(Clone, Copy)]
struct Located<'a> {
    node: &'a String,
    attachment: &'a Attachment,
    policy: &'a ParsedScp,
    statement: &'a Statement,
}

impl Located<'_> {
    fn reference(&self) -> StatementRef {
        StatementRef {
            policy_id: self.policy.id.clone(),
            policy_name: self.policy.name.clone(),
            sid: self.statement.sid.clone(),
            statement_index: self.statement.index,
            target_id: self.node.clone(),
            target_type: self.attachment.target_type.clone(),
        }
    }
}

impl PartialEq for Located<'_> {
    fn eq(&self, other: &Self) -> bool {
        (ById(self.attachment), ById(self.statement))
            == (ById(other.attachment), ById(other.statement))
    }
}

impl Eq for Located<'_> {}

impl std::hash::Hash for Located<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (ById(self.attachment), ById(self.statement)).hash(state);
    }
}

/// A reference into the evaluator compared by identity: what it points to is stored once.
#[derive(Clone, Copy)]
struct ById<'a, T: ?Sized>(&'a T);

impl<T: ?Sized> PartialEq for ById<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl<T: ?Sized> Eq for ById<'_, T> {}

impl<T: ?Sized> std::hash::Hash for ById<'_, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

#[derive(Default, PartialEq, Eq, Hash)]
struct Denies<'e> {
    outright: Vec<Located<'e>>,
    /// Denies with principal exceptions, and those exceptions.
    except: Vec<(Located<'e>, Vec<ById<'e, Condition>>)>,
    /// Denies that depend on the context keys beside them.
    undecided: Vec<(Located<'e>, Vec<String>)>,
}

/// The Allow side of the chain; nodes are compared by name (each account's chain is a list
/// of its own).
#[derive(Default, PartialEq, Eq, Hash)]
struct Allows<'e> {
    missing_at: Vec<&'e str>,
    unknown_at: Vec<&'e str>,
    /// Allows that depend on the context keys beside them.
    open: Vec<(Located<'e>, Vec<String>)>,
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

/// How a condition on the calling principal shapes a Deny asked about "any principal".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrincipalCondition {
    /// "Deny only these principals": positive string/ARN operators on principal keys, and
    /// `Bool aws:PrincipalIsAWSService true`.
    Selector,
    /// "Deny everyone except these": negated string/ARN operators on principal keys, and
    /// `Bool aws:PrincipalIsAWSService false` ("deny unless an AWS service calls").
    Exception,
}

fn principal_condition(condition: &Condition) -> Option<PrincipalCondition> {
    let key = condition.key.to_ascii_lowercase();
    let base = condition.base_operator().to_ascii_lowercase();
    if base == "bool" {
        if key != "aws:principalisawsservice" || condition.values.is_empty() {
            return None;
        }
        let all = |want: &str| {
            condition
                .values
                .iter()
                .all(|v| v.eq_ignore_ascii_case(want))
        };
        return if all("true") {
            Some(PrincipalCondition::Selector)
        } else if all("false") {
            Some(PrincipalCondition::Exception)
        } else {
            None
        };
    }
    let principal_key = matches!(
        key.as_str(),
        "aws:principalarn"
            | "aws:principalaccount"
            | "aws:userid"
            | "aws:username"
            | "aws:principalorgpaths"
            | "aws:principalorgid"
            | "aws:principaltype"
            | "aws:principalservicename"
            | "aws:principalservicenameslist"
    ) || key.starts_with("aws:principaltag/");
    if !principal_key {
        return None;
    }
    match base.as_str() {
        "arnlike" | "arnequals" | "stringlike" | "stringequals" | "stringequalsignorecase" => {
            Some(PrincipalCondition::Selector)
        }
        "arnnotlike"
        | "arnnotequals"
        | "stringnotlike"
        | "stringnotequals"
        | "stringnotequalsignorecase" => Some(PrincipalCondition::Exception),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Account, OrgPolicy, PolicyTarget, PolicyTypeStatus, Root};
    use serde_json::{Value, json};

    const ROOT: &str = "r-root";
    const PROD: &str = "ou-root-prod";
    const ACCT: &str = "111122223333";
    const MGMT: &str = "999999999999";
    const INSTANCE: &str = "arn:aws:connect:us-east-1:111122223333:instance/abc";
    const BREAK_GLASS: &str = "arn:aws:iam::111122223333:role/BreakGlassAdmin";

    fn policy(id: &str, name: &str, document: Value, targets: &[&str]) -> OrgPolicy {
        OrgPolicy {
            id: id.to_owned(),
            arn: None,
            name: name.to_owned(),
            description: None,
            policy_type: SCP_TYPE.to_owned(),
            aws_managed: false,
            size_chars: document.to_string().len(),
            document,
            targets: targets
                .iter()
                .map(|t| PolicyTarget {
                    id: (*t).to_owned(),
                    target_type: match t.split('-').next() {
                        Some("r") => "ROOT",
                        Some("ou") => "ORGANIZATIONAL_UNIT",
                        _ => "ACCOUNT",
                    }
                    .to_owned(),
                    name: None,
                })
                .collect(),
            tags: Default::default(),
        }
    }

    fn full_access(targets: &[&str]) -> OrgPolicy {
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
        let mut p = policy("p-FullAWSAccess", "FullAWSAccess", doc, targets);
        p.aws_managed = true;
        p
    }

    fn org(policies: Vec<OrgPolicy>) -> Organization {
        let account = |id: &str, chain: &[&str]| Account {
            id: id.to_owned(),
            arn: None,
            name: id.to_owned(),
            email: None,
            state: "ACTIVE".to_owned(),
            parent_id: chain[chain.len() - 2].to_owned(),
            joined_method: None,
            ancestry: chain.iter().map(|s| (*s).to_owned()).collect(),
            tags: Default::default(),
        };
        Organization {
            id: "o-example".to_owned(),
            arn: None,
            feature_set: "ALL".to_owned(),
            management_account_id: MGMT.to_owned(),
            roots: vec![Root {
                id: ROOT.to_owned(),
                arn: None,
                name: "Root".to_owned(),
                policy_types: vec![PolicyTypeStatus {
                    policy_type: SCP_TYPE.to_owned(),
                    status: "ENABLED".to_owned(),
                }],
            }],
            ous: vec![],
            accounts: vec![
                account(ACCT, &[ROOT, PROD, ACCT]),
                account(MGMT, &[ROOT, MGMT]),
            ],
            policies,
        }
    }

    fn deny(id: &str, name: &str, statement: Value, targets: &[&str]) -> OrgPolicy {
        policy(
            id,
            name,
            json!({"Version": "2012-10-17", "Statement": [statement]}),
            targets,
        )
    }

    fn ask(
        evaluator: &ChainEvaluator,
        account: &str,
        action: &str,
        resource: &str,
        principal: Option<&str>,
    ) -> ChainDecision {
        let context = RequestContext::new();
        evaluator.decide(&ChainQuestion {
            account_id: account,
            action,
            resource,
            principal_arn: principal,
            context: &context,
        })
    }

    fn emergency_deny() -> OrgPolicy {
        deny(
            "p-bg",
            "emergency-access",
            json!({
                "Sid": "DenyEmergencyAccess",
                "Effect": "Deny",
                "Action": ["connect:AdminGetEmergencyAccessToken", "connect:GetFederationTokens"],
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass*"]}}
            }),
            &[ROOT],
        )
    }

    fn all_levels() -> Vec<OrgPolicy> {
        vec![full_access(&[ROOT, PROD, ACCT])]
    }

    #[test]
    fn baseline_not_denied() {
        let e = ChainEvaluator::scp(&org(all_levels()));
        let d = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::NotDenied, "{}", d.reason);
        assert!(d.allow_path.complete);
        assert_eq!(e.policies_at(PROD).count(), 1);
    }

    #[test]
    fn cached_decisions_equal_fresh_ones_and_each_is_rendered_once() {
        const OTHER: &str = "444455556666";
        const OTHER_INSTANCE: &str = "arn:aws:connect:us-east-1:444455556666:instance/def";
        let mut policies = vec![full_access(&[ROOT, PROD, ACCT, OTHER]), emergency_deny()];
        policies.push(deny(
            "p-1234",
            "protect-connect",
            json!({"Sid": "DenyDelete", "Effect": "Deny", "Action": "connect:DeleteInstance", "Resource": "arn:aws:connect:*:*:instance/*"}),
            &[PROD],
        ));
        // Attached to one account only: the other account's answers must not be taken for it.
        policies.push(deny(
            "p-5678",
            "only-here",
            json!({"Effect": "Deny", "Action": "connect:UpdateInstanceAttribute", "Resource": "*"}),
            &[ACCT],
        ));
        let mut organization = org(policies);
        let mut other = organization.accounts[0].clone();
        other.id = OTHER.to_owned();
        other.ancestry = vec![ROOT.to_owned(), PROD.to_owned(), OTHER.to_owned()];
        organization.accounts.push(other);
        let e = ChainEvaluator::scp(&organization);

        let actions = [
            "connect:DeleteInstance",
            "connect:UpdateInstanceAttribute",
            "connect:AdminGetEmergencyAccessToken",
            "connect:DescribeInstance",
        ];
        let mut cache = DecisionCache::new(&e);
        let mut rendered = 0;
        let mut distinct = std::collections::HashSet::new();
        let context = RequestContext::new();
        for (account, resource, principal) in [
            (ACCT, INSTANCE, None),
            (OTHER, OTHER_INSTANCE, None),
            (ACCT, INSTANCE, Some(BREAK_GLASS)),
            (MGMT, INSTANCE, None),
            ("000000000000", INSTANCE, None),
            (OTHER, OTHER_INSTANCE, None),
        ] {
            let question = ChainQuestion {
                account_id: account,
                action: "",
                resource,
                principal_arn: principal,
                context: &context,
            };
            let cached = cache.decide_each(&question, &actions, |d| {
                rendered += 1;
                d
            });
            assert_eq!(cached, e.decide_each(&question, &actions));
            for (action, decision) in actions.iter().zip(cached) {
                let fresh = e.decide(&ChainQuestion { action, ..question });
                assert_eq!(decision, fresh, "{account} {action}");
                distinct.insert(decision);
            }
        }
        assert_eq!(
            rendered,
            distinct.len(),
            "each distinct decision rendered once"
        );
        // Both accounts under the OU share its Deny, but not the account's own.
        let decision = |account, action| {
            e.decide(&ChainQuestion {
                account_id: account,
                action,
                resource: INSTANCE,
                principal_arn: None,
                context: &context,
            })
            .decision
        };
        assert_eq!(decision(OTHER, actions[0]), Decision::Denied);
        assert_eq!(decision(ACCT, actions[1]), Decision::Denied);
        assert_eq!(decision(OTHER, actions[1]), Decision::NotDenied);
    }

    #[test]
    fn deny_at_ou_wins() {
        let mut policies = all_levels();
        policies.push(deny(
            "p-1234",
            "protect-connect",
            json!({"Sid": "DenyDelete", "Effect": "Deny", "Action": ["connect:DeleteInstance", "connect:DestroyInstance"], "Resource": "arn:aws:connect:*:*:instance/*"}),
            &[PROD],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        let d = ask(
            &e,
            ACCT,
            "connect:DeleteInstance",
            INSTANCE,
            Some(BREAK_GLASS),
        );
        assert_eq!(d.decision, Decision::Denied);
        assert_eq!(
            d.reason,
            "denied by statement \"DenyDelete\" of SCP \"protect-connect\" (p-1234) attached to ou-root-prod"
        );
        assert_eq!(d.deciding.len(), 1);
        assert_eq!(d.deciding[0].target_type, "ORGANIZATIONAL_UNIT");
        // Other actions are unaffected.
        let d = ask(&e, ACCT, "connect:DescribeInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::NotDenied);
    }

    #[test]
    fn missing_allow_is_implicit_deny() {
        // FullAWSAccess detached from the OU.
        let e = ChainEvaluator::scp(&org(vec![full_access(&[ROOT, ACCT])]));
        let d = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::Denied);
        assert_eq!(
            d.reason,
            "no SCP at ou-root-prod allows connect:DeleteInstance"
        );
        assert!(!d.allow_path.complete);
        assert_eq!(d.allow_path.missing_at, vec![PROD.to_owned()]);
    }

    #[test]
    fn not_action_allow_at_a_level() {
        let mut policies = vec![full_access(&[ROOT, ACCT])];
        policies.push(policy(
            "p-noiam",
            "all-but-iam",
            json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}),
            &[PROD],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None).decision,
            Decision::NotDenied
        );
        let d = ask(
            &e,
            ACCT,
            "iam:DeleteRole",
            "arn:aws:iam::111122223333:role/x",
            None,
        );
        assert_eq!(d.decision, Decision::Denied);
        assert_eq!(d.allow_path.missing_at, vec![PROD.to_owned()]);
    }

    #[test]
    fn not_resource_deny() {
        let mut policies = all_levels();
        policies.push(deny(
            "p-nr",
            "only-keep",
            json!({"Effect": "Deny", "Action": "connect:DeleteInstance", "NotResource": "arn:aws:connect:*:*:instance/keep"}),
            &[ROOT],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None).decision,
            Decision::Denied
        );
        let keep = "arn:aws:connect:us-east-1:111122223333:instance/keep";
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", keep, None).decision,
            Decision::NotDenied
        );
    }

    #[test]
    fn deny_limited_to_named_principals_does_not_deny_others() {
        let mut policies = all_levels();
        policies.push(deny(
            "p-noroot",
            "deny-root-user",
            json!({"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}),
            &[ACCT],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        let anyone = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(anyone.decision, Decision::NotDenied, "{}", anyone.reason);
        let root = ask(
            &e,
            ACCT,
            "connect:DeleteInstance",
            INSTANCE,
            Some("arn:aws:iam::111122223333:root"),
        );
        assert_eq!(root.decision, Decision::Denied, "{}", root.reason);
    }

    #[test]
    fn break_glass_exceptions() {
        let mut policies = all_levels();
        policies.push(emergency_deny());
        let e = ChainEvaluator::scp(&org(policies));
        for action in [
            "connect:AdminGetEmergencyAccessToken",
            "connect:GetFederationTokens",
        ] {
            let d = ask(&e, ACCT, action, INSTANCE, None);
            assert_eq!(d.decision, Decision::DeniedExcept, "{action}");
            assert_eq!(d.exception_sets.len(), 1);
            let c = &d.exception_sets[0].conditions[0];
            assert_eq!(c.key, "aws:PrincipalArn");
            assert_eq!(c.operator, "ArnNotLike");
            assert_eq!(c.values, vec!["arn:aws:iam::*:role/BreakGlass*".to_owned()]);
            assert!(d.reason.ends_with("except for principals with aws:PrincipalArn matching arn:aws:iam::*:role/BreakGlass*"), "{}", d.reason);
            // A named break-glass principal is not denied, anyone else is.
            let d = ask(&e, ACCT, action, INSTANCE, Some(BREAK_GLASS));
            assert_eq!(d.decision, Decision::NotDenied, "{action}");
            let d = ask(
                &e,
                ACCT,
                action,
                INSTANCE,
                Some("arn:aws:iam::111122223333:role/Admin"),
            );
            assert_eq!(d.decision, Decision::Denied, "{action}");
        }
    }

    #[test]
    fn source_ip_condition_is_unknown() {
        let mut policies = all_levels();
        policies.push(deny(
            "p-ip",
            "emergency-from-office",
            json!({"Sid": "OfficeOnly", "Effect": "Deny", "Action": "connect:AdminGetEmergencyAccessToken", "Resource": "*",
                   "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}),
            &[ROOT],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        let d = ask(
            &e,
            ACCT,
            "connect:AdminGetEmergencyAccessToken",
            INSTANCE,
            Some(BREAK_GLASS),
        );
        assert_eq!(d.decision, Decision::Unknown);
        assert_eq!(d.unknown_keys, vec!["aws:SourceIp".to_owned()]);
        assert_eq!(d.deciding.len(), 1);
        // Known context decides it.
        let ctx = RequestContext::new().with("aws:SourceIp", ["198.51.100.1"]);
        let d = e.decide(&ChainQuestion {
            account_id: ACCT,
            action: "connect:AdminGetEmergencyAccessToken",
            resource: INSTANCE,
            principal_arn: None,
            context: &ctx,
        });
        assert_eq!(d.decision, Decision::Denied);
    }

    /// Denies everything but IAM and STS outside us-east-1, at the root.
    fn region_lock() -> OrgPolicy {
        deny(
            "p-region",
            "region-lock",
            json!({"Sid": "OnlyUsEast1", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
                   "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}}),
            &[ROOT],
        )
    }

    #[test]
    fn requested_region_from_resource() {
        let mut policies = all_levels();
        policies.push(region_lock());
        let e = ChainEvaluator::scp(&org(policies));
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None).decision,
            Decision::NotDenied
        );
        let west = "arn:aws:connect:eu-west-2:111122223333:instance/abc";
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", west, None).decision,
            Decision::Denied
        );
        // No region in the resource: unknown.
        let d = ask(&e, ACCT, "connect:ListInstances", "*", None);
        assert_eq!(d.decision, Decision::Unknown);
        assert_eq!(d.unknown_keys, vec!["aws:RequestedRegion".to_owned()]);
        // The context overrides the resource.
        let ctx = RequestContext::new().with("aws:RequestedRegion", ["eu-west-2"]);
        let d = e.decide(&ChainQuestion {
            account_id: ACCT,
            action: "connect:DeleteInstance",
            resource: INSTANCE,
            principal_arn: None,
            context: &ctx,
        });
        assert_eq!(d.decision, Decision::Denied);
    }

    #[test]
    fn deciding_several_actions_at_once_answers_as_one_at_a_time() {
        let mut policies = all_levels();
        policies.push(emergency_deny());
        policies.push(region_lock());
        let scp = ChainEvaluator::scp(&org(policies.clone()));
        let rcp = ChainEvaluator::rcp(&org(policies));
        let actions = [
            "connect:DeleteInstance",
            "connect:AdminGetEmergencyAccessToken",
            "iam:DeleteRole",
            "sts:AssumeRoleWithSAML",
            "s3:GetObject",
        ];
        let west = "arn:aws:connect:eu-west-2:111122223333:instance/abc";
        let context = RequestContext::new();
        for evaluator in [&scp, &rcp] {
            for (account, resource) in [(ACCT, INSTANCE), (ACCT, west), (MGMT, INSTANCE)] {
                let question = ChainQuestion {
                    account_id: account,
                    action: "",
                    resource,
                    principal_arn: None,
                    context: &context,
                };
                let one_by_one: Vec<_> = actions
                    .iter()
                    .map(|action| evaluator.decide(&ChainQuestion { action, ..question }))
                    .collect();
                assert_eq!(evaluator.decide_each(&question, &actions), one_by_one);
            }
        }
        // The region lock tells the two resources apart, so the comparison above has teeth.
        let question = |resource| ChainQuestion {
            account_id: ACCT,
            action: "",
            resource,
            principal_arn: None,
            context: &context,
        };
        assert_ne!(
            scp.decide_each(&question(INSTANCE), &actions[..1]),
            scp.decide_each(&question(west), &actions[..1])
        );
    }

    #[test]
    fn exemptions() {
        let mut policies = vec![full_access(&[ROOT])]; // would be an implicit deny at the OU
        policies.push(emergency_deny());
        let e = ChainEvaluator::scp(&org(policies.clone()));
        let d = ask(&e, MGMT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::NotDenied);
        assert_eq!(d.reason, "SCPs do not apply to the management account");
        let slr = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x";
        let d = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, Some(slr));
        assert_eq!(d.decision, Decision::NotDenied);
        assert_eq!(d.reason, "SCPs do not apply to service-linked roles");

        let mut disabled = org(policies);
        disabled.roots[0].policy_types.clear();
        let e = ChainEvaluator::scp(&disabled);
        let d = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::NotDenied);
        assert_eq!(d.reason, "SCPs are not enabled on the root");
    }

    #[test]
    fn invalid_policies_are_reported_and_skipped() {
        let mut policies = all_levels();
        policies.push(policy(
            "p-bad",
            "broken",
            json!({"Statement": [{"Effect": "deny", "Action": "*"}]}),
            &[ROOT],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        assert_eq!(
            e.invalid_policies(),
            &[(
                "p-bad".to_owned(),
                "statement 1: \"Effect\" must be \"Allow\" or \"Deny\"".to_owned()
            )]
        );
        assert_eq!(
            ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None).decision,
            Decision::NotDenied
        );
    }

    #[test]
    fn conditional_allow_is_unknown_and_unknown_account() {
        let mut policies = vec![full_access(&[ROOT, ACCT])];
        policies.push(policy(
            "p-cond",
            "conditional-allow",
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}),
            &[PROD],
        ));
        let e = ChainEvaluator::scp(&org(policies));
        let d = ask(&e, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::Unknown);
        assert_eq!(d.allow_path.unknown_at, vec![PROD.to_owned()]);
        assert_eq!(
            d.unknown_keys,
            vec!["aws:MultiFactorAuthPresent".to_owned()]
        );
        let d = ask(&e, "000000000000", "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::Unknown);
    }

    #[test]
    fn decision_serialises() {
        let e = ChainEvaluator::scp(&org(vec![
            full_access(&[ROOT, PROD, ACCT]),
            emergency_deny(),
        ]));
        let d = ask(
            &e,
            ACCT,
            "connect:AdminGetEmergencyAccessToken",
            INSTANCE,
            None,
        );
        let v = serde_json::to_value(&d).unwrap_or_default();
        assert_eq!(v["decision"], "denied_except");
        assert_eq!(
            v["exception_sets"][0]["statement"]["sid"],
            "DenyEmergencyAccess"
        );
        assert_eq!(v["allow_path"]["complete"], true);
    }

    /// An organization with RCPs enabled: `RCPFullAWSAccess` everywhere plus `extra`.
    fn rcp_org(extra: Vec<OrgPolicy>) -> Organization {
        let mut policies = all_levels();
        let mut full = policy(
            "p-RCPFullAWSAccess",
            "RCPFullAWSAccess",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
            &[ROOT, PROD, ACCT],
        );
        full.policy_type = RCP_TYPE.to_owned();
        full.aws_managed = true;
        policies.push(full);
        for mut p in extra {
            p.policy_type = RCP_TYPE.to_owned();
            policies.push(p);
        }
        let mut org = org(policies);
        org.roots[0].policy_types.push(PolicyTypeStatus {
            policy_type: RCP_TYPE.to_owned(),
            status: "ENABLED".to_owned(),
        });
        org
    }

    const FEDERATION_ROLE: &str = "arn:aws:iam::111122223333:role/ConnectFederation";

    /// The data-perimeter RCP as AWS's examples write it: deny STS to anyone outside the
    /// organization unless an AWS service calls.
    fn perimeter() -> OrgPolicy {
        deny(
            "p-perimeter",
            "identity-perimeter",
            json!({
                "Sid": "EnforceOrgIdentities",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sts:*",
                "Resource": "*",
                "Condition": {
                    "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-example"},
                    "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}
                }
            }),
            &[ROOT],
        )
    }

    #[test]
    fn rcps_are_evaluated_on_their_own_chain() {
        let org = rcp_org(vec![perimeter()]);
        let scp = ChainEvaluator::scp(&org);
        let rcp = ChainEvaluator::rcp(&org);
        assert_eq!(rcp.kind(), PolicyKind::ResourceControl);
        assert_eq!(
            rcp.policies_at(ROOT).count(),
            2,
            "RCPFullAWSAccess + perimeter"
        );
        assert_eq!(scp.policies_at(ROOT).count(), 1, "FullAWSAccess only");
        // For SCPs the perimeter does not exist.
        let d = ask(&scp, ACCT, "sts:AssumeRoleWithSAML", FEDERATION_ROLE, None);
        assert_eq!(d.decision, Decision::NotDenied, "{}", d.reason);
        // For any principal it is a perimeter: denied except organization principals.
        let d = ask(&rcp, ACCT, "sts:AssumeRole", FEDERATION_ROLE, None);
        assert_eq!(d.decision, Decision::DeniedExcept, "{}", d.reason);
        assert!(
            d.reason.contains("of RCP \"identity-perimeter\""),
            "{}",
            d.reason
        );
        let keys: Vec<&str> = d.exception_sets[0]
            .conditions
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(keys, ["aws:PrincipalOrgID", "aws:PrincipalIsAWSService"]);
    }

    #[test]
    fn principals_of_the_organization_carry_its_id() {
        // aws:PrincipalOrgID is known for a principal whose account is in the organization,
        // so the perimeter lets it through; a principal from elsewhere stays undecided.
        let org = rcp_org(vec![perimeter()]);
        let rcp = ChainEvaluator::rcp(&org);
        let inside = ask(
            &rcp,
            ACCT,
            "sts:AssumeRole",
            FEDERATION_ROLE,
            Some("arn:aws:iam::111122223333:role/Admin"),
        );
        assert_eq!(inside.decision, Decision::NotDenied, "{}", inside.reason);
        let management = ask(
            &rcp,
            ACCT,
            "sts:AssumeRole",
            FEDERATION_ROLE,
            Some(&format!("arn:aws:iam::{MGMT}:role/Admin")),
        );
        assert_eq!(management.decision, Decision::NotDenied);
        let outside = ask(
            &rcp,
            ACCT,
            "sts:AssumeRole",
            FEDERATION_ROLE,
            Some("arn:aws:iam::444455556666:role/Admin"),
        );
        assert_eq!(outside.decision, Decision::Unknown, "{}", outside.reason);
    }

    #[test]
    fn saml_federation_has_no_principal_org_and_is_denied_by_a_perimeter() {
        // AssumeRoleWithSAML carries no AWS principal: aws:PrincipalOrgID is absent, so
        // `StringNotEqualsIfExists` is true, and the caller is not an AWS service.
        let org = rcp_org(vec![perimeter()]);
        let rcp = ChainEvaluator::rcp(&org);
        let mut context = RequestContext::new();
        context.set_absent("aws:PrincipalOrgID");
        context.set("aws:PrincipalIsAWSService", ["false"]);
        let d = rcp.decide(&ChainQuestion {
            account_id: ACCT,
            action: "sts:AssumeRoleWithSAML",
            resource: FEDERATION_ROLE,
            principal_arn: None,
            context: &context,
        });
        assert_eq!(d.decision, Decision::Denied, "{}", d.reason);
        assert_eq!(d.deciding[0].policy_id, "p-perimeter");
        assert_eq!(d.deciding[0].target_type, "ROOT");
        // A principal inside the organization passes.
        context.set("aws:PrincipalOrgID", ["o-example"]);
        let d = rcp.decide(&ChainQuestion {
            account_id: ACCT,
            action: "sts:AssumeRole",
            resource: FEDERATION_ROLE,
            principal_arn: Some("arn:aws:iam::111122223333:role/Admin"),
            context: &context,
        });
        assert_eq!(d.decision, Decision::NotDenied, "{}", d.reason);
    }

    #[test]
    fn rcps_skip_uncovered_services_the_management_account_and_service_linked_roles() {
        let everything = deny(
            "p-all",
            "deny-all",
            json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}),
            &[ROOT],
        );
        let org = rcp_org(vec![everything]);
        let rcp = ChainEvaluator::rcp(&org);
        let d = ask(&rcp, ACCT, "s3:GetObject", "arn:aws:s3:::audit/x", None);
        assert_eq!(d.decision, Decision::Denied, "{}", d.reason);
        let d = ask(&rcp, ACCT, "connect:DeleteInstance", INSTANCE, None);
        assert_eq!(d.decision, Decision::NotDenied);
        assert_eq!(d.reason, "RCPs do not apply to connect actions");
        let d = ask(&rcp, ACCT, "iam:DeleteRole", FEDERATION_ROLE, None);
        assert_eq!(d.decision, Decision::NotDenied);
        let d = ask(&rcp, ACCT, "lambda:InvokeFunction", "*", None);
        assert_eq!(d.decision, Decision::Unknown);
        assert!(d.reason.contains("lambda"), "{}", d.reason);
        let d = ask(&rcp, MGMT, "s3:GetObject", "arn:aws:s3:::mgmt/x", None);
        assert_eq!(
            d.reason,
            "RCPs do not apply to resources in the management account"
        );
        let slr = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_1";
        let d = ask(
            &rcp,
            ACCT,
            "s3:GetObject",
            "arn:aws:s3:::audit/x",
            Some(slr),
        );
        assert_eq!(d.decision, Decision::NotDenied);
    }

    #[test]
    fn rcps_need_their_own_policy_type_enabled() {
        let everything = deny(
            "p-all",
            "deny-all",
            json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}),
            &[ROOT],
        );
        let mut org = rcp_org(vec![everything]);
        org.roots[0]
            .policy_types
            .retain(|t| t.policy_type != RCP_TYPE);
        let d = ask(
            &ChainEvaluator::rcp(&org),
            ACCT,
            "s3:GetObject",
            "arn:aws:s3:::audit/x",
            None,
        );
        assert_eq!(d.decision, Decision::NotDenied);
        assert_eq!(d.reason, "RCPs are not enabled on the root");
    }

    #[test]
    fn rcp_principal_account_comes_from_the_principal_not_the_resource() {
        let external = deny(
            "p-ext",
            "deny-external",
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                   "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111122223333"]}}}),
            &[PROD],
        );
        let rcp = ChainEvaluator::rcp(&rcp_org(vec![external]));
        let bucket = "arn:aws:s3:::audit/x";
        let inside = ask(&rcp, ACCT, "s3:GetObject", bucket, Some(BREAK_GLASS));
        assert_eq!(inside.decision, Decision::NotDenied, "{}", inside.reason);
        let outside = ask(
            &rcp,
            ACCT,
            "s3:GetObject",
            bucket,
            Some("arn:aws:iam::444455556666:role/Reader"),
        );
        assert_eq!(outside.decision, Decision::Denied, "{}", outside.reason);
        let anyone = ask(&rcp, ACCT, "s3:GetObject", bucket, None);
        assert_eq!(anyone.decision, Decision::DeniedExcept, "{}", anyone.reason);
    }
}
