//! Stage 2: lower the models to the IR, checking them on the way, in one pass.
//!
//! Every fact the emitter prints is decided here, once: each Rust name comes
//! from one table ([`TypeNames`]) against which clashes are found; each
//! member's type is resolved once, and examples are fitted against those
//! resolved types; each protocol fact is read from [`crate::protocol`].
//! Everything that would make the generated crate fail to compile, lose data
//! or mislead is reported, each at the line of the offending key; a model
//! with any problem gives diagnostics, never an IR.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, SourceSet};
use crate::doc;
use crate::docs::Doc;
use crate::ident;
use crate::ir::{
    Constraints, EnumIr, ErrorEnumIr, ErrorVariantIr, ExampleIr, FieldIr, Ir, LifecycleIr, ListInfo, MapInfo, OperationIr, PreconditionIr,
    RequestIdIr,
    ServiceIr, StructIr, TypeIr, VariantIr,
};
use crate::load::LoadedModel;
use crate::model::{self, BUILTIN_TARGETS, EnumShape, Example, Location, Model, Operation, Shape, StructureShape};
use crate::protocol::{self, Binding, ProtocolSpec, RequestId};
use crate::source_map::{PathSeg, PositionIndex, Span};

mod fit;
use fit::{Fit, Types};

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

/// Inherent methods of generated structures besides the accessors: a
/// member named like one of them is refused (E0007).
const RESERVED_METHODS: &[&str] = &["new", "validate", "to_http", "to_query", "from_http", "from_xml", "to_xml"];

/// The private field of a response whose request ID comes in a header.
pub(crate) const REQUEST_ID_FIELD: &str = "http_request_id";

/// Provider module names taken by the generated crate's own files
/// (`src/lib.rs`, `src/runtime.rs`).
const RESERVED_PROVIDERS: &[&str] = &["lib", "runtime"];

/// Lowers every model; returns the IR, or every problem found, in file order.
pub(crate) fn lower(models: &[LoadedModel], sources: &SourceSet) -> Result<Ir, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut services = Vec::new();
    let mut seen: BTreeMap<(String, String), (usize, Span)> = BTreeMap::new();
    for loaded in models {
        let Some(source) = sources.files.get(loaded.file) else { continue };
        let index = &loaded.index;
        let mut lowering = Lowering {
            file: loaded.file,
            model_path: &source.rel_path,
            model: &loaded.model,
            spec: protocol::spec(loaded.model.service.protocol),
            index,
            out: &mut diagnostics,
            patterns: Patterns::new(),
        };
        services.push(lowering.service());
        let svc = &loaded.model.service;
        let key = (svc.provider.clone(), svc.name.clone());
        let span = index.locate(&At::root().key("service").key("name").0);
        if let Some((first_file, first_span)) = seen.get(&key) {
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
            seen.insert(key, (loaded.file, span));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    services.sort_by(|a, b| (&a.provider, &a.module).cmp(&(&b.provider, &b.module)));
    Ok(Ir { services })
}

/// A path into a model file, built one step at a time.
#[derive(Debug, Clone, PartialEq)]
struct At(Vec<PathSeg>);

impl At {
    fn root() -> At {
        At(Vec::new())
    }

    /// The entry `key` of this mapping.
    fn key(&self, key: &str) -> At {
        let mut p = self.0.clone();
        p.push(PathSeg::Key(key.to_string()));
        At(p)
    }

    /// Item `index` of this sequence.
    fn index(&self, index: usize) -> At {
        let mut p = self.0.clone();
        p.push(PathSeg::Index(index));
        At(p)
    }

    /// `shapes.<name>`.
    fn shape(name: &str) -> At {
        At::root().key("shapes").key(name)
    }

    /// `operations.<name>`.
    fn operation(name: &str) -> At {
        At::root().key("operations").key(name)
    }
}

/// The one table of a service's Rust type names: every shape's, and each
/// operation's marker, request, response and error.
#[derive(Debug, Default)]
struct TypeNames {
    /// Model shape name → Rust type name (requests and responses included).
    shapes: BTreeMap<String, String>,
    /// Operation name → the Rust name of its marker type, the base of its
    /// `Request`, `Response` and `Error`.
    operations: BTreeMap<String, String>,
    /// Request or response shape → its role (`request`) and its operation's
    /// marker type.
    roles: BTreeMap<String, (&'static str, String)>,
}

impl TypeNames {
    /// The Rust name of a shape (empty for one that has none; the model is
    /// refused then).
    fn of(&self, shape: &str) -> String {
        self.shapes.get(shape).cloned().unwrap_or_default()
    }

    /// The Rust name of an operation's marker type.
    fn operation(&self, name: &str) -> String {
        self.operations.get(name).cloned().unwrap_or_default()
    }
}

/// Why a target could not be resolved to a type.
enum Unresolved {
    /// No shape of that name (to be reported where the target is written).
    Missing,
    /// The shape exists, but something inside it is broken; that is
    /// reported where the shape is defined.
    Inner,
}

struct Lowering<'a> {
    file: usize,
    model_path: &'a str,
    model: &'a Model,
    spec: &'static ProtocolSpec,
    index: &'a PositionIndex,
    out: &'a mut Vec<Diagnostic>,
    /// The service's patterns, each compiled once (checked where a string
    /// shape defines it, then matched against every example value).
    patterns: Patterns,
}

/// Compiled patterns by their text.
type Patterns = BTreeMap<String, Result<regex::Regex, String>>;

/// The compiled `pattern`, compiled on first use.
fn compiled<'p>(patterns: &'p mut Patterns, pattern: &str) -> &'p Result<regex::Regex, String> {
    patterns.entry(pattern.to_owned()).or_insert_with(|| compile_pattern(pattern))
}

impl<'a> Lowering<'a> {
    fn at_value(&self, p: &At) -> Span {
        self.index.locate(&p.0)
    }

    fn at_key(&self, p: &At) -> Span {
        self.index.key_span(&p.0).unwrap_or_else(|| self.index.locate(&p.0))
    }

    fn report(&mut self, code: Code, span: Span, message: String, label: &str, help: Option<String>) {
        let mut d = Diagnostic::new(code, self.file, span, message).label(label);
        if let Some(help) = help {
            d = d.help(help);
        }
        self.out.push(d);
    }

    /// `message` at the later of two definitions that clash, pointing at the
    /// earlier one: `spans` and `labels` are (later, earlier).
    fn clash(&mut self, code: Code, spans: (Span, Span), message: String, labels: (&str, &str), help: &str) {
        self.out.push(Diagnostic::new(code, self.file, spans.0, message).label(labels.0).related(self.file, spans.1, labels.1).help(help));
    }

    /// The stable pointer from a generated item back to its model entry.
    /// A source as a reader should see it: a page the model maps in
    /// `service.source_pages` by its title (and public URL), anything else
    /// as the model writes it.
    fn cite(&self, source: &str) -> Doc {
        match self.model.service.source_pages.get(source) {
            Some(page) => match &page.url {
                Some(url) => doc![Doc::text(&page.title), " (", Doc::text(url), ")"],
                None => Doc::text(&page.title),
            },
            None => Doc::text(source),
        }
    }

    /// A source by its title only (its URL is under "Sources").
    fn page_title(&self, source: &str) -> Doc {
        match self.model.service.source_pages.get(source) {
            Some(page) => Doc::text(&page.title),
            None => Doc::text(source),
        }
    }

    /// Model text with every file name of `service.source_pages` replaced
    /// by its page's title, for a note that names a page in passing.
    fn titles_in(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (file, page) in &self.model.service.source_pages {
            out = out.replace(file.as_str(), &page.title);
        }
        out
    }

    fn provenance(&self, entry: &str) -> Doc {
        doc!["Model: ", Doc::code(self.model_path), ", ", Doc::code(entry), "."]
    }

