//! Where a venue is: the commune a row declares (checked against its postal code and
//! its name), the point a row without coordinates is placed at, and the doubts about
//! the coordinates a row gives.
//!
//! # The declared commune
//! [`CommuneDirectory::resolve`] reads `code_insee`, `code_postal` (a 4-digit code lost its
//! leading zero and is padded), `commune` and the commune named by `nom` ("Mairie de X",
//! "Commune de X", "CCAS de X", "CIAS de X", "Ville de X", "Centre communal d'action
//! sociale de X"). Names are compared normalised ([`normalize_place_name`]).
//! - A `code_insee` that agrees with the postal code (the commune has that postal code, or
//!   lies in its département) is kept, unless `nom` names another commune of the same
//!   postal code ("Mairie de Cogolin" coded as Grimaud, both 83310): that one is taken.
//! - A `code_insee` that contradicts the postal code (Ain, Aisne and Allier structures
//!   coded as Moyenvic 57490), or no `code_insee`: the commune is looked up by name among
//!   the postal code's communes, then among its département's; else the postal code's only
//!   commune. Several communes and no name: the most populous is taken and the choice is
//!   reported as a doubt. Nothing at all (a CEDEX code, no name): the row cannot be placed.
//!
//! # Known-wrong coordinates
//! [`CommuneDirectory::check_point`] compares a point with the declared commune: a point
//! in no commune is `hors_commune` (and `point_partage` when several venues share it); a
//! point in another département than the declared code's is `departement_incoherent`,
//! unless the commune containing it bears the declared commune name (then the code is
//! the wrong part, the point is kept). Doubtful points are moved to the declared
//! commune's access point (see [`CommuneDirectory::access_point`]); a point in the sea
//! within [`COAST_M`] of its declared commune stays where it is, attached to that commune.

use std::collections::HashMap;
use std::sync::LazyLock;

use geo::InteriorPoint;
use maillage_core::{Commune, InseeCode, Placement, Position, SpatialIndex, TownHall, Zone};
use regex::Regex;
use serde::Serialize;

use crate::reproject::{Reproject, position};

/// A point outside every commune but within this distance of its declared commune (the
/// shore, a harbour) is kept; farther, it is moved to the commune's access point.
pub const COAST_M: f64 = 2_000.0;

/// The communes a venue import can place venues in, with their names, postal codes,
/// boundaries and town halls.
pub struct CommuneDirectory<'a> {
    communes: &'a [Commune],
    by_code: HashMap<InseeCode, usize>,
    by_postal: HashMap<&'a str, Vec<usize>>,
    by_dep_name: HashMap<(&'a str, String), Vec<usize>>,
    arrondissements: &'a HashMap<InseeCode, TownHall>,
    zones: Vec<Zone>,
    departements: Vec<&'a str>,
    index: SpatialIndex,
    reproject: Box<dyn Reproject>,
}

/// How a row's commune was established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The declared `code_insee`, consistent with the postal code.
    Declared(InseeCode),
    /// Another commune than the declared one (or one found for a row without `code_insee`).
    Corrected {
        /// The commune taken.
        to: InseeCode,
        /// Why, in French.
        why: String,
    },
    /// A commune chosen without certainty.
    Doubtful {
        /// The commune taken.
        to: InseeCode,
        /// Why it is doubtful, in French.
        why: String,
    },
    /// No commune can be established.
    Unresolved(String),
}

impl Resolution {
    /// The commune taken, if any.
    pub fn code(&self) -> Option<InseeCode> {
        match self {
            Resolution::Declared(c)
            | Resolution::Corrected { to: c, .. }
            | Resolution::Doubtful { to: c, .. } => Some(*c),
            Resolution::Unresolved(_) => None,
        }
    }
}

