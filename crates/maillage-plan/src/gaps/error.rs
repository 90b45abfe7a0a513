//! Why a gap analysis request was refused. Messages are in French: they reach users.

/// A refused gap analysis request. Every variant but [`GapError::CatalogMismatch`]
/// is the caller's fault (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GapError {
    /// A code does not parse (INSEE, département, SIREN).
    #[error("{field} : {message}")]
    InvalidCode {
        /// Where the code was read (`territory.communes[2]`…).
        field: String,
        /// The parser's message (expected vs found).
        message: String,
    },
    /// A well-formed commune code that no loaded commune has.
    #[error(
        "{field} : code de commune inconnu « {code} » (aucune commune chargée ne porte ce code INSEE)"
    )]
    UnknownCommune {
        /// Where the code was read.
        field: String,
        /// The code.
        code: String,
    },
    /// A département without any loaded commune.
    #[error(
        "{field} : département inconnu « {code} » (aucune commune chargée dans ce département)"
    )]
    UnknownDepartement {
        /// Where the code was read.
        field: String,
        /// The code.
        code: String,
    },
    /// An EPCI without any loaded commune.
    #[error("{field} : EPCI inconnu « {siren} » (aucune commune chargée n'appartient à ce SIREN)")]
    UnknownEpci {
        /// Where the SIREN was read.
        field: String,
        /// The SIREN.
        siren: String,
    },
    /// The territory resolves to no commune at all.
    #[error("territoire vide : aucune commune à analyser")]
    EmptyTerritory,
    /// Threshold not a positive number of minutes, or absurdly large.
    #[error("seuil invalide : {found} minutes (attendu un nombre > 0 et ≤ 600)")]
    BadThreshold {
        /// The value received.
        found: f64,
    },
    /// Speed outside the plausible range.
    #[error("vitesse invalide : {found} km/h (attendu entre 5 et 130)")]
    BadSpeed {
        /// The value received.
        found: f64,
    },
    /// Detour factor outside the plausible range.
    #[error("coefficient de détour invalide : {found} (attendu entre 1 et 3)")]
    BadDetour {
        /// The value received.
        found: f64,
    },
    /// An IFN model, scale or axis that does not exist or cannot be used.
    #[error("{0}")]
    BadIfn(String),
    /// A venue reference that matches no venue of the catalog.
    #[error(
        "{field} : lieu inconnu « {reference} » (attendu l'identifiant du lieu, ex. « france-services-2023-986 », ou son numéro dans le catalogue)"
    )]
    UnknownVenue {
        /// Where the reference was read.
        field: String,
        /// The reference as written.
        reference: String,
    },
    /// The travel-time matrix is malformed.
    #[error("matrice de temps de trajet : {0}")]
    BadMatrix(String),
    /// A hypothetical venue cannot be placed.
    #[error("lieu hypothétique n° {index} : {message}")]
    BadAddedVenue {
        /// 1-based position in `added`.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// The [`GapIndex`](super::GapIndex) was built for another catalog.
    #[error(
        "index des manques construit pour un autre catalogue ({expected}, reçu {found}) : reconstruisez-le"
    )]
    CatalogMismatch {
        /// Communes and venues the index was built for.
        expected: String,
        /// Communes and venues of the catalog given.
        found: String,
    },
}

impl GapError {
    /// Whether the request itself is at fault (HTTP 400), rather than the server (500).
    pub fn is_bad_request(&self) -> bool {
        !matches!(self, GapError::CatalogMismatch { .. })
    }
}
