//! The CLI as a user runs it: separate processes, real folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `cargo xtask codegen` for `models` into `out`. These tests write
/// unrelated models into one place, so the semver check against the last
/// run's API (`api.txt` beside `out`) is waived.
fn codegen(models: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(XTASK);
    cmd.args(["codegen", "--allow-breaking", "--models"]).arg(models).arg("--out").arg(out);
    cmd
}

/// Every file below `dir` (not following links) and its exact bytes; a
/// folder is listed too (with no bytes), so an empty one counts.
fn bytes_of(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("a readable entry").path();
            let rel = path.strip_prefix(root).expect("below the root").to_path_buf();
            if std::fs::symlink_metadata(&path).expect("metadata").is_dir() {
                out.insert(rel, None);
                walk(root, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).expect("a readable file")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names in `dir` that a run left beside its output (staging folders).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".codegen-"))
        .collect()
}

/// Separate processes have separate hash seeds and may list folders in any
/// order; the trees they write must be byte-identical.
#[test]
fn two_processes_write_identical_trees() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = workspace().join("models");
    for name in ["a", "b"] {
        let status = codegen(&models, &tmp.path().join(name)).status().expect("run xtask");
        assert!(status.success());
    }
    let a = bytes_of(&tmp.path().join("a"));
    assert!(a.len() > 5);
    assert_eq!(a, bytes_of(&tmp.path().join("b")));
}

/// A run killed at any moment leaves the output folder as it was or as the
/// run would have left it, byte for byte: never half written, never missing.
#[test]
fn a_killed_run_leaves_the_old_tree_or_the_new_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let real = workspace().join("models");
    let fixture = workspace().join("tests/fixtures/models/shared_shapes");

    // The old tree: a copy of what the fixture generates, kept aside to
    // reset the output folder from before each round.
    let old_dir = tmp.path().join("old");
    assert!(codegen(&fixture, &old_dir).status().expect("run xtask").success());
    let old = bytes_of(&old_dir);
    let expected_dir = tmp.path().join("expected");
    let started = Instant::now();
    assert!(codegen(&real, &expected_dir).status().expect("run xtask").success());
    let full_run = started.elapsed();
    let new = bytes_of(&expected_dir);
    assert_ne!(old, new);
    assert!(old.len() > 3 && new.len() > 3, "both trees have files");

    let reset = || {
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir(&out).expect("mkdir");
        for (rel, bytes) in &old {
            match bytes {
                None => std::fs::create_dir_all(out.join(rel)).expect("mkdir"),
                Some(b) => std::fs::write(out.join(rel), b).expect("write"),
            }
        }
        assert_eq!(bytes_of(&out), old, "reset to the old tree");
    };
    // (killed while running, left the old tree) per round.
    let mut seen: Vec<(bool, bool)> = Vec::new();
    let rounds = 40;
    // Spread the kills over the whole run, from start-up to past the swap;
    // if no kill landed after the swap, keep going with later kills.
    let mut delays: Vec<Duration> = (0..rounds).map(|r| full_run.mul_f64(f64::from(r) / f64::from(rounds) * 1.2)).collect();
    delays.extend((1..=20).map(|r| full_run.mul_f64(1.2 + f64::from(r) * 0.2)));
    for (round, delay) in delays.into_iter().enumerate() {
        if round >= rounds as usize && seen.iter().any(|(_, was_old)| !was_old) {
            break;
        }
        reset();
        let mut child = codegen(&real, &out).spawn().expect("spawn xtask");
        std::thread::sleep(delay);
        let running = child.try_wait().expect("try_wait").is_none();
        let _ = child.kill();
        let _ = child.wait();
        assert!(out.is_dir(), "round {round}: the output folder is missing");
        let now = bytes_of(&out);
        let was_old = if now == old {
            true
        } else if now == new {
            false
        } else {
            let differ: Vec<_> = now
                .keys()
                .chain(new.keys())
                .filter(|k| now.get(*k) != new.get(*k) && now.get(*k) != old.get(*k))
                .collect();
            panic!("round {round}: the output folder is neither the old nor the new tree: {differ:?}");
        };
        seen.push((running, was_old));
    }
    let killed_running_old = seen.iter().filter(|(running, was_old)| *running && *was_old).count();
    let saw_new = seen.iter().filter(|(_, was_old)| !was_old).count();
    eprintln!(
        "killed runs: {} rounds, {killed_running_old} killed mid-run left the old tree, {saw_new} the new one (a run takes {full_run:?})",
        seen.len()
    );
    // Both outcomes were reached, so the rounds did span the swap.
    assert!(killed_running_old >= 1, "no round killed a running generator: {seen:?}");
    assert!(saw_new >= 1, "no round got as far as the new tree: {seen:?}");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a refusal: exit code 2, the offending path and a fix named,
