//! Geometry in the output CRS and its encodings: WKT, WKB and GeoPackage binary.

use crate::ogc::geojson::CoordWriter;
use crate::ogc::provider::Geometry;

/// A geometry projected to the output CRS (x, y order).
#[derive(Debug, Clone, PartialEq)]
pub enum Projected {
    /// No geometry.
    Empty,
    /// A point.
    Point([f64; 2]),
    /// Polygons, each a list of rings (exterior first), each closed.
    Polygons(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Projected {
    /// Projects a lon/lat geometry; rings with fewer than 4 points and polygons whose
    /// exterior cannot be projected are left out.
    pub fn of(g: &Geometry<'_>, w: &CoordWriter<'_>) -> Projected {
        match g {
            Geometry::Empty => Projected::Empty,
            Geometry::Point(p) => w.xy(*p).map(Projected::Point).unwrap_or(Projected::Empty),
            Geometry::Polygons(mp) => {
                let mut polys = Vec::with_capacity(mp.0.len());
                for p in &mp.0 {
                    let ring = |ls: &maillage_core::geo::LineString<f64>| {
                        let pts: Option<Vec<[f64; 2]>> =
                            ls.0.iter().map(|c| w.xy([c.x, c.y])).collect();
                        pts.filter(|v| v.len() >= 4)
                    };
                    let Some(ext) = ring(p.exterior()) else {
                        continue;
                    };
                    let mut rings = vec![ext];
                    rings.extend(p.interiors().iter().filter_map(ring));
                    polys.push(rings);
                }
                if polys.is_empty() {
                    Projected::Empty
                } else {
                    Projected::Polygons(polys)
                }
            }
        }
    }

    /// `[minx, miny, maxx, maxy]`, `None` when empty.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut add = |p: &[f64; 2]| {
            b[0] = b[0].min(p[0]);
            b[1] = b[1].min(p[1]);
            b[2] = b[2].max(p[0]);
            b[3] = b[3].max(p[1]);
        };
        match self {
            Projected::Empty => return None,
            Projected::Point(p) => add(p),
            Projected::Polygons(polys) => polys.iter().flatten().flatten().for_each(add),
        }
        Some(b)
    }

    /// Well-known text (`POINT (x y)`, `MULTIPOLYGON (((…)))`); empty string when empty.
    pub fn wkt(&self) -> String {
        let mut s = String::new();
        let num = |s: &mut String, x: f64| s.push_str(&crate::ogc::provider::format_real(x));
        match self {
            Projected::Empty => {}
            Projected::Point(p) => {
                s.push_str("POINT (");
                num(&mut s, p[0]);
                s.push(' ');
                num(&mut s, p[1]);
                s.push(')');
            }
            Projected::Polygons(polys) => {
                s.push_str("MULTIPOLYGON (");
                for (i, rings) in polys.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push('(');
                    for (j, ring) in rings.iter().enumerate() {
                        if j > 0 {
                            s.push(',');
                        }
                        s.push('(');
                        for (k, p) in ring.iter().enumerate() {
                            if k > 0 {
                                s.push(',');
                            }
                            num(&mut s, p[0]);
                            s.push(' ');
                            num(&mut s, p[1]);
                        }
                        s.push(')');
                    }
                    s.push(')');
                }
                s.push(')');
            }
        }
        s
    }

    /// ISO WKB, little-endian; `None` when empty.
    pub fn wkb(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let pt = |out: &mut Vec<u8>, p: &[f64; 2]| {
            out.extend_from_slice(&p[0].to_le_bytes());
            out.extend_from_slice(&p[1].to_le_bytes());
        };
        match self {
            Projected::Empty => return None,
            Projected::Point(p) => {
                out.push(1);
                out.extend_from_slice(&1u32.to_le_bytes());
                pt(&mut out, p);
            }
            Projected::Polygons(polys) => {
                out.push(1);
                out.extend_from_slice(&6u32.to_le_bytes());
                out.extend_from_slice(&(polys.len() as u32).to_le_bytes());
                for rings in polys {
                    out.push(1);
                    out.extend_from_slice(&3u32.to_le_bytes());
                    out.extend_from_slice(&(rings.len() as u32).to_le_bytes());
                    for ring in rings {
                        out.extend_from_slice(&(ring.len() as u32).to_le_bytes());
                        ring.iter().for_each(|p| pt(&mut out, p));
                    }
                }
            }
        }
        Some(out)
    }

    /// GeoPackage binary geometry (header with an envelope for polygons, then WKB);
    /// `None` when empty (written as SQL NULL).
    pub fn gpkg(&self, srs_id: i32) -> Option<Vec<u8>> {
        let wkb = self.wkb()?;
        let envelope = match self {
            Projected::Polygons(_) => self.bbox(),
            _ => None,
        };
        let mut out = Vec::with_capacity(wkb.len() + 40);
        out.extend_from_slice(b"GP");
        out.push(0);
        // Bit 0: little-endian; bits 1-3: envelope kind (1 = [minx, maxx, miny, maxy]).
        out.push(if envelope.is_some() {
            0b0000_0011
        } else {
            0b0000_0001
        });
        out.extend_from_slice(&srs_id.to_le_bytes());
        if let Some(b) = envelope {
            for v in [b[0], b[2], b[1], b[3]] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&wkb);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Projected {
        Projected::Polygons(vec![vec![vec![
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.0, 0.0],
        ]]])
    }

    #[test]
    fn wkt_of_a_point_and_a_square() {
        assert_eq!(Projected::Point([2.5, 43.0]).wkt(), "POINT (2.5 43)");
        assert_eq!(square().wkt(), "MULTIPOLYGON (((0 0,1 0,1 1,0 1,0 0)))");
        assert_eq!(Projected::Empty.wkt(), "");
    }

    #[test]
    fn wkb_of_a_point_is_21_bytes_little_endian() {
        let wkb = Projected::Point([1.0, 2.0]).wkb().unwrap();
        assert_eq!(wkb.len(), 21);
        assert_eq!(&wkb[..5], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(wkb[13..21].try_into().unwrap()), 2.0);
    }

    #[test]
    fn gpkg_polygons_carry_an_envelope_in_minx_maxx_miny_maxy_order() {
        let g = square().gpkg(2154).unwrap();
        assert_eq!(&g[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(g[4..8].try_into().unwrap()), 2154);
        let env: Vec<f64> = (0..4)
            .map(|k| f64::from_le_bytes(g[8 + 8 * k..16 + 8 * k].try_into().unwrap()))
            .collect();
        assert_eq!(env, vec![0.0, 1.0, 0.0, 1.0]);
        assert_eq!(g[40], 1);
    }
}
