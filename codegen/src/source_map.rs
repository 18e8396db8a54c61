//! Where each key and value of a model file is, from a YAML parser that reports spans.
//!
//! `serde_yaml` turns a model file into typed values and forgets where each value came
//! from, but most model errors are only found afterwards (a member that targets a shape
//! that does not exist, ...). [`PositionIndex::build`] reads the same text with
//! `saphyr-parser`, whose events carry start and end marks, and records the span of every
//! key and value under its path (`shapes` → `TaskId` → `pattern`).
//!
//! The index also answers for serde errors: [`PositionIndex::deserialize`] runs a type's
//! `Deserialize` over the indexed nodes, with an error type that records what went wrong
//! as data ([`DeErrorKind`]) and on which node. So nothing reads another crate's message.
//!
//! What is indexed:
//!
//! * The first document only (the loader refuses a second one, see [`PositionIndex::second_document`]).
//! * Keys by their value (quotes removed), so `"pattern"` and `pattern` are one key.
//!   Complex keys (`? [a, b]`) and alias keys are skipped with their values: a
//!   [`PathSeg::Key`] cannot name them, and the model has string keys only.
//! * An alias value (`b: *a`) as its own token; paths do not go through it.
//! * Of duplicate keys, the last (as serde fills a map); each pair is in
//!   [`PositionIndex::duplicate_keys`].
//! * Nodes at most [`PositionIndex::MAX_DEPTH`] levels deep.
//!
//! Positions: lines and columns are 1-based, columns count chars (a tab is one), lines
//! break at `\n`, `\r\n` and a lone `\r`. A leading byte-order mark is not part of the
//! document: line 1, column 1 is the char after it; byte offsets index the text given to
//! `build`. The parser marks chars; byte offsets are computed from a table of the text's
//! non-ASCII chars.

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

/// Most `[`/`{` collections open at once, and most nesting serde may descend into.
pub const MAX_NESTING: usize = 128;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSeg {
    /// An entry of a mapping, named by the key's value (quotes removed, escapes resolved).
    Key(String),
    /// An item of a sequence, 0-based.
    Index(usize),
}

/// Where something is in a source text. Lines and columns are 1-based; columns count chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first byte, into the text given to [`PositionIndex::build`];
    /// always a char boundary.
    pub start: usize,
    /// Byte offset just past the last byte (exclusive); equal to `start` for an empty span.
    pub end: usize,
    /// Line of `start`, 1-based.
    pub line: usize,
    /// Column of `start`, 1-based, in chars (a tab counts one; a leading BOM is not counted).
    pub column: usize,
}

/// What a node holds.
#[derive(Debug, Clone)]
enum Value {
    /// A scalar's text; `plain` when unquoted and not a block scalar (only those
    /// resolve to null, booleans and numbers).
    Scalar { text: String, plain: bool },
    Seq,
    Map,
    Alias,
}

/// One indexed value: the document, a mapping entry's value or a sequence item.
#[derive(Debug, Clone)]
struct Node {
    parent: Option<usize>,
    /// How the parent reaches this node.
    seg: Option<PathSeg>,
    /// The key token of a mapping entry.
    key_span: Option<Span>,
    span: Span,
    value: Value,
    /// Entries or items in document order, duplicates included.
    children: Vec<usize>,
}

/// A position index of one YAML document: path → span of the key and of the value.
#[derive(Debug, Clone, Default)]
pub struct PositionIndex {
    /// In document order; the root, if any, is node 0.
    nodes: Vec<Node>,
    /// (parent, segment) → child; the last of duplicate keys wins.
    children: HashMap<(usize, PathSeg), usize>,
    duplicates: Vec<(Vec<PathSeg>, Span, Span)>,
    syntax_error: Option<(Span, String)>,
    too_deep: Option<Span>,
    second_document: Option<Span>,
    depth_limit_reached: bool,
    /// Byte length of a leading BOM (0 or 3).
    base: usize,
    /// (char index, byte offset just past it) of every non-ASCII char after the BOM.
    wide: Vec<(usize, usize)>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    text: String,
}

/// An open collection while building.
struct Frame {
    node: usize,
    /// `[`/`{` collections open up to and including this one.
    flow_depth: usize,
    /// Mappings: the key read, waiting for its value.
    key: Option<(String, Span)>,
    next_index: usize,
}

impl PositionIndex {
    /// Paths longer than this are not indexed.
    pub const MAX_DEPTH: usize = 256;

