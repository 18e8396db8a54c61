//! `cargo xtask bench ours` (and `bench all`, with [`peers`]): what our own
//! pipeline costs on the real vendor models.
//!
//! - generation: the release `cloud-api-import` (vendor file to YAML model)
//!   and the release `xtask codegen` (model to crate), each a process of its
//!   own under `/usr/bin/time -v`, 3 rounds, for full EC2, the first ¼ and ½
//!   of EC2's (sorted) operations, full FSx, full Image Builder and, when the
//!   vendor file is there, full Alibaba ECS;
//! - build: the generated full-EC2 and full-FSx crates, each alone in a
//!   scratch crate under `target/bench/ours/<model>/crate/`, built the way
//!   the peers are ([`measure::measure`]): debug, dependencies prebuilt, the
//!   crate alone timed; and `cargo doc --no-deps` of the EC2 crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::botocore;
use super::measure::{self, Cost, Mode};
use super::peers::{self, Environment, gib, min_median, seconds};

/// Rounds of each import and codegen step.
const GENERATION_ROUNDS: usize = 3;
/// Rounds of the EC2 crate's build (a few minutes each) and of the FSx one's.
const EC2_BUILD_ROUNDS: usize = 2;
const FSX_BUILD_ROUNDS: usize = 3;

/// The Alibaba ECS vendor file, looked for as `shared/vendor/alibaba/...`
/// beside the workspace root or one of its ancestors (`../shared` of the
/// main checkout, `../../shared` of a worktree under `wt/`). Never
/// downloaded, never committed.
const ALIBABA_ECS: &str = "shared/vendor/alibaba/ecs-2014-05-26-api-docs.json";

/// One model imported and generated.
struct Case {
    /// The folder under `target/bench/ours/`.
    key: &'static str,
    label: &'static str,
    /// `botocore` or `alibaba`: the importer's first argument.
    format: &'static str,
    input: PathBuf,
    /// Only these operations (`--operations`), or all.
    operations: Option<Vec<String>>,
}

/// What one case cost.
struct Generation {
    key: &'static str,
    label: &'static str,
    source: String,
    operations: usize,
    shapes: usize,
    rust_lines: usize,
    import: Vec<Cost>,
    codegen: Vec<Cost>,
}

impl Generation {
    /// Import plus codegen, round by round.
    fn sums(&self) -> Vec<f64> {
        self.import.iter().zip(&self.codegen).map(|(i, c)| (i.wall + c.wall).as_secs_f64()).collect()
    }

    fn sum_median(&self) -> f64 {
        min_median(self.sums().into_iter()).map_or(0.0, |(_, m)| m)
    }
}

/// One measured build (or doc) of a generated crate.
struct Build {
    label: &'static str,
    command: &'static str,
    operations: usize,
    rust_lines: usize,
    costs: Vec<Cost>,
}

impl Build {
    fn wall_median(&self) -> f64 {
        min_median(self.costs.iter().map(|c| c.wall.as_secs_f64())).map_or(0.0, |(_, m)| m)
    }

    fn rss_median(&self) -> f64 {
        min_median(self.costs.iter().map(|c| c.peak_rss_kib as f64)).map_or(0.0, |(_, m)| m)
    }
}

/// Everything `bench ours` measured.
struct Ours {
    generation: Vec<Generation>,
    /// Why a case was left out (a vendor file that is not there).
    skipped: Vec<String>,
    ec2_build: Build,
    ec2_doc: Build,
    fsx_build: Build,
}

/// `cargo xtask bench ours` (`with_peers` false) or `bench all`: measures,
/// prints and writes the section "Ours" (and, with the peers, "Peers") of
/// `BENCHMARKS.md`.
pub fn run(root: &Path, command: &str, with_peers: bool) -> Result<(), String> {
    let started = Environment::now();
    let ours = measure_ours(root)?;
    let path = root.join("BENCHMARKS.md");
    let write_ours = |peers: Option<&[peers::Measured]>| -> Result<(), String> {
        let section = section(&ours, peers, &started, &peers::load_average(), command);
        println!("\n{section}");
        peers::update_benchmarks_md(&path, "## Ours", &section)?;
        eprintln!("wrote the section \"Ours\" of `{}`", path.display());
        Ok(())
    };
    // Written now, so that a failing peer run leaves our numbers in place.
    write_ours(None)?;
    if with_peers {
        let peers_started = Environment::now();
        // aws-sdk-ec2 takes ≈ 8–10 minutes a build here: one round.
        let (measured, failed) = peers::measure_all(root, |peer| if peer.krate == "aws-sdk-ec2" { 1 } else { peer.rounds });
        if !measured.is_empty() {
            peers::write(root, &measured, &peers_started, command)?;
            write_ours(Some(&measured))?;
        }
        return peers::failures(&failed);
    }
    Ok(())
}

