//! What a gap analysis needs from a catalog, computed once: access points, R-trees
//! over access points and venues (per metric zone), lookups, and the nearest venue of
//! every commune when no filter applies.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use maillage_core::geo::InteriorPoint;
use maillage_core::reproject::{Reproject, position};
use maillage_core::{Catalog, Commune, DepartementCode, EpciSiren, InseeCode, Position, Zone};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use super::Label;

pub(crate) type Entry = GeomWithData<[f64; 2], u32>;

/// Where a commune's access point comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessSource {
    /// The town hall (mairie) position of the registry.
    TownHall,
    /// No town hall position: a point inside the boundary (geo's `InteriorPoint`).
    InteriorPoint,
}

impl AccessSource {
    /// Its name in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessSource::TownHall => "town_hall",
            AccessSource::InteriorPoint => "interior_point",
        }
    }
}

/// The texts of a commune shared by every response.
#[derive(Debug, Clone)]
pub(crate) struct CommuneLabels {
    pub name: Label,
    pub departement: Label,
    pub epci: Option<Label>,
}

/// The point a commune's travel times are measured from.
///
/// The town hall when its position is known: it stands in the chef-lieu, where most
/// inhabitants and the local services are, and it is where a permanence would be
/// held. Otherwise geo's [`InteriorPoint`] of the boundary: unlike the centroid it is
/// always inside the commune (concave or multi-part communes), and it is cheap. A pole
/// of inaccessibility was not chosen: it maximises the distance to the border, which
/// says nothing about where people live, and needs another crate. A population-weighted
/// point would be better, but no sub-commune population is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AccessPoint {
    /// The point, in WGS84 and in its zone's metric CRS.
    pub position: Position,
    /// Town hall or interior point.
    pub source: AccessSource,
}

/// Precomputed structures for gap analyses on one catalog. Build it once per catalog
/// (it is `Send + Sync`) and call [`GapIndex::analyse`] for each request.
pub struct GapIndex {
    pub(crate) fingerprint: (usize, usize),
    pub(crate) access: Vec<Option<AccessPoint>>,
    pub(crate) access_trees: Vec<RTree<Entry>>,
    pub(crate) venue_trees: Vec<RTree<Entry>>,
    pub(crate) venue_keys: HashMap<String, u32>,
    pub(crate) venue_commune: Vec<Option<u32>>,
    pub(crate) commune_epci: Vec<Option<u32>>,
    pub(crate) epcis: Vec<EpciSiren>,
    pub(crate) commune_dep: Vec<u32>,
    pub(crate) deps: Vec<DepartementCode>,
    /// Nearest venue of each commune among all venues: (venue, metres).
    pub(crate) nearest_any: Vec<Option<(u32, f64)>>,
    pub(crate) commune_labels: Vec<CommuneLabels>,
    /// Per venue: source id and name.
    pub(crate) venue_labels: Vec<(Label, Label)>,
    pub(crate) reproject: Arc<dyn Reproject>,
}

impl fmt::Debug for GapIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GapIndex")
            .field("communes", &self.fingerprint.0)
            .field("venues", &self.fingerprint.1)
            .finish_non_exhaustive()
    }
}