    fn service(&mut self) -> ServiceIr {
        for (p, first, dup) in self.index.duplicate_keys().to_vec() {
            let key = match p.last() {
                Some(PathSeg::Key(key)) => key.clone(),
                _ => String::new(),
            };
            self.clash(
                Code::DuplicateKey,
                (dup, first),
                format!("the key `{key}` appears twice in one mapping"),
                ("second definition", "first defined here"),
                "YAML keeps only the last of two equal keys; remove or rename one",
            );
        }
        self.check_service();
        let names = self.type_names();
        let boxed = self.recursion();
        let list_ok = self.check_list_nesting();
        let model = self.model;
        let mut structs = Vec::new();
        let mut enums = Vec::new();
        for (name, shape) in &model.shapes {
            match shape {
                Shape::Structure(s) => structs.push(self.structure(&names, &list_ok, &boxed, name, s)),
                Shape::Enum(e) => enums.push(self.enumeration(&names, name, e)),
                other => self.check_shape(&names, &list_ok, name, other),
            }
        }
        structs.sort_by(|a, b| a.name.cmp(&b.name));
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        let errors = self.errors(&names);
        let types = Types { structs: structs.iter().map(|s| (s.name.as_str(), s)).collect(), enums: &enums };
        let mut io_users: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        let mut operations = Vec::new();
        for (name, op) in &model.operations {
            for (role, shape) in [("input", &op.input), ("output", &op.output)] {
                if let Some((other_op, other_role)) = io_users.insert(shape, (name, role)) {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&At::operation(name).key(role)),
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
            operations.push(self.operation(&names, &types, &errors, name, op));
        }
        drop(types);
        self.service_ir(operations, structs, enums)
    }

    fn service_ir(&self, operations: Vec<OperationIr>, structs: Vec<StructIr>, enums: Vec<EnumIr>) -> ServiceIr {
        let model = self.model;
        let svc = &model.service;
        let title = Doc::text(&svc.title);
        let sources: Vec<Doc> = svc.sources.iter().map(|s| doc!["- ", self.cite(s)]).collect();
        // The model's notes are for reviewers: where the vendor's page and
        // the generated types part ways, and why. They close the page.
        let notes: Vec<Doc> = model
            .notes
            .iter()
            .map(|n| {
                let kind = match n.kind {
                    model::NoteKind::Contradiction => "Contradiction",
                    model::NoteKind::Gap => "Gap",
                };
                let source = n.source.as_deref().map(|s| doc![" (Source: ", self.cite(s), ".)"]).unwrap_or_default();
                // One list item: the note's lines joined, so Markdown keeps it whole.
                doc!["- ", kind, " in ", self.page_title(&n.page), ": ", Doc::text(&self.titles_in(&n.text)).one_line(), source]
            })
            .collect();
        let notes = if notes.is_empty() {
            Doc::default()
        } else {
            doc![
                "# Model notes\n\nFor reviewers: where the sources contradict themselves or leave a gap, and what the model does about it.\n\n",
                Doc::lines(&notes)
            ]
        };
        // One row per operation: its marker type and the first sentence of
        // its docs.
        let rows: Vec<Doc> = model
            .operations
            .iter()
            .zip(&operations)
            .map(|((_, op), ir)| {
                doc!["| [`", Doc::ident(&ir.rust), "`] | ", Doc::text(first_sentence(&op.docs)).one_line().table_cell(), " |"]
            })
            .collect();
        let table = if rows.is_empty() {
            Doc::default()
        } else {
            doc![
                "# Operations\n\nEach operation is a marker type (implementing [`Operation`](crate::runtime::Operation)) with a `<Operation>Request`, a `<Operation>Response` and an `<Operation>Error`, and an example on its page.\n\n| Operation | What it does |\n|---|---|\n",
                Doc::lines(&rows)
            ]
        };
        let facts = doc![
            "**", &title, "**, API version ", Doc::text(&svc.api_version), ", ", self.spec.name,
            " protocol. Needs the feature ",
            Doc::code(&format!("{}-{}", ident::module_name(&svc.provider), ident::module_name(&svc.name))),
            " (on by default)."
        ];
        // The vendor's own description opens the page (and is the summary
        // the provider module lists); without one, the facts do.
        let description = Doc::text(svc.docs.as_deref().unwrap_or_default());
        let (opening, facts) = if description.is_empty() { (facts, Doc::default()) } else { (description, facts) };
        let docs = Doc::paragraphs(&[
            opening,
            facts,
            table,
            doc!["# Sources\n\nThe model ", Doc::code(self.model_path), " is transcribed from:\n\n", Doc::lines(&sources)],
            notes,
        ]);
        ServiceIr {
            provider: ident::module_name(&svc.provider),
            module: ident::module_name(&svc.name),
            model_path: self.model_path.to_string(),
            title,
            api_version: svc.api_version.clone(),
            protocol: svc.protocol,
            xml_namespace: svc.xml_namespace.clone(),
            target_prefix: svc.target_prefix.clone(),
            signing_name: svc.signing_name.clone().or_else(|| svc.endpoint_prefix.clone()),
            docs,
            operations,
            structs,
            enums,
        }
    }

    fn check_service(&mut self) {
        let svc = &self.model.service;
        let at = At::root().key("service");
        for (key, value) in [("provider", &svc.provider), ("name", &svc.name)] {
            let ok = value.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !ident::is_keyword(value);
            if !ok {
                self.report(
                    Code::InvalidName,
                    self.at_value(&at.key(key)),
                    format!("the service {key} `{value}` cannot be a Rust module name"),
                    "not a module name",
                    Some("use lower-case ASCII letters, digits and `_`, starting with a letter (e.g. `ec2`), and no Rust keyword".into()),
                );
            } else if key == "provider" && RESERVED_PROVIDERS.contains(&value.as_str()) {
                self.report(
                    Code::InvalidName,
                    self.at_value(&at.key(key)),
                    format!("the provider `{value}` clashes with the generated crate's own `src/{value}.rs`"),
                    "name taken by the generated crate",
                    Some(format!("the names {} are taken at the crate root; spell the provider differently", RESERVED_PROVIDERS.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" and "))),
                );
            }
        }
        for required in self.spec.required {
            if (required.value)(svc).is_none() {
                let key = required.key;
                self.report(
                    Code::ProtocolMetadata,
                    self.at_key(&at.key("protocol")),
                    format!("the service has no `{key}`, which its protocol needs"),
                    "this protocol",
                    Some(format!("add `{key}` under `service`: {}", required.why)),
                );
            }
        }
        if matches!(self.spec.binding, Binding::PerOperation) {
            let unbound: Vec<&String> =
                self.model.operations.iter().filter(|(_, op)| op.http.is_none()).map(|(n, _)| n).collect();
            for name in unbound {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_key(&At::operation(name)),
                    format!("the {} operation `{name}` has no `http` binding", self.spec.name.strip_prefix("AWS ").unwrap_or(self.spec.name)),
                    "no method and path",
                    Some("add `http: {method: PUT, path: /Name}` as the page's request syntax shows".into()),
                );
            }
        }
    }

    /// Decides every Rust type name of the service, once. They share one
    /// module: shapes, and each operation's marker, Request, Response and
    /// Error; a clash is reported where the second claim is written.
    fn type_names(&mut self) -> TypeNames {
        let mut names = TypeNames::default();
        let mut owners: BTreeMap<String, (At, String)> = BTreeMap::new();
        let mut claim = |this: &mut Self, rust: String, p: At, what: String| {
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
                this.clash(
                    Code::RustNameClash,
                    (this.at_key(&p), first_span),
                    format!("{what} and {first_what} both become the Rust type `{rust}`"),
                    ("clashes", "the other one"),
                    "rename one of them; a shape can be renamed freely, since shape names never go on the wire",
                );
            } else {
                owners.insert(rust, (p, what));
            }
        };
        let prelude = |this: &mut Self, rust: &str, p: &At, what: &str, help: &str| {
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
        let model = self.model;
        let io: BTreeSet<&str> =
            model.operations.values().flat_map(|op| [op.input.as_str(), op.output.as_str()]).collect();
        // Operations name their types first: a shape whose name one of them
        // takes (EC2's structure `CreateFleetError` beside the operation
        // `CreateFleet`'s error enum) is `<Name>Shape` instead.
        let operation_types: BTreeSet<String> = model
            .operations
            .keys()
            .map(|op| ident::type_name(op))
            .flat_map(|base| ["", "Request", "Response", "Error"].map(|suffix| format!("{base}{suffix}")))
            .collect();
        for (name, shape) in &model.shapes {
            if io.contains(name.as_str()) {
                continue; // named after its operation instead
            }
            let p = At::shape(name);
            if BUILTIN_TARGETS.contains(&name.as_str()) {
                self.report(
                    Code::InvalidName,
                    self.at_key(&p),
                    format!("the shape name `{name}` is a built-in target"),
                    "shadows a built-in",
                    Some("built-ins (`string`, `integer`, ...) need no definition; give a constrained shape its own name, like `TaskId`".into()),
                );
            }
            // Only structures and enums become Rust types.
            if !matches!(shape, Shape::Structure(_) | Shape::Enum(_)) {
                continue;
            }
            let mut rust = ident::type_name(name);
            if operation_types.contains(&rust) {
                rust.push_str("Shape");
            }
            let help = format!("rename the shape, e.g. `Task{rust}`: shape names never go on the wire");
            prelude(self, &rust, &p, &format!("the shape `{name}`"), &help);
            names.shapes.insert(name.clone(), rust.clone());
            claim(self, rust, p, format!("the shape `{name}`"));
        }
        // Requests and responses that are broken (not a structure, or shared)
        // are reported elsewhere; their names are not claimed, so that one
        // mistake gives one error.
        let mut io_seen: BTreeSet<&str> = BTreeSet::new();
        for (name, op) in &model.operations {
            let p = At::operation(name);
            let base = ident::type_name(name);
            names.operations.insert(name.clone(), base.clone());
            let mut suffixes = Vec::new();
            for (suffix, shape) in [("Request", op.input.as_str()), ("Response", op.output.as_str())] {
                if matches!(model.shapes.get(shape), Some(Shape::Structure(_))) && io_seen.insert(shape) {
                    names.shapes.insert(shape.to_string(), format!("{base}{suffix}"));
                    let role = if suffix == "Request" { "request" } else { "response" };
                    names.roles.insert(shape.to_string(), (role, base.clone()));
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
        names
    }

    /// Shapes that are neither structures nor enums: checked where they are
    /// defined, typed where a member uses them.
    fn check_shape(&mut self, names: &TypeNames, list_ok: &BTreeSet<&str>, name: &str, shape: &Shape) {
        let p = At::shape(name);
        match shape {
            Shape::List(l) => {
                // Timestamps and blobs may be items: the list schema's item
                // kind gives each its wire form, and the serde feature its
                // module's `nested` form.
                self.check_target(&p.key("member"), &l.member);
                self.check_min_max(&p, "min_items", l.min_items.map(|v| v as f64), "max_items", l.max_items.map(|v| v as f64));
            }
            Shape::String(s) => {
                self.check_min_max(&p, "min_length", s.min_length.map(|v| v as f64), "max_length", s.max_length.map(|v| v as f64));
                if let Some(pattern) = &s.pattern {
                    // The syntax only, in linear time: a vendor pattern such as
                    // `^.{1,2048}$` is valid but large to compile, which only
                    // the examples checked against it need.
                    if let Err(e) = pattern_syntax(pattern) {
                        self.report(
                            Code::InvalidPattern,
                            self.at_value(&p.key("pattern")),
                            format!("the pattern of `{name}` is not a valid regular expression"),
                            "invalid pattern",
                            Some(format!("{e}; patterns use the syntax of the `regex` crate (no look-around or back-references)")),
                        );
                    }
                }
            }
            Shape::Map(m) => {
                self.check_target(&p.key("key"), &m.key);
                self.check_target(&p.key("value"), &m.value);
                let key_is_text = match self.model.shapes.get(&m.key) {
                    Some(Shape::String(_) | Shape::Enum(_)) => true,
                    Some(_) => false,
                    None => m.key == "string" || !BUILTIN_TARGETS.contains(&m.key.as_str()),
                };
                if !key_is_text {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&p.key("key")),
                        format!("the keys of the map `{name}` are `{}`, not strings", m.key),
                        "not a string",
                        Some("map keys are strings on every wire the generator speaks: use `string`, or a string or enum shape".into()),
                    );
                }
                let value = self.resolve(names, list_ok, &m.value, 1);
                let problem = match &value {
                    Err(Unresolved::Inner) => Some("nests too deeply or holds itself".into()),
                    _ if !self.spec.requests_carry_maps() && request_shapes(self.model).contains(name) => {
                        Some(format!("is part of a request, and {} requests carry no maps", self.spec.name))
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&p.key("value")),
                        format!("the map `{name}` {problem}"),
                        "not supported in a map",
                        Some("model the values as a list of key/value structures".into()),
                    );
                }
                self.check_min_max(&p, "min_items", m.min_items.map(|v| v as f64), "max_items", m.max_items.map(|v| v as f64));
            }
            Shape::Integer(n) | Shape::Long(n) | Shape::Float(n) | Shape::Double(n) => {
                self.check_min_max(&p, "min", n.min, "max", n.max);
            }
            Shape::Document(_) if !self.spec.carries_documents() => self.report(
                Code::WrongShapeKind,
                self.at_value(&p.key("type")),
                format!("the document `{name}` cannot be carried by {}", self.spec.name),
                "not in this protocol",
                Some("documents are JSON values: only the JSON protocols (aws-json11, rest-json) carry them".into()),
            ),
            Shape::Structure(_) | Shape::Enum(_) | Shape::Boolean(_) | Shape::Timestamp(_) | Shape::Blob(_) | Shape::Document(_) => {}
        }
    }

    fn check_min_max(&mut self, p: &At, min_key: &str, min: Option<f64>, max_key: &str, max: Option<f64>) {
        for (key, value) in [(min_key, min), (max_key, max)] {
            if let Some(value) = value.filter(|v| !v.is_finite()) {
                self.report(
                    Code::WrongType,
                    self.at_value(&p.key(key)),
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
                    self.at_value(&p.key(min_key)),
                    format!("`{min_key}` ({min}) is larger than `{max_key}` ({max})"),
                    "no value can satisfy both",
                    Some(format!("swap the two, or check the page: `{min_key}` must not exceed `{max_key}`")),
                );
            }
        }
    }

    /// A structure: its members checked, named and typed.
    fn structure(&mut self, names: &TypeNames, list_ok: &BTreeSet<&str>, boxed: &BTreeSet<(&str, usize)>, name: &str, s: &StructureShape) -> StructIr {
        let p = At::shape(name);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut wires: BTreeMap<&str, usize> = BTreeMap::new();
        let mut queries: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust: BTreeMap<String, usize> = BTreeMap::new();
        let mut fields = Vec::new();
        for (n, m) in s.members.iter().enumerate() {
            let mp = p.key("members").index(n);
            let name_span = self.at_value(&mp.key("name"));
            if let Some(first) = seen.insert(&m.name, n) {
                let first_span = self.at_value(&p.key("members").index(first).key("name"));
                self.clash(
                    Code::DuplicateName,
                    (name_span, first_span),
                    format!("the member `{}` is defined twice", m.name),
                    ("second definition", "first defined here"),
                    "remove one of the two members",
                );
                continue;
            }
            let wire = m.wire_name.as_deref().unwrap_or(&m.name);
            if let Some(first) = wires.insert(wire, n) {
                let first_name = &s.members[first].name;
                self.report(
                    Code::DuplicateName,
                    self.at_value(&mp.key(if m.wire_name.is_some() { "wire_name" } else { "name" })),
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
                        self.at_value(&mp.key(key)),
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
                let first_span = self.at_value(&p.key("members").index(first).key("name"));
                self.clash(
                    Code::RustNameClash,
                    (name_span, first_span),
                    format!("the members `{}` and `{}` both become the Rust field `{field}`", s.members[first].name, m.name),
                    ("clashes", "the other one"),
                    "rename one member and keep the vendor's spelling in `wire_name`",
                );
            }
            let mut ty = match self.resolve(names, list_ok, &m.target, 0) {
                Ok(ty) => ty,
                Err(Unresolved::Missing) => {
                    self.check_target(&mp.key("target"), &m.target);
                    continue;
                }
                Err(Unresolved::Inner) => continue,
            };
            if m.xml_flattened {
                match &mut ty {
                    TypeIr::List(_, info) => info.flattened = true,
                    TypeIr::Map(_, info) => info.flattened = true,
                    _ => self.report(
                        Code::WrongShapeKind,
                        self.at_value(&mp.key("xml_flattened")),
                        format!("the member `{}` is `xml_flattened` but its target `{}` is not a list or a map", m.name, m.target),
                        "not a list or a map",
                        Some("only a list's items or a map's entries can be flattened into repeated elements; remove `xml_flattened`".into()),
                    ),
                }
            }
            let ty = self.member_timestamp_format(ty, m, &mp);
            if m.json_value && (m.location != Some(Location::Header) || ty != TypeIr::String) {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&mp.key("json_value")),
                    format!("the member `{}` has `json_value`, which only a string header carries", m.name),
                    "not a string header",
                    Some("`json_value` is for a string member with `location: header`".into()),
                );
            }
            let constraints = self.constraints(&m.target);
            let sensitive = m.sensitive || matches!(self.model.shapes.get(&m.target), Some(Shape::String(st)) if st.sensitive);
            let query = m.query_name.clone().unwrap_or_else(|| wire.to_string());
            let boxed = boxed.contains(&(name, n));
            let docs = member_docs(m, &ty, &constraints, sensitive, boxed);
            if s.union && m.required {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&mp.key("required")),
                    format!("the member `{}` of the union `{name}` is required", m.name),
                    "required in a union",
                    Some("a union sets exactly one of its members, so none is required: remove `required`".into()),
                );
            }
            if m.idempotency_token && ty != TypeIr::String {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&mp.key("idempotency_token")),
                    format!("the idempotency token `{}` is not a string", m.name),
                    "not a string",
                    Some("an idempotency token is text (`new()` fills it with a UUID): target a string shape".into()),
                );
            }
            fields.push(FieldIr {
                member: m.name.clone(),
                rust: field,
                wire: wire.to_string(),
                query,
                target: m.target.clone(),
                ty,
                constraints,
                required: m.required,
                sensitive,
                idempotency_token: m.idempotency_token,
                location: m.location,
                json_value: m.json_value,
                xml_attribute: m.xml_attribute,
                boxed,
                docs,
            });
        }
        let request_id = matches!(names.roles.get(name), Some(("response", _))).then(|| match self.spec.request_id {
            RequestId::Header(header) => RequestIdIr::Header(header),
            RequestId::Member(wire) => match fields.iter().find(|f| f.wire == wire && f.ty == TypeIr::String) {
                Some(f) => RequestIdIr::Member { field: f.rust.clone(), wire: f.wire.clone(), required: f.required },
                None => RequestIdIr::Missing(wire),
            },
        });
        self.check_methods(&p, s, &fields, request_id.as_ref());
        let mut docs = Doc::text(s.docs.as_deref().unwrap_or_default());
        if let Some((role, op)) = names.roles.get(name) {
            // What the operation does, and how the type is used in it.
            let what = self.model.operations.values().find(|o| o.input == name || o.output == name).map(|o| Doc::text(first_sentence(&o.docs)).one_line()).unwrap_or_default();
            let summary = if what.is_empty() { doc!["The ", *role, " of [", Doc::code(op), "]."] } else { doc!["The ", *role, " of [", Doc::code(op), "]: ", what] };
            let usage = if *role == "request" {
                doc!["Build it with `new` (the required members) and the `with_*` methods, check it with `validate()`, and turn it into an unsigned HTTP request with `to_http`; the operation's page shows the whole exchange."]
            } else {
                doc!["`from_http` decodes it from the service's HTTP answer, or returns the operation's error; read it with the accessors named after its members."]
            };
            docs = Doc::paragraphs([&summary, &docs, &usage]);
        }
        let errors_of: Vec<String> = self
            .model
            .errors
            .iter()
            .filter(|(_, e)| e.shape.as_deref() == Some(name))
            .map(|(e, _)| format!("`{}`", ident::type_name(e)))
            .collect();
        if !errors_of.is_empty() {
            let usage = doc![
                "What the error ",
                Doc::text(&errors_of.join(", ")),
                " carries besides its code and message: that variant of an operation's error enum holds it beside the ",
                Doc::code("ErrorMetadata"),
                "; read it with the accessors named after its members."
            ];
            docs = Doc::paragraphs([&docs, &usage]);
        }
        if docs.is_empty() {
            // Every public item is documented; where the page says nothing,
            // say so rather than invent a description.
            docs = doc!["A structure of the model; the source page does not describe it."];
        }
        if s.union {
            docs = Doc::paragraphs([&docs, &doc!["A union: set exactly one member (`validate()` reports none or several as a violation)."]]);
        }
        StructIr {
            name: names.of(name),
            shape: name.to_string(),
            docs: Doc::paragraphs([&docs, &self.provenance(&format!("shapes.{name}"))]),
            has_sensitive: fields.iter().any(|f| f.sensitive),
            union: s.union,
            request_id,
            fields,
        }
    }

    /// The methods every structure gets (`new`, `validate`, one accessor
    /// per member, `with_<member>` per optional member or token, the wire
    /// methods of requests and responses, `request_id`) must not collide
    /// with one another.
    fn check_methods(&mut self, p: &At, s: &StructureShape, fields: &[FieldIr], request_id: Option<&RequestIdIr>) {
        let header_id = matches!(request_id, Some(RequestIdIr::Header(_)));
        let id_member = match request_id {
            Some(RequestIdIr::Member { field, .. }) => Some(field.as_str()),
            _ => None,
        };
        let is_response = request_id.is_some();
        let accessors: BTreeSet<&str> = fields.iter().map(|f| f.rust.as_str()).collect();
        for f in fields {
            let Some(n) = s.members.iter().position(|m| m.name == f.member) else { continue };
            let reserved = RESERVED_METHODS.contains(&f.rust.as_str())
                || (f.rust == "request_id" && is_response && id_member != Some("request_id"))
                || (header_id && f.rust == REQUEST_ID_FIELD);
            let setter = format!("with_{}", f.rust);
            let setter_clash = (!f.required || f.idempotency_token) && accessors.contains(setter.as_str());
            if reserved || setter_clash {
                let what = if reserved {
                    format!("the member `{}` becomes `{}`, a name the generated methods of the type already use", f.member, f.rust)
                } else {
                    format!("the setter `{setter}` of the member `{}` is also the accessor of another member", f.member)
                };
                self.report(
                    Code::RustNameClash,
                    self.at_value(&p.key("members").index(n).key("name")),
                    what,
                    "clashes with a generated method",
                    Some("rename the member and keep the vendor's spelling in `wire_name`".into()),
                );
            }
        }
    }

    /// The Rust type of `target`, resolved once. Lists nested more deeply
    /// than [`MAX_LIST_NESTING`], or in a cycle, are not in `list_ok` (they
    /// are reported where they are defined).
    fn resolve(&self, names: &TypeNames, list_ok: &BTreeSet<&str>, target: &str, depth: usize) -> Result<TypeIr, Unresolved> {
        Ok(match self.model.shapes.get(target) {
            Some(Shape::Structure(_)) => TypeIr::Struct(names.of(target)),
            Some(Shape::Enum(_)) => TypeIr::Enum(names.of(target)),
            Some(Shape::List(l)) => {
                if !list_ok.contains(target) || depth > MAX_LIST_NESTING {
                    return Err(Unresolved::Inner);
                }
                let item = self.resolve(names, list_ok, &l.member, depth + 1).map_err(|_| Unresolved::Inner)?;
                TypeIr::List(
                    Box::new(item),
                    ListInfo {
                        xml_item_name: l.xml_item_name.clone().unwrap_or_else(|| self.spec.xml_list_item.to_string()),
                        item_target: l.member.clone(),
                        item_constraints: self.constraints(&l.member),
                        flattened: false,
                    },
                )
            }
            Some(Shape::Map(m)) => {
                if depth > MAX_LIST_NESTING {
                    return Err(Unresolved::Inner);
                }
                let value = self.resolve(names, list_ok, &m.value, depth + 1).map_err(|_| Unresolved::Inner)?;
                TypeIr::Map(
                    Box::new(value),
                    MapInfo {
                        xml_key_name: m.xml_key_name.clone().unwrap_or_else(|| "key".into()),
                        xml_value_name: m.xml_value_name.clone().unwrap_or_else(|| "value".into()),
                        flattened: false,
                    },
                )
            }
            Some(Shape::String(_)) => TypeIr::String,
            Some(Shape::Integer(_)) => TypeIr::I32,
            Some(Shape::Long(_)) => TypeIr::I64,
            Some(Shape::Float(_)) => TypeIr::F32,
            Some(Shape::Double(_)) => TypeIr::F64,
            Some(Shape::Boolean(_)) => TypeIr::Bool,
            Some(Shape::Timestamp(t)) => TypeIr::Timestamp(t.format),
            Some(Shape::Blob(_)) => TypeIr::Blob,
            Some(Shape::Document(_)) => TypeIr::Document,
            None => match target {
                "string" => TypeIr::String,
                "integer" => TypeIr::I32,
                "long" => TypeIr::I64,
                "float" => TypeIr::F32,
                "double" => TypeIr::F64,
                "boolean" => TypeIr::Bool,
                "timestamp" => TypeIr::Timestamp(self.spec.timestamp),
                "blob" => TypeIr::Blob,
                _ => return Err(Unresolved::Missing),
            },
        })
    }

    /// The constraints a value of `target` must meet.
    fn constraints(&self, target: &str) -> Constraints {
        match self.model.shapes.get(target) {
            Some(Shape::String(s)) => Constraints {
                length: (s.min_length, s.max_length),
                pattern: s.pattern.clone(),
                ..Constraints::default()
            },
            Some(Shape::Integer(n) | Shape::Long(n) | Shape::Float(n) | Shape::Double(n)) => {
                Constraints { range: (n.min, n.max), ..Constraints::default() }
            }
            Some(Shape::List(l)) => Constraints { items: (l.min_items, l.max_items), ..Constraints::default() },
            Some(Shape::Map(m)) => Constraints { items: (m.min_items, m.max_items), ..Constraints::default() },
            _ => Constraints::default(),
        }
    }

    fn enumeration(&mut self, names: &TypeNames, name: &str, e: &EnumShape) -> EnumIr {
        let p = At::shape(name);
        if e.values.is_empty() {
            self.report(
                Code::EmptyEnum,
                self.at_key(&p.key("values")),
                format!("the enum `{name}` has no values"),
                "empty",
                Some("list the values the page documents; an enum with none cannot be matched on".into()),
            );
        }
        let mut values: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust: BTreeMap<String, usize> = BTreeMap::new();
        let mut variants = Vec::new();
        for (n, v) in e.values.iter().enumerate() {
            let vp = p.key("values").index(n);
            let span = self.at_value(&vp.key("value"));
            if let Some(first) = values.insert(&v.value, n) {
                let first_span = self.at_value(&p.key("values").index(first).key("value"));
                self.clash(
                    Code::DuplicateName,
                    (span, first_span),
                    format!("the value `{}` is listed twice in `{name}`", v.value),
                    ("second time", "first listed here"),
                    "remove one of the two",
                );
                continue;
            }
            let variant = ident::type_name(v.name.as_deref().unwrap_or(&v.value));
            let span = if v.name.is_some() { self.at_value(&vp.key("name")) } else { span };
            if variant.is_empty() {
                self.report(
                    Code::InvalidName,
                    span,
                    format!("the value `{}` of `{name}` has no letters or digits to make a Rust variant from", v.value),
                    "needs a name",
                    Some("add `name: SomeVariant` to the value".into()),
                );
            } else if let Some(first) = rust.insert(variant.clone(), n) {
                let first_span = self.at_value(&p.key("values").index(first).key("value"));
                self.clash(
                    Code::RustNameClash,
                    (span, first_span),
                    format!("the values `{}` and `{}` of `{name}` both become the variant `{variant}`", e.values[first].value, v.value),
                    ("clashes", "the other one"),
                    "give one of them `name: OtherVariant`",
                );
            }
            variants.push(VariantIr { rust: variant, value: v.value.clone(), docs: Doc::text(v.docs.as_deref().unwrap_or_default()) });
        }
        let taken: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
        let unknown = free_name(&["Unknown", "Undocumented", "Other"], &taken);
        let mut docs = Doc::text(e.docs.as_deref().unwrap_or_default());
        if docs.is_empty() {
            docs = doc!["An enum of the model; the source page does not describe it."];
        }
        let lifecycle = self.lifecycle(names, name, e);
        if let Some(l) = &lifecycle {
            for (v, phase) in variants.iter_mut().zip(&l.phases) {
                v.docs = Doc::paragraphs([&v.docs, &doc!["Phase: [", Doc::code(&format!("TaskPhase::{phase}")), "](crate::TaskPhase::", *phase, ")."]]);
            }
        }
        EnumIr {
            name: names.of(name),
            shape: name.to_string(),
            docs: Doc::paragraphs([&docs, &self.provenance(&format!("shapes.{name}"))]),
            variants,
            unknown,
            lifecycle,
        }
    }

    /// A task-state enum: every value's phase, and the cancel operation
    /// whose precondition is on this enum.
    fn lifecycle(&mut self, names: &TypeNames, name: &str, e: &EnumShape) -> Option<LifecycleIr> {
        let p = At::shape(name);
        let Some(l) = &e.lifecycle else {
            if let Some(n) = e.values.iter().position(|v| v.phase.is_some()) {
                self.report(
                    Code::UnknownState,
                    self.at_value(&p.key("values").index(n).key("phase")),
                    format!("the value `{}` of `{name}` has a `phase`, but the enum has no `lifecycle`", e.values[n].value),
                    "phase of no lifecycle",
                    Some("add `lifecycle: { cancel: <the operation that cancels the task> }` to the enum, or remove the phases".into()),
                );
            }
            return None;
        };
        let mut ok = true;
        match self.model.operations.get(&l.cancel) {
            None => {
                let candidates: Vec<&str> = self.model.operations.keys().map(String::as_str).collect();
                let help = match suggest(&l.cancel, &candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name the operation (a key of `operations`) that cancels the task".to_string(),
                };
                self.report(Code::Dangling, self.at_value(&p.key("lifecycle").key("cancel")), format!("no operation named `{}`", l.cancel), "unknown operation", Some(help));
                ok = false;
            }
            Some(op) if op.precondition.as_ref().is_none_or(|pre| pre.state != name) => {
                self.report(
                    Code::UnknownState,
                    self.at_value(&p.key("lifecycle").key("cancel")),
                    format!("`{}` has no `precondition` on `{name}`, so nothing says which states can be cancelled", l.cancel),
                    "no precondition on this enum",
                    Some(format!("give `{}` a `precondition` with `state: {name}` and the cancellable states (with `source` and a note when the page is silent)", l.cancel)),
                );
                ok = false;
            }
            Some(_) => {}
        }
        let mut phases = Vec::new();
        for (n, v) in e.values.iter().enumerate() {
            match v.phase {
                Some(phase) => phases.push(phase.variant()),
                None => {
                    self.report(
                        Code::UnknownState,
                        self.at_value(&p.key("values").index(n).key("value")),
                        format!("the value `{}` of the task state `{name}` has no `phase`", v.value),
                        "no phase",
                        Some("add `phase:` (pending, running, cancelling, succeeded, failed or cancelled), as the sources describe the state".into()),
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| LifecycleIr { cancel: names.operation(&l.cancel), phases })
    }

    /// A member's or list's target: a built-in or a defined shape.
    fn check_target(&mut self, p: &At, target: &str) {
        if BUILTIN_TARGETS.contains(&target) || self.model.shapes.contains_key(target) {
            return;
        }
        let candidates: Vec<&str> =
            self.model.shapes.keys().map(String::as_str).chain(BUILTIN_TARGETS.iter().copied()).collect();
        let help = match suggest(target, &candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "define the shape under `shapes`, or use a built-in: string, integer, long, double, boolean, timestamp, blob".to_string(),
        };
        self.report(Code::Dangling, self.at_value(p), format!("no shape named `{target}`"), "unknown shape", Some(help));
    }

    /// Structures that contain themselves through structure members (not
    /// through a list or a map, whose items are on the heap already): the
    /// members on such a cycle are boxed, and a cycle of *required*
    /// members only is refused (E0015), since no value of it is finite.
    ///
    /// Returns the boxed members, as (structure, index in `members`): every
    /// structure member whose target is in the structure's strongly
    /// connected component. That depends on the shapes' graph only, not on
    /// the order of a search, so renaming a shape never moves a `Box`.
    /// Linear in the model's size, with explicit stacks: models are
    /// untrusted and may be deep.
    fn recursion(&mut self) -> BTreeSet<(&'a str, usize)> {
        let model: &'a Model = self.model;
        // Each structure's structure members: (member index, target, required).
        let edges: BTreeMap<&'a str, Vec<(usize, &'a str, bool)>> = model
            .shapes
            .iter()
            .filter_map(|(name, shape)| match shape {
                Shape::Structure(s) => Some((
                    name.as_str(),
                    s.members
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| matches!(model.shapes.get(&m.target), Some(Shape::Structure(_))))
                        .map(|(n, m)| (n, m.target.as_str(), m.required))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        self.check_required_cycles(&edges);
        let component = components(&edges);
        let mut boxed = BTreeSet::new();
        for (node, out) in &edges {
            for &(n, target, _) in out {
                if component.get(node) == component.get(target) {
                    boxed.insert((*node, n));
                }
            }
        }
        boxed
    }

    /// A cycle of required structure members has no finite value (each
    /// value needs another inside it): one depth-first search over the
    /// required members, reporting each cycle where it closes.
    fn check_required_cycles(&mut self, edges: &BTreeMap<&'a str, Vec<(usize, &'a str, bool)>>) {
        let edges: BTreeMap<&str, Vec<(usize, &str)>> = edges
            .iter()
            .map(|(node, out)| (*node, out.iter().filter(|(_, _, required)| *required).map(|&(n, t, _)| (n, t)).collect()))
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
                        self.at_value(&At::shape(node).key("members").index(n).key("target")),
                        format!("the structure `{next}` contains itself through required members only: {}", cycle_text(&cycle)),
                        "closes the cycle",
                        Some("no value of it is finite, as each needs another inside it: make one of these members optional, or hold one through a list".into()),
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
    /// Returns the lists that can be typed: in no cycle and not too deep.
    fn check_list_nesting(&mut self) -> BTreeSet<&'a str> {
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
                        self.at_value(&At::shape(last).key("member")),
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
        let mut ok = BTreeSet::new();
        for (name, d) in depth {
            match d {
                Some(d) if d <= MAX_LIST_NESTING => {
                    ok.insert(name);
                }
                Some(d) if !nested.contains(name) => self.report(
                    Code::TooLarge,
                    self.at_key(&At::shape(name)),
                    format!("the list `{name}` nests {d} lists in one another; at most {MAX_LIST_NESTING} are supported"),
                    "nested too deeply",
                    Some("check each list's `member`: vendor APIs nest a list in a list at most".into()),
                ),
                _ => {}
            }
        }
        ok
    }

    /// The service's errors, checked and lowered once; operations list them.
    fn errors(&mut self, names: &TypeNames) -> BTreeMap<&'a str, ErrorVariantIr> {
        let model = self.model;
        let mut codes: BTreeMap<&str, &str> = BTreeMap::new();
        let mut lowered = BTreeMap::new();
        for (name, error) in &model.errors {
            let p = At::root().key("errors").key(name);
            let rust = ident::type_name(name);
            if rust.is_empty() {
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
                    self.at_value(&p.key("code")),
                    format!("the error code of `{name}` is empty or contains white space"),
                    "not a wire error code",
                    Some("write the code exactly as the service sends it, e.g. `InvalidStatus.CancelFailed`".into()),
                );
            }
            if let Some(other) = codes.insert(&error.code, name) {
                // Point at the later of the two in the file.
                let here = self.at_value(&p.key("code"));
                let there = self.at_value(&At::root().key("errors").key(other).key("code"));
                let (second, first) = if here.start >= there.start { (here, there) } else { (there, here) };
                self.clash(
                    Code::DuplicateName,
                    (second, first),
                    format!("the errors `{other}` and `{name}` have the same code `{}`", error.code),
                    ("duplicate code", "the same code"),
                    "a code decodes to one error; merge the two definitions",
                );
            }
            if !(100..=599).contains(&error.http_status) {
                self.report(
                    Code::WrongType,
                    self.at_value(&p.key("http_status")),
                    format!("`{}` is not an HTTP status code", error.http_status),
                    "out of range",
                    Some("use the status the page documents, from 100 to 599".into()),
                );
            }
            let details = error.shape.as_deref().and_then(|shape| self.error_details(names, name, shape));
            let docs = Doc::paragraphs(&[
                Doc::text(&error.docs),
                details
                    .as_deref()
                    .map(|d| doc!["The variant holds its metadata and, in [", Doc::code(d), "], what the error carries besides its code and message."])
                    .unwrap_or_default(),
                error.message.as_deref().map(|m| doc!["Documented message: ", Doc::code(m)]).unwrap_or_default(),
                doc!["Code: ", Doc::code(&error.code), ". HTTP status: ", error.http_status, "."],
                error.source.as_deref().map(|s| doc!["Source: ", self.cite(s), "."]).unwrap_or_default(),
                self.provenance(&format!("errors.{name}")),
            ]);
            lowered.insert(
                name.as_str(),
                ErrorVariantIr {
                    rust,
                    code: error.code.clone(),
                    http_status: error.http_status,
                    fault: error.fault,
                    retryable: error.retryable,
                    throttling: error.throttling,
                    details,
                    docs,
                },
            );
        }
        lowered
    }

    /// The Rust name of the structure holding error `name`'s own members
    /// (its `shape`), checked: a structure that is no operation's input or
    /// output, whose members are in the error response's body, or (REST
    /// protocols) in headers or the status code. `None` when it is reported.
    fn error_details(&mut self, names: &TypeNames, name: &str, shape: &str) -> Option<String> {
        let p = At::root().key("errors").key(name).key("shape");
        let s = match self.model.shapes.get(shape) {
            Some(Shape::Structure(s)) => s,
            Some(_) => {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&p),
                    format!("the shape of the error `{name}` must be a structure; `{shape}` is not"),
                    "not a structure",
                    Some("point at a shape with `type: structure` holding the error's members besides its message".into()),
                );
                return None;
            }
            None if BUILTIN_TARGETS.contains(&shape) => {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&p),
                    format!("the shape of the error `{name}` must be a structure; `{shape}` is a built-in"),
                    "not a structure",
                    Some("point at a shape with `type: structure` holding the error's members besides its message".into()),
                );
                return None;
            }
            None => {
                self.check_target(&p, shape);
                return None;
            }
        };
        if let Some((op, role)) = self.model.operations.iter().find_map(|(op, o)| {
            [("input", &o.input), ("output", &o.output)].into_iter().find(|(_, s)| s.as_str() == shape).map(|(role, _)| (op, role))
        }) {
            self.report(
                Code::WrongShapeKind,
                self.at_value(&p),
                format!("the shape `{shape}` of the error `{name}` is also the {role} of `{op}`"),
                "shared with an operation",
                Some(format!("give the error a structure of its own (`{name}Details`), with the members the error response carries")),
            );
            return None;
        }
        let rest = matches!(self.spec.binding, Binding::PerOperation);
        let mut ok = true;
        for (n, m) in s.members.iter().enumerate() {
            let problem = match (m.location, rest) {
                (None, _) | (Some(Location::Header | Location::HeaderPrefix | Location::StatusCode), true) => continue,
                (Some(Location::Header | Location::HeaderPrefix | Location::StatusCode), false) => {
                    format!("{} carries an error's members in its body", self.spec.name)
                }
                (Some(Location::Payload), _) => "an error's members are those of its body, not a payload".to_string(),
                (Some(Location::Uri | Location::Query), _) => {
                    "an error response has no path or query string; its members are in the body or in headers".to_string()
                }
            };
            ok = false;
            self.report(
                Code::ProtocolMetadata,
                self.at_value(&At::shape(shape).key("members").index(n).key("location")),
                format!("the member `{}` of `{shape}`, the shape of the error `{name}`, has `location: {}`", m.name, location_word(m.location)),
                "not where an error response carries it",
                Some(format!("{problem}: remove `location`{}", if rest { " or use `location: header`" } else { "" })),
            );
        }
        ok.then(|| names.of(shape))
    }

    /// The type of member `m` with its timestamp format: the member's own
    /// `timestamp_format` (over a timestamp or a timestamp list's items),
    /// else, for the built-in `timestamp`, its location's default (an HTTP
    /// date in a header, RFC 3339 in a label or query), else the target's.
    fn member_timestamp_format(&mut self, ty: TypeIr, m: &model::Member, mp: &At) -> TypeIr {
        let format = match (m.timestamp_format, m.location) {
            (Some(format), _) => format,
            (None, Some(Location::Header)) if m.target == "timestamp" => model::TimestampFormat::HttpDate,
            (None, Some(Location::Uri | Location::Query)) if m.target == "timestamp" => model::TimestampFormat::DateTime,
            (None, _) => return ty,
        };
        match ty {
            TypeIr::Timestamp(_) => TypeIr::Timestamp(format),
            TypeIr::List(item, info) if matches!(*item, TypeIr::Timestamp(_)) => TypeIr::List(Box::new(TypeIr::Timestamp(format)), info),
            other => {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&mp.key("timestamp_format")),
                    format!("the member `{}` has a `timestamp_format`, but it is not a timestamp or a list of timestamps", m.name),
                    "not a timestamp",
                    Some("remove `timestamp_format`, or target a timestamp shape".into()),
                );
                other
            }
        }
    }

    /// What kind of value `target` is, in the model's words (`blob`,
    /// `structure`, `map of string`...), for the location checks.
    fn target_kind(&self, target: &str) -> String {
        match self.model.shapes.get(target) {
            Some(Shape::Structure(_)) => "structure".into(),
            Some(Shape::List(_)) => "list".into(),
            Some(Shape::Map(m)) => format!("map of {}", self.target_kind(&m.value)),
            Some(Shape::Enum(_)) => "enum".into(),
            Some(Shape::String(_)) => "string".into(),
            Some(Shape::Integer(_)) => "integer".into(),
            Some(Shape::Long(_)) => "long".into(),
            Some(Shape::Blob(_)) => "blob".into(),
            Some(Shape::Document(_)) => "document".into(),
            Some(_) => "scalar".into(),
            None => target.to_string(),
        }
    }

    /// REST members outside the body: only REST protocols place them; a
    /// structure has at most one payload, a blob, string, enum, structure or
    /// document; a status code is an integer, a header-prefix map a map of
    /// strings; every label of the path has one required member (and each
    /// such member a label). Labels and query members of a response are
    /// not read (botocore ignores them too).
    fn check_locations(&mut self, name: &str, op: &Operation) {
        let rest = matches!(self.spec.binding, Binding::PerOperation);
        for shape in [&op.input, &op.output] {
            let Some(Shape::Structure(st)) = self.model.shapes.get(shape) else { continue };
            let mut payload: Option<&str> = None;
            for (n, m) in st.members.iter().enumerate() {
                let Some(location) = m.location else { continue };
                let at = At::shape(shape).key("members").index(n).key("location");
                let kind = self.target_kind(&m.target);
                let fits = match location {
                    Location::Payload => matches!(kind.as_str(), "blob" | "string" | "enum" | "structure" | "document"),
                    Location::StatusCode => matches!(kind.as_str(), "integer" | "long"),
                    Location::HeaderPrefix => matches!(kind.as_str(), "map of string" | "map of enum"),
                    Location::Uri | Location::Query | Location::Header => true,
                };
                if rest && !fits {
                    self.report(
                        Code::WrongShapeKind,
                        self.at_value(&at),
                        format!("the member `{}` of `{shape}` has `location: {}` but targets a {kind}", m.name, serde_yaml::to_string(&location).unwrap_or_default().trim()),
                        "does not fit the location",
                        Some("a payload is a blob, string, enum, structure or document; a status code an integer; a header-prefix map a map of strings".into()),
                    );
                }
                if location == Location::Payload {
                    if let Some(first) = payload {
                        self.report(
                            Code::ProtocolMetadata,
                            self.at_value(&at),
                            format!("`{shape}` has two payload members, `{first}` and `{}`; the body is one", m.name),
                            "a second payload",
                            Some("keep `location: payload` on one member".into()),
                        );
                    }
                    payload = Some(&m.name);
                }
            }
        }
        if !rest {
            if let Some(Shape::Structure(output)) = self.model.shapes.get(&op.output) {
                if let Some(n) = output.members.iter().position(|m| m.location.is_some()) {
                    self.report(
                        Code::ProtocolMetadata,
                        self.at_value(&At::shape(&op.output).key("members").index(n).key("location")),
                        format!("the member `{}` has a `location`, but {} carries every member in the body", output.members[n].name, self.spec.name),
                        "not a REST protocol",
                        Some("remove `location`".into()),
                    );
                }
            }
        }
        self.check_host_prefix(name, op);
        let Some(Shape::Structure(input)) = self.model.shapes.get(&op.input) else { return };
        let path = op.http.as_ref().map(|h| h.path.as_str()).unwrap_or_default();
        let labels: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(label, _)| label.trim_end_matches('+')))
            .collect();
        for (n, m) in input.members.iter().enumerate() {
            let Some(location) = m.location else { continue };
            let at = At::shape(&op.input).key("members").index(n);
            let wire = m.wire_name.as_deref().unwrap_or(&m.name);
            if !rest {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&at.key("location")),
                    format!("the member `{}` has a `location`, but {} carries every member in the body", m.name, self.spec.name),
                    "not a REST protocol",
                    Some("remove `location`".into()),
                );
            } else if location == Location::Uri && !labels.contains(&wire) {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&at.key("location")),
                    format!("the member `{}` is a path label, but the path of `{name}` (`{path}`) has no `{{{wire}}}`", m.name),
                    "no such label",
                    Some(format!("add `{{{wire}}}` to the operation's `http.path`, or check the member's `wire_name`")),
                );
            } else if location == Location::Uri && !m.required {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&at.key("location")),
                    format!("the path label `{}` of `{name}` must be required: a path cannot leave it out", m.name),
                    "optional label",
                    Some("add `required: true`, as the vendor's model marks every label".into()),
                );
            }
        }
        for label in labels {
            let bound = input.members.iter().any(|m| m.location == Some(Location::Uri) && m.wire_name.as_deref().unwrap_or(&m.name) == label);
            if rest && !bound {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&At::operation(name).key("http").key("path")),
                    format!("the path label `{{{label}}}` of `{name}` is bound to no request member"),
                    "unbound label",
                    Some(format!("give the request a member with `location: uri` and wire name `{label}`")),
                );
            }
        }
    }

    /// Whether the service speaks REST-XML.
    fn protocol_is_rest_xml(&self) -> bool {
        self.model.service.protocol == crate::model::Protocol::RestXml
    }

    /// A REST-XML request body's root element, namespace URI and prefix: a
    /// structure payload member's element (its wire name) and namespace,
    /// else the operation's `xml_root` (the input's name when absent) and
    /// `xml_namespace`.
    fn xml_body(&self, op: &Operation) -> (String, String, String) {
        let ns = |n: Option<&crate::model::XmlNamespace>| match n {
            Some(n) => (n.uri.clone(), n.prefix.clone().unwrap_or_default()),
            None => (String::new(), String::new()),
        };
        if let Some(Shape::Structure(input)) = self.model.shapes.get(&op.input) {
            let payload = input.members.iter().find(|m| m.location == Some(Location::Payload));
            if let Some(m) = payload.filter(|m| matches!(self.model.shapes.get(&m.target), Some(Shape::Structure(_)))) {
                let (uri, prefix) = ns(m.xml_namespace.as_ref());
                return (m.xml_root.clone().or_else(|| m.wire_name.clone()).unwrap_or_else(|| m.name.clone()), uri, prefix);
            }
        }
        let (uri, prefix) = ns(op.xml_namespace.as_ref());
        (op.xml_root.clone().unwrap_or_else(|| op.input.clone()), uri, prefix)
    }

    /// Every `{Name}` of the operation's `host_prefix` is a required string
    /// member of its request with `host_label: true`, and every host label
    /// is in the prefix.
    fn check_host_prefix(&mut self, name: &str, op: &Operation) {
        let Some(Shape::Structure(input)) = self.model.shapes.get(&op.input) else { return };
        let prefix = op.host_prefix.as_deref().unwrap_or_default();
        let labels = host_labels(prefix);
        for label in &labels {
            let ok = input.members.iter().any(|m| &m.name == label && m.host_label && m.required && self.target_kind(&m.target) == "string");
            if !ok {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&At::operation(name).key("host_prefix")),
                    format!("the host prefix of `{name}` names `{{{label}}}`, which is no required string member of `{}` with `host_label: true`", op.input),
                    "unbound host label",
                    Some(format!("give the request a required string member `{label}` with `host_label: true`")),
                );
            }
        }
        for (n, m) in input.members.iter().enumerate() {
            if m.host_label && !labels.contains(&m.name.as_str()) {
                self.report(
                    Code::ProtocolMetadata,
                    self.at_value(&At::shape(&op.input).key("members").index(n).key("host_label")),
                    format!("the member `{}` is a host label, but the host prefix of `{name}` has no `{{{}}}`", m.name, m.name),
                    "no such host label",
                    Some("add the label to the operation's `host_prefix`, or remove `host_label`".into()),
                );
            }
        }
    }

    fn operation(
        &mut self,
        names: &TypeNames,
        types: &Types<'_>,
        errors: &BTreeMap<&str, ErrorVariantIr>,
        name: &str,
        op: &Operation,
    ) -> OperationIr {
        let p = At::operation(name);
        for (role, shape_name) in [("input", &op.input), ("output", &op.output)] {
            let rp = p.key(role);
            match self.model.shapes.get(shape_name) {
                Some(Shape::Structure(s)) if s.union => self.report(
                    Code::WrongShapeKind,
                    self.at_value(&rp),
                    format!("the {role} of `{name}` must be a structure; `{shape_name}` is a union"),
                    "a union",
                    Some("a request or response is a structure; give it a member that targets the union".into()),
                ),
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
                    self.at_value(&p.key("http").key("method")),
                    format!("`{}` is not an HTTP method", http.method),
                    "unknown method",
                    Some(format!("use one of {}", METHODS.join(", "))),
                );
            }
            if !http.path.starts_with('/') || http.path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                self.report(
                    Code::WrongType,
                    self.at_value(&p.key("http").key("path")),
                    format!("`{}` is not a request path", http.path),
                    "not a path",
                    Some("a path starts with `/` and has no white space".into()),
                );
            }
        }
        self.check_locations(name, op);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut variants: Vec<ErrorVariantIr> = Vec::new();
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for (n, error) in op.errors.iter().enumerate() {
            let ep = p.key("errors").index(n);
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
            let Some(lowered) = errors.get(error.as_str()) else {
                let candidates: Vec<&str> = self.model.errors.keys().map(String::as_str).collect();
                let help = match suggest(error, &candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "define the error under `errors`".to_string(),
                };
                self.report(Code::Dangling, self.at_value(&ep), format!("no error named `{error}`"), "unknown error", Some(help));
                continue;
            };
            if lowered.rust.is_empty() {
                continue; // reported where the error is defined
            }
            if let Some(other) = owners.insert(lowered.rust.as_str(), error) {
                self.report(
                    Code::RustNameClash,
                    self.at_value(&ep),
                    format!("the errors `{other}` and `{error}` both become the variant `{}` of `{name}`'s error enum", lowered.rust),
                    "clashes",
                    Some("rename one of the two errors (their codes can stay)".into()),
                );
                continue;
            }
            variants.push(lowered.clone());
        }
        let precondition = op.precondition.as_ref().and_then(|pre| self.precondition(&p, types, pre));
        let examples = op.examples.iter().enumerate().map(|(n, example)| self.example(names, types, name, op, n, example)).collect();
        let rust = names.operation(name);
        let xml_body = (self.protocol_is_rest_xml()).then(|| self.xml_body(op));
        let taken: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
        let unhandled = free_name(&["Unhandled", "Undocumented", "Other"], &taken);
        let taken: Vec<&str> = taken.into_iter().chain([unhandled.as_str()]).collect();
        let invalid_response = free_name(&["InvalidResponse", "MalformedResponse", "Undecodable"], &taken);
        let docs = Doc::paragraphs(&[
            Doc::text(&op.docs),
            doc!["Source: ", self.cite(&op.source), "."],
            self.provenance(&format!("operations.{name}")),
        ]);
        OperationIr {
            wire_name: name.to_string(),
            docs,
            http: match (&op.http, self.spec.binding) {
                (Some(h), _) => (h.method.clone(), h.path.clone()),
                (None, Binding::Fixed { method, path }) => (method.to_string(), path.to_string()),
                // Reported by `check_service`; there is no IR for this model.
                (None, Binding::PerOperation) => (String::new(), String::new()),
            },
            request: names.of(&op.input),
            response: names.of(&op.output),
            host_prefix: op.host_prefix.as_ref().map(|prefix| crate::ir::HostPrefixIr {
                template: prefix.clone(),
                labels: host_labels(prefix).into_iter().map(|l| (l.to_string(), ident::field_name(l))).collect(),
            }),
            xml_body,
            error: ErrorEnumIr {
                docs: doc![
                    "Errors of the operation; [",
                    Doc::code(&format!("{rust}Error::from_code")),
                    "] maps a wire code to a variant.\n\nOne variant per documented error, one that keeps any other code the service sends, and one for a response that could not be decoded.\n\n",
                    self.provenance(&format!("operations.{name}.errors")),
                ],
                name: format!("{rust}Error"),
                variants,
                unhandled,
                invalid_response,
            },
            idempotent: op.idempotent,
            precondition,
            examples,
            waiters: self.waiters(&p, op),
            request_compression: op.request_compression.clone(),
            rust,
        }
    }

    /// The operation's waiters, checked: positive delays and attempts, and
    /// at least one acceptor.
    fn waiters(&mut self, p: &At, op: &Operation) -> Vec<(String, model::Waiter)> {
        for (name, w) in &op.waiters {
            let wp = p.key("waiters").key(name);
            for (key, value) in [("delay", w.delay), ("max_attempts", w.max_attempts)] {
                if value == 0 {
                    self.report(Code::WrongType, self.at_value(&wp.key(key)), format!("the waiter `{name}` has `{key}: 0`"), "must be at least 1", Some("copy the vendor's value (botocore's `delay` and `maxAttempts`)".into()));
                }
            }
            if w.acceptors.is_empty() {
                self.report(Code::EmptyEnum, self.at_value(&wp.key("acceptors")), format!("the waiter `{name}` has no acceptors"), "empty", Some("copy the vendor's acceptors: without one the wait never ends".into()));
            }
        }
        op.waiters.iter().map(|(n, w)| (n.clone(), w.clone())).collect()
    }

    /// "The task must be in one of these states": the states checked
    /// against the enum, and lowered to its variants.
    fn precondition(&mut self, p: &At, types: &Types<'_>, pre: &model::Precondition) -> Option<PreconditionIr> {
        let pp = p.key("precondition");
        match self.model.shapes.get(&pre.state) {
            Some(Shape::Enum(_)) => {
                let state = types.enums.iter().find(|e| e.shape == pre.state)?;
                let values: Vec<&str> = state.variants.iter().map(|v| v.value.as_str()).collect();
                let mut variants = Vec::new();
                for (n, wanted) in pre.states.iter().enumerate() {
                    match state.variants.iter().find(|v| &v.value == wanted) {
                        Some(v) => variants.push(v.rust.clone()),
                        None => {
                            let help = match suggest(wanted, &values) {
                                Some(s) => format!("did you mean `{s}`? (values are compared exactly, as sent on the wire)"),
                                None => format!("the values of `{}` are: {}", pre.state, values.join(", ")),
                            };
                            self.report(
                                Code::UnknownState,
                                self.at_value(&pp.key("states").index(n)),
                                format!("`{}` has no value `{wanted}`", pre.state),
                                "not a state of the enum",
                                Some(help),
                            );
                        }
                    }
                }
                Some(PreconditionIr { state_enum: state.name.clone(), variants, docs: Doc::text(&pre.docs) })
            }
            None if !BUILTIN_TARGETS.contains(&pre.state.as_str()) => {
                self.check_target(&pp.key("state"), &pre.state);
                None
            }
            // Another kind of shape, or a built-in.
            _ => {
                self.report(
                    Code::WrongShapeKind,
                    self.at_value(&pp.key("state")),
                    format!("the precondition's state `{}` is not an enum", pre.state),
                    "not an enum",
                    Some("point at the enum shape that holds the task's states".into()),
                );
                None
            }
        }
    }

    /// Fits an example to its operation's types; returns it in wire form.
    fn example(&mut self, names: &TypeNames, types: &Types<'_>, op_name: &str, op: &Operation, n: usize, example: &Example) -> ExampleIr {
        let p = At::operation(op_name).key("examples").index(n);
        let mut fit = Fit { model: self.model, types, patterns: &mut self.patterns, out: Vec::new() };
        let mut wire = [None, None];
        for (slot, role, value, shape) in [(0, "input", &example.input, &op.input), (1, "output", &example.output, &op.output)] {
            // A request or response that is not a structure is reported
            // already; the example cannot be judged against it.
            let Some(st) = types.structs.get(names.of(shape).as_str()).filter(|s| &s.shape == shape) else { continue };
            if let Some(value) = value {
                wire[slot] = Some(fit.value(&TypeIr::Struct(st.name.clone()), shape, &Constraints::default(), value, &p.key(role)));
            }
        }
        let [input, output] = wire;
        let mut mismatches = fit.out;
        if let Some(error) = &example.error {
            if !op.errors.contains(error) {
                mismatches.push((p.key("error"), format!("`{op_name}` does not list the error `{error}`")));
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
                self.at_key(&p.key("contradicts_syntax")),
                format!("the example \"{}\" of `{op_name}` is marked as contradicting the syntax, but it fits", example.title),
                "nothing contradicts",
                Some("remove `contradicts_syntax`".into()),
            ),
            Some(_) => {}
        }
        ExampleIr {
            title: example.title.clone(),
            input,
            output,
            raw_response: example.raw_response.clone(),
            error_code: example.error.as_ref().and_then(|e| self.model.errors.get(e)).map(|e| e.code.clone()),
            contradicts_syntax: example.contradicts_syntax.is_some(),
        }
    }
}

