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
use serde::{Deserialize, Serialize};

/// One model file: one service of one provider.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Who offers the service and how it speaks.
    pub service: Service,
    /// Operations by name, as the vendor spells them (`CancelBundleTask`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name. Shared shapes are defined once and referenced by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shapes: BTreeMap<String, Shape>,
    /// Errors by name; operations list the ones they can return.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, ErrorDef>,
    /// Contradictions and gaps found in the source pages, and facts taken
    /// from elsewhere to fill them (with their source).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Service metadata.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<String>,
    /// Prefix of the `X-Amz-Target` header (AWS JSON protocols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_prefix: Option<String>,
    /// Source documents this model was transcribed from (file names in the
    /// seed folder, or public reference titles).
    pub sources: Vec<String>,
    /// What a reader should see for a source this model names by an
    /// internal file name (a seed page such as `004_9ca0959e2106def2.txt`,
    /// in `sources`, an operation's or error's `source`, a note's `page` or
    /// `source`): the page's own title and, where the vendor publishes it,
    /// its public URL. The model keeps citing the file name; the generated
    /// docs cite the title.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source_pages: BTreeMap<String, SourcePage>,
    /// Service-level documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The host prefix of the service's endpoints (`ec2` in
    /// `ec2.us-east-1.amazonaws.com`), where the vendor's model gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_prefix: Option<String>,
    /// The service name that request signatures use (SigV4's service name),
    /// where the vendor's model gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_name: Option<String>,
    /// For a model imported from a vendor's machine-readable model, where it
    /// came from: `cargo xtask import` writes it; a hand model has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<ImportedFrom>,
}

/// A source page as a reader knows it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourcePage {
    /// The page's title, as the page shows it.
    pub title: String,
    /// The vendor's public URL of the page, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The vendor file an imported model was made from.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedFrom {
    /// The package the file ships in (`botocore`), or the vendor's name for
    /// the metadata (`alibaba-api-docs`).
    pub package: String,
    /// The package's version (`1.44.5`), or the metadata's API version.
    pub version: String,
    /// The file inside the package (`botocore/data/ec2/2016-11-15/service-2.json`).
    pub file: String,
    /// The operations the import was trimmed to (`--operations`); empty when
    /// every operation was taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

/// The wire protocols the generator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// EC2 query: form-encoded request, XML response.
    Ec2Query,
    /// AWS query (IAM, SQS, SNS, STS, …): form-encoded request
    /// (`Name.member.N` lists, `Name.entry.N.key` maps), XML response
    /// wrapped in `<Operation>Result`.
    AwsQuery,
    /// AWS JSON 1.1: `POST /`, `X-Amz-Target`, JSON bodies.
    AwsJson11,
    /// AWS REST-JSON: method and path per operation, JSON bodies.
    RestJson,
    /// AWS REST-XML (S3, Route 53, CloudFront): method and path per
    /// operation, XML bodies.
    RestXml,
    /// Alibaba Cloud RPC: query parameters, JSON response.
    AlibabaRpc,
}

/// One API operation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// What the operation does, from the page.
    pub docs: String,
    /// The source document of this operation.
    pub source: String,
    /// HTTP binding, where the page or protocol documents one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    /// Structure shape of the request.
    pub input: String,
    /// Structure shape of the response.
    pub output: String,
    /// Names of errors (keys of the model's `errors`) the operation can return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// Whether repeating the call with the same input is safe.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotent: bool,
    /// State-machine facts the page states: which states the task must be in
    /// for the operation to succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precondition: Option<Precondition>,
    /// Examples from the page, as data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// A prefix the request's host takes (botocore's `endpoint.hostPrefix`,
    /// Smithy's `endpoint` trait): `foo.` sends to `foo.<endpoint host>`;
    /// `{Name}` in it is the value of the request member `Name`, which has
    /// `host_label: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_prefix: Option<String>,
    /// REST-XML: the root element of a request body of the input's members
    /// (botocore's input `locationName`); the input shape's name when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_root: Option<String>,
    /// REST-XML: the namespace of that root element (botocore's input
    /// `xmlNamespace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<XmlNamespace>,
    /// Waiters that poll this operation until a task reaches a state, by
    /// the vendor's name (`BundleTaskComplete`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub waiters: BTreeMap<String, Waiter>,
    /// The encodings the request body is compressed with (botocore's
    /// `requestcompression.encodings`, Smithy's `@requestCompression`): a
    /// body of at least 10240 bytes is compressed and the encoding appended
    /// to `Content-Encoding`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_compression: Vec<Compression>,
}

