//! Snapshots a reviewer reads, one artifact per concern:
//!
//! - the real models: a summary of each service's public API
//!   (`codegen::Outputs::api_summaries`: types, members with Rust and wire
//!   names, variants with wire values, errors, operations), one snapshot per
//!   service. Their generated code itself is `generated/`, kept current by
//!   `cargo xtask codegen --check`; it is not copied here.
//! - the generator: every fixture model below `tests/fixtures/models/`
//!   (found by listing the folder, each pinning one feature) as the full
//!   generated file of its service, and the crate-level files (`lib.rs`,
//!   the provider's `mod.rs`) of all fixtures together.
//!
//! Review changes with `cargo insta review`.

use std::path::Path;

use tests::{fixture_dirs, merged_fixtures, workspace};

fn generate(dir: &Path) -> codegen::Outputs {
    codegen::generate(dir, "models").unwrap_or_else(|e| {
        panic!("{}", e.render(codegen::diagnostic::Color::Never));
    })
}

/// Snapshot name for a generated file: `aws/fsx.rs` → `aws__fsx.rs`.
fn snapshot_name(prefix: &str, path: &str) -> String {
    format!("{prefix}__{}", path.trim_start_matches("../").replace('/', "__"))
}

/// Asserts every snapshot before failing, so one run leaves a `.snap.new`
/// for each changed one, ready for `cargo insta review`.
fn assert_all(snapshots: impl IntoIterator<Item = (String, String)>) {
    let mut changed = Vec::new();
    let mut count = 0;
    for (name, text) in snapshots {
        count += 1;
        if std::panic::catch_unwind(|| insta::assert_snapshot!(name.clone(), text)).is_err() {
            changed.push(name);
        }
    }
    assert!(count > 0, "nothing was snapshotted");
    assert!(changed.is_empty(), "snapshots differ for: {changed:?}");
}

/// The API summary of each real service.
fn api_snapshots() -> Vec<(String, String)> {
    let outputs = generate(&workspace().join("models"));
    let summaries = outputs.api_summaries();
    assert_eq!(summaries.len(), outputs.models().count(), "one summary per model");
    summaries.into_iter().map(|(service, text)| (format!("api__{}", service.replace("::", "__")), text)).collect()
}

/// Each fixture's service module, in full.
fn fixture_snapshots() -> Vec<(String, String)> {
    let mut snapshots = Vec::new();
    for dir in fixture_dirs() {
        let name = dir.file_name().expect("a name").to_string_lossy().into_owned();
        let files = generate(&dir).files;
        // Only the service module: the crate-level files are pinned once,
        // for all fixtures together.
        let services: Vec<_> = files
            .into_iter()
            .filter(|(path, _)| path.matches('/').count() == 1 && !path.ends_with("mod.rs"))
            .collect();
        assert_eq!(services.len(), 1, "fixture {name} has one service");
        snapshots.extend(services.into_iter().map(|(path, text)| (snapshot_name(&name, &path), text)));
    }
    assert!(snapshots.len() >= 6, "the fixtures are found: {}", snapshots.len());
    snapshots
}

/// `lib.rs`, the provider module and the manifest of all fixtures together.
fn crate_snapshots() -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().expect("tempdir");
    merged_fixtures(tmp.path());
    let outputs = generate(tmp.path());
    let mut crate_level: Vec<_> = outputs
        .files
        .into_iter()
        .filter(|(path, _)| path == "lib.rs" || path.ends_with("/mod.rs"))
        .map(|(path, text)| (snapshot_name("crate", &path), text))
        .collect();
    assert_eq!(crate_level.len(), 2, "lib.rs and test/mod.rs");
    crate_level.push((snapshot_name("crate", "Cargo.toml"), outputs.manifest));
    crate_level
}

#[test]
fn real_model_api_summaries() {
    assert_all(api_snapshots());
}

#[test]
fn fixtures() {
    assert_all(fixture_snapshots());
}

#[test]
fn crate_level_files() {
    assert_all(crate_snapshots());
}

/// A snapshot nothing produces any more (a renamed fixture, a removed
/// service) is deleted, not left to rot.
#[test]
fn every_committed_snapshot_is_still_produced() {
    let produced: std::collections::BTreeSet<String> = [api_snapshots(), fixture_snapshots(), crate_snapshots()]
        .into_iter()
        .flatten()
        .map(|(name, _)| format!("snapshots__{name}.snap"))
        .collect();
    let committed: std::collections::BTreeSet<String> = std::fs::read_dir(workspace().join("tests/tests/snapshots"))
        .expect("the snapshots folder")
        .map(|e| e.expect("a readable entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap"))
        .collect();
    let obsolete: Vec<_> = committed.difference(&produced).collect();
    assert!(obsolete.is_empty(), "delete the obsolete snapshots in tests/tests/snapshots/: {obsolete:?}");
}
