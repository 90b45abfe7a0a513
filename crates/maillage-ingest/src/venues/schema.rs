//! Validation rules derived from the national schema's `schema.json` (Table Schema),
//! embedded at compile time from `data/schema/schema.json`.

use std::sync::OnceLock;

use maillage_core::VenueRecord;
use regex::Regex;
use serde_json::Value;

const SCHEMA_JSON: &str = include_str!("../../../../data/schema/schema.json");

/// The kind of value a field holds (Table Schema `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `string`.
    Text,
    /// `number`.
    Number,
    /// `date` (ISO 8601 `YYYY-MM-DD`).
    Date,
}

/// The constraints of one schema field.
#[derive(Debug)]
pub struct FieldRule {
    /// Field name, as in [`VenueRecord::FIELDS`].
    pub name: &'static str,
    /// Human title from the schema (French).
    pub title: String,
    /// Value type.
    pub kind: FieldKind,
    /// `constraints.required`.
    pub required: bool,
    /// `constraints.unique`.
    pub unique: bool,
    /// The field holds `|`-separated values.
    pub multi: bool,
    /// Allowed values, when the schema's pattern is an enumeration of `|`-separated values.
    pub allowed: Option<Vec<String>>,
    /// Any other pattern, anchored at both ends as Table Schema requires.
    pub pattern: Option<(String, Regex)>,
    /// `constraints.maxLength`, in characters.
    pub max_length: Option<usize>,
}

/// The schema: name, version and one rule per field, in [`VenueRecord::FIELDS`] order.
#[derive(Debug)]
pub struct Schema {
    /// `name` of the schema.
    pub name: String,
    /// `version` (e.g. `v1.0.2`).
    pub version: String,
    /// Rules, indexed like [`VenueRecord::FIELDS`].
    pub fields: Vec<FieldRule>,
}

impl Schema {
    /// The rule of a field by name.
    pub fn field(&self, name: &str) -> Option<&FieldRule> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The embedded schema, parsed once. An error here means the embedded file is not
/// the national schema (a build problem, not bad input).
pub fn schema() -> Result<&'static Schema, String> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| parse(SCHEMA_JSON))
        .as_ref()
        .map_err(Clone::clone)
}

fn parse(text: &str) -> Result<Schema, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("schéma embarqué illisible : {e}"))?;
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let declared = root
        .get("fields")
        .and_then(Value::as_array)
        .ok_or("schéma embarqué sans « fields »")?;
    let mut fields = Vec::with_capacity(VenueRecord::FIELDS.len());
    for name in VenueRecord::FIELDS {
        let f = declared
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| format!("schéma embarqué sans le champ « {name} »"))?;
        let constraints = f.get("constraints").cloned().unwrap_or(Value::Null);
        let flag = |k: &str| constraints.get(k).and_then(Value::as_bool).unwrap_or(false);
        let kind = match f.get("type").and_then(Value::as_str) {
            Some("number") => FieldKind::Number,
            Some("date") => FieldKind::Date,
            _ => FieldKind::Text,
        };
        let mut allowed = None;
        let mut pattern = None;
        if let Some(p) = constraints.get("pattern").and_then(Value::as_str) {
            match enumeration(p) {
                Some(values) => allowed = Some(values),
                None => {
                    let re = Regex::new(&format!("^(?:{p})$"))
                        .map_err(|e| format!("motif du champ « {name} » invalide : {e}"))?;
                    pattern = Some((p.to_string(), re));
                }
            }
        }
        fields.push(FieldRule {
            name,
            title: str_of(f, "title"),
            kind,
            required: flag("required"),
            unique: flag("unique"),
            multi: VenueRecord::default().multi(name).is_some(),
            allowed,
            pattern,
            max_length: constraints
                .get("maxLength")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok()),
        });
    }
    Ok(Schema {
        name: str_of(&root, "name"),
        version: str_of(&root, "version"),
        fields,
    })
}

