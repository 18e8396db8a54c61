//! EC2's XML: responses are read into the generated types through their
//! [schemas](super::schema), and written back.
//!
//! # Reading
//!
//! [`decode`] reads quick-xml's events straight into the value's
//! [slots](super::schema::Slot): no element tree, no intermediate value,
//! one pass over the bytes. Each member element is looked up in the
//! structure's schema by its name (namespace prefixes are ignored); the
//! schema's kind says how its text is written (a timestamp as RFC 3339,
//! [`Kind::DateTime`], or as epoch seconds, [`Kind::EpochSeconds`]) and which
//! child elements are a list's items ([`ListSchema::xml_item`]); the slot
//! says what Rust value the text becomes. Unknown elements are skipped,
//! whatever they hold, as a newer service may add them. Nesting is read with
//! an explicit depth count: skipping never recurses, and known structures
//! recurse only as deep as the input nests, which is bounded by
//! [`MAX_DEPTH`], so no input can overflow the stack.
//!
//! [`parse`] reads a small document (an `<Errors>` response) into an
//! [`Element`] tree on the same event layer, under the same rules.
//!
//! # Strictness
//!
//! EC2 sends well-formed XML 1.0 documents, so anything else is an error
//! rather than something to guess at. Each rule has a test below.
//!
//! 1. **One root element.** Before it, only the XML declaration (first, if
//!    at all, after an optional byte order mark, and as XML 1.0's grammar
//!    says: `version="1.x"`, then optionally `encoding="UTF-8"`, the text's
//!    own encoding, then optionally `standalone="yes"` or `"no"`), comments, processing
//!    instructions and whitespace (space, tab, CR, LF); after it, only
//!    comments, processing instructions and whitespace. Text, a reference,
//!    CDATA or a second element outside the root is an error, and so is a
//!    document type declaration (EC2 sends none, and a DTD is how entity
//!    expansion attacks start).
//! 2. **XML 1.0 characters only.** A character outside the `Char`
//!    production (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE,
//!    U+FFFF), raw anywhere in the document or as a character reference,
//!    is an error. Only the five predefined entities are known; any other
//!    `&name;` is an error.
//! 3. **Well-formed.** Tags must match, the document must not end inside
//!    the root (a truncated body is an error, not a partial value),
//!    element and attribute names and processing instruction targets must
//!    be XML names (a PI target not `xml` in any case), comments must not
//!    contain `--`, text must not contain `]]>`, attributes must be quoted,
//!    separated by whitespace, free of a raw `<`, and not repeated, and
//!    elements may nest at most [`MAX_DEPTH`] deep.
//! 4. **Leaf text is taken exactly as sent, for every scalar kind alike.**
//!    The text of a scalar member is its character data with entities and
//!    character references resolved and line ends normalized as XML 1.0
//!    requires (CR and CRLF read as LF, section 2.11), and nothing else: no
//!    whitespace is trimmed. So `<state>\n  pending\n</state>` is the
//!    undocumented enum value `"\n  pending\n"` (kept, as every unknown
//!    enum value is), a string keeps its spaces, and ` 42`, ` true`, a
//!    timestamp or a blob with surrounding whitespace are errors. This is
//!    what the AWS SDK for Rust does: its XML parsers (smithy-rs
//!    `XmlBindingTraitParserGenerator`) hand `aws_smithy_xml::decode::try_data`'s
//!    text, untrimmed, to `From<&str>` for enums, `parse_smithy_primitive`
//!    for numbers and booleans, `DateTime::from_str` for timestamps and the
//!    base64 decoder for blobs. (botocore does not trim either, in
//!    `_text_content`, but then leaves it to Python's `int()` and
//!    `float()`, which accept surrounding whitespace, while its booleans
//!    compare exactly: not one rule.) Booleans are `true` or `false`,
//!    integers fit their slot (`i32` or `i64`), floats are finite or
//!    exactly `NaN`, `Infinity`, `-Infinity` (Smithy's forms; Rust's `inf`
//!    is not one), epoch seconds are finite.
//! 5. **Scalars hold text only, structures and lists hold elements only.**
//!    An element inside a scalar member is an error (as `try_data` says:
//!    "looking for a data element"); text other than whitespace directly
//!    inside a structure or a list is an error. Inside a list, elements
//!    other than the list's item element (`item`) are skipped as unknown.
//!    A map is `<entry><key>…</key><value>…</value></entry>` elements (other
//!    elements skipped); an entry needs its key, before its value, and its
//!    value, each once; a later entry of the same key replaces the earlier.
//!    A map of [`Kind::XmlMap`] names its key and value elements itself
//!    (`<entry><K>…</K><V>…</V></entry>`).
//! 6. **A member at most once.** A structure member that appears twice is an
//!    error, not silently the first or the last. A flattened list
//!    ([`ListSchema::flattened`]) is the exception: each of its elements is
//!    an item, appended in document order; so is a flattened map
//!    ([`MapSchema::flattened`](super::schema::MapSchema::flattened)), each
//!    of whose elements is one entry (its key and value inside).
//! 7. **Required members are there.** A member the schema marks required
//!    that the structure's element lacks is an error naming it.
//!
//! Errors name the path of the element they are in
//! (`DescribeBundleTasksResponse.bundleInstanceTasksSet[0].startTime`); an
//! error outside the root element has an empty path. Errors of the XML
//! itself also say the byte offset. A root element of the wrong name is
//! reported only once the document is known to be well-formed, so that a
//! malformed body is always reported as malformed.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesStart, Event};

use super::schema::{Empty, Kind, ListSchema, ListSlot, MapSlot, MemberSchema, Ref, Shape, Slot, StructSchema};
use super::{BuildError, DecodeError};

/// Deepest element nesting accepted; EC2 responses nest a few levels.
pub const MAX_DEPTH: usize = 64;

/// The longest piece of offending text an error message quotes.
const QUOTE_MAX: usize = 64;

/// An XML element: local name, child elements and text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// Name without namespace prefix.
    pub name: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The text directly inside the element, entities resolved.
    pub text: String,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses a (small) document into its root element, under the rules of the
/// module docs.
pub fn parse(xml: &str) -> Result<Element, DecodeError> {
    let mut events = Events::new(xml).map_err(Error::into_decode_error)?;
    parse_tree(&mut events).map_err(Error::into_decode_error)
}

fn parse_tree(events: &mut Events<'_>) -> Result<Element, Error> {
    let root = events.root()?;
    let mut stack = vec![Element { name: lossy(root.local_name().as_ref()), ..Element::default() }];
    loop {
        match events.next()? {
            Step::Open(name) => {
                stack.push(Element { name: lossy(local(&name)), ..Element::default() });
            }
            Step::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text);
                }
            }
            Step::Space(space) => {
                let text = events.text(space.into_inner())?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text);
                }
            }
            Step::Close => {
                let Some(done) = stack.pop() else {
                    return Err(events.error("a closing tag without an opening one"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => {
                        events.end()?;
                        return Ok(done);
                    }
                }
            }
        }
    }
}

/// Reads a response whose root element is `root` (`CancelBundleTaskResponse`).
pub fn decode<T: Shape + Empty>(xml: &str, root: &str) -> Result<T, DecodeError> {
    let mut out = T::empty();
    decode_into(xml, root, None, &mut out).map_err(Error::into_decode_error)?;
    Ok(out)
}

/// Reads an AWS query response: the value is the root's (`GetUserResponse`)
/// child element `wrapper` (`GetUserResult`); the root's other children
/// (`ResponseMetadata`) are skipped. A root without the wrapper is a value
/// with every member absent (an operation whose output has no members is
/// sent so), still checked for its required members; a second wrapper is
/// an error, as a member twice is (rule 6).
pub fn decode_wrapped<T: Shape + Empty>(xml: &str, root: &str, wrapper: &'static str) -> Result<T, DecodeError> {
    let mut out = T::empty();
    decode_into(xml, root, Some(wrapper), &mut out).map_err(Error::into_decode_error)?;
    Ok(out)
}

/// Reads a REST-XML body into `out`: the members are the children of the
/// root element, whatever the root's name.
pub fn decode_any_root(xml: &str, out: &mut dyn Shape) -> Result<(), DecodeError> {
    let mut events = Events::new(xml).map_err(Error::into_decode_error)?;
    events.root().map_err(Error::into_decode_error)?;
    read_struct(&mut events, out).map_err(Error::into_decode_error)?;
    events.end().map_err(Error::into_decode_error)
}

/// The body of [`decode`] and [`decode_wrapped`], not generic, so that it
/// is compiled once.
fn decode_into(xml: &str, root: &str, wrapper: Option<&'static str>, out: &mut dyn Shape) -> Result<(), Error> {
    let mut events = open_root(xml, root)?;
    match wrapper {
        None => read_struct(&mut events, out)?,
        Some(wrapper) => read_wrapper(&mut events, wrapper, out)?,
    }
    events.end()
}

/// The document's events past the start tag of its root element, which
/// must be named `root`.
fn open_root<'x>(xml: &'x str, root: &str) -> Result<Events<'x>, Error> {
    let mut events = Events::new(xml)?;
    let start = events.root()?;
    if start.local_name().as_ref() != root.as_bytes() {
        let found = lossy(start.local_name().as_ref());
        // A document that is not well-formed XML is reported as that first,
        // whatever its root.
        events.skip()?;
        events.end()?;
        return Err(Error::at("", format!("expected the root element `{root}`, found `{}`", quote(&found))));
    }
    Ok(events)
}

/// Reads the root's children through its end tag: the one named `wrapper`
/// into `out`, the others skipped.
fn read_wrapper(events: &mut Events<'_>, wrapper: &'static str, out: &mut dyn Shape) -> Result<(), Error> {
    let mut found = false;
    loop {
        match events.next()? {
            Step::Open(name) if local(&name) == wrapper.as_bytes() => {
                if found {
                    return Err(events.error(format!("a second `{}` element", quote(wrapper))));
                }
                found = true;
                events.path.push(Segment::Member(wrapper));
                read_struct(events, out)?;
                events.path.pop();
            }
            Step::Open(_) => events.skip()?,
            Step::Space(_) => {}
            Step::Text(text) => return Err(events.error(format!("text `{}` inside the root element", quote(&text)))),
            Step::Close if found => return Ok(()),
            Step::Close => return check_required(events, out.dyn_schema(), &Seen::new(out.dyn_schema().members.len())),
        }
    }
}

/// Reads the structure at `path` (`["Response", "Errors", "Error"]`, the
/// root's name first): the first element of each name inside the one
/// before, other elements skipped. The whole document is read under the
/// rules of the module docs; one without the path is an error naming the
/// element that is missing.
pub fn decode_at<T: Shape + Empty>(xml: &str, path: &[&'static str]) -> Result<T, DecodeError> {
    let mut out = T::empty();
    decode_at_into(xml, path, &mut out).map_err(Error::into_decode_error)?;
    Ok(out)
}

/// The body of [`decode_at`], not generic, so that it is compiled once.
fn decode_at_into(xml: &str, path: &[&'static str], out: &mut dyn Shape) -> Result<(), Error> {
    let Some((root, inner)) = path.split_first() else {
        return Err(Error::at("", "no element to read"));
    };
    let mut events = open_root(xml, root)?;
    for name in inner {
        loop {
            match events.next()? {
                Step::Open(open) if local(&open) == name.as_bytes() => break,
                Step::Open(_) => events.skip()?,
                Step::Close => return Err(Error::at(events.inner_path(), format!("no `<{name}>` element"))),
                Step::Text(_) | Step::Space(_) => {}
            }
        }
        events.path.push(Segment::Member(name));
    }
    read_struct(&mut events, out)?;
    // The rest of each element around the structure, then the document's end.
    for _ in inner {
        events.path.pop();
        events.skip()?;
    }
    events.end()
}

/// A name without its namespace prefix: what follows the first colon, as
/// quick-xml's `local_name` has it.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or_default(),
        None => name,
    }
}

