//! Facts derived from a snapshot before Rego runs (`input.derived`).
//!
//! Rego is a poor place for IAM semantics (its `glob.match` lets `*` cross `:`) and slow at
//! joins, so the joins and the policy questions are answered here, once, in Rust: which
//! roles federate into which instance, which SAML providers they trust and when those
//! expire, and what the SCP chain decides for the actions that matter. Every collection is
//! an object keyed by ARN or id, so rules look things up instead of scanning.

mod breakglass;
mod cognito;
mod decisions;
mod federation;
mod organization;
mod policies;
mod providers;
mod provisioning;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;

pub use breakglass::{BreakGlassPath, EMERGENCY_ACTION};
pub use cognito::{PoolProviderFacts, USER_POOL_TAMPERING_ACTIONS, UserPoolFacts};
pub use decisions::DecisionRef;
pub use federation::{
    AudienceCondition, FEDERATION_ACTION, FederationGrant, OtherGrant, SamlStatement, TrustFacts,
    saml_sign_in_context,
};
pub use organization::AccountFacts;
pub use policies::{ATTACHMENT_LIMIT, POLICY_SIZE_LIMIT, PolicyFacts, TargetFacts, UnknownAction};
pub use providers::{Expiry, ProviderFacts, SigningKey};

use decisions::{Decider, DecisionTable, Remap};
pub use provisioning::{KeyFacts, PROVISIONING_ACTIONS, ProvisioningGrant, UserFacts};

use crate::iam::{ChainDecision, ChainEvaluator, ChainQuestion, PolicyKind, RequestContext};
use crate::params::Params;
use crate::snapshot::{
    AccountResources, CollectionError, Instance, Replication, Snapshot, TrafficDistributionGroup,
};

/// Actions whose denial protects an instance from deletion (CX-SCP-01): the one AWS's
/// best-practice SCP denies. `connect:DestroyInstance`, named by that SCP until November 2022,
/// is not an IAM action, so nothing needs to deny it.
pub const INSTANCE_DELETION_ACTIONS: [&str; 1] = ["connect:DeleteInstance"];

/// Both names of the emergency-access permission (renamed on 15 June 2024; both still
/// work in policies, and `connect:Get*` matches only the old one).
pub const EMERGENCY_ACCESS_ACTIONS: [&str; 2] = [
    "connect:AdminGetEmergencyAccessToken",
    "connect:GetFederationTokens",
];

/// Actions whose denial protects a SAML provider from deletion and replacement (CX-SCP-03).
pub const PROVIDER_TAMPERING_ACTIONS: [&str; 2] =
    ["iam:DeleteSAMLProvider", "iam:UpdateSAMLProvider"];

/// Actions whose denial protects a federation role from deletion and tampering (CX-SCP-02).
pub const ROLE_TAMPERING_ACTIONS: [&str; 6] = [
    "iam:DeleteRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePolicy",
    "iam:DetachRolePolicy",
    "iam:AttachRolePolicy",
];

/// Everything derived from one snapshot.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// The snapshot time every age is computed from.
    pub snapshot_time: DateTime<Utc>,
    /// Accounts by id.
    pub accounts: BTreeMap<String, AccountFacts>,
    /// Connect instances by ARN.
    pub instances: BTreeMap<String, InstanceFacts>,
    /// Roles that trust SAML providers or can call `connect:GetFederationToken`, by ARN.
    pub roles: BTreeMap<String, RoleFacts>,
    /// SAML providers by ARN.
    pub saml_providers: BTreeMap<String, ProviderFacts>,
    /// IAM users whose policies allow Connect user provisioning or federation, by ARN.
    pub users: BTreeMap<String, UserFacts>,
    /// Cognito user pools with a SAML identity provider, by ARN.
    pub user_pools: BTreeMap<String, UserPoolFacts>,
    /// What could not be collected, with the resource each gap is reported on.
    pub not_assessed: Vec<NotAssessed>,
    /// SCPs whose documents could not be parsed, by policy id.
    pub invalid_scps: BTreeMap<String, String>,
    /// SCPs and RCPs by id: size, misspelled actions, targets.
    pub policies: BTreeMap<String, PolicyFacts>,
    /// Roots, OUs and accounts with SCPs attached, by id, with their SCP count.
    pub targets: BTreeMap<String, TargetFacts>,
    /// Every distinct SCP decision, by the id resources refer to it with (`d<n>`).
    pub scp_decisions: BTreeMap<DecisionRef, ChainDecision>,
    /// Every distinct RCP decision, by the id resources refer to it with (`r<n>`).
    pub rcp_decisions: BTreeMap<DecisionRef, ChainDecision>,
}

