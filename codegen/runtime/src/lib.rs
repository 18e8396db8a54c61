//! The runtime of the generated crate `cloud-api-types`: what every
//! generated service module shares, tested here rather than copied into
//! the generated crate.
//!
//! Its public API, re-exported as `cloud_api_types::runtime`, is:
//!
//! - [`Operation`] and [`ServiceError`], the traits every generated
//!   operation marker type and every `<Op>Error` implement, so code can
//!   handle operations generically (a client, a retry loop, a test);
//! - the values those errors carry: [`ErrorMetadata`], [`ErrorFault`],
//!   [`UnhandledError`], [`DecodeError`] and [`BuildError`];
//! - [`UnknownValue`], the value of an enum's catch-all variant, and
//!   [`UndocumentedError`], the error of every operation whose model
//!   documents no error codes;
//! - [`ValidationErrors`] (with [`Violation`] and [`Rule`]), what the
//!   generated `validate()` returns: every broken constraint with its path;
//! - [`retry`], the one place where retry classes are decided: the model's
//!   flags, the vendors' known codes, then the HTTP status;
//! - [`TaskPhase`] and [`TaskState`], one lifecycle for the task-state
//!   enums of every service, and [`Waiter`], a vendor waiter as data;
//! - [`idempotency_token`], the fresh UUID v4 that `new()` puts in an
//!   idempotency token member;
//! - with the feature `alibaba-signer`, `alibaba::sign`, which signs an
//!   Alibaba Cloud RPC request (HMAC-SHA1, `SignatureVersion` 1.0) with a
//!   nonce and timestamp the caller supplies.
//!
//! Everything else (the protocol codecs, the schemas of generated
//! structures, the wire forms of timestamps and blobs) is called only by
//! generated code: it is public so that the generated crate can reach it,
//! hidden from the docs, and not part of the API's stability promise. The
//! codecs are written once, here: each walks a value through its type's
//! static schema (`schema::Shape`), so a generated type carries no
//! serializer of its own.
//!
//! # Features
//!
//! One per protocol family, so a crate compiles only what its services
//! speak (the generated crate turns on what each of its service features
//! needs):
//!
//! - `json`: JSON bodies and the JSON error styles (AWS JSON 1.1,
//!   AWS REST-JSON, and the responses of Alibaba RPC);
//! - `query`: query-string and form encoding of requests (EC2 query,
//!   Alibaba RPC);
//! - `xml`: EC2's XML responses and errors (pulls in `quick-xml`);
//! - `serde`: serde forms of the shared types and of timestamps and blobs,
//!   for the generated crate's own `serde` feature (off by default);
//! - `alibaba-signer`: the `alibaba` module, the signer of Alibaba Cloud
//!   RPC requests (pulls in `hmac` and `sha1`; off by default);
//! - `gzip`: `protocol::compress`, the gzip request compression of the
//!   operations that carry it (pulls in `flate2`; off by default, the
//!   generated crate turns it on for the services that need it).
//!
//! `json`, `query` and `xml` are on by default.

mod document;
mod lifecycle;
#[cfg(feature = "alibaba-signer")]
pub mod alibaba;
#[cfg(feature = "gzip")]
mod compress;
#[doc(hidden)]
pub mod protocol;
pub mod retry;
mod validate;

pub use document::{Document, Number};
pub use lifecycle::{Acceptor, Matcher, TaskPhase, TaskState, Waiter, WaiterState};
pub use validate::{Rule, ValidationErrors, Violation};
/// Validation through a value's schema; called by the generated `validate()`.
#[doc(hidden)]
pub use validate::validate;

/// A fresh idempotency token: a random (version 4) UUID, as the generated
/// `new()` of a request with an idempotency token member fills it.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}
#[cfg(feature = "json")]
#[doc(hidden)]
pub mod json;
#[cfg(feature = "query")]
#[doc(hidden)]
pub mod query;
#[doc(hidden)]
pub mod schema;
#[cfg(feature = "xml")]
#[doc(hidden)]
pub mod xml;

use std::fmt;

/// A response that could not be decoded: what was wrong, and where.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DecodeError {
    /// Dotted path of the field (`bundleInstanceTask.startTime`), empty for
    /// the document as a whole.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The HTTP status of the response, when it came over HTTP.
    pub http_status: Option<u16>,
}

