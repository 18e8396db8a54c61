//! Stage 5: put the emitted files on disk, all or nothing, or compare them
//! with what is there.
//!
//! The new tree is written into a staging folder beside the output folder
//! and swapped in only when every file is written, so a failing run leaves
//! the old tree untouched. On Linux the swap is one atomic
//! `renameat2(RENAME_EXCHANGE)`, so even a run killed at any instant leaves
//! either the old tree or the new one, never a mix or nothing; elsewhere it
//! is two renames. The output folder is owned by the generator: files in it
//! that the generator did not emit are removed.

use std::io;
use std::path::{Path, PathBuf};

use crate::emit::FileTree;

/// Writes `files` as the complete contents of `out`.
pub fn write_tree(out: &Path, files: &FileTree) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new().prefix(".codegen-new-").tempdir_in(&parent)?;
    for (rel, text) in files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
    }
    if !out.exists() {
        std::fs::rename(staging.keep(), out)?;
        return Ok(());
    }
    if exchange(staging.path(), out)? {
        // The staging folder now holds the old tree; dropping it removes it.
        return Ok(());
    }
    swap_by_renames(staging.keep(), out, &parent)
}

/// Swaps the folders `a` and `b` in one atomic step: `renameat2` with
/// `RENAME_EXCHANGE`. `Ok(false)` when the file system cannot do that.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // A file system without RENAME_EXCHANGE: use two renames.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// No atomic exchange off Linux: [`swap_by_renames`] does it in two steps.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Replaces `out` by `staging` with two renames (off Linux, or where the
/// file system lacks `RENAME_EXCHANGE`). Compiled on every platform, and
/// tested on Linux too. A run killed between the renames leaves `out`
/// missing and the old tree in a `.codegen-old-*` folder beside it.
fn swap_by_renames(staging: PathBuf, out: &Path, parent: &Path) -> io::Result<()> {
    // Reserve a name for the old tree; renaming a folder onto an empty one
    // replaces it on every platform we build on.
    let old = tempfile::Builder::new().prefix(".codegen-old-").tempdir_in(parent)?;
    let old_path = old.keep();
    std::fs::rename(out, &old_path)?;
    if let Err(e) = std::fs::rename(&staging, out) {
        // Put the old tree back before reporting.
        let _ = std::fs::rename(&old_path, out);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    std::fs::remove_dir_all(&old_path)
}

/// Reads every file below `dir` into a tree of the same form as the
/// emitter's, for comparison. A missing folder reads as empty.
pub fn read_tree(dir: &Path) -> io::Result<FileTree> {
    let mut tree = FileTree::new();
    if dir.exists() {
        read_into(dir, dir, &mut tree)?;
    }
    Ok(tree)
}

fn read_into(root: &Path, dir: &Path, tree: &mut FileTree) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            read_into(root, &path, tree)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&path)?;
            tree.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

/// A unified diff from `current` (on disk) to `expected` (freshly emitted),
/// or `None` when they are the same.
pub fn diff_trees(current: &FileTree, expected: &FileTree, label: &str) -> Option<String> {
    let mut out = String::new();
    let paths: std::collections::BTreeSet<&String> = current.keys().chain(expected.keys()).collect();
    for path in paths {
        let old = current.get(path).map(String::as_str).unwrap_or("");
        let new = expected.get(path).map(String::as_str).unwrap_or("");
        if current.contains_key(path) && expected.contains_key(path) && old == new {
            continue;
        }
        let old_name = if current.contains_key(path) { format!("a/{label}/{path}") } else { "/dev/null".into() };
        let new_name = if expected.contains_key(path) { format!("b/{label}/{path}") } else { "/dev/null".into() };
        let diff = similar::TextDiff::from_lines(old, new);
        out.push_str(&diff.unified_diff().context_radius(3).header(&old_name, &new_name).to_string());
    }
    (!out.is_empty()).then_some(out)
}

/// Writes one file atomically: a temporary file beside it, then a rename,
/// so a reader never sees half a file.
pub fn write_file_atomic(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&parent)?;
    file.write_all(text.as_bytes())?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback every other platform uses, run here on purpose.
    #[test]
    fn two_renames_replace_the_tree_and_leave_nothing_beside_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        let staging = tmp.path().join("staging");
        std::fs::create_dir_all(out.join("aws")).expect("mkdir");
        std::fs::write(out.join("aws/old.rs"), "old").expect("write");
        std::fs::create_dir_all(&staging).expect("mkdir");
        std::fs::write(staging.join("lib.rs"), "new").expect("write");
        swap_by_renames(staging, &out, tmp.path()).expect("swap");
        let tree = read_tree(&out).expect("read");
        assert_eq!(tree.into_iter().collect::<Vec<_>>(), vec![("lib.rs".to_string(), "new".to_string())]);
        let names: Vec<_> = std::fs::read_dir(tmp.path()).expect("read_dir").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out")]);
    }
}
