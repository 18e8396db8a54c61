//! Stage 1: read the models folder and parse each file into [`Model`].
//!
//! [`parse_yaml`] is the only function in the workspace that names
//! `serde_yaml` (deprecated upstream): swapping in a maintained fork is a
//! change to that one function.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, FILE_START, SourceFile, SourceSet};
use crate::model::Model;
use crate::source_map::{PathSeg, PositionIndex};

/// Largest model file we read. The largest real model is a few KiB; a file
/// far beyond that is a mistake (or hostile) and must fail quickly.
pub const MAX_MODEL_BYTES: u64 = 1024 * 1024;

/// Most model files in one folder, for the same reason.
pub const MAX_MODEL_FILES: usize = 1000;

/// A parsed model with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// Index into the run's [`SourceSet`].
    pub file: usize,
    /// The model.
    pub model: Model,
}

/// A parse error from the YAML layer, with its place when the layer knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The message without the position suffix.
    pub message: String,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// The dotted path to the value, as the YAML layer writes it.
    pub path: Option<String>,
}

/// Parses YAML text into `T`. The one place the YAML library is named.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let position = e.location().map(|l| (l.line(), l.column()));
        let mut message = e.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        // The library prefixes messages with the path to the value
        // (`shapes.TaskId: unknown field ...`); split it off so the message
        // reads as a sentence and the path can refine the position.
        let mut path = None;
        if let Some((head, rest)) = message.split_once(": ") {
            if !head.contains(' ') && !head.is_empty() {
                path = Some(head.to_string());
                message = rest.to_string();
            }
        }
        YamlError {
            message,
            position,
            path,
        }
    })
}

/// Reads every `*.yaml` / `*.yml` file below `dir`, sorted by relative path
/// so the result never depends on the order the file system lists them in.
///
/// Returns the sources (for diagnostics), the models that parsed, and a
/// diagnostic for each file that did not.
pub fn load_models(dir: &Path, display_root: &str) -> (SourceSet, Vec<LoadedModel>, Vec<Diagnostic>) {
    let mut sources = SourceSet::default();
    let mut models = Vec::new();
    let mut diagnostics = Vec::new();

    let mut paths = Vec::new();
    if let Err(e) = collect_model_paths(dir, dir, &mut paths) {
        diagnostics.push(
            Diagnostic::global(Code::Io, format!("cannot read the models folder `{}`: {e}", dir.display()))
                .help("pass an existing folder with `--models DIR`"),
        );
        return (sources, models, diagnostics);
    }
    paths.sort();
    if paths.len() > MAX_MODEL_FILES {
        diagnostics.push(Diagnostic::global(
            Code::TooLarge,
            format!("the models folder has {} model files; at most {MAX_MODEL_FILES} are read", paths.len()),
        ));
        return (sources, models, diagnostics);
    }

    for rel in paths {
        let rel_path = rel_string(&rel);
        let display_path = if display_root.is_empty() {
            rel_path.clone()
        } else {
            format!("{}/{}", display_root.trim_end_matches('/'), rel_path)
        };
        let full = dir.join(&rel);
        let text = match read_model_text(&full) {
            Ok(text) => text,
            Err((code, message)) => {
                let file = sources.add(SourceFile {
                    display_path,
                    rel_path,
                    text: String::new(),
                });
                diagnostics.push(
                    Diagnostic::new(code, file, FILE_START, message)
                        .help("a model is a UTF-8 YAML file of at most 1 MiB"),
                );
                continue;
            }
        };
        let file = sources.add(SourceFile {
            display_path,
            rel_path,
            text,
        });
        let text = &sources.files[file].text;
        match parse_yaml::<Model>(text) {
            Ok(model) => models.push(LoadedModel { file, model }),
            Err(e) => diagnostics.push(yaml_diagnostic(file, text, e)),
        }
    }
    (sources, models, diagnostics)
}

