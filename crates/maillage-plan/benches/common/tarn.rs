//! The Tarn real case, built from the shared data as a stand-in until the catalog
//! loader serves town halls: commune centroids (mean of the outer-ring vertices of
//! `communes/complete-cog2026/communes_81.geojson`) stand for town halls, "unserved"
//! means no venue declaring that `code_insee` in the venue CSVs, and the weight is
//! population × IFN 2023 total (`ifn/ifn-2023-communes.csv`).

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use maillage_plan::tours::{TourPlace, TourRequest, TourStopInput};

/// The shared data directory: `MAILLAGE_DATA_DIR`, else `../../../shared/data` from the crate.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    dir.join("communes/complete-cog2026/communes_81.geojson")
        .exists()
        .then_some(dir)
}

/// A Tarn commune: code, name, centroid, population.
pub struct TarnCommune {
    pub code: String,
    pub name: String,
    pub lonlat: [f64; 2],
    pub population: f64,
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Every Tarn commune of the complete COG 2026 layer.
pub fn communes(dir: &std::path::Path) -> Vec<TarnCommune> {
    let text = std::fs::read_to_string(dir.join("communes/complete-cog2026/communes_81.geojson"))
        .expect("communes_81.geojson lisible");
    let fc: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON valide");
    let mut out = Vec::new();
    for f in fc["features"].as_array().into_iter().flatten() {
        let p = &f["properties"];
        let g = &f["geometry"];
        let ring = match g["type"].as_str() {
            Some("Polygon") => &g["coordinates"][0],
            Some("MultiPolygon") => &g["coordinates"][0][0],
            _ => continue,
        };
        let pts: Vec<[f64; 2]> = ring
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some([c[0].as_f64()?, c[1].as_f64()?]))
            .collect();
        if pts.is_empty() {
            continue;
        }
        let k = pts.len() as f64;
        out.push(TarnCommune {
            code: p["code_insee"].as_str().unwrap_or_default().to_string(),
            name: p["nom"].as_str().unwrap_or_default().to_string(),
            lonlat: [
                pts.iter().map(|p| p[0]).sum::<f64>() / k,
                pts.iter().map(|p| p[1]).sum::<f64>() / k,
            ],
            population: p["population"].as_f64().unwrap_or(0.0),
        });
    }
    out
}

/// Codes of communes declared by at least one venue in the venue CSVs.
pub fn served_codes(dir: &std::path::Path) -> HashSet<String> {
    let mut codes = HashSet::new();
    let Ok(entries) = std::fs::read_dir(dir.join("venues")) else {
        return codes;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("csv") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut lines = text.lines();
        let Some(header) = lines.next() else { continue };
        let Some(col) = split_csv(header).iter().position(|h| h == "code_insee") else {
            continue;
        };
        for line in lines {
            if let Some(c) = split_csv(line).get(col) {
                codes.insert(c.trim().to_string());
            }
        }
    }
    codes
}

/// IFN 2023 total per commune code.
pub fn ifn2023(dir: &std::path::Path) -> HashMap<String, f64> {
    let text = std::fs::read_to_string(dir.join("ifn/ifn-2023-communes.csv")).unwrap_or_default();
    let mut lines = text.lines();
    let header = lines.next().map(split_csv).unwrap_or_default();
    let (Some(code), Some(total)) = (
        header.iter().position(|h| h == "code"),
        header.iter().position(|h| h == "total"),
    ) else {
        return HashMap::new();
    };
    lines
        .filter_map(|l| {
            let f = split_csv(l);
            Some((f.get(code)?.clone(), f.get(total)?.parse().ok()?))
        })
        .collect()
}

/// The real case: unserved Tarn communes as stops, 10 days from Albi,
/// 7-hour days, 2-hour permanences. Returns the request and the number of unserved
/// communes left out for lack of an IFN 2023 value.
pub fn tarn_request(dir: &std::path::Path) -> (TourRequest, usize) {
    let communes = communes(dir);
    let served = served_codes(dir);
    let ifn = ifn2023(dir);
    let albi = communes
        .iter()
        .find(|c| c.code == "81004")
        .expect("Albi (81004) présente");
    let mut stops = Vec::new();
    let mut no_ifn = 0;
    for c in &communes {
        if c.code == "81004" || served.contains(&c.code) {
            continue;
        }
        let Some(i) = ifn.get(&c.code) else {
            no_ifn += 1;
            continue;
        };
        stops.push(TourStopInput {
            id: format!("{} {}", c.code, c.name),
            lon: Some(c.lonlat[0]),
            lat: Some(c.lonlat[1]),
            weight: Some(c.population * i),
            service_minutes: 120.0,
            ..TourStopInput::default()
        });
    }
    let req = TourRequest {
        base: TourPlace {
            id: Some("81004 Albi".into()),
            lon: Some(albi.lonlat[0]),
            lat: Some(albi.lonlat[1]),
            ..TourPlace::default()
        },
        stops,
        days: Some(10),
        weeks: None,
        working_days: vec![0, 1, 2, 3, 4],
        period_weeks: None,
        day_minutes: Some(420.0),
        day_start_minutes: 480.0,
        speed_kmh: 50.0,
        detour_factor: 1.3,
        matrix: None,
        must_visit_all: false,
        seed: 1,
        time_limit_ms: Some(2_000),
    };
    (req, no_ifn)
}