/// What [`CommuneDirectory::check_point`] found about a source point.
#[derive(Debug, Clone, PartialEq)]
pub enum PointCheck {
    /// In the declared département (or nothing to compare with).
    Consistent,
    /// In no commune, in a zone where the registry has communes.
    OutsideCommunes,
    /// In a commune of another département than the declared code's.
    OtherDepartement {
        /// The commune containing the point.
        found: InseeCode,
    },
    /// In another département than the declared postal code or `code_insee`, but in a
    /// commune bearing the declared name: the code is wrong, the point right.
    WrongCode {
        /// The commune containing the point.
        found: InseeCode,
    },
}

impl<'a> CommuneDirectory<'a> {
    /// Indexes the communes (postal codes, names, boundaries); `arrondissements` are the
    /// town halls of the municipal arrondissements of Paris, Lyon and Marseille.
    pub fn new(
        communes: &'a [Commune],
        arrondissements: &'a HashMap<InseeCode, TownHall>,
        arrondissement_postal_codes: &'a HashMap<InseeCode, Vec<String>>,
    ) -> CommuneDirectory<'a> {
        let mut by_postal: HashMap<&str, Vec<usize>> = HashMap::new();
        let by_code: HashMap<InseeCode, usize> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code, i))
            .collect();
        for (code, codes) in arrondissement_postal_codes {
            if let Some(&i) = code.municipal_parent().and_then(|p| by_code.get(&p)) {
                for p in codes {
                    let list = by_postal.entry(p.as_str()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let mut departements: Vec<&str> = Vec::new();
        let mut by_dep_name: HashMap<(&str, String), Vec<usize>> = HashMap::new();
        let mut zones = Vec::new();
        for (i, c) in communes.iter().enumerate() {
            for p in &c.postal_codes {
                by_postal.entry(p.as_str()).or_default().push(i);
            }
            by_dep_name
                .entry((c.departement.as_str(), normalize_place_name(&c.name)))
                .or_default()
                .push(i);
            let z = Zone::of_departement(&c.departement);
            if !zones.contains(&z) {
                zones.push(z);
            }
            if !departements.contains(&c.departement.as_str()) {
                departements.push(c.departement.as_str());
            }
        }
        let bboxes: Vec<Option<[f64; 4]>> = communes.iter().map(Commune::bbox).collect();
        CommuneDirectory {
            communes,
            by_code,
            by_postal,
            departements,
            by_dep_name,
            arrondissements,
            zones,
            index: SpatialIndex::build(&[], &bboxes),
            reproject: crate::reproject::default_reprojector(),
        }
    }

    /// The commune of that code (an arrondissement gives its city).
    pub fn commune(&self, code: &InseeCode) -> Option<&'a Commune> {
        let code = code.municipal_parent().unwrap_or(*code);
        self.by_code.get(&code).map(|&i| &self.communes[i])
    }

    /// Where a venue of that commune without its own point goes: the town hall when its
    /// point lies in the commune (an arrondissement's own town hall first), else a point
    /// inside the commune (the gap analysis's access point).
    pub fn access_point(&self, code: &InseeCode) -> Option<(Position, Placement)> {
        if let Some(h) = self.arrondissements.get(code).filter(|h| h.is_located()) {
            return Some((h.position, Placement::TownHall));
        }
        let c = self.commune(code)?;
        if let Some(h) = c.located_town_hall() {
            return Some((h.position, Placement::TownHall));
        }
        let p = c.boundary.interior_point()?;
        let pos = position(&*self.reproject, p.x(), p.y()).ok()?;
        Some((pos, Placement::Commune))
    }

    /// The commune whose boundary contains the point.
    pub fn commune_at(&self, lonlat: [f64; 2]) -> Option<&'a Commune> {
        self.index
            .area_containing(lonlat[0], lonlat[1], |i| &self.communes[i].boundary)
            .map(|i| &self.communes[i])
    }

    fn by_name(&self, name: &str, within: &[usize]) -> Option<usize> {
        let n = normalize_place_name(name);
        if n.is_empty() {
            return None;
        }
        let mut found = within
            .iter()
            .copied()
            .filter(|&i| normalize_place_name(&self.communes[i].name) == n);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    fn by_name_in_dep(&self, name: &str, dep: &str) -> Option<usize> {
        let key = (dep, normalize_place_name(name));
        match self.by_dep_name.get(&(key.0, key.1)).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    fn label(&self, i: usize) -> String {
        let c = &self.communes[i];
        format!("{} ({})", c.name, c.code)
    }

    /// Establishes the commune of a row from its `code_insee`, `code_postal`, `commune`
    /// and `nom` (see the module documentation).
    pub fn resolve(
        &self,
        code_insee: &str,
        code_postal: &str,
        commune: &str,
        nom: &str,
    ) -> Resolution {
        let (cp, repaired) = repair_postal_code(code_postal);
        let repair_note = if repaired {
            format!(" ; code postal « {} » lu « {cp} »", code_postal.trim())
        } else {
            String::new()
        };
        let cp_communes: &[usize] = self.by_postal.get(cp.as_str()).map_or(&[], Vec::as_slice);
        let cp_dep = postal_departement(&cp);
        let named = named_commune(nom);
        let declared = code_insee
            .trim()
            .parse::<InseeCode>()
            .ok()
            .and_then(|c| self.commune(&c).map(|com| (c, com)));
        if let Some((code, com)) = declared {
            let idx = self.by_code[&com.code];
            let agrees = cp.is_empty()
                || cp_communes.contains(&idx)
                || cp_dep
                    .as_deref()
                    .is_some_and(|d| same_departement(d, com.departement.as_str()));
            if agrees {
                if let Some(b) = named.as_deref().and_then(|n| self.by_name(n, cp_communes))
                    && b != idx
                {
                    return Resolution::Corrected {
                        to: self.communes[b].code,
                        why: format!(
                            "le nom « {} » désigne {}, de même code postal {cp}, et non {}",
                            nom.trim(),
                            self.label(b),
                            self.label(idx)
                        ),
                    };
                }
                return Resolution::Declared(code);
            }
            let why = format!(
                "code_insee {} ({}, dép. {}) incompatible avec le code postal {cp}{repair_note}",
                code, com.name, com.departement
            );
            // The `commune` field may just repeat the wrong code's name (Moyenvic).
            let commune = if normalize_place_name(commune) == normalize_place_name(&com.name) {
                ""
            } else {
                commune
            };
            return self.by_postal_and_names(
                &cp,
                cp_communes,
                cp_dep.as_deref(),
                named.as_deref(),
                commune,
                why,
            );
        }
        let why = if code_insee.trim().is_empty() {
            format!("code_insee absent{repair_note}")
        } else {
            format!("code_insee « {} » inconnu{repair_note}", code_insee.trim())
        };
        self.by_postal_and_names(
            &cp,
            cp_communes,
            cp_dep.as_deref(),
            named.as_deref(),
            commune,
            why,
        )
    }

    fn by_postal_and_names(
        &self,
        cp: &str,
        cp_communes: &[usize],
        cp_dep: Option<&str>,
        named: Option<&str>,
        commune: &str,
        why: String,
    ) -> Resolution {
        let names = [("nom du lieu", named.unwrap_or("")), ("commune", commune)];
        for (field, name) in names {
            if let Some(b) = self.by_name(name, cp_communes) {
                return Resolution::Corrected {
                    to: self.communes[b].code,
                    why: format!(
                        "{why} ; {} trouvée par code postal {cp} et {field} « {name} »",
                        self.label(b)
                    ),
                };
            }
        }
        if let Some(dep) = cp_dep {
            for (field, name) in names {
                if let Some(b) = self.by_name_in_dep(name, dep) {
                    return Resolution::Corrected {
                        to: self.communes[b].code,
                        why: format!(
                            "{why} ; {} trouvée par {field} « {name} » dans le département {dep}",
                            self.label(b)
                        ),
                    };
                }
            }
        }
        match cp_communes {
            [] => Resolution::Unresolved(format!(
                "{why} ; aucune commune du registre n'a le code postal « {cp} » et aucun nom ne désigne une commune : le lieu ne peut pas être placé"
            )),
            [one] => Resolution::Corrected {
                to: self.communes[*one].code,
                why: format!(
                    "{why} ; {} est la seule commune du code postal {cp}",
                    self.label(*one)
                ),
            },
            several => {
                let best = several
                    .iter()
                    .copied()
                    .max_by_key(|&i| (self.communes[i].population, std::cmp::Reverse(i)))
                    .unwrap_or(several[0]);
                Resolution::Doubtful {
                    to: self.communes[best].code,
                    why: format!(
                        "{why} ; le code postal {cp} couvre {} communes et aucun nom ne les départage : placé dans la plus peuplée, {}",
                        several.len(),
                        self.label(best)
                    ),
                }
            }
        }
    }

    /// Compares a source point with the row's declared codes (`code_insee`, else postal
    /// code) and its `commune` name.
    pub fn check_point(
        &self,
        lonlat: [f64; 2],
        code_insee: &str,
        code_postal: &str,
        commune: &str,
    ) -> PointCheck {
        let insee_dep = code_insee
            .trim()
            .parse::<InseeCode>()
            .ok()
            .map(|c| c.departement().as_str().to_string());
        let (cp, _) = repair_postal_code(code_postal);
        let declared: Vec<String> = insee_dep
            .into_iter()
            .chain(postal_departement(&cp))
            .collect();
        let Some(found) = self.commune_at(lonlat) else {
            // Territories the registry does not cover (Saint-Martin, New Caledonia…)
            // cannot be checked.
            let covered = declared
                .iter()
                .all(|d| self.departements.iter().any(|k| same_departement(d, k)));
            let checkable = covered
                && Zone::of_lonlat(lonlat[0], lonlat[1]).is_some_and(|z| self.zones.contains(&z));
            return if checkable {
                PointCheck::OutsideCommunes
            } else {
                PointCheck::Consistent
            };
        };
        let dep = found.departement.as_str();
        if declared.is_empty() || declared.iter().any(|d| same_departement(d, dep)) {
            return PointCheck::Consistent;
        }
        if !commune.trim().is_empty()
            && normalize_place_name(commune) == normalize_place_name(&found.name)
        {
            return PointCheck::WrongCode { found: found.code };
        }
        PointCheck::OtherDepartement { found: found.code }
    }

    /// Metres from the point to the commune's boundary (0 inside).
    pub fn distance_to_commune_m(&self, code: &InseeCode, lonlat: [f64; 2]) -> Option<f64> {
        let c = self.commune(code)?;
        match crate::registry::check_town_hall(&c.boundary, lonlat) {
            (maillage_core::TownHallCheck::NonVerifie, _) => None,
            (_, d) => Some(d.unwrap_or(0.0)),
        }
    }
}

/// Pads a 4-digit postal code that lost its leading zero (`1500` → `01500`); the bool
/// says whether it was repaired.
///
/// ```
/// use maillage_ingest::venues::repair_postal_code;
/// assert_eq!(repair_postal_code("1500"), ("01500".to_string(), true));
/// assert_eq!(repair_postal_code(" 83310 "), ("83310".to_string(), false));
/// ```
pub fn repair_postal_code(cp: &str) -> (String, bool) {
    let cp = cp.trim();
    if cp.len() == 4 && cp.bytes().all(|b| b.is_ascii_digit()) {
        (format!("0{cp}"), true)
    } else {
        (cp.to_string(), false)
    }
}

/// The département of a postal code: its first two digits, three overseas (`97x`, `98x`);
/// `20` for Corsica (2A or 2B).
fn postal_departement(cp: &str) -> Option<String> {
    if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if cp.starts_with("97") || cp.starts_with("98") {
        cp[..3].to_string()
    } else {
        cp[..2].to_string()
    })
}

/// Whether two département codes agree, postal `20` matching `2A` and `2B`.
fn same_departement(a: &str, b: &str) -> bool {
    fn corsica(d: &str) -> &str {
        if d == "2A" || d == "2B" { "20" } else { d }
    }
    corsica(a) == corsica(b)
}

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a constant pattern
    Regex::new(
        r"(?i)^\s*(?:mairie|commune|ccas|cias|ville|centre (?:inter)?communal d.action sociale)\s+(?:de\s+la\s+|de\s+l['’]\s*|de\s+|d['’]\s*|du\s+|des\s+)?(.+)$",
    )
    .unwrap()
});

