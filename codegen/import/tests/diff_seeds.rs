//! The seed and watch operations, imported from hand-trimmed vendor fixtures, against
//! the hand models in `models/`: every difference `diff-models` finds, as a
//! reviewed snapshot (a = the hand model, b = the import).

use std::path::{Path, PathBuf};

use cloud_api_import::{Imported, alibaba, botocore, diff};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).expect("fixture")
}

fn ops(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn botocore(file: &str, service: &str, operations: &[&str]) -> Imported {
    let source = botocore::Source { version: "1.44.5".into(), file: format!("botocore/data/{service}/service-2.json") };
    botocore::import(&fixture(file), &source, &ops(operations)).expect("imports")
}

/// The differences between the hand model at `hand` and `imported`,
/// after checking that the import loads back from its YAML.
fn differences(hand: &str, imported: &Imported) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("imported.yaml");
    std::fs::write(&path, imported.to_yaml()).expect("write");
    let b = codegen::read_model(&path).expect("the import loads back");
    let a = codegen::read_model(&repo(hand)).expect("the hand model loads");
    diff::render(&diff::diff(&a, &b))
}

#[test]
fn ec2_cancel_bundle_task_and_describe_bundle_tasks() {
    let imported = botocore("botocore/ec2.json", "ec2/2016-11-15", &["CancelBundleTask", "DescribeBundleTasks", "BundleInstance"]);
    insta::assert_snapshot!(differences("models/aws/ec2.yaml", &imported));
}

#[test]
fn fsx_cancel_data_repository_task() {
    let imported = botocore("botocore/fsx.json", "fsx/2018-03-01", &["CancelDataRepositoryTask", "DescribeDataRepositoryTasks"]);
    insta::assert_snapshot!(differences("models/aws/fsx.yaml", &imported));
}

#[test]
fn imagebuilder_cancel_lifecycle_execution() {
    let imported = botocore("botocore/imagebuilder.json", "imagebuilder/2019-12-02", &["CancelLifecycleExecution", "GetLifecycleExecution"]);
    insta::assert_snapshot!(differences("models/aws/imagebuilder.yaml", &imported));
}

#[test]
fn ecs_cancel_image_pipeline_execution() {
    let source = alibaba::Source { file: "ecs-api-docs.json".into() };
    let imported = alibaba::import(&fixture("alibaba/ecs-api-docs.json"), &source, &ops(&["CancelImagePipelineExecution", "DescribeImagePipelineExecutions"])).expect("imports");
    insta::assert_snapshot!(differences("models/alibaba/ecs.yaml", &imported));
}

#[test]
fn a_model_diffs_equal_to_itself() {
    for hand in ["models/aws/ec2.yaml", "models/aws/fsx.yaml", "models/aws/imagebuilder.yaml", "models/alibaba/ecs.yaml"] {
        let m = codegen::read_model(&repo(hand)).expect("loads");
        assert_eq!(diff::diff(&m, &m), [], "{hand}");
    }
}
