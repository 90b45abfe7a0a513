//! The catalog: every loaded layer, indexed, with its provenance.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::{
    Arrondissement, Commune, Departement, DepartementCode, Epci, EpciSiren, Ifn2023, InseeCode,
    IrisFragility, ItineranceState, Position, SpatialIndex, Venue, VenueId, VenueKind,
};

/// Provenance and state of one layer, shown in the README, the API and the UI.
#[derive(Debug, Clone, Serialize)]
pub struct LayerInfo {
    /// Short id (`communes`, `venues`, `ifn-2020`…).
    pub id: String,
    /// Human title, in French.
    pub title: String,
    /// Where the data comes from (producer, package or file, version).
    pub source: String,
    /// Licence as stated by the producer.
    pub licence: String,
    /// Date or vintage of the data.
    pub date: String,
    /// Loaded or missing.
    pub status: LayerStatus,
}

/// Whether a layer is available.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum LayerStatus {
    /// Loaded, with the number of records.
    Loaded {
        /// Number of records.
        count: usize,
    },
    /// Not loaded; the message says why and how to add it.
    Missing {
        /// What is missing and how to add it (French).
        message: String,
    },
}

/// A venue whose `code_insee` names another commune than the one containing its point.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneMismatch {
    /// The venue.
    pub venue: VenueId,
    /// Its source id.
    pub venue_key: String,
    /// The `code_insee` it declares.
    pub declared: String,
    /// The commune its coordinates fall in (`None`: outside every loaded commune).
    pub located: Option<InseeCode>,
}

/// Criteria a venue must meet to count (e.g. for the nearest venue).
/// The default lets every venue through.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VenueFilter {
    /// At least one of these services, declared or inferred from a label (empty: any).
    pub services: Vec<String>,
    /// At least one of these typologies (empty: any).
    pub typologies: Vec<String>,
    /// At least one of these publics (empty: any).
    pub publics: Vec<String>,
    /// Only venues that declare themselves fixed (`itinerance` has `Fixe`): a blank
    /// `itinerance` is unknown and does not pass.
    pub fixed_only: bool,
    /// One of these kinds (empty: any).
    pub kinds: Vec<VenueKind>,
    /// At least this many open half-days a week, for venues whose hours were parsed;
    /// venues with unknown or unreadable hours pass unless `exclude_unknown_hours`.
    pub min_half_days: Option<f64>,
    /// Leave out venues whose hours are not given or not understood.
    pub exclude_unknown_hours: bool,
}

impl VenueFilter {
    /// Whether the venue meets every criterion.
    pub fn matches(&self, v: &Venue) -> bool {
        let any = |want: &[String], have: &[String]| {
            want.is_empty() || want.iter().any(|w| have.contains(w))
        };
        let hours = v.hours();
        (self.services.is_empty() || self.services.iter().any(|s| v.record.offers(s)))
            && any(&self.typologies, &v.record.typologie)
            && any(&self.publics, &v.record.publics_specifiquement_adresses)
            && !(self.fixed_only && v.record.itinerance_state() != ItineranceState::Fixe)
            && (self.kinds.is_empty() || self.kinds.contains(&v.kind()))
            && !(self.exclude_unknown_hours && hours.parsed() != Some(true))
            && match (self.min_half_days, hours.half_days_per_week()) {
                (Some(min), Some(h)) => h >= min,
                _ => true,
            }
    }

    /// True when the filter lets every venue through.
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.typologies.is_empty()
            && self.publics.is_empty()
            && !self.fixed_only
            && self.kinds.is_empty()
            && self.min_half_days.is_none()
            && !self.exclude_unknown_hours
    }
}

/// Everything Maillage serves, indexed. Built once, then read-only.
#[derive(Debug)]
pub struct Catalog {
    /// Communes, sorted by INSEE code.
    pub communes: Vec<Commune>,
    /// Venues; `venues[i].id == VenueId(i)`.
    pub venues: Vec<Venue>,
    /// EPCI by SIREN.
    pub epcis: BTreeMap<EpciSiren, Epci>,
    /// Départements by code.
    pub departements: BTreeMap<DepartementCode, Departement>,
    /// Provenance and state of every layer.
    pub layers: Vec<LayerInfo>,
    /// Venues whose declared commune disagrees with their coordinates.
    pub mismatches: Vec<CommuneMismatch>,
    /// IFN 2023 deciles per EPCI, as published (not aggregated from communes).
    pub epci_ifn2023: BTreeMap<EpciSiren, Ifn2023>,
    /// IFN 2020 scores per IRIS, grouped by commune.
    pub iris: BTreeMap<InseeCode, Vec<IrisFragility>>,
    by_code: HashMap<InseeCode, usize>,
    index: SpatialIndex,
    /// Municipal arrondissements of Paris, Lyon and Marseille, by commune code.
    pub arrondissements: BTreeMap<InseeCode, Vec<Arrondissement>>,
}

