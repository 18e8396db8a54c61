//! The conformance harness: built by `cargo xtask conformance` in a scratch
//! crate beside a generated crate of the suites' services (this file is
//! copied there as `src/main.rs`, with a generated `src/dispatch.rs`).
//!
//! It reads the cases (a JSON list: `service`, `operation`, `kind`, and
//! `params` for an input case or `response` for an output case), runs each
//! through the generated operation's `to_http` or `from_http`, and prints
//! what came out as a JSON list, one answer per case. Comparing is the
//! runner's job. Values are read into the typed request, and shown from
//! the typed response (and an error's own members), through the runtime's
//! schema walk: structures keyed by wire names, timestamps as epoch
//! seconds, blobs as text, special floats as `"NaN"`, `"Infinity"`,
//! `"-Infinity"` (botocore's view).

use cloud_api_types::runtime::schema::{Empty, Kind, Ref, Shape, Slot, member_index};
use cloud_api_types::runtime::{Document, Operation, OperationError, ServiceError};
use serde_json::{Map, Value, json};

mod dispatch;

/// Deeper values are refused (every suite value is shallow).
const MAX_DEPTH: usize = 64;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("conformance harness: cannot read the cases `{path}`: {e}");
            std::process::exit(2);
        }
    };
    let cases: Vec<Value> = match serde_json::from_str(&text) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("conformance harness: the cases are not a JSON list: {e}");
            std::process::exit(2);
        }
    };
    let answers: Vec<Value> = cases
        .iter()
        .map(|case| {
            let service = case["service"].as_str().unwrap_or_default();
            let operation = case["operation"].as_str().unwrap_or_default();
            dispatch::run(service, operation, case)
                .unwrap_or_else(|| json!({ "harness_error": format!("the crate has no operation `{operation}` in `{service}`") }))
        })
        .collect();
    println!("{}", Value::Array(answers));
}

/// Runs one case through operation `O`.
pub fn run<O>(case: &Value) -> Value
where
    O: Operation,
    O::Request: Shape + Empty,
    O::Response: Shape,
    O::Error: OperationError,
{
    match case["kind"].as_str() {
        Some("input") => input::<O>(case),
        Some("output") => output::<O>(case),
        other => json!({ "harness_error": format!("unknown case kind {other:?}") }),
    }
}

fn input<O>(case: &Value) -> Value
where
    O: Operation,
    O::Request: Shape + Empty,
{
    let mut request = O::Request::empty();
    if let Err(e) = fill_struct(&mut request, &case["params"], 0) {
        return json!({ "harness_error": format!("params: {e}") });
    }
    let endpoint = case["endpoint"].as_str().unwrap_or("https://example.com");
    match O::to_http(&request, endpoint) {
        Ok(built) => {
            let headers: Vec<Value> = built
                .headers()
                .iter()
                .map(|(k, v)| json!([k.as_str(), String::from_utf8_lossy(v.as_bytes())]))
                .collect();
            json!({ "request": {
                "method": built.method().as_str(),
                "uri": built.uri().path_and_query().map_or("/", |p| p.as_str()),
                "host": built.uri().authority().map_or("", |a| a.as_str()),
                "headers": headers,
                "body": String::from_utf8_lossy(built.body()),
            }})
        }
        Err(e) => json!({ "build_error": e.to_string() }),
    }
}

fn output<O>(case: &Value) -> Value
where
    O: Operation,
    O::Response: Shape,
    O::Error: OperationError,
{
    let response = &case["response"];
    let status = response["status_code"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(200);
    let mut builder = http::Response::builder().status(status);
    if let Some(headers) = response["headers"].as_object() {
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str().unwrap_or_default());
        }
    }
    let body = response["body"].as_str().unwrap_or_default().as_bytes().to_vec();
    let response = match builder.body(body) {
        Ok(r) => r,
        Err(e) => return json!({ "harness_error": format!("the case's response is not HTTP: {e}") }),
    };
    match O::from_http(&response) {
        Ok(value) => json!({ "value": view_struct(&value, 0) }),
        // The error's own members (besides the message), when its model
        // gives it any, keyed by wire names as a response is.
        Err(e) => json!({ "error": {
            "code": e.code(),
            "message": e.message(),
            "members": e.details().map(|d| view_struct(d, 0)),
            "display": e.to_string(),
        }}),
    }
}

