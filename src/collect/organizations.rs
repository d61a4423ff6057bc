//! Organizations: the tree (roots, OUs, accounts) and every SCP and RCP with its targets.
//!
//! Calls, all from the caller's account (management or delegated administrator):
//! `DescribeOrganization`; `ListRoots` (enabled policy types come from the root, not from the
//! deprecated `AvailablePolicyTypes`); breadth-first `ListOrganizationalUnitsForParent` and
//! `ListAccountsForParent` per node; per policy type `ListPolicies`, then per policy
//! `DescribePolicy`, `ListTargetsForPolicy` and `ListTagsForResource`. That is cheaper than
//! `ListPoliciesForTarget` per node (DOMAIN.md §2.1). Every list follows `NextToken` until it
//! is absent, empty pages included (the SDK paginators do).
//!
//! Only the first calls are fatal: if the caller cannot describe the organization or list its
//! roots, it is not the management account or a delegated administrator and nothing useful
//! can be collected. A failure further down the tree is recorded and the walk goes on.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::PolicyType;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::Recorder;
use super::errors::{CallSite, code_of, is_access_denied};
use crate::snapshot::{
    Account, CollectionError, OrgPolicy, Organization, OrganizationalUnit, PolicyTarget,
    PolicyTypeStatus, Root, Tags,
};

/// Why the organization could not be read at all.
#[derive(Debug)]
pub(crate) enum OrgFailure {
    /// The caller's account is not in an organization.
    NotInOrganization,
    /// The caller may not read the organization: not the management account, and not a
    /// delegated administrator. Carries the management account id when known.
    NotAdministrator {
        /// The error AWS returned.
        error: CollectionError,
        /// The management account, from `DescribeOrganization`.
        management_account_id: Option<String>,
    },
    /// Any other failure of the first calls.
    Other(CollectionError),
}

/// Reads the organization. Accounts are returned whatever their state, each with its
/// ancestry `[root, ou…, account]`; tags are left empty (they are read per account, in
/// parallel, by the caller of this function).
pub(crate) async fn collect_organization(
    client: &Client,
    recorder: &Recorder,
    concurrency: usize,
) -> Result<Organization, OrgFailure> {
    let site = CallSite::global(None, "organizations", "DescribeOrganization");
    let described = client.describe_organization().send().await.map_err(|e| {
        let error = site.sdk_error(&e);
        match code_of(&e) {
            Some("AWSOrganizationsNotInUseException") => OrgFailure::NotInOrganization,
            Some(code) if is_access_denied(code) => OrgFailure::NotAdministrator {
                error,
                management_account_id: None,
            },
            _ => OrgFailure::Other(error),
        }
    })?;
    let org = described.organization();
    let management_account_id = org
        .and_then(|o| o.master_account_id())
        .unwrap_or_default()
        .to_owned();

    // ListRoots is the first call a plain member account is refused.
    let site = CallSite::global(None, "organizations", "ListRoots");
    let roots: Vec<Root> = client
        .list_roots()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| {
            let error = site.sdk_error(&e);
            if code_of(&e).is_some_and(is_access_denied) {
                OrgFailure::NotAdministrator {
                    error,
                    management_account_id: Some(management_account_id.clone()),
                }
            } else {
                OrgFailure::Other(error)
            }
        })?
        .iter()
        .flat_map(|page| page.roots())
        .map(|root| Root {
            id: root.id().unwrap_or_default().to_owned(),
            arn: root.arn().map(str::to_owned),
            name: root.name().unwrap_or("Root").to_owned(),
            policy_types: root
                .policy_types()
                .iter()
                .map(|t| PolicyTypeStatus {
                    policy_type: t
                        .r#type()
                        .map(|t| t.as_str())
                        .unwrap_or_default()
                        .to_owned(),
                    status: t
                        .status()
                        .map(|s| s.as_str())
                        .unwrap_or_default()
                        .to_owned(),
                })
                .collect(),
        })
        .collect();

    let (ous, accounts) = walk_tree(client, recorder, &roots).await;
    let policies = collect_policies(client, recorder, concurrency).await;

    Ok(Organization {
        id: org.and_then(|o| o.id()).unwrap_or_default().to_owned(),
        arn: org.and_then(|o| o.arn()).map(str::to_owned),
        feature_set: org
            .and_then(|o| o.feature_set())
            .map(|f| f.as_str().to_owned())
            .unwrap_or_else(|| "ALL".to_owned()),
        management_account_id,
        roots,
        ous,
        accounts,
        policies,
    })
}

