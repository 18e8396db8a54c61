//! `models/schema.json` is the JSON Schema of the model format (generated
//! from the Rust model types), every model names it for editors, and every
//! model validates against it.

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
    let committed = std::fs::read_to_string(workspace().join("models/schema.json")).expect("read");
    assert_eq!(committed, codegen::model::json_schema(), "run `cargo xtask codegen`");
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
        assert!(codegen::load::parse_yaml::<codegen::model::Model>(&fsx.replacen(from, to, 1)).is_err(), "{mistake}");
    }
}
