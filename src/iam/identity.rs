//! Identity-policy evaluation for one principal: do its inline and managed policies allow a
//! request?
//!
//! "Policy evaluation logic" (IAM user guide), restricted to identity-based policies: an
//! explicit Deny in any policy wins; otherwise at least one Allow must match; otherwise the
//! request is implicitly denied. Permissions boundaries, session policies, resource policies
//! and SCPs are evaluated elsewhere (SCPs in [`super::chain`]).

use schemars::JsonSchema;
use serde::Serialize;

use super::condition::{RequestContext, Tristate};
use super::document::{Effect, PolicyDocument};

/// A policy document with the name it is reported under.
#[derive(Debug, Clone, Copy)]
pub struct NamedDocument<'a> {
    /// Inline policy name or managed policy ARN.
    pub name: &'a str,
    /// The parsed document.
    pub document: &'a PolicyDocument,
}

/// A statement that grants or denies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GrantRef {
    /// The policy name (inline name or managed ARN).
    pub policy: String,
    /// The statement `Sid`.
    pub sid: Option<String>,
    /// Position of the statement, from 0.
    pub statement_index: usize,
    /// Whether the statement certainly applies (`true`) or depends on unknown context
    /// (`unknown`); statements that certainly do not apply are not listed.
    pub applies: Tristate,
}

/// What the identity policies say about one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct IdentityDecision {
    /// Allowed: some Allow applies and no Deny does.
    pub allowed: Tristate,
    /// Some Deny applies.
    pub explicitly_denied: Tristate,
    /// Allow statements that apply or may apply.
    pub granting: Vec<GrantRef>,
    /// Deny statements that apply or may apply.
    pub denying: Vec<GrantRef>,
}

/// Evaluates `policies` (one principal's identity policies) for `action` on `resource`.
///
/// `Principal`/`NotPrincipal` are ignored: identity policies have none, and trust policies
/// should be evaluated for their principals by the caller.
pub fn evaluate_identity(
    policies: &[NamedDocument<'_>],
    action: &str,
    resource: &str,
    context: &RequestContext,
) -> IdentityDecision {
    let mut granting = Vec::new();
    let mut denying = Vec::new();
    let mut allow = Tristate::False;
    let mut deny = Tristate::False;
    for policy in policies {
        for statement in &policy.document.statements {
            if !statement.matches_action(action) {
                continue;
            }
            let applies = statement
                .resource_match(resource, context)
                .and(statement.condition_match(context))
                .value;
            if applies.is_false() {
                continue;
            }
            let grant = GrantRef {
                policy: policy.name.to_owned(),
                sid: statement.sid.clone(),
                statement_index: statement.index,
                applies,
            };
            match statement.effect {
                Effect::Allow => {
                    allow = allow.or(applies);
                    granting.push(grant);
                }
                Effect::Deny => {
                    deny = deny.or(applies);
                    denying.push(grant);
                }
            }
        }
    }
    IdentityDecision {
        allowed: allow.and(deny.not()),
        explicitly_denied: deny,
        granting,
        denying,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Tristate::{False as F, True as T, Unknown as U};
    use serde_json::json;

    fn doc(v: serde_json::Value) -> PolicyDocument {
        PolicyDocument::parse(&v).unwrap_or_else(|e| panic!("{e}"))
    }

    const INSTANCE: &str = "arn:aws:connect:us-east-1:111122223333:instance/abc";

    #[test]
    fn table() {
        // AmazonConnectReadOnlyAccess-like: connect:Get* plus an explicit Deny.
        let read_only = doc(json!({"Statement": [
            {"Effect": "Allow", "Action": ["connect:Describe*", "connect:List*", "connect:Get*"], "Resource": "*"},
            {"Sid": "AttachedPolicyDeny", "Effect": "Deny", "Action": ["connect:GetFederationTokens"], "Resource": "*"}
        ]}));
        let full =
            doc(json!({"Statement": {"Effect": "Allow", "Action": "connect:*", "Resource": "*"}}));
        let ip = doc(
            json!({"Statement": {"Sid": "Office", "Effect": "Allow", "Action": "connect:AdminGetEmergencyAccessToken", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}}),
        );
        let ro = [NamedDocument {
            name: "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess",
            document: &read_only,
        }];
        let fa = [NamedDocument {
            name: "arn:aws:iam::aws:policy/AmazonConnect_FullAccess",
            document: &full,
        }];
        let both = [ro[0], fa[0]];
        let ipo = [NamedDocument {
            name: "office",
            document: &ip,
        }];
        let none = RequestContext::new();
        let cases: [(&[NamedDocument<'_>], &str, Tristate, Tristate); 9] = [
            (&ro, "connect:GetFederationToken", T, F),
            (&ro, "connect:GetFederationTokens", F, T),
            (&ro, "connect:AdminGetEmergencyAccessToken", F, F),
            (&fa, "connect:AdminGetEmergencyAccessToken", T, F),
            (&fa, "connect:GetFederationTokens", T, F),
            (&both, "connect:GetFederationTokens", F, T),
            (&both, "connect:AdminGetEmergencyAccessToken", T, F),
            (&ipo, "connect:AdminGetEmergencyAccessToken", U, F),
            (&[], "connect:DeleteInstance", F, F),
        ];
        for (policies, action, allowed, denied) in cases {
            let d = evaluate_identity(policies, action, INSTANCE, &none);
            assert_eq!(d.allowed, allowed, "{action}");
            assert_eq!(d.explicitly_denied, denied, "{action}");
        }
        let ctx = RequestContext::new().with("aws:SourceIp", ["203.0.113.9"]);
        let d = evaluate_identity(&ipo, "connect:AdminGetEmergencyAccessToken", INSTANCE, &ctx);
        assert_eq!(d.allowed, T);
        assert_eq!(d.granting[0].sid.as_deref(), Some("Office"));
        assert_eq!(d.granting[0].applies, T);
        let d = evaluate_identity(&both, "connect:GetFederationTokens", INSTANCE, &none);
        assert_eq!(d.denying[0].sid.as_deref(), Some("AttachedPolicyDeny"));
        assert_eq!(d.granting.len(), 2);
    }

    #[test]
    fn federation_resource_with_userid() {
        let fed = doc(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "connect:GetFederationToken",
            "Resource": "arn:aws:connect:us-east-1:111122223333:instance/abc/user/${aws:userid}"}}),
        );
        let p = [NamedDocument {
            name: "federation",
            document: &fed,
        }];
        let user = "arn:aws:connect:us-east-1:111122223333:instance/abc/user/AROAEXAMPLE:jdoe";
        let d = evaluate_identity(
            &p,
            "connect:GetFederationToken",
            user,
            &RequestContext::new(),
        );
        assert_eq!(d.allowed, U);
        let ctx = RequestContext::new().with("aws:userid", ["AROAEXAMPLE:jdoe"]);
        assert_eq!(
            evaluate_identity(&p, "connect:GetFederationToken", user, &ctx).allowed,
            T
        );
        let other = "arn:aws:connect:us-east-1:111122223333:instance/xyz/user/AROAEXAMPLE:jdoe";
        assert_eq!(
            evaluate_identity(&p, "connect:GetFederationToken", other, &ctx).allowed,
            F
        );
    }
}
