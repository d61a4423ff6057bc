//! The `connect-guard` binary: parse the command line, run it, map the outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use connect_guard::baseline::Baseline;
use connect_guard::cli::{
    Cli, CollectArgs, Command, FailOn, LiveArgs, PolicyCommand, RulesCommand, ScanArgs,
};
use connect_guard::collect;
use connect_guard::config::{Config, Flags, Settings, SettingsError};
use connect_guard::engine::{PolicySet, SourceKind, docs, source, testing};
use connect_guard::params::Params;
use connect_guard::report::{self, Format};
use connect_guard::scan::{ScanOptions, ScanResult, scan_and_release_iam, select_rules};
use connect_guard::snapshot::Snapshot;
use connect_guard::untrusted::for_log;
use connect_guard::waiver::WaiverStatus;

/// A scan allocates and frees millions of small values; mimalloc does that much faster than
/// the system allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: usage or input error.
const EXIT_INPUT: u8 = 2;

/// A failure worth one line, with a hint when there is a known fix.
struct Failure {
    message: String,
    help: Option<String>,
}

impl Failure {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::new(error.to_string())
    }
}

fn main() -> ExitCode {
    connect_guard::timings::start();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", for_log(&failure.message));
            if let Some(help) = failure.help {
                let _ = writeln!(stderr, "help: {}", for_log(&help));
            }
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Scan(args) => run_scan(&args),
        Command::Collect(args) => run_collect(&args),
        Command::Rules(command) => run_rules(command),
        Command::Policy(PolicyCommand::Test { dir }) => run_policy_tests(dir.as_deref()),
        Command::Input(args) => {
            let params = parse_params(&args.params)?;
            let snapshot = load_snapshot(&args.source)?;
            let facts = connect_guard::facts::Facts::derive(&snapshot, &params);
            let input = connect_guard::scan::rego_input(&snapshot, &facts);
            print(&format!("{}\n", serde_json::to_string_pretty(&input)?))?;
            Ok(0)
        }
        Command::Schema => {
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&Snapshot::json_schema())?
            ))?;
            Ok(0)
        }
        Command::Merge { snapshots, out } => {
            let shards = snapshots
                .iter()
                .map(|path| Snapshot::from_path(path).map(|s| (path.display().to_string(), s)))
                .collect::<Result<Vec<_>, _>>()?;
            let merged = connect_guard::merge::merge(shards)?;
            std::fs::write(&out, merged.to_json_pretty() + "\n")
                .map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
            print(&format!(
                "merged {} snapshots ({} accounts) into {}\n",
                snapshots.len(),
                merged.accounts.len(),
                out.display()
            ))?;
            Ok(0)
        }
        Command::Init { out, force } => {
            if out.exists() && !force {
                return Err(Failure::new(format!("{} already exists", out.display()))
                    .help("pass --force to overwrite it"));
            }
            std::fs::write(&out, connect_guard::config::EXAMPLE)
                .map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
            print(&format!("wrote {}\n", out.display()))?;
            Ok(0)
        }
        Command::Demo { name } => {
            print(&format!("{}\n", name.snapshot().to_json_pretty()))?;
            Ok(0)
        }
    }
}

