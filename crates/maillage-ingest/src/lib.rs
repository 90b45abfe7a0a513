//! Readers, reprojection and validation for Maillage input data.
#![warn(missing_docs)]

pub mod boundaries;
mod error;
pub mod ifn;
pub mod registry;
pub mod reproject;
pub mod venues;

pub use error::{IngestError, IngestResult, Rejection};
