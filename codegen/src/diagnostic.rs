//! Errors about models, with stable codes, rendered like rustc's.
//!
//! A diagnostic names a file and a span in it; rendering shows the offending
//! line with a caret under the span and a `help:` line. Codes are stable:
//! they are documented in `models/README.md` and tests assert them.

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::source_map::Span;

/// The empty span at the start of a file, for problems with the whole file.
pub const FILE_START: Span = Span {
    start: 0,
    end: 0,
    line: 1,
    column: 1,
};

/// Declares [`Code`]: each variant with its stable number, in one table.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// Stable error codes. The number never changes meaning; retired codes are
        /// not reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in number order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The stable code, `E0001`...
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }
        }
    };
}

codes! {
    /// The file is not valid YAML, or could not be read.
    Syntax = "E0001",
    /// A key the model format does not have.
    UnknownKey = "E0002",
    /// A value of the wrong type, or a required key missing.
    WrongType = "E0003",
    /// A reference to a shape, error or value that does not exist.
    Dangling = "E0004",
    /// The same key twice in one YAML mapping.
    DuplicateKey = "E0005",
    /// The same name twice in one list (members, values, operation errors).
    DuplicateName = "E0006",
    /// Two names that become the same Rust identifier.
    RustNameClash = "E0007",
    /// A name that cannot become a Rust identifier or module.
    InvalidName = "E0008",
    /// A `pattern` that is not a valid (linear-time) regular expression.
    InvalidPattern = "E0009",
    /// A minimum larger than its maximum.
    MinAboveMax = "E0010",
    /// An example whose data does not fit its shape.
    ExampleMismatch = "E0011",
    /// A reference to a shape of the wrong kind.
    WrongShapeKind = "E0012",
    /// A precondition that names a state its enum does not have.
    UnknownState = "E0013",
    /// An enum without values.
    EmptyEnum = "E0014",
    /// A structure that contains itself through required structure members
    /// only (no value of it is finite), or a list of itself.
    Recursive = "E0015",
    /// Two models for the same service module.
    DuplicateService = "E0016",
    /// A file too large or too deeply nested to be a model.
    TooLarge = "E0017",
    /// Metadata the service's protocol needs is missing.
    ProtocolMetadata = "E0018",
    /// An example marked as contradicting the syntax fits it after all.
    ExampleFits = "E0019",
    /// The models folder could not be read.
    Io = "E0020",
    /// The generator itself failed: a bug, reported instead of a panic.
    Internal = "E0021",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Index of the file in the [`SourceSet`]; `None` for problems that
    /// belong to no file (an unreadable models folder).
    pub file: Option<usize>,
    /// Where in the file.
    pub span: Span,
    /// Short text under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A second place that explains the first ("first defined here").
    pub related: Option<(usize, Span, String)>,
}

impl Diagnostic {
    /// A diagnostic at `span` of `file`.
    pub fn new(code: Code, file: usize, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: Some(file),
            span,
            label: String::new(),
            help: None,
            related: None,
        }
    }

    /// A diagnostic that belongs to no file.
    pub fn global(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: None,
            span: FILE_START,
            label: String::new(),
            help: None,
            related: None,
        }
    }

    /// Sets the text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a second place.
    pub fn related(mut self, file: usize, span: Span, label: impl Into<String>) -> Self {
        self.related = Some((file, span, label.into()));
        self
    }
}

/// One model file's text, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (`models/aws/fsx.yaml`).
    pub display_path: String,
    /// Path relative to the models folder, with `/` separators.
    pub rel_path: String,
    /// The text.
    pub text: String,
}

/// All files of a run, so that diagnostics can quote them.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    /// Files in load order (sorted by relative path).
    pub files: Vec<SourceFile>,
}

impl SourceSet {
    /// Adds a file and returns its index.
    pub fn add(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }
}

/// Whether to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Plain text (pipes, files, `NO_COLOR`).
    Never,
    /// ANSI colours (a terminal).
    Always,
}

