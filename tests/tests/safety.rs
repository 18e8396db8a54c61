//! Types that prevent mistakes: validation of every documented constraint,
//! redaction of secrets, idempotency tokens, retry classes and request IDs.

use cloud_api_types::runtime::schema::{Kind, Shape, Slot};
use cloud_api_types::runtime::{Operation, ServiceError};
use cloud_api_types::{alibaba::ecs, aws::ec2, aws::fsx, aws::imagebuilder};

/// Every violation's text, in order.
fn violations(result: Result<(), cloud_api_types::runtime::ValidationErrors>) -> Vec<String> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

// --- Validation: each documented constraint of the seed operations. ---

#[test]
fn fsx_task_id_minimum_length() {
    let short = fsx::CancelDataRepositoryTaskRequest::new("task-0a1b2");
    let found = violations(short.validate());
    assert!(found.contains(&"TaskId: length 10 is below the minimum 12".to_string()), "{found:?}");
}

#[test]
fn fsx_task_id_maximum_length() {
    let long = fsx::CancelDataRepositoryTaskRequest::new(format!("task-{}", "0".repeat(124)));
    assert_eq!(violations(long.validate()), ["TaskId: length 129 is above the maximum 128"]);
}

#[test]
fn fsx_task_id_pattern() {
    let upper = fsx::CancelDataRepositoryTaskRequest::new("task-0123456789ABCDEF0");
    assert_eq!(violations(upper.validate()), ["TaskId: does not match the pattern `^(task-[0-9a-f]{17,})$`"]);
}

#[test]
fn fsx_page_example_is_valid() {
    assert_eq!(violations(fsx::CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0").validate()), Vec::<String>::new());
}

#[test]
fn imagebuilder_client_token_length() {
    const LCE: &str = "lce-01234567-89ab-cdef-0123-456789abcdef";
    let empty = imagebuilder::CancelLifecycleExecutionRequest::new(LCE).with_client_token("");
    assert_eq!(violations(empty.validate()), ["clientToken: length 0 is below the minimum 1"]);
    let max = client_token_max();
    let long = imagebuilder::CancelLifecycleExecutionRequest::new(LCE).with_client_token("t".repeat(max as usize + 1));
    assert_eq!(violations(long.validate()), [format!("clientToken: length {} is above the maximum {max}", max + 1)]);
    let at_max = imagebuilder::CancelLifecycleExecutionRequest::new(LCE).with_client_token("t".repeat(max as usize));
    assert_eq!(violations(at_max.validate()), Vec::<String>::new());
}

/// The model's maximum for `clientToken` (the page and botocore disagree;
/// the model's note says which it keeps).
fn client_token_max() -> u64 {
    let schema = imagebuilder::CancelLifecycleExecutionRequest::schema();
    let member = schema.members.iter().find(|m| m.wire == "clientToken").expect("clientToken");
    member.rules.length.1.expect("a maximum")
}

#[test]
fn imagebuilder_lifecycle_execution_id_pattern_and_every_violation_at_once() {
    // The issue's reproducer: `new("", "")` used to be sent as is.
    let request = imagebuilder::CancelLifecycleExecutionRequest::new("").with_client_token("");
    let err = request.validate().expect_err("two violations");
    let found: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "clientToken: length 0 is below the minimum 1",
            "lifecycleExecutionId: does not match the pattern `^lce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`",
        ]
    );
    let shown = err.to_string();
    assert!(shown.starts_with("2 constraint violations: clientToken"), "{shown}");
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("lifecycleExecutionId"));
}

