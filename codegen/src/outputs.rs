//! What one run produces, where it goes, and the one staleness check.
//!
//! [`crate::generate`] returns [`Outputs`]: the generated crate's sources
//! and `models/schema.json`, plus the IR they were printed from (for the
//! review summary and the examples in wire form). A [`Layout`] says where each
//! output lives; [`Outputs::write_to`] writes them all or refuses
//! (see [`mod@crate::write`]), and [`Outputs::stale_against`] is the freshness
//! check that `cargo xtask codegen --check` and the tests all use.

use std::path::{Path, PathBuf};

use crate::api_diff::{self, Api, SemverVerdict, Version};
use crate::emit::FileTree;
use crate::ir::Ir;
use crate::model::Model;
use crate::write::{self, GENERATED_MARK, WriteError};

/// Everything a run writes, in memory.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The generated crate's sources, by path relative to its source
    /// folder (`lib.rs`, `aws/fsx.rs`), `/`-separated.
    pub files: FileTree,
    /// The generated crate's `Cargo.toml`, which lives beside its source
    /// folder, starting with the generated header (as `#` comments).
    pub manifest: String,
    /// `models/schema.json`: the JSON Schema of the model format, for
    /// editors, starting with the generated header (as `"$comment"`).
    pub schema: String,
    /// The public-API file (`generated/api.txt`): the crate's version and
    /// one line per API item, the base `cargo xtask codegen` judges the
    /// next run's version against ([`Outputs::semver_against`]).
    pub api: String,
    /// The generated crate's version (`models/VERSION`).
    pub version: Version,
    pub(crate) ir: Ir,
    pub(crate) models: Vec<(String, Model)>,
}

/// The public-API file's name, beside the generated crate's manifest.
pub const API_FILE: &str = "api.txt";

/// Where each output lives. An output whose place is `None` is left out
/// (neither written nor compared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The generated crate's source folder, replaced as a whole
    /// (`generated/src`).
    pub src: Option<PathBuf>,
    /// The model format's JSON Schema (`models/schema.json`).
    pub schema: Option<PathBuf>,
    /// The generated crate's manifest (`generated/Cargo.toml`), written
    /// right after the source folder is swapped in.
    pub manifest: Option<PathBuf>,
    /// The public-API file (`generated/api.txt`), beside the manifest.
    pub api: Option<PathBuf>,
}

impl Layout {
    /// The workspace's own layout: `generated/src` and `models/schema.json`
    /// below `root`.
    pub fn workspace(root: &Path) -> Layout {
        Layout {
            src: Some(root.join("generated").join("src")),
            schema: Some(root.join("models").join("schema.json")),
            manifest: Some(root.join("generated").join("Cargo.toml")),
            api: Some(root.join("generated").join(API_FILE)),
        }
    }

    /// Only the crate's sources, in `dir`.
    pub fn src(dir: impl Into<PathBuf>) -> Layout {
        Layout {
            src: Some(dir.into()),
            schema: None,
            manifest: None,
            api: None,
        }
    }

    /// A whole crate: its sources in `src` and its manifest and API file
    /// beside them (`src/../Cargo.toml`, `src/../api.txt`), as
    /// `cargo xtask codegen --out src` writes.
    pub fn crate_at(src: impl Into<PathBuf>) -> Layout {
        let src = src.into();
        let beside = |name: &str| match src.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(name),
            _ => PathBuf::from(name),
        };
        Layout {
            manifest: Some(beside("Cargo.toml")),
            api: Some(beside(API_FILE)),
            src: Some(src),
            schema: None,
        }
    }
}

impl Outputs {
    /// The IR the files were printed from: services, operations, types,
    /// with every Rust and wire name decided.
    pub fn ir(&self) -> &Ir {
        &self.ir
    }

    /// The models the outputs come from, by path relative to the models
    /// folder (`aws/fsx.yaml`), in that order.
    pub fn models(&self) -> impl Iterator<Item = (&str, &Model)> {
        self.models.iter().map(|(path, model)| (path.as_str(), model))
    }

