//! Planning algorithms of Maillage: coverage gaps, permanence sites, multi-day tours.
//! Pure, synchronous and deterministic for a given seed.
#![warn(missing_docs)]

pub mod gaps;
pub mod request;
pub mod sites;
pub mod tours;
