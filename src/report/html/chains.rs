//! The identity chain of each instance: its identity type, identity providers, federation
//! roles and SCP protections, each link judged by the scan's findings only.

use super::inert::console_link;
use super::{FindingRef, Status, account_label, finding_ref, iso, time};
use crate::facts::{
    EMERGENCY_ACCESS_ACTIONS, Facts, INSTANCE_DELETION_ACTIONS, InstanceFacts,
    ROLE_TAMPERING_ACTIONS, RoleFacts,
};
use crate::finding::Severity;
use crate::iam::{ChainDecision, Decision};
use crate::verdict::{Judge, Rules, Verdict};

pub(super) struct InstanceView {
    pub(super) title: String,
    pub(super) id: String,
    pub(super) arn: String,
    pub(super) link: Option<String>,
    pub(super) account: String,
    pub(super) ou: String,
    pub(super) region: String,
    pub(super) status: String,
    pub(super) production: Option<String>,
    pub(super) gr_planned: Option<String>,
    pub(super) replicated: bool,
    pub(super) overall: Status,
    pub(super) findings: Vec<FindingRef>,
    pub(super) identity_type: String,
    pub(super) identity_status: Status,
    pub(super) identity_note: String,
    pub(super) saml: bool,
    pub(super) providers: Vec<ProviderView>,
    pub(super) providers_note: Option<Note>,
    pub(super) providers_status: Status,
    pub(super) roles: Vec<RoleView>,
    pub(super) roles_status: Status,
    pub(super) protections: Vec<Protection>,
    pub(super) protections_status: Status,
}

/// A status with one sentence, where a chain link has nothing to list.
pub(super) struct Note {
    pub(super) status: Status,
    pub(super) text: String,
}

pub(super) struct ProviderView {
    pub(super) name: String,
    pub(super) arn: String,
    pub(super) link: Option<String>,
    pub(super) entity_id: Option<String>,
    pub(super) expires: Option<String>,
    pub(super) expires_iso: Option<String>,
    pub(super) days: Option<i64>,
    pub(super) source: Option<String>,
    pub(super) status: Status,
    pub(super) note: String,
    pub(super) findings: Vec<FindingRef>,
}

pub(super) struct RoleView {
    pub(super) name: String,
    pub(super) arn: String,
    pub(super) link: Option<String>,
    pub(super) trust: Vec<String>,
    pub(super) grants: Vec<String>,
    pub(super) status: Status,
    pub(super) findings: Vec<FindingRef>,
}

pub(super) struct Protection {
    pub(super) name: &'static str,
    pub(super) actions: String,
    pub(super) status: Status,
    pub(super) decision: String,
    pub(super) reason: String,
}

fn scp_label(decision: Decision) -> &'static str {
    match decision {
        Decision::Denied => "denied",
        Decision::DeniedExcept => "denied except exempted principals",
        Decision::NotDenied => "not denied",
        Decision::Unknown => "undecided",
    }
}

/// Rules whose findings on an instance break its identity type.
const IDENTITY_RULES: &[&str] = &[
    "production-instance-not-saml",
    "gr-planned-instance-not-saml",
];
/// Rules whose findings on an instance concern its set of identity providers.
const PROVIDER_SET_RULES: &[&str] = &["backup-idp-not-independent"];
/// Rules whose findings on an instance concern its federation roles.
const ROLE_SET_RULES: &[&str] = &["federation-role-missing-or-duplicated"];
/// Findings on an instance in the management account, where no SCP protects anything.
const MANAGEMENT_RULE: &str = "connect-instance-in-management-account";
const DELETION_RULES: &[&str] = &["instance-deletion-not-denied-by-scp"];
const EMERGENCY_RULES: &[&str] = &[
    "emergency-access-not-restricted",
    "break-glass-path-missing",
];
const TAMPERING_RULES: &[&str] = &["federation-role-tampering-not-denied-by-scp"];

