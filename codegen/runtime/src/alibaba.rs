//! Signs Alibaba Cloud RPC requests (feature `alibaba-signer`): signature
//! version 1.0, HMAC-SHA1, as the ECS API (2014-05-26) documents it on its
//! "Request signatures" page.
//!
//! Sans IO: the caller supplies the `SignatureNonce` (unique per request;
//! the vendor recommends a UUID) and the `Timestamp` (the current time), so
//! signing is a pure function, testable byte for byte.
//!
//! [`sign`] takes the unsigned request a generated `to_http` builds (for
//! example `cloud_api_types::alibaba::ecs::CancelImagePipelineExecutionRequest`'s:
//! `POST /` with the parameters as a form body), or any RPC request with its
//! parameters in the query string (`GET /?Action=…`), and adds
//! `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`,
//! `SignatureNonce`, `Timestamp` (and `SecurityToken` for STS credentials)
//! and `Signature` to its query string, as the vendor's SDKs do. The
//! signature covers every parameter, those of the query string and those of
//! a form body alike:
//!
//! ```text
//! CanonicalizedQueryString = the parameters sorted by name (byte order),
//!                            each percentEncode(name) "=" percentEncode(value), joined by "&"
//! StringToSign             = HTTPMethod "&" percentEncode("/") "&" percentEncode(CanonicalizedQueryString)
//! Signature                = Base64(HMAC-SHA1(key: AccessKeySecret "&", StringToSign))
//! ```
//!
//! where `percentEncode` is RFC 3986's: `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`,
//! `.` and `~` stay, every other byte of the UTF-8 text becomes `%XY`
//! (a space `%20`, `*` `%2A`).
//!
//! ```
//! use cloud_api_runtime::alibaba::{Credentials, sign};
//!
//! let mut request = http::Request::get(
//!     "http://ecs.aliyuncs.com/?Format=XML&Action=DescribeRegions&Version=2014-05-26",
//! )
//! .body(Vec::new())?;
//! let timestamp = time::macros::datetime!(2016-02-23 12:46:24 UTC);
//! let credentials = Credentials::new("testid", "testsecret");
//! sign(&mut request, &credentials, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", timestamp)?;
//! // The worked example of the ECS "Request signatures" page.
//! assert!(request.uri().query().unwrap().ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::protocol::percent_encode_path;

/// `SignatureMethod`'s value.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `SignatureVersion`'s value.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The parameters the signer adds; a request that already carries one is
/// refused rather than signed twice or with a value the caller did not
/// mean.
const SIGNER_PARAMS: [&str; 8] = [
    "AccessKeyId",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
];

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// An AccessKey pair, and the security token of temporary (STS)
/// credentials. `Debug` shows the AccessKey ID only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl Credentials {
    /// A long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Temporary credentials: the STS token travels as `SecurityToken`.
    pub fn with_security_token(mut self, security_token: impl Into<String>) -> Self {
        self.security_token = Some(security_token.into());
        self
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

/// A request that cannot be signed: what is wrong with it, or with the
/// credentials, nonce or timestamp, and how to fix it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignError {
    /// What was wrong.
    pub message: String,
}

impl SignError {
    fn new(message: impl Into<String>) -> Self {
        SignError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the Alibaba Cloud request: {}", self.message)
    }
}

impl std::error::Error for SignError {}

