//! Tests of the chain evaluator: decisions, exemptions, exceptions and the cache.

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
