//! Every operation's request encoder (`to_http`, `to_query`) on arbitrary
//! endpoints and member values.
//!
//! The input's first line is the endpoint; the following lines are the
//! text members (and list items) of each operation's request, in turn; the
//! input's first byte also picks the booleans. Besides "no panic", it
//! asserts:
//! * one endpoint rule for every protocol: each operation accepts the
//!   endpoint, or each refuses it with the same message;
//! * the endpoint rule against a bare `http::Uri` parse (the anchor): an
//!   endpoint is accepted exactly when `http::Uri` reads it as an absolute
//!   `http`/`https` URI with a host, and none of the further refusals of
//!   `protocol`'s "Endpoints" rules applies (a query, a fragment, user
//!   information, a bad port, a bad percent-escape in the path);
//! * a built request's URI reads back with `http::Uri` to itself, keeps the
//!   endpoint's scheme and host, starts with the endpoint's base path, and
//!   carries no fragment;
//! * the body reads back to the request: JSON bodies decode (with the
//!   runtime's strict JSON decoder) to the value they came from, form bodies
//!   percent-decode to the value's `to_query()` pairs.
#![no_main]

use cloud_api_types::alibaba::ecs;
use cloud_api_types::aws::{ec2, fsx, imagebuilder};
use cloud_api_types::runtime::BuildError;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let endpoint = lines.next().unwrap_or_default();
    let mut values = lines.map(str::to_string).cycle();
    let mut next = || values.next().unwrap_or_default();
    let flag = data.first().is_some_and(|b| b & 1 == 1);

    let fsx = fsx::CancelDataRepositoryTaskRequest::new(next());
    let ib = imagebuilder::CancelLifecycleExecutionRequest::new(next()).with_client_token(next());
    let mut cancel = ec2::CancelBundleTaskRequest::new(next());
    cancel.dry_run = Some(flag);
    let mut describe = ec2::DescribeBundleTasksRequest::new();
    describe.bundle_ids = Some(vec![next(), next()]);
    let mut filter = ec2::Filter::new();
    filter.name = Some(next());
    filter.values = Some(vec![next()]);
    describe.filters = Some(vec![filter, ec2::Filter::new()]);
    describe.dry_run = (!flag).then_some(true);
    let mut ali = ecs::CancelImagePipelineExecutionRequest::new(next(), next());
    let mut tag = ecs::TemplateTag::new();
    tag.key = Some(next());
    tag.value = Some(next());
    ali.template_tag = Some(vec![tag]);

    let built: [Result<http::Request<Vec<u8>>, BuildError>; 5] = [
        fsx.to_http(endpoint),
        ib.to_http(endpoint),
        cancel.to_http(endpoint),
        describe.to_http(endpoint),
        ali.to_http(endpoint),
    ];

    // One endpoint rule for every protocol (string members always encode).
    let first = built[0].as_ref().err().map(|e| e.message.clone());
    for b in &built[1..] {
        assert_eq!(b.as_ref().err().map(|e| e.message.clone()), first, "the protocols disagree on `{endpoint}`");
    }
    assert_eq!(first.is_none(), anchor_accepts(endpoint), "`{endpoint}`: ours {first:?}");
    if let Some(message) = &first {
        assert!(message.contains("endpoint"), "a refusal that does not name the endpoint: {message}");
        return;
    }

    let base: http::Uri = endpoint.parse().expect("accepted, so the anchor reads it");
    let base_path = base.path().trim_end_matches('/');
    for request in built.iter().flatten() {
        let uri = request.uri();
        let again: http::Uri = uri.to_string().parse().expect("a built URI reads back");
        assert_eq!(&again, uri);
        assert_eq!(uri.scheme(), base.scheme());
        assert_eq!(uri.authority(), base.authority());
        assert!(uri.path().starts_with(base_path), "{uri} lost the base path of `{endpoint}`");
        assert!(!uri.to_string().contains('#'));
    }

    let body = |i: usize| built[i].as_ref().expect("built").body().as_slice();
    let back: fsx::CancelDataRepositoryTaskRequest = cloud_api_types::runtime::json::decode(body(0)).expect("an FSx body reads back");
    assert_eq!(back, fsx);
    let back: imagebuilder::CancelLifecycleExecutionRequest = cloud_api_types::runtime::json::decode(body(1)).expect("a REST-JSON body reads back");
    assert_eq!(back, ib);
    assert_eq!(form_decode(body(2)), cancel.to_query().expect("encodes"));
    assert_eq!(form_decode(body(3)), describe.to_query().expect("encodes"));
    assert_eq!(form_decode(body(4)), ali.to_query().expect("encodes"));
});

/// The anchor: `http::Uri`'s reading of the endpoint, and the rules of
/// `protocol`'s "Endpoints" docs that go beyond it.
fn anchor_accepts(endpoint: &str) -> bool {
    let Ok(uri) = endpoint.parse::<http::Uri>() else { return false };
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else { return false };
    let host_port = authority.as_str().rsplit_once(']').map_or(authority.as_str(), |(_, rest)| rest);
    let port_ok = host_port.rsplit_once(':').is_none_or(|(_, port)| port.parse::<u16>().is_ok());
    let escapes_ok = uri.path().split('%').skip(1).all(|after| {
        let b = after.as_bytes();
        b.len() >= 2 && b[0].is_ascii_hexdigit() && b[1].is_ascii_hexdigit()
    });
    matches!(scheme, "http" | "https")
        && !endpoint.contains('?')
        && !endpoint.contains('#')
        && !authority.as_str().contains('@')
        && !authority.host().is_empty()
        && port_ok
        && escapes_ok
}

/// `application/x-www-form-urlencoded` pairs, percent-decoded.
fn form_decode(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).expect("a form body is ASCII");
    if text.is_empty() {
        return Vec::new();
    }
    text.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("key=value");
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
            out.push(u8::from_str_radix(hex, 16).expect("a percent-escape"));
            i += 3;
        } else {
            assert_ne!(bytes[i], b'+', "a space is written %20, so + is literal only when escaped");
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 text")
}
