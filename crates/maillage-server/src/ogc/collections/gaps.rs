//! `gaps`: the coverage gap analysis of every commune with the default parameters
//! (20 minutes, every venue, 50 km/h, detour 1.3, priority = population × IFN 2023
//! `total` / 10), one point per commune at its access point (town hall, else a point
//! inside the boundary).
//!
//! Computation parameters (`threshold`, `speed_kmh`, `detour_factor`, `services`,
//! `typologies`, `publics`, `fixed_only`, `ifn_model`, `ifn_axis`, `ifn_scale`, as for
//! `GET /api/gaps`) give a variant computed for the request, with every output format.
//! Filters: `code`, `departement`, `epci`, `status`, `served`, `fragile`,
//! `access_source`, `ifn_source`. `POST /api/gaps` adds the what-if.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use maillage_core::InseeCode;
use maillage_plan::gaps::CommuneGap;

use super::shared::{COMMUNE_FIELDS, Shared, commune_value, point_in_bbox};
use crate::ApiError;
use crate::ogc::provider::{
    Collection, Field, FieldType, Filter, Geometry, GeometryType, Limits, Parameter, Value,
    concat_fields,
};
use maillage_plan::gaps::DefaultGaps;

use crate::routes::gaps::request_from_query;

/// Computation parameters, as `GET /api/gaps` reads them.
pub const PARAMETERS: &[Parameter] = &[
    Parameter {
        name: "threshold",
        json_type: "number",
        title: "Seuil de desserte en minutes (défaut 20)",
    },
    Parameter {
        name: "speed_kmh",
        json_type: "number",
        title: "Vitesse moyenne en km/h (défaut 50)",
    },
    Parameter {
        name: "detour_factor",
        json_type: "number",
        title: "Facteur de détour (défaut 1,3)",
    },
    Parameter {
        name: "services",
        json_type: "string",
        title: "Seuls les lieux offrant l'un de ces services (séparés par |)",
    },
    Parameter {
        name: "typologies",
        json_type: "string",
        title: "Seuls les lieux de l'une de ces typologies (séparées par |)",
    },
    Parameter {
        name: "publics",
        json_type: "string",
        title: "Seuls les lieux s'adressant à l'un de ces publics (séparés par |)",
    },
    Parameter {
        name: "fixed_only",
        json_type: "boolean",
        title: "Exclure les lieux itinérants (défaut false)",
    },
    Parameter {
        name: "ifn_model",
        json_type: "string",
        title: "ifn2023 (défaut) ou ifn2020",
    },
    Parameter {
        name: "ifn_axis",
        json_type: "string",
        title: "Axe de l'IFN (défaut total ou score_global)",
    },
    Parameter {
        name: "ifn_scale",
        json_type: "string",
        title: "Échelle de l'IFN 2020 : region (défaut), departement ou epci",
    },
];

/// Variants computed recently, by canonical query: paging through one stays cheap.
const KEPT_VARIANTS: usize = 8;

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const I: FieldType = FieldType::Integer;
const R: FieldType = FieldType::Real;
const B: FieldType = FieldType::Boolean;