/// The status of a chain link, as the findings on it say. High and critical findings break
/// it; medium and low ones and waived findings ask for attention.
fn status(verdict: Verdict) -> Status {
    match verdict {
        Verdict::NotEvaluated => Status::Info,
        Verdict::Pass => Status::Pass,
        Verdict::Waived(_) => Status::Warn,
        Verdict::Fail(severity) if severity >= Severity::High => Status::Fail,
        Verdict::Fail(_) => Status::Warn,
    }
}

/// A protection: what the SCP analysis decided (description) and how the rules judged it.
fn protection(
    name: &'static str,
    actions: &[&str],
    decisions: &[&ChainDecision],
    verdict: Verdict,
    management: bool,
) -> Protection {
    let actions = actions.join(", ");
    // The least protective decision describes the link.
    let worst = decisions.iter().max_by_key(|d| match d.decision {
        Decision::Denied => 0,
        Decision::DeniedExcept => 1,
        Decision::Unknown => 2,
        Decision::NotDenied => 3,
    });
    let (decision, reason) = match worst {
        _ if management => (
            "not denied".to_owned(),
            "SCPs never apply to the management account.".to_owned(),
        ),
        None => (
            "not evaluated".to_owned(),
            "Nothing to protect here.".to_owned(),
        ),
        Some(d) => (scp_label(d.decision).to_owned(), d.reason.clone()),
    };
    Protection {
        name,
        actions,
        // Nothing was asked (no federation role to protect, say): not applicable, not a pass.
        status: if worst.is_none() && !management {
            Status::Info
        } else {
            status(verdict)
        },
        decision,
        reason,
    }
}