/// What rules need to know about a Connect instance.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceFacts {
    /// Account of the instance.
    pub account_id: String,
    /// Region of the instance.
    pub region: String,
    /// Instance id.
    pub id: String,
    /// Instance ARN.
    pub arn: String,
    /// Instance alias.
    pub alias: Option<String>,
    /// `SAML`, `CONNECT_MANAGED` or `EXISTING_DIRECTORY`.
    pub identity_management_type: String,
    /// Instance status.
    pub status: String,
    /// When the instance was created.
    pub created_time: Option<DateTime<Utc>>,
    /// Instance attributes, e.g. `CONTACTFLOW_LOGS` → `true`.
    pub attributes: BTreeMap<String, String>,
    /// Global Resiliency replication, when configured.
    pub replication: Option<Replication>,
    /// The default traffic distribution group (the only one with a sign-in configuration).
    pub default_traffic_distribution_group: Option<TrafficDistributionGroup>,
    /// True when the instance is in the management account.
    pub in_management_account: bool,
    /// Why the instance counts as production, if it does.
    pub production_reason: Option<String>,
    /// Why the instance counts as planned for Global Resiliency, if it does.
    pub gr_planned_reason: Option<String>,
    /// True when the instance is replicated or is a replica.
    pub replicated: bool,
    /// ARNs of the roles that federate into this instance.
    pub federation_roles: Vec<String>,
    /// SAML providers trusted by those roles (existing or not), sorted.
    pub trusted_providers: Vec<String>,
    /// SCP decisions for the instance ARN, by action (deletion, emergency access,
    /// federation), as ids into `scp_decisions`.
    pub scp: BTreeMap<String, DecisionRef>,
    /// Break-glass roles of the account and their emergency-access path to this instance.
    pub break_glass: Vec<BreakGlassPath>,
}

/// What rules need to know about a role that matters to Connect federation.
#[derive(Debug, Clone, Serialize)]
pub struct RoleFacts {
    /// Account of the role.
    pub account_id: String,
    /// Role ARN.
    pub arn: String,
    /// Role name.
    pub name: String,
    /// RoleId.
    pub role_id: String,
    /// When the role was created.
    pub create_date: Option<DateTime<Utc>>,
    /// What the trust policy allows.
    pub trust: TrustFacts,
    /// Statements allowing `connect:GetFederationToken`.
    pub federation_grants: Vec<FederationGrant>,
    /// True when the role trusts SAML providers and can call `connect:GetFederationToken`.
    pub is_federation_role: bool,
    /// True when the role matches `break-glass-role-patterns`.
    pub is_break_glass: bool,
    /// Instance ARNs (same account) the role federates into.
    pub instances: Vec<String>,
    /// Trusted providers that do not exist in the account.
    pub missing_providers: Vec<String>,
    /// SCP decisions for the role ARN, by action (federation roles only), as ids into
    /// `scp_decisions`.
    pub scp: BTreeMap<String, DecisionRef>,
    /// RCP decisions for a SAML sign-in through the role (`sts:AssumeRoleWithSAML` on the
    /// role ARN, with the request context of SAML federation; federation roles only), as
    /// ids into `rcp_decisions`.
    pub rcp: BTreeMap<String, DecisionRef>,
}

