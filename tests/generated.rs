//! Generated artefacts are committed; these tests fail when they drift from the code.
//!
//! Regenerate with `scripts/regenerate.sh`.

use std::path::Path;

use connect_guard::engine::{PolicySet, docs};
use connect_guard::snapshot::Snapshot;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn assert_same(path: &str, expected: &str) {
    let committed = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_default();
    assert!(
        committed == expected,
        "{path} is out of date: run scripts/regenerate.sh and commit the result"
    );
}

#[test]
fn snapshot_schema_is_current() {
    let schema = serde_json::to_string_pretty(&Snapshot::json_schema()).expect("serializes");
    assert_same("schemas/snapshot.v1.json", &format!("{schema}\n"));
}

#[test]
fn rule_docs_are_current() {
    let set = PolicySet::load(true, &[]).expect("builtin policies load");
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    let mut expected: Vec<String> = set
        .rules
        .iter()
        .map(|r| format!("{}.md", r.metadata.id))
        .collect();
    for rule in &set.rules {
        assert_same(
            &format!("docs/rules/{}.md", rule.metadata.id),
            &docs::rule_page(rule),
        );
    }
    assert_same("docs/rules/README.md", &docs::index_page(&set.rules));
    // No page may outlive its rule.
    expected.push("README.md".to_owned());
    expected.sort();
    let mut present: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("docs/rules"))
        .expect("docs/rules exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(
        present, expected,
        "docs/rules has pages without rules, or rules without pages"
    );
}
