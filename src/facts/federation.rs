//! Federation facts: which roles Connect users federate into, and how well they are scoped.
//!
//! A role is a *federation role* for instance X when its trust allows
//! `sts:AssumeRoleWithSAML` from SAML providers and one of its identity policies allows
//! `connect:GetFederationToken` on X: on `instance/X/user/…`, or on `*` with a
//! `connect:InstanceId` condition naming X, or unscoped (DOMAIN.md §9).

use serde::Serialize;

use crate::iam::{
    ActionSpec, Effect, PolicyDocument, PrincipalSpec, RequestContext, ResourceSpec, Statement,
};
use crate::snapshot::{Iam, JsonText, Role};

/// The action Connect federation needs.
pub const FEDERATION_ACTION: &str = "connect:GetFederationToken";

/// Actions a SAML trust statement may allow beside `sts:AssumeRoleWithSAML` when the IdP
/// sends session tags or a source identity.
const SAML_COMPANION_ACTIONS: [&str; 2] = ["sts:TagSession", "sts:SetSourceIdentity"];

/// What a role's trust policy allows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrustFacts {
    /// True when the document parsed.
    pub parsed: bool,
    /// Why it did not, when it did not.
    pub parse_error: Option<String>,
    /// SAML provider ARNs allowed to `sts:AssumeRoleWithSAML`.
    pub saml_providers: Vec<String>,
    /// The statements allowing `sts:AssumeRoleWithSAML`, with their `SAML:aud` conditions.
    pub saml_statements: Vec<SamlStatement>,
    /// Anything else the trust allows: other principals or other actions.
    pub other_grants: Vec<OtherGrant>,
}

/// A trust statement allowing `sts:AssumeRoleWithSAML`.
#[derive(Debug, Clone, Serialize)]
pub struct SamlStatement {
    /// Statement id.
    pub sid: Option<String>,
    /// 0-based index in the document.
    pub index: usize,
    /// `SAML:aud` conditions (operator and values); empty when there is none.
    pub audience_conditions: Vec<AudienceCondition>,
}

/// One `SAML:aud` condition.
#[derive(Debug, Clone, Serialize)]
pub struct AudienceCondition {
    /// The operator as written, e.g. `StringEquals`.
    pub operator: String,
    /// The audiences.
    pub values: Vec<String>,
}

/// A trust grant that is not SAML federation.
#[derive(Debug, Clone, Serialize)]
pub struct OtherGrant {
    /// Statement id.
    pub sid: Option<String>,
    /// 0-based index in the document.
    pub index: usize,
    /// The principal, e.g. `AWS:arn:aws:iam::111122223333:root`, `Service:ec2.amazonaws.com`, `*`.
    pub principal: String,
    /// The actions as written.
    pub actions: Vec<String>,
}

/// One identity-policy statement allowing `connect:GetFederationToken`.
#[derive(Debug, Clone, Serialize)]
pub struct FederationGrant {
    /// Inline policy name or managed policy ARN.
    pub policy: String,
    /// Statement id.
    pub sid: Option<String>,
    /// 0-based index in the document.
    pub index: usize,
    /// The actions as written.
    pub actions: Vec<String>,
    /// The resources as written (`NotResource` entries are prefixed with `not:`).
    pub resources: Vec<String>,
    /// `instance_user` (`instance/<id>/user/…`), `instance_condition` (`*` with
    /// `connect:InstanceId`), or `unscoped` (`*`, `instance/*`, `NotResource`, …).
    pub form: String,
    /// Instance ids the grant is pinned to (empty when unscoped).
    pub instance_ids: Vec<String>,
    /// True when the action was granted through a wildcard or `NotAction`
    /// (`connect:*`, `connect:Get*`, `*`).
    pub broad_action: bool,
}

/// Parses an inline or managed policy document, keeping the error for reports.
pub(crate) fn parse_document(document: &JsonText) -> Result<PolicyDocument, String> {
    PolicyDocument::parse_text(document.text()).map_err(|e| e.to_string())
}

