//! What the codecs know of a generated structure: a static schema (wire
//! names, query names, kinds, required flags) and a way to reach each
//! member's value by its index in the schema.
//!
//! Every codec (JSON, query strings, EC2 XML) is written once, here in the
//! runtime, and walks values through these traits. A generated structure
//! contributes only its schema and two small `match`es ([`Shape::field`]
//! and [`Shape::field_mut`]), instead of a serializer and a deserializer of
//! its own per protocol: generated code per type stays small, which is what
//! keeps the generated crate quick to build (a serde derive of both
//! directions expands to about 200 lines per structure).

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::Document;

/// A structure: its name and members in model order.
#[derive(Debug)]
pub struct StructSchema {
    /// The Rust type name.
    pub name: &'static str,
    /// Members in model order.
    pub members: &'static [MemberSchema],
}

/// One member of a structure.
#[derive(Debug)]
pub struct MemberSchema {
    /// Name on the wire: the JSON key, the XML element.
    pub wire: &'static str,
    /// Name in a query string.
    pub query: &'static str,
    /// What the value is.
    pub kind: Kind,
    /// Whether a decoded document must have the member.
    pub required: bool,
    /// Where a REST request carries the member, when not in its body.
    pub location: Location,
    /// What the value must satisfy (checked by `validate()` only: decoders
    /// accept what a service sends).
    pub rules: &'static Rules,
    /// A secret: `Debug` redacts it, and no message quotes it.
    pub sensitive: bool,
}

/// The documented constraints on a value; each bound is optional.
#[derive(Debug, Default)]
pub struct Rules {
    /// Fewest and most characters (Unicode scalar values) of text.
    pub length: (Option<u64>, Option<u64>),
    /// A regular expression (`regex` syntax) the text must match
    /// somewhere, as Smithy's `pattern` means it: anchors are the
    /// pattern's own.
    pub pattern: Option<&'static str>,
    /// Smallest and largest number.
    pub range: (Option<f64>, Option<f64>),
    /// Fewest and most items of a list or entries of a map.
    pub items: (Option<u64>, Option<u64>),
}

impl Rules {
    /// No constraint.
    pub const NONE: Rules = Rules { length: (None, None), pattern: None, range: (None, None), items: (None, None) };

    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length == (None, None) && self.pattern.is_none() && self.range == (None, None) && self.items == (None, None)
    }
}

/// Where a REST request carries a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the body (every protocol's default).
    Body,
    /// A label of the request path.
    Uri,
    /// A query-string parameter.
    Query,
    /// A header.
    Header,
    /// A map whose entries are headers: the member's wire name is the
    /// prefix of their names (botocore's `headers` location).
    HeaderPrefix,
    /// A header holding JSON text, sent as its base64 (botocore's
    /// `jsonvalue` header, Smithy's `@mediaType` string header).
    JsonHeader,
    /// The HTTP status code of a response.
    StatusCode,
    /// The whole body: a blob or string as it is, a structure as its JSON.
    Payload,
    /// An attribute of the structure's XML element, not a child element
    /// (botocore's `xmlAttribute`, REST-XML); its wire name is the
    /// attribute's name.
    XmlAttribute,
}

