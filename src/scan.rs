//! A scan: snapshot in, findings out.
//!
//! Derives facts, evaluates every rule, then joins each raw `deny` object with its rule's
//! metadata and with where the resource sits in the organization.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::extensions::ExtensionContext;
use std::collections::BTreeMap;

use crate::baseline::{Baseline, FixedFinding};
use crate::config::RuleSelection;
use crate::engine::{EvalOptions, PolicySet, RuleKind, RuleMetadata, SourceError, evaluate, value};
use crate::facts::Facts;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::params::Params;
use crate::snapshot::Snapshot;
use crate::verdict::{FindingIndex, Judge};
use crate::waiver::{self, Waiver, WaiverReport};
use rayon::prelude::*;
use serde::Serialize;

/// How to scan, beyond the snapshot, parameters and policies.
#[derive(Debug, Clone)]
pub struct ScanOptions<'a> {
    /// Wall-clock limit for one rule.
    pub rule_timeout: Duration,
    /// The earlier scan to compare with.
    pub baseline: Option<&'a Baseline>,
    /// Accepted risks.
    pub waivers: &'a [Waiver],
    /// Severity overrides by rule id.
    pub severity_overrides: &'a BTreeMap<String, Severity>,
}

impl Default for ScanOptions<'_> {
    fn default() -> Self {
        static NO_OVERRIDES: BTreeMap<String, Severity> = BTreeMap::new();
        Self {
            rule_timeout: Duration::from_secs(10),
            baseline: None,
            waivers: &[],
            severity_overrides: &NO_OVERRIDES,
        }
    }
}

/// Everything a report needs about one scan.
#[derive(Debug)]
pub struct ScanResult {
    /// Findings, sorted most severe first.
    pub findings: Vec<Finding>,
    /// Policies that failed to load or evaluate.
    pub policy_errors: Vec<SourceError>,
    /// Metadata of every rule that was evaluated, sorted by id (SARIF declares them all).
    pub rules: Vec<RuleMetadata>,
    /// How long evaluation took (facts and rules).
    pub duration: Duration,
    /// Every waiver and what became of it (applied, expired, unused).
    pub waivers: Vec<WaiverReport>,
    /// Baseline findings that are gone, when a baseline was given.
    pub fixed: Option<Vec<FixedFinding>>,
    /// `(ARN, RoleId)` of every federation role, so a later scan can spot a re-created role.
    pub federation_roles: Vec<(String, String)>,
    /// The facts the rules judged: reports describe resources from them, never derive them
    /// again.
    pub facts: Facts,
    /// Where each resource's and account's findings are in `findings`.
    pub index: FindingIndex,
    /// Ids of the rules that ran to completion (not those that failed to evaluate).
    pub completed_rules: Vec<String>,
    /// The Rego input the rules read, freed with the result.
    pub input: RetainedInput,
}

/// The Rego input of a scan, kept with its result rather than freed when the rules are done.
///
/// At 10,000 accounts the input is tens of megabytes of small allocations: freeing it took
/// about 200 ms of CPU, on a thread of its own, while the findings were joined and the
/// report written on both cores. Kept, it is freed when the result is, and the binary,
/// which hands the result to the OS at exit, never frees it (docs/benchmarks.md).
#[derive(Default, Clone)]
pub struct RetainedInput(Option<regorus::Value>);

impl RetainedInput {
    /// The input the rules read; `None` for a result built by hand.
    pub fn value(&self) -> Option<&regorus::Value> {
        self.0.as_ref()
    }
}

impl std::fmt::Debug for RetainedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The input itself is too large to print.
        f.write_str("RetainedInput(..)")
    }
}

impl ScanResult {
    /// Pass or fail of resources as the findings say: the only judge reports may consult.
    pub fn judge(&self) -> Judge<'_> {
        Judge::new(
            &self.findings,
            &self.index,
            self.completed_rules.iter().map(String::as_str),
        )
    }

    /// True when some account, region or service could not be assessed.
    pub fn incomplete(&self) -> bool {
        self.findings.iter().any(|f| f.coverage)
    }

    /// True when a finding fails the run: a posture finding, not waived, at or above
    /// `threshold`, and new if only new findings count.
    pub fn fails(&self, threshold: Severity, only_new: bool) -> bool {
        self.findings.iter().any(|f| {
            f.counts()
                && f.severity >= threshold
                && (!only_new
                    || f.baseline_state != Some(crate::finding::BaselineState::Persisting))
        })
    }
}

