//! The command line: clap definitions only; `main.rs` runs them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or input error (bad snapshot, bad --param, a policy that failed to load or evaluate;
     the other rules still run and report)
  3  scan incomplete: something was not assessed, and no finding at or above --fail-on
  4  findings at or above --fail-on, and the scan is incomplete";

const COLLECT_EXIT_CODES: &str = "\
Exit codes:
  0  snapshot written, everything assessed
  2  usage error, no credentials, or the caller cannot read the organization
  3  snapshot written, but something could not be read (see scan.errors)";

/// Amazon Connect identity-posture scanner for AWS Organizations.
///
/// Checks SAML federation, SCP protections, emergency access and IdP certificates of every
/// Connect instance in an organization snapshot, with rules written in Rego.
#[derive(Debug, Parser)]
#[command(name = "connect-guard", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the rules against an organization snapshot, or against the live organization.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<ScanArgs>),
    /// Read the live organization with the AWS SDK and write a snapshot.
    #[command(after_help = COLLECT_EXIT_CODES)]
    Collect(CollectArgs),
    /// List, explain or document the rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Work with Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Print the Rego `input` a scan evaluates: the snapshot plus the derived facts.
    Input(InputArgs),
    /// Print the JSON Schema of the snapshot format.
    Schema,
    /// Print a bundled organization as a snapshot.
    Demo {
        /// Which one: `acme` (every rule fires somewhere) or `hardened` (set up as AWS
        /// documents it, no findings).
        #[arg(value_enum, default_value_t = DemoOrganization::Acme)]
        name: DemoOrganization,
    },
    /// Merge shard snapshots of one organization (from parallel `collect` jobs) into one.
    Merge {
        /// The shard snapshots.
        #[arg(required = true, value_name = "SNAPSHOT")]
        snapshots: Vec<PathBuf>,
        /// Where to write the merged snapshot.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write a commented connect-guard.toml to start from.
    Init {
        /// Where to write it.
        #[arg(long, value_name = "FILE", default_value = "connect-guard.toml")]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// The longest time limit a rule may be given: a day. Anything longer is a typo, and
/// `Duration` cannot hold every number a user can type.
pub const MAX_RULE_TIMEOUT_SECS: f64 = 86_400.0;

/// `--rule-timeout`: a positive, finite number of seconds up to [`MAX_RULE_TIMEOUT_SECS`].
fn parse_rule_timeout(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= MAX_RULE_TIMEOUT_SECS) {
        return Err(format!(
            "must be more than 0 and at most {MAX_RULE_TIMEOUT_SECS} seconds"
        ));
    }
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())
}

/// The organizations bundled with connect-guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoOrganization {
    /// The demo: a contact-center estate where every rule fires somewhere and passes
    /// somewhere.
    Acme,
    /// The hardened reference organization: set up as AWS documents it, no findings.
    Hardened,
}

impl DemoOrganization {
    /// Its snapshot.
    pub fn snapshot(self) -> crate::snapshot::Snapshot {
        match self {
            Self::Acme => crate::demo::snapshot(),
            Self::Hardened => crate::demo::hardened::snapshot(),
        }
    }
}

/// Where the snapshot comes from; none means "collect it live now". `--snapshot` with `--iac`
/// shows what deploying the templates would change in the collected organization.
#[derive(Debug, Args)]
pub struct Source {
    /// Scan a bundled organization: `acme` (the default; every rule fires somewhere) or
    /// `hardened` (set up as AWS documents it, no findings).
    #[arg(long, value_enum, value_name = "NAME", num_args = 0..=1, default_missing_value = "acme",
          conflicts_with_all = ["snapshot", "iac"])]
    pub demo: Option<DemoOrganization>,
    /// Scan a snapshot file written by `connect-guard collect` (or by hand).
    #[arg(long, value_name = "FILE", env = "CONNECT_GUARD_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,
    /// Scan CloudFormation templates (JSON or YAML), CDK cloud assemblies (cdk.out) and
    /// Terraform plans (terraform show -json) before they deploy: files, or directories
    /// searched for them. Rules that need the
    /// organization's SCPs and RCPs are not evaluated on templates alone; with --snapshot,
    /// the templates are laid over the collected organization and the report shows what
    /// they change (new and fixed findings).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub iac: Vec<PathBuf>,
}

