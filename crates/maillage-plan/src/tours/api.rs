//! `POST /api/plan/tours`: request and response bodies, validation, and the pure solve.
//!
//! Limits (a request beyond them is refused with a French message, never truncated
//! silently): at most [`MAX_STOPS`] stops, [`MAX_DAYS`] days, a matrix of at most
//! [`MAX_STOPS`] + 1 rows, a time limit of at most [`MAX_TIME_LIMIT_MS`] ms
//! (default [`DEFAULT_TIME_LIMIT_MS`]). Stops that cannot fit in a day (farther than half
//! a day, no opening long enough) are not errors: they come back in `unvisited` with
//! the reason.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use maillage_core::WEEKDAYS;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::matrix::CostMatrix;
use super::plan::{
    PlanDay, PlanOptions, PlanProblem, PlanStop, UnvisitedReason, Window, plan_tours,
};
pub use crate::request::{DEFAULT_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS};
use crate::request::{
    Limit, RequestError, SolverInfo, check_matrix_row, check_speed, check_weight, default_detour,
    default_seed, invalid, lonlat, position_required, solve_time_limit,
};

/// Most stops in one request.
pub const MAX_STOPS: usize = 2_000;
/// Most days in one horizon.
pub const MAX_DAYS: usize = 366;

/// A place: longitude/latitude (WGS84), a row of `matrix`, or a commune code
/// (resolved to its town hall by [`super::resolve_tour_request`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourPlace {
    /// Identifier echoed in the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Longitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Latitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Row of `matrix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// INSEE code of a commune (its town hall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
}

/// A candidate stop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourStopInput {
    /// Identifier, unique in the request.
    pub id: String,
    /// Longitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Latitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Row of `matrix` (default with a matrix: position in `stops` + 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// INSEE code of a commune (its town hall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Priority (default 1; for a commune: population × IFN 2023).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Minutes spent at the stop (default 0).
    #[serde(default)]
    pub service_minutes: f64,
    /// Opening windows per weekday (`lundi` … `dimanche`), each `[open, close]` in
    /// minutes after midnight. Absent: always open; a listed weekday with no window or a
    /// weekday not listed: closed that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows: Option<BTreeMap<String, Vec<[f64; 2]>>>,
    /// Minimum days between two visits of this stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days_between_visits: Option<u32>,
    /// Visits wanted over the horizon (default 1; not with `period_weeks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u32>,
}

/// Body of `POST /api/plan/tours`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourRequest {
    /// Home base (matrix row 0 when a matrix is given and it has no index).
    pub base: TourPlace,
    /// Candidate stops.
    pub stops: Vec<TourStopInput>,
    /// Number of consecutive working days (either this or `weeks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Number of weeks of `working_days` (either this or `days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
    /// Working weekdays, 0 = lundi (default lundi–vendredi).
    #[serde(default = "default_working_days")]
    pub working_days: Vec<u8>,
    /// Rotation: every chosen stop is visited once every `period_weeks` weeks, on the
    /// same weekday, over `weeks` weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_weeks: Option<u32>,
    /// Budget of a day, travel + service + waiting, minutes (absent: unbounded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_minutes: Option<f64>,
    /// Earliest departure, minutes after midnight (default 480 = 08:00).
    #[serde(default = "default_day_start")]
    pub day_start_minutes: f64,
    /// Speed for travel times computed from positions (default 50 km/h).
    #[serde(default = "default_speed")]
    pub speed_kmh: f64,
    /// Road distance / straight-line distance (default 1.3).
    #[serde(default = "default_detour")]
    pub detour_factor: f64,
    /// Travel minutes, `matrix[i][j]` from row `i` to row `j`; row 0 is the base by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<Vec<f64>>>,
    /// Visit every stop at least travel instead of maximising the weight served.
    #[serde(default)]
    pub must_visit_all: bool,
    /// Seed of the search (same request and seed: same answer when the search ends on its
    /// iteration bound rather than its time limit).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Solve time limit, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_ms: Option<u64>,
}

fn default_working_days() -> Vec<u8> {
    vec![0, 1, 2, 3, 4]
}
fn default_day_start() -> f64 {
    480.0
}
fn default_speed() -> f64 {
    50.0
}

/// A tour request that cannot be answered.
pub type TourError = RequestError;

