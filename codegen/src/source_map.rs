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
//! * The first document only (the loader refuses a second one, see [`PositionIndex::stopped`]).
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
use serde::de::value::Error as Serde;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Error as _, IntoDeserializer, Unexpected, Visitor};

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
    /// Collections open around it: the length of its path.
    depth: usize,
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
    /// Why indexing stopped early, if it did.
    stopped: Option<DeError>,
    /// Byte length of a leading BOM (0 or 3).
    base: usize,
    /// (char index, byte offset just past it) of every non-ASCII char after the BOM.
    wide: Vec<(usize, usize)>,
    text: String,
}

/// An open collection while building.
struct Frame {
    /// None for a collection left out with all it holds: a complex key, the value of a
    /// key left out, or a collection deeper than [`PositionIndex::MAX_DEPTH`].
    node: Option<usize>,
    map: bool,
    /// `[`/`{` collections open up to and including this one.
    flow_depth: usize,
    /// Mappings: the key read, waiting for its value; `Some(None)` for a key left out.
    key: Option<Option<(String, Span)>>,
    next_index: usize,
}

impl Frame {
    const LEFT_OUT: Frame = Frame { node: None, map: false, flow_depth: 0, key: None, next_index: 0 };
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
            text: text.to_owned(),
            ..PositionIndex::default()
        };
        let mut stack: Vec<Frame> = Vec::new();
        let mut documents = 0;
        for event in Parser::new_from_str(&text[base..]) {
            let (event, marks) = match event {
                Ok(event) => event,
                Err(e) => {
                    index.stopped = Some(DeError::new(DeErrorKind::Syntax(e.info().to_owned())).placed(index.span(*e.marker(), *e.marker())));
                    break;
                }
            };
            let span = index.span(marks.start, marks.end);
            let opens = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
            let value = match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        index.stopped = Some(DeError::new(DeErrorKind::SecondDocument).placed(span));
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
            // Where the value goes: (parent, segment, key span), or None to leave it out.
            let place = match stack.last_mut() {
                None if index.nodes.is_empty() => Some((None, None, None)),
                None => break, // a second root: not possible within one document
                Some(Frame { node: None, .. }) => None,
                Some(frame) if frame.map && frame.key.is_none() => {
                    // A complex or alias key is left out with its value.
                    frame.key = Some(match value {
                        Value::Scalar { text, .. } => Some((text, span)),
                        _ => None,
                    });
                    if opens {
                        stack.push(Frame::LEFT_OUT);
                    }
                    continue;
                }
                Some(frame) => match frame.key.take() {
                    Some(None) => None,
                    Some(Some((key, key_span))) => Some((frame.node, Some(PathSeg::Key(key)), Some(key_span))),
                    None => {
                        frame.next_index += 1;
                        Some((frame.node, Some(PathSeg::Index(frame.next_index - 1)), None))
                    }
                },
            };
            let flow = usize::from(opens && matches!(text.as_bytes().get(span.start), Some(b'[' | b'{')));
            let flow_depth = stack.last().map_or(0, |f| f.flow_depth) + flow;
            if place.is_some() && flow_depth > MAX_NESTING {
                index.stopped = Some(DeError::new(DeErrorKind::TooManyBrackets).placed(span));
                break;
            }
            let Some((parent, seg, key_span)) = place.filter(|_| stack.len() < Self::MAX_DEPTH) else {
                if opens {
                    stack.push(Frame::LEFT_OUT);
                }
                continue;
            };
            let (id, map) = (index.nodes.len(), matches!(value, Value::Map));
            index.nodes.push(Node { parent, seg: seg.clone(), key_span, span, depth: stack.len(), value, children: Vec::new() });
            if let (Some(parent), Some(seg)) = (parent, seg) {
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
                stack.push(Frame { node: Some(id), map, flow_depth, key: None, next_index: 0 });
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
        match self.walk(path) {
            Ok(id) | Err(Some(id)) => self.nodes[id].span,
            Err(None) => Span { column: 1, ..span_of_offset(&self.text, self.base) },
        }
    }

    /// Keys that appear twice in the same mapping: (path of the key, span of the first,
    /// span of the second), in document order. serde_yaml silently keeps the last of
    /// duplicate keys in a map, so the checker reports these. Keys compare by value.
    pub fn duplicate_keys(&self) -> &[(Vec<PathSeg>, Span, Span)] {
        &self.duplicates
    }

    /// Why indexing stopped before the end of the text: a syntax error (with the
    /// parser's words), more than [`MAX_NESTING`] open `[`/`{`, or a second document.
    pub fn stopped(&self) -> Option<&DeError> {
        self.stopped.as_ref()
    }

    /// Deserializes the document into `T` as serde_yaml does, to learn where and why
    /// serde_yaml refused it, as data: see [`DeError`].
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, DeError> {
        T::deserialize(NodeDe { index: self, id: 0, skip: None }).map_err(|e| e.on(self, 0))
    }

    /// [`PositionIndex::deserialize`] of the value at `path`, leaving out its entry
    /// `skip`: the tag of an internally tagged enum, whose content serde buffers and
    /// reads without positions. [`DeErrorKind::Unsupported`] when the path is absent.
    pub fn deserialize_at<T: DeserializeOwned>(&self, path: &[PathSeg], skip: Option<&str>) -> Result<T, DeError> {
        let id = self.find(path).ok_or_else(|| DeError::new(DeErrorKind::Unsupported))?;
        T::deserialize(NodeDe { index: self, id, skip }).map_err(|e| e.on(self, id))
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
        self.walk(path).ok()
    }

    /// The node at `path`, else (as an error) the node at its longest prefix in the
    /// document, if there is a document.
    fn walk(&self, path: &[PathSeg]) -> Result<usize, Option<usize>> {
        let root = if self.nodes.is_empty() { Err(None) } else { Ok(0) };
        path.iter().fold(root, |at, seg| at.and_then(|id| self.children.get(&(id, seg.clone())).copied().ok_or(Some(id))))
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

/// The span of the char at byte `offset` of `text` (clamped into it, down to a char
/// boundary; empty at a line break or the end), its line and column counted as the
/// index counts them. Linear in `offset`: for the one place of a refused file.
pub fn span_of_offset(text: &str, offset: usize) -> Span {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) || (text[..offset].ends_with('\r') && text[offset..].starts_with('\n')) {
        offset -= 1;
    }
    let prefix = &text[..offset];
    let line_start = prefix.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    Span {
        start: offset,
        end: offset + text[offset..].chars().next().filter(|c| !matches!(c, '\n' | '\r')).map_or(0, char::len_utf8),
        line: prefix.matches('\n').count() + prefix.matches('\r').count() - prefix.matches("\r\n").count() + 1,
        column: prefix[line_start..].chars().count() + 1,
    }
}

/// Why a text did not load (or a value did not deserialize), as data, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    /// What went wrong.
    pub kind: DeErrorKind,
    /// The node it was reported on: the key for an unknown field or a duplicate field,
    /// the mapping for a missing field, the value otherwise. For content that serde
    /// buffers (internally tagged enums), the whole buffered value.
    pub span: Option<Span>,
    /// The path of that node (of the mapping, for a key).
    pub path: Vec<PathSeg>,
}

