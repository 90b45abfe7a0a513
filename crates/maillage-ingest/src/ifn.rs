//! Fragility index (IFN) files: the 2020 MedNum scores per commune and per IRIS,
//! and the 2023 deciles (fragilite-numerique.fr) per commune and per EPCI.
//!
//! The files and their columns are described in the data directory's README
//! (`ifn/`). Columns are found by name, in any order; extra columns are ignored.
//!
//! - A missing column is fatal: the error names the missing columns and the columns found.
//! - A bad value (a number that does not parse, a code that is not a code, a duplicate
//!   code) rejects that row only, with file, line, field, expected and found.
//! - Empty cells are `None`.
//! - **IFN 2020: an exact `0` is read as missing.** In the source a 0 means "no data"
//!   (on the *accès aux interfaces numériques* axis, "no coverage or no data", which
//!   cannot be told apart), never "not fragile"; the other axes have a few 0 values in
//!   tiny or empty communes. Showing them as 0 would rank those places at an extreme.
//!   Commune values are population-weighted means of their IRIS, so a commune is 0 only
//!   when all its IRIS are. Populations of 0 are kept (a few communes are empty).
//! - **IFN 2023: 0 is a real decile** and is kept; values outside 0–10 reject the row.
//!   Marseille (13055) and Les Trois Lacs (27058) have empty values: they are kept with
//!   every score `None`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;
use maillage_core::{EpciSiren, Ifn2020, Ifn2020Scores, Ifn2023, InseeCode};
use serde::Serialize;

use crate::{IngestError, IngestResult, Rejection};

/// File name of the IFN 2020 per commune (COG 2026) in the `ifn/` folder.
pub const IFN2020_COMMUNES_FILE: &str = "ifn-2020-communes.csv";
/// File name of the IFN 2020 per IRIS in the `ifn/` folder.
pub const IFN2020_IRIS_FILE: &str = "ifn-2020-iris.csv";
/// File name of the IFN 2023 per commune in the `ifn/` folder.
pub const IFN2023_COMMUNES_FILE: &str = "ifn-2023-communes.csv";
/// File name of the IFN 2023 per EPCI in the `ifn/` folder.
pub const IFN2023_EPCI_FILE: &str = "ifn-2023-epci.csv";

/// The rows of one IFN file by code, and the rows that were rejected.
#[derive(Debug, Clone, Serialize)]
pub struct IfnTable<T, K: Ord = InseeCode> {
    /// Values by code (INSEE code, EPCI SIREN or IRIS code).
    pub rows: BTreeMap<K, T>,
    /// Rows skipped, with file, line, field and reason.
    pub rejections: Vec<Rejection>,
}

impl<T, K: Ord> IfnTable<T, K> {
    /// The value for a code.
    pub fn get(&self, code: &K) -> Option<&T> {
        self.rows.get(code)
    }

    /// Number of rows kept.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no row was kept.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// IFN 2020 scores of one IRIS (La MedNum, INSEE RP 2016).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IfnIris {
    /// IRIS code, 9 characters.
    pub code_iris: String,
    /// IRIS name.
    pub nom_iris: String,
    /// IRIS type as published (`Iris d'habitat`, `Commune non découpée en IRIS`…).
    pub type_iris: String,
    /// The current (COG 2026) commune the IRIS lies in.
    pub code_insee_cog2026: InseeCode,
    /// INSEE RP 2016 population of the IRIS (fractional).
    pub population: Option<f64>,
    /// Scores relative to the département.
    pub departement: Ifn2020Scores,
    /// Scores relative to the région.
    pub region: Ifn2020Scores,
    /// Scores relative to the EPCI.
    pub epci: Ifn2020Scores,
    /// Provenance (`team-48`, or `tableau-region-truncated`: region scores only, floored).
    pub values_from: String,
}

impl IfnTable<IfnIris, String> {
    /// The IRIS of each commune (COG 2026), in IRIS code order.
    pub fn by_commune(&self) -> BTreeMap<InseeCode, Vec<&IfnIris>> {
        let mut out: BTreeMap<InseeCode, Vec<&IfnIris>> = BTreeMap::new();
        for iris in self.rows.values() {
            out.entry(iris.code_insee_cog2026).or_default().push(iris);
        }
        out
    }
}

const SCALES: [&str; 3] = ["departement", "region", "epci"];
const IFN2023_AXES: [&str; 6] = [
    "no_thd_coverage_rate",
    "no_4g_coverage_rate",
    "poverty_rate",
    "older_65_rate",
    "nscol15p_rate",
    "total",
];

