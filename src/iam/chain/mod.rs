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

use super::condition::{Evaluation, RequestContext, Tristate, evaluate_with};
use super::document::{Condition, Effect, PolicyDocument};
use crate::snapshot::Organization;

mod decision;
mod draft;

pub use decision::{
    AllowPath, ChainDecision, Decision, ExceptionCondition, ExceptionSet, StatementRef,
};
pub use draft::DecisionCache;
use draft::{Allows, ById, Denies, Draft, Exemption, Located, StatementIndex};

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

#[cfg(test)]
mod tests;
