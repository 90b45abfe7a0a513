//! Coordinate reference systems of OGC API – Features Part 2 (CRS by reference).
//!
//! Storage is CRS84 (lon/lat). Outputs can be CRS84, EPSG:4326 (lat/lon axis order in
//! the API's GeoJSON, as the EPSG definition says), Lambert-93 and the overseas
//! projected CRSs of [`maillage_ingest::reproject::SUPPORTED_EPSG`].

use maillage_ingest::reproject::{Reproject, SUPPORTED_EPSG};

/// A supported CRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// WGS84 longitude/latitude (the default).
    Crs84,
    /// WGS84 latitude/longitude (EPSG axis order).
    Epsg4326,
    /// A projected CRS in metres (easting/northing).
    Projected(u32),
}

const OGC_CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG_PREFIX: &str = "http://www.opengis.net/def/crs/EPSG/0/";

impl Crs {
    /// Every supported CRS, CRS84 first.
    pub fn all() -> Vec<Crs> {
        let mut v = vec![Crs::Crs84, Crs::Epsg4326];
        v.extend(SUPPORTED_EPSG.iter().map(|&e| Crs::Projected(e)));
        v
    }

    /// The OGC URI.
    pub fn uri(self) -> String {
        match self {
            Crs::Crs84 => OGC_CRS84.to_string(),
            Crs::Epsg4326 => format!("{EPSG_PREFIX}4326"),
            Crs::Projected(e) => format!("{EPSG_PREFIX}{e}"),
        }
    }

    /// The EPSG code (4326 for both geographic forms).
    pub fn epsg(self) -> u32 {
        match self {
            Crs::Crs84 | Crs::Epsg4326 => 4326,
            Crs::Projected(e) => e,
        }
    }

    /// True for the geographic CRSs.
    pub fn is_geographic(self) -> bool {
        !matches!(self, Crs::Projected(_))
    }

    /// Reads a CRS from its URI (`http://www.opengis.net/def/crs/EPSG/0/2154`), URN
    /// (`urn:ogc:def:crs:EPSG::2154`) or short form (`EPSG:2154`, `CRS84`).
    ///
    /// ```
    /// use maillage_server::ogc::crs::Crs;
    /// assert_eq!(Crs::parse("http://www.opengis.net/def/crs/EPSG/0/2154"), Some(Crs::Projected(2154)));
    /// assert_eq!(Crs::parse("EPSG:4326"), Some(Crs::Epsg4326));
    /// assert_eq!(Crs::parse("http://www.opengis.net/def/crs/OGC/1.3/CRS84"), Some(Crs::Crs84));
    /// assert_eq!(Crs::parse("EPSG:3857"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Crs> {
        let t = s.trim();
        let t = t
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or(t);
        let lower = t.to_ascii_lowercase();
        let lower = lower.replacen("https://", "http://", 1);
        if lower == OGC_CRS84.to_ascii_lowercase()
            || lower == "crs84"
            || lower == "ogc:crs84"
            || lower == "urn:ogc:def:crs:ogc:1.3:crs84"
            || lower == "urn:ogc:def:crs:ogc::crs84"
        {
            return Some(Crs::Crs84);
        }
        let code = lower
            .strip_prefix(&EPSG_PREFIX.to_ascii_lowercase())
            .or_else(|| lower.strip_prefix("epsg:"))
            .or_else(|| lower.strip_prefix("urn:ogc:def:crs:epsg::"))
            .or_else(|| lower.strip_prefix("urn:ogc:def:crs:epsg:"))?;
        let code: u32 = code.parse().ok()?;
        if code == 4326 {
            Some(Crs::Epsg4326)
        } else if SUPPORTED_EPSG.contains(&code) {
            Some(Crs::Projected(code))
        } else {
            None
        }
    }

    /// A short label (`EPSG:2154`, `CRS84`).
    pub fn label(self) -> String {
        match self {
            Crs::Crs84 => "CRS84".into(),
            other => format!("EPSG:{}", other.epsg()),
        }
    }
}