/// What went wrong: one variant per method of [`serde::de::Error`], then the refusals
/// of the text itself.
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
    /// A type's own message.
    Custom(String),
    /// Nested more than [`MAX_NESTING`] levels.
    TooDeep,
    /// Something this layer does not follow (an alias): serde_yaml's own error stands.
    Unsupported,
    /// Not YAML, or YAML that serde_yaml refuses for a reason the spans do not show:
    /// the parser's words.
    Syntax(String),
    /// More than [`MAX_NESTING`] `[`/`{` open at once.
    TooManyBrackets,
    /// A second YAML document in the file.
    SecondDocument,
}

impl DeError {
    pub(crate) fn new(kind: DeErrorKind) -> Self {
        DeError { kind, span: None, path: Vec::new() }
    }

    pub(crate) fn placed(self, span: Span) -> Self {
        DeError { span: Some(span), ..self }
    }

    /// Places an error that has no place yet on the node `id`.
    fn on(self, index: &PositionIndex, id: usize) -> Self {
        self.at(index.nodes.get(id).map(|n| n.span), index, id)
    }

    /// Places an error that has no place yet at `span`, with the path of node `id`.
    fn at(mut self, span: Option<Span>, index: &PositionIndex, id: usize) -> Self {
        if self.span.is_none() && span.is_some() {
            self.span = span;
            self.path = index.path_of(id);
        }
        self
    }
}

