//! Broken models are refused with the right code, at the right place, with
//! a helpful message, without a panic and without writing anything.
//!
//! The corpus is `tests/fixtures/bad/`: one small model per kind of mistake
//! (a subfolder is one case of several files). Each diagnostic a case
//! expects is stated beside the line it points at, in YAML comments that
//! start at column 0, like rustc's UI tests:
//!
//! ```text
//!       - {name: State, target: TaskStat}
//! #~^ E0004 column 31
//! #~ message: no shape named `TaskStat`
//! #~ help: did you mean `TaskState`?
//! ```
//!
//! - `#~^ CODE column N`: a diagnostic `CODE` on the line above, at column
//!   `N`; `#~^^` two lines above, and so on. Expectation lines are not
//!   counted, so several expectations about one line stack under it.
//! - `#~v CODE column N`: the same about the line below (for a line that
//!   cannot be followed by a comment, such as a line in a block scalar).
//! - `#~$ CODE column N`: at the end of the file (the line after the last),
//!   where the YAML parser reports an unclosed quote or bracket; written at
//!   the top, so that nothing can follow it into the open construct.
//! - `#~ message: TEXT` and `#~ help: TEXT` belong to the expectation above
//!   them, and must appear in that diagnostic's message and help.
//!
//! Expectations are relative, so editing a fixture above its error breaks
//! nothing. Every diagnostic must be expected (in the file it points into)
//! and every expectation met; any other line starting with `#~` is an error.
//!
//! Cases that cannot be committed (a file over 1 MiB, deep nesting, bytes
//! that are not UTF-8, an empty or missing folder) are built here.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::GenerateError;
use codegen::diagnostic::{Code, Color, one_line};
use tests::workspace;

/// One expectation, its place resolved, and the texts that belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expect {
    code: String,
    /// The file the diagnostic points into (by file name).
    file: String,
    line: usize,
    column: usize,
    messages: Vec<String>,
    helps: Vec<String>,
}

/// A case: its name and files (file name, bytes).
struct Case {
    name: String,
    files: Vec<(String, Vec<u8>)>,
}

fn corpus_dir() -> PathBuf {
    workspace().join("tests/fixtures/bad")
}

/// Every case of the corpus, sorted by name.
fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("the corpus folder exists") {
        let path = entry.expect("a readable corpus entry").path();
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        if path.is_dir() {
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
                .expect("a readable case folder")
                .map(|e| {
                    let p = e.expect("a readable case file").path();
                    let file = p.file_name().expect("a file name").to_string_lossy().into_owned();
                    (file, std::fs::read(&p).expect("a readable case file"))
                })
                .collect();
            files.sort();
            cases.push(Case { name, files });
        } else {
            let bytes = std::fs::read(&path).expect("a readable case file");
            cases.push(Case {
                name: name.trim_end_matches(".yaml").to_string(),
                files: vec![(name, bytes)],
            });
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Reads the `#~` expectation lines of one file, resolving their places.
fn parse_expectations(file: &str, text: &str) -> Result<Vec<Expect>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let is_expectation = |l: &str| l.starts_with("#~");
    // 1-based numbers of the lines expectations can point at.
    let model_lines: Vec<usize> = (1..=lines.len()).filter(|&n| !is_expectation(lines[n - 1])).collect();
    let mut out: Vec<Expect> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let number = i + 1;
        let Some(rest) = line.strip_prefix("#~") else { continue };
        if let Some(text) = rest.strip_prefix(" message: ") {
            out.last_mut().ok_or(format!("line {number}: `message` before any expectation"))?.messages.push(text.trim().to_string());
            continue;
        }
        if let Some(text) = rest.strip_prefix(" help: ") {
            out.last_mut().ok_or(format!("line {number}: `help` before any expectation"))?.helps.push(text.trim().to_string());
            continue;
        }
        let marker_len = rest.find(' ').ok_or(format!("line {number}: malformed expectation `{line}`"))?;
        let (marker, spec) = rest.split_at(marker_len);
        let target = if marker == "$" {
            Some(lines.len() + 1)
        } else if !marker.is_empty() && marker.chars().all(|c| c == '^') {
            let above: Vec<&usize> = model_lines.iter().filter(|&&n| n < number).collect();
            above.len().checked_sub(marker.len()).map(|at| *above[at])
        } else if !marker.is_empty() && marker.chars().all(|c| c == 'v') {
            model_lines.iter().filter(|&&n| n > number).nth(marker.len() - 1).copied()
        } else {
            return Err(format!("line {number}: unknown expectation `{line}`"));
        };
        let target = target.ok_or(format!("line {number}: `{marker}` points outside the file"))?;
        let words: Vec<&str> = spec.split_whitespace().collect();
        let [code, "column", column] = words.as_slice() else {
            return Err(format!("line {number}: malformed expectation `{line}`: write `#~^ E0004 column 17`"));
        };
        if !(code.len() == 5 && code.starts_with('E') && code[1..].chars().all(|c| c.is_ascii_digit())) {
            return Err(format!("line {number}: `{code}` is not an error code"));
        }
        out.push(Expect {
            code: code.to_string(),
            file: file.to_string(),
            line: target,
            column: column.parse().map_err(|_| format!("line {number}: bad column in `{line}`"))?,
            messages: Vec::new(),
            helps: Vec::new(),
        });
    }
    Ok(out)
}

