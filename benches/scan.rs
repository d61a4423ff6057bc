//! Scan benchmark: the full built-in rule set over synthetic organizations.
//!
//! ```text
//! cargo bench --bench scan                       # 1,000 and 10,000 accounts, 3 runs each
//! CG_BENCH_SIZES=2000,20000 CG_BENCH_RUNS=5 cargo bench --bench scan
//! CG_BENCH_PER_RULE=1 cargo bench --bench scan   # also time every rule on its own
//! ```
//!
//! A plain `main` timing phases with `Instant` (no criterion: its build cost is larger than
//! this whole measurement). Each size is measured `CG_BENCH_RUNS` times and the median of
//! each phase is printed. The phases are timed separately by calling what `scan::scan` calls,
//! then `scan::scan` itself is timed as the total, so the total includes the finding join
//! and sort that the phases leave out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use connect_guard::engine::extensions::ExtensionContext;
use connect_guard::engine::{EvalOptions, PolicySet, evaluate};
use connect_guard::facts::Facts;
use connect_guard::params::Params;
use connect_guard::scan::{InputScope, ScanOptions, rego_input_with_baseline, scan};
use connect_guard::synthetic;

/// The binary's allocator, so the phases cost what they cost in `connect-guard scan`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: u64 = 42;
const RULE_TIMEOUT: Duration = Duration::from_secs(60);

/// Median-of-runs timings of one size, in seconds.
#[derive(Default)]
struct Phases {
    facts: Vec<f64>,
    scp: Vec<f64>,
    input: Vec<f64>,
    rules: Vec<f64>,
    total: Vec<f64>,
    total_cpu: Vec<f64>,
}

/// CPU time (user + system) of this process so far, in seconds, from `/proc/self/stat`
/// (Linux; 0 elsewhere). The benchmark machine is shared, so wall time depends on its load;
/// CPU time shows the work done whatever the load.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // USER_HZ is 100 on every Linux configuration Rust supports.
    (ticks(11) + ticks(12)) / 100.0
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported and ignored.
    let sizes = env_list("CG_BENCH_SIZES", &[1_000, 10_000]);
    let runs = env_list("CG_BENCH_RUNS", &[3])
        .first()
        .copied()
        .unwrap_or(3)
        .max(1);
    let per_rule = std::env::var_os("CG_BENCH_PER_RULE").is_some();
    let params = Params::default();
    let policies = match PolicySet::load(true, &[]) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("cannot load the built-in policies: {}", error.message);
            std::process::exit(1);
        }
    };
    println!(
        "{} rules, {} runs per size, {} rayon threads",
        policies.rules.len(),
        runs,
        rayon::current_num_threads()
    );
    println!(
        "{:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>9}",
        "accounts",
        "generate",
        "facts",
        "scp",
        "input",
        "rules",
        "total",
        "total-cpu",
        "ms/1k",
        "findings"
    );
    let mut totals = Vec::new();
    for &accounts in &sizes {
        let started = Instant::now();
        let snapshot = synthetic::organization(accounts, SEED);
        let generate = started.elapsed().as_secs_f64();

        let mut phases = Phases::default();
        let mut findings = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let facts = Facts::derive(&snapshot, &params);
            phases.facts.push(t.elapsed().as_secs_f64());

            phases.scp.push(scp_analysis(&snapshot, &facts));

            let t = Instant::now();
            let scope = InputScope::for_policies(&policies);
            let input = rego_input_with_baseline(&snapshot, &facts, None, scope);
            phases.input.push(t.elapsed().as_secs_f64());

            let config = regorus::Value::from(serde_json::to_value(&params).unwrap_or_default());
            let options = EvalOptions {
                rule_timeout: RULE_TIMEOUT,
                extensions: Some(Arc::new(ExtensionContext::new(&snapshot.organization))),
            };
            let t = Instant::now();
            // Kept past the timing, as a scan keeps it in its result (`RetainedInput`).
            let evaluation = evaluate(&policies, input.clone(), config, &options);
            phases.rules.push(t.elapsed().as_secs_f64());
            assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
            drop(facts);
            drop(input);

            let t = Instant::now();
            let cpu = cpu_seconds();
            let options = ScanOptions {
                rule_timeout: RULE_TIMEOUT,
                ..ScanOptions::default()
            };
            let result = scan(&snapshot, &params, &policies, &options);
            phases.total.push(t.elapsed().as_secs_f64());
            phases.total_cpu.push(cpu_seconds() - cpu);
            findings = result.findings.len();
        }
        let total = median(&phases.total);
        totals.push((accounts, total));
        println!(
            "{:>8} {:>7.0}ms {:>6.0}ms {:>6.0}ms {:>6.0}ms {:>6.0}ms {:>6.0}ms {:>7.0}ms {:>8.0} {:>9}",
            accounts,
            generate * 1e3,
            median(&phases.facts) * 1e3,
            median(&phases.scp) * 1e3,
            median(&phases.input) * 1e3,
            median(&phases.rules) * 1e3,
            total * 1e3,
            median(&phases.total_cpu) * 1e3,
            total * 1e3 / (accounts as f64 / 1e3),
            findings
        );
        if per_rule {
            per_rule_timings(&snapshot, &params, &policies);
        }
    }
    if let (Some(first), Some(last)) = (totals.first(), totals.last()) {
        println!(
            "accounts ×{:.1} → total time ×{:.2}",
            last.0 as f64 / first.0 as f64,
            last.1 / first.1
        );
    }
}