    /// Builds the index. Never panics; linear in the text (the parser itself refuses
    /// more than 255 open `[`/`{`). Indexing stops at the first of: a syntax error, more
    /// than [`MAX_NESTING`] open `[`/`{` collections, a second document.
    pub fn build(text: &str) -> PositionIndex {
        let base = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let mut index = PositionIndex {
            base,
            wide: text[base..]
                .char_indices()
                .enumerate()
                .filter(|(_, (_, c))| !c.is_ascii())
                .map(|(n, (b, c))| (n, b + c.len_utf8()))
                .collect(),
            line_starts: std::iter::once(base)
                .chain(text.char_indices().filter_map(|(i, c)| match c {
                    '\n' => Some(i + 1),
                    '\r' if !text[i + 1..].starts_with('\n') => Some(i + 1),
                    _ => None,
                }))
                .collect(),
            text: text.to_owned(),
            ..PositionIndex::default()
        };
        let mut stack: Vec<Frame> = Vec::new();
        // Collections still to skip (complex keys, their values, too deep), and whether
        // the next value belongs to a skipped key.
        let mut skipping = 0usize;
        let mut skip_value = false;
        let mut documents = 0;
        for event in Parser::new_from_str(&text[base..]) {
            let (event, marks) = match event {
                Ok(event) => event,
                Err(e) => {
                    let span = index.span(*e.marker(), *e.marker());
                    index.syntax_error = Some((span, e.info().to_owned()));
                    break;
                }
            };
            let span = index.span(marks.start, marks.end);
            let opens = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
            if skipping > 0 {
                match event {
                    Event::SequenceStart(..) | Event::MappingStart(..) => skipping += 1,
                    Event::SequenceEnd | Event::MappingEnd => skipping -= 1,
                    _ => {}
                }
                continue;
            }
            let value = match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        index.second_document = Some(span);
                        break;
                    }
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    continue;
                }
                Event::Scalar(text, style, ..) => Value::Scalar { text: text.into_owned(), plain: style == ScalarStyle::Plain },
                Event::SequenceStart(..) => Value::Seq,
                Event::MappingStart(..) => Value::Map,
                Event::Alias(_) => Value::Alias,
                _ => continue,
            };
            let frame = stack.last_mut();
            let in_map = frame.as_ref().is_some_and(|f| matches!(index.nodes[f.node].value, Value::Map));
            let key = match frame {
                Some(frame) if in_map && frame.key.is_none() => {
                    if std::mem::take(&mut skip_value) {
                        skipping = usize::from(opens); // the value of a skipped key
                    } else if let Value::Scalar { text, .. } = value {
                        frame.key = Some((text, span));
                    } else {
                        skipping = usize::from(opens); // a complex or alias key
                        skip_value = true;
                    }
                    continue;
                }
                Some(frame) => frame.key.take(),
                None => None,
            };
            let flow = usize::from(opens && matches!(text.as_bytes().get(span.start), Some(b'[' | b'{')));
            let flow_depth = stack.last().map_or(0, |f| f.flow_depth) + flow;
            if flow_depth > MAX_NESTING {
                index.too_deep = Some(span);
                break;
            }
            if stack.len() >= Self::MAX_DEPTH {
                index.depth_limit_reached = true;
                skipping = usize::from(opens);
                continue;
            }
            let id = index.nodes.len();
            let parent = stack.last_mut().map(|frame| {
                let seg = match key {
                    Some((key, key_span)) => (PathSeg::Key(key), Some(key_span)),
                    None => {
                        frame.next_index += 1;
                        (PathSeg::Index(frame.next_index - 1), None)
                    }
                };
                (frame.node, seg)
            });
            if parent.is_none() && id > 0 {
                break; // a second root: not possible within one document
            }
            let (seg, key_span) = match &parent {
                Some((_, (seg, key_span))) => (Some(seg.clone()), *key_span),
                None => (None, None),
            };
            index.nodes.push(Node { parent: parent.as_ref().map(|p| p.0), seg, key_span, span, value, children: Vec::new() });
            if let Some((parent, (seg, key_span))) = parent {
                let p = &mut index.nodes[parent];
                // A block collection is marked (empty) at its first entry: show that entry.
                if p.children.is_empty() && p.span.start == p.span.end {
                    p.span = key_span.unwrap_or(span);
                }
                p.children.push(id);
                if let Some(first) = index.children.insert((parent, seg.clone()), id) {
                    let mut path = index.path_of(parent);
                    path.push(seg);
                    let first = index.nodes[first].key_span.unwrap_or(span);
                    index.duplicates.push((path, first, key_span.unwrap_or(span)));
                }
            }
            if opens {
                stack.push(Frame { node: id, flow_depth, key: None, next_index: 0 });
            }
        }
        index
    }

    /// Span of the KEY token of the last path segment when it is a Key (e.g. `shapes` →
    /// `TaskId` → `pattern` gives the span of the text `pattern`), or of the item itself
    /// when it is an Index. None if the path is not in the document (or is empty).
    pub fn key_span(&self, path: &[PathSeg]) -> Option<Span> {
        let node = &self.nodes[self.find(path)?];
        node.key_span.or(node.seg.as_ref().map(|_| node.span))
    }

    /// Span of the VALUE at the path: a scalar's text (with its quotes; a block scalar
    /// from its first content line to its last char), an alias's `*name`, a flow
    /// collection's `[`/`{`, a block collection's first key or item. Anchors and tags
    /// written before a value are part of its span. None if absent.
    #[cfg(test)]
    pub fn value_span(&self, path: &[PathSeg]) -> Option<Span> {
        Some(self.nodes[self.find(path)?].span)
    }

    /// The best span for an error about `path`: the value at the longest prefix of
    /// `path` that is in the document, else the start of the document.
    pub fn locate(&self, path: &[PathSeg]) -> Span {
        let Some(root) = self.nodes.first() else { return self.span_at(1, 1) };
        let mut id = 0;
        for seg in path {
            match self.children.get(&(id, seg.clone())) {
                Some(&child) => id = child,
                None => break,
            }
        }
        self.nodes.get(id).map_or(root.span, |n| n.span)
    }

    /// Span of a key named `key` anywhere below `prefix`, depth first in document order.
    /// Entries replaced by a later duplicate are not searched (serde never saw them).
    #[cfg(test)]
    pub fn find_key_under(&self, prefix: &[PathSeg], key: &str) -> Option<Span> {
        let mut todo: Vec<usize> = self.nodes[self.find(prefix)?].children.iter().rev().copied().collect();
        while let Some(id) = todo.pop() {
            let node = &self.nodes[id];
            let live = match (node.parent, &node.seg) {
                (Some(parent), Some(seg)) => self.children.get(&(parent, seg.clone())) == Some(&id),
                _ => true,
            };
            if !live {
                continue;
            }
            if matches!(&node.seg, Some(PathSeg::Key(k)) if k == key) {
                return node.key_span;
            }
            todo.extend(node.children.iter().rev());
        }
        None
    }

    /// Keys that appear twice in the same mapping: (path of the key, span of the first,
    /// span of the second), in document order. serde_yaml silently keeps the last of
    /// duplicate keys in a map, so the checker reports these. Keys compare by value.
    pub fn duplicate_keys(&self) -> &[(Vec<PathSeg>, Span, Span)] {
        &self.duplicates
    }

    /// The one-char span at a 1-based (line, column) (columns count chars), clamped into
    /// the text: a column past the end of its line gives the empty span at its end. For
    /// serde_yaml's error locations.
    pub fn span_at(&self, line: usize, column: usize) -> Span {
        let line = line.clamp(1, self.line_starts.len());
        let start = self.line_starts[line - 1];
        let end = self.line_starts.get(line).map_or(self.text.len(), |&next| next);
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let column = column.clamp(1, content.chars().count() + 1);
        let (at, c) = content.char_indices().nth(column - 1).map_or((content.len(), None), |(i, c)| (i, Some(c)));
        Span { start: start + at, end: start + at + c.map_or(0, char::len_utf8), line, column }
    }

    /// The first YAML syntax error, where indexing stopped, with the parser's words.
    pub fn syntax_error(&self) -> Option<(Span, &str)> {
        self.syntax_error.as_ref().map(|(span, msg)| (*span, msg.as_str()))
    }

    /// The first `[`/`{` collection nested deeper than [`MAX_NESTING`], where indexing stopped.
    pub fn too_deep(&self) -> Option<Span> {
        self.too_deep
    }

    /// The start of a second YAML document, where indexing stopped.
    pub fn second_document(&self) -> Option<Span> {
        self.second_document
    }

    /// Whether some nodes were left out for being deeper than [`PositionIndex::MAX_DEPTH`].
    #[cfg(test)]
    pub fn depth_limit_reached(&self) -> bool {
        self.depth_limit_reached
    }

    /// Deserializes the document into `T` as serde_yaml does, to learn where and why
    /// serde_yaml refused it, as data: see [`DeError`].
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, DeError> {
        self.deserialize_node(0, None)
    }

    /// [`PositionIndex::deserialize`] of the value at `path`, leaving out its entry
    /// `skip`: the tag of an internally tagged enum, whose content serde buffers and
    /// reads without positions. [`DeErrorKind::Unsupported`] when the path is absent.
    pub fn deserialize_at<T: DeserializeOwned>(&self, path: &[PathSeg], skip: Option<&str>) -> Result<T, DeError> {
        let id = self.find(path).ok_or_else(|| DeError::new(DeErrorKind::Unsupported))?;
        self.deserialize_node(id, skip)
    }

    fn deserialize_node<T: DeserializeOwned>(&self, id: usize, skip: Option<&str>) -> Result<T, DeError> {
        T::deserialize(NodeDe { index: self, id, depth: 0, skip }).map_err(|e| e.on(self, id))
    }

    /// The path of a node.
    fn path_of(&self, mut id: usize) -> Vec<PathSeg> {
        let mut path = Vec::new();
        while let Some(node) = self.nodes.get(id) {
            path.extend(node.seg.clone());
            id = node.parent.unwrap_or(usize::MAX);
        }
        path.reverse();
        path
    }

    fn find(&self, path: &[PathSeg]) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        path.iter().try_fold(0, |id, seg| self.children.get(&(id, seg.clone())).copied())
    }

    /// A span from the parser's marks: char indices into the text after the BOM, lines
    /// from 1, columns from 0.
    fn span(&self, start: Marker, end: Marker) -> Span {
        let byte = |m: Marker| {
            // Each non-ASCII char before this one adds its extra bytes.
            let offset = match self.wide.partition_point(|&(n, _)| n < m.index()) {
                0 => m.index(),
                before => {
                    let (n, end) = self.wide[before - 1];
                    end + (m.index() - n - 1)
                }
            };
            let mut at = (self.base + offset).min(self.text.len());
            while !self.text.is_char_boundary(at) {
                at -= 1; // never taken while the parser counts chars as documented
            }
            at
        };
        let (from, to) = (byte(start), byte(end).max(byte(start)));
        // A block scalar ends where the next token starts: not at the blanks before it.
        let to = from + self.text[from..to].trim_end().len();
        Span { start: from, end: to, line: start.line().max(1), column: start.col() + 1 }
    }
}

