//! Reprojection with the `proj` crate: libproj and its EPSG database choose the
//! transformation (the same one `cs2cs EPSG:4326 EPSG:xxxx` uses).

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use proj::Proj;

use super::ReprojectError;
use super::{Reproject, SUPPORTED_EPSG, WGS84, unsupported};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Direction {
    FromLonLat,
    ToLonLat,
}

thread_local! {
    // A libproj object belongs to one thread: each thread builds its own, once per CRS.
    static TRANSFORMS: RefCell<HashMap<(u32, Direction), Proj>> = RefCell::new(HashMap::new());
}

/// Reprojection with libproj (cargo feature `proj`).
#[derive(Debug, Default, Clone, Copy)]
pub struct ProjLib;

impl ProjLib {
    /// A reprojector; libproj objects are built on first use, per thread.
    pub fn new() -> ProjLib {
        ProjLib
    }
}

fn convert(epsg: u32, direction: Direction, a: f64, b: f64) -> Result<(f64, f64), ReprojectError> {
    if !SUPPORTED_EPSG.contains(&epsg) {
        return Err(unsupported(epsg));
    }
    TRANSFORMS.with_borrow_mut(|transforms| {
        let transform = match transforms.entry((epsg, direction)) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let projected = format!("EPSG:{epsg}");
                let (from, to) = match direction {
                    Direction::FromLonLat => ("EPSG:4326", projected.as_str()),
                    Direction::ToLonLat => (projected.as_str(), "EPSG:4326"),
                };
                let transform = Proj::new_known_crs(from, to, None).map_err(|e| {
                    ReprojectError(format!("libproj ne sait pas passer de {from} à {to} : {e}"))
                })?;
                entry.insert(transform)
            }
        };
        transform
            .convert((a, b))
            .map_err(|e| ReprojectError(format!("EPSG:{epsg}, point ({a}, {b}) : {e}")))
    })
}

impl Reproject for ProjLib {
    fn from_lonlat(&self, epsg: u32, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError> {
        if epsg == WGS84 {
            return Ok((lon, lat));
        }
        convert(epsg, Direction::FromLonLat, lon, lat)
    }

    fn to_lonlat(&self, epsg: u32, x: f64, y: f64) -> Result<(f64, f64), ReprojectError> {
        if epsg == WGS84 {
            return Ok((x, y));
        }
        convert(epsg, Direction::ToLonLat, x, y)
    }

    fn name(&self) -> String {
        let version = Proj::new("+proj=longlat +datum=WGS84")
            .ok()
            .and_then(|p| proj::Info::info(&p).ok())
            .map(|info| info.version);
        match version {
            Some(v) => format!("PROJ {v}"),
            None => "PROJ".to_string(),
        }
    }
}