impl DecodeError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
            http_status: None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "invalid response: {}", self.message)
        } else {
            write!(f, "invalid response at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// A request that could not be built (an endpoint that is not a URI, or a
/// value that has no wire form).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// What was wrong.
    pub message: String,
}

impl BuildError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        BuildError { message: message.into() }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the request: {}", self.message)
    }
}

impl std::error::Error for BuildError {}

/// What every operation's error enum can be built from, so the protocol
/// code can be shared. Implemented by generated code only.
#[doc(hidden)]
pub trait OperationError: Sized {
    /// The error for a code as the service sends it.
    fn from_code(code: &str, meta: ErrorMetadata) -> Self;
    /// The error for a response that could not be decoded.
    fn invalid_response(error: DecodeError) -> Self;
    /// The error for a code, with the members it carries besides its
    /// message read from the response by `body` (`protocol::error_from`
    /// calls it once per error response). An error whose model gives it no
    /// such members is `from_code`'s, which is what this default does; a
    /// member that does not decode is the `DecodeError`.
    fn from_response(code: &str, meta: ErrorMetadata, body: &protocol::ErrorBody<'_>) -> Result<Self, DecodeError> {
        let _ = body;
        Ok(Self::from_code(code, meta))
    }
    /// The members the error carries besides its code and message, for
    /// code that walks values through their schema (a test harness); `None`
    /// for an error without any.
    fn details(&self) -> Option<&dyn schema::Shape> {
        None
    }
}

/// What every generated error enum has in common, written once here
/// instead of in every enum: the inherent `message()` and `request_id()`
/// (read from its `meta()`), and the trait impls, which forward to its
/// inherent methods: [`ServiceError`], `OperationError`, `Display` and
/// `std::error::Error` (the variant `$invalid` holds a [`DecodeError`]).
///
/// Errors with members of their own besides the message follow with
/// `, "Code" => Variant(Details), ...`: each such variant holds its
/// `ErrorMetadata` and a boxed `Details` structure, which `OperationError`'s
/// `from_response` reads from the response and `details` shows.
/// Generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_impls {
    ($name:ident, $invalid:ident) => {
        $crate::__error_impls!(@common $name, $invalid);

        impl $crate::OperationError for $name {
            fn from_code(code: &str, meta: $crate::ErrorMetadata) -> Self {
                Self::from_code(code, meta)
            }

            fn invalid_response(error: $crate::DecodeError) -> Self {
                Self::$invalid(error)
            }
        }
    };
    ($name:ident, $invalid:ident, $($code:literal => $variant:ident($details:ty)),+ $(,)?) => {
        $crate::__error_impls!(@common $name, $invalid);

        impl $crate::OperationError for $name {
            fn from_code(code: &str, meta: $crate::ErrorMetadata) -> Self {
                Self::from_code(code, meta)
            }

            fn invalid_response(error: $crate::DecodeError) -> Self {
                Self::$invalid(error)
            }

            fn from_response(
                code: &str,
                meta: $crate::ErrorMetadata,
                body: &$crate::protocol::ErrorBody<'_>,
            ) -> Result<Self, $crate::DecodeError> {
                Ok(match code {
                    $($code => Self::$variant(meta, Box::new(body.decode::<$details>()?)),)+
                    _ => Self::from_code(code, meta),
                })
            }

            fn details(&self) -> Option<&dyn $crate::schema::Shape> {
                match self {
                    $(Self::$variant(_, details) => Some(&**details),)+
                    _ => None,
                }
            }
        }
    };
    (@common $name:ident, $invalid:ident) => {
        impl $name {
            /// The message the service sent, if any.
            pub fn message(&self) -> Option<&str> {
                self.meta().and_then(|m| m.message.as_deref())
            }

            /// The request ID the service sent, if any.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().and_then(|m| m.request_id.as_deref())
            }
        }

        impl $crate::ServiceError for $name {
            fn code(&self) -> Option<&str> {
                Self::code(self)
            }

            fn message(&self) -> Option<&str> {
                Self::message(self)
            }

            fn request_id(&self) -> Option<&str> {
                Self::request_id(self)
            }

            fn http_status(&self) -> Option<u16> {
                Self::http_status(self)
            }

            fn fault(&self) -> Option<$crate::ErrorFault> {
                Self::fault(self)
            }

            fn is_retryable(&self) -> bool {
                Self::is_retryable(self)
            }

            fn is_throttling(&self) -> bool {
                Self::is_throttling(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match (self, self.code(), self.message()) {
                    (Self::$invalid(e), _, _) => e.fmt(f),
                    (_, Some(code), Some(message)) => write!(f, "{code}: {message}"),
                    (_, code, _) => f.write_str(code.unwrap_or_default()),
                }
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::$invalid(e) => Some(e),
                    _ => None,
                }
            }
        }
    };
}