fn measure_ours(root: &Path) -> Result<Ours, String> {
    let (importer, xtask) = build_release_binaries(root)?;
    let ec2 = botocore::service_model(root, "ec2")?;
    let ec2_operations = botocore_operations(&ec2)?;
    let part = |n: usize, d: usize| ec2_operations[..ec2_operations.len() * n / d].to_vec();
    let mut cases = vec![
        Case { key: "ec2-quarter", label: "EC2, first ¼ of operations", format: "botocore", input: ec2.clone(), operations: Some(part(1, 4)) },
        Case { key: "ec2-half", label: "EC2, first ½ of operations", format: "botocore", input: ec2.clone(), operations: Some(part(1, 2)) },
        Case { key: "ec2", label: "EC2", format: "botocore", input: ec2, operations: None },
        Case { key: "fsx", label: "FSx", format: "botocore", input: botocore::service_model(root, "fsx")?, operations: None },
        Case {
            key: "imagebuilder",
            label: "Image Builder",
            format: "botocore",
            input: botocore::service_model(root, "imagebuilder")?,
            operations: None,
        },
    ];
    let mut skipped = Vec::new();
    match root.ancestors().skip(1).map(|dir| dir.join(ALIBABA_ECS)).find(|path| path.is_file()) {
        Some(input) => cases.push(Case { key: "alibaba-ecs", label: "Alibaba ECS", format: "alibaba", input, operations: None }),
        None => {
            let message = format!("Alibaba ECS: no `{ALIBABA_ECS}` beside the workspace root or above it; skipped");
            eprintln!("{message}");
            skipped.push(message);
        }
    }
    let mut generation = Vec::new();
    for case in &cases {
        generation.push(generate(root, &importer, &xtask, case)?);
    }
    let find = |key: &str| generation.iter().find(|g| g.key == key).ok_or_else(|| format!("no `{key}` was generated"));
    let (ec2, fsx) = (find("ec2")?, find("fsx")?);
    let ec2_crate = prepare_crate(root, "ec2")?;
    let fsx_crate = prepare_crate(root, "fsx")?;
    let ec2_build = build(&ec2_crate, "EC2", "`cargo build -j 2`", Mode::Build, EC2_BUILD_ROUNDS, ec2)?;
    let ec2_doc = build(&ec2_crate, "EC2", "`cargo doc --no-deps -j 2`", Mode::DocNoDeps, 1, ec2)?;
    let fsx_build = build(&fsx_crate, "FSx", "`cargo build -j 2`", Mode::Build, FSX_BUILD_ROUNDS, fsx)?;
    Ok(Ours { generation, skipped, ec2_build, ec2_doc, fsx_build })
}

/// `cargo build --release -p cloud-api-import -p xtask` (not timed), and
/// the two programs' paths.
fn build_release_binaries(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    eprintln!("building the release binaries of cloud-api-import and xtask ...");
    let target = root.join("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "cloud-api-import", "-p", "xtask"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo build --release -p cloud-api-import -p xtask` failed:\n{}",
            measure::tail(&String::from_utf8_lossy(&output.stderr), 20)
        ));
    }
    let release = target.join("release");
    Ok((release.join("cloud-api-import"), release.join("xtask")))
}

/// The sorted operation names of a botocore `service-2.json` (gzipped or
/// not).
fn botocore_operations(path: &Path) -> Result<Vec<String>, String> {
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let output = Command::new("gzip")
            .arg("-dc")
            .arg(path)
            .output()
            .map_err(|e| format!("cannot run `gzip` to read `{}`: {e}", path.display()))?;
        if !output.status.success() {
            return Err(format!("`gzip -dc {}` failed: {}", path.display(), String::from_utf8_lossy(&output.stderr).trim()));
        }
        output.stdout
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?
    };
    let model: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("`{}` is not JSON: {e}", path.display()))?;
    let operations = model
        .get("operations")
        .and_then(serde_json::Value::as_object)
        .ok_or_else(|| format!("`{}` has no `operations` object", path.display()))?;
    let mut names: Vec<String> = operations.keys().cloned().collect();
    names.sort();
    Ok(names)
}

