//! Query-string and form encoding of requests (EC2 query, Alibaba RPC,
//! AWS query).
//!
//! Two [styles](QueryStyle) share one walk. In the [flat](QueryStyle::Flat)
//! one (EC2, Alibaba), lists are flattened the way both services expect:
//! `BundleId.1`, `Filter.1.Name`, `Filter.1.Value.1`, `TemplateTag.1.Key`;
//! maps as `Name.1.Key` / `Name.1.Value`, in key order (the generator puts
//! no maps in these requests: EC2's use none, and tags are lists of
//! structures); an empty list sends nothing.
//!
//! In the [AWS query](QueryStyle::AwsQuery) one (IAM, SQS, SNS, STS, …, as
//! Smithy's `awsQuery` and botocore's `QuerySerializer` write it), a list's
//! items are `Name.member.N` (`member` is the list's XML item name,
//! [`ListSchema::xml_item`]), or `Name.N` when the list is flattened; a map's
//! entries are `Name.entry.N.key` / `Name.entry.N.value`, in key order; an
//! empty list is sent as `Name=` (so a service can tell it from an absent
//! one), an empty map as nothing.

use super::BuildError;
use super::schema::{Kind, ListSchema, Ref, Shape, scalar_text};

/// How lists and maps are spelled; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// EC2 query and Alibaba RPC: `Name.N`, `Name.N.Key` / `Name.N.Value`.
    Flat,
    /// AWS query: `Name.member.N` (flattened: `Name.N`),
    /// `Name.entry.N.key` / `Name.entry.N.value`, an empty list `Name=`.
    AwsQuery,
}

/// The parameters of `value` after `Action`, `Version` and `extra`; a
/// value with no text form (a time RFC 3339 cannot write) is an error
/// naming its parameter.
pub fn to_query(
    value: &dyn Shape,
    action: &str,
    version: &str,
    extra: &[(&str, &str)],
) -> Result<Vec<(String, String)>, BuildError> {
    to_query_in(QueryStyle::Flat, value, action, version, extra)
}

