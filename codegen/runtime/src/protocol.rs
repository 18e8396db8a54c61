//! The HTTP side of each protocol, sans IO: build an `http::Request` from a
//! request value, and turn an `http::Response` into the typed response or
//! the operation's typed error. Signing and sending are the caller's.
//!
//! The rules below hold for every protocol; each has a test in this
//! module. What a body may contain is in the docs of [`json`](super::json)
//! and [`xml`](super::xml).
//!
//! # Endpoints
//!
//! Every `to_http(endpoint)` goes through [`request`], which parses the
//! endpoint with `http::Uri` and builds the request's URI from its parts,
//! never by pasting strings:
//!
//! 1. **Absolute `http` or `https` only.** An empty endpoint, a relative one
//!    (`host`, `/path`), another scheme (`ftp://`), or one that is not a URI
//!    is a [`BuildError`] saying which.
//! 2. **No query, no fragment, no user information.** The operation writes
//!    the query itself, a request has no fragment (and `http::Uri` would
//!    drop one silently), and credentials belong in the signature, not in
//!    a URI that is logged: `https://host?x=1`, `https://host#f` and
//!    `https://user@host` are errors. So are an empty host, a port that is
//!    not a number from 0 to 65535, and a `%` in the base path that is not a
//!    percent-escape.
//! 3. **A base path is kept.** The operation's path is joined to the
//!    endpoint's path as botocore's `_urljoin` does:
//!    `https://host/base/` (or `https://host/base`) with `/Cancel` is
//!    `https://host/base/Cancel`; with `/` (EC2 query, AWS JSON, Alibaba
//!    RPC) the base path is the whole path, and `https://host` is
//!    `https://host/`.
//!
//! # Error codes
//!
//! A non-2xx response is the operation's error, chosen by its code. Each
//! protocol has places for the code, read in the order of the vendor's SDK;
//! the first place holding a **non-empty** code wins. The one rule for an
//! empty code, in every protocol: a code that is empty or only whitespace
//! (`{"__type":""}`, `<Code/>`, `x-amzn-ErrorType: `) is no code, and the
//! next place is read; a response with no code in any place is the error's
//! `InvalidResponse` variant, holding a [`DecodeError`] with the HTTP status
//! and the places looked at. (Never `Unhandled("")`: an empty code names no
//! error, and an `Unhandled` error is one the service named.) Codes lose
//! surrounding whitespace in every protocol; AWS codes also lose a
//! `namespace#` prefix and a `:http://...` suffix ([`sanitize_aws_code`]).
//! A body that is not a JSON object (or, for EC2, not an XML document under
//! the rules of [`xml`](super::xml)) has no code in it; the header is still
//! read.
//!
//! | protocol | places, in order | from |
//! |---|---|---|
//! | AWS JSON 1.1 | body `__type`, body `code`, header `x-amzn-ErrorType` | botocore's `JSONParser` reads `__type` only; the Smithy `awsJson1_1` spec also names `code` and the header, which the AWS SDK for Rust reads (first) |
//! | AWS REST-JSON | header `x-amzn-ErrorType`, body `code`, `Code`, `__type` | botocore's `RestJSONParser._inject_error_code`, then `BaseJSONParser` for `__type` |
//! | EC2 query | `<Response><Errors><Error><Code>` (the first `Error`) | botocore's `EC2QueryParser` |
//! | AWS REST-XML | `<Error><Code>` as the root (S3), else `<ErrorResponse><Error><Code>` (Route 53, CloudFront); an empty body has none | botocore's `RestXMLParser._parse_error_from_body` (which falls back to the HTTP status as the code; here that is `InvalidResponse`, by the rule above) |
//! | Alibaba RPC | body `Code`, `code` | the Tea runtime (`DefaultAny(err["Code"], err["code"])` in the OpenAPI clients) |
//!
//! Messages come from `message`, `Message` (`errorMessage`) for AWS JSON
//! and `Message`, `message` for Alibaba; request IDs from the
//! `x-amzn-RequestId` header (AWS JSON), `<RequestID>` or `<RequestId>`
//! (EC2) and `RequestId`, `requestId` (Alibaba).
//!
//! An error whose model gives it members besides its message (botocore's
//! `ComplexError { TopLevel, Nested }`) reads them from the same response,
//! once its code has chosen it: see [`ErrorBody`] for where each protocol
//! carries them.

#[cfg(feature = "gzip")]
pub use crate::compress::{MIN_COMPRESSION_BYTES, compress};
#[cfg(any(feature = "json", feature = "xml"))]
use super::{DecodeError, ErrorMetadata, OperationError};
use super::BuildError;

/// Builds a request to `endpoint` + `path`, under the endpoint rules of
/// the [module docs](self#endpoints).
pub fn request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    let uri = join_endpoint(endpoint, path)?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body).map_err(|e| BuildError {
        message: format!("`{endpoint}` + `{path}`: {e}"),
    })
}

/// The URI of `path` (which starts with `/` and may carry a query) under
/// `endpoint`, refused with the reason when `endpoint` is not an absolute
/// `http` or `https` URI of a host without query, fragment or user
/// information. A base path of the endpoint is kept, with `path` joined to
/// it as botocore's `_urljoin` does.
pub fn join_endpoint(endpoint: &str, path: &str) -> Result<http::Uri, BuildError> {
    let refuse = |why: &str| {
        BuildError::new(format!(
            "the endpoint `{endpoint}` {why}; give the service's URL, such as `https://fsx.us-east-1.amazonaws.com`"
        ))
    };
    if endpoint.trim().is_empty() {
        return Err(BuildError::new(
            "the endpoint is empty; give the service's URL, such as `https://fsx.us-east-1.amazonaws.com`",
        ));
    }
    // `http::Uri` drops a fragment without a word, so it is looked for first.
    if endpoint.contains('#') {
        return Err(refuse("has a fragment (`#...`), which a request cannot carry"));
    }
    let uri: http::Uri = endpoint.parse().map_err(|e| refuse(&format!("is not a URI ({e})")))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(refuse("is relative: it needs a scheme and a host (`https://host`)"));
    };
    if scheme != "https" && scheme != "http" {
        return Err(refuse(&format!("has the scheme `{scheme}`; only `https` and `http` are spoken")));
    }
    if uri.query().is_some() || endpoint.contains('?') {
        return Err(refuse("has a query (`?...`); the operation writes the query itself"));
    }
    if authority.as_str().contains('@') {
        return Err(refuse("carries user information (`user@`); credentials go in the request's signature"));
    }
    if authority.host().is_empty() {
        return Err(refuse("has no host"));
    }
    let after_host = authority.as_str().rsplit_once(']').map_or(authority.as_str(), |(_, rest)| rest);
    if let Some((_, port)) = after_host.rsplit_once(':') {
        if port.parse::<u16>().is_err() {
            return Err(refuse(&format!("has the port `{port}`, which is not a number from 0 to 65535")));
        }
    }
    let base = uri.path();
    if let Some(bad) = bad_percent_escape(base) {
        return Err(refuse(&format!("has `{bad}` in its path, which is not a percent-escape (`%` and two hex digits)")));
    }
    // botocore's `_urljoin`: the path `/` alone keeps the base path as it is;
    // any other path is appended to the base path without its trailing `/`.
    let joined = if path.is_empty() || path == "/" {
        if base.is_empty() { "/".to_string() } else { base.to_string() }
    } else {
        format!("{}{path}", base.trim_end_matches('/'))
    };
    http::Uri::builder()
        .scheme(scheme)
        .authority(authority.clone())
        .path_and_query(joined.as_str())
        .build()
        .map_err(|e| BuildError::new(format!("`{endpoint}` + `{path}` is not a URI: {e}")))
}

/// The first `%` of `path` not followed by two hex digits, with what follows it.
fn bad_percent_escape(path: &str) -> Option<&str> {
    let bytes = path.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'%' && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })?;
    let end = (at + 3).min(path.len());
    Some(path.get(at..end).unwrap_or(&path[at..]))
}

/// An AWS JSON 1.1 request to `endpoint` + `path`: the body is always the
/// input's JSON document, `{}` when no member is set or the input has no
/// members (as botocore's `JSONSerializer` and Smithy's `awsJson1_1`
/// send it), with the given headers (`Content-Type` included).
#[cfg(feature = "json")]
pub fn aws_json_request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    value: &dyn super::schema::Shape,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    request(method, endpoint, path, headers, super::json::encode(value)?)
}

/// A JSON request (AWS REST-JSON) to `endpoint` + `path`.
///
/// Members the schema places outside the body go where it says, as
/// botocore's REST serializer and Smithy's `restJson1` put them (each rule
/// has a test below):
///
/// - **labels**: a `{Label}` of `path` takes its member's text
///   percent-encoded (every byte but `A-Z a-z 0-9 - _ . ~`); `{Label+}`, a
///   greedy label, keeps `/`;
/// - **query**: a member is one parameter (a list, one parameter per item);
///   a map member is one parameter per entry (a list value, one per item),
///   except where a member of its own names the same parameter, which wins;
/// - **headers**: a member is one header; a list is its items joined with
///   `, `, a string item that holds `,` or `"` quoted (`"b,c"`, `"\"d\""`),
///   an empty list an empty header; an empty string is sent as an empty
///   header (Smithy's `RestJsonNullAndEmptyHeaders`: only absent members
///   are left out); a JSON-text header is sent as the base64 of its text; a
///   header-prefix map is one header per entry, named prefix + key;
/// - **text**: booleans are `true`/`false`, blobs base64, timestamps in the
///   member's format (the lowering gives each location its default:
///   HTTP dates in headers, RFC 3339 in labels and queries);
/// - **body**: a payload member is the whole body: a blob as its bytes
///   (`application/octet-stream`), a string or enum as its text
///   (`text/plain`), absent as no body; a structure as its JSON
///   (`application/json`), absent as `{}`; a document as its JSON text
///   (any JSON value), absent as no body. Otherwise the body is the JSON
///   object of the body members, `{}` when none is set, and a request whose
///   members all go elsewhere has no body and no `content-type`. A
///   `Content-Type` header member replaces the protocol's.
#[cfg(feature = "json")]
pub fn json_request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    value: &dyn super::schema::Shape,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    rest_request(method, endpoint, path, headers, value, BodyCodec::Json)
}

/// How the body of a REST request or response is written: the one part of
/// the REST bindings (labels, query, headers, status code and payloads are
/// shared) in which REST-JSON and REST-XML differ.
#[cfg(any(feature = "json", feature = "xml"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyCodec {
    /// REST-JSON: the body members as a JSON object, a structure payload
    /// as its JSON.
    #[cfg(feature = "json")]
    Json,
    /// REST-XML: the body members as the children of the element `root`;
    /// a structure payload as the children of `root` (the generator passes
    /// the payload member's element name then). `namespace` is the root's
    /// `xmlns` (with `prefix`, `xmlns:prefix`), none when empty.
    #[cfg(feature = "xml")]
    Xml {
        /// The root element's name.
        root: &'static str,
        /// The root's namespace URI, or empty for none.
        namespace: &'static str,
        /// The namespace's prefix, or empty for the default namespace.
        prefix: &'static str,
    },
}