/// What a member's value is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Text, including enum values.
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// A floating-point number.
    Float,
    /// A timestamp written as RFC 3339 text.
    DateTime,
    /// A timestamp written as seconds since the Unix epoch.
    EpochSeconds,
    /// A timestamp written as an HTTP date (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
    /// Bytes, base64 on the wire.
    Blob,
    /// A structure; a function so that schemas may refer to each other.
    Struct(fn() -> &'static StructSchema),
    /// A list.
    List(&'static ListSchema),
    /// A map with string keys.
    Map(&'static Kind),
    /// Any JSON value ([`Document`]); JSON protocols only.
    Document,
    /// A map with string keys whose XML (and AWS query) form is not the
    /// default `<entry><key/><value/></entry>`: renamed keys or values, or
    /// entries repeated without a wrapper.
    XmlMap(&'static MapSchema),
}

impl Kind {
    /// What a list's items are.
    pub fn list_item(self) -> Option<Kind> {
        match self {
            Kind::List(list) => Some(list.item),
            _ => None,
        }
    }

    /// What a map's values are, for either kind of map.
    pub fn map_value(self) -> Option<Kind> {
        match self {
            Kind::Map(value) => Some(*value),
            Kind::XmlMap(map) => Some(map.value),
            _ => None,
        }
    }
}

/// A map whose XML names or layout are not the default (see
/// [`Kind::XmlMap`]).
#[derive(Debug)]
pub struct MapSchema {
    /// What each value is.
    pub value: Kind,
    /// The element (and AWS query parameter) of each key: `key` by default.
    pub xml_key: &'static str,
    /// The element (and AWS query parameter) of each value: `value` by default.
    pub xml_value: &'static str,
    /// XML: the entries are not wrapped in the member's element and then in
    /// `<entry>`; each entry is an element of the member's wire name,
    /// repeated in the structure. AWS query: `Name.N.key` for
    /// `Name.entry.N.key`.
    pub flattened: bool,
}

/// The XML names of a map kind's keys and values, and whether it is
/// flattened (the defaults for [`Kind::Map`]).
#[cfg(any(feature = "xml", feature = "query"))]
pub(crate) fn map_layout(kind: Kind) -> (&'static str, &'static str, bool) {
    match kind {
        Kind::XmlMap(m) => (m.xml_key, m.xml_value, m.flattened),
        _ => ("key", "value", false),
    }
}

/// A list.
#[derive(Debug)]
pub struct ListSchema {
    /// What each item is.
    pub item: Kind,
    /// The XML element of each item (EC2: `item`).
    pub xml_item: &'static str,
    /// What each item must satisfy.
    pub item_rules: &'static Rules,
    /// XML: the items are not wrapped in the member's element; each is an
    /// element of the member's wire name, repeated in the structure
    /// (`xml_item` is then unused).
    pub flattened: bool,
}

/// A generated structure, as the codecs see it.
#[doc(hidden)]
pub trait Shape: 'static {
    /// The structure's schema.
    fn schema() -> &'static StructSchema
    where
        Self: Sized;
    /// The same, through a reference (for codecs that hold `dyn` values).
    fn dyn_schema(&self) -> &'static StructSchema;
    /// The value of member `index` (its place in the schema).
    fn field(&self, index: usize) -> Ref<'_>;
    /// Where member `index` is read into.
    fn field_mut(&mut self, index: usize) -> Option<Slot<'_>>;
    /// Whether the structure is a union (Smithy `union`, botocore
    /// `"union": true`): every member optional, exactly one of them set.
    /// `validate()` checks that, the JSON decoder refuses an object with
    /// several; only the generated unions say `true`.
    fn is_union(&self) -> bool {
        false
    }
}

/// A value to write, as the codecs need to see it.
pub enum Ref<'a> {
    /// No value: an absent optional member (or an index past the end).
    Absent,
    /// Text (enum values included).
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A point in time.
    Time(&'a OffsetDateTime),
    /// Bytes.
    Blob(&'a [u8]),
    /// A structure.
    Struct(&'a dyn Shape),
    /// A list.
    List(&'a dyn ListRef),
    /// A map.
    Map(&'a dyn MapRef),
    /// A JSON document.
    Document(&'a Document),
}

/// A place to read a value into, as the decoders need to see it.
pub enum Slot<'a> {
    /// Text.
    Str(&'a mut String),
    /// An enum, set from its wire value.
    Enum(&'a mut dyn EnumSlot),
    /// A boolean.
    Bool(&'a mut bool),
    /// A 32-bit whole number.
    I32(&'a mut i32),
    /// A 64-bit whole number.
    I64(&'a mut i64),
    /// A 32-bit float.
    F32(&'a mut f32),
    /// A 64-bit float.
    F64(&'a mut f64),
    /// A point in time.
    Time(&'a mut OffsetDateTime),
    /// Bytes.
    Blob(&'a mut Vec<u8>),
    /// A structure.
    Struct(&'a mut dyn Shape),
    /// A list.
    List(&'a mut dyn ListSlot),
    /// A map.
    Map(&'a mut dyn MapSlot),
    /// An optional value: filled on demand, cleared by a JSON `null`.
    Option(&'a mut dyn OptionSlot),
    /// A JSON document.
    Document(&'a mut Document),
}

/// The items of a list.
#[doc(hidden)]
pub trait ListRef {
    /// How many.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Item `index`.
    fn item(&self, index: usize) -> Ref<'_>;
}

/// The entries of a map, in key order.
#[doc(hidden)]
pub trait MapRef {
    /// Every entry.
    fn entries(&self) -> Vec<(&str, Ref<'_>)>;
}

/// A list being read.
#[doc(hidden)]
pub trait ListSlot {
    /// Appends an empty item and returns where to read it.
    fn push(&mut self) -> Slot<'_>;
}

/// A map being read.
#[doc(hidden)]
pub trait MapSlot {
    /// Adds (or replaces) the entry for `key` with an empty value and returns
    /// where to read it.
    fn insert(&mut self, key: String) -> Slot<'_>;
}

/// An optional value being read.
#[doc(hidden)]
pub trait OptionSlot {
    /// Makes the value present (empty) and returns where to read it.
    fn fill(&mut self) -> Slot<'_>;
    /// Makes the value absent.
    fn clear(&mut self);
}

/// An enum being read.
#[doc(hidden)]
pub trait EnumSlot {
    /// Sets the value from its wire form (unknown values are kept).
    fn set(&mut self, value: &str);
}

/// A value a member can have: how it is written and read.
#[doc(hidden)]
pub trait Field {
    /// The value to write.
    fn get(&self) -> Ref<'_>;
    /// Where to read it.
    fn slot(&mut self) -> Slot<'_>;
}

/// The value a decoder starts from before reading a member: the empty
/// string, zero, an empty list, a structure with every member empty.
#[doc(hidden)]
pub trait Empty {
    /// The empty value.
    fn empty() -> Self;
}

macro_rules! scalar {
    ($ty:ty, $empty:expr, |$s:ident| $get:expr, $slot:ident) => {
        impl Field for $ty {
            fn get(&self) -> Ref<'_> {
                let $s = self;
                $get
            }
            fn slot(&mut self) -> Slot<'_> {
                Slot::$slot(self)
            }
        }
        impl Empty for $ty {
            fn empty() -> Self {
                $empty
            }
        }
    };
}

scalar!(String, String::new(), |s| Ref::Str(s), Str);
scalar!(bool, false, |s| Ref::Bool(*s), Bool);
scalar!(i32, 0, |s| Ref::Int(i64::from(*s)), I32);
scalar!(i64, 0, |s| Ref::Int(*s), I64);
scalar!(f32, 0.0, |s| Ref::Float(f32_decimal(*s)), F32);
scalar!(f64, 0.0, |s| Ref::Float(*s), F64);
scalar!(OffsetDateTime, OffsetDateTime::UNIX_EPOCH, |s| Ref::Time(s), Time);
scalar!(Document, Document::Null, |s| Ref::Document(s), Document);

/// The `f64` nearest the shortest decimal of an `f32`, so that every wire
/// writes `1.1f32` as `1.1` rather than as the exact binary value
/// (`1.100000023841858`), as the vendors' SDKs write single floats.
pub fn f32_decimal(value: f32) -> f64 {
    if value.is_finite() { value.to_string().parse().unwrap_or(f64::from(value)) } else { f64::from(value) }
}

impl<T: Field + Empty> Field for Option<T> {
    fn get(&self) -> Ref<'_> {
        match self {
            Some(v) => v.get(),
            None => Ref::Absent,
        }
    }
    fn slot(&mut self) -> Slot<'_> {
        Slot::Option(self)
    }
}

impl<T: Field + Empty> OptionSlot for Option<T> {
    fn fill(&mut self) -> Slot<'_> {
        self.get_or_insert_with(T::empty).slot()
    }
    fn clear(&mut self) {
        *self = None;
    }
}

impl<T> Empty for Option<T> {
    fn empty() -> Self {
        None
    }
}

/// Blobs: `Vec<u8>` is bytes, not a list of numbers.
impl Field for Vec<u8> {
    fn get(&self) -> Ref<'_> {
        Ref::Blob(self)
    }
    fn slot(&mut self) -> Slot<'_> {
        Slot::Blob(self)
    }
}

impl<T> Empty for Vec<T> {
    fn empty() -> Self {
        Vec::new()
    }
}

/// A list of `T`, as a member's value.
///
/// `Vec<u8>` is a blob, so lists go through this marker trait, implemented
/// for every item type but `u8`.
#[doc(hidden)]
pub trait Item: Field + Empty {}

impl Item for String {}
impl Item for bool {}
impl Item for i32 {}
impl Item for i64 {}
impl Item for f32 {}
impl Item for f64 {}
impl Item for Document {}
impl<T: Item> Item for Vec<T> {}
impl<T: Item> Item for BTreeMap<String, T> {}

// Timestamps and blobs as list items and map values: each item's wire form
// (RFC 3339, epoch seconds or an HTTP date, base64) is its list schema's item kind, so a
// `Vec<OffsetDateTime>` or a `Vec<Vec<u8>>` (a list of blobs: `Vec<u8>` is
// an item, `u8` is not, so `Vec<u8>` alone stays a blob) needs no type of
// its own.
impl Item for OffsetDateTime {}
impl Item for Vec<u8> {}

impl<T: Item> Field for Vec<T> {
    fn get(&self) -> Ref<'_> {
        Ref::List(self)
    }
    fn slot(&mut self) -> Slot<'_> {
        Slot::List(self)
    }
}

impl<T: Item> ListRef for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn item(&self, index: usize) -> Ref<'_> {
        <[T]>::get(self, index).map_or(Ref::Absent, Field::get)
    }
}

impl<T: Item> ListSlot for Vec<T> {
    fn push(&mut self) -> Slot<'_> {
        Vec::push(self, T::empty());
        let last = self.len() - 1;
        self[last].slot()
    }
}

impl<T: Item> Field for BTreeMap<String, T> {
    fn get(&self) -> Ref<'_> {
        Ref::Map(self)
    }
    fn slot(&mut self) -> Slot<'_> {
        Slot::Map(self)
    }
}

impl<T> Empty for BTreeMap<String, T> {
    fn empty() -> Self {
        BTreeMap::new()
    }
}

impl<T: Item> MapRef for BTreeMap<String, T> {
    fn entries(&self) -> Vec<(&str, Ref<'_>)> {
        self.iter().map(|(k, v)| (k.as_str(), v.get())).collect()
    }
}

impl<T: Item> MapSlot for BTreeMap<String, T> {
    fn insert(&mut self, key: String) -> Slot<'_> {
        use std::collections::btree_map::Entry;
        match self.entry(key) {
            Entry::Occupied(mut old) => {
                old.insert(T::empty());
                old.into_mut().slot()
            }
            Entry::Vacant(new) => new.insert(T::empty()).slot(),
        }
    }
}

// Boxes: a structure member on a cycle of structure members is held in a
// `Box` (`Box<T>`, or `Option<Box<T>>`), which the codecs, `validate()`
// and `Debug` see through: it is written and read as the `T` inside.

impl<T: Field> Field for Box<T> {
    fn get(&self) -> Ref<'_> {
        (**self).get()
    }
    fn slot(&mut self) -> Slot<'_> {
        (**self).slot()
    }
}

impl<T: Empty> Empty for Box<T> {
    fn empty() -> Self {
        Box::new(T::empty())
    }
}

impl<T: Item> Item for Box<T> {}

/// `Field`, `Empty` and `Item` for a generated structure (`shape`) or enum
/// (`enum`), written once here instead of in every generated type.
#[doc(hidden)]
#[macro_export]
macro_rules! __codec_impls {
    (shape $ty:ty) => {
        impl $crate::schema::Field for $ty {
            fn get(&self) -> $crate::schema::Ref<'_> {
                $crate::schema::Ref::Struct(self)
            }
            fn slot(&mut self) -> $crate::schema::Slot<'_> {
                $crate::schema::Slot::Struct(self)
            }
        }
        impl $crate::schema::Item for $ty {}
    };
    (enum $ty:ty) => {
        impl $crate::schema::Field for $ty {
            fn get(&self) -> $crate::schema::Ref<'_> {
                $crate::schema::Ref::Str(self.as_str())
            }
            fn slot(&mut self) -> $crate::schema::Slot<'_> {
                $crate::schema::Slot::Enum(self)
            }
        }
        impl $crate::schema::EnumSlot for $ty {
            fn set(&mut self, value: &str) {
                *self = <$ty>::from(value);
            }
        }
        impl $crate::schema::Empty for $ty {
            fn empty() -> Self {
                <$ty>::from("")
            }
        }
        impl $crate::schema::Item for $ty {}
    };
}