/// A member's docs: the page's words, then the facts a caller needs.
fn member_docs(m: &model::Member, ty: &TypeIr, c: &Constraints, sensitive: bool, boxed: bool) -> Doc {
    let mut facts = vec![doc!["Wire name: ", Doc::code(m.wire_name.as_deref().unwrap_or(&m.name)), "."]];
    if let Some(query) = &m.query_name {
        let shown = if matches!(ty, TypeIr::List(..)) { format!("{query}.N") } else { query.clone() };
        facts.push(doc!["Query parameter: ", Doc::code(&shown), "."]);
    }
    if m.required {
        facts.push(doc!["Required."]);
    }
    if sensitive {
        facts.push(doc!["Sensitive: `Debug` prints it redacted."]);
    }
    if m.idempotency_token {
        facts.push(doc!["Idempotency token: reuse it to retry the same request safely."]);
    }
    if boxed {
        facts.push(doc!["Boxed: through this member the structure contains itself; its methods take and give the value unboxed."]);
    }
    match c.length {
        (Some(min), Some(max)) => facts.push(doc!["Length: ", min, " to ", max, " characters."]),
        (Some(min), None) => facts.push(doc!["Length: at least ", min, " characters."]),
        (None, Some(max)) => facts.push(doc!["Length: at most ", max, " characters."]),
        (None, None) => {}
    }
    if let Some(p) = &c.pattern {
        facts.push(doc!["Pattern: ", Doc::code(p), "."]);
    }
    match c.range {
        (Some(min), Some(max)) => facts.push(doc!["Range: ", min, " to ", max, "."]),
        (Some(min), None) => facts.push(doc!["Minimum: ", min, "."]),
        (None, Some(max)) => facts.push(doc!["Maximum: ", max, "."]),
        (None, None) => {}
    }
    match c.items {
        (Some(min), Some(max)) => facts.push(doc!["Items: ", min, " to ", max, "."]),
        (Some(min), None) => facts.push(doc!["Items: at least ", min, "."]),
        (None, Some(max)) => facts.push(doc!["Items: at most ", max, "."]),
        (None, None) => {}
    }
    if let Some(default) = &m.default {
        facts.push(doc!["Default: ", Doc::text(default)]);
    }
    if let Some(example) = &m.example {
        facts.push(doc!["Example: ", Doc::code(example), "."]);
    }
    let bullets: Vec<Doc> = facts.iter().map(|f| doc!["- ", f]).collect();
    Doc::paragraphs(&[Doc::text(m.docs.as_deref().unwrap_or_default()), Doc::lines(&bullets)])
}

