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
                for (input, data, shape) in [(true, &example.input, &op.input), (false, &example.output, &op.output)] {
                    let Some(data) = data else { continue };
                    let json = wire_json(&model, shape, data);
                    let back = round_trip(&path, op_name, input, &json)
                        .unwrap_or_else(|e| panic!("{path} {op_name} \"{}\": {e}", example.title));
                    assert_eq!(normalise(&back), normalise(&json), "{path} {op_name} \"{}\"", example.title);
                    checked += 1;
                }
                // A JSON body the page prints decodes to the example's data.
                if let Some(raw) = &example.raw_response {
                    if let Ok(body) = serde_json::from_str::<Value>(raw) {
                        let expected = wire_json(&model, &op.output, example.output.as_ref().expect("output data"));
                        let back = round_trip(&path, op_name, false, &body)
                            .unwrap_or_else(|e| panic!("{path} {op_name} raw response: {e}"));
                        assert_eq!(back, expected, "{path} {op_name} raw response");
                        checked += 1;
                    }
                }
            }
        }
    }
    // ec2 CancelBundleTask (in, out), ecs (in, out, raw out).
    assert!(checked >= 5, "only {checked} example checks ran");
}