/// A collection gap and the resource it is reported on.
#[derive(Debug, Clone, Serialize)]
pub struct NotAssessed {
    /// ARN of the account (or the organization for organization-level gaps).
    pub resource: String,
    /// Account name, when the gap is in an account.
    pub account_name: Option<String>,
    /// What inside the resource was not assessed, when the resource holds several (the
    /// identity provider of a user pool).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The error as collected.
    #[serde(flatten)]
    pub error: CollectionError,
}

/// Where [`Facts::derive_from`] reads the accounts' resources.
enum AccountsIn<'a> {
    /// Read, and left as they are.
    Kept(&'a BTreeMap<String, AccountResources>),
    /// Read, and each account's IAM resources freed as soon as its facts are derived.
    Released(&'a mut BTreeMap<String, AccountResources>),
}

impl Facts {
    /// Derives facts from a snapshot with the scan's parameters.
    pub fn derive(snapshot: &Snapshot, params: &Params) -> Facts {
        Self::derive_from(snapshot, AccountsIn::Kept(&snapshot.accounts), params)
    }

    /// [`Facts::derive`] for a caller that no longer needs the accounts' IAM resources (roles
    /// and their policy documents, SAML providers, users and groups) once the facts exist:
    /// each account's are freed right after its facts are derived, on the same thread and
    /// while they are still in cache, instead of all together afterwards (docs/benchmarks.md).
    pub fn derive_and_release_iam(snapshot: &mut Snapshot, params: &Params) -> Facts {
        let mut accounts = std::mem::take(&mut snapshot.accounts);
        let facts = Self::derive_from(snapshot, AccountsIn::Released(&mut accounts), params);
        snapshot.accounts = accounts;
        facts
    }

    /// Derives facts from `snapshot`'s organization and scan metadata and from `resources`;
    /// `snapshot.accounts` is not read (the caller may have taken it out).
    fn derive_from(snapshot: &Snapshot, resources: AccountsIn<'_>, params: &Params) -> Facts {
        let now = snapshot.scan.started_at;
        let tree = organization::Tree::new(snapshot);
        // The accounts' facts and the two policy chains are independent: three threads.
        let (accounts, evaluators) = rayon::join(
            || {
                organization::account_facts(snapshot, &tree, params)
                    .into_iter()
                    .map(|a| (a.id.clone(), a))
                    .collect::<BTreeMap<String, AccountFacts>>()
            },
            || {
                let (scp, rcp) = rayon::join(
                    || ChainEvaluator::scp(&snapshot.organization),
                    || ChainEvaluator::rcp(&snapshot.organization),
                );
                Evaluators { scp, rcp }
            },
        );

        crate::timings::mark("facts: organization");
        // Accounts are independent: derive them in parallel, merge in id order.
        // A worker renders each distinct SCP decision once (`Decider`) for the whole run of
        // accounts it derives (`map_init` makes one per run, not per account).
        let derive = |decider: &mut Decider<'_>, id: &String, resources: &AccountResources| {
            let account = accounts.get(id)?;
            Some(derive_account(
                account,
                resources,
                params,
                &evaluators,
                decider,
                now,
            ))
        };
        let decider = || Decider::new(&evaluators.scp);
        let mut per_account: Vec<AccountDerived> = match resources {
            AccountsIn::Kept(all) => all
                .par_iter()
                .map_init(decider, |decider, (id, resources)| {
                    derive(decider, id, resources)
                })
                .flatten()
                .collect(),
            AccountsIn::Released(all) => all
                .par_iter_mut()
                .map_init(decider, |decider, (id, resources)| {
                    let derived = derive(decider, id, resources);
                    drop(std::mem::take(&mut resources.iam));
                    derived
                })
                .flatten()
                .collect(),
        };
        crate::timings::mark("facts: accounts");

        let mut facts = Facts {
            snapshot_time: now,
            policies: policies::policy_facts(&snapshot.organization),
            targets: policies::target_facts(&snapshot.organization),
            not_assessed: not_assessed(snapshot, &accounts),
            invalid_scps: evaluators.scp.invalid_policies().iter().cloned().collect(),
            accounts,
            instances: BTreeMap::new(),
            roles: BTreeMap::new(),
            saml_providers: BTreeMap::new(),
            users: BTreeMap::new(),
            user_pools: BTreeMap::new(),
            scp_decisions: BTreeMap::new(),
            rcp_decisions: BTreeMap::new(),
        };
        // Ids are assigned in account order, so they are the same every run.
        let ((decisions, scp_remaps), (rcp_decisions, rcp_remaps)) = rayon::join(
            || {
                let tables: Vec<&DecisionTable> =
                    per_account.iter().map(|d| &d.decisions).collect();
                DecisionTable::merge(PolicyKind::ServiceControl, &tables)
            },
            || {
                let tables: Vec<&DecisionTable> =
                    per_account.iter().map(|d| &d.rcp_decisions).collect();
                DecisionTable::merge(PolicyKind::ResourceControl, &tables)
            },
        );
        let remaps: Vec<(Remap, Remap)> = scp_remaps.into_iter().zip(rcp_remaps).collect();
        per_account
            .par_iter_mut()
            .zip(&remaps)
            .for_each(|(derived, (remap, rcp_remap))| {
                derived.remap(remap, rcp_remap);
                // Freed here, on the pool, rather than one account after the other below.
                derived.decisions = DecisionTable::new(PolicyKind::ServiceControl);
                derived.rcp_decisions = DecisionTable::new(PolicyKind::ResourceControl);
            });
        let mut lists = PerKind::default();
        for derived in per_account {
            lists.instances.push(derived.instances);
            lists.roles.push(derived.roles);
            lists.providers.push(derived.providers);
            lists.users.push(derived.users);
            lists.user_pools.push(derived.user_pools);
        }
        // Each map is built on its own thread.
        rayon::scope(|scope| {
            let PerKind {
                instances,
                roles,
                providers,
                users,
                user_pools,
            } = lists;
            scope.spawn(|_| facts.instances = by_arn(instances, |i| &i.arn));
            scope.spawn(|_| facts.roles = by_arn(roles, |r| &r.arn));
            scope.spawn(|_| facts.saml_providers = by_arn(providers, |p| &p.arn));
            scope.spawn(|_| facts.users = by_arn(users, |u| &u.arn));
            scope.spawn(|_| facts.user_pools = by_arn(user_pools, |p| &p.arn));
        });
        crate::timings::mark("facts: merged");
        facts.not_assessed.extend(unfetched_metadata(&facts));
        facts.scp_decisions = decisions.into_map();
        facts.rcp_decisions = rcp_decisions.into_map();
        facts
    }
}