/// Signs `request` in place: adds `AccessKeyId`, `SignatureMethod`,
/// `SignatureVersion`, `SignatureNonce` (`nonce`), `Timestamp`
/// (`timestamp` in UTC, to the second: `2016-02-23T12:46:24Z`), with STS
/// credentials `SecurityToken`, and last `Signature` to its query string.
/// The body is left as it is.
///
/// The request must be `GET` or `POST` to the path `/`, its parameters in
/// the query string or in an `application/x-www-form-urlencoded` body (`+`
/// reads as a space in both, as in form encoding), each name once, and
/// none of the parameters the signer adds.
///
/// # Errors
///
/// A [`SignError`] naming what is wrong, and nothing is changed: another
/// method or path; a body that is not a form; a parameter that is not
/// valid percent-encoded UTF-8, has no name, appears twice or is one the
/// signer adds (`Signature`: the request is already signed); an empty
/// AccessKey ID, secret, security token or nonce; a timestamp whose UTC
/// year has not four digits.
pub fn sign<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    credentials: &Credentials,
    nonce: &str,
    timestamp: time::OffsetDateTime,
) -> Result<(), SignError> {
    let method = match request.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        other => {
            return Err(SignError::new(format!(
                "the method is `{other}`; Alibaba Cloud RPC requests are GET or POST"
            )));
        }
    };
    let path = request.uri().path();
    if !(path.is_empty() || path == "/") {
        return Err(SignError::new(format!(
            "the path is `{path}`; Alibaba Cloud RPC requests go to `/` (the signature covers `/` only)"
        )));
    }

    let mut params = Vec::new();
    if let Some(query) = request.uri().query() {
        decode_into(query, "the query string", &mut params)?;
    }
    let body = request.body().as_ref();
    if !body.is_empty() {
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("(not text)"));
        let is_form = content_type.is_some_and(|ct| {
            ct.split(';').next().is_some_and(|essence| {
                essence
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
        if method == "GET" {
            return Err(SignError::new(format!(
                "the GET request has a body of {} bytes; a GET request carries its parameters in the query string",
                body.len()
            )));
        }
        if !is_form {
            return Err(SignError::new(format!(
                "the body is not a form (content-type {}); the signature covers query and form parameters only: \
                 send the parameters in the query string or as an `application/x-www-form-urlencoded` body",
                content_type.map_or("missing".to_string(), |ct| format!("`{ct}`"))
            )));
        }
        let text = std::str::from_utf8(body).map_err(|e| {
            SignError::new(format!(
                "the form body is not UTF-8 ({e}); encode the parameters as UTF-8"
            ))
        })?;
        decode_into(text, "the form body", &mut params)?;
    }
    check_names(&params)?;

    if credentials.access_key_id.is_empty() {
        return Err(SignError::new(
            "the AccessKey ID is empty; pass the ID of an AccessKey pair",
        ));
    }
    if credentials.access_key_secret.is_empty() {
        return Err(SignError::new(
            "the AccessKey secret is empty; pass the secret of the AccessKey pair",
        ));
    }
    if credentials.security_token.as_deref() == Some("") {
        return Err(SignError::new(
            "the security token is empty; pass the STS token, or no token for a long-term AccessKey pair",
        ));
    }
    if nonce.is_empty() {
        return Err(SignError::new(
            "the nonce is empty; pass a value unique to this request, such as a UUID v4",
        ));
    }
    let timestamp = format_timestamp(timestamp)?;

    let mut added: Vec<(String, String)> = vec![
        ("AccessKeyId".into(), credentials.access_key_id.clone()),
        ("SignatureMethod".into(), SIGNATURE_METHOD.into()),
        ("SignatureVersion".into(), SIGNATURE_VERSION.into()),
        ("SignatureNonce".into(), nonce.into()),
        ("Timestamp".into(), timestamp),
    ];
    if let Some(token) = &credentials.security_token {
        added.push(("SecurityToken".into(), token.clone()));
    }
    params.extend(added.iter().cloned());
    let signature = signature(
        &string_to_sign(method, &params),
        &credentials.access_key_secret,
    );
    added.push(("Signature".into(), signature));

    let mut query = request
        .uri()
        .query()
        .unwrap_or_default()
        .trim_end_matches('&')
        .to_string();
    for (name, value) in &added {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&percent_encode(name));
        query.push('=');
        query.push_str(&percent_encode(value));
    }
    let mut parts = request.uri().clone().into_parts();
    parts.path_and_query = Some(format!("/?{query}").parse().map_err(|e| {
        SignError::new(format!(
            "the signed query string is not valid in a URI: {e}"
        ))
    })?);
    *request.uri_mut() = http::Uri::from_parts(parts)
        .map_err(|e| SignError::new(format!("the signed URI is not valid: {e}")))?;
    Ok(())
}

/// The string to sign of `params` (every parameter but `Signature`, in any
/// order) sent with `method`: `method&%2F&percentEncode(canonicalized
/// query string)`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = sorted
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&canonical)
    )
}

