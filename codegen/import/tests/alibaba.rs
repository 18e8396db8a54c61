//! The Alibaba importer on a hand-trimmed fixture of the ECS metadata
//! (`tests/fixtures/alibaba/ecs-api-docs.json`), and one test per tricky rule.

use cloud_api_import::alibaba::{Source, import};
use cloud_api_import::{ImportError, Imported};
use codegen::model::{Member, Model, Shape};

const FIXTURE: &str = include_str!("fixtures/alibaba/ecs-api-docs.json");

fn source() -> Source {
    Source { file: "ecs-api-docs.json".into() }
}

fn fixture(operations: &[&str]) -> Imported {
    let ops: Vec<String> = operations.iter().map(|s| s.to_string()).collect();
    import(FIXTURE.as_bytes(), &source(), &ops).expect("the fixture imports")
}

/// The fixture with `edit` applied to its JSON text.
fn edited(from: &str, to: &str) -> Result<Imported, ImportError> {
    assert!(FIXTURE.contains(from), "the fixture has {from:?}");
    let text = FIXTURE.replacen(from, to, 1);
    import(text.as_bytes(), &source(), &[])
}

fn members<'m>(model: &'m Model, shape: &str) -> &'m [Member] {
    match model.shapes.get(shape) {
        Some(Shape::Structure(s)) => &s.members,
        other => panic!("{shape} is not a structure: {other:?}"),
    }
}

fn member<'m>(model: &'m Model, shape: &str, wire: &str) -> &'m Member {
    members(model, shape)
        .iter()
        .find(|m| m.wire_name.as_deref().unwrap_or(&m.name) == wire)
        .unwrap_or_else(|| panic!("{shape} has no member {wire}"))
}

fn notes(model: &Model) -> String {
    model.notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Generates the crate from the imported model, failing on any diagnostic.
fn generate(imported: &Imported) -> (tempfile::TempDir, codegen::Outputs) {
    let dir = tempfile::tempdir().expect("temp dir");
    let models = dir.path().join("models");
    std::fs::create_dir_all(models.join("alibaba")).expect("models dir");
    std::fs::write(models.join(&imported.path), imported.to_yaml()).expect("write model");
    match codegen::generate(&models, "models") {
        Ok(o) => (dir, o),
        Err(e) => panic!("the generator refused the imported model:\n{}", e.render(codegen::diagnostic::Color::Never)),
    }
}

#[test]
fn the_fixture_imports_and_generates_rust_without_diagnostics() {
    let imported = fixture(&[]);
    let m = &imported.model;
    assert_eq!(imported.path, "alibaba/ecs.yaml");
    assert_eq!((m.service.provider.as_str(), m.service.name.as_str()), ("alibaba", "ecs"));
    assert_eq!(m.service.api_version, "2014-05-26");
    assert_eq!(m.service.protocol, codegen::model::Protocol::AlibabaRpc);
    let from = m.service.imported_from.as_ref().expect("imported_from");
    assert_eq!((from.package.as_str(), from.version.as_str(), from.file.as_str()), ("alibaba-api-docs", "2014-05-26", "ecs-api-docs.json"));
    assert_eq!(
        m.operations.keys().collect::<Vec<_>>(),
        ["CancelImagePipelineExecution", "DescribeImagePipelineExecutions", "DescribeInstances", "RunCommand", "RunInstances"]
    );
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);

    let (dir, outputs) = generate(&imported);
    let ecs = outputs.files.get("alibaba/ecs.rs").expect("alibaba/ecs.rs is generated");
    assert!(ecs.contains("pub struct DescribeInstancesRequest"), "{ecs}");
    // `[text](~~id~~)` links in the vendor's Markdown stay text.
    assert!(ecs.contains(r"\[DescribeRegions\](\~\~25609\~\~)"), "the link is escaped");
    outputs.write_to(&codegen::Layout::src(dir.path().join("src"))).expect("the outputs write");
}