/// nothing changed, nothing left beside the output.
fn assert_refused(output: &Output, offender: &str, fix: &str, root: &Path, before: &BTreeMap<PathBuf, Option<Vec<u8>>>) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("error: `{offender}`")), "stderr does not name `{offender}`:\n{err}");
    assert!(err.contains("= help: ") && err.contains(fix), "stderr lacks the fix `{fix}`:\n{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(&bytes_of(root), before, "the refused run changed something");
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

/// The easy slip: `--out generated` (the crate) instead of `generated/src`.
/// It would delete the crate's Cargo.toml; it must refuse and change
/// nothing, the models' schema included.
#[test]
fn out_naming_the_crate_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let krate = tmp.path().join("generated");
    std::fs::create_dir_all(&krate).expect("mkdir");
    std::fs::copy(workspace().join("generated/Cargo.toml"), krate.join("Cargo.toml")).expect("copy the manifest");
    assert!(codegen(&workspace().join("models"), &krate.join("src")).status().expect("run xtask").success());
    let before = bytes_of(tmp.path());

    let output = Command::new(XTASK)
        .args(["codegen", "--models"])
        .arg(workspace().join("models"))
        .args(["--out", "generated"])
        .current_dir(tmp.path())
        .output()
        .expect("run xtask");
    assert_refused(&output, "generated/Cargo.toml", "did you mean `--out generated/src`?", tmp.path(), &before);
}

/// The default models folder also writes models/schema.json: a refused run
/// must not write that either. Run on a copy of the workspace's layout.
#[test]
fn a_refused_run_does_not_write_the_schema_either() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("src");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("main.rs"), "fn main() {}\n").expect("a hand-written file");
    // The schema is current, so a rewrite would not change its bytes: look
    // at the file itself (it is replaced by a rename when written).
    let schema = workspace().join("models/schema.json");
    let identity = || {
        let meta = std::fs::metadata(&schema).expect("the schema");
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        (meta.modified().expect("mtime"), inode, meta.len())
    };
    let schema_before = identity();
    let output = Command::new(XTASK).args(["codegen", "--out"]).arg(&out).output().expect("run xtask");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(identity(), schema_before, "models/schema.json was written");
    assert_eq!(std::fs::read_to_string(out.join("main.rs")).expect("main.rs"), "fn main() {}\n");
}

/// A hand-written file or a foreign subfolder in the output folder: refused,
/// by name, with nothing changed; generated files beside it stay as they were.
#[test]
fn an_output_folder_holding_what_the_generator_did_not_write_is_refused() {
    let fixture = workspace().join("tests/fixtures/models/shared_shapes");
    let cases: [(&str, &str, &str); 4] = [
        ("aws/helpers.rs", "// my helpers\npub fn help() {}\n", "move it out of"),
        ("NOTES.md", "# notes\n", "move it out of"),
        ("vendor/lib.rs", "pub fn vendored() {}\n", "move it out of"),
        ("vendor/.keep", "", "move it out of"),
    ];
    for (rel, text, fix) in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        assert!(codegen(&fixture, &out).status().expect("run xtask").success());
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write the foreign file");
        let before = bytes_of(tmp.path());
        let output = codegen(&workspace().join("models"), &out).output().expect("run xtask");
        assert_refused(&output, &path.display().to_string(), fix, tmp.path(), &before);
    }
}

/// A missing, empty or fully generated folder is (re)written as before:
/// generated files the models no longer produce are removed.
#[test]
fn a_missing_empty_or_generated_output_folder_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = workspace().join("models");
    let expected_dir = tmp.path().join("expected");
    assert!(codegen(&models, &expected_dir).status().expect("run xtask").success());
    let expected = bytes_of(&expected_dir);

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let generated = tmp.path().join("generated");
    assert!(codegen(&workspace().join("tests/fixtures/models/shared_shapes"), &generated).status().expect("run").success());
    let gone = generated.join("test/gone.rs");
    std::fs::write(&gone, "// @generated by `cargo xtask codegen`. Do not edit by hand: edit the model and regenerate.\n")
        .expect("a generated file no model produces any more");
    for out in [tmp.path().join("missing"), empty, generated] {
        let output = codegen(&models, &out).output().expect("run xtask");
        assert!(output.status.success(), "{}: {}", out.display(), stderr(&output));
        assert_eq!(bytes_of(&out), expected, "{}", out.display());
    }
    assert!(!gone.exists());
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}
