//! Progress on standard error: a bar on a terminal, one plain line per account otherwise
//! (CI logs), nothing with `--quiet`. Standard output stays free for the report or snapshot.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar when standard error is a terminal, plain lines otherwise.
    #[default]
    Auto,
    /// Nothing at all.
    Quiet,
}

/// Progress of one collection.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    total: AtomicU64,
    done: AtomicU64,
}

impl Progress {
    pub(crate) fn new(mode: ProgressMode) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let (bar, plain) = match mode {
            ProgressMode::Quiet => (None, false),
            ProgressMode::Auto if terminal => {
                let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} accounts {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style);
                bar.enable_steady_tick(std::time::Duration::from_millis(200));
                (Some(bar), false)
            }
            ProgressMode::Auto => (None, true),
        };
        Self {
            bar,
            plain,
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
        }
    }

    /// A step outside the per-account loop (reading the organization).
    pub(crate) fn stage(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_owned());
        } else if self.plain {
            line(message);
        }
    }

    /// The number of accounts about to be collected.
    pub(crate) fn start_accounts(&self, total: usize, regions: usize, concurrency: usize) {
        self.total.store(total as u64, Ordering::Relaxed);
        let message =
            format!("collecting {total} accounts, {regions} regions each, {concurrency} at a time");
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_message(message);
        } else if self.plain {
            line(&message);
        }
    }

    /// One account finished, with `gaps` errors recorded for it.
    pub(crate) fn account_done(&self, account_id: &str, name: &str, gaps: usize) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if gaps > 0 {
                bar.set_message(crate::untrusted::without_controls(&format!(
                    "{account_id} ({name}): {gaps} not assessed"
                )));
            }
        } else if self.plain {
            let total = self.total.load(Ordering::Relaxed);
            let tail = if gaps == 0 {
                String::new()
            } else {
                format!(", {gaps} not assessed")
            };
            line(&format!(
                "[{done}/{total}] {account_id} ({name}) done{tail}"
            ));
        }
    }

    /// Collection is over.
    pub(crate) fn finish(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.bar.is_some() || self.plain {
            line(message);
        }
    }
}

fn line(message: &str) {
    // Messages name accounts, and a member account chooses its own name.
    let _ = writeln!(
        std::io::stderr().lock(),
        "connect-guard: {}",
        crate::untrusted::for_log(message)
    );
}
