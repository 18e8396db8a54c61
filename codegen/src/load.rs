//! Stage 1: read the models folder and parse each file into [`Model`].
//!
//! [`parse_yaml`] is the only function in the workspace that names
//! `serde_yaml` (deprecated upstream): swapping in a maintained fork is a
//! change to that one function.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, FILE_START, SourceFile, SourceSet};
use crate::model::Model;
use crate::source_map::{PathSeg, PositionIndex, Span};

/// Largest model file we read. The largest real model is a few KiB; a file
/// far beyond that is a mistake (or hostile) and must fail quickly.
pub const MAX_MODEL_BYTES: u64 = 1024 * 1024;

/// Most model files in one folder, for the same reason.
pub const MAX_MODEL_FILES: usize = 1000;

/// Deepest nesting of flow collections (`[`, `{`) we hand to the YAML
/// library. It refuses more than 128 levels of any nesting itself, but only
/// after scanning the whole file, and its scanner takes time quadratic in
/// the flow nesting (100 000 `[` take half a minute), so deeper files are
/// refused before it sees them.
pub const MAX_FLOW_DEPTH: usize = 128;

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
    /// For syntax errors: where the construct the parser was reading began
    /// (the opening quote of an unclosed string), 1-based, when known.
    pub context: Option<(usize, usize)>,
}

/// Parses YAML text into `T`. The one place the YAML library is named.
///
/// Text with `[`/`{` nested deeper than [`MAX_FLOW_DEPTH`] is refused before
/// the library sees it: the library's scanner takes time quadratic in that
/// nesting (a megabyte of `{a: ` takes minutes), and no model nests so deep.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(offset) = too_deep_flow(text) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(YamlError {
            message: format!("`[` and `{{` are nested more than {MAX_FLOW_DEPTH} levels deep"),
            position: Some((line, column)),
            path: None,
            context: None,
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let position = e.location().map(|l| (l.line(), l.column()));
        let mut message = e.to_string();
        let mut context = None;
        // The position is written into the message (`... at line 3 column
        // 5`); it is shown apart, so take it out. Syntax errors may name a
        // second place, where the construct being read began
        // (`, while scanning a quoted scalar at line 2 column 9`): keep that
        // in the message and remember it.
        let mark = position.map(|(l, c)| format!(" at line {l} column {c}"));
        match mark {
            Some(mark) if message.contains(&mark) => {
                message = message.replacen(&mark, "", 1);
                if let Some(at) = message.rfind(" at line ") {
                    context = parse_mark(&message[at + " at line ".len()..]);
                }
            }
            _ => {
                if let Some(at) = message.rfind(" at line ") {
                    message.truncate(at);
                }
            }
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
            context,
        }
    })
}

