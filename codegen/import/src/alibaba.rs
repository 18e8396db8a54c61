//! Alibaba Cloud's OpenAPI metadata (`api-docs.json`) → a model.
//!
//! What maps to what (the metadata's keys on the left):
//!
//! | metadata | model |
//! |---|---|
//! | `info` `{style: RPC, product, version}` | `service`: protocol `alibaba-rpc`, provider `alibaba`, name `product` in lower case (`Ecs` → `ecs`), `api_version` `version` |
//! | `apis.<Name>` | `operations.<Name>`, with `input` `<Name>Request` and `output` `<Name>Response`; no `http` (RPC APIs take `GET` and `POST` on `/`; the protocol sends a form `POST`) |
//! | `title`, `summary`, `description` (Markdown, Chinese) | the operation's `docs`, paragraph by paragraph, verbatim; `deprecated: true` puts `Deprecated: …` first |
//! | `parameters[]` (`name`, `in: query`, `style`, `schema`) | members of `<Name>Request`, in document order; the wire name is the parameter's name |
//! | `responses."200".schema` | `<Name>Response` |
//! | `schema.properties` | structure members, in document order; `required: true` marks a member required |
//! | `type: object` | a structure (naming below) |
//! | `type: array` (`items`, `maxItems`, `minItems`) | a list |
//! | `type: string` (`enum`; `maxLength`, `minLength`, `pattern`) | an `enum`; a `string` shape when constrained; else the built-in `string` |
//! | `type: integer` (`format: int32` / `int64`), `type: number` (`float` / `double`), `minimum`, `maximum` (strings, parsed) | `integer` / `long`, `float` / `double`: a shape when bounded, else the built-in |
//! | `type: boolean` | the built-in `boolean` |
//! | `description` (else `title`), `example`, `default`, `deprecated` | the member's `docs`, `example`, `default`, `deprecated` |
//! | `errorCodes` `{"<status>": [{errorCode, errorMessage}]}` | `errors`, keyed by code; fault `server` under 5xx, else `client` (rules in `finish_errors`) |
//! | `$ref: "#/components/schemas/<Name>"` | the shape `<Name>`, shared by every use |
//!
//! Naming of nested shapes: a shape made from an inline schema is named
//! after its path from the operation: the owner structure's name followed
//! by the member's name (`RunInstancesRequest` + `SystemDisk` →
//! `RunInstancesRequestSystemDisk`; `DescribeInstancesResponse` +
//! `Instances` → `DescribeInstancesResponseInstances`). A list is named
//! `<path>List` and its items take `<path>` itself
//! (`CancelImagePipelineExecutionRequestTemplateTagList` of
//! `CancelImagePipelineExecutionRequestTemplateTag`), or `<path>Item` when
//! the items are lists too. A schema reached through `$ref` keeps the
//! component's name. A name already taken gets a number (`…2`).
//!
//! Parameter styles: the runtime's query encoder numbers list items from 1
//! and joins members of structures with a dot, so `repeatList` lists are
//! sent as `Name.1`, `Name.2`, `Name.1.Key`, and `flat` objects as
//! `Name.Key` (flat lists as `Name.1.Key`), which is what both styles mean:
//! the members keep the parameter's name as their wire name and need no
//! `query_name`. A `json` parameter (one JSON text) cannot be described in
//! the model format: it is imported as a `string` member whose docs say the
//! value is JSON text, and a note lists them. Parameter names with literal
//! indices or dots (`Filter.1.Key`, `SystemDisk.Size`) stay the wire name;
//! the member's `name` keeps only their letters and digits (`Filter1Key`).
//! A parameter listed twice is imported once, with a note.
//!
//! Responses that wrap one array in an object (`Instances: {Instance:
//! [...]}`) are kept as the vendor shapes them: a structure with one list
//! member, since that is the JSON the service sends.
//!
//! Skipped on purpose, each reported and listed in a note: objects without
//! `properties` (maps with undocumented keys), schemas of other types,
//! parameters outside the query string, and recursive `$ref`s.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use codegen::model::{
    EnumShape, EnumValue, ErrorDef, Fault, ImportedFrom, ListShape, Member, Model, Note, NumberShape,
    Operation, Protocol, Service, Shape, StringShape, StructureShape,
};

use crate::json::{Json, join};
use crate::{ImportError, Imported, upper_first};

/// Where the file came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name (`ecs-2014-05-26-api-docs.json`).
    pub file: String,
}