#[test]
fn decoding_does_not_validate() {
    // A service may relax a constraint: an old client still reads the answer.
    let answer = http::Response::builder().status(200).body(br#"{"Lifecycle":"PENDING","TaskId":"t"}"#.to_vec()).expect("response");
    let decoded = fsx::CancelDataRepositoryTaskResponse::from_http(&answer).expect("decodes");
    assert_eq!(violations(decoded.validate()), ["TaskId: length 1 is below the minimum 12", "TaskId: does not match the pattern `^(task-[0-9a-f]{17,})$`"]);
}

/// Every example of every operation of the real models whose data fits
/// its syntax (the page's own examples) is valid, request and response.
#[test]
fn the_pages_examples_are_valid() {
    let mut checked = 0;
    for svc in &tests::real_outputs().ir().services {
        for op in &svc.operations {
            for example in &op.examples {
                for (data, request) in [(&example.input, true), (&example.output, false)] {
                    let Some(data) = data else { continue };
                    let found = validate_example(&svc.provider, &svc.module, &op.wire_name, request, data);
                    if let Some(found) = found {
                        assert_eq!(found, Vec::<String>::new(), "{}::{} {} `{}`", svc.module, op.wire_name, if request { "input" } else { "output" }, example.title);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} examples checked");
}

/// Decodes an example (wire-form JSON) into the operation's request or
/// response and validates it; `None` when the data does not decode (an
/// example that contradicts its page's syntax).
fn validate_example(provider: &str, module: &str, op: &str, request: bool, data: &serde_json::Value) -> Option<Vec<String>> {
    let mut out = None;
    macro_rules! check {
        ($op:path, $protocol:ident, $provider:literal, $service:literal) => {
            if $provider == provider && $service == module && <$op as Operation>::NAME == op {
                out = if request {
                    serde_json::from_value::<<$op as Operation>::Request>(data.clone()).ok().map(|v| violations(v.validate()))
                } else {
                    serde_json::from_value::<<$op as Operation>::Response>(data.clone()).ok().map(|v| violations(v.validate()))
                };
            }
        };
    }
    cloud_api_types::for_each_operation!(check);
    out
}

// --- Redaction. ---

const SECRET: &str = "SECRET-c0ffee";

/// Fills every member of `value` at every depth (two items per list, one
/// entry per map): sensitive text and blobs with [`SECRET`], the rest with
/// plain values. Returns how many sensitive members it filled.
fn fill(value: &mut dyn Shape, depth: usize) -> usize {
    let schema = value.dyn_schema();
    let mut secrets = 0;
    for (i, member) in schema.members.iter().enumerate() {
        if let Some(slot) = value.field_mut(i) {
            secrets += fill_slot(slot, member.kind, member.sensitive, depth);
        }
    }
    secrets
}

fn fill_slot(slot: Slot<'_>, kind: Kind, sensitive: bool, depth: usize) -> usize {
    match slot {
        Slot::Option(o) => fill_slot(o.fill(), kind, sensitive, depth),
        Slot::Str(s) => {
            *s = if sensitive { SECRET.to_string() } else { "plain".to_string() };
            usize::from(sensitive)
        }
        Slot::Blob(b) => {
            *b = if sensitive { SECRET.as_bytes().to_vec() } else { b"plain".to_vec() };
            usize::from(sensitive)
        }
        Slot::Enum(e) => {
            e.set(if sensitive { SECRET } else { "plain" });
            usize::from(sensitive)
        }
        Slot::Struct(s) if depth < 8 => fill(s, depth + 1),
        Slot::List(list) => {
            let item = match kind {
                Kind::List(l) => l.item,
                _ => return 0,
            };
            // A sensitive list makes each item sensitive.
            (0..2).map(|_| fill_slot(list.push(), item, sensitive, depth)).sum()
        }
        Slot::Map(map) => match kind.map_value() {
            Some(value) => fill_slot(map.insert("k".into()), value, sensitive, depth),
            None => 0,
        },
        _ => 0,
    }
}

/// The secret in any form `Debug` could print it: as text, or as the
/// bytes of a blob.
fn leaks(text: &str) -> bool {
    let bytes = format!("{:?}", SECRET.as_bytes());
    text.contains(SECRET) || text.contains(&bytes[1..bytes.len() - 1])
}

/// Every request and response of every operation, filled at every depth:
/// no secret in its `Debug` output (pretty or not). The EC2 upload policy
/// and its signature sit three levels deep, in a list of bundle tasks.
#[test]
fn no_sensitive_value_appears_in_any_debug_output() {
    let mut secrets = 0;
    let mut values = 0;
    macro_rules! check {
        ($op:path, $protocol:ident, $provider:literal, $service:literal) => {{
            let mut request = <<$op as Operation>::Request as cloud_api_types::runtime::schema::Empty>::empty();
            secrets += fill(&mut request, 0);
            let mut response = <<$op as Operation>::Response as cloud_api_types::runtime::schema::Empty>::empty();
            secrets += fill(&mut response, 0);
            for shown in [format!("{request:?}"), format!("{request:#?}"), format!("{response:?}"), format!("{response:#?}")] {
                assert!(!leaks(&shown), "{}: {shown}", stringify!($op));
                assert!(shown.contains("plain") || !shown.contains('"'), "{}: the value was filled: {shown}", stringify!($op));
            }
            values += 2;
        }};
    }
    cloud_api_types::for_each_operation!(check);
    assert!(values >= 10, "{values}");
    assert!(secrets >= 4, "the sensitive members were reached: {secrets}");
}

#[test]
fn ec2_upload_policy_and_signature_are_redacted_at_depth_and_in_lists() {
    let storage = ec2::S3Storage::new()
        .with_upload_policy(SECRET.as_bytes().to_vec())
        .with_upload_policy_signature(SECRET)
        .with_bucket("my-bucket");
    let shown = format!("{storage:?}");
    assert!(!leaks(&shown), "{shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***") && shown.contains("my-bucket"), "{shown}");
    let task = ec2::BundleTask::new().with_storage(ec2::Storage::new().with_s3(storage));
    let response = ec2::DescribeBundleTasksResponse::new().with_bundle_tasks(vec![task.clone(), task]);
    let shown = format!("{response:#?}");
    assert!(!leaks(&shown), "{shown}");
    assert_eq!(shown.matches("*** Sensitive Data Redacted ***").count(), 4, "{shown}");
}

/// A malformed sensitive blob: the decode error says where, not what.
#[test]
fn decode_errors_do_not_quote_a_sensitive_value() {
    let xml = format!(
        "<DescribeBundleTasksResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><bundleInstanceTasksSet><item><storage><S3><uploadPolicy>{SECRET}!!</uploadPolicy></S3></storage></item></bundleInstanceTasksSet></DescribeBundleTasksResponse>"
    );
    let err = ec2::DescribeBundleTasksResponse::from_xml(&xml).expect_err("not base64");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("uploadPolicy"), "{shown}");
    assert!(!shown.contains("SECRET") && !shown.contains(&format!("{}", b'!')), "{shown}");
}

// --- Idempotency tokens. ---

fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let hex = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| hex(g))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

#[test]
fn client_token_is_a_fresh_uuid_v4_and_can_be_overridden() {
    const LCE: &str = "lce-01234567-89ab-cdef-0123-456789abcdef";
    let a = imagebuilder::CancelLifecycleExecutionRequest::new(LCE);
    let b = imagebuilder::CancelLifecycleExecutionRequest::new(LCE);
    assert!(is_uuid_v4(a.client_token()), "{}", a.client_token());
    assert_ne!(a.client_token(), b.client_token(), "fresh per request");
    assert_eq!(violations(a.validate()), Vec::<String>::new(), "a UUID fits the documented length");
    let retry = imagebuilder::CancelLifecycleExecutionRequest::new(LCE).with_client_token(a.client_token());
    assert_eq!(retry.client_token(), a.client_token(), "a retry reuses the token");
    let body: serde_json::Value = serde_json::from_slice(retry.to_http("https://imagebuilder.us-east-1.amazonaws.com").expect("build").body()).expect("json");
    assert_eq!(body["clientToken"], a.client_token());
    assert!(!is_uuid_v4("01234567-89ab-cdef-0123-456789abcdef"), "the check can fail");
}

// --- Retry classes. ---

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).expect("response")
}

