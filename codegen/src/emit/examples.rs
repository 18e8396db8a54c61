//! The example on each operation's page: build the request with `new` and
//! `with_*`, `to_http`, decode a canned answer with `from_http`, and match
//! a documented error, as Rust code rustdoc compiles (and runs) as a
//! doctest of the generated crate.
//!
//! The data comes from the model's first example where it has one (its
//! request members, the page's raw response, else its response data), else
//! from placeholders for the required members. Model text reaches the code
//! only as string literals ([`rust_str`]); the code block is a
//! [`Doc::rust_block`].

use std::collections::BTreeSet;

use serde_json::Value;

use crate::doc;
use crate::docs::{rust_raw_str, rust_str, Doc};
use crate::ident::to_ident;
use crate::ir::{ExampleIr, FieldIr, OperationIr, RequestIdIr, ServiceIr, StructIr, TypeIr};
use crate::protocol::{self, JsonErrors, ResponseStyle, XmlStyle};

/// Above this many operations a service's examples are shown but not
/// compiled (`ignore`): a whole imported service (all of EC2: 830
/// operations) would otherwise add minutes of doctest build to every test
/// run. The hand models stay far below it, so all of theirs run.
pub(crate) const COMPILED_EXAMPLES_UP_TO: usize = 60;

/// The request ID the canned answers carry.
const REQUEST_ID: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

