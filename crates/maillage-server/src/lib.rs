//! Maillage HTTP server: OGC API – Features layers, planning endpoints, and the web map.
//!
//! [`AppState`] holds the current [`Snapshot`] (the catalog and every cache derived from
//! it) and the heavy-work pool; nothing is process-global. [`http`] has the plumbing the
//! routes and the OGC API share, [`ogc`] and [`export`] the OGC API and downloads,
//! [`routes`] the `/api/*` endpoints, which extract, call `maillage-plan` and encode.
#![warn(missing_docs)]

mod cli;
pub mod error;
pub mod export;
pub mod extract;
pub mod http;
pub mod ogc;
pub mod public_paths;
pub mod routes;
mod state;

use std::future::Future;

use axum::Router;
use axum::handler::HandlerWithoutStateExt;
use axum::http::Uri;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub use cli::Spinner;
pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use state::{AppState, Snapshot};

/// The whole application: API routes, then the web front end at `/`.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new().merge(routes::router()).merge(ogc::router());
    if let Some(dir) = &state.web_dir {
        // The page keeps its state in the URL hash: unknown paths are JSON 404s, not the page.
        router =
            router.fallback_service(ServeDir::new(dir).not_found_service(not_found.into_service()));
    } else {
        router = router.fallback(not_found);
    }
    router
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("aucune ressource à l'adresse {}", uri.path()))
}

/// Serves the app on an already bound listener until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
