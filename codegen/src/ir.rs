//! The intermediate representation the emitter works from.
//!
//! [`crate::lower`] builds it, checking the models on the way: references
//! are resolved, Rust names are decided once, docs are composed, and every
//! collection is ordered, so the emitter only turns data into tokens. An IR
//! exists only for models without problems.

use crate::docs::Doc;
use crate::model::{Fault, Protocol, TimestampFormat};

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
    pub title: Doc,
    /// API version.
    pub api_version: String,
    /// Wire protocol.
    pub protocol: Protocol,
    /// XML namespace (EC2).
    pub xml_namespace: Option<String>,
    /// `X-Amz-Target` prefix (AWS JSON).
    pub target_prefix: Option<String>,
    /// The name request signatures use: the model's `signing_name`, else
    /// its `endpoint_prefix` (SigV4's rule), where it gives one.
    pub signing_name: Option<String>,
    /// Module docs.
    pub docs: Doc,
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
    pub docs: Doc,
    /// HTTP method and path: the model's binding, else the protocol's.
    pub http: (String, String),
    /// Rust name of the request struct.
    pub request: String,
    /// Rust name of the response struct.
    pub response: String,
    /// The prefix of the request's host, with its labels.
    pub host_prefix: Option<HostPrefixIr>,
    /// REST-XML: the request body's root element, its namespace URI and
    /// prefix (empty for none): the payload member's element, else the
    /// operation's `xml_root`.
    pub xml_body: Option<(String, String, String)>,
    /// The error enum.
    pub error: ErrorEnumIr,
    /// Whether repeating the call is safe.
    pub idempotent: bool,
    /// The state precondition.
    pub precondition: Option<PreconditionIr>,
    /// The model's examples, in its order.
    pub examples: Vec<ExampleIr>,
    /// Waiters that poll the operation, sorted by name.
    pub waiters: Vec<(String, crate::model::Waiter)>,
    /// The encodings `to_http` compresses the request body with, in the
    /// model's order (the model's `request_compression`).
    pub request_compression: Vec<crate::model::Compression>,
}

/// An operation's host prefix (`foo.{Name}.`).
#[derive(Debug, Clone)]
pub struct HostPrefixIr {
    /// The prefix as the model writes it.
    pub template: String,
    /// Each label, with the Rust field of the request member it names.
    pub labels: Vec<(String, String)>,
}

/// An example of the model, its data in wire form: members keyed by their
/// wire names, as the generated types' serde form reads them (the model
/// writes member names); keys that are no member are kept as written.
#[derive(Debug, Clone)]
pub struct ExampleIr {
    /// The page's title for it.
    pub title: String,
    /// The request's data.
    pub input: Option<serde_json::Value>,
    /// The response's data.
    pub output: Option<serde_json::Value>,
    /// The response exactly as the page prints it.
    pub raw_response: Option<String>,
    /// The code of the error the example shows.
    pub error_code: Option<String>,
    /// Whether the page's example contradicts the page's syntax.
    pub contradicts_syntax: bool,
}

/// "The task must be in one of these states".
#[derive(Debug, Clone)]
pub struct PreconditionIr {
    /// Rust name of the state enum.
    pub state_enum: String,
    /// Rust variant names of the allowed states, in model order.
    pub variants: Vec<String>,
    /// Docs.
    pub docs: Doc,
}

/// An operation's error enum.
#[derive(Debug, Clone)]
pub struct ErrorEnumIr {
    /// Rust name (`CancelBundleTaskError`).
    pub name: String,
    /// Docs.
    pub docs: Doc,
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
    /// Rust name of the structure of the error's own members (besides its
    /// code and message), which the variant holds (boxed) beside its
    /// `ErrorMetadata`; `None` for a variant of the metadata only.
    pub details: Option<String>,
    /// Docs.
    pub docs: Doc,
}

/// A structure.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// The model's shape name (`shapes.<shape>`).
    pub shape: String,
    /// Docs.
    pub docs: Doc,
    /// Fields in model order.
    pub fields: Vec<FieldIr>,
    /// Whether any field is sensitive (then `Debug` is written by hand).
    pub has_sensitive: bool,
    /// A union: every field optional, exactly one set (`validate()` checks).
    pub union: bool,
    /// For an operation's response, where its request ID comes from
    /// (`None` for every other structure).
    pub request_id: Option<RequestIdIr>,
}

