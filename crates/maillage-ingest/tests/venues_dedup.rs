//! Merging duplicate venues, on the hand-made files of tests/fixtures/venues/dedup/
//! (see the README there): one CSV and one JSON file around Albi.
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::path::PathBuf;

use maillage_core::{Placement, Venue};
use maillage_ingest::reproject::{default_reprojector, position};
use maillage_ingest::venues::{SAME_PLACE_M, VenueLoad, read_venue_dir};

fn load() -> VenueLoad {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/dedup");
    read_venue_dir(&dir, national_schema(), &|_| None).unwrap()
}

fn venue_with_source<'a>(load: &'a VenueLoad, id: &str) -> &'a Venue {
    load.venues
        .iter()
        .find(|v| v.sources.iter().any(|s| s.id == id))
        .unwrap_or_else(|| panic!("aucun lieu ne vient de {id}"))
}

fn source_ids(v: &Venue) -> Vec<&str> {
    v.sources.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn the_fixture_distances_are_40_m_and_60_m_in_lambert_93() {
    let r = default_reprojector();
    let a = position(&*r, 2.14, 43.93).unwrap();
    let near = position(&*r, 2.14, 43.93036).unwrap();
    let far = position(&*r, 2.15, 43.93554).unwrap();
    let base = position(&*r, 2.15, 43.935).unwrap();
    let d_near = a.distance_m(&near).unwrap();
    let d_far = base.distance_m(&far).unwrap();
    assert!((39.0..41.0).contains(&d_near), "{d_near}");
    assert!((59.0..61.0).contains(&d_far), "{d_far}");
    assert!(d_near < SAME_PLACE_M && d_far > SAME_PLACE_M);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn same_pivot_and_same_name_merge_even_far_apart() {
    let load = load();
    let v = venue_with_source(&load, "a-1");
    assert_eq!(source_ids(v), ["a-1", "b-1"]);
    // b-1 is the most recent (2024-03-01): its fields and position are kept…
    assert_eq!(v.record.nom, "MEDIATHEQUE PIERRE AMALRIC");
    assert_eq!(v.record.date_maj, "2024-03-01");
    assert_eq!(v.position.lonlat, [2.17, 43.95]);
    assert_eq!(v.placement, Placement::Exact);
    // …its empty fields are filled from a-1…
    assert_eq!(v.record.telephone, "+33563000001");
    // …and multi-valued fields are the union, enumerations in schema order.
    assert_eq!(
        v.record.services,
        [
            "Aide aux démarches administratives",
            "Accès internet et matériel informatique"
        ]
    );
    assert_eq!(v.record.typologie, ["MUNI", "BIB"]);
    assert_eq!(v.sources[0].file, "a-mairies.csv");
    assert_eq!(v.sources[0].line, 2);
    assert_eq!(v.sources[1].file, "b-reseau.json");
    assert_eq!(v.sources[1].line, 0);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn same_name_within_50_m_merges_across_files() {
    let load = load();
    let v = venue_with_source(&load, "a-2");
    assert_eq!(source_ids(v), ["a-2", "b-2"]);
    assert_eq!(v.record.horaires, "Mo-Fr 09:00-12:00");
    assert_eq!(
        v.record.modalites_accompagnement,
        ["En autonomie", "Accompagnement individuel"]
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn same_name_60_m_apart_is_not_merged() {
    let load = load();
    assert_eq!(source_ids(venue_with_source(&load, "a-3")), ["a-3"]);
    assert_eq!(source_ids(venue_with_source(&load, "b-3")), ["b-3"]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn different_names_5_m_apart_are_not_merged() {
    let load = load();
    assert_eq!(source_ids(venue_with_source(&load, "a-4")), ["a-4"]);
    assert_eq!(source_ids(venue_with_source(&load, "b-4")), ["b-4"]);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_report_counts_rows_venues_and_links_per_rule() {
    let load = load();
    let r = &load.report;
    assert_eq!((r.read(), r.kept(), r.rejected()), (8, 8, 0));
    assert_eq!(load.venues.len(), 6);
    assert_eq!(r.venues, 6);
    assert_eq!(r.merged.groups, 2);
    assert_eq!(r.merged.rows_merged, 2);
    assert_eq!(r.merged.links_pivot_and_name, 1);
    assert_eq!(r.merged.links_name_within_50m, 1);
    let ids: Vec<u32> = load.venues.iter().map(|v| v.id.0).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
    let text = r.to_string();
    assert!(text.contains("2 lignes fusionnées dans 2 lieux"), "{text}");
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(json["merged"]["links_name_within_50m"], 1);
    assert_eq!(json["files"][1]["format"], "json");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn town_hall_placements_do_not_take_part_in_the_distance_rule() {
    // Two rows with the same name and no coordinates in one commune sit at the same
    // town hall, but that position says nothing about where they are.
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/town-hall");
    let r = default_reprojector();
    let hall = position(&*r, 2.1481, 43.9289).unwrap();
    let load = read_venue_dir(&dir, national_schema(), &|c| {
        (c.as_str() == "81004").then_some(hall)
    })
    .unwrap();
    let at_hall: Vec<&Venue> = load
        .venues
        .iter()
        .filter(|v| v.placement == Placement::TownHall)
        .collect();
    assert_eq!(at_hall.len(), 3);
    assert!(at_hall.iter().all(|v| v.sources.len() == 1));
    assert_eq!(load.report.merged.links_name_within_50m, 0);
}
