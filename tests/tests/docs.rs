//! The generated crate's docs as a user reads them: regressions with a name.
//!
//! - the README's "Using the generated crate" example is the crate page's;
//! - no module page repeats its first sentence (rustdoc puts the outer doc
//!   of `pub mod x;` before the module's own, which once read "Amazon FSx
//!   (API version 2018-03-01). Amazon FSx (API version 2018-03-01), …");
//! - no doc cites an internal seed file name (`004_9ca0959e2106def2.txt`):
//!   the models map each to its page's title (`service.source_pages`);
//! - every operation's page has an example that builds, sends and decodes;
//! - `to_http` says how *its* protocol is signed;
//! - the codec plumbing (`Shape`, `Field`, `Empty`, `Item`, the hidden
//!   macros) appears on no rendered page (checked on `cargo doc` output).

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{real_models, workspace};

/// Every generated `.rs` file with its path relative to `generated/src`.
fn generated_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("read generated/src").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("below root").to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("read")));
            }
        }
    }
    let root = workspace().join("generated/src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// The text of a run of doc lines with `prefix` (`//!` or `///`).
fn doc_text<'a>(lines: impl Iterator<Item = &'a str>, prefix: &str) -> String {
    lines
        .map(|l| l.trim_start())
        .take_while(|l| l.starts_with(prefix))
        .map(|l| l[prefix.len()..].strip_prefix(' ').unwrap_or(&l[prefix.len()..]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file's module docs (its `//!` lines).
fn inner_docs(file: &str) -> String {
    doc_text(file.lines().skip_while(|l| !l.starts_with("//!")), "//!")
}

/// The outer docs right above the line `item` in `file`.
fn outer_docs(file: &str, item: &str) -> Option<String> {
    let lines: Vec<&str> = file.lines().collect();
    let at = lines.iter().position(|l| l.trim() == item)?;
    let mut start = at;
    while start > 0 && (lines[start - 1].trim_start().starts_with("///") || lines[start - 1].trim_start().starts_with("#[")) {
        start -= 1;
    }
    Some(doc_text(lines[start..at].iter().copied().filter(|l| !l.trim_start().starts_with("#[")), "///"))
}

/// The first ```rust block of `markdown` after `after`.
fn first_rust_block(markdown: &str, after: &str) -> String {
    let from = markdown.find(after).unwrap_or_else(|| panic!("`{after}` is in the text"));
    let rest = &markdown[from..];
    let start = rest.find("```rust\n").expect("a ```rust block") + "```rust\n".len();
    let end = start + rest[start..].find("\n```").expect("the block ends");
    rest[start..end].to_string()
}

#[test]
fn the_readme_shows_the_crate_page_example() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let lib = std::fs::read_to_string(workspace().join("generated/src/lib.rs")).expect("lib.rs");
    let in_readme = first_rust_block(&readme, "## Using the generated crate");
    let on_crate_page = first_rust_block(&inner_docs(&lib), "# Three steps");
    assert_eq!(
        in_readme, on_crate_page,
        "the README's first example under \"Using the generated crate\" must be the crate page's (CRATE_EXAMPLE in codegen/src/emit/mod.rs): change both"
    );
}

/// The first sentence of a doc: up to the first ". " (or the first
/// paragraph's end), without its final period.
fn first_sentence(doc: &str) -> &str {
    let paragraph = doc.split("\n\n").next().unwrap_or_default();
    let sentence = paragraph.find(". ").map_or(paragraph, |end| &paragraph[..end]);
    sentence.trim().trim_end_matches('.')
}

#[test]
fn no_module_page_repeats_its_first_sentence() {
    let files = generated_files();
    let mut checked = 0;
    for (path, text) in &files {
        let Some(module) = path.strip_suffix(".rs").filter(|m| !m.ends_with("mod") && *m != "lib") else { continue };
        let (provider, name) = module.split_once('/').expect("provider/service.rs");
        let parent = &files.iter().find(|(p, _)| *p == format!("{provider}/mod.rs")).expect("the provider's mod.rs").1;
        // rustdoc shows the outer doc on `pub mod x;`, then the module's own.
        let outer = outer_docs(parent, &format!("pub mod {name};")).unwrap_or_else(|| panic!("`pub mod {name};` in {provider}/mod.rs"));
        let page = [outer, inner_docs(text)].into_iter().filter(|d| !d.is_empty()).collect::<Vec<_>>().join("\n\n");
        let first = first_sentence(&page);
        assert!(first.len() > 10, "{path}: the module page opens with a sentence, not {first:?}");
        let rest = &page[first.len()..];
        assert!(!rest.contains(first), "{path}: the module page repeats its first sentence {first:?}:\n{page}");
        checked += 1;
    }
    assert_eq!(checked, real_models().len(), "every service module is checked");
    // The provider modules, whose outer docs are in lib.rs.
    let lib = &files.iter().find(|(p, _)| p == "lib.rs").expect("lib.rs").1;
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with("/mod.rs")) {
        let provider = path.trim_end_matches("/mod.rs");
        let outer = outer_docs(lib, &format!("pub mod {provider};")).unwrap_or_else(|| panic!("`pub mod {provider};` in lib.rs"));
        let page = [outer, inner_docs(text)].into_iter().filter(|d| !d.is_empty()).collect::<Vec<_>>().join("\n\n");
        let first = first_sentence(&page);
        // "APIs of the provider `aws`. Services of the provider `aws`.": the
        // sentence, or its last three words, again.
        let words: Vec<&str> = first.split(' ').collect();
        let tail = words[words.len().saturating_sub(3)..].join(" ");
        let rest = &page[first.len()..];
        let repeats = rest.contains(first) || (words.len() > 3 && rest.contains(&tail));
        assert!(!repeats, "{path}: the provider page repeats its first sentence {first:?}:\n{page}");
    }
}

#[test]
fn service_pages_open_with_the_description_list_operations_and_end_with_model_notes() {
    for (model_path, model) in real_models() {
        let rel = model_path.trim_start_matches("models/").replace(".yaml", ".rs");
        let file = std::fs::read_to_string(workspace().join("generated/src").join(&rel)).expect("service file");
        let page = inner_docs(&file);
        if let Some(docs) = &model.service.docs {
            let opening: String = docs.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
            assert!(page.starts_with(&opening), "{rel}: the page opens with the service's description ({opening:?})");
        }
        let operations = page.find("# Operations").unwrap_or_else(|| panic!("{rel}: an Operations section"));
        for name in model.operations.keys() {
            assert!(page.contains(&format!("| [`{name}`] | ")), "{rel}: the operations table lists {name}");
        }
        if !model.notes.is_empty() {
            let notes = page.find("# Model notes").unwrap_or_else(|| panic!("{rel}: a Model notes section"));
            assert!(notes > operations, "{rel}: the model notes come after the operations");
            assert!(!page[notes..].contains("\n# "), "{rel}: the model notes are the last section");
        }
    }
}

/// Whether `word` looks like a seed file name: `004_9ca0959e2106def2.txt`.
fn is_seed_file_name(word: &str) -> bool {
    let Some(stem) = word.strip_suffix(".txt") else { return false };
    let Some((n, hash)) = stem.split_once('_') else { return false };
    n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()) && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn seed_file_names(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|w| w.trim_end_matches('.').trim_start_matches('.'))
        .map(|w| if w.ends_with(".txt") { w } else { w.trim_end_matches('.') })
        .filter(|w| is_seed_file_name(w))
        .collect()
}