/// Converts lon/lat coordinates to a CRS, in the x/y order of the CRS's *files*
/// (lon/lat for both geographic CRSs: GeoPackage, Shapefile and WKT use that order).
pub struct Projector<'a> {
    crs: Crs,
    reproject: &'a dyn Reproject,
}

impl<'a> Projector<'a> {
    /// A projector to `crs`.
    pub fn new(crs: Crs, reproject: &'a dyn Reproject) -> Projector<'a> {
        Projector { crs, reproject }
    }

    /// The target CRS.
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// `[x, y]` in the target CRS (easting/northing, or lon/lat); `None` when the
    /// projection fails for this point.
    pub fn project(&self, lonlat: [f64; 2]) -> Option<[f64; 2]> {
        match self.crs {
            Crs::Crs84 | Crs::Epsg4326 => Some(lonlat),
            Crs::Projected(epsg) => {
                let (x, y) = self
                    .reproject
                    .from_lonlat(epsg, lonlat[0], lonlat[1])
                    .ok()?;
                (x.is_finite() && y.is_finite()).then_some([x, y])
            }
        }
    }
}

/// Turns a bbox given in `crs` (in that CRS's axis order) into a lon/lat bbox
/// `[west, south, east, north]` that contains it, sampling its edges.
pub fn bbox_to_lonlat(
    bbox: [f64; 4],
    crs: Crs,
    reproject: &dyn Reproject,
) -> Result<[f64; 4], String> {
    match crs {
        Crs::Crs84 => Ok(bbox),
        Crs::Epsg4326 => Ok([bbox[1], bbox[0], bbox[3], bbox[2]]),
        Crs::Projected(epsg) => {
            const STEPS: usize = 8;
            let [x0, y0, x1, y1] = bbox;
            let mut out = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for k in 0..=STEPS {
                let t = k as f64 / STEPS as f64;
                let x = x0 + (x1 - x0) * t;
                let y = y0 + (y1 - y0) * t;
                for (px, py) in [(x, y0), (x, y1), (x0, y), (x1, y)] {
                    let (lon, lat) = reproject.to_lonlat(epsg, px, py).map_err(|e| {
                        format!("bbox impossible à convertir depuis EPSG:{epsg} : {e}")
                    })?;
                    if !lon.is_finite() || !lat.is_finite() {
                        return Err(format!(
                            "bbox hors du domaine de EPSG:{epsg} (coin {px}, {py})"
                        ));
                    }
                    out[0] = out[0].min(lon);
                    out[1] = out[1].min(lat);
                    out[2] = out[2].max(lon);
                    out[3] = out[3].max(lat);
                }
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_ingest::reproject::default_reprojector;

    #[test]
    fn every_supported_crs_parses_back_from_its_uri() {
        for crs in Crs::all() {
            assert_eq!(Crs::parse(&crs.uri()), Some(crs), "{}", crs.uri());
        }
    }

    #[test]
    fn epsg_4326_bbox_is_read_latitude_first() {
        let r = default_reprojector();
        let b = bbox_to_lonlat([43.5, 1.5, 44.2, 2.9], Crs::Epsg4326, &*r).unwrap();
        assert_eq!(b, [1.5, 43.5, 2.9, 44.2]);
    }

    #[test]
    fn lambert93_bbox_around_albi_converts_to_degrees_around_albi() {
        let r = default_reprojector();
        let b = bbox_to_lonlat(
            [620_000.0, 6_300_000.0, 640_000.0, 6_320_000.0],
            Crs::Projected(2154),
            &*r,
        )
        .unwrap();
        // Albi (2.148, 43.928) is inside; the box spans about 20 km.
        assert!(
            b[0] < 2.148 && b[2] > 2.148 && b[1] < 43.928 && b[3] > 43.928,
            "{b:?}"
        );
        assert!(b[2] - b[0] < 0.3 && b[3] - b[1] < 0.2, "{b:?}");
    }
}
