//! Stage 1: read the models folder and parse each file into [`Model`].
//!
//! serde_yaml (the user's named loader, deprecated upstream) is named by one
//! function, `from_yaml_str`, and its messages are shown, never read. Where
//! serde_yaml refuses a model, the place and the kind of the problem come from
//! the span parser ([`crate::source_map`]): the model is deserialized once more
//! over its spans, with an error type that records serde's report as data.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, FILE_START, SourceFile, SourceSet};
use crate::model::Model;
use crate::source_map::{DeError, DeErrorKind, MAX_NESTING, PathSeg, PositionIndex, Span, span_of_offset};

/// Largest model file we read. A hand model is a few KiB; the largest
/// imported one, all of EC2 from botocore, is 3.7 MB. A file far beyond
/// that is a mistake (or hostile) and must fail quickly.
pub const MAX_MODEL_BYTES: u64 = 16 * 1024 * 1024;

/// Most model files in one folder, for the same reason.
pub const MAX_MODEL_FILES: usize = 1000;

/// A parsed model with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// Index into the run's [`SourceSet`].
    pub file: usize,
    /// The model.
    pub model: Model,
    /// Where each of its keys and values is, for the lowering pass's
    /// diagnostics (the file is parsed for positions once).
    pub index: PositionIndex,
}

/// Parses YAML text into `T` with serde_yaml (the user's named loader).
///
/// serde_yaml's scanner takes time quadratic in the nesting of `[`/`{` (a megabyte
/// of `{a: ` took minutes), so it only reads text that the linear span parser has
/// read first ([`PositionIndex::build`]) and that has at most [`MAX_NESTING`]
/// brackets open. Its refusals are explained from the spans, as a [`DeError`]
/// that is always placed.
#[cfg(test)]
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, DeError> {
    parse_indexed(text, &PositionIndex::build(text))
}

fn parse_indexed<T: DeserializeOwned>(text: &str, index: &PositionIndex) -> Result<T, DeError> {
    if let Some(offset) = too_many_open_brackets(text) {
        return Err(DeError::new(DeErrorKind::TooManyBrackets).placed(span_of_offset(text, offset)));
    }
    // Past the place where the span parser stopped on a syntax error, nothing was
    // measured: serde_yaml reads on only when at most MAX_NESTING brackets open there
    // (closing ones not counted), else the span parser's report stands.
    if let Some(stop) = index.stopped() {
        let after = &text[stop.span.map_or(0, |s| s.start)..];
        if !matches!(stop.kind, DeErrorKind::Syntax(_)) || after.bytes().filter(|b| matches!(b, b'[' | b'{')).count() > MAX_NESTING {
            return Err(stop.clone());
        }
    }
    let (message, location) = match from_yaml_str::<T>(text) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let span = location.map_or(FILE_START, |offset| span_of_offset(text, offset));
    match index.stopped().is_none().then(|| index.deserialize::<T>()) {
        Some(Err(e)) if e.kind != DeErrorKind::Unsupported => Err(DeError { span: e.span.or(Some(span)), ..e }),
        _ => Err(DeError::new(DeErrorKind::Syntax(message)).placed(span)),
    }
}

/// A model as YAML text, keys in the order of the model types (the order a
/// reviewer reads a model in); the importers write models with it. With
/// [`from_yaml_str`], the only place serde_yaml is named.
pub fn to_yaml_string(model: &crate::model::Model) -> String {
    // Plain data (strings, numbers, maps with string keys) always serializes.
    serde_yaml::to_string(model).unwrap_or_default()
}

/// The one function that reads with serde_yaml: its error as text to show, and its byte offset.
fn from_yaml_str<T: DeserializeOwned>(text: &str) -> Result<T, (String, Option<usize>)> {
    serde_yaml::from_str(text).map_err(|e| (e.to_string(), e.location().map(|l| l.index())))
}