#[test]
fn no_doc_cites_a_seed_file_name() {
    assert!(is_seed_file_name("004_9ca0959e2106def2.txt") && !is_seed_file_name("botocore-1.44.5.txt"));
    assert_eq!(seed_file_names("Gap in 004_9ca0959e2106def2.txt: the page"), ["004_9ca0959e2106def2.txt"]);
    for (path, text) in generated_files() {
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("///") || trimmed.starts_with("//!") || trimmed.starts_with("#[doc") {
                let names = seed_file_names(trimmed);
                assert!(
                    names.is_empty(),
                    "generated/src/{path}:{}: the docs cite {names:?}, a file name no reader can open; map it to its page's title in the model's service.source_pages",
                    n + 1
                );
            }
        }
    }
    // And every seed file a model cites has its title.
    for (model_path, model) in real_models() {
        let yaml = serde_yaml::to_string(&model).expect("the model serializes");
        for name in seed_file_names(&yaml) {
            assert!(model.service.source_pages.contains_key(name), "{model_path} cites {name} but its service.source_pages has no title for it");
        }
    }
}

#[test]
fn every_operation_has_an_example() {
    let mut checked = 0;
    for (model_path, model) in real_models() {
        let rel = model_path.trim_start_matches("models/").replace(".yaml", ".rs");
        let file = std::fs::read_to_string(workspace().join("generated/src").join(&rel)).expect("service file");
        for name in model.operations.keys() {
            let docs = outer_docs(&file, &format!("pub struct {name};")).unwrap_or_else(|| panic!("{rel}: the marker type {name}"));
            let example = docs.split("# Example").nth(1).unwrap_or_else(|| panic!("{rel}: {name}'s page has an \"# Example\" section"));
            let code = first_rust_block(example, "");
            for step in [format!("{name}Request::new("), ".to_http(".to_string(), format!("{name}Response::from_http(&answer)"), format!("Err({name}Error::")] {
                assert!(code.contains(&step), "{rel}: {name}'s example has `{step}`:\n{code}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 9, "the examples of the nine operations are checked, not {checked}");
}

#[test]
fn to_http_says_how_its_protocol_is_signed() {
    for (model_path, model) in real_models() {
        let rel = model_path.trim_start_matches("models/").replace(".yaml", ".rs");
        let file = std::fs::read_to_string(workspace().join("generated/src").join(&rel)).expect("service file");
        let docs: Vec<String> = file
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("pub fn to_http("))
            .map(|(n, _)| {
                let before: Vec<&str> = file.lines().take(n).collect();
                let start = before.iter().rposition(|l| !l.trim_start().starts_with("///")).map_or(0, |p| p + 1);
                before[start..].join("\n")
            })
            .collect();
        assert_eq!(docs.len(), model.operations.len(), "{rel}: one to_http per operation");
        let (right, wrong) = if model.service.provider == "alibaba" { ("Alibaba", "Signature Version 4") } else { ("Signature Version 4", "Alibaba") };
        for doc in docs {
            assert!(doc.contains(right) && !doc.contains(wrong), "{rel}: to_http's docs name {right}, not {wrong}:\n{doc}");
        }
    }
}

/// Names of the codec plumbing that must not show on a rendered page.
const PLUMBING: &[&str] = &["Shape", "Field", "Empty", "Item", "ListRef", "MapRef", "ListSlot", "MapSlot", "OptionSlot", "EnumSlot", "OperationError", "HasSchema"];

#[test]
fn plumbing_is_hidden_on_the_rendered_pages() {
    let target = workspace().join("target/docs-test");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["doc", "--offline", "--quiet", "--no-deps", "-p", "cloud-api-types"])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(output.status.success(), "cargo doc failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let root = target.join("doc/cloud_api_types");
    let mut pages = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("doc folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                pages.push(path);
            }
        }
    }
    assert!(pages.len() > 50, "the rendered crate has its pages");
    for page in &pages {
        let name = page.file_name().expect("a name").to_string_lossy();
        assert!(!name.contains(".__") && !name.starts_with("macro.__"), "{} renders a hidden macro", page.display());
        if !name.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(page).expect("read page");
        for trait_name in PLUMBING {
            let id = format!("id=\"impl-{trait_name}-for-");
            assert!(!html.contains(&id), "{} lists the plumbing impl {trait_name}", page.display());
        }
        assert!(!html.contains("__codec_impls") && !html.contains("__error_impls"), "{} shows a codec macro", page.display());
    }
    let fsx = std::fs::read_to_string(root.join("aws/fsx/index.html")).expect("the FSx page");
    assert!(fsx.contains("Model notes") && fsx.contains("CancelDataRepositoryTask - Amazon FSx"), "the FSx page renders its notes, citing the page by title");
}
