//! Fitting example data to the lowered types: the generated code's own
//! reading of the wire, so an example that fits decodes, and its wire form
//! for the IR.

use std::collections::BTreeMap;

use super::{At, Patterns, compiled};
use crate::ir::{Constraints, EnumIr, StructIr, TypeIr};
use crate::model::{self, Model, Shape};

/// The lowered types of a service, for fitting examples and preconditions.
pub(super) struct Types<'s> {
    /// Structures by Rust name.
    pub structs: BTreeMap<&'s str, &'s StructIr>,
    /// Enums.
    pub enums: &'s [EnumIr],
}

/// Fits example data against the lowered types: the generated code's own
/// reading of the wire, so an example that fits decodes.
pub(super) struct Fit<'t, 's> {
    pub model: &'t Model,
    pub types: &'t Types<'s>,
    /// The service's compiled patterns.
    pub patterns: &'t mut Patterns,
    /// (where, why) of each mismatch.
    pub out: Vec<(At, String)>,
}

impl Fit<'_, '_> {
    fn model_has_member(&self, shape: &str, member: &str) -> bool {
        matches!(self.model.shapes.get(shape), Some(Shape::Structure(s)) if s.members.iter().any(|m| m.name == member))
    }

    /// Checks that `value` fits `ty` (the type of model target `target`), and
    /// returns it in wire form: members keyed by their wire names (keys that
    /// are no member are kept, so a wrong example still fails to decode).
    pub fn value(&mut self, ty: &TypeIr, target: &str, c: &Constraints, value: &serde_yaml::Value, p: &At) -> serde_json::Value {
        use serde_yaml::Value;
        let kind = match ty {
            TypeIr::Struct(_) => "structure",
            TypeIr::List(..) => "list",
            TypeIr::Map(_) => "mapping",
            TypeIr::String | TypeIr::Enum(_) | TypeIr::Blob | TypeIr::Timestamp(model::TimestampFormat::DateTime | model::TimestampFormat::HttpDate) => "string",
            TypeIr::Timestamp(model::TimestampFormat::EpochSeconds) | TypeIr::F32 | TypeIr::F64 => "double",
            TypeIr::I32 | TypeIr::I64 => "integer",
            TypeIr::Bool => "boolean",
            // Any value is a document.
            TypeIr::Document => return plain_json(value),
        };
        match (ty, value) {
            (TypeIr::Struct(rust), Value::Mapping(map)) => {
                let Some(st) = self.types.structs.get(rust.as_str()).copied() else { return plain_json(value) };
                let mut wire = serde_json::Map::new();
                for (key, v) in map {
                    let Some(key) = key.as_str() else {
                        self.out.push((p.clone(), "a key that is not a string".into()));
                        continue;
                    };
                    match st.fields.iter().find(|f| f.member == key) {
                        Some(f) => {
                            let v = self.value(&f.ty, &f.target, &f.constraints, v, &p.key(key));
                            wire.insert(f.wire.clone(), v);
                            continue;
                        }
                        // A member whose type could not be lowered is
                        // reported where it is defined; one mistake, one error.
                        None if self.model_has_member(&st.shape, key) => {}
                        None => self.out.push((p.key(key), format!("`{target}` has no member `{key}`"))),
                    }
                    wire.insert(key.to_owned(), plain_json(v));
                }
                for f in st.fields.iter().filter(|f| f.required) {
                    if !map.contains_key(f.member.as_str()) {
                        self.out.push((p.clone(), format!("the required member `{}` of `{target}` is missing", f.member)));
                    }
                }
                return serde_json::Value::Object(wire);
            }
            (TypeIr::List(item, info), Value::Sequence(items)) => {
                let items = items.iter().enumerate();
                return items.map(|(n, v)| self.value(item, &info.item_target, &info.item_constraints, v, &p.index(n))).collect();
            }
            (TypeIr::Map(item), Value::Mapping(map)) => {
                let mut wire = serde_json::Map::new();
                for (key, v) in map {
                    let Some(key) = key.as_str() else {
                        self.out.push((p.clone(), "a key that is not a string".into()));
                        continue;
                    };
                    wire.insert(key.to_owned(), self.value(item, target, &Constraints::default(), v, &p.key(key)));
                }
                return serde_json::Value::Object(wire);
            }
            (TypeIr::String, Value::String(s)) => {
                let len = s.chars().count() as u64;
                let (min, max) = c.length;
                let contradictory = matches!((min, max), (Some(min), Some(max)) if min > max);
                if !contradictory && (min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max)) {
                    self.out.push((p.clone(), format!("`{s}` has {len} characters, outside the length of `{target}`")));
                }
                if let Some(pattern) = &c.pattern {
                    if compiled(self.patterns, pattern).as_ref().is_ok_and(|re| !re.is_match(s)) {
                        self.out.push((p.clone(), format!("`{s}` does not match the pattern of `{target}`")));
                    }
                }
            }
            (_, Value::String(_)) if kind == "string" => {}
            (_, Value::Number(n)) if kind == "integer" && (n.is_i64() || n.is_u64()) => {}
            (_, Value::Number(_)) if kind == "double" => {}
            (_, Value::Bool(_)) if kind == "boolean" => {}
            (_, value) => self.out.push((p.clone(), format!("expected {} for `{target}`, found {}", article(kind), describe(value)))),
        }
        plain_json(value)
    }
}

/// YAML data as JSON, unchanged in shape.
fn plain_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
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

