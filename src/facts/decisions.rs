//! SCP and RCP decisions stored once and referred to by id.
//!
//! A decision depends on the policies over an account, the action and the resource, so every
//! instance, role and provider under the same OU usually gets the same answer. Stored inline,
//! a 10,000-account organization repeats a few hundred distinct decisions some 100,000 times,
//! and rules would check each copy. Instead, `Facts::scp_decisions` holds each distinct SCP
//! decision once and `Facts::rcp_decisions` each RCP decision, resources refer to them by id
//! (`"d12"` for SCPs, `"r3"` for RCPs), and rules judge each decision once.

use std::collections::BTreeMap;
use std::hash::BuildHasher as _;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use serde::{Serialize, Serializer};

use crate::iam::{ChainDecision, ChainQuestion, DecisionCache, PolicyKind};

/// The id of a decision: `d<n>` in `Facts::scp_decisions`, `r<n>` in `Facts::rcp_decisions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecisionRef {
    kind: PolicyKind,
    index: usize,
}

impl Serialize for DecisionRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for DecisionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prefix = match self.kind {
            PolicyKind::ServiceControl => 'd',
            PolicyKind::ResourceControl => 'r',
        };
        write!(f, "{prefix}{}", self.index)
    }
}

/// A decision with its hash, shared between the tables of the accounts it occurs in.
#[derive(Debug, Clone)]
pub(crate) struct SharedDecision {
    decision: Arc<ChainDecision>,
    hash: u64,
}

impl SharedDecision {
    /// Hashes `decision` once, for every table it will enter.
    pub(crate) fn new(decision: ChainDecision) -> Self {
        let hash = FxBuildHasher.hash_one(&decision);
        Self {
            decision: Arc::new(decision),
            hash,
        }
    }

    /// The decision.
    pub(crate) fn decision(&self) -> &ChainDecision {
        &self.decision
    }
}

/// Decisions of one evaluator, each distinct one rendered and hashed once however many
/// accounts it occurs in: a worker keeps one while it derives a run of accounts.
pub(crate) type Decider<'e> = DecisionCache<'e, SharedDecision>;

/// The ids in `table` of what the policies decide about each of `actions` (the question's
/// own action is not read).
pub(crate) fn decide_each<'e>(
    decider: &mut Decider<'e>,
    table: &mut DecisionTable,
    question: &ChainQuestion<'_>,
    actions: &[&'e str],
) -> Vec<DecisionRef> {
    decider
        .decide_each(question, actions, SharedDecision::new)
        .iter()
        .map(|shared| table.intern_shared(shared))
        .collect()
}

/// Distinct decisions of one policy kind in the order they were first seen.
///
/// Each decision's hash is computed once, when it first enters a table, and kept beside it:
/// merging 10,000 account tables then compares stored hashes instead of hashing every
/// decision (a struct of strings and lists) again on the one thread the merge runs on.
#[derive(Debug)]
pub(crate) struct DecisionTable {
    kind: PolicyKind,
    /// Shared with the [`Decider`] that rendered them and the other accounts' tables.
    decisions: Vec<Arc<ChainDecision>>,
    hashes: Vec<u64>,
    /// Positions in `decisions`, by their hash.
    index: HashTable<usize>,
}

impl DecisionTable {
    /// An empty table for decisions of `kind`.
    pub(crate) fn new(kind: PolicyKind) -> Self {
        Self {
            kind,
            decisions: Vec::new(),
            hashes: Vec::new(),
            index: HashTable::new(),
        }
    }

    /// The id of `decision`, adding it when it is new.
    pub(crate) fn intern(&mut self, decision: ChainDecision) -> DecisionRef {
        self.intern_shared(&SharedDecision::new(decision))
    }

    /// The id of a shared decision, adding it when it is new.
    pub(crate) fn intern_shared(&mut self, shared: &SharedDecision) -> DecisionRef {
        let index = match self.find(shared.hash, &shared.decision) {
            Some(index) => index,
            None => self.insert(shared.hash, Arc::clone(&shared.decision)),
        };
        self.id(index)
    }

