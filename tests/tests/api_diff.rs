//! `cargo xtask api-diff` and the semver check of `cargo xtask codegen`.
//!
//! The corpus is `tests/fixtures/api-diff/`: one base model (`base/`) and,
//! below `cases/`, one copy of it per mutation. Each case's first comment
//! lines say what the mutation is and the one change it must produce, with
//! its class, as the report prints it:
//!
//! ```text
//! # api-diff case: a documented enum value is removed.
//! # expect: [breaking for Rust] variant TaskState::Done: removed
//! ```
//!
//! The case's worst class must be that class, and the report must hold
//! that line.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Layout;
use codegen::api_diff::{self, Api, Class, Report, Version};
use tests::workspace;

fn corpus() -> PathBuf {
    workspace().join("tests/fixtures/api-diff")
}

fn api(dir: &Path) -> (Api, Version) {
    let (ir, version) = codegen::lower_models(dir, &dir.display().to_string())
        .unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)));
    (Api::from_ir(&ir, true), version)
}

fn line(c: &api_diff::Change) -> String {
    format!("[{}] {} {}: {}", c.class, c.kind.word(), c.path, c.what)
}

fn class_named(label: &str) -> Class {
    [
        Class::Compatible,
        Class::BreakingOnTheWire,
        Class::BreakingForRust,
    ]
    .into_iter()
    .find(|c| c.label() == label)
    .unwrap_or_else(|| panic!("`{label}` is not a class"))
}

/// Every case, with its expectation line: `(name, folder, expected line)`.
fn cases() -> Vec<(String, PathBuf, String)> {
    let mut cases: Vec<_> = std::fs::read_dir(corpus().join("cases"))
        .expect("tests/fixtures/api-diff/cases")
        .map(|e| e.expect("an entry").path())
        .map(|dir| {
            let name = dir
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            let model =
                std::fs::read_to_string(dir.join("test/tasks.yaml")).expect("the case's model");
            let expect = model
                .lines()
                .find_map(|l| l.strip_prefix("# expect: "))
                .unwrap_or_else(|| panic!("{name}: no `# expect:` line"))
                .to_string();
            (name, dir, expect)
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_mutation_is_classified_as_its_case_says() {
    let (base, _) = api(&corpus().join("base"));
    let cases = cases();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    let mut seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for (name, dir, expect) in &cases {
        let (new, _) = api(dir);
        let report = api_diff::diff(&base, &new);
        let lines: Vec<String> = report.changes.iter().map(line).collect();
        let class = class_named(
            expect
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default(),
        );
        seen.insert(class);
        if report.worst() != Some(class) || !lines.contains(expect) {
            failures.push(format!(
                "{name}: expected {expect}\n  worst {:?}, got:\n    {}",
                report.worst(),
                lines.join("\n    ")
            ));
        }
        // The exit status of `api-diff` follows the class.
        assert_eq!(report.is_breaking(), class.is_breaking(), "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(seen.len(), 3, "the corpus covers every class");
}

#[test]
fn the_same_models_make_no_report_and_every_property_has_a_rule() {
    let (base, _) = api(&corpus().join("base"));
    assert_eq!(api_diff::diff(&base, &base), Report::default());
    let (real, _) = api(&workspace().join("models"));
    assert_eq!(api_diff::diff(&real, &real), Report::default());
    for item in real.items.values().chain(base.items.values()) {
        for (prop, _) in &item.props {
            assert!(
                api_diff::rule(item.kind, prop).is_some(),
                "{} property `{prop}` has no rule in RULES",
                item.kind.word()
            );
        }
    }
}

#[test]
fn the_committed_api_file_reads_back_as_the_models_api() {
    let text = std::fs::read_to_string(workspace().join("generated").join(codegen::API_FILE))
        .expect("generated/api.txt");
    let (version, committed) = api_diff::parse_api_file(&text).expect("parses");
    let (ir, models_version) =
        codegen::lower_models(&workspace().join("models"), "models").expect("the models load");
    assert_eq!(version, models_version);
    assert_eq!(committed, Api::from_ir(&ir, false));
}

/// Writes the crate the models in `models` generate to `out/src` (with its
/// manifest and API file beside it).
fn generate_into(models: &Path, out: &Path) {
    let outputs = codegen::generate(models, "models")
        .unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)));
    outputs
        .write_to(&Layout::crate_at(out.join("src")))
        .expect("write");
}

fn copy_case(name: &str, to: &Path, version: Option<&str>) -> PathBuf {
    let models = to.join(name);
    std::fs::create_dir_all(models.join("test")).expect("mkdir");
    std::fs::copy(
        corpus().join("cases").join(name).join("test/tasks.yaml"),
        models.join("test/tasks.yaml"),
    )
    .expect("copy");
    if let Some(v) = version {
        std::fs::write(models.join(codegen::VERSION_FILE), format!("{v}\n")).expect("VERSION");
    }
    models
}

/// Runs `cargo xtask codegen` with `args` from the workspace root.
fn xtask(args: &[&Path]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "codegen"])
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("run cargo xtask")
}

