//! The HTTP side of each protocol, sans IO: build an `http::Request` from a
//! request value, and turn an `http::Response` into the typed response or
//! the operation's typed error. Signing and sending are the caller's.

#[cfg(any(feature = "json", feature = "xml"))]
use super::{DecodeError, ErrorMetadata, OperationError};
use super::BuildError;

/// Builds a request to `endpoint` + `path`.
pub fn request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    let uri = format!("{}{}", endpoint.trim_end_matches('/'), path);
    let mut builder = http::Request::builder().method(method).uri(&uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body).map_err(|e| BuildError {
        message: format!("`{uri}`: {e}"),
    })
}

/// A JSON request (AWS JSON 1.1, AWS REST-JSON) to `endpoint` + `path`.
///
/// Members the schema places outside the body go where it says, as
/// botocore's REST serializer puts them: a `{Label}` of `path` takes its
/// member's text percent-encoded (`{Label+}`, a greedy label, keeps `/`);
/// query members are appended to the query string (a list as one
/// parameter per item), header members become headers (a list joined with
/// `, `). The body is the JSON object of the body members, `{}` when none
/// is set; a request whose members all go elsewhere has no body.
#[cfg(feature = "json")]
pub fn json_request(
    method: &str,
    endpoint: &str,
    path: &str,
    headers: &[(&str, &str)],
    value: &dyn super::schema::Shape,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    use super::schema::{Location, Ref, scalar_text};
    let schema = value.dyn_schema();
    let mut path = path.to_string();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut extra: Vec<(&str, String)> = Vec::new();
    for (index, member) in schema.members.iter().enumerate() {
        if member.location == Location::Body {
            continue; // written by the JSON encoder below
        }
        let field = value.field(index);
        let texts: Vec<String> = match &field {
            Ref::List(list) => {
                let item = match member.kind {
                    super::schema::Kind::List(l) => l.item,
                    other => other,
                };
                (0..list.len())
                    .map(|i| scalar_text(&list.item(i), item, member.wire))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect()
            }
            other => scalar_text(other, member.kind, member.wire)?.into_iter().collect(),
        };
        match member.location {
            Location::Body => {}
            Location::Uri => {
                let Some(text) = texts.first() else {
                    return Err(BuildError::new(format!("the path label `{}` has no value", member.wire)));
                };
                let greedy = format!("{{{}+}}", member.wire);
                if path.contains(&greedy) {
                    path = path.replace(&greedy, &percent_encode_path(text, true));
                } else {
                    path = path.replace(&format!("{{{}}}", member.wire), &percent_encode_path(text, false));
                }
            }
            Location::Query => query.extend(texts.into_iter().map(|t| (member.wire.to_string(), t))),
            Location::Header => {
                if !texts.is_empty() {
                    extra.push((member.wire, texts.join(", ")));
                }
            }
        }
    }
    if !query.is_empty() {
        let encoded: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", percent_encode_path(k, false), percent_encode_path(v, false))).collect();
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str(&encoded.join("&"));
    }
    let has_body = schema.members.iter().any(|m| m.location == Location::Body);
    let body = if has_body { super::json::encode(value)? } else { Vec::new() };
    let mut all: Vec<(&str, &str)> = if has_body { headers.to_vec() } else { headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")).copied().collect() };
    all.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    request(method, endpoint, &path, &all, body)
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
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// How a protocol reports errors.
#[cfg(any(feature = "json", feature = "xml"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// AWS JSON 1.1: `__type` in the body, else the `x-amzn-ErrorType` header.
    #[cfg(feature = "json")]
    AwsJson,
    /// AWS REST-JSON: the `x-amzn-ErrorType` header, else `code`/`__type` in the body.
    #[cfg(feature = "json")]
    RestJson,
    /// Alibaba RPC: `Code`, `Message`, `RequestId` in the body.
    #[cfg(feature = "json")]
    Alibaba,
    /// EC2: `<Response><Errors><Error><Code>` in an XML body.
    #[cfg(feature = "xml")]
    Ec2,
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
#[cfg(feature = "json")]
pub fn json_response<T, E, B>(response: &http::Response<B>, style: ErrorStyle) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    let status = response.status().as_u16();
    let body = response.body().as_ref();
    if !response.status().is_success() {
        return Err(error_from(response, style));
    }
    // An empty body is an empty object: every member absent.
    let body = if body.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { body };
    super::json::decode(body).map_err(|e| E::invalid_response(status_error(status, e)))
}

/// Decodes an EC2 XML response whose root element is `root`.
#[cfg(feature = "xml")]
pub fn xml_response<T, E, B>(response: &http::Response<B>, root: &str) -> Result<T, E>
where
    T: super::schema::Shape + super::schema::Empty,
    E: OperationError,
    B: AsRef<[u8]>,
{
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(error_from(response, ErrorStyle::Ec2));
    }
    let text = std::str::from_utf8(response.body().as_ref())
        .map_err(|e| E::invalid_response(status_error(status, DecodeError::new("", format!("the body is not UTF-8: {e}")))))?;
    super::xml::decode(text, root).map_err(|e| E::invalid_response(status_error(status, e)))
}