/// The merged lists of every account, by kind of resource.
#[derive(Default)]
struct PerKind {
    instances: Vec<Vec<InstanceFacts>>,
    roles: Vec<Vec<RoleFacts>>,
    providers: Vec<Vec<ProviderFacts>>,
    users: Vec<Vec<UserFacts>>,
    user_pools: Vec<Vec<UserPoolFacts>>,
}

/// One map by ARN from the accounts' lists.
///
/// The facts are large structs, and sorting them by ARN moved each one a dozen times (a
/// `BTreeMap` built from unsorted entries sorts them first): the ARNs are sorted with the
/// positions instead, and each item moved into place once. As with any map built from
/// entries, the last of two items with one ARN wins.
fn by_arn<T>(lists: Vec<Vec<T>>, arn: impl Fn(&T) -> &String) -> BTreeMap<String, T> {
    let mut items: Vec<Option<T>> = lists.into_iter().flatten().map(Some).collect();
    let mut order: Vec<(&String, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(position, item)| Some((arn(item.as_ref()?), position)))
        .collect();
    order.sort_unstable();
    let order: Vec<(String, usize)> = order
        .into_iter()
        .map(|(key, position)| (key.clone(), position))
        .collect();
    order
        .into_iter()
        .filter_map(|(key, position)| Some((key, items.get_mut(position)?.take()?)))
        .collect()
}