/// What a service says about an error besides its code.
///
/// Build one with [`ErrorMetadata::default`] or [`ErrorMetadata::with_message`]
/// and set its fields; more may be added.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorMetadata {
    /// The message, as sent.
    pub message: Option<String>,
    /// The request ID the service assigned, as sent.
    pub request_id: Option<String>,
    /// The HTTP status of the response the error came in.
    pub http_status: Option<u16>,
}

impl ErrorMetadata {
    /// Metadata with a message only.
    pub fn with_message(message: impl Into<String>) -> Self {
        ErrorMetadata {
            message: Some(message.into()),
            ..Self::default()
        }
    }
}

/// An enum value the model does not document, kept exactly as sent.
///
/// Only the enum's `From<&str>` makes one, and only for a value that is not
/// documented, so every wire value has exactly one representation:
/// `"PENDING"` is always the `Pending` variant, never an unknown one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For the generated `From<&str>` of enums only, which calls it for
    /// values the enum does not document; hidden, see above.
    #[doc(hidden)]
    pub fn from_undocumented(value: String) -> Self {
        UnknownValue(value)
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as sent, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An error code the model does not document, kept as sent.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnhandledError {
    /// The code as sent.
    pub code: String,
    /// The rest of what was sent.
    pub meta: ErrorMetadata,
}

impl UnhandledError {
    /// The error for `code`, with what else was sent.
    pub fn new(code: impl Into<String>, meta: ErrorMetadata) -> Self {
        UnhandledError { code: code.into(), meta }
    }
}

/// The error of an operation whose model documents no error codes (all of
/// EC2's: its codes are shared across the API), so that such operations
/// share one type instead of one identical enum each: their `<Op>Error` is
/// an alias of this. Every code the service sends is kept in `Unhandled`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UndocumentedError {
    /// An error code, as sent.
    Unhandled(UnhandledError),
    /// A response that could not be decoded: what was wrong, and where.
    InvalidResponse(DecodeError),
}

impl UndocumentedError {
    /// The error codes the operation documents: none.
    pub const CODES: &'static [&'static str] = &[];

    /// The error for a code as the service sends it; the code is kept.
    pub fn from_code(code: &str, meta: ErrorMetadata) -> Self {
        Self::Unhandled(UnhandledError::new(code, meta))
    }

    /// The error code as sent on the wire; `None` when the response could
    /// not be decoded.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Unhandled(e) => Some(&e.code),
            Self::InvalidResponse(_) => None,
        }
    }

    /// What the service said besides the code.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            Self::Unhandled(e) => Some(&e.meta),
            Self::InvalidResponse(_) => None,
        }
    }

    /// The HTTP status, as received.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Unhandled(e) => e.meta.http_status,
            Self::InvalidResponse(e) => e.http_status,
        }
    }

    /// Whose fault the error is: not documented, so by the HTTP status
    /// (4xx the client's, 5xx the service's).
    pub fn fault(&self) -> Option<ErrorFault> {
        retry::fault_of_status(self.http_status())
    }

    /// Whether retrying the same request may succeed: by the vendors' known
    /// codes, else the HTTP status (see [`retry`]).
    pub fn is_retryable(&self) -> bool {
        retry::is_retryable(None, self.code(), self.http_status())
    }

    /// Whether the error asks the caller to slow down: by the vendors'
    /// known codes, else HTTP 429 (see [`retry`]).
    pub fn is_throttling(&self) -> bool {
        retry::is_throttling(None, self.code(), self.http_status())
    }
}