/// Reads `ifn-2020-communes.csv`: IFN 2020 per COG 2026 commune.
pub fn read_ifn2020_communes(path: &Path) -> IngestResult<IfnTable<Ifn2020>> {
    let mut file = IfnFile::open(path)?;
    let code = file.column("code_insee")?;
    let population = file.column("population_p16")?;
    let values_from = file.column("values_from")?;
    let scores = ScoreColumns::find(&mut file)?;
    file.read_rows("code_insee", |row| {
        let key: InseeCode = row.code("code_insee", code)?;
        let value = Ifn2020 {
            departement: scores.read(row, 0)?,
            region: scores.read(row, 1)?,
            epci: scores.read(row, 2)?,
            population_p16: row.number("population_p16", population, NON_NEGATIVE)?,
            values_from: row.text("values_from", values_from)?.to_string(),
        };
        Ok((key, value))
    })
}

/// Reads `ifn-2020-iris.csv`: IFN 2020 per IRIS, keyed by IRIS code.
pub fn read_ifn2020_iris(path: &Path) -> IngestResult<IfnTable<IfnIris, String>> {
    let mut file = IfnFile::open(path)?;
    let code_iris = file.column("code_iris")?;
    let nom_iris = file.column("nom_iris")?;
    let type_iris = file.column("type_iris")?;
    let commune = file.column("code_insee_cog2026")?;
    let population = file.column("population")?;
    let values_from = file.column("values_from")?;
    let scores = ScoreColumns::find(&mut file)?;
    file.read_rows("code_iris", |row| {
        let code = row.text("code_iris", code_iris)?;
        if code.len() != 9 || !code.is_ascii() {
            return Err(row.reject(
                "code_iris",
                "un code IRIS de 9 caractères (ex. 810040101)",
                code,
            ));
        }
        let value = IfnIris {
            code_iris: code.to_string(),
            nom_iris: row.text("nom_iris", nom_iris)?.to_string(),
            type_iris: row.text("type_iris", type_iris)?.to_string(),
            code_insee_cog2026: row.code("code_insee_cog2026", commune)?,
            population: row.number("population", population, NON_NEGATIVE)?,
            departement: scores.read(row, 0)?,
            region: scores.read(row, 1)?,
            epci: scores.read(row, 2)?,
            values_from: row.text("values_from", values_from)?.to_string(),
        };
        Ok((code.to_string(), value))
    })
}

/// Reads `ifn-2023-communes.csv`: IFN 2023 deciles per commune (COG of about 2023).
pub fn read_ifn2023_communes(path: &Path) -> IngestResult<IfnTable<Ifn2023>> {
    read_ifn2023(path, |row, col| row.code("code", col))
}

/// Reads `ifn-2023-epci.csv`: IFN 2023 deciles per EPCI, keyed by SIREN.
///
/// The row coded `ZZZZZZZZZ` (INSEE's "sans objet": communes in no EPCI) is not an
/// EPCI; it is rejected with that reason.
pub fn read_ifn2023_epci(path: &Path) -> IngestResult<IfnTable<Ifn2023, EpciSiren>> {
    read_ifn2023(path, |row, col| {
        if row.text("code", col)? == NO_EPCI {
            return Err(Rejection {
                file: row.file.to_string(),
                line: row.line,
                field: "code".into(),
                reason: format!(
                    "code « {NO_EPCI} » (« sans objet » : communes hors EPCI) : ce n'est pas un EPCI, ligne ignorée"
                ),
            });
        }
        row.code("code", col)
    })
}

/// INSEE's code for "no EPCI".
const NO_EPCI: &str = "ZZZZZZZZZ";

