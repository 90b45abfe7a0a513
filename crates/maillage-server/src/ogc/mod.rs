//! OGC API – Features: landing page, conformance, collections, items, exports.

use axum::Router;

use crate::AppState;

/// Routes of the OGC API.
pub fn router() -> Router<AppState> {
    Router::new()
}
