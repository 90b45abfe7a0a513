//! Validation rules derived from the national schema's `schema.json` (Table Schema),
//! read from the data directory (`venues/schema/schema.json`): the schema is data, kept
//! with the venue files it describes, not a copy in the code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use maillage_core::VenueRecord;
use regex::Regex;
use serde_json::Value;

use crate::{IngestError, IngestResult};

/// Where the schema sits in a venue folder.
pub const SCHEMA_IN_VENUE_DIR: &str = "schema/schema.json";

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

/// Reads and checks the national schema at `path`, once per path for the process.
/// An error names the file and says where the schema is expected.
pub fn load(path: &Path) -> IngestResult<&'static Schema> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, &'static Schema>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = loaded.lock()
        && let Some(s) = map.get(path)
    {
        return Ok(s);
    }
    let text = std::fs::read_to_string(path).map_err(|source| IngestError::Io {
        path: path.into(),
        source,
    })?;
    let schema = parse(&text).map_err(|message| IngestError::Format {
        path: path.into(),
        message: format!(
            "{message} (attendu : schema.json du standard des lieux de médiation numérique v1.0.2, dans venues/{SCHEMA_IN_VENUE_DIR})"
        ),
    })?;
    // One schema per file for the life of the process: leaking it is bounded.
    let schema: &'static Schema = Box::leak(Box::new(schema));
    if let Ok(mut map) = loaded.lock() {
        map.insert(path.to_path_buf(), schema);
    }
    Ok(schema)
}

fn parse(text: &str) -> Result<Schema, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("schéma illisible : {e}"))?;
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let declared = root
        .get("fields")
        .and_then(Value::as_array)
        .ok_or("schéma sans « fields »")?;
    let mut fields = Vec::with_capacity(VenueRecord::FIELDS.len());
    for name in VenueRecord::FIELDS {
        let f = declared
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| format!("schéma sans le champ « {name} »"))?;
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

    /// The real schema of the shared data directory; panics when absent (the tests that
    /// call it are `#[ignore]`d).
    fn schema() -> &'static Schema {
        let dir = std::env::var_os("MAILLAGE_DATA_DIR")
            .map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                    .join("../../../shared/data")
            });
        let path = dir.join("venues").join(SCHEMA_IN_VENUE_DIR);
        assert!(
            path.is_file(),
            "needs the shared data: {} absent (set MAILLAGE_DATA_DIR)",
            path.display()
        );
        load(&path).unwrap()
    }

    #[test]
    fn a_missing_or_foreign_schema_file_is_an_error_naming_it() {
        let missing = std::env::temp_dir().join("maillage-no-such-schema.json");
        assert!(
            load(&missing)
                .unwrap_err()
                .to_string()
                .contains("maillage-no-such-schema.json")
        );
        let foreign = std::env::temp_dir().join(format!(
            "maillage-foreign-schema-{}.json",
            std::process::id()
        ));
        std::fs::write(&foreign, r#"{"fields": [{"name": "id"}]}"#).unwrap();
        let err = load(&foreign).unwrap_err().to_string();
        assert!(
            err.contains("sans le champ « pivot »") && err.contains("v1.0.2"),
            "{err}"
        );
    }

    #[test]
    #[ignore = "needs the shared data (../shared/data)"]
    fn the_shared_schema_is_version_1_0_2_with_32_fields() {
        let s = schema();
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
    #[ignore = "needs the shared data (../shared/data)"]
    fn enumerated_patterns_become_value_lists_with_escapes_removed() {
        let s = schema();
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
    #[ignore = "needs the shared data (../shared/data)"]
    fn other_patterns_are_anchored_regexes() {
        let s = schema();
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
