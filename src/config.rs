//! `connect-guard.toml`: scope, rule parameters, rule selection, output defaults and waivers.
//!
//! Found in the working directory or given with `--config`; `connect-guard init` writes the
//! commented example in `docs/connect-guard.example.toml`. Command-line flags override the
//! file. Unknown keys and bad values are errors naming the key, its line and, for a typo, the
//! closest valid key, because a silently ignored `fial-on` is a CI gate that never closes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;
use crate::output::{FailOn, Format};
use crate::params::{ParamError, Params};
use crate::waiver::Waiver;

/// The file name looked for in the working directory.
pub const FILE_NAME: &str = "connect-guard.toml";

/// The documented example, also what `connect-guard init` writes.
pub const EXAMPLE: &str = include_str!("../docs/connect-guard.example.toml");

/// A whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Which accounts and regions a live collection covers.
    #[serde(default)]
    pub scope: Scope,
    /// Rule parameters (the same names as `--param`).
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
    /// Rule selection and severity overrides.
    #[serde(default)]
    pub rules: RuleSelection,
    /// Output defaults.
    #[serde(default)]
    pub output: Output,
    /// Accepted risks.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// More waivers, in separate files (relative to this file) a security team reviews.
    #[serde(default)]
    pub waiver_files: Vec<PathBuf>,
}

/// `[scope]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scope {
    /// Only these OUs (and their subtrees).
    #[serde(default)]
    pub ous: Vec<String>,
    /// Only these accounts.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Never these accounts.
    #[serde(default)]
    pub exclude_accounts: Vec<String>,
    /// Regions to look for Connect in.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Role assumed in member accounts.
    pub role_name: Option<String>,
    /// External id for that role.
    pub external_id: Option<String>,
    /// Accounts collected in parallel.
    pub concurrency: Option<usize>,
}

/// `[rules]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSelection {
    /// Rule ids not to evaluate.
    #[serde(default)]
    pub disable: Vec<String>,
    /// When not empty, only these rule ids are evaluated.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Severity overrides by rule id.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Directories of extra policies, relative to the file.
    #[serde(default)]
    pub policies: Vec<PathBuf>,
}

/// `[output]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Output {
    /// Default `--format`.
    pub format: Option<Format>,
    /// Default `--fail-on` (a severity or `none`).
    pub fail_on: Option<FailOn>,
    /// Default `--report` paths.
    #[serde(default)]
    pub reports: Vec<PathBuf>,
    /// Default `--sarif-category`.
    pub sarif_category: Option<String>,
}

/// A configuration file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// The line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the key; with a suggestion for a typo.
    pub message: String,
}

