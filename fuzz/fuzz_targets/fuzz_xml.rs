//! The EC2 XML decoders on arbitrary bytes.
//!
//! Runs `runtime::xml::parse`, `from_xml` and `from_http` (2xx, and the EC2
//! error path with 4xx/5xx statuses) of `CancelBundleTaskResponse` and
//! `DescribeBundleTasksResponse`. Besides "no panic", it asserts:
//! * `from_http` with status 200 agrees with `from_xml` on a UTF-8 body;
//! * a decoded value survives `to_xml` → `from_xml` unchanged;
//! * an error from a non-2xx response carries that status.
#![no_main]

use cloud_api_types::aws::ec2::{CancelBundleTaskResponse, DescribeBundleTasksResponse};
use cloud_api_types::runtime::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let utf8 = std::str::from_utf8(data).ok();
    let text = String::from_utf8_lossy(data);
    let _ = xml::parse(&text);

    let cancel = CancelBundleTaskResponse::from_xml(&text);
    if let Ok(v) = &cancel {
        let again = CancelBundleTaskResponse::from_xml(&v.to_xml().expect("a decoded value encodes"));
        assert_eq!(again.as_ref(), Ok(v), "to_xml → from_xml changed the value");
    }
    let describe = DescribeBundleTasksResponse::from_xml(&text);
    if let Ok(v) = &describe {
        let again = DescribeBundleTasksResponse::from_xml(&v.to_xml().expect("a decoded value encodes"));
        assert_eq!(again.as_ref(), Ok(v), "to_xml → from_xml changed the value");
    }

    for status in [200u16, 400, 403, 503] {
        let response = http::Response::builder()
            .status(status)
            .header("content-type", "text/xml;charset=UTF-8")
            .body(data.to_vec())
            .expect("a valid response");
        let c = CancelBundleTaskResponse::from_http(&response);
        let d = DescribeBundleTasksResponse::from_http(&response);
        // A borrowed body (`B = &[u8]`) must decode the same.
        let borrowed = http::Response::builder().status(status).body(data).expect("a valid response");
        assert_eq!(CancelBundleTaskResponse::from_http(&borrowed).ok(), c.as_ref().ok().cloned());
        if status == 200 {
            if utf8.is_some() {
                assert_eq!(c.as_ref().ok(), cancel.as_ref().ok(), "from_http(200) and from_xml disagree");
                assert_eq!(d.as_ref().ok(), describe.as_ref().ok(), "from_http(200) and from_xml disagree");
            }
        } else {
            let c = c.expect_err("a non-2xx response is an error");
            let d = d.expect_err("a non-2xx response is an error");
            assert_eq!(c.http_status(), Some(status));
            assert_eq!(d.http_status(), Some(status));
            let _ = (c.to_string(), c.code(), c.message(), c.request_id(), c.fault(), c.is_retryable(), c.is_throttling());
            let _ = (d.to_string(), d.code(), d.message(), d.request_id(), d.fault(), d.is_retryable(), d.is_throttling());
            let _ = std::error::Error::source(&c);
        }
    }
});