/// Whether `name` is an XML 1.0 `Name` (productions 4, 4a and 5).
fn is_name(name: &[u8]) -> bool {
    let ascii_start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':';
    let ascii_char = |b: u8| ascii_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.';
    match name.split_first() {
        None => false,
        Some((&first, rest)) if name.is_ascii() => ascii_start(first) && rest.iter().all(|&b| ascii_char(b)),
        Some(_) => {
            let Ok(text) = std::str::from_utf8(name) else { return false };
            let mut chars = text.chars();
            chars.next().is_some_and(is_name_start) && chars.all(|c| is_name_start(c) || is_name_char(c))
        }
    }
}

fn is_name_start(c: char) -> bool {
    matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// At most [`QUOTE_MAX`] characters of `text`, for a message.
fn quote(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE_MAX) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", text.get(..at).unwrap_or_default())),
    }
}

/// XML's `S` production: space, tab, CR, LF. Every document is checked
/// for other C0 controls first ([`scan_chars`]), so a byte at or below
/// the space is one of these four. Eight bytes at a time: a byte `b` is
/// above the space when `(b & 0x7F) + 0x5F` or `b` has its high bit set,
/// and the sum cannot carry into the next byte.
fn is_xml_space(text: &[u8]) -> bool {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ADD: u64 = 0x5F5F_5F5F_5F5F_5F5F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = text.chunks_exact(8);
    for word in &mut words {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else { return false };
        let x = u64::from_le_bytes(bytes);
        if (((x & LOW) + ADD) | x) & HIGH != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|&b| b <= b' ')
}

/// XML 1.0's `Char` production (a `char` is never a surrogate).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether the document has a CR, or else the byte offset and the
/// character of the first character XML 1.0 does not allow: a C0 control
/// other than tab, LF and CR, or U+FFFE / U+FFFF (UTF-8 `EF BF BE` /
/// `EF BF BF`). Branch-free over blocks, so it costs little beside the
/// parse.
fn scan_chars(xml: &str) -> Result<bool, (usize, char)> {
    const BLOCK: usize = 64;
    let bytes = xml.as_bytes();
    let mut has_cr = false;
    for (block_index, block) in bytes.chunks(BLOCK).enumerate() {
        // Until the first CR, a CR makes its block suspect too.
        let cr_known = has_cr;
        let suspect = block.iter().fold(false, |acc, &b| {
            let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
            acc | control | (b == 0xEF) | (!cr_known & (b == b'\r'))
        });
        if !suspect {
            continue;
        }
        let base = block_index * BLOCK;
        for (offset, &b) in block.iter().enumerate() {
            let at = base + offset;
            has_cr |= b == b'\r';
            if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
                return Err((at, char::from(b)));
            }
            if b == 0xEF && bytes.get(at + 1) == Some(&0xBF) {
                match bytes.get(at + 2) {
                    Some(0xBE) => return Err((at, '\u{FFFE}')),
                    Some(0xBF) => return Err((at, '\u{FFFF}')),
                    _ => {}
                }
            }
        }
    }
    Ok(has_cr)
}

/// A decode error: where and what. Boxed, so that every `Result` the
/// decoder passes up is hardly bigger than its value.
#[derive(Debug)]
struct Error(Box<DecodeError>);

impl Error {
    #[cold]
    fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error(Box::new(DecodeError::new(path, message)))
    }

    fn into_decode_error(self) -> DecodeError {
        *self.0
    }
}

/// One step of the path to an element.
#[derive(Debug, Clone, Copy)]
enum Segment {
    /// A structure member, by wire name.
    Member(&'static str),
    /// A list item, by position.
    Index(usize),
}

/// What the decoder sees inside the root element.
enum Step<'a> {
    /// An element opens: its name, with any namespace prefix (see
    /// [`local`]; EC2 uses none, so lookups try the whole name first).
    Open(Cow<'a, [u8]>),
    /// The innermost open element closes.
    Close,
    /// Character data: text, CDATA, or a resolved reference.
    Text(Cow<'a, str>),
    /// Text that is only whitespace (the indentation between elements),
    /// left unconverted until a scalar wants it.
    Space(quick_xml::events::BytesText<'a>),
}

/// quick-xml's events with the rules of the module docs applied, and the
/// path to the current element for errors.
struct Events<'a> {
    /// The document (after any byte order mark), which the reader's
    /// borrowed text is a part of.
    xml: &'a str,
    /// Whether the document has a CR anywhere, which text must then have
    /// normalized (XML 1.0, section 2.11).
    has_cr: bool,
    reader: quick_xml::Reader<&'a [u8]>,
    /// Open elements, the root included.
    depth: usize,
    /// The root element's name, the first segment of every path inside it.
    root_name: String,
    /// The path below the root.
    path: Vec<Segment>,
    /// The attributes of the element opened last (name with any prefix,
    /// value unescaped), for a structure's `xmlAttribute` members; empty
    /// for an element without any (every EC2 element).
    attributes: Vec<(Vec<u8>, String)>,
}

impl<'a> Events<'a> {
    fn new(xml: &'a str) -> Result<Self, Error> {
        let has_cr = scan_chars(xml).map_err(|(at, c)| {
            let code = u32::from(c);
            Error::at("", format!("the character U+{code:04X}, which XML 1.0 does not allow (at byte {at})"))
        })?;
        // A byte order mark may precede the document (XML 1.0, appendix F).
        let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
        let mut reader = quick_xml::Reader::from_str(xml);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.check_comments = true;
        config.trim_text(false);
        Ok(Events { xml, has_cr, reader, depth: 0, root_name: String::new(), path: Vec::new(), attributes: Vec::new() })
    }

    /// The current path, as [`DecodeError::path`] spells it.
    fn path_string(&self) -> String {
        if self.depth == 0 && self.path.is_empty() {
            return String::new();
        }
        self.inner_path()
    }

    /// The path of member `wire` of the structure whose end tag was just
    /// read (the root's too, which [`Self::path_string`] would call
    /// outside).
    fn member_path(&self, wire: &str) -> String {
        let mut out = self.inner_path();
        out.push('.');
        out.push_str(wire);
        out
    }

    /// The root's name and the path below it.
    fn inner_path(&self) -> String {
        let mut out = self.root_name.clone();
        for segment in &self.path {
            match segment {
                Segment::Member(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// An error at the current element, with the byte offset.
    #[cold]
    fn error(&self, message: impl fmt::Display) -> Error {
        Error::at(self.path_string(), format!("{message} (at byte {})", self.reader.buffer_position()))
    }

    /// An error at the current element, without a byte offset (the value
    /// is wrong, not the XML).
    #[cold]
    fn invalid(&self, message: impl Into<String>) -> Error {
        Error::at(self.path_string(), message)
    }

    #[cold]
    fn malformed(&self, error: quick_xml::Error) -> Error {
        self.error(format!("malformed XML: {error}"))
    }

    fn read(&mut self) -> Result<Event<'a>, Error> {
        match self.reader.read_event() {
            Ok(event) => Ok(event),
            Err(e) => Err(self.malformed(e)),
        }
    }

    /// Reads up to the root element's start tag (rule 1).
    fn root(&mut self) -> Result<BytesStart<'a>, Error> {
        let mut first = true;
        loop {
            let event = self.read()?;
            match event {
                Event::Start(start) => {
                    self.check_name(start.name().as_ref(), "element")?;
                    self.check_attributes(&start)?;
                    self.depth = 1;
                    self.root_name = lossy(start.local_name().as_ref());
                    return Ok(start);
                }
                Event::Decl(decl) if first => self.check_declaration(&decl)?,
                Event::Decl(_) => return Err(self.error("an XML declaration that is not at the start")),
                Event::PI(pi) => self.check_pi(&pi)?,
                Event::Comment(_) => {}
                Event::Text(text) if is_xml_space(&text) => {}
                Event::DocType(_) => return Err(self.error("a document type declaration, which is not accepted")),
                Event::Eof => return Err(self.error("no root element")),
                Event::Empty(_) | Event::End(_) | Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.error("content before the root element"));
                }
            }
            first = false;
        }
    }

    /// Reads what follows the root element, which must be nothing but
    /// comments, processing instructions and whitespace (rule 1).
    fn end(&mut self) -> Result<(), Error> {
        loop {
            let event = self.read()?;
            match event {
                Event::Eof => return Ok(()),
                Event::PI(pi) => self.check_pi(&pi)?,
                Event::Comment(_) => {}
                Event::Text(text) if is_xml_space(&text) => {}
                _ => return Err(self.error("content after the root element")),
            }
        }
    }

    /// Attributes are not read, but must be well-formed: quoted, not
    /// repeated, their references known (rules 2 and 3).
    /// The XML declaration's grammar (XML 1.0 production 23): `version`
    /// (`1.` and digits), then optionally `encoding` (UTF-8, the encoding
    /// the text was read in), then optionally `standalone` (`yes` or `no`),
    /// each once, quoted, and nothing else.
    fn check_declaration(&self, decl: &quick_xml::events::BytesDecl<'_>) -> Result<(), Error> {
        let bad = |why: String| self.error(format!("a malformed XML declaration: {why}"));
        let content: &[u8] = decl;
        let content = std::str::from_utf8(content).map_err(|e| bad(e.to_string()))?;
        let start = BytesStart::from_content(content, 3);
        let mut expected: &[&str] = &["version", "encoding", "standalone"];
        let mut any = false;
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| bad(e.to_string()))?;
            let name = lossy(attribute.key.as_ref());
            let Some(at) = expected.iter().position(|e| *e == name) else {
                return Err(bad(format!("`{}` where {} may be", quote(&name), expected.first().map_or("nothing".to_string(), |e| format!("`{e}`")))));
            };
            if !any && at != 0 {
                return Err(bad("`version` must come first".to_string()));
            }
            any = true;
            let value = lossy(&attribute.value);
            let fine = match name.as_str() {
                "version" => value.strip_prefix("1.").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
                "encoding" => value.eq_ignore_ascii_case("UTF-8"),
                _ => value == "yes" || value == "no",
            };
            if !fine {
                return Err(bad(format!("`{name}=\"{}\"` (the text is read as UTF-8 XML 1.x)", quote(&value))));
            }
            expected = &expected[at + 1..];
        }
        if !any {
            return Err(bad("no `version`".to_string()));
        }
        Ok(())
    }

    /// An element or attribute name is an XML `Name` (production 5).
    #[inline]
    fn check_name(&self, name: &[u8], what: &str) -> Result<(), Error> {
        if is_name(name) {
            return Ok(());
        }
        Err(self.error(format!("the {what} name `{}`, which is not an XML name", quote(&lossy(name)))))
    }

    /// A processing instruction's target is a `Name` other than `xml` in
    /// any case (production 17), followed by whitespace or its end.
    fn check_pi(&self, pi: &quick_xml::events::BytesPI<'_>) -> Result<(), Error> {
        let target = pi.target();
        if !is_name(target) || target.eq_ignore_ascii_case(b"xml") {
            return Err(self.error(format!(
                "the processing instruction target `{}`, which is not a name or is reserved",
                quote(&lossy(target))
            )));
        }
        Ok(())
    }

