//! Exact values of the gap analysis on the hand-made catalog of
//! `fixtures/gaps/catalog.rs` (invented communes and venues, not real data).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "fixtures/gaps/catalog.rs"]
mod fixture;

use fixture::{A, B, DEMARCHES, default_minutes, pos, small};
use maillage_core::geo::{Contains, Point};
use maillage_plan::gaps::{
    AccessSource, AddedVenue, CommuneGap, GapIndex, GapRequest, GapResponse, IfnChoice, IfnModel,
    IfnSource, MatrixEntry, Status, TimeSource, TravelMatrix, VenueRef, analyse,
};

fn run(req: &GapRequest) -> GapResponse {
    let catalog = small();
    analyse(
        &catalog,
        req,
        maillage_ingest::reproject::default_reprojector().into(),
    )
    .expect("valid request")
}

fn tarn() -> GapRequest {
    GapRequest::for_departements(["81"])
}

fn commune<'a>(res: &'a GapResponse, code: &str) -> &'a CommuneGap {
    res.communes
        .iter()
        .find(|c| c.code.as_str() == code)
        .expect("commune in the response")
}

fn codes(res: &GapResponse) -> Vec<&str> {
    res.communes.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn nearest_venue_distance_and_minutes_follow_the_documented_estimate() {
    let res = run(&tarn());
    let alpha = commune(&res, "81001");
    let nearest = alpha.nearest.as_ref().expect("a venue");
    assert_eq!(nearest.key, "test-v1");
    assert_eq!(nearest.id, Some(1));
    let expected = default_minutes(&pos(2.0, 43.9), &pos(1.91, 43.9));
    assert!(
        (alpha.minutes.unwrap() - expected).abs() < 0.006,
        "{alpha:?}"
    );
    let km = pos(2.0, 43.9).distance_m(&pos(1.91, 43.9)).unwrap() / 1000.0;
    assert!((alpha.distance_km.unwrap() - km).abs() < 0.0006);
    assert!(
        (7.0..7.5).contains(&km),
        "0.09° of longitude at 43.9° N is about 7.2 km, got {km}"
    );
    assert_eq!(alpha.minutes_source, Some(TimeSource::Estimate));
    assert_eq!(alpha.status, Status::Served);

    let beta = commune(&res, "81002");
    assert_eq!(beta.nearest.as_ref().unwrap().key, "test-v1");
    assert!(beta.minutes.unwrap() > 20.0 && beta.minutes.unwrap() < 25.0);
    assert_eq!(beta.status, Status::Unserved);
    assert!(!beta.served);

    let delta = commune(&res, "81004");
    assert_eq!(delta.minutes, Some(0.0));
    assert_eq!(delta.nearest.as_ref().unwrap().key, "test-v0");
}

#[test]
fn a_venue_across_the_departement_border_serves_the_territory() {
    let res = run(&tarn());
    assert!(!codes(&res).contains(&"82001"));
    let alpha = commune(&res, "81001");
    assert_eq!(alpha.nearest.as_ref().unwrap().key, "test-v1");
    assert!(alpha.served);
}

#[test]
fn a_commune_without_town_hall_is_measured_from_a_point_inside_its_boundary() {
    let catalog = small();
    let index = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let res = index.analyse(&catalog, &tarn()).unwrap();
    let eps = commune(&res, "81005");
    assert_eq!(eps.access_source, Some(AccessSource::InteriorPoint));
    let [lon, lat] = eps.access_lonlat.unwrap();
    let boundary = &catalog.commune(&"81005".parse().unwrap()).unwrap().boundary;
    assert!(boundary.contains(&Point::new(lon, lat)));
    assert_eq!(
        commune(&res, "81004").access_source,
        Some(AccessSource::TownHall)
    );
    assert_eq!(index.communes_without_access_point(), 0);
}

#[test]
fn priority_is_population_times_normalised_ifn_sorted_by_priority_then_code() {
    let res = run(&tarn());
    // Delta 3000 × 0.3, Alpha 1000 × 0.8, Beta 500 × 0.5 = Zeta 250 × 1.0 (tie: code
    // order), Gamma 200 × 0.9, Epsilon 50 × 0.3 (EPCI B fallback: Delta only).
    assert_eq!(
        codes(&res),
        vec!["81004", "81001", "81002", "81006", "81003", "81005"]
    );
    let prio: Vec<f64> = res.communes.iter().map(|c| c.priority).collect();
    assert_eq!(prio, vec![900.0, 800.0, 250.0, 250.0, 180.0, 15.0]);
    assert!(
        res.parameters
            .priority_formula
            .contains("population × (IFN 2023")
    );
}

#[test]
fn a_commune_without_ifn_gets_its_epci_population_weighted_mean_and_is_flagged() {
    let res = run(&tarn());
    let eps = commune(&res, "81005");
    assert_eq!(eps.ifn, None);
    assert_eq!(eps.ifn_source, IfnSource::EpciMean);
    assert_eq!(eps.ifn_normalised, 0.3);
    assert!(
        !eps.fragile,
        "a fallback value never makes a commune fragile"
    );
    assert!(
        res.warnings
            .iter()
            .any(|w| w.contains("1 communes sans valeur d'IFN"))
    );
    assert_eq!(commune(&res, "81004").ifn_source, IfnSource::Measured);
}

#[test]
fn ifn2020_divides_the_index_by_100_and_falls_back_to_the_epci_then_departement_mean() {
    let mut req = tarn();
    req.ifn = IfnChoice {
        model: IfnModel::Ifn2020,
        scale: None,
        axis: None,
    };
    let res = run(&req);
    assert_eq!(res.parameters.ifn_scale, Some("region"));
    assert_eq!(res.parameters.ifn_axis, "score_global");
    let alpha = commune(&res, "81001");
    assert_eq!((alpha.ifn, alpha.priority), (Some(120.0), 1200.0));
    assert!(alpha.fragile);
    let beta = commune(&res, "81002");
    assert_eq!((beta.priority, beta.fragile), (400.0, false));
    // EPCI A mean, weighted: (1000 × 1.2 + 500 × 0.8) / 1500.
    let gamma = commune(&res, "81003");
    assert_eq!(gamma.ifn_source, IfnSource::EpciMean);
    assert_eq!(gamma.ifn_normalised, 1.0667);
    // EPCI B has no value: département 81 mean, the same two communes.
    let delta = commune(&res, "81004");
    assert_eq!(delta.ifn_source, IfnSource::DepartementMean);
    assert!((delta.priority - 3000.0 * 1600.0 / 1500.0).abs() < 1e-3);
    assert!(res.warnings.iter().any(|w| w.contains("sens inverse")));
}

#[test]
fn ifn2020_zeros_count_as_missing() {
    let mut req = tarn();
    req.ifn = IfnChoice {
        model: IfnModel::Ifn2020,
        scale: None,
        axis: Some("acces_information".into()),
    };
    let res = run(&req);
    assert_eq!(commune(&res, "81001").ifn, Some(90.0));
    let beta = commune(&res, "81002");
    assert_eq!(beta.ifn, None);
    assert_eq!(beta.ifn_source, IfnSource::EpciMean);
    assert_eq!(beta.ifn_normalised, 0.9);
}

#[test]
fn a_commune_outside_every_epci_mean_and_departement_mean_gets_the_neutral_value() {
    let mut req = GapRequest::default();
    req.territory.communes = vec!["82001".into()];
    req.ifn = IfnChoice {
        model: IfnModel::Ifn2020,
        scale: None,
        axis: None,
    };
    let res = run(&req);
    let eta = commune(&res, "82001");
    assert_eq!(
        (eta.ifn_source, eta.ifn_normalised),
        (IfnSource::Neutral, 1.0)
    );
    assert_eq!(eta.priority, 400.0);
}

#[test]
fn indicators_of_the_territory_have_the_exact_hand_computed_values() {
    let res = run(&tarn());
    let s = &res.indicators.selection;
    assert_eq!(s.communes, 6);
    assert_eq!(s.population, 5000);
    assert_eq!(
        (
            s.population_served,
            s.population_unserved,
            s.population_unlocated
        ),
        (4250, 750, 0)
    );
    assert_eq!((s.communes_served, s.communes_unserved), (4, 2));
    assert_eq!(s.population_within_10_min, 3000);
    assert_eq!(s.share_within_10_min, 0.6);
    assert_eq!(s.population_within_20_min, 4250);
    assert_eq!(s.population_within_30_min, 5000);
    assert_eq!(s.share_within_30_min, 1.0);
    assert_eq!(s.fragile_population, 1450);
    assert_eq!(s.fragile_population_unserved, 250);
    assert_eq!(s.population_without_ifn, 50);
    assert_eq!(s.venues, 1, "only V0 lies in the Tarn communes");
    assert_eq!(s.venues_per_10000, Some(2.0));
    let top: Vec<&str> = s.top_unserved.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(top, vec!["81002", "81006"]);

    let epcis: Vec<&str> = res
        .indicators
        .epcis
        .iter()
        .map(|g| g.code.as_str())
        .collect();
    assert_eq!(epcis, vec![A, B]);
    let a = &res.indicators.epcis[0];
    assert_eq!(a.name.as_deref(), Some("EPCI 200000001"));
    assert_eq!(
        (
            a.indicators.population,
            a.indicators.population_unserved,
            a.indicators.venues
        ),
        (1950, 750, 0)
    );
    let b = &res.indicators.epcis[1].indicators;
    assert_eq!(
        (b.population, b.population_served, b.venues),
        (3050, 3050, 1)
    );
    assert_eq!(res.indicators.departements.len(), 1);
    assert_eq!(res.indicators.departements[0].indicators.population, 5000);
    assert!(res.baseline.is_none() && res.changes.is_empty());
}

#[test]
fn the_threshold_decides_served_and_unserved() {
    let mut req = tarn();
    req.threshold_minutes = 25.0;
    let res = run(&req);
    assert!(commune(&res, "81002").served);
    req.threshold_minutes = 10.0;
    let res = run(&req);
    assert!(!commune(&res, "81001").served);
    assert_eq!(res.indicators.selection.population_served, 3000);
}

#[test]
fn speed_and_detour_scale_the_estimate() {
    let mut req = tarn();
    let base = commune(&run(&req), "81001").minutes.unwrap();
    req.speed_kmh = 100.0;
    req.detour_factor = 2.6;
    let same = commune(&run(&req), "81001").minutes.unwrap();
    assert!((same - base).abs() < 0.011);
    req.detour_factor = 1.3;
    let half = commune(&run(&req), "81001").minutes.unwrap();
    assert!((half - base / 2.0).abs() < 0.011);
}

#[test]
fn the_service_filter_and_fixed_only_change_the_nearest_venue() {
    let mut req = tarn();
    req.filter.services = vec![DEMARCHES.into()];
    let res = run(&req);
    for c in &res.communes {
        assert_eq!(c.nearest.as_ref().unwrap().key, "test-v2", "{}", c.code);
    }
    assert_eq!(res.indicators.selection.venues, 0);

    let mut req = tarn();
    req.filter.fixed_only = true;
    let res = run(&req);
    let zeta = commune(&res, "81006");
    assert_eq!(zeta.nearest.as_ref().unwrap().key, "test-v1");
    let expected = default_minutes(&pos(2.0, 44.1), &pos(1.91, 43.9));
    assert!((zeta.minutes.unwrap() - expected).abs() < 0.006);

    let mut req = tarn();
    req.filter.services = vec!["Service qui n'existe pas".into()];
    let res = run(&req);
    assert_eq!(res.indicators.selection.communes_unserved, 6);
    assert!(res.communes.iter().all(|c| c.nearest.is_none()));
    assert!(res.warnings.iter().any(|w| w.contains("Aucun lieu")));
}

#[test]
fn a_matrix_time_overrides_the_estimate_for_its_pair_only() {
    let mut req = tarn();
    req.matrix = Some(TravelMatrix {
        entries: vec![MatrixEntry {
            commune: "81002".into(),
            venue: VenueRef::Key("test-v0".into()),
            minutes: 15.0,
        }],
        ..TravelMatrix::default()
    });
    let res = run(&req);
    let beta = commune(&res, "81002");
    assert_eq!(beta.minutes, Some(15.0));
    assert_eq!(beta.minutes_source, Some(TimeSource::Matrix));
    assert_eq!(beta.nearest.as_ref().unwrap().key, "test-v0");
    assert!(beta.served);
    assert_eq!(res.parameters.matrix_pairs, 1);
    assert_eq!(
        commune(&res, "81001").minutes_source,
        Some(TimeSource::Estimate)
    );
}

#[test]
fn a_slow_matrix_time_lets_another_venue_win_on_its_estimate() {
    let mut req = tarn();
    req.matrix = Some(TravelMatrix {
        communes: vec!["81001".into()],
        venues: vec![VenueRef::Index(1)],
        minutes: vec![vec![Some(60.0)]],
        ..TravelMatrix::default()
    });
    let res = run(&req);
    let alpha = commune(&res, "81001");
    assert_eq!(alpha.nearest.as_ref().unwrap().key, "test-v0");
    assert_eq!(alpha.minutes_source, Some(TimeSource::Estimate));
    let expected = default_minutes(&pos(2.0, 43.9), &pos(2.3, 43.9));
    assert!((alpha.minutes.unwrap() - expected).abs() < 0.006);
}

#[test]
fn a_permanence_at_an_unserved_town_hall_serves_it_and_worsens_nobody() {
    let catalog = small();
    let index = GapIndex::build(
        &catalog,
        maillage_ingest::reproject::default_reprojector().into(),
    );
    let before = index.analyse(&catalog, &tarn()).unwrap();
    let mut req = tarn();
    req.added.push(AddedVenue::town_hall("81002"));
    let after = index.analyse(&catalog, &req).unwrap();
    let beta = commune(&after, "81002");
    assert_eq!((beta.minutes, beta.served), (Some(0.0), true));
    assert!(beta.nearest.as_ref().unwrap().hypothetical);
    assert_eq!(beta.nearest.as_ref().unwrap().key, "hypothese-1");
    for b in &before.communes {
        let a = commune(&after, b.code.as_str());
        assert!(
            a.minutes.unwrap() <= b.minutes.unwrap(),
            "{} got worse",
            b.code
        );
    }
    let changed: Vec<&str> = after.changes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(changed, vec!["81002"]);
    assert_eq!(after.changes[0].before, Status::Unserved);
    assert_eq!(after.changes[0].after, Status::Served);
    let base = after.baseline.as_ref().expect("what-if has a baseline");
    assert_eq!(base.selection.population_served, 4250);
    assert_eq!(after.indicators.selection.population_served, 4750);
    assert_eq!(after.indicators.selection.venues, 2);
    assert_eq!(after.hypothetical[0].name, "Permanence à la mairie de Beta");
    assert_eq!(
        after.hypothetical[0].commune.map(|c| c.to_string()),
        Some("81002".into())
    );
    assert_eq!(catalog.venues.len(), 3, "the catalog is untouched");
    let again = index.analyse(&catalog, &tarn()).unwrap();
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&before).unwrap()
    );
}

