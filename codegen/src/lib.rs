//! The generator: YAML API models in, the generated crate out.
//!
//! # Public surface
//!
//! - [`generate`]: the models folder in, [`Outputs`] (the crate's sources
//!   and `models/schema.json`) or a [`GenerateError`] out. A pure function
//!   of the folder: no clock, no environment, sorted iteration.
//! - [`Outputs::write_to`] a [`Layout`] (all or nothing, replacing only
//!   files the generator wrote) and [`Outputs::stale_against`] one, the
//!   single freshness check (`cargo xtask codegen --check` and the tests).
//! - [`Outputs::api_summaries`]: a review summary of each service's public
//!   API; each operation's examples in wire form are in the IR
//!   ([`ir::OperationIr::examples`]).
//!
//! Public on purpose, because callers and tests need their types:
//! [`diagnostic`] (codes, diagnostics, rendering), [`model`] (the model
//! format, whose JSON Schema is `models/schema.json`), [`ir`] (read-only
//! view of what was generated, from [`Outputs::ir`]), [`Span`], and from
//! [`mod@write`] the ownership rule ([`write::is_generated`]) and
//! [`write::WriteError`].
//!
//! # Stages (private)
//!
//! `load` (YAML → [`model`]) → `lower` (meaning checked, names and
//! references resolved into the [`ir`], in one pass, reading each protocol's
//! description from `protocol`) → `emit` (tokens → formatted files) →
//! [`mod@write`] (all or nothing).

// The public modules' docs name the private stages they work with.
#![allow(rustdoc::private_intra_doc_links)]

pub mod api_diff;
pub mod diagnostic;
mod docs;
mod emit;
mod ident;
pub mod ir;
mod load;
mod lower;
pub mod model;
mod outputs;
mod protocol;
mod source_map;
mod summary;
pub mod write;

pub use load::to_yaml_string;

use std::path::Path;

use diagnostic::{Code, Color, Diagnostic, SourceSet};
pub use emit::{FileTree, RUNTIME_PATH};
pub use outputs::{API_FILE, Layout, Outputs};
pub use source_map::Span;

/// Why a run produced no files: every problem found, with the sources to
/// quote them from.
#[derive(Debug, Clone)]
pub struct GenerateError {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files the problems point into.
    pub sources: SourceSet,
}

impl GenerateError {
    /// Renders every diagnostic with its snippet, then a count.
    pub fn render(&self, color: Color) -> String {
        diagnostic::render(&self.diagnostics, &self.sources, color)
    }
}

/// Reads one model file into a [`Model`], with the loader `generate` uses
/// (the model is parsed, not checked): for tools that compare models
/// (`cargo xtask diff-models`). A file that does not load gives its
/// rendered diagnostic, snippet included.
pub fn read_model(path: &Path) -> Result<model::Model, String> {
    let (sources, parsed) = load::load_model_file(path, &path.display().to_string());
    parsed.map_err(|d| diagnostic::render(&[d], &sources, Color::Never))
}

/// The file in the models folder that holds the generated crate's version
/// (`0.1.0` when there is none).
pub const VERSION_FILE: &str = "VERSION";

/// The generated crate's version: `models_dir`'s [`VERSION_FILE`], or
/// [`api_diff::Version::INITIAL`] when it has none.
pub fn crate_version(models_dir: &Path, display_root: &str) -> Result<api_diff::Version, Box<Diagnostic>> {
    let path = models_dir.join(VERSION_FILE);
    let shown = format!("{}/{VERSION_FILE}", display_root.trim_end_matches('/'));
    match std::fs::read_to_string(&path) {
        Ok(text) => api_diff::Version::parse(&text).ok_or_else(|| {
            Box::new(Diagnostic::global(
                Code::WrongType,
                format!("`{shown}` holds `{}`, which is not a version", text.trim().escape_debug()),
            )
            .help("write the generated crate's version as `major.minor.patch`, such as `0.2.0`, on one line"))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(api_diff::Version::INITIAL),
        Err(e) => Err(Box::new(
            Diagnostic::global(Code::Io, format!("cannot read `{shown}`: {e}"))
                .help("make the file readable, or remove it to use 0.1.0"),
        )),
    }
}

/// Loads and checks the models below `models_dir` into the IR, without
/// emitting anything (what `cargo xtask api-diff` compares), with the
/// generated crate's version. Diagnostics as [`generate`]'s.
pub fn lower_models(models_dir: &Path, display_root: &str) -> Result<(ir::Ir, api_diff::Version), GenerateError> {
    let (sources, models, mut diagnostics) = load::load_models(models_dir, display_root);
    let version = crate_version(models_dir, display_root).map_err(|d| diagnostics.push(*d)).ok();
    if diagnostics.is_empty() && models.is_empty() {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("no model files (`*.yaml`) below `{}`", models_dir.display()))
                .help("point `--models` at the folder that holds the models"),
        );
    }
    match (lower::lower(&models, &sources), version) {
        (Ok(ir), Some(version)) if diagnostics.is_empty() => Ok((ir, version)),
        (Err(more), _) => {
            diagnostics.extend(more);
            Err(GenerateError { diagnostics, sources })
        }
        _ => Err(GenerateError { diagnostics, sources }),
    }
}

/// Loads, checks and emits the models below `models_dir`. `display_root`
/// is prefixed to file paths in diagnostics (`models`).
pub fn generate(models_dir: &Path, display_root: &str) -> Result<Outputs, GenerateError> {
    let (sources, models, mut diagnostics) = load::load_models(models_dir, display_root);
    let version = crate_version(models_dir, display_root).map_err(|d| diagnostics.push(*d)).ok();
    if diagnostics.is_empty() && models.is_empty() {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("no model files (`*.yaml`) below `{}`", models_dir.display()))
                .help("point `--models` at the folder that holds the models"),
        );
    }
    // Models that did not load are reported with the problems of those that did.
    let (ir, version) = match (lower::lower(&models, &sources), version) {
        (Ok(ir), Some(version)) if diagnostics.is_empty() => (ir, version),
        (Ok(_), _) => return Err(GenerateError { diagnostics, sources }),
        (Err(more), _) => {
            diagnostics.extend(more);
            return Err(GenerateError { diagnostics, sources });
        }
    };
    let mut files = emit::emit(&ir, &version.to_string()).map_err(|e| GenerateError {
        diagnostics: vec![Diagnostic::global(
            Code::Internal,
            format!("the generator emitted invalid Rust for `{}`: {}", e.file, e.message),
        )
        .help("this is a bug in the generator, not in the model: please report it with the model")],
        sources: sources.clone(),
    })?;
    let models = models
        .into_iter()
        .map(|m| (sources.files.get(m.file).map(|f| f.rel_path.clone()).unwrap_or_default(), m.model))
        .collect();
    let manifest = files.remove(emit::MANIFEST).unwrap_or_default();
    let api = api_diff::render_api_file(&api_diff::Api::from_ir(&ir, false), version);
    Ok(Outputs {
        files,
        manifest,
        api,
        version,
        schema: outputs::schema_with_header(),
        ir,
        models,
    })
}
