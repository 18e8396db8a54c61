//! One task lifecycle across four clouds.
//!
//! First, every documented state of every task-state enum, value by value:
//! its phase as its sources imply (the expectations below are written from
//! the pages and vendor references, not read from the models), whether it
//! is terminal and whether it is cancellable.
//!
//! Then the worked program (`tests/examples/watch_tasks.rs`, included here
//! as a module) runs end to end against a loopback emulator of the four
//! services (`tiny_http` on 127.0.0.1): requests built by
//! `Operation::to_http`, sent by a real HTTP client, answers decoded by
//! `Operation::from_http`. Each emulated task moves through its states
//! one step per look; a cancel is accepted in a cancellable state and
//! refused with the documented error in a terminal one; the first look at
//! each service is throttled.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use cloud_api_types::{TaskPhase, TaskState};
use cloud_api_types::{alibaba::ecs, aws::ec2, aws::fsx, aws::imagebuilder};
use serde_json::{Value, json};

#[path = "../examples/watch_tasks.rs"]
mod watch_tasks;

use watch_tasks::{Action, Endpoints, Error, Policy, Task, Unsigned};

// ===================================================== the phases, value by value

use TaskPhase::{Cancelled, Cancelling, Failed, Pending, Running, Succeeded};

/// Checks one enum against the expected table (wire value, phase,
/// cancellable), every documented value covered, and its catch-all.
fn check<E>(values: &[&str], expected: &[(&str, TaskPhase, bool)])
where
    E: TaskState + for<'a> From<&'a str> + std::fmt::Debug,
{
    let listed: Vec<&str> = expected.iter().map(|(v, _, _)| *v).collect();
    let mut sorted_values = values.to_vec();
    sorted_values.sort_unstable();
    let mut sorted_listed = listed.clone();
    sorted_listed.sort_unstable();
    assert_eq!(sorted_values, sorted_listed, "every documented value has an expectation");
    for (value, phase, cancellable) in expected {
        let state = E::from(value);
        assert_eq!(state.phase(), *phase, "{value}");
        assert_eq!(state.is_terminal(), matches!(phase, Succeeded | Failed | Cancelled), "{value}: terminal");
        assert_eq!(state.is_cancellable(), *cancellable, "{value}: cancellable");
    }
    let unknown = E::from("SOMETHING_NEW");
    assert_eq!((unknown.phase(), unknown.is_terminal(), unknown.is_cancellable()), (TaskPhase::Unknown, false, false));
}

#[test]
fn ec2_bundle_task_states() {
    // No source describes the states: their names say it (see the model's
    // note); botocore lists these seven, none of them "cancelled".
    check::<ec2::BundleTaskState>(
        ec2::BundleTaskState::VALUES,
        &[
            ("pending", Pending, true),
            ("waiting-for-shutdown", Running, true),
            ("bundling", Running, true),
            ("storing", Running, true),
            ("cancelling", Cancelling, false),
            ("complete", Succeeded, false),
            ("failed", Failed, false),
        ],
    );
}

#[test]
fn fsx_data_repository_task_lifecycle() {
    // Page 004: "if that task is in either the PENDING or EXECUTING state".
    check::<fsx::DataRepositoryTaskLifecycle>(
        fsx::DataRepositoryTaskLifecycle::VALUES,
        &[
            ("PENDING", Pending, true),
            ("EXECUTING", Running, true),
            ("FAILED", Failed, false),
            ("SUCCEEDED", Succeeded, false),
            ("CANCELED", Cancelled, false),
            ("CANCELING", Cancelling, false),
        ],
    );
}

#[test]
fn imagebuilder_lifecycle_execution_status() {
    // botocore: only an execution that has not reached a terminal state can
    // be cancelled.
    check::<imagebuilder::LifecycleExecutionStatus>(
        imagebuilder::LifecycleExecutionStatus::VALUES,
        &[
            ("IN_PROGRESS", Running, true),
            ("CANCELLED", Cancelled, false),
            ("CANCELLING", Cancelling, true),
            ("FAILED", Failed, false),
            ("SUCCESS", Succeeded, false),
            ("PENDING", Pending, true),
        ],
    );
}

