//! `cargo xtask bench peers`: what the well-known crates for the same APIs
//! cost to compile, measured the way our generated crates are
//! ([`measure::measure_crate_build`]): each in a scratch project of its own
//! under `target/bench/peers/<crate>/`, with `default-features` as
//! published, debug profile, dependencies prebuilt, the crate alone timed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::measure::{self, Cost, Mode};

/// One peer crate and how often to build it.
pub(super) struct Peer {
    pub(super) krate: &'static str,
    /// The exact version asked for (`=` pin in the scratch project).
    version: &'static str,
    pub(super) rounds: usize,
    /// Also measure `cargo doc --no-deps -p <crate>` (one round).
    doc: bool,
}

/// Cheapest first, so that a broken setup shows early.
const PEERS: [Peer; 3] = [
    Peer { krate: "aws-sdk-fsx", version: "1.133.0", rounds: 3, doc: false },
    Peer { krate: "rusoto_ec2", version: "0.48.0", rounds: 3, doc: false },
    // ≈ 263 s and ≈ 8 GB a build on the 2-core machine: two rounds.
    Peer { krate: "aws-sdk-ec2", version: "1.274.0", rounds: 2, doc: true },
];

/// What was measured of one peer.
pub(super) struct Measured {
    pub(super) krate: &'static str,
    requested: &'static str,
    /// The version in the scratch project's `Cargo.lock`.
    version: String,
    default_features: Vec<String>,
    rust_lines: usize,
    pub(super) operations: Option<usize>,
    pub(super) builds: Vec<Cost>,
    pub(super) doc: Option<Cost>,
}

/// Measures every peer (`rounds` overrides each peer's own round count),
/// prints the table and writes it to `BENCHMARKS.md`.
pub fn run(root: &Path, rounds: Option<usize>, command: &str) -> Result<(), String> {
    let started = Environment::now();
    let (measured, failed) = measure_all(root, |peer| rounds.unwrap_or(peer.rounds));
    if !measured.is_empty() {
        write(root, &measured, &started, command)?;
    }
    failures(&failed)
}

/// Measures every peer, `rounds(peer)` builds each. A peer that fails
/// (no network, a full disk) does not lose the others: it is left out,
/// and its error returned beside what was measured.
pub(super) fn measure_all(root: &Path, rounds: impl Fn(&Peer) -> usize) -> (Vec<Measured>, Vec<String>) {
    let mut measured = Vec::new();
    let mut failed = Vec::new();
    for peer in &PEERS {
        match measure_peer(root, peer, rounds(peer).max(1)) {
            Ok(m) => measured.push(m),
            Err(e) => {
                eprintln!("error: {}: {e}", peer.krate);
                failed.push(format!("{}: {e}", peer.krate));
            }
        }
    }
    (measured, failed)
}

/// `Ok` when nothing failed, else one error naming every failed peer.
pub(super) fn failures(failed: &[String]) -> Result<(), String> {
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("not measured (left out of BENCHMARKS.md):\n{}", failed.join("\n")))
    }
}

/// Prints the table of `measured` and writes it to `BENCHMARKS.md`.
pub(super) fn write(root: &Path, measured: &[Measured], started: &Environment, command: &str) -> Result<(), String> {
    let table = table(measured);
    println!("\n{table}");
    let section = section(&table, started, command);
    let path = root.join("BENCHMARKS.md");
    update_benchmarks_md(&path, "## Peers", &section)?;
    eprintln!("wrote the section \"Peers\" of `{}`", path.display());
    Ok(())
}

fn measure_peer(root: &Path, peer: &Peer, rounds: usize) -> Result<Measured, String> {
    let dir = root.join("target").join("bench").join("peers").join(peer.krate);
    let dependency = format!("{} = \"={}\"", peer.krate, peer.version);
    measure::write_scratch_project(&dir, &format!("peer-{}", peer.krate), &dependency)?;
    let mut builds = Vec::new();
    for round in 1..=rounds {
        eprintln!("{}: build, round {round} of {rounds} ...", peer.krate);
        let cost = measure::measure(&dir, peer.krate, Mode::Build)?;
        eprintln!("{}: {}, peak RSS {}", peer.krate, seconds(cost.wall), gib(cost.peak_rss_kib));
        builds.push(cost);
    }
    let doc = if peer.doc {
        eprintln!("{}: cargo doc --no-deps ...", peer.krate);
        let cost = measure::measure(&dir, peer.krate, Mode::DocNoDeps)?;
        eprintln!("{}: doc {}, peak RSS {}", peer.krate, seconds(cost.wall), gib(cost.peak_rss_kib));
        Some(cost)
    } else {
        None
    };
    let version = locked_version(&dir, peer.krate)?;
    let source = registry_source(peer.krate, &version)?;
    Ok(Measured {
        krate: peer.krate,
        requested: peer.version,
        default_features: default_features(&source),
        rust_lines: rust_lines(&source.join("src")),
        operations: operations(&source),
        version,
        builds,
        doc,
    })
}