/// A request compression encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// gzip (RFC 1952).
    Gzip,
}

/// An XML namespace: `xmlns="uri"`, or with a prefix `xmlns:prefix="uri"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// The prefix it is bound to; the default namespace when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// A vendor waiter: how often and how long to poll, and which answers end it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiter {
    /// Seconds between two attempts.
    pub delay: u32,
    /// Most attempts.
    pub max_attempts: u32,
    /// What ends the wait, in the vendor's order.
    pub acceptors: Vec<Acceptor>,
    /// Where the waiter is defined (botocore's `waiters-2.json`).
    pub source: String,
}

/// One rule of a waiter, as botocore writes it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptor {
    /// What the wait becomes when the rule matches.
    pub state: WaiterState,
    /// How the rule matches.
    pub matcher: Matcher,
    /// The JMESPath expression into the response (path matchers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// The value expected (a state, a status, an error code).
    pub expected: String,
}

/// What a waiter's acceptor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WaiterState {
    /// Stop: the task got there.
    Success,
    /// Stop: it never will.
    Failure,
    /// Poll again.
    Retry,
}

/// How an acceptor matches, with botocore's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Matcher {
    /// The value at `argument` equals `expected`.
    Path,
    /// Every value at `argument` equals `expected`.
    PathAll,
    /// Some value at `argument` equals `expected`.
    PathAny,
    /// The HTTP status equals `expected`.
    Status,
    /// The error code equals `expected`.
    Error,
}

/// HTTP method and path.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpBinding {
    /// `GET`, `POST`, `PUT`, ...
    pub method: String,
    /// Request path, starting with `/`.
    pub path: String,
}

/// "The task must be in one of these states".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// The enum shape that holds the task's state.
    pub state: String,
    /// Enum values (as sent on the wire) in which the operation is allowed.
    pub states: Vec<String>,
    /// The page's words for the precondition.
    pub docs: String,
    /// Where the states come from when the operation's page does not say
    /// (a public reference title); a note says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A request/response example from a page.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The page's title for the example.
    pub title: String,
    /// The page's words around the example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The request as data, keyed by member name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub input: Option<serde_yaml::Value>,
    /// The response as data, keyed by member name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub output: Option<serde_yaml::Value>,
    /// The error the example shows, by error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The request exactly as the page prints it (body or wire text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_request: Option<String>,
    /// The response exactly as the page prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_response: Option<String>,
    /// Set when the page's example contradicts the page's own syntax: the
    /// reason. The checker then requires that the data does *not* fit, and
    /// the tests pin what the generated crate does with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradicts_syntax: Option<String>,
}

/// A shape, tagged by `type`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Shape {
    /// A record with named members.
    Structure(StructureShape),
    /// An ordered list of one member type.
    List(ListShape),
    /// A map from string keys to one value type.
    Map(MapShape),
    /// A string with a closed (but growing) set of documented values.
    Enum(EnumShape),
    /// A string, with optional length and pattern constraints.
    String(StringShape),
    /// A 32-bit integer, with an optional range.
    Integer(NumberShape),
    /// A 64-bit integer, with an optional range.
    Long(NumberShape),
    /// A 32-bit float, with an optional range.
    Float(NumberShape),
    /// A 64-bit float, with an optional range.
    Double(NumberShape),
    /// `true` or `false`.
    Boolean(ScalarShape),
    /// A point in time, with its wire format.
    Timestamp(TimestampShape),
    /// Bytes (base64 on JSON and XML wires).
    Blob(ScalarShape),
    /// Any JSON value (JSON protocols only).
    Document(ScalarShape),
}

