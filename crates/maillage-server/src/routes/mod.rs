//! Maillage's own JSON endpoints (under `/api/`) and `/health`.

mod commune;
pub mod gaps;
mod meta;
pub mod plan;
pub mod search;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(meta::health))
        .route("/api/layers", get(meta::layers))
        .route("/api/import-report", get(meta::import_report))
        .route("/api/search", get(search::search))
        .route("/api/nearest", get(commune::nearest))
        .route("/api/communes/{code}", get(commune::commune_sheet))
        .merge(gaps::router())
        .merge(plan::router())
}
