//! Stage 4: turn the IR into formatted Rust files.
//!
//! Each function here builds tokens for one kind of item; [`emit`] puts them
//! into files, formats them with prettyplease and adds the generated-file
//! header. The result is a map from relative path to file text, ordered, so
//! writing and comparing are simple and deterministic.

mod examples;
mod operations;
mod shapes;

pub(crate) use shapes::value_type;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::doc;
use crate::docs::Doc;
use crate::ident::to_ident;
use crate::ir::{Ir, ServiceIr};
use crate::protocol;

/// Where the generated crate's manifest goes, relative to the output
/// folder (the crate's `src/`): beside it, as `generated/Cargo.toml`.
pub const MANIFEST: &str = "../Cargo.toml";

/// The runtime crate's path as the generated manifest names it, relative
/// to the generated crate (`generated/` → `codegen/runtime/`). A crate
/// generated elsewhere (the fixture-compile test) rewrites this one path.
pub const RUNTIME_PATH: &str = "../codegen/runtime";

/// Generated files by path relative to the output folder (`aws/fsx.rs`).
pub type FileTree = BTreeMap<String, String>;

/// An emitted file that does not parse as Rust: a bug in the emitter, never
/// the model's fault, but still reported rather than panicking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    /// The file being emitted.
    pub file: String,
    /// The parser's complaint.
    pub message: String,
}

