//! Oracles on random hand-made catalogs (fixed seeds): nearest venues against brute
//! force, the what-if overlay against a full recomputation on a modified catalog,
//! and indicator sums.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/catalog.rs"]
mod fixture;

use std::collections::HashMap;

use maillage_core::{Catalog, Fragility, Venue, VenueFilter};
use maillage_plan::gaps::{
    AddedVenue, GapIndex, GapRequest, GapResponse, Indicators, Status, VenueRef,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEEDS: [u64; 3] = [0x6761_7073_0001, 0x6761_7073_0002, 0x6761_7073_0003];
const SERVICES: [&str; 3] = [
    fixture::DEMARCHES,
    "Maîtrise des outils numériques du quotidien",
    "Accès internet et matériel informatique",
];

/// 600 square communes on a 30 × 20 grid around Albi and Montauban (two départements,
/// twelve EPCI, one commune in twelve without town hall, one in eight without IFN),
/// and `venues` random venues, some outside every commune.
fn random_catalog(rng: &mut ChaCha8Rng, venues: usize) -> Catalog {
    let mut communes = Vec::new();
    for i in 0..30 {
        for j in 0..20 {
            let lon = 1.0 + 0.05 * f64::from(i);
            let lat = 43.6 + 0.05 * f64::from(j);
            let dep = if i < 15 { "82" } else { "81" };
            let code = format!("{dep}{:03}", i * 20 + j + 1);
            let epci = format!("2000000{:02}", (i / 5) * 2 + j / 10);
            let fragility = Fragility {
                ifn2020: None,
                ifn2023: (rng.random_range(0..8) != 0)
                    .then(|| fixture::ifn2023(f64::from(rng.random_range(0..=10)))),
            };
            let hall = rng.random_range(0..12) != 0;
            let mut c = fixture::commune(
                &code,
                &format!("Commune {code}"),
                (lon, lat),
                rng.random_range(0..5000),
                Some(&epci),
                fragility,
                hall,
            );
            c.boundary = fixture::square(lon, lat, 0.025);
            if let Some(h) = c.town_hall.as_mut() {
                let (dx, dy) = (rng.random_range(-0.02..0.02), rng.random_range(-0.02..0.02));
                *h = fixture::town_hall(lon + dx, lat + dy);
            }
            communes.push(c);
        }
    }
    let venues = (0..venues)
        .map(|k| {
            let at = (rng.random_range(0.9..2.6), rng.random_range(43.5..44.7));
            let services: Vec<&str> = SERVICES
                .iter()
                .copied()
                .filter(|_| rng.random_range(0..3) == 0)
                .collect();
            fixture::venue(
                &format!("rand-{k}"),
                &format!("Lieu {k}"),
                at,
                &services,
                rng.random_range(0..5) == 0,
            )
        })
        .collect();
    fixture::catalog(communes, venues)
}

/// Brute force: the smallest estimated minutes from each commune's access point to any
/// venue passing the filter.
fn brute_minutes(
    catalog: &Catalog,
    index: &GapIndex,
    filter: &VenueFilter,
) -> HashMap<String, Option<f64>> {
    catalog
        .communes
        .iter()
        .map(|c| {
            let best = index.access_point(catalog, &c.code).and_then(|a| {
                catalog
                    .venues
                    .iter()
                    .filter(|v| filter.matches(v))
                    .map(|v| fixture::default_minutes(&a.position, &v.position))
                    .min_by(f64::total_cmp)
            });
            (c.code.to_string(), best)
        })
        .collect()
}

fn minutes_by_code(res: &GapResponse) -> HashMap<String, Option<f64>> {
    res.communes
        .iter()
        .map(|c| (c.code.to_string(), c.minutes))
        .collect()
}

fn assert_close(got: Option<f64>, want: Option<f64>, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) => assert!((g - w).abs() <= 0.0051, "{what}: {g} vs {w}"),
        (None, None) => {}
        _ => panic!("{what}: {got:?} vs {want:?}"),
    }
}