impl Source {
    /// True when a snapshot, demo or templates are named; false means "collect live".
    pub fn given(&self) -> bool {
        self.demo.is_some() || self.snapshot.is_some() || !self.iac.is_empty()
    }
}

/// Options of `scan`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("change_base").args(["baseline", "iac"]).multiple(true))]
pub struct ScanArgs {
    /// The snapshot to scan.
    #[command(flatten)]
    pub source: Source,
    /// How to collect when scanning live (neither --demo nor --snapshot).
    #[command(flatten)]
    pub live: LiveArgs,
    /// When scanning live, also write the collected snapshot to FILE.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["demo", "snapshot", "iac"])]
    pub snapshot_out: Option<PathBuf>,
    /// Account the templates deploy to, where a CDK environment does not say.
    #[arg(long, value_name = "ACCOUNT_ID", requires = "iac", default_value = crate::iac::DEFAULT_ACCOUNT_ID,
          value_parser = parse_account_id)]
    pub iac_account: String,
    /// Region the templates deploy to, where a CDK environment does not say.
    #[arg(long, value_name = "REGION", requires = "iac", default_value = crate::iac::DEFAULT_REGION)]
    pub iac_region: String,
    /// Configuration file (default: ./connect-guard.toml when present).
    #[arg(long, value_name = "FILE", env = "CONNECT_GUARD_CONFIG")]
    pub config: Option<PathBuf>,
    /// Format of the report on standard output [default: table].
    #[arg(long, value_enum, env = "CONNECT_GUARD_FORMAT")]
    pub format: Option<Format>,
    /// Also write a report to PATH; the extension picks the format (.sarif or .sarif.json,
    /// .md, .json, .html, .txt). Repeatable; written even when findings fail the run.
    #[arg(long = "report", value_name = "PATH")]
    pub reports: Vec<PathBuf>,
    /// First segment of the synthetic SARIF location path of each resource
    /// (`<prefix>/<account>/<region>/<service>/<type>/<id>`); pick one that is not a directory
    /// of the repository the SARIF is uploaded to.
    #[arg(
        long,
        value_name = "PREFIX",
        default_value = "aws",
        env = "CONNECT_GUARD_SARIF_PREFIX"
    )]
    pub sarif_prefix: String,
    /// SARIF `runAutomationDetails.id`: GitHub keeps one set of alerts per category, so give
    /// each scan slice (organization, region set) its own.
    #[arg(long, value_name = "CATEGORY", env = "CONNECT_GUARD_SARIF_CATEGORY")]
    pub sarif_category: Option<String>,
    /// Emit waived findings in SARIF, marked as suppressed (GitHub ignores suppressions, so
    /// by default they are left out).
    #[arg(long)]
    pub sarif_include_waived: bool,
    /// Do not add GitHub annotations, job summary and step outputs when GITHUB_ACTIONS=true.
    #[arg(long, env = "CONNECT_GUARD_NO_GITHUB")]
    pub no_github: bool,
    /// Exit 1 when a finding is at or above this severity; `none` never fails on findings
    /// [default: low].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on, env = "CONNECT_GUARD_FAIL_ON")]
    pub fail_on: Option<FailOn>,
    /// Count only findings that are new since --baseline (or, with --snapshot and --iac, new
    /// with the templates) toward --fail-on.
    #[arg(long, requires = "change_base")]
    pub fail_on_new: bool,
    /// JSON report of an earlier scan: classify findings as new, persisting or fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// A file of `[[waivers]]` (accepted risks with reason and expiry). Repeatable.
    #[arg(long = "waivers", value_name = "FILE")]
    pub waivers: Vec<PathBuf>,
    /// Add the Rego policies in DIR (rules, helpers and tests). Repeatable.
    #[arg(long = "policies", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// Evaluate only the policies given with --policies, not the built-in rules.
    #[arg(long)]
    pub no_builtin_rules: bool,
    /// Set a rule parameter, e.g. `expiry-warn-days=45`. Repeatable; see `rules params`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Time limit for one rule, in seconds (more than 0, at most a day).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_rule_timeout)]
    pub rule_timeout: std::time::Duration,
}

