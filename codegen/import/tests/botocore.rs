//! The botocore importer's EC2 rules, each on a small hand-written
//! `service-2.json`: query names, flattened lists, maps, and members whose
//! target the importer leaves out.

use cloud_api_import::Imported;
use cloud_api_import::botocore::{Source, import};
use codegen::model::{Member, Model, Shape};
use serde_json::{Value, json};

/// A service of `protocol` with one operation `Op` whose input is `In` and
/// output `Out`, and `shapes`.
fn service(protocol: &str, shapes: Value) -> Imported {
    let mut metadata = json!({
        "apiVersion": "2020-01-08", "protocol": protocol, "serviceFullName": "Test", "serviceId": "Test",
        "xmlNamespace": "https://example.com/",
    });
    if protocol == "json" {
        metadata["jsonVersion"] = json!("1.1");
        metadata["targetPrefix"] = json!("Test");
    }
    let file = json!({
        "metadata": metadata,
        "operations": {"Op": {"http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "In"}, "output": {"shape": "Out"}}},
        "shapes": shapes,
    });
    let source = Source { version: "test".into(), file: "test/service-2.json".into() };
    import(file.to_string().as_bytes(), &source, &[]).expect("imports")
}

fn member<'m>(model: &'m Model, shape: &str, name: &str) -> Option<&'m Member> {
    match model.shapes.get(shape) {
        Some(Shape::Structure(s)) => s.members.iter().find(|m| m.name == name),
        other => panic!("{shape} is not a structure: {other:?}"),
    }
}

/// Generates the crate from the imported model, failing on any diagnostic.
fn generates(imported: &Imported) {
    let dir = tempfile::tempdir().expect("temp dir");
    let models = dir.path().join("models");
    std::fs::create_dir_all(models.join("aws")).expect("models dir");
    std::fs::write(models.join(&imported.path), imported.to_yaml()).expect("write model");
    if let Err(e) = codegen::generate(&models, "models") {
        panic!("the generator refused the imported model:\n{}", e.render(codegen::diagnostic::Color::Never));
    }
}

#[test]
fn ec2_query_names_upper_case_the_location_name_else_the_member_name() {
    let imported = service(
        "ec2",
        json!({
            "In": {"type": "structure", "members": {
                "label": {"shape": "S"},
                "hi": {"shape": "S", "locationName": "greeting"},
                "named": {"shape": "S", "locationName": "x", "queryName": "exactly"},
                "Already": {"shape": "S"},
            }},
            "Out": {"type": "structure", "members": {}},
            "S": {"type": "string"},
        }),
    );
    let m = &imported.model;
    let query = |name: &str| {
        let mb = member(m, "In", name).expect("member");
        mb.query_name.clone().or_else(|| mb.wire_name.clone()).unwrap_or_else(|| mb.name.clone())
    };
    assert_eq!(query("label"), "Label");
    assert_eq!(query("hi"), "Greeting");
    assert_eq!(query("named"), "exactly");
    assert_eq!(query("Already"), "Already");
    assert_eq!(member(m, "In", "hi").and_then(|mb| mb.wire_name.as_deref()), Some("greeting"));
    // Other protocols send the wire name.
    let json = service(
        "json",
        json!({
            "In": {"type": "structure", "members": {"label": {"shape": "S"}}},
            "Out": {"type": "structure", "members": {}},
            "S": {"type": "string"},
        }),
    );
    assert_eq!(member(&json.model, "In", "label").and_then(|mb| mb.query_name.clone()), None);
}

#[test]
fn flattened_lists_become_xml_flattened_members_in_ec2_only() {
    let shapes = json!({
        "In": {"type": "structure", "members": {}},
        "Out": {"type": "structure", "members": {
            "onMember": {"shape": "Names", "flattened": true},
            "plain": {"shape": "Names"},
            "onShape": {"shape": "FlatNames"},
        }},
        "Names": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
        "FlatNames": {"type": "list", "member": {"shape": "S"}, "flattened": true},
        "S": {"type": "string"},
    });
    let imported = service("ec2", shapes.clone());
    let m = &imported.model;
    let flat = |name: &str| member(m, "Out", name).expect("member").xml_flattened;
    assert!(flat("onMember"));
    assert!(!flat("plain"));
    assert!(flat("onShape"));
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    generates(&imported);
    let json = service("json", shapes);
    assert!(!member(&json.model, "Out", "onMember").expect("member").xml_flattened, "JSON has nothing to flatten");
}