    fn check_attributes(&mut self, start: &BytesStart<'a>) -> Result<(), Error> {
        self.attributes.clear();
        if start.attributes_raw().is_empty() {
            return Ok(());
        }
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.error(format!("malformed attribute: {e}")))?;
            self.check_name(attribute.key.as_ref(), "attribute")?;
            // XML 1.0 production 10: a raw `<` never appears in a value.
            if attribute.value.contains(&b'<') {
                return Err(self.error("malformed attribute: `<` in its value"));
            }
            let value = attribute
                .decode_and_unescape_value(self.reader.decoder())
                .map_err(|e| self.error(format!("malformed attribute: {e}")))?;
            self.attributes.push((attribute.key.as_ref().to_vec(), value.into_owned()));
        }
        // Production 40: attributes are separated by whitespace.
        let raw = start.attributes_raw();
        let mut quote_open = None;
        for (i, &b) in raw.iter().enumerate() {
            match quote_open {
                Some(q) if b == q => {
                    quote_open = None;
                    if raw.get(i + 1).is_some_and(|next| !matches!(next, b' ' | b'\t' | b'\r' | b'\n')) {
                        return Err(self.error("malformed attribute: no whitespace after its value"));
                    }
                }
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote_open = Some(b),
                None => {}
            }
        }
        Ok(())
    }

    /// Character data as text, line ends normalized (XML 1.0, section
    /// 2.11: CR LF and CR read as LF).
    fn text(&self, raw: Cow<'a, [u8]>) -> Result<Cow<'a, str>, Error> {
        let text = match raw {
            Cow::Borrowed(bytes) => Cow::Borrowed(self.as_str(bytes)?),
            Cow::Owned(bytes) => {
                Cow::Owned(String::from_utf8(bytes).map_err(|e| self.error(format!("bad text: {e}")))?)
            }
        };
        if self.has_cr && text.contains('\r') {
            return Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")));
        }
        Ok(text)
    }

    /// `bytes`, a part of the document the reader handed back, as the
    /// `str` it is a part of: found by address, so it need not be checked
    /// as UTF-8 again (if it is not found, it is checked).
    fn as_str(&self, bytes: &'a [u8]) -> Result<&'a str, Error> {
        match self.in_document(bytes) {
            Some(text) => Ok(text),
            None => std::str::from_utf8(bytes).map_err(|e| self.error(format!("bad text: {e}"))),
        }
    }

    /// The part of the document that `bytes` is, if it is one (by address
    /// and length; `get` checks the bounds and the character boundaries).
    fn in_document(&self, bytes: &[u8]) -> Option<&'a str> {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.xml.as_ptr() as usize);
        start
            .checked_add(bytes.len())
            .and_then(|end| self.xml.get(start..end))
            .filter(|text| text.as_ptr() == bytes.as_ptr())
    }

    /// An element's name (with any namespace prefix), borrowed from the
    /// document rather than from the event.
    fn qualified_name(&self, start: &BytesStart<'a>) -> Cow<'a, [u8]> {
        let name = start.name();
        match self.in_document(name.as_ref()) {
            Some(name) => Cow::Borrowed(name.as_bytes()),
            None => Cow::Owned(name.as_ref().to_vec()),
        }
    }

    /// The next step inside the root element (rules 2 and 3).
    #[inline(always)]
    fn next(&mut self) -> Result<Step<'a>, Error> {
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.malformed(e)),
            };
            return Ok(match event {
                Event::Start(start) => {
                    if self.depth >= MAX_DEPTH {
                        return Err(self.error(format!("elements nested deeper than {MAX_DEPTH}")));
                    }
                    self.check_name(start.name().as_ref(), "element")?;
                    self.check_attributes(&start)?;
                    self.depth += 1;
                    Step::Open(self.qualified_name(&start))
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Step::Close
                }
                Event::Text(text) if is_xml_space(&text) => Step::Space(text),
                Event::Text(text) => {
                    // XML 1.0 production 14: character data never holds `]]>`.
                    if text.windows(3).any(|w| w == b"]]>") {
                        return Err(self.error("`]]>` in text, which XML 1.0 does not allow outside CDATA"));
                    }
                    Step::Text(self.text(text.into_inner())?)
                }
                Event::CData(data) => Step::Text(self.text(data.into_inner())?),
                Event::GeneralRef(reference) => {
                    let resolved = reference
                        .resolve_char_ref()
                        .map_err(|e| self.error(format!("bad character reference: {e}")))?;
                    match resolved {
                        Some(c) if is_xml_char(c) => Step::Text(Cow::Owned(c.to_string())),
                        Some(c) => {
                            let code = u32::from(c);
                            return Err(self.error(format!(
                                "a reference to U+{code:04X}, which XML 1.0 does not allow"
                            )));
                        }
                        None => {
                            let name = reference.decode().map_err(|e| self.error(format!("bad reference: {e}")))?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(text) => Step::Text(Cow::Borrowed(text)),
                                None => return Err(self.error(format!("unknown entity `&{}`;", quote(&name)))),
                            }
                        }
                    }
                }
                Event::PI(pi) => {
                    self.check_pi(&pi)?;
                    continue;
                }
                Event::Comment(_) => continue,
                Event::Empty(_) => return Err(self.error("an unexpanded empty element")),
                Event::Decl(_) => return Err(self.error("an XML declaration inside the root element")),
                Event::DocType(_) => return Err(self.error("a document type declaration, which is not accepted")),
                Event::Eof => return Err(self.error("the document ended before its root element closed")),
            });
        }
    }

    /// Skips the rest of the element just opened, however deep (within
    /// [`MAX_DEPTH`]), without recursion.
    fn skip(&mut self) -> Result<(), Error> {
        let mut open = 0usize;
        loop {
            match self.next()? {
                Step::Open(_) => open += 1,
                Step::Close if open == 0 => return Ok(()),
                Step::Close => open -= 1,
                Step::Text(_) | Step::Space(_) => {}
            }
        }
    }

    /// The text of the scalar element just opened, through its end tag
    /// (rules 4 and 5).
    fn leaf_text(&mut self) -> Result<Cow<'a, str>, Error> {
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.next()? {
                Step::Text(piece) => piece,
                Step::Space(space) => self.text(space.into_inner())?,
                Step::Close => return Ok(text.unwrap_or(Cow::Borrowed(""))),
                Step::Open(name) => {
                    let name = lossy(&name);
                    return Err(self.error(format!("expected text, found the element `<{}>`", quote(&name))));
                }
            };
            match &mut text {
                None => text = Some(piece),
                Some(so_far) => so_far.to_mut().push_str(&piece),
            }
        }
    }
}


/// Reads the members of the structure whose start tag was just read,
/// through its end tag, into `out` (rules 5, 6 and 7).
fn read_struct(events: &mut Events<'_>, out: &mut dyn Shape) -> Result<(), Error> {
    let schema = out.dyn_schema();
    let mut seen = Seen::new(schema.members.len());
    // The `xmlAttribute` members, from the attributes of this structure's
    // element (the one opened last); `xmlns` declarations are no members.
    if !events.attributes.is_empty() {
        let attributes = std::mem::take(&mut events.attributes);
        for (index, member) in schema.members.iter().enumerate() {
            if member.location != super::schema::Location::XmlAttribute {
                continue;
            }
            let Some((_, value)) = attributes.iter().find(|(k, _)| k.as_slice() == member.wire.as_bytes() || local(k) == member.wire.as_bytes()) else {
                continue;
            };
            if let Some(mut slot) = out.field_mut(index) {
                if let Slot::Option(option) = slot {
                    slot = option.fill();
                }
                events.path.push(Segment::Member(member.wire));
                let read = read_scalar(events, member.kind, slot, Cow::Borrowed(value.as_str()));
                events.path.pop();
                read?;
            }
        }
    }
    // Where the member after the last one found is: services send members
    // in model order, so the lookup starts there.
    let mut next = 0usize;
    // Items read so far of each flattened list (member index, count).
    let mut flattened: Vec<(usize, usize)> = Vec::new();
    loop {
        match events.next()? {
            Step::Open(name) => {
                let found = find_member(schema.members, next, &name).or_else(|| {
                    let local = local(&name);
                    (local.len() < name.len()).then(|| find_member(schema.members, next, local))?
                });
                let Some((index, member)) = found else {
                    events.skip()?;
                    continue;
                };
                let flat = match member.kind {
                    Kind::List(list) if list.flattened => Some(list),
                    _ => None,
                };
                let flat_map = match member.kind {
                    Kind::XmlMap(map) if map.flattened => Some(map),
                    _ => None,
                };
                if !seen.mark(index) && flat.is_none() && flat_map.is_none() {
                    return Err(events.error(format!("duplicate member `{}`", member.wire)));
                }
                events.path.push(Segment::Member(member.wire));
                if flat.is_some() || flat_map.is_some() {
                    // The element is one item (or entry); the next may be another.
                    next = index;
                    let at = match flattened.iter().position(|(i, _)| *i == index) {
                        Some(at) => at,
                        None => {
                            flattened.push((index, 0));
                            flattened.len() - 1
                        }
                    };
                    let count = flattened.get_mut(at).map_or(0, |(_, count)| {
                        *count += 1;
                        *count - 1
                    });
                    events.path.push(Segment::Index(count));
                    match (out.field_mut(index), flat, flat_map) {
                        (Some(slot), Some(list), _) => read_flattened_item(events, list, slot)?,
                        (Some(slot), None, Some(map)) => read_flattened_entry(events, map.value, super::schema::map_layout(member.kind), slot)?,
                        _ => events.skip()?,
                    }
                    events.path.pop();
                } else {
                    next = index + 1;
                    match out.field_mut(index) {
                        Some(slot) => read_value(events, member.kind, slot)?,
                        None => events.skip()?,
                    }
                }
                events.path.pop();
            }
            Step::Close => return check_required(events, schema, &seen),
            Step::Space(_) => {}
            Step::Text(text) => {
                return Err(events.error(format!("text `{}` inside a structure", quote(&text))));
            }
        }
    }
}

/// The first required member of `schema` not in `seen`, as an error naming
/// it (rule 7).
fn check_required(events: &Events<'_>, schema: &StructSchema, seen: &Seen) -> Result<(), Error> {
    // Members bound outside the body (REST headers, labels) are not its to have.
    match schema.members.iter().enumerate().find(|(i, m)| m.required && m.location == super::schema::Location::Body && !seen.has(*i)) {
        None => Ok(()),
        Some((_, member)) => Err(Error::at(events.member_path(member.wire), "the required member is missing")),
    }
}

/// The member named `name` and its index, looking from `start` on first.
fn find_member(members: &'static [MemberSchema], start: usize, name: &[u8]) -> Option<(usize, &'static MemberSchema)> {
    // Any member but an attribute: botocore reads even a response member
    // bound to a query parameter from the body.
    let is = |m: &&MemberSchema| m.wire.as_bytes() == name && m.location != super::schema::Location::XmlAttribute;
    let after = members.get(start..).unwrap_or_default();
    match after.iter().position(|m| is(&m)) {
        Some(i) => after.get(i).map(|m| (start + i, m)),
        None => {
            let i = members.iter().position(|m| is(&m))?;
            members.get(i).map(|m| (i, m))
        }
    }
}

/// Which members of a structure have been read: a bit set, in a word for
/// the structures of up to 64 members (nearly all), on the heap beyond.
enum Seen {
    Word(u64),
    Many(Vec<bool>),
}

impl Seen {
    fn new(members: usize) -> Self {
        if members <= 64 { Seen::Word(0) } else { Seen::Many(vec![false; members]) }
    }

    /// Marks member `index`; false if it was marked already.
    fn mark(&mut self, index: usize) -> bool {
        match self {
            Seen::Word(bits) => {
                let bit = u32::try_from(index).ok().and_then(|i| 1u64.checked_shl(i)).unwrap_or(0);
                let new = *bits & bit == 0;
                *bits |= bit;
                new
            }
            Seen::Many(flags) => flags.get_mut(index).is_none_or(|flag| !std::mem::replace(flag, true)),
        }
    }