/// The values of a schema pattern of the form `(?:(?:^|\|)(A|B|C))+$`, which accepts
/// one or more of A, B, C separated by `|`; `None` for any other pattern.
fn enumeration(pattern: &str) -> Option<Vec<String>> {
    let inner = pattern
        .strip_prefix(r"(?:(?:^|\|)(")?
        .strip_suffix("))+$")?;
    let mut values = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next()?),
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth = depth.checked_sub(1)?;
                current.push(c);
            }
            '|' if depth == 0 => values.push(std::mem::take(&mut current)),
            // Any other regex syntax means this is not a plain enumeration.
            '[' | ']' | '*' | '+' | '?' | '{' | '}' | '^' | '$' => return None,
            _ => current.push(c),
        }
    }
    values.push(current);
    (depth == 0 && values.iter().all(|v| !v.is_empty())).then_some(values)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_is_version_1_0_2_with_32_fields() {
        let s = schema().unwrap();
        assert_eq!(s.version, "v1.0.2");
        assert_eq!(s.fields.len(), 32);
        let required: Vec<_> = s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            required,
            [
                "id",
                "pivot",
                "nom",
                "commune",
                "code_postal",
                "adresse",
                "date_maj"
            ]
        );
        assert!(s.field("id").unwrap().unique);
        assert_eq!(s.field("date_maj").unwrap().kind, FieldKind::Date);
        assert_eq!(s.field("latitude").unwrap().kind, FieldKind::Number);
        assert_eq!(
            s.field("presentation_resume").unwrap().max_length,
            Some(280)
        );
    }

    #[test]
    fn enumerated_patterns_become_value_lists_with_escapes_removed() {
        let s = schema().unwrap();
        let itinerance = s.field("itinerance").unwrap().allowed.as_ref().unwrap();
        assert_eq!(itinerance, &["Itinérant", "Fixe"]);
        let labels = s
            .field("formations_labels")
            .unwrap()
            .allowed
            .as_ref()
            .unwrap();
        assert!(labels.contains(&"Étapes numériques(La Poste)".to_string()));
        assert!(labels.contains(&"Formé à « DUPLEX » (illettrisme)".to_string()));
        let services = s.field("services").unwrap().allowed.as_ref().unwrap();
        assert_eq!(services.len(), 9);
        assert!(services.contains(&"Compréhension du monde numérique".to_string()));
        let dispositifs = s.field("dispositif_programmes_nationaux").unwrap();
        assert!(
            dispositifs
                .allowed
                .as_ref()
                .unwrap()
                .contains(&"Relais numérique (Emmaüs Connect)".to_string())
        );
    }

    #[test]
    fn other_patterns_are_anchored_regexes() {
        let s = schema().unwrap();
        let (_, cp) = s.field("code_postal").unwrap().pattern.as_ref().unwrap();
        assert!(cp.is_match("81000"));
        assert!(!cp.is_match("810000"));
        let (_, insee) = s.field("code_insee").unwrap().pattern.as_ref().unwrap();
        assert!(insee.is_match("2A004") && insee.is_match("98817"));
        assert!(!insee.is_match("20004"));
        assert!(!insee.is_match("8100"));
        let (_, tel) = s.field("telephone").unwrap().pattern.as_ref().unwrap();
        assert!(tel.is_match("+33563000000"));
        assert!(!tel.is_match("0563000000"));
        assert!(s.field("typologie").unwrap().pattern.is_none());
        assert!(s.field("typologie").unwrap().allowed.is_none());
        assert!(s.field("typologie").unwrap().multi);
    }

    #[test]
    fn a_pattern_with_regex_syntax_is_not_an_enumeration() {
        assert_eq!(
            enumeration(r"(?:(?:^|\|)(A|B\(c\)))+$").unwrap(),
            ["A", "B(c)"]
        );
        assert!(enumeration(r"(?:(?:^|\|)(A[0-9]|B))+$").is_none());
        assert!(enumeration(r"^\d{5}$").is_none());
    }
}
