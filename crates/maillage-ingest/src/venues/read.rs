//! Reading venue files (schema CSV or JSON) into raw rows, before validation.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use maillage_core::VenueRecord;
use serde_json::Value;

use super::schema::Schema;
use crate::ifn::file_name;
use crate::{IngestError, IngestResult};

/// Format of a venue file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VenueFormat {
    /// CSV with a header row (separator `,`, or `;` when the header has no `,`).
    Csv,
    /// A JSON array of objects keyed by schema field names.
    Json,
}

impl VenueFormat {
    /// The format of a path, from its extension (`.csv`, `.json`, any case).
    pub fn of_path(path: &Path) -> Option<VenueFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(VenueFormat::Csv),
            "json" => Some(VenueFormat::Json),
            _ => None,
        }
    }

    /// How a row is located in this format, in French (`ligne 12`, `élément 3`).
    pub fn locate(self, line: u64) -> String {
        match self {
            VenueFormat::Csv => format!("ligne {line}"),
            VenueFormat::Json => format!("élément {line}"),
        }
    }
}

/// One cell: text, or a list of texts (JSON arrays).
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(String),
    List(Vec<String>),
}

/// A problem found while reading a row (field, reason); it rejects the row.
pub(crate) type RowProblem = (String, String);

/// One row as read: its location and one cell per schema field.
#[derive(Debug)]
pub(crate) struct RawRow {
    /// CSV: physical line where the record starts (header = 1). JSON: array index.
    pub line: u64,
    pub cells: Vec<Cell>,
    pub problems: Vec<RowProblem>,
}

/// A file as read.
#[derive(Debug)]
pub(crate) struct RawFile {
    pub name: String,
    pub format: VenueFormat,
    pub rows: Vec<RawRow>,
    /// Remarks about the file as a whole (ignored or absent columns), in French.
    pub notes: Vec<String>,
}

pub(crate) fn read_file(path: &Path, schema: &Schema) -> IngestResult<RawFile> {
    let format = VenueFormat::of_path(path).ok_or_else(|| IngestError::Format {
        path: path.to_path_buf(),
        message:
            "extension inconnue : attendu un fichier .csv ou .json au format du schéma national"
                .into(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let name = file_name(path);
    match format {
        VenueFormat::Csv => read_csv(path, name, bytes, schema),
        VenueFormat::Json => read_json(path, name, bytes),
    }
}

fn empty_cells() -> Vec<Cell> {
    vec![Cell::Text(String::new()); VenueRecord::FIELDS.len()]
}

fn field_index(name: &str) -> Option<usize> {
    VenueRecord::FIELDS.iter().position(|f| *f == name)
}

fn read_csv(path: &Path, name: String, bytes: &[u8], schema: &Schema) -> IngestResult<RawFile> {
    let fatal = |message: String| IngestError::Format {
        path: path.to_path_buf(),
        message,
    };
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if !first_line.contains(&b',') && first_line.contains(&b';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| fatal(format!("en-tête CSV illisible : {e}")))?
        .clone();
    let mut columns = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let h = std::str::from_utf8(h).map_err(|_| {
            fatal(format!(
                "en-tête, colonne {} : attendu du texte UTF-8, trouvé « {} » (enregistrez le fichier en UTF-8)",
                i + 1,
                String::from_utf8_lossy(h)
            ))
        })?;
        columns.push(h.trim().to_string());
    }
    if columns.iter().all(String::is_empty) {
        return Err(fatal(
            "fichier vide : attendu une ligne d'en-tête avec les colonnes du schéma".into(),
        ));
    }
    let mut seen = HashMap::new();
    for (i, c) in columns.iter().enumerate() {
        if let Some(j) = seen.insert(c.as_str(), i) {
            return Err(fatal(format!(
                "colonne « {c} » en double dans l'en-tête (colonnes {} et {})",
                j + 1,
                i + 1
            )));
        }
    }
    let missing: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.required && !seen.contains_key(f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        return Err(fatal(format!(
            "colonnes obligatoires du schéma manquantes : {} ; colonnes trouvées : {}",
            missing.join(", "),
            columns.join(", ")
        )));
    }
    let mut notes = Vec::new();
    let unknown: Vec<&str> = columns
        .iter()
        .filter(|c| field_index(c).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "colonnes hors schéma ignorées : {}",
            unknown.join(", ")
        ));
    }
    let absent: Vec<&str> = VenueRecord::FIELDS
        .iter()
        .filter(|f| !seen.contains_key(*f))
        .copied()
        .collect();
    if !absent.is_empty() {
        notes.push(format!(
            "colonnes facultatives absentes (lues comme vides) : {}",
            absent.join(", ")
        ));
    }
    let targets: Vec<Option<usize>> = columns.iter().map(|c| field_index(c)).collect();

    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let at = e
                    .position()
                    .map_or_else(String::new, |p| format!(" à la ligne {}", p.line()));
                return Err(fatal(format!("CSV illisible{at} : {e}")));
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let mut row = RawRow {
            line,
            cells: empty_cells(),
            problems: Vec::new(),
        };
        if record.len() != columns.len() {
            row.problems.push((
                "(ligne entière)".into(),
                format!(
                    "attendu {} champs comme l'en-tête, trouvé {} (guillemet mal fermé ou séparateur en trop ?)",
                    columns.len(),
                    record.len()
                ),
            ));
        }
        for (value, target) in record.iter().zip(&targets) {
            let Some(i) = *target else { continue };
            match std::str::from_utf8(value) {
                Ok(s) => row.cells[i] = Cell::Text(s.to_string()),
                Err(_) => row.problems.push((
                    VenueRecord::FIELDS[i].to_string(),
                    format!(
                        "attendu du texte UTF-8, trouvé « {} »",
                        String::from_utf8_lossy(value)
                    ),
                )),
            }
        }
        rows.push(row);
    }
    Ok(RawFile {
        name,
        format: VenueFormat::Csv,
        rows,
        notes,
    })
}

