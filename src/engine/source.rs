//! Policy sources: the built-in files embedded at build time and users' directories.
//!
//! A source is classified by its file name and package: `*_test.rego` files are tests,
//! packages under `rules.` are rules, anything else is a helper library that rules and
//! tests may import.

use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

/// What a policy file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A rule: package `rules.<area>.<name>` with `metadata` and `deny`.
    Rule,
    /// A helper library (`lib.*` or any other non-rule package).
    Library,
    /// A test file (`*_test.rego`).
    Test,
}

/// One Rego file.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// Path shown in messages: `policies/…` for built-in files, the real path otherwise.
    pub path: String,
    /// The Rego text.
    pub text: String,
    /// The package, e.g. `rules.federation.saml_trust_references_missing_provider`.
    pub package: String,
    /// What the file is for.
    pub kind: SourceKind,
    /// True for files embedded in the binary.
    pub builtin: bool,
}

/// A policy file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct SourceError {
    /// The file.
    pub path: String,
    /// Line of the problem, when known.
    pub line: Option<u32>,
    /// What is wrong, on one line.
    pub message: String,
}

impl PolicySource {
    /// Parses `text` far enough to know its package; syntax errors are reported here.
    pub fn new(path: String, text: String, builtin: bool) -> Result<Self, SourceError> {
        let mut probe = regorus::Engine::new();
        let package = probe
            .add_policy(path.clone(), text.clone())
            .map_err(|e| super::diagnostic::from_regorus(&path, &e))?;
        let package = package.trim_start_matches("data.").to_owned();
        Ok(Self::classified(path, text, package, builtin))
    }

    /// A file embedded in the binary, whose package is read from its `package` line instead
    /// of a parse: every scan loads all of them, tests included, and parsing each one only to
    /// learn its package cost more than evaluating the rules' metadata. The embedded files are
    /// parsed where they are used (rules and libraries when the rules load, tests by
    /// `policy test`), and a test checks that this reading agrees with the parse for each.
    fn embedded(path: &str, text: &str) -> Result<Self, SourceError> {
        match package_line(text) {
            Some(package) => Ok(Self::classified(
                path.to_owned(),
                text.to_owned(),
                package.to_owned(),
                true,
            )),
            // Not expected of a file that passed the tests; the parse explains what is wrong.
            None => Self::new(path.to_owned(), text.to_owned(), true),
        }
    }

    fn classified(path: String, text: String, package: String, builtin: bool) -> Self {
        let kind = if path.ends_with("_test.rego") {
            SourceKind::Test
        } else if package.starts_with("rules.") {
            SourceKind::Rule
        } else {
            SourceKind::Library
        };
        Self {
            path,
            text,
            package,
            kind,
            builtin,
        }
    }

    /// 1-based line of the first rule head named `name` at column 0, for messages.
    pub fn line_of_rule(&self, name: &str) -> Option<u32> {
        self.text
            .lines()
            .position(|line| {
                line.strip_prefix(name).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with([' ', '\t', '[', '(', ':', '{', '='])
                })
            })
            .and_then(|i| u32::try_from(i + 1).ok())
    }
}

/// Files that parsed, and the errors of those that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Files that parsed.
    pub sources: Vec<PolicySource>,
    /// Files that did not, each naming the file and line.
    pub errors: Vec<SourceError>,
}

impl Loaded {
    fn push(&mut self, result: Result<PolicySource, SourceError>) {
        match result {
            Ok(source) => self.sources.push(source),
            Err(error) => self.errors.push(error),
        }
    }
}

/// The policy files embedded in the binary.
pub fn builtin_sources() -> Loaded {
    let mut loaded = Loaded::default();
    for (path, text) in EMBEDDED_POLICIES {
        loaded.push(PolicySource::embedded(path, text));
    }
    loaded
}

/// The package a file declares on a line of its own (`package rules.idp.x`), when the
/// first line that is not blank or a comment is such a line and names a plain dotted path.
fn package_line(text: &str) -> Option<&str> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))?;
    let package = first.strip_prefix("package ")?.trim();
    let plain = !package.is_empty()
        && package.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    plain.then_some(package)
}

/// Every `.rego` file under `dir`, recursively, sorted by path. A file that does not parse
/// is an entry in [`Loaded::errors`]; only an unreadable directory fails the whole load.
pub fn directory_sources(dir: &Path) -> Result<Loaded, SourceError> {
    let mut paths = Vec::new();
    walk(dir, &mut paths).map_err(|e| SourceError {
        path: dir.display().to_string(),
        line: None,
        message: format!("cannot read policy directory: {e}"),
    })?;
    paths.sort();
    let mut loaded = Loaded::default();
    for path in paths {
        let shown = path.display().to_string();
        loaded.push(
            std::fs::read_to_string(&path)
                .map_err(|e| SourceError {
                    path: shown.clone(),
                    line: None,
                    message: format!("cannot read policy file: {e}"),
                })
                .and_then(|text| PolicySource::new(shown, text, false)),
        );
    }
    Ok(loaded)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rego") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_classified_as_their_parse_would() {
        assert!(!EMBEDDED_POLICIES.is_empty());
        for (path, text) in EMBEDDED_POLICIES {
            assert!(
                package_line(text).is_some(),
                "{path} has no plain package line"
            );
            let read = PolicySource::embedded(path, text).expect("embedded file");
            let parsed = PolicySource::new((*path).to_owned(), (*text).to_owned(), true)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                (read.package.as_str(), read.kind),
                (parsed.package.as_str(), parsed.kind),
                "{path}"
            );
        }
    }

    #[test]
    fn only_a_plain_package_line_is_read_without_a_parse() {
        assert_eq!(
            package_line("# about\n\npackage rules.idp.x\n"),
            Some("rules.idp.x")
        );
        assert_eq!(
            package_line("package lib.names\nimport rego.v1"),
            Some("lib.names")
        );
        for odd in [
            "",
            "import rego.v1\npackage a",
            "package a[\"b\"]",
            "package a.b # comment",
            "package 1a",
            "package a..b",
        ] {
            assert_eq!(package_line(odd), None, "{odd:?}");
        }
    }
}
