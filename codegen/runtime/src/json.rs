//! JSON bodies (AWS JSON 1.1, AWS REST-JSON, Alibaba RPC responses), read
//! and written through the [schemas](super::schema) of the generated types.
//!
//! Reading parses the body with `serde_json` (its recursion limit bounds
//! the depth) and then fills the value member by member. Unknown members
//! are skipped, as a newer service may add them; unknown enum values are
//! kept. A JSON `null` is an absent member. Writing leaves absent members
//! out, and members the protocol carries outside the body (REST labels,
//! query parameters, headers).

use serde_json::Value;

use super::schema::{Kind, Location, Ref, Shape, Slot, StructSchema};
use super::{BuildError, DecodeError};

/// Reads a JSON document into a `T`.
pub fn decode<T: Shape + super::schema::Empty>(body: &[u8]) -> Result<T, DecodeError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| DecodeError::new("", format!("malformed JSON: {e}")))?;
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

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

fn read_struct(value: &Value, out: &mut dyn Shape, path: &str) -> Result<(), DecodeError> {
    let schema = out.dyn_schema();
    let Value::Object(map) = value else {
        return Err(DecodeError::new(path, format!("expected an object for `{}`, found {}", schema.name, describe(value))));
    };
    for (index, member) in schema.members.iter().enumerate() {
        match map.get(member.wire) {
            None | Some(Value::Null) => {
                if member.required && member.location == Location::Body {
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

fn read(value: &Value, kind: Kind, slot: Slot<'_>, path: &str) -> Result<(), DecodeError> {
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
            *n = value.as_f64().ok_or_else(|| bad("a number"))? as f32;
            Ok(())
        }
        Slot::F64(n) => {
            *n = value.as_f64().ok_or_else(|| bad("a number"))?;
            Ok(())
        }
        Slot::Time(t) => {
            *t = match (kind, value) {
                (Kind::DateTime, Value::String(s)) => super::date_time::parse(s),
                (Kind::EpochSeconds, Value::Number(n)) => super::epoch_seconds::from_f64(n.as_f64().unwrap_or(f64::NAN)),
                (Kind::DateTime, _) => return Err(bad("an RFC 3339 date-time string")),
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
        Slot::Struct(s) => read_struct(value, s, path),
        Slot::List(list) => {
            let Kind::List(schema) = kind else { return Err(bad("a value of the schema's kind")) };
            let items = value.as_array().ok_or_else(|| bad("an array"))?;
            for (i, item) in items.iter().enumerate() {
                read(item, schema.item, list.push(), &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Slot::Map(map) => {
            let Kind::Map(item) = kind else { return Err(bad("a value of the schema's kind")) };
            let entries = value.as_object().ok_or_else(|| bad("an object"))?;
            for (key, item_value) in entries {
                read(item_value, *item, map.insert(key.clone()), &join(path, key))?;
            }
            Ok(())
        }
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

/// Writes one value; a value JSON cannot carry (a float that is not finite,
/// a time outside what its format can write) is an error naming the member.
pub(crate) fn write(value: &Ref<'_>, kind: Kind, out: &mut String, path: &str) -> Result<(), BuildError> {
    let fail = |what: String| BuildError::new(format!("`{path}`: {what}"));
    match value {
        Ref::Absent => out.push_str("null"),
        Ref::Str(s) => write_str(s, out),
        Ref::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Ref::Int(n) => out.push_str(&n.to_string()),
        Ref::Float(f) => {
            if !f.is_finite() {
                return Err(fail(format!("{f} has no JSON form")));
            }
            out.push_str(&serde_json::Number::from_f64(*f).map(|n| n.to_string()).unwrap_or_default());
        }
        Ref::Time(t) => match kind {
            Kind::EpochSeconds => out.push_str(&super::epoch_seconds::format(t)),
            _ => write_str(&super::date_time::format(t).map_err(fail)?, out),
        },
        Ref::Blob(b) => write_str(&super::base64_blob::encode(b), out),
        Ref::Struct(s) => write_struct(*s, out, path, false)?,
        Ref::List(list) => {
            let item_kind = match kind {
                Kind::List(l) => l.item,
                other => other,
            };
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
            let item_kind = match kind {
                Kind::Map(k) => *k,
                other => other,
            };
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
        list: Option<Vec<Inner>> = ("List", "List", Kind::List(&ListSchema { item: Kind::Struct(<Inner as Shape>::schema), xml_item: "member", item_rules: &crate::schema::Rules::NONE }), false),
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
    fn values_json_cannot_carry_are_encode_errors() {
        let mut value = Outer::empty();
        value.ratio = Some(f64::INFINITY);
        assert!(encode(&value).expect_err("infinite").message.contains("`Ratio`"));
        let mut value = Outer::empty();
        value.when = Some(time::Date::from_calendar_date(-1, time::Month::January, 1).expect("date").midnight().assume_utc());
        assert!(encode(&value).expect_err("year -1").message.contains("`When`"));
    }
}
