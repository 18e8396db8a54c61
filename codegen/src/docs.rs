//! Doc text from models, made safe for `#[doc = "..."]` attributes.
//!
//! Model documentation is untrusted text that ends up as Markdown read by
//! rustdoc. Left alone it could do harm or make noise:
//!
//! * a fenced or indented code block is compiled and run as a doctest by
//!   `cargo test`, so a model could smuggle code into the test run;
//! * `[x]`, `<x>` and bare URLs make `cargo doc` warn (broken intra-doc
//!   links, invalid HTML tags, `bare_urls`);
//! * bidi controls are a hard error in comments
//!   (`text_direction_codepoint_in_comment`), and `prettyplease` prints doc
//!   attributes as `///` comments; a lone `\r` in a doc comment is an error
//!   too.
//!
//! [`doc_lines`] therefore treats model text as plain prose that may contain
//! inline code spans (`` `like this` ``): code spans on one line are kept
//! verbatim (nothing inside them is Markdown), everything else is escaped so
//! that it renders as the original characters, and block-level syntax that
//! could start code, headings or rules is neutralised. [`code_span`] builds
//! such a span for arbitrary text (a regex pattern, an example value), so the
//! generator can embed it in text it then passes to [`doc_lines`].

use std::fmt;

/// Markdown that is safe to print as rustdoc.
///
/// A `Doc` is made only of model text passed through [`Doc::text`] (made
/// safe by [`doc_lines`]), code spans ([`Doc::code`]), the generator's own
/// fixed sentences (`&'static str`), numbers and other `Doc`s, put together
/// with the [`doc!`](crate::doc) macro. There is no way to make one from a
/// `String`, so text from a model cannot reach a doc attribute unsanitized:
/// the IR's docs are `Doc`s and the emitter prints only `Doc`s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc(String);

impl Doc {
    /// Model text as safe Markdown (see [`doc_lines`]).
    pub fn text(model_text: &str) -> Doc {
        Doc(doc_lines(model_text)
            .iter()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// A name the generator decided (a Rust identifier, a module or feature
    /// name) as it is; anything else as a code span.
    pub fn ident(name: &str) -> Doc {
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            Doc(name.to_owned())
        } else {
            Doc::code(name)
        }
    }

    /// Any text as an inline code span (see [`code_span`]).
    pub fn code(text: &str) -> Doc {
        Doc(code_span(text))
    }

    /// The non-empty parts, one paragraph each.
    pub fn paragraphs<'d>(parts: impl IntoIterator<Item = &'d Doc>) -> Doc {
        Doc(parts.into_iter().filter(|p| !p.is_empty()).map(Doc::as_str).collect::<Vec<_>>().join("\n\n"))
    }