/// A REST request ([`json_request`]'s rules) whose body is written by
/// `codec`: for [`BodyCodec::Xml`], the body members are the children of
/// the root element (`application/xml` is not sent: botocore sends no
/// content type for XML bodies), a structure payload is the root element
/// with the structure's members, absent as no body.
#[cfg(any(feature = "json", feature = "xml"))]
pub fn rest_request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    value: &dyn super::schema::Shape,
    codec: BodyCodec,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    use super::schema::{Kind, Location, Ref, scalar_text};
    let schema = value.dyn_schema();
    let mut path = path.to_string();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut map_query: Vec<(String, String)> = Vec::new();
    let mut extra: Vec<(String, String)> = Vec::new();
    let mut payload = None;
    for (index, member) in schema.members.iter().enumerate() {
        let field = value.field(index);
        match member.location {
            Location::Body | Location::StatusCode | Location::XmlAttribute => {}
            Location::Payload => payload = Some((member, field)),
            Location::Uri => {
                let Some(text) = scalar_text(&field, member.kind, member.wire)? else {
                    return Err(BuildError::new(format!("the path label `{}` has no value", member.wire)));
                };
                let greedy = format!("{{{}+}}", member.wire);
                if path.contains(&greedy) {
                    path = path.replace(&greedy, &percent_encode_path(&text, true));
                } else {
                    path = path.replace(&format!("{{{}}}", member.wire), &percent_encode_path(&text, false));
                }
            }
            Location::Query => match &field {
                Ref::Map(map) => {
                    let item = member.kind.map_value().unwrap_or(member.kind);
                    for (key, entry) in map.entries() {
                        for text in texts(&entry, item, member.wire)? {
                            map_query.push((key.to_string(), text));
                        }
                    }
                }
                other => query.extend(texts(other, member.kind, member.wire)?.into_iter().map(|t| (member.wire.to_string(), t))),
            },
            Location::Header => match &field {
                Ref::Absent => {}
                Ref::List(list) => {
                    let item = member.kind.list_item().unwrap_or(member.kind);
                    let mut items = Vec::with_capacity(list.len());
                    for i in 0..list.len() {
                        match list.item(i) {
                            Ref::Str(s) => items.push(quote_header_item(s)),
                            other => items.extend(scalar_text(&other, item, member.wire)?),
                        }
                    }
                    extra.push((member.wire.to_string(), items.join(", ")));
                }
                other => extra.extend(scalar_text(other, member.kind, member.wire)?.map(|t| (member.wire.to_string(), t))),
            },
            Location::JsonHeader => {
                if let Ref::Str(text) = &field {
                    extra.push((member.wire.to_string(), super::base64_blob::encode(text.as_bytes())));
                }
            }
            Location::HeaderPrefix => {
                if let Ref::Map(map) = &field {
                    for (key, entry) in map.entries() {
                        if let Some(text) = scalar_text(&entry, Kind::String, member.wire)? {
                            extra.push((format!("{}{key}", member.wire), text));
                        }
                    }
                }
            }
        }
    }
    for (name, text) in &extra {
        // Said here, with the header's name, rather than by the builder;
        // the value is not quoted (it may be a secret).
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(BuildError::new(format!("`{name}` is not a header name")));
        }
        if http::HeaderValue::from_str(text).is_err() {
            return Err(BuildError::new(format!("the value of the header `{name}` holds a character a header cannot (a line break or another control character)")));
        }
    }
    query.extend(map_query.into_iter().filter(|(k, _)| !query.iter().any(|(q, _)| q == k)).collect::<Vec<_>>());
    if !query.is_empty() {
        let encoded: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", percent_encode_path(k, false), percent_encode_path(v, false))).collect();
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str(&encoded.join("&"));
    }
    let json_type = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| *v);
    let (body, content_type) = match payload {
        Some((member, field)) => match field {
            Ref::Blob(bytes) => (bytes.to_vec(), Some("application/octet-stream")),
            Ref::Str(text) => (text.as_bytes().to_vec(), Some("text/plain")),
            Ref::Struct(inner) => (encode_body(inner, codec)?, json_type),
            #[cfg(feature = "json")]
            Ref::Document(document) if codec == BodyCodec::Json => (super::json::encode_document(document, member.wire)?, json_type),
            #[cfg(feature = "json")]
            Ref::Absent if matches!(member.kind, Kind::Struct(_)) && codec == BodyCodec::Json => (b"{}".to_vec(), json_type),
            Ref::Absent => (Vec::new(), None),
            _ => return Err(BuildError::new(format!("the payload `{}` is not a blob, a string, a structure or a document", member.wire))),
        },
        None if schema.members.iter().any(|m| m.location == Location::Body) && has_body(value, codec) => (encode_body(value, codec)?, json_type),
        None => (Vec::new(), None),
    };
    let own_type = extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    let mut all: Vec<(&str, &str)> = headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")).copied().collect();
    if let (Some(content_type), false) = (content_type, own_type) {
        all.push(("content-type", content_type));
    }
    all.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    request(method, endpoint, &path, &all, body)
}

/// The body of `value` (its body members) in `codec`.
#[cfg(any(feature = "json", feature = "xml"))]
fn encode_body(value: &dyn super::schema::Shape, codec: BodyCodec) -> Result<Vec<u8>, BuildError> {
    match codec {
        #[cfg(feature = "json")]
        BodyCodec::Json => super::json::encode(value),
        #[cfg(feature = "xml")]
        BodyCodec::Xml { root, namespace, prefix } => Ok(super::xml::encode_element(value, root, namespace, prefix)?.into_bytes()),
    }
}

/// Whether a request without a payload member has a body: in JSON
/// whenever it has body members (`{}` when none is set); in XML only when
/// one of them is set, as botocore's `RestXMLSerializer` writes it.
#[cfg(any(feature = "json", feature = "xml"))]
fn has_body(value: &dyn super::schema::Shape, codec: BodyCodec) -> bool {
    match codec {
        #[cfg(feature = "json")]
        BodyCodec::Json => {
            let _ = value;
            true
        }
        #[cfg(feature = "xml")]
        BodyCodec::Xml { .. } => {
            let schema = value.dyn_schema();
            schema
                .members
                .iter()
                .enumerate()
                .any(|(i, m)| matches!(m.location, super::schema::Location::Body | super::schema::Location::XmlAttribute) && !matches!(value.field(i), super::schema::Ref::Absent))
        }
    }
}

/// The texts of a query value: one for a scalar, one per item of a list.
#[cfg(any(feature = "json", feature = "xml"))]
fn texts(value: &super::schema::Ref<'_>, kind: super::schema::Kind, name: &str) -> Result<Vec<String>, BuildError> {
    use super::schema::{Ref, scalar_text};
    match value {
        Ref::List(list) => {
            let item = kind.list_item().unwrap_or(kind);
            let mut out = Vec::with_capacity(list.len());
            for i in 0..list.len() {
                out.extend(scalar_text(&list.item(i), item, name)?);
            }
            Ok(out)
        }
        other => Ok(scalar_text(other, kind, name)?.into_iter().collect()),
    }
}

/// A string item of a list header: quoted, with `"` and `\` escaped, when
/// it holds `,` or `"` (Smithy's `restJson1` list headers).
#[cfg(any(feature = "json", feature = "xml"))]
fn quote_header_item(text: &str) -> String {
    if text.contains(',') || text.contains('"') {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_string()
    }
}

/// The items of a list header: split at the commas outside quotes, each
/// trimmed and unquoted (`"b,c", "\"d\"", a` is `b,c`, `"d"`, `a`). HTTP
/// dates hold a comma of their own, so a list of them is split at every
/// other comma (Smithy's rule). A blank header is an empty list.
#[cfg(any(feature = "json", feature = "xml"))]
pub fn split_header_list(text: &str, http_dates: bool) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    if http_dates {
        let pieces: Vec<&str> = text.split(',').collect();
        return pieces.chunks(2).map(|pair| pair.join(",").trim().to_string()).collect();
    }
    let mut items = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            // A quoted item: up to the closing quote, `\x` is `x`; what
            // follows it, up to the next comma, is dropped.
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    c => item.push(c),
                }
            }
            while chars.next_if(|c| *c != ',').is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                item.push(c);
            }
            item.truncate(item.trim_end().len());
        }
        items.push(item);
        if chars.next().is_none() {
            return items;
        }
    }
}

/// The endpoint with the operation's host prefix (Smithy's `endpoint`
/// trait, botocore's `hostPrefix`) before its host: `foo.{label}.` with the
/// label `bar` turns `https://example.com` into `https://foo.bar.example.com`.
/// Each label is a request member's value and must be a host name's
/// letters, digits, `-` and `.`, as botocore checks; a label of `prefix`
/// that `labels` does not give is an error.
pub fn host_prefixed(endpoint: &str, prefix: &str, labels: &[(&str, &str)]) -> Result<String, BuildError> {
    let mut expanded = String::with_capacity(prefix.len());
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        expanded.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(BuildError::new(format!("the host prefix `{prefix}` has an unclosed `{{`")));
        };
        let name = &rest[open + 1..open + close];
        let Some((_, value)) = labels.iter().find(|(n, _)| *n == name) else {
            return Err(BuildError::new(format!("the host prefix `{prefix}` names the label `{name}`, which the request does not give")));
        };
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
            return Err(BuildError::new(format!(
                "the host label `{name}` is `{value}`; a host label is letters, digits, `-` and `.`"
            )));
        }
        expanded.push_str(value);
        rest = &rest[open + close + 1..];
    }
    expanded.push_str(rest);
    // An endpoint without a scheme is refused by `join_endpoint`, with the reason.
    Ok(match endpoint.split_once("://") {
        Some((scheme, host)) => format!("{scheme}://{expanded}{host}"),
        None => endpoint.to_string(),
    })
}

/// RFC 3986 percent-encoding of a path segment or query part: unreserved
/// characters stay, and `/` too in a greedy label.
pub fn percent_encode_path(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A form-encoded `POST /` request (EC2 query, Alibaba RPC).
#[cfg(feature = "query")]
pub fn form_request(endpoint: &str, params: &[(String, String)]) -> Result<http::Request<Vec<u8>>, BuildError> {
    let body = super::query::form_encode(params).into_bytes();
    request(
        "POST",
        endpoint,
        "/",
        &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
        body,
    )
}

/// The text of the response header `name` (`x-amzn-requestid`), if it is
/// present and visible ASCII.
pub fn header_text<B>(response: &http::Response<B>, name: &str) -> Option<String> {
    header(response, name).map(str::to_string)
}

/// How a protocol reports errors: where its error code is, in the
/// order of the [module docs](self#error-codes).
#[cfg(any(feature = "json", feature = "xml"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// AWS JSON 1.1: `__type` in the body, else `code` in the body, else the
    /// `x-amzn-ErrorType` header.
    #[cfg(feature = "json")]
    AwsJson,
    /// AWS REST-JSON: the `x-amzn-ErrorType` header, else `code`, `Code`,
    /// `__type` in the body.
    #[cfg(feature = "json")]
    RestJson,
    /// Alibaba RPC: `Code` (else `code`), `Message`, `RequestId` in the body.
    #[cfg(feature = "json")]
    Alibaba,
    /// EC2: `<Response><Errors><Error><Code>` in an XML body.
    #[cfg(feature = "xml")]
    Ec2,
    /// AWS query: `<ErrorResponse><Error><Code>` (and `<Message>`), with
    /// `<RequestId>` beside `<Error>`, in an XML body.
    #[cfg(feature = "xml")]
    AwsQuery,
    /// REST-XML: `<ErrorResponse><Error><Code>` (Route 53, CloudFront), with
    /// `<RequestId>` beside `<Error>`, or `<Error><Code>` (S3), with
    /// `<RequestId>` inside it, in an XML body.
    #[cfg(feature = "xml")]
    RestXml,
}

#[cfg(any(feature = "json", feature = "xml"))]
fn status_error(status: u16, error: DecodeError) -> DecodeError {
    DecodeError {
        http_status: Some(status),
        ..error
    }
}

/// Decodes a JSON response: the typed value on success, the typed error
/// otherwise.
///
/// Members bound outside the body are read from where the schema says: a
/// header member from its header (a list split by [`split_header_list`];
/// text read as [`json_request`] writes it; a JSON-text header from its
/// base64), a header-prefix map from every header whose name starts with
/// the prefix (case-insensitively, the key the rest of the name, in lower
/// case as HTTP carries names; an empty map when none has it), a
/// status-code member from the status. A missing header leaves its member
/// absent. A payload member is the whole
/// body (a blob its bytes, a string or enum its UTF-8 text, a structure its
/// JSON); an empty body leaves it absent. Without a payload member, the
/// body is the JSON object of the body members, and an empty body `{}`.
#[cfg(feature = "json")]
pub fn json_response<T, E, B>(response: &http::Response<B>, style: ErrorStyle) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    rest_response(response, BodyCodec::Json, style)
}

