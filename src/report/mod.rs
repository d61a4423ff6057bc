//! Reports: one module per output format, each writing to any `io::Write`.

pub mod html;
pub mod json;
pub mod table;

use std::path::Path;

use crate::params::Params;
use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by severity, for terminals.
    Table,
    /// The versioned JSON report (format version 1).
    Json,
    /// A self-contained HTML report for people: coverage, identity chains, findings.
    Html,
}

impl Format {
    /// The format a report path asks for, from its extension.
    pub fn from_path(path: &Path) -> Result<Format, String> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Ok(Format::Json),
            Some("txt") => Ok(Format::Table),
            Some("html" | "htm") => Ok(Format::Html),
            Some(other) => Err(format!(
                "{}: unsupported report extension '.{other}' (supported: .json, .html, .txt)",
                path.display()
            )),
            None => Err(format!(
                "{}: report path needs an extension to pick its format (.json, .html, .txt)",
                path.display()
            )),
        }
    }
}

/// Writes `result` in `format`. `params` are the scan's rule parameters, which the HTML
/// report needs to derive the per-instance identity chains again.
pub fn write(
    format: Format,
    out: &mut dyn std::io::Write,
    snapshot: &Snapshot,
    result: &ScanResult,
    params: &Params,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::write(out, snapshot, result, color),
        Format::Json => json::write(out, snapshot, result),
        Format::Html => html::write(out, snapshot, result, params),
    }
}

/// Removes control characters (terminal escape sequences, newlines) from text that came from
/// AWS, so a tag value cannot move the cursor, recolour the terminal or forge lines.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_path(Path::new("r.JSON")), Ok(Format::Json));
        assert!(Format::from_path(Path::new("r.pdf")).is_err());
        assert!(Format::from_path(Path::new("report")).is_err());
    }

    #[test]
    fn sanitize_strips_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{7}\nb"), "a [31mred  b");
    }
}
