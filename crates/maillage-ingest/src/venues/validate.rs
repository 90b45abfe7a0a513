//! Checking one raw row against the schema's rules, producing a [`VenueRecord`].

use maillage_core::VenueRecord;
use serde::Serialize;

use super::read::{Cell, RawRow};
use super::schema::{FieldKind, FieldRule, Schema};

/// Why a row was rejected, grouped for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectKind {
    /// The row could not be read (field count, encoding, JSON type).
    Malformed,
    /// No `id` or no `nom`.
    MissingIdOrName,
    /// A multi-valued field holds a value outside the schema's list.
    NotInList,
    /// A value does not match the schema's pattern.
    Pattern,
    /// `date_maj` is not a `YYYY-MM-DD` date.
    BadDate,
    /// A text is longer than the schema allows.
    TooLong,
    /// Latitude or longitude is not a number within range, or only one is given.
    BadCoordinates,
    /// The point lies outside every French territory.
    OutsideFrance,
    /// No coordinates and no `code_insee`.
    NoPlacement,
    /// No coordinates and a `code_insee` whose town hall is unknown.
    UnknownTownHall,
    /// The `id` is already used by an earlier row of the file.
    DuplicateId,
}

impl RejectKind {
    /// Every kind, in report order.
    pub const ALL: [RejectKind; 11] = [
        RejectKind::Malformed,
        RejectKind::MissingIdOrName,
        RejectKind::NotInList,
        RejectKind::Pattern,
        RejectKind::BadDate,
        RejectKind::TooLong,
        RejectKind::BadCoordinates,
        RejectKind::OutsideFrance,
        RejectKind::NoPlacement,
        RejectKind::UnknownTownHall,
        RejectKind::DuplicateId,
    ];

    /// A short French label.
    pub fn label(self) -> &'static str {
        match self {
            RejectKind::Malformed => "ligne illisible",
            RejectKind::MissingIdOrName => "id ou nom absent",
            RejectKind::NotInList => "valeur hors des listes du schéma",
            RejectKind::Pattern => "format non conforme au schéma",
            RejectKind::BadDate => "date invalide",
            RejectKind::TooLong => "texte trop long",
            RejectKind::BadCoordinates => "coordonnées invalides",
            RejectKind::OutsideFrance => "coordonnées hors de France",
            RejectKind::NoPlacement => "ni coordonnées ni code_insee",
            RejectKind::UnknownTownHall => "mairie inconnue pour le code_insee",
            RejectKind::DuplicateId => "id en double dans le fichier",
        }
    }
}

/// One problem with a row: the field, the French reason, and its kind.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub field: String,
    pub reason: String,
    pub kind: RejectKind,
}

/// A row that passed the schema checks, with its warnings (field, reason).
#[derive(Debug)]
pub(crate) struct Checked {
    pub record: VenueRecord,
    pub warnings: Vec<(String, String)>,
}

/// Fields whose absence rejects the row although the others are only warned about.
const REQUIRED_TO_KEEP: [&str; 2] = ["id", "nom"];

/// Checks a row. `Err` holds every problem found (at least one).
pub(crate) fn check_row(schema: &Schema, row: RawRow) -> Result<Checked, Vec<Issue>> {
    let mut issues: Vec<Issue> = row
        .problems
        .into_iter()
        .map(|(field, reason)| Issue {
            field,
            reason,
            kind: RejectKind::Malformed,
        })
        .collect();
    let mut warnings = Vec::new();
    let mut record = VenueRecord::default();
    for (rule, cell) in schema.fields.iter().zip(row.cells) {
        let mut issue = |kind, reason: String| {
            issues.push(Issue {
                field: rule.name.to_string(),
                reason,
                kind,
            });
        };
        if rule.multi {
            let (values, semicolon) = split_multi(rule, cell);
            if values.is_empty() && rule.required {
                warnings.push((rule.name.to_string(), missing_warning()));
            }
            if semicolon {
                warnings.push((
                    rule.name.to_string(),
                    "valeurs séparées par « ; » : acceptées, mais le schéma exige « | »".into(),
                ));
            }
            if let Some(allowed) = &rule.allowed {
                for v in &values {
                    if !allowed.contains(v) {
                        issue(
                            RejectKind::NotInList,
                            format!(
                                "valeur « {v} » hors de la liste du schéma ; valeurs permises : {}",
                                allowed.join(" | ")
                            ),
                        );
                    }
                }
            }
            set_multi(&mut record, rule.name, values);
            continue;
        }
        let text = match cell {
            Cell::Text(s) => trimmed(s),
            Cell::List(mut items) if items.len() <= 1 => trimmed(items.pop().unwrap_or_default()),
            Cell::List(items) => {
                issue(
                    RejectKind::Malformed,
                    format!(
                        "attendu une seule valeur, trouvé une liste de {} valeurs",
                        items.len()
                    ),
                );
                continue;
            }
        };
        if text.is_empty() {
            if rule.required {
                if REQUIRED_TO_KEEP.contains(&rule.name) {
                    issue(
                        RejectKind::MissingIdOrName,
                        "valeur obligatoire absente : la ligne ne peut pas être identifiée".into(),
                    );
                } else {
                    warnings.push((rule.name.to_string(), missing_warning()));
                }
            }
            continue;
        }
        if let Some((source, re)) = &rule.pattern
            && !re.is_match(&text)
        {
            issue(
                RejectKind::Pattern,
                format!(
                    "attendu le format du schéma pour « {} » (motif {source}), trouvé « {text} »",
                    rule.title
                ),
            );
        }
        if let Some(max) = rule.max_length {
            let n = text.chars().count();
            if n > max {
                issue(
                    RejectKind::TooLong,
                    format!("attendu au plus {max} caractères, trouvé {n}"),
                );
            }
        }
        match rule.kind {
            FieldKind::Date if !is_iso_date(&text) => issue(
                RejectKind::BadDate,
                format!("attendu une date AAAA-MM-JJ (ex. 2024-02-22), trouvé « {text} »"),
            ),
            FieldKind::Number => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => set_number(&mut record, rule.name, v),
                _ => issue(
                    RejectKind::BadCoordinates,
                    format!(
                        "attendu un nombre décimal avec un point (ex. 43.9289), trouvé « {text} »"
                    ),
                ),
            },
            _ => {}
        }
        set_text(&mut record, rule.name, text);
    }
    check_coordinates(&record, &mut issues);
    if issues.is_empty() {
        Ok(Checked { record, warnings })
    } else {
        Err(issues)
    }
}

