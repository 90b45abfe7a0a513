//! Lieux de médiation numérique, as described by the national standard
//! (LaMednum / ANCT, *standard des lieux de médiation numérique* v1.0.2).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::{InseeCode, Position};

/// Index of a venue in the catalog (stable for one loaded catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct VenueId(pub u32);

impl fmt::Display for VenueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The 32 fields of the national schema for one venue, as read and validated.
/// Multi-valued fields hold one entry per `|`-separated value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[allow(missing_docs)] // field names are the schema's, documented there
pub struct VenueRecord {
    pub id: String,
    pub pivot: String,
    pub nom: String,
    pub commune: String,
    pub code_postal: String,
    pub code_insee: String,
    pub adresse: String,
    pub complement_adresse: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub typologie: Vec<String>,
    pub telephone: String,
    pub courriels: Vec<String>,
    pub site_web: Vec<String>,
    pub horaires: String,
    pub presentation_resume: String,
    pub presentation_detail: String,
    pub source: String,
    pub itinerance: Vec<String>,
    pub structure_parente: String,
    pub date_maj: String,
    pub services: Vec<String>,
    pub publics_specifiquement_adresses: Vec<String>,
    pub prise_en_charge_specifique: Vec<String>,
    pub frais_a_charge: Vec<String>,
    pub dispositif_programmes_nationaux: Vec<String>,
    pub formations_labels: Vec<String>,
    pub autres_formations_labels: Vec<String>,
    pub modalites_acces: Vec<String>,
    pub modalites_accompagnement: Vec<String>,
    pub fiche_acces_libre: String,
    pub prise_rdv: String,
}

impl VenueRecord {
    /// The schema's field names, in schema order.
    pub const FIELDS: [&'static str; 32] = [
        "id",
        "pivot",
        "nom",
        "commune",
        "code_postal",
        "code_insee",
        "adresse",
        "complement_adresse",
        "latitude",
        "longitude",
        "typologie",
        "telephone",
        "courriels",
        "site_web",
        "horaires",
        "presentation_resume",
        "presentation_detail",
        "source",
        "itinerance",
        "structure_parente",
        "date_maj",
        "services",
        "publics_specifiquement_adresses",
        "prise_en_charge_specifique",
        "frais_a_charge",
        "dispositif_programmes_nationaux",
        "formations_labels",
        "autres_formations_labels",
        "modalites_acces",
        "modalites_accompagnement",
        "fiche_acces_libre",
        "prise_rdv",
    ];

    /// The multi-valued field of that name, if it is one.
    pub fn multi(&self, name: &str) -> Option<&[String]> {
        Some(match name {
            "typologie" => &self.typologie,
            "courriels" => &self.courriels,
            "site_web" => &self.site_web,
            "itinerance" => &self.itinerance,
            "services" => &self.services,
            "publics_specifiquement_adresses" => &self.publics_specifiquement_adresses,
            "prise_en_charge_specifique" => &self.prise_en_charge_specifique,
            "frais_a_charge" => &self.frais_a_charge,
            "dispositif_programmes_nationaux" => &self.dispositif_programmes_nationaux,
            "formations_labels" => &self.formations_labels,
            "autres_formations_labels" => &self.autres_formations_labels,
            "modalites_acces" => &self.modalites_acces,
            "modalites_accompagnement" => &self.modalites_accompagnement,
            _ => return None,
        })
    }

    /// A field rendered as text the way the schema's CSV writes it (multi-values
    /// joined with `|`); `None` for an unknown name.
    ///
    /// ```
    /// use maillage_core::VenueRecord;
    /// let v = VenueRecord { nom: "Médiathèque".into(), services: vec!["A".into(), "B".into()], ..Default::default() };
    /// assert_eq!(v.text("nom").unwrap(), "Médiathèque");
    /// assert_eq!(v.text("services").unwrap(), "A|B");
    /// assert!(v.text("inconnu").is_none());
    /// ```
    pub fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        if let Some(values) = self.multi(name) {
            return Some(Cow::Owned(values.join("|")));
        }
        let s: &str = match name {
            "id" => &self.id,
            "pivot" => &self.pivot,
            "nom" => &self.nom,
            "commune" => &self.commune,
            "code_postal" => &self.code_postal,
            "code_insee" => &self.code_insee,
            "adresse" => &self.adresse,
            "complement_adresse" => &self.complement_adresse,
            "latitude" => {
                return Some(Cow::Owned(
                    self.latitude.map(|v| v.to_string()).unwrap_or_default(),
                ));
            }
            "longitude" => {
                return Some(Cow::Owned(
                    self.longitude.map(|v| v.to_string()).unwrap_or_default(),
                ));
            }
            "telephone" => &self.telephone,
            "horaires" => &self.horaires,
            "presentation_resume" => &self.presentation_resume,
            "presentation_detail" => &self.presentation_detail,
            "source" => &self.source,
            "structure_parente" => &self.structure_parente,
            "date_maj" => &self.date_maj,
            "fiche_acces_libre" => &self.fiche_acces_libre,
            "prise_rdv" => &self.prise_rdv,
            _ => return None,
        };
        Some(Cow::Borrowed(s))
    }

    /// Whether the venue is itinerant (`itinerance` contains `Itinérant`).
    pub fn is_itinerant(&self) -> bool {
        self.itinerance.iter().any(|v| v == "Itinérant")
    }
}

