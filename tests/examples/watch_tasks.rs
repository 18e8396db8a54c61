//! Watches and cancels long-running tasks on four clouds with one piece of
//! logic: an EC2 bundle task, an FSx data repository task, an Image Builder
//! lifecycle execution and an Alibaba Cloud ECS image pipeline execution.
//!
//! Each service's task-state enum maps its own states onto the common
//! `TaskPhase` (`cloud_api_types::TaskState`), so [`step`] decides with one
//! `match` whether to wait, cancel or report, whatever the cloud. Calls that
//! are throttled (or otherwise retryable) are retried with exponential
//! backoff by [`call`], which works for any operation through
//! `runtime::Operation`.
//!
//! The requests go out unsigned: a real [`Transport`] signs them (SigV4 for
//! AWS, Alibaba's RPC signature for ECS) before sending. `cargo test` runs
//! this program end to end against a loopback emulator of the four
//! services (`tests/tests/lifecycle.rs`); run by hand it watches the tasks
//! named on its command line at the endpoints in the environment:
//!
//! ```text
//! cargo run -p tests --example watch_tasks -- fsx:task-0123456789abcdef0 cancel
//! ```

use std::time::Duration;

use cloud_api_types::runtime::{BuildError, Operation, ServiceError};
use cloud_api_types::{TaskPhase, TaskState};
use cloud_api_types::{alibaba::ecs, aws::ec2, aws::fsx, aws::imagebuilder};

/// A task of one of the four services, by its ID.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// An EC2 bundle task (`bun-…`), from `BundleInstance`.
    Ec2Bundle(String),
    /// An FSx data repository task (`task-…`).
    FsxDataRepository(String),
    /// An Image Builder lifecycle execution (`lce-…`).
    ImageBuilderLifecycle(String),
    /// An Alibaba Cloud image pipeline execution, in its region.
    EcsImagePipeline {
        /// The region (`cn-hangzhou`).
        region: String,
        /// The execution ID (`exec-…`).
        execution: String,
    },
}

/// Where each service is reached.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// EC2 (`https://ec2.us-east-1.amazonaws.com`).
    pub ec2: String,
    /// FSx.
    pub fsx: String,
    /// Image Builder.
    pub imagebuilder: String,
    /// Alibaba Cloud ECS.
    pub ecs: String,
}

/// Sends a request and returns the answer; a real one signs it first.
pub trait Transport {
    /// One HTTP exchange; `Err` only when no answer came back.
    fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, String>;
}

/// How hard to retry.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The first backoff; each next one doubles.
    pub base_delay: Duration,
    /// How to wait (a test passes a function that only records).
    pub sleep: fn(Duration),
}

/// Why a step failed.
#[derive(Debug)]
pub enum Error {
    /// The request could not be built.
    Build(BuildError),
    /// No answer.
    Transport(String),
    /// The service refused, and retrying would not help (or retries ran out).
    Service {
        /// The operation.
        operation: &'static str,
        /// The error code, when there was one.
        code: Option<String>,
        /// The error as displayed.
        message: String,
        /// Whether the service asked to slow down.
        throttling: bool,
    },
    /// The service does not list the task.
    NotFound,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Build(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "no answer: {e}"),
            Error::Service { operation, message, .. } => write!(f, "{operation}: {message}"),
            Error::NotFound => f.write_str("the service does not list the task"),
        }
    }
}

impl std::error::Error for Error {}

/// What [`step`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The task is under way (or in a state the model does not document):
    /// look again later.
    Wait {
        /// The state as the service named it.
        state: String,
        /// Its phase.
        phase: TaskPhase,
    },
    /// A cancel was sent and accepted.
    Cancelled {
        /// The state the cancel was sent in.
        state: String,
    },
    /// The task has ended.
    Report {
        /// The state as the service named it.
        state: String,
        /// Its phase (terminal).
        phase: TaskPhase,
    },
}

