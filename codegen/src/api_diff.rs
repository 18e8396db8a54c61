//! What a model change does to the users of the generated crate.
//!
//! Two IRs are flattened into an [`Api`]: one [`Item`] per thing a caller
//! names in Rust or the service reads on the wire (service, operation,
//! error variant, structure, field, enum, enum variant), keyed by its Rust
//! path, each with a list of properties as text (`wire`, `type`,
//! `required`, `max_length`…). [`diff`] compares two of them and classifies
//! every difference ([`Class`]): breaking for Rust callers, breaking on the
//! wire, or compatible; [`Report::needed_version`] turns the worst class
//! into the semver bump of the generated crate (0.x rules).
//!
//! The same flat list, without docs, is the committed public-API file
//! beside the generated crate (`generated/api.txt`, [`render_api_file`] and
//! [`parse_api_file`]): `cargo xtask codegen` compares the next run with it,
//! so a breaking change that lands without a version bump is refused.
//!
//! # Adding an IR field
//!
//! Push it as a property in the builder of its item (`from_ir`) and give
//! it a rule in [`RULES`]: how a change of that property is classified.
//! A test fails for a property without a rule.
//!
//! The classes assume what the generated crate promises: enums and error
//! enums are `#[non_exhaustive]` (an added variant is compatible), and
//! structures are built with `new(required…)` and `with_*` (an added
//! optional member is compatible, an added or newly required member is
//! not, because `new()` takes another argument).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use crate::ir::{Constraints, Ir, ServiceIr, TypeIr};
use crate::model::{Fault, Location, TimestampFormat};
use crate::protocol::{self, RequestStyle, ResponseStyle};

/// What a change does to users, from harmless to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code and requests that worked keep working: an added optional
    /// member, an added enum value or error, a doc change.
    Compatible,
    /// The Rust code still compiles, but requests built from the new model
    /// are refused by the service as the old model described it, or its
    /// responses are misread: a changed wire name, a tightened constraint.
    BreakingOnTheWire,
    /// Code that compiled against the old crate may not compile, or may
    /// silently change meaning: a removed or renamed item, a changed type,
    /// a member that became required.
    BreakingForRust,
}

impl Class {
    /// The words the report uses.
    pub fn label(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::BreakingOnTheWire => "breaking on the wire",
            Class::BreakingForRust => "breaking for Rust",
        }
    }

    /// Whether the class needs a major version bump.
    pub fn is_breaking(self) -> bool {
        self != Class::Compatible
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The kind of an API item. Errors belong to an operation, fields to a
/// structure, variants to an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A service module.
    Service,
    /// An operation (its marker type).
    Operation,
    /// A documented error of an operation: a variant of its error enum.
    Error,
    /// A structure.
    Struct,
    /// A field of a structure.
    Field,
    /// An enum.
    Enum,
    /// A documented value of an enum.
    Variant,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Service,
        Kind::Operation,
        Kind::Error,
        Kind::Struct,
        Kind::Field,
        Kind::Enum,
        Kind::Variant,
    ];

    /// The word for the kind, as the API file and the report write it.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Operation => "operation",
            Kind::Error => "error",
            Kind::Struct => "struct",
            Kind::Field => "field",
            Kind::Enum => "enum",
            Kind::Variant => "variant",
        }
    }

    fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.word() == word)
    }

    /// The kind of the item this kind belongs to.
    fn parent(self) -> Option<Kind> {
        match self {
            Kind::Error => Some(Kind::Operation),
            Kind::Field => Some(Kind::Struct),
            Kind::Variant => Some(Kind::Enum),
            _ => None,
        }
    }

    /// The property that says "the same thing" when the Rust name changed:
    /// a removed and an added item that share it are one rename.
    fn identity(self) -> &'static str {
        match self {
            Kind::Service => "model",
            Kind::Operation => "wire",
            Kind::Error => "code",
            Kind::Struct | Kind::Enum => "shape",
            Kind::Field => "wire",
            Kind::Variant => "value",
        }
    }
}

/// Where an item is, by Rust path: `(kind, service, parent, name)`; the
/// parent is empty for items that belong to no other.
pub type Key = (Kind, String, String, String);

/// One item of the public API.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// The service module (`aws::fsx`).
    pub service: String,
    /// The operation, structure or enum it belongs to; empty for others.
    pub parent: String,
    /// Its Rust name (for a service, the module path).
    pub name: String,
    /// The model entry it comes from (`shapes.TaskId.members.Id`).
    pub entry: String,
    /// Its properties, in a fixed order per kind.
    pub props: Vec<(String, String)>,
}

impl Item {
    fn key(&self) -> Key {
        (
            self.kind,
            self.service.clone(),
            self.parent.clone(),
            self.name.clone(),
        )
    }

    /// A property's value.
    pub fn prop(&self, name: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The Rust path inside the service (`Request.task_id`).
    pub fn path(&self) -> String {
        if self.parent.is_empty() {
            self.name.clone()
        } else {
            format!("{}::{}", self.parent, self.name)
        }
    }
}

/// A whole generated crate's API, flattened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// Every item by key.
    pub items: BTreeMap<Key, Item>,
}

/// How a change of one property is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Not a change users see (where the item is in the model).
    Ignore,
    /// Any change is compatible (docs, metadata the types only report).
    Compatible,
    /// Any change breaks the wire.
    Wire,
    /// Any change breaks Rust callers.
    Rust,
    /// A lower bound: raising or adding it breaks the wire.
    Min,
    /// An upper bound: lowering or adding it breaks the wire.
    Max,
    /// A pattern: adding or changing it breaks the wire; removing it does not.
    Pattern,
    /// A precondition: removing it removes `PRECONDITION_STATES`.
    Precondition,
    /// What makes an enum a task state: removing it removes `impl
    /// TaskState`; adding it is compatible; another cancel operation changes
    /// what `is_cancellable` says.
    TaskState,
    /// A task state's phase: a new one comes with a new `impl TaskState`;
    /// another or none changes what `phase()` says.
    Phase,
}