/// Decodes a REST response under [`json_response`]'s rules, its body read
/// by `codec`: for [`BodyCodec::Xml`], the body members are the children
/// of the root element, whatever its name (botocore's `RestXMLParser`
/// does not check it), an empty body every member absent; a structure
/// payload is the root element.
#[cfg(any(feature = "json", feature = "xml"))]
pub fn rest_response<T, E, B>(response: &http::Response<B>, codec: BodyCodec, style: ErrorStyle) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    use super::schema::Location;
    let status = response.status().as_u16();
    let body = response.body().as_ref();
    if !response.status().is_success() {
        return Err(error_from(response, style));
    }
    let invalid = |e: DecodeError| E::invalid_response(status_error(status, e));
    let schema = T::schema();
    let mut value = match schema.members.iter().position(|m| m.location == Location::Payload) {
        Some(index) => {
            let mut value = T::empty();
            read_payload(&mut value, index, body, codec).map_err(invalid)?;
            value
        }
        None => match codec {
            #[cfg(feature = "json")]
            BodyCodec::Json => {
                // An empty body is an empty object: every member absent.
                let body = if body.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { body };
                super::json::decode(body).map_err(invalid)?
            }
            #[cfg(feature = "xml")]
            BodyCodec::Xml { .. } => {
                let mut value = T::empty();
                if !body.iter().all(u8::is_ascii_whitespace) {
                    read_xml_body(&mut value, body).map_err(invalid)?;
                }
                value
            }
        },
    };
    read_bound(&mut value, response.headers(), status).map_err(invalid)?;
    Ok(value)
}

/// Reads an XML body (any root element) into `value`.
#[cfg(feature = "xml")]
fn read_xml_body(value: &mut dyn super::schema::Shape, body: &[u8]) -> Result<(), DecodeError> {
    let text = std::str::from_utf8(body).map_err(|e| DecodeError::new("", format!("the body is not UTF-8: {e}")))?;
    super::xml::decode_any_root(text, value)
}

/// Fills the payload member `index` of `value` from the whole body.
#[cfg(any(feature = "json", feature = "xml"))]
fn read_payload(value: &mut dyn super::schema::Shape, index: usize, body: &[u8], codec: BodyCodec) -> Result<(), DecodeError> {
    use super::schema::{Kind, Slot};
    let member = &value.dyn_schema().members[index];
    if body.is_empty() {
        return Ok(());
    }
    let Some(mut slot) = value.field_mut(index) else { return Ok(()) };
    match (codec, member.kind) {
        #[cfg(feature = "json")]
        (BodyCodec::Json, Kind::Struct(_) | Kind::Document) => {
            return super::json::read(&super::json::parse(body)?, member.kind, slot, member.wire);
        }
        #[cfg(feature = "xml")]
        (BodyCodec::Xml { .. }, Kind::Struct(_)) => {
            if let Slot::Option(option) = slot {
                slot = option.fill();
            }
            let Slot::Struct(inner) = slot else { return Err(DecodeError::new(member.wire, "a structure payload has no structure slot")) };
            return read_xml_body(inner, body);
        }
        _ => {}
    }
    if let Slot::Option(option) = slot {
        slot = option.fill();
    }
    let text = || std::str::from_utf8(body).map_err(|e| DecodeError::new(member.wire, format!("the body is not UTF-8: {e}")));
    match slot {
        Slot::Blob(bytes) => *bytes = body.to_vec(),
        Slot::Str(s) => *s = text()?.to_string(),
        Slot::Enum(e) => e.set(text()?),
        _ => return Err(DecodeError::new(member.wire, "a payload is a blob, a string, a structure or a document")),
    }
    Ok(())
}

/// Fills the members of `value` bound to headers and to the status code.
#[cfg(any(feature = "json", feature = "xml"))]
fn read_bound(value: &mut dyn super::schema::Shape, headers: &http::HeaderMap, status: u16) -> Result<(), DecodeError> {
    use super::schema::{Location, Slot};
    let schema = value.dyn_schema();
    for (index, member) in schema.members.iter().enumerate() {
        let at = |e: String| DecodeError::new(member.wire, e);
        match member.location {
            Location::Header | Location::JsonHeader => {
                let mut values = headers.get_all(member.wire).iter().peekable();
                if values.peek().is_none() {
                    continue;
                }
                let texts = values
                    .map(|v| v.to_str().map_err(|_| at("the header is not visible ASCII".into())))
                    .collect::<Result<Vec<_>, _>>()?;
                // Repeated header lines are one comma-separated value (RFC 9110).
                let text = texts.join(", ");
                let text = if member.location == Location::JsonHeader {
                    let bytes = super::base64_blob::decode(&text).map_err(at)?;
                    String::from_utf8(bytes).map_err(|_| at("the decoded header is not UTF-8".into()))?
                } else {
                    text
                };
                if let Some(slot) = value.field_mut(index) {
                    read_text(&text, member.kind, slot).map_err(at)?;
                }
            }
            Location::HeaderPrefix => {
                let prefix = member.wire.to_ascii_lowercase();
                let mut entries: Vec<(String, String)> = Vec::new();
                for (name, v) in headers {
                    if let Some(key) = name.as_str().strip_prefix(prefix.as_str()) {
                        let text = v.to_str().map_err(|_| at(format!("the header `{name}` is not visible ASCII")))?;
                        entries.push((key.to_string(), text.to_string()));
                    }
                }
                // Present even when no header has the prefix (an empty map), as
                // botocore's parser and Smithy's HttpPrefixHeadersAreNotPresent give it.
                let Some(mut slot) = value.field_mut(index) else { continue };
                if let Slot::Option(option) = slot {
                    slot = option.fill();
                }
                let Slot::Map(map) = slot else { return Err(at("a header-prefix member is a map".into())) };
                for (key, text) in entries {
                    let item = member.kind.map_value().unwrap_or(member.kind);
                    read_text(&text, item, map.insert(key)).map_err(at)?;
                }
            }
            Location::StatusCode => {
                if let Some(slot) = value.field_mut(index) {
                    read_text(&status.to_string(), member.kind, slot).map_err(at)?;
                }
            }
            Location::Body | Location::Uri | Location::Query | Location::Payload | Location::XmlAttribute => {}
        }
    }
    Ok(())
}

/// Reads a value from the text of a header (or of the status code), as
/// [`json_request`] writes it: numbers and `true`/`false` as text (floats
/// also `NaN`, `Infinity`, `-Infinity`), blobs as base64, timestamps in the
/// member's format, a list by [`split_header_list`].
#[cfg(any(feature = "json", feature = "xml"))]
pub fn read_text(text: &str, kind: super::schema::Kind, slot: super::schema::Slot<'_>) -> Result<(), String> {
    use super::schema::{Kind, Slot};
    let expected = |what: &str| format!("expected {what}, found `{text}`");
    let float = || {
        let t = text.trim();
        super::schema::special_float(t).or_else(|| t.parse::<f64>().ok().filter(|f| f.is_finite())).ok_or_else(|| expected("a number"))
    };
    match slot {
        Slot::Option(option) => read_text(text, kind, option.fill())?,
        Slot::Str(s) => *s = text.to_string(),
        Slot::Enum(e) => e.set(text),
        Slot::Bool(b) => {
            *b = match text.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(expected("`true` or `false`")),
            }
        }
        Slot::I32(n) => *n = text.trim().parse().map_err(|_| expected("a 32-bit whole number"))?,
        Slot::I64(n) => *n = text.trim().parse().map_err(|_| expected("a whole number"))?,
        Slot::F32(n) => *n = float()? as f32,
        Slot::F64(n) => *n = float()?,
        Slot::Time(t) => {
            let text = text.trim();
            *t = match kind {
                Kind::EpochSeconds => super::epoch_seconds::from_f64(text.parse().map_err(|_| expected("epoch seconds"))?)?,
                Kind::HttpDate => super::http_date::parse(text)?,
                _ => super::date_time::parse(text)?,
            }
        }
        Slot::Blob(b) => *b = super::base64_blob::decode(text)?,
        Slot::List(list) => {
            let item = kind.list_item().unwrap_or(kind);
            for part in split_header_list(text, matches!(item, Kind::HttpDate)) {
                read_text(&part, item, list.push())?;
            }
        }
        Slot::Struct(_) | Slot::Map(_) | Slot::Document(_) => return Err("a header holds a scalar or a list".into()),
    }
    Ok(())
}

/// Decodes an EC2 XML response whose root element is `root`.
#[cfg(feature = "xml")]
pub fn xml_response<T, E, B>(response: &http::Response<B>, root: &str) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    let (status, text) = xml_text(response, ErrorStyle::Ec2)?;
    super::xml::decode(text, root).map_err(|e| E::invalid_response(status_error(status, e)))
}

/// The status and text of a 2xx XML response; otherwise the typed error in
/// `style`, or the `InvalidResponse` of a body that is not UTF-8.
#[cfg(feature = "xml")]
fn xml_text<E: OperationError, B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> Result<(u16, &str), E> {
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(error_from(response, style));
    }
    let text = std::str::from_utf8(response.body().as_ref())
        .map_err(|e| E::invalid_response(status_error(status, DecodeError::new("", format!("the body is not UTF-8: {e}")))))?;
    Ok((status, text))
}

/// Decodes an AWS query XML response: the value is the `wrapper` element
/// (`GetUserResult`) inside the root `root` (`GetUserResponse`); errors are
/// [`ErrorStyle::AwsQuery`].
#[cfg(feature = "xml")]
pub fn aws_query_response<T, E, B>(response: &http::Response<B>, root: &str, wrapper: &'static str) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    let (status, text) = xml_text(response, ErrorStyle::AwsQuery)?;
    // An empty body is an empty root: every member absent (Smithy's awsQuery
    // tests send none for an output without members).
    let empty;
    let text = if text.bytes().all(|b| b.is_ascii_whitespace()) {
        empty = format!("<{root}/>");
        &empty
    } else {
        text
    };
    super::xml::decode_wrapped(text, root, wrapper).map_err(|e| E::invalid_response(status_error(status, e)))
}

/// AWS codes may come as `namespace#Code:http://...`; the code is what is
/// left after cutting at the first `:` and then up to the last `#`, as
/// botocore does (`code.split(':', 1)[0].rsplit('#', 1)[-1]`), without
/// surrounding whitespace.
#[cfg(feature = "json")]
pub fn sanitize_aws_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon.rsplit('#').next().unwrap_or(before_colon).trim()
}

fn header<'a, B>(response: &'a http::Response<B>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The first of `names` that `body` has as a string.
#[cfg(feature = "json")]
fn string_field<'a>(body: Option<&'a serde_json::Value>, names: &[&str]) -> Option<&'a str> {
    let body = body?;
    names.iter().find_map(|n| body.get(*n).and_then(serde_json::Value::as_str))
}

/// The typed error of a non-success response.
///
/// Its code is the first non-empty one of the places the style reads, in
/// the order of the [module docs](self#error-codes); with none, it is the
/// error's `InvalidResponse`, with the HTTP status and the places looked at.
#[cfg(any(feature = "json", feature = "xml"))]
pub fn error_from<E: OperationError, B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> E {
    let status = response.status().as_u16();
    let fields = match style {
        #[cfg(feature = "xml")]
        ErrorStyle::Ec2 => ec2_error_fields(response.body().as_ref()),
        #[cfg(feature = "xml")]
        ErrorStyle::AwsQuery => aws_query_error_fields(response.body().as_ref()),
        #[cfg(feature = "xml")]
        ErrorStyle::RestXml => rest_xml_error_fields(response.body().as_ref()),
        #[cfg(feature = "json")]
        style => json_error_fields(response, style),
    };
    match fields.code {
        Some(code) => {
            let meta = ErrorMetadata {
                message: fields.message,
                request_id: fields.request_id,
                http_status: Some(status),
            };
            let raw = response.body().as_ref();
            let body = match style {
                #[cfg(feature = "xml")]
                ErrorStyle::Ec2 => ErrorBody(Body::Xml(std::str::from_utf8(raw).unwrap_or_default(), &["Response", "Errors", "Error"])),
                #[cfg(feature = "xml")]
                ErrorStyle::AwsQuery => ErrorBody(Body::Xml(std::str::from_utf8(raw).unwrap_or_default(), &["ErrorResponse", "Error"])),
                #[cfg(feature = "xml")]
                ErrorStyle::RestXml => {
                    let text = std::str::from_utf8(raw).unwrap_or_default();
                    // S3 answers with a bare `<Error>`, the others wrap it.
                    let bare = super::xml::parse(text).is_ok_and(|root| root.name == "Error");
                    let path: &'static [&'static str] = if bare { &["Error"] } else { &["ErrorResponse", "Error"] };
                    ErrorBody(Body::RestXml { text, path, headers: response.headers(), status })
                }
                #[cfg(feature = "json")]
                _ => ErrorBody(Body::Json {
                    body: if fields.unread_body.is_some() { b"" } else { raw },
                    headers: response.headers(),
                    status,
                }),
            };
            E::from_response(&code, meta, &body).unwrap_or_else(|e| E::invalid_response(status_error(status, e)))
        }
        None => {
            let unread = fields.unread_body.map(|why| format!(" ({why})")).unwrap_or_default();
            E::invalid_response(status_error(
                status,
                DecodeError::new(
                    "",
                    format!("an error response (HTTP {status}) without an error code: none in {}{unread}", fields.looked_at),
                ),
            ))
        }
    }
}