mod undocumented {
    use super::UndocumentedError;
    crate::__error_impls!(UndocumentedError, InvalidResponse);
}

/// Whose fault an error is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ErrorFault {
    /// The request was wrong; sending it again unchanged will fail again.
    Client,
    /// The service failed.
    Server,
}

impl fmt::Display for ErrorFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorFault::Client => "client",
            ErrorFault::Server => "server",
        })
    }
}

/// An operation of a service, implemented by its generated marker type
/// (`aws::fsx::CancelDataRepositoryTask`), for code that handles operations
/// generically: a client, a retry loop, a test harness.
///
/// ```
/// use cloud_api_runtime::{Operation, ServiceError};
///
/// /// Whether a failed call of any operation is worth repeating.
/// fn retry<O: Operation>(error: &O::Error) -> bool {
///     error.is_retryable()
/// }
/// ```
pub trait Operation {
    /// The operation's name as the service knows it (`CancelBundleTask`).
    const NAME: &'static str;
    /// The request type, `<Op>Request`.
    type Request;
    /// The response type, `<Op>Response`.
    type Response;
    /// The error type, `<Op>Error`.
    type Error: ServiceError;
    /// The unsigned HTTP request for `request` to `endpoint` (`https://host`),
    /// as the service's protocol sends it.
    fn to_http(request: &Self::Request, endpoint: &str) -> Result<http::Request<Vec<u8>>, BuildError>;
    /// The typed response of a 2xx response, else the typed error.
    fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Self::Response, Self::Error>;
}

/// What every operation's error says, implemented by every generated
/// `<Op>Error`: the same accessors they have as inherent methods.
pub trait ServiceError: std::error::Error + Send + Sync + 'static {
    /// The error code as sent on the wire; `None` when the response could
    /// not be decoded.
    fn code(&self) -> Option<&str>;
    /// The message the service sent, if any.
    fn message(&self) -> Option<&str>;
    /// The request ID the service sent, if any.
    fn request_id(&self) -> Option<&str>;
    /// The HTTP status: as received, else as documented.
    fn http_status(&self) -> Option<u16>;
    /// Whose fault the error is, as documented.
    fn fault(&self) -> Option<ErrorFault>;
    /// Whether retrying the same request may succeed.
    fn is_retryable(&self) -> bool;
    /// Whether the error asks the caller to slow down.
    fn is_throttling(&self) -> bool;
}

/// Adds `serialize` and `deserialize`, the serde form of a timestamp
/// written as text, to the module it is invoked in, from the module's own
/// `format` and `parse`.
#[cfg(feature = "serde")]
macro_rules! text_serde {
    ($what:literal) => {
        #[doc = concat!("The serde form (feature `serde`): ", $what, ".")]
        pub fn serialize<S: serde::Serializer>(value: &time::OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&format(value).map_err(serde::ser::Error::custom)?)
        }

        /// Reads the serde form.
        pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<time::OffsetDateTime, D::Error> {
            let text = <String as serde::Deserialize>::deserialize(d)?;
            parse(&text).map_err(serde::de::Error::custom)
        }
    };
}

/// Adds `option`, the `Option<T>` form of the serde `with` module it is
/// invoked in, for optional members: the same wire form, or absent.
#[cfg(feature = "serde")]
macro_rules! option_module {
    ($ty:ty) => {
        /// The same, for optional members.
        pub mod option {
            use serde::{Deserialize, Deserializer, Serializer};

            /// Writes the value (absent values are skipped by the field).
            pub fn serialize<S: Serializer>(value: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                match value {
                    Some(v) => super::serialize(v, s),
                    None => s.serialize_none(),
                }
            }

            /// Reads the value, or null as absent.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                #[derive(Deserialize)]
                struct Wrapped(#[serde(with = "super")] $ty);
                Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(v)| v))
            }
        }
    };
}