pub(super) fn instance_view(
    instance: &InstanceFacts,
    facts: &Facts,
    judge: &Judge<'_>,
) -> InstanceView {
    let refs = |arn: &str| -> Vec<FindingRef> {
        judge.findings(arn, Rules::All).map(finding_ref).collect()
    };
    let arn = instance.arn.as_str();
    let account = facts.accounts.get(&instance.account_id);
    let saml = instance.identity_management_type == "SAML";
    let identity_verdict = judge.verdict([arn], Rules::Only(IDENTITY_RULES));
    let identity_status = match identity_verdict {
        Verdict::Pass | Verdict::NotEvaluated if !saml => Status::Info,
        verdict => status(verdict),
    };
    let identity_note = if saml {
        "Agents sign in through a SAML identity provider."
    } else if matches!(identity_verdict, Verdict::Fail(_) | Verdict::Waived(_)) {
        "No SAML federation on a production or Global Resiliency instance; the type is fixed at \
         creation."
    } else {
        "No SAML federation; the chain below does not apply."
    }
    .to_owned();

    let roles: Vec<&RoleFacts> = instance
        .federation_roles
        .iter()
        .filter_map(|arn| facts.roles.get(arn))
        .collect();
    let role_arns: Vec<&str> = roles.iter().map(|r| r.arn.as_str()).collect();
    let providers: Vec<ProviderView> = instance
        .trusted_providers
        .iter()
        .map(|provider| provider_view(provider, facts, judge, &roles))
        .collect();
    let role_set = status(judge.verdict([arn], Rules::Only(ROLE_SET_RULES)));
    let provider_set = status(judge.verdict([arn], Rules::Only(PROVIDER_SET_RULES)));
    let providers_note = if !saml {
        Some(Note {
            status: Status::Info,
            text: "Not applicable to this identity type.".to_owned(),
        })
    } else if roles.is_empty() {
        Some(Note {
            status: role_set,
            text: "No role both trusts a SAML provider and may call \
                   connect:GetFederationToken for this instance, so nobody can federate into it."
                .to_owned(),
        })
    } else {
        None
    };
    let role_views: Vec<RoleView> = roles
        .iter()
        .map(|r| {
            role_view(
                r,
                refs(&r.arn),
                status(judge.verdict([r.arn.as_str()], Rules::All)),
            )
        })
        .collect();

    let management = instance.in_management_account;
    let decisions = |actions: &[&str]| -> Vec<&ChainDecision> {
        actions
            .iter()
            .filter_map(|a| instance.scp.get(*a))
            .filter_map(|id| facts.scp_decisions.get(id))
            .collect()
    };
    let role_decisions: Vec<&ChainDecision> = roles
        .iter()
        .flat_map(|r| ROLE_TAMPERING_ACTIONS.iter().filter_map(|a| r.scp.get(*a)))
        .filter_map(|id| facts.scp_decisions.get(id))
        .collect();
    // In the management account no SCP protects anything, and one rule says so for all three
    // protections; elsewhere each protection has its own rules.
    let protection_verdict = |resources: &[&str], rules: &[&str]| {
        if management {
            judge.verdict([arn], Rules::Only(&[MANAGEMENT_RULE]))
        } else {
            judge.verdict(resources.iter().copied(), Rules::Only(rules))
        }
    };
    let mut emergency = protection(
        "Emergency access",
        &EMERGENCY_ACCESS_ACTIONS,
        &decisions(&EMERGENCY_ACCESS_ACTIONS),
        protection_verdict(&[arn], EMERGENCY_RULES),
        management,
    );
    if !saml {
        // Emergency access is the sign-in that bypasses a SAML identity provider; no rule
        // judges it on other identity types.
        emergency.status = Status::Info;
        emergency.reason = "Emergency access exists for SAML instances only.".to_owned();
    }
    let mut protections = vec![
        protection(
            "Instance deletion",
            &INSTANCE_DELETION_ACTIONS,
            &decisions(&INSTANCE_DELETION_ACTIONS),
            protection_verdict(&[arn], DELETION_RULES),
            management,
        ),
        emergency,
    ];
    let mut tampering = protection(
        "Federation role tampering",
        &ROLE_TAMPERING_ACTIONS,
        &role_decisions,
        protection_verdict(&role_arns, TAMPERING_RULES),
        management && !roles.is_empty(),
    );
    if roles.is_empty() {
        tampering.reason = "No federation role to protect.".to_owned();
    }
    protections.push(tampering);

    let providers_status = if !saml {
        Status::Info
    } else {
        providers
            .iter()
            .map(|p| p.status)
            .chain(providers_note.iter().map(|n| n.status))
            .chain([provider_set])
            .max()
            .unwrap_or(Status::Info)
    };
    let roles_status = if !saml {
        Status::Info
    } else {
        role_views
            .iter()
            .map(|r| r.status)
            .chain([role_set])
            .max()
            .unwrap_or(Status::Pass)
    };
    let protections_status = protections
        .iter()
        .map(|p| p.status)
        .max()
        .unwrap_or(Status::Info);
    let findings = refs(arn);
    let overall = [
        identity_status,
        providers_status,
        roles_status,
        protections_status,
        status(judge.verdict([arn], Rules::All)),
    ]
    .into_iter()
    .max()
    .unwrap_or(Status::Info);
    InstanceView {
        title: instance
            .alias
            .clone()
            .unwrap_or_else(|| instance.id.clone()),
        id: instance.id.clone(),
        arn: instance.arn.clone(),
        link: console_link(&instance.arn),
        account: account_label(account.map(|a| a.name.as_str()), &instance.account_id),
        ou: account.map(|a| a.ou_path.clone()).unwrap_or_default(),
        region: instance.region.clone(),
        status: instance.status.clone(),
        production: instance.production_reason.clone(),
        gr_planned: instance.gr_planned_reason.clone(),
        replicated: instance.replicated,
        overall: if overall == Status::Info {
            Status::Pass
        } else {
            overall
        },
        findings,
        identity_type: instance.identity_management_type.clone(),
        identity_status,
        identity_note,
        saml,
        providers,
        providers_note,
        providers_status,
        roles: role_views,
        roles_status,
        protections,
        protections_status,
    }
}

