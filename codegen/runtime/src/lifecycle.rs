//! One lifecycle for the long-running tasks of every service: each
//! generated task-state enum (EC2's `BundleTaskState`, FSx's
//! `DataRepositoryTaskLifecycle`, ...) says which [`TaskPhase`] each of its
//! values is in, and whether a task in that state can be cancelled, as its
//! model declares; a program can then handle tasks of any cloud with one
//! `match`.

/// Where a task is in its life, whatever its service calls the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TaskPhase {
    /// Accepted, not started.
    Pending,
    /// Being worked on.
    Running,
    /// A cancel was accepted and is being carried out.
    Cancelling,
    /// Ended well (terminal).
    Succeeded,
    /// Ended in failure (terminal).
    Failed,
    /// Ended by a cancel (terminal).
    Cancelled,
    /// A state the model does not document: neither terminal nor
    /// cancellable, so a program keeps watching and does not act on it.
    Unknown,
}

impl TaskPhase {
    /// Whether the task has ended: [`Succeeded`](Self::Succeeded),
    /// [`Failed`](Self::Failed) or [`Cancelled`](Self::Cancelled).
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskPhase::Succeeded | TaskPhase::Failed | TaskPhase::Cancelled)
    }
}

/// A task-state enum of a service, mapped onto [`TaskPhase`].
pub trait TaskState {
    /// The phase this state is in; an undocumented value is
    /// [`TaskPhase::Unknown`].
    fn phase(&self) -> TaskPhase;

    /// Whether the task has ended.
    fn is_terminal(&self) -> bool {
        self.phase().is_terminal()
    }

    /// Whether the service's cancel operation is documented to be allowed
    /// in this state (never for an undocumented value).
    fn is_cancellable(&self) -> bool;
}

/// A vendor's waiter, as data: poll an operation every `delay_seconds`, at
/// most `max_attempts` times, until an acceptor decides. Generated as the
/// `WAITERS` of the operation it polls (`DescribeBundleTasks::WAITERS`);
/// evaluating the acceptors' JMESPath arguments is the caller's (a
/// `TaskState::phase` usually says the same more simply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    /// The vendor's name (`BundleTaskComplete`).
    pub name: &'static str,
    /// Seconds between two attempts.
    pub delay_seconds: u32,
    /// Most attempts.
    pub max_attempts: u32,
    /// What ends the wait, in the vendor's order.
    pub acceptors: &'static [Acceptor],
}

/// One rule of a [`Waiter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptor {
    /// What the wait becomes when the rule matches.
    pub state: WaiterState,
    /// How it matches.
    pub matcher: Matcher,
    /// The JMESPath expression into the response, for path matchers.
    pub argument: Option<&'static str>,
    /// The value expected: a state, an HTTP status, an error code.
    pub expected: &'static str,
}

/// What an [`Acceptor`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiterState {
    /// Stop: the task got there.
    Success,
    /// Stop: it never will.
    Failure,
    /// Poll again.
    Retry,
}

/// How an [`Acceptor`] matches (botocore's `matcher`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// The value at `argument` equals `expected`.
    Path,
    /// Every value at `argument` equals `expected`.
    PathAll,
    /// Some value at `argument` equals `expected`.
    PathAny,
    /// The HTTP status equals `expected`.
    Status,
    /// The error code equals `expected`.
    Error,
}