fn run_scan(args: &ScanArgs) -> Result<u8, Failure> {
    let config = Config::discover(args.config.as_deref())?
        .map(|(_, config)| config)
        .unwrap_or_default();
    let settings = config
        .resolve(&Flags {
            format: args.format,
            fail_on: args.fail_on,
            reports: &args.reports,
            params: &args.params,
            waiver_files: &args.waivers,
            policies: &args.policies,
            sarif_category: args.sarif_category.as_deref(),
        })
        .map_err(|e| match e {
            SettingsError::Params(e) => Failure::new(e.to_string())
                .help("list the parameters with `connect-guard rules params`"),
            other => Failure::new(other.to_string()),
        })?;
    let Settings {
        format,
        fail_on,
        reports: report_formats,
        params,
        waivers,
        policy_dirs,
        sarif_category,
        rules: selection,
    } = settings;
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::from_path)
        .transpose()
        .map_err(|e| {
            Failure::new(e.to_string())
                .help("pass the JSON report of an earlier scan (--format json)")
        })?;
    let load_policies = || PolicySet::load(!args.no_builtin_rules, &policy_dirs);
    let mut locations = std::collections::BTreeMap::new();
    // With --snapshot and --iac: the organization before the templates deploy.
    let mut before: Option<Snapshot> = None;
    let (mut snapshot, mut policies) = if !args.source.iac.is_empty() {
        let options = connect_guard::iac::Options {
            account_id: args.iac_account.clone(),
            region: args.iac_region.clone(),
        };
        let (planned, policies) = rayon::join(
            || connect_guard::iac::load(&args.source.iac, &options),
            load_policies,
        );
        let planned = planned.map_err(|e| {
            Failure::new(e.to_string())
                .help("pass CloudFormation templates (JSON or YAML) or a CDK cdk.out directory")
        })?;
        let policies = policies?;
        match &args.source.snapshot {
            Some(_) => {
                if baseline.is_some() {
                    return Err(Failure::new(
                        "--baseline and --snapshot with --iac both set what the scan is compared with",
                    )
                    .help("the collected snapshot is the baseline of the templates' change"));
                }
                let base = load_snapshot(&args.source)?;
                let (after, moved) = connect_guard::iac::overlay(&base, &planned).map_err(|e| {
                    Failure::new(e.to_string())
                        .help("pass --iac-account with the account the templates deploy to")
                })?;
                locations = moved;
                before = Some(base);
                (after, policies)
            }
            None => {
                locations = planned.locations;
                (planned.snapshot, policies)
            }
        }
    } else if args.source.given() {
        // Compiled meanwhile: the outline of a large snapshot is one sequential pass, which
        // leaves a core for them.
        let (snapshot, policies) = rayon::join(|| load_snapshot(&args.source), load_policies);
        (snapshot?, policies?)
    } else {
        // Before a collection that can take minutes, so a broken policy fails at once.
        let policies = load_policies()?;
        let snapshot = collect_live(&args.live, &config.scope)?;
        if let Some(path) = &args.snapshot_out {
            write_snapshot(path, &snapshot)?;
        }
        (snapshot, policies)
    };
    connect_guard::timings::mark("snapshot loaded, policies compiled");
    select_rules(&mut policies, &selection).map_err(|e| {
        Failure::new(e.to_string()).help("`connect-guard rules list` shows every rule")
    })?;
    if !args.source.iac.is_empty() && before.is_none() {
        // A template does not say which SCPs and RCPs will govern its account.
        policies.rules.retain(|rule| {
            !rule
                .metadata
                .tags
                .iter()
                .any(|t| t == connect_guard::iac::ORGANIZATION_TAG)
        });
    }
    if args.fail_on_new && baseline.is_none() && before.is_none() {
        // Nothing would be new, so nothing would ever fail the run.
        return Err(
            Failure::new("--fail-on-new needs something to compare with")
                .help("pass --baseline PREVIOUS.json, or --snapshot ORG.json with --iac"),
        );
    }
    // Change impact: the organization before the templates is the baseline of the one after.
    let baseline = match &before {
        Some(before) => {
            let options = ScanOptions {
                rule_timeout: args.rule_timeout,
                baseline: None,
                waivers: &waivers,
                severity_overrides: &selection.severity,
            };
            let result = connect_guard::scan::scan(before, &params, &policies, &options);
            let roles = before
                .accounts
                .values()
                .flat_map(|r| &r.iam.roles)
                .map(|r| (r.arn.clone(), r.id.clone()))
                .collect();
            Some(Baseline::from_findings(&result.findings, roles))
        }
        None => baseline,
    };
    let options = ScanOptions {
        rule_timeout: args.rule_timeout,
        baseline: baseline.as_ref(),
        waivers: &waivers,
        severity_overrides: &selection.severity,
    };
    // The reports need no IAM resources of the snapshot (written out above, when asked).
    let mut result = scan_and_release_iam(&mut snapshot, &params, &policies, &options);
    for finding in &mut result.findings {
        finding.location = locations.get(&finding.resource).cloned();
    }

    connect_guard::timings::mark("scan");
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let options = report::Options {
        color: color && format == Format::Table,
        sarif: report::sarif::Options {
            prefix: args.sarif_prefix.clone(),
            category: sarif_category,
            include_waived: args.sarif_include_waived,
        },
    };
    // Stdout is line-buffered: a JSON report of a large organization would cost a system
    // call per line.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // A runner parses stdout for workflow commands: text reports are fenced off with
    // stop-commands, data reports escape the legacy form (report::workflow).
    let runner = connect_guard::untrusted::runner_reads_output();
    let text_report = matches!(format, Format::Table | Format::Markdown | Format::Html);
    let written = if runner && text_report {
        let token = report::workflow::stop_token();
        writeln!(stdout, "{}", report::workflow::stop_commands(&token))
            .and_then(|()| report::write(format, &mut stdout, &snapshot, &result, &options))
            // On a line of its own even when the report does not end with a newline (HTML).
            .and_then(|()| writeln!(stdout, "\n{}", report::workflow::resume_commands(&token)))
    } else if runner && matches!(format, Format::Json | Format::Sarif) {
        let mut buffer = Vec::new();
        report::write(format, &mut buffer, &snapshot, &result, &options).and_then(|()| {
            let text = String::from_utf8_lossy(&buffer);
            stdout.write_all(report::workflow::json_without_legacy_commands(&text).as_bytes())
        })
    } else {
        report::write(format, &mut stdout, &snapshot, &result, &options)
    };
    match written {
        // `connect-guard scan | head` closes the pipe early; that is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Failure::new(format!("cannot write report: {e}")));
        }
        _ => {}
    }
    let github = report::github::enabled(format, args.no_github);
    if github && format != Format::Github {
        // Added by GITHUB_ACTIONS=true: after a text report on stdout (past its closing
        // stop-commands token), but on stderr (which the runner also parses) when stdout
        // carries a machine-readable format.
        let annotations = if text_report {
            report::github::write(&mut stdout, &result)
        } else {
            report::github::write(&mut std::io::stderr().lock(), &result)
        };
        annotations.map_err(|e| Failure::new(format!("cannot write annotations: {e}")))?;
    }
    match stdout.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Failure::new(format!("cannot write report: {e}")));
        }
        _ => {}
    }
    drop(stdout);
    connect_guard::timings::mark("report written");
    let mut stderr = std::io::stderr().lock();
    if format == Format::Sarif || report_formats.iter().any(|(_, f)| *f == Format::Sarif) {
        for warning in report::sarif::limit_warnings(&result) {
            let _ = writeln!(stderr, "warning: {}", for_log(&warning));
        }
    }
    for (path, format) in &report_formats {
        write_report(path, *format, &snapshot, &result, &options)?;
    }
    if github {
        report::github::publish(
            &report::github::Environment::from_env(),
            &snapshot,
            &result,
            &report_formats,
        )
        .map_err(|e| Failure::new(format!("cannot write GitHub outputs: {e}")))?;
    }
    for error in &result.policy_errors {
        let _ = writeln!(stderr, "error: {}", for_log(&error.to_string()));
    }
    for waiver in &result.waivers {
        let note = match waiver.status {
            WaiverStatus::Expired => "expired and no longer applies",
            WaiverStatus::Unused => "matched no finding; remove it",
            WaiverStatus::Applied => continue,
        };
        let _ = writeln!(
            stderr,
            "warning: {}",
            for_log(&format!(
                "waiver for rule '{}' (expires {}) {note}",
                waiver.waiver.rule, waiver.waiver.expires
            ))
        );
    }
    let code = exit_code(&result, fail_on, args.fail_on_new);
    // The process ends next and the OS takes the memory back at once; freeing a large
    // organization's snapshot and results allocation by allocation would take longer.
    std::mem::forget(snapshot);
    std::mem::forget(result);
    Ok(code)
}

