//! End to end over a real socket, with no mock between the crate and it: the
//! generated `to_http` requests go out through a real HTTP/1.1 client
//! (`ureq`) to a loopback emulator of the two cancel operations (`tiny_http`
//! on 127.0.0.1, port chosen by the OS), and the generated `from_http`
//! decoders read what comes back.
//!
//! The emulator keeps a task table and answers as the model pages describe:
//! FSx cancels PENDING and EXECUTING tasks only; Image Builder honours its
//! idempotency token. It checks method, path, `Content-Type` and
//! `X-Amz-Target` exactly, so a request that deviates from the protocol
//! binding is refused rather than served.
//!
//! The README's signing example is checked here too: its code block must be
//! `tests/examples/sign_and_send.rs`, which `cargo test` builds.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use cloud_api_types::aws::fsx::{self, CancelDataRepositoryTaskError as FsxError};
use cloud_api_types::aws::imagebuilder::{self, CancelLifecycleExecutionError as IbError};
use serde_json::{Value, json};

// ================================================================ the emulator

const FSX_CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const FSX_TARGET: &str = "AWSSimbaAPIService_v20180301.CancelDataRepositoryTask";
const IB_PATH: &str = "/CancelLifecycleExecution";
const IB_CONTENT_TYPE: &str = "application/json";
/// The server thread stops after this many requests even if nobody stops it.
const MAX_REQUESTS: usize = 64;

/// What the emulated services know.
#[derive(Debug, Default)]
struct State {
    /// FSx data repository tasks: task ID → lifecycle, as FSx spells it.
    tasks: HashMap<String, String>,
    /// Image Builder lifecycle executions: ID → how many cancels took effect.
    executions: HashMap<String, u32>,
    /// Image Builder client tokens seen: token → (execution ID, the 200 body sent).
    tokens: HashMap<String, (String, Vec<u8>)>,
    /// Every answer sent, in order.
    log: Vec<Sent>,
}

/// What the server answered to one request.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    request_id: String,
    status: u16,
    /// The error code, for an error answer.
    code: Option<String>,
    /// The error message, for an error answer.
    message: Option<String>,
}

/// An answer before it is written to the socket.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    code: Option<String>,
    message: Option<String>,
}

impl Reply {
    fn ok(content_type: &str, body: &Value) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.to_string().into_bytes(),
            code: None,
            message: None,
        }
    }

    /// An AWS JSON 1.1 error: `__type` and `Message` in the body.
    fn aws_json_error(status: u16, code: &str, message: String) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", FSX_CONTENT_TYPE.to_string())],
            body: json!({ "__type": format!("com.amazonaws.fsx#{code}"), "Message": message })
                .to_string()
                .into_bytes(),
            code: Some(code.to_string()),
            message: Some(message),
        }
    }

    /// A REST-JSON error: the code only in `x-amzn-ErrorType` (in the form
    /// AWS sends, with a namespace after the colon), `message` in the body.
    fn rest_json_error(status: u16, code: &str, message: String) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", IB_CONTENT_TYPE.to_string()),
                ("x-amzn-ErrorType", format!("{code}:http://internal.amazon.com/coral/com.amazonaws.imagebuilder/")),
            ],
            body: json!({ "message": message }).to_string().into_bytes(),
            code: Some(code.to_string()),
            message: Some(message),
        }
    }

    /// A method or path no operation is bound to: 404, with the code in
    /// the header and the body so either protocol's decoder finds it.
    fn unknown_operation(method: &str, url: &str) -> Reply {
        let message = format!("No operation is bound to {method} {url}.");
        Reply {
            status: 404,
            headers: vec![
                ("Content-Type", IB_CONTENT_TYPE.to_string()),
                ("x-amzn-ErrorType", "UnknownOperationException".to_string()),
            ],
            body: json!({ "__type": "UnknownOperationException", "message": message }).to_string().into_bytes(),
            code: Some("UnknownOperationException".to_string()),
            message: Some(message),
        }
    }
}