/// `Base64(HMAC-SHA1(access_key_secret + "&", string_to_sign))`.
pub fn signature(string_to_sign: &str, access_key_secret: &str) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(format!("{access_key_secret}&").as_bytes())
    else {
        unreachable!("HMAC accepts keys of every length")
    };
    mac.update(string_to_sign.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Alibaba's `percentEncode`: RFC 3986's unreserved characters stay, every
/// other byte of the UTF-8 text becomes `%XY` (a space `%20`, `*` `%2A`,
/// `~` unchanged).
pub fn percent_encode(text: &str) -> String {
    percent_encode_path(text, false)
}

/// `Timestamp`'s form: UTC, to the second, `YYYY-MM-DDThh:mm:ssZ`.
fn format_timestamp(timestamp: time::OffsetDateTime) -> Result<String, SignError> {
    let utc = timestamp
        .checked_to_offset(time::UtcOffset::UTC)
        .filter(|t| (0..=9999).contains(&t.year()))
        .ok_or_else(|| {
            SignError::new(format!(
                "the timestamp {timestamp} is not a UTC time with a four-digit year; pass the current time"
            ))
        })?;
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    ))
}

/// Appends the parameters of an `application/x-www-form-urlencoded` text
/// (a query string or a form body) to `out`.
fn decode_into(text: &str, place: &str, out: &mut Vec<(String, String)>) -> Result<(), SignError> {
    for (index, pair) in text.split('&').enumerate() {
        if pair.is_empty() {
            continue; // `a=1&&b=2`, or a trailing `&`
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name).map_err(|e| {
            SignError::new(format!(
                "parameter {} of {place} (`{pair}`): {e}",
                index + 1
            ))
        })?;
        let value = decode(value)
            .map_err(|e| SignError::new(format!("the value of `{name}` in {place}: {e}")))?;
        if name.is_empty() {
            return Err(SignError::new(format!(
                "parameter {} of {place} (`{pair}`) has no name; remove it or give it one",
                index + 1
            )));
        }
        out.push((name, value));
    }
    Ok(())
}

/// Percent-decodes one name or value, `+` as a space.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                    return Err(format!(
                        "`{}` is not a percent escape (`%` and two hex digits); write a literal `%` as `%25`",
                        String::from_utf8_lossy(&bytes[i..bytes.len().min(i + 3)])
                    ));
                };
                out.push(byte);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|e| format!("the decoded text is not UTF-8 ({e}); percent-encode UTF-8 bytes"))
}

