//! Each wire protocol, described once.
//!
//! Everything the generator knows about a protocol is one [`ProtocolSpec`]:
//! the service metadata it requires, how operations bind to HTTP, the
//! default wire form of timestamps, how requests are encoded and responses
//! and errors decoded, and which feature of the runtime crate speaks it. The
//! lowering pass reads it to check a model and to type its members; the
//! emitter reads it to print each operation's wire methods. Adding a
//! protocol means adding a [`Protocol`] variant, its spec here and its codec
//! in the runtime crate.

use crate::model::{Protocol, Service, TimestampFormat};

/// What the generator knows about one wire protocol.
#[derive(Debug)]
pub(crate) struct ProtocolSpec {
    /// How docs name the protocol (`AWS JSON 1.1`).
    pub name: &'static str,
    /// Service metadata the protocol cannot work without.
    pub required: &'static [Required],
    /// How operations map to HTTP requests.
    pub binding: Binding,
    /// The wire form of a `timestamp` member with no format of its own.
    pub timestamp: TimestampFormat,
    /// How a request is encoded.
    pub request: RequestStyle,
    /// How a response (and an error response) is decoded.
    pub response: ResponseStyle,
    /// The XML element of a list item when the model names none.
    pub xml_list_item: &'static str,
    /// The token `for_each_operation!` passes for the protocol (`ec2_query`).
    pub token: &'static str,
    /// The features of the runtime crate its generated code calls.
    pub runtime_features: &'static [&'static str],
    /// Whose known error codes classify retries (the runtime's
    /// `retry::Vendor` variant).
    pub vendor: &'static str,
    /// Where a successful response carries the service's request ID.
    pub request_id: RequestId,
    /// How a request of the protocol is signed, for the docs of `to_http`.
    pub signing: &'static str,
    /// The runtime feature with the protocol's signer, if the runtime has
    /// one; the generated crate forwards it as a feature of the same name.
    pub signer_feature: Option<&'static str>,
}

/// Where a successful response carries its request ID.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RequestId {
    /// A member of the response body with this wire name (EC2
    /// `requestId`, Alibaba `RequestId`).
    Member(&'static str),
    /// This response header (`x-amzn-RequestId`).
    Header(&'static str),
}

impl ProtocolSpec {
    /// Whether the protocol's requests carry maps: JSON bodies do (as
    /// objects), and AWS query parameters (`Name.entry.N.key`); flat query
    /// parameters have none (EC2's requests use no maps, and the runtime
    /// gives them no convention). Responses carry them in every protocol:
    /// JSON objects, XML `<entry>` elements.
    pub fn requests_carry_maps(&self) -> bool {
        !matches!(self.request, RequestStyle::Query { style: QueryStyle::Flat, .. })
    }
}

impl ProtocolSpec {
    /// Whether the protocol carries documents (any JSON value): only when
    /// both requests and responses are JSON.
    pub fn carries_documents(&self) -> bool {
        matches!(self.request, RequestStyle::Json { .. }) && matches!(self.response, ResponseStyle::Json(_))
    }
}

/// A service metadata key a protocol requires, and why.
#[derive(Debug)]
pub(crate) struct Required {
    /// The key as a model writes it under `service`.
    pub key: &'static str,
    /// The service's value for it, if it has one.
    pub value: fn(&Service) -> Option<&str>,
    /// Why the protocol needs it (shown in the diagnostic's help).
    pub why: &'static str,
}

/// How an operation becomes an HTTP request line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Binding {
    /// Every operation is sent the same way; the operation is named in the
    /// body or a header.
    Fixed {
        /// HTTP method.
        method: &'static str,
        /// Request path.
        path: &'static str,
    },
    /// Each operation has its own method and path (`http:` in the model).
    PerOperation,
}

