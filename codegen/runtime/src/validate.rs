//! Opt-in validation of generated values against their models'
//! constraints: the `validate()` of every generated structure.
//!
//! It walks the value through its schema ([`Shape`]) at every depth and
//! collects *every* violation, each named by its path of wire names
//! (`Filters[1].Name`) and the rule it breaks with the bound
//! (`TaskId: length 5 is below the minimum 12`). No message quotes the
//! value, so a sensitive member cannot leak through one.
//!
//! Decoders never call it: a service may relax a constraint, and a client
//! built from an older model must keep reading what the service sends.
//! Patterns are compiled once per process (the `regex` crate: linear time
//! in the text).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use crate::schema::{Kind, Ref, Rules, Shape, StructSchema};

/// Every violation found in a value, in member order.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

/// One broken rule.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where, by wire names: `TaskId`, `Filters[1].Name`, `Tags["k"]`.
    pub path: String,
    /// Which rule, and its bound.
    pub rule: Rule,
}

/// A rule a value breaks.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A required member is absent.
    Required,
    /// Text shorter than the minimum (length, minimum), in characters.
    MinLength(u64, u64),
    /// Text longer than the maximum (length, maximum).
    MaxLength(u64, u64),
    /// Text that does not match the pattern.
    Pattern(&'static str),
    /// A number below the minimum (value, minimum).
    Min(f64, f64),
    /// A number above the maximum (value, maximum).
    Max(f64, f64),
    /// Fewer items than the minimum (count, minimum).
    MinItems(u64, u64),
    /// More items than the maximum (count, maximum).
    MaxItems(u64, u64),
    /// A pattern of the model that the `regex` crate cannot compile (the
    /// generator checks the syntax, so only a compiled size over the limit).
    BadPattern(&'static str),
    /// A union with other than exactly one member set (how many are).
    UnionMembers(usize),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required but absent"),
            Rule::MinLength(n, min) => write!(f, "length {n} is below the minimum {min}"),
            Rule::MaxLength(n, max) => write!(f, "length {n} is above the maximum {max}"),
            Rule::Pattern(p) => write!(f, "does not match the pattern `{p}`"),
            Rule::Min(n, min) => write!(f, "value {n} is below the minimum {min}"),
            Rule::Max(n, max) => write!(f, "value {n} is above the maximum {max}"),
            Rule::MinItems(n, min) => write!(f, "{n} items are below the minimum {min}"),
            Rule::MaxItems(n, max) => write!(f, "{n} items are above the maximum {max}"),
            Rule::BadPattern(p) => write!(f, "cannot be checked: the pattern `{p}` does not compile"),
            Rule::UnionMembers(n) => write!(f, "a union sets exactly one member, not {n}"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.rule)
    }
}

