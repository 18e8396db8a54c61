//! EC2's XML: responses are read into the generated types through their
//! [schemas](super::schema), and written back.
//!
//! Reading builds a small element tree with an explicit stack (no recursion
//! on the input's depth beyond 64 levels) and limits, then fills the
//! value member by member; unknown elements are skipped, as a newer service
//! may add them. Leaf text of numbers, booleans, timestamps and blobs is
//! read with surrounding white space trimmed; text and enum values are kept
//! exactly as sent.

use super::schema::{Empty, Kind, Ref, Shape, Slot};
use super::{BuildError, DecodeError};

/// Deepest element nesting accepted; EC2 responses nest a few levels.
const MAX_DEPTH: usize = 64;

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

/// Parses a document into its root element.
pub fn parse(xml: &str) -> Result<Element, DecodeError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let fail = |reader: &quick_xml::Reader<&[u8]>, message: String| {
        DecodeError::new("", format!("{message} (at byte {})", reader.buffer_position()))
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| fail(&reader, format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(&reader, format!("elements nested deeper than {MAX_DEPTH}")));
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push(Element { name, ..Element::default() });
            }
            Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let element = Element { name, ..Element::default() };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(fail(&reader, "a closing tag without an opening one".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    // XML 1.0 reads CR and CRLF as LF (section 2.11).
                    let text = text.xml10_content().map_err(|e| fail(&reader, format!("bad text: {e}")))?;
                    current.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    let text = data.xml10_content().map_err(|e| fail(&reader, format!("bad text: {e}")))?;
                    current.text.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let Some(current) = stack.last_mut() else { continue };
                if let Some(c) = reference
                    .resolve_char_ref()
                    .map_err(|e| fail(&reader, format!("bad character reference: {e}")))?
                {
                    current.text.push(c);
                } else {
                    let name = reference.decode().map_err(|e| fail(&reader, format!("bad reference: {e}")))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(text) => current.text.push_str(text),
                        None => return Err(fail(&reader, format!("unknown entity `&{name};`"))),
                    }
                }
            }
            Event::Eof => return Err(fail(&reader, "the document ended before its root element closed".into())),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// Reads a response whose root element is `root` (`CancelBundleTaskResponse`).
pub fn decode<T: Shape + Empty>(xml: &str, root: &str) -> Result<T, DecodeError> {
    let element = parse(xml)?;
    if element.name != root {
        return Err(DecodeError::new("", format!("expected the root element `{root}`, found `{}`", element.name)));
    }
    let mut out = T::empty();
    read_struct(&element, &mut out, root)?;
    Ok(out)
}

fn read_struct(element: &Element, out: &mut dyn Shape, path: &str) -> Result<(), DecodeError> {
    let schema = out.dyn_schema();
    for (index, member) in schema.members.iter().enumerate() {
        let child_path = format!("{path}.{}", member.wire);
        match element.child(member.wire) {
            Some(child) => {
                if let Some(slot) = out.field_mut(index) {
                    read(child, member.kind, slot, &child_path)?;
                }
            }
            None if member.required => return Err(DecodeError::new(child_path, "the required member is missing")),
            None => {}
        }
    }
    Ok(())
}

fn read(element: &Element, kind: Kind, slot: Slot<'_>, path: &str) -> Result<(), DecodeError> {
    let text = element.text.trim();
    let bad = |what: &str| DecodeError::new(path, format!("expected {what}, found `{text}`"));
    match slot {
        Slot::Option(option) => read(element, kind, option.fill(), path)?,
        Slot::Str(s) => *s = element.text.clone(),
        Slot::Enum(e) => e.set(&element.text),
        Slot::Bool(b) => {
            *b = match text {
                "true" => true,
                "false" => false,
                _ => return Err(bad("`true` or `false`")),
            }
        }
        Slot::I32(n) => *n = text.parse().map_err(|_| bad("a 32-bit whole number"))?,
        Slot::I64(n) => *n = text.parse().map_err(|_| bad("a whole number"))?,
        Slot::F32(n) => *n = finite(text).map_err(|_| bad("a finite number"))? as f32,
        Slot::F64(n) => *n = finite(text).map_err(|_| bad("a finite number"))?,
        Slot::Time(t) => {
            *t = match kind {
                Kind::EpochSeconds => super::epoch_seconds::from_f64(text.parse().map_err(|_| bad("epoch seconds"))?),
                _ => super::date_time::parse(text),
            }
            .map_err(|e| DecodeError::new(path, e))?
        }
        Slot::Blob(b) => *b = super::base64_blob::decode(text).map_err(|e| DecodeError::new(path, e))?,
        Slot::Struct(s) => read_struct(element, s, path)?,
        Slot::List(list) => {
            let Kind::List(schema) = kind else { return Err(bad("a value of the schema's kind")) };
            for (i, item) in element.children.iter().filter(|c| c.name == schema.xml_item).enumerate() {
                read(item, schema.item, list.push(), &format!("{path}[{i}]"))?;
            }
        }
        Slot::Map(_) => return Err(DecodeError::new(path, "maps are not read from XML yet")),
    }
    Ok(())
}

fn finite(text: &str) -> Result<f64, ()> {
    text.parse::<f64>().ok().filter(|f| f.is_finite()).ok_or(())
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