#[test]
fn ecs_image_pipeline_execution_status() {
    // Page 002: cancel "in the BUILDING, PREPARING, or REPAIRING state"; the
    // SDK's descriptions give the rest.
    check::<ecs::ImagePipelineExecutionStatus>(
        ecs::ImagePipelineExecutionStatus::VALUES,
        &[
            ("BUILDING", Running, true),
            ("PREPARING", Running, true),
            ("REPAIRING", Running, true),
            ("SUCCESS", Succeeded, false),
            ("FAILED", Failed, false),
            ("CANCELLED", Cancelled, false),
            ("TESTING", Running, false),
            ("DISTRIBUTING", Running, false),
            ("RELEASING", Running, false),
            ("PARTITION_SUCCESS", Succeeded, false),
            ("TEST_FAILED", Failed, false),
            ("CANCELLING", Cancelling, false),
        ],
    );
}

// ================================================================ the emulator

/// One emulated task: its states to come (the first is the current one).
#[derive(Debug, Clone)]
struct Emulated {
    timeline: Vec<&'static str>,
}

impl Emulated {
    fn current(&self) -> &'static str {
        self.timeline[0]
    }

    /// One look: the current state, then the task moves on.
    fn look(&mut self) -> &'static str {
        let now = self.current();
        if self.timeline.len() > 1 {
            self.timeline.remove(0);
        }
        now
    }
}