/// The byte offset of the first `[` or `{` with more than [`MAX_NESTING`] brackets open,
/// counting every bracket outside comments (in quotes too): no model comes near, and it
/// names the place in the plainly deep files (`[[[[…`) that the span parser refuses
/// before it reports any of their collections. (It is not what keeps serde_yaml fast:
/// closing brackets in quotes hide nesting from it, not from the span parser.)
fn too_many_open_brackets(text: &str) -> Option<usize> {
    let (mut open, mut comment, mut previous) = (0usize, false, b'\n');
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'\n' | b'\r' => comment = false,
            b'#' if previous.is_ascii_whitespace() => comment = true,
            _ if comment => {}
            b'[' | b'{' if open == MAX_NESTING => return Some(i),
            b'[' | b'{' => open += 1,
            b']' | b'}' => open = open.saturating_sub(1),
            _ => {}
        }
        previous = b;
    }
    None
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
        let (text, unread) = read_model_text(&dir.join(&rel));
        let file = sources.add(SourceFile {
            display_path,
            rel_path,
            text,
        });
        if let Some((code, span, message, label)) = unread {
            diagnostics.push(
                Diagnostic::new(code, file, span, message)
                    .label(label)
                    .help("a model is a UTF-8 YAML file of at most 16 MiB"),
            );
            continue;
        }
        let text = &sources.files[file].text;
        let index = PositionIndex::build(text);
        match parse_indexed::<Model>(text, &index) {
            Ok(model) => models.push(LoadedModel { file, model, index }),
            Err(e) => diagnostics.push(yaml_diagnostic(file, &index, in_shape(&index, e))),
        }
    }
    (sources, models, diagnostics)
}

/// Reads and parses one model file, as [`load_models`] reads each file of a
/// folder (the same limits and diagnostics); the file is shown as `display`.
pub fn load_model_file(path: &Path, display: &str) -> (SourceSet, Result<Model, Diagnostic>) {
    let mut sources = SourceSet::default();
    let (text, unread) = read_model_text(path);
    let file = sources.add(SourceFile { display_path: display.to_string(), rel_path: display.to_string(), text });
    if let Some((code, span, message, label)) = unread {
        let d = Diagnostic::new(code, file, span, message).label(label).help("a model is a UTF-8 YAML file of at most 16 MiB");
        return (sources, Err(d));
    }
    let text = &sources.files[file].text;
    let index = PositionIndex::build(text);
    let parsed = parse_indexed::<Model>(text, &index).map_err(|e| yaml_diagnostic(file, &index, in_shape(&index, e)));
    (sources, parsed)
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

/// Why a model file could not be read as text: code, place, message, label.
type Unread = (Code, Span, String, &'static str);

/// A model file's text, without a byte-order mark; or what can be shown of it (empty
/// when nothing was read) and why it is refused.
fn read_model_text(path: &Path) -> (String, Option<Unread>) {
    let refuse = |code, message, label| (String::new(), Some((code, FILE_START, message, label)));
    let io_error = |e: std::io::Error| refuse(Code::Io, format!("cannot read the file: {e}"), "not read");
    let bytes = match std::fs::metadata(path) {
        Err(e) => return io_error(e),
        Ok(meta) if meta.len() > MAX_MODEL_BYTES => {
            let message = format!("the file is {} bytes; a model may have at most {MAX_MODEL_BYTES}", meta.len());
            return refuse(Code::TooLarge, message, "refused unread");
        }
        Ok(_) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return io_error(e),
        },
    };
    match String::from_utf8(bytes) {
        // A byte-order mark is legal YAML but would shift every column we show.
        Ok(text) => (text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text), None),
        Err(e) => {
            // Show the file with the bad bytes replaced, the caret on the first.
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let span = span_of_offset(&text, offset);
            let (line, column) = (span.line, span.column);
            let message = format!("the file is not UTF-8: invalid byte at line {line}, column {column} (byte offset {offset})");
            (text, Some((Code::Syntax, span, message, "not UTF-8 (shown as \u{fffd})")))
        }
    }
}

