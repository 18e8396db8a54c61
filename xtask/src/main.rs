//! `cargo xtask codegen [--check] [--models DIR] [--out DIR]`,
//! `cargo xtask api-diff [--base REV | --base-models DIR] [--models DIR] [--format text|markdown]`
//!
//! A thin CLI over the `codegen` library: it finds the workspace, decides
//! colour, and maps results to exit codes. Everything else is in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::diagnostic::Color;

mod api_diff;
mod bench;

pub(crate) const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--allow-breaking] [--models DIR] [--out DIR]
       cargo xtask import botocore <service-2.json[.gz]> --out <models-dir> [--operations A,B,...]
       cargo xtask import alibaba <api-docs.json> --out <models-dir> [--operations A,B,...]
       cargo xtask diff-models <model-a.yaml> <model-b.yaml>
       cargo xtask api-diff [--base <git-rev> | --base-models DIR] [--models DIR] [--format text|markdown]
       cargo xtask conformance [SUITE.json ...] [--only CASE-ID]
       cargo xtask bench [--rounds N]
       cargo xtask bench peers [--rounds N]
       cargo xtask bench ours
       cargo xtask bench all
       cargo xtask bench crate DIR CRATE [--rounds N]
       cargo xtask bench botocore

Generates the crate generated/ (its sources in generated/src and its
manifest generated/Cargo.toml) from the models in models/.

  --check        write nothing; exit 1 with a unified diff if the output is stale
  --allow-breaking  write (or pass --check) even if the API broke without a
                 version bump; the API file then records the new API as the base
  --models DIR   read models from DIR (default: models/)
  --out DIR      write the generated sources to DIR (default: generated/src/),
                 and the crate's manifest beside it, to DIR/../Cargo.toml

With the default models folder, models/schema.json (the JSON Schema of the
model format, for editors) is written, or checked, too.

`import` and `diff-models` run the importers' own program (crate
cloud-api-import, built on first use, so that `codegen` stays quick to
build); `cargo xtask import --help` tells more.

`api-diff` compares the API the models at <git-rev> (default HEAD) generate
with the one the working tree's models generate, without building anything,
and prints every change with its class: breaking for Rust callers, breaking
on the wire, or compatible, and the version bump it needs. Exit codes: 0
nothing breaking, 1 something breaking, 2 a model has errors, 3 git failed.

`codegen` also compares its API with the last run's (generated/api.txt): a
breaking change needs a higher version in models/VERSION, else it writes
nothing (and --check fails) with exit code 1 and the list of changes.

`conformance` runs AWS's protocol test suites (botocore's, fetched with
pip into target/conformance/) through importer, codegen and runtime, and
prints each failing case and the counts; `cargo xtask conformance --help`
tells more.

`bench` measures generation time and the build cost of the generated crate.
`bench peers` measures the build cost of aws-sdk-ec2, rusoto_ec2 and
aws-sdk-fsx (crate alone, debug, dependencies prebuilt, under target/bench/)
and writes it to BENCHMARKS.md; `bench ours` times the release importer and
codegen on the real EC2 (all, ½, ¼), FSx, Image Builder and Alibaba ECS
models and builds the generated EC2 and FSx crates the same way, into
BENCHMARKS.md's section Ours; `bench all` runs peers and ours in one run
and adds the ratios; `bench crate DIR CRATE` measures the crate
CRATE alone in the cargo project DIR the same way; `bench botocore` fetches
the botocore models (pip) into target/bench/botocore and prints their paths.

A run replaces only files the generator wrote (they start with its
`@generated` header): if the output folder or the manifest's place holds
anything else, such as a hand-written file or a crate's Cargo.toml, it
writes nothing and names it.

Exit codes: 0 success, 1 output stale (--check), 2 the models have errors or
the output folder holds files the generator did not write, 3 the output
could not be read or written, 64 bad usage.";

