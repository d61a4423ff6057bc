//! Facts about the organization tree: OU paths, production and Global Resiliency intent.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::params::Params;
use crate::snapshot::{Account, Snapshot, Tags};

/// What rules need to know about an account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountFacts {
    /// Account id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Account ARN (built from the organization when the snapshot has none).
    pub arn: String,
    /// Organizations state, e.g. `ACTIVE`.
    pub state: String,
    /// Names from the root down to the account's parent, e.g. `Root/Prod/Prod-US`.
    pub ou_path: String,
    /// True for the management account, where SCPs and RCPs never apply.
    pub is_management: bool,
    /// Why the account counts as production, if it does.
    pub production_reason: Option<String>,
    /// Why the account's instances count as planned for Global Resiliency, if they do.
    pub gr_planned_reason: Option<String>,
}

/// Names of roots and OUs by id, to turn ancestry chains into readable paths.
pub(crate) struct Tree<'a> {
    names: BTreeMap<&'a str, &'a str>,
}

impl<'a> Tree<'a> {
    pub(crate) fn new(snapshot: &'a Snapshot) -> Self {
        let org = &snapshot.organization;
        let names = org
            .roots
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .chain(org.ous.iter().map(|ou| (ou.id.as_str(), ou.name.as_str())))
            .collect();
        Self { names }
    }

    /// `Root/Prod/Prod-US` for an account whose ancestry is `[r-…, ou-prod, ou-us, acct]`.
    pub(crate) fn path(&self, account: &Account) -> String {
        let parents = &account.ancestry[..account.ancestry.len().saturating_sub(1)];
        parents
            .iter()
            .map(|id| self.names.get(id.as_str()).copied().unwrap_or(id.as_str()))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The first OU in the account's ancestry whose id or name is listed, if any.
    pub(crate) fn listed_ou<'p>(&self, account: &Account, listed: &'p [String]) -> Option<&'p str> {
        account.ancestry.iter().find_map(|id| {
            let name = self.names.get(id.as_str())?;
            listed
                .iter()
                .find(|entry| *entry == id || entry.as_str() == *name)
                .map(String::as_str)
        })
    }
}

/// `key=value` when `tags` carries `key` with one of `values` (case-insensitive values).
pub(crate) fn tag_match(tags: &Tags, key: &str, values: &[String]) -> Option<String> {
    let value = tags.get(key)?;
    values
        .iter()
        .any(|v| v.eq_ignore_ascii_case(value))
        .then(|| format!("tag {key}={value}"))
}

pub(crate) fn account_facts(
    snapshot: &Snapshot,
    tree: &Tree<'_>,
    params: &Params,
) -> Vec<AccountFacts> {
    let org = &snapshot.organization;
    // Ten thousand accounts' OU paths and reasons: on the pool.
    snapshot
        .organization
        .accounts
        .par_iter()
        .map(|account| {
            let production_reason = tree
                .listed_ou(account, &params.production_ous)
                .map(|ou| format!("account is in OU {ou}"))
                .or_else(|| {
                    tag_match(
                        &account.tags,
                        &params.production_tag_key,
                        &params.production_tag_values,
                    )
                    .map(|t| format!("account has {t}"))
                });
            let gr_planned_reason = tree
                .listed_ou(account, &params.gr_planned_ous)
                .map(|ou| format!("account is in OU {ou}, listed in gr-planned-ous"));
            AccountFacts {
                id: account.id.clone(),
                name: account.name.clone(),
                arn: account.arn.clone().unwrap_or_else(|| {
                    format!(
                        "arn:aws:organizations::{}:account/{}/{}",
                        org.management_account_id, org.id, account.id
                    )
                }),
                state: account.state.clone(),
                ou_path: tree.path(account),
                is_management: account.id == org.management_account_id,
                production_reason,
                gr_planned_reason,
            }
        })
        .collect()
}
