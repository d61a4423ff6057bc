//! Merging shard snapshots of one organization into one.
//!
//! Large organizations are collected in parallel CI jobs (`collect --ou`, `--shard K/N`); each
//! shard holds the whole organization structure and the resources of its own accounts.
//! Merging refuses shards of different organizations, shards whose structure differs (taken
//! at different times), and accounts collected by two shards, and keeps every collection
//! error, so nothing is lost or counted twice.

use std::collections::BTreeSet;

use crate::snapshot::Snapshot;

/// Shards that cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("merge needs at least one snapshot")]
    Empty,
    /// Two shards describe different organizations.
    #[error("{path} belongs to organization {found}, not {expected}")]
    OtherOrganization {
        /// The shard.
        path: String,
        /// Its organization.
        found: String,
        /// The first shard's organization.
        expected: String,
    },
    /// Same organization, different structure or policies.
    #[error(
        "{path}: the organization's structure or policies differ from {first}'s (were the shards collected at different times?)"
    )]
    StructureDiffers {
        /// The shard.
        path: String,
        /// The first shard.
        first: String,
    },
    /// An account was collected by two shards.
    #[error("account {account} is in both {first} and {second}")]
    Overlap {
        /// The account.
        account: String,
        /// The shard that had it first.
        first: String,
        /// The other shard.
        second: String,
    },
}

/// Merges `(name, snapshot)` shards in order.
pub fn merge(shards: Vec<(String, Snapshot)>) -> Result<Snapshot, MergeError> {
    let mut shards = shards.into_iter();
    let (first_name, mut merged) = shards.next().ok_or(MergeError::Empty)?;
    let mut owner: std::collections::BTreeMap<String, String> = merged
        .accounts
        .keys()
        .map(|id| (id.clone(), first_name.clone()))
        .collect();
    for (name, shard) in shards {
        if shard.organization.id != merged.organization.id {
            return Err(MergeError::OtherOrganization {
                path: name,
                found: shard.organization.id,
                expected: merged.organization.id,
            });
        }
        // A scoped collection (`--ou`, `--account`) lists only its own accounts; everything
        // else about the organization must be identical.
        let mut theirs = shard.organization.clone();
        let mut ours = merged.organization.clone();
        theirs.accounts.clear();
        ours.accounts.clear();
        if theirs != ours {
            return Err(MergeError::StructureDiffers {
                path: name,
                first: first_name,
            });
        }
        for account in shard.organization.accounts {
            match merged
                .organization
                .accounts
                .iter()
                .find(|a| a.id == account.id)
            {
                Some(existing) if *existing != account => {
                    return Err(MergeError::StructureDiffers {
                        path: name,
                        first: first_name,
                    });
                }
                Some(_) => {}
                None => merged.organization.accounts.push(account),
            }
        }
        for (id, resources) in shard.accounts {
            if let Some(previous) = owner.get(&id) {
                return Err(MergeError::Overlap {
                    account: id,
                    first: previous.clone(),
                    second: name,
                });
            }
            owner.insert(id.clone(), name.clone());
            merged.accounts.insert(id, resources);
        }
        let scan = &mut merged.scan;
        scan.started_at = scan.started_at.min(shard.scan.started_at);
        scan.finished_at = match (scan.finished_at, shard.scan.finished_at) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        scan.regions.extend(shard.scan.regions);
        scan.errors.extend(shard.scan.errors);
        scan.skipped_regions.extend(shard.scan.skipped_regions);
        for (operation, calls) in shard.scan.api_calls {
            *scan.api_calls.entry(operation).or_default() += calls;
        }
    }
    merged.organization.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    let scan = &mut merged.scan;
    scan.regions = scan
        .regions
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Organization-level errors appear in every shard; keep one of each.
    scan.errors = scan
        .errors
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(merged)
}

/// Splits a snapshot's accounts into `count` deterministic shards (by account id), as
/// `collect --shard K/N` does; `index` is 1-based.
pub fn shard_accounts<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    index: usize,
    count: usize,
) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.into_iter()
        .enumerate()
        .filter(|(i, _)| count > 0 && i % count == index.saturating_sub(1))
        .map(|(_, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn split(snapshot: &Snapshot, count: usize) -> Vec<(String, Snapshot)> {
        (1..=count)
            .map(|k| {
                let keep: BTreeSet<&str> = shard_accounts(
                    snapshot.organization.accounts.iter().map(|a| a.id.as_str()),
                    k,
                    count,
                )
                .into_iter()
                .collect();
                let mut shard = snapshot.clone();
                shard.accounts.retain(|id, _| keep.contains(id.as_str()));
                shard
                    .scan
                    .errors
                    .retain(|e| e.account_id.as_deref().is_none_or(|id| keep.contains(id)));
                (format!("shard{k}.json"), shard)
            })
            .collect()
    }

    #[test]
    fn shards_partition_accounts() {
        let ids = ["3", "1", "2", "5", "4"];
        let all: Vec<&str> = (1..=2).flat_map(|k| shard_accounts(ids, k, 2)).collect();
        assert_eq!(all.len(), 5);
        assert_eq!(shard_accounts(ids, 1, 2), ["1", "3", "5"]);
    }

    #[test]
    fn merging_shards_restores_the_whole() {
        let mut whole = demo::snapshot();
        let merged = merge(split(&whole, 3)).expect("merges");
        // Merging sorts the collection errors and accounts; everything else comes back as it was.
        whole.scan.errors.sort();
        whole.organization.accounts.sort_by(|a, b| a.id.cmp(&b.id));
        assert!(merged == whole, "merged snapshot differs from the original");
    }

    #[test]
    fn overlapping_and_foreign_shards_are_refused() {
        let whole = demo::snapshot();
        let overlap = merge(vec![
            ("a.json".into(), whole.clone()),
            ("b.json".into(), whole.clone()),
        ])
        .unwrap_err();
        assert!(matches!(overlap, MergeError::Overlap { .. }), "{overlap}");
        let mut other = whole.clone();
        other.organization.id = "o-other".into();
        other.accounts.clear();
        let foreign = merge(vec![
            ("a.json".into(), whole.clone()),
            ("b.json".into(), other),
        ])
        .unwrap_err();
        assert!(
            foreign
                .to_string()
                .contains("belongs to organization o-other"),
            "{foreign}"
        );
        let mut changed = whole.clone();
        changed.organization.ous[0].name = "Renamed".into();
        changed.accounts.clear();
        let differs =
            merge(vec![("a.json".into(), whole), ("b.json".into(), changed)]).unwrap_err();
        assert!(
            matches!(differs, MergeError::StructureDiffers { .. }),
            "{differs}"
        );
        assert_eq!(merge(Vec::new()).unwrap_err(), MergeError::Empty);
    }
}
