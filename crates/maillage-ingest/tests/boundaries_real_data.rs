//! Boundary readers against the real files of the shared data directory
//! (`communes/complete-cog2026/`: Tarn Shapefile pair in Lambert-93 and WGS84, GeoJSON files).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod boundaries_support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use geo::{Area, BoundingRect, Contains, Point};
use maillage_ingest::boundaries::{
    BoundaryFile, BoundaryFormat, BoundaryOptions, DbfEncoding, EncodingSource, read_boundaries,
    read_boundary_dir,
};
use maillage_ingest::reproject::{Proj4rs, Reproject, default_reprojector};

fn complete() -> PathBuf {
    boundaries_support::data_dir().join("communes/complete-cog2026")
}

fn read(path: PathBuf, r: &dyn Reproject) -> BoundaryFile {
    read_boundaries(&path, &BoundaryOptions::default(), r)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn by_code(file: &BoundaryFile) -> BTreeMap<String, &maillage_ingest::boundaries::BoundaryFeature> {
    file.features
        .iter()
        .map(|f| (f.code.to_string(), f))
        .collect()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_tarn_lambert93_shapefile_gives_314_communes_with_their_attributes() {
    let dir = complete();
    let r = default_reprojector();
    let file = read(dir.join("shp/communes_81_l93.shp"), r.as_ref());
    assert_eq!(file.format, BoundaryFormat::Shapefile);
    assert_eq!(file.source_epsg, 2154);
    assert_eq!(
        file.encoding,
        Some((DbfEncoding::Utf8, EncodingSource::Cpg))
    );
    assert_eq!(file.features.len(), 314, "{:?}", file.rejections);
    assert!(file.rejections.is_empty(), "{:?}", file.rejections);
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let codes = by_code(&file);
    let aguts = codes["81001"];
    assert_eq!(aguts.name.as_deref(), Some("Aguts"));
    assert_eq!(aguts.population, Some(238));
    assert_eq!(aguts.departement.as_ref().map(|d| d.as_str()), Some("81"));
    assert_eq!(aguts.epci.as_ref().map(|e| e.as_str()), Some("248100158"));
    // Every commune is in the Tarn's box and its rings follow RFC 7946 (exterior counter-clockwise).
    for f in &file.features {
        let b = f.boundary.bounding_rect().unwrap();
        assert!(
            b.min().x > 1.5 && b.max().x < 3.0 && b.min().y > 43.3 && b.max().y < 44.25,
            "{} {:?}",
            f.code,
            b
        );
        assert!(f.boundary.signed_area() > 0.0, "{}", f.code);
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn accented_names_of_the_tarn_shapefile_are_intact() {
    let dir = complete();
    let file = read(dir.join("shp/communes_81_l93.shp"), &Proj4rs::new());
    let accented: Vec<&str> = file
        .features
        .iter()
        .filter_map(|f| f.name.as_deref())
        .filter(|n| !n.is_ascii())
        .collect();
    assert!(accented.len() > 20, "{accented:?}");
    assert!(
        accented
            .iter()
            .all(|n| !n.contains('\u{fffd}') && !n.contains('Ã'))
    );
    let names: Vec<&str> = file
        .features
        .iter()
        .filter_map(|f| f.name.as_deref())
        .collect();
    assert!(names.contains(&"Réalmont"), "{names:?}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn lambert93_and_wgs84_shapefiles_give_the_same_polygons() {
    let dir = complete();
    let r = default_reprojector();
    let l93 = read(dir.join("shp/communes_81_l93.shp"), r.as_ref());
    let wgs = read(dir.join("shp/communes_81_wgs84.shp"), r.as_ref());
    assert_eq!(wgs.source_epsg, 4326);
    assert_eq!(l93.features.len(), wgs.features.len());
    let wgs = by_code(&wgs);
    let mut worst = 0.0f64;
    for a in &l93.features {
        let b = wgs[a.code.as_str()];
        assert_eq!(a.name, b.name);
        assert_eq!(a.boundary.0.len(), b.boundary.0.len(), "{}", a.code);
        for (pa, pb) in a.boundary.0.iter().zip(&b.boundary.0) {
            assert_eq!(pa.interiors().len(), pb.interiors().len(), "{}", a.code);
            assert_eq!(pa.exterior().0.len(), pb.exterior().0.len(), "{}", a.code);
            for (ca, cb) in pa.exterior().0.iter().zip(&pb.exterior().0) {
                worst = worst.max((ca.x - cb.x).abs()).max((ca.y - cb.y).abs());
            }
        }
    }
    // The pair was written from the same polygons at full precision: 9.4e-10° measured.
    assert!(worst < 1e-8, "largest difference {worst}°");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_geojson_layers_give_314_tarn_and_152_lozere_communes_that_match_the_shapefile() {
    let dir = complete();
    let r = default_reprojector();
    let tarn = read(dir.join("communes_81.geojson"), r.as_ref());
    assert_eq!(tarn.format, BoundaryFormat::GeoJson);
    assert_eq!(tarn.features.len(), 314, "{:?}", tarn.rejections);
    assert!(tarn.rejections.is_empty(), "{:?}", tarn.rejections);
    let lozere = read(dir.join("communes_48.geojson"), r.as_ref());
    assert_eq!(lozere.features.len(), 152, "{:?}", lozere.rejections);
    assert!(lozere.rejections.is_empty(), "{:?}", lozere.rejections);

    let shp = read(dir.join("shp/communes_81_wgs84.shp"), r.as_ref());
    let shp = by_code(&shp);
    for f in &tarn.features {
        let other = shp[f.code.as_str()];
        assert_eq!(f.name, other.name);
        assert_eq!(f.population, other.population);
        let (a, b) = (f.boundary.unsigned_area(), other.boundary.unsigned_area());
        assert!((a - b).abs() < 1e-6 * a.max(1e-3), "{}: {a} vs {b}", f.code);
    }
    // Albi's town hall (place Sainte-Cécile) is inside Albi.
    let albi = tarn
        .features
        .iter()
        .find(|f| f.code.as_str() == "81004")
        .unwrap();
    assert!(albi.boundary.contains(&Point::new(2.1427, 43.9286)));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_folder_read_keeps_commune_layers_and_skips_departement_and_epci_layers() {
    let dir = complete();
    let r = default_reprojector();
    let layer = read_boundary_dir(&dir, &BoundaryOptions::default(), r.as_ref()).unwrap();
    let files: Vec<String> = layer
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        [
            "communes_37.geojson",
            "communes_48.geojson",
            "communes_81.geojson",
            "communes_82.geojson"
        ]
    );
    let skipped: Vec<String> = layer
        .skipped
        .iter()
        .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        skipped,
        [
            "departement_37.geojson",
            "departement_48.geojson",
            "departement_81.geojson",
            "departement_82.geojson",
            "epci_81_48_82_37.geojson"
        ]
    );
    assert!(
        layer.skipped[0].reason.contains("code INSEE"),
        "{}",
        layer.skipped[0].reason
    );
    // The shp/ sub-folder is not read: no duplicate Tarn communes.
    assert_eq!(layer.features().count(), 272 + 152 + 314 + 195);
    assert_eq!(
        layer.rejections().count(),
        0,
        "{:?}",
        layer.rejections().collect::<Vec<_>>()
    );
}
