//! botocore's protocol test files: a list of suites, each with `metadata`,
//! `shapes` and `cases`; and the service model each suite becomes.

use serde_json::{Map, Value, json};

/// Which way a suite file's cases go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `params` → a request, compared with `serialized`.
    Input,
    /// `response` → a value or an error, compared with `result` or `error`.
    Output,
}

/// One suite file (`input/ec2.json`).
#[derive(Debug)]
pub struct SuiteFile {
    /// How it is shown: `input/ec2.json`.
    pub label: String,
    /// The protocol, from the file name (`ec2`, `json`, `rest-json`).
    pub protocol: String,
    /// Input or output, from the folder.
    pub direction: Direction,
    /// Its suites, in file order.
    pub suites: Vec<Suite>,
}

/// One suite: the shapes and cases of one operation.
#[derive(Debug)]
pub struct Suite {
    /// Its place in the file, from 0.
    pub index: usize,
    /// `Test cases for X operation`.
    pub description: String,
    /// botocore's `metadata` (protocol, API version, target prefix, …).
    pub metadata: Map<String, Value>,
    /// botocore's shapes.
    pub shapes: Map<String, Value>,
    /// The same as written: member order is the wire's XML element order,
    /// which a `Map` (sorted) would lose.
    pub shapes_text: String,
    /// The endpoint requests go to (`clientEndpoint`), else `https://example.com`.
    pub endpoint: String,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case's ID (`Ec2QueryEmptyInputAndEmptyOutput`).
    pub id: String,
    /// The operation, in botocore's format.
    pub given: Map<String, Value>,
    /// The whole case, as written.
    pub raw: Map<String, Value>,
}

impl Case {
    /// The operation's name.
    pub fn operation(&self) -> &str {
        self.given.get("name").and_then(Value::as_str).unwrap_or("OperationName")
    }

    /// A field of the case.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.raw.get(key)
    }
}

/// Reads a suite file; `label` is how it is shown (`input/ec2.json`).
pub fn parse(label: &str, text: &str) -> Result<SuiteFile, String> {
    let (folder, file) = label.rsplit_once('/').unwrap_or(("", label));
    let folder = folder.rsplit('/').next().unwrap_or(folder);
    let direction = match folder {
        "input" => Direction::Input,
        "output" => Direction::Output,
        other => return Err(format!("`{label}`: a suite file lives in `input/` or `output/`, not `{other}/`")),
    };
    let protocol = file.strip_suffix(".json").unwrap_or(file).to_string();
    let value: Value = serde_json::from_str(text).map_err(|e| format!("`{label}`: not JSON: {e}"))?;
    let Value::Array(list) = value else {
        return Err(format!("`{label}`: a suite file is a JSON list of suites"));
    };
    let raw: Vec<RawSuite<'_>> = serde_json::from_str(text).map_err(|e| format!("`{label}`: not a list of suites: {e}"))?;
    let mut suites = Vec::new();
    for (index, suite) in list.into_iter().enumerate() {
        let shapes_text = raw.get(index).and_then(|r| r.shapes).map_or_else(|| "{}".to_string(), |r| r.get().to_string());
        let at = |what: &str| format!("`{label}` [{index}]: {what}");
        let Value::Object(mut suite) = suite else { return Err(at("a suite is an object")) };
        let object = |suite: &mut Map<String, Value>, key: &str| match suite.remove(key) {
            Some(Value::Object(o)) => Ok(o),
            None => Ok(Map::new()),
            Some(_) => Err(at(&format!("`{key}` is not an object"))),
        };
        let metadata = object(&mut suite, "metadata")?;
        let shapes = object(&mut suite, "shapes")?;
        let description = suite.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        let endpoint = suite.get("clientEndpoint").and_then(Value::as_str).unwrap_or("https://example.com").to_string();
        let Some(Value::Array(raw_cases)) = suite.remove("cases") else { return Err(at("`cases` is not a list")) };
        let mut cases = Vec::new();
        for (n, case) in raw_cases.into_iter().enumerate() {
            let Value::Object(raw) = case else { return Err(at(&format!("case {n} is not an object"))) };
            let id = raw.get("id").and_then(Value::as_str).map_or_else(|| format!("{index}:{n}"), str::to_string);
            let Some(Value::Object(given)) = raw.get("given").cloned() else {
                return Err(at(&format!("case `{id}` has no `given` operation")));
            };
            cases.push(Case { id, given, raw });
        }
        suites.push(Suite { index, description, metadata, shapes, shapes_text, endpoint, cases });
    }
    Ok(SuiteFile { label: label.to_string(), protocol, direction, suites })
}

