//! The hand-made catalog of the snapshot tests (invented communes and venues near Albi,
//! not real data) and the in-process client: `app(AppState::new(…))` driven by
//! `tower::ServiceExt::oneshot`, answers normalised for snapshots (every float rounded
//! to 1e-6, solve times replaced by a placeholder).
//!
//! Communes are squares of 0.1° centred on their town hall:
//!
//! | code  | name  | centre       | pop   | EPCI      | IFN 2023 | note                       |
//! |-------|-------|--------------|-------|-----------|----------|----------------------------|
//! | 81001 | Alpha | 2.00, 43.90  | 1 000 | 200000001 | 8        | venue V2 inside            |
//! | 81002 | Beta  | 2.10, 43.90  | 3 000 | 200000001 | 5        | venue V1 at the town hall  |
//! | 81003 | Gamma | 2.40, 43.90  | 200   | 200000002 | 9        | 24 km from any venue       |
//! | 82001 | Eta   | 1.90, 43.90  | 400   | 200000003 | —        | Tarn-et-Garonne, no IFN    |
//!
//! Venues: V1 `snap-v1` at Beta's town hall, V2 `snap-v2` at (2.01, 43.91) in Alpha,
//! V3 `snap-v3` at (2.30, 44.05), in no commune.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use maillage_core::geo::{LineString, MultiPolygon, Polygon};
use maillage_core::{
    Catalog, Commune, Departement, Epci, Fragility, Ifn2023, LayerInfo, LayerStatus, Placement,
    Position, TownHall, Venue, VenueId, VenueRecord, VenueSource,
};
use maillage_ingest::load::ImportReport;
use maillage_ingest::reproject::{default_reprojector, position};
use maillage_server::{AppState, app};
use serde_json::Value;
use tower::ServiceExt;

fn pos(lon: f64, lat: f64) -> Position {
    position(&*default_reprojector(), lon, lat).expect("hand-made point in France")
}

