//! Commune boundaries from Shapefile and GeoJSON files, as a GIS technician brings them
//! (e.g. IGN ADMIN EXPRESS `COMMUNE.shp` in Lambert-93).
//!
//! - Shapefile: `.shp` + `.shx` + `.dbf` are required; `.prj` gives the CRS (see
//!   [`crate::reproject::epsg_of_prj`]); `.cpg` gives the DBF encoding (UTF-8 or
//!   LATIN1/ISO-8859-1/CP1252). [`BoundaryOptions`] can override both.
//! - GeoJSON: an RFC 7946 `FeatureCollection` of `Polygon`/`MultiPolygon` in WGS84 (an old
//!   `crs` member naming a supported EPSG code is honoured).
//!
//! Fields are recognised by name, case-insensitively: INSEE code `INSEE_COM`, `code_insee`,
//! `insee`, `codgeo`, `code`; name `NOM_COM`, `NOM`, `name`; population `POPULATION`;
//! département `INSEE_DEP`, `code_departement`, `dep`; EPCI `SIREN_EPCI`, `CODE_EPCI`.
//!
//! A file-level problem (missing `.shx`, unknown `.prj`, text not in the declared encoding,
//! malformed JSON…) is a fatal [`IngestError`]. A feature-level problem rejects that feature
//! only ([`BoundaryFile::rejections`]): missing or invalid INSEE code, INSEE code already
//! read earlier in the file (the first one is kept), empty or invalid geometry, vertices
//! outside France after reprojection. An unreadable optional field (population, EPCI…) is
//! dropped from a kept feature and noted in [`BoundaryFile::warnings`].

mod dbf;
mod fields;
mod geojson;
mod geometry;
pub mod overrides;
mod shp;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use geo::MultiPolygon;
use maillage_core::{DepartementCode, EpciSiren, InseeCode};
use serde::Serialize;

use crate::reproject::Reproject;
use crate::{IngestError, IngestResult, Rejection};

pub use fields::{CODE_FIELDS, DEPARTEMENT_FIELDS, EPCI_FIELDS, NAME_FIELDS, POPULATION_FIELDS};

/// Text encoding of a Shapefile's DBF table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DbfEncoding {
    /// UTF-8 (`.cpg` `UTF-8`, `UTF8`, `65001`).
    Utf8,
    /// ISO-8859-1 read as its superset Windows-1252 (`.cpg` `ISO-8859-1`, `LATIN1`, `CP1252`, `1252`…).
    Latin1,
}

impl DbfEncoding {
    /// The encoding a `.cpg` label or a user option names, case-insensitively.
    ///
    /// ```
    /// use maillage_ingest::boundaries::DbfEncoding;
    /// assert_eq!(DbfEncoding::from_label("UTF-8"), Some(DbfEncoding::Utf8));
    /// assert_eq!(DbfEncoding::from_label(" iso-8859-1\n"), Some(DbfEncoding::Latin1));
    /// assert_eq!(DbfEncoding::from_label("CP1252"), Some(DbfEncoding::Latin1));
    /// assert_eq!(DbfEncoding::from_label("Shift_JIS"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<DbfEncoding> {
        let l: String = label
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match l.as_str() {
            "utf8" | "65001" => Some(DbfEncoding::Utf8),
            "latin1" | "iso88591" | "88591" | "cp1252" | "1252" | "windows1252" | "ansi1252"
            | "iso885915" | "latin9" | "28591" => Some(DbfEncoding::Latin1),
            _ => None,
        }
    }

    /// The usual name of the encoding.
    pub fn label(self) -> &'static str {
        match self {
            DbfEncoding::Utf8 => "UTF-8",
            DbfEncoding::Latin1 => "ISO-8859-1",
        }
    }
}

impl fmt::Display for DbfEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for DbfEncoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DbfEncoding::from_label(s).ok_or_else(|| {
            format!(
                "encodage « {s} » non pris en charge : attendu UTF-8 ou ISO-8859-1 (LATIN1, CP1252)"
            )
        })
    }
}

