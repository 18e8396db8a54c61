//! Every difference between two models of one service, as
//! `cargo xtask diff-models <a> <b>` prints it: one line each, grouped by
//! operation (`CancelBundleTask: request member DryRun (dryRun): only in b`).
//!
//! An imported model and a hand model name their shapes differently
//! (`CancelImagePipelineExecutionRequestTemplateTagList` against
//! `TemplateTagList`), so shapes are never matched by name: each
//! operation's request and response are walked from the root, and what a
//! member's target *is* (its kind, constraints, enum values, members) is
//! compared. Members are matched by wire name, then by name. Compared:
//!
//! - service: provider, name, API version, protocol, XML namespace, target prefix;
//! - operations only in one model; an operation's `idempotent` and `http`
//!   (without one, `POST /` under the protocols that send every operation so);
//! - members only in one model; a matched member's name, wire name, query
//!   name (in requests only, the parameter actually sent: `query_name`,
//!   else the wire name; responses are never query-encoded),
//!   `required`, `sensitive` (a sensitive string shape counts), idempotency
//!   token, location, `timestamp_format`, `json_value`, `host_label` and
//!   `deprecated`;
//! - types: kind (`string`, `enum`, `integer`, `long`, `float`, `double`,
//!   `boolean`, `timestamp`, `blob`, `structure`, `list`, `map`; a
//!   built-in and an unconstrained shape of the same kind are equal),
//!   string length and pattern, number range, list and map item counts, a
//!   list's XML item name (in responses only: requests are never XML) and
//!   a timestamp's format (the protocol's default
//!   where a model leaves them out), enum values (as a set);
//! - errors, matched by code: only in one model; HTTP status, fault,
//!   retryable, throttling.
//!
//! Docs, examples, notes and sources are not compared: they are prose.

use std::collections::BTreeSet;
use std::fmt;

use codegen::model::{Member, Model, Operation, Protocol, Shape, TimestampFormat};

/// One difference: the operation it is about (`None` for the service) and
/// what differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The operation, or `None` for service metadata.
    pub operation: Option<String>,
    /// What differs, without the operation (`request member DryRun (dryRun): only in b`).
    pub text: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operation {
            Some(op) => write!(f, "{op}: {}", self.text),
            None => write!(f, "service: {}", self.text),
        }
    }
}

/// Every difference between `a` and `b`: service metadata first, then by
/// operation name; within an operation, its flags, request, response and
/// errors, members in `a`'s order with those only in `b` after them.
pub fn diff(a: &Model, b: &Model) -> Vec<Difference> {
    let mut d = Differ { a, b, out: Vec::new(), op: None, seen: BTreeSet::new(), request: true };
    d.service();
    let names: BTreeSet<&String> = a.operations.keys().chain(b.operations.keys()).collect();
    for name in names {
        d.op = Some(name.clone());
        d.seen.clear();
        match (a.operations.get(name), b.operations.get(name)) {
            (Some(oa), Some(ob)) => d.operation(oa, ob),
            (Some(_), None) => d.push("only in a".into()),
            (None, Some(_)) => d.push("only in b".into()),
            (None, None) => {}
        }
    }
    d.out
}

/// The differences as the command prints them, one line each.
pub fn render(differences: &[Difference]) -> String {
    differences.iter().map(|d| format!("{d}\n")).collect()
}

struct Differ<'m> {
    a: &'m Model,
    b: &'m Model,
    out: Vec<Difference>,
    op: Option<String>,
    /// Shape pairs already compared in this operation's request or
    /// response (recursive shapes).
    seen: BTreeSet<(String, String)>,
    /// Whether the walk is in a request (query names are sent) or a
    /// response (XML item names are read).
    request: bool,
}

