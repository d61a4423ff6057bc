//! Evaluating rules: one engine per rule, a time limit per rule, results shape-checked.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;
use regorus::utils::limits::ExecutionTimerConfig;
use serde::Deserialize;

use super::diagnostic::from_regorus;
use super::extensions::{self, ExtensionContext};
use super::metadata::RuleMetadata;
use super::source::{PolicySource, SourceError};
use super::{PolicySet, Rule};

/// What a rule's `deny` set must contain: objects with exactly these keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinding {
    /// ARN of the resource.
    pub resource: String,
    /// What is wrong.
    pub message: String,
    /// Account of the resource; read from the ARN when absent.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Region of the resource; read from the ARN when absent.
    #[serde(default)]
    pub region: Option<String>,
    /// Separates several findings of one rule on one resource.
    #[serde(default)]
    pub discriminator: Option<String>,
    /// Evidence for reports, as the rule built it: the engine's values serialize as the JSON
    /// they stand for, and keeping them (shared, not copied) spares converting the evidence
    /// of tens of thousands of findings before anything reads it.
    #[serde(default)]
    pub details: Option<regorus::Value>,
}

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Wall-clock limit for one rule.
    pub rule_timeout: Duration,
    /// Data behind the functions registered for policies (`iam.scp_decision`, …).
    pub extensions: Option<Arc<ExtensionContext>>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        Self {
            rule_timeout: Duration::from_secs(10),
            extensions: None,
        }
    }
}

/// The results of evaluating every rule.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// `(rule index in the policy set, finding)`, in rule order then deny-set order.
    pub findings: Vec<(usize, RawFinding)>,
    /// Rules that failed, each naming its file and line.
    pub errors: Vec<SourceError>,
    /// Indexes (in the policy set) of the rules that did not run to completion.
    pub failed_rules: Vec<usize>,
}

/// Rego evaluation recurses on the native stack, and regorus accepts recursive functions
/// that OPA would reject; a large stack turns a deep recursion into a time-limit error
/// instead of an abort (ENGINE.md §4).
const RULE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Time limit for evaluating a rule's `metadata` (a constant in every sane policy).
pub(crate) const METADATA_TIME_LIMIT: Duration = Duration::from_secs(5);

