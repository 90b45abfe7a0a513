//! Reprojection between EPSG:4326 and the projected CRSs Maillage uses
//! (Lambert-93 and the overseas UTM / Lambert zones): the implementations of the
//! [`Reproject`] interface of `maillage-core`.
//!
//! The default build uses pure-Rust `proj4rs`; the cargo feature `proj` uses the
//! `proj` crate (libproj and its EPSG database). Both pass the same tests
//! (`tests/reproject_*.rs`). [`epsg_of_prj`] reads the CRS of a Shapefile `.prj`.

mod prj;
mod proj4rs_impl;
#[cfg(feature = "proj")]
mod proj_impl;

pub use maillage_core::reproject::{Reproject, ReprojectError, WGS84, position};

pub use prj::{epsg_of_esri_wkt, epsg_of_prj};
#[cfg(feature = "proj")]
pub use proj_impl::ProjLib;
pub use proj4rs_impl::Proj4rs;

/// The EPSG codes Maillage can reproject to and from, besides 4326.
pub const SUPPORTED_EPSG: [u32; 9] = [2154, 5490, 2972, 2975, 4471, 4467, 3163, 3297, 8903];

/// The proj4 definition of a supported projected CRS.
pub fn proj4_definition(epsg: u32) -> Option<&'static str> {
    Some(match epsg {
        2154 => {
            "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
        }
        5490 => "+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        // RGFG95 to WGS 84 (2), a null shift: the operation PROJ chooses (1 m) over (1) (2,2,-2; 2 m).
        2972 => "+proj=utm +zone=22 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        2975 => "+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        4471 => "+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        4467 => "+proj=utm +zone=21 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        3163 => {
            "+proj=lcc +lat_0=-21.5 +lon_0=166 +lat_1=-20.6666666666667 +lat_2=-22.3333333333333 +x_0=400000 +y_0=300000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
        }
        // RGPF to WGS 84 (1); +towgs84 rotations use the position-vector convention.
        3297 => {
            "+proj=utm +zone=6 +south +ellps=GRS80 +towgs84=0.072,-0.507,-0.245,0.0183,-0.0003,0.007,-0.0093 +units=m +no_defs"
        }
        8903 => "+proj=utm +zone=1 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        _ => return None,
    })
}

/// The reprojector of this build: `proj` with the cargo feature of that name, else `proj4rs`.
pub fn default_reprojector() -> Box<dyn Reproject> {
    #[cfg(feature = "proj")]
    {
        Box::new(ProjLib::new())
    }
    #[cfg(not(feature = "proj"))]
    {
        Box::new(Proj4rs::new())
    }
}

fn unsupported(epsg: u32) -> ReprojectError {
    ReprojectError(format!(
        "EPSG:{epsg} non pris en charge (attendu 4326 ou l'un de {SUPPORTED_EPSG:?})"
    ))
}