/// What a target is, apart from its members or items.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String { min: Option<u64>, max: Option<u64>, pattern: Option<String> },
    Enum(Vec<String>),
    Number { kind: &'static str, min: Option<f64>, max: Option<f64> },
    Boolean,
    Timestamp(TimestampFormat),
    Blob,
    Document,
    Structure,
    List { min: Option<u64>, max: Option<u64>, xml_item: String },
    Map { min: Option<u64>, max: Option<u64> },
    /// A target the model does not define.
    Missing,
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::String { .. } => "string",
            Kind::Enum(_) => "enum",
            Kind::Number { kind, .. } => kind,
            Kind::Boolean => "boolean",
            Kind::Timestamp(_) => "timestamp",
            Kind::Blob => "blob",
            Kind::Document => "document",
            Kind::Structure => "structure",
            Kind::List { .. } => "list",
            Kind::Map { .. } => "map",
            Kind::Missing => "undefined shape",
        }
    }
}

fn kind_of(model: &Model, target: &str) -> Kind {
    let protocol = model.service.protocol;
    let default_ts = match protocol {
        Protocol::Ec2Query => TimestampFormat::DateTime,
        _ => TimestampFormat::EpochSeconds,
    };
    let number = |kind, n: &codegen::model::NumberShape| Kind::Number { kind, min: n.min, max: n.max };
    match model.shapes.get(target) {
        Some(Shape::String(s)) => Kind::String { min: s.min_length, max: s.max_length, pattern: s.pattern.clone() },
        Some(Shape::Enum(e)) => {
            let mut values: Vec<String> = e.values.iter().map(|v| v.value.clone()).collect();
            values.sort();
            values.dedup();
            Kind::Enum(values)
        }
        Some(Shape::Integer(n)) => number("integer", n),
        Some(Shape::Long(n)) => number("long", n),
        Some(Shape::Float(n)) => number("float", n),
        Some(Shape::Double(n)) => number("double", n),
        Some(Shape::Boolean(_)) => Kind::Boolean,
        Some(Shape::Timestamp(t)) => Kind::Timestamp(t.format),
        Some(Shape::Blob(_)) => Kind::Blob,
        Some(Shape::Document(_)) => Kind::Document,
        Some(Shape::Structure(_)) => Kind::Structure,
        Some(Shape::List(l)) => Kind::List {
            min: l.min_items,
            max: l.max_items,
            xml_item: l.xml_item_name.clone().unwrap_or_else(|| if protocol == Protocol::Ec2Query { "item".into() } else { "member".into() }),
        },
        Some(Shape::Map(m)) => Kind::Map { min: m.min_items, max: m.max_items },
        None => match target {
            "string" => Kind::String { min: None, max: None, pattern: None },
            "integer" | "long" | "float" | "double" => {
                let kind = match target {
                    "integer" => "integer",
                    "long" => "long",
                    "float" => "float",
                    _ => "double",
                };
                Kind::Number { kind, min: None, max: None }
            }
            "boolean" => Kind::Boolean,
            "timestamp" => Kind::Timestamp(default_ts),
            "blob" => Kind::Blob,
            _ => Kind::Missing,
        },
    }
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "none".into(),
    }
}

fn wire(m: &Member) -> &str {
    m.wire_name.as_deref().unwrap_or(&m.name)
}

fn label(m: &Member) -> String {
    if wire(m) == m.name { m.name.clone() } else { format!("{} ({})", m.name, wire(m)) }
}

fn members<'m>(model: &'m Model, shape: &str) -> &'m [Member] {
    match model.shapes.get(shape) {
        Some(Shape::Structure(s)) => &s.members,
        _ => &[],
    }
}

fn sensitive(model: &Model, m: &Member) -> bool {
    m.sensitive || matches!(model.shapes.get(&m.target), Some(Shape::String(s)) if s.sensitive)
}