/// The one value of a header (names compare case-insensitively); `None`
/// when it is absent or repeated.
fn only_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let mut values = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    match (values.next(), values.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    }
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `^(task-[0-9a-f]{17,})$`, 12 to 128 characters (the model's TaskId).
fn is_task_id(id: &str) -> bool {
    id.len() <= 128 && id.strip_prefix("task-").is_some_and(|hex| hex.len() >= 17 && is_lower_hex(hex))
}

/// `^lce-` and a UUID in hex of either case (the model's LifecycleExecutionId).
fn is_lifecycle_execution_id(id: &str) -> bool {
    let Some(uuid) = id.strip_prefix("lce-") else { return false };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// FSx `CancelDataRepositoryTask`, AWS JSON 1.1.
fn fsx_service(state: &mut State, method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Reply {
    if method != "POST" {
        return Reply::unknown_operation(method, url);
    }
    let content_type = only_header(headers, "content-type");
    if content_type != Some(FSX_CONTENT_TYPE) {
        return Reply::aws_json_error(400, "BadRequest", format!("Content-Type must be {FSX_CONTENT_TYPE}, not {content_type:?}."));
    }
    let target = only_header(headers, "x-amz-target");
    if target != Some(FSX_TARGET) {
        return Reply::aws_json_error(400, "UnsupportedOperation", format!("The operation {target:?} is not supported."));
    }
    let parsed: Result<Value, _> = serde_json::from_slice(body);
    let Some(task_id) = parsed.ok().as_ref().and_then(|v| v.get("TaskId")).and_then(Value::as_str).map(str::to_string) else {
        return Reply::aws_json_error(400, "BadRequest", "The request body must be a JSON object with a string TaskId.".to_string());
    };
    if !is_task_id(&task_id) {
        return Reply::aws_json_error(400, "BadRequest", format!("{task_id:?} is not a data repository task ID."));
    }
    // The emulator's own rule, written from the page ("if that task is in
    // either the PENDING or EXECUTING state"), not from the crate's helper.
    match state.tasks.get_mut(&task_id) {
        None => Reply::aws_json_error(
            400,
            "DataRepositoryTaskNotFound",
            format!("The data repository task {task_id} was not found."),
        ),
        Some(lifecycle) if lifecycle == "PENDING" || lifecycle == "EXECUTING" => {
            *lifecycle = "CANCELING".to_string();
            Reply::ok(FSX_CONTENT_TYPE, &json!({ "Lifecycle": "CANCELING", "TaskId": task_id }))
        }
        Some(lifecycle) if lifecycle == "SUCCEEDED" || lifecycle == "FAILED" || lifecycle == "CANCELED" => Reply::aws_json_error(
            400,
            "DataRepositoryTaskEnded",
            format!("The data repository task {task_id} has already ended: it is {lifecycle}."),
        ),
        // CANCELING: not ended, but not cancelable either; the page names no
        // error for it, so the emulator uses the generic client error.
        Some(lifecycle) => Reply::aws_json_error(
            400,
            "BadRequest",
            format!("The data repository task {task_id} cannot be canceled: it is {lifecycle}."),
        ),
    }
}

/// Image Builder `CancelLifecycleExecution`, REST-JSON.
fn imagebuilder_service(state: &mut State, method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Reply {
    if method != "PUT" {
        return Reply::unknown_operation(method, url);
    }
    let content_type = only_header(headers, "content-type");
    if content_type != Some(IB_CONTENT_TYPE) {
        return Reply::rest_json_error(400, "ClientException", format!("Content-Type must be {IB_CONTENT_TYPE}, not {content_type:?}."));
    }
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let token = parsed.get("clientToken").and_then(Value::as_str);
    let execution = parsed.get("lifecycleExecutionId").and_then(Value::as_str);
    let (Some(token), Some(execution)) = (token, execution) else {
        return Reply::rest_json_error(
            400,
            "ClientException",
            "The request body must be a JSON object with string clientToken and lifecycleExecutionId.".to_string(),
        );
    };
    if token.is_empty() || token.chars().count() > 36 {
        return Reply::rest_json_error(400, "ClientException", "clientToken must have 1 to 36 characters.".to_string());
    }
    if !is_lifecycle_execution_id(execution) {
        return Reply::rest_json_error(400, "ClientException", format!("{execution:?} is not a lifecycle execution ID."));
    }
    if let Some((first_execution, first_answer)) = state.tokens.get(token) {
        if first_execution == execution {
            // The same request again: the first answer, and no second effect.
            return Reply {
                status: 200,
                headers: vec![("Content-Type", IB_CONTENT_TYPE.to_string())],
                body: first_answer.clone(),
                code: None,
                message: None,
            };
        }
        return Reply::rest_json_error(
            400,
            "IdempotentParameterMismatchException",
            format!("The client token {token} was used with lifecycle execution {first_execution}, not {execution}."),
        );
    }
    let Some(cancels) = state.executions.get_mut(execution) else {
        return Reply::rest_json_error(
            400,
            "ResourceNotFoundException",
            format!("The lifecycle execution {execution} was not found."),
        );
    };
    *cancels += 1;
    let answer = Reply::ok(IB_CONTENT_TYPE, &json!({ "lifecycleExecutionId": execution }));
    state.tokens.insert(token.to_string(), (execution.to_string(), answer.body.clone()));
    answer
}

fn route(state: &mut State, method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Reply {
    match url {
        "/" => fsx_service(state, method, url, headers, body),
        IB_PATH => imagebuilder_service(state, method, url, headers, body),
        _ => Reply::unknown_operation(method, url),
    }
}

/// Reads one request off the socket, answers it, and logs the answer.
fn serve(state: &Mutex<State>, mut request: tiny_http::Request) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let headers: Vec<(String, String)> =
        request.headers().iter().map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string())).collect();
    let mut body = Vec::new();
    let read = request.as_reader().take(1 << 20).read_to_end(&mut body);

    let mut state = state.lock().expect("the state lock is not poisoned");
    let request_id = format!("00000000-0000-4000-8000-{:012}", state.log.len() + 1);
    let reply = match read {
        Ok(_) => route(&mut state, &method, &url, &headers, &body),
        Err(e) => Reply::aws_json_error(400, "BadRequest", format!("unreadable body: {e}")),
    };
    state.log.push(Sent { request_id: request_id.clone(), status: reply.status, code: reply.code, message: reply.message });
    drop(state);

    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in reply.headers.iter().map(|(n, v)| (*n, v.as_str())).chain([("x-amzn-RequestId", request_id.as_str())]) {
        response.add_header(tiny_http::Header::from_bytes(name, value).expect("a valid header"));
    }
    // The client may have gone; the test then fails on its side.
    let _ = request.respond(response);
}

/// The emulator on 127.0.0.1 and a client configured for it. Dropping it
/// stops the server thread.
struct Loopback {
    endpoint: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    agent: ureq::Agent,
}

impl Loopback {
    fn start(state: State) -> Loopback {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1 on a free port"));
        let address = server.server_addr().to_ip().expect("an IP listener");
        assert!(address.ip().is_loopback(), "{address}");
        let state = Arc::new(Mutex::new(state));
        let thread = {
            let (server, state) = (Arc::clone(&server), Arc::clone(&state));
            std::thread::spawn(move || {
                for request in server.incoming_requests().take(MAX_REQUESTS) {
                    serve(&state, request);
                }
            })
        };
        let agent = ureq::Agent::config_builder()
            // Error statuses are answers the crate decodes, not transport errors.
            .http_status_as_error(false)
            // Never a proxy from the environment: only 127.0.0.1 is contacted.
            .proxy(None)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        Loopback { endpoint: format!("http://{address}"), state, server, thread: Some(thread), agent }
    }

    /// Sends the request exactly as built (method, URI, headers, body) and
    /// returns the answer as an `http::Response` with the body read.
    fn send(&self, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        assert_eq!(request.uri().host(), Some("127.0.0.1"), "only the loopback server is contacted");
        let response = self.agent.run(request).expect("the loopback server answers");
        let (parts, mut body) = response.into_parts();
        let bytes = body.read_to_vec().expect("the response body");
        let mut converted = http::Response::builder().status(parts.status).version(parts.version);
        for (name, value) in &parts.headers {
            converted = converted.header(name, value);
        }
        converted.body(bytes).expect("a valid response")
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("the state lock is not poisoned")
    }

    /// What the server answered last.
    fn last_sent(&self) -> Sent {
        self.state().log.last().cloned().expect("the server answered")
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let joined = thread.join();
            if !std::thread::panicking() {
                joined.expect("the server thread ends cleanly");
            }
        }
    }
}

fn header<'a, B>(response: &'a http::Response<B>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The decoded error says what the server sent: code, message, request ID
/// (from the `x-amzn-RequestId` header) and status.
fn assert_error_as_sent(sent: &Sent, code: Option<&str>, message: Option<&str>, request_id: Option<&str>, status: Option<u16>) {
    assert!(sent.code.is_some() && sent.message.is_some(), "the server sent an error: {sent:?}");
    assert_eq!(code, sent.code.as_deref(), "code");
    assert_eq!(message, sent.message.as_deref(), "message");
    assert_eq!(request_id, Some(sent.request_id.as_str()), "request ID");
    assert_eq!(status, Some(sent.status), "HTTP status");
}

fn assert_fsx_error(lb: &Loopback, error: &FsxError, code: &str, status: u16) {
    assert_eq!(error.code(), Some(code), "{error:?}");
    assert_eq!(error.http_status(), Some(status), "{error:?}");
    assert_error_as_sent(&lb.last_sent(), error.code(), error.message(), error.request_id(), error.http_status());
}

fn assert_ib_error(lb: &Loopback, error: &IbError, code: &str, status: u16) {
    assert_eq!(error.code(), Some(code), "{error:?}");
    assert_eq!(error.http_status(), Some(status), "{error:?}");
    assert_error_as_sent(&lb.last_sent(), error.code(), error.message(), error.request_id(), error.http_status());
}

// ================================================================ FSx

fn fsx_cancel(lb: &Loopback, task_id: &str) -> (http::Response<Vec<u8>>, Result<fsx::CancelDataRepositoryTaskResponse, FsxError>) {
    let request = fsx::CancelDataRepositoryTaskRequest::new(task_id).to_http(&lb.endpoint).expect("build the request");
    let response = lb.send(request);
    let decoded = fsx::CancelDataRepositoryTaskResponse::from_http(&response);
    (response, decoded)
}

#[test]
fn fsx_cancel_over_a_socket_agrees_with_the_documented_precondition() {
    use fsx::DataRepositoryTaskLifecycle as L;
    // One task in each documented lifecycle.
    let tasks: Vec<(String, L)> =
        L::VALUES.iter().enumerate().map(|(i, value)| (format!("task-{:017x}", 0xfa00 + i), L::from(*value))).collect();
    assert_eq!(tasks.len(), 6);
    let lb = Loopback::start(State {
        tasks: tasks.iter().map(|(id, l)| (id.clone(), l.as_str().to_string())).collect(),
        ..State::default()
    });

    let mut cancelable = Vec::new();
    for (id, lifecycle) in &tasks {
        let (response, decoded) = fsx_cancel(&lb, id);
        let sent = lb.last_sent();
        assert_eq!(header(&response, "x-amzn-requestid"), Some(sent.request_id.as_str()));
        match decoded {
            Ok(cancelled) => {
                assert_eq!(response.status(), 200);
                assert_eq!(cancelled.lifecycle, Some(L::Canceling), "{lifecycle}");
                assert_eq!(cancelled.task_id.as_deref(), Some(id.as_str()));
                assert_eq!(lb.state().tasks[id], "CANCELING", "the cancel took effect");
                cancelable.push(lifecycle.clone());
            }
            Err(error) => {
                match lifecycle {
                    L::Succeeded | L::Failed | L::Canceled => {
                        assert!(matches!(error, FsxError::DataRepositoryTaskEnded(_)), "{lifecycle}: {error:?}");
                        assert_fsx_error(&lb, &error, "DataRepositoryTaskEnded", 400);
                        assert_eq!(
                            error.message(),
                            Some(format!("The data repository task {id} has already ended: it is {lifecycle}.").as_str())
                        );
                    }
                    L::Canceling => {
                        assert!(matches!(error, FsxError::BadRequest(_)), "{lifecycle}: {error:?}");
                        assert_fsx_error(&lb, &error, "BadRequest", 400);
                    }
                    other => panic!("{other} was canceled? {error:?}"),
                }
                assert_eq!(lb.state().tasks[id], lifecycle.as_str(), "a refused cancel changes nothing");
            }
        }
        // The crate's helper and the server agree, state by state.
        assert_eq!(
            fsx::CancelDataRepositoryTask::precondition_met(lifecycle),
            cancelable.contains(lifecycle),
            "{lifecycle}"
        );
    }
    assert_eq!(cancelable, [L::Pending, L::Executing]);

    // A second cancel of a task that is now CANCELING is refused.
    let (_, again) = fsx_cancel(&lb, &tasks[0].0);
    let error = again.expect_err("already canceling");
    assert!(matches!(error, FsxError::BadRequest(_)), "{error:?}");
    assert_fsx_error(&lb, &error, "BadRequest", 400);
    assert!(!fsx::CancelDataRepositoryTask::precondition_met(&L::Canceling));

    // An unknown task.
    let (_, missing) = fsx_cancel(&lb, "task-fffffffffffffffff");
    let error = missing.expect_err("no such task");
    assert!(matches!(error, FsxError::DataRepositoryTaskNotFound(_)), "{error:?}");
    assert_fsx_error(&lb, &error, "DataRepositoryTaskNotFound", 400);
    assert_eq!(error.message(), Some("The data repository task task-fffffffffffffffff was not found."));
    assert_eq!(lb.state().log.len(), 8);
}

#[test]
fn fsx_server_refuses_requests_that_deviate_from_the_binding() {
    let id = "task-0123456789abcdef0";
    let lb = Loopback::start(State { tasks: HashMap::from([(id.to_string(), "PENDING".to_string())]), ..State::default() });
    let build = || fsx::CancelDataRepositoryTaskRequest::new(id).to_http(&lb.endpoint).expect("build the request");
    let decode = |request| fsx::CancelDataRepositoryTaskResponse::from_http(&lb.send(request)).expect_err("refused");

    // Malformed bodies, among them the page's own sample request (TaskId as
    // an array): 400 BadRequest.
    for body in [&br#"{ "TaskId": ["task-0123456789abcdef0"] }"#[..], b"{}", b"TaskId=task-0123456789abcdef0", b""] {
        let mut request = build();
        *request.body_mut() = body.to_vec();
        let error = decode(request);
        assert!(matches!(error, FsxError::BadRequest(_)), "{error:?}");
        assert_fsx_error(&lb, &error, "BadRequest", 400);
        assert_eq!(error.message(), Some("The request body must be a JSON object with a string TaskId."));
    }
    // A well-formed body whose TaskId breaks the model's pattern.
    let error = fsx::CancelDataRepositoryTaskResponse::from_http(
        &lb.send(fsx::CancelDataRepositoryTaskRequest::new("task-XYZ").to_http(&lb.endpoint).expect("build")),
    )
    .expect_err("not a task ID");
    assert_fsx_error(&lb, &error, "BadRequest", 400);

    // Another operation's target, a wrong case, no target: UnsupportedOperation.
    for target in [Some("AWSSimbaAPIService_v20180301.DescribeDataRepositoryTasks"), Some("awssimbaapiservice_v20180301.canceldatarepositorytask"), None] {
        let mut request = build();
        match target {
            Some(t) => request.headers_mut().insert("x-amz-target", http::HeaderValue::from_static(t)),
            None => request.headers_mut().remove("x-amz-target"),
        };
        let error = decode(request);
        assert!(matches!(error, FsxError::UnsupportedOperation(_)), "{target:?}: {error:?}");
        assert_fsx_error(&lb, &error, "UnsupportedOperation", 400);
    }

    // Another content type: BadRequest.
    let mut request = build();
    request.headers_mut().insert("content-type", http::HeaderValue::from_static("application/json"));
    let error = decode(request);
    assert_fsx_error(&lb, &error, "BadRequest", 400);
    assert_eq!(error.message(), Some(r#"Content-Type must be application/x-amz-json-1.1, not Some("application/json")."#));

    // Another method, or the page's sample path: 404 with a code the model
    // does not document, kept in `Unhandled`.
    let mut wrong_method = build();
    *wrong_method.method_mut() = http::Method::PUT;
    let mut wrong_path = build();
    *wrong_path.uri_mut() = format!("{}/2015-02-01/cancel-data-repository-task", lb.endpoint).parse().expect("a URI");
    for request in [wrong_method, wrong_path] {
        let error = decode(request);
        let FsxError::Unhandled(unhandled) = &error else { panic!("{error:?}") };
        assert_eq!(unhandled.code, "UnknownOperationException");
        assert_fsx_error(&lb, &error, "UnknownOperationException", 404);
        assert_eq!(error.fault(), Some(cloud_api_types::runtime::ErrorFault::Client), "undocumented: by its 4xx status");
    }

    // Nothing was canceled; the request as generated still is.
    assert_eq!(lb.state().tasks[id], "PENDING");
    let (_, decoded) = fsx_cancel(&lb, id);
    assert_eq!(decoded.expect("the generated request is served").lifecycle, Some(fsx::DataRepositoryTaskLifecycle::Canceling));
    assert_eq!(lb.state().log.len(), 12);
}

// ================================================================ Image Builder

const LCE_A: &str = "lce-01234567-89ab-cdef-0123-456789abcdef";
const LCE_B: &str = "lce-FEDCBA98-7654-3210-fedc-ba9876543210";

fn ib_cancel(
    lb: &Loopback,
    token: &str,
    execution: &str,
) -> (http::Response<Vec<u8>>, Result<imagebuilder::CancelLifecycleExecutionResponse, IbError>) {
    let request = imagebuilder::CancelLifecycleExecutionRequest::new(execution).with_client_token(token).to_http(&lb.endpoint).expect("build the request");
    let response = lb.send(request);
    let decoded = imagebuilder::CancelLifecycleExecutionResponse::from_http(&response);
    (response, decoded)
}

#[test]
fn imagebuilder_cancel_over_a_socket_honours_the_client_token() {
    let lb = Loopback::start(State { executions: HashMap::from([(LCE_A.to_string(), 0), (LCE_B.to_string(), 0)]), ..State::default() });

    // A known execution: canceled once.
    let (first, decoded) = ib_cancel(&lb, "token-1", LCE_A);
    assert_eq!(first.status(), 200);
    let first_id = lb.last_sent().request_id;
    assert_eq!(header(&first, "x-amzn-requestid"), Some(first_id.as_str()));
    let cancelled = decoded.expect("canceled");
    assert_eq!(cancelled.lifecycle_execution_id.as_deref(), Some(LCE_A));
    assert_eq!(lb.state().executions[LCE_A], 1);

    // The same token and parameters: the same answer, no second effect.
    let (again, decoded_again) = ib_cancel(&lb, "token-1", LCE_A);
    assert_eq!(again.status(), 200);
    assert_eq!(again.body(), first.body());
    let decoded_again = decoded_again.expect("the same answer");
    assert_eq!(decoded_again.lifecycle_execution_id(), cancelled.lifecycle_execution_id());
    assert_eq!(cancelled.request_id(), Some(first_id.as_str()), "the request ID of a success is kept");
    assert_ne!(decoded_again.request_id(), cancelled.request_id(), "each answer has its own request ID");
    assert_eq!(lb.state().executions[LCE_A], 1, "a retried request has no second effect");
    assert_ne!(lb.last_sent().request_id, first_id, "each request has its own ID");

    // The same token with another execution: IdempotentParameterMismatchException.
    let (_, mismatch) = ib_cancel(&lb, "token-1", LCE_B);
    let error = mismatch.expect_err("token reused with other parameters");
    assert!(matches!(error, IbError::IdempotentParameterMismatchException(_)), "{error:?}");
    assert_ib_error(&lb, &error, "IdempotentParameterMismatchException", 400);
    assert_eq!(error.message(), Some(format!("The client token token-1 was used with lifecycle execution {LCE_A}, not {LCE_B}.").as_str()));
    assert!(!error.is_retryable());
    assert_eq!(lb.state().executions[LCE_B], 0, "a refused request has no effect");

    // A fresh token for that execution works.
    let (_, other) = ib_cancel(&lb, "token-2", LCE_B);
    assert_eq!(other.expect("canceled").lifecycle_execution_id.as_deref(), Some(LCE_B));
    assert_eq!(lb.state().executions[LCE_B], 1);

    // An unknown execution: a code the model does not document, kept with
    // everything the server said.
    assert!(!IbError::CODES.contains(&"ResourceNotFoundException"));
    let unknown = "lce-00000000-0000-0000-0000-000000000000";
    let (response, missing) = ib_cancel(&lb, "token-3", unknown);
    assert_eq!(response.status(), 400);
    let error = missing.expect_err("no such execution");
    let IbError::Unhandled(unhandled) = &error else { panic!("{error:?}") };
    assert_eq!(unhandled.code, "ResourceNotFoundException");
    assert_eq!(unhandled.meta.message.as_deref(), Some(format!("The lifecycle execution {unknown} was not found.").as_str()));
    assert_ib_error(&lb, &error, "ResourceNotFoundException", 400);
    assert_eq!((error.fault(), error.is_retryable()), (Some(cloud_api_types::runtime::ErrorFault::Client), false));
    assert_eq!(
        error.to_string(),
        format!("ResourceNotFoundException: The lifecycle execution {unknown} was not found.")
    );
    // The failed request did not consume its token.
    assert!(!lb.state().tokens.contains_key("token-3"));
    assert_eq!(lb.state().log.len(), 5);
}

#[test]
fn imagebuilder_server_refuses_requests_that_deviate_from_the_binding() {
    let lb = Loopback::start(State { executions: HashMap::from([(LCE_A.to_string(), 0)]), ..State::default() });
    let build = || imagebuilder::CancelLifecycleExecutionRequest::new(LCE_A).with_client_token("token-1").to_http(&lb.endpoint).expect("build");
    let decode = |request| imagebuilder::CancelLifecycleExecutionResponse::from_http(&lb.send(request)).expect_err("refused");

    // Malformed bodies: ClientException.
    for body in [&br#"{"clientToken":"token-1"}"#[..], br#"{"clientToken":1,"lifecycleExecutionId":"x"}"#, b"[]", b"not json"] {
        let mut request = build();
        *request.body_mut() = body.to_vec();
        let error = decode(request);
        assert!(matches!(error, IbError::ClientException(_)), "{error:?}");
        assert_ib_error(&lb, &error, "ClientException", 400);
    }
    // Members that break the model's constraints.
    for (token, execution) in [("t".repeat(37), LCE_A), (String::new(), LCE_A), ("token-1".to_string(), "lce-0123")] {
        let request = imagebuilder::CancelLifecycleExecutionRequest::new(execution).with_client_token(token).to_http(&lb.endpoint).expect("build");
        let error = decode(request);
        assert_ib_error(&lb, &error, "ClientException", 400);
    }
    // Another content type: ClientException.
    let mut request = build();
    request.headers_mut().insert("content-type", http::HeaderValue::from_static("application/x-amz-json-1.1"));
    let error = decode(request);
    assert_ib_error(&lb, &error, "ClientException", 400);
    assert_eq!(error.message(), Some(r#"Content-Type must be application/json, not Some("application/x-amz-json-1.1")."#));

    // Another method or path: 404, an undocumented code kept in `Unhandled`.
    let mut wrong_method = build();
    *wrong_method.method_mut() = http::Method::POST;
    let mut wrong_path = build();
    *wrong_path.uri_mut() = format!("{}/cancelLifecycleExecution", lb.endpoint).parse().expect("a URI");
    for request in [wrong_method, wrong_path] {
        let error = decode(request);
        assert!(matches!(&error, IbError::Unhandled(u) if u.code == "UnknownOperationException"), "{error:?}");
        assert_ib_error(&lb, &error, "UnknownOperationException", 404);
    }

    // Nothing took effect and no token was spent; the request as generated is served.
    assert_eq!(lb.state().executions[LCE_A], 0);
    assert!(lb.state().tokens.is_empty());
    let (_, decoded) = ib_cancel(&lb, "token-1", LCE_A);
    assert_eq!(decoded.expect("the generated request is served").lifecycle_execution_id.as_deref(), Some(LCE_A));
    assert_eq!(lb.state().executions[LCE_A], 1);
    assert_eq!(lb.state().log.len(), 11);
}

// ================================================================ the README example

/// The README's "Signing and sending a request" code block is
/// `tests/examples/sign_and_send.rs` (which `cargo test` compiles) less the
/// file's `//!` header: they cannot drift apart.
#[test]
fn readme_signing_example_is_the_compiled_example() {
    let root = tests::workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("read README.md");
    let example = std::fs::read_to_string(root.join("tests/examples/sign_and_send.rs")).expect("read the example");

    let headings: Vec<&str> = readme.lines().filter(|l| l.starts_with("## ")).collect();
    let using = headings.iter().position(|h| *h == "## Using the generated crate").expect("the section the example follows");
    assert_eq!(headings.get(using + 1), Some(&"## Signing and sending a request"), "{headings:?}");

    let (_, section) = readme.split_once("\n## Signing and sending a request\n").expect("the section");
    let section = section.split("\n## ").next().expect("split yields one part");
    assert!(section.contains("`tests/examples/sign_and_send.rs`"), "the section names the file");
    let (_, code) = section.split_once("```rust,no_run\n").expect("a rust code block (compiled by the README doctest, not run)");
    let (code, _) = code.split_once("\n```").expect("the block ends");
    assert!(code.contains("fn main()") && code.contains("sign(signable, &params)"), "{code}");

    let (before, after) = example.split_once(code).unwrap_or_else(|| panic!("the README block is not in the example:\n{code}"));
    assert!(before.lines().all(|l| l.starts_with("//!") || l.trim().is_empty()), "the example has code the README lacks:\n{before}");
    assert_eq!(after.trim(), "", "the example has code the README lacks");
}
