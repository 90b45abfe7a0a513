//! Venues in the national schema (*standard des lieux de médiation numérique*
//! v1.0.2, LaMednum / ANCT), from CSV or JSON files: validation, placement,
//! deduplication.
//!
//! # Files
//! - **CSV**: UTF-8, a header row naming the schema's columns (any order), separator `,`
//!   (or `;` when the header has no `,`). Quoted fields may hold newlines. A row is
//!   located by the physical line where its record starts (header = line 1).
//! - **JSON**: an array of objects keyed by schema field names; values are strings,
//!   numbers, `null` or arrays of strings (multi-valued fields). A row is located by its
//!   index in the array (from 0). Absent keys are empty values.
//! - [`read_venue_dir`] reads every `.csv` and `.json` file of a folder, not its
//!   subfolders (so `schema/`, `raw/` and `qa/` are skipped), in file-name order.
//!
//! A file that cannot be read is a fatal error ([`crate::IngestError`]): unknown
//! extension, not UTF-8, truncated JSON (with line and column), a CSV header lacking a
//! column the schema marks `required` (the error lists the missing columns and those
//! found). Columns outside the schema are ignored and noted in the report.
//!
//! # Rows: kept, warned, rejected
//! Every rule comes from the national `schema.json` of the data directory (see [`schema`]): `required`,
//! `pattern` (an enumeration pattern such as `(?:(?:^|\|)(A|B))+$` is read as the list of
//! allowed `|`-separated values), `type` `date` and `number`, `maxLength`, `unique`.
//!
//! **Product rule:** the real files lack required values in most rows (`pivot` is empty
//! in 12,000 of 14,830; a few `code_postal` or `adresse`). Rejecting them would drop most
//! of the data, so **a missing required value is a warning, and the row is kept**
//! (one warning per row and field). A row is **rejected** only when it is malformed or
//! cannot be placed:
//! - no `id` or no `nom` (the row cannot be identified), or an `id` already used by an
//!   earlier row of the same file;
//! - a value outside a schema list (the message lists the allowed values), a value not
//!   matching a schema pattern (`pivot`, `code_postal`, `code_insee`, `telephone`), a
//!   `date_maj` that is not a `YYYY-MM-DD` date, a text over `maxLength`;
//! - latitude/longitude not numbers, out of range, or only one of them;
//!   a point outside every French territory (metropolitan France, overseas départements
//!   and collectivities, New Caledonia included);
//! - no coordinates and no `code_insee`, or a `code_insee` whose town hall the lookup
//!   does not know;
//! - a row that cannot be read (wrong number of fields, invalid UTF-8, a JSON value that
//!   is neither text, number nor list of texts).
//!
//! Two leniencies, both reported as warnings: enumerated values separated by `;` (as the
//! schema's own README says) are accepted when every part is an allowed value; empty
//! values between separators are dropped.
//!
//! # Placement
//! A row with coordinates (WGS84) is placed there ([`Placement::Exact`]). A row without
//! coordinates but with a `code_insee` is placed at that commune's town hall, given by
//! the caller's lookup ([`Placement::TownHall`]). The registry lists communes, not the
//! municipal arrondissements of Paris, Lyon and Marseille: a row coded with an
//! arrondissement the lookup does not know is placed at its city's town hall
//! (75056, 69123, 13055), with a warning.
//!
//! # Merging duplicates
//! The same venue appears in several files, and sometimes twice in one file (one row per
//! conseiller, or per registration). Two kept rows are the same venue when:
//! 1. they have the same `pivot` (SIRET, RNA…; the all-zero placeholder does not count)
//!    and the same normalised name ([`normalized_name`]), wherever they are placed; or
//! 2. they have the same normalised name and lie within 50 m of each other, measured in
//!    metres in the zone's projected CRS. Only rows placed by their own coordinates take
//!    part: a town-hall position says nothing about where the venue is.
//!
//! The relation is transitive (A ~ B and B ~ C merge A, B and C). Rows of a group are
//! ranked: first those with their own coordinates, then the most recent `date_maj`, then
//! the most non-empty fields, then reading order. The merged venue **keeps the first
//! row's fields and position**; its empty single-valued fields are filled from the next
//! rows in rank order (e.g. a `pivot` or `code_insee` another source knows), and its
//! multi-valued fields are the union over the group (enumerated values in schema order).
//! [`Venue::sources`] lists every row (file, line, id) in reading order.
//! Venues whose `code_insee` disagrees with their point are reported by
//! [`maillage_core::Catalog::new`].

pub mod hours;
mod kind;
mod merge;
mod read;
mod report;
pub mod schema;
mod validate;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use maillage_core::{InseeCode, Placement, Position, Venue, VenueRecord, VenueSource, Zone};