/// Walks `dir`, collecting model file paths relative to `root`. Symbolic
/// links are not followed: a model folder that links out of itself is not
/// something the generator should read.
fn collect_model_paths(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            collect_model_paths(root, &path, out)?;
        } else if kind.is_file()
            && matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        {
            if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    Ok(())
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_model_text(path: &Path) -> Result<String, (Code, String)> {
    let meta = std::fs::metadata(path).map_err(|e| (Code::Io, format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_MODEL_BYTES {
        return Err((
            Code::TooLarge,
            format!("the file is {} bytes; a model may have at most {MAX_MODEL_BYTES}", meta.len()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| (Code::Io, format!("cannot read the file: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        (
            Code::Syntax,
            format!("the file is not UTF-8 (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })?;
    // A byte-order mark is legal YAML but would shift every column we show.
    if text.starts_with('\u{feff}') {
        text.replace_range(..'\u{feff}'.len_utf8(), "");
    }
    Ok(text)
}

/// Turns a YAML-layer error into a diagnostic with the best place we can find.
fn yaml_diagnostic(file: usize, text: &str, e: YamlError) -> Diagnostic {
    let index = PositionIndex::build(text);
    let mut span = match e.position {
        Some((line, column)) => index.span_at(line, column),
        None => FILE_START,
    };
    let path = e.path.as_deref().map(parse_dotted_path).unwrap_or_default();
    let (code, help) = classify(&e.message);
    // serde reports an unknown field at the end of the mapping it buffered
    // (shapes are internally tagged); the index finds the key itself.
    if let Some(field) = backticked(&e.message, "unknown field `") {
        for len in (0..=path.len()).rev() {
            if let Some(found) = index.find_key_under(&path[..len], &field) {
                span = found;
                break;
            }
        }
    } else if e.position.is_none() && !path.is_empty() {
        span = index.locate(&path);
    }
    let mut d = Diagnostic::new(code, file, span, e.message.clone()).label(match code {
        Code::UnknownKey => "not a key of the model format",
        Code::Syntax => "the YAML parser stopped here",
        _ => "here",
    });
    if let Some(help) = help {
        d = d.help(help);
    }
    d
}

fn classify(message: &str) -> (Code, Option<String>) {
    if message.starts_with("unknown field") {
        let expected = message.split_once(", expected ").map(|(_, e)| e.to_string());
        let help = match expected {
            Some(e) => format!("check the spelling; allowed here: {e}"),
            None => "this mapping takes no keys here".to_string(),
        };
        (Code::UnknownKey, Some(help))
    } else if message.starts_with("unknown variant") {
        let expected = message.split_once(", expected ").map(|(_, e)| e.to_string());
        (Code::WrongType, expected.map(|e| format!("use one of {e}")))
    } else if message.starts_with("missing field") {
        (Code::WrongType, Some("add the key; see models/README.md for the format".to_string()))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (Code::WrongType, Some("see models/README.md for the type of this key".to_string()))
    } else if message.starts_with("duplicate") {
        (Code::DuplicateKey, Some("remove or rename one of the two".to_string()))
    } else if message.contains("recursion limit") {
        (Code::TooLarge, Some("a model is nested a few levels deep; this file nests more than 128".to_string()))
    } else {
        (Code::Syntax, Some("fix the YAML syntax at the marked place".to_string()))
    }
}

/// The text between `prefix` and the next backtick.
fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// Splits `shapes.TaskId.members[0].target` into path segments. Keys that
/// themselves contain dots cannot be told apart from nesting in this form;
/// such paths simply locate less precisely.
fn parse_dotted_path(path: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    if path == "." {
        return out;
    }
    for part in path.split('.') {
        let (key, mut indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(PathSeg::Key(key.to_string()));
        }
        while let Some(rest) = indices.strip_prefix('[') {
            let Some((n, tail)) = rest.split_once(']') else { break };
            if let Ok(n) = n.parse() {
                out.push(PathSeg::Index(n));
            }
            indices = tail;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_split_into_segments() {
        assert_eq!(
            parse_dotted_path("shapes.Req.members[1].target"),
            vec![
                PathSeg::Key("shapes".into()),
                PathSeg::Key("Req".into()),
                PathSeg::Key("members".into()),
                PathSeg::Index(1),
                PathSeg::Key("target".into()),
            ]
        );
        assert!(parse_dotted_path(".").is_empty());
    }

    #[test]
    fn yaml_errors_lose_the_position_suffix_and_keep_the_path() {
        let e = parse_yaml::<Model>("service: 3\n").expect_err("a number is not a service");
        assert!(e.message.starts_with("service: invalid type") || e.message.starts_with("invalid type"), "{e:?}");
        assert!(!e.message.contains(" at line "), "{e:?}");
        assert!(e.position.is_some());
    }
}