/// The index of the member whose wire name is `wire`.
pub fn member_index(schema: &StructSchema, wire: &str) -> Option<usize> {
    schema.members.iter().position(|m| m.wire == wire)
}

/// The text of a float in every AWS codec: the shortest decimal that
/// reads back as the same number, and `NaN`, `Infinity`, `-Infinity` for
/// the values that are not finite (Smithy's forms; JSON bodies carry them
/// as strings).
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f == f64::INFINITY {
        "Infinity".to_string()
    } else if f == f64::NEG_INFINITY {
        "-Infinity".to_string()
    } else {
        f.to_string()
    }
}

/// The float a text names when it is `NaN`, `Infinity` or `-Infinity`
/// (exactly so: Rust's own `inf` or `nan` are not AWS forms).
pub fn special_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// The text of a scalar, as query strings, REST labels and XML carry it;
/// `None` for what is not a scalar. A value with no text form (a time
/// RFC 3339 cannot write) is an error naming `name`.
pub fn scalar_text(value: &Ref<'_>, kind: Kind, name: &str) -> Result<Option<String>, super::BuildError> {
    use super::BuildError;
    Ok(Some(match value {
        Ref::Str(s) => s.to_string(),
        Ref::Bool(b) => b.to_string(),
        Ref::Int(n) => n.to_string(),
        Ref::Float(f) => float_text(*f),
        Ref::Time(t) => match kind {
            Kind::EpochSeconds => super::epoch_seconds::format(t),
            Kind::HttpDate => super::http_date::format(t).map_err(|e| BuildError::new(format!("`{name}`: {e}")))?,
            _ => super::date_time::format(t).map_err(|e| BuildError::new(format!("`{name}`: {e}")))?,
        },
        Ref::Blob(b) => super::base64_blob::encode(b),
        Ref::Document(_) => return Err(BuildError::new(format!("`{name}`: a document has no text form"))),
        Ref::Absent | Ref::Struct(_) | Ref::List(_) | Ref::Map(_) => return Ok(None),
    }))
}

