//! Embeds every file under `policies/` into the binary, so the built-in rules, their helpers
//! and their tests ship inside `connect-guard` and need no install step.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    collect(&policies, &mut files);
    files.sort();

    let mut out = String::from(
        "/// `(path, text)` of every embedded policy file, sorted by path.\n\
         pub(crate) static EMBEDDED_POLICIES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let relative = file
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("policies.rs");
    std::fs::write(dest, out).expect("write policies.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rego") {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
