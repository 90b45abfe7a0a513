//! Shared, read-only state of the server.

use std::path::PathBuf;
use std::sync::Arc;

use maillage_core::Catalog;
use maillage_ingest::load::ImportReport;

/// What every handler can read. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded catalog.
    pub catalog: Arc<Catalog>,
    /// The import report (rejected rows, notes, timings).
    pub report: Arc<ImportReport>,
    /// Folder of the web front end served at `/`.
    pub web_dir: Option<PathBuf>,
}

impl AppState {
    /// State for a catalog.
    pub fn new(catalog: Catalog, report: ImportReport, web_dir: Option<PathBuf>) -> AppState {
        AppState {
            catalog: Arc::new(catalog),
            report: Arc::new(report),
            web_dir,
        }
    }
}
