//! GDAL as a real OGC API – Features client (OAPIF driver): `ogrinfo` lists every
//! collection with its count and CRS, `ogr2ogr` copies the Tarn's venues to a GeoPackage.

use std::process::Command;

use maillage_e2e::{Server, shared_data};

/// Runs a GDAL command line tool and returns its standard output.
pub fn gdal(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .env("CPL_DEBUG", "OFF")
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} introuvable ({e}) : installez gdal-bin (make deps-test)")
        });
    assert!(
        out.status.success(),
        "{tool} {args:?} a échoué : {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `Feature Count: N` of each layer, in order, from `ogrinfo -so` output.
pub fn feature_counts(ogrinfo: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut layer = String::new();
    for line in ogrinfo.lines() {
        if let Some(name) = line.strip_prefix("Layer name: ") {
            layer = name.trim().to_string();
        }
        if let Some(n) = line.strip_prefix("Feature Count: ") {
            out.push((layer.clone(), n.trim().parse().unwrap_or(u64::MAX)));
        }
    }
    out
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ogrinfo_lists_every_collection_with_its_feature_count_and_crs() {
    shared_data();
    let server = Server::start();
    let collections = server.get_json("/collections");
    let expected: Vec<(String, u64)> = collections["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["numberOfFeatures"].as_u64().unwrap(),
            )
        })
        .collect();
    let health = server.get_json("/health");
    let url = format!("OAPIF:{}", server.base);
    let out = gdal("ogrinfo", &["-ro", "-so", "-al", &url]);
    assert_eq!(feature_counts(&out), expected, "{out}");
    let count = |id: &str| expected.iter().find(|(n, _)| n == id).unwrap().1;
    assert_eq!(count("communes"), health["communes"].as_u64().unwrap());
    assert_eq!(count("venues"), health["venues"].as_u64().unwrap());
    assert!(count("venues") > 10_000, "{expected:?}");
    assert!(count("departements") >= 101, "{expected:?}");
    assert!(count("epci") > 1_000, "{expected:?}");
    for (name, geometry) in [
        ("communes", "Multi Polygon"),
        ("venues", "Point"),
        ("town-halls", "Point"),
        ("epci", "Multi Polygon"),
        ("departements", "Multi Polygon"),
    ] {
        let section = out
            .split("Layer name: ")
            .find(|s| s.starts_with(name))
            .unwrap_or_else(|| panic!("{name} absent : {out}"));
        assert!(
            section.contains(&format!("Geometry: {geometry}")),
            "{section}"
        );
        assert!(section.contains("WGS 84"), "{section}");
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn ogr2ogr_copies_the_venues_of_the_tarn_into_a_geopackage_with_their_attributes() {
    shared_data();
    let server = Server::start();
    let api = server.get_json("/collections/venues/items?departement=81&limit=5000");
    let matched = api["numberMatched"].as_u64().unwrap();
    assert!(matched > 50, "{matched} lieux dans le Tarn");
    let dir = std::env::temp_dir().join(format!("maillage-ogr2ogr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gpkg = dir.join("tarn.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    let url = format!("OAPIF:{}", server.base);
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            gpkg.to_str().unwrap(),
            &url,
            "venues",
            "-where",
            "departement = '81'",
        ],
    );
    let out = gdal("ogrinfo", &["-ro", "-so", gpkg.to_str().unwrap(), "venues"]);
    assert_eq!(
        feature_counts(&out),
        vec![("venues".to_string(), matched)],
        "{out}"
    );
    // Attributes: every venue of the API is in the GeoPackage with the same name,
    // services and commune (accents included).
    let dump = gdal(
        "ogrinfo",
        &[
            "-ro",
            "-q",
            gpkg.to_str().unwrap(),
            "-sql",
            "SELECT id, nom, services, commune_insee FROM venues ORDER BY id",
        ],
    );
    for f in api["features"].as_array().unwrap() {
        let p = &f["properties"];
        for key in ["nom", "services", "commune_insee"] {
            if let Some(v) = p[key].as_str() {
                let line = format!("{key} (String) = {v}");
                assert!(dump.contains(&line), "{line} absent du GeoPackage");
            }
        }
    }
    assert!(
        dump.chars().any(|c| "éèàçôÉ".contains(c)),
        "les accents ont disparu : {dump}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
