//! `sites`: for each département, the fewest permanence sites that bring every unserved
//! commune within 20 minutes, chosen among the unserved communes' town halls (or, where the
//! town hall is not located, a point inside the commune).
//!
//! Features: the communes the default gap analysis finds unserved (more than 20 minutes
//! from any venue), at their access point (the town hall, or for the few communes whose
//! town hall is not located, a point inside the boundary), in INSEE order.
//! Each is both a candidate site and a demand point weighted by its priority
//! (population × IFN 2023 total / 10). Per département, a maximal-coverage plan
//! (radius 20 minutes, straight line × 1.3 at 50 km/h) is solved for the smallest `p`
//! that covers every such commune (binary search on `p`; seed 1, iteration-bounded, so
//! the answer is deterministic). `rank` orders the chosen sites by the priority they
//! cover. A département's plan is computed when one of its features is first read, and
//! every plan at warm-up (milliseconds each).
//!
//! The provider interface cannot take per-request parameters (`p`, radius, objective):
//! `POST /api/plan/sites` solves any other variant.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use maillage_core::{Catalog, InseeCode};
use maillage_plan::gaps::{DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MINUTES};
use maillage_plan::sites::{SiteObjectiveName, SitePoint, SiteRequest, SiteResponse};

use super::shared::{COMMUNE_FIELDS, Shared, commune_value, point_in_bbox};
use crate::ogc::provider::{
    Collection, Field, FieldType, Geometry, GeometryType, Limits, Value, concat_fields,
};
use crate::routes::gaps::{GapCache, gap_cache};

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;
const B: FieldType = FieldType::Boolean;

/// Properties.
pub const FIELDS: &[Field] = &concat_fields::<15>(&[
    COMMUNE_FIELDS,
    &[
        Field::typed(
            "minutes",
            "minutes",
            R,
            "Temps estimé actuel jusqu'au lieu le plus proche (minutes)",
        ),
        Field::typed(
            "priority",
            "priorite",
            R,
            "Priorité = population × IFN 2023 total / 10",
        ),
        Field::typed(
            "chosen",
            "choisi",
            B,
            "Mairie retenue comme site de permanence",
        ),
        Field::typed(
            "rank",
            "rang",
            I,
            "Rang du site retenu, par priorité couverte décroissante",
        ),
        Field::typed(
            "covered_priority",
            "prio_couv",
            R,
            "Site retenu : priorité des communes qu'il amène à 20 minutes ou moins",
        ),
        Field::typed(
            "communes_covered",
            "nb_couv",
            I,
            "Site retenu : communes non desservies qu'il couvre",
        ),
        Field::text(
            "covered_by",
            "couvert_pa",
            "Code de la commune du site retenu qui couvre cette commune",
        ),
        Field::typed(
            "minutes_to_site",
            "min_site",
            R,
            "Temps estimé jusqu'à ce site (minutes)",
        ),
        Field::typed(
            "departement_sites",
            "nb_sites",
            I,
            "Nombre de sites du plan du département",
        ),
        Field::text(
            "access_source",
            "acces",
            "Point de la commune : town_hall (mairie) ou interior_point (point intérieur du contour, mairie non localisée)",
        ),
    ],
]);

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
        let Some(gaps) = cache.default_analysis(catalog) else {
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

/// A feature's part of its département's plan.
#[derive(Debug, Clone, Default)]
struct SiteInfo {
    rank: Option<u32>,
    covered_priority: Option<f64>,
    communes_covered: Option<u32>,
    covered_by: Option<String>,
    minutes_to_site: Option<f64>,
}

/// The plan of one département.
#[derive(Debug, Clone, Default)]
struct SitePlan {
    /// Sites chosen (0 when the plan failed).
    p: usize,
    /// By position in the group.
    info: Vec<SiteInfo>,
}

/// The sites collection.
pub struct Sites {
    shared: Arc<Shared>,
    cache: Arc<GapCache>,
    unserved: Unserved,
    plans: Vec<OnceLock<SitePlan>>,
}

impl Sites {
    /// Lists the unserved communes (runs the default gap analysis if not done yet).
    pub fn new(shared: Arc<Shared>) -> Sites {
        let cache = gap_cache(&shared.catalog);
        let unserved = Unserved::new(&shared.catalog, &cache);
        let plans = (0..unserved.groups.len())
            .map(|_| OnceLock::new())
            .collect();
        Sites {
            shared,
            cache,
            unserved,
            plans,
        }
    }

    fn plan(&self, group: usize) -> Option<&SitePlan> {
        let cell = self.plans.get(group)?;
        Some(cell.get_or_init(|| self.solve(group)))
    }

    fn solve(&self, group: usize) -> SitePlan {
        let cat = &self.shared.catalog;
        let Some(gaps) = self.cache.default_analysis(cat) else {
            return SitePlan::default();
        };
        let members = &self.unserved.groups[group];
        let points: Vec<SitePoint> = members
            .iter()
            .map(|&f| {
                let i = self.unserved.communes[f];
                let c = &cat.communes[i];
                let [lon, lat] = self.unserved.points[f];
                SitePoint {
                    id: c.code.to_string(),
                    lon: Some(lon),
                    lat: Some(lat),
                    commune: None,
                    weight: gaps.commune(i).map(|g| g.priority),
                }
            })
            .collect();
        let n = points.len();
        let run = |p: usize| -> Option<SiteResponse> {
            let req = SiteRequest {
                demand: points.clone(),
                candidates: points
                    .iter()
                    .map(|s| SitePoint {
                        weight: None,
                        ..s.clone()
                    })
                    .collect(),
                existing: Vec::new(),
                p,
                objective: SiteObjectiveName::Coverage,
                radius: Some(DEFAULT_THRESHOLD_MINUTES),
                matrix: None,
                detour_factor: DEFAULT_DETOUR_FACTOR,
                speed_kmh: Some(DEFAULT_SPEED_KMH),
                time_limit_ms: Some(10_000),
                seed: 1,
            };
            match maillage_plan::sites::solve_site_request(&req) {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::warn!(
                        "plan de sites du département {} impossible : {e}",
                        self.unserved.codes[group]
                    );
                    None
                }
            }
        };
        let covers_all = |r: &SiteResponse| r.assignment.iter().all(|a| a.site.is_some());
        if n == 0 {
            return SitePlan::default();
        }
        let Some(mut best) = run(n) else {
            return SitePlan::default();
        };
        let (mut lo, mut hi) = (1, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match run(mid) {
                Some(r) if covers_all(&r) => {
                    hi = mid;
                    best = r;
                }
                Some(_) => lo = mid + 1,
                None => return SitePlan::default(),
            }
        }
        let position: HashMap<&str, usize> = points
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), k))
            .collect();
        let mut info = vec![SiteInfo::default(); members.len()];
        let per_site = best
            .covered_weight
            .as_ref()
            .map(|c| c.per_site.clone())
            .unwrap_or_default();
        let mut order: Vec<usize> = (0..best.sites.len()).collect();
        order.sort_by(|&a, &b| {
            let (wa, wb) = (
                per_site.get(a).copied().unwrap_or(0.0),
                per_site.get(b).copied().unwrap_or(0.0),
            );
            wb.total_cmp(&wa).then(best.sites[a].cmp(&best.sites[b]))
        });
        for (rank, &s) in order.iter().enumerate() {
            if let Some(&k) = position.get(best.sites[s].as_str()) {
                info[k].rank = Some(rank as u32 + 1);
                info[k].covered_priority = per_site.get(s).copied();
                info[k].communes_covered = Some(
                    best.assignment
                        .iter()
                        .filter(|a| a.site.as_deref() == Some(best.sites[s].as_str()))
                        .count() as u32,
                );
            }
        }
        for a in &best.assignment {
            if let Some(&k) = position.get(a.demand.as_str()) {
                info[k].covered_by = a.site.clone();
                info[k].minutes_to_site = a.cost.map(|c| (c * 100.0).round() / 100.0);
            }
        }
        SitePlan {
            p: best.sites.len(),
            info,
        }
    }

    fn info(&self, f: usize) -> Option<(&SitePlan, &SiteInfo)> {
        let g = *self.unserved.group_of.get(f)?;
        let plan = self.plan(g)?;
        let k = self.unserved.groups[g].binary_search(&f).ok()?;
        Some((plan, plan.info.get(k)?))
    }
}

