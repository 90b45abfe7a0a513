//! File exports of a collection's items: GeoJSON, CSV, zipped Shapefile, GeoPackage.
//!
//! Every export honours the request's filters, properties and CRS. Files are written
//! by a blocking task and streamed to the client in chunks: GeoJSON and CSV straight
//! from the features, Shapefile and GeoPackage from a temporary file (both formats
//! need to seek back), so that no export is ever held whole in memory.
//!
//! Coordinates are always written x = easting/longitude, y = northing/latitude (the
//! order GeoPackage, Shapefile, WKT and RFC 7946 GeoJSON use), including for EPSG:4326.

pub mod csv;
pub mod geojson;
pub mod geom;
pub mod gpkg;
pub mod shp;
pub mod srs;
mod stream;

use std::sync::Arc;

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::ApiError;
use crate::ogc::crs::Crs;
use crate::ogc::layer::{Layer, Ogc};
use crate::ogc::query::Format;
pub use stream::{ChannelWriter, stream_body, stream_file};

/// What to export.
pub struct ExportJob {
    /// The OGC state (kept alive by the task).
    pub ogc: Arc<Ogc>,
    /// The collection (one of `ogc.layers`, or a variant computed for the request's parameters).
    pub layer: Arc<Layer>,
    /// Matching features, in order.
    pub ids: Vec<usize>,
    /// Exported properties (field indexes, in order).
    pub fields: Vec<usize>,
    /// Output CRS.
    pub crs: Crs,
    /// Web zoom level for simplified geometry.
    pub zoom: Option<u8>,
}

impl ExportJob {
    /// The collection.
    pub fn layer(&self) -> &Layer {
        &self.layer
    }

    /// The base file name (`venues`, `communes`).
    pub fn name(&self) -> &'static str {
        self.layer().provider.id()
    }
}

/// Streams the export as a download. GeoJSON and CSV start at once; Shapefile and
/// GeoPackage are first written to a temporary folder (an error there is a 500).
pub async fn respond(job: ExportJob, format: Format) -> Result<Response, ApiError> {
    let name = job.name();
    let (ext, body) = match format {
        Format::Csv => ("csv", stream_body(move |w| csv::write(&job, w))),
        Format::Shp => (
            "zip",
            stream_file(move |dir| shp::write_zip(&job, dir)).await?,
        ),
        Format::Gpkg => (
            "gpkg",
            stream_file(move |dir| gpkg::write(&job, dir)).await?,
        ),
        _ => ("geojson", stream_body(move |w| geojson::write(&job, w))),
    };
    Ok(download(
        body,
        format.media_type(),
        &format!("{name}.{ext}"),
    ))
}

fn download(body: Body, media: &'static str, file: &str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    res
}
