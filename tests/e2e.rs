//! End-to-end tests on the real binary. One module per area:
//! - `foundation`: the server loads all of France and answers the basic endpoints.
//! - `ogc_api`, `ogc_clients`, `export_formats`: the OGC API over HTTP, GDAL as its
//!   client, and every export format opened by `ogrinfo` (issue 3).
//! - `gaps`, `plan`: coverage gaps and itinerant planning over HTTP and on the command
//!   line (issues 4 and 5).

mod export_formats;
mod figures;
mod foundation;
mod gaps;
mod ogc_api;
mod ogc_clients;
mod plan;
mod public_paths;
mod venue_kinds;
