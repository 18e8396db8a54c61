//! Stage 2: check what a model means, after it parsed.
//!
//! Everything that would make the generated crate fail to compile, lose data
//! or mislead is caught here, so emission can trust the model. Every problem
//! of a run is reported, each at the line of the offending key.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, SourceSet};
use crate::ident;
use crate::load::LoadedModel;
use crate::model::{
    BUILTIN_TARGETS, EnumShape, Example, Model, Operation, Protocol, Shape, StructureShape,
    TimestampFormat,
};
use crate::source_map::{PathSeg, PositionIndex, Span};

/// Longest regular expression we compile, in bytes of the compiled program.
/// Vendor patterns are short; a huge one is a mistake or an attack.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Most lists nested directly in one another (`list` of `list` of ...).
/// Vendor models nest two at most; the generated type is `Vec<Vec<...>>`,
/// and each level is a step of recursion in the generator.
const MAX_LIST_NESTING: usize = 32;

/// Rust's prelude names (edition 2024). A structure, enum or operation of
/// this name would hide the prelude item in the generated module, where the
/// generated code uses `Option`, `String`, `From`, ... unqualified.
const PRELUDE: &[&str] = &[
    "AsMut", "AsRef", "AsyncFn", "AsyncFnMut", "AsyncFnOnce", "Box", "Clone", "Copy", "Default",
    "DoubleEndedIterator", "Drop", "Eq", "Err", "ExactSizeIterator", "Extend", "Fn", "FnMut",
    "FnOnce", "From", "FromIterator", "Future", "Into", "IntoFuture", "IntoIterator", "Iterator",
    "None", "Ok", "Option", "Ord", "PartialEq", "PartialOrd", "Result", "Send", "Sized", "Some",
    "String", "Sync", "ToOwned", "ToString", "TryFrom", "TryInto", "Unpin", "Vec",
];

/// Provider module names taken by the generated crate's own files
/// (`src/lib.rs`, `src/runtime.rs`).
const RESERVED_PROVIDERS: &[&str] = &["lib", "runtime"];

/// Checks every model; returns every problem found, in file order.
pub fn check_models(models: &[LoadedModel], sources: &SourceSet) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut services: BTreeMap<(String, String), (usize, Span)> = BTreeMap::new();
    for loaded in models {
        let Some(source) = sources.files.get(loaded.file) else { continue };
        let index = PositionIndex::build(&source.text);
        let mut checker = Checker {
            file: loaded.file,
            model: &loaded.model,
            index: &index,
            out: &mut diagnostics,
        };
        checker.check();
        let svc = &loaded.model.service;
        let key = (svc.provider.clone(), svc.name.clone());
        let span = index.locate(&path(&[k("service"), k("name")]));
        if let Some((first_file, first_span)) = services.get(&key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateService,
                    loaded.file,
                    span,
                    format!("a second model for the service `{}::{}`", svc.provider, svc.name),
                )
                .label("this service is already modeled")
                .related(*first_file, *first_span, "first modeled here")
                .help("one model per service: move these operations into the first file"),
            );
        } else {
            services.insert(key, (loaded.file, span));
        }
    }
    diagnostics
}

/// Builds a path from segments.
fn path(segs: &[PathSeg]) -> Vec<PathSeg> {
    segs.to_vec()
}

/// A key segment.
fn k(key: &str) -> PathSeg {
    PathSeg::Key(key.to_string())
}

/// An index segment.
fn i(index: usize) -> PathSeg {
    PathSeg::Index(index)
}

