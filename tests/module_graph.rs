//! The module graph: every import points down the pipeline, never back up.
//!
//! connect-guard is layered, lowest first:
//!
//! | layer | modules | holds |
//! |---|---|---|
//! | 0 | `saml`, `suggest`, `untrusted`, `background`, `timings` | leaves: metadata parsing, typo suggestions, log hygiene, freeing off the critical path, phase timings |
//! | 1 | `snapshot` | the model of an organization |
//! | 2 | `iam`, `params`, `finding` | policy semantics, rule parameters, findings and waivers as data |
//! | 3 | `facts`, `engine`, `waiver`, `baseline`, `verdict`, `output`, `demo` | derived facts, the Rego engine, judging waivers and baselines, per-resource pass/fail from findings, report formats and the fail threshold, bundled organizations |
//! | 4 | `synthetic`, `config`, `merge`, `collect`, `iac` | generated organizations, configuration, shard merging, the live collector, templates |
//! | 5 | `scan` | one pass: rule selection, facts, rules, severity overrides, waivers, baseline |
//! | 6 | `report` | rendering |
//! | 7 | `cli` | the command line |
//!
//! A module may use modules of lower layers only. This test reads the sources (production
//! code, not their test modules or comments) and fails on any other `crate::` reference.
//! (It held engine → scan, waiver → config and finding ↔ waiver before they were untangled.)

use std::collections::BTreeSet;
use std::path::Path;

const LAYERS: &[&[&str]] = &[
    &["saml", "suggest", "untrusted", "background", "timings"],
    &["snapshot"],
    &["iam", "params", "finding"],
    &[
        "facts", "engine", "waiver", "baseline", "verdict", "output", "demo",
    ],
    &["synthetic", "config", "merge", "collect", "iac"],
    &["scan"],
    &["report"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules `text` (production code only) refers to as `crate::<name>`.
///
/// A `#[cfg(test)]` before a `mod name;` declaration hides that one line (the module's file
/// is read on its own and counted under this module); before anything else it starts the
/// inline test module, which ends the file's production code.
fn references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let code = line.trim_start();
        if code == "#[cfg(test)]" {
            match lines.next().map(str::trim) {
                Some(next) if next.starts_with("mod ") && next.ends_with(';') => continue,
                _ => break,
            }
        }
        if code.starts_with("//") {
            continue;
        }
        for part in code.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn test_modules_are_skipped_but_not_what_follows_their_declaration() {
    let text = "use crate::snapshot::Snapshot;\n#[cfg(test)]\nmod tests;\nuse crate::iam::X;\n\
                // crate::report in a comment\n#[cfg(test)]\nmod inline {\n    use crate::cli;\n}\n";
    let found: Vec<String> = references(text).into_iter().collect();
    assert_eq!(found, ["iam", "snapshot"]);
}

#[test]
fn imports_point_down_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut upward = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let module = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_owned())
            .expect("a name");
        if module == "main" || module == "lib" {
            continue;
        }
        let from = layer(&module)
            .unwrap_or_else(|| panic!("src/{module} is in no layer of this test: add it"));
        seen_modules.insert(module.clone());
        let text = std::fs::read_to_string(&file).expect("readable");
        for target in references(&text) {
            if target == module {
                continue;
            }
            let to = layer(&target)
                .unwrap_or_else(|| panic!("{}: crate::{target} is in no layer", file.display()));
            if to >= from {
                upward.push(format!(
                    "{} uses crate::{target} (layer {to}) from layer {from}",
                    relative.display()
                ));
            }
        }
    }
    assert!(upward.is_empty(), "{upward:#?}");
    assert!(seen_modules.len() >= 20, "{seen_modules:?}");
}
