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
pub use outputs::{Layout, Outputs};
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

/// Loads, checks and emits the models below `models_dir`. `display_root`
/// is prefixed to file paths in diagnostics (`models`).
pub fn generate(models_dir: &Path, display_root: &str) -> Result<Outputs, GenerateError> {
    let (sources, models, mut diagnostics) = load::load_models(models_dir, display_root);
    if diagnostics.is_empty() && models.is_empty() {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("no model files (`*.yaml`) below `{}`", models_dir.display()))
                .help("point `--models` at the folder that holds the models"),
        );
    }
    // Models that did not load are reported with the problems of those that did.
    let ir = match lower::lower(&models, &sources) {
        Ok(ir) if diagnostics.is_empty() => ir,
        Ok(_) => return Err(GenerateError { diagnostics, sources }),
        Err(more) => {
            diagnostics.extend(more);
            return Err(GenerateError { diagnostics, sources });
        }
    };
    let mut files = emit::emit(&ir).map_err(|e| GenerateError {
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
    Ok(Outputs {
        files,
        manifest,
        schema: outputs::schema_with_header(),
        ir,
        models,
    })
}
