//! Each operation speaks its protocol: requests encode as the service
//! expects them, responses and errors decode from the service's bytes.

use cloud_api_types::runtime::retry as rules;
use cloud_api_types::runtime::{ErrorFault, ErrorMetadata, Operation, ServiceError};
use cloud_api_types::{alibaba::ecs, aws::ec2, aws::fsx, aws::imagebuilder};
use codegen::ir::{ServiceIr, TypeIr};
use codegen::model::{Fault, Protocol, TimestampFormat};

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    builder.body(body.as_bytes().to_vec()).expect("response")
}

fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> &'a str {
    request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

// ---------------------------------------------------------------- FSx, AWS JSON 1.1

#[test]
fn fsx_request_is_an_aws_json_post_with_a_target() {
    let request = fsx::CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0")
        .to_http("https://fsx.us-east-1.amazonaws.com/")
        .expect("build");
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri(), "https://fsx.us-east-1.amazonaws.com/");
    assert_eq!(header(&request, "content-type"), "application/x-amz-json-1.1");
    assert_eq!(header(&request, "x-amz-target"), "AWSSimbaAPIService_v20180301.CancelDataRepositoryTask");
    assert_eq!(request.body(), br#"{"TaskId":"task-0123456789abcdef0"}"#);
}

#[test]
fn fsx_response_and_errors_decode_from_http() {
    let ok = response(200, &[], r#"{"Lifecycle":"CANCELING","TaskId":"task-0123456789abcdef0"}"#);
    let decoded = fsx::CancelDataRepositoryTaskResponse::from_http(&ok).expect("decode");
    assert_eq!(decoded.lifecycle, Some(fsx::DataRepositoryTaskLifecycle::Canceling));

    let ended = response(
        400,
        &[("x-amzn-RequestId", "req-42")],
        r#"{"__type":"com.amazonaws.fsx#DataRepositoryTaskEnded","Message":"The task has ended."}"#,
    );
    let err = fsx::CancelDataRepositoryTaskResponse::from_http(&ended).expect_err("error status");
    assert!(matches!(err, fsx::CancelDataRepositoryTaskError::DataRepositoryTaskEnded(_)));
    assert_eq!(err.code(), Some("DataRepositoryTaskEnded"));
    assert_eq!(err.message(), Some("The task has ended."));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.http_status(), Some(400));
}

