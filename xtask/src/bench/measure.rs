//! The build cost of one crate in a scratch cargo project: its dependencies
//! prebuilt, the crate alone timed under `/usr/bin/time -v`.
//!
//! Used for the peers (`aws-sdk-ec2`, ...) and for our own generated crates,
//! which are path dependencies of a scratch project: the same function, so
//! the numbers compare.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// At most this many parallel jobs: the machine has 2 cores and is shared.
pub const JOBS: &str = "2";

/// `CARGO_INCREMENTAL` for every cargo run here, warm-ups included: a
/// registry crate is never compiled incrementally, a path crate (such as a
/// generated one) would be by default, which is not what a user of a
/// published crate pays.
pub const INCREMENTAL: &str = "0";

/// What one timed cargo run cost.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    /// Wall clock time of the whole `cargo` invocation.
    pub wall: Duration,
    /// Peak resident set size in KiB of the largest single process cargo
    /// ran (in practice the crate's `rustc` or `rustdoc`), as
    /// `/usr/bin/time -v` reports it: not the sum over processes.
    pub peak_rss_kib: u64,
}

/// Which cargo command is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `cargo build -j 2` (debug profile).
    Build,
    /// `cargo doc --no-deps -p <crate> -j 2`: the dependencies are only
    /// checked (their metadata, built in the warm-up), never documented.
    DocNoDeps,
}

impl Mode {
    fn args(self, crate_name: &str) -> Vec<String> {
        let mut args: Vec<String> = match self {
            Mode::Build => vec!["build".into()],
            Mode::DocNoDeps => vec!["doc".into(), "--no-deps".into(), "-p".into(), crate_name.into()],
        };
        args.extend(["-j".into(), JOBS.into()]);
        args
    }

    /// The untimed run that builds what the timed one needs: for the docs,
    /// `cargo check` (rustdoc reads the dependencies' metadata, which is
    /// what `cargo check` builds).
    fn warm_up_args(self, crate_name: &str) -> Vec<String> {
        match self {
            Mode::Build => self.args(crate_name),
            Mode::DocNoDeps => vec!["check".into(), "-j".into(), JOBS.into()],
        }
    }
}

/// Measures `cargo build -j 2` of the crate `crate_name` alone, in the cargo
/// project `project_dir` (which has its own `[workspace]` and uses its own
/// target folder, `project_dir/target`): first a `cargo build` that builds
/// every dependency (and is not timed), then `cargo clean -p crate_name`,
/// then the timed `cargo build`, in which only that crate and the
/// project's own (empty) package compile. `crate_name` may be a registry
/// crate or a path dependency (such as a generated crate).
///
/// Returns (wall clock, peak RSS in KiB). Errors are messages for the user.
pub fn measure_crate_build(project_dir: &Path, crate_name: &str) -> Result<(Duration, u64), String> {
    let cost = measure(project_dir, crate_name, Mode::Build)?;
    Ok((cost.wall, cost.peak_rss_kib))
}

/// Like [`measure_crate_build`], for `cargo build` or `cargo doc --no-deps`.
pub fn measure(project_dir: &Path, crate_name: &str, mode: Mode) -> Result<Cost, String> {
    let project_dir = &std::path::absolute(project_dir)
        .map_err(|e| format!("cannot find `{}`: {e}", project_dir.display()))?;
    if !project_dir.join("Cargo.toml").is_file() {
        return Err(format!("`{}` holds no Cargo.toml", project_dir.display()));
    }
    let target = project_dir.join("target");
    // Warm-up: every dependency (and the crate, the first time) is built.
    run_cargo(project_dir, &target, &mode.warm_up_args(crate_name), "building the dependencies")?;
    run_cargo(
        project_dir,
        &target,
        &["clean".into(), "-p".into(), crate_name.into()],
        &format!("cleaning `{crate_name}`"),
    )?;
    let report = target.join("bench-time.txt");
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&report)
        .arg(cargo_program())
        .args(mode.args(crate_name))
        .current_dir(project_dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", INCREMENTAL)
        .output()
        .map_err(|e| format!("cannot run `/usr/bin/time` ({e}); install GNU time (`apt-get install time`)"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed in `{}`:\n{}",
            mode.args(crate_name).join(" "),
            project_dir.display(),
            tail(&stderr, 20)
        ));
    }
    // Cargo's progress lines: `   Compiling aws-sdk-fsx v1.133.0`.
    let compiled: Vec<&str> = stderr
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let verb = words.next()?;
            ["Compiling", "Checking", "Documenting"].contains(&verb).then(|| words.next()).flatten()
        })
        .collect();
    if !compiled.contains(&crate_name) {
        return Err(format!(
            "`{crate_name}` was not rebuilt after `cargo clean -p {crate_name}` in `{}` (rebuilt: {compiled:?})",
            project_dir.display()
        ));
    }
    if compiled.len() > 2 {
        eprintln!("warning: besides `{crate_name}`, the timed run rebuilt {compiled:?}");
    }
    let text = std::fs::read_to_string(&report).map_err(|e| format!("cannot read `{}`: {e}", report.display()))?;
    parse_time_report(&text).ok_or_else(|| format!("cannot read wall time and peak RSS from `{}`", report.display()))
}