/// What is known of the request context of a SAML sign-in (`sts:AssumeRoleWithSAML`) before
/// it happens, for asking the RCPs about it.
///
/// The call is unsigned: no AWS principal makes it, so the principal keys are absent
/// ("AWS global condition context keys": `aws:PrincipalArn`, `aws:PrincipalAccount`,
/// `aws:PrincipalOrgID` and `aws:PrincipalIsAWSService` are present only in signed requests).
/// That is why an identity-perimeter RCP on `sts:*` with `…IfExists` operators denies SAML
/// sign-in. The sign-in endpoint is HTTPS only, so `aws:SecureTransport` is true. Everything
/// else (the `SAML:*` keys, the source IP) stays unknown.
pub fn saml_sign_in_context() -> RequestContext {
    let mut context = RequestContext::new();
    for key in [
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName",
    ] {
        context.set_absent(key);
    }
    context.set("aws:SecureTransport", ["true"]);
    context
}

pub(crate) fn trust_facts(role: &Role) -> TrustFacts {
    let document = match parse_document(&role.trust) {
        Ok(d) => d,
        Err(error) => {
            return TrustFacts {
                parse_error: Some(error),
                ..TrustFacts::default()
            };
        }
    };
    let mut facts = TrustFacts {
        parsed: true,
        ..TrustFacts::default()
    };
    for statement in document
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        let allows_saml = statement.matches_action("sts:AssumeRoleWithSAML");
        let principals = principal_list(statement);
        let actions = action_list(statement);
        let only_saml_actions = matches!(&statement.action, ActionSpec::Action(list)
            if list.iter().all(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithSAML")
                || SAML_COMPANION_ACTIONS.iter().any(|c| a.eq_ignore_ascii_case(c))));
        let mut saml_principal = false;
        for (kind, value) in &principals {
            if kind == "Federated" && value.contains(":saml-provider/") {
                saml_principal = true;
                if allows_saml && !facts.saml_providers.contains(value) {
                    facts.saml_providers.push(value.clone());
                }
            } else {
                facts.other_grants.push(OtherGrant {
                    sid: statement.sid.clone(),
                    index: statement.index,
                    principal: if kind == "*" {
                        "*".to_owned()
                    } else {
                        format!("{kind}:{value}")
                    },
                    actions: actions.clone(),
                });
            }
        }
        if allows_saml && saml_principal {
            facts.saml_statements.push(SamlStatement {
                sid: statement.sid.clone(),
                index: statement.index,
                audience_conditions: statement
                    .conditions
                    .iter()
                    .filter(|c| c.key.eq_ignore_ascii_case("SAML:aud"))
                    .map(|c| AudienceCondition {
                        operator: c.operator.clone(),
                        values: c.values.clone(),
                    })
                    .collect(),
            });
        }
        if saml_principal && !only_saml_actions {
            // A SAML principal allowed `sts:*` or `sts:AssumeRole` is still only usable
            // through AssumeRoleWithSAML, but a wildcard action hides intent: report it.
            facts.other_grants.push(OtherGrant {
                sid: statement.sid.clone(),
                index: statement.index,
                principal: "Federated:saml-provider".to_owned(),
                actions,
            });
        }
    }
    facts
}

/// `(type, value)` pairs of a statement's principals; `("*", "*")` for `Principal: "*"`
/// and for any `NotPrincipal`, which in an Allow means almost everyone.
fn principal_list(statement: &Statement) -> Vec<(String, String)> {
    match &statement.principal {
        None => Vec::new(),
        Some(PrincipalSpec::NotPrincipal(_)) => vec![("*".to_owned(), "*".to_owned())],
        Some(PrincipalSpec::Principal(p)) if p.any => vec![("*".to_owned(), "*".to_owned())],
        Some(PrincipalSpec::Principal(p)) => p
            .by_type
            .iter()
            .flat_map(|(kind, values)| values.iter().map(move |v| (kind.clone(), v.clone())))
            .collect(),
    }
}

fn action_list(statement: &Statement) -> Vec<String> {
    match &statement.action {
        ActionSpec::Action(list) => list.clone(),
        ActionSpec::NotAction(list) => list.iter().map(|a| format!("not:{a}")).collect(),
    }
}