/// Imports and generates `case` [`GENERATION_ROUNDS`] times, each step a
/// timed process, into `target/bench/ours/<key>/{models,crate/src}`.
fn generate(root: &Path, importer: &Path, xtask: &Path, case: &Case) -> Result<Generation, String> {
    let dir = ours_dir(root).join(case.key);
    let models = dir.join("models");
    let src = dir.join("crate").join("src");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut import_args = vec![case.format.to_string(), case.input.display().to_string(), "--out".into(), models.display().to_string()];
    if let Some(operations) = &case.operations {
        import_args.extend(["--operations".to_string(), operations.join(",")]);
    }
    let codegen_args: Vec<String> =
        vec!["codegen".into(), "--models".into(), models.display().to_string(), "--out".into(), src.display().to_string()];
    let (mut import, mut codegen) = (Vec::new(), Vec::new());
    let mut counts = (0, 0);
    for round in 1..=GENERATION_ROUNDS {
        let what = format!("importing {}", case.label);
        let (cost, stderr) = measure::time_command(importer, &import_args, root, &dir.join("import-time.txt"), &what)?;
        counts = imported_counts(&stderr).ok_or_else(|| {
            format!("{what}: the importer did not say what it wrote:\n{}", measure::tail(&stderr, 10))
        })?;
        import.push(cost);
        let what = format!("generating {}", case.label);
        let (generated, _) = measure::time_command(xtask, &codegen_args, root, &dir.join("codegen-time.txt"), &what)?;
        codegen.push(generated);
        eprintln!(
            "{}: round {round} of {GENERATION_ROUNDS}: import {:.2} s ({}), codegen {:.2} s ({})",
            case.label,
            cost.wall.as_secs_f64(),
            mib(cost.peak_rss_kib),
            generated.wall.as_secs_f64(),
            mib(generated.peak_rss_kib)
        );
    }
    let file = case.input.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let source = match case.format {
        "botocore" => format!("botocore {} `{file}`", botocore::VERSION),
        _ => format!("`{file}`"),
    };
    Ok(Generation {
        key: case.key,
        label: case.label,
        source,
        operations: counts.0,
        shapes: counts.1,
        rust_lines: peers::rust_lines(&src),
        import,
        codegen,
    })
}

fn ours_dir(root: &Path) -> PathBuf {
    root.join("target").join("bench").join("ours")
}

/// The operations and shapes of the importer's last line,
/// `wrote <path>: 830 operations, 3400 shapes, ...`.
fn imported_counts(stderr: &str) -> Option<(usize, usize)> {
    let line = stderr.lines().rev().find(|l| l.starts_with("wrote "))?;
    let (_, counts) = line.rsplit_once(": ")?;
    let mut parts = counts.split(", ");
    let number = |part: Option<&str>, unit: &str| part?.strip_suffix(unit)?.trim().parse().ok();
    Some((number(parts.next(), "operations")?, number(parts.next(), "shapes")?))
}

/// Makes the generated crate of `key` a project of its own: the runtime by
/// absolute path, `[workspace]`, the workspace's `Cargo.lock` (so the
/// dependencies' versions are the workspace's). Returns its folder and its
/// package name.
fn prepare_crate(root: &Path, key: &str) -> Result<(PathBuf, String), String> {
    let dir = ours_dir(root).join(key).join("crate");
    let path = dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let relative = format!("path = {:?}", codegen::RUNTIME_PATH);
    if !manifest.contains(&relative) {
        return Err(format!("`{}` does not name the runtime by `{relative}`", path.display()));
    }
    let absolute = format!("path = {:?}", root.join("codegen").join("runtime").display().to_string());
    measure::write_if_changed(&path, &format!("{}\n[workspace]\n", manifest.replace(&relative, &absolute)))?;
    let lock = dir.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| format!("cannot copy the workspace's Cargo.lock to `{}`: {e}", lock.display()))?;
    let name = manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .map(|n| n.trim().trim_matches('"').to_string())
        .ok_or_else(|| format!("`{}` names no package", path.display()))?;
    Ok((dir, name))
}

