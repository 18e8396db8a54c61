//! Tokens for operations: the operation marker type, its error enum, and
//! the protocol methods of its request and response.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use crate::doc;
use crate::docs::Doc;
use crate::ident::to_ident;
use crate::ir::{ErrorEnumIr, OperationIr, RequestIdIr, ServiceIr};
use crate::model::{Fault, Matcher, WaiterState};
use crate::lower::REQUEST_ID_FIELD;
use crate::protocol::{self, QueryStyle, RequestStyle, ResponseStyle, XmlStyle};

/// The operation's marker type with its metadata, precondition, error enum
/// and wire methods.
pub(crate) fn operation(svc: &ServiceIr, op: &OperationIr) -> TokenStream {
    let vendor = to_ident(protocol::spec(svc.protocol).vendor);
    let doc = doc_attrs(&Doc::paragraphs([&op.docs, &super::examples::operation_example(svc, op)]));
    let name = to_ident(&op.rust);
    let request = to_ident(&op.request);
    let response = to_ident(&op.response);
    let error = to_ident(&op.error.name);
    let wire_name = &op.wire_name;
    let idempotent = op.idempotent;
    let (method, path) = &op.http;
    let method_tokens = quote!(Some(#method));
    let path_tokens = quote!(Some(#path));

    let precondition = op.precondition.as_ref().map(|pre| {
        let state = to_ident(&pre.state_enum);
        let variants = pre.variants.iter().map(|v| to_ident(v));
        let doc = doc_attrs(&doc!["The states the task must be in for this operation to succeed:\n\n", &pre.docs]);
        quote! {
            #doc
            pub const PRECONDITION_STATES: &'static [#state] = &[#(#state::#variants),*];

            /// Whether a task in `state` meets the operation's documented precondition.
            pub fn precondition_met(state: &#state) -> bool {
                Self::PRECONDITION_STATES.contains(state)
            }
        }
    });

    let waiters = (!op.waiters.is_empty()).then(|| {
        let items = op.waiters.iter().map(|(name, w)| {
            let (delay, attempts) = (proc_macro2::Literal::u32_unsuffixed(w.delay), proc_macro2::Literal::u32_unsuffixed(w.max_attempts));
            let acceptors = w.acceptors.iter().map(|a| {
                let state = to_ident(match a.state {
                    WaiterState::Success => "Success",
                    WaiterState::Failure => "Failure",
                    WaiterState::Retry => "Retry",
                });
                let matcher = to_ident(match a.matcher {
                    Matcher::Path => "Path",
                    Matcher::PathAll => "PathAll",
                    Matcher::PathAny => "PathAny",
                    Matcher::Status => "Status",
                    Matcher::Error => "Error",
                });
                let argument = match &a.argument {
                    Some(arg) => quote!(Some(#arg)),
                    None => quote!(None),
                };
                let expected = &a.expected;
                quote!(crate::runtime::Acceptor {
                    state: crate::runtime::WaiterState::#state,
                    matcher: crate::runtime::Matcher::#matcher,
                    argument: #argument,
                    expected: #expected,
                })
            });
            quote!(crate::runtime::Waiter { name: #name, delay_seconds: #delay, max_attempts: #attempts, acceptors: &[#(#acceptors),*] })
        });
        let names = op.waiters.iter().map(|(n, w)| format!("`{n}` (every {} s, at most {} attempts; {})", w.delay, w.max_attempts, w.source));
        let doc = doc_attrs(&Doc::paragraphs([
            &doc!["The vendor's waiters that poll this operation:"],
            &Doc::lines(&names.map(|n| doc!["- ", Doc::text(&n)]).collect::<Vec<_>>()),
        ]));
        quote! {
            #doc
            pub const WAITERS: &'static [crate::runtime::Waiter] = &[#(#items),*];
        }
    });
    let error_enum = error_enum(&op.error, &vendor);
    let wire = wire_methods(svc, op);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct #name;

        impl #name {
            /// HTTP method: the page's binding, else the protocol's (always `Some`).
            pub const HTTP_METHOD: Option<&'static str> = #method_tokens;
            /// HTTP path: the page's binding, else the protocol's (always `Some`).
            pub const HTTP_PATH: Option<&'static str> = #path_tokens;
            /// Whether repeating the call with the same input is safe.
            pub const IDEMPOTENT: bool = #idempotent;

            #precondition
            #waiters
        }

        impl crate::runtime::Operation for #name {
            const NAME: &'static str = #wire_name;
            type Request = #request;
            type Response = #response;
            type Error = #error;

            fn to_http(request: &#request, endpoint: &str) -> Result<http::Request<Vec<u8>>, crate::runtime::BuildError> {
                request.to_http(endpoint)
            }

            fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<#response, #error> {
                #response::from_http(response)
            }
        }

        #error_enum
        #wire
    }
}

/// `to_http`/`to_query` on the request, `from_http`/`from_xml`/`to_xml` on
/// the response, as the service's protocol (its `ProtocolSpec`) speaks.
fn wire_methods(svc: &ServiceIr, op: &OperationIr) -> TokenStream {
    let spec = protocol::spec(svc.protocol);
    let request = to_ident(&op.request);
    let response = to_ident(&op.response);
    let error = to_ident(&op.error.name);
    let (method, path) = &op.http;
    let to_http_doc = doc_attrs(&doc![
        "The HTTP request for `endpoint` (`https://host`), unsigned: ",
        spec.name,
        " ",
        Doc::code(&format!("{method} {path}")),
        ".\n\n",
        spec.signing,
        match (&svc.signing_name, spec.vendor) {
            (Some(name), "Aws") => doc![" This service's signing name is ", Doc::code(name), ", and the region is the endpoint's."],
            _ => Doc::default(),
        }
    ]);
    // An operation with a host prefix sends to the prefixed host.
    let prefix = op.host_prefix.as_ref().map(|hp| {
        let template = &hp.template;
        let labels = hp.labels.iter().map(|(label, field)| {
            let field = to_ident(field);
            quote!((#label, self.#field.as_str()))
        });
        quote!(let endpoint = &crate::runtime::protocol::host_prefixed(endpoint, #template, &[#(#labels),*])?;)
    });
    let compress = !op.request_compression.is_empty();
    let request_methods = match spec.request {
        RequestStyle::Json { content_type, target_header, document } => {
            let target = target_header.then(|| {
                let target = format!("{}.{}", svc.target_prefix.as_deref().unwrap_or_default(), op.wire_name);
                quote!(("x-amz-target", #target))
            });
            let headers = [Some(quote!(("content-type", #content_type))), target].into_iter().flatten();
            json_to_http(&to_http_doc, document, method, path, quote!(&[#(#headers),*]), prefix, compress)
        }
        RequestStyle::RestXml => {
            let (root, namespace, ns_prefix) = op.xml_body.clone().unwrap_or_default();
            let call = compressed(quote!(crate::runtime::protocol::rest_request(#method, endpoint, #path, &[], self, crate::runtime::protocol::BodyCodec::Xml { root: #root, namespace: #namespace, prefix: #ns_prefix })), compress);
            quote! {
                #to_http_doc
                pub fn to_http(&self, endpoint: &str) -> Result<http::Request<Vec<u8>>, crate::runtime::BuildError> {
                    #prefix
                    #call
                }
            }
        }
        RequestStyle::Query { extra, style } => {
            let extra = extra.iter().map(|(k, v)| quote!((#k, #v)));
            query_methods(&to_http_doc, &op.wire_name, quote!(&[#(#extra),*]), style, prefix, compress)
        }
    };
    let response_methods = match spec.response {
        ResponseStyle::Json(errors) => {
            let style = to_ident(errors.runtime_variant());
            json_from_http(
                &error,
                quote!(crate::runtime::protocol::ErrorStyle::#style),
                svc.structs.iter().find(|s| s.name == op.response).and_then(|s| s.request_id.as_ref()),
            )
        }
        ResponseStyle::RestXml => {
            let request_id = svc.structs.iter().find(|s| s.name == op.response).and_then(|s| s.request_id.as_ref());
            let from_http = with_request_id(
                quote!(crate::runtime::protocol::rest_response(response, crate::runtime::protocol::BodyCodec::Xml { root: "", namespace: "", prefix: "" }, crate::runtime::protocol::ErrorStyle::RestXml)),
                request_id,
            );
            quote! {
                /// The typed response of a 2xx response (with its request ID), else
                /// the typed error (`<ErrorResponse><Error><Code>` or `<Error><Code>`).
                pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self, #error> {
                    #from_http
                }
            }
        }
        ResponseStyle::Xml(XmlStyle::AwsQuery) => {
            let root = format!("{}Response", op.wire_name);
            let wrapper = format!("{}Result", op.wire_name);
            let ns = svc.xml_namespace.as_deref().unwrap_or_default();
            let request_id = svc.structs.iter().find(|s| s.name == op.response).and_then(|s| s.request_id.as_ref());
            let from_http = with_request_id(quote!(crate::runtime::protocol::aws_query_response(response, #root, #wrapper)), request_id);
            quote! {
                /// Reads the service's XML response body (the members are
                /// those of its `<Operation>Result` element).
                pub fn from_xml(xml: &str) -> Result<Self, crate::runtime::DecodeError> {
                    crate::runtime::xml::decode_wrapped(xml, #root, #wrapper)
                }

                /// Writes the XML response body the service would send; a value
                /// XML cannot carry is an error naming the member.
                pub fn to_xml(&self) -> Result<String, crate::runtime::BuildError> {
                    crate::runtime::xml::encode_wrapped(self, #root, #wrapper, #ns)
                }

                /// The typed response of a 2xx response (with its request ID), else
                /// the typed error (`<ErrorResponse><Error><Code>`).
                pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self, #error> {
                    #from_http
                }
            }
        }
        ResponseStyle::Xml(XmlStyle::Ec2) => {
            let root = format!("{}Response", op.wire_name);
            quote! {
                /// Reads the service's XML response body.
                pub fn from_xml(xml: &str) -> Result<Self, crate::runtime::DecodeError> {
                    crate::runtime::xml::decode(xml, #root)
                }

                /// Writes the XML response body the service would send; a value
                /// XML cannot carry is an error naming the member.
                pub fn to_xml(&self) -> Result<String, crate::runtime::BuildError> {
                    crate::runtime::xml::encode(self, #root, XML_NAMESPACE)
                }

                /// The typed response of a 2xx response, else the typed error
                /// (`<Response><Errors><Error><Code>`).
                pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self, #error> {
                    crate::runtime::protocol::xml_response(response, #root)
                }
            }
        }
    };
    quote! {
        impl #request {
            #request_methods
        }

        impl #response {
            #response_methods
        }
    }
}

/// The request `call` builds, compressed when the operation has
/// `request_compression` (the runtime's `compress`, feature `gzip`: a body
/// of at least 10240 bytes is gzipped and `gzip` appended to
/// `Content-Encoding`).
fn compressed(call: TokenStream, compress: bool) -> TokenStream {
    if compress {
        quote!(crate::runtime::protocol::compress(#call?, crate::runtime::protocol::MIN_COMPRESSION_BYTES))
    } else {
        call
    }
}

fn query_methods(to_http_doc: &TokenStream, action: &str, extra: TokenStream, style: QueryStyle, prefix: Option<TokenStream>, compress: bool) -> TokenStream {
    let to_query = match style {
        QueryStyle::Flat => quote! {
            /// The query parameters the service expects, `Action` and `Version`
            /// first, lists flattened (`Name.1`, `Name.1.Member`); a value with no
            /// text form is an error naming its parameter.
            pub fn to_query(&self) -> Result<Vec<(String, String)>, crate::runtime::BuildError> {
                crate::runtime::query::to_query(self, #action, API_VERSION, #extra)
            }
        },
        QueryStyle::AwsQuery => quote! {
            /// The query parameters the service expects, `Action` and `Version`
            /// first, lists as `Name.member.N` (flattened ones `Name.N`), maps as
            /// `Name.entry.N.key` and `.value`, an empty list as `Name=`; a value
            /// with no text form is an error naming its parameter.
            pub fn to_query(&self) -> Result<Vec<(String, String)>, crate::runtime::BuildError> {
                crate::runtime::query::to_query_in(crate::runtime::query::QueryStyle::AwsQuery, self, #action, API_VERSION, #extra)
            }
        },
    };
    let build = compressed(quote!(crate::runtime::protocol::form_request(endpoint, &self.to_query()?)), compress);
    quote! {
        #to_query

        #to_http_doc
        pub fn to_http(&self, endpoint: &str) -> Result<http::Request<Vec<u8>>, crate::runtime::BuildError> {
            #prefix
            #build
        }
    }
}

/// `to_http` for the JSON protocols: the runtime places each member where
/// its schema says (the body, or a REST label, query parameter or header),
/// or, for a protocol whose body is always the input `document`, writes it;
/// an operation with a host prefix first prefixes the endpoint's host.
fn json_to_http(to_http_doc: &TokenStream, document: bool, method: &str, path: &str, headers: TokenStream, prefix: Option<TokenStream>, compress: bool) -> TokenStream {
    let build = if document { quote!(aws_json_request) } else { quote!(json_request) };
    let call = compressed(quote!(crate::runtime::protocol::#build(#method, endpoint, #path, #headers, self)), compress);
    quote! {
        #to_http_doc
        pub fn to_http(&self, endpoint: &str) -> Result<http::Request<Vec<u8>>, crate::runtime::BuildError> {
            #prefix
            #call
        }
    }
}

fn json_from_http(error: &proc_macro2::Ident, style: TokenStream, request_id: Option<&RequestIdIr>) -> TokenStream {
    let body = with_request_id(quote!(crate::runtime::protocol::json_response(response, #style)), request_id);
    match request_id {
        Some(RequestIdIr::Header(_)) => quote! {
            /// The typed response of a 2xx response (with its request ID), else the typed error.
            pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self, #error> {
                #body
            }
        },
        _ => quote! {
            /// The typed response of a 2xx response, else the typed error.
            pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self, #error> {
                #body
            }
        },
    }
}

/// The body of a `from_http` that decodes with `decode` (an expression of
/// type `Result<Self, _>` over `response`), and, for a response whose
/// request ID travels in a header, keeps that header in the private field.
fn with_request_id(decode: TokenStream, request_id: Option<&RequestIdIr>) -> TokenStream {
    match request_id {
        Some(RequestIdIr::Header(header)) => {
            let field = to_ident(REQUEST_ID_FIELD);
            quote! {
                let mut value: Self = #decode?;
                value.#field = crate::runtime::protocol::header_text(response, #header);
                Ok(value)
            }
        }
        _ => decode,
    }
}

fn error_enum(e: &ErrorEnumIr, vendor: &proc_macro2::Ident) -> TokenStream {
    let name = to_ident(&e.name);
    if e.variants.is_empty() {
        // One shared type for every operation without documented errors
        // (every EC2 operation): the same variants and methods, built once.
        let doc = doc_attrs(&Doc::paragraphs([
            &e.docs,
            &doc!["The model documents no error codes for this operation, so it shares [", Doc::code("runtime::UndocumentedError"), "](crate::runtime::UndocumentedError): every code the service sends is kept in its ", Doc::code("Unhandled"), " variant."],
        ]));
        return quote! {
            #doc
            pub type #name = crate::runtime::UndocumentedError;
        };
    }
    let unhandled = to_ident(&e.unhandled);
    let invalid = to_ident(&e.invalid_response);
    let variants: Vec<_> = e.variants.iter().map(|v| to_ident(&v.rust)).collect();
    // A variant holds its metadata, and the structure of the error's own
    // members when it has one: the patterns that take the metadata, and
    // those that take nothing, follow its shape.
    let details: Vec<Option<proc_macro2::Ident>> = e.variants.iter().map(|v| v.details.as_deref().map(to_ident)).collect();
    let fields = details.iter().map(|d| match d {
        // Boxed, so that a `Result` of the error stays small whatever the
        // error carries.
        Some(d) => quote!((crate::runtime::ErrorMetadata, Box<#d>)),
        None => quote!((crate::runtime::ErrorMetadata)),
    });
    let with_meta: Vec<TokenStream> = details.iter().map(|d| if d.is_some() { quote!((meta, _)) } else { quote!((meta)) }).collect();
    let with_any: Vec<TokenStream> = details.iter().map(|d| if d.is_some() { quote!((..)) } else { quote!((_)) }).collect();
    let built = details.iter().map(|d| if d.is_some() { quote!((meta, crate::runtime::schema::Empty::empty())) } else { quote!((meta)) });
    let any_of = |v: &crate::ir::ErrorVariantIr| {
        let ident = to_ident(&v.rust);
        if v.details.is_some() { quote!(Self::#ident(..)) } else { quote!(Self::#ident(_)) }
    };
    let codes: Vec<&str> = e.variants.iter().map(|v| v.code.as_str()).collect();
    let statuses = e.variants.iter().map(|v| proc_macro2::Literal::u16_unsuffixed(v.http_status));
    let faults = e.variants.iter().map(|v| match v.fault {
        Fault::Client => quote!(crate::runtime::ErrorFault::Client),
        Fault::Server => quote!(crate::runtime::ErrorFault::Server),
    });
    let docs = e.variants.iter().map(|v| doc_attrs(&v.docs));
    let retryable: Vec<_> = e.variants.iter().filter(|v| v.retryable).map(any_of).collect();
    let throttling: Vec<_> = e.variants.iter().filter(|v| v.throttling).map(any_of).collect();
    let label = &e.name;
    let with_details: Vec<(&str, proc_macro2::Ident, &proc_macro2::Ident)> = e
        .variants
        .iter()
        .zip(&details)
        .filter_map(|(v, d)| Some((v.code.as_str(), to_ident(&v.rust), d.as_ref()?)))
        .collect();
    let details_impls = (!with_details.is_empty()).then(|| {
        let arms = with_details.iter().map(|(code, variant, details)| quote!(#code => #variant(#details)));
        quote!(, #(#arms),*)
    });
    let from_code_doc = if with_details.is_empty() {
        quote!(#[doc = " The error for a code as the service sends it; unknown codes are kept."])
    } else {
        quote! {
            #[doc = " The error for a code as the service sends it; unknown codes are kept. The"]
            #[doc = " members an error carries besides its message are left empty (`from_http`"]
            #[doc = " reads them from the response)."]
        }
    };
    let codes_doc = doc_attrs(&doc!["The error codes ", Doc::code(label), " documents."]);
    let enum_doc = doc_attrs(&e.docs);
    let keep_unknown = quote! {
        Self::#unhandled(crate::runtime::UnhandledError::new(code, meta))
    };
    // Without documented errors a `match` would have one catch-all arm,
    // which clippy rightly calls pointless.
    let from_code_body = if variants.is_empty() {
        keep_unknown
    } else {
        quote! {
            match code {
                #(#codes => Self::#variants #built,)*
                _ => #keep_unknown,
            }
        }
    };
    let meta_arms = quote! {
        #(Self::#variants #with_meta => Some(meta),)*
        Self::#unhandled(e) => Some(&e.meta),
        Self::#invalid(_) => None,
    };
    // The model's flags first, then the vendor's code lists and the status.
    let vendor = quote!(Some(crate::runtime::retry::Vendor::#vendor));
    let retry_match = if retryable.is_empty() {
        quote!(crate::runtime::retry::is_retryable(#vendor, self.code(), self.http_status()))
    } else {
        quote!(matches!(self, #(#retryable)|*) || crate::runtime::retry::is_retryable(#vendor, self.code(), self.http_status()))
    };
    let throttle_match = if throttling.is_empty() {
        quote!(crate::runtime::retry::is_throttling(#vendor, self.code(), self.http_status()))
    } else {
        quote!(matches!(self, #(#throttling)|*) || crate::runtime::retry::is_throttling(#vendor, self.code(), self.http_status()))
    };
    quote! {
        #enum_doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum #name {
            #( #docs #variants #fields, )*
            /// An error code this operation's model does not document.
            #unhandled(crate::runtime::UnhandledError),
            /// A response that could not be decoded: what was wrong, and where.
            #invalid(crate::runtime::DecodeError),
        }

        impl #name {
            #codes_doc
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            #from_code_doc
            pub fn from_code(code: &str, meta: crate::runtime::ErrorMetadata) -> Self {
                #from_code_body
            }

            /// The error code as sent on the wire; `None` when the response
            /// could not be decoded.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(Self::#variants #with_any => Some(#codes),)*
                    Self::#unhandled(e) => Some(&e.code),
                    Self::#invalid(_) => None,
                }
            }

            /// What the service said besides the code.
            pub fn meta(&self) -> Option<&crate::runtime::ErrorMetadata> {
                match self {
                    #meta_arms
                }
            }

            /// The HTTP status: as received, else as documented.
            pub fn http_status(&self) -> Option<u16> {
                match self {
                    #(Self::#variants #with_meta => Some(meta.http_status.unwrap_or(#statuses)),)*
                    Self::#unhandled(e) => e.meta.http_status,
                    Self::#invalid(e) => e.http_status,
                }
            }

            /// Whose fault the error is: as documented, else by the HTTP
            /// status (4xx the client's, 5xx the service's).
            pub fn fault(&self) -> Option<crate::runtime::ErrorFault> {
                match self {
                    #(Self::#variants #with_any => Some(#faults),)*
                    Self::#unhandled(_) | Self::#invalid(_) => crate::runtime::retry::fault_of_status(self.http_status()),
                }
            }

            /// Whether retrying the same request may succeed: as the model
            /// flags it, else by the vendor's known codes, else by the HTTP
            /// status (429, 500, 502, 503, 504).
            pub fn is_retryable(&self) -> bool {
                #retry_match
            }

            /// Whether the error asks the caller to slow down: as the model
            /// flags it, else by the vendor's known codes, else HTTP 429.
            pub fn is_throttling(&self) -> bool {
                #throttle_match
            }
        }

        // `message()`, `request_id()`, and ServiceError, Display and Error,
        // forwarding to the methods above; and, for errors with members of
        // their own, how they are read from the response.
        crate::runtime::__error_impls!(#name, #invalid #details_impls);
    }
}