/// What CI runs, `cargo xtask codegen --check`, refuses a breaking change
/// without a version bump; `cargo xtask codegen` writes nothing for it;
/// with the bump both pass the semver check, and a compatible change needs
/// none.
#[test]
fn a_breaking_change_without_a_version_bump_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("crate");
    generate_into(&corpus().join("base"), &out);
    let api_file = out.join(codegen::API_FILE);
    let before = std::fs::read_to_string(&api_file).expect("api.txt");
    assert!(before.contains("\nversion 0.1.0\n"), "{before}");

    // In the library: the verdict.
    let verdict = |models: &Path| {
        codegen::generate(models, "models")
            .expect("generate")
            .semver_against(&Layout::crate_at(out.join("src")))
            .expect("reads api.txt")
            .expect("a base")
    };
    let unbumped = copy_case("remove_enum_variant", &tmp.path().join("a"), None);
    let v = verdict(&unbumped);
    assert!(!v.ok(), "{v:?}");
    assert_eq!(v.needed, Some(Version(0, 2, 0)));
    assert!(
        v.advice("models/VERSION").contains("set it to 0.2.0"),
        "{}",
        v.advice("models/VERSION")
    );
    let bumped = copy_case("remove_enum_variant", &tmp.path().join("b"), Some("0.2.0"));
    assert!(verdict(&bumped).ok());
    let compatible = copy_case("add_optional_member", &tmp.path().join("c"), None);
    let v = verdict(&compatible);
    assert!(v.ok() && v.needed == Some(Version(0, 1, 1)), "{v:?}");

    // Through the CLI, as CI runs it.
    let src = out.join("src");
    let check = xtask(&[
        Path::new("--check"),
        Path::new("--models"),
        &unbumped,
        Path::new("--out"),
        &src,
    ]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a breaking API change without a version bump"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("[breaking for Rust] variant TaskState::Done: removed")
    );
    let write = xtask(&[Path::new("--models"), &unbumped, Path::new("--out"), &src]);
    assert_eq!(
        write.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&api_file).expect("api.txt"),
        before,
        "nothing was written"
    );

    let write = xtask(&[Path::new("--models"), &bumped, Path::new("--out"), &src]);
    assert_eq!(
        write.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    let check = xtask(&[
        Path::new("--check"),
        Path::new("--models"),
        &bumped,
        Path::new("--out"),
        &src,
    ]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_bad_version_file_is_a_diagnostic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = copy_case("add_enum_variant", tmp.path(), Some("one"));
    let e = codegen::generate(&models, "models").expect_err("a bad version");
    let text = e.render(codegen::diagnostic::Color::Never);
    assert!(
        text.contains("`models/VERSION` holds `one`, which is not a version"),
        "{text}"
    );
    assert!(text.contains("major.minor.patch"), "{text}");
}
