//! botocore's `service-2.json` → a model.
//!
//! What maps to what (botocore's keys on the left):
//!
//! | botocore | model |
//! |---|---|
//! | `metadata.protocol` `ec2` / `query` / `json` (1.1) / `rest-json` / `rest-xml` | `service.protocol` `ec2-query` / `aws-query` / `aws-json11` / `rest-json` / `rest-xml` |
//! | rest-xml: the input's root `locationName` (the input shape's first, Smithy's `@xmlName`) and `xmlNamespace`; a member's `xmlAttribute`; a structure payload's element name (a renaming member `locationName`, else its shape's, else the shape's name) and `xmlNamespace` | the operation's `xml_root` and `xml_namespace`; the member's `xml_attribute`, `xml_root`, `xml_namespace` |
//! | `metadata.targetPrefix`, `xmlNamespace`, `endpointPrefix`, `signingName` | `service.target_prefix`, `xml_namespace`, `endpoint_prefix`, `signing_name` |
//! | `operations.<Op>.http` | `http` (method and `requestUri` as the path) |
//! | `input`, `output` (a missing output becomes an empty structure; a shape shared by two operations is copied, since each operation owns its request and response) | `input`, `output` |
//! | `errors` and the `exception` shapes they name (`error.code`, `error.httpStatusCode`, `error.senderFault`, `fault`, `retryable.throttling`) | `errors` |
//! | an `exception` shape's members other than `message` (any case) | a structure `<Error>Details` of them, the error's `shape` |
//! | `structure` members, in document order: `locationName` (the wire name), `queryName` (EC2), `location` (`uri`, `querystring`, `header`, `headers`, `statusCode`; the structure's `payload`), `jsonvalue` (headers), `hostLabel`, `timestampFormat` (where it differs from the target's, or the target has none and the location's default is not the protocol's: `rfc822` in headers, `iso8601` in labels and queries), `idempotencyToken`, `deprecated`, `required` | `members` (`location: header-prefix`, `status-code`, `payload`; `json_value`, `host_label`, `timestamp_format`) |
//! | `operations.<Op>.endpoint.hostPrefix` | `host_prefix` |
//! | `operations.<Op>.requestcompression.encodings` (`gzip` only; another encoding is reported and skipped) | `request_compression` |
//! | `string` with `enum` | `enum` |
//! | `string` (`min`, `max`, `pattern`, `sensitive`), `integer`, `long`, `float`, `double` (`min`, `max`), `boolean`, `blob`, `timestamp` (`timestampFormat`: `iso8601`, `unixTimestamp`, `rfc822`; else the protocol's) | the shape of the same name |
//! | `list` (`member.locationName` as the XML item, else `member`), `map` (`key`, `value`; their `locationName` as the XML names, EC2 and AWS query) | `list`, `map` (`xml_key_name`, `xml_value_name`) |
//! | `flattened` on a member or on its list or map shape (EC2, AWS query) | the member's `xml_flattened` |
//! | `output.resultWrapper` (AWS query) | nothing: the protocol reads `<Op>Result`, what every botocore model names; another name is an error |
//! | `documentation` (HTML) | `docs` (Markdown, see [`crate::html`]) |
//! | `structure` with `union: true` | `structure` with `union: true` (members optional) |
//! | a member's `jsonvalue` in a body (a string whose text is JSON) | a string member |
//! | `structure` with `document: true` (JSON protocols) | `document` |
//!
//! Skipped on purpose, each one reported and listed in a note: documents
//! under EC2 and AWS query, event streams, streaming blobs, maps in EC2
//! requests, and patterns that the `regex` crate's syntax does not take.
//! A member whose target is left out is left out too, and reported.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Deserialize;

use codegen::model::{
    Compression, EnumShape, EnumValue, ErrorDef, Fault, HttpBinding, ImportedFrom, ListShape, Location, MapShape, Member, Model, Note,
    NumberShape, Operation, Protocol, ScalarShape, Service, Shape, StringShape, StructureShape,
    TimestampFormat, TimestampShape,
};

use crate::html::to_markdown;
use crate::ordered::Ordered;
use crate::{ImportError, Imported, upper_first};

/// Where the file came from: botocore's version and the file's path in the package.
#[derive(Debug, Clone)]
pub struct Source {
    /// botocore's version (`1.44.5`).
    pub version: String,
    /// The file in the package (`botocore/data/ec2/2016-11-15/service-2.json`).
    pub file: String,
}

#[derive(Deserialize)]
struct File {
    metadata: Metadata,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(default)]
    operations: BTreeMap<String, RawOperation>,
    #[serde(default)]
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    api_version: String,
    protocol: String,
    #[serde(default)]
    json_version: Option<String>,
    service_full_name: String,
    #[serde(default)]
    service_id: Option<String>,
    #[serde(default)]
    endpoint_prefix: Option<String>,
    #[serde(default)]
    signing_name: Option<String>,
    #[serde(default)]
    target_prefix: Option<String>,
    #[serde(default)]
    xml_namespace: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOperation {
    http: RawHttp,
    #[serde(default)]
    input: Option<ShapeRef>,
    #[serde(default)]
    output: Option<ShapeRef>,
    #[serde(default)]
    errors: Vec<ShapeRef>,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(default)]
    idempotent: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    deprecated_message: Option<String>,
    #[serde(default)]
    endpoint: Option<RawEndpoint>,
    #[serde(default)]
    requestcompression: Option<RawRequestCompression>,
}