#[test]
fn a_parameter_listed_twice_is_imported_once_with_a_note() {
    let m = fixture(&["CancelImagePipelineExecution"]).model;
    let names: Vec<&str> = members(&m, "CancelImagePipelineExecutionRequest").iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["RegionId", "TemplateTag", "ExecutionId"]);
    assert!(notes(&m).contains("more than once; it is imported once (the first) (1): CancelImagePipelineExecution: RegionId."), "{}", notes(&m));
}

#[test]
fn minimum_and_maximum_written_as_strings_become_numbers() {
    let m = fixture(&["DescribeInstances"]).model;
    let page_size = member(&m, "DescribeInstancesRequest", "PageSize");
    assert_eq!(page_size.target, "DescribeInstancesRequestPageSize");
    match m.shapes.get(&page_size.target) {
        Some(Shape::Integer(n)) => assert_eq!((n.min, n.max), (Some(1.0), Some(100.0))),
        other => panic!("{other:?}"),
    }
    // `format: float` is a float; an unbounded number stays a built-in.
    let run = fixture(&["RunInstances"]).model;
    match run.shapes.get(&member(&run, "RunInstancesRequest", "SpotPriceLimit").target) {
        Some(Shape::Float(n)) => assert_eq!((n.min, n.max), (Some(0.0), Some(999_999.0))),
        other => panic!("{other:?}"),
    }
    assert_eq!(member(&m, "DescribeInstancesResponse", "TotalCount").target, "integer");
}

