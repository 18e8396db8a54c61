//! Stage 3: the intermediate representation the emitter works from.
//!
//! References are resolved, Rust names are decided once (through
//! [`crate::ident`]), docs are composed, and every collection is ordered, so
//! the emitter only turns data into tokens. Building the IR never fails on a
//! checked model; on an unchecked one it skips what it cannot resolve rather
//! than panic.

use std::collections::BTreeMap;

use crate::diagnostic::SourceSet;
use crate::docs::{code_span, doc_lines};
use crate::ident;
use crate::load::LoadedModel;
use crate::model::{self, Fault, Model, Protocol, Shape, TimestampFormat};

/// Every service of a run, sorted by provider then service.
#[derive(Debug, Clone)]
pub struct Ir {
    /// The services.
    pub services: Vec<ServiceIr>,
}

/// One service module.
#[derive(Debug, Clone)]
pub struct ServiceIr {
    /// Provider module (`aws`).
    pub provider: String,
    /// Service module (`fsx`).
    pub module: String,
    /// Model path relative to the models folder, for the file header.
    pub model_path: String,
    /// Human title.
    pub title: String,
    /// API version.
    pub api_version: String,
    /// Wire protocol.
    pub protocol: Protocol,
    /// XML namespace (EC2).
    pub xml_namespace: Option<String>,
    /// `X-Amz-Target` prefix (AWS JSON).
    pub target_prefix: Option<String>,
    /// Module docs.
    pub docs: String,
    /// Operations sorted by name.
    pub operations: Vec<OperationIr>,
    /// Structures sorted by Rust name (requests and responses included).
    pub structs: Vec<StructIr>,
    /// Enums sorted by Rust name.
    pub enums: Vec<EnumIr>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Name as the service knows it (`Action`, target suffix).
    pub wire_name: String,
    /// Rust base name (`CancelBundleTask`).
    pub rust: String,
    /// Docs.
    pub docs: String,
    /// HTTP method and path.
    pub http: Option<(String, String)>,
    /// Rust name of the request struct.
    pub request: String,
    /// Rust name of the response struct.
    pub response: String,
    /// The error enum.
    pub error: ErrorEnumIr,
    /// Whether repeating the call is safe.
    pub idempotent: bool,
    /// The state precondition.
    pub precondition: Option<PreconditionIr>,
}

/// "The task must be in one of these states".
#[derive(Debug, Clone)]
pub struct PreconditionIr {
    /// Rust name of the state enum.
    pub state_enum: String,
    /// Rust variant names of the allowed states, in model order.
    pub variants: Vec<String>,
    /// Docs.
    pub docs: String,
}

/// An operation's error enum.
#[derive(Debug, Clone)]
pub struct ErrorEnumIr {
    /// Rust name (`CancelBundleTaskError`).
    pub name: String,
    /// Documented errors in the operation's order.
    pub variants: Vec<ErrorVariantIr>,
    /// Name of the variant that keeps undocumented codes.
    pub unhandled: String,
    /// Name of the variant for responses that could not be decoded.
    pub invalid_response: String,
}

/// One documented error.
#[derive(Debug, Clone)]
pub struct ErrorVariantIr {
    /// Rust variant name.
    pub rust: String,
    /// Code as sent on the wire.
    pub code: String,
    /// Documented HTTP status.
    pub http_status: u16,
    /// Whose fault.
    pub fault: Fault,
    /// Retrying may succeed.
    pub retryable: bool,
    /// Slow down.
    pub throttling: bool,
    /// Docs.
    pub docs: String,
}

/// A structure.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: String,
    /// Fields in model order.
    pub fields: Vec<FieldIr>,
    /// Whether any field is sensitive (then `Debug` is written by hand).
    pub has_sensitive: bool,
}

/// One field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Member name in the model.
    pub member: String,
    /// Rust field name (before raw-identifier escaping).
    pub rust: String,
    /// Name on the wire.
    pub wire: String,
    /// Query parameter name (query protocols).
    pub query: String,
    /// Type.
    pub ty: TypeIr,
    /// Required members are not `Option`.
    pub required: bool,
    /// Redacted from `Debug`.
    pub sensitive: bool,
    /// Docs, constraints included.
    pub docs: String,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeIr {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// A timestamp in the given wire format.
    Timestamp(TimestampFormat),
    /// `Vec<u8>`, base64 on the wire.
    Blob,
    /// `Vec<T>`.
    List(Box<TypeIr>, ListInfo),
    /// A generated structure.
    Struct(String),
    /// A generated enum.
    Enum(String),
}

