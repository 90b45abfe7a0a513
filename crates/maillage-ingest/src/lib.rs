//! Readers, reprojection and validation for Maillage input data.
#![warn(missing_docs)]

mod error;
pub mod reproject;

pub use error::{IngestError, IngestResult, Rejection};
