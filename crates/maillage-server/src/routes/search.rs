//! `GET /api/search?q=`: communes, EPCI and départements by name, postal code or code.

use axum::Json;
use axum::extract::State;
use maillage_core::Catalog;
use serde::{Deserialize, Serialize};

use crate::{ApiError, ApiQuery, ApiResult, AppState};

/// Query of the search.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Text typed by the user.
    q: String,
    /// Maximum number of results (default 10, at most 50).
    limit: Option<usize>,
}

/// One search hit.
#[derive(Debug, Serialize)]
pub struct Hit {
    /// `commune`, `epci` or `departement`.
    kind: &'static str,
    /// INSEE code, SIREN or département code.
    code: String,
    /// Display name.
    name: String,
    /// Extra context (département, postal codes).
    detail: String,
    /// `[west, south, east, north]` in lon/lat, when known.
    bbox: Option<[f64; 4]>,
    /// The municipal arrondissement (Paris, Lyon, Marseille) whose postal code matched;
    /// `code` is then its commune's.
    #[serde(skip_serializing_if = "Option::is_none")]
    arrondissement: Option<String>,
}

/// Lower-case, accents removed, punctuation as spaces: "Saint-Étienne" → "saint etienne".
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if base == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(base);
    }
    out.trim_end().to_string()
}

/// The normalised names of a catalog, indexed like its communes and EPCI (kept in the
/// catalog's [`crate::state::Snapshot`]).
pub struct Names {
    communes: Vec<String>,
    epcis: Vec<(String, String)>,
}

impl Names {
    /// Normalises every name of the catalog.
    pub fn new(catalog: &Catalog) -> Names {
        Names {
            communes: catalog
                .communes
                .iter()
                .map(|c| normalize(&c.name))
                .collect(),
            epcis: catalog
                .epcis
                .values()
                .map(|e| (e.siren.to_string(), normalize(&e.name)))
                .collect(),
        }
    }
}