/// Every Allow of `connect:GetFederationToken` in the role's inline and attached policies.
pub(crate) fn federation_grants(role: &Role, iam: &Iam) -> Vec<FederationGrant> {
    let inline = role.inline.iter().map(|p| (p.name.as_str(), &p.document));
    let attached = role
        .attached
        .iter()
        .filter_map(|arn| iam.managed_policies.get(arn).map(|doc| (arn.as_str(), doc)));
    let mut grants = Vec::new();
    for (name, value) in inline.chain(attached) {
        let Ok(document) = parse_document(value) else {
            continue;
        };
        for statement in document
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && s.matches_action(FEDERATION_ACTION))
        {
            grants.push(grant(name, statement));
        }
    }
    grants
}

fn grant(policy: &str, statement: &Statement) -> FederationGrant {
    let broad_action = match &statement.action {
        ActionSpec::Action(list) => !list
            .iter()
            .any(|a| a.eq_ignore_ascii_case(FEDERATION_ACTION)),
        ActionSpec::NotAction(_) => true,
    };
    let condition_ids: Vec<String> = statement
        .conditions
        .iter()
        .filter(|c| {
            c.key.eq_ignore_ascii_case("connect:InstanceId")
                && matches!(
                    c.operator.as_str(),
                    "StringEquals" | "StringLike" | "ForAnyValue:StringEquals"
                )
        })
        .flat_map(|c| c.values.iter().cloned())
        .filter(|id| !id.contains(['*', '?']))
        .collect();
    let (resources, mut form, mut instance_ids) = match &statement.resource {
        ResourceSpec::Resource(list) => {
            let mut ids = Vec::new();
            let mut all_pinned = !list.is_empty();
            for resource in list {
                match pinned_instance(resource) {
                    Some(id) => ids.push(id),
                    None => all_pinned = false,
                }
            }
            let form = if all_pinned {
                "instance_user"
            } else {
                "unscoped"
            };
            (
                list.clone(),
                form,
                if all_pinned { ids } else { Vec::new() },
            )
        }
        ResourceSpec::NotResource(list) => (
            list.iter().map(|r| format!("not:{r}")).collect(),
            "unscoped",
            Vec::new(),
        ),
        ResourceSpec::Absent => (Vec::new(), "unscoped", Vec::new()),
    };
    if form == "unscoped" && !condition_ids.is_empty() {
        form = "instance_condition";
        instance_ids = condition_ids;
    }
    instance_ids.sort();
    instance_ids.dedup();
    FederationGrant {
        policy: policy.to_owned(),
        sid: statement.sid.clone(),
        index: statement.index,
        actions: action_list(statement),
        resources,
        form: form.to_owned(),
        instance_ids,
        broad_action,
    }
}