/// [`to_query`] in the given style.
pub fn to_query_in(
    style: QueryStyle,
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
    flatten_struct(style, value, "", &mut params)?;
    Ok(params)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn flatten_struct(style: QueryStyle, value: &dyn Shape, prefix: &str, out: &mut Vec<(String, String)>) -> Result<(), BuildError> {
    for (index, member) in value.dyn_schema().members.iter().enumerate() {
        flatten(style, &value.field(index), member.kind, &join(prefix, member.query), out)?;
    }
    Ok(())
}

fn flatten(style: QueryStyle, value: &Ref<'_>, kind: Kind, name: &str, out: &mut Vec<(String, String)>) -> Result<(), BuildError> {
    match value {
        Ref::Absent => {}
        Ref::Struct(s) => flatten_struct(style, *s, name, out)?,
        Ref::List(list) => {
            let schema: Option<&ListSchema> = match kind {
                Kind::List(l) => Some(l),
                _ => None,
            };
            let item = schema.map_or(kind, |l| l.item);
            let items = match (style, schema) {
                (QueryStyle::AwsQuery, Some(l)) if !l.flattened => format!("{name}.{}", l.xml_item),
                _ => name.to_string(),
            };
            if style == QueryStyle::AwsQuery && list.is_empty() {
                out.push((name.to_string(), String::new()));
            }
            for i in 0..list.len() {
                flatten(style, &list.item(i), item, &format!("{items}.{}", i + 1), out)?;
            }
        }
        Ref::Map(map) => {
            let item = kind.map_value().unwrap_or(kind);
            let (xml_key, xml_value, flattened) = super::schema::map_layout(kind);
            let (entries, key, value) = match style {
                QueryStyle::Flat => (name.to_string(), "Key", "Value"),
                QueryStyle::AwsQuery if flattened => (name.to_string(), xml_key, xml_value),
                QueryStyle::AwsQuery => (format!("{name}.entry"), xml_key, xml_value),
            };
            for (i, (k, v)) in map.entries().iter().enumerate() {
                out.push((format!("{entries}.{}.{key}", i + 1), k.to_string()));
                flatten(style, v, item, &format!("{entries}.{}.{value}", i + 1), out)?;
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

    const MEMBER_LIST: ListSchema = ListSchema { item: Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false };

    crate::schema::test_shape!(Greeting {
        hi: Option<String> = ("hi", "hi", Kind::String, false),
        list: Option<Vec<String>> = ("list", "list", Kind::List(&MEMBER_LIST), false),
    });

    crate::schema::test_shape!(AwsLists {
        plain: Option<Vec<String>> = ("plain", "plain", Kind::List(&MEMBER_LIST), false),
        renamed: Option<Vec<String>> = ("renamed", "renamed", Kind::List(&ListSchema { item: Kind::String, xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        flat: Option<Vec<String>> = ("flat", "Hi", Kind::List(&ListSchema { item: Kind::String, xml_item: "item", item_rules: &crate::schema::Rules::NONE, flattened: true }), false),
        greetings: Option<Vec<Greeting>> = ("greetings", "greetings", Kind::List(&ListSchema { item: Kind::Struct(<Greeting as Shape>::schema), xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        nested: Option<Greeting> = ("nested", "nested", Kind::Struct(<Greeting as Shape>::schema), false),
        map: Option<std::collections::BTreeMap<String, String>> = ("map", "MapArg", Kind::Map(&Kind::String), false),
        map_of_lists: Option<std::collections::BTreeMap<String, Vec<String>>> = ("mapOfLists", "mapOfLists", Kind::Map(&Kind::List(&MEMBER_LIST)), false),
    });

    fn aws(value: &AwsLists) -> Vec<(String, String)> {
        let mut params = to_query_in(QueryStyle::AwsQuery, value, "Op", "2020-01-08", &[]).expect("encodes");
        assert_eq!(params.drain(..2).collect::<Vec<_>>(), pairs(&[("Action", "Op"), ("Version", "2020-01-08")]));
        params
    }

    fn none() -> AwsLists {
        AwsLists { plain: None, renamed: None, flat: None, greetings: None, nested: None, map: None, map_of_lists: None }
    }

    #[test]
    fn aws_query_list_items_are_name_member_n_with_the_item_name() {
        let value = AwsLists {
            plain: Some(vec!["a".into(), "b".into()]),
            renamed: Some(vec!["c".into()]),
            greetings: Some(vec![Greeting { hi: Some("hello".into()), list: None }, Greeting { hi: Some("hola".into()), list: None }]),
            ..none()
        };
        assert_eq!(
            aws(&value),
            pairs(&[
                ("plain.member.1", "a"),
                ("plain.member.2", "b"),
                ("renamed.item.1", "c"),
                ("greetings.member.1.hi", "hello"),
                ("greetings.member.2.hi", "hola"),
            ])
        );
        // The flat style keeps EC2's `Name.N` for the same value.
        let flat = to_query(&value, "Op", "1", &[]).expect("encodes");
        assert!(flat.contains(&("plain.1".to_string(), "a".to_string())), "{flat:?}");
    }

    #[test]
    fn aws_query_flattened_lists_are_name_n_under_the_member_query_name() {
        let value = AwsLists { flat: Some(vec!["A".into(), "B".into()]), ..none() };
        assert_eq!(aws(&value), pairs(&[("Hi.1", "A"), ("Hi.2", "B")]));
    }

    #[test]
    fn aws_query_empty_lists_are_sent_as_name_equals_nothing_at_any_depth() {
        let value = AwsLists {
            plain: Some(vec![]),
            nested: Some(Greeting { hi: None, list: Some(vec![]) }),
            ..none()
        };
        assert_eq!(aws(&value), pairs(&[("plain", ""), ("nested.list", "")]));
        // In the flat style an empty list is nothing.
        let flat = to_query(&value, "Op", "1", &[]).expect("encodes");
        assert_eq!(flat.len(), 2, "{flat:?}");
    }

    #[test]
    fn aws_query_maps_are_entry_n_key_and_value_in_key_order() {
        let value = AwsLists {
            map: Some([("foo".to_string(), "Foo".to_string()), ("bar".to_string(), "Bar".to_string())].into()),
            map_of_lists: Some([("k".to_string(), vec!["A".to_string(), "B".to_string()])].into()),
            nested: Some(Greeting { hi: Some("x".into()), list: Some(vec!["y".into()]) }),
            ..none()
        };
        assert_eq!(
            aws(&value),
            pairs(&[
                ("nested.hi", "x"),
                ("nested.list.member.1", "y"),
                ("MapArg.entry.1.key", "bar"),
                ("MapArg.entry.1.value", "Bar"),
                ("MapArg.entry.2.key", "foo"),
                ("MapArg.entry.2.value", "Foo"),
                ("mapOfLists.entry.1.key", "k"),
                ("mapOfLists.entry.1.value.member.1", "A"),
                ("mapOfLists.entry.1.value.member.2", "B"),
            ])
        );
        // An empty map is nothing.
        assert_eq!(aws(&AwsLists { map: Some(Default::default()), ..none() }), pairs(&[]));
    }

    const RENAMED: crate::schema::MapSchema = crate::schema::MapSchema { value: Kind::String, xml_key: "K", xml_value: "V", flattened: false };
    const FLAT_RENAMED: crate::schema::MapSchema = crate::schema::MapSchema { value: Kind::String, xml_key: "K", xml_value: "V", flattened: true };
    const FLAT: crate::schema::MapSchema = crate::schema::MapSchema { value: Kind::String, xml_key: "key", xml_value: "value", flattened: true };

    crate::schema::test_shape!(NamedMaps {
        renamed: Option<std::collections::BTreeMap<String, String>> = ("renamed", "renamed", Kind::XmlMap(&RENAMED), false),
        flat: Option<std::collections::BTreeMap<String, String>> = ("flat", "flat", Kind::XmlMap(&FLAT), false),
        both: Option<std::collections::BTreeMap<String, String>> = ("both", "Hi", Kind::XmlMap(&FLAT_RENAMED), false),
    });

    #[test]
    fn aws_query_maps_use_their_key_and_value_names_and_flattened_ones_drop_entry() {
        let one = || Some([("k".to_string(), "v".to_string())].into());
        let value = NamedMaps { renamed: one(), flat: one(), both: one() };
        let params = to_query_in(QueryStyle::AwsQuery, &value, "Op", "1", &[]).expect("encodes");
        assert_eq!(
            params[2..],
            pairs(&[
                ("renamed.entry.1.K", "k"),
                ("renamed.entry.1.V", "v"),
                ("flat.1.key", "k"),
                ("flat.1.value", "v"),
                ("Hi.1.K", "k"),
                ("Hi.1.V", "v"),
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
