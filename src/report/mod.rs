//! Reports: one module per output format, each writing to any `io::Write`.

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod workflow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

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

/// What a change does, rule by rule: for each rule with findings new since the baseline,
/// "+N rule (R resources in A accounts)", most new first. The first lines a reviewer reads of a
/// change-impact scan ("this change exposes 37 instances in 5 accounts").
pub fn impact(result: &crate::scan::ScanResult) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_rule: BTreeMap<&str, (usize, BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for f in result
        .findings
        .iter()
        .filter(|f| f.baseline_state == Some(crate::finding::BaselineState::New))
    {
        let entry = by_rule.entry(&f.rule_id).or_default();
        entry.0 += 1;
        entry.1.insert(&f.resource);
        entry.2.insert(f.account_id.as_deref().unwrap_or("-"));
    }
    let mut rules: Vec<_> = by_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    rules
        .into_iter()
        .map(|(rule, (count, resources, accounts))| {
            format!(
                "+{count} {rule} ({} resource{} in {} account{})",
                resources.len(),
                if resources.len() == 1 { "" } else { "s" },
                accounts.len(),
                if accounts.len() == 1 { "" } else { "s" }
            )
        })
        .collect()
}

/// Removes control characters (terminal escape sequences, newlines) and bidirectional
/// overrides from text that came from AWS, so a tag value cannot move the cursor, recolour the
/// terminal, forge lines or read differently than it is.
pub fn sanitize(text: &str) -> String {
    crate::untrusted::without_controls(text)
}

/// Every byte but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `s` with everything but RFC 3986's unreserved characters percent-encoded (upper-case hex,
/// byte by byte): safe as one segment of a URL or path whatever an AWS name holds.
pub(crate) fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{7}\nb"), "a [31mred  b");
    }

    #[test]
    fn percent_encode_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("Az09-._~"), "Az09-._~");
        assert_eq!(percent_encode("a/b:c d?#%"), "a%2Fb%3Ac%20d%3F%23%25");
        assert_eq!(percent_encode("ü<"), "%C3%BC%3C");
    }
}