/// Wire details of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListInfo {
    /// XML element of each item.
    pub xml_item_name: Option<String>,
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: String,
    /// Documented values in model order.
    pub variants: Vec<VariantIr>,
    /// Name of the variant that keeps undocumented values.
    pub unknown: String,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Rust variant name.
    pub rust: String,
    /// Value on the wire.
    pub value: String,
    /// Docs.
    pub docs: String,
}

/// Model text made safe Markdown (see [`crate::docs`]). Every string that
/// comes from a model passes through here on its way into the IR, so the
/// emitter can treat IR docs as trusted and add its own links to them.
pub fn markdown(text: &str) -> String {
    doc_lines(text)
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Joins non-empty paragraphs with a blank line.
fn paragraphs(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n\n")
}

/// Builds the IR of checked models.
pub fn build(models: &[LoadedModel], sources: &SourceSet) -> Ir {
    let mut services: Vec<ServiceIr> = models
        .iter()
        .map(|m| {
            let path = sources
                .files
                .get(m.file)
                .map(|f| f.rel_path.clone())
                .unwrap_or_default();
            build_service(&m.model, path)
        })
        .collect();
    services.sort_by(|a, b| (&a.provider, &a.module).cmp(&(&b.provider, &b.module)));
    Ir { services }
}

/// Picks the first of `candidates` not in `taken`, else numbers the first.
fn free_name(candidates: &[&str], taken: &[&str]) -> String {
    for c in candidates {
        if !taken.contains(c) {
            return (*c).to_string();
        }
    }
    let base = candidates.first().copied().unwrap_or("Unknown");
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken.contains(&c.as_str()))
        .unwrap_or_else(|| base.to_string())
}

fn build_service(model: &Model, model_path: String) -> ServiceIr {
    let svc = &model.service;
    // Input and output shapes are named after their operation.
    let mut names: BTreeMap<&str, String> = model
        .shapes
        .keys()
        .map(|n| (n.as_str(), ident::type_name(n)))
        .collect();
    let mut io_docs: BTreeMap<&str, String> = BTreeMap::new();
    for (op_name, op) in &model.operations {
        let base = ident::type_name(op_name);
        names.insert(op.input.as_str(), format!("{base}Request"));
        names.insert(op.output.as_str(), format!("{base}Response"));
        io_docs.insert(op.input.as_str(), format!("The request of [`{base}`]."));
        io_docs.insert(op.output.as_str(), format!("The response of [`{base}`]."));
    }

    let mut structs = Vec::new();
    let mut enums = Vec::new();
    for (name, shape) in &model.shapes {
        let Some(rust) = names.get(name.as_str()).cloned() else { continue };
        match shape {
            Shape::Structure(s) => {
                let mut st = build_struct(model, &names, rust, s);
                if let Some(role) = io_docs.get(name.as_str()) {
                    st.docs = paragraphs(&[role, &st.docs]);
                }
                structs.push(st)
            }
            Shape::Enum(e) => enums.push(build_enum(rust, e)),
            _ => {}
        }
    }
    // Every public item is documented; where the page says nothing, say so
    // rather than invent a description.
    for st in &mut structs {
        if st.docs.is_empty() {
            st.docs = "A structure of the model; the source page does not describe it.".to_string();
        }
    }
    for en in &mut enums {
        if en.docs.is_empty() {
            en.docs = "An enum of the model; the source page does not describe it.".to_string();
        }
    }
    structs.sort_by(|a, b| a.name.cmp(&b.name));
    enums.sort_by(|a, b| a.name.cmp(&b.name));

    let operations = model
        .operations
        .iter()
        .map(|(op_name, op)| build_operation(model, &names, &enums, op_name, op))
        .collect();

    let title = markdown(&svc.title);
    let api_version = markdown(&svc.api_version);
    let sources: Vec<String> = svc.sources.iter().map(|s| markdown(s)).collect();
    // The model's notes tell a user where the vendor's page and the
    // generated types part ways, and why.
    let notes: Vec<String> = model
        .notes
        .iter()
        .map(|n| {
            let kind = match n.kind {
                model::NoteKind::Contradiction => "Contradiction",
                model::NoteKind::Gap => "Gap",
            };
            let source = n.source.as_deref().map(|s| format!(" (Source: {}.)", markdown(s))).unwrap_or_default();
            // One list item: the note's lines joined, so Markdown keeps it whole.
            let text = markdown(&n.text).split('\n').filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
            format!("- {kind} in {}: {text}{source}", markdown(&n.page))
        })
        .collect();
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("# Notes on the source pages\n\n{}", notes.join("\n"))
    };
    let docs = paragraphs(&[
        &format!("{title} (API version {api_version}), {} protocol.", protocol_name(svc.protocol)),
        &markdown(svc.docs.as_deref().unwrap_or_default()),
        &format!("Transcribed from: {}.", sources.join(", ")),
        &notes,
    ]);

    ServiceIr {
        provider: ident::module_name(&svc.provider),
        module: ident::module_name(&svc.name),
        model_path,
        title,
        api_version: svc.api_version.clone(),
        protocol: svc.protocol,
        xml_namespace: svc.xml_namespace.clone(),
        target_prefix: svc.target_prefix.clone(),
        docs,
        operations,
        structs,
        enums,
    }
}