impl Config {
    /// Reads `path`, or `connect-guard.toml` in the working directory when `path` is `None`
    /// and that file exists. Waiver files named in it are read too.
    pub fn discover(path: Option<&Path>) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(FILE_NAME).exists() => PathBuf::from(FILE_NAME),
            None => return Ok(None),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            line: None,
            message: format!("cannot read configuration: {e}"),
        })?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        let base = path.parent().unwrap_or(Path::new("."));
        for file in config.waiver_files.clone() {
            let full = base.join(&file);
            config.waivers.extend(load_waiver_file(&full)?);
        }
        config.rules.policies = config.rules.policies.iter().map(|p| base.join(p)).collect();
        Ok(Some((path, config)))
    }

    /// Parses configuration text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| toml_error(&e, text, origin))?;
        // Validate parameter names and values now, so errors point at this file.
        config.params(&[]).map_err(|e| {
            let name = match &e {
                ParamError::Unknown { name, .. } | ParamError::Value { name, .. } => name.clone(),
                ParamError::Syntax(text) => text.clone(),
            };
            ConfigError {
                path: origin.to_owned(),
                line: line_of_key(text, &name),
                message: format!("[params] {e}"),
            }
        })?;
        for waiver in &config.waivers {
            waiver.validate().map_err(|message| ConfigError {
                path: origin.to_owned(),
                line: line_of_key(text, "reason").or_else(|| line_of_key(text, "waivers")),
                message,
            })?;
        }
        for path in &config.output.reports {
            Format::from_path(path).map_err(|message| ConfigError {
                path: origin.to_owned(),
                line: line_of_key(text, "reports"),
                message: format!("[output] reports: {message}"),
            })?;
        }
        Ok(config)
    }

    /// A scan's settings: each flag given on the command line, else this file's value, else
    /// the default. Waiver files given as flags are read here.
    pub fn resolve(&self, flags: &Flags<'_>) -> Result<Settings, SettingsError> {
        let params = self.params(flags.params)?;
        let report_paths = if flags.reports.is_empty() {
            &self.output.reports
        } else {
            flags.reports
        };
        let reports = report_paths
            .iter()
            .map(|path| Format::from_path(path).map(|format| (path.clone(), format)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(SettingsError::Report)?;
        let mut waivers = self.waivers.clone();
        for file in flags.waiver_files {
            waivers.extend(load_waiver_file(file)?);
        }
        let mut policy_dirs = self.rules.policies.clone();
        policy_dirs.extend(flags.policies.iter().cloned());
        Ok(Settings {
            format: flags.format.or(self.output.format).unwrap_or(Format::Table),
            fail_on: flags.fail_on.or(self.output.fail_on).unwrap_or_default(),
            reports,
            params,
            waivers,
            policy_dirs,
            sarif_category: flags
                .sarif_category
                .map(str::to_owned)
                .or_else(|| self.output.sarif_category.clone()),
            rules: self.rules.clone(),
        })
    }

    /// The rule parameters: defaults, then this file, then `--param` assignments.
    pub fn params(&self, assignments: &[String]) -> Result<Params, ParamError> {
        let mut all: Vec<String> = self
            .params
            .iter()
            .map(|(name, value)| format!("{name}={}", toml_value_text(value)))
            .collect();
        all.extend(assignments.iter().cloned());
        Params::from_assignments(&all)
    }
}

/// What the command line sets; `None` or empty leaves it to the file and the defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags<'a> {
    /// `--format`.
    pub format: Option<Format>,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--report` paths (replace the file's list).
    pub reports: &'a [PathBuf],
    /// `--param` assignments (over the file's `[params]`).
    pub params: &'a [String],
    /// `--waivers` files (added to the file's waivers).
    pub waiver_files: &'a [PathBuf],
    /// `--policies` directories (added to the file's).
    pub policies: &'a [PathBuf],
    /// `--sarif-category`.
    pub sarif_category: Option<&'a str>,
}

/// A scan's settings, resolved once from flags, the configuration file and defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The format written to stdout.
    pub format: Format,
    /// When findings fail the run.
    pub fail_on: FailOn,
    /// Report files and their formats.
    pub reports: Vec<(PathBuf, Format)>,
    /// Rule parameters.
    pub params: Params,
    /// Accepted risks, from the file, its waiver files and `--waivers`.
    pub waivers: Vec<Waiver>,
    /// Directories of extra policies.
    pub policy_dirs: Vec<PathBuf>,
    /// SARIF `runAutomationDetails.id`.
    pub sarif_category: Option<String>,
    /// Rule selection and severity overrides (applied by the scan).
    pub rules: RuleSelection,
}

/// Settings that could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A `--param` (or the file's parameter) is wrong.
    #[error(transparent)]
    Params(#[from] ParamError),
    /// A waiver file could not be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A `--report` path names no known format.
    #[error("{0}")]
    Report(String),
}

/// `--param` text for a TOML value: strings as they are, arrays as JSON.
fn toml_value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        // Everything else (numbers, arrays) reads the same in JSON, which --param accepts.
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A file of `[[waivers]]` tables, kept apart from the configuration for review.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    #[serde(default)]
    waivers: Vec<Waiver>,
}

/// Reads a waiver file (`--waivers FILE`, or `waiver-files` in the configuration).
pub fn load_waiver_file(path: &Path) -> Result<Vec<Waiver>, ConfigError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: origin.clone(),
        line: None,
        message: format!("cannot read waivers: {e}"),
    })?;
    let file: WaiverFile = toml::from_str(&text).map_err(|e| toml_error(&e, &text, &origin))?;
    for waiver in &file.waivers {
        waiver.validate().map_err(|message| ConfigError {
            path: origin.clone(),
            line: None,
            message,
        })?;
    }
    Ok(file.waivers)
}

/// A TOML error as one line with the line number, and a suggestion for unknown keys.
fn toml_error(error: &toml::de::Error, text: &str, origin: &str) -> ConfigError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let message = error.message().trim().replace('\n', " ");
    let message = match suggestion(&message) {
        Some(better) => format!("{message} (did you mean `{better}`?)"),
        None => message,
    };
    ConfigError {
        path: origin.to_owned(),
        line,
        message,
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the expected name closest to x.
fn suggestion(message: &str) -> Option<String> {
    let unknown = message.strip_prefix("unknown field `")?.split('`').next()?;
    let expected = message.split("expected").nth(1)?;
    crate::suggest::closest(unknown, expected.split('`').skip(1).step_by(2)).map(str::to_owned)
}