/// Imports Alibaba Cloud API metadata (its bytes). `operations`, when not
/// empty, trims the model to those APIs and the shapes they use.
pub fn import(json: &[u8], source: &Source, operations: &[String]) -> Result<Imported, ImportError> {
    let root: Json = serde_json::from_slice(json).map_err(|e| {
        ImportError::new(
            format!("line {} column {}", e.line(), e.column()),
            format!("not Alibaba Cloud API metadata (JSON): {e}"),
        )
    })?;
    Importer::new(&root, source)?.run(operations)
}

/// What one error code is documented as, over every operation.
#[derive(Default)]
struct ErrorFacts {
    /// Statuses, each with the operations that document the code under it.
    statuses: BTreeMap<u16, Vec<String>>,
    /// Distinct messages, first seen first.
    messages: Vec<String>,
}

struct Importer<'f> {
    root: &'f Json,
    product: String,
    version: String,
    file: String,
    label: String,
    schemas: &'f [(String, Json)],
    shapes: BTreeMap<String, Shape>,
    /// `$ref` names already imported, with their target (`None`: skipped).
    refs: BTreeMap<String, Option<String>>,
    resolving: BTreeSet<String>,
    errors: BTreeMap<String, ErrorFacts>,
    skipped: Vec<String>,
    /// Notes, by what they are about: one note per kind of finding.
    findings: BTreeMap<&'static str, Vec<String>>,
}

const JSON_STYLE: &str = "the parameter has the vendor's `json` style (its value is one JSON text), which the model format cannot describe; it is imported as a `string` member whose docs say so, and the caller writes the JSON";
const DUPLICATE: &str = "the API lists the parameter more than once; it is imported once (the first)";
const DUPLICATE_DIFFERENT: &str = "the API lists the parameter more than once with different schemas; the first is imported";
const RENAMED: &str = "the wire name has characters other than letters and digits (literal indices such as `Filter.1.Key`, dotted names); it is kept as `wire_name`, and the member's `name` keeps only its letters and digits";
const STATUSES: &str = "the error code is documented under more than one HTTP status; the model keeps the lowest as `http_status` (the generated `http_status()` reports the status actually received first)";
const MESSAGES: &str = "the error code is documented with different messages; `message` keeps the first (by operation name) and the docs list every one";

impl<'f> Importer<'f> {
    fn new(root: &'f Json, source: &Source) -> Result<Self, ImportError> {
        root.object("")?;
        let info = root.get("info").ok_or_else(|| ImportError::new("info", "`info` is missing"))?;
        info.object("info")?;
        let style = info.str("style", "info")?;
        if style != "RPC" {
            return Err(ImportError::new(
                "info.style",
                format!("the API style `{style}` is not one the generator speaks (RPC); ROA APIs are not imported yet"),
            ));
        }
        let product = info.str("product", "info")?.to_string();
        let version = info.str("version", "info")?.to_string();
        let schemas = match root.get("components") {
            Some(c) => c.opt_object("schemas", "components")?.unwrap_or_default(),
            None => &[],
        };
        Ok(Importer {
            root,
            label: format!("alibaba-api-docs {version}: {}", source.file),
            product,
            version,
            file: source.file.clone(),
            schemas,
            shapes: BTreeMap::new(),
            refs: BTreeMap::new(),
            resolving: BTreeSet::new(),
            errors: BTreeMap::new(),
            skipped: Vec::new(),
            findings: BTreeMap::new(),
        })
    }

    fn skip(&mut self, what: &'static str, item: String) {
        self.skipped.push(format!("{item}: {what}"));
        self.findings.entry(what).or_default().push(item);
    }

    fn finding(&mut self, what: &'static str, item: String) {
        self.findings.entry(what).or_default().push(item);
    }

