//! botocore's exception shapes: the members besides `message` become a
//! structure the error names in its `shape`.

use cloud_api_import::botocore;
use codegen::model::Shape;

fn import(json: &str) -> cloud_api_import::Imported {
    let source = botocore::Source { version: "test".into(), file: "service-2.json".into() };
    botocore::import(json.as_bytes(), &source, &[]).expect("imports")
}

const SERVICE: &str = r#"{
  "metadata": {"apiVersion": "2020-01-01", "protocol": "rest-json", "serviceFullName": "Errors", "serviceId": "Errors"},
  "operations": {
    "Greet": {"name": "Greet", "http": {"method": "PUT", "requestUri": "/greet"}, "input": {"shape": "GreetInput"},
      "errors": [{"shape": "ComplexError"}, {"shape": "PlainError"}, {"shape": "OddError"}]}
  },
  "shapes": {
    "String": {"type": "string"},
    "GreetInput": {"type": "structure", "members": {"Taken": {"shape": "ComplexErrorDetails"}}},
    "ComplexError": {"type": "structure", "exception": true, "error": {"httpStatusCode": 403, "senderFault": true},
      "required": ["TopLevel"],
      "members": {
        "Header": {"shape": "String", "location": "header", "locationName": "X-Header"},
        "Message": {"shape": "String"},
        "TopLevel": {"shape": "String"},
        "Nested": {"shape": "ComplexNestedErrorData"}
      }},
    "ComplexNestedErrorData": {"type": "structure", "members": {"Foo": {"shape": "String", "locationName": "Fooooo"}}},
    "PlainError": {"type": "structure", "exception": true, "members": {"message": {"shape": "String"}}},
    "OddError": {"type": "structure", "exception": true, "members": {"Id": {"shape": "String", "location": "uri", "locationName": "Id"}}},
    "ComplexErrorDetails": {"type": "structure", "members": {"Taken": {"shape": "String"}}}
  }
}"#;

#[test]
fn exception_members_besides_the_message_become_the_errors_shape() {
    let imported = import(SERVICE);
    let model = &imported.model;
    let complex = &model.errors["ComplexError"];
    assert_eq!(complex.shape.as_deref(), Some("ComplexErrorDetails2"), "the vendor's own `ComplexErrorDetails` keeps its name");
    let Some(Shape::Structure(details)) = model.shapes.get("ComplexErrorDetails2") else { panic!("a structure: {:?}", model.shapes.keys()) };
    let names: Vec<&str> = details.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Header", "TopLevel", "Nested"], "the message stays the metadata's");
    assert_eq!(details.members[0].wire_name.as_deref(), Some("X-Header"));
    assert_eq!(details.members[0].location, Some(codegen::model::Location::Header));
    assert!(details.members[1].required, "required as botocore says");
    assert!(model.shapes.contains_key("ComplexNestedErrorData"), "what the members reach is imported");
    // An error with only a message keeps no shape; one whose only member
    // is bound to the path (where no error is carried) neither.
    assert_eq!(model.errors["PlainError"].shape, None);
    assert_eq!(model.errors["OddError"].shape, None);
    assert!(imported.skipped.iter().any(|s| s.contains("OddError.Id")), "{:?}", imported.skipped);
    assert!(!model.shapes.contains_key("PlainErrorDetails"));
}

#[test]
fn the_imported_model_generates() {
    let imported = import(SERVICE);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(&imported.path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&path, imported.to_yaml()).expect("write");
    codegen::generate(dir.path(), "models").unwrap_or_else(|e| panic!("{}", e.render(codegen::diagnostic::Color::Never)));
}