/// Searches communes (name, INSEE code, postal code), EPCI (name, SIREN) and départements.
pub async fn search(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<Hit>>> {
    let limit = q.limit.unwrap_or(10);
    if limit == 0 || limit > 50 {
        return Err(ApiError::bad_request(format!(
            "limit doit être entre 1 et 50, trouvé {limit}"
        )));
    }
    let needle = normalize(&q.q);
    if needle.is_empty() {
        return Err(ApiError::bad_request(
            "q doit contenir au moins une lettre ou un chiffre",
        ));
    }
    let snapshot = s.snapshot();
    let cat = &snapshot.catalog;
    let names = snapshot.names();
    let digits = needle.chars().all(|c| c.is_ascii_digit());
    // Score: 0 exact, 1 prefix, 2 word prefix, 3 substring; then by population.
    let mut scored: Vec<(u8, i64, Hit)> = Vec::new();
    // A 5-digit postal code ranks the communes (and arrondissements) it serves before the
    // commune whose INSEE code happens to be the same digits (13001 Aix, 69003 Albigny).
    let is_postal = digits
        && needle.len() == 5
        && (cat
            .communes
            .iter()
            .any(|c| c.postal_codes.contains(&needle))
            || cat
                .arrondissements
                .values()
                .flatten()
                .any(|a| a.postal_codes.contains(&needle)));
    if is_postal {
        for (parent, list) in &cat.arrondissements {
            let Some(c) = cat.commune(parent) else {
                continue;
            };
            for a in list.iter().filter(|a| a.postal_codes.contains(&needle)) {
                scored.push((
                    0,
                    i64::MIN,
                    Hit {
                        kind: "commune",
                        code: c.code.to_string(),
                        name: arrondissement_label(&c.name, &a.name),
                        detail: format!("{} ({})", a.postal_codes.join(", "), c.departement),
                        bbox: c.bbox(),
                        arrondissement: Some(a.code.to_string()),
                    },
                ));
            }
        }
    }
    for (i, c) in cat.communes.iter().enumerate() {
        let name = &names.communes[i];
        let score = if digits {
            if c.postal_codes.contains(&needle) || (c.code.as_str() == needle && !is_postal) {
                Some(0)
            } else if c.code.as_str() == needle {
                Some(1)
            } else if c.postal_codes.iter().any(|p| p.starts_with(&needle))
                || c.code.as_str().starts_with(&needle)
            {
                Some(2)
            } else {
                None
            }
        } else if *name == needle {
            Some(0)
        } else if name.starts_with(&needle) {
            Some(1)
        } else if name.contains(&format!(" {needle}")) {
            Some(2)
        } else if name.contains(&needle) {
            Some(3)
        } else {
            None
        };
        if let Some(score) = score {
            scored.push((
                score,
                -i64::from(c.population),
                Hit {
                    kind: "commune",
                    code: c.code.to_string(),
                    name: c.name.clone(),
                    detail: format!("{} ({})", c.postal_codes.join(", "), c.departement),
                    bbox: c.bbox(),
                    arrondissement: None,
                },
            ));
        }
    }
    if !digits || needle.len() == 9 {
        for (siren, name) in &names.epcis {
            let score = if *siren == needle || *name == needle {
                Some(0)
            } else if name.contains(&needle) {
                Some(2)
            } else {
                None
            };
            if let (Some(score), Ok(code)) = (score, siren.parse())
                && let Some(e) = cat.epcis.get(&code)
            {
                scored.push((
                    score,
                    0,
                    Hit {
                        kind: "epci",
                        code: siren.clone(),
                        name: e.name.clone(),
                        detail: e.kind.clone(),
                        bbox: epci_bbox(cat, siren),
                        arrondissement: None,
                    },
                ));
            }
        }
    }
    for d in cat.departements.values() {
        let n = normalize(&d.name);
        if d.code.as_str().eq_ignore_ascii_case(&needle)
            || n == needle
            || (!digits && n.starts_with(&needle))
        {
            scored.push((
                0,
                0,
                Hit {
                    kind: "departement",
                    code: d.code.to_string(),
                    name: d.name.clone(),
                    detail: String::new(),
                    bbox: dep_bbox(cat, d.code.as_str()),
                    arrondissement: None,
                },
            ));
        }
    }
    scored.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    Ok(Json(
        scored.into_iter().take(limit).map(|(_, _, h)| h).collect(),
    ))
}

/// "Paris 11e Arrondissement" of Paris → "Paris (11e arrondissement)".
pub fn arrondissement_label(commune: &str, arrondissement: &str) -> String {
    let rest = arrondissement
        .strip_prefix(commune)
        .unwrap_or(arrondissement)
        .trim();
    format!(
        "{commune} ({})",
        rest.replace("Arrondissement", "arrondissement")
    )
}

fn union_bbox<'a>(boxes: impl Iterator<Item = [f64; 4]> + 'a) -> Option<[f64; 4]> {
    boxes.reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

fn epci_bbox(cat: &Catalog, siren: &str) -> Option<[f64; 4]> {
    union_bbox(
        cat.communes
            .iter()
            .filter(|c| c.epci.as_ref().is_some_and(|e| e.as_str() == siren))
            .filter_map(|c| c.bbox()),
    )
}

fn dep_bbox(cat: &Catalog, code: &str) -> Option<[f64; 4]> {
    union_bbox(
        cat.communes
            .iter()
            .filter(|c| c.departement.as_str() == code)
            .filter_map(|c| c.bbox()),
    )
}

#[cfg(test)]
mod tests {
    use super::{arrondissement_label, normalize};

    #[test]
    fn arrondissement_labels_name_the_commune_first() {
        assert_eq!(
            arrondissement_label("Paris", "Paris 11e Arrondissement"),
            "Paris (11e arrondissement)"
        );
        assert_eq!(
            arrondissement_label("Marseille", "Marseille 1er Arrondissement"),
            "Marseille (1er arrondissement)"
        );
    }

    #[test]
    fn normalize_folds_accents_case_and_punctuation() {
        assert_eq!(normalize("Saint-Étienne"), "saint etienne");
        assert_eq!(normalize("  L'Haÿ-les-Roses "), "l hay les roses");
        assert_eq!(normalize("Œuilly"), "oeuilly");
    }
}
