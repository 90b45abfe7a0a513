//! Choosing permanence sites: p-median and maximal coverage.
//!
//! - [`solve_sites`]: the solver on a demand × candidate cost matrix (greedy, Whitaker
//!   fast interchange, variable neighbourhood search), with existing sites always open.
//! - [`SiteRequest`] / [`SiteResponse`]: the `POST /api/plan/sites` JSON, validated, and
//!   [`solve_site_request`]; [`resolve_site_request`] turns commune codes into town halls.

mod api;
mod catalog;
mod solver;

pub use api::{
    CoveredWeight, DEFAULT_TIME_LIMIT_MS, MAX_CANDIDATES, MAX_CELLS, MAX_DEMAND, MAX_TIME_LIMIT_MS,
    SiteAssignment, SiteError, SiteObjectiveName, SitePoint, SiteRequest, SiteResponse,
    SiteSolverInfo, solve_site_request,
};
pub use catalog::resolve_site_request;
pub use solver::{SiteObjective, SiteOptions, SiteProblem, SiteSolution, solve_sites};
