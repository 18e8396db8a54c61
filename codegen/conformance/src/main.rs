//! `cloud-api-conformance`: AWS's protocol test suites, run through our
//! pipeline (`cargo xtask conformance` runs it).
//!
//! For each suite (the cases of one operation) of each suite file:
//!
//! 1. the suite's metadata, shapes and the cases' operations become a
//!    botocore `service-2.json`, imported with the botocore importer into a
//!    model (service `aws::<ec2in3>`), as a vendor model would be;
//! 2. every model that imports and checks is generated into one scratch
//!    crate (`target/conformance/run/gen`), and a harness binary beside it
//!    (`harness/main.rs` and a generated dispatch table) is built once;
//! 3. the harness runs every case through `Operation::to_http` or
//!    `Operation::from_http`, and [`compare`] checks what came out.
//!
//! A case on the ignore list (`ignore.json`, each with its reason) is run
//! and reported as skipped; an ignored case that passes is a failure, so
//! the list never outlives its reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{Value, json};

mod compare;
mod suite;

use suite::{Case, Direction, Suite, SuiteFile};

const USAGE: &str = "\
usage: cargo xtask conformance [SUITE.json ...] [--only CASE-ID]

Runs AWS's protocol test suites (botocore's tests/unit/protocols/{input,output}/*.json)
through importer → codegen → runtime. With no suite files it fetches the pinned botocore
source distribution with pip into target/conformance/ (nothing of it is committed) and runs
the suites of the protocols the generator speaks: input and output of ec2, query, json, rest-json and rest-xml.

  --only ID   run only the cases with this ID (repeatable)

It prints one line per failing case and ends with `N passed, N failed, N skipped`.
Skipped cases are on the ignore list (codegen/conformance/ignore.json) with their reasons.
Exit codes: 0 nothing failed, 1 a case failed, 2 the suites or the harness could not be
built or run, 64 bad usage.";

/// The botocore release whose suites are run.
const BOTOCORE: &str = "1.44.5";

/// The suite files run by default: the protocols the generator speaks.
const DEFAULT_SUITES: [&str; 10] = [
    "input/ec2.json",
    "output/ec2.json",
    "input/query.json",
    "output/query.json",
    "input/json.json",
    "output/json.json",
    "input/rest-json.json",
    "output/rest-json.json",
    "input/rest-xml.json",
    "output/rest-xml.json",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    let mut only = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--only" => match iter.next() {
                Some(id) => only.push(id.clone()),
                None => return usage("`--only` needs a case ID"),
            },
            other if other.starts_with('-') => return usage(&format!("unknown option `{other}`")),
            other => files.push(PathBuf::from(other)),
        }
    }
    let root = workspace_root();
    match run(&root, files, &only) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(64)
}

fn workspace_root() -> PathBuf {
    // This crate lives at codegen/conformance.
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn work_dir(root: &Path) -> PathBuf {
    root.join("target").join("conformance")
}

/// The outcome of one case.
enum Outcome {
    Pass,
    Fail(String),
}

/// One case to run, and where it came from.
struct Planned<'a> {
    file: &'a SuiteFile,
    suite: &'a Suite,
    case: &'a Case,
    service: String,
}

fn run(root: &Path, files: Vec<PathBuf>, only: &[String]) -> Result<bool, String> {
    let files = if files.is_empty() { fetch(root)? } else { files };
    let mut suite_files = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        suite_files.push(suite::parse(&label(path), &text)?);
    }
    let ignore = IgnoreList::load(&root.join("codegen").join("conformance").join("ignore.json"))?;

    // Models: one service per suite.
    let work = work_dir(root);
    let models = work.join("models");
    let _ = std::fs::remove_dir_all(&models);
    let mut outcomes: BTreeMap<(usize, usize, usize), Outcome> = BTreeMap::new();
    let mut planned = Vec::new();
    let mut skipped_notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, file) in suite_files.iter().enumerate() {
        for suite in &file.suites {
            let wanted: Vec<&Case> = suite.cases.iter().filter(|c| only.is_empty() || only.contains(&c.id)).collect();
            if wanted.is_empty() {
                continue;
            }
            let service = service_name(file, suite);
            match model_for(&models, &service, file, suite) {
                Ok(skipped) => {
                    skipped_notes.insert(service.clone(), skipped);
                    for (c, case) in suite.cases.iter().enumerate() {
                        if wanted.iter().any(|w| std::ptr::eq(*w, case)) {
                            planned.push(((f, suite.index, c), Planned { file, suite, case, service: service.clone() }));
                        }
                    }
                }
                Err(why) => {
                    for (c, case) in suite.cases.iter().enumerate() {
                        if wanted.iter().any(|w| std::ptr::eq(*w, case)) {
                            outcomes.insert((f, suite.index, c), Outcome::Fail(why.clone()));
                        }
                    }
                }
            }
        }
    }

    // One crate, one build, one run.
    if !planned.is_empty() {
        let services: Vec<&str> = {
            let mut s: Vec<&str> = planned.iter().map(|(_, p)| p.service.as_str()).collect();
            s.dedup();
            s
        };
        let harness = build_harness(root, &work, &models, &services)?;
        let cases: Vec<Value> = planned.iter().map(|(_, p)| harness_case(p)).collect();
        let cases_path = work.join("cases.json");
        std::fs::write(&cases_path, Value::Array(cases).to_string()).map_err(|e| format!("cannot write `{}`: {e}", cases_path.display()))?;
        let output = Command::new(&harness).arg(&cases_path).output().map_err(|e| format!("cannot run `{}`: {e}", harness.display()))?;
        if !output.status.success() {
            return Err(format!("the harness failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr)));
        }
        let answers: Vec<Value> =
            serde_json::from_slice(&output.stdout).map_err(|e| format!("the harness's answer is not a JSON list: {e}"))?;
        if answers.len() != planned.len() {
            return Err(format!("the harness answered {} of {} cases", answers.len(), planned.len()));
        }
        for ((key, p), answer) in planned.iter().zip(&answers) {
            let mut outcome = check(p, answer);
            if let Outcome::Fail(why) = &mut outcome {
                if let Some(notes) = skipped_notes.get(&p.service).filter(|n| !n.is_empty()) {
                    why.push_str(&format!(" [the importer skipped: {}]", notes.join("; ")));
                }
            }
            outcomes.insert(*key, outcome);
        }
    }

    // The report.
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut per_file: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for ((f, s, c), outcome) in &outcomes {
        let file = &suite_files[*f];
        let case = &file.suites[*s].cases[*c];
        let reason = ignore.reason(&file.label, &case.id);
        let counts = per_file.entry(*f).or_default();
        match (outcome, reason) {
            (Outcome::Pass, None) => {
                passed += 1;
                counts.0 += 1;
            }
            (Outcome::Fail(_), Some(_)) => {
                skipped += 1;
                counts.2 += 1;
            }
            (Outcome::Pass, Some(_)) => {
                failed += 1;
                counts.1 += 1;
                println!("FAIL {} [{}] {}: passes, but is on the ignore list: take it off", file.label, s, case.id);
            }
            (Outcome::Fail(why), None) => {
                failed += 1;
                counts.1 += 1;
                println!("FAIL {} [{}] {}: {why}", file.label, s, case.id);
            }
        }
    }
    for id in ignore.unknown(&suite_files) {
        println!("note: the ignore list names `{id}`, which no suite file run has");
    }
    println!();
    for (f, (p, x, s)) in &per_file {
        println!("{:<24} {p:>4} passed, {x:>4} failed, {s:>4} skipped", suite_files[*f].label);
    }
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    Ok(failed == 0)
}

/// `input/ec2.json` for `.../protocols/input/ec2.json`.
fn label(path: &Path) -> String {
    let file = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let folder = path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    format!("{folder}/{file}")
}

/// The service a suite becomes: `ec2in3`, `restjsonout12`.
fn service_name(file: &SuiteFile, suite: &Suite) -> String {
    let protocol: String = file.protocol.chars().filter(char::is_ascii_alphanumeric).collect();
    let direction = match file.direction {
        Direction::Input => "in",
        Direction::Output => "out",
    };
    format!("{protocol}{direction}{}", suite.index)
}

/// Imports the suite's service into `models/aws/<service>.yaml` and checks
/// that it generates alone; the importer's skip list, or why not.
fn model_for(models: &Path, service: &str, file: &SuiteFile, suite: &Suite) -> Result<Vec<String>, String> {
    let json = suite.service_json(service);
    let source = cloud_api_import::botocore::Source {
        version: BOTOCORE.into(),
        file: format!("tests/unit/protocols/{} [{}]", file.label, suite.index),
    };
    let imported = cloud_api_import::botocore::import(json.as_bytes(), &source, &[]).map_err(|e| format!("the importer refused the suite: {e}"))?;
    // Alone first, so that one suite the generator refuses does not stop the others.
    let alone = models.join("alone").join(service);
    write(&alone.join("VERSION"), "0.1.0\n")?;
    write(&alone.join(&imported.path), &imported.to_yaml())?;
    if let Err(e) = codegen::generate(&alone, service) {
        let first: Vec<String> = e.render(codegen::diagnostic::Color::Never).lines().take(6).map(str::to_string).collect();
        return Err(format!("the generator refused the imported model: {}", first.join(" / ")));
    }
    write(&models.join("all").join(&imported.path), &imported.to_yaml())?;
    Ok(imported.skipped)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Generates the crate of `services` and builds the harness; the harness's path.
fn build_harness(root: &Path, work: &Path, models: &Path, services: &[&str]) -> Result<PathBuf, String> {
    let all = models.join("all");
    write(&all.join("VERSION"), "0.1.0\n")?;
    let outputs = codegen::generate(&all, "conformance").map_err(|e| e.render(codegen::diagnostic::Color::Never))?;
    let run = work.join("run");
    let gen_dir = run.join("gen");
    let _ = std::fs::remove_dir_all(&gen_dir);
    for (path, text) in outputs.files.iter() {
        write(&gen_dir.join("src").join(path), text)?;
    }
    let runtime = root.join("codegen").join("runtime");
    let relative = format!("path = {:?}", codegen::RUNTIME_PATH);
    if !outputs.manifest.contains(&relative) {
        return Err(format!("the generated manifest does not name the runtime by `{relative}`"));
    }
    write(&gen_dir.join("Cargo.toml"), &outputs.manifest.replace(&relative, &format!("path = {:?}", runtime.display().to_string())))?;
    // The harness converts documents with the runtime's `json` feature,
    // whichever protocols the suites run need.
    write(
        &run.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"conformance-harness\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncloud-api-types = {{ path = \"gen\" }}\ncloud-api-runtime = {{ path = {:?}, default-features = false, features = [\"json\"] }}\n\
             serde_json = \"1\"\nhttp = \"1\"\n\n\
             [workspace]\nmembers = [\".\", \"gen\"]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
            runtime.display().to_string()
        ),
    )?;
    let main = root.join("codegen").join("conformance").join("harness").join("main.rs");
    let main = std::fs::read_to_string(&main).map_err(|e| format!("cannot read `{}`: {e}", main.display()))?;
    write(&run.join("src").join("main.rs"), &main)?;
    write(&run.join("src").join("dispatch.rs"), &dispatch(services))?;
    let lock = run.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }
    eprintln!("building the harness: {} services ...", services.len());
    let target = root.join("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(run.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().take(80).collect();
        return Err(format!("the harness crate does not build:\n{}", tail.join("\n")));
    }
    Ok(target.join("debug").join("conformance-harness"))
}

/// `dispatch.rs`: the operations of every service, by name.
fn dispatch(services: &[&str]) -> String {
    let mut out = String::from(
        "//! Generated by `cargo xtask conformance`: every operation of the suites' services.\n\n\
         /// Runs `case` through the operation `operation` of `service`, if there is one.\n\
         pub fn run(service: &str, operation: &str, case: &serde_json::Value) -> Option<serde_json::Value> {\n\
         \x20   macro_rules! arm {\n\
         \x20       ($op:path, $protocol:ident, $provider:literal, $service:literal) => {\n\
         \x20           if service == $service && operation == <$op as cloud_api_types::runtime::Operation>::NAME {\n\
         \x20               return Some(super::run::<$op>(case));\n\
         \x20           }\n\
         \x20       };\n\
         \x20   }\n",
    );
    for service in services {
        out.push_str(&format!("    cloud_api_types::aws::{service}::for_each_operation!(arm);\n"));
    }
    out.push_str("    None\n}\n");
    out
}

/// A case as the harness reads it: wire-keyed params or the response.
fn harness_case(p: &Planned<'_>) -> Value {
    let mut case = json!({ "service": p.service, "operation": p.case.operation(), "endpoint": p.suite.endpoint });
    match p.file.direction {
        Direction::Input => {
            let params = p.case.get("params").cloned().unwrap_or_else(|| json!({}));
            let input = p.case.given.get("input").and_then(|i| i.get("shape")).and_then(Value::as_str).unwrap_or_default();
            let params = suite::rename(&p.suite.shapes, input, &params, true, 0).unwrap_or(params);
            case["kind"] = json!("input");
            case["params"] = params;
        }
        Direction::Output => {
            case["kind"] = json!("output");
            case["response"] = p.case.get("response").cloned().unwrap_or_else(|| json!({}));
        }
    }
    case
}

/// Compares the harness's answer with the case.
fn check(p: &Planned<'_>, answer: &Value) -> Outcome {
    if let Some(e) = answer.get("harness_error").and_then(Value::as_str) {
        return Outcome::Fail(format!("the harness could not run the case: {e}"));
    }
    let result = match p.file.direction {
        Direction::Input => match (answer.get("request"), answer.get("build_error")) {
            (Some(request), _) => compare::Request::from_json(request)
                .and_then(|r| compare::input(&p.file.protocol, p.case.get("serialized").unwrap_or(&Value::Null), &r)),
            (None, Some(e)) => Err(format!("to_http refused the request: {}", e.as_str().unwrap_or_default())),
            (None, None) => Err("the harness gave no request".into()),
        },
        Direction::Output => {
            let output = p.case.given.get("output").and_then(|i| i.get("shape")).and_then(Value::as_str).unwrap_or_default();
            match (p.case.get("errorCode"), answer.get("value"), answer.get("error")) {
                (None, Some(value), _) => {
                    let value = suite::rename(&p.suite.shapes, output, value, false, 0).unwrap_or_else(|_| value.clone());
                    compare::output(p.case.get("result").unwrap_or(&json!({})), &value)
                }
                (None, None, Some(error)) => Err(format!("from_http failed: {}", error["display"].as_str().unwrap_or_default())),
                (Some(code), _, Some(error)) => {
                    // The error's own members, keyed by member names as the
                    // case's `error` is: renamed along the error's shape.
                    let code_text = code.as_str().unwrap_or_default();
                    let members = error.get("members").filter(|m| m.is_object()).map(|m| {
                        let renamed = match suite::error_shape(&p.suite.shapes, code_text) {
                            Some(shape) => suite::rename(&p.suite.shapes, shape, m, false, 0).unwrap_or_else(|_| m.clone()),
                            None => m.clone(),
                        };
                        renamed.as_object().cloned().unwrap_or_default()
                    });
                    let decoded = compare::DecodedError {
                        code: error["code"].as_str().map(str::to_string),
                        message: error["message"].as_str().map(str::to_string),
                        members,
                        display: error["display"].as_str().unwrap_or_default().to_string(),
                    };
                    let members = p.case.get("error").and_then(Value::as_object).cloned().unwrap_or_default();
                    compare::error(code.as_str().unwrap_or_default(), p.case.get("errorMessage").and_then(Value::as_str), &members, &decoded)
                }
                (Some(_), Some(value), _) => Err(format!("expected an error, decoded a value: {value}")),
                (_, None, None) => Err("the harness gave no value and no error".into()),
            }
        }
    };
    match result {
        Ok(()) => Outcome::Pass,
        Err(why) => Outcome::Fail(why),
    }
}

/// `ignore.json`: `{"input/ec2.json": {"CaseId": "reason", ...}, ...}`.
struct IgnoreList(BTreeMap<String, BTreeMap<String, String>>);

impl IgnoreList {
    fn load(path: &Path) -> Result<IgnoreList, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(IgnoreList(BTreeMap::new())),
            Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
        };
        let list: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(&text).map_err(|e| format!("`{}` is not an ignore list (line {}): {e}", path.display(), e.line()))?;
        for (file, cases) in &list {
            for (id, reason) in cases {
                if reason.trim().len() < 20 {
                    return Err(format!("`{}`: `{file}` `{id}` needs a reason (a sentence saying why)", path.display()));
                }
            }
        }
        Ok(IgnoreList(list))
    }

    fn reason(&self, file: &str, id: &str) -> Option<&str> {
        self.0.get(file)?.get(id).map(String::as_str)
    }

    /// Entries no case of the files run matches.
    fn unknown(&self, files: &[SuiteFile]) -> Vec<String> {
        let mut out = Vec::new();
        for file in files {
            if let Some(cases) = self.0.get(&file.label) {
                for id in cases.keys() {
                    if !file.suites.iter().any(|s| s.cases.iter().any(|c| &c.id == id)) {
                        out.push(format!("{} {id}", file.label));
                    }
                }
            }
        }
        out
    }
}

/// The default suite files, fetched with pip (botocore's source
/// distribution) and unpacked into `target/conformance/` if not there.
fn fetch(root: &Path) -> Result<Vec<PathBuf>, String> {
    let work = work_dir(root);
    let base = work.join(format!("botocore-{BOTOCORE}")).join("tests").join("unit").join("protocols");
    let paths: Vec<PathBuf> = DEFAULT_SUITES.iter().map(|s| base.join(s)).collect();
    if paths.iter().all(|p| p.is_file()) {
        return Ok(paths);
    }
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create `{}`: {e}", work.display()))?;
    let sdist = work.join(format!("botocore-{BOTOCORE}.tar.gz"));
    if !sdist.is_file() {
        eprintln!("fetching botocore {BOTOCORE}'s source distribution with pip ...");
        let requirement = format!("botocore=={BOTOCORE}");
        let args = ["download", "--no-deps", "--no-binary", ":all:", &requirement, "-d"];
        let output = match Command::new("pip").args(args).arg(&work).output() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Command::new("python3")
                .args(["-m", "pip"])
                .args(args)
                .arg(&work)
                .output()
                .map_err(|e| format!("cannot run `pip` or `python3 -m pip` ({e}): install Python 3 and pip"))?,
            other => other.map_err(|e| format!("cannot run `pip`: {e}"))?,
        };
        if !output.status.success() || !sdist.is_file() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(format!("`pip download {requirement}` did not give `{}` (is PyPI reachable?):\n{}", sdist.display(), tail.join("\n")));
        }
    }
    let member = format!("botocore-{BOTOCORE}/tests/unit/protocols");
    let output = Command::new("tar")
        .arg("-xzf")
        .arg(&sdist)
        .arg("-C")
        .arg(&work)
        .arg(&member)
        .output()
        .map_err(|e| format!("cannot run `tar`: {e}"))?;
    if !output.status.success() {
        return Err(format!("cannot unpack `{member}` from `{}`: {}", sdist.display(), String::from_utf8_lossy(&output.stderr).trim()));
    }
    match paths.iter().find(|p| !p.is_file()) {
        Some(missing) => Err(format!("`{}` has no `{}`", sdist.display(), missing.display())),
        None => Ok(paths),
    }
}