    fn run(mut self, wanted: &[String]) -> Result<Imported, ImportError> {
        let name: String = self.product.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
        if name.is_empty() {
            return Err(ImportError::new("info.product", "the product has no name to make a module from"));
        }
        let root = self.root;
        let apis = root.opt_object("apis", "")?.ok_or_else(|| ImportError::new("apis", "`apis` is missing"))?;
        let mut ops: Vec<(&str, &Json)> = Vec::new();
        if wanted.is_empty() {
            ops.extend(apis.iter().map(|(k, v)| (k.as_str(), v)));
        } else {
            for w in wanted {
                match apis.iter().find(|(k, _)| k == w) {
                    Some((k, v)) => ops.push((k, v)),
                    None => {
                        let help = match apis.iter().find(|(k, _)| k.eq_ignore_ascii_case(w)) {
                            Some((k, _)) => format!("; did you mean `{k}`?"),
                            None => String::new(),
                        };
                        return Err(ImportError::new(format!("apis.{w}"), format!("the metadata has no API `{w}`{help}")));
                    }
                }
            }
        }
        // Sorted by name, so that a trimmed import names shapes as a full one does.
        ops.sort_by(|a, b| a.0.cmp(b.0));
        ops.dedup_by(|a, b| a.0 == b.0);

        let mut operations = BTreeMap::new();
        for (op, api) in &ops {
            let path = format!("apis.{op}");
            if operations.contains_key(*op) {
                return Err(ImportError::new(path, format!("the API `{op}` is defined twice")));
            }
            api.object(&path)?;
            let operation = self.operation(op, api, &path)?;
            operations.insert(op.to_string(), operation);
        }
        let errors = self.finish_errors(&mut operations);
        let title = match root.get("info").and_then(|i| i.get("title")).and_then(Json::text) {
            Some(t) => t,
            None => {
                self.finding(
                    "the metadata gives no service title; the model uses the product code",
                    self.product.clone(),
                );
                self.product.clone()
            }
        };
        let model = Model {
            service: Service {
                provider: "alibaba".into(),
                name: name.clone(),
                title,
                api_version: self.version.clone(),
                protocol: Protocol::AlibabaRpc,
                xml_namespace: None,
                target_prefix: None,
                sources: vec![self.label.clone()],
                source_pages: Default::default(),
                docs: None,
                endpoint_prefix: None,
                signing_name: None,
                imported_from: Some(ImportedFrom {
                    package: "alibaba-api-docs".into(),
                    version: self.version.clone(),
                    file: self.file.clone(),
                    operations: if wanted.is_empty() { Vec::new() } else { ops.iter().map(|(k, _)| k.to_string()).collect() },
                }),
            },
            operations,
            shapes: std::mem::take(&mut self.shapes),
            errors,
            notes: self.notes(),
        };
        Ok(Imported { model, path: format!("alibaba/{name}.yaml"), skipped: self.skipped })
    }

    fn operation(&mut self, op: &str, api: &Json, path: &str) -> Result<Operation, ImportError> {
        let mut paragraphs = Vec::new();
        if api.flag("deprecated", path)? {
            paragraphs.push("Deprecated: the vendor metadata marks this API deprecated.".to_string());
        }
        for key in ["title", "summary", "description"] {
            if let Some(text) = api.opt_str(key, path)? {
                if !text.trim().is_empty() {
                    paragraphs.push(text.trim().to_string());
                }
            }
        }
        let input = self.request(op, api, path)?;
        let output = self.response(op, api, path)?;
        let errors = self.operation_errors(op, api, path)?;
        Ok(Operation {
            docs: paragraphs.join("\n\n"),
            source: self.label.clone(),
            http: None,
            input,
            output,
            errors,
            idempotent: false,
            precondition: None,
            examples: Vec::new(),
            waiters: Default::default(),
            request_compression: Vec::new(),
            host_prefix: None,
            xml_root: None,
            xml_namespace: None,
        })
    }

    /// `<Op>Request`, from the parameters.
    fn request(&mut self, op: &str, api: &Json, path: &str) -> Result<String, ImportError> {
        let name = self.reserve(&format!("{op}Request"));
        let params = api.opt_array("parameters", path)?.unwrap_or_default();
        let mut members = Vec::new();
        let mut fields = BTreeSet::new();
        let mut seen: BTreeMap<&str, &Json> = BTreeMap::new();
        for (i, p) in params.iter().enumerate() {
            let pp = format!("{path}.parameters[{i}]");
            p.object(&pp)?;
            let pname = p.str("name", &pp)?;
            let schema = p.get("schema").ok_or_else(|| ImportError::new(join(&pp, "schema"), "`schema` is missing"))?;
            let sp = join(&pp, "schema");
            schema.object(&sp)?;
            if let Some(first) = seen.get(pname) {
                let what = if *first == schema { DUPLICATE } else { DUPLICATE_DIFFERENT };
                self.finding(what, format!("{op}: {pname}"));
                continue;
            }
            seen.insert(pname, schema);
            match p.opt_str("in", &pp)? {
                None | Some("query" | "formData") => {}
                Some(other) => {
                    self.skip(
                        "parameters outside the query string or form (headers, paths, bodies) are not in the alibaba-rpc protocol",
                        format!("{pp} ({pname}, in `{other}`)"),
                    );
                    continue;
                }
            }
            let member = match p.opt_str("style", &pp)? {
                Some("json") => self.json_member(&name, pname, schema, &sp, &mut fields)?,
                None | Some("repeatList" | "flat" | "simple") => self.member(&name, pname, schema, &sp, &mut fields)?,
                Some(other) => {
                    self.skip("parameter styles other than repeatList, flat and json are not known", format!("{pp} ({pname}, style `{other}`)"));
                    None
                }
            };
            members.extend(member);
        }
        self.shapes.insert(name.clone(), Shape::Structure(StructureShape { docs: None, members, union: false }));
        Ok(name)
    }

