//! `POST /api/plan/tours` bodies: validation errors in French, budgets, rotations,
//! GeoJSON, size caps. Points are hand-made around Albi (fixture written for these tests).

#![allow(clippy::unwrap_used)]

use maillage_plan::request::Limit;
use maillage_plan::tours::{
    MAX_STOPS, TourError, TourPlace, TourRequest, TourStopInput, solve_tour_request,
};
use serde_json::json;

fn request(value: serde_json::Value) -> TourRequest {
    serde_json::from_value(value).expect("JSON de requête valide")
}

/// Hand-made: Albi as base and five villages of the Tarn (approximate lon/lat).
fn villages() -> serde_json::Value {
    json!([
        {"id": "Cordes-sur-Ciel", "lon": 1.955, "lat": 44.063, "weight": 5, "service_minutes": 120},
        {"id": "Réalmont", "lon": 2.189, "lat": 43.777, "weight": 3, "service_minutes": 120},
        {"id": "Valence-d'Albigeois", "lon": 2.407, "lat": 44.020, "weight": 4, "service_minutes": 120},
        {"id": "Monestiés", "lon": 2.097, "lat": 44.071, "weight": 2, "service_minutes": 120},
        {"id": "Lautrec", "lon": 2.139, "lat": 43.706, "weight": 1, "service_minutes": 120}
    ])
}

fn base() -> serde_json::Value {
    json!({"id": "Albi", "lon": 2.148, "lat": 43.929})
}

fn error_of(v: serde_json::Value) -> String {
    match solve_tour_request(&request(v)) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("la requête aurait dû être refusée"),
    }
}

#[test]
fn a_two_day_plan_keeps_each_day_within_its_budget_and_draws_linestrings() {
    let res = solve_tour_request(&request(json!({
        "base": base(), "stops": villages(), "days": 2, "day_minutes": 300
    })))
    .unwrap();
    assert_eq!(res.days.len(), 2);
    let visited: usize = res.days.iter().map(|d| d.stops.len()).sum();
    assert_eq!(visited + res.unvisited.len(), 5);
    for d in &res.days {
        assert!(d.total_minutes <= 300.0);
        assert_eq!(d.arrivals.len(), d.stops.len());
        if !d.stops.is_empty() {
            let g = d.geometry.as_ref().unwrap();
            assert_eq!(g["type"], "LineString");
            assert_eq!(
                g["coordinates"].as_array().unwrap().len(),
                d.stops.len() + 2
            );
            assert_eq!(g["coordinates"][0], json!([2.148, 43.929]));
        }
    }
    // 300 min with 2-hour permanences and 25–40 min legs: one stop a day fits, so the
    // two heaviest villages (5 and 4) are chosen.
    assert!(res.days.iter().all(|d| d.stops.len() == 1));
    assert_eq!(res.total_weight, 9.0);
    assert!(
        res.unvisited
            .iter()
            .all(|u| u.code == "pas_de_place" && !u.reason.is_empty())
    );
}

#[test]
fn must_visit_all_with_one_unbounded_day_returns_a_single_closed_tour() {
    let res = solve_tour_request(&request(json!({
        "base": base(), "stops": villages(), "days": 1, "must_visit_all": true
    })))
    .unwrap();
    assert!(res.unvisited.is_empty());
    assert_eq!(res.days[0].stops.len(), 5);
    assert!(res.total_travel > 0.0);
}

#[test]
fn windows_are_respected_and_waiting_shows_in_the_service_start() {
    let mut stops = villages();
    stops[0]["windows"] = json!({"lundi": [[840, 1020]]});
    let res = solve_tour_request(&request(json!({
        "base": base(), "stops": stops, "days": 1, "day_minutes": 600
    })))
    .unwrap();
    let d = &res.days[0];
    assert_eq!(d.weekday, "lundi");
    if let Some(k) = d.stops.iter().position(|s| s == "Cordes-sur-Ciel") {
        assert!(d.service_starts[k] >= 840.0);
        assert!(d.service_starts[k] + 120.0 <= 1020.0 + 1e-6);
    }
}

#[test]
fn a_rotation_visits_each_chosen_stop_every_k_weeks_on_the_same_weekday() {
    let res = solve_tour_request(&request(json!({
        "base": base(), "stops": villages(), "weeks": 4, "working_days": [1, 3],
        "period_weeks": 2, "day_minutes": 300
    })))
    .unwrap();
    assert_eq!(res.days.len(), 8);
    let rot = res.rotation.unwrap();
    assert_eq!((rot.period_weeks, rot.cycle_days), (2, 4));
    for k in 0..4 {
        assert_eq!(res.days[k].stops, res.days[k + 4].stops);
        assert_eq!(res.days[k].weekday, res.days[k + 4].weekday);
        assert_eq!(res.days[k + 4].week, res.days[k].week + 2);
    }
}

