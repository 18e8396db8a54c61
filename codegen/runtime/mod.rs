//! Support shared by every generated service module: error metadata, the
//! operation trait, the serde forms of timestamps and blobs, and the
//! protocol codecs (XML, query strings, HTTP) the generated types call.
//!
//! These files are copied verbatim from `codegen/runtime/`.

pub mod protocol;
pub mod query;
pub mod schema;
pub mod xml;

use std::fmt;

/// A response that could not be decoded: what was wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the request: {}", self.message)
    }
}

impl std::error::Error for BuildError {}

/// What every operation's error enum can be built from, so the protocol
/// code can be shared.
pub trait OperationError: Sized {
    /// The error for a code as the service sends it.
    fn from_code(code: &str, meta: ErrorMetadata) -> Self;
    /// The error for a response that could not be decoded.
    fn invalid_response(error: DecodeError) -> Self;
}

/// What a service says about an error besides its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// For the generated `From<&str>` of enums; not public, see above.
    pub(crate) fn new(value: String) -> Self {
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnhandledError {
    /// The code as sent.
    pub code: String,
    /// The rest of what was sent.
    pub meta: ErrorMetadata,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

/// Static facts about an operation, for code that handles operations
/// generically (a client, a retry loop, a test harness).
pub trait Operation {
    /// The operation's name as the service knows it.
    const NAME: &'static str;
    /// HTTP method, where the protocol or page fixes one.
    const HTTP_METHOD: Option<&'static str>;
    /// HTTP path, where the protocol or page fixes one.
    const HTTP_PATH: Option<&'static str>;
    /// Whether repeating the call with the same input is safe.
    const IDEMPOTENT: bool;
    /// The request type.
    type Request;
    /// The response type.
    type Response;
    /// The error type.
    type Error: std::error::Error;
}

/// Adds `option`, the `Option<T>` form of the serde `with` module it is
/// invoked in, for optional members: the same wire form, or absent.
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

/// Timestamps as RFC 3339 strings (`2008-10-07T11:41:50.000Z`), EC2's
/// `xsd:dateTime`.
pub mod date_time {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// Writes RFC 3339, in the value's own offset where RFC 3339 can say
    /// it, else in UTC (the same instant). A time outside the years 0000 to
    /// 9999, which RFC 3339 cannot write, is written as absent: one member
    /// is left out rather than the whole document failing.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        match value
            .format(&Rfc3339)
            .or_else(|_| value.to_offset(time::UtcOffset::UTC).format(&Rfc3339))
        {
            Ok(text) => s.serialize_str(&text),
            Err(_) => s.serialize_none(),
        }
    }

    /// Reads RFC 3339.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        OffsetDateTime::parse(&text, &Rfc3339)
            .map_err(|e| serde::de::Error::custom(format!("invalid date-time `{text}`: {e}")))
    }

    option_module!(time::OffsetDateTime);
}

/// Timestamps as seconds since the Unix epoch, with a fraction when the
/// time has one (AWS JSON protocols).
pub mod epoch_seconds {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    /// Writes whole seconds as an integer, others as a float.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let nanos = value.unix_timestamp_nanos();
        if nanos % 1_000_000_000 == 0 {
            s.serialize_i64(value.unix_timestamp())
        } else {
            s.serialize_f64(nanos as f64 / 1e9)
        }
    }

    /// Reads an integer or a float number of seconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let seconds = f64::deserialize(d)?;
        if !seconds.is_finite() {
            return Err(serde::de::Error::custom("epoch seconds must be finite"));
        }
        // Millisecond precision is what the services send; rounding there
        // keeps `1.1` from becoming 1.099999999.
        let millis = (seconds * 1000.0).round();
        if millis.abs() > 253_402_300_799_000.0 {
            return Err(serde::de::Error::custom(format!("epoch seconds out of range: {seconds}")));
        }
        OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
            .map_err(|e| serde::de::Error::custom(format!("invalid epoch seconds {seconds}: {e}")))
    }

    option_module!(time::OffsetDateTime);
}

/// Bytes as standard base64 with padding.
pub mod base64_blob {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes base64.
    pub fn serialize<S: Serializer>(value: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(value))
    }

    /// Reads base64.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.trim())
            .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }

    option_module!(Vec<u8>);
}
