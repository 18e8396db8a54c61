//! Which errors are worth retrying, decided in one place for every
//! generated error enum.
//!
//! In this order: the model's flags (a documented error marked
//! `retryable` or `throttling`); else the vendor's known code lists; else
//! the HTTP status (429 is throttling and retryable; 500, 502, 503 and 504
//! are retryable), which also classifies a response that could not be
//! decoded, such as a proxy's HTML error page.

use crate::ErrorFault;

/// Whose error-code lists apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Amazon Web Services.
    Aws,
    /// Alibaba Cloud.
    Alibaba,
}

/// AWS codes that mean "slow down": the list of aws-sdk-rust's
/// `AwsErrorCodeClassifier` (`THROTTLING_ERRORS`, aws-runtime 1.x).
pub const AWS_THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// AWS codes of transient failures: aws-sdk-rust's `TRANSIENT_ERRORS`.
pub const AWS_TRANSIENT: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Alibaba Cloud codes that mean "slow down" (its common error codes:
/// flow control of the user, the API, or the whole service).
pub const ALIBABA_THROTTLING: &[&str] = &["Throttling", "Throttling.User", "Throttling.Api"];

/// Alibaba Cloud codes of transient failures.
pub const ALIBABA_TRANSIENT: &[&str] = &["ServiceUnavailable"];

impl Vendor {
    fn throttling(self) -> &'static [&'static str] {
        match self {
            Vendor::Aws => AWS_THROTTLING,
            Vendor::Alibaba => ALIBABA_THROTTLING,
        }
    }

    fn transient(self) -> &'static [&'static str] {
        match self {
            Vendor::Aws => AWS_TRANSIENT,
            Vendor::Alibaba => ALIBABA_TRANSIENT,
        }
    }
}

/// Whether an error with `code` (as sent; `None` for a response that could
/// not be decoded) and HTTP `status` asks the caller to slow down, when
/// the model does not say so: the vendor's list, else status 429.
/// `vendor` `None` means either vendor's list (for the error type shared
/// by operations without documented errors).
pub fn is_throttling(vendor: Option<Vendor>, code: Option<&str>, status: Option<u16>) -> bool {
    let listed = |v: Vendor| code.is_some_and(|c| v.throttling().contains(&c));
    let by_code = match vendor {
        Some(v) => listed(v),
        None => listed(Vendor::Aws) || listed(Vendor::Alibaba),
    };
    by_code || status == Some(429)
}

/// Whether retrying the same request may succeed, when the model does not
/// say so: throttling, a transient code of the vendor's, or status 429,
/// 500, 502, 503 or 504.
pub fn is_retryable(vendor: Option<Vendor>, code: Option<&str>, status: Option<u16>) -> bool {
    let listed = |v: Vendor| code.is_some_and(|c| v.transient().contains(&c));
    let by_code = match vendor {
        Some(v) => listed(v),
        None => listed(Vendor::Aws) || listed(Vendor::Alibaba),
    };
    by_code || is_throttling(vendor, code, status) || matches!(status, Some(500 | 502 | 503 | 504))
}

/// Whose fault an error is, when the model does not say: the status
/// class (4xx the client's, 5xx the service's).
pub fn fault_of_status(status: Option<u16>) -> Option<ErrorFault> {
    match status? {
        400..=499 => Some(ErrorFault::Client),
        500..=599 => Some(ErrorFault::Server),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_then_statuses() {
        let aws = Some(Vendor::Aws);
        let ali = Some(Vendor::Alibaba);
        assert!(is_throttling(aws, Some("ThrottlingException"), Some(400)));
        assert!(is_retryable(aws, Some("ThrottlingException"), Some(400)), "throttling is retryable");
        assert!(!is_throttling(aws, Some("Throttling.User"), Some(400)), "an Alibaba code is not AWS's");
        assert!(is_throttling(ali, Some("Throttling.User"), Some(400)));
        assert!(is_throttling(None, Some("Throttling.User"), Some(400)), "either vendor's list");
        assert!(is_retryable(ali, Some("ServiceUnavailable"), Some(400)));
        assert!(is_retryable(aws, Some("RequestTimeout"), Some(400)));
        assert!(is_retryable(aws, Some("InternalServerError"), Some(500)));
        assert!(is_retryable(aws, None, Some(502)), "an undecodable proxy page");
        assert!(is_throttling(aws, None, Some(429)) && is_retryable(aws, None, Some(429)));
        assert!(!is_retryable(aws, Some("BadRequest"), Some(400)));
        assert!(!is_retryable(aws, Some("NotImplemented"), Some(501)), "501 is not transient");
        assert!(!is_retryable(aws, None, None));
        assert_eq!(fault_of_status(Some(404)), Some(ErrorFault::Client));
        assert_eq!(fault_of_status(Some(503)), Some(ErrorFault::Server));
        assert_eq!(fault_of_status(Some(302)), None);
    }
}