/// serde's own wording for its kinds (from [`de::value::Error`]), ours for the others.
impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let serde = match &self.kind {
            DeErrorKind::UnknownField(name, expected) => Serde::unknown_field(name, expected),
            DeErrorKind::UnknownVariant(name, expected) => Serde::unknown_variant(name, expected),
            DeErrorKind::MissingField(name) => Serde::missing_field(name),
            DeErrorKind::DuplicateField(name) => Serde::duplicate_field(name),
            DeErrorKind::InvalidType(what, expected) => Serde::invalid_type(Unexpected::Other(what), &expected.as_str()),
            DeErrorKind::InvalidValue(what, expected) => Serde::invalid_value(Unexpected::Other(what), &expected.as_str()),
            DeErrorKind::InvalidLength(len, expected) => Serde::invalid_length(*len, &expected.as_str()),
            DeErrorKind::Custom(message) | DeErrorKind::Syntax(message) => return f.write_str(message),
            DeErrorKind::TooDeep => return write!(f, "nested more than {MAX_NESTING} levels deep"),
            DeErrorKind::Unsupported => return f.write_str("an alias"),
            DeErrorKind::TooManyBrackets => return write!(f, "`[` and `{{` are nested more than {MAX_NESTING} levels deep"),
            DeErrorKind::SecondDocument => return f.write_str("a model is one YAML document; a second one starts here"),
        };
        serde.fmt(f)
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

/// A scalar as YAML 1.2's core schema reads it, the way serde_yaml resolves it: only
/// plain scalars are null, booleans or numbers.
fn resolve(text: &str, plain: bool) -> Unexpected<'_> {
    if !plain {
        return Unexpected::Str(text);
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Unexpected::Unit,
        "true" | "True" | "TRUE" => return Unexpected::Bool(true),
        "false" | "False" | "FALSE" => return Unexpected::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Unexpected::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Unexpected::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Unexpected::Float(f64::NAN),
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
                false => Unexpected::Unsigned(n),
                true => i64::try_from(-i128::from(n)).map_or(Unexpected::Str(text), Unexpected::Signed),
            };
        }
    }
    match body.parse::<f64>() {
        Ok(f) if f.is_finite() && !leading_zero && !body.starts_with(['+', '-']) => Unexpected::Float(if negative { -f } else { f }),
        _ => Unexpected::Str(text),
    }
}

/// What a `deserialize_*` method asks of a node.
#[derive(Clone, Copy)]
enum Want {
    Any,
    Str,
    Option,
    Seq,
    Map,
    Enum,
    Ignored,
}

/// A deserializer for one node, as serde_yaml reads it.
#[derive(Clone, Copy)]
struct NodeDe<'a> {
    index: &'a PositionIndex,
    id: usize,
    /// An entry of this mapping to leave out.
    skip: Option<&'a str>,
}

