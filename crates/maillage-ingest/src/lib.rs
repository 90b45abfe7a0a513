//! Readers, reprojection and validation for Maillage input data.
#![warn(missing_docs)]

pub mod boundaries;
pub mod decoupage;
mod error;
pub mod ifn;
pub mod load;
pub mod registry;
pub mod reproject;
pub mod venues;
pub mod wkb;

pub use error::{IngestError, IngestResult, Rejection};