/// Places an error inside a shape: serde buffers each shape (`type:` tags it) and
/// reads it without positions, so the error lands on the whole shape. Deserializing
/// the shape's own type at its node, `type` left out, finds the place.
fn in_shape(index: &PositionIndex, e: DeError) -> DeError {
    use crate::model::{EnumShape, ListShape, NumberShape, ScalarShape, StringShape, StructureShape, TimestampShape};

    let [PathSeg::Key(shapes), PathSeg::Key(_)] = e.path.as_slice() else { return e };
    if shapes != "shapes" {
        return e;
    }
    let (path, skip) = (e.path.as_slice(), Some("type"));
    let tag: Option<String> = index.deserialize_at::<Tag>(path, None).ok().map(|t| t.kind);
    let precise = match tag.as_deref() {
        Some("structure") => index.deserialize_at::<StructureShape>(path, skip).err(),
        Some("list") => index.deserialize_at::<ListShape>(path, skip).err(),
        Some("enum") => index.deserialize_at::<EnumShape>(path, skip).err(),
        Some("string") => index.deserialize_at::<StringShape>(path, skip).err(),
        Some("integer" | "long" | "double") => index.deserialize_at::<NumberShape>(path, skip).err(),
        Some("boolean" | "blob" | "document") => index.deserialize_at::<ScalarShape>(path, skip).err(),
        Some("timestamp") => index.deserialize_at::<TimestampShape>(path, skip).err(),
        _ => None,
    };
    match precise {
        // Trust it only when it is the same report.
        Some(p) if p.kind == e.kind => DeError { span: p.span.or(e.span), ..p },
        _ => e,
    }
}

/// The `type` of a shape, whatever else it holds.
#[derive(serde::Deserialize)]
struct Tag {
    #[serde(rename = "type")]
    kind: String,
}

