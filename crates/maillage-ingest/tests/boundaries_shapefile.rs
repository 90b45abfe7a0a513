//! Shapefile geometry: ESRI ring orientation, multipart polygons, holes, null shapes,
//! deleted records, overseas CRSs. The Shapefiles are written by hand by the test helper.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod boundaries_support;

use boundaries_support::{
    Dbf, LAMBERT93_ESRI, Record, TempDir, copy_shapefile, tarn_shp_dir, write_shapefile,
};
use geo::{Area, Contains, Point, Winding};
use maillage_ingest::boundaries::{BoundaryOptions, read_boundaries};
use maillage_ingest::reproject::default_reprojector;

/// A square ring around (x, y) with half-side `h`, clockwise when `cw`.
fn square(x: f64, y: f64, h: f64, cw: bool) -> Vec<[f64; 2]> {
    let ring = vec![
        [x - h, y - h],
        [x - h, y + h],
        [x + h, y + h],
        [x + h, y - h],
        [x - h, y - h],
    ];
    if cw {
        ring
    } else {
        ring.into_iter().rev().collect()
    }
}

/// Albi in Lambert-93 (cs2cs of 2.1480°E 43.9289°N).
const ALBI: (f64, f64) = (631_580.408, 6_314_802.021);

fn record<'a>(code: &'a str, rings: Vec<Vec<[f64; 2]>>) -> Record<'a> {
    Record {
        rings,
        fields: vec![("INSEE_COM", code), ("NOM", "Commune de test")],
    }
}

#[test]
fn esri_rings_become_polygons_with_each_hole_in_the_outer_ring_that_contains_it() {
    let tmp = TempDir::new("esri-rings");
    let (x, y) = ALBI;
    // Outer A, outer B (east of A), then a hole of A: the hole follows B but belongs to A.
    let shp = write_shapefile(
        &tmp.0,
        "communes",
        5,
        &[record(
            "81004",
            vec![
                square(x, y, 2000.0, true),
                square(x + 5000.0, y, 1000.0, true),
                square(x, y, 500.0, false),
            ],
        )],
    );
    std::fs::write(tmp.path("communes.prj"), LAMBERT93_ESRI).unwrap();
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert!(file.rejections.is_empty(), "{:?}", file.rejections);
    let mp = &file.features[0].boundary;
    assert_eq!(mp.0.len(), 2);
    assert_eq!(mp.0[0].interiors().len(), 1);
    assert_eq!(mp.0[1].interiors().len(), 0);
    for p in &mp.0 {
        assert!(p.exterior().is_ccw());
        assert!(p.interiors().iter().all(|h| h.is_cw()));
    }
    // Albi's centre is in the hole; a point 1 km north of it is in polygon A.
    assert!(!mp.contains(&Point::new(2.1480, 43.9289)));
    assert!(mp.contains(&Point::new(2.1480, 43.9289 + 1000.0 / 111_200.0)));
    // 16 km² - 1 km² + 4 km², in square degrees at 44°N (1° ≈ 80.2 km × 111.1 km).
    let km2 = mp.unsigned_area() * 80.2 * 111.1;
    assert!((km2 - 19.0).abs() < 0.1, "{km2}");
}

#[test]
fn rings_all_counter_clockwise_are_read_as_outer_rings() {
    let tmp = TempDir::new("ccw-rings");
    let (x, y) = ALBI;
    let shp = write_shapefile(
        &tmp.0,
        "communes",
        5,
        &[record(
            "81004",
            vec![
                square(x, y, 1000.0, false),
                square(x + 5000.0, y, 1000.0, false),
            ],
        )],
    );
    std::fs::write(tmp.path("communes.prj"), LAMBERT93_ESRI).unwrap();
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert_eq!(file.features[0].boundary.0.len(), 2);
    assert!(
        file.features[0]
            .boundary
            .0
            .iter()
            .all(|p| p.interiors().is_empty())
    );
}