    fn has(&self, index: usize) -> bool {
        match self {
            Seen::Word(bits) => {
                u32::try_from(index).ok().and_then(|i| 1u64.checked_shl(i)).is_some_and(|bit| bits & bit != 0)
            }
            Seen::Many(flags) => flags.get(index).copied().unwrap_or(false),
        }
    }
}

/// Reads the element whose start tag was just read, through its end tag,
/// into `slot`; `kind` is its schema's (rules 4 and 5).
fn read_value(events: &mut Events<'_>, kind: Kind, slot: Slot<'_>) -> Result<(), Error> {
    match slot {
        // The element is there, so the value is.
        Slot::Option(option) => read_value(events, kind, option.fill()),
        Slot::Struct(shape) => read_struct(events, shape),
        Slot::List(list) => match kind {
            Kind::List(schema) => read_list(events, schema, list),
            _ => Err(events.invalid("a list whose schema is not a list's")),
        },
        Slot::Map(map) => match kind.map_value() {
            Some(value) => read_map(events, value, super::schema::map_layout(kind), map),
            None => Err(events.invalid("a map whose schema is not a map's")),
        },
        Slot::Document(_) => Err(events.invalid("documents are not read from XML")),
        scalar => {
            let text = events.leaf_text()?;
            read_scalar(events, kind, scalar, text)
        }
    }
}

/// Reads the items of the list whose start tag was just read, through its
/// end tag: its children named `schema.xml_item` (rule 5).
fn read_list(events: &mut Events<'_>, schema: &'static ListSchema, list: &mut dyn ListSlot) -> Result<(), Error> {
    let item = schema.xml_item.as_bytes();
    let mut index = 0usize;
    loop {
        match events.next()? {
            Step::Open(name) if *name == *item || local(&name) == item => {
                events.path.push(Segment::Index(index));
                index += 1;
                read_value(events, schema.item, list.push())?;
                events.path.pop();
            }
            Step::Open(_) => events.skip()?,
            Step::Close => return Ok(()),
            Step::Space(_) => {}
            Step::Text(text) => {
                return Err(events.error(format!("text `{}` inside a list", quote(&text))));
            }
        }
    }
}

/// Reads one item of a flattened list (the element just opened) into the
/// list member's slot, appending it (rule 6).
fn read_flattened_item(events: &mut Events<'_>, schema: &'static ListSchema, slot: Slot<'_>) -> Result<(), Error> {
    match slot {
        // `fill` keeps the items already read.
        Slot::Option(option) => read_flattened_item(events, schema, option.fill()),
        Slot::List(list) => read_value(events, schema.item, list.push()),
        _ => Err(events.invalid("a list whose slot is not a list's")),
    }
}

/// Whether the element `name` (with any namespace prefix) is `wanted`.
fn named(name: &[u8], wanted: &[u8]) -> bool {
    name == wanted || local(name) == wanted
}

/// Reads the entries of the map whose start tag was just read, through its
/// end tag: its `entry` children (rule 5).
fn read_map(events: &mut Events<'_>, value: Kind, names: Layout, map: &mut dyn MapSlot) -> Result<(), Error> {
    let mut index = 0usize;
    loop {
        match events.next()? {
            Step::Open(name) if named(&name, b"entry") => {
                events.path.push(Segment::Index(index));
                index += 1;
                read_entry(events, value, names, map)?;
                events.path.pop();
            }
            Step::Open(_) => events.skip()?,
            Step::Close => return Ok(()),
            Step::Space(_) => {}
            Step::Text(text) => {
                return Err(events.error(format!("text `{}` inside a map", quote(&text))));
            }
        }
    }
}

/// A map's key and value element names, and whether it is flattened.
type Layout = (&'static str, &'static str, bool);

/// Reads one flattened map entry (the element just opened) into the map
/// member's slot, adding it (rule 6).
fn read_flattened_entry(events: &mut Events<'_>, value: Kind, names: Layout, slot: Slot<'_>) -> Result<(), Error> {
    match slot {
        // `fill` keeps the entries already read.
        Slot::Option(option) => read_flattened_entry(events, value, names, option.fill()),
        Slot::Map(map) => read_entry(events, value, names, map),
        _ => Err(events.invalid("a map whose slot is not a map's")),
    }
}

/// Reads one `<entry>` (just opened) through its end tag: its `key`, then
/// its `value`, under the map's names (rule 5).
fn read_entry(events: &mut Events<'_>, value: Kind, names: Layout, map: &mut dyn MapSlot) -> Result<(), Error> {
    let (key_name, value_name, _) = names;
    let mut key: Option<String> = None;
    let mut has_value = false;
    loop {
        match events.next()? {
            Step::Open(name) if named(&name, key_name.as_bytes()) => {
                if key.is_some() {
                    return Err(events.error("a map entry with two keys"));
                }
                key = Some(events.leaf_text()?.into_owned());
            }
            Step::Open(name) if named(&name, value_name.as_bytes()) => {
                let Some(key) = &key else {
                    return Err(events.error("a map entry's value before its key"));
                };
                if has_value {
                    return Err(events.error("a map entry with two values"));
                }
                has_value = true;
                read_value(events, value, map.insert(key.clone()))?;
            }
            Step::Open(_) => events.skip()?,
            Step::Close if key.is_none() => return Err(events.invalid("a map entry without a key")),
            Step::Close if !has_value => return Err(events.invalid("a map entry without a value")),
            Step::Close => return Ok(()),
            Step::Space(_) => {}
            Step::Text(text) => {
                return Err(events.error(format!("text `{}` inside a map entry", quote(&text))));
            }
        }
    }
}

/// Sets a scalar slot from its element's text, taken as it is (rule 4).
fn read_scalar(events: &Events<'_>, kind: Kind, slot: Slot<'_>, text: Cow<'_, str>) -> Result<(), Error> {
    match slot {
        Slot::Str(s) => *s = text.into_owned(),
        Slot::Enum(e) => e.set(&text),
        Slot::Bool(b) => {
            *b = match &*text {
                "true" => true,
                "false" => false,
                _ => return Err(expected(events, "`true` or `false`", &text)),
            }
        }
        Slot::I32(n) => *n = text.parse().map_err(|_| expected(events, "a 32-bit whole number", &text))?,
        Slot::I64(n) => *n = text.parse().map_err(|_| expected(events, "a whole number", &text))?,
        Slot::F32(n) => *n = float(&text, f32::is_finite, |f| f as f32).map_err(|what| expected(events, what, &text))?,
        Slot::F64(n) => *n = float(&text, f64::is_finite, |f| f).map_err(|what| expected(events, what, &text))?,
        Slot::Time(t) => {
            *t = match kind {
                Kind::EpochSeconds => {
                    let seconds = finite(&text, f64::is_finite)
                        .map_err(|_| expected(events, "epoch seconds (a finite number)", &text))?;
                    super::epoch_seconds::from_f64(seconds).map_err(|e| events.invalid(e))?
                }
                Kind::HttpDate => super::http_date::parse(&text).map_err(|e| events.invalid(e))?,
                _ => {
                    if has_edge_space(&text) {
                        return Err(expected(events, "a date-time without surrounding whitespace", &text));
                    }
                    time::OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
                        .map_err(|e| events.invalid(format!("invalid date-time `{}`: {e}", quote(&text))))?
                }
            }
        }
        Slot::Blob(b) => {
            if has_edge_space(&text) {
                return Err(expected(events, "base64 without surrounding whitespace", &text));
            }
            *b = super::base64_blob::decode(&text).map_err(|e| events.invalid(e))?;
        }
        Slot::Option(_) | Slot::Struct(_) | Slot::List(_) | Slot::Map(_) | Slot::Document(_) => {
            return Err(events.invalid("a scalar whose slot is not a scalar's"));
        }
    }
    Ok(())
}

/// "expected {what}, found `{text}`", at the current element.
#[cold]
fn expected(events: &Events<'_>, what: &str, text: &str) -> Error {
    events.invalid(format!("expected {what}, found `{}`", quote(text)))
}

/// A float, parsed from the text as it is; not a number or not finite
/// (Rust's parser takes `inf` and `NaN`; EC2 sends neither) says which.
fn finite<F: std::str::FromStr + Copy>(text: &str, is_finite: fn(F) -> bool) -> Result<F, &'static str> {
    let n: F = text.parse().map_err(|_| "a number")?;
    if is_finite(n) { Ok(n) } else { Err("a finite number") }
}

/// A float member: `NaN`, `Infinity` and `-Infinity` as Smithy writes
/// them, else a finite number (an overflow such as `1e39` for an `f32` is
/// not one).
fn float<F: std::str::FromStr + Copy>(text: &str, is_finite: fn(F) -> bool, narrow: fn(f64) -> F) -> Result<F, &'static str> {
    match super::schema::special_float(text) {
        Some(special) => Ok(narrow(special)),
        None => finite(text, is_finite).map_err(|_| "a finite number, `NaN`, `Infinity` or `-Infinity`"),
    }
}

/// Whether `text` starts or ends with XML whitespace.
fn has_edge_space(text: &str) -> bool {
    const XML_SPACE: [char; 4] = [' ', '\t', '\r', '\n'];
    text.starts_with(XML_SPACE) || text.ends_with(XML_SPACE)
}

/// Writes `value` as a document with root element `root` in `namespace`;
/// a value XML cannot carry is an error naming the member.
pub fn encode(value: &dyn Shape, root: &str, namespace: &str) -> Result<String, BuildError> {
    let mut out = format!("<{root} xmlns=\"{}\">", escape(namespace));
    write_struct(value, &mut out, root)?;
    out.push_str(&format!("</{root}>"));
    Ok(out)
}

/// Writes an AWS query response: `value`'s members inside `<wrapper>`
/// (`GetUserResult`) inside `<root>`, what [`decode_wrapped`] reads back.
pub fn encode_wrapped(value: &dyn Shape, root: &str, wrapper: &str, namespace: &str) -> Result<String, BuildError> {
    let mut out = format!("<{root} xmlns=\"{}\"><{wrapper}>", escape(namespace));
    write_struct(value, &mut out, root)?;
    out.push_str(&format!("</{wrapper}></{root}>"));
    Ok(out)
}

/// Writes `value`'s body members as the element `root` (a REST-XML body):
/// `xmlns="namespace"` (`xmlns:prefix=` with a prefix) when `namespace` is
/// not empty, then the value's attribute members, then its child elements.
pub fn encode_element(value: &dyn Shape, root: &str, namespace: &str, prefix: &str) -> Result<String, BuildError> {
    let mut out = format!("<{root}");
    if !namespace.is_empty() {
        let colon = if prefix.is_empty() { "" } else { ":" };
        out.push_str(&format!(" xmlns{colon}{prefix}=\"{}\"", escape(namespace)));
    }
    write_attributes(value, &mut out, root)?;
    out.push('>');
    write_struct(value, &mut out, root)?;
    out.push_str(&format!("</{root}>"));
    Ok(out)
}

/// Writes the attribute members of `value` (` name="text"`) into the open
/// start tag in `out`.
fn write_attributes(value: &dyn Shape, out: &mut String, path: &str) -> Result<(), BuildError> {
    for (index, member) in value.dyn_schema().members.iter().enumerate() {
        if member.location != super::schema::Location::XmlAttribute {
            continue;
        }
        let field = value.field(index);
        if let Some(text) = super::schema::scalar_text(&field, member.kind, &format!("{path}.{}", member.wire))? {
            out.push_str(&format!(" {}=\"{}\"", member.wire, escape(&text).replace('"', "&quot;")));
        }
    }
    Ok(())
}