/// A trusted provider: described from the facts, judged by the findings on it (or, for a
/// provider that does not exist, by the findings on the roles that trust it).
fn provider_view(
    arn: &str,
    facts: &Facts,
    judge: &Judge<'_>,
    roles: &[&RoleFacts],
) -> ProviderView {
    let findings: Vec<FindingRef> = judge.findings(arn, Rules::All).map(finding_ref).collect();
    let name = arn.rsplit('/').next().unwrap_or(arn).to_owned();
    let Some(p) = facts.saml_providers.get(arn) else {
        let trusting = roles
            .iter()
            .filter(|r| r.missing_providers.iter().any(|m| m == arn))
            .map(|r| r.arn.as_str());
        return ProviderView {
            name,
            arn: arn.to_owned(),
            link: None,
            entity_id: None,
            expires: None,
            expires_iso: None,
            days: None,
            source: None,
            status: status(judge.verdict(
                trusting,
                Rules::Only(&["saml-trust-references-missing-provider"]),
            )),
            note: "Trusted by a federation role but does not exist in the account.".to_owned(),
            findings,
        };
    };
    let note = match (&p.parse_error, p.days_until_expiry) {
        (Some(error), _) => format!("Metadata unreadable: {error}"),
        (None, _) if p.expired => "Expired: sign-in fails.".to_owned(),
        (None, Some(1)) => "Signing certificate valid for 1 more day.".to_owned(),
        (None, Some(days)) => format!("Signing certificate valid for {days} more days."),
        (None, None) => "No expiry could be determined.".to_owned(),
    };
    ProviderView {
        name: p.name.clone(),
        arn: p.arn.clone(),
        link: console_link(&p.arn),
        entity_id: p.entity_id.clone(),
        expires: p.expires_at.map(time),
        expires_iso: p.expires_at.map(iso),
        days: p.days_until_expiry,
        source: p.expiry_source.clone(),
        status: status(judge.verdict([arn], Rules::All)),
        note,
        findings,
    }
}

fn role_view(role: &RoleFacts, findings: Vec<FindingRef>, status: Status) -> RoleView {
    let mut trust = Vec::new();
    if let Some(error) = &role.trust.parse_error {
        trust.push(format!("Trust policy unreadable: {error}"));
    }
    for statement in &role.trust.saml_statements {
        let audiences: Vec<String> = statement
            .audience_conditions
            .iter()
            .map(|c| format!("{} SAML:aud {}", c.operator, c.values.join(", ")))
            .collect();
        trust.push(format!(
            "Statement {}: sts:AssumeRoleWithSAML; {}",
            statement
                .sid
                .clone()
                .unwrap_or_else(|| format!("#{}", statement.index)),
            if audiences.is_empty() {
                "no SAML:aud condition".to_owned()
            } else {
                audiences.join("; ")
            }
        ));
    }
    for provider in &role.trust.saml_providers {
        let missing = role.missing_providers.contains(provider);
        trust.push(format!(
            "Trusts {provider}{}",
            if missing { " (missing)" } else { "" }
        ));
    }
    for other in &role.trust.other_grants {
        trust.push(format!(
            "Also trusts {} (statement {})",
            other.principal,
            other
                .sid
                .clone()
                .unwrap_or_else(|| format!("#{}", other.index))
        ));
    }
    let grants = role
        .federation_grants
        .iter()
        .map(|g| {
            format!(
                "{} in {}: {} on {} ({}{})",
                g.sid.clone().unwrap_or_else(|| format!("#{}", g.index)),
                g.policy,
                g.actions.join(", "),
                g.resources.join(", "),
                g.form.replace('_', " "),
                if g.broad_action {
                    ", wildcard action"
                } else {
                    ""
                }
            )
        })
        .collect();
    RoleView {
        name: role.name.clone(),
        arn: role.arn.clone(),
        link: console_link(&role.arn),
        trust,
        grants,
        status,
        findings,
    }
}
