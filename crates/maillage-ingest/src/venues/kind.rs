//! What each venue row is, and where its date comes from.
//!
//! # Provenance of the venue files
//! [`VENUE_FILES`] is the one table of the venue files Maillage knows (file stem →
//! producer, licence, snapshot date, whether rows carry their own dates); the layers,
//! the date kinds and the kinds read it.
//!
//! # Kind of a row ([`row_kind`]), first rule that applies
//! 1. **`habilitation`**: every row of `aidants-connect-2024` (a list of organisations
//!    accredited to do procedures on someone's behalf, placed at a town hall for want of
//!    coordinates). The places among them are counted through their own rows: 1,021 of
//!    its 1,042 rows labelled France Services share a commune or a postal code with a row
//!    of `france-services-2023`.
//! 2. **`itinerant`**: `itinerance` declares only `Itinérant`, or the name says mobile
//!    help (words `bus`, `camion`, `mobile(s)`, `itinérant(e)(s)`, `itinérance`): "Camion
//!    bleu France Services Avesnois", "PIMMS Mobile Beuvry", "Bus France services de
//!    Matoury" (declared `Fixe` by its source).
//! 3. **`habilitation`**: in the other files, a row of the Aidants Connect producer
//!    re-published as is: its only programme is Aidants Connect, its only service (if
//!    any) "Aide aux démarches administratives", it has no hours, and neither its
//!    typology ([`RECEIVING_TYPOLOGIES`]) nor its name ([`RECEIVING_NAME_WORDS`]) says it
//!    receives the public (Charente: "MAIRIE DE BONNES" is one; "Bibliothèque de Balzac"
//!    and "France services Montemboeuf" are not).
//! 4. **`lieu_accueil`** otherwise.

use maillage_core::{DateMajKind, ItineranceState, VenueKind, VenueRecord};

use super::merge::normalized_name;

/// A venue file known to Maillage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueFileInfo {
    /// File stem (`france-services-2023`).
    pub stem: &'static str,
    /// Producer, repository or package, version (French).
    pub source: &'static str,
    /// Licence as stated by the producer (French).
    pub licence: &'static str,
    /// Snapshot date: when the data was taken (`YYYY-MM-DD`); the fallback `date_maj`.
    pub snapshot: &'static str,
    /// Whether rows carry their own update date (otherwise every `date_maj` is the snapshot).
    pub row_dates: bool,
}

const NO_DATA_LICENCE: &str = "Aucune licence de données indiquée par le producteur";
const LICENCE_OUVERTE: &str = "Licence Ouverte 2.0";

/// Provenance of the venue files (see `../shared/data/README.md` §1).
pub const VENUE_FILES: [VenueFileInfo; 10] = [
    VenueFileInfo {
        stem: "conseillers-numeriques-2022",
        source: "ANCT, cartographie nationale : permanences des conseillers numériques France Services (anct-cartographie-nationale/client-application @9f64eee)",
        licence: LICENCE_OUVERTE,
        snapshot: "2022-07-20",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "france-services-2023",
        source: "Liste nationale des France Services (Assembleurs/portrea, data/france-services/liste-fs.csv @59365f4)",
        licence: NO_DATA_LICENCE,
        snapshot: "2023-07-06",
        row_dates: false,
    },
    VenueFileInfo {
        stem: "rhinocc-occitanie",
        source: "RhinOcc, lieux d'inclusion numérique d'Occitanie géocodés BAN (multi-coop/data-rhinocc-inclusion @7ad104d)",
        licence: NO_DATA_LICENCE,
        snapshot: "2022-12-21",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "hinaura-aura",
        source: "Hinaura, lieux d'Auvergne-Rhône-Alpes (npm @gouvfr-anct/cartographie-nationale@5.22.0)",
        licence: LICENCE_OUVERTE,
        snapshot: "2023-07-24",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "assembleurs-hdf",
        source: "Les Assembleurs, lieux des Hauts-de-France (Assembleurs/portrea, data/locations.geojson @0cb5890)",
        licence: NO_DATA_LICENCE,
        snapshot: "2023-05-18",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "hub-du-sud-paca-2023",
        source: "ANCT, cartographie nationale : Hub du Sud (Provence-Alpes-Côte d'Azur)",
        licence: LICENCE_OUVERTE,
        snapshot: "2023-05-17",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "charente-2023",
        source: "ANCT, cartographie nationale : Charente",
        licence: LICENCE_OUVERTE,
        snapshot: "2023-07-11",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "bus-france-services-charente-2023",
        source: "ANCT, cartographie nationale : bus France Services en Charente (arrêts itinérants)",
        licence: LICENCE_OUVERTE,
        snapshot: "2023-10-03",
        row_dates: false,
    },
    VenueFileInfo {
        stem: "nouvelle-caledonie-2024",
        source: "ANCT, cartographie nationale : Nouvelle-Calédonie",
        licence: LICENCE_OUVERTE,
        snapshot: "2024-03-20",
        row_dates: true,
    },
    VenueFileInfo {
        stem: "aidants-connect-2024",
        source: "Structures habilitées Aidants Connect (inclusion-numerique/stack @38263aa) ; sans coordonnées : placées à la mairie de leur commune",
        licence: NO_DATA_LICENCE,
        snapshot: "2024-02-22",
        row_dates: false,
    },
];