/// A structure.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StructureShape {
    /// What the structure is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Members in page order.
    pub members: Vec<Member>,
    /// A union (Smithy `union`, botocore `"union": true`): every member is
    /// optional and exactly one is set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub union: bool,
}

/// One member of a structure.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member name as the vendor's API reference spells it.
    pub name: String,
    /// The name on the wire, where it differs from `name`: the JSON key, the
    /// XML element, or the query parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    /// For query protocols: the parameter name, where it differs from the
    /// wire name (EC2 `BundleIds` is sent as `BundleId.N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_name: Option<String>,
    /// Shape name, or a built-in: `string`, `integer`, `long`, `double`,
    /// `boolean`, `timestamp`, `blob`.
    pub target: String,
    /// Whether the member must be present.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether the value is a secret that `Debug` must not print.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Whether the member is an idempotency token.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
    /// Where a REST request carries the member, when not in the body: in
    /// the URI path (`{wire_name}` in the operation's path), the query
    /// string or a header, under its `wire_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The wire format of a timestamp member (or of a timestamp list's
    /// items) where it differs from its target's: botocore's member-level
    /// `timestampFormat`, which wins over the shape's. A member targeting
    /// the built-in `timestamp` without one takes its location's default:
    /// `http-date` in a header, `date-time` in a label or query, the
    /// protocol's in a body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<TimestampFormat>,
    /// For a string member with `location: header`: the value is JSON
    /// text, and the header carries its base64 (botocore's `jsonvalue`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub json_value: bool,
    /// Whether the member's value is a label of the operation's
    /// `host_prefix` (`{Name}`); it is sent in the body too, as usual.
    #[serde(default, skip_serializing_if = "is_false")]
    pub host_label: bool,
    /// For XML: a list member whose items are not wrapped in an element of
    /// the member's name, but each item is itself an element of the
    /// member's wire name, repeated in the structure (Smithy's
    /// `@xmlFlattened`, botocore's `flattened`); or a map member whose
    /// entries are so, each holding its key and value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub xml_flattened: bool,
    /// REST-XML: the member is an attribute of its structure's element
    /// (botocore's `xmlAttribute`), named by its wire name.
    #[serde(default, skip_serializing_if = "is_false")]
    pub xml_attribute: bool,
    /// REST-XML: the element name of the member when it is the request's
    /// structure payload (the body's root element); the wire name when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_root: Option<String>,
    /// REST-XML: the namespace of the member's element when it is the
    /// request's payload (botocore's member or shape `xmlNamespace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<XmlNamespace>,
    /// Whether the vendor marks the member deprecated (its docs say why).
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Documented default, as the page states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The page's example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// What the member is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// Where a REST request or response carries a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// A label of the path: `{wire_name}`, percent-encoded (requests only;
    /// a response member with it is not read).
    Uri,
    /// A query-string parameter named `wire_name`; a map member is one
    /// parameter per entry (requests only).
    Query,
    /// A header named `wire_name`.
    Header,
    /// A map of strings whose entries are headers named `wire_name` (the
    /// prefix) + key: botocore's `headers` location.
    HeaderPrefix,
    /// The HTTP status code of a response (an integer member).
    StatusCode,
    /// The whole body (botocore's `payload` of the structure): a blob or
    /// string (or enum) as it is, a structure as its JSON.
    Payload,
}

