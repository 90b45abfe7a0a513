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
//! The same venue appears in several files (PACA, Charente and Hauts-de-France
//! re-publish CNFS and France Services rows), sometimes under another name, and
//! sometimes twice in one file. Same name or same SIRET is not enough: networks share
//! both across towns. Each pair of rows is compared on (module `matching`):
//! - **name**: words of [`normalized_name`] without stop words; generic words
//!   ("France services", "mairie", "médiathèque", "centre social"…) weigh 0.5, words of
//!   the row's commune 0.3, others 1; the score is the weighted Dice coefficient (1 for
//!   identical normalised names);
//! - **address**: house number (bis/ter kept), street words (abbreviations expanded,
//!   apostrophes and stop words dropped) and postal code: same number and street
//!   ("numéro"), or same street with a number on one side only ("voie");
//! - **distance** between the points, in metres in the zone's projected CRS;
//! - **contact** (same phone or e-mail) and **pivot** (same SIRET/RNA; the all-zero
//!   placeholder does not count).
//!
//! Score: name identical +3, ≥ 0.6 +2, ≥ 0.25 +1, shared words below that 0, no shared
//! word −1; address "numéro" +2, "voie" +1; distance ≤ 10 m +2, ≤ 50 m +1; contact +1;
//! pivot +1. Rows of **different sources** (a file, or a producer inside an aggregated
//! file) merge at a score of 4 or more ([`MERGE_SCORE`]), and **never when their own
//! points are more than 150 m apart** ([`FAR_M`]). Two rows of **one source** merge only
//! as exact duplicates: same normalised name and same address. A row **placed at its
//! town hall** (no coordinates) earns nothing for distance: it merges only with rows of
//! the same normalised name and postal code within 10 km, scoring 4 or more with an
//! agreeing address or contact (a SIRET names an organisation, not a site), and only
//! when all such candidates already form one venue (otherwise it stays apart and is
//! counted as ambiguous). Every merge is a [`MergeLink`] in [`MergeReport::links`] with
//! its [`MergeReason`] and evidence; the report counts links per reason.
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
mod matching;
mod merge;
pub mod places;
mod read;
mod report;
pub mod schema;
mod validate;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use maillage_core::{
    InseeCode, LocationFlag, Placement, Position, Venue, VenueRecord, VenueSource, Zone,
};

pub use kind::{
    RECEIVING_NAME_WORDS, RECEIVING_TYPOLOGIES, VENUE_FILES, VenueFileInfo, date_maj_kind,
    file_stem, row_kind, venue_file,
};
pub use matching::{
    AddressMatch, FAR_M, MERGE_SCORE, MergeReason, NEAR_M, PairScore, SAME_POINT_M,
    TOWN_HALL_RADIUS_M,
};
pub use merge::{MergeLink, MergeReport, normalized_name};
pub use places::{
    CommuneDirectory, LocationReport, PlaceCorrection, PlaceDoubt, named_commune,
    normalize_place_name, repair_postal_code,
};
pub use read::VenueFormat;
pub use report::{FileError, FileReport, VenueNature, VenueReport};
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

/// Like [`read_venue_dir`], but rows are placed with the registry's communes: the
/// declared commune is checked against the postal code and the name, town halls outside
/// their commune are not used, and source points in no commune or in another département
/// are flagged (see [`places`]).
pub fn read_venue_dir_in(
    dir: &Path,
    schema: &'static Schema,
    directory: &CommuneDirectory<'_>,
) -> IngestResult<VenueLoad> {
    let reproject = default_reprojector();
    let none = |_: &InseeCode| None;
    let mut import = Import::new(schema);
    import.directory = Some(directory);
    for path in venue_files(dir)? {
        let raw = read::read_file(&path, schema)?;
        import.add_file(raw, &*reproject, &none);
    }
    Ok(import.finish())
}

/// Like [`check_venue_files`], with the registry's communes (see [`read_venue_dir_in`]).
pub fn check_venue_files_in(
    paths: &[PathBuf],
    schema: &'static Schema,
    directory: &CommuneDirectory<'_>,
) -> VenueReport {
    check_files(paths, schema, &|_| None, Some(directory))
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
    check_files(paths, schema, town_hall, None)
}

fn check_files(
    paths: &[PathBuf],
    schema: &'static Schema,
    town_hall: &dyn Fn(&InseeCode) -> Option<Position>,
    directory: Option<&CommuneDirectory<'_>>,
) -> VenueReport {
    let reproject = default_reprojector();
    let mut import = Import::new(schema);
    import.directory = directory;
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
struct Import<'d> {
    schema: &'static schema::Schema,
    placed: Vec<Placed>,
    report: VenueReport,
    /// The registry's communes, when known: placement by resolved commune, point checks.
    directory: Option<&'d CommuneDirectory<'d>>,
    /// Per placed row (file, line): the resolved commune and its flag and note.
    resolved: HashMap<(String, u64), (InseeCode, Option<LocationFlag>, String)>,
    /// Opening hours read once per distinct text, over every file (the files overlap).
    hours_of: HashMap<String, maillage_core::Hours>,
}

