//! The CRS of a Shapefile `.prj` (ESRI WKT1, and GDAL's WKT1).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::PathBuf;

use maillage_ingest::reproject::{SUPPORTED_EPSG, epsg_of_esri_wkt, epsg_of_prj};

/// ESRI WKT1 of each supported CRS, as `projinfo EPSG:<code> -o WKT1_ESRI` (PROJ 9.1.1) prints it.
const ESRI: [(u32, &str); 11] = [
    (
        2154,
        r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#,
    ),
    (
        5490,
        r#"PROJCS["RGAF09_UTM_Zone_20N",GEOGCS["GCS_RGAF09",DATUM["Reseau_Geodesique_des_Antilles_Francaises_2009",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-63.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        2972,
        r#"PROJCS["RGFG_1995_UTM_22N",GEOGCS["GCS_RGFG_1995",DATUM["D_RGFG_1995",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-51.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        2975,
        r#"PROJCS["RGR_1992_UTM_40S",GEOGCS["GCS_RGR_1992",DATUM["D_RGR_1992",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",57.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        4471,
        r#"PROJCS["RGM_2004_UTM_Zone_38S",GEOGCS["GCS_RGM_2004",DATUM["D_Reseau_Geodesique_de_Mayotte_2004",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",45.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        4467,
        r#"PROJCS["RGSPM_2006_UTM_Zone_21N",GEOGCS["GCS_RGSPM_2006",DATUM["D_Reseau_Geodesique_de_St_Pierre_et_Miquelon_2006",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-57.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        3163,
        r#"PROJCS["RGNC_1991_93_Lambert_New_Caledonia",GEOGCS["GCS_RGNC_1991-93",DATUM["D_Reseau_Geodesique_de_Nouvelle_Caledonie_1991-93",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",300000.0],PARAMETER["Central_Meridian",166.0],PARAMETER["Standard_Parallel_1",-20.6666666666667],PARAMETER["Standard_Parallel_2",-22.3333333333333],PARAMETER["Latitude_Of_Origin",-21.5],UNIT["Meter",1.0]]"#,
    ),
    (
        3297,
        r#"PROJCS["RGPF_UTM_Zone_6S",GEOGCS["GCS_RGPF",DATUM["D_Reseau_Geodesique_de_la_Polynesie_Francaise",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-147.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        8903,
        r#"PROJCS["RGWF96_UTM_Zone_1S",GEOGCS["GCS_RGWF96",DATUM["Reseau_Geodesique_de_Wallis_et_Futuna_1996",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-177.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#,
    ),
    (
        4326,
        r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
    ),
    // EPSG:4171, RGF93 geographic: read as lon/lat.
    (
        4326,
        r#"GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
    ),
];

#[test]
fn the_esri_wkt_of_every_supported_crs_is_recognised() {
    for (epsg, wkt) in ESRI {
        assert_eq!(epsg_of_esri_wkt(wkt), Ok(epsg), "{wkt}");
    }
    let covered: Vec<u32> = ESRI.iter().map(|e| e.0).filter(|&e| e != 4326).collect();
    assert_eq!(covered, SUPPORTED_EPSG);
}