fn build(
    (dir, name): &(PathBuf, String),
    label: &'static str,
    command: &'static str,
    mode: Mode,
    rounds: usize,
    generated: &Generation,
) -> Result<Build, String> {
    let mut costs = Vec::new();
    for round in 1..=rounds {
        eprintln!("ours, {label}: {command}, round {round} of {rounds} ...");
        let cost = measure::measure(dir, name, mode)?;
        eprintln!("ours, {label}: {}, peak RSS {}", seconds(cost.wall), gib(cost.peak_rss_kib));
        costs.push(cost);
    }
    Ok(Build { label, command, operations: generated.operations, rust_lines: generated.rust_lines, costs })
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

/// `min / median` of `values`, each shown by `show`.
fn min_med(values: impl Iterator<Item = f64>, show: impl Fn(f64) -> String) -> String {
    min_median(values).map_or("?".into(), |(min, median)| format!("{} / {}", show(min), show(median)))
}

fn generation_table(generation: &[Generation]) -> String {
    let mut out = String::from(
        "| model | vendor file | operations | shapes | generated `.rs` lines | import wall min / median | codegen wall min / median | sum wall min / median | import peak RSS min / median | codegen peak RSS min / median |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for g in generation {
        let walls = |costs: &[Cost]| min_med(costs.iter().map(|c| c.wall.as_secs_f64()), secs);
        let rss = |costs: &[Cost]| min_med(costs.iter().map(|c| c.peak_rss_kib as f64), |k| mib(k as u64));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            g.label,
            g.source,
            g.operations,
            g.shapes,
            g.rust_lines,
            walls(&g.import),
            walls(&g.codegen),
            min_med(g.sums().into_iter(), secs),
            rss(&g.import),
            rss(&g.codegen),
        );
    }
    out
}

/// EC2 ¼, ½ and all: the time per operation, and how it grows.
fn scaling(generation: &[Generation]) -> String {
    let rows: Vec<&Generation> =
        ["ec2-quarter", "ec2-half", "ec2"].iter().filter_map(|key| generation.iter().find(|g| g.key == *key)).collect();
    let mut out = String::from(
        "| EC2 operations | import median | codegen median | sum median | sum per operation |\n|---:|---:|---:|---:|---:|\n",
    );
    let median = |costs: &[Cost]| min_median(costs.iter().map(|c| c.wall.as_secs_f64())).map_or(0.0, |(_, m)| m);
    for g in &rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} ms |",
            g.operations,
            secs(median(&g.import)),
            secs(median(&g.codegen)),
            secs(g.sum_median()),
            1000.0 * g.sum_median() / g.operations.max(1) as f64
        );
    }
    if let [_, half, all] = rows[..] {
        let ratio = |a: f64, b: f64| if b > 0.0 { format!("{:.2}", a / b) } else { "?".into() };
        let _ = write!(
            out,
            "\nLinearity, all / ½: ×{} the operations cost ×{} the import time, ×{} the codegen time, ×{} the sum \
             (×2.00 would be linear in operations).\n",
            ratio(all.operations as f64, half.operations as f64),
            ratio(median(&all.import), median(&half.import)),
            ratio(median(&all.codegen), median(&half.codegen)),
            ratio(all.sum_median(), half.sum_median()),
        );
    }
    out
}

fn build_table(ours: &Ours) -> String {
    let mut out = String::from(
        "| generated crate | operations | `.rs` lines | command | rounds | wall min / median | peak RSS min / median |\n\
         |---|---:|---:|---|---:|---:|---:|\n",
    );
    for b in [&ours.ec2_build, &ours.ec2_doc, &ours.fsx_build] {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            b.label,
            b.operations,
            b.rust_lines,
            b.command,
            b.costs.len(),
            min_med(b.costs.iter().map(|c| c.wall.as_secs_f64()), |s| seconds(Duration::from_secs_f64(s))),
            min_med(b.costs.iter().map(|c| c.peak_rss_kib as f64), |k| gib(k as u64)),
        );
    }
    out
}

/// Ours against the peers measured in the same run (medians).
fn ratio_table(ours: &Ours, peers: &[peers::Measured]) -> String {
    let peer = |krate: &str| peers.iter().find(|p| p.krate == krate);
    let wall = |costs: &[Cost]| min_median(costs.iter().map(|c| c.wall.as_secs_f64())).map(|(_, m)| m);
    let rss = |costs: &[Cost]| min_median(costs.iter().map(|c| c.peak_rss_kib as f64)).map(|(_, m)| m);
    let mut out = String::from("| comparison (medians) | ours | peer | ours / peer |\n|---|---:|---:|---:|\n");
    let mut row = |what: String, ours: f64, theirs: Option<f64>, show: &dyn Fn(f64) -> String| {
        let Some(theirs) = theirs else { return };
        let _ = writeln!(out, "| {what} | {} | {} | {:.3} |", show(ours), show(theirs), ours / theirs);
    };
    let s = |v: f64| seconds(Duration::from_secs_f64(v));
    let g = |v: f64| gib(v as u64);
    if let Some(ec2) = peer("aws-sdk-ec2") {
        row("EC2 build wall vs `aws-sdk-ec2`".into(), ours.ec2_build.wall_median(), wall(&ec2.builds), &s);
        row("EC2 build peak RSS vs `aws-sdk-ec2`".into(), ours.ec2_build.rss_median(), rss(&ec2.builds), &g);
        let doc: Vec<Cost> = ec2.doc.into_iter().collect();
        row("EC2 `cargo doc --no-deps` wall vs `aws-sdk-ec2`".into(), ours.ec2_doc.wall_median(), wall(&doc), &s);
        row("EC2 `cargo doc --no-deps` peak RSS vs `aws-sdk-ec2`".into(), ours.ec2_doc.rss_median(), rss(&doc), &g);
    }
    if let Some(fsx) = peer("aws-sdk-fsx") {
        row("FSx build wall vs `aws-sdk-fsx`".into(), ours.fsx_build.wall_median(), wall(&fsx.builds), &s);
        row("FSx build peak RSS vs `aws-sdk-fsx`".into(), ours.fsx_build.rss_median(), rss(&fsx.builds), &g);
    }
    let per_operation = |b: &Build| 1000.0 * b.wall_median() / b.operations.max(1) as f64;
    let ms = |v: f64| format!("{v:.1} ms");
    for krate in ["rusoto_ec2", "aws-sdk-ec2"] {
        if let Some(p) = peer(krate) {
            let theirs = p.operations.zip(wall(&p.builds)).map(|(n, w)| 1000.0 * w / n.max(1) as f64);
            row(
                format!(
                    "EC2 build wall per operation ({} ours) vs `{krate}` ({})",
                    ours.ec2_build.operations,
                    p.operations.map_or("?".into(), |n| n.to_string())
                ),
                per_operation(&ours.ec2_build),
                theirs,
                &ms,
            );
        }
    }
    out
}

