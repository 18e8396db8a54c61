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

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::schema::{ListSchema, MemberSchema};

    #[derive(Serialize)]
    struct Filter {
        #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(rename = "Values", skip_serializing_if = "Option::is_none")]
        values: Option<Vec<String>>,
    }

    impl HasSchema for Filter {
        fn schema() -> &'static StructSchema {
            static SCHEMA: StructSchema = StructSchema {
                name: "Filter",
                members: &[
                    MemberSchema { wire: "Name", query: "Name", kind: Kind::String },
                    MemberSchema {
                        wire: "Values",
                        query: "Value",
                        kind: Kind::List(&ListSchema { item: Kind::String, xml_item: "item" }),
                    },
                ],
            };
            &SCHEMA
        }
    }

    #[derive(Serialize)]
    struct Describe {
        #[serde(rename = "Ids")]
        ids: Vec<String>,
        #[serde(rename = "Filters", skip_serializing_if = "Option::is_none")]
        filters: Option<Vec<Filter>>,
        #[serde(rename = "DryRun", skip_serializing_if = "Option::is_none")]
        dry_run: Option<bool>,
        #[serde(rename = "Max")]
        max: Option<i32>,
    }

    impl HasSchema for Describe {
        fn schema() -> &'static StructSchema {
            static SCHEMA: StructSchema = StructSchema {
                name: "Describe",
                members: &[
                    MemberSchema {
                        wire: "Ids",
                        query: "Id",
                        kind: Kind::List(&ListSchema { item: Kind::String, xml_item: "item" }),
                    },
                    MemberSchema {
                        wire: "Filters",
                        query: "Filter",
                        kind: Kind::List(&ListSchema { item: Kind::Struct(Filter::schema), xml_item: "item" }),
                    },
                    MemberSchema { wire: "DryRun", query: "DryRun", kind: Kind::Boolean },
                    MemberSchema { wire: "Max", query: "MaxResults", kind: Kind::Integer },
                ],
            };
            &SCHEMA
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn to_query_flattens_lists_from_one_in_schema_order_with_query_names() {
        let value = Describe {
            ids: vec!["a".into(), "b".into()],
            filters: Some(vec![
                Filter { name: Some("state".into()), values: Some(vec!["x".into(), "y".into()]) },
                Filter { name: None, values: Some(vec![]) },
            ]),
            dry_run: Some(false),
            max: None,
        };
        let params = to_query(&value, "DescribeThings", "2016-11-15", &[("Format", "JSON")]);
        assert_eq!(
            params,
            pairs(&[
                ("Action", "DescribeThings"),
                ("Version", "2016-11-15"),
                ("Format", "JSON"),
                ("Id.1", "a"),
                ("Id.2", "b"),
                ("Filter.1.Name", "state"),
                ("Filter.1.Value.1", "x"),
                ("Filter.1.Value.2", "y"),
                ("DryRun", "false"),
            ])
        );
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode(" &=+/*%"), "%20%26%3D%2B%2F%2A%25");
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode(""), "");
        assert_eq!(form_encode(&pairs(&[("A b", "c&d"), ("E", "")])), "A%20b=c%26d&E=");
        assert_eq!(form_encode(&[]), "");
    }
}