    /// `<Op>Response`, from `responses."200".schema`.
    fn response(&mut self, op: &str, api: &Json, path: &str) -> Result<String, ImportError> {
        let name = self.reserve(&format!("{op}Response"));
        let rp = join(path, "responses");
        let responses = api.opt_object("responses", path)?.unwrap_or_default();
        for (status, _) in responses {
            if status != "200" {
                self.finding("the API documents a response other than 200, which is not imported (errors come from `errorCodes`)", format!("{op}: {status}"));
            }
        }
        let ok = responses.iter().find(|(k, _)| k == "200").map(|(_, v)| v);
        let schema = match ok {
            Some(ok) => {
                ok.object(&join(&rp, "200"))?;
                ok.get("schema").filter(|s| !matches!(s, Json::Null))
            }
            None => None,
        };
        let sp = format!("{rp}.200.schema");
        let members = match schema {
            None => {
                self.finding("the API documents no schema for its 200 response; the model gives it an empty structure", op.to_string());
                Vec::new()
            }
            Some(schema) => {
                let (schema, sp) = self.deref(schema, &sp)?;
                schema.object(&sp)?;
                match self.kind(schema, &sp)? {
                    "object" => self.members(&name, schema, &sp)?,
                    other => {
                        self.skip("a 200 response that is not an object cannot be an operation's output; the model gives it an empty structure", format!("{sp} (type `{other}`)"));
                        Vec::new()
                    }
                }
            }
        };
        self.shapes.insert(name.clone(), Shape::Structure(StructureShape { docs: None, members, union: false }));
        Ok(name)
    }

    /// The operation's error codes, in document order; each is recorded
    /// for [`Importer::finish_errors`].
    fn operation_errors(&mut self, op: &str, api: &Json, path: &str) -> Result<Vec<String>, ImportError> {
        let ep = join(path, "errorCodes");
        let Some(by_status) = api.opt_object("errorCodes", path)? else { return Ok(Vec::new()) };
        let mut codes: Vec<String> = Vec::new();
        let mut statuses: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
        for (status, list) in by_status {
            let sp = join(&ep, status);
            let Json::Array(list) = list else {
                return Err(ImportError::new(sp, format!("expected an array of errors, found {}", list.kind())));
            };
            let http: u16 = match status.trim().parse::<u16>() {
                Ok(s) if (100..=599).contains(&s) => s,
                _ => {
                    let codes: Vec<&str> = list.iter().filter_map(|e| e.get("errorCode")).filter_map(|c| if let Json::String(c) = c { Some(c.as_str()) } else { None }).collect();
                    self.skip(
                        "errors listed under a key that is not an HTTP status (100 to 599) are left out: their status is unknown",
                        format!("{sp} ({})", codes.join(", ")),
                    );
                    continue;
                }
            };
            for (i, e) in list.iter().enumerate() {
                let ip = format!("{sp}[{i}]");
                e.object(&ip)?;
                let raw = e.str("errorCode", &ip)?;
                let code = raw.trim();
                if code.is_empty() || code.chars().any(char::is_whitespace) {
                    self.skip("an error code that is empty or has white space inside cannot be matched", format!("{ip} ({raw:?})"));
                    continue;
                }
                if code != raw {
                    self.finding("the error code has white space around it in the metadata; the model trims it", format!("{op}: {raw:?}"));
                }
                let message = e.opt_str("errorMessage", &ip)?.unwrap_or_default().to_string();
                let facts = self.errors.entry(code.to_string()).or_default();
                let ops = facts.statuses.entry(http).or_default();
                if !ops.iter().any(|o| o == op) {
                    ops.push(op.to_string());
                }
                if !message.is_empty() && !facts.messages.contains(&message) {
                    facts.messages.push(message);
                }
                statuses.entry(code.to_string()).or_default().insert(http);
                if !codes.iter().any(|c| c == code) {
                    codes.push(code.to_string());
                }
            }
        }
        for (code, s) in statuses {
            if s.len() > 1 {
                let list: Vec<String> = s.iter().map(u16::to_string).collect();
                self.finding(
                    "the API lists the same error code under more than one HTTP status; the operation lists the error once",
                    format!("{op}: {code} ({})", list.join(", ")),
                );
            }
        }
        Ok(codes)
    }

