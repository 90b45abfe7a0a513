//! Bad boundary input: each case gives a precise French error or rejection, never a panic.
//! Shapefile cases start from copies of the real Tarn files; GeoJSON cases use the
//! hand-made fixtures of `tests/fixtures/boundaries/`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod boundaries_support;

use boundaries_support::{Dbf, TempDir, copy_shapefile, fixture, tarn_shp_dir};
use geo::{Area, Winding};
use maillage_ingest::boundaries::{
    BoundaryFile, BoundaryOptions, DbfEncoding, EncodingSource, read_boundaries, read_boundary_dir,
};
use maillage_ingest::reproject::{Proj4rs, default_reprojector};

fn read(path: &std::path::Path, opts: &BoundaryOptions) -> Result<BoundaryFile, String> {
    read_boundaries(path, opts, &Proj4rs::new()).map_err(|e| e.to_string())
}

fn defaults() -> BoundaryOptions {
    BoundaryOptions::default()
}

/// The 0-based index of the first Tarn record whose name is not ASCII, and that name.
fn first_accented(dbf: &Dbf) -> (usize, String) {
    (0..dbf.records.len())
        .map(|i| (i, dbf.text(i, "NOM")))
        .find(|(_, n)| !n.is_ascii())
        .unwrap()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_shapefile_without_its_shx_is_an_error_naming_the_missing_file() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("no-shx");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["shx"]);
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("fichier .shx manquant"), "{err}");
    assert!(err.contains("communes_81_l93.shx"), "{err}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_shapefile_without_its_dbf_is_an_error_naming_the_missing_file() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("no-dbf");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["dbf"]);
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("fichier .dbf manquant"), "{err}");
    assert!(err.contains("communes_81_l93.dbf"), "{err}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_shapefile_without_prj_is_an_error_unless_the_crs_is_given() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("no-prj");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["prj"]);
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("fichier .prj manquant"), "{err}");
    assert!(err.contains("EPSG"), "{err}");
    let opts = BoundaryOptions {
        epsg: Some(2154),
        ..defaults()
    };
    let file = read(&shp, &opts).unwrap();
    assert_eq!(file.features.len(), 314);
    assert_eq!(file.source_epsg, 2154);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn an_unknown_prj_is_an_error_naming_the_prj_and_its_crs() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("unknown-prj");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["prj"]);
    // `projinfo EPSG:3857 -o WKT1_ESRI` (PROJ 9.1.1).
    std::fs::write(
        tmp.path("communes_81_l93.prj"),
        r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#,
    )
    .unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("communes_81_l93.prj"), "{err}");
    assert!(
        err.contains("WGS_1984_Web_Mercator_Auxiliary_Sphere")
            && err.contains("Mercator_Auxiliary_Sphere")
            && err.contains("non prise en charge"),
        "{err}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_prj_that_disagrees_with_the_coordinates_rejects_every_feature_with_a_hint() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("wrong-prj");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["prj"]);
    // Lambert-93 metres declared as WGS84 degrees.
    std::fs::copy(
        src.join("communes_81_wgs84.prj"),
        tmp.path("communes_81_l93.prj"),
    )
    .unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(
        err.contains("aucune entité n'est en France")
            && err.contains("EPSG:4326")
            && err.contains("le SCR déclaré"),
        "{err}"
    );
    assert!(err.contains("attendu un point en France"), "{err}");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_latin1_dbf_declared_latin1_reads_the_same_names_as_the_utf8_original() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("latin1-declared");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["dbf", "cpg"]);
    let mut dbf = Dbf::read(&src.join("communes_81_l93.dbf"));
    let (i, name) = first_accented(&dbf);
    dbf.reencode_as_latin1();
    dbf.write(&tmp.path("communes_81_l93.dbf"));
    std::fs::write(tmp.path("communes_81_l93.cpg"), "ISO-8859-1").unwrap();

    let file = read(&shp, &defaults()).unwrap();
    assert_eq!(
        file.encoding,
        Some((DbfEncoding::Latin1, EncodingSource::Cpg))
    );
    assert_eq!(file.features.len(), 314);
    assert_eq!(file.features[i].name.as_deref(), Some(name.as_str()));
    let original = read(&src.join("communes_81_l93.shp"), &defaults()).unwrap();
    let names = |f: &BoundaryFile| -> Vec<Option<String>> {
        f.features.iter().map(|x| x.name.clone()).collect()
    };
    assert_eq!(names(&file), names(&original));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_latin1_dbf_declared_utf8_is_an_error_naming_the_record_and_the_field() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("latin1-as-utf8");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["dbf"]);
    let mut dbf = Dbf::read(&src.join("communes_81_l93.dbf"));
    let (i, name) = first_accented(&dbf);
    dbf.reencode_as_latin1();
    dbf.write(&tmp.path("communes_81_l93.dbf"));

    let err = read(&shp, &defaults()).unwrap_err();
    let record = format!("enregistrement {}", i + 1);
    assert!(err.contains("communes_81_l93.dbf"), "{err}");
    assert!(err.contains(&record), "{err}");
    assert!(err.contains("champ « NOM »"), "{err}");
    assert!(
        err.contains("attendu du texte UTF-8 (déclaré par le fichier .cpg)"),
        "{err}"
    );
    assert!(err.contains("ISO-8859-1"), "{err}");
    // The found text shows the LATIN1 byte of the accented letter, e.g. "R\xE9almont".
    let (prefix, _) = name.split_at(name.find(|c: char| !c.is_ascii()).unwrap());
    assert!(err.contains(&format!("{prefix}\\x")), "{err}");

    // An explicit encoding overrides the wrong .cpg.
    let opts = BoundaryOptions {
        encoding: Some(DbfEncoding::Latin1),
        ..defaults()
    };
    let file = read(&shp, &opts).unwrap();
    assert_eq!(
        file.encoding,
        Some((DbfEncoding::Latin1, EncodingSource::Option))
    );
    assert_eq!(file.features[i].name.as_deref(), Some(name.as_str()));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn without_cpg_the_encoding_is_detected_from_the_content() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("no-cpg");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["cpg"]);
    let utf8 = read(&shp, &defaults()).unwrap();
    assert_eq!(
        utf8.encoding,
        Some((DbfEncoding::Utf8, EncodingSource::Detected))
    );

    let mut dbf = Dbf::read(&src.join("communes_81_l93.dbf"));
    let (i, name) = first_accented(&dbf);
    dbf.reencode_as_latin1();
    dbf.write(&tmp.path("communes_81_l93.dbf"));
    let latin1 = read(&shp, &defaults()).unwrap();
    assert_eq!(
        latin1.encoding,
        Some((DbfEncoding::Latin1, EncodingSource::Detected))
    );
    assert_eq!(latin1.features[i].name.as_deref(), Some(name.as_str()));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn an_unknown_cpg_is_an_error_naming_the_cpg_and_its_label() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("unknown-cpg");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["cpg"]);
    std::fs::write(tmp.path("communes_81_l93.cpg"), "Shift_JIS\n").unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("communes_81_l93.cpg"), "{err}");
    assert!(
        err.contains("« Shift_JIS »") && err.contains("UTF-8 ou ISO-8859-1"),
        "{err}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn records_without_code_with_an_invalid_code_or_a_repeated_code_are_rejected_alone() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("bad-codes");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &["dbf"]);
    let mut dbf = Dbf::read(&src.join("communes_81_l93.dbf"));
    let first_code = dbf.text(0, "INSEE_COM");
    dbf.set(4, "INSEE_COM", b"");
    dbf.set(5, "INSEE_COM", b"8100X");
    dbf.set(6, "INSEE_COM", first_code.as_bytes());
    dbf.set(7, "POPULATION", b"      -12");
    dbf.write(&tmp.path("communes_81_l93.dbf"));

    let file = read(&shp, &defaults()).unwrap();
    assert_eq!(file.features.len(), 311);
    let lines: Vec<(u64, &str)> = file
        .rejections
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        lines,
        [(5, "INSEE_COM"), (6, "INSEE_COM"), (7, "INSEE_COM")]
    );
    assert!(file.rejections[0].reason.contains("code INSEE vide"));
    assert!(
        file.rejections[1].reason.contains("attendu 5 caractères")
            && file.rejections[1].reason.contains("« 8100X »"),
        "{}",
        file.rejections[1].reason
    );
    assert!(
        file.rejections[2].reason.contains(&format!(
            "code INSEE {first_code} en double : déjà lu à l'entité 1"
        )),
        "{}",
        file.rejections[2].reason
    );
    assert!(
        file.rejections[0]
            .to_string()
            .starts_with("communes_81_l93.shp, ligne 5")
    );
    // An unreadable population drops the value, not the commune.
    assert_eq!(file.warnings.len(), 1);
    assert_eq!(
        (file.warnings[0].line, file.warnings[0].field.as_str()),
        (8, "POPULATION")
    );
    assert!(file.warnings[0].reason.contains("« -12 »"));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_truncated_dbf_or_shp_is_an_error_not_a_panic() {
    let src = tarn_shp_dir();
    let tmp = TempDir::new("truncated");
    let shp = copy_shapefile(&src, "communes_81_l93", &tmp.0, &[]);
    let dbf = std::fs::read(src.join("communes_81_l93.dbf")).unwrap();
    std::fs::write(tmp.path("communes_81_l93.dbf"), &dbf[..dbf.len() / 2]).unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(
        err.contains("table DBF tronquée : attendu 314 enregistrements, trouvé 156"),
        "{err}"
    );

    std::fs::write(tmp.path("communes_81_l93.dbf"), &dbf).unwrap();
    let shp_bytes = std::fs::read(src.join("communes_81_l93.shp")).unwrap();
    std::fs::write(&shp, &shp_bytes[..shp_bytes.len() / 2]).unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("communes_81_l93.shp"), "{err}");
    assert!(err.contains("forme illisible"), "{err}");
    assert!(err.contains("enregistrement "), "{err}");

    std::fs::write(&shp, b"not a shapefile at all, just text").unwrap();
    let err = read(&shp, &defaults()).unwrap_err();
    assert!(err.contains("Shapefile illisible"), "{err}");
}

