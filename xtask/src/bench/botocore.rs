//! The botocore service models the benchmarks (and `cargo xtask import
//! botocore`) read: fetched once with pip into `target/bench/botocore`,
//! never committed.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure::tail;

/// The botocore release the models come from.
pub const VERSION: &str = "1.44.5";

/// The services we generate, with their botocore API versions.
pub const SERVICES: [(&str, &str); 3] = [("ec2", "2016-11-15"), ("fsx", "2018-03-01"), ("imagebuilder", "2019-12-02")];

/// The folder the wheel is downloaded to and unpacked in.
pub fn dir(root: &Path) -> PathBuf {
    root.join("target").join("bench").join("botocore")
}

/// The path of `service`'s `service-2.json.gz` (one of [`SERVICES`]: `ec2`,
/// `fsx`, `imagebuilder`), downloading the botocore wheel with pip and
/// unpacking that one file first if they are not there yet.
pub fn service_model(root: &Path, service: &str) -> Result<PathBuf, String> {
    let (_, api_version) = SERVICES.iter().find(|(name, _)| *name == service).ok_or_else(|| {
        let known: Vec<&str> = SERVICES.iter().map(|(name, _)| *name).collect();
        format!("no botocore model is set up for `{service}` (known: {})", known.join(", "))
    })?;
    let dir = dir(root);
    let member = format!("botocore/data/{service}/{api_version}/service-2.json.gz");
    let path = dir.join(&member);
    if path.is_file() {
        return Ok(path);
    }
    let wheel = wheel(&dir)?;
    unpack(&wheel, &member, &dir)?;
    if !path.is_file() {
        return Err(format!("`{}` holds no `{member}`", wheel.display()));
    }
    Ok(path)
}

/// The wheel's path, downloaded with `pip download` if it is not there.
fn wheel(dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join(format!("botocore-{VERSION}-py3-none-any.whl"));
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let requirement = format!("botocore=={VERSION}");
    let args = ["download", "--no-deps", &requirement, "-d"];
    // `pip`, or failing that the interpreter's own pip module.
    let output = match Command::new("pip").args(args).arg(dir).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Command::new("python3")
            .args(["-m", "pip"])
            .args(args)
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run `pip` or `python3 -m pip` ({e}): install Python 3 and pip to fetch botocore"))?,
        other => other.map_err(|e| format!("cannot run `pip`: {e}"))?,
    };
    if !output.status.success() {
        return Err(format!(
            "`pip download --no-deps {requirement} -d {}` failed (is the network, or PyPI, reachable?):\n{}",
            dir.display(),
            tail(&String::from_utf8_lossy(&output.stderr), 10)
        ));
    }
    if !path.is_file() {
        return Err(format!("pip succeeded but `{}` is not there", path.display()));
    }
    Ok(path)
}

/// Extracts one `member` of the zip archive `wheel` into `dir`, with `unzip`
/// or, failing that, Python's `zipfile`.
fn unpack(wheel: &Path, member: &str, dir: &Path) -> Result<(), String> {
    let unzip = Command::new("unzip").arg("-o").arg("-q").arg(wheel).arg(member).arg("-d").arg(dir).output();
    let output = match unzip {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Command::new("python3")
            .args(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])"])
            .arg(wheel)
            .arg(member)
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run `unzip` or `python3` ({e}) to unpack `{}`", wheel.display()))?,
        other => other.map_err(|e| format!("cannot run `unzip`: {e}"))?,
    };
    if !output.status.success() {
        return Err(format!(
            "cannot unpack `{member}` from `{}`:\n{}",
            wheel.display(),
            tail(&String::from_utf8_lossy(&output.stderr), 10)
        ));
    }
    Ok(())
}
