//! Position index of a YAML document: where each key and value of a model file is.
//!
//! `serde_yaml` turns a model file into typed values and forgets where each value came
//! from, but most model errors are only found afterwards (a member that targets a shape
//! that does not exist, a pattern that does not compile, ...). To point such an error at
//! the file, the same text is parsed a second time with `yaml-rust2`'s event parser, whose
//! events carry line/column marks, and the span of every key and value is recorded under
//! its path (`shapes` → `TaskId` → `pattern`).
//!
//! The index is best effort and never panics: serde_yaml reports syntax errors itself, so
//! here a syntax error only ends indexing (what came before it stays indexed).
//!
//! # What is indexed
//!
//! * Only the first document of a multi-document stream (serde_yaml's `from_str` reads one).
//! * Keys are indexed by the scalar's value (quotes removed, escapes resolved), so
//!   `"pattern"`, `'pattern'` and `pattern` are all `PathSeg::Key("pattern")`.
//! * Complex keys (a sequence or mapping used as a key) and alias keys (`*a: x`) are
//!   skipped together with their values: a `PathSeg::Key(String)` cannot name them, and
//!   the model types only have string keys, so serde rejects such entries anyway.
//! * An alias used as a value (`b: *a`) is indexed as the alias token itself; paths through
//!   it are not expanded (the anchored content is indexed once, where it is written).
//! * Duplicate keys: the last one wins, as when serde fills a map; the earlier entries are
//!   shadowed (not reachable by path, skipped by [`PositionIndex::find_key_under`]) and each
//!   duplicate is reported by [`PositionIndex::duplicate_keys`].
//! * Nodes deeper than [`PositionIndex::MAX_DEPTH`] path segments are not indexed (see
//!   [`PositionIndex::depth_limit_reached`]); no model is nested anywhere near that deep, and
//!   the limit keeps the stack of open collections small on hostile input.
//!
//! # Positions
//!
//! Lines break at `\n`, `\r\n` and a lone `\r`, as in yaml-rust2 (and YAML 1.2); lines and
//! columns are 1-based and columns count chars (a tab is one column). A leading byte order
//! mark is not part of the document: line 1, column 1 is the char after it, yet byte
//! offsets always index the text given to [`PositionIndex::build`].
//!
//! Implementation notes (why it is done this way):
//!
//! * `Parser::load` recurses once per nesting level (a stack overflow on 10 000 nested
//!   block sequences) and asserts on its input, so events are pulled one at a time with
//!   `Parser::next_token` and fed to our `MarkedEventReceiver`, which keeps an explicit stack.
//! * `Marker::index` counts chars and, in yaml-rust2 0.10, drifts after a block scalar line
//!   with non-ASCII text (it adds bytes there); line and column do not drift, so byte
//!   offsets are computed from line and column.
//! * Scalar events carry only a start mark; the end of each scalar is found in the text.
//!   Block mappings are marked at their first `:` and indentless sequences at their first
//!   item, so a collection's start token is found from its first key or entry instead.

use std::collections::HashMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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

/// Parent of the root node.
const NO_PARENT: usize = usize::MAX;

/// One indexed key/value or sequence item.
#[derive(Debug, Clone)]
struct Node {
    /// Index of the parent node in `PositionIndex::nodes`, `NO_PARENT` for the root.
    parent: usize,
    /// How the parent reaches this node; `None` for the root.
    seg: Option<PathSeg>,
    /// The key token (mapping entries) or the entry's `-` / first token (sequence items).
    key_span: Option<Span>,
    /// The value (see [`PositionIndex::value_span`]).
    value_span: Span,
    /// Nodes are stored in document order (pre-order), so the subtree of node `i` is
    /// `i + 1..end`: this is what lets `find_key_under` search without recursion.
    end: usize,
    /// Set when a later duplicate key replaced this entry.
    shadowed: bool,
}

/// A position index of one YAML document: path → span of the key and of the value.
///
/// Build it once per model file with [`PositionIndex::build`], then ask it where the
/// things that the checker complains about are.
#[derive(Clone)]
pub struct PositionIndex {
    /// A copy of the text: needed to turn (line, column) into byte offsets in `span_at`.
    src: Source,
    /// All indexed nodes in document order; the root, if any, is node 0.
    nodes: Vec<Node>,
    /// (parent node, segment) → child node; the last of duplicate keys wins.
    children: HashMap<(usize, PathSeg), usize>,
    /// See [`PositionIndex::duplicate_keys`].
    duplicates: Vec<(Vec<PathSeg>, Span, Span)>,
    /// The first syntax error, where indexing stopped.
    syntax_error: Option<(Span, String)>,
    /// Whether some node was deeper than `MAX_DEPTH` and left out.
    depth_limit_reached: bool,
}

impl fmt::Debug for PositionIndex {
    // A summary only: the derived form would print the whole text and every node.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PositionIndex")
            .field("text_len", &self.src.text.len())
            .field("nodes", &self.nodes.len())
            .field("duplicates", &self.duplicates)
            .field("syntax_error", &self.syntax_error)
            .field("depth_limit_reached", &self.depth_limit_reached)
            .finish()
    }
}

impl PositionIndex {
    /// Paths longer than this are not indexed.
    pub const MAX_DEPTH: usize = 256;

    /// Builds the index. Never panics on any input (garbage, binary, huge, deeply nested,
    /// tabs, anchors/aliases, multi-document, flow style, block scalars, CRLF, BOM). On a
    /// YAML syntax error, keeps what was indexed before the error and records it
    /// (serde_yaml reports syntax errors itself; the index is best effort).
    ///
    /// The error is available from [`PositionIndex::syntax_error`]; nodes deeper than
    /// [`PositionIndex::MAX_DEPTH`] are left out (see [`PositionIndex::depth_limit_reached`]).
    pub fn build(text: &str) -> PositionIndex {
        // yaml-rust2 does not skip a byte order mark (it would become part of the first
        // key), so the parser sees the text after it and positions are shifted back.
        let base = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let body = text.get(base..).unwrap_or_default();
        let mut builder = Builder::new(Source::new(text, base));
        let mut parser = Parser::new_from_str(body);
        while !builder.done {
            // yaml-rust2 has `unwrap`s and `unreachable!`s on paths that fuzzing may still
            // reach; a panic there must not take the generator down for an index that only
            // decorates error messages. Nothing of the parser is used after a panic. (The
            // panic hook still prints it, and with `panic = "abort"` this cannot help; no
            // such panic was found by the mutation tests.)
            let next = panic::catch_unwind(AssertUnwindSafe(|| parser.next_token()));
            match next {
                Ok(Ok((event, mark))) => builder.on_event(event, mark),
                Ok(Err(error)) => {
                    let pos = builder.byte_at(error.marker());
                    builder.stop_with_error(pos, error.info().to_owned());
                }
                Err(_) => {
                    let pos = builder.cursor;
                    builder.stop_with_error(pos, "internal error of the YAML parser".to_owned());
                }
            }
        }
        builder.finish()
    }

    /// Span of the KEY token of the last path segment when it is a Key (e.g. `shapes` →
    /// `TaskId` → `pattern` gives the span of the text `pattern`), or of the whole item's
    /// first token when it is an Index. None if the path is not in the document.
    ///
    /// For an item of a block sequence the first token is its `-`; for an item of a flow
    /// sequence it is the item's own start token (the same as its `value_span`). The empty
    /// path (the document itself) has no key: `None`.
    pub fn key_span(&self, path: &[PathSeg]) -> Option<Span> {
        self.find(path).and_then(|id| self.nodes.get(id)?.key_span)
    }

    /// Span of the VALUE at the path: for a scalar, the scalar's text (for quoted scalars
    /// include the quotes; for block scalars at least the first line), for a
    /// mapping/sequence its start token. None if absent.
    ///
    /// Exactly:
    /// * plain scalar: its first to its last char; a multi-line plain scalar spans all its lines;
    /// * quoted scalar: opening to closing quote, both included, all lines;
    /// * block scalar (`|`, `>`): from the indicator to the end of its last non-blank content
    ///   line (line break excluded); an empty block scalar covers just its header (`|-`, `>2`);
    /// * empty value (`key:` with nothing after it, `-` alone): an empty span just after the
    ///   `:` or `-` (or `?` for an empty key);
    /// * alias: the `*name` token;
    /// * flow mapping / sequence: the `{` / `[`; block sequence: its first `-`;
    ///   block mapping: its first key's token (what an editor would highlight).
    pub fn value_span(&self, path: &[PathSeg]) -> Option<Span> {
        self.find(path)
            .and_then(|id| Some(self.nodes.get(id)?.value_span))
    }

