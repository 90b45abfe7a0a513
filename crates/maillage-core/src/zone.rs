//! Metric zones: which projected CRS measures distances in each part of France.
//!
//! Distances are computed in metres in the zone's CRS (Lambert-93 for metropolitan
//! France and Corsica, UTM zones overseas). Points of different zones are never
//! compared: each zone has its own index.

use serde::Serialize;

use crate::DepartementCode;

/// A territory with its own projected CRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// Metropolitan France and Corsica, RGF93 v1 / Lambert-93 (EPSG:2154).
    Metropole,
    /// Guadeloupe, Martinique, Saint-Barthélemy, Saint-Martin: RGAF09 / UTM 20N (EPSG:5490).
    Antilles,
    /// Guyane: RGFG95 / UTM 22N (EPSG:2972).
    Guyane,
    /// La Réunion: RGR92 / UTM 40S (EPSG:2975).
    Reunion,
    /// Mayotte: RGM04 / UTM 38S (EPSG:4471).
    Mayotte,
    /// Saint-Pierre-et-Miquelon: RGSPM06 / UTM 21N (EPSG:4467).
    SaintPierreEtMiquelon,
    /// Nouvelle-Calédonie: RGNC91-93 / Lambert New Caledonia (EPSG:3163).
    NouvelleCaledonie,
    /// Polynésie française: RGPF / UTM 6S (EPSG:3297).
    Polynesie,
    /// Wallis-et-Futuna: RGWF96 / UTM 1S (EPSG:8903).
    WallisEtFutuna,
}

impl Zone {
    /// Every zone, in a fixed order.
    pub const ALL: [Zone; 9] = [
        Zone::Metropole,
        Zone::Antilles,
        Zone::Guyane,
        Zone::Reunion,
        Zone::Mayotte,
        Zone::SaintPierreEtMiquelon,
        Zone::NouvelleCaledonie,
        Zone::Polynesie,
        Zone::WallisEtFutuna,
    ];

    /// The EPSG code of the zone's projected CRS.
    pub fn epsg(self) -> u32 {
        match self {
            Zone::Metropole => 2154,
            Zone::Antilles => 5490,
            Zone::Guyane => 2972,
            Zone::Reunion => 2975,
            Zone::Mayotte => 4471,
            Zone::SaintPierreEtMiquelon => 4467,
            Zone::NouvelleCaledonie => 3163,
            Zone::Polynesie => 3297,
            Zone::WallisEtFutuna => 8903,
        }
    }

    /// Position of the zone in [`Zone::ALL`].
    pub fn index(self) -> usize {
        Zone::ALL.iter().position(|z| *z == self).unwrap_or(0)
    }

    /// The zone of a département or collectivity code.
    ///
    /// ```
    /// use maillage_core::{DepartementCode, Zone};
    /// let d = |s: &str| s.parse::<DepartementCode>().unwrap();
    /// assert_eq!(Zone::of_departement(&d("81")), Zone::Metropole);
    /// assert_eq!(Zone::of_departement(&d("2A")), Zone::Metropole);
    /// assert_eq!(Zone::of_departement(&d("974")), Zone::Reunion);
    /// ```
    pub fn of_departement(dep: &DepartementCode) -> Zone {
        match dep.as_str() {
            "971" | "972" | "977" | "978" => Zone::Antilles,
            "973" => Zone::Guyane,
            "974" => Zone::Reunion,
            "976" => Zone::Mayotte,
            "975" => Zone::SaintPierreEtMiquelon,
            "988" => Zone::NouvelleCaledonie,
            "987" => Zone::Polynesie,
            "986" => Zone::WallisEtFutuna,
            _ => Zone::Metropole,
        }
    }

    /// The zone a WGS84 position falls in, from coarse boxes around each territory;
    /// `None` far from any French territory.
    ///
    /// ```
    /// use maillage_core::Zone;
    /// assert_eq!(Zone::of_lonlat(2.15, 43.93), Some(Zone::Metropole)); // Albi
    /// assert_eq!(Zone::of_lonlat(55.45, -20.88), Some(Zone::Reunion)); // Saint-Denis
    /// assert_eq!(Zone::of_lonlat(166.45, -22.27), Some(Zone::NouvelleCaledonie)); // Nouméa
    /// assert_eq!(Zone::of_lonlat(-40.0, 30.0), None);
    /// ```
    pub fn of_lonlat(lon: f64, lat: f64) -> Option<Zone> {
        let inside = |w: f64, s: f64, e: f64, n: f64| lon >= w && lon <= e && lat >= s && lat <= n;
        if inside(-5.8, 41.2, 10.0, 51.5) {
            Some(Zone::Metropole)
        } else if inside(-63.5, 14.2, -60.6, 18.3) {
            Some(Zone::Antilles)
        } else if inside(-54.8, 2.0, -51.4, 6.0) {
            Some(Zone::Guyane)
        } else if inside(55.0, -21.6, 56.0, -20.7) {
            Some(Zone::Reunion)
        } else if inside(44.8, -13.2, 45.5, -12.5) {
            Some(Zone::Mayotte)
        } else if inside(-56.6, 46.6, -56.0, 47.2) {
            Some(Zone::SaintPierreEtMiquelon)
        } else if inside(163.0, -23.0, 169.0, -19.5) {
            Some(Zone::NouvelleCaledonie)
        } else if inside(-155.0, -28.5, -134.0, -7.0) {
            Some(Zone::Polynesie)
        } else if inside(-178.5, -14.5, -175.8, -13.0) {
            Some(Zone::WallisEtFutuna)
        } else {
            None
        }
    }
}

/// A position known in WGS84 and in its zone's projected CRS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    /// Longitude, latitude in degrees (EPSG:4326, axis order lon/lat as in RFC 7946).
    pub lonlat: [f64; 2],
    /// Easting, northing in metres in the zone's CRS.
    pub xy: [f64; 2],
    /// The zone whose CRS `xy` is expressed in.
    pub zone: Zone,
}

impl Position {
    /// Straight-line distance in metres to another position of the same zone;
    /// `None` when the zones differ.
    pub fn distance_m(&self, other: &Position) -> Option<f64> {
        (self.zone == other.zone).then(|| {
            ((self.xy[0] - other.xy[0]).powi(2) + (self.xy[1] - other.xy[1]).powi(2)).sqrt()
        })
    }
}