/// Answer of `POST /api/plan/tours`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourResponse {
    /// Every working day of the horizon, in order.
    pub days: Vec<TourDay>,
    /// Stops not (fully) visited, with the reason.
    pub unvisited: Vec<TourUnvisited>,
    /// Travel minutes over the horizon.
    pub total_travel: f64,
    /// Summed weight of the visits over the horizon.
    pub total_weight: f64,
    /// The rotation, for periodic plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<TourRotation>,
    /// How the search went.
    pub solver: TourSolverInfo,
}

/// One day of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourDay {
    /// Day number in the horizon, from 1.
    pub day: u32,
    /// Week number, from 1.
    pub week: u32,
    /// Weekday name (`lundi` …).
    pub weekday: String,
    /// Stop ids in visiting order.
    pub stops: Vec<String>,
    /// Arrival at each stop, minutes after midnight.
    pub arrivals: Vec<f64>,
    /// Start of the service at each stop (after waiting for the opening).
    pub service_starts: Vec<f64>,
    /// Departure from the base, minutes after midnight.
    pub departure: f64,
    /// Return to the base, minutes after midnight.
    pub return_time: f64,
    /// Travel minutes.
    pub travel_minutes: f64,
    /// Minutes from departure to return.
    pub total_minutes: f64,
    /// GeoJSON LineString base → stops → base, when every position is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<Value>,
}

/// A stop missing from the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourUnvisited {
    /// Stop id.
    pub id: String,
    /// Machine code: `trop_loin`, `pas_d_ouverture`, `espacement_impossible`, `pas_de_place`.
    pub code: String,
    /// Explanation in French.
    pub reason: String,
    /// Visits wanted but not planned.
    pub missing_visits: u32,
}

/// The rotation of a periodic plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourRotation {
    /// Every chosen stop is visited once per this many weeks.
    pub period_weeks: u32,
    /// Length of the horizon.
    pub weeks: u32,
    /// Working days in one cycle.
    pub cycle_days: u32,
}

/// How the tour search went.
pub type TourSolverInfo = SolverInfo;

/// Great-circle distance in km between two lon/lat points.
pub fn haversine_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = la2 - la1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

fn parse_windows(
    id: &str,
    w: &BTreeMap<String, Vec<[f64; 2]>>,
) -> Result<[Vec<Window>; 7], TourError> {
    let mut out: [Vec<Window>; 7] = Default::default();
    for (day, slots) in w {
        let Some(wd) = WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(day.trim()))
        else {
            return Err(invalid(format!(
                "arrêt {id} : jour « {day} » inconnu dans windows ; attendu un de {}",
                WEEKDAYS.join(", ")
            )));
        };
        for [open, close] in slots {
            if !open.is_finite()
                || !close.is_finite()
                || *open < 0.0
                || *close > 1440.0
                || open >= close
            {
                return Err(invalid(format!(
                    "arrêt {id} : créneau [{open}, {close}] du {day} invalide ; attendu 0 ≤ ouverture < fermeture ≤ 1440 (minutes)"
                )));
            }
            out[wd].push(Window {
                open: *open,
                close: *close,
            });
        }
    }
    Ok(out)
}

/// The working days of the horizon and, for periodic plans, of one cycle.
struct Horizon {
    days: Vec<PlanDay>,
    /// Per output day: index of the planned (cycle) day.
    expand: Vec<usize>,
    /// Per output day: (day number from 1, week from 1, weekday).
    labels: Vec<(u32, u32, u8)>,
    rotation: Option<TourRotation>,
}

