//! JSON bodies (AWS JSON 1.1, AWS REST-JSON, Alibaba RPC responses), read
//! and written through the [schemas](super::schema) of the generated types.
//!
//! Reading parses the body with `serde_json` ([`parse`]) and then fills the
//! value member by member. Writing leaves absent members out, and members
//! the protocol carries outside the body (REST labels, query parameters,
//! headers); a value JSON cannot carry (a time outside what its format can
//! write) is an error naming the member. A float that is not finite is the
//! string `"NaN"`, `"Infinity"` or `"-Infinity"`, as Smithy's JSON
//! protocols write it.
//!
//! # Strictness
//!
//! The JSON protocols send RFC 8259 documents of the shapes the model
//! describes, so anything else is an error rather than something to guess
//! at. Each rule has a test below.
//!
//! 1. **One JSON document.** The body is one value, with only whitespace
//!    around it (`{} []` is an error), in UTF-8, with valid escapes (a lone
//!    surrogate `\ud800` is an error). It nests at most 128 deep
//!    (`serde_json`'s recursion limit), so no input overflows the stack.
//!    An empty or blank body of a 2xx response is `{}` (every member
//!    absent); that is decided by the caller, `protocol::json_response`.
//! 2. **A member name at most once per object.** An object that names a
//!    member twice (`{"Id":"a","Id":"b"}`) is an error, in structures, maps
//!    and unknown members alike, not silently the last value (as
//!    `serde_json::Value`, botocore's `json.loads` and the AWS SDK for Rust
//!    would take it) nor the first: two parsers that pick differently (a
//!    proxy, a signer, a logger) would see two different answers.
//! 3. **The JSON type the model says.** A structure and a map are objects
//!    (an array is not an object: `["CANCELING","task-1"]` is an error, not
//!    read by position), a list is an array, a string, an enum, a blob
//!    (base64) and an RFC 3339 timestamp are strings, a number and an
//!    epoch-seconds timestamp are numbers (a string is not a number, but
//!    for a float the strings `"NaN"`, `"Infinity"` and `"-Infinity"`),
//!    booleans are `true` or `false`. Integers are whole (`1.0` and `1e2`
//!    are not) and fit their slot (`i32` or `i64`).
//! 4. **`null` is an absent member**, as botocore and the AWS SDKs read it,
//!    and an absent item: lists and maps are dense (Smithy's default, and
//!    the only kind the model has), so a `null` item of a list or value of
//!    a map is skipped (`{"x":[],"z":null}` is the map with `x` only), as
//!    Smithy's `RestJsonDeserializesDenseSetMapAndSkipsNull` asks.
//! 5. **Required members are there.** A body member the schema marks
//!    required that the object lacks (or that is `null`) is an error naming
//!    it.
//! 6. **Forward compatible.** Unknown members are skipped whatever they
//!    hold, as a newer service may add them; unknown enum values are kept.
//! 7. **A document is any JSON value**, read and written as it is (its
//!    numbers whole where JSON's are, else floats); a `null` document
//!    member is absent, like any member.
//! 8. **A union sets exactly one member.** Not counting `__type` (which
//!    some services add, and which is skipped) and `null`s, a union's
//!    object has one member: none or several is an error, as botocore
//!    raises. One unknown member (a variant newer than the model) is
//!    accepted and read as a union with no known member set.
//!
//! Errors name the path of the member (`List[0].n`); errors of the JSON
//! itself also say the line and column.

use serde_json::Value;

use super::schema::{Kind, Location, Ref, Shape, Slot, StructSchema};
use super::{Document, Number};
use super::{BuildError, DecodeError};

/// Reads a JSON document into a `T`, under the rules of the module docs.
pub fn decode<T: Shape + super::schema::Empty>(body: &[u8]) -> Result<T, DecodeError> {
    let value = parse(body)?;
    let mut out = T::empty();
    read_struct(&value, &mut out, "")?;
    Ok(out)
}

/// Writes the body members of `value` as a JSON object.
pub fn encode(value: &dyn Shape) -> Result<Vec<u8>, BuildError> {
    let mut out = String::new();
    write_struct(value, &mut out, "", true)?;
    Ok(out.into_bytes())
}