/// How the venue's position was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// The source's own coordinates.
    Exact,
    /// No coordinates in the source: placed at the town hall of its `code_insee`.
    TownHall,
    /// Placed at a point inside its declared commune, whose town hall has no reliable
    /// position (the point the gap analysis uses for that commune).
    Commune,
}

/// A doubt about a venue's position or commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationFlag {
    /// The source's point lies in no commune (sea, abroad).
    HorsCommune,
    /// The source's point lies in another département than its declared code.
    DepartementIncoherent,
    /// The source's point, outside every commune, is shared by several venues (a dummy point).
    PointPartage,
    /// The declared commune was corrected (postal code, name) before placing the venue.
    CommuneCorrigee,
    /// The commune could not be established with certainty (ambiguous postal code…).
    CommuneDouteuse,
}

impl LocationFlag {
    /// The code used in the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationFlag::HorsCommune => "hors_commune",
            LocationFlag::DepartementIncoherent => "departement_incoherent",
            LocationFlag::PointPartage => "point_partage",
            LocationFlag::CommuneCorrigee => "commune_corrigee",
            LocationFlag::CommuneDouteuse => "commune_douteuse",
        }
    }
}

/// One source row a venue was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VenueSource {
    /// File name (e.g. `france-services-2023.csv`).
    pub file: String,
    /// Line (CSV, 1-based, header is line 1) or index in a JSON array (0-based).
    pub line: u64,
    /// The row's `id` in that file.
    pub id: String,
    /// What the row describes (derived at import from its file and fields).
    pub kind: VenueKind,
    /// Whether the row's `date_maj` is its source's own date or the file's snapshot date.
    pub date_maj_kind: DateMajKind,
    /// The row's opening hours (`horaires`), as parsed at import.
    pub hours: Hours,
}

impl VenueSource {
    /// A source row with the defaults of a hand-made record: a place receiving the
    /// public, with its own date, without hours.
    pub fn new(file: impl Into<String>, line: u64, id: impl Into<String>) -> VenueSource {
        VenueSource {
            file: file.into(),
            line,
            id: id.into(),
            kind: VenueKind::LieuAccueil,
            date_maj_kind: DateMajKind::Source,
            hours: Hours::Unknown,
        }
    }
}

/// A venue of the catalog: one record, possibly merged from several source rows.
#[derive(Debug, Clone, Serialize)]
pub struct Venue {
    /// Catalog index.
    pub id: VenueId,
    /// The schema fields (from the first source; merged multi-values from all of them).
    pub record: VenueRecord,
    /// Where the venue is.
    pub position: Position,
    /// Whether the position is the source's or the town hall's.
    pub placement: Placement,
    /// The commune whose boundary contains the position, if any.
    pub commune: Option<InseeCode>,
    /// Every source row merged into this venue.
    pub sources: Vec<VenueSource>,
    /// Doubts about the position or the commune (empty: none).
    pub location_flags: Vec<LocationFlag>,
    /// The commune the record declares (`code_insee`, else resolved from the postal code
    /// and the commune name); counts the venue there when its point lies in no commune.
    pub declared_commune: Option<InseeCode>,
    /// What was doubted or changed about the position, in French (empty: nothing).
    pub location_note: String,
}

