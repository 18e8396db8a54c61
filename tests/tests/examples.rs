//! Every example in every model, checked against the generated types.
//!
//! The typed data of an example (keyed by member names) must decode into the
//! operation's request or response type and encode back to the same JSON;
//! where the page prints a JSON body, that body must decode to the same
//! value. Examples a model marks as contradicting the page's syntax are
//! pinned, with their exact behaviour, in `consume.rs`.

use cloud_api_types::{alibaba, aws};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use tests::{real_models, wire_json};

/// JSON → typed → JSON, or the decode error.
fn typed_round_trip<T: Serialize + DeserializeOwned>(json: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(json.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Decodes a raw response body the page prints, in the protocol's own
/// format, re-encodes it in that format and decodes again; returns the
/// serde form of the value, which must not change on the way.
fn raw_response(model: &str, op: &str, raw: &str) -> Result<Value, String> {
    fn json<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(raw: &str) -> Result<Value, String> {
        let first: T = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        let again: T = serde_json::from_slice(&serde_json::to_vec(&first).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        assert_eq!(first, again, "JSON encode → decode changed the value");
        serde_json::to_value(&first).map_err(|e| e.to_string())
    }
    macro_rules! xml {
        ($t:ty) => {{
            let first = <$t>::from_xml(raw).map_err(|e| e.to_string())?;
            let again = <$t>::from_xml(&first.to_xml()).map_err(|e| e.to_string())?;
            assert_eq!(first, again, "XML encode → decode changed the value");
            serde_json::to_value(&first).map_err(|e| e.to_string())
        }};
    }
    match (model, op) {
        ("aws/ec2.yaml", "CancelBundleTask") => xml!(aws::ec2::CancelBundleTaskResponse),
        ("aws/ec2.yaml", "DescribeBundleTasks") => xml!(aws::ec2::DescribeBundleTasksResponse),
        ("alibaba/ecs.yaml", "CancelImagePipelineExecution") => json::<alibaba::ecs::CancelImagePipelineExecutionResponse>(raw),
        ("aws/fsx.yaml", "CancelDataRepositoryTask") => json::<aws::fsx::CancelDataRepositoryTaskResponse>(raw),
        ("aws/imagebuilder.yaml", "CancelLifecycleExecution") => json::<aws::imagebuilder::CancelLifecycleExecutionResponse>(raw),
        _ => panic!("{model} {op}: add the operation to `raw_response` in examples.rs"),
    }
}

/// Decodes `json` as the request (`input == true`) or response of the
/// operation, for every operation of every model.
fn round_trip(model: &str, op: &str, input: bool, json: &Value) -> Result<Value, String> {
    macro_rules! ops {
        ($($path:literal $name:literal => $module:path, $req:ident, $resp:ident;)*) => {
            match (model, op) {
                $(($path, $name) => {
                    use $module as m;
                    if input { typed_round_trip::<m::$req>(json) } else { typed_round_trip::<m::$resp>(json) }
                })*
                _ => panic!("{model} {op}: add the operation to the table in examples.rs"),
            }
        };
    }
    ops! {
        "alibaba/ecs.yaml" "CancelImagePipelineExecution" => alibaba::ecs, CancelImagePipelineExecutionRequest, CancelImagePipelineExecutionResponse;
        "aws/ec2.yaml" "CancelBundleTask" => aws::ec2, CancelBundleTaskRequest, CancelBundleTaskResponse;
        "aws/ec2.yaml" "DescribeBundleTasks" => aws::ec2, DescribeBundleTasksRequest, DescribeBundleTasksResponse;
        "aws/fsx.yaml" "CancelDataRepositoryTask" => aws::fsx, CancelDataRepositoryTaskRequest, CancelDataRepositoryTaskResponse;
        "aws/imagebuilder.yaml" "CancelLifecycleExecution" => aws::imagebuilder, CancelLifecycleExecutionRequest, CancelLifecycleExecutionResponse;
    }
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
    let mut checked = 0;
    for (path, model) in real_models() {
        for (op_name, op) in &model.operations {
            // Every operation must be in the table, examples or not.
            let empty = Value::Object(Default::default());
            let _ = round_trip(&path, op_name, false, &empty);
            for example in &op.examples {
                if example.contradicts_syntax.is_some() {
                    continue;
                }
                for (input, data) in [(true, &example.input), (false, &example.output)] {
                    let Some(data) = data else { continue };
                    let json = wire_json(&path, op_name, input, data);
                    let back = round_trip(&path, op_name, input, &json)
                        .unwrap_or_else(|e| panic!("{path} {op_name} \"{}\": {e}", example.title));
                    assert_eq!(normalise(&back), normalise(&json), "{path} {op_name} \"{}\"", example.title);
                    checked += 1;
                }
                // The body the page prints decodes to the example's data.
                if let Some(raw) = &example.raw_response {
                    let expected = wire_json(&path, op_name, false, example.output.as_ref().expect("output data"));
                    let back = raw_response(&path, op_name, raw)
                        .unwrap_or_else(|e| panic!("{path} {op_name} raw response: {e}"));
                    assert_eq!(normalise(&back), normalise(&expected), "{path} {op_name} raw response");
                    checked += 1;
                }
            }
        }
    }
    // ec2 CancelBundleTask (in, out, raw XML out), ecs (in, out, raw JSON out).
    assert!(checked >= 6, "only {checked} example checks ran");
}
