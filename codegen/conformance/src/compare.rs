//! Comparing what the generated code did with what a case expects, the way
//! botocore's own runner (`tests/unit/test_protocols.py`) compares, with
//! the relaxations the issue asks for: query and form bodies as parameter
//! sets, query strings in any order, JSON bodies as JSON values.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// What the harness built for an input case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `POST`.
    pub method: String,
    /// The path and query (`/path?a=b`).
    pub uri: String,
    /// The host (and port) the request goes to.
    pub host: String,
    /// Every header, as built (names lower case).
    pub headers: Vec<(String, String)>,
    /// The body (lossy UTF-8: every suite's body is text).
    pub body: String,
}

impl Request {
    /// Reads the harness's JSON form of a request.
    pub fn from_json(value: &Value) -> Result<Request, String> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("the harness's request has no `{key}`"));
        let headers = value
            .get("headers")
            .and_then(Value::as_array)
            .ok_or("the harness's request has no `headers`")?
            .iter()
            .filter_map(|pair| Some((pair.get(0)?.as_str()?.to_ascii_lowercase(), pair.get(1)?.as_str()?.to_string())))
            .collect();
        Ok(Request { method: text("method")?, uri: text("uri")?, host: text("host")?, headers, body: text("body")? })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Checks a built request against a case's `serialized`; `Err` says the
/// first thing that differs.
pub fn input(protocol: &str, serialized: &Value, actual: &Request) -> Result<(), String> {
    if let Some(method) = serialized.get("method").and_then(Value::as_str) {
        if !method.eq_ignore_ascii_case(&actual.method) {
            return Err(format!("method: expected {method}, got {}", actual.method));
        }
    }
    let expected_uri = serialized.get("uri").and_then(Value::as_str).unwrap_or("");
    uri(expected_uri, &actual.uri)?;
    if let Some(body) = serialized.get("body").and_then(Value::as_str) {
        self::body(protocol, body, &actual.body)?;
    }
    if let Some(Value::Object(headers)) = serialized.get("headers") {
        for (name, value) in headers {
            let mut expected = value.as_str().unwrap_or_default().to_string();
            if name.eq_ignore_ascii_case("content-type") {
                match protocol {
                    // botocore's runner: query protocols send `; charset=utf-8`,
                    // which the suites leave out.
                    "ec2" | "query" if !expected.contains("charset=utf-8") => expected.push_str("; charset=utf-8"),
                    // botocore's runner: no content type for streaming
                    // payloads in rest-json, and none for rest-xml.
                    "rest-json" if expected != "application/json" => continue,
                    "rest-xml" => continue,
                    _ => {}
                }
            }
            match actual.header(name) {
                Some(got) if got == expected => {}
                Some(got) => return Err(format!("header `{name}`: expected `{expected}`, got `{got}`")),
                None => return Err(format!("header `{name}`: expected `{expected}`, not sent")),
            }
        }
    }
    if let Some(Value::Array(forbidden)) = serialized.get("forbidHeaders") {
        for name in forbidden.iter().filter_map(Value::as_str) {
            if let Some(got) = actual.header(name) {
                return Err(format!("header `{name}` must not be sent; sent `{got}`"));
            }
        }
    }
    if let Some(host) = serialized.get("host").and_then(Value::as_str) {
        if host != actual.host {
            return Err(format!("host: expected `{host}`, got `{}`", actual.host));
        }
    }
    Ok(())
}

/// The path must be equal; the query string's parameters may come in any order.
fn uri(expected: &str, actual: &str) -> Result<(), String> {
    let (expected_path, expected_query) = expected.split_once('?').unwrap_or((expected, ""));
    let (actual_path, actual_query) = actual.split_once('?').unwrap_or((actual, ""));
    if expected_path != actual_path {
        return Err(format!("URI path: expected `{expected_path}`, got `{actual_path}` (URI `{actual}`)"));
    }
    if parameters(expected_query) != parameters(actual_query) {
        return Err(format!("URI query: expected `{expected_query}`, got `{actual_query}` (compared as a set of parameters)"));
    }
    Ok(())
}