#[test]
fn removing_a_venue_recomputes_the_communes_it_served() {
    let mut req = tarn();
    req.removed.push(VenueRef::Key("test-v0".into()));
    let res = run(&req);
    let changed: Vec<&str> = res.changes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(changed, vec!["81004", "81003", "81005"]);
    for c in &res.communes {
        assert_ne!(c.nearest.as_ref().unwrap().key, "test-v0");
    }
    assert_eq!(
        commune(&res, "81004").nearest.as_ref().unwrap().key,
        "test-v2"
    );
    assert_eq!(res.parameters.removed, vec![0]);
    assert_eq!(res.indicators.selection.venues, 0);
    assert_eq!(res.baseline.as_ref().unwrap().selection.venues, 1);
}

#[test]
fn the_json_fixture_request_runs_with_both_matrix_forms_and_both_kinds_of_added_venue() {
    let text = include_str!("fixtures/gaps/request_what_if.json");
    let req: GapRequest = serde_json::from_str(text).expect("fixture parses");
    let res = run(&req);
    assert_eq!(res.communes.len(), 7);
    assert_eq!(res.parameters.matrix_pairs, 2);
    let gamma = commune(&res, "81003");
    assert_eq!(gamma.nearest.as_ref().unwrap().key, "hypothese-1");
    let zeta = commune(&res, "81006");
    assert_eq!(zeta.nearest.as_ref().unwrap().key, "hypothese-2");
    assert!(zeta.served);
    let changed: Vec<(&str, Status)> = res
        .changes
        .iter()
        .map(|c| (c.code.as_str(), c.after))
        .collect();
    assert_eq!(
        changed,
        vec![
            ("81002", Status::Served),
            ("81006", Status::Served),
            ("82001", Status::Unserved)
        ]
    );
    let hypo: Vec<usize> = res
        .hypothetical
        .iter()
        .map(|h| h.communes_reached)
        .collect();
    assert_eq!(hypo, vec![4, 1], "Alpha, Beta, Gamma, Eta; Zeta");
    assert_eq!(res.hypothetical[1].name, "Lieu hypothétique n° 2");
}

