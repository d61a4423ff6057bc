//! IAM users that provision Amazon Connect.
//!
//! An IdP's provisioning integration (Okta's Amazon Connect app, for one) signs its Connect
//! API calls with the access key of an IAM user: a long-lived credential that can create,
//! change and delete every agent of an instance, or federate as any of them. Rules judge those
//! users' keys, passwords and permissions; a user whose policies allow none of the actions
//! below is of no concern here and is left out of the facts.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::iam::{Effect, ResourceSpec, Statement};
use crate::snapshot::{Iam, User};

use super::ROLE_TAMPERING_ACTIONS;
use super::federation::parse_document;

/// Amazon Connect actions that manage users or sign in as them: what a provisioning
/// integration needs, and what makes its key worth stealing.
pub const PROVISIONING_ACTIONS: [&str; 8] = [
    "connect:CreateUser",
    "connect:DeleteUser",
    "connect:UpdateUserIdentityInfo",
    "connect:UpdateUserSecurityProfiles",
    "connect:UpdateUserRoutingProfile",
    "connect:UpdateUserPhoneConfig",
    "connect:UpdateUserHierarchy",
    "connect:GetFederationToken",
];

/// What rules need to know about an IAM user whose policies allow provisioning actions.
#[derive(Debug, Clone, Serialize)]
pub struct UserFacts {
    /// Account of the user.
    pub account_id: String,
    /// User ARN.
    pub arn: String,
    /// User name.
    pub name: String,
    /// Allow statements (in the user's own and its groups' policies) that grant provisioning
    /// actions or change the account's federation roles.
    pub grants: Vec<ProvisioningGrant>,
    /// Whether the user has a console password; `None` when that is not known.
    pub console_password: Option<bool>,
    /// Days since the console password was last used.
    pub password_days_since_use: Option<i64>,
    /// The user's access keys, in the order the snapshot lists them.
    pub access_keys: Vec<KeyFacts>,
    /// How many of them are active.
    pub active_keys: usize,
}

/// One Allow statement granting provisioning actions.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisioningGrant {
    /// Policy name (inline) or ARN (managed), with `group <name>: ` for a group's policy.
    pub policy: String,
    /// Statement `Sid`.
    pub sid: Option<String>,
    /// Statement index (0-based).
    pub index: usize,
    /// The provisioning and federation-role actions it allows.
    pub actions: Vec<String>,
    /// Its `Resource` (or `not:`-prefixed `NotResource`) entries.
    pub resources: Vec<String>,
    /// True when every resource names one literal Connect instance (`…:instance/<id>` or
    /// below it), so the grant reaches no other instance.
    pub instance_scoped: bool,
}

/// The metadata of one access key, aged at the snapshot time.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFacts {
    /// 1 or 2: the key's place, as the console and the credential report number them.
    pub slot: usize,
    /// True when the key is active.
    pub active: bool,
    /// Days since the key was created; `None` when unknown.
    pub age_days: Option<i64>,
    /// Days since the key last signed a request; `None` when it never did.
    pub days_since_use: Option<i64>,
    /// The service it was last used with.
    pub last_used_service: Option<String>,
}

/// Facts of `user`, or `None` when its policies grant no provisioning action.
pub(crate) fn user_facts(
    account_id: &str,
    user: &User,
    iam: &Iam,
    federation_roles: &[&str],
    now: DateTime<Utc>,
) -> Option<UserFacts> {
    let grants = grants(user, iam, federation_roles);
    if grants.is_empty() {
        return None;
    }
    let days = |t: Option<DateTime<Utc>>| t.map(|t| (now - t).num_days());
    let access_keys: Vec<KeyFacts> = user
        .access_keys
        .iter()
        .enumerate()
        .map(|(i, key)| KeyFacts {
            slot: i + 1,
            active: key.status.eq_ignore_ascii_case("Active"),
            age_days: days(key.created),
            days_since_use: days(key.last_used),
            last_used_service: key.last_used_service.clone(),
        })
        .collect();
    Some(UserFacts {
        account_id: account_id.to_owned(),
        arn: user.arn.clone(),
        name: user.name.clone(),
        grants,
        console_password: user.password_enabled,
        password_days_since_use: days(user.password_last_used),
        active_keys: access_keys.iter().filter(|k| k.active).count(),
        access_keys,
    })
}

/// Every Allow statement of the user's and its groups' policies that grants a provisioning
/// action, or a federation-role change on one of `federation_roles`.
fn grants(user: &User, iam: &Iam, federation_roles: &[&str]) -> Vec<ProvisioningGrant> {
    let own = user
        .inline
        .iter()
        .map(|p| (p.name.clone(), &p.document))
        .chain(user.attached.iter().filter_map(|arn| {
            iam.managed_policies
                .get(arn)
                .map(|document| (arn.clone(), document))
        }));
    let groups = iam
        .groups
        .iter()
        .filter(|g| user.groups.contains(&g.name))
        .flat_map(|g| {
            g.inline
                .iter()
                .map(move |p| (format!("group {}: {}", g.name, p.name), &p.document))
                .chain(g.attached.iter().filter_map(move |arn| {
                    iam.managed_policies
                        .get(arn)
                        .map(|document| (format!("group {}: {arn}", g.name), document))
                }))
        });
    let mut grants = Vec::new();
    for (policy, value) in own.chain(groups) {
        let Ok(document) = parse_document(value) else {
            continue;
        };
        for statement in document
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let mut actions: Vec<String> = PROVISIONING_ACTIONS
                .iter()
                .filter(|a| statement.matches_action(a))
                .map(|a| (*a).to_owned())
                .collect();
            let on_federation_role = federation_roles
                .iter()
                .any(|role| statement.matches_resource(role));
            if on_federation_role {
                actions.extend(
                    ROLE_TAMPERING_ACTIONS
                        .iter()
                        .filter(|a| statement.matches_action(a))
                        .map(|a| (*a).to_owned()),
                );
            }
            if !actions.is_empty() {
                grants.push(grant(policy.clone(), statement, actions));
            }
        }
    }
    grants
}