fn parse_params(assignments: &[String]) -> Result<Params, Failure> {
    Params::from_assignments(assignments).map_err(|e| {
        Failure::new(e.to_string()).help("list the parameters with `connect-guard rules params`")
    })
}

fn load_snapshot(source: &connect_guard::cli::Source) -> Result<Snapshot, Failure> {
    match (&source.snapshot, source.demo) {
        (Some(path), _) => Snapshot::from_path(path).map_err(|e| {
            Failure::new(e.to_string()).help("check the file against `connect-guard schema`")
        }),
        (None, Some(name)) => Ok(name.snapshot()),
        (None, None) => {
            Err(Failure::new("no snapshot given").help("pass --demo or --snapshot FILE"))
        }
    }
}

/// `collect`: exit 0 when everything was read, 3 when the snapshot records gaps.
fn run_collect(args: &CollectArgs) -> Result<u8, Failure> {
    let config = Config::discover(None)?.map(|(_, c)| c).unwrap_or_default();
    let snapshot = collect_live(&args.live, &config.scope)?;
    write_snapshot(&args.out, &snapshot)?;
    Ok(if snapshot.scan.errors.is_empty() {
        0
    } else {
        3
    })
}

/// Collects live with the command-line options, falling back to `[scope]` of the
/// configuration for what the command line leaves at its default.
fn collect_live(
    args: &LiveArgs,
    scope: &connect_guard::config::Scope,
) -> Result<Snapshot, Failure> {
    let mut options = args.options();
    if options.regions.is_empty() {
        options.regions = scope.regions.clone();
    }
    if options.accounts.is_empty() {
        options.accounts = scope.accounts.clone();
    }
    if options.exclude_accounts.is_empty() {
        options.exclude_accounts = scope.exclude_accounts.clone();
    }
    if options.ou.is_none() {
        options.ou = scope.ous.first().cloned();
    }
    if options.external_id.is_none() {
        options.external_id = scope.external_id.clone();
    }
    // Flags with defaults: the file wins only while the flag is at its default.
    if options.role_name == collect::DEFAULT_ROLE_NAME
        && let Some(role) = &scope.role_name
    {
        options.role_name = role.clone();
    }
    if options.concurrency == 8
        && let Some(concurrency) = scope.concurrency
    {
        options.concurrency = concurrency;
    }
    collect::collect(&options).map_err(|e| {
        let help = e.help();
        let failure = Failure::new(e.to_string());
        match help {
            Some(help) => failure.help(help),
            None => failure,
        }
    })
}

