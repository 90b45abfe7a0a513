//! Areas made of whole communes (départements, EPCI): one generic collection that groups
//! the communes by a key, with the dissolved boundary, the population, the venue counts
//! and the population-weighted IFN of each group. [`AreaKind`] says what differs.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::Arc;

use maillage_core::{Catalog, Commune};

use super::shared::{Group, Shared, WeightedIfn, aggregate_ifn};
use crate::ogc::provider::{Collection, Field, FieldType, Geometry, GeometryType, Limits, Value};

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;

/// `population`, the first of the figures every area has.
pub const POPULATION: Field = Field::typed(
    "population",
    "population",
    I,
    "Population municipale totale : somme de celles de ses communes, dont chacune donne l'année (population_annee de la collection communes)",
);

/// The last figures every area has, after its venue count: venue density and the
/// population-weighted IFN ([`Figures::density_and_ifn`] gives their values).
pub const DENSITY_AND_IFN: &[Field] = &[
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

/// What one kind of area says about itself.
pub trait AreaKind: Send + Sync + 'static {
    /// The key that names an area (its feature id).
    type Key: Ord + Clone + FromStr + Send + Sync;
    /// Collection id.
    const ID: &'static str;
    /// French title.
    const TITLE: &'static str;
    /// French description.
    const DESCRIPTION: &'static str;
    /// Catalog layers it is built from.
    const LAYERS: &'static [&'static str];
    /// Properties, in the order of [`AreaKind::row`].
    const FIELDS: &'static [Field];
    /// Paging limits.
    const LIMITS: Limits;
    /// The key as text.
    fn key_str(key: &Self::Key) -> &str;
    /// Every area of the catalog, also those without communes.
    fn keys(catalog: &Catalog) -> Vec<Self::Key>;
    /// The area a commune belongs to, if any.
    fn key_of(commune: &Commune) -> Option<&Self::Key>;
    /// The properties of one area, given the figures every area has.
    fn row<'a>(
        catalog: &'a Catalog,
        key: &'a Self::Key,
        members: &[usize],
        figures: &Figures,
    ) -> Vec<Value<'a>>;
}

/// The figures every area has, summed or averaged over its communes.
pub struct Figures {
    /// Municipal population.
    pub population: u64,
    /// Number of communes.
    pub communes: usize,
    /// Venues in the area.
    pub venues: u64,
    /// Population-weighted IFN.
    pub ifn: WeightedIfn,
}

impl Figures {
    /// `population` and `communes`.
    pub fn sizes(&self) -> [Value<'static>; 2] {
        [
            Value::Int(self.population as i64),
            Value::Int(self.communes as i64),
        ]
    }

    /// `lieux`.
    pub fn venues(&self) -> Value<'static> {
        Value::Int(self.venues as i64)
    }

    /// The values of [`DENSITY_AND_IFN`].
    pub fn density_and_ifn(&self) -> Vec<Value<'static>> {
        let density = if self.population > 0 {
            let per_10k = self.venues as f64 * 10_000.0 / self.population as f64;
            Value::Real((per_10k * 100.0).round() / 100.0)
        } else {
            Value::Null
        };
        let mut values = vec![
            density,
            Value::real(self.ifn.ifn2020_dep),
            Value::real(self.ifn.ifn2020_reg),
        ];
        values.extend(self.ifn.ifn2023.iter().map(|v| Value::real(*v)));
        values
    }
}

/// The distinct values, sorted.
pub fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut values: Vec<&str> = values.collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// The areas of one kind, in key order.
pub struct Areas<K: AreaKind> {
    shared: Arc<Shared>,
    keys: Vec<K::Key>,
    groups: Vec<Group>,
    kind: PhantomData<K>,
}

impl<K: AreaKind> Areas<K> {
    /// Groups the communes by area.
    pub fn new(shared: Arc<Shared>) -> Areas<K> {
        let cat = &shared.catalog;
        let mut members: BTreeMap<K::Key, Vec<usize>> =
            K::keys(cat).into_iter().map(|k| (k, Vec::new())).collect();
        for (i, c) in cat.communes.iter().enumerate() {
            if let Some(key) = K::key_of(c) {
                members.entry(key.clone()).or_default().push(i);
            }
        }
        let (keys, groups) = members
            .into_iter()
            .map(|(k, m)| (k, Group::new(&cat.communes, m)))
            .unzip();
        Areas {
            shared,
            keys,
            groups,
            kind: PhantomData,
        }
    }

    fn figures(&self, members: &[usize]) -> Figures {
        let communes = &self.shared.catalog.communes;
        let venues = &self.shared.stats().venues;
        Figures {
            population: members
                .iter()
                .map(|&k| u64::from(communes[k].population))
                .sum(),
            communes: members.len(),
            venues: members.iter().map(|&k| u64::from(venues[k])).sum(),
            ifn: aggregate_ifn(communes, members),
        }
    }
}

impl<K: AreaKind> Collection for Areas<K> {
    fn id(&self) -> &'static str {
        K::ID
    }
    fn title(&self) -> &'static str {
        K::TITLE
    }
    fn description(&self) -> &'static str {
        K::DESCRIPTION
    }
    fn layers(&self) -> &'static [&'static str] {
        K::LAYERS
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::MultiPolygon
    }
    fn fields(&self) -> &'static [Field] {
        K::FIELDS
    }
    fn limits(&self) -> Limits {
        K::LIMITS
    }
    fn len(&self) -> usize {
        self.groups.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(K::key_str(&self.keys[i]))
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let key: K::Key = id.parse().ok()?;
        self.keys.binary_search(&key).ok()
    }
    fn row(&self, i: usize) -> Vec<Value<'_>> {
        let members = &self.groups[i].members;
        K::row(
            &self.shared.catalog,
            &self.keys[i],
            members,
            &self.figures(members),
        )
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        Geometry::polygons(self.groups[i].boundary(&self.shared.catalog.communes))
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
        let intersects =
            |b: [f64; 4]| b[0] <= bbox[2] && b[2] >= bbox[0] && b[1] <= bbox[3] && b[3] >= bbox[1];
        (0..self.groups.len())
            .filter(|&i| self.groups[i].bbox.is_some_and(intersects))
            .collect()
    }
}
