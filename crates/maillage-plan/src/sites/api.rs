//! `POST /api/plan/sites`: request and response bodies, validation, and the pure solve.
//!
//! Limits (refused with a French message beyond them): at most [`MAX_DEMAND`] demand
//! points, [`MAX_CANDIDATES`] candidates and existing sites, [`MAX_CELLS`] cells in the
//! demand × (candidates + existing) matrix, a time limit of at most
//! [`MAX_TIME_LIMIT_MS`] ms (default [`DEFAULT_TIME_LIMIT_MS`]).

use std::collections::HashSet;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::solver::{SiteObjective, SiteOptions, SiteProblem, solve_sites};
pub use crate::request::{DEFAULT_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS};
use crate::request::{
    Limit, RequestError, SolverInfo, check_matrix_row, check_speed, check_weight, default_detour,
    default_seed, invalid, lonlat, position_required, solve_time_limit,
};
use crate::tours::haversine_km;

/// Most demand points in one request.
pub const MAX_DEMAND: usize = 20_000;
/// Most candidates plus existing sites in one request.
pub const MAX_CANDIDATES: usize = 5_000;
/// Most cells of the cost matrix.
pub const MAX_CELLS: usize = 5_000_000;

/// A demand point, candidate or existing site: lon/lat, or a commune code resolved by
/// [`super::resolve_site_request`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePoint {
    /// Identifier (default for a commune: its code).
    #[serde(default)]
    pub id: String,
    /// Longitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Latitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// INSEE code of a commune (its town hall; demand weight population × IFN 2023).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Demand weight (default 1; for a commune: population × IFN 2023).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// The objective, as written in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteObjectiveName {
    /// Minimise Σ weight × cost to the nearest open site.
    Median,
    /// Maximise the weight within `radius`.
    Coverage,
}

/// Body of `POST /api/plan/sites`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRequest {
    /// Demand points.
    pub demand: Vec<SitePoint>,
    /// Candidate sites (with the catalog, default: town halls of unserved communes).
    #[serde(default)]
    pub candidates: Vec<SitePoint>,
    /// Open venues, counted as already serving.
    #[serde(default)]
    pub existing: Vec<SitePoint>,
    /// Number of sites to open.
    pub p: usize,
    /// `median` or `coverage`.
    pub objective: SiteObjectiveName,
    /// Coverage radius, in the cost unit (required for `coverage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius: Option<f64>,
    /// `matrix[i][j]`: cost from demand `i` to candidate `j`, then to existing site
    /// `j - candidates.len()`, in the order given. When present, no distance is computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<Vec<f64>>>,
    /// Without a matrix: road distance / straight-line distance (default 1.3).
    #[serde(default = "default_detour")]
    pub detour_factor: f64,
    /// Without a matrix: costs in minutes at this speed; absent: costs in km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// Solve time limit, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_ms: Option<u64>,
    /// Seed of the search.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

/// A site request that cannot be answered.
pub type SiteError = RequestError;

/// Answer of `POST /api/plan/sites`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResponse {
    /// Chosen candidate ids, in order of choice.
    pub sites: Vec<String>,
    /// Σ weight × cost (median) or covered weight, existing sites included (coverage).
    pub objective_value: f64,
    /// Cost unit: `km`, `min` or `matrice`.
    pub unit: String,
    /// Serving site of each demand point, in request order.
    pub assignment: Vec<SiteAssignment>,
    /// Coverage: weight covered by each chosen site (demand counted once, by its nearest
    /// open site), and by the existing sites together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_weight: Option<CoveredWeight>,
    /// How the search went.
    pub solver: SiteSolverInfo,
}

/// The site serving a demand point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteAssignment {
    /// Demand id.
    pub demand: String,
    /// Serving site id (chosen or existing); `None` when uncovered (coverage).
    pub site: Option<String>,
    /// True when the serving site is an existing one.
    pub existing: bool,
    /// Cost to it.
    pub cost: Option<f64>,
}

/// Covered weight per site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoveredWeight {
    /// Per chosen site, in the order of `sites`.
    pub per_site: Vec<f64>,
    /// By the existing sites.
    pub existing: f64,
    /// Not covered.
    pub uncovered: f64,
}

/// How the site search went.
pub type SiteSolverInfo = SolverInfo;

fn check_points(
    list: &[SitePoint],
    what: &str,
    need_pos: bool,
) -> Result<Vec<Option<[f64; 2]>>, SiteError> {
    let mut ids = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (k, p) in list.iter().enumerate() {
        let name = if p.id.is_empty() {
            format!("{what}[{k}]")
        } else {
            format!("{what} « {} »", p.id)
        };
        if !p.id.is_empty() && !ids.insert(p.id.as_str()) {
            return Err(invalid(format!("{what} : id « {} » en double", p.id)));
        }
        let pos = lonlat(p.lon, p.lat, &name)?;
        if need_pos && pos.is_none() {
            return Err(position_required(&name));
        }
        if let Some(w) = p.weight {
            check_weight(&name, w)?;
        }
        out.push(pos);
    }
    Ok(out)
}

fn label(p: &SitePoint, k: usize) -> String {
    if p.id.is_empty() {
        k.to_string()
    } else {
        p.id.clone()
    }
}