/// Evaluates `policies` against `snapshot`.
pub fn scan(
    snapshot: &Snapshot,
    params: &Params,
    policies: &PolicySet,
    options: &ScanOptions<'_>,
) -> ScanResult {
    let prepared = prepare(snapshot, params, policies, options);
    finish(prepared, snapshot, policies, options)
}

/// [`scan`] for a caller that keeps the snapshot only for the reports (the binary): once the
/// facts and the Rego input are built, the accounts' IAM resources (roles and their policy
/// documents, SAML providers and their metadata, users and groups: most of a large
/// organization's snapshot in memory) are taken out of `snapshot` and freed before the rules
/// run, which lowers the peak. Reports read the organization, the scan metadata, which
/// accounts were collected and their Connect instances, and the facts; never those.
///
/// When the Rego input leaves the accounts out (the built-in rules), each account's are
/// freed as soon as its facts are derived, on the same thread while they are still in cache
/// ([`Facts::derive_and_release_iam`]), before the input is built: the input is the largest
/// thing built, and the released memory is reused for it instead of adding to the peak.
/// Otherwise they are freed on the pool, at once, after the input. Freed on a background
/// thread, they took CPU time from the input and the rules, which keep both cores busy, and
/// the scan took longer (docs/benchmarks.md).
pub fn scan_and_release_iam(
    snapshot: &mut Snapshot,
    params: &Params,
    policies: &PolicySet,
    options: &ScanOptions<'_>,
) -> ScanResult {
    let release = |snapshot: &mut Snapshot| {
        let released: Vec<crate::snapshot::Iam> = snapshot
            .accounts
            .values_mut()
            .map(|resources| std::mem::take(&mut resources.iam))
            .collect();
        released.into_par_iter().for_each(drop);
    };
    let started = Instant::now();
    let scope = InputScope::for_policies(policies);
    let facts = match scope {
        InputScope::WithoutAccounts => Facts::derive_and_release_iam(snapshot, params),
        InputScope::Whole => Facts::derive(snapshot, params),
    };
    let prepared = prepare_input(started, facts, snapshot, params, scope, options);
    if scope == InputScope::Whole {
        release(snapshot);
    }
    finish(prepared, snapshot, policies, options)
}

/// What the rules run on: the facts and the Rego input.
struct Prepared {
    started: Instant,
    facts: Facts,
    input: regorus::Value,
    config: regorus::Value,
    eval_options: EvalOptions,
}

fn prepare(
    snapshot: &Snapshot,
    params: &Params,
    policies: &PolicySet,
    options: &ScanOptions<'_>,
) -> Prepared {
    let started = Instant::now();
    let facts = Facts::derive(snapshot, params);
    let scope = InputScope::for_policies(policies);
    prepare_input(started, facts, snapshot, params, scope, options)
}

/// The Rego input and evaluation options beside the derived `facts`.
fn prepare_input(
    started: Instant,
    facts: Facts,
    snapshot: &Snapshot,
    params: &Params,
    scope: InputScope,
    options: &ScanOptions<'_>,
) -> Prepared {
    let input = rego_input_with_baseline(snapshot, &facts, options.baseline, scope);
    crate::timings::mark("rego input");
    Prepared {
        started,
        facts,
        input,
        config: regorus::Value::from(serde_json::to_value(params).unwrap_or_default()),
        eval_options: EvalOptions {
            rule_timeout: options.rule_timeout,
            extensions: Some(Arc::new(ExtensionContext::new(&snapshot.organization))),
        },
    }
}