    /// The model's errors, one per code: `http_status` the lowest status any
    /// operation documents it under, `fault` `server` for 5xx and `client`
    /// otherwise, `message` the first message, `docs` every message. Codes
    /// whose Rust names would clash get a numbered key (the code stays).
    fn finish_errors(&mut self, operations: &mut BTreeMap<String, Operation>) -> BTreeMap<String, ErrorDef> {
        let facts = std::mem::take(&mut self.errors);
        let mut defs = BTreeMap::new();
        let mut keys: BTreeMap<String, String> = BTreeMap::new();
        let mut rust: BTreeSet<String> = BTreeSet::new();
        for (code, f) in &facts {
            let Some((&http_status, _)) = f.statuses.iter().next() else { continue };
            if f.statuses.len() > 1 {
                let each: Vec<String> = f
                    .statuses
                    .iter()
                    .map(|(s, ops)| match ops.as_slice() {
                        [a] => format!("{s} in {a}"),
                        [a, b] => format!("{s} in {a} and {b}"),
                        more => format!("{s} in {} operations", more.len()),
                    })
                    .collect();
                self.finding(STATUSES, format!("{code} ({})", each.join("; ")));
            }
            if f.messages.len() > 1 {
                self.finding(MESSAGES, code.clone());
            }
            let docs = match f.messages.as_slice() {
                [] => "The vendor metadata gives no message for this error.".to_string(),
                [one] => one.clone(),
                many => many.iter().map(|m| format!("- {m}")).collect::<Vec<_>>().join("\n"),
            };
            let mut key = code.clone();
            let mut n = 2;
            while !rust.insert(type_key(&key)) {
                key = format!("{code}.{n}");
                n += 1;
            }
            if key != *code {
                self.finding("two error codes would give the same Rust variant; the second gets a numbered key (its code is unchanged)", format!("{code} as {key}"));
            }
            keys.insert(code.clone(), key.clone());
            defs.insert(
                key,
                ErrorDef {
                    code: code.clone(),
                    http_status,
                    fault: if http_status >= 500 { Fault::Server } else { Fault::Client },
                    retryable: false,
                    throttling: false,
                    message: f.messages.first().cloned(),
                    shape: None,
                    docs,
                    source: None,
                },
            );
        }
        for o in operations.values_mut() {
            o.errors = o.errors.iter().filter_map(|c| keys.get(c).cloned()).collect();
        }
        defs
    }

    /// A shape name no shape has yet, taken (an empty structure holds it
    /// until the shape is made).
    fn reserve(&mut self, wanted: &str) -> String {
        let name = if self.shapes.contains_key(wanted) {
            (2..).map(|n| format!("{wanted}{n}")).find(|n| !self.shapes.contains_key(n)).unwrap_or_default()
        } else {
            wanted.to_string()
        };
        self.shapes.insert(name.clone(), Shape::Structure(StructureShape { docs: None, members: Vec::new(), union: false }));
        name
    }

