//! Query-string and form encoding of requests (EC2 query, Alibaba RPC).
//!
//! Lists are flattened the way both services expect: `BundleId.1`,
//! `Filter.1.Name`, `Filter.1.Value.1`, `TemplateTag.1.Key`.

use serde_json::Value;

use super::schema::{HasSchema, Kind, StructSchema};

/// The parameters of `value` after `Action`, `Version` and `extra`.
pub fn to_query<T: serde::Serialize + HasSchema>(
    value: &T,
    action: &str,
    version: &str,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut params = vec![
        ("Action".to_string(), action.to_string()),
        ("Version".to_string(), version.to_string()),
    ];
    params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    // The generated types serialize to JSON without error except for
    // timestamps outside RFC 3339's years; such a member is left out.
    let json = serde_json::to_value(value).unwrap_or(Value::Null);
    flatten_struct(&json, T::schema(), "", &mut params);
    params
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn flatten_struct(value: &Value, schema: &StructSchema, prefix: &str, out: &mut Vec<(String, String)>) {
    let Value::Object(map) = value else { return };
    for member in schema.members {
        if let Some(v) = map.get(member.wire) {
            flatten(v, member.kind, &join(prefix, member.query), out);
        }
    }
}

fn flatten(value: &Value, kind: Kind, name: &str, out: &mut Vec<(String, String)>) {
    match (kind, value) {
        (_, Value::Null) => {}
        (Kind::Struct(schema), v) => flatten_struct(v, schema(), name, out),
        (Kind::List(list), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, list.item, &format!("{name}.{}", i + 1), out);
            }
        }
        (_, Value::String(s)) => out.push((name.to_string(), s.clone())),
        (_, Value::Bool(b)) => out.push((name.to_string(), b.to_string())),
        (_, Value::Number(n)) => out.push((name.to_string(), n.to_string())),
        (_, Value::Array(_) | Value::Object(_)) => {}
    }
}

/// `application/x-www-form-urlencoded` body of the parameters, with
/// RFC 3986 percent-encoding (the form both services sign).
pub fn form_encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