/// Adds `nested`, the form of the serde `with` module it is invoked in for
/// lists, maps and options of the value, however nested
/// (`Option<Vec<BTreeMap<String, T>>>`): each value in the module's wire
/// form, where serde's own would be wrong (a time has none, a blob would be
/// an array of numbers).
#[cfg(feature = "serde")]
macro_rules! nested_module {
    ($ty:ty) => {
        /// The same, for lists, maps and options of values, however nested.
        pub mod nested {
            use std::collections::BTreeMap;

            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            /// A value, or a list, map or option of them, in the module's
            /// wire form.
            pub trait Nested: Sized {
                /// Writes it.
                fn put<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
                /// Reads it.
                fn take<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
            }

            struct Out<'a, T>(&'a T);

            impl<T: Nested> Serialize for Out<'_, T> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    self.0.put(s)
                }
            }

            struct In<T>(T);

            impl<'de, T: Nested> Deserialize<'de> for In<T> {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    T::take(d).map(In)
                }
            }

            impl Nested for $ty {
                fn put<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    super::serialize(self, s)
                }
                fn take<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    super::deserialize(d)
                }
            }

            impl<T: Nested> Nested for Vec<T> {
                fn put<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_seq(self.iter().map(Out))
                }
                fn take<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    Ok(Vec::<In<T>>::deserialize(d)?.into_iter().map(|In(v)| v).collect())
                }
            }

            impl<T: Nested> Nested for BTreeMap<String, T> {
                fn put<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_map(self.iter().map(|(k, v)| (k, Out(v))))
                }
                fn take<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    Ok(BTreeMap::<String, In<T>>::deserialize(d)?.into_iter().map(|(k, In(v))| (k, v)).collect())
                }
            }

            impl<T: Nested> Nested for Option<T> {
                fn put<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    match self {
                        Some(v) => v.put(s),
                        None => s.serialize_none(),
                    }
                }
                fn take<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    Ok(Option::<In<T>>::deserialize(d)?.map(|In(v)| v))
                }
            }

            /// Writes the value.
            pub fn serialize<T: Nested, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
                value.put(s)
            }

            /// Reads the value.
            pub fn deserialize<'de, T: Nested, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
                T::take(d)
            }
        }
    };
}

/// Timestamps as RFC 3339 strings (`2008-10-07T11:41:50.000Z`), EC2's
/// `xsd:dateTime`.
#[doc(hidden)]
pub mod date_time {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// RFC 3339, in the value's own offset where RFC 3339 can say it, else
    /// in UTC (the same instant); a time outside the years 0000 to 9999,
    /// which RFC 3339 cannot write, is an error.
    pub fn format(value: &OffsetDateTime) -> Result<String, String> {
        value
            .format(&Rfc3339)
            .or_else(|_| value.to_offset(time::UtcOffset::UTC).format(&Rfc3339))
            .map_err(|_| format!("{value} is outside the years RFC 3339 can write"))
    }

    /// Reads RFC 3339.
    pub fn parse(text: &str) -> Result<OffsetDateTime, String> {
        OffsetDateTime::parse(text, &Rfc3339).map_err(|e| format!("invalid date-time `{text}`: {e}"))
    }

    #[cfg(feature = "serde")]
    text_serde!("the RFC 3339 string");

    #[cfg(feature = "serde")]
    option_module!(time::OffsetDateTime);
    #[cfg(feature = "serde")]
    nested_module!(time::OffsetDateTime);
}

/// Timestamps as seconds since the Unix epoch, with a fraction when the
/// time has one (AWS JSON protocols).
#[doc(hidden)]
pub mod epoch_seconds {
    use time::OffsetDateTime;

    /// Whole seconds as an integer, others with a fraction.
    pub fn format(value: &OffsetDateTime) -> String {
        let nanos = value.unix_timestamp_nanos();
        if nanos % 1_000_000_000 == 0 {
            value.unix_timestamp().to_string()
        } else {
            (nanos as f64 / 1e9).to_string()
        }
    }

    /// The time `seconds` after the epoch, to the millisecond.
    pub fn from_f64(seconds: f64) -> Result<OffsetDateTime, String> {
        if !seconds.is_finite() {
            return Err("epoch seconds must be finite".into());
        }
        // Millisecond precision is what the services send; rounding there
        // keeps `1.1` from becoming 1.099999999.
        let millis = (seconds * 1000.0).round();
        if millis.abs() > 253_402_300_799_000.0 {
            return Err(format!("epoch seconds out of range: {seconds}"));
        }
        OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
            .map_err(|e| format!("invalid epoch seconds {seconds}: {e}"))
    }