/// A structure with its `Shape`, `Field` and `Empty` impls, for the
/// codecs' unit tests: `test_shape!(Name { field: Type = ("wire", "Query", kind, required) })`
/// (`test_shape!(union Name { .. })` for a union).
#[cfg(test)]
macro_rules! test_shape {
    (union $name:ident { $($field:ident : $ty:ty = ($wire:literal, $query:literal, $kind:expr, $required:literal)),* $(,)? }) => {
        $crate::schema::test_shape!(@ true, $name { $($field: $ty = ($wire, $query, $kind, $required)),* });
    };
    ($name:ident { $($field:ident : $ty:ty = ($wire:literal, $query:literal, $kind:expr, $required:literal)),* $(,)? }) => {
        $crate::schema::test_shape!(@ false, $name { $($field: $ty = ($wire, $query, $kind, $required)),* });
    };
    (@ $union:literal, $name:ident { $($field:ident : $ty:ty = ($wire:literal, $query:literal, $kind:expr, $required:literal)),* }) => {
        #[derive(Debug, Clone, PartialEq)]
        struct $name {
            $($field: $ty),*
        }
        impl $crate::schema::Shape for $name {
            fn schema() -> &'static $crate::schema::StructSchema {
                static SCHEMA: $crate::schema::StructSchema = $crate::schema::StructSchema {
                    name: stringify!($name),
                    members: &[$($crate::schema::MemberSchema {
                        wire: $wire,
                        query: $query,
                        kind: $kind,
                        required: $required,
                        location: $crate::schema::Location::Body,
                        rules: &$crate::schema::Rules::NONE,
                        sensitive: false,
                    }),*],
                };
                &SCHEMA
            }
            fn dyn_schema(&self) -> &'static $crate::schema::StructSchema {
                <Self as $crate::schema::Shape>::schema()
            }
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn field(&self, index: usize) -> $crate::schema::Ref<'_> {
                let mut i = 0;
                $(
                    if index == i {
                        return $crate::schema::Field::get(&self.$field);
                    }
                    i += 1;
                )*
                $crate::schema::Ref::Absent
            }
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn field_mut(&mut self, index: usize) -> Option<$crate::schema::Slot<'_>> {
                let mut i = 0;
                $(
                    if index == i {
                        return Some($crate::schema::Field::slot(&mut self.$field));
                    }
                    i += 1;
                )*
                None
            }
            fn is_union(&self) -> bool {
                $union
            }
        }
        impl $crate::schema::Empty for $name {
            fn empty() -> Self {
                $name { $($field: $crate::schema::Empty::empty()),* }
            }
        }
        $crate::__codec_impls!(shape $name);
    };
}
#[cfg(test)]
#[allow(unused_imports)] // used by the codecs behind features
pub(crate) use test_shape;