impl Collection for Sites {
    fn id(&self) -> &'static str {
        "sites"
    }
    fn title(&self) -> &'static str {
        "Sites de permanence proposés"
    }
    fn description(&self) -> &'static str {
        "Communes non desservies (plus de 20 minutes du lieu le plus proche), à leur mairie (ou, si elle n'est pas localisée, en un point intérieur de la commune : champ access_source). Par département, le plus petit nombre de mairies qui amène chacune de ces communes à 20 minutes ou moins d'une permanence (couverture maximale, temps = distance × 1,3 / 50 km/h, poids = priorité) ; rang = ordre par priorité couverte. Pour un autre p, rayon ou objectif : POST /api/plan/sites."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["communes", "town-halls", "venues", "ifn-2023"]
    }
    fn geometry_type(&self) -> GeometryType {
        GeometryType::Point
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
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
        let cat = &self.shared.catalog;
        let Some(&ci) = self.unserved.communes.get(i) else {
            return Value::Null;
        };
        let c = &cat.communes[ci];
        let gap = || self.cache.default_analysis(cat).and_then(|g| g.commune(ci));
        if let Some(v) = commune_value(c, field) {
            return v;
        }
        match field {
            5 => Value::real(gap().and_then(|g| g.minutes)),
            6 => Value::real(gap().map(|g| g.priority)),
            14 => Value::opt_text(self.unserved.access.get(i).copied()),
            _ => {
                let Some((plan, info)) = self.info(i) else {
                    return Value::Null;
                };
                match field {
                    7 => Value::Bool(info.rank.is_some()),
                    8 => Value::opt_int(info.rank),
                    9 => Value::real(info.covered_priority),
                    10 => Value::opt_int(info.communes_covered),
                    11 => Value::opt_text(info.covered_by.as_deref()),
                    12 => Value::real(info.minutes_to_site),
                    13 => Value::Int(plan.p as i64),
                    _ => Value::Null,
                }
            }
        }
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
