//! The policy test runner behind `connect-guard policy test`.
//!
//! regorus has no `opa test`, so this is one: every `test_*` rule of every `*_test.rego` file
//! is evaluated in an interpreter engine holding all libraries and rules plus that test
//! file. `true` passes; anything else, `undefined` included, fails by name and location.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;

use super::PolicySet;
use super::diagnostic::from_regorus;
use super::evaluate::base_engine;
use super::extensions::ExtensionContext;
use super::recursion;
use super::source::PolicySource;

/// Time limit for one test: tests evaluate small inputs, so a test still running after this
/// loops.
pub const TEST_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The outcome of one test rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    /// `package.test_name`.
    pub name: String,
    /// File of the test.
    pub path: String,
    /// Line of the test rule.
    pub line: Option<u32>,
    /// `None` when the test passed; otherwise why it failed.
    pub failure: Option<String>,
}

impl TestOutcome {
    /// True when the test evaluated to `true`.
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}

/// Runs every test of `set`. Rule parameters default as in a scan, so tests see the same
/// `data.config` unless they override it with `with data.config as …`.
pub fn run_tests(set: &PolicySet, config: regorus::Value) -> Vec<TestOutcome> {
    let context = Arc::new(ExtensionContext::empty());
    // Libraries and rules are parsed once; each test file is added to a clone, which shares
    // the parsed modules.
    let shared =
        base_engine(&set.libraries, Some(config), Some(&context)).and_then(|mut engine| {
            for source in set.rules.iter().map(|r| &r.source) {
                engine
                    .add_policy(source.path.clone(), source.text.clone())
                    .map_err(|e| from_regorus(&source.path, &e))?;
            }
            Ok(engine)
        });
    let mut outcomes = Vec::new();
    for test in &set.tests {
        let names = test_rule_names(test);
        let fail_all = |message: String, outcomes: &mut Vec<TestOutcome>| {
            outcomes.extend(names.iter().map(|(name, line)| TestOutcome {
                name: format!("{}.{name}", test.package),
                path: test.path.clone(),
                line: Some(*line),
                failure: Some(message.clone()),
            }));
        };
        let mut engine = match &shared {
            Ok(engine) => engine.clone(),
            Err(error) => {
                fail_all(error.to_string(), &mut outcomes);
                continue;
            }
        };
        if let Err(error) = engine.add_policy(test.path.clone(), test.text.clone()) {
            fail_all(from_regorus(&test.path, &error).to_string(), &mut outcomes);
            continue;
        }
        if let Some(recursion) = recursion::find(&engine) {
            let at = recursion.line.map(|l| format!(":{l}")).unwrap_or_default();
            fail_all(
                format!("{}{at}: {}", recursion.path, recursion.message()),
                &mut outcomes,
            );
            continue;
        }
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: TEST_TIME_LIMIT,
            check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
        });
        for (name, line) in names {
            let path = format!("data.{}.{name}", test.package);
            let failure = match engine.eval_rule(path) {
                Ok(regorus::Value::Bool(true)) => None,
                Ok(regorus::Value::Undefined) => {
                    Some("undefined (a condition was false)".to_owned())
                }
                Ok(other) => Some(format!("evaluated to {other} instead of true")),
                Err(error) if error.to_string().contains("time limit") => Some(format!(
                    "took longer than {} ms",
                    TEST_TIME_LIMIT.as_millis()
                )),
                Err(error) => Some(from_regorus(&test.path, &error).to_string()),
            };
            outcomes.push(TestOutcome {
                name: format!("{}.{name}", test.package),
                path: test.path.clone(),
                line: Some(line),
                failure,
            });
        }
    }
    outcomes
}

/// Names and lines of the `test_*` rules of a test file, in file order, without repeats
/// (a test may have several bodies; it is evaluated once).
fn test_rule_names(source: &PolicySource) -> Vec<(String, u32)> {
    let mut names: Vec<(String, u32)> = Vec::new();
    for (index, line) in source.text.lines().enumerate() {
        if !line.starts_with("test_") {
            continue;
        }
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !names.iter().any(|(n, _)| *n == name) {
            names.push((name, u32::try_from(index + 1).unwrap_or(u32::MAX)));
        }
    }
    names
}
