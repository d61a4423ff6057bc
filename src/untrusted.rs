//! Text from AWS on its way to a terminal or a CI log.
//!
//! Names, tags and messages come from member accounts. Before they reach a terminal or the
//! log of a GitHub Actions runner, control characters (escape sequences, new lines) and
//! bidirectional overrides are removed, and under `GITHUB_ACTIONS=true` neither form of
//! workflow command can start: see [`crate::report::workflow`] for the reports themselves.

/// True when a GitHub Actions runner reads this process's output (`GITHUB_ACTIONS=true`),
/// whatever `--no-github` says: that flag turns off connect-guard's annotations, not the
/// runner's parsing.
pub fn runner_reads_output() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// `text` made safe for a log line when a runner reads it, and free of control and
/// bidirectional-override characters always.
pub fn for_log(text: &str) -> String {
    let clean = without_controls(text);
    if runner_reads_output() {
        neutralize(&clean)
    } else {
        clean
    }
}

/// Control characters become spaces (no escape sequence, no new line) and bidirectional
/// overrides and isolates are dropped (no text that reads differently than it is).
pub fn without_controls(text: &str) -> String {
    text.chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// U+202A–U+202E (embeddings and overrides), U+2066–U+2069 (isolates), the marks U+200E,
/// U+200F and U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// One line that cannot form a command: a leading `::` becomes `: :`, every `##[` becomes
/// `# #[`.
pub fn neutralize(line: &str) -> String {
    let mut out = line.replace("##[", "# #[");
    let indent = out.len() - out.trim_start().len();
    if out[indent..].starts_with("::") {
        out.insert(indent + 1, ' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralized_lines_are_no_commands() {
        assert_eq!(neutralize("::error::forged"), ": :error::forged");
        assert_eq!(neutralize("  ::add-mask::x"), "  : :add-mask::x");
        assert_eq!(
            neutralize("x ##[stop-commands]pause"),
            "x # #[stop-commands]pause"
        );
        assert_eq!(neutralize("a::b"), "a::b");
    }

    #[test]
    fn controls_and_bidi_overrides_are_removed() {
        assert_eq!(
            without_controls("a\u{1b}[31m\u{202e}b\nc\u{2066}d"),
            "a [31mb cd"
        );
    }
}
