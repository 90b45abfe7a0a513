//! `POST /api/gaps` and `GET /api/gaps`: the coverage gap analysis of
//! [`maillage_plan::gaps`] (nearest venue per commune, served/unserved, priority,
//! indicators per EPCI and département, what-if).
//!
//! - `POST /api/gaps`: body = a [`GapRequest`] (every field optional; unknown keys are
//!   refused), at most [`MAX_BODY_BYTES`]. Output: the [`GapResponse`] as JSON (default),
//!   or with `?f=geojson` (or `Accept: application/geo+json`) a FeatureCollection of the
//!   access points with the indicators as a foreign member, or `?f=csv` one row per
//!   commune ([`maillage_plan::gaps::GapRow::FIELDS`]).
//! - `GET /api/gaps?departement=81&threshold=20&…`: the same analysis from query
//!   parameters (see [`QUERY_PARAMETERS`]), for links and GIS clients; the what-if
//!   (`added`, `removed`) and the travel-time matrix need the POST.
//!
//! The gap index is built once per catalog (the snapshot's `GapCache`), so a what-if
//! only pays for the analysis itself. The computation and the serialisation run on the blocking pool,
//! at most one heavy computation per core at a time. A venue filter that no loaded venue
//! passes is refused (400, [`check_filter`]): every commune would be unserved.

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use maillage_core::Catalog;
use maillage_plan::gaps::{GapError, GapRequest, IfnChoice, IfnModel, IfnScale};
use serde_json::{Value, json};

use crate::http::encode::gap_body;
use crate::http::{Object, Output, pairs, respond};
use crate::{ApiError, ApiJson, ApiResult, AppState};

/// Largest accepted body of `POST /api/gaps`: 16 MiB (a travel-time matrix of about a
/// million pairs written compactly).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Query parameters of `GET /api/gaps`, with their meaning (French).
pub const QUERY_PARAMETERS: [(&str, &str); 15] = [
    (
        "departement",
        "Codes de départements séparés par des virgules (ex. 81,48)",
    ),
    ("epci", "SIREN d'EPCI séparés par des virgules"),
    (
        "commune",
        "Codes INSEE de communes séparés par des virgules",
    ),
    (
        "threshold",
        "Seuil en minutes au-delà duquel une commune est non desservie (défaut 20)",
    ),
    ("speed_kmh", "Vitesse moyenne en km/h (défaut 50)"),
    (
        "detour_factor",
        "Coefficient de détour route / vol d'oiseau (défaut 1,3)",
    ),
    (
        "services",
        "Seuls les lieux offrant l'un de ces services (séparés par |)",
    ),
    (
        "typologies",
        "Seuls les lieux de l'une de ces typologies (séparées par |)",
    ),
    (
        "publics",
        "Seuls les lieux accueillant l'un de ces publics (séparés par |)",
    ),
    (
        "fixed_only",
        "true : seulement les lieux déclarés fixes (itinérance « Fixe » ; un champ vide est inconnu)",
    ),
    (
        "kinds",
        "Natures de lieux comptées, séparées par des virgules : lieu_accueil (défaut), itinerant, habilitation",
    ),
    ("ifn_model", "ifn2023 (défaut) ou ifn2020"),
    (
        "ifn_axis",
        "Axe de l'IFN (défaut : total pour 2023, score_global pour 2020)",
    ),
    (
        "ifn_scale",
        "IFN 2020 : échelle de référence departement, region (défaut) ou epci",
    ),
    ("f", "json (défaut), geojson ou csv"),
];

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/gaps",
        get(get_gaps)
            .post(post_gaps)
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

/// A refused analysis as an HTTP error: 400 for the caller's faults, 500 otherwise.
pub fn gap_error(e: GapError) -> ApiError {
    if e.is_bad_request() {
        ApiError::bad_request(e.to_string())
    } else {
        ApiError::internal(e)
    }
}

/// Refuses a venue filter that no loaded venue passes: every commune would be unserved,
/// and the nearest-venue search would scan every venue for every commune.
pub fn check_filter(catalog: &Catalog, req: &GapRequest) -> ApiResult<()> {
    let filter = req.filter.to_filter();
    // The default filter (places receiving the public) is never refused, even with no
    // venue loaded.
    let default = req.filter == maillage_plan::gaps::VenueCriteria::default();
    if filter.is_empty() || default || catalog.venues.iter().any(|v| filter.matches(v)) {
        return Ok(());
    }
    let mut parts = Vec::new();
    for (name, values) in [
        ("services", &req.filter.services),
        ("typologies", &req.filter.typologies),
        ("publics", &req.filter.publics),
    ] {
        if !values.is_empty() {
            parts.push(format!("{name} : {}", values.join(" | ")));
        }
    }
    if req.filter.fixed_only {
        parts.push("lieux fixes seulement".into());
    }
    if !req.filter.kinds.is_empty() {
        let kinds: Vec<&str> = req.filter.kinds.iter().map(|k| k.as_str()).collect();
        parts.push(format!("natures : {}", kinds.join(", ")));
    }
    if let Some(m) = req.filter.min_half_days {
        parts.push(format!(
            "au moins {m} demi-journées d'ouverture par semaine"
        ));
    }
    if req.filter.hours == maillage_plan::gaps::HoursRule::ExcludeUnknown {
        parts.push("horaires connus seulement".into());
    }
    Err(ApiError::bad_request(format!(
        "filtre : aucun des {} lieux chargés ne correspond ({}) ; toutes les communes seraient non desservies. Corrigez ou retirez le filtre.",
        catalog.venues.len(),
        parts.join(" ; ")
    )))
}

