//! Where each resource of a template starts: the line of its logical id under `Resources`.
//!
//! Neither JSON nor YAML parsers report positions here, and a finding needs only the line of
//! the resource, so the text is searched: the first line after the `Resources` key whose
//! content starts with the logical id as a mapping key (`Id:`, `"Id":` or `'Id':`). Logical
//! ids are alphanumeric, so they cannot hide inside other syntax.

use std::collections::BTreeMap;

/// The 1-based line of each of `ids` in `text`; ids not found are left out.
pub(crate) fn resource_lines<'a>(
    text: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, usize> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| key_of(l) == Some("Resources"))
        .unwrap_or(0);
    let mut found = BTreeMap::new();
    for id in ids {
        let line = lines[start..]
            .iter()
            .position(|l| key_of(l) == Some(id))
            .map(|offset| start + offset + 1)
            // Minified JSON: everything is on one line.
            .or_else(|| text.contains(&format!("\"{id}\"")).then_some(1));
        if let Some(line) = line {
            found.insert(id.to_owned(), line);
        }
    }
    found
}

/// The mapping key a line starts with, unquoted.
fn key_of(line: &str) -> Option<&str> {
    let trimmed = line.trim_start().trim_start_matches('{').trim_start();
    let (key, rest) = if let Some(quoted) = trimmed.strip_prefix('"') {
        quoted.split_once('"')?
    } else if let Some(quoted) = trimmed.strip_prefix('\'') {
        quoted.split_once('\'')?
    } else {
        let end = trimmed.find(':')?;
        (&trimmed[..end], &trimmed[end..])
    };
    rest.trim_start().starts_with(':').then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_logical_ids_in_yaml_and_json() {
        let yaml = "Parameters:\n  Instance: {Type: String}\nResources:\n  Instance:\n    Type: AWS::Connect::Instance\n  'Role':\n    Type: AWS::IAM::Role\n";
        let lines = resource_lines(yaml, ["Instance", "Role", "Missing"]);
        assert_eq!(
            lines.get("Instance"),
            Some(&4),
            "the resource, not the parameter"
        );
        assert_eq!(lines.get("Role"), Some(&6));
        assert_eq!(lines.get("Missing"), None);

        let json = "{\n  \"Resources\": {\n    \"Provider\": {\n      \"Type\": \"AWS::IAM::SAMLProvider\"\n    }\n  }\n}\n";
        assert_eq!(resource_lines(json, ["Provider"]).get("Provider"), Some(&3));
        let minified = "{\"Resources\":{\"Provider\":{\"Type\":\"AWS::IAM::SAMLProvider\"}}}";
        assert_eq!(
            resource_lines(minified, ["Provider"]).get("Provider"),
            Some(&1)
        );
    }
}