/// Turns a load error into a diagnostic.
fn yaml_diagnostic(file: usize, index: &PositionIndex, e: DeError) -> Diagnostic {
    let span = e.span.unwrap_or(FILE_START);
    let (code, label, help) = match &e.kind {
        DeErrorKind::Syntax(_) => (Code::Syntax, "the YAML parser stopped here", "fix the YAML syntax at the marked place".to_string()),
        DeErrorKind::SecondDocument => (Code::Syntax, "second document", "a model file holds one document: remove the `---` line".to_string()),
        DeErrorKind::TooManyBrackets => (
            Code::TooLarge,
            "nested too deeply",
            "a model is nested a few levels deep; close the brackets that are open here".to_string(),
        ),
        DeErrorKind::UnknownField(_, []) => (Code::UnknownKey, "not a key of the model format", "this mapping takes no keys here".to_string()),
        DeErrorKind::UnknownField(name, allowed) => {
            let hint = near_miss(name, allowed).unwrap_or_else(|| "check the spelling; ".to_string());
            (Code::UnknownKey, "not a key of the model format", format!("{hint}allowed here: {}", list_names(allowed)))
        }
        DeErrorKind::UnknownVariant(name, allowed) => {
            let hint = near_miss(name, allowed).unwrap_or_default();
            (Code::WrongType, "not one of the allowed values", format!("{hint}use one of {}", list_names(allowed)))
        }
        DeErrorKind::MissingField(name) => {
            (Code::WrongType, "in this mapping", format!("add `{name}` to this mapping; see models/README.md for the format"))
        }
        DeErrorKind::DuplicateField(_) => (Code::DuplicateKey, "second definition", "remove or rename one of the two".to_string()),
        DeErrorKind::TooDeep => {
            (Code::TooLarge, "nested too deeply", format!("a model is nested a few levels deep; this file nests more than {MAX_NESTING}"))
        }
        _ => (Code::WrongType, "wrong type of value", "see models/README.md for the type of this key".to_string()),
    };
    let mut d = Diagnostic::new(code, file, span, e.to_string()).label(label).help(help);
    if matches!(e.kind, DeErrorKind::DuplicateField(_)) {
        if let Some((_, first, _)) = index.duplicate_keys().iter().find(|(_, _, second)| *second == span) {
            d = d.related(file, *first, "first defined here");
        }
    }
    d
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b`, `c` ``: names as serde lists them.
fn list_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [a, b] => format!("{a} or {b}"),
        _ => quoted.join(", "),
    }
}

/// `did you mean `x`? ` when `written` is a likely typo of an allowed name.
fn near_miss(written: &str, allowed: &[&str]) -> Option<String> {
    crate::lower::suggest(written, allowed).map(|s| format!("did you mean `{s}`? "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line and column an error is placed at.
    fn position(e: &DeError) -> Option<(usize, usize)> {
        e.span.map(|s| (s.line, s.column))
    }

    #[test]
    fn every_open_bracket_counts_and_closing_ones_never_go_below_zero() {
        let deep = "[".repeat(MAX_NESTING + 1);
        assert_eq!(too_many_open_brackets(&deep), Some(MAX_NESTING));
        assert_eq!(too_many_open_brackets(&"[".repeat(MAX_NESTING)), None);
        assert_eq!(too_many_open_brackets(&"[]".repeat(10_000)), None);
        assert_eq!(too_many_open_brackets(&format!("]]]]{deep}")), Some(4 + MAX_NESTING));
        assert_eq!(too_many_open_brackets(&format!("a: '{deep}'")), Some(4 + MAX_NESTING));
        assert_eq!(too_many_open_brackets(&format!("a: 1 # {deep}\nb: 2\n")), None);
        let in_a_word = format!("a: 1 # {deep}\nb: x#{deep}\n");
        assert_eq!(too_many_open_brackets(&in_a_word), Some(in_a_word.find("x#").expect("x#") + 2 + MAX_NESTING));
        let span = span_of_offset("ab\ncé[", 6);
        assert_eq!((span.line, span.column, span.end - span.start), (2, 3, 1));
    }

    #[test]
    fn serde_errors_are_data_placed_on_their_node() {
        let e = parse_yaml::<Model>("service: 3\n").expect_err("a number is not a service");
        assert_eq!(e.kind, DeErrorKind::InvalidType("integer `3`".into(), "struct Service".into()));
        assert_eq!(e.to_string(), "invalid type: integer `3`, expected struct Service");
        assert_eq!((position(&e), e.path), (Some((1, 10)), vec![PathSeg::Key("service".into())]));
        let e = parse_yaml::<Model>("servce: {}\n").expect_err("a misspelt key");
        assert!(matches!(&e.kind, DeErrorKind::UnknownField(k, _) if k == "servce"), "{e:?}");
        assert_eq!(e.span.map(|s| (s.start, s.end)), Some((0, 6)));
        let e = parse_yaml::<Model>("shapes: {}\n").expect_err("no service");
        assert_eq!((position(&e), e.kind), (Some((1, 1)), DeErrorKind::MissingField("service")));
    }

    #[test]
    fn syntax_errors_take_serde_yamls_place_and_words() {
        let e = parse_yaml::<Model>("service:\n  name: 'x\n").expect_err("an unclosed quote");
        assert!(matches!(&e.kind, DeErrorKind::Syntax(words) if words.starts_with("found unexpected end of stream")), "{e:?}");
        assert_eq!(position(&e), Some((3, 1)));
        let e = parse_yaml::<Model>("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!((position(&e), e.kind), (Some((2, 1)), DeErrorKind::SecondDocument));
    }

    /// Found by fuzzing (fuzz/regressions/fuzz_model): serde_yaml is quadratic in
    /// flow nesting, so `parse_yaml` itself refuses deep nesting before serde_yaml
    /// sees it; a megabyte of it took minutes. Closing brackets in quotes hide the
    /// nesting from the bracket count, not from the span parser.
    #[test]
    fn deep_flow_nesting_is_refused_fast_by_parse_yaml_itself() {
        for (text, position) in [
            ("{a: ".repeat(256 * 1024), Some((1, 4 * MAX_NESTING + 1))),
            ("{\"}\": ".repeat(170 * 1024), None),
            (format!("a: 1\n{}", "{\"}\": ".repeat(170 * 1024)), None),
        ] {
            let started = std::time::Instant::now();
            let e = parse_yaml::<Model>(&text).expect_err("too deep");
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
            assert!(matches!(e.kind, DeErrorKind::TooManyBrackets | DeErrorKind::Syntax(_)), "{e:?}");
            if position.is_some() {
                assert_eq!((e.kind, e.span.map(|s| (s.line, s.column))), (DeErrorKind::TooManyBrackets, position));
            }
        }
    }
}