impl Differ<'_> {
    fn push(&mut self, text: String) {
        self.out.push(Difference { operation: self.op.clone(), text });
    }

    fn differ<T: PartialEq + fmt::Display>(&mut self, what: &str, a: T, b: T) {
        if a != b {
            self.push(format!("{what}: a {a}, b {b}"));
        }
    }

    fn service(&mut self) {
        let (a, b) = (&self.a.service, &self.b.service);
        self.differ("provider", &a.provider, &b.provider);
        self.differ("name", &a.name, &b.name);
        self.differ("api_version", &a.api_version, &b.api_version);
        self.differ("protocol", format!("{:?}", a.protocol), format!("{:?}", b.protocol));
        self.differ("xml_namespace", opt(&a.xml_namespace), opt(&b.xml_namespace));
        self.differ("target_prefix", opt(&a.target_prefix), opt(&b.target_prefix));
    }

    fn operation(&mut self, oa: &Operation, ob: &Operation) {
        self.differ("idempotent", oa.idempotent, ob.idempotent);
        // Without `http`, a protocol with one binding sends `POST /`.
        let http = |m: &Model, o: &Operation| match &o.http {
            Some(h) => format!("{} {}", h.method, h.path),
            None if m.service.protocol == Protocol::RestJson => "none".to_string(),
            None => "POST /".to_string(),
        };
        self.differ("http", http(self.a, oa), http(self.b, ob));
        self.differ("host prefix", oa.host_prefix.as_deref().unwrap_or("none"), ob.host_prefix.as_deref().unwrap_or("none"));
        self.request = true;
        self.seen.clear();
        self.structure("request member ", &oa.input, &ob.input);
        self.request = false;
        self.seen.clear();
        self.structure("response member ", &oa.output, &ob.output);
        self.errors(oa, ob);
    }

    /// The members of two structures, matched by wire name, then by name.
    fn structure(&mut self, prefix: &str, sa: &str, sb: &str) {
        if !self.seen.insert((sa.to_string(), sb.to_string())) {
            return;
        }
        let (ma, mb) = (members(self.a, sa), members(self.b, sb));
        let mut used = vec![false; mb.len()];
        let mut pairs = Vec::new();
        for m in ma {
            let found = mb.iter().enumerate().position(|(i, o)| !used[i] && wire(o) == wire(m));
            let found = found.or_else(|| mb.iter().enumerate().position(|(i, o)| !used[i] && o.name == m.name));
            match found {
                Some(i) => {
                    used[i] = true;
                    pairs.push((Some(m), Some(&mb[i])));
                }
                None => pairs.push((Some(m), None)),
            }
        }
        pairs.extend(mb.iter().zip(&used).filter(|(_, u)| !**u).map(|(m, _)| (None, Some(m))));
        for pair in pairs {
            match pair {
                (Some(m), None) => self.push(format!("{prefix}{}: only in a", label(m))),
                (None, Some(m)) => self.push(format!("{prefix}{}: only in b", label(m))),
                (Some(x), Some(y)) => self.member(prefix, x, y),
                (None, None) => {}
            }
        }
    }

    fn member(&mut self, prefix: &str, x: &Member, y: &Member) {
        let at = format!("{prefix}{}", label(x));
        self.differ(&format!("{at}: name"), &x.name, &y.name);
        self.differ(&format!("{at}: wire name"), wire(x), wire(y));
        if self.request {
            let (qa, qb) = (x.query_name.as_deref().unwrap_or(wire(x)), y.query_name.as_deref().unwrap_or(wire(y)));
            self.differ(&format!("{at}: query name"), qa, qb);
        }
        self.differ(&format!("{at}: required"), x.required, y.required);
        self.differ(&format!("{at}: sensitive"), sensitive(self.a, x), sensitive(self.b, y));
        self.differ(&format!("{at}: idempotency token"), x.idempotency_token, y.idempotency_token);
        let loc = |m: &Member| m.location.map_or("body".to_string(), |l| format!("{l:?}").to_lowercase());
        self.differ(&format!("{at}: location"), loc(x), loc(y));
        let format = |m: &Member| m.timestamp_format.map_or("the target's".to_string(), |f| format!("{f:?}"));
        self.differ(&format!("{at}: timestamp format"), format(x), format(y));
        self.differ(&format!("{at}: JSON value"), x.json_value, y.json_value);
        self.differ(&format!("{at}: host label"), x.host_label, y.host_label);
        self.differ(&format!("{at}: deprecated"), x.deprecated, y.deprecated);
        self.target(&at, &x.target, &y.target);
    }

    /// What two targets are, and below them.
    fn target(&mut self, at: &str, ta: &str, tb: &str) {
        let (ka, kb) = (kind_of(self.a, ta), kind_of(self.b, tb));
        if ka.name() != kb.name() {
            self.push(format!("{at}: type: a {}, b {}", ka.name(), kb.name()));
            return;
        }
        match (&ka, &kb) {
            (Kind::String { min: a0, max: a1, pattern: ap }, Kind::String { min: b0, max: b1, pattern: bp }) => {
                self.differ(&format!("{at}: min length"), opt(a0), opt(b0));
                self.differ(&format!("{at}: max length"), opt(a1), opt(b1));
                self.differ(&format!("{at}: pattern"), opt(ap), opt(bp));
            }
            (Kind::Enum(va), Kind::Enum(vb)) => {
                for v in va.iter().filter(|v| !vb.contains(v)) {
                    self.push(format!("{at}: enum value {v}: only in a"));
                }
                for v in vb.iter().filter(|v| !va.contains(v)) {
                    self.push(format!("{at}: enum value {v}: only in b"));
                }
            }
            (Kind::Number { min: a0, max: a1, .. }, Kind::Number { min: b0, max: b1, .. }) => {
                self.differ(&format!("{at}: min"), opt(a0), opt(b0));
                self.differ(&format!("{at}: max"), opt(a1), opt(b1));
            }
            (Kind::Timestamp(fa), Kind::Timestamp(fb)) => self.differ(&format!("{at}: timestamp format"), format!("{fa:?}"), format!("{fb:?}")),
            (Kind::Structure, Kind::Structure) => self.structure(&format!("{at}."), ta, tb),
            (Kind::List { min: a0, max: a1, xml_item: ax }, Kind::List { min: b0, max: b1, xml_item: bx }) => {
                self.differ(&format!("{at}: min items"), opt(a0), opt(b0));
                self.differ(&format!("{at}: max items"), opt(a1), opt(b1));
                if !self.request {
                    self.differ(&format!("{at}: xml item name"), ax, bx);
                }
                if let (Some(Shape::List(la)), Some(Shape::List(lb))) = (self.a.shapes.get(ta), self.b.shapes.get(tb)) {
                    self.target(&format!("{at}[]"), &la.member, &lb.member);
                }
            }
            (Kind::Map { min: a0, max: a1 }, Kind::Map { min: b0, max: b1 }) => {
                self.differ(&format!("{at}: min items"), opt(a0), opt(b0));
                self.differ(&format!("{at}: max items"), opt(a1), opt(b1));
                if let (Some(Shape::Map(ma)), Some(Shape::Map(mb))) = (self.a.shapes.get(ta), self.b.shapes.get(tb)) {
                    self.target(&format!("{at}{{key}}"), &ma.key, &mb.key);
                    self.target(&format!("{at}{{}}"), &ma.value, &mb.value);
                }
            }
            _ => {}
        }
    }

    /// The operation's errors, matched by code.
    fn errors(&mut self, oa: &Operation, ob: &Operation) {
        let defs = |m: &'_ Model, o: &Operation| -> Vec<(String, Option<codegen::model::ErrorDef>)> {
            o.errors.iter().map(|e| match m.errors.get(e) {
                Some(d) => (d.code.clone(), Some(d.clone())),
                None => (e.clone(), None),
            }).collect()
        };
        let (ea, eb) = (defs(self.a, oa), defs(self.b, ob));
        for (code, da) in &ea {
            match eb.iter().find(|(c, _)| c == code) {
                None => self.push(format!("error {code}: only in a")),
                Some((_, db)) => {
                    let (Some(x), Some(y)) = (da, db) else {
                        self.differ(&format!("error {code}: defined"), da.is_some(), db.is_some());
                        continue;
                    };
                    let at = format!("error {code}");
                    self.differ(&format!("{at}: http status"), x.http_status, y.http_status);
                    self.differ(&format!("{at}: fault"), format!("{:?}", x.fault).to_lowercase(), format!("{:?}", y.fault).to_lowercase());
                    self.differ(&format!("{at}: retryable"), x.retryable, y.retryable);
                    self.differ(&format!("{at}: throttling"), x.throttling, y.throttling);
                }
            }
        }
        for (code, _) in eb.iter().filter(|(c, _)| !ea.iter().any(|(a, _)| a == c)) {
            self.push(format!("error {code}: only in b"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("m.yaml");
        std::fs::write(&path, yaml).expect("write");
        codegen::read_model(&path).expect("loads")
    }

    const BASE: &str = r#"
service: {provider: aws, name: x, title: X, api_version: "1", protocol: ec2-query, xml_namespace: "n", sources: []}
operations:
  Op: {docs: "", source: "", input: OpIn, output: OpOut, errors: [E]}
shapes:
  OpIn:
    type: structure
    members:
      - {name: Ids, wire_name: ids, query_name: Id, target: IdList, required: true}
      - {name: DryRun, wire_name: dryRun, target: boolean}
  OpOut:
    type: structure
    members:
      - {name: State, target: State}
      - {name: Name, target: Name}
  IdList: {type: list, member: string}
  State: {type: enum, values: [{value: a}, {value: b}]}
  Name: {type: string, max_length: 5}
errors:
  E: {code: E.Code, http_status: 400, fault: client, docs: ""}
"#;

    #[test]
    fn equal_models_have_no_differences_whatever_their_shape_names() {
        let a = model(BASE);
        let renamed = BASE.replace("IdList", "Ids2").replace("target: State", "target: S2").replace("  State:", "  S2:");
        assert_eq!(diff(&a, &model(&renamed)), []);
        // A built-in and an unconstrained shape are the same.
        let plain = BASE.replace("max_length: 5", "docs: unconstrained");
        let builtin = BASE.replace("{name: Name, target: Name}", "{name: Name, target: string}");
        assert_eq!(render(&diff(&model(&plain), &model(&builtin))), "");
    }

    #[test]
    fn each_kind_of_difference_has_its_line() {
        let a = model(BASE);
        let b = BASE
            .replace("query_name: Id, target: IdList, required: true", "target: IdList")
            .replace("{name: DryRun, wire_name: dryRun, target: boolean}", "{name: Force, target: boolean}")
            .replace("[{value: a}, {value: b}]", "[{value: a}, {value: c}]")
            .replace("max_length: 5", "max_length: 6, pattern: x")
            .replace("http_status: 400", "http_status: 404, retryable: true")
            .replace("errors: [E]}", "errors: [E], idempotent: true}");
        let lines = render(&diff(&a, &model(&b)));
        assert_eq!(
            lines,
            "\
Op: idempotent: a false, b true
Op: request member Ids (ids): query name: a Id, b ids
Op: request member Ids (ids): required: a true, b false
Op: request member DryRun (dryRun): only in a
Op: request member Force: only in b
Op: response member State: enum value b: only in a
Op: response member State: enum value c: only in b
Op: response member Name: max length: a 5, b 6
Op: response member Name: pattern: a none, b x
Op: error E.Code: http status: a 400, b 404
Op: error E.Code: retryable: a false, b true
"
        );
        let rest = BASE
            .replace("errors: [E]}", "errors: [E], host_prefix: \"x.\"}")
            .replace("{name: DryRun, wire_name: dryRun, target: boolean}", "{name: DryRun, wire_name: dryRun, target: timestamp, timestamp_format: http-date, host_label: true}")
            .replace("{name: DryRun, wire_name: dryRun, target: boolean}", "");
        let timestamp = BASE.replace("{name: DryRun, wire_name: dryRun, target: boolean}", "{name: DryRun, wire_name: dryRun, target: timestamp}");
        assert_eq!(
            render(&diff(&model(&timestamp), &model(&rest))),
            "Op: host prefix: a none, b x.\nOp: request member DryRun (dryRun): timestamp format: a the target's, b HttpDate\nOp: request member DryRun (dryRun): host label: a false, b true\n"
        );
        let c = BASE.replace("Op: {", "Other: {").replace("protocol: ec2-query", "protocol: ec2-query, target_prefix: T");
        assert_eq!(render(&diff(&a, &model(&c))), "service: target_prefix: a none, b T\nOp: only in a\nOther: only in b\n");
    }
}
