//! The one place where errors become HTTP responses: JSON in the OGC exception
//! format (`code`, `description`) plus the HTTP `status`. 5xx details go to the log only.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    description: &'a str,
    status: u16,
}

impl ApiError {
    /// 400: the request is malformed (`InvalidParameterValue`).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "InvalidParameterValue",
            message: message.into(),
        }
    }
    /// 400 with another OGC code (`InvalidParameter`, `MissingParameterValue`…).
    pub fn bad_request_code(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }
    /// 404: no such resource.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "NotFound",
            message: message.into(),
        }
    }
    /// 406: no representation in the requested format.
    pub fn not_acceptable(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_ACCEPTABLE,
            code: "NotAcceptable",
            message: message.into(),
        }
    }
    /// 413: request too large.
    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "PayloadTooLarge",
            message: message.into(),
        }
    }
    /// 503: a layer needed for this request is not loaded.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "LayerUnavailable",
            message: message.into(),
        }
    }
    /// 500: logs the detail, answers a generic message.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(%detail, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "InternalError",
            message: "Erreur interne du serveur ; le détail est dans le journal.".into(),
        }
    }
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The OGC exception code.
    pub fn code(&self) -> &'static str {
        self.code
    }
    /// The public message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            code: self.code,
            description: &self.message,
            status: self.status.as_u16(),
        };
        (self.status, Json(body)).into_response()
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
