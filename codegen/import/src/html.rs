//! The vendors' HTML documentation as the Markdown the model format keeps.
//!
//! botocore's `documentation` strings are a small HTML dialect: `<p>`,
//! `<code>`, `<ul>`/`<ol>`/`<li>`, `<a href>`, `<note>`, `<important>`,
//! `<b>`/`<i>`, `<br/>`, `<dl>`, entities. The output is plain Markdown:
//! paragraphs, `- ` list items (nested by two spaces), code spans, and links
//! written as `text (URL)`, because the generator escapes brackets in model
//! text (a link's URL still renders as a link). Unknown tags are dropped and
//! their text kept; nothing here can fail, and it runs in one pass.

/// Converts `html` to Markdown.
pub fn to_markdown(html: &str) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => match rest.find('>') {
                Some(end) => {
                    w.tag(&rest[1..end]);
                    rest = &rest[end + 1..];
                }
                None => {
                    // A `<` that opens no tag is text.
                    w.text(rest);
                    rest = "";
                }
            },
            Some(n) => {
                w.text(&decode_entities(&rest[..n]));
                rest = &rest[n..];
            }
            None => {
                w.text(&decode_entities(rest));
                rest = "";
            }
        }
    }
    w.finish()
}

#[derive(Default)]
struct Writer {
    out: String,
    /// A blank line is owed before the next text.
    paragraph: bool,
    /// A line break is owed before the next text.
    line: bool,
    /// Open lists: whether ordered, and the next number.
    lists: Vec<(bool, usize)>,
    /// The `href` of each open `<a>`.
    links: Vec<Option<String>>,
    /// Inside `<code>`.
    code: bool,
    /// Nothing written since a list marker or a `Note: ` prefix.
    fresh: bool,
}

impl Writer {
    fn tag(&mut self, tag: &str) {
        let tag = tag.trim();
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        let attrs = &body[name_end..];
        match (name.as_str(), closing) {
            ("p" | "div" | "pre" | "dl" | "dt" | "dd", _) if self.fresh => {}
            // Inside a list a paragraph is a line of its item.
            ("p" | "div" | "pre" | "dl" | "dt" | "dd", _) if !self.lists.is_empty() => self.line = true,
            ("p" | "div" | "pre" | "dl" | "dt" | "dd", _) => self.paragraph = true,
            ("note", false) => self.block_prefix("Note: "),
            ("important", false) => self.block_prefix("Important: "),
            ("note" | "important", true) => self.paragraph = true,
            ("ul" | "ol", false) => {
                self.lists.push((name == "ol", 1));
                self.line = true;
                self.fresh = false;
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.paragraph = true;
            }
            ("li", false) => {
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.break_line(self.paragraph);
                self.out.push_str(&"  ".repeat(depth - 1));
                self.out.push_str(&marker);
                self.paragraph = false;
                self.line = false;
                self.fresh = true;
            }
            ("li", true) => self.line = true,
            ("br", _) => self.line = true,
            ("code" | "tt", false) if !self.code => {
                self.flush_breaks();
                self.out.push('`');
                self.code = true;
            }
            ("code" | "tt", true) if self.code => {
                self.out.push('`');
                self.code = false;
            }
            ("b" | "strong", _) => {
                self.flush_breaks();
                self.out.push_str("**");
            }
            ("i" | "em", _) => {
                self.flush_breaks();
                self.out.push('*');
            }
            ("a", false) => self.links.push(href(attrs)),
            ("a", true) => {
                if let Some(Some(url)) = self.links.pop() {
                    self.out.push_str(&format!(" ({url})"));
                }
            }
            _ => {}
        }
    }

    fn block_prefix(&mut self, prefix: &str) {
        self.paragraph = true;
        self.flush_breaks();
        self.out.push_str(prefix);
        self.fresh = true;
    }

    fn flush_breaks(&mut self) {
        self.fresh = false;
        if self.paragraph || self.line {
            let paragraph = self.paragraph && self.lists.is_empty();
            self.break_line(paragraph);
            if !self.lists.is_empty() && !self.out.is_empty() {
                // A paragraph inside a list item continues the item.
                self.out.push_str(&"  ".repeat(self.lists.len()));
            }
        }
    }

    fn break_line(&mut self, paragraph: bool) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            self.out.push('\n');
            if paragraph {
                self.out.push('\n');
            }
        }
        self.paragraph = false;
        self.line = false;
    }

    fn text(&mut self, text: &str) {
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            if !text.is_empty() && !self.out.ends_with([' ', '\n', '`']) && !self.out.is_empty() {
                self.out.push(' ');
            }
            return;
        }
        if text.starts_with(char::is_whitespace) && !self.out.ends_with([' ', '\n']) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.flush_breaks();
        let joined: Vec<&str> = words.collect();
        self.out.push_str(&joined.join(" "));
        if text.ends_with(char::is_whitespace) {
            self.out.push(' ');
        }
    }

    fn finish(mut self) -> String {
        if self.code {
            self.out.push('`');
        }
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim_end) {
            if line.trim().is_empty() && lines.last().is_none_or(|l| l.trim().is_empty()) {
                continue;
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }
}

/// The absolute `http(s)` URL of an `<a href="...">`, if any.
fn href(attrs: &str) -> Option<String> {
    let at = attrs.find("href=")?;
    let rest = &attrs[at + 5..];
    let quote = rest.chars().next()?;
    let url = if quote == '"' || quote == '\'' {
        let inner = &rest[1..];
        &inner[..inner.find(quote)?]
    } else {
        rest.split_whitespace().next()?
    };
    let url = decode_entities(url);
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

/// Resolves the predefined entities and character references.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|n| n + 1);
        let resolved = end.filter(|&e| rest.as_bytes().get(e) == Some(&b';')).and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match resolved {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_code_and_lists() {
        let html = "<p>Cancels a task in the <code>PENDING</code> state.</p> <ul> <li> <p>One.</p> </li> <li> <p>Two &amp; three.</p> </li> </ul> <p>After.</p>";
        assert_eq!(to_markdown(html), "Cancels a task in the `PENDING` state.\n\n- One.\n- Two & three.\n\nAfter.");
    }

    #[test]
    fn links_notes_and_nesting() {
        let html = "<p>See <a href=\"https://docs.aws.amazon.com/x.html\">the guide</a> and <a>Other</a>.</p><note><p>Careful.</p></note><ul><li>A<ul><li>B</li></ul></li></ul>";
        assert_eq!(
            to_markdown(html),
            "See the guide (https://docs.aws.amazon.com/x.html) and Other.\n\nNote: Careful.\n\n- A\n  - B"
        );
    }

    #[test]
    fn ordered_lists_entities_and_stray_brackets() {
        assert_eq!(to_markdown("<ol><li>x</li><li>y</li></ol>"), "1. x\n2. y");
        assert_eq!(to_markdown("a &lt;b&gt; &#233; &#x41; &bogus; 1 < 2"), "a <b> é A &bogus; 1 < 2");
        assert_eq!(to_markdown(""), "");
    }
}
