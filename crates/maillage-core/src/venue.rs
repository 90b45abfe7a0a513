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
