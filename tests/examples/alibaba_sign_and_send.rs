//! Builds an Alibaba Cloud ECS `CancelImagePipelineExecution` request with
//! the generated crate, signs it with the runtime's Alibaba Cloud RPC signer
//! (`cloud_api_types::runtime::alibaba`, feature `alibaba-signer` of
//! `cloud-api-runtime`), sends it with `ureq` and decodes the answer with
//! the generated decoder.
//!
//! This file is the code of the README's Alibaba Cloud signing example;
//! `tests/tests/alibaba_sign.rs` checks the two are the same. It is built by
//! `cargo test` and never run by the tests. To run it, put an AccessKey pair
//! in `ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! (and `ALIBABA_CLOUD_SECURITY_TOKEN` for STS credentials) and run
//! `cargo run -p tests --example alibaba_sign_and_send`.

use cloud_api_types::alibaba::ecs::{
    CancelImagePipelineExecutionError, CancelImagePipelineExecutionRequest,
    CancelImagePipelineExecutionResponse,
};
use cloud_api_types::runtime::alibaba::{Credentials, sign};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The unsigned request: POST / with the parameters as a form body.
    let mut request =
        CancelImagePipelineExecutionRequest::new("cn-hangzhou", "exec-5fb8facb8ed7427c****")
            .to_http("https://ecs.cn-hangzhou.aliyuncs.com")?;

    // 2. Sign it: HMAC-SHA1, SignatureVersion 1.0, with a fresh nonce and
    //    the current time. Adds AccessKeyId, SignatureMethod,
    //    SignatureVersion, SignatureNonce, Timestamp (SecurityToken with STS
    //    credentials) and Signature to the query string.
    let mut credentials = Credentials::new(
        std::env::var("ALIBABA_CLOUD_ACCESS_KEY_ID")?,
        std::env::var("ALIBABA_CLOUD_ACCESS_KEY_SECRET")?,
    );
    if let Ok(token) = std::env::var("ALIBABA_CLOUD_SECURITY_TOKEN") {
        credentials = credentials.with_security_token(token);
    }
    let nonce = uuid::Uuid::new_v4().to_string();
    sign(
        &mut request,
        &credentials,
        &nonce,
        time::OffsetDateTime::now_utc(),
    )?;

    // 3. Send it. Error statuses are answers to decode, not transport errors.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (parts, mut body) = agent.run(request)?.into_parts();
    let response = http::Response::from_parts(parts, body.read_to_vec()?);

    // 4. Decode: the typed response, or the typed error.
    match CancelImagePipelineExecutionResponse::from_http(&response) {
        Ok(cancelled) => println!("cancelled (request ID {:?})", cancelled.request_id()),
        Err(CancelImagePipelineExecutionError::InvalidStatusCancelFailed(meta)) => {
            println!("the execution has already ended: {:?}", meta.message);
        }
        Err(CancelImagePipelineExecutionError::InvalidImagePipelineExecutionNotFound(meta)) => {
            println!("no such execution (request ID {:?})", meta.request_id);
        }
        Err(error) => {
            eprintln!(
                "{error} (code {:?}, HTTP {:?})",
                error.code(),
                error.http_status()
            );
            return Err(error.into());
        }
    }
    Ok(())
}
