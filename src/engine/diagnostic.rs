//! Turning regorus errors into one-line messages with a file and line.
//!
//! regorus renders errors rustc-style over several lines (`--> file:line:col`, a source
//! excerpt, `error: …`) and has no structured span type, so the location is read back from
//! that text. See ../shared/ENGINE.md §6.

use super::source::SourceError;

/// Condenses a regorus error about `path` into a [`SourceError`].
pub(crate) fn from_regorus(path: &str, error: &anyhow::Error) -> SourceError {
    let text = format!("{error:#}");
    let mut location: Option<(String, Option<u32>)> = None;
    let mut message: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("-->") {
            if location.is_none() {
                location = Some(parse_location(rest.trim()));
            }
        } else if let Some(rest) = trimmed.strip_prefix("error:")
            && message.is_none()
        {
            message = Some(rest.trim().to_owned());
        }
    }
    let message = message.unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("unknown error")
            .to_owned()
    });
    let (file, line) = location.unwrap_or_else(|| (path.to_owned(), None));
    SourceError {
        path: file,
        line,
        message: lower_first(&message),
    }
}

/// `file:line:col` → `(file, Some(line))`; file names may themselves contain `:`.
fn parse_location(text: &str) -> (String, Option<u32>) {
    let mut parts = text.rsplitn(3, ':');
    let col = parts.next();
    let line = parts.next();
    match (parts.next(), line.and_then(|l| l.parse().ok()), col) {
        (Some(file), Some(line), Some(c)) if c.chars().all(|c| c.is_ascii_digit()) => {
            (file.to_owned(), Some(line))
        }
        _ => (text.to_owned(), None),
    }
}

/// Messages are lower-case by convention, except where they start with code or a name.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_ascii_uppercase() && second.is_lowercase() => {
            first.to_ascii_lowercase().to_string() + &message[1..]
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_file_and_line() {
        let mut engine = regorus::Engine::new();
        let error = engine
            .add_policy(
                "p/x.rego".into(),
                "package x\n\ndeny contains y if {\n  y := \n}\n".into(),
            )
            .expect_err("syntax error");
        let source = from_regorus("p/x.rego", &error);
        assert_eq!(source.path, "p/x.rego");
        assert!(
            source.line.is_some_and(|l| (3..=5).contains(&l)),
            "{source:?}"
        );
        assert!(!source.message.contains('\n'));
    }

    #[test]
    fn locations_with_colons_in_paths() {
        assert_eq!(
            parse_location("C:/p/x.rego:4:24"),
            ("C:/p/x.rego".to_owned(), Some(4))
        );
        assert_eq!(parse_location("nonsense"), ("nonsense".to_owned(), None));
    }
}