fn grant(policy: String, statement: &Statement, actions: Vec<String>) -> ProvisioningGrant {
    let (resources, instance_scoped) = match &statement.resource {
        ResourceSpec::Resource(list) => (
            list.clone(),
            !list.is_empty() && list.iter().all(|r| pinned_instance(r)),
        ),
        ResourceSpec::NotResource(list) => {
            (list.iter().map(|r| format!("not:{r}")).collect(), false)
        }
        ResourceSpec::Absent => (Vec::new(), false),
    };
    ProvisioningGrant {
        policy,
        sid: statement.sid.clone(),
        index: statement.index,
        actions,
        resources,
        instance_scoped,
    }
}

/// True for `arn:aws:connect:<region>:<account>:instance/<id>` and anything below it, when
/// the id is literal.
fn pinned_instance(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let service = parts.nth(2);
    let Some(rest) = parts.nth(2) else {
        return false;
    };
    let Some(after) = rest.strip_prefix("instance/") else {
        return false;
    };
    let id = after.split('/').next().unwrap_or_default();
    service == Some("connect") && !id.is_empty() && !id.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iam_with(user: serde_json::Value, groups: serde_json::Value) -> (User, Iam) {
        let user: User = serde_json::from_value(user).expect("user");
        let iam: Iam =
            serde_json::from_value(json!({ "users": [], "groups": groups })).expect("iam");
        (user, iam)
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T00:00:00Z".parse().expect("time")
    }

    #[test]
    fn a_user_with_provisioning_actions_is_described_with_its_keys() {
        let (user, iam) = iam_with(
            json!({
                "name": "okta-provisioning", "id": "AIDAEXAMPLE", "arn": "arn:aws:iam::111122223333:user/okta-provisioning",
                "inline": [{"name": "connect", "document": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["connect:CreateUser", "connect:UpdateUser*", "connect:DescribeUser"],
                     "Resource": "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555/*"}]}}],
                "password_enabled": false,
                "access_keys": [
                    {"status": "Active", "created": "2026-01-01T00:00:00Z", "last_used": "2026-11-30T00:00:00Z", "last_used_service": "connect"},
                    {"status": "Inactive", "created": "2025-01-01T00:00:00Z"}
                ]
            }),
            json!([]),
        );
        let facts = user_facts("111122223333", &user, &iam, &[], now()).expect("provisioning user");
        assert_eq!(facts.grants.len(), 1);
        assert!(facts.grants[0].instance_scoped);
        assert!(
            facts.grants[0]
                .actions
                .contains(&"connect:UpdateUserSecurityProfiles".to_owned())
        );
        assert!(
            !facts.grants[0]
                .actions
                .contains(&"connect:DeleteUser".to_owned())
        );
        assert_eq!(facts.active_keys, 1);
        assert_eq!(facts.access_keys[0].age_days, Some(334));
        assert_eq!(facts.access_keys[0].days_since_use, Some(1));
        assert_eq!(facts.access_keys[1].slot, 2);
        assert_eq!(facts.access_keys[1].days_since_use, None);
    }

    #[test]
    fn group_policies_and_wildcards_count_and_are_not_scoped() {
        let (user, iam) = iam_with(
            json!({"name": "sync", "id": "AIDAEXAMPLE2", "arn": "arn:aws:iam::111122223333:user/sync", "groups": ["integrations"]}),
            json!([{"name": "integrations", "arn": "arn:aws:iam::111122223333:group/integrations",
                    "inline": [{"name": "all-connect", "document": {"Statement": {"Effect": "Allow", "Action": "connect:*", "Resource": "*"}}}]}]),
        );
        let facts = user_facts("111122223333", &user, &iam, &[], now()).expect("provisioning user");
        assert_eq!(facts.grants[0].policy, "group integrations: all-connect");
        assert!(!facts.grants[0].instance_scoped);
        assert_eq!(facts.grants[0].actions.len(), PROVISIONING_ACTIONS.len());
    }

    #[test]
    fn federation_role_changes_count_only_on_federation_roles() {
        let role = "arn:aws:iam::111122223333:role/ConnectFederation";
        let (user, iam) = iam_with(
            json!({"name": "ops", "id": "AIDAEXAMPLE3", "arn": "arn:aws:iam::111122223333:user/ops",
                   "inline": [{"name": "roles", "document": {"Statement": {"Effect": "Allow", "Action": "iam:UpdateAssumeRolePolicy", "Resource": "arn:aws:iam::111122223333:role/*"}}}]}),
            json!([]),
        );
        assert!(user_facts("111122223333", &user, &iam, &[], now()).is_none());
        let facts =
            user_facts("111122223333", &user, &iam, &[role], now()).expect("changes the role");
        assert_eq!(
            facts.grants[0].actions,
            vec!["iam:UpdateAssumeRolePolicy".to_owned()]
        );
    }

    #[test]
    fn users_without_provisioning_actions_are_left_out() {
        let (user, iam) = iam_with(
            json!({"name": "reader", "id": "AIDAEXAMPLE4", "arn": "arn:aws:iam::111122223333:user/reader",
                   "inline": [{"name": "read", "document": {"Statement": {"Effect": "Allow", "Action": "connect:Describe*", "Resource": "*"}}}]}),
            json!([]),
        );
        assert!(user_facts("111122223333", &user, &iam, &[], now()).is_none());
    }
}
