//! What a scan writes and when it fails: report formats and the `--fail-on` threshold.
//!
//! Plain data shared by the command line, the configuration file (`[output]`) and the
//! reports, so the file's values are typed and checked where they are read.

use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

use crate::finding::Severity;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Findings grouped by severity, for terminals.
    Table,
    /// The versioned JSON report (format version 1).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations) for the most severe findings.
    Github,
    /// The Markdown summary (as in the GitHub job summary), e.g. for a PR comment.
    Markdown,
    /// A self-contained HTML report for people: coverage, identity chains, findings.
    Html,
}

impl Format {
    /// The format a report path asks for, from its extension.
    pub fn from_path(path: &Path) -> Result<Format, String> {
        let name = path.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".sarif.json") {
            return Ok(Format::Sarif);
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Ok(Format::Json),
            Some("txt") => Ok(Format::Table),
            Some("sarif") => Ok(Format::Sarif),
            Some("md") => Ok(Format::Markdown),
            Some("html" | "htm") => Ok(Format::Html),
            Some(other) => Err(format!(
                "{}: unsupported report extension '.{other}' (supported: .sarif, .md, .json, .html, .txt)",
                path.display()
            )),
            None => Err(format!(
                "{}: report path needs an extension to pick its format (.sarif, .md, .json, .html, .txt)",
                path.display()
            )),
        }
    }
}

/// The `--fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Fail on findings at or above this severity.
    AtLeast(Severity),
    /// Never fail on findings.
    Never,
}

impl Default for FailOn {
    /// Any posture finding fails the run.
    fn default() -> Self {
        FailOn::AtLeast(Severity::Low)
    }
}

impl FromStr for FailOn {
    type Err = String;

    /// A severity, or `none`.
    fn from_str(text: &str) -> Result<Self, String> {
        if text.eq_ignore_ascii_case("none") {
            return Ok(FailOn::Never);
        }
        text.parse()
            .map(FailOn::AtLeast)
            .map_err(|e: String| format!("{e}, or none"))
    }
}

impl<'de> Deserialize<'de> for FailOn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_path(Path::new("r.JSON")), Ok(Format::Json));
        assert_eq!(Format::from_path(Path::new("r.sarif")), Ok(Format::Sarif));
        assert_eq!(
            Format::from_path(Path::new("r.Sarif.json")),
            Ok(Format::Sarif)
        );
        assert_eq!(Format::from_path(Path::new("r.md")), Ok(Format::Markdown));
        assert!(Format::from_path(Path::new("r.pdf")).is_err());
        assert!(Format::from_path(Path::new("report")).is_err());
    }

    #[test]
    fn fail_on_is_a_severity_or_none() {
        assert_eq!("NONE".parse(), Ok(FailOn::Never));
        assert_eq!("high".parse(), Ok(FailOn::AtLeast(Severity::High)));
        let error = "urgent".parse::<FailOn>().unwrap_err();
        assert!(error.contains("or none"), "{error}");
    }
}
