//! `cargo xtask codegen [--check] [--models DIR] [--out DIR]`
//!
//! A thin CLI over the `codegen` library: it finds the workspace, decides
//! colour, and maps results to exit codes. Everything else is in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::diagnostic::Color;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--models DIR] [--out DIR]

Generates the crate sources in generated/src from the models in models/.

  --check        write nothing; exit 1 with a unified diff if the output is stale
  --models DIR   read models from DIR (default: models/)
  --out DIR      write the generated sources to DIR (default: generated/src/)

Exit codes: 0 success, 1 output stale (--check), 2 the models have errors,
3 the output could not be read or written, 64 bad usage.";

struct Args {
    check: bool,
    models: PathBuf,
    out: PathBuf,
    display_root: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
        models: root.join("models"),
        out: root.join("generated").join("src"),
        display_root: "models".to_string(),
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--models" => {
                let dir = iter.next().ok_or("`--models` needs a folder")?;
                parsed.models = PathBuf::from(dir);
                parsed.display_root = dir.trim_end_matches('/').to_string();
            }
            "--out" => parsed.out = PathBuf::from(iter.next().ok_or("`--out` needs a folder")?),
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Some(parsed))
}

fn color() -> Color {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if !no_color && std::io::stderr().is_terminal() {
        Color::Always
    } else {
        Color::Never
    }
}

fn run(args: &Args) -> ExitCode {
    let files = match codegen::generate(&args.models, &args.display_root) {
        Ok(files) => files,
        Err(e) => {
            eprint!("{}", e.render(color()));
            return ExitCode::from(2);
        }
    };
    if args.check {
        let current = match codegen::write::read_tree(&args.out) {
            Ok(tree) => tree,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.out.display());
                return ExitCode::from(3);
            }
        };
        return match codegen::write::diff_trees(&current, &files, &args.out.display().to_string()) {
            None => {
                eprintln!("`{}` is up to date ({} files)", args.out.display(), files.len());
                ExitCode::SUCCESS
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: `{}` is stale: run `cargo xtask codegen` and commit the result",
                    args.out.display()
                );
                ExitCode::from(1)
            }
        };
    }
    match codegen::write::write_tree(&args.out, &files) {
        Ok(()) => {
            eprintln!("wrote {} files to `{}`", files.len(), args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}; the previous output is unchanged", args.out.display());
            ExitCode::from(3)
        }
    }
}