/// How a request is encoded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RequestStyle {
    /// Form-encoded query parameters (`Action`, `Version`, flattened
    /// lists), with these extra parameters.
    Query {
        /// Parameters every request carries besides `Action` and `Version`.
        extra: &'static [(&'static str, &'static str)],
        /// How lists and maps are spelled.
        style: QueryStyle,
    },
    /// REST-XML: members in the path, query and headers, the others the
    /// children of the body's root element (the operation's `xml_root`),
    /// or a payload member (the runtime's `rest_request` with
    /// `BodyCodec::Xml`).
    RestXml,
    /// The request's serde form as a JSON body.
    Json {
        /// `content-type` of the body.
        content_type: &'static str,
        /// Whether the operation is named in `X-Amz-Target: <prefix>.<Operation>`.
        target_header: bool,
        /// Whether every request carries the input as a JSON document, `{}`
        /// when it has no members (AWS JSON: the runtime's
        /// `aws_json_request`); else members may go in the path, query and
        /// headers, and a request with no body member has no body and no
        /// `content-type` (REST-JSON: `json_request`).
        document: bool,
    },
}

/// How query parameters spell lists and maps (the runtime's `QueryStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `Name.N`, `Name.N.Key` (EC2, Alibaba RPC).
    Flat,
    /// `Name.member.N`, `Name.entry.N.key`, an empty list `Name=` (AWS query).
    AwsQuery,
}

/// How a response is decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ResponseStyle {
    /// An XML document whose root is `<Operation>Response`, in the given
    /// style.
    Xml(XmlStyle),
    /// REST-XML: members in headers and the status code, the others the
    /// children of the body's root element (any name), or a payload;
    /// errors `<ErrorResponse><Error>` or `<Error>` (the runtime's
    /// `ErrorStyle::RestXml`).
    RestXml,
    /// A JSON body; errors in the given style.
    Json(JsonErrors),
}

/// Where an XML protocol puts the value and the error's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XmlStyle {
    /// The members are the root's children; errors are
    /// `<Response><Errors><Error>`.
    Ec2,
    /// The members are the children of the root's `<Operation>Result`;
    /// errors are `<ErrorResponse><Error>` (the runtime's
    /// `ErrorStyle::AwsQuery`).
    AwsQuery,
}

/// Where a JSON protocol puts an error's code (the runtime's `ErrorStyle`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum JsonErrors {
    /// `__type` in the body, or `x-amzn-ErrorType`.
    AwsJson,
    /// `x-amzn-ErrorType`, or `code`/`__type` in the body.
    RestJson,
    /// `Code`, `Message` and `RequestId` in the body.
    Alibaba,
}

impl JsonErrors {
    /// The name of the runtime's `ErrorStyle` variant.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            JsonErrors::AwsJson => "AwsJson",
            JsonErrors::RestJson => "RestJson",
            JsonErrors::Alibaba => "Alibaba",
        }
    }
}

const EC2_QUERY: ProtocolSpec = ProtocolSpec {
    name: "EC2 query",
    required: &[Required {
        key: "xml_namespace",
        value: |s| s.xml_namespace.as_deref(),
        why: "the EC2 query protocol's XML responses are namespaced by API version",
    }],
    binding: Binding::Fixed { method: "POST", path: "/" },
    timestamp: TimestampFormat::DateTime,
    request: RequestStyle::Query { extra: &[], style: QueryStyle::Flat },
    response: ResponseStyle::Xml(XmlStyle::Ec2),
    // EC2 wraps list items in `item`; the AWS default is `member`.
    xml_list_item: "item",
    token: "ec2_query",
    runtime_features: &["query", "xml"],
    vendor: "Aws",
    request_id: RequestId::Member("requestId"),
    signing: "Sign it with AWS Signature Version 4 (for example with the `aws-sigv4` crate), using the service's signing name, and send it with any HTTP client.",
    signer_feature: None,
};

const AWS_QUERY: ProtocolSpec = ProtocolSpec {
    name: "AWS query",
    required: &[],
    binding: Binding::Fixed { method: "POST", path: "/" },
    timestamp: TimestampFormat::DateTime,
    request: RequestStyle::Query { extra: &[], style: QueryStyle::AwsQuery },
    response: ResponseStyle::Xml(XmlStyle::AwsQuery),
    xml_list_item: "member",
    token: "aws_query",
    runtime_features: &["query", "xml"],
    vendor: "Aws",
    // The body's `<ResponseMetadata><RequestId>` is outside the value; the
    // services send the same ID in this header.
    request_id: RequestId::Header("x-amzn-requestid"),
    signing: "Sign it with AWS Signature Version 4 (for example with the `aws-sigv4` crate), using the service's signing name, and send it with any HTTP client.",
    signer_feature: None,
};