/// Options of `input`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The snapshot.
    #[command(flatten)]
    pub source: Source,
    /// Set a rule parameter (facts such as production or break-glass depend on them).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

/// Options of `collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Where to write the snapshot; `-` for standard output.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// How to collect.
    #[command(flatten)]
    pub live: LiveArgs,
}

/// How to read the live organization. Credentials come from the AWS SDK's default chain
/// (environment, shared profiles including IAM Identity Center, web identity, container and
/// instance roles); `AWS_ENDPOINT_URL` overrides endpoints as in every AWS SDK.
#[derive(Debug, Args)]
#[command(next_help_heading = "Live collection")]
pub struct LiveArgs {
    /// Named profile from the shared AWS config files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Home region for STS; defaults to the SDK's region chain, then us-east-1.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Role assumed in each member account.
    #[arg(long, value_name = "NAME", default_value = crate::collect::DEFAULT_ROLE_NAME, env = "CONNECT_GUARD_ROLE_NAME")]
    pub role_name: String,
    /// External id the member role's trust policy requires.
    #[arg(long, value_name = "ID", env = "CONNECT_GUARD_EXTERNAL_ID")]
    pub external_id: Option<String>,
    /// Regions to look for Connect in, comma-separated; every Connect region by default.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Only the accounts under this OU (or root) id.
    #[arg(long, value_name = "OU_ID")]
    pub ou: Option<String>,
    /// Only this account. Repeatable.
    #[arg(long = "account", value_name = "ACCOUNT_ID")]
    pub accounts: Vec<String>,
    /// Skip this account. Repeatable.
    #[arg(long = "exclude-account", value_name = "ACCOUNT_ID")]
    pub exclude_accounts: Vec<String>,
    /// Accounts collected at the same time.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Connect calls in flight at the same time across the scan (Connect's rate limits are
    /// low); half of --concurrency, at least 2, by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub connect_concurrency: Option<u16>,
    /// Fetch the SAML metadata of Cognito identity providers configured with a metadata URL
    /// (https only), so their signing certificates are assessed. Off by default: the URL comes
    /// from account configuration and is fetched from where the scan runs.
    #[arg(long)]
    pub fetch_saml_metadata_urls: bool,
    /// No progress output on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

impl LiveArgs {
    /// The collector options these arguments describe.
    pub fn options(&self) -> crate::collect::CollectOptions {
        crate::collect::CollectOptions {
            profile: self.profile.clone().filter(|p| !p.is_empty()),
            region: self.region.clone(),
            role_name: self.role_name.clone(),
            external_id: self.external_id.clone(),
            regions: self
                .regions
                .iter()
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
                .collect(),
            ou: self.ou.clone(),
            accounts: self.accounts.clone(),
            exclude_accounts: self.exclude_accounts.clone(),
            concurrency: usize::from(self.concurrency),
            connect_concurrency: self.connect_concurrency.map(usize::from),
            fetch_saml_metadata_urls: self.fetch_saml_metadata_urls,
            progress: if self.quiet {
                crate::collect::ProgressMode::Quiet
            } else {
                crate::collect::ProgressMode::Auto
            },
        }
    }
}

pub use crate::output::FailOn;

/// Parses `--fail-on` text: a severity, or `none`.
pub fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    text.parse()
}

/// `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Also load the policies in DIR. Repeatable.
        #[arg(long = "policies", value_name = "DIR")]
        policies: Vec<PathBuf>,
    },
    /// Show everything about one rule.
    Explain {
        /// The rule id, e.g. `saml-trust-references-missing-provider`.
        id: String,
        /// Also load the policies in DIR. Repeatable.
        #[arg(long = "policies", value_name = "DIR")]
        policies: Vec<PathBuf>,
    },
    /// Write one Markdown page per rule, and an index, to DIR.
    Docs {
        /// Where to write the pages.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// List the rule parameters and their defaults.
    Params,
}

/// `policy` subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run every `test_*` rule of the policies' `*_test.rego` files.
    Test {
        /// A directory of policies to test; the built-in policies when absent.
        dir: Option<PathBuf>,
    },
}

/// A 12-digit AWS account id.
fn parse_account_id(text: &str) -> Result<String, String> {
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err("an account id is 12 digits".to_owned())
    }
}
