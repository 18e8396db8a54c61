//! Request compression (feature `gzip`): botocore's `requestcompression`,
//! Smithy's `@requestCompression` trait. The generated `to_http` of an
//! operation that carries it calls [`compress`] on the request it built.
//!
//! Rules (botocore's `compress.py`, the trait's spec):
//!
//! 1. A body of at least `min_bytes` bytes (botocore's default
//!    `request_min_compression_size_bytes`, [`MIN_COMPRESSION_BYTES`]) is
//!    replaced by its gzip form; a smaller body is sent as it is.
//! 2. `gzip` is appended to `Content-Encoding`: after the value the request
//!    already has (a member bound to that header), as `custom, gzip`, else
//!    it is the whole value.
//! 3. The query protocols' form body is compressed like any other body.

use crate::BuildError;
use std::io::Write;

/// The smallest body that is compressed: botocore's default
/// `request_min_compression_size_bytes` (10 KiB).
pub const MIN_COMPRESSION_BYTES: usize = 10240;

/// Compresses the body of `request` with gzip when it has at least
/// `min_bytes` bytes, and appends `gzip` to its `Content-Encoding`.
pub fn compress(request: http::Request<Vec<u8>>, min_bytes: usize) -> Result<http::Request<Vec<u8>>, BuildError> {
    if request.body().len() < min_bytes {
        return Ok(request);
    }
    let (mut parts, body) = request.into_parts();
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 2), flate2::Compression::default());
    let compressed = encoder
        .write_all(&body)
        .and_then(|()| encoder.finish())
        .map_err(|e| BuildError::new(format!("the request body could not be compressed with gzip: {e}")))?;
    let encoding = match parts.headers.get(http::header::CONTENT_ENCODING) {
        Some(existing) => {
            let existing = existing
                .to_str()
                .map_err(|_| BuildError::new("the request's Content-Encoding header is not visible ASCII"))?
                .trim();
            if existing.is_empty() { "gzip".to_string() } else { format!("{existing}, gzip") }
        }
        None => "gzip".to_string(),
    };
    let value = http::HeaderValue::from_str(&encoding)
        .map_err(|_| BuildError::new(format!("the Content-Encoding header `{encoding}` is not a valid header value")))?;
    parts.headers.insert(http::header::CONTENT_ENCODING, value);
    Ok(http::Request::from_parts(parts, compressed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn request(body: Vec<u8>, encoding: Option<&str>) -> http::Request<Vec<u8>> {
        let mut builder = http::Request::builder().method("POST").uri("https://example.com/");
        if let Some(e) = encoding {
            builder = builder.header("content-encoding", e);
        }
        builder.body(body).expect("a valid request")
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("a gzip stream");
        out
    }

    #[test]
    fn a_large_body_is_gzipped_and_decompresses_back() {
        let body: Vec<u8> = (0..20_000u32).map(|i| b"abcdefghij"[(i % 10) as usize]).collect();
        let built = compress(request(body.clone(), None), MIN_COMPRESSION_BYTES).expect("compressed");
        assert_eq!(built.headers()["content-encoding"], "gzip");
        assert_ne!(built.body(), &body);
        assert_eq!(&built.body()[..2], &[0x1f, 0x8b], "gzip magic");
        assert_eq!(gunzip(built.body()), body);
    }

    #[test]
    fn gzip_is_appended_after_an_existing_encoding() {
        let built = compress(request(vec![b'x'; 16], Some("custom")), 16).expect("compressed");
        assert_eq!(built.headers()["content-encoding"], "custom, gzip");
        assert_eq!(built.headers().get_all("content-encoding").iter().count(), 1);
        assert_eq!(gunzip(built.body()), vec![b'x'; 16]);
    }

    #[test]
    fn a_body_under_the_minimum_is_untouched() {
        let built = compress(request(vec![b'x'; 15], Some("custom")), 16).expect("compressed");
        assert_eq!(built.headers()["content-encoding"], "custom");
        assert_eq!(built.body(), &vec![b'x'; 15]);
        let built = compress(request(Vec::new(), None), MIN_COMPRESSION_BYTES).expect("compressed");
        assert!(built.headers().get("content-encoding").is_none());
        assert!(built.body().is_empty());
    }
}