impl<'a> NodeDe<'a> {
    fn visit<'de, V: Visitor<'de>>(self, want: Want, visitor: V) -> Result<V::Value, DeError> {
        let node = self.index.nodes.get(self.id);
        let value = node.map(|n| &n.value);
        let unexpected = || match value {
            Some(Value::Scalar { text, plain }) => resolve(text, *plain),
            Some(Value::Seq) => Unexpected::Seq,
            Some(Value::Map) => Unexpected::Map,
            Some(Value::Alias) | None => Unexpected::Unit,
        };
        // `key:` with nothing after it: serde_yaml reads it as an empty sequence or mapping.
        let empty = value.is_none_or(|v| matches!(v, Value::Scalar { text, plain: true } if text.is_empty()));
        let children = |skip: Option<&'a str>| Children { index: self.index, ids: node.map_or(&[][..], |n| &n.children).iter(), skip, last: None };
        // serde_yaml descends into at most MAX_NESTING mappings and sequences.
        let (deep, too_deep) = (node.is_some_and(|n| n.depth >= MAX_NESTING), Err(DeError::new(DeErrorKind::TooDeep)));
        match (value, want) {
            (_, Want::Ignored) => visitor.visit_unit(),
            (None, Want::Any | Want::Option) => visitor.visit_none(),
            (Some(Value::Scalar { text, plain: true }), Want::Option) if matches!(resolve(text, true), Unexpected::Unit) => visitor.visit_none(),
            (_, Want::Option) => visitor.visit_some(self),
            (Some(Value::Alias), _) => Err(DeError::new(DeErrorKind::Unsupported)),
            (Some(Value::Scalar { text, plain }), Want::Any) => match resolve(text, *plain) {
                Unexpected::Unit => visitor.visit_unit(),
                Unexpected::Bool(b) => visitor.visit_bool(b),
                Unexpected::Unsigned(n) => visitor.visit_u64(n),
                Unexpected::Signed(n) => visitor.visit_i64(n),
                Unexpected::Float(f) => visitor.visit_f64(f),
                _ => visitor.visit_str(text),
            },
            (Some(Value::Scalar { text, .. }), Want::Str) => visitor.visit_str(text),
            (Some(Value::Scalar { text, .. }), Want::Enum) => visitor.visit_enum(text.as_str().into_deserializer()),
            (_, Want::Enum) => Err(de::Error::invalid_type(unexpected(), &"a YAML tag starting with '!'")),
            (Some(Value::Seq), Want::Any | Want::Seq) if deep => too_deep,
            (Some(Value::Seq), Want::Any | Want::Seq) => visitor.visit_seq(children(None)),
            (Some(Value::Map), Want::Any | Want::Map) if deep && !children(None).ids.as_slice().is_empty() => too_deep,
            (Some(Value::Map), Want::Any | Want::Map) => {
                let mut map = children(self.skip);
                let result = visitor.visit_map(&mut map);
                // serde reports a duplicate field between reading its key and its value.
                let last_key = map.last.and_then(|id| self.index.nodes[id].key_span);
                result.map_err(|e| e.at(last_key, self.index, self.id))
            }
            // Only collections have children.
            (_, Want::Seq) if empty => visitor.visit_seq(children(None)),
            (_, Want::Map) if empty => visitor.visit_map(children(None)),
            _ => Err(de::Error::invalid_type(unexpected(), &visitor)),
        }
    }
}