/// The rule of every property, by the kind of its item. Every property the
/// builder writes must be here (a test checks it).
pub const RULES: &[(Kind, &str, Rule)] = &[
    (Kind::Service, "model", Rule::Ignore),
    (Kind::Service, "protocol", Rule::Wire),
    (Kind::Service, "api_version", Rule::Wire),
    (Kind::Service, "xml_namespace", Rule::Wire),
    (Kind::Service, "target_prefix", Rule::Wire),
    (Kind::Service, "title", Rule::Compatible),
    (Kind::Service, "docs", Rule::Compatible),
    (Kind::Operation, "wire", Rule::Wire),
    (Kind::Operation, "http", Rule::Wire),
    (Kind::Operation, "request", Rule::Rust),
    (Kind::Operation, "response", Rule::Rust),
    (Kind::Operation, "error_enum", Rule::Rust),
    (Kind::Operation, "unhandled", Rule::Rust),
    (Kind::Operation, "invalid_response", Rule::Rust),
    (Kind::Operation, "idempotent", Rule::Compatible),
    (Kind::Operation, "precondition", Rule::Precondition),
    (Kind::Operation, "docs", Rule::Compatible),
    (Kind::Operation, "examples", Rule::Compatible),
    (Kind::Operation, "waiters", Rule::Compatible),
    // A server that takes the operation accepts a compressed body (the
    // trait says so), and `to_http`'s signature does not change.
    (Kind::Operation, "request_compression", Rule::Compatible),
    (Kind::Error, "code", Rule::Wire),
    (Kind::Error, "http_status", Rule::Compatible),
    (Kind::Error, "fault", Rule::Compatible),
    (Kind::Error, "retryable", Rule::Compatible),
    (Kind::Error, "throttling", Rule::Compatible),
    (Kind::Error, "details", Rule::Rust),
    (Kind::Error, "docs", Rule::Compatible),
    (Kind::Struct, "shape", Rule::Ignore),
    (Kind::Struct, "sent", Rule::Ignore),
    // A union accepts one member set, a structure any: either way, what
    // one model sends or reads the other refuses.
    (Kind::Struct, "union", Rule::Wire),
    (Kind::Struct, "docs", Rule::Compatible),
    (Kind::Field, "type", Rule::Rust),
    (Kind::Field, "required", Rule::Rust),
    (Kind::Field, "wire", Rule::Wire),
    (Kind::Field, "query", Rule::Wire),
    (Kind::Field, "member", Rule::Ignore),
    (Kind::Field, "wire_form", Rule::Wire),
    (Kind::Field, "location", Rule::Wire),
    (Kind::Field, "sensitive", Rule::Compatible),
    (Kind::Field, "idempotency_token", Rule::Rust),
    (Kind::Field, "min_length", Rule::Min),
    (Kind::Field, "max_length", Rule::Max),
    (Kind::Field, "pattern", Rule::Pattern),
    (Kind::Field, "min", Rule::Min),
    (Kind::Field, "max", Rule::Max),
    (Kind::Field, "min_items", Rule::Min),
    (Kind::Field, "max_items", Rule::Max),
    (Kind::Field, "item_min_length", Rule::Min),
    (Kind::Field, "item_max_length", Rule::Max),
    (Kind::Field, "item_pattern", Rule::Pattern),
    (Kind::Field, "item_min", Rule::Min),
    (Kind::Field, "item_max", Rule::Max),
    (Kind::Field, "docs", Rule::Compatible),
    (Kind::Enum, "shape", Rule::Ignore),
    (Kind::Enum, "unknown", Rule::Rust),
    (Kind::Enum, "task_state", Rule::TaskState),
    (Kind::Enum, "docs", Rule::Compatible),
    (Kind::Variant, "value", Rule::Wire),
    (Kind::Variant, "phase", Rule::Phase),
    (Kind::Variant, "docs", Rule::Compatible),
];

/// The rule of a property; one the table does not know (from an API file
/// written by another generator version) is compatible.
pub fn rule(kind: Kind, prop: &str) -> Option<Rule> {
    RULES
        .iter()
        .find(|(k, p, _)| *k == kind && *p == prop)
        .map(|(_, _, r)| *r)
}

/// Properties that are text for people, left out of the API file.
fn is_prose(prop: &str) -> bool {
    matches!(prop, "docs" | "title" | "examples")
}

impl Api {
    /// Flattens an IR. With `prose`, docs, titles and examples are
    /// properties too (for the report); without, the API file's items.
    pub fn from_ir(ir: &Ir, prose: bool) -> Api {
        let mut api = Api::default();
        for s in &ir.services {
            service_items(&mut api, s, prose);
        }
        api
    }

    fn add(&mut self, item: Item) {
        self.items.insert(item.key(), item);
    }
}

/// A property list under construction; prose is pushed only when asked.
struct Props {
    prose: bool,
    list: Vec<(String, String)>,
}

impl Props {
    fn new(prose: bool) -> Props {
        Props {
            prose,
            list: Vec::new(),
        }
    }
    fn put(&mut self, name: &str, value: impl Into<String>) -> &mut Props {
        if self.prose || !is_prose(name) {
            self.list.push((name.to_string(), value.into()));
        }
        self
    }
    fn opt(&mut self, name: &str, value: Option<impl ToString>) -> &mut Props {
        if let Some(v) = value {
            self.put(name, v.to_string());
        }
        self
    }
    fn take(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.list)
    }
}