/// The stem of a venue file name (`france-services-2023.csv` → `france-services-2023`).
pub fn file_stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The known file of that name or stem.
pub fn venue_file(file: &str) -> Option<&'static VenueFileInfo> {
    let stem = file_stem(file);
    VENUE_FILES.iter().find(|f| f.stem == stem)
}

/// Whether a row's `date_maj` is its source's own date or the file's snapshot date: files
/// without per-row dates are all `snapshot`; in the others, a row dated on the snapshot day
/// took the fallback. A file Maillage does not know keeps its dates as the source's.
///
/// ```
/// use maillage_core::DateMajKind;
/// use maillage_ingest::venues::date_maj_kind;
/// assert_eq!(date_maj_kind("france-services-2023.csv", "2023-07-06"), DateMajKind::Snapshot);
/// assert_eq!(date_maj_kind("charente-2023.csv", "2023-07-11"), DateMajKind::Snapshot);
/// assert_eq!(date_maj_kind("charente-2023.csv", "2021-03-02"), DateMajKind::Source);
/// assert_eq!(date_maj_kind("mon-fichier.csv", "2024-01-01"), DateMajKind::Source);
/// ```
pub fn date_maj_kind(file: &str, date_maj: &str) -> DateMajKind {
    match venue_file(file) {
        Some(f) if !f.row_dates || date_maj.trim() == f.snapshot => DateMajKind::Snapshot,
        _ => DateMajKind::Source,
    }
}

/// Typologies (data·inclusion codes) of places that receive the public.
pub const RECEIVING_TYPOLOGIES: [&str; 11] = [
    "RFS",
    "MSAP",
    "BIB",
    "EPN",
    "CS",
    "TIERS_LIEUX",
    "PIJ_BIJ",
    "MQ",
    "PIMMS",
    "FABLAB",
    "MJC",
];

/// Words or phrases of a normalised name ([`normalized_name`]) that name a place
/// receiving the public.
pub const RECEIVING_NAME_WORDS: [&str; 13] = [
    "france services",
    "france service",
    "maison de services au public",
    "msap",
    "mediatheque",
    "bibliotheque",
    "espace numerique",
    "epn",
    "centre social",
    "centre socio",
    "tiers lieu",
    "mjc",
    "point information jeunesse",
];

/// Words of a normalised name that say mobile help.
const MOBILE_NAME_WORDS: [&str; 9] = [
    "bus",
    "camion",
    "mobile",
    "mobiles",
    "itinerant",
    "itinerante",
    "itinerants",
    "itinerantes",
    "itinerance",
];

fn has_phrase(name: &str, phrase: &str) -> bool {
    // Both are normalised: words separated by single spaces.
    format!(" {name} ").contains(&format!(" {phrase} "))
}

/// Whether the name says mobile help.
fn mobile_name(name: &str) -> bool {
    name.split(' ').any(|w| MOBILE_NAME_WORDS.contains(&w))
}

/// The kind of one source row of that file (rules in the module docs).
///
/// ```
/// use maillage_core::{VenueKind, VenueRecord};
/// use maillage_ingest::venues::row_kind;
/// let ac = VenueRecord { nom: "Préfecture de la Creuse".into(),
///     dispositif_programmes_nationaux: vec!["Aidants Connect".into()], ..Default::default() };
/// assert_eq!(row_kind("aidants-connect-2024.csv", &ac), VenueKind::Habilitation);
/// assert_eq!(row_kind("charente-2023.csv", &ac), VenueKind::Habilitation);
/// let bib = VenueRecord { nom: "Bibliothèque de Balzac".into(), ..ac.clone() };
/// assert_eq!(row_kind("charente-2023.csv", &bib), VenueKind::LieuAccueil);
/// let bus = VenueRecord { nom: "Camion bleu France Services Avesnois".into(), ..Default::default() };
/// assert_eq!(row_kind("assembleurs-hdf.csv", &bus), VenueKind::Itinerant);
/// ```
pub fn row_kind(file: &str, record: &VenueRecord) -> VenueKind {
    if file_stem(file) == "aidants-connect-2024" {
        return VenueKind::Habilitation;
    }
    let name = normalized_name(&record.nom);
    if record.itinerance_state() == ItineranceState::Itinerant || mobile_name(&name) {
        return VenueKind::Itinerant;
    }
    let only_aidants_connect = record.dispositif_programmes_nationaux.len() == 1
        && record.dispositif_programmes_nationaux[0] == "Aidants Connect";
    let only_admin_help = record
        .services
        .iter()
        .all(|s| s == "Aide aux démarches administratives");
    let receiving = record
        .typologie
        .iter()
        .any(|t| RECEIVING_TYPOLOGIES.contains(&t.as_str()))
        || RECEIVING_NAME_WORDS.iter().any(|w| has_phrase(&name, w));
    if only_aidants_connect && only_admin_help && record.horaires.trim().is_empty() && !receiving {
        return VenueKind::Habilitation;
    }
    VenueKind::LieuAccueil
}