/// The operation's "# Example" section.
pub(crate) fn operation_example(svc: &ServiceIr, op: &OperationIr) -> Doc {
    let spec = protocol::spec(svc.protocol);
    let example = op.examples.iter().find(|e| e.input.is_some() || e.output.is_some() || e.raw_response.is_some());
    let mut uses = BTreeSet::new();
    let mut code = String::new();
    let line = |code: &mut String, text: &str| {
        code.push_str(text);
        code.push('\n');
    };

    // 1. The request.
    let request = find_struct(svc, &op.request);
    uses.insert(op.request.clone());
    let built = match request {
        Some(s) => struct_expr(svc, s, example.and_then(|e| e.input.as_ref()), &mut uses, "\n    "),
        None => format!("{}::new()", op.request),
    };
    let endpoint = match spec.vendor {
        "Alibaba" => format!("https://{}.aliyuncs.com", svc.module),
        _ => format!("https://{}.us-east-1.amazonaws.com", svc.module),
    };
    line(&mut code, &format!("let request = {built};"));
    line(&mut code, &format!("let http_request = request.to_http({})?;", rust_str(&endpoint)));
    line(&mut code, &format!("assert_eq!(http_request.method(), {});", rust_str(&op.http.0)));
    line(&mut code, "");
    line(&mut code, "// Sign it and send it with your own HTTP client (see the docs of to_http).");
    line(&mut code, "// Here the service's answer is canned.");

    // 2. A successful answer.
    let response = &op.response;
    uses.insert(response.clone());
    let (body, id_in_body) = success_body(svc, op, example);
    let header_id = match find_struct(svc, &op.response).and_then(|s| s.request_id.as_ref()) {
        Some(RequestIdIr::Header(name)) => Some(*name),
        _ => None,
    };
    line(&mut code, "let answer = http::Response::builder()");
    line(&mut code, "    .status(200)");
    if let Some(name) = header_id {
        line(&mut code, &format!("    .header({}, {})", rust_str(name), rust_str(REQUEST_ID)));
    }
    line(&mut code, &format!("    .body(Vec::from({}))?;", rust_raw_str(&body)));
    line(&mut code, &format!("let response = {response}::from_http(&answer)?;"));
    match (header_id, id_in_body) {
        (Some(_), _) => line(&mut code, &format!("assert_eq!(response.request_id(), Some({}));", rust_str(REQUEST_ID))),
        (None, Some(id)) => line(&mut code, &format!("assert_eq!(response.request_id(), Some({}));", rust_str(&id))),
        (None, None) => line(&mut code, "println!(\"request ID: {:?}\", response.request_id());"),
    }
    line(&mut code, "");

    // 3. An error answer, matched on the error enum.
    let error = &op.error;
    uses.insert(error.name.clone());
    // A variant whose members (besides the message) include a required one
    // cannot be decoded from the example's answer, which carries none.
    let decodable = |v: &&crate::ir::ErrorVariantIr| match &v.details {
        None => true,
        Some(details) => svc.structs.iter().find(|s| &s.name == details).is_some_and(|s| s.fields.iter().all(|f| !f.required)),
    };
    let chosen = example
        .and_then(|e| e.error_code.as_deref())
        .and_then(|code| error.variants.iter().find(|v| v.code == code))
        .filter(decodable)
        .or_else(|| error.variants.iter().find(decodable));
    let (code_text, status, pattern, check, what) = match chosen {
        Some(v) => (
            v.code.clone(),
            v.http_status,
            format!("Err({}::{}(meta{}))", error.name, to_ident(&v.rust), if v.details.is_some() { ", _details" } else { "" }),
            format!("assert_eq!(meta.message.as_deref(), Some({}))", rust_str("An example message.")),
            format!("// A documented error: {} (HTTP {}).", v.code, v.http_status),
        ),
        None => {
            // A code every service of the protocol's vendor may send.
            let code = match spec.response {
                ResponseStyle::Json(JsonErrors::Alibaba) => "Forbidden.RAM",
                ResponseStyle::Xml(XmlStyle::Ec2) => "UnauthorizedOperation",
                ResponseStyle::Xml(XmlStyle::AwsQuery) | ResponseStyle::RestXml => "AccessDenied",
                ResponseStyle::Json(_) => "AccessDeniedException",
            };
            (
                code.to_string(),
                if spec.vendor == "Alibaba" { 403 } else { 400 },
                format!("Err({}::{}(unhandled))", error.name, to_ident(&error.unhandled)),
                format!("assert_eq!(unhandled.code, {})", rust_str(code)),
                "// The model documents no error codes here: any code the service sends is kept.".to_string(),
            )
        }
    };
    line(&mut code, &what);
    let (error_header, error_body) = error_answer(svc, &code_text);
    line(&mut code, "let failure = http::Response::builder()");
    line(&mut code, &format!("    .status({status})"));
    if let Some((name, value)) = error_header {
        line(&mut code, &format!("    .header({}, {})", rust_str(name), rust_str(&value)));
    }
    line(&mut code, &format!("    .body(Vec::from({}))?;", rust_raw_str(&error_body)));
    line(&mut code, &format!("match {response}::from_http(&failure) {{"));
    line(&mut code, &format!("    {pattern} => {{"));
    line(&mut code, &format!("        {check};"));
    line(&mut code, "    }");
    line(&mut code, "    other => panic!(\"unexpected answer: {other:?}\"),");
    line(&mut code, "}");

    let names: Vec<String> = uses.into_iter().collect();
    let path = format!("cloud_api_types::{}::{}", to_ident(&svc.provider), to_ident(&svc.module));
    let one_line = format!("use {path}::{{{}}};", names.join(", "));
    let import = if one_line.len() <= 90 {
        format!("{one_line}\n\n")
    } else {
        // Packed into lines of at most 80 characters, as rustfmt would.
        let mut lines: Vec<String> = Vec::new();
        for name in &names {
            match lines.last_mut() {
                Some(last) if last.len() + name.len() + 2 <= 80 => {
                    last.push(' ');
                    last.push_str(name);
                    last.push(',');
                }
                _ => lines.push(format!("    {name},")),
            }
        }
        format!("use {path}::{{\n{}\n}};\n\n", lines.join("\n"))
    };
    let full = format!(
        "{import}# fn main() -> Result<(), Box<dyn std::error::Error>> {{\n{code}# Ok(())\n# }}"
    );
    let compiled = svc.operations.len() <= COMPILED_EXAMPLES_UP_TO;
    let from = match example {
        Some(e) if e.contradicts_syntax => doc![
            "The request and answer are the model's example \"",
            Doc::text(&e.title).one_line(),
            "\" where it fits the syntax (the page's example contradicts it: see the model notes), else placeholders."
        ],
        Some(e) => doc!["The request and answer are the model's example \"", Doc::text(&e.title).one_line(), "\"."],
        None => doc!["The model has no example for this operation: the values are placeholders."],
    };
    Doc::paragraphs(&[
        doc!["# Example"],
        doc![
            "Build the request, turn it into HTTP, decode the answer and match an error. ",
            from,
            if compiled { "" } else { " (Not compiled: the service has too many operations to test every example.)" }
        ],
        Doc::rust_block(if compiled { "rust" } else { "rust,ignore" }, &full),
    ])
}

