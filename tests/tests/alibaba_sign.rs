//! The Alibaba Cloud RPC signer (`cloud_api_types::runtime::alibaba`, the
//! runtime's feature `alibaba-signer`) on what the generated crate builds,
//! and the README's Alibaba signing example.

use cloud_api_types::alibaba::ecs::CancelImagePipelineExecutionRequest;
use cloud_api_types::runtime::alibaba::{Credentials, sign, signature, string_to_sign};

/// The SDK-computed vector of `CancelImagePipelineExecution` as `to_http`
/// posts it (`codegen/runtime/tests/fixtures/alibaba_sign_vectors.json`).
fn cancel_vector() -> serde_json::Value {
    let path = tests::workspace().join("codegen/runtime/tests/fixtures/alibaba_sign_vectors.json");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the vectors"))
            .expect("JSON");
    file["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .find(|v| {
            v["name"].as_str().is_some_and(|n| {
                n.starts_with("CancelImagePipelineExecution as the generated to_http")
            })
        })
        .expect("the vector of the generated request")
        .clone()
}

fn text<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("`{key}` in {v}"))
}

/// The name=value pairs of a query string or form body (none of them
/// hold `+`, so percent-decoding alone is enough here).
fn pairs(text: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("an escape"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    }
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("name=value");
            (decode(k), decode(v))
        })
        .collect()
}

#[test]
fn the_generated_request_signed_matches_the_sdk_vector() {
    let v = cancel_vector();
    let request =
        CancelImagePipelineExecutionRequest::new("cn-hangzhou", "exec-5fb8facb8ed7427c****");
    let expected: Vec<(String, String)> = v["params"]
        .as_array()
        .expect("params")
        .iter()
        .map(|p| {
            (
                p[0].as_str().expect("name").to_string(),
                p[1].as_str().expect("value").to_string(),
            )
        })
        .collect();
    assert_eq!(
        request.to_query().expect("encodes"),
        expected,
        "the vector holds what to_query sends"
    );

    let mut http = request
        .to_http("https://ecs.cn-hangzhou.aliyuncs.com")
        .expect("builds");
    let body = http.body().clone();
    let credentials = Credentials::new(text(&v, "access_key_id"), text(&v, "access_key_secret"));
    let timestamp = time::OffsetDateTime::parse(
        text(&v, "timestamp"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("a timestamp");
    sign(&mut http, &credentials, text(&v, "nonce"), timestamp).expect("signs");

    assert_eq!(http.method(), "POST");
    assert_eq!(http.body(), &body, "the form body is unchanged");
    let query = pairs(
        http.uri()
            .query()
            .expect("the signer's parameters are in the query"),
    );
    let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccessKeyId",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
            "Signature"
        ]
    );
    assert_eq!(
        query.last().map(|(_, s)| s.as_str()),
        Some(text(&v, "signature"))
    );

    // The signature covers the query's parameters and the form body's.
    let mut covered: Vec<(String, String)> = query[..query.len() - 1].to_vec();
    covered.extend(pairs(std::str::from_utf8(&body).expect("UTF-8")));
    let to_sign = string_to_sign("POST", &covered);
    assert_eq!(to_sign, text(&v, "string_to_sign"));
    assert_eq!(
        signature(&to_sign, text(&v, "access_key_secret")),
        text(&v, "signature")
    );
}

/// The README's Alibaba code block (under "Signing and sending a request")
/// is `tests/examples/alibaba_sign_and_send.rs` (which `cargo test`
/// compiles) less the file's `//!` header.
#[test]
fn readme_alibaba_signing_example_is_the_compiled_example() {
    let root = tests::workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("read README.md");
    let example = std::fs::read_to_string(root.join("tests/examples/alibaba_sign_and_send.rs"))
        .expect("read the example");

    let (_, section) = readme
        .split_once("\n## Signing and sending a request\n")
        .expect("the section");
    let section = section
        .split("\n## ")
        .next()
        .expect("split yields one part");
    let (_, alibaba) = section
        .split_once("\n### Alibaba Cloud\n")
        .expect("an Alibaba Cloud subsection");
    assert!(
        alibaba.contains("`tests/examples/alibaba_sign_and_send.rs`"),
        "the subsection names the file"
    );
    let (_, code) = alibaba
        .split_once("```rust,no_run\n")
        .expect("a rust code block (compiled by the README doctest, not run)");
    let (code, _) = code.split_once("\n```").expect("the block ends");
    assert!(
        code.contains("fn main()")
            && code.contains("use cloud_api_types::runtime::alibaba::{Credentials, sign};"),
        "{code}"
    );

    let (before, after) = example
        .split_once(code)
        .unwrap_or_else(|| panic!("the README block is not in the example:\n{code}"));
    assert!(
        before
            .lines()
            .all(|l| l.starts_with("//!") || l.trim().is_empty()),
        "the example has code the README lacks:\n{before}"
    );
    assert_eq!(after.trim(), "", "the example has code the README lacks");
}
