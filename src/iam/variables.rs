//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}` …).
//!
//! "IAM policy elements: Variables and tags" defines the syntax:
//!
//! - `${key}` is replaced by the single value of context key `key` (names are
//!   case-insensitive). Multivalued keys cannot be used as variables.
//! - `${key, 'default'}` uses `default` when the key has no value; `''` inside the quotes is
//!   a literal quote.
//! - `${*}`, `${?}` and `${$}` are a literal `*`, `?` and `$`.
//! - A key with no value and no default leaves the value "effectively null": it equals and
//!   is like nothing ("Policy variables with no value").
//!
//! Substituted text is always literal: a `*` inside a user name is not a wildcard. That is
//! why resolution produces [`Tok`]s rather than a string.

use super::condition::{Lookup, RequestContext};
use super::wildcard::Tok;

/// What a policy value becomes once its variables are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The value, as pattern tokens (wildcards only where the policy wrote them).
    Value(Vec<Tok>),
    /// A variable has no value and no default: the value matches nothing.
    NoValue,
    /// A variable's key is not known; the named key would decide.
    Unknown(String),
}

impl Resolved {
    /// The value as plain text (wildcards spelled as `*`/`?`), for exact comparisons.
    pub(crate) fn text(tokens: &[Tok]) -> String {
        tokens
            .iter()
            .map(|tok| match tok {
                Tok::Lit(c) => *c,
                Tok::Star => '*',
                Tok::One => '?',
            })
            .collect()
    }
}

/// Resolves every `${…}` in `value` against `context`.
pub(crate) fn resolve(value: &str, context: &RequestContext) -> Resolved {
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        push_pattern(&mut out, &rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = find_close(after) else {
            // Unterminated `${`: IAM would reject the policy; keep the text as written.
            push_pattern(&mut out, &rest[start..]);
            return Resolved::Value(out);
        };
        let inner = &after[..end];
        rest = &after[end + 1..];
        match inner {
            "*" => out.push(Tok::Lit('*')),
            "?" => out.push(Tok::Lit('?')),
            "$" => out.push(Tok::Lit('$')),
            _ => {
                let (key, default) = split_default(inner);
                match context.lookup(key) {
                    Lookup::Present([single]) => out.extend(single.chars().map(Tok::Lit)),
                    // Absent, or multivalued (which cannot be a variable): use the default.
                    Lookup::Present(_) | Lookup::Absent => match default {
                        Some(text) => out.extend(text.chars().map(Tok::Lit)),
                        None => return Resolved::NoValue,
                    },
                    Lookup::Unknown => return Resolved::Unknown(key.to_owned()),
                }
            }
        }
    }
    push_pattern(&mut out, rest);
    Resolved::Value(out)
}

fn push_pattern(out: &mut Vec<Tok>, text: &str) {
    out.extend(super::wildcard::tokens(text));
}

/// Finds the `}` that closes a variable, skipping over a quoted default.
fn find_close(text: &str) -> Option<usize> {
    let mut in_quote = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '}' if !in_quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// Splits `key, 'default'` into the key and the unquoted default.
fn split_default(inner: &str) -> (&str, Option<String>) {
    match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let unquoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .unwrap_or(default)
                .replace("''", "'");
            (key.trim(), Some(unquoted))
        }
        None => (inner.trim(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &Resolved) -> Option<String> {
        match r {
            Resolved::Value(t) => Some(Resolved::text(t)),
            _ => None,
        }
    }

    #[test]
    fn resolution() {
        let ctx = RequestContext::new()
            .with("aws:username", ["jdoe"])
            .with("aws:PrincipalTag/team", ["ops"])
            .with("aws:TagKeys", ["a", "b"])
            .without("aws:userid");
        let cases: [(&str, Option<&str>); 9] = [
            ("home/${aws:username}/*", Some("home/jdoe/*")),
            ("${AWS:USERNAME}", Some("jdoe")),
            ("${aws:PrincipalTag/team}-x", Some("ops-x")),
            ("a${*}b${?}c${$}", Some("a*b?c$")),
            ("${aws:userid, 'nobody'}", Some("nobody")),
            ("${aws:userid, 'it''s'}", Some("it's")),
            ("${aws:TagKeys, 'multi'}", Some("multi")),
            (
                "unterminated ${aws:username",
                Some("unterminated ${aws:username"),
            ),
            ("plain", Some("plain")),
        ];
        for (value, want) in cases {
            assert_eq!(text(&resolve(value, &ctx)).as_deref(), want, "{value}");
        }
        assert_eq!(resolve("${aws:userid}", &ctx), Resolved::NoValue);
        assert_eq!(
            resolve("${aws:SourceIp}", &ctx),
            Resolved::Unknown("aws:SourceIp".to_owned())
        );
    }

    #[test]
    fn escapes_and_substitutions_are_literal() {
        let ctx = RequestContext::new().with("aws:username", ["a*b"]);
        let Resolved::Value(tokens) = resolve("${*}${aws:username}*", &ctx) else {
            panic!("expected a value");
        };
        assert_eq!(tokens[0], Tok::Lit('*'));
        assert_eq!(tokens[2], Tok::Lit('*'));
        assert_eq!(tokens[4], Tok::Star);
    }
}