struct AccountDerived {
    instances: Vec<InstanceFacts>,
    roles: Vec<RoleFacts>,
    providers: Vec<ProviderFacts>,
    users: Vec<UserFacts>,
    user_pools: Vec<UserPoolFacts>,
    /// The decisions the ids above refer to, local to the account until merged.
    decisions: DecisionTable,
    /// Likewise for RCP decisions.
    rcp_decisions: DecisionTable,
}

impl AccountDerived {
    /// Rewrites the account's decision ids into ids of the merged tables.
    fn remap(&mut self, remap: &Remap, rcp_remap: &Remap) {
        for instance in &mut self.instances {
            remap.apply_all(&mut instance.scp);
            for path in &mut instance.break_glass {
                remap.apply(&mut path.scp);
            }
        }
        for role in &mut self.roles {
            remap.apply_all(&mut role.scp);
            rcp_remap.apply_all(&mut role.rcp);
        }
        for provider in &mut self.providers {
            remap.apply_all(&mut provider.scp);
        }
        for pool in &mut self.user_pools {
            remap.apply_all(&mut pool.scp);
        }
    }
}

/// The organization's policy chains, parsed once per scan.
struct Evaluators {
    scp: ChainEvaluator,
    rcp: ChainEvaluator,
}

fn derive_account<'e>(
    account: &AccountFacts,
    resources: &crate::snapshot::AccountResources,
    params: &Params,
    evaluators: &Evaluators,
    decider: &mut Decider<'e>,
    now: DateTime<Utc>,
) -> AccountDerived {
    let mut table = DecisionTable::new(PolicyKind::ServiceControl);
    let mut rcp_table = DecisionTable::new(PolicyKind::ResourceControl);
    let iam = &resources.iam;
    let mut providers: Vec<ProviderFacts> = iam
        .saml_providers
        .iter()
        .map(|p| providers::provider_facts(&account.id, p, now))
        .collect();
    let instance_list: Vec<(&str, &Instance)> = resources
        .connect
        .iter()
        .flat_map(|(region, r)| r.instances.iter().map(move |i| (region.as_str(), i)))
        .collect();

    let break_glass_roles: Vec<_> = iam
        .roles
        .iter()
        .filter(|r| breakglass::is_break_glass(&r.arn, &params.break_glass_role_patterns))
        .map(|r| (r, breakglass::role_documents(r, iam)))
        .collect();
    let saml_context = federation::saml_sign_in_context();
    let mut roles = Vec::new();
    for role in &iam.roles {
        let trust = federation::trust_facts(role);
        let grants = federation::federation_grants(role, iam);
        if trust.saml_providers.is_empty() && grants.is_empty() {
            continue;
        }
        let is_federation_role = !trust.saml_providers.is_empty() && !grants.is_empty();
        let unscoped = grants.iter().any(|g| g.form == "unscoped");
        let instances = if is_federation_role {
            instance_list
                .iter()
                .filter(|(_, i)| unscoped || grants.iter().any(|g| g.instance_ids.contains(&i.id)))
                .map(|(_, i)| i.arn.clone())
                .collect()
        } else {
            Vec::new()
        };
        let missing_providers = trust
            .saml_providers
            .iter()
            .filter(|arn| !iam.saml_providers.iter().any(|p| &p.arn == *arn))
            .cloned()
            .collect();
        let scp_decisions = if is_federation_role {
            let actions: Vec<&str> = ROLE_TAMPERING_ACTIONS
                .iter()
                .copied()
                .chain(["sts:AssumeRoleWithSAML"])
                .collect();
            decisions(decider, &mut table, &account.id, &actions, &role.arn)
        } else {
            BTreeMap::new()
        };
        let rcp_decisions = if is_federation_role {
            let question = ChainQuestion {
                account_id: &account.id,
                action: "sts:AssumeRoleWithSAML",
                resource: &role.arn,
                principal_arn: None,
                context: &saml_context,
            };
            let id = rcp_table.intern(evaluators.rcp.decide(&question));
            BTreeMap::from([("sts:AssumeRoleWithSAML".to_owned(), id)])
        } else {
            BTreeMap::new()
        };
        for provider in providers
            .iter_mut()
            .filter(|p| trust.saml_providers.contains(&p.arn))
        {
            provider.trusted_by.push(role.arn.clone());
        }
        roles.push(RoleFacts {
            account_id: account.id.clone(),
            arn: role.arn.clone(),
            name: role.name.clone(),
            role_id: role.id.clone(),
            create_date: role.create_date,
            trust,
            federation_grants: grants,
            is_federation_role,
            is_break_glass: breakglass::is_break_glass(
                &role.arn,
                &params.break_glass_role_patterns,
            ),
            instances,
            missing_providers,
            scp: scp_decisions,
            rcp: rcp_decisions,
        });
    }

    let instances = instance_list
        .iter()
        .map(|(region, instance)| {
            let federation_roles: Vec<&RoleFacts> = roles
                .iter()
                .filter(|r| r.instances.contains(&instance.arn))
                .collect();
            let mut trusted_providers: Vec<String> = federation_roles
                .iter()
                .flat_map(|r| r.trust.saml_providers.iter().cloned())
                .collect();
            trusted_providers.sort();
            trusted_providers.dedup();
            let actions: Vec<&str> = INSTANCE_DELETION_ACTIONS
                .iter()
                .chain(EMERGENCY_ACCESS_ACTIONS.iter())
                .chain([FEDERATION_ACTION].iter())
                .copied()
                .collect();
            InstanceFacts {
                account_id: account.id.clone(),
                region: (*region).to_owned(),
                id: instance.id.clone(),
                arn: instance.arn.clone(),
                alias: instance.alias.clone(),
                identity_management_type: instance.identity_management_type.clone(),
                status: instance.status.clone(),
                created_time: instance.created_time,
                attributes: instance.attributes.clone(),
                replication: instance.replication.clone(),
                default_traffic_distribution_group: instance
                    .traffic_distribution_groups
                    .iter()
                    .find(|g| g.is_default)
                    .cloned(),
                in_management_account: account.is_management,
                production_reason: organization::tag_match(
                    &instance.tags,
                    &params.production_tag_key,
                    &params.production_tag_values,
                )
                .map(|t| format!("instance has {t}"))
                .or_else(|| account.production_reason.clone()),
                gr_planned_reason: gr_planned_reason(instance, account, params),
                replicated: instance.replication.is_some(),
                federation_roles: federation_roles.iter().map(|r| r.arn.clone()).collect(),
                trusted_providers,
                scp: decisions(decider, &mut table, &account.id, &actions, &instance.arn),
                break_glass: breakglass::paths(
                    &account.id,
                    &instance.arn,
                    &break_glass_roles,
                    decider,
                    &mut table,
                ),
            }
        })
        .collect();
    for provider in providers.iter_mut().filter(|p| !p.trusted_by.is_empty()) {
        provider.scp = decisions(
            decider,
            &mut table,
            &account.id,
            &PROVIDER_TAMPERING_ACTIONS,
            &provider.arn,
        );
    }
    let federation_roles: Vec<&str> = roles
        .iter()
        .filter(|r| r.is_federation_role)
        .map(|r| r.arn.as_str())
        .collect();
    let users = iam
        .users
        .iter()
        .filter_map(|u| provisioning::user_facts(&account.id, u, iam, &federation_roles, now))
        .collect();
    let contact_center = !instance_list.is_empty();
    let user_pools = resources
        .cognito
        .iter()
        .flat_map(|(region, r)| r.user_pools.iter().map(move |p| (region, p)))
        .filter_map(|(region, pool)| {
            let mut facts =
                cognito::user_pool_facts(&account.id, region, pool, contact_center, now)?;
            facts.scp = decisions(
                decider,
                &mut table,
                &account.id,
                &USER_POOL_TAMPERING_ACTIONS,
                &pool.arn,
            );
            Some(facts)
        })
        .collect();
    AccountDerived {
        instances,
        roles,
        providers,
        users,
        user_pools,
        decisions: table,
        rcp_decisions: rcp_table,
    }
}