/// Evaluates every rule of `set` against `input`, with `config` as `data.config`.
pub fn evaluate(
    set: &PolicySet,
    input: regorus::Value,
    config: regorus::Value,
    options: &EvalOptions,
) -> Evaluation {
    // What can go wrong in equipping an engine (a registered function, the parameters as
    // data) does not depend on its policies: found out once, on an empty engine, it fails
    // the scan's rules with one error instead of one per rule.
    if let Err(error) = equip(
        &mut regorus::Engine::new(),
        Some(config.clone()),
        options.extensions.as_ref(),
    ) {
        return Evaluation {
            findings: Vec::new(),
            errors: vec![error],
            failed_rules: (0..set.rules.len()).collect(),
        };
    }
    let run = || {
        set.rules
            .par_iter()
            .enumerate()
            // One rule per task: rayon otherwise runs a few neighbouring rules as one task that
            // no idle thread can take from, and at 10,000 accounts one core was seen running
            // the last three rules alone for most of a second (docs/benchmarks.md).
            .with_max_len(1)
            .map(|(index, rule)| {
                let result = evaluate_rule(rule, &input, &config, options);
                crate::timings::mark_with(|| format!("rule {}", rule.metadata.id));
                (index, result)
            })
            .collect::<Vec<_>>()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .stack_size(RULE_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let mut evaluation = Evaluation::default();
    for (index, result) in results {
        match result {
            Ok(findings) => evaluation
                .findings
                .extend(findings.into_iter().map(|f| (index, f))),
            Err(error) => {
                evaluation.errors.push(error);
                evaluation.failed_rules.push(index);
            }
        }
    }
    evaluation
}

/// An engine holding the helper libraries, `data.config` and the registered functions.
pub(crate) fn base_engine(
    libraries: &[PolicySource],
    config: Option<regorus::Value>,
    extensions: Option<&Arc<ExtensionContext>>,
) -> Result<regorus::Engine, SourceError> {
    let mut engine = libraries_engine(libraries)?;
    equip(&mut engine, config, extensions)?;
    Ok(engine)
}

/// An engine holding the helper libraries and nothing else. Every rule's engine starts as a
/// clone of it: a clone shares the parsed modules, so the libraries are parsed once per load
/// rather than once per rule.
pub(crate) fn libraries_engine(libraries: &[PolicySource]) -> Result<regorus::Engine, SourceError> {
    let mut engine = regorus::Engine::new();
    engine.set_gather_prints(true);
    for library in libraries {
        engine
            .add_policy(library.path.clone(), library.text.clone())
            .map_err(|e| from_regorus(&library.path, &e))?;
    }
    Ok(engine)
}

/// Registers the policy functions on `engine` and adds `config` as `data.config`. A clone of
/// a compiled rule gets these only when it is evaluated: registered functions cannot be
/// replaced, and their answers depend on the organization being scanned.
fn equip(
    engine: &mut regorus::Engine,
    config: Option<regorus::Value>,
    extensions: Option<&Arc<ExtensionContext>>,
) -> Result<(), SourceError> {
    extensions::register(engine, extensions).map_err(|e| SourceError {
        path: "<engine>".to_owned(),
        line: None,
        message: format!("cannot register policy functions: {e}"),
    })?;
    if let Some(config) = config {
        let mut data = std::collections::BTreeMap::new();
        data.insert(regorus::Value::from("config"), config);
        engine
            .add_data(regorus::Value::from(data))
            .map_err(|e| SourceError {
                path: "<config>".to_owned(),
                line: None,
                message: format!("invalid rule parameters: {e}"),
            })?;
    }
    Ok(())
}

/// Parses a rule into a clone of `libraries` (see [`libraries_engine`]), then evaluates its
/// `metadata` and validates it. The engine returned holds the parsed rule, so evaluating the
/// rule later does not parse it again.
pub(crate) fn compile_rule(
    libraries: &regorus::Engine,
    all_libraries_embedded: bool,
    source: &PolicySource,
) -> Result<(regorus::Engine, RuleMetadata), SourceError> {
    let mut compiled = libraries.clone();
    compiled
        .add_policy(source.path.clone(), source.text.clone())
        .map_err(|e| from_regorus(&source.path, &e))?;
    let metadata = load_metadata(&compiled, all_libraries_embedded, source)?;
    Ok((compiled, metadata))
}

/// Evaluates the `metadata` of the rule `compiled` holds, on a clone of it, and validates it.
fn load_metadata(
    compiled: &regorus::Engine,
    all_libraries_embedded: bool,
    source: &PolicySource,
) -> Result<RuleMetadata, SourceError> {
    let mut engine = compiled.clone();
    equip(&mut engine, None, None)?;
    // The embedded policies are checked once, by a test (`the_builtin_policies_have_no_recursion`);
    // what comes from a policy directory is checked here, before it can run.
    let all_embedded = source.builtin && all_libraries_embedded;
    if !all_embedded && let Some(recursion) = super::recursion::find(&engine) {
        return Err(SourceError {
            message: recursion.message(),
            path: recursion.path,
            line: recursion.line,
        });
    }
    let at = |message: String| SourceError {
        path: source.path.clone(),
        line: source.line_of_rule("metadata"),
        message,
    };
    // Metadata is a constant; a policy that computes it in a loop is stopped like a rule.
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: METADATA_TIME_LIMIT,
        check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
    });
    let value = engine
        .eval_rule(format!("data.{}.metadata", source.package))
        .map_err(|e| {
            let mut error = from_regorus(&source.path, &e);
            if error.message.contains("time limit") {
                error.line = source.line_of_rule("metadata");
                error.message = format!(
                    "metadata took longer than {} ms to evaluate",
                    METADATA_TIME_LIMIT.as_millis()
                );
            }
            error
        })?;
    if value == regorus::Value::Undefined {
        return Err(at("rule declares no `metadata := {…}` object".to_owned()));
    }
    let json = to_json(&value).map_err(at)?;
    RuleMetadata::from_json(json).map_err(at)
}

