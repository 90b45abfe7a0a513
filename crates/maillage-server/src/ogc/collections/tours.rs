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

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use maillage_plan::gaps::{DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH};
use maillage_plan::tours::{TourPlace, TourRequest, TourStopInput};

use super::shared::{COMMUNE_FIELDS, Shared, commune_value};
use super::sites::Unserved;
use crate::ogc::provider::{
    Collection, Field, FieldType, Geometry, GeometryType, Limits, Value, concat_fields,
};
use crate::routes::gaps::{GapCache, gap_cache};
use crate::routes::plan::{clock, run_tours};

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
struct TourPlan {
    /// By position in the group.
    visits: Vec<Visit>,
}

/// The tours collection.
pub struct Tours {
    shared: Arc<Shared>,
    cache: Arc<GapCache>,
    unserved: Unserved,
    /// Per group: catalog index of the base commune.
    bases: Vec<Option<usize>>,
    plans: Vec<OnceLock<TourPlan>>,
}

impl Tours {
    /// Lists the unserved communes and each département's base.
    pub fn new(shared: Arc<Shared>) -> Tours {
        let cat = &shared.catalog;
        let cache = gap_cache(cat);
        let unserved = Unserved::new(cat, &cache);
        let mut most_populous: HashMap<&str, usize> = HashMap::new();
        for (i, c) in cat.communes.iter().enumerate() {
            if c.town_hall.is_none() {
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
        let plans = (0..unserved.groups.len())
            .map(|_| OnceLock::new())
            .collect();
        Tours {
            shared,
            cache,
            unserved,
            bases,
            plans,
        }
    }

    fn plan(&self, group: usize) -> Option<&TourPlan> {
        let cell = self.plans.get(group)?;
        Some(cell.get_or_init(|| self.solve(group)))
    }

    fn solve(&self, group: usize) -> TourPlan {
        let cat = &self.shared.catalog;
        let members = &self.unserved.groups[group];
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
        let (Some(gaps), Some(base)) = (self.cache.default_analysis(cat), self.bases[group]) else {
            return failed("aucune mairie géolocalisée dans le département".into());
        };
        let stops: Vec<TourStopInput> = members
            .iter()
            .map(|&f| {
                let i = self.unserved.communes[f];
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
                    self.unserved.codes[group]
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

    fn visit(&self, f: usize) -> Option<&Visit> {
        let g = *self.unserved.group_of.get(f)?;
        let plan = self.plan(g)?;
        let k = self.unserved.groups[g].binary_search(&f).ok()?;
        plan.visits.get(k)
    }
}

impl Collection for Tours {
    fn id(&self) -> &'static str {
        "tours"
    }
    fn title(&self) -> &'static str {
        "Tournées de permanences proposées"
    }
    fn description(&self) -> &'static str {
        "Communes non desservies (plus de 20 minutes du lieu le plus proche), à leur mairie (ou en un point intérieur si elle n'est pas localisée : champ access_source), avec leur place dans une tournée par département : départ de la mairie de la commune la plus peuplée, 10 jours ouvrés, journées de 420 minutes trajets compris, permanences de 120 minutes aux heures d'ouverture de la mairie, priorité = population × IFN 2023 total / 10, trajets = distance × 1,3 / 50 km/h. Les non visitées disent pourquoi. Tracés des journées et autres paramètres : POST /api/plan/tours?f=geojson."
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
        let base = self
            .unserved
            .group_of
            .get(i)
            .and_then(|&g| self.bases[g])
            .map(|b| &cat.communes[b]);
        if let Some(v) = commune_value(c, field) {
            return v;
        }
        match field {
            5 => Value::real(
                self.cache
                    .default_analysis(cat)
                    .and_then(|g| g.commune(ci))
                    .map(|g| g.priority),
            ),
            6 => base
                .map(|b| Value::text(b.code.as_str()))
                .unwrap_or(Value::Null),
            7 => base.map(|b| Value::text(&b.name)).unwrap_or(Value::Null),
            20 => Value::opt_text(self.unserved.access.get(i).copied()),
            _ => {
                let Some(v) = self.visit(i) else {
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