fn horizon(req: &TourRequest) -> Result<Horizon, TourError> {
    let mut wd = req.working_days.clone();
    wd.sort_unstable();
    wd.dedup();
    if wd.is_empty() || wd.iter().any(|&d| d > 6) {
        return Err(invalid(
            "working_days : attendu une liste non vide de jours 0 (lundi) à 6 (dimanche)",
        ));
    }
    let per_week = wd.len();
    let calendar = |k: usize| -> (u32, u32, u8) {
        let (w, i) = (k / per_week, k % per_week);
        (w as u32 * 7 + wd[i] as u32, w as u32 + 1, wd[i])
    };
    let total = match (req.days, req.weeks) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "days et weeks : indiquez l'un ou l'autre, pas les deux",
            ));
        }
        (None, None) => {
            return Err(invalid(
                "indiquez days (nombre de jours) ou weeks (nombre de semaines)",
            ));
        }
        (Some(d), None) => d as usize,
        (None, Some(w)) => w as usize * per_week,
    };
    if total == 0 {
        return Err(invalid("le nombre de jours doit être au moins 1"));
    }
    if total > MAX_DAYS {
        return Err(TourError::TooLarge {
            limit: Limit::Days,
            count: total,
            max: MAX_DAYS,
        });
    }
    let labels: Vec<(u32, u32, u8)> = (0..total)
        .map(|k| {
            let (_, week, weekday) = calendar(k);
            (k as u32 + 1, week, weekday)
        })
        .collect();
    match req.period_weeks {
        None => Ok(Horizon {
            days: (0..total)
                .map(|k| {
                    let (date, _, weekday) = calendar(k);
                    PlanDay { weekday, date }
                })
                .collect(),
            expand: (0..total).collect(),
            labels,
            rotation: None,
        }),
        Some(k) => {
            let Some(weeks) = req.weeks else {
                return Err(invalid(
                    "period_weeks demande weeks (la durée de la rotation en semaines)",
                ));
            };
            if k == 0 || k > weeks {
                return Err(invalid(format!(
                    "period_weeks = {k} : attendu entre 1 et weeks ({weeks})"
                )));
            }
            let cycle = k as usize * per_week;
            Ok(Horizon {
                days: (0..cycle)
                    .map(|c| {
                        let (date, _, weekday) = calendar(c);
                        PlanDay { weekday, date }
                    })
                    .collect(),
                expand: (0..total).map(|d| d % cycle).collect(),
                labels,
                rotation: Some(TourRotation {
                    period_weeks: k,
                    weeks,
                    cycle_days: cycle as u32,
                }),
            })
        }
    }
}

/// Validates the request and solves it. Places must already be resolved (lon/lat or
/// matrix index; commune codes are resolved by [`super::resolve_tour_request`]).
pub fn solve_tour_request(req: &TourRequest) -> Result<TourResponse, TourError> {
    check_stop_count(req)?;
    solve_checked(req)
}

/// Refuses more than [`MAX_STOPS`] stops (before anything costly is done with them).
pub fn check_stop_count(req: &TourRequest) -> Result<(), TourError> {
    if req.stops.len() > MAX_STOPS {
        return Err(TourError::TooLarge {
            limit: Limit::Stops,
            count: req.stops.len(),
            max: MAX_STOPS,
        });
    }
    Ok(())
}

