//! The CLI as a user runs it: separate processes, real folders.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::write::{read_tree, write_tree};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn codegen(models: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(XTASK);
    cmd.args(["codegen", "--models"]).arg(models).arg("--out").arg(out);
    cmd
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
    let a = read_tree(&tmp.path().join("a")).expect("read a");
    assert!(a.len() > 5);
    assert_eq!(a, read_tree(&tmp.path().join("b")).expect("read b"));
}

/// A run killed at any moment leaves the output folder as it was or as the
/// run would have left it: never half written, never missing.
#[test]
fn a_killed_run_leaves_the_old_tree_or_the_new_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let real = workspace().join("models");
    let fixture = workspace().join("tests/fixtures/models/shared_shapes");

    let status = codegen(&fixture, &out).status().expect("run xtask");
    assert!(status.success());
    let old = read_tree(&out).expect("read old");
    let expected_dir = tmp.path().join("expected");
    let started = Instant::now();
    assert!(codegen(&real, &expected_dir).status().expect("run xtask").success());
    let full_run = started.elapsed();
    let new = read_tree(&expected_dir).expect("read new");
    assert_ne!(old, new);

    let (mut saw_old, mut saw_new) = (0, 0);
    let rounds = 40;
    for round in 0..rounds {
        write_tree(&out, &old).expect("reset to the old tree");
        let mut child = codegen(&real, &out).spawn().expect("spawn xtask");
        // Spread the kills over the whole run, from start-up to the swap.
        std::thread::sleep(full_run.mul_f64(f64::from(round) / f64::from(rounds) * 1.2));
        let _ = child.kill();
        let _ = child.wait();
        let now = read_tree(&out).expect("the output folder still exists");
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("round {round}: the output folder is neither the old nor the new tree");
        }
        assert!(out.exists());
    }
    assert_eq!(saw_old + saw_new, rounds);
    eprintln!("killed runs: {saw_old} left the old tree, {saw_new} the new one (a run takes {full_run:?})");
}
