//! The reprojection interface between WGS84 lon/lat and the projected CRSs of the French
//! territories. The implementations (`proj4rs`, libproj) live in `maillage-ingest`; the
//! application builds one and passes it to whatever needs to project.

use crate::{Position, Zone};

/// A failed reprojection (French message).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("reprojection impossible : {0}")]
pub struct ReprojectError(pub String);

/// Converts coordinates between WGS84 lon/lat (degrees) and a projected CRS (metres).
// `from_lonlat` names the source CRS, not a constructor.
#[allow(clippy::wrong_self_convention)]
pub trait Reproject: Send + Sync {
    /// Projects lon/lat degrees (EPSG:4326) to easting/northing in `epsg`
    /// (the identity when `epsg` is [`WGS84`]).
    fn from_lonlat(&self, epsg: u32, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError>;
    /// Unprojects easting/northing in `epsg` to lon/lat degrees (EPSG:4326)
    /// (the identity when `epsg` is [`WGS84`]).
    fn to_lonlat(&self, epsg: u32, x: f64, y: f64) -> Result<(f64, f64), ReprojectError>;
    /// The library doing the work, with its version where known (for layer metadata).
    fn name(&self) -> String;
}

/// WGS84 longitude/latitude in degrees; reprojecting to or from it is the identity.
pub const WGS84: u32 = 4326;

/// A WGS84 point with its zone's projected coordinates; an error when the point lies
/// outside every French territory.
pub fn position(r: &dyn Reproject, lon: f64, lat: f64) -> Result<Position, ReprojectError> {
    let zone = Zone::of_lonlat(lon, lat).ok_or_else(|| {
        ReprojectError(format!(
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