/// Where the DBF encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EncodingSource {
    /// [`BoundaryOptions::encoding`].
    Option,
    /// The `.cpg` file.
    Cpg,
    /// The language driver byte of the DBF header.
    LanguageDriver,
    /// Nothing declared: UTF-8 when every text is valid UTF-8, else LATIN1.
    Detected,
}

impl EncodingSource {
    fn describe(self) -> &'static str {
        match self {
            EncodingSource::Option => "encodage indiqué en option",
            EncodingSource::Cpg => "déclaré par le fichier .cpg",
            EncodingSource::LanguageDriver => "déclaré par l'en-tête du .dbf",
            EncodingSource::Detected => "déduit du contenu",
        }
    }
}

/// How to read boundary files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundaryOptions {
    /// DBF encoding; overrides the `.cpg` and the DBF header.
    pub encoding: Option<DbfEncoding>,
    /// EPSG code of the coordinates; overrides the `.prj` (Shapefile) or `crs` (GeoJSON).
    pub epsg: Option<u32>,
    /// Reject geometries that are not valid OGC polygons (self-intersections, holes outside
    /// their shell, overlapping parts). On by default.
    pub check_validity: bool,
}

impl Default for BoundaryOptions {
    fn default() -> Self {
        BoundaryOptions {
            encoding: None,
            epsg: None,
            check_validity: true,
        }
    }
}

/// The file format of a boundary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BoundaryFormat {
    /// ESRI Shapefile.
    Shapefile,
    /// GeoJSON.
    GeoJson,
}

/// One commune boundary, in WGS84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryFeature {
    /// INSEE code of the commune.
    pub code: InseeCode,
    /// Name, as the file spells it.
    pub name: Option<String>,
    /// Population, when the file has it.
    pub population: Option<u32>,
    /// Département, when the file has it.
    pub departement: Option<DepartementCode>,
    /// EPCI, when the file has it.
    pub epci: Option<EpciSiren>,
    /// The boundary: exterior rings counter-clockwise, holes clockwise (RFC 7946).
    pub boundary: MultiPolygon<f64>,
}

/// The communes of one file.
#[derive(Debug, Clone)]
pub struct BoundaryFile {
    /// The file (`.shp` for a Shapefile).
    pub path: PathBuf,
    /// Its format.
    pub format: BoundaryFormat,
    /// EPSG code of its coordinates (4326 for lon/lat).
    pub source_epsg: u32,
    /// DBF encoding used and where it came from (Shapefile only).
    pub encoding: Option<(DbfEncoding, EncodingSource)>,
    /// Communes read, in file order.
    pub features: Vec<BoundaryFeature>,
    /// Features skipped, with feature (record) number, field and reason.
    pub rejections: Vec<Rejection>,
    /// Optional fields dropped from kept features.
    pub warnings: Vec<Rejection>,
}

/// A file of a folder that was not read as a commune layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why, in French.
    pub reason: String,
}

/// The commune layers of one folder.
#[derive(Debug, Clone)]
pub struct BoundaryDir {
    /// The folder.
    pub dir: PathBuf,
    /// Commune layers, by file name.
    pub files: Vec<BoundaryFile>,
    /// Files with no commune code at all (e.g. département or EPCI layers), not read.
    pub skipped: Vec<SkippedFile>,
}

impl BoundaryDir {
    /// Every commune of every file.
    pub fn features(&self) -> impl Iterator<Item = &BoundaryFeature> {
        self.files.iter().flat_map(|f| f.features.iter())
    }

    /// Every rejection of every file.
    pub fn rejections(&self) -> impl Iterator<Item = &Rejection> {
        self.files.iter().flat_map(|f| f.rejections.iter())
    }
}

/// Reads the commune boundaries of one `.shp`, `.geojson` or `.json` file.
///
/// A file without any valid commune code is an error here (see [`read_boundary_dir`]
/// for a folder, where such files are skipped).
pub fn read_boundaries(
    path: &Path,
    opts: &BoundaryOptions,
    r: &dyn Reproject,
) -> IngestResult<BoundaryFile> {
    match read_any(path, opts, r, &mut HashMap::new()) {
        Ok(file) => Ok(file),
        Err(Failure::Fatal(e)) | Err(Failure::NotCommunes(e)) => Err(e),
    }
}