fn read_ifn2023<K: Ord + Clone + std::fmt::Display>(
    path: &Path,
    key: impl Fn(&Row<'_>, usize) -> Result<K, Rejection>,
) -> IngestResult<IfnTable<Ifn2023, K>> {
    let mut file = IfnFile::open(path)?;
    let code = file.column("code")?;
    let mut axes = [0usize; 6];
    for (slot, name) in axes.iter_mut().zip(IFN2023_AXES) {
        *slot = file.column(name)?;
    }
    file.read_rows("code", |row| {
        let k = key(row, code)?;
        let mut v = [None; 6];
        for ((slot, name), col) in v.iter_mut().zip(IFN2023_AXES).zip(axes) {
            *slot = row.number(name, col, DECILE)?;
        }
        let [no_thd, no_4g, poverty, older, nscol, total] = v;
        let value = Ifn2023 {
            no_thd_coverage_rate: no_thd,
            no_4g_coverage_rate: no_4g,
            poverty_rate: poverty,
            older_65_rate: older,
            nscol15p_rate: nscol,
            total,
        };
        Ok((k, value))
    })
}

/// Column indices of the 21 IFN 2020 scores: `[scale][axis]`.
struct ScoreColumns([[usize; 7]; 3]);

impl ScoreColumns {
    fn find(file: &mut IfnFile) -> IngestResult<ScoreColumns> {
        let mut cols = [[0usize; 7]; 3];
        for (scale, row) in SCALES.iter().zip(cols.iter_mut()) {
            for (axis, slot) in Ifn2020Scores::AXES.iter().zip(row.iter_mut()) {
                *slot = file.column(&format!("{axis}_{scale}"))?;
            }
        }
        Ok(ScoreColumns(cols))
    }

    fn read(&self, row: &Row<'_>, scale: usize) -> Result<Ifn2020Scores, Rejection> {
        let mut v = [None; 7];
        for ((slot, axis), &col) in v.iter_mut().zip(Ifn2020Scores::AXES).zip(&self.0[scale]) {
            let n = row.number_named(|| format!("{axis}_{}", SCALES[scale]), col, NON_NEGATIVE)?;
            // 0 means "no data" in IFN 2020 (see the module docs).
            *slot = n.filter(|x| *x != 0.0);
        }
        let [g, interfaces, info, admin, scolaire, acces, competences] = v;
        Ok(Ifn2020Scores {
            score_global: g,
            acces_interfaces_numeriques: interfaces,
            acces_information: info,
            competences_administratives: admin,
            competences_numeriques_scolaires: scolaire,
            global_acces: acces,
            global_competences: competences,
        })
    }
}

/// Allowed range of a number and how to say it.
struct Range {
    min: f64,
    max: f64,
    expected: &'static str,
}

const NON_NEGATIVE: Range = Range {
    min: 0.0,
    max: f64::MAX,
    expected: "un nombre positif ou nul (ex. 83.644) ou une case vide",
};
const DECILE: Range = Range {
    min: 0.0,
    max: 10.0,
    expected: "un score entre 0 et 10 (ex. 6.4) ou une case vide",
};

/// An open IFN CSV file with its header.
struct IfnFile {
    name: String,
    path: std::path::PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    header: Vec<String>,
    missing: Vec<String>,
}

impl IfnFile {
    fn open(path: &Path) -> IngestResult<IfnFile> {
        let io = |source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        };
        let f = File::open(path).map_err(io)?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(Box::new(std::io::BufReader::with_capacity(1 << 16, f)) as Box<dyn Read>);
        let header = reader.byte_headers().map_err(|e| csv_fatal(path, e))?;
        if header.is_empty() || header.iter().all(<[u8]>::is_empty) {
            return Err(IngestError::Format {
                path: path.to_path_buf(),
                message: "fichier vide : attendu une ligne d'en-tête (noms des colonnes)".into(),
            });
        }
        let header = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        Ok(IfnFile {
            name: file_name(path),
            path: path.to_path_buf(),
            reader,
            header,
            missing: Vec::new(),
        })
    }

    /// Index of a column. A missing column is remembered and reported by `read_rows`,
    /// so that one error lists every missing column.
    fn column(&mut self, name: &str) -> IngestResult<usize> {
        match self.header.iter().position(|h| h == name) {
            Some(i) => Ok(i),
            None => {
                self.missing.push(name.to_string());
                Ok(usize::MAX)
            }
        }
    }

    fn read_rows<K: Ord + Clone + std::fmt::Display, T>(
        mut self,
        key_field: &str,
        mut parse: impl FnMut(&Row<'_>) -> Result<(K, T), Rejection>,
    ) -> IngestResult<IfnTable<T, K>> {
        if !self.missing.is_empty() {
            return Err(IngestError::Format {
                path: self.path,
                message: format!(
                    "colonnes manquantes : {} ; colonnes trouvées : {}",
                    self.missing.join(", "),
                    self.header.join(", ")
                ),
            });
        }
        let mut rows: BTreeMap<K, T> = BTreeMap::new();
        let mut lines: BTreeMap<K, u64> = BTreeMap::new();
        let mut rejections = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_fatal(&self.path, e)),
            }
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue; // blank line
            }
            let row = Row {
                file: &self.name,
                line,
                record: &record,
            };
            if record.len() != self.header.len() {
                rejections.push(row.reject(
                    "(ligne entière)",
                    &format!("{} champs comme l'en-tête", self.header.len()),
                    &format!("{} champs", record.len()),
                ));
                continue;
            }
            match parse(&row) {
                Ok((key, value)) => match lines.entry(key) {
                    Entry::Vacant(e) => {
                        rows.insert(e.key().clone(), value);
                        e.insert(line);
                    }
                    Entry::Occupied(e) => rejections.push(Rejection {
                        file: self.name.clone(),
                        line,
                        field: key_field.to_string(),
                        reason: format!(
                            "code « {} » en double : déjà lu ligne {}",
                            e.key(),
                            e.get()
                        ),
                    }),
                },
                Err(r) => rejections.push(r),
            }
        }
        Ok(IfnTable { rows, rejections })
    }
}