#[test]
fn rows_have_the_documented_fields_and_follow_the_response_order() {
    let res = run(&tarn());
    let rows = res.rows();
    assert_eq!(rows.len(), res.communes.len());
    assert_eq!(rows[0].code.as_str(), "81004");
    assert_eq!(rows[0].venue_key.as_deref(), Some("test-v0"));
    assert_eq!(rows[0].epci.as_deref(), Some(B));
    assert_eq!(rows[0].status, "served");
    assert_eq!(rows[0].access_source, "town_hall");
    assert_eq!(rows[0].ifn_source, "measured");
    let names = [
        (
            serde_json::to_value(Status::Unlocated),
            Status::Unlocated.as_str(),
        ),
        (
            serde_json::to_value(Status::Unserved),
            Status::Unserved.as_str(),
        ),
        (
            serde_json::to_value(TimeSource::Matrix),
            TimeSource::Matrix.as_str(),
        ),
        (
            serde_json::to_value(IfnSource::DepartementMean),
            IfnSource::DepartementMean.as_str(),
        ),
        (
            serde_json::to_value(IfnSource::EpciMean),
            IfnSource::EpciMean.as_str(),
        ),
        (
            serde_json::to_value(IfnSource::Neutral),
            IfnSource::Neutral.as_str(),
        ),
        (
            serde_json::to_value(AccessSource::InteriorPoint),
            AccessSource::InteriorPoint.as_str(),
        ),
    ];
    for (json, name) in names {
        assert_eq!(json.unwrap(), name, "rows and JSON name things alike");
    }
    let value = serde_json::to_value(&rows[0]).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut fields = maillage_plan::gaps::GapRow::FIELDS.to_vec();
    fields.sort_unstable();
    assert_eq!(keys, fields);
    let geojson = res.to_geojson();
    assert_eq!(geojson["type"], "FeatureCollection");
    assert_eq!(geojson["features"].as_array().unwrap().len(), 6);
    assert_eq!(geojson["features"][0]["geometry"]["type"], "Point");
    assert_eq!(geojson["features"][0]["id"], "81004");
    assert_eq!(geojson["features"][0]["properties"]["name"], "Delta");
    assert_eq!(
        geojson["features"][0]["properties"]["minutes_source"],
        "estimate"
    );
}

#[test]
fn the_same_request_gives_the_same_bytes() {
    let text = include_str!("fixtures/gaps/request_what_if.json");
    let req: GapRequest = serde_json::from_str(text).unwrap();
    let a = serde_json::to_string(&run(&req)).unwrap();
    let b = serde_json::to_string(&run(&req)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn an_empty_territory_means_every_loaded_commune() {
    let res = run(&GapRequest::default());
    assert_eq!(res.communes.len(), 7);
    let deps: Vec<&str> = res
        .indicators
        .departements
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(deps, vec!["81", "82"]);
}

#[test]
fn an_epci_territory_selects_its_communes_only() {
    let mut req = GapRequest::default();
    req.territory.epcis = vec![B.into()];
    assert_eq!(codes(&run(&req)), vec!["81004", "81005"]);
}
