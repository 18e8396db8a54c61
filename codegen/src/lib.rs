//! The generator: YAML API models in, the generated crate out.
//!
//! The pipeline is one module a stage:
//! [`load`] (YAML → [`model`]) → [`check`] (meaning) → [`ir`] (names and
//! references resolved) → [`emit`] (tokens → formatted files) → [`write`]
//! (all or nothing). [`generate`] runs the first four; it is a pure function
//! of the models folder: no clock, no environment, sorted iteration.

pub mod check;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod ident;
pub mod ir;
pub mod load;
pub mod model;
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

/// Loads, checks and emits the models below `models_dir`. `display_root`
/// is prefixed to file paths in diagnostics (`models`).
pub fn generate(models_dir: &Path, display_root: &str) -> Result<FileTree, GenerateError> {
    let (sources, models, mut diagnostics) = load::load_models(models_dir, display_root);
    diagnostics.extend(check::check_models(&models, &sources));
    if diagnostics.is_empty() && models.is_empty() {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("no model files (`*.yaml`) below `{}`", models_dir.display()))
                .help("point `--models` at the folder that holds the models"),
        );
    }
    if !diagnostics.is_empty() {
        return Err(GenerateError { diagnostics, sources });
    }
    let ir = ir::build(&models, &sources);
    emit::emit(&ir).map_err(|e| GenerateError {
        diagnostics: vec![Diagnostic::global(
            Code::Internal,
            format!("the generator emitted invalid Rust for `{}`: {}", e.file, e.message),
        )
        .help("this is a bug in the generator, not in the model: please report it with the model")],
        sources: sources.clone(),
    })
}
