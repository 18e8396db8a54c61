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
//!
//! The crate manifest ([`MANIFEST`], `../Cargo.toml`) lies outside the output
//! folder, so it cannot be part of the swap: it is staged beside its place
//! and renamed in right after the swap, before the old tree is removed (a
//! kill can split the two only between those two renames). It is never
//! written over a `Cargo.toml` that lacks the generated header (such as the
//! workspace's own, were `--out` pointed at `generated/`); that is refused
//! before anything is written.

use std::io;
use std::path::{Path, PathBuf};

use crate::emit::{FileTree, MANIFEST};

/// Where the manifest of a crate whose sources are written to `out` goes.
fn manifest_path(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("Cargo.toml"),
        _ => PathBuf::from("Cargo.toml"),
    }
}

/// Writes `files` as the complete contents of `out`, and the manifest
/// beside it.
pub fn write_tree(out: &Path, files: &FileTree) -> io::Result<()> {
    let manifest = files.get(MANIFEST).map(|text| (manifest_path(out), text));
    if let Some((path, _)) = &manifest {
        if let Ok(existing) = std::fs::read_to_string(path) {
            if !existing.starts_with("# @generated") {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "`{}` was not written by the generator (it has no `# @generated` header); refusing to overwrite it (is `--out` the crate's `src` folder?)",
                        path.display()
                    ),
                ));
            }
        }
    }
    // Staged before the tree, renamed into place right after the swap.
    let staged_manifest = match &manifest {
        Some((path, text)) => {
            use std::io::Write;
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)?;
            let mut file = tempfile::Builder::new().prefix(".codegen-manifest-").tempfile_in(dir)?;
            file.write_all(text.as_bytes())?;
            Some((file, path.clone()))
        }
        None => None,
    };
    swap_in_tree(out, files, || match staged_manifest {
        Some((file, path)) => file.persist(path).map(drop).map_err(|e| e.error),
        None => Ok(()),
    })
}

/// Writes every file of `files` but the manifest as the complete contents
/// of `out`, all or nothing, and calls `swapped` as soon as the new tree is
/// in place, before the old one is removed.
fn swap_in_tree(out: &Path, files: &FileTree, swapped: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new().prefix(".codegen-new-").tempdir_in(&parent)?;
    for (rel, text) in files.iter().filter(|(rel, _)| rel.as_str() != MANIFEST) {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
    }
    if !out.exists() {
        std::fs::rename(staging.keep(), out)?;
        return swapped();
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging.path(), CWD, out, RenameFlags::EXCHANGE) {
            // The staging folder now holds the old tree; dropping it
            // removes it.
            Ok(()) => return swapped(),
            // A file system without RENAME_EXCHANGE: use two renames.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Reserve a name for the old tree; renaming a folder onto an empty one
    // replaces it on every platform we build on.
    let old = tempfile::Builder::new().prefix(".codegen-old-").tempdir_in(&parent)?;
    let old_path = old.keep();
    std::fs::rename(out, &old_path)?;
    let staging_path = staging.keep();
    if let Err(e) = std::fs::rename(&staging_path, out) {
        // Put the old tree back before reporting.
        let _ = std::fs::rename(&old_path, out);
        let _ = std::fs::remove_dir_all(&staging_path);
        return Err(e);
    }
    let result = swapped();
    std::fs::remove_dir_all(&old_path)?;
    result
}

/// Reads every file below `dir`, and the manifest beside it, into a tree
/// of the same form as the emitter's, for comparison. A missing folder
/// reads as empty.
pub fn read_tree(dir: &Path) -> io::Result<FileTree> {
    let mut tree = FileTree::new();
    if dir.exists() {
        read_into(dir, dir, &mut tree)?;
    }
    if let Ok(bytes) = std::fs::read(manifest_path(dir)) {
        tree.insert(MANIFEST.to_string(), String::from_utf8_lossy(&bytes).into_owned());
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