    /// The best span for an error about `path`: value_span of the path if present, else
    /// key_span, else that of the longest prefix that exists, else the start of the
    /// document (line 1, col 1, empty span).
    pub fn locate(&self, path: &[PathSeg]) -> Span {
        // Walking down once visits every prefix; the deepest node found is the longest
        // prefix that exists. Every indexed node has a value span, so the key span
        // fallback of the rule never applies.
        let mut best = None;
        if let Some(root) = self.nodes.first() {
            best = Some(root.value_span);
            let mut id = 0;
            for seg in path {
                let Some(&child) = self.children.get(&(id, seg.clone())) else {
                    break;
                };
                id = child;
                best = self.nodes.get(id).map(|n| n.value_span).or(best);
            }
        }
        best.unwrap_or_else(|| self.src.document_start())
    }

    /// Span of a key named `key` anywhere below `prefix` (depth-first, document order),
    /// e.g. to place serde's "unknown field `foo`" error. None if absent.
    ///
    /// Keys inside entries shadowed by a later duplicate key are not searched (serde never
    /// saw them).
    pub fn find_key_under(&self, prefix: &[PathSeg], key: &str) -> Option<Span> {
        let top = self.find(prefix)?;
        let end = self.nodes.get(top)?.end;
        // The subtree is a contiguous run of nodes in document order: a flat scan is a
        // depth-first search without recursion.
        let mut id = top + 1;
        while id < end {
            let node = self.nodes.get(id)?;
            if node.shadowed {
                id = node.end.max(id + 1);
                continue;
            }
            if matches!(&node.seg, Some(PathSeg::Key(k)) if k == key) {
                return node.key_span;
            }
            id += 1;
        }
        None
    }

    /// Keys that appear twice in the same mapping: (path of the mapping key, span of the
    /// first, span of the duplicate), document order. serde_yaml silently keeps the last
    /// of duplicate keys in a map, so the checker reports these.
    ///
    /// A key written three times gives two entries, both with the first occurrence's span.
    /// Keys are compared by value (`a` and `"a"` are the same key).
    pub fn duplicate_keys(&self) -> &[(Vec<PathSeg>, Span, Span)] {
        &self.duplicates
    }

    /// The span of the line (1-based) for a (line, column) pair, turned into a byte span
    /// of one char (or empty at end of line); used to turn serde_yaml's (line, column)
    /// error locations into spans. Never panics for out-of-range input (clamp).
    ///
    /// The column counts chars, like serde_yaml's. Line 0 and column 0 are taken as 1; a
    /// column past the end of the line gives the empty span at its end; a line past the
    /// last one gives the last line. The returned `line`/`column` are the clamped ones.
    pub fn span_at(&self, line: usize, column: usize) -> Span {
        self.src.span_at(line, column)
    }

    /// The first YAML syntax error, where indexing stopped: its position and yaml-rust2's
    /// message. serde_yaml reports syntax errors itself; this only tells why a path may be
    /// missing.
    pub fn syntax_error(&self) -> Option<(Span, &str)> {
        self.syntax_error
            .as_ref()
            .map(|(span, msg)| (*span, msg.as_str()))
    }

    /// Whether some nodes were left out for being deeper than [`PositionIndex::MAX_DEPTH`].
    pub fn depth_limit_reached(&self) -> bool {
        self.depth_limit_reached
    }

    /// The node at `path`, if indexed.
    fn find(&self, path: &[PathSeg]) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut id = 0;
        for seg in path {
            id = *self.children.get(&(id, seg.clone()))?;
        }
        Some(id)
    }
}

/// The text with its line table, shared by the builder and the finished index.
#[derive(Debug, Clone)]
struct Source {
    text: String,
    /// Byte length of a leading BOM (0 or 3): line 1 starts after it.
    base: usize,
    /// Byte offset of the start of each line; never empty.
    line_starts: Vec<usize>,
}

impl Source {
    fn new(text: &str, base: usize) -> Source {
        let bytes = text.as_bytes();
        let mut line_starts = vec![base];
        for (i, &b) in bytes.iter().enumerate().skip(base) {
            // Same breaks as yaml-rust2's scanner, so its line numbers match ours.
            let is_break = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if is_break {
                line_starts.push(i + 1);
            }
        }
        Source {
            text: text.to_owned(),
            base,
            line_starts,
        }
    }

    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    fn byte(&self, pos: usize) -> Option<u8> {
        self.bytes().get(pos).copied()
    }

    fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of line `li` (0-based) without its line break.
    fn line_bounds(&self, li: usize) -> (usize, usize) {
        let start = self.line_starts.get(li).copied().unwrap_or(self.text.len());
        let end = match self.line_starts.get(li + 1) {
            Some(&next) => {
                let mut end = next.saturating_sub(1);
                if end > start && self.byte(end) == Some(b'\n') && self.byte(end - 1) == Some(b'\r')
                {
                    end -= 1;
                }
                end
            }
            None => self.text.len(),
        };
        (start, end.max(start))
    }

    /// 0-based line containing byte `pos`.
    fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// Line 1, column 1, empty: where an error goes when nothing better is known.
    fn document_start(&self) -> Span {
        Span {
            start: self.base,
            end: self.base,
            line: 1,
            column: 1,
        }
    }

    /// See [`PositionIndex::span_at`]. No cache: queries are rare and stay within a line.
    fn span_at(&self, line: usize, column: usize) -> Span {
        let li = line.clamp(1, self.line_count()) - 1;
        let (ls, le) = self.line_bounds(li);
        let want = column.max(1) - 1;
        let mut pos = ls;
        let mut col = 0;
        for ch in self.slice(ls, le).chars() {
            if col == want {
                break;
            }
            pos += ch.len_utf8();
            col += 1;
        }
        Span {
            start: pos,
            end: self.char_end(pos, le),
            line: li + 1,
            column: col + 1,
        }
    }

    /// End of the char at `pos`, or `pos` at `limit` (end of line or text).
    fn char_end(&self, pos: usize, limit: usize) -> usize {
        if pos >= limit {
            return pos;
        }
        match self.text.get(pos..).and_then(|s| s.chars().next()) {
            Some('\n' | '\r') | None => pos,
            Some(ch) => pos + ch.len_utf8(),
        }
    }
}

/// Last (line, column) → byte conversion; events arrive in document order, so starting
/// from here keeps the conversions linear even on a multi-megabyte single-line document.
#[derive(Debug, Clone, Copy)]
struct Cache {
    /// 0-based line.
    line: usize,
    /// 0-based column in chars.
    col: usize,
    byte: usize,
}

/// What a node event is.
enum NodeKind {
    Scalar(String, TScalarStyle),
    Alias,
    Sequence,
    Mapping,
}

impl NodeKind {
    fn is_collection(&self) -> bool {
        matches!(self, NodeKind::Sequence | NodeKind::Mapping)
    }
}

/// What an open collection expects next.
enum FrameState {
    /// A sequence; `next` is the index of its next item.
    Sequence { next: usize },
    /// A mapping waiting for a key.
    MappingKey,
    /// A mapping waiting for the value of this key (`None`: a key that is not indexed).
    MappingValue(Option<(String, Span)>),
}

/// An open, indexed collection.
struct Frame {
    node: usize,
    state: FrameState,
    /// A block mapping is marked at its first `:`; its start token is its first key,
    /// known only when that key arrives.
    first_key_pending: bool,
}

/// The place of a node event in its parent.
enum Role {
    Root,
    Item(usize),
    Key,
    Value(String, Span),
    /// Not indexed (value of a skipped key, content after the root).
    Skip,
}