/// A suite as written: its shapes' text.
#[derive(serde::Deserialize)]
struct RawSuite<'a> {
    #[serde(borrow, default)]
    shapes: Option<&'a serde_json::value::RawValue>,
}

impl Suite {
    /// The botocore `service-2.json` this suite stands for: its metadata
    /// (named `service` so the module is `aws::<service>`), its shapes as
    /// written (member order kept), and the operations its cases give.
    pub fn service_json(&self, service: &str) -> String {
        let mut metadata = self.metadata.clone();
        metadata.insert("serviceId".into(), json!(service));
        metadata.insert("serviceFullName".into(), json!(self.description));
        metadata.entry("endpointPrefix").or_insert_with(|| json!(service));
        // The suites give EC2 no XML namespace; the generator needs one to
        // write response XML (decoding ignores it). The suites' responses use this one.
        if metadata.get("protocol").and_then(Value::as_str) == Some("ec2") {
            metadata.entry("xmlNamespace").or_insert_with(|| json!("https://example.com/"));
        }
        let mut operations = Map::new();
        for case in &self.cases {
            operations.entry(case.operation().to_string()).or_insert_with(|| Value::Object(case.given.clone()));
        }
        format!(r#"{{"metadata":{},"shapes":{},"operations":{}}}"#, Value::Object(metadata), self.shapes_text, Value::Object(operations))
    }
}

/// botocore's `locationName` of a member, else its name: the name the
/// importer gives the member on the wire (`MemberSchema::wire`).
fn wire_name<'a>(member: &'a str, spec: &'a Value) -> &'a str {
    spec.get("locationName").and_then(Value::as_str).unwrap_or(member)
}

/// The exception shape whose error code is `code`: its `error.code`, else
/// its name, as botocore's `shape_for_error_code` finds it.
pub fn error_shape<'a>(shapes: &'a Map<String, Value>, code: &str) -> Option<&'a str> {
    let exceptions = || shapes.iter().filter(|(_, s)| s.get("exception").and_then(Value::as_bool) == Some(true));
    exceptions()
        .find(|(_, s)| s.pointer("/error/code").and_then(Value::as_str) == Some(code))
        .or_else(|| exceptions().find(|(name, _)| name.as_str() == code))
        .map(|(name, _)| name.as_str())
}

