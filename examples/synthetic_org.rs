//! Writes a synthetic organization snapshot that `connect-guard scan --snapshot` reads.
//!
//! ```text
//! cargo run --release --example synthetic_org -- --accounts 10000 --seed 42 --out org.json
//! ```
//!
//! The same `--accounts` and `--seed` always give the same file, byte for byte.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Generate a deterministic synthetic organization snapshot.
#[derive(Debug, Parser)]
struct Args {
    /// Number of member accounts (the management account comes on top).
    #[arg(long, default_value_t = 1000)]
    accounts: usize,
    /// Seed of the generator; a different seed gives a different organization.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Where to write the snapshot JSON.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let snapshot = connect_guard::synthetic::organization(args.accounts, args.seed);
    let generated = started.elapsed();
    let text = snapshot.to_json_pretty();
    if let Err(error) = std::fs::write(&args.out, format!("{text}\n")) {
        eprintln!("error: cannot write {}: {error}", args.out.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} ({} accounts, seed {}, {:.1} MB) in {:.0} ms (generation {:.0} ms)",
        args.out.display(),
        args.accounts,
        args.seed,
        text.len() as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3,
        generated.as_secs_f64() * 1e3,
    );
    ExitCode::SUCCESS
}