struct Args {
    check: bool,
    /// Waive the semver check.
    allow_breaking: bool,
    models: PathBuf,
    /// Where the model format's JSON Schema goes: only for the default
    /// models folder, so `--models` never writes into someone's folder.
    schema: Option<PathBuf>,
    out: PathBuf,
    display_root: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("import" | "diff-models")) {
        return importer(&args);
    }
    if args.first().map(String::as_str) == Some("conformance") {
        return conformance(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("api-diff") {
        return api_diff::main(&workspace_root(), &args[1..]);
    }
    if args.first().map(String::as_str) == Some("bench") {
        return bench::main(&workspace_root(), &args[1..]);
    }
    let args = match parse_args(&args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    run(&args)
}

/// Runs the importers' program with the arguments after `import` (or all
/// of them, for `diff-models`), and exits as it does.
fn importer(args: &[String]) -> ExitCode {
    let rest = if args[0] == "import" { &args[1..] } else { args };
    run_package("cloud-api-import", rest, 3)
}

/// Runs the conformance runner (crate cloud-api-conformance, built on
/// first use) with the arguments after `conformance`, and exits as it does.
fn conformance(args: &[String]) -> ExitCode {
    run_package("cloud-api-conformance", args, 2)
}

/// `cargo run -p <package> -- <args>` in the workspace (the program is
/// built on first use, so that `codegen` stays quick to build), exiting as
/// it does, or with `failed` when it cannot be run or was killed.
fn run_package(package: &str, args: &[String], failed: u8) -> ExitCode {
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--package", package, "--"])
        .args(args)
        .current_dir(workspace_root())
        .status();
    match status {
        Ok(s) => ExitCode::from(s.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(failed)),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(failed)
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask lives one folder below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut iter = args.iter();
    match iter.next().map(String::as_str) {
        Some("codegen") => {}
        Some("help" | "--help" | "-h") | None => return Ok(None),
        Some(other) => return Err(format!("unknown task `{other}`")),
    }
    let root = workspace_root();
    let mut parsed = Args {
        check: false,
        allow_breaking: false,
        models: root.join("models"),
        schema: Some(root.join("models").join("schema.json")),
        out: root.join("generated").join("src"),
        display_root: "models".to_string(),
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--allow-breaking" => parsed.allow_breaking = true,
            "--models" => {
                let dir = iter.next().ok_or("`--models` needs a folder")?;
                parsed.models = PathBuf::from(dir);
                parsed.schema = None;
                parsed.display_root = dir.trim_end_matches('/').to_string();
            }
            "--out" => parsed.out = PathBuf::from(iter.next().ok_or("`--out` needs a folder")?),
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Some(parsed))
}

pub(crate) fn color() -> Color {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if !no_color && std::io::stderr().is_terminal() {
        Color::Always
    } else {
        Color::Never
    }
}

fn run(args: &Args) -> ExitCode {
    let outputs = match codegen::generate(&args.models, &args.display_root) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprint!("{}", e.render(color()));
            return ExitCode::from(2);
        }
    };
    // The crate's manifest lives beside its source folder.
    let layout = codegen::Layout {
        schema: args.schema.clone(),
        ..codegen::Layout::crate_at(&args.out)
    };
    let files = outputs.files.len();
    // The semver check comes first: a breaking change without a version
    // bump is refused in both modes, so that the API file never records it.
    match outputs.semver_against(&layout) {
        Ok(Some(verdict)) if !verdict.ok() && !args.allow_breaking => {
            print!("{}", verdict.report.to_text());
            let written = if args.check { "" } else { ": nothing was written" };
            eprintln!(
                "{}\nerror: a breaking API change without a version bump{written}; `cargo xtask api-diff` explains each change",
                verdict.advice(&format!("{}/{}", args.display_root, codegen::VERSION_FILE))
            );
            return ExitCode::from(1);
        }
        Ok(Some(verdict)) if verdict.needed.is_some() => {
            eprintln!("{}", verdict.advice(&format!("{}/{}", args.display_root, codegen::VERSION_FILE)));
        }
        Ok(_) => {}
        Err(e) if args.allow_breaking => eprintln!("warning: {e}"),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(if args.check { 1 } else { 2 });
        }
    }
    if args.check {
        return match outputs.stale_against(&layout) {
            Ok(None) => {
                eprintln!("`{}` is up to date ({files} files)", args.out.display());
                ExitCode::SUCCESS
            }
            Ok(Some(diff)) => {
                print!("{diff}");
                eprintln!(
                    "error: `{}` is stale: run `cargo xtask codegen` and commit the result",
                    args.out.display()
                );
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("error: cannot read {e}");
                ExitCode::from(3)
            }
        };
    }
    match outputs.write_to(&layout) {
        Ok(()) => {
            eprintln!("wrote {files} files to `{}`", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => report_write_error(&e, &args.out),
    }
}

/// Prints why nothing was written to `out`, and how to fix it.
fn report_write_error(e: &codegen::write::WriteError, out: &Path) -> ExitCode {
    use codegen::write::WriteError;
    match e {
        WriteError::NotOwned { help, .. } => {
            eprintln!("error: {e}\n  = help: {help}\nerror: nothing was written (the output folder is `{}`)", out.display());
            ExitCode::from(2)
        }
        WriteError::Io { .. } => {
            eprintln!("error: cannot write {e}; the previous output is unchanged");
            ExitCode::from(3)
        }
    }
}