/// Renders diagnostics like rustc: each one with its snippet, then a count.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceSet, color: Color) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources
        .files
        .iter()
        .map(|f| files.add(f.display_path.clone(), f.text.clone()))
        .collect();
    let mut buffer = match color {
        Color::Never => termcolor::Buffer::no_color(),
        Color::Always => termcolor::Buffer::ansi(),
    };
    let config = term::Config::default();
    for d in diagnostics {
        let mut report = Report::error()
            .with_code(d.code.as_str())
            .with_message(&d.message);
        let mut labels = Vec::new();
        if let Some(file) = d.file.and_then(|i| ids.get(i)) {
            labels.push(Label::primary(*file, d.span.start..d.span.end).with_message(&d.label));
        }
        if let Some((file, span, label)) = &d.related {
            if let Some(file) = ids.get(*file) {
                labels.push(Label::secondary(*file, span.start..span.end).with_message(label));
            }
        }
        report = report.with_labels(labels);
        if let Some(help) = &d.help {
            report = report.with_notes(vec![format!("help: {help}")]);
        }
        // Emitting into an in-memory buffer fails only on a span outside the
        // file, which would be our bug; fall back to a plain line then.
        if term::emit(&mut buffer, &config, &files, &report).is_err() {
            let place = d
                .file
                .and_then(|i| sources.files.get(i))
                .map(|f| format!("{}:{}:{}: ", f.display_path, d.span.line, d.span.column))
                .unwrap_or_default();
            buffer_line(&mut buffer, &format!("error[{}]: {place}{}", d.code, d.message));
        }
    }
    let count = diagnostics.len();
    let summary = match count {
        1 => "error: aborting due to 1 previous error; nothing was written\n".to_string(),
        n => format!("error: aborting due to {n} previous errors; nothing was written\n"),
    };
    buffer_line(&mut buffer, summary.trim_end());
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_line(buffer: &mut termcolor::Buffer, line: &str) {
    use std::io::Write;
    // Writing to an in-memory buffer cannot fail.
    let _ = writeln!(buffer, "{line}");
}

/// Renders one diagnostic as a single line, `file:line:col: E0004 message`,
/// for tests and logs.
pub fn one_line(d: &Diagnostic, sources: &SourceSet) -> String {
    let place = d
        .file
        .and_then(|i| sources.files.get(i))
        .map(|f| format!("{}:{}:{}", f.display_path, d.span.line, d.span.column))
        .unwrap_or_else(|| "<models>".to_string());
    format!("{place}: {} {}", d.code, d.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<Diagnostic>, SourceSet) {
        let mut sources = SourceSet::default();
        let file = sources.add(SourceFile {
            display_path: "models/aws/x.yaml".into(),
            rel_path: "aws/x.yaml".into(),
            text: "shapes:\n  A:\n    target: strng\n".into(),
        });
        let span = Span {
            start: 25,
            end: 30,
            line: 3,
            column: 13,
        };
        let d = Diagnostic::new(Code::Dangling, file, span, "no shape named `strng`")
            .label("unknown shape")
            .help("did you mean `string`?");
        (vec![d.clone(), d], sources)
    }

    #[test]
    fn plain_rendering_is_rustc_like_with_a_count() {
        let (diagnostics, sources) = sample();
        let text = render(&diagnostics, &sources, Color::Never);
        assert!(text.contains("error[E0004]: no shape named `strng`"), "{text}");
        assert!(text.contains("models/aws/x.yaml:3:13"), "{text}");
        assert!(text.contains("^^^^^ unknown shape"), "{text}");
        assert!(text.contains("help: did you mean `string`?"), "{text}");
        assert!(text.trim_end().ends_with("aborting due to 2 previous errors; nothing was written"), "{text}");
        assert!(!text.contains('\u{1b}'), "no escape codes when plain");
    }

    #[test]
    fn coloured_rendering_uses_ansi_escapes() {
        let (diagnostics, sources) = sample();
        let text = render(&diagnostics, &sources, Color::Always);
        assert!(text.contains("\u{1b}["), "{text:?}");
        assert_eq!(one_line(&diagnostics[0], &sources), "models/aws/x.yaml:3:13: E0004 no shape named `strng`");
    }
}