/// Seconds to answer again, on the rayon pool, every SCP and RCP question the facts asked
/// (SCPs: instances, federation roles and trusted SAML providers, each for its actions; RCPs:
/// SAML sign-in through each federation role): the policy analysis part of the facts phase,
/// which it is included in.
fn scp_analysis(snapshot: &connect_guard::snapshot::Snapshot, facts: &Facts) -> f64 {
    use connect_guard::facts::saml_sign_in_context;
    use connect_guard::iam::{ChainEvaluator, ChainQuestion, Decision, RequestContext};
    use rayon::prelude::*;
    let started = Instant::now();
    let scp = ChainEvaluator::scp(&snapshot.organization);
    let rcp = ChainEvaluator::rcp(&snapshot.organization);
    let any = RequestContext::new();
    let saml = saml_sign_in_context();
    let scp_maps = facts
        .instances
        .values()
        .map(|i| (i.account_id.as_str(), i.arn.as_str(), &i.scp))
        .chain(
            facts
                .roles
                .values()
                .map(|r| (r.account_id.as_str(), r.arn.as_str(), &r.scp)),
        )
        .chain(
            facts
                .saml_providers
                .values()
                .map(|p| (p.account_id.as_str(), p.arn.as_str(), &p.scp)),
        )
        .map(|(account, arn, actions)| (&scp, &any, account, arn, actions));
    let rcp_maps = facts
        .roles
        .values()
        .map(|r| (&rcp, &saml, r.account_id.as_str(), r.arn.as_str(), &r.rcp));
    let questions: Vec<_> = scp_maps
        .chain(rcp_maps)
        .flat_map(|(evaluator, context, account, arn, actions)| {
            actions
                .keys()
                .map(move |action| (evaluator, context, account, arn, action.as_str()))
        })
        .collect();
    let denied = questions
        .par_iter()
        .filter(|(evaluator, context, account_id, resource, action)| {
            let question = ChainQuestion {
                account_id,
                action,
                resource,
                principal_arn: None,
                context,
            };
            evaluator.decide(&question).decision != Decision::NotDenied
        })
        .count();
    std::hint::black_box(denied);
    started.elapsed().as_secs_f64()
}

/// Every rule evaluated alone (one rule per policy set, so one thread), slowest first.
fn per_rule_timings(
    snapshot: &connect_guard::snapshot::Snapshot,
    params: &Params,
    policies: &PolicySet,
) {
    let facts = Facts::derive(snapshot, params);
    let input =
        rego_input_with_baseline(snapshot, &facts, None, InputScope::for_policies(policies));
    let config = regorus::Value::from(serde_json::to_value(params).unwrap_or_default());
    let options = EvalOptions {
        rule_timeout: RULE_TIMEOUT,
        extensions: Some(Arc::new(ExtensionContext::new(&snapshot.organization))),
    };
    let mut timings: Vec<(f64, String, usize)> = policies
        .rules
        .iter()
        .map(|rule| {
            let single = PolicySet {
                libraries: policies.libraries.clone(),
                rules: vec![rule.clone()],
                tests: Vec::new(),
                errors: Vec::new(),
            };
            let t = Instant::now();
            let evaluation = evaluate(&single, input.clone(), config.clone(), &options);
            (
                t.elapsed().as_secs_f64(),
                rule.metadata.id.clone(),
                evaluation.findings.len(),
            )
        })
        .collect();
    timings.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (seconds, id, findings) in timings {
        println!("    {:>8.1}ms  {id} ({findings} findings)", seconds * 1e3);
    }
}
