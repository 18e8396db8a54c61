//! `cloud-api-import`: the importers' command line, run by `cargo xtask import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask import botocore <service-2.json[.gz]> --out <models-dir> [--operations A,B,...] [--botocore-version V]
       cargo xtask import alibaba <api-docs.json> --out <models-dir> [--operations A,B,...]
       cargo xtask diff-models <model-a.yaml> <model-b.yaml>

import writes the vendor model as a YAML model under <models-dir> (<models-dir>/aws/<service>.yaml,
<models-dir>/alibaba/<product>.yaml), taking only the named operations and the shapes they reach
when --operations is given. botocore's version is read from the package the file is in
(botocore/__init__.py) unless given.
Exit codes: 0 written, 2 the vendor file cannot be imported, 3 the model cannot be written, 64 bad usage.

diff-models prints every difference between two models of one service, one line each, grouped
by operation (shapes are compared by what they are, walked from each operation, not by name).
Exit codes: 0 equal, 1 different, 2 a model does not load, 64 bad usage.";

struct Args {
    format: String,
    input: PathBuf,
    out: PathBuf,
    operations: Vec<String>,
    version: Option<String>,
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut iter = args.iter();
    let format = match iter.next().map(String::as_str) {
        Some("-h" | "--help" | "help") | None => return Ok(None),
        Some(f @ ("botocore" | "alibaba")) => f.to_string(),
        Some(other) => return Err(format!("unknown vendor format `{other}` (botocore, alibaba)")),
    };
    let mut input = None;
    let mut out = None;
    let mut operations = Vec::new();
    let mut version = None;
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(iter.next().ok_or("`--out` needs a folder")?)),
            "--operations" => {
                let list = iter.next().ok_or("`--operations` needs a list such as `CancelBundleTask,DescribeBundleTasks`")?;
                operations.extend(list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from));
            }
            "--botocore-version" if format == "botocore" => version = Some(iter.next().ok_or("`--botocore-version` needs a version")?.clone()),
            "-h" | "--help" => return Ok(None),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other if input.is_none() => input = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Some(Args {
        format,
        input: input.ok_or("name the vendor file to import")?,
        out: out.ok_or("`--out <models-dir>` is required")?,
        operations,
        version,
    }))
}

/// The file's path inside the botocore package, and botocore's version
/// from the package's `__init__.py`, found by walking up from the file.
fn botocore_source(input: &Path, version: Option<String>) -> cloud_api_import::botocore::Source {
    let mut file = input.file_name().map(|n| n.to_string_lossy().trim_end_matches(".gz").to_string()).unwrap_or_default();
    let mut found = version;
    let mut dir = input.parent();
    while let Some(d) = dir {
        let name = d.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if name.is_empty() {
            break;
        }
        file = format!("{name}/{file}");
        if name == "botocore" {
            if found.is_none() {
                found = std::fs::read_to_string(d.join("__init__.py")).ok().and_then(|text| {
                    text.lines()
                        .find_map(|l| l.strip_prefix("__version__ = "))
                        .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
                });
            }
            break;
        }
        dir = d.parent();
    }
    cloud_api_import::botocore::Source { version: found.unwrap_or_else(|| "unknown".into()), file }
}

const IMPORT_MARK: &str = "# Imported by `cargo xtask import`";

/// Writes `text` to `path` through a temporary file and a rename, and only
/// over a file an import wrote before.
fn write_model(path: &Path, text: &str) -> Result<(), String> {
    if let Ok(old) = std::fs::read_to_string(path) {
        if !old.lines().take(3).any(|l| l.starts_with(IMPORT_MARK)) {
            return Err(format!(
                "`{}` exists and was not written by an import (a hand model?): refusing to replace it; import into another folder",
                path.display()
            ));
        }
    }
    let dir = path.parent().ok_or("the output path has no folder")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let tmp = dir.join(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// `diff-models <a> <b>`: prints the differences; exits 0, 1 or 2.
fn diff_models(args: &[String]) -> ExitCode {
    let [a, b] = args else {
        eprintln!("error: `diff-models` takes two model files\n\n{USAGE}");
        return ExitCode::from(64);
    };
    let mut models = Vec::new();
    for path in [a, b] {
        match codegen::read_model(Path::new(path)) {
            Ok(m) => models.push(m),
            Err(rendered) => {
                eprintln!("error: `{path}` does not load as a model:\n{rendered}");
                return ExitCode::from(2);
            }
        }
    }
    let differences = cloud_api_import::diff::diff(&models[0], &models[1]);
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = write!(std::io::stdout(), "{}", cloud_api_import::diff::render(&differences));
    if differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("{} differences", differences.len());
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("diff-models") {
        if matches!(args.get(1).map(String::as_str), Some("-h" | "--help")) {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        return diff_models(&args[1..]);
    }
    let args = match parse(&args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    let shown = args.input.display().to_string();
    let imported = cloud_api_import::read_input(&args.input).and_then(|bytes| match args.format.as_str() {
        "alibaba" => {
            let file = args.input.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            cloud_api_import::alibaba::import(&bytes, &cloud_api_import::alibaba::Source { file }, &args.operations)
        }
        _ => cloud_api_import::botocore::import(&bytes, &botocore_source(&args.input, args.version.clone()), &args.operations),
    });
    let imported = match imported {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: cannot import `{shown}`: {e}");
            return ExitCode::from(2);
        }
    };
    for s in &imported.skipped {
        eprintln!("skipped: {s}");
    }
    let path = args.out.join(&imported.path);
    if let Err(e) = write_model(&path, &imported.to_yaml()) {
        eprintln!("error: {e}");
        return ExitCode::from(3);
    }
    let m = &imported.model;
    eprintln!(
        "wrote {}: {} operations, {} shapes, {} errors, {} skipped",
        path.display(),
        m.operations.len(),
        m.shapes.len(),
        m.errors.len(),
        imported.skipped.len()
    );
    ExitCode::SUCCESS
}