#[test]
fn fsx_throttling_and_server_errors_are_retryable() {
    let throttled = fsx::CancelDataRepositoryTaskResponse::from_http(&response(400, &[], r#"{"__type":"ThrottlingException"}"#)).expect_err("error");
    assert!(throttled.is_throttling() && throttled.is_retryable(), "{throttled:?}");
    let internal = fsx::CancelDataRepositoryTaskResponse::from_http(&response(500, &[], r#"{"__type":"InternalServerError"}"#)).expect_err("error");
    assert!(matches!(internal, fsx::CancelDataRepositoryTaskError::InternalServerError(_)));
    assert!(internal.is_retryable() && !internal.is_throttling());
    let proxy = fsx::CancelDataRepositoryTaskResponse::from_http(&response(502, &[("content-type", "text/html")], "<html>Bad Gateway</html>")).expect_err("error");
    assert!(matches!(proxy, fsx::CancelDataRepositoryTaskError::InvalidResponse(_)), "{proxy:?}");
    assert!(proxy.is_retryable(), "a proxy's 502 page");
    assert_eq!(proxy.fault(), Some(cloud_api_types::runtime::ErrorFault::Server));
    let ended = fsx::CancelDataRepositoryTaskResponse::from_http(&response(400, &[], r#"{"__type":"DataRepositoryTaskEnded"}"#)).expect_err("error");
    assert!(!ended.is_retryable() && !ended.is_throttling());
}

#[test]
fn alibaba_throttling_codes_are_throttling() {
    for code in ["Throttling", "Throttling.User", "Throttling.Api"] {
        let body = format!(r#"{{"Code":"{code}","Message":"slow down","RequestId":"r-1"}}"#);
        let err = ecs::CancelImagePipelineExecutionResponse::from_http(&response(400, &[], &body)).expect_err("error");
        assert!(err.is_throttling() && err.is_retryable(), "{code}: {err:?}");
    }
    let unavailable = ecs::CancelImagePipelineExecutionResponse::from_http(&response(503, &[], r#"{"Code":"ServiceUnavailable"}"#)).expect_err("error");
    assert!(unavailable.is_retryable() && !unavailable.is_throttling());
}

#[test]
fn ec2_request_limit_is_throttling_whatever_the_operation() {
    let xml = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-9</RequestID></Response>";
    let err = ec2::DescribeBundleTasksResponse::from_http(&response(503, &[], xml)).expect_err("error");
    assert!(err.is_throttling() && err.is_retryable(), "{err:?}");
    assert_eq!(ServiceError::request_id(&err), Some("r-9"));
}

// --- Request IDs of successful calls. ---

#[test]
fn every_protocol_keeps_the_request_id_of_a_success() {
    let fsx = fsx::CancelDataRepositoryTaskResponse::from_http(&response(200, &[("x-amzn-RequestId", "fsx-1")], r#"{"Lifecycle":"CANCELING"}"#)).expect("ok");
    assert_eq!(fsx.request_id(), Some("fsx-1"));
    let ib = imagebuilder::CancelLifecycleExecutionResponse::from_http(&response(200, &[("x-amzn-RequestId", "ib-1")], "{}")).expect("ok");
    assert_eq!(ib.request_id(), Some("ib-1"));
    let ecs = ecs::CancelImagePipelineExecutionResponse::from_http(&response(200, &[], r#"{"RequestId":"ecs-1"}"#)).expect("ok");
    assert_eq!(ecs.request_id(), Some("ecs-1"));
    let xml = "<CancelBundleTaskResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>ec2-1</requestId></CancelBundleTaskResponse>";
    let ec2 = ec2::CancelBundleTaskResponse::from_http(&response(200, &[], xml)).expect("ok");
    assert_eq!(ec2.request_id(), Some("ec2-1"));
    let none = fsx::CancelDataRepositoryTaskResponse::from_http(&response(200, &[], "{}")).expect("ok");
    assert_eq!(none.request_id(), None);
}

// --- Waiters. ---

#[test]
fn the_bundle_task_waiter_is_recorded_as_botocore_defines_it() {
    use cloud_api_types::runtime::{Matcher, WaiterState};
    let [waiter] = ec2::DescribeBundleTasks::WAITERS else { panic!("one waiter") };
    assert_eq!((waiter.name, waiter.delay_seconds, waiter.max_attempts), ("BundleTaskComplete", 15, 40));
    let rules: Vec<_> = waiter.acceptors.iter().map(|a| (a.state, a.matcher, a.argument, a.expected)).collect();
    assert_eq!(
        rules,
        [
            (WaiterState::Success, Matcher::PathAll, Some("BundleTasks[].State"), "complete"),
            (WaiterState::Failure, Matcher::PathAny, Some("BundleTasks[].State"), "failed"),
        ]
    );
}

// --- Validation at depth, in lists, and of responses. ---

#[test]
fn ecs_template_tags_at_most_twenty() {
    let tags: Vec<ecs::TemplateTag> = (0..21).map(|i| ecs::TemplateTag::new().with_key(format!("k{i}"))).collect();
    let request = ecs::CancelImagePipelineExecutionRequest::new("cn-hangzhou", "exec-5fb8facb8ed7427c").with_template_tag(tags[..20].to_vec());
    assert_eq!(violations(request.validate()), Vec::<String>::new());
    let request = request.with_template_tag(tags);
    assert_eq!(violations(request.validate()), ["TemplateTag: 21 items are above the maximum 20"]);
}

#[test]
fn list_items_and_nested_members_are_checked_with_their_paths() {
    let filter = |values: Vec<&str>| fsx::DataRepositoryTaskFilter::new().with_values(values.into_iter().map(String::from).collect());
    let request = fsx::DescribeDataRepositoryTasksRequest::new()
        .with_task_ids(vec!["task-0123456789abcdef0".into(), "task-1".into()])
        .with_filters(vec![filter(vec!["fs-0123456789abcdef0"]), filter(vec!["", "a b"])])
        .with_max_results(0);
    assert_eq!(
        violations(request.validate()),
        [
            "TaskIds[1]: length 6 is below the minimum 12",
            "TaskIds[1]: does not match the pattern `^(task-[0-9a-f]{17,})$`",
            "Filters[1].Values[0]: length 0 is below the minimum 1",
            "Filters[1].Values[1]: does not match the pattern `^[0-9a-zA-Z\\*\\.\\\\/\\?\\-\\_]*$`",
            "MaxResults: value 0 is below the minimum 1",
        ]
    );
}

#[test]
fn responses_are_validated_too() {
    let response = imagebuilder::CancelLifecycleExecutionResponse::new().with_lifecycle_execution_id("lce-nope");
    assert_eq!(violations(response.validate()).len(), 1);
    let fine = imagebuilder::CancelLifecycleExecutionResponse::new().with_lifecycle_execution_id("lce-01234567-89ab-cdef-0123-456789abcdef");
    assert_eq!(violations(fine.validate()), Vec::<String>::new());
}
