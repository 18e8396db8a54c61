//! Static descriptions of the generated structures: wire names, query
//! names and kinds of every member.
//!
//! The serde derive of each generated type is the one source of its field
//! names and value forms. Protocols that are not JSON (EC2's XML, query
//! strings) need a little more: which element is a list, what a list item
//! is called, which text is a number. A schema says exactly that, so one
//! codec in this module tree serves every type, instead of a generated
//! reader and writer per type (which would cost every user compile time).

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
    /// Name on the wire: the serde name, JSON key and XML element.
    pub wire: &'static str,
    /// Name in a query string.
    pub query: &'static str,
    /// What the value is.
    pub kind: Kind,
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
    /// A timestamp (its serde form decides the text).
    Timestamp,
    /// Bytes, base64 on the wire.
    Blob,
    /// A structure; a function so that schemas may refer to each other.
    Struct(fn() -> &'static StructSchema),
    /// A list.
    List(&'static ListSchema),
}

/// A list.
#[derive(Debug)]
pub struct ListSchema {
    /// What each item is.
    pub item: Kind,
    /// The XML element of each item (EC2: `item`).
    pub xml_item: &'static str,
}

/// Types that have a schema.
pub trait HasSchema {
    /// The type's schema.
    fn schema() -> &'static StructSchema;
}
