//! Reports: one module per output format, each writing to any `io::Write`.

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod workflow;

use std::path::Path;

use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// Settings some formats need.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Colour the table (a terminal without `NO_COLOR`).
    pub color: bool,
    /// SARIF location prefix and category.
    pub sarif: sarif::Options,
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

/// Writes `result` in `format`.
pub fn write(
    format: Format,
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    options: &Options,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::write(out, snapshot, result, options.color),
        Format::Json => json::write(out, snapshot, result),
        Format::Sarif => sarif::write(out, snapshot, result, &options.sarif),
        Format::Github => github::write(out, result),
        Format::Markdown => markdown::write(out, snapshot, result, &markdown::Context::default()),
        Format::Html => html::write(out, snapshot, result),
    }
}

/// Removes control characters (terminal escape sequences, newlines) and bidirectional
/// overrides from text that came from AWS, so a tag value cannot move the cursor, recolour the
/// terminal, forge lines or read differently than it is.
pub fn sanitize(text: &str) -> String {
    crate::untrusted::without_controls(text)
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
    fn sanitize_strips_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{7}\nb"), "a [31mred  b");
    }
}