pub use kind::{
    RECEIVING_NAME_WORDS, RECEIVING_TYPOLOGIES, VENUE_FILES, VenueFileInfo, date_maj_kind,
    file_stem, row_kind, venue_file,
};
pub use merge::{MergeReport, SAME_PLACE_M, normalized_name};
pub use read::VenueFormat;
pub use report::{FileError, FileReport, VenueReport};
pub use schema::{SCHEMA_IN_VENUE_DIR, Schema};
pub use validate::RejectKind;

use crate::ifn::file_name;
use crate::reproject::{Reproject, default_reprojector, position};
use crate::{IngestError, IngestResult, Rejection};
use merge::Placed;
use read::{Cell, RawFile};
use validate::{Issue, check_row};

/// The venues read from a set of files, merged, and what the import did.
#[derive(Debug, Clone)]
pub struct VenueLoad {
    /// Merged venues; `id` is their index (reassigned by `Catalog::new`).
    pub venues: Vec<Venue>,
    /// Counts, rejected rows, warnings, merges.
    pub report: VenueReport,
}

/// The venue files of a folder: its `.csv` and `.json` files (not its subfolders),
/// sorted by name.
pub fn venue_files(dir: &Path) -> IngestResult<Vec<PathBuf>> {
    let io = |source| IngestError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && VenueFormat::of_path(&path).is_some() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads, validates, places and merges every venue file of a folder. `town_hall` gives
/// the position of a commune's town hall (rows without coordinates are placed there).
/// A file that cannot be read stops the import.
pub fn read_venue_dir(
    dir: &Path,
    schema: &'static Schema,
    town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
) -> IngestResult<VenueLoad> {
    read_venue_files(&venue_files(dir)?, schema, town_hall)
}

/// Reads, validates, places and merges the given venue files, in that order.
/// A file that cannot be read stops the import.
pub fn read_venue_files(
    paths: &[PathBuf],
    schema: &'static Schema,
    town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
) -> IngestResult<VenueLoad> {
    let reproject = default_reprojector();
    let mut import = Import::new(schema);
    for path in paths {
        let raw = read::read_file(path, schema)?;
        import.add_file(raw, &*reproject, town_hall);
    }
    Ok(import.finish())
}

/// Checks the given venue files as `maillage import --check` does: like
/// [`read_venue_files`], but a file that cannot be read is recorded in
/// [`VenueReport::errors`] and the other files are still checked. A folder stands for
/// its venue files ([`venue_files`]).
pub fn check_venue_files(
    paths: &[PathBuf],
    schema: &'static Schema,
    town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
) -> VenueReport {
    let reproject = default_reprojector();
    let mut import = Import::new(schema);
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        if path.is_dir() {
            match venue_files(path) {
                Ok(inside) => files.extend(inside),
                Err(e) => import.report.errors.push(FileError {
                    file: path.display().to_string(),
                    message: e.to_string(),
                }),
            }
        } else {
            files.push(path.clone());
        }
    }
    for path in &files {
        match read::read_file(path, schema) {
            Ok(raw) => import.add_file(raw, &*reproject, town_hall),
            Err(e) => import.report.errors.push(FileError {
                file: file_name(path),
                message: e.to_string(),
            }),
        }
    }
    import.finish().report
}

/// Rows accumulated over the files of one import.
struct Import {
    schema: &'static schema::Schema,
    placed: Vec<Placed>,
    report: VenueReport,
}

impl Import {
    fn new(schema: &'static schema::Schema) -> Import {
        Import {
            schema,
            placed: Vec::new(),
            report: VenueReport {
                schema_version: schema.version.clone(),
                ..VenueReport::default()
            },
        }
    }