/// What a venue is, for counting it as a place to get help.
///
/// Derived at import for each source row (see `maillage_ingest::venues::kind`); a venue
/// merged from several rows takes the most receiving kind of its rows
/// ([`VenueKind::most_receiving`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum VenueKind {
    /// A place that receives the public (conseiller numérique, France Services,
    /// médiathèque, EPN, association…).
    LieuAccueil,
    /// Mobile help: a bus, itinerant permanences.
    Itinerant,
    /// An Aidants Connect accreditation of an organisation, not a place.
    Habilitation,
}

impl VenueKind {
    /// Every kind, most receiving first.
    pub const ALL: [VenueKind; 3] = [
        VenueKind::LieuAccueil,
        VenueKind::Itinerant,
        VenueKind::Habilitation,
    ];

    /// The code used in requests, the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            VenueKind::LieuAccueil => "lieu_accueil",
            VenueKind::Itinerant => "itinerant",
            VenueKind::Habilitation => "habilitation",
        }
    }

    /// The French label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            VenueKind::LieuAccueil => "Lieu d'accueil du public",
            VenueKind::Itinerant => "Accompagnement itinérant",
            VenueKind::Habilitation => "Habilitation Aidants Connect (pas un lieu d'accueil)",
        }
    }

    /// Parses a code (`lieu_accueil`, `itinerant`, `habilitation`).
    ///
    /// ```
    /// use maillage_core::VenueKind;
    /// assert_eq!(VenueKind::parse(" habilitation"), Some(VenueKind::Habilitation));
    /// assert_eq!(VenueKind::parse("lieu"), None);
    /// ```
    pub fn parse(s: &str) -> Option<VenueKind> {
        VenueKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The kind of a venue merged from rows of these kinds: the most receiving one
    /// (`lieu_accueil` > `itinerant` > `habilitation`); `None` without rows.
    ///
    /// ```
    /// use maillage_core::VenueKind::*;
    /// use maillage_core::VenueKind;
    /// assert_eq!(VenueKind::most_receiving([Habilitation, LieuAccueil]), Some(LieuAccueil));
    /// assert_eq!(VenueKind::most_receiving([Habilitation, Itinerant]), Some(Itinerant));
    /// assert_eq!(VenueKind::most_receiving([]), None);
    /// ```
    pub fn most_receiving(kinds: impl IntoIterator<Item = VenueKind>) -> Option<VenueKind> {
        // Declaration order is the receiving order: the smallest wins.
        kinds.into_iter().min()
    }
}

/// Where a venue's `date_maj` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateMajKind {
    /// The source's own update date for that row.
    Source,
    /// The source had no date for the row: `date_maj` is the file's snapshot date,
    /// which says when the data was taken, not that the venue was checked.
    Snapshot,
}

impl DateMajKind {
    /// The code used in the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            DateMajKind::Source => "source",
            DateMajKind::Snapshot => "snapshot",
        }
    }
}

/// Whether the venue declares itself fixed or itinerant (`itinerance`); a blank value
/// is unknown, not fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItineranceState {
    /// `Fixe` declared (also with `Itinérant`: the venue has a fixed site).
    Fixe,
    /// Only `Itinérant` declared.
    Itinerant,
    /// Nothing declared.
    Inconnu,
}

impl ItineranceState {
    /// The state of an `itinerance` field.
    ///
    /// ```
    /// use maillage_core::ItineranceState;
    /// let s = |v: &[&str]| ItineranceState::of(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    /// assert_eq!(s(&[]), ItineranceState::Inconnu);
    /// assert_eq!(s(&["Fixe"]), ItineranceState::Fixe);
    /// assert_eq!(s(&["Itinérant"]), ItineranceState::Itinerant);
    /// assert_eq!(s(&["Itinérant", "Fixe"]), ItineranceState::Fixe);
    /// ```
    pub fn of(itinerance: &[String]) -> ItineranceState {
        if itinerance.iter().any(|v| v == "Fixe") {
            ItineranceState::Fixe
        } else if itinerance.iter().any(|v| v == "Itinérant") {
            ItineranceState::Itinerant
        } else {
            ItineranceState::Inconnu
        }
    }

    /// The code used in the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            ItineranceState::Fixe => "fixe",
            ItineranceState::Itinerant => "itinerant",
            ItineranceState::Inconnu => "inconnu",
        }
    }
}

