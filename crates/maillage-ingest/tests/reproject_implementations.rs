//! The same tests for every reprojection implementation of this build:
//! `proj4rs` always, libproj (`ProjLib`) with the cargo feature `proj`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
use maillage_core::Zone;
use maillage_ingest::reproject::{
    Proj4rs, Reproject, SUPPORTED_EPSG, WGS84, default_reprojector, position,
};
use proptest::prelude::*;

fn reprojectors() -> Vec<Box<dyn Reproject>> {
    #[allow(unused_mut)]
    let mut all: Vec<Box<dyn Reproject>> = vec![Box::new(Proj4rs::new())];
    #[cfg(feature = "proj")]
    all.push(Box::new(maillage_ingest::reproject::ProjLib::new()));
    all
}

/// A real place of each territory, with its coordinates in the territory's CRS as computed by
/// `echo "LAT LON" | cs2cs -f %.4f EPSG:4326 EPSG:<code>` (PROJ 9.1.1, Debian bookworm proj-bin).
/// Columns: EPSG, longitude, latitude, easting, northing, place.
const REFERENCES: [(u32, f64, f64, f64, f64, &str); 12] = [
    (
        2154,
        2.2945,
        48.8584,
        648237.3015,
        6862271.6816,
        "Tour Eiffel, Paris",
    ),
    (
        2154,
        2.1480,
        43.9289,
        631580.4080,
        6314802.0214,
        "Albi, Tarn",
    ),
    (
        2154,
        8.7369,
        41.9192,
        1176526.6023,
        6108263.0226,
        "Ajaccio, Corse",
    ),
    (
        5490,
        -61.0588,
        14.6161,
        709096.3158,
        1616759.7331,
        "Fort-de-France, Martinique",
    ),
    (
        5490,
        -61.5331,
        16.2411,
        656770.8974,
        1796166.1758,
        "Pointe-à-Pitre, Guadeloupe",
    ),
    (
        2972,
        -52.3269,
        4.9372,
        352880.3998,
        545869.1213,
        "Cayenne, Guyane",
    ),
    (
        2975,
        55.4504,
        -20.8823,
        338811.2385,
        7690101.3600,
        "Saint-Denis, La Réunion",
    ),
    (
        4471,
        45.2279,
        -12.7806,
        524735.3747,
        8587115.8115,
        "Mamoudzou, Mayotte",
    ),
    (
        4467,
        -56.1773,
        46.7811,
        562801.1017,
        5181167.5970,
        "Saint-Pierre, Saint-Pierre-et-Miquelon",
    ),
    (
        3163,
        166.4580,
        -22.2758,
        447201.3390,
        214033.8993,
        "Nouméa, Nouvelle-Calédonie",
    ),
    (
        3297,
        -149.5665,
        -17.5350,
        227524.7550,
        8059419.9699,
        "Papeete, Polynésie française",
    ),
    (
        8903,
        -176.1761,
        -13.2825,
        589245.4726,
        8531475.8939,
        "Mata-Utu, Wallis-et-Futuna",
    ),
];