#[test]
fn malformed_json_bodies_are_errors_with_a_field_path() {
    let bad = response(200, &[], r#"{"Lifecycle":"PENDING","TaskId":7}"#);
    let err = fsx::CancelDataRepositoryTaskResponse::from_http(&bad).expect_err("TaskId is a string");
    let fsx::CancelDataRepositoryTaskError::InvalidResponse(decode) = &err else { panic!("{err:?}") };
    assert_eq!(decode.path, "TaskId");
    assert!(decode.message.contains("expected a string"), "{decode}");
    assert_eq!(err.http_status(), Some(200));
    assert_eq!(err.code(), None);
    assert!(err.to_string().starts_with("invalid response at `TaskId`"), "{err}");

    let trailing = response(200, &[], r#"{} {}"#);
    assert!(fsx::CancelDataRepositoryTaskResponse::from_http(&trailing).is_err());
    let empty = response(200, &[], "");
    assert_eq!(
        fsx::CancelDataRepositoryTaskResponse::from_http(&empty).expect("empty is every member absent"),
        fsx::CancelDataRepositoryTaskResponse::new()
    );
    let no_code = response(500, &[], "<html>oops</html>");
    let err = fsx::CancelDataRepositoryTaskResponse::from_http(&no_code).expect_err("500");
    assert!(err.to_string().contains("without an error code"), "{err}");
    assert_eq!(err.http_status(), Some(500));
}

// ---------------------------------------------------------------- Image Builder, REST-JSON

#[test]
fn imagebuilder_request_is_a_rest_json_put() {
    let request = imagebuilder::CancelLifecycleExecutionRequest::new("lce-01234567-89ab-cdef-0123-456789abcdef").with_client_token("c-1")
        .to_http("https://imagebuilder.us-east-1.amazonaws.com")
        .expect("build");
    assert_eq!(request.method(), http::Method::PUT);
    assert_eq!(request.uri(), "https://imagebuilder.us-east-1.amazonaws.com/CancelLifecycleExecution");
    assert_eq!(header(&request, "content-type"), "application/json");
    let body: serde_json::Value = serde_json::from_slice(request.body()).expect("json");
    assert_eq!(body, serde_json::json!({"clientToken": "c-1", "lifecycleExecutionId": "lce-01234567-89ab-cdef-0123-456789abcdef"}));
}

#[test]
fn imagebuilder_errors_come_from_the_error_type_header() {
    let busy = response(
        400,
        &[("x-amzn-ErrorType", "ResourceInUseException:http://internal.amazon.com/coral/"), ("x-amzn-RequestId", "r-1")],
        r#"{"message":"The resource is in use."}"#,
    );
    let err = imagebuilder::CancelLifecycleExecutionResponse::from_http(&busy).expect_err("400");
    assert!(matches!(err, imagebuilder::CancelLifecycleExecutionError::ResourceInUseException(_)));
    assert_eq!(err.message(), Some("The resource is in use."));
    assert_eq!(err.request_id(), Some("r-1"));
    assert!(err.is_retryable());

    let body_code = response(429, &[], r#"{"code":"CallRateLimitExceededException","message":"slow down"}"#);
    let err = imagebuilder::CancelLifecycleExecutionResponse::from_http(&body_code).expect_err("429");
    assert!(err.is_throttling());
    assert_eq!(err.http_status(), Some(429));

    let ok = response(200, &[], r#"{"lifecycleExecutionId":"lce-01234567-89ab-cdef-0123-456789abcdef"}"#);
    let decoded = imagebuilder::CancelLifecycleExecutionResponse::from_http(&ok).expect("ok");
    assert_eq!(decoded.lifecycle_execution_id.as_deref(), Some("lce-01234567-89ab-cdef-0123-456789abcdef"));
}

// ---------------------------------------------------------------- EC2, query + XML

#[test]
fn ec2_queries_flatten_lists_as_ec2_expects() {
    let mut request = ec2::DescribeBundleTasksRequest::new();
    request.bundle_ids = Some(vec!["bun-1".into(), "bun-2".into()]);
    let mut filter = ec2::Filter::new();
    filter.name = Some("state".into());
    filter.values = Some(vec!["bundling".into(), "storing".into()]);
    request.filters = Some(vec![filter]);
    request.dry_run = Some(true);
    let pairs: Vec<(String, String)> = request.to_query().expect("encodes");
    let expected = [
        ("Action", "DescribeBundleTasks"),
        ("Version", "2016-11-15"),
        ("BundleId.1", "bun-1"),
        ("BundleId.2", "bun-2"),
        ("Filter.1.Name", "state"),
        ("Filter.1.Value.1", "bundling"),
        ("Filter.1.Value.2", "storing"),
        ("DryRun", "true"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(pairs, expected);

    let http = request.to_http("https://ec2.us-east-1.amazonaws.com").expect("build");
    assert_eq!(http.method(), http::Method::POST);
    assert_eq!(header(&http, "content-type"), "application/x-www-form-urlencoded; charset=utf-8");
    assert_eq!(
        std::str::from_utf8(http.body()).expect("utf-8"),
        "Action=DescribeBundleTasks&Version=2016-11-15&BundleId.1=bun-1&BundleId.2=bun-2&Filter.1.Name=state&Filter.1.Value.1=bundling&Filter.1.Value.2=storing&DryRun=true"
    );

    let cancel = ec2::CancelBundleTaskRequest::new("bun-cla322b9").to_query().expect("encodes");
    assert_eq!(cancel[2], ("BundleId".to_string(), "bun-cla322b9".to_string()));
}

#[test]
fn ec2_bundle_instance_sends_the_storage_as_ec2_names_it_and_debug_hides_the_policy() {
    let mut s3 = ec2::S3Storage::new();
    s3.aws_access_key_id = Some("AKIAEXAMPLE".into());
    s3.bucket = Some("my-bucket".into());
    s3.prefix = Some("winami".into());
    s3.upload_policy = Some(b"{\"expiration\":\"secret-policy\"}".to_vec());
    s3.upload_policy_signature = Some("secret-signature".into());
    let mut storage = ec2::Storage::new();
    storage.s3 = Some(s3);
    let mut request = ec2::BundleInstanceRequest::new("i-12345678", storage);
    request.dry_run = Some(false);
    let pairs = request.to_query().expect("encodes");
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    // The EC2 query names: the locationName with its first letter upper-cased.
    assert_eq!(
        keys,
        [
            "Action",
            "Version",
            "InstanceId",
            "Storage.S3.AWSAccessKeyId",
            "Storage.S3.Bucket",
            "Storage.S3.Prefix",
            "Storage.S3.UploadPolicy",
            "Storage.S3.UploadPolicySignature",
            "DryRun"
        ]
    );
    assert_eq!(pairs[0].1, "BundleInstance");
    assert_eq!(pairs[6].1, "eyJleHBpcmF0aW9uIjoic2VjcmV0LXBvbGljeSJ9", "the policy is base64");
    let debug = format!("{request:?}");
    assert!(!debug.contains("secret-signature") && !debug.contains("eyJ") && !debug.contains("101, 120"), "{debug}");
    assert!(debug.contains("my-bucket"), "{debug}");
}

const DESCRIBE_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeBundleTasksResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <bundleInstanceTasksSet>
    <item>
      <instanceId>i-1234567890abcdef0</instanceId>
      <bundleId>bun-c1a540a8</bundleId>
      <state>bundling</state>
      <startTime>2008-10-07T11:41:50.000Z</startTime>
      <updateTime>2008-10-07T11:51:50.000Z</updateTime>
      <storage><S3><bucket>my&amp;bucket</bucket><prefix>winami</prefix><uploadPolicy>eyJ4IjoxfQ==</uploadPolicy></S3></storage>
      <progress>20%</progress>
      <newElementFromTheFuture>ignored</newElementFromTheFuture>
    </item>
    <item><bundleId>bun-2</bundleId><state>failed</state><error><code>Client.Unknown</code><message>It failed</message></error></item>
  </bundleInstanceTasksSet>
</DescribeBundleTasksResponse>"#;

#[test]
fn ec2_xml_responses_decode_and_encode_back() {
    let decoded = ec2::DescribeBundleTasksResponse::from_xml(DESCRIBE_XML).expect("decode");
    assert_eq!(decoded.request_id.as_deref(), Some("59dbff89-35bd-4eac-99ed-be587EXAMPLE"));
    let tasks = decoded.bundle_tasks.as_ref().expect("tasks");
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].state, Some(ec2::BundleTaskState::Bundling));
    let s3 = tasks[0].storage.as_ref().and_then(|s| s.s3.as_ref()).expect("s3");
    assert_eq!(s3.bucket.as_deref(), Some("my&bucket"));
    assert_eq!(s3.upload_policy.as_deref(), Some(&b"{\"x\":1}"[..]));
    let error = tasks[1].bundle_task_error.as_ref().expect("error");
    assert_eq!(error.code.as_deref(), Some("Client.Unknown"));

    let xml = decoded.to_xml().expect("encodes");
    assert!(xml.starts_with(r#"<DescribeBundleTasksResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">"#), "{xml}");
    assert!(xml.contains("<bundleInstanceTasksSet><item>"), "{xml}");
    assert!(xml.contains("<bucket>my&amp;bucket</bucket>"), "{xml}");
    assert_eq!(ec2::DescribeBundleTasksResponse::from_xml(&xml).expect("re-decode"), decoded);
}

#[test]
fn ec2_errors_decode_from_the_errors_document() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidBundleID.NotFound</Code><Message>The bundle ID 'bun-x' does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"#;
    let err = ec2::CancelBundleTaskResponse::from_http(&response(400, &[], body)).expect_err("400");
    assert!(matches!(err, ec2::CancelBundleTaskError::InvalidBundleIdNotFound(_)), "{err:?}");
    assert_eq!(err.code(), Some("InvalidBundleID.NotFound"));
    assert_eq!(err.message(), Some("The bundle ID 'bun-x' does not exist"));
    assert_eq!(err.request_id(), Some("ea966190-f9aa-478e-9ede-example"));
    assert_eq!(err.http_status(), Some(400));

    let throttled = r#"<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>"#;
    let err = ec2::DescribeBundleTasksResponse::from_http(&response(503, &[], throttled)).expect_err("503");
    assert!(err.is_throttling() && err.is_retryable());
}

#[test]
fn malformed_xml_is_an_error_with_a_field_path() {
    let bad_time = r#"<CancelBundleTaskResponse><bundleInstanceTask><startTime>yesterday</startTime></bundleInstanceTask></CancelBundleTaskResponse>"#;
    let err = ec2::CancelBundleTaskResponse::from_xml(bad_time).expect_err("bad time");
    assert_eq!(err.path, "CancelBundleTaskResponse.bundleInstanceTask.startTime");
    assert!(err.message.contains("invalid date-time"), "{err}");

    let wrong_root = ec2::CancelBundleTaskResponse::from_xml("<Other/>").expect_err("root");
    assert!(wrong_root.message.contains("expected the root element `CancelBundleTaskResponse`"), "{wrong_root}");

    for xml in ["", "<", "<a><b></a>", "<CancelBundleTaskResponse>", "&bogus;", "<CancelBundleTaskResponse>&bogus;</CancelBundleTaskResponse>"] {
        assert!(ec2::CancelBundleTaskResponse::from_xml(xml).is_err(), "{xml:?}");
    }
    let deep = "<a>".repeat(10_000);
    assert!(ec2::CancelBundleTaskResponse::from_xml(&deep).expect_err("deep").message.contains("nested deeper"));
}

// ---------------------------------------------------------------- Alibaba, RPC

#[test]
fn alibaba_request_is_rpc_query_parameters() {
    let mut request = ecs::CancelImagePipelineExecutionRequest::new("cn-hangzhou", "exec-5fb8facb8ed7427c****");
    let mut tag = ecs::TemplateTag::new();
    tag.key = Some("team".into());
    tag.value = Some("build & release".into());
    request.template_tag = Some(vec![tag]);
    let pairs = request.to_query().expect("encodes");
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["Action", "Version", "Format", "RegionId", "TemplateTag.1.Key", "TemplateTag.1.Value", "ExecutionId"]);
    assert_eq!(pairs[0].1, "CancelImagePipelineExecution");
    assert_eq!(pairs[1].1, "2014-05-26");

    let http = request.to_http("https://ecs.aliyuncs.com").expect("build");
    let body = std::str::from_utf8(http.body()).expect("utf-8");
    assert!(body.contains("ExecutionId=exec-5fb8facb8ed7427c%2A%2A%2A%2A"), "{body}");
    assert!(body.contains("TemplateTag.1.Value=build%20%26%20release"), "{body}");
}

#[test]
fn alibaba_errors_decode_code_message_and_request_id() {
    let body = r#"{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","HostId":"ecs.aliyuncs.com","Code":"InvalidStatus.CancelFailed","Message":"Failed to cancel execution,status is success, failed or cancelled."}"#;
    let err = ecs::CancelImagePipelineExecutionResponse::from_http(&response(400, &[], body)).expect_err("400");
    assert!(matches!(err, ecs::CancelImagePipelineExecutionError::InvalidStatusCancelFailed(_)));
    assert_eq!(err.request_id(), Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"));
    assert_eq!(err.message(), Some("Failed to cancel execution,status is success, failed or cancelled."));

    let ok = response(200, &[], r#"{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"}"#);
    let decoded = ecs::CancelImagePipelineExecutionResponse::from_http(&ok).expect("ok");
    assert_eq!(decoded.request_id.as_deref(), Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"));
    let _ = ErrorMetadata::default();
}

// ---------------------------------------------------------------- every operation, generically

/// Whether a failed call of any operation is worth repeating: generic code
/// over the `Operation` trait, with no knowledge of the service.
fn retry<O: Operation>(e: &O::Error) -> bool {
    e.is_retryable()
}

/// Sends any operation's request through `O::to_http` to `service` (which
/// stands in for the network) and decodes its answer with `O::from_http`.
fn send<O: Operation>(
    request: &O::Request,
    service: impl FnOnce(&http::Request<Vec<u8>>) -> http::Response<Vec<u8>>,
) -> Result<O::Response, O::Error> {
    let http = O::to_http(request, "https://service.example").expect("the request builds");
    O::from_http(&service(&http))
}

/// The IR of the real models.
fn services() -> &'static [ServiceIr] {
    static IR: std::sync::OnceLock<Vec<ServiceIr>> = std::sync::OnceLock::new();
    IR.get_or_init(|| tests::real_outputs().ir().services.clone())
}

/// The smallest value of a type's serde form: required members only.
fn minimal(svc: &ServiceIr, ty: &TypeIr) -> serde_json::Value {
    use serde_json::Value;
    match ty {
        TypeIr::String | TypeIr::Blob => Value::from("dGFzay0x"),
        TypeIr::Enum(name) => {
            let e = svc.enums.iter().find(|e| &e.name == name).expect("the enum");
            Value::from(e.variants[0].value.as_str())
        }
        TypeIr::I32 | TypeIr::I64 => Value::from(1),
        TypeIr::F32 | TypeIr::F64 => Value::from(1.5),
        TypeIr::Bool => Value::from(true),
        TypeIr::Document => Value::Null,
        TypeIr::Map(value, _) => Value::Object([("key".to_string(), minimal(svc, value))].into_iter().collect()),
        TypeIr::Timestamp(TimestampFormat::DateTime) => Value::from("2008-10-07T11:41:50Z"),
        TypeIr::Timestamp(TimestampFormat::EpochSeconds) => Value::from(1_223_379_710),
        TypeIr::Timestamp(TimestampFormat::HttpDate) => Value::from("Tue, 07 Oct 2008 11:41:50 GMT"),
        TypeIr::List(item, _) => Value::Array(vec![minimal(svc, item)]),
        TypeIr::Struct(name) => {
            let s = svc.structs.iter().find(|s| &s.name == name).expect("the structure");
            Value::Object(
                s.fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.wire.clone(), minimal(svc, &f.ty)))
                    .collect(),
            )
        }
    }
}

/// An error response with `code` as the protocol sends it.
fn error_response(protocol: Protocol, status: u16, code: &str) -> http::Response<Vec<u8>> {
    let (message, id) = ("it failed", "req-7");
    match protocol {
        Protocol::AwsJson11 => response(
            status,
            &[("x-amzn-RequestId", id)],
            &serde_json::json!({ "__type": format!("com.amazonaws.test#{code}"), "message": message }).to_string(),
        ),
        Protocol::RestJson => response(
            status,
            &[("x-amzn-ErrorType", &format!("{code}:http://internal.amazon.com/coral/")), ("x-amzn-RequestId", id)],
            &serde_json::json!({ "message": message }).to_string(),
        ),
        Protocol::AlibabaRpc => response(
            status,
            &[],
            &serde_json::json!({ "RequestId": id, "Code": code, "Message": message }).to_string(),
        ),
        Protocol::Ec2Query => response(
            status,
            &[],
            &format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{id}</RequestID></Response>"),
        ),
        Protocol::AwsQuery | Protocol::RestXml => response(
            status,
            &[],
            &format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>"),
        ),
    }
}

/// One operation through the generic functions: its request goes out as
/// the model binds it, every documented error comes back typed with the
/// model's status, fault and retry facts, an undocumented code is kept, and
/// an empty success decodes.
fn check_operation<O: Operation>(provider: &str, module: &str) -> String
where
    O::Request: serde::de::DeserializeOwned,
    O::Response: std::fmt::Debug,
{
    let svc = services()
        .iter()
        .find(|s| s.provider == provider && s.module == module)
        .expect("the service");
    let op = svc.operations.iter().find(|o| o.wire_name == O::NAME).expect("the operation");
    let at = format!("{provider}::{module}::{}", O::NAME);
    let request: O::Request = serde_json::from_value(minimal(svc, &TypeIr::Struct(op.request.clone())))
        .unwrap_or_else(|e| panic!("{at}: a minimal request: {e}"));
    let (method, path) = op.http.clone();

    for variant in &op.error.variants {
        let mut sent = None;
        let error = send::<O>(&request, |http| {
            // The path only: members bound to the query string (Image Builder's
            // GetLifecycleExecution) add a query after it.
            let uri = http.uri().to_string();
            sent = Some((http.method().to_string(), uri.split('?').next().unwrap_or_default().to_string()));
            error_response(svc.protocol, variant.http_status, &variant.code)
        })
        .expect_err("an error response");
        assert_eq!(
            sent,
            Some((method.clone(), format!("https://service.example{path}"))),
            "{at}: the request's method and URI"
        );
        let code = &variant.code;
        assert_eq!(error.code(), Some(code.as_str()), "{at} {code}: {error:?}");
        assert_eq!(error.http_status(), Some(variant.http_status), "{at} {code}");
        // The model's flag, else the vendor's code lists and the status
        // (the runtime's `retry` rules, tested there).
        let vendor = Some(if svc.protocol == Protocol::AlibabaRpc { rules::Vendor::Alibaba } else { rules::Vendor::Aws });
        let status = Some(variant.http_status);
        let retryable = variant.retryable || rules::is_retryable(vendor, Some(code), status);
        let throttling = variant.throttling || rules::is_throttling(vendor, Some(code), status);
        assert_eq!(retry::<O>(&error), retryable, "{at} {code}: retryable");
        assert_eq!(error.is_throttling(), throttling, "{at} {code}: throttling");
        let fault = match variant.fault {
            Fault::Client => ErrorFault::Client,
            Fault::Server => ErrorFault::Server,
        };
        assert_eq!(error.fault(), Some(fault), "{at} {code}: fault");
        assert_eq!(error.message(), Some("it failed"), "{at} {code}: message");
        assert_eq!(error.request_id(), Some("req-7"), "{at} {code}: request ID");
    }

    let unknown = send::<O>(&request, |_| error_response(svc.protocol, 400, "SomethingNew")).expect_err("an error");
    assert_eq!(unknown.code(), Some("SomethingNew"), "{at}: an undocumented code is kept");
    assert!(!retry::<O>(&unknown) && !unknown.is_throttling(), "{at}: {unknown:?}");
    assert_eq!(unknown.fault(), Some(ErrorFault::Client), "{at}: an undocumented code's fault is its 4xx status's");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(unknown);
    assert_eq!(boxed.to_string(), "SomethingNew: it failed", "{at}: Display");

    let empty = if matches!(svc.protocol, Protocol::Ec2Query | Protocol::AwsQuery) {
        format!("<{}Response xmlns=\"urn:x\"/>", O::NAME)
    } else {
        "{}".to_string()
    };
    send::<O>(&request, |_| response(200, &[], &empty)).unwrap_or_else(|e| panic!("{at}: an empty success: {e:?}"));
    at
}

#[test]
fn generic_code_runs_over_every_operation_of_every_service() {
    let mut checked = std::collections::BTreeSet::new();
    macro_rules! check {
        ($op:path, $protocol:ident, $provider:literal, $service:literal) => {
            assert!(checked.insert(check_operation::<$op>($provider, $service)), "listed twice");
        };
    }
    cloud_api_types::for_each_operation!(check);
    let expected: std::collections::BTreeSet<String> = services()
        .iter()
        .flat_map(|s| s.operations.iter().map(move |o| format!("{}::{}::{}", s.provider, s.module, o.wire_name)))
        .collect();
    assert_eq!(checked, expected, "for_each_operation! lists exactly the models' operations");

    // Each service's own list is its share of the crate's, in the same order as its names.
    let mut ec2 = Vec::new();
    macro_rules! name {
        ($op:path, $protocol:ident, $provider:literal, $service:literal) => {
            ec2.push((<$op as Operation>::NAME, stringify!($protocol), $provider, $service));
        };
    }
    cloud_api_types::aws::ec2::for_each_operation!(name);
    let names: Vec<&str> = ec2.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, ec2::OPERATIONS);
    assert!(ec2.iter().all(|(_, p, provider, service)| (*p, *provider, *service) == ("ec2_query", "aws", "ec2")), "{ec2:?}");
}