/// Where the members an error carries besides its code and message are
/// read from, for [`OperationError::from_response`]: the error response, as
/// its protocol carries them. [`error_from`] makes one per error response.
///
/// - **AWS JSON 1.1, REST-JSON** (and Alibaba RPC): the members are those
///   of the body's JSON object, read as a response body is (unknown members
///   such as `__type`, `code` and `message` are skipped); a body that is
///   empty, or not a JSON object (whose code came from a header), has none.
///   REST-JSON members bound to headers, header-prefix maps and the status
///   code are read from there, as [`json_response`] reads a response's; a
///   header that is absent leaves the member absent.
/// - **EC2**: the members are the child elements of the first
///   `<Response><Errors><Error>`, read as a response structure is (`Code`
///   and `Message` are skipped as unknown elements).
/// - **AWS query**: the same, of `<ErrorResponse><Error>` (`Type`, `Code`
///   and `Message` skipped); **REST-XML** the same, or of S3's bare
///   `<Error>`, and its header- and status-bound members as REST-JSON's.
///
/// The decoders' rules hold as for a response: a member of the wrong type,
/// or a required member that is missing, is a [`DecodeError`] with the
/// member's path, and the error is the operation's `InvalidResponse`.
pub struct ErrorBody<'a>(Body<'a>);

