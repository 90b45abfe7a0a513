//! Zipped Shapefile export: `.shp`, `.shx`, `.dbf` (UTF-8, declared in `.cpg`),
//! `.prj` (OGC WKT).
//!
//! DBF field names are limited to 10 characters: each collection gives its own short
//! names ([`crate::ogc::provider::Field::dbf`]), listed with the full names in the HTML
//! page of the collection and in the OpenAPI document. Text is cut at 254 bytes (the
//! DBF limit) on a character boundary; numbers are `N` fields (decimals: 8), dates `D`,
//! booleans `L`. Polygons are written with clockwise exteriors, as the format requires.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::ExportJob;
use super::geom::Projected;
use super::srs;
use crate::ogc::crs::Projector;
use crate::ogc::geojson::CoordWriter;
use crate::ogc::provider::{Field, FieldType, GeometryType, Value};

const TEXT_MAX: usize = 254;
const REAL_WIDTH: usize = 24;
const REAL_DECIMALS: usize = 8;

/// Writes the Shapefile parts in `dir`, zips them, returns the zip's path.
pub fn write_zip(job: &ExportJob, dir: &Path) -> io::Result<PathBuf> {
    let name = job.name();
    let base = dir.join(name);
    write_shapefile(job, &base)?;
    let zip_path = dir.join(format!("{name}.zip"));
    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(&zip_path)?));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let part = base.with_extension(ext);
        if !part.exists() {
            continue;
        }
        zip.start_file(format!("{name}.{ext}"), options)
            .map_err(io::Error::other)?;
        io::copy(&mut File::open(&part)?, &mut zip)?;
    }
    zip.finish().map_err(io::Error::other)?.flush()?;
    Ok(zip_path)
}

/// Writes `<base>.shp`, `.shx`, `.dbf`, `.cpg` and `.prj`.
pub fn write_shapefile(job: &ExportJob, base: &Path) -> io::Result<()> {
    let layer = job.layer();
    let p = &*layer.provider;
    let coords = CoordWriter::new(Projector::new(job.crs, &*job.ogc.reproject), false);
    let shape_type: i32 = match p.geometry_type() {
        GeometryType::Point => 1,
        GeometryType::MultiPolygon => 5,
    };
    let mut shp = BufWriter::new(File::create(base.with_extension("shp"))?);
    let mut shx = BufWriter::new(File::create(base.with_extension("shx"))?);
    shp.write_all(&[0u8; 100])?;
    shx.write_all(&[0u8; 100])?;
    let mut offset_words: u32 = 50;
    let mut bbox: Option<[f64; 4]> = None;
    for (n, &i) in job.ids.iter().enumerate() {
        let shape = layer.shape(i, job.zoom);
        let g = Projected::of(&shape.geometry(), &coords);
        if let Some(b) = g.bbox() {
            bbox = Some(match bbox {
                None => b,
                Some(a) => [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ],
            });
        }
        let content = record(&g);
        let words = (content.len() / 2) as u32;
        shp.write_all(&(n as u32 + 1).to_be_bytes())?;
        shp.write_all(&words.to_be_bytes())?;
        shp.write_all(&content)?;
        shx.write_all(&offset_words.to_be_bytes())?;
        shx.write_all(&words.to_be_bytes())?;
        offset_words += 4 + words;
    }
    let bbox = bbox.unwrap_or([0.0; 4]);
    let shx_words = 50 + 4 * job.ids.len() as u32;
    for (w, words) in [(&mut shp, offset_words), (&mut shx, shx_words)] {
        w.seek(SeekFrom::Start(0))?;
        w.write_all(&header(words, shape_type, bbox))?;
        w.flush()?;
    }
    write_dbf(job, &base.with_extension("dbf"))?;
    std::fs::write(base.with_extension("cpg"), "UTF-8")?;
    if let Some(wkt) = srs::wkt(job.crs.epsg()) {
        std::fs::write(base.with_extension("prj"), wkt)?;
    }
    Ok(())
}

fn header(file_words: u32, shape_type: i32, b: [f64; 4]) -> [u8; 100] {
    let mut h = [0u8; 100];
    h[0..4].copy_from_slice(&9994i32.to_be_bytes());
    h[24..28].copy_from_slice(&file_words.to_be_bytes());
    h[28..32].copy_from_slice(&1000i32.to_le_bytes());
    h[32..36].copy_from_slice(&shape_type.to_le_bytes());
    for (k, v) in b.iter().enumerate() {
        h[36 + 8 * k..44 + 8 * k].copy_from_slice(&v.to_le_bytes());
    }
    h
}

