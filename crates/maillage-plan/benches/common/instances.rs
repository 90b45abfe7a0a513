//! Readers for the published benchmark instances fetched by `data/instances/fetch.sh`
//! into `data/cache/instances/` (override with `MAILLAGE_INSTANCE_CACHE`).

#![allow(dead_code)]

use std::path::PathBuf;

use maillage_plan::tours::CostMatrix;

/// A TSPLIB instance with its proven optimum.
pub struct TsplibInstance {
    pub name: String,
    pub matrix: CostMatrix,
    pub optimum: f64,
}

/// Where the fetch script puts the instances.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("MAILLAGE_INSTANCE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../data/cache/instances")
        })
}

/// Directory of the hand-kept optimum tables (`data/instances/`).
pub fn tables_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("../../data/instances")
}

/// Every TSPLIB instance listed in `tsplib_optima.csv` with at most `max_n` points,
/// or an error telling to run the fetch script.
pub fn tsplib(max_n: usize) -> Result<Vec<TsplibInstance>, String> {
    let table = std::fs::read_to_string(tables_dir().join("tsplib_optima.csv"))
        .map_err(|e| format!("tsplib_optima.csv illisible : {e}"))?;
    let mut out = Vec::new();
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 3 {
            continue;
        }
        let n: usize = f[1].parse().map_err(|_| format!("n invalide : {line}"))?;
        if n > max_n {
            continue;
        }
        let optimum: f64 = f[2]
            .parse()
            .map_err(|_| format!("optimum invalide : {line}"))?;
        let path = cache_dir().join("tsplib").join(format!("{}.tsp", f[0]));
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{} introuvable ({e}) : lancez data/instances/fetch.sh",
                path.display()
            )
        })?;
        let matrix = parse_tsplib(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push(TsplibInstance {
            name: f[0].to_string(),
            matrix,
            optimum,
        });
    }
    Ok(out)
}

/// Parses a TSPLIB `NODE_COORD_SECTION` file with EUC_2D, CEIL_2D, ATT or GEO weights.
pub fn parse_tsplib(text: &str) -> Result<CostMatrix, String> {
    let mut kind = String::new();
    let mut dim = 0usize;
    let mut coords: Vec<(f64, f64)> = Vec::new();
    let mut in_coords = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line == "EOF" {
            continue;
        }
        if in_coords {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() >= 3 {
                let x: f64 = f[1].parse().map_err(|_| format!("x invalide : {line}"))?;
                let y: f64 = f[2].parse().map_err(|_| format!("y invalide : {line}"))?;
                coords.push((x, y));
                continue;
            }
            in_coords = false;
        }
        if let Some((key, value)) = line.split_once(':') {
            match key.trim() {
                "EDGE_WEIGHT_TYPE" => kind = value.trim().to_string(),
                "DIMENSION" => dim = value.trim().parse().map_err(|_| "DIMENSION")?,
                _ => {}
            }
        } else if line.starts_with("NODE_COORD_SECTION") {
            in_coords = true;
        }
    }
    if coords.len() != dim {
        return Err(format!("{} coordonnées pour DIMENSION {dim}", coords.len()));
    }
    type Distance = Box<dyn Fn((f64, f64), (f64, f64)) -> f64>;
    let dist: Distance = match kind.as_str() {
        "EUC_2D" => Box::new(|a, b| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().round()),
        "CEIL_2D" => Box::new(|a, b| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().ceil()),
        "ATT" => Box::new(|a, b| {
            let r = (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)) / 10.0).sqrt();
            let t = r.round();
            if t < r { t + 1.0 } else { t }
        }),
        "GEO" => Box::new(|a, b| {
            // TSPLIB's GEO distance is defined with PI = 3.141592.
            #[allow(clippy::approx_constant)]
            let rad = |v: f64| {
                let deg = v.trunc();
                3.141592 * (deg + 5.0 * (v - deg) / 3.0) / 180.0
            };
            let (lat_a, lon_a, lat_b, lon_b) = (rad(a.0), rad(a.1), rad(b.0), rad(b.1));
            let q1 = (lon_a - lon_b).cos();
            let q2 = (lat_a - lat_b).cos();
            let q3 = (lat_a + lat_b).cos();
            (6378.388 * (0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)).acos() + 1.0).trunc()
        }),
        other => return Err(format!("EDGE_WEIGHT_TYPE non géré : {other}")),
    };
    Ok(CostMatrix::from_fn(dim, |i, j| dist(coords[i], coords[j])))
}

/// A site-choice case of `site_optima.csv`: every point is a demand of weight 1 and a
/// candidate, cost = the TSPLIB distance.
pub struct SiteCase {
    pub name: String,
    pub p: usize,
    pub radius: Option<f64>,
    pub optimum: f64,
    pub weights: Vec<f64>,
    pub cost: Vec<f64>,
}

/// Every case of `site_optima.csv`, or an error telling what to run.
pub fn site_cases() -> Result<Vec<SiteCase>, String> {
    let table = std::fs::read_to_string(tables_dir().join("site_optima.csv")).map_err(|e| {
        format!("site_optima.csv illisible ({e}) : lancez data/instances/site_optima.py")
    })?;
    let mut out = Vec::new();
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 {
            continue;
        }
        let path = cache_dir().join("tsplib").join(format!("{}.tsp", f[1]));
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{} introuvable ({e}) : lancez data/instances/fetch.sh",
                path.display()
            )
        })?;
        let m = parse_tsplib(&text)?;
        let n = m.len();
        let mut cost = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                cost.push(m.get(i, j));
            }
        }
        out.push(SiteCase {
            name: f[0].to_string(),
            p: f[3].parse().map_err(|_| format!("p invalide : {line}"))?,
            radius: if f[4] == "coverage" {
                f[5].parse().ok()
            } else {
                None
            },
            optimum: f[6]
                .parse()
                .map_err(|_| format!("optimum invalide : {line}"))?,
            weights: vec![1.0; n],
            cost,
        });
    }
    Ok(out)
}
