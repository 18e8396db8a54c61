//! Helpers shared by the tests in `tests/tests/`: reading the real models
//! and turning their example data into the wire form of the generated types.
//!
//! The workspace README follows; rustdoc compiles and runs its Rust blocks
//! as doctests of this crate, so the README's examples cannot go stale.
#![doc = include_str!("../../README.md")]

use std::path::{Path, PathBuf};

use codegen::model::{Model, Shape};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real models, by path relative to `models/` (`aws/fsx.yaml`).
pub fn real_models() -> Vec<(String, Model)> {
    let (sources, models, diagnostics) = codegen::load::load_models(&workspace().join("models"), "models");
    assert!(diagnostics.is_empty(), "the real models load: {diagnostics:?}");
    models
        .into_iter()
        .map(|m| (sources.files[m.file].rel_path.clone(), m.model))
        .collect()
}

/// Example data keyed by member names (as models write it) → JSON keyed by
/// wire names (as the generated types' serde form reads it).
pub fn wire_json(model: &Model, target: &str, value: &serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match (model.shapes.get(target), value) {
        (Some(Shape::Structure(s)), Y::Mapping(map)) => {
            let mut out = serde_json::Map::new();
            for (key, v) in map {
                let key = key.as_str().unwrap_or_default();
                match s.members.iter().find(|m| m.name == key) {
                    Some(m) => {
                        let wire = m.wire_name.clone().unwrap_or_else(|| m.name.clone());
                        out.insert(wire, wire_json(model, &m.target, v));
                    }
                    None => {
                        out.insert(key.to_string(), plain_json(v));
                    }
                }
            }
            J::Object(out)
        }
        (Some(Shape::List(l)), Y::Sequence(items)) => {
            J::Array(items.iter().map(|i| wire_json(model, &l.member, i)).collect())
        }
        _ => plain_json(value),
    }
}

/// YAML data as JSON, unchanged in shape.
pub fn plain_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
