//! Coverage gaps: nearest venue per commune, served/unserved, priority, indicators, what-if.
//!
//! # Method
//!
//! - **Access point** of a commune: its town hall when the registry knows its
//!   position, else geo's `InteriorPoint` of its boundary (see [`AccessPoint`] for why).
//! - **Nearest venue**: among *all* venues of the same metric zone (Lambert-93 in
//!   metropolitan France), not only those of the territory: a venue across the border
//!   serves. Optionally only venues passing the filter (services, typologies, publics,
//!   fixed only). "Nearest" means the shortest travel time.
//! - **Travel time** (minutes) = straight-line distance (km) × detour factor / speed
//!   (km/h) × 60. Defaults: detour [`DEFAULT_DETOUR_FACTOR`] = 1.3, speed
//!   [`DEFAULT_SPEED_KMH`] = 50 km/h, so 20 minutes ≈ 12.8 km as the crow flies.
//!   1.3 is the usual road/straight-line ratio on rural road networks (studies of
//!   road circuity find 1.2–1.4); 50 km/h is a door-to-door average on secondary roads
//!   with village crossings (80 km/h limit between villages, 50 or less inside, plus
//!   the start and the parking). Both are assumptions, not measurements: a
//!   travel-time matrix ([`TravelMatrix`]) replaces the estimate for the pairs it gives.
//! - **Served** when the travel time is at most the threshold
//!   ([`DEFAULT_THRESHOLD_MINUTES`] = 20); **unserved** otherwise, or when no venue
//!   exists in its zone; **unlocated** when the commune has no access point and no
//!   matrix time.
//! - **Priority** = population × normalised IFN, where the normalised IFN is
//!   - IFN 2023 (default, axis `total`): decile / 10, in [0, 1];
//!   - IFN 2020 (scale `region` by default, axis `score_global` by default): index / 100,
//!     so 1 is the reference territory's level and above 1 is more fragile. Zeros mean
//!     "no data" and count as missing. The axis `acces_interfaces_numeriques` is
//!     refused: it is a coverage ratio (higher = better covered, 0 = no data), so it
//!     cannot weigh a fragility, and inverting a ratio that has zeros is undefined.
//!
//!   A commune without a value on the chosen axis gets the population-weighted mean of
//!   the normalised values of its EPCI's communes, else of its département's, else
//!   the neutral value (IFN 2023: 0.5, IFN 2020: 1), computed over the whole catalog
//!   (so it does not depend on the territory asked); `ifn_source` flags it.
//! - **Fragile** commune: its own value (no fallback) is IFN 2023 ≥ 7 or IFN 2020 > 100
//!   on the chosen axis (defaults: IFN 2023 `total` ≥ 7).
//! - **Indicators** per EPCI, département and the whole territory: population, shares
//!   within 10/20/30 minutes, served/unserved/unlocated communes and population (their
//!   sum is the total), fragile population (unserved), venues located in the group per
//!   10,000 inhabitants, the ten unserved communes of highest priority.
//! - **What-if**: hypothetical venues (points or town halls) and removed venues are an
//!   overlay; the catalog is not modified. Removals recompute only the communes whose
//!   best venue was removed; each added venue is tested only against the access points
//!   within the largest current travel time (R-tree), beyond which nothing can improve.
//! - **Order**: by priority (highest first), then INSEE code. Results are deterministic.
//!
//! ```no_run
//! # fn demo(
//! #     catalog: &maillage_core::Catalog,
//! #     reproject: std::sync::Arc<dyn maillage_core::Reproject>,
//! # ) -> Result<(), maillage_plan::gaps::GapError> {
//! use maillage_plan::gaps::{AddedVenue, GapIndex, GapRequest};
//! let index = GapIndex::build(catalog, reproject); // once per catalog
//! let mut req = GapRequest::for_departements(["48"]);
//! req.added.push(AddedVenue::town_hall("48080"));
//! let res = index.analyse(catalog, &req)?;
//! println!("{} communes change status", res.changes.len());
//! # Ok(()) }
//! ```

mod analysis;
mod cache;
mod error;
mod fragility;
mod index;
mod indicators;
mod request;
mod resolve;
mod response;

use std::sync::Arc;

use maillage_core::Catalog;
use maillage_core::reproject::Reproject;

pub use cache::{DefaultGaps, GapCache};
pub use error::GapError;
pub use index::{AccessPoint, AccessSource, GapIndex};
pub use request::{
    AddedVenue, DEFAULT_DETOUR_FACTOR, DEFAULT_KINDS, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MINUTES,
    GapRequest, HoursRule, IFN2020_INVERTED_AXIS, IfnChoice, IfnModel, IfnScale, MatrixEntry,
    Territory, TravelMatrix, VenueCriteria, VenueRef,
};
pub use response::{
    CommuneGap, GapParameters, GapResponse, GapRow, GroupIndicators, HypotheticalVenue, IfnSource,
    IndicatorSet, Indicators, Label, NearestVenue, Status, StatusChange, TimeSource, TopCommune,
};

/// Runs a gap analysis. Builds a [`GapIndex`] first (tens of milliseconds on all of
/// France): a server should build it once and call [`GapIndex::analyse`].
pub fn analyse(
    catalog: &Catalog,
    req: &GapRequest,
    reproject: Arc<dyn Reproject>,
) -> Result<GapResponse, GapError> {
    GapIndex::build(catalog, reproject).analyse(catalog, req)
}