#[derive(Deserialize)]
struct RawRequestCompression {
    #[serde(default)]
    encodings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEndpoint {
    #[serde(default)]
    host_prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHttp {
    method: String,
    request_uri: String,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ShapeRef {
    shape: String,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    location_name: Option<String>,
    #[serde(default)]
    query_name: Option<String>,
    #[serde(default)]
    idempotency_token: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    deprecated_message: Option<String>,
    #[serde(default)]
    flattened: bool,
    #[serde(default)]
    xml_attribute: bool,
    #[serde(default)]
    xml_namespace: Option<RawXmlNamespace>,
    #[serde(default)]
    timestamp_format: Option<String>,
    #[serde(default)]
    streaming: bool,
    #[serde(default)]
    jsonvalue: bool,
    #[serde(default)]
    event_payload: bool,
    #[serde(default)]
    host_label: bool,
    #[serde(default)]
    result_wrapper: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: Ordered<ShapeRef>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    member: Option<ShapeRef>,
    #[serde(default)]
    key: Option<ShapeRef>,
    #[serde(default)]
    value: Option<ShapeRef>,
    #[serde(default, rename = "enum")]
    values: Option<Vec<String>>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(default)]
    fault: bool,
    #[serde(default)]
    error: Option<RawErrorTrait>,
    #[serde(default)]
    retryable: Option<RawRetryable>,
    #[serde(default)]
    union: bool,
    #[serde(default)]
    document: bool,
    #[serde(default)]
    eventstream: bool,
    #[serde(default)]
    streaming: bool,
    #[serde(default)]
    flattened: bool,
    #[serde(default)]
    xml_namespace: Option<RawXmlNamespace>,
    #[serde(default)]
    location_name: Option<String>,
    #[serde(default)]
    timestamp_format: Option<String>,
    #[serde(default)]
    payload: Option<String>,
}

/// botocore's `xmlNamespace`: a URI, or `{"prefix": ..., "uri": ...}`.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawXmlNamespace {
    Uri(String),
    Full {
        #[serde(default)]
        prefix: Option<String>,
        uri: String,
    },
}

impl RawXmlNamespace {
    fn to_model(&self) -> codegen::model::XmlNamespace {
        match self {
            RawXmlNamespace::Uri(uri) => codegen::model::XmlNamespace { uri: uri.clone(), prefix: None },
            RawXmlNamespace::Full { prefix, uri } => codegen::model::XmlNamespace { uri: uri.clone(), prefix: prefix.clone().filter(|p| !p.is_empty()) },
        }
    }
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct RawErrorTrait {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    http_status_code: Option<u16>,
    #[serde(default)]
    sender_fault: Option<bool>,
}

#[derive(Deserialize, Clone)]
struct RawRetryable {
    #[serde(default)]
    throttling: bool,
}

/// Imports a botocore `service-2.json` (its bytes). `operations`, when not
/// empty, trims the model to those operations and the shapes they reach.
pub fn import(json: &[u8], source: &Source, operations: &[String]) -> Result<Imported, ImportError> {
    let file: File = serde_json::from_slice(json).map_err(|e| {
        ImportError::new(
            format!("line {} column {}", e.line(), e.column()),
            format!("not a botocore service model: {e}"),
        )
    })?;
    Importer::new(&file, source)?.run(operations)
}

struct Importer<'f> {
    file: &'f File,
    protocol: Protocol,
    label: String,
    skipped: Vec<String>,
    /// The shapes the chosen operations' inputs reach (EC2 requests carry
    /// no maps).
    in_requests: BTreeSet<String>,
    /// Notes, by what they are about: one note per kind of finding.
    findings: BTreeMap<&'static str, Vec<String>>,
}

impl<'f> Importer<'f> {
    fn new(file: &'f File, source: &Source) -> Result<Self, ImportError> {
        let m = &file.metadata;
        let protocol = match (m.protocol.as_str(), m.json_version.as_deref()) {
            ("ec2", _) => Protocol::Ec2Query,
            ("query", _) => Protocol::AwsQuery,
            ("json", Some("1.1")) => Protocol::AwsJson11,
            ("rest-json", _) => Protocol::RestJson,
            ("rest-xml", _) => Protocol::RestXml,
            (other, version) => {
                let shown = match version {
                    Some(v) => format!("{other} {v}"),
                    None => other.to_string(),
                };
                return Err(ImportError::new(
                    "metadata.protocol",
                    format!("the protocol `{shown}` is not one the generator speaks (ec2, query, json 1.1, rest-json, rest-xml)"),
                ));
            }
        };
        Ok(Importer {
            file,
            protocol,
            label: format!("botocore {}: {}", source.version, source.file),
            skipped: Vec::new(),
            in_requests: BTreeSet::new(),
            findings: BTreeMap::new(),
        })
    }

    fn skip(&mut self, what: &'static str, item: String) {
        self.skipped.push(format!("{item}: {what}"));
        self.findings.entry(what).or_default().push(item);
    }