/// Opening hours (`horaires`, OpenStreetMap `opening_hours` syntax) as read at import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Hours {
    /// No hours given.
    #[default]
    Unknown,
    /// Parsed: the number of open half-days over the 4 reference weeks (see
    /// `maillage_ingest::venues::hours`).
    Parsed {
        /// Open half-days in 4 weeks (0–56).
        half_days_in_4_weeks: u8,
    },
    /// Given but not understood.
    Invalid {
        /// The parser's message.
        error: String,
    },
}

impl Hours {
    /// `Some(true)` parsed, `Some(false)` not understood, `None` not given.
    pub fn parsed(&self) -> Option<bool> {
        match self {
            Hours::Unknown => None,
            Hours::Parsed { .. } => Some(true),
            Hours::Invalid { .. } => Some(false),
        }
    }

    /// Open half-days per week (average over the 4 reference weeks), when parsed.
    ///
    /// ```
    /// use maillage_core::Hours;
    /// assert_eq!(Hours::Parsed { half_days_in_4_weeks: 2 }.half_days_per_week(), Some(0.5));
    /// assert_eq!(Hours::Unknown.half_days_per_week(), None);
    /// ```
    pub fn half_days_per_week(&self) -> Option<f64> {
        match self {
            Hours::Parsed {
                half_days_in_4_weeks,
            } => Some(f64::from(*half_days_in_4_weeks) / 4.0),
            _ => None,
        }
    }

    /// The parse error, if the hours were not understood.
    pub fn error(&self) -> Option<&str> {
        match self {
            Hours::Invalid { error } => Some(error),
            _ => None,
        }
    }
}

/// The services the France Services label implies. The label's charter guarantees help
/// with administrative procedures; the project's context documents give no longer
/// official list, so only that service is inferred.
pub const FRANCE_SERVICES_SERVICES: [&str; 1] = ["Aide aux démarches administratives"];

impl VenueRecord {
    /// Whether the record carries the France Services label (`dispositif_programmes_nationaux`).
    pub fn is_france_services(&self) -> bool {
        self.dispositif_programmes_nationaux
            .iter()
            .any(|d| d == "France Services")
    }

    /// Services implied by a label and not declared (`services`): for a France Services,
    /// those of [`FRANCE_SERVICES_SERVICES`] it does not list. Never mixed with `services`.
    ///
    /// ```
    /// use maillage_core::VenueRecord;
    /// let fs = VenueRecord { dispositif_programmes_nationaux: vec!["France Services".into()], ..Default::default() };
    /// assert_eq!(fs.services_inferred(), vec!["Aide aux démarches administratives"]);
    /// let declared = VenueRecord { services: vec!["Aide aux démarches administratives".into()], ..fs };
    /// assert!(declared.services_inferred().is_empty());
    /// assert!(VenueRecord::default().services_inferred().is_empty());
    /// ```
    pub fn services_inferred(&self) -> Vec<&'static str> {
        if !self.is_france_services() {
            return Vec::new();
        }
        FRANCE_SERVICES_SERVICES
            .into_iter()
            .filter(|s| !self.services.iter().any(|d| d == s))
            .collect()
    }

    /// Whether the service is declared or inferred from a label.
    pub fn offers(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service) || self.services_inferred().contains(&service)
    }

    /// Declared fixed, itinerant, or unknown.
    pub fn itinerance_state(&self) -> ItineranceState {
        ItineranceState::of(&self.itinerance)
    }
}

impl Venue {
    /// The source row whose fields the venue kept (same `id`), else the first row.
    pub fn primary_source(&self) -> Option<&VenueSource> {
        self.sources
            .iter()
            .find(|s| s.id == self.record.id)
            .or_else(|| self.sources.first())
    }

    /// The most receiving kind of its rows ([`VenueKind::most_receiving`]); a venue
    /// without source rows (hand-made) is a place receiving the public.
    pub fn kind(&self) -> VenueKind {
        VenueKind::most_receiving(self.sources.iter().map(|s| s.kind))
            .unwrap_or(VenueKind::LieuAccueil)
    }

    /// Where its `date_maj` comes from: that of the kept row.
    pub fn date_maj_kind(&self) -> DateMajKind {
        self.primary_source()
            .map_or(DateMajKind::Source, |s| s.date_maj_kind)
    }