fn find_struct<'s>(svc: &'s ServiceIr, name: &str) -> Option<&'s StructIr> {
    svc.structs.iter().find(|s| s.name == name)
}

/// The member's value in the example's data (keyed by wire name).
fn member<'v>(value: Option<&'v Value>, f: &FieldIr) -> Option<&'v Value> {
    let object = value?.as_object()?;
    object.get(&f.wire).or_else(|| object.get(&f.member)).or_else(|| object.get(&f.query))
}

/// `Name::new(required…)` and a `.with_<member>(…)` for each optional
/// member the data has; chained calls start on `sep`.
fn struct_expr(svc: &ServiceIr, s: &StructIr, value: Option<&Value>, uses: &mut BTreeSet<String>, sep: &str) -> String {
    let takes = |f: &&FieldIr| f.required && !(f.idempotency_token && f.ty == TypeIr::String);
    let args: Vec<String> = s
        .fields
        .iter()
        .filter(takes)
        .map(|f| expr(svc, &f.ty, member(value, f), uses).unwrap_or_else(|| placeholder(svc, &f.ty, uses)))
        .collect();
    let mut out = format!("{}::new({})", s.name, args.join(", "));
    for f in s.fields.iter().filter(|f| !f.required && !f.idempotency_token) {
        if let Some(v) = member(value, f) {
            if let Some(e) = expr(svc, &f.ty, Some(v), uses) {
                out.push_str(&format!("{sep}.with_{}({e})", f.rust));
            }
        }
    }
    out
}

/// The value as a Rust expression of type `ty`, when the data fits and the
/// type is one an example shows (not timestamps, blobs or maps).
fn expr(svc: &ServiceIr, ty: &TypeIr, value: Option<&Value>, uses: &mut BTreeSet<String>) -> Option<String> {
    let value = value?;
    Some(match ty {
        TypeIr::String => match value {
            Value::String(s) => rust_str(s),
            // The FSx page sends a one-item array where its syntax says a
            // string: show the string.
            Value::Array(items) => rust_str(items.first()?.as_str()?),
            _ => return None,
        },
        TypeIr::I32 | TypeIr::I64 => value.as_i64()?.to_string(),
        TypeIr::F32 | TypeIr::F64 => format!("{:?}", value.as_f64()?),
        TypeIr::Bool => value.as_bool()?.to_string(),
        TypeIr::Enum(name) => {
            uses.insert(name.clone());
            format!("{name}::from({})", rust_str(value.as_str()?))
        }
        TypeIr::Struct(name) => {
            let s = find_struct(svc, name)?;
            value.as_object()?;
            uses.insert(name.clone());
            struct_expr(svc, s, Some(value), uses, "")
        }
        TypeIr::List(inner, _) => {
            let items: Option<Vec<String>> = value.as_array()?.iter().map(|v| expr(svc, inner, Some(v), uses)).collect();
            format!("vec![{}]", items?.join(", "))
        }
        TypeIr::Timestamp(_) | TypeIr::Blob | TypeIr::Map(..) | TypeIr::Document => return None,
    })
}

/// A value of type `ty` for a required member the example does not give.
fn placeholder(svc: &ServiceIr, ty: &TypeIr, uses: &mut BTreeSet<String>) -> String {
    match ty {
        TypeIr::String => rust_str("example"),
        TypeIr::I32 | TypeIr::I64 => "1".into(),
        TypeIr::F32 | TypeIr::F64 => "1.0".into(),
        TypeIr::Bool => "false".into(),
        TypeIr::Enum(name) => {
            uses.insert(name.clone());
            let first = svc.enums.iter().find(|e| &e.name == name).and_then(|e| e.variants.first());
            match first {
                Some(v) => format!("{name}::{}", to_ident(&v.rust)),
                None => format!("{name}::from({})", rust_str("example")),
            }
        }
        TypeIr::Struct(name) => match find_struct(svc, name) {
            Some(s) => {
                uses.insert(name.clone());
                struct_expr(svc, s, None, uses, "")
            }
            None => "Default::default()".into(),
        },
        TypeIr::List(..) => "Vec::new()".into(),
        TypeIr::Timestamp(_) => "time::OffsetDateTime::UNIX_EPOCH".into(),
        TypeIr::Blob => "Vec::new()".into(),
        TypeIr::Map(..) | TypeIr::Document => "Default::default()".into(),
    }
}