/// Breadth-first walk from the roots: every OU and every account, with ancestry.
async fn walk_tree(
    client: &Client,
    recorder: &Recorder,
    roots: &[Root],
) -> (Vec<OrganizationalUnit>, Vec<Account>) {
    let mut ous = Vec::new();
    let mut accounts = Vec::new();
    // Ancestry of each node, root first, the node itself last.
    let mut chains: HashMap<String, Vec<String>> = HashMap::new();
    let mut queue: std::collections::VecDeque<String> = roots
        .iter()
        .map(|root| {
            chains.insert(root.id.clone(), vec![root.id.clone()]);
            root.id.clone()
        })
        .collect();

    while let Some(parent_id) = queue.pop_front() {
        let chain = chains.get(&parent_id).cloned().unwrap_or_default();
        let site = CallSite::global(None, "organizations", "ListOrganizationalUnitsForParent");
        match client
            .list_organizational_units_for_parent()
            .parent_id(&parent_id)
            .into_paginator()
            .send()
            .try_collect()
            .await
        {
            Ok(pages) => {
                for ou in pages.iter().flat_map(|p| p.organizational_units()) {
                    let id = ou.id().unwrap_or_default().to_owned();
                    let mut child_chain = chain.clone();
                    child_chain.push(id.clone());
                    chains.insert(id.clone(), child_chain);
                    queue.push_back(id.clone());
                    ous.push(OrganizationalUnit {
                        id,
                        arn: ou.arn().map(str::to_owned),
                        name: ou.name().unwrap_or_default().to_owned(),
                        parent_id: parent_id.clone(),
                    });
                }
            }
            Err(e) => recorder.record(with_resource(site.sdk_error(&e), &parent_id)),
        }

        let site = CallSite::global(None, "organizations", "ListAccountsForParent");
        match client
            .list_accounts_for_parent()
            .parent_id(&parent_id)
            .into_paginator()
            .send()
            .try_collect()
            .await
        {
            Ok(pages) => {
                for account in pages.iter().flat_map(|p| p.accounts()) {
                    let id = account.id().unwrap_or_default().to_owned();
                    let mut ancestry = chain.clone();
                    ancestry.push(id.clone());
                    // `State` replaces the retiring `Status`; moto and older endpoints may
                    // only send `Status`, whose values are a subset of `State`'s.
                    let state = account
                        .state()
                        .map(|s| s.as_str().to_owned())
                        .or_else(|| account.status().map(|s| s.as_str().to_owned()))
                        .unwrap_or_else(|| "UNKNOWN".to_owned());
                    accounts.push(Account {
                        id,
                        arn: account.arn().map(str::to_owned),
                        name: account.name().unwrap_or_default().to_owned(),
                        email: account.email().map(str::to_owned),
                        state,
                        parent_id: parent_id.clone(),
                        joined_method: account.joined_method().map(|m| m.as_str().to_owned()),
                        ancestry,
                        tags: Tags::new(),
                    });
                }
            }
            Err(e) => recorder.record(with_resource(site.sdk_error(&e), &parent_id)),
        }
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    (ous, accounts)
}

/// Names the tree node in an organization-level error, which has no account of its own.
fn with_resource(mut error: CollectionError, node: &str) -> CollectionError {
    error.message = format!("{node}: {}", error.message);
    error
}

/// Every SCP and RCP with its document, targets and tags.
async fn collect_policies(
    client: &Client,
    recorder: &Recorder,
    concurrency: usize,
) -> Vec<OrgPolicy> {
    let mut summaries = Vec::new();
    for policy_type in [
        PolicyType::ServiceControlPolicy,
        PolicyType::ResourceControlPolicy,
    ] {
        let site = CallSite::global(None, "organizations", "ListPolicies");
        match client
            .list_policies()
            .filter(policy_type.clone())
            .into_paginator()
            .send()
            .try_collect()
            .await
        {
            Ok(pages) => summaries.extend(pages.iter().flat_map(|p| p.policies()).cloned()),
            Err(e) => {
                // A policy type that is not enabled, or not offered in this partition, is
                // not an error worth a finding of its own: the root says it is disabled.
                if code_of(&e) != Some("PolicyTypeNotEnabledException") {
                    recorder.record(with_resource(site.sdk_error(&e), policy_type.as_str()));
                }
            }
        }
    }

    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for (index, summary) in summaries.into_iter().enumerate() {
        let client = client.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.ok();
            (index, collect_policy(&client, summary).await)
        });
    }
    let mut policies = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, (policy, errors))) => {
                for error in errors {
                    recorder.record(error);
                }
                if let Some(policy) = policy {
                    policies.insert(index, policy);
                }
            }
            Err(join_error) => recorder.record(
                CallSite::global(None, "organizations", "DescribePolicy")
                    .error("InternalError", &join_error.to_string()),
            ),
        }
    }
    policies.into_values().collect()
}

