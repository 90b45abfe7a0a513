//! Snapshots of the OGC API – Features answers (`/conformance`, `/collections`, each
//! collection and its items in JSON and CSV) on the small HAND-MADE catalog of
//! `snapshots_support` (invented communes and venues, not real data). A change in any
//! answer fails here; review it with `cargo insta review` and commit the new snapshot.

#![allow(clippy::unwrap_used)]

mod snapshots_support;

use insta::{assert_json_snapshot, assert_snapshot};
use snapshots_support::{call, state};

#[tokio::test]
async fn conformance_and_collections() {
    let s = state();
    let conformance = call(&s, "GET", "/conformance?f=json", None).await;
    assert_json_snapshot!("conformance", conformance.json());
    let collections = call(&s, "GET", "/collections?f=json", None).await;
    assert_json_snapshot!("collections", collections.json());
    let error = call(&s, "GET", "/collections/nothing-here?f=json", None).await;
    assert_json_snapshot!("error_unknown_collection", error.json());
}

#[tokio::test]
async fn every_collection_and_its_items_in_json_and_csv() {
    let s = state();
    let list = call(&s, "GET", "/collections?f=json", None).await.json();
    let ids: Vec<String> = list["body"]["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 5, "{ids:?}");
    for id in &ids {
        let one = call(&s, "GET", &format!("/collections/{id}?f=json"), None).await;
        assert_json_snapshot!(format!("collection_{id}"), one.json());
        let items = call(&s, "GET", &format!("/collections/{id}/items?f=json"), None).await;
        assert_json_snapshot!(format!("items_{id}_json"), items.json());
        let csv = call(&s, "GET", &format!("/collections/{id}/items?f=csv"), None).await;
        assert_snapshot!(format!("items_{id}_csv"), csv.text());
    }
}
