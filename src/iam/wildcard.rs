//! Wildcard matching for actions, ARNs and `StringLike` values.
//!
//! IAM knows two wildcards, `*` (any run of characters, possibly empty) and `?` (exactly one
//! character). Where they may appear and what they may cross differs by element:
//!
//! - **Actions** ("IAM JSON policy elements: Action") are matched case-insensitively over the
//!   whole string, so `connect:Get*` covers `connect:GetFederationTokens` but not
//!   `connect:AdminGetEmergencyAccessToken`.
//! - **ARNs** ("IAM JSON policy elements: Condition operators", ARN section) are matched
//!   case-sensitively, each of the six colon-separated parts on its own: a `*` in the account
//!   part never swallows a colon. The resource part is the remainder of the ARN and keeps its
//!   own colons. "IAM JSON policy elements: Resource" adds that a `*` ending a segment "can
//!   expand to match beyond the colon boundaries"; we honour that only where it changes the
//!   result without doubt, for a pattern with fewer than six parts whose last part ends with
//!   `*` (`arn:aws:connect:*`), see [`arn_matches`].
//! - **`StringLike`** globs across anything.
//!
//! Matching uses the classic two-pointer greedy algorithm (remember the last `*` and retry
//! from one character further on a mismatch). It needs no regex, never backtracks
//! exponentially and runs in O(pattern × text) at worst, which for policy-sized strings is
//! effectively linear.

/// One element of a compiled pattern.
///
/// Policy variables can make `*`, `?` and `$` literal (`${*}`, `${?}`, `${$}`, and any
/// substituted value), so patterns are compiled to tokens instead of being re-parsed as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A character that must match itself.
    Lit(char),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
}

/// Compiles a pattern in which `*` and `?` are wildcards.
pub(crate) fn tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            other => Tok::Lit(other),
        })
        .collect()
}

/// Lower-cases the literal characters of a pattern (a literal may lower-case to several
/// characters, e.g. `İ`, so it expands).
fn lower_tokens(pattern: &[Tok]) -> Vec<Tok> {
    let mut out = Vec::with_capacity(pattern.len());
    for tok in pattern {
        match tok {
            Tok::Lit(c) => out.extend(c.to_lowercase().map(Tok::Lit)),
            other => out.push(*other),
        }
    }
    out
}

/// Whole-string glob match of `text` against `pattern` (two-pointer greedy).
///
/// Generic so that one algorithm serves compiled tokens over characters and, for the common
/// all-ASCII case, pattern bytes over text bytes without allocating: `token` reads a pattern
/// unit as a [`Tok`] and `same` compares a literal with a text unit.
fn glob<P: Copy, T: Copy>(
    pattern: &[P],
    text: &[T],
    token: impl Fn(P) -> Tok,
    same: impl Fn(char, T) -> bool,
) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Position of the last `*` seen and the text position it currently stands for.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p).map(|unit| token(*unit)) {
            Some(Tok::Star) => {
                backtrack = Some((p, t));
                p += 1;
                continue;
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
                continue;
            }
            Some(Tok::Lit(c)) if same(c, text[t]) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            // Let the last `*` absorb one more character and retry after it.
            Some((star_p, star_t)) => {
                p = star_p + 1;
                t = star_t + 1;
                backtrack = Some((star_p, star_t + 1));
            }
            None => return false,
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|unit| token(*unit) == Tok::Star)
}

/// A pattern byte as a token: `*` and `?` are wildcards.
fn byte_token(byte: u8) -> Tok {
    match byte {
        b'*' => Tok::Star,
        b'?' => Tok::One,
        other => Tok::Lit(char::from(other)),
    }
}

/// Compares an ASCII literal with a text byte.
fn same_byte(ignore_case: bool) -> impl Fn(char, u8) -> bool {
    move |c, b| {
        let c = c as u32;
        if ignore_case {
            c < 128 && (c as u8).eq_ignore_ascii_case(&b)
        } else {
            c == u32::from(b)
        }
    }
}

/// Glob match over compiled tokens, optionally ignoring case.
pub(crate) fn glob_tokens(pattern: &[Tok], value: &str, ignore_case: bool) -> bool {
    let ascii_pattern = pattern
        .iter()
        .all(|tok| !matches!(tok, Tok::Lit(c) if !c.is_ascii()));
    if value.is_ascii() && ascii_pattern {
        // ASCII lower-cases one character to one, so bytes compare as characters do.
        return glob(pattern, value.as_bytes(), |tok| tok, same_byte(ignore_case));
    }
    if ignore_case {
        let text: Vec<char> = value.to_lowercase().chars().collect();
        glob(&lower_tokens(pattern), &text, |tok| tok, |c, t| c == t)
    } else {
        let text: Vec<char> = value.chars().collect();
        glob(pattern, &text, |tok| tok, |c, t| c == t)
    }
}