#[test]
fn lambert93_false_origin_is_3e_46_5n_within_a_millimetre() {
    for r in reprojectors() {
        let (lon, lat) = r.to_lonlat(2154, 700_000.0, 6_600_000.0).unwrap();
        assert!(
            (lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9,
            "{}: ({lon}, {lat})",
            r.name()
        );
        let (x, y) = r.from_lonlat(2154, 3.0, 46.5).unwrap();
        assert!(
            (x - 700_000.0).abs() < 1e-3 && (y - 6_600_000.0).abs() < 1e-3,
            "{}: ({x}, {y})",
            r.name()
        );
    }
}

#[test]
fn eiffel_tower_is_at_648237_30_6862271_68_in_lambert93_within_a_centimetre() {
    for r in reprojectors() {
        let (x, y) = r.from_lonlat(2154, 2.2945, 48.8584).unwrap();
        assert!(
            (x - 648_237.30).abs() < 0.01 && (y - 6_862_271.68).abs() < 0.01,
            "{}: ({x}, {y})",
            r.name()
        );
        // One centimetre is about 1.4e-7° of longitude and 0.9e-7° of latitude in Paris.
        let (lon, lat) = r.to_lonlat(2154, 648_237.30, 6_862_271.68).unwrap();
        assert!(
            (lon - 2.2945).abs() < 1.4e-7 && (lat - 48.8584).abs() < 0.9e-7,
            "{}: ({lon}, {lat})",
            r.name()
        );
    }
}

#[test]
fn every_territory_crs_agrees_with_cs2cs_at_a_real_place_both_ways() {
    let covered: std::collections::BTreeSet<u32> = REFERENCES.iter().map(|r| r.0).collect();
    assert_eq!(
        covered,
        SUPPORTED_EPSG.into_iter().collect(),
        "each supported CRS has a reference point"
    );
    for r in reprojectors() {
        for (epsg, lon, lat, x_ref, y_ref, place) in REFERENCES {
            assert_eq!(
                Zone::of_lonlat(lon, lat).map(Zone::epsg),
                Some(epsg),
                "{place} lies in the zone of EPSG:{epsg}"
            );
            let (x, y) = r.from_lonlat(epsg, lon, lat).unwrap();
            assert!(
                (x - x_ref).abs() < 2e-3 && (y - y_ref).abs() < 2e-3,
                "{} EPSG:{epsg} {place}: ({x}, {y}) instead of ({x_ref}, {y_ref})",
                r.name()
            );
            let (lon2, lat2) = r.to_lonlat(epsg, x_ref, y_ref).unwrap();
            assert!(
                (lon2 - lon).abs() < 1e-8 && (lat2 - lat).abs() < 1e-8,
                "{} EPSG:{epsg} {place}: ({lon2}, {lat2}) instead of ({lon}, {lat})",
                r.name()
            );
            let (lon3, lat3) = r.to_lonlat(epsg, x, y).unwrap();
            assert!(
                (lon3 - lon).abs() < 1e-9 && (lat3 - lat).abs() < 1e-9,
                "{} EPSG:{epsg} {place}: round trip gives ({lon3}, {lat3})",
                r.name()
            );
        }
    }
}

#[test]
fn wgs84_to_wgs84_is_the_identity() {
    for r in reprojectors() {
        assert_eq!(r.from_lonlat(WGS84, 2.5, 45.25).unwrap(), (2.5, 45.25));
        assert_eq!(r.to_lonlat(WGS84, 2.5, 45.25).unwrap(), (2.5, 45.25));
    }
}

#[test]
fn an_unsupported_epsg_code_is_a_french_error_naming_it() {
    for r in reprojectors() {
        let err = r.from_lonlat(3857, 2.0, 45.0).unwrap_err().to_string();
        assert!(
            err.contains("EPSG:3857") && err.contains("non pris en charge"),
            "{}: {err}",
            r.name()
        );
        let err = r
            .to_lonlat(27572, 600_000.0, 2_200_000.0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("EPSG:27572"), "{}: {err}", r.name());
    }
}

#[test]
fn position_gives_the_zone_crs_coordinates_and_refuses_points_outside_france() {
    for r in reprojectors() {
        let p = position(r.as_ref(), 55.4504, -20.8823).unwrap();
        assert_eq!(p.zone, Zone::Reunion);
        assert!((p.xy[0] - 338_811.238_5).abs() < 2e-3 && (p.xy[1] - 7_690_101.36).abs() < 2e-3);
        let err = position(r.as_ref(), -40.0, 30.0).unwrap_err().to_string();
        assert!(err.contains("hors de France"), "{err}");
    }
}

#[test]
fn default_reprojector_is_libproj_with_the_proj_feature_and_proj4rs_without() {
    let name = default_reprojector().name();
    if cfg!(feature = "proj") {
        assert!(name.starts_with("PROJ "), "{name}");
    } else {
        assert!(name.starts_with("proj4rs"), "{name}");
    }
}

#[cfg(feature = "proj")]
#[test]
fn proj4rs_and_libproj_agree_within_a_millimetre_across_metropolitan_france() {
    let a = Proj4rs::new();
    let b = maillage_ingest::reproject::ProjLib::new();
    for i in 0..=20 {
        for j in 0..=20 {
            let lon = -5.0 + 14.5 * f64::from(i) / 20.0;
            let lat = 41.3 + 9.8 * f64::from(j) / 20.0;
            let (xa, ya) = a.from_lonlat(2154, lon, lat).unwrap();
            let (xb, yb) = b.from_lonlat(2154, lon, lat).unwrap();
            assert!(
                (xa - xb).abs() < 1e-3 && (ya - yb).abs() < 1e-3,
                "({lon}, {lat}): proj4rs ({xa}, {ya}), libproj ({xb}, {yb})"
            );
        }
    }
}

#[test]
fn reprojectors_can_be_shared_between_threads() {
    let r: std::sync::Arc<dyn Reproject> = default_reprojector().into();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let r = r.clone();
            std::thread::spawn(move || r.from_lonlat(2154, 2.0 + f64::from(i), 46.0))
        })
        .collect();
    for h in handles {
        let (x, _) = h.join().unwrap().unwrap();
        assert!(x > 500_000.0 && x < 1_000_000.0, "{x}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lambert93_round_trips_within_a_micro_degree_anywhere_in_metropolitan_france(
        lon in -5.2f64..9.6,
        lat in 41.3f64..51.1,
    ) {
        for r in reprojectors() {
            let (x, y) = r.from_lonlat(2154, lon, lat).unwrap();
            let (lon2, lat2) = r.to_lonlat(2154, x, y).unwrap();
            prop_assert!(
                (lon2 - lon).abs() < 1e-6 && (lat2 - lat).abs() < 1e-6,
                "{}: ({lon}, {lat}) -> ({x}, {y}) -> ({lon2}, {lat2})", r.name()
            );
            let (x2, y2) = r.from_lonlat(2154, lon2, lat2).unwrap();
            prop_assert!(
                (x2 - x).abs() < 1e-3 && (y2 - y).abs() < 1e-3,
                "{}: ({x}, {y}) -> ({x2}, {y2})", r.name()
            );
        }
    }

    /// From Lambert-93 coordinates over metropolitan France and back.
    #[test]
    fn wgs84_round_trips_within_a_millimetre_from_lambert93_coordinates(
        x in 100_000f64..1_250_000.0,
        y in 6_040_000f64..7_120_000.0,
    ) {
        for r in reprojectors() {
            let (lon, lat) = r.to_lonlat(2154, x, y).unwrap();
            let (x2, y2) = r.from_lonlat(2154, lon, lat).unwrap();
            prop_assert!(
                (x2 - x).abs() < 1e-3 && (y2 - y).abs() < 1e-3,
                "{}: ({x}, {y}) -> ({lon}, {lat}) -> ({x2}, {y2})", r.name()
            );
            let (lon2, lat2) = r.to_lonlat(2154, x2, y2).unwrap();
            prop_assert!(
                (lon2 - lon).abs() < 1e-6 && (lat2 - lat).abs() < 1e-6,
                "{}: ({lon}, {lat}) -> ({lon2}, {lat2})", r.name()
            );
        }
    }
}