/// 1-based line of the first line assigning `key` (as `key =` or `"key" =`).
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let kebab = key.replace('_', "-");
    text.lines()
        .position(|line| {
            let trimmed = line.trim_start().trim_start_matches('"');
            [key, kebab.as_str()].iter().any(|k| {
                trimmed
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_loads() {
        let config = Config::parse(EXAMPLE, "example").expect("example is valid");
        assert_eq!(config.output.fail_on, Some(FailOn::AtLeast(Severity::High)));
        let params = config.params(&[]).expect("params");
        assert_eq!(params.expiry_warn_days, 45);
        assert!(!config.waivers.is_empty());
    }

    #[test]
    fn flags_override_the_file() {
        let config = Config::parse("[params]\nexpiry-warn-days = 10\n", "c").expect("valid");
        let params = config
            .params(&["expiry-warn-days=20".to_owned()])
            .expect("params");
        assert_eq!(params.expiry_warn_days, 20);
    }

    #[test]
    fn typo_in_a_key_names_the_line_and_suggests() {
        let text = "[output]\nformat = \"json\"\nfial-on = \"high\"\n";
        let error = Config::parse(text, "connect-guard.toml").unwrap_err();
        assert_eq!(error.line, Some(3), "{error}");
        assert!(error.message.contains("unknown field `fial-on`"), "{error}");
        assert!(error.message.contains("did you mean `fail-on`?"), "{error}");
        assert!(
            error.to_string().starts_with("connect-guard.toml:3: "),
            "{error}"
        );
    }

    #[test]
    fn bad_parameter_values_name_the_key() {
        let text = "[scope]\nregions = [\"us-east-1\"]\n\n[params]\nexpiry-warn-days = \"soon\"\n";
        let error = Config::parse(text, "c.toml").unwrap_err();
        assert_eq!(error.line, Some(5), "{error}");
        assert!(error.message.contains("expiry-warn-days"), "{error}");
        let error = Config::parse("[params]\nexpiry-warn-dayz = 3\n", "c.toml").unwrap_err();
        assert!(
            error.message.contains("did you mean 'expiry-warn-days'"),
            "{error}"
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        let error = Config::parse("[scope]\nconcurrency = \"many\"\n", "c.toml").unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
        let error = Config::parse(
            "[rules.severity]\nflow-logging-disabled = \"urgent\"\n",
            "c.toml",
        )
        .unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
    }

    #[test]
    fn output_values_are_typed_and_name_their_line() {
        let error = Config::parse("[output]\nformat = \"pdf\"\n", "c.toml").unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.message.contains("html"), "{error}");
        let error = Config::parse("\n[output]\nfail-on = \"urgent\"\n", "c.toml").unwrap_err();
        assert_eq!(error.line, Some(3), "{error}");
        assert!(error.message.contains("or none"), "{error}");
        let error = Config::parse("[output]\nreports = [\"out.pdf\"]\n", "c.toml").unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.message.contains("out.pdf"), "{error}");
    }

    #[test]
    fn flags_then_file_then_defaults() {
        let config = Config::parse(
            "[output]\nformat = \"json\"\nfail-on = \"none\"\nreports = [\"a.sarif\"]\nsarif-category = \"org\"\n",
            "c.toml",
        )
        .expect("valid");
        let from_file = config.resolve(&Flags::default()).expect("resolves");
        assert_eq!(from_file.format, Format::Json);
        assert_eq!(from_file.fail_on, FailOn::Never);
        assert_eq!(
            from_file.reports,
            vec![(PathBuf::from("a.sarif"), Format::Sarif)]
        );
        assert_eq!(from_file.sarif_category.as_deref(), Some("org"));

        let reports = [PathBuf::from("b.html")];
        let flagged = config
            .resolve(&Flags {
                format: Some(Format::Markdown),
                fail_on: Some(FailOn::AtLeast(Severity::High)),
                reports: &reports,
                sarif_category: Some("slice"),
                ..Flags::default()
            })
            .expect("resolves");
        assert_eq!(flagged.format, Format::Markdown);
        assert_eq!(flagged.fail_on, FailOn::AtLeast(Severity::High));
        assert_eq!(
            flagged.reports,
            vec![(PathBuf::from("b.html"), Format::Html)]
        );
        assert_eq!(flagged.sarif_category.as_deref(), Some("slice"));

        let defaults = Config::default()
            .resolve(&Flags::default())
            .expect("resolves");
        assert_eq!(defaults.format, Format::Table);
        assert_eq!(defaults.fail_on, FailOn::AtLeast(Severity::Low));
        assert!(defaults.reports.is_empty());
        let bad = [PathBuf::from("x.pdf")];
        assert!(matches!(
            Config::default().resolve(&Flags {
                reports: &bad,
                ..Flags::default()
            }),
            Err(SettingsError::Report(_))
        ));
    }
}