/// The start tag of the element `name` holding `field`: a structure's
/// attribute members are written into it.
fn open_tag(out: &mut String, name: &str, field: &Ref<'_>, path: &str) -> Result<(), BuildError> {
    out.push('<');
    out.push_str(name);
    if let Ref::Struct(s) = field {
        write_attributes(*s, out, path)?;
    }
    out.push('>');
    Ok(())
}

fn escape(text: &str) -> String {
    // A raw CR would be read back as LF (XML 1.0, section 2.11); as a
    // character reference it survives.
    quick_xml::escape::escape(text).replace('\r', "&#xD;")
}

fn write_struct(value: &dyn Shape, out: &mut String, path: &str) -> Result<(), BuildError> {
    for (index, member) in value.dyn_schema().members.iter().enumerate() {
        // Members bound elsewhere (REST headers, labels, attributes) are not
        // child elements.
        if member.location != super::schema::Location::Body {
            continue;
        }
        let field = value.field(index);
        if matches!(field, Ref::Absent) {
            continue;
        }
        if let (Kind::XmlMap(schema), Ref::Map(map)) = (member.kind, &field) {
            if schema.flattened {
                // Each entry is an element of the member's name.
                for (key, v) in map.entries() {
                    out.push_str(&format!("<{}><{}>{}</{}><{}>", member.wire, schema.xml_key, escape(key), schema.xml_key, schema.xml_value));
                    write_value(&v, schema.value, out, &format!("{path}.{}.{key}", member.wire))?;
                    out.push_str(&format!("</{}></{}>", schema.xml_value, member.wire));
                }
                continue;
            }
        }
        if let (Kind::List(list), Ref::List(items)) = (member.kind, &field) {
            if list.flattened {
                // Each item is an element of the member's name.
                for i in 0..items.len() {
                    let item_path = format!("{path}.{}[{i}]", member.wire);
                    open_tag(out, member.wire, &items.item(i), &item_path)?;
                    write_value(&items.item(i), list.item, out, &item_path)?;
                    out.push_str(&format!("</{}>", member.wire));
                }
                continue;
            }
        }
        let member_path = format!("{path}.{}", member.wire);
        open_tag(out, member.wire, &field, &member_path)?;
        write_value(&field, member.kind, out, &member_path)?;
        out.push_str(&format!("</{}>", member.wire));
    }
    Ok(())
}

