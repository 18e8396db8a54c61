//! Every operation's response decoder on arbitrary bytes.
//!
//! The input's first line (when there is a newline in the first 256 bytes)
//! becomes the `x-amzn-ErrorType` and `x-amzn-RequestId` headers; the rest
//! is the body. Each operation's `XResponse::from_http` runs with statuses
//! 200, 400, 500 and one taken from the input, with and without the headers;
//! `serde_json::from_slice` runs for each response and error type. Besides
//! "no panic", it asserts:
//! * well-formedness, against a bare `serde_json::from_slice::<Value>` of
//!   the same bytes (the anchor): a 2xx body the anchor refuses is refused
//!   as malformed JSON, and a body refused as malformed JSON is one the
//!   anchor refuses too; a body refused for naming a member twice is one
//!   the anchor reads (it keeps the last), and has the name twice;
//! * against the serde-derived forms (feature `serde`): when both decode,
//!   the values are equal, and what the codec decodes the derive decodes.
//!   The derive may decode more, for three documented reasons only: serde's
//!   derived structs also accept a JSON array, read by position (the codec
//!   refuses it: `json` rule 3); they let an unknown member appear twice
//!   (the codec refuses any repeated name: `json` rule 2); and they skip an
//!   unknown member without checking that its strings are UTF-8
//!   (serde_json's `IgnoredAny`), where the codec, like the anchor, refuses
//!   the document as malformed (`json` rule 1);
//! * a decoded value survives `serde_json::to_vec` → `from_slice` unchanged;
//! * an error from a non-2xx response carries that status, and has a code
//!   unless it is `InvalidResponse` (an empty code is no code).
#![no_main]

use cloud_api_types::alibaba::ecs;
use cloud_api_types::aws::{ec2, fsx, imagebuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.iter().take(256).position(|&b| b == b'\n') {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    };
    let extra_status = match data {
        [a, b, ..] => 100 + (u16::from_le_bytes([*a, *b]) % 900),
        _ => 299,
    };
    for status in [200u16, 400, 500, extra_status] {
        for with_headers in [false, true] {
            if with_headers && head.is_none() {
                continue;
            }
            let mut builder = http::Response::builder().status(status);
            if with_headers {
                if let Some(h) = head.and_then(|h| http::HeaderValue::from_bytes(h).ok()) {
                    builder = builder
                        .header("x-amzn-ErrorType", h.clone())
                        .header("x-amzn-RequestId", h);
                }
            }
            let body = if with_headers { body } else { data };
            let response = builder.body(body.to_vec()).expect("a valid response");
            let blank = body.iter().all(u8::is_ascii_whitespace);
            let success = (200..300).contains(&status);

            macro_rules! op {
                ($resp:ty, $json:expr) => {{
                    let r = <$resp>::from_http(&response);
                    match &r {
                        Ok(_) => assert!(success, "a {status} response decoded as a success"),
                        Err(e) => {
                            if !success {
                                assert_eq!(e.http_status(), Some(status), "{e:?}");
                                if e.code().is_none() {
                                    assert!(e.to_string().starts_with("invalid response"), "no code, yet not InvalidResponse: {e:?}");
                                } else {
                                    assert!(e.code().is_some_and(|c| !c.trim().is_empty()), "an empty code: {e:?}");
                                }
                            }
                            let _ = (e.to_string(), e.code(), e.message(), e.request_id(), e.fault());
                            let _ = (e.is_retryable(), e.is_throttling(), std::error::Error::source(e));
                        }
                    }
                    if $json && success && !blank {
                        let anchor = serde_json::from_slice::<serde_json::Value>(body);
                        // The decode error's own message: a path (which may quote a map key) is left out.
                        let refusal = r.as_ref().err().map(|e| {
                            std::error::Error::source(e)
                                .and_then(|s| s.downcast_ref::<cloud_api_types::runtime::DecodeError>())
                                .map(|d| d.message.clone())
                                .unwrap_or_else(|| panic!("a 2xx response refused without a DecodeError: {e:?}"))
                        });
                        let malformed = refusal.as_deref().is_some_and(|m| m.starts_with("malformed JSON: "));
                        let twice = refusal.as_deref().is_some_and(|m| m.contains("appears twice"));
                        assert_eq!(malformed, anchor.is_err(), "well-formedness: ours {refusal:?}, serde_json {anchor:?}");
                        if twice {
                            assert!(anchor.is_ok(), "a repeated name in a well-formed document");
                        }
                        let direct = serde_json::from_slice::<$resp>(body);
                        // `from_http` also keeps the `x-amzn-RequestId` header, which the
                        // body alone does not carry: the values are compared without headers.
                        if !with_headers { match (&r, &direct) {
                            (Ok(ours), Ok(derived)) => assert_eq!(ours, derived, "the codec and the derive read different values"),
                            (Ok(ours), Err(e)) => panic!("the codec decodes {ours:?}, the derive refuses: {e}"),
                            (Err(_), Ok(_)) => {
                                let ours = refusal.as_deref().unwrap_or_default();
                                assert!(
                                    twice || malformed || ours.starts_with("expected an object") && body_has_array(&anchor),
                                    "the derive decodes what the codec refuses, for no documented reason: {ours}"
                                );
                            }
                            (Err(_), Err(_)) => {}
                        } }
                    }
                }};
            }
            op!(fsx::CancelDataRepositoryTaskResponse, true);
            op!(imagebuilder::CancelLifecycleExecutionResponse, true);
            op!(ecs::CancelImagePipelineExecutionResponse, true);
            op!(ec2::CancelBundleTaskResponse, false);
            op!(ec2::DescribeBundleTasksResponse, false);
        }
    }

    macro_rules! json {
        ($($t:ty),*) => {$(
            if let Ok(v) = serde_json::from_slice::<$t>(data) {
                let bytes = serde_json::to_vec(&v).expect("a decoded value serializes");
                let again: $t = serde_json::from_slice(&bytes).expect("serialized form decodes");
                assert_eq!(again, v, "to_vec → from_slice changed the value");
            }
        )*};
    }
    json!(
        fsx::CancelDataRepositoryTaskResponse,
        imagebuilder::CancelLifecycleExecutionResponse,
        ecs::CancelImagePipelineExecutionResponse,
        ec2::CancelBundleTaskResponse,
        ec2::DescribeBundleTasksResponse,
        fsx::CancelDataRepositoryTaskError,
        imagebuilder::CancelLifecycleExecutionError,
        ecs::CancelImagePipelineExecutionError,
        ec2::CancelBundleTaskError,
        ec2::DescribeBundleTasksError
    );
});

/// Whether the document holds an array (where the derive may have read a
/// structure by position).
fn body_has_array(anchor: &Result<serde_json::Value, serde_json::Error>) -> bool {
    fn has(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Array(_) => true,
            serde_json::Value::Object(m) => m.values().any(has),
            _ => false,
        }
    }
    anchor.as_ref().is_ok_and(has)
}
