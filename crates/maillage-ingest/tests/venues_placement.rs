//! Placing rows without coordinates at their commune's town hall, with a hand-made
//! lookup: the only town halls it knows are Albi's (81004) and Lyon's (69123), at points
//! typed by hand near them (not registry values). Fixture: tests/fixtures/venues/town-hall/.
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::path::PathBuf;

use maillage_core::{InseeCode, Placement, Position};
use maillage_ingest::reproject::{default_reprojector, position};
use maillage_ingest::venues::{RejectKind, VenueLoad, read_venue_dir};

fn albi_hall() -> Position {
    position(&*default_reprojector(), 2.1481, 43.9289).unwrap()
}

fn lyon_hall() -> Position {
    position(&*default_reprojector(), 4.8357, 45.7676).unwrap()
}

fn load() -> VenueLoad {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/town-hall");
    let (albi, lyon) = (albi_hall(), lyon_hall());
    let lookup = move |c: &InseeCode| match c.as_str() {
        "81004" => Some(albi),
        "69123" => Some(lyon),
        _ => None,
    };
    read_venue_dir(&dir, national_schema(), &lookup).unwrap()
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_row_without_coordinates_is_placed_at_its_town_hall_and_flagged() {
    let load = load();
    let v = load.venues.iter().find(|v| v.record.id == "th-1").unwrap();
    assert_eq!(v.placement, Placement::TownHall);
    assert_eq!(v.position, albi_hall());
    assert_eq!(v.record.latitude, None);
    let file = load.report.file("no-coordinates.csv").unwrap();
    assert_eq!(file.town_hall, 4);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn an_arrondissement_unknown_to_the_lookup_goes_to_its_city_hall_with_a_warning() {
    let load = load();
    let v = load.venues.iter().find(|v| v.record.id == "th-7").unwrap();
    assert_eq!(v.placement, Placement::TownHall);
    assert_eq!(v.position, lyon_hall());
    let w = load
        .report
        .warnings
        .iter()
        .find(|w| w.line == 8 && w.field == "code_insee")
        .unwrap();
    assert_eq!(w.field, "code_insee");
    assert_eq!(
        w.reason,
        "arrondissement sans mairie connue : lieu placé à la mairie de sa commune (69385 → 69123)"
    );
    let summary = load.report.to_string();
    assert!(
        summary.contains(
            "  code_insee : 1 — arrondissement sans mairie connue : lieu placé à la mairie de sa commune\n"
        ),
        "{summary}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn a_row_with_coordinates_is_placed_at_them() {
    let load = load();
    let v = load.venues.iter().find(|v| v.record.id == "th-4").unwrap();
    assert_eq!(v.placement, Placement::Exact);
    assert_eq!(v.position.lonlat, [2.148, 43.929]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn an_unknown_town_hall_rejects_the_row_with_that_reason() {
    let load = load();
    let r = load.report.rejections.iter().find(|r| r.line == 3).unwrap();
    assert_eq!(r.file, "no-coordinates.csv");
    assert_eq!(r.field, "code_insee");
    assert!(
        r.reason
            .contains("aucune mairie connue pour le code_insee « 81065 »"),
        "{}",
        r.reason
    );
    assert_eq!(
        load.report.rejected_by_reason[&RejectKind::UnknownTownHall],
        1
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn no_coordinates_and_no_code_insee_rejects_the_row() {
    let load = load();
    let r = load.report.rejections.iter().find(|r| r.line == 4).unwrap();
    assert!(
        r.reason
            .starts_with("ni coordonnées (latitude, longitude) ni code_insee")
    );
    assert_eq!(load.report.rejected_by_reason[&RejectKind::NoPlacement], 1);
    let file = load.report.file("no-coordinates.csv").unwrap();
    assert_eq!((file.read, file.kept, file.rejected), (7, 5, 2));
}