/// Receives parser events and builds the index with an explicit stack.
struct Builder {
    src: Source,
    cache: Cache,
    nodes: Vec<Node>,
    children: HashMap<(usize, PathSeg), usize>,
    duplicates: Vec<(Vec<PathSeg>, Span, Span)>,
    /// Span of the first occurrence of each duplicated key, so every later duplicate is
    /// reported against the first one.
    first_of_duplicate: HashMap<(usize, String), Span>,
    frames: Vec<Frame>,
    /// Depth inside a collection that is not indexed (complex key, its value, too deep).
    skip: usize,
    /// Byte offset just past the last token placed; searches for indicators that events do
    /// not mark (`:`, `-`, `|`) start here.
    cursor: usize,
    root_done: bool,
    done: bool,
    syntax_error: Option<(Span, String)>,
    depth_limit_reached: bool,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.done {
            return;
        }
        match ev {
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            // Only the first document is indexed.
            Event::DocumentEnd | Event::StreamEnd => self.done = true,
            Event::Scalar(value, style, _, _) => self.node(NodeKind::Scalar(value, style), &mark),
            Event::Alias(_) => self.node(NodeKind::Alias, &mark),
            Event::SequenceStart(..) => self.node(NodeKind::Sequence, &mark),
            Event::MappingStart(..) => self.node(NodeKind::Mapping, &mark),
            Event::SequenceEnd | Event::MappingEnd => self.end_collection(&mark),
        }
    }
}

impl Builder {
    fn new(src: Source) -> Builder {
        let base = src.base;
        Builder {
            src,
            cache: Cache {
                line: 0,
                col: 0,
                byte: base,
            },
            nodes: Vec::new(),
            children: HashMap::new(),
            duplicates: Vec::new(),
            first_of_duplicate: HashMap::new(),
            frames: Vec::new(),
            skip: 0,
            cursor: base,
            root_done: false,
            done: false,
            syntax_error: None,
            depth_limit_reached: false,
        }
    }

    fn finish(mut self) -> PositionIndex {
        // Collections left open by a syntax error end with what was indexed.
        let len = self.nodes.len();
        for frame in self.frames.drain(..) {
            if let Some(node) = self.nodes.get_mut(frame.node) {
                node.end = len;
            }
        }
        PositionIndex {
            src: self.src,
            nodes: self.nodes,
            children: self.children,
            duplicates: self.duplicates,
            syntax_error: self.syntax_error,
            depth_limit_reached: self.depth_limit_reached,
        }
    }

    fn stop_with_error(&mut self, pos: usize, message: String) {
        let end = self.src.char_end(pos, self.src.text.len());
        let span = self.make_span(pos, end);
        self.syntax_error = Some((span, message));
        self.done = true;
    }

    /// Byte offset of a mark, from its line and column (see the module notes), clamped
    /// to the text.
    fn byte_at(&mut self, mark: &Marker) -> usize {
        let Some(li) = mark.line().checked_sub(1) else {
            return self.src.base;
        };
        if li >= self.src.line_count() {
            return self.src.text.len();
        }
        let (ls, le) = self.src.line_bounds(li);
        let col = mark.col();
        let (mut pos, mut c) = if self.cache.line == li && self.cache.col <= col {
            (self.cache.byte, self.cache.col)
        } else {
            // Backwards on the same line only happens for a block mapping's first key
            // (marked after it), so restarting from the line start stays cheap.
            (ls, 0)
        };
        for ch in self.src.slice(pos, le).chars() {
            if c >= col {
                break;
            }
            pos += ch.len_utf8();
            c += 1;
        }
        self.cache = Cache {
            line: li,
            col: c,
            byte: pos,
        };
        pos
    }

    /// A span with its line and column, for byte offsets that are char boundaries.
    fn make_span(&mut self, start: usize, end: usize) -> Span {
        let li = self.src.line_of(start);
        let ls = self.src.line_starts.get(li).copied().unwrap_or(start);
        let col = if self.cache.line == li && self.cache.byte <= start {
            self.cache.col + self.src.slice(self.cache.byte, start).chars().count()
        } else if self.cache.line == li {
            let back = self.src.slice(start, self.cache.byte).chars().count();
            self.cache.col.saturating_sub(back)
        } else {
            self.src.slice(ls, start).chars().count()
        };
        self.cache = Cache {
            line: li,
            col,
            byte: start,
        };
        Span {
            start,
            end: end.max(start),
            line: li + 1,
            column: col + 1,
        }
    }

    fn one_char_span(&mut self, pos: usize) -> Span {
        let end = self.src.char_end(pos, self.src.text.len());
        self.make_span(pos, end)
    }

    /// Where the current node sits in its parent; advances the parent's state.
    fn take_role(&mut self) -> Role {
        let Some(frame) = self.frames.last_mut() else {
            return if self.root_done {
                Role::Skip
            } else {
                Role::Root
            };
        };
        match &mut frame.state {
            FrameState::Sequence { next } => {
                let index = *next;
                *next += 1;
                Role::Item(index)
            }
            FrameState::MappingKey => {
                frame.state = FrameState::MappingValue(None);
                Role::Key
            }
            FrameState::MappingValue(pending) => {
                let pending = pending.take();
                frame.state = FrameState::MappingKey;
                match pending {
                    Some((key, span)) => Role::Value(key, span),
                    None => Role::Skip,
                }
            }
        }
    }

    fn node(&mut self, kind: NodeKind, mark: &Marker) {
        let pos = self.byte_at(mark);
        if self.skip > 0 {
            // Not indexed, but placed anyway: the cursor must move past it.
            let _ = self.token_span(&kind, pos, mark, None);
            if kind.is_collection() {
                self.skip += 1;
            }
            return;
        }
        let role = self.take_role();
        let indicator = match role {
            Role::Item(_) => Some(b'-'),
            Role::Key => Some(b'?'),
            Role::Value(..) => Some(b':'),
            Role::Root | Role::Skip => None,
        };
        // The `-` of an item comes after the previous token, before this one.
        let cursor_before = self.cursor;
        let (span, first_key_pending) = self.token_span(&kind, pos, mark, indicator);
        let is_collection = kind.is_collection();
        let seg = match role {
            Role::Skip => {
                if is_collection {
                    self.skip = 1;
                }
                return;
            }
            Role::Key => {
                self.resolve_first_key(span);
                let pending = match kind {
                    NodeKind::Scalar(value, _) => Some((value, span)),
                    // Complex and alias keys are skipped with their values (module docs).
                    NodeKind::Alias => None,
                    NodeKind::Sequence | NodeKind::Mapping => {
                        self.skip = 1;
                        None
                    }
                };
                if let Some(frame) = self.frames.last_mut() {
                    frame.state = FrameState::MappingValue(pending);
                }
                return;
            }
            Role::Root => None,
            Role::Item(index) => Some(PathSeg::Index(index)),
            Role::Value(ref key, _) => Some(PathSeg::Key(key.clone())),
        };
        // The path of this node has one segment per open frame.
        if self.frames.len() > PositionIndex::MAX_DEPTH {
            self.depth_limit_reached = true;
            if is_collection {
                self.skip = 1;
            }
            return;
        }
        let key_span = match role {
            Role::Value(_, key_span) => Some(key_span),
            Role::Item(_) => Some(self.item_key_span(cursor_before, pos, span)),
            _ => None,
        };
        let id = self.add_node(seg, key_span, span);
        match kind {
            NodeKind::Sequence => self.frames.push(Frame {
                node: id,
                state: FrameState::Sequence { next: 0 },
                first_key_pending: false,
            }),
            NodeKind::Mapping => self.frames.push(Frame {
                node: id,
                state: FrameState::MappingKey,
                first_key_pending,
            }),
            NodeKind::Scalar(..) | NodeKind::Alias => {
                if self.frames.is_empty() {
                    self.root_done = true;
                }
            }
        }
    }

    fn end_collection(&mut self, mark: &Marker) {
        let pos = self.byte_at(mark);
        // Flow collections are marked at their `]`/`}`; block ones at the next token.
        if matches!(self.src.byte(pos), Some(b']' | b'}')) {
            self.cursor = self.cursor.max(pos + 1);
        }
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if let Some(frame) = self.frames.pop() {
            let len = self.nodes.len();
            if let Some(node) = self.nodes.get_mut(frame.node) {
                node.end = len;
            }
            if self.frames.is_empty() {
                self.root_done = true;
            }
        }
    }

