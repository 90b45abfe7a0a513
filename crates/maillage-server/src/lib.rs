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
use axum::http::{HeaderValue, Uri, header};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
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
    let header = |name, value| SetResponseHeaderLayer::if_not_present(name, value);
    router
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// The page loads its scripts, styles and data from this server only. Inline styles: Leaflet
/// markers carry `style` attributes. Images from any https host: an optional raster tile
/// layer (`web/src/config.json`, `?tiles=osm`). No `frame-ancestors`: `embed=1` is meant
/// for other sites' iframes.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self'; \
     font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'";

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