const AWS_JSON_11: ProtocolSpec = ProtocolSpec {
    name: "AWS JSON 1.1",
    required: &[Required {
        key: "target_prefix",
        value: |s| s.target_prefix.as_deref(),
        why: "AWS JSON 1.1 names the operation in `X-Amz-Target: <prefix>.<Operation>`",
    }],
    binding: Binding::Fixed { method: "POST", path: "/" },
    timestamp: TimestampFormat::EpochSeconds,
    request: RequestStyle::Json { content_type: "application/x-amz-json-1.1", target_header: true, document: true },
    response: ResponseStyle::Json(JsonErrors::AwsJson),
    xml_list_item: "member",
    token: "aws_json_1_1",
    runtime_features: &["json"],
    vendor: "Aws",
    request_id: RequestId::Header("x-amzn-requestid"),
    signing: "Sign it with AWS Signature Version 4 (for example with the `aws-sigv4` crate), using the service's signing name, and send it with any HTTP client.",
    signer_feature: None,
};

const REST_JSON: ProtocolSpec = ProtocolSpec {
    name: "AWS REST-JSON",
    required: &[],
    binding: Binding::PerOperation,
    timestamp: TimestampFormat::EpochSeconds,
    request: RequestStyle::Json { content_type: "application/json", target_header: false, document: false },
    response: ResponseStyle::Json(JsonErrors::RestJson),
    xml_list_item: "member",
    token: "rest_json",
    runtime_features: &["json"],
    vendor: "Aws",
    request_id: RequestId::Header("x-amzn-requestid"),
    signing: "Sign it with AWS Signature Version 4 (for example with the `aws-sigv4` crate), using the service's signing name, and send it with any HTTP client.",
    signer_feature: None,
};

const REST_XML: ProtocolSpec = ProtocolSpec {
    name: "AWS REST-XML",
    required: &[],
    binding: Binding::PerOperation,
    timestamp: TimestampFormat::DateTime,
    request: RequestStyle::RestXml,
    response: ResponseStyle::RestXml,
    xml_list_item: "member",
    token: "rest_xml",
    runtime_features: &["xml"],
    vendor: "Aws",
    request_id: RequestId::Header("x-amz-request-id"),
    signing: "Sign it with AWS Signature Version 4 (for example with the `aws-sigv4` crate), using the service's signing name, and send it with any HTTP client.",
    signer_feature: None,
};

const ALIBABA_RPC: ProtocolSpec = ProtocolSpec {
    name: "Alibaba Cloud RPC",
    required: &[],
    binding: Binding::Fixed { method: "POST", path: "/" },
    timestamp: TimestampFormat::EpochSeconds,
    request: RequestStyle::Query { extra: &[("Format", "JSON")], style: QueryStyle::Flat },
    response: ResponseStyle::Json(JsonErrors::Alibaba),
    xml_list_item: "member",
    token: "alibaba_rpc",
    runtime_features: &["json", "query"],
    vendor: "Alibaba",
    request_id: RequestId::Member("RequestId"),
    signer_feature: Some("alibaba-signer"),
    signing: "Sign it with Alibaba Cloud's RPC signature (HMAC-SHA1, `SignatureVersion=1.0`), for example with the runtime's `alibaba` signer, and send it with any HTTP client.",
};

/// The description of `protocol`.
pub(crate) fn spec(protocol: Protocol) -> &'static ProtocolSpec {
    match protocol {
        Protocol::Ec2Query => &EC2_QUERY,
        Protocol::AwsQuery => &AWS_QUERY,
        Protocol::AwsJson11 => &AWS_JSON_11,
        Protocol::RestJson => &REST_JSON,
        Protocol::RestXml => &REST_XML,
        Protocol::AlibabaRpc => &ALIBABA_RPC,
    }
}