    fn run(mut self, wanted: &[String]) -> Result<Imported, ImportError> {
        let file = self.file;
        let m = &file.metadata;
        let name = service_name(m);
        if name.is_empty() {
            return Err(ImportError::new("metadata.serviceId", "the service has no name to make a module from"));
        }
        // The operations to take.
        let mut ops: Vec<&String> = Vec::new();
        if wanted.is_empty() {
            ops.extend(file.operations.keys());
        } else {
            for w in wanted {
                match file.operations.get_key_value(w) {
                    Some((k, _)) => ops.push(k),
                    None => {
                        let close: Vec<&String> =
                            file.operations.keys().filter(|k| k.eq_ignore_ascii_case(w)).take(1).collect();
                        let help = match close.first() {
                            Some(k) => format!("; did you mean `{k}`?"),
                            None => String::new(),
                        };
                        return Err(ImportError::new(
                            format!("operations.{w}"),
                            format!("the model has no operation `{w}`{help}"),
                        ));
                    }
                }
            }
            ops.sort();
            ops.dedup();
        }

        // Every shape the operations reach, breadth first.
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<&str> = VecDeque::new();
        for op in &ops {
            let o = &file.operations[*op];
            for r in o.input.iter().chain(&o.output).chain(&o.errors) {
                queue.push_back(&r.shape);
            }
        }
        while let Some(s) = queue.pop_front() {
            if !reached.insert(s) {
                continue;
            }
            let Some(shape) = file.shapes.get(s) else {
                return Err(ImportError::new(format!("shapes.{s}"), format!("the shape `{s}` is referenced but not defined")));
            };
            for (_, r) in &shape.members.0 {
                queue.push_back(&r.shape);
            }
            for r in shape.member.iter().chain(&shape.key).chain(&shape.value) {
                queue.push_back(&r.shape);
            }
        }

        // What the requests reach.
        let mut queue: Vec<&str> = ops.iter().filter_map(|op| file.operations[*op].input.as_ref()).map(|r| r.shape.as_str()).collect();
        while let Some(s) = queue.pop() {
            if !self.in_requests.insert(s.to_string()) {
                continue;
            }
            if let Some(shape) = file.shapes.get(s) {
                queue.extend(shape.members.0.iter().map(|(_, r)| r.shape.as_str()));
                queue.extend(shape.member.iter().chain(&shape.value).map(|r| r.shape.as_str()));
            }
        }

        let mut model = Model {
            service: Service {
                provider: "aws".into(),
                name: name.clone(),
                title: m.service_full_name.clone(),
                api_version: m.api_version.clone(),
                protocol: self.protocol,
                xml_namespace: m.xml_namespace.clone(),
                target_prefix: m.target_prefix.clone(),
                sources: vec![self.label.clone()],
                source_pages: Default::default(),
                docs: file.documentation.as_deref().map(to_markdown).filter(|d| !d.is_empty()),
                endpoint_prefix: m.endpoint_prefix.clone(),
                signing_name: m.signing_name.clone(),
                imported_from: Some(ImportedFrom {
                    package: "botocore".into(),
                    version: self.label_version(),
                    file: self.label_file(),
                    operations: if wanted.is_empty() { Vec::new() } else { ops.iter().map(|s| s.to_string()).collect() },
                }),
            },
            operations: BTreeMap::new(),
            shapes: BTreeMap::new(),
            errors: BTreeMap::new(),
            notes: Vec::new(),
        };

        // Errors: the exception shapes operations name.
        let mut error_names: BTreeSet<&str> = BTreeSet::new();
        for op in &ops {
            for e in &file.operations[*op].errors {
                error_names.insert(&e.shape);
            }
        }
        for e in &error_names {
            let shape = &file.shapes[*e];
            let def = self.error(e, shape);
            model.errors.insert(e.to_string(), def);
        }

        // Shapes: everything reached that is not only an error.
        let member_targets: BTreeSet<&str> = reached
            .iter()
            .filter_map(|s| file.shapes.get(*s))
            .flat_map(|s| {
                s.members.0.iter().map(|(_, r)| r.shape.as_str()).chain(
                    s.member.iter().chain(&s.key).chain(&s.value).map(|r| r.shape.as_str()),
                )
            })
            .collect();
        let roles: BTreeSet<&str> = ops
            .iter()
            .flat_map(|op| {
                let o = &file.operations[*op];
                o.input.iter().chain(&o.output).map(|r| r.shape.as_str())
            })
            .collect();
        for s in &reached {
            if error_names.contains(s) && !member_targets.contains(s) && !roles.contains(s) {
                continue;
            }
            let raw = &file.shapes[*s];
            if let Some(shape) = self.shape(s, raw) {
                model.shapes.insert(s.to_string(), shape);
            }
        }

        // Errors' own members: an exception with members besides its
        // message gets a structure of them, `<Error>Details`.
        for e in &error_names {
            if let Some(shape) = self.error_details(e, &file.shapes[*e]) {
                let name = free_name(&model, &format!("{e}Details"));
                model.shapes.insert(name.clone(), shape);
                if let Some(def) = model.errors.get_mut(*e) {
                    def.shape = Some(name);
                }
            }
        }

        // Operations, each owning its request and response.
        let mut claimed: BTreeSet<String> = BTreeSet::new();
        let mut no_output = Vec::new();
        let mut copied = Vec::new();
        for op in &ops {
            let o = &file.operations[*op];
            let mut request_compression = Vec::new();
            for encoding in o.requestcompression.iter().flat_map(|c| &c.encodings) {
                match encoding.as_str() {
                    "gzip" if !request_compression.contains(&Compression::Gzip) => request_compression.push(Compression::Gzip),
                    "gzip" => {}
                    other => self.skip(
                        "the request compression encoding is not one the runtime has (gzip); the operation does not compress with it",
                        format!("operations.{op}.requestcompression.encodings: `{other}`"),
                    ),
                }
            }
            if let (Protocol::AwsQuery, Some(wrapper)) = (self.protocol, o.output.as_ref().and_then(|r| r.result_wrapper.as_deref())) {
                if wrapper != format!("{op}Result") {
                    return Err(ImportError::new(
                        format!("operations.{op}.output.resultWrapper"),
                        format!("the result element is `{wrapper}`, but the AWS query protocol reads `{op}Result` (every botocore model's name)"),
                    ));
                }
            }
            let input = self.role_shape(&mut model, &mut claimed, op, o.input.as_ref(), "Request", &mut copied, &mut no_output);
            let output = self.role_shape(&mut model, &mut claimed, op, o.output.as_ref(), "Result", &mut copied, &mut no_output);
            let mut docs = o.documentation.as_deref().map(to_markdown).unwrap_or_default();
            if o.deprecated {
                let why = o.deprecated_message.as_deref().unwrap_or("The vendor model marks this operation deprecated.");
                docs = format!("Deprecated: {why}\n\n{docs}").trim_end().to_string();
            }
            let mut errors: Vec<String> = o.errors.iter().map(|e| e.shape.clone()).collect();
            errors.dedup();
            model.operations.insert(
                op.to_string(),
                Operation {
                    docs,
                    source: self.label.clone(),
                    http: Some(HttpBinding { method: o.http.method.clone(), path: o.http.request_uri.clone() }),
                    input,
                    output,
                    errors,
                    idempotent: o.idempotent,
                    precondition: None,
                    examples: Vec::new(),
                    waiters: Default::default(),
                    request_compression,
                    host_prefix: o.endpoint.as_ref().and_then(|e| e.host_prefix.clone()),
                    xml_root: o.input.as_ref().filter(|_| self.protocol == Protocol::RestXml).map(|r| {
                        // The root: the input shape's `locationName` (Smithy's
                        // `@xmlName`), else the input's, else the shape's name.
                        file.shapes.get(&r.shape).and_then(|s| s.location_name.clone()).or_else(|| r.location_name.clone()).unwrap_or_else(|| r.shape.clone())
                    }),
                    xml_namespace: o.input.as_ref().filter(|_| self.protocol == Protocol::RestXml).and_then(|r| r.xml_namespace.as_ref()).map(RawXmlNamespace::to_model),
                },
            );
        }
        if !no_output.is_empty() {
            self.findings.entry("the operation has no output shape; the model gives it an empty structure").or_default().extend(no_output);
        }
        if !copied.is_empty() {
            self.findings
                .entry("the shape is the input or output of more than one operation; each operation gets its own copy")
                .or_default()
                .extend(copied);
        }
        model.notes = self.notes();
        Ok(Imported { model, path: format!("aws/{name}.yaml"), skipped: self.skipped })
    }