/// A list.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListShape {
    /// What the list holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Shape name (or built-in) of each item.
    pub member: String,
    /// XML element name of each item (EC2: `item`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_item_name: Option<String>,
    /// Minimum number of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Maximum number of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// A map with string keys.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MapShape {
    /// What the map holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Shape name of the keys: `string`, or a string or enum shape.
    pub key: String,
    /// Shape name (or built-in) of the values.
    pub value: String,
    /// XML element (and AWS query parameter) of each key, where it is not
    /// `key` (botocore's `key.locationName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_key_name: Option<String>,
    /// XML element (and AWS query parameter) of each value, where it is not
    /// `value` (botocore's `value.locationName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_value_name: Option<String>,
    /// Fewest entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// A string enum.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumShape {
    /// What the enum is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Documented values in page order.
    pub values: Vec<EnumValue>,
    /// Set on the enum that holds a long-running task's state: then every
    /// value names its `phase`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
}

/// What makes an enum a task state: the operation that cancels the task,
/// whose `precondition` lists the states in which it may be cancelled.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The cancel operation (a key of `operations` with a `precondition`
    /// on this enum).
    pub cancel: String,
    /// Where the phases come from when a page does not say (a public
    /// reference title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a task is in its life (`runtime::TaskPhase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Accepted, not started.
    Pending,
    /// Being worked on.
    Running,
    /// Being cancelled.
    Cancelling,
    /// Ended well.
    Succeeded,
    /// Ended in failure.
    Failed,
    /// Ended by a cancel.
    Cancelled,
}

impl Phase {
    /// The `runtime::TaskPhase` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Cancelling => "Cancelling",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Cancelled => "Cancelled",
        }
    }
}

/// One enum value.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value exactly as sent on the wire.
    pub value: String,
    /// Rust variant name, when the automatic one is not wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the value means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The task phase of this state, in an enum with a `lifecycle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
}

/// A string shape with constraints.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StringShape {
    /// What the string is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Minimum length in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Regular expression every value matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Whether the value is a secret.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
}

/// A number shape with an optional range.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberShape {
    /// What the number is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A shape without constraints.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScalarShape {
    /// What the value is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// A timestamp shape.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimestampShape {
    /// What the time is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// How the value is written on the wire.
    pub format: TimestampFormat,
}

/// Wire formats of timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TimestampFormat {
    /// RFC 3339 / ISO 8601 (`2008-10-07T11:41:50.000Z`); EC2's `xsd:dateTime`.
    DateTime,
    /// Seconds since the Unix epoch, as a number (AWS JSON protocols).
    EpochSeconds,
    /// An HTTP date, RFC 7231's IMF-fixdate (`Tue, 29 Apr 2014 18:30:38
    /// GMT`): botocore's `rfc822`, the default of REST headers.
    HttpDate,
}

/// A documented error.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The code exactly as sent on the wire (`InvalidStatus.CancelFailed`).
    pub code: String,
    /// HTTP status the service answers with.
    pub http_status: u16,
    /// Whose fault the error is.
    pub fault: Fault,
    /// Whether retrying the same request may succeed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retryable: bool,
    /// Whether the error means "slow down".
    #[serde(default, skip_serializing_if = "is_false")]
    pub throttling: bool,
    /// The documented message, where the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The structure shape (a key of `shapes`) holding what the error
    /// carries besides its code and message (botocore's exception members
    /// other than `message`), read from the error response; none when it
    /// carries nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// What the error means.
    pub docs: String,
    /// Where this error is documented, when not in the operation's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// The request was wrong.
    Client,
    /// The service failed.
    Server,
}

/// A contradiction or gap in a page, and how the model resolves it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What kind of finding this is.
    pub kind: NoteKind,
    /// The page the finding is about.
    pub page: String,
    /// What was found and what the model does about it.
    pub text: String,
    /// Where a fact filling the gap came from (public reference title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Kinds of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
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
    "float",
    "double",
    "boolean",
    "timestamp",
    "blob",
];

/// Serde's `skip_serializing_if` for flags that default to `false`.
fn is_false(flag: &bool) -> bool {
    !*flag
}