    /// The serde form (feature `serde`): a number.
    #[cfg(feature = "serde")]
    pub fn serialize<S: serde::Serializer>(value: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let nanos = value.unix_timestamp_nanos();
        if nanos % 1_000_000_000 == 0 {
            s.serialize_i64(value.unix_timestamp())
        } else {
            s.serialize_f64(nanos as f64 / 1e9)
        }
    }

    /// Reads the serde form.
    #[cfg(feature = "serde")]
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        from_f64(<f64 as serde::Deserialize>::deserialize(d)?).map_err(serde::de::Error::custom)
    }

    #[cfg(feature = "serde")]
    option_module!(time::OffsetDateTime);
    #[cfg(feature = "serde")]
    nested_module!(time::OffsetDateTime);
}

/// Timestamps as HTTP dates (RFC 7231's IMF-fixdate,
/// `Tue, 29 Apr 2014 18:30:38 GMT`): the default of timestamps in REST
/// headers, and botocore's `rfc822` format. Always in GMT, to the second.
#[doc(hidden)]
pub mod http_date {
    use time::{Month, OffsetDateTime, UtcOffset, Weekday};

    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// The IMF-fixdate of the value in GMT; a fraction of a second is cut
    /// (the format has none, as botocore writes it), and a time outside the
    /// years 0000 to 9999 is an error.
    pub fn format(value: &OffsetDateTime) -> Result<String, String> {
        let t = value.to_offset(UtcOffset::UTC);
        if !(0..=9999).contains(&t.year()) {
            return Err(format!("{value} is outside the years an HTTP date can write"));
        }
        Ok(format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            DAYS[t.weekday().number_days_from_monday() as usize],
            t.day(),
            MONTHS[t.month() as usize - 1],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    }

    /// Reads an IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`), with a
    /// fraction of a second allowed after the seconds (`18:30:38.5`), as
    /// Smithy's HTTP-date reader takes it. The weekday must be the date's.
    pub fn parse(text: &str) -> Result<OffsetDateTime, String> {
        let bad = |why: &str| format!("invalid HTTP date `{text}`: {why} (expected `Tue, 29 Apr 2014 18:30:38 GMT`)");
        let parts: Vec<&str> = text.split(' ').collect();
        let [weekday, day, month, year, clock, zone] = parts[..] else { return Err(bad("not six space-separated parts")) };
        let weekday = weekday.strip_suffix(',').and_then(|w| DAYS.iter().position(|d| *d == w)).ok_or_else(|| bad("no weekday"))?;
        let number = |s: &str, len: usize| (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten();
        let day = number(day, 2).ok_or_else(|| bad("the day is not two digits"))?;
        let month = MONTHS.iter().position(|m| *m == month).ok_or_else(|| bad("no month"))?;
        let year = number(year, 4).ok_or_else(|| bad("the year is not four digits"))?;
        if zone != "GMT" {
            return Err(bad("the zone is not `GMT`"));
        }
        let (clock, fraction) = clock.split_once('.').map_or((clock, None), |(c, f)| (c, Some(f)));
        let hms: Vec<u32> = clock.split(':').filter_map(|p| number(p, 2)).collect();
        let [hour, minute, second] = hms[..] else { return Err(bad("the time is not `hh:mm:ss`")) };
        let nanos = match fraction {
            None => 0,
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
                f.parse::<u32>().unwrap_or(0) * 10u32.pow(9 - f.len() as u32)
            }
            Some(_) => return Err(bad("the fraction of a second is not 1 to 9 digits")),
        };
        let month = Month::try_from(month as u8 + 1).map_err(|e| bad(&e.to_string()))?;
        let date = time::Date::from_calendar_date(year as i32, month, day as u8).map_err(|e| bad(&e.to_string()))?;
        let clock = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos).map_err(|e| bad(&e.to_string()))?;
        let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];
        if date.weekday() != weekdays[weekday] {
            return Err(bad(&format!("the date is a {}", date.weekday())));
        }
        Ok(date.with_time(clock).assume_utc())
    }

    #[cfg(feature = "serde")]
    text_serde!("the HTTP-date string");

    #[cfg(feature = "serde")]
    option_module!(time::OffsetDateTime);

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn http_dates_are_imf_fixdates_in_gmt_to_the_second() {
            let t = OffsetDateTime::from_unix_timestamp(1398796238).expect("in range");
            assert_eq!(format(&t).expect("in range"), "Tue, 29 Apr 2014 18:30:38 GMT");
            let fraction = OffsetDateTime::from_unix_timestamp_nanos(1_576_540_098_500_000_000).expect("in range");
            assert_eq!(format(&fraction).expect("in range"), "Mon, 16 Dec 2019 23:48:18 GMT", "the fraction is cut");
            let east = t.to_offset(UtcOffset::from_hms(5, 30, 0).expect("in range"));
            assert_eq!(format(&east).expect("in range"), "Tue, 29 Apr 2014 18:30:38 GMT", "written in GMT");
            assert_eq!(format(&OffsetDateTime::UNIX_EPOCH).expect("in range"), "Thu, 01 Jan 1970 00:00:00 GMT");
            let far = OffsetDateTime::new_utc(time::Date::from_calendar_date(-1, Month::January, 1).expect("in range"), time::Time::MIDNIGHT);
            assert!(format(&far).is_err());
        }

        #[test]
        fn http_dates_read_back_and_refuse_other_forms() {
            let t = OffsetDateTime::from_unix_timestamp(1398796238).expect("in range");
            assert_eq!(parse("Tue, 29 Apr 2014 18:30:38 GMT").expect("in range"), t);
            assert_eq!(parse("Tue, 29 Apr 2014 18:30:38.25 GMT").expect("in range"), t + time::Duration::milliseconds(250));
            for bad in [
                "",
                "Tue, 29 Apr 2014 18:30:38",
                "Tue, 29 Apr 2014 18:30:38 UTC",
                "Wed, 29 Apr 2014 18:30:38 GMT",
                "Tue 29 Apr 2014 18:30:38 GMT",
                "Tue, 9 Apr 2014 18:30:38 GMT",
                "Tue, 29 Foo 2014 18:30:38 GMT",
                "Tue, 29 Apr 2014 18:30 GMT",
                "Tue, 29 Apr 2014 24:30:38 GMT",
                "Tue, 31 Apr 2014 18:30:38 GMT",
                "Tue, 29 Apr 2014 18:30:38. GMT",
                "2014-04-29T18:30:38Z",
            ] {
                assert!(parse(bad).is_err(), "{bad:?}");
            }
        }
    }
}