/// `a=1&b=2&a=3` as a multiset of its raw `key=value` parts.
fn parameters(query: &str) -> BTreeMap<&str, usize> {
    let mut set = BTreeMap::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        *set.entry(part).or_insert(0) += 1;
    }
    set
}

fn body(protocol: &str, expected: &str, actual: &str) -> Result<(), String> {
    let same = match protocol {
        "ec2" | "query" => parameters(expected) == parameters(actual),
        "json" | "rest-json" => match (serde_json::from_str::<Value>(expected), serde_json::from_str::<Value>(actual)) {
            (Ok(e), Ok(a)) => same_json(&e, &a),
            // botocore's runner: rest-json bodies that are not JSON compare as bytes.
            _ => expected == actual,
        },
        // botocore's runner: `ET.canonicalize(strip_text=True)` of both.
        "rest-xml" => match (canonical_xml(expected), canonical_xml(actual)) {
            (Ok(e), Ok(a)) => e == a,
            _ => expected == actual,
        },
        _ => expected == actual,
    };
    if same {
        return Ok(());
    }
    // XML is shown as compared: canonical, one event after another.
    if let ("rest-xml", Ok(e), Ok(a)) = (protocol, canonical_xml(expected), canonical_xml(actual)) {
        return Err(format!("body (canonical XML): {}", differ(&e.join(""), &a.join(""))));
    }
    Err(format!("body: {}", differ(expected, actual)))
}

/// An XML document as its events, as `ET.canonicalize(strip_text=True)`
/// compares it: element names (with their prefixes), attributes (the
/// `xmlns` declarations among them) in name order, and text with
/// surrounding whitespace stripped, whitespace-only text dropped;
/// comments, processing instructions and the declaration left out.
pub fn canonical_xml(text: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    let start = |e: &quick_xml::events::BytesStart<'_>| -> Result<String, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let value = a.unescape_value().map_err(|e| e.to_string())?;
            attrs.push(format!("{}={value:?}", String::from_utf8_lossy(a.key.as_ref())));
        }
        attrs.sort();
        Ok(format!("<{} {}>", String::from_utf8_lossy(e.name().as_ref()), attrs.join(" ")))
    };
    // Adjacent text, references and CDATA are one text.
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<String>| {
        if !pending.trim().is_empty() {
            out.push(format!("text {:?}", pending.trim()));
        }
        pending.clear();
    };
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Text(t) => pending.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::CData(t) => pending.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).to_string();
                let entity = format!("&{name};");
                let resolved = quick_xml::escape::unescape(&entity).map_err(|e| e.to_string())?;
                pending.push_str(&resolved);
            }
            Event::Start(e) => {
                flush(&mut pending, &mut out);
                out.push(start(&e)?);
            }
            Event::Empty(e) => {
                flush(&mut pending, &mut out);
                out.push(start(&e)?);
                out.push("</>".to_string());
            }
            Event::End(_) => {
                flush(&mut pending, &mut out);
                out.push("</>".to_string());
            }
            Event::Eof => break,
            _ => flush(&mut pending, &mut out),
        }
    }
    if out.is_empty() { Err("no element".into()) } else { Ok(out) }
}

/// JSON equality with numbers compared by value (`1` is `1.0`).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// A body on one line, for a report line.
fn squash(text: &str) -> String {
    let one = squash_all(text);
    if one.chars().count() > 300 { format!("{}…", one.chars().take(300).collect::<String>()) } else { one }
}

/// `expected ..., got ...` for two texts on one line each; when they are
/// long, the part around where they first differ, so that a report line
/// shows the difference.
fn differ(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<char>, Vec<char>) = (squash_all(expected).chars().collect(), squash_all(actual).chars().collect());
    if e.len() <= 300 && a.len() <= 300 {
        return format!("expected `{}`, got `{}`", e.iter().collect::<String>(), a.iter().collect::<String>());
    }
    let at = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
    let window = |t: &[char]| {
        let start = at.saturating_sub(60);
        let end = (at + 120).min(t.len());
        format!("{}{}{}", if start > 0 { "…" } else { "" }, t[start.min(end)..end].iter().collect::<String>(), if end < t.len() { "…" } else { "" })
    };
    format!("from character {at}: expected `{}`, got `{}`", window(&e), window(&a))
}

