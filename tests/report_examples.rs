//! The example reports under `reports/examples/` are committed so a visitor can open them
//! without installing anything; this test fails when they drift from the code.
//!
//! Regenerate with `scripts/regenerate.sh`.

mod common;
#[path = "common/sarif.rs"]
mod sarif_check;

use std::path::Path;

use common::scan;

const EXAMPLES: [&str; 3] = ["demo.sarif", "demo.md", "demo.json"];

#[test]
fn example_reports_are_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec![
        "--demo".to_owned(),
        "--fail-on".to_owned(),
        "none".to_owned(),
    ];
    for name in EXAMPLES {
        args.push("--report".to_owned());
        args.push(dir.path().join(name).display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = scan(&args);
    assert_eq!(code, 3, "{stderr}");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/examples");
    for name in EXAMPLES {
        let fresh = std::fs::read_to_string(dir.path().join(name)).expect("written");
        let committed = std::fs::read_to_string(examples.join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "reports/examples/{name} is out of date: run scripts/regenerate.sh and commit the result"
        );
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(examples.join("demo.sarif")).expect("sarif"))
            .expect("JSON");
    sarif_check::assert_valid(&sarif);
}
