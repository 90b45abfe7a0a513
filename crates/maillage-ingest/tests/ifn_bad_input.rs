//! IFN readers on hand-made fixtures (tests/fixtures/ifn/, see its README): one case per
//! kind of bad input, plus the rules for empty and zero values.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use maillage_core::InseeCode;
use maillage_ingest::IngestError;
use maillage_ingest::ifn::{read_ifn2020_communes, read_ifn2023_communes};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/ifn")
        .join(name)
}

fn code(s: &str) -> InseeCode {
    s.parse().unwrap()
}

#[test]
fn missing_columns_are_a_fatal_error_naming_them_and_the_columns_found() {
    let err = read_ifn2020_communes(&fixture("ifn-2020-communes-wrong-columns.csv")).unwrap_err();
    let IngestError::Format { path, message } = &err else {
        panic!("attendu une erreur de format, trouvé {err:?}");
    };
    assert!(path.ends_with("ifn-2020-communes-wrong-columns.csv"));
    assert!(
        message.starts_with("colonnes manquantes : population_p16, score_global_epci ;"),
        "{message}"
    );
    assert!(
        message.contains("colonnes trouvées : code_insee, nom_commune,"),
        "{message}"
    );
    assert!(
        err.to_string()
            .contains("ifn-2020-communes-wrong-columns.csv")
    );
}

#[test]
fn a_bad_number_rejects_its_row_with_file_line_field_expected_and_found() {
    let table = read_ifn2020_communes(&fixture("ifn-2020-communes-cases.csv")).unwrap();
    let bad = table
        .rejections
        .iter()
        .find(|r| r.field == "acces_information_region")
        .unwrap();
    assert_eq!(bad.file, "ifn-2020-communes-cases.csv");
    assert_eq!(bad.line, 3);
    assert!(
        bad.reason.contains("attendu un nombre positif ou nul"),
        "{}",
        bad.reason
    );
    assert!(bad.reason.ends_with("trouvé « 12,5 »"), "{}", bad.reason);
    assert!(table.get(&code("81002")).is_none());
}

#[test]
fn duplicate_and_malformed_codes_reject_only_their_rows() {
    let table = read_ifn2020_communes(&fixture("ifn-2020-communes-cases.csv")).unwrap();
    let lines: Vec<(u64, &str)> = table
        .rejections
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (3, "acces_information_region"),
            (6, "code_insee"),
            (7, "code_insee")
        ]
    );
    assert!(
        table.rejections[1]
            .reason
            .contains("en double : déjà lu ligne 2")
    );
    assert!(table.rejections[2].reason.contains("trouvé « 8100 »"));
    // The first 81001 is kept, not the duplicate.
    assert_eq!(
        table.get(&code("81001")).unwrap().region.score_global,
        Some(101.5)
    );
    assert_eq!(table.len(), 4);
}

#[test]
fn ifn2020_zero_scores_are_missing_and_empty_cells_are_none() {
    let table = read_ifn2020_communes(&fixture("ifn-2020-communes-cases.csv")).unwrap();
    let zeros = table.get(&code("81003")).unwrap();
    assert_eq!(zeros.departement.acces_interfaces_numeriques, None);
    assert_eq!(zeros.region.acces_interfaces_numeriques, None);
    assert_eq!(zeros.epci.acces_interfaces_numeriques, None);
    assert_eq!(zeros.departement.score_global, Some(98.0));

    let region_only = table.get(&code("81004")).unwrap();
    assert_eq!(region_only.values_from, "tableau-region-truncated");
    assert_eq!(region_only.departement, Default::default());
    assert_eq!(region_only.epci, Default::default());
    assert_eq!(region_only.region.global_competences, Some(97.0));

    assert_eq!(table.get(&code("81005")).unwrap().population_p16, None);
    assert_eq!(
        table.get(&code("81001")).unwrap().population_p16,
        Some(1000.0)
    );
}

#[test]
fn ifn2023_keeps_zero_deciles_and_empty_values_and_rejects_deciles_above_10() {
    let table = read_ifn2023_communes(&fixture("ifn-2023-communes-cases.csv")).unwrap();
    let marseille = table.get(&code("13055")).unwrap();
    assert_eq!(*marseille, Default::default());
    assert_eq!(table.get(&code("81006")).unwrap().total, Some(0.0));
    assert_eq!(table.get(&code("81004")).unwrap().total, Some(4.6));
    assert_eq!(table.rejections.len(), 1);
    let r = &table.rejections[0];
    assert_eq!((r.line, r.field.as_str()), (4, "poverty_rate"));
    assert!(r.reason.contains("entre 0 et 10") && r.reason.ends_with("trouvé « 11.0 »"));
}

#[test]
fn a_missing_file_is_an_io_error_naming_the_path() {
    let err = read_ifn2023_communes(&fixture("absent.csv")).unwrap_err();
    assert!(matches!(err, IngestError::Io { .. }));
    assert!(err.to_string().contains("absent.csv"), "{err}");
}
