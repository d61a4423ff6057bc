//! The `connect-guard` binary: parse the command line, run it, map the outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use connect_guard::cli::{
    Cli, CollectArgs, Command, FailOn, LiveArgs, PolicyCommand, RulesCommand, ScanArgs,
};
use connect_guard::collect;
use connect_guard::demo;
use connect_guard::engine::{PolicySet, SourceKind, docs, source, testing};
use connect_guard::params::Params;
use connect_guard::report::{self, Format};
use connect_guard::scan::{ScanResult, scan};
use connect_guard::snapshot::Snapshot;

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
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", failure.message);
            if let Some(help) = failure.help {
                let _ = writeln!(stderr, "help: {help}");
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
        Command::Schema => {
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&Snapshot::json_schema())?
            ))?;
            Ok(0)
        }
        Command::Demo => {
            print(&format!("{}\n", demo::snapshot().to_json_pretty()))?;
            Ok(0)
        }
    }
}

fn run_scan(args: &ScanArgs) -> Result<u8, Failure> {
    let params = Params::from_assignments(&args.params).map_err(|e| {
        Failure::new(e.to_string()).help("list the parameters with `connect-guard rules params`")
    })?;
    if !(args.rule_timeout.is_finite() && args.rule_timeout > 0.0) {
        return Err(Failure::new(
            "--rule-timeout must be a positive number of seconds",
        ));
    }
    let report_formats = args
        .reports
        .iter()
        .map(|path| Format::from_path(path).map(|f| (path.clone(), f)))
        .collect::<Result<Vec<_>, _>>()?;
    let snapshot = match &args.source.snapshot {
        Some(path) => Snapshot::from_path(path).map_err(|e| {
            Failure::new(e.to_string()).help("check the file against `connect-guard schema`")
        })?,
        None if args.source.demo => demo::snapshot(),
        None => {
            let snapshot = collect_live(&args.live)?;
            if let Some(path) = &args.snapshot_out {
                write_snapshot(path, &snapshot)?;
            }
            snapshot
        }
    };
    let policies = PolicySet::load(!args.no_builtin_rules, &args.policies)?;
    let result = scan(
        &snapshot,
        &params,
        &policies,
        Duration::from_secs_f64(args.rule_timeout),
    );

    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut stdout = std::io::stdout().lock();
    report::write(
        args.format,
        &mut stdout,
        &snapshot,
        &result,
        color && args.format == Format::Table,
    )
    .map_err(|e| Failure::new(format!("cannot write report: {e}")))?;
    for (path, format) in report_formats {
        write_report(&path, format, &snapshot, &result)?;
    }
    let mut stderr = std::io::stderr().lock();
    for error in &result.policy_errors {
        let _ = writeln!(stderr, "error: {error}");
    }
    Ok(exit_code(&result, args.fail_on))
}

/// `collect`: exit 0 when everything was read, 3 when the snapshot records gaps.
fn run_collect(args: &CollectArgs) -> Result<u8, Failure> {
    let snapshot = collect_live(&args.live)?;
    write_snapshot(&args.out, &snapshot)?;
    Ok(if snapshot.scan.errors.is_empty() {
        0
    } else {
        3
    })
}

fn collect_live(args: &LiveArgs) -> Result<Snapshot, Failure> {
    collect::collect(&args.options()).map_err(|e| {
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
) -> Result<(), Failure> {
    let mut buffer = Vec::new();
    report::write(format, &mut buffer, snapshot, result, false)?;
    std::fs::write(path, buffer)
        .map_err(|e| Failure::new(format!("{}: cannot write report: {e}", path.display())))
}

/// See `EXIT_CODES` in `cli.rs`.
fn exit_code(result: &ScanResult, fail_on: FailOn) -> u8 {
    if !result.policy_errors.is_empty() {
        return EXIT_INPUT;
    }
    let failing = match fail_on {
        FailOn::Never => false,
        FailOn::AtLeast(threshold) => result
            .findings
            .iter()
            .any(|f| !f.coverage && f.severity >= threshold),
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
            }
            Ok(if set.errors.is_empty() { 0 } else { EXIT_INPUT })
        }
        RulesCommand::Explain { id, policies } => {
            let set = load_reporting_errors(&policies)?;
            let rule = set.rule(&id).ok_or_else(|| {
                let closest = set
                    .rules
                    .iter()
                    .map(|r| r.metadata.id.as_str())
                    .min_by_key(|candidate| strsim(candidate, &id));
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
        let _ = writeln!(stderr, "error: {error}");
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

fn strsim(a: &str, b: &str) -> usize {
    connect_guard::params::edit_distance(a, b)
}
