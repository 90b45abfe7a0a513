//! Snapshots of every `/health` and `/api/*` answer on the small HAND-MADE catalog of
//! `snapshots_support` (invented communes and venues, not real data). A change in any
//! answer fails here; review it with `cargo insta review` and commit the new snapshot.

#![allow(clippy::unwrap_used)]

mod snapshots_support;

use insta::{assert_json_snapshot, assert_snapshot};
use serde_json::json;
use snapshots_support::{call, state};

#[tokio::test]
async fn health_and_layers() {
    let s = state();
    assert_json_snapshot!("health", call(&s, "GET", "/health", None).await.json());
    assert_json_snapshot!("layers", call(&s, "GET", "/api/layers", None).await.json());
}

#[tokio::test]
async fn search_nearest_and_commune_sheet() {
    let s = state();
    for (name, uri) in [
        ("search_name", "/api/search?q=beta"),
        ("search_postal_code", "/api/search?q=82000"),
        ("nearest", "/api/nearest?lon=2.05&lat=43.9"),
        ("commune_sheet", "/api/communes/81001"),
    ] {
        assert_json_snapshot!(name, call(&s, "GET", uri, None).await.json(), uri);
    }
}

#[tokio::test]
async fn errors_are_json() {
    let s = state();
    for (name, uri) in [
        ("error_unknown_commune", "/api/communes/81999"),
        ("error_bad_commune_code", "/api/communes/8100"),
        ("error_unknown_path", "/api/nothing-here"),
        (
            "error_bad_gap_threshold",
            "/api/gaps?departement=81&threshold=-1",
        ),
    ] {
        assert_json_snapshot!(name, call(&s, "GET", uri, None).await.json(), uri);
    }
}

#[tokio::test]
async fn gaps_get_and_post_in_every_format() {
    let s = state();
    let body = json!({"territory": {"departements": ["81", "82"]}, "threshold_minutes": 20});
    let get = "/api/gaps?departement=81,82&threshold=20";
    assert_json_snapshot!("gaps_get_json", call(&s, "GET", get, None).await.json());
    let post = call(&s, "POST", "/api/gaps", Some(&body)).await;
    assert_json_snapshot!("gaps_post_json", post.json());
    let geojson = call(&s, "POST", "/api/gaps?f=geojson", Some(&body)).await;
    assert_json_snapshot!("gaps_post_geojson", geojson.json());
    let csv = call(&s, "POST", "/api/gaps?f=csv", Some(&body)).await;
    assert_snapshot!("gaps_post_csv", csv.text());
    let csv = call(&s, "GET", &format!("{get}&f=csv"), None).await;
    assert_snapshot!("gaps_get_csv", csv.text());
    let what_if = json!({"territory": {"departements": ["81"]}, "threshold_minutes": 20,
                         "added": [{"town_hall": "81003"}]});
    let answer = call(&s, "POST", "/api/gaps", Some(&what_if)).await;
    assert_json_snapshot!("gaps_post_what_if", answer.json());
}

#[tokio::test]
async fn plan_sites_and_tours() {
    let s = state();
    let sites = json!({
        "demand": [{"commune": "81001"}, {"commune": "81002"}, {"commune": "81003"},
                   {"commune": "82001", "weight": 400}],
        "candidates": [{"commune": "81001"}, {"commune": "81003"}],
        "p": 1,
        "objective": "median",
        "time_limit_ms": 30000,
    });
    for (name, uri) in [
        ("sites_json", "/api/plan/sites"),
        ("sites_geojson", "/api/plan/sites?f=geojson"),
    ] {
        assert_json_snapshot!(name, call(&s, "POST", uri, Some(&sites)).await.json());
    }
    let csv = call(&s, "POST", "/api/plan/sites?f=csv", Some(&sites)).await;
    assert_snapshot!("sites_csv", csv.text());
    let tours = json!({
        "base": {"commune": "81002"},
        "stops": [
            {"id": "81001", "commune": "81001", "weight": 8, "service_minutes": 60},
            {"id": "81003", "commune": "81003", "weight": 9, "service_minutes": 60},
            {"id": "82001", "commune": "82001", "weight": 2, "service_minutes": 60},
        ],
        "days": 2,
        "day_minutes": 240,
        "time_limit_ms": 30000,
    });
    for (name, uri) in [
        ("tours_json", "/api/plan/tours"),
        ("tours_geojson", "/api/plan/tours?f=geojson"),
    ] {
        assert_json_snapshot!(name, call(&s, "POST", uri, Some(&tours)).await.json());
    }
    let csv = call(&s, "POST", "/api/plan/tours?f=csv", Some(&tours)).await;
    assert_snapshot!("tours_csv", csv.text());
}
