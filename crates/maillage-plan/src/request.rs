//! What the planning requests (`POST /api/plan/sites`, `POST /api/plan/tours`) share:
//! the error type, the solver report, the time limit, and the checks of positions,
//! weights, speeds and cost matrices. Messages are in French, for the user, and name the
//! field, the row and column, and what was expected.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Longest solve time a request may ask for, ms.
pub const MAX_TIME_LIMIT_MS: u64 = 30_000;
/// Solve time when the request does not say, ms.
pub const DEFAULT_TIME_LIMIT_MS: u64 = 2_000;

/// A request that cannot be answered; messages are in French, for the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Something in the request is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The request is over a documented size limit (an HTTP server answers 413).
    #[error("{limit} : {count} demandés, au plus {max} acceptés")]
    TooLarge {
        /// Which limit.
        limit: Limit,
        /// Requested.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// `time_limit_ms` over [`MAX_TIME_LIMIT_MS`]: a wrong value, not a size (400).
    #[error("time_limit_ms : {requested} demandés, au plus {max} acceptés")]
    TimeLimit {
        /// Requested, ms.
        requested: u64,
        /// Limit, ms.
        max: u64,
    },
}

/// The documented size limits of the planning requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// Demand points of a site request.
    DemandPoints,
    /// Candidate and existing sites of a site request.
    Sites,
    /// Cells of the demand × sites matrix.
    SiteMatrixCells,
    /// Stops of a tour request.
    Stops,
    /// Rows of a tour cost matrix.
    TourMatrixRows,
    /// Days of a tour horizon.
    Days,
}

impl Limit {
    /// What the limit counts, in French.
    pub fn what(self) -> &'static str {
        match self {
            Limit::DemandPoints => "points de demande",
            Limit::Sites => "sites candidats et existants",
            Limit::SiteMatrixCells => "cases de la matrice demande × sites",
            Limit::Stops => "arrêts (stops)",
            Limit::TourMatrixRows => "lignes de la matrice",
            Limit::Days => "jours de l'horizon",
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what())
    }
}

/// How the search went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverInfo {
    /// Search rounds (for tours: perturbation rounds).
    pub iterations: u64,
    /// The time limit ended the search (the answer is the best found by then).
    pub stopped_by_time: bool,
    /// Solve time, ms.
    pub elapsed_ms: u64,
    /// Seed used.
    pub seed: u64,
}

/// Serde default of `detour_factor`: road distance / straight-line distance.
pub(crate) fn default_detour() -> f64 {
    crate::gaps::DEFAULT_DETOUR_FACTOR
}

/// Serde default of `seed`.
pub(crate) fn default_seed() -> u64 {
    1
}

pub(crate) fn invalid(msg: impl Into<String>) -> RequestError {
    RequestError::Invalid(msg.into())
}

/// The solve time limit: `time_limit_ms`, by default [`DEFAULT_TIME_LIMIT_MS`], at most
/// [`MAX_TIME_LIMIT_MS`].
pub(crate) fn solve_time_limit(time_limit_ms: Option<u64>) -> Result<Duration, RequestError> {
    let ms = time_limit_ms.unwrap_or(DEFAULT_TIME_LIMIT_MS);
    if ms > MAX_TIME_LIMIT_MS {
        return Err(RequestError::TimeLimit {
            requested: ms,
            max: MAX_TIME_LIMIT_MS,
        });
    }
    Ok(Duration::from_millis(ms))
}

/// A position given as optional lon/lat: both or neither, in range. `what` names the
/// place in the message.
pub(crate) fn lonlat(
    lon: Option<f64>,
    lat: Option<f64>,
    what: &str,
) -> Result<Option<[f64; 2]>, RequestError> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => {
            if !lon.is_finite() || !lat.is_finite() || lon.abs() > 180.0 || lat.abs() > 90.0 {
                Err(invalid(format!(
                    "{what} : coordonnées invalides (lon {lon}, lat {lat}) ; attendu lon ∈ [-180, 180], lat ∈ [-90, 90]"
                )))
            } else {
                Ok(Some([lon, lat]))
            }
        }
        (None, None) => Ok(None),
        _ => Err(invalid(format!("{what} : lon et lat vont ensemble"))),
    }
}

/// The error for a place without position when there is no matrix.
pub(crate) fn position_required(what: &str) -> RequestError {
    invalid(format!(
        "{what} : sans matrice, lon/lat sont requis (ou un code commune résolu)"
    ))
}

/// Refuses a negative, infinite or NaN weight of the place `what`.
pub(crate) fn check_weight(what: &str, weight: f64) -> Result<(), RequestError> {
    if !weight.is_finite() || weight < 0.0 {
        return Err(invalid(format!(
            "{what} : weight = {weight} ; attendu un nombre ≥ 0"
        )));
    }
    Ok(())
}

/// Refuses a speed that is not a finite number > 0.
pub(crate) fn check_speed(speed_kmh: f64) -> Result<(), RequestError> {
    if !speed_kmh.is_finite() || speed_kmh <= 0.0 {
        return Err(invalid(format!(
            "speed_kmh = {speed_kmh} : attendu une vitesse > 0"
        )));
    }
    Ok(())
}

/// Refuses a negative, infinite or NaN value in row `i` of `matrix`; `values` names
/// them in the message (« les coûts », « les temps de trajet »).
pub(crate) fn check_matrix_row(i: usize, row: &[f64], values: &str) -> Result<(), RequestError> {
    match row.iter().position(|v| !v.is_finite() || *v < 0.0) {
        Some(j) => Err(invalid(format!(
            "matrix[{i}][{j}] = {} : {values} doivent être des nombres finis ≥ 0",
            row[j]
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_the_cell_and_what_was_expected() {
        let e = check_matrix_row(2, &[0.0, f64::NAN], "les coûts").unwrap_err();
        assert_eq!(
            e.to_string(),
            "matrix[2][1] = NaN : les coûts doivent être des nombres finis ≥ 0"
        );
        let e = lonlat(Some(200.0), Some(1.0), "arrêt a").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("arrêt a : coordonnées invalides (lon 200")
        );
        assert!(lonlat(Some(1.0), None, "base").is_err());
        assert_eq!(lonlat(None, None, "base"), Ok(None));
        let e = solve_time_limit(Some(MAX_TIME_LIMIT_MS + 1)).unwrap_err();
        assert!(matches!(e, RequestError::TimeLimit { .. }));
        assert_eq!(
            e.to_string(),
            "time_limit_ms : 30001 demandés, au plus 30000 acceptés"
        );
    }
}