async fn run_analysis(state: &AppState, req: GapRequest, output: Output) -> ApiResult<Response> {
    let snapshot = state.snapshot();
    let (result, ms) = state
        .pool()
        .run(move || {
            let cache = &snapshot.gaps;
            check_filter(cache.catalog(), &req)?;
            let started = Instant::now();
            let resp = cache.analyse(&req);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            Ok::<_, ApiError>((resp.map(|r| gap_body(&r, output)), ms))
        })
        .await??;
    let bytes = result.map_err(gap_error)?.map_err(ApiError::internal)?;
    respond(output, bytes, "manques", ms)
}

/// `POST /api/gaps`: the analysis of a [`GapRequest`] (what-if and matrix included).
pub async fn post_gaps(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiJson(Object(req)): ApiJson<Object<GapRequest>>,
) -> ApiResult<Response> {
    for (k, _) in pairs(raw.as_deref()) {
        if k != "f" {
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!(
                    "paramètre inconnu « {k} » : les paramètres de l'analyse vont dans le corps JSON ; seul f (json, geojson, csv) est accepté dans l'adresse"
                ),
            ));
        }
    }
    let output = Output::negotiate(raw.as_deref(), &headers)?;
    run_analysis(&s, req, output).await
}

/// `GET /api/gaps`: the analysis from query parameters ([`QUERY_PARAMETERS`]).
pub async fn get_gaps(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let req = request_from_query(raw.as_deref())?;
    let output = Output::negotiate(raw.as_deref(), &headers)?;
    run_analysis(&s, req, output).await
}

fn number(name: &str, v: &str) -> ApiResult<f64> {
    v.trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| ApiError::bad_request(format!("{name}={v} : un nombre est attendu")))
}

