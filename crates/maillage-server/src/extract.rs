//! Extractors whose rejections are JSON errors like every other error.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// `Query<T>` answering a JSON 400 when the query string does not fit `T`.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| {
                ApiError::bad_request_code(
                    "InvalidParameter",
                    format!("paramètres invalides : {}", e.body_text()),
                )
            })
    }
}

/// `Path<T>` answering a JSON 400 when a path segment does not fit `T`.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| {
                ApiError::bad_request(format!("chemin invalide : {}", e.body_text()))
            })
    }
}

/// `Json<T>` body answering a JSON 400/413/415 when the body does not fit `T`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| ApiJson(j.0))
            .map_err(|e: JsonRejection| match e {
                JsonRejection::MissingJsonContentType(_) => ApiError::bad_request(
                    "corps JSON attendu (en-tête Content-Type: application/json)",
                ),
                JsonRejection::BytesRejection(b)
                    if b.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    ApiError::too_large("corps de requête trop volumineux")
                }
                other => {
                    ApiError::bad_request(format!("corps JSON invalide : {}", other.body_text()))
                }
            })
    }
}