fn section(ours: &Ours, peers: Option<&[peers::Measured]>, env: &Environment, load_end: &str, command: &str) -> String {
    let skipped: String = ours.skipped.iter().map(|s| format!("- {s}\n")).collect();
    let ratios = match peers {
        Some(peers) => format!(
            "### Ours against the peers\n\nThe peers' builds in the section \"Peers\", measured by the same run.\n\n{}",
            ratio_table(ours, peers)
        ),
        None => "### Ours against the peers\n\nNot measured by this run: `cargo xtask bench all` measures the peers too and \
                 adds the ratios here.\n"
            .to_string(),
    };
    format!(
        "## Ours\n\n\
         What our pipeline costs on the real vendor models. Generation: `cargo build --release -p cloud-api-import -p xtask` \
         (not timed), then per model {GENERATION_ROUNDS} rounds of the import step \
         (`target/release/cloud-api-import botocore|alibaba <vendor file> --out <dir>/models [--operations ...]`) and the \
         codegen step (`target/release/xtask codegen --models <dir>/models --out <dir>/crate/src`), each a process of its \
         own under `/usr/bin/time -v` (wall clock and \"Maximum resident set size\"), in \
         `target/bench/ours/<model>/`; the sum is per round. The ¼ and ½ EC2 models are the first 25% and 50% of \
         EC2's operation names in sorted order (`--operations`). Build: the generated full-EC2 and full-FSx crates, each \
         generated alone, made a project of its own (the runtime `codegen/runtime` by absolute path, `[workspace]` \
         appended, the workspace's `Cargo.lock` copied in), measured exactly as the peers are (dependencies built \
         first, then `cargo clean -p cloud-api-types` and the timed `cargo build -j 2`; the doc row is \
         `cargo doc --no-deps -j 2` after `cargo check`), with `CARGO_INCREMENTAL=0` for every cargo run, ours \
         and the peers' alike (a registry crate is never compiled incrementally; a path crate would be). \
         The generated crate's default features are its services' (no `serde`).\n\n\
         - command: `{command}`\n\
         - date: {date} (UTC)\n\
         - machine: {cpus} CPUs (`nproc`), {memory} memory, {cpu_model}; shared with other work, load average \
         {load} at the start, {load_end} at the end\n\
         - toolchain: {rustc}, {cargo}\n\
         {skipped}\n\
         ### Generation\n\n\
         {generation}\n\
         ### EC2 by size\n\n\
         {scaling}\n\
         ### Build of the generated crates\n\n\
         {builds}\n\
         {ratios}",
        date = env.date,
        cpus = env.cpus,
        memory = env.memory,
        cpu_model = env.cpu_model,
        load = env.load,
        rustc = env.rustc,
        cargo = env.cargo,
        generation = generation_table(&ours.generation),
        scaling = scaling(&ours.generation),
        builds = build_table(ours),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_importers_counts() {
        let stderr = "skipped: x\nwrote /tmp/m/aws/ec2.yaml: 830 operations, 3400 shapes, 0 errors, 1 skipped\n";
        assert_eq!(imported_counts(stderr), Some((830, 3400)));
        assert_eq!(imported_counts("nothing\n"), None);
    }
}