#[test]
fn each_bad_geojson_feature_is_rejected_with_its_number_field_and_reason() {
    let file = read(&fixture("bad_features.geojson"), &defaults()).unwrap();
    let kept: Vec<&str> = file.features.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(kept, ["81004", "81012", "2A004"]);
    let got: Vec<(u64, &str, &str)> = file
        .rejections
        .iter()
        .map(|r| (r.line, r.field.as_str(), r.reason.as_str()))
        .collect();
    let expected: [(u64, &str, &str); 10] = [
        (
            2,
            "code INSEE",
            "champ de code INSEE absent : attendu l'un de INSEE_COM",
        ),
        (
            3,
            "code_insee",
            "code INSEE invalide : attendu 5 caractères (ex. 81004, 2A004), trouvé « 8100 »",
        ),
        (
            4,
            "code_insee",
            "code INSEE 81004 en double : déjà lu à l'entité 1",
        ),
        (
            5,
            "géométrie",
            "anneau extérieur, position 1 : attendu un point en France (métropole ou outre-mer), trouvé lon -40.000000, lat 30.000000",
        ),
        (
            6,
            "géométrie",
            "géométrie invalide : polygone 1 : l'anneau extérieur se recoupe",
        ),
        (7, "géométrie", "géométrie absente (null)"),
        (8, "géométrie", "géométrie vide : aucun polygone"),
        (
            9,
            "géométrie",
            "anneau extérieur : anneau non fermé, la première position (2.5, 43.9) diffère de la dernière (2.5, 43.91)",
        ),
        (
            10,
            "géométrie",
            "attendu une géométrie Polygon ou MultiPolygon, trouvé « Point »",
        ),
        (
            13,
            "type",
            "attendu un objet « Feature », trouvé le nombre 42",
        ),
    ];
    assert_eq!(got.len(), expected.len() + 1, "{got:#?}");
    for ((line, field, reason), (eline, efield, ereason)) in got.iter().zip(expected) {
        assert_eq!((*line, *field), (eline, efield), "{reason}");
        assert!(reason.starts_with(ereason), "line {line}: {reason}");
    }
    let last = &file.rejections[10];
    assert_eq!((last.line, last.field.as_str()), (14, "géométrie"));
    assert!(
        last.reason
            .contains("coordinates[0][1] : attendu une position [longitude, latitude], trouvé [2.72,\"43.90\"]"),
        "{}",
        last.reason
    );

    // The holed commune keeps its hole, oriented RFC 7946 way although given the other way.
    let holed = &file.features[1];
    let polygon = &holed.boundary.0[0];
    assert_eq!(polygon.interiors().len(), 1);
    assert!(polygon.exterior().is_ccw() && polygon.interiors()[0].is_cw());
    assert!((holed.boundary.unsigned_area() - (0.01 - 0.0036)).abs() < 1e-12);
    assert_eq!(holed.population, None);
    assert_eq!(file.warnings.len(), 1);
    assert_eq!(
        (file.warnings[0].line, file.warnings[0].field.as_str()),
        (11, "population")
    );
    // Upper-case field names and a lower-case Corsican code are read.
    let corsica = &file.features[2];
    assert_eq!(corsica.boundary.0.len(), 2);
    assert_eq!(corsica.name.as_deref(), Some("Île et continent"));
    assert_eq!(corsica.departement.as_ref().map(|d| d.as_str()), Some("2A"));
}

