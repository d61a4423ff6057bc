//! Shared helpers for the integration tests: run the real binary in a clean environment.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use assert_cmd::Command;

/// The `connect-guard` binary with an environment scrubbed of anything that changes output.
pub fn connect_guard() -> Command {
    let mut command = Command::cargo_bin("connect-guard").expect("binary built");
    for (key, _) in std::env::vars() {
        if key.starts_with("CONNECT_GUARD_")
            || key.starts_with("GITHUB_")
            || key.starts_with("AWS_")
            || key == "CI"
        {
            command.env_remove(key);
        }
    }
    command.env("NO_COLOR", "1");
    command
}

/// The GitHub Action's scan step (`scripts/action-scan.sh`) as a runner starts it: nothing of
/// this environment but `PATH`, with the built binary and without colour. Callers add the
/// action's inputs and `RUNNER_TEMP`.
pub fn action_scan() -> std::process::Command {
    let mut command = std::process::Command::new("bash");
    command
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-scan.sh"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "CONNECT_GUARD_BIN",
            assert_cmd::cargo::cargo_bin("connect-guard"),
        )
        .env("NO_COLOR", "1");
    command
}

/// The demo organization as JSON, as `connect-guard demo` prints it.
pub fn demo_json() -> serde_json::Value {
    let output = connect_guard().arg("demo").output().expect("runs");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("demo is JSON")
}

/// Writes `value` as JSON to `dir/name` and returns the path.
pub fn write_json(dir: &Path, name: &str, value: &serde_json::Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(value).expect("serializes"),
    )
    .expect("writes");
    path
}

/// Scans `snapshot` with extra arguments and returns (exit code, stdout, stderr).
pub fn scan(args: &[&str]) -> (i32, String, String) {
    let output = connect_guard()
        .arg("scan")
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

/// The built-in rules; every one must load.
pub fn builtin_rules() -> connect_guard::engine::PolicySet {
    let set = connect_guard::engine::PolicySet::load(true, &[]).expect("builtin policies load");
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    set
}

/// Scans `snapshot` in process with `set` and default parameters; no rule may fail.
pub fn scan_in_process(
    set: &connect_guard::engine::PolicySet,
    snapshot: &connect_guard::snapshot::Snapshot,
    options: &connect_guard::scan::ScanOptions<'_>,
) -> connect_guard::scan::ScanResult {
    let params = connect_guard::params::Params::default();
    let result = connect_guard::scan::scan(snapshot, &params, set, options);
    assert!(
        result.policy_errors.is_empty(),
        "{:?}",
        result.policy_errors
    );
    result
}