    fn add_file(
        &mut self,
        raw: RawFile,
        reproject: &dyn Reproject,
        town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
    ) {
        let RawFile {
            name,
            format,
            rows,
            notes,
        } = raw;
        let mut counts = FileReport {
            file: name.clone(),
            format,
            read: rows.len(),
            kept: 0,
            town_hall: 0,
            rejected: 0,
            warnings: 0,
            rows_with_warnings: 0,
            notes,
        };
        let mut first_use: HashMap<String, u64> = HashMap::new();
        // The same hours text recurs (a network's sites): parse it once per file.
        let mut hours_of: HashMap<String, maillage_core::Hours> = HashMap::new();
        for row in rows {
            let line = row.line;
            let id = match &row.cells[0] {
                Cell::Text(s) => s.trim().to_string(),
                Cell::List(_) => String::new(),
            };
            let duplicate_of = if id.is_empty() {
                None
            } else {
                match first_use.entry(id.clone()) {
                    Entry::Occupied(e) => Some(*e.get()),
                    Entry::Vacant(e) => {
                        e.insert(line);
                        None
                    }
                }
            };
            let (mut issues, checked) = match check_row(self.schema, row) {
                Ok(c) => (Vec::new(), Some(c)),
                Err(issues) => (issues, None),
            };
            if let Some(first) = duplicate_of {
                issues.push(Issue {
                    field: "id".into(),
                    reason: format!(
                        "id « {id} » en double : déjà utilisé {}",
                        format.locate(first)
                    ),
                    kind: RejectKind::DuplicateId,
                });
            }
            let placed = match checked {
                Some(c) if issues.is_empty() => match place(&c.record, reproject, town_hall) {
                    Ok(p) => Some((c, p)),
                    Err(issue) => {
                        issues.push(issue);
                        None
                    }
                },
                _ => None,
            };
            let Some((mut checked, (position, placement, placement_warning))) = placed else {
                counts.rejected += 1;
                let mut kinds: Vec<RejectKind> = issues.iter().map(|i| i.kind).collect();
                kinds.sort();
                kinds.dedup();
                for kind in kinds {
                    *self.report.rejected_by_reason.entry(kind).or_default() += 1;
                }
                self.report
                    .rejections
                    .extend(issues.into_iter().map(|i| Rejection {
                        file: name.clone(),
                        line,
                        field: i.field,
                        reason: i.reason,
                    }));
                continue;
            };
            counts.kept += 1;
            checked.warnings.extend(placement_warning);
            if placement == Placement::TownHall {
                counts.town_hall += 1;
            }
            if !checked.warnings.is_empty() {
                counts.rows_with_warnings += 1;
                counts.warnings += checked.warnings.len();
            }
            self.report
                .warnings
                .extend(
                    checked
                        .warnings
                        .into_iter()
                        .map(|(field, reason)| Rejection {
                            file: name.clone(),
                            line,
                            field,
                            reason,
                        }),
                );
            self.placed.push(Placed {
                source: VenueSource {
                    file: name.clone(),
                    line,
                    id: checked.record.id.clone(),
                    kind: row_kind(&name, &checked.record),
                    date_maj_kind: date_maj_kind(&name, &checked.record.date_maj),
                    hours: hours_of
                        .entry(checked.record.horaires.clone())
                        .or_insert_with(|| hours::summarize(&checked.record.horaires))
                        .clone(),
                },
                record: checked.record,
                position,
                placement,
            });
        }
        self.report.files.push(counts);
    }

    fn finish(mut self) -> VenueLoad {
        let (venues, merged) = merge::merge(self.placed, self.schema);
        self.report.merged = merged;
        self.report.venues = venues.len();
        VenueLoad {
            venues,
            report: self.report,
        }
    }
}

/// A warning on a kept row: field, reason.
type Warning = (String, String);

/// Where a valid row goes: its own point, or its commune's town hall. A municipal
/// arrondissement unknown to the lookup goes to its city's town hall, with a warning.
fn place(
    record: &VenueRecord,
    reproject: &dyn Reproject,
    town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
) -> Result<(Position, Placement, Option<Warning>), Issue> {
    let issue = |field: &str, kind, reason| Issue {
        field: field.into(),
        reason,
        kind,
    };
    if let (Some(lat), Some(lon)) = (record.latitude, record.longitude) {
        if Zone::of_lonlat(lon, lat).is_none() {
            let hint = if Zone::of_lonlat(lat, lon).is_some() {
                " ; latitude et longitude sont-elles inversées ?"
            } else {
                ""
            };
            return Err(issue(
                "latitude",
                RejectKind::OutsideFrance,
                format!(
                    "attendu un point en France (métropole ou outre-mer), trouvé latitude {lat}, longitude {lon}{hint}"
                ),
            ));
        }
        return position(reproject, lon, lat)
            .map(|p| (p, Placement::Exact, None))
            .map_err(|e| issue("latitude", RejectKind::BadCoordinates, e.to_string()));
    }
    let code = record.code_insee.trim();
    if code.is_empty() {
        return Err(issue(
            "latitude",
            RejectKind::NoPlacement,
            "ni coordonnées (latitude, longitude) ni code_insee : le lieu ne peut pas être placé"
                .into(),
        ));
    }
    let unknown = || {
        issue(
            "code_insee",
            RejectKind::UnknownTownHall,
            format!(
                "pas de coordonnées, et aucune mairie connue pour le code_insee « {code} » : le lieu ne peut pas être placé"
            ),
        )
    };
    let insee: InseeCode = code.parse().map_err(|_| unknown())?;
    if let Some(p) = town_hall(&insee) {
        return Ok((p, Placement::TownHall, None));
    }
    let city = arrondissement_city(&insee).ok_or_else(unknown)?;
    let p = town_hall(&city).ok_or_else(unknown)?;
    let warning = (
        "code_insee".to_string(),
        format!(
            "arrondissement sans mairie connue : lieu placé à la mairie de sa commune ({code} → {city})"
        ),
    );
    Ok((p, Placement::TownHall, Some(warning)))
}

/// The commune of a municipal arrondissement of Paris, Lyon or Marseille.
fn arrondissement_city(code: &InseeCode) -> Option<InseeCode> {
    let n: u32 = code.as_str().parse().ok()?;
    let city = match n {
        75101..=75120 => "75056",
        69381..=69389 => "69123",
        13201..=13216 => "13055",
        _ => return None,
    };
    city.parse().ok()
}