fn square(lon: f64, lat: f64) -> MultiPolygon<f64> {
    let h = 0.05;
    let ring = LineString::from(vec![
        (lon - h, lat - h),
        (lon + h, lat - h),
        (lon + h, lat + h),
        (lon - h, lat + h),
        (lon - h, lat - h),
    ]);
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

fn commune(
    code: &str,
    name: &str,
    (lon, lat): (f64, f64),
    population: u32,
    epci: &str,
    ifn: Option<f64>,
) -> Commune {
    Commune {
        code: code.parse().unwrap(),
        name: name.into(),
        population,
        postal_codes: vec![format!("{}000", &code[..2])],
        departement: code[..2].parse().unwrap(),
        epci: Some(epci.parse().unwrap()),
        boundary: square(lon, lat),
        boundary_source: "fixture".into(),
        population_year: Some(2023),
        town_hall: Some(TownHall {
            position: pos(lon, lat),
            address: format!("Place de la mairie, {name}"),
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
            ifn2023: ifn.map(|total| Ifn2023 {
                total: Some(total),
                ..Ifn2023::default()
            }),
        },
    }
}

fn venue(id: &str, nom: &str, (lon, lat): (f64, f64), services: &[&str]) -> Venue {
    Venue {
        id: VenueId(0),
        record: VenueRecord {
            id: id.into(),
            nom: nom.into(),
            services: services.iter().map(|s| s.to_string()).collect(),
            date_maj: "2023-07-06".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            ..VenueRecord::default()
        },
        position: pos(lon, lat),
        placement: Placement::Exact,
        commune: None,
        sources: vec![VenueSource::new("fixture.csv", 2, id)],
        location_flags: Vec::new(),
        declared_commune: None,
        location_note: String::new(),
    }
}

fn layer(id: &str, title: &str, count: usize) -> LayerInfo {
    LayerInfo {
        id: id.into(),
        title: title.into(),
        source: "fixture".into(),
        licence: "test".into(),
        date: "2024".into(),
        status: LayerStatus::Loaded { count },
    }
}

/// The hand-made catalog described at the top of this file.
pub fn catalog() -> Catalog {
    let communes = vec![
        commune(
            "81001",
            "Alpha",
            (2.00, 43.90),
            1_000,
            "200000001",
            Some(8.0),
        ),
        commune(
            "81002",
            "Beta",
            (2.10, 43.90),
            3_000,
            "200000001",
            Some(5.0),
        ),
        commune("81003", "Gamma", (2.40, 43.90), 200, "200000002", Some(9.0)),
        commune("82001", "Eta", (1.90, 43.90), 400, "200000003", None),
    ];
    let venues = vec![
        venue(
            "snap-v1",
            "Médiathèque de Beta",
            (2.10, 43.90),
            &["Aide aux démarches administratives"],
        ),
        venue(
            "snap-v2",
            "France services d'Alpha",
            (2.01, 43.91),
            &["Prendre en main un smartphone ou une tablette"],
        ),
        venue("snap-v3", "Bus numérique", (2.30, 44.05), &[]),
    ];
    let epcis: BTreeMap<_, _> = [
        ("200000001", "CC Alpha-Beta"),
        ("200000002", "CC Gamma"),
        ("200000003", "CC Eta"),
    ]
    .into_iter()
    .map(|(siren, name)| {
        (
            siren.parse().unwrap(),
            Epci {
                siren: siren.parse().unwrap(),
                name: name.into(),
                kind: "CC".into(),
            },
        )
    })
    .collect();
    let deps: BTreeMap<_, _> = [("81", "Tarn"), ("82", "Tarn-et-Garonne")]
        .into_iter()
        .map(|(code, name)| {
            (
                code.parse().unwrap(),
                Departement {
                    code: code.parse().unwrap(),
                    name: name.into(),
                },
            )
        })
        .collect();
    let layers = vec![
        layer("communes", "Communes", 4),
        layer("venues", "Lieux", 3),
        layer("ifn-2023", "Indice de fragilité numérique 2023", 3),
    ];
    Catalog::new(communes, venues, epcis, deps, layers)
}

/// The state of the app on the hand-made catalog.
pub fn state() -> AppState {
    AppState::new(catalog(), ImportReport::default(), None)
}

/// One answer: status, content type, body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    /// Status, content type and the body parsed and normalised, for a JSON snapshot.
    pub fn json(&self) -> Value {
        let body: Value = serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", self.body);
        });
        serde_json::json!({
            "status": self.status,
            "content_type": self.content_type,
            "body": normalise(body),
        })
    }

    /// Status, content type and the body with its decimals rounded, for a text snapshot.
    pub fn text(&self) -> String {
        format!(
            "{} {}\n{}",
            self.status,
            self.content_type,
            round_decimals(&self.body)
        )
    }
}

/// Sends one request to the app, in process.
pub async fn call(state: &AppState, method: &str, uri: &str, body: Option<&Value>) -> Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "test.local");
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let res = app(state.clone())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).expect("a UTF-8 body"),
    }
}

/// Keys whose values depend on the machine, not on the request.
const VOLATILE: [&str; 2] = ["elapsed_ms", "timeStamp"];

/// Every float rounded to 1e-6, volatile values replaced by a placeholder.
pub fn normalise(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = (n.as_f64().unwrap() * 1e6).round() / 1e6;
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(normalise).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    if VOLATILE.contains(&k.as_str()) {
                        (k, Value::String("[volatile]".into()))
                    } else {
                        (k, normalise(v))
                    }
                })
                .collect(),
        ),
        other => other,
    }
}

/// Decimal numbers of a text (CSV) rounded to 1e-6.
pub fn round_decimals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        // A number starts at a digit that does not follow a letter or another digit.
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(from.len());
        let token = &from[..end];
        let glued = before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        match token.split_once('.') {
            Some((_, decimals)) if !glued && decimals.len() > 6 => {
                let x: f64 = token.parse().unwrap_or(f64::NAN);
                let r = format!("{:.6}", x);
                out.push_str(r.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => out.push_str(token),
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}