/// Properties.
pub const FIELDS: &[Field] = &concat_fields::<21>(&[
    COMMUNE_FIELDS,
    &[
        Field::text(
            "access_source",
            "acces",
            "Point d'accès : town_hall (mairie) ou interior_point (point intérieur du contour)",
        )
        .filter(Filter::Exact),
        Field::typed(
            "venue_id",
            "lieu_num",
            I,
            "Numéro du lieu le plus proche dans le catalogue",
        ),
        Field::text(
            "venue_key",
            "lieu_id",
            "Identifiant du lieu le plus proche dans sa source",
        ),
        Field::text("venue_name", "lieu_nom", "Nom du lieu le plus proche"),
        Field::typed(
            "distance_km",
            "dist_km",
            R,
            "Distance à vol d'oiseau au lieu le plus proche (km)",
        ),
        Field::typed(
            "minutes",
            "minutes",
            R,
            "Temps de trajet estimé : distance × 1,3 / 50 km/h × 60 (minutes)",
        ),
        Field::typed(
            "served",
            "desservie",
            B,
            "Desservie : temps de trajet ≤ seuil (threshold_minutes)",
        )
        .filter(Filter::Exact),
        Field::text(
            "status",
            "statut",
            "served, unserved (au-delà du seuil ou aucun lieu) ou unlocated (sans point d'accès)",
        )
        .filter(Filter::Exact),
        Field::typed(
            "priority",
            "priorite",
            R,
            "Priorité = population × IFN normalisé (IFN 2023 total / 10)",
        ),
        Field::typed(
            "fragile",
            "fragile",
            B,
            "Fragile : IFN 2023 total ≥ 7 (valeur propre de la commune)",
        )
        .filter(Filter::Exact),
        Field::text("ifn_model", "ifn_modele", "Modèle d'IFN de la priorité"),
        Field::text("ifn_axis", "ifn_axe", "Axe d'IFN de la priorité"),
        Field::typed(
            "ifn",
            "ifn",
            R,
            "Valeur propre de la commune sur cet axe (échelle d'origine)",
        ),
        Field::typed(
            "ifn_normalised",
            "ifn_norm",
            R,
            "IFN normalisé utilisé dans la priorité (0–1)",
        ),
        Field::text(
            "ifn_source",
            "ifn_source",
            "Origine de l'IFN normalisé : measured, epci_mean, departement_mean ou neutral",
        )
        .filter(Filter::Exact),
        Field::typed(
            "threshold_minutes",
            "seuil_min",
            R,
            "Seuil de desserte utilisé (minutes)",
        ),
    ],
]);

/// The gaps collection: one feature per commune of the catalog, in INSEE order.
pub struct Gaps {
    shared: Arc<Shared>,
    /// The analysis of a variant; `None` for the default analysis.
    custom: Option<DefaultGaps>,
    variants: Mutex<Vec<(String, Arc<Gaps>)>>,
}

impl Gaps {
    /// The collection over the shared catalog; the analysis runs on first use.
    pub fn new(shared: Arc<Shared>) -> Gaps {
        Gaps {
            shared,
            custom: None,
            variants: Mutex::new(Vec::new()),
        }
    }

    fn analysis(&self) -> Option<&DefaultGaps> {
        if let Some(custom) = &self.custom {
            return Some(custom);
        }
        self.shared.gaps.default_analysis().ok()
    }

    /// The analysis for these parameters over the whole catalog.
    fn variant(&self, values: &[(String, String)]) -> Result<Arc<Gaps>, ApiError> {
        let mut sorted: Vec<&(String, String)> = values.iter().collect();
        sorted.sort();
        let query: Vec<String> = sorted
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let query = query.join("&");
        if let Ok(kept) = self.variants.lock()
            && let Some((_, g)) = kept.iter().find(|(q, _)| *q == query)
        {
            return Ok(g.clone());
        }
        let req = request_from_query(Some(&query))?;
        let response = self
            .shared
            .gaps
            .analyse(&req)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let variant = Arc::new(Gaps {
            shared: self.shared.clone(),
            custom: Some(DefaultGaps::new(response, &self.shared.catalog)),
            variants: Mutex::new(Vec::new()),
        });
        if let Ok(mut kept) = self.variants.lock() {
            if kept.len() >= KEPT_VARIANTS {
                kept.remove(0);
            }
            kept.push((query, variant.clone()));
        }
        Ok(variant)
    }

    fn result(&self, i: usize) -> Option<&CommuneGap> {
        self.analysis()?.commune(i)
    }
}

fn name_of<T: serde::Serialize>(v: &T) -> Value<'static> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Value::owned(s),
        _ => Value::Null,
    }
}

