//! Multi-day tours for mobile conseillers: TSP and team orienteering.
//!
//! - [`solve_tsp`]: one closed tour through every point of a cost matrix.
//! - [`plan_tours`]: which stops to visit on which day and in which order, under a
//!   daily budget, opening windows and minimum spacing between visits; prize-collecting
//!   (team orienteering) by default, or visiting every stop at least cost.
//! - [`TourRequest`] / [`TourResponse`]: the `POST /api/plan/tours` JSON, validated,
//!   and [`solve_request`] to answer it once positions are resolved.

mod matrix;
pub(crate) mod rng;
mod tsp;

pub use matrix::CostMatrix;
pub use tsp::{EXACT_MAX, TspOptions, TspSolution, auto_iterations, solve_tsp};
