//! `cargo xtask bench`: the numbers behind performance claims, rerunnable.
//!
//! - generation: `codegen::generate` on the real models, in process;
//! - build cost of the generated crate, which every user pays: a clean
//!   `cargo build` of its dependencies and of the crate itself, then the
//!   crate alone (`cargo build` and `cargo check` after touching it), in a
//!   target folder of its own so the workspace's build does not interfere.
//!
//! The machine is small and noisy: compare ratios from one run, not
//! absolute numbers across runs.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn cargo(root: &Path, target: &Path, args: &[&str]) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .args(["--quiet", "--package", "cloud-api-types"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo {args:?} failed"));
    }
    Ok(started.elapsed())
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// Runs the benchmarks and prints a table.
pub fn run(root: &Path, rounds: usize) -> ExitCode {
    match measure(root, rounds.max(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure(root: &Path, rounds: usize) -> Result<(), String> {
    let models = root.join("models");
    let mut generation = Vec::new();
    let mut files = codegen::FileTree::new();
    for _ in 0..rounds.max(10) {
        let started = Instant::now();
        files = codegen::generate(&models, "models").map_err(|e| e.render(codegen::diagnostic::Color::Never))?.files;
        generation.push(started.elapsed());
    }
    let lines: usize = files.values().map(|f| f.lines().count()).sum();
    println!("generation (in process, {} runs): median {:?}", generation.len(), median(generation));
    println!("generated crate: {} files, {lines} lines", files.len());

    let target = tempfile::tempdir().map_err(|e| e.to_string())?;
    let clean = cargo(root, target.path(), &["build"])?;
    println!("clean build, dependencies included: {clean:.2?}");
    let lib = root.join("generated/src/lib.rs");
    let mut build = Vec::new();
    let mut check = Vec::new();
    for _ in 0..rounds {
        touch(&lib)?;
        build.push(cargo(root, target.path(), &["build"])?);
        touch(&lib)?;
        check.push(cargo(root, target.path(), &["check"])?);
    }
    let (build, check) = (median(build), median(check));
    println!("the crate alone, {rounds} rounds: build median {build:.2?}, check median {check:.2?}");
    println!(
        "the crate's own share of a clean build: {:.0}%",
        100.0 * build.as_secs_f64() / clean.as_secs_f64()
    );
    Ok(())
}
