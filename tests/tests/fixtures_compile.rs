//! The generated code of every fixture model compiles without a warning
//! under clippy, and its docs build without a rustdoc warning.
//!
//! Snapshots show what the generator writes; this proves it is valid Rust.
//! The fixtures include the hostile-doc model, so doc text that tries to
//! close comments, open code blocks or inject HTML is proven harmless here.

use std::path::Path;
use std::process::Command;

use tests::{merged_fixtures, workspace};

fn cargo(dir: &Path, args: &[&str], envs: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        // Share a target folder between runs so dependencies build once.
        .env("CARGO_TARGET_DIR", workspace().join("target/fixture-crate"))
        .envs(envs.iter().copied())
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        // Failing doctests report on stdout.
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn fixture_models_generate_code_that_compiles_cleanly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = tmp.path().join("models");
    merged_fixtures(&models);
    compile_cleanly(tmp.path(), &models);
}

/// The importers' committed fixtures (botocore's and Alibaba's formats,
/// trimmed to a few operations), imported and generated, compile without a
/// warning, with and without the generated crate's `serde` feature.
#[test]
fn imported_vendor_fixtures_generate_code_that_compiles_cleanly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = tmp.path().join("models");
    let fixtures = workspace().join("codegen/import/tests/fixtures");
    let mut imported = 0;
    for entry in std::fs::read_dir(fixtures.join("botocore")).expect("botocore fixtures") {
        let path = entry.expect("entry").path();
        let bytes = cloud_api_import::read_input(&path).expect("read");
        let source = cloud_api_import::botocore::Source { version: "fixture".into(), file: path.display().to_string() };
        let model = cloud_api_import::botocore::import(&bytes, &source, &[]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        write_model(&models, &model);
        imported += 1;
    }
    let alibaba = fixtures.join("alibaba/ecs-api-docs.json");
    let bytes = cloud_api_import::read_input(&alibaba).expect("read");
    let source = cloud_api_import::alibaba::Source { file: "ecs-api-docs.json".into() };
    let model = cloud_api_import::alibaba::import(&bytes, &source, &[]).unwrap_or_else(|e| panic!("{}: {e}", alibaba.display()));
    write_model(&models, &model);
    assert!(imported >= 3, "the botocore fixtures of EC2, FSx and Image Builder");
    compile_cleanly(tmp.path(), &models);
}

fn write_model(models: &Path, imported: &cloud_api_import::Imported) {
    let path = models.join(&imported.path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(path, imported.to_yaml()).expect("write model");
}

/// Generates the crate of `models` under `dir` and checks it with clippy
/// (`-D warnings`, all features and none), rustdoc (`-D warnings`) and its doctests.
fn compile_cleanly(dir: &Path, models: &Path) {
    let outputs = codegen::generate(models, "models")
        .unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)));
    let krate = dir.join("crate");
    outputs.write_to(&codegen::Layout::src(krate.join("src"))).expect("write");
    // The emitted manifest (written beside `src/` by `cargo xtask codegen`)
    // names the runtime by its path from `generated/`; here it is the
    // workspace's runtime, by absolute path. The workspace's lock file pins
    // the other dependencies, so the check runs offline.
    let manifest = &outputs.manifest;
    let relative = format!("path = {:?}", codegen::RUNTIME_PATH);
    assert!(manifest.contains(&relative), "the manifest names the runtime by {relative}");
    let absolute = format!("path = {:?}", workspace().join("codegen/runtime").display().to_string());
    std::fs::write(
        krate.join("Cargo.toml"),
        format!("{}\n[workspace]\n", manifest.replace(&relative, &absolute)),
    )
    .expect("write manifest");
    std::fs::copy(workspace().join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock");
    cargo(&krate, &["clippy", "--offline", "--quiet", "--all-targets", "--", "-D", "warnings"], &[]);
    cargo(&krate, &["clippy", "--offline", "--quiet", "--all-targets", "--all-features", "--", "-D", "warnings"], &[]);
    cargo(&krate, &["doc", "--offline", "--quiet", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]);
    // Doc text must not have become doctests: a smuggled code block would
    // show up as a doctest here (and the hostile one panics or exits).
    cargo(&krate, &["test", "--offline", "--quiet", "--doc"], &[]);
}