    /// Its opening hours: the kept row's, else (when the kept row had none and the
    /// merge filled `horaires` from another row) the first row's with hours.
    pub fn hours(&self) -> &Hours {
        static UNKNOWN: Hours = Hours::Unknown;
        match self.primary_source() {
            Some(s) if s.hours != Hours::Unknown => &s.hours,
            _ => self
                .sources
                .iter()
                .map(|s| &s.hours)
                .find(|h| **h != Hours::Unknown)
                .unwrap_or(&UNKNOWN),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Hand-made venues (invented, not real rows).
    use super::*;
    use crate::{VenueFilter, Zone};

    fn venue(sources: Vec<VenueSource>, record: VenueRecord) -> Venue {
        Venue {
            id: VenueId(0),
            record,
            position: Position {
                lonlat: [2.15, 43.93],
                xy: [0.0, 0.0],
                zone: Zone::Metropole,
            },
            placement: Placement::Exact,
            commune: None,
            sources,
            location_flags: Vec::new(),
            declared_commune: None,
            location_note: String::new(),
        }
    }

    fn source(id: &str, kind: VenueKind, hours: Hours) -> VenueSource {
        VenueSource {
            kind,
            hours,
            ..VenueSource::new("f.csv", 2, id)
        }
    }

    #[test]
    fn a_merged_venue_takes_the_most_receiving_kind() {
        let rec = VenueRecord {
            id: "a".into(),
            ..Default::default()
        };
        let v = venue(
            vec![
                source("a", VenueKind::Habilitation, Hours::Unknown),
                source("b", VenueKind::Itinerant, Hours::Unknown),
            ],
            rec.clone(),
        );
        assert_eq!(v.kind(), VenueKind::Itinerant);
        let v = venue(
            vec![
                source("a", VenueKind::Habilitation, Hours::Unknown),
                source("b", VenueKind::LieuAccueil, Hours::Unknown),
            ],
            rec,
        );
        assert_eq!(v.kind(), VenueKind::LieuAccueil);
    }

    #[test]
    fn hours_and_dates_come_from_the_kept_row_else_from_a_row_with_hours() {
        let rec = VenueRecord {
            id: "b".into(),
            ..Default::default()
        };
        let parsed = Hours::Parsed {
            half_days_in_4_weeks: 8,
        };
        let mut kept = source("b", VenueKind::LieuAccueil, Hours::Unknown);
        kept.date_maj_kind = DateMajKind::Snapshot;
        let v = venue(
            vec![source("a", VenueKind::LieuAccueil, parsed.clone()), kept],
            rec,
        );
        assert_eq!(v.primary_source().unwrap().id, "b");
        assert_eq!(v.date_maj_kind(), DateMajKind::Snapshot);
        assert_eq!(v.hours(), &parsed);
        assert_eq!(v.hours().half_days_per_week(), Some(2.0));
    }

    #[test]
    fn the_filter_on_kinds_hours_itinerance_and_inferred_services() {
        let fs = venue(
            vec![source(
                "fs",
                VenueKind::LieuAccueil,
                Hours::Parsed {
                    half_days_in_4_weeks: 40,
                },
            )],
            VenueRecord {
                id: "fs".into(),
                dispositif_programmes_nationaux: vec!["France Services".into()],
                itinerance: vec!["Fixe".into()],
                ..Default::default()
            },
        );
        let blank = venue(
            vec![source("ac", VenueKind::Habilitation, Hours::Unknown)],
            VenueRecord {
                id: "ac".into(),
                services: vec!["Aide aux démarches administratives".into()],
                ..Default::default()
            },
        );
        let f = |filter: VenueFilter| (filter.matches(&fs), filter.matches(&blank));
        assert!(VenueFilter::default().is_empty());
        assert_eq!(f(VenueFilter::default()), (true, true));
        let admin = vec!["Aide aux démarches administratives".to_string()];
        assert_eq!(
            f(VenueFilter {
                services: admin,
                ..Default::default()
            }),
            (true, true)
        );
        assert_eq!(
            f(VenueFilter {
                kinds: vec![VenueKind::LieuAccueil],
                ..Default::default()
            }),
            (true, false)
        );
        // A blank itinerance is unknown: not fixed.
        assert_eq!(
            f(VenueFilter {
                fixed_only: true,
                ..Default::default()
            }),
            (true, false)
        );
        // Unknown hours pass a minimum unless excluded.
        assert_eq!(
            f(VenueFilter {
                min_half_days: Some(12.0),
                ..Default::default()
            }),
            (false, true)
        );
        assert_eq!(
            f(VenueFilter {
                min_half_days: Some(4.0),
                exclude_unknown_hours: true,
                ..Default::default()
            }),
            (true, false)
        );
    }
}