/// Runs the rules and joins their findings with metadata, waivers and the baseline.
fn finish(
    prepared: Prepared,
    snapshot: &Snapshot,
    policies: &PolicySet,
    options: &ScanOptions<'_>,
) -> ScanResult {
    let Prepared {
        started,
        facts,
        input,
        config,
        eval_options,
    } = prepared;
    // The engine shares the input; the result keeps it (see `RetainedInput`).
    let evaluation = evaluate(policies, input.clone(), config, &eval_options);
    crate::timings::mark("rules");

    // Each rule's metadata as this scan reports it: severity overrides applied here, once,
    // for the findings and for the rule list alike.
    let rules: Vec<RuleMetadata> = policies
        .rules
        .iter()
        .map(|r| {
            let mut metadata = r.metadata.clone();
            if let Some(severity) = options.severity_overrides.get(&metadata.id) {
                metadata.severity = *severity;
            }
            metadata
        })
        .collect();
    // Tens of thousands of findings in a large organization: joined and sorted on the pool.
    let mut findings: Vec<Finding> = evaluation
        .findings
        .into_par_iter()
        .map(|(index, raw)| {
            let rule = &rules[index];
            let account_id = raw.account_id.or_else(|| arn_part(&raw.resource, 4));
            let account = account_id.as_ref().and_then(|id| facts.accounts.get(id));
            Finding {
                rule_id: rule.id.clone(),
                code: rule.code.clone(),
                severity: rule.severity,
                title: rule.title.clone(),
                region: raw.region.or_else(|| arn_part(&raw.resource, 3)),
                account_name: account.map(|a| a.name.clone()),
                ou_path: account.map(|a| a.ou_path.clone()),
                account_id,
                resource: raw.resource,
                message: raw.message,
                discriminator: raw.discriminator,
                details: raw.details,
                coverage: rule.kind == RuleKind::Coverage,
                waiver: None,
                baseline_state: None,
                location: None,
            }
        })
        .collect();
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let waivers = waiver::apply(&mut findings, options.waivers, snapshot);
    let fixed = options.baseline.map(|b| b.classify(&mut findings));
    let federation_roles = facts
        .roles
        .values()
        .filter(|r| r.is_federation_role)
        .map(|r| (r.arn.clone(), r.role_id.clone()))
        .collect();
    let completed_rules = rules
        .iter()
        .enumerate()
        .filter(|(index, _)| !evaluation.failed_rules.contains(index))
        .map(|(_, r)| r.id.clone())
        .collect();
    crate::timings::mark("findings joined");
    let index = FindingIndex::new(&findings);
    let mut policy_errors = policies.errors.clone();
    policy_errors.extend(evaluation.errors);
    policy_errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    ScanResult {
        findings,
        policy_errors,
        rules,
        duration: started.elapsed(),
        waivers,
        fixed,
        federation_roles,
        facts,
        index,
        completed_rules,
        input: RetainedInput(Some(input)),
    }
}

/// A rule id in `[rules]` that no loaded policy defines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration names unknown rule id '{id}'{}", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
pub struct UnknownRule {
    /// The id as written.
    pub id: String,
    /// The closest rule id, for a typo.
    pub suggestion: Option<String>,
}

/// Keeps the rules `[rules] enable` and `disable` select. Every id named there (and in
/// `[rules.severity]`) must be a loaded rule: a misspelt id would silently select nothing.
pub fn select_rules(
    policies: &mut PolicySet,
    selection: &RuleSelection,
) -> Result<(), UnknownRule> {
    for id in selection
        .enable
        .iter()
        .chain(&selection.disable)
        .chain(selection.severity.keys())
    {
        if policies.rule(id).is_none() {
            return Err(UnknownRule {
                id: id.clone(),
                suggestion: crate::suggest::closest(
                    id,
                    policies.rules.iter().map(|r| r.metadata.id.as_str()),
                )
                .map(str::to_owned),
            });
        }
    }
    policies.rules.retain(|rule| {
        let id = &rule.metadata.id;
        (selection.enable.is_empty() || selection.enable.contains(id))
            && !selection.disable.contains(id)
    });
    Ok(())
}

/// How much of the snapshot the Rego input carries besides the derived facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputScope {
    /// All of it: policies that are not built in may read any part.
    Whole,
    /// All but `accounts`. The built-in rules read resources through `derived` only, and the
    /// per-account resources (roles, policies, SAML metadata) are most of a large
    /// organization's snapshot: at 10,000 accounts, half the input and a second of work.
    WithoutAccounts,
}

impl InputScope {
    /// What `policies` need: the whole snapshot as soon as one policy is not built in.
    pub fn for_policies(policies: &PolicySet) -> Self {
        let custom = policies.rules.iter().any(|r| !r.source.builtin)
            || policies.libraries.iter().any(|l| !l.builtin);
        if custom {
            InputScope::Whole
        } else {
            InputScope::WithoutAccounts
        }
    }
}

/// The Rego `input`: the whole snapshot with the derived facts under `derived`.
pub fn rego_input(snapshot: &Snapshot, facts: &Facts) -> regorus::Value {
    rego_input_with_baseline(snapshot, facts, None, InputScope::Whole)
}