/// [`solve_tour_request`] for a request whose stop count [`check_stop_count`] passed.
pub(crate) fn solve_checked(req: &TourRequest) -> Result<TourResponse, TourError> {
    let started = Instant::now();
    if req.stops.is_empty() {
        return Err(invalid("stops : la liste des arrêts est vide"));
    }
    let mut ids = HashSet::new();
    for s in &req.stops {
        if s.id.trim().is_empty() {
            return Err(invalid("stops : chaque arrêt doit avoir un id non vide"));
        }
        if !ids.insert(s.id.as_str()) {
            return Err(invalid(format!("stops : id « {} » en double", s.id)));
        }
    }
    if let Some(b) = req.day_minutes
        && (!b.is_finite() || b <= 0.0)
    {
        return Err(invalid(format!(
            "day_minutes = {b} : attendu un nombre de minutes > 0"
        )));
    }
    if !req.day_start_minutes.is_finite() || !(0.0..1440.0).contains(&req.day_start_minutes) {
        return Err(invalid(
            "day_start_minutes : attendu des minutes après minuit, entre 0 et 1439",
        ));
    }
    let time_limit = solve_time_limit(req.time_limit_ms)?;
    let hz = horizon(req)?;

    // Positions and matrix rows.
    let base_pos = lonlat(req.base.lon, req.base.lat, "base")?;
    let mut positions: Vec<Option<[f64; 2]>> = Vec::with_capacity(req.stops.len());
    for s in &req.stops {
        positions.push(lonlat(s.lon, s.lat, &format!("arrêt {}", s.id))?);
    }
    let (matrix, base_node, nodes) = match &req.matrix {
        Some(rows) => {
            let n = rows.len();
            if n > MAX_STOPS + 1 {
                return Err(TourError::TooLarge {
                    limit: Limit::TourMatrixRows,
                    count: n,
                    max: MAX_STOPS + 1,
                });
            }
            if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
                return Err(invalid(format!(
                    "matrix n'est pas carrée : la ligne {i} a {} colonnes pour {n} lignes",
                    r.len()
                )));
            }
            for (i, r) in rows.iter().enumerate() {
                check_matrix_row(i, r, "les temps de trajet")?;
            }
            let m =
                CostMatrix::from_rows(rows).ok_or_else(|| invalid("matrix n'est pas carrée"))?;
            let base = req.base.index.unwrap_or(0);
            let mut nodes = Vec::with_capacity(req.stops.len());
            for (k, s) in req.stops.iter().enumerate() {
                let idx = s.index.unwrap_or(k + 1);
                if idx >= n {
                    return Err(invalid(format!(
                        "arrêt {} : index {idx} hors de la matrice ({n} lignes ; la base est la ligne {base}){}",
                        s.id,
                        if s.index.is_none() {
                            " — avec une matrice, l'arrêt k a la ligne k + 1 par défaut"
                        } else {
                            ""
                        }
                    )));
                }
                nodes.push(idx);
            }
            if base >= n {
                return Err(invalid(format!(
                    "base : index {base} hors de la matrice ({n} lignes)"
                )));
            }
            (m, base, nodes)
        }
        None => {
            check_speed(req.speed_kmh)?;
            if !req.detour_factor.is_finite() || req.detour_factor < 1.0 {
                return Err(invalid(format!(
                    "detour_factor = {} : attendu un facteur ≥ 1 (distance routière / distance à vol d'oiseau)",
                    req.detour_factor
                )));
            }
            let Some(bp) = base_pos else {
                return Err(invalid(
                    "base : sans matrice, la base doit avoir lon/lat (ou un code commune résolu)",
                ));
            };
            let mut pts = vec![bp];
            for (s, p) in req.stops.iter().zip(&positions) {
                match p {
                    Some(p) => pts.push(*p),
                    None => return Err(position_required(&format!("arrêt {}", s.id))),
                }
            }
            let factor = req.detour_factor / req.speed_kmh * 60.0;
            let m = CostMatrix::from_fn(pts.len(), |i, j| haversine_km(pts[i], pts[j]) * factor);
            (m, 0, (1..=req.stops.len()).collect())
        }
    };
    // The planner wants the base at row 0.
    let (matrix, nodes) = if base_node == 0 {
        (matrix, nodes)
    } else {
        let mut order: Vec<usize> = vec![base_node];
        order.extend((0..matrix.len()).filter(|&i| i != base_node));
        let mut row_of = vec![0; matrix.len()];
        for (new, &old) in order.iter().enumerate() {
            row_of[old] = new;
        }
        (
            matrix.sub(&order),
            nodes.iter().map(|&k| row_of[k]).collect(),
        )
    };

    let mut stops = Vec::with_capacity(req.stops.len());
    for (s, &node) in req.stops.iter().zip(&nodes) {
        let weight = s.weight.unwrap_or(1.0);
        check_weight(&format!("arrêt {}", s.id), weight)?;
        if !s.service_minutes.is_finite() || s.service_minutes < 0.0 {
            return Err(invalid(format!(
                "arrêt {} : service_minutes = {} ; attendu un nombre de minutes ≥ 0",
                s.id, s.service_minutes
            )));
        }
        let visits = s.visits.unwrap_or(1);
        if visits == 0 {
            return Err(invalid(format!(
                "arrêt {} : visits doit valoir au moins 1",
                s.id
            )));
        }
        if visits > 1 && req.period_weeks.is_some() {
            return Err(invalid(format!(
                "arrêt {} : visits ne s'utilise pas avec period_weeks (la rotation fixe la fréquence)",
                s.id
            )));
        }
        let windows = s
            .windows
            .as_ref()
            .map(|w| parse_windows(&s.id, w))
            .transpose()?;
        stops.push(PlanStop {
            node,
            weight,
            service: s.service_minutes,
            windows,
            visits,
            min_days_between_visits: s.min_days_between_visits.unwrap_or(0),
        });
    }
    // In a rotation, a stop whose minimum spacing exceeds the period cannot be planned.
    let mut spacing_refused = vec![false; stops.len()];
    if let Some(rot) = &hz.rotation {
        for (k, st) in stops.iter().enumerate() {
            spacing_refused[k] = st.min_days_between_visits > rot.period_weeks * 7;
        }
    }
    let plan_stops: Vec<usize> = (0..stops.len()).filter(|&k| !spacing_refused[k]).collect();
    let problem = PlanProblem {
        matrix: &matrix,
        stops: plan_stops.iter().map(|&k| stops[k].clone()).collect(),
        days: hz.days.clone(),
        day_start: req.day_start_minutes,
        day_minutes: req.day_minutes,
        must_visit_all: req.must_visit_all,
    };
    let plan = plan_tours(
        &problem,
        &PlanOptions {
            seed: req.seed,
            time_limit,
            max_iterations: None,
        },
    );

    let id_of = |plan_idx: usize| req.stops[plan_stops[plan_idx]].id.clone();
    let pos_of = |plan_idx: usize| positions[plan_stops[plan_idx]];
    let mut days = Vec::with_capacity(hz.expand.len());
    let (mut total_travel, mut total_weight) = (0.0, 0.0);
    for (out_day, &cycle_day) in hz.expand.iter().enumerate() {
        let pd = &plan.days[cycle_day];
        let (day, week, weekday) = hz.labels[out_day];
        let geometry = base_pos.and_then(|b| {
            if pd.visits.is_empty() {
                return None;
            }
            let mut coords = vec![json!(b)];
            for v in &pd.visits {
                coords.push(json!(pos_of(v.stop)?));
            }
            coords.push(json!(b));
            Some(json!({"type": "LineString", "coordinates": coords}))
        });
        total_travel += pd.travel;
        total_weight += pd
            .visits
            .iter()
            .map(|v| problem.stops[v.stop].weight)
            .sum::<f64>();
        days.push(TourDay {
            day,
            week,
            weekday: WEEKDAYS[weekday as usize].to_string(),
            stops: pd.visits.iter().map(|v| id_of(v.stop)).collect(),
            arrivals: pd.visits.iter().map(|v| round2(v.arrival)).collect(),
            service_starts: pd.visits.iter().map(|v| round2(v.start)).collect(),
            departure: round2(pd.departure),
            return_time: round2(pd.return_time),
            travel_minutes: round2(pd.travel),
            total_minutes: round2(pd.total),
            geometry,
        });
    }
    let mut unvisited: Vec<TourUnvisited> = plan
        .unvisited
        .iter()
        .map(|u| {
            let (code, reason) = describe(&u.reason, req.must_visit_all);
            TourUnvisited {
                id: id_of(u.stop),
                code: code.to_string(),
                reason,
                missing_visits: u.missing_visits,
            }
        })
        .collect();
    for (k, refused) in spacing_refused.iter().enumerate() {
        if *refused {
            let rot_days = hz
                .rotation
                .as_ref()
                .map(|r| r.period_weeks * 7)
                .unwrap_or(0);
            unvisited.push(TourUnvisited {
                id: req.stops[k].id.clone(),
                code: "espacement_impossible".into(),
                reason: format!(
                    "min_days_between_visits = {} dépasse la période de la rotation ({rot_days} jours)",
                    stops[k].min_days_between_visits
                ),
                missing_visits: 1,
            });
        }
    }
    Ok(TourResponse {
        days,
        unvisited,
        total_travel: round2(total_travel),
        total_weight,
        rotation: hz.rotation,
        solver: SolverInfo {
            iterations: plan.iterations,
            stopped_by_time: plan.stopped_by_time,
            elapsed_ms: started.elapsed().as_millis() as u64,
            seed: req.seed,
        },
    })
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn describe(r: &UnvisitedReason, must_visit_all: bool) -> (&'static str, String) {
    match r {
        UnvisitedReason::TooFar {
            round_trip,
            service,
            budget,
        } => (
            "trop_loin",
            format!(
                "aller-retour depuis la base de {:.0} min + permanence de {:.0} min dépassent la journée de {:.0} min",
                round_trip, service, budget
            ),
        ),
        UnvisitedReason::NoOpening => (
            "pas_d_ouverture",
            "aucun créneau d'ouverture assez long pour la permanence un jour travaillé (trajet compris)".into(),
        ),
        UnvisitedReason::SpacingImpossible => (
            "espacement_impossible",
            "l'horizon est trop court pour espacer les visites demandées".into(),
        ),
        UnvisitedReason::NoRoom => (
            "pas_de_place",
            if must_visit_all {
                "les journées sont pleines : pas assez de jours ou de minutes par jour pour tout visiter".into()
            } else {
                "les journées sont pleines : arrêt moins prioritaire (ou trop coûteux à insérer) que ceux retenus".into()
            },
        ),
    }
}
