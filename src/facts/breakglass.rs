//! Break-glass facts: which roles are break-glass, and whether their emergency path works.
//!
//! For a SAML instance, emergency access is the only way in during an IdP outage, so a good
//! posture is "denied to everyone except named break-glass roles", never "denied to all"
//! (DOMAIN.md §3.5). These facts answer the second half: does a break-glass role exist whose
//! own policies allow emergency access and whose SCPs do not block it?

use serde::Serialize;

use super::decisions::{Decider, DecisionRef, DecisionTable, SharedDecision};
use crate::iam::{
    ChainQuestion, NamedDocument, PolicyDocument, RequestContext, Tristate, arn_matches,
    evaluate_identity,
};
use crate::snapshot::{Iam, Role};

/// The emergency-access permission (its current name).
pub const EMERGENCY_ACTION: &str = "connect:AdminGetEmergencyAccessToken";

/// One break-glass role's path to emergency access on one instance.
#[derive(Debug, Clone, Serialize)]
pub struct BreakGlassPath {
    /// The role.
    pub role_arn: String,
    /// Whether its identity policies allow emergency access on the instance.
    pub identity_allowed: Tristate,
    /// True when every granting statement restricts `aws:SourceIp` (authentication-profile
    /// IP lists do not cover emergency login).
    pub source_ip_restricted: bool,
    /// The SCP decision for this role, as an id into `scp_decisions`.
    pub scp: DecisionRef,
    /// True when the path may work: allowed (or possibly allowed) and not SCP-denied.
    pub usable: bool,
}

/// True when `arn` matches one of the break-glass patterns.
pub(crate) fn is_break_glass(arn: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| arn_matches(p, arn))
}

/// The parsed inline and attached documents of a role, with the names they report under.
pub(crate) fn role_documents<'a>(role: &'a Role, iam: &'a Iam) -> Vec<(&'a str, PolicyDocument)> {
    let inline = role.inline.iter().map(|p| (p.name.as_str(), &p.document));
    let attached = role
        .attached
        .iter()
        .filter_map(|arn| iam.managed_policies.get(arn).map(|doc| (arn.as_str(), doc)));
    inline
        .chain(attached)
        .filter_map(|(name, document)| {
            PolicyDocument::parse_text(document.text())
                .ok()
                .map(|d| (name, d))
        })
        .collect()
}

pub(crate) fn paths(
    account_id: &str,
    instance_arn: &str,
    roles: &[(&Role, Vec<(&str, PolicyDocument)>)],
    decider: &mut Decider<'_>,
    table: &mut DecisionTable,
) -> Vec<BreakGlassPath> {
    let context = RequestContext::new();
    roles
        .iter()
        .map(|(role, documents)| {
            let named: Vec<NamedDocument<'_>> = documents
                .iter()
                .map(|(name, document)| NamedDocument { name, document })
                .collect();
            let identity = evaluate_identity(&named, EMERGENCY_ACTION, instance_arn, &context);
            let source_ip_restricted = !identity.granting.is_empty()
                && identity.granting.iter().all(|grant| {
                    documents
                        .iter()
                        .filter(|(name, _)| *name == grant.policy)
                        .flat_map(|(_, d)| d.statements.get(grant.statement_index))
                        .any(|s| {
                            s.conditions
                                .iter()
                                .any(|c| c.key.eq_ignore_ascii_case("aws:SourceIp"))
                        })
                });
            let question = ChainQuestion {
                account_id,
                action: EMERGENCY_ACTION,
                resource: instance_arn,
                principal_arn: Some(&role.arn),
                context: &context,
            };
            let shared = decider.decide_each(&question, &[EMERGENCY_ACTION], SharedDecision::new);
            let usable = !identity.allowed.is_false()
                && !identity.explicitly_denied.is_true()
                && shared[0].decision().decision != crate::iam::Decision::Denied;
            BreakGlassPath {
                role_arn: role.arn.clone(),
                identity_allowed: identity.allowed,
                source_ip_restricted,
                scp: table.intern_shared(&shared[0]),
                usable,
            }
        })
        .collect()
}