/// The Rego `input`, with `baseline.federation_roles` (ARN → RoleId) when comparing.
pub fn rego_input_with_baseline(
    snapshot: &Snapshot,
    facts: &Facts,
    baseline: Option<&Baseline>,
    scope: InputScope,
) -> regorus::Value {
    /// The snapshot without its `accounts`.
    #[derive(Serialize)]
    struct WithoutAccounts<'a> {
        schema_version: u32,
        scan: &'a crate::snapshot::ScanMetadata,
        organization: &'a crate::snapshot::Organization,
    }

    // Built directly as engine values (no JSON text in between); the facts and the
    // snapshot are independent, so they convert on two threads.
    let (derived, snapshot_value) = rayon::join(
        || facts_value(facts),
        || match scope {
            InputScope::Whole => value::to_value(snapshot),
            InputScope::WithoutAccounts => value::to_value(&WithoutAccounts {
                schema_version: snapshot.schema_version,
                scan: &snapshot.scan,
                organization: &snapshot.organization,
            }),
        },
    );
    // The model is plain data with string keys, which always converts (tests compare the
    // result with the JSON round trip).
    let mut input = snapshot_value.unwrap_or(regorus::Value::Null);
    debug_assert!(matches!(input, regorus::Value::Object(_)));
    if let Ok(fields) = input.as_object_mut() {
        fields.insert(
            regorus::Value::from("derived"),
            derived.unwrap_or(regorus::Value::Null),
        );
        if let Some(baseline) = baseline {
            let roles = value::to_value(&baseline.federation_roles)
                .unwrap_or_else(|_| regorus::Value::from(std::collections::BTreeMap::new()));
            let mut part = std::collections::BTreeMap::new();
            part.insert(regorus::Value::from("federation_roles"), roles);
            fields.insert(regorus::Value::from("baseline"), regorus::Value::from(part));
        }
    }
    input
}

/// The derived facts as an engine value, equal to `value::to_value(facts)`.
///
/// Accounts, roles, instances and SAML providers are most of the facts of a large
/// organization; their entries convert on the rayon pool beside the rest instead of each map
/// on one thread, so both cores stay busy to the end of the input phase (docs/benchmarks.md).
/// The test `rego_input_is_the_snapshot_with_derived_facts` compares the result with the JSON
/// form of the whole [`Facts`].
fn facts_value(facts: &Facts) -> Result<regorus::Value, value::ValueError> {
    const LARGEST: &[&str] = &["accounts", "roles", "instances", "saml_providers"];
    let (rest, (accounts, (roles, (instances, providers)))) = rayon::join(
        || value::to_value_without(facts, LARGEST),
        || {
            rayon::join(
                || value::map_to_value_on_pool(&facts.accounts),
                || {
                    rayon::join(
                        || value::map_to_value_on_pool(&facts.roles),
                        || {
                            rayon::join(
                                || value::map_to_value_on_pool(&facts.instances),
                                || value::map_to_value_on_pool(&facts.saml_providers),
                            )
                        },
                    )
                },
            )
        },
    );
    let mut value = rest?;
    if let Ok(fields) = value.as_object_mut() {
        for (name, part) in LARGEST
            .iter()
            .zip([accounts?, roles?, instances?, providers?])
        {
            fields.insert(regorus::Value::from(*name), part);
        }
    }
    Ok(value)
}

