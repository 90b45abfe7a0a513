//! Handler tests on a small hand-made catalog (two square communes of the Tarn sharing
//! an edge, one EPCI, three venues): `app(state).oneshot(…)`.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use maillage_core::geo::{MultiPolygon, polygon};
use maillage_core::{
    Catalog, Commune, Departement, Epci, Fragility, Ifn2023, LayerInfo, LayerStatus, Placement,
    TownHall, Venue, VenueId, VenueRecord, VenueSource,
};
use maillage_ingest::load::ImportReport;
use maillage_ingest::reproject::{default_reprojector, position};
use serde_json::Value;
use tower::ServiceExt;

use crate::{AppState, app};

fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![polygon![
        (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size), (x: x0, y: y0)
    ]])
}

fn commune(code: &str, name: &str, x0: f64, population: u32, total: f64) -> Commune {
    let r = default_reprojector();
    Commune {
        code: code.parse().unwrap(),
        name: name.into(),
        population,
        postal_codes: vec!["81000".into()],
        departement: "81".parse().unwrap(),
        epci: Some("248100737".parse().unwrap()),
        boundary: square(x0, 43.9, 0.1),
        boundary_source: "fixture".into(),
        town_hall: Some(TownHall {
            position: position(&*r, x0 + 0.05, 43.95).unwrap(),
            address: "Place de la mairie".into(),
            opening_hours: Vec::new(),
            accessibility: String::new(),
            accessibility_details: String::new(),
            email: String::new(),
            phone: String::new(),
            website: String::new(),
            location_check: Default::default(),
            outside_by_m: None,
        }),
        fragility: Fragility {
            ifn2020: None,
            ifn2023: Some(Ifn2023 {
                total: Some(total),
                ..Default::default()
            }),
        },
        population_year: None,
    }
}

fn venue(id: &str, nom: &str, lon: f64, lat: f64, services: &[&str]) -> Venue {
    let r = default_reprojector();
    Venue {
        id: VenueId(0),
        record: VenueRecord {
            id: id.into(),
            nom: nom.into(),
            services: services.iter().map(|s| s.to_string()).collect(),
            date_maj: "2023-07-06".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            ..Default::default()
        },
        position: position(&*r, lon, lat).unwrap(),
        placement: Placement::Exact,
        commune: None,
        sources: vec![VenueSource::new("fixture.csv", 2, id)],
        location_flags: Vec::new(),
        declared_commune: None,
        location_note: String::new(),
    }
}

fn state() -> AppState {
    let communes = vec![
        commune("81004", "Albi", 2.1, 49_000, 4.0),
        commune("81005", "Sainte-Énimie-sur-Tarn", 2.2, 1_000, 8.0),
    ];
    let venues = vec![
        venue(
            "v-1",
            "Médiathèque d'Albi",
            2.15,
            43.95,
            &["Aide aux démarches administratives"],
        ),
        venue(
            "v 2|b",
            "France services",
            2.25,
            43.95,
            &["Prendre en main un smartphone ou une tablette"],
        ),
        venue("v-3", "Loin", 2.18, 43.92, &[]),
    ];
    let mut epcis = BTreeMap::new();
    epcis.insert(
        "248100737".parse().unwrap(),
        Epci {
            siren: "248100737".parse().unwrap(),
            name: "CA de l'Albigeois".into(),
            kind: "CA".into(),
        },
    );
    let mut deps = BTreeMap::new();
    deps.insert(
        "81".parse().unwrap(),
        Departement {
            code: "81".parse().unwrap(),
            name: "Tarn".into(),
        },
    );
    let layers = vec![LayerInfo {
        id: "venues".into(),
        title: "Lieux".into(),
        source: "fixture".into(),
        licence: "test".into(),
        date: "2024".into(),
        status: LayerStatus::Loaded { count: 3 },
    }];
    AppState::new(
        Catalog::new(communes, venues, epcis, deps, layers),
        ImportReport::default(),
        None,
    )
}

async fn get(
    state: &AppState,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::builder()
        .uri(uri)
        .header("host", "test.local:8080");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

async fn get_json(state: &AppState, uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = get(state, uri, &[]).await;
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, v)
}