#[test]
fn a_hole_outside_every_outer_ring_a_null_shape_and_a_flat_ring_are_rejected() {
    let tmp = TempDir::new("bad-rings");
    let (x, y) = ALBI;
    let flat = vec![[x, y], [x + 10.0, y], [x + 20.0, y], [x, y]];
    let shp = write_shapefile(
        &tmp.0,
        "communes",
        5,
        &[
            record("81004", vec![square(x, y, 1000.0, true)]),
            record(
                "81005",
                vec![
                    square(x, y, 1000.0, true),
                    square(x + 9000.0, y, 100.0, false),
                ],
            ),
            record("81006", vec![]),
            record("81007", vec![flat]),
        ],
    );
    std::fs::write(tmp.path("communes.prj"), LAMBERT93_ESRI).unwrap();
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert_eq!(file.features.len(), 1);
    let got: Vec<(u64, String)> = file
        .rejections
        .iter()
        .map(|r| (r.line, r.reason.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                "anneau 2 : trou (anneau antihoraire) en dehors de tout anneau extérieur"
                    .to_string()
            ),
            (3, "géométrie vide (forme nulle)".to_string()),
            (4, "anneau 1 : aire nulle".to_string()),
        ]
    );
}

#[test]
fn a_point_shapefile_is_refused_as_a_boundary_layer() {
    let tmp = TempDir::new("points");
    let (x, y) = ALBI;
    let shp = write_shapefile(&tmp.0, "mairies", 1, &[record("81004", vec![vec![[x, y]]])]);
    std::fs::write(tmp.path("mairies.prj"), LAMBERT93_ESRI).unwrap();
    let err = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("mairies.shp")
            && err.contains("type de forme attendu Polygon")
            && err.contains("Point"),
        "{err}"
    );
}

#[test]
fn an_overseas_shapefile_is_reprojected_from_its_prj() {
    let tmp = TempDir::new("reunion");
    // Saint-Denis de La Réunion in RGR92 / UTM 40S (cs2cs of 55.4504°E 20.8823°S).
    let (x, y) = (338_811.238_5, 7_690_101.36);
    let shp = write_shapefile(
        &tmp.0,
        "communes_974",
        5,
        &[record("97411", vec![square(x, y, 1000.0, true)])],
    );
    // `projinfo EPSG:2975 -o WKT1_ESRI` (PROJ 9.1.1).
    std::fs::write(
        tmp.path("communes_974.prj"),
        r#"PROJCS["RGR_1992_UTM_40S",GEOGCS["GCS_RGR_1992",DATUM["D_RGR_1992",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",57.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    )
    .unwrap();
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert_eq!(file.source_epsg, 2975);
    let mp = &file.features[0].boundary;
    assert!(mp.contains(&Point::new(55.4504, -20.8823)));
    assert!(!mp.contains(&Point::new(55.4504, -20.8823 + 0.01)));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn records_marked_deleted_in_the_dbf_are_skipped() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("deleted");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["dbf"]);
    let mut dbf = Dbf::read(&src.join("communes_81_l93.dbf"));
    let deleted = dbf.text(3, "INSEE_COM");
    dbf.records[3][0] = b'*';
    dbf.write(&tmp.path("communes_81_l93.dbf"));
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert_eq!(file.features.len(), 313);
    assert!(file.rejections.is_empty());
    assert!(file.features.iter().all(|f| f.code.as_str() != deleted));
}

#[test]
fn companion_files_are_found_when_the_name_has_dots_or_upper_case_extensions() {
    let tmp = TempDir::new("dotted-name");
    let (x, y) = ALBI;
    let shp = write_shapefile(
        &tmp.0,
        "communes.2026",
        5,
        &[record("81004", vec![square(x, y, 1000.0, true)])],
    );
    std::fs::write(tmp.path("communes.2026.PRJ"), LAMBERT93_ESRI).unwrap();
    std::fs::rename(tmp.path("communes.2026.dbf"), tmp.path("communes.2026.DBF")).unwrap();
    let file = read_boundaries(
        &shp,
        &BoundaryOptions::default(),
        default_reprojector().as_ref(),
    )
    .unwrap();
    assert_eq!(file.source_epsg, 2154);
    assert_eq!(file.features.len(), 1);
}