fn service_items(api: &mut Api, s: &ServiceIr, prose: bool) {
    let service = format!("{}::{}", s.provider, s.module);
    let spec = protocol::spec(s.protocol);
    let query = matches!(spec.request, RequestStyle::Query { .. });
    let xml = matches!(spec.response, ResponseStyle::Xml(_));
    let mut p = Props::new(prose);
    p.put("model", s.model_path.as_str())
        .put("protocol", spec.name)
        .put("api_version", s.api_version.as_str())
        .opt("xml_namespace", s.xml_namespace.as_ref())
        .opt("target_prefix", s.target_prefix.as_ref())
        .put("title", s.title.as_str())
        .put("docs", s.docs.as_str());
    let item = |kind, parent: &str, name: &str, entry: String, props| Item {
        kind,
        service: service.clone(),
        parent: parent.to_string(),
        name: name.to_string(),
        entry,
        props,
    };
    api.add(item(
        Kind::Service,
        "",
        &service,
        "service".into(),
        p.take(),
    ));
    for op in &s.operations {
        let (method, path) = &op.http;
        p.put("wire", op.wire_name.as_str())
            .put("http", format!("{method} {path}"))
            .put("request", op.request.as_str())
            .put("response", op.response.as_str())
            .put("error_enum", op.error.name.as_str())
            .opt("unhandled", unless(&op.error.unhandled, "Unhandled"))
            .opt(
                "invalid_response",
                unless(&op.error.invalid_response, "InvalidResponse"),
            )
            .opt("idempotent", op.idempotent.then_some(true))
            .opt(
                "precondition",
                op.precondition
                    .as_ref()
                    .map(|pre| format!("{}: {}", pre.state_enum, pre.variants.join(", "))),
            )
            .opt(
                "waiters",
                (!op.waiters.is_empty()).then(|| {
                    let each: Vec<String> =
                        op.waiters.iter().map(|(n, w)| format!("{n} every {} s, at most {}", w.delay, w.max_attempts)).collect();
                    each.join("; ")
                }),
            )
            .opt(
                "request_compression",
                (!op.request_compression.is_empty()).then(|| format!("{:?}", op.request_compression)),
            )
            .put("docs", op.docs.as_str());
        if prose && !op.examples.is_empty() {
            let examples: Vec<_> = op
                .examples
                .iter()
                .map(|e| (&e.title, &e.input, &e.output))
                .collect();
            p.put("examples", format!("{examples:?}"));
        }
        api.add(item(
            Kind::Operation,
            "",
            &op.rust,
            format!("operations.{}", op.wire_name),
            p.take(),
        ));
        for v in &op.error.variants {
            let fault = match v.fault {
                Fault::Client => "client",
                Fault::Server => "server",
            };
            p.put("code", v.code.as_str())
                .put("http_status", v.http_status.to_string())
                .put("fault", fault)
                .opt("retryable", v.retryable.then_some(true))
                .opt("throttling", v.throttling.then_some(true))
                .opt("details", v.details.as_ref())
                .put("docs", v.docs.as_str());
            api.add(item(
                Kind::Error,
                &op.rust,
                &v.rust,
                format!("operations.{}.errors.{}", op.wire_name, v.rust),
                p.take(),
            ));
        }
    }
    let sent = sent_structs(s);
    for st in &s.structs {
        p.put("shape", st.shape.as_str())
            .opt("sent", sent.contains(st.name.as_str()).then_some(true))
            .opt("union", st.union.then_some(true))
            .put("docs", st.docs.as_str());
        api.add(item(
            Kind::Struct,
            "",
            &st.name,
            format!("shapes.{}", st.shape),
            p.take(),
        ));
        for f in &st.fields {
            let ty = rust_type(&f.ty);
            let ty = if f.boxed { format!("Box<{ty}>") } else { ty };
            p.put(
                "type",
                if f.required {
                    ty
                } else {
                    format!("Option<{ty}>")
                },
            )
            .opt("required", f.required.then_some(true))
            .put("wire", f.wire.as_str());
            // Names equal to the wire name are left out: the wire name says them.
            if query {
                p.opt("query", unless(&f.query, &f.wire));
            }
            p.opt("member", unless(&f.member, &f.wire));
            let form = wire_form(&f.ty, xml);
            if !form.is_empty() {
                p.put("wire_form", form);
            }
            p.opt("location", f.location.map(location));
            if f.sensitive {
                p.put("sensitive", "true");
            }
            if f.idempotency_token {
                p.put("idempotency_token", "true");
            }
            constraints(&mut p, "", &f.constraints);
            if let TypeIr::List(_, info) = &f.ty {
                constraints(&mut p, "item_", &info.item_constraints);
            }
            p.put("docs", f.docs.as_str());
            let entry = format!("shapes.{}.members.{}", st.shape, f.member);
            api.add(item(Kind::Field, &st.name, &f.rust, entry, p.take()));
        }
    }
    for en in &s.enums {
        p.put("shape", en.shape.as_str())
            .opt("unknown", unless(&en.unknown, "Unknown"))
            .opt("task_state", en.lifecycle.as_ref().map(|l| format!("cancelled by {}", l.cancel)))
            .put("docs", en.docs.as_str());
        api.add(item(
            Kind::Enum,
            "",
            &en.name,
            format!("shapes.{}", en.shape),
            p.take(),
        ));
        for (n, v) in en.variants.iter().enumerate() {
            p.put("value", v.value.as_str())
                .opt("phase", en.lifecycle.as_ref().and_then(|l| l.phases.get(n).copied()))
                .put("docs", v.docs.as_str());
            let entry = format!("shapes.{}.values.{}", en.shape, v.value);
            api.add(item(Kind::Variant, &en.name, &v.rust, entry, p.take()));
        }
    }
}

/// `value` unless it is the usual one (left out to keep lines short; an
/// absent property reads as the usual value).
fn unless<'a>(value: &'a str, usual: &str) -> Option<&'a str> {
    (value != usual).then_some(value)
}

/// The structures a request can hold: every request and what its fields
/// reach. A constraint tightened elsewhere refuses nothing the caller sends.
fn sent_structs(s: &ServiceIr) -> BTreeSet<&str> {
    let by_name: BTreeMap<&str, &crate::ir::StructIr> =
        s.structs.iter().map(|st| (st.name.as_str(), st)).collect();
    let mut sent = BTreeSet::new();
    let mut todo: Vec<&str> = s.operations.iter().map(|op| op.request.as_str()).collect();
    while let Some(name) = todo.pop() {
        if !sent.insert(name) {
            continue;
        }
        for f in by_name
            .get(name)
            .map(|st| st.fields.as_slice())
            .unwrap_or_default()
        {
            let mut ty = &f.ty;
            while let TypeIr::List(inner, _) | TypeIr::Map(inner, _) = ty {
                ty = inner;
            }
            if let TypeIr::Struct(inner) = ty {
                todo.push(inner);
            }
        }
    }
    sent
}

fn location(l: Location) -> String {
    format!("{l:?}").to_lowercase()
}

