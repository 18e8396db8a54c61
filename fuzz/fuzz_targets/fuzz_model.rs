//! The model loader, checker and emitter on arbitrary text, through the
//! public entry point `codegen::generate`.
//!
//! The input is one model file, or several separated by a line `#%%file`
//! (so that cross-file checks, such as a service modeled twice, are reached).
//! The files are written, bytes as given, to a folder in memory-backed temp
//! storage, and `codegen::generate` runs on it exactly as
//! `cargo xtask codegen` does: the loader's own handling of bytes that are
//! not UTF-8, a byte-order mark or a syntax error is reached as well.
//!
//! Besides "no panic", it asserts what `generate` promises:
//! * every diagnostic (and its related span) points into its file, at char
//!   boundaries, 1-based (`render` falls back to a plain line on a span
//!   outside the file, which its comment calls a bug);
//! * models that pass the checks emit valid Rust: an `E0021 Internal`
//!   diagnostic is "a bug in the generator, not in the model";
//! * a refusal renders, in both colour modes, ending in "nothing was
//!   written"; accepted models produce files and a schema.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use codegen::diagnostic::{Code, Color};
use codegen::{GenerateError, Span};
use libfuzzer_sys::fuzz_target;

const SEPARATOR: &str = "\n#%%file\n";
const MAX_FILES: usize = 3;

fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let dir = scratch_dir();
    // Files of the previous input go first.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    for (i, raw) in split(data).into_iter().enumerate() {
        std::fs::write(dir.join(format!("m{i}.yaml")), raw).expect("write the scratch model");
    }
    match codegen::generate(dir, "models") {
        Ok(outputs) => {
            assert!(!outputs.files.is_empty(), "accepted models generate files");
            assert!(!outputs.schema.is_empty());
        }
        Err(e) => {
            if let Some(d) = e.diagnostics.iter().find(|d| d.code == Code::Internal) {
                panic!("checked models emitted invalid Rust: {}", d.message);
            }
            check_diagnostics(&e);
            for color in [Color::Never, Color::Always] {
                let out = e.render(color);
                assert!(out.contains("nothing was written"), "{out}");
            }
            for d in &e.diagnostics {
                let _ = codegen::diagnostic::one_line(d, &e.sources);
            }
        }
    }
}

/// The input's files: split at lines `#%%file`, at most `MAX_FILES`.
fn split(data: &[u8]) -> Vec<&[u8]> {
    let sep = SEPARATOR.as_bytes();
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < MAX_FILES {
        match rest.windows(sep.len()).position(|w| w == sep) {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + sep.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// One folder per process, in memory-backed storage when there is one.
fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        // libFuzzer exits without running destructors: remove the folders
        // that earlier processes (no longer running) left behind.
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("codegen-fuzz-model-") {
                    if !std::path::Path::new("/proc").join(pid).exists() {
                        let _ = std::fs::remove_dir_all(entry.path());
                    }
                }
            }
        }
        let dir = base.join(format!("codegen-fuzz-model-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        dir
    })
}

fn check_diagnostics(e: &GenerateError) {
    for d in &e.diagnostics {
        if let Some(file) = d.file {
            let f = e.sources.files.get(file).unwrap_or_else(|| panic!("diagnostic in no file: {d:?}"));
            check_span(&d.span, &f.text, &format!("diagnostic {}", d.code.as_str()));
        }
        if let Some((file, span, _)) = &d.related {
            let f = e.sources.files.get(*file).unwrap_or_else(|| panic!("related span in no file: {d:?}"));
            check_span(span, &f.text, &format!("related span of {}", d.code.as_str()));
        }
    }
}

fn check_span(span: &Span, text: &str, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
    assert!(span.line >= 1 && span.column >= 1, "{what}: span {span:?} not 1-based");
}
