//! `tours`: for each département, ten working days of two-hour permanences in the
//! unserved communes' town halls, from the town hall of the département's most populous
//! commune.
//!
//! Features: the same communes as `sites` (unserved in the default gap analysis), at their
//! access point (town hall, or a point inside the commune when the town hall is not
//! located), in INSEE order. Per département, one
//! prize-collecting tour plan: base = town hall of its most populous commune (Albi for
//! the Tarn), 10 consecutive working days (lundi–vendredi) from 08:00, 420-minute days
//! (travel + permanences + waiting), 120-minute permanences inside the town hall's
//! opening hours when the registry has them, weight = priority (population × IFN 2023
//! total / 10), travel = straight line × 1.3 at 50 km/h, seed 1 (iteration-bounded, so
//! deterministic). Each feature says on which day and in which order it is visited, or
//! why not. A département's plan is computed when one of its features is first read.
//!
//! The provider interface has no line geometry and no per-request parameters: the day
//! routes (LineStrings), other bases, horizons or budgets come from
//! `POST /api/plan/tours` (`?f=geojson`).

use std::collections::HashMap;

use maillage_plan::gaps::{DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH};
use maillage_plan::tours::{TourPlace, TourRequest, TourStopInput};

use maillage_core::Catalog;

use super::shared::COMMUNE_FIELDS;
use super::unserved::{DepartementPlanner, Unserved, UnservedPlans};
use crate::ogc::provider::{Field, FieldType, Value, concat_fields};
use maillage_plan::planning::run_tours;
use maillage_plan::rows::clock;

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;
const B: FieldType = FieldType::Boolean;

/// Working days of the default plan.
pub const DAYS: u32 = 10;
/// Minutes of a working day, travel included.
pub const DAY_MINUTES: f64 = 420.0;
/// Minutes of one permanence.
pub const SERVICE_MINUTES: f64 = 120.0;

/// Properties.
pub const FIELDS: &[Field] = &concat_fields::<21>(&[
    COMMUNE_FIELDS,
    &[
        Field::typed(
            "priority",
            "priorite",
            R,
            "Priorité = population × IFN 2023 total / 10",
        ),
        Field::text(
            "base",
            "base",
            "Code de la commune de départ (la plus peuplée du département)",
        ),
        Field::text("base_nom", "base_nom", "Nom de la commune de départ"),
        Field::typed("visited", "visitee", B, "Permanence prévue dans le plan"),
        Field::typed("day", "jour", I, "Jour de la tournée (1 à 10)"),
        Field::typed("week", "semaine", I, "Semaine (1 ou 2)"),
        Field::text("weekday", "jour_sem", "Jour de la semaine"),
        Field::typed("order", "ordre", I, "Rang de l'arrêt dans la journée"),
        Field::text("arrival", "arrivee", "Heure d'arrivée (HH:MM)"),
        Field::text("start", "debut", "Début de la permanence (HH:MM)"),
        Field::text("end", "fin", "Fin de la permanence (HH:MM)"),
        Field::typed(
            "day_travel_minutes",
            "trajet_j",
            R,
            "Minutes de trajet de la journée",
        ),
        Field::typed(
            "day_total_minutes",
            "total_j",
            R,
            "Minutes de la journée, départ et retour compris",
        ),
        Field::text(
            "reason_code",
            "raison_cod",
            "Non visitée : trop_loin, pas_d_ouverture, espacement_impossible ou pas_de_place",
        ),
        Field::text("reason", "raison", "Non visitée : pourquoi"),
        Field::text(
            "access_source",
            "acces",
            "Point de la commune : town_hall (mairie) ou interior_point (point intérieur du contour, mairie non localisée)",
        ),
    ],
]);

/// A feature's part of its département's plan.
#[derive(Debug, Clone, Default)]
struct Visit {
    day: Option<u32>,
    week: Option<u32>,
    weekday: Option<String>,
    order: Option<u32>,
    arrival: Option<String>,
    start: Option<String>,
    end: Option<String>,
    day_travel: Option<f64>,
    day_total: Option<f64>,
    reason_code: Option<String>,
    reason: Option<String>,
}

/// The plan of one département.
#[derive(Debug, Clone, Default)]
pub struct TourPlan {
    /// By position in the group.
    visits: Vec<Visit>,
}

/// The tours collection.
pub type Tours = UnservedPlans<TourPlanner>;

/// Plans each département's tour from the town hall of its most populous commune.
pub struct TourPlanner {
    /// Per group: catalog index of the base commune.
    bases: Vec<Option<usize>>,
}

