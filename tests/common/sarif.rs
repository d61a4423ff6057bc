//! SARIF checks shared by the report tests: the official schema, plus the GitHub code scanning
//! rules the schema cannot express (OUTPUTS.md §1, §6).

#![allow(dead_code, unreachable_pub)]

use std::collections::HashSet;

/// Validates `sarif` against the vendored SARIF 2.1.0 schema and GitHub's extra rules; panics
/// with every problem found.
pub fn assert_valid(sarif: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif-schema-2.1.0.json"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let problems = github_problems(sarif);
    assert!(problems.is_empty(), "GitHub SARIF problems: {problems:#?}");
}

/// What GitHub code scanning would reject or mishandle.
pub fn github_problems(sarif: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let runs = sarif["runs"].as_array().cloned().unwrap_or_default();
    if runs.is_empty() || runs.len() > 20 {
        problems.push(format!("{} runs (1–20 allowed)", runs.len()));
    }
    for run in &runs {
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if rules.len() > 25_000 {
            problems.push(format!("{} rules", rules.len()));
        }
        let mut ids = HashSet::new();
        for rule in &rules {
            let id = rule["id"].as_str().unwrap_or("");
            if id.is_empty() || !ids.insert(id.to_owned()) {
                problems.push(format!("rule id missing or duplicated: {id:?}"));
            }
            for field in ["shortDescription", "fullDescription", "help"] {
                let text = rule[field]["text"].as_str().unwrap_or("");
                if text.trim().is_empty() {
                    problems.push(format!("{id}: empty {field}.text"));
                }
                if field != "help" && text.chars().count() > 1024 {
                    problems.push(format!("{id}: {field}.text over 1024 characters"));
                }
            }
            if rule["name"]
                .as_str()
                .is_some_and(|n| n.chars().count() > 255)
            {
                problems.push(format!("{id}: name over 255 characters"));
            }
            let tags = rule["properties"]["tags"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if tags.len() > 10 {
                problems.push(format!("{id}: {} tags (10 shown)", tags.len()));
            }
            if let Some(score) = rule["properties"]["security-severity"].as_str() {
                let value: f64 = score.parse().unwrap_or(-1.0);
                if !(value > 0.0 && value <= 10.0) {
                    problems.push(format!("{id}: security-severity {score} out of range"));
                }
                if !tags.iter().any(|t| t == "security") {
                    problems.push(format!("{id}: security-severity without the security tag"));
                }
            }
        }
        let results = run["results"].as_array().cloned().unwrap_or_default();
        if results.len() > 25_000 {
            problems.push(format!("{} results (25,000 allowed)", results.len()));
        }
        let mut fingerprints = HashSet::new();
        for (i, result) in results.iter().enumerate() {
            let rule_id = result["ruleId"].as_str().unwrap_or("");
            if !ids.contains(rule_id) {
                problems.push(format!("result {i}: rule {rule_id:?} not declared"));
            }
            if result["message"]["text"]
                .as_str()
                .is_none_or(|t| t.trim().is_empty())
            {
                problems.push(format!("result {i}: empty message.text"));
            }
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap_or("");
            let first = uri.split('/').next().unwrap_or("");
            if uri.is_empty() || uri.starts_with('/') || first.contains(':') {
                problems.push(format!(
                    "result {i}: uri {uri:?} is not a scheme-less relative path"
                ));
            }
            if uri
                .bytes()
                .any(|b| !(b.is_ascii_alphanumeric() || b"-._~%/".contains(&b)))
            {
                problems.push(format!("result {i}: uri {uri:?} has unencoded characters"));
            }
            if uri
                .split('/')
                .any(|s| s == "." || s == ".." || s.is_empty())
            {
                problems.push(format!("result {i}: uri {uri:?} has dot or empty segments"));
            }
            if location["region"]["startLine"]
                .as_u64()
                .is_none_or(|l| l < 1)
            {
                problems.push(format!("result {i}: no region.startLine"));
            }
            let fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap_or("");
            if fingerprint.is_empty() || !fingerprints.insert(fingerprint.to_owned()) {
                problems.push(format!(
                    "result {i}: fingerprint {fingerprint:?} missing or duplicated"
                ));
            }
        }
    }
    problems
}