/// One data row being parsed.
struct Row<'a> {
    file: &'a str,
    line: u64,
    record: &'a ByteRecord,
}

impl Row<'_> {
    fn reject(&self, field: &str, expected: &str, found: &str) -> Rejection {
        Rejection {
            file: self.file.to_string(),
            line: self.line,
            field: field.to_string(),
            reason: format!("attendu {expected}, trouvé « {found} »"),
        }
    }

    fn text(&self, field: &str, col: usize) -> Result<&str, Rejection> {
        let bytes = self.record.get(col).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|_| self.reject(field, "du texte UTF-8", &String::from_utf8_lossy(bytes)))
    }

    fn code<C: std::str::FromStr<Err = maillage_core::CodeError>>(
        &self,
        field: &str,
        col: usize,
    ) -> Result<C, Rejection> {
        let s = self.text(field, col)?;
        s.parse()
            .map_err(|e: maillage_core::CodeError| self.reject(field, e.expected, s))
    }

    fn number(&self, field: &str, col: usize, range: Range) -> Result<Option<f64>, Rejection> {
        self.number_named(|| field.to_string(), col, range)
    }

    fn number_named(
        &self,
        field: impl Fn() -> String,
        col: usize,
        range: Range,
    ) -> Result<Option<f64>, Rejection> {
        let bytes = self.record.get(col).unwrap_or_default();
        let Ok(s) = std::str::from_utf8(bytes).map(str::trim) else {
            return Err(self.reject(&field(), range.expected, &String::from_utf8_lossy(bytes)));
        };
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= range.min && v <= range.max => Ok(Some(v)),
            _ => Err(self.reject(&field(), range.expected, s)),
        }
    }
}

fn csv_fatal(path: &Path, e: csv::Error) -> IngestError {
    let line = e.position().map(csv::Position::line);
    match e.into_kind() {
        csv::ErrorKind::Io(source) => IngestError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => IngestError::Format {
            path: path.to_path_buf(),
            message: match line {
                Some(l) => format!("CSV illisible à la ligne {l} : {other:?}"),
                None => format!("CSV illisible : {other:?}"),
            },
        },
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// IFN 2023 of a commune from its parts (the municipal arrondissements of Paris, Lyon and
/// Marseille): per axis, the mean of the parts that have a value, weighted by their
/// population. `None` when no part has any value or every weight is 0.
pub fn weighted_ifn2023<'a>(
    parts: impl IntoIterator<Item = (u32, &'a Ifn2023)>,
) -> Option<Ifn2023> {
    let mut sums = [(0.0f64, 0.0f64); 6];
    for (population, v) in parts {
        let w = f64::from(population);
        for (axis, sum) in Ifn2023::AXES.iter().zip(sums.iter_mut()) {
            if let Some(x) = v.axis(axis) {
                sum.0 += w * x;
                sum.1 += w;
            }
        }
    }
    let mean = |(s, w): (f64, f64)| (w > 0.0).then(|| s / w);
    let out = Ifn2023 {
        total: mean(sums[0]),
        no_thd_coverage_rate: mean(sums[1]),
        no_4g_coverage_rate: mean(sums[2]),
        poverty_rate: mean(sums[3]),
        older_65_rate: mean(sums[4]),
        nscol15p_rate: mean(sums[5]),
    };
    (out != Ifn2023::default()).then_some(out)
}

#[cfg(test)]
mod aggregation_tests {
    //! Hand-made arrondissements.
    use super::*;

    #[test]
    fn arrondissements_are_weighted_by_population_per_axis() {
        let a = Ifn2023 {
            total: Some(2.0),
            poverty_rate: Some(4.0),
            ..Default::default()
        };
        let b = Ifn2023 {
            total: Some(6.0),
            poverty_rate: None,
            ..Default::default()
        };
        let v = weighted_ifn2023([(100, &a), (300, &b)]).expect("values");
        // (100 × 2 + 300 × 6) / 400 = 5; poverty only from `a`.
        assert_eq!(v.total, Some(5.0));
        assert_eq!(v.poverty_rate, Some(4.0));
        assert_eq!(v.older_65_rate, None);
        // Nothing to weigh: no value.
        assert_eq!(weighted_ifn2023([(0, &a), (0, &b)]), None);
        assert_eq!(weighted_ifn2023([(10, &Ifn2023::default())]), None);
        assert_eq!(weighted_ifn2023(std::iter::empty()), None);
    }
}
