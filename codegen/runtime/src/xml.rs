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
//!    at all, after an optional byte order mark), comments, processing
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
//!    comments must not contain `--`, attributes must be quoted and not
//!    repeated, and elements may nest at most [`MAX_DEPTH`] deep.
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
//!    integers fit their slot (`i32` or `i64`), floats and epoch seconds
//!    are finite.
//! 5. **Scalars hold text only, structures and lists hold elements only.**
//!    An element inside a scalar member is an error (as `try_data` says:
//!    "looking for a data element"); text other than whitespace directly
//!    inside a structure or a list is an error. Inside a list, elements
//!    other than the list's item element (`item`) are skipped as unknown.
//! 6. **A member at most once.** A structure member that appears twice is an
//!    error, not silently the first or the last.
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

use super::schema::{Empty, Kind, ListSchema, ListSlot, MemberSchema, Ref, Shape, Slot, StructSchema};
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
    decode_into(xml, root, &mut out).map_err(Error::into_decode_error)?;
    Ok(out)
}

/// The body of [`decode`], not generic, so that it is compiled once.
fn decode_into(xml: &str, root: &str, out: &mut dyn Shape) -> Result<(), Error> {
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
    read_struct(&mut events, out)?;
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
        Ok(Events { xml, has_cr, reader, depth: 0, root_name: String::new(), path: Vec::new() })
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
                    self.check_attributes(&start)?;
                    self.depth = 1;
                    self.root_name = lossy(start.local_name().as_ref());
                    return Ok(start);
                }
                Event::Decl(_) if first => {}
                Event::Decl(_) => return Err(self.error("an XML declaration that is not at the start")),
                Event::Comment(_) | Event::PI(_) => {}
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
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(text) if is_xml_space(&text) => {}
                _ => return Err(self.error("content after the root element")),
            }
        }
    }

    /// Attributes are not read, but must be well-formed: quoted, not
    /// repeated, their references known (rules 2 and 3).
    fn check_attributes(&self, start: &BytesStart<'a>) -> Result<(), Error> {
        if start.attributes_raw().is_empty() {
            return Ok(());
        }
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.error(format!("malformed attribute: {e}")))?;
            attribute
                .decode_and_unescape_value(self.reader.decoder())
                .map_err(|e| self.error(format!("malformed attribute: {e}")))?;
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
                    self.check_attributes(&start)?;
                    self.depth += 1;
                    Step::Open(self.qualified_name(&start))
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Step::Close
                }
                Event::Text(text) if is_xml_space(&text) => Step::Space(text),
                Event::Text(text) => Step::Text(self.text(text.into_inner())?),
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
                Event::Comment(_) | Event::PI(_) => continue,
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
    // Where the member after the last one found is: services send members
    // in model order, so the lookup starts there.
    let mut next = 0usize;
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
                if !seen.mark(index) {
                    return Err(events.error(format!("duplicate member `{}`", member.wire)));
                }
                next = index + 1;
                events.path.push(Segment::Member(member.wire));
                match out.field_mut(index) {
                    Some(slot) => read_value(events, member.kind, slot)?,
                    None => events.skip()?,
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
    match schema.members.iter().enumerate().find(|(i, m)| m.required && !seen.has(*i)) {
        None => Ok(()),
        Some((_, member)) => Err(Error::at(events.member_path(member.wire), "the required member is missing")),
    }
}

/// The member named `name` and its index, looking from `start` on first.
fn find_member(members: &'static [MemberSchema], start: usize, name: &[u8]) -> Option<(usize, &'static MemberSchema)> {
    let is = |m: &&MemberSchema| m.wire.as_bytes() == name;
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
        Slot::Map(_) => Err(events.invalid("maps are not read from XML yet")),
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
        Slot::F32(n) => *n = finite(&text, f32::is_finite).map_err(|what| expected(events, what, &text))?,
        Slot::F64(n) => *n = finite(&text, f64::is_finite).map_err(|what| expected(events, what, &text))?,
        Slot::Time(t) => {
            *t = match kind {
                Kind::EpochSeconds => {
                    let seconds = finite(&text, f64::is_finite)
                        .map_err(|_| expected(events, "epoch seconds (a finite number)", &text))?;
                    super::epoch_seconds::from_f64(seconds).map_err(|e| events.invalid(e))?
                }
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
        Slot::Option(_) | Slot::Struct(_) | Slot::List(_) | Slot::Map(_) => {
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
fn finite<F: std::str::FromStr>(text: &str, is_finite: fn(F) -> bool) -> Result<F, &'static str>
where
    F: Copy,
{
    let n: F = text.parse().map_err(|_| "a number")?;
    if is_finite(n) { Ok(n) } else { Err("a finite number") }
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

fn escape(text: &str) -> String {
    // A raw CR would be read back as LF (XML 1.0, section 2.11); as a
    // character reference it survives.
    quick_xml::escape::escape(text).replace('\r', "&#xD;")
}

fn write_struct(value: &dyn Shape, out: &mut String, path: &str) -> Result<(), BuildError> {
    for (index, member) in value.dyn_schema().members.iter().enumerate() {
        let field = value.field(index);
        if matches!(field, Ref::Absent) {
            continue;
        }
        out.push_str(&format!("<{}>", member.wire));
        write_value(&field, member.kind, out, &format!("{path}.{}", member.wire))?;
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
                out.push_str(&format!("<{}>", schema.xml_item));
                write_value(&list.item(i), schema.item, out, &format!("{path}[{i}]"))?;
                out.push_str(&format!("</{}>", schema.xml_item));
            }
        }
        Ref::Map(_) => return Err(BuildError::new(format!("`{path}`: maps are not written as XML yet"))),
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
        tasks: Option<Vec<Task>> = ("taskSet", "Task", Kind::List(&ListSchema { item: Kind::Struct(<Task as Shape>::schema), xml_item: "item" }), false),
        names: Option<Vec<String>> = ("names", "Name", Kind::List(&ListSchema { item: Kind::String, xml_item: "member" }), false),
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
}