/// AWS codes may come as `namespace#Code:http://...`; the code is the part
/// between.
#[cfg(feature = "json")]
pub fn sanitize_aws_code(raw: &str) -> &str {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

#[cfg(feature = "json")]
fn header<'a, B>(response: &'a http::Response<B>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[cfg(feature = "json")]
fn string_field<'a>(body: &'a serde_json::Value, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| body.get(*n).and_then(serde_json::Value::as_str))
}

/// The typed error of a non-success response.
#[cfg(any(feature = "json", feature = "xml"))]
pub fn error_from<E: OperationError, B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> E {
    let status = response.status().as_u16();
    let (code, message, request_id) = match style {
        #[cfg(feature = "xml")]
        ErrorStyle::Ec2 => ec2_error_fields(response.body().as_ref()),
        #[cfg(feature = "json")]
        style => json_error_fields(response, style),
    };
    match code {
        Some(code) => E::from_code(
            &code,
            ErrorMetadata {
                message,
                request_id,
                http_status: Some(status),
            },
        ),
        None => E::invalid_response(status_error(
            status,
            DecodeError::new("", format!("an error response (HTTP {status}) without an error code")),
        )),
    }
}

/// Code, message and request ID of an error response.
#[cfg(any(feature = "json", feature = "xml"))]
type ErrorFields = (Option<String>, Option<String>, Option<String>);

/// EC2: `<Response><Errors><Error><Code>` and `<RequestID>`.
#[cfg(feature = "xml")]
fn ec2_error_fields(body: &[u8]) -> ErrorFields {
            let parsed = std::str::from_utf8(body).ok().and_then(|t| super::xml::parse(t).ok());
            let error = parsed
                .as_ref()
                .and_then(|r| r.child("Errors"))
                .and_then(|e| e.child("Error"));
            (
                error.and_then(|e| e.child("Code")).map(|c| c.text.trim().to_string()),
                error.and_then(|e| e.child("Message")).map(|m| m.text.clone()),
                parsed
                    .as_ref()
                    .and_then(|r| r.child("RequestID").or_else(|| r.child("RequestId")))
                    .map(|r| r.text.trim().to_string()),
            )
}