#[cfg(test)]
mod tests {
    //! Hand-made records (invented, not real rows).
    use super::*;

    fn rec(nom: &str) -> VenueRecord {
        VenueRecord {
            nom: nom.into(),
            ..Default::default()
        }
    }

    #[test]
    fn aidants_connect_file_is_always_habilitation() {
        let mut r = rec("France services Boussac");
        r.dispositif_programmes_nationaux =
            vec!["Aidants Connect".into(), "France Services".into()];
        assert_eq!(
            row_kind("aidants-connect-2024.csv", &r),
            VenueKind::Habilitation
        );
        r.itinerance = vec!["Itinérant".into()];
        assert_eq!(
            row_kind("aidants-connect-2024.csv", &r),
            VenueKind::Habilitation
        );
    }

    #[test]
    fn itinerant_by_field_or_name() {
        let mut r = rec("France Services de Saint-Affrique");
        r.itinerance = vec!["Itinérant".into()];
        assert_eq!(
            row_kind("france-services-2023.csv", &r),
            VenueKind::Itinerant
        );
        // Declared fixed, but a bus.
        let mut bus = rec("Bus France services de Matoury");
        bus.itinerance = vec!["Fixe".into()];
        assert_eq!(
            row_kind("france-services-2023.csv", &bus),
            VenueKind::Itinerant
        );
        assert_eq!(row_kind("x.csv", &rec("Ordi Bus")), VenueKind::Itinerant);
        assert_eq!(row_kind("x.csv", &rec("Recyclo'Bus")), VenueKind::Itinerant);
        // "Fixe|Itinérant": a fixed site exists; a name without mobile words.
        let mut both = rec("Médiathèque");
        both.itinerance = vec!["Itinérant".into(), "Fixe".into()];
        assert_eq!(row_kind("x.csv", &both), VenueKind::LieuAccueil);
        // "Busigny" is not a bus.
        assert_eq!(
            row_kind("x.csv", &rec("Mairie de Busigny")),
            VenueKind::LieuAccueil
        );
    }

    #[test]
    fn aidants_connect_rows_elsewhere() {
        let mut r = rec("MAIRIE DE BONNES");
        r.typologie = vec!["MUNI".into()];
        r.dispositif_programmes_nationaux = vec!["Aidants Connect".into()];
        r.services = vec!["Aide aux démarches administratives".into()];
        assert_eq!(row_kind("charente-2023.csv", &r), VenueKind::Habilitation);
        // With hours, another service or another programme, it is a place.
        let with_hours = VenueRecord {
            horaires: "Mo 09:00-12:00".into(),
            ..r.clone()
        };
        assert_eq!(
            row_kind("charente-2023.csv", &with_hours),
            VenueKind::LieuAccueil
        );
        let mut more = r.clone();
        more.services
            .push("Maîtrise des outils numériques du quotidien".into());
        assert_eq!(row_kind("charente-2023.csv", &more), VenueKind::LieuAccueil);
        let mut cnfs = r.clone();
        cnfs.dispositif_programmes_nationaux
            .push("Conseillers numériques".into());
        assert_eq!(row_kind("charente-2023.csv", &cnfs), VenueKind::LieuAccueil);
        // A receiving typology or name.
        let rfs = VenueRecord {
            typologie: vec!["RFS".into()],
            ..r.clone()
        };
        assert_eq!(row_kind("charente-2023.csv", &rfs), VenueKind::LieuAccueil);
        let named = VenueRecord {
            nom: "Espace France Services Rouillac".into(),
            typologie: vec![],
            ..r
        };
        assert_eq!(
            row_kind("charente-2023.csv", &named),
            VenueKind::LieuAccueil
        );
    }

    #[test]
    fn plain_rows_receive_the_public() {
        assert_eq!(
            row_kind("hinaura-aura.csv", &rec("EPN de Riom")),
            VenueKind::LieuAccueil
        );
    }

    #[test]
    fn every_known_file_once() {
        let mut stems: Vec<&str> = VENUE_FILES.iter().map(|f| f.stem).collect();
        stems.sort_unstable();
        stems.dedup();
        assert_eq!(stems.len(), VENUE_FILES.len());
        assert_eq!(file_stem("a.b.csv"), "a.b");
        assert!(venue_file("aidants-connect-2024.csv").is_some_and(|f| !f.row_dates));
    }
}
