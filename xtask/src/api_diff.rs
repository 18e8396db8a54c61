//! `cargo xtask api-diff [--base REV | --base-models DIR] [--models DIR] [--format text|markdown]`
//!
//! Lowers the models at a git revision (read with `git ls-tree` and
//! `git cat-file --batch` into a temporary folder, the working tree
//! untouched) and the working tree's, and prints the library's
//! classification of every API change between them
//! (`codegen::api_diff`). Nothing is emitted or built.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use codegen::api_diff::{Api, SemverVerdict};

const USAGE: &str = "usage: cargo xtask api-diff [--base <git-rev> | --base-models DIR] [--models DIR] [--format text|markdown]

Compares the API that the models at <git-rev> (default HEAD; its models/
folder) generate with the one the models in DIR (default models/) generate,
and prints each change with its class and the version bump the changes need.

Exit codes: 0 nothing breaking, 1 something breaking, 2 a model has errors,
3 git or the file system failed, 64 bad usage.";

enum Base {
    Rev(String),
    Dir(PathBuf),
}

pub(crate) fn main(root: &Path, args: &[String]) -> ExitCode {
    let mut base = Base::Rev("HEAD".into());
    let mut models = root.join("models");
    let mut shown = "models".to_string();
    let mut markdown = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |what: &str| iter.next().cloned().ok_or(format!("`{arg}` needs {what}"));
        let step = match arg.as_str() {
            "--base" => value("a git revision").map(|v| base = Base::Rev(v)),
            "--base-models" => value("a folder").map(|v| base = Base::Dir(PathBuf::from(v))),
            "--models" => value("a folder").map(|v| {
                shown = v.trim_end_matches('/').to_string();
                models = PathBuf::from(v);
            }),
            "--format" => value("`text` or `markdown`").and_then(|v| match v.as_str() {
                "text" | "markdown" => {
                    markdown = v == "markdown";
                    Ok(())
                }
                other => Err(format!(
                    "unknown format `{other}`: use `text` or `markdown`"
                )),
            }),
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown option `{other}`")),
        };
        if let Err(message) = step {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(64);
        }
    }
    // The base's models: a folder as it is, or a revision's `models/` copied out.
    let tmp;
    let (base_dir, base_shown) = match &base {
        Base::Dir(dir) => (
            dir.clone(),
            dir.display().to_string().trim_end_matches('/').to_string(),
        ),
        Base::Rev(rev) => {
            tmp = match tempfile::tempdir() {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot make a temporary folder: {e}");
                    return ExitCode::from(3);
                }
            };
            if let Err(e) = models_at(root, rev, "models", tmp.path()) {
                eprintln!("error: cannot read the models at `{rev}`: {e}");
                return ExitCode::from(3);
            }
            (tmp.path().join("models"), format!("{rev}:models"))
        }
    };
    // The two sides are independent: lower and flatten them on two threads.
    let side = |dir: &Path, shown: &str| {
        codegen::lower_models(dir, shown).map(|(ir, version)| {
            let api = Api::from_ir(&ir, true);
            // Freeing a whole service's IR item by item takes longer than
            // the process has left to live (a tenth of the run for all of EC2).
            std::mem::forget(ir);
            (api, version)
        })
    };
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| side(&base_dir, &base_shown));
        let new = side(&models, &shown);
        (old.join(), new)
    });
    let old = old.unwrap_or_else(|_| Err(internal("lowering the base panicked")));
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for e in [old.err(), new.err()].into_iter().flatten() {
                eprint!("{}", e.render(crate::color()));
            }
            eprintln!("error: the models must load before their APIs can be compared");
            return ExitCode::from(2);
        }
    };
    let verdict = SemverVerdict::judge(&old.0, old.1, &new.0, new.1);
    let advice = verdict.advice(&format!("{shown}/{}", codegen::VERSION_FILE));
    let from = format!("from `{base_shown}` to `{shown}`");
    let mut out = std::io::stdout().lock();
    let written = if markdown {
        writeln!(
            out,
            "API changes {from}\n\n{}\n{advice}",
            verdict.report.to_markdown()
        )
    } else {
        write!(
            out,
            "API changes {from}: {}\n{advice}\n",
            verdict.report.to_text()
        )
    };
    if written.and_then(|()| out.flush()).is_err() {
        return ExitCode::from(3);
    }
    if verdict.report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn internal(message: &str) -> codegen::GenerateError {
    codegen::GenerateError {
        diagnostics: vec![codegen::diagnostic::Diagnostic::global(
            codegen::diagnostic::Code::Internal,
            message.to_string(),
        )],
        sources: Default::default(),
    }
}

/// Copies the files below `folder` at `rev` into `into/folder`, with one
/// `git ls-tree` and one `git cat-file --batch`.
fn models_at(root: &Path, rev: &str, folder: &str, into: &Path) -> Result<(), String> {
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.arg("-C").arg(root).args(args);
        c
    };
    let listed = git(&["ls-tree", "-r", "-z", "--name-only", rev, "--", folder])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !listed.status.success() {
        return Err(String::from_utf8_lossy(&listed.stderr).trim().to_string());
    }
    let paths: Vec<String> = listed
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    if paths.is_empty() {
        return Err(format!("`{rev}` has no `{folder}/` folder"));
    }
    let mut child = git(&["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let requests: String = paths.iter().map(|p| format!("{rev}:{p}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    for path in &paths {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| e.to_string())?;
        let size: usize = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: `{}` for `{path}`", header.trim_end()))?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        bytes.pop();
        let to = into.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&to, bytes).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}
