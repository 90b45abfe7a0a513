//! The request of `POST /api/gaps` (also built by the CLI and the `gaps` collection).
//!
//! Every field has a default, so `{}` is a valid request: all loaded communes,
//! every venue, 20 minutes, 50 km/h, detour 1.3, IFN 2023 `total`.

use std::fmt;
use std::str::FromStr;

use maillage_core::{Ifn2020Scale, Ifn2020Scores, Ifn2023, VenueFilter, VenueKind};
use serde::{Deserialize, Serialize};

use super::GapError;

/// Default threshold: a commune is unserved beyond 20 minutes.
pub const DEFAULT_THRESHOLD_MINUTES: f64 = 20.0;
/// Default average speed: 50 km/h.
pub const DEFAULT_SPEED_KMH: f64 = 50.0;
/// Default detour factor (road distance / straight-line distance): 1.3.
pub const DEFAULT_DETOUR_FACTOR: f64 = 1.3;

/// A gap analysis request. Unknown keys are refused.
///
/// ```
/// use maillage_plan::gaps::GapRequest;
/// let req: GapRequest = serde_json::from_str(r#"{
///     "territory": {"departements": ["81"]},
///     "threshold_minutes": 15,
///     "ifn": {"model": "ifn2020", "scale": "departement", "axis": "score_global"},
///     "added": [{"town_hall": "81004"}, {"lonlat": [2.5, 43.8], "label": "Bus"}],
///     "removed": ["france-services-2023-986"]
/// }"#).unwrap();
/// assert_eq!(req.threshold_minutes, 15.0);
/// assert_eq!(req.speed_kmh, 50.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GapRequest {
    /// Which communes to analyse (union of the lists; all empty = every loaded commune).
    pub territory: Territory,
    /// Which venues count (empty = all). Hypothetical venues always count.
    pub filter: VenueCriteria,
    /// A commune is served when its travel time is at most this many minutes.
    pub threshold_minutes: f64,
    /// Average speed for estimated travel times, km/h.
    pub speed_kmh: f64,
    /// Road distance / straight-line distance, for estimated travel times.
    pub detour_factor: f64,
    /// Which IFN model and axis weighs the priority.
    pub ifn: IfnChoice,
    /// Measured travel times that override the estimate for the pairs they give.
    pub matrix: Option<TravelMatrix>,
    /// Hypothetical venues (what-if).
    pub added: Vec<AddedVenue>,
    /// Existing venues to leave out (what-if).
    pub removed: Vec<VenueRef>,
}

