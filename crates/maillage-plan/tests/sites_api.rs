//! `POST /api/plan/sites` bodies: matrix and coordinate inputs, existing sites,
//! coverage per site, French errors. Points are hand-made (fixture written for these tests).

#![allow(clippy::unwrap_used)]

use maillage_plan::sites::{SiteRequest, solve_site_request};
use serde_json::json;

fn request(value: serde_json::Value) -> SiteRequest {
    serde_json::from_value(value).expect("JSON de requête valide")
}

fn error_of(v: serde_json::Value) -> String {
    match solve_site_request(&request(v)) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("la requête aurait dû être refusée"),
    }
}

/// Hand-made: three demand points, three candidates, one existing site.
fn small() -> serde_json::Value {
    json!({
        "demand": [{"id": "d1", "weight": 10}, {"id": "d2", "weight": 1}, {"id": "d3", "weight": 5}],
        "candidates": [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}],
        "existing": [{"id": "e1"}],
        "p": 1,
        "objective": "median",
        "matrix": [
            [1, 9, 9, 20],
            [9, 1, 9, 2],
            [9, 9, 1, 20]
        ]
    })
}

#[test]
fn median_with_a_matrix_counts_existing_sites_as_already_serving() {
    let res = solve_site_request(&request(small())).unwrap();
    // Opening c1 costs 10×1 + 1×2 (existing) + 5×9 = 57; c3: 10×9 + 2 + 5 = 97; c2: 90 + 1 + 45 = 136.
    assert_eq!(res.sites, vec!["c1"]);
    assert_eq!(res.objective_value, 57.0);
    assert_eq!(res.unit, "matrice");
    assert_eq!(res.assignment[1].site.as_deref(), Some("e1"));
    assert!(res.assignment[1].existing);
    assert_eq!(res.assignment[2].cost, Some(9.0));
}

#[test]
fn coverage_reports_the_weight_covered_by_each_site() {
    let mut v = small();
    v["objective"] = json!("coverage");
    v["radius"] = json!(2);
    v["p"] = json!(2);
    let res = solve_site_request(&request(v)).unwrap();
    assert_eq!(res.sites.len(), 2);
    assert!(res.sites.contains(&"c1".to_string()) && res.sites.contains(&"c3".to_string()));
    assert_eq!(res.objective_value, 16.0);
    let cw = res.covered_weight.unwrap();
    assert_eq!(cw.existing, 1.0);
    assert_eq!(cw.uncovered, 0.0);
    assert_eq!(cw.per_site.iter().sum::<f64>(), 15.0);
}

#[test]
fn coordinates_give_costs_in_km_or_minutes() {
    let v = json!({
        "demand": [{"id": "Albi", "lon": 2.148, "lat": 43.929}, {"id": "Castres", "lon": 2.240, "lat": 43.606, "weight": 3}],
        "candidates": [{"id": "Albi", "lon": 2.148, "lat": 43.929}, {"id": "Réalmont", "lon": 2.189, "lat": 43.777}],
        "p": 1, "objective": "median", "detour_factor": 1.0
    });
    let res = solve_site_request(&request(v.clone())).unwrap();
    assert_eq!(res.unit, "km");
    assert_eq!(res.sites, vec!["Réalmont"]);
    // Réalmont: 17 km from Albi + 3 × 19.5 km from Castres ≈ 76; Albi: 3 × 37 km ≈ 110.
    assert!(
        res.objective_value > 70.0 && res.objective_value < 80.0,
        "{}",
        res.objective_value
    );
    let mut v2 = v;
    v2["speed_kmh"] = json!(60);
    let res2 = solve_site_request(&request(v2)).unwrap();
    assert_eq!(res2.unit, "min");
    assert!((res2.objective_value - res.objective_value).abs() < 1e-9);
}

#[test]
fn bad_site_requests_get_clear_french_errors() {
    let mut v = small();
    v["p"] = json!(4);
    assert!(error_of(v).contains("dépasse le nombre de candidats"));
    let mut v = small();
    v["matrix"][1] = json!([1, 2]);
    assert!(error_of(v).contains("la ligne 1 a 2 colonnes"));
    let mut v = small();
    v["matrix"][2][0] = json!(-1);
    assert!(error_of(v).contains("matrix[2][0] = -1"));
    let mut v = small();
    v["objective"] = json!("coverage");
    assert!(error_of(v).contains("radius est requis"));
    let mut v = small();
    v["demand"] = json!([]);
    assert!(error_of(v).contains("vide"));
    let mut v = small();
    v.as_object_mut().unwrap().remove("matrix");
    assert!(error_of(v).contains("lon/lat"));
    let mut v = small();
    v["p"] = json!(0);
    assert!(error_of(v).contains("au moins 1"));
    assert!(
        serde_json::from_value::<SiteRequest>(json!({"demand": [], "p": 1, "objective": "mean"}))
            .is_err()
    );
}

#[test]
fn oversized_site_requests_are_refused_before_any_work() {
    let demand: Vec<_> = (0..30_000)
        .map(|k| json!({"id": k.to_string(), "lon": 2.0, "lat": 43.0}))
        .collect();
    let e = error_of(json!({
        "demand": demand, "candidates": [{"id": "c", "lon": 2.0, "lat": 43.0}], "p": 1, "objective": "median"
    }));
    assert!(e.contains("au plus 20000"), "{e}");
}