/// One policy: `DescribePolicy`, `ListTargetsForPolicy`, and tags for customer policies.
async fn collect_policy(
    client: &Client,
    summary: aws_sdk_organizations::types::PolicySummary,
) -> (Option<OrgPolicy>, Vec<CollectionError>) {
    let mut errors = Vec::new();
    let id = summary.id().unwrap_or_default().to_owned();
    let aws_managed = summary.aws_managed();
    let site = CallSite::global(None, "organizations", "DescribePolicy");
    let content = match client.describe_policy().policy_id(&id).send().await {
        Ok(output) => output
            .policy()
            .and_then(|p| p.content())
            .unwrap_or_default()
            .to_owned(),
        Err(e) => {
            // Without its document a policy says nothing; leave it out and say so.
            errors.push(with_resource(site.sdk_error(&e), &id));
            return (None, errors);
        }
    };
    // Organizations returns `Content` as plain JSON. A document that does not parse (AWS
    // rejects those, emulators accept them) is kept as the raw string for rules to report.
    let document = serde_json::from_str(&content)
        .unwrap_or_else(|_| serde_json::Value::String(content.clone()));

    let site = CallSite::global(None, "organizations", "ListTargetsForPolicy");
    let targets = match client
        .list_targets_for_policy()
        .policy_id(&id)
        .into_paginator()
        .send()
        .try_collect()
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.targets())
            .map(|t| PolicyTarget {
                id: t.target_id().unwrap_or_default().to_owned(),
                target_type: t
                    .r#type()
                    .map(|t| t.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                name: t.name().map(str::to_owned),
            })
            .collect(),
        Err(e) => {
            // Without targets the policy would look detached, a silent pass for every
            // Deny it holds: record it.
            errors.push(with_resource(site.sdk_error(&e), &id));
            Vec::new()
        }
    };

    // AWS-managed policies (FullAWSAccess) cannot be tagged; skip the call.
    let tags = if aws_managed {
        Tags::new()
    } else {
        match list_tags(client, &id).await {
            Ok(tags) => tags,
            Err(error) => {
                errors.push(with_resource(error, &id));
                Tags::new()
            }
        }
    };

    let policy = OrgPolicy {
        id,
        arn: summary.arn().map(str::to_owned),
        name: summary.name().unwrap_or_default().to_owned(),
        description: summary
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        policy_type: summary
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_owned(),
        aws_managed,
        size_chars: content.chars().count(),
        document,
        targets,
        tags,
    };
    (Some(policy), errors)
}

/// Tags of an account, OU, root or policy.
pub(crate) async fn list_tags(client: &Client, resource_id: &str) -> Result<Tags, CollectionError> {
    let site = CallSite::global(None, "organizations", "ListTagsForResource");
    let pages = client
        .list_tags_for_resource()
        .resource_id(resource_id)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| site.sdk_error(&e))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.tags())
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect())
}
