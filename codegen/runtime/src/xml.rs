//! EC2's XML: responses are read into the generated types' serde form with
//! the help of their [schemas](super::schema), and written back.
//!
//! Reading builds a small element tree with an explicit stack (no recursion
//! on the input's depth) and limits, then converts it member by member;
//! unknown elements are skipped, as a newer service may add them.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::DecodeError;
use super::schema::{HasSchema, Kind, StructSchema};

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
pub fn decode<T: DeserializeOwned + HasSchema>(xml: &str, root: &str) -> Result<T, DecodeError> {
    let element = parse(xml)?;
    if element.name != root {
        return Err(DecodeError::new("", format!("expected the root element `{root}`, found `{}`", element.name)));
    }
    let value = struct_to_json(&element, T::schema(), root)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        DecodeError::new(format!("{root}.{path}"), e.into_inner().to_string())
    })
}

fn struct_to_json(element: &Element, schema: &StructSchema, path: &str) -> Result<Value, DecodeError> {
    let mut map = Map::new();
    for child in &element.children {
        if let Some(member) = schema.members.iter().find(|m| m.wire == child.name) {
            let child_path = format!("{path}.{}", member.wire);
            map.insert(member.wire.to_string(), to_json(child, member.kind, &child_path)?);
        }
    }
    Ok(Value::Object(map))
}

fn to_json(element: &Element, kind: Kind, path: &str) -> Result<Value, DecodeError> {
    let text = element.text.trim();
    let bad = |what: &str| DecodeError::new(path, format!("expected {what}, found `{text}`"));
    Ok(match kind {
        Kind::String | Kind::Timestamp | Kind::Blob => Value::String(element.text.clone()),
        Kind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad("`true` or `false`")),
        },
        Kind::Integer => Value::from(text.parse::<i64>().map_err(|_| bad("a whole number"))?),
        Kind::Float => {
            let n: f64 = text.parse().map_err(|_| bad("a number"))?;
            serde_json::Number::from_f64(n).map(Value::Number).ok_or_else(|| bad("a finite number"))?
        }
        Kind::Struct(schema) => struct_to_json(element, schema(), path)?,
        Kind::List(list) => Value::Array(
            element
                .children
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item, list.item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// Writes `value` as a document with root element `root` in `namespace`.
pub fn encode<T: Serialize + HasSchema>(value: &T, root: &str, namespace: &str) -> String {
    let json = serde_json::to_value(value).unwrap_or(Value::Null);
    let mut out = format!("<{root} xmlns=\"{}\">", escape(namespace));
    write_struct(&json, T::schema(), &mut out);
    out.push_str(&format!("</{root}>"));
    out
}

fn escape(text: &str) -> String {
    // A raw CR would be read back as LF (XML 1.0, section 2.11); as a
    // character reference it survives.
    quick_xml::escape::escape(text).replace('\r', "&#xD;")
}

fn write_struct(value: &Value, schema: &StructSchema, out: &mut String) {
    let Value::Object(map) = value else { return };
    for member in schema.members {
        match map.get(member.wire) {
            None | Some(Value::Null) => {}
            Some(v) => {
                out.push_str(&format!("<{}>", member.wire));
                write_value(v, member.kind, out);
                out.push_str(&format!("</{}>", member.wire));
            }
        }
    }
}

fn write_value(value: &Value, kind: Kind, out: &mut String) {
    match (kind, value) {
        (Kind::Struct(schema), v) => write_struct(v, schema(), out),
        (Kind::List(list), Value::Array(items)) => {
            for item in items {
                out.push_str(&format!("<{}>", list.xml_item));
                write_value(item, list.item, out);
                out.push_str(&format!("</{}>", list.xml_item));
            }
        }
        (_, Value::String(s)) => out.push_str(&escape(s)),
        (_, Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        (_, Value::Number(n)) => out.push_str(&n.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::schema::{ListSchema, MemberSchema};

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    struct Task {
        #[serde(rename = "taskId", default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(rename = "done", default, skip_serializing_if = "Option::is_none")]
        done: Option<bool>,
        #[serde(rename = "size", default, skip_serializing_if = "Option::is_none")]
        size: Option<i64>,
        #[serde(rename = "ratio", default, skip_serializing_if = "Option::is_none")]
        ratio: Option<f64>,
    }

    impl HasSchema for Task {
        fn schema() -> &'static StructSchema {
            static SCHEMA: StructSchema = StructSchema {
                name: "Task",
                members: &[
                    MemberSchema { wire: "taskId", query: "TaskId", kind: Kind::String },
                    MemberSchema { wire: "done", query: "Done", kind: Kind::Boolean },
                    MemberSchema { wire: "size", query: "Size", kind: Kind::Integer },
                    MemberSchema { wire: "ratio", query: "Ratio", kind: Kind::Float },
                ],
            };
            &SCHEMA
        }
    }

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    struct Listing {
        #[serde(rename = "requestId", default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        #[serde(rename = "taskSet", default, skip_serializing_if = "Option::is_none")]
        tasks: Option<Vec<Task>>,
        #[serde(rename = "names", default, skip_serializing_if = "Option::is_none")]
        names: Option<Vec<String>>,
    }

    impl HasSchema for Listing {
        fn schema() -> &'static StructSchema {
            static SCHEMA: StructSchema = StructSchema {
                name: "Listing",
                members: &[
                    MemberSchema { wire: "requestId", query: "RequestId", kind: Kind::String },
                    MemberSchema {
                        wire: "taskSet",
                        query: "Task",
                        kind: Kind::List(&ListSchema { item: Kind::Struct(Task::schema), xml_item: "item" }),
                    },
                    MemberSchema {
                        wire: "names",
                        query: "Name",
                        kind: Kind::List(&ListSchema { item: Kind::String, xml_item: "member" }),
                    },
                ],
            };
            &SCHEMA
        }
    }

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
        assert_eq!(tasks[2], Task::default());
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
            tasks: Some(vec![Task { id: Some("]]>".into()), done: Some(false), size: Some(7), ratio: Some(-2.25) }, Task::default()]),
            names: Some(vec![]),
        };
        let xml = encode(&listing, "ListingResponse", "urn:\"x\"");
        assert!(xml.starts_with("<ListingResponse xmlns=\"urn:&quot;x&quot;\"><requestId>a&lt;b&gt;&amp;&quot;c&#xD;\nd</requestId>"), "{xml}");
        assert!(xml.contains("<taskSet><item><taskId>]]&gt;</taskId><done>false</done><size>7</size><ratio>-2.25</ratio></item><item></item></taskSet>"), "{xml}");
        assert!(xml.ends_with("<names></names></ListingResponse>"), "{xml}");
        let back: Listing = decode(&xml, "ListingResponse").expect("decodes");
        assert_eq!(back, listing);
    }
}
