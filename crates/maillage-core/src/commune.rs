//! Communes, their town halls, EPCI and départements.

use geo::{BoundingRect, MultiPolygon};
use serde::Serialize;

use crate::{DepartementCode, EpciSiren, Fragility, InseeCode, Position};

/// A commune (COG type COM) with its boundary in WGS84.
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE code.
    pub code: InseeCode,
    /// Official name.
    pub name: String,
    /// Population municipale (INSEE), of the year in `population_year`.
    pub population: u32,
    /// Postal codes serving the commune.
    pub postal_codes: Vec<String>,
    /// Département code.
    pub departement: DepartementCode,
    /// EPCI the commune belongs to, if any (a few islands belong to none).
    pub epci: Option<EpciSiren>,
    /// Boundary, lon/lat degrees (EPSG:4326). Empty when the source has none.
    pub boundary: MultiPolygon<f64>,
    /// Where the commune's boundary came from (registry or an override file).
    pub boundary_source: String,
    /// The town hall, when the registry knows it.
    pub town_hall: Option<TownHall>,
    /// Fragility scores, per model.
    pub fragility: Fragility,
    /// Census year (millésime) of `population`, when the source states it.
    pub population_year: Option<u16>,
}

impl Commune {
    /// The town hall when its point can stand for the commune ([`TownHall::is_located`]).
    pub fn located_town_hall(&self) -> Option<&TownHall> {
        self.town_hall.as_ref().filter(|t| t.is_located())
    }

    /// Bounding box `[west, south, east, north]` of the boundary, if it has one.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.boundary
            .bounding_rect()
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
    }
}

/// A municipal arrondissement of Paris, Lyon or Marseille (COG type ARM).
#[derive(Debug, Clone, Serialize)]
pub struct Arrondissement {
    /// INSEE code of the arrondissement (75111, 13201, 69383…).
    pub code: InseeCode,
    /// Official name ("Paris 11e Arrondissement").
    pub name: String,
    /// Population municipale, of the commune's `population_year`.
    pub population: u32,
    /// Postal codes serving the arrondissement.
    pub postal_codes: Vec<String>,
    /// IFN 2023 deciles of the arrondissement, as published.
    pub ifn2023: Option<crate::Ifn2023>,
}

/// A town hall (mairie): where a permanence can be held.
#[derive(Debug, Clone, Serialize)]
pub struct TownHall {
    /// Its position.
    pub position: Position,
    /// Postal address, lines joined by newlines.
    pub address: String,
    /// Opening hours.
    pub opening_hours: Vec<OpeningSlot>,
    /// Accessibility code as published by the registry (e.g. `NAC`), empty if unknown.
    pub accessibility: String,
    /// Accessibility details, free text.
    pub accessibility_details: String,
    /// Contact e-mail.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Web site.
    pub website: String,
    /// How the point compares with the commune's boundary.
    pub location_check: TownHallCheck,
    /// Distance in metres from the point to the commune's boundary, when the point lies
    /// outside it (`None`: inside, or not checked).
    pub outside_by_m: Option<f64>,
}

impl TownHall {
    /// Whether the point can stand for the commune (access point, venue placement):
    /// false when it lies outside the commune beyond the tolerance.
    pub fn is_located(&self) -> bool {
        self.location_check != TownHallCheck::HorsCommune
    }
}

/// Result of checking a town hall's point against its commune's boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TownHallCheck {
    /// The commune has no boundary to check against.
    #[default]
    NonVerifie,
    /// Inside the boundary.
    DansLaCommune,
    /// Outside, but within the tolerance of the boundary (coast, generalised boundary).
    PresDeLaLimite,
    /// Outside beyond the tolerance: not used as the commune's access point.
    HorsCommune,
}

impl TownHallCheck {
    /// The code used in the API and exports (`hors_commune`…).
    pub fn as_str(self) -> &'static str {
        match self {
            TownHallCheck::NonVerifie => "non_verifie",
            TownHallCheck::DansLaCommune => "dans_la_commune",
            TownHallCheck::PresDeLaLimite => "pres_de_la_limite",
            TownHallCheck::HorsCommune => "hors_commune",
        }
    }
}

/// Days of the week, French names as in the registry.
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// One opening slot: a weekday and a time interval in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OpeningSlot {
    /// 0 = lundi … 6 = dimanche.
    pub weekday: u8,
    /// Opening, minutes after midnight.
    pub open: u16,
    /// Closing, minutes after midnight.
    pub close: u16,
}

impl OpeningSlot {
    /// Renders slots as an OSM `opening_hours` string (`Mo 09:00-12:00,14:00-17:00; Fr 09:00-12:00`).
    ///
    /// ```
    /// use maillage_core::OpeningSlot;
    /// let s = [
    ///     OpeningSlot { weekday: 0, open: 540, close: 720 },
    ///     OpeningSlot { weekday: 0, open: 840, close: 1020 },
    ///     OpeningSlot { weekday: 4, open: 540, close: 720 },
    /// ];
    /// assert_eq!(OpeningSlot::to_osm(&s), "Mo 09:00-12:00,14:00-17:00; Fr 09:00-12:00");
    /// ```
    pub fn to_osm(slots: &[OpeningSlot]) -> String {
        const OSM: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
        let mut out: Vec<String> = Vec::new();
        for day in 0..7u8 {
            let times: Vec<String> = slots
                .iter()
                .filter(|s| s.weekday == day)
                .map(|s| {
                    format!(
                        "{:02}:{:02}-{:02}:{:02}",
                        s.open / 60,
                        s.open % 60,
                        s.close / 60,
                        s.close % 60
                    )
                })
                .collect();
            if !times.is_empty() {
                out.push(format!("{} {}", OSM[day as usize], times.join(",")));
            }
        }
        out.join("; ")
    }
}

/// An EPCI (intercommunalité).
#[derive(Debug, Clone, Serialize)]
pub struct Epci {
    /// SIREN.
    pub siren: EpciSiren,
    /// Name.
    pub name: String,
    /// Legal form (CC, CA, CU, MET…).
    pub kind: String,
}

/// A département.
#[derive(Debug, Clone, Serialize)]
pub struct Departement {
    /// Code.
    pub code: DepartementCode,
    /// Name.
    pub name: String,
}