impl ValidationErrors {
    /// The violations, in member order.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Whether there are none (never, for a returned error).
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{n} constraint violation{}: ", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Checks `value` and everything in it; `Err` lists every violation.
pub fn validate(value: &dyn Shape) -> Result<(), ValidationErrors> {
    let mut out = Vec::new();
    walk_struct(value, value.dyn_schema(), "", &mut out);
    if out.is_empty() { Ok(()) } else { Err(ValidationErrors { violations: out }) }
}

fn walk_struct(value: &dyn Shape, schema: &StructSchema, prefix: &str, out: &mut Vec<Violation>) {
    if value.is_union() {
        let set = (0..schema.members.len()).filter(|&i| !matches!(value.field(i), Ref::Absent)).count();
        if set != 1 {
            out.push(Violation { path: prefix.to_string(), rule: Rule::UnionMembers(set) });
        }
    }
    for (i, m) in schema.members.iter().enumerate() {
        let path = if prefix.is_empty() { m.wire.to_string() } else { format!("{prefix}.{}", m.wire) };
        let v = value.field(i);
        if matches!(v, Ref::Absent) {
            if m.required {
                out.push(Violation { path, rule: Rule::Required });
            }
            continue;
        }
        walk_value(&v, m.kind, m.rules, &path, out);
    }
}

fn walk_value(value: &Ref<'_>, kind: Kind, rules: &'static Rules, path: &str, out: &mut Vec<Violation>) {
    let mut push = |rule| out.push(Violation { path: path.to_string(), rule });
    match value {
        Ref::Str(s) => {
            let n = s.chars().count() as u64;
            match rules.length {
                (Some(min), _) if n < min => push(Rule::MinLength(n, min)),
                (_, Some(max)) if n > max => push(Rule::MaxLength(n, max)),
                _ => {}
            }
            if let Some(p) = rules.pattern {
                match matches(p, s) {
                    Some(true) => {}
                    Some(false) => push(Rule::Pattern(p)),
                    None => push(Rule::BadPattern(p)),
                }
            }
        }
        Ref::Int(n) => range(*n as f64, rules, push),
        Ref::Float(n) => range(*n, rules, push),
        Ref::Struct(s) => walk_struct(*s, s.dyn_schema(), path, out),
        Ref::List(list) => {
            count(list.len() as u64, rules, push);
            if let Kind::List(ls) = kind {
                for i in 0..list.len() {
                    walk_value(&list.item(i), ls.item, ls.item_rules, &format!("{path}[{i}]"), out);
                }
            }
        }
        Ref::Map(map) => {
            let entries = map.entries();
            count(entries.len() as u64, rules, push);
            if let Kind::Map(value_kind) = kind {
                for (key, v) in entries {
                    walk_value(&v, *value_kind, &Rules::NONE, &format!("{path}[{key:?}]"), out);
                }
            }
        }
        Ref::Absent | Ref::Bool(_) | Ref::Time(_) | Ref::Blob(_) | Ref::Document(_) => {}
    }
}

fn range(n: f64, rules: &Rules, mut push: impl FnMut(Rule)) {
    match rules.range {
        (Some(min), _) if n < min => push(Rule::Min(n, min)),
        (_, Some(max)) if n > max => push(Rule::Max(n, max)),
        _ => {}
    }
}

fn count(n: u64, rules: &Rules, mut push: impl FnMut(Rule)) {
    match rules.items {
        (Some(min), _) if n < min => push(Rule::MinItems(n, min)),
        (_, Some(max)) if n > max => push(Rule::MaxItems(n, max)),
        _ => {}
    }
}

/// The compiled-size limit of a pattern: vendor patterns are small (the
/// generator refuses huge ones), so a bigger one is not worth the memory.
const PATTERN_SIZE_LIMIT: usize = 1 << 22;

/// Whether `text` matches `pattern`; `None` when it does not compile.
/// Each pattern is compiled once per process.
fn matches(pattern: &'static str, text: &str) -> Option<bool> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked while inserting;
    // the map is still usable.
    let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let re = cache
        .entry(pattern)
        .or_insert_with(|| regex::RegexBuilder::new(pattern).size_limit(PATTERN_SIZE_LIMIT).build().ok());
    re.as_ref().map(|re| re.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ListSchema, MemberSchema, Location, Field, Empty, Slot};

    static ID: Rules = Rules { length: (Some(3), Some(5)), pattern: Some("^id-[a-z]*$"), ..Rules::NONE };
    static COUNT: Rules = Rules { range: (Some(1.0), Some(10.0)), ..Rules::NONE };
    static TWO: Rules = Rules { items: (Some(1), Some(2)), ..Rules::NONE };

    #[derive(Debug, Default)]
    struct Inner {
        id: Option<String>,
    }
    #[derive(Debug, Default)]
    struct Outer {
        count: Option<i32>,
        inners: Option<Vec<Inner>>,
        name: Option<String>,
    }

    impl Shape for Inner {
        fn schema() -> &'static StructSchema {
            static S: StructSchema = StructSchema {
                name: "Inner",
                members: &[MemberSchema { wire: "Id", query: "Id", kind: Kind::String, required: false, location: Location::Body, rules: &ID, sensitive: true }],
            };
            &S
        }
        fn dyn_schema(&self) -> &'static StructSchema {
            Self::schema()
        }
        fn field(&self, index: usize) -> Ref<'_> {
            match index {
                0 => self.id.get(),
                _ => Ref::Absent,
            }
        }
        fn field_mut(&mut self, _: usize) -> Option<Slot<'_>> {
            None
        }
    }
    impl Empty for Inner {
        fn empty() -> Self {
            Inner::default()
        }
    }
    crate::__codec_impls!(shape Inner);

    impl Shape for Outer {
        fn schema() -> &'static StructSchema {
            static S: StructSchema = StructSchema {
                name: "Outer",
                members: &[
                    MemberSchema { wire: "Count", query: "Count", kind: Kind::Integer, required: false, location: Location::Body, rules: &COUNT, sensitive: false },
                    MemberSchema {
                        wire: "Inners",
                        query: "Inner",
                        kind: Kind::List(&ListSchema { item: Kind::Struct(<Inner as Shape>::schema), xml_item: "item", item_rules: &Rules::NONE, flattened: false }),
                        required: false,
                        location: Location::Body,
                        rules: &TWO,
                        sensitive: false,
                    },
                    MemberSchema { wire: "Name", query: "Name", kind: Kind::String, required: true, location: Location::Body, rules: &Rules::NONE, sensitive: false },
                ],
            };
            &S
        }
        fn dyn_schema(&self) -> &'static StructSchema {
            Self::schema()
        }
        fn field(&self, index: usize) -> Ref<'_> {
            match index {
                0 => self.count.get(),
                1 => self.inners.get(),
                2 => self.name.get(),
                _ => Ref::Absent,
            }
        }
        fn field_mut(&mut self, _: usize) -> Option<Slot<'_>> {
            None
        }
    }

    fn messages(value: &Outer) -> Vec<String> {
        match validate(value) {
            Ok(()) => vec![],
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn every_violation_is_reported_with_its_path_and_bound() {
        let inner = |id: &str| Inner { id: Some(id.into()) };
        let value = Outer { count: Some(0), inners: Some(vec![inner("id-a"), inner("x"), inner("id-abcdef")]), name: None };
        assert_eq!(
            messages(&value),
            [
                "Count: value 0 is below the minimum 1",
                "Inners: 3 items are above the maximum 2",
                "Inners[1].Id: length 1 is below the minimum 3",
                "Inners[1].Id: does not match the pattern `^id-[a-z]*$`",
                "Inners[2].Id: length 9 is above the maximum 5",
                "Name: is required but absent",
            ]
        );
        let Err(err) = validate(&value) else { panic!("invalid") };
        assert_eq!(err.len(), 6);
        assert!(err.to_string().starts_with("6 constraint violations: Count: value 0"), "{err}");
        assert!(!err.to_string().contains("id-abcdef"), "no message quotes a value");
    }

    #[test]
    fn a_value_within_every_bound_is_valid() {
        let value = Outer { count: Some(10), inners: Some(vec![Inner { id: Some("id-ab".into()) }]), name: Some(String::new()) };
        assert_eq!(messages(&value), Vec::<String>::new());
        let value = Outer { count: Some(11), inners: Some(vec![]), name: Some("n".into()) };
        assert_eq!(messages(&value), ["Count: value 11 is above the maximum 10", "Inners: 0 items are below the minimum 1"]);
    }

    crate::schema::test_shape!(union Choice {
        text: Option<String> = ("Text", "Text", Kind::String, false),
        number: Option<i32> = ("Number", "Number", Kind::Integer, false),
    });

    crate::schema::test_shape!(Holder {
        choice: Option<Choice> = ("Choice", "Choice", Kind::Struct(<Choice as Shape>::schema), false),
    });

    #[test]
    fn a_union_sets_exactly_one_member() {
        let holder = |text: Option<&str>, number: Option<i32>| Holder { choice: Some(Choice { text: text.map(Into::into), number }) };
        let messages = |value: &Holder| validate(value).err().map(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>());
        assert_eq!(messages(&holder(Some("a"), None)), None);
        assert_eq!(messages(&holder(None, Some(1))), None);
        assert_eq!(messages(&holder(None, None)), Some(vec!["Choice: a union sets exactly one member, not 0".to_string()]));
        assert_eq!(messages(&holder(Some("a"), Some(1))), Some(vec!["Choice: a union sets exactly one member, not 2".to_string()]));
        assert_eq!(messages(&Holder { choice: None }), None, "an absent union is an absent member");
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_reported_not_panicked() {
        assert_eq!(matches("(", "x"), None);
        assert_eq!(matches("^a", "ab"), Some(true));
        assert_eq!(matches("b", "ab"), Some(true), "a pattern matches anywhere unless anchored");
    }
}