    /// Follows a `$ref` to its component schema (and its path); other schemas as they are.
    fn deref<'s>(&self, schema: &'s Json, path: &str) -> Result<(&'s Json, String), ImportError>
    where
        'f: 's,
    {
        let Some(r) = schema.opt_str("$ref", path)? else { return Ok((schema, path.to_string())) };
        let name = self.ref_name(r, &join(path, "$ref"))?;
        let (_, target) = self.component(name, &join(path, "$ref"))?;
        Ok((target, format!("components.schemas.{name}")))
    }

    fn ref_name<'r>(&self, r: &'r str, path: &str) -> Result<&'r str, ImportError> {
        r.strip_prefix("#/components/schemas/")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ImportError::new(path, format!("`{r}` is not a reference of the form `#/components/schemas/<Name>`")))
    }

    fn component(&self, name: &str, path: &str) -> Result<(&'f str, &'f Json), ImportError> {
        self.schemas
            .iter()
            .find(|(k, _)| k == name)
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| ImportError::new(path, format!("there is no schema `{name}` in `components.schemas`")))
    }

    /// The schema's `type`: written, or `object` / `array` when it has
    /// `properties` / `items`.
    fn kind<'s>(&self, schema: &'s Json, path: &str) -> Result<&'s str, ImportError> {
        match schema.opt_str("type", path)? {
            Some(k) => Ok(k),
            None if schema.get("properties").is_some() => Ok("object"),
            None if schema.get("items").is_some() => Ok("array"),
            None => Err(ImportError::new(join(path, "type"), "the schema has no `type`")),
        }
    }

    /// The target (a shape name or a built-in) of a schema whose shapes, if
    /// it needs any, are named from `base`; `None` when it is skipped.
    fn target(&mut self, base: &str, schema: &Json, path: &str) -> Result<Option<String>, ImportError> {
        schema.object(path)?;
        if let Some(r) = schema.opt_str("$ref", path)? {
            return self.reference(r, &join(path, "$ref"));
        }
        let docs = schema_docs(schema, path)?;
        match self.kind(schema, path)? {
            "string" => self.string(base, schema, path, docs),
            kind @ ("integer" | "number") => self.number(base, kind, schema, path, docs),
            "boolean" => Ok(Some("boolean".into())),
            "object" => {
                if schema.get("properties").is_none() {
                    self.skip("objects without `properties` (maps with undocumented keys) are not in the model format", path.to_string());
                    return Ok(None);
                }
                let name = self.reserve(base);
                let members = self.members(&name, schema, path)?;
                self.shapes.insert(name.clone(), Shape::Structure(StructureShape { docs, members, union: false }));
                Ok(Some(name))
            }
            "array" => {
                let ip = join(path, "items");
                let items = schema.get("items").ok_or_else(|| ImportError::new(&ip, "an array schema needs `items`"))?;
                let nested = matches!(self.deref(items, &ip)?.0.get("type"), Some(Json::String(t)) if t == "array");
                let item_base = if nested { format!("{base}Item") } else { base.to_string() };
                let Some(member) = self.target(&item_base, items, &ip)? else {
                    self.skip("a list whose items are skipped is skipped too", path.to_string());
                    return Ok(None);
                };
                let mut min_items = schema.opt_count("minItems", path)?;
                let mut max_items = schema.opt_count("maxItems", path)?;
                if let (Some(min), Some(max)) = (min_items, max_items) {
                    if min > max {
                        self.finding("`minimum` / `minItems` / `minLength` is above the maximum; both bounds are left out", path.to_string());
                        (min_items, max_items) = (None, None);
                    }
                }
                let name = self.reserve(&format!("{base}List"));
                self.shapes.insert(name.clone(), Shape::List(ListShape { docs, member, xml_item_name: None, min_items, max_items }));
                Ok(Some(name))
            }
            other => {
                self.skip("schemas of this type are not in the model format", format!("{path} (type `{other}`)"));
                Ok(None)
            }
        }
    }

    /// A `$ref`: its component imported once, under its own name.
    fn reference(&mut self, r: &str, path: &str) -> Result<Option<String>, ImportError> {
        let name = self.ref_name(r, path)?.to_string();
        if let Some(done) = self.refs.get(&name) {
            return Ok(done.clone());
        }
        if self.resolving.contains(&name) {
            self.skip("recursive references are not imported", format!("{path} ({r})"));
            return Ok(None);
        }
        let (_, schema) = self.component(&name, path)?;
        self.resolving.insert(name.clone());
        let target = self.target(&name, schema, &format!("components.schemas.{name}"))?;
        self.resolving.remove(&name);
        self.refs.insert(name, target.clone());
        Ok(target)
    }

    fn string(&mut self, base: &str, schema: &Json, path: &str, docs: Option<String>) -> Result<Option<String>, ImportError> {
        let values = self.enum_values(schema, path)?;
        let mut min_length = schema.opt_count("minLength", path)?;
        let mut max_length = schema.opt_count("maxLength", path)?;
        if let (Some(min), Some(max)) = (min_length, max_length) {
            if min > max {
                self.finding("`minimum` / `minItems` / `minLength` is above the maximum; both bounds are left out", path.to_string());
                (min_length, max_length) = (None, None);
            }
        }
        let raw_pattern = schema.opt_str("pattern", path)?;
        if let Some(values) = values {
            if values.is_empty() {
                self.finding("the `enum` list is empty; the member is imported as a plain string", path.to_string());
            } else {
                if min_length.is_some() || max_length.is_some() || raw_pattern.is_some() {
                    self.finding("an enum also has length or pattern constraints, which the model format keeps only for strings; the values are kept", path.to_string());
                }
                let titles = schema.get("enumValueTitles");
                let mut taken = BTreeSet::new();
                let values = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let key = type_key(v);
                        let name = if key.is_empty() {
                            Some(format!("Value {}", i + 1))
                        } else if taken.contains(&key) {
                            (2..).map(|n| format!("{v} {n}")).find(|n| !taken.contains(&type_key(n)))
                        } else {
                            None
                        };
                        taken.insert(name.as_deref().map_or(key, type_key));
                        let docs = titles.and_then(|t| t.get(v)).and_then(Json::text).filter(|t| t != v);
                        EnumValue { value: v.clone(), name, docs, phase: None }
                    })
                    .collect::<Vec<_>>();
                if values.iter().any(|v| v.name.is_some()) {
                    self.finding("enum values that would give the same Rust variant (`normal`, `Normal`) get a numbered `name`; the values stay as sent", path.to_string());
                }
                let name = self.reserve(base);
                self.shapes.insert(name.clone(), Shape::Enum(EnumShape { docs, values, lifecycle: None }));
                return Ok(Some(name));
            }
        } else if schema.get("enumValueTitles").is_some() {
            self.finding("`enumValueTitles` without `enum` names no values; it is not imported", path.to_string());
        }
        let pattern = raw_pattern.filter(|p| regex_syntax::Parser::new().parse(p).is_ok()).map(str::to_string);
        let docs = match (&pattern, raw_pattern) {
            (None, Some(p)) => {
                self.finding("the pattern is not in the syntax of the `regex` crate; it is left out of the model, and the shape's docs keep it", format!("{path}: {p}"));
                Some(format!("{}Pattern (not checked): `{p}`", docs.map(|d| d + "\n\n").unwrap_or_default()))
            }
            _ => docs,
        };
        if min_length.is_none() && max_length.is_none() && pattern.is_none() {
            return Ok(Some("string".into()));
        }
        let name = self.reserve(base);
        self.shapes.insert(name.clone(), Shape::String(StringShape { docs, min_length, max_length, pattern, sensitive: false }));
        Ok(Some(name))
    }

    /// `enum` as strings (numbers written out); `None` when there is none.
    fn enum_values(&self, schema: &Json, path: &str) -> Result<Option<Vec<String>>, ImportError> {
        let Some(values) = schema.opt_array("enum", path)? else { return Ok(None) };
        let mut out: Vec<String> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let text = match v {
                Json::String(s) => s.clone(),
                Json::Number(n) => n.to_string(),
                Json::Bool(b) => b.to_string(),
                other => return Err(ImportError::new(format!("{path}.enum[{i}]"), format!("expected a string, found {}", other.kind()))),
            };
            if !out.contains(&text) {
                out.push(text);
            }
        }
        Ok(Some(out))
    }

    fn number(&mut self, base: &str, kind: &str, schema: &Json, path: &str, docs: Option<String>) -> Result<Option<String>, ImportError> {
        let format = schema.opt_str("format", path)?;
        let builtin = match (kind, format) {
            ("integer", Some("int64")) => "long",
            ("integer", None | Some("int32")) => "integer",
            ("number", Some("float")) => "float",
            (_, None | Some("double")) => "double",
            (_, Some(other)) => {
                return Err(ImportError::new(
                    join(path, "format"),
                    format!("`{other}` is not a format of `{kind}` (int32, int64 for integers; float, double for numbers)"),
                ));
            }
        };
        let mut min = schema.opt_number("minimum", path)?;
        let mut max = schema.opt_number("maximum", path)?;
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                self.finding("`minimum` / `minItems` / `minLength` is above the maximum; both bounds are left out", path.to_string());
                (min, max) = (None, None);
            }
        }
        if let Some(values) = self.enum_values(schema, path)? {
            self.finding(
                "the number has an `enum`, which the model format keeps only for strings; it is imported as a number and the values are listed here",
                format!("{path}: {}", values.join(", ")),
            );
        }
        if min.is_none() && max.is_none() {
            return Ok(Some(builtin.into()));
        }
        let n = NumberShape { docs, min, max };
        let shape = match builtin {
            "integer" => Shape::Integer(n),
            "long" => Shape::Long(n),
            "float" => Shape::Float(n),
            _ => Shape::Double(n),
        };
        let name = self.reserve(base);
        self.shapes.insert(name.clone(), shape);
        Ok(Some(name))
    }

    /// The members of an object schema, in document order.
    fn members(&mut self, owner: &str, schema: &Json, path: &str) -> Result<Vec<Member>, ImportError> {
        let pp = join(path, "properties");
        let props = schema.opt_object("properties", path)?.unwrap_or_default();
        // JSON Schema's own form, a list of required names, is read too.
        let required: Vec<&str> = match schema.get("required") {
            Some(Json::Array(names)) => names.iter().filter_map(|n| if let Json::String(s) = n { Some(s.as_str()) } else { None }).collect(),
            _ => Vec::new(),
        };
        let mut members: Vec<Member> = Vec::new();
        let mut fields = BTreeSet::new();
        for (key, value) in props {
            let mp = join(&pp, key);
            if members.iter().any(|m| m.wire_name.as_deref().unwrap_or(&m.name) == key) {
                self.skip("a property listed twice is imported once", mp);
                continue;
            }
            if let Some(mut m) = self.member(owner, key, value, &mp, &mut fields)? {
                m.required |= required.contains(&key.as_str());
                members.push(m);
            }
        }
        Ok(members)
    }

    /// The member name for a wire name: its letters and digits.
    fn member_name(&mut self, owner: &str, wire: &str, fields: &mut BTreeSet<String>) -> Option<String> {
        let mut name: String = wire.chars().filter(|c| c.is_alphanumeric()).collect();
        if name.is_empty() {
            return None;
        }
        if name != wire {
            self.finding(RENAMED, format!("{owner}: {wire} as {name}"));
        }
        let stem = name.clone();
        let mut n = 2;
        while !fields.insert(word_key(&name)) {
            name = format!("{stem}{n}");
            n += 1;
        }
        if name != stem {
            self.finding("two members would give the same Rust field; the second gets a numbered `name` (its wire name is unchanged)", format!("{owner}: {wire} as {name}"));
        }
        Some(name)
    }

    fn member(&mut self, owner: &str, wire: &str, schema: &Json, path: &str, fields: &mut BTreeSet<String>) -> Result<Option<Member>, ImportError> {
        schema.object(path)?;
        let Some(name) = self.member_name(owner, wire, fields) else {
            self.skip("a name without letters or digits cannot name a member", format!("{path} ({wire:?})"));
            return Ok(None);
        };
        let Some(target) = self.target(&format!("{owner}{}", upper_first(&name)), schema, path)? else { return Ok(None) };
        self.finish_member(name, wire, target, schema, path).map(Some)
    }

    fn json_member(
        &mut self,
        owner: &str,
        wire: &str,
        schema: &Json,
        path: &str,
        fields: &mut BTreeSet<String>,
    ) -> Result<Option<Member>, ImportError> {
        let Some(name) = self.member_name(owner, wire, fields) else {
            self.skip("a name without letters or digits cannot name a member", format!("{path} ({wire:?})"));
            return Ok(None);
        };
        self.finding(JSON_STYLE, format!("{owner}.{wire}"));
        let mut m = self.finish_member(name, wire, "string".into(), schema, path)?;
        let kind = schema.opt_str("type", path)?.unwrap_or("object");
        let said = format!(
            "The model's note: the value is JSON text (the vendor's `json` parameter style); the metadata describes it as {} {kind}.",
            if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
        );
        m.docs = Some(match m.docs {
            Some(d) => format!("{d}\n\n{said}"),
            None => said,
        });
        Ok(Some(m))
    }

    fn finish_member(&mut self, name: String, wire: &str, target: String, schema: &Json, path: &str) -> Result<Member, ImportError> {
        let mut docs = schema_docs(schema, path)?;
        let deprecated = schema.flag("deprecated", path)?;
        if deprecated {
            docs = Some(format!("Deprecated: the vendor metadata marks this member deprecated.{}", docs.map(|d| format!("\n\n{d}")).unwrap_or_default()));
        }
        let required = match schema.get("required") {
            // On an object, a list names its required properties (read by `members`).
            Some(Json::Array(_)) => false,
            _ => schema.flag("required", path)?,
        };
        Ok(Member {
            wire_name: (wire != name).then(|| wire.to_string()),
            name,
            query_name: None,
            target,
            required,
            sensitive: false,
            idempotency_token: false,
            location: None,
            timestamp_format: None,
            json_value: false,
            host_label: false,
            xml_flattened: false,
            xml_attribute: false,
            xml_root: None,
            xml_namespace: None,
            deprecated,
            default: schema.get("default").and_then(Json::text),
            example: schema.get("example").and_then(Json::text),
            docs,
        })
    }

    fn notes(&self) -> Vec<Note> {
        crate::findings_notes(&self.label, &self.findings)
    }
}

/// A schema's `description` (else its `title`), verbatim; `None` when blank.
fn schema_docs(schema: &Json, path: &str) -> Result<Option<String>, ImportError> {
    let description = schema.opt_str("description", path)?.filter(|d| !d.trim().is_empty());
    let title = schema.opt_str("title", path)?.filter(|d| !d.trim().is_empty());
    Ok(description.or(title).map(|d| d.trim().to_string()))
}

/// The Rust field a member name gives, near enough to tell which names
/// clash (the generator splits words the same way, with `heck`).
fn word_key(name: &str) -> String {
    spaced(name).to_snake_case()
}

/// The Rust type name an enum value or error key gives, likewise.
fn type_key(name: &str) -> String {
    spaced(name).to_upper_camel_case()
}

fn spaced(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

