//! What decides a question before it is rendered: the statements that apply, pointing into
//! the evaluator, and the cache that renders each distinct draft once.

use rustc_hash::FxHashMap;

use super::{Attachment, ChainDecision, ChainEvaluator, ChainQuestion, ParsedScp, StatementRef};
use crate::iam::document::{Condition, Statement};

/// What decides a question, pointing into the evaluator instead of copying out of it.
///
/// Everything a [`ChainDecision`] says is rendered from its draft, so questions with equal
/// drafts have equal decisions: a large organization asks some 150,000 questions that have a
/// few hundred distinct answers, and a [`DecisionCache`] renders each distinct one once
/// (spelling out reasons and copying statement references was half of a decision's cost).
#[derive(PartialEq, Eq, Hash)]
pub(super) enum Draft<'e> {
    /// The policies do not apply, or cannot be evaluated, for a reason of the question's.
    Exempt(Exemption<'e>),
    /// The statements that apply to the action.
    Judged {
        action: &'e str,
        denies: Denies<'e>,
        allows: Allows<'e>,
    },
}

/// Why the policies are not evaluated for a question.
#[derive(PartialEq, Eq, Hash)]
pub(super) enum Exemption<'e> {
    /// The policy type is not enabled on the root.
    NotEnabled,
    /// The account is the organization's management account.
    ManagementAccount,
    /// The principal is a service-linked role.
    ServiceLinkedRole,
    /// RCPs do not cover this service.
    NotCovered(&'e str),
    /// Whether RCPs cover this service is not known.
    CoverageUnknown(&'e str),
    /// The account is not in the organization snapshot.
    NotInSnapshot(String),
}

/// Renders each distinct way questions to one evaluator are decided once.
///
/// `store` turns a newly rendered decision into what the caller keeps (the facts keep it
/// shared, with its hash); asking again hands out a clone of that.
pub struct DecisionCache<'e, T> {
    evaluator: &'e ChainEvaluator,
    rendered: FxHashMap<Draft<'e>, T>,
    index: StatementIndex<'e>,
}

/// The statements naming each action at each attachment list asked about, as
/// [`ChainEvaluator::naming`] finds them.
#[derive(Default)]
pub(super) struct StatementIndex<'e> {
    /// Keyed by the action's address, not its text: the facts ask with the same constant
    /// strings again and again, and an action spelled at two addresses is merely indexed
    /// twice.
    pub(super) naming: FxHashMap<Naming<'e>, Vec<Located<'e>>>,
}

/// An attachment list and an action, both by address.
type Naming<'e> = (ById<'e, Vec<Attachment>>, ById<'e, str>);

impl<'e, T: Clone> DecisionCache<'e, T> {
    /// An empty cache for questions to `evaluator`.
    pub fn new(evaluator: &'e ChainEvaluator) -> Self {
        Self {
            evaluator,
            rendered: FxHashMap::default(),
            index: StatementIndex::default(),
        }
    }

    /// [`ChainEvaluator::decide_each`], each decision passed through `store` the first time
    /// it is met.
    pub fn decide_each(
        &mut self,
        question: &ChainQuestion<'_>,
        actions: &[&'e str],
        mut store: impl FnMut(ChainDecision) -> T,
    ) -> Vec<T> {
        let evaluator = self.evaluator;
        let mut context = None;
        actions
            .iter()
            .map(|action| {
                let draft = evaluator.draft(question, action, &mut context, &mut self.index);
                if let Some(kept) = self.rendered.get(&draft) {
                    return kept.clone();
                }
                let kept = store(evaluator.render(&draft));
                self.rendered.insert(draft, kept.clone());
                kept
            })
            .collect()
    }
}

/// A statement where it applies: the node of the chain and the attachment it came through.
///
/// Compared by identity: the attachment (which names the node and the policy) and the
/// statement are each stored once in the evaluator.
#[derive(Clone, Copy)]
pub(super) struct Located<'a> {
    pub(super) node: &'a String,
    pub(super) attachment: &'a Attachment,
    pub(super) policy: &'a ParsedScp,
    pub(super) statement: &'a Statement,
}

impl Located<'_> {
    pub(super) fn reference(&self) -> StatementRef {
        StatementRef {
            policy_id: self.policy.id.clone(),
            policy_name: self.policy.name.clone(),
            sid: self.statement.sid.clone(),
            statement_index: self.statement.index,
            target_id: self.node.clone(),
            target_type: self.attachment.target_type.clone(),
        }
    }
}

impl PartialEq for Located<'_> {
    fn eq(&self, other: &Self) -> bool {
        (ById(self.attachment), ById(self.statement))
            == (ById(other.attachment), ById(other.statement))
    }
}

impl Eq for Located<'_> {}

impl std::hash::Hash for Located<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (ById(self.attachment), ById(self.statement)).hash(state);
    }
}

/// A reference into the evaluator compared by identity: what it points to is stored once.
#[derive(Clone, Copy)]
pub(super) struct ById<'a, T: ?Sized>(pub(super) &'a T);

impl<T: ?Sized> PartialEq for ById<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl<T: ?Sized> Eq for ById<'_, T> {}

impl<T: ?Sized> std::hash::Hash for ById<'_, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

#[derive(Default, PartialEq, Eq, Hash)]
pub(super) struct Denies<'e> {
    pub(super) outright: Vec<Located<'e>>,
    /// Denies with principal exceptions, and those exceptions.
    pub(super) except: Vec<(Located<'e>, Vec<ById<'e, Condition>>)>,
    /// Denies that depend on the context keys beside them.
    pub(super) undecided: Vec<(Located<'e>, Vec<String>)>,
}

/// The Allow side of the chain; nodes are compared by name (each account's chain is a list
/// of its own).
#[derive(Default, PartialEq, Eq, Hash)]
pub(super) struct Allows<'e> {
    pub(super) missing_at: Vec<&'e str>,
    pub(super) unknown_at: Vec<&'e str>,
    /// Allows that depend on the context keys beside them.
    pub(super) open: Vec<(Located<'e>, Vec<String>)>,
}