#[test]
fn a_stop_more_than_half_a_day_away_is_dropped_with_its_reason() {
    let mut stops = villages();
    stops
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "Brest", "lon": -4.486, "lat": 48.390, "weight": 100}));
    let res = solve_tour_request(&request(json!({
        "base": base(), "stops": stops, "days": 3, "day_minutes": 420
    })))
    .unwrap();
    let brest = res.unvisited.iter().find(|u| u.id == "Brest").unwrap();
    assert_eq!(brest.code, "trop_loin");
    assert!(brest.reason.contains("aller-retour"), "{}", brest.reason);
}

#[test]
fn matrices_are_checked_for_shape_and_values() {
    let e = error_of(json!({
        "base": {"index": 0}, "stops": [{"id": "a"}, {"id": "b"}], "days": 1,
        "matrix": [[0, 1, 2], [1, 0]]
    }));
    assert!(e.contains("n'est pas carrée"), "{e}");
    let e = error_of(json!({
        "base": {"index": 0}, "stops": [{"id": "a"}, {"id": "b"}], "days": 1,
        "matrix": [[0, 1], [1, 0]]
    }));
    assert!(e.contains("hors de la matrice"), "{e}");
    let e = error_of(json!({
        "base": {"index": 0}, "stops": [{"id": "a"}], "days": 1,
        "matrix": [[0, -3], [1, 0]]
    }));
    assert!(e.contains("matrix[0][1] = -3"), "{e}");
}

#[test]
fn bad_fields_get_clear_french_errors() {
    assert!(error_of(json!({"base": base(), "stops": [], "days": 1})).contains("vide"));
    assert!(error_of(json!({"base": base(), "stops": villages()})).contains("days"));
    assert!(
        error_of(json!({"base": base(), "stops": villages(), "days": 1, "weeks": 1}))
            .contains("pas les deux")
    );
    assert!(
        error_of(json!({"base": base(), "stops": [{"id": "x"}], "days": 1})).contains("lon/lat")
    );
    assert!(
        error_of(json!({"base": {"lon": 200, "lat": 0}, "stops": villages(), "days": 1}))
            .contains("coordonnées invalides")
    );
    assert!(
        error_of(json!({"base": base(), "stops": villages(), "days": 1, "day_minutes": -5}))
            .contains("day_minutes")
    );
    let mut s = villages();
    s[1]["windows"] = json!({"funday": [[0, 10]]});
    assert!(error_of(json!({"base": base(), "stops": s, "days": 1})).contains("inconnu"));
    let mut s = villages();
    s[1]["id"] = json!("Cordes-sur-Ciel");
    assert!(error_of(json!({"base": base(), "stops": s, "days": 1})).contains("en double"));
    assert!(
        error_of(json!({"base": base(), "stops": villages(), "days": 1, "time_limit_ms": 999999}))
            .contains("au plus")
    );
    // Unknown fields are refused by the JSON layer.
    assert!(
        serde_json::from_value::<TourRequest>(json!({"base": base(), "stops": [], "dayz": 1}))
            .is_err()
    );
}

#[test]
fn a_hundred_thousand_stops_are_refused_naming_the_limit() {
    let stops: Vec<TourStopInput> = (0..100_000)
        .map(|k| TourStopInput {
            id: k.to_string(),
            lon: Some(2.0 + (k % 300) as f64 * 0.001),
            lat: Some(43.9 + (k / 300) as f64 * 0.001),
            ..TourStopInput::default()
        })
        .collect();
    let req = TourRequest {
        base: TourPlace {
            lon: Some(2.148),
            lat: Some(43.929),
            ..TourPlace::default()
        },
        stops,
        days: Some(10),
        weeks: None,
        working_days: vec![0, 1, 2, 3, 4],
        period_weeks: None,
        day_minutes: Some(420.0),
        day_start_minutes: 480.0,
        speed_kmh: 50.0,
        detour_factor: 1.3,
        matrix: None,
        must_visit_all: false,
        seed: 1,
        time_limit_ms: None,
    };
    // How fast the refusal comes is the `tours` bench ("refusal of 100,000 stops").
    let err = solve_tour_request(&req).unwrap_err();
    assert_eq!(
        err,
        TourError::TooLarge {
            limit: Limit::Stops,
            count: 100_000,
            max: MAX_STOPS
        }
    );
    assert!(err.to_string().contains("au plus 2000"));
}

#[test]
fn the_same_request_and_seed_give_the_same_plan() {
    let v = json!({"base": base(), "stops": villages(), "days": 2, "day_minutes": 300, "seed": 7});
    let a = solve_tour_request(&request(v.clone())).unwrap();
    let b = solve_tour_request(&request(v)).unwrap();
    assert_eq!(a.days, b.days);
    assert_eq!(a.unvisited, b.unvisited);
}