/// Evaluates one rule on a clone of its compiled engine, equipped for this scan.
fn evaluate_rule(
    rule: &Rule,
    input: &regorus::Value,
    config: &regorus::Value,
    options: &EvalOptions,
) -> Result<Vec<RawFinding>, SourceError> {
    let source = &rule.source;
    let timeout = options.rule_timeout;
    let mut engine = rule.compiled.engine().clone();
    equip(
        &mut engine,
        Some(config.clone()),
        options.extensions.as_ref(),
    )?;
    // Values are shared, not copied: every rule reads the one input.
    engine.set_input(input.clone());
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: timeout,
        // Check the clock every 256 work units: cheap, and a runaway loop stops promptly.
        check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
    });
    let deny_line = source.line_of_rule("deny");
    let at = |message: String| SourceError {
        path: source.path.clone(),
        line: deny_line,
        message,
    };
    let value = engine.eval_rule(rule.deny_path()).map_err(|e| {
        let mut error = from_regorus(&source.path, &e);
        if error.line.is_none() && error.path == source.path {
            error.line = deny_line;
        }
        if error.message.contains("time limit") {
            error.message = format!("rule exceeded its time limit of {} ms", timeout.as_millis());
        }
        error
    })?;
    if value == regorus::Value::Undefined {
        return Err(at("rule declares no `deny` set".to_owned()));
    }
    // Read well-formed findings straight from the engine's values; a rule with tens of
    // thousands of findings would otherwise be copied into a JSON tree first. Anything
    // unexpected takes the JSON path below, which explains what is wrong.
    if let regorus::Value::Set(items) = &value
        && let Some(findings) = items
            .iter_sorted()
            .map(raw_finding)
            .collect::<Option<Vec<_>>>()
    {
        return Ok(findings);
    }
    let json = to_json(&value).map_err(&at)?;
    let items = match json {
        serde_json::Value::Array(items) => items,
        other => {
            return Err(at(format!(
                "`deny` must be a set of objects, got {}",
                kind_of(&other)
            )));
        }
    };
    items
        .into_iter()
        .map(|item| {
            let raw: RawFinding = serde_json::from_value(item).map_err(|e| {
                at(format!(
                    "`deny` returned an object of the wrong shape: {e} (expected resource, message and optionally account_id, region, discriminator, details)"
                ))
            })?;
            if raw.resource.is_empty() || raw.message.is_empty() {
                return Err(at(
                    "`deny` returned an empty `resource` or `message`".to_owned()
                ));
            }
            Ok(raw)
        })
        .collect()
}

/// A finding read from a `deny` item, when it has exactly the expected shape.
fn raw_finding(item: &regorus::Value) -> Option<RawFinding> {
    let regorus::Value::Object(fields) = item else {
        return None;
    };
    let text = |value: &regorus::Value| match value {
        regorus::Value::String(s) if !s.is_empty() => Some(s.to_string()),
        _ => None,
    };
    // Like serde for `Option<String>`: absent or null is `None`, a string is `Some`.
    let optional = |value: &regorus::Value| match value {
        regorus::Value::Null => Some(None),
        regorus::Value::String(s) => Some(Some(s.to_string())),
        _ => None,
    };
    let mut raw = RawFinding {
        resource: String::new(),
        message: String::new(),
        account_id: None,
        region: None,
        discriminator: None,
        details: None,
    };
    for (key, value) in fields.iter() {
        let regorus::Value::String(key) = key else {
            return None;
        };
        match key.as_ref() {
            "resource" => raw.resource = text(value)?,
            "message" => raw.message = text(value)?,
            "account_id" => raw.account_id = optional(value)?,
            "region" => raw.region = optional(value)?,
            "discriminator" => raw.discriminator = optional(value)?,
            "details" => {
                raw.details = match value {
                    regorus::Value::Null => None,
                    other => Some(other.clone()),
                }
            }
            _ => return None,
        }
    }
    (!raw.resource.is_empty() && !raw.message.is_empty()).then_some(raw)
}

/// regorus values → JSON; `Undefined` nested inside would serialize as a magic string.
fn to_json(value: &regorus::Value) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| format!("result is not JSON: {e}"))
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
