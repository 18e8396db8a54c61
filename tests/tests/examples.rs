//! Every example in every model, checked against the generated types.
//!
//! The typed data of an example (keyed by member names) must decode into the
//! operation's request or response type and encode back to the same JSON;
//! where the page prints a JSON body, that body must decode to the same
//! value. Examples a model marks as contradicting the page's syntax are
//! pinned, with their exact behaviour, in `consume.rs`.

use cloud_api_types::runtime::Operation;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use tests::{real_models, wire_json};

/// JSON → typed → JSON, or the decode error.
fn typed_round_trip<T: Serialize + DeserializeOwned>(json: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(json.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Decodes a raw JSON response body the page prints, re-encodes it and
/// decodes again; returns the serde form of the value, which must not
/// change on the way.
fn raw_json<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(raw: &str) -> Result<Value, String> {
    let first: T = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let again: T = serde_json::from_slice(&serde_json::to_vec(&first).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    assert_eq!(first, again, "JSON encode → decode changed the value");
    serde_json::to_value(&first).map_err(|e| e.to_string())
}

/// The same for an EC2 XML body, with the type's `from_xml` and `to_xml`.
fn raw_xml<T: Serialize + PartialEq + std::fmt::Debug>(
    raw: &str,
    from_xml: fn(&str) -> Result<T, String>,
    to_xml: fn(&T) -> Result<String, cloud_api_types::runtime::BuildError>,
) -> Result<Value, String> {
    let first = from_xml(raw)?;
    let again = from_xml(&to_xml(&first).map_err(|e| e.to_string())?)?;
    assert_eq!(first, again, "XML encode → decode changed the value");
    serde_json::to_value(&first).map_err(|e| e.to_string())
}

/// One operation's types, as functions of example data.
struct Case {
    provider: &'static str,
    service: &'static str,
    operation: &'static str,
    /// Round-trips the request's serde form.
    request: fn(&Value) -> Result<Value, String>,
    /// Round-trips the response's serde form.
    response: fn(&Value) -> Result<Value, String>,
    /// Decodes a raw response body in the protocol's own format.
    raw_response: fn(&str) -> Result<Value, String>,
}

/// Every operation, from the generated crate's `for_each_operation!`.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    macro_rules! case {
        ($op:path, $protocol:ident, $provider:literal, $service:literal) => {
            cases.push(Case {
                provider: $provider,
                service: $service,
                operation: <$op as Operation>::NAME,
                request: typed_round_trip::<<$op as Operation>::Request>,
                response: typed_round_trip::<<$op as Operation>::Response>,
                raw_response: case!(@raw $op, $protocol),
            })
        };
        (@raw $op:path, ec2_query) => {
            |raw| {
                raw_xml(
                    raw,
                    |xml| <<$op as Operation>::Response>::from_xml(xml).map_err(|e| e.to_string()),
                    <<$op as Operation>::Response>::to_xml,
                )
            }
        };
        (@raw $op:path, $protocol:ident) => {
            raw_json::<<$op as Operation>::Response>
        };
    }
    cloud_api_types::for_each_operation!(case);
    cases
}

/// Normalises what the generated types legitimately rewrite: timestamps are
/// compared as instants (`.000Z` and `Z` are the same time).
fn normalise(v: &Value) -> Value {
    match v {
        Value::String(s) => match time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
            Ok(t) => Value::String(format!("{}", t.unix_timestamp_nanos())),
            Err(_) => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_example_fits_the_generated_types() {
    let cases = cases();
    let mut checked = 0;
    let mut operations = 0;
    for (path, model) in real_models() {
        for (op_name, op) in &model.operations {
            // Every operation of the models must be in the generated list, examples or not.
            let (provider, service) = (model.service.provider.as_str(), model.service.name.as_str());
            let case = cases
                .iter()
                .find(|c| (c.provider, c.service, c.operation) == (provider, service, op_name.as_str()))
                .unwrap_or_else(|| panic!("{path} {op_name}: missing from `for_each_operation!`"));
            operations += 1;
            for (n, example) in op.examples.iter().enumerate() {
                if example.contradicts_syntax.is_some() {
                    continue;
                }
                for (input, round_trip, data) in [(true, case.request, &example.input), (false, case.response, &example.output)] {
                    if data.is_none() {
                        continue;
                    }
                    let json = wire_json(&path, op_name, n, input);
                    let back = round_trip(&json).unwrap_or_else(|e| panic!("{path} {op_name} \"{}\": {e}", example.title));
                    assert_eq!(normalise(&back), normalise(&json), "{path} {op_name} \"{}\"", example.title);
                    checked += 1;
                }
                // The body the page prints decodes to the example's data.
                if let Some(raw) = &example.raw_response {
                    let expected = wire_json(&path, op_name, n, false);
                    let back = (case.raw_response)(raw).unwrap_or_else(|e| panic!("{path} {op_name} raw response: {e}"));
                    assert_eq!(normalise(&back), normalise(&expected), "{path} {op_name} raw response");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(operations, cases.len(), "the generated list has an operation the models lack");
    // ec2 CancelBundleTask (in, out, raw XML out), ecs (in, out, raw JSON out).
    assert!(checked >= 6, "only {checked} example checks ran");
}
