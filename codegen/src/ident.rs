//! Rust identifier rules: the one place that turns vendor names into Rust names.
//!
//! Vendor models spell names every way there is (`CancelBundleTask`,
//! `waiting-for-shutdown`, `InvalidStatus.CancelFailed`, `AWSAccessKeyId`,
//! `2xx`, `type`, `名前`). Every stage that needs a Rust name asks this module,
//! so the checker (which reports clashes) and the emitter (which writes the
//! code) can never disagree about what a name becomes.
//!
//! The conversions are pure and total: they never panic, and a name with
//! nothing usable left in it becomes `""`, which the caller reports as an
//! error rather than inventing a name.
//!
//! Choices a caller must know:
//!
//! * Words are split on every character that is not alphanumeric and on case
//!   boundaries, exactly as the `heck` crate does (`AWSAccessKeyId` is
//!   `AWS` + `Access` + `Key` + `Id`).
//! * A name that would start with something an identifier cannot start with
//!   (a digit, say) gets a prefix: `V` for types, `v_` for fields and modules.
//! * Keywords: [`field_name`] and [`module_name`] return keywords unchanged
//!   (`type`), and [`to_ident`] makes them raw (`r#type`), because a raw field
//!   keeps the vendor's word. The four keywords that cannot be raw (`self`,
//!   `Self`, `crate`, `super`) get a trailing `_` instead. [`type_name`] never
//!   returns a keyword: `Self` becomes `Self_`, since a raw type name would
//!   read badly in every signature that mentions it.
//! * Non-ASCII letters are kept when Rust accepts them in an identifier
//!   (`größe`, `名前`); other characters are treated as separators. The
//!   generated crate may still want to lint such names (`non_ascii_idents`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Strict keywords (edition 2018 and later): never plain identifiers.
const STRICT: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// Reserved keywords up to edition 2024 (which adds `gen`): unused by the
/// language today, but rejected as plain identifiers all the same.
///
/// Weak keywords (`union`, `macro_rules`, `raw`, `safe`, `'static`) are left
/// out of both lists on purpose: they are keywords only in one syntactic
/// position and are ordinary identifiers as field, function, module and
/// type names, so emitting them raw would only add noise.
const RESERVED: &[&str] = &[
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that Rust refuses as raw identifiers (`r#self` is an error), so
/// the conversions rename them instead of leaving them to [`to_ident`].
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super"];

/// What [`to_ident`] returns for a name that is not an identifier. It is a
/// valid identifier, so the emitted code still parses and the mistake shows
/// up as a readable compile error instead of a panic in the generator.
const INVALID: &str = "invalid_identifier";

/// The Rust type name (struct, enum, variant) for a vendor name, in
/// UpperCamelCase.
///
/// `waiting-for-shutdown` → `WaitingForShutdown`,
/// `InvalidStatus.CancelFailed` → `InvalidStatusCancelFailed`,
/// `PENDING` → `Pending`, `AWSAccessKeyId` → `AwsAccessKeyId`, `S3` → `S3`,
/// `2xx` → `V2xx`, `Self` → `Self_`. Returns `""` when nothing usable is left
/// (`""`, `"--"`, `"²"`); the caller reports that as an error.
/// The result is never a keyword, so it never needs to be raw.
pub fn type_name(name: &str) -> String {
    let converted = keep_ident_chars(&separate_non_ident_chars(name).to_upper_camel_case());
    let mut out = prefix_if_bad_start(converted, "V");
    // Only `Self` can come out of UpperCamelCase, but checking every keyword
    // keeps the promise "never a keyword" without relying on that.
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// The Rust field or function name for a vendor name, in snake_case.
///
/// `AWSAccessKeyId` → `aws_access_key_id`, `clientToken` → `client_token`,
/// `DryRun` → `dry_run`, `S3` → `s3`, `foo__bar` → `foo_bar`,
/// `2xx` → `v_2xx`. A keyword that can be raw is returned as is (`type`) and
/// must be turned into tokens with [`to_ident`], which emits `r#type`; the
/// keywords that cannot be raw get a trailing `_` (`self` → `self_`,
/// `Super` → `super_`). Returns `""` when nothing usable is left.
pub fn field_name(name: &str) -> String {
    let converted = keep_ident_chars(&separate_non_ident_chars(name).to_snake_case());
    let mut out = prefix_if_bad_start(converted, "v_");
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The Rust module name for a provider or service (`ec2`, `imagebuilder`,
/// `aws`): the same rules as [`field_name`], because modules share the
/// snake_case namespace rules (`mod r#type;` reads the file `type.rs`).
pub fn module_name(name: &str) -> String {
    field_name(name)
}

/// Whether `s` is a strict or reserved Rust keyword in edition 2024.
///
/// Weak keywords (`union`, `macro_rules`, `raw`, `safe`) are not counted:
/// they are valid names wherever the generator puts a name. `_` is not a
/// keyword but is not an identifier either; [`to_ident`] rejects it.
pub fn is_keyword(s: &str) -> bool {
    STRICT.contains(&s) || RESERVED.contains(&s)
}

/// Turns a name that one of the conversions above produced into an
/// identifier token: raw (`r#type`) for a keyword that can be raw, plain
/// otherwise.
///
/// Never panics. A `name` that is not an identifier at all (empty, `_`, a
/// leading digit, punctuation, an `r#` prefix) is a bug in the caller, and
/// gives the identifier `invalid_identifier`, so the generated code fails to
/// compile with a name that says what went wrong. `self`, `Self`, `crate`
/// and `super` are returned as plain identifiers (they cannot be raw); the
/// conversions never produce them, so they only arrive here when the caller
/// means the keyword itself.
pub fn to_ident(name: &str) -> Ident {
    if !is_identifier(name) {
        return Ident::new(INVALID, Span::call_site());
    }
    if is_keyword(name) && !NOT_RAW.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Replaces characters that `heck` would keep as part of a word but that
/// Rust does not allow in identifiers (`²`, `½`, `ͺ`) by a space, so they
/// split words like any other separator instead of reaching the output.
fn separate_non_ident_chars(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() && !is_xid_continue(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Drops anything Rust does not allow inside an identifier. Case mapping can
/// in principle produce such characters even from valid input, and this is
/// the last line of defence before [`to_ident`] would have to refuse.
fn keep_ident_chars(s: &str) -> String {
    s.chars().filter(|&c| is_xid_continue(c)).collect()
}

/// Adds `prefix` when `s` starts with a character an identifier cannot start
/// with (a digit, or a spacing mark such as `ः`), because the vendor's
/// `2xx` still deserves a name. An empty `s` stays empty.
fn prefix_if_bad_start(s: String, prefix: &str) -> String {
    match s.chars().next() {
        Some(c) if !is_xid_start(c) => format!("{prefix}{s}"),
        _ => s,
    }
}

/// Whether `name` is a valid identifier, keyword or not, spelled without an
/// `r#` prefix. `_` is excluded: it is a placeholder, not a name.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first == '_' || is_xid_start(first) => {}
        _ => return false,
    }
    name != "_" && chars.all(is_xid_continue)
}

/// Whether `c` may start an identifier (Unicode `XID_Start`), from the
/// same table `proc_macro2::Ident::new` checks against, so `to_ident` can
/// never meet a character that `Ident::new` would panic on.
fn is_xid_start(c: char) -> bool {
    unicode_ident::is_xid_start(c)
}

/// Whether `c` may continue an identifier (Unicode `XID_Continue`).
fn is_xid_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn type_names_of_vendor_examples() {
        let cases = [
            ("CancelBundleTask", "CancelBundleTask"),
            ("waiting-for-shutdown", "WaitingForShutdown"),
            ("InvalidStatus.CancelFailed", "InvalidStatusCancelFailed"),
            ("AWSAccessKeyId", "AwsAccessKeyId"),
            ("S3", "S3"),
            ("clientToken", "ClientToken"),
            ("lifecycleExecutionId", "LifecycleExecutionId"),
            ("PENDING", "Pending"),
            ("task-0123", "Task0123"),
            ("2xx", "V2xx"),
            ("type", "Type"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("crate", "Crate"),
            ("super", "Super"),
            ("r#", "R"),
            ("r#type", "RType"),
            ("foo__bar", "FooBar"),
            ("already_snake", "AlreadySnake"),
            ("größe", "Größe"),
            ("名前", "名前"),
            ("ec2", "Ec2"),
            ("Ec2Instance", "Ec2Instance"),
            ("S3Bucket", "S3Bucket"),
        ];
        for (input, want) in cases {
            assert_eq!(type_name(input), want, "type_name({input:?})");
        }
    }

    #[test]
    fn type_names_split_on_every_separator() {
        for sep in [
            "-", ".", "_", ":", "/", " ", "::", "\t", "+", "@", "#", "\u{3000}",
        ] {
            let input = format!("bundle{sep}task{sep}state");
            assert_eq!(type_name(&input), "BundleTaskState", "separator {sep:?}");
        }
    }

    #[test]
    fn field_names_of_vendor_examples() {
        let cases = [
            ("AWSAccessKeyId", "aws_access_key_id"),
            ("clientToken", "client_token"),
            ("DryRun", "dry_run"),
            ("S3", "s3"),
            ("BundleTaskError", "bundle_task_error"),
            ("CancelBundleTask", "cancel_bundle_task"),
            ("waiting-for-shutdown", "waiting_for_shutdown"),
            ("InvalidStatus.CancelFailed", "invalid_status_cancel_failed"),
            ("lifecycleExecutionId", "lifecycle_execution_id"),
            ("PENDING", "pending"),
            ("task-0123", "task_0123"),
            ("2xx", "v_2xx"),
            ("foo__bar", "foo_bar"),
            ("already_snake", "already_snake"),
            ("größe", "größe"),
            ("名前", "名前"),
            ("r#", "r"),
        ];
        for (input, want) in cases {
            assert_eq!(field_name(input), want, "field_name({input:?})");
        }
    }

    #[test]
    fn field_names_keep_raw_able_keywords() {
        for kw in [
            "type", "match", "gen", "async", "try", "dyn", "abstract", "macro", "yield", "fn",
        ] {
            assert_eq!(field_name(kw), kw);
            assert_eq!(to_ident(&field_name(kw)).to_string(), format!("r#{kw}"));
        }
        // Case conversion can turn a non-keyword into a keyword.
        assert_eq!(field_name("Type"), "type");
        assert_eq!(field_name("MATCH"), "match");
    }

    #[test]
    fn field_names_rename_keywords_that_cannot_be_raw() {
        for (input, want) in [
            ("self", "self_"),
            ("Self", "self_"),
            ("SELF", "self_"),
            ("crate", "crate_"),
            ("Crate", "crate_"),
            ("super", "super_"),
            ("_", ""),
        ] {
            assert_eq!(field_name(input), want, "field_name({input:?})");
        }
        assert_eq!(to_ident("self_").to_string(), "self_");
    }

    #[test]
    fn weak_keywords_are_plain_names() {
        for w in ["union", "macro_rules", "raw", "safe"] {
            assert!(!is_keyword(w), "{w}");
            assert_eq!(field_name(w), w);
            assert_eq!(to_ident(w).to_string(), w);
        }
    }

    #[test]
    fn module_names_follow_field_rules() {
        for name in ["ec2", "imagebuilder", "ecs", "fsx", "aws", "alibaba"] {
            assert_eq!(module_name(name), name);
        }
        assert_eq!(module_name("ImageBuilder"), "image_builder");
        assert_eq!(module_name("type"), "type");
        assert_eq!(module_name("super"), "super_");
        assert_eq!(module_name("3d"), "v_3d");
    }

    #[test]
    fn keywords_of_edition_2024() {
        for kw in [
            "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
            "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
            "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
            "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
            "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized",
            "virtual", "yield",
        ] {
            assert!(is_keyword(kw), "{kw}");
        }
        for not in [
            "", "_", "Type", "self_", "r#type", "union", "string", "SELF", "Gen",
        ] {
            assert!(!is_keyword(not), "{not}");
        }
    }

    #[test]
    fn every_raw_able_keyword_round_trips_through_to_ident() {
        for &kw in STRICT.iter().chain(RESERVED) {
            let ident = to_ident(kw);
            if NOT_RAW.contains(&kw) {
                assert_eq!(ident.to_string(), kw);
            } else {
                let text = ident.to_string();
                assert_eq!(text, format!("r#{kw}"));
                let parsed: syn::Ident = syn::parse_str(&text).unwrap();
                assert_eq!(parsed, ident);
            }
        }
    }

    #[test]
    fn to_ident_refuses_what_is_not_an_identifier() {
        for bad in [
            "",
            "_",
            "2xx",
            "a-b",
            "a b",
            "r#type",
            "r#",
            "a::b",
            "é\u{301}\u{202e}",
            "²",
            "a\u{202e}",
        ] {
            assert_eq!(to_ident(bad).to_string(), INVALID, "to_ident({bad:?})");
        }
        for good in [
            "a", "_a", "a_", "Self_", "größe", "名前", "v_2xx", "Self", "self", "crate", "super",
        ] {
            assert_eq!(to_ident(good).to_string(), good, "to_ident({good:?})");
        }
    }

    #[test]
    fn empty_and_unusable_names_become_empty() {
        for input in [
            "",
            "-",
            "--",
            "_",
            "__",
            " ",
            ".",
            "::",
            "\u{202e}",
            "²",
            "\u{301}",
            "!@#$%^&*()",
        ] {
            assert_eq!(type_name(input), "", "type_name({input:?})");
            assert_eq!(field_name(input), "", "field_name({input:?})");
        }
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(type_name("2xx"), "V2xx");
        assert_eq!(type_name("0"), "V0");
        assert_eq!(type_name("404-not-found"), "V404NotFound");
        assert_eq!(field_name("0"), "v_0");
        assert_eq!(field_name("404-not-found"), "v_404_not_found");
        // heck sees no word boundary between a digit and a capital.
        assert_eq!(field_name("404NotFound"), "v_404not_found");
        // A non-ASCII digit cannot start an identifier either.
        assert_eq!(field_name("٣abc"), "v_٣abc");
    }

    #[test]
    fn non_ascii_is_kept_only_when_rust_accepts_it() {
        assert_eq!(type_name("größe"), "Größe");
        assert_eq!(field_name("Größe"), "größe");
        assert_eq!(type_name("名前"), "名前");
        assert_eq!(field_name("名前-type"), "名前_type");
        // Superscripts and fractions are alphanumeric but not XID: they
        // separate words instead of reaching the name.
        assert_eq!(type_name("x²y"), "XY");
        assert_eq!(field_name("a½b"), "a_b");
        // A letter whose NFKC form differs is not XID either.
        assert_eq!(field_name("a\u{37a}b"), "a_b");
        // Invisible and bidi characters never reach a name.
        assert_eq!(type_name("ab\u{202e}cd"), "AbCd");
        assert_eq!(field_name("a\u{200b}b"), "a_b");
        // A spacing mark is XID_Continue but cannot start an identifier.
        assert_eq!(type_name("\u{903}x"), "V\u{903}x");
        assert_eq!(field_name("\u{903}x"), "v_\u{903}x");
    }

    #[test]
    fn different_spellings_become_the_same_name() {
        let raw = [
            "BundleTaskState",
            "bundle-task-state",
            "Other",
            "BUNDLE_TASK_STATE",
            "other",
            "Third",
        ];
        let names: Vec<String> = raw.iter().map(|n| type_name(n)).collect();
        assert_eq!(names[0], "BundleTaskState");
        assert_eq!(names[1], "BundleTaskState");
        assert_eq!(names[3], "BundleTaskState");
        assert_eq!(names[2], "Other");
        assert_eq!(names[4], "Other");
        assert_eq!(names[5], "Third");

        let fields: Vec<String> = ["DryRun", "dry_run", "dryRun", "x"]
            .iter()
            .map(|n| field_name(n))
            .collect();
        assert_eq!(fields, ["dry_run", "dry_run", "dry_run", "x"]);
    }

    /// A tiny deterministic generator: the crate has no `rand`, and a fixed
    /// sequence makes a failure reproducible.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "a", "Z", "bundle", "Task", "AWS", "Id", "S3", "x", "ID", "0", "2", "123", "-", "_", ".",
        ":", "/", " ", "#", "r#", "$", "__", "type", "Self", "self", "crate", "super", "gen",
        "match", "union", "größe", "名前", "ß", "İ", "ǅ", "ΐ", "²", "½", "\u{301}", "\u{345}",
        "\u{202e}", "\u{200d}", "٣", "\t", "\n", "é", "Ω", "\u{0}", "😀", "_x", "x_",
    ];

    fn generated_names() -> Vec<String> {
        let mut rng = Lcg(0x5eed);
        let mut out: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
        for _ in 0..600 {
            let len = 1 + rng.below(5);
            out.push((0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect());
        }
        out
    }

    #[test]
    fn generated_names_always_give_parseable_identifiers() {
        for input in generated_names() {
            let t = type_name(&input);
            if !t.is_empty() {
                let ident = to_ident(&t);
                let text = ident.to_string();
                assert_ne!(text, INVALID, "type_name({input:?}) = {t:?}");
                assert!(!is_keyword(&t), "type_name({input:?}) = {t:?}");
                assert!(
                    syn::parse_str::<syn::Ident>(&text).is_ok(),
                    "{input:?} → {text}"
                );
                assert!(
                    syn::parse_str::<syn::Type>(&text).is_ok(),
                    "{input:?} → {text}"
                );
                let item: syn::ItemEnum = syn::parse_quote!(enum #ident { #ident });
                assert_eq!(item.ident, ident);
            }
            let f = field_name(&input);
            if !f.is_empty() {
                let ident = to_ident(&f);
                let text = ident.to_string();
                assert_ne!(text, INVALID, "field_name({input:?}) = {f:?}");
                assert!(
                    syn::parse_str::<syn::Ident>(&text).is_ok(),
                    "{input:?} → {text}"
                );
                let item: syn::ItemStruct =
                    syn::parse_str(&format!("struct S {{ {text}: u8 }}")).unwrap();
                assert_eq!(item.fields.len(), 1);
                assert!(
                    syn::parse_str::<syn::ItemFn>(&format!("fn {text}() {{}}")).is_ok(),
                    "{text}"
                );
                assert!(
                    syn::parse_str::<syn::ItemMod>(&format!("mod {text};")).is_ok(),
                    "{text}"
                );
            }
        }
    }

    /// Field names are stable under a second conversion, so a model that
    /// already uses the Rust spelling keeps it. (Type names are not: `a-b`
    /// gives `AB`, which reads as one word the second time and gives `Ab`.)
    #[test]
    fn field_names_are_idempotent_on_ascii() {
        for input in generated_names().iter().filter(|n| n.is_ascii()) {
            let f = field_name(input);
            assert_eq!(field_name(&f), f, "field_name twice on {input:?}");
        }
    }

    #[test]
    fn to_ident_never_panics_on_arbitrary_text() {
        for input in generated_names() {
            let _ = to_ident(&input);
        }
    }
}
