//! `epci`: intercommunalités with their dissolved boundary, population,
//! population-weighted IFN and venue counts.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use maillage_core::EpciSiren;

use super::shared::{Group, Shared, aggregate_ifn};
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Value,
};

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;

/// Properties. IFN values are means over the member communes weighted by population.
pub const FIELDS: &[Field] = &[
    Field::text("siren", "siren", "SIREN de l'EPCI").filter(Filter::Exact),
    Field::text("nom", "nom", "Nom de l'EPCI"),
    Field::text("nature", "nature", "Nature juridique (CC, CA, CU, MET…)").filter(Filter::Exact),
    Field::text(
        "departements",
        "deps",
        "Départements des communes membres (séparés par |)",
    )
    .filter(Filter::AnyOf),
    Field::typed(
        "population",
        "population",
        I,
        "Population municipale totale",
    ),
    Field::typed("communes", "communes", I, "Nombre de communes membres"),
    Field::typed(
        "lieux",
        "lieux",
        I,
        "Lieux de médiation numérique sur le territoire",
    ),
    Field::typed(
        "lieux_pour_10000",
        "lieux_10k",
        R,
        "Lieux pour 10 000 habitants",
    ),
    Field::typed(
        "ifn2020_dep_score_global",
        "i20d_glob",
        R,
        "IFN 2020, échelle département, score global (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2020_reg_score_global",
        "i20r_glob",
        R,
        "IFN 2020, échelle région, score global (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_total",
        "i23_total",
        R,
        "IFN 2023 : moyenne des déciles (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_no_thd_coverage_rate",
        "i23_thd",
        R,
        "IFN 2023 : décile absence de THD (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_no_4g_coverage_rate",
        "i23_4g",
        R,
        "IFN 2023 : décile absence de 4G (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_poverty_rate",
        "i23_pauvr",
        R,
        "IFN 2023 : décile pauvreté (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_older_65_rate",
        "i23_65ans",
        R,
        "IFN 2023 : décile plus de 65 ans (moyenne pondérée)",
    ),
    Field::typed(
        "ifn2023_nscol15p_rate",
        "i23_nscol",
        R,
        "IFN 2023 : décile non diplômés (moyenne pondérée)",
    ),
];

/// The EPCI collection, in SIREN order.
pub struct Epcis {
    shared: Arc<Shared>,
    sirens: Vec<EpciSiren>,
    groups: Vec<Group>,
}

impl Epcis {
    /// Groups the communes by EPCI.
    pub fn new(shared: Arc<Shared>) -> Epcis {
        let cat = &shared.catalog;
        let mut members: BTreeMap<EpciSiren, Vec<usize>> =
            cat.epcis.keys().map(|s| (s.clone(), Vec::new())).collect();
        for (i, c) in cat.communes.iter().enumerate() {
            if let Some(e) = &c.epci {
                members.entry(e.clone()).or_default().push(i);
            }
        }
        let (sirens, groups) = members
            .into_iter()
            .map(|(s, m)| (s, Group::new(&cat.communes, m)))
            .unzip();
        Epcis {
            shared,
            sirens,
            groups,
        }
    }

    /// The groups, for the background warm-up.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
}

impl Collection for Epcis {
    fn id(&self) -> &'static str {
        "epci"
    }
    fn title(&self) -> &'static str {
        "EPCI (intercommunalités)"
    }
    fn description(&self) -> &'static str {
        "Intercommunalités à fiscalité propre : contour (union des communes membres), population, lieux de médiation numérique et IFN pondérés par la population."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["epci", "communes", "ifn-2020", "ifn-2023", "venues"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::MultiPolygon
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
    }
    fn limits(&self) -> Limits {
        Limits {
            default: 100,
            max: 2_000,
        }
    }
    fn len(&self) -> usize {
        self.groups.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.sirens[i].as_str())
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let siren: EpciSiren = id.parse().ok()?;
        self.sirens.binary_search(&siren).ok()
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        let cat = &self.shared.catalog;
        let g = &self.groups[i];
        let epci = cat.epcis.get(&self.sirens[i]);
        let population: u64 = g
            .members
            .iter()
            .map(|&k| u64::from(cat.communes[k].population))
            .sum();
        let stats = self.shared.stats();
        let venues: u64 = g.members.iter().map(|&k| u64::from(stats.venues[k])).sum();
        let mut deps: Vec<&str> = g
            .members
            .iter()
            .map(|&k| cat.communes[k].departement.as_str())
            .collect();
        deps.sort_unstable();
        deps.dedup();
        let ifn = aggregate_ifn(&cat.communes, &g.members);
        let mut row = vec![
            Value::text(self.sirens[i].as_str()),
            epci.map(|e| Value::text(&e.name)).unwrap_or(Value::Null),
            epci.map(|e| Value::text(&e.kind)).unwrap_or(Value::Null),
            Value::owned(deps.join("|")),
            Value::Int(population as i64),
            Value::Int(g.members.len() as i64),
            Value::Int(venues as i64),
            if population > 0 {
                Value::Real((venues as f64 * 10_000.0 / population as f64 * 100.0).round() / 100.0)
            } else {
                Value::Null
            },
            Value::real(ifn.ifn2020_dep),
            Value::real(ifn.ifn2020_reg),
        ];
        row.extend(ifn.ifn2023.iter().map(|v| Value::real(*v)));
        row
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        let b = self.groups[i].boundary(&self.shared.catalog.communes);
        if b.0.is_empty() {
            Geometry::Empty
        } else {
            Geometry::Polygons(b)
        }
    }
    fn warm_up(&self) {
        let _ = self.shared.stats();
        for g in &self.groups {
            g.boundary(&self.shared.catalog.communes);
        }
    }
    fn bbox(&self, i: usize) -> Option<[f64; 4]> {
        self.groups.get(i).and_then(|g| g.bbox)
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        candidates(&self.groups, bbox)
    }
}

/// Groups whose bounding box intersects the lon/lat bbox.
pub fn candidates(groups: &[Group], bbox: [f64; 4]) -> Vec<usize> {
    groups
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.bbox.is_some_and(|b| {
                b[0] <= bbox[2] && b[2] >= bbox[0] && b[1] <= bbox[3] && b[3] >= bbox[1]
            })
        })
        .map(|(i, _)| i)
        .collect()
}