/// The commune a venue's name designates: "Mairie de Cogolin" → `Cogolin`, "CCAS du
/// Nouvion-en-Thiérache" → `Nouvion-en-Thiérache` (articles are ignored when names are
/// compared). What follows " - ", "(", "," or "/" is cut.
///
/// ```
/// use maillage_ingest::venues::named_commune;
/// assert_eq!(named_commune("Mairie de COGOLIN").as_deref(), Some("COGOLIN"));
/// assert_eq!(named_commune("CCAS d'Erquy - accueil").as_deref(), Some("Erquy"));
/// assert_eq!(named_commune("Centre Communal d'Action Sociale de Calvi").as_deref(), Some("Calvi"));
/// assert_eq!(named_commune("France Services Gien"), None);
/// ```
pub fn named_commune(nom: &str) -> Option<String> {
    let rest = NAMED.captures(nom)?.get(1)?.as_str();
    let cut = [" - ", "(", ",", "/", " – "]
        .iter()
        .filter_map(|s| rest.find(s))
        .min()
        .unwrap_or(rest.len());
    let name = rest[..cut].trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// A place name for comparison: lower case, no accents, `St`/`Ste` as `saint`/`sainte`,
/// no leading article (le, la, les, l'), nothing from `CEDEX` on, and no spaces, hyphens
/// or apostrophes (`Quimerc'h` = `Quimerch`).
///
/// ```
/// use maillage_ingest::venues::normalize_place_name;
/// assert_eq!(normalize_place_name("St Jacques De La Lande"), normalize_place_name("Saint-Jacques-de-la-Lande"));
/// assert_eq!(normalize_place_name("Le Nouvion-En-Thiérache"), "nouvionenthierache");
/// assert_eq!(normalize_place_name("L'Isle-sur-la-Sorgue"), "islesurlasorgue");
/// assert_eq!(normalize_place_name("Pont-de-Buis lès Quimerc'h"), normalize_place_name("Pont-de-Buis-lès-Quimerch"));
/// assert_eq!(normalize_place_name("GEMENOS CEDEX 3"), "gemenos");
/// ```
pub fn normalize_place_name(s: &str) -> String {
    let mut flat = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        match ch {
            'à' | 'â' | 'ä' | 'á' | 'ã' => flat.push('a'),
            'ç' => flat.push('c'),
            'é' | 'è' | 'ê' | 'ë' => flat.push('e'),
            'î' | 'ï' | 'í' | 'ì' => flat.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => flat.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => flat.push('u'),
            'ÿ' | 'ý' => flat.push('y'),
            'ñ' => flat.push('n'),
            'œ' => flat.push_str("oe"),
            'æ' => flat.push_str("ae"),
            c if c.is_alphanumeric() => flat.push(c),
            _ => flat.push(' '),
        }
    }
    let mut words: Vec<&str> = flat
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect();
    if let Some(p) = words.iter().position(|w| *w == "cedex") {
        words.truncate(p);
    }
    if words.len() > 1 && matches!(words[0], "le" | "la" | "les" | "l") {
        words.remove(0);
    }
    words.concat()
}

