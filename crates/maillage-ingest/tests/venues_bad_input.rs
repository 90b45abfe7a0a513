//! Bad venue files, one hand-made file per case (tests/fixtures/venues/bad/, see the
//! README of tests/fixtures/venues/): fatal errors stop the file, row errors reject
//! the row only, and every message says file, line, field and why, in French.
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::path::PathBuf;

use maillage_core::Placement;
use maillage_ingest::venues::{RejectKind, VenueLoad, check_venue_files, read_venue_files};
use maillage_ingest::{IngestError, Rejection};

fn bad(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/bad")
        .join(name)
}

fn load(name: &str) -> VenueLoad {
    read_venue_files(&[bad(name)], national_schema(), &|_| None).unwrap()
}

fn rejections_on_line(load: &VenueLoad, line: u64) -> Vec<&Rejection> {
    load.report
        .rejections
        .iter()
        .filter(|r| r.line == line)
        .collect()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn wrong_columns_are_fatal_and_list_the_missing_and_found_columns() {
    let err =
        read_venue_files(&[bad("wrong-columns.csv")], national_schema(), &|_| None).unwrap_err();
    let IngestError::Format { message, .. } = &err else {
        panic!("attendu une erreur de format, trouvé {err:?}");
    };
    assert_eq!(
        message,
        "colonnes obligatoires du schéma manquantes : id, pivot, commune, code_postal, adresse, date_maj ; colonnes trouvées : identifiant, nom, ville, lat, lon"
    );
    assert!(err.to_string().contains("wrong-columns.csv"));
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_value_outside_a_schema_list_rejects_the_row_and_lists_the_allowed_values() {
    let load = load("bad-enum.csv");
    let r = rejections_on_line(&load, 3);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].field, "services");
    let allowed = national_schema()
        .field("services")
        .unwrap()
        .allowed
        .clone()
        .unwrap();
    assert!(r[0].reason.starts_with(
        "valeur « Cours de cuisine » hors de la liste du schéma ; valeurs permises : "
    ));
    assert!(
        r[0].reason.ends_with(&allowed.join(" | ")),
        "{}",
        r[0].reason
    );
    assert_eq!(load.report.rejected_by_reason[&RejectKind::NotInList], 1);
    // The other rows are kept.
    assert_eq!(load.venues.len(), 2);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn semicolon_separated_allowed_values_are_kept_with_a_warning() {
    let load = load("bad-enum.csv");
    let v = load.venues.iter().find(|v| v.record.id == "e-3").unwrap();
    assert_eq!(v.record.modalites_acces, ["Se présenter", "Téléphoner"]);
    let w = load
        .report
        .warnings
        .iter()
        .find(|w| w.line == 4 && w.field == "modalites_acces")
        .unwrap();
    assert!(w.reason.contains("« ; »"), "{}", w.reason);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn bad_coordinates_reject_their_rows_with_the_reason() {
    let load = load("bad-latitude.csv");
    let reason = |line| {
        let r = rejections_on_line(&load, line);
        assert_eq!(r.len(), 1, "ligne {line} : {r:?}");
        (r[0].field.clone(), r[0].reason.clone())
    };
    let (field, why) = reason(2);
    assert_eq!(field, "latitude");
    assert_eq!(why, "attendu une latitude entre -90 et 90, trouvé 91.5");
    let (field, why) = reason(3);
    assert_eq!(field, "latitude");
    assert!(why.contains("trouvé « quarante-trois »"), "{why}");
    let (_, why) = reason(4);
    assert!(why.starts_with("attendu un point en France (métropole ou outre-mer), trouvé latitude 40.7128, longitude -74.006"), "{why}");
    assert!(!why.contains("inversées"));
    let (_, why) = reason(5);
    assert!(
        why.ends_with("latitude et longitude sont-elles inversées ?"),
        "{why}"
    );
    let (field, why) = reason(6);
    assert_eq!(field, "longitude");
    assert!(why.starts_with("latitude sans longitude"), "{why}");
    assert_eq!(load.venues.len(), 1);
    assert_eq!(
        load.report.rejected_by_reason[&RejectKind::BadCoordinates],
        3
    );
    assert_eq!(
        load.report.rejected_by_reason[&RejectKind::OutsideFrance],
        2
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_duplicate_id_rejects_the_later_row_and_names_the_first() {
    let load = load("duplicate-id.csv");
    let r = rejections_on_line(&load, 4);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].field, "id");
    assert_eq!(r[0].reason, "id « d-1 » en double : déjà utilisé ligne 2");
    let kept: Vec<&str> = load.venues.iter().map(|v| v.record.nom.as_str()).collect();
    assert_eq!(kept, ["Premier", "Deuxième"]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn truncated_json_is_fatal_with_its_position() {
    let err = read_venue_files(&[bad("truncated.json")], national_schema(), &|_| None).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("truncated.json"), "{text}");
    assert!(
        text.contains("JSON illisible à la ligne 39, colonne 23 : fin de fichier inattendue (fichier tronqué ?)"),
        "{text}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn quoted_newlines_stay_in_the_field_and_lines_count_physical_lines() {
    let load = load("quoted-newlines.csv");
    let first = load.venues.iter().find(|v| v.record.id == "q-1").unwrap();
    assert_eq!(
        first.record.presentation_detail,
        "Première ligne.\nDeuxième ligne, avec une virgule.\n\nQuatrième ligne \"entre guillemets\"."
    );
    // q-2 starts on physical line 6 (header 1, q-1 on lines 2–5); its itinérance is invalid.
    let r = rejections_on_line(&load, 6);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].field, "itinerance");
    assert!(r[0].reason.contains("« Ambulant »") && r[0].reason.ends_with("Itinérant | Fixe"));
    let last = load.venues.iter().find(|v| v.record.id == "q-3").unwrap();
    assert_eq!(last.sources[0].line, 7);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn missing_required_values_warn_but_a_missing_name_rejects() {
    let load = load("missing-values.csv");
    let kept: Vec<&str> = load.venues.iter().map(|v| v.record.id.as_str()).collect();
    assert_eq!(kept, ["m-1"]);
    let warned: Vec<(u64, &str)> = load
        .report
        .warnings
        .iter()
        .map(|w| (w.line, w.field.as_str()))
        .collect();
    assert_eq!(warned, [(2, "pivot"), (2, "code_postal")]);
    let rejected: Vec<(u64, &str, RejectKind)> = [
        (3, "nom", RejectKind::MissingIdOrName),
        (4, "date_maj", RejectKind::BadDate),
        (5, "code_postal", RejectKind::Pattern),
    ]
    .into();
    for (line, field, kind) in rejected {
        let r = rejections_on_line(&load, line);
        assert_eq!(r.len(), 1, "ligne {line} : {r:?}");
        assert_eq!(r[0].field, field);
        assert_eq!(load.report.rejected_by_reason[&kind], 1);
    }
    assert!(
        rejections_on_line(&load, 5)[0]
            .reason
            .contains("(motif ^\\d{5}$), trouvé « 810000 »")
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn check_goes_on_after_a_fatal_file_and_prints_a_french_summary() {
    let report = check_venue_files(
        &[
            bad("truncated.json"),
            bad("duplicate-id.csv"),
            bad("wrong-columns.csv"),
        ],
        national_schema(),
        &|_| None,
    );
    assert_eq!(report.errors.len(), 2);
    assert_eq!(report.errors[0].file, "truncated.json");
    assert_eq!(report.files.len(), 1);
    assert!(report.has_problems());
    let text = report.to_string();
    assert!(
        text.contains("duplicate-id.csv (CSV) : 3 lues, 2 gardées, 1 rejetées"),
        "{text}"
    );
    assert!(
        text.contains("truncated.json : ERREUR, fichier ignoré"),
        "{text}"
    );
    assert!(
        text.contains("duplicate-id.csv, ligne 4, champ « id » : id « d-1 » en double"),
        "{text}"
    );
    assert!(text.contains("id en double dans le fichier : 1"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["rejected_by_reason"]["duplicate-id"], 1);
    assert_eq!(json["rejections"][0]["line"], 4);
    assert_eq!(json["errors"][1]["file"], "wrong-columns.csv");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn check_reads_the_venue_files_of_a_folder_given_as_argument() {
    let dedup = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/dedup");
    let report = check_venue_files(&[dedup], national_schema(), &|_| None);
    assert!(report.errors.is_empty());
    let files: Vec<&str> = report.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["a-mairies.csv", "b-reseau.json"]);
    assert!(!report.has_problems());
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn json_rows_are_located_by_their_index_in_the_array() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/dedup");
    let load =
        read_venue_files(&[dir.join("b-reseau.json")], national_schema(), &|_| None).unwrap();
    let lines: Vec<u64> = load.venues.iter().map(|v| v.sources[0].line).collect();
    assert_eq!(lines, [0, 1, 2, 3, 4]);
    assert!(load.venues.iter().all(|v| v.placement == Placement::Exact));
    assert_eq!(load.report.locate("b-reseau.json", 2), "élément 2");
}