enum Body<'a> {
    /// A JSON error body (empty when there is none to read), the headers
    /// and the status.
    #[cfg(feature = "json")]
    Json { body: &'a [u8], headers: &'a http::HeaderMap, status: u16 },
    /// An XML error document, and the path of the element holding the
    /// members (EC2: `Response`, `Errors`, `Error`; AWS query:
    /// `ErrorResponse`, `Error`).
    #[cfg(feature = "xml")]
    Xml(&'a str, &'static [&'static str]),
    /// A REST-XML error document, the path of its `Error`, and the headers
    /// and status its header- and status-bound members are read from.
    #[cfg(feature = "xml")]
    RestXml { text: &'a str, path: &'static [&'static str], headers: &'a http::HeaderMap, status: u16 },
    /// No body to read (a runtime built without the codecs).
    #[allow(dead_code)]
    None(std::marker::PhantomData<&'a ()>),
}

impl ErrorBody<'_> {
    /// The error's members, read under the rules of [`ErrorBody`].
    pub fn decode<T: super::schema::Shape + super::schema::Empty>(&self) -> Result<T, super::DecodeError> {
        match &self.0 {
            #[cfg(feature = "json")]
            Body::Json { body, headers, status } => {
                let body = if body.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { body };
                let mut value: T = super::json::decode(body)?;
                read_bound(&mut value, headers, *status)?;
                Ok(value)
            }
            #[cfg(feature = "xml")]
            Body::Xml(xml, path) => super::xml::decode_at(xml, path),
            #[cfg(feature = "xml")]
            Body::RestXml { text, path, headers, status } => {
                let mut value: T = super::xml::decode_at(text, path)?;
                read_bound(&mut value, headers, *status)?;
                Ok(value)
            }
            Body::None(_) => Ok(T::empty()),
        }
    }
}

/// What an error response says, and where its code was looked for.
#[cfg(any(feature = "json", feature = "xml"))]
struct ErrorFields {
    /// The first non-empty code, trimmed.
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    /// The places the code was looked for, for the message of a response without one.
    looked_at: &'static str,
    /// Why the body could not be read, if it could not.
    unread_body: Option<String>,
}

/// A code that is empty (or only whitespace) is no code: the next place is read.
#[cfg(any(feature = "json", feature = "xml"))]
fn non_empty(code: &str) -> Option<&str> {
    let code = code.trim();
    (!code.is_empty()).then_some(code)
}

/// The root element of an XML error body, or why it could not be read.
#[cfg(feature = "xml")]
fn xml_error_root(body: &[u8]) -> (Option<super::xml::Element>, Option<String>) {
    let parsed = std::str::from_utf8(body)
        .map_err(|e| format!("the body is not UTF-8: {e}"))
        .and_then(|t| super::xml::parse(t).map_err(|e| format!("the body is not an XML document: {e}")));
    match parsed {
        Ok(root) => (Some(root), None),
        Err(why) => (None, Some(why)),
    }
}

/// AWS query: `<ErrorResponse><Error><Code>`, its `<Message>`, and the
/// `<RequestId>` beside `<Error>`.
#[cfg(feature = "xml")]
fn aws_query_error_fields(body: &[u8]) -> ErrorFields {
    let (parsed, unread_body) = xml_error_root(body);
    let error = parsed.as_ref().and_then(|r| r.child("Error"));
    ErrorFields {
        code: error.and_then(|e| e.child("Code")).and_then(|c| non_empty(&c.text)).map(str::to_string),
        message: error.and_then(|e| e.child("Message")).map(|m| m.text.clone()),
        request_id: parsed.as_ref().and_then(|r| r.child("RequestId")).map(|r| r.text.trim().to_string()),
        looked_at: "`<ErrorResponse><Error><Code>`",
        unread_body,
    }
}

/// REST-XML: `<Error>` is the root (S3, its `<RequestId>` inside it) or
/// the child of the root (`<ErrorResponse>`, its `<RequestId>` beside it),
/// as botocore's `RestXMLParser._parse_error_from_body` reads both.
#[cfg(feature = "xml")]
fn rest_xml_error_fields(body: &[u8]) -> ErrorFields {
    let (parsed, unread_body) = if body.iter().all(u8::is_ascii_whitespace) { (None, None) } else { xml_error_root(body) };
    let error = parsed.as_ref().and_then(|r| if r.name == "Error" { Some(r) } else { r.child("Error") });
    let request_id = parsed.as_ref().and_then(|r| if r.name == "Error" { r.child("RequestId") } else { r.child("RequestId").or_else(|| r.child("Error").and_then(|e| e.child("RequestId"))) });
    ErrorFields {
        code: error.and_then(|e| e.child("Code")).and_then(|c| non_empty(&c.text)).map(str::to_string),
        message: error.and_then(|e| e.child("Message")).map(|m| m.text.clone()),
        request_id: request_id.map(|r| r.text.trim().to_string()),
        looked_at: "`<Error><Code>` and `<ErrorResponse><Error><Code>`",
        unread_body,
    }
}

/// EC2: `<Response><Errors><Error><Code>` and `<RequestID>` (or `<RequestId>`).
#[cfg(feature = "xml")]
fn ec2_error_fields(body: &[u8]) -> ErrorFields {
    let (parsed, unread_body) = xml_error_root(body);
    let error = parsed.as_ref().and_then(|r| r.child("Errors")).and_then(|e| e.child("Error"));
    ErrorFields {
        code: error.and_then(|e| e.child("Code")).and_then(|c| non_empty(&c.text)).map(str::to_string),
        message: error.and_then(|e| e.child("Message")).map(|m| m.text.clone()),
        request_id: parsed
            .as_ref()
            .and_then(|r| r.child("RequestID").or_else(|| r.child("RequestId")))
            .map(|r| r.text.trim().to_string()),
        looked_at: "`<Response><Errors><Error><Code>`",
        unread_body,
    }
}

/// The JSON error styles: the code from the places of the style, in order.
#[cfg(feature = "json")]
fn json_error_fields<B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> ErrorFields {
    let raw = response.body().as_ref();
    let (json, unread_body) = if raw.iter().all(u8::is_ascii_whitespace) {
        (None, None)
    } else {
        match super::json::parse(raw) {
            Ok(value) if value.is_object() => (Some(value), None),
            Ok(_) => (None, Some("the body is JSON but not an object".to_string())),
            Err(e) => (None, Some(format!("the body is not read: {}", e.message))),
        }
    };
    let json = json.as_ref();
    let header_code = || header(response, "x-amzn-errortype").map(sanitize_aws_code).and_then(non_empty);
    let body_code = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| string_field(json, &[name]).map(sanitize_aws_code).and_then(non_empty))
    };
    let (code, looked_at) = match style {
        ErrorStyle::AwsJson => (
            body_code(&["__type", "code"]).or_else(header_code),
            "the body's `__type` and `code` and the `x-amzn-ErrorType` header",
        ),
        ErrorStyle::RestJson => (
            header_code().or_else(|| body_code(&["code", "Code", "__type"])),
            "the `x-amzn-ErrorType` header and the body's `code`, `Code` and `__type`",
        ),
        ErrorStyle::Alibaba => (
            ["Code", "code"].iter().find_map(|n| string_field(json, &[n]).and_then(non_empty)),
            "the body's `Code` and `code`",
        ),
        #[cfg(feature = "xml")]
        ErrorStyle::Ec2 => return ec2_error_fields(raw),
        #[cfg(feature = "xml")]
        ErrorStyle::AwsQuery => return aws_query_error_fields(raw),
        #[cfg(feature = "xml")]
        ErrorStyle::RestXml => return rest_xml_error_fields(raw),
    };
    let (message, request_id) = match style {
        ErrorStyle::Alibaba => (
            string_field(json, &["Message", "message"]),
            string_field(json, &["RequestId", "requestId"]).map(str::to_string),
        ),
        _ => (
            string_field(json, &["message", "Message", "errorMessage"]),
            header(response, "x-amzn-requestid").map(str::to_string),
        ),
    };
    ErrorFields {
        code: code.map(str::to_string),
        message: message.map(str::to_string),
        request_id,
        looked_at,
        unread_body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_join_endpoint_and_path_and_report_bad_uris() {
        let request = request("PUT", "https://host.example/", "/Cancel", &[("x-a", "1")], b"{}".to_vec()).expect("builds");
        assert_eq!(request.method(), http::Method::PUT);
        assert_eq!(request.uri(), "https://host.example/Cancel");
        assert_eq!(request.headers()["x-a"], "1");
        assert_eq!(request.body(), b"{}");
        let err = super::request("POST", "not a uri", "/", &[], Vec::new()).expect_err("bad uri");
        assert!(err.message.starts_with("the endpoint `not a uri` is not a URI"), "{err}");
        assert!(err.to_string().starts_with("cannot build the request: "), "{err}");
        assert!(err.message.contains("such as `https://"), "says how to fix it: {err}");
    }

    fn refused(endpoint: &str) -> String {
        match join_endpoint(endpoint, "/Cancel") {
            Ok(uri) => panic!("{endpoint:?} was accepted as {uri}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn endpoint_rule_1_only_absolute_http_or_https_endpoints() {
        for (endpoint, why) in [
            ("", "the endpoint is empty"),
            ("  ", "the endpoint is empty"),
            ("host.example", "is relative"),
            ("/Cancel", "is relative"),
            ("ftp://host.example", "the scheme `ftp`"),
            ("file:///etc/passwd", "is not a URI"),
            ("https://", "is not a URI"),
            ("https://host example", "is not a URI"),
        ] {
            let message = refused(endpoint);
            assert!(message.contains(why), "{endpoint:?}: {message}");
        }
        for endpoint in ["https://host.example", "http://127.0.0.1:8080", "HTTPS://Host.Example", "https://[::1]:443"] {
            join_endpoint(endpoint, "/").unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        }
    }

    #[test]
    fn endpoint_rule_2_no_query_fragment_user_or_bad_port() {
        for (endpoint, why) in [
            ("https://host?x=1", "has a query"),
            ("https://host/?", "has a query"),
            ("https://host/base?x=1", "has a query"),
            ("https://host#top", "has a fragment"),
            ("https://host/#", "has a fragment"),
            ("https://user:secret@host", "user information"),
            ("https://host:99999", "the port `99999`"),
            ("https://host:", "the port ``"),
            ("https://:443", "no host"),
            ("https://host/a%zzb", "`%zz`"),
            ("https://host/a%", "`%`"),
        ] {
            let message = refused(endpoint);
            assert!(message.contains(why), "{endpoint:?}: {message}");
        }
    }

    #[test]
    fn endpoint_rule_3_a_base_path_is_kept_and_joined() {
        for (endpoint, path, uri) in [
            ("https://host", "/", "https://host/"),
            ("https://host/", "/", "https://host/"),
            ("https://host", "/Cancel", "https://host/Cancel"),
            ("https://host/", "/Cancel", "https://host/Cancel"),
            ("https://host/base", "/Cancel", "https://host/base/Cancel"),
            ("https://host/base/", "/Cancel", "https://host/base/Cancel"),
            ("https://host/base//", "/Cancel?list&a=b", "https://host/base/Cancel?list&a=b"),
            ("https://host/base", "/", "https://host/base"),
            ("https://host/base/", "/", "https://host/base/"),
            ("https://host/a%20b", "/x", "https://host/a%20b/x"),
            ("http://host:8080/proxy/fsx", "/", "http://host:8080/proxy/fsx"),
        ] {
            let built = request("POST", endpoint, path, &[], Vec::new()).unwrap_or_else(|e| panic!("{endpoint} {path}: {e}"));
            assert_eq!(built.uri().to_string(), uri, "{endpoint} + {path}");
        }
    }

    #[cfg(feature = "query")]
    #[test]
    fn form_requests_post_the_encoded_parameters() {
        let params = vec![("Action".to_string(), "Go".to_string()), ("Name".to_string(), "a b".to_string())];
        let request = form_request("https://ec2.example", &params).expect("builds");
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri(), "https://ec2.example/");
        assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded; charset=utf-8");
        assert_eq!(request.body(), b"Action=Go&Name=a%20b");
    }

    /// A stand-in for a generated error enum.
    #[cfg(any(feature = "json", feature = "xml"))]
    #[derive(Debug, PartialEq)]
    enum TestError {
        Coded(String, ErrorMetadata),
        Invalid(DecodeError),
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    impl OperationError for TestError {
        fn from_code(code: &str, meta: ErrorMetadata) -> Self {
            TestError::Coded(code.to_string(), meta)
        }
        fn invalid_response(error: DecodeError) -> Self {
            TestError::Invalid(error)
        }
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
        let mut builder = http::Response::builder().status(status);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(body.as_bytes().to_vec()).expect("a response")
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    fn coded(code: &str, message: Option<&str>, request_id: Option<&str>, status: u16) -> TestError {
        let meta = ErrorMetadata {
            message: message.map(str::to_string),
            request_id: request_id.map(str::to_string),
            http_status: Some(status),
        };
        TestError::Coded(code.to_string(), meta)
    }

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Out { id: Option<String> = ("Id", "Id", crate::schema::Kind::String, false) });

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Labelled {
        name: String = ("Name", "Name", crate::schema::Kind::String, true),
        key: String = ("Key", "Key", crate::schema::Kind::String, true),
        max: Option<i32> = ("maxResults", "maxResults", crate::schema::Kind::Integer, false),
        tags: Vec<String> = ("tag", "tag", crate::schema::Kind::List(&crate::schema::ListSchema { item: crate::schema::Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        token: Option<String> = ("x-token", "x-token", crate::schema::Kind::String, false),
        body: Option<String> = ("Body", "Body", crate::schema::Kind::String, false),
    });

    /// `$name` is `$inner` with each member at the given location, where a
    /// REST request (or response) carries it.
    #[cfg(feature = "json")]
    macro_rules! relocated {
        ($name:ident($inner:ty) = [$($location:ident),* $(,)?]) => {
            #[derive(Debug, PartialEq)]
            struct $name($inner);

            impl crate::schema::Shape for $name {
                fn schema() -> &'static crate::schema::StructSchema {
                    static MEMBERS: std::sync::OnceLock<Vec<crate::schema::MemberSchema>> = std::sync::OnceLock::new();
                    static SCHEMA: std::sync::OnceLock<crate::schema::StructSchema> = std::sync::OnceLock::new();
                    SCHEMA.get_or_init(|| {
                        let base = <$inner as crate::schema::Shape>::schema().members;
                        let locations = [$(crate::schema::Location::$location),*];
                        let members = MEMBERS.get_or_init(|| {
                            base.iter().zip(locations).map(|(m, location)| crate::schema::MemberSchema { location, ..*m }).collect()
                        });
                        crate::schema::StructSchema { name: stringify!($name), members }
                    })
                }
                fn dyn_schema(&self) -> &'static crate::schema::StructSchema {
                    Self::schema()
                }
                fn field(&self, index: usize) -> crate::schema::Ref<'_> {
                    self.0.field(index)
                }
                fn field_mut(&mut self, index: usize) -> Option<crate::schema::Slot<'_>> {
                    self.0.field_mut(index)
                }
            }

            impl crate::schema::Empty for $name {
                fn empty() -> Self {
                    $name(<$inner as crate::schema::Empty>::empty())
                }
            }
        };
    }

    #[cfg(feature = "json")]
    relocated!(Rest(Labelled) = [Uri, Uri, Query, Query, Header, Body]);

    #[cfg(feature = "json")]
    #[test]
    fn rest_requests_put_members_in_the_path_query_headers_and_body() {
        let value = Rest(Labelled {
            name: "a b".into(),
            key: "dir/file".into(),
            max: Some(5),
            tags: vec!["x".into(), "y&z".into()],
            token: Some("t".into()),
            body: None,
        });
        let request = json_request("GET", "https://h.example", "/things/{Name}/{Key+}?list", &[("content-type", "application/json")], &value)
            .expect("builds");
        assert_eq!(request.uri(), "https://h.example/things/a%20b/dir/file?list&maxResults=5&tag=x&tag=y%26z");
        assert_eq!(request.headers()["x-token"], "t");
        assert_eq!(request.body(), b"{}", "a body member, though absent, makes the body an empty object");
        let bare = json_request("GET", "https://h.example", "/x", &[("content-type", "application/json")], &Out { id: None }).expect("builds");
        assert_eq!(bare.body(), b"{}");
    }

    #[cfg(feature = "json")]
    crate::schema::test_shape!(NoMembers {});

    #[cfg(feature = "json")]
    #[test]
    fn aws_json_requests_always_carry_a_json_document() {
        let headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", "Svc.Op")];
        for (value, body) in [(&NoMembers {} as &dyn crate::schema::Shape, "{}"), (&Out { id: None }, "{}"), (&Out { id: Some("a".into()) }, r#"{"Id":"a"}"#)] {
            let request = aws_json_request("POST", "https://h.example", "/", &headers, value).expect("builds");
            assert_eq!(request.body(), body.as_bytes());
            assert_eq!(request.headers()["content-type"], "application/x-amz-json-1.1", "{body}");
            assert_eq!(request.headers()["x-amz-target"], "Svc.Op");
        }
    }

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Headed {
        text: Option<String> = ("X-Text", "X-Text", crate::schema::Kind::String, false),
        list: Option<Vec<String>> = ("X-List", "X-List", crate::schema::Kind::List(&crate::schema::ListSchema { item: crate::schema::Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        flag: Option<bool> = ("X-Flag", "X-Flag", crate::schema::Kind::Boolean, false),
        single: Option<f32> = ("X-Float", "X-Float", crate::schema::Kind::Float, false),
        blob: Option<Vec<u8>> = ("X-Blob", "X-Blob", crate::schema::Kind::Blob, false),
        when: Option<time::OffsetDateTime> = ("X-When", "X-When", crate::schema::Kind::HttpDate, false),
        times: Option<Vec<time::OffsetDateTime>> = ("X-Times", "X-Times", crate::schema::Kind::List(&crate::schema::ListSchema { item: crate::schema::Kind::HttpDate, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false }), false),
        json: Option<String> = ("X-Json", "X-Json", crate::schema::Kind::String, false),
        prefixed: Option<std::collections::BTreeMap<String, String>> = ("x-meta-", "x-meta-", crate::schema::Kind::Map(&crate::schema::Kind::String), false),
        status: Option<i32> = ("Status", "Status", crate::schema::Kind::Integer, false),
        id: Option<String> = ("Id", "Id", crate::schema::Kind::String, false),
    });

    #[cfg(feature = "json")]
    relocated!(HeadedRest(Headed) = [Header, Header, Header, Header, Header, Header, Header, JsonHeader, HeaderPrefix, StatusCode, Body]);

    #[cfg(feature = "json")]
    use crate::schema::Empty as _;

    #[cfg(feature = "json")]
    fn headed() -> Headed {
        let when = time::OffsetDateTime::from_unix_timestamp(1576540098).expect("a time");
        Headed {
            text: Some(String::new()),
            list: Some(vec!["a".into(), "b,c".into(), "\"d\"".into()]),
            flag: Some(false),
            single: Some(1.1),
            blob: Some(b"hi".to_vec()),
            when: Some(when),
            times: Some(vec![when, when]),
            json: Some("true".into()),
            prefixed: Some([("abc".to_string(), "Abc".to_string())].into_iter().collect()),
            status: None,
            id: None,
        }
    }

    #[cfg(feature = "json")]
    #[test]
    fn rest_headers_carry_each_kind_and_lists_and_prefix_maps() {
        let request = json_request("POST", "https://h.example", "/", &[("content-type", "application/json")], &HeadedRest(headed())).expect("builds");
        let h = request.headers();
        assert_eq!(h["x-text"], "", "an empty string is sent");
        assert_eq!(h["x-list"], r#"a, "b,c", "\"d\"""#, "items with a comma or a quote are quoted");
        assert_eq!(h["x-flag"], "false");
        assert_eq!(h["x-float"], "1.1");
        assert_eq!(h["x-blob"], "aGk=");
        assert_eq!(h["x-when"], "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(h["x-times"], "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(h["x-json"], "dHJ1ZQ==", "JSON text as base64");
        assert_eq!(h["x-meta-abc"], "Abc");
        assert!(!h.contains_key("status"), "a status-code member is not sent");
        assert_eq!(request.body(), b"{}", "the body member makes a JSON body");
        for (bad, why) in [
            (Headed { text: Some("a\r\nX-Injected: 1".into()), ..Headed::empty() }, "the value of the header `X-Text` holds a character"),
            (Headed { prefixed: Some([("a b".to_string(), "v".to_string())].into_iter().collect()), ..Headed::empty() }, "`x-meta-a b` is not a header name"),
        ] {
            let err = json_request("POST", "https://h.example", "/", &[], &HeadedRest(bad)).expect_err(why);
            assert!(err.to_string().contains(why), "{err}");
            assert!(!err.to_string().contains("Injected"), "the value is not quoted: {err}");
        }
        let empty_list = HeadedRest(Headed { list: Some(Vec::new()), ..Headed::empty() });
        let request = json_request("POST", "https://h.example", "/", &[], &empty_list).expect("builds");
        assert_eq!(request.headers()["x-list"], "", "an empty list is an empty header");
        assert_eq!(request.headers().len(), 1, "absent members are not sent: {:?}", request.headers());
    }

    #[cfg(feature = "json")]
    #[test]
    fn rest_responses_read_headers_prefix_maps_and_the_status() {
        let mut sent = headed();
        sent.single = Some(1.5);
        let request = json_request("POST", "https://h.example", "/", &[], &HeadedRest(sent.clone())).expect("builds");
        let mut builder = http::Response::builder().status(201);
        for (k, v) in request.headers() {
            builder = builder.header(k, v);
        }
        let answer = builder.header("x-other", "no").body(br#"{"Id":"x","X-Text":"not read from the body"}"#.to_vec()).expect("a response");
        let HeadedRest(got) = json_response::<HeadedRest, TestError, _>(&answer, ErrorStyle::RestJson).expect("reads");
        assert_eq!(got, Headed { status: Some(201), id: Some("x".into()), ..sent }, "what was sent reads back");
        let bare = json_response::<HeadedRest, TestError, _>(&response(200, &[], ""), ErrorStyle::RestJson).expect("reads");
        assert_eq!(
            bare.0,
            Headed { status: Some(200), prefixed: Some(Default::default()), ..Headed::empty() },
            "missing headers are absent members; a prefix map is empty"
        );
        let bad = json_response::<HeadedRest, TestError, _>(&response(200, &[("X-Flag", "yes")], ""), ErrorStyle::RestJson).expect_err("not a boolean");
        assert!(matches!(&bad, TestError::Invalid(e) if e.path == "X-Flag"), "{bad:?}");
        let bad = json_response::<HeadedRest, TestError, _>(&response(200, &[("X-When", "2019-12-16T23:48:18Z")], ""), ErrorStyle::RestJson).expect_err("not an HTTP date");
        assert!(matches!(&bad, TestError::Invalid(e) if e.path == "X-When"), "{bad:?}");
    }

    #[cfg(feature = "json")]
    #[test]
    fn header_lists_split_outside_quotes_and_http_dates_at_every_other_comma() {
        assert_eq!(split_header_list(r#"a, "b,c", "\"d\"" ,e"#, false), ["a", "b,c", "\"d\"", "e"]);
        assert_eq!(split_header_list(" a ,b", false), ["a", "b"]);
        assert_eq!(split_header_list("a,,b", false), ["a", "", "b"]);
        assert!(split_header_list(" ", false).is_empty());
        assert_eq!(
            split_header_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true),
            ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]
        );
    }

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Queried {
        named: Option<String> = ("bar", "bar", crate::schema::Kind::String, false),
        map: Option<std::collections::BTreeMap<String, Vec<String>>> = ("map", "map", crate::schema::Kind::Map(&crate::schema::Kind::List(&crate::schema::ListSchema { item: crate::schema::Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE, flattened: false })), false),
        at: Option<time::OffsetDateTime> = ("at", "at", crate::schema::Kind::DateTime, false),
    });

    #[cfg(feature = "json")]
    relocated!(QueriedRest(Queried) = [Query, Query, Uri]);

    #[cfg(feature = "json")]
    #[test]
    fn query_maps_give_a_parameter_per_entry_and_named_members_win() {
        let map = [("bar".to_string(), vec!["fromMap".to_string()]), ("qux".to_string(), vec!["a".to_string(), "b c".to_string()])].into_iter().collect();
        let at = time::OffsetDateTime::from_unix_timestamp(1576540098).ok();
        let value = QueriedRest(Queried { named: Some("named".into()), map: Some(map), at });
        let request = json_request("GET", "https://h.example", "/x/{at}", &[("content-type", "application/json")], &value).expect("builds");
        assert_eq!(request.uri(), "https://h.example/x/2019-12-16T23%3A48%3A18Z?bar=named&qux=a&qux=b%20c");
        assert!(request.body().is_empty() && !request.headers().contains_key("content-type"), "no body member, no body");
    }

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Nested { greeting: Option<String> = ("greeting", "greeting", crate::schema::Kind::String, false) });

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Carried {
        blob: Option<Vec<u8>> = ("blob", "blob", crate::schema::Kind::Blob, false),
        text: Option<String> = ("text", "text", crate::schema::Kind::String, false),
        nested: Option<Nested> = ("nested", "nested", crate::schema::Kind::Struct(<Nested as crate::schema::Shape>::schema), false),
        kind: Option<String> = ("Content-Type", "Content-Type", crate::schema::Kind::String, false),
    });

    #[cfg(feature = "json")]
    relocated!(BlobPayload(Carried) = [Payload, Body, Body, Header]);
    #[cfg(feature = "json")]
    relocated!(TextPayload(Carried) = [Body, Payload, Body, Header]);
    #[cfg(feature = "json")]
    relocated!(StructPayload(Carried) = [Body, Body, Payload, Header]);

    #[cfg(feature = "json")]
    crate::schema::test_shape!(Doc { doc: Option<crate::Document> = ("doc", "doc", crate::schema::Kind::Document, false) });

    #[cfg(feature = "json")]
    relocated!(DocPayload(Doc) = [Payload]);

    #[cfg(feature = "json")]
    #[test]
    fn a_document_payload_is_the_whole_body_as_any_json_value() {
        let json = [("content-type", "application/json")];
        for (doc, body) in [(crate::Document::String("hello".into()), r#""hello""#), (crate::Document::Object([("foo".to_string(), crate::Document::String("bar".into()))].into_iter().collect()), r#"{"foo":"bar"}"#)] {
            let request = json_request("PUT", "https://h.example", "/", &json, &DocPayload(Doc { doc: Some(doc.clone()) })).expect("builds");
            assert_eq!(String::from_utf8_lossy(request.body()), body);
            assert_eq!(request.headers()["content-type"], "application/json");
            let DocPayload(read) = json_response::<_, TestError, _>(&response(200, &[], body), ErrorStyle::RestJson).expect("reads");
            assert_eq!(read.doc, Some(doc), "{body}");
        }
        let absent = json_request("PUT", "https://h.example", "/", &json, &DocPayload(Doc { doc: None })).expect("builds");
        assert!(absent.body().is_empty(), "an absent document payload is no body");
    }

    #[cfg(feature = "json")]
    #[test]
    fn payload_members_are_the_whole_body_both_ways() {
        let json = [("content-type", "application/json")];
        let build = |value: &dyn crate::schema::Shape| json_request("POST", "https://h.example", "/", &json, value).expect("builds");
        let parts = |r: &http::Request<Vec<u8>>| (String::from_utf8_lossy(r.body()).into_owned(), r.headers().get("content-type").map(|v| v.to_str().unwrap_or("?").to_string()));
        let carried = Carried { blob: Some(b"raw \x01".to_vec()), text: Some("words".into()), nested: Some(Nested { greeting: Some("hi".into()) }), kind: None };
        assert_eq!(parts(&build(&BlobPayload(carried.clone()))), ("raw \x01".into(), Some("application/octet-stream".into())));
        assert_eq!(parts(&build(&TextPayload(carried.clone()))), ("words".into(), Some("text/plain".into())));
        assert_eq!(parts(&build(&StructPayload(carried.clone()))), (r#"{"greeting":"hi"}"#.into(), Some("application/json".into())));
        assert_eq!(parts(&build(&BlobPayload(Carried::empty()))), (String::new(), None), "an absent blob payload is no body");
        assert_eq!(parts(&build(&StructPayload(Carried::empty()))), ("{}".into(), Some("application/json".into())), "an absent structure payload is {{}}");
        let typed = BlobPayload(Carried { kind: Some("image/jpg".into()), ..carried.clone() });
        let built = build(&typed);
        assert_eq!(built.headers().get_all("content-type").iter().collect::<Vec<_>>(), ["image/jpg"], "a Content-Type member replaces the protocol's");

        let read = |body: &str| response(200, &[], body);
        let BlobPayload(got) = json_response::<_, TestError, _>(&read("raw"), ErrorStyle::RestJson).expect("reads");
        assert_eq!(got, Carried { blob: Some(b"raw".to_vec()), ..Carried::empty() });
        let TextPayload(got) = json_response::<_, TestError, _>(&read(r#"{"text":"x"}"#), ErrorStyle::RestJson).expect("reads");
        assert_eq!(got.text.as_deref(), Some(r#"{"text":"x"}"#), "a string payload is the raw text");
        let StructPayload(got) = json_response::<_, TestError, _>(&read(r#"{"greeting":"hello"}"#), ErrorStyle::RestJson).expect("reads");
        assert_eq!(got.nested, Some(Nested { greeting: Some("hello".into()) }));
        let StructPayload(got) = json_response::<_, TestError, _>(&read(""), ErrorStyle::RestJson).expect("reads");
        assert_eq!(got, Carried::empty(), "an empty body leaves the payload absent");
        let bad = json_response::<StructPayload, TestError, _>(&read("[]"), ErrorStyle::RestJson).expect_err("not an object");
        assert!(matches!(&bad, TestError::Invalid(e) if e.path == "nested"), "{bad:?}");
    }

    #[test]
    fn host_prefixes_go_before_the_host_with_checked_labels() {
        assert_eq!(host_prefixed("https://example.com", "foo.", &[]).expect("expands"), "https://foo.example.com");
        assert_eq!(host_prefixed("https://example.com/base", "foo.{label}.", &[("label", "bar")]).expect("expands"), "https://foo.bar.example.com/base");
        for (prefix, labels, why) in [
            ("{label}.", &[("label", "a/b")][..], "letters, digits"),
            ("{label}.", &[("label", "")][..], "letters, digits"),
            ("{other}.", &[("label", "a")][..], "does not give"),
            ("{label.", &[("label", "a")][..], "unclosed"),
        ] {
            let err = host_prefixed("https://example.com", prefix, labels).expect_err(prefix);
            assert!(err.to_string().contains(why), "{prefix}: {err}");
        }
    }


    #[cfg(feature = "json")]
    #[test]
    fn json_responses_decode_with_a_field_path_on_error() {
        let ok: Out = json_response::<_, TestError, _>(&response(200, &[], r#"{"Id":"x","New":1}"#), ErrorStyle::AwsJson).expect("ok");
        assert_eq!(ok, Out { id: Some("x".into()) });
        let empty: Out = json_response::<_, TestError, _>(&response(200, &[], " \n"), ErrorStyle::AwsJson).expect("empty body");
        assert_eq!(empty, Out { id: None });
        let bad = json_response::<Out, TestError, _>(&response(201, &[], r#"{"Id":7}"#), ErrorStyle::RestJson).expect_err("bad");
        let TestError::Invalid(e) = bad else { panic!("{bad:?}") };
        assert_eq!((e.path.as_str(), e.http_status), ("Id", Some(201)));
        assert!(e.to_string().starts_with("invalid response at `Id`: "), "{e}");
        let trailing = json_response::<Out, TestError, _>(&response(200, &[], "{} []"), ErrorStyle::AwsJson).expect_err("trailing");
        assert!(matches!(trailing, TestError::Invalid(DecodeError { http_status: Some(200), .. })), "{trailing:?}");
    }

    #[cfg(feature = "json")]
    #[test]
    fn aws_json_codes_come_from_type_then_code_then_the_header() {
        let style = ErrorStyle::AwsJson;
        let body = r#"{"__type":"com.amazonaws.fsx#TaskEnded","code":"Second","message":"ended"}"#;
        let headers = [("x-amzn-ErrorType", "Third"), ("x-amzn-RequestId", "r-1")];
        let err: TestError = error_from(&response(400, &headers, body), style);
        assert_eq!(err, coded("TaskEnded", Some("ended"), Some("r-1"), 400));
        let code: TestError = error_from(&response(400, &headers, r#"{"code":"Second"}"#), style);
        assert_eq!(code, coded("Second", None, Some("r-1"), 400));
        let from_header: TestError = error_from(&response(500, &headers, "{}"), style);
        assert_eq!(from_header, coded("Third", None, Some("r-1"), 500));
        // The issue's reproducer: an empty body code does not hide the header's.
        let headers = [("x-amzn-errortype", "DataRepositoryTaskEnded")];
        for body in [r#"{"__type":""}"#, r#"{"__type":"  ","code":""}"#, r#"{"__type":"com.amazonaws.fsx#"}"#, r#"{"__type":7}"#, "<html/>", ""] {
            let err: TestError = error_from(&response(400, &headers, body), style);
            assert_eq!(err, coded("DataRepositoryTaskEnded", None, None, 400), "{body:?}");
        }
    }

    #[cfg(feature = "json")]
    #[test]
    fn rest_json_codes_come_from_the_header_then_code_then_type() {
        let style = ErrorStyle::RestJson;
        let headers = [("x-amzn-ErrorType", "InUse:http://internal.amazon.com/coral/com.amazon/")];
        let body = r#"{"__type":"Last","Code":"Third","code":"BodyCode","Message":"busy"}"#;
        let err: TestError = error_from(&response(409, &headers, body), style);
        assert_eq!(err, coded("InUse", Some("busy"), None, 409));
        let body_only: TestError = error_from(&response(429, &[], body), style);
        assert_eq!(body_only, coded("BodyCode", Some("busy"), None, 429));
        let capital: TestError = error_from(&response(429, &[], r#"{"__type":"Last","Code":"Third"}"#), style);
        assert_eq!(capital, coded("Third", None, None, 429));
        let last: TestError = error_from(&response(429, &[("x-amzn-ErrorType", " ")], r#"{"__type":"a#Last","code":""}"#), style);
        assert_eq!(last, coded("Last", None, None, 429), "an empty header and an empty `code` are passed over");
    }

    #[cfg(feature = "json")]
    #[test]
    fn alibaba_errors_read_code_message_and_request_id_from_the_body() {
        let body = r#"{"RequestId":"R-9","Code":"InvalidStatus.CancelFailed","Message":"no","__type":"ignored"}"#;
        let headers = [("x-amzn-RequestId", "ignored"), ("x-amzn-ErrorType", "ignored")];
        let err: TestError = error_from(&response(403, &headers, body), ErrorStyle::Alibaba);
        assert_eq!(err, coded("InvalidStatus.CancelFailed", Some("no"), Some("R-9"), 403));
        let lower = r#"{"requestId":"R-8","Code":"","code":"Throttling","message":"slow"}"#;
        let err: TestError = error_from(&response(503, &headers, lower), ErrorStyle::Alibaba);
        assert_eq!(err, coded("Throttling", Some("slow"), Some("R-8"), 503));
    }

    #[cfg(feature = "xml")]
    #[test]
    fn ec2_errors_read_the_errors_document() {
        let body = "<Response><Errors><Error><Code> InvalidID.NotFound </Code><Message>gone</Message></Error></Errors><RequestID> r-2 </RequestID></Response>";
        let err: TestError = error_from(&response(400, &[], body), ErrorStyle::Ec2);
        assert_eq!(err, coded("InvalidID.NotFound", Some("gone"), Some("r-2"), 400));
        let older = "<Response><Errors><Error><Code>X</Code></Error></Errors><RequestId>r-3</RequestId></Response>";
        assert_eq!(error_from::<TestError, _>(&response(503, &[], older), ErrorStyle::Ec2), coded("X", None, Some("r-3"), 503));
        let spliced = "<Response><Errors><Error><Code>X</Code></Error></Errors></Response><Response/>";
        let err: TestError = error_from(&response(400, &[], spliced), ErrorStyle::Ec2);
        let TestError::Invalid(e) = &err else { panic!("a spliced body has no code: {err:?}") };
        assert!(e.message.contains("not an XML document"), "{e}");
    }

    #[cfg(feature = "xml")]
    #[test]
    fn aws_query_errors_read_the_error_response_document() {
        let body = "<ErrorResponse>\n <Error>\n  <Type>Sender</Type>\n  <Code> InvalidGreeting </Code>\n  <Message>Hi</Message>\n </Error>\n <RequestId> foo-id </RequestId>\n</ErrorResponse>";
        let err: TestError = error_from(&response(400, &[], body), ErrorStyle::AwsQuery);
        assert_eq!(err, coded("InvalidGreeting", Some("Hi"), Some("foo-id"), 400));
        // EC2's `<Errors>` document is not AWS query's.
        let ec2 = "<Response><Errors><Error><Code>X</Code></Error></Errors></Response>";
        let TestError::Invalid(e) = error_from::<TestError, _>(&response(400, &[], ec2), ErrorStyle::AwsQuery) else { panic!("no code") };
        assert!(e.message.contains("`<ErrorResponse><Error><Code>`"), "{e}");
    }

    #[cfg(feature = "xml")]
    #[test]
    fn aws_query_responses_decode_the_result_element_or_the_error() {
        crate::schema::test_shape!(Out {
            foo: Option<String> = ("foo", "foo", crate::schema::Kind::String, false),
        });
        let ok = "<OpResponse><OpResult><foo>bar</foo></OpResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></OpResponse>";
        let out: Result<Out, TestError> = aws_query_response(&response(200, &[], ok), "OpResponse", "OpResult");
        assert_eq!(out.expect("decodes").foo.as_deref(), Some("bar"));
        // An empty body is a value with every member absent.
        let out: Result<Out, TestError> = aws_query_response(&response(200, &[], " \n"), "OpResponse", "OpResult");
        assert_eq!(out.expect("decodes").foo, None);
        let failed = "<ErrorResponse><Error><Code>Throttling</Code></Error><RequestId>r</RequestId></ErrorResponse>";
        let out: Result<Out, TestError> = aws_query_response(&response(400, &[], failed), "OpResponse", "OpResult");
        assert_eq!(out.expect_err("an error"), coded("Throttling", None, Some("r"), 400));
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    #[test]
    fn an_empty_code_is_no_code_in_every_protocol() {
        type Headers = &'static [(&'static str, &'static str)];
        let mut cases: Vec<(ErrorStyle, Headers, &str)> = Vec::new();
        #[cfg(feature = "json")]
        for style in [ErrorStyle::AwsJson, ErrorStyle::RestJson] {
            for body in ["", "<html>oops</html>", "[]", r#"{"__type":""}"#, r#"{"code":" ","Code":"","__type":"\t"}"#, r#"{"__type":"a#b","__type":"c"}"#] {
                cases.push((style, &[], body));
                cases.push((style, &[("x-amzn-ErrorType", "")], body));
            }
        }
        #[cfg(feature = "json")]
        for body in ["", r#"{"Code":""}"#, r#"{"Code":"","code":" "}"#, r#"{"Code":null}"#] {
            cases.push((ErrorStyle::Alibaba, &[], body));
        }
        #[cfg(feature = "xml")]
        for body in ["", "<Response><Errors/></Response>", "<Response><Errors><Error><Code/></Error></Errors></Response>", "<Response><Errors><Error><Code>\n </Code></Error></Errors></Response>"] {
            cases.push((ErrorStyle::Ec2, &[], body));
        }
        #[cfg(feature = "xml")]
        for body in ["", "<ErrorResponse/>", "<ErrorResponse><Error><Code/></Error></ErrorResponse>", "<ErrorResponse><Error><Code> </Code></Error></ErrorResponse>"] {
            cases.push((ErrorStyle::AwsQuery, &[], body));
        }
        for (style, headers, body) in cases {
            let err: TestError = error_from(&response(502, headers, body), style);
            let TestError::Invalid(e) = &err else { panic!("{style:?} {body:?}: {err:?}") };
            assert_eq!(e.http_status, Some(502));
            assert!(e.message.contains("without an error code: none in "), "{e}");
        }
        #[cfg(feature = "json")]
        {
            let err: TestError = error_from(&response(400, &[], r#"{"__type":"a","__type":"b"}"#), ErrorStyle::AwsJson);
            let TestError::Invalid(e) = &err else { panic!("{err:?}") };
            assert!(e.message.contains("appears twice"), "says why the body was not read: {e}");
        }
    }

    // Errors with members of their own (botocore's `ComplexError`), as the
    // generator emits them: the variant holds the metadata and a structure.

    #[cfg(any(feature = "json", feature = "xml"))]
    crate::schema::test_shape!(ErrorNested { foo: Option<String> = ("Fooooo", "Fooooo", crate::schema::Kind::String, false) });

    #[cfg(any(feature = "json", feature = "xml"))]
    crate::schema::test_shape!(Complex {
        header: Option<String> = ("X-Header", "X-Header", crate::schema::Kind::String, false),
        top: Option<String> = ("TopLevel", "TopLevel", crate::schema::Kind::String, false),
        nested: Option<ErrorNested> = ("Nested", "Nested", crate::schema::Kind::Struct(<ErrorNested as crate::schema::Shape>::schema), false),
        count: Option<i32> = ("X-Count", "X-Count", crate::schema::Kind::Integer, false),
    });

    /// `Complex` as REST-JSON binds it: `X-Header` and `X-Count` in headers.
    #[cfg(feature = "json")]
    #[derive(Debug, Clone, PartialEq)]
    struct ComplexRest(Complex);

    #[cfg(feature = "json")]
    impl crate::schema::Shape for ComplexRest {
        fn schema() -> &'static crate::schema::StructSchema {
            use crate::schema::{Location, MemberSchema, StructSchema};
            static MEMBERS: std::sync::OnceLock<Vec<MemberSchema>> = std::sync::OnceLock::new();
            static STRUCT: std::sync::OnceLock<StructSchema> = std::sync::OnceLock::new();
            STRUCT.get_or_init(|| {
                let members = MEMBERS.get_or_init(|| {
                    <Complex as crate::schema::Shape>::schema()
                        .members
                        .iter()
                        .map(|m| MemberSchema { location: if m.wire.starts_with("X-") { Location::Header } else { Location::Body }, ..*m })
                        .collect()
                });
                StructSchema { name: "ComplexRest", members }
            })
        }
        fn dyn_schema(&self) -> &'static crate::schema::StructSchema {
            Self::schema()
        }
        fn field(&self, index: usize) -> crate::schema::Ref<'_> {
            self.0.field(index)
        }
        fn field_mut(&mut self, index: usize) -> Option<crate::schema::Slot<'_>> {
            self.0.field_mut(index)
        }
    }

    #[cfg(feature = "json")]
    impl crate::schema::Empty for ComplexRest {
        fn empty() -> Self {
            ComplexRest(<Complex as crate::schema::Empty>::empty())
        }
    }

    /// A stand-in for a generated error enum with a `ComplexError` of its
    /// own members, `D` (`Complex`, or `ComplexRest` for REST-JSON).
    #[cfg(any(feature = "json", feature = "xml"))]
    #[derive(Debug, PartialEq)]
    enum Detailed<D> {
        ComplexError(ErrorMetadata, D),
        Coded(String, ErrorMetadata),
        Invalid(DecodeError),
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    impl<D: crate::schema::Shape + crate::schema::Empty> OperationError for Detailed<D> {
        fn from_code(code: &str, meta: ErrorMetadata) -> Self {
            match code {
                "ComplexError" => Detailed::ComplexError(meta, D::empty()),
                _ => Detailed::Coded(code.to_string(), meta),
            }
        }
        fn invalid_response(error: DecodeError) -> Self {
            Detailed::Invalid(error)
        }
        fn from_response(code: &str, meta: ErrorMetadata, body: &ErrorBody<'_>) -> Result<Self, DecodeError> {
            Ok(match code {
                "ComplexError" => Detailed::ComplexError(meta, body.decode()?),
                _ => Self::from_code(code, meta),
            })
        }
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    fn complex(top: Option<&str>, foo: Option<&str>) -> Complex {
        Complex { header: None, top: top.map(str::to_string), nested: foo.map(|f| ErrorNested { foo: Some(f.to_string()) }), count: None }
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    fn meta(message: Option<&str>, request_id: Option<&str>, status: u16) -> ErrorMetadata {
        ErrorMetadata { message: message.map(str::to_string), request_id: request_id.map(str::to_string), http_status: Some(status) }
    }

    #[cfg(feature = "json")]
    #[test]
    fn aws_json_error_members_are_the_body_members_besides_the_message() {
        use crate::schema::Empty as _;
        let body = r#"{"__type":"aws.protocoltests#ComplexError","message":"Hi","TopLevel":"Top level","Nested":{"Fooooo":"bar"},"Future":[1]}"#;
        let err: Detailed<Complex> = error_from(&response(400, &[("x-amzn-RequestId", "r")], body), ErrorStyle::AwsJson);
        assert_eq!(err, Detailed::ComplexError(meta(Some("Hi"), Some("r"), 400), complex(Some("Top level"), Some("bar"))));
        let empty: Detailed<Complex> = error_from(&response(400, &[], r#"{"__type":"ComplexError"}"#), ErrorStyle::AwsJson);
        assert_eq!(empty, Detailed::ComplexError(meta(None, None, 400), Complex::empty()), "no members, none set");
        let other: Detailed<Complex> = error_from(&response(400, &[], r#"{"__type":"Other","TopLevel":7}"#), ErrorStyle::AwsJson);
        assert_eq!(other, Detailed::Coded("Other".into(), meta(None, None, 400)), "another code reads no members");
        let bad: Detailed<Complex> = error_from(&response(400, &[], r#"{"__type":"ComplexError","Nested":{"Fooooo":1}}"#), ErrorStyle::AwsJson);
        let Detailed::Invalid(e) = bad else { panic!("a member of the wrong type: {bad:?}") };
        assert_eq!((e.path.as_str(), e.http_status), ("Nested.Fooooo", Some(400)));
        // A code from the header, with a body that is not JSON: the code is kept, no member is set.
        let html: Detailed<Complex> = error_from(&response(503, &[("x-amzn-ErrorType", "ComplexError")], "<html/>"), ErrorStyle::AwsJson);
        assert_eq!(html, Detailed::ComplexError(meta(None, None, 503), Complex::empty()));
    }

    #[cfg(feature = "json")]
    #[test]
    fn rest_json_error_members_come_from_the_body_and_their_headers() {
        use crate::schema::Empty as _;
        let headers = [("X-Amzn-Errortype", "ComplexError"), ("X-Header", "Header"), ("X-Count", "3")];
        let body = r#"{"TopLevel":"Top level","Nested":{"Fooooo":"bar"}}"#;
        let err: Detailed<ComplexRest> = error_from(&response(403, &headers, body), ErrorStyle::RestJson);
        let expected = Complex { header: Some("Header".into()), count: Some(3), ..complex(Some("Top level"), Some("bar")) };
        assert_eq!(err, Detailed::ComplexError(meta(None, None, 403), ComplexRest(expected)));
        let bare: Detailed<ComplexRest> = error_from(&response(403, &headers[..1], "{}"), ErrorStyle::RestJson);
        assert_eq!(bare, Detailed::ComplexError(meta(None, None, 403), ComplexRest::empty()), "absent headers, absent members");
        let no_body: Detailed<ComplexRest> = error_from(&response(403, &headers[..2], ""), ErrorStyle::RestJson);
        let Detailed::ComplexError(_, ComplexRest(got)) = no_body else { panic!("{no_body:?}") };
        assert_eq!(got, Complex { header: Some("Header".into()), ..Complex::empty() }, "an empty body has no members, the header still counts");
        let bad: Detailed<ComplexRest> = error_from(&response(403, &[headers[0], ("X-Count", "three")], "{}"), ErrorStyle::RestJson);
        let Detailed::Invalid(e) = bad else { panic!("a header of the wrong type: {bad:?}") };
        assert_eq!((e.path.as_str(), e.http_status), ("X-Count", Some(403)));
        assert!(e.message.contains("`three`"), "{e}");
    }

    #[cfg(feature = "xml")]
    #[test]
    fn ec2_error_members_are_the_elements_of_the_error() {
        use crate::schema::Empty as _;
        let body = "<Response>\n <Errors>\n  <Error>\n   <Code>ComplexError</Code>\n   <Message>Hi</Message>\n   <TopLevel>Top level</TopLevel>\n   <Nested>\n    <Fooooo>bar</Fooooo>\n   </Nested>\n  </Error>\n </Errors>\n <RequestID>foo-id</RequestID>\n</Response>\n";
        let err: Detailed<Complex> = error_from(&response(400, &[], body), ErrorStyle::Ec2);
        assert_eq!(err, Detailed::ComplexError(meta(Some("Hi"), Some("foo-id"), 400), complex(Some("Top level"), Some("bar"))));
        let bare = "<Response><Errors><Error><Code>ComplexError</Code></Error></Errors></Response>";
        assert_eq!(error_from::<Detailed<Complex>, _>(&response(400, &[], bare), ErrorStyle::Ec2), Detailed::ComplexError(meta(None, None, 400), Complex::empty()));
        let bad = "<Response><Errors><Error><Code>ComplexError</Code><X-Count>many</X-Count></Error></Errors></Response>";
        let err: Detailed<Complex> = error_from(&response(400, &[], bad), ErrorStyle::Ec2);
        let Detailed::Invalid(e) = err else { panic!("a member of the wrong type: {err:?}") };
        assert_eq!((e.path.as_str(), e.http_status), ("Response.Errors.Error.X-Count", Some(400)));
    }

    #[cfg(all(feature = "xml", feature = "json"))]
    #[test]
    fn rest_xml_error_members_come_from_the_error_element_and_their_headers() {
        let headers = [("X-Header", "Header")];
        let wrapped = "<ErrorResponse><Error><Type>Sender</Type><Code>ComplexError</Code><Message>Hi</Message><TopLevel>Top level</TopLevel><Nested><Fooooo>bar</Fooooo></Nested></Error><RequestId>foo-id</RequestId></ErrorResponse>";
        let bare = "<Error><Code>ComplexError</Code><Message>Hi</Message><TopLevel>Top level</TopLevel><Nested><Fooooo>bar</Fooooo></Nested><RequestId>foo-id</RequestId></Error>";
        for body in [wrapped, bare] {
            let err: Detailed<ComplexRest> = error_from(&response(400, &headers, body), ErrorStyle::RestXml);
            let expected = Complex { header: Some("Header".into()), ..complex(Some("Top level"), Some("bar")) };
            let Detailed::ComplexError(m, ComplexRest(got)) = err else { panic!("{body}: {err:?}") };
            assert_eq!((m.message.as_deref(), got), (Some("Hi"), expected), "{body}");
        }
    }

    #[cfg(feature = "xml")]
    #[test]
    fn aws_query_error_members_are_the_elements_of_the_error() {
        let body = "<ErrorResponse>\n <Error>\n  <Type>Sender</Type>\n  <Code>ComplexError</Code>\n  <Message>Hi</Message>\n  <TopLevel>Top level</TopLevel>\n  <Nested><Fooooo>bar</Fooooo></Nested>\n </Error>\n <RequestId>foo-id</RequestId>\n</ErrorResponse>\n";
        let err: Detailed<Complex> = error_from(&response(400, &[], body), ErrorStyle::AwsQuery);
        assert_eq!(err, Detailed::ComplexError(meta(Some("Hi"), Some("foo-id"), 400), complex(Some("Top level"), Some("bar"))));
    }

    #[cfg(feature = "json")]
    #[test]
    fn aws_codes_lose_namespace_and_suffix() {
        assert_eq!(sanitize_aws_code("aws.protocoltests#FooError:http://internal.amazon.com/"), "FooError");
        assert_eq!(sanitize_aws_code("FooError"), "FooError");
        assert_eq!(sanitize_aws_code(" FooError:x"), "FooError");
        assert_eq!(sanitize_aws_code("a:b#c"), "a", "the suffix is cut first, as botocore does");
        assert_eq!(sanitize_aws_code("a#b#c"), "c");
    }
    #[cfg(all(feature = "json", feature = "xml"))]
    const XML: BodyCodec = BodyCodec::Xml { root: "PutRequest", namespace: "urn:t", prefix: "" };

    #[cfg(all(feature = "json", feature = "xml"))]
    relocated!(Attributed(Labelled) = [Uri, XmlAttribute, Query, Body, Header, Body]);

    #[cfg(all(feature = "json", feature = "xml"))]
    #[test]
    fn rest_xml_requests_share_the_bindings_and_write_the_body_as_the_root_element() {
        let value = Rest(Labelled { name: "a b".into(), key: "k".into(), max: Some(3), tags: vec!["x".into()], token: Some("t".into()), body: Some("<hi>".into()) });
        let request = rest_request("PUT", "https://h.example", "/{Name}/{Key}", &[], &value, XML).expect("builds");
        assert_eq!(request.uri(), "https://h.example/a%20b/k?maxResults=3&tag=x", "labels and query as REST-JSON");
        assert_eq!(request.headers()["x-token"], "t", "headers as REST-JSON");
        assert_eq!(std::str::from_utf8(request.body()).expect("UTF-8"), r#"<PutRequest xmlns="urn:t"><Body>&lt;hi&gt;</Body></PutRequest>"#);
        assert!(!request.headers().contains_key("content-type"), "botocore sends no content type for XML");
        // Nothing set in the body: no body (JSON would send `{}`).
        let bare = Rest(Labelled { body: None, ..value.0.clone() });
        let request = rest_request("PUT", "https://h.example", "/{Name}/{Key}", &[], &bare, XML).expect("builds");
        assert!(request.body().is_empty());
    }

    #[cfg(all(feature = "json", feature = "xml"))]
    #[test]
    fn rest_xml_attributes_go_in_the_start_tag_and_prefixed_namespaces_are_declared() {
        let value = Attributed(Labelled { name: "n".into(), key: "a\"&b".into(), max: None, tags: vec!["x".into()], token: None, body: None });
        let codec = BodyCodec::Xml { root: "R", namespace: "urn:p", prefix: "p" };
        let request = rest_request("PUT", "https://h.example", "/{Name}", &[], &value, codec).expect("builds");
        assert_eq!(std::str::from_utf8(request.body()).expect("UTF-8"), r#"<R xmlns:p="urn:p" Key="a&quot;&amp;b"><tag><member>x</member></tag></R>"#);
    }

    #[cfg(all(feature = "json", feature = "xml"))]
    #[test]
    fn rest_xml_structure_payloads_are_the_root_element_and_absent_is_no_body() {
        let codec = BodyCodec::Xml { root: "Nested", namespace: "", prefix: "" };
        let value = StructPayload(Carried { blob: None, text: None, nested: Some(Nested { greeting: Some("hello".into()) }), kind: None });
        let request = rest_request("PUT", "https://h.example", "/", &[], &value, codec).expect("builds");
        assert_eq!(request.body(), b"<Nested><greeting>hello</greeting></Nested>");
        let absent = StructPayload(Carried { nested: None, ..value.0.clone() });
        assert!(rest_request("PUT", "https://h.example", "/", &[], &absent, codec).expect("builds").body().is_empty());
        // Read back: the payload is the root element, whatever its name.
        let read = |body: &str| rest_response::<StructPayload, TestError, _>(&response(200, &[], body), codec, ErrorStyle::RestXml);
        assert_eq!(read("<Other><greeting>hi</greeting></Other>").expect("reads").0.nested, Some(Nested { greeting: Some("hi".into()) }));
        assert_eq!(read("").expect("reads").0.nested, None);
    }

    #[cfg(all(feature = "json", feature = "xml"))]
    #[test]
    fn rest_xml_responses_read_the_root_children_of_any_root_and_headers() {
        let read = |headers: &[(&str, &str)], body: &str| rest_response::<Rest, TestError, _>(&response(200, headers, body), XML, ErrorStyle::RestXml);
        let got = read(&[("x-token", "t")], "<Anything xmlns=\"urn:x\"><Body>b</Body></Anything>").expect("reads");
        assert_eq!((got.0.token.as_deref(), got.0.body.as_deref()), (Some("t"), Some("b")));
        let empty = read(&[], "  ").expect("an empty body");
        assert_eq!(empty.0.body, None);
        assert!(matches!(read(&[], "<A><Body>b</Body>"), Err(TestError::Invalid(_))), "a truncated body is an error");
    }

    #[cfg(all(feature = "json", feature = "xml"))]
    #[test]
    fn rest_xml_attribute_members_are_read_from_the_element_s_attributes() {
        let read = |body: &str| rest_response::<Attributed, TestError, _>(&response(200, &[], body), XML, ErrorStyle::RestXml);
        let got = read(r#"<R xmlns="urn:x" Key="a&amp;b"><Body>b</Body></R>"#).expect("reads");
        assert_eq!((got.0.key.as_str(), got.0.body.as_deref()), ("a&b", Some("b")));
        let got = read(r#"<R p:Key="k" xmlns:p="urn:p"/>"#).expect("a prefixed attribute");
        assert_eq!(got.0.key, "k");
        assert_eq!(read("<R><Key>k</Key></R>").expect("reads").0.key, "", "an element is not the attribute");
    }

    #[cfg(feature = "xml")]
    #[test]
    fn rest_xml_errors_are_error_response_or_s3_error_roots() {
        let route53 = "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchZone</Code><Message>gone</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
        assert_eq!(error_from::<TestError, _>(&response(404, &[], route53), ErrorStyle::RestXml), coded("NoSuchZone", Some("gone"), Some("r-1"), 404));
        let s3 = "<Error><Code>NoSuchKey</Code><Message>no key</Message><RequestId>r-2</RequestId><HostId>h</HostId></Error>";
        assert_eq!(error_from::<TestError, _>(&response(404, &[], s3), ErrorStyle::RestXml), coded("NoSuchKey", Some("no key"), Some("r-2"), 404));
        let TestError::Invalid(e) = error_from::<TestError, _>(&response(404, &[], ""), ErrorStyle::RestXml) else { panic!("no code") };
        assert!(e.message.contains("<Error><Code>"), "{e}");
        let TestError::Invalid(_) = error_from::<TestError, _>(&response(500, &[], "<Error><Code> </Code></Error>"), ErrorStyle::RestXml) else { panic!("an empty code is no code") };
    }
}
