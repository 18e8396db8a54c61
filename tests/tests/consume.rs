//! A program's view of the generated crate: build requests, read responses,
//! match on errors, keep what the service sends even when the model does not
//! document it.

use cloud_api_types::runtime::{ErrorFault, ErrorMetadata, Operation};
use cloud_api_types::{alibaba::ecs, aws::ec2, aws::fsx, aws::imagebuilder};
use serde_json::json;

#[test]
fn fsx_request_is_the_json_body_of_the_syntax_section() {
    let request = fsx::CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0");
    assert_eq!(
        serde_json::to_value(&request).expect("encode"),
        json!({ "TaskId": "task-0123456789abcdef0" })
    );
    assert_eq!(fsx::CancelDataRepositoryTask::NAME, "CancelDataRepositoryTask");
    assert_eq!(fsx::TARGET_PREFIX, "AWSSimbaAPIService_v20180301");
}

#[test]
fn fsx_response_decodes_every_documented_lifecycle() {
    for value in fsx::DataRepositoryTaskLifecycle::VALUES {
        let body = format!(r#"{{"Lifecycle":"{value}","TaskId":"task-0123456789abcdef0"}}"#);
        let response: fsx::CancelDataRepositoryTaskResponse = serde_json::from_str(&body).expect("decode");
        let lifecycle = response.lifecycle.clone().expect("lifecycle present");
        assert!(lifecycle.is_documented(), "{value}");
        assert_eq!(lifecycle.as_str(), *value);
        assert_eq!(serde_json::to_string(&response).expect("encode"), body);
    }
    assert_eq!(fsx::DataRepositoryTaskLifecycle::VALUES.len(), 6);
}

#[test]
fn an_undocumented_enum_value_survives_a_round_trip() {
    let body = r#"{"Lifecycle":"PAUSED","TaskId":"task-0123456789abcdef0"}"#;
    let response: fsx::CancelDataRepositoryTaskResponse = serde_json::from_str(body).expect("decode");
    let lifecycle = response.lifecycle.clone().expect("present");
    assert!(matches!(&lifecycle, fsx::DataRepositoryTaskLifecycle::Unknown(v) if v.as_str() == "PAUSED"));
    assert_eq!(lifecycle, fsx::DataRepositoryTaskLifecycle::from("PAUSED"));
    assert!(!lifecycle.is_documented());
    assert_eq!(serde_json::to_string(&response).expect("encode"), body);
    let parsed: fsx::DataRepositoryTaskLifecycle = "PAUSED".parse().expect("infallible");
    assert_eq!(parsed.to_string(), "PAUSED");
}

/// The page's sample request sends `TaskId` as an array; the model's note
/// says the syntax section governs, so the crate rejects that body with an
/// error naming the problem.
#[test]
fn fsx_sample_request_contradicts_the_syntax_and_is_rejected() {
    let raw = r#"{ "TaskId": ["task-0123456789abcdef0"] }"#;
    let err = serde_json::from_str::<fsx::CancelDataRepositoryTaskRequest>(raw).expect_err("array is not a string");
    assert_eq!(err.to_string(), "invalid type: sequence, expected a string at line 1 column 12");
}

/// The page's sample response says `Status` where the syntax says
/// `Lifecycle`: the crate ignores the unknown member (as AWS SDKs do, for
/// forward compatibility) and reads the task ID; the lifecycle is absent.
#[test]
fn fsx_sample_response_contradicts_the_syntax_and_keeps_what_fits() {
    let raw = r#"{ "Status": "CANCELING", "TaskId": "task-0123456789abcdef0" }"#;
    let response: fsx::CancelDataRepositoryTaskResponse = serde_json::from_str(raw).expect("decode");
    assert_eq!(response.lifecycle, None);
    assert_eq!(response.task_id.as_deref(), Some("task-0123456789abcdef0"));
}

#[test]
fn fsx_cancel_precondition_is_pending_or_executing() {
    use fsx::DataRepositoryTaskLifecycle as L;
    let allowed: Vec<_> = fsx::DataRepositoryTaskLifecycle::VALUES
        .iter()
        .map(|v| L::from(*v))
        .filter(fsx::CancelDataRepositoryTask::precondition_met)
        .collect();
    assert_eq!(allowed, vec![L::Pending, L::Executing]);
    assert!(!fsx::CancelDataRepositoryTask::precondition_met(&L::from("SOMETHING_NEW")));
}

#[test]
fn fsx_errors_match_by_code_and_keep_what_the_service_said() {
    let mut meta = ErrorMetadata::with_message("task already ended");
    meta.request_id = Some("req-1".into());
    meta.http_status = Some(400);
    let err = fsx::CancelDataRepositoryTaskError::from_code("DataRepositoryTaskEnded", meta);
    assert!(matches!(err, fsx::CancelDataRepositoryTaskError::DataRepositoryTaskEnded(_)));
    assert_eq!(err.code(), Some("DataRepositoryTaskEnded"));
    assert_eq!(err.message(), Some("task already ended"));
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.fault(), Some(ErrorFault::Client));
    assert_eq!(err.to_string(), "DataRepositoryTaskEnded: task already ended");

    let server = fsx::CancelDataRepositoryTaskError::from_code("InternalServerError", ErrorMetadata::default());
    assert_eq!(server.http_status(), Some(500), "documented status when none was received");
    assert_eq!(server.fault(), Some(ErrorFault::Server));

    let unknown = fsx::CancelDataRepositoryTaskError::from_code("SomethingNew", ErrorMetadata::with_message("hm"));
    assert!(matches!(unknown, fsx::CancelDataRepositoryTaskError::Unhandled(_)));
    assert_eq!(unknown.code(), Some("SomethingNew"));
    assert_eq!(unknown.message(), Some("hm"));
    assert_eq!(unknown.http_status(), None);
    assert_eq!(unknown.fault(), None);
    assert_eq!(fsx::CancelDataRepositoryTaskError::CODES.len(), 5);
    for code in fsx::CancelDataRepositoryTaskError::CODES {
        let e = fsx::CancelDataRepositoryTaskError::from_code(code, ErrorMetadata::default());
        assert_eq!(e.code(), Some(*code));
        assert!(!matches!(e, fsx::CancelDataRepositoryTaskError::Unhandled(_)));
    }
}