fn gr_planned_reason(
    instance: &Instance,
    account: &AccountFacts,
    params: &Params,
) -> Option<String> {
    if params
        .gr_planned_instances
        .iter()
        .any(|listed| *listed == instance.id || *listed == instance.arn)
    {
        return Some("instance is listed in gr-planned-instances".to_owned());
    }
    if let Some(tag) = organization::tag_match(
        &instance.tags,
        &params.gr_planned_tag_key,
        std::slice::from_ref(&params.gr_planned_tag_value),
    ) {
        return Some(format!("instance has {tag}"));
    }
    if instance.replication.is_some() {
        return Some("instance is replicated with Global Resiliency".to_owned());
    }
    account.gr_planned_reason.clone()
}

fn decisions<'e>(
    decider: &mut Decider<'e>,
    table: &mut DecisionTable,
    account_id: &str,
    actions: &[&'e str],
    resource: &str,
) -> BTreeMap<String, DecisionRef> {
    let context = RequestContext::new();
    let question = ChainQuestion {
        account_id,
        action: "",
        resource,
        principal_arn: None,
        context: &context,
    };
    actions
        .iter()
        .zip(decisions::decide_each(decider, table, &question, actions))
        .map(|(action, id)| ((*action).to_owned(), id))
        .collect()
}

