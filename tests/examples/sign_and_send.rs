//! Builds an FSx `CancelDataRepositoryTask` request with the generated crate,
//! signs it with SigV4 (`aws-sigv4`), sends it with `ureq` and decodes the
//! answer with the generated decoder.
//!
//! This file is the code of the README's "Signing and sending a request"
//! section; `tests/tests/loopback.rs` checks the two are the same. It is
//! built by `cargo test` and never run by the tests. To run it, put
//! credentials in `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and
//! `AWS_SESSION_TOKEN` for temporary ones) and run
//! `cargo run -p tests --example sign_and_send` (`ureq` is built with
//! rustls, so it speaks HTTPS).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use cloud_api_types::aws::fsx::{
    CancelDataRepositoryTaskError, CancelDataRepositoryTaskRequest, CancelDataRepositoryTaskResponse,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The unsigned request: POST / with X-Amz-Target and the JSON body.
    let mut request = CancelDataRepositoryTaskRequest::new("task-0123456789abcdef0")
        .to_http("https://fsx.us-east-1.amazonaws.com")?;

    // 2. Sign it: SigV4, service `fsx`, region `us-east-1`.
    let identity: Identity = Credentials::new(
        std::env::var("AWS_ACCESS_KEY_ID")?,
        std::env::var("AWS_SECRET_ACCESS_KEY")?,
        std::env::var("AWS_SESSION_TOKEN").ok(),
        None,
        "environment",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("fsx")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()?
        .into();
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| Ok((name.as_str(), value.to_str()?)))
        .collect::<Result<Vec<_>, http::header::ToStrError>>()?;
    let signable = SignableRequest::new(
        request.method().as_str(),
        request.uri().to_string(),
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )?;
    let (instructions, _signature) = sign(signable, &params)?.into_parts();
    // Adds the `authorization` and `x-amz-date` headers (and
    // `x-amz-security-token` with a session token).
    instructions.apply_to_request_http1x(&mut request);

    // 3. Send it. Error statuses are answers to decode, not transport errors.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (parts, mut body) = agent.run(request)?.into_parts();
    let response = http::Response::from_parts(parts, body.read_to_vec()?);

    // 4. Decode: the typed response, or the typed error.
    match CancelDataRepositoryTaskResponse::from_http(&response) {
        Ok(cancelled) => {
            println!("{:?} is now {:?}", cancelled.task_id, cancelled.lifecycle);
        }
        Err(CancelDataRepositoryTaskError::DataRepositoryTaskEnded(meta)) => {
            println!("the task has already ended: {:?}", meta.message);
        }
        Err(CancelDataRepositoryTaskError::DataRepositoryTaskNotFound(meta)) => {
            println!("no such task (request ID {:?})", meta.request_id);
        }
        Err(error) => {
            eprintln!("{error} (code {:?}, HTTP {:?})", error.code(), error.http_status());
            return Err(error.into());
        }
    }
    Ok(())
}
