//! The whole catalog on the real data: spatial queries against brute force, venue
//! assignment, layer provenance.

use std::path::PathBuf;

use maillage_core::{
    Catalog, InseeCode, LayerStatus, Placement, VenueFilter, Zone, contains_point,
};
use maillage_ingest::load::{ImportReport, LoadOptions, load_catalog};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Loaded once for every test of this file.
/// Panics when the data is absent: the tests that call it are `#[ignore]`d.
fn real_catalog() -> &'static (Catalog, ImportReport) {
    static CATALOG: std::sync::OnceLock<(Catalog, ImportReport)> = std::sync::OnceLock::new();
    CATALOG.get_or_init(load)
}

fn load() -> (Catalog, ImportReport) {
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data/cache"));
    let data = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| root.join("../shared/data"));
    assert!(
        cache.join(maillage_ingest::registry::WHEEL_FILE).is_file() && data.join("venues").is_dir(),
        "needs the registry wheel (make data) in {} and the shared data in {}",
        cache.display(),
        data.display()
    );
    load_catalog(
        &LoadOptions {
            cache_dir: cache,
            data_dir: Some(data),
        },
        &(),
    )
    .expect("the real data loads")
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn real_catalog_queries_agree_with_brute_force() {
    let (cat, report) = real_catalog();
    assert_eq!(cat.communes.len(), 34_875);
    assert!(cat.venues.len() > 10_000, "{}", cat.venues.len());
    assert!(report.venues.is_some());

    // Point in commune: 1,000 random points of the Tarn/Aveyron area, tree vs every commune.
    let mut rng = ChaCha8Rng::seed_from_u64(81);
    for _ in 0..1_000 {
        let (lon, lat) = (rng.random_range(1.5..3.0), rng.random_range(43.4..44.3));
        let brute: Vec<_> = cat
            .communes
            .iter()
            .filter(|c| contains_point(&c.boundary, (lon, lat).into()))
            .map(|c| c.code)
            .collect();
        // Boundaries from two sources (registry and an override file) may overlap slightly
        // along shared edges: the tree then answers one of the containing communes.
        match cat.commune_at(lon, lat).map(|c| c.code) {
            None => assert!(
                brute.is_empty(),
                "at {lon},{lat}: none, brute force {brute:?}"
            ),
            Some(code) => assert!(
                brute.contains(&code),
                "at {lon},{lat}: {code} not in {brute:?}"
            ),
        }
    }

    // k nearest venues from every Tarn town hall, tree vs sorting every venue of the zone.
    let filter = VenueFilter {
        services: vec!["Aide aux démarches administratives".into()],
        ..Default::default()
    };
    for c in cat
        .communes
        .iter()
        .filter(|c| c.departement.as_str() == "81")
    {
        let Some(hall) = &c.town_hall else { continue };
        for f in [&VenueFilter::default(), &filter] {
            let got: Vec<f64> = cat
                .nearest_venues(&hall.position, 3, f)
                .iter()
                .map(|(_, d)| *d)
                .collect();
            let mut brute: Vec<f64> = cat
                .venues
                .iter()
                .filter(|v| v.position.zone == Zone::Metropole && f.matches(v))
                .filter_map(|v| hall.position.distance_m(&v.position))
                .collect();
            brute.sort_by(f64::total_cmp);
            assert_eq!(got.len(), 3);
            for (g, b) in got.iter().zip(&brute) {
                assert!((g - b).abs() < 1e-6, "{}: {g} vs {b}", c.code);
            }
        }
    }

    // Venues in the Tarn bbox, tree vs scan.
    let bbox = [1.54, 43.38, 2.94, 44.21];
    let got: Vec<_> = cat.venues_in_bbox(bbox).iter().map(|v| v.id).collect();
    let brute: Vec<_> = cat
        .venues
        .iter()
        .filter(|v| {
            let [x, y] = v.position.lonlat;
            x >= bbox[0] && x <= bbox[2] && y >= bbox[1] && y <= bbox[3]
        })
        .map(|v| v.id)
        .collect();
    assert_eq!(got, brute);
    assert!(!got.is_empty());
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn venues_are_assigned_to_the_commune_containing_them() {
    let (cat, _) = real_catalog();
    let mut assigned = 0;
    for v in &cat.venues {
        if let Some(code) = v.commune {
            let c = cat.commune(&code).unwrap();
            // Or attached to its declared commune: a point in no commune (sea, a town hall
            // on the shore within the 500 m tolerance).
            assert!(
                contains_point(&c.boundary, v.position.lonlat.into())
                    || v.declared_commune == Some(code),
                "{} not in {code}",
                v.record.id
            );
            assigned += 1;
        }
    }
    assert!(
        assigned as f64 > 0.95 * cat.venues.len() as f64,
        "{assigned} of {}",
        cat.venues.len()
    );
    // Venues placed at a town hall sit exactly on it.
    for v in cat
        .venues
        .iter()
        .filter(|v| v.placement == Placement::TownHall)
    {
        // The commune resolved at import (code_insee, else postal code and name).
        let code = v
            .declared_commune
            .unwrap_or_else(|| v.record.code_insee.parse().unwrap());
        let hall = cat
            .commune(&code)
            .and_then(|c| c.located_town_hall())
            .map(|t| t.position.lonlat);
        if let Some(hall) = hall {
            assert_eq!(hall, v.position.lonlat, "{}", v.record.id);
        }
    }
    // Every mismatch names a declared code that differs from the located commune, and
    // an arrondissement code inside its own commune (Paris, Lyon, Marseille) is none.
    for m in &cat.mismatches {
        assert_ne!(
            Some(m.declared.as_str()),
            m.located.as_ref().map(|c| c.as_str())
        );
        if let (Ok(declared), Some(located)) = (m.declared.parse::<InseeCode>(), m.located) {
            assert!(!declared.is_within(&located), "{m:?}");
        }
    }
    let in_arrondissements = cat
        .venues
        .iter()
        .filter(|v| {
            v.record.code_insee.parse::<InseeCode>().is_ok_and(|c| {
                c.municipal_parent().is_some() && v.commune.is_some_and(|f| c.is_within(&f))
            })
        })
        .count();
    assert!(
        in_arrondissements > 100,
        "venues declared by arrondissement and located in Paris, Lyon or Marseille: {in_arrondissements}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn every_layer_is_loaded_and_states_its_provenance() {
    let (cat, _) = real_catalog();
    for id in [
        "communes",
        "town-halls",
        "epci",
        "departements",
        "ifn-2020",
        "ifn-2020-iris",
        "ifn-2023",
        "ifn-2023-epci",
        "venues",
    ] {
        let l = cat.layer(id).unwrap_or_else(|| panic!("layer {id}"));
        assert!(
            matches!(l.status, LayerStatus::Loaded { count } if count > 0),
            "{id}: {:?}",
            l.status
        );
        assert!(
            !l.source.is_empty() && !l.licence.is_empty() && !l.date.is_empty(),
            "{id}"
        );
    }
    let tarn_ifn = cat
        .communes
        .iter()
        .filter(|c| c.departement.as_str() == "81" && c.fragility.ifn2023.is_some())
        .count();
    assert_eq!(tarn_ifn, 314, "every Tarn commune has IFN 2023");
    assert_eq!(
        cat.layers
            .iter()
            .filter(|l| l.id.starts_with("venues/"))
            .count(),
        10,
        "one layer per venue file"
    );
}