#[test]
fn a_malformed_minimum_is_an_error_naming_its_field_path() {
    let e = edited(r#""maximum": "100", "minimum": "1""#, r#""maximum": "100", "minimum": "one""#).expect_err("malformed");
    assert_eq!(e.path, "apis.DescribeInstances.parameters[2].schema.minimum");
    assert_eq!(e.message, r#"expected a number, found the string "one""#);
    let e = edited(r#""maximum": "100""#, r#""maximum": [100]"#).expect_err("malformed");
    assert_eq!(e.path, "apis.DescribeInstances.parameters[2].schema.maximum");
}

#[test]
fn other_malformed_input_is_an_error_with_a_path_never_a_panic() {
    let cases = [
        (r#""style": "RPC""#, r#""style": "ROA""#, "info.style"),
        (r#""name": "ExecutionId""#, r#""name": 7"#, "apis.CancelImagePipelineExecution.parameters[3].name"),
        (r#""maxItems": 20"#, r#""maxItems": -1"#, "apis.CancelImagePipelineExecution.parameters[1].schema.maxItems"),
        (r#""type": "array""#, r#""type": "array", "items": 3"#, "apis.CancelImagePipelineExecution.parameters[1].schema.items"),
        (r#""format": "int32""#, r#""format": "int8""#, "apis.DescribeImagePipelineExecutions.parameters[7].schema.format"),
        (r#""errorCode": "InvalidStatus.CancelFailed""#, r#""errorCode": null"#, "apis.CancelImagePipelineExecution.errorCodes.400[0].errorCode"),
        (r#""parameters": ["#, r#""parameters": 1, "x": ["#, "apis.CancelImagePipelineExecution.parameters"),
    ];
    for (from, to, path) in cases {
        let e = edited(from, to).expect_err(to);
        assert_eq!(e.path, path, "{to}: {e}");
    }
    for text in ["", "[]", "{}", r#"{"info": {"style": "RPC", "product": "Ecs", "version": "1"}, "apis": []}"#, "{\"info\":"] {
        assert!(import(text.as_bytes(), &source(), &[]).is_err(), "{text:?}");
    }
    let e = import(FIXTURE.as_bytes(), &source(), &["cancelImagePipelineExecution".into()]).expect_err("unknown");
    assert_eq!(e.path, "apis.cancelImagePipelineExecution");
    assert!(e.message.ends_with("did you mean `CancelImagePipelineExecution`?"), "{e}");
}

#[test]
fn literal_index_names_stay_wire_names_and_members_get_valid_names() {
    let m = fixture(&["DescribeInstances"]).model;
    let key = member(&m, "DescribeInstancesRequest", "Filter.1.Key");
    assert_eq!((key.name.as_str(), key.wire_name.as_deref(), key.query_name.as_deref()), ("Filter1Key", Some("Filter.1.Key"), None));
    let run = fixture(&["RunInstances"]).model;
    // A dotted scalar parameter beside the flat object of the same prefix.
    let size = member(&run, "RunInstancesRequest", "SystemDisk.Size");
    assert_eq!((size.name.as_str(), size.target.as_str()), ("SystemDiskSize", "string"));
    let flat = member(&run, "RunInstancesRequest", "SystemDisk");
    assert_eq!((flat.name.as_str(), flat.wire_name.as_deref()), ("SystemDisk", None));
    assert_eq!(flat.target, "RunInstancesRequestSystemDisk");
    assert!(notes(&m).contains("Filter.1.Key as Filter1Key"), "{}", notes(&m));
}

#[test]
fn repeat_lists_are_lists_named_after_their_path_and_sent_as_name_dot_n() {
    let m = fixture(&["CancelImagePipelineExecution"]).model;
    let tag = member(&m, "CancelImagePipelineExecutionRequest", "TemplateTag");
    assert_eq!((tag.target.as_str(), tag.query_name.as_deref()), ("CancelImagePipelineExecutionRequestTemplateTagList", None));
    match m.shapes.get(&tag.target) {
        Some(Shape::List(l)) => {
            assert_eq!(l.member, "CancelImagePipelineExecutionRequestTemplateTag");
            assert_eq!(l.max_items, Some(20));
        }
        other => panic!("{other:?}"),
    }
    let item: Vec<&str> = members(&m, "CancelImagePipelineExecutionRequestTemplateTag").iter().map(|m| m.name.as_str()).collect();
    assert_eq!(item, ["Key", "Value"]);
    // A list of strings: the built-in is the item.
    let d = fixture(&["DescribeInstances"]).model;
    match d.shapes.get(&member(&d, "DescribeInstancesRequest", "AdditionalAttributes").target) {
        Some(Shape::List(l)) => assert_eq!(l.member, "string"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_style_parameters_are_strings_with_a_note() {
    let m = fixture(&["RunCommand"]).model;
    let p = member(&m, "RunCommandRequest", "Parameters");
    assert_eq!(p.target, "string");
    assert!(p.docs.as_deref().unwrap_or_default().ends_with("the value is JSON text (the vendor's `json` parameter style); the metadata describes it as an object."), "{:?}", p.docs);
    assert!(notes(&m).contains("`json` style") && notes(&m).contains("RunCommandRequest.Parameters"), "{}", notes(&m));
}

#[test]
fn wrapped_arrays_are_kept_as_the_vendor_shapes_them() {
    let m = fixture(&["DescribeInstances"]).model;
    let instances = member(&m, "DescribeInstancesResponse", "Instances");
    assert_eq!(instances.target, "DescribeInstancesResponseInstances");
    let inner = members(&m, "DescribeInstancesResponseInstances");
    assert_eq!(inner.len(), 1);
    assert_eq!((inner[0].name.as_str(), inner[0].target.as_str()), ("Instance", "DescribeInstancesResponseInstancesInstanceList"));
    match m.shapes.get("DescribeInstancesResponseInstancesInstanceList") {
        Some(Shape::List(l)) => assert_eq!(l.member, "DescribeInstancesResponseInstancesInstance"),
        other => panic!("{other:?}"),
    }
    let total = member(&m, "DescribeInstancesResponse", "TotalCount");
    assert_eq!(total.target, "integer");
}

#[test]
fn errors_keep_their_codes_statuses_and_messages() {
    let m = fixture(&["CancelImagePipelineExecution", "RunInstances"]).model;
    assert_eq!(
        m.operations["CancelImagePipelineExecution"].errors,
        ["InvalidStatus.CancelFailed", "InvalidStatus.ImagePipelineExecution", "InvalidImagePipelineExecution.NotFound"]
    );
    let e = &m.errors["InvalidStatus.ImagePipelineExecution"];
    assert_eq!((e.code.as_str(), e.http_status, e.fault, e.message.as_deref()), ("InvalidStatus.ImagePipelineExecution", 403, codegen::model::Fault::Client, Some("%s")));
    assert_eq!(m.errors["InternalError"].fault, codegen::model::Fault::Server);
    // One code under three statuses: one error, the lowest status, a note naming them all.
    let io = &m.errors["IoOptimized.NotSupported"];
    assert_eq!(io.http_status, 400);
    assert_eq!(m.operations["RunInstances"].errors.iter().filter(|e| *e == "IoOptimized.NotSupported").count(), 1);
    let n = notes(&m);
    assert!(n.contains("RunInstances: IoOptimized.NotSupported (400, 403, 404)"), "{n}");
    assert!(n.contains("IoOptimized.NotSupported (400 in RunInstances; 403 in RunInstances; 404 in RunInstances)"), "{n}");
    assert!(io.docs.starts_with("- The specified instance must be IoOptimized"), "{}", io.docs);
}

#[test]
fn chinese_docs_are_kept_verbatim() {
    let m = fixture(&["CancelImagePipelineExecution"]).model;
    let op = &m.operations["CancelImagePipelineExecution"];
    assert!(op.docs.starts_with("取消一个镜像构建任务"), "{}", op.docs);
    assert_eq!(
        member(&m, "CancelImagePipelineExecutionRequest", "RegionId").docs.as_deref(),
        Some("所属的地域ID。您可以调用[DescribeRegions](~~25609~~)查看最新的阿里云地域列表。")
    );
}

#[test]
fn enum_values_that_clash_in_rust_get_names_and_refs_are_shared() {
    let text = r##"{"info": {"style": "RPC", "product": "Ecs", "version": "1"},
      "components": {"schemas": {"Tag": {"type": "object", "properties": {"Key": {"type": "string"}}}}},
      "apis": {"A": {"parameters": [
        {"name": "Level", "in": "query", "schema": {"type": "string", "enum": ["normal", "Normal", "Normal2", "warn"]}},
        {"name": "Tag", "in": "query", "style": "repeatList", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}},
        {"name": "Map", "in": "query", "schema": {"type": "object"}}
      ], "responses": {"200": {"schema": {"type": "object", "properties": {"Tag": {"$ref": "#/components/schemas/Tag"}}}}}}}}"##;
    let imported = import(text.as_bytes(), &source(), &[]).expect("imports");
    let m = &imported.model;
    match m.shapes.get("ARequestLevel") {
        Some(Shape::Enum(e)) => {
            let names: Vec<Option<&str>> = e.values.iter().map(|v| v.name.as_deref()).collect();
            // `Normal 2` is the Rust `Normal2`, so the value `Normal2` moves on.
            assert_eq!(names, [None, Some("Normal 2"), Some("Normal2 2"), None]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(member(m, "AResponse", "Tag").target, "Tag");
    match m.shapes.get(&member(m, "ARequest", "Tag").target) {
        Some(Shape::List(l)) => assert_eq!(l.member, "Tag"),
        other => panic!("{other:?}"),
    }
    assert_eq!(imported.skipped, ["apis.A.parameters[2].schema: objects without `properties` (maps with undocumented keys) are not in the model format"]);
    generate(&imported);
    let bad = text.replace("#/components/schemas/Tag\"}}}", "#/components/schemas/Nope\"}}}");
    let e = import(bad.as_bytes(), &source(), &[]).expect_err("dangling ref");
    assert_eq!(e.path, "apis.A.parameters[1].schema.items.$ref");
}
