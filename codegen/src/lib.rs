//! The generator: YAML API models in, the generated crate out.
//!
//! The pipeline is one module a stage:
//! [`load`] (YAML → [`model`]) → `lower` (meaning checked, names and
//! references resolved into the [`ir`], in one pass) → [`emit`] (tokens →
//! formatted files) → [`write`] (all or nothing). [`generate`] runs the first
//! three; it is a pure function of the models folder: no clock, no
//! environment, sorted iteration.

pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod ident;
pub mod ir;
pub mod load;
mod lower;
pub mod model;
mod protocol;
pub mod source_map;
pub mod write;

use std::path::Path;

use diagnostic::{Code, Color, Diagnostic, SourceSet};
pub use emit::FileTree;

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

/// Loads the models below `models_dir` and lowers them to the IR, checking
/// them on the way. `display_root` is prefixed to file paths in diagnostics
/// (`models`).
pub fn lower(models_dir: &Path, display_root: &str) -> Result<ir::Ir, GenerateError> {
    let (sources, models, mut diagnostics) = load::load_models(models_dir, display_root);
    if diagnostics.is_empty() && models.is_empty() {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("no model files (`*.yaml`) below `{}`", models_dir.display()))
                .help("point `--models` at the folder that holds the models"),
        );
    }
    // Models that did not load are reported with the problems of those that did.
    match lower::lower(&models, &sources) {
        Ok(ir) if diagnostics.is_empty() => Ok(ir),
        Ok(_) => Err(GenerateError { diagnostics, sources }),
        Err(more) => {
            diagnostics.extend(more);
            Err(GenerateError { diagnostics, sources })
        }
    }
}

/// Loads, checks and emits the models below `models_dir`. `display_root`
/// is prefixed to file paths in diagnostics (`models`).
pub fn generate(models_dir: &Path, display_root: &str) -> Result<FileTree, GenerateError> {
    let ir = lower(models_dir, display_root)?;
    emit::emit(&ir).map_err(|e| GenerateError {
        diagnostics: vec![Diagnostic::global(
            Code::Internal,
            format!("the generator emitted invalid Rust for `{}`: {}", e.file, e.message),
        )
        .help("this is a bug in the generator, not in the model: please report it with the model")],
        sources: SourceSet::default(),
    })
}