/// Part `index` (0-based, colon-separated) of an ARN, when it is non-empty.
fn arn_part(arn: &str, index: usize) -> Option<String> {
    if !arn.starts_with("arn:") {
        return None;
    }
    arn.splitn(6, ':')
        .nth(index)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The input built as one serde_json tree.
    fn single_document(snapshot: &Snapshot, facts: &Facts) -> regorus::Value {
        let mut value = serde_json::to_value(snapshot).unwrap();
        value["derived"] = serde_json::to_value(facts).unwrap();
        regorus::Value::from_json_str(&value.to_string()).unwrap()
    }

    /// The built-in rules never read `input.accounts`, so trimming it changes nothing.
    #[test]
    fn builtin_rules_find_the_same_without_the_accounts() {
        let policies = PolicySet::load(true, &[]).unwrap();
        assert_eq!(
            InputScope::for_policies(&policies),
            InputScope::WithoutAccounts
        );
        for source in policies
            .rules
            .iter()
            .map(|r| &r.source)
            .chain(&policies.libraries)
        {
            assert!(
                !source.text.contains("input.accounts") && !source.text.contains("input["),
                "{} reads the snapshot's accounts",
                source.path
            );
        }
        let params = Params::default();
        let config = regorus::Value::from(serde_json::to_value(&params).unwrap());
        for snapshot in [
            crate::demo::snapshot(),
            crate::synthetic::organization(60, 7),
        ] {
            let facts = Facts::derive(&snapshot, &params);
            let options = EvalOptions {
                rule_timeout: Duration::from_secs(60),
                extensions: Some(Arc::new(ExtensionContext::new(&snapshot.organization))),
            };
            let run = |scope| {
                let input = rego_input_with_baseline(&snapshot, &facts, None, scope);
                let evaluation = evaluate(&policies, input, config.clone(), &options);
                assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
                evaluation.findings
            };
            let whole = run(InputScope::Whole);
            assert!(whole.len() > 20, "the organization has findings");
            assert_eq!(whole, run(InputScope::WithoutAccounts));
        }
    }

    /// Releasing the IAM resources before the rules run changes no finding, and leaves what
    /// reports read.
    #[test]
    fn releasing_iam_before_the_rules_changes_nothing_reported() {
        let policies = PolicySet::load(true, &[]).unwrap();
        let params = Params::default();
        let snapshot = crate::demo::snapshot();
        let kept = scan(&snapshot, &params, &policies, &ScanOptions::default());
        let mut released = snapshot.clone();
        let result =
            scan_and_release_iam(&mut released, &params, &policies, &ScanOptions::default());
        assert_eq!(result.findings, kept.findings);
        // The facts derived while releasing are the facts derived from the whole snapshot.
        assert_eq!(
            serde_json::to_value(&result.facts).unwrap(),
            serde_json::to_value(&kept.facts).unwrap()
        );
        assert!(
            released
                .accounts
                .values()
                .all(|r| r.iam == crate::snapshot::Iam::default())
        );
        assert_eq!(released.organization, snapshot.organization);
        assert_eq!(
            released.accounts.keys().collect::<Vec<_>>(),
            snapshot.accounts.keys().collect::<Vec<_>>()
        );
        assert!(released.accounts.values().any(|r| !r.connect.is_empty()));
    }

    /// A rule is parsed once, when it loads: evaluating it runs that parse, so the text it
    /// was loaded from is not read again.
    #[test]
    fn rules_run_as_parsed_when_they_loaded() {
        let policies = PolicySet::load(true, &[]).unwrap();
        let mut unreadable = PolicySet::load(true, &[]).unwrap();
        for rule in &mut unreadable.rules {
            rule.source.text = "this is not Rego".to_owned();
        }
        let snapshot = crate::demo::snapshot();
        let params = Params::default();
        let kept = scan(&snapshot, &params, &policies, &ScanOptions::default());
        let result = scan(&snapshot, &params, &unreadable, &ScanOptions::default());
        assert!(
            result.policy_errors.is_empty(),
            "{:?}",
            result.policy_errors
        );
        assert!(kept.findings.len() > 20, "the demo has findings");
        assert_eq!(result.findings, kept.findings);
    }

    #[test]
    fn custom_policies_get_the_whole_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("custom.rego"),
            "package rules.custom.x\nimport rego.v1\nmetadata := {\"id\": \"x\", \"title\": \"x\", \"severity\": \"low\", \"description\": \"x\", \"remediation\": \"x\", \"references\": [], \"basis\": \"hardening\", \"beyond_aws\": \"x\"}\ndeny contains f if { some id, _ in input.accounts; f := {\"resource\": id, \"message\": \"seen\"} }\n",
        )
        .unwrap();
        let policies = PolicySet::load(false, &[dir.path().to_path_buf()]).unwrap();
        assert!(policies.errors.is_empty(), "{:?}", policies.errors);
        assert_eq!(InputScope::for_policies(&policies), InputScope::Whole);
        let snapshot = crate::demo::snapshot();
        let result = scan(
            &snapshot,
            &Params::default(),
            &policies,
            &ScanOptions::default(),
        );
        assert_eq!(result.findings.len(), snapshot.accounts.len());
    }

    #[test]
    fn a_scan_result_keeps_the_input_its_rules_read() {
        let snapshot = crate::demo::snapshot();
        let params = Params::default();
        let policies = PolicySet::load(true, &[]).expect("built-in policies");
        let result = scan(&snapshot, &params, &policies, &ScanOptions::default());
        let facts = Facts::derive(&snapshot, &params);
        let scope = InputScope::for_policies(&policies);
        assert_eq!(
            result.input.value(),
            Some(&rego_input_with_baseline(&snapshot, &facts, None, scope))
        );
        assert_eq!(format!("{:?}", result.input), "RetainedInput(..)");
    }

    #[test]
    fn rego_input_is_the_snapshot_with_derived_facts() {
        let params = Params::default();
        for snapshot in [
            crate::demo::snapshot(),
            crate::synthetic::organization(50, 3),
        ] {
            let facts = Facts::derive(&snapshot, &params);
            assert_eq!(
                rego_input(&snapshot, &facts),
                single_document(&snapshot, &facts)
            );
        }
    }
}