#[test]
fn geometry_validity_checks_can_be_turned_off() {
    let opts = BoundaryOptions {
        check_validity: false,
        ..defaults()
    };
    let file = read(&fixture("bad_features.geojson"), &opts).unwrap();
    assert!(file.features.iter().any(|f| f.code.as_str() == "81007"));
}

#[test]
fn a_geojson_that_is_not_a_feature_collection_is_an_error() {
    let err = read(&fixture("not_a_feature_collection.geojson"), &defaults()).unwrap_err();
    assert!(err.contains("not_a_feature_collection.geojson"), "{err}");
    assert!(
        err.contains(
            "attendu un GeoJSON de type « FeatureCollection », trouvé le type « Feature »"
        ),
        "{err}"
    );
}

#[test]
fn malformed_json_is_an_error_with_its_line_and_column() {
    let err = read(&fixture("malformed.geojson"), &defaults()).unwrap_err();
    assert!(err.contains("malformed.geojson"), "{err}");
    assert!(err.contains("JSON invalide ligne 7, colonne 5"), "{err}");
}

#[test]
fn a_json_file_in_latin1_is_an_error_with_its_line() {
    let tmp = TempDir::new("json-latin1");
    let path = tmp.path("latin1.geojson");
    std::fs::write(
        &path,
        b"{\"type\": \"FeatureCollection\",\n\"features\": [],\n\"nom\": \"R\xe9almont\"}",
    )
    .unwrap();
    let err = read(&path, &defaults()).unwrap_err();
    assert!(
        err.contains(
            "JSON invalide ligne 3 : attendu du texte UTF-8 (RFC 8259), trouvé l'octet 0xE9"
        ),
        "{err}"
    );
}

