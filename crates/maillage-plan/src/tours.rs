//! Multi-day tours for mobile conseillers: TSP and team orienteering.
//!
//! - [`solve_tsp`]: one closed tour through every point of a cost matrix.
//! - [`plan_tours`]: which stops to visit on which day and in which order, under a
//!   daily budget, opening windows and minimum spacing between visits; prize-collecting
//!   (team orienteering) by default, or visiting every stop at least cost.

mod matrix;
mod plan;
pub(crate) mod rng;
mod tsp;

pub use matrix::CostMatrix;
pub use plan::{
    Plan, PlanDay, PlanOptions, PlanProblem, PlanStop, PlannedDay, PlannedVisit, UnvisitedReason,
    UnvisitedStop, Window, plan_tours,
};
pub use tsp::{EXACT_MAX, TspOptions, TspSolution, auto_iterations, solve_tsp};

mod api;
mod catalog;

pub(crate) use api::solve_checked;
pub use api::{
    DEFAULT_TIME_LIMIT_MS, MAX_DAYS, MAX_STOPS, MAX_TIME_LIMIT_MS, TourDay, TourError, TourPlace,
    TourRequest, TourResponse, TourRotation, TourSolverInfo, TourStopInput, TourUnvisited,
    check_stop_count, haversine_km, solve_tour_request,
};
pub use catalog::resolve_tour_request;
pub(crate) use catalog::{commune_of, population_ifn_weight, town_hall_lonlat};
