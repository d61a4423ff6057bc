//! Keeping strings from AWS from forming GitHub Actions workflow commands.
//!
//! The runner reads every line a step writes to stdout and stderr. A line is a command when,
//! after leading whitespace, it starts with `::` (`::error::…`, `::add-mask::…`,
//! `::stop-commands::…`), and in the legacy form when `##[` appears anywhere in it
//! (`##[error]…`). An account, role or tag name is chosen by whoever controls a member
//! account, so without care a member account could forge annotations, mask values or stop
//! command processing for the rest of the job. Under `GITHUB_ACTIONS=true`:
//!
//! - **Text reports on stdout** (table, Markdown, HTML) are bracketed by
//!   `::stop-commands::<token>` and `::<token>::` with a fresh random token per run: the runner
//!   executes nothing in between, and no snapshot can guess the token. connect-guard's own
//!   annotations follow the closing token.
//! - **Data reports on stdout** (JSON, SARIF) keep their meaning exactly: a pretty-printed
//!   JSON line cannot start with `::`, and `##[` inside a string is written `#\u0023[`, the
//!   same JSON string. Their annotations go to stderr.
//! - **Everything else on stderr** (progress, errors, warnings) goes through [`for_log`],
//!   which strips control and bidirectional-override characters and breaks both command
//!   forms; stderr cannot be bracketed, because the runner reads the two streams apart and
//!   their order is not kept.

use std::borrow::Cow;
use std::hash::{BuildHasher as _, Hasher as _};

/// True when a GitHub Actions runner reads this process's output (`GITHUB_ACTIONS=true`),
/// whatever `--no-github` says: that flag turns off connect-guard's annotations, not the
/// runner's parsing.
pub fn runner_reads_output() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// A fresh token for `::stop-commands::`, 128 random bits from std's OS-seeded hasher keys.
pub fn stop_token() -> String {
    let mut token = String::from("connect-guard-");
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0);
        token.push_str(&format!("{:016x}", hasher.finish()));
    }
    token
}

/// The command that stops command processing until `::<token>::`.
pub fn stop_commands(token: &str) -> String {
    format!("::stop-commands::{token}")
}

/// The line that resumes command processing.
pub fn resume_commands(token: &str) -> String {
    format!("::{token}::")
}

/// JSON text whose `##[` sequences (only possible inside strings) are written `#\u0023[`.
pub fn json_without_legacy_commands(json: &str) -> Cow<'_, str> {
    if json.contains("##[") {
        Cow::Owned(json.replace("##[", "#\\u0023["))
    } else {
        Cow::Borrowed(json)
    }
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

    #[test]
    fn json_keeps_its_meaning() {
        let value = serde_json::json!({"name": "x ##[add-mask]y ##[z"});
        let text = serde_json::to_string_pretty(&value).expect("serializes");
        let safe = json_without_legacy_commands(&text);
        assert!(!safe.contains("##["));
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(stop_token(), stop_token());
        assert_eq!(stop_token().len(), "connect-guard-".len() + 32);
    }
}