/// The expectations of every file of a case.
fn case_expectations(case: &Case) -> Result<Vec<Expect>, String> {
    let mut out = Vec::new();
    for (name, bytes) in &case.files {
        // A file that is not UTF-8 holds no readable expectations.
        if let Ok(text) = std::str::from_utf8(bytes) {
            out.extend(parse_expectations(name, text).map_err(|e| format!("{name}: {e}"))?);
        }
    }
    if out.is_empty() {
        return Err("no `#~` expectation in any file of the case".into());
    }
    Ok(out)
}

/// The output folder's files and bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("below the root").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("a readable file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// An output folder that already holds files, as a previous run left it.
fn output_with_sentinel(root: &Path) -> PathBuf {
    let out = root.join("out");
    std::fs::create_dir_all(out.join("aws")).expect("create the output folder");
    std::fs::write(out.join("sentinel.rs"), "// written before the run\n").expect("write the sentinel");
    std::fs::write(out.join("aws/fsx.rs"), "// an older generated file\n").expect("write an old file");
    out
}

/// Runs the generator on `models`, expecting failure without a panic, and
/// checks that the output folder was not touched.
fn generate_err(models: &Path, out: &Path) -> Result<GenerateError, String> {
    let before = snapshot(out);
    let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(models, "models")));
    if snapshot(out) != before {
        return Err("the output folder changed".into());
    }
    match result {
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("the generator panicked: {what}"))
        }
        Ok(Ok(outputs)) => Err(format!("the model was accepted ({} files generated)", outputs.files.len())),
        Ok(Err(e)) => Ok(e),
    }
}