    fn label_version(&self) -> String {
        self.label.trim_start_matches("botocore ").split(':').next().unwrap_or_default().to_string()
    }

    fn label_file(&self) -> String {
        self.label.split_once(": ").map(|(_, f)| f.to_string()).unwrap_or_default()
    }

    /// The operation's request or response shape: the vendor's, or a copy of
    /// it when another operation already has it, or an empty structure when
    /// there is none.
    #[allow(clippy::too_many_arguments)]
    fn role_shape(
        &mut self,
        model: &mut Model,
        claimed: &mut BTreeSet<String>,
        op: &str,
        r: Option<&ShapeRef>,
        suffix: &str,
        copied: &mut Vec<String>,
        no_output: &mut Vec<String>,
    ) -> String {
        match r {
            Some(r) if claimed.insert(r.shape.clone()) => r.shape.clone(),
            Some(r) => {
                let name = free_name(model, &format!("{op}{suffix}"));
                let copy = model.shapes.get(&r.shape).cloned().unwrap_or(Shape::Structure(StructureShape { docs: None, members: Vec::new(), union: false }));
                model.shapes.insert(name.clone(), copy);
                claimed.insert(name.clone());
                copied.push(format!("{} (for {op}, as {name})", r.shape));
                name
            }
            None => {
                let name = free_name(model, &format!("{op}{suffix}"));
                model.shapes.insert(name.clone(), Shape::Structure(StructureShape { docs: None, members: Vec::new(), union: false }));
                claimed.insert(name.clone());
                if suffix == "Request" {
                    no_output.push(format!("{op} (input)"));
                } else {
                    no_output.push(op.to_string());
                }
                name
            }
        }
    }

    fn error(&mut self, name: &str, shape: &RawShape) -> ErrorDef {
        let trait_ = shape.error.clone();
        let code = trait_.as_ref().and_then(|t| t.code.clone()).unwrap_or_else(|| name.to_string());
        let status = trait_.as_ref().and_then(|t| t.http_status_code);
        // botocore's `fault` / `senderFault`, else the status: a 5xx is the
        // service's fault (Image Builder's ServiceException has only its 500).
        let server = match (shape.fault, trait_.as_ref().and_then(|t| t.sender_fault)) {
            (true, _) => true,
            (false, Some(sender)) => !sender,
            (false, None) => status.is_some_and(|s| s >= 500),
        };
        let http_status = status.unwrap_or(if server { 500 } else { 400 });
        if status.is_none() {
            self.findings
                .entry("botocore gives no HTTP status for the error; the model uses 400 for client errors and 500 for server faults, the statuses the AWS JSON protocols answer them with")
                .or_default()
                .push(name.to_string());
        }
        ErrorDef {
            code,
            http_status,
            fault: if server { Fault::Server } else { Fault::Client },
            retryable: shape.retryable.is_some(),
            throttling: shape.retryable.as_ref().is_some_and(|r| r.throttling),
            message: None,
            shape: None,
            docs: shape.documentation.as_deref().map(to_markdown).unwrap_or_default(),
            source: None,
        }
    }

    /// The structure of what exception `name` carries besides its code and
    /// message: its members but `message` (any case), which is the error
    /// metadata's. `None` when there are no others. A member bound to the
    /// path or the query string, where no error response carries anything,
    /// is left out.
    fn error_details(&mut self, name: &str, raw: &RawShape) -> Option<Shape> {
        let mut members = Vec::new();
        for (member, r) in &raw.members.0 {
            if member.eq_ignore_ascii_case("message") {
                continue;
            }
            if matches!(r.location.as_deref(), Some("uri" | "querystring")) {
                self.skip("an error response has no path or query string to carry the member", format!("member {name}.{member}"));
                continue;
            }
            members.extend(self.member(name, raw, member, r));
        }
        (!members.is_empty()).then_some(Shape::Structure(StructureShape { docs: None, members, union: false }))
    }

    fn timestamp_format(&self, explicit: Option<&str>) -> Option<TimestampFormat> {
        match explicit {
            Some("iso8601") => Some(TimestampFormat::DateTime),
            Some("unixTimestamp") => Some(TimestampFormat::EpochSeconds),
            Some("rfc822") => Some(TimestampFormat::HttpDate),
            Some(_) => None,
            None => Some(match self.protocol {
                Protocol::Ec2Query | Protocol::AwsQuery | Protocol::RestXml => TimestampFormat::DateTime,
                _ => TimestampFormat::EpochSeconds,
            }),
        }
    }

    /// What keeps a shape out of the model, if anything.
    fn unsupported(&self, raw: &RawShape) -> Option<&'static str> {
        if raw.document && self.protocol == Protocol::Ec2Query {
            Some("documents are JSON values, which the EC2 protocol cannot carry")
        } else if raw.eventstream {
            Some("event streams are not in the model format yet")
        } else if raw.streaming {
            Some("streaming bodies are not in the model format yet")
        } else if raw.kind == "timestamp" && self.timestamp_format(raw.timestamp_format.as_deref()).is_none() {
            Some("timestamps in this format are not in the model format (it has `iso8601`, `unixTimestamp` and `rfc822`)")
        } else {
            None
        }
    }

