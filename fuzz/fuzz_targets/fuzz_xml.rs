//! The EC2 XML decoders on arbitrary bytes.
//!
//! Runs `runtime::xml::parse`, `from_xml` and `from_http` (2xx, and the EC2
//! error path with 4xx/5xx statuses) of `CancelBundleTaskResponse` and
//! `DescribeBundleTasksResponse`. Besides "no panic", it asserts:
//! * `from_http` with status 200 agrees with `from_xml` on a UTF-8 body;
//! * a decoded value survives `to_xml` → `from_xml` unchanged;
//! * an error from a non-2xx response carries that status, and has a
//!   non-empty code unless it is `InvalidResponse`;
//! * well-formedness, against two anchors on the same text: what a bare
//!   quick-xml event loop refuses, `xml::parse` refuses (it reads the same
//!   events, and adds the rules of the `xml` module docs); and `xml::parse`
//!   accepts exactly what xml-rs (a parser of its own) accepts, except for
//!   the documented differences `xml_rs_differs` lists.
#![no_main]

use cloud_api_types::aws::ec2::{CancelBundleTaskResponse, DescribeBundleTasksResponse};
use cloud_api_types::runtime::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let utf8 = std::str::from_utf8(data).ok();
    let text = String::from_utf8_lossy(data);
    let parsed = xml::parse(&text);
    if bare_quick_xml_refuses(&text) {
        assert!(parsed.is_err(), "quick-xml refuses what xml::parse accepts");
    }
    let xml_rs = xml_rs_refusal(&text);
    let ours = parsed.as_ref().err().map(|e| e.message.as_str());
    if xml_rs.is_some() != ours.is_some() && !xml_rs_differs(&text, ours, xml_rs.as_deref()) {
        panic!("well-formedness: xml::parse {:?}, xml-rs {xml_rs:?}", parsed.as_ref().err());
    }

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
            for (code, text) in [(c.code(), c.to_string()), (d.code(), d.to_string())] {
                match code {
                    Some(code) => assert!(!code.trim().is_empty(), "an empty code"),
                    None => assert!(text.starts_with("invalid response"), "no code, yet not InvalidResponse: {text}"),
                }
            }
            let _ = (c.to_string(), c.code(), c.message(), c.request_id(), c.fault(), c.is_retryable(), c.is_throttling());
            let _ = (d.to_string(), d.code(), d.message(), d.request_id(), d.fault(), d.is_retryable(), d.is_throttling());
            let _ = std::error::Error::source(&c);
        }
    }
});

/// Whether quick-xml's own event loop (with its default checks, end names
/// included) reports an error somewhere in `text`.
fn bare_quick_xml_refuses(text: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return false,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
}

/// xml-rs's refusal of `text`, if it refuses it.
fn xml_rs_refusal(text: &str) -> Option<String> {
    let config = xmlrs::ParserConfig::new();
    let mut reader = config.create_reader(text.as_bytes());
    loop {
        match reader.next() {
            Ok(xmlrs::reader::XmlEvent::EndDocument) => return None,
            Ok(_) => {}
            Err(e) => return Some(e.to_string()),
        }
    }
}

/// Where `xml::parse` and xml-rs are allowed to disagree, each for a rule
/// of the `xml` module docs that xml-rs does not have, or one of xml-rs's
/// that this decoder does not have:
fn xml_rs_differs(text: &str, ours: Option<&str>, xml_rs: Option<&str>) -> bool {
    // rule 1: a document type declaration is refused (xml-rs reads one, and
    // then reads the document under its own DTD handling, which accepted
    // even NUL characters after one; ours may report the NUL first, as it
    // checks characters before the markup);
    ours.is_some_and(|m| m.starts_with("a document type declaration"))
        || ours.is_some() && text.contains("<!DOCTYPE")
        // rule 1: the text is UTF-8, so a declaration of another encoding is
        // refused (xml-rs would decode the bytes in it);
        || ours.is_some_and(|m| m.starts_with("a malformed XML declaration: `encoding="))
        // rule 3: elements nest at most 64 deep (xml-rs has no such limit);
        || ours.is_some_and(|m| m.starts_with("elements nested deeper than"))
        // xml-rs reads `<? x?>`, a processing instruction whose target is
        // missing (production 16 wants the target right after `<?`);
        || ours.is_some_and(|m| m.starts_with("the processing instruction target ``,"))
        // xml-rs reads a raw `<` in an attribute value, which the
        // well-formedness constraint "No < in Attribute Values" forbids;
        || ours.is_some_and(|m| m.starts_with("malformed attribute: `<` in its value"))
        // XML 1.0 (fifth edition) allows any `version="1.<digits>"`; xml-rs
        // knows only 1.0 and 1.1;
        || ours.is_none() && xml_rs.is_some_and(|e| e.contains("Invalid XML version"))
        // rule 1: xml-rs ends the document where the root element ends and
        // reads nothing after it (a second root element included);
        || xml_rs.is_none() && ours.is_some_and(|m| m.starts_with("content after the root element"))
        // namespace prefixes are ignored here (EC2 uses only the default
        // namespace): names are XML 1.0 names, where xml-rs wants the
        // qualified names of Namespaces in XML (`<:a/>` is an XML name, not
        // a QName) and refuses an unbound prefix.
        || xml_rs.map(str::to_ascii_lowercase).is_some_and(|e| e.contains("prefix") || e.contains("namespace") || e.contains("qualified name"))
}