/// Bytes as standard base64 with padding.
#[doc(hidden)]
pub mod base64_blob {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    /// Base64 text of the bytes.
    pub fn encode(value: &[u8]) -> String {
        STANDARD.encode(value)
    }

    /// The bytes of base64 text (surrounding white space ignored).
    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        // The message names where, never which byte: a blob may be a
        // secret (EC2's upload policy), and errors are printed.
        STANDARD.decode(text.trim()).map_err(|e| match e {
            base64::DecodeError::InvalidByte(at, _) | base64::DecodeError::InvalidLastSymbol(at, _) => {
                format!("invalid base64: an invalid symbol at offset {at}")
            }
            base64::DecodeError::InvalidLength(n) => format!("invalid base64: {n} symbols is not a valid length"),
            base64::DecodeError::InvalidPadding => "invalid base64: wrong padding".to_string(),
        })
    }

    /// The serde form (feature `serde`): base64 text.
    #[cfg(feature = "serde")]
    pub fn serialize<S: serde::Serializer>(value: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(value))
    }

    /// Reads the serde form.
    #[cfg(feature = "serde")]
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        decode(&<String as serde::Deserialize>::deserialize(d)?).map_err(serde::de::Error::custom)
    }

    #[cfg(feature = "serde")]
    option_module!(Vec<u8>);
    #[cfg(feature = "serde")]
    nested_module!(Vec<u8>);
}

#[cfg(test)]
mod tests {
    use time::{OffsetDateTime, UtcOffset};

    use super::*;

