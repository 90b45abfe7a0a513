//! Reprojection between EPSG:4326 and the projected CRSs Maillage uses
//! (Lambert-93 and the overseas UTM zones), behind one small interface.
//!
//! The default build uses pure-Rust `proj4rs`; the cargo feature `proj` uses the
//! `proj` crate (libproj). Both pass the same tests.

mod proj4rs_impl;

use maillage_core::{Position, Zone};

use crate::{IngestError, IngestResult};

pub use proj4rs_impl::Proj4rs;

/// Converts coordinates between WGS84 lon/lat (degrees) and a projected CRS (metres).
pub trait Reproject: Send + Sync {
    /// Projects lon/lat degrees (EPSG:4326) to easting/northing in `epsg`.
    fn from_lonlat(&self, epsg: u32, lon: f64, lat: f64) -> IngestResult<(f64, f64)>;
    /// Unprojects easting/northing in `epsg` to lon/lat degrees (EPSG:4326).
    fn to_lonlat(&self, epsg: u32, x: f64, y: f64) -> IngestResult<(f64, f64)>;
}

/// The EPSG codes Maillage can reproject to and from, besides 4326.
pub const SUPPORTED_EPSG: [u32; 9] = [2154, 5490, 2972, 2975, 4471, 4467, 3163, 3297, 8903];

/// The proj4 definition of a supported projected CRS.
pub fn proj4_definition(epsg: u32) -> Option<&'static str> {
    Some(match epsg {
        2154 => {
            "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
        }
        5490 => "+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        2972 => "+proj=utm +zone=22 +ellps=GRS80 +towgs84=2,2,-2,0,0,0,0 +units=m +no_defs",
        2975 => "+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        4471 => "+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        4467 => "+proj=utm +zone=21 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        3163 => {
            "+proj=lcc +lat_0=-21.5 +lon_0=166 +lat_1=-20.6666666666667 +lat_2=-22.3333333333333 +x_0=400000 +y_0=300000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
        }
        3297 => {
            "+proj=utm +zone=6 +south +ellps=GRS80 +towgs84=0.072,-0.507,-0.245,-0.0183,0.0003,-0.007,-0.0093 +units=m +no_defs"
        }
        8903 => "+proj=utm +zone=1 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        _ => return None,
    })
}

/// The reprojector of this build: `proj` with the cargo feature of that name, else `proj4rs`.
pub fn default_reprojector() -> Box<dyn Reproject> {
    Box::new(Proj4rs::new())
}

/// A WGS84 point with its zone's projected coordinates; an error when the point lies
/// outside every French territory.
pub fn position(r: &dyn Reproject, lon: f64, lat: f64) -> IngestResult<Position> {
    let zone = Zone::of_lonlat(lon, lat).ok_or_else(|| {
        IngestError::Reproject(format!(
            "le point ({lon}, {lat}) est hors de France (métropole et outre-mer)"
        ))
    })?;
    let (x, y) = r.from_lonlat(zone.epsg(), lon, lat)?;
    Ok(Position {
        lonlat: [lon, lat],
        xy: [x, y],
        zone,
    })
}

fn unsupported(epsg: u32) -> IngestError {
    IngestError::Reproject(format!(
        "EPSG:{epsg} non pris en charge (attendu 4326 ou l'un de {SUPPORTED_EPSG:?})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_origin_is_3e_46_5n() {
        let r = default_reprojector();
        let (lon, lat) = r.to_lonlat(2154, 700_000.0, 6_600_000.0).unwrap();
        assert!(
            (lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9,
            "{lon} {lat}"
        );
        let (x, y) = r.from_lonlat(2154, 3.0, 46.5).unwrap();
        assert!(
            (x - 700_000.0).abs() < 1e-3 && (y - 6_600_000.0).abs() < 1e-3,
            "{x} {y}"
        );
    }

    #[test]
    fn eiffel_tower_in_lambert93() {
        let r = default_reprojector();
        let (x, y) = r.from_lonlat(2154, 2.2945, 48.8584).unwrap();
        assert!(
            (x - 648_237.30).abs() < 0.01 && (y - 6_862_271.68).abs() < 0.01,
            "{x} {y}"
        );
    }
}