/// `12 column 5` → `(12, 5)`.
fn parse_mark(text: &str) -> Option<(usize, usize)> {
    let (line, column) = text.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
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
            Err(e) => {
                let file = sources.add(SourceFile {
                    display_path,
                    rel_path,
                    text: e.text,
                });
                diagnostics.push(
                    Diagnostic::new(e.code, file, e.span, e.message)
                        .label(e.label)
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
            Err(e) => {
                let e = if e.path.as_deref() == Some("shapes") { locate_in_shapes(text).unwrap_or(e) } else { e };
                diagnostics.push(yaml_diagnostic(file, text, e));
            }
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

/// Why a model file could not be read as text.
struct ReadError {
    code: Code,
    message: String,
    label: &'static str,
    /// What can be shown of the file (empty when nothing was read).
    text: String,
    /// Where in `text` the problem is.
    span: Span,
}

impl ReadError {
    fn whole_file(code: Code, message: String, label: &'static str) -> Self {
        ReadError {
            code,
            message,
            label,
            text: String::new(),
            span: FILE_START,
        }
    }
}

fn read_model_text(path: &Path) -> Result<String, ReadError> {
    let io_error = |e: std::io::Error| ReadError::whole_file(Code::Io, format!("cannot read the file: {e}"), "not read");
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.len() > MAX_MODEL_BYTES {
        return Err(ReadError::whole_file(
            Code::TooLarge,
            format!("the file is {} bytes; a model may have at most {MAX_MODEL_BYTES}", meta.len()),
            "refused unread",
        ));
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        // Show the file with the bad bytes replaced, the caret on the first.
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let span = span_of_offset(&text, offset);
        ReadError {
            code: Code::Syntax,
            message: format!(
                "the file is not UTF-8: invalid byte at line {}, column {} (byte offset {offset})",
                span.line, span.column
            ),
            label: "not UTF-8 (shown as \u{fffd})",
            text,
            span,
        }
    })?;
    // A byte-order mark is legal YAML but would shift every column we show.
    if text.starts_with('\u{feff}') {
        text.replace_range(..'\u{feff}'.len_utf8(), "");
    }
    Ok(text)
}

/// Finds the place of an error that serde reports only as "somewhere in
/// `shapes`".
///
/// Shapes are internally tagged (`type: string`), so serde buffers each one
/// before it knows its type, and the position of an error inside it is lost:
/// the error lands on the first shape of the file. Here each shape of a
/// block-style `shapes` mapping is parsed alone, at its own lines, first as
/// a shape and then (with its `type` line blanked out) as its concrete type,
/// which reports the key and position. `None` when no shape fails alone.
fn locate_in_shapes(text: &str) -> Option<YamlError> {
    use std::collections::BTreeMap;

    use serde::de::IgnoredAny;

    use crate::model::{EnumShape, ListShape, NumberShape, ScalarShape, Shape, StringShape, StructureShape, TimestampShape};

    #[derive(serde::Deserialize)]
    struct Names {
        #[serde(default)]
        shapes: BTreeMap<String, IgnoredAny>,
    }
    #[derive(serde::Deserialize)]
    struct Kind {
        #[serde(rename = "type")]
        kind: String,
    }
    fn concrete<T: DeserializeOwned>(sub: &str) -> Option<YamlError> {
        parse_yaml::<BTreeMap<String, T>>(sub).err()
    }

    let index = PositionIndex::build(text);
    let names = parse_yaml::<Names>(text).ok()?;
    for name in names.shapes.keys() {
        let shape = [PathSeg::Key("shapes".into()), PathSeg::Key(name.clone())];
        let key = index.key_span(&shape)?;
        let line_start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..key.start];
        if !indent.chars().all(|c| c == ' ') {
            return None; // flow style: no lines of its own
        }
        // The shape's lines: up to the next line indented no deeper than its key.
        let mut end = text.len();
        let mut offset = text[key.start..].find('\n').map_or(text.len(), |i| key.start + i + 1);
        while offset < text.len() {
            let line = text[offset..].split('\n').next().unwrap_or_default();
            let content = line.trim_start_matches(' ');
            let depth = line.len() - content.len();
            if !content.trim().is_empty() && !content.starts_with('#') && depth <= indent.len() {
                end = offset;
                break;
            }
            offset += line.len() + 1;
        }
        // Whole lines, so columns are those of the file; lines are shifted back.
        let sub = &text[line_start..end];
        let Err(shape_error) = parse_yaml::<BTreeMap<String, Shape>>(sub) else { continue };
        let lines_before = key.line - 1;
        let in_file = |mut e: YamlError| {
            e.path = Some(match e.path.take() {
                Some(p) => format!("shapes.{p}"),
                None => format!("shapes.{name}"),
            });
            e.position = e.position.map(|(l, c)| (l + lines_before, c));
            e.context = e.context.map(|(l, c)| (l + lines_before, c));
            e
        };
        // Blank out the `type` line (keeping every offset), then parse as
        // the concrete type, whose errors carry their place.
        let kind = parse_yaml::<BTreeMap<String, Kind>>(sub).ok().and_then(|m| m.into_values().next());
        let type_line = index
            .key_span(&[shape[0].clone(), shape[1].clone(), PathSeg::Key("type".into())])
            .and_then(|k| k.line.checked_sub(lines_before));
        let (Some(kind), Some(type_line)) = (kind, type_line) else { return Some(in_file(shape_error)) };
        let blanked: String = sub
            .split('\n')
            .enumerate()
            .map(|(n, l)| if n + 1 == type_line { " ".repeat(l.len()) } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        let precise = match kind.kind.as_str() {
            "structure" => concrete::<StructureShape>(&blanked),
            "list" => concrete::<ListShape>(&blanked),
            "enum" => concrete::<EnumShape>(&blanked),
            "string" => concrete::<StringShape>(&blanked),
            "integer" | "long" | "double" => concrete::<NumberShape>(&blanked),
            "boolean" | "blob" => concrete::<ScalarShape>(&blanked),
            "timestamp" => concrete::<TimestampShape>(&blanked),
            _ => None,
        };
        // Trust the concrete error only when it says the same thing.
        return Some(in_file(match precise {
            Some(p) if p.message == shape_error.message => p,
            _ => shape_error,
        }));
    }
    None
}

/// The span of the char at byte `offset` of `text` (a char boundary).
fn span_of_offset(text: &str, offset: usize) -> Span {
    let prefix = &text[..offset];
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    Span {
        start: offset,
        end: offset + text[offset..].chars().next().map_or(0, char::len_utf8),
        line: prefix.matches('\n').count() + 1,
        column: prefix[line_start..].chars().count() + 1,
    }
}

/// The byte offset of the first `[` or `{` nested deeper than
/// [`MAX_FLOW_DEPTH`], if any. One linear pass that skips comments and
/// quoted strings; brackets in plain text count too, which can only make a
/// file with more than a hundred unclosed brackets in its prose fail early.
fn too_deep_flow(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' if previous.is_whitespace() => {
                    // A comment runs to the end of the line.
                    for (_, c) in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                    previous = '\n';
                    continue;
                }
                '"' | '\'' if matches!(previous, ' ' | '\t' | '\n' | '\r' | ':' | ',' | '[' | '{' | '-' | '?') => {
                    quote = Some(c);
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(i);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    None
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
    } else if let Some(value) = index.value_span(&path).filter(|v| !path.is_empty() && v.start == span.start) {
        // The whole offending token, not just its first char.
        span = value;
    }
    // serde reports a duplicate field of a buffered mapping at its start;
    // the index knows both keys.
    let mut first_definition = None;
    if let Some(field) = backticked(&e.message, "duplicate field `") {
        let found = index.duplicate_keys().iter().find(|(p, _, _)| {
            p.starts_with(&path) && matches!(p.last(), Some(PathSeg::Key(k)) if *k == field)
        });
        if let Some((_, first, second)) = found {
            span = *second;
            first_definition = Some(*first);
        }
    }
    let label = match code {
        Code::UnknownKey => "not a key of the model format",
        Code::Syntax => "the YAML parser stopped here",
        Code::DuplicateKey => "second definition",
        Code::TooLarge => "nested too deeply",
        _ if e.message.starts_with("missing field") => "in this mapping",
        _ if e.message.starts_with("unknown variant") => "not one of the allowed values",
        _ => "wrong type of value",
    };
    let mut d = Diagnostic::new(code, file, span, e.message.clone()).label(label);
    if let Some((line, column)) = e.context.filter(|c| Some(*c) != e.position) {
        // `..., while scanning a quoted scalar at line 2 column 9`
        let what = e
            .message
            .rsplit_once(", while ")
            .and_then(|(_, c)| c.split_once(' '))
            .map(|(_, rest)| rest.split(" at line ").next().unwrap_or(rest).to_string())
            .unwrap_or_else(|| "what the parser was reading".to_string());
        d = d.related(file, index.span_at(line, column), format!("{what} starts here"));
    }
    if let Some(first) = first_definition {
        d = d.related(file, first, "first defined here");
    }
    if let Some(help) = help {
        d = d.help(help);
    }
    d
}

fn classify(message: &str) -> (Code, Option<String>) {
    // `expected one of `a`, `b`` or `expected `a` or `b``
    let expected = message
        .split_once(", expected ")
        .map(|(_, e)| e.strip_prefix("one of ").unwrap_or(e).to_string());
    // The word the user wrote, and the nearest allowed one if it is a
    // likely typo.
    let near_miss = |prefix: &str| -> Option<String> {
        let written = backticked(message, prefix)?;
        let allowed: Vec<&str> = expected.as_deref()?.split('`').skip(1).step_by(2).collect();
        crate::lower::suggest(&written, &allowed).map(|s| format!("did you mean `{s}`? "))
    };
    if message.starts_with("unknown field") {
        let help = match &expected {
            Some(e) => match near_miss("unknown field `") {
                Some(hint) => format!("{hint}allowed here: {e}"),
                None => format!("check the spelling; allowed here: {e}"),
            },
            None => "this mapping takes no keys here".to_string(),
        };
        (Code::UnknownKey, Some(help))
    } else if message.starts_with("unknown variant") {
        let hint = near_miss("unknown variant `").unwrap_or_default();
        (Code::WrongType, expected.as_ref().map(|e| format!("{hint}use one of {e}")))
    } else if let Some(field) = backticked(message, "missing field `") {
        (Code::WrongType, Some(format!("add `{field}` to this mapping; see models/README.md for the format")))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (Code::WrongType, Some("see models/README.md for the type of this key".to_string()))
    } else if message.starts_with("duplicate") {
        (Code::DuplicateKey, Some("remove or rename one of the two".to_string()))
    } else if message.contains("are nested more than") {
        (Code::TooLarge, Some("a model is nested a few levels deep; close the brackets that are open here".to_string()))
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
    fn flow_nesting_is_measured_outside_quotes_and_comments() {
        let deep = "[".repeat(MAX_FLOW_DEPTH + 1);
        assert_eq!(too_deep_flow(&deep), Some(MAX_FLOW_DEPTH));
        assert_eq!(too_deep_flow(&"[".repeat(MAX_FLOW_DEPTH)), None);
        assert_eq!(too_deep_flow(&"[]".repeat(10_000)), None);
        for hidden in [format!("a: '{deep}'\n"), format!("a: \"\\\"{deep}\"\n"), format!("a: 1 # {deep}\nb: 2\n")] {
            assert_eq!(too_deep_flow(&hidden), None, "{hidden}");
        }
        // An apostrophe inside a word does not open a quote.
        let text = format!("a: don't {deep}\n");
        assert_eq!(too_deep_flow(&text), Some(text.find('[').expect("a bracket") + MAX_FLOW_DEPTH));
        let span = span_of_offset("ab\ncé[", 6);
        assert_eq!((span.line, span.column, span.end - span.start), (2, 3, 1));
    }

    #[test]
    fn yaml_errors_lose_the_position_suffix_and_keep_the_path() {
        let e = parse_yaml::<Model>("service: 3\n").expect_err("a number is not a service");
        assert!(e.message.starts_with("service: invalid type") || e.message.starts_with("invalid type"), "{e:?}");
        assert!(!e.message.contains(" at line "), "{e:?}");
        assert!(e.position.is_some());
    }

    /// Found by fuzzing (fuzz/regressions/fuzz_model): the YAML library is
    /// quadratic in flow nesting, so `parse_yaml` itself refuses deep
    /// nesting before the library sees it; a megabyte of it took minutes.
    #[test]
    fn deep_flow_nesting_is_refused_fast_by_parse_yaml_itself() {
        let text = "{a: ".repeat(256 * 1024);
        let started = std::time::Instant::now();
        let e = parse_yaml::<Model>(&text).expect_err("too deep");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
        assert!(e.message.contains("nested more than 128 levels"), "{e:?}");
        assert_eq!(e.position, Some((1, 4 * MAX_FLOW_DEPTH + 1)));
    }

}