/// Reads every `.shp`, `.geojson` and `.json` file directly in `dir` (not in its
/// sub-folders), in file-name order.
///
/// Files that hold no commune code (a département or EPCI layer) are listed in
/// [`BoundaryDir::skipped`]. An INSEE code already read from an earlier file is a rejection
/// in the later file. Any other file-level problem is an error: nothing is half-loaded.
pub fn read_boundary_dir(
    dir: &Path,
    opts: &BoundaryOptions,
    r: &dyn Reproject,
) -> IngestResult<BoundaryDir> {
    let entries = std::fs::read_dir(dir).map_err(|source| IngestError::Io {
        path: dir.into(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| IngestError::Io {
            path: dir.into(),
            source,
        })?;
        let path = entry.path();
        if path.is_file() && is_boundary_file(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    let mut out = BoundaryDir {
        dir: dir.into(),
        files: Vec::new(),
        skipped: Vec::new(),
    };
    let mut seen = HashMap::new();
    for path in paths {
        match read_any(&path, opts, r, &mut seen) {
            Ok(file) => out.files.push(file),
            Err(Failure::NotCommunes(e)) => out.skipped.push(SkippedFile {
                path,
                reason: e.to_string(),
            }),
            Err(Failure::Fatal(e)) => return Err(e),
        }
    }
    Ok(out)
}

/// Whether the extension is one [`read_boundary_dir`] reads.
fn is_boundary_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "shp" | "geojson" | "json")
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Why a file gave no layer.
pub(crate) enum Failure {
    /// The file is not a commune layer (no commune code at all).
    NotCommunes(IngestError),
    /// Anything else.
    Fatal(IngestError),
}

impl From<IngestError> for Failure {
    fn from(e: IngestError) -> Self {
        Failure::Fatal(e)
    }
}

/// Where an INSEE code was first read: file name and feature number.
pub(crate) type Seen = HashMap<InseeCode, (String, u64)>;

fn read_any(
    path: &Path,
    opts: &BoundaryOptions,
    r: &dyn Reproject,
    seen: &mut Seen,
) -> Result<BoundaryFile, Failure> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "shp" => shp::read(path, opts, r, seen),
        "geojson" | "json" => geojson::read(path, opts, r, seen),
        _ => Err(Failure::Fatal(IngestError::Format {
            path: path.into(),
            message: format!(
                "format de contours non reconnu : attendu .shp, .geojson ou .json, trouvé « .{ext} »"
            ),
        })),
    }
}

/// An attribute value, whatever the format.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AttrValue {
    Text(String),
    Number(f64),
    Null,
}

/// Geometry as read, before reprojection.
#[derive(Debug, Clone)]
pub(crate) enum RawGeometry {
    /// GeoJSON: polygons, each an exterior ring then its holes.
    Polygons(Vec<Vec<Vec<[f64; 2]>>>),
    /// Shapefile: rings of one record; outer rings clockwise, holes counter-clockwise.
    EsriRings(Vec<Vec<[f64; 2]>>),
}

/// One feature as read: its 1-based number, attributes and geometry (or why it has none).
pub(crate) struct RawFeature<'a> {
    pub number: u64,
    pub attributes: &'a [(String, AttrValue)],
    pub geometry: Result<RawGeometry, String>,
}

/// Turns raw features into [`BoundaryFeature`]s and rejections; shared by both formats.
pub(crate) struct Collector<'a> {
    path: PathBuf,
    file: String,
    epsg: u32,
    r: &'a dyn Reproject,
    check_validity: bool,
    seen: &'a mut Seen,
    features: Vec<BoundaryFeature>,
    rejections: Vec<Rejection>,
    warnings: Vec<Rejection>,
    code_field_found: bool,
    code_problems: usize,
    out_of_france: usize,
}

/// The field name used in rejections about geometry.
const GEOMETRY_FIELD: &str = "géométrie";