#[test]
fn gdal_wkt1_of_lambert93_is_recognised_by_its_authority_or_its_parameters() {
    // `projinfo EPSG:2154 -o WKT1_GDAL` (PROJ 9.1.1).
    let gdal = r#"PROJCS["RGF93 v1 / Lambert-93",
    GEOGCS["RGF93 v1",
        DATUM["Reseau_Geodesique_Francais_1993_v1",
            SPHEROID["GRS 1980",6378137,298.257222101,
                AUTHORITY["EPSG","7019"]],
            AUTHORITY["EPSG","6171"]],
        PRIMEM["Greenwich",0,
            AUTHORITY["EPSG","8901"]],
        UNIT["degree",0.0174532925199433,
            AUTHORITY["EPSG","9122"]],
        AUTHORITY["EPSG","4171"]],
    PROJECTION["Lambert_Conformal_Conic_2SP"],
    PARAMETER["latitude_of_origin",46.5],
    PARAMETER["central_meridian",3],
    PARAMETER["standard_parallel_1",49],
    PARAMETER["standard_parallel_2",44],
    PARAMETER["false_easting",700000],
    PARAMETER["false_northing",6600000],
    UNIT["metre",1,
        AUTHORITY["EPSG","9001"]],
    AXIS["Easting",EAST],
    AXIS["Northing",NORTH],
    AUTHORITY["EPSG","2154"]]"#;
    assert_eq!(epsg_of_esri_wkt(gdal), Ok(2154));
    let without_authority = gdal.replace(
        r#",
    AUTHORITY["EPSG","2154"]]"#,
        "]",
    );
    assert!(!without_authority.contains(r#""2154""#));
    assert_eq!(epsg_of_esri_wkt(&without_authority), Ok(2154));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_real_tarn_prj_files_are_lambert93_and_wgs84() {
    let dir = std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        })
        .join("communes/complete-cog2026/shp");
    assert!(
        dir.is_dir(),
        "needs the shared data: {} absent (set MAILLAGE_DATA_DIR)",
        dir.display()
    );
    assert_eq!(epsg_of_prj(&dir.join("communes_81_l93.prj")).unwrap(), 2154);
    assert_eq!(
        epsg_of_prj(&dir.join("communes_81_wgs84.prj")).unwrap(),
        4326
    );
}

#[test]
fn lambert_ii_etendu_is_refused_for_its_datum() {
    // `projinfo EPSG:27572 -o WKT1_ESRI`.
    let wkt = r#"PROJCS["NTF_Paris_Lambert_Zone_II",GEOGCS["GCS_NTF_Paris",DATUM["D_NTF",SPHEROID["Clarke_1880_IGN",6378249.2,293.466021293627]],PRIMEM["Paris",2.33722917],UNIT["Grad",0.0157079632679489]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",600000.0],PARAMETER["False_Northing",2200000.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",52.0],PARAMETER["Scale_Factor",0.99987742],PARAMETER["Latitude_Of_Origin",52.0],UNIT["Meter",1.0]]"#;
    let err = epsg_of_esri_wkt(wkt).unwrap_err();
    assert!(
        err.contains("NTF_Paris_Lambert_Zone_II") && err.contains("datum « D_NTF » non reconnu"),
        "{err}"
    );
}

#[test]
fn a_lambert93_with_a_wrong_parameter_names_that_parameter() {
    let wkt = ESRI[0].1.replace("6600000.0", "6500000.0");
    let err = epsg_of_esri_wkt(&wkt).unwrap_err();
    assert!(
        err.contains("paramètre false_northing : attendu 6600000 pour EPSG:2154, trouvé 6500000"),
        "{err}"
    );
}

#[test]
fn a_wgs84_utm_zone_outside_france_matches_no_supported_crs() {
    // `projinfo EPSG:32631 -o WKT1_ESRI`.
    let wkt = r#"PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let err = epsg_of_esri_wkt(wkt).unwrap_err();
    assert!(
        err.contains("WGS_1984_UTM_Zone_31N")
            && err.contains("central_meridian = 3")
            && err.contains("aucun SCR pris en charge"),
        "{err}"
    );
    // The same zone as the Antilles' (UTM 20N on WGS84) is read as EPSG:5490.
    let antilles = wkt
        .replace("Zone_31N", "Zone_20N")
        .replace(r#""Central_Meridian",3.0"#, r#""Central_Meridian",-63.0"#);
    assert_eq!(epsg_of_esri_wkt(&antilles), Ok(5490));
}

#[test]
fn malformed_or_empty_prj_text_is_a_french_error() {
    let err = epsg_of_esri_wkt("").unwrap_err();
    assert!(err.contains(".prj vide"), "{err}");
    let err =
        epsg_of_esri_wkt(r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993""#).unwrap_err();
    assert!(err.starts_with("WKT invalide au caractère"), "{err}");
    let err = epsg_of_esri_wkt("EPSG:2154").unwrap_err();
    assert!(err.contains("WKT invalide"), "{err}");
}

#[test]
fn an_unreadable_prj_file_is_an_error_naming_it() {
    let err = epsg_of_prj(std::path::Path::new("/nonexistent/communes.prj"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/communes.prj"), "{err}");
}