    /// Adds every decision of `other` that is new here; returns how to rewrite `other`'s ids.
    ///
    /// Accounts are derived in parallel, each with its own table; merging the tables in
    /// account order keeps the ids deterministic.
    pub(crate) fn absorb(&mut self, other: &DecisionTable) -> Remap {
        debug_assert_eq!(self.kind, other.kind);
        Remap(
            other
                .decisions
                .iter()
                .zip(&other.hashes)
                .map(|(decision, &hash)| {
                    let index = match self.find(hash, decision) {
                        Some(index) => index,
                        None => self.insert(hash, Arc::clone(decision)),
                    };
                    self.id(index)
                })
                .collect(),
        )
    }

    /// Merges the tables of every account, in account order: a decision's id is that of its
    /// first occurrence. Returns the merged table and how to rewrite each table's ids.
    ///
    /// Merging one table after the other compared every decision with its match in full (a
    /// struct of strings and lists), 10,000 accounts on one thread. Here the ids are assigned
    /// by stored hash alone on one thread, and that equal hashes hold equal decisions is
    /// checked afterwards on the pool; should two different decisions ever share a hash, the
    /// tables are merged again one after the other, comparing in full.
    pub(crate) fn merge(kind: PolicyKind, tables: &[&DecisionTable]) -> (Self, Vec<Remap>) {
        use rayon::prelude::*;
        use rustc_hash::FxHashMap;

        let mut merged = DecisionTable::new(kind);
        let mut by_hash: FxHashMap<u64, usize> = FxHashMap::default();
        let mut remaps = Vec::with_capacity(tables.len());
        for table in tables {
            debug_assert_eq!(table.kind, kind);
            let mut ids = Vec::with_capacity(table.decisions.len());
            for (decision, &hash) in table.decisions.iter().zip(&table.hashes) {
                let index = match by_hash.get(&hash) {
                    Some(&index) => index,
                    None => {
                        let index = merged.insert(hash, Arc::clone(decision));
                        by_hash.insert(hash, index);
                        index
                    }
                };
                ids.push(merged.id(index));
            }
            remaps.push(Remap(ids));
        }
        let same = tables.par_iter().zip(&remaps).all(|(table, remap)| {
            table.decisions.iter().zip(&remap.0).all(|(decision, id)| {
                merged
                    .decisions
                    .get(id.index)
                    .is_some_and(|m| same_decision(m, decision))
            })
        });
        if same {
            return (merged, remaps);
        }
        let mut exact = DecisionTable::new(kind);
        let remaps = tables.iter().map(|table| exact.absorb(table)).collect();
        (exact, remaps)
    }

    fn id(&self, index: usize) -> DecisionRef {
        DecisionRef {
            kind: self.kind,
            index,
        }
    }

    /// The position of `decision`, whose hash is `hash`.
    fn find(&self, hash: u64, decision: &Arc<ChainDecision>) -> Option<usize> {
        self.index
            .find(hash, |&i| {
                self.hashes[i] == hash && same_decision(&self.decisions[i], decision)
            })
            .copied()
    }

    /// Stores a decision that [`Self::find`] did not find; returns its position.
    fn insert(&mut self, hash: u64, decision: Arc<ChainDecision>) -> usize {
        let position = self.decisions.len();
        self.decisions.push(decision);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.index.insert_unique(hash, position, |&i| hashes[i]);
        position
    }

    /// The decisions by id.
    pub(crate) fn into_map(self) -> BTreeMap<DecisionRef, ChainDecision> {
        let kind = self.kind;
        self.decisions
            .into_iter()
            .enumerate()
            .map(|(index, decision)| {
                let id = DecisionRef { kind, index };
                (id, Arc::unwrap_or_clone(decision))
            })
            .collect()
    }
}