#[test]
fn imagebuilder_request_uses_the_wire_names_and_errors_say_how_to_retry() {
    let request = imagebuilder::CancelLifecycleExecutionRequest::new("lce-01234567-89ab-cdef-0123-456789abcdef").with_client_token("token-1");
    assert_eq!(
        serde_json::to_value(&request).expect("encode"),
        json!({ "clientToken": "token-1", "lifecycleExecutionId": "lce-01234567-89ab-cdef-0123-456789abcdef" })
    );
    assert_eq!(imagebuilder::CancelLifecycleExecution::HTTP_METHOD, Some("PUT"));
    assert_eq!(imagebuilder::CancelLifecycleExecution::HTTP_PATH, Some("/CancelLifecycleExecution"));
    // botocore marks no idempotent trait on the operation; retries are safe through the clientToken.
    const { assert!(!imagebuilder::CancelLifecycleExecution::IDEMPOTENT) };
    const { assert!(fsx::CancelDataRepositoryTask::IDEMPOTENT) };

    use imagebuilder::CancelLifecycleExecutionError as E;
    assert_eq!(E::CODES.len(), 8);
    let throttled = E::from_code("CallRateLimitExceededException", ErrorMetadata::default());
    assert!(throttled.is_throttling() && throttled.is_retryable());
    assert_eq!(throttled.http_status(), Some(429));
    let mismatch = E::from_code("IdempotentParameterMismatchException", ErrorMetadata::default());
    assert!(matches!(mismatch, E::IdempotentParameterMismatchException(_)));
    assert!(!mismatch.is_retryable());
    assert_eq!(E::from_code("ServiceUnavailableException", ErrorMetadata::default()).http_status(), Some(503));
}