fn constraints(p: &mut Props, prefix: &str, c: &Constraints) {
    let name = |n: &str| format!("{prefix}{n}");
    p.opt(&name("min_length"), c.length.0)
        .opt(&name("max_length"), c.length.1)
        .opt(&name("pattern"), c.pattern.as_ref())
        .opt(&name("min"), c.range.0)
        .opt(&name("max"), c.range.1);
    // Item counts of the items themselves (lists of lists) are not kept.
    if prefix.is_empty() {
        p.opt("min_items", c.items.0).opt("max_items", c.items.1);
    }
}

/// The Rust type as the generated code declares it (without `Option`).
fn rust_type(ty: &TypeIr) -> String {
    match ty {
        TypeIr::String => "String".into(),
        TypeIr::I32 => "i32".into(),
        TypeIr::I64 => "i64".into(),
        TypeIr::F32 => "f32".into(),
        TypeIr::F64 => "f64".into(),
        TypeIr::Bool => "bool".into(),
        TypeIr::Timestamp(_) => "time::OffsetDateTime".into(),
        TypeIr::Blob => "Vec<u8>".into(),
        TypeIr::Document => "Document".into(),
        TypeIr::List(item, _) => format!("Vec<{}>", rust_type(item)),
        TypeIr::Map(value, _) => format!("BTreeMap<String, {}>", rust_type(value)),
        TypeIr::Struct(name) | TypeIr::Enum(name) => name.clone(),
    }
}

/// What the Rust type leaves open about the wire form.
fn wire_form(ty: &TypeIr, xml: bool) -> String {
    match ty {
        TypeIr::Timestamp(TimestampFormat::DateTime) => "date-time".into(),
        TypeIr::Timestamp(TimestampFormat::EpochSeconds) => "epoch seconds".into(),
        TypeIr::Timestamp(TimestampFormat::HttpDate) => "HTTP date".into(),
        TypeIr::Blob => "base64".into(),
        TypeIr::List(item, info) => {
            let inner = wire_form(item, xml);
            let mut s = if xml && info.flattened {
                "flattened items".to_string()
            } else if xml {
                format!("items <{}>", info.xml_item_name)
            } else {
                String::new()
            };
            if !inner.is_empty() {
                if !s.is_empty() {
                    s.push_str(", ");
                }
                s.push_str(&inner);
            }
            s
        }
        TypeIr::Map(value, _) => wire_form(value, xml),
        _ => String::new(),
    }
}

/// One classified difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The service module (`aws::fsx`).
    pub service: String,
    /// The operation it belongs to (its own, or the one whose request or
    /// response it is); empty for shared types and the service itself.
    pub operation: String,
    /// The item's kind.
    pub kind: Kind,
    /// The item's Rust path inside the service (`Request::task_id`).
    pub path: String,
    /// What changed, in words (`removed`, `wire: "TaskId" → "Id"`).
    pub what: String,
    /// Its class.
    pub class: Class,
    /// Why that class, for a reader who does not know the rules.
    pub why: String,
    /// Model file and entry (`aws/fsx.yaml shapes.TaskId`).
    pub at: String,
}

/// Every change between two APIs, sorted by service, operation and item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

/// Compares two APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    // Renames of items that other items belong to, by (kind, service, old name).
    let mut renamed: BTreeMap<(Kind, String, String), String> = BTreeMap::new();
    let removed_services: BTreeSet<&str> = old
        .items
        .values()
        .filter(|i| i.kind == Kind::Service && !new.items.contains_key(&i.key()))
        .map(|i| i.service.as_str())
        .collect();
    let added_services: BTreeSet<&str> = new
        .items
        .values()
        .filter(|i| i.kind == Kind::Service && !old.items.contains_key(&i.key()))
        .map(|i| i.service.as_str())
        .collect();
    let ctx = Context::new(old, new);
    // Parents first, so that their renames are known when their children are matched.
    for pass in [false, true] {
        let renames = renamed.clone();
        let mut gone: Vec<&Item> = Vec::new();
        let mut came: Vec<&Item> = Vec::new();
        let in_pass = |i: &Item| i.kind.parent().is_some() == pass;
        // The key an old child has in the new API once its parent's rename is applied.
        let moved = |i: &Item| -> Key {
            let mut key = i.key();
            if let Some(parent) = i.kind.parent()
                && let Some(to) = renames.get(&(parent, i.service.clone(), i.parent.clone()))
            {
                key.2 = to.clone();
            }
            key
        };
        let old_keys: BTreeSet<Key> = old
            .items
            .values()
            .filter(|i| in_pass(i))
            .map(&moved)
            .collect();
        for o in old.items.values().filter(|i| in_pass(i)) {
            match new.items.get(&moved(o)) {
                Some(n) => compare(&ctx, o, n, &mut changes),
                None => gone.push(o),
            }
        }
        for n in new.items.values().filter(|i| in_pass(i)) {
            if !old_keys.contains(&n.key()) {
                came.push(n);
            }
        }
        // A removed and an added item with the same parent and identity are one rename.
        let mut came_by_identity: BTreeMap<(Kind, &str, String, &str), Vec<&Item>> =
            BTreeMap::new();
        for n in &came {
            if let Some(id) = n.prop(n.kind.identity()) {
                came_by_identity
                    .entry((n.kind, &n.service, n.parent.clone(), id))
                    .or_default()
                    .push(n);
            }
        }
        let mut paired: BTreeSet<Key> = BTreeSet::new();
        let mut unpaired_gone = Vec::new();
        for o in gone {
            let parent = moved(o).2;
            let candidates = o
                .prop(o.kind.identity())
                .and_then(|id| came_by_identity.get(&(o.kind, o.service.as_str(), parent, id)));
            match candidates {
                Some(c) if c.len() == 1 && !paired.contains(&c[0].key()) => {
                    let n = c[0];
                    paired.insert(n.key());
                    if o.kind.parent().is_none() {
                        renamed.insert((o.kind, o.service.clone(), o.name.clone()), n.name.clone());
                    }
                    changes.push(ctx.change(
                        n,
                        format!("renamed from `{}`", o.path()),
                        Class::BreakingForRust,
                        format!("code that names `{}` no longer compiles", o.path()),
                    ));
                    compare(&ctx, o, n, &mut changes);
                }
                _ => unpaired_gone.push(o),
            }
        }
        for o in unpaired_gone {
            // A removed service or parent covers its items.
            let parent_gone = o.kind.parent().is_some_and(|pk| {
                let key = (pk, o.service.clone(), String::new(), o.parent.clone());
                !new.items.contains_key(&key)
                    && !renamed.contains_key(&(pk, o.service.clone(), o.parent.clone()))
            });
            if (o.kind != Kind::Service && removed_services.contains(o.service.as_str()))
                || parent_gone
            {
                continue;
            }
            let why = match o.kind {
                Kind::Variant => format!(
                    "code that names it no longer compiles; the service's {:?} now reads as the unknown variant",
                    o.prop("value").unwrap_or_default()
                ),
                Kind::Error => format!(
                    "code that matches it no longer compiles; code {:?} now reads as unhandled",
                    o.prop("code").unwrap_or_default()
                ),
                _ => "code that names it no longer compiles".to_string(),
            };
            changes.push(ctx.change(o, "removed".into(), Class::BreakingForRust, why));
        }
        for n in came {
            if paired.contains(&n.key()) {
                continue;
            }
            let parent_new = n.kind.parent().is_some_and(|pk| {
                let key = (pk, n.service.clone(), String::new(), n.parent.clone());
                !old.items.contains_key(&key) && !renamed.values().any(|to| *to == n.parent)
            });
            if (n.kind != Kind::Service && added_services.contains(n.service.as_str()))
                || parent_new
            {
                continue;
            }
            let (class, why) = match n.kind {
                Kind::Field if n.prop("required") == Some("true") => (
                    Class::BreakingForRust,
                    format!(
                        "a required member: `{}::new()` takes another argument",
                        n.parent
                    ),
                ),
                Kind::Field => (
                    Class::Compatible,
                    "an optional member: `new()` is unchanged".to_string(),
                ),
                Kind::Variant | Kind::Error => (
                    Class::Compatible,
                    "the enum is `#[non_exhaustive]`".to_string(),
                ),
                _ => (Class::Compatible, "an addition".to_string()),
            };
            changes.push(ctx.change(n, "added".into(), class, why));
        }
    }
    // By service, then operation (shared types last), worst first.
    changes.sort_by(|a, b| {
        let key = |c: &Change| {
            (
                c.service.clone(),
                c.operation.is_empty(),
                c.operation.clone(),
                std::cmp::Reverse(c.class),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.cmp(b))
    });
    changes.dedup();
    Report { changes }
}

