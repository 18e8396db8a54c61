//! The model loader and checker on arbitrary text.
//!
//! The input is one model file, or several separated by a line `#%%file`
//! (so that cross-file checks, such as a service modeled twice, are reached).
//! Each file goes through the stages the way `codegen::generate` runs them,
//! but on the text, without the disk: `load::parse_yaml`,
//! `source_map::PositionIndex::build` (and its queries),
//! `check::check_models`, then `ir::build` + `emit::emit` when the checks
//! pass, and `diagnostic::render` when they do not. A file that does not
//! parse, is not UTF-8 or starts with a byte-order mark also goes through
//! `load::load_models`, its bytes written to a folder in memory-backed temp
//! storage, because the loader's own handling of those (the span it picks
//! for a YAML error, a bad byte, a BOM) is private to it.
//!
//! `parse_yaml` is called on every file directly: since 033bf05 it refuses
//! deep flow nesting itself (see `regressions/fuzz_model/README.md` for the
//! quadratic parse this target found before that).
//!
//! Besides "no panic", it asserts what the stages promise:
//! * every diagnostic points into its file, at char boundaries (`render`
//!   falls back to a plain line on a span outside the file, which its
//!   comment calls a bug);
//! * models that pass the checks emit valid Rust (an `EmitError` is "a bug in
//!   the generator, not in the model").
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use codegen::diagnostic::{self, Color, Diagnostic, SourceFile, SourceSet};
use codegen::load::{self, LoadedModel};
use codegen::model::Model;
use codegen::source_map::{PathSeg, PositionIndex};
use libfuzzer_sys::fuzz_target;

const SEPARATOR: &str = "\n#%%file\n";
const MAX_FILES: usize = 3;

fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let mut sources = SourceSet::default();
    let mut models = Vec::new();
    // The first file the loader has more to say about than the stages do:
    // one that is not UTF-8, starts with a byte-order mark, or does not parse.
    let mut for_disk: Option<&[u8]> = None;
    for (i, raw) in split(data).into_iter().enumerate() {
        // The loader rejects non-UTF-8 files before parsing (see
        // `load_from_disk`); lossy decoding keeps such inputs useful here.
        let lossy = String::from_utf8_lossy(raw);
        let utf8 = matches!(lossy, std::borrow::Cow::Borrowed(_));
        // The loader strips a byte-order mark before parsing.
        let part = lossy.strip_prefix('\u{feff}').unwrap_or(&lossy);
        if !utf8 || part.len() != lossy.len() {
            for_disk.get_or_insert(raw);
        }
        let file = sources.add(SourceFile {
            display_path: format!("models/p/m{i}.yaml"),
            rel_path: format!("p/m{i}.yaml"),
            text: part.to_owned(),
        });
        let index = PositionIndex::build(part);
        exercise_index(&index, part);
        match load::parse_yaml::<Model>(part) {
            Ok(model) => models.push(LoadedModel { file, model }),
            Err(e) => {
                if let Some((line, column)) = e.position {
                    check_span(&index.span_at(line, column), part, "span_at");
                }
                for_disk.get_or_insert(raw);
            }
        }
    }

    let diagnostics = codegen::check::check_models(&models, &sources);
    check_diagnostics(&diagnostics, &sources);
    if diagnostics.is_empty() {
        if !models.is_empty() {
            let ir = codegen::ir::build(&models, &sources);
            if let Err(e) = codegen::emit::emit(&ir) {
                panic!("checked models emitted invalid Rust for `{}`: {}", e.file, e.message);
            }
        }
    } else {
        let out = diagnostic::render(&diagnostics, &sources, Color::Never);
        assert!(out.contains("nothing was written"));
        for d in &diagnostics {
            let _ = diagnostic::one_line(d, &sources);
        }
    }

    if let Some(raw) = for_disk {
        load_from_disk(raw);
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

/// The loader's own path for one file, its bytes as given.
fn load_from_disk(raw: &[u8]) {
    let dir = scratch_dir();
    let path = dir.join("m.yaml");
    std::fs::write(&path, raw).expect("write the scratch model");
    let (sources, _models, diagnostics) = load::load_models(dir, "models");
    assert_eq!(sources.files.len(), 1, "the scratch folder holds one model");
    check_diagnostics(&diagnostics, &sources);
    let _ = diagnostic::render(&diagnostics, &sources, Color::Always);
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

fn exercise_index(index: &PositionIndex, text: &str) {
    let _ = index.syntax_error();
    let _ = index.depth_limit_reached();
    for (_, a, b) in index.duplicate_keys() {
        check_span(a, text, "duplicate key");
        check_span(b, text, "duplicate key");
    }
    let key = |s: &str| PathSeg::Key(s.to_owned());
    let paths: [Vec<PathSeg>; 5] = [
        vec![],
        vec![key("service"), key("name")],
        vec![key("operations")],
        vec![key("shapes"), key("TaskId"), key("pattern")],
        vec![key("notes"), PathSeg::Index(0), key("text")],
    ];
    for p in &paths {
        check_span(&index.locate(p), text, "locate");
        if let Some(s) = index.key_span(p) {
            check_span(&s, text, "key_span");
        }
        if let Some(s) = index.value_span(p) {
            check_span(&s, text, "value_span");
        }
    }
    if let Some(s) = index.find_key_under(&[key("shapes")], "members") {
        check_span(&s, text, "find_key_under");
    }
}

fn check_diagnostics(diagnostics: &[Diagnostic], sources: &SourceSet) {
    for d in diagnostics {
        if let Some(file) = d.file {
            let f = sources.files.get(file).unwrap_or_else(|| panic!("diagnostic in no file: {d:?}"));
            check_span(&d.span, &f.text, &format!("diagnostic {}", d.code.as_str()));
        }
        if let Some((file, span, _)) = &d.related {
            let f = sources.files.get(*file).unwrap_or_else(|| panic!("related span in no file: {d:?}"));
            check_span(span, &f.text, &format!("related span of {}", d.code.as_str()));
        }
    }
}

fn check_span(span: &codegen::source_map::Span, text: &str, what: &str) {
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
