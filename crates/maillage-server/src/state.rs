//! Shared, read-only state of the server.

use std::path::PathBuf;
use std::sync::Arc;

use maillage_core::Catalog;
use maillage_ingest::load::ImportReport;
use maillage_ingest::reproject::{Reproject, default_reprojector};

/// What every handler can read. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded catalog.
    pub catalog: Arc<Catalog>,
    /// The import report (rejected rows, notes, timings).
    pub report: Arc<ImportReport>,
    /// Folder of the web front end served at `/`.
    pub web_dir: Option<PathBuf>,
    /// Reprojection between WGS84 and the projected CRSs.
    pub reproject: Arc<dyn Reproject>,
}

impl AppState {
    /// State for a catalog.
    pub fn new(catalog: Catalog, report: ImportReport, web_dir: Option<PathBuf>) -> AppState {
        AppState {
            catalog: Arc::new(catalog),
            report: Arc::new(report),
            web_dir,
            reproject: Arc::from(default_reprojector()),
        }
    }
}
