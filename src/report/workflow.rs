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
//! - **Everything else on stderr** (progress, errors, warnings) goes through [`crate::untrusted::for_log`],
//!   which strips control and bidirectional-override characters and breaks both command
//!   forms; stderr cannot be bracketed, because the runner reads the two streams apart and
//!   their order is not kept.

use std::borrow::Cow;

use std::hash::{BuildHasher as _, Hasher as _};

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

#[cfg(test)]
mod tests {
    use super::*;

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