/// The text without surrounding whitespace, reusing the allocation when there is none.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

fn missing_warning() -> String {
    "valeur obligatoire du schéma absente (ligne gardée)".into()
}

/// Splits a multi-valued cell on `|`, trimming values and dropping empty ones. For an
/// enumerated field whose text has no `|` but `;`-separated allowed values (the schema's
/// README documents `;`), splits on `;` instead and says so.
fn split_multi(rule: &FieldRule, cell: Cell) -> (Vec<String>, bool) {
    let split = |s: &str, sep: char| -> Vec<String> {
        s.split(sep)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    };
    match cell {
        Cell::List(items) => (
            items
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
            false,
        ),
        Cell::Text(s) => {
            if let Some(allowed) = &rule.allowed
                && !s.contains('|')
                && s.contains(';')
            {
                let parts = split(&s, ';');
                if parts.iter().all(|p| allowed.contains(p)) {
                    return (parts, true);
                }
            }
            (split(&s, '|'), false)
        }
    }
}

fn check_coordinates(record: &VenueRecord, issues: &mut Vec<Issue>) {
    // A coordinate that did not parse is already reported: no "only one of them" then.
    let unreadable = issues
        .iter()
        .any(|i| i.field == "latitude" || i.field == "longitude");
    let mut bad = |field: &str, reason: String| {
        issues.push(Issue {
            field: field.into(),
            reason,
            kind: RejectKind::BadCoordinates,
        });
    };
    if let Some(lat) = record.latitude
        && !(-90.0..=90.0).contains(&lat)
    {
        bad(
            "latitude",
            format!("attendu une latitude entre -90 et 90, trouvé {lat}"),
        );
    }
    if let Some(lon) = record.longitude
        && !(-180.0..=180.0).contains(&lon)
    {
        bad(
            "longitude",
            format!("attendu une longitude entre -180 et 180, trouvé {lon}"),
        );
    }
    match (record.latitude, record.longitude) {
        _ if unreadable => {}
        (Some(_), None) => bad(
            "longitude",
            "latitude sans longitude : attendu les deux ou aucune".into(),
        ),
        (None, Some(_)) => bad(
            "latitude",
            "longitude sans latitude : attendu les deux ou aucune".into(),
        ),
        _ => {}
    }
}

/// Whether `s` is a calendar date `YYYY-MM-DD` (Table Schema `date`, format `default`).
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn set_number(r: &mut VenueRecord, name: &str, v: f64) {
    match name {
        "latitude" => r.latitude = Some(v),
        "longitude" => r.longitude = Some(v),
        _ => {}
    }
}

pub(crate) fn set_text(r: &mut VenueRecord, name: &str, v: String) {
    let slot = match name {
        "id" => &mut r.id,
        "pivot" => &mut r.pivot,
        "nom" => &mut r.nom,
        "commune" => &mut r.commune,
        "code_postal" => &mut r.code_postal,
        "code_insee" => &mut r.code_insee,
        "adresse" => &mut r.adresse,
        "complement_adresse" => &mut r.complement_adresse,
        "telephone" => &mut r.telephone,
        "horaires" => &mut r.horaires,
        "presentation_resume" => &mut r.presentation_resume,
        "presentation_detail" => &mut r.presentation_detail,
        "source" => &mut r.source,
        "structure_parente" => &mut r.structure_parente,
        "date_maj" => &mut r.date_maj,
        "fiche_acces_libre" => &mut r.fiche_acces_libre,
        "prise_rdv" => &mut r.prise_rdv,
        // latitude/longitude are stored as numbers by `set_number`.
        _ => return,
    };
    *slot = v;
}

/// The multi-valued field of that name, mutably.
pub(crate) fn multi_mut<'a>(r: &'a mut VenueRecord, name: &str) -> Option<&'a mut Vec<String>> {
    Some(match name {
        "typologie" => &mut r.typologie,
        "courriels" => &mut r.courriels,
        "site_web" => &mut r.site_web,
        "itinerance" => &mut r.itinerance,
        "services" => &mut r.services,
        "publics_specifiquement_adresses" => &mut r.publics_specifiquement_adresses,
        "prise_en_charge_specifique" => &mut r.prise_en_charge_specifique,
        "frais_a_charge" => &mut r.frais_a_charge,
        "dispositif_programmes_nationaux" => &mut r.dispositif_programmes_nationaux,
        "formations_labels" => &mut r.formations_labels,
        "autres_formations_labels" => &mut r.autres_formations_labels,
        "modalites_acces" => &mut r.modalites_acces,
        "modalites_accompagnement" => &mut r.modalites_accompagnement,
        _ => return None,
    })
}

fn set_multi(r: &mut VenueRecord, name: &str, values: Vec<String>) {
    if let Some(slot) = multi_mut(r, name) {
        *slot = values;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked_against_the_calendar() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("2023-1-01"));
        assert!(!is_iso_date("22/02/2024"));
        assert!(!is_iso_date("2024-02-00"));
    }
}