/// Why a value did not deserialize, as serde reported it, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    /// What serde reported.
    pub kind: DeErrorKind,
    /// The node it was reported on: the key for an unknown field or a duplicate field,
    /// the mapping for a missing field, the value otherwise. For content that serde
    /// buffers (internally tagged enums), the whole buffered value.
    pub span: Option<Span>,
    /// The path of that node (of the mapping, for a key).
    pub path: Vec<PathSeg>,
}

/// What serde reported, one variant per method of [`serde::de::Error`].
#[derive(Debug, Clone, PartialEq)]
pub enum DeErrorKind {
    /// A key the type does not have; the keys it has.
    UnknownField(String, &'static [&'static str]),
    /// A word that is none of the enum's; its words.
    UnknownVariant(String, &'static [&'static str]),
    /// A required key that is absent.
    MissingField(&'static str),
    /// A key written twice.
    DuplicateField(&'static str),
    /// A value of the wrong type: what it is, what was expected.
    InvalidType(String, String),
    /// A value of the right type but outside the allowed ones.
    InvalidValue(String, String),
    /// A sequence of the wrong length.
    InvalidLength(usize, String),
    /// Nested more than [`MAX_NESTING`] levels.
    TooDeep,
    /// Something this layer does not follow (an alias): serde_yaml's own error stands.
    Unsupported,
    /// A type's own message.
    Custom(String),
}

impl DeError {
    fn new(kind: DeErrorKind) -> Self {
        DeError { kind, span: None, path: Vec::new() }
    }

    /// Places an error that has no place yet on the node `id`.
    fn on(self, index: &PositionIndex, id: usize) -> Self {
        self.at(index.nodes.get(id).map(|n| n.span), || index.path_of(id))
    }

    fn at(mut self, span: Option<Span>, path: impl FnOnce() -> Vec<PathSeg>) -> Self {
        if self.span.is_none() && span.is_some() {
            self.span = span;
            self.path = path();
        }
        self
    }
}

/// serde's own wording for each kind.
impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DeErrorKind::UnknownField(name, []) => write!(f, "unknown field `{name}`, there are no fields"),
            DeErrorKind::UnknownField(name, allowed) => write!(f, "unknown field `{name}`, expected {}", one_of(allowed)),
            DeErrorKind::UnknownVariant(name, []) => write!(f, "unknown variant `{name}`, there are no variants"),
            DeErrorKind::UnknownVariant(name, allowed) => write!(f, "unknown variant `{name}`, expected {}", one_of(allowed)),
            DeErrorKind::MissingField(name) => write!(f, "missing field `{name}`"),
            DeErrorKind::DuplicateField(name) => write!(f, "duplicate field `{name}`"),
            DeErrorKind::InvalidType(what, expected) => write!(f, "invalid type: {what}, expected {expected}"),
            DeErrorKind::InvalidValue(what, expected) => write!(f, "invalid value: {what}, expected {expected}"),
            DeErrorKind::InvalidLength(len, expected) => write!(f, "invalid length {len}, expected {expected}"),
            DeErrorKind::TooDeep => write!(f, "nested more than {MAX_NESTING} levels deep"),
            DeErrorKind::Unsupported => write!(f, "an alias"),
            DeErrorKind::Custom(message) => f.write_str(message),
        }
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b`, `c` ``: names as serde lists them.
pub fn list_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [a, b] => format!("{a} or {b}"),
        _ => quoted.join(", "),
    }
}

/// serde's "expected" for a list of names.
fn one_of(names: &[&str]) -> String {
    match names.len() {
        0..=2 => list_names(names),
        _ => format!("one of {}", list_names(names)),
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::new(DeErrorKind::Custom(msg.to_string()))
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(DeErrorKind::InvalidType(unexp.to_string(), exp.to_string()))
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::new(DeErrorKind::InvalidValue(unexp.to_string(), exp.to_string()))
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        DeError::new(DeErrorKind::InvalidLength(len, exp.to_string()))
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(DeErrorKind::UnknownVariant(variant.to_owned(), expected))
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(DeErrorKind::UnknownField(field.to_owned(), expected))
    }
    fn missing_field(field: &'static str) -> Self {
        DeError::new(DeErrorKind::MissingField(field))
    }
    fn duplicate_field(field: &'static str) -> Self {
        DeError::new(DeErrorKind::DuplicateField(field))
    }
}

/// A plain scalar as YAML 1.2's core schema reads it, the way serde_yaml resolves it.
enum Scalar<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(&'a str),
}

fn resolve(text: &str, plain: bool) -> Scalar<'_> {
    if !plain {
        return Scalar::Str(text);
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    // Leading zeros make a string in YAML 1.2 (`007`), as in serde_yaml.
    let leading_zero = body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| b.is_ascii_digit());
    let (radix, digits) = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| Some((radix, body.strip_prefix(prefix)?)))
        .unwrap_or((10, body));
    if !leading_zero && !digits.starts_with(['+', '-']) {
        if let Ok(n) = u64::from_str_radix(digits, radix) {
            return match negative {
                false => Scalar::Unsigned(n),
                true => i64::try_from(-i128::from(n)).map_or(Scalar::Str(text), Scalar::Signed),
            };
        }
    }
    match body.parse::<f64>() {
        Ok(f) if f.is_finite() && !leading_zero && !body.starts_with(['+', '-']) => Scalar::Float(if negative { -f } else { f }),
        _ => Scalar::Str(text),
    }
}

/// A deserializer for one node.
struct NodeDe<'a> {
    index: &'a PositionIndex,
    id: usize,
    depth: usize,
    /// An entry of this mapping to leave out.
    skip: Option<&'a str>,
}

impl<'a> NodeDe<'a> {
    fn value(&self) -> Option<&'a Value> {
        self.index.nodes.get(self.id).map(|n| &n.value)
    }

    /// The `Unexpected` serde_yaml names for this node.
    fn unexpected(&self) -> Unexpected<'a> {
        match self.value() {
            Some(Value::Scalar { text, plain }) => match resolve(text, *plain) {
                Scalar::Null => Unexpected::Unit,
                Scalar::Bool(b) => Unexpected::Bool(b),
                Scalar::Unsigned(n) => Unexpected::Unsigned(n),
                Scalar::Signed(n) => Unexpected::Signed(n),
                Scalar::Float(f) => Unexpected::Float(f),
                Scalar::Str(s) => Unexpected::Str(s),
            },
            Some(Value::Seq) => Unexpected::Seq,
            Some(Value::Map) => Unexpected::Map,
            Some(Value::Alias) | None => Unexpected::Unit,
        }
    }

    fn children(&self) -> &'a [usize] {
        self.index.nodes.get(self.id).map_or(&[], |n| n.children.as_slice())
    }

    /// A mapping or sequence one level deeper, refused past [`MAX_NESTING`].
    fn descend(&self) -> Result<usize, DeError> {
        if self.depth >= MAX_NESTING {
            return Err(DeError::new(DeErrorKind::TooDeep).on(self.index, self.id));
        }
        Ok(self.depth + 1)
    }

    /// An empty plain scalar (`key:` with nothing after it), which serde_yaml reads as an
    /// empty sequence or mapping.
    fn is_empty_scalar(&self) -> bool {
        matches!(self.value(), Some(Value::Scalar { text, plain: true }) if text.is_empty()) || self.value().is_none()
    }
}

impl<'de, 'a> de::Deserializer<'de> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value() {
            Some(Value::Scalar { text, plain }) => match resolve(text, *plain) {
                Scalar::Null => visitor.visit_unit(),
                Scalar::Bool(b) => visitor.visit_bool(b),
                Scalar::Unsigned(n) => visitor.visit_u64(n),
                Scalar::Signed(n) => visitor.visit_i64(n),
                Scalar::Float(f) => visitor.visit_f64(f),
                Scalar::Str(s) => visitor.visit_str(s),
            },
            Some(Value::Seq) => self.deserialize_seq(visitor),
            Some(Value::Map) => self.deserialize_map(visitor),
            Some(Value::Alias) => Err(DeError::new(DeErrorKind::Unsupported)),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value() {
            Some(Value::Scalar { text, .. }) => visitor.visit_str(text),
            Some(Value::Alias) => Err(DeError::new(DeErrorKind::Unsupported)),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value() {
            Some(Value::Scalar { text, plain: true }) if matches!(resolve(text, true), Scalar::Null) => visitor.visit_none(),
            None => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value() {
            Some(Value::Seq) => {
                let depth = self.descend()?;
                visitor.visit_seq(Items { index: self.index, items: self.children().iter(), depth })
            }
            _ if self.is_empty_scalar() => visitor.visit_seq(Items { index: self.index, items: [].iter(), depth: self.depth }),
            Some(Value::Alias) => Err(DeError::new(DeErrorKind::Unsupported)),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let entries: &[usize] = match self.value() {
            Some(Value::Map) => self.children(),
            _ if self.is_empty_scalar() => &[],
            Some(Value::Alias) => return Err(DeError::new(DeErrorKind::Unsupported)),
            _ => return Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        };
        let depth = if entries.is_empty() { self.depth } else { self.descend()? };
        let mut map = Entries { index: self.index, entries: entries.iter(), skip: self.skip, depth, value: None, last_key: None };
        let result = visitor.visit_map(&mut map);
        // serde reports a duplicate field between reading its key and its value.
        let last_key = map.last_key;
        result.map_err(|e| e.at(last_key, || self.index.path_of(self.id)))
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        match self.value() {
            Some(Value::Scalar { text, .. }) => visitor.visit_enum(text.as_str().into_deserializer()),
            Some(Value::Alias) => Err(DeError::new(DeErrorKind::Unsupported)),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"a YAML tag starting with '!'")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf unit unit_struct
    }
}

/// The items of a sequence.
struct Items<'a> {
    index: &'a PositionIndex,
    items: std::slice::Iter<'a, usize>,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(&id) = self.items.next() else { return Ok(None) };
        let node = NodeDe { index: self.index, id, depth: self.depth, skip: None };
        seed.deserialize(node).map(Some).map_err(|e| e.on(self.index, id))
    }
}

/// The entries of a mapping, duplicates included, as serde_yaml reads them.
struct Entries<'a> {
    index: &'a PositionIndex,
    entries: std::slice::Iter<'a, usize>,
    skip: Option<&'a str>,
    depth: usize,
    /// The entry whose key was read last.
    value: Option<usize>,
    last_key: Option<Span>,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let skip = self.skip;
        let Some(&id) = self.entries.find(|&&id| skip.is_none() || self.index.nodes[id].seg != skip.map(|s| PathSeg::Key(s.to_owned()))) else {
            self.last_key = None;
            return Ok(None);
        };
        let node = &self.index.nodes[id];
        let Some(PathSeg::Key(key)) = &node.seg else { return Ok(None) };
        self.value = Some(id);
        self.last_key = node.key_span;
        let index = self.index;
        let parent = node.parent.unwrap_or(0);
        seed.deserialize(key.as_str().into_deserializer()).map(Some).map_err(|e: DeError| e.at(node.key_span, || index.path_of(parent)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let id = self.value.take().unwrap_or(usize::MAX);
        let node = NodeDe { index: self.index, id, depth: self.depth, skip: None };
        seed.deserialize(node).map_err(|e| e.on(self.index, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a/b/0` → [Key(a), Key(b), Index(0)].
    fn path(p: &str) -> Vec<PathSeg> {
        p.split('/')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_or_else(|_| PathSeg::Key(s.to_owned()), PathSeg::Index))
            .collect()
    }

    /// Line, column and text of a span, checked against the text.
    fn at(text: &str, span: Span) -> (usize, usize, &str) {
        let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let bom = if line_start == 0 && text.starts_with('\u{feff}') { 3 } else { 0 };
        assert_eq!(span.column, text[line_start + bom..span.start].chars().count() + 1, "{span:?}");
        (span.line, span.column, &text[span.start..span.end])
    }

    fn key(index: &PositionIndex, p: &str) -> Span {
        index.key_span(&path(p)).unwrap_or_else(|| panic!("no key at {p}"))
    }

    fn value(index: &PositionIndex, p: &str) -> Span {
        index.value_span(&path(p)).unwrap_or_else(|| panic!("no value at {p}"))
    }

    const MODEL: &str = "\
service:
  name: \"fsx\"
