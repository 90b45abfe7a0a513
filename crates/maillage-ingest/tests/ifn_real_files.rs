//! IFN readers on the real files of the shared data directory (`#[ignore]`d: run with
//! `--include-ignored`; they panic when it is absent). Expected counts come from the shared data README, section 2.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use maillage_core::{EpciSiren, InseeCode};
use maillage_ingest::ifn;

/// Panics when absent: the tests that call it are `#[ignore]`d.
fn ifn_dir() -> PathBuf {
    let data = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        });
    let dir = data.join("ifn");
    assert!(
        dir.is_dir(),
        "needs the shared data: {} absent (set MAILLAGE_DATA_DIR)",
        dir.display()
    );
    dir
}

fn code(s: &str) -> InseeCode {
    s.parse().unwrap()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ifn2020_communes_has_34797_rows_with_their_provenance() {
    let dir = ifn_dir();
    let t = ifn::read_ifn2020_communes(&dir.join(ifn::IFN2020_COMMUNES_FILE)).unwrap();
    assert!(
        t.rejections.is_empty(),
        "{:?}",
        &t.rejections[..t.rejections.len().min(3)]
    );
    assert_eq!(t.len(), 34_797);
    let count = |vf: &str| t.rows.values().filter(|v| v.values_from == vf).count();
    assert_eq!(count("team-48"), 34_514);
    assert_eq!(count("mixed"), 243);
    assert_eq!(count("tableau-region-truncated"), 40);

    // Lavaur: its "Zone Rurale" IRIS is missing, so only region scores exist.
    let lavaur = t.get(&code("81140")).unwrap();
    assert_eq!(lavaur.values_from, "mixed");
    assert!(lavaur.departement.score_global.is_none() && lavaur.epci.score_global.is_none());
    assert!(lavaur.region.score_global.is_some());

    let first = t.get(&code("01001")).unwrap();
    assert_eq!(first.departement.score_global, Some(83.644));
    assert_eq!(first.epci.global_competences, Some(84.675));
    assert_eq!(first.population_p16, Some(767.0));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ifn2020_zero_on_the_interfaces_axis_is_read_as_missing() {
    let dir = ifn_dir();
    let t = ifn::read_ifn2020_communes(&dir.join(ifn::IFN2020_COMMUNES_FILE)).unwrap();
    // team-48 communes have every scale filled, so a None there was a 0 in the file
    // (3,470 communes at département scale, counted in the file).
    let missing = t
        .rows
        .values()
        .filter(|v| v.values_from == "team-48")
        .filter(|v| v.departement.acces_interfaces_numeriques.is_none())
        .count();
    assert_eq!(missing, 3_470);
    assert!(t.rows.values().all(|v| {
        [&v.departement, &v.region, &v.epci]
            .iter()
            .all(|s| s.score_global != Some(0.0) && s.acces_interfaces_numeriques != Some(0.0))
    }));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ifn2020_iris_has_49427_rows_grouped_by_current_commune() {
    let dir = ifn_dir();
    let t = ifn::read_ifn2020_iris(&dir.join(ifn::IFN2020_IRIS_FILE)).unwrap();
    assert!(
        t.rejections.is_empty(),
        "{:?}",
        &t.rejections[..t.rejections.len().min(3)]
    );
    assert_eq!(t.len(), 49_427);
    let truncated = t
        .rows
        .values()
        .filter(|v| v.values_from == "tableau-region-truncated");
    assert_eq!(truncated.count(), 513);
    let first = t.get(&"010010000".to_string()).unwrap();
    assert_eq!(first.code_insee_cog2026, code("01001"));
    assert_eq!(first.type_iris, "Commune non découpée en IRIS");
    assert_eq!(first.population, Some(767.0));
    // Paris arrondissements map to the commune 75056.
    let by_commune = t.by_commune();
    assert!(by_commune[&code("75056")].len() > 800);
    assert!(by_commune.values().all(|v| !v.is_empty()));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ifn2023_communes_has_35008_rows_and_marseille_is_empty() {
    let dir = ifn_dir();
    let t = ifn::read_ifn2023_communes(&dir.join(ifn::IFN2023_COMMUNES_FILE)).unwrap();
    assert!(t.rejections.is_empty());
    assert_eq!(t.len(), 35_008);
    assert_eq!(*t.get(&code("13055")).unwrap(), Default::default());
    assert_eq!(*t.get(&code("27058")).unwrap(), Default::default());
    let first = t.get(&code("01001")).unwrap();
    assert_eq!(first.no_thd_coverage_rate, Some(10.0));
    assert_eq!(first.total, Some(6.0));
    let filled = t.rows.values().filter(|v| v.total.is_some()).count();
    assert_eq!(filled, 35_006);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ifn2023_epci_has_1254_epci_and_rejects_the_no_epci_row() {
    let dir = ifn_dir();
    let t = ifn::read_ifn2023_epci(&dir.join(ifn::IFN2023_EPCI_FILE)).unwrap();
    assert_eq!(t.len(), 1_254);
    assert_eq!(t.rejections.len(), 1);
    assert_eq!(t.rejections[0].line, 1_256);
    assert!(t.rejections[0].reason.contains("sans objet"));
    let siren: EpciSiren = "200000172".parse().unwrap();
    let v = t.get(&siren).unwrap();
    assert!((v.total.unwrap() - 5.122_419_823_999_411).abs() < 1e-12);
}