/// Emits every file of the generated crate: its `src/` files by path
/// relative to `src/`, and its manifest under the key [`MANIFEST`].
pub fn emit(ir: &Ir, version: &str) -> Result<FileTree, EmitError> {
    let mut files = FileTree::new();
    let mut providers: BTreeMap<&str, Vec<&ServiceIr>> = BTreeMap::new();
    for svc in &ir.services {
        providers.entry(svc.provider.as_str()).or_default().push(svc);
        let path = format!("{}/{}.rs", svc.provider, svc.module);
        files.insert(path.clone(), format_chunks(&path, &[svc.model_path.as_str()], service_file(svc))?);
    }
    for (provider, services) in &providers {
        let path = format!("{provider}/mod.rs");
        let mods = services.iter().map(|s| {
            let module = to_ident(&s.module);
            let feature = feature_name(s);
            // No outer doc: rustdoc would put it before the module's own
            // (inner) docs, which open with the service's description.
            quote! { #[cfg(feature = #feature)] pub mod #module; }
        });
        let doc = inner_doc_attrs(&doc!["The services of the provider ", Doc::code(provider), ", one module each."]);
        let model_paths: Vec<&str> = services.iter().map(|s| s.model_path.as_str()).collect();
        files.insert(path.clone(), format_file(&path, &model_paths, quote! { #doc #(#mods)* })?);
    }
    let all_models: Vec<&str> = ir.services.iter().map(|s| s.model_path.as_str()).collect();
    let provider_mods = providers.iter().map(|(p, services)| {
        let module = to_ident(p);
        let features: Vec<String> = services.iter().map(|s| feature_name(s)).collect();
        let cfg = match features.as_slice() {
            [one] => quote!(feature = #one),
            many => quote!(any(#(feature = #many),*)),
        };
        // No outer doc: rustdoc would print it before the module's own.
        quote! { #[cfg(#cfg)] pub mod #module; }
    });
    let table: Vec<Doc> = ir
        .services
        .iter()
        .map(|s| {
            let path = doc![Doc::ident(&s.provider), "::", Doc::ident(&s.module)];
            doc!["| [`", &path, "`] | ", s.title.one_line().table_cell(), " | ", Doc::code(&feature_name(s)), " | ", protocol::spec(s.protocol).name, " | ", s.operations.len(), " |"]
        })
        .collect();
    // The example is FSx's cancel operation; a crate generated from other
    // models (the generator's fixtures, the importers' FSx without its
    // lifecycle) has none.
    let has_example = ir.services.iter().any(|s| {
        s.provider == "aws"
            && s.module == "fsx"
            && s.operations.iter().any(|o| o.rust == "CancelDataRepositoryTask")
            && s.enums.iter().any(|e| e.name == "DataRepositoryTaskLifecycle" && e.lifecycle.is_some())
    });
    let example = if has_example { Doc::rust_block("rust", CRATE_EXAMPLE) } else { Doc::default() };
    let states: Vec<Doc> = ir
        .services
        .iter()
        .flat_map(|s| s.enums.iter().filter(|e| e.lifecycle.is_some()).map(move |e| (s, e)))
        .map(|(s, e)| {
            let path = doc![Doc::ident(&s.provider), "::", Doc::ident(&s.module), "::", Doc::ident(&e.name)];
            doc!["- [`", &path, "`] (", s.title.one_line(), ")"]
        })
        .collect();
    let lifecycle = if states.is_empty() {
        Doc::default()
    } else {
        doc![CRATE_DOCS_LIFECYCLE, "\n\nThe task-state enums:\n\n", Doc::lines(&states)]
    };
    let crate_doc = inner_doc_attrs(&Doc::paragraphs(&[
        doc![CRATE_DOCS_HEAD, "\n\n| Module | Service | Feature | Protocol | Operations |\n|---|---|---|---|---|\n", Doc::lines(&table)],
        doc![CRATE_DOCS_STEPS],
        example,
        lifecycle,
        doc![CRATE_DOCS_TAIL],
    ]));
    let each_service = ir.services.iter().map(|s| to_ident(&service_macro(s)));
    let each_enums = ir.services.iter().map(|s| to_ident(&enums_macro(s)));
    let disabled = ir.services.iter().flat_map(|s| {
        let feature = feature_name(s);
        [service_macro(s), enums_macro(s)].map(|name| {
            let name = to_ident(&name);
            quote! {
                #[cfg(not(feature = #feature))]
                #[doc(hidden)]
                #[macro_export]
                macro_rules! #name {
                    ($callback:ident) => {};
                }
            }
        })
    });
    let lib = quote! {
        #crate_doc
        #(#provider_mods)*

        /// Expands `$callback!(Marker, protocol, "provider", "service");` once for
        /// every operation of every service this build has (see each service's
        /// `for_each_operation!`), so generic code can run over all of them.
        ///
        /// `$callback` is the name of a `macro_rules!` macro in scope.
        #[macro_export]
        macro_rules! for_each_operation {
            ($callback:ident) => {
                #( $crate::#each_service!($callback); )*
            };
        }

        /// Expands `$callback!(Enum, "provider", "service");` once for every enum
        /// of every service this build has, so generic code can run over all of
        /// them.
        ///
        /// `$callback` is the name of a `macro_rules!` macro in scope.
        #[macro_export]
        macro_rules! for_each_enum {
            ($callback:ident) => {
                #( $crate::#each_enums!($callback); )*
            };
        }

        #(#disabled)*

        /// The runtime every service module uses (the crate `cloud-api-runtime`):
        /// the [`Operation`](runtime::Operation) and [`ServiceError`](runtime::ServiceError)
        /// traits and the error metadata types.
        pub use cloud_api_runtime as runtime;

        /// Where a long-running task is, whatever its service calls the
        /// state; every task-state enum implements [`TaskState`].
        pub use cloud_api_runtime::{TaskPhase, TaskState};
    };
    files.insert("lib.rs".to_string(), format_file("lib.rs", &all_models, lib)?);
    files.insert(MANIFEST.to_string(), manifest(ir, &all_models, version));
    Ok(files)
}

/// The crate feature of a service: `aws-ec2`. Names hold no `-`, so the
/// pair is unambiguous.
fn feature_name(svc: &ServiceIr) -> String {
    format!("{}-{}", svc.provider, svc.module)
}

/// `provider_service` as one identifier, unambiguously: underscores in the
/// names are doubled, so the one odd underscore is the separator (`a_b`,`c`
/// → `a__b_c`; `a`,`b_c` → `a_b__c`).
fn crate_unique(svc: &ServiceIr) -> String {
    format!("{}_{}", svc.provider.replace('_', "__"), svc.module.replace('_', "__"))
}

/// The hidden, crate-level name of a service's `for_each_operation!`.
fn service_macro(svc: &ServiceIr) -> String {
    format!("__for_each_operation_{}", crate_unique(svc))
}

/// The hidden, crate-level macro that lists a service's enums.
fn enums_macro(svc: &ServiceIr) -> String {
    format!("__for_each_enum_{}", crate_unique(svc))
}


/// Model text made safe for a TOML comment, which may hold no control
/// character but tab.
fn toml_comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The generated crate's `Cargo.toml`: one feature per service (all on by
/// default) turning on the runtime features its protocol needs. Versions
/// are written out rather than inherited from a workspace so the manifest
/// also works for a crate generated outside this one.
fn manifest(ir: &Ir, models: &[&str], version: &str) -> String {
    let mut services: Vec<&ServiceIr> = ir.services.iter().collect();
    services.sort_by_key(|s| feature_name(s));
    let quoted = |items: Vec<String>| items.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ");
    let mut features = format!(
        "[features]\ndefault = [{}]\n# serde's Serialize and Deserialize on every type, in the wire's own form (off by\n# default: the codecs do not need them, and the derives would multiply the build time).\nserde = [\"dep:serde\", \"cloud-api-runtime/serde\", \"time/serde\"]\n",
        quoted(services.iter().map(|s| feature_name(s)).collect())
    );
    for svc in &services {
        let mut needs: Vec<String> = protocol::spec(svc.protocol).runtime_features.iter().map(|f| format!("cloud-api-runtime/{f}")).collect();
        // An operation with request compression calls the runtime's `compress`.
        if svc.operations.iter().any(|op| !op.request_compression.is_empty()) {
            needs.push("cloud-api-runtime/gzip".into());
        }
        features.push_str(&format!(
            "# {} ({}, API version {})\n{} = [{}]\n",
            toml_comment(svc.title.as_str()),
            protocol::spec(svc.protocol).name,
            toml_comment(&svc.api_version),
            feature_name(svc),
            quoted(needs)
        ));
    }
    let signers: std::collections::BTreeSet<&str> = services.iter().filter_map(|s| protocol::spec(s.protocol).signer_feature).collect();
    for signer in signers {
        features.push_str(&format!(
            "# The runtime's request signer for the services that need one (off by default: it adds HMAC and SHA-1).\n{signer} = [\"cloud-api-runtime/{signer}\"]\n"
        ));
    }
    let header = header(models).replace("// ", "# ");
    format!(
        r#"{header}[package]
name = "cloud-api-types"
version = "{version}"
description = "Request, response, enum and error types for cloud task APIs, generated from models/ by `cargo xtask codegen`."
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

{features}
[dependencies]
# The shared runtime, re-exported as `runtime`; the features above turn on its protocol codecs.
cloud-api-runtime = {{ path = "{RUNTIME_PATH}", version = "0.1.0", default-features = false }}
# The derives of every generated type, with the feature `serde`.
serde = {{ version = "1", features = ["derive"], optional = true }}
# The request and response types of `to_http` and `from_http`.
http = "1"
# `OffsetDateTime`, the type of timestamp members.
time = {{ version = "0.3", default-features = false }}

[lints.rust]
unsafe_code = "forbid"
missing_docs = "deny"
unused_must_use = "deny"

[lints.clippy]
all = {{ level = "warn", priority = -1 }}
"#
    )
}

/// The crate page's example, also the first example of the workspace
/// README's "Using the generated crate" (a test compares the two).
pub const CRATE_EXAMPLE: &str = r##"use cloud_api_types::aws::fsx::{
    CancelDataRepositoryTaskError, CancelDataRepositoryTaskRequest,
    CancelDataRepositoryTaskResponse, DataRepositoryTaskLifecycle,
};
use cloud_api_types::{TaskPhase, TaskState};

// 1. Build the request, and turn it into an unsigned HTTP request.
let request = CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0");
let http = request.to_http("https://fsx.us-east-1.amazonaws.com").unwrap();
assert_eq!(http.body(), br#"{"TaskId":"task-0123456789abcdef0"}"#);

// 2. Sign it (SigV4, signing name "fsx") and send it with your own client.
//    Here the service's answer is canned.
let answer = http::Response::builder()
    .status(200)
    .body(br#"{"Lifecycle":"CANCELING","TaskId":"task-0123456789abcdef0"}"#.to_vec())
    .unwrap();

// 3. Decode the answer: the typed response...
let response = CancelDataRepositoryTaskResponse::from_http(&answer).unwrap();
let state = response.lifecycle().unwrap();
assert_eq!(state, &DataRepositoryTaskLifecycle::Canceling);
assert_eq!(state.phase(), TaskPhase::Cancelling);

// ...or the typed error, one variant per documented code.
let refused = http::Response::builder()
    .status(400)
    .body(br#"{"__type":"DataRepositoryTaskEnded","message":"The task has ended."}"#.to_vec())
    .unwrap();
match CancelDataRepositoryTaskResponse::from_http(&refused) {
    Err(CancelDataRepositoryTaskError::DataRepositoryTaskEnded(meta)) => {
        assert_eq!(meta.message.as_deref(), Some("The task has ended."));
    }
    other => panic!("unexpected answer: {other:?}"),
}

// A value the model does not document is kept, not lost.
let paused = DataRepositoryTaskLifecycle::from("PAUSED");
assert_eq!(paused.phase(), TaskPhase::Unknown);
assert_eq!(paused.as_str(), "PAUSED");"##;

const CRATE_DOCS_HEAD: &str = "Request, response, enum and error types of cloud APIs that cancel or watch long-running tasks, generated from reviewed models of the vendors' API references.

The crate builds and reads HTTP messages (`http::Request`, `http::Response`) and does nothing else: no client, no credentials, no I/O. Signing and sending are yours, with the HTTP client and signer you already use.

# Services

Each service is a module under its provider, behind a feature of its own (all on by default); a feature turns on only the runtime codecs its protocol needs, so `default-features = false, features = [\"aws-fsx\"]` compiles no XML parser.";

const CRATE_DOCS_STEPS: &str = "# Three steps

1. **Build** the request: `<Operation>Request::new(required…)`, then `with_<member>(…)` for optional members. `validate()` checks every documented constraint and returns all violations; an idempotency token is filled with a fresh UUID by `new()`.
2. **Sign and send** it: `to_http(endpoint)` returns the unsigned request. AWS services are signed with Signature Version 4 (for example with the `aws-sigv4` crate) under the service's signing name; Alibaba Cloud services with Alibaba's RPC signature (the runtime's `alibaba` signer, with the feature `alibaba-signer`). Each `to_http` says which. Send it with any HTTP client, and treat an error status as an answer to decode, not a transport error.
3. **Decode** the answer: `<Operation>Response::from_http(&response)` returns the typed response for a 2xx status, else the operation's `<Operation>Error`, with one variant per documented error code.

Each operation's page (its marker type, listed on its service's page) shows the three steps for that operation, and the workspace's `tests/examples/sign_and_send.rs` signs with `aws-sigv4` and sends with `ureq`.";

const CRATE_DOCS_LIFECYCLE: &str = "# Long-running tasks

Each task-state enum implements [`TaskState`]: its [`TaskPhase`] (`Pending`, `Running`, `Cancelling`, then `Succeeded`, `Failed` or `Cancelled`; `Unknown` for a state the model does not document), whether it is terminal, and whether the service's cancel operation accepts it (the cancel operation's `PRECONDITION_STATES`). One `match` on the phase watches or cancels a task on any service. Operations the vendor polls have `<Operation>::WAITERS` (delay, attempts, acceptors).";

const CRATE_DOCS_TAIL: &str = "# Unknown values

Enums keep values the model does not document (the `Unknown` variant holds an opaque [`runtime::UnknownValue`]) and write them back unchanged; error enums keep undocumented codes in their `Unhandled` variant. Structures are `#[non_exhaustive]`, so new members are not a breaking change: build them with `new` and `with_*`, read them with the accessors named after the members.

# Errors and retries

Every error implements [`runtime::ServiceError`]: `code()`, `http_status()`, `fault()`, `is_retryable()` and `is_throttling()`, from the model's flags, else the vendor's known codes, else the HTTP status. Every response has `request_id()`. Every operation's marker type implements [`runtime::Operation`], so code can be generic over operations; [`for_each_operation!`] and [`for_each_enum!`] (and each service's own `for_each_operation!`) run a macro of yours over all of them.

# Where the models come from

This crate is generated by `cargo xtask codegen` from the YAML models in the workspace's `models/` folder: each is transcribed from the vendor's API reference pages and the vendor's machine-readable model (botocore for AWS, the OpenAPI metadata for Alibaba Cloud), with every member, constraint, enum value, error code and example. Each service's page lists its sources and closes with the model's notes, where the sources contradict themselves or leave a gap. Do not edit the generated files: edit the model and regenerate.";

/// The header of every generated file.
fn header(models: &[&str]) -> String {
    // The generator's version is part of what the output is a function of.
    let mut h = format!(
        "// {} (codegen {}). Do not edit by hand: edit the model and regenerate.\n",
        crate::write::GENERATED_MARK,
        env!("CARGO_PKG_VERSION")
    );
    for m in models {
        // A file name is the one model-controlled text outside a string
        // literal: escape it so a newline in it cannot end the comment.
        h.push_str(&format!("// Model: {}\n", m.escape_debug()));
    }
    h.push('\n');
    h
}

/// A file made of `chunks` (each one or more whole items; the first may
/// hold inner attributes), each parsed and printed on its own and then
/// joined: the same text as printing them as one file, but only one chunk's
/// tokens and syntax tree are in memory at a time, which matters for a
/// whole-service file (all of EC2's is 20 MB of Rust).
fn format_chunks(path: &str, models: &[&str], chunks: impl Iterator<Item = TokenStream>) -> Result<String, EmitError> {
    let mut code = String::new();
    for tokens in chunks {
        let file = syn::parse2::<syn::File>(tokens).map_err(|e| EmitError {
            file: path.to_string(),
            message: e.to_string(),
        })?;
        code.push_str(&prettyplease::unparse(&file));
    }
    let code = code.replace("$callback ! (", "$callback!(").replace(" ! ($callback)", "!($callback)");
    Ok(format!("{}{}", header(models), space_items(&code)))
}

fn format_file(path: &str, models: &[&str], tokens: TokenStream) -> Result<String, EmitError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| EmitError {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    // prettyplease prints macro bodies token by token; `for_each_operation!`
    // bodies are the only ones emitted.
    let code = prettyplease::unparse(&file).replace("$callback ! (", "$callback!(").replace(" ! ($callback)", "!($callback)");
    Ok(format!("{}{}", header(models), space_items(&code)))
}

/// prettyplease puts top-level items on consecutive lines; a blank line
/// between them makes a generated file read like a hand-written one. Only
/// lines at column 0 are looked at, and the emitted code has no multi-line
/// string literals, so this changes white space only.
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous = "";
    for line in code.lines() {
        let top_level = !previous.starts_with(' ') && !previous.starts_with("//");
        let ends_item = top_level && (previous.ends_with('}') || previous.ends_with(';'));
        let ends_module_docs = previous.starts_with("//!") && !line.starts_with("//!");
        if (ends_item || ends_module_docs) && !line.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

/// Lines of safe Markdown ([`Doc`]: sanitized model text and the
/// generator's own sentences) as attribute strings: one leading space each,
/// so they print as `/// text`.
fn attr_lines(markdown: &Doc) -> Vec<String> {
    if markdown.as_str().trim().is_empty() {
        return Vec::new();
    }
    markdown
        .as_str()
        .split('\n')
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") })
        .collect()
}

/// `#[doc = "..."]` attributes for outer docs.
pub(crate) fn doc_attrs(markdown: &Doc) -> TokenStream {
    let lines = attr_lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes for module docs.
pub(crate) fn inner_doc_attrs(markdown: &Doc) -> TokenStream {
    let lines = attr_lines(markdown);
    quote! { #( #![doc = #lines] )* }
}

fn service_file(svc: &ServiceIr) -> impl Iterator<Item = TokenStream> + '_ {
    let doc = inner_doc_attrs(&svc.docs);
    let api_version = &svc.api_version;
    let mut consts = quote! {
        /// The API version this module was generated for.
        pub const API_VERSION: &str = #api_version;
    };
    if let Some(ns) = &svc.xml_namespace {
        consts.extend(quote! {
            /// XML namespace of the service's responses.
            pub const XML_NAMESPACE: &str = #ns;
        });
    }
    if let Some(prefix) = &svc.target_prefix {
        consts.extend(quote! {
            /// Prefix of the `X-Amz-Target` header: `<prefix>.<Operation>`.
            pub const TARGET_PREFIX: &str = #prefix;
        });
    }
    let names = svc.operations.iter().map(|op| op.wire_name.as_str());
    let macro_name = to_ident(&service_macro(svc));
    let (provider, module) = (svc.provider.as_str(), svc.module.as_str());
    let (provider_ident, module_ident) = (to_ident(provider), to_ident(module));
    let protocol = to_ident(protocol::spec(svc.protocol).token);
    let markers = svc.operations.iter().map(|op| to_ident(&op.rust));
    let (p, m) = (Doc::ident(provider), Doc::ident(module));
    let macro_doc = doc_attrs(&doc![
        "Expands `$callback!(Marker, ", Doc::ident(protocol::spec(svc.protocol).token), ", \"", &p, "\", \"", &m,
        "\");` once for every operation of this service, in the order of [`OPERATIONS`], so generic code can run over all of them. `$callback` is the name of a `macro_rules!` macro in scope; the protocol is one of `ec2_query`, `aws_query`, `aws_json_1_1`, `rest_json` and `alibaba_rpc`.\n\n```\nuse cloud_api_types::runtime::Operation;\n\nlet mut names = Vec::new();\nmacro_rules! name {\n    ($op:path, $protocol:ident, $provider:literal, $service:literal) => {\n        names.push(<$op as Operation>::NAME);\n    };\n}\ncloud_api_types::",
        &p, "::", &m, "::for_each_operation!(name);\nassert_eq!(names, cloud_api_types::", &p, "::", &m, "::OPERATIONS);\n```"
    ]);
    let enums_macro_name = to_ident(&enums_macro(svc));
    let enum_types = svc.enums.iter().map(|e| to_ident(&e.name));
    consts.extend(quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #enums_macro_name {
            ($callback:ident) => {
                #( $callback!($crate::#provider_ident::#module_ident::#enum_types, #provider, #module); )*
            };
        }

        /// The names of the service's operations, as the service knows them.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        #[doc(hidden)]
        #[macro_export]
        macro_rules! #macro_name {
            ($callback:ident) => {
                #( $callback!($crate::#provider_ident::#module_ident::#markers, #protocol, #provider, #module); )*
            };
        }

        #macro_doc
        #[doc(inline)]
        pub use crate::#macro_name as for_each_operation;
    });
    // Item by item, made and printed one at a time (see `format_chunks`).
    let operations = svc.operations.iter().map(|op| operations::operation(svc, op));
    let structs = svc.structs.iter().map(shapes::structure);
    let enums = svc.enums.iter().map(shapes::enumeration);
    std::iter::once(quote! { #doc #consts }).chain(operations).chain(structs).chain(enums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::Doc;
    use crate::model::Protocol;

    fn service(provider: &str, module: &str) -> ServiceIr {
        ServiceIr {
            provider: provider.into(),
            module: module.into(),
            model_path: String::new(),
            title: Doc::default(),
            api_version: String::new(),
            protocol: Protocol::AwsJson11,
            xml_namespace: None,
            target_prefix: None,
            signing_name: None,
            docs: Doc::default(),
            operations: Vec::new(),
            structs: Vec::new(),
            enums: Vec::new(),
        }
    }

    /// Features and crate-level macro names of two services never clash,
    /// whatever underscores their names hold.
    #[test]
    fn per_service_names_are_unambiguous() {
        let pairs = [("a_b", "c"), ("a", "b_c"), ("a_", "b"), ("a", "b"), ("a__b", "c"), ("a", "b__c")];
        let services: Vec<ServiceIr> = pairs.iter().map(|(p, m)| service(p, m)).collect();
        for (i, one) in services.iter().enumerate() {
            for other in &services[i + 1..] {
                let what = format!("{}::{} vs {}::{}", one.provider, one.module, other.provider, other.module);
                assert_ne!(feature_name(one), feature_name(other), "{what}");
                assert_ne!(service_macro(one), service_macro(other), "{what}");
                assert_ne!(enums_macro(one), enums_macro(other), "{what}");
            }
        }
        assert_eq!(feature_name(&service("aws", "ec2")), "aws-ec2");
        assert_eq!(service_macro(&service("aws", "ec2")), "__for_each_operation_aws_ec2");
    }
}