#[derive(Debug, Default)]
struct World {
    /// Tasks by (service, ID).
    tasks: HashMap<(&'static str, String), Emulated>,
    /// Services whose next look is answered "slow down" once.
    throttle: Vec<&'static str>,
    /// (service, operation, status) of every answer.
    log: Vec<(&'static str, String, u16)>,
    requests: usize,
}

struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn json_answer(status: u16, body: Value) -> Answer {
    Answer { status, headers: vec![("Content-Type", "application/json".into())], body: body.to_string() }
}

fn form(body: &[u8]) -> HashMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// The emulator's own cancel rules, written from the pages and vendor
/// references (not from the crate's `precondition_met`): the state a
/// cancel moves to, the state it ends in, and the error of a refusal.
fn cancel_rule(service: &str, state: &str) -> Result<[&'static str; 2], (u16, &'static str)> {
    match (service, state) {
        ("ec2", "pending" | "waiting-for-shutdown" | "bundling" | "storing") => Ok(["cancelling", "failed"]),
        // EC2's page documents no state error: the emulator answers with
        // EC2's common `IncorrectState`, which the crate keeps as sent.
        ("ec2", _) => Err((400, "IncorrectState")),
        ("fsx", "PENDING" | "EXECUTING") => Ok(["CANCELING", "CANCELED"]),
        ("fsx", "SUCCEEDED" | "FAILED" | "CANCELED") => Err((400, "DataRepositoryTaskEnded")),
        ("fsx", _) => Err((400, "BadRequest")),
        ("imagebuilder", "PENDING" | "IN_PROGRESS" | "CANCELLING") => Ok(["CANCELLING", "CANCELLED"]),
        ("imagebuilder", _) => Err((400, "InvalidRequestException")),
        ("ecs", "BUILDING" | "PREPARING" | "REPAIRING") => Ok(["CANCELLING", "CANCELLED"]),
        ("ecs", _) => Err((400, "InvalidStatus.CancelFailed")),
        _ => Err((400, "UnknownService")),
    }
}

fn throttled(service: &str) -> Answer {
    match service {
        "ec2" => Answer {
            status: 503,
            headers: vec![("Content-Type", "text/xml".into())],
            body: "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-throttled</RequestID></Response>".into(),
        },
        "fsx" => json_answer(400, json!({"__type": "ThrottlingException", "message": "Rate exceeded"})),
        "imagebuilder" => {
            let mut a = json_answer(429, json!({"message": "Rate exceeded"}));
            a.headers.push(("x-amzn-ErrorType", "CallRateLimitExceededException".into()));
            a
        }
        _ => json_answer(400, json!({"Code": "Throttling.User", "Message": "Request was denied due to user flow control.", "RequestId": "r-throttled"})),
    }
}

fn refused(service: &str, status: u16, code: &str, id: &str) -> Answer {
    let message = format!("The task {id} cannot be cancelled in its current state.");
    match service {
        "ec2" => Answer {
            status,
            headers: vec![],
            body: format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>r-refused</RequestID></Response>"),
        },
        "fsx" => json_answer(status, json!({"__type": format!("com.amazonaws.fsx#{code}"), "Message": message})),
        "imagebuilder" => {
            let mut a = json_answer(status, json!({"message": message}));
            a.headers.push(("x-amzn-ErrorType", format!("{code}:http://internal.amazon.com/coral/")));
            a
        }
        _ => json_answer(status, json!({"Code": code, "Message": message, "RequestId": "r-refused"})),
    }
}

/// Which service and operation a request is for, and the task ID.
fn classify(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Option<(&'static str, String, String)> {
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    if let Some(target) = header("x-amz-target") {
        let op = target.strip_prefix("AWSSimbaAPIService_v20180301.")?.to_string();
        let v: Value = serde_json::from_slice(body).ok()?;
        let id = v.get("TaskId").or_else(|| v.get("TaskIds").and_then(|ids| ids.get(0)))?.as_str()?.to_string();
        return Some(("fsx", op, id));
    }
    if method == "GET" && url.starts_with("/GetLifecycleExecution?") {
        let id = url.split_once("lifecycleExecutionId=")?.1.split('&').next()?.to_string();
        return Some(("imagebuilder", "GetLifecycleExecution".into(), id));
    }
    if method == "PUT" && url == "/CancelLifecycleExecution" {
        let v: Value = serde_json::from_slice(body).ok()?;
        return Some(("imagebuilder", "CancelLifecycleExecution".into(), v.get("lifecycleExecutionId")?.as_str()?.to_string()));
    }
    let params = form(body);
    let action = params.get("Action")?.clone();
    if params.get("Format").map(String::as_str) == Some("JSON") {
        return Some(("ecs", action, params.get("ExecutionId")?.clone()));
    }
    let id = params.get("BundleId").or_else(|| params.get("BundleId.1"))?.clone();
    Some(("ec2", action, id))
}

fn describe_answer(service: &str, id: &str, state: &str, n: usize) -> Answer {
    match service {
        "ec2" => Answer {
            status: 200,
            headers: vec![("Content-Type", "text/xml".into())],
            body: format!(
                "<DescribeBundleTasksResponse xmlns=\"{}\"><requestId>r-{n}</requestId><bundleInstanceTasksSet><item><bundleId>{id}</bundleId><instanceId>i-1234567890abcdef0</instanceId><state>{state}</state><progress>10%</progress></item></bundleInstanceTasksSet></DescribeBundleTasksResponse>",
                ec2::XML_NAMESPACE
            ),
        },
        "fsx" => json_answer(
            200,
            json!({"DataRepositoryTasks": [{"TaskId": id, "Lifecycle": state, "Type": "EXPORT_TO_REPOSITORY", "CreationTime": 1_700_000_000}]}),
        ),
        "imagebuilder" => json_answer(200, json!({"lifecycleExecution": {"lifecycleExecutionId": id, "state": {"status": state}}})),
        _ => json_answer(
            200,
            json!({"RequestId": format!("r-{n}"), "TotalCount": 1, "ImagePipelineExecution": {"ImagePipelineExecutionSet": [{"ExecutionId": id, "Status": state}]}}),
        ),
    }
}

fn cancel_answer(service: &str, id: &str, state: &str) -> Answer {
    match service {
        "ec2" => Answer {
            status: 200,
            headers: vec![("Content-Type", "text/xml".into())],
            body: format!(
                "<CancelBundleTaskResponse xmlns=\"{}\"><requestId>r-c</requestId><bundleInstanceTask><bundleId>{id}</bundleId><state>{state}</state></bundleInstanceTask></CancelBundleTaskResponse>",
                ec2::XML_NAMESPACE
            ),
        },
        "fsx" => json_answer(200, json!({"TaskId": id, "Lifecycle": state})),
        "imagebuilder" => json_answer(200, json!({"lifecycleExecutionId": id})),
        _ => json_answer(200, json!({"RequestId": "r-c"})),
    }
}

fn answer(world: &mut World, method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    world.requests += 1;
    let n = world.requests;
    let Some((service, op, id)) = classify(method, url, headers, body) else {
        return json_answer(404, json!({"__type": "UnknownOperationException", "Code": "UnknownOperation"}));
    };
    let reply = if op.starts_with("Describe") || op.starts_with("Get") {
        if let Some(at) = world.throttle.iter().position(|s| *s == service) {
            world.throttle.remove(at);
            throttled(service)
        } else {
            match world.tasks.get_mut(&(service, id.clone())) {
                Some(task) => {
                    let state = task.look();
                    describe_answer(service, &id, state, n)
                }
                None => json_answer(400, json!({"__type": "NotFound"})),
            }
        }
    } else {
        match world.tasks.get_mut(&(service, id.clone())) {
            Some(task) => match cancel_rule(service, task.current()) {
                Ok([next, end]) => {
                    task.timeline = vec![next, end];
                    cancel_answer(service, &id, next)
                }
                Err((status, code)) => refused(service, status, code, &id),
            },
            None => json_answer(400, json!({"__type": "NotFound"})),
        }
    };
    world.log.push((service, op, reply.status));
    reply
}

struct Emulator {
    endpoint: String,
    world: Arc<Mutex<World>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    fn start(world: World) -> Emulator {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let address = server.server_addr().to_ip().expect("an IP listener");
        let world = Arc::new(Mutex::new(world));
        let thread = {
            let (server, world) = (Arc::clone(&server), Arc::clone(&world));
            std::thread::spawn(move || {
                for mut request in server.incoming_requests().take(200) {
                    let mut body = Vec::new();
                    let _ = request.as_reader().take(1 << 20).read_to_end(&mut body);
                    let headers: Vec<(String, String)> = request.headers().iter().map(|h| (h.field.to_string(), h.value.to_string())).collect();
                    let method = request.method().to_string();
                    let url = request.url().to_string();
                    let reply = answer(&mut world.lock().expect("world"), &method, &url, &headers, &body);
                    let mut response = tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
                    for (k, v) in reply.headers {
                        response.add_header(tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("a header"));
                    }
                    let _ = request.respond(response);
                }
            })
        };
        Emulator { endpoint: format!("http://{address}"), world, server, thread: Some(thread) }
    }

    fn endpoints(&self) -> Endpoints {
        let e = self.endpoint.clone();
        Endpoints { ec2: e.clone(), fsx: e.clone(), imagebuilder: e.clone(), ecs: e }
    }

    fn log(&self) -> Vec<(&'static str, String, u16)> {
        self.world.lock().expect("world").log.clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

thread_local! {
    static SLEPT: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) };
}

/// Records the wait instead of waiting.
fn record(d: Duration) {
    SLEPT.with(|s| s.borrow_mut().push(d));
}

fn slept() -> Vec<Duration> {
    SLEPT.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

const POLICY: Policy = Policy { max_attempts: 4, base_delay: Duration::from_millis(100), sleep: record };
const LOOK: Duration = Duration::from_secs(15);

fn the_four() -> [(Task, &'static str, Vec<&'static str>); 4] {
    [
        (Task::Ec2Bundle("bun-c1a540a8".into()), "ec2", vec!["pending", "waiting-for-shutdown", "bundling", "storing", "complete"]),
        (Task::FsxDataRepository("task-0123456789abcdef0".into()), "fsx", vec!["PENDING", "EXECUTING", "SUCCEEDED"]),
        (Task::ImageBuilderLifecycle("lce-01234567-89ab-cdef-0123-456789abcdef".into()), "imagebuilder", vec!["PENDING", "IN_PROGRESS", "SUCCESS"]),
        (Task::EcsImagePipeline { region: "cn-hangzhou".into(), execution: "exec-5fb8facb8ed7427c".into() }, "ecs", vec!["PREPARING", "BUILDING", "TESTING", "DISTRIBUTING", "SUCCESS"]),
    ]
}

fn id_of(task: &Task) -> String {
    match task {
        Task::Ec2Bundle(id) | Task::FsxDataRepository(id) | Task::ImageBuilderLifecycle(id) => id.clone(),
        Task::EcsImagePipeline { execution, .. } => execution.clone(),
    }
}

fn world_of(tasks: &[(Task, &'static str, Vec<&'static str>)], throttle: bool) -> World {
    let mut world = World::default();
    for (task, service, timeline) in tasks {
        world.tasks.insert((service, id_of(task)), Emulated { timeline: timeline.clone() });
        if throttle {
            world.throttle.push(service);
        }
    }
    world
}

fn phases(actions: &[Action]) -> Vec<TaskPhase> {
    actions
        .iter()
        .map(|a| match a {
            Action::Wait { phase, .. } | Action::Report { phase, .. } => *phase,
            Action::Cancelled { .. } => TaskPhase::Cancelling,
        })
        .collect()
}

#[test]
fn the_program_watches_a_task_of_each_cloud_to_its_end_through_throttling() {
    let tasks = the_four();
    let emulator = Emulator::start(world_of(&tasks, true));
    let transport = Unsigned::new();
    for (task, service, timeline) in &tasks {
        let actions = watch_tasks::watch(&transport, &emulator.endpoints(), task, false, &POLICY, LOOK, 20).expect("watched");
        let states: Vec<String> = actions
            .iter()
            .map(|a| match a {
                Action::Wait { state, .. } | Action::Report { state, .. } | Action::Cancelled { state } => state.clone(),
            })
            .collect();
        assert_eq!(states, *timeline, "{service}: every state seen, in order");
        assert!(matches!(actions.last(), Some(Action::Report { phase: Succeeded, .. })), "{service}: {actions:?}");
        assert!(phases(&actions[..actions.len() - 1]).iter().all(|p| matches!(p, Pending | Running)), "{service}: {actions:?}");
        // The throttled first look was retried once after the first backoff;
        // then one look per state.
        let waits = slept();
        assert_eq!(waits[0], Duration::from_millis(100), "{service}: backoff before the retry: {waits:?}");
        assert_eq!(&waits[1..], vec![LOOK; timeline.len() - 1].as_slice(), "{service}");
    }
    let log = emulator.log();
    for (_, service, _) in &tasks {
        let statuses: Vec<u16> = log.iter().filter(|(s, _, _)| s == service).map(|(_, _, status)| *status).collect();
        assert_ne!(statuses[0], 200, "{service}: the first look was throttled");
        assert!(statuses[1..].iter().all(|s| *s == 200), "{service}: {statuses:?}");
    }
    assert!(log.iter().all(|(_, op, _)| !op.starts_with("Cancel")), "nothing was cancelled: {log:?}");
}

#[test]
fn the_program_cancels_a_running_task_of_each_cloud_and_sees_it_end_cancelled() {
    let tasks = the_four();
    let emulator = Emulator::start(world_of(&tasks, false));
    let transport = Unsigned::new();
    for (task, service, _) in &tasks {
        let actions = watch_tasks::watch(&transport, &emulator.endpoints(), task, true, &POLICY, LOOK, 20).expect("watched");
        assert!(matches!(actions[0], Action::Cancelled { .. }), "{service}: cancelled at the first look: {actions:?}");
        let end = match service {
            // EC2 has no cancelled state: the emulator ends a cancelled
            // bundle task as `failed` (see the model's note).
            &"ec2" => Failed,
            _ => Cancelled,
        };
        assert_eq!(phases(&actions), [Cancelling, Cancelling, end], "{service}: {actions:?}");
        slept();
    }
    let cancels = emulator.log().into_iter().filter(|(_, op, _)| op.starts_with("Cancel")).count();
    assert_eq!(cancels, 4, "one cancel per task");
}

#[test]
fn a_cancel_in_a_terminal_state_is_refused_with_the_documented_error_and_the_program_does_not_send_one() {
    let ended: [(Task, &'static str, Vec<&'static str>); 4] = [
        (Task::Ec2Bundle("bun-00000001".into()), "ec2", vec!["complete"]),
        (Task::FsxDataRepository("task-0123456789abcdef1".into()), "fsx", vec!["SUCCEEDED"]),
        (Task::ImageBuilderLifecycle("lce-01234567-89ab-cdef-0123-456789abcde1".into()), "imagebuilder", vec!["FAILED"]),
        (Task::EcsImagePipeline { region: "cn-hangzhou".into(), execution: "exec-000000000001".into() }, "ecs", vec!["CANCELLED"]),
    ];
    let emulator = Emulator::start(world_of(&ended, false));
    let transport = Unsigned::new();
    let documented = [("ec2", "IncorrectState"), ("fsx", "DataRepositoryTaskEnded"), ("imagebuilder", "InvalidRequestException"), ("ecs", "InvalidStatus.CancelFailed")];
    for ((task, service, _), (_, code)) in ended.iter().zip(documented) {
        // Sent anyway, the cancel is refused with the service's error...
        let err = watch_tasks::cancel(&transport, &emulator.endpoints(), task, &POLICY).expect_err("refused");
        let Error::Service { code: got, throttling, .. } = &err else { panic!("{service}: {err:?}") };
        assert_eq!(got.as_deref(), Some(code), "{service}");
        assert!(!throttling, "{service}");
        // ...and the program, deciding on the phase, reports instead.
        let action = watch_tasks::step(&transport, &emulator.endpoints(), task, true, &POLICY).expect("a look");
        assert!(matches!(action, Action::Report { .. }), "{service}: {action:?}");
    }
    assert_eq!(emulator.log().into_iter().filter(|(_, op, _)| op.starts_with("Cancel")).count(), 4, "only the cancels sent by hand");
    assert!(slept().is_empty(), "a refusal is not retried");
    // The crate's classes of the documented refusals.
    assert!(matches!(fsx::CancelDataRepositoryTaskError::from_code("DataRepositoryTaskEnded", Default::default()), fsx::CancelDataRepositoryTaskError::DataRepositoryTaskEnded(_)));
    assert!(matches!(
        ecs::CancelImagePipelineExecutionError::from_code("InvalidStatus.CancelFailed", Default::default()),
        ecs::CancelImagePipelineExecutionError::InvalidStatusCancelFailed(_)
    ));
}

#[test]
fn throttling_that_does_not_end_is_reported_after_the_last_attempt() {
    let tasks = the_four();
    let mut world = world_of(&tasks[1..2], false);
    world.throttle = vec!["fsx"; 10];
    let emulator = Emulator::start(world);
    let err = watch_tasks::observe(&Unsigned::new(), &emulator.endpoints(), &tasks[1].0, &POLICY).expect_err("throttled");
    assert!(matches!(err, Error::Service { throttling: true, .. }), "{err:?}");
    assert_eq!(slept(), [100, 200, 400].map(Duration::from_millis), "exponential backoff, then give up");
    assert_eq!(emulator.log().len(), 4);
}
