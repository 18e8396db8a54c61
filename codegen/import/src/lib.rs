//! Importers: the vendors' machine-readable API models, turned into the YAML
//! model format of `models/` (see `models/README.md`), so that whole services
//! are generated from the vendor's own facts.
//!
//! - [`botocore`]: AWS's models as the `botocore` package ships them
//!   (`botocore/data/<service>/<version>/service-2.json[.gz]`);
//! - [`alibaba`]: Alibaba Cloud's OpenAPI metadata (`api-docs.json`, one
//!   product and API version: `info`, `apis`, `components.schemas`);
//! - [`diff`]: every difference between two models of one service, as
//!   `cargo xtask diff-models` prints it.
//!
//! Vendor files are untrusted input: a malformed one is an [`ImportError`]
//! that names the field path, never a panic. What the model format cannot
//! express yet (unions, documents, event streams, …) is skipped on purpose,
//! member by member, and each skip is reported ([`Imported::skipped`]) and
//! recorded in the model as a note, never dropped silently.

use std::fmt;

use codegen::model::Model;

pub mod alibaba;
pub mod botocore;
pub mod diff;
pub mod html;
mod json;
mod ordered;

/// The largest vendor file read (EC2's botocore model is 4.3 MB; its
/// decompressed JSON is the input).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// An imported model and what was left out of it.
#[derive(Debug)]
pub struct Imported {
    /// The model.
    pub model: Model,
    /// Its path below the models folder (`aws/ec2.yaml`).
    pub path: String,
    /// Everything skipped on purpose, one line each, with its field path.
    pub skipped: Vec<String>,
}

impl Imported {
    /// The model as YAML, with the schema line every model starts with.
    pub fn to_yaml(&self) -> String {
        let mut text = String::from("# yaml-language-server: $schema=../schema.json\n");
        if let Some(from) = &self.model.service.imported_from {
            text.push_str(&format!(
                "# Imported by `cargo xtask import` from {} {}: {}. Edit the vendor model's facts by importing again.\n",
                from.package, from.version, from.file
            ));
        }
        text.push('\n');
        text.push_str(&codegen::to_yaml_string(&self.model));
        text
    }
}

/// One `gap` note per kind of finding, listing what it was found in: an
/// import's record of what it skipped or decided (`what` → items).
pub(crate) fn findings_notes(page: &str, findings: &std::collections::BTreeMap<&'static str, Vec<String>>) -> Vec<codegen::model::Note> {
    findings
        .iter()
        .map(|(what, items)| codegen::model::Note {
            kind: codegen::model::NoteKind::Gap,
            page: page.to_string(),
            text: format!("{} ({}): {}.", upper_first(what), items.len(), items.join(", ")),
            source: None,
        })
        .collect()
}

/// `s` with its first letter upper-cased (`bundleId` → `BundleId`).
pub(crate) fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A vendor file that cannot be imported: where (a field path) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The field path in the vendor file (`shapes.Foo.members.Bar.shape`).
    pub path: String,
    /// What is wrong, and how to fix it where the user can.
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a vendor file: `.gz` files are decompressed; at most
/// [`MAX_INPUT_BYTES`] are read.
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| ImportError::new("", format!("cannot read `{shown}`: {e}")))?;
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if shown.ends_with(".gz") {
        flate2::read::GzDecoder::new(file).take(limit).read_to_end(&mut bytes)
    } else {
        file.take(limit).read_to_end(&mut bytes)
    };
    read.map_err(|e| ImportError::new("", format!("cannot read `{shown}`: {e}")))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::new("", format!("`{shown}` is larger than {MAX_INPUT_BYTES} bytes (decompressed); no vendor model is")));
    }
    Ok(bytes)
}