/// A location as the model writes it.
fn location_word(location: Option<Location>) -> &'static str {
    match location {
        None => "body",
        Some(Location::Uri) => "uri",
        Some(Location::Query) => "query",
        Some(Location::Header) => "header",
        Some(Location::HeaderPrefix) => "header-prefix",
        Some(Location::StatusCode) => "status-code",
        Some(Location::Payload) => "payload",
    }
}

/// Compiles a model pattern with the limits we generate code under. The
/// error says in one line what is wrong: the kind of regex-syntax's
/// structured error (regex's own message is a drawing of the pattern).
/// The shapes that operations' requests reach: their inputs and, through
/// members, list items and map values, everything inside.
fn request_shapes(model: &Model) -> BTreeSet<&str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: Vec<&str> = model.operations.values().map(|op| op.input.as_str()).collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name) {
            continue;
        }
        match model.shapes.get(name) {
            Some(Shape::Structure(s)) => queue.extend(s.members.iter().map(|m| m.target.as_str())),
            Some(Shape::List(l)) => queue.push(&l.member),
            Some(Shape::Map(m)) => queue.push(&m.value),
            _ => {}
        }
    }
    seen
}

/// The `{Name}` labels of a host prefix, in order.
fn host_labels(prefix: &str) -> Vec<&str> {
    prefix.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(label, _)| label)).collect()
}

