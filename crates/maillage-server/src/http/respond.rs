//! A serialised body as a response.

use axum::body::Body;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::Response;

use super::Output;
use crate::ApiResult;

/// A response with a body already serialised, and the computation time as `Server-Timing`.
pub fn respond(
    output: Output,
    bytes: Vec<u8>,
    file_stem: &str,
    compute_ms: f64,
) -> ApiResult<Response> {
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(output.media_type()));
    if output == Output::Csv {
        let v = format!("attachment; filename=\"{file_stem}.csv\"");
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(CONTENT_DISPOSITION, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&format!("compute;dur={compute_ms:.1}")) {
        h.insert("server-timing", v);
    }
    Ok(res)
}
