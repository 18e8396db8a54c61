//! The model format: what a `models/**/*.yaml` file may say, as Rust types.
//!
//! Every struct rejects unknown keys, so a misspelt key is an error rather
//! than a silently ignored line. Named things (shapes, operations, errors)
//! are YAML maps keyed by name, so a reviewer finds them by the name the
//! vendor page uses; members and enum values are lists, because their order
//! is the page's order and becomes the order of the generated fields.
//!
//! Nothing here is interpreted: meaning (references, clashes, patterns) is
//! checked, and Rust names decided, by the lowering pass into [`crate::ir`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

/// One model file: one service of one provider.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Who offers the service and how it speaks.
    pub service: Service,
    /// Operations by name, as the vendor spells them (`CancelBundleTask`).
    #[serde(default)]
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name. Shared shapes are defined once and referenced by name.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
    /// Errors by name; operations list the ones they can return.
    #[serde(default)]
    pub errors: BTreeMap<String, ErrorDef>,
    /// Contradictions and gaps found in the source pages, and facts taken
    /// from elsewhere to fill them (with their source).
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// Service metadata.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Provider module, lower case: `aws`, `alibaba`.
    pub provider: String,
    /// Service module, lower case: `ec2`, `fsx`, `imagebuilder`, `ecs`.
    pub name: String,
    /// Human title: `Amazon Elastic Compute Cloud`.
    pub title: String,
    /// API version string as the service expects it (`2016-11-15`).
    pub api_version: String,
    /// Wire protocol.
    pub protocol: Protocol,
    /// XML namespace of responses (EC2 query protocol).
    #[serde(default)]
    pub xml_namespace: Option<String>,
    /// Prefix of the `X-Amz-Target` header (AWS JSON protocols).
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// Source documents this model was transcribed from (file names in the
    /// seed folder, or public reference titles).
    pub sources: Vec<String>,
    /// Service-level documentation.
    #[serde(default)]
    pub docs: Option<String>,
}

/// The wire protocols the generator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// EC2 query: form-encoded request, XML response.
    Ec2Query,
    /// AWS JSON 1.1: `POST /`, `X-Amz-Target`, JSON bodies.
    AwsJson11,
    /// AWS REST-JSON: method and path per operation, JSON bodies.
    RestJson,
    /// Alibaba Cloud RPC: query parameters, JSON response.
    AlibabaRpc,
}

/// One API operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// What the operation does, from the page.
    pub docs: String,
    /// The source document of this operation.
    pub source: String,
    /// HTTP binding, where the page or protocol documents one.
    #[serde(default)]
    pub http: Option<HttpBinding>,
    /// Structure shape of the request.
    pub input: String,
    /// Structure shape of the response.
    pub output: String,
    /// Names of errors (keys of the model's `errors`) the operation can return.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Whether repeating the call with the same input is safe.
    #[serde(default)]
    pub idempotent: bool,
    /// State-machine facts the page states: which states the task must be in
    /// for the operation to succeed.
    #[serde(default)]
    pub precondition: Option<Precondition>,
    /// Examples from the page, as data.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// HTTP method and path.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpBinding {
    /// `GET`, `POST`, `PUT`, ...
    pub method: String,
    /// Request path, starting with `/`.
    pub path: String,
}

/// "The task must be in one of these states".
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// The enum shape that holds the task's state.
    pub state: String,
    /// Enum values (as sent on the wire) in which the operation is allowed.
    pub states: Vec<String>,
    /// The page's words for the precondition.
    pub docs: String,
}

/// A request/response example from a page.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The page's title for the example.
    pub title: String,
    /// The page's words around the example.
    #[serde(default)]
    pub docs: Option<String>,
    /// The request as data, keyed by member name.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub input: Option<serde_yaml::Value>,
    /// The response as data, keyed by member name.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub output: Option<serde_yaml::Value>,
    /// The error the example shows, by error name.
    #[serde(default)]
    pub error: Option<String>,
    /// The request exactly as the page prints it (body or wire text).
    #[serde(default)]
    pub raw_request: Option<String>,
    /// The response exactly as the page prints it.
    #[serde(default)]
    pub raw_response: Option<String>,
    /// Set when the page's example contradicts the page's own syntax: the
    /// reason. The checker then requires that the data does *not* fit, and
    /// the tests pin what the generated crate does with it.
    #[serde(default)]
    pub contradicts_syntax: Option<String>,
}

/// A shape, tagged by `type`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Shape {
    /// A record with named members.
    Structure(StructureShape),
    /// An ordered list of one member type.
    List(ListShape),
    /// A string with a closed (but growing) set of documented values.
    Enum(EnumShape),
    /// A string, with optional length and pattern constraints.
    String(StringShape),
    /// A 32-bit integer, with an optional range.
    Integer(NumberShape),
    /// A 64-bit integer, with an optional range.
    Long(NumberShape),
    /// A 64-bit float, with an optional range.
    Double(NumberShape),
    /// `true` or `false`.
    Boolean(ScalarShape),
    /// A point in time, with its wire format.
    Timestamp(TimestampShape),
    /// Bytes (base64 on JSON and XML wires).
    Blob(ScalarShape),
}