/// Every diagnostic as one line with its help, for failure messages.
fn listing(e: &GenerateError) -> String {
    e.diagnostics
        .iter()
        .map(|d| format!("    {}\n        help: {}", one_line(d, &e.sources), d.help.as_deref().unwrap_or("(none)")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last line of every rendering: how many errors, and that nothing was written.
fn count_line(n: usize) -> String {
    match n {
        1 => "error: aborting due to 1 previous error; nothing was written\n".to_string(),
        n => format!("error: aborting due to {n} previous errors; nothing was written\n"),
    }
}

/// Checks one corpus case; returns what is wrong with it.
fn check_case(case: &Case) -> Result<(), String> {
    if case.files.is_empty() {
        return Err("an empty case folder".into());
    }
    let expected = case_expectations(case)?;
    let code_prefix = case.name.split('_').next().unwrap_or_default().to_uppercase();
    if !expected.iter().any(|x| x.code == code_prefix) {
        return Err(format!("the name says {code_prefix}, but no expectation has that code"));
    }

    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let models = tmp.path().join("models");
    std::fs::create_dir(&models).map_err(|e| e.to_string())?;
    for (name, bytes) in &case.files {
        std::fs::write(models.join(name), bytes).map_err(|e| e.to_string())?;
    }
    let out = output_with_sentinel(tmp.path());
    let e = generate_err(&models, &out)?;

    let actual: BTreeSet<(String, String, usize, usize)> = e
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .file
                .and_then(|i| e.sources.files.get(i))
                .map(|f| f.rel_path.clone())
                .unwrap_or_else(|| "<models>".into());
            (d.code.as_str().to_string(), file, d.span.line, d.span.column)
        })
        .collect();
    let wanted: BTreeSet<(String, String, usize, usize)> =
        expected.iter().map(|x| (x.code.clone(), x.file.clone(), x.line, x.column)).collect();
    if actual != wanted || actual.len() != e.diagnostics.len() {
        return Err(format!(
            "expected the diagnostics {wanted:?},\n  got {} diagnostics:\n{}",
            e.diagnostics.len(),
            listing(&e)
        ));
    }

    let rendered = e.render(Color::Never);
    for x in &expected {
        let d = e
            .diagnostics
            .iter()
            .find(|d| {
                d.code.as_str() == x.code
                    && (d.span.line, d.span.column) == (x.line, x.column)
                    && d.file.and_then(|i| e.sources.files.get(i)).is_some_and(|f| f.rel_path == x.file)
            })
            .ok_or("no diagnostic for an expectation")?;
        for m in &x.messages {
            if !d.message.contains(m.as_str()) {
                return Err(format!("the message of {} lacks `{m}`:\n{}", x.code, listing(&e)));
            }
        }
        for h in &x.helps {
            if !d.help.as_deref().unwrap_or_default().contains(h.as_str()) {
                return Err(format!("the help of {} lacks `{h}`:\n{}", x.code, listing(&e)));
            }
        }
        if d.label.trim().is_empty() {
            return Err(format!("{} has no label under its caret", x.code));
        }
        for needle in [format!("models/{}:{}:{}", x.file, x.line, x.column), format!("error[{}]", x.code)] {
            if !rendered.contains(&needle) {
                return Err(format!("the rendering lacks `{needle}`:\n{rendered}"));
            }
        }
    }
    if !rendered.contains('^') {
        return Err(format!("the rendering has no caret:\n{rendered}"));
    }
    if !rendered.ends_with(&count_line(expected.len())) {
        return Err(format!("the rendering does not end with the error count:\n{rendered}"));
    }
    Ok(())
}

#[test]
fn every_bad_model_is_refused_with_its_code_place_and_help() {
    let cases = corpus();
    assert!(cases.len() >= 30, "the corpus has {} cases; it should cover every kind of mistake", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check_case(case).err().map(|why| format!("{}: {why}", case.name)))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn a_wrong_expectation_fails_the_case() {
    // The checks above must be able to fail: take a real case and break its
    // expectation in each way a case can be wrong.
    let case = corpus()
        .into_iter()
        .find(|c| c.name == "e0004_dangling_member_target")
        .expect("the case exists");
    assert_eq!(check_case(&case), Ok(()));
    let text = String::from_utf8(case.files[0].1.clone()).expect("UTF-8");
    let with = |from: &str, to: &str| {
        assert!(text.contains(from), "the case has `{from}`");
        Case {
            name: case.name.clone(),
            files: vec![(case.files[0].0.clone(), text.replacen(from, to, 1).into_bytes())],
        }
    };
    let expect = "#~^ E0004 column 31\n";
    let broken = [
        (expect, "#~^ E0003 column 31\n"),
        (expect, "#~^^ E0004 column 31\n"),
        (expect, "#~^ E0004 column 30\n"),
        (expect, "#~v E0004 column 31\n"),
        (expect, "#~$ E0004 column 31\n"),
        // A second expectation on the same line, and one nowhere.
        (expect, "#~^ E0004 column 31\n#~^ E0004 column 31\n"),
        ("service:\n", "#~v E0004 column 1\nservice:\n"),
        ("#~ message: ", "#~ message: no such text "),
        ("#~ help: ", "#~ help: no such help "),
        ("#~ help: ", "#~ hint: "),
        // Fixing the model leaves an expectation unmet.
        ("target: TaskStat}", "target: TaskState}"),
        // Every expectation gone: the diagnostic is unexpected.
        (expect, ""),
    ];
    for (from, to) in broken {
        assert!(check_case(&with(from, to)).is_err(), "replacing `{from}` by `{to}` went unnoticed");
    }
    // What the format is for: edits above the error, and expectation lines
    // in between, change nothing.
    let fine = [
        ("service:\n", "# a new comment\n\nservice:\n"),
        ("  provider: test\n", "  provider: test\n  # and one inside a mapping\n"),
        ("#~ help: ", "#~ message: no shape named\n#~ help: "),
    ];
    for (from, to) in fine {
        assert_eq!(check_case(&with(from, to)), Ok(()), "replacing `{from}` by `{to}`");
    }
}

#[test]
fn expectation_lines_parse_strictly() {
    let one = |file: &str, line, column, messages: &[&str], helps: &[&str]| Expect {
        code: "E0016".into(),
        file: file.into(),
        line,
        column,
        messages: messages.iter().map(|m| m.to_string()).collect(),
        helps: helps.iter().map(|h| h.to_string()).collect(),
    };
    assert_eq!(parse_expectations("a.yaml", "service: {}\n"), Ok(vec![]));
    for bad in [
        "#~ message: x\n",
        "a: 1\n#~^ E0004 line 1 column 1\n",
        "a: 1\n#~^ E0004 column x\n",
        "a: 1\n#~^ e0004 column 1\n",
        "a: 1\n#~^E0004 column 1\n",
        "a: 1\n#~> E0004 column 1\n",
        "a: 1\n#~ note: x\n",
        "#~^ E0004 column 1\na: 1\n",
        "a: 1\n#~v E0004 column 1\n",
        "a: 1\n#~^^ E0004 column 1\n",
    ] {
        assert!(parse_expectations("a.yaml", bad).is_err(), "{bad:?} parsed");
    }
    let text = "a: 1\nb: 2\n#~^ E0016 column 4\n#~ message: m\n#~^^ E0016 column 1\n#~ help: h\n#~v E0016 column 2\nc: 3\n#~$ E0016 column 1\n";
    assert_eq!(
        parse_expectations("b.yaml", text),
        Ok(vec![
            one("b.yaml", 2, 4, &["m"], &[]),
            one("b.yaml", 1, 1, &[], &["h"]),
            one("b.yaml", 8, 2, &[], &[]),
            one("b.yaml", 10, 1, &[], &[]),
        ])
    );
    // A case needs at least one expectation somewhere.
    let case = Case {
        name: "e0004_x".into(),
        files: vec![("a.yaml".into(), b"a: 1\n".to_vec())],
    };
    assert!(case_expectations(&case).is_err());
}

// ---------------------------------------------------------------------------
// Cases built at test time.

/// A valid model to pad or spoil.
fn valid_model() -> String {
    std::fs::read_to_string(workspace().join("tests/fixtures/models/shared_shapes/test/shared.yaml"))
        .expect("the shared-shapes fixture")
}

/// One diagnostic: code, line, column, message.
type Found = (Code, usize, usize, String);

/// Runs the generator on one file with the given bytes; returns the
/// diagnostics, the rendering and how long the run took.
fn run_one(bytes: &[u8]) -> (Vec<Found>, String, Duration) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = tmp.path().join("models");
    std::fs::create_dir(&models).expect("models folder");
    std::fs::write(models.join("model.yaml"), bytes).expect("write the model");
    let out = output_with_sentinel(tmp.path());
    let start = Instant::now();
    let e = generate_err(&models, &out).unwrap_or_else(|why| panic!("{why}"));
    let elapsed = start.elapsed();
    let found = e
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.line, d.span.column, d.message.clone()))
        .collect();
    (found, e.render(Color::Never), elapsed)
}

