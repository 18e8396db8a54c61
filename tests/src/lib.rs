//! Helpers shared by the tests in `tests/tests/`: the real models, as the
//! generator reads them, and their example data in the wire form of the
//! generated types.
//!
//! The workspace README follows; rustdoc compiles and runs its Rust blocks
//! as doctests of this crate, so the README's examples cannot go stale.
#![doc = include_str!("../../README.md")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::model::Model;
use codegen::Outputs;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The generator fixtures: every folder below `tests/fixtures/models/`,
/// sorted. Each is a models folder pinning one feature.
pub fn fixture_dirs() -> Vec<PathBuf> {
    let root = workspace().join("tests/fixtures/models");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/models")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Copies the models of every fixture into one models folder `to` (their
/// relative paths must not collide).
pub fn merged_fixtures(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).expect("a fixture folder") {
            let path = entry.expect("a readable entry").path();
            let dest = to.join(path.file_name().expect("a name"));
            if path.is_dir() {
                copy(&path, &dest);
            } else {
                std::fs::create_dir_all(to).expect("mkdir");
                assert!(!dest.exists(), "two fixtures hold `{}`", dest.display());
                std::fs::copy(&path, &dest).expect("copy");
            }
        }
    }
    for dir in fixture_dirs() {
        copy(&dir, to);
    }
}

/// What the real models generate (once per test binary).
pub fn real_outputs() -> &'static Outputs {
    static OUTPUTS: OnceLock<Outputs> = OnceLock::new();
    OUTPUTS.get_or_init(|| {
        codegen::generate(&workspace().join("models"), "models")
            .unwrap_or_else(|e| panic!("the real models generate:\n{}", e.render(codegen::diagnostic::Color::Never)))
    })
}

/// The real models, by path relative to `models/` (`aws/fsx.yaml`).
pub fn real_models() -> Vec<(String, Model)> {
    real_outputs().models().map(|(path, model)| (path.to_string(), model.clone())).collect()
}

/// The data of example number `example` of the operation `operation` of the
/// real model at `model_path` (keyed by member names, as models write it) as
/// JSON keyed by wire names, as the generated request (`input`) or response
/// type's serde form reads it. The mapping is the generator's own: the
/// lowering pass fits each example and keeps it in wire form in the IR.
pub fn wire_json(model_path: &str, operation: &str, example: usize, input: bool) -> serde_json::Value {
    let op = real_outputs()
        .ir()
        .services
        .iter()
        .filter(|s| s.model_path == model_path)
        .flat_map(|s| &s.operations)
        .find(|o| o.wire_name == operation)
        .unwrap_or_else(|| panic!("no operation `{operation}` in `{model_path}`"));
    let example = op.examples.get(example).unwrap_or_else(|| panic!("no example {example} of `{operation}`"));
    let data = if input { &example.input } else { &example.output };
    data.clone().unwrap_or_else(|| panic!("example \"{}\" of `{operation}` has no such data", example.title))
}

/// Generated structures are `#[non_exhaustive]`: code outside the crate
/// builds them with `new` and `with_<member>`, so a member added by a model
/// update does not break it. A struct literal does not compile:
///
/// ```compile_fail,E0639
/// let request = cloud_api_types::aws::fsx::CancelDataRepositoryTaskRequest { task_id: "task-0123456789abcdef0".into() };
/// ```
///
/// nor does a destructuring that names every member without `..`:
///
/// ```compile_fail,E0638
/// let request = cloud_api_types::aws::fsx::CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0");
/// let cloud_api_types::aws::fsx::CancelDataRepositoryTaskRequest { task_id } = request;
/// ```
///
/// while the constructor, the setters and the accessors do:
///
/// ```
/// use cloud_api_types::aws::fsx::CancelDataRepositoryTaskRequest;
/// let request = CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0");
/// assert_eq!(request.task_id(), "task-0123456789abcdef0");
/// let CancelDataRepositoryTaskRequest { task_id, .. } = request;
/// assert_eq!(task_id, "task-0123456789abcdef0");
/// ```
pub mod non_exhaustive_structures {}