impl Catalog {
    /// Builds the catalog: sorts communes, indexes everything, assigns each venue to
    /// the commune containing it (else to its [`Venue::declared_commune`]) and records
    /// disagreements with `code_insee`.
    pub fn new(
        mut communes: Vec<Commune>,
        mut venues: Vec<Venue>,
        epcis: BTreeMap<EpciSiren, Epci>,
        departements: BTreeMap<DepartementCode, Departement>,
        layers: Vec<LayerInfo>,
    ) -> Catalog {
        communes.sort_by_key(|c| c.code);
        let by_code = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code, i))
            .collect();
        for (i, v) in venues.iter_mut().enumerate() {
            v.id = VenueId(i as u32);
        }
        let positions: Vec<Position> = venues.iter().map(|v| v.position).collect();
        let bboxes: Vec<Option<[f64; 4]>> = communes.iter().map(Commune::bbox).collect();
        let index = SpatialIndex::build(&positions, &bboxes);
        let mut mismatches = Vec::new();
        for v in &mut venues {
            let [lon, lat] = v.position.lonlat;
            let found = index
                .area_containing(lon, lat, |i| &communes[i].boundary)
                .map(|i| communes[i].code);
            // A point in no commune (sea, dummy point) counts in its declared commune.
            v.commune = found.or(v.declared_commune);
            let declared = v.record.code_insee.trim();
            // An arrondissement code (Paris, Lyon, Marseille) agrees with its commune.
            let agrees = match (declared.parse::<InseeCode>(), found) {
                (Ok(d), Some(f)) => d.is_within(&f),
                _ => false,
            };
            if !declared.is_empty() && !agrees {
                mismatches.push(CommuneMismatch {
                    venue: v.id,
                    venue_key: v.record.id.clone(),
                    declared: declared.to_string(),
                    located: found,
                });
            }
        }
        Catalog {
            communes,
            venues,
            epcis,
            departements,
            layers,
            mismatches,
            epci_ifn2023: BTreeMap::new(),
            iris: BTreeMap::new(),
            by_code,
            index,
            arrondissements: BTreeMap::new(),
        }
    }

    /// The commune with that INSEE code.
    pub fn commune(&self, code: &InseeCode) -> Option<&Commune> {
        self.by_code.get(code).map(|&i| &self.communes[i])
    }

    /// Position of the commune in [`Catalog::communes`].
    pub fn commune_index(&self, code: &InseeCode) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The commune whose boundary contains the lon/lat point.
    pub fn commune_at(&self, lon: f64, lat: f64) -> Option<&Commune> {
        self.index
            .area_containing(lon, lat, |i| &self.communes[i].boundary)
            .map(|i| &self.communes[i])
    }

    /// Communes whose bounding box intersects the lon/lat bbox, in INSEE order.
    pub fn communes_in_bbox(&self, bbox: [f64; 4]) -> Vec<&Commune> {
        let mut idx: Vec<usize> = self.index.areas_in_bbox(bbox).collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &self.communes[i]).collect()
    }

    /// Venues inside the lon/lat bbox, in id order.
    pub fn venues_in_bbox(&self, bbox: [f64; 4]) -> Vec<&Venue> {
        let mut idx: Vec<usize> = self.index.points_in_bbox(bbox).collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &self.venues[i]).collect()
    }

    /// The `k` venues nearest to `from` (same zone) that pass the filter, with distances in metres.
    pub fn nearest_venues(
        &self,
        from: &Position,
        k: usize,
        filter: &VenueFilter,
    ) -> Vec<(&Venue, f64)> {
        self.index
            .nearest_points(from, k, |i| filter.matches(&self.venues[i]))
            .into_iter()
            .map(|(i, d)| (&self.venues[i], d))
            .collect()
    }

    /// The layer with that id.
    pub fn layer(&self, id: &str) -> Option<&LayerInfo> {
        self.layers.iter().find(|l| l.id == id)
    }
}