/// Calls any operation, retrying throttled and retryable errors with
/// exponential backoff; other errors are returned at once.
pub fn call<O: Operation>(transport: &dyn Transport, endpoint: &str, request: &O::Request, policy: &Policy) -> Result<O::Response, Error> {
    let mut attempt = 0;
    loop {
        let http = O::to_http(request, endpoint).map_err(Error::Build)?;
        let answer = transport.send(http).map_err(Error::Transport)?;
        match O::from_http(&answer) {
            Ok(response) => return Ok(response),
            Err(e) if (e.is_throttling() || e.is_retryable()) && attempt + 1 < policy.max_attempts => {
                (policy.sleep)(policy.base_delay * 2u32.pow(attempt));
                attempt += 1;
            }
            Err(e) => {
                return Err(Error::Service {
                    operation: O::NAME,
                    code: e.code().map(str::to_string),
                    message: e.to_string(),
                    throttling: e.is_throttling(),
                });
            }
        }
    }
}

/// A task's state as seen, in the common terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The state as the service named it.
    pub state: String,
    /// Its phase.
    pub phase: TaskPhase,
    /// Whether the service's cancel operation is documented to be allowed.
    pub cancellable: bool,
}

fn observed<S: TaskState + std::fmt::Display>(state: &S) -> Observed {
    Observed { state: state.to_string(), phase: state.phase(), cancellable: state.is_cancellable() }
}

/// Reads the task's state with the service's watch operation.
pub fn observe(transport: &dyn Transport, at: &Endpoints, task: &Task, policy: &Policy) -> Result<Observed, Error> {
    let seen = match task {
        Task::Ec2Bundle(id) => {
            let request = ec2::DescribeBundleTasksRequest::new().with_bundle_ids(vec![id.clone()]);
            let response = call::<ec2::DescribeBundleTasks>(transport, &at.ec2, &request, policy)?;
            response.bundle_tasks().iter().find(|t| t.bundle_id() == Some(id)).and_then(|t| t.state()).map(observed)
        }
        Task::FsxDataRepository(id) => {
            let request = fsx::DescribeDataRepositoryTasksRequest::new().with_task_ids(vec![id.clone()]);
            let response = call::<fsx::DescribeDataRepositoryTasks>(transport, &at.fsx, &request, policy)?;
            response.data_repository_tasks().iter().find(|t| t.task_id() == id).map(|t| observed(t.lifecycle()))
        }
        Task::ImageBuilderLifecycle(id) => {
            let request = imagebuilder::GetLifecycleExecutionRequest::new(id.clone());
            let response = call::<imagebuilder::GetLifecycleExecution>(transport, &at.imagebuilder, &request, policy)?;
            response.lifecycle_execution().and_then(|e| e.state()).and_then(|s| s.status()).map(observed)
        }
        Task::EcsImagePipeline { region, execution } => {
            let request = ecs::DescribeImagePipelineExecutionsRequest::new(region.clone()).with_execution_id(execution.clone());
            let response = call::<ecs::DescribeImagePipelineExecutions>(transport, &at.ecs, &request, policy)?;
            response
                .image_pipeline_execution()
                .map(|e| e.image_pipeline_execution_set())
                .unwrap_or_default()
                .iter()
                .find(|e| e.execution_id() == Some(execution))
                .and_then(|e| e.status())
                .map(observed)
        }
    };
    seen.ok_or(Error::NotFound)
}

/// Sends the service's cancel operation.
pub fn cancel(transport: &dyn Transport, at: &Endpoints, task: &Task, policy: &Policy) -> Result<(), Error> {
    match task {
        Task::Ec2Bundle(id) => call::<ec2::CancelBundleTask>(transport, &at.ec2, &ec2::CancelBundleTaskRequest::new(id.clone()), policy).map(drop),
        Task::FsxDataRepository(id) => {
            call::<fsx::CancelDataRepositoryTask>(transport, &at.fsx, &fsx::CancelDataRepositoryTaskRequest::new(id.clone()), policy).map(drop)
        }
        Task::ImageBuilderLifecycle(id) => {
            // `new` fills the client token with a fresh UUID; the retries
            // inside `call` reuse the same request, hence the same token.
            let request = imagebuilder::CancelLifecycleExecutionRequest::new(id.clone());
            call::<imagebuilder::CancelLifecycleExecution>(transport, &at.imagebuilder, &request, policy).map(drop)
        }
        Task::EcsImagePipeline { region, execution } => {
            let request = ecs::CancelImagePipelineExecutionRequest::new(region.clone(), execution.clone());
            call::<ecs::CancelImagePipelineExecution>(transport, &at.ecs, &request, policy).map(drop)
        }
    }
}

