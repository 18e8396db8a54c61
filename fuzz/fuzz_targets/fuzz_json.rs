//! Every operation's response decoder on arbitrary bytes.
//!
//! The input's first line (when there is a newline in the first 256 bytes)
//! becomes the `x-amzn-ErrorType` and `x-amzn-RequestId` headers; the rest
//! is the body. Each operation's `XResponse::from_http` runs with statuses
//! 200, 400, 500 and one taken from the input, with and without the headers;
//! `serde_json::from_slice` runs for each response and error type. Besides
//! "no panic", it asserts:
//! * `from_http` with status 200 agrees with `serde_json::from_slice` on a
//!   non-blank body (JSON protocols);
//! * a decoded value survives `serde_json::to_vec` → `from_slice` unchanged;
//! * an error from a non-2xx response carries that status.
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
                            }
                            let _ = (e.to_string(), e.code(), e.message(), e.request_id(), e.fault());
                            let _ = (e.is_retryable(), e.is_throttling(), std::error::Error::source(e));
                        }
                    }
                    if $json && success && !blank {
                        let direct = serde_json::from_slice::<$resp>(body);
                        assert_eq!(r.as_ref().ok(), direct.as_ref().ok(), "from_http(200) and from_slice disagree");
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