/// Where a response's `request_id()` reads the service's request ID,
/// decided once from the protocol and the response's members.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestIdIr {
    /// A response header (`x-amzn-requestid`), which `from_http` keeps in
    /// a private field.
    Header(&'static str),
    /// A text member of the response (EC2 `requestId`, Alibaba
    /// `RequestId`).
    Member {
        /// The member's Rust field name.
        field: String,
        /// Its wire name.
        wire: String,
        /// Whether it is required (not an `Option`).
        required: bool,
    },
    /// The protocol carries it in a member with this wire name, which the
    /// response does not have: `request_id()` is always `None`.
    Missing(&'static str),
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
    /// The model's target (a shape name or a built-in such as `string`).
    pub target: String,
    /// Type.
    pub ty: TypeIr,
    /// What a value must satisfy (from the target shape).
    pub constraints: Constraints,
    /// Required members are not `Option`.
    pub required: bool,
    /// Redacted from `Debug`.
    pub sensitive: bool,
    /// An idempotency token: `new()` fills it with a fresh UUID.
    pub idempotency_token: bool,
    /// Where a REST request carries it, when not in the body.
    pub location: Option<crate::model::Location>,
    /// A header holding JSON text, carried as its base64.
    pub json_value: bool,
    /// REST-XML: an attribute of the structure's element.
    pub xml_attribute: bool,
    /// Held in a `Box` (`Box<T>`, or `Option<Box<T>>`): a structure member
    /// on a cycle of structure members, which would otherwise make the
    /// structure infinitely large. Accessors, `new` and `with_*` still
    /// take and give the plain `T`.
    pub boxed: bool,
    /// Docs, constraints included.
    pub docs: Doc,
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
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// A timestamp in the given wire format.
    Timestamp(TimestampFormat),
    /// `Vec<u8>`, base64 on the wire.
    Blob,
    /// `runtime::Document`: any JSON value.
    Document,
    /// `Vec<T>`.
    List(Box<TypeIr>, ListInfo),
    /// `BTreeMap<String, T>`: keys are text on every wire.
    Map(Box<TypeIr>, MapInfo),
    /// A generated structure.
    Struct(String),
    /// A generated enum.
    Enum(String),
}

/// Wire details of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListInfo {
    /// XML element of each item: the model's, else the protocol's.
    pub xml_item_name: String,
    /// The model's target of each item.
    pub item_target: String,
    /// What each item must satisfy.
    pub item_constraints: Constraints,
    /// XML: the items are repeated elements of the member's wire name, not
    /// wrapped in one (the member's `xml_flattened`).
    pub flattened: bool,
}

/// Wire details of a map (XML and AWS query).
#[derive(Debug, Clone, PartialEq)]
pub struct MapInfo {
    /// The element of each key: the model's `xml_key_name`, else `key`.
    pub xml_key_name: String,
    /// The element of each value: the model's `xml_value_name`, else `value`.
    pub xml_value_name: String,
    /// XML: each entry is a repeated element of the member's wire name, not
    /// wrapped in one and in `<entry>` (the member's `xml_flattened`).
    pub flattened: bool,
}

impl MapInfo {
    /// Whether the map is laid out as every map is by default
    /// (`<entry><key/><value/></entry>`).
    pub fn is_default(&self) -> bool {
        self.xml_key_name == "key" && self.xml_value_name == "value" && !self.flattened
    }
}

/// The documented constraints on a value, from the model's shape. At most
/// one group applies to a value: lengths and a pattern to strings, a range
/// to numbers, an item count to lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Fewest and most characters.
    pub length: (Option<u64>, Option<u64>),
    /// A regular expression (`regex` syntax) the whole value must match.
    pub pattern: Option<String>,
    /// Smallest and largest value.
    pub range: (Option<f64>, Option<f64>),
    /// Fewest and most items.
    pub items: (Option<u64>, Option<u64>),
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// The model's shape name (`shapes.<shape>`).
    pub shape: String,
    /// Docs.
    pub docs: Doc,
    /// Documented values in model order.
    pub variants: Vec<VariantIr>,
    /// Name of the variant that keeps undocumented values.
    pub unknown: String,
    /// Set when the enum is a task's state.
    pub lifecycle: Option<LifecycleIr>,
}

/// A task-state enum's place in the common lifecycle.
#[derive(Debug, Clone)]
pub struct LifecycleIr {
    /// Rust name of the cancel operation's marker type, whose
    /// precondition says which states are cancellable.
    pub cancel: String,
    /// The `runtime::TaskPhase` variant of each documented value, in the
    /// order of [`EnumIr::variants`].
    pub phases: Vec<&'static str>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Rust variant name.
    pub rust: String,
    /// Value on the wire.
    pub value: String,
    /// Docs.
    pub docs: Doc,
}
