//! `POST /api/plan/sites` (where to open permanences) and `POST /api/plan/tours`
//! (multi-day tours of a mobile conseiller), over [`maillage_plan::sites`] and
//! [`maillage_plan::tours`].
//!
//! - Bodies: a [`SiteRequest`] / [`TourRequest`] (unknown keys refused), at most
//!   [`MAX_BODY_BYTES`]; places may be commune codes (their town hall; demand and stop
//!   weights default to population × IFN 2023).
//! - Sites without `candidates` (and without a matrix): the town halls of the communes of
//!   the demand that the default gap analysis finds unserved (more than 20 minutes from
//!   any venue at 50 km/h with a detour of 1.3), see [`default_site_candidates`].
//! - Limits are the planning crate's: 20,000 demand points, 5,000 candidates + existing,
//!   5 million matrix cells, 2,000 stops, 366 days; `time_limit_ms` at most 30,000
//!   (default 2,000). Over a size limit: 413; a time limit over the cap or any invalid
//!   field: 400, with a French message.
//! - Solves run on the blocking pool, at most one heavy computation (gap analysis or
//!   solve) per core at a time (others wait).
//! - Output: the response JSON (default), or `?f=geojson` / `?f=csv` ([`sites_geojson`],
//!   [`tours_geojson`], [`sites_csv`], [`tours_csv`]; also `Accept`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use maillage_core::{Catalog, InseeCode};
use maillage_plan::request::RequestError;
use maillage_plan::sites::{self, SiteError, SiteRequest, SiteResponse};
use maillage_plan::tours::{self, TourError, TourRequest, TourResponse};
use serde::Serialize;
use serde_json::{Value, json};

use super::gaps::{Object, Output, gap_cache, on_heavy_pool, respond};
use crate::ogc::query::pairs;
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
        RequestError::TooLarge { what, .. } if what != "time_limit_ms" => {
            ApiError::too_large(e.to_string())
        }
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

