//! OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by reference)
//! over the catalog, with file exports (see [`crate::export`]).
//!
//! Endpoints: `/ogc` (landing page; also `/` for API clients: `?f=json` or
//! `Accept: application/json`, the web map otherwise), `/conformance`, `/collections`,
//! `/collections/{id}`, `/collections/{id}/items`, `/collections/{id}/items/{featureId}`,
//! `/collections/{id}/schema`, `/collections/{id}/queryables`, `/api`.
//!
//! # Adding a collection (gaps, sites, tours…)
//!
//! 1. Write `collections/<name>.rs` with a `FIELDS: &[Field]` table (property name,
//!    DBF name of at most 10 characters, type, French title, filter kind) and a struct
//!    implementing [`provider::Collection`]: id, titles, provenance layer ids, geometry
//!    type, `len`, `feature_id`/`index_of`, `row` (values in `FIELDS` order) or
//!    `value` (one value), `geometry` (lon/lat) and `candidates` (bbox pre-selection,
//!    exact test is generic). Areas made of communes reuse `collections::areas`, plans
//!    over the unserved communes `collections::unserved`.
//!    Hold an `Arc<collections::Shared>` to reach the catalog and shared statistics;
//!    compute anything costly lazily (`OnceLock`) and in `warm_up`.
//! 2. Add it to the list in [`collections::all`].
//! 3. If the features depend on computation parameters (the `threshold` of `gaps`), list
//!    them in `parameters()` and build the variant in `with_parameters()`: `/items` then
//!    accepts them, documents them in `/api`, keeps them in the paging links, and serves
//!    the variant in every format.
//!
//! Filters, paging, CRS, zoom simplification, ETags, HTML, schemas, the OpenAPI
//! document and the GeoJSON/CSV/Shapefile/GeoPackage exports then work unchanged.
//!
//! Lazy work: the OGC view of a catalog is built on the first OGC request; a background
//! thread then computes the dissolved EPCI and département boundaries (unions of the
//! communes) and the per-commune statistics. A request needing a boundary not yet
//! computed computes just that one (`OnceLock` per feature). [`warm_up`] starts this at
//! launch.

pub mod collections;
pub mod crs;
pub mod geojson;
mod handlers;
pub mod html;
pub mod layer;
pub mod links;
pub mod openapi;
pub mod provider;
pub mod query;
pub mod select;

use axum::Router;
use axum::routing::get;

use crate::AppState;
pub use handlers::CONFORMANCE;
pub use layer::warm_up;

/// Routes of the OGC API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(handlers::root))
        .route("/ogc", get(handlers::landing))
        .route("/conformance", get(handlers::conformance))
        .route("/collections", get(handlers::collections))
        .route("/collections/{collection_id}", get(handlers::collection))
        .route("/collections/{collection_id}/items", get(handlers::items))
        .route(
            "/collections/{collection_id}/items/{feature_id}",
            get(handlers::item),
        )
        .route("/collections/{collection_id}/schema", get(handlers::schema))
        .route(
            "/collections/{collection_id}/queryables",
            get(handlers::queryables),
        )
        .route("/api", get(handlers::api))
}

#[cfg(test)]
mod tests;
