//! Health, layer provenance and the import report.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::AppState;

/// `GET /health`: liveness with counts.
pub async fn health(State(s): State<AppState>) -> Json<Value> {
    let catalog = &s.snapshot().catalog;
    Json(json!({
        "status": "ok",
        "communes": catalog.communes.len(),
        "venues": catalog.venues.len(),
    }))
}

/// `GET /api/layers`: every layer with its source, licence, date and state.
pub async fn layers(State(s): State<AppState>) -> Json<Value> {
    Json(
        s.public_paths
            .json(json!({ "layers": s.snapshot().catalog.layers })),
    )
}

/// `GET /api/import-report`: rejected rows, dropped fields, notes and timings of the import,
/// town halls outside their commune and where venues were placed (corrections, doubts).
pub async fn import_report(State(s): State<AppState>) -> Json<Value> {
    Json(s.public_paths.json(json!({
        "rejections": s.report.rejections,
        "warnings_count": s.report.warnings.len(),
        "warnings": s.report.warnings.iter().take(1000).collect::<Vec<_>>(),
        "notes": s.report.notes,
        "timings_ms": s.report.timings_ms,
        "mismatches": s.snapshot().catalog.mismatches,
        "town_halls": s.report.town_halls,
        "venue_locations": s.report.venues.as_ref().map(|v| &v.locations),
        "venue_nature": s.report.venues.as_ref().map(|v| &v.nature),
        "venue_merges": s.report.venues.as_ref().map(|v| &v.merged),
        "populations": s.report.populations,
        "boundary_overrides": s.report.boundary_overrides,
    })))
}
