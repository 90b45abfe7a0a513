//! CSV export: UTF-8, comma-separated, one header row with the property names, then
//! `lon`/`lat` (or `x`/`y` in a projected CRS) for point collections, then `wkt`,
//! the geometry as well-known text in the output CRS.

use std::io::{self, Write};

use super::ExportJob;
use super::geom::Projected;
use crate::ogc::crs::Projector;
use crate::ogc::geojson::CoordWriter;
use crate::ogc::provider::{GeometryType, format_real};

/// Writes the whole export.
pub fn write(job: &ExportJob, w: &mut dyn Write) -> io::Result<()> {
    let layer = job.layer();
    let p = &*layer.provider;
    let fields = p.fields();
    let coords = CoordWriter::new(Projector::new(job.crs, &*job.ogc.reproject), false);
    let points = p.geometry_type() == GeometryType::Point;
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header: Vec<&str> = job.fields.iter().map(|&k| fields[k].name).collect();
    if points {
        if job.crs.is_geographic() {
            header.extend(["lon", "lat"]);
        } else {
            header.extend(["x", "y"]);
        }
    }
    header.push("wkt");
    out.write_record(&header).map_err(io::Error::other)?;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for &i in &job.ids {
        record.clear();
        let row = p.row(i);
        for &k in &job.fields {
            record.push(
                row.get(k)
                    .and_then(|v| v.as_text())
                    .map(|t| t.into_owned())
                    .unwrap_or_default(),
            );
        }
        let shape = layer.shape(i, job.zoom);
        let g = Projected::of(&shape.geometry(), &coords);
        if points {
            match g {
                Projected::Point([x, y]) => {
                    record.push(format_real(x));
                    record.push(format_real(y));
                }
                _ => {
                    record.push(String::new());
                    record.push(String::new());
                }
            }
        }
        record.push(g.wkt());
        out.write_record(&record).map_err(io::Error::other)?;
    }
    out.flush()
}