/// Twice the signed area (positive when counter-clockwise).
fn signed_area2(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

fn record(g: &Projected) -> Vec<u8> {
    let mut out = Vec::new();
    match g {
        Projected::Empty => out.extend_from_slice(&0i32.to_le_bytes()),
        Projected::Point(p) => {
            out.extend_from_slice(&1i32.to_le_bytes());
            out.extend_from_slice(&p[0].to_le_bytes());
            out.extend_from_slice(&p[1].to_le_bytes());
        }
        Projected::Polygons(polys) => {
            let mut parts: Vec<Vec<[f64; 2]>> = Vec::new();
            for rings in polys {
                for (k, ring) in rings.iter().enumerate() {
                    let ccw = signed_area2(ring) > 0.0;
                    // Exterior clockwise, holes counter-clockwise.
                    let mut r = ring.clone();
                    if (k == 0) == ccw {
                        r.reverse();
                    }
                    parts.push(r);
                }
            }
            let b = g.bbox().unwrap_or([0.0; 4]);
            let npoints: usize = parts.iter().map(Vec::len).sum();
            out.extend_from_slice(&5i32.to_le_bytes());
            for v in b {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&(parts.len() as i32).to_le_bytes());
            out.extend_from_slice(&(npoints as i32).to_le_bytes());
            let mut start = 0i32;
            for part in &parts {
                out.extend_from_slice(&start.to_le_bytes());
                start += part.len() as i32;
            }
            for p in parts.iter().flatten() {
                out.extend_from_slice(&p[0].to_le_bytes());
                out.extend_from_slice(&p[1].to_le_bytes());
            }
        }
    }
    out
}

/// Text cut to at most `max` bytes on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

struct DbfField {
    name: &'static str,
    kind: u8,
    len: usize,
    decimals: usize,
}

fn dbf_fields(job: &ExportJob) -> Vec<DbfField> {
    let p = &*job.layer().provider;
    let fields: &[Field] = p.fields();
    let mut specs: Vec<DbfField> = job
        .fields
        .iter()
        .map(|&k| {
            let f = &fields[k];
            let (kind, len, decimals) = match f.kind {
                FieldType::Text => (b'C', 1, 0),
                FieldType::Integer => (b'N', 1, 0),
                FieldType::Real => (b'N', REAL_WIDTH, REAL_DECIMALS),
                FieldType::Date => (b'D', 8, 0),
                FieldType::Boolean => (b'L', 1, 0),
            };
            DbfField {
                name: f.dbf,
                kind,
                len,
                decimals,
            }
        })
        .collect();
    // Widths of text and integer fields from the values.
    for &i in &job.ids {
        let row = p.row(i);
        for (spec, &k) in specs.iter_mut().zip(&job.fields) {
            match (fields[k].kind, row.get(k)) {
                (FieldType::Text, Some(Value::Text(s))) => {
                    spec.len = spec.len.max(cut(s, TEXT_MAX).len());
                }
                (FieldType::Integer, Some(Value::Int(v))) => {
                    spec.len = spec.len.max(v.to_string().len()).min(18);
                }
                _ => {}
            }
        }
    }
    specs
}

fn write_dbf(job: &ExportJob, path: &Path) -> io::Result<()> {
    let p = &*job.layer().provider;
    let specs = dbf_fields(job);
    let mut w = BufWriter::new(File::create(path)?);
    let record_len: usize = 1 + specs.iter().map(|s| s.len).sum::<usize>();
    let header_len = 32 + 32 * specs.len() + 1;
    let mut h = [0u8; 32];
    h[0] = 0x03;
    let (y, m, d) = today();
    h[1] = (y - 1900).clamp(0, 255) as u8;
    h[2] = m as u8;
    h[3] = d as u8;
    h[4..8].copy_from_slice(&(job.ids.len() as u32).to_le_bytes());
    h[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
    h[10..12].copy_from_slice(&(record_len.min(usize::from(u16::MAX)) as u16).to_le_bytes());
    w.write_all(&h)?;
    for s in &specs {
        let mut d = [0u8; 32];
        let name = s.name.as_bytes();
        d[..name.len().min(10)].copy_from_slice(&name[..name.len().min(10)]);
        d[11] = s.kind;
        d[16] = s.len as u8;
        d[17] = s.decimals as u8;
        w.write_all(&d)?;
    }
    w.write_all(&[0x0D])?;
    let mut rec: Vec<u8> = Vec::with_capacity(record_len);
    for &i in &job.ids {
        rec.clear();
        rec.push(b' ');
        let row = p.row(i);
        for (s, &k) in specs.iter().zip(&job.fields) {
            let cell = match row.get(k) {
                None | Some(Value::Null) => String::new(),
                Some(Value::Text(t)) if s.kind == b'D' => t.replace('-', ""),
                Some(Value::Text(t)) => cut(t, s.len).to_string(),
                Some(Value::Int(v)) => format!("{v:>width$}", width = s.len),
                Some(Value::Real(x)) => {
                    let t = format!("{x:>width$.prec$}", width = s.len, prec = s.decimals);
                    if t.len() > s.len { String::new() } else { t }
                }
                Some(Value::Bool(b)) => (if *b { "T" } else { "F" }).to_string(),
            };
            let bytes = cut(&cell, s.len).as_bytes();
            rec.extend_from_slice(bytes);
            rec.resize(rec.len() + (s.len - bytes.len()), b' ');
        }
        w.write_all(&rec)?;
    }
    w.write_all(&[0x1A])?;
    w.flush()
}

/// Today's date (UTC) as year, month, day.
fn today() -> (i64, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400))
}

/// Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_counts_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
    }

    use super::*;

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        assert_eq!(cut("éé", 3), "é");
        assert_eq!(cut("abc", 10), "abc");
    }

    #[test]
    fn polygon_exteriors_are_written_clockwise() {
        let ccw = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let rec = record(&Projected::Polygons(vec![vec![ccw]]));
        // Points start after type, box, counts and one part index: 4 + 32 + 8 + 4.
        let second_x = f64::from_le_bytes(rec[48 + 16..48 + 24].try_into().unwrap());
        let second_y = f64::from_le_bytes(rec[48 + 24..48 + 32].try_into().unwrap());
        assert_eq!((second_x, second_y), (0.0, 1.0));
    }
}
