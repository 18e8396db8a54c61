//! Documents: untyped JSON values that a model leaves open (Smithy's
//! `document` shape, botocore's `"document": true` structure).
//!
//! A [`Document`] member carries any JSON value. Only the JSON protocols
//! can carry one (the generator refuses a document under a query or XML
//! protocol); the JSON codec writes it as it is and reads whatever the
//! service sends, and `validate()` has nothing to check in it.

use std::collections::BTreeMap;

/// Any JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(untagged))]
pub enum Document {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object, by key.
    Object(BTreeMap<String, Document>),
}

/// A number of a document, kept as exact as JSON sent it: a whole number
/// as an integer (unsigned when not negative), anything else as a float.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(untagged))]
pub enum Number {
    /// A whole number, 0 or more.
    PosInt(u64),
    /// A negative whole number.
    NegInt(i64),
    /// A number with a fraction or an exponent.
    Float(f64),
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Document::String(value.to_string())
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Document::String(value)
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

impl From<i64> for Document {
    fn from(value: i64) -> Self {
        Document::Number(match u64::try_from(value) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(value),
        })
    }
}

impl From<f64> for Document {
    fn from(value: f64) -> Self {
        Document::Number(Number::Float(value))
    }
}

impl From<Vec<Document>> for Document {
    fn from(value: Vec<Document>) -> Self {
        Document::Array(value)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(value: BTreeMap<String, Document>) -> Self {
        Document::Object(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_keep_integers_exact_and_signed_as_they_are() {
        assert_eq!(Document::from(7i64), Document::Number(Number::PosInt(7)));
        assert_eq!(Document::from(-7i64), Document::Number(Number::NegInt(-7)));
        assert_eq!(Document::from(0.5), Document::Number(Number::Float(0.5)));
        assert_eq!(Document::from("a"), Document::String("a".into()));
        assert_eq!(Document::default(), Document::Null);
    }
}