#[test]
fn ec2_maps_are_kept_in_responses_and_left_out_of_requests_and_where_renamed_or_flattened() {
    let imported = service(
        "ec2",
        json!({
            "In": {"type": "structure", "members": {"tags": {"shape": "InTags"}}},
            "Out": {"type": "structure", "members": {
                "tags": {"shape": "Tags"},
                "renamed": {"shape": "Renamed"},
                "flatShape": {"shape": "FlatMap"},
                "flatMember": {"shape": "Tags", "flattened": true},
            }},
            "InTags": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
            "Tags": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
            "Renamed": {"type": "map", "key": {"shape": "S", "locationName": "k"}, "value": {"shape": "S"}},
            "FlatMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}, "flattened": true},
            "S": {"type": "string"},
        }),
    );
    let m = &imported.model;
    assert!(matches!(m.shapes.get("Tags"), Some(Shape::Map(_))));
    assert!(member(m, "Out", "tags").is_some());
    for (shape, name) in [("In", "tags"), ("Out", "renamed"), ("Out", "flatShape"), ("Out", "flatMember")] {
        assert!(member(m, shape, name).is_none(), "{shape}.{name} is left out");
        assert!(imported.skipped.iter().any(|s| s.starts_with(&format!("member {shape}.{name}: "))), "{shape}.{name}: {:?}", imported.skipped);
    }
    assert!(imported.skipped.iter().any(|s| s.starts_with("shape InTags: EC2 requests carry no maps")), "{:?}", imported.skipped);
    generates(&imported);
}

#[test]
fn a_member_whose_target_is_left_out_is_left_out_and_reported() {
    let imported = service(
        "ec2",
        json!({
            "In": {"type": "structure", "members": {}},
            "Out": {"type": "structure", "members": {
                "docs": {"shape": "DocList"},
                "nested": {"shape": "DocListList"},
                "kept": {"shape": "S"},
            }},
            "Doc": {"type": "structure", "members": {}, "document": true},
            "DocList": {"type": "list", "member": {"shape": "Doc"}},
            "DocListList": {"type": "list", "member": {"shape": "DocList"}},
            "S": {"type": "string"},
        }),
    );
    let m = &imported.model;
    assert!(!m.shapes.contains_key("DocList") && !m.shapes.contains_key("DocListList"));
    assert!(member(m, "Out", "docs").is_none() && member(m, "Out", "nested").is_none());
    assert!(member(m, "Out", "kept").is_some());
    for item in ["member Out.docs", "member Out.nested", "shape DocList", "shape DocListList"] {
        assert!(imported.skipped.iter().any(|s| s.starts_with(&format!("{item}: documents"))), "{item}: {:?}", imported.skipped);
    }
    generates(&imported);
}

#[test]
fn lists_and_maps_of_timestamps_and_blobs_are_kept() {
    let imported = service(
        "ec2",
        json!({
            "In": {"type": "structure", "members": {"times": {"shape": "Times"}}},
            "Out": {"type": "structure", "members": {
                "times": {"shape": "Times"},
                "blobs": {"shape": "BlobMap"},
            }},
            "Times": {"type": "list", "member": {"shape": "T"}},
            "BlobMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "B"}},
            "T": {"type": "timestamp"},
            "B": {"type": "blob"},
            "S": {"type": "string"},
        }),
    );
    let m = &imported.model;
    assert!(matches!(m.shapes.get("Times"), Some(Shape::List(_))));
    assert!(matches!(m.shapes.get("BlobMap"), Some(Shape::Map(_))));
    assert!(member(m, "Out", "blobs").is_some() && member(m, "In", "times").is_some());
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    generates(&imported);
}