#[test]
fn alibaba_sample_response_decodes_and_dotted_codes_match() {
    let raw = r#"{
  "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"
}"#;
    let response: ecs::CancelImagePipelineExecutionResponse = serde_json::from_str(raw).expect("decode");
    assert_eq!(response.request_id.as_deref(), Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"));

    use ecs::CancelImagePipelineExecutionError as E;
    let e = E::from_code("InvalidStatus.CancelFailed", ErrorMetadata::default());
    assert!(matches!(e, E::InvalidStatusCancelFailed(_)));
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(E::from_code("InvalidStatus.ImagePipelineExecution", ErrorMetadata::default()).http_status(), Some(403));
    assert_eq!(E::from_code("InvalidImagePipelineExecution.NotFound", ErrorMetadata::default()).http_status(), Some(404));
    assert_eq!(E::CODES.len(), 3);

    let request = ecs::CancelImagePipelineExecutionRequest::new("cn-hangzhou", "exec-5fb8facb8ed7427c****");
    assert_eq!(
        serde_json::to_value(&request).expect("encode"),
        json!({ "RegionId": "cn-hangzhou", "ExecutionId": "exec-5fb8facb8ed7427c****" })
    );
}

#[test]
fn alibaba_cancel_precondition_names_the_three_active_states() {
    use ecs::ImagePipelineExecutionStatus as S;
    assert_eq!(
        ecs::CancelImagePipelineExecution::PRECONDITION_STATES,
        &[S::Building, S::Preparing, S::Repairing]
    );
    assert!(!ecs::CancelImagePipelineExecution::precondition_met(&S::from("SUCCESS")));
}

#[test]
fn ec2_bundle_task_keeps_the_pages_misspelt_state_and_its_timestamps() {
    // The 2009 page's example says `canceling`; the documented value is
    // `cancelling`. The crate keeps the page's value as undocumented.
    let task_json = json!({
        "bundleId": "bun-cla322b9",
        "instanceId": "i-12345678",
        "state": "canceling",
        "startTime": "2008-10-07T11:41:50Z",
        "progress": "20%",
        "storage": { "S3": { "bucket": "my-bucket", "prefix": "my-new-image", "uploadPolicy": "eyJleHBpcmF0aW9uIjoiMjAwOCJ9" } }
    });
    let task: ec2::BundleTask = serde_json::from_value(task_json.clone()).expect("decode");
    assert_eq!(task.state, Some(ec2::BundleTaskState::from("canceling")));
    assert!(!task.state.as_ref().is_some_and(ec2::BundleTaskState::is_documented));
    assert_eq!(ec2::BundleTaskState::from("cancelling"), ec2::BundleTaskState::Cancelling);
    assert_eq!(task.start_time.map(|t| t.unix_timestamp()), Some(1_223_379_710));
    let policy = task.storage.as_ref().and_then(|s| s.s3.as_ref()).and_then(|s3| s3.upload_policy.clone());
    assert_eq!(policy.as_deref(), Some(&b"{\"expiration\":\"2008\"}"[..]));
    assert_eq!(serde_json::to_value(&task).expect("encode"), task_json);
    assert_eq!(ec2::BundleTaskState::VALUES.len(), 7);
}

#[test]
fn malformed_wire_data_is_an_error_not_a_panic() {
    for body in ["", "{", "null", "\"text\"", r#"{"Lifecycle": 5}"#, r#"{"TaskId": {"x": 1}}"#, "\u{0}"] {
        assert!(serde_json::from_str::<fsx::CancelDataRepositoryTaskResponse>(body).is_err(), "{body:?}");
    }
    let bad_time = json!({ "startTime": "yesterday" });
    let err = serde_json::from_value::<ec2::BundleTask>(bad_time).expect_err("not a date-time");
    assert!(err.to_string().contains("invalid date-time `yesterday`"), "{err}");
    let bad_blob = json!({ "uploadPolicy": "not base64!" });
    let err = serde_json::from_value::<ec2::S3Storage>(bad_blob).expect_err("not base64");
    assert!(err.to_string().contains("invalid base64"), "{err}");
}
