//! Pure-Rust reprojection with `proj4rs`.

use std::collections::HashMap;

use proj4rs::Proj;

use super::ReprojectError;
use super::{Reproject, WGS84, proj4_definition, unsupported};

/// Reprojection with `proj4rs`; the projections are parsed once.
pub struct Proj4rs {
    wgs84: Proj,
    projected: HashMap<u32, Proj>,
}

impl Proj4rs {
    /// Parses the definitions of every supported CRS.
    pub fn new() -> Proj4rs {
        let wgs84 = Proj::from_proj_string("+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs")
            .expect("static WGS84 definition parses");
        let projected = super::SUPPORTED_EPSG
            .iter()
            .filter_map(|&e| {
                let def = proj4_definition(e)?;
                Proj::from_proj_string(def).ok().map(|p| (e, p))
            })
            .collect();
        Proj4rs { wgs84, projected }
    }

    fn get(&self, epsg: u32) -> Result<&Proj, ReprojectError> {
        self.projected.get(&epsg).ok_or_else(|| unsupported(epsg))
    }
}

impl Default for Proj4rs {
    fn default() -> Self {
        Proj4rs::new()
    }
}

fn run(src: &Proj, dst: &Proj, p: &mut (f64, f64, f64)) -> Result<(), ReprojectError> {
    proj4rs::transform::transform(src, dst, p).map_err(|e| ReprojectError(e.to_string()))
}

impl Reproject for Proj4rs {
    fn from_lonlat(&self, epsg: u32, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError> {
        if epsg == WGS84 {
            return Ok((lon, lat));
        }
        let dst = self.get(epsg)?;
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        run(&self.wgs84, dst, &mut p)?;
        Ok((p.0, p.1))
    }

    fn to_lonlat(&self, epsg: u32, x: f64, y: f64) -> Result<(f64, f64), ReprojectError> {
        if epsg == WGS84 {
            return Ok((x, y));
        }
        let src = self.get(epsg)?;
        let mut p = (x, y, 0.0);
        run(src, &self.wgs84, &mut p)?;
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    fn name(&self) -> String {
        "proj4rs (Rust)".to_string()
    }
}
