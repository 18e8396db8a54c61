//! `cargo xtask bench`: the numbers behind performance claims, rerunnable.
//!
//! - generation: `codegen::generate` on the real models, in process;
//! - build cost of the generated crate, which every user pays: a clean
//!   `cargo build` of its dependencies and of the crate itself, then the
//!   crate alone (`cargo build` and `cargo check` after touching it), in a
//!   target folder of its own so the workspace's build does not interfere.
//!
//! `cargo xtask bench ours` measures our own import, codegen and the
//! generated crates' build on the real vendor models ([`ours`]); `bench all`
//! measures ours and the peers in one run.
//!
//! `cargo xtask bench peers` measures the well-known crates for the same
//! APIs the same way ([`peers`]), and writes `BENCHMARKS.md`; the botocore
//! models are fetched into `target/bench/botocore` by [`botocore`].
//!
//! The machine is small and noisy: compare ratios from one run, not
//! absolute numbers across runs.

pub mod botocore;
pub mod measure;
mod ours;
mod peers;

use std::path::{Path, PathBuf};
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

/// `cargo xtask bench ARGS`: parses `args` (after `bench`) and runs.
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let command = format!("cargo xtask bench {}", args.join(" ")).trim_end().to_string();
    let result = match args {
        [] => return run(root, 3),
        [flag, n] if flag == "--rounds" => match rounds(n) {
            Ok(n) => return run(root, n),
            Err(e) => Err(e),
        },
        [part, rest @ ..] if part == "peers" => match rest {
            [] => peers::run(root, None, &command),
            [flag, n] if flag == "--rounds" => rounds(n).and_then(|n| peers::run(root, Some(n), &command)),
            _ => return usage_error("`bench peers` takes only `--rounds N`"),
        },
        [part] if part == "ours" => ours::run(root, &command, false),
        [part] if part == "all" => ours::run(root, &command, true),
        [part] if part == "botocore" => print_botocore_models(root),
        [part, dir, krate, rest @ ..] if part == "crate" => match rest {
            [] => measure_one(Path::new(dir), krate, 1),
            [flag, n] if flag == "--rounds" => rounds(n).and_then(|n| measure_one(Path::new(dir), krate, n)),
            _ => return usage_error("`bench crate DIR CRATE` takes only `--rounds N`"),
        },
        _ => return usage_error(&format!("unknown bench arguments {args:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}

{}", crate::USAGE);
    ExitCode::from(64)
}

fn rounds(n: &str) -> Result<usize, String> {
    match n.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`--rounds` needs a positive number, not `{n}`")),
    }
}

/// `cargo xtask bench botocore`: fetches the models and prints their paths.
fn print_botocore_models(root: &Path) -> Result<(), String> {
    for (service, _) in botocore::SERVICES {
        let path: PathBuf = botocore::service_model(root, service)?;
        println!("{service}\t{}", path.display());
    }
    Ok(())
}

/// `cargo xtask bench crate DIR CRATE`: [`measure::measure_crate_build`] on
/// any scratch project, such as one depending on a generated crate by path.
fn measure_one(dir: &Path, krate: &str, rounds: usize) -> Result<(), String> {
    for round in 1..=rounds {
        let (wall, peak_rss_kib) = measure::measure_crate_build(dir, krate)?;
        println!(
            "{krate}: round {round} of {rounds}: {:.1} s, peak RSS {:.2} GiB",
            wall.as_secs_f64(),
            peak_rss_kib as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
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