    /// Why the shape `name` is left out of the model, if it is: its own
    /// kind, or (a list or a map) what it holds, however deep. A member
    /// whose target is left out is left out too, so that the model never
    /// names a shape it lacks. Structures are never left out (their members
    /// are), which bounds the walk.
    fn left_out(&self, name: &str, depth: usize) -> Option<&'static str> {
        let raw = self.file.shapes.get(name)?;
        if let Some(why) = self.unsupported(raw) {
            return Some(why);
        }
        if depth > MAX_COLLECTION_NESTING {
            return Some("lists and maps nested this deeply are not in the model format");
        }
        match raw.kind.as_str() {
            "list" => match &raw.member {
                Some(item) => self.left_out(&item.shape, depth + 1),
                None => Some("a list without `member` is not a list"),
            },
            "map" => match (&raw.key, &raw.value) {
                (Some(_), Some(_)) if self.protocol == Protocol::Ec2Query && self.in_requests.contains(name) => {
                    Some("EC2 requests carry no maps (the protocol has no form for them)")
                }
                (Some(_), Some(value)) => self.left_out(&value.shape, depth + 1),
                _ => Some("a map without `key` and `value` is not a map"),
            },
            _ => None,
        }
    }

    fn shape(&mut self, name: &str, raw: &RawShape) -> Option<Shape> {
        if let Some(why) = self.left_out(name, 0) {
            self.skip(why, format!("shape {name}"));
            return None;
        }
        let docs = raw.documentation.as_deref().map(to_markdown).filter(|d| !d.is_empty());
        let count = |v: Option<f64>| v.filter(|v| *v >= 0.0 && v.is_finite()).map(|v| v as u64);
        Some(match raw.kind.as_str() {
            "structure" if raw.document => Shape::Document(ScalarShape { docs }),
            "structure" => {
                let mut members = Vec::new();
                for (member, r) in &raw.members.0 {
                    if let Some(m) = self.member(name, raw, member, r) {
                        members.push(m);
                    }
                }
                Shape::Structure(StructureShape { docs, members, union: raw.union })
            }
            "list" => {
                let item = raw.member.as_ref()?;
                let xml_item_name = match self.protocol {
                    Protocol::Ec2Query => Some(item.location_name.clone().unwrap_or_else(|| "member".into())),
                    // `member` is the protocol's default item name.
                    Protocol::AwsQuery | Protocol::RestXml => item.location_name.clone(),
                    _ => None,
                };
                Shape::List(ListShape {
                    docs,
                    member: item.shape.clone(),
                    xml_item_name,
                    min_items: count(raw.min),
                    max_items: count(raw.max),
                })
            }
            "map" => {
                let (Some(key), Some(value)) = (&raw.key, &raw.value) else { return None };
                // XML's (and AWS query's) names of the key and value
                // elements; JSON has none.
                let xml_name = |r: &ShapeRef| if self.xml() { r.location_name.clone() } else { None };
                Shape::Map(MapShape {
                    docs,
                    key: key.shape.clone(),
                    value: value.shape.clone(),
                    xml_key_name: xml_name(key).filter(|n| n != "key"),
                    xml_value_name: xml_name(value).filter(|n| n != "value"),
                    min_items: count(raw.min),
                    max_items: count(raw.max),
                })
            }
            "string" => match &raw.values {
                Some(values) if !values.is_empty() => {
                    if raw.min.is_some() || raw.max.is_some() || raw.pattern.is_some() {
                        self.findings
                            .entry("an enum shape also has length or pattern constraints, which the model format keeps only for strings; the values list is kept")
                            .or_default()
                            .push(name.to_string());
                    }
                    let mut seen = BTreeSet::new();
                    let values = values
                        .iter()
                        .filter(|v| seen.insert(v.as_str()))
                        .map(|v| EnumValue { value: v.clone(), name: None, docs: None, phase: None })
                        .collect();
                    Shape::Enum(EnumShape { docs, values, lifecycle: None })
                }
                _ => {
                    let pattern = raw.pattern.clone().filter(|p| {
                        let ok = regex_syntax::Parser::new().parse(p).is_ok();
                        if !ok {
                            self.findings
                                .entry("the pattern is not in the syntax of the `regex` crate (look-around or back-references); it is left out of the model, and the shape's docs keep it")
                                .or_default()
                                .push(format!("{name}: {p}"));
                        }
                        ok
                    });
                    let docs = match (&pattern, &raw.pattern) {
                        (None, Some(p)) => Some(format!("{}Pattern (not checked): `{p}`", docs.map(|d| d + "\n\n").unwrap_or_default())),
                        _ => docs,
                    };
                    Shape::String(StringShape {
                        docs,
                        min_length: count(raw.min),
                        max_length: count(raw.max),
                        pattern,
                        sensitive: raw.sensitive,
                    })
                }
            },
            "integer" | "long" | "float" | "double" => {
                let n = NumberShape { docs, min: raw.min, max: raw.max };
                match raw.kind.as_str() {
                    "integer" => Shape::Integer(n),
                    "long" => Shape::Long(n),
                    "float" => Shape::Float(n),
                    _ => Shape::Double(n),
                }
            }
            "boolean" => Shape::Boolean(ScalarShape { docs }),
            "blob" => Shape::Blob(ScalarShape { docs }),
            "timestamp" => Shape::Timestamp(TimestampShape {
                docs,
                format: self.timestamp_format(raw.timestamp_format.as_deref()).unwrap_or(TimestampFormat::DateTime),
            }),
            other => {
                self.skip("shapes of this type are not in the model format", format!("shape {name} (type `{other}`)"));
                return None;
            }
        })
    }

    fn member(&mut self, shape: &str, raw: &RawShape, name: &str, r: &ShapeRef) -> Option<Member> {
        let item = format!("{shape}.{name}");
        let Some(target) = self.file.shapes.get(&r.shape) else {
            self.skip("its shape is not defined in the vendor model", format!("member {item}"));
            return None;
        };
        if let Some(why) = self.left_out(&r.shape, 0) {
            self.skip(why, format!("member {item}"));
            return None;
        }
        if r.streaming || r.event_payload {
            self.skip("streaming and event-stream payloads are not in the model format yet", format!("member {item}"));
            return None;
        }
        let payload = raw.payload.as_deref() == Some(name);
        let location = match r.location.as_deref() {
            None if payload => Some(Location::Payload),
            None => None,
            Some("uri") => Some(Location::Uri),
            Some("querystring") => Some(Location::Query),
            Some("header") => Some(Location::Header),
            Some("headers") => Some(Location::HeaderPrefix),
            Some("statusCode") => Some(Location::StatusCode),
            Some(other) => {
                self.skip("this member location is not in the model format", format!("member {item} (location `{other}`)"));
                return None;
            }
        };
        // Flattening is XML's (on the member, as Smithy's `@xmlFlattened`
        // becomes, or on the list shape, as older botocore models have it);
        // JSON protocols have nothing to flatten. The items are elements of
        // the member's wire name, as Smithy's ec2Query tests say (botocore
        // would use the list's `member.locationName` and skips those tests).
        let flattened = self.xml() && (r.flattened || target.flattened);
        let Ok(timestamp_format) = self.member_timestamp_format(r, target, location) else {
            self.skip("a member-level timestamp format not in the model format (it has `iso8601`, `unixTimestamp` and `rfc822`)", format!("member {item}"));
            return None;
        };
        let xml_flattened = flattened && (target.kind == "list" || target.kind == "map");
        let wire = r.location_name.clone().unwrap_or_else(|| name.to_string());
        // A REST-XML structure payload is the body's root element, named as
        // the suites name it (Smithy's `@xmlName` rule): a member
        // `locationName` that renames the member, else the shape's
        // `locationName`, else the shape's name.
        let xml_root = (self.protocol == Protocol::RestXml && payload && target.kind == "structure").then(|| {
            r.location_name.clone().filter(|l| l != name).or_else(|| target.location_name.clone()).unwrap_or_else(|| r.shape.clone())
        });
        let query = match self.protocol {
            // `queryName`, else `locationName` or the member's name with its
            // first letter upper-cased: Smithy's ec2Query rule, which the
            // protocol tests follow. botocore's EC2 serializer upper-cases
            // only a `locationName` (and skips the three tests that show
            // the difference); every member of botocore's EC2 model that
            // starts in lower case has a `locationName`, so the two agree
            // there.
            Protocol::Ec2Query => r.query_name.clone().unwrap_or_else(|| upper_first(r.location_name.as_deref().unwrap_or(name))),
            _ => wire.clone(),
        };
        let mut docs = r.documentation.as_deref().map(to_markdown).filter(|d| !d.is_empty());
        if r.deprecated {
            let why = r.deprecated_message.as_deref().unwrap_or("The vendor model marks this member deprecated.");
            docs = Some(format!("Deprecated: {why}{}", docs.map(|d| format!("\n\n{d}")).unwrap_or_default()));
        }
        // String shapes carry their own `sensitive`; other shapes mark the member.
        let sensitive = target.sensitive && target.kind != "string";
        Some(Member {
            name: name.to_string(),
            wire_name: (wire != name).then(|| wire.clone()),
            query_name: (query != wire).then_some(query),
            target: r.shape.clone(),
            // A union's members are never required: exactly one is set.
            required: !raw.union && raw.required.iter().any(|q| q == name),
            sensitive,
            idempotency_token: r.idempotency_token,
            location,
            timestamp_format,
            // In a body a `jsonvalue` string is a string whose text is JSON
            // (botocore writes it as it is); in a header it is `json_value`
            // (botocore sends the base64 of its text).
            json_value: r.jsonvalue && r.location.as_deref() == Some("header"),
            host_label: r.host_label,
            xml_flattened,
            xml_attribute: self.protocol == Protocol::RestXml && r.xml_attribute,
            xml_root,
            xml_namespace: if self.protocol == Protocol::RestXml && payload { r.xml_namespace.as_ref().or(target.xml_namespace.as_ref()).map(RawXmlNamespace::to_model) } else { None },
            deprecated: r.deprecated,
            default: None,
            example: None,
            docs,
        })
    }

    /// The member's own timestamp format, where it differs from what its
    /// target's shape gives: botocore's member-level `timestampFormat`
    /// (which wins over the shape's), else, for a target without a format
    /// of its own, its location's default (botocore's serializer and
    /// parser: `rfc822` in headers, `iso8601` in labels and query
    /// strings). For a list, the same of its items. `Err` for a format the
    /// model does not have.
    fn member_timestamp_format(&self, r: &ShapeRef, target: &RawShape, location: Option<Location>) -> Result<Option<TimestampFormat>, ()> {
        // The timestamp shape (the member's target, or a list's item) and
        // its reference's own format.
        let (shape, explicit) = match target.kind.as_str() {
            "timestamp" => (target, r.timestamp_format.as_deref()),
            "list" => match target.member.as_ref().and_then(|m| Some((self.file.shapes.get(&m.shape)?, m))) {
                Some((item, m)) if item.kind == "timestamp" => (item, m.timestamp_format.as_deref()),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let default = match location {
            Some(Location::Header) => Some(TimestampFormat::HttpDate),
            Some(Location::Uri | Location::Query) => Some(TimestampFormat::DateTime),
            _ => None,
        };
        let wanted = match explicit.or(shape.timestamp_format.as_deref()) {
            Some(format) => self.timestamp_format(Some(format)).ok_or(())?,
            None => match default {
                Some(d) => d,
                None => return Ok(None),
            },
        };
        let given = self.timestamp_format(shape.timestamp_format.as_deref()).unwrap_or(TimestampFormat::DateTime);
        Ok((wanted != given).then_some(wanted))
    }

    /// Whether the protocol's responses are XML (where `flattened` and
    /// renamed map keys mean something).
    fn xml(&self) -> bool {
        matches!(self.protocol, Protocol::Ec2Query | Protocol::AwsQuery | Protocol::RestXml)
    }

    fn notes(&self) -> Vec<Note> {
        crate::findings_notes(&self.label, &self.findings)
    }
}

/// The module name: botocore's `serviceId` in lower case without spaces
/// (`EC2` → `ec2`, `FSx` → `fsx`), else the endpoint prefix.
fn service_name(m: &Metadata) -> String {
    let raw = m.service_id.as_deref().or(m.endpoint_prefix.as_deref()).unwrap_or_default();
    raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}


/// How deep lists and maps may nest inside one another before the importer
/// gives up on them: a bound on its walk, far deeper than vendor models nest
/// (the generator's own limit, E0017, is checked on the model).
const MAX_COLLECTION_NESTING: usize = 16;

/// `wanted`, or `wanted` with a number after it, whichever no shape has.
fn free_name(model: &Model, wanted: &str) -> String {
    if !model.shapes.contains_key(wanted) {
        return wanted.to_string();
    }
    (2..).map(|n| format!("{wanted}{n}")).find(|n| !model.shapes.contains_key(n)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JSON 1.1 service with one operation whose input has `members`
    /// (botocore's JSON text) and the extra `shapes`.
    fn service(members: &str, shapes: &str) -> Imported {
        let json = format!(
            r#"{{"metadata":{{"protocol":"json","jsonVersion":"1.1","targetPrefix":"T","serviceId":"Svc","serviceFullName":"Svc","apiVersion":"2020-01-01"}},
               "operations":{{"Op":{{"name":"Op","http":{{"method":"POST","requestUri":"/"}},"input":{{"shape":"In"}}}}}},
               "shapes":{{"In":{{"type":"structure","members":{{{members}}}}}{shapes}}}}}"#
        );
        let source = Source { version: "1.44.5".into(), file: "botocore/data/svc/service-2.json".into() };
        import(json.as_bytes(), &source, &[]).expect("imports")
    }

    fn structure<'m>(imported: &'m Imported, name: &str) -> &'m StructureShape {
        match imported.model.shapes.get(name) {
            Some(Shape::Structure(s)) => s,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn unions_are_structures_flagged_union_with_optional_members() {
        let imported = service(
            r#""U":{"shape":"MyUnion"}"#,
            r#","MyUnion":{"type":"structure","union":true,"required":["a"],"members":{"a":{"shape":"S"},"b":{"shape":"S"}}},"S":{"type":"string"}"#,
        );
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
        let union = structure(&imported, "MyUnion");
        assert!(union.union);
        assert_eq!(union.members.iter().map(|m| (m.name.as_str(), m.required)).collect::<Vec<_>>(), [("a", false), ("b", false)]);
        assert!(!structure(&imported, "In").union);
    }

    #[test]
    fn jsonvalue_strings_in_a_body_are_plain_strings() {
        let imported = service(r#""Body":{"shape":"S","jsonvalue":true}"#, r#","S":{"type":"string"}"#);
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
        let members = &structure(&imported, "In").members;
        assert_eq!((members.len(), members[0].name.as_str(), members[0].target.as_str()), (1, "Body", "S"));
        assert!(!members[0].json_value, "only a header's JSON text is json_value");
    }

    /// A rest-json service of one operation whose input and output are `shapes`' `In` and `Out`.
    fn imported(shapes: serde_json::Value, endpoint: Option<&str>) -> Model {
        let mut op = serde_json::json!({"http": {"method": "POST", "requestUri": "/op"}, "input": {"shape": "In"}, "output": {"shape": "Out"}});
        if let Some(prefix) = endpoint {
            op["endpoint"] = serde_json::json!({"hostPrefix": prefix});
        }
        let file = serde_json::json!({
            "metadata": {"apiVersion": "2020-01-01", "protocol": "rest-json", "serviceFullName": "Test", "serviceId": "Test"},
            "operations": {"Op": op},
            "shapes": shapes,
        });
        let source = Source { version: "1".into(), file: "test.json".into() };
        import(file.to_string().as_bytes(), &source, &[]).expect("imports").model
    }

    #[test]
    fn request_compression_takes_gzip_and_reports_other_encodings() {
        let op = |encodings: serde_json::Value| serde_json::json!({"http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "In"}, "requestcompression": {"encodings": encodings}});
        let file = serde_json::json!({
            "metadata": {"apiVersion": "2020-01-01", "protocol": "rest-json", "serviceFullName": "Test", "serviceId": "Test"},
            "operations": {
                "Gz": op(serde_json::json!(["gzip"])),
                "Mixed": op(serde_json::json!(["zstd", "gzip", "gzip"])),
                "Plain": {"http": {"method": "POST", "requestUri": "/p"}}
            },
            "shapes": {"In": {"type": "structure", "members": {}}}
        });
        let source = Source { version: "1".into(), file: "test.json".into() };
        let imported = import(file.to_string().as_bytes(), &source, &[]).expect("imports");
        let ops = &imported.model.operations;
        assert_eq!(ops["Gz"].request_compression, [Compression::Gzip]);
        assert_eq!(ops["Mixed"].request_compression, [Compression::Gzip], "gzip once, zstd skipped");
        assert!(ops["Plain"].request_compression.is_empty());
        assert_eq!(imported.skipped.len(), 1, "{:?}", imported.skipped);
        assert!(imported.skipped[0].starts_with("operations.Mixed.requestcompression.encodings: `zstd`"), "{:?}", imported.skipped);
        assert!(imported.to_yaml().contains("request_compression:\n  - gzip") || imported.to_yaml().contains("request_compression: [gzip]") || imported.to_yaml().contains("request_compression:\n    - gzip"), "{}", imported.to_yaml());
    }

    #[test]
    fn rest_xml_roots_namespaces_and_attributes_are_kept() {
        let file = serde_json::json!({
            "metadata": {"apiVersion": "2020-01-01", "protocol": "rest-xml", "serviceFullName": "Test", "serviceId": "Test"},
            "operations": {
                "Put": {"http": {"method": "PUT", "requestUri": "/"}, "input": {"shape": "In", "locationName": "PutRequest", "xmlNamespace": {"uri": "urn:in"}}},
                "Send": {"http": {"method": "PUT", "requestUri": "/send"}, "input": {"shape": "Carrier"}},
                "Named": {"http": {"method": "PUT", "requestUri": "/named"}, "input": {"shape": "Named"}}
            },
            "shapes": {
                "In": {"type": "structure", "members": {"owner": {"shape": "S", "locationName": "Owner", "xmlAttribute": true}, "body": {"shape": "S"}}},
                "Carrier": {"type": "structure", "members": {"nested": {"shape": "P", "locationName": "nested"}}, "payload": "nested"},
                "Named": {"type": "structure", "members": {"nested": {"shape": "P", "locationName": "Hola", "xmlNamespace": {"prefix": "b", "uri": "urn:b"}}}, "payload": "nested"},
                "P": {"type": "structure", "members": {"name": {"shape": "S"}}, "locationName": "Hello"},
                "S": {"type": "string"}
            }
        });
        let source = Source { version: "1".into(), file: "test.json".into() };
        let model = import(file.to_string().as_bytes(), &source, &[]).expect("imports").model;
        assert_eq!(model.service.protocol, Protocol::RestXml);
        let put = &model.operations["Put"];
        assert_eq!(put.xml_root.as_deref(), Some("PutRequest"));
        assert_eq!(put.xml_namespace, Some(codegen::model::XmlNamespace { uri: "urn:in".into(), prefix: None }));
        let owner = member(&model, &put.input, "owner");
        assert!(owner.xml_attribute && owner.wire_name.as_deref() == Some("Owner"));
        assert!(!member(&model, &put.input, "body").xml_attribute);
        // A payload's element: the shape's name for a member `locationName`
        // that only repeats the member's name, a renaming one else.
        let carried = member(&model, &model.operations["Send"].input, "nested");
        assert_eq!((carried.xml_root.as_deref(), carried.wire_name.as_deref()), (Some("Hello"), None));
        let named = member(&model, &model.operations["Named"].input, "nested");
        assert_eq!(named.xml_root.as_deref(), Some("Hola"));
        assert_eq!(named.xml_namespace, Some(codegen::model::XmlNamespace { uri: "urn:b".into(), prefix: Some("b".into()) }));
    }

    fn members<'m>(model: &'m Model, shape: &str) -> &'m [Member] {
        match model.shapes.get(shape) {
            Some(Shape::Structure(s)) => &s.members,
            other => panic!("{shape}: {other:?}"),
        }
    }

    fn member<'m>(model: &'m Model, shape: &str, name: &str) -> &'m Member {
        members(model, shape).iter().find(|m| m.name == name).unwrap_or_else(|| panic!("{shape}.{name} was skipped"))
    }

    #[test]
    fn rest_locations_payloads_and_host_labels_are_kept() {
        let model = imported(
            serde_json::json!({
                "In": {"type": "structure", "required": ["label"], "members": {
                    "label": {"shape": "S", "hostLabel": true},
                    "meta": {"shape": "M", "location": "headers", "locationName": "x-meta-"},
                    "json": {"shape": "S", "location": "header", "locationName": "X-Json", "jsonvalue": true},
                    "data": {"shape": "B"}
                }, "payload": "data"},
                "Out": {"type": "structure", "members": {"code": {"shape": "I", "location": "statusCode"}}},
                "S": {"type": "string"}, "B": {"type": "blob"}, "I": {"type": "integer"},
                "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}}
            }),
            Some("foo.{label}."),
        );
        assert_eq!(model.operations["Op"].host_prefix.as_deref(), Some("foo.{label}."));
        let input = model.operations["Op"].input.clone();
        let output = model.operations["Op"].output.clone();
        assert!(member(&model, &input, "label").host_label);
        assert_eq!(member(&model, &input, "meta").location, Some(Location::HeaderPrefix));
        assert!(member(&model, &input, "json").json_value);
        assert_eq!(member(&model, &input, "data").location, Some(Location::Payload));
        assert_eq!(member(&model, &output, "code").location, Some(Location::StatusCode));
    }

    #[test]
    fn timestamp_formats_follow_member_then_shape_then_location() {
        let model = imported(
            serde_json::json!({
                "In": {"type": "structure", "members": {
                    "header": {"shape": "T", "location": "header", "locationName": "X-T"},
                    "query": {"shape": "T", "location": "querystring", "locationName": "t"},
                    "body": {"shape": "T"},
                    "member": {"shape": "T", "timestampFormat": "rfc822"},
                    "explicit": {"shape": "E", "location": "header", "locationName": "X-E"},
                    "dates": {"shape": "H"},
                    "list": {"shape": "L", "location": "header", "locationName": "X-L"}
                }},
                "Out": {"type": "structure", "members": {}},
                "T": {"type": "timestamp"},
                "E": {"type": "timestamp", "timestampFormat": "unixTimestamp"},
                "H": {"type": "timestamp", "timestampFormat": "rfc822"},
                "L": {"type": "list", "member": {"shape": "T"}}
            }),
            None,
        );
        let input = model.operations["Op"].input.clone();
        let format = |name: &str| member(&model, &input, name).timestamp_format;
        assert_eq!(format("header"), Some(TimestampFormat::HttpDate), "a header's default");
        assert_eq!(format("query"), Some(TimestampFormat::DateTime), "a query's default");
        assert_eq!(format("body"), None, "the shape's (the protocol's) format");
        assert_eq!(format("member"), Some(TimestampFormat::HttpDate), "the member's own wins");
        assert_eq!(format("explicit"), None, "the shape's own format wins over the location's default");
        assert!(matches!(model.shapes.get("H"), Some(Shape::Timestamp(TimestampShape { format: TimestampFormat::HttpDate, .. }))));
        // Lists of timestamps may still be skipped by the collection rules; when kept, their items follow the header's default.
        if let Some(list) = members(&model, &input).iter().find(|m| m.name == "list") {
            assert_eq!(list.timestamp_format, Some(TimestampFormat::HttpDate));
        }
    }
}
