//! Query-string and form encoding of requests (EC2 query, Alibaba RPC).
//!
//! Lists are flattened the way both services expect: `BundleId.1`,
//! `Filter.1.Name`, `Filter.1.Value.1`, `TemplateTag.1.Key`; maps as
//! `Name.1.Key` / `Name.1.Value`, in key order (the generator puts no maps
//! in query requests: EC2's use none, and tags are lists of structures).

use super::BuildError;
use super::schema::{Kind, Ref, Shape, scalar_text};

/// The parameters of `value` after `Action`, `Version` and `extra`; a
/// value with no text form (a time RFC 3339 cannot write) is an error
/// naming its parameter.
pub fn to_query(
    value: &dyn Shape,
    action: &str,
    version: &str,
    extra: &[(&str, &str)],
) -> Result<Vec<(String, String)>, BuildError> {
    let mut params = vec![
        ("Action".to_string(), action.to_string()),
        ("Version".to_string(), version.to_string()),
    ];
    params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    flatten_struct(value, "", &mut params)?;
    Ok(params)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn flatten_struct(value: &dyn Shape, prefix: &str, out: &mut Vec<(String, String)>) -> Result<(), BuildError> {
    for (index, member) in value.dyn_schema().members.iter().enumerate() {
        flatten(&value.field(index), member.kind, &join(prefix, member.query), out)?;
    }
    Ok(())
}

fn flatten(value: &Ref<'_>, kind: Kind, name: &str, out: &mut Vec<(String, String)>) -> Result<(), BuildError> {
    match value {
        Ref::Absent => {}
        Ref::Struct(s) => flatten_struct(*s, name, out)?,
        Ref::List(list) => {
            let item = match kind {
                Kind::List(l) => l.item,
                other => other,
            };
            for i in 0..list.len() {
                flatten(&list.item(i), item, &format!("{name}.{}", i + 1), out)?;
            }
        }
        Ref::Map(map) => {
            let item = match kind {
                Kind::Map(k) => *k,
                other => other,
            };
            for (i, (key, v)) in map.entries().iter().enumerate() {
                out.push((format!("{name}.{}.Key", i + 1), key.to_string()));
                flatten(v, item, &format!("{name}.{}.Value", i + 1), out)?;
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar, kind, name)? {
                out.push((name.to_string(), text));
            }
        }
    }
    Ok(())
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
    super::protocol::percent_encode_path(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ListSchema;

    crate::schema::test_shape!(Filter {
        name: Option<String> = ("Name", "Name", Kind::String, false),
        values: Option<Vec<String>> = ("Values", "Value", Kind::List(&ListSchema { item: Kind::String, xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
    });

    crate::schema::test_shape!(Describe {
        ids: Vec<String> = ("Ids", "Id", Kind::List(&ListSchema { item: Kind::String, xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), true),
        filters: Option<Vec<Filter>> = ("Filters", "Filter", Kind::List(&ListSchema { item: Kind::Struct(<Filter as Shape>::schema), xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        dry_run: Option<bool> = ("DryRun", "DryRun", Kind::Boolean, false),
        max: Option<i32> = ("Max", "MaxResults", Kind::Integer, false),
        ratio: Option<f64> = ("Ratio", "Ratio", Kind::Float, false),
    });

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
            ratio: None,
        };
        let params = to_query(&value, "DescribeThings", "2016-11-15", &[("Format", "JSON")]).expect("encodes");
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
    fn floats_that_are_not_finite_are_written_as_smithy_names_them() {
        for (f, text) in [(f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (f64::NEG_INFINITY, "-Infinity")] {
            let value = Describe { ids: vec![], filters: None, dry_run: None, max: None, ratio: Some(f) };
            let params = to_query(&value, "A", "1", &[]).expect("a text form");
            assert_eq!(params.last(), Some(&("Ratio".to_string(), text.to_string())));
        }
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