/// The instance id of `arn:aws:connect:<region>:<account>:instance/<id>/user/…` when the id
/// is literal (no wildcard); `instance/*` and `*` pin nothing.
fn pinned_instance(resource: &str) -> Option<String> {
    let rest = resource.splitn(6, ':').nth(5)?;
    let after = rest.strip_prefix("instance/")?;
    let (id, tail) = after.split_once('/')?;
    (!id.is_empty() && !id.contains(['*', '?']) && tail.starts_with("user/")).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(trust: serde_json::Value, inline: serde_json::Value) -> Role {
        serde_json::from_value(json!({
            "name": "ConnectFederation", "id": "AROAEXAMPLE", "arn": "arn:aws:iam::111122223333:role/ConnectFederation",
            "trust": trust, "inline": [{"name": "federate", "document": inline}]
        }))
        .expect("role")
    }

    fn saml_trust(aud: serde_json::Value) -> serde_json::Value {
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            "Principal": {"Federated": ["arn:aws:iam::111122223333:saml-provider/Okta", "arn:aws:iam::111122223333:saml-provider/Entra"]},
            "Condition": {"StringEquals": {"SAML:aud": aud}}}]})
    }

    #[test]
    fn saml_only_trust_lists_providers_and_audiences() {
        let facts = trust_facts(&role(
            saml_trust(json!("https://signin.aws.amazon.com/saml")),
            json!({}),
        ));
        assert!(facts.parsed);
        assert_eq!(facts.saml_providers.len(), 2);
        assert!(facts.other_grants.is_empty(), "{:?}", facts.other_grants);
        assert_eq!(
            facts.saml_statements[0].audience_conditions[0].values,
            ["https://signin.aws.amazon.com/saml"]
        );
    }

    #[test]
    fn session_tag_and_source_identity_statements_stay_saml_only() {
        // CDK writes the companions into the SAML statement; Terraform modules often give
        // them a statement of their own for the same providers, without a SAML:aud condition.
        let mut trust = saml_trust(json!("https://signin.aws.amazon.com/saml"));
        trust["Statement"][0]["Action"] = json!([
            "sts:AssumeRoleWithSAML",
            "sts:SetSourceIdentity",
            "sts:TagSession"
        ]);
        trust["Statement"]
            .as_array_mut()
            .expect("list")
            .push(json!({
            "Effect": "Allow", "Action": ["sts:TagSession", "sts:SetSourceIdentity"],
            "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}}));
        let facts = trust_facts(&role(trust, json!({})));
        assert!(facts.other_grants.is_empty(), "{:?}", facts.other_grants);
        assert_eq!(facts.saml_providers.len(), 2);
        assert_eq!(
            facts.saml_statements.len(),
            1,
            "only the statement that signs in"
        );
        assert_eq!(facts.saml_statements[0].audience_conditions.len(), 1);
    }

    #[test]
    fn a_companion_action_for_another_principal_is_another_grant() {
        let mut trust = saml_trust(json!("https://signin.aws.amazon.com/saml"));
        trust["Statement"]
            .as_array_mut()
            .expect("list")
            .push(json!({
            "Effect": "Allow", "Action": "sts:TagSession",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/Automation"}}));
        let facts = trust_facts(&role(trust, json!({})));
        assert_eq!(facts.other_grants.len(), 1, "{:?}", facts.other_grants);
    }

    #[test]
    fn extra_principals_are_other_grants() {
        let mut trust = saml_trust(json!("https://signin.aws.amazon.com/saml"));
        trust["Statement"].as_array_mut().expect("list").push(json!({
            "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}));
        let facts = trust_facts(&role(trust, json!({})));
        assert_eq!(facts.other_grants.len(), 1);
        assert_eq!(
            facts.other_grants[0].principal,
            "AWS:arn:aws:iam::111122223333:root"
        );
    }

    #[test]
    fn grant_forms() {
        let trust = saml_trust(json!("https://signin.aws.amazon.com/saml"));
        let cases = [
            (
                json!({"Effect": "Allow", "Action": "connect:GetFederationToken",
                    "Resource": "arn:aws:connect:us-east-1:111122223333:instance/abc/user/${aws:userid}"}),
                "instance_user",
                vec!["abc"],
                false,
            ),
            (
                json!({"Effect": "Allow", "Action": "connect:GetFederationToken", "Resource": "*",
                    "Condition": {"StringEquals": {"connect:InstanceId": ["abc", "def"]}}}),
                "instance_condition",
                vec!["abc", "def"],
                false,
            ),
            (
                json!({"Effect": "Allow", "Action": "connect:GetFederationToken",
                    "Resource": "arn:aws:connect:us-east-1:111122223333:instance/*"}),
                "unscoped",
                vec![],
                false,
            ),
            (
                json!({"Effect": "Allow", "Action": "connect:Get*", "Resource": "*"}),
                "unscoped",
                vec![],
                true,
            ),
        ];
        for (statement, form, ids, broad) in cases {
            let r = role(
                trust.clone(),
                json!({"Version": "2012-10-17", "Statement": [statement]}),
            );
            let grants = federation_grants(&r, &Iam::default());
            assert_eq!(grants.len(), 1);
            assert_eq!(grants[0].form, form);
            assert_eq!(grants[0].instance_ids, ids);
            assert_eq!(grants[0].broad_action, broad);
        }
    }

    #[test]
    fn emergency_access_alone_is_no_federation_grant() {
        let trust = saml_trust(json!("https://signin.aws.amazon.com/saml"));
        let r = role(
            trust,
            json!({"Statement": {"Effect": "Allow", "Action": "connect:Admin*", "Resource": "*"}}),
        );
        assert!(federation_grants(&r, &Iam::default()).is_empty());
    }
}