/// The communes of the demand that the default gap analysis finds unserved (each meets
/// at its town hall, or at a point inside it when the town hall is not located). A demand point counts by its `commune` code, or by its lon/lat when it
/// falls inside a loaded commune boundary.
pub fn default_site_candidates(
    catalog: &Arc<Catalog>,
    req: &SiteRequest,
) -> Result<Vec<InseeCode>, SiteError> {
    let cache = gap_cache(catalog);
    let Some(gaps) = cache.default_analysis(catalog) else {
        return Err(SiteError::Invalid(
            "candidates : aucune commune n'est chargée, indiquez les candidats".into(),
        ));
    };
    let mut communes = BTreeSet::new();
    for d in &req.demand {
        let found = match (&d.commune, d.lon, d.lat) {
            (Some(code), _, _) => code
                .trim()
                .parse::<InseeCode>()
                .ok()
                .and_then(|c| catalog.commune_index(&c)),
            (None, Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => catalog
                .commune_at(lon, lat)
                .and_then(|c| catalog.commune_index(&c.code)),
            _ => None,
        };
        communes.extend(found);
    }
    let out: Vec<InseeCode> = communes
        .into_iter()
        .filter(|&i| gaps.is_unserved(i))
        .map(|i| catalog.communes[i].code)
        .collect();
    if out.is_empty() {
        return Err(SiteError::Invalid(
            "candidates : liste absente, et aucune commune de la demande n'est non desservie (plus de 20 minutes du lieu le plus proche) ; indiquez des candidats".into(),
        ));
    }
    Ok(out)
}

/// Checks the sizes, fills the default candidates and resolves commune codes.
pub fn prepare_sites(catalog: &Arc<Catalog>, req: &SiteRequest) -> Result<SiteRequest, SiteError> {
    if req.demand.len() > sites::MAX_DEMAND {
        return Err(SiteError::TooLarge {
            what: "points de demande",
            count: req.demand.len(),
            max: sites::MAX_DEMAND,
        });
    }
    let cols = req.candidates.len() + req.existing.len();
    if cols > sites::MAX_CANDIDATES {
        return Err(SiteError::TooLarge {
            what: "sites candidats et existants",
            count: cols,
            max: sites::MAX_CANDIDATES,
        });
    }
    let defaults = if req.candidates.is_empty() && req.matrix.is_none() && !req.demand.is_empty() {
        default_site_candidates(catalog, req)?
    } else {
        Vec::new()
    };
    sites::resolve_site_request(req, catalog, &defaults)
}

fn check_stop_count(req: &TourRequest) -> Result<(), TourError> {
    if req.stops.len() > tours::MAX_STOPS {
        return Err(TourError::TooLarge {
            what: "arrêts (stops)",
            count: req.stops.len(),
            max: tours::MAX_STOPS,
        });
    }
    Ok(())
}

/// Checks the sizes and resolves commune codes (town halls, weights, opening hours).
pub fn prepare_tours(catalog: &Catalog, req: &TourRequest) -> Result<TourRequest, TourError> {
    check_stop_count(req)?;
    tours::resolve_tour_request(req, catalog)
}

/// Solves a site request end to end: the response and the resolved request.
pub fn run_sites(
    catalog: &Arc<Catalog>,
    req: &SiteRequest,
) -> Result<(SiteRequest, SiteResponse), SiteError> {
    let resolved = prepare_sites(catalog, req)?;
    let resp = sites::solve_site_request(&resolved)?;
    Ok((resolved, resp))
}

/// Solves a tour request end to end: the response and the resolved request.
pub fn run_tours(
    catalog: &Catalog,
    req: &TourRequest,
) -> Result<(TourRequest, TourResponse), TourError> {
    let resolved = prepare_tours(catalog, req)?;
    let resp = tours::solve_tour_request(&resolved)?;
    Ok((resolved, resp))
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
    let catalog = s.catalog.clone();
    let solve = move || run_sites(&catalog, &req);
    solve_and_respond(output, "sites", solve, sites_geojson, sites_csv).await
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
    check_stop_count(&req).map_err(plan_error)?;
    let catalog = s.catalog.clone();
    let solve = move || run_tours(&catalog, &req);
    solve_and_respond(output, "tournees", solve, tours_geojson, tours_csv).await
}

/// A solved plan in `output`: the response JSON, or the GeoJSON or CSV made from the
/// resolved request and the response.
pub fn plan_body<Req, Resp: Serialize>(
    output: Output,
    resolved: &Req,
    resp: &Resp,
    geojson: fn(&Req, &Resp) -> Value,
    csv: fn(&Req, &Resp) -> Result<Vec<u8>, csv::Error>,
) -> Result<Vec<u8>, String> {
    match output {
        Output::Json => serde_json::to_vec(resp).map_err(|e| e.to_string()),
        Output::GeoJson => serde_json::to_vec(&geojson(resolved, resp)).map_err(|e| e.to_string()),
        Output::Csv => csv(resolved, resp).map_err(|e| e.to_string()),
    }
}

/// Solves on the heavy pool and answers with the [`plan_body`], timed; a refused request
/// answers [`plan_error`].
async fn solve_and_respond<Req: 'static, Resp: Serialize + 'static>(
    output: Output,
    file_stem: &str,
    solve: impl FnOnce() -> Result<(Req, Resp), RequestError> + Send + 'static,
    geojson: fn(&Req, &Resp) -> Value,
    csv: fn(&Req, &Resp) -> Result<Vec<u8>, csv::Error>,
) -> ApiResult<Response> {
    let (result, ms) = on_heavy_pool(move || {
        let started = Instant::now();
        let r = solve().map(|(resolved, resp)| plan_body(output, &resolved, &resp, geojson, csv));
        (r, started.elapsed().as_secs_f64() * 1000.0)
    })
    .await?;
    let bytes = result.map_err(plan_error)?.map_err(ApiError::internal)?;
    respond(output, bytes, file_stem, ms)
}

/// `HH:MM` of minutes after midnight.
pub fn clock(minutes: f64) -> String {
    let m = minutes.round().max(0.0) as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn point(lon: Option<f64>, lat: Option<f64>) -> Value {
    match (lon, lat) {
        (Some(x), Some(y)) => json!({"type": "Point", "coordinates": [x, y]}),
        _ => Value::Null,
    }
}

fn label(id: &str, k: usize) -> String {
    if id.is_empty() {
        k.to_string()
    } else {
        id.to_string()
    }
}

/// One row of the site plan as a flat record (GeoJSON properties, CSV row).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteRow {
    /// `site` (chosen), `existing` (open venue serving demand) or `demand`.
    pub role: &'static str,
    /// Order of choice of a chosen site, from 1.
    pub rank: Option<usize>,
    /// Id as in the request (its position when the request gave none).
    pub id: String,
    /// Longitude.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Demand: its weight; site: the weight it serves.
    pub weight: f64,
    /// Demand: the serving site.
    pub site: Option<String>,
    /// Demand: whether that site is an existing one.
    pub existing: Option<bool>,
    /// Demand: cost to it; site: Σ weight × cost of its demand.
    pub cost: Option<f64>,
    /// Site: demand points it serves.
    pub demand_points: Option<usize>,
}

/// The rows of a site plan: chosen sites (in order of choice), existing sites that
/// serve some demand, then every demand point with its serving site.
pub fn site_rows(req: &SiteRequest, resp: &SiteResponse) -> Vec<SiteRow> {
    let mut cand: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    for (k, c) in req.candidates.iter().enumerate() {
        cand.insert(label(&c.id, k), (c.lon, c.lat));
    }
    let mut exist: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    for (k, c) in req.existing.iter().enumerate() {
        exist.insert(label(&c.id, k), (c.lon, c.lat));
    }
    // (points, weight, weighted cost) per serving site.
    let mut served: HashMap<(bool, &str), (usize, f64, f64)> = HashMap::new();
    for (a, d) in resp.assignment.iter().zip(&req.demand) {
        if let Some(site) = &a.site {
            let e = served.entry((a.existing, site.as_str())).or_default();
            let w = d.weight.unwrap_or(1.0);
            e.0 += 1;
            e.1 += w;
            e.2 += w * a.cost.unwrap_or(0.0);
        }
    }
    // A chosen or existing site, with what it serves.
    let site_row = |role, rank, id, (lon, lat), (n, w, c)| SiteRow {
        role,
        rank,
        id,
        lon,
        lat,
        weight: w,
        site: None,
        existing: None,
        cost: Some(c),
        demand_points: Some(n),
    };
    let mut rows = Vec::new();
    for (rank, id) in resp.sites.iter().enumerate() {
        let position = cand.get(id).copied().unwrap_or((None, None));
        let served = served
            .get(&(false, id.as_str()))
            .copied()
            .unwrap_or_default();
        rows.push(site_row(
            "site",
            Some(rank + 1),
            id.clone(),
            position,
            served,
        ));
    }
    for (k, e) in req.existing.iter().enumerate() {
        let id = label(&e.id, k);
        if let Some(served) = served.get(&(true, id.as_str())).copied() {
            let position = exist.get(&id).copied().unwrap_or((None, None));
            rows.push(site_row("existing", None, id, position, served));
        }
    }
    for (a, d) in resp.assignment.iter().zip(&req.demand) {
        rows.push(SiteRow {
            role: "demand",
            rank: None,
            id: a.demand.clone(),
            lon: d.lon,
            lat: d.lat,
            weight: d.weight.unwrap_or(1.0),
            site: a.site.clone(),
            existing: Some(a.existing),
            cost: a.cost,
            demand_points: None,
        });
    }
    rows
}

/// A site plan as a GeoJSON FeatureCollection of [`site_rows`] (points; `null`
/// geometry for points known only by a matrix), with the objective as foreign members.
pub fn sites_geojson(req: &SiteRequest, resp: &SiteResponse) -> Value {
    let features: Vec<Value> = site_rows(req, resp)
        .into_iter()
        .map(|r| {
            json!({
                "type": "Feature",
                "geometry": point(r.lon, r.lat),
                "properties": r,
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "features": features,
        "objective_value": resp.objective_value,
        "unit": resp.unit,
        "covered_weight": resp.covered_weight,
        "solver": resp.solver,
    })
}

/// A site plan as CSV, one [`SiteRow`] per line.
pub fn sites_csv(req: &SiteRequest, resp: &SiteResponse) -> Result<Vec<u8>, csv::Error> {
    let header = [
        "role",
        "rank",
        "id",
        "lon",
        "lat",
        "weight",
        "site",
        "existing",
        "cost",
        "demand_points",
    ];
    rows_csv(&header, site_rows(req, resp))
}

/// CSV of `rows` under `header` (written even when there is no row).
fn rows_csv<R: Serialize>(header: &[&str], rows: Vec<R>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.serialize(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// One stop of a tour plan as a flat record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TourRow {
    /// `visit`, `unvisited` or `base`.
    pub role: &'static str,
    /// Stop id.
    pub id: String,
    /// Day number from 1.
    pub day: Option<u32>,
    /// Week number from 1.
    pub week: Option<u32>,
    /// Weekday (`lundi` …).
    pub weekday: Option<String>,
    /// Position in the day, from 1.
    pub order: Option<usize>,
    /// Arrival, `HH:MM`.
    pub arrival: Option<String>,
    /// Start of the permanence, `HH:MM`.
    pub start: Option<String>,
    /// End of the permanence, `HH:MM`.
    pub end: Option<String>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Priority.
    pub weight: Option<f64>,
    /// Unvisited: machine code of the reason.
    pub code: Option<String>,
    /// Unvisited: the reason, in French.
    pub reason: Option<String>,
}

/// The rows of a tour plan: the base, every visit in day and visiting order, then the
/// unvisited stops with their reason.
pub fn tour_rows(req: &TourRequest, resp: &TourResponse) -> Vec<TourRow> {
    let stops: HashMap<&str, &maillage_plan::tours::TourStopInput> =
        req.stops.iter().map(|s| (s.id.as_str(), s)).collect();
    let empty = |role: &'static str, id: String| TourRow {
        role,
        id,
        day: None,
        week: None,
        weekday: None,
        order: None,
        arrival: None,
        start: None,
        end: None,
        lon: None,
        lat: None,
        weight: None,
        code: None,
        reason: None,
    };
    let mut rows = vec![TourRow {
        lon: req.base.lon,
        lat: req.base.lat,
        ..empty("base", req.base.id.clone().unwrap_or_else(|| "base".into()))
    }];
    for d in &resp.days {
        for (k, id) in d.stops.iter().enumerate() {
            let s = stops.get(id.as_str());
            let service = s.map(|s| s.service_minutes).unwrap_or(0.0);
            let start = d.service_starts.get(k).copied();
            rows.push(TourRow {
                day: Some(d.day),
                week: Some(d.week),
                weekday: Some(d.weekday.clone()),
                order: Some(k + 1),
                arrival: d.arrivals.get(k).map(|&a| clock(a)),
                start: start.map(clock),
                end: start.map(|t| clock(t + service)),
                lon: s.and_then(|s| s.lon),
                lat: s.and_then(|s| s.lat),
                weight: s.and_then(|s| s.weight).or(Some(1.0)),
                ..empty("visit", id.clone())
            });
        }
    }
    for u in &resp.unvisited {
        let s = stops.get(u.id.as_str());
        rows.push(TourRow {
            lon: s.and_then(|s| s.lon),
            lat: s.and_then(|s| s.lat),
            weight: s.and_then(|s| s.weight).or(Some(1.0)),
            code: Some(u.code.clone()),
            reason: Some(u.reason.clone()),
            ..empty("unvisited", u.id.clone())
        });
    }
    rows
}

/// A tour plan as a GeoJSON FeatureCollection: one LineString per working day with
/// visits (base → stops → base), then the points of [`tour_rows`]; totals as foreign
/// members.
pub fn tours_geojson(req: &TourRequest, resp: &TourResponse) -> Value {
    let mut features: Vec<Value> = resp
        .days
        .iter()
        .filter(|d| !d.stops.is_empty())
        .map(|d| {
            json!({
                "type": "Feature",
                "geometry": d.geometry.clone().unwrap_or(Value::Null),
                "properties": {
                    "role": "day",
                    "day": d.day,
                    "week": d.week,
                    "weekday": d.weekday,
                    "stops": d.stops.join("|"),
                    "visits": d.stops.len(),
                    "departure": clock(d.departure),
                    "return": clock(d.return_time),
                    "travel_minutes": d.travel_minutes,
                    "total_minutes": d.total_minutes,
                },
            })
        })
        .collect();
    features.extend(tour_rows(req, resp).into_iter().map(|r| {
        json!({
            "type": "Feature",
            "geometry": point(r.lon, r.lat),
            "properties": r,
        })
    }));
    json!({
        "type": "FeatureCollection",
        "features": features,
        "total_travel": resp.total_travel,
        "total_weight": resp.total_weight,
        "rotation": resp.rotation,
        "solver": resp.solver,
    })
}

/// A tour plan as CSV, one [`TourRow`] per line.
pub fn tours_csv(req: &TourRequest, resp: &TourResponse) -> Result<Vec<u8>, csv::Error> {
    let header = [
        "role", "id", "day", "week", "weekday", "order", "arrival", "start", "end", "lon", "lat",
        "weight", "code", "reason",
    ];
    rows_csv(&header, tour_rows(req, resp))
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
            what: "arrêts (stops)",
            count: 100_000,
            max: 2_000,
        });
        assert_eq!(e.status().as_u16(), 413);
        let e = plan_error(SiteError::TooLarge {
            what: "time_limit_ms",
            count: 60_000,
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