fn fill_struct(shape: &mut dyn Shape, value: &Value, depth: usize) -> Result<(), String> {
    let Value::Object(object) = value else { return Err(format!("expected an object, got {value}")) };
    let schema = shape.dyn_schema();
    for (key, v) in object {
        let index = member_index(schema, key).ok_or_else(|| format!("`{}` has no member `{key}`", schema.name))?;
        let kind = schema.members[index].kind;
        let slot = shape.field_mut(index).ok_or_else(|| format!("`{}.{key}` cannot be set", schema.name))?;
        fill(slot, kind, v, depth + 1).map_err(|e| format!("{key}: {e}"))?;
    }
    Ok(())
}

fn float(value: &Value) -> Result<f64, String> {
    match value {
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other.as_f64().ok_or_else(|| format!("expected a number, got {other}")),
    }
}

fn fill(slot: Slot<'_>, kind: Kind, value: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deep".into());
    }
    let text = || value.as_str().ok_or_else(|| format!("expected a string, got {value}"));
    let whole = || value.as_i64().ok_or_else(|| format!("expected a whole number, got {value}"));
    match slot {
        Slot::Option(option) => {
            if value.is_null() {
                option.clear();
                Ok(())
            } else {
                fill(option.fill(), kind, value, depth)
            }
        }
        Slot::Str(s) => {
            *s = text()?.to_string();
            Ok(())
        }
        Slot::Enum(e) => {
            e.set(text()?);
            Ok(())
        }
        Slot::Bool(b) => {
            *b = value.as_bool().ok_or_else(|| format!("expected a boolean, got {value}"))?;
            Ok(())
        }
        Slot::I32(n) => {
            *n = i32::try_from(whole()?).map_err(|e| e.to_string())?;
            Ok(())
        }
        Slot::I64(n) => {
            *n = whole()?;
            Ok(())
        }
        Slot::F32(n) => {
            *n = float(value)? as f32;
            Ok(())
        }
        Slot::F64(n) => {
            *n = float(value)?;
            Ok(())
        }
        Slot::Time(t) => {
            *t = match value {
                Value::String(s) => cloud_api_types::runtime::date_time::parse(s)?,
                other => cloud_api_types::runtime::epoch_seconds::from_f64(float(other)?)?,
            };
            Ok(())
        }
        Slot::Blob(b) => {
            *b = text()?.as_bytes().to_vec();
            Ok(())
        }
        Slot::Struct(s) => fill_struct(s, value, depth),
        Slot::List(list) => {
            let Value::Array(items) = value else { return Err(format!("expected a list, got {value}")) };
            let item = kind.list_item().unwrap_or(kind);
            for (i, v) in items.iter().enumerate() {
                fill(list.push(), item, v, depth + 1).map_err(|e| format!("[{i}]: {e}"))?;
            }
            Ok(())
        }
        Slot::Map(map) => {
            let Value::Object(entries) = value else { return Err(format!("expected a map, got {value}")) };
            let item = kind.map_value().unwrap_or(kind);
            for (k, v) in entries {
                fill(map.insert(k.clone()), item, v, depth + 1).map_err(|e| format!("[{k}]: {e}"))?;
            }
            Ok(())
        }
        Slot::Document(d) => {
            *d = Document::from(value);
            Ok(())
        }
    }
}

fn view_struct(shape: &dyn Shape, depth: usize) -> Value {
    let schema = shape.dyn_schema();
    let mut out = Map::new();
    for (index, member) in schema.members.iter().enumerate() {
        if let Some(v) = view(shape.field(index), depth + 1) {
            out.insert(member.wire.to_string(), v);
        }
    }
    Value::Object(out)
}

fn view(value: Ref<'_>, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return Some(json!("<nested too deep>"));
    }
    Some(match value {
        Ref::Absent => return None,
        Ref::Str(s) => json!(s),
        Ref::Bool(b) => json!(b),
        Ref::Int(n) => json!(n),
        Ref::Float(f) if f.is_nan() => json!("NaN"),
        Ref::Float(f) if f == f64::INFINITY => json!("Infinity"),
        Ref::Float(f) if f == f64::NEG_INFINITY => json!("-Infinity"),
        Ref::Float(f) => json!(f),
        Ref::Time(t) => json!(t.unix_timestamp_nanos() as f64 / 1e9),
        Ref::Blob(b) => json!(String::from_utf8_lossy(b)),
        Ref::Struct(s) => view_struct(s, depth),
        Ref::List(list) => Value::Array((0..list.len()).filter_map(|i| view(list.item(i), depth + 1)).collect()),
        Ref::Map(map) => Value::Object(map.entries().into_iter().filter_map(|(k, v)| Some((k.to_string(), view(v, depth + 1)?))).collect()),
        Ref::Document(d) => Value::from(d),
    })
}