impl Default for GapRequest {
    fn default() -> Self {
        GapRequest {
            territory: Territory::default(),
            filter: VenueCriteria::default(),
            threshold_minutes: DEFAULT_THRESHOLD_MINUTES,
            speed_kmh: DEFAULT_SPEED_KMH,
            detour_factor: DEFAULT_DETOUR_FACTOR,
            ifn: IfnChoice::default(),
            matrix: None,
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

impl GapRequest {
    /// A request with default parameters for some départements (as the CLI's `--departement`).
    ///
    /// ```
    /// let req = maillage_plan::gaps::GapRequest::for_departements(["81", "48"]);
    /// assert_eq!(req.territory.departements, vec!["81", "48"]);
    /// ```
    pub fn for_departements<S: Into<String>>(codes: impl IntoIterator<Item = S>) -> GapRequest {
        GapRequest {
            territory: Territory {
                departements: codes.into_iter().map(Into::into).collect(),
                ..Territory::default()
            },
            ..GapRequest::default()
        }
    }

    /// Whether the request asks a what-if (venues added or removed).
    pub fn is_what_if(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }
}

/// The communes to analyse: the union of départements, EPCI and communes.
/// All empty means every loaded commune. Venues are searched everywhere, not only
/// in the territory: a venue just across the border serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Territory {
    /// Département codes (`81`, `2A`, `974`).
    pub departements: Vec<String>,
    /// EPCI SIRENs (9 digits).
    pub epcis: Vec<String>,
    /// Commune INSEE codes.
    pub communes: Vec<String>,
}

impl Territory {
    /// True when no list has an entry (the whole catalog).
    pub fn is_everything(&self) -> bool {
        self.departements.is_empty() && self.epcis.is_empty() && self.communes.is_empty()
    }
}

/// Which venues count, as [`VenueFilter`] but readable from JSON and query strings.
///
/// By default only places that receive the public count (`kinds: ["lieu_accueil"]`);
/// `itinerant` and `habilitation` can be added, and `"kinds": []` counts every kind.
///
/// ```
/// use maillage_core::VenueKind;
/// use maillage_plan::gaps::{HoursRule, VenueCriteria};
/// let c: VenueCriteria = serde_json::from_str("{}").unwrap();
/// assert_eq!(c.kinds, vec![VenueKind::LieuAccueil]);
/// let c: VenueCriteria = serde_json::from_str(
///     r#"{"kinds": ["lieu_accueil", "habilitation"], "min_half_days": 4, "hours": "exclude_unknown"}"#,
/// ).unwrap();
/// assert_eq!(c.kinds.len(), 2);
/// assert_eq!(c.hours, HoursRule::ExcludeUnknown);
/// assert!(c.to_filter().exclude_unknown_hours);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VenueCriteria {
    /// At least one of these `services`, declared or inferred from the France Services
    /// label (empty: any).
    pub services: Vec<String>,
    /// At least one of these `typologie` values (empty: any).
    pub typologies: Vec<String>,
    /// At least one of these `publics_specifiquement_adresses` (empty: any).
    pub publics: Vec<String>,
    /// Only venues that declare themselves fixed (a blank `itinerance` is unknown).
    pub fixed_only: bool,
    /// Which kinds of venue count (default: `lieu_accueil` only; empty: every kind).
    pub kinds: Vec<VenueKind>,
    /// At least this many open half-days a week (venues whose hours were parsed).
    pub min_half_days: Option<f64>,
    /// Whether venues with unknown or unreadable hours count.
    pub hours: HoursRule,
}

/// Whether venues with unknown or unreadable opening hours count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoursRule {
    /// They count (default).
    #[default]
    Include,
    /// They are left out.
    ExcludeUnknown,
}

impl Default for VenueCriteria {
    fn default() -> Self {
        VenueCriteria {
            services: Vec::new(),
            typologies: Vec::new(),
            publics: Vec::new(),
            fixed_only: false,
            kinds: DEFAULT_KINDS.to_vec(),
            min_half_days: None,
            hours: HoursRule::Include,
        }
    }
}

/// The kinds of venue a gap analysis counts by default: places that receive the public.
pub const DEFAULT_KINDS: [VenueKind; 1] = [VenueKind::LieuAccueil];

impl VenueCriteria {
    /// The core filter.
    pub fn to_filter(&self) -> VenueFilter {
        VenueFilter {
            services: self.services.clone(),
            typologies: self.typologies.clone(),
            publics: self.publics.clone(),
            fixed_only: self.fixed_only,
            kinds: self.kinds.clone(),
            min_half_days: self.min_half_days,
            exclude_unknown_hours: self.hours == HoursRule::ExcludeUnknown,
        }
    }
}

impl From<&VenueFilter> for VenueCriteria {
    fn from(f: &VenueFilter) -> Self {
        VenueCriteria {
            services: f.services.clone(),
            typologies: f.typologies.clone(),
            publics: f.publics.clone(),
            fixed_only: f.fixed_only,
            kinds: f.kinds.clone(),
            min_half_days: f.min_half_days,
            hours: if f.exclude_unknown_hours {
                HoursRule::ExcludeUnknown
            } else {
                HoursRule::Include
            },
        }
    }
}

/// The IFN model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", rename_all = "lowercase")]
pub enum IfnModel {
    /// IFN 2020 (La MedNum): ratio indices, 100 = the reference territory's level.
    Ifn2020,
    /// IFN 2023 (fragilite-numerique.fr): deciles 0–10, 10 = most fragile.
    Ifn2023,
}