/// The JSON error styles: code from the body or the `x-amzn-ErrorType`
/// header, in the order the protocol prefers.
#[cfg(feature = "json")]
fn json_error_fields<B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> ErrorFields {
            let json: serde_json::Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(serde_json::Value::Null);
            let header_code = header(response, "x-amzn-errortype").map(sanitize_aws_code);
            let body_code = match style {
                ErrorStyle::Alibaba => string_field(&json, &["Code"]),
                _ => string_field(&json, &["__type", "code", "Code"]).map(sanitize_aws_code),
            };
            let code = match style {
                ErrorStyle::RestJson => header_code.or(body_code),
                _ => body_code.or(header_code),
            };
            let request_id = match style {
                ErrorStyle::Alibaba => string_field(&json, &["RequestId"]).map(str::to_string),
                _ => header(response, "x-amzn-requestid").map(str::to_string),
            };
            (
                code.filter(|c| !c.is_empty()).map(str::to_string),
                string_field(&json, &["message", "Message", "errorMessage"]).map(str::to_string),
                request_id,
            )
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
        assert!(err.message.starts_with("`not a uri/`"), "{err}");
        assert!(err.to_string().starts_with("cannot build the request: "), "{err}");
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
        tags: Vec<String> = ("tag", "tag", crate::schema::Kind::List(&crate::schema::ListSchema { item: crate::schema::Kind::String, xml_item: "member", item_rules: &crate::schema::Rules::NONE }), false),
        token: Option<String> = ("x-token", "x-token", crate::schema::Kind::String, false),
        body: Option<String> = ("Body", "Body", crate::schema::Kind::String, false),
    });

    /// The schema of `Labelled`, with each member where a REST request carries it.
    #[cfg(feature = "json")]
    struct Rest(Labelled);

    #[cfg(feature = "json")]
    impl crate::schema::Shape for Rest {
        fn schema() -> &'static crate::schema::StructSchema {
            use crate::schema::Location;
            static MEMBERS: std::sync::OnceLock<Vec<crate::schema::MemberSchema>> = std::sync::OnceLock::new();
            static SCHEMA: std::sync::OnceLock<crate::schema::StructSchema> = std::sync::OnceLock::new();
            SCHEMA.get_or_init(|| {
                let base = <Labelled as crate::schema::Shape>::schema().members;
                let locations = [Location::Uri, Location::Uri, Location::Query, Location::Query, Location::Header, Location::Body];
                let members = MEMBERS.get_or_init(|| {
                    base.iter()
                        .zip(locations)
                        .map(|(m, location)| crate::schema::MemberSchema { location, ..*m })
                        .collect()
                });
                crate::schema::StructSchema { name: "Rest", members }
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
    fn aws_json_errors_prefer_the_body_type_and_strip_namespaces() {
        let style = ErrorStyle::AwsJson;
        let body = r#"{"__type":"com.amazonaws.fsx#TaskEnded","message":"ended"}"#;
        let headers = [("x-amzn-ErrorType", "Other"), ("x-amzn-RequestId", "r-1")];
        let err: TestError = error_from(&response(400, &headers, body), style);
        assert_eq!(err, coded("TaskEnded", Some("ended"), Some("r-1"), 400));
        let from_header: TestError = error_from(&response(500, &headers, "{}"), style);
        assert_eq!(from_header, coded("Other", None, Some("r-1"), 500));
    }

    #[cfg(feature = "json")]
    #[test]
    fn rest_json_errors_prefer_the_header() {
        let headers = [("x-amzn-ErrorType", "InUse:http://internal.amazon.com/coral/com.amazon/")];
        let body = r#"{"code":"BodyCode","Message":"busy"}"#;
        let err: TestError = error_from(&response(409, &headers, body), ErrorStyle::RestJson);
        assert_eq!(err, coded("InUse", Some("busy"), None, 409));
        let body_only: TestError = error_from(&response(429, &[], body), ErrorStyle::RestJson);
        assert_eq!(body_only, coded("BodyCode", Some("busy"), None, 429));
    }

    #[cfg(feature = "json")]
    #[test]
    fn alibaba_errors_read_code_message_and_request_id_from_the_body() {
        let body = r#"{"RequestId":"R-9","Code":"InvalidStatus.CancelFailed","Message":"no","__type":"ignored"}"#;
        let err: TestError = error_from(&response(403, &[("x-amzn-RequestId", "ignored")], body), ErrorStyle::Alibaba);
        assert_eq!(err, coded("InvalidStatus.CancelFailed", Some("no"), Some("R-9"), 403));
    }

    #[cfg(feature = "xml")]
    #[test]
    fn ec2_errors_read_the_errors_document() {
        let body = "<Response><Errors><Error><Code> InvalidID.NotFound </Code><Message>gone</Message></Error></Errors><RequestID> r-2 </RequestID></Response>";
        let err: TestError = error_from(&response(400, &[], body), ErrorStyle::Ec2);
        assert_eq!(err, coded("InvalidID.NotFound", Some("gone"), Some("r-2"), 400));
        let older = "<Response><Errors><Error><Code>X</Code></Error></Errors><RequestId>r-3</RequestId></Response>";
        assert_eq!(error_from::<TestError, _>(&response(503, &[], older), ErrorStyle::Ec2), coded("X", None, Some("r-3"), 503));
    }

    #[cfg(any(feature = "json", feature = "xml"))]
    #[test]
    fn an_error_response_without_a_code_is_an_invalid_response_with_its_status() {
        let mut styles = Vec::new();
        #[cfg(feature = "json")]
        styles.extend([ErrorStyle::AwsJson, ErrorStyle::RestJson, ErrorStyle::Alibaba]);
        #[cfg(feature = "xml")]
        styles.push(ErrorStyle::Ec2);
        for style in styles {
            for body in ["", "<html>oops</html>", r#"{"__type":""}"#, "<Response><Errors/></Response>"] {
                let err: TestError = error_from(&response(502, &[], body), style);
                let TestError::Invalid(e) = &err else { panic!("{style:?} {body:?}: {err:?}") };
                assert_eq!(e.http_status, Some(502));
                assert!(e.message.contains("without an error code"), "{e}");
            }
        }
    }

    #[cfg(feature = "json")]
    #[test]
    fn aws_codes_lose_namespace_and_suffix() {
        assert_eq!(sanitize_aws_code("aws.protocoltests#FooError:http://internal.amazon.com/"), "FooError");
        assert_eq!(sanitize_aws_code("FooError"), "FooError");
        assert_eq!(sanitize_aws_code(" FooError:x"), "FooError");
    }
}