    /// A block mapping's start token is its first key: fill it in now.
    fn resolve_first_key(&mut self, key: Span) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        if !frame.first_key_pending {
            return;
        }
        frame.first_key_pending = false;
        let id = frame.node;
        if let Some(node) = self.nodes.get_mut(id) {
            node.value_span = key;
        }
    }

    fn add_node(
        &mut self,
        seg: Option<PathSeg>,
        key_span: Option<Span>,
        value_span: Span,
    ) -> usize {
        let id = self.nodes.len();
        let parent = self.frames.last().map_or(NO_PARENT, |f| f.node);
        if let Some(seg) = &seg {
            if let Some(previous) = self.children.insert((parent, seg.clone()), id) {
                self.record_duplicate(parent, previous, seg, key_span);
            }
        }
        self.nodes.push(Node {
            parent,
            seg,
            key_span,
            value_span,
            end: id + 1,
            shadowed: false,
        });
        id
    }

    fn record_duplicate(
        &mut self,
        parent: usize,
        previous: usize,
        seg: &PathSeg,
        dup: Option<Span>,
    ) {
        let earlier = self.nodes.get_mut(previous).and_then(|n| {
            n.shadowed = true;
            n.key_span
        });
        let (PathSeg::Key(key), Some(earlier), Some(dup)) = (seg, earlier, dup) else {
            return;
        };
        let first = *self
            .first_of_duplicate
            .entry((parent, key.clone()))
            .or_insert(earlier);
        let mut path = self.path_of(parent);
        path.push(seg.clone());
        self.duplicates.push((path, first, dup));
    }

    /// The path from the root to node `id` (empty for the root or `NO_PARENT`).
    fn path_of(&self, mut id: usize) -> Vec<PathSeg> {
        let mut path = Vec::new();
        while let Some(node) = self.nodes.get(id) {
            if let Some(seg) = &node.seg {
                path.push(seg.clone());
            }
            id = node.parent;
        }
        path.reverse();
        path
    }

    /// The key span of a sequence item: its `-` when the item is in a block sequence, else
    /// its value's start token. The `-` is searched forwards from the previous token (which
    /// sees past `- &anchor !tag value`) and then backwards from the value (which sees past
    /// previous tokens that were not placed, like the tag of an empty node).
    fn item_key_span(&mut self, cursor_before: usize, pos: usize, value: Span) -> Span {
        let p = skip_space_and_comments(self.src.bytes(), cursor_before.min(pos), pos);
        let dash = if p < pos && self.is_entry_dash(p) {
            Some(p)
        } else {
            self.dash_before(value.start)
        };
        match dash {
            Some(dash) => self.one_char_span(dash),
            None => value,
        }
    }

    /// Whether `pos` holds a block entry indicator: `-` followed by a space or line end.
    fn is_entry_dash(&self, pos: usize) -> bool {
        self.src.byte(pos) == Some(b'-') && self.src.byte(pos + 1).is_none_or(is_space)
    }

    /// The `-` just before `pos`, with only whitespace in between.
    fn dash_before(&self, pos: usize) -> Option<usize> {
        let floor = self.src.base;
        let mut p = pos.min(self.src.text.len());
        while p > floor && self.src.byte(p - 1).is_some_and(is_space) {
            p -= 1;
        }
        let dash = p.checked_sub(1).filter(|&d| d >= floor)?;
        let starts_token = dash == floor || self.src.byte(dash - 1).is_some_and(is_space);
        (self.is_entry_dash(dash) && starts_token).then_some(dash)
    }

    /// The value span of the node starting at `pos`, and for a mapping whether its start
    /// token still has to come from its first key. Moves the cursor past the token.
    fn token_span(
        &mut self,
        kind: &NodeKind,
        pos: usize,
        mark: &Marker,
        indicator: Option<u8>,
    ) -> (Span, bool) {
        match kind {
            NodeKind::Scalar(value, style) => {
                let (start, end) = self.scalar_bounds(value, *style, pos, mark, indicator);
                self.cursor = self.cursor.max(end);
                (self.make_span(start, end), false)
            }
            NodeKind::Alias => {
                let end = word_end(self.src.bytes(), pos + 1).max(pos);
                self.cursor = self.cursor.max(end);
                (self.make_span(pos, end), false)
            }
            NodeKind::Sequence => {
                if self.src.byte(pos) == Some(b'[') {
                    self.cursor = self.cursor.max(pos + 1);
                    return (self.one_char_span(pos), false);
                }
                // An indentless sequence (`key:\n- a`) is marked at its first item.
                let dash = if self.is_entry_dash(pos) {
                    pos
                } else {
                    self.dash_before(pos).unwrap_or(pos)
                };
                // Stay on the `-`: an empty first item is placed just after it.
                self.cursor = self.cursor.max(dash);
                (self.one_char_span(dash), false)
            }
            NodeKind::Mapping => match self.src.byte(pos) {
                Some(b'{') => {
                    self.cursor = self.cursor.max(pos + 1);
                    (self.one_char_span(pos), false)
                }
                // Explicit key: `?` is the start token; an empty key is placed after it.
                Some(b'?') => (self.one_char_span(pos), false),
                // A block mapping, marked at its first `:`; a placeholder until the first key.
                _ => (self.one_char_span(pos), true),
            },
        }
    }

    fn scalar_bounds(
        &mut self,
        value: &str,
        style: TScalarStyle,
        pos: usize,
        mark: &Marker,
        indicator: Option<u8>,
    ) -> (usize, usize) {
        let bytes = self.src.bytes();
        match style {
            // A plain scalar is never empty in the text: this is an empty node, marked
            // at whatever token follows it.
            TScalarStyle::Plain if value.is_empty() => {
                let at = self.empty_node_pos(pos, indicator);
                (at, at)
            }
            TScalarStyle::Plain => (pos, plain_end(&self.src.text, pos, value)),
            TScalarStyle::SingleQuoted => (
                pos,
                quoted_end(bytes, pos, b'\'')
                    .unwrap_or_else(|| plain_end(&self.src.text, pos, value)),
            ),
            TScalarStyle::DoubleQuoted => (
                pos,
                quoted_end(bytes, pos, b'"')
                    .unwrap_or_else(|| plain_end(&self.src.text, pos, value)),
            ),
            TScalarStyle::Literal | TScalarStyle::Folded => self.block_bounds(value, pos, mark),
        }
    }

    /// Where an empty node goes: just after its `:`, `-` or `?` when that is the next
    /// thing after the previous token, else at its mark (yaml-rust2 marks an empty node
    /// at the token after it, often on a later line).
    fn empty_node_pos(&self, pos: usize, indicator: Option<u8>) -> usize {
        let bytes = self.src.bytes();
        let p = skip_space_and_comments(bytes, self.cursor.min(pos), pos);
        match indicator {
            Some(indicator) if bytes.get(p) == Some(&indicator) => p + 1,
            Some(_) => p,
            // An empty document (`---` alone) goes where its content would start, not
            // at the end of the text where yaml-rust2 marks it.
            None if self.frames.is_empty() && self.skip == 0 => p,
            None => pos,
        }
    }

    /// Block scalars are marked at their first content char, after the indentation:
    /// the header is searched after the previous token, and the content runs while lines
    /// are blank or indented at least as much as the first one.
    fn block_bounds(&self, value: &str, pos: usize, mark: &Marker) -> (usize, usize) {
        let bytes = self.src.bytes();
        let header = find_block_indicator(bytes, self.cursor.min(pos), pos);
        let start = header.unwrap_or(pos);
        let mut end = header.map_or(pos, |h| block_header_end(bytes, h));
        // An empty block scalar is marked at the next token: it has no content lines.
        if !value.is_empty() {
            let indent = mark.col();
            for li in self.src.line_of(pos)..self.src.line_count() {
                let (ls, le) = self.src.line_bounds(li);
                let line = self.src.slice(ls, le);
                if line.bytes().all(|b| b == b' ' || b == b'\t') {
                    continue;
                }
                let lead = line.bytes().take_while(|&b| b == b' ').count();
                if lead < indent || (indent == 0 && is_document_marker(line)) {
                    break;
                }
                end = le;
            }
        }
        (start, end.max(start))
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Skips whitespace and comments from `from`, not past `limit`.
fn skip_space_and_comments(bytes: &[u8], from: usize, limit: usize) -> usize {
    let mut p = from;
    while p < limit {
        match bytes.get(p) {
            Some(&b) if is_space(b) => p += 1,
            Some(b'#') => {
                while p < limit && !matches!(bytes.get(p), Some(b'\n' | b'\r') | None) {
                    p += 1;
                }
            }
            _ => break,
        }
    }
    p
}

/// End of an anchor-like token (`*name`) starting at `from`. Stops only at ASCII bytes,
/// so the result is a char boundary.
fn word_end(bytes: &[u8], from: usize) -> usize {
    let mut p = from.min(bytes.len());
    while let Some(&b) = bytes.get(p) {
        if is_space(b) || matches!(b, b',' | b'[' | b']' | b'{' | b'}') {
            break;
        }
        p += 1;
    }
    p
}

/// End of a plain scalar starting at `start` whose parsed value is `value`: the text is
/// matched against the value, any run of whitespace (line folding) matching any other.
fn plain_end(text: &str, start: usize, value: &str) -> usize {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut end = start;
    let mut expected = value.chars().peekable();
    while let Some(want) = expected.next() {
        if matches!(want, ' ' | '\t' | '\n') {
            while expected
                .next_if(|c| matches!(c, ' ' | '\t' | '\n'))
                .is_some()
            {}
            let before = pos;
            while bytes.get(pos).copied().is_some_and(is_space) {
                pos += 1;
            }
            if pos == before {
                break;
            }
        } else {
            match text.get(pos..).and_then(|rest| rest.chars().next()) {
                Some(found) if found == want => {
                    pos += found.len_utf8();
                    end = pos;
                }
                _ => break,
            }
        }
    }
    if end == start {
        // Not found as written (should not happen): take the word at the mark.
        word_end(bytes, start)
    } else {
        end
    }
}

/// End (past the closing quote) of a quoted scalar opening at `start`. Quotes and `\`
/// are ASCII, so scanning bytes only ever stops on char boundaries.
fn quoted_end(bytes: &[u8], start: usize, quote: u8) -> Option<usize> {
    if bytes.get(start) != Some(&quote) {
        return None;
    }
    let mut p = start + 1;
    while let Some(&b) = bytes.get(p) {
        if quote == b'"' && b == b'\\' {
            p += 2;
        } else if b == quote {
            if quote == b'\'' && bytes.get(p + 1) == Some(&b'\'') {
                p += 2;
            } else {
                return Some(p + 1);
            }
        } else {
            p += 1;
        }
    }
    None
}

/// The `|` or `>` of a block scalar, between the previous token and the content: only
/// indicators (`:`, `-`, `?`), properties (`&anchor`, `!tag`), spaces and comments may
/// come between.
fn find_block_indicator(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut p = from;
    loop {
        p = skip_space_and_comments(bytes, p, limit);
        if p >= limit {
            return None;
        }
        match bytes.get(p)? {
            b'|' | b'>' => return Some(p),
            b'-' | b':' | b'?' | b',' => p += 1,
            b'&' | b'!' => {
                while p < limit && !bytes.get(p).copied().is_some_and(is_space) {
                    p += 1;
                }
            }
            _ => return None,
        }
    }
}

/// End of a block scalar header: the indicator and its chomping/indentation indicators.
fn block_header_end(bytes: &[u8], indicator: usize) -> usize {
    let mut p = indicator + 1;
    while p < indicator + 3
        && bytes
            .get(p)
            .is_some_and(|b| matches!(b, b'+' | b'-' | b'1'..=b'9'))
    {
        p += 1;
    }
    p
}

/// `---` or `...` at the start of a line ends a top-level block scalar.
fn is_document_marker(line: &str) -> bool {
    (line.starts_with("---") || line.starts_with("..."))
        && line.as_bytes().get(3).is_none_or(|&b| is_space(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `"shapes/Req/members/1"` → `[Key(shapes), Key(Req), Key(members), Index(1)]`.
    fn path(s: &str) -> Vec<PathSeg> {
        s.split('/')
            .filter(|seg| !seg.is_empty())
            .map(|seg| match seg.parse() {
                Ok(i) => PathSeg::Index(i),
                Err(_) => PathSeg::Key(seg.to_owned()),
            })
            .collect()
    }

    fn key(idx: &PositionIndex, p: &str) -> Span {
        idx.key_span(&path(p))
            .unwrap_or_else(|| panic!("no key at {p}: {idx:?}"))
    }

    fn value(idx: &PositionIndex, p: &str) -> Span {
        idx.value_span(&path(p))
            .unwrap_or_else(|| panic!("no value at {p}: {idx:?}"))
    }

    fn text_of(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    /// (line, column, text) of a span, to compare with hand-computed expectations.
    fn at(text: &str, span: Span) -> (usize, usize, &str) {
        (span.line, span.column, text_of(text, span))
    }

    /// Every span the index holds is inside the text, on char boundaries, and its
    /// line/column agree with `span_at` (two independent computations).
    fn check_invariants(text: &str, idx: &PositionIndex) {
        let check = |span: Span| {
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{span:?}"
            );
            assert_eq!(
                idx.span_at(span.line, span.column).start,
                span.start,
                "{span:?} in {text:?}"
            );
        };
        for node in &idx.nodes {
            check(node.value_span);
            if let Some(span) = node.key_span {
                check(span);
            }
            assert!(node.end > 0 && node.end <= idx.nodes.len());
        }
        for (_, first, dup) in idx.duplicate_keys() {
            check(*first);
            check(*dup);
        }
        if let Some((span, _)) = idx.syntax_error() {
            check(span);
        }
        check(idx.locate(&[]));
    }

    const MODEL: &str = r#"# yaml-language-server: $schema=../schema.json
service:
  provider: aws
  name: fsx
shapes:
  TaskId:
    type: string
    pattern: "^(task-[0-9a-f]{17,})$"
  Req:
    type: structure
    members:
      - name: TaskId
        target: TaskId
        docs: >-
          Specifies the data
          repository task.
      - name: Other
        target: strng
"#;

    #[test]
    fn realistic_model_keys_and_values() {
        let idx = PositionIndex::build(MODEL);
        check_invariants(MODEL, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert!(idx.duplicate_keys().is_empty());

        let k = key(&idx, "shapes/TaskId/pattern");
        assert_eq!(at(MODEL, k), (8, 5, "pattern"));
        assert_eq!((k.start, k.end), (123, 130));
        let v = value(&idx, "shapes/TaskId/pattern");
        assert_eq!(at(MODEL, v), (8, 14, r#""^(task-[0-9a-f]{17,})$""#));
        assert_eq!((v.start, v.end), (132, 156));

        let v = value(&idx, "shapes/Req/members/1/target");
        assert_eq!(at(MODEL, v), (18, 17, "strng"));
        assert_eq!((v.start, v.end), (350, 355));
        assert_eq!(
            at(MODEL, key(&idx, "shapes/Req/members/1/target")),
            (18, 9, "target")
        );

        // Folded block scalar: from the indicator to the end of its last content line.
        let v = value(&idx, "shapes/Req/members/0/docs");
        assert_eq!((v.line, v.column, v.start, v.end), (14, 15, 255, 313));
        assert_eq!(
            text_of(MODEL, v),
            ">-\n          Specifies the data\n          repository task."
        );

        // Sequence items: the key span is the item's `-`, the value its first key.
        let k = key(&idx, "shapes/Req/members/1");
        assert_eq!((at(MODEL, k), k.start), ((17, 7, "-"), 320));
        assert_eq!(
            at(MODEL, value(&idx, "shapes/Req/members/1")),
            (17, 9, "name")
        );
        assert_eq!(at(MODEL, key(&idx, "shapes/Req/members/0")), (12, 7, "-"));
        assert_eq!(
            at(MODEL, value(&idx, "shapes/Req/members/0/name")),
            (12, 15, "TaskId")
        );

        // Collections: a block sequence starts at its first `-`, a block mapping at its
        // first key.
        assert_eq!(at(MODEL, value(&idx, "shapes/Req/members")), (12, 7, "-"));
        assert_eq!(
            at(MODEL, key(&idx, "shapes/Req/members")),
            (11, 5, "members")
        );
        assert_eq!(at(MODEL, value(&idx, "service")), (3, 3, "provider"));
        assert_eq!(at(MODEL, value(&idx, "")), (2, 1, "service"));
        assert_eq!(at(MODEL, value(&idx, "service/name")), (4, 9, "fsx"));
        assert_eq!(at(MODEL, key(&idx, "shapes/Req")), (9, 3, "Req"));

        assert_eq!(idx.key_span(&[]), None);
        assert_eq!(idx.key_span(&path("shapes/Nope")), None);
        assert_eq!(idx.value_span(&path("shapes/Req/members/2")), None);
        assert_eq!(idx.value_span(&path("service/provider/deeper")), None);
        assert_eq!(idx.value_span(&path("shapes/Req/members/name")), None);
    }

    #[test]
    fn locate_prefers_value_then_longest_prefix() {
        let idx = PositionIndex::build(MODEL);
        assert_eq!(
            at(MODEL, idx.locate(&path("service/provider"))),
            (3, 13, "aws")
        );
        // `shapes/TaskId` exists, the rest does not: its value (first key `type`).
        assert_eq!(
            at(MODEL, idx.locate(&path("shapes/TaskId/nope/deeper"))),
            (7, 5, "type")
        );
        assert_eq!(
            at(MODEL, idx.locate(&path("shapes/Req/members/7/name"))),
            (12, 7, "-")
        );
        assert_eq!(at(MODEL, idx.locate(&path("nope"))), (2, 1, "service"));
        assert_eq!(at(MODEL, idx.locate(&[])), (2, 1, "service"));
    }

    #[test]
    fn find_key_under_is_depth_first_in_document_order() {
        let idx = PositionIndex::build(MODEL);
        let s = idx
            .find_key_under(&path("shapes/Req"), "target")
            .expect("target");
        assert_eq!(at(MODEL, s), (13, 9, "target"));
        let s = idx
            .find_key_under(&path("shapes/Req/members/1"), "target")
            .expect("target");
        assert_eq!(at(MODEL, s), (18, 9, "target"));
        let s = idx.find_key_under(&[], "type").expect("type");
        assert_eq!(at(MODEL, s), (7, 5, "type"));
        let s = idx.find_key_under(&[], "docs").expect("docs");
        assert_eq!(at(MODEL, s), (14, 9, "docs"));
        // Below, not at: the prefix's own key does not count.
        assert_eq!(idx.find_key_under(&path("shapes/Req"), "Req"), None);
        assert_eq!(idx.find_key_under(&path("service"), "target"), None);
        assert_eq!(idx.find_key_under(&path("nope"), "target"), None);
    }

    #[test]
    fn flow_style() {
        let text = "{a: 1, b: [x, y]}";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "")), (1, 1, "{"));
        assert_eq!(at(text, key(&idx, "a")), (1, 2, "a"));
        assert_eq!(at(text, value(&idx, "a")), (1, 5, "1"));
        assert_eq!(at(text, key(&idx, "b")), (1, 8, "b"));
        assert_eq!(at(text, value(&idx, "b")), (1, 11, "["));
        assert_eq!(at(text, value(&idx, "b/0")), (1, 12, "x"));
        // No `-` in a flow sequence: the item's key span is its value.
        assert_eq!(at(text, key(&idx, "b/1")), (1, 15, "y"));
        assert_eq!(value(&idx, "b/1").start, 14);
        assert_eq!(idx.value_span(&path("b/2")), None);

        let text = "k: [1, {p: q}, r: s, [t]]\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "k/1")), (1, 8, "{"));
        assert_eq!(at(text, value(&idx, "k/1/p")), (1, 12, "q"));
        // A single-pair mapping in a flow sequence starts at its key.
        assert_eq!(at(text, value(&idx, "k/2")), (1, 16, "r"));
        assert_eq!(at(text, value(&idx, "k/2/r")), (1, 19, "s"));
        assert_eq!(at(text, value(&idx, "k/3/0")), (1, 23, "t"));
    }

    #[test]
    fn scalar_styles() {
        let text = concat!(
            "a: 'it''s'\n",
            "b: \"say \\\"hi\\\"\"\n",
            "c: \"multi\n",
            "  line\"\n",
            "d: plain\n",
            "  folded  text\n",
            "e: ''\n",
            "f: |+\n",
            "  keep\n",
            "\n",
            "g: >2\n",
            "    indented\n",
            "   x\n",
            "h: |\n",
            "\n",
            "  after blank\n",
            "\n",
            "# comment\n",
            "i: |-\n",
            "j: ~\n",
        );
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(text, value(&idx, "a")), (1, 4, "'it''s'"));
        assert_eq!(at(text, value(&idx, "b")), (2, 4, "\"say \\\"hi\\\"\""));
        assert_eq!(at(text, value(&idx, "c")), (3, 4, "\"multi\n  line\""));
        assert_eq!(at(text, value(&idx, "d")), (5, 4, "plain\n  folded  text"));
        assert_eq!(at(text, value(&idx, "e")), (7, 4, "''"));
        assert_eq!(at(text, value(&idx, "f")), (8, 4, "|+\n  keep"));
        assert_eq!(
            at(text, value(&idx, "g")),
            (11, 4, ">2\n    indented\n   x")
        );
        assert_eq!(at(text, value(&idx, "h")), (14, 4, "|\n\n  after blank"));
        // An empty block scalar: its header.
        assert_eq!(at(text, value(&idx, "i")), (19, 4, "|-"));
        assert_eq!(at(text, value(&idx, "j")), (20, 4, "~"));
    }

    #[test]
    fn empty_values_sit_after_their_indicator() {
        let text = "k:\nj: 2\ns:\n  - a\n  -\n  - b\nt: !!null\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        let v = value(&idx, "k");
        assert_eq!((v.start, v.end, v.line, v.column), (2, 2, 1, 3));
        let v = value(&idx, "s/1");
        assert_eq!((v.start, v.end, v.line, v.column), (20, 20, 5, 4));
        assert_eq!(at(text, key(&idx, "s/1")), (5, 3, "-"));
        assert_eq!(at(text, value(&idx, "s/2")), (6, 5, "b"));
        let v = value(&idx, "t");
        assert_eq!((v.start, v.line, v.column), (29, 7, 3));

        // Indentless sequence with an empty first item.
        let text = "k:\n-\n- b\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "k")), (2, 1, "-"));
        assert_eq!(at(text, key(&idx, "k/0")), (2, 1, "-"));
        let v = value(&idx, "k/0");
        assert_eq!((v.start, v.end, v.line, v.column), (4, 4, 2, 2));
        assert_eq!(at(text, key(&idx, "k/1")), (3, 1, "-"));
        assert_eq!(at(text, value(&idx, "k/1")), (3, 3, "b"));
    }

    #[test]
    fn nested_block_sequences() {
        let text = "- - a\n  - b\n- c\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "")), (1, 1, "-"));
        assert_eq!(at(text, key(&idx, "0")), (1, 1, "-"));
        assert_eq!(at(text, value(&idx, "0")), (1, 3, "-"));
        assert_eq!(at(text, key(&idx, "0/0")), (1, 3, "-"));
        assert_eq!(at(text, value(&idx, "0/0")), (1, 5, "a"));
        assert_eq!(at(text, key(&idx, "0/1")), (2, 3, "-"));
        assert_eq!(at(text, value(&idx, "1")), (3, 3, "c"));
    }

    #[test]
    fn duplicate_keys_top_level_and_nested() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\n  \"c\": 3\na: 4\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        let dups = idx.duplicate_keys();
        assert_eq!(dups.len(), 3);
        assert_eq!(dups[0].0, path("b/c"));
        assert_eq!(
            (at(text, dups[0].1), at(text, dups[0].2)),
            ((3, 3, "c"), (4, 3, "c"))
        );
        // A third occurrence is reported against the first one; quoting does not matter.
        assert_eq!(dups[1].0, path("b/c"));
        assert_eq!(
            (at(text, dups[1].1), at(text, dups[1].2)),
            ((3, 3, "c"), (5, 3, "\"c\""))
        );
        assert_eq!(dups[2].0, path("a"));
        assert_eq!(
            (at(text, dups[2].1), at(text, dups[2].2)),
            ((1, 1, "a"), (6, 1, "a"))
        );
        // Like serde filling a map, the last one wins.
        assert_eq!(at(text, value(&idx, "a")), (6, 4, "4"));
        assert_eq!(at(text, value(&idx, "b/c")), (5, 8, "3"));

        // Keys under a shadowed entry are not found.
        let text = "x:\n  y: 1\nx:\n  z: 2\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.find_key_under(&[], "y"), None);
        assert_eq!(idx.find_key_under(&[], "z").map(|s| s.line), Some(4));
        assert_eq!(idx.duplicate_keys().len(), 1);

        // Same key in different mappings is fine; in a flow mapping it is not.
        let text = "- a: 1\n- a: 2\n- {q: 1, q: 2}\n";
        let idx = PositionIndex::build(text);
        let dups = idx.duplicate_keys();
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].0, path("2/q"));
        assert_eq!((dups[0].1.column, dups[0].2.column), (4, 10));
    }

    #[test]
    fn crlf_line_endings() {
        let text = "a: 1\r\nb:\r\n  c: 'x'\r\n  d: |\r\n    l1\r\n    l2\r\ne: \"p\r\n  q\"\r\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        let v = value(&idx, "a");
        assert_eq!((at(text, v), v.start), ((1, 4, "1"), 3));
        let k = key(&idx, "b/c");
        assert_eq!((at(text, k), k.start), ((3, 3, "c"), 12));
        assert_eq!(at(text, value(&idx, "b/c")), (3, 6, "'x'"));
        // The block scalar ends before the `\r` of its last line.
        assert_eq!(
            at(text, value(&idx, "b/d")),
            (4, 6, "|\r\n    l1\r\n    l2")
        );
        assert_eq!(at(text, value(&idx, "e")), (7, 4, "\"p\r\n  q\""));
        assert_eq!(
            idx.span_at(1, 5),
            Span {
                start: 4,
                end: 4,
                line: 1,
                column: 5
            }
        );
        // A lone `\r` breaks lines too, as in yaml-rust2.
        let text = "a: 1\rb: 2\r";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "b")), (2, 4, "2"));
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let text = "\u{feff}a: 1\nb: x\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        let k = key(&idx, "a");
        assert_eq!((at(text, k), k.start), ((1, 1, "a"), 3));
        let v = value(&idx, "a");
        assert_eq!((at(text, v), v.start), ((1, 4, "1"), 6));
        assert_eq!(at(text, value(&idx, "b")), (2, 4, "x"));
        assert_eq!(
            idx.span_at(1, 1),
            Span {
                start: 3,
                end: 4,
                line: 1,
                column: 1
            }
        );
        let empty = PositionIndex::build("\u{feff}");
        assert_eq!(
            empty.locate(&path("a")),
            Span {
                start: 3,
                end: 3,
                line: 1,
                column: 1
            }
        );
    }

    #[test]
    fn non_ascii_text_counts_chars_for_columns_and_bytes_for_offsets() {
        let text = "é: ünï\nkey: {ä: 1, ß: 𝄞x}\nd: |\n  ünïcödé → 𝄞\nafter: v\n\"ö\": 'ü'\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        let v = value(&idx, "é");
        assert_eq!((at(text, v), v.start, v.end), ((1, 4, "ünï"), 4, 9));
        let k = key(&idx, "key/ß");
        assert_eq!((at(text, k), k.start), ((2, 13, "ß"), 23));
        let v = value(&idx, "key/ß");
        assert_eq!((at(text, v), v.start, v.end), ((2, 16, "𝄞x"), 27, 32));
        assert_eq!(at(text, value(&idx, "d")), (3, 4, "|\n  ünïcödé → 𝄞"));
        // yaml-rust2's char index drifts after a non-ASCII block scalar line; ours does not.
        let k = key(&idx, "after");
        assert_eq!(
            (at(text, k), &text[k.start..]),
            ((5, 1, "after"), "after: v\n\"ö\": 'ü'\n")
        );
        assert_eq!(at(text, key(&idx, "ö")), (6, 1, "\"ö\""));
        assert_eq!(at(text, value(&idx, "ö")), (6, 6, "'ü'"));
        assert_eq!(
            idx.span_at(2, 13),
            Span {
                start: 23,
                end: 25,
                line: 2,
                column: 13
            }
        );
        assert_eq!(
            idx.span_at(2, 16),
            Span {
                start: 27,
                end: 31,
                line: 2,
                column: 16
            }
        );
    }

    #[test]
    fn tabs_count_as_one_column() {
        let text = "a: x\t# comment\nb: \tvalue\t\nc: 'p\tq'\nd: [\tr,\ts ]\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(text, value(&idx, "a")), (1, 4, "x"));
        assert_eq!(at(text, value(&idx, "b")), (2, 5, "value"));
        assert_eq!(at(text, value(&idx, "c")), (3, 4, "'p\tq'"));
        assert_eq!(at(text, value(&idx, "d/1")), (4, 9, "s"));
        assert_eq!(
            idx.span_at(2, 4),
            Span {
                start: 18,
                end: 19,
                line: 2,
                column: 4
            }
        );

        // `key:<tab>value` is rejected by yaml-rust2 (serde_yaml accepts it): indexing
        // stops there, with what came before kept.
        let text = "a: 1\nb:\tx\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        let (err, _) = idx.syntax_error().expect("yaml-rust2 rejects `b:<tab>x`");
        assert_eq!(err.line, 2);
        assert_eq!(at(text, value(&idx, "a")), (1, 4, "1"));
        assert_eq!(idx.key_span(&path("b")), None);
    }

    #[test]
    fn syntax_error_keeps_what_came_before() {
        let text = "a: 1\nb:\n  c: 2\n  d: [x, {\ne: 5\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        let (span, message) = idx.syntax_error().expect("syntax error");
        assert!(span.line >= 4, "{span:?} {message}");
        assert!(!message.is_empty());
        assert_eq!(at(text, value(&idx, "a")), (1, 4, "1"));
        assert_eq!(at(text, value(&idx, "b/c")), (3, 6, "2"));
        assert_eq!(at(text, value(&idx, "b/d/0")), (4, 7, "x"));
        assert_eq!(idx.value_span(&path("e")), None);
        assert_eq!(at(text, idx.locate(&path("e"))), (1, 1, "a"));
        // Open collections still contain what was indexed in them.
        assert_eq!(idx.find_key_under(&path("b"), "c").map(|s| s.line), Some(3));

        let text = "a: 1\nb: c: d\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert!(idx.syntax_error().is_some());
        assert_eq!(at(text, value(&idx, "a")), (1, 4, "1"));
    }

    #[test]
    fn deep_nesting_does_not_overflow_and_is_cut_at_the_limit() {
        // Flow nesting: yaml-rust2 stops at 255 levels with an error.
        // (it looks ahead for a possible `[...]: value` key, so nothing gets indexed).
        let text = "[".repeat(10_000);
        let idx = PositionIndex::build(&text);
        check_invariants(&text, &idx);
        assert!(idx.syntax_error().is_some());
        let text = "[".repeat(200) + "x" + &"]".repeat(200);
        let idx = PositionIndex::build(&text);
        check_invariants(&text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert!(!idx.depth_limit_reached());
        let v = value(&idx, &"0/".repeat(200));
        assert_eq!(at(&text, v), (1, 201, "x"));

        let text = "{a: ".repeat(10_000);
        let idx = PositionIndex::build(&text);
        check_invariants(&text, &idx);
        assert!(idx.syntax_error().is_some());

        // Block nesting has no limit in yaml-rust2: 10 000 nested sequences.
        let text = "- ".repeat(10_000) + "x\n";
        let idx = PositionIndex::build(&text);
        check_invariants(&text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert!(idx.depth_limit_reached());
        let deepest = vec![PathSeg::Index(0); PositionIndex::MAX_DEPTH];
        let v = idx.value_span(&deepest).expect("depth 256 is indexed");
        assert_eq!((v.line, v.column), (1, 2 * 256 + 1));
        let too_deep = vec![PathSeg::Index(0); PositionIndex::MAX_DEPTH + 1];
        assert_eq!(idx.value_span(&too_deep), None);
        assert_eq!(idx.locate(&too_deep), v);
        assert!(idx.nodes.len() <= PositionIndex::MAX_DEPTH + 1);

        // Nested block mappings past the limit, then a shallow key that is still indexed.
        let mut text = String::new();
        for depth in 0..300 {
            text.push_str(&" ".repeat(depth));
            text.push_str("k:\n");
        }
        text.push_str("z: 1\n");
        let idx = PositionIndex::build(&text);
        check_invariants(&text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert!(idx.depth_limit_reached());
        assert_eq!(at(&text, value(&idx, "z")), (301, 4, "1"));
        let k = vec![PathSeg::Key("k".to_owned()); 256];
        assert_eq!(
            idx.key_span(&k).map(|s| (s.line, s.column)),
            Some((256, 256))
        );
        let k = vec![PathSeg::Key("k".to_owned()); 257];
        assert_eq!(idx.key_span(&k), None);
    }

    #[test]
    fn empty_and_trivial_inputs() {
        for text in [
            "",
            "\n",
            "# only a comment\n",
            "---\n",
            "...\n",
            "\u{0}",
            "   ",
        ] {
            let idx = PositionIndex::build(text);
            check_invariants(text, &idx);
            assert_eq!(idx.key_span(&path("a")), None);
            assert_eq!(
                idx.locate(&path("a/b")),
                Span {
                    start: 0,
                    end: 0,
                    line: 1,
                    column: 1
                }
            );
            assert_eq!(idx.find_key_under(&[], "a"), None);
            assert!(idx.duplicate_keys().is_empty());
        }
        let idx = PositionIndex::build("");
        assert_eq!(idx.value_span(&[]), None);
        // A scalar document.
        let text = "hello\n";
        let idx = PositionIndex::build(text);
        assert_eq!(at(text, value(&idx, "")), (1, 1, "hello"));
        assert_eq!(idx.value_span(&path("0")), None);
    }

    #[test]
    fn anchors_aliases_and_complex_keys() {
        let text = concat!(
            "base: &b\n",
            "  x: 1\n",
            "use: *b\n",
            "list: [*b, &s y]\n",
            "? [a, b]\n",
            ": skipped\n",
            "*b : also skipped\n",
            "last: 2\n",
        );
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        assert_eq!(at(text, value(&idx, "base/x")), (2, 6, "1"));
        // An alias is indexed as its token; paths through it are not expanded.
        assert_eq!(at(text, value(&idx, "use")), (3, 6, "*b"));
        assert_eq!(idx.value_span(&path("use/x")), None);
        assert_eq!(at(text, idx.locate(&path("use/x"))), (3, 6, "*b"));
        assert_eq!(at(text, value(&idx, "list/0")), (4, 8, "*b"));
        assert_eq!(at(text, value(&idx, "list/1")), (4, 15, "y"));
        // Complex and alias keys are skipped with their values; what follows is indexed.
        assert_eq!(idx.find_key_under(&[], "a"), None);
        assert_eq!(at(text, value(&idx, "last")), (8, 7, "2"));
        assert_eq!(idx.nodes.len(), 8);
    }

    #[test]
    fn properties_directives_and_explicit_keys() {
        let text = concat!(
            "%YAML 1.2\n",
            "---\n",
            "&k key: &v !!str 5\n",
            "blk: &b !t |\n",
            "  text\n",
            "? ex\n",
            ": val\n",
            "seq:\n",
            "- &i |\n",
            "  one\n",
            "- !!str\n",
            "- two\n",
        );
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(idx.syntax_error(), None);
        // Anchors and tags are not part of the value's span.
        assert_eq!(at(text, value(&idx, "")), (3, 4, "key"));
        assert_eq!(at(text, value(&idx, "key")), (3, 18, "5"));
        assert_eq!(at(text, value(&idx, "blk")), (4, 12, "|\n  text"));
        assert_eq!(at(text, key(&idx, "ex")), (6, 3, "ex"));
        assert_eq!(at(text, value(&idx, "ex")), (7, 3, "val"));
        assert_eq!(at(text, value(&idx, "seq")), (9, 1, "-"));
        assert_eq!(at(text, key(&idx, "seq/0")), (9, 1, "-"));
        assert_eq!(at(text, value(&idx, "seq/0")), (9, 6, "|\n  one"));
        assert_eq!(at(text, key(&idx, "seq/1")), (11, 1, "-"));
        assert_eq!(at(text, value(&idx, "seq/1")), (11, 2, ""));
        assert_eq!(at(text, key(&idx, "seq/2")), (12, 1, "-"));
        assert_eq!(at(text, value(&idx, "seq/2")), (12, 3, "two"));
    }

    #[test]
    fn only_the_first_document_is_indexed() {
        let text = "---\na: 1\n---\nb: 2\n";
        let idx = PositionIndex::build(text);
        check_invariants(text, &idx);
        assert_eq!(at(text, value(&idx, "a")), (2, 4, "1"));
        assert_eq!(idx.value_span(&path("b")), None);
        // A syntax error in a later document is not the first document's business.
        let idx = PositionIndex::build("a: 1\n---\n[\n");
        assert_eq!(idx.syntax_error(), None);
    }

    #[test]
    fn span_at_clamps() {
        let text = "ab: c\né: x\n";
        let idx = PositionIndex::build(text);
        assert_eq!(
            idx.span_at(1, 1),
            Span {
                start: 0,
                end: 1,
                line: 1,
                column: 1
            }
        );
        assert_eq!(
            idx.span_at(0, 0),
            Span {
                start: 0,
                end: 1,
                line: 1,
                column: 1
            }
        );
        assert_eq!(
            idx.span_at(1, 5),
            Span {
                start: 4,
                end: 5,
                line: 1,
                column: 5
            }
        );
        // End of line: empty, before the line break.
        assert_eq!(
            idx.span_at(1, 6),
            Span {
                start: 5,
                end: 5,
                line: 1,
                column: 6
            }
        );
        assert_eq!(
            idx.span_at(1, 1000),
            Span {
                start: 5,
                end: 5,
                line: 1,
                column: 6
            }
        );
        // Columns count chars: `é` is two bytes.
        assert_eq!(
            idx.span_at(2, 1),
            Span {
                start: 6,
                end: 8,
                line: 2,
                column: 1
            }
        );
        assert_eq!(
            idx.span_at(2, 2),
            Span {
                start: 8,
                end: 9,
                line: 2,
                column: 2
            }
        );
        // The empty line after the last line break, and beyond.
        assert_eq!(
            idx.span_at(3, 1),
            Span {
                start: 12,
                end: 12,
                line: 3,
                column: 1
            }
        );
        assert_eq!(
            idx.span_at(usize::MAX, usize::MAX),
            Span {
                start: 12,
                end: 12,
                line: 3,
                column: 1
            }
        );
        let empty = PositionIndex::build("");
        assert_eq!(
            empty.span_at(7, 7),
            Span {
                start: 0,
                end: 0,
                line: 1,
                column: 1
            }
        );
    }

    /// Deterministic LCG (Knuth's MMIX constants): reproducible without a new dependency.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // The high bits are the well-mixed ones.
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    #[test]
    fn mutated_inputs_never_panic() {
        const PIECES: &[&str] = &[
            ":", " ", "-", "- ", "\n", "\r\n", "\r", "\t", "[", "]", "{", "}", ",", "\"", "'",
            "\\", "|", ">", "#", "&a", "*a", "!!str ", "? ", "---\n", "...", "é", "𝄞", "\u{feff}",
            "\u{0}", "key: ", "  ", ": |\n  ",
        ];
        let mut rng = Lcg(0x5eed);
        for _ in 0..2000 {
            let mut chars: Vec<char> = MODEL.chars().collect();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if !chars.is_empty() => {
                        let len = 1 + rng.below(8);
                        let end = (at + len).min(chars.len());
                        chars.drain(at.min(end)..end);
                    }
                    1 if !chars.is_empty() => {
                        let from = rng.below(chars.len());
                        let len = 1 + rng.below(40);
                        let copy: Vec<char> = chars[from..(from + len).min(chars.len())].to_vec();
                        chars.splice(at..at, copy);
                    }
                    _ => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        chars.splice(at..at, piece.chars());
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let idx = PositionIndex::build(&text);
            check_invariants(&text, &idx);
            for p in [
                "shapes/Req/members/1/target",
                "shapes/TaskId/pattern",
                "service",
                "",
                "0/0",
            ] {
                let p = path(p);
                let _ = idx.key_span(&p);
                let _ = idx.value_span(&p);
                let span = idx.locate(&p);
                assert!(span.end <= text.len() && text.is_char_boundary(span.start));
            }
            let _ = idx.find_key_under(&[], "target");
            let _ = idx.span_at(rng.below(30), rng.below(60));
        }
    }
}