#[test]
fn a_file_over_sixteen_mebibytes_is_refused_unread() {
    let mut text = valid_model();
    let line = format!("# {}\n", "padding ".repeat(16));
    while text.len() <= 16 * 1024 * 1024 {
        text.push_str(&line);
    }
    let (found, rendered, _) = run_one(text.as_bytes());
    assert_eq!(found.len(), 1, "{rendered}");
    let (code, line, column, message) = &found[0];
    assert_eq!((*code, *line, *column), (Code::TooLarge, 1, 1), "{rendered}");
    assert!(message.contains(&format!("the file is {} bytes", text.len())), "{message}");
    assert!(message.contains("at most 16777216"), "{message}");
    assert!(rendered.contains("models/model.yaml"), "{rendered}");
    assert!(rendered.contains("help: a model is a UTF-8 YAML file of at most 16 MiB"), "{rendered}");
    assert!(rendered.ends_with(&count_line(1)), "{rendered}");
}

#[test]
fn deep_nesting_fails_cleanly_and_quickly() {
    // `a:` nested by indentation, one space a level, from column `base`.
    let nested = |base: usize, levels: usize| -> String {
        (0..levels).map(|n| format!("{}a:\n", " ".repeat(base + n))).collect::<String>()
            + &" ".repeat(base + levels)
            + "x\n"
    };
    // Deep data where a model allows any data: an example's input.
    let in_example = |data: &str| {
        valid_model().replacen(
            "    output: GetTaskResponse\n",
            &format!("    output: GetTaskResponse\n    examples:\n      - title: Deep\n        input:{data}"),
            1,
        )
    };
    // (what, text, expected code): none may overflow the stack or take long.
    let cases = [
        // 10 000 levels take 50 MB: refused unread, for their size.
        ("`a:` nested 10 000 levels", nested(0, 10_000), Code::TooLarge),
        // 1 300 levels fit in 1 MiB: refused by the loader's depth limit.
        ("`a:` nested 1 300 levels", in_example(&format!("\n{}", nested(10, 1_300))), Code::TooLarge),
        ("10 000 `- `", in_example(&format!("\n{}{}x\n", " ".repeat(10), "- ".repeat(10_000))), Code::TooLarge),
        ("10 000 `{a: `", in_example(&format!(" {}x{}\n", "{a: ".repeat(10_000), "}".repeat(10_000))), Code::TooLarge),
        ("100 000 `[` in a model", in_example(&format!(" {}\n", "[".repeat(100_000))), Code::TooLarge),
        ("100 000 `[` alone", "[".repeat(100_000), Code::TooLarge),
        // A list is not a model: refused at its first item.
        ("10 000 `- ` alone", "- ".repeat(10_000) + "x\n", Code::WrongType),
    ];
    let mut failures = Vec::new();
    for (what, text, code) in cases {
        let (found, rendered, elapsed) = run_one(text.as_bytes());
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        if codes != [code] {
            failures.push(format!("{what}: expected [{code}], got {codes:?}: {:?}", found.iter().map(|f| &f.3).collect::<Vec<_>>()));
        }
        if elapsed > Duration::from_secs(2) {
            failures.push(format!("{what}: took {elapsed:?}"));
        }
        if !rendered.contains("models/model.yaml:") || !rendered.ends_with(&count_line(1)) {
            failures.push(format!("{what}: rendered without place or count"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_the_bad_byte() {
    let text = valid_model();
    let at = text.find("Cancels a task.").expect("the docs line") + "Cancels a ".len();
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = 0xff;
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    let (found, rendered, _) = run_one(&bytes);
    assert_eq!(found.len(), 1, "{rendered}");
    let (code, l, c, message) = &found[0];
    assert_eq!((*code, *l, *c), (Code::Syntax, line, column), "{rendered}");
    assert!(message.contains("not UTF-8"), "{message}");
    assert!(rendered.contains(&format!("models/model.yaml:{line}:{column}")), "{rendered}");
    assert!(rendered.contains("Cancels a \u{fffd}ask."), "the line is shown: {rendered}");
    assert!(rendered.contains('^'), "{rendered}");
    assert!(rendered.ends_with(&count_line(1)), "{rendered}");
}

#[test]
fn an_empty_or_missing_models_folder_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = output_with_sentinel(tmp.path());
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(empty.join("aws")).expect("an empty folder with an empty subfolder");
    std::fs::write(empty.join("README.md"), "not a model\n").expect("a file that is not a model");
    let missing = tmp.path().join("missing");
    for (dir, words) in [(&empty, "no model files (`*.yaml`) below"), (&missing, "cannot read the models folder")] {
        let e = generate_err(dir, &out).unwrap_or_else(|why| panic!("{}: {why}", dir.display()));
        assert_eq!(e.diagnostics.len(), 1, "{}", listing(&e));
        let d = &e.diagnostics[0];
        assert_eq!(d.code, Code::Io);
        assert!(d.message.contains(words), "{}", d.message);
        assert!(d.help.as_deref().unwrap_or_default().contains("--models"), "{:?}", d.help);
        let rendered = e.render(Color::Never);
        assert!(rendered.contains("error[E0020]"), "{rendered}");
        assert!(rendered.ends_with(&count_line(1)), "{rendered}");
    }
}

// ---------------------------------------------------------------------------
// The command line.

/// Runs `cargo xtask codegen` with `args` from the workspace root.
fn xtask(args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "codegen"])
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("run cargo xtask")
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

#[test]
fn the_cli_refuses_a_bad_model_and_leaves_the_output_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = tmp.path().join("models");
    std::fs::create_dir(&models).expect("models folder");
    let name = "e0004_dangling_member_target.yaml";
    let text = std::fs::read_to_string(corpus_dir().join(name)).expect("the corpus case");
    std::fs::write(models.join(name), &text).expect("copy the case");
    let expect = &parse_expectations(name, &text).expect("expectations")[0];
    let out = output_with_sentinel(tmp.path());
    let before = snapshot(&out);

    let output = xtask(&["--models", path_arg(&models), "--out", path_arg(&out)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let place = format!("models/{name}:{}:{}", expect.line, expect.column);
    assert!(stderr.contains(&place), "stderr lacks `{place}`:\n{stderr}");
    assert!(stderr.contains("error[E0004]"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the output folder changed");
    // No staging folder was left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("the temp folder")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().starts_with(".codegen-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_cli_check_reports_a_stale_output_as_a_diff() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let models = workspace().join("tests/fixtures/models/shared_shapes");
    let outputs = codegen::generate(&models, "models").unwrap_or_else(|e| panic!("{}", e.render(Color::Never)));
    let out = tmp.path().join("out");
    outputs.write_to(&codegen::Layout::src(&out)).expect("write the fresh output");
    let lib = out.join("lib.rs");
    let fresh = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, fresh.replacen("pub mod", "mod", 1)).expect("make lib.rs stale");
    let before = snapshot(&out);

    let output = xtask(&["--check", "--models", path_arg(&models), "--out", path_arg(&out)]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for needle in ["--- a/", "+++ b/", "@@ ", "lib.rs", "-mod ", "+pub mod "] {
        assert!(stdout.contains(needle), "the diff lacks `{needle}`:\n{stdout}");
    }
    assert!(stderr.contains("is stale"), "{stderr}");
    assert_eq!(snapshot(&out), before, "`--check` wrote to the output folder");
}

// ---------------------------------------------------------------------------
// Documentation.

/// Codes asserted by the tests above that build their cases at test time.
const BUILT_CASE_CODES: &[Code] = &[Code::Syntax, Code::TooLarge, Code::Io];

#[test]
fn every_error_code_is_documented_and_has_a_case() {
    let readme = std::fs::read_to_string(workspace().join("models/README.md")).expect("models/README.md");
    let section = readme
        .split_once("\n## Error codes\n")
        .map(|(_, rest)| rest)
        .expect("models/README.md has a `## Error codes` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let headings: BTreeSet<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|h| h.split_whitespace().next())
        .collect();

    let mut covered: BTreeSet<String> = BUILT_CASE_CODES.iter().map(|c| c.as_str().to_string()).collect();
    for case in corpus() {
        for x in case_expectations(&case).unwrap_or_default() {
            covered.insert(x.code);
        }
    }
    for code in Code::ALL {
        let code = code.as_str();
        assert!(headings.contains(code), "models/README.md has no `### {code}` heading under `## Error codes`");
        // E0021 is the generator's own failure: no model can cause it.
        if code != Code::Internal.as_str() {
            assert!(covered.contains(code), "no bad-model case produces {code}");
        }
    }
    assert_eq!(headings.len(), Code::ALL.len(), "headings for codes that do not exist: {headings:?}");
}

/// models/README.md says its printed outputs are real: each block headed
/// `# tests/fixtures/bad/<case>` is what the tool prints for that case
/// (without the count line, which the README prints once per block).
#[test]
fn the_outputs_printed_in_models_readme_are_real() {
    let readme = std::fs::read_to_string(workspace().join("models/README.md")).expect("models/README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(rel) = lines[i].strip_prefix("# tests/fixtures/bad/") else {
            i += 1;
            continue;
        };
        let end = (i + 1..lines.len())
            .find(|&j| ["# ", "$ ", "error: aborting", "```"].iter().any(|p| lines[j].starts_with(p)))
            .unwrap_or(lines.len());
        let printed = lines[i + 1..end].join("\n");
        let printed = printed.trim_end();
        let case = corpus_dir().join(rel.trim_end_matches('/'));
        let tmp = tempfile::tempdir().expect("tempdir");
        let models = tmp.path().join("models");
        std::fs::create_dir(&models).expect("models folder");
        let files: Vec<PathBuf> = if case.is_dir() {
            std::fs::read_dir(&case).expect("case folder").map(|e| e.expect("entry").path()).collect()
        } else {
            vec![case.clone()]
        };
        for file in files {
            std::fs::copy(&file, models.join(file.file_name().expect("name"))).expect("copy the case");
        }
        let rendered = match codegen::generate(&models, "models") {
            Err(e) => e.render(Color::Never),
            Ok(_) => format!("(the case {rel} is accepted)"),
        };
        let real = rendered.rsplit_once("error: aborting").map_or(rendered.as_str(), |(body, _)| body).trim_end();
        if printed != real {
            failures.push(format!("{rel}: models/README.md prints\n{printed}\n\nbut the tool prints\n{real}\n"));
        }
        checked += 1;
        i = end;
    }
    assert!(checked >= 20, "only {checked} printed outputs found in models/README.md");
    assert!(failures.is_empty(), "update models/README.md:\n\n{}", failures.join("\n"));
}
