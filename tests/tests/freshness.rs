//! `generated/` matches what the models generate, and generation is
//! reproducible and all-or-nothing.

use std::path::{Path, PathBuf};

use codegen::write::{diff_trees, read_tree, write_tree};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(dir: &Path) -> codegen::FileTree {
    codegen::generate(dir, "models")
        .unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)))
}

/// CI runs this, so a model change without `cargo xtask codegen` fails.
#[test]
fn generated_crate_is_up_to_date() {
    let expected = generate(&workspace().join("models"));
    let current = read_tree(&workspace().join("generated/src")).expect("read generated/src");
    if let Some(diff) = diff_trees(&current, &expected, "generated/src") {
        panic!("generated/src is stale; run `cargo xtask codegen`:\n{diff}");
    }
}

#[test]
fn two_runs_write_identical_trees() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = workspace().join("models");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_tree(&a, &generate(&models)).expect("write a");
    write_tree(&b, &generate(&models)).expect("write b");
    let (a, b) = (read_tree(&a).expect("read a"), read_tree(&b).expect("read b"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

/// The output must not depend on the order the file system lists models in:
/// copy the models in reverse order under other folder names' creation
/// order and compare.
#[test]
fn output_does_not_depend_on_listing_order() {
    let models = workspace().join("models");
    let mut files = Vec::new();
    collect(&models, &models, &mut files);
    assert!(files.len() >= 4, "the real models are there");
    let tmp = tempfile::tempdir().expect("tempdir");
    for rel in files.iter().rev() {
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(models.join(rel), &to).expect("copy");
    }
    assert_eq!(generate(&models), generate(tmp.path()));
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path.strip_prefix(root).expect("prefix").to_path_buf());
        }
    }
}

#[test]
fn a_write_replaces_the_whole_tree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("src");
    std::fs::create_dir_all(out.join("stale")).expect("mkdir");
    std::fs::write(out.join("stale/old.rs"), "// left over").expect("write");
    let files = generate(&workspace().join("models"));
    write_tree(&out, &files).expect("write");
    assert_eq!(read_tree(&out).expect("read"), files);
    let mut leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [std::ffi::OsString::from("Cargo.toml"), std::ffi::OsString::from("src")],
        "the manifest beside `src`, and no staging folders left behind"
    );
}