/// One change of commune made while placing a venue, for the import report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCorrection {
    /// File name.
    pub file: String,
    /// Line (CSV) or index (JSON) of the row.
    pub line: u64,
    /// The row's id.
    pub id: String,
    /// The venue's name.
    pub nom: String,
    /// What was corrected (`code_insee`, `coordonnées`).
    pub what: String,
    /// The value given by the source.
    pub from: String,
    /// The value used.
    pub to: String,
    /// Why, in French.
    pub why: String,
}

/// A venue's position that stays doubtful, for the import report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceDoubt {
    /// File name.
    pub file: String,
    /// Line (CSV) or index (JSON) of the row.
    pub line: u64,
    /// The row's id.
    pub id: String,
    /// The venue's name.
    pub nom: String,
    /// Flags given to the venue (`hors_commune`, `commune_douteuse`…).
    pub flags: Vec<String>,
    /// What is doubtful and what was done, in French.
    pub why: String,
}

/// Where venues were placed: corrections and doubts (a section of the import report).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LocationReport {
    /// Rows without coordinates placed at their commune's town hall.
    pub placed_at_town_hall: usize,
    /// Rows without coordinates placed inside their commune because its town hall's point
    /// lies outside it.
    pub placed_in_commune: usize,
    /// Rows whose commune was corrected or found (postal code, name).
    pub communes_corrected: usize,
    /// Rows placed in a commune chosen without certainty.
    pub communes_doubtful: usize,
    /// Rows that could not be placed in any commune (rejected).
    pub unresolved: usize,
    /// Venues whose source point lies in no commune.
    pub outside_communes: usize,
    /// Of those, venues sharing one point with others.
    pub shared_points: usize,
    /// Venues whose source point lies in another département than their declared code.
    pub other_departement: usize,
    /// Venues whose declared code is wrong but whose point is in the commune they name.
    pub wrong_code_point_kept: usize,
    /// Venues moved from their source point to their declared commune.
    pub relocated: usize,
    /// Every correction.
    pub corrections: Vec<PlaceCorrection>,
    /// Every remaining doubt.
    pub doubts: Vec<PlaceDoubt>,
}