#[cfg(test)]
mod tests {
    use super::*;

    test_shape!(Pair {
        name: String = ("Name", "Name", Kind::String, true),
        tags: Option<BTreeMap<String, i64>> = ("Tags", "Tag", Kind::Map(&Kind::Integer), false),
        blob: Vec<u8> = ("Blob", "Blob", Kind::Blob, false),
    });

    test_shape!(Items {
        times: Vec<OffsetDateTime> = ("Times", "Times", Kind::DateTime, false),
        blobs: Vec<Vec<u8>> = ("Blobs", "Blobs", Kind::Blob, false),
        by_name: BTreeMap<String, Vec<u8>> = ("ByName", "ByName", Kind::Map(&Kind::Blob), false),
    });

    #[test]
    fn lists_of_timestamps_and_of_blobs_are_lists_whose_items_are_scalars() {
        let mut items = Items::empty();
        let Some(Slot::List(times)) = items.field_mut(0) else { panic!("a list of times") };
        assert!(matches!(times.push(), Slot::Time(_)));
        let Some(Slot::List(blobs)) = items.field_mut(1) else { panic!("a list of blobs, not one blob") };
        let Slot::Blob(b) = blobs.push() else { panic!("each item a blob") };
        b.push(7);
        let Some(Slot::Map(map)) = items.field_mut(2) else { panic!("a map") };
        assert!(matches!(map.insert("k".into()), Slot::Blob(_)));
        assert!(matches!(items.field(0), Ref::List(l) if l.len() == 1 && matches!(l.item(0), Ref::Time(_))));
        assert!(matches!(items.field(1), Ref::List(l) if matches!(l.item(0), Ref::Blob([7]))));
    }