    /// The parts, one line each.
    pub fn lines<'d>(parts: impl IntoIterator<Item = &'d Doc>) -> Doc {
        Doc(parts.into_iter().map(Doc::as_str).collect::<Vec<_>>().join("\n"))
    }

    /// The same text on one line (its non-empty lines joined by spaces),
    /// so that Markdown keeps it in one list item.
    pub fn one_line(&self) -> Doc {
        Doc(self.0.split('\n').filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "))
    }

    /// The same text as one cell of a Markdown table: on one line, with
    /// every `|` escaped (GitHub-flavoured Markdown reads `\|` as a pipe
    /// even inside a code span).
    pub fn table_cell(&self) -> Doc {
        Doc(self.one_line().0.replace('|', "\\|"))
    }

    /// A fenced Rust code block the generator composed (an example), as
    /// rustdoc compiles it: `info` is the fence's info string (`rust`,
    /// `rust,no_run`). The code is the generator's own: model text reaches
    /// it only as string literals escaped by [`rust_str`], which hold no
    /// line break, backtick or non-ASCII character, so no line of it can
    /// close the fence. Backticks and control characters are dropped all
    /// the same.
    pub fn rust_block(info: &'static str, code: &str) -> Doc {
        let code: String = code.chars().filter(|c| *c == '\n' || (!c.is_control() && *c != '`')).collect();
        Doc(format!("```{info}\n{}\n```", code.trim_end()))
    }

    /// The parts, one after the other (what [`doc!`](crate::doc) expands to).
    pub fn concat(parts: &[&dyn DocPart]) -> Doc {
        let mut out = String::new();
        for part in parts {
            part.push_to(&mut out);
        }
        Doc(out)
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The Markdown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What [`doc!`](crate::doc) accepts: safe text only.
pub trait DocPart {
    /// Appends the part's Markdown.
    fn push_to(&self, out: &mut String);
}

impl DocPart for &'static str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl DocPart for Doc {
    fn push_to(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl<T: DocPart + ?Sized> DocPart for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

macro_rules! number_parts {
    ($($t:ty),*) => {$(
        impl DocPart for $t {
            fn push_to(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}
number_parts!(u16, u32, u64, usize, i64, f64);

/// `doc!["Code: ", Doc::code(code), ". HTTP status: ", status, "."]`: a
/// [`Doc`] from safe parts (`&'static str`, numbers, `Doc`s).
#[macro_export]
macro_rules! doc {
    ($($part:expr),* $(,)?) => {
        $crate::docs::Doc::concat(&[$(&$part as &dyn $crate::docs::DocPart),*])
    };
}

/// Text as a Rust string literal made only of printable ASCII: quotes,
/// backslashes and backticks and every character outside printable ASCII
/// are escaped (`\u{60}`), so the literal is safe in a [`Doc::rust_block`].
pub fn rust_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ' '..='~' if c != '`' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Text as a raw string literal (`r#"..."#`) when it is printable ASCII
/// without a backtick or `"#`, which reads better for a JSON or XML body;
/// else as [`rust_str`]. Either way safe in a [`Doc::rust_block`].
pub fn rust_raw_str(text: &str) -> String {
    if text.chars().all(|c| (' '..='~').contains(&c) && c != '`') && !text.contains("\"#") {
        format!("r#\"{text}\"#")
    } else {
        rust_str(text)
    }
}

/// Turns model doc text into doc-attribute lines.
///
/// Each non-blank line starts with a single space, so the attribute reads
/// like `/// text` once printed; paragraph breaks are single `""` lines, and
/// leading and trailing blank lines are dropped. Lines are never wrapped (the
/// formatter owns layout). Line endings (`\r\n`, `\r`, U+0085, U+2028,
/// U+2029) become line breaks; tabs and other blank control characters
/// become spaces; other control characters, bidi controls and the byte
/// order mark are dropped; all other non-ASCII text is kept.
///
/// Within a line:
///
/// * leading and trailing spaces are removed and runs of spaces outside
///   code spans collapse to one, so no line or list item can become an
///   indented code block (rendered Markdown collapses spaces anyway);
/// * a code span whose closing backtick run is on the same line is kept
///   verbatim; any other backtick is escaped, which also means no line can
///   open a fenced code block (a backtick run followed later on the line by
///   another backtick is never a fence);
/// * `\`, `[`, `]`, `<`, `>`, `&` and `~` are backslash-escaped, so they
///   render as themselves: no links, HTML, entities, strikethrough or `~~~`
///   fences. Every backslash is doubled (not only those before punctuation),
///   which renders the same and also keeps a backslash at the end of a line
///   from becoming a hard line break;
/// * `http://` and `https://` URLs become autolinks (`<https://...>`, with
///   trailing sentence punctuation and unbalanced closing brackets left
///   outside), which keeps rustdoc's `bare_urls` lint quiet and renders the
///   URL text unchanged;
/// * a `-` followed by another `-` is escaped, because rustdoc's smart
///   punctuation would print `--dry-run` as `–dry-run` (table delimiter
///   rows such as `|---|:--|` are left as they are, so tables still work);
/// * a leading `#` (heading) and a line made only of `-`, `=`, `*`, `_` and
///   spaces (rule or setext underline) get their first character escaped.
///
/// Emphasis (`*`, `_`), lists and tables are left alone: they can only
/// change how prose looks, not run code or make rustdoc warn. Straight
/// quotes and `...` still become typographic ones (smart punctuation).
///
/// A code span is recognised the way CommonMark does it: a backtick run
/// pairs with the next run of the same length on the line. A stray
/// unmatched backtick before a [`code_span`] on the same line can therefore
/// pair with that span's fence; keep code spans away from raw model text on
/// the same line, or put them on a line of their own.
pub fn doc_lines(text: &str) -> Vec<String> {
    let clean = sanitize(text);
    let mut out = Vec::new();
    let mut blank_pending = false;
    // The width of the marker of the list item the previous lines are in.
    let mut item_width: Option<usize> = None;
    for raw in clean.split('\n') {
        let line = raw.trim_matches(' ');
        if line.is_empty() {
            // Only a blank line between two non-blank ones survives, and
            // only once: Markdown needs one to end a paragraph.
            blank_pending = !out.is_empty();
            item_width = None;
            continue;
        }
        let rendered = render_line(line);
        // A line right after a list item continues it (Markdown's lazy
        // continuation); indented to the item's text, it renders the same
        // and says so (clippy's `doc_lazy_continuation` asks for that).
        let indent = match (list_item_width(&rendered), item_width) {
            (Some(width), _) => {
                item_width = Some(width);
                0
            }
            (None, Some(width)) => width,
            (None, None) => 0,
        };
        if blank_pending {
            out.push(String::new());
            blank_pending = false;
        }
        out.push(format!(" {}{rendered}", " ".repeat(indent)));
    }
    out
}

/// The width of the marker when a line starts a Markdown list item
/// (`- x`, `* x`, `+ x`: 2; `12. x`: 4).
fn list_item_width(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        Some(2)
    } else if digits > 0 && line[digits..].starts_with(". ") {
        Some(digits + 2)
    } else {
        None
    }
}

/// A Markdown inline code span that renders exactly `text` (newlines and
/// other line breaks become spaces, control characters are dropped as in
/// [`doc_lines`]).
///
/// The fence is one backtick longer than the longest backtick run inside,
/// so nothing inside can close it; the content is padded with a space on
/// each side when it starts or ends with a backtick (which would otherwise
/// merge with the fence) or when it both starts and ends with a space
/// (which CommonMark would otherwise strip). Empty text, which Markdown
/// cannot show as a code span, gives `` ` ` `` (a span holding one space).
pub fn code_span(text: &str) -> String {
    let content = sanitize(text).replace('\n', " ");
    if content.is_empty() {
        return "` `".to_owned();
    }
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ')
            && content.ends_with(' ')
            && content.bytes().any(|b| b != b' '));
    if pad {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

/// Normalises line breaks to `\n`, turns blank control characters into
/// spaces and drops every other control or invisible direction character.
fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' | '\u{b}' | '\u{c}' => out.push(' '),
            c if c.is_control() || is_hidden_hazard(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters that are invisible yet change how text around them reads:
/// bidi embeddings, overrides, isolates and marks (the "Trojan Source"
/// set that rustc rejects in comments and literals) and the byte order
/// mark. Other format characters (joiners) are kept: scripts and emoji need
/// them.
fn is_hidden_hazard(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    )
}

/// One piece of a line: prose to escape, or a code span kept verbatim
/// (fences included).
enum Segment<'a> {
    /// Prose.
    Plain(&'a str),
    /// A complete code span.
    Code(&'a str),
}

/// Renders one trimmed, non-empty, sanitised line.
fn render_line(line: &str) -> String {
    // A table's delimiter row (`|---|:--|`) needs its dashes unescaped to
    // make a table; it holds nothing else that needs escaping, and on its
    // own (no header row) it is shown as typed.
    let delimiter_row = line.contains('|')
        && line.contains('-')
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if delimiter_row {
        return collapse_spaces(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for segment in split_code_spans(line) {
        match segment {
            Segment::Code(code) => out.push_str(code),
            Segment::Plain(plain) => render_plain(&collapse_spaces(plain), &mut out),
        }
    }
    // The output starts with the line's own first character unless that
    // was escaped already (`--`); a backslash in front escapes it.
    let rule_like = line
        .chars()
        .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '));
    if (line.starts_with('#') || rule_like) && !out.starts_with('\\') {
        out.insert(0, '\\');
    }
    out
}

/// Splits a line into prose and code spans the way CommonMark pairs
/// backtick runs: a run opens a span if a later run of the same length
/// exists on the line, and the span ends at the first such run. Unpaired
/// runs stay in the prose, where they are escaped.
fn split_code_spans(line: &str) -> Vec<Segment<'_>> {
    let bytes = line.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    let mut segments = Vec::new();
    let mut plain_start = 0;
    let mut k = 0;
    while k < runs.len() {
        let (start, len) = runs[k];
        match (k + 1..runs.len()).find(|&j| runs[j].1 == len) {
            Some(j) => {
                let end = runs[j].0 + len;
                if start > plain_start {
                    segments.push(Segment::Plain(&line[plain_start..start]));
                }
                segments.push(Segment::Code(&line[start..end]));
                plain_start = end;
                k = j + 1;
            }
            None => k += 1,
        }
    }
    if plain_start < line.len() {
        segments.push(Segment::Plain(&line[plain_start..]));
    }
    segments
}

/// Collapses runs of spaces to one space.
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_space = false;
    for c in s.chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
    out
}

/// Appends prose to `out`: URLs as autolinks, everything else escaped.
fn render_plain(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some((start, end)) = find_url(rest) {
        escape_into(&rest[..start], out);
        // Autolinks take their content literally (no escapes), and the URL
        // holds no space, `<`, `>` or control character, so it is a valid one.
        out.push('<');
        out.push_str(&rest[start..end]);
        out.push('>');
        rest = &rest[end..];
    }
    escape_into(rest, out);
}

/// Finds the first `http://` or `https://` URL in `s` that has something
/// after the scheme, as a byte range.
fn find_url(s: &str) -> Option<(usize, usize)> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        let after = &lower[start..];
        let scheme = if after.starts_with("https://") {
            "https://".len()
        } else if after.starts_with("http://") {
            "http://".len()
        } else {
            from = start + 1;
            continue;
        };
        let body_start = start + scheme;
        let body_len = s[body_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`'))
            .unwrap_or(s.len() - body_start);
        let end = trim_url_end(&s[start..body_start + body_len]) + start;
        if end > body_start {
            return Some((start, end));
        }
        from = body_start;
    }
    None
}

/// The length of `url` without trailing sentence punctuation and without
/// closing brackets that have no opening partner inside the URL, so
/// `(see https://x.io/a).` links `https://x.io/a` while
/// `https://en.wikipedia.org/wiki/Rust_(language)` keeps its parenthesis.
fn trim_url_end(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let Some(last) = url[..end].chars().next_back() else {
            return end;
        };
        let kept = &url[..end];
        let unbalanced =
            |open: char, close: char| kept.matches(close).count() > kept.matches(open).count();
        let trim = match last {
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '"' | '*' | '_' | '~' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            '}' => unbalanced('{', '}'),
            _ => false,
        };
        if !trim {
            return end;
        }
        end -= last.len_utf8();
    }
}

/// Appends `s` with every character that could start Markdown structure
/// rustdoc acts on (links, HTML, entities, code, strikethrough) escaped.
///
/// A `-` followed by another `-` is escaped too: rustdoc turns on smart
/// punctuation, which would print `--dry-run` as `–dry-run`, and command
/// line flags are common in vendor docs. (Quotes are left to become curly:
/// that changes their look, not the words, and escaping every quote would
/// clutter the generated `///` comments.)
fn escape_into(s: &str, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let dash_run = c == '-' && chars.peek() == Some(&'-');
        if dash_run || matches!(c, '\\' | '[' | ']' | '<' | '>' | '&' | '~' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_text_gets_one_leading_space() {
        assert_eq!(
            doc_lines("Cancels a bundling operation."),
            lines(&[" Cancels a bundling operation."])
        );
        assert_eq!(doc_lines("one\ntwo"), lines(&[" one", " two"]));
    }

    #[test]
    fn lines_after_a_list_item_are_indented_as_its_continuation() {
        // Alibaba's ECS: an error message that is only `-`, a note after an item.
        assert_eq!(doc_lines("- a\n-\n- b"), lines(&[" - a", "   \\-", " - b"]));
        assert_eq!(doc_lines("1. a\n> note\n\nafter"), lines(&[" 1. a", "    \\> note", "", " after"]));
        assert_eq!(doc_lines("text\n-\nmore"), lines(&[" text", " \\-", " more"]));
    }

    #[test]
    fn empty_and_blank_text_gives_no_lines() {
        assert!(doc_lines("").is_empty());
        assert!(doc_lines("   \n\n\t\r\n  ").is_empty());
    }

    #[test]
    fn line_endings_are_normalised() {
        assert_eq!(
            doc_lines("a\r\nb\rc\nd\u{85}e\u{2028}f\u{2029}g"),
            lines(&[" a", " b", " c", " d", " e", " f", " g"])
        );
        assert_eq!(doc_lines("a\r\r\nb"), lines(&[" a", "", " b"]));
    }

    #[test]
    fn control_characters_are_dropped_or_become_spaces() {
        assert_eq!(doc_lines("a\tb\u{b}c\u{c}d"), lines(&[" a b c d"]));
        assert_eq!(
            doc_lines("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{9b}f"),
            lines(&[" abcdef"])
        );
        for line in doc_lines(
            "x\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\t\n\u{b}\u{c}\r\u{e}\u{1f}\u{7f}\u{80}\u{9f}y",
        ) {
            assert!(!line.chars().any(char::is_control), "{line:?}");
        }
    }

    #[test]
    fn bidi_controls_and_bom_are_dropped() {
        let text = "\u{feff}abc\u{202e}def\u{2066}g\u{2069}h\u{200f}i\u{200e}j\u{61c}k\u{202a}l";
        assert_eq!(doc_lines(text), lines(&[" abcdefghijkl"]));
        // Joiners are part of words and emoji, so they stay.
        assert_eq!(
            doc_lines("👩\u{200d}💻 می\u{200c}خواهم"),
            lines(&[" 👩\u{200d}💻 می\u{200c}خواهم"])
        );
    }

    #[test]
    fn non_ascii_is_kept() {
        assert_eq!(
            doc_lines("Größe 名前 😀 naïve\u{a0}space"),
            lines(&[" Größe 名前 😀 naïve\u{a0}space"])
        );
    }

    #[test]
    fn paragraphs_are_kept_as_single_blank_lines() {
        assert_eq!(
            doc_lines("\n\n  a \n\n\n\n b\nc \n\n \n"),
            lines(&[" a", "", " b", " c"])
        );
    }

    #[test]
    fn indentation_is_removed_so_no_indented_code_block_forms() {
        assert_eq!(
            doc_lines("text\n\n    fn main() {}\n\t\tlet x = 1;"),
            lines(&[" text", "", " fn main() {}", " let x = 1;"])
        );
        // Inside list items and block quotes too.
        assert_eq!(
            doc_lines("-     code()\n1.      more()\n>     quoted()"),
            lines(&[" - code()", " 1. more()", "    \\> quoted()"])
        );
        assert_eq!(doc_lines("a    b\t\tc"), lines(&[" a b c"]));
    }

    #[test]
    fn fences_are_neutralised() {
        assert_eq!(
            doc_lines("```\nfn main() { std::process::exit(1) }\n```"),
            lines(&[
                " \\`\\`\\`",
                " fn main() { std::process::exit(1) }",
                " \\`\\`\\`"
            ])
        );
        assert_eq!(
            doc_lines("```rust\nx\n```"),
            lines(&[" \\`\\`\\`rust", " x", " \\`\\`\\`"])
        );
        assert_eq!(
            doc_lines("~~~\nx\n~~~~ rust"),
            lines(&[" \\~\\~\\~", " x", " \\~\\~\\~\\~ rust"])
        );
        assert_eq!(
            doc_lines("- ```\n> ~~~\n  * ````"),
            lines(&[" - \\`\\`\\`", "   \\> \\~\\~\\~", " * \\`\\`\\`\\`"])
        );
    }

    #[test]
    fn matched_backticks_on_a_line_stay_code_spans() {
        assert_eq!(
            doc_lines("Use `Vec<u8>` or `[T]`."),
            lines(&[" Use `Vec<u8>` or `[T]`."])
        );
        assert_eq!(
            doc_lines("``a ` b`` and `c`"),
            lines(&[" ``a ` b`` and `c`"])
        );
        // Spaces inside a code span are the author's.
        assert_eq!(doc_lines("x   ` a  b `   y"), lines(&[" x ` a  b ` y"]));
        // A line starting with a backtick run that pairs later cannot be a
        // fence: a backtick fence's info string may not contain backticks.
        assert_eq!(
            doc_lines("```fn main(){}```"),
            lines(&[" ```fn main(){}```"])
        );
        // Unpaired runs are escaped; pairs do not cross lines.
        assert_eq!(doc_lines("a ` b\nc ` d"), lines(&[" a \\` b", " c \\` d"]));
        assert_eq!(doc_lines("`` a `"), lines(&[" \\`\\` a \\`"]));
    }

    #[test]
    fn link_html_and_entity_characters_are_escaped() {
        assert_eq!(
            doc_lines("[link](x) [ref] [^1]: y"),
            lines(&[" \\[link\\](x) \\[ref\\] \\[^1\\]: y"])
        );
        assert_eq!(
            doc_lines("Vec<u8> <p>hi</p> <!-- c -->"),
            lines(&[" Vec\\<u8\\> \\<p\\>hi\\</p\\> \\<!\\-- c \\--\\>"])
        );
        assert_eq!(
            doc_lines("AT&T &amp; &#65;"),
            lines(&[" AT\\&T \\&amp; \\&#65;"])
        );
        assert_eq!(doc_lines("~~struck~~"), lines(&[" \\~\\~struck\\~\\~"]));
    }

    #[test]
    fn backslashes_render_as_backslashes() {
        assert_eq!(
            doc_lines(r"C:\Windows\* a\b \[x\] end\"),
            lines(&[r" C:\\Windows\\* a\\b \\\[x\\\] end\\"])
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            doc_lines("see http://example.com/a_b."),
            lines(&[" see <http://example.com/a_b>."])
        );
        assert_eq!(
            doc_lines("HTTPS://EXAMPLE.COM"),
            lines(&[" <HTTPS://EXAMPLE.COM>"])
        );
        assert_eq!(
            doc_lines("(https://x.io/a), ok"),
            lines(&[" (<https://x.io/a>), ok"])
        );
        assert_eq!(
            doc_lines("https://en.wikipedia.org/wiki/Rust_(language)"),
            lines(&[" <https://en.wikipedia.org/wiki/Rust_(language)>"])
        );
        assert_eq!(
            doc_lines("a http://x.io/[b]?q=1&r=\\ z"),
            lines(&[" a <http://x.io/[b]?q=1&r=\\> z"])
        );
        assert_eq!(
            doc_lines("http://a.com<b>"),
            lines(&[" <http://a.com>\\<b\\>"])
        );
        assert_eq!(doc_lines("xhttp://a.com"), lines(&[" x<http://a.com>"]));
        assert_eq!(
            doc_lines("two: http://a.io https://b.io/名前"),
            lines(&[" two: <http://a.io> <https://b.io/名前>"])
        );
        // A scheme with nothing after it is not a URL.
        assert_eq!(
            doc_lines("use http:// or https://."),
            lines(&[" use http:// or https://."])
        );
        assert_eq!(doc_lines("httpx http:/ htt"), lines(&[" httpx http:/ htt"]));
        // URLs inside code spans are code.
        assert_eq!(doc_lines("`http://a.io`"), lines(&[" `http://a.io`"]));
    }

    #[test]
    fn headings_are_escaped() {
        assert_eq!(
            doc_lines("# Title\n## Sub\n#![deny(warnings)]"),
            lines(&[" \\# Title", " \\## Sub", " \\#!\\[deny(warnings)\\]"])
        );
        assert_eq!(doc_lines("a # b"), lines(&[" a # b"]));
    }

    #[test]
    fn rules_and_setext_underlines_are_escaped() {
        let text = "Title\n---\nTitle\n===\n***\n___\n- - -\n=\n-\n* * *";
        assert_eq!(
            doc_lines(text),
            lines(&[
                " Title", " \\-\\--", " Title", " \\===", " \\***", " \\___", " \\- - -", " \\=",
                " \\-", " \\* * *"
            ])
        );
        // Lists and tables are harmless and stay.
        assert_eq!(
            doc_lines("- item\n| a | b |\n|---|:--|"),
            lines(&[" - item", "   | a | b |", "   |---|:--|"])
        );
    }

    #[test]
    fn dash_runs_are_escaped_against_smart_punctuation() {
        assert_eq!(
            doc_lines("use --dry-run, a -- b, a---b, x-y"),
            lines(&[" use \\--dry-run, a \\-- b, a\\-\\--b, x-y"])
        );
        assert_eq!(doc_lines("--flag"), lines(&[" \\--flag"]));
        assert_eq!(doc_lines("-- -"), lines(&[" \\-- -"]));
    }

    #[test]
    fn emphasis_and_string_breakers_stay() {
        assert_eq!(
            doc_lines("*/ \" } *em* _em_ 'q'"),
            lines(&[" */ \" } *em* _em_ 'q'"])
        );
    }

    #[test]
    fn long_lines_are_not_wrapped() {
        let long = "word ".repeat(500);
        let out = doc_lines(&long);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0], format!(" {}", long.trim_end()));
    }

    #[test]
    fn hostile_sample() {
        let text = "*/ \" \\ #![deny(warnings)] } ``` fn main(){} ``` <script>alert(1)</script> [link](x) http://example.com/a_b 名前 \u{202e} ";
        let want = " */ \" \\\\ #!\\[deny(warnings)\\] } ``` fn main(){} ``` \\<script\\>alert(1)\\</script\\> \\[link\\](x) <http://example.com/a_b> 名前";
        assert_eq!(doc_lines(text), lines(&[want]));
        // At the start of a line the same text is no fence and no heading.
        assert_eq!(
            doc_lines("``` fn main(){} ```\n#![x]"),
            lines(&[" ``` fn main(){} ```", " \\#!\\[x\\]"])
        );
    }

    #[test]
    fn code_span_basics() {
        assert_eq!(code_span("abc"), "`abc`");
        assert_eq!(code_span("^[a-z]+$"), "`^[a-z]+$`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("a``b`c"), "```a``b`c```");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(code_span("a`"), "`` a` ``");
        assert_eq!(code_span("``"), "``` `` ```");
        assert_eq!(code_span(" a "), "`  a  `");
        assert_eq!(code_span(" a"), "` a`");
        assert_eq!(code_span("   "), "`   `");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn code_span_flattens_lines_and_drops_controls() {
        assert_eq!(code_span("a\nb\r\nc\rd"), "`a b c d`");
        assert_eq!(code_span("a\tb\u{0}c\u{202e}d"), "`a bcd`");
    }

    #[test]
    fn code_spans_survive_doc_lines() {
        for text in [
            "^[a-z]{1,3}<>&\\d+$",
            "a`b",
            "`",
            "``x``",
            " padded ",
            "http://a.io/[x]",
            "~~~",
            "# h",
            "---",
        ] {
            let line = format!("Pattern: {}.", code_span(text));
            assert_eq!(doc_lines(&line), lines(&[&format!(" {line}")]), "{text:?}");
            // On a line of its own too.
            let span = code_span(text);
            assert_eq!(doc_lines(&span), lines(&[&format!(" {span}")]), "{text:?}");
        }
    }

    /// Reads an output line the way CommonMark would (backslash escapes,
    /// backtick runs pairing with the next run of equal length, autolinks)
    /// and describes the first piece of prose that is not safe: an
    /// unescaped link, HTML, entity or strikethrough character, an unpaired
    /// backtick run, or a double space.
    fn prose_problem(body: &str) -> Option<String> {
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == '`' {
                let run = chars[i..].iter().take_while(|&&b| b == '`').count();
                let mut j = i + run;
                let mut closed = false;
                while j < chars.len() {
                    let other = chars[j..].iter().take_while(|&&b| b == '`').count();
                    if other == run {
                        closed = true;
                        j += other;
                        break;
                    }
                    j += other.max(1);
                }
                if !closed {
                    return Some(format!("unpaired backtick run at {i}"));
                }
                i = j;
                continue;
            }
            if c == '<' {
                let rest: String = chars[i + 1..].iter().collect();
                if rest.to_ascii_lowercase().starts_with("http") {
                    match rest.find('>') {
                        Some(close) => {
                            i += 1 + rest[..close].chars().count() + 1;
                            continue;
                        }
                        None => return Some(format!("unclosed autolink at {i}")),
                    }
                }
            }
            if matches!(c, '[' | ']' | '<' | '>' | '&' | '~') {
                return Some(format!("unescaped {c:?} at {i}"));
            }
            if c == ' ' && chars.get(i + 1) == Some(&' ') {
                return Some(format!("double space at {i}"));
            }
            i += 1;
        }
        None
    }

    #[test]
    fn prose_problem_reads_escapes_spans_and_autolinks() {
        assert_eq!(prose_problem(r"\[a\] `[x]` <http://a.io/[b]> \`\`"), None);
        assert!(prose_problem("[").is_some());
        assert!(prose_problem(r"\\[").is_some());
        assert!(prose_problem("`a").is_some());
        assert!(prose_problem("a  b").is_some());
        assert!(prose_problem("<http://a").is_some());
    }

    #[test]
    fn generated_hostile_text_always_gives_safe_lines() {
        const PIECES: &[&str] = &[
            "a",
            "名前",
            " ",
            "    ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "\n\n",
            "`",
            "``",
            "```",
            "~",
            "~~~",
            "#",
            "-",
            "---",
            "=",
            "*",
            "_",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "&",
            "\\",
            "\"",
            "'",
            "http://",
            "https://",
            "x.io/",
            "\u{202e}",
            "\u{0}",
            "\u{1b}",
            "\u{feff}",
            "\u{2028}",
            "1.",
            ">",
            "|",
            "!",
            "fn main(){}",
        ];
        let mut state: u64 = 0x00c0_ffee;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % n as u64) as usize
        };
        for _ in 0..500 {
            let len = 1 + next(12);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let out = doc_lines(&text);
            assert_ne!(out.first().map(String::as_str), Some(""), "{text:?}");
            assert_ne!(out.last().map(String::as_str), Some(""), "{text:?}");
            for pair in out.windows(2) {
                assert!(!(pair[0].is_empty() && pair[1].is_empty()), "{text:?}");
            }
            for (n, line) in out.iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let body = line.strip_prefix(' ').unwrap();
                // Only a list item's continuation is indented, and by at most
                // its marker's width: never an indented code block.
                let continues_item = n > 0 && !out[n - 1].is_empty();
                let indent = body.len() - body.trim_start().len();
                assert!(!body.trim().is_empty() && !body.ends_with(' '), "{text:?} → {line:?}");
                assert!(indent == 0 || (continues_item && indent <= 12), "{text:?} → {line:?}");
                let body = body.trim_start();
                assert!(
                    !line.chars().any(|c| c.is_control() || is_hidden_hazard(c)),
                    "{text:?} → {line:?}"
                );
                assert!(
                    !body.starts_with("```") || body[3..].trim_start_matches('`').contains('`'),
                    "{text:?} → {line:?}"
                );
                assert!(
                    !body.starts_with('~') && !body.starts_with('#'),
                    "{text:?} → {line:?}"
                );
                if let Some(problem) = prose_problem(body) {
                    panic!("{problem}: {text:?} → {line:?}");
                }
            }
        }
    }
}