/// Looks at the task once and acts: one `match` on its phase, the same for
/// every cloud.
pub fn step(transport: &dyn Transport, at: &Endpoints, task: &Task, want_cancel: bool, policy: &Policy) -> Result<Action, Error> {
    let seen = observe(transport, at, task, policy)?;
    Ok(match seen.phase {
        TaskPhase::Succeeded | TaskPhase::Failed | TaskPhase::Cancelled => Action::Report { state: seen.state, phase: seen.phase },
        TaskPhase::Pending | TaskPhase::Running if want_cancel && seen.cancellable => {
            cancel(transport, at, task, policy)?;
            Action::Cancelled { state: seen.state }
        }
        TaskPhase::Pending | TaskPhase::Running | TaskPhase::Cancelling | TaskPhase::Unknown => Action::Wait { state: seen.state, phase: seen.phase },
    })
}

/// Steps until the task ends (or `max_steps` run out), waiting `interval`
/// between looks; returns every action taken.
pub fn watch(transport: &dyn Transport, at: &Endpoints, task: &Task, want_cancel: bool, policy: &Policy, interval: Duration, max_steps: usize) -> Result<Vec<Action>, Error> {
    let mut actions = Vec::new();
    let mut cancel_sent = false;
    for _ in 0..max_steps {
        let action = step(transport, at, task, want_cancel && !cancel_sent, policy)?;
        cancel_sent |= matches!(action, Action::Cancelled { .. });
        let done = matches!(action, Action::Report { .. });
        actions.push(action);
        if done {
            break;
        }
        (policy.sleep)(interval);
    }
    Ok(actions)
}

/// Plain HTTP with `ureq`: no signing (add it here for a real service).
pub struct Unsigned(pub ureq::Agent);

impl Unsigned {
    /// An agent that returns error statuses as answers, not errors.
    pub fn new() -> Unsigned {
        Unsigned(ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).timeout_global(Some(Duration::from_secs(10))).build().into())
    }
}

impl Default for Unsigned {
    fn default() -> Unsigned {
        Unsigned::new()
    }
}

impl Transport for Unsigned {
    fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, String> {
        let response = self.0.run(request).map_err(|e| e.to_string())?;
        let (parts, mut body) = response.into_parts();
        let bytes = body.read_to_vec().map_err(|e| e.to_string())?;
        let mut converted = http::Response::builder().status(parts.status);
        for (name, value) in &parts.headers {
            converted = converted.header(name, value);
        }
        converted.body(bytes).map_err(|e| e.to_string())
    }
}

#[allow(dead_code)] // the test that includes this file has its own entry point
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(task) = args.next() else {
        eprintln!("usage: watch_tasks <ec2|fsx|imagebuilder|ecs>:<id> [cancel]   (endpoints from WATCH_EC2, WATCH_FSX, WATCH_IMAGEBUILDER, WATCH_ECS; ECS region from WATCH_ECS_REGION)");
        return;
    };
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
    let at = Endpoints {
        ec2: env("WATCH_EC2", "https://ec2.us-east-1.amazonaws.com"),
        fsx: env("WATCH_FSX", "https://fsx.us-east-1.amazonaws.com"),
        imagebuilder: env("WATCH_IMAGEBUILDER", "https://imagebuilder.us-east-1.amazonaws.com"),
        ecs: env("WATCH_ECS", "https://ecs.aliyuncs.com"),
    };
    let task = match task.split_once(':') {
        Some(("ec2", id)) => Task::Ec2Bundle(id.into()),
        Some(("fsx", id)) => Task::FsxDataRepository(id.into()),
        Some(("imagebuilder", id)) => Task::ImageBuilderLifecycle(id.into()),
        Some(("ecs", id)) => Task::EcsImagePipeline { region: env("WATCH_ECS_REGION", "cn-hangzhou"), execution: id.into() },
        _ => {
            eprintln!("unknown task {task:?}");
            return;
        }
    };
    let policy = Policy { max_attempts: 5, base_delay: Duration::from_millis(200), sleep: std::thread::sleep };
    let want_cancel = args.next().as_deref() == Some("cancel");
    match watch(&Unsigned::new(), &at, &task, want_cancel, &policy, Duration::from_secs(15), 240) {
        Ok(actions) => actions.iter().for_each(|a| println!("{a:?}")),
        Err(e) => eprintln!("{e}"),
    }
}