fn read_json(path: &Path, name: String, bytes: &[u8]) -> IngestResult<RawFile> {
    let fatal = |message: String| IngestError::Format {
        path: path.to_path_buf(),
        message,
    };
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        let what = match e.classify() {
            Category::Eof => "fin de fichier inattendue (fichier tronqué ?)",
            Category::Syntax => "syntaxe JSON invalide",
            Category::Data => "donnée JSON invalide",
            Category::Io => "lecture interrompue",
        };
        fatal(format!(
            "JSON illisible à la ligne {}, colonne {} : {what}",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Array(items) = root else {
        return Err(fatal(format!(
            "attendu un tableau JSON d'objets (un objet par lieu), trouvé {}",
            json_kind(&root)
        )));
    };
    let mut unknown = BTreeSet::new();
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let mut row = RawRow {
            line: index as u64,
            cells: empty_cells(),
            problems: Vec::new(),
        };
        match item {
            Value::Object(map) => {
                for (key, value) in map {
                    let Some(i) = field_index(&key) else {
                        unknown.insert(key);
                        continue;
                    };
                    match json_cell(value) {
                        Ok(cell) => row.cells[i] = cell,
                        Err(found) => row.problems.push((
                            key,
                            format!(
                                "attendu du texte, un nombre ou une liste de textes, trouvé {found}"
                            ),
                        )),
                    }
                }
            }
            other => row.problems.push((
                "(élément entier)".into(),
                format!("attendu un objet (un lieu), trouvé {}", json_kind(&other)),
            )),
        }
        rows.push(row);
    }
    let notes = if unknown.is_empty() {
        Vec::new()
    } else {
        let names: Vec<String> = unknown.into_iter().collect();
        vec![format!("clés hors schéma ignorées : {}", names.join(", "))]
    };
    Ok(RawFile {
        name,
        format: VenueFormat::Json,
        rows,
        notes,
    })
}

fn json_cell(value: Value) -> Result<Cell, String> {
    match value {
        Value::Null => Ok(Cell::Text(String::new())),
        Value::String(s) => Ok(Cell::Text(s)),
        Value::Number(n) => Ok(Cell::Text(n.to_string())),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(format!("une liste contenant {}", json_kind(&other))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Cell::List),
        other => Err(json_kind(&other).to_string()),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "un booléen",
        Value::Number(_) => "un nombre",
        Value::String(_) => "du texte",
        Value::Array(_) => "un tableau",
        Value::Object(_) => "un objet",
    }
}