fn write_value(value: &Ref<'_>, kind: Kind, out: &mut String, path: &str) -> Result<(), BuildError> {
    match value {
        Ref::Absent => {}
        Ref::Struct(s) => write_struct(*s, out, path)?,
        Ref::List(list) => {
            let Kind::List(schema) = kind else { return Ok(()) };
            for i in 0..list.len() {
                let item_path = format!("{path}[{i}]");
                open_tag(out, schema.xml_item, &list.item(i), &item_path)?;
                write_value(&list.item(i), schema.item, out, &item_path)?;
                out.push_str(&format!("</{}>", schema.xml_item));
            }
        }
        Ref::Map(map) => {
            let value_kind = kind.map_value().unwrap_or(kind);
            let (key_name, value_name, _) = super::schema::map_layout(kind);
            for (key, v) in map.entries() {
                out.push_str(&format!("<entry><{key_name}>{}</{key_name}><{value_name}>", escape(key)));
                write_value(&v, value_kind, out, &format!("{path}.{key}"))?;
                out.push_str(&format!("</{value_name}></entry>"));
            }
        }
        scalar => {
            if let Some(text) = super::schema::scalar_text(scalar, kind, path)? {
                out.push_str(&escape(&text));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ListSchema;

    crate::schema::test_shape!(Task {
        id: Option<String> = ("taskId", "TaskId", Kind::String, false),
        done: Option<bool> = ("done", "Done", Kind::Boolean, false),
        size: Option<i64> = ("size", "Size", Kind::Integer, false),
        ratio: Option<f64> = ("ratio", "Ratio", Kind::Float, false),
    });

    crate::schema::test_shape!(Listing {
        request_id: Option<String> = ("requestId", "RequestId", Kind::String, false),
        tasks: Option<Vec<Task>> = ("taskSet", "Task", Kind::List(&ListSchema { item: Kind::Struct(<Task as Shape>::schema), xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        names: Option<Vec<String>> = ("names", "Name", Kind::List(&ListSchema { item: Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
    });

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListingResponse xmlns="urn:test">
  <requestId>req-1</requestId>
  <!-- a comment -->
  <taskSet>
    <item><taskId>t&amp;1</taskId><done>true</done><size>-42</size><ratio>0.5</ratio><future>skipped</future></item>
    <item><taskId><![CDATA[<raw>]]></taskId></item>
    <item/>
  </taskSet>
  <names><member>a</member><member>b&#x20;c</member></names>
</ListingResponse>"#;

    #[test]
    fn parse_builds_the_element_tree_with_text_resolved() {
        let root = parse(DOC).expect("parses");
        assert_eq!(root.name, "ListingResponse");
        let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["requestId", "taskSet", "names"]);
        let set = root.child("taskSet").expect("taskSet");
        assert_eq!(set.children.len(), 3);
        assert_eq!(set.children[0].child("taskId").expect("id").text, "t&1");
        assert_eq!(set.children[1].child("taskId").expect("id").text, "<raw>");
        assert_eq!(root.child("names").expect("names").children[1].text, "b c");
        assert!(root.child("missing").is_none());
    }

    #[test]
    fn decode_reads_lists_nested_structures_and_scalars_and_skips_unknown_elements() {
        let listing: Listing = decode(DOC, "ListingResponse").expect("decodes");
        assert_eq!(listing.request_id.as_deref(), Some("req-1"));
        let tasks = listing.tasks.expect("tasks");
        assert_eq!(
            tasks[0],
            Task { id: Some("t&1".into()), done: Some(true), size: Some(-42), ratio: Some(0.5) }
        );
        assert_eq!(tasks[1].id.as_deref(), Some("<raw>"));
        assert_eq!(tasks[2], Task::empty());
        assert_eq!(listing.names, Some(vec!["a".to_string(), "b c".to_string()]));
    }

    const RENAMED: crate::schema::MapSchema = crate::schema::MapSchema { value: Kind::String, xml_key: "K", xml_value: "V", flattened: false };
    const FLAT: crate::schema::MapSchema = crate::schema::MapSchema { value: Kind::Integer, xml_key: "key", xml_value: "value", flattened: true };

    crate::schema::test_shape!(Maps {
        renamed: Option<std::collections::BTreeMap<String, String>> = ("renamed", "renamed", Kind::XmlMap(&RENAMED), false),
        flat: Option<std::collections::BTreeMap<String, i32>> = ("kvp", "kvp", Kind::XmlMap(&FLAT), false),
        after: Option<String> = ("after", "after", Kind::String, false),
    });

    #[test]
    fn xml_maps_may_rename_keys_and_values_or_repeat_entries_without_a_wrapper() {
        let doc = "<R><renamed><entry><K>a</K><V>A</V></entry><entry><K>b</K><V>B</V></entry></renamed>\
                   <kvp><key>x</key><value>1</value></kvp><after>z</after><kvp><key>y</key><value>2</value></kvp></R>";
        let maps: Maps = decode(doc, "R").expect("decodes");
        assert_eq!(maps.renamed, Some([("a".to_string(), "A".to_string()), ("b".to_string(), "B".to_string())].into()));
        assert_eq!(maps.flat, Some([("x".to_string(), 1), ("y".to_string(), 2)].into()));
        assert_eq!(maps.after.as_deref(), Some("z"));
        // The default names are not the renamed map's.
        let default_names = "<R><renamed><entry><key>a</key><value>A</value></entry></renamed></R>";
        assert!(decode::<Maps>(default_names, "R").expect_err("no K").message.contains("without a key"));
        let bad = "<R><kvp><key>x</key><value>one</value></kvp></R>";
        assert_eq!(decode::<Maps>(bad, "R").expect_err("not a number").path, "R.kvp[0]");
        let written = encode(&maps, "R", "").expect("encodes");
        assert!(written.contains("<renamed><entry><K>a</K><V>A</V></entry>"), "{written}");
        assert!(written.contains("<kvp><key>x</key><value>1</value></kvp><kvp><key>y</key>"), "{written}");
        assert_eq!(decode::<Maps>(&written, "R").expect("reads back"), maps);
    }

    crate::schema::test_shape!(NeedsId {
        id: String = ("id", "Id", Kind::String, true),
    });

    #[test]
    fn decode_wrapped_reads_the_result_element_and_skips_the_metadata() {
        let doc = r#"<GetThingResponse xmlns="https://example.com/">
    <GetThingResult><requestId>in-result</requestId><names><member>a</member></names></GetThingResult>
    <ResponseMetadata><RequestId>meta</RequestId></ResponseMetadata>
</GetThingResponse>"#;
        let listing: Listing = decode_wrapped(doc, "GetThingResponse", "GetThingResult").expect("decodes");
        assert_eq!(listing.request_id.as_deref(), Some("in-result"));
        assert_eq!(listing.names, Some(vec!["a".to_string()]));
        // Members directly under the root are not the value's.
        let bare = "<R><requestId>x</requestId></R>";
        assert_eq!(decode_wrapped::<Listing>(bare, "R", "RResult").expect("decodes"), Listing::empty());
        // Without the wrapper, required members are still required.
        let err = decode_wrapped::<NeedsId>(bare, "R", "RResult").expect_err("id is required");
        assert_eq!(err.path, "R.id");
        // Errors inside it name the wrapper in their path.
        let bad = "<R><RResult><taskSet><item><done>yes</done></item></taskSet></RResult></R>";
        assert_eq!(decode_wrapped::<Listing>(bad, "R", "RResult").expect_err("bad").path, "R.RResult.taskSet[0].done");
        let written = encode_wrapped(&listing, "R", "RResult", "urn:x").expect("encodes");
        assert!(written.starts_with("<R xmlns=\"urn:x\"><RResult><requestId>in-result</requestId>"), "{written}");
        assert_eq!(decode_wrapped::<Listing>(&written, "R", "RResult").expect("reads back"), listing);
        let twice = "<R><RResult/><RResult/></R>";
        assert!(decode_wrapped::<Listing>(twice, "R", "RResult").expect_err("twice").message.contains("second `RResult`"));
        let text = "<R>loose<RResult/></R>";
        assert!(decode_wrapped::<Listing>(text, "R", "RResult").is_err());
        let wrong_root = "<Other><RResult/></Other>";
        assert!(decode_wrapped::<Listing>(wrong_root, "R", "RResult").expect_err("root").message.contains("`R`"));
    }

    #[test]
    fn decode_errors_name_the_element_path() {
        let bad_bool = "<R><taskSet><item><done>yes</done></item></taskSet></R>";
        let err = decode::<Listing>(bad_bool, "R").expect_err("not a boolean");
        assert_eq!(err.path, "R.taskSet[0].done");
        assert!(err.message.contains("`true` or `false`"), "{err}");

        let bad_int = "<R><taskSet><item/><item><size>1.5</size></item></taskSet></R>";
        assert_eq!(decode::<Listing>(bad_int, "R").expect_err("not whole").path, "R.taskSet[1].size");

        let bad_float = "<R><taskSet><item><ratio>inf</ratio></item></taskSet></R>";
        assert!(decode::<Listing>(bad_float, "R").expect_err("not finite").message.contains("finite"));

        let deep_other = decode::<Listing>(&"<Other>".repeat(MAX_DEPTH + 1), "R").expect_err("deep");
        assert!(deep_other.message.contains("nested deeper"), "malformed before wrong root: {deep_other}");

        let wrong_root = decode::<Listing>("<Other/>", "R").expect_err("root");
        assert!(wrong_root.message.contains("expected the root element `R`, found `Other`"), "{wrong_root}");
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        for xml in ["", "<", "<a>", "<a><b></a>", "</a>", "<a>&bogus;</a>", "<a>&#xFFFFFFFF;</a>", "text only"] {
            assert!(parse(xml).is_err(), "{xml:?}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).expect_err("deep").message.contains("nested deeper than 64"));
        let ok_depth = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok_depth).is_ok(), "{MAX_DEPTH} levels are allowed");
    }

    #[test]
    fn line_ends_follow_xml_1_0() {
        let root = parse("<a>x\r\ny\rz</a>").expect("parses");
        assert_eq!(root.text, "x\ny\nz");
        let root = parse("<a>x&#xD;y</a>").expect("parses");
        assert_eq!(root.text, "x\ry", "a character reference keeps the CR");
    }

    #[test]
    fn encode_escapes_text_and_round_trips() {
        let listing = Listing {
            request_id: Some("a<b>&\"c\r\nd".into()),
            tasks: Some(vec![Task { id: Some("]]>".into()), done: Some(false), size: Some(7), ratio: Some(-2.25) }, Task::empty()]),
            names: Some(vec![]),
        };
        let xml = encode(&listing, "ListingResponse", "urn:\"x\"").expect("encodes");
        assert!(xml.starts_with("<ListingResponse xmlns=\"urn:&quot;x&quot;\"><requestId>a&lt;b&gt;&amp;&quot;c&#xD;\nd</requestId>"), "{xml}");
        assert!(xml.contains("<taskSet><item><taskId>]]&gt;</taskId><done>false</done><size>7</size><ratio>-2.25</ratio></item><item></item></taskSet>"), "{xml}");
        assert!(xml.ends_with("<names></names></ListingResponse>"), "{xml}");
        let back: Listing = decode(&xml, "ListingResponse").expect("decodes");
        assert_eq!(back, listing);
    }

    // ------------------------------------------------- the rules of the module docs

    /// A generated enum's shape: any string, documented or not.
    #[derive(Debug, Clone, PartialEq)]
    enum State {
        Pending,
        Unknown(String),
    }

    impl State {
        fn as_str(&self) -> &str {
            match self {
                State::Pending => "pending",
                State::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for State {
        fn from(value: &str) -> Self {
            if value == "pending" { State::Pending } else { State::Unknown(value.to_string()) }
        }
    }

    crate::__codec_impls!(enum State);

    // A structure with every scalar slot and kind the strictness rules speak of.
    crate::schema::test_shape!(Scalars {
        text: Option<String> = ("text", "Text", Kind::String, false),
        state: Option<State> = ("state", "State", Kind::String, false),
        flag: Option<bool> = ("flag", "Flag", Kind::Boolean, false),
        count: Option<i32> = ("count", "Count", Kind::Integer, false),
        big: Option<i64> = ("big", "Big", Kind::Integer, false),
        ratio: Option<f32> = ("ratio", "Ratio", Kind::Float, false),
        wide: Option<f64> = ("wide", "Wide", Kind::Float, false),
        at: Option<time::OffsetDateTime> = ("at", "At", Kind::DateTime, false),
        epoch: Option<time::OffsetDateTime> = ("epoch", "Epoch", Kind::EpochSeconds, false),
        blob: Option<Vec<u8>> = ("blob", "Blob", Kind::Blob, false),
        tags: Option<std::collections::BTreeMap<String, String>> = ("tags", "Tags", Kind::Map(&Kind::String), false),
    });

    fn scalars(body: &str) -> Result<Scalars, DecodeError> {
        decode(&format!("<S>{body}</S>"), "S")
    }

    fn listing(xml: &str) -> Result<Listing, DecodeError> {
        decode(xml, "R")
    }

    #[test]
    fn rule_1_exactly_one_root_with_only_markup_and_whitespace_around_it() {
        let ok = [
            "<R/>",
            "<?xml version=\"1.0\"?>\n<R/>\n",
            "<?xml version='1.1' encoding=\"utf-8\" standalone='no' ?><R/>",
            "\u{FEFF}<?xml version=\"1.0\"?><R/>",
            "<!-- before --><?pi x?>\n\t<R></R><!-- after -->\r\n<?pi y?> ",
        ];
        for xml in ok {
            assert!(listing(xml).is_ok(), "{xml:?}: {:?}", listing(xml));
            assert!(parse(xml).is_ok(), "{xml:?}");
        }
        let bad = [
            ("<CancelBundleTaskResponse></CancelBundleTaskResponse><evil>&bogus; <<<", "after the root"),
            ("<R/><R/>", "after the root"),
            ("<R/>trailing", "after the root"),
            ("<R/>&amp;", "after the root"),
            ("<R/><![CDATA[x]]>", "after the root"),
            ("text<R/>", "before the root"),
            ("&amp;<R/>", "before the root"),
            ("<![CDATA[x]]><R/>", "before the root"),
            (" <?xml version=\"1.0\"?><R/>", "not at the start"),
            ("<!DOCTYPE R [<!ENTITY e \"x\">]><R/>", "document type declaration"),
            ("<?xml versiontorage>\n<S3>?><R/>", "malformed XML declaration"),
            ("<?xml?><R/>", "no `version`"),
            ("<?xml encoding=\"UTF-8\" version=\"1.0\"?><R/>", "`version` must come first"),
            ("<?xml version=\"1.0\" version=\"1.0\"?><R/>", "malformed XML declaration"),
            ("<?xml version=\"2.0\"?><R/>", "`version=\"2.0\"`"),
            ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><R/>", "`encoding=\"ISO-8859-1\"`"),
            ("<?xml version=\"1.0\" standalone=\"maybe\"?><R/>", "`standalone=\"maybe\"`"),
            ("<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><R/>", "`encoding` where nothing may be"),
            ("<?xml version='1.0' other='x'?><R/>", "`other`"),
            ("", "no root element"),
            ("<!-- only a comment -->", "no root element"),
        ];
        for (xml, why) in bad {
            let root = if xml.starts_with("<Cancel") { "CancelBundleTaskResponse" } else { "R" };
            let err = decode::<Listing>(xml, root).expect_err(xml);
            assert!(err.message.contains(why), "{xml:?}: {err}");
            assert_eq!(err.path, "", "{xml:?}: an error outside the root has no path");
            assert!(parse(xml).is_err(), "parse {xml:?}");
        }
    }

    #[test]
    fn rule_2_characters_xml_1_0_forbids_are_errors_anywhere() {
        for c in ['\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            for xml in [
                format!("<R><requestId>a{c}b</requestId></R>"),
                format!("<R><future>{c}</future></R>"),
                format!("<R/><!-- {c} -->"),
                format!("<R a=\"{c}\"/>"),
            ] {
                let err = listing(&xml).expect_err(&xml);
                assert!(err.message.contains("which XML 1.0 does not allow"), "{xml:?}: {err}");
                assert!(parse(&xml).is_err(), "parse {xml:?}");
            }
        }
        for reference in ["&#0;", "&#1;", "&#x1F;", "&#xFFFE;", "&#xFFFF;", "&#xD800;"] {
            let xml = format!("<R><requestId>{reference}</requestId></R>");
            assert!(listing(&xml).is_err(), "{xml:?}");
            assert!(parse(&xml).is_err(), "parse {xml:?}");
        }
        let allowed = "<R><requestId>\t\u{85}\u{FFFD}\u{10FFFF}&#x9;&#x10FFFF;\u{EF}</requestId></R>";
        let ok = listing(allowed).expect("tab, NEL, U+FFFD and astral characters are XML 1.0 characters");
        assert_eq!(ok.request_id.as_deref(), Some("\t\u{85}\u{FFFD}\u{10FFFF}\t\u{10FFFF}\u{EF}"));
        // Only the five predefined entities exist.
        let err = listing("<R><requestId>&nbsp;</requestId></R>").expect_err("nbsp");
        assert!(err.message.contains("unknown entity"), "{err}");
    }

    #[test]
    fn rule_3_malformed_and_truncated_documents_are_errors() {
        for xml in [
            "<R><requestId>x</names></R>",
            "<R><requestId>x</requestId>",
            "<R><!-- a -- b --></R>",
            "<R a=b></R>",
            "<R a=\"1\" a=\"2\"></R>",
            "<R a=\"&bogus;\"></R>",
            "<R><future>&bogus;</future></R>",
            "<R><requestId>a]]>b</requestId></R>",
            "<R><future>]]></future></R>",
            "<R><1a/></R>",
            "<R><a?b/></R>",
            "<R-><a.b/><-a/></R>",
            "<R 1x=\"1\"/>",
            "<R><?psta?tTime x?></R>",
            "<R/><?XML x?>",
            "<?Xml x?><R/>",
            "<R><?1pi?></R>",
            "<R a=\"<\"/>",
            "<R a=\"1\"b=\"2\"/>",
            "<R><future a='1'b='2'></future></R>",
        ] {
            assert!(listing(xml).is_err(), "{xml:?}");
            assert!(parse(xml).is_err(), "parse {xml:?}");
        }
        for xml in ["<R a = \"1\"\n b='\"&lt;' />", "<R><a.b-c_d:e/><é·x/><\u{10000}/></R>", "<R x:y-z=\"1\"><?pi-x.y content ? ><?xml-stylesheet x?></R>"] {
            assert!(parse(xml).is_ok(), "{xml:?}: {:?}", parse(xml));
        }
        let fine = listing("<R><requestId>a]]&gt;b]]</requestId><names><member><![CDATA[]]]]><![CDATA[>]]></member></names></R>").expect("escaped");
        assert_eq!(fine.request_id.as_deref(), Some("a]]>b]]"));
        // Every proper prefix of a document is an error, never a partial value.
        let end = DOC.rfind("</ListingResponse>").expect("the root's end tag");
        for cut in (0..=end + "</ListingResponse".len()).filter(|&i| DOC.is_char_boundary(i)) {
            let prefix = &DOC[..cut];
            assert!(decode::<Listing>(prefix, "ListingResponse").is_err(), "prefix of {cut} bytes: {prefix:?}");
            assert!(parse(prefix).is_err(), "prefix of {cut} bytes");
        }
        let truncated = decode::<Listing>(&DOC[..DOC.find("<taskId>").expect("a task")], "ListingResponse").expect_err("cut");
        assert_eq!(truncated.path, "ListingResponse.taskSet[0]");
        assert!(truncated.message.contains("ended before its root element closed"), "{truncated}");
    }

    #[test]
    fn rule_3_deep_unknown_elements_are_bounded_not_recursed() {
        // Far deeper than any stack would survive if skipping recursed.
        let deep = format!("<R><future>{}{}</future></R>", "<x>".repeat(100_000), "</x>".repeat(100_000));
        let err = listing(&deep).expect_err("too deep");
        assert!(err.message.contains("nested deeper than 64"), "{err}");
        assert_eq!(err.path, "R");
        let deep_known = format!("<R><taskSet><item><future>{}</future></item></taskSet></R>", "<x>".repeat(100_000));
        assert!(listing(&deep_known).expect_err("too deep").message.contains("nested deeper than 64"));
        // Known structures nest only as the schema does; a self-nesting one
        // is read as deep as the bound and no deeper.
        let nested = format!("<N>{}", "<kids><item>".repeat(100_000));
        let err = decode::<Nested>(&nested, "N").expect_err("too deep");
        assert!(err.message.contains("nested deeper than 64"), "{err}");
        assert!(err.path.starts_with("N.kids[0].kids[0]."), "{}", err.path);
        assert_eq!(err.path.matches(".kids").count(), MAX_DEPTH / 2, "{}", err.path);
        // Within the bound (the root, `future` and 62 more), skipping works at any depth.
        let within = format!(
            "<R><future>{}{}</future><requestId>after</requestId></R>",
            "<x a=\"1\">t".repeat(MAX_DEPTH - 2),
            "</x>".repeat(MAX_DEPTH - 2)
        );
        assert_eq!(listing(&within).expect("64 levels").request_id.as_deref(), Some("after"));
    }

    crate::schema::test_shape!(Nested {
        kids: Option<Vec<Nested>> = ("kids", "Kids", Kind::List(&ListSchema { item: Kind::Struct(<Nested as Shape>::schema), xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
    });

    #[test]
    fn rule_4_leaf_text_is_taken_as_sent_for_every_scalar_kind() {
        let spaced = scalars("<text>\n  a b \n</text><state>\n  pending\n</state>").expect("strings keep their space");
        assert_eq!(spaced.text.as_deref(), Some("\n  a b \n"));
        assert_eq!(spaced.state, Some(State::Unknown("\n  pending\n".into())), "an unknown value, kept as sent");
        assert_eq!(scalars("<state>pending</state>").expect("state").state, Some(State::Pending));
        assert_eq!(scalars("<state>PAUSED</state>").expect("state").state, Some(State::Unknown("PAUSED".into())));

        let exact = scalars(
            "<flag>true</flag><count>-7</count><big>-9007199254740993</big><ratio>0.25</ratio><wide>1e300</wide>\
             <at>2008-10-07T11:41:50.000Z</at><epoch>1609459200.5</epoch><blob>Zm8=</blob>",
        )
        .expect("exact text");
        assert_eq!((exact.flag, exact.count, exact.big), (Some(true), Some(-7), Some(-9_007_199_254_740_993)));
        assert_eq!((exact.ratio, exact.wide), (Some(0.25), Some(1e300)));
        assert_eq!(exact.at.map(|t| t.unix_timestamp()), Some(1_223_379_710));
        assert_eq!(exact.epoch.map(|t| t.unix_timestamp_nanos()), Some(1_609_459_200_500_000_000));
        assert_eq!(exact.blob.as_deref(), Some(&b"fo"[..]));
        let special = scalars("<ratio>-Infinity</ratio><wide>NaN</wide>").expect("Smithy's special floats");
        assert_eq!(special.ratio, Some(f32::NEG_INFINITY));
        assert!(special.wide.is_some_and(f64::is_nan));
        assert_eq!(scalars("<wide>Infinity</wide>").expect("infinity").wide, Some(f64::INFINITY));

        for (body, path, why) in [
            ("<flag> true</flag>", "S.flag", "`true` or `false`"),
            ("<flag>True</flag>", "S.flag", "`true` or `false`"),
            ("<count>42 </count>", "S.count", "a 32-bit whole number"),
            ("<count>\n42\n</count>", "S.count", "a 32-bit whole number"),
            ("<count>99999999999</count>", "S.count", "a 32-bit whole number"),
            ("<big> 1</big>", "S.big", "a whole number"),
            ("<big>99999999999999999999</big>", "S.big", "a whole number"),
            ("<ratio> 1.5</ratio>", "S.ratio", "a finite number"),
            ("<ratio>nan</ratio>", "S.ratio", "a finite number"),
            ("<ratio> NaN</ratio>", "S.ratio", "a finite number"),
            ("<ratio>1e39</ratio>", "S.ratio", "a finite number"),
            ("<wide>-inf</wide>", "S.wide", "a finite number"),
            ("<wide>infinity</wide>", "S.wide", "a finite number"),
            ("<at> 2008-10-07T11:41:50Z</at>", "S.at", "a date-time without surrounding whitespace"),
            ("<at>2008-10-07T11:41:50Z\n</at>", "S.at", "a date-time without surrounding whitespace"),
            ("<at>yesterday</at>", "S.at", "invalid date-time"),
            ("<at>1609459200</at>", "S.at", "invalid date-time"),
            ("<epoch> 1</epoch>", "S.epoch", "epoch seconds"),
            ("<epoch>2008-10-07T11:41:50Z</epoch>", "S.epoch", "epoch seconds"),
            ("<epoch>1e300</epoch>", "S.epoch", "out of range"),
            ("<blob> Zm8=</blob>", "S.blob", "base64 without surrounding whitespace"),
            ("<blob>Zm8=\n</blob>", "S.blob", "base64 without surrounding whitespace"),
            ("<blob>!!</blob>", "S.blob", "invalid base64"),
            ("<tags><entry/></tags>", "S.tags[0]", "a map entry without a key"),
        ] {
            let err = scalars(body).expect_err(body);
            assert_eq!(err.path, path, "{body}: {err}");
            assert!(err.message.contains(why), "{body}: {err}");
        }
        // Entities, references and CDATA are resolved, line ends normalized, nothing trimmed.
        let resolved = scalars("<text> &lt;<![CDATA[ x ]]>&#x41;\r\n&#xD;</text>").expect("text");
        assert_eq!(resolved.text.as_deref(), Some(" < x A\n\r"));
        assert_eq!(scalars("<text/>").expect("empty").text.as_deref(), Some(""));
        // A CR far into a document (past the first blocks the character scan reads) is normalized too.
        let late = scalars(&format!("<text>{}\r\ny\r</text>", "x".repeat(300))).expect("text");
        assert_eq!(late.text.map(|t| t.len() - 300), Some(3));
    }

    #[test]
    fn rule_5_scalars_hold_text_and_structures_and_lists_hold_elements() {
        let err = scalars("<text>a<b>c</b></text>").expect_err("element in a scalar");
        assert_eq!(err.path, "S.text");
        assert!(err.message.contains("expected text, found the element `<b>`"), "{err}");

        let err = listing("<R>stray<requestId>x</requestId></R>").expect_err("text in a structure");
        assert_eq!(err.path, "R");
        assert!(err.message.contains("text `stray` inside a structure"), "{err}");

        let err = listing("<R><taskSet><item/>stray</taskSet></R>").expect_err("text in a list");
        assert_eq!(err.path, "R.taskSet");
        assert!(err.message.contains("inside a list"), "{err}");

        // Whitespace and comments between elements are fine, and a list
        // element that is not an item is skipped as unknown.
        let ok = listing("<R>\n <taskSet> <!-- c --> <item><done>false</done></item> <other>x</other> <item/> </taskSet>\n</R>")
            .expect("spaces, a comment and an unknown element");
        assert_eq!(ok.tasks.map(|t| t.len()), Some(2));
        // Items are the children named by the list's schema: `member` here, not `item`.
        let names = listing("<R><names><item>no</item><member>yes</member><x:member>too</x:member></names></R>").expect("names");
        assert_eq!(names.names, Some(vec!["yes".to_string(), "too".to_string()]));
        // Namespace prefixes are not part of the names looked up.
        let prefixed = listing("<e:R xmlns:e=\"urn:x\"><e:requestId>p</e:requestId></e:R>").expect("prefixed");
        assert_eq!(prefixed.request_id.as_deref(), Some("p"));
    }

    #[test]
    fn rule_6_a_member_appears_at_most_once() {
        let err = listing("<R><requestId>a</requestId><requestId>b</requestId></R>").expect_err("twice");
        assert_eq!(err.path, "R");
        assert!(err.message.contains("duplicate member `requestId`"), "{err}");
        let err = listing("<R><taskSet><item><done>true</done><done>true</done></item></taskSet></R>").expect_err("twice");
        assert_eq!(err.path, "R.taskSet[0]");
        let err = listing("<R><names/><e:names/></R>").expect_err("twice, once with a prefix");
        assert!(err.message.contains("duplicate member `names`"), "{err}");
        // Unknown elements may repeat; they are skipped.
        assert!(listing("<R><future/><future/></R>").is_ok());
        // Past 64 members the set of those read is kept differently; it still catches a repeat.
        let err = decode::<Wide>("<W><m69>a</m69><m3>b</m3><m69>c</m69></W>", "W").expect_err("twice");
        assert!(err.message.contains("duplicate member `m69`"), "{err}");
        let read = decode::<Wide>("<W><m69>a</m69><m3>b</m3><m0>c</m0></W>", "W").expect("once each");
        assert_eq!((read.m0.as_deref(), read.m3.as_deref(), read.m69.as_deref()), (Some("c"), Some("b"), Some("a")));
    }

    // A structure of 70 members, named `m0` to `m69`.
    crate::schema::test_shape!(Wide {
        m0: Option<String> = ("m0", "m0", Kind::String, false),
        m1: Option<String> = ("m1", "m1", Kind::String, false),
        m2: Option<String> = ("m2", "m2", Kind::String, false),
        m3: Option<String> = ("m3", "m3", Kind::String, false),
        m4: Option<String> = ("m4", "m4", Kind::String, false),
        m5: Option<String> = ("m5", "m5", Kind::String, false),
        m6: Option<String> = ("m6", "m6", Kind::String, false),
        m7: Option<String> = ("m7", "m7", Kind::String, false),
        m8: Option<String> = ("m8", "m8", Kind::String, false),
        m9: Option<String> = ("m9", "m9", Kind::String, false),
        m10: Option<String> = ("m10", "m10", Kind::String, false),
        m11: Option<String> = ("m11", "m11", Kind::String, false),
        m12: Option<String> = ("m12", "m12", Kind::String, false),
        m13: Option<String> = ("m13", "m13", Kind::String, false),
        m14: Option<String> = ("m14", "m14", Kind::String, false),
        m15: Option<String> = ("m15", "m15", Kind::String, false),
        m16: Option<String> = ("m16", "m16", Kind::String, false),
        m17: Option<String> = ("m17", "m17", Kind::String, false),
        m18: Option<String> = ("m18", "m18", Kind::String, false),
        m19: Option<String> = ("m19", "m19", Kind::String, false),
        m20: Option<String> = ("m20", "m20", Kind::String, false),
        m21: Option<String> = ("m21", "m21", Kind::String, false),
        m22: Option<String> = ("m22", "m22", Kind::String, false),
        m23: Option<String> = ("m23", "m23", Kind::String, false),
        m24: Option<String> = ("m24", "m24", Kind::String, false),
        m25: Option<String> = ("m25", "m25", Kind::String, false),
        m26: Option<String> = ("m26", "m26", Kind::String, false),
        m27: Option<String> = ("m27", "m27", Kind::String, false),
        m28: Option<String> = ("m28", "m28", Kind::String, false),
        m29: Option<String> = ("m29", "m29", Kind::String, false),
        m30: Option<String> = ("m30", "m30", Kind::String, false),
        m31: Option<String> = ("m31", "m31", Kind::String, false),
        m32: Option<String> = ("m32", "m32", Kind::String, false),
        m33: Option<String> = ("m33", "m33", Kind::String, false),
        m34: Option<String> = ("m34", "m34", Kind::String, false),
        m35: Option<String> = ("m35", "m35", Kind::String, false),
        m36: Option<String> = ("m36", "m36", Kind::String, false),
        m37: Option<String> = ("m37", "m37", Kind::String, false),
        m38: Option<String> = ("m38", "m38", Kind::String, false),
        m39: Option<String> = ("m39", "m39", Kind::String, false),
        m40: Option<String> = ("m40", "m40", Kind::String, false),
        m41: Option<String> = ("m41", "m41", Kind::String, false),
        m42: Option<String> = ("m42", "m42", Kind::String, false),
        m43: Option<String> = ("m43", "m43", Kind::String, false),
        m44: Option<String> = ("m44", "m44", Kind::String, false),
        m45: Option<String> = ("m45", "m45", Kind::String, false),
        m46: Option<String> = ("m46", "m46", Kind::String, false),
        m47: Option<String> = ("m47", "m47", Kind::String, false),
        m48: Option<String> = ("m48", "m48", Kind::String, false),
        m49: Option<String> = ("m49", "m49", Kind::String, false),
        m50: Option<String> = ("m50", "m50", Kind::String, false),
        m51: Option<String> = ("m51", "m51", Kind::String, false),
        m52: Option<String> = ("m52", "m52", Kind::String, false),
        m53: Option<String> = ("m53", "m53", Kind::String, false),
        m54: Option<String> = ("m54", "m54", Kind::String, false),
        m55: Option<String> = ("m55", "m55", Kind::String, false),
        m56: Option<String> = ("m56", "m56", Kind::String, false),
        m57: Option<String> = ("m57", "m57", Kind::String, false),
        m58: Option<String> = ("m58", "m58", Kind::String, false),
        m59: Option<String> = ("m59", "m59", Kind::String, false),
        m60: Option<String> = ("m60", "m60", Kind::String, false),
        m61: Option<String> = ("m61", "m61", Kind::String, false),
        m62: Option<String> = ("m62", "m62", Kind::String, false),
        m63: Option<String> = ("m63", "m63", Kind::String, false),
        m64: Option<String> = ("m64", "m64", Kind::String, false),
        m65: Option<String> = ("m65", "m65", Kind::String, false),
        m66: Option<String> = ("m66", "m66", Kind::String, false),
        m67: Option<String> = ("m67", "m67", Kind::String, false),
        m68: Option<String> = ("m68", "m68", Kind::String, false),
        m69: Option<String> = ("m69", "m69", Kind::String, false),
    });

    crate::schema::test_shape!(Inner { code: String = ("code", "Code", Kind::String, true) });

    crate::schema::test_shape!(Needs {
        id: String = ("id", "Id", Kind::String, true),
        inner: Option<Inner> = ("inner", "Inner", Kind::Struct(<Inner as Shape>::schema), false),
        inners: Option<Vec<Inner>> = ("inners", "Inners", Kind::List(&ListSchema { item: Kind::Struct(<Inner as Shape>::schema), xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
    });

    crate::schema::test_shape!(Flat {
        counts: Option<Vec<i32>> = ("count", "Count", Kind::List(&ListSchema { item: Kind::Integer, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: true }), false),
        other: Option<String> = ("other", "Other", Kind::String, false),
        tags: Option<std::collections::BTreeMap<String, i32>> = ("tags", "Tags", Kind::Map(&Kind::Integer), false),
    });

    #[test]
    fn rule_6_a_flattened_list_is_its_repeated_elements_in_document_order() {
        let read = decode::<Flat>("<F><count>1</count><other>x</other><e:count>2</e:count><count>3</count></F>", "F").expect("decodes");
        assert_eq!(read.counts, Some(vec![1, 2, 3]));
        assert_eq!(read.other.as_deref(), Some("x"));
        // Its `xml_item` is not looked for: the element is the item.
        let read = decode::<Flat>("<F><count>7</count></F>", "F").expect("one item");
        assert_eq!(read.counts, Some(vec![7]));
        assert_eq!(decode::<Flat>("<F/>", "F").expect("none").counts, None);
        let err = decode::<Flat>("<F><count>1</count><count>x</count></F>", "F").expect_err("not a number");
        assert_eq!(err.path, "F.count[1]");
        // Written back the same way.
        let xml = encode(&read, "F", "urn:x").expect("encodes");
        assert_eq!(xml, r#"<F xmlns="urn:x"><count>7</count></F>"#);
        let two = Flat { counts: Some(vec![1, 2]), other: None, tags: None };
        let xml = encode(&two, "F", "urn:x").expect("encodes");
        assert_eq!(xml, r#"<F xmlns="urn:x"><count>1</count><count>2</count></F>"#);
        assert_eq!(decode::<Flat>(&xml, "F").expect("round trip"), two);
    }

    crate::schema::test_shape!(Times {
        dates: Option<Vec<time::OffsetDateTime>> = ("dates", "Dates", Kind::List(&ListSchema { item: Kind::DateTime, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        epochs: Option<Vec<time::OffsetDateTime>> = ("epochs", "Epochs", Kind::List(&ListSchema { item: Kind::EpochSeconds, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        blobs: Option<std::collections::BTreeMap<String, Vec<Vec<u8>>>> = ("blobs", "Blobs", Kind::Map(&Kind::List(&ListSchema { item: Kind::Blob, xml_item: "b", item_rules: &crate::schema::Rules::NONE, flattened: false })), false),
    });

    #[test]
    fn items_of_timestamps_and_blobs_take_their_item_kinds_wire_form() {
        let xml = "<T><dates><member>2014-04-29T18:30:38Z</member></dates><epochs><member>1398796238</member></epochs><blobs><entry><key>k</key><value><b>aGk=</b><b></b></value></entry></blobs></T>";
        let read = decode::<Times>(xml, "T").expect("decodes");
        let at = time::OffsetDateTime::from_unix_timestamp(1_398_796_238).expect("time");
        assert_eq!(read.dates, Some(vec![at]));
        assert_eq!(read.epochs, Some(vec![at]));
        assert_eq!(read.blobs.as_ref().and_then(|b| b.get("k")), Some(&vec![b"hi".to_vec(), Vec::new()]));
        let err = decode::<Times>("<T><epochs><member>2014-04-29T18:30:38Z</member></epochs></T>", "T").expect_err("not epoch seconds");
        assert_eq!(err.path, "T.epochs[0]");
        let written = encode(&read, "T", "urn:x").expect("encodes");
        assert!(written.contains("<dates><member>2014-04-29T18:30:38Z</member></dates><epochs><member>1398796238</member></epochs>"), "{written}");
        assert_eq!(decode::<Times>(&written, "T").expect("round trip"), read);
    }

    #[test]
    fn rule_5_a_map_is_entries_of_a_key_then_a_value() {
        let body = "<F><tags>\n <entry><key>b</key><value>2</value></entry><entry><key>a</key><value>1</value><future/></entry><x/></tags></F>";
        let read = decode::<Flat>(body, "F").expect("decodes");
        let tags = read.tags.clone().expect("tags");
        assert_eq!(tags.into_iter().collect::<Vec<_>>(), [("a".to_string(), 1), ("b".to_string(), 2)]);
        let xml = encode(&read, "F", "urn:x").expect("encodes");
        assert_eq!(xml, r#"<F xmlns="urn:x"><tags><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></tags></F>"#);
        assert_eq!(decode::<Flat>(&xml, "F").expect("round trip"), read);
        // A later entry of the same key replaces the earlier.
        let again = decode::<Flat>("<F><tags><entry><key>a</key><value>1</value></entry><entry><key>a</key><value>5</value></entry></tags></F>", "F");
        assert_eq!(again.expect("decodes").tags.and_then(|t| t.get("a").copied()), Some(5));
        assert_eq!(decode::<Flat>("<F><tags/></F>", "F").expect("empty").tags, Some(Default::default()));
        for (body, path, why) in [
            ("<tags><entry><value>1</value><key>a</key></entry></tags>", "F.tags[0]", "value before its key"),
            ("<tags><entry><key>a</key></entry></tags>", "F.tags[0]", "without a value"),
            ("<tags><entry><key>a</key><key>b</key><value>1</value></entry></tags>", "F.tags[0]", "two keys"),
            ("<tags><entry><key>a</key><value>1</value><value>2</value></entry></tags>", "F.tags[0]", "two values"),
            ("<tags><entry><key>a</key><value>x</value></entry></tags>", "F.tags[0]", "a 32-bit whole number"),
            ("<tags>text</tags>", "F.tags", "inside a map"),
            ("<tags><entry>text</entry></tags>", "F.tags[0]", "inside a map entry"),
            ("<tags><entry><key><b/></key></entry></tags>", "F.tags[0]", "expected text"),
        ] {
            let err = decode::<Flat>(&format!("<F>{body}</F>"), "F").expect_err(body);
            assert_eq!(err.path, path, "{body}: {err}");
            assert!(err.message.contains(why), "{body}: {err}");
        }
    }

    #[test]
    fn rule_7_a_required_member_missing_is_an_error_naming_it() {
        let err = decode::<Needs>("<R/>", "R").expect_err("no id");
        assert_eq!((err.path.as_str(), err.message.as_str()), ("R.id", "the required member is missing"));
        let err = decode::<Needs>("<R><id>x</id><inner/></R>", "R").expect_err("no code");
        assert_eq!(err.path, "R.inner.code");
        let err = decode::<Needs>("<R><id>x</id><inners><item><code/></item><item/></inners></R>", "R").expect_err("no code");
        assert_eq!(err.path, "R.inners[1].code");
        let ok = decode::<Needs>("<R><inner><code>c</code></inner><id></id></R>", "R").expect("all there, in any order");
        assert_eq!((ok.id.as_str(), ok.inner.map(|i| i.code)), ("", Some("c".to_string())));
    }

    #[test]
    fn huge_text_decodes_whole() {
        let big = "x".repeat(16 << 20);
        let xml = format!("<R><requestId>{big}&amp;{big}</requestId><future>{big}</future></R>");
        let decoded = listing(&xml).expect("a 32 MiB string");
        let id = decoded.request_id.expect("requestId");
        assert_eq!(id.len(), 2 * big.len() + 1);
        assert!(id.starts_with('x') && id.ends_with('x') && id.as_bytes().get(big.len()) == Some(&b'&'));
        // An error quoting a huge text quotes only its start.
        for member in ["count", "at", "blob", "epoch"] {
            // (`x` repeated is base64, `!` is not.)
            let Err(err) = scalars(&format!("<{member}>!{big}</{member}>")) else { panic!("{member}: decoded") };
            assert!(err.message.len() < 300, "{member}: {} bytes", err.message.len());
        }
    }

    #[test]
    fn decode_at_reads_the_structure_at_a_path_under_the_same_rules() {
        let path = &["Response", "Errors", "Error"];
        let xml = "<Response><Other><Error/></Other><Errors><Error><Code>C</Code><taskId>t</taskId><size>3</size></Error><Error><taskId>second</taskId></Error></Errors><RequestID>r</RequestID></Response>";
        let task: Task = decode_at(xml, path).expect("the first Error of the first Errors");
        assert_eq!((task.id.as_deref(), task.size), (Some("t"), Some(3)), "unknown elements (Code) are skipped");
        let err = decode_at::<Task>("<Response><Errors><Error><size>x</size></Error></Errors></Response>", path).expect_err("not a number");
        assert_eq!(err.path, "Response.Errors.Error.size");
        let err = decode_at::<Task>("<Response><Errors/></Response>", path).expect_err("no Error");
        assert_eq!((err.path.as_str(), err.message.as_str()), ("Response.Errors", "no `<Error>` element"));
        let err = decode_at::<Task>("<Other/>", path).expect_err("another root");
        assert!(err.message.contains("expected the root element `Response`"), "{err}");
        let err = decode_at::<Task>("<Response><Errors><Error/></Errors></Response><Response/>", path).expect_err("two roots");
        assert!(err.message.contains("after the root element"), "the whole document is read: {err}");
        let err = decode_at::<Task>("<Response><Errors><Error><taskId>a</taskId><taskId>b</taskId></Error></Errors></Response>", path).expect_err("twice");
        assert!(err.message.contains("duplicate member"), "{err}");
    }
}