/// Writes a scratch library package `name` at `dir` (an empty `src/lib.rs`,
/// its own `[workspace]`) whose only dependency is `dependency`, a
/// `Cargo.toml` line such as `aws-sdk-fsx = "=1.133.0"` or
/// `cloud-api-types = { path = "/abs/generated" }`. Leaves the files
/// untouched when they already say that, so cargo's fingerprints stay fresh.
pub fn write_scratch_project(dir: &Path, name: &str, dependency: &str) -> Result<(), String> {
    let manifest = format!(
        "# written by `cargo xtask bench`\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
    );
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create `{}`: {e}", src.display()))?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&src.join("lib.rs"), "")
}

/// Writes `text` to `path` unless it already holds exactly that.
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn run_cargo(project_dir: &Path, target: &Path, args: &[String], what: &str) -> Result<(), String> {
    let output = Command::new(cargo_program())
        .args(args)
        .current_dir(project_dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", INCREMENTAL)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let hint = if stderr.contains("failed to download")
        || stderr.contains("failed to query replaced source")
        || stderr.contains("Couldn't resolve host")
        || stderr.contains("failed to get")
    {
        " (is the network, or crates.io, reachable?)"
    } else {
        ""
    };
    Err(format!(
        "{what} failed in `{}`{hint}: `cargo {}`:\n{}",
        project_dir.display(),
        args.join(" "),
        tail(&stderr, 20)
    ))
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs `program args` in `dir` under `/usr/bin/time -v` (its report in
/// `report`): what it cost, and its stderr. A failure is an error naming
/// `what`.
pub fn time_command(program: &Path, args: &[String], dir: &Path, report: &Path, what: &str) -> Result<(Cost, String), String> {
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(report)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run `/usr/bin/time` ({e}); install GNU time (`apt-get install time`)"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("{what} failed: `{} {}`:\n{}", program.display(), args.join(" "), tail(&stderr, 20)));
    }
    let text = std::fs::read_to_string(report).map_err(|e| format!("cannot read `{}`: {e}", report.display()))?;
    let cost = parse_time_report(&text).ok_or_else(|| format!("cannot read wall time and peak RSS from `{}`", report.display()))?;
    Ok((cost, stderr))
}

/// Reads GNU time's `-v` report.
fn parse_time_report(text: &str) -> Option<Cost> {
    let mut wall = None;
    let mut peak = None;
    for line in text.lines().map(str::trim) {
        if let Some(value) = line.strip_prefix("Elapsed (wall clock) time (h:mm:ss or m:ss): ") {
            wall = parse_clock(value);
        } else if let Some(value) = line.strip_prefix("Maximum resident set size (kbytes): ") {
            peak = value.trim().parse().ok();
        }
    }
    Some(Cost { wall: wall?, peak_rss_kib: peak? })
}

/// `1:02:03.45`, `4:23.45` or `0:01.20`.
fn parse_clock(value: &str) -> Option<Duration> {
    let mut seconds = 0.0;
    for part in value.trim().split(':') {
        seconds = seconds * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gnu_time_reports() {
        let text = "\tCommand being timed: \"cargo build\"\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 4:23.45\n\tMaximum resident set size (kbytes): 8123456\n";
        let cost = parse_time_report(text).expect("parses");
        assert_eq!(cost.wall, Duration::from_secs_f64(263.45));
        assert_eq!(cost.peak_rss_kib, 8_123_456);
        assert_eq!(parse_clock("1:00:01.5"), Some(Duration::from_secs_f64(3601.5)));
    }
}
