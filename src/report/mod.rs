//! Reports: one module per output format, each writing to any `io::Write`.

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod workflow;

use crate::scan::ScanResult;
use crate::snapshot::Snapshot;

pub use crate::output::Format;

/// Settings some formats need.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Colour the table (a terminal without `NO_COLOR`).
    pub color: bool,
    /// SARIF location prefix and category.
    pub sarif: sarif::Options,
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
    fn sanitize_strips_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{7}\nb"), "a [31mred  b");
    }
}