/// The SAML providers of contact-center user pools whose metadata Cognito reads from a URL
/// that was not fetched: their certificates are not assessed, which must not read as a pass.
fn unfetched_metadata(facts: &Facts) -> Vec<NotAssessed> {
    facts
        .user_pools
        .values()
        .filter(|pool| pool.contact_center)
        .flat_map(|pool| {
            pool.saml_providers
                .iter()
                .filter(|p| p.metadata_source.is_none() && p.expiry.expires_at.is_none())
                .filter_map(move |provider| {
                    let url = provider.metadata_url.as_deref()?;
                    let host = url.split("://").nth(1)?.split(['/', '?', '#']).next()?;
                    Some(NotAssessed {
                        resource: pool.arn.clone(),
                        account_name: facts.accounts.get(&pool.account_id).map(|a| a.name.clone()),
                        subject: Some(provider.name.clone()),
                        error: CollectionError {
                            account_id: Some(pool.account_id.clone()),
                            region: Some(pool.region.clone()),
                            service: "cognito-idp".to_owned(),
                            operation: "MetadataURL".to_owned(),
                            code: "NotFetched".to_owned(),
                            message: format!(
                                "the signing certificates of identity provider {} of user pool {} \
                                 are not assessed: Cognito reads its metadata from {host}, which \
                                 connect-guard fetches only with --fetch-saml-metadata-urls",
                                provider.name, pool.name
                            ),
                        },
                    })
                })
        })
        .collect()
}

fn not_assessed(
    snapshot: &Snapshot,
    accounts: &BTreeMap<String, AccountFacts>,
) -> Vec<NotAssessed> {
    let org = &snapshot.organization;
    let mut gaps: Vec<NotAssessed> = snapshot
        .scan
        .errors
        .iter()
        .map(|error| {
            let account = error.account_id.as_ref().and_then(|id| accounts.get(id));
            NotAssessed {
                resource: match (account, &error.account_id) {
                    (Some(a), _) => a.arn.clone(),
                    (None, Some(id)) => format!(
                        "arn:aws:organizations::{}:account/{}/{id}",
                        org.management_account_id, org.id
                    ),
                    (None, None) => org.arn.clone().unwrap_or_else(|| {
                        format!(
                            "arn:aws:organizations::{}:organization/{}",
                            org.management_account_id, org.id
                        )
                    }),
                },
                account_name: account.map(|a| a.name.clone()),
                subject: None,
                error: error.clone(),
            }
        })
        .collect();
    gaps.sort_by(|a, b| a.error.cmp(&b.error));
    gaps
}
