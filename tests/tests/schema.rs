//! `models/schema.json` is the JSON Schema of the model format (generated
//! from the Rust model types), every model names it for editors, and every
//! model validates against it.

use codegen::diagnostic::Code;
use tests::workspace;

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(workspace().join("models/schema.json")).expect("models/schema.json");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn model_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for provider in std::fs::read_dir(workspace().join("models")).expect("models") {
        let provider = provider.expect("entry").path();
        if provider.is_dir() {
            for file in std::fs::read_dir(&provider).expect("provider") {
                let file = file.expect("entry").path();
                if file.extension().is_some_and(|e| e == "yaml") {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn committed_schema_is_the_generated_one() {
    let outputs = codegen::generate(&workspace().join("models"), "models")
        .unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)));
    let schema_only = codegen::Layout {
        src: None,
        schema: Some(workspace().join("models/schema.json")),
        manifest: None,
        api: None,
    };
    if let Some(diff) = outputs.stale_against(&schema_only).expect("read models/schema.json") {
        panic!("models/schema.json is stale; run `cargo xtask codegen`:\n{diff}");
    }
}

#[test]
fn every_model_names_the_schema_and_validates_against_it() {
    let validator = jsonschema::validator_for(&schema()).expect("valid schema");
    let files = model_files();
    assert!(files.len() >= 4);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema.json\n"),
            "{} must start with the schema line",
            file.display()
        );
        let value: serde_json::Value = serde_yaml::from_str(&text).expect("yaml");
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = jsonschema::validator_for(&schema()).expect("valid schema");
    let fsx = std::fs::read_to_string(workspace().join("models/aws/fsx.yaml")).expect("read");
    for (mistake, from, to) in [
        ("misspelt key", "    pattern:", "    patern:"),
        ("unknown protocol", "protocol: aws-json11", "protocol: aws-json12"),
        ("unknown shape type", "type: enum", "type: enumeration"),
        ("unknown fault", "fault: server", "fault: service"),
    ] {
        assert!(fsx.contains(from), "{mistake}: the model has `{from}`");
        let broken: serde_json::Value = serde_yaml::from_str(&fsx.replacen(from, to, 1)).expect("yaml");
        assert!(!validator.is_valid(&broken), "the schema accepts a {mistake}");
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("fsx.yaml"), fsx.replacen(from, to, 1)).expect("write");
        let e = codegen::generate(tmp.path(), "models").err().unwrap_or_else(|| panic!("the loader accepts a {mistake}"));
        assert!(
            e.diagnostics.iter().all(|d| matches!(d.code, Code::UnknownKey | Code::WrongType)),
            "{mistake}: the loader, not a later check, refuses it:\n{}",
            e.render(codegen::diagnostic::Color::Never)
        );
    }
}