struct Checker<'a> {
    file: usize,
    model: &'a Model,
    index: &'a PositionIndex,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at_value(&self, p: &[PathSeg]) -> Span {
        self.index.locate(p)
    }

    fn at_key(&self, p: &[PathSeg]) -> Span {
        self.index.key_span(p).unwrap_or_else(|| self.index.locate(p))
    }

    fn report(&mut self, code: Code, span: Span, message: String, label: &str, help: Option<String>) {
        let mut d = Diagnostic::new(code, self.file, span, message).label(label);
        if let Some(help) = help {
            d = d.help(help);
        }
        self.out.push(d);
    }

    fn check(&mut self) {
        for (p, first, dup) in self.index.duplicate_keys().to_vec() {
            let key = match p.last() {
                Some(PathSeg::Key(key)) => key.clone(),
                _ => String::new(),
            };
            self.out.push(
                Diagnostic::new(Code::DuplicateKey, self.file, dup, format!("the key `{key}` appears twice in one mapping"))
                    .label("second definition")
                    .related(self.file, first, "first defined here")
                    .help("YAML keeps only the last of two equal keys; remove or rename one"),
            );
        }
        self.check_service();
        self.check_type_names();
        let shapes: Vec<(&String, &Shape)> = self.model.shapes.iter().collect();
        for (name, shape) in shapes {
            self.check_shape(name, shape);
        }
        self.check_recursion();
        self.check_list_nesting();
        let errors: Vec<_> = self.model.errors.iter().collect();
        let mut codes: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, error) in errors {
            let p = path(&[k("errors"), k(name)]);
            if ident::type_name(name).is_empty() {
                self.report(
                    Code::InvalidName,
                    self.at_key(&p),
                    format!("the error name `{name}` has no letters or digits to make a Rust variant from"),
                    "not a name",
                    Some("use the error's name from the vendor's reference; the wire code stays in `code`".into()),
                );
            }
            if error.code.trim().is_empty() || error.code.chars().any(char::is_whitespace) {
                self.report(
                    Code::InvalidName,
                    self.at_value(&[p.clone(), vec![k("code")]].concat()),
                    format!("the error code of `{name}` is empty or contains white space"),
                    "not a wire error code",
                    Some("write the code exactly as the service sends it, e.g. `InvalidStatus.CancelFailed`".into()),
                );
            }
            if let Some(other) = codes.insert(&error.code, name) {
                // Point at the later of the two in the file.
                let here = self.at_value(&[p.clone(), vec![k("code")]].concat());
                let there = self.at_value(&path(&[k("errors"), k(other), k("code")]));
                let (second, first) = if here.start >= there.start { (here, there) } else { (there, here) };
                self.out.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        self.file,
                        second,
                        format!("the errors `{other}` and `{name}` have the same code `{}`", error.code),
                    )
                    .label("duplicate code")
                    .related(self.file, first, "the same code")
                    .help("a code decodes to one error; merge the two definitions"),
                );
            }
            if !(100..=599).contains(&error.http_status) {
                self.report(
                    Code::WrongType,
                    self.at_value(&[p, vec![k("http_status")]].concat()),
                    format!("`{}` is not an HTTP status code", error.http_status),
                    "out of range",
                    Some("use the status the page documents, from 100 to 599".into()),
                );
            }
        }
        let ops: Vec<(&String, &Operation)> = self.model.operations.iter().collect();
        let mut io_users: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for (name, op) in ops {
            for (role, shape) in [("input", &op.input), ("output", &op.output)] {
                if let Some((other_op, other_role)) = io_users.insert(shape, (name, role)) {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&path(&[k("operations"), k(name), k(role)])),
                        format!(
                            "the shape `{shape}` is already the {other_role} of `{other_op}`; it cannot also be the {role} of `{name}`"
                        ),
                        "shared request/response shape",
                        Some(format!(
                            "each operation's request and response become `<Operation>Request` and `<Operation>Response`: give `{name}` an {role} shape of its own and move shared members into a shared structure"
                        )),
                    );
                }
            }
            self.check_operation(name, op);
        }
    }

    fn check_service(&mut self) {
        let svc = &self.model.service;
        for (key, value) in [("provider", &svc.provider), ("name", &svc.name)] {
            let ok = value.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !ident::is_keyword(value);
            if !ok {
                self.report(
                    Code::InvalidName,
                    self.at_value(&path(&[k("service"), k(key)])),
                    format!("the service {key} `{value}` cannot be a Rust module name"),
                    "not a module name",
                    Some("use lower-case ASCII letters, digits and `_`, starting with a letter (e.g. `ec2`), and no Rust keyword".into()),
                );
            } else if key == "provider" && RESERVED_PROVIDERS.contains(&value.as_str()) {
                self.report(
                    Code::InvalidName,
                    self.at_value(&path(&[k("service"), k(key)])),
                    format!("the provider `{value}` clashes with the generated crate's own `src/{value}.rs`"),
                    "name taken by the generated crate",
                    Some(format!("the names {} are taken at the crate root; spell the provider differently", RESERVED_PROVIDERS.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" and "))),
                );
            }
        }
        let missing = match svc.protocol {
            Protocol::Ec2Query if svc.xml_namespace.is_none() => Some(("xml_namespace", "the EC2 query protocol's XML responses are namespaced by API version")),
            Protocol::AwsJson11 if svc.target_prefix.is_none() => Some(("target_prefix", "AWS JSON 1.1 names the operation in `X-Amz-Target: <prefix>.<Operation>`")),
            _ => None,
        };
        if let Some((key, why)) = missing {
            self.report(
                Code::ProtocolMetadata,
                self.at_key(&path(&[k("service"), k("protocol")])),
                format!("the service has no `{key}`, which its protocol needs"),
                "this protocol",
                Some(format!("add `{key}` under `service`: {why}")),
            );
        }
        if svc.protocol == Protocol::RestJson {
            let names: Vec<String> = self
                .model
                .operations
                .iter()
                .filter(|(_, op)| op.http.is_none())
                .map(|(n, _)| n.clone())
                .collect();
            for name in names {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_key(&path(&[k("operations"), k(&name)])),
                    format!("the REST-JSON operation `{name}` has no `http` binding"),
                    "no method and path",
                    Some("add `http: {method: PUT, path: /Name}` as the page's request syntax shows".into()),
                );
            }
        }
    }

    /// All Rust type names of a service share one module: shapes, and each
    /// operation's Request, Response and Error.
    fn check_type_names(&mut self) {
        let mut owners: BTreeMap<String, (Vec<PathSeg>, String)> = BTreeMap::new();
        let mut claim = |this: &mut Self, rust: String, p: Vec<PathSeg>, what: String| {
            if rust.is_empty() {
                this.report(
                    Code::InvalidName,
                    this.at_key(&p),
                    format!("{what} has no letters or digits to make a Rust name from"),
                    "not a name",
                    Some("use a name with ASCII letters, like the vendor's".into()),
                );
                return;
            }
            if let Some((first, first_what)) = owners.get(&rust) {
                let first_span = this.at_key(first);
                this.out.push(
                    Diagnostic::new(
                        Code::RustNameClash,
                        this.file,
                        this.at_key(&p),
                        format!("{what} and {first_what} both become the Rust type `{rust}`"),
                    )
                    .label("clashes")
                    .related(this.file, first_span, "the other one")
                    .help("rename one of them; a shape can be renamed freely, since shape names never go on the wire"),
                );
            } else {
                owners.insert(rust, (p, what));
            }
        };
        let prelude = |this: &mut Self, rust: &str, p: &[PathSeg], what: &str, help: &str| {
            if PRELUDE.contains(&rust) {
                this.report(
                    Code::RustNameClash,
                    this.at_key(p),
                    format!("{what} would become the Rust type `{rust}`, hiding Rust's own `{rust}` that the generated code uses"),
                    "clashes with Rust's prelude",
                    Some(help.to_string()),
                );
            }
        };
        let io: BTreeSet<&str> = self
            .model
            .operations
            .values()
            .flat_map(|op| [op.input.as_str(), op.output.as_str()])
            .collect();
        for name in self.model.shapes.keys() {
            if io.contains(name.as_str()) {
                continue; // named after its operation instead
            }
            let p = path(&[k("shapes"), k(name)]);
            if BUILTIN_TARGETS.contains(&name.as_str()) {
                self.report(
                    Code::InvalidName,
                    self.at_key(&p),
                    format!("the shape name `{name}` is a built-in target"),
                    "shadows a built-in",
                    Some("built-ins (`string`, `integer`, ...) need no definition; give a constrained shape its own name, like `TaskId`".into()),
                );
            }
            let rust = ident::type_name(name);
            if matches!(self.model.shapes.get(name), Some(Shape::Structure(_) | Shape::Enum(_))) {
                let help = format!("rename the shape, e.g. `Task{rust}`: shape names never go on the wire");
                prelude(self, &rust, &p, &format!("the shape `{name}`"), &help);
            }
            claim(self, rust, p, format!("the shape `{name}`"));
        }
        // Requests and responses that are broken (not a structure, or shared)
        // are reported elsewhere; their names are not claimed, so that one
        // mistake gives one error.
        let model = self.model;
        let mut io_seen: BTreeSet<&str> = BTreeSet::new();
        for (name, op) in &model.operations {
            let p = path(&[k("operations"), k(name)]);
            let base = ident::type_name(name);
            let mut suffixes = Vec::new();
            for (suffix, shape) in [("Request", op.input.as_str()), ("Response", op.output.as_str())] {
                if matches!(model.shapes.get(shape), Some(Shape::Structure(_))) && io_seen.insert(shape) {
                    suffixes.push(suffix);
                }
            }
            suffixes.push("Error");
            if base.is_empty() {
                claim(self, base, p, format!("the operation `{name}`"));
                continue;
            }
            prelude(
                self,
                &base,
                &p,
                &format!("the operation `{name}`"),
                "the generator cannot name an operation after a Rust prelude type yet; please report it with the model",
            );
            // The operation's marker type is named after the operation itself.
            claim(self, base.clone(), p.clone(), format!("the operation `{name}`"));
            for suffix in suffixes {
                claim(self, format!("{base}{suffix}"), p.clone(), format!("the operation `{name}`'s {suffix}"));
            }
        }
    }

    fn check_shape(&mut self, name: &str, shape: &Shape) {
        let p = path(&[k("shapes"), k(name)]);
        match shape {
            Shape::Structure(s) => self.check_structure(&p, s),
            Shape::List(l) => {
                self.check_target(&[p.clone(), vec![k("member")]].concat(), &l.member);
                // The generated crate gives timestamps and blobs their wire
                // form per field; inside a list they would lose it (numbers
                // instead of RFC 3339 or base64), so refuse rather than
                // generate a crate that misreads the wire.
                let item_kind = match self.model.shapes.get(&l.member) {
                    Some(Shape::Timestamp(_)) => Some("timestamps"),
                    Some(Shape::Blob(_)) => Some("blobs"),
                    None if l.member == "timestamp" => Some("timestamps"),
                    None if l.member == "blob" => Some("blobs"),
                    _ => None,
                };
                if let Some(items) = item_kind {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&[p.clone(), vec![k("member")]].concat()),
                        format!("the list `{name}` holds {items}, which the generator does not support in lists yet"),
                        "not supported in a list",
                        Some(format!("model the {items} as a structure member, or wrap each in a structure with one member")),
                    );
                }
                self.check_min_max(&p, "min_items", l.min_items.map(|v| v as f64), "max_items", l.max_items.map(|v| v as f64));
            }
            Shape::Enum(e) => self.check_enum(&p, name, e),
            Shape::String(s) => {
                self.check_min_max(&p, "min_length", s.min_length.map(|v| v as f64), "max_length", s.max_length.map(|v| v as f64));
                if let Some(pattern) = &s.pattern {
                    if let Err(e) = compile_pattern(pattern) {
                        self.report(
                            Code::InvalidPattern,
                            self.at_value(&[p.clone(), vec![k("pattern")]].concat()),
                            format!("the pattern of `{name}` is not a valid regular expression"),
                            "invalid pattern",
                            Some(format!(
                                "{}; patterns use the syntax of the `regex` crate (no look-around or back-references)",
                                first_line(&e)
                            )),
                        );
                    }
                }
            }
            Shape::Integer(n) | Shape::Long(n) | Shape::Double(n) => {
                self.check_min_max(&p, "min", n.min, "max", n.max);
            }
            Shape::Boolean(_) | Shape::Timestamp(_) | Shape::Blob(_) => {}
        }
    }

    fn check_min_max(&mut self, p: &[PathSeg], min_key: &str, min: Option<f64>, max_key: &str, max: Option<f64>) {
        for (key, value) in [(min_key, min), (max_key, max)] {
            if let Some(value) = value.filter(|v| !v.is_finite()) {
                self.report(
                    Code::WrongType,
                    self.at_value(&[p.to_vec(), vec![k(key)]].concat()),
                    format!("`{key}` is {value}, not a number"),
                    "not a finite number",
                    Some(format!("write the bound the page documents, or leave `{key}` out when there is none")),
                );
            }
        }
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                self.report(
                    Code::MinAboveMax,
                    self.at_value(&[p.to_vec(), vec![k(min_key)]].concat()),
                    format!("`{min_key}` ({min}) is larger than `{max_key}` ({max})"),
                    "no value can satisfy both",
                    Some(format!("swap the two, or check the page: `{min_key}` must not exceed `{max_key}`")),
                );
            }
        }
    }

    fn check_structure(&mut self, p: &[PathSeg], s: &StructureShape) {
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut wires: BTreeMap<&str, usize> = BTreeMap::new();
        let mut queries: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust: BTreeMap<String, usize> = BTreeMap::new();
        for (n, m) in s.members.iter().enumerate() {
            let mp = [p.to_vec(), vec![k("members"), i(n)]].concat();
            let name_span = self.at_value(&[mp.clone(), vec![k("name")]].concat());
            if let Some(first) = names.insert(&m.name, n) {
                let first_span = self.at_value(&[p.to_vec(), vec![k("members"), i(first), k("name")]].concat());
                self.out.push(
                    Diagnostic::new(Code::DuplicateName, self.file, name_span, format!("the member `{}` is defined twice", m.name))
                        .label("second definition")
                        .related(self.file, first_span, "first defined here")
                        .help("remove one of the two members"),
                );
                continue;
            }
            let wire = m.wire_name.as_deref().unwrap_or(&m.name);
            if let Some(first) = wires.insert(wire, n) {
                let first_name = &s.members[first].name;
                self.report(
                    Code::DuplicateName,
                    self.at_value(&[mp.clone(), vec![k(if m.wire_name.is_some() { "wire_name" } else { "name" })]].concat()),
                    format!("the members `{first_name}` and `{}` have the same wire name `{wire}`", m.name),
                    "duplicate wire name",
                    Some("a wire name identifies one member; check `wire_name` against the page".into()),
                );
            }
            let query = m.query_name.as_deref().unwrap_or(wire);
            if let Some(first) = queries.insert(query, n) {
                if m.query_name.is_some() || s.members[first].query_name.is_some() {
                    let first_name = &s.members[first].name;
                    let key = if m.query_name.is_some() { "query_name" } else { "name" };
                    self.report(
                        Code::DuplicateName,
                        self.at_value(&[mp.clone(), vec![k(key)]].concat()),
                        format!("the members `{first_name}` and `{}` have the same query parameter `{query}`", m.name),
                        "duplicate query parameter",
                        Some("a query parameter carries one member; check `query_name` against the page".into()),
                    );
                }
            }
            let field = ident::field_name(&m.name);
            if field.is_empty() {
                self.report(
                    Code::InvalidName,
                    name_span,
                    format!("the member name `{}` has no letters or digits to make a Rust field from", m.name),
                    "not a name",
                    Some("use the member name the vendor's reference uses".into()),
                );
            } else if let Some(first) = rust.insert(field.clone(), n) {
                let first_span = self.at_value(&[p.to_vec(), vec![k("members"), i(first), k("name")]].concat());
                self.out.push(
                    Diagnostic::new(
                        Code::RustNameClash,
                        self.file,
                        name_span,
                        format!("the members `{}` and `{}` both become the Rust field `{field}`", s.members[first].name, m.name),
                    )
                    .label("clashes")
                    .related(self.file, first_span, "the other one")
                    .help("rename one member and keep the vendor's spelling in `wire_name`"),
                );
            }
            self.check_target(&[mp, vec![k("target")]].concat(), &m.target);
        }
    }

    fn check_enum(&mut self, p: &[PathSeg], name: &str, e: &EnumShape) {
        if e.values.is_empty() {
            self.report(
                Code::EmptyEnum,
                self.at_key(&[p.to_vec(), vec![k("values")]].concat()),
                format!("the enum `{name}` has no values"),
                "empty",
                Some("list the values the page documents; an enum with none cannot be matched on".into()),
            );
        }
        let mut values: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust: BTreeMap<String, usize> = BTreeMap::new();
        for (n, v) in e.values.iter().enumerate() {
            let vp = [p.to_vec(), vec![k("values"), i(n)]].concat();
            let span = self.at_value(&[vp.clone(), vec![k("value")]].concat());
            if let Some(first) = values.insert(&v.value, n) {
                let first_span = self.at_value(&[p.to_vec(), vec![k("values"), i(first), k("value")]].concat());
                self.out.push(
                    Diagnostic::new(Code::DuplicateName, self.file, span, format!("the value `{}` is listed twice in `{name}`", v.value))
                        .label("second time")
                        .related(self.file, first_span, "first listed here")
                        .help("remove one of the two"),
                );
                continue;
            }
            let variant = ident::type_name(v.name.as_deref().unwrap_or(&v.value));
            let span = if v.name.is_some() { self.at_value(&[vp.clone(), vec![k("name")]].concat()) } else { span };
            if variant.is_empty() {
                self.report(
                    Code::InvalidName,
                    span,
                    format!("the value `{}` of `{name}` has no letters or digits to make a Rust variant from", v.value),
                    "needs a name",
                    Some("add `name: SomeVariant` to the value".into()),
                );
            } else if let Some(first) = rust.insert(variant.clone(), n) {
                let first_span = self.at_value(&[p.to_vec(), vec![k("values"), i(first), k("value")]].concat());
                self.out.push(
                    Diagnostic::new(
                        Code::RustNameClash,
                        self.file,
                        span,
                        format!("the values `{}` and `{}` of `{name}` both become the variant `{variant}`", e.values[first].value, v.value),
                    )
                    .label("clashes")
                    .related(self.file, first_span, "the other one")
                    .help("give one of them `name: OtherVariant`"),
                );
            }
        }
    }

    /// A member's or list's target: a built-in or a defined shape.
    fn check_target(&mut self, p: &[PathSeg], target: &str) {
        if BUILTIN_TARGETS.contains(&target) || self.model.shapes.contains_key(target) {
            return;
        }
        let candidates: Vec<&str> = self
            .model
            .shapes
            .keys()
            .map(String::as_str)
            .chain(BUILTIN_TARGETS.iter().copied())
            .collect();
        let help = match suggest(target, &candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "define the shape under `shapes`, or use a built-in: string, integer, long, double, boolean, timestamp, blob".to_string(),
        };
        self.report(
            Code::Dangling,
            self.at_value(p),
            format!("no shape named `{target}`"),
            "unknown shape",
            Some(help),
        );
    }

    /// Structures that contain themselves by value would have infinite size.
    /// One depth-first search over all structures, with an explicit stack:
    /// models are untrusted, may be deep, and must be checked in linear time.
    fn check_recursion(&mut self) {
        let edges: BTreeMap<&str, Vec<(usize, &str)>> = self
            .model
            .shapes
            .iter()
            .filter_map(|(name, shape)| match shape {
                Shape::Structure(s) => Some((
                    name.as_str(),
                    s.members
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| matches!(self.model.shapes.get(&m.target), Some(Shape::Structure(_))))
                        .map(|(n, m)| (n, m.target.as_str()))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for start in edges.keys().copied() {
            if done.contains(start) {
                continue;
            }
            // The current path, each node with the next of its edges to follow.
            let mut trail: Vec<(&str, usize)> = vec![(start, 0)];
            let mut on_trail: BTreeMap<&str, usize> = BTreeMap::from([(start, 0)]);
            while let Some(&(node, next_edge)) = trail.last() {
                let Some(&(n, next)) = edges.get(node).and_then(|e| e.get(next_edge)) else {
                    done.insert(node);
                    on_trail.remove(node);
                    trail.pop();
                    continue;
                };
                if let Some(top) = trail.last_mut() {
                    top.1 += 1;
                }
                if let Some(&at) = on_trail.get(next) {
                    let cycle: Vec<&str> = trail[at..].iter().map(|(s, _)| *s).collect();
                    self.report(
                        Code::Recursive,
                        self.at_value(&path(&[k("shapes"), k(node), k("members"), i(n), k("target")])),
                        format!("the structure `{next}` contains itself: {}", cycle_text(&cycle)),
                        "closes the cycle",
                        Some("a structure cannot hold itself directly; hold it through a list, or break the cycle".into()),
                    );
                } else if !done.contains(next) {
                    on_trail.insert(next, trail.len());
                    trail.push((next, 0));
                }
            }
        }
    }

    /// Lists whose items are lists: a cycle of them would be an infinite
    /// type, and a long chain a `Vec<Vec<...>>` too deep to generate.
    fn check_list_nesting(&mut self) {
        let shapes = &self.model.shapes;
        let inner_list = |name: &str| match shapes.get(name) {
            Some(Shape::List(l)) if matches!(shapes.get(&l.member), Some(Shape::List(_))) => Some(l.member.as_str()),
            _ => None,
        };
        // Lists nested in each list, itself included; `None` on or above a cycle.
        let mut depth: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for (name, shape) in shapes {
            if !matches!(shape, Shape::List(_)) || depth.contains_key(name.as_str()) {
                continue;
            }
            let mut chain: Vec<&str> = Vec::new();
            let mut on_chain: BTreeMap<&str, usize> = BTreeMap::new();
            let mut current = name.as_str();
            let below = loop {
                if let Some(d) = depth.get(current) {
                    break *d;
                }
                if let Some(&at) = on_chain.get(current) {
                    let cycle = &chain[at..];
                    let last = chain.last().copied().unwrap_or(current);
                    self.report(
                        Code::Recursive,
                        self.at_value(&path(&[k("shapes"), k(last), k("member")])),
                        format!("the list `{current}` contains itself: {}", cycle_text(cycle)),
                        "closes the cycle",
                        Some("a list of itself would be an endless type; point `member` at the item shape the page documents".into()),
                    );
                    for n in cycle {
                        depth.insert(n, None);
                    }
                    chain.truncate(at);
                    break None;
                }
                on_chain.insert(current, chain.len());
                chain.push(current);
                match inner_list(current) {
                    Some(next) => current = next,
                    None => break Some(0),
                }
            };
            let mut d = below;
            for n in chain.iter().rev() {
                d = d.map(|d| d + 1);
                depth.insert(n, d);
            }
        }
        let nested: BTreeSet<&str> = shapes.keys().filter_map(|n| inner_list(n)).collect();
        for (name, d) in depth {
            if let Some(d) = d.filter(|d| *d > MAX_LIST_NESTING && !nested.contains(name)) {
                self.report(
                    Code::TooLarge,
                    self.at_key(&path(&[k("shapes"), k(name)])),
                    format!("the list `{name}` nests {d} lists in one another; at most {MAX_LIST_NESTING} are supported"),
                    "nested too deeply",
                    Some("check each list's `member`: vendor APIs nest a list in a list at most".into()),
                );
            }
        }
    }

    fn check_operation(&mut self, name: &str, op: &Operation) {
        let p = path(&[k("operations"), k(name)]);
        for role in ["input", "output"] {
            let shape_name = if role == "input" { &op.input } else { &op.output };
            let rp = [p.clone(), vec![k(role)]].concat();
            match self.model.shapes.get(shape_name) {
                Some(Shape::Structure(_)) => {}
                Some(_) => self.report(
                    Code::WrongShapeKind,
                    self.at_value(&rp),
                    format!("the {role} of `{name}` must be a structure; `{shape_name}` is not"),
                    "not a structure",
                    Some("point at a shape with `type: structure`".into()),
                ),
                None if BUILTIN_TARGETS.contains(&shape_name.as_str()) => self.report(
                    Code::WrongShapeKind,
                    self.at_value(&rp),
                    format!("the {role} of `{name}` must be a structure; `{shape_name}` is a built-in"),
                    "not a structure",
                    Some("point at a shape with `type: structure`, even when it has a single member".into()),
                ),
                None => self.check_target(&rp, shape_name),
            }
        }
        if let Some(http) = &op.http {
            const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
            if !METHODS.contains(&http.method.as_str()) {
                self.report(
                    Code::WrongType,
                    self.at_value(&[p.clone(), vec![k("http"), k("method")]].concat()),
                    format!("`{}` is not an HTTP method", http.method),
                    "unknown method",
                    Some(format!("use one of {}", METHODS.join(", "))),
                );
            }
            if !http.path.starts_with('/') || http.path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                self.report(
                    Code::WrongType,
                    self.at_value(&[p.clone(), vec![k("http"), k("path")]].concat()),
                    format!("`{}` is not a request path", http.path),
                    "not a path",
                    Some("a path starts with `/` and has no white space".into()),
                );
            }
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        for (n, error) in op.errors.iter().enumerate() {
            let ep = [p.clone(), vec![k("errors"), i(n)]].concat();
            if seen.insert(error, n).is_some() {
                self.report(
                    Code::DuplicateName,
                    self.at_value(&ep),
                    format!("`{name}` lists the error `{error}` twice"),
                    "second time",
                    Some("remove one of the two".into()),
                );
                continue;
            }
            if !self.model.errors.contains_key(error) {
                let candidates: Vec<&str> = self.model.errors.keys().map(String::as_str).collect();
                let help = match suggest(error, &candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "define the error under `errors`".to_string(),
                };
                self.report(Code::Dangling, self.at_value(&ep), format!("no error named `{error}`"), "unknown error", Some(help));
                continue;
            }
            let variant = ident::type_name(error);
            if variant.is_empty() {
                continue; // reported where the error is defined
            }
            if let Some(other) = variants.insert(variant.clone(), error) {
                self.report(
                    Code::RustNameClash,
                    self.at_value(&ep),
                    format!("the errors `{other}` and `{error}` both become the variant `{variant}` of `{name}`'s error enum"),
                    "clashes",
                    Some("rename one of the two errors (their codes can stay)".into()),
                );
            }
        }
        if let Some(pre) = &op.precondition {
            let pp = [p.clone(), vec![k("precondition")]].concat();
            match self.model.shapes.get(&pre.state) {
                Some(Shape::Enum(e)) => {
                    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                    for (n, state) in pre.states.iter().enumerate() {
                        if !values.contains(&state.as_str()) {
                            let help = match suggest(state, &values) {
                                Some(s) => format!("did you mean `{s}`? (values are compared exactly, as sent on the wire)"),
                                None => format!("the values of `{}` are: {}", pre.state, values.join(", ")),
                            };
                            self.report(
                                Code::UnknownState,
                                self.at_value(&[pp.clone(), vec![k("states"), i(n)]].concat()),
                                format!("`{}` has no value `{state}`", pre.state),
                                "not a state of the enum",
                                Some(help),
                            );
                        }
                    }
                }
                None if !BUILTIN_TARGETS.contains(&pre.state.as_str()) => {
                    self.check_target(&[pp.clone(), vec![k("state")]].concat(), &pre.state);
                }
                // Another kind of shape, or a built-in.
                _ => self.report(
                    Code::WrongShapeKind,
                    self.at_value(&[pp.clone(), vec![k("state")]].concat()),
                    format!("the precondition's state `{}` is not an enum", pre.state),
                    "not an enum",
                    Some("point at the enum shape that holds the task's states".into()),
                ),
            }
        }
        for (n, example) in op.examples.iter().enumerate() {
            self.check_example(name, op, n, example);
        }
    }

    fn check_example(&mut self, op_name: &str, op: &Operation, n: usize, example: &Example) {
        let p = path(&[k("operations"), k(op_name), k("examples"), i(n)]);
        let mut mismatches = Vec::new();
        for (role, value, shape) in [("input", &example.input, &op.input), ("output", &example.output, &op.output)] {
            // A request or response that is not a structure is reported
            // already; the example cannot be judged against it.
            if !matches!(self.model.shapes.get(shape), Some(Shape::Structure(_))) {
                continue;
            }
            if let Some(value) = value {
                let vp = [p.clone(), vec![k(role)]].concat();
                fit(self.model, shape, value, &vp, &mut mismatches);
            }
        }
        if let Some(error) = &example.error {
            if !op.errors.contains(error) {
                mismatches.push(([p.clone(), vec![k("error")]].concat(), format!("`{op_name}` does not list the error `{error}`")));
            }
        }
        match &example.contradicts_syntax {
            None => {
                for (vp, why) in mismatches {
                    self.report(
                        Code::ExampleMismatch,
                        self.at_value(&vp),
                        format!("the example \"{}\" of `{op_name}` does not fit its shape: {why}", example.title),
                        "does not fit",
                        Some("fix the example data; if the page's own example contradicts its syntax, keep it verbatim and set `contradicts_syntax: <why>`".into()),
                    );
                }
            }
            Some(_) if mismatches.is_empty() => self.report(
                Code::ExampleFits,
                self.at_key(&[p, vec![k("contradicts_syntax")]].concat()),
                format!("the example \"{}\" of `{op_name}` is marked as contradicting the syntax, but it fits", example.title),
                "nothing contradicts",
                Some("remove `contradicts_syntax`".into()),
            ),
            Some(_) => {}
        }
    }
}

/// Checks that example `value` fits `target`, collecting (path, why) pairs.
fn fit(model: &Model, target: &str, value: &serde_yaml::Value, p: &[PathSeg], out: &mut Vec<(Vec<PathSeg>, String)>) {
    use serde_yaml::Value;
    let mismatch = |out: &mut Vec<(Vec<PathSeg>, String)>, why: String| out.push((p.to_vec(), why));
    let shape = model.shapes.get(target);
    let kind = match shape {
        Some(Shape::Structure(_)) => "structure",
        Some(Shape::List(_)) => "list",
        Some(Shape::Enum(_) | Shape::String(_)) => "string",
        Some(Shape::Integer(_) | Shape::Long(_)) => "integer",
        Some(Shape::Double(_)) => "double",
        Some(Shape::Boolean(_)) => "boolean",
        Some(Shape::Timestamp(t)) => match t.format {
            TimestampFormat::DateTime => "string",
            TimestampFormat::EpochSeconds => "double",
        },
        Some(Shape::Blob(_)) => "string",
        // Built-ins read as the generated code reads them.
        None => match target {
            "timestamp" if model.service.protocol == Protocol::Ec2Query => "string",
            "timestamp" => "double", // epoch seconds on the JSON protocols
            "blob" => "string",
            "long" => "integer",
            builtin if BUILTIN_TARGETS.contains(&builtin) => builtin,
            _ => return, // an unknown shape, reported already
        },
    };
    match (kind, value) {
        ("structure", Value::Mapping(map)) => {
            let Some(Shape::Structure(s)) = shape else { return };
            for (key, v) in map {
                let Some(key) = key.as_str() else {
                    mismatch(out, "a key that is not a string".into());
                    continue;
                };
                let mp = [p.to_vec(), vec![k(key)]].concat();
                match s.members.iter().find(|m| m.name == key) {
                    Some(m) => fit(model, &m.target, v, &mp, out),
                    None => out.push((mp, format!("`{target}` has no member `{key}`"))),
                }
            }
            for m in s.members.iter().filter(|m| m.required) {
                if !map.contains_key(m.name.as_str()) {
                    out.push((p.to_vec(), format!("the required member `{}` of `{target}` is missing", m.name)));
                }
            }
        }
        ("list", Value::Sequence(items)) => {
            let Some(Shape::List(l)) = shape else { return };
            for (n, item) in items.iter().enumerate() {
                fit(model, &l.member, item, &[p.to_vec(), vec![i(n)]].concat(), out);
            }
        }
        ("string", Value::String(s)) => {
            if let Some(Shape::String(c)) = shape {
                let len = s.chars().count() as u64;
                let contradictory = matches!((c.min_length, c.max_length), (Some(min), Some(max)) if min > max);
                if !contradictory && (c.min_length.is_some_and(|min| len < min) || c.max_length.is_some_and(|max| len > max)) {
                    mismatch(out, format!("`{s}` has {len} characters, outside the length of `{target}`"));
                }
                if let Some(Ok(re)) = c.pattern.as_deref().map(compile_pattern) {
                    if !re.is_match(s) {
                        mismatch(out, format!("`{s}` does not match the pattern of `{target}`"));
                    }
                }
            }
        }
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        ("double", Value::Number(_)) => {}
        ("boolean", Value::Bool(_)) => {}
        (kind, value) => mismatch(out, format!("expected {} for `{target}`, found {}", article(kind), describe(value))),
    }
}

fn article(kind: &str) -> String {
    match kind {
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

fn describe(value: &serde_yaml::Value) -> &'static str {
    use serde_yaml::Value;
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Compiles a model pattern with the limits we generate code under.
pub fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

/// `A → B → A` for the cycle `[A, B]`; long cycles keep their ends only.
fn cycle_text(cycle: &[&str]) -> String {
    let mut parts: Vec<&str> = if cycle.len() > 8 {
        cycle[..3].iter().copied().chain(["…"]).chain(cycle[cycle.len() - 3..].iter().copied()).collect()
    } else {
        cycle.to_vec()
    };
    parts.extend(cycle.first().copied());
    parts.join(" → ")
}

fn first_line(text: &str) -> String {
    // The regex crate's errors are multi-line drawings of the pattern; the
    // last line says what is wrong.
    let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(text).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// The candidate closest to `name` by edit distance, if close enough to be
/// a likely typo.
pub fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let name_lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&name_lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count().max(name.chars().count()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (x, ca) in a.chars().enumerate() {
        let mut cur = vec![x + 1; b.len() + 1];
        for (y, cb) in b.iter().enumerate() {
            cur[y + 1] = (prev[y] + usize::from(ca != *cb)).min(prev[y + 1] + 1).min(cur[y] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_near_misses_only() {
        let names = ["DataRepositoryTaskLifecycle", "TaskId", "string"];
        assert_eq!(suggest("DataRepositoryTaskLifecyle", &names), Some("DataRepositoryTaskLifecycle"));
        assert_eq!(suggest("strng", &names), Some("string"));
        assert_eq!(suggest("Completely", &names), None);
    }

    fn check_text(text: &str) -> Vec<Diagnostic> {
        let model = crate::load::parse_yaml::<Model>(text).expect("the model parses");
        let mut sources = SourceSet::default();
        let file = sources.add(crate::diagnostic::SourceFile {
            display_path: "models/m.yaml".into(),
            rel_path: "m.yaml".into(),
            text: text.into(),
        });
        check_models(&[LoadedModel { file, model }], &sources)
    }

    #[test]
    fn examples_of_builtins_fit_as_the_generated_code_reads_them() {
        let model = |protocol: &str, extra: &str, started: &str| {
            format!(
                "service: {{provider: p, name: s, title: T, api_version: v, protocol: {protocol}, {extra} sources: [x]}}
operations:
  Get:
    docs: d
    source: x
    http: {{method: GET, path: /}}
    input: GetIn
    output: GetOut
    examples:
      - {{title: t, output: {{Size: 5000000000, Count: 3, Started: {started}}}}}
shapes:
  GetIn: {{type: structure, members: []}}
  GetOut:
    type: structure
    members:
      - {{name: Size, target: long}}
      - {{name: Count, target: integer}}
      - {{name: Started, target: timestamp}}
"
            )
        };
        assert_eq!(check_text(&model("rest-json", "", "1700000000")), vec![]);
        assert_eq!(check_text(&model("ec2-query", "xml_namespace: n,", "\"2024-01-01T00:00:00Z\"")), vec![]);
        let wrong = check_text(&model("rest-json", "", "\"2024-01-01T00:00:00Z\""));
        assert_eq!(wrong.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::ExampleMismatch], "{wrong:?}");
    }

    #[test]
    fn regex_errors_say_what_is_wrong_in_one_line() {
        let e = compile_pattern("^(task-[0-9a-f]{17,}$").expect_err("unclosed group");
        assert!(first_line(&e).contains("unclosed group"), "{e}");
        assert!(compile_pattern("(?=x)").is_err(), "look-around is not supported");
    }
}
