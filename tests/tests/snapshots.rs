//! Snapshots of the generator's output: every generated file of the real
//! models, and of small fixture models that each pin one feature.
//!
//! A change to the generator or a model shows up here as a snapshot diff a
//! reviewer reads; review with `cargo insta review`.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(dir: &Path) -> codegen::FileTree {
    codegen::generate(dir, "models").unwrap_or_else(|e| {
        panic!("{}", e.render(codegen::diagnostic::Color::Never));
    })
}

/// Snapshot name for a generated file: `aws/fsx.rs` → `aws__fsx.rs`.
fn snapshot_name(prefix: &str, path: &str) -> String {
    format!("{prefix}__{}", path.trim_start_matches("../").replace('/', "__"))
}

/// Every generated file is checked before the test fails, so one run
/// leaves a `.snap.new` for each changed file, ready for `cargo insta review`.
#[test]
fn real_models() {
    let files = generate(&workspace().join("models"));
    let mut changed = Vec::new();
    for (path, text) in &files {
        let name = snapshot_name("real", path);
        if std::panic::catch_unwind(|| insta::assert_snapshot!(name.clone(), text)).is_err() {
            changed.push(path.clone());
        }
    }
    assert!(changed.is_empty(), "snapshots differ for: {changed:?}");
}

fn fixture(name: &str) {
    let files = generate(&workspace().join("tests/fixtures/models").join(name));
    // Only the service module: lib.rs and mod.rs are pinned by `real_models`.
    let services: Vec<_> = files
        .iter()
        .filter(|(path, _)| !path.starts_with("../") && path.matches('/').count() == 1 && !path.ends_with("mod.rs"))
        .collect();
    assert_eq!(services.len(), 1, "fixture {name} has one service");
    for (path, text) in services {
        insta::assert_snapshot!(snapshot_name(name, path), text);
    }
}

#[test]
fn fixture_keywords() {
    fixture("keywords");
}

#[test]
fn fixture_shared_shapes() {
    fixture("shared_shapes");
}

#[test]
fn fixture_enum_clash() {
    fixture("enum_clash");
}

#[test]
fn fixture_dotted_errors() {
    fixture("dotted_errors");
}

#[test]
fn fixture_list_of_structures() {
    fixture("list_of_structures");
}

#[test]
fn fixture_hostile_docs() {
    fixture("hostile_docs");
}
