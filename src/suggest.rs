//! "Did you mean …?": the known name closest to a mistyped one.
//!
//! One rule for every suggestion connect-guard makes (rule ids, parameters, configuration
//! keys, IAM actions), so they agree on what counts as a typo.

/// The name in `known` closest to `typed`, when it is close enough to be a typo of it: at
/// most three edits, or a quarter of the typed length for long names. Case is ignored (IAM
/// action names are case-insensitive, and a wrong case is a typo everywhere else); ties go
/// to the first name in `known`.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_lower = typed.to_lowercase();
    let limit = 3.max(typed.chars().count() / 4);
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        let distance = strsim::levenshtein(&candidate.to_lowercase(), &typed_lower);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let known = ["expiry_warn_days", "production_ous", "fail-on"];
        assert_eq!(closest("expiry_warn_dayz", known), Some("expiry_warn_days"));
        assert_eq!(closest("FAIL-ON", known), Some("fail-on"));
        assert_eq!(closest("something-else-entirely", known), None);
        assert_eq!(closest("x", []), None);
    }

    #[test]
    fn long_names_allow_more_edits() {
        let known = ["federation-role-tampering-not-denied-by-scp"];
        assert_eq!(
            closest("federation-role-tampring-not-denied-by-sc", known),
            Some(known[0])
        );
    }
}
