//! `departements`: départements with their dissolved boundary, population,
//! population-weighted IFN and venue counts.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use maillage_core::DepartementCode;

use super::epci::candidates;
use super::shared::{Group, Shared, aggregate_ifn};
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Value,
};

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;

/// Properties. IFN values are means over the communes weighted by population.
pub const FIELDS: &[Field] = &[
    Field::text("code", "code", "Code du département").filter(Filter::Exact),
    Field::text("nom", "nom", "Nom du département"),
    Field::typed(
        "population",
        "population",
        I,
        "Population municipale totale",
    ),
    Field::typed("communes", "communes", I, "Nombre de communes"),
    Field::typed(
        "epci",
        "nb_epci",
        I,
        "Nombre d'EPCI ayant au moins une commune dans le département",
    ),
    Field::typed(
        "lieux",
        "lieux",
        I,
        "Lieux de médiation numérique dans le département",
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

/// The départements collection, in code order.
pub struct Departements {
    shared: Arc<Shared>,
    codes: Vec<DepartementCode>,
    groups: Vec<Group>,
}

impl Departements {
    /// Groups the communes by département.
    pub fn new(shared: Arc<Shared>) -> Departements {
        let cat = &shared.catalog;
        let mut members: BTreeMap<DepartementCode, Vec<usize>> = cat
            .departements
            .keys()
            .map(|d| (d.clone(), Vec::new()))
            .collect();
        for (i, c) in cat.communes.iter().enumerate() {
            members.entry(c.departement.clone()).or_default().push(i);
        }
        let (codes, groups) = members
            .into_iter()
            .map(|(d, m)| (d, Group::new(&cat.communes, m)))
            .unzip();
        Departements {
            shared,
            codes,
            groups,
        }
    }

    /// The groups, for the background warm-up.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
}

impl Collection for Departements {
    fn id(&self) -> &'static str {
        "departements"
    }
    fn title(&self) -> &'static str {
        "Départements"
    }
    fn description(&self) -> &'static str {
        "Départements et collectivités d'outre-mer : contour (union des communes), population, lieux de médiation numérique et IFN pondérés par la population."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["departements", "communes", "ifn-2020", "ifn-2023", "venues"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::MultiPolygon
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
    }
    fn limits(&self) -> Limits {
        Limits {
            default: 200,
            max: 200,
        }
    }
    fn len(&self) -> usize {
        self.groups.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.codes[i].as_str())
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let code: DepartementCode = id.parse().ok()?;
        self.codes.binary_search(&code).ok()
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        let cat = &self.shared.catalog;
        let g = &self.groups[i];
        let population: u64 = g
            .members
            .iter()
            .map(|&k| u64::from(cat.communes[k].population))
            .sum();
        let stats = self.shared.stats();
        let venues: u64 = g.members.iter().map(|&k| u64::from(stats.venues[k])).sum();
        let mut epcis: Vec<&str> = g
            .members
            .iter()
            .filter_map(|&k| cat.communes[k].epci.as_ref().map(|e| e.as_str()))
            .collect();
        epcis.sort_unstable();
        epcis.dedup();
        let ifn = aggregate_ifn(&cat.communes, &g.members);
        let mut row = vec![
            Value::text(self.codes[i].as_str()),
            cat.departements
                .get(&self.codes[i])
                .map(|d| Value::text(&d.name))
                .unwrap_or(Value::Null),
            Value::Int(population as i64),
            Value::Int(g.members.len() as i64),
            Value::Int(epcis.len() as i64),
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