/// Whether two decisions are equal; one rendered by the same [`Decider`] is the same value.
fn same_decision(a: &Arc<ChainDecision>, b: &Arc<ChainDecision>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// Rewrites ids of one account's table into ids of the merged table.
pub(crate) struct Remap(Vec<DecisionRef>);

impl Remap {
    /// The merged id of a local `id`.
    pub(crate) fn apply(&self, id: &mut DecisionRef) {
        if let Some(merged) = self.0.get(id.index) {
            *id = *merged;
        }
    }

    /// Rewrites every id in an `action → decision` map.
    pub(crate) fn apply_all(&self, decisions: &mut BTreeMap<String, DecisionRef>) {
        decisions.values_mut().for_each(|id| self.apply(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{AllowPath, Decision};

    fn decision(reason: &str) -> ChainDecision {
        ChainDecision {
            decision: Decision::NotDenied,
            reason: reason.to_owned(),
            deciding: Vec::new(),
            exception_sets: Vec::new(),
            unknown_keys: Vec::new(),
            allow_path: AllowPath::default(),
        }
    }

    #[test]
    fn equal_decisions_share_an_id_across_merged_tables() {
        let mut first = DecisionTable::new(PolicyKind::ServiceControl);
        let a = first.intern(decision("a"));
        let b = first.intern(decision("b"));
        assert_eq!(first.intern(decision("a")), a);
        assert_ne!(a, b);

        let mut second = DecisionTable::new(PolicyKind::ServiceControl);
        let mut b2 = second.intern(decision("b"));
        let mut c2 = second.intern(decision("c"));

        let mut merged = DecisionTable::new(PolicyKind::ServiceControl);
        let first_remap = merged.absorb(&first);
        let second_remap = merged.absorb(&second);
        let (mut a1, mut b1) = (a, b);
        first_remap.apply(&mut a1);
        first_remap.apply(&mut b1);
        second_remap.apply(&mut b2);
        second_remap.apply(&mut c2);
        assert_eq!(b1, b2, "the same decision from two accounts gets one id");
        let map = merged.into_map();
        assert_eq!(map.len(), 3);
        assert_eq!(map[&a1].reason, "a");
        assert_eq!(map[&c2].reason, "c");
        assert_eq!(serde_json::to_string(&c2).unwrap(), "\"d2\"");
    }

    #[test]
    fn merging_all_tables_at_once_gives_the_ids_of_merging_one_after_the_other() {
        let kind = PolicyKind::ServiceControl;
        let mut tables = Vec::new();
        for reasons in [&["a", "b"][..], &["b", "c", "a"], &[], &["d", "c"]] {
            let mut table = DecisionTable::new(kind);
            for reason in reasons {
                table.intern(decision(reason));
            }
            tables.push(table);
        }
        let tables: Vec<&DecisionTable> = tables.iter().collect();
        let (merged, remaps) = DecisionTable::merge(kind, &tables);
        let mut one_by_one = DecisionTable::new(kind);
        let expected: Vec<Remap> = tables.iter().map(|t| one_by_one.absorb(t)).collect();
        assert_eq!(
            remaps.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            expected.iter().map(|r| r.0.clone()).collect::<Vec<_>>()
        );
        assert_eq!(merged.decisions, one_by_one.decisions);
        assert_eq!(merged.decisions.len(), 4);
    }

    #[test]
    fn decisions_sharing_a_hash_keep_ids_of_their_own() {
        let kind = PolicyKind::ServiceControl;
        let mut first = DecisionTable::new(kind);
        first.intern(decision("a"));
        let mut second = DecisionTable::new(kind);
        second.intern(decision("b"));
        // As if "b" hashed like "a": the merge must not take one for the other.
        second.hashes[0] = first.hashes[0];
        let (merged, remaps) = DecisionTable::merge(kind, &[&first, &second]);
        assert_eq!(merged.decisions.len(), 2);
        assert_ne!(remaps[0].0[0], remaps[1].0[0]);
        assert_eq!(merged.decisions[remaps[1].0[0].index].reason, "b");
    }

    #[test]
    fn rcp_ids_are_written_apart_from_scp_ids() {
        let mut table = DecisionTable::new(PolicyKind::ResourceControl);
        table.intern(decision("a"));
        let b = table.intern(decision("b"));
        assert_eq!(b.to_string(), "r1");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"r1\"");
    }
}