/// The version of `krate` in the project's `Cargo.lock`.
fn locked_version(dir: &Path, krate: &str) -> Result<String, String> {
    let lock = dir.join("Cargo.lock");
    let text = std::fs::read_to_string(&lock).map_err(|e| format!("cannot read `{}`: {e}", lock.display()))?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{krate}\"") {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("`{}` does not lock `{krate}`", lock.display()))
}

/// The unpacked source of `krate` in cargo's registry cache.
fn registry_source(krate: &str, version: &str) -> Result<PathBuf, String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let registries = home.join("registry").join("src");
    let entries = std::fs::read_dir(&registries).map_err(|e| format!("cannot read `{}`: {e}", registries.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path().join(format!("{krate}-{version}")))
        .filter(|path| path.is_dir())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| format!("no `{krate}-{version}` under `{}`", registries.display()))
}

/// The `default` feature list of the crate's published `Cargo.toml`.
fn default_features(source: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(source.join("Cargo.toml")).unwrap_or_default();
    let Some(start) = text.find("\ndefault = [") else {
        return Vec::new();
    };
    let list = &text[start + "\ndefault = [".len()..];
    let list = &list[..list.find(']').unwrap_or(0)];
    list.split(',').map(|f| f.trim().trim_matches('"').to_string()).filter(|f| !f.is_empty()).collect()
}

/// Lines of every `.rs` file under `dir`.
pub(super) fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// The number of operations: the folders of `src/operation/` (AWS SDK),
/// or the methods of the service trait in `src/generated.rs` (Rusoto).
fn operations(source: &Path) -> Option<usize> {
    if let Ok(entries) = std::fs::read_dir(source.join("src").join("operation")) {
        return Some(entries.filter_map(Result::ok).filter(|e| e.path().is_dir()).count());
    }
    let text = std::fs::read_to_string(source.join("src").join("generated.rs")).ok()?;
    let start = text.find("\npub trait ")?;
    let body = &text[start..];
    let body = &body[..body.find("\n}\n")?];
    Some(body.lines().filter(|line| line.starts_with("    async fn ") || line.starts_with("    fn ")).count())
}

pub(super) fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

pub(super) fn gib(kib: u64) -> String {
    format!("{:.2} GiB", kib as f64 / (1024.0 * 1024.0))
}

/// (min, median) of the samples; the median of an even count is the mean of
/// the middle two.
pub(super) fn min_median(samples: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let mut samples: Vec<f64> = samples.collect();
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n % 2 == 1 { samples[n / 2] } else { (samples.get(n / 2)? + samples[n / 2 - 1]) / 2.0 };
    Some((samples[0], median))
}

fn table(measured: &[Measured]) -> String {
    let mut out = String::from(
        "| crate | version | default features | `.rs` lines | operations | command | rounds | wall min / median | peak RSS min / median |\n\
         |---|---|---|---:|---:|---|---:|---:|---:|\n",
    );
    for m in measured {
        let version = if m.version == m.requested {
            m.version.clone()
        } else {
            format!("{} (asked for {})", m.version, m.requested)
        };
        let features = if m.default_features.is_empty() {
            "none".to_string()
        } else {
            m.default_features.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        };
        let operations = m.operations.map_or("?".to_string(), |n| n.to_string());
        let mut rows = vec![("`cargo build -j 2`", m.builds.clone())];
        if let Some(doc) = m.doc {
            rows.push(("`cargo doc --no-deps -j 2`", vec![doc]));
        }
        for (command, costs) in rows {
            let (Some((wall_min, wall_median)), Some((rss_min, rss_median))) =
                (min_median(costs.iter().map(|c| c.wall.as_secs_f64())), min_median(costs.iter().map(|c| c.peak_rss_kib as f64)))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "| `{}` | {version} | {features} | {} | {operations} | {command} | {} | {} / {} | {} / {} |",
                m.krate,
                m.rust_lines,
                costs.len(),
                seconds(Duration::from_secs_f64(wall_min)),
                seconds(Duration::from_secs_f64(wall_median)),
                gib(rss_min as u64),
                gib(rss_median as u64),
            );
        }
    }
    out
}

