//! The rule engine: loads Rego policies and evaluates them with regorus.
//!
//! Built-in policies are embedded at build time ([`source`]); `--policies DIR` adds a user's
//! own. Each rule runs in its own engine holding the helper libraries and that one rule, so a
//! rule that fails to load or evaluate (syntax error, runtime error, wrong result shape, time
//! limit) becomes an error naming its file and line while every other rule still reports.

mod diagnostic;
pub mod docs;
mod evaluate;
pub mod extensions;
pub mod metadata;
mod recursion;
pub mod source;
pub mod testing;
pub mod value;

use std::collections::BTreeSet;
use std::path::PathBuf;

pub use evaluate::{EvalOptions, Evaluation, RawFinding, evaluate};
pub use metadata::{Basis, RuleKind, RuleMetadata, Source};
pub use source::{PolicySource, SourceError, SourceKind};

/// A loaded rule: its validated metadata, its source and the engine it was parsed into.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What the rule declares about itself.
    pub metadata: RuleMetadata,
    /// The Rego file.
    pub source: PolicySource,
    /// The helper libraries and this rule, parsed once when the rule loads.
    compiled: CompiledRule,
}

/// An engine holding the parsed libraries and one rule, without the registered functions or
/// `data.config` (added to a clone when the rule is evaluated). Cloning shares the parsed
/// modules: a rule parsed for its metadata is not parsed again to run.
#[derive(Clone)]
struct CompiledRule(regorus::Engine);

impl CompiledRule {
    fn engine(&self) -> &regorus::Engine {
        &self.0
    }
}

impl std::fmt::Debug for CompiledRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parsed modules are too large to print.
        f.write_str("CompiledRule")
    }
}

impl Rule {
    /// Path of the rule's `deny` set, e.g. `data.rules.federation.x.deny`.
    pub fn deny_path(&self) -> String {
        format!("data.{}.deny", self.source.package)
    }
}

/// Every policy file of a scan, sorted into rules, libraries and tests.
#[derive(Debug, Default)]
pub struct PolicySet {
    /// Helper libraries, loaded into every rule's engine.
    pub libraries: Vec<PolicySource>,
    /// Rules, sorted by id.
    pub rules: Vec<Rule>,
    /// Test files.
    pub tests: Vec<PolicySource>,
    /// Files or rules that could not be loaded. The scan reports them and carries on.
    pub errors: Vec<SourceError>,
}

impl PolicySet {
    /// Loads the built-in policies (unless `builtin` is false) and every directory in `dirs`.
    /// Only an unreadable directory is fatal; broken files become [`PolicySet::errors`].
    pub fn load(builtin: bool, dirs: &[PathBuf]) -> Result<Self, SourceError> {
        let mut loaded = if builtin {
            source::builtin_sources()
        } else {
            source::Loaded::default()
        };
        for dir in dirs {
            let extra = source::directory_sources(dir)?;
            loaded.sources.extend(extra.sources);
            loaded.errors.extend(extra.errors);
        }
        Ok(Self::from_sources(loaded.sources, loaded.errors))
    }

    /// Sorts sources into rules, libraries and tests, and validates each rule's metadata.
    pub fn from_sources(sources: Vec<PolicySource>, mut errors: Vec<SourceError>) -> Self {
        let mut set = PolicySet::default();
        let mut rule_sources = Vec::new();
        for source in sources {
            match source.kind {
                SourceKind::Library => set.libraries.push(source),
                SourceKind::Test => set.tests.push(source),
                SourceKind::Rule => rule_sources.push(source),
            }
        }
        let mut seen = BTreeSet::new();
        let all_libraries_embedded = set.libraries.iter().all(|l| l.builtin);
        match evaluate::libraries_engine(&set.libraries) {
            // A broken library fails every rule, which cannot load without it.
            Err(error) => errors.push(error),
            Ok(libraries) => {
                for source in rule_sources {
                    match evaluate::compile_rule(&libraries, all_libraries_embedded, &source) {
                        Ok((_, metadata)) if !seen.insert(metadata.id.clone()) => {
                            errors.push(SourceError {
                                line: source.line_of_rule("metadata"),
                                path: source.path.clone(),
                                message: format!("duplicate rule id '{}'", metadata.id),
                            })
                        }
                        Ok((compiled, metadata)) => set.rules.push(Rule {
                            metadata,
                            source,
                            compiled: CompiledRule(compiled),
                        }),
                        Err(error) => errors.push(error),
                    }
                }
            }
        }
        set.rules.sort_by(|a, b| a.metadata.id.cmp(&b.metadata.id));
        // Each error once, however many files led to it.
        let mut seen_errors = BTreeSet::new();
        errors.retain(|e| seen_errors.insert((e.path.clone(), e.line, e.message.clone())));
        set.errors = errors;
        set
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.metadata.id == id)
    }
}
