//! Planning algorithms of Maillage: coverage gaps, permanence sites, multi-day tours.
//! Pure, synchronous and deterministic for a given seed; depends on `maillage-core` only
//! (the reprojector is passed in).
//!
//! - [`gaps`]: the gap analysis, its index and [`gaps::GapCache`] (index + default
//!   analysis of one catalog, built on first use).
//! - [`sites`], [`tours`]: the solvers and their request/response types.
//! - [`planning`]: the use-cases as the server and the command line run them (default
//!   site candidates from the unserved communes, solve from commune codes).
//! - [`rows`]: sites and tours as flat rows with their CSV and GeoJSON documents.
//! - [`request`]: what the planning requests share, with [`request::RequestError`] whose
//!   variants say which limit was exceeded.
#![warn(missing_docs)]

pub mod gaps;
pub mod planning;
pub mod request;
pub mod rows;
pub mod sites;
pub mod tours;