fn list(v: &str, sep: char) -> Vec<String> {
    v.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Builds a [`GapRequest`] from the query string of `GET /api/gaps`.
pub fn request_from_query(raw: Option<&str>) -> ApiResult<GapRequest> {
    let params = pairs(raw);
    let mut req = GapRequest::default();
    let mut seen: Vec<&str> = Vec::new();
    let (mut model, mut axis, mut scale) = (None, None, None);
    for (k, v) in &params {
        if seen.contains(&k.as_str()) {
            return Err(ApiError::bad_request_code(
                "InvalidParameter",
                format!("paramètre « {k} » donné plusieurs fois"),
            ));
        }
        seen.push(k);
        match k.as_str() {
            "departement" => req.territory.departements = list(v, ','),
            "epci" => req.territory.epcis = list(v, ','),
            "commune" => req.territory.communes = list(v, ','),
            "threshold" => req.threshold_minutes = number(k, v)?,
            "speed_kmh" => req.speed_kmh = number(k, v)?,
            "detour_factor" => req.detour_factor = number(k, v)?,
            "services" => req.filter.services = list(v, '|'),
            "typologies" => req.filter.typologies = list(v, '|'),
            "publics" => req.filter.publics = list(v, '|'),
            "fixed_only" => {
                req.filter.fixed_only = match v.trim() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "fixed_only={v} : true ou false attendu"
                        )));
                    }
                }
            }
            "kinds" => {
                req.filter.kinds = super::commune::parse_kinds(v).map_err(ApiError::bad_request)?;
            }
            "ifn_model" => model = Some(v.parse::<IfnModel>().map_err(gap_error)?),
            "ifn_axis" => axis = Some(v.trim().to_string()),
            "ifn_scale" => scale = Some(v.parse::<IfnScale>().map_err(gap_error)?),
            "f" => {}
            _ => {
                return Err(ApiError::bad_request_code(
                    "InvalidParameter",
                    format!(
                        "paramètre inconnu « {k} » ; paramètres acceptés : {}",
                        QUERY_PARAMETERS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    if model.is_some() || axis.is_some() || scale.is_some() {
        req.ifn = IfnChoice {
            model: model.unwrap_or(IfnModel::Ifn2023),
            scale,
            axis,
        };
    }
    Ok(req)
}

/// OpenAPI 3.0 path items of `/api/gaps`, for the API document.
pub fn openapi_paths() -> Value {
    let formats = json!({
        "application/json": { "schema": { "type": "object" } },
        "application/geo+json": { "schema": { "type": "object" } },
        "text/csv": { "schema": { "type": "string" } },
    });
    let error = json!({ "description": "Requête invalide (message en français)",
        "content": { "application/json": { "schema": { "type": "object",
            "properties": { "code": { "type": "string" }, "description": { "type": "string" }, "status": { "type": "integer" } } } } } });
    let params: Vec<Value> = QUERY_PARAMETERS
        .iter()
        .map(|(name, description)| {
            let schema = if *name == "f" {
                json!({ "type": "string", "enum": ["json", "geojson", "csv"] })
            } else {
                json!({ "type": "string" })
            };
            json!({ "name": name, "in": "query", "required": false,
                "description": description, "schema": schema })
        })
        .collect();
    json!({
        "/api/gaps": {
            "get": {
                "summary": "Communes non desservies (paramètres dans l'adresse)",
                "description": "Analyse des manques : pour chaque commune, lieu le plus proche, temps estimé (distance × détour / vitesse), desservie si temps ≤ seuil, priorité = population × IFN normalisé ; indicateurs par EPCI, département et sélection.",
                "operationId": "getGaps",
                "parameters": params,
                "responses": { "200": { "description": "Résultat", "content": formats }, "400": error },
            },
            "post": {
                "summary": "Communes non desservies, avec hypothèses (what-if) et matrice de temps",
                "description": format!("Corps : territory {{departements, epcis, communes}}, filter {{services, typologies, publics, fixed_only}}, threshold_minutes (20), speed_kmh (50), detour_factor (1,3), ifn {{model, scale, axis}}, matrix, added [{{lonlat}} | {{town_hall}}], removed. Corps limité à {} Mio. f=json|geojson|csv.", MAX_BODY_BYTES / (1024 * 1024)),
                "operationId": "postGaps",
                "parameters": [{ "name": "f", "in": "query", "required": false, "schema": { "type": "string", "enum": ["json", "geojson", "csv"] } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": request_schema() } } },
                "responses": { "200": { "description": "Résultat", "content": formats }, "400": error, "413": error },
            },
        }
    })
}

/// JSON Schema (OpenAPI 3.0 flavour) of the [`GapRequest`] body: every field optional,
/// unknown keys refused. Value ranges are checked by the server, with French messages.
/// Nested objects carry no `type`: serde also reads them from arrays, and the schema
/// must not promise a refusal the server does not make.
pub fn request_schema() -> Value {
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let number = |d: &str| json!({ "type": "number", "description": d });
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "territory": { "additionalProperties": false,
                "description": "Communes analysées (union ; tout vide : toutes)",
                "properties": { "departements": strings, "epcis": strings, "communes": strings } },
            "filter": { "additionalProperties": false,
                "description": "Lieux pris en compte (vide : tous)",
                "properties": { "services": strings, "typologies": strings, "publics": strings,
                    "fixed_only": { "type": "boolean" } } },
            "threshold_minutes": number("Seuil de desserte en minutes (défaut 20, > 0 et ≤ 600)"),
            "speed_kmh": number("Vitesse moyenne (défaut 50, entre 5 et 130)"),
            "detour_factor": number("Coefficient de détour (défaut 1,3, entre 1 et 3)"),
            "ifn": { "additionalProperties": false, "required": ["model"],
                "properties": {
                    "model": { "type": "string", "description": "ifn2023 (défaut) ou ifn2020" },
                    "scale": { "type": "string", "nullable": true, "description": "IFN 2020 : departement, region ou epci" },
                    "axis": { "type": "string", "nullable": true } } },
            "matrix": {
                "description": "Temps mesurés : communes × venues → minutes (null : inconnu), et/ou entries [{commune, venue, minutes}]" },
            "added": { "type": "array", "description": "Lieux hypothétiques",
                "items": { "additionalProperties": false, "properties": {
                    "lonlat": { "type": "array", "nullable": true, "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
                    "town_hall": { "type": "string", "nullable": true },
                    "label": { "type": "string", "nullable": true } } } },
            "removed": { "type": "array", "description": "Lieux existants retirés (identifiant source ou numéro)",
                "items": { "oneOf": [ { "type": "string" }, { "type": "integer", "minimum": 0 } ] } },
        }
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use axum::http::header::ACCEPT;
    use maillage_plan::gaps::GapRow;

    use super::*;

    #[test]
    fn query_parameters_become_a_gap_request() {
        let req = request_from_query(Some(
            "departement=81,48&threshold=15&services=A%7CB&fixed_only=true&ifn_model=ifn2020&ifn_axis=acces_information",
        ))
        .unwrap();
        assert_eq!(req.territory.departements, vec!["81", "48"]);
        assert_eq!(req.threshold_minutes, 15.0);
        assert_eq!(req.filter.services, vec!["A", "B"]);
        assert!(req.filter.fixed_only);
        assert_eq!(req.ifn.model, IfnModel::Ifn2020);
        assert_eq!(req.ifn.axis.as_deref(), Some("acces_information"));
    }

    #[test]
    fn unknown_or_repeated_query_parameters_are_refused_in_french() {
        let e = request_from_query(Some("seuil=20")).unwrap_err();
        assert_eq!(e.status().as_u16(), 400);
        assert!(e.message().contains("paramètre inconnu « seuil »"), "{e}");
        let e = request_from_query(Some("threshold=20&threshold=30")).unwrap_err();
        assert!(e.message().contains("plusieurs fois"), "{e}");
        let e = request_from_query(Some("threshold=vingt")).unwrap_err();
        assert!(e.message().contains("un nombre est attendu"), "{e}");
        let e = request_from_query(Some("ifn_model=ifn2099")).unwrap_err();
        assert!(e.message().contains("ifn2099"), "{e}");
    }

    /// Hand-made catalog: two communes of the Tarn with town halls, one without, no venue.
    fn tiny_catalog() -> Catalog {
        use maillage_core::geo::MultiPolygon;
        use maillage_core::{Commune, Fragility, Ifn2023, TownHall};
        let r = default_reprojector();
        let commune = |code: &str, lon: Option<f64>, total: f64| Commune {
            code: code.parse().unwrap(),
            name: format!("Commune {code}"),
            population: 100,
            postal_codes: vec!["81000".into()],
            departement: "81".parse().unwrap(),
            epci: None,
            boundary: MultiPolygon::new(Vec::new()),
            boundary_source: "fixture".into(),
            town_hall: lon.map(|lon| TownHall {
                position: position(&*r, lon, 43.9).unwrap(),
                address: String::new(),
                opening_hours: Vec::new(),
                accessibility: String::new(),
                accessibility_details: String::new(),
                email: String::new(),
                phone: String::new(),
                website: String::new(),
                location_check: Default::default(),
                outside_by_m: None,
            }),
            fragility: Fragility {
                ifn2020: None,
                ifn2023: Some(Ifn2023 {
                    total: Some(total),
                    ..Default::default()
                }),
            },
            population_year: None,
        };
        Catalog::new(
            vec![
                commune("81004", Some(2.15), 6.0),
                commune("81065", Some(2.24), 7.5),
                commune("81099", None, 5.0),
            ],
            Vec::new(),
            Default::default(),
            Default::default(),
            Vec::new(),
        )
    }

    use maillage_ingest::reproject::{default_reprojector, position};

    #[test]
    fn the_streamed_geojson_is_the_plan_crate_document() {
        let catalog = tiny_catalog();
        let mut req = GapRequest::default();
        req.added
            .push(maillage_plan::gaps::AddedVenue::town_hall("81004"));
        let resp =
            maillage_plan::gaps::analyse(&catalog, &req, default_reprojector().into()).unwrap();
        let streamed: Value = serde_json::from_slice(&resp.geojson_bytes().unwrap()).unwrap();
        assert_eq!(streamed, resp.to_geojson());
        assert_eq!(streamed["features"].as_array().unwrap().len(), 3);
        let csv = String::from_utf8(resp.csv_bytes().unwrap()).unwrap();
        assert_eq!(csv.lines().count(), 4);
        assert_eq!(csv.lines().next().unwrap(), GapRow::FIELDS.join(","));
    }

    #[test]
    fn a_filter_that_no_venue_passes_is_refused_with_the_values_named() {
        let catalog = tiny_catalog();
        let mut req = GapRequest::default();
        assert!(check_filter(&catalog, &req).is_ok());
        req.filter.services = vec!["Aide aux démarches administratives".into()];
        let e = check_filter(&catalog, &req).unwrap_err();
        assert_eq!(e.status().as_u16(), 400);
        assert!(e.message().contains("aucun des 0 lieux"), "{e}");
        assert!(
            e.message().contains("Aide aux démarches administratives"),
            "{e}"
        );
    }

    #[test]
    fn the_format_comes_from_f_then_from_accept() {
        let mut h = HeaderMap::new();
        assert_eq!(Output::negotiate(None, &h).unwrap(), Output::Json);
        h.insert(
            ACCEPT,
            HeaderValue::from_static("application/geo+json, application/json;q=0.5"),
        );
        assert_eq!(Output::negotiate(None, &h).unwrap(), Output::GeoJson);
        assert_eq!(Output::negotiate(Some("f=csv"), &h).unwrap(), Output::Csv);
        assert!(Output::negotiate(Some("f=xml"), &h).is_err());
    }
}
