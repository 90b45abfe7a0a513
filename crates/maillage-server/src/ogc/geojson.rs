//! Hand-written GeoJSON: features are written straight into a byte buffer (no
//! intermediate `serde_json::Value`), with coordinates rounded to the precision that
//! matters.

use maillage_core::geo::{LineString, MultiPolygon};

use super::crs::{Crs, Projector};
use super::provider::{Field, Geometry, Value};

/// How coordinates are written.
pub struct CoordWriter<'a> {
    /// Projection to the output CRS.
    pub projector: Projector<'a>,
    /// Write `[y, x]` (EPSG:4326 in the API's responses).
    pub swap: bool,
    /// Decimals kept.
    pub decimals: u32,
}

impl<'a> CoordWriter<'a> {
    /// Writer for a CRS: 7 decimals in degrees (about 1 cm), 2 in metres; lat/lon order
    /// for EPSG:4326 only when `api_axis_order` (files always use lon/lat).
    pub fn new(projector: Projector<'a>, api_axis_order: bool) -> CoordWriter<'a> {
        let crs = projector.crs();
        CoordWriter {
            swap: api_axis_order && crs == Crs::Epsg4326,
            decimals: if crs.is_geographic() { 7 } else { 2 },
            projector,
        }
    }

    /// Projects a lon/lat point and rounds it; `None` when the projection fails.
    pub fn xy(&self, lonlat: [f64; 2]) -> Option<[f64; 2]> {
        let p = self.projector.project(lonlat)?;
        let f = 10f64.powi(self.decimals as i32);
        let r = |v: f64| (v * f).round() / f;
        Some([r(p[0]), r(p[1])])
    }
}

/// Appends a number in its shortest exact form.
pub fn push_number(out: &mut Vec<u8>, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        out.extend_from_slice(itoa_i64(x as i64).as_bytes());
    } else {
        out.extend_from_slice(ryu::Buffer::new().format(x).as_bytes());
    }
}

fn itoa_i64(v: i64) -> String {
    v.to_string()
}

/// Appends a JSON string literal.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends a property value.
pub fn push_value(out: &mut Vec<u8>, v: &Value<'_>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Text(s) => push_str(out, s),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Real(x) if x.is_finite() => push_number(out, *x),
        Value::Real(_) => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
    }
}

/// Appends the properties object; `select` keeps only those field indexes, in that order.
pub fn write_properties(
    out: &mut Vec<u8>,
    fields: &[Field],
    row: &[Value<'_>],
    select: Option<&[usize]>,
) {
    out.push(b'{');
    let mut first = true;
    let mut one = |out: &mut Vec<u8>, k: usize| {
        let (Some(f), Some(v)) = (fields.get(k), row.get(k)) else {
            return;
        };
        if !first {
            out.push(b',');
        }
        first = false;
        push_str(out, f.name);
        out.push(b':');
        push_value(out, v);
    };
    match select {
        Some(keys) => keys.iter().for_each(|&k| one(out, k)),
        None => (0..fields.len()).for_each(|k| one(out, k)),
    }
    out.push(b'}');
}

fn push_position(out: &mut Vec<u8>, w: &CoordWriter<'_>, p: [f64; 2]) {
    out.push(b'[');
    let (a, b) = if w.swap { (p[1], p[0]) } else { (p[0], p[1]) };
    push_number(out, a);
    out.push(b',');
    push_number(out, b);
    out.push(b']');
}

fn push_ring(out: &mut Vec<u8>, w: &CoordWriter<'_>, ring: &LineString<f64>) -> bool {
    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let Some(p) = w.xy([c.x, c.y]) else {
            return false;
        };
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() < 4 {
        return false;
    }
    out.push(b'[');
    for (k, p) in pts.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        push_position(out, w, *p);
    }
    out.push(b']');
    true
}

/// Appends a MultiPolygon's coordinates; rings that collapse after rounding are left
/// out, polygons whose exterior collapses too. Returns false when nothing remains.
fn push_multipolygon(out: &mut Vec<u8>, w: &CoordWriter<'_>, mp: &MultiPolygon<f64>) -> bool {
    let start = out.len();
    out.extend_from_slice(b"{\"type\":\"MultiPolygon\",\"coordinates\":[");
    let mut polygons = 0;
    for p in &mp.0 {
        let mark = out.len();
        if polygons > 0 {
            out.push(b',');
        }
        out.push(b'[');
        if !push_ring(out, w, p.exterior()) {
            out.truncate(mark);
            continue;
        }
        for hole in p.interiors() {
            let hole_mark = out.len();
            out.push(b',');
            if !push_ring(out, w, hole) {
                out.truncate(hole_mark);
            }
        }
        out.push(b']');
        polygons += 1;
    }
    if polygons == 0 {
        out.truncate(start);
        return false;
    }
    out.extend_from_slice(b"]}");
    true
}

/// Appends a geometry object (`null` when empty or not projectable).
pub fn write_geometry(out: &mut Vec<u8>, w: &CoordWriter<'_>, g: &Geometry<'_>) {
    match g {
        Geometry::Empty => out.extend_from_slice(b"null"),
        Geometry::Point(p) => match w.xy(*p) {
            Some(xy) => {
                out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":");
                push_position(out, w, xy);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        },
        Geometry::Polygons(mp) => {
            if !push_multipolygon(out, w, mp) {
                out.extend_from_slice(b"null");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_ingest::reproject::default_reprojector;

    #[test]
    fn strings_are_escaped_and_accents_kept() {
        let mut out = Vec::new();
        push_str(&mut out, "Médiathèque \"L'Atelier\"\n\u{1}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""Médiathèque \"L'Atelier\"\n\u0001""#
        );
    }

    #[test]
    fn epsg_4326_points_are_written_latitude_first_in_the_api_only() {
        let r = default_reprojector();
        let mut api = Vec::new();
        write_geometry(
            &mut api,
            &CoordWriter::new(Projector::new(Crs::Epsg4326, &*r), true),
            &Geometry::Point([2.15, 43.93]),
        );
        assert_eq!(api, br#"{"type":"Point","coordinates":[43.93,2.15]}"#);
        let mut file = Vec::new();
        write_geometry(
            &mut file,
            &CoordWriter::new(Projector::new(Crs::Epsg4326, &*r), false),
            &Geometry::Point([2.15, 43.93]),
        );
        assert_eq!(file, br#"{"type":"Point","coordinates":[2.15,43.93]}"#);
    }

    #[test]
    fn numbers_are_shortest_and_integral_values_have_no_decimal_point() {
        let mut out = Vec::new();
        push_number(&mut out, 12.0);
        out.push(b' ');
        push_number(&mut out, 0.1234567);
        assert_eq!(out, b"12 0.1234567");
    }
}