#[test]
fn nearest_venues_agree_with_brute_force_for_every_commune() {
    for seed in SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let catalog = random_catalog(&mut rng, 60);
        let index = GapIndex::build(
            &catalog,
            maillage_ingest::reproject::default_reprojector().into(),
        );
        let filters = [
            VenueFilter::default(),
            VenueFilter {
                services: vec![fixture::DEMARCHES.into()],
                ..VenueFilter::default()
            },
            VenueFilter {
                fixed_only: true,
                ..VenueFilter::default()
            },
        ];
        for filter in filters {
            let req = GapRequest {
                filter: (&filter).into(),
                ..GapRequest::default()
            };
            let res = index.analyse(&catalog, &req).unwrap();
            assert_eq!(res.communes.len(), 600);
            let brute = brute_minutes(&catalog, &index, &filter);
            for c in &res.communes {
                assert_close(c.minutes, brute[c.code.as_str()], c.code.as_str());
                if let Some(n) = &c.nearest {
                    let v = &catalog.venues[n.id.unwrap() as usize];
                    assert!(filter.matches(v), "{} got a filtered-out venue", c.code);
                }
            }
        }
    }
}

/// The catalog the what-if describes: venues removed, hypothetical venues made real.
fn modified(catalog: &Catalog, removed: &[u32], added: &[(f64, f64)]) -> Catalog {
    let mut venues: Vec<Venue> = catalog
        .venues
        .iter()
        .filter(|v| !removed.contains(&v.id.0))
        .cloned()
        .collect();
    for (k, at) in added.iter().enumerate() {
        venues.push(fixture::venue(
            &format!("added-{k}"),
            "Ajout",
            *at,
            &[],
            false,
        ));
    }
    let communes = catalog.communes.clone();
    fixture::catalog(communes, venues)
}

#[test]
fn the_what_if_overlay_equals_a_full_recomputation_on_the_modified_catalog() {
    for seed in SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xff);
        let catalog = random_catalog(&mut rng, 40);
        let index = GapIndex::build(
            &catalog,
            maillage_ingest::reproject::default_reprojector().into(),
        );
        let mut removed: Vec<u32> = (0..6).map(|_| rng.random_range(0..40)).collect();
        removed.sort_unstable();
        removed.dedup();
        let mut req = GapRequest::for_departements(["81"]);
        req.removed = removed.iter().map(|&i| VenueRef::Index(i)).collect();
        let mut points = Vec::new();
        for _ in 0..3 {
            let p = (rng.random_range(1.0..2.5), rng.random_range(43.6..44.6));
            req.added.push(AddedVenue::at(p.0, p.1));
            points.push(p);
        }
        for c in catalog
            .communes
            .iter()
            .filter(|c| c.located_town_hall().is_some())
            .take(2)
        {
            req.added.push(AddedVenue::town_hall(c.code.to_string()));
            points.push((
                c.located_town_hall().unwrap().position.lonlat[0],
                c.located_town_hall().unwrap().position.lonlat[1],
            ));
        }
        let overlay = index.analyse(&catalog, &req).unwrap();

        let real = modified(&catalog, &removed, &points);
        let full = GapIndex::build(
            &real,
            maillage_ingest::reproject::default_reprojector().into(),
        )
        .analyse(&real, &GapRequest::for_departements(["81"]))
        .unwrap();
        let want = minutes_by_code(&full);
        for c in &overlay.communes {
            assert_close(c.minutes, want[c.code.as_str()], c.code.as_str());
        }
        let (a, b) = (&overlay.indicators.selection, &full.indicators.selection);
        assert_eq!(a.population_served, b.population_served);
        assert_eq!(a.population_within_30_min, b.population_within_30_min);
        assert_eq!(a.venues, b.venues);
    }
}