    #[test]
    fn members_are_reached_by_index_and_filled_through_their_slots() {
        let mut pair = Pair::empty();
        assert!(matches!(pair.field(1), Ref::Absent), "an absent option");
        assert!(matches!(pair.field(2), Ref::Blob(b) if b.is_empty()), "bytes are a blob, not a list");
        assert!(matches!(pair.field(3), Ref::Absent), "past the last member");
        let Some(Slot::Str(name)) = pair.field_mut(0) else { panic!("a string slot") };
        name.push('n');
        let Some(Slot::Option(tags)) = pair.field_mut(1) else { panic!("an option slot") };
        let Slot::Map(map) = tags.fill() else { panic!("a map inside") };
        let Slot::I64(n) = map.insert("k".into()) else { panic!("an integer value") };
        *n = 7;
        assert_eq!(pair.name, "n");
        assert_eq!(pair.tags.as_ref().and_then(|t| t.get("k")), Some(&7));
        assert!(pair.field_mut(3).is_none());
        assert_eq!(member_index(Pair::schema(), "Tags"), Some(1));
    }

    #[test]
    fn floats_that_are_not_finite_have_smithy_text_forms() {
        let text = |f: f64| scalar_text(&Ref::Float(f), Kind::Float, "x").expect("a text form").expect("a scalar");
        assert_eq!([text(f64::NAN), text(f64::INFINITY), text(f64::NEG_INFINITY)], ["NaN", "Infinity", "-Infinity"]);
        assert_eq!([text(1.5), text(-0.25), text(1e300)], ["1.5", "-0.25", &1e300f64.to_string()]);
        assert!(special_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(special_float("Infinity"), Some(f64::INFINITY));
        assert_eq!(special_float("-Infinity"), Some(f64::NEG_INFINITY));
        for other in ["inf", "nan", "infinity", "+Infinity", " NaN", "1.5", ""] {
            assert_eq!(special_float(other), None, "{other:?}");
        }
    }

    #[test]
    fn single_floats_are_written_as_their_shortest_decimal() {
        assert!(matches!(1.1f32.get(), Ref::Float(f) if f == 1.1));
        assert!(matches!(4.1f32.get(), Ref::Float(f) if f.to_string() == "4.1"));
        assert!(matches!(f32::NAN.get(), Ref::Float(f) if f.is_nan()));
        assert!(matches!(f32::NEG_INFINITY.get(), Ref::Float(f) if f == f64::NEG_INFINITY));
        assert!(matches!(1.1f64.get(), Ref::Float(f) if f == 1.1));
    }

    #[test]
    fn scalar_text_writes_each_timestamp_format() {
        let t = OffsetDateTime::from_unix_timestamp(1576540098).expect("in range");
        let text = |kind| scalar_text(&Ref::Time(&t), kind, "t").expect("writes").expect("a scalar");
        assert_eq!(text(Kind::DateTime), "2019-12-16T23:48:18Z");
        assert_eq!(text(Kind::EpochSeconds), "1576540098");
        assert_eq!(text(Kind::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
    }

    // Recursive structures, as the generator emits them: a member on a
    // cycle of structure members is boxed.
    test_shape!(Chain {
        name: String = ("Name", "Name", Kind::String, true),
        next: Option<Box<Chain>> = ("Next", "Next", Kind::Struct(<Chain as Shape>::schema), false),
    });
    test_shape!(Outer {
        part: Box<Part> = ("Part", "Part", Kind::Struct(<Part as Shape>::schema), true),
    });
    test_shape!(Part {
        outer: Option<Box<Outer>> = ("Outer", "Outer", Kind::Struct(<Outer as Shape>::schema), false),
    });

    #[cfg(any(feature = "json", feature = "xml"))]
    fn chain(names: &[&str]) -> Chain {
        names.iter().rev().fold(None, |next, name| Some(Chain { name: name.to_string(), next: next.map(Box::new) })).unwrap_or_else(Chain::empty)
    }

    #[test]
    fn boxed_members_are_written_and_read_as_the_value_inside() {
        let mut value = Chain::empty();
        assert!(matches!(value.field(1), Ref::Absent), "an absent box");
        let Some(Slot::Option(next)) = value.field_mut(1) else { panic!("an option slot") };
        let Slot::Struct(inner) = next.fill() else { panic!("the structure inside the box") };
        let Some(Slot::Str(name)) = inner.field_mut(0) else { panic!("its name") };
        name.push('b');
        assert_eq!(value.next.as_deref().map(|n| n.name.as_str()), Some("b"));
        assert!(matches!(value.field(1), Ref::Struct(s) if s.dyn_schema().name == "Chain"));
        // A required box starts as the empty value inside, which ends at
        // the optional way back.
        let outer = Outer::empty();
        assert_eq!(outer.part.outer, None);
        assert!(matches!(outer.field(0), Ref::Struct(s) if s.dyn_schema().name == "Part"));
        let mut item: Vec<Box<Chain>> = Vec::empty();
        let Slot::List(list) = Field::slot(&mut item) else { panic!("a list") };
        assert!(matches!(list.push(), Slot::Struct(_)), "a list of boxes holds structures");
    }

    #[test]
    fn recursive_values_are_checked_and_printed_at_every_depth() {
        let value = Outer { part: Box::new(Part { outer: Some(Box::new(Outer { part: Box::new(Part::empty()) })) }) };
        assert_eq!(crate::validate(&value), Ok(()));
        assert_eq!(format!("{value:?}"), "Outer { part: Part { outer: Some(Outer { part: Part { outer: None } }) } }");
    }

    #[cfg(feature = "json")]
    #[test]
    fn recursive_values_round_trip_through_json_and_deep_documents_are_refused() {
        let value = chain(&["a", "b", "c"]);
        let body = crate::json::encode(&value).expect("encodes");
        assert_eq!(String::from_utf8_lossy(&body), r#"{"Name":"a","Next":{"Name":"b","Next":{"Name":"c"}}}"#);
        assert_eq!(crate::json::decode::<Chain>(&body).expect("decodes"), value);
        // Decoding is bounded by the parser's depth limit, not the type's.
        let deep = format!("{}{{\"Name\":\"x\"}}{}", r#"{"Name":"x","Next":"#.repeat(200), "}".repeat(200));
        assert!(crate::json::decode::<Chain>(deep.as_bytes()).is_err());
    }

    #[cfg(feature = "xml")]
    #[test]
    fn recursive_values_round_trip_through_xml_and_deep_documents_are_refused() {
        let value = chain(&["a", "b", "c"]);
        let xml = crate::xml::encode(&value, "R", "https://example.com/").expect("encodes");
        assert_eq!(xml, r#"<R xmlns="https://example.com/"><Name>a</Name><Next><Name>b</Name><Next><Name>c</Name></Next></Next></R>"#);
        assert_eq!(crate::xml::decode::<Chain>(&xml, "R").expect("decodes"), value);
        let deep = format!("<R>{}<Name>x</Name>{}</R>", "<Next>".repeat(crate::xml::MAX_DEPTH), "</Next>".repeat(crate::xml::MAX_DEPTH));
        let err = crate::xml::decode::<Chain>(&deep, "R").expect_err("deeper than the bound");
        assert!(err.to_string().contains("nested deeper"), "{err}");
    }
}
