//! The national schema for the venue tests: read from the data directory
//! (`MAILLAGE_DATA_DIR`, else `../shared/data` beside the repository), as the server does.

use std::path::PathBuf;

use maillage_ingest::venues::{SCHEMA_IN_VENUE_DIR, Schema, schema};

/// The schema of `venues/schema/schema.json`; the venue tests cannot run without it, so
/// they are `#[ignore]`d (run with `--include-ignored`) and panic here when it is absent.
pub fn national_schema() -> &'static Schema {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    let path = dir.join("venues").join(SCHEMA_IN_VENUE_DIR);
    schema::load(&path).unwrap_or_else(|e| {
        panic!("needs the shared data: the national venue schema (set MAILLAGE_DATA_DIR): {e}")
    })
}