#[tokio::test]
async fn root_answers_the_landing_page_to_json_clients_with_absolute_links() {
    let s = state();
    let (status, _, body) = get(&s, "/", &[("accept", "application/json")]).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    let links = v["links"].as_array().unwrap();
    let desc = links.iter().find(|l| l["rel"] == "service-desc").unwrap();
    assert_eq!(desc["href"], "http://test.local:8080/api");
    let (status, _, body) = get(&s, "/", &[("accept", "text/html")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&body).contains("<html lang=\"fr\">"));
}

#[tokio::test]
async fn collections_list_every_layer_with_its_count() {
    let s = state();
    let (status, v) = get_json(&s, "/collections").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<(&str, u64)> = v["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["numberOfFeatures"].as_u64().unwrap(),
            )
        })
        .collect();
    // The base layers first; later collections (gaps, sites, tours) follow them.
    assert_eq!(
        ids[..5],
        [
            ("communes", 2),
            ("venues", 3),
            ("town-halls", 2),
            ("epci", 1),
            ("departements", 1)
        ]
    );
    let venues = &v["collections"][1];
    assert_eq!(venues["layers"][0]["source"], "fixture");
    assert!(
        venues["crs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "http://www.opengis.net/def/crs/EPSG/0/2154")
    );
}

#[tokio::test]
async fn venues_are_filtered_by_bbox_and_service_and_paged_with_next_links() {
    let s = state();
    let (_, v) = get_json(&s, "/collections/venues/items?bbox=2.1,43.9,2.2,44.0").await;
    assert_eq!(v["numberMatched"], 2);
    let (_, v) = get_json(
        &s,
        "/collections/venues/items?services=Aide%20aux%20d%C3%A9marches%20administratives",
    )
    .await;
    assert_eq!(v["numberMatched"], 1);
    assert_eq!(v["features"][0]["properties"]["nom"], "Médiathèque d'Albi");
    assert_eq!(v["features"][0]["properties"]["commune_insee"], "81004");
    assert_eq!(v["features"][0]["properties"]["departement"], "81");
    let (_, v) = get_json(&s, "/collections/venues/items?limit=2").await;
    assert_eq!(v["numberReturned"], 2);
    let next = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap();
    assert_eq!(
        next["href"],
        "http://test.local:8080/collections/venues/items?limit=2&offset=2"
    );
    let (_, v) = get_json(&s, "/collections/venues/items?limit=2&offset=2").await;
    assert_eq!(v["numberReturned"], 1);
    assert!(
        v["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "prev")
    );
    assert!(
        !v["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "next")
    );
}

#[tokio::test]
async fn a_feature_id_with_a_space_and_a_bar_is_reachable() {
    let s = state();
    let (status, v) = get_json(&s, "/collections/venues/items/v%202%7Cb").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["id"], "v 2|b");
    assert_eq!(v["properties"]["nom"], "France services");
}

#[tokio::test]
async fn epsg_4326_is_written_latitude_first_and_announced_in_content_crs() {
    let s = state();
    let (_, h, body) = get(
        &s,
        "/collections/venues/items/v-1?crs=http://www.opengis.net/def/crs/EPSG/0/4326",
        &[],
    )
    .await;
    assert_eq!(
        h["content-crs"],
        "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    );
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        v["geometry"]["coordinates"],
        serde_json::json!([43.95, 2.15])
    );
    let (_, v) = get_json(&s, "/collections/venues/items/v-1?crs=EPSG:2154").await;
    let x = v["geometry"]["coordinates"][0].as_f64().unwrap();
    assert!((600_000.0..700_000.0).contains(&x), "{x}");
}

#[tokio::test]
async fn bad_requests_get_precise_json_errors() {
    let s = state();
    for (uri, status, needle) in [
        ("/collections/venues/items?bbox=1,2,3", 400, "bbox"),
        ("/collections/venues/items?bbox=2,44,3,43", 400, "sud"),
        (
            "/collections/venues/items?bbox=1,2,3,4&bbox-crs=EPSG:3857",
            400,
            "bbox-crs",
        ),
        ("/collections/venues/items?limit=100000", 400, "maximum"),
        ("/collections/venues/items?limit=-1", 400, "négative"),
        ("/collections/venues/items?couleur=rouge", 400, "couleur"),
        (
            "/collections/venues/items?properties=nom,inconnue",
            400,
            "inconnue",
        ),
        ("/collections/venues/items?f=xml", 400, "f=xml"),
        ("/collections/venues/items?zoom=25", 400, "zoom"),
        (
            "/collections/communes/items?datetime=2023-01-01",
            400,
            "temporelle",
        ),
        ("/collections/rivieres/items", 404, "rivieres"),
        ("/collections/venues/items/absent", 404, "absent"),
    ] {
        let (got, v) = get_json(&s, uri).await;
        assert_eq!(got.as_u16(), status, "{uri}: {v}");
        assert_eq!(v["status"], status, "{uri}");
        let msg = v["description"].as_str().unwrap();
        assert!(msg.contains(needle), "{uri}: {msg}");
    }
}

#[tokio::test]
async fn a_known_etag_gives_304() {
    let s = state();
    let (_, h, _) = get(&s, "/collections/venues/items?limit=1", &[]).await;
    let tag = h["etag"].to_str().unwrap().to_string();
    let (status, _, body) = get(
        &s,
        "/collections/venues/items?limit=1",
        &[("if-none-match", &tag)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (status, _, _) = get(
        &s,
        "/collections/venues/items?limit=2",
        &[("if-none-match", &tag)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn epci_boundary_is_the_union_of_its_communes_with_aggregated_figures() {
    let s = state();
    let (_, v) = get_json(&s, "/collections/epci/items/248100737").await;
    let polys = v["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(
        polys.len(),
        1,
        "two squares sharing an edge dissolve into one polygon"
    );
    let p = &v["properties"];
    assert_eq!(p["population"], 50_000);
    assert_eq!(p["communes"], 2);
    assert_eq!(p["lieux"], 3);
    // (4 × 49 000 + 8 × 1 000) / 50 000
    assert!((p["ifn2023_total"].as_f64().unwrap() - 4.08).abs() < 1e-9);
}

#[tokio::test]
async fn datetime_filters_venues_on_their_update_date() {
    let s = state();
    let (_, v) = get_json(&s, "/collections/venues/items?datetime=2023-01-01/..").await;
    assert_eq!(v["numberMatched"], 3);
    let (_, v) = get_json(&s, "/collections/venues/items?datetime=../2022-12-31").await;
    assert_eq!(v["numberMatched"], 0);
}

#[tokio::test]
async fn csv_export_keeps_accents_and_has_coordinates_and_wkt() {
    let s = state();
    let (status, h, body) = get(&s, "/collections/venues/items?f=csv&properties=id,nom", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,nom,lon,lat,wkt");
    assert_eq!(
        lines[1],
        "v-1,Médiathèque d'Albi,2.15,43.95,POINT (2.15 43.95)"
    );
    assert_eq!(lines.len(), 4);
}

#[tokio::test]
async fn zoomed_out_communes_keep_valid_rings_with_fewer_decimals() {
    let s = state();
    let (_, v) = get_json(&s, "/collections/communes/items/81004?zoom=5").await;
    let ring = v["geometry"]["coordinates"][0][0].as_array().unwrap();
    assert!(ring.len() >= 4);
    assert_eq!(ring.first(), ring.last());
}

#[tokio::test]
async fn the_openapi_document_lists_each_collection_with_its_filters() {
    let s = state();
    let (_, h, body) = get(&s, "/api", &[]).await;
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/vnd.oai.openapi+json")
    );
    let v: Value = serde_json::from_slice(&body).unwrap();
    let params = v["paths"]["/collections/venues/items"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(params.iter().any(|p| p["name"] == "departement"));
    assert!(
        params
            .iter()
            .any(|p| p["name"] == "limit" && p["schema"]["maximum"] == 5000)
    );
}

#[tokio::test]
async fn compressed_exports_end_cleanly_in_every_format() {
    let s = state();
    for f in ["geojson", "csv", "shp", "gpkg"] {
        let (status, h, body) = get(
            &s,
            &format!("/collections/communes/items?f={f}"),
            &[("accept-encoding", "gzip")],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(h["content-encoding"], "gzip", "{f}");
        assert!(body.len() > 100, "{f}: {} bytes", body.len());
    }
}