/// `deserialize_*` methods that ask the same of a node.
macro_rules! want {
    ($($method:ident($($arg:ty),*) => $want:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, $(_: $arg,)* visitor: V) -> Result<V::Value, DeError> {
            self.visit(Want::$want, visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    want! {
        deserialize_any() => Any,
        deserialize_str() => Str,
        deserialize_string() => Str,
        deserialize_identifier() => Str,
        deserialize_char() => Str,
        deserialize_option() => Option,
        deserialize_seq() => Seq,
        deserialize_tuple(usize) => Seq,
        deserialize_tuple_struct(&'static str, usize) => Seq,
        deserialize_map() => Map,
        deserialize_struct(&'static str, &'static [&'static str]) => Map,
        deserialize_enum(&'static str, &'static [&'static str]) => Enum,
        deserialize_ignored_any() => Ignored,
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf unit unit_struct
    }
}

/// The items of a sequence, or the entries of a mapping (duplicates included), as
/// serde_yaml reads them. Each error is placed on the node it came from.
struct Children<'a> {
    index: &'a PositionIndex,
    ids: std::slice::Iter<'a, usize>,
    /// An entry to leave out.
    skip: Option<&'a str>,
    /// The entry whose key was read last.
    last: Option<usize>,
}

impl Children<'_> {
    fn read<'de, T: DeserializeSeed<'de>>(&self, id: usize, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(NodeDe { index: self.index, id, skip: None }).map_err(|e| e.on(self.index, id))
    }
}

impl<'de> de::SeqAccess<'de> for Children<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        self.ids.next().map(|&id| self.read(id, seed)).transpose()
    }
}

impl<'de> de::MapAccess<'de> for Children<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let (index, skip) = (self.index, self.skip);
        let is_skipped = |id: &usize| matches!((&index.nodes[*id].seg, skip), (Some(PathSeg::Key(k)), Some(s)) if k == s);
        self.last = self.ids.by_ref().copied().find(|id| !is_skipped(id));
        let Some(node) = self.last.map(|id| &index.nodes[id]) else { return Ok(None) };
        let Some(PathSeg::Key(key)) = &node.seg else { return Ok(None) };
        let parent = node.parent.unwrap_or(0);
        seed.deserialize(key.as_str().into_deserializer()).map(Some).map_err(|e: DeError| e.at(node.key_span, index, parent))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        self.read(self.last.unwrap_or(usize::MAX), seed)
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
        assert_eq!(idx.stopped(), None);
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
    }

    #[test]
    fn byte_offsets_count_bytes_and_columns_count_chars() {
        // BOM: offsets index the given text; line 1, column 1 is after it.
        let text = "\u{feff}é: ü\nk: 'ç'\r\nz: x\rw: 𝄞y\n";
        let idx = PositionIndex::build(text);
        assert_eq!(idx.stopped(), None);
        assert_eq!(at(text, key(&idx, "é")), (1, 1, "é"));
        assert_eq!(key(&idx, "é").start, 3);
        assert_eq!(at(text, value(&idx, "é")), (1, 4, "ü"));
        assert_eq!(at(text, value(&idx, "k")), (2, 4, "'ç'"));
        assert_eq!(at(text, value(&idx, "z")), (3, 4, "x"));
        assert_eq!(at(text, value(&idx, "w")), (4, 4, "𝄞y"));
        // A byte offset (serde_yaml's) into a span of one char, clamped, counted alike.
        let text = &text[3..];
        assert_eq!(at(text, span_of_offset(text, text.find('𝄞').expect("𝄞"))), (4, 4, "𝄞"));
        assert_eq!(at(text, span_of_offset(text, text.find("\r\n").expect("CR LF") + 1)), (2, 7, ""));
        assert_eq!(at(text, span_of_offset(text, 1)), (1, 1, "é"));
        assert_eq!(at(text, span_of_offset(text, 99)), (5, 1, ""));
        assert_eq!(at(MODEL, span_of_offset(MODEL, MODEL.find("ü").expect("ü"))), (10, 17, "ü"));
        // A tab is one column.
        let text = "a:\n  - \tx\n";
        assert_eq!(at(text, value(&PositionIndex::build(text), "a/0")), (2, 6, "x"));
    }

    #[test]
    fn aliases_complex_keys_and_second_documents() {
        let text = "base: &b {x: 1}\nuse: *b\n? [a, b]\n: skipped\n*b : also\nlast: 2\n---\nmore: 3\n";
        let idx = PositionIndex::build(text);
        assert_eq!(at(text, value(&idx, "use")), (2, 6, "*b"));
        assert_eq!(idx.value_span(&path("use/x")), None);
        assert_eq!(idx.key_span(&path("a")), None);
        assert_eq!(at(text, value(&idx, "last")), (6, 7, "2"));
        assert_eq!(idx.value_span(&path("more")), None);
        let stop = idx.stopped().expect("a second document");
        assert_eq!((&stop.kind, at(text, stop.span.expect("placed"))), (&DeErrorKind::SecondDocument, (7, 1, "---")));
    }

    #[test]
    fn deep_nesting_is_cut_without_overflow() {
        // More than 128 open `[`/`{`: refused at the 129th.
        let text = format!("a: {}x{}\n", "[".repeat(200), "]".repeat(200));
        let idx = PositionIndex::build(&text);
        let stop = idx.stopped().expect("too deep");
        assert_eq!((&stop.kind, stop.span.map(|s| (s.line, s.column))), (&DeErrorKind::TooManyBrackets, Some((1, 4 + MAX_NESTING))));
        assert_eq!(PositionIndex::build(&format!("{}{}", "[".repeat(128), "]".repeat(128))).stopped(), None);
        // The parser itself stops at 255 open brackets, before reporting any.
        assert!(matches!(PositionIndex::build(&"[".repeat(10_000)).stopped().map(|e| &e.kind), Some(DeErrorKind::Syntax(_))));
        // Block nesting: no limit in the parser; indexed up to MAX_DEPTH.
        let text = "- ".repeat(10_000) + "x\n";
        let idx = PositionIndex::build(&text);
        assert_eq!(idx.stopped(), None);
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
        // Nesting deeper than serde_yaml allows, in a type that takes any YAML (an example's data).
        let text = format!("members:\n{}x\n", "- ".repeat(200));
        let e = PositionIndex::build(&text).deserialize::<serde_yaml::Value>().expect_err("too deep");
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
            let mut spans = vec![idx.locate(&path("shapes/Req/members/1/target")), span_of_offset(&text, rng.below(text.len() + 8))];
            spans.extend(idx.stopped().and_then(|e| e.span));
            spans.extend(idx.duplicate_keys().iter().flat_map(|(_, a, b)| [*a, *b]));
            spans.extend(idx.deserialize::<Doc>().err().and_then(|e| e.span));
            for s in spans {
                assert!(s.start <= s.end && s.end <= text.len(), "{s:?} in {text:?}");
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{s:?} in {text:?}");
            }
        }
    }
}
