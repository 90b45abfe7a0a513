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

use std::collections::HashMap;

use maillage_core::Catalog;
use maillage_plan::gaps::{DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MINUTES};
use maillage_plan::sites::{SiteObjectiveName, SitePoint, SiteRequest, SiteResponse};

use super::shared::COMMUNE_FIELDS;
use super::unserved::{DepartementPlanner, Unserved, UnservedPlans};
use crate::ogc::provider::{Field, FieldType, Value, concat_fields};

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
pub struct SitePlan {
    /// Sites chosen (0 when the plan failed).
    p: usize,
    /// By position in the group.
    info: Vec<SiteInfo>,
}

/// The sites collection.
pub type Sites = UnservedPlans<SitePlanner>;

/// Plans the fewest sites that bring every unserved commune of a département within
/// 20 minutes.
pub struct SitePlanner;

impl DepartementPlanner for SitePlanner {
    type Plan = SitePlan;
    const ID: &'static str = "sites";
    const TITLE: &'static str = "Sites de permanence proposés";
    const DESCRIPTION: &'static str = "Communes non desservies (plus de 20 minutes du lieu le plus proche), à leur mairie (ou, si elle n'est pas localisée, en un point intérieur de la commune : champ access_source). Par département, le plus petit nombre de mairies qui amène chacune de ces communes à 20 minutes ou moins d'une permanence (couverture maximale, temps = distance × 1,3 / 50 km/h, poids = priorité) ; rang = ordre par priorité couverte. Pour un autre p, rayon ou objectif : POST /api/plan/sites.";
    const FIELDS: &'static [Field] = FIELDS;

    fn new(_: &Catalog, _: &Unserved) -> SitePlanner {
        SitePlanner
    }

    fn solve(plans: &Sites, group: usize) -> SitePlan {
        let cat = &plans.shared.catalog;
        let Some(gaps) = plans.cache.default_analysis().ok() else {
            return SitePlan::default();
        };
        let members = &plans.unserved.groups[group];
        let points: Vec<SitePoint> = members
            .iter()
            .map(|&f| {
                let i = plans.unserved.communes[f];
                let c = &cat.communes[i];
                let [lon, lat] = plans.unserved.points[f];
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
                        plans.unserved.codes[group]
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

    fn value(plans: &Sites, f: usize, ci: usize, field: usize) -> Value<'_> {
        let gap = || {
            plans
                .cache
                .default_analysis()
                .ok()
                .and_then(|g| g.commune(ci))
        };
        match field {
            5 => Value::real(gap().and_then(|g| g.minutes)),
            6 => Value::real(gap().map(|g| g.priority)),
            _ => {
                let Some((plan, info)) = plans
                    .plan_of(f)
                    .and_then(|(plan, k)| Some((plan, plan.info.get(k)?)))
                else {
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
}