/// A text on one line, whole.
fn squash_all(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A decoded error, as the harness reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedError {
    /// The error code, when one was read.
    pub code: Option<String>,
    /// The message, when one was read.
    pub message: Option<String>,
    /// The error's own members besides the message (in botocore's view:
    /// keyed by member names), when its type has any.
    pub members: Option<Map<String, Value>>,
    /// How the error displays (for a report).
    pub display: String,
}

/// Checks a decoded value (in botocore's view: keyed by member names)
/// against a case's `result`.
pub fn output(expected: &Value, actual: &Value) -> Result<(), String> {
    if same_json(expected, actual) {
        Ok(())
    } else {
        Err(format!("result: {}", differ(&expected.to_string(), &actual.to_string())))
    }
}

/// Checks a decoded error against a case's `errorCode`, `errorMessage` and
/// `error` (the error shape's members; its `Message` is the message, the
/// others are compared as JSON values with the error's own members).
pub fn error(code: &str, message: Option<&str>, members: &Map<String, Value>, actual: &DecodedError) -> Result<(), String> {
    if actual.code.as_deref() != Some(code) {
        return Err(format!("error code: expected `{code}`, got {:?} ({})", actual.code, actual.display));
    }
    let expected_message = message.or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case("message")).and_then(|(_, v)| v.as_str()));
    if expected_message.unwrap_or_default() != actual.message.as_deref().unwrap_or_default() {
        return Err(format!("error message: expected {expected_message:?}, got {:?}", actual.message));
    }
    let others: Map<String, Value> = members.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("message")).map(|(k, v)| (k.clone(), v.clone())).collect();
    match &actual.members {
        None if others.is_empty() => Ok(()),
        None => Err(format!(
            "error members {:?}: the generated error has no members besides code, message and request ID",
            others.keys().collect::<Vec<_>>()
        )),
        Some(got) if same_json(&Value::Object(others.clone()), &Value::Object(got.clone())) => Ok(()),
        Some(got) => Err(format!(
            "error members: expected `{}`, got `{}`",
            squash(&Value::Object(others).to_string()),
            squash(&Value::Object(got.clone()).to_string())
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rest_xml_bodies_compare_as_canonical_xml() {
        let same = |a: &str, b: &str| super::body("rest-xml", a, b).is_ok();
        assert!(same("<A x=\"1\" y=\"2\">\n  <b> hi </b>\n</A>", "<A y=\"2\" x=\"1\"><b>hi</b></A>"));
        assert!(same("<A><b>&lt;x&gt;</b><c/></A>", "<A><b>&lt;x></b><c></c></A>"));
        assert!(!same("<A><b>hi</b></A>", "<A><c>hi</c></A>"), "element names");
        assert!(!same("<A x=\"1\"/>", "<A x=\"2\"/>"), "attributes");
        assert!(!same("<A xmlns=\"u\"/>", "<A/>"), "namespaces");
        assert!(!same("<A><b>a b</b></A>", "<A><b>a  b</b></A>"), "inner text");
        assert!(!same("<A><b/><c/></A>", "<A><c/><b/></A>"), "order");
    }

    use serde_json::json;

    use super::*;

    fn request(uri: &str, body: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            method: "POST".into(),
            uri: uri.into(),
            host: "example.com".into(),
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.into(),
        }
    }

    #[test]
    fn form_bodies_and_queries_compare_as_parameter_sets() {
        let serialized = json!({"method": "POST", "uri": "/?b=2&a=1", "body": "Action=Op&Version=1&Foo=x",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}});
        let ok = request("/?a=1&b=2", "Version=1&Foo=x&Action=Op", &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")]);
        assert_eq!(input("ec2", &serialized, &ok), Ok(()));
        let bad = request("/?a=1&b=2", "Version=1&Foo=y&Action=Op", &ok.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
        assert!(input("ec2", &serialized, &bad).expect_err("body").starts_with("body: "));
        let path = request("/x?a=1&b=2", &ok.body, &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")]);
        assert!(input("ec2", &serialized, &path).expect_err("path").starts_with("URI path"));
        let twice = request("/?a=1&a=1&b=2", &ok.body, &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")]);
        assert!(input("ec2", &serialized, &twice).expect_err("multiset").starts_with("URI query"));
        let no_header = request("/?a=1&b=2", &ok.body, &[]);
        assert!(input("ec2", &serialized, &no_header).expect_err("header").contains("not sent"));
    }

    #[test]
    fn json_bodies_compare_as_values_and_forbidden_headers_fail() {
        let serialized = json!({"uri": "/", "body": "{\"a\": 1, \"b\": [1.0]}", "forbidHeaders": ["X-Amz-Target"]});
        assert_eq!(input("json", &serialized, &request("/", r#"{"b":[1],"a":1.0}"#, &[])), Ok(()));
        assert!(input("json", &serialized, &request("/", r#"{"b":[2],"a":1}"#, &[])).is_err());
        let err = input("json", &serialized, &request("/", r#"{"a":1,"b":[1]}"#, &[("x-amz-target", "T")])).expect_err("forbidden");
        assert!(err.contains("must not be sent"), "{err}");
    }

    #[test]
    fn long_differences_are_shown_where_they_start() {
        let long = "x".repeat(500);
        let message = differ(&format!("{long}A{long}"), &format!("{long}B{long}"));
        assert!(message.starts_with("from character 500: "), "{message}");
        assert!(message.contains("xA") && message.contains("xB"), "{message}");
        assert_eq!(differ("a b", "a  c"), "expected `a b`, got `a c`");
    }

    #[test]
    fn outputs_and_errors() {
        assert_eq!(output(&json!({"a": 1, "t": 1398796238}), &json!({"t": 1398796238.0, "a": 1})), Ok(()));
        assert!(output(&json!({"a": 1}), &json!({"a": 1, "b": []})).is_err());
        let decoded = DecodedError { code: Some("Foo".into()), message: Some("Hi".into()), members: None, display: String::new() };
        let members = json!({"Message": "Hi"});
        assert_eq!(error("Foo", None, members.as_object().expect("object"), &decoded), Ok(()));
        assert!(error("Bar", None, &Map::new(), &decoded).expect_err("code").contains("error code"));
        assert!(error("Foo", Some("Bye"), &Map::new(), &decoded).expect_err("message").contains("message"));
        let complex = json!({"Nested": {"Foo": "bar"}});
        assert!(error("Foo", Some("Hi"), complex.as_object().expect("object"), &decoded).expect_err("members").contains("Nested"));
    }

    #[test]
    fn error_members_compare_as_values_beside_the_message() {
        let expected = json!({"Message": "Hi", "TopLevel": "t", "Nested": {"Foo": "bar"}, "Count": 1});
        let expected = expected.as_object().expect("object");
        let got = json!({"Count": 1.0, "Nested": {"Foo": "bar"}, "TopLevel": "t"}).as_object().cloned();
        let decoded = DecodedError { code: Some("E".into()), message: Some("Hi".into()), members: got, display: String::new() };
        assert_eq!(error("E", None, expected, &decoded), Ok(()));
        let wrong = json!({"Nested": {"Foo": "baz"}, "TopLevel": "t", "Count": 1}).as_object().cloned();
        let err = error("E", None, expected, &DecodedError { members: wrong, ..decoded.clone() }).expect_err("a member differs");
        assert!(err.starts_with("error members: expected"), "{err}");
        let extra = json!({"TopLevel": "t"}).as_object().cloned();
        assert!(error("E", Some("Hi"), &Map::new(), &DecodedError { members: extra, ..decoded.clone() }).is_err(), "a member the case does not expect");
        let none_set = json!({}).as_object().cloned();
        assert_eq!(error("E", Some("Hi"), &Map::new(), &DecodedError { members: none_set, ..decoded }), Ok(()));
    }
}