impl FromStr for IfnModel {
    type Err = GapError;
    fn from_str(s: &str) -> Result<Self, GapError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ifn2020" | "2020" => Ok(IfnModel::Ifn2020),
            "ifn2023" | "2023" => Ok(IfnModel::Ifn2023),
            _ => Err(GapError::BadIfn(format!(
                "modèle d'IFN inconnu « {s} » (attendu « ifn2020 » ou « ifn2023 »)"
            ))),
        }
    }
}

impl TryFrom<String> for IfnModel {
    type Error = GapError;
    fn try_from(s: String) -> Result<Self, GapError> {
        s.parse()
    }
}

impl IfnModel {
    /// Its name in requests and responses.
    pub fn as_str(self) -> &'static str {
        match self {
            IfnModel::Ifn2020 => "ifn2020",
            IfnModel::Ifn2023 => "ifn2023",
        }
    }
}

/// The reference territory of IFN 2020 ratios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", rename_all = "lowercase")]
pub enum IfnScale {
    /// Relative to the département.
    Departement,
    /// Relative to the région (the most complete scale: default).
    Region,
    /// Relative to the EPCI.
    Epci,
}

impl FromStr for IfnScale {
    type Err = GapError;
    fn from_str(s: &str) -> Result<Self, GapError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "departement" | "département" => Ok(IfnScale::Departement),
            "region" | "région" => Ok(IfnScale::Region),
            "epci" => Ok(IfnScale::Epci),
            _ => Err(GapError::BadIfn(format!(
                "échelle d'IFN 2020 inconnue « {s} » (attendu « departement », « region » ou « epci »)"
            ))),
        }
    }
}

impl TryFrom<String> for IfnScale {
    type Error = GapError;
    fn try_from(s: String) -> Result<Self, GapError> {
        s.parse()
    }
}

impl IfnScale {
    /// Its name in requests and responses.
    pub fn as_str(self) -> &'static str {
        match self {
            IfnScale::Departement => "departement",
            IfnScale::Region => "region",
            IfnScale::Epci => "epci",
        }
    }

    pub(crate) fn core(self) -> Ifn2020Scale {
        match self {
            IfnScale::Departement => Ifn2020Scale::Departement,
            IfnScale::Region => Ifn2020Scale::Region,
            IfnScale::Epci => Ifn2020Scale::Epci,
        }
    }
}

/// Which IFN weighs the priority. Default: IFN 2023, axis `total`.
/// IFN 2020 defaults to scale `region` and axis `score_global`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IfnChoice {
    /// The model.
    pub model: IfnModel,
    /// IFN 2020 only: the reference territory.
    #[serde(default)]
    pub scale: Option<IfnScale>,
    /// The axis (IFN 2023: `total`, `no_thd_coverage_rate`…; IFN 2020: `score_global`,
    /// `acces_information`…; `acces_interfaces_numeriques` is refused).
    #[serde(default)]
    pub axis: Option<String>,
}

impl Default for IfnChoice {
    fn default() -> Self {
        IfnChoice {
            model: IfnModel::Ifn2023,
            scale: None,
            axis: None,
        }
    }
}

/// The IFN axis 2020 that measures coverage, not fragility.
pub const IFN2020_INVERTED_AXIS: &str = "acces_interfaces_numeriques";

/// A validated IFN choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IfnSpec {
    pub model: IfnModel,
    pub scale: Option<IfnScale>,
    pub axis: &'static str,
}