/// Validates the request and solves it. Points must already be resolved (lon/lat or a
/// matrix; commune codes are resolved by [`super::resolve_site_request`]).
pub fn solve_site_request(req: &SiteRequest) -> Result<SiteResponse, SiteError> {
    let started = Instant::now();
    if req.demand.is_empty() {
        return Err(invalid("demand : la liste des points de demande est vide"));
    }
    if req.candidates.is_empty() {
        return Err(invalid(
            "candidates : la liste des sites candidats est vide",
        ));
    }
    if req.demand.len() > MAX_DEMAND {
        return Err(SiteError::TooLarge {
            limit: Limit::DemandPoints,
            count: req.demand.len(),
            max: MAX_DEMAND,
        });
    }
    let cols = req.candidates.len() + req.existing.len();
    if cols > MAX_CANDIDATES {
        return Err(SiteError::TooLarge {
            limit: Limit::Sites,
            count: cols,
            max: MAX_CANDIDATES,
        });
    }
    if req.demand.len() * cols > MAX_CELLS {
        return Err(SiteError::TooLarge {
            limit: Limit::SiteMatrixCells,
            count: req.demand.len() * cols,
            max: MAX_CELLS,
        });
    }
    if req.p == 0 {
        return Err(invalid("p doit valoir au moins 1"));
    }
    if req.p > req.candidates.len() {
        return Err(invalid(format!(
            "p = {} dépasse le nombre de candidats ({})",
            req.p,
            req.candidates.len()
        )));
    }
    let time_limit = solve_time_limit(req.time_limit_ms)?;
    let objective = match (req.objective, req.radius) {
        (SiteObjectiveName::Median, _) => SiteObjective::Median,
        (SiteObjectiveName::Coverage, Some(r)) if r.is_finite() && r >= 0.0 => {
            SiteObjective::Coverage { radius: r }
        }
        (SiteObjectiveName::Coverage, Some(r)) => {
            return Err(invalid(format!("radius = {r} : attendu un nombre ≥ 0")));
        }
        (SiteObjectiveName::Coverage, None) => {
            return Err(invalid("objective « coverage » : radius est requis"));
        }
    };
    let need_pos = req.matrix.is_none();
    let dpos = check_points(&req.demand, "demand", need_pos)?;
    let cpos = check_points(&req.candidates, "candidates", need_pos)?;
    let epos = check_points(&req.existing, "existing", need_pos)?;
    let (cost, unit) = match &req.matrix {
        Some(rows) => {
            if rows.len() != req.demand.len() {
                return Err(invalid(format!(
                    "matrix : {} lignes pour {} points de demande (une ligne par point de demande)",
                    rows.len(),
                    req.demand.len()
                )));
            }
            let mut cost = Vec::with_capacity(rows.len() * cols);
            for (i, r) in rows.iter().enumerate() {
                if r.len() != cols {
                    return Err(invalid(format!(
                        "matrix : la ligne {i} a {} colonnes ; attendu {cols} (candidats puis sites existants)",
                        r.len()
                    )));
                }
                check_matrix_row(i, r, "les coûts")?;
                cost.extend_from_slice(r);
            }
            (cost, "matrice")
        }
        None => {
            if !req.detour_factor.is_finite() || req.detour_factor < 1.0 {
                return Err(invalid(format!(
                    "detour_factor = {} : attendu un facteur ≥ 1",
                    req.detour_factor
                )));
            }
            let per_km = match req.speed_kmh {
                Some(s) => {
                    check_speed(s)?;
                    60.0 / s
                }
                None => 1.0,
            };
            let sites: Vec<[f64; 2]> = cpos
                .iter()
                .chain(&epos)
                .map(|p| p.unwrap_or_default())
                .collect();
            let mut cost = Vec::with_capacity(req.demand.len() * cols);
            for d in &dpos {
                let d = d.unwrap_or_default();
                for s in &sites {
                    cost.push(haversine_km(d, *s) * req.detour_factor * per_km);
                }
            }
            (cost, if req.speed_kmh.is_some() { "min" } else { "km" })
        }
    };
    let weights: Vec<f64> = req.demand.iter().map(|d| d.weight.unwrap_or(1.0)).collect();
    let problem = SiteProblem {
        weights: &weights,
        cost: &cost,
        candidates: req.candidates.len(),
        existing: req.existing.len(),
        p: req.p,
        objective,
    };
    let sol = solve_sites(
        &problem,
        &SiteOptions {
            seed: req.seed,
            time_limit,
            max_iterations: None,
        },
    );
    let ncand = req.candidates.len();
    let site_label = |j: usize| {
        if j < ncand {
            label(&req.candidates[j], j)
        } else {
            label(&req.existing[j - ncand], j - ncand)
        }
    };
    let assignment = sol
        .assignment
        .iter()
        .enumerate()
        .map(|(i, a)| SiteAssignment {
            demand: label(&req.demand[i], i),
            site: a.map(site_label),
            existing: a.is_some_and(|j| j >= ncand),
            cost: a.map(|j| cost[i * cols + j]),
        })
        .collect();
    let covered_weight = matches!(objective, SiteObjective::Coverage { .. }).then(|| {
        let mut per_site = vec![0.0; sol.open.len()];
        let (mut existing, mut uncovered) = (0.0, 0.0);
        for (i, a) in sol.assignment.iter().enumerate() {
            match a {
                Some(j) if *j >= ncand => existing += weights[i],
                Some(j) => {
                    if let Some(k) = sol.open.iter().position(|o| o == j) {
                        per_site[k] += weights[i];
                    }
                }
                None => uncovered += weights[i],
            }
        }
        CoveredWeight {
            per_site,
            existing,
            uncovered,
        }
    });
    Ok(SiteResponse {
        sites: sol.open.iter().map(|&j| site_label(j)).collect(),
        objective_value: sol.value,
        unit: unit.to_string(),
        assignment,
        covered_weight,
        solver: SolverInfo {
            iterations: sol.iterations,
            stopped_by_time: sol.stopped_by_time,
            elapsed_ms: started.elapsed().as_millis() as u64,
            seed: req.seed,
        },
    })
}