/// What [`diff`] needs besides the two items: model paths and which
/// operation each structure serves.
struct Context {
    models: BTreeMap<String, String>,
    owners: BTreeMap<(String, String), String>,
    /// Structures a request can hold, in the new API: `(service, name)`.
    sent: BTreeSet<(String, String)>,
}

impl Context {
    fn new(old: &Api, new: &Api) -> Context {
        let mut models = BTreeMap::new();
        let mut owners = BTreeMap::new();
        let sent = new
            .items
            .values()
            .filter(|i| i.kind == Kind::Struct && i.prop("sent") == Some("true"))
            .map(|i| (i.service.clone(), i.name.clone()))
            .collect();
        for api in [old, new] {
            for i in api.items.values() {
                match i.kind {
                    Kind::Service => {
                        models.insert(
                            i.service.clone(),
                            i.prop("model").unwrap_or_default().to_string(),
                        );
                    }
                    Kind::Operation => {
                        for p in ["request", "response"] {
                            if let Some(s) = i.prop(p) {
                                owners.insert((i.service.clone(), s.to_string()), i.name.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Context {
            models,
            owners,
            sent,
        }
    }

    fn change(&self, item: &Item, what: String, class: Class, why: String) -> Change {
        let operation = match item.kind {
            Kind::Operation => item.name.clone(),
            Kind::Error => item.parent.clone(),
            Kind::Struct => self
                .owners
                .get(&(item.service.clone(), item.name.clone()))
                .cloned()
                .unwrap_or_default(),
            Kind::Field => self
                .owners
                .get(&(item.service.clone(), item.parent.clone()))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        };
        let model = self.models.get(&item.service).cloned().unwrap_or_default();
        Change {
            service: item.service.clone(),
            operation,
            kind: item.kind,
            path: item.path(),
            what,
            class,
            why,
            at: format!("{model} {}", item.entry),
        }
    }
}

/// Classifies every property that differs between two versions of an item.
fn compare(ctx: &Context, old: &Item, new: &Item, out: &mut Vec<Change>) {
    let mut names: Vec<&str> = new.props.iter().map(|(n, _)| n.as_str()).collect();
    for (n, _) in &old.props {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    // Docs restate constraints, names and links: when anything else
    // changed, a doc change only follows from it.
    let other = names.iter().any(|n| {
        !is_prose(n) && old.prop(n) != new.prop(n) && rule(new.kind, n) != Some(Rule::Ignore)
    });
    // A query name left out is the wire name: compare what is sent.
    fn query_of(i: &Item) -> Option<&str> {
        i.prop("query").or(i.prop("wire"))
    }
    let explicit_query = old.prop("query").is_some() || new.prop("query").is_some();
    for name in names {
        let (a, b) = if name == "query" && explicit_query {
            (query_of(old), query_of(new))
        } else {
            (old.prop(name), new.prop(name))
        };
        if a == b || (other && is_prose(name)) {
            continue;
        }
        let Some((mut class, mut why)) = classify(new.kind, name, a, b) else {
            continue;
        };
        // A tightened constraint on what only responses carry refuses no request.
        let constraint = matches!(
            rule(new.kind, name),
            Some(Rule::Min | Rule::Max | Rule::Pattern)
        );
        if constraint
            && class == Class::BreakingOnTheWire
            && !ctx
                .sent
                .contains(&(new.service.clone(), new.parent.clone()))
        {
            class = Class::Compatible;
            why = "a tighter constraint, but only responses carry it: no request is refused"
                .to_string();
        }
        let what = if is_prose(name) {
            format!("{name} changed")
        } else {
            format!("{name}: {} → {}", shown(a), shown(b))
        };
        out.push(ctx.change(new, what, class, why));
    }
}

fn shown(v: Option<&str>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "none".into(),
    }
}

/// The class of one property change, and why; `None` for changes users
/// do not see.
pub fn classify(
    kind: Kind,
    prop: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Option<(Class, String)> {
    let num = |v: Option<&str>| v.and_then(|v| v.parse::<f64>().ok());
    let tightened = |why: &str| {
        Some((
            Class::BreakingOnTheWire,
            format!("{why}: values the old model allowed are now refused"),
        ))
    };
    let loosened = || {
        Some((
            Class::Compatible,
            "a looser constraint: every old value still fits".to_string(),
        ))
    };
    match rule(kind, prop).unwrap_or(Rule::Compatible) {
        Rule::Ignore => None,
        Rule::Compatible => Some((
            Class::Compatible,
            "no code or request changes meaning".to_string(),
        )),
        Rule::Wire => Some((
            Class::BreakingOnTheWire,
            "the Rust code is the same, the bytes on the wire are not".to_string(),
        )),
        Rule::Rust => {
            let why = match (kind, prop) {
                (Kind::Field, "required") if new == Some("true") => {
                    "now required: the field is no longer an `Option` and `new()` takes another argument"
                }
                (Kind::Field, "required") => {
                    "now optional: the field becomes an `Option` and `new()` takes one argument fewer"
                }
                (Kind::Field, "type") => "the field's Rust type changed",
                (Kind::Field, "idempotency_token") => {
                    "an idempotency token is filled by `new()`, not passed to it: `new()`'s arguments change"
                }
                _ => "a Rust name or type changed",
            };
            Some((Class::BreakingForRust, why.to_string()))
        }
        Rule::Min => match (num(old), num(new)) {
            (_, None) => loosened(),
            (None, Some(_)) => tightened("a new lower bound"),
            (Some(a), Some(b)) if b > a => tightened("a higher lower bound"),
            _ => loosened(),
        },
        Rule::Max => match (num(old), num(new)) {
            (_, None) => loosened(),
            (None, Some(_)) => tightened("a new upper bound"),
            (Some(a), Some(b)) if b < a => tightened("a lower upper bound"),
            _ => loosened(),
        },
        Rule::Pattern => match new {
            None => loosened(),
            Some(_) => tightened("a new or changed pattern"),
        },
        Rule::TaskState => match (old, new) {
            (_, None) => Some((Class::BreakingForRust, "the enum no longer implements `TaskState`".to_string())),
            (None, Some(_)) => Some((Class::Compatible, "the enum now implements `TaskState`".to_string())),
            _ => Some((
                Class::BreakingForRust,
                "another operation's precondition now decides `is_cancellable()`".to_string(),
            )),
        },
        Rule::Phase => match old {
            None => Some((Class::Compatible, "the state has a phase now: its enum implements `TaskState`".to_string())),
            Some(_) => Some((
                Class::BreakingForRust,
                "`TaskState::phase()` says something else for this state: code that matches on it decides differently".to_string(),
            )),
        },
        Rule::Precondition => match new {
            None => Some((
                Class::BreakingForRust,
                "the operation's `PRECONDITION_STATES` and `precondition_met` are gone".to_string(),
            )),
            Some(_) => Some((
                Class::Compatible,
                "the documented states changed; no code stops compiling".to_string(),
            )),
        },
    }
}

impl Report {
    /// The worst class of any change; `None` when nothing changed.
    pub fn worst(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.worst().is_some_and(Class::is_breaking)
    }

    /// How many changes of each class, worst first.
    pub fn counts(&self) -> [(Class, usize); 3] {
        [
            Class::BreakingForRust,
            Class::BreakingOnTheWire,
            Class::Compatible,
        ]
        .map(|c| (c, self.changes.iter().filter(|x| x.class == c).count()))
    }

    /// The version the generated crate needs after these changes, from
    /// `base`, by Cargo's semver rules (0.x included); `None` when nothing
    /// changed.
    pub fn needed_version(&self, base: Version) -> Option<Version> {
        let worst = self.worst()?;
        let adds = self.changes.iter().any(|c| c.what == "added");
        let Version(major, minor, patch) = base;
        Some(if worst.is_breaking() {
            match (major, minor) {
                (0, 0) => Version(0, 0, patch + 1),
                (0, _) => Version(0, minor + 1, 0),
                _ => Version(major + 1, 0, 0),
            }
        } else if adds && major > 0 {
            Version(major, minor + 1, 0)
        } else {
            Version(major, minor, patch + 1)
        })
    }

    /// The report as text: a headline, then one line per change grouped
    /// by service and operation.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.headline());
        let mut service = None;
        let mut operation = None;
        for c in &self.changes {
            if service != Some(&c.service) {
                let _ = writeln!(out, "\n{}", c.service);
                service = Some(&c.service);
                operation = None;
            }
            if operation != Some(&c.operation) {
                if c.operation.is_empty() {
                    let _ = writeln!(out, "  service and shared types");
                } else {
                    let _ = writeln!(out, "  operation {}", c.operation);
                }
                operation = Some(&c.operation);
            }
            let _ = writeln!(
                out,
                "    [{}] {} {}: {} ({}; at {})",
                c.class,
                c.kind.word(),
                c.path,
                c.what,
                c.why,
                c.at
            );
        }
        out
    }

    /// The report as a Markdown table, for a pull request's description.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("**{}**\n", self.headline());
        if self.changes.is_empty() {
            return out;
        }
        out.push_str("\n| Class | Service | Operation | Item | Change | Why | Model entry |\n|---|---|---|---|---|---|---|\n");
        for c in &self.changes {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let op = if c.operation.is_empty() {
                "—".to_string()
            } else {
                cell(&c.operation)
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} `{}` | {} | {} | `{}` |",
                c.class,
                c.service,
                op,
                c.kind.word(),
                cell(&c.path),
                cell(&c.what),
                cell(&c.why),
                cell(&c.at)
            );
        }
        out
    }

    fn headline(&self) -> String {
        if self.changes.is_empty() {
            return "no API changes".to_string();
        }
        let parts: Vec<String> = self
            .counts()
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect();
        let n = self.changes.len();
        format!(
            "{n} API change{}: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// A crate version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// The version of a crate whose models do not say one.
    pub const INITIAL: Version = Version(0, 1, 0);

    /// Reads `1.2.3` (surrounding white space allowed; no pre-release or
    /// build suffix).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| {
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                None
            } else {
                p.parse::<u64>().ok()
            }
        });
        let v = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The verdict on a version: what the changes need and whether `current`
/// has it. Only a breaking change without its bump fails.
#[derive(Debug, Clone, PartialEq)]
pub struct SemverVerdict {
    /// The version the base was generated with.
    pub base: Version,
    /// The version the models say now.
    pub current: Version,
    /// What the changes need; `None` when nothing changed.
    pub needed: Option<Version>,
    /// The changes.
    pub report: Report,
}

impl SemverVerdict {
    /// Compares `new` with `old` and judges `current`.
    pub fn judge(old: &Api, base: Version, new: &Api, current: Version) -> SemverVerdict {
        let report = diff(old, new);
        let needed = report.needed_version(base);
        SemverVerdict {
            base,
            current,
            needed,
            report,
        }
    }

    /// Whether the version is enough: it is unless a breaking change needs
    /// a version the current one is below.
    pub fn ok(&self) -> bool {
        !(self.report.is_breaking() && self.needed.is_some_and(|n| self.current < n))
    }

    /// One paragraph: what bump the change needs and whether it is there.
    pub fn advice(&self, version_file: &str) -> String {
        let Some(needed) = self.needed else {
            return format!("semver: no API change; the crate stays at {}", self.current);
        };
        let kind = match self.report.worst() {
            Some(c) if c.is_breaking() => {
                if self.base.0 == 0 {
                    "a breaking change (0.x: the minor number)"
                } else {
                    "a breaking change (the major number)"
                }
            }
            _ if needed.1 != self.base.1 => "an addition (the minor number)",
            _ => "a compatible change (the patch number)",
        };
        let has = if self.current >= needed {
            format!("{version_file} has {}: enough", self.current)
        } else if self.ok() {
            format!(
                "{version_file} has {}: bump it to {needed} when you release (not required by the check)",
                self.current
            )
        } else {
            format!(
                "{version_file} has {}: set it to {needed} and run `cargo xtask codegen`",
                self.current
            )
        };
        format!("semver: {kind} needs {} → {needed}; {has}", self.base)
    }
}

/// The first line of the API file, after the generated mark.
const API_FILE_INTRO: &str = "# The public API of the generated crate, one line per item (docs left out), written by `cargo xtask codegen`.
# `cargo xtask codegen` compares the next run with it: a breaking change needs a higher `version` (models/VERSION).
# `cargo xtask api-diff` explains what changed and why it is breaking.
";

/// The API file: its header, the version, then one line per item,
/// `kind service path | prop="value" ...` (values as JSON strings).
pub fn render_api_file(api: &Api, version: Version) -> String {
    let mut out = format!(
        "# {} (codegen {}). Do not edit by hand: edit the models and regenerate.\n{API_FILE_INTRO}\nversion {version}\n",
        crate::write::GENERATED_MARK,
        env!("CARGO_PKG_VERSION")
    );
    // Grouped by service, then in kind and name order (parents before their items).
    let mut items: Vec<&Item> = api.items.values().collect();
    items.sort_by(|a, b| {
        let parent = |i: &Item| {
            if i.parent.is_empty() {
                i.name.clone()
            } else {
                i.parent.clone()
            }
        };
        let top = |k: Kind| k.parent().unwrap_or(k);
        (
            &a.service,
            top(a.kind),
            parent(a),
            !a.parent.is_empty(),
            a.kind,
            &a.name,
        )
            .cmp(&(
                &b.service,
                top(b.kind),
                parent(b),
                !b.parent.is_empty(),
                b.kind,
                &b.name,
            ))
    });
    let mut service = None;
    for i in items {
        if service != Some(&i.service) {
            out.push('\n');
            service = Some(&i.service);
        }
        if i.kind == Kind::Service {
            let _ = write!(out, "service {} |", i.service);
        } else {
            let _ = write!(out, "{} {} {} |", i.kind.word(), i.service, i.path());
        }
        let _ = write!(out, " at={}", json_string(&i.entry));
        for (name, value) in &i.props {
            let _ = write!(out, " {name}={}", json_string(value));
        }
        out.push('\n');
    }
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// Reads an API file back: its version and its items. An error names the
/// line and what is wrong.
pub fn parse_api_file(text: &str) -> Result<(Version, Api), String> {
    let mut version = None;
    let mut api = Api::default();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(v) = line.strip_prefix("version ") {
            version = Some(
                Version::parse(v)
                    .ok_or_else(|| format!("line {n}: `{v}` is not a version (`1.2.3`)"))?,
            );
            continue;
        }
        let (head, props) = line
            .split_once(" |")
            .ok_or_else(|| format!("line {n}: no ` |` after the item's name"))?;
        let mut words = head.split(' ');
        let (Some(kind), Some(service)) = (words.next(), words.next()) else {
            return Err(format!("line {n}: expected `kind service path |`"));
        };
        let kind = Kind::from_word(kind)
            .ok_or_else(|| format!("line {n}: `{kind}` is not an item kind"))?;
        let path = match (kind, words.next(), words.next()) {
            (Kind::Service, None, _) => service,
            (Kind::Service, Some(_), _) | (_, None, _) | (_, Some(_), Some(_)) => {
                return Err(format!(
                    "line {n}: expected `service name |` or `kind service path |`"
                ));
            }
            (_, Some(path), None) => path,
        };
        let (parent, name) = match (kind.parent(), path.split_once("::")) {
            (Some(_), Some((p, name))) => (p.to_string(), name.to_string()),
            (Some(_), None) => {
                return Err(format!("line {n}: a {} needs `parent::name`", kind.word()));
            }
            (None, _) => (String::new(), path.to_string()),
        };
        let mut item = Item {
            kind,
            service: service.to_string(),
            parent,
            name,
            entry: String::new(),
            props: Vec::new(),
        };
        let mut rest = props;
        while let Some(r) = rest.strip_prefix(' ') {
            let (prop, value) = r
                .split_once('=')
                .ok_or_else(|| format!("line {n}: a property without `=`"))?;
            let mut stream = serde_json::Deserializer::from_str(value).into_iter::<String>();
            let parsed = match stream.next() {
                Some(Ok(v)) => v,
                _ => {
                    return Err(format!(
                        "line {n}: the value of `{prop}` is not a JSON string"
                    ));
                }
            };
            rest = &value[stream.byte_offset()..];
            if prop == "at" {
                item.entry = parsed;
            } else {
                item.props.push((prop.to_string(), parsed));
            }
        }
        if !rest.is_empty() {
            return Err(format!("line {n}: unexpected `{rest}`"));
        }
        api.add(item);
    }
    let version = version.ok_or("no `version` line")?;
    Ok((version, api))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, parent: &str, name: &str, props: &[(&str, &str)]) -> Item {
        Item {
            kind,
            service: "aws::x".into(),
            parent: parent.into(),
            name: name.into(),
            entry: "shapes.X".into(),
            props: props
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    fn api(items: Vec<Item>) -> Api {
        let mut api = Api::default();
        for i in items {
            api.add(i);
        }
        api
    }

    #[test]
    fn versions_parse_strictly_and_bump_by_zero_x_rules() {
        assert_eq!(Version::parse(" 0.1.0\n"), Some(Version(0, 1, 0)));
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.x",
            "1.2.3-beta",
            "-1.2.3",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        let breaking = Report {
            changes: vec![Change {
                class: Class::BreakingOnTheWire,
                ..change()
            }],
        };
        let added = Report {
            changes: vec![Change {
                what: "added".into(),
                ..change()
            }],
        };
        let docs = Report {
            changes: vec![change()],
        };
        assert_eq!(
            breaking.needed_version(Version(0, 1, 3)),
            Some(Version(0, 2, 0))
        );
        assert_eq!(
            breaking.needed_version(Version(0, 0, 3)),
            Some(Version(0, 0, 4))
        );
        assert_eq!(
            breaking.needed_version(Version(1, 4, 3)),
            Some(Version(2, 0, 0))
        );
        assert_eq!(
            added.needed_version(Version(0, 1, 3)),
            Some(Version(0, 1, 4))
        );
        assert_eq!(
            added.needed_version(Version(1, 4, 3)),
            Some(Version(1, 5, 0))
        );
        assert_eq!(
            docs.needed_version(Version(1, 4, 3)),
            Some(Version(1, 4, 4))
        );
        assert_eq!(Report::default().needed_version(Version(1, 4, 3)), None);
    }

    fn change() -> Change {
        Change {
            service: "aws::x".into(),
            operation: String::new(),
            kind: Kind::Field,
            path: "A::b".into(),
            what: "docs changed".into(),
            class: Class::Compatible,
            why: String::new(),
            at: String::new(),
        }
    }

    #[test]
    fn the_api_file_reads_back_as_written() {
        let a = api(vec![
            item(Kind::Service, "", "aws::x", &[("model", "aws/x.yaml")]),
            item(Kind::Struct, "", "A", &[("shape", "A")]),
            item(
                Kind::Field,
                "A",
                "b",
                &[("wire", "B \"quoted\" | = x"), ("pattern", "^[a-z]+$")],
            ),
        ]);
        let text = render_api_file(&a, Version(0, 3, 1));
        let (v, back) = parse_api_file(&text).expect("parses");
        assert_eq!(v, Version(0, 3, 1));
        assert_eq!(back, a);
        assert!(
            parse_api_file("version 1.x\n")
                .expect_err("refused")
                .contains("line 1")
        );
        assert!(
            parse_api_file("version 1.0.0\nfield aws::x b |")
                .expect_err("refused")
                .contains("line 2")
        );
        assert!(
            parse_api_file("version 1.0.0\nstruct aws::x A | shape=nope")
                .expect_err("refused")
                .contains("not a JSON string")
        );
    }

    #[test]
    fn a_renamed_parent_carries_its_children() {
        let old = api(vec![
            item(Kind::Struct, "", "A", &[("shape", "S")]),
            item(Kind::Field, "A", "b", &[("wire", "B"), ("type", "String")]),
        ]);
        let new = api(vec![
            item(Kind::Struct, "", "C", &[("shape", "S")]),
            item(Kind::Field, "C", "b", &[("wire", "B"), ("type", "i32")]),
        ]);
        let r = diff(&old, &new);
        let whats: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.what.as_str(), c.class))
            .collect();
        assert_eq!(
            whats,
            [
                ("C", "renamed from `A`", Class::BreakingForRust),
                ("C::b", "type: \"String\" → \"i32\"", Class::BreakingForRust),
            ]
        );
    }

    #[test]
    fn a_query_name_left_out_reads_as_the_wire_name() {
        let old = api(vec![item(
            Kind::Field,
            "S",
            "bucket",
            &[("wire", "bucket")],
        )]);
        let new = api(vec![item(
            Kind::Field,
            "S",
            "bucket",
            &[("wire", "bucket"), ("query", "Bucket")],
        )]);
        let r = diff(&old, &new);
        let whats: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.what.as_str(), c.class))
            .collect();
        assert_eq!(
            whats,
            [("query: \"bucket\" → \"Bucket\"", Class::BreakingOnTheWire)]
        );
        let same = api(vec![item(
            Kind::Field,
            "S",
            "bucket",
            &[("wire", "bucket"), ("query", "bucket")],
        )]);
        assert_eq!(diff(&old, &same), Report::default());
    }

    #[test]
    fn constraints_tighten_and_loosen() {
        let c = |p, a, b| classify(Kind::Field, p, a, b).map(|(c, _)| c);
        assert_eq!(
            c("max_length", Some("10"), Some("5")),
            Some(Class::BreakingOnTheWire)
        );
        assert_eq!(
            c("max_length", Some("5"), Some("10")),
            Some(Class::Compatible)
        );
        assert_eq!(
            c("max_length", None, Some("10")),
            Some(Class::BreakingOnTheWire)
        );
        assert_eq!(c("max_length", Some("10"), None), Some(Class::Compatible));
        assert_eq!(
            c("min", Some("1"), Some("2")),
            Some(Class::BreakingOnTheWire)
        );
        assert_eq!(c("min", Some("2"), Some("1.5")), Some(Class::Compatible));
        assert_eq!(
            c("pattern", None, Some("^a$")),
            Some(Class::BreakingOnTheWire)
        );
        assert_eq!(c("pattern", Some("^a$"), None), Some(Class::Compatible));
        assert_eq!(classify(Kind::Struct, "shape", Some("A"), Some("B")), None);
    }
}