/// A structure.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StructureShape {
    /// What the structure is.
    #[serde(default)]
    pub docs: Option<String>,
    /// Members in page order.
    pub members: Vec<Member>,
}

/// One member of a structure.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member name as the vendor's API reference spells it.
    pub name: String,
    /// The name on the wire, where it differs from `name`: the JSON key, the
    /// XML element, or the query parameter.
    #[serde(default)]
    pub wire_name: Option<String>,
    /// For query protocols: the parameter name, where it differs from the
    /// wire name (EC2 `BundleIds` is sent as `BundleId.N`).
    #[serde(default)]
    pub query_name: Option<String>,
    /// Shape name, or a built-in: `string`, `integer`, `long`, `double`,
    /// `boolean`, `timestamp`, `blob`.
    pub target: String,
    /// Whether the member must be present.
    #[serde(default)]
    pub required: bool,
    /// Whether the value is a secret that `Debug` must not print.
    #[serde(default)]
    pub sensitive: bool,
    /// Whether the member is an idempotency token.
    #[serde(default)]
    pub idempotency_token: bool,
    /// Documented default, as the page states it.
    #[serde(default)]
    pub default: Option<String>,
    /// The page's example value.
    #[serde(default)]
    pub example: Option<String>,
    /// What the member is.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A list.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListShape {
    /// What the list holds.
    #[serde(default)]
    pub docs: Option<String>,
    /// Shape name (or built-in) of each item.
    pub member: String,
    /// XML element name of each item (EC2: `item`).
    #[serde(default)]
    pub xml_item_name: Option<String>,
    /// Minimum number of items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum number of items.
    #[serde(default)]
    pub max_items: Option<u64>,
}

/// A string enum.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumShape {
    /// What the enum is.
    #[serde(default)]
    pub docs: Option<String>,
    /// Documented values in page order.
    pub values: Vec<EnumValue>,
}

/// One enum value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value exactly as sent on the wire.
    pub value: String,
    /// Rust variant name, when the automatic one is not wanted.
    #[serde(default)]
    pub name: Option<String>,
    /// What the value means.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A string shape with constraints.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StringShape {
    /// What the string is.
    #[serde(default)]
    pub docs: Option<String>,
    /// Minimum length in characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Regular expression every value matches.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Whether the value is a secret.
    #[serde(default)]
    pub sensitive: bool,
}

/// A number shape with an optional range.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberShape {
    /// What the number is.
    #[serde(default)]
    pub docs: Option<String>,
    /// Smallest allowed value.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest allowed value.
    #[serde(default)]
    pub max: Option<f64>,
}

/// A shape without constraints.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScalarShape {
    /// What the value is.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A timestamp shape.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimestampShape {
    /// What the time is.
    #[serde(default)]
    pub docs: Option<String>,
    /// How the value is written on the wire.
    pub format: TimestampFormat,
}

/// Wire formats of timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TimestampFormat {
    /// RFC 3339 / ISO 8601 (`2008-10-07T11:41:50.000Z`); EC2's `xsd:dateTime`.
    DateTime,
    /// Seconds since the Unix epoch, as a number (AWS JSON protocols).
    EpochSeconds,
}

/// A documented error.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The code exactly as sent on the wire (`InvalidStatus.CancelFailed`).
    pub code: String,
    /// HTTP status the service answers with.
    pub http_status: u16,
    /// Whose fault the error is.
    pub fault: Fault,
    /// Whether retrying the same request may succeed.
    #[serde(default)]
    pub retryable: bool,
    /// Whether the error means "slow down".
    #[serde(default)]
    pub throttling: bool,
    /// The documented message, where the page gives one.
    #[serde(default)]
    pub message: Option<String>,
    /// What the error means.
    pub docs: String,
    /// Where this error is documented, when not in the operation's page.
    #[serde(default)]
    pub source: Option<String>,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// The request was wrong.
    Client,
    /// The service failed.
    Server,
}

/// A contradiction or gap in a page, and how the model resolves it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What kind of finding this is.
    pub kind: NoteKind,
    /// The page the finding is about.
    pub page: String,
    /// What was found and what the model does about it.
    pub text: String,
    /// Where a fact filling the gap came from (public reference title).
    #[serde(default)]
    pub source: Option<String>,
}

/// Kinds of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// The page says two incompatible things.
    Contradiction,
    /// The page leaves something out.
    Gap,
}

/// The JSON Schema of the model format, as committed in `models/schema.json`
/// and named by each model's `# yaml-language-server: $schema=` line, so an
/// editor completes and checks keys as the author types.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Model);
    // Serializing a schema (plain JSON data) cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Built-in targets a member or list may name without defining a shape.
pub const BUILTIN_TARGETS: &[&str] = &[
    "string",
    "integer",
    "long",
    "double",
    "boolean",
    "timestamp",
    "blob",
];