/// How the protocol is named in docs.
pub fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Ec2Query => "EC2 query",
        Protocol::AwsJson11 => "AWS JSON 1.1",
        Protocol::RestJson => "AWS REST-JSON",
        Protocol::AlibabaRpc => "Alibaba Cloud RPC",
    }
}

fn resolve_type(model: &Model, names: &BTreeMap<&str, String>, target: &str) -> TypeIr {
    let default_ts = match model.service.protocol {
        Protocol::Ec2Query => TimestampFormat::DateTime,
        _ => TimestampFormat::EpochSeconds,
    };
    match model.shapes.get(target) {
        Some(Shape::Structure(_)) => TypeIr::Struct(names.get(target).cloned().unwrap_or_default()),
        Some(Shape::Enum(_)) => TypeIr::Enum(names.get(target).cloned().unwrap_or_default()),
        Some(Shape::List(l)) => TypeIr::List(
            Box::new(resolve_type(model, names, &l.member)),
            ListInfo {
                xml_item_name: l.xml_item_name.clone(),
            },
        ),
        Some(Shape::String(_)) => TypeIr::String,
        Some(Shape::Integer(_)) => TypeIr::I32,
        Some(Shape::Long(_)) => TypeIr::I64,
        Some(Shape::Double(_)) => TypeIr::F64,
        Some(Shape::Boolean(_)) => TypeIr::Bool,
        Some(Shape::Timestamp(t)) => TypeIr::Timestamp(t.format),
        Some(Shape::Blob(_)) => TypeIr::Blob,
        None => match target {
            "integer" => TypeIr::I32,
            "long" => TypeIr::I64,
            "double" => TypeIr::F64,
            "boolean" => TypeIr::Bool,
            "timestamp" => TypeIr::Timestamp(default_ts),
            "blob" => TypeIr::Blob,
            _ => TypeIr::String,
        },
    }
}

fn build_struct(model: &Model, names: &BTreeMap<&str, String>, rust: String, s: &model::StructureShape) -> StructIr {
    let fields: Vec<FieldIr> = s
        .members
        .iter()
        .map(|m| {
            let wire = m.wire_name.clone().unwrap_or_else(|| m.name.clone());
            let sensitive = m.sensitive
                || matches!(model.shapes.get(&m.target), Some(Shape::String(st)) if st.sensitive);
            FieldIr {
                member: m.name.clone(),
                rust: ident::field_name(&m.name),
                query: m.query_name.clone().unwrap_or_else(|| wire.clone()),
                wire,
                ty: resolve_type(model, names, &m.target),
                required: m.required,
                sensitive,
                docs: member_docs(model, m),
            }
        })
        .collect();
    StructIr {
        name: rust,
        docs: markdown(s.docs.as_deref().unwrap_or_default()),
        has_sensitive: fields.iter().any(|f| f.sensitive),
        fields,
    }
}