shapes:
  Req:
    type: structure
    members:
      - {name: TaskId, target: 'TaskId'}
      - name: Other
        docs: |
          Block ü.
        target: string
  Empty:
";

    #[test]
    fn keys_and_values_have_their_spans() {
        let idx = PositionIndex::build(MODEL);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(MODEL, key(&idx, "service/name")), (2, 3, "name"));
        assert_eq!(at(MODEL, value(&idx, "service/name")), (2, 9, "\"fsx\""));
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members/0")), (7, 9, "{"));
        assert_eq!(at(MODEL, key(&idx, "shapes/Req/members/0/target")), (7, 24, "target"));
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members/0/target")), (7, 32, "'TaskId'"));
        // A block mapping is shown by its first key; an item has no key but itself.
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members/1")), (8, 9, "name"));
        assert_eq!(at(MODEL, key(&idx, "shapes/Req/members/1")), (8, 9, "name"));
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members/1/docs")), (10, 11, "Block ü."));
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members/1/target")), (11, 17, "string"));
        assert_eq!(at(MODEL, key(&idx, "shapes/Empty")), (12, 3, "Empty"));
        assert_eq!(value(&idx, "shapes/Empty").end - value(&idx, "shapes/Empty").start, 0);
        // The longest prefix that exists; the document start without a document.
        assert_eq!(at(MODEL, idx.locate(&path("shapes/Req/nothing/here"))), (5, 5, "type"));
        assert_eq!(idx.key_span(&path("shapes/Nope")), None);
        assert_eq!(idx.key_span(&[]), None);
        assert_eq!(PositionIndex::build("").locate(&path("a")), Span { start: 0, end: 0, line: 1, column: 1 });
        assert_eq!(at(MODEL, idx.find_key_under(&path("shapes"), "target").expect("a target")), (7, 24, "target"));
    }

    #[test]
    fn duplicate_keys_are_listed_and_the_last_wins() {
        let text = "a: 1\nb:\n  c: 2\n  c: 3\n  d: {c: 4}\na: 5\na: 6\n";
        let idx = PositionIndex::build(text);
        let dups: Vec<_> = idx.duplicate_keys().iter().map(|(p, f, s)| (p.clone(), at(text, *f), at(text, *s))).collect();
        assert_eq!(
            dups,
            [
                (path("b/c"), (3, 3, "c"), (4, 3, "c")),
                (path("a"), (1, 1, "a"), (6, 1, "a")),
                (path("a"), (6, 1, "a"), (7, 1, "a")),
            ]
        );
        assert_eq!(at(text, value(&idx, "b/c")), (4, 6, "3"));
        assert_eq!(at(text, value(&idx, "a")), (7, 4, "6"));
        // `"a"` and `a` are one key.
        assert_eq!(PositionIndex::build("a: 1\n\"a\": 2\n").duplicate_keys().len(), 1);
        // A replaced entry is not searched.
        let text = "x:\n  k: {t: 1}\n  k: {u: 2}\n";
        let idx = PositionIndex::build(text);
        assert_eq!(idx.find_key_under(&path("x"), "t"), None);
        assert_eq!(at(text, idx.find_key_under(&path("x"), "u").expect("u")), (3, 7, "u"));
    }

    #[test]
    fn byte_offsets_count_bytes_and_columns_count_chars() {
        // BOM: offsets index the given text; line 1, column 1 is after it.
        let text = "\u{feff}é: ü\nk: 'ç'\r\nz: x\rw: 𝄞y\n";
        let idx = PositionIndex::build(text);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(text, key(&idx, "é")), (1, 1, "é"));
        assert_eq!(key(&idx, "é").start, 3);
        assert_eq!(at(text, value(&idx, "é")), (1, 4, "ü"));
        assert_eq!(at(text, value(&idx, "k")), (2, 4, "'ç'"));
        assert_eq!(at(text, value(&idx, "z")), (3, 4, "x"));
        assert_eq!(at(text, value(&idx, "w")), (4, 4, "𝄞y"));
        // serde_yaml's (line, column) into a span of one char, clamped.
        assert_eq!(at(text, idx.span_at(4, 4)), (4, 4, "𝄞"));
        assert_eq!(at(text, idx.span_at(2, 99)), (2, 7, ""));
        assert_eq!(at(text, idx.span_at(0, 0)), (1, 1, "é"));
        assert_eq!(at(text, idx.span_at(99, 1)), (5, 1, ""));
        // A tab is one column.
        let text = "a:\n  - \tx\n";
        assert_eq!(at(text, value(&PositionIndex::build(text), "a/0")), (2, 6, "x"));
    }

    #[test]
    fn aliases_complex_keys_and_second_documents() {
        let text = "base: &b {x: 1}\nuse: *b\n? [a, b]\n: skipped\n*b : also\nlast: 2\n---\nmore: 3\n";
        let idx = PositionIndex::build(text);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(text, value(&idx, "use")), (2, 6, "*b"));
        assert_eq!(idx.value_span(&path("use/x")), None);
        assert_eq!(idx.find_key_under(&[], "a"), None);
        assert_eq!(at(text, value(&idx, "last")), (6, 7, "2"));
        assert_eq!(idx.value_span(&path("more")), None);
        assert_eq!(at(text, idx.second_document().expect("a second document")), (7, 1, "---"));
    }

    #[test]
    fn deep_nesting_is_cut_without_overflow() {
        // More than 128 open `[`/`{`: refused at the 129th.
        let text = format!("a: {}x{}\n", "[".repeat(200), "]".repeat(200));
        let idx = PositionIndex::build(&text);
        assert_eq!(idx.too_deep().map(|s| (s.line, s.column)), Some((1, 4 + MAX_NESTING)));
        assert_eq!(PositionIndex::build(&format!("{}{}", "[".repeat(128), "]".repeat(128))).too_deep(), None);
        // The parser itself stops at 255 open brackets, before reporting any.
        assert!(PositionIndex::build(&"[".repeat(10_000)).syntax_error().is_some());
        // Block nesting: no limit in the parser; indexed up to MAX_DEPTH.
        let text = "- ".repeat(10_000) + "x\n";
        let idx = PositionIndex::build(&text);
        assert_eq!((idx.syntax_error(), idx.too_deep()), (None, None));
        assert!(idx.depth_limit_reached());
        assert!(idx.value_span(&vec![PathSeg::Index(0); PositionIndex::MAX_DEPTH - 1]).is_some());
        assert_eq!(idx.value_span(&vec![PathSeg::Index(0); PositionIndex::MAX_DEPTH]), None);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Member {
        name: String,
        target: String,
        #[serde(default)]
        required: bool,
        #[serde(default)]
        max: Option<u16>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        members: Vec<Member>,
    }

    /// Where deserializing `text` as a [`Doc`] fails, and the message.
    fn refusal(text: &str) -> (DeErrorKind, (usize, usize, &str), Vec<PathSeg>, String) {
        let e = PositionIndex::build(text).deserialize::<Doc>().expect_err("refused");
        (e.kind.clone(), at(text, e.span.expect("placed")), e.path.clone(), e.to_string())
    }

    #[test]
    fn serde_errors_are_recorded_as_data_on_their_node() {
        let (kind, place, p, message) = refusal("members:\n  - {name: a, target: b, requried: true}\n");
        assert_eq!(kind, DeErrorKind::UnknownField("requried".into(), &["name", "target", "required", "max"]));
        assert_eq!((place, p), ((2, 26, "requried"), path("members/0")));
        assert_eq!(message, "unknown field `requried`, expected one of `name`, `target`, `required`, `max`");
        let (kind, place, ..) = refusal("members:\n  - name: a\n    target: b\n  - name: c\n");
        assert_eq!((kind, place), (DeErrorKind::MissingField("target"), (4, 5, "name")));
        let (kind, place, ..) = refusal("members:\n  - {name: a, target: b, target: c}\n");
        assert_eq!((kind, place), (DeErrorKind::DuplicateField("target"), (2, 26, "target")));
        let (kind, place, _, message) = refusal("members:\n  - {name: a, target: b, required: yes}\n");
        assert_eq!(place, (2, 36, "yes"));
        assert_eq!(message, "invalid type: string \"yes\", expected a boolean");
        assert!(matches!(kind, DeErrorKind::InvalidType(..)));
        let (_, place, _, message) = refusal("members:\n  - {name: a, target: b, max: 70000}\n");
        assert_eq!((place, message.as_str()), ((2, 31, "70000"), "invalid value: integer `70000`, expected u16"));
        let (_, place, _, message) = refusal("members: {}\n");
        assert_eq!((place, message.as_str()), ((1, 10, "{"), "invalid type: map, expected a sequence"));
        // Quoted scalars are strings; `key:` with nothing is an empty list.
        let (_, _, _, message) = refusal("members:\n  - {name: a, target: b, required: 'true'}\n");
        assert_eq!(message, "invalid type: string \"true\", expected a boolean");
        assert!(PositionIndex::build("members:\n").deserialize::<Doc>().is_ok());
        // Nesting deeper than serde_yaml allows.
        let text = format!("members:\n{}x\n", "- ".repeat(200));
        let e = PositionIndex::build(&text).deserialize::<serde_yaml_free::Any>().expect_err("too deep");
        assert_eq!(e.kind, DeErrorKind::TooDeep);
    }

    #[test]
    fn a_buffered_value_can_be_read_again_without_its_tag() {
        let text = "s:\n  type: member\n  name: a\n  target: 5\n  extra: 1\n";
        let idx = PositionIndex::build(text);
        let e = idx.deserialize_at::<Member>(&path("s"), Some("type")).expect_err("an extra key");
        assert_eq!(at(text, e.span.expect("placed")), (5, 3, "extra"));
        assert!(idx.deserialize_at::<Member>(&path("s"), None).is_err());
        let e = idx.deserialize_at::<Member>(&path("t"), None).expect_err("no such path");
        assert_eq!((e.kind, e.span), (DeErrorKind::Unsupported, None));
    }

    /// A type that takes any YAML, like an example's data.
    mod serde_yaml_free {
        use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

        #[derive(Debug)]
        pub struct Any;

        impl<'de> Deserialize<'de> for Any {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Any;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("anything")
                    }
                    fn visit_str<E>(self, _: &str) -> Result<Any, E> {
                        Ok(Any)
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
                        while seq.next_element::<Any>()?.is_some() {}
                        Ok(Any)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
                        while map.next_entry::<IgnoredAny, Any>()?.is_some() {}
                        Ok(Any)
                    }
                }
                d.deserialize_any(V)
            }
        }
    }

    /// Deterministic LCG (Knuth's MMIX constants).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    #[test]
    fn mutated_inputs_give_spans_inside_the_text() {
        const PIECES: &[&str] = &[
            ":", " ", "- ", "\n", "\r\n", "\r", "\t", "[", "]", "{", "}", ",", "\"", "'", "|", "#", "&a ", "*a", "? ",
            "---\n", "é", "𝄞", "\u{feff}", "key: ",
        ];
        let mut rng = Lcg(0x5eed);
        for _ in 0..1000 {
            let mut chars: Vec<char> = MODEL.chars().collect();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(chars.len() + 1);
                match rng.below(3) {
                    0 if at < chars.len() => {
                        chars.drain(at..(at + 1 + rng.below(8)).min(chars.len()));
                    }
                    _ => {
                        chars.splice(at..at, PIECES[rng.below(PIECES.len())].chars());
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let idx = PositionIndex::build(&text);
            let mut spans = vec![idx.locate(&path("shapes/Req/members/1/target")), idx.span_at(rng.below(20), rng.below(40))];
            spans.extend(idx.syntax_error().map(|(s, _)| s));
            spans.extend(idx.duplicate_keys().iter().flat_map(|(_, a, b)| [*a, *b]));
            spans.extend(idx.deserialize::<Doc>().err().and_then(|e| e.span));
            for s in spans {
                assert!(s.start <= s.end && s.end <= text.len(), "{s:?} in {text:?}");
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{s:?} in {text:?}");
            }
        }
    }
}