/// Each name once, and none of the signer's.
fn check_names(params: &[(String, String)]) -> Result<(), SignError> {
    let mut seen = std::collections::BTreeSet::new();
    for (name, _) in params {
        if name == "Signature" {
            return Err(SignError::new(
                "the request already has a `Signature`; sign the unsigned request",
            ));
        }
        if SIGNER_PARAMS.contains(&name.as_str()) {
            return Err(SignError::new(format!(
                "the request already has `{name}`, which the signer adds; remove it from the request"
            )));
        }
        if !seen.insert(name.as_str()) {
            return Err(SignError::new(format!(
                "the parameter `{name}` appears twice; send each parameter once"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed vectors (`tests/fixtures/alibaba_sign_vectors.json`),
    /// computed with the vendor's Python SDKs.
    struct Vector {
        name: String,
        method: String,
        credentials: Credentials,
        nonce: String,
        timestamp: time::OffsetDateTime,
        params: Vec<(String, String)>,
        string_to_sign: String,
        signature: String,
    }

    fn text(v: &serde_json::Value, key: &str) -> String {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("`{key}` is a string in {v}"))
            .to_string()
    }

    fn vectors() -> Vec<Vector> {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/alibaba_sign_vectors.json"))
                .expect("the vectors are JSON");
        let list = file["vectors"].as_array().expect("a list of vectors");
        list.iter()
            .map(|v| {
                let mut credentials =
                    Credentials::new(text(v, "access_key_id"), text(v, "access_key_secret"));
                if let Some(token) = v["security_token"].as_str() {
                    credentials = credentials.with_security_token(token);
                }
                let params = v["params"]
                    .as_array()
                    .expect("params")
                    .iter()
                    .map(|p| {
                        (
                            p[0].as_str().expect("a name").to_string(),
                            p[1].as_str().expect("a value").to_string(),
                        )
                    })
                    .collect();
                Vector {
                    name: text(v, "name"),
                    method: text(v, "method"),
                    credentials,
                    nonce: text(v, "nonce"),
                    timestamp: time::OffsetDateTime::parse(
                        &text(v, "timestamp"),
                        &time::format_description::well_known::Rfc3339,
                    )
                    .expect("an RFC 3339 timestamp"),
                    params,
                    string_to_sign: text(v, "string_to_sign"),
                    signature: text(v, "signature"),
                }
            })
            .collect()
    }

    /// `name=value&…`, percent-encoded.
    fn form(params: &[(String, String)]) -> String {
        params
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The unsigned request of a vector: GET with the parameters in the
    /// query string, POST with them as a form body (as `to_http` sends).
    fn unsigned(v: &Vector) -> http::Request<Vec<u8>> {
        let encoded = form(&v.params);
        let builder = http::Request::builder().method(v.method.as_str());
        match v.method.as_str() {
            "GET" => builder
                .uri(format!("https://ecs.aliyuncs.com/?{encoded}"))
                .body(Vec::new()),
            _ => builder
                .uri("https://ecs.aliyuncs.com/")
                .header(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(encoded.into_bytes()),
        }
        .expect("a request")
    }

    /// The query parameters of a signed request, decoded.
    fn query_params<B>(request: &http::Request<B>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        decode_into(
            request.uri().query().unwrap_or_default(),
            "the query",
            &mut out,
        )
        .expect("a valid query");
        out
    }

    fn signature_of<B>(request: &http::Request<B>) -> String {
        let params = query_params(request);
        let found: Vec<&String> = params
            .iter()
            .filter(|(k, _)| k == "Signature")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(found.len(), 1, "one Signature: {params:?}");
        found[0].clone()
    }

    #[test]
    fn reproduces_the_documented_worked_example() {
        // ECS API reference, "Request signatures", example 1 (AlibabaCloudDocs/ecs,
        // `intl.en-US/API Reference/Getting started/Request signatures.md`).
        let mut request = http::Request::get(
            "http://ecs.aliyuncs.com/?Format=XML&Action=DescribeRegions&Version=2014-05-26",
        )
        .body(Vec::<u8>::new())
        .expect("a request");
        let timestamp = time::macros::datetime!(2016-02-23 12:46:24 UTC);
        sign(
            &mut request,
            &Credentials::new("testid", "testsecret"),
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            timestamp,
        )
        .expect("signs");
        assert_eq!(
            request.uri().to_string(),
            "http://ecs.aliyuncs.com/?Format=XML&Action=DescribeRegions&Version=2014-05-26\
             &AccessKeyId=testid&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Timestamp=2016-02-23T12%3A46%3A24Z\
             &Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
        );
        let params = query_params(&request);
        let without_signature: Vec<_> = params
            .iter()
            .filter(|(k, _)| k != "Signature")
            .cloned()
            .collect();
        assert_eq!(
            string_to_sign("GET", &without_signature),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1\
             %26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0\
             %26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
    }

    #[test]
    fn reproduces_the_sdk_computed_vectors() {
        let vectors = vectors();
        assert!(vectors.len() >= 8, "{} vectors", vectors.len());
        for v in &vectors {
            let mut request = unsigned(v);
            let body = request.body().clone();
            sign(&mut request, &v.credentials, &v.nonce, v.timestamp)
                .unwrap_or_else(|e| panic!("{}: {e}", v.name));
            assert_eq!(signature_of(&request), v.signature, "{}", v.name);
            assert_eq!(request.body(), &body, "{}: the body is unchanged", v.name);

            // The signature covers the query's parameters (the signer's, and
            // for GET the vector's) and the form body's (for POST).
            let mut all: Vec<_> = query_params(&request)
                .into_iter()
                .filter(|(k, _)| k != "Signature")
                .collect();
            if v.method == "POST" {
                all.extend(v.params.iter().cloned());
            }
            assert_eq!(
                string_to_sign(&v.method, &all),
                v.string_to_sign,
                "{}",
                v.name
            );
            assert_eq!(
                signature(&v.string_to_sign, &v.credentials.access_key_secret),
                v.signature,
                "{}",
                v.name
            );
            let token = all
                .iter()
                .find(|(k, _)| k == "SecurityToken")
                .map(|(_, t)| t.as_str());
            assert_eq!(token, v.credentials.security_token(), "{}", v.name);
        }
    }

    #[test]
    fn parameters_may_be_split_between_query_and_form_body() {
        let v = vectors()
            .into_iter()
            .find(|v| v.method == "POST")
            .expect("a POST vector");
        let (in_query, in_body) = v.params.split_at(2);
        let mut request =
            http::Request::post(format!("https://ecs.aliyuncs.com/?{}", form(in_query)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form(in_body).into_bytes())
                .expect("a request");
        sign(&mut request, &v.credentials, &v.nonce, v.timestamp).expect("signs");
        assert_eq!(signature_of(&request), v.signature);
    }

    #[test]
    fn plus_reads_as_a_space_and_the_timestamp_is_utc_to_the_second() {
        let doc = &vectors()[0];
        let mut request = http::Request::get(
            "http://ecs.aliyuncs.com?Format=XML&Action=DescribeRegions+&Version=2014-05-26",
        )
        .body(Vec::<u8>::new())
        .expect("a request");
        // 20:46:24.75 at +08:00 is 12:46:24 UTC.
        let timestamp = time::macros::datetime!(2016-02-23 20:46:24.75 +08:00);
        sign(&mut request, &doc.credentials, &doc.nonce, timestamp).expect("signs");
        assert!(
            request
                .uri()
                .query()
                .expect("a query")
                .contains("&Timestamp=2016-02-23T12%3A46%3A24Z&")
        );
        assert_ne!(
            signature_of(&request),
            doc.signature,
            "`DescribeRegions ` is not `DescribeRegions`"
        );

        let mut request = http::Request::get(
            "http://ecs.aliyuncs.com?Format=XML&Action=Describe%52egions&Version=2014-05-26",
        )
        .body(Vec::<u8>::new())
        .expect("a request");
        sign(&mut request, &doc.credentials, &doc.nonce, timestamp).expect("signs");
        assert_eq!(
            signature_of(&request),
            doc.signature,
            "an escape of an unreserved letter reads as the letter"
        );
    }

    fn sign_err(request: &mut http::Request<Vec<u8>>) -> String {
        let now = time::macros::datetime!(2026-12-01 14:45:50 UTC);
        let before = request.uri().clone();
        let err = sign(request, &Credentials::new("id", "secret"), "n", now).expect_err("refused");
        assert_eq!(request.uri(), &before, "a refused request is unchanged");
        assert!(
            err.to_string()
                .starts_with("cannot sign the Alibaba Cloud request: "),
            "{err}"
        );
        err.message
    }

    fn get(uri: &str) -> http::Request<Vec<u8>> {
        http::Request::get(uri).body(Vec::new()).expect("a request")
    }

    #[test]
    fn bad_requests_are_errors_that_say_what_to_fix() {
        let cases: Vec<(http::Request<Vec<u8>>, &str)> = vec![
            (
                http::Request::put("https://h/?Action=A")
                    .body(Vec::new())
                    .expect("req"),
                "the method is `PUT`; Alibaba Cloud RPC requests are GET or POST",
            ),
            (get("https://h/v1/?Action=A"), "the path is `/v1/`"),
            (
                get("https://h/?Action=A&Signature=x"),
                "already has a `Signature`",
            ),
            (
                get("https://h/?Action=A&Timestamp=x"),
                "already has `Timestamp`, which the signer adds",
            ),
            (
                get("https://h/?Action=A&SignatureType="),
                "already has `SignatureType`",
            ),
            (
                get("https://h/?Action=A&Action=B"),
                "the parameter `Action` appears twice",
            ),
            (
                get("https://h/?Action=A&=v"),
                "parameter 2 of the query string (`=v`) has no name",
            ),
            (
                get("https://h/?Action=A%2"),
                "the value of `Action` in the query string: `%2` is not a percent escape",
            ),
            (
                get("https://h/?Action=%zz"),
                "`%zz` is not a percent escape",
            ),
            (
                get("https://h/?Action=%FF"),
                "the decoded text is not UTF-8",
            ),
            (
                get("https://h/?Ac%tion=A"),
                "parameter 1 of the query string (`Ac%tion=A`)",
            ),
            (
                http::Request::get("https://h/?Action=A")
                    .body(b"x=1".to_vec())
                    .expect("req"),
                "the GET request has a body of 3 bytes",
            ),
            (
                http::Request::post("https://h/")
                    .body(b"Action=A".to_vec())
                    .expect("req"),
                "the body is not a form (content-type missing)",
            ),
            (
                http::Request::post("https://h/")
                    .header("content-type", "application/json")
                    .body(b"{}".to_vec())
                    .expect("req"),
                "(content-type `application/json`)",
            ),
            (
                http::Request::post("https://h/")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(vec![b'A', 0xFF])
                    .expect("req"),
                "the form body is not UTF-8",
            ),
            (
                http::Request::post("https://h/")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(b"Action=A&Action=B".to_vec())
                    .expect("req"),
                "`Action` appears twice",
            ),
        ];
        for (mut request, expected) in cases {
            let message = sign_err(&mut request);
            assert!(
                message.contains(expected),
                "{}: expected {expected:?} in {message:?}",
                request.uri()
            );
        }
        // A query parameter and a form parameter of one name are one name twice.
        let mut split = http::Request::post("https://h/?Action=A")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"Action=A".to_vec())
            .expect("req");
        assert!(sign_err(&mut split).contains("`Action` appears twice"));
    }

    #[test]
    fn bad_credentials_nonces_and_timestamps_are_errors() {
        let now = time::macros::datetime!(2026-12-01 14:45:50 UTC);
        let good = Credentials::new("id", "secret");
        let cases = [
            (
                Credentials::new("", "secret"),
                "n",
                now,
                "the AccessKey ID is empty",
            ),
            (
                Credentials::new("id", ""),
                "n",
                now,
                "the AccessKey secret is empty",
            ),
            (
                good.clone().with_security_token(""),
                "n",
                now,
                "the security token is empty",
            ),
            (
                good.clone(),
                "",
                now,
                "the nonce is empty; pass a value unique to this request",
            ),
            (
                good.clone(),
                "n",
                time::macros::datetime!(-0001-01-01 00:00:00 UTC),
                "not a UTC time with a four-digit year",
            ),
            (
                good.clone(),
                "n",
                time::macros::datetime!(9999-12-31 23:59:59 -01:00),
                "not a UTC time with a four-digit year",
            ),
        ];
        for (credentials, nonce, timestamp, expected) in cases {
            let mut request = get("https://h/?Action=A");
            let err = sign(&mut request, &credentials, nonce, timestamp).expect_err(expected);
            assert!(
                err.message.contains(expected),
                "expected {expected:?} in {err}"
            );
            assert_eq!(request.uri(), "https://h/?Action=A");
        }
        let mut request = get("https://h/?Action=A");
        sign(
            &mut request,
            &good,
            "n",
            time::macros::datetime!(0000-01-01 00:00:00 UTC),
        )
        .expect("year 0 has four digits");
        assert!(
            request
                .uri()
                .query()
                .expect("query")
                .contains("&Timestamp=0000-01-01T00%3A00%3A00Z&")
        );
    }

    #[test]
    fn a_request_without_parameters_or_a_trailing_slash_is_signed() {
        let now = time::macros::datetime!(2026-12-01 14:45:50 UTC);
        for uri in [
            "https://ecs.aliyuncs.com",
            "https://ecs.aliyuncs.com/",
            "https://ecs.aliyuncs.com/?",
            "https://ecs.aliyuncs.com/?&",
        ] {
            let mut request = get(uri);
            sign(&mut request, &Credentials::new("id", "secret"), "n", now).expect(uri);
            let params = query_params(&request);
            let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                names,
                [
                    "AccessKeyId",
                    "SignatureMethod",
                    "SignatureVersion",
                    "SignatureNonce",
                    "Timestamp",
                    "Signature"
                ],
                "{uri}"
            );
            assert_eq!(request.uri().path(), "/");
        }
    }

    #[test]
    fn percent_encoding_follows_the_vendor_rules() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("a b*c+d/é"), "a%20b%2Ac%2Bd%2F%C3%A9");
        assert_eq!(decode("a+b%20c%2A%7e").as_deref(), Ok("a b c*~"));
    }

    #[test]
    fn debug_redacts_the_secret_and_the_token() {
        let credentials = Credentials::new("LTAIid", "the-secret").with_security_token("the-token");
        let shown = format!("{credentials:?} {credentials:#?}");
        assert!(
            shown.contains("LTAIid") && shown.contains(REDACTED),
            "{shown}"
        );
        assert!(
            !shown.contains("the-secret") && !shown.contains("the-token"),
            "{shown}"
        );
        assert_eq!(credentials.access_key_id(), "LTAIid");
        assert_eq!(credentials.security_token(), Some("the-token"));
    }
}
