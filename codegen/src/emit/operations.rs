//! Tokens for operations: the operation marker type and its error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use crate::ident::to_ident;
use crate::ir::{ErrorEnumIr, OperationIr};
use crate::model::Fault;

/// The operation's marker type with its metadata, precondition and error enum.
pub(crate) fn operation(op: &OperationIr) -> TokenStream {
    let doc = doc_attrs(&op.docs);
    let name = to_ident(&op.rust);
    let request = to_ident(&op.request);
    let response = to_ident(&op.response);
    let error = to_ident(&op.error.name);
    let wire_name = &op.wire_name;
    let idempotent = op.idempotent;
    let (method, path) = match &op.http {
        Some((m, p)) => (quote!(Some(#m)), quote!(Some(#p))),
        None => (quote!(None), quote!(None)),
    };

    let precondition = op.precondition.as_ref().map(|pre| {
        let state = to_ident(&pre.state_enum);
        let variants = pre.variants.iter().map(|v| to_ident(v));
        let doc = doc_attrs(&pre.docs);
        quote! {
            impl #name {
                /// The states the task must be in for this operation to succeed:
                ///
                #doc
                pub const PRECONDITION_STATES: &'static [#state] = &[#(#state::#variants),*];

                /// Whether a task in `state` meets the operation's documented precondition.
                pub fn precondition_met(state: &#state) -> bool {
                    Self::PRECONDITION_STATES.contains(state)
                }
            }
        }
    });

    let error_enum = error_enum(&op.error);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub struct #name;

        impl crate::runtime::Operation for #name {
            const NAME: &'static str = #wire_name;
            const HTTP_METHOD: Option<&'static str> = #method;
            const HTTP_PATH: Option<&'static str> = #path;
            const IDEMPOTENT: bool = #idempotent;
            type Request = #request;
            type Response = #response;
            type Error = #error;
        }

        #precondition
        #error_enum
    }
}

fn error_enum(e: &ErrorEnumIr) -> TokenStream {
    let name = to_ident(&e.name);
    let unhandled = to_ident(&e.unhandled);
    let variants: Vec<_> = e.variants.iter().map(|v| to_ident(&v.rust)).collect();
    let codes: Vec<&str> = e.variants.iter().map(|v| v.code.as_str()).collect();
    let statuses = e.variants.iter().map(|v| proc_macro2::Literal::u16_unsuffixed(v.http_status));
    let faults = e.variants.iter().map(|v| match v.fault {
        Fault::Client => quote!(crate::runtime::ErrorFault::Client),
        Fault::Server => quote!(crate::runtime::ErrorFault::Server),
    });
    let docs = e.variants.iter().map(|v| doc_attrs(&v.docs));
    let retryable: Vec<_> = e.variants.iter().filter(|v| v.retryable).map(|v| to_ident(&v.rust)).collect();
    let throttling: Vec<_> = e.variants.iter().filter(|v| v.throttling).map(|v| to_ident(&v.rust)).collect();
    let label = &e.name;
    let codes_doc = doc_attrs(&format!("The error codes `{label}` documents."));
    let enum_doc = doc_attrs(&format!(
        "Errors of the operation; [`{label}::from_code`] maps a wire code to a variant.\n\nOne variant per documented error, and one that keeps any other code the service sends."
    ));
    let keep_unknown = quote! {
        Self::#unhandled(crate::runtime::UnhandledError { code: code.to_owned(), meta })
    };
    // Without documented errors a `match` would have one catch-all arm,
    // which clippy rightly calls pointless.
    let from_code_body = if variants.is_empty() {
        keep_unknown
    } else {
        quote! {
            match code {
                #(#codes => Self::#variants(meta),)*
                _ => #keep_unknown,
            }
        }
    };
    let variant_list = quote!(#(Self::#variants(meta))|*);
    // With no documented errors the or-pattern would be empty.
    let meta_arms = if variants.is_empty() {
        quote!(Self::#unhandled(e) => &e.meta,)
    } else {
        quote!(#variant_list => meta, Self::#unhandled(e) => &e.meta,)
    };
    let retry_match = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable(_))|*))
    };
    let throttle_match = if throttling.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#throttling(_))|*))
    };
    quote! {
        #enum_doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #( #docs #variants(crate::runtime::ErrorMetadata), )*
            /// An error code this operation's model does not document.
            #unhandled(crate::runtime::UnhandledError),
        }

        impl #name {
            #codes_doc
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            /// The error for a code as the service sends it; unknown codes are kept.
            pub fn from_code(code: &str, meta: crate::runtime::ErrorMetadata) -> Self {
                #from_code_body
            }

            /// The error code as sent on the wire.
            pub fn code(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #codes,)*
                    Self::#unhandled(e) => &e.code,
                }
            }

            /// What the service said besides the code.
            pub fn meta(&self) -> &crate::runtime::ErrorMetadata {
                match self {
                    #meta_arms
                }
            }

            /// The message the service sent, if any.
            pub fn message(&self) -> Option<&str> {
                self.meta().message.as_deref()
            }

            /// The request ID the service sent, if any.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().request_id.as_deref()
            }

            /// The HTTP status: as received, else as documented.
            pub fn http_status(&self) -> Option<u16> {
                match self {
                    #(Self::#variants(meta) => Some(meta.http_status.unwrap_or(#statuses)),)*
                    Self::#unhandled(e) => e.meta.http_status,
                }
            }

            /// Whose fault the error is, as documented.
            pub fn fault(&self) -> Option<crate::runtime::ErrorFault> {
                match self {
                    #(Self::#variants(_) => Some(#faults),)*
                    Self::#unhandled(_) => None,
                }
            }

            /// Whether retrying the same request may succeed.
            pub fn is_retryable(&self) -> bool {
                #retry_match
            }

            /// Whether the error asks the caller to slow down.
            pub fn is_throttling(&self) -> bool {
                #throttle_match
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.message() {
                    Some(message) => write!(f, "{}: {}", self.code(), message),
                    None => f.write_str(self.code()),
                }
            }
        }

        impl std::error::Error for #name {}
    }
}