    fn at(nanos: i128) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(nanos).expect("in range")
    }

    #[test]
    fn timestamps_and_blobs_have_their_wire_forms() {
        let t = at(1_223_379_710_500_000_000).to_offset(UtcOffset::from_hms(1, 0, 0).expect("offset"));
        assert_eq!(date_time::format(&t).as_deref(), Ok("2008-10-07T12:41:50.5+01:00"));
        assert_eq!(date_time::parse("2008-10-07T12:41:50.5+01:00"), Ok(t));
        assert_eq!(epoch_seconds::format(&at(1_609_459_200_100_000_000)), "1609459200.1");
        assert_eq!(epoch_seconds::format(&at(1_609_459_200_000_000_000)), "1609459200");
        assert_eq!(epoch_seconds::from_f64(1_609_459_200.1), Ok(at(1_609_459_200_100_000_000)));
        assert_eq!(base64_blob::encode(b"{\"x\":1}"), "eyJ4IjoxfQ==");
        assert_eq!(base64_blob::decode(" Zm8= ").as_deref(), Ok(&b"fo"[..]));
    }

    #[test]
    fn bad_timestamps_and_blobs_are_errors() {
        assert!(date_time::parse("yesterday").expect_err("bad").contains("invalid date-time `yesterday`"));
        assert!(epoch_seconds::from_f64(1e300).expect_err("big").contains("out of range"));
        assert!(epoch_seconds::from_f64(f64::NAN).expect_err("nan").contains("finite"));
        assert!(base64_blob::decode("!!").expect_err("blob").contains("invalid base64"));
    }

    #[test]
    fn times_rfc_3339_cannot_write_are_written_in_utc_or_refused() {
        let odd_offset = at(0).to_offset(UtcOffset::from_hms(1, 0, 30).expect("offset"));
        assert_eq!(date_time::format(&odd_offset).as_deref(), Ok("1970-01-01T00:00:00Z"));
        let year_minus_one = time::Date::from_calendar_date(-1, time::Month::January, 1).expect("date").midnight().assume_utc();
        assert!(date_time::format(&year_minus_one).expect_err("unwritable").contains("outside the years"));
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(DecodeError::new("", "bad").to_string(), "invalid response: bad");
        assert_eq!(DecodeError::new("a.b", "bad").to_string(), "invalid response at `a.b`: bad");
        assert_eq!(BuildError::new("no").to_string(), "cannot build the request: no");
        assert_eq!(ErrorFault::Server.to_string(), "server");
        let unhandled = UnhandledError::new("New", ErrorMetadata::with_message("m"));
        assert_eq!((unhandled.code.as_str(), unhandled.meta.message.as_deref()), ("New", Some("m")));
        assert_eq!(UnknownValue::from_undocumented("PAUSED".into()).as_str(), "PAUSED");
    }

    /// Lists, maps and options of timestamps and blobs keep each value's
    /// wire form under serde (feature `serde`).
    #[cfg(all(feature = "serde", feature = "json"))]
    #[test]
    fn nested_serde_forms_write_each_value_in_its_wire_form() {
        use std::collections::BTreeMap;

        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Holder {
            #[serde(with = "crate::epoch_seconds::nested")]
            times: Vec<OffsetDateTime>,
            #[serde(with = "crate::date_time::nested", default, skip_serializing_if = "Option::is_none")]
            dates: Option<Vec<Vec<OffsetDateTime>>>,
            #[serde(with = "crate::base64_blob::nested")]
            blobs: BTreeMap<String, Vec<Vec<u8>>>,
        }
        let holder = Holder {
            times: vec![at(1_000_000_000), at(1_500_000_000)],
            dates: Some(vec![vec![at(0)]]),
            blobs: BTreeMap::from([("k".to_string(), vec![b"hi".to_vec()])]),
        };
        let text = serde_json::to_string(&holder).expect("writes");
        assert_eq!(text, r#"{"times":[1,1.5],"dates":[["1970-01-01T00:00:00Z"]],"blobs":{"k":["aGk="]}}"#);
        assert_eq!(serde_json::from_str::<Holder>(&text).expect("reads"), holder);
        let absent: Holder = serde_json::from_str(r#"{"times":[],"blobs":{}}"#).expect("reads");
        assert_eq!(absent.dates, None);
        assert!(serde_json::from_str::<Holder>(r#"{"times":["x"],"blobs":{}}"#).is_err());
    }
}