/// Walks `value` (botocore's view: structures keyed by member name) along
/// `shape`, renaming structure keys to wire names (`to_wire`) or back.
pub fn rename(shapes: &Map<String, Value>, shape: &str, value: &Value, to_wire: bool, depth: usize) -> Result<Value, String> {
    if depth > 64 {
        return Err("the value is nested more than 64 levels deep".into());
    }
    let Some(spec) = shapes.get(shape) else { return Ok(value.clone()) };
    let kind = spec.get("type").and_then(Value::as_str).unwrap_or_default();
    let target = |r: Option<&Value>| r.and_then(|r| r.get("shape")).and_then(Value::as_str).map(str::to_string);
    Ok(match (kind, value) {
        ("structure", Value::Object(object)) => {
            let members = spec.get("members").and_then(Value::as_object);
            let mut out = Map::new();
            for (key, v) in object {
                let found = members.and_then(|m| {
                    if to_wire {
                        m.get(key).map(|s| (wire_name(key, s).to_string(), s))
                    } else {
                        m.iter().find(|(name, s)| wire_name(name, s) == key).map(|(name, s)| (name.clone(), s))
                    }
                });
                match found {
                    Some((name, member)) => {
                        let inner = match target(Some(member)) {
                            Some(t) => rename(shapes, &t, v, to_wire, depth + 1)?,
                            None => v.clone(),
                        };
                        if out.insert(name.clone(), inner).is_some() {
                            return Err(format!("two members of `{shape}` have the wire name `{name}`"));
                        }
                    }
                    None => {
                        out.insert(key.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        }
        ("list", Value::Array(items)) => match target(spec.get("member")) {
            Some(t) => Value::Array(items.iter().map(|i| rename(shapes, &t, i, to_wire, depth + 1)).collect::<Result<_, _>>()?),
            None => value.clone(),
        },
        ("map", Value::Object(entries)) => match target(spec.get("value")) {
            Some(t) => Value::Object(
                entries.iter().map(|(k, v)| Ok((k.clone(), rename(shapes, &t, v, to_wire, depth + 1)?))).collect::<Result<_, String>>()?,
            ),
            None => value.clone(),
        },
        _ => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shapes_are_found_by_code_then_by_name() {
        let shapes = json!({
            "Plain": {"type": "structure", "members": {}, "exception": true},
            "Coded": {"type": "structure", "members": {}, "exception": true, "error": {"code": "Other"}},
            "Other": {"type": "structure", "members": {}},
        });
        let shapes = shapes.as_object().expect("object");
        assert_eq!(error_shape(shapes, "Plain"), Some("Plain"));
        assert_eq!(error_shape(shapes, "Other"), Some("Coded"), "the code wins over a shape of that name");
        assert_eq!(error_shape(shapes, "Nope"), None);
    }

    #[test]
    fn suites_parse_and_become_service_models() {
        let text = r#"[{"description":"Test cases for Op operation","metadata":{"protocol":"ec2","apiVersion":"2020-01-08"},
            "shapes":{"In":{"type":"structure","members":{"Foo":{"shape":"S","locationName":"foo"}}},"S":{"type":"string"}},
            "cases":[{"id":"A","given":{"name":"Op","http":{"method":"POST","requestUri":"/"},"input":{"shape":"In"}},"params":{"Foo":"x"}}]}]"#;
        let file = parse("input/ec2.json", text).expect("parses");
        assert_eq!((file.protocol.as_str(), file.direction), ("ec2", Direction::Input));
        let suite = &file.suites[0];
        assert_eq!((suite.cases[0].id.as_str(), suite.cases[0].operation()), ("A", "Op"));
        let service: Value = serde_json::from_str(&suite.service_json("suite0")).expect("JSON");
        assert_eq!(service["metadata"]["serviceId"], "suite0");
        assert_eq!(service["operations"]["Op"]["input"]["shape"], "In");
        let wire = rename(&suite.shapes, "In", &json!({"Foo": "x"}), true, 0).expect("renames");
        assert_eq!(wire, json!({"foo": "x"}));
        assert_eq!(rename(&suite.shapes, "In", &wire, false, 0).expect("back"), json!({"Foo": "x"}));
    }

    #[test]
    fn the_service_keeps_the_suites_member_order() {
        let text = r#"[{"metadata":{"protocol":"rest-xml"},"shapes":{"In":{"type":"structure","members":{"zeta":{"shape":"S"},"alpha":{"shape":"S"}}},"S":{"type":"string"}},"cases":[]}]"#;
        let file = parse("input/rest-xml.json", text).expect("parses");
        let service = file.suites[0].service_json("s");
        let (zeta, alpha) = (service.find("zeta").expect("zeta"), service.find("alpha").expect("alpha"));
        assert!(zeta < alpha, "XML element order is member order: {service}");
    }

    #[test]
    fn bad_files_are_errors_that_say_where() {
        assert!(parse("input/ec2.json", "{}").expect_err("not a list").contains("list of suites"));
        assert!(parse("other/ec2.json", "[]").expect_err("folder").contains("`input/` or `output/`"));
        let no_given = r#"[{"cases":[{"id":"X"}]}]"#;
        assert!(parse("input/json.json", no_given).expect_err("given").contains("case `X` has no `given`"));
    }
}
