//! GeoJSON file export: one FeatureCollection, lon/lat order (RFC 7946) or the
//! projected CRS named in a `crs` member (GeoJSON 2008), which GDAL and QGIS read.

use std::io::{self, Write};

use super::ExportJob;
use crate::ogc::crs::{Crs, Projector};
use crate::ogc::geojson::{CoordWriter, push_str, write_geometry, write_properties};

/// Writes the whole export.
pub fn write(job: &ExportJob, w: &mut dyn Write) -> io::Result<()> {
    let layer = job.layer();
    let p = &*layer.provider;
    let coords = CoordWriter::new(Projector::new(job.crs, &*job.ogc.reproject), false);
    let all_fields =
        job.fields.len() == p.fields().len() && job.fields.iter().enumerate().all(|(k, &f)| k == f);
    let mut head = Vec::new();
    head.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"name\":");
    push_str(&mut head, p.id());
    if let Crs::Projected(epsg) = job.crs {
        head.extend_from_slice(
            format!(
                ",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::{epsg}\"}}}}"
            )
            .as_bytes(),
        );
    }
    // The same members as an API page, so that both validate against one schema.
    let n = job.ids.len();
    head.extend_from_slice(
        format!(",\"numberMatched\":{n},\"numberReturned\":{n},\"links\":[]").as_bytes(),
    );
    head.extend_from_slice(b",\"features\":[\n");
    w.write_all(&head)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    for (n, &i) in job.ids.iter().enumerate() {
        if n > 0 {
            buf.extend_from_slice(b",\n");
        }
        buf.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        push_str(&mut buf, &p.feature_id(i));
        buf.extend_from_slice(b",\"geometry\":");
        let shape = layer.shape(i, job.zoom);
        write_geometry(&mut buf, &coords, &shape.geometry());
        buf.extend_from_slice(b",\"properties\":");
        if all_fields {
            buf.extend_from_slice(layer.properties_json(i).as_bytes());
        } else {
            write_properties(&mut buf, p.fields(), &p.row(i), Some(&job.fields));
        }
        buf.push(b'}');
        if buf.len() >= 48 * 1024 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"\n]}\n");
    w.write_all(&buf)
}
