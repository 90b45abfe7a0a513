//! `POST /api/plan/sites` (where to open permanences) and `POST /api/plan/tours`
//! (multi-day tours of a mobile conseiller), over [`maillage_plan::sites`] and
//! [`maillage_plan::tours`].
//!
//! - Bodies: a [`SiteRequest`] / [`TourRequest`] (unknown keys refused), at most
//!   [`MAX_BODY_BYTES`]; places may be commune codes (their town hall; demand and stop
//!   weights default to population × IFN 2023).
//! - Sites without `candidates` (and without a matrix): the town halls of the communes of
//!   the demand that the default gap analysis finds unserved (more than 20 minutes from
//!   any venue at 50 km/h with a detour of 1.3), see [`maillage_plan::planning::default_site_candidates`].
//! - Limits are the planning crate's: 20,000 demand points, 5,000 candidates + existing,
//!   5 million matrix cells, 2,000 stops, 366 days; `time_limit_ms` at most 30,000
//!   (default 2,000). Over a size limit: 413; a time limit over the cap or any invalid
//!   field: 400, with a French message.
//! - Solves run on the blocking pool, at most one heavy computation (gap analysis or
//!   solve) per core at a time (others wait).
//! - Output: the response JSON (default), or `?f=geojson` / `?f=csv` ([`maillage_plan::rows`]:
//!   [`tours_geojson`], [`sites_csv`], [`tours_csv`]; also `Accept`).

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use maillage_plan::planning::{run_sites, run_tours};
use maillage_plan::request::RequestError;
use maillage_plan::rows::{sites_csv, sites_geojson, tours_csv, tours_geojson};
use maillage_plan::sites::{self, SiteRequest};
use maillage_plan::tours::{self, TourRequest};
use serde::Serialize;
use serde_json::{Value, json};

use crate::http::encode::plan_body;
use crate::http::{Object, Output, pairs, respond};
use crate::{ApiError, ApiJson, ApiResult, AppState};

/// Largest accepted body of the planning endpoints: 40 MiB (a full 2,001 × 2,001 tour
/// matrix with values of up to 9 characters).
pub const MAX_BODY_BYTES: usize = 40 * 1024 * 1024;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/plan/sites",
            post(post_sites).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route(
            "/api/plan/tours",
            post(post_tours).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
}

/// A refused site or tour request: 413 over a size limit, 400 otherwise.
pub fn plan_error(e: RequestError) -> ApiError {
    match e {
        RequestError::TooLarge { .. } => ApiError::too_large(e.to_string()),
        other => ApiError::bad_request(other.to_string()),
    }
}

fn only_f(raw: Option<&str>) -> ApiResult<()> {
    for (k, _) in pairs(raw) {
        if k != "f" {
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!(
                    "paramètre inconnu « {k} » : la demande va dans le corps JSON ; seul f (json, geojson, csv) est accepté dans l'adresse"
                ),
            ));
        }
    }
    Ok(())
}

/// `POST /api/plan/sites`.
pub async fn post_sites(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiJson(Object(req)): ApiJson<Object<SiteRequest>>,
) -> ApiResult<Response> {
    only_f(raw.as_deref())?;
    let output = Output::negotiate(raw.as_deref(), &headers)?;
    let snapshot = s.snapshot();
    let solve = move || run_sites(&snapshot.gaps, &req);
    solve_and_respond(&s, output, "sites", solve, sites_geojson, sites_csv).await
}

/// `POST /api/plan/tours`.
pub async fn post_tours(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiJson(Object(req)): ApiJson<Object<TourRequest>>,
) -> ApiResult<Response> {
    only_f(raw.as_deref())?;
    let output = Output::negotiate(raw.as_deref(), &headers)?;
    let snapshot = s.snapshot();
    let solve = move || run_tours(&snapshot.catalog, &req);
    solve_and_respond(&s, output, "tournees", solve, tours_geojson, tours_csv).await
}

/// Solves on the heavy pool and answers with the [`crate::http::encode::plan_body`], timed; a refused request
/// answers [`plan_error`].
async fn solve_and_respond<Req: 'static, Resp: Serialize + 'static>(
    state: &AppState,
    output: Output,
    file_stem: &str,
    solve: impl FnOnce() -> Result<(Req, Resp), RequestError> + Send + 'static,
    geojson: fn(&Req, &Resp) -> Value,
    csv: fn(&Req, &Resp) -> Result<Vec<u8>, csv::Error>,
) -> ApiResult<Response> {
    let (result, ms) = state
        .pool()
        .run(move || {
            let started = Instant::now();
            let r =
                solve().map(|(resolved, resp)| plan_body(output, &resolved, &resp, geojson, csv));
            (r, started.elapsed().as_secs_f64() * 1000.0)
        })
        .await?;
    let bytes = result.map_err(plan_error)?.map_err(ApiError::internal)?;
    respond(output, bytes, file_stem, ms)
}