impl<'a> Collector<'a> {
    pub(crate) fn new(
        path: &Path,
        epsg: u32,
        r: &'a dyn Reproject,
        opts: &BoundaryOptions,
        seen: &'a mut Seen,
    ) -> Collector<'a> {
        Collector {
            path: path.into(),
            file: file_name(path),
            epsg,
            r,
            check_validity: opts.check_validity,
            seen,
            features: Vec::new(),
            rejections: Vec::new(),
            warnings: Vec::new(),
            code_field_found: false,
            code_problems: 0,
            out_of_france: 0,
        }
    }

    pub(crate) fn reject(&mut self, number: u64, field: &str, reason: String) {
        self.rejections.push(Rejection {
            file: self.file.clone(),
            line: number,
            field: field.to_string(),
            reason,
        });
    }

    pub(crate) fn push(&mut self, raw: RawFeature<'_>) {
        let attrs = match fields::read(raw.attributes) {
            Ok(a) => a,
            Err(problem) => {
                self.code_field_found |= problem.field_found;
                self.code_problems += 1;
                self.reject(raw.number, &problem.field, problem.reason);
                return;
            }
        };
        self.code_field_found = true;
        for w in attrs.warnings {
            self.warnings.push(Rejection {
                file: self.file.clone(),
                line: raw.number,
                field: w.field,
                reason: w.reason,
            });
        }
        if let Some((file, number)) = self.seen.get(&attrs.code) {
            let reason = if *file == self.file {
                format!(
                    "code INSEE {} en double : déjà lu à l'entité {number} (la première est gardée)",
                    attrs.code
                )
            } else {
                format!(
                    "code INSEE {} en double : déjà lu dans {file}, entité {number} (la première est gardée)",
                    attrs.code
                )
            };
            self.reject(raw.number, &attrs.code_field, reason);
            return;
        }
        let raw_geometry = match raw.geometry {
            Ok(g) => g,
            Err(reason) => {
                self.reject(raw.number, GEOMETRY_FIELD, reason);
                return;
            }
        };
        let boundary = match geometry::build(raw_geometry, self.epsg, self.r, self.check_validity) {
            Ok(b) => b,
            Err(problem) => {
                if problem.outside_france {
                    self.out_of_france += 1;
                }
                self.reject(raw.number, GEOMETRY_FIELD, problem.reason);
                return;
            }
        };
        self.seen
            .insert(attrs.code, (self.file.clone(), raw.number));
        self.features.push(BoundaryFeature {
            code: attrs.code,
            name: attrs.name,
            population: attrs.population,
            departement: attrs.departement,
            epci: attrs.epci,
            boundary,
        });
    }

    pub(crate) fn finish(
        self,
        format: BoundaryFormat,
        encoding: Option<(DbfEncoding, EncodingSource)>,
    ) -> Result<BoundaryFile, Failure> {
        let total = self.features.len() + self.rejections.len();
        if self.features.is_empty() && total > 0 {
            let first = self
                .rejections
                .first()
                .map(|r| format!(" ; première entité rejetée : {r}"))
                .unwrap_or_default();
            if self.code_problems == total {
                let message = if self.code_field_found {
                    format!("aucune entité n'a de code INSEE de commune valide{first}")
                } else {
                    format!(
                        "aucun champ de code INSEE de commune (cherchés : {}){first}",
                        CODE_FIELDS.join(", ")
                    )
                };
                return Err(Failure::NotCommunes(IngestError::Format {
                    path: self.path,
                    message,
                }));
            }
            if self.out_of_france == total {
                return Err(Failure::Fatal(IngestError::Format {
                    path: self.path,
                    message: format!(
                        "aucune entité n'est en France une fois les coordonnées lues en EPSG:{} : le SCR déclaré (.prj, crs ou option) est-il le bon ?{first}",
                        self.epsg
                    ),
                }));
            }
        }
        Ok(BoundaryFile {
            path: self.path,
            format,
            source_epsg: self.epsg,
            encoding,
            features: self.features,
            rejections: self.rejections,
            warnings: self.warnings,
        })
    }
}
