//! A compact summary of each service's public API, for review.
//!
//! `generated/` is checked by `--check`, so a reviewer needs to see what a
//! change does to the API, not the generated code again: per service, its
//! operations (wire name, HTTP binding, request, response, error enum,
//! precondition), every error with its code, status and fault, every
//! structure's fields with Rust and wire names and Rust types, and every
//! enum's variants with their wire values. One line per fact, no column
//! alignment (so one change is one changed line) and no docs (they are
//! reviewed in the model). Printed from the IR only.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::{EnumIr, FieldIr, OperationIr, ServiceIr, StructIr, TypeIr};
use crate::model::{Fault, TimestampFormat};
use crate::outputs::Outputs;

impl Outputs {
    /// The review summary of each service's public API, keyed by the
    /// service's module path (`aws::fsx`). See the module docs of
    /// `summary.rs` for what it holds; the real models' summaries are
    /// snapshotted in `tests/tests/snapshots/`.
    pub fn api_summaries(&self) -> BTreeMap<String, String> {
        self.ir
            .services
            .iter()
            .map(|s| (format!("{}::{}", s.provider, s.module), service_summary(s)))
            .collect()
    }
}

fn service_summary(s: &ServiceIr) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "service {}::{}: {}", s.provider, s.module, s.title);
    let _ = writeln!(out, "  model: {}", s.model_path);
    let _ = writeln!(out, "  api version: {}", s.api_version);
    let _ = writeln!(out, "  protocol: {}", crate::protocol::spec(s.protocol).name);
    if let Some(ns) = &s.xml_namespace {
        let _ = writeln!(out, "  xml namespace: {ns}");
    }
    if let Some(prefix) = &s.target_prefix {
        let _ = writeln!(out, "  target prefix: {prefix}");
    }
    for op in &s.operations {
        operation(&mut out, op);
    }
    // XML item names matter only to a service whose responses are XML.
    let xml = matches!(crate::protocol::spec(s.protocol).response, crate::protocol::ResponseStyle::Xml(_));
    for st in &s.structs {
        structure(&mut out, st, xml);
    }
    for en in &s.enums {
        enumeration(&mut out, en);
    }
    out
}

fn operation(out: &mut String, op: &OperationIr) {
    let _ = writeln!(out, "\noperation {} (wire {:?})", op.rust, op.wire_name);
    let (method, path) = &op.http;
    let _ = writeln!(out, "  http: {method} {path}");
    if op.idempotent {
        let _ = writeln!(out, "  idempotent");
    }
    let _ = writeln!(out, "  request: {}", op.request);
    let _ = writeln!(out, "  response: {}", op.response);
    if let Some(pre) = &op.precondition {
        let _ = writeln!(out, "  precondition: {} is one of {}", pre.state_enum, pre.variants.join(", "));
    }
    for (name, w) in &op.waiters {
        let _ = writeln!(out, "  waiter {name}: every {} s, at most {} attempts, {} acceptors", w.delay, w.max_attempts, w.acceptors.len());
    }
    let e = &op.error;
    let _ = writeln!(out, "  error enum {}", e.name);
    for v in &e.variants {
        let fault = match v.fault {
            Fault::Client => "client",
            Fault::Server => "server",
        };
        let mut flags = String::new();
        if v.retryable {
            flags.push_str(", retryable");
        }
        if v.throttling {
            flags.push_str(", throttling");
        }
        if let Some(details) = &v.details {
            let _ = write!(flags, ", members {details}");
        }
        let _ = writeln!(out, "    {}: code {:?}, HTTP {}, {fault} fault{flags}", v.rust, v.code, v.http_status);
    }
    let _ = writeln!(out, "    {}(UnhandledError): any other code", e.unhandled);
    let _ = writeln!(out, "    {}: a response that does not decode", e.invalid_response);
}

fn structure(out: &mut String, st: &StructIr, xml: bool) {
    let _ = writeln!(out, "\nstruct {}", st.name);
    for f in &st.fields {
        field(out, f, xml);
    }
}

fn field(out: &mut String, f: &FieldIr, xml: bool) {
    let ty = rust_type(f);
    let ty = if f.required { ty } else { format!("Option<{ty}>") };
    let mut line = format!("  {}: {ty}, wire {:?}", f.rust, f.wire);
    if f.member != f.wire {
        let _ = write!(line, ", member {:?}", f.member);
    }
    if f.query != f.wire {
        let _ = write!(line, ", query {:?}", f.query);
    }
    let _ = write!(line, "{}", wire_form(&f.ty, xml));
    if f.required {
        line.push_str(", required");
    }
    if f.sensitive {
        line.push_str(", sensitive");
    }
    if f.idempotency_token {
        line.push_str(", idempotency token");
    }
    let _ = writeln!(out, "{line}");
}

/// The Rust type as the generated field declares it (from the emitter's
/// own rule, `Box` included), without `Option` and the token spacing.
fn rust_type(f: &FieldIr) -> String {
    crate::emit::value_type(f).to_string().replace(' ', "")
}

/// What the Rust type leaves open about the wire form: timestamp and blob
/// encodings, XML item names of lists.
fn wire_form(ty: &TypeIr, xml: bool) -> String {
    match ty {
        TypeIr::Timestamp(TimestampFormat::DateTime) => ", as date-time".into(),
        TypeIr::Timestamp(TimestampFormat::EpochSeconds) => ", as epoch seconds".into(),
        TypeIr::Timestamp(TimestampFormat::HttpDate) => ", as an HTTP date".into(),
        TypeIr::Blob => ", as base64".into(),
        TypeIr::List(item, info) => {
            let mut s = String::new();
            if xml && info.flattened {
                s.push_str(", xml items flattened");
            } else if xml {
                let _ = write!(s, ", xml items {:?}", info.xml_item_name);
            }
            s + &wire_form(item, xml)
        }
        _ => String::new(),
    }
}

fn enumeration(out: &mut String, en: &EnumIr) {
    let _ = writeln!(out, "\nenum {}", en.name);
    for (n, v) in en.variants.iter().enumerate() {
        match en.lifecycle.as_ref().and_then(|l| l.phases.get(n)) {
            Some(phase) => _ = writeln!(out, "  {} = {:?}, phase {phase}", v.rust, v.value),
            None => _ = writeln!(out, "  {} = {:?}", v.rust, v.value),
        }
    }
    if let Some(l) = &en.lifecycle {
        let _ = writeln!(out, "  task state: cancelled by {}", l.cancel);
    }
    let _ = writeln!(out, "  {}(UnknownValue): any other value", en.unknown);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_boxed_member_shows_its_box() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/models/recursive_shapes");
        let outputs = crate::generate(&dir, "models").unwrap_or_else(|e| panic!("{}", e.render(crate::diagnostic::Color::Never)));
        let summary = &outputs.api_summaries()["test::recursive"];
        assert!(summary.contains("  not: Option<Box<Filter>>, wire \"Not\"\n"), "{summary}");
        assert!(summary.contains("  part: Box<LabelPart>, wire \"Part\", required\n"), "{summary}");
        assert!(summary.contains("  and: Option<Vec<Filter>>, wire \"And\"\n"), "{summary}");
    }
}
