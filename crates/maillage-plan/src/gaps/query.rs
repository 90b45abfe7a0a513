//! Flat, text-only parameters (query string of the `gaps` collection, CLI options),
//! turned into a [`GapRequest`] with French errors.

use serde::{Deserialize, Serialize};

use super::{GapError, GapRequest, IfnChoice, IfnModel, IfnScale};

/// The parameters of the `gaps` collection as they come in a query string. Every
/// field is text, so it deserialises from any query-string extractor (even
/// flattened); lists are comma-separated. Unknown keys are left to the caller
/// (an OGC query also has `limit`, `bbox`, `f`…).
///
/// ```
/// use maillage_plan::gaps::GapQuery;
/// let q = GapQuery {
///     departement: Some("81,48".into()),
///     threshold: Some("15".into()),
///     service: Some("Aide aux démarches administratives".into()),
///     ifn: Some("ifn2020".into()),
///     ..GapQuery::default()
/// };
/// let req = q.to_request().unwrap();
/// assert_eq!(req.territory.departements, vec!["81", "48"]);
/// assert_eq!(req.threshold_minutes, 15.0);
/// assert!(GapQuery { threshold: Some("vingt".into()), ..GapQuery::default() }.to_request().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapQuery {
    /// Département codes, comma-separated.
    pub departement: Option<String>,
    /// EPCI SIRENs, comma-separated.
    pub epci: Option<String>,
    /// Commune INSEE codes, comma-separated.
    pub commune: Option<String>,
    /// Threshold, minutes.
    pub threshold: Option<String>,
    /// Speed, km/h.
    pub speed: Option<String>,
    /// Detour factor.
    pub detour: Option<String>,
    /// `ifn2020` or `ifn2023`.
    pub ifn: Option<String>,
    /// IFN 2020 scale: `departement`, `region`, `epci`.
    pub ifn_scale: Option<String>,
    /// IFN axis.
    pub ifn_axis: Option<String>,
    /// Services, comma-separated (at least one).
    pub service: Option<String>,
    /// Typologies, comma-separated (at least one).
    pub typologie: Option<String>,
    /// Publics, comma-separated (at least one).
    pub public: Option<String>,
    /// `true` to leave out itinerant venues.
    pub fixed_only: Option<String>,
}

fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(v: &Option<String>, name: &str, default: f64) -> Result<f64, GapError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.replace(',', ".").parse::<f64>().map_err(|_| {
            GapError::BadParameter(format!(
                "paramètre « {name} » : nombre attendu, trouvé « {s} »"
            ))
        }),
    }
}

impl GapQuery {
    /// The request these parameters describe (defaults for what is absent).
    pub fn to_request(&self) -> Result<GapRequest, GapError> {
        let defaults = GapRequest::default();
        let mut req = GapRequest {
            threshold_minutes: number(&self.threshold, "threshold", defaults.threshold_minutes)?,
            speed_kmh: number(&self.speed, "speed", defaults.speed_kmh)?,
            detour_factor: number(&self.detour, "detour", defaults.detour_factor)?,
            ..defaults
        };
        req.territory.departements = list(&self.departement);
        req.territory.epcis = list(&self.epci);
        req.territory.communes = list(&self.commune);
        req.filter.services = list(&self.service);
        req.filter.typologies = list(&self.typologie);
        req.filter.publics = list(&self.public);
        req.filter.fixed_only = match self.fixed_only.as_deref().map(str::trim) {
            None | Some("") | Some("false") | Some("0") | Some("non") => false,
            Some("true") | Some("1") | Some("oui") => true,
            Some(other) => {
                return Err(GapError::BadParameter(format!(
                    "paramètre « fixed_only » : attendu true ou false, trouvé « {other} »"
                )));
            }
        };
        let nonempty = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let model = match nonempty(&self.ifn) {
            Some(m) => m.parse::<IfnModel>()?,
            None => IfnModel::Ifn2023,
        };
        let scale = nonempty(&self.ifn_scale)
            .map(|s| s.parse::<IfnScale>())
            .transpose()?;
        req.ifn = IfnChoice {
            model,
            scale,
            axis: nonempty(&self.ifn_axis),
        };
        Ok(req)
    }
}
