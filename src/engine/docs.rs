//! Rule documentation pages (`docs/rules/<id>.md`), generated from rule metadata.
//!
//! The pages are committed and a test regenerates them and fails on any difference, so the
//! docs cannot drift from the rules (`connect-guard rules docs --out docs/rules` rewrites them).

use std::fmt::Write as _;

use super::{Basis, Rule};

/// The Markdown page of one rule.
pub fn rule_page(rule: &Rule) -> String {
    let m = &rule.metadata;
    let mut page = String::new();
    // Writing to a String cannot fail; the results are ignored deliberately.
    let _ = writeln!(page, "# `{}`\n", m.id);
    let _ = writeln!(page, "**{}**\n", m.title);
    let _ = writeln!(page, "| | |\n|---|---|");
    let _ = writeln!(page, "| Rule id | `{}` |", m.id);
    if let Some(code) = &m.code {
        let _ = writeln!(page, "| Catalog code | {code} |");
    }
    let _ = writeln!(page, "| Severity | {} |", m.severity);
    let _ = writeln!(
        page,
        "| Kind | {} |",
        serde_json::to_value(m.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    let _ = writeln!(page, "| Source | `{}` |", rule.source.path);
    let _ = writeln!(page, "\n## What it checks\n\n{}", m.description.trim());
    if let Some(rationale) = &m.rationale {
        let _ = writeln!(page, "\n## Why it matters\n\n{}", rationale.trim());
    }
    let _ = writeln!(page, "\n## Remediation\n\n{}", m.remediation.trim());
    let _ = writeln!(page, "\n## Requirement source\n\n{}", basis_sentence(rule));
    if !m.sources.is_empty() {
        if m.basis == Basis::Hardening {
            let _ = writeln!(page, "\nRelated AWS documentation:");
        }
        let _ = writeln!(page);
        for source in &m.sources {
            let _ = writeln!(page, "- <{}>: {}", source.url, source.states.trim());
        }
    }
    if let Some(beyond) = &m.beyond_aws {
        let _ = writeln!(page, "\n**Beyond AWS guidance.** {}", beyond.trim());
    }
    if !m.references.is_empty() {
        let _ = writeln!(page, "\n## Further reading\n");
        for reference in &m.references {
            let _ = writeln!(page, "- <{reference}>");
        }
    }
    page
}

/// Who states the rule's requirement, in one sentence.
pub fn basis_sentence(rule: &Rule) -> &'static str {
    match (rule.metadata.basis, rule.source.builtin) {
        (Basis::Aws, _) => "AWS documentation states this requirement:",
        (Basis::Hardening, true) => {
            "connect-guard's own hardening recommendation, beyond what AWS documentation requires."
        }
        (Basis::Hardening, false) => {
            "The rule author's own hardening recommendation, beyond what AWS documentation requires."
        }
    }
}

/// The index page listing every rule.
pub fn index_page(rules: &[Rule]) -> String {
    let mut page = String::from(
        "# Rules\n\nGenerated from the rules' metadata by `connect-guard rules docs --out docs/rules`.\n\n| Rule id | Code | Severity | Basis | Title |\n|---|---|---|---|---|\n",
    );
    for rule in rules {
        let m = &rule.metadata;
        let _ = writeln!(
            page,
            "| [`{}`]({}.md) | {} | {} | {} | {} |",
            m.id,
            m.id,
            m.code.as_deref().unwrap_or(""),
            m.severity,
            basis_cell(rule),
            m.title
        );
    }
    page
}

fn basis_cell(rule: &Rule) -> &'static str {
    match (rule.metadata.basis, rule.source.builtin) {
        (Basis::Aws, _) => "AWS",
        (Basis::Hardening, true) => "connect-guard hardening",
        (Basis::Hardening, false) => "author's hardening",
    }
}
