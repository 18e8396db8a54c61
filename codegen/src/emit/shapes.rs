//! Tokens for structures and enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use crate::doc;
use crate::docs::Doc;
use crate::ident::to_ident;
use crate::ir::{Constraints, EnumIr, FieldIr, RequestIdIr, StructIr, TypeIr};
use crate::lower::REQUEST_ID_FIELD;
use crate::model::{Location, TimestampFormat};

/// The Rust type of a field's value (without `Option`).
pub(crate) fn rust_type(ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::String => quote!(String),
        TypeIr::I32 => quote!(i32),
        TypeIr::I64 => quote!(i64),
        TypeIr::F32 => quote!(f32),
        TypeIr::F64 => quote!(f64),
        TypeIr::Bool => quote!(bool),
        TypeIr::Timestamp(_) => quote!(time::OffsetDateTime),
        TypeIr::Blob => quote!(Vec<u8>),
        TypeIr::Document => quote!(crate::runtime::Document),
        TypeIr::List(inner, _) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TypeIr::Map(value, _) => {
            let value = rust_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeIr::Struct(name) | TypeIr::Enum(name) => {
            let name = to_ident(name);
            quote!(#name)
        }
    }
}

/// The field's value type: `T`, or `Box<T>` for a member on a cycle.
pub(crate) fn value_type(f: &FieldIr) -> TokenStream {
    let ty = rust_type(&f.ty);
    if f.boxed { quote!(Box<#ty>) } else { ty }
}

/// The field's type as declared: `Option<T>` unless required.
fn field_type(f: &FieldIr) -> TokenStream {
    let ty = value_type(f);
    if f.required { ty } else { quote!(Option<#ty>) }
}

/// The serde helper module for types whose wire form serde does not know.
fn serde_with(f: &FieldIr) -> Option<String> {
    // Lists and maps of timestamps or blobs, however nested, take the
    // module's `nested` form (options included).
    let mut scalar = &f.ty;
    while let TypeIr::List(inner, _) | TypeIr::Map(inner, _) = scalar {
        scalar = inner;
    }
    let module = match scalar {
        TypeIr::Timestamp(TimestampFormat::DateTime) => "date_time",
        TypeIr::Timestamp(TimestampFormat::EpochSeconds) => "epoch_seconds",
        TypeIr::Timestamp(TimestampFormat::HttpDate) => "http_date",
        TypeIr::Blob => "base64_blob",
        _ => return None,
    };
    let form = match (std::ptr::eq(scalar, &f.ty), f.required) {
        (false, _) => "::nested",
        (true, false) => "::option",
        (true, true) => "",
    };
    Some(format!("crate::runtime::{module}{form}"))
}

fn field(f: &FieldIr) -> TokenStream {
    let doc = doc_attrs(&f.docs);
    let name = to_ident(&f.rust);
    let ty = field_type(f);
    let wire = &f.wire;
    let mut serde = vec![quote!(rename = #wire)];
    if !f.required {
        serde.push(quote!(default));
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if let Some(with) = serde_with(f) {
        serde.push(quote!(with = #with));
    }
    quote! {
        #doc
        #[cfg_attr(feature = "serde", serde(#(#serde),*))]
        pub #name: #ty,
    }
}

/// A value's constraints as the runtime's `schema::Rules`.
fn rules(c: &Constraints) -> TokenStream {
    if *c == Constraints::default() {
        return quote!(&crate::runtime::schema::Rules::NONE);
    }
    fn bound<T>(b: Option<T>, lit: impl Fn(T) -> proc_macro2::Literal) -> TokenStream {
        match b {
            Some(v) => {
                let v = lit(v);
                quote!(Some(#v))
            }
            None => quote!(None),
        }
    }
    let u = proc_macro2::Literal::u64_unsuffixed;
    let f = proc_macro2::Literal::f64_suffixed;
    let (lmin, lmax) = (bound(c.length.0, u), bound(c.length.1, u));
    let (rmin, rmax) = (bound(c.range.0, f), bound(c.range.1, f));
    let (imin, imax) = (bound(c.items.0, u), bound(c.items.1, u));
    let pattern = match &c.pattern {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    quote!(&crate::runtime::schema::Rules {
        length: (#lmin, #lmax),
        pattern: #pattern,
        range: (#rmin, #rmax),
        items: (#imin, #imax),
    })
}

/// The schema kind of a field's value (see `runtime::schema`).
fn schema_kind(ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::String | TypeIr::Enum(_) => quote!(crate::runtime::schema::Kind::String),
        TypeIr::I32 | TypeIr::I64 => quote!(crate::runtime::schema::Kind::Integer),
        TypeIr::F32 | TypeIr::F64 => quote!(crate::runtime::schema::Kind::Float),
        TypeIr::Bool => quote!(crate::runtime::schema::Kind::Boolean),
        TypeIr::Timestamp(TimestampFormat::DateTime) => quote!(crate::runtime::schema::Kind::DateTime),
        TypeIr::Timestamp(TimestampFormat::EpochSeconds) => quote!(crate::runtime::schema::Kind::EpochSeconds),
        TypeIr::Timestamp(TimestampFormat::HttpDate) => quote!(crate::runtime::schema::Kind::HttpDate),
        TypeIr::Blob => quote!(crate::runtime::schema::Kind::Blob),
        TypeIr::Document => quote!(crate::runtime::schema::Kind::Document),
        TypeIr::Struct(name) => {
            let name = to_ident(name);
            quote!(crate::runtime::schema::Kind::Struct(<#name as crate::runtime::schema::Shape>::schema))
        }
        TypeIr::List(inner, info) => {
            let item = schema_kind(inner);
            let xml_item = &info.xml_item_name;
            let item_rules = rules(&info.item_constraints);
            let flattened = info.flattened;
            quote!(crate::runtime::schema::Kind::List(&crate::runtime::schema::ListSchema {
                item: #item,
                xml_item: #xml_item,
                item_rules: #item_rules,
                flattened: #flattened,
            }))
        }
        TypeIr::Map(value, info) if info.is_default() => {
            let value = schema_kind(value);
            quote!(crate::runtime::schema::Kind::Map(&#value))
        }
        TypeIr::Map(value, info) => {
            let value = schema_kind(value);
            let (key, val, flattened) = (&info.xml_key_name, &info.xml_value_name, info.flattened);
            quote!(crate::runtime::schema::Kind::XmlMap(&crate::runtime::schema::MapSchema {
                value: #value,
                xml_key: #key,
                xml_value: #val,
                flattened: #flattened,
            }))
        }
    }
}

/// The structure as the runtime's codecs see it: its schema, each member
/// by index, and its empty value (see `runtime::schema`).
fn schema_impl(s: &StructIr, header_id: bool) -> TokenStream {
    let name = to_ident(&s.name);
    let label = &s.name;
    let members = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let query = &f.query;
        let kind = schema_kind(&f.ty);
        let required = f.required;
        let location = to_ident(match f.location {
            None if f.xml_attribute => "XmlAttribute",
            None => "Body",
            Some(Location::Uri) => "Uri",
            Some(Location::Query) => "Query",
            Some(Location::Header) if f.json_value => "JsonHeader",
            Some(Location::Header) => "Header",
            Some(Location::HeaderPrefix) => "HeaderPrefix",
            Some(Location::StatusCode) => "StatusCode",
            Some(Location::Payload) => "Payload",
        });
        let rules = rules(&f.constraints);
        let sensitive = f.sensitive;
        quote!(crate::runtime::schema::MemberSchema {
            wire: #wire,
            query: #query,
            kind: #kind,
            required: #required,
            location: crate::runtime::schema::Location::#location,
            rules: #rules,
            sensitive: #sensitive,
        })
    });
    let gets = s.fields.iter().enumerate().map(|(i, f)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let n = to_ident(&f.rust);
        quote!(#i => crate::runtime::schema::Field::get(&self.#n),)
    });
    let slots = s.fields.iter().enumerate().map(|(i, f)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let n = to_ident(&f.rust);
        quote!(#i => Some(crate::runtime::schema::Field::slot(&mut self.#n)),)
    });
    let empties = s.fields.iter().map(|f| {
        let n = to_ident(&f.rust);
        quote!(#n: crate::runtime::schema::Empty::empty())
    });
    let id_field = to_ident(REQUEST_ID_FIELD);
    let empties = empties.chain(header_id.then(|| quote!(#id_field: None)));
    // A structure without members has no arms to match (and clippy says so).
    let (index, field_body, slot_body) = if s.fields.is_empty() {
        (quote!(_index), quote!(crate::runtime::schema::Ref::Absent), quote!(None))
    } else {
        (
            quote!(index),
            quote!(match index { #(#gets)* _ => crate::runtime::schema::Ref::Absent }),
            quote!(match index { #(#slots)* _ => None }),
        )
    };
    // Only a union says so: every other structure keeps the default.
    let is_union = s.union.then(|| {
        quote! {
            fn is_union(&self) -> bool {
                true
            }
        }
    });
    quote! {
        impl crate::runtime::schema::Shape for #name {
            fn schema() -> &'static crate::runtime::schema::StructSchema {
                static SCHEMA: crate::runtime::schema::StructSchema = crate::runtime::schema::StructSchema {
                    name: #label,
                    members: &[#(#members),*],
                };
                &SCHEMA
            }
            fn dyn_schema(&self) -> &'static crate::runtime::schema::StructSchema {
                <Self as crate::runtime::schema::Shape>::schema()
            }
            fn field(&self, #index: usize) -> crate::runtime::schema::Ref<'_> {
                #field_body
            }
            fn field_mut(&mut self, #index: usize) -> Option<crate::runtime::schema::Slot<'_>> {
                #slot_body
            }
            #is_union
        }

        impl crate::runtime::schema::Empty for #name {
            fn empty() -> Self {
                Self { #(#empties),* }
            }
        }

        crate::runtime::__codec_impls!(shape #name);
    }
}

/// The text a redacting `Debug` prints for a sensitive member.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// How an accessor hands out a field's value: by value for `Copy`
/// scalars, as `&str` / `&[T]` for text and lists (an absent list reads as
/// empty), else by reference.
fn accessor(f: &FieldIr) -> TokenStream {
    let n = to_ident(&f.rust);
    let ty = rust_type(&f.ty);
    let (ret, body) = match (&f.ty, f.required) {
        // `Copy` values: the field itself (`T` or `Option<T>`).
        (TypeIr::I32 | TypeIr::I64 | TypeIr::F32 | TypeIr::F64 | TypeIr::Bool | TypeIr::Timestamp(_), _) => (field_type(f), quote!(self.#n)),
        (TypeIr::String, true) => (quote!(&str), quote!(&self.#n)),
        (TypeIr::String, false) => (quote!(Option<&str>), quote!(self.#n.as_deref())),
        (TypeIr::Blob, true) => (quote!(&[u8]), quote!(&self.#n)),
        (TypeIr::Blob, false) => (quote!(Option<&[u8]>), quote!(self.#n.as_deref())),
        (TypeIr::List(inner, _), true) => {
            let inner = rust_type(inner);
            (quote!(&[#inner]), quote!(&self.#n))
        }
        (TypeIr::List(inner, _), false) => {
            let inner = rust_type(inner);
            (quote!(&[#inner]), quote!(self.#n.as_deref().unwrap_or_default()))
        }
        // A boxed member reads as the plain `&T` (`&Box<T>` coerces).
        (_, true) => (quote!(&#ty), quote!(&self.#n)),
        (_, false) if f.boxed => (quote!(Option<&#ty>), quote!(self.#n.as_deref())),
        (_, false) => (quote!(Option<&#ty>), quote!(self.#n.as_ref())),
    };
    let doc = doc_attrs(&doc!["The member ", Doc::code(&f.wire), if matches!(f.ty, TypeIr::List(..)) && !f.required { " (empty when absent)." } else { "." }]);
    quote! {
        #doc
        #[inline]
        pub fn #n(&self) -> #ret {
            #body
        }
    }
}

/// `with_<member>`: sets an optional member (or overrides a token).
fn setter(f: &FieldIr) -> TokenStream {
    let n = to_ident(&f.rust);
    let with = quote::format_ident!("with_{}", f.rust);
    let (param, value) = match f.ty {
        TypeIr::String => (quote!(impl Into<String>), quote!(value.into())),
        _ if f.boxed => (rust_type(&f.ty), quote!(Box::new(value))),
        _ => (rust_type(&f.ty), quote!(value)),
    };
    let value = if f.required { value } else { quote!(Some(#value)) };
    let doc = doc_attrs(&doc!["Sets the member ", Doc::code(&f.wire), "."]);
    quote! {
        #doc
        #[inline]
        pub fn #with(mut self, value: #param) -> Self {
            self.#n = #value;
            self
        }
    }
}

/// A structure: `#[non_exhaustive]`, built with `new(required…)` and
/// `with_<member>`, read with accessors, checked by `validate()`, its
/// codec impls and, with secrets, a redacting `Debug`.
pub(crate) fn structure(s: &StructIr) -> TokenStream {
    let doc = doc_attrs(&s.docs);
    let name = to_ident(&s.name);
    let fields = s.fields.iter().map(field);
    let derive_debug = if s.has_sensitive { quote!() } else { quote!(Debug,) };
    // A response whose request ID comes in a header keeps it in a field of
    // its own, set by `from_http`.
    let header_id = matches!(s.request_id, Some(RequestIdIr::Header(_)));
    let id_field = to_ident(REQUEST_ID_FIELD);

    let takes = |f: &&FieldIr| f.required && !(f.idempotency_token && f.ty == TypeIr::String);
    let required: Vec<&FieldIr> = s.fields.iter().filter(takes).collect();
    let params = required.iter().map(|f| {
        let n = to_ident(&f.rust);
        match f.ty {
            TypeIr::String => quote!(#n: impl Into<String>),
            _ => {
                let ty = rust_type(&f.ty);
                quote!(#n: #ty)
            }
        }
    });
    let inits = s.fields.iter().map(|f| {
        let n = to_ident(&f.rust);
        match (f.required, &f.ty, f.idempotency_token) {
            (true, TypeIr::String, true) => quote!(#n: crate::runtime::idempotency_token()),
            (false, TypeIr::String, true) => quote!(#n: Some(crate::runtime::idempotency_token())),
            (true, TypeIr::String, false) => quote!(#n: #n.into()),
            (true, _, _) if f.boxed => quote!(#n: Box::new(#n)),
            (true, _, _) => quote!(#n),
            (false, _, _) => quote!(#n: None),
        }
    });
    let id_init = header_id.then(|| quote!(#id_field: None,));
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let tokens = s.fields.iter().any(|f| f.idempotency_token && f.ty == TypeIr::String);
    let new_doc = doc_attrs(&doc![
        if required.is_empty() { "Creates a value with every optional member absent." } else { "Creates a value from the required members; the optional ones are absent." },
        if tokens { " Each idempotency token is a fresh random UUID (override it with its `with_` method to retry a request)." } else { "" }
    ]);
    // Without required members (and tokens) every field is optional, so
    // `Default` is the same as `new()` (and clippy asks for it).
    let derive_default = if required.is_empty() && !tokens { quote!(Default,) } else { quote!() };

    // `request_id()` of a response: its member, or the header's field.
    let request_id = s.request_id.as_ref().map(|source| {
        let (body, doc) = match source {
            RequestIdIr::Header(h) => (
                quote!(self.#id_field.as_deref()),
                doc!["The request ID the service assigned, from the response header ", Doc::code(h), " (`None` for a value not made by `from_http`)."],
            ),
            RequestIdIr::Member { field, wire, required } => {
                let n = to_ident(field);
                let body = if *required { quote!(Some(&self.#n)) } else { quote!(self.#n.as_deref()) };
                (body, doc!["The request ID the service assigned: the member ", Doc::code(wire), "."])
            }
            RequestIdIr::Missing(w) => (quote!(None), doc!["The request ID: always `None`, as the model gives this response no ", Doc::code(w), " member."]),
        };
        let doc = doc_attrs(&doc);
        quote! {
            #doc
            #[inline]
            pub fn request_id(&self) -> Option<&str> {
                #body
            }
        }
    });
    let accessors = s.fields.iter().filter(|f| !(request_id.is_some() && f.rust == "request_id")).map(accessor);
    let setters = s.fields.iter().filter(|f| !f.required || f.idempotency_token).map(setter);
    let id_decl = header_id.then(|| quote! {
        #id_field: Option<String>,
    });
    let id_serde = header_id.then(|| quote!(#[cfg_attr(feature = "serde", serde(skip))]));

    let schema = schema_impl(s, header_id);
    let debug_impl = s.has_sensitive.then(|| {
        let entries = s.fields.iter().map(|f| {
            let n = to_ident(&f.rust);
            let label = &f.rust;
            if f.sensitive {
                quote!(.field(#label, &#REDACTED))
            } else {
                quote!(.field(#label, &self.#n))
            }
        });
        let id_entry = header_id.then(|| {
            let label = REQUEST_ID_FIELD;
            quote!(.field(#label, &self.#id_field))
        });
        let label = &s.name;
        quote! {
            /// Members marked sensitive in the model print as `*** Sensitive Data Redacted ***`.
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* #id_entry .finish()
                }
            }
        }
    });

    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#derive_debug Clone, #derive_default PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct #name {
            #(#fields)*
            #id_serde
            #id_decl
        }

        impl #name {
            #new_doc
            #too_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #id_init }
            }

            #(#setters)*
            #(#accessors)*
            #request_id

            /// Checks every documented constraint (required members, lengths,
            /// patterns, ranges, item counts) at every depth, and returns all
            /// violations. Decoding does not call it.
            #[inline]
            pub fn validate(&self) -> Result<(), crate::runtime::ValidationErrors> {
                crate::runtime::validate(self)
            }
        }

        #debug_impl
        #schema
    }
}

/// An open string enum: documented values plus one that keeps the rest.
pub(crate) fn enumeration(e: &EnumIr) -> TokenStream {
    let doc = doc_attrs(&Doc::paragraphs([
        &e.docs,
        &doc!["The service may add values: any other value is kept in the catch-all variant and written back unchanged."],
    ]));
    let name = to_ident(&e.name);
    let unknown = to_ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let value_doc = doc_attrs(&Doc::paragraphs([&v.docs, &doc!["Wire value: ", Doc::code(&v.value), "."]]));
        let rust = to_ident(&v.rust);
        quote! { #value_doc #rust, }
    });
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let rusts: Vec<_> = e.variants.iter().map(|v| to_ident(&v.rust)).collect();
    let label = e.name.as_str();
    let values_doc = doc_attrs(&doc!["The values ", Doc::code(label), " documents, in the model's order."]);
    let task_state = e.lifecycle.as_ref().map(|l| {
        let phases = l.phases.iter().map(|p| to_ident(p));
        let cancel = to_ident(&l.cancel);
        let doc = doc_attrs(&doc!["Each documented state's phase, as the model declares it; a task can be cancelled in the states of [", Doc::code(&format!("{}::PRECONDITION_STATES", l.cancel)), "].\n\nAn undocumented state is [", Doc::code("TaskPhase::Unknown"), "](crate::TaskPhase::Unknown): not terminal, not cancellable."]);
        quote! {
            #doc
            impl crate::TaskState for #name {
                fn phase(&self) -> crate::TaskPhase {
                    match self {
                        #(Self::#rusts => crate::TaskPhase::#phases,)*
                        Self::#unknown(_) => crate::TaskPhase::Unknown,
                    }
                }

                fn is_cancellable(&self) -> bool {
                    #cancel::precondition_met(self)
                }
            }
        }
    });
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(from = "String", into = "String"))]
        pub enum #name {
            #(#variants)*
            /// A value the model does not document, kept exactly as sent
            /// (made only by `From<&str>`, so documented values never land here).
            #unknown(crate::runtime::UnknownValue),
        }

        impl #name {
            #values_doc
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#rusts => #values,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the model documents.
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#rusts,)*
                    other => Self::#unknown(crate::runtime::UnknownValue::from_undocumented(other.to_owned())),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#unknown(_) => Self::#unknown(crate::runtime::UnknownValue::from_undocumented(value)),
                    known => known,
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::#unknown(value) => value.into_string(),
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        crate::runtime::__codec_impls!(enum #name);

        #task_state
    }
}
