//! Figures several collections share, computed once on first use: venues per commune,
//! distance from each commune to its nearest venue, and population-weighted IFN.

use std::sync::{Arc, OnceLock};

use maillage_core::geo::{Centroid, MultiPolygon};
use maillage_core::reproject::{Reproject, position};
use maillage_core::{Catalog, Commune, Ifn2020Scale, VenueFilter};
use maillage_plan::gaps::GapCache;

use crate::ogc::provider::{Field, FieldType, Filter, Value, union_bbox};

/// The catalog and the lazily computed per-commune figures.
pub struct Shared {
    /// The catalog.
    pub catalog: Arc<Catalog>,
    /// The gap index and default analysis of the catalog.
    pub gaps: Arc<GapCache>,
    reproject: Arc<dyn Reproject>,
    stats: OnceLock<CommuneStats>,
}

/// Per-commune figures, indexed like `catalog.communes`.
pub struct CommuneStats {
    /// Venues whose point falls in the commune.
    pub venues: Vec<u32>,
    /// Metres from the town hall (else the boundary's centroid) to the nearest venue of
    /// the same zone; `None` when the commune has no position or its zone no venue.
    pub nearest_m: Vec<Option<f64>>,
}

impl Shared {
    /// Shares the catalog.
    pub fn new(
        catalog: Arc<Catalog>,
        gaps: Arc<GapCache>,
        reproject: Arc<dyn Reproject>,
    ) -> Shared {
        Shared {
            catalog,
            gaps,
            reproject,
            stats: OnceLock::new(),
        }
    }

    /// The per-commune figures (computed on first call, about 0.1 s for France).
    pub fn stats(&self) -> &CommuneStats {
        self.stats.get_or_init(|| {
            let cat = &self.catalog;
            let mut venues = vec![0u32; cat.communes.len()];
            for v in &cat.venues {
                if let Some(i) = v.commune.and_then(|c| cat.commune_index(&c)) {
                    venues[i] += 1;
                }
            }
            let any = VenueFilter::default();
            let nearest_m = cat
                .communes
                .iter()
                .map(|c| {
                    let from = reference_position(c, &*self.reproject)?;
                    cat.nearest_venues(&from, 1, &any).first().map(|(_, d)| *d)
                })
                .collect();
            CommuneStats { venues, nearest_m }
        })
    }
}

fn reference_position(c: &Commune, r: &dyn Reproject) -> Option<maillage_core::Position> {
    if let Some(h) = c.located_town_hall() {
        return Some(h.position);
    }
    let centroid = c.boundary.centroid()?;
    position(r, centroid.x(), centroid.y()).ok()
}

/// The first properties of the collections with one feature per commune (gaps, sites,
/// tours); [`commune_value`] gives their values.
pub const COMMUNE_FIELDS: &[Field] = &[
    Field::text("code", "code", "Code INSEE").filter(Filter::Exact),
    Field::text("nom", "nom", "Nom de la commune"),
    Field::typed(
        "population",
        "population",
        FieldType::Integer,
        "Population municipale",
    ),
    Field::text("departement", "dep", "Code du département").filter(Filter::Exact),
    Field::text("epci", "epci", "SIREN de l'EPCI").filter(Filter::Exact),
];

/// The value of the property `field` of [`COMMUNE_FIELDS`]; `None` past them.
pub fn commune_value(c: &Commune, field: usize) -> Option<Value<'_>> {
    Some(match field {
        0 => Value::text(c.code.as_str()),
        1 => Value::text(&c.name),
        2 => Value::Int(i64::from(c.population)),
        3 => Value::text(c.departement.as_str()),
        4 => epci_value(c),
        _ => return None,
    })
}

/// The SIREN of the commune's EPCI, `Null` when it has none.
pub fn epci_value(c: &Commune) -> Value<'_> {
    Value::opt_text(c.epci.as_ref().map(|e| e.as_str()))
}

/// Whether the lon/lat point lies in the bbox `[west, south, east, north]`.
pub fn point_in_bbox(p: [f64; 2], bbox: [f64; 4]) -> bool {
    p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3]
}

/// Population-weighted means of IFN scores over a group of communes (3 decimals).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedIfn {
    /// IFN 2020 score global, département scale.
    pub ifn2020_dep: Option<f64>,
    /// IFN 2020 score global, région scale.
    pub ifn2020_reg: Option<f64>,
    /// IFN 2023 deciles, in [`maillage_core::Ifn2023::AXES`] order.
    pub ifn2023: [Option<f64>; 6],
}

/// Sums the population and the weighted IFN of the communes `members`.
pub fn aggregate_ifn(communes: &[Commune], members: &[usize]) -> WeightedIfn {
    let mean = |value: &dyn Fn(&Commune) -> Option<f64>| {
        let (mut sum, mut weight) = (0.0, 0.0);
        for &i in members {
            let c = &communes[i];
            if let Some(v) = value(c).filter(|v| v.is_finite()) {
                let w = f64::from(c.population);
                sum += v * w;
                weight += w;
            }
        }
        // Three decimals: more would be noise.
        (weight > 0.0).then(|| (sum / weight * 1000.0).round() / 1000.0)
    };
    let scale = |s: Ifn2020Scale| {
        move |c: &Commune| {
            c.fragility
                .ifn2020
                .as_ref()
                .and_then(|f| f.scale(s).score_global)
        }
    };
    let mut ifn2023 = [None; 6];
    for (k, axis) in maillage_core::Ifn2023::AXES.iter().enumerate() {
        ifn2023[k] = mean(&|c: &Commune| c.fragility.ifn2023.and_then(|f| f.axis(axis)));
    }
    WeightedIfn {
        ifn2020_dep: mean(&scale(Ifn2020Scale::Departement)),
        ifn2020_reg: mean(&scale(Ifn2020Scale::Region)),
        ifn2023,
    }
}

/// A group of communes (an EPCI, a département) with its dissolved boundary,
/// computed on first use.
pub struct Group {
    /// Indexes in `catalog.communes`, increasing.
    pub members: Vec<usize>,
    /// Union of the members' bounding boxes.
    pub bbox: Option<[f64; 4]>,
    boundary: OnceLock<MultiPolygon<f64>>,
}

impl Group {
    /// A group of communes.
    pub fn new(communes: &[Commune], members: Vec<usize>) -> Group {
        let bbox = union_bbox(members.iter().filter_map(|&i| communes[i].bbox()));
        Group {
            members,
            bbox,
            boundary: OnceLock::new(),
        }
    }

    /// The dissolved boundary (union of the members' boundaries), computed once.
    pub fn boundary(&self, communes: &[Commune]) -> &MultiPolygon<f64> {
        self.boundary.get_or_init(|| {
            let parts: Vec<&MultiPolygon<f64>> = self
                .members
                .iter()
                .map(|&i| &communes[i].boundary)
                .filter(|b| !b.0.is_empty())
                .collect();
            match parts.len() {
                0 => MultiPolygon::new(Vec::new()),
                1 => parts[0].clone(),
                _ => maillage_core::geo::unary_union(parts),
            }
        })
    }

    /// Whether the boundary is already computed.
    pub fn is_ready(&self) -> bool {
        self.boundary.get().is_some()
    }
}