/// Where and when the numbers were taken.
pub(super) struct Environment {
    pub(super) date: String,
    pub(super) cpus: usize,
    pub(super) memory: String,
    pub(super) cpu_model: String,
    pub(super) load: String,
    pub(super) rustc: String,
    pub(super) cargo: String,
}

impl Environment {
    pub(super) fn now() -> Environment {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_kib: Option<u64> = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        Environment {
            date: today(),
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            memory: mem_kib.map_or("unknown".to_string(), gib),
            cpu_model: cpuinfo
                .lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map_or("unknown CPU".to_string(), |v| v.trim_start_matches([' ', '\t', ':']).to_string()),
            load: load_average(),
            rustc: version_of(&std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())),
            cargo: version_of(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())),
        }
    }
}

/// The 1, 5 and 15 minute load averages, from `/proc/loadavg`.
pub(super) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or("unknown".to_string(), |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn version_of(program: &str) -> String {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| format!("{program} (version unknown)"), |v| v.trim().to_string())
}

/// Today's date (UTC), `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Howard Hinnant's days-to-civil.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn section(table: &str, env: &Environment, command: &str) -> String {
    format!(
        "## Peers\n\n\
         The build cost of the well-known crates for the same APIs, each the way a user \
         pays it when the crate changes: debug profile, `default-features` as published, \
         every dependency already built, the crate alone compiled. Each crate is the only \
         dependency of a scratch library package under `target/bench/peers/<crate>/` \
         (own `[workspace]`, own target folder); a first `cargo build` builds the \
         dependencies, then each round runs `cargo clean -p <crate>` and times \
         `cargo build -j 2` under `/usr/bin/time -v` (so only the crate and the empty \
         scratch package compile). Peak RSS is GNU time's \"Maximum resident set size\": \
         the largest single process (the crate's `rustc`), not a sum. The `cargo doc` row is \
         `cargo doc --no-deps -p <crate> -j 2` after `cargo check` and `cargo clean -p <crate>`: \
         the dependencies are not documented, only their metadata is read. `.rs` lines are \
         those of the crate's `src/` in `~/.cargo/registry/src`; operations are the folders \
         of `src/operation/` (AWS SDK) or the methods of the service trait (Rusoto).\n\n\
         - command: `{command}`\n\
         - date: {date} (UTC)\n\
         - machine: {cpus} CPUs (`nproc`), {memory} memory, {cpu_model}; shared with other \
         work, load average {load} at the start\n\
         - toolchain: {rustc}, {cargo}\n\n\
         {table}",
        date = env.date,
        cpus = env.cpus,
        memory = env.memory,
        cpu_model = env.cpu_model,
        load = env.load,
        rustc = env.rustc,
        cargo = env.cargo,
    )
}

/// Replaces the section `heading` (such as `## Peers`) of `BENCHMARKS.md`
/// (up to the next `## ` heading), or adds it; creates the file if needed.
pub(super) fn update_benchmarks_md(path: &Path, heading: &str, section: &str) -> Result<(), String> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "# Benchmarks\n\nWritten by `cargo xtask bench`; rerun it to update a section.\n".to_string()
        }
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    let new = replace_section(&old, heading, section);
    std::fs::write(path, new).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn replace_section(text: &str, heading: &str, section: &str) -> String {
    let section = section.trim_end();
    let Some(start) = text.lines().position(|l| l.trim_end() == heading) else {
        return format!("{}\n\n{section}\n", text.trim_end());
    };
    let lines: Vec<&str> = text.lines().collect();
    let end = lines[start + 1..].iter().position(|l| l.starts_with("## ")).map_or(lines.len(), |i| start + 1 + i);
    let mut out = lines[..start].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(section);
    out.push('\n');
    if end < lines.len() {
        out.push('\n');
        out.push_str(&lines[end..].join("\n"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_its_own_section() {
        let text = "# Benchmarks\n\n## Peers\n\nold\n\n## Ours\n\nkept\n";
        let new = replace_section(text, "## Peers", "## Peers\n\nnew\n");
        assert_eq!(new, "# Benchmarks\n\n## Peers\n\nnew\n\n## Ours\n\nkept\n");
        let added = replace_section("# Benchmarks\n", "## Peers", "## Peers\n\nnew\n");
        assert_eq!(added, "# Benchmarks\n\n## Peers\n\nnew\n");
    }

    #[test]
    fn min_and_median() {
        assert_eq!(min_median([3.0, 1.0, 2.0].into_iter()), Some((1.0, 2.0)));
        assert_eq!(min_median([5.0, 4.0].into_iter()), Some((4.0, 4.5)));
        assert_eq!(min_median(std::iter::empty()), None);
    }
}
