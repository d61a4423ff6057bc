//! IAM policy semantics in pure Rust: parsing policy documents, matching actions and ARNs,
//! evaluating conditions, and deciding what an organization's SCPs and a principal's
//! identity policies do to a request. No AWS call is made; everything works on the snapshot.
//!
//! - [`document`] parses a policy document into statements.
//! - [`wildcard`] matches actions (case-insensitive), ARNs (`ArnLike`, per segment) and
//!   `StringLike` values, in linear time.
//! - [`condition`] evaluates `Condition` entries against a [`RequestContext`].
//! - [`chain`] evaluates the SCP and RCP chains root → OUs → account ([`ChainEvaluator`]).
//! - [`catalog`] knows every IAM action name, to catch misspelled actions.
//! - [`identity`] evaluates one principal's identity policies ([`evaluate_identity`]).
//!
//! # Three-valued logic
//!
//! connect-guard asks about requests that have not been made ("can anyone but the break-glass
//! role get an emergency-access token?"), so much of the request context is not known: the
//! caller's IP, MFA state, tags. Every context key is therefore *unknown* unless the caller
//! says it is present (with values) or absent, and conditions evaluate to a [`Tristate`]:
//! `True`, `False` or `Unknown`, combined with Kleene's rules (`False` wins an AND, `True`
//! wins an OR). A result is only `True` or `False` when no unknown key could change it, so an
//! `Unknown` is never silently reported as a pass or a failure; it carries the keys that
//! would decide it.
//!
//! AWS semantics are cited by the name of the AWS documentation page in each file.

pub mod catalog;
pub mod chain;
pub mod condition;
pub mod document;
mod document_text;
pub mod identity;
mod variables;
pub mod wildcard;

#[cfg(test)]
mod proptests;

pub use catalog::{ActionCatalog, ActionStatus};
pub use chain::{
    AllowPath, AttachedPolicy, ChainDecision, ChainEvaluator, ChainQuestion, Decision,
    DecisionCache, ExceptionCondition, ExceptionSet, PolicyKind, StatementRef,
};
pub use condition::{
    Evaluation, Lookup, RequestContext, Tristate, evaluate, evaluate_all, evaluate_all_with,
    evaluate_detailed, evaluate_with, is_negated_operator,
};
pub use document::{
    ActionSpec, Condition, Effect, PolicyDocument, PolicyParseError, PrincipalSpec, Principals,
    ResourceSpec, SetQualifier, Statement,
};
pub use identity::{GrantRef, IdentityDecision, NamedDocument, evaluate_identity};
pub use wildcard::{action_matches, arn_matches, string_like};
