//! Phase timings on standard error, for benchmarking a scan of a large organization:
//! `CONNECT_GUARD_TIMINGS=1 connect-guard scan --snapshot org.json …` prints how long after
//! the start each phase ended (docs/benchmarks.md). Off unless asked for, and then only
//! elapsed times are printed, never data.

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Option<Instant>> = OnceLock::new();

/// Starts the clock when `CONNECT_GUARD_TIMINGS` is set to anything but empty.
pub fn start() {
    START.get_or_init(|| {
        std::env::var_os("CONNECT_GUARD_TIMINGS")
            .is_some_and(|v| !v.is_empty())
            .then(Instant::now)
    });
}

/// Prints that `phase` ended now, when timings are on.
pub fn mark(phase: &str) {
    if let Some(Some(start)) = START.get() {
        eprintln!(
            "timing {:>8.1} ms  {phase}",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// [`mark`] for a phase whose name is built only when timings are on (one per rule).
pub fn mark_with(phase: impl FnOnce() -> String) {
    if let Some(Some(_)) = START.get() {
        mark(&phase());
    }
}