impl std::fmt::Display for LocationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "\nPosition des lieux :")?;
        writeln!(
            f,
            "  sans coordonnées : {} placés à la mairie, {} en un point intérieur de la commune (mairie hors de la commune)",
            self.placed_at_town_hall, self.placed_in_commune
        )?;
        writeln!(
            f,
            "  commune corrigée ou trouvée (code postal, nom) : {} ; choisie sans certitude : {} ; introuvable (ligne rejetée) : {}",
            self.communes_corrected, self.communes_doubtful, self.unresolved
        )?;
        writeln!(
            f,
            "  coordonnées hors de toute commune : {} (dont {} point partagé) ; dans un autre département que le code déclaré : {} ; code déclaré faux mais point dans la commune nommée : {} ; lieux déplacés vers leur commune déclarée : {}",
            self.outside_communes,
            self.shared_points,
            self.other_departement,
            self.wrong_code_point_kept,
            self.relocated
        )?;
        if !self.corrections.is_empty() {
            writeln!(
                f,
                "\nCorrections de commune ou de position ({}) :",
                self.corrections.len()
            )?;
            for c in &self.corrections {
                writeln!(
                    f,
                    "  {}, ligne {}, « {} » : {} {} → {} ({})",
                    c.file, c.line, c.nom, c.what, c.from, c.to, c.why
                )?;
            }
        }
        if !self.doubts.is_empty() {
            writeln!(f, "\nPositions douteuses ({}) :", self.doubts.len())?;
            for d in &self.doubts {
                writeln!(
                    f,
                    "  {}, ligne {}, « {} » [{}] : {}",
                    d.file,
                    d.line,
                    d.nom,
                    d.flags.join(", "),
                    d.why
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Hand-made communes: 0.1° squares with real codes, names and postal codes, placed
    //! side by side in Provence (positions are not the real ones).
    use super::*;
    use geo::{MultiPolygon, polygon};
    use maillage_core::{Fragility, TownHallCheck};

    fn commune(
        code: &str,
        name: &str,
        postal: &[&str],
        population: u32,
        x0: f64,
        hall: Option<[f64; 2]>,
    ) -> Commune {
        let r = crate::reproject::default_reprojector();
        let boundary = MultiPolygon(vec![polygon![
            (x: x0, y: 43.0), (x: x0 + 0.1, y: 43.0), (x: x0 + 0.1, y: 43.1), (x: x0, y: 43.1)
        ]]);
        let town_hall = hall.map(|[lon, lat]| {
            let (check, d) = crate::registry::check_town_hall(&boundary, [lon, lat]);
            TownHall {
                position: position(&*r, lon, lat).unwrap(),
                address: String::new(),
                opening_hours: Vec::new(),
                accessibility: String::new(),
                accessibility_details: String::new(),
                email: String::new(),
                phone: String::new(),
                website: String::new(),
                location_check: check,
                outside_by_m: d,
            }
        });
        Commune {
            code: code.parse().unwrap(),
            name: name.into(),
            population,
            postal_codes: postal.iter().map(|p| p.to_string()).collect(),
            departement: code.parse::<InseeCode>().unwrap().departement(),
            epci: None,
            boundary,
            boundary_source: "hand-made".into(),
            town_hall,
            fragility: Fragility::default(),
            population_year: None,
        }
    }

    fn communes() -> Vec<Commune> {
        vec![
            commune(
                "83068",
                "Grimaud",
                &["83310"],
                4_400,
                6.0,
                Some([6.05, 43.05]),
            ),
            commune(
                "83042",
                "Cogolin",
                &["83310"],
                11_800,
                6.1,
                Some([6.15, 43.05]),
            ),
            commune(
                "57490",
                "Moyenvic",
                &["57630"],
                370,
                6.2,
                Some([6.25, 43.05]),
            ),
            commune(
                "01224",
                "Loyettes",
                &["01360"],
                3_300,
                6.3,
                Some([6.35, 43.05]),
            ),
            commune(
                "01004",
                "Ambérieu-en-Bugey",
                &["01500"],
                14_700,
                6.4,
                Some([6.45, 43.05]),
            ),
            commune(
                "01089",
                "Château-Gaillard",
                &["01500"],
                2_300,
                6.5,
                Some([6.55, 43.05]),
            ),
            // Dinéault-like: its town hall point lies 100 km away.
            commune(
                "29044",
                "Dinéault",
                &["29150"],
                1_900,
                6.6,
                Some([6.65, 44.05]),
            ),
            commune(
                "35238",
                "Rennes",
                &["35000", "35200"],
                220_000,
                6.7,
                Some([6.75, 43.05]),
            ),
        ]
    }

    fn with_directory(f: impl FnOnce(&CommuneDirectory<'_>)) {
        let communes = communes();
        let (halls, postal) = (HashMap::new(), HashMap::new());
        f(&CommuneDirectory::new(&communes, &halls, &postal));
    }

    fn code(s: &str) -> InseeCode {
        s.parse().unwrap()
    }

    #[test]
    fn a_declared_code_that_agrees_with_its_postal_code_is_kept() {
        with_directory(|d| {
            assert_eq!(
                d.resolve("83068", "83310", "Grimaud", "France Services du Golfe"),
                Resolution::Declared(code("83068"))
            );
        });
    }

    #[test]
    fn mairie_de_x_takes_commune_x_when_it_shares_the_postal_code() {
        with_directory(|d| {
            let r = d.resolve("83068", "83310", "Grimaud", "Mairie de COGOLIN");
            assert_eq!(r.code(), Some(code("83042")), "{r:?}");
            assert!(matches!(r, Resolution::Corrected { .. }));
            // A named commune of another postal code does not override the declared one.
            let r = d.resolve("83068", "83310", "Grimaud", "CCAS de Loyettes");
            assert_eq!(r, Resolution::Declared(code("83068")));
        });
    }

    #[test]
    fn a_four_digit_postal_code_is_padded_and_overrides_a_contradicting_code() {
        with_directory(|d| {
            let r = d.resolve("57490", "1360", "Moyenvic", "Mairie de Loyettes");
            let Resolution::Corrected { to, why } = &r else {
                panic!("{r:?}")
            };
            assert_eq!(*to, code("01224"));
            assert!(why.contains("« 1360 » lu « 01360 »"), "{why}");
        });
    }

    #[test]
    fn an_ambiguous_postal_code_without_a_name_is_a_doubt_in_its_most_populous_commune() {
        with_directory(|d| {
            let r = d.resolve("57490", "01500", "Moyenvic", "France Services AGORA");
            let Resolution::Doubtful { to, why } = &r else {
                panic!("{r:?}")
            };
            assert_eq!(*to, code("01004"));
            assert!(why.contains("couvre 2 communes"), "{why}");
        });
    }

    #[test]
    fn a_row_without_code_insee_is_found_by_postal_code_and_commune_name() {
        with_directory(|d| {
            let r = d.resolve("", "01500", "Chateau Gaillard", "Association X");
            assert_eq!(r.code(), Some(code("01089")), "{r:?}");
        });
    }

    #[test]
    fn an_unknown_postal_code_without_a_known_name_cannot_be_placed() {
        with_directory(|d| {
            let r = d.resolve("57490", "13381", "Moyenvic", "CENTRE SOCIAL LA GARDE");
            assert!(matches!(r, Resolution::Unresolved(_)), "{r:?}");
        });
    }

    #[test]
    fn a_town_hall_outside_its_commune_is_not_where_venues_go() {
        with_directory(|d| {
            let dineault = d.commune(&code("29044")).unwrap();
            let hall = dineault.town_hall.as_ref().unwrap();
            assert_eq!(hall.location_check, TownHallCheck::HorsCommune);
            let (p, placement) = d.access_point(&code("29044")).unwrap();
            assert_eq!(placement, Placement::Commune);
            assert_eq!(d.commune_at(p.lonlat).map(|c| c.code), Some(code("29044")));
            let (_, placement) = d.access_point(&code("83042")).unwrap();
            assert_eq!(placement, Placement::TownHall);
        });
    }

    #[test]
    fn points_are_checked_against_the_declared_departement() {
        with_directory(|d| {
            // In Rennes (35) with a Rennes postal code: consistent.
            assert_eq!(
                d.check_point([6.75, 43.05], "", "35200", "Rennes"),
                PointCheck::Consistent
            );
            // In Cogolin (83) with a Rennes postal code: the point is doubtful.
            assert_eq!(
                d.check_point([6.15, 43.05], "", "35200", "Rennes"),
                PointCheck::OtherDepartement {
                    found: code("83042")
                }
            );
            // In Cogolin with a wrong postal code but the name Cogolin: the code is wrong.
            assert_eq!(
                d.check_point([6.15, 43.05], "", "64360", "COGOLIN"),
                PointCheck::WrongCode {
                    found: code("83042")
                }
            );
            // In the sea south of every commune.
            assert_eq!(
                d.check_point([6.15, 42.9], "", "83310", "Cogolin"),
                PointCheck::OutsideCommunes
            );
            // Saint-Martin (978) is not in the registry: nothing to check against.
            assert_eq!(
                d.check_point([6.15, 42.9], "", "97150", "Marigot"),
                PointCheck::Consistent
            );
        });
    }
}