/// A member's docs: the page's words, then the facts a caller needs.
fn member_docs(model: &Model, m: &model::Member) -> String {
    let mut docs = markdown(m.docs.as_deref().unwrap_or_default());
    let mut facts = Vec::new();
    facts.push(format!("Wire name: {}.", code_span(m.wire_name.as_deref().unwrap_or(&m.name))));
    if let Some(query) = &m.query_name {
        let list = matches!(model.shapes.get(&m.target), Some(Shape::List(_)));
        let shown = if list { format!("{query}.N") } else { query.clone() };
        facts.push(format!("Query parameter: {}.", code_span(&shown)));
    }
    if m.required {
        facts.push("Required.".to_string());
    }
    if m.sensitive || matches!(model.shapes.get(&m.target), Some(Shape::String(st)) if st.sensitive) {
        facts.push("Sensitive: `Debug` prints it redacted.".to_string());
    }
    if m.idempotency_token {
        facts.push("Idempotency token: reuse it to retry the same request safely.".to_string());
    }
    match model.shapes.get(&m.target) {
        Some(Shape::String(s)) => {
            match (s.min_length, s.max_length) {
                (Some(min), Some(max)) => facts.push(format!("Length: {min} to {max} characters.")),
                (Some(min), None) => facts.push(format!("Length: at least {min} characters.")),
                (None, Some(max)) => facts.push(format!("Length: at most {max} characters.")),
                (None, None) => {}
            }
            if let Some(p) = &s.pattern {
                facts.push(format!("Pattern: {}.", code_span(p)));
            }
        }
        Some(Shape::Integer(n) | Shape::Long(n) | Shape::Double(n)) => match (n.min, n.max) {
            (Some(min), Some(max)) => facts.push(format!("Range: {min} to {max}.")),
            (Some(min), None) => facts.push(format!("Minimum: {min}.")),
            (None, Some(max)) => facts.push(format!("Maximum: {max}.")),
            (None, None) => {}
        },
        Some(Shape::List(l)) => match (l.min_items, l.max_items) {
            (Some(min), Some(max)) => facts.push(format!("Items: {min} to {max}.")),
            (Some(min), None) => facts.push(format!("Items: at least {min}.")),
            (None, Some(max)) => facts.push(format!("Items: at most {max}.")),
            (None, None) => {}
        },
        _ => {}
    }
    if let Some(default) = &m.default {
        facts.push(format!("Default: {}", markdown(default)));
    }
    if let Some(example) = &m.example {
        facts.push(format!("Example: {}.", code_span(example)));
    }
    if !docs.is_empty() {
        docs.push_str("\n\n");
    }
    let bullets: Vec<String> = facts.iter().map(|f| format!("- {f}")).collect();
    docs.push_str(&bullets.join("\n"));
    docs
}

fn build_enum(rust: String, e: &model::EnumShape) -> EnumIr {
    let variants: Vec<VariantIr> = e
        .values
        .iter()
        .map(|v| VariantIr {
            rust: ident::type_name(v.name.as_deref().unwrap_or(&v.value)),
            value: v.value.clone(),
            docs: markdown(v.docs.as_deref().unwrap_or_default()),
        })
        .collect();
    let taken: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
    let unknown = free_name(&["Unknown", "Undocumented", "Other"], &taken);
    EnumIr {
        name: rust,
        docs: markdown(e.docs.as_deref().unwrap_or_default()),
        variants,
        unknown,
    }
}

fn build_operation(
    model: &Model,
    names: &BTreeMap<&str, String>,
    enums: &[EnumIr],
    op_name: &str,
    op: &model::Operation,
) -> OperationIr {
    let rust = ident::type_name(op_name);
    let variants: Vec<ErrorVariantIr> = op
        .errors
        .iter()
        .filter_map(|name| {
            let e = model.errors.get(name)?;
            let mut docs = markdown(&e.docs);
            if let Some(message) = &e.message {
                docs.push_str(&format!("\n\nDocumented message: {}", code_span(message)));
            }
            docs.push_str(&format!("\n\nCode: {}. HTTP status: {}.", code_span(&e.code), e.http_status));
            if let Some(source) = &e.source {
                docs.push_str(&format!("\n\nSource: {}.", markdown(source)));
            }
            Some(ErrorVariantIr {
                rust: ident::type_name(name),
                code: e.code.clone(),
                http_status: e.http_status,
                fault: e.fault,
                retryable: e.retryable,
                throttling: e.throttling,
                docs,
            })
        })
        .collect();
    let taken: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
    let unhandled = free_name(&["Unhandled", "Undocumented", "Other"], &taken);
    let taken: Vec<&str> = taken.into_iter().chain([unhandled.as_str()]).collect();
    let invalid_response = free_name(&["InvalidResponse", "MalformedResponse", "Undecodable"], &taken);
    let precondition = op.precondition.as_ref().and_then(|pre| {
        let state_enum = names.get(pre.state.as_str())?.clone();
        let enum_ir = enums.iter().find(|e| e.name == state_enum)?;
        let variants = pre
            .states
            .iter()
            .filter_map(|s| enum_ir.variants.iter().find(|v| &v.value == s).map(|v| v.rust.clone()))
            .collect();
        Some(PreconditionIr {
            state_enum,
            variants,
            docs: markdown(&pre.docs),
        })
    });
    let docs = paragraphs(&[&markdown(&op.docs), &format!("Source: {}.", markdown(&op.source))]);
    OperationIr {
        wire_name: op_name.to_string(),
        docs,
        http: op.http.as_ref().map(|h| (h.method.clone(), h.path.clone())),
        request: format!("{rust}Request"),
        response: format!("{rust}Response"),
        error: ErrorEnumIr {
            name: format!("{rust}Error"),
            variants,
            unhandled,
            invalid_response,
        },
        idempotent: op.idempotent,
        precondition,
        rust,
    }
}
