//! Attribute recognition: which field holds the INSEE code, the name, the population,
//! the département and the EPCI, and how their values are read.

use maillage_core::{DepartementCode, EpciSiren, InseeCode};

use super::AttrValue;

/// Field names holding the INSEE code, by priority (matched case-insensitively).
pub const CODE_FIELDS: [&str; 5] = ["INSEE_COM", "code_insee", "insee", "codgeo", "code"];
/// Field names holding the commune name, by priority.
pub const NAME_FIELDS: [&str; 3] = ["NOM_COM", "NOM", "name"];
/// Field names holding the population.
pub const POPULATION_FIELDS: [&str; 1] = ["POPULATION"];
/// Field names holding the département code, by priority.
pub const DEPARTEMENT_FIELDS: [&str; 4] = ["INSEE_DEP", "code_departement", "code_dep", "dep"];
/// Field names holding the EPCI SIREN, by priority.
pub const EPCI_FIELDS: [&str; 2] = ["SIREN_EPCI", "CODE_EPCI"];

/// The attributes of a feature that has a valid INSEE code.
#[derive(Debug)]
pub(crate) struct Attributes {
    pub code: InseeCode,
    /// The field the code was read from, as the file spells it.
    pub code_field: String,
    pub name: Option<String>,
    pub population: Option<u32>,
    pub departement: Option<DepartementCode>,
    pub epci: Option<EpciSiren>,
    /// Optional values that could not be read and were dropped.
    pub warnings: Vec<Problem>,
}

/// A problem with one field.
#[derive(Debug)]
pub(crate) struct Problem {
    pub field: String,
    pub reason: String,
}

/// Why a feature has no usable INSEE code.
#[derive(Debug)]
pub(crate) struct CodeProblem {
    pub field: String,
    pub reason: String,
    /// Whether a code field exists at all.
    pub field_found: bool,
}

fn find<'a>(
    attributes: &'a [(String, AttrValue)],
    candidates: &[&str],
) -> Option<(&'a str, &'a AttrValue)> {
    candidates.iter().find_map(|c| {
        attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(c))
            .map(|(k, v)| (k.as_str(), v))
    })
}

/// `n` when it is a whole number in `0..=max`.
fn whole(n: f64, max: f64) -> Option<u64> {
    (n.is_finite() && n.fract() == 0.0 && (0.0..=max).contains(&n)).then_some(n as u64)
}

fn shown(v: &AttrValue) -> String {
    match v {
        AttrValue::Text(t) => t.clone(),
        AttrValue::Number(n) => n.to_string(),
        AttrValue::Null => String::new(),
    }
}