/// OpenAPI 3.0 path items of `/api/plan/sites` and `/api/plan/tours`, for the API document.
pub fn openapi_paths() -> Value {
    let formats = json!({
        "application/json": { "schema": { "type": "object" } },
        "application/geo+json": { "schema": { "type": "object" } },
        "text/csv": { "schema": { "type": "string" } },
    });
    let error = json!({ "description": "Requête invalide ou trop volumineuse (message en français)",
        "content": { "application/json": { "schema": { "type": "object",
            "properties": { "code": { "type": "string" }, "description": { "type": "string" }, "status": { "type": "integer" } } } } } });
    let f = json!([{ "name": "f", "in": "query", "required": false,
        "schema": { "type": "string", "enum": ["json", "geojson", "csv"] } }]);
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let mb = MAX_BODY_BYTES / (1024 * 1024);
    json!({
        "/api/plan/sites": { "post": {
            "summary": "Choisir p sites de permanence (p-médiane ou couverture maximale)",
            "description": format!("Corps : demand [{{id, lon, lat | commune, weight}}], candidates (défaut : mairies des communes non desservies de la demande), existing, p, objective (median | coverage), radius, matrix, detour_factor (1,3), speed_kmh, time_limit_ms (≤ {} ms, défaut {}), seed. Au plus {} points de demande, {} candidats + existants, {} cases de matrice ; corps ≤ {mb} Mio.", sites::MAX_TIME_LIMIT_MS, sites::DEFAULT_TIME_LIMIT_MS, sites::MAX_DEMAND, sites::MAX_CANDIDATES, sites::MAX_CELLS),
            "operationId": "planSites",
            "parameters": f,
            "requestBody": body(sites_schema()),
            "responses": { "200": { "description": "Sites choisis, valeur de l'objectif, affectation", "content": formats }, "400": error, "413": error },
        }},
        "/api/plan/tours": { "post": {
            "summary": "Tournées de permanences sur plusieurs jours",
            "description": format!("Corps : base {{lon, lat | commune | index}}, stops [{{id, lon, lat | commune | index, weight, service_minutes, windows, min_days_between_visits, visits}}], days ou weeks (+ working_days, period_weeks), day_minutes, day_start_minutes (480), speed_kmh (50), detour_factor (1,3), matrix, must_visit_all, seed, time_limit_ms (≤ {} ms, défaut {}). Au plus {} arrêts et {} jours ; corps ≤ {mb} Mio.", tours::MAX_TIME_LIMIT_MS, tours::DEFAULT_TIME_LIMIT_MS, tours::MAX_STOPS, tours::MAX_DAYS),
            "operationId": "planTours",
            "parameters": f,
            "requestBody": body(tours_schema()),
            "responses": { "200": { "description": "Jours (arrêts, horaires, trajets, tracé), arrêts non visités et pourquoi", "content": formats }, "400": error, "413": error },
        }},
    })
}

fn nullable(kind: &str) -> Value {
    json!({ "type": kind, "nullable": true })
}

fn count() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn nullable_count() -> Value {
    json!({ "type": "integer", "minimum": 0, "nullable": true })
}

fn cost_matrix() -> Value {
    json!({ "type": "array", "nullable": true,
        "items": { "type": "array", "items": { "type": "number" } } })
}

/// JSON Schema of the [`SiteRequest`] body (unknown keys refused; ranges checked by the
/// server). Nested objects carry no `type`: serde also reads them from arrays.
pub fn sites_schema() -> Value {
    let point = json!({ "additionalProperties": false, "properties": {
        "id": { "type": "string" },
        "lon": nullable("number"), "lat": nullable("number"),
        "commune": nullable("string"), "weight": nullable("number"),
    }});
    let points = json!({ "type": "array", "items": point });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["demand", "p", "objective"],
        "properties": {
            "demand": points, "candidates": points, "existing": points,
            "p": count(),
            "objective": { "type": "string", "enum": ["median", "coverage"] },
            "radius": nullable("number"),
            "matrix": cost_matrix(),
            "detour_factor": { "type": "number" },
            "speed_kmh": nullable("number"),
            "time_limit_ms": nullable_count(),
            "seed": count(),
        }
    })
}

/// JSON Schema of the [`TourRequest`] body (unknown keys refused; ranges checked by the
/// server). Nested objects carry no `type`: serde also reads them from arrays.
pub fn tours_schema() -> Value {
    let place = json!({ "additionalProperties": false, "properties": {
        "id": nullable("string"), "lon": nullable("number"), "lat": nullable("number"),
        "index": nullable_count(), "commune": nullable("string"),
    }});
    let stop = json!({ "additionalProperties": false, "required": ["id"], "properties": {
        "id": { "type": "string" },
        "lon": nullable("number"), "lat": nullable("number"),
        "index": nullable_count(), "commune": nullable("string"),
        "weight": nullable("number"),
        "service_minutes": { "type": "number" },
        "windows": { "nullable": true,
            "description": "Créneaux par jour (lundi … dimanche) : [[ouverture, fermeture]] en minutes" },
        "min_days_between_visits": nullable_count(),
        "visits": nullable_count(),
    }});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["base", "stops"],
        "properties": {
            "base": place,
            "stops": { "type": "array", "items": stop },
            "days": nullable_count(), "weeks": nullable_count(),
            "working_days": { "type": "array", "items": count() },
            "period_weeks": nullable_count(),
            "day_minutes": nullable("number"),
            "day_start_minutes": { "type": "number" },
            "speed_kmh": { "type": "number" },
            "detour_factor": { "type": "number" },
            "matrix": cost_matrix(),
            "must_visit_all": { "type": "boolean" },
            "seed": count(),
            "time_limit_ms": nullable_count(),
        }
    })
}

