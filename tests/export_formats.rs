//! Every export format, downloaded from the real server, opens in `ogrinfo` with the
//! right geometry type, CRS, count and accented values.

use std::io::Read;
use std::path::{Path, PathBuf};

use maillage_e2e::{Server, shared_data};

use crate::ogc_clients::{feature_counts, gdal};

/// Downloads `path` to `dest`, asserting a 200; returns the Content-Type.
pub fn download(server: &Server, path: &str, dest: &Path) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .get(format!("{}{path}", server.base))
        .call()
        .expect("HTTP request");
    let status = resp.status().as_u16();
    let media = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut bytes = Vec::new();
    resp.body_mut()
        .with_config()
        .limit(2_000_000_000)
        .reader()
        .read_to_end(&mut bytes)
        .expect("body");
    assert_eq!(
        status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    std::fs::write(dest, &bytes).expect("write download");
    media
}

/// GDAL reads the point columns of the CSV (lon/lat, or x/y in a projected CRS).
const CSV_OPTIONS: [&str; 6] = [
    "-oo",
    "X_POSSIBLE_NAMES=lon,x",
    "-oo",
    "Y_POSSIBLE_NAMES=lat,y",
    "-oo",
    "KEEP_GEOM_COLUMNS=NO",
];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("maillage-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The path GDAL opens for a downloaded file (zips through /vsizip/).
fn gdal_path(file: &Path) -> String {
    let s = file.to_str().expect("UTF-8 path").to_string();
    if s.ends_with(".zip") {
        format!("/vsizip/{s}")
    } else {
        s
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn every_export_format_of_the_tarn_venues_opens_in_ogrinfo_with_crs_count_and_accents() {
    shared_data();
    let server = Server::start();
    let api = server.get_json("/collections/venues/items?departement=81&limit=5000");
    let matched = api["numberMatched"].as_u64().unwrap();
    let accented = api["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["nom"].as_str())
        .find(|n| !n.is_ascii())
        .expect("a Tarn venue with an accent in its name")
        .to_string();
    let dir = scratch("venues");
    for (f, ext, crs) in [
        ("geojson", "geojson", None),
        ("geojson", "geojson", Some(2154)),
        ("csv", "csv", None),
        ("csv", "csv", Some(2154)),
        ("shp", "zip", None),
        ("shp", "zip", Some(2154)),
        ("gpkg", "gpkg", None),
        ("gpkg", "gpkg", Some(2154)),
    ] {
        let crs_param = crs
            .map(|c| format!("&crs=http://www.opengis.net/def/crs/EPSG/0/{c}"))
            .unwrap_or_default();
        let file = dir.join(format!("venues-{}.{ext}", crs.unwrap_or(4326)));
        download(
            &server,
            &format!("/collections/venues/items?f={f}&departement=81{crs_param}"),
            &file,
        );
        let path = gdal_path(&file);
        let mut args = vec!["-ro", "-al", "-so"];
        args.extend(CSV_OPTIONS.iter().filter(|_| f == "csv"));
        args.push(&path);
        let summary = gdal("ogrinfo", &args);
        let counts = feature_counts(&summary);
        assert_eq!(counts.len(), 1, "{f}: {summary}");
        assert_eq!(counts[0].1, matched, "{f} {crs:?}: {summary}");
        assert!(summary.contains("Geometry: Point"), "{f}: {summary}");
        match (f, crs) {
            ("csv", _) => {}
            (_, Some(2154)) => {
                assert!(summary.contains("Lambert-93"), "{f}: {summary}");
                assert!(
                    summary.contains("ID[\"EPSG\",2154]")
                        || summary.contains("AUTHORITY[\"EPSG\",\"2154\"]"),
                    "{f}: {summary}"
                );
            }
            _ => assert!(summary.contains("WGS 84"), "{f}: {summary}"),
        }
        // Extent in metres for Lambert-93, in degrees otherwise (the Tarn).
        let extent = summary
            .lines()
            .find(|l| l.starts_with("Extent: "))
            .unwrap_or_else(|| panic!("{f}: no extent: {summary}"));
        let x: f64 = extent
            .trim_start_matches("Extent: (")
            .split(',')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        if crs == Some(2154) {
            assert!((500_000.0..800_000.0).contains(&x), "{f}: {extent}");
        } else {
            assert!((1.0..3.5).contains(&x), "{f}: {extent}");
        }
        let mut args = vec!["-ro", "-al", "-q"];
        args.extend(CSV_OPTIONS.iter().filter(|_| f == "csv"));
        args.push(&path);
        let all = gdal("ogrinfo", &args);
        assert!(
            all.contains(&format!(" = {accented}")),
            "{f}: « {accented} » absent"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn communes_of_the_tarn_export_as_lambert93_multipolygons_in_shapefile_and_geopackage() {
    shared_data();
    let server = Server::start();
    let api = server.get_json("/collections/communes/items?departement=81&limit=1&properties=code");
    let matched = api["numberMatched"].as_u64().unwrap();
    assert!(matched > 300, "{matched} communes dans le Tarn");
    let dir = scratch("communes");
    for (f, ext) in [("shp", "zip"), ("gpkg", "gpkg")] {
        let file = dir.join(format!("communes.{ext}"));
        download(
            &server,
            &format!("/collections/communes/items?f={f}&departement=81&crs=EPSG:2154"),
            &file,
        );
        let path = gdal_path(&file);
        let summary = gdal("ogrinfo", &["-ro", "-al", "-so", &path]);
        assert_eq!(feature_counts(&summary)[0].1, matched, "{f}: {summary}");
        assert!(
            summary.contains("Geometry: Multi Polygon") || summary.contains("Geometry: Polygon"),
            "{f}: {summary}"
        );
        assert!(summary.contains("Lambert-93"), "{f}: {summary}");
        // Albi, with its accented département name and population.
        let albi = gdal(
            "ogrinfo",
            &[
                "-ro",
                "-al",
                "-q",
                &path,
                "-where",
                "code = '81004'",
                "-geom=SUMMARY",
            ],
        );
        assert!(albi.contains("= Albi"), "{f}: {albi}");
        assert!(albi.contains("Tarn"), "{f}: {albi}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