impl IfnChoice {
    /// Checks the model, scale and axis; fills the defaults.
    pub(crate) fn resolve(&self) -> Result<IfnSpec, GapError> {
        match self.model {
            IfnModel::Ifn2023 => {
                if let Some(scale) = self.scale {
                    return Err(GapError::BadIfn(format!(
                        "l'échelle « {} » ne s'applique qu'à l'IFN 2020 (l'IFN 2023 est national)",
                        scale.as_str()
                    )));
                }
                let axis = self.axis.as_deref().unwrap_or("total");
                let found = Ifn2023::AXES.iter().find(|a| **a == axis.trim());
                match found {
                    Some(a) => Ok(IfnSpec {
                        model: self.model,
                        scale: None,
                        axis: a,
                    }),
                    None => Err(GapError::BadIfn(format!(
                        "axe d'IFN 2023 inconnu « {axis} » (attendu l'un de : {})",
                        Ifn2023::AXES.join(", ")
                    ))),
                }
            }
            IfnModel::Ifn2020 => {
                let axis = self.axis.as_deref().unwrap_or("score_global").trim();
                if axis == IFN2020_INVERTED_AXIS {
                    return Err(GapError::BadIfn(format!(
                        "l'axe « {IFN2020_INVERTED_AXIS} » de l'IFN 2020 mesure une couverture \
                         (plus la valeur est haute, mieux la commune est couverte ; 0 signifie « pas de donnée ») : \
                         il ne peut pas pondérer une fragilité. Choisissez un autre axe, ou l'IFN 2023 \
                         (no_thd_coverage_rate, no_4g_coverage_rate)"
                    )));
                }
                let found = Ifn2020Scores::AXES.iter().find(|a| **a == axis);
                match found {
                    Some(a) => Ok(IfnSpec {
                        model: self.model,
                        scale: Some(self.scale.unwrap_or(IfnScale::Region)),
                        axis: a,
                    }),
                    None => Err(GapError::BadIfn(format!(
                        "axe d'IFN 2020 inconnu « {axis} » (attendu l'un de : {})",
                        Ifn2020Scores::AXES
                            .iter()
                            .filter(|a| **a != IFN2020_INVERTED_AXIS)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                }
            }
        }
    }
}

/// A venue of the catalog: its source id (`france-services-2023-986`, stable across
/// loads; any merged source row's id works) or its catalog number (stable for one load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VenueRef {
    /// Catalog number ([`maillage_core::VenueId`]).
    Index(u32),
    /// Source id (`id` field of the venue, or of any source row merged into it).
    Key(String),
}

impl fmt::Display for VenueRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VenueRef::Index(i) => write!(f, "{i}"),
            VenueRef::Key(k) => f.write_str(k),
        }
    }
}

/// Measured travel times (e.g. from a road router), in either or both of two forms:
/// a dense table (`communes` × `venues`, `null` for an unknown pair) and a list of
/// `entries`. A pair given here replaces the estimate; pairs not given keep the
/// estimate, so venues outside the table still compete.
///
/// ```json
/// {"communes": ["81004", "81060"], "venues": ["france-services-2023-986", 12],
///  "minutes": [[14.5, null], [31, 8.2]],
///  "entries": [{"commune": "81065", "venue": 12, "minutes": 22}]}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TravelMatrix {
    /// Rows of the dense table: commune INSEE codes.
    pub communes: Vec<String>,
    /// Columns of the dense table: venues.
    pub venues: Vec<VenueRef>,
    /// `minutes[row][column]`, `null` when unknown.
    pub minutes: Vec<Vec<Option<f64>>>,
    /// Single pairs.
    pub entries: Vec<MatrixEntry>,
}

/// One measured travel time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixEntry {
    /// From this commune's access point…
    pub commune: String,
    /// …to this venue…
    pub venue: VenueRef,
    /// …in this many minutes.
    pub minutes: f64,
}

/// A hypothetical venue: a lon/lat point, or a permanence at a commune's town hall.
/// It counts whatever the venue filter says (it is the help being planned).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AddedVenue {
    /// WGS84 longitude, latitude.
    pub lonlat: Option<[f64; 2]>,
    /// INSEE code of the commune whose town hall hosts the permanence (its access
    /// point when the town hall position is unknown).
    pub town_hall: Option<String>,
    /// A name to show.
    pub label: Option<String>,
}

impl AddedVenue {
    /// A venue at a lon/lat point.
    pub fn at(lon: f64, lat: f64) -> AddedVenue {
        AddedVenue {
            lonlat: Some([lon, lat]),
            ..AddedVenue::default()
        }
    }

    /// A permanence at a commune's town hall.
    pub fn town_hall(code: impl Into<String>) -> AddedVenue {
        AddedVenue {
            town_hall: Some(code.into()),
            ..AddedVenue::default()
        }
    }
}
