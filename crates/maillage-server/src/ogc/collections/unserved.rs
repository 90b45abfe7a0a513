//! The communes the default gap analysis finds unserved, grouped by département, and one
//! generic collection over them with a plan per département: [`DepartementPlanner`]
//! says what the plan is (`sites`, `tours`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use maillage_core::{Catalog, InseeCode};

use super::shared::{Shared, commune_value, point_in_bbox};
use crate::ogc::provider::{Collection, Field, Geometry, GeometryType, Limits, Value};
use maillage_plan::gaps::GapCache;

/// The unserved communes with an access point, grouped by département.
pub struct Unserved {
    /// Catalog indexes, in INSEE order (the features).
    pub communes: Vec<usize>,
    /// Per feature: its access point (lon, lat) in the gap analysis.
    pub points: Vec<[f64; 2]>,
    /// Per feature: where that point comes from (`town_hall` or `interior_point`).
    pub access: Vec<&'static str>,
    /// Per feature: its group.
    pub group_of: Vec<usize>,
    /// Per group: its features, in order.
    pub groups: Vec<Vec<usize>>,
    /// Per group: the département code.
    pub codes: Vec<String>,
}

impl Unserved {
    /// Lists them from the default gap analysis (empty when it cannot run).
    pub fn new(catalog: &Catalog, cache: &GapCache) -> Unserved {
        let mut u = Unserved {
            communes: Vec::new(),
            points: Vec::new(),
            access: Vec::new(),
            group_of: Vec::new(),
            groups: Vec::new(),
            codes: Vec::new(),
        };
        let Some(gaps) = cache.default_analysis().ok() else {
            return u;
        };
        let mut by_dep: HashMap<&str, usize> = HashMap::new();
        for (i, c) in catalog.communes.iter().enumerate() {
            let Some(gap) = gaps.commune(i).filter(|_| gaps.is_unserved(i)) else {
                continue;
            };
            let (Some(point), Some(source)) = (gap.access_lonlat, gap.access_source) else {
                continue;
            };
            let feature = u.communes.len();
            let g = *by_dep.entry(c.departement.as_str()).or_insert_with(|| {
                u.groups.push(Vec::new());
                u.codes.push(c.departement.to_string());
                u.groups.len() - 1
            });
            u.communes.push(i);
            u.points.push(point);
            u.access.push(source.as_str());
            u.group_of.push(g);
            u.groups[g].push(feature);
        }
        u
    }

    /// Features whose access point lies in the lon/lat box.
    pub fn in_bbox(&self, bbox: [f64; 4]) -> Vec<usize> {
        (0..self.points.len())
            .filter(|&f| point_in_bbox(self.points[f], bbox))
            .collect()
    }

    /// A feature's id: its commune's code.
    pub fn feature_id<'a>(&self, catalog: &'a Catalog, f: usize) -> Cow<'a, str> {
        match self.communes.get(f) {
            Some(&c) => Cow::Borrowed(catalog.communes[c].code.as_str()),
            None => Cow::Borrowed(""),
        }
    }

    /// A feature's geometry: its access point.
    pub fn geometry(&self, f: usize) -> Geometry<'static> {
        self.points
            .get(f)
            .map(|&p| Geometry::Point(p))
            .unwrap_or(Geometry::Empty)
    }

    /// The feature of a commune code.
    pub fn index_of(&self, catalog: &Catalog, id: &str) -> Option<usize> {
        let code: InseeCode = id.parse().ok()?;
        let i = catalog.commune_index(&code)?;
        self.communes.binary_search(&i).ok()
    }
}

/// What one collection of unserved communes plans per département.
pub trait DepartementPlanner: Sized + Send + Sync + 'static {
    /// The plan of one département.
    type Plan: Send + Sync;
    /// Collection id.
    const ID: &'static str;
    /// French title.
    const TITLE: &'static str;
    /// French description.
    const DESCRIPTION: &'static str;
    /// Properties: [`super::shared::COMMUNE_FIELDS`], the planner's own, and
    /// `access_source` last.
    const FIELDS: &'static [Field];
    /// Prepares what the plans need besides the unserved communes.
    fn new(catalog: &Catalog, unserved: &Unserved) -> Self;
    /// The plan of the département `group`.
    fn solve(plans: &UnservedPlans<Self>, group: usize) -> Self::Plan;
    /// The planner's own property `field` of feature `f` (commune `commune`).
    fn value(plans: &UnservedPlans<Self>, f: usize, commune: usize, field: usize) -> Value<'_>;
}

/// The unserved communes, each with its part of its département's plan.
pub struct UnservedPlans<P: DepartementPlanner> {
    /// The catalog and shared figures.
    pub shared: Arc<Shared>,
    /// The default gap analysis.
    pub cache: Arc<GapCache>,
    /// The features.
    pub unserved: Unserved,
    /// What the planner prepared.
    pub planner: P,
    /// Per group: its plan, solved on first use.
    plans: Vec<OnceLock<P::Plan>>,
}

impl<P: DepartementPlanner> UnservedPlans<P> {
    /// Lists the unserved communes (runs the default gap analysis if not done yet).
    pub fn new(shared: Arc<Shared>) -> UnservedPlans<P> {
        let cache = shared.gaps.clone();
        let unserved = Unserved::new(&shared.catalog, &cache);
        let planner = P::new(&shared.catalog, &unserved);
        let plans = (0..unserved.groups.len())
            .map(|_| OnceLock::new())
            .collect();
        UnservedPlans {
            shared,
            cache,
            unserved,
            planner,
            plans,
        }
    }

    fn plan(&self, group: usize) -> Option<&P::Plan> {
        let cell = self.plans.get(group)?;
        Some(cell.get_or_init(|| P::solve(self, group)))
    }

    /// The plan of feature `f`'s département and `f`'s position in that group.
    pub fn plan_of(&self, f: usize) -> Option<(&P::Plan, usize)> {
        let g = *self.unserved.group_of.get(f)?;
        let plan = self.plan(g)?;
        let k = self.unserved.groups[g].binary_search(&f).ok()?;
        Some((plan, k))
    }
}

impl<P: DepartementPlanner> Collection for UnservedPlans<P> {
    fn id(&self) -> &'static str {
        P::ID
    }
    fn title(&self) -> &'static str {
        P::TITLE
    }
    fn description(&self) -> &'static str {
        P::DESCRIPTION
    }
    fn layers(&self) -> &'static [&'static str] {
        &["communes", "town-halls", "venues", "ifn-2023"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::Point
    }
    fn fields(&self) -> &'static [Field] {
        P::FIELDS
    }
    fn limits(&self) -> Limits {
        Limits::new(100, 5_000)
    }
    fn len(&self) -> usize {
        self.unserved.communes.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        self.unserved.feature_id(&self.shared.catalog, i)
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        self.unserved.index_of(&self.shared.catalog, id)
    }
    fn value(&self, i: usize, field: usize) -> Value<'_> {
        let Some(&ci) = self.unserved.communes.get(i) else {
            return Value::Null;
        };
        if let Some(v) = commune_value(&self.shared.catalog.communes[ci], field) {
            return v;
        }
        if field == P::FIELDS.len() - 1 {
            return Value::opt_text(self.unserved.access.get(i).copied());
        }
        P::value(self, i, ci, field)
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        self.unserved.geometry(i)
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        self.unserved.in_bbox(bbox)
    }
    fn warm_up(&self) {
        for g in 0..self.plans.len() {
            let _ = self.plan(g);
        }
    }
}