impl GapIndex {
    /// Builds the index: access points, R-trees, lookups and unfiltered nearest venues.
    /// `reproject` places the what-if venues given in lon/lat.
    pub fn build(catalog: &Catalog, reproject: Arc<dyn Reproject>) -> GapIndex {
        let access: Vec<Option<AccessPoint>> = catalog
            .communes
            .iter()
            .map(|c| access_point(c, &*reproject))
            .collect();
        let access_trees = per_zone(access.iter().map(|a| a.map(|a| a.position)));
        let venue_trees = per_zone(catalog.venues.iter().map(|v| Some(v.position)));

        let mut venue_keys = HashMap::new();
        for (i, v) in catalog.venues.iter().enumerate() {
            let keys = std::iter::once(&v.record.id).chain(v.sources.iter().map(|s| &s.id));
            for key in keys {
                let key = key.trim();
                if !key.is_empty() {
                    venue_keys.entry(key.to_string()).or_insert(i as u32);
                }
            }
        }
        let venue_commune = catalog
            .venues
            .iter()
            .map(|v| {
                v.commune
                    .and_then(|c| catalog.commune_index(&c))
                    .map(|i| i as u32)
            })
            .collect();

        let mut epcis: Vec<EpciSiren> = catalog
            .communes
            .iter()
            .filter_map(|c| c.epci.clone())
            .collect();
        epcis.sort();
        epcis.dedup();
        let mut deps: Vec<DepartementCode> = catalog
            .communes
            .iter()
            .map(|c| c.departement.clone())
            .collect();
        deps.sort();
        deps.dedup();
        let commune_epci = catalog
            .communes
            .iter()
            .map(|c| {
                c.epci
                    .as_ref()
                    .and_then(|e| epcis.binary_search(e).ok())
                    .map(|i| i as u32)
            })
            .collect();
        let commune_dep = catalog
            .communes
            .iter()
            .map(|c| deps.binary_search(&c.departement).unwrap_or(0) as u32)
            .collect();

        let commune_labels = catalog
            .communes
            .iter()
            .map(|c| CommuneLabels {
                name: c.name.as_str().into(),
                departement: c.departement.as_str().into(),
                epci: c.epci.as_ref().map(|e| e.as_str().into()),
            })
            .collect();
        let venue_labels = catalog
            .venues
            .iter()
            .map(|v| (v.record.id.as_str().into(), v.record.nom.as_str().into()))
            .collect();
        let mut index = GapIndex {
            fingerprint: (catalog.communes.len(), catalog.venues.len()),
            access,
            access_trees,
            venue_trees,
            venue_keys,
            venue_commune,
            commune_epci,
            epcis,
            commune_dep,
            deps,
            nearest_any: Vec::new(),
            commune_labels,
            venue_labels,
            reproject,
        };
        index.nearest_any = (0..catalog.communes.len())
            .map(|c| index.nearest_allowed(&index.venue_trees, c, |_| true))
            .collect();
        index
    }

    /// The access point of a commune (`None`: no town hall position and no boundary).
    pub fn access_point(&self, catalog: &Catalog, code: &InseeCode) -> Option<&AccessPoint> {
        catalog
            .commune_index(code)
            .and_then(|i| self.access.get(i))
            .and_then(Option::as_ref)
    }

    /// Communes of the catalog that have no access point.
    pub fn communes_without_access_point(&self) -> usize {
        self.access.iter().filter(|a| a.is_none()).count()
    }

    /// The nearest venue (same metric zone) to commune `c`'s access point that
    /// `allowed` accepts, as (venue index, metres).
    pub(crate) fn nearest_allowed(
        &self,
        trees: &[RTree<Entry>],
        c: usize,
        mut allowed: impl FnMut(u32) -> bool,
    ) -> Option<(u32, f64)> {
        let ap = self.access.get(c)?.as_ref()?;
        trees[ap.position.zone.index()]
            .nearest_neighbor_iter_with_distance_2(&ap.position.xy)
            .find(|(e, _)| allowed(e.data))
            .map(|(e, d2)| (e.data, d2.sqrt()))
    }

    pub(crate) fn check(&self, catalog: &Catalog) -> Result<(), super::GapError> {
        let found = (catalog.communes.len(), catalog.venues.len());
        if found == self.fingerprint {
            return Ok(());
        }
        let show = |(c, v): (usize, usize)| format!("{c} communes, {v} lieux");
        Err(super::GapError::CatalogMismatch {
            expected: show(self.fingerprint),
            found: show(found),
        })
    }

    pub(crate) fn project(&self, lon: f64, lat: f64) -> Result<Position, String> {
        let valid = lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat);
        if !valid {
            return Err(format!(
                "coordonnées invalides [{lon}, {lat}] (attendu [longitude, latitude] en degrés WGS84)"
            ));
        }
        position(&*self.reproject, lon, lat).map_err(|e| e.to_string())
    }
}

fn access_point(commune: &Commune, reproject: &dyn Reproject) -> Option<AccessPoint> {
    if let Some(hall) = commune.located_town_hall() {
        return Some(AccessPoint {
            position: hall.position,
            source: AccessSource::TownHall,
        });
    }
    let p = commune.boundary.interior_point()?;
    let pos = position(reproject, p.x(), p.y()).ok()?;
    Some(AccessPoint {
        position: pos,
        source: AccessSource::InteriorPoint,
    })
}

pub(crate) fn per_zone(positions: impl Iterator<Item = Option<Position>>) -> Vec<RTree<Entry>> {
    let mut buckets: Vec<Vec<Entry>> = Zone::ALL.iter().map(|_| Vec::new()).collect();
    for (i, p) in positions.enumerate() {
        if let Some(p) = p {
            buckets[p.zone.index()].push(Entry::new(p.xy, i as u32));
        }
    }
    buckets.into_iter().map(RTree::bulk_load).collect()
}