/// Reads the recognised fields of one feature.
pub(crate) fn read(attributes: &[(String, AttrValue)]) -> Result<Attributes, CodeProblem> {
    let Some((code_field, code_value)) = find(attributes, &CODE_FIELDS) else {
        return Err(CodeProblem {
            field: "code INSEE".into(),
            reason: format!(
                "champ de code INSEE absent : attendu l'un de {}",
                CODE_FIELDS.join(", ")
            ),
            field_found: false,
        });
    };
    let problem = |reason: String| CodeProblem {
        field: code_field.to_string(),
        reason,
        field_found: true,
    };
    let code: InseeCode = match code_value {
        AttrValue::Null => {
            return Err(problem(
                "code INSEE vide : attendu 5 caractères (ex. 81004, 2A004)".into(),
            ));
        }
        AttrValue::Text(t) => {
            t.trim()
                .to_ascii_uppercase()
                .parse()
                .map_err(|e: maillage_core::CodeError| {
                    problem(format!(
                        "code INSEE invalide : attendu {}, trouvé « {} »",
                        e.expected, t
                    ))
                })?
        }
        // A number loses leading zeros: 1001 stands for 01001.
        AttrValue::Number(n) => match whole(*n, 99_999.0) {
            Some(k) if k >= 1000 => {
                format!("{k:05}")
                    .parse()
                    .map_err(|e: maillage_core::CodeError| {
                        problem(format!(
                            "code INSEE invalide : attendu {}, trouvé « {n} »",
                            e.expected
                        ))
                    })?
            }
            _ => {
                return Err(problem(format!(
                    "code INSEE invalide : attendu 5 caractères (ex. 81004, 2A004), trouvé le nombre « {n} »"
                )));
            }
        },
    };

    let mut warnings = Vec::new();
    let mut warn = |field: &str, reason: String| {
        warnings.push(Problem {
            field: field.to_string(),
            reason,
        })
    };

    let name = match find(attributes, &NAME_FIELDS) {
        Some((_, AttrValue::Text(t))) if !t.trim().is_empty() => Some(t.trim().to_string()),
        Some((_, AttrValue::Number(n))) => Some(n.to_string()),
        _ => None,
    };

    let population = match find(attributes, &POPULATION_FIELDS) {
        None | Some((_, AttrValue::Null)) => None,
        Some((field, v)) => {
            let parsed = match v {
                AttrValue::Number(n) => whole(*n, f64::from(u32::MAX)).map(|k| k as u32),
                AttrValue::Text(t) => t.trim().parse::<u32>().ok(),
                AttrValue::Null => None,
            };
            if parsed.is_none() {
                warn(
                    field,
                    format!(
                        "population ignorée : attendu un entier positif, trouvé « {} »",
                        shown(v)
                    ),
                );
            }
            parsed
        }
    };

    let departement = match find(attributes, &DEPARTEMENT_FIELDS) {
        None | Some((_, AttrValue::Null)) => None,
        Some((field, v)) => {
            let text = match v {
                AttrValue::Number(n) => whole(*n, 999.0).map(|k| format!("{k:02}")),
                _ => Some(shown(v)),
            };
            match text.and_then(|t| t.parse::<DepartementCode>().ok()) {
                None => {
                    warn(
                        field,
                        format!(
                            "département ignoré : attendu 2 ou 3 caractères (ex. 81, 2A, 974), trouvé « {} »",
                            shown(v)
                        ),
                    );
                    None
                }
                Some(d) if d != code.departement() => {
                    warn(
                        field,
                        format!(
                            "département « {d} » incohérent avec le code INSEE {code} : {} retenu",
                            code.departement()
                        ),
                    );
                    Some(code.departement())
                }
                Some(d) => Some(d),
            }
        }
    };

    let epci = match find(attributes, &EPCI_FIELDS) {
        None | Some((_, AttrValue::Null)) => None,
        Some((field, v)) => {
            let text = match v {
                AttrValue::Number(n) => whole(*n, 999_999_999.0)
                    .map(|k| format!("{k:09}"))
                    .unwrap_or_else(|| n.to_string()),
                _ => shown(v),
            };
            let t = text.trim();
            // ADMIN EXPRESS writes NC, INSEE ZZZZZZZZZ, for communes outside any EPCI.
            if t.eq_ignore_ascii_case("NC") || (!t.is_empty() && t.chars().all(|c| c == 'Z')) {
                None
            } else {
                match t.parse::<EpciSiren>() {
                    Ok(s) => Some(s),
                    Err(e) => {
                        warn(
                            field,
                            format!("EPCI ignoré : attendu {}, trouvé « {t} »", e.expected),
                        );
                        None
                    }
                }
            }
        }
    };

    Ok(Attributes {
        code,
        code_field: code_field.to_string(),
        name,
        population,
        departement,
        epci,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, AttrValue)]) -> Vec<(String, AttrValue)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn fields_are_found_whatever_their_case_and_the_specific_name_wins_over_code() {
        let a = read(&attrs(&[
            ("code", AttrValue::Text("81".into())),
            ("Insee_Com", AttrValue::Text("81004".into())),
            ("nom", AttrValue::Text("Albi".into())),
            ("Population", AttrValue::Number(49_000.0)),
            ("INSEE_DEP", AttrValue::Text("81".into())),
            ("siren_epci", AttrValue::Text("248100737".into())),
        ]))
        .map_err(|p| p.reason)
        .unwrap_or_else(|reason| panic!("{reason}"));
        assert_eq!(a.code.as_str(), "81004");
        assert_eq!(a.code_field, "Insee_Com");
        assert_eq!(a.name.as_deref(), Some("Albi"));
        assert_eq!(a.population, Some(49_000));
        assert_eq!(a.departement.map(|d| d.to_string()).as_deref(), Some("81"));
        assert_eq!(a.epci.map(|e| e.to_string()).as_deref(), Some("248100737"));
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn a_numeric_code_gets_its_leading_zero_back() {
        let a = read(&attrs(&[("codgeo", AttrValue::Number(1001.0))]));
        assert_eq!(a.map(|a| a.code.to_string()).ok().as_deref(), Some("01001"));
    }

    #[test]
    fn unreadable_optional_fields_are_dropped_with_a_warning() {
        let a = read(&attrs(&[
            ("code_insee", AttrValue::Text("81004".into())),
            ("population", AttrValue::Text("beaucoup".into())),
            ("dep", AttrValue::Text("82".into())),
            ("CODE_EPCI", AttrValue::Text("2481".into())),
        ]));
        let Ok(a) = a else {
            panic!("the code is valid")
        };
        assert_eq!(a.population, None);
        assert_eq!(a.departement.map(|d| d.to_string()).as_deref(), Some("81"));
        assert_eq!(a.epci, None);
        let fields: Vec<&str> = a.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, ["population", "dep", "CODE_EPCI"]);
        assert!(a.warnings[0].reason.contains("« beaucoup »"));
    }

    #[test]
    fn missing_empty_and_invalid_codes_are_told_apart() {
        let missing = read(&attrs(&[("nom", AttrValue::Text("Albi".into()))]));
        assert!(matches!(
            missing,
            Err(CodeProblem {
                field_found: false,
                ..
            })
        ));
        let empty = read(&attrs(&[("INSEE_COM", AttrValue::Null)]));
        assert!(matches!(&empty, Err(p) if p.reason.contains("vide") && p.field == "INSEE_COM"));
        let invalid = read(&attrs(&[("INSEE_COM", AttrValue::Text("8100".into()))]));
        assert!(matches!(&invalid, Err(p) if p.reason.contains("« 8100 »")));
    }
}
