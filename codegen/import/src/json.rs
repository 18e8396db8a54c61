//! A JSON document read in document order, with lookups that name the field
//! path of whatever is wrong (`apis.Foo.parameters[3].schema.minimum`).
//!
//! Alibaba's metadata is walked by hand rather than deserialized into typed
//! structs, so that every malformed value is reported at its path (serde
//! only knows a line and column) and properties keep the order the vendor's
//! reference pages list them in (serde_json's own map sorts its keys).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::ImportError;

/// A JSON value; objects keep their keys in document order (duplicates too).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as serde_json read it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in document order.
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    pairs.push((k, v));
                }
                Ok(Json::Object(pairs))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    /// What the value is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The first value under `key`, when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value under `key`, `null` counting as absent.
    fn present(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| !matches!(v, Json::Null))
    }

    /// The object's pairs, or an error at `path`.
    pub fn object(&self, path: &str) -> Result<&[(String, Json)], ImportError> {
        match self {
            Json::Object(pairs) => Ok(pairs),
            other => Err(ImportError::new(path, format!("expected an object, found {}", other.kind()))),
        }
    }

    /// The object under `key` (absent: `None`).
    pub fn opt_object(&self, key: &str, path: &str) -> Result<Option<&[(String, Json)]>, ImportError> {
        self.present(key).map(|v| v.object(&join(path, key))).transpose()
    }

    /// The array under `key` (absent: `None`).
    pub fn opt_array(&self, key: &str, path: &str) -> Result<Option<&[Json]>, ImportError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Array(items)) => Ok(Some(items)),
            Some(other) => Err(ImportError::new(join(path, key), format!("expected an array, found {}", other.kind()))),
        }
    }

    /// The string under `key` (absent: `None`).
    pub fn opt_str(&self, key: &str, path: &str) -> Result<Option<&str>, ImportError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(other) => Err(ImportError::new(join(path, key), format!("expected a string, found {}", other.kind()))),
        }
    }

    /// The string under `key`, which must be there.
    pub fn str(&self, key: &str, path: &str) -> Result<&str, ImportError> {
        self.opt_str(key, path)?.ok_or_else(|| ImportError::new(join(path, key), format!("`{key}` is missing")))
    }

    /// A flag under `key`: a boolean, or the string `"true"` / `"false"`
    /// (absent: `false`).
    pub fn flag(&self, key: &str, path: &str) -> Result<bool, ImportError> {
        match self.present(key) {
            None => Ok(false),
            Some(Json::Bool(b)) => Ok(*b),
            Some(Json::String(s)) if s == "true" => Ok(true),
            Some(Json::String(s)) if s == "false" => Ok(false),
            Some(other) => Err(ImportError::new(join(path, key), format!("expected true or false, found {}", other.describe()))),
        }
    }

    /// A number under `key`: a JSON number, or a string holding one (the
    /// metadata writes `minimum` and `maximum` as strings); absent: `None`.
    pub fn opt_number(&self, key: &str, path: &str) -> Result<Option<f64>, ImportError> {
        let bad = |found: String| ImportError::new(join(path, key), format!("expected a number, found {found}"));
        match self.present(key) {
            None => Ok(None),
            Some(Json::Number(n)) => n.as_f64().filter(|v| v.is_finite()).map(Some).ok_or_else(|| bad(n.to_string())),
            Some(Json::String(s)) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(bad(format!("the string {s:?}"))),
            },
            Some(other) => Err(bad(other.describe())),
        }
    }

    /// A count under `key` (`maxItems`, `maxLength`): a whole number ≥ 0,
    /// or a string holding one; absent: `None`.
    pub fn opt_count(&self, key: &str, path: &str) -> Result<Option<u64>, ImportError> {
        let bad = |found: String| ImportError::new(join(path, key), format!("expected a whole number of at least 0, found {found}"));
        match self.present(key) {
            None => Ok(None),
            Some(Json::Number(n)) => n.as_u64().map(Some).ok_or_else(|| bad(n.to_string())),
            Some(Json::String(s)) => s.trim().parse::<u64>().map(Some).map_err(|_| bad(format!("the string {s:?}"))),
            Some(other) => Err(bad(other.describe())),
        }
    }

    /// A scalar as text (`example`, `default`): strings as they are, numbers
    /// and booleans written out; anything else as JSON text.
    pub fn text(&self) -> Option<String> {
        match self {
            Json::Null => None,
            Json::Bool(b) => Some(b.to_string()),
            Json::Number(n) => Some(n.to_string()),
            Json::String(s) => Some(s.clone()),
            Json::Array(_) | Json::Object(_) => Some(self.to_json_text()),
        }
    }

    /// The value as compact JSON text.
    pub fn to_json_text(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.to_string(),
            Json::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Json::Array(items) => format!("[{}]", items.iter().map(Json::to_json_text).collect::<Vec<_>>().join(",")),
            Json::Object(pairs) => format!(
                "{{{}}}",
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::Value::String(k.clone()), v.to_json_text()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    /// The value for a message: short scalars shown, containers named.
    fn describe(&self) -> String {
        match self {
            Json::String(s) => format!("the string {s:?}"),
            Json::Number(n) => format!("the number {n}"),
            Json::Bool(b) => format!("`{b}`"),
            other => other.kind().to_string(),
        }
    }
}

/// `path.key`, or `key` at the top.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}