impl Collection for Gaps {
    fn id(&self) -> &'static str {
        "gaps"
    }
    fn title(&self) -> &'static str {
        "Communes non desservies"
    }
    fn description(&self) -> &'static str {
        "Pour chaque commune : lieu d'accueil du public le plus proche (les habilitations Aidants Connect et l'accompagnement itinérant ne comptent pas par défaut ; GET/POST /api/gaps avec kinds les ajoute) depuis la mairie (à défaut, ou si la mairie du registre est hors de la commune, un point intérieur du contour), distance à vol d'oiseau, temps estimé (distance × 1,3 / 50 km/h), desservie si ce temps ≤ 20 minutes, priorité = population × IFN 2023 total / 10 (sans valeur : moyenne pondérée de l'EPCI, sinon du département, sinon 0,5). Ces valeurs par défaut se changent par les paramètres threshold, speed_kmh, detour_factor, services, typologies, publics, fixed_only, ifn_model, ifn_axis et ifn_scale ; une hypothèse (lieu ajouté ou retiré) : POST /api/gaps."
    }
    fn layers(&self) -> &'static [&'static str] {
        &["communes", "town-halls", "venues", "ifn-2023"]
    }
    fn parameters(&self) -> &'static [Parameter] {
        PARAMETERS
    }
    fn with_parameters(
        &self,
        values: &[(String, String)],
    ) -> Result<Arc<dyn Collection>, ApiError> {
        Ok(self.variant(values)?)
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
        self.shared.catalog.communes.len()
    }
    fn feature_id(&self, i: usize) -> Cow<'_, str> {
        match self.shared.catalog.communes.get(i) {
            Some(c) => Cow::Borrowed(c.code.as_str()),
            None => Cow::Borrowed(""),
        }
    }
    fn index_of(&self, id: &str) -> Option<usize> {
        let code: InseeCode = id.parse().ok()?;
        self.shared.catalog.commune_index(&code)
    }
    fn value(&self, i: usize, field: usize) -> Value<'_> {
        let Some(c) = self.shared.catalog.communes.get(i) else {
            return Value::Null;
        };
        if let Some(v) = commune_value(c, field) {
            return v;
        }
        let Some(analysis) = self.analysis() else {
            return Value::Null;
        };
        let Some(g) = analysis.commune(i) else {
            return Value::Null;
        };
        let p = &analysis.response.parameters;
        match field {
            5 => g.access_source.map(|s| name_of(&s)).unwrap_or(Value::Null),
            6 => g
                .nearest
                .as_ref()
                .and_then(|n| n.id)
                .map(|id| Value::Int(i64::from(id)))
                .unwrap_or(Value::Null),
            7 => g
                .nearest
                .as_ref()
                .map(|n| Value::text(&n.key))
                .unwrap_or(Value::Null),
            8 => g
                .nearest
                .as_ref()
                .map(|n| Value::text(&n.name))
                .unwrap_or(Value::Null),
            9 => Value::real(g.distance_km),
            10 => Value::real(g.minutes),
            11 => Value::Bool(g.served),
            12 => name_of(&g.status),
            13 => Value::real(Some(g.priority)),
            14 => Value::Bool(g.fragile),
            15 => Value::text(p.ifn_model),
            16 => Value::text(p.ifn_axis),
            17 => Value::real(g.ifn),
            18 => Value::real(Some(g.ifn_normalised)),
            19 => name_of(&g.ifn_source),
            20 => Value::real(Some(p.threshold_minutes)),
            _ => Value::Null,
        }
    }
    fn geometry(&self, i: usize) -> Geometry<'_> {
        match self.result(i).and_then(|g| g.access_lonlat) {
            Some(p) => Geometry::Point(p),
            None => Geometry::Empty,
        }
    }
    fn candidates(&self, bbox: [f64; 4]) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| {
                self.result(i)
                    .and_then(|g| g.access_lonlat)
                    .is_some_and(|p| point_in_bbox(p, bbox))
            })
            .collect()
    }
    fn warm_up(&self) {
        let _ = self.analysis();
    }
}