/// Whether `pattern` is in the `regex` crate's syntax; why not, if not.
fn pattern_syntax(pattern: &str) -> Result<(), String> {
    let ast = regex_syntax::ast::parse::Parser::new().parse(pattern).map_err(|e| e.kind().to_string())?;
    regex_syntax::hir::translate::Translator::new().translate(pattern, &ast).map_err(|e| e.kind().to_string())?;
    Ok(())
}

pub(crate) fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    pattern_syntax(pattern)?;
    regex::RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).build().map_err(|e| match e {
        regex::Error::CompiledTooBig(limit) => format!("the compiled pattern is larger than {limit} bytes"),
        other => other.to_string(),
    })
}

/// The strongly connected component of each node of `edges` (a number;
/// two nodes share one when each reaches the other), by Tarjan's
/// algorithm with an explicit stack, in linear time. Every target of an
/// edge is a key of `edges`.
fn components<'s, E>(edges: &BTreeMap<&'s str, Vec<(usize, &'s str, E)>>) -> BTreeMap<&'s str, usize> {
    let ids: BTreeMap<&str, usize> = edges.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let out: Vec<Vec<usize>> = edges.values().map(|e| e.iter().filter_map(|(_, t, _)| ids.get(t).copied()).collect()).collect();
    let count = out.len();
    let (mut index, mut low) = (vec![usize::MAX; count], vec![0; count]);
    let mut on_stack = vec![false; count];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![usize::MAX; count];
    let (mut next_index, mut next_component) = (0, 0);
    for start in 0..count {
        if index[start] != usize::MAX {
            continue;
        }
        // The search's call stack: each node with the next of its edges.
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut edge)) = calls.last_mut() {
            if let Some(&w) = out[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
        }
    }
    edges.keys().zip(component).map(|(k, c)| (*k, c)).collect()
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

/// The candidate closest to `name` by edit distance, if close enough to be
/// a likely typo.
pub(crate) fn suggest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
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

/// Picks the first of `candidates` not in `taken`, else numbers the first.
fn free_name(candidates: &[&str], taken: &[&str]) -> String {
    for c in candidates {
        if !taken.contains(c) {
            return (*c).to_string();
        }
    }
    let base = candidates.first().copied().unwrap_or("Unknown");
    (2..).map(|n| format!("{base}{n}")).find(|c| !taken.contains(&c.as_str())).unwrap_or_else(|| base.to_string())
}

/// The first sentence of `text`'s first paragraph (all of the paragraph
/// when no sentence ends in it): an operation's one-line summary.
fn first_sentence(text: &str) -> &str {
    let paragraph = text.trim_start().split("\n\n").next().unwrap_or_default();
    match paragraph.find(". ") {
        Some(end) => &paragraph[..=end],
        None => paragraph.trim_end(),
    }
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
        let index = PositionIndex::build(text);
        lower(&[LoadedModel { file, model, index }], &sources).err().unwrap_or_default()
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
    fn aws_query_requests_carry_maps_and_ec2_query_requests_do_not() {
        let model = |protocol: &str| {
            format!(
                "service: {{provider: p, name: s, title: T, api_version: v, protocol: {protocol}, xml_namespace: n, sources: [x]}}
operations:
  Put:
    docs: d
    source: x
    input: PutIn
    output: PutOut
shapes:
  PutIn:
    type: structure
    members:
      - {{name: Tags, target: Tags}}
  PutOut: {{type: structure, members: []}}
  Tags: {{type: map, key: string, value: string}}
"
            )
        };
        assert_eq!(check_text(&model("aws-query")), vec![]);
        let ec2 = check_text(&model("ec2-query"));
        assert_eq!(ec2.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::WrongShapeKind], "{ec2:?}");
        // AWS query's built-in timestamp is RFC 3339, as EC2's.
        let ir = lower_text(&model("aws-query").replace("members: []", "members: [{name: At, target: timestamp}]"));
        let out = ir.services[0].structs.iter().find(|s| s.shape == "PutOut").expect("PutOut");
        assert_eq!(out.fields[0].ty, TypeIr::Timestamp(crate::model::TimestampFormat::DateTime));
        assert!(matches!(out.request_id, Some(RequestIdIr::Header("x-amzn-requestid"))), "{:?}", out.request_id);
        // A map's XML names, and a flattened map member.
        let named = model("aws-query")
            .replace("{{name: Tags, target: Tags}}", "{name: Tags, target: Tags, xml_flattened: true}")
            .replace("{name: Tags, target: Tags}", "{name: Tags, target: Tags, xml_flattened: true}")
            .replace("value: string}", "value: string, xml_key_name: K}");
        let ir = lower_text(&named);
        let input = ir.services[0].structs.iter().find(|s| s.shape == "PutIn").expect("PutIn");
        let TypeIr::Map(_, info) = &input.fields[0].ty else { panic!("a map: {:?}", input.fields[0].ty) };
        assert_eq!((info.xml_key_name.as_str(), info.xml_value_name.as_str(), info.flattened), ("K", "value", true));
        assert!(!info.is_default());
    }

    /// `request_compression` reaches the IR, `to_http` calls the runtime's
    /// `compress`, and only that service's feature turns on `gzip`.
    #[test]
    fn request_compression_is_lowered_and_emitted() {
        let model = |extra: &str| {
            format!(
                "service: {{provider: p, name: s, title: T, api_version: v, protocol: rest-json, sources: [x]}}
operations:
  Put:
    docs: d
    source: x
    http: {{method: POST, path: /}}
    input: PutIn
    output: PutOut
{extra}shapes:
  PutIn: {{type: structure, members: []}}
  PutOut: {{type: structure, members: []}}
"
            )
        };
        let compressed = model("    request_compression: [gzip]\n");
        assert_eq!(check_text(&compressed), vec![]);
        let ir = lower_text(&compressed);
        assert_eq!(ir.services[0].operations[0].request_compression, [crate::model::Compression::Gzip]);
        let files = crate::emit::emit(&ir, "0.1.0").expect("emits");
        let code: String = files.values().cloned().collect();
        assert!(code.contains("runtime::protocol::compress("), "to_http compresses");
        assert!(files[crate::emit::MANIFEST].contains("\"cloud-api-runtime/gzip\""), "{}", files[crate::emit::MANIFEST]);
        let plain = crate::emit::emit(&lower_text(&model("")), "0.1.0").expect("emits");
        assert!(!plain.values().any(|f| f.contains("runtime::protocol::compress(") || f.contains("cloud-api-runtime/gzip")));
        let wrong = crate::load::parse_yaml::<Model>(&model("    request_compression: [zstd]\n"));
        assert!(wrong.is_err(), "an encoding the runtime lacks does not load");
    }

    fn lower_text(text: &str) -> Ir {
        let model = crate::load::parse_yaml::<Model>(text).expect("the model parses");
        let mut sources = SourceSet::default();
        let file = sources.add(crate::diagnostic::SourceFile {
            display_path: "models/m.yaml".into(),
            rel_path: "m.yaml".into(),
            text: text.into(),
        });
        let index = PositionIndex::build(text);
        lower(&[LoadedModel { file, model, index }], &sources).expect("the model lowers")
    }

    #[test]
    fn a_shape_named_like_an_operation_type_yields_and_other_shapes_claim_no_type() {
        // EC2's structure `CreateFleetError` beside the operation `CreateFleet`;
        // `MaxResults` and `maxResults` (integers, no Rust type) may coexist.
        let ir = lower_text(
            "service: {provider: p, name: s, title: T, api_version: v, protocol: rest-json, sources: [x]}
operations:
  CreateFleet: {docs: d, source: x, http: {method: POST, path: /}, input: In, output: Out}
shapes:
  In: {type: structure, members: [{name: N, target: MaxResults}, {name: M, target: maxResults}]}
  Out: {type: structure, members: [{name: Errors, target: CreateFleetError}]}
  CreateFleetError: {type: structure, members: [{name: Code, target: string}]}
  MaxResults: {type: integer}
  maxResults: {type: integer, min: 5}
",
        );
        let names: Vec<&str> = ir.services[0].structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["CreateFleetErrorShape", "CreateFleetRequest", "CreateFleetResponse"]);
        assert_eq!(ir.services[0].operations[0].error.name, "CreateFleetError");
    }

    #[test]
    fn members_on_a_cycle_of_structure_members_are_boxed_and_no_others() {
        let ir = lower_text(
            "service: {provider: p, name: s, title: T, api_version: v, protocol: rest-json, sources: [x]}
operations:
  Put: {docs: d, source: x, http: {method: POST, path: /}, input: In, output: Out}
shapes:
  In: {type: structure, members: [{name: Again, target: In}, {name: A, target: A}, {name: Leaf, target: Leaf}]}
  Out: {type: structure, members: [{name: Trees, target: TreeList}]}
  A: {type: structure, members: [{name: B, target: B, required: true}, {name: Leaf, target: Leaf}]}
  B: {type: structure, members: [{name: A, target: A}, {name: In, target: In}]}
  Leaf: {type: structure, members: [{name: N, target: string}]}
  Tree: {type: structure, members: [{name: Kids, target: TreeList}, {name: ByName, target: TreeMap}]}
  TreeList: {type: list, member: Tree}
  TreeMap: {type: map, key: string, value: Tree}
",
        );
        let boxed: Vec<String> = ir.services[0]
            .structs
            .iter()
            .flat_map(|s| s.fields.iter().filter(|f| f.boxed).map(move |f| format!("{}.{}", s.name, f.member)))
            .collect();
        // In → A → B → In and A ↔ B are cycles; `Leaf` is reached from
        // them but on none; `Tree` holds itself through a list and a map.
        assert_eq!(boxed, ["A.B", "B.A", "B.In", "PutRequest.Again", "PutRequest.A"]);
    }

    #[test]
    fn only_a_cycle_of_required_members_is_refused() {
        let model = |required: &str| {
            format!(
                "service: {{provider: p, name: s, title: T, api_version: v, protocol: rest-json, sources: [x]}}
operations:
  Put: {{docs: d, source: x, http: {{method: POST, path: /}}, input: In, output: Out}}
shapes:
  In: {{type: structure, members: [{{name: A, target: A}}]}}
  Out: {{type: structure, members: []}}
  A: {{type: structure, members: [{{name: B, target: B, required: true}}]}}
  B: {{type: structure, members: [{{name: A, target: A, required: {required}}}, {{name: Self, target: B}}]}}
"
            )
        };
        assert_eq!(check_text(&model("false")), vec![]);
        let refused = check_text(&model("true"));
        assert_eq!(refused.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::Recursive], "{refused:?}");
        assert!(refused[0].message.contains("`A` contains itself through required members only: A → B → A"), "{}", refused[0].message);
    }

    #[test]
    fn components_are_the_strongly_connected_parts() {
        let edges: BTreeMap<&str, Vec<(usize, &str, ())>> = BTreeMap::from([
            ("a", vec![(0, "b", ())]),
            ("b", vec![(0, "c", ()), (1, "a", ())]),
            ("c", vec![(0, "c", ())]),
            ("d", vec![(0, "a", ())]),
        ]);
        let c = components(&edges);
        assert_eq!(c["a"], c["b"]);
        assert_ne!(c["a"], c["c"]);
        assert_ne!(c["a"], c["d"]);
        assert_ne!(c["c"], c["d"]);
        // A long chain closed into one cycle is one component, found
        // without recursion.
        let names: Vec<String> = (0..100_000).map(|i| format!("s{i:06}")).collect();
        let chain: BTreeMap<&str, Vec<(usize, &str, ())>> =
            names.iter().enumerate().map(|(i, n)| (n.as_str(), vec![(0, names[(i + 1) % names.len()].as_str(), ())])).collect();
        let c = components(&chain);
        assert!(c.values().all(|&v| v == c["s000000"]));
    }

    #[test]
    fn patterns_are_checked_for_syntax_not_compiled_size() {
        // botocore's FSx `KmsKeyId`: valid, but larger than the compile limit.
        assert!(pattern_syntax("^.{1,2048}$").is_ok());
        assert!(compile_pattern("^[^\\u0000\\u0085\\u2028\\u2029\\r\\n]{1,4096}$").is_err());
        assert!(pattern_syntax("(?=x)").is_err());
    }

    #[test]
    fn regex_errors_say_what_is_wrong_in_one_line() {
        let e = compile_pattern("^(task-[0-9a-f]{17,}$").expect_err("unclosed group");
        assert_eq!(e, "unclosed group");
        let e = compile_pattern("(?=x)").expect_err("look-around is not supported");
        assert!(e.contains("look-around"), "{e}");
        let e = compile_pattern(&"(a{100}){100}".repeat(10)).expect_err("too big");
        assert!(e.starts_with("the compiled pattern is larger than"), "{e}");
    }
}