impl<'d> Import<'d> {
    fn new(schema: &'static schema::Schema) -> Import<'d> {
        Import {
            schema,
            directory: None,
            resolved: HashMap::new(),
            hours_of: HashMap::new(),
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
            let directory = self.directory;
            let placed = match checked {
                Some(c) if issues.is_empty() && directory.is_some() && !has_point(&c.record) => {
                    let Some(dir) = directory else { unreachable!() };
                    match self.place_in(dir, &c.record, &name, line) {
                        Ok(p) => Some((c, p)),
                        Err(issue) => {
                            issues.push(issue);
                            None
                        }
                    }
                }
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
            if placement != Placement::Exact {
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
                    hours: self
                        .hours_of
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
        let placed = std::mem::take(&mut self.placed);
        let (mut venues, merged) = merge::merge(placed, self.schema);
        if let Some(dir) = self.directory {
            self.apply_resolutions(&mut venues);
            self.check_points(dir, &mut venues);
        }
        self.report.merged = merged;
        self.report.venues = venues.len();
        self.report.nature = report::VenueNature::of(&venues);
        VenueLoad {
            venues,
            report: self.report,
        }
    }
}

impl Import<'_> {
    /// Places a row without coordinates in the commune [`CommuneDirectory::resolve`]
    /// establishes, recording corrections and doubts.
    fn place_in(
        &mut self,
        dir: &CommuneDirectory<'_>,
        r: &VenueRecord,
        file: &str,
        line: u64,
    ) -> Result<(Position, Placement, Option<Warning>), Issue> {
        use places::Resolution;
        let resolution = dir.resolve(&r.code_insee, &r.code_postal, &r.commune, &r.nom);
        let loc = &mut self.report.locations;
        let unplaceable = |reason: String| Issue {
            field: "code_insee".into(),
            reason,
            kind: if r.code_insee.trim().is_empty() {
                RejectKind::NoPlacement
            } else {
                RejectKind::UnknownTownHall
            },
        };
        let (code, flag, note) = match resolution {
            Resolution::Unresolved(why) => {
                loc.unresolved += 1;
                return Err(unplaceable(why));
            }
            Resolution::Declared(code) => (code, None, String::new()),
            Resolution::Corrected { to, why } => {
                loc.communes_corrected += 1;
                loc.corrections.push(PlaceCorrection {
                    file: file.into(),
                    line,
                    id: r.id.clone(),
                    nom: r.nom.clone(),
                    what: "code_insee".into(),
                    from: r.code_insee.clone(),
                    to: to.to_string(),
                    why: why.clone(),
                });
                (
                    to,
                    Some(LocationFlag::CommuneCorrigee),
                    format!("Commune corrigée : {why}."),
                )
            }
            Resolution::Doubtful { to, why } => {
                loc.communes_doubtful += 1;
                loc.doubts.push(PlaceDoubt {
                    file: file.into(),
                    line,
                    id: r.id.clone(),
                    nom: r.nom.clone(),
                    flags: vec![LocationFlag::CommuneDouteuse.as_str().into()],
                    why: why.clone(),
                });
                (
                    to,
                    Some(LocationFlag::CommuneDouteuse),
                    format!("Commune incertaine : {why}."),
                )
            }
        };
        let Some((position, placement)) = dir.access_point(&code) else {
            loc.unresolved += 1;
            return Err(unplaceable(format!(
                "pas de coordonnées, et la commune {code} n'a ni mairie ni contour connus : le lieu ne peut pas être placé"
            )));
        };
        let mut note = note;
        if placement == Placement::Commune {
            loc.placed_in_commune += 1;
            note.push_str(" Mairie hors de sa commune dans le registre : lieu placé en un point intérieur de la commune.");
        } else {
            loc.placed_at_town_hall += 1;
        }
        self.resolved.insert(
            (file.to_string(), line),
            (code, flag, note.trim().to_string()),
        );
        Ok((position, placement, None))
    }

    /// Gives merged venues placed without coordinates their resolved commune and flags.
    fn apply_resolutions(&self, venues: &mut [Venue]) {
        for v in venues
            .iter_mut()
            .filter(|v| v.placement != Placement::Exact)
        {
            let found = v
                .sources
                .iter()
                .find_map(|s| self.resolved.get(&(s.file.clone(), s.line)));
            if let Some((code, flag, note)) = found {
                v.declared_commune = Some(*code);
                v.location_flags.extend(*flag);
                v.location_note.clone_from(note);
            }
        }
    }

    /// Flags source points in no commune or in another département, and moves those
    /// known to be wrong to their declared commune.
    fn check_points(&mut self, dir: &CommuneDirectory<'_>, venues: &mut [Venue]) {
        use places::{PointCheck, Resolution};
        let mut outside: HashMap<[u64; 2], usize> = HashMap::new();
        let checks: Vec<PointCheck> = venues
            .iter()
            .map(|v| {
                if v.placement != Placement::Exact {
                    return PointCheck::Consistent;
                }
                let r = &v.record;
                let c =
                    dir.check_point(v.position.lonlat, &r.code_insee, &r.code_postal, &r.commune);
                if c == PointCheck::OutsideCommunes {
                    let [a, b] = v.position.lonlat;
                    *outside.entry([a.to_bits(), b.to_bits()]).or_default() += 1;
                }
                c
            })
            .collect();
        for (v, check) in venues.iter_mut().zip(checks) {
            if check == PointCheck::Consistent {
                continue;
            }
            let r = &v.record;
            let first = v.sources.first().cloned();
            let (file, line) = first.map(|s| (s.file, s.line)).unwrap_or_default();
            let loc = &mut self.report.locations;
            let resolution = dir.resolve(&r.code_insee, &r.code_postal, &r.commune, &r.nom);
            let declared = resolution.code();
            let source_point = format!("{:.6}, {:.6}", v.position.lonlat[1], v.position.lonlat[0]);
            let mut flags = Vec::new();
            let mut relocate = false;
            let why = match check {
                PointCheck::Consistent => continue,
                PointCheck::WrongCode { found } => {
                    loc.wrong_code_point_kept += 1;
                    let why = format!(
                        "codes déclarés (code_insee « {} », code postal « {} ») d'un autre département que le point, qui est bien dans la commune nommée {found} : point gardé, code déclaré ignoré",
                        r.code_insee, r.code_postal
                    );
                    loc.doubts.push(PlaceDoubt {
                        file,
                        line,
                        id: r.id.clone(),
                        nom: r.nom.clone(),
                        flags: Vec::new(),
                        why,
                    });
                    continue;
                }
                PointCheck::OtherDepartement { found } => {
                    loc.other_departement += 1;
                    flags.push(LocationFlag::DepartementIncoherent);
                    relocate = declared.is_some();
                    format!(
                        "point ({source_point}) dans la commune {found}, hors du département déclaré (code_insee « {} », code postal « {} »)",
                        r.code_insee, r.code_postal
                    )
                }
                PointCheck::OutsideCommunes => {
                    loc.outside_communes += 1;
                    flags.push(LocationFlag::HorsCommune);
                    let [a, b] = v.position.lonlat;
                    let shared = outside
                        .get(&[a.to_bits(), b.to_bits()])
                        .copied()
                        .unwrap_or(0);
                    if shared > 1 {
                        loc.shared_points += 1;
                        flags.push(LocationFlag::PointPartage);
                        relocate = declared.is_some();
                    } else if let Some(code) = declared {
                        relocate = dir
                            .distance_to_commune_m(&code, v.position.lonlat)
                            .is_none_or(|d| d > places::COAST_M);
                    }
                    if shared > 1 {
                        format!(
                            "point ({source_point}) hors de toute commune, partagé par {shared} lieux"
                        )
                    } else {
                        format!("point ({source_point}) hors de toute commune")
                    }
                }
            };
            let mut why = why;
            if let Resolution::Corrected { why: w, .. } | Resolution::Doubtful { why: w, .. } =
                &resolution
            {
                why.push_str(&format!(" ; commune déclarée établie ainsi : {w}"));
            }
            if matches!(resolution, Resolution::Doubtful { .. }) {
                flags.push(LocationFlag::CommuneDouteuse);
            }
            v.declared_commune = declared.filter(|_| !flags.is_empty());
            let moved = if relocate {
                declared.and_then(|code| dir.access_point(&code).map(|p| (code, p)))
            } else {
                None
            };
            if let Some((code, (position, placement))) = moved {
                loc.relocated += 1;
                v.position = position;
                v.placement = placement;
                let name = dir.commune(&code).map_or(String::new(), |c| c.name.clone());
                why.push_str(&format!(
                    " ; lieu placé à sa commune déclarée, {name} ({code}), {}",
                    if placement == Placement::TownHall {
                        "à la mairie"
                    } else {
                        "en un point intérieur"
                    }
                ));
                loc.corrections.push(PlaceCorrection {
                    file: file.clone(),
                    line,
                    id: v.record.id.clone(),
                    nom: v.record.nom.clone(),
                    what: "coordonnées".into(),
                    from: source_point.clone(),
                    to: format!("{:.6}, {:.6}", position.lonlat[1], position.lonlat[0]),
                    why: why.clone(),
                });
            } else if let Some(code) = v.declared_commune {
                why.push_str(&format!(
                    " ; point gardé, lieu compté dans sa commune déclarée {code}"
                ));
            }
            v.location_flags.extend(flags.iter().copied());
            v.location_flags.sort();
            v.location_flags.dedup();
            v.location_note = format!("{}{}.", why[..1].to_uppercase(), &why[1..]);
            if !flags.is_empty() {
                loc.doubts.push(PlaceDoubt {
                    file,
                    line,
                    id: v.record.id.clone(),
                    nom: v.record.nom.clone(),
                    flags: flags.iter().map(|f| f.as_str().to_string()).collect(),
                    why,
                });
            }
        }
    }
}

/// Whether a row gives its own coordinates.
fn has_point(r: &VenueRecord) -> bool {
    r.latitude.is_some() && r.longitude.is_some()
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