/// Glob match of a pattern written as text (`*` and `?` wildcards).
fn glob_str(pattern: &str, value: &str, ignore_case: bool) -> bool {
    if pattern.is_ascii() && value.is_ascii() {
        return glob(
            pattern.as_bytes(),
            value.as_bytes(),
            byte_token,
            same_byte(ignore_case),
        );
    }
    glob_tokens(&tokens(pattern), value, ignore_case)
}

/// Does the action pattern `pattern` (as written in `Action`/`NotAction`) cover `action`?
///
/// Case-insensitive, `*` and `?` anywhere, whole string. Since September 2025 SCPs accept
/// wildcards at the start or middle of an action too (DOMAIN.md §1 item 6), so
/// `connect:*Instance` matches `connect:DeleteInstance`.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob_str(pattern, action, true)
}

/// `StringLike`: does `value` match `pattern`, with `*` and `?` crossing anything?
pub fn string_like(pattern: &str, value: &str, ignore_case: bool) -> bool {
    glob_str(pattern, value, ignore_case)
}

/// Does the ARN pattern `pattern` cover `arn`, with IAM `ArnLike` semantics?
///
/// - case-sensitive;
/// - a pattern made only of `*` matches anything, ARN or not;
/// - otherwise both are split on their first five colons into six parts (partition,
///   service, region, account, resource; the sixth part keeps any further colons) and each
///   part is globbed on its own, so `*` never crosses a part boundary;
/// - a value with fewer than six parts is not an ARN and matches only `*`;
/// - a pattern with fewer than six parts matches only when its last part ends with `*`,
///   which then covers the rest of the ARN ("IAM JSON policy elements: Resource": a `*` that
///   ends a segment "can expand to match beyond the colon boundaries"). `arn:aws:connect:*`
///   therefore covers every Connect ARN.
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    if pattern.is_ascii() && arn.is_ascii() {
        return arn_match_by(pattern.as_bytes(), arn, byte_token);
    }
    arn_tokens(&tokens(pattern), arn)
}

/// [`arn_matches`] over compiled tokens.
pub(crate) fn arn_tokens(pattern: &[Tok], arn: &str) -> bool {
    arn_match_by(pattern, arn, |tok| tok)
}