/// Writes a snapshot to `path`, or to standard output for `-`.
fn write_snapshot(path: &Path, snapshot: &Snapshot) -> Result<(), Failure> {
    let text = format!("{}\n", snapshot.to_json_pretty());
    if path.as_os_str() == "-" {
        return print(&text);
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::new(format!("{}: cannot write snapshot: {e}", path.display())))
}

fn write_report(
    path: &Path,
    format: Format,
    snapshot: &Snapshot,
    result: &ScanResult,
    options: &report::Options,
) -> Result<(), Failure> {
    let mut buffer = Vec::new();
    let options = report::Options {
        color: false,
        ..options.clone()
    };
    report::write(format, &mut buffer, snapshot, result, &options)?;
    std::fs::write(path, buffer)
        .map_err(|e| Failure::new(format!("{}: cannot write report: {e}", path.display())))
}

/// See `EXIT_CODES` in `cli.rs`.
fn exit_code(result: &ScanResult, fail_on: FailOn, only_new: bool) -> u8 {
    if !result.policy_errors.is_empty() {
        return EXIT_INPUT;
    }
    let failing = match fail_on {
        FailOn::Never => false,
        FailOn::AtLeast(threshold) => result.fails(threshold, only_new),
    };
    match (failing, result.incomplete()) {
        (false, false) => 0,
        (true, false) => 1,
        (false, true) => 3,
        (true, true) => 4,
    }
}