impl DepartementPlanner for TourPlanner {
    type Plan = TourPlan;
    const ID: &'static str = "tours";
    const TITLE: &'static str = "Tournées de permanences proposées";
    const DESCRIPTION: &'static str = "Communes non desservies (plus de 20 minutes du lieu le plus proche), à leur mairie (ou en un point intérieur si elle n'est pas localisée : champ access_source), avec leur place dans une tournée par département : départ de la mairie de la commune la plus peuplée, 10 jours ouvrés, journées de 420 minutes trajets compris, permanences de 120 minutes aux heures d'ouverture de la mairie, priorité = population × IFN 2023 total / 10, trajets = distance × 1,3 / 50 km/h. Les non visitées disent pourquoi. Tracés des journées et autres paramètres : POST /api/plan/tours?f=geojson.";
    const FIELDS: &'static [Field] = FIELDS;

    fn new(cat: &Catalog, unserved: &Unserved) -> TourPlanner {
        let mut most_populous: HashMap<&str, usize> = HashMap::new();
        for (i, c) in cat.communes.iter().enumerate() {
            if c.located_town_hall().is_none() {
                continue;
            }
            let best = most_populous.entry(c.departement.as_str()).or_insert(i);
            if c.population > cat.communes[*best].population {
                *best = i;
            }
        }
        let bases = unserved
            .codes
            .iter()
            .map(|d| most_populous.get(d.as_str()).copied())
            .collect();
        TourPlanner { bases }
    }

    fn solve(plans: &Tours, group: usize) -> TourPlan {
        let cat = &plans.shared.catalog;
        let members = &plans.unserved.groups[group];
        let failed = |message: String| TourPlan {
            visits: vec![
                Visit {
                    reason_code: Some("erreur".into()),
                    reason: Some(message),
                    ..Visit::default()
                };
                members.len()
            ],
        };
        let (Some(gaps), Some(base)) = (
            plans.cache.default_analysis().ok(),
            plans.planner.bases[group],
        ) else {
            return failed("aucune mairie géolocalisée dans le département".into());
        };
        let stops: Vec<TourStopInput> = members
            .iter()
            .map(|&f| {
                let i = plans.unserved.communes[f];
                let code = cat.communes[i].code.to_string();
                TourStopInput {
                    id: code.clone(),
                    commune: Some(code),
                    weight: gaps.commune(i).map(|g| g.priority),
                    service_minutes: SERVICE_MINUTES,
                    ..TourStopInput::default()
                }
            })
            .collect();
        let req = TourRequest {
            base: TourPlace {
                id: Some(cat.communes[base].code.to_string()),
                commune: Some(cat.communes[base].code.to_string()),
                ..TourPlace::default()
            },
            stops,
            days: Some(DAYS),
            weeks: None,
            working_days: vec![0, 1, 2, 3, 4],
            period_weeks: None,
            day_minutes: Some(DAY_MINUTES),
            day_start_minutes: 480.0,
            speed_kmh: DEFAULT_SPEED_KMH,
            detour_factor: DEFAULT_DETOUR_FACTOR,
            matrix: None,
            must_visit_all: false,
            seed: 1,
            time_limit_ms: Some(10_000),
        };
        let resp = match run_tours(cat, &req) {
            Ok((_, resp)) => resp,
            Err(e) => {
                tracing::warn!(
                    "tournée du département {} impossible : {e}",
                    plans.unserved.codes[group]
                );
                return failed(e.to_string());
            }
        };
        let position: HashMap<&str, usize> = req
            .stops
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), k))
            .collect();
        let mut visits = vec![Visit::default(); members.len()];
        for d in &resp.days {
            for (k, id) in d.stops.iter().enumerate() {
                let Some(&p) = position.get(id.as_str()) else {
                    continue;
                };
                let start = d.service_starts.get(k).copied();
                visits[p] = Visit {
                    day: Some(d.day),
                    week: Some(d.week),
                    weekday: Some(d.weekday.clone()),
                    order: Some(k as u32 + 1),
                    arrival: d.arrivals.get(k).map(|&a| clock(a)),
                    start: start.map(clock),
                    end: start.map(|s| clock(s + SERVICE_MINUTES)),
                    day_travel: Some(d.travel_minutes),
                    day_total: Some(d.total_minutes),
                    reason_code: None,
                    reason: None,
                };
            }
        }
        for u in &resp.unvisited {
            if let Some(&p) = position.get(u.id.as_str()) {
                visits[p].reason_code = Some(u.code.clone());
                visits[p].reason = Some(u.reason.clone());
            }
        }
        TourPlan { visits }
    }

    fn value(plans: &Tours, f: usize, ci: usize, field: usize) -> Value<'_> {
        let cat = &plans.shared.catalog;
        let base = plans
            .unserved
            .group_of
            .get(f)
            .and_then(|&g| plans.planner.bases[g])
            .map(|b| &cat.communes[b]);
        match field {
            5 => Value::real(
                plans
                    .cache
                    .default_analysis()
                    .ok()
                    .and_then(|g| g.commune(ci))
                    .map(|g| g.priority),
            ),
            6 => base
                .map(|b| Value::text(b.code.as_str()))
                .unwrap_or(Value::Null),
            7 => base.map(|b| Value::text(&b.name)).unwrap_or(Value::Null),
            _ => {
                let Some(v) = plans.plan_of(f).and_then(|(plan, k)| plan.visits.get(k)) else {
                    return Value::Null;
                };
                match field {
                    8 => Value::Bool(v.day.is_some()),
                    9 => Value::opt_int(v.day),
                    10 => Value::opt_int(v.week),
                    11 => Value::opt_text(v.weekday.as_deref()),
                    12 => Value::opt_int(v.order),
                    13 => Value::opt_text(v.arrival.as_deref()),
                    14 => Value::opt_text(v.start.as_deref()),
                    15 => Value::opt_text(v.end.as_deref()),
                    16 => Value::real(v.day_travel),
                    17 => Value::real(v.day_total),
                    18 => Value::opt_text(v.reason_code.as_deref()),
                    19 => Value::opt_text(v.reason.as_deref()),
                    _ => Value::Null,
                }
            }
        }
    }
}
