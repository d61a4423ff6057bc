//! SCP decisions stored once and referred to by id.
//!
//! A decision depends on the SCPs over an account, the action and the resource, so every
//! instance, role and provider under the same OU usually gets the same answer. Stored inline,
//! a 10,000-account organization repeats a few hundred distinct decisions some 100,000 times,
//! and rules would check each copy. Instead, `Facts::scp_decisions` holds each distinct
//! decision once, resources refer to it by id (`"d12"`), and rules judge each decision once.

use std::collections::{BTreeMap, HashMap};

use serde::{Serialize, Serializer};

use crate::iam::ScpDecision;

/// The id of a decision in `Facts::scp_decisions`, written `d<n>` in the Rego input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecisionRef(usize);

impl Serialize for DecisionRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("d{}", self.0))
    }
}

impl std::fmt::Display for DecisionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "d{}", self.0)
    }
}

/// Distinct decisions in the order they were first seen.
#[derive(Debug, Default)]
pub(crate) struct DecisionTable {
    decisions: Vec<ScpDecision>,
    index: HashMap<ScpDecision, DecisionRef>,
}

impl DecisionTable {
    /// The id of `decision`, adding it when it is new.
    pub(crate) fn intern(&mut self, decision: ScpDecision) -> DecisionRef {
        if let Some(id) = self.index.get(&decision) {
            return *id;
        }
        let id = DecisionRef(self.decisions.len());
        self.decisions.push(decision.clone());
        self.index.insert(decision, id);
        id
    }

    /// Moves every decision of `other` into this table; returns how to rewrite `other`'s ids.
    ///
    /// Accounts are derived in parallel, each with its own table; merging the tables in
    /// account order keeps the ids deterministic.
    pub(crate) fn absorb(&mut self, other: DecisionTable) -> Remap {
        Remap(
            other
                .decisions
                .into_iter()
                .map(|decision| self.intern(decision))
                .collect(),
        )
    }

    /// The decisions by id.
    pub(crate) fn into_map(self) -> BTreeMap<DecisionRef, ScpDecision> {
        self.decisions
            .into_iter()
            .enumerate()
            .map(|(i, decision)| (DecisionRef(i), decision))
            .collect()
    }
}

/// Rewrites ids of one account's table into ids of the merged table.
pub(crate) struct Remap(Vec<DecisionRef>);

impl Remap {
    /// The merged id of a local `id`.
    pub(crate) fn apply(&self, id: &mut DecisionRef) {
        if let Some(merged) = self.0.get(id.0) {
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

    fn decision(reason: &str) -> ScpDecision {
        ScpDecision {
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
        let mut first = DecisionTable::default();
        let a = first.intern(decision("a"));
        let b = first.intern(decision("b"));
        assert_eq!(first.intern(decision("a")), a);
        assert_ne!(a, b);

        let mut second = DecisionTable::default();
        let mut b2 = second.intern(decision("b"));
        let mut c2 = second.intern(decision("c"));

        let mut merged = DecisionTable::default();
        let first_remap = merged.absorb(first);
        let second_remap = merged.absorb(second);
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
}