fn run_rules(command: RulesCommand) -> Result<u8, Failure> {
    match command {
        RulesCommand::List { format, policies } => {
            let set = load_reporting_errors(&policies)?;
            match format {
                Format::Json => {
                    let list: Vec<_> = set.rules.iter().map(|r| &r.metadata).collect();
                    print(&format!("{}\n", serde_json::to_string_pretty(&list)?))?;
                }
                Format::Sarif | Format::Github | Format::Markdown => {
                    return Err(Failure::new("rules list supports --format table or json"));
                }
                Format::Table => {
                    let mut table = comfy_table::Table::new();
                    table
                        .load_style(comfy_table::presets::UTF8_HORIZONTAL_ONLY)
                        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                        .set_header(["Rule", "Code", "Severity", "Title"]);
                    if !std::io::stdout().is_terminal() {
                        table.set_width(100);
                    }
                    for rule in &set.rules {
                        let m = &rule.metadata;
                        table.add_row([
                            m.id.as_str(),
                            m.code.as_deref().unwrap_or(""),
                            m.severity.as_str(),
                            m.title.as_str(),
                        ]);
                    }
                    print(&format!("{table}\n{} rules\n", set.rules.len()))?;
                }
                // Report-only formats (HTML) describe a scan, not the rule list.
                _ => {
                    return Err(Failure::new(
                        "`rules list` writes --format table or json; the rules catalog is \
                         also part of every HTML report",
                    ));
                }
            }
            Ok(if set.errors.is_empty() { 0 } else { EXIT_INPUT })
        }
        RulesCommand::Explain { id, policies } => {
            let set = load_reporting_errors(&policies)?;
            let rule = set.rule(&id).ok_or_else(|| {
                let closest = connect_guard::suggest::closest(
                    &id,
                    set.rules.iter().map(|r| r.metadata.id.as_str()),
                );
                let failure = Failure::new(format!("unknown rule id '{id}'"));
                match closest {
                    Some(c) => failure.help(format!(
                        "did you mean '{c}'? `connect-guard rules list` shows every rule"
                    )),
                    None => failure,
                }
            })?;
            print(&docs::rule_page(rule))?;
            Ok(0)
        }
        RulesCommand::Docs { out } => {
            let set = load_reporting_errors(&[])?;
            std::fs::create_dir_all(&out)
                .map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
            for rule in &set.rules {
                let path = out.join(format!("{}.md", rule.metadata.id));
                std::fs::write(&path, docs::rule_page(rule))
                    .map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
            }
            std::fs::write(out.join("README.md"), docs::index_page(&set.rules))?;
            Ok(0)
        }
        RulesCommand::Params => {
            print(&format!(
                "Rule parameters (set with --param name=value):\n{}\n",
                Params::describe()
            ))?;
            Ok(0)
        }
    }
}

/// Loads built-in policies plus `dirs`, printing load errors to stderr.
fn load_reporting_errors(dirs: &[PathBuf]) -> Result<PolicySet, Failure> {
    let set = PolicySet::load(true, dirs)?;
    let mut stderr = std::io::stderr().lock();
    for error in &set.errors {
        let _ = writeln!(stderr, "error: {}", for_log(&error.to_string()));
    }
    Ok(set)
}

fn run_policy_tests(dir: Option<&Path>) -> Result<u8, Failure> {
    let builtin = source::builtin_sources();
    let (sources, errors) = match dir {
        None => (builtin.sources, builtin.errors),
        Some(dir) => {
            let loaded = source::directory_sources(dir)?;
            // The built-in helper libraries stay available to a user's policies, unless the
            // directory brings its own copy of the same package (e.g. our own `policies/`).
            let own: std::collections::BTreeSet<String> =
                loaded.sources.iter().map(|s| s.package.clone()).collect();
            let mut sources: Vec<_> = builtin
                .sources
                .into_iter()
                .filter(|s| s.kind == SourceKind::Library && !own.contains(&s.package))
                .collect();
            sources.extend(loaded.sources);
            (sources, loaded.errors)
        }
    };
    let set = PolicySet::from_sources(sources, errors);
    let config = regorus::Value::from(serde_json::to_value(Params::default())?);
    let outcomes = testing::run_tests(&set, config);
    let mut out = String::new();
    for error in &set.errors {
        out.push_str(&format!("ERROR {error}\n"));
    }
    for outcome in outcomes.iter().filter(|o| !o.passed()) {
        out.push_str(&format!(
            "FAIL {}:{} {}: {}\n",
            outcome.path,
            outcome.line.unwrap_or(0),
            outcome.name,
            outcome.failure.as_deref().unwrap_or("")
        ));
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let failed = outcomes.len() - passed;
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    print(&out)?;
    Ok(if !set.errors.is_empty() {
        EXIT_INPUT
    } else if failed > 0 {
        1
    } else {
        0
    })
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth reporting.
fn print(text: &str) -> Result<(), Failure> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::new(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}