/// The body of a successful answer, and the request ID in it when the
/// protocol carries it in the body: the page's raw response when it is one
/// the protocol reads, else the example's data (JSON protocols), else the
/// smallest answer.
fn success_body(svc: &ServiceIr, op: &OperationIr, example: Option<&ExampleIr>) -> (String, Option<String>) {
    let spec = protocol::spec(svc.protocol);
    // `request_id()` reads the member only when the response has it.
    let id_member = match find_struct(svc, &op.response).and_then(|s| s.request_id.as_ref()) {
        Some(RequestIdIr::Member { wire, .. }) => Some(wire.as_str()),
        _ => None,
    };
    match spec.response {
        ResponseStyle::Xml(XmlStyle::AwsQuery) => {
            let root = format!("{}Response", op.wire_name);
            if let Some(raw) = example.and_then(|e| e.raw_response.as_deref()).filter(|r| r.trim_start().starts_with(&format!("<{root}"))) {
                return (raw.to_string(), None);
            }
            let ns = svc.xml_namespace.as_deref().unwrap_or_default();
            let wrapper = format!("{}Result", op.wire_name);
            (
                format!("<{root} xmlns=\"{ns}\"><{wrapper}></{wrapper}><ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata></{root}>"),
                None,
            )
        }
        ResponseStyle::Xml(XmlStyle::Ec2) => {
            let root = format!("{}Response", op.wire_name);
            if let Some(raw) = example.and_then(|e| e.raw_response.as_deref()).filter(|r| r.trim_start().starts_with(&format!("<{root}"))) {
                let id = id_member.and_then(|m| xml_text(raw, m));
                return (raw.to_string(), id);
            }
            let ns = svc.xml_namespace.as_deref().unwrap_or_default();
            match id_member {
                Some(id) => (format!("<{root} xmlns=\"{ns}\"><{id}>{REQUEST_ID}</{id}></{root}>"), Some(REQUEST_ID.to_string())),
                None => (format!("<{root} xmlns=\"{ns}\"></{root}>"), None),
            }
        }
        // The members of a REST-XML example answer are its root's children;
        // an empty body has none.
        ResponseStyle::RestXml => (String::new(), None),
        ResponseStyle::Json(_) => {
            let raw = example.and_then(|e| e.raw_response.as_deref()).filter(|r| serde_json::from_str::<serde_json::Map<String, Value>>(r).is_ok());
            let body = match (raw, example.and_then(|e| e.output.as_ref())) {
                (Some(raw), _) => raw.to_string(),
                (None, Some(output)) if output.is_object() => output.to_string(),
                _ => match id_member {
                    Some(m) => Value::Object([(m.to_string(), Value::from(REQUEST_ID))].into_iter().collect()).to_string(),
                    None => "{}".to_string(),
                },
            };
            let id = id_member.and_then(|m| {
                serde_json::from_str::<Value>(&body).ok()?.get(m)?.as_str().map(str::to_string)
            });
            (body, id)
        }
    }
}

/// The text of the first `<name>` element of `xml`.
fn xml_text(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(xml[start..end].trim().to_string())
}

/// The header and body of an error answer with `code`, as the protocol
/// sends it.
fn error_answer(svc: &ServiceIr, code: &str) -> (Option<(&'static str, String)>, String) {
    let message = "An example message.";
    match protocol::spec(svc.protocol).response {
        ResponseStyle::Xml(XmlStyle::AwsQuery) => (
            None,
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"
            ),
        ),
        ResponseStyle::RestXml => (
            None,
            format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"),
        ),
        ResponseStyle::Xml(XmlStyle::Ec2) => (
            None,
            format!(
                "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{REQUEST_ID}</RequestID></Response>"
            ),
        ),
        ResponseStyle::Json(JsonErrors::AwsJson) => (None, serde_json::json!({ "__type": code, "message": message }).to_string()),
        ResponseStyle::Json(JsonErrors::RestJson) => (Some(("x-amzn-ErrorType", code.to_string())), serde_json::json!({ "message": message }).to_string()),
        ResponseStyle::Json(JsonErrors::Alibaba) => (
            None,
            serde_json::json!({ "RequestId": REQUEST_ID, "Code": code, "Message": message }).to_string(),
        ),
    }
}
