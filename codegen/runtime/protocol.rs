//! The HTTP side of each protocol, sans IO: build an `http::Request` from a
//! request value, and turn an `http::Response` into the typed response or
//! the operation's typed error. Signing and sending are the caller's.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::schema::HasSchema;
use super::{BuildError, DecodeError, ErrorMetadata, OperationError};

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

/// The JSON body of a request value.
pub fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|e| BuildError { message: e.to_string() })
}

/// A form-encoded `POST /` request (EC2 query, Alibaba RPC).
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

/// How a protocol reports errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// AWS JSON 1.1: `__type` in the body, else the `x-amzn-ErrorType` header.
    AwsJson,
    /// AWS REST-JSON: the `x-amzn-ErrorType` header, else `code`/`__type` in the body.
    RestJson,
    /// Alibaba RPC: `Code`, `Message`, `RequestId` in the body.
    Alibaba,
    /// EC2: `<Response><Errors><Error><Code>` in an XML body.
    Ec2,
}

fn status_error(status: u16, error: DecodeError) -> DecodeError {
    DecodeError {
        http_status: Some(status),
        ..error
    }
}

/// Decodes a JSON response: the typed value on success, the typed error
/// otherwise.
pub fn json_response<T, E, B>(response: &http::Response<B>, style: ErrorStyle) -> Result<T, E>
where
    T: DeserializeOwned,
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
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        E::invalid_response(status_error(status, DecodeError::new(path, e.into_inner().to_string())))
    })?;
    de.end().map_err(|e| E::invalid_response(status_error(status, DecodeError::new("", e.to_string()))))?;
    Ok(value)
}

/// Decodes an EC2 XML response whose root element is `root`.
pub fn xml_response<T, E, B>(response: &http::Response<B>, root: &str) -> Result<T, E>
where
    T: DeserializeOwned + HasSchema,
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
pub fn sanitize_aws_code(raw: &str) -> &str {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

fn header<'a, B>(response: &'a http::Response<B>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn string_field<'a>(body: &'a Value, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| body.get(*n).and_then(Value::as_str))
}

/// The typed error of a non-success response.
pub fn error_from<E: OperationError, B: AsRef<[u8]>>(response: &http::Response<B>, style: ErrorStyle) -> E {
    let status = response.status().as_u16();
    let body = response.body().as_ref();
    let (code, message, request_id) = match style {
        ErrorStyle::Ec2 => {
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
        _ => {
            let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
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