/// Parses one JSON document (rules 1 and 2 of the module docs): like
/// `serde_json::from_slice::<Value>`, but an object that names a member
/// twice is an error.
pub fn parse(body: &[u8]) -> Result<Value, DecodeError> {
    serde_json::from_slice::<Unique>(body).map(|u| u.0).map_err(|e| {
        // A repeated name stops the parse where it is found; a document
        // that is also malformed further on is reported as malformed.
        let malformed = |e: serde_json::Error| DecodeError::new("", format!("malformed JSON: {e}"));
        if e.classify() != serde_json::error::Category::Data {
            return malformed(e);
        }
        match serde_json::from_slice::<Value>(body) {
            Err(syntax) => malformed(syntax),
            Ok(_) => DecodeError::new("", format!("{e}; a member may appear once in an object")),
        }
    })
}

/// A JSON value whose objects name each member once.
struct Unique(Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json's parser yields finite numbers only.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Unique(value) = map.next_value()?;
            match out.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(slot) => {
                    return Err(serde::de::Error::custom(format_args!("the member `{}` appears twice", slot.key())));
                }
            }
        }
        Ok(Value::Object(out))
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

fn read_struct(value: &Value, out: &mut dyn Shape, path: &str) -> Result<(), DecodeError> {
    let schema = out.dyn_schema();
    let Value::Object(map) = value else {
        return Err(DecodeError::new(path, format!("expected an object for `{}`, found {}", schema.name, describe(value))));
    };
    if out.is_union() {
        // Rule 8, as botocore's `_has_unknown_tagged_union_member`: `__type`
        // and nulls aside, one member, known or not.
        let set: Vec<&str> = map.iter().filter(|(k, v)| k.as_str() != "__type" && !v.is_null()).map(|(k, _)| k.as_str()).collect();
        if set.len() != 1 {
            return Err(DecodeError::new(path, format!("the union `{}` must set exactly one member, found {}: {set:?}", schema.name, set.len())));
        }
    }
    for (index, member) in schema.members.iter().enumerate() {
        if member.location != Location::Body {
            continue; // bound to a header, the status or the path: not in the body
        }
        match map.get(member.wire) {
            None | Some(Value::Null) => {
                if member.required {
                    return Err(DecodeError::new(join(path, member.wire), "the required member is missing"));
                }
            }
            Some(v) => {
                let at = join(path, member.wire);
                if let Some(slot) = out.field_mut(index) {
                    read(v, member.kind, slot, &at)?;
                }
            }
        }
    }
    Ok(())
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn read(value: &Value, kind: Kind, slot: Slot<'_>, path: &str) -> Result<(), DecodeError> {
    let bad = |what: &str| DecodeError::new(path, format!("expected {what}, found {}", describe(value)));
    match slot {
        Slot::Option(option) => match value {
            Value::Null => {
                option.clear();
                Ok(())
            }
            _ => read(value, kind, option.fill(), path),
        },
        Slot::Str(s) => {
            *s = value.as_str().ok_or_else(|| bad("a string"))?.to_string();
            Ok(())
        }
        Slot::Enum(e) => {
            e.set(value.as_str().ok_or_else(|| bad("a string"))?);
            Ok(())
        }
        Slot::Bool(b) => {
            *b = value.as_bool().ok_or_else(|| bad("a boolean"))?;
            Ok(())
        }
        Slot::I32(n) => {
            let v = value.as_i64().ok_or_else(|| bad("a whole number"))?;
            *n = i32::try_from(v).map_err(|_| DecodeError::new(path, format!("{v} does not fit a 32-bit integer")))?;
            Ok(())
        }
        Slot::I64(n) => {
            *n = value.as_i64().ok_or_else(|| bad("a whole number"))?;
            Ok(())
        }
        Slot::F32(n) => {
            *n = float(value).ok_or_else(|| bad(FLOAT))? as f32;
            Ok(())
        }
        Slot::F64(n) => {
            *n = float(value).ok_or_else(|| bad(FLOAT))?;
            Ok(())
        }
        Slot::Time(t) => {
            *t = match (kind, value) {
                (Kind::DateTime, Value::String(s)) => super::date_time::parse(s),
                (Kind::EpochSeconds, Value::Number(n)) => super::epoch_seconds::from_f64(n.as_f64().unwrap_or(f64::NAN)),
                (Kind::HttpDate, Value::String(s)) => super::http_date::parse(s),
                (Kind::DateTime, _) => return Err(bad("an RFC 3339 date-time string")),
                (Kind::HttpDate, _) => return Err(bad("an HTTP-date string")),
                _ => return Err(bad("epoch seconds (a number)")),
            }
            .map_err(|e| DecodeError::new(path, e))?;
            Ok(())
        }
        Slot::Blob(b) => {
            *b = super::base64_blob::decode(value.as_str().ok_or_else(|| bad("a base64 string"))?)
                .map_err(|e| DecodeError::new(path, e))?;
            Ok(())
        }
        Slot::Document(d) => {
            *d = Document::from(value);
            Ok(())
        }
        Slot::Struct(s) => read_struct(value, s, path),
        Slot::List(list) => {
            let Kind::List(schema) = kind else { return Err(bad("a value of the schema's kind")) };
            let items = value.as_array().ok_or_else(|| bad("an array"))?;
            // Rule 4: lists are dense, so a `null` item is skipped.
            for (i, item) in items.iter().enumerate().filter(|(_, item)| !item.is_null()) {
                read(item, schema.item, list.push(), &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Slot::Map(map) => {
            let Some(item) = kind.map_value() else { return Err(bad("a value of the schema's kind")) };
            let entries = value.as_object().ok_or_else(|| bad("an object"))?;
            // Rule 4: maps are dense, so a `null` value is skipped.
            for (key, item_value) in entries.iter().filter(|(_, v)| !v.is_null()) {
                read(item_value, item, map.insert(key.clone()), &join(path, key))?;
            }
            Ok(())
        }
    }
}

const FLOAT: &str = "a number (or \"NaN\", \"Infinity\", \"-Infinity\")";

/// A float: a JSON number, or one of the strings Smithy's JSON protocols
/// send for the values that are not finite (rule 3).
fn float(value: &Value) -> Option<f64> {
    match value {
        Value::String(s) => super::schema::special_float(s),
        other => other.as_f64(),
    }
}

fn write_struct(value: &dyn Shape, out: &mut String, path: &str, body_only: bool) -> Result<(), BuildError> {
    let schema: &StructSchema = value.dyn_schema();
    out.push('{');
    let mut first = true;
    for (index, member) in schema.members.iter().enumerate() {
        if body_only && member.location != Location::Body {
            continue;
        }
        let field = value.field(index);
        if matches!(field, Ref::Absent) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_str(member.wire, out);
        out.push(':');
        write(&field, member.kind, out, &join(path, member.wire))?;
    }
    out.push('}');
    Ok(())
}

/// Writes one value; a value JSON cannot carry (a time outside what its
/// format can write) is an error naming the member.
pub(crate) fn write(value: &Ref<'_>, kind: Kind, out: &mut String, path: &str) -> Result<(), BuildError> {
    let fail = |what: String| BuildError::new(format!("`{path}`: {what}"));
    match value {
        Ref::Absent => out.push_str("null"),
        Ref::Str(s) => write_str(s, out),
        Ref::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Ref::Int(n) => out.push_str(&n.to_string()),
        Ref::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => out.push_str(&n.to_string()),
            // Not finite: the string Smithy's JSON protocols send.
            None => write_str(&super::schema::float_text(*f), out),
        },
        Ref::Time(t) => match kind {
            Kind::EpochSeconds => out.push_str(&super::epoch_seconds::format(t)),
            Kind::HttpDate => write_str(&super::http_date::format(t).map_err(fail)?, out),
            _ => write_str(&super::date_time::format(t).map_err(fail)?, out),
        },
        Ref::Blob(b) => write_str(&super::base64_blob::encode(b), out),
        Ref::Document(d) => write_document(d, out, path)?,
        Ref::Struct(s) => write_struct(*s, out, path, false)?,
        Ref::List(list) => {
            let item_kind = kind.list_item().unwrap_or(kind);
            out.push('[');
            for i in 0..list.len() {
                if i > 0 {
                    out.push(',');
                }
                write(&list.item(i), item_kind, out, &format!("{path}[{i}]"))?;
            }
            out.push(']');
        }
        Ref::Map(map) => {
            let item_kind = kind.map_value().unwrap_or(kind);
            out.push('{');
            for (i, (key, v)) in map.entries().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write(v, item_kind, out, &join(path, key))?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A document is the JSON value as it is (feature `json`).
impl From<&Value> for Document {
    fn from(value: &Value) -> Document {
        match value {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Number::PosInt(u),
                (None, Some(i)) => Number::NegInt(i),
                // serde_json's numbers are finite, so `as_f64` always answers.
                (None, None) => Number::Float(n.as_f64().unwrap_or_default()),
            }),
            Value::String(s) => Document::String(s.clone()),
            Value::Array(items) => Document::Array(items.iter().map(Document::from).collect()),
            Value::Object(map) => Document::Object(map.iter().map(|(k, v)| (k.clone(), Document::from(v))).collect()),
        }
    }
}

/// A document as a JSON value (feature `json`); a float that is not finite,
/// which JSON cannot hold, becomes `null`.
impl From<&Document> for Value {
    fn from(value: &Document) -> Value {
        match value {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(Number::PosInt(n)) => Value::from(*n),
            Document::Number(Number::NegInt(n)) => Value::from(*n),
            Document::Number(Number::Float(f)) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Document::String(s) => Value::String(s.clone()),
            Document::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            Document::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect()),
        }
    }
}

/// The JSON text of a document (a REST payload), or why it has none.
pub(crate) fn encode_document(value: &Document, path: &str) -> Result<Vec<u8>, BuildError> {
    let mut out = String::new();
    write_document(value, &mut out, path)?;
    Ok(out.into_bytes())
}

/// Writes a document; a float that is not finite has no JSON form there
/// (a document has no schema to say it is a float), an error naming it.
fn write_document(value: &Document, out: &mut String, path: &str) -> Result<(), BuildError> {
    match value {
        Document::Null => out.push_str("null"),
        Document::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Document::Number(Number::PosInt(n)) => out.push_str(&n.to_string()),
        Document::Number(Number::NegInt(n)) => out.push_str(&n.to_string()),
        Document::Number(Number::Float(f)) => match serde_json::Number::from_f64(*f) {
            Some(n) => out.push_str(&n.to_string()),
            None => return Err(BuildError::new(format!("`{path}`: {f} has no JSON form in a document"))),
        },
        Document::String(s) => write_str(s, out),
        Document::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_document(item, out, &format!("{path}[{i}]"))?;
            }
            out.push(']');
        }
        Document::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write_document(item, out, &join(path, key))?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string literal.
pub(crate) fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::schema::{Empty, Kind, ListSchema, Shape};

    crate::schema::test_shape!(Inner { n: Option<i32> = ("n", "N", Kind::Integer, false) });

    crate::schema::test_shape!(Outer {
        id: String = ("Id", "Id", Kind::String, true),
        at: Option<time::OffsetDateTime> = ("At", "At", Kind::EpochSeconds, false),
        when: Option<time::OffsetDateTime> = ("When", "When", Kind::DateTime, false),
        blob: Option<Vec<u8>> = ("Blob", "Blob", Kind::Blob, false),
        ratio: Option<f64> = ("Ratio", "Ratio", Kind::Float, false),
        inner: Option<Inner> = ("Inner", "Inner", Kind::Struct(<Inner as Shape>::schema), false),
        list: Option<Vec<Inner>> = ("List", "List", Kind::List(&ListSchema { item: Kind::Struct(<Inner as Shape>::schema), xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        tags: Option<BTreeMap<String, String>> = ("Tags", "Tags", Kind::Map(&Kind::String), false),
    });

    #[test]
    fn values_round_trip_through_their_wire_forms() {
        let body = r#"{"Id":"t\"1\n","At":1609459200.5,"When":"2008-10-07T11:41:50Z","Blob":"Zm8=","Ratio":-2.25,"Inner":{"n":3},"List":[{"n":1},{}],"Tags":{"a":"b"},"New":[1,2]}"#;
        let value: Outer = decode(body.as_bytes()).expect("decodes");
        assert_eq!(value.id, "t\"1\n");
        assert_eq!(value.at.map(|t| t.unix_timestamp_nanos()), Some(1_609_459_200_500_000_000));
        assert_eq!(value.blob.as_deref(), Some(&b"fo"[..]));
        assert_eq!(value.list.as_ref().map(Vec::len), Some(2));
        assert_eq!(value.tags.as_ref().and_then(|t| t.get("a")).map(String::as_str), Some("b"));
        let written = String::from_utf8(encode(&value).expect("encodes")).expect("UTF-8");
        let again: Outer = decode(written.as_bytes()).expect("decodes again");
        assert_eq!(again, value);
        let expected: serde_json::Value = serde_json::from_str(body).expect("json");
        let mut expected = expected;
        expected.as_object_mut().map(|o| o.remove("New"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&written).expect("json"), expected);
    }

    crate::schema::test_shape!(Collections {
        epochs: Option<Vec<time::OffsetDateTime>> = ("epochs", "Epochs", Kind::List(&ListSchema { item: Kind::EpochSeconds, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        dates: Option<BTreeMap<String, time::OffsetDateTime>> = ("dates", "Dates", Kind::Map(&Kind::DateTime), false),
        blobs: Option<Vec<Vec<u8>>> = ("blobs", "Blobs", Kind::List(&ListSchema { item: Kind::Blob, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        blob_map: Option<BTreeMap<String, Vec<u8>>> = ("blobMap", "BlobMap", Kind::Map(&Kind::Blob), false),
    });

    #[test]
    fn items_of_timestamps_and_blobs_keep_their_wire_form() {
        let body = r#"{"epochs":[1398796238,1398796238.5],"dates":{"a":"2014-04-29T18:30:38Z"},"blobs":["Zm9v","YmFy"],"blobMap":{"k":"Zm9v"}}"#;
        let value: Collections = decode(body.as_bytes()).expect("decodes");
        assert_eq!(value.epochs.as_ref().map(|e| e[1].unix_timestamp_nanos()), Some(1_398_796_238_500_000_000));
        assert_eq!(value.dates.as_ref().and_then(|d| d.get("a")).map(|t| t.unix_timestamp()), Some(1_398_796_238));
        assert_eq!(value.blobs, Some(vec![b"foo".to_vec(), b"bar".to_vec()]));
        assert_eq!(value.blob_map.as_ref().and_then(|m| m.get("k")).map(Vec::as_slice), Some(&b"foo"[..]));
        let written = String::from_utf8(encode(&value).expect("encodes")).expect("UTF-8");
        assert_eq!(written, body, "each item in its own wire form");
        for (body, path) in [(r#"{"epochs":["2014-04-29T18:30:38Z"]}"#, "epochs[0]"), (r#"{"dates":{"a":1}}"#, "dates.a"), (r#"{"blobs":["!!"]}"#, "blobs[0]")] {
            assert_eq!(decode::<Collections>(body.as_bytes()).expect_err(body).path, path, "{body}");
        }
    }

    #[test]
    fn wrong_types_missing_members_and_arrays_for_objects_are_errors_with_paths() {
        let err = decode::<Outer>(br#"{"Id":"x","List":[{"n":"one"}]}"#).expect_err("a string for a number");
        assert_eq!(err.path, "List[0].n");
        let err = decode::<Outer>(br#"{"At":1}"#).expect_err("required");
        assert_eq!((err.path.as_str(), err.message.as_str()), ("Id", "the required member is missing"));
        let err = decode::<Outer>(br#"["CANCELING","task-1"]"#).expect_err("an array is not an object");
        assert!(err.message.contains("expected an object"), "{err}");
        let err = decode::<Outer>(br#"{"Id":"x","Inner":{"n":4294967296}}"#).expect_err("too big");
        assert!(err.message.contains("32-bit"), "{err}");
        let null: Outer = decode(br#"{"Id":"x","Inner":null}"#).expect("null is absent");
        assert_eq!(null.inner, None);
    }

    #[test]
    fn floats_that_are_not_finite_are_the_strings_smithy_sends() {
        for (f, text) in [(f64::NAN, r#""NaN""#), (f64::INFINITY, r#""Infinity""#), (f64::NEG_INFINITY, r#""-Infinity""#)] {
            let mut value = Outer::empty();
            value.ratio = Some(f);
            let written = String::from_utf8(encode(&value).expect("encodes")).expect("UTF-8");
            assert_eq!(written, format!(r#"{{"Id":"","Ratio":{text}}}"#));
            let back: Outer = decode(written.as_bytes()).expect("decodes");
            let ratio = back.ratio.expect("a ratio");
            assert!(ratio == f || (f.is_nan() && ratio.is_nan()), "{text}: {ratio}");
        }
        let wide = scalars(r#"{"wide":"-Infinity"}"#).expect("a special float").wide;
        assert_eq!(wide, Some(f64::NEG_INFINITY));
        for body in [r#"{"wide":"inf"}"#, r#"{"wide":"nan"}"#, r#"{"wide":"1.5"}"#, r#"{"wide":"Infinity "}"#] {
            let err = scalars(body).expect_err(body);
            assert_eq!(err.path, "wide", "{body}: {err}");
        }
    }

    #[test]
    fn values_json_cannot_carry_are_encode_errors() {
        let mut value = Outer::empty();
        value.when = Some(time::Date::from_calendar_date(-1, time::Month::January, 1).expect("date").midnight().assume_utc());
        assert!(encode(&value).expect_err("year -1").message.contains("`When`"));
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

    crate::schema::test_shape!(Scalars {
        text: Option<String> = ("text", "Text", Kind::String, false),
        state: Option<State> = ("state", "State", Kind::String, false),
        flag: Option<bool> = ("flag", "Flag", Kind::Boolean, false),
        count: Option<i32> = ("count", "Count", Kind::Integer, false),
        big: Option<i64> = ("big", "Big", Kind::Integer, false),
        wide: Option<f64> = ("wide", "Wide", Kind::Float, false),
        names: Option<Vec<String>> = ("names", "Names", Kind::List(&ListSchema { item: Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        tags: Option<BTreeMap<String, String>> = ("tags", "Tags", Kind::Map(&Kind::String), false),
    });

    fn scalars(body: &str) -> Result<Scalars, DecodeError> {
        decode(body.as_bytes())
    }

    #[test]
    fn rule_1_one_document_in_utf_8_nested_at_most_128_deep() {
        for body in ["", "{} []", "{}{}", "{} x", "{", r#"{"text":"\ud800"}"#, "{\"text\":\"\u{1}\"}", "{'text':1}", "{\"text\":1,}"] {
            let err = scalars(body).expect_err(body);
            assert!(err.message.starts_with("malformed JSON: "), "{body:?}: {err}");
        }
        let err = decode::<Scalars>(b"{\"text\":\"\xff\"}").expect_err("not UTF-8");
        assert!(err.message.starts_with("malformed JSON: "), "{err}");
        assert!(scalars(" \n{}\t ").is_ok(), "whitespace around the document");
        let deep = format!("{{\"unknown\":{}{}}}", "[".repeat(200), "]".repeat(200));
        let err = scalars(&deep).expect_err("too deep");
        assert!(err.message.contains("recursion limit"), "{err}");
        let fine = format!("{{\"unknown\":{}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(scalars(&fine).is_ok(), "100 deep is fine");
    }

    #[test]
    fn rule_2_a_member_name_appears_at_most_once_per_object() {
        for body in [
            r#"{"text":"a","text":"b"}"#,
            r#"{"tags":{"k":"1","k":"2"}}"#,
            r#"{"unknown":1,"unknown":2}"#,
            r#"{"future":[{"x":1,"x":1}]}"#,
        ] {
            let err = scalars(body).expect_err(body);
            assert!(err.message.contains("appears twice"), "{body}: {err}");
            assert!(err.message.contains("line 1 column"), "{body}: {err}");
        }
        assert!(scalars(r#"{"text":"a","tags":{"text":"b"}}"#).is_ok(), "one name in two objects");
        let both = scalars(r#"{"text":"a","text":"b"} x"#).expect_err("twice, and malformed after");
        assert!(both.message.starts_with("malformed JSON: trailing characters"), "malformed wins: {both}");
        let same_as_serde: Value = parse(br#"{"a":[1,2.5,-3,true,null,"x",{"b":{}}],"c":18446744073709551615}"#).expect("parses");
        let serde: Value = serde_json::from_str(r#"{"a":[1,2.5,-3,true,null,"x",{"b":{}}],"c":18446744073709551615}"#).expect("parses");
        assert_eq!(same_as_serde, serde, "otherwise the same value as serde_json's");
    }

    #[test]
    fn rule_3_the_json_type_the_model_says() {
        for (body, path) in [
            (r#"["CANCELING","task-1"]"#, ""),
            (r#""text""#, ""),
            (r#"{"text":1}"#, "text"),
            (r#"{"state":["pending"]}"#, "state"),
            (r#"{"flag":"true"}"#, "flag"),
            (r#"{"flag":1}"#, "flag"),
            (r#"{"count":"1"}"#, "count"),
            (r#"{"count":1.0}"#, "count"),
            (r#"{"count":1e2}"#, "count"),
            (r#"{"count":2147483648}"#, "count"),
            (r#"{"big":9223372036854775808}"#, "big"),
            (r#"{"wide":"1.5"}"#, "wide"),
            (r#"{"names":"a"}"#, "names"),
            (r#"{"names":{"0":"a"}}"#, "names"),
            (r#"{"names":["a",1]}"#, "names[1]"),
            (r#"{"tags":[["k","v"]]}"#, "tags"),
        ] {
            let err = scalars(body).expect_err(body);
            assert_eq!(err.path, path, "{body}: {err}");
            assert!(err.message.starts_with("expected ") || err.message.contains("fit"), "{body}: {err}");
        }
        let ok = scalars(r#"{"flag":false,"count":-2147483648,"big":-9223372036854775808,"wide":1e2,"names":[],"tags":{}}"#).expect("the right types");
        assert_eq!((ok.count, ok.big, ok.wide), (Some(i32::MIN), Some(i64::MIN), Some(100.0)));
    }

    #[test]
    fn rule_4_null_is_an_absent_member() {
        let value = scalars(r#"{"text":null,"state":null,"names":null,"tags":null}"#).expect("nulls");
        assert_eq!(value, Scalars::empty());
        let err = decode::<Outer>(br#"{"Id":null}"#).expect_err("a required member that is null is missing");
        assert_eq!((err.path.as_str(), err.message.as_str()), ("Id", "the required member is missing"));
    }

    #[test]
    fn rule_4_null_items_of_lists_and_maps_are_skipped() {
        let value = scalars(r#"{"names":[null,"a",null],"tags":{"x":"1","z":null}}"#).expect("dense collections");
        assert_eq!(value.names, Some(vec!["a".to_string()]));
        assert_eq!(value.tags.as_ref().map(|t| t.keys().cloned().collect::<Vec<_>>()), Some(vec!["x".to_string()]));
        let err = scalars(r#"{"names":[null,1]}"#).expect_err("a wrong item after a null");
        assert_eq!(err.path, "names[1]", "the path keeps the wire index");
    }

    #[test]
    fn rule_5_a_required_member_missing_is_an_error_naming_it() {
        let err = decode::<Outer>(br#"{"Inner":{}}"#).expect_err("no Id");
        assert_eq!((err.path.as_str(), err.message.as_str()), ("Id", "the required member is missing"));
    }

    crate::schema::test_shape!(union Choice {
        text: Option<String> = ("text", "Text", Kind::String, false),
        inner: Option<Inner> = ("inner", "Inner", Kind::Struct(<Inner as Shape>::schema), false),
    });

    crate::schema::test_shape!(Holder {
        choice: Option<Choice> = ("choice", "Choice", Kind::Struct(<Choice as Shape>::schema), false),
    });

    #[test]
    fn rule_8_a_union_sets_exactly_one_member() {
        let holder = |body: &str| decode::<Holder>(body.as_bytes());
        let text = holder(r#"{"choice":{"text":"a"}}"#).expect("one member");
        assert_eq!(text.choice.and_then(|c| c.text).as_deref(), Some("a"));
        let typed = holder(r#"{"choice":{"__type":"aws.protocoltests#MyUnion","inner":{"n":1},"text":null}}"#).expect("__type and nulls aside");
        assert_eq!(typed.choice.and_then(|c| c.inner).and_then(|i| i.n), Some(1));
        let newer = holder(r#"{"choice":{"newVariant":1}}"#).expect("an unknown variant");
        assert_eq!(newer.choice, Some(Choice { text: None, inner: None }));
        for body in [r#"{"choice":{}}"#, r#"{"choice":{"__type":"X"}}"#, r#"{"choice":{"text":"a","inner":{}}}"#, r#"{"choice":{"text":"a","x":1}}"#] {
            let err = holder(body).expect_err(body);
            assert_eq!(err.path, "choice", "{body}: {err}");
            assert!(err.message.contains("exactly one member"), "{body}: {err}");
        }
        let written = String::from_utf8(encode(&Holder { choice: Some(Choice { text: Some("a".into()), inner: None }) }).expect("encodes")).expect("UTF-8");
        assert_eq!(written, r#"{"choice":{"text":"a"}}"#, "only the member that is set");
    }

    crate::schema::test_shape!(Docs {
        doc: Option<Document> = ("doc", "Doc", Kind::Document, false),
        docs: Option<BTreeMap<String, Document>> = ("docs", "Docs", Kind::Map(&Kind::Document), false),
    });

    #[test]
    fn rule_7_a_document_is_any_json_value_as_it_is() {
        let body = r#"{"doc":[true,"hi",[1,-2,2.5],{"foo":{"baz":null}},18446744073709551615],"docs":{"a":{"f":1},"b":"B"}}"#;
        let value: Docs = decode(body.as_bytes()).expect("documents");
        let Some(Document::Array(items)) = &value.doc else { panic!("an array: {value:?}") };
        assert_eq!(items[2], Document::Array(vec![Document::from(1i64), Document::from(-2i64), Document::from(2.5)]));
        assert_eq!(items[4], Document::Number(Number::PosInt(u64::MAX)));
        let written = String::from_utf8(encode(&value).expect("encodes")).expect("UTF-8");
        assert_eq!(written, body, "written back as read");
        for (body, doc) in [(r#"{"doc":"x"}"#, Some(Document::from("x"))), (r#"{"doc":false}"#, Some(Document::Bool(false))), (r#"{"doc":null}"#, None)] {
            assert_eq!(decode::<Docs>(body.as_bytes()).expect(body).doc, doc, "{body}");
        }
        let nan = Docs { doc: Some(Document::Array(vec![Document::from(f64::NAN)])), docs: None };
        assert!(encode(&nan).expect_err("NaN in a document").message.contains("`doc[0]`"));
        // The same values convert to and from serde_json's, exactly.
        let json: Value = serde_json::from_str(r#"[true,"hi",[1,-2,2.5],{"foo":{"baz":null}},18446744073709551615]"#).expect("JSON");
        assert_eq!(Document::from(&json), Document::Array(items.clone()));
        assert_eq!(Value::from(&Document::Array(items.clone())), json);
        assert_eq!(Value::from(&Document::from(f64::INFINITY)), Value::Null, "JSON has no infinity");
    }

    #[test]
    fn rule_6_unknown_members_are_skipped_and_unknown_enum_values_kept() {
        let value = scalars(r#"{"new":{"deep":[1,{"x":null}]},"state":"PAUSED","Text":"wrong case is unknown"}"#).expect("forward compatible");
        assert_eq!(value.state, Some(State::Unknown("PAUSED".into())));
        assert_eq!(value.text, None, "member names are case-sensitive");
        let written = String::from_utf8(encode(&value).expect("encodes")).expect("UTF-8");
        assert_eq!(written, r#"{"state":"PAUSED"}"#, "an unknown value is written back unchanged");
        assert_eq!(scalars(r#"{"state":"pending"}"#).expect("known").state, Some(State::Pending));
    }
}
