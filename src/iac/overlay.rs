//! Change impact: templates laid over a collected snapshot, so the scan shows what deploying
//! them would do to the whole organization.
//!
//! Planned resources replace the collected ones they update and are added where they are
//! new. A resource is the same one when CloudFormation would update it in place: a role,
//! SAML provider or user with the same ARN (its id and creation date are kept: an update
//! does not re-create it), a Connect instance with the same alias in the same region (its
//! real id and ARN are kept), a user pool with the same name, an Organizations policy with the
//! same name and type (its id and ARN are kept; the template's targets are added to the ones
//! it has). Nothing collected is removed: a template describes what it deploys, not what else
//! exists.

use std::collections::BTreeMap;

use super::{IacError, Planned};
use crate::finding::SourceLocation;
use crate::snapshot::{AccountResources, Snapshot};

/// The organization after deploying `planned` onto `base`, with the locations re-keyed by the
/// ARNs the planned resources take there.
pub fn overlay(
    base: &Snapshot,
    planned: &Planned,
) -> Result<(Snapshot, BTreeMap<String, SourceLocation>), IacError> {
    let mut after = base.clone();
    let mut locations = planned.locations.clone();
    let mut rename = |from: &str, to: &str| {
        if from != to
            && let Some(location) = locations.remove(from)
        {
            locations.insert(to.to_owned(), location);
        }
    };
    for (account_id, plan) in &planned.snapshot.accounts {
        if *plan == AccountResources::default() {
            // Only Organizations policies: deployed from the management account, they
            // change the organization, not the account.
            continue;
        }
        if !base
            .organization
            .accounts
            .iter()
            .any(|a| &a.id == account_id)
        {
            return Err(IacError::NotInOrganization {
                account_id: account_id.clone(),
                organization_id: base.organization.id.clone(),
            });
        }
        let resources = after.accounts.entry(account_id.clone()).or_default();
        merge_account(resources, plan, &mut rename);
    }
    for policy in planned
        .snapshot
        .organization
        .policies
        .iter()
        .filter(|p| !p.aws_managed)
    {
        match after
            .organization
            .policies
            .iter_mut()
            .find(|p| p.name == policy.name && p.policy_type == policy.policy_type)
        {
            Some(existing) => {
                if let (Some(from), Some(to)) = (&policy.arn, &existing.arn) {
                    rename(from, to);
                }
                existing.document = policy.document.clone();
                existing.size_chars = policy.size_chars;
                for target in &policy.targets {
                    if !existing.targets.iter().any(|t| t.id == target.id) {
                        existing.targets.push(target.clone());
                    }
                }
            }
            None => after.organization.policies.push(policy.clone()),
        }
    }
    // Targets the planned organization could not place are real ids here.
    let nodes: Vec<&str> = after
        .organization
        .roots
        .iter()
        .map(|r| r.id.as_str())
        .chain(after.organization.ous.iter().map(|o| o.id.as_str()))
        .chain(after.organization.accounts.iter().map(|a| a.id.as_str()))
        .collect();
    for policy in &mut after.organization.policies {
        policy.targets.retain(|t| nodes.contains(&t.id.as_str()));
    }
    after
        .scan
        .errors
        .extend(planned.snapshot.scan.errors.iter().cloned());
    Ok((after, locations))
}

fn merge_account(
    resources: &mut AccountResources,
    plan: &AccountResources,
    rename: &mut impl FnMut(&str, &str),
) {
    for role in &plan.iam.roles {
        let mut role = role.clone();
        match resources.iam.roles.iter_mut().find(|r| r.arn == role.arn) {
            Some(existing) => {
                role.id = existing.id.clone();
                role.create_date = existing.create_date;
                role.last_used = existing.last_used;
                *existing = role;
            }
            None => resources.iam.roles.push(role),
        }
    }
    for provider in &plan.iam.saml_providers {
        let mut provider = provider.clone();
        match resources
            .iam
            .saml_providers
            .iter_mut()
            .find(|p| p.arn == provider.arn)
        {
            Some(existing) => {
                provider.create_date = existing.create_date;
                provider.uuid = existing.uuid.clone();
                *existing = provider;
            }
            None => resources.iam.saml_providers.push(provider),
        }
    }
    for user in &plan.iam.users {
        let mut user = user.clone();
        match resources.iam.users.iter_mut().find(|u| u.arn == user.arn) {
            Some(existing) => {
                // The keys and password use are the user's, not the template's.
                user.id = existing.id.clone();
                user.create_date = existing.create_date;
                user.access_keys = existing.access_keys.clone();
                user.password_last_used = existing.password_last_used;
                *existing = user;
            }
            None => resources.iam.users.push(user),
        }
    }
    resources.iam.managed_policies.extend(
        plan.iam
            .managed_policies
            .iter()
            .map(|(arn, document)| (arn.clone(), document.clone())),
    );
    for (region, planned_region) in &plan.connect {
        let region_resources = resources.connect.entry(region.clone()).or_default();
        for instance in &planned_region.instances {
            let mut instance = instance.clone();
            match region_resources
                .instances
                .iter_mut()
                .find(|i| i.alias.is_some() && i.alias == instance.alias)
            {
                Some(existing) => {
                    rename(&instance.arn, &existing.arn);
                    instance.id = existing.id.clone();
                    instance.arn = existing.arn.clone();
                    instance.created_time = existing.created_time;
                    instance.replication = existing.replication.clone();
                    instance.traffic_distribution_groups =
                        existing.traffic_distribution_groups.clone();
                    *existing = instance;
                }
                None => region_resources.instances.push(instance),
            }
        }
    }
    for (region, planned_region) in &plan.cognito {
        let region_resources = resources.cognito.entry(region.clone()).or_default();
        for pool in &planned_region.user_pools {
            let mut pool = pool.clone();
            match region_resources
                .user_pools
                .iter_mut()
                .find(|p| p.name == pool.name)
            {
                Some(existing) => {
                    rename(&pool.arn, &existing.arn);
                    pool.id = existing.id.clone();
                    pool.arn = existing.arn.clone();
                    pool.creation_date = existing.creation_date;
                    *existing = pool;
                }
                None => region_resources.user_pools.push(pool),
            }
        }
    }
}
