//! The site and tour plans as flat rows (`SiteRow`, `TourRow`, beside
//! [`crate::gaps::GapRow`]) and their GeoJSON and CSV documents.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::sites::{SiteRequest, SiteResponse};
use crate::tours::{TourRequest, TourResponse};

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
    let stops: HashMap<&str, &crate::tours::TourStopInput> =
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