#[cfg(test)]
mod tests {
    use maillage_plan::rows::{clock, site_rows};
    use maillage_plan::sites::SiteError;
    use maillage_plan::tours::TourError;

    use super::*;

    fn tour_request() -> TourRequest {
        serde_json::from_value(json!({
            "base": {"id": "base", "lon": 2.0, "lat": 44.0},
            "stops": [
                {"id": "a", "lon": 2.05, "lat": 44.0, "service_minutes": 60, "weight": 3},
                {"id": "b", "lon": 2.0, "lat": 44.05, "service_minutes": 60, "weight": 2},
                {"id": "loin", "lon": 5.0, "lat": 47.0, "service_minutes": 60}
            ],
            "days": 2,
            "day_minutes": 300
        }))
        .unwrap()
    }

    #[test]
    fn a_tour_plan_becomes_day_lines_visits_and_unvisited_points() {
        let req = tour_request();
        let resp = tours::solve_tour_request(&req).unwrap();
        let fc = tours_geojson(&req, &resp);
        let features = fc["features"].as_array().unwrap();
        let roles: Vec<&str> = features
            .iter()
            .map(|f| f["properties"]["role"].as_str().unwrap())
            .collect();
        assert!(roles.contains(&"day"), "{roles:?}");
        assert_eq!(roles.iter().filter(|r| **r == "visit").count(), 2);
        let far = features
            .iter()
            .find(|f| f["properties"]["id"] == "loin")
            .unwrap();
        assert_eq!(far["properties"]["role"], "unvisited");
        assert_eq!(far["properties"]["code"], "trop_loin");
        let line = features
            .iter()
            .find(|f| f["properties"]["role"] == "day")
            .unwrap();
        assert_eq!(line["geometry"]["type"], "LineString");
        let csv = String::from_utf8(tours_csv(&req, &resp).unwrap()).unwrap();
        assert!(csv.starts_with("role,id,day,week,weekday,order,arrival,start,end,"));
        assert_eq!(csv.lines().count(), 1 + 1 + 2 + 1, "{csv}");
    }

    #[test]
    fn a_site_plan_lists_sites_in_order_then_every_demand_point() {
        let req: SiteRequest = serde_json::from_value(json!({
            "demand": [
                {"id": "d1", "weight": 5}, {"id": "d2", "weight": 1}, {"id": "d3", "weight": 2}
            ],
            "candidates": [{"id": "c1"}, {"id": "c2"}],
            "p": 1,
            "objective": "median",
            "matrix": [[1, 9], [2, 9], [9, 1]]
        }))
        .unwrap();
        let resp = sites::solve_site_request(&req).unwrap();
        let rows = site_rows(&req, &resp);
        assert_eq!(rows[0].role, "site");
        assert_eq!(rows[0].id, "c1");
        assert_eq!(rows[0].demand_points, Some(3));
        assert_eq!(rows[0].cost, Some(5.0 + 2.0 + 18.0));
        assert_eq!(rows.iter().filter(|r| r.role == "demand").count(), 3);
        let fc = sites_geojson(&req, &resp);
        assert_eq!(fc["features"][0]["geometry"], Value::Null);
        assert_eq!(fc["objective_value"], 25.0);
    }

    #[test]
    fn size_limits_answer_413_and_a_too_long_time_limit_answers_400() {
        let e = plan_error(TourError::TooLarge {
            limit: maillage_plan::request::Limit::Stops,
            count: 100_000,
            max: 2_000,
        });
        assert_eq!(e.status().as_u16(), 413);
        let e = plan_error(SiteError::TimeLimit {
            requested: 60_000,
            max: 30_000,
        });
        assert_eq!(e.status().as_u16(), 400);
    }

    #[test]
    fn a_body_must_be_an_object_even_where_serde_reads_arrays() {
        let ok: Object<SiteRequest> =
            serde_json::from_str(r#"{"demand": [], "p": 1, "objective": "median"}"#).unwrap();
        assert_eq!(ok.0.p, 1);
        let e = serde_json::from_str::<Object<maillage_plan::gaps::GapRequest>>("[]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("un objet JSON"), "{e}");
    }

    #[test]
    fn clock_writes_hours_and_minutes() {
        assert_eq!(clock(480.0), "08:00");
        assert_eq!(clock(725.4), "12:05");
    }
}