#[test]
fn a_geojson_crs_member_naming_lambert93_is_honoured() {
    let file = read(&fixture("lambert93_crs.geojson"), &defaults()).unwrap();
    assert_eq!(file.source_epsg, 2154);
    let ring = &file.features[0].boundary.0[0].exterior().0;
    // The Eiffel Tower corner: 648237.30, 6862271.68 is 2.2945°E 48.8584°N within a centimetre.
    assert!(
        ring.iter()
            .any(|c| (c.x - 2.2945).abs() < 2e-7 && (c.y - 48.8584).abs() < 2e-7),
        "{ring:?}"
    );
}

#[test]
fn lambert93_coordinates_read_as_degrees_make_the_file_fail_with_a_crs_hint() {
    let err = read(&fixture("lambert93_without_crs.geojson"), &defaults()).unwrap_err();
    assert!(
        err.contains("aucune entité n'est en France une fois les coordonnées lues en EPSG:4326"),
        "{err}"
    );
    // Declaring the CRS fixes it.
    let opts = BoundaryOptions {
        epsg: Some(2154),
        ..defaults()
    };
    assert_eq!(
        read(&fixture("lambert93_without_crs.geojson"), &opts)
            .unwrap()
            .features
            .len(),
        2
    );
}

#[test]
fn a_file_without_any_commune_code_is_an_error_alone_and_skipped_in_a_folder() {
    let tmp = TempDir::new("not-communes");
    std::fs::write(
        tmp.path("epci.geojson"),
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"siren": "248100737"}, "geometry": {"type": "Polygon", "coordinates": [[[2.1, 43.9], [2.2, 43.9], [2.2, 44.0], [2.1, 43.9]]]}}]}"#,
    )
    .unwrap();
    std::fs::copy(
        fixture("bad_features.geojson"),
        tmp.path("communes.geojson"),
    )
    .unwrap();
    std::fs::write(tmp.path("notes.txt"), "not read").unwrap();
    let err = read(&tmp.path("epci.geojson"), &defaults()).unwrap_err();
    assert!(
        err.contains("aucun champ de code INSEE de commune"),
        "{err}"
    );

    let dir = read_boundary_dir(&tmp.0, &defaults(), default_reprojector().as_ref()).unwrap();
    assert_eq!(dir.files.len(), 1);
    assert_eq!(dir.skipped.len(), 1);
    assert!(dir.skipped[0].path.ends_with("epci.geojson"));
    assert_eq!(dir.features().count(), 3);
}

#[test]
fn a_code_repeated_in_a_second_file_of_a_folder_is_rejected_there() {
    let tmp = TempDir::new("two-files");
    std::fs::copy(fixture("bad_features.geojson"), tmp.path("a.geojson")).unwrap();
    std::fs::copy(fixture("bad_features.geojson"), tmp.path("b.geojson")).unwrap();
    let dir = read_boundary_dir(&tmp.0, &defaults(), &Proj4rs::new()).unwrap();
    assert_eq!(dir.files[0].features.len(), 3);
    assert_eq!(dir.files[1].features.len(), 0);
    let dup = dir.files[1]
        .rejections
        .iter()
        .find(|r| r.line == 1)
        .unwrap();
    assert!(
        dup.reason
            .contains("code INSEE 81004 en double : déjà lu dans a.geojson, entité 1"),
        "{}",
        dup.reason
    );
}

#[test]
fn a_missing_file_or_folder_is_an_io_error_naming_it() {
    let err = read(
        std::path::Path::new("/nonexistent/communes.geojson"),
        &defaults(),
    )
    .unwrap_err();
    assert!(
        err.contains("/nonexistent/communes.geojson") && err.contains("lecture impossible"),
        "{err}"
    );
    let err = read_boundary_dir(
        std::path::Path::new("/nonexistent"),
        &defaults(),
        &Proj4rs::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("/nonexistent"), "{err}");
}