/// The ARN match of [`arn_matches`], over any pattern units, allocating only for non-ASCII
/// text.
fn arn_match_by<P: Copy>(pattern: &[P], arn: &str, token: impl Fn(P) -> Tok + Copy) -> bool {
    if !pattern.is_empty() && pattern.iter().all(|unit| token(*unit) == Tok::Star) {
        return true;
    }
    let mut value = [""; 6];
    let mut count = 0;
    for (slot, part) in value.iter_mut().zip(arn.splitn(6, ':')) {
        *slot = part;
        count += 1;
    }
    if count < 6 {
        return false;
    }
    let mut parts: [&[P]; 6] = [&[]; 6];
    let mut found = 0;
    let mut start = 0;
    for (i, unit) in pattern.iter().enumerate() {
        if found == 5 {
            break;
        }
        if token(*unit) == Tok::Lit(':') {
            parts[found] = &pattern[start..i];
            found += 1;
            start = i + 1;
        }
    }
    parts[found] = &pattern[start..];
    let parts = &parts[..=found];
    let part_matches = |pat: &[P], val: &str| {
        if val.is_ascii() {
            glob(pat, val.as_bytes(), token, same_byte(false))
        } else {
            let text: Vec<char> = val.chars().collect();
            glob(pat, &text, token, |c, t| c == t)
        }
    };
    let Some((last, leading)) = parts.split_last() else {
        return false;
    };
    if parts.len() == 6 {
        return parts
            .iter()
            .zip(&value)
            .all(|(pat, val)| part_matches(pat, val));
    }
    // Fewer than six parts: only a trailing `*` can stand for the missing ones.
    if last.last().map(|unit| token(*unit)) != Some(Tok::Star) {
        return false;
    }
    let leading_ok = leading
        .iter()
        .zip(&value)
        .all(|(pat, val)| part_matches(pat, val));
    // The rest of the ARN after the leading parts, colons included.
    let rest = arn
        .splitn(leading.len() + 1, ':')
        .nth(leading.len())
        .unwrap_or("");
    leading_ok && part_matches(last, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The character path, whatever the input: the reference for the byte path.
    fn glob_chars(pattern: &str, value: &str, ignore_case: bool) -> bool {
        let (pattern, value) = if ignore_case {
            (lower_tokens(&tokens(pattern)), value.to_lowercase())
        } else {
            (tokens(pattern), value.to_owned())
        };
        let text: Vec<char> = value.chars().collect();
        glob(&pattern, &text, |tok| tok, |c, t| c == t)
    }

    proptest! {
        /// The allocation-free ASCII path agrees with the character path.
        #[test]
        fn byte_path_agrees_with_char_path(
            pattern in "[aA:*?/b-]{0,12}",
            value in "[aAbB:/-]{0,12}",
            ignore_case: bool,
        ) {
            prop_assert_eq!(
                string_like(&pattern, &value, ignore_case),
                glob_chars(&pattern, &value, ignore_case)
            );
            prop_assert_eq!(
                glob_tokens(&tokens(&pattern), &value, ignore_case),
                glob_chars(&pattern, &value, ignore_case)
            );
            prop_assert_eq!(
                arn_matches(&pattern, &value),
                arn_tokens(&tokens(&pattern), &value)
            );
        }
    }

    #[test]
    fn actions() {
        let cases = [
            // Both emergency-access names against the usual wildcards (DOMAIN.md §1 item 2).
            ("connect:Get*", "connect:GetFederationTokens", true),
            (
                "connect:Get*",
                "connect:AdminGetEmergencyAccessToken",
                false,
            ),
            (
                "connect:Admin*",
                "connect:AdminGetEmergencyAccessToken",
                true,
            ),
            ("connect:Admin*", "connect:GetFederationTokens", false),
            ("connect:*", "connect:AdminGetEmergencyAccessToken", true),
            ("connect:*", "connect:GetFederationTokens", true),
            ("*", "connect:GetFederationTokens", true),
            (
                "connect:GetFederationToken",
                "connect:GetFederationTokens",
                false,
            ),
            (
                "connect:GetFederationToken?",
                "connect:GetFederationTokens",
                true,
            ),
            ("connect:*Instance", "connect:DeleteInstance", true),
            ("connect:*Instance", "connect:DeleteInstanceX", false),
            (
                "connect:*Emergency*",
                "connect:AdminGetEmergencyAccessToken",
                true,
            ),
            // Actions are case-insensitive.
            ("CONNECT:deleteinstance", "connect:DeleteInstance", true),
            ("Connect:Get*", "connect:getfederationtoken", true),
            ("iam:*", "connect:DeleteInstance", false),
            ("", "", true),
            ("", "a", false),
            ("**", "", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ];
        for (pattern, action, want) in cases {
            assert_eq!(
                action_matches(pattern, action),
                want,
                "{pattern} vs {action}"
            );
        }
    }

    #[test]
    fn arns() {
        let cases = [
            (
                "arn:aws:iam::*:role/BreakGlass*",
                "arn:aws:iam::111122223333:role/BreakGlassAdmin",
                true,
            ),
            // Case-sensitive, unlike actions.
            (
                "arn:aws:iam::*:role/BreakGlass*",
                "arn:aws:iam::111122223333:role/breakglassadmin",
                false,
            ),
            // `*` in the account part does not swallow colons.
            (
                "arn:aws:iam::*:role/x",
                "arn:aws:iam::111122223333:extra:role/x",
                false,
            ),
            // ... but the resource part keeps its colons and a `*` there crosses them.
            (
                "arn:aws:logs:*:*:log-group:*",
                "arn:aws:logs:us-east-1:111122223333:log-group:a:b",
                true,
            ),
            // `*` within the resource part crosses slashes.
            (
                "arn:aws:connect:*:*:instance/*",
                "arn:aws:connect:us-east-1:111122223333:instance/abc/user/AROA:jdoe",
                true,
            ),
            ("*", "arn:aws:s3:::bucket", true),
            ("*", "not-an-arn", true),
            ("not-an-arn", "not-an-arn", false),
            ("arn:*", "not:an:arn", false),
            // Short pattern ending in `*` covers the rest (Resource element rule).
            (
                "arn:aws:connect:*",
                "arn:aws:connect:us-east-1:1:instance/x",
                true,
            ),
            ("arn:aws:connect:*", "arn:aws:iam::1:role/x", false),
            (
                "arn:aws:connect",
                "arn:aws:connect:us-east-1:1:instance/x",
                false,
            ),
            ("arn:aws:iam::?:role/x", "arn:aws:iam::1:role/x", true),
            ("arn:aws:iam::?:role/x", "arn:aws:iam::12:role/x", false),
            ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true),
            ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false),
        ];
        for (pattern, arn, want) in cases {
            assert_eq!(arn_matches(pattern, arn), want, "{pattern} vs {arn}");
        }
    }

    #[test]
    fn string_like_cases() {
        let cases = [
            (
                "https://*.sign-in.connect.aws/saml*",
                "https://i.us-east-1.sign-in.connect.aws/saml?x",
                false,
                true,
            ),
            ("a?c", "abc", false, true),
            ("a?c", "ac", false, false),
            ("ABC*", "abcdef", true, true),
            ("ABC*", "abcdef", false, false),
            ("*:*", "a:b:c", false, true),
        ];
        for (pattern, value, ignore_case, want) in cases {
            assert_eq!(
                string_like(pattern, value, ignore_case),
                want,
                "{pattern} vs {value}"
            );
        }
    }

    #[test]
    fn literal_tokens_are_not_wildcards() {
        let pattern = [Tok::Lit('a'), Tok::Lit('*')];
        assert!(glob_tokens(&pattern, "a*", false));
        assert!(!glob_tokens(&pattern, "ab", false));
    }

    #[test]
    fn no_exponential_backtracking() {
        let pattern = format!("{}b", "*a".repeat(200));
        let text = "a".repeat(5000);
        assert!(!string_like(&pattern, &text, false));
    }
}