    /// The one freshness check: a unified diff from what `layout` holds to
    /// these outputs, or `None` when it holds exactly them. A missing file
    /// or folder reads as empty. Reads only.
    pub fn stale_against(&self, layout: &Layout) -> Result<Option<String>, WriteError> {
        let mut diff = String::new();
        if let Some(src) = &layout.src {
            let current = write::read_tree(src).map_err(|error| WriteError::Io {
                path: src.clone(),
                error,
            })?;
            diff += &write::diff_trees(&current, &self.files, &src.display().to_string()).unwrap_or_default();
        }
        for (path, text) in [(&layout.schema, &self.schema), (&layout.manifest, &self.manifest), (&layout.api, &self.api)] {
            let Some(path) = path else { continue };
            let current = match std::fs::read(path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(error) => {
                    return Err(WriteError::Io {
                        path: path.clone(),
                        error,
                    });
                }
            };
            let name = path.display().to_string();
            let one = |text: &str| FileTree::from([(name.clone(), text.to_string())]);
            diff += &write::diff_trees(&one(&current), &one(text), ".").unwrap_or_default();
        }
        Ok((!diff.is_empty()).then_some(diff))
    }

    /// The semver check: these outputs' API compared with the API file
    /// that `layout` holds (the last run's), and whether [`Outputs::version`]
    /// is high enough for the changes ([`SemverVerdict::ok`]). `Ok(None)`
    /// when the layout has no API file or its place is empty (a first
    /// run); an unreadable or malformed file is an error that names it.
    pub fn semver_against(&self, layout: &Layout) -> Result<Option<SemverVerdict>, String> {
        let Some(path) = &layout.api else { return Ok(None) };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
        };
        let (base, old) = api_diff::parse_api_file(&text).map_err(|e| {
            format!(
                "`{}` is not an API file: {e} (restore it from git, or delete it to skip the semver check once)",
                path.display()
            )
        })?;
        let new = Api::from_ir(&self.ir, false);
        Ok(Some(SemverVerdict::judge(&old, base, &new, self.version)))
    }

    /// Writes every output to its place in `layout`, or nothing: if any
    /// place holds something the generator did not write
    /// ([`WriteError::NotOwned`]), nothing is written at all. The source
    /// folder is swapped in whole ([`mod@crate::write`]), after checking
    /// that it holds only generated files; the schema and the manifest are
    /// each replaced by a rename right after it.
    pub fn write_to(&self, layout: &Layout) -> Result<(), WriteError> {
        let single = [(&layout.schema, &self.schema), (&layout.manifest, &self.manifest), (&layout.api, &self.api)];
        let single: Vec<(&PathBuf, &String)> = single.into_iter().filter_map(|(path, text)| Some((path.as_ref()?, text))).collect();
        for (path, _) in &single {
            write::check_owned_file(path)?;
        }
        let write_single = || {
            single.iter().try_for_each(|(path, text)| {
                write::write_file_atomic(path, text).map_err(|error| WriteError::Io {
                    path: (*path).clone(),
                    error,
                })
            })
        };
        match &layout.src {
            Some(src) => write::write_tree(src, &self.files, write_single),
            None => write_single(),
        }
    }
}

/// The model format's JSON Schema with the generated header as its first
/// member: JSON has no comments, and JSON Schema's own `$comment` is
/// ignored by validators.
pub(crate) fn schema_with_header() -> String {
    let schema = crate::model::json_schema();
    match schema.strip_prefix("{\n") {
        Some(rest) => format!(
            "{{\n  \"$comment\": \"{} (codegen {}). Do not edit by hand: it is the JSON Schema of the model types in codegen/src/model.rs.\",\n{rest}",
            GENERATED_MARK.replace('"', "\\\""),
            env!("CARGO_PKG_VERSION")
        ),
        None => schema,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_carries_the_generated_header_and_stays_json() {
        let text = schema_with_header();
        assert!(write::is_generated(Path::new("schema.json"), text.as_bytes()), "{}", &text[..80]);
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(value["$comment"].as_str().is_some_and(|c| c.starts_with(GENERATED_MARK)));
        assert!(value.get("$schema").is_some());
    }
}