#[test]
fn a_permanence_at_each_unserved_town_hall_serves_it_and_worsens_nobody() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEEDS[0]);
    let catalog = random_catalog(&mut rng, 25);
    let index = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let base_req = GapRequest::for_departements(["82"]);
    let before = index.analyse(&catalog, &base_req).unwrap();
    let unserved: Vec<String> = before
        .communes
        .iter()
        .filter(|c| c.status == Status::Unserved)
        .filter(|c| {
            catalog
                .commune(&c.code)
                .is_some_and(|c| c.located_town_hall().is_some())
        })
        .map(|c| c.code.to_string())
        .collect();
    assert!(unserved.len() >= 10, "the fixture must leave gaps");
    let was = minutes_by_code(&before);
    for code in unserved.iter().take(25) {
        let mut req = base_req.clone();
        req.added.push(AddedVenue::town_hall(code.clone()));
        let after = index.analyse(&catalog, &req).unwrap();
        let target = after
            .communes
            .iter()
            .find(|c| c.code.as_str() == code)
            .unwrap();
        assert!(target.served, "{code}");
        assert!(after.changes.iter().any(|c| c.code.as_str() == code));
        for c in &after.communes {
            let old = was[c.code.as_str()].unwrap_or(f64::INFINITY);
            assert!(
                c.minutes.unwrap_or(f64::INFINITY) <= old,
                "{} got worse",
                c.code
            );
        }
        assert!(after.changes.iter().all(|c| c.after == Status::Served));
        let (a, b) = (&after.indicators.selection, &before.indicators.selection);
        assert!(a.population_served >= b.population_served);
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
    assert!(i.population_within_30_min <= i.population, "{what}");
    assert!(
        i.fragile_population_unserved <= i.fragile_population,
        "{what}"
    );
    assert!(
        i.fragile_population_unserved <= i.population_unserved,
        "{what}"
    );
    assert!(
        i.top_unserved.len() <= 10.min(i.communes_unserved),
        "{what}"
    );
}

#[test]
fn indicators_add_up_for_the_territory_each_epci_and_each_departement() {
    for seed in SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let catalog = random_catalog(&mut rng, 30);
        let index = GapIndex::build(
            &catalog,
            maillage_ingest::reproject::default_reprojector().into(),
        );
        let mut req = GapRequest::default();
        req.added.push(AddedVenue::at(1.5, 44.0));
        let res = index.analyse(&catalog, &req).unwrap();
        let sets = [&res.indicators, res.baseline.as_ref().unwrap()];
        for set in sets {
            let s = &set.selection;
            assert_adds_up(s, "selection");
            assert_eq!(
                s.population,
                catalog
                    .communes
                    .iter()
                    .map(|c| u64::from(c.population))
                    .sum::<u64>()
            );
            for g in set.epcis.iter().chain(&set.departements) {
                assert_adds_up(&g.indicators, &g.code);
            }
            let sum = |gs: &[maillage_plan::gaps::GroupIndicators], f: fn(&Indicators) -> u64| {
                gs.iter().map(|g| f(&g.indicators)).sum::<u64>()
            };
            for f in [
                (|i: &Indicators| i.population) as fn(&Indicators) -> u64,
                |i| i.population_served,
                |i| i.population_unserved,
                |i| i.fragile_population_unserved,
                |i| i.venues as u64,
            ] {
                assert_eq!(sum(&set.departements, f), f(s));
                assert_eq!(sum(&set.epcis, f), f(s), "every random commune has an EPCI");
            }
            let top: Vec<f64> = s.top_unserved.iter().map(|t| t.priority).collect();
            assert!(top.windows(2).all(|w| w[0] >= w[1]));
        }
        assert_eq!(res.indicators.departements.len(), 2);
        assert_eq!(res.indicators.epcis.len(), 12);
    }
}

#[test]
fn results_do_not_depend_on_a_rebuilt_index() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEEDS[1]);
    let catalog = random_catalog(&mut rng, 50);
    let mut req = GapRequest::for_departements(["81", "82"]);
    req.added.push(AddedVenue::at(1.7, 44.1));
    req.removed.push(VenueRef::Index(7));
    let a = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    )
    .analyse(&catalog, &req)
    .unwrap();
    let b = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    )
    .analyse(&catalog, &req)
    .unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let order: Vec<(f64, String)> = a
        .communes
        .iter()
        .map(|c| (c.priority, c.code.to_string()))
        .collect();
    assert!(
        order
            .windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1))
    );
}
